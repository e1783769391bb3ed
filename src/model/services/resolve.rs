//! Phase 4, resolve: every piece of evidence turned into the edges it adds, one per service
//! that runs its crate, each call with its callee resolved (or `unknown`), its endpoint and
//! whether its client has a timeout. Nothing is aggregated yet: that is the edges phase.

use super::detect::Detected;
use super::evidence::{GrpcEvidence, HitEvidence};
use super::nodes::{full_grpc_name, grpc_servers, service_nodes};
use super::resolver::{Resolution, Resolver, Url, service_names_and_crates};
use super::routes::Routed;
use super::{Confidence, Inputs, RuntimeKind, ServiceGraph};
use crate::core::NodeId;
use crate::extract::detectors::Role;
use crate::extract::services::Part;
use crate::model::graph::Site;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// An edge's key: (caller, callee or `topic:NAME`/`table:NAME`, kind, protocol).
/// (caller, callee, kind, protocol): the caller is a service name, the callee a service, the
/// unknown service, a topic or a table.
pub(super) type EdgeKey = (String, NodeId, RuntimeKind, Option<&'static str>);

/// One piece of evidence and the edges it adds.
pub(super) struct Connection {
    pub site: Site,
    /// The repository of the site.
    pub repo: String,
    /// The library crate holding the site, when it is not a service's own crate.
    pub via: Option<String>,
    /// What is called (calls only).
    pub endpoint: Option<String>,
    /// Whether the client used has a timeout, `None` when unknown (calls only).
    pub timeout: Option<bool>,
    /// Per service running the site, in service order: its edge and, for calls, how its
    /// callee was found.
    pub targets: Vec<(EdgeKey, Option<Resolution>)>,
    /// The same for binaries that are not services (CLIs, jobs, benchmarks): calls kept
    /// apart from the service graph.
    pub apart: Vec<(EdgeKey, Option<Resolution>)>,
}

/// The service nodes and every connection, in evidence order (HTTP and the other hits
/// first, then gRPC clients), the order in which the edges phase aggregates them.
pub(super) struct Resolved {
    pub graph: ServiceGraph,
    pub connections: Vec<Connection>,
}

pub(super) fn resolve<'a>(inputs: &Inputs<'a>, routed: Routed<'a>) -> Resolved {
    let Routed { detected, routes } = routed;
    let grpc_servers = grpc_servers(inputs, &detected);
    let (mut graph, service_names) = service_nodes(inputs, &detected, &routes, &grpc_servers);
    graph.binaries = detected.binaries.clone();
    let resolver = Resolver {
        config: inputs.config,
        wiring: inputs.wiring,
        services: &service_names,
        routes: graph
            .services()
            .map(|s| (s.name.clone(), s.routes.clone()))
            .collect(),
        named: service_names_and_crates(&service_names, |package| {
            inputs.packages.packages[package].name.clone()
        }),
    };
    let connections = {
        let calls = Calls {
            inputs,
            detected: &detected,
            graph: &graph,
            resolver,
            timeouts: ClientTimeouts::of(&detected.evidence.hits),
            grpc_servers: &grpc_servers,
        };
        let evidence = &detected.evidence;
        let mut connections: Vec<Connection> = evidence
            .hits
            .iter()
            .enumerate()
            .filter_map(|(i, e)| calls.hit(i, e))
            .collect();
        let clients = evidence
            .grpc
            .iter()
            .enumerate()
            .filter(|(_, g)| g.fact.client);
        connections.extend(clients.filter_map(|(i, g)| calls.grpc(i, g)));
        connections
    };
    Resolved { graph, connections }
}

/// Client timeouts per (crate, file), and per (crate, "") for the whole crate.
struct ClientTimeouts<'e>(HashMap<(usize, &'e str), Vec<bool>>);

impl<'e> ClientTimeouts<'e> {
    fn of(hits: &'e [HitEvidence]) -> Self {
        let mut client_timeouts: HashMap<(usize, &str), Vec<bool>> = HashMap::new();
        for e in hits.iter().filter(|e| e.hit.role == Role::HttpClient) {
            client_timeouts
                .entry((e.package, &e.path))
                .or_default()
                .push(e.hit.timeout);
            client_timeouts
                .entry((e.package, ""))
                .or_default()
                .push(e.hit.timeout);
        }
        ClientTimeouts(client_timeouts)
    }

    /// Which client a call uses is not tracked: when the clients built in its file (or, if
    /// none, in its crate) disagree, the call's timeout is unknown rather than a guess.
    fn at(&self, package: usize, path: &str) -> Option<bool> {
        let builds = self
            .0
            .get(&(package, path))
            .or_else(|| self.0.get(&(package, "")))?;
        let first = *builds.first()?;
        builds.iter().all(|&t| t == first).then_some(first)
    }
}

