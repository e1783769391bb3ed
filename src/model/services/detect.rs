//! Phase 2, detect: which crates are services (declared in capgraph.toml, or binaries with
//! run-time evidence of their own or in a library they use), and which services link each
//! crate, so that a library's evidence counts for every service that runs it.

use super::Inputs;
use super::evidence::Evidence;
use crate::extract::detectors::Role;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The services, beside the evidence they were found from.
pub(super) struct Detected<'a> {
    pub evidence: Evidence<'a>,
    /// Crate index → service id: the `[services]` id when declared, else the crate name.
    pub service_of: BTreeMap<usize, String>,
    /// The ids declared in capgraph.toml whose crate was found.
    pub declared: HashSet<String>,
    /// Which services link each crate (themselves included), through normal dependencies.
    pub linked_by: Vec<BTreeSet<usize>>,
}

pub(super) fn detect<'a>(inputs: &Inputs<'a>, evidence: Evidence<'a>) -> Detected<'a> {
    let (mut service_of, declared) = declared_services(inputs, &evidence);
    for index in detected_services(inputs, &evidence) {
        let name = &inputs.packages.packages[index].name;
        service_of.entry(index).or_insert_with(|| name.clone());
    }
    let linked_by = linking_services(&service_of, &evidence.linked.links);
    Detected {
        evidence,
        service_of,
        declared,
        linked_by,
    }
}

/// The `[services]` of capgraph.toml whose crate was scanned; a later id naming the same
/// crate replaces an earlier one (config order), though both count as declared.
fn declared_services(
    inputs: &Inputs,
    evidence: &Evidence,
) -> (BTreeMap<usize, String>, HashSet<String>) {
    let mut service_of: BTreeMap<usize, String> = BTreeMap::new();
    let mut declared: HashSet<String> = HashSet::new();
    for (id, service) in &inputs.config.services {
        let krate = service.krate.clone().unwrap_or_else(|| id.clone());
        if let Some(&index) = evidence.linked.by_name.get(krate.as_str()) {
            service_of.insert(index, id.clone());
            declared.insert(id.clone());
        }
    }
    (service_of, declared)
}

/// Crates with a binary that serves, or that (or a library it uses in code) calls, publishes
/// or subscribes: a worker whose only calls sit in a client library is a service too.
/// In package order.
fn detected_services(inputs: &Inputs, evidence: &Evidence) -> Vec<usize> {
    let serving: HashSet<usize> = evidence
        .hits
        .iter()
        .filter(|e| matches!(e.hit.role, Role::Route | Role::RouteMount))
        .map(|e| e.package)
        .chain(
            evidence
                .grpc
                .iter()
                .filter(|g| !g.fact.client)
                .map(|g| g.package),
        )
        .collect();
    let active: HashSet<usize> = evidence
        .hits
        .iter()
        .map(|e| e.package)
        .chain(evidence.grpc.iter().map(|g| g.package))
        .collect();
    let links = &evidence.linked.links;
    let uses_active = |start: usize| {
        let mut stack = vec![start];
        let mut seen = HashSet::new();
        while let Some(current) = stack.pop() {
            if active.contains(&current) {
                return true;
            }
            if seen.insert(current) {
                stack.extend(links[current].iter().copied());
            }
        }
        false
    };
    inputs
        .packages
        .packages
        .iter()
        .enumerate()
        .filter(|(index, package)| {
            !package.bins.is_empty() && (serving.contains(index) || uses_active(*index))
        })
        .map(|(index, _)| index)
        .collect()
}

/// For each crate, the services that link it (themselves included).
fn linking_services(
    service_of: &BTreeMap<usize, String>,
    links: &[Vec<usize>],
) -> Vec<BTreeSet<usize>> {
    let mut linked_by: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); links.len()];
    for &service in service_of.keys() {
        let mut stack = vec![service];
        let mut seen = HashSet::new();
        while let Some(current) = stack.pop() {
            if !seen.insert(current) {
                continue;
            }
            // Another service's crate linked for its types brings its own calls, not ours.
            if current != service && service_of.contains_key(&current) {
                continue;
            }
            linked_by[current].insert(service);
            stack.extend(links[current].iter().copied());
        }
    }
    linked_by
}
