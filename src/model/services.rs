//! The run-time graph: services (crates whose binaries serve routes or gRPC, or that call,
//! publish or subscribe), the routes they serve, and their `calls`, `publishes`,
//! `subscribes`, `reads` and `writes` edges to services, topics and tables.
//!
//! Each call is resolved to its callee from the strongest evidence available, in order:
//! capgraph.toml `hosts`/`env`; env wiring in deploy files (docker-compose, Kubernetes); a
//! literal host naming a service; a gRPC service served by exactly one crate; the one service
//! whose routes match the call's path; the one service of the capability whose contract crate
//! holds the call. Anything ambiguous stays `unknown` with its evidence: a wrong edge is worse
//! than a missing one.

use super::graph::{CrateGraph, Node, Site};
use super::packages::{CodeContext, PackageSet};
use crate::config::Config;
use crate::discover::{Discovery, FileKind};
use crate::extract::FileFacts;
use crate::extract::detectors::{Detectors, Role};
use crate::extract::services::{GrpcFact, Hit, Part, Value};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// The id of the node calls go to when their callee is not known.
pub const UNKNOWN_SERVICE: &str = "unknown";

/// A route a service serves.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Route {
    /// `GET`, `GET,POST`, or empty when any method.
    pub verb: String,
    /// The full path template with parameters as `{}`: `/v1/orders/{}`.
    pub path: String,
    pub site: Site,
}

/// A service: a crate's binary seen at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceNode {
    /// The id: the `[services]` id when declared, else the crate name.
    pub name: String,
    /// The crate whose binary it is (empty for the unknown node).
    pub krate: String,
    pub repo: String,
    pub capability: Option<String>,
    pub team: Option<String>,
    /// Declared in capgraph.toml, rather than only detected.
    pub declared: bool,
    pub routes: Vec<Route>,
    /// gRPC services it serves, full names where a .proto file gives them.
    pub grpc: Vec<String>,
}

/// A node of the run-time graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeNode {
    Service(ServiceNode),
    Topic(String),
    Table(String),
}

impl RuntimeNode {
    pub fn id(&self) -> String {
        match self {
            RuntimeNode::Service(s) => format!("service:{}", s.name),
            RuntimeNode::Topic(t) => format!("topic:{t}"),
            RuntimeNode::Table(t) => format!("table:{t}"),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            RuntimeNode::Service(s) => &s.name,
            RuntimeNode::Topic(t) | RuntimeNode::Table(t) => t,
        }
    }
}

/// What a run-time edge is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuntimeKind {
    Calls,
    Publishes,
    Subscribes,
    Reads,
    Writes,
}

impl RuntimeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuntimeKind::Calls => "calls",
            RuntimeKind::Publishes => "publishes",
            RuntimeKind::Subscribes => "subscribes",
            RuntimeKind::Reads => "reads",
            RuntimeKind::Writes => "writes",
        }
    }
}

/// How sure a resolution is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// A run-time edge, aggregated over its sites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeEdge {
    pub kind: RuntimeKind,
    /// `http` or `grpc` for calls.
    pub protocol: Option<&'static str>,
    /// The distinct endpoints called: `GET {CATALOG_URL}/v1/products/{}`, a gRPC service.
    pub endpoints: Vec<String>,
    /// How the callee was found: `config`, `deploy`, `host`, `proto`, `route`, `client-crate`.
    pub resolved_by: Vec<&'static str>,
    /// The weakest confidence among the sites' resolutions.
    pub confidence: Option<Confidence>,
    /// Whether every client behind the calls is built with a timeout; `None` when unknown.
    pub timeout: Option<bool>,
    /// Library crates holding the sites, when not the service's own crate.
    pub via: Vec<String>,
    /// The repository of the sites (the caller's side).
    pub repo: String,
    pub sites: Vec<Site>,
    /// Each site with what it calls and whether its client has a timeout, sorted.
    pub calls: Vec<CallSite>,
}

/// One site of a run-time edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CallSite {
    pub site: Site,
    /// The endpoint called there (calls only).
    pub endpoint: Option<String>,
    /// Whether the client used there has a timeout; `None` when unknown (calls only).
    pub timeout: Option<bool>,
}

/// The run-time graph.
#[derive(Debug, Default)]
pub struct ServiceGraph {
    pub graph: DiGraph<RuntimeNode, RuntimeEdge>,
    index: BTreeMap<String, NodeIndex>,
}

impl ServiceGraph {
    fn add_node(&mut self, node: RuntimeNode) -> NodeIndex {
        let id = node.id();
        if let Some(&index) = self.index.get(&id) {
            return index;
        }
        let index = self.graph.add_node(node);
        self.index.insert(id, index);
        index
    }