/// What resolving a connection needs from the earlier phases.
struct Calls<'r, 'a> {
    inputs: &'r Inputs<'a>,
    detected: &'r Detected<'a>,
    /// The service nodes, for the services of a capability.
    graph: &'r ServiceGraph,
    resolver: Resolver<'r>,
    timeouts: ClientTimeouts<'r>,
    grpc_servers: &'r BTreeMap<String, BTreeSet<usize>>,
}

impl Calls<'_, '_> {
    /// The connection of a call, publish, subscribe, read or write; `None` for other hits,
    /// for hits no service runs and for topics and tables without a literal name.
    fn hit(&self, index: usize, e: &HitEvidence) -> Option<Connection> {
        let detected = self.detected;
        let callers = detected.hit_callers(index);
        let others = detected.hit_others(index);
        if callers.is_empty() && (others.is_empty() || e.hit.role != Role::HttpCall) {
            return None;
        }
        let (to, kind) = match e.hit.role {
            Role::HttpCall => {
                let mut connection = self.connection(e.package, &e.path, e.hit.line);
                self.http(e, &callers, &mut connection);
                if !others.is_empty() {
                    let mut apart = self.connection(e.package, &e.path, e.hit.line);
                    self.http(e, &others, &mut apart);
                    connection.apart = apart.targets;
                }
                return Some(connection);
            }
            Role::Publish | Role::Subscribe => {
                let value = detected.evidence.values.resolve(e.package, &e.hit.value);
                let [Part::Lit(topic)] = &value[..] else {
                    return None;
                };
                let kind = if e.hit.role == Role::Publish {
                    RuntimeKind::Publishes
                } else {
                    RuntimeKind::Subscribes
                };
                (NodeId::Topic(topic.clone()), kind)
            }
            // Table names are read by the extractor itself, never through constants.
            Role::Sql | Role::Table => {
                let [Part::Lit(table)] = &e.hit.value[..] else {
                    return None;
                };
                let kind = if e.hit.verb.as_deref() == Some("write") {
                    RuntimeKind::Writes
                } else {
                    RuntimeKind::Reads
                };
                (NodeId::Table(table.clone()), kind)
            }
            _ => return None,
        };
        let mut connection = self.connection(e.package, &e.path, e.hit.line);
        connection.targets = callers
            .into_iter()
            .map(|caller| ((caller, to.clone(), kind, None), None))
            .collect();
        Some(connection)
    }

    /// An HTTP call's endpoint, timeout and, per caller, its callee: the `Resolver`'s, else
    /// for a call in a contract crate with no host, the one service of its capability.
    fn http(&self, e: &HitEvidence, callers: &[String], connection: &mut Connection) {
        let value = self
            .detected
            .evidence
            .values
            .resolve(e.package, &e.hit.value);
        let url = Url::of(&value);
        connection.endpoint = Some(format!(
            "{}{}",
            e.hit
                .verb
                .as_ref()
                .map_or(String::new(), |v| format!("{v} ")),
            url.display
        ));
        connection.timeout = if e.hit.guarded {
            Some(true)
        } else if e.hit.default_client {
            Some(e.hit.timeout)
        } else {
            self.timeouts.at(e.package, &e.path)
        };
        let package = &self.inputs.packages.packages[e.package];
        let contract_services = self
            .inputs
            .crates
            .crate_named(&package.id_name)
            .filter(|k| k.contract)
            .and_then(|k| k.capability.clone())
            .map(|c| self.capability_services(&c))
            .unwrap_or_default();
        let client_of = self.client_crate_of(e.package);
        for caller in callers {
            let mut resolution = self.resolver.resolve(caller, &url, e.hit.verb.as_deref());
            if resolution.callee.is_none()
                && resolution.by == "unresolved"
                && url.host.is_none()
                && connection.via.is_some()
                && let [only] = &contract_services[..]
            {
                resolution = Resolution {
                    callee: Some(only.clone()),
                    by: "client-crate",
                    confidence: Confidence::Medium,
                };
            }
            // A client library of one service, calling a path that service serves (from the
            // service itself: another instance of it, which is no edge).
            if resolution.callee.is_none()
                && resolution.by == "unresolved"
                && url.host.is_none()
                && let (Some(service), Some(path)) = (&client_of, &url.path)
                && self.resolver.serves(service, path, e.hit.verb.as_deref())
            {
                resolution = Resolution {
                    callee: Some(service.to_string()),
                    by: "client-crate",
                    confidence: Confidence::Medium,
                };
            }
            if resolution.callee.as_deref() == Some(caller.as_str()) {
                continue;
            }
            let key = call_key(caller, &resolution, "http");
            connection.targets.push((key, Some(resolution)));
        }
    }

