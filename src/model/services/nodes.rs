//! The service nodes of the run-time graph, with the routes and gRPC services each serves:
//! they exist before any call is resolved, because resolution matches calls against them.

use super::detect::Detected;
use super::{Inputs, Route, RuntimeNode, ServiceGraph, ServiceNode, Wiring};
use std::collections::{BTreeMap, BTreeSet};

/// gRPC services served, by short name → the serving services (binaries): detected servers
/// count for every service that reaches them, and declared `grpc` names too.
pub(super) fn grpc_servers(
    inputs: &Inputs,
    detected: &Detected,
) -> BTreeMap<String, BTreeSet<usize>> {
    let mut grpc_servers: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let servers = detected.evidence.grpc.iter().enumerate();
    for (i, g) in servers.filter(|(_, g)| !g.fact.client) {
        for (unit, _) in &detected.reach.grpc[i] {
            if detected.service_of.contains_key(unit) {
                grpc_servers
                    .entry(g.fact.service.clone())
                    .or_default()
                    .insert(*unit);
            }
        }
    }
    for (id, service) in &inputs.config.services {
        for name in &service.grpc {
            let short = name.rsplit('.').next().unwrap_or(name).to_string();
            if let Some((&index, _)) = detected.service_of.iter().find(|(_, s)| *s == id) {
                grpc_servers.entry(short).or_default().insert(index);
            }
        }
    }
    grpc_servers
}

/// The full name of a gRPC service when exactly one .proto file defines its short name.
pub(super) fn full_grpc_name(wiring: &Wiring, short: &str) -> String {
    match wiring.proto_services.get(short) {
        Some(full) if full.len() == 1 => full.iter().next().expect("one").clone(),
        _ => short.to_string(),
    }
}

/// A graph holding one node per service, and the service ids → their package index.
pub(super) fn service_nodes(
    inputs: &Inputs,
    detected: &Detected,
    routes: &BTreeMap<usize, BTreeSet<Route>>,
    grpc_servers: &BTreeMap<String, BTreeSet<usize>>,
) -> (ServiceGraph, BTreeMap<String, usize>) {
    let mut out = ServiceGraph::default();
    let mut service_names: BTreeMap<String, usize> = BTreeMap::new();
    for (&unit, name) in &detected.service_of {
        let index = detected.package_of(unit);
        let package = &inputs.packages.packages[index];
        let krate = inputs.crates.crate_named(&package.id_name);
        let grpc_names: BTreeSet<String> = grpc_servers
            .iter()
            .filter(|(_, servers)| servers.contains(&unit))
            .map(|(short, _)| full_grpc_name(inputs.wiring, short))
            .collect();
        out.add_node(RuntimeNode::Service(ServiceNode {
            name: name.clone(),
            binary: detected.reach.binaries[unit].name.clone(),
            krate: package.id_name.clone(),
            repo: inputs.discovery.roots[package.root].name.clone(),
            capability: krate.and_then(|k| k.capability.clone()),
            team: krate.and_then(|k| k.team.clone()),
            declared: detected.declared.contains(name),
            routes: routes
                .get(&unit)
                .map(|r| r.iter().cloned().collect())
                .unwrap_or_default(),
            grpc: grpc_names.into_iter().collect(),
            unknown: false,
        }));
        service_names.insert(name.clone(), index);
    }
    (out, service_names)
}