    pub fn node_index(&self, id: &str) -> Option<NodeIndex> {
        self.index.get(id).copied()
    }

    /// Nodes ordered by id.
    pub fn nodes_by_id(&self) -> impl Iterator<Item = (&str, &RuntimeNode)> {
        self.index
            .iter()
            .map(|(id, &index)| (id.as_str(), &self.graph[index]))
    }

    /// The services, ordered by name.
    pub fn services(&self) -> impl Iterator<Item = &ServiceNode> {
        self.nodes_by_id().filter_map(|(_, node)| match node {
            RuntimeNode::Service(s) => Some(s),
            _ => None,
        })
    }

    /// Edges sorted by (from id, to id, kind, protocol).
    pub fn edges_sorted(&self) -> Vec<(&RuntimeNode, &RuntimeNode, &RuntimeEdge)> {
        use petgraph::visit::EdgeRef;
        let mut edges: Vec<_> = self
            .graph
            .edge_references()
            .map(|e| (&self.graph[e.source()], &self.graph[e.target()], e.weight()))
            .collect();
        edges.sort_by_cached_key(|(from, to, edge)| (from.id(), to.id(), edge.kind, edge.protocol));
        edges
    }
}

/// A piece of evidence, attributed to a crate, before services are known.
struct Evidence<'f> {
    package: usize,
    path: Arc<str>,
    hit: &'f Hit,
}

struct GrpcEvidence<'f> {
    package: usize,
    path: Arc<str>,
    fact: &'f GrpcFact,
}

/// What a call resolved to.
struct Resolution {
    callee: Option<String>,
    by: &'static str,
    confidence: Confidence,
}

/// What the non-Rust files say: env var values per workload and the host names workloads
/// answer to (deploy files), and the full names of gRPC services (.proto files).
#[derive(Default)]
pub struct Wiring {
    /// Workload name → its declarations, in file order; their environment is looked up by
    /// [`Wiring::env_value`], never flattened (ConfigMaps are shared between workloads).
    pub workloads: BTreeMap<String, Vec<crate::extract::Workload>>,
    /// host → workloads.
    pub hosts: BTreeMap<String, BTreeSet<String>>,
    /// gRPC service short name → full names (`Payments` → `acme.payments.v1.Payments`).
    pub proto_services: BTreeMap<String, BTreeSet<String>>,
}

impl Wiring {
    /// The value `workload` gives env var `var`: from the first file (in discovery order)
    /// that sets it, the smallest of that file's values, so the answer does not depend on
    /// the thread count.
    pub fn env_value(&self, workload: &str, var: &str) -> Option<&str> {
        self.workloads.get(workload)?.iter().find_map(|declared| {
            declared
                .env_values(var)
                .first()
                .map(|binding| binding.value.as_str())
        })
    }
}