    /// A gRPC client's connection: its callee is the one service serving that gRPC service,
    /// unless two .proto files define the name. `None` when it is not evidence of gRPC.
    fn grpc(&self, index: usize, g: &GrpcEvidence) -> Option<Connection> {
        let proto_services = &self.inputs.wiring.proto_services;
        let known_proto = proto_services.contains_key(&g.fact.service);
        // Two .proto files defining a service of that name: the short name proves nothing.
        let ambiguous_proto = proto_services
            .get(&g.fact.service)
            .is_some_and(|full| full.len() > 1);
        let service_of = &self.detected.service_of;
        let servers: Vec<String> = self
            .grpc_servers
            .get(&g.fact.service)
            .map(|s| s.iter().map(|i| service_of[i].clone()).collect())
            .unwrap_or_default();
        // Without a .proto or a server of that name, `FooClient::new` is not evidence of gRPC
        // unless the path shows tonic's generated module (`foo_client::FooClient`).
        if !known_proto && servers.is_empty() && !g.fact.module.ends_with("_client") {
            return None;
        }
        let mut connection = self.connection(g.package, &g.path, g.fact.line);
        connection.endpoint = Some(full_grpc_name(self.inputs.wiring, &g.fact.service));
        connection.timeout = Some(g.fact.timeout);
        let callers = self.detected.grpc_callers(index);
        let others = self.detected.grpc_others(index);
        for (caller, apart) in callers
            .iter()
            .map(|c| (c, false))
            .chain(others.iter().map(|c| (c, true)))
        {
            let resolution = match &servers[..] {
                [only] if !ambiguous_proto => Resolution {
                    callee: Some(only.clone()),
                    by: if known_proto { "proto" } else { "grpc-server" },
                    confidence: Confidence::High,
                },
                _ => Resolution::unresolved(),
            };
            if resolution.callee.as_deref() == Some(caller.as_str()) {
                continue;
            }
            let key = call_key(caller, &resolution, "grpc");
            if apart {
                connection.apart.push((key, Some(resolution)));
            } else {
                connection.targets.push((key, Some(resolution)));
            }
        }
        Some(connection)
    }

    /// A connection at a site of `package`, with no edges yet.
    fn connection(&self, package: usize, path: &Arc<str>, line: u32) -> Connection {
        let krate = &self.inputs.packages.packages[package];
        Connection {
            site: Site {
                path: path.clone(),
                line,
            },
            repo: self.inputs.discovery.roots[krate.root].name.clone(),
            via: (!self.detected.service_crates.contains(&package)).then(|| krate.name.clone()),
            endpoint: None,
            timeout: None,
            targets: Vec::new(),
            apart: Vec::new(),
        }
    }

    /// The one service a library crate is the client of: the library sits inside the
    /// service's crate directory (`pageserver/client` of `pageserver`), or is named after it
    /// with `_client` (`pageserver_client`, `orders-client`). `None` for a service's own crate,
    /// or when it could be several services' client.
    fn client_crate_of(&self, package: usize) -> Option<String> {
        if self.detected.service_crates.contains(&package) {
            return None;
        }
        let packages = &self.inputs.packages.packages;
        let library = &packages[package];
        let normal = |name: &str| name.to_lowercase().replace('-', "_");
        let client_name = normal(&library.name);
        let mut found: Vec<&String> = Vec::new();
        for (service, &index) in self.resolver.services {
            let owner = &packages[index];
            let inside = owner.root == library.root
                && !owner.dir.is_empty()
                && library.dir.starts_with(&format!("{}/", owner.dir));
            let named = [service.as_str(), owner.name.as_str()]
                .iter()
                .any(|base| client_name == format!("{}_client", normal(base)));
            if (inside || named) && !found.contains(&service) {
                found.push(service);
            }
        }
        match found[..] {
            [only] => Some(only.clone()),
            _ => None,
        }
    }

    fn capability_services(&self, capability: &str) -> Vec<String> {
        self.graph
            .services()
            .filter(|s| s.capability.as_deref() == Some(capability))
            .map(|s| s.name.clone())
            .collect()
    }
}

/// The edge of a call: to its callee, or to the unknown service.
fn call_key(caller: &str, resolution: &Resolution, protocol: &'static str) -> EdgeKey {
    (
        caller.to_string(),
        resolution
            .callee
            .clone()
            .map_or(NodeId::UnknownService, NodeId::Service),
        RuntimeKind::Calls,
        Some(protocol),
    )
}