/// Builds the run-time graph.
pub fn build(
    discovery: &Discovery,
    facts: &[Option<FileFacts>],
    packages: &PackageSet,
    crates: &CrateGraph,
    config: &Config,
    detectors: &Detectors,
    wiring: &Wiring,
) -> ServiceGraph {
    let proto_services = &wiring.proto_services;
    let count = packages.packages.len();
    // Package names of each crate's normal dependencies, scanned or third-party.
    let mut normal_deps: Vec<HashSet<String>> = vec![HashSet::new(); count];
    let mut links: Vec<Vec<usize>> = vec![Vec::new(); count];
    let by_name: HashMap<&str, usize> = packages
        .packages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.name.as_str(), i))
        .collect();
    for (from, to, edge) in crates.edges_sorted() {
        if edge.kind != crate::extract::DepKind::Normal {
            continue;
        }
        let (Node::Crate(from), to_name) = (from, to.name()) else {
            continue;
        };
        let Some(&from_index) = by_name.get(from.name.as_str()) else {
            continue;
        };
        normal_deps[from_index].insert(to_name.to_string());
        // A library's call sites count for the services that use it: a dependency declared
        // but never referenced in code links nothing.
        if let Node::Crate(to) = to
            && edge.refs > 0
            && let Some(&to_index) = by_name.get(to.name.as_str())
        {
            links[from_index].push(to_index);
        }
    }
    let pattern_applies = |package: usize, pattern: u16| {
        let crates = &detectors.pattern(pattern).crates;
        crates.is_empty() || crates.iter().any(|c| normal_deps[package].contains(c))
    };

    // Gather the evidence of every crate's non-test code, and its constants and fields.
    let mut evidence: Vec<Evidence> = Vec::new();
    let mut grpc: Vec<GrpcEvidence> = Vec::new();
    let mut consts: HashMap<&str, BTreeSet<&Value>> = HashMap::new();
    let mut crate_consts: HashMap<(usize, &str), BTreeSet<&Value>> = HashMap::new();
    let mut fields: HashMap<(usize, &str), BTreeSet<&Value>> = HashMap::new();
    for (file, file_facts) in discovery.files.iter().zip(facts) {
        if file.kind != FileKind::RustSource {
            continue;
        }
        let Some(FileFacts::Rust(source)) = file_facts else {
            continue;
        };
        let Some((package, context)) = packages.owner_of(file.root, &file.rel_path) else {
            continue;
        };
        let services = &source.services;
        for assignment in &services.consts {
            consts
                .entry(&assignment.name)
                .or_default()
                .insert(&assignment.value);
            crate_consts
                .entry((package, &assignment.name))
                .or_default()
                .insert(&assignment.value);
        }
        if context != CodeContext::Normal {
            continue;
        }
        for assignment in &services.fields {
            fields
                .entry((package, &assignment.name))
                .or_default()
                .insert(&assignment.value);
        }
        let path: Arc<str> = Arc::from(file.rel_path.as_str());
        for hit in &services.hits {
            if !hit.in_test && pattern_applies(package, hit.pattern) {
                evidence.push(Evidence {
                    package,
                    path: path.clone(),
                    hit,
                });
            }
        }
        for fact in &services.grpc {
            let uses_grpc = detectors
                .grpc
                .crates
                .iter()
                .any(|c| normal_deps[package].contains(c));
            if !fact.in_test && uses_grpc {
                grpc.push(GrpcEvidence {
                    package,
                    path: path.clone(),
                    fact,
                });
            }
        }
    }
    let lib_names: HashMap<&str, usize> = packages
        .packages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((p.lib.as_deref()?, i)))
        .collect();
    let resolve_value = |package: usize, value: &Value| -> Value {
        let mut out = Vec::new();
        for part in value {
            let resolved: Option<&Value> = match part {
                // The crate's own constant of that name, else the organization's one (an
                // imported `ORDER_STATUS`); a crate that defines the name never borrows it.
                Part::Const(name) => match name.split_once("::") {
                    // Imported from a crate by `use`: that crate's constant.
                    Some((krate, name)) => lib_names
                        .get(krate)
                        .and_then(|&owner| unique(crate_consts.get(&(owner, name)))),
                    None => match crate_consts.get(&(package, name.as_str())) {
                        Some(values) => unique(Some(values)),
                        None => unique(consts.get(name.as_str())),
                    },
                }
                .filter(|value| value[..] != [Part::Hole]),
                Part::Field(name) => field_value(&fields, package, name),
                _ => None,
            };
            match resolved {
                // A field's value may itself use a constant.
                Some(inner) => {
                    for part in inner {
                        let part = match part {
                            Part::Const(name) => unique(consts.get(name.as_str()))
                                .filter(|value| value[..] != [Part::Hole])
                                .and_then(|v| match &v[..] {
                                    [single] => Some(single.clone()),
                                    _ => None,
                                })
                                .unwrap_or(Part::Hole),
                            other => other.clone(),
                        };
                        push(&mut out, part);
                    }
                }
                None => push(
                    &mut out,
                    match part {
                        Part::Const(_) | Part::Field(_) => Part::Hole,
                        other => other.clone(),
                    },
                ),
            }
        }
        out
    };

    // Services: declared ones, and crates with a binary and run-time evidence.
    let mut service_of: BTreeMap<usize, String> = BTreeMap::new();
    let mut declared: HashSet<String> = HashSet::new();
    for (id, service) in &config.services {
        let krate = service.krate.clone().unwrap_or_else(|| id.clone());
        if let Some(&index) = by_name.get(krate.as_str()) {
            service_of.insert(index, id.clone());
            declared.insert(id.clone());
        }
    }
    let serving: HashSet<usize> = evidence
        .iter()
        .filter(|e| matches!(e.hit.role, Role::Route | Role::RouteMount))
        .map(|e| e.package)
        .chain(grpc.iter().filter(|g| !g.fact.client).map(|g| g.package))
        .collect();
    let active: HashSet<usize> = evidence
        .iter()
        .map(|e| e.package)
        .chain(grpc.iter().map(|g| g.package))
        .collect();
    // A binary is a service when it, or a library it uses in code, serves, calls, publishes
    // or subscribes: a worker whose only calls sit in a client library is one too.
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
    for (index, package) in packages.packages.iter().enumerate() {
        let has_bin = !package.bins.is_empty();
        if has_bin && (serving.contains(&index) || uses_active(index)) {
            service_of
                .entry(index)
                .or_insert_with(|| package.name.clone());
        }
    }

    // Which services link each crate (themselves included), through normal dependencies.
    let mut linked_by: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); count];
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

    // Routes, with router composition across functions of a crate. A function is known by
    // its file and name; a mount names it by path (`orders::routes`), matched on the name and
    // on the module the file is (`orders.rs`, `orders/mod.rs`). A mount that could mean two
    // functions places neither: their routes are left out rather than given a wrong prefix.
    let mut routes: BTreeMap<usize, BTreeSet<Route>> = BTreeMap::new();
    for &package in service_of.keys() {
        let own: Vec<&Evidence> = evidence.iter().filter(|e| e.package == package).collect();
        let key = |e: &Evidence| e.hit.scope.as_ref().map(|s| format!("{}#{s}", e.path));
        let functions: BTreeSet<(String, &str, &str)> = own
            .iter()
            .filter_map(|e| Some((key(e)?, e.hit.scope.as_deref()?, &*e.path)))
            .collect();
        let mut mount_edges: Vec<(String, String, String)> = Vec::new();
        let mut mounted: HashSet<String> = HashSet::new();
        let mut unplaced: HashSet<String> = HashSet::new();
        for mount in own.iter().filter(|e| e.hit.role == Role::RouteMount) {
            let (Some(from), Some(target)) = (key(mount), &mount.hit.target) else {
                continue;
            };
            let mut segments = target.rsplit("::");
            let name = segments.next().unwrap_or(target);
            let module = segments
                .next()
                .filter(|m| !matches!(*m, "self" | "crate" | "super"));
            let named = |in_module: bool| -> Vec<&String> {
                functions
                    .iter()
                    .filter(|(_, function, path)| {
                        *function == name
                            && (!in_module || module.is_none_or(|m| module_of(path) == m))
                    })
                    .map(|(key, _, _)| key)
                    .collect()
            };
            // An inline `mod orders { .. }` is not a file: then the name alone must do.
            let mut candidates = named(true);
            if candidates.is_empty() {
                candidates = named(false);
            }
            match candidates[..] {
                [only] => {
                    mounted.insert(only.clone());
                    let added = format!("{}{}", mount.hit.prefix, value_text(&mount.hit.value));
                    mount_edges.push((from, only.clone(), added));
                }
                _ => unplaced.extend(candidates.into_iter().cloned()),
            }
        }
        // Functions mounted nowhere serve at the root; mounted ones under each prefix that
        // reaches them, followed through up to eight levels of nesting.
        let mut prefixes_of: HashMap<String, BTreeSet<String>> = HashMap::new();
        let mut frontier: Vec<(String, String)> = functions
            .iter()
            .map(|(key, _, _)| key)
            .filter(|key| !mounted.contains(*key) && !unplaced.contains(*key))
            .map(|key| (key.clone(), String::new()))
            .collect();
        for _ in 0..8 {
            let mut next = Vec::new();
            for (function, prefix) in frontier {
                if !prefixes_of
                    .entry(function.clone())
                    .or_default()
                    .insert(prefix.clone())
                {
                    continue;
                }
                for (from, to, added) in &mount_edges {
                    if *from == function {
                        next.push((to.clone(), format!("{prefix}{added}")));
                    }
                }
            }
            frontier = next;
        }
        let set = routes.entry(package).or_default();
        let root = BTreeSet::from([String::new()]);
        for e in own.iter().filter(|e| e.hit.role == Role::Route) {
            let prefixes = match key(e) {
                Some(key) => match prefixes_of.get(&key) {
                    Some(prefixes) => prefixes,
                    None if mounted.contains(&key) || unplaced.contains(&key) => continue,
                    None => &root,
                },
                None => &root,
            };
            for prefix in prefixes {
                let path = format!("{prefix}{}{}", e.hit.prefix, value_text(&e.hit.value));
                set.insert(Route {
                    verb: e.hit.verb.clone().unwrap_or_default(),
                    path: normalize_route(&path),
                    site: Site {
                        path: e.path.clone(),
                        line: e.hit.line,
                    },
                });
            }
        }
    }

    // gRPC services served, by short name → serving crates.
    let mut grpc_servers: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for g in grpc.iter().filter(|g| !g.fact.client) {
        for &service in &linked_by[g.package] {
            grpc_servers
                .entry(g.fact.service.clone())
                .or_default()
                .insert(service);
        }
    }
    for (id, service) in &config.services {
        for name in &service.grpc {
            let short = name.rsplit('.').next().unwrap_or(name).to_string();
            if let Some((&index, _)) = service_of.iter().find(|(_, s)| *s == id) {
                grpc_servers.entry(short).or_default().insert(index);
            }
        }
    }
    let full_grpc_name = |short: &str| -> String {
        match proto_services.get(short) {
            Some(full) if full.len() == 1 => full.iter().next().expect("one").clone(),
            _ => short.to_string(),
        }
    };

    // The graph: service nodes first.
    let mut out = ServiceGraph::default();
    let mut service_names: BTreeMap<String, usize> = BTreeMap::new();
    for (&index, name) in &service_of {
        let package = &packages.packages[index];
        let krate = crates.crate_named(&package.name);
        let grpc_names: BTreeSet<String> = grpc_servers
            .iter()
            .filter(|(_, servers)| servers.contains(&index))
            .map(|(short, _)| full_grpc_name(short))
            .collect();
        out.add_node(RuntimeNode::Service(ServiceNode {
            name: name.clone(),
            krate: package.name.clone(),
            repo: discovery.roots[package.root].name.clone(),
            capability: krate.and_then(|k| k.capability.clone()),
            team: krate.and_then(|k| k.team.clone()),
            declared: declared.contains(name),
            routes: routes
                .get(&index)
                .map(|r| r.iter().cloned().collect())
                .unwrap_or_default(),
            grpc: grpc_names.into_iter().collect(),
        }));
        service_names.insert(name.clone(), index);
    }

    // Client timeouts per crate and per file.
    let mut client_timeouts: HashMap<(usize, &str), Vec<bool>> = HashMap::new();
    for e in evidence.iter().filter(|e| e.hit.role == Role::HttpClient) {
        client_timeouts
            .entry((e.package, &e.path))
            .or_default()
            .push(e.hit.timeout);
        client_timeouts
            .entry((e.package, ""))
            .or_default()
            .push(e.hit.timeout);
    }
    // Which client a call uses is not tracked: when the clients built in its file (or, if
    // none, in its crate) disagree, the call's timeout is unknown rather than a guess.
    let timeout_at = |package: usize, path: &str| -> Option<bool> {
        let builds = client_timeouts
            .get(&(package, path))
            .or_else(|| client_timeouts.get(&(package, "")))?;
        let first = *builds.first()?;
        builds.iter().all(|&t| t == first).then_some(first)
    };

    let capability_services = |capability: &str| -> Vec<String> {
        out.services()
            .filter(|s| s.capability.as_deref() == Some(capability))
            .map(|s| s.name.clone())
            .collect()
    };
    let resolver = Resolver {
        config,
        wiring,
        services: &service_names,
        routes: out
            .services()
            .map(|s| (s.name.clone(), s.routes.clone()))
            .collect(),
    };

    let mut builders: BTreeMap<(String, String, RuntimeKind, Option<&'static str>), EdgeBuilder> =
        BTreeMap::new();
    for e in &evidence {
        let callers: Vec<String> = linked_by[e.package]
            .iter()
            .map(|i| service_of[i].clone())
            .collect();
        if callers.is_empty() {
            continue;
        }
        let package = &packages.packages[e.package];
        let site = Site {
            path: e.path.clone(),
            line: e.hit.line,
        };
        let via = (!service_of.contains_key(&e.package)).then(|| package.name.clone());
        let repo = discovery.roots[package.root].name.clone();
        match e.hit.role {
            Role::HttpCall => {
                let value = resolve_value(e.package, &e.hit.value);
                let url = Url::of(&value);
                let endpoint = format!(
                    "{}{}",
                    e.hit
                        .verb
                        .as_ref()
                        .map_or(String::new(), |v| format!("{v} ")),
                    url.display
                );
                let contract_services = crates
                    .crate_named(&package.name)
                    .filter(|k| k.contract)
                    .and_then(|k| k.capability.clone())
                    .map(|c| capability_services(&c))
                    .unwrap_or_default();
                for caller in &callers {
                    let mut resolution = resolver.resolve(caller, &url, e.hit.verb.as_deref());
                    if resolution.callee.is_none()
                        && resolution.by == "unresolved"
                        && url.host.is_none()
                        && via.is_some()
                        && let [only] = &contract_services[..]
                    {
                        resolution = Resolution {
                            callee: Some(only.clone()),
                            by: "client-crate",
                            confidence: Confidence::Medium,
                        };
                    }
                    if resolution.callee.as_deref() == Some(caller.as_str()) {
                        continue;
                    }
                    let key = (
                        caller.clone(),
                        resolution
                            .callee
                            .clone()
                            .unwrap_or_else(|| UNKNOWN_SERVICE.to_string()),
                        RuntimeKind::Calls,
                        Some("http"),
                    );
                    let builder = builders.entry(key).or_default();
                    builder.add(
                        &site,
                        &repo,
                        via.as_deref(),
                        Some(&endpoint),
                        Some(&resolution),
                        if e.hit.default_client {
                            Some(e.hit.timeout)
                        } else {
                            timeout_at(e.package, &e.path)
                        },
                    );
                }
            }
            Role::Publish | Role::Subscribe => {
                let value = resolve_value(e.package, &e.hit.value);
                let [Part::Lit(topic)] = &value[..] else {
                    continue;
                };
                let kind = if e.hit.role == Role::Publish {
                    RuntimeKind::Publishes
                } else {
                    RuntimeKind::Subscribes
                };
                for caller in &callers {
                    let key = (caller.clone(), format!("topic:{topic}"), kind, None);
                    builders.entry(key).or_default().add(
                        &site,
                        &repo,
                        via.as_deref(),
                        None,
                        None,
                        None,
                    );
                }
            }
            Role::Sql | Role::Table => {
                let [Part::Lit(table)] = &e.hit.value[..] else {
                    continue;
                };
                let kind = if e.hit.verb.as_deref() == Some("write") {
                    RuntimeKind::Writes
                } else {
                    RuntimeKind::Reads
                };
                for caller in &callers {
                    let key = (caller.clone(), format!("table:{table}"), kind, None);
                    builders.entry(key).or_default().add(
                        &site,
                        &repo,
                        via.as_deref(),
                        None,
                        None,
                        None,
                    );
                }
            }
            _ => {}
        }
    }
    for g in grpc.iter().filter(|g| g.fact.client) {
        let known_proto = proto_services.contains_key(&g.fact.service);
        // Two .proto files defining a service of that name: the short name proves nothing.
        let ambiguous_proto = proto_services
            .get(&g.fact.service)
            .is_some_and(|full| full.len() > 1);
        let servers: Vec<String> = grpc_servers
            .get(&g.fact.service)
            .map(|s| s.iter().map(|i| service_of[i].clone()).collect())
            .unwrap_or_default();
        // Without a .proto or a server of that name, `FooClient::new` is not evidence of gRPC
        // unless the path shows tonic's generated module (`foo_client::FooClient`).
        if !known_proto && servers.is_empty() && !g.fact.module.ends_with("_client") {
            continue;
        }
        let package = &packages.packages[g.package];
        let site = Site {
            path: g.path.clone(),
            line: g.fact.line,
        };
        let via = (!service_of.contains_key(&g.package)).then(|| package.name.clone());
        let repo = discovery.roots[package.root].name.clone();
        let endpoint = full_grpc_name(&g.fact.service);
        for caller in linked_by[g.package].iter().map(|i| &service_of[i]) {
            let resolution = match &servers[..] {
                [only] if !ambiguous_proto => Resolution {
                    callee: Some(only.clone()),
                    by: if known_proto { "proto" } else { "grpc-server" },
                    confidence: Confidence::High,
                },
                _ => Resolution {
                    callee: None,
                    by: "unresolved",
                    confidence: Confidence::Low,
                },
            };
            if resolution.callee.as_deref() == Some(caller.as_str()) {
                continue;
            }
            let key = (
                caller.clone(),
                resolution
                    .callee
                    .clone()
                    .unwrap_or_else(|| UNKNOWN_SERVICE.to_string()),
                RuntimeKind::Calls,
                Some("grpc"),
            );
            builders.entry(key).or_default().add(
                &site,
                &repo,
                via.as_deref(),
                Some(&endpoint),
                Some(&resolution),
                Some(g.fact.timeout),
            );
        }
    }

    for ((from, to, kind, protocol), builder) in builders {
        let from_index = out
            .node_index(&format!("service:{from}"))
            .expect("callers are services");
        let to_index = match to.split_once(':') {
            Some(("topic", name)) => out.add_node(RuntimeNode::Topic(name.to_string())),
            Some(("table", name)) => out.add_node(RuntimeNode::Table(name.to_string())),
            _ => match out.node_index(&format!("service:{to}")) {
                Some(index) => index,
                None => out.add_node(RuntimeNode::Service(ServiceNode {
                    name: to.clone(),
                    krate: String::new(),
                    repo: String::new(),
                    capability: None,
                    team: None,
                    declared: false,
                    routes: Vec::new(),
                    grpc: Vec::new(),
                })),
            },
        };
        out.graph
            .add_edge(from_index, to_index, builder.finish(kind, protocol));
    }
    out
}

/// The one value assigned to a field: `Type::field` exactly, or a bare `field` (its owner
/// unknown at the use) when every assignment to a field of that name in the crate agrees.
fn field_value<'v>(
    fields: &HashMap<(usize, &str), BTreeSet<&'v Value>>,
    package: usize,
    name: &str,
) -> Option<&'v Value> {
    if name.contains("::") {
        return unique(fields.get(&(package, name)));
    }
    let suffix = format!("::{name}");
    let values: BTreeSet<&Value> = fields
        .iter()
        .filter(|((p, field), _)| *p == package && (*field == name || field.ends_with(&suffix)))
        .flat_map(|(_, values)| values.iter().copied())
        .collect();
    unique(Some(&values))
}

fn unique<'v>(values: Option<&BTreeSet<&'v Value>>) -> Option<&'v Value> {
    let values = values?;
    (values.len() == 1).then(|| *values.iter().next().expect("one"))
}

fn push(value: &mut Value, part: Part) {
    if let (Some(Part::Lit(last)), Part::Lit(text)) = (value.last_mut(), &part) {
        last.push_str(text);
        return;
    }
    value.push(part);
}

/// The module a source file is: `orders` for `src/orders.rs` and `src/orders/mod.rs`, empty
/// for a crate root.
fn module_of(path: &str) -> &str {
    let mut parts = path.rsplit('/');
    let file = parts.next().unwrap_or(path);
    match file.strip_suffix(".rs").unwrap_or(file) {
        "mod" => parts.next().unwrap_or(""),
        "main" | "lib" => "",
        stem => stem,
    }
}

/// A value as text, unknown parts as `{}` and env vars as `{NAME}`.
fn value_text(value: &Value) -> String {
    value
        .iter()
        .map(|part| match part {
            Part::Lit(text) => text.clone(),
            Part::Env(name) => format!("{{{name}}}"),
            _ => "{}".to_string(),
        })
        .collect()
}

/// A route template with its parameters written as `{}`: axum `:id` and `*rest`, actix and
/// poem `{id}`, rocket `<id>`.
pub fn normalize_route(path: &str) -> String {
    let mut out = String::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        let parameter = segment.starts_with(':')
            || segment.starts_with('*')
            || (segment.starts_with('{') && segment.ends_with('}'))
            || (segment.starts_with('<') && segment.ends_with('>'));
        out.push_str(if parameter { "{}" } else { segment });
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// What a call's URL tells: its host or env var, and its path template.
struct Url {
    env: Option<String>,
    host: Option<String>,
    /// The path template with `{}` for unknown segments, when it is known from its start.
    path: Option<String>,
    display: String,
}

impl Url {
    fn of(value: &Value) -> Url {
        let display = value_text(value);
        let (env, host, rest) = match value.first() {
            Some(Part::Env(name)) => (Some(name.clone()), None, &value[1..]),
            Some(Part::Lit(text)) if text.contains("://") => {
                let after = &text[text.find("://").expect("contains") + 3..];
                let (authority, path) = after.split_at(after.find('/').unwrap_or(after.len()));
                let host = authority.rsplit('@').next().unwrap_or(authority);
                let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
                let mut rest = vec![Part::Lit(path.to_string())];
                rest.extend(value[1..].iter().cloned());
                return Url {
                    env: None,
                    host: Some(host),
                    path: path_template(&rest),
                    display,
                };
            }
            Some(Part::Hole) => (None, None, &value[1..]),
            _ => (None, None, &value[..]),
        };
        Url {
            env,
            host,
            path: path_template(rest),
            display,
        }
    }
}

fn path_template(parts: &[Part]) -> Option<String> {
    match parts.first() {
        Some(Part::Lit(text)) if text.starts_with('/') => {
            let text = value_text(&parts.to_vec());
            let text = text.split(['?', '#']).next().unwrap_or(&text);
            Some(normalize_route(text))
        }
        _ => None,
    }
}

struct Resolver<'a> {
    config: &'a Config,
    wiring: &'a Wiring,
    services: &'a BTreeMap<String, usize>,
    routes: BTreeMap<String, Vec<Route>>,
}

impl Resolver<'_> {
    fn resolve(&self, caller: &str, url: &Url, verb: Option<&str>) -> Resolution {
        let found = |callee: String, by, confidence| Resolution {
            callee: Some(callee),
            by,
            confidence,
        };
        if let Some(env) = &url.env {
            if let Some((id, _)) = self
                .config
                .services
                .iter()
                .find(|(_, s)| s.env.iter().any(|e| e == env))
            {
                return found(id.clone(), "config", Confidence::High);
            }
            if let Some(host) = self.env_host(caller, env) {
                return match self.host_service(&host) {
                    Some((service, _)) => found(service, "deploy", Confidence::High),
                    // The variable points outside the organization's services.
                    None => Resolution {
                        callee: None,
                        by: "deploy",
                        confidence: Confidence::Low,
                    },
                };
            }
        }
        if let Some(host) = &url.host {
            return match self.host_service(host) {
                Some((service, by)) => found(service, by, Confidence::High),
                None => Resolution {
                    callee: None,
                    by: "host",
                    confidence: Confidence::Low,
                },
            };
        }
        if let Some(path) = &url.path {
            let matching: Vec<&String> = self
                .routes
                .iter()
                .filter(|(service, _)| service.as_str() != caller)
                .filter(|(_, routes)| routes.iter().any(|r| route_matches(r, path, verb)))
                .map(|(service, _)| service)
                .collect();
            if let [only] = &matching[..] {
                return found((*only).clone(), "route", Confidence::Medium);
            }
        }
        Resolution {
            callee: None,
            by: "unresolved",
            confidence: Confidence::Low,
        }
    }

    /// The host an env var points at for `caller`: its own workload's value, or the value
    /// every workload that sets the variable agrees on.
    fn env_host(&self, caller: &str, env: &str) -> Option<String> {
        let value = match self.wiring.env_value(caller, env) {
            Some(value) => value.to_string(),
            None => {
                let values: BTreeSet<&str> = self
                    .wiring
                    .workloads
                    .keys()
                    .filter_map(|workload| self.wiring.env_value(workload, env))
                    .collect();
                let [only] = values.into_iter().collect::<Vec<_>>()[..] else {
                    return None;
                };
                only.to_string()
            }
        };
        Url::of(&vec![Part::Lit(value)]).host
    }

    /// The service a host name reaches: config `hosts`, then deploy workloads, then a
    /// service of that very name.
    fn host_service(&self, host: &str) -> Option<(String, &'static str)> {
        if let Some((id, _)) = self
            .config
            .services
            .iter()
            .find(|(_, s)| s.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)))
        {
            return Some((id.clone(), "config"));
        }
        if let Some(workloads) = self.wiring.hosts.get(host)
            && let [only] = &workloads.iter().collect::<Vec<_>>()[..]
            && self.services.contains_key(*only)
        {
            return Some(((*only).clone(), "deploy"));
        }
        if self.services.contains_key(host) {
            return Some((host.to_string(), "host"));
        }
        // Kubernetes names a Service `NAME.NAMESPACE.svc.cluster.local` (or a shorter form).
        let first = host.split('.').next().unwrap_or(host);
        let cluster = host.ends_with(".svc") || host.contains(".svc.");
        if first != host && cluster {
            return self.host_service(first);
        }
        None
    }
}

fn route_matches(route: &Route, path: &str, verb: Option<&str>) -> bool {
    if let Some(verb) = verb
        && !route.verb.is_empty()
        && !route.verb.split(',').any(|v| v == verb)
    {
        return false;
    }
    let served: Vec<&str> = route.path.split('/').collect();
    let called: Vec<&str> = path.split('/').collect();
    served.len() == called.len()
        && served
            .iter()
            .zip(&called)
            .all(|(s, c)| *s == "{}" || *c == "{}" || s == c)
        // Only a literal segment both sides share is evidence: `/{}` matches anything.
        && served
            .iter()
            .zip(&called)
            .any(|(s, c)| !s.is_empty() && *s != "{}" && s == c)
}

#[derive(Default)]
struct EdgeBuilder {
    calls: BTreeSet<CallSite>,
    endpoints: BTreeSet<String>,
    resolved_by: BTreeSet<&'static str>,
    confidence: Option<Confidence>,
    timeouts: Vec<Option<bool>>,
    via: BTreeSet<String>,
    repo: String,
    sites: BTreeSet<Site>,
}

impl EdgeBuilder {
    fn add(
        &mut self,
        site: &Site,
        repo: &str,
        via: Option<&str>,
        endpoint: Option<&str>,
        resolution: Option<&Resolution>,
        timeout: Option<bool>,
    ) {
        self.sites.insert(site.clone());
        self.calls.insert(CallSite {
            site: site.clone(),
            endpoint: endpoint.map(str::to_string),
            timeout: resolution.and(timeout),
        });
        if self.repo.is_empty() {
            self.repo = repo.to_string();
        }
        self.via.extend(via.map(str::to_string));
        self.endpoints.extend(endpoint.map(str::to_string));
        if let Some(resolution) = resolution {
            self.resolved_by.insert(resolution.by);
            self.confidence = Some(
                self.confidence
                    .map_or(resolution.confidence, |c| c.min(resolution.confidence)),
            );
            self.timeouts.push(timeout);
        }
    }

    fn finish(self, kind: RuntimeKind, protocol: Option<&'static str>) -> RuntimeEdge {
        let timeout = if self.timeouts.is_empty() || self.timeouts.iter().any(Option::is_none) {
            if self.timeouts.contains(&Some(false)) {
                Some(false)
            } else {
                None
            }
        } else {
            Some(self.timeouts.iter().all(|t| *t == Some(true)))
        };
        RuntimeEdge {
            kind,
            protocol,
            endpoints: self.endpoints.into_iter().collect(),
            resolved_by: self.resolved_by.into_iter().collect(),
            confidence: self.confidence,
            timeout,
            via: self.via.into_iter().collect(),
            repo: self.repo,
            sites: self.sites.into_iter().collect(),
            calls: self.calls.into_iter().collect(),
        }
    }
}
