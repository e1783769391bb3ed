//! The run-time graph: services (binaries that serve routes or gRPC, and workers), the
//! routes they serve, and their `calls`, `publishes`, `subscribes`, `reads` and `writes`
//! edges to services, topics and tables; beside it every binary with its kind.
//!
//! Each call is resolved to its callee from the strongest evidence available, in order:
//! capgraph.toml `hosts`/`env`; env wiring in deploy files (docker-compose, Kubernetes); a
//! literal host naming a service; a gRPC service served by exactly one crate; the one service
//! whose routes match the call's path; the one service of the capability whose contract crate
//! holds the call. Anything ambiguous stays `unknown` with its evidence: a wrong edge is worse
//! than a missing one.
//!
//! The graph is built in phases, each a function from the previous phase's result to the
//! next: `evidence` (links between crates, hits, constants and fields) → `reach` (which
//! binaries run each hit) → `detect` (each binary's kind; which are services) → `routes`
//! (what each serves) → `resolve` (every connection with
//! its callee) → `edges` (connections aggregated into the graph).

mod detect;
mod edges;
mod evidence;
mod nodes;
mod reach;
mod resolve;
mod resolver;
mod routes;
mod text;
mod values;

pub use detect::{BinaryInfo, BinaryKind};
pub use text::normalize_route;

use super::graph::{CrateGraph, Site};
use super::packages::PackageSet;
use crate::config::Config;
use crate::core::NodeId;
use crate::discover::Discovery;
use crate::extract::FileFacts;
use crate::extract::detectors::Detectors;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeMap, BTreeSet};

/// The name the node calls go to when their callee is not known is shown with; its id is
/// [`NodeId::UnknownService`], so no real service of that name is mistaken for it.
pub const UNKNOWN_SERVICE: &str = crate::core::ids::UNKNOWN_NAME;

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
    /// The id: the `[services]` id when declared, else the binary's name.
    pub name: String,
    /// The binary (empty for the unknown node).
    pub binary: String,
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
    /// Whether this is the node calls go to when their callee is not known (never a real
    /// service, whatever its name).
    pub unknown: bool,
}

/// A node of the run-time graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeNode {
    Service(ServiceNode),
    Topic(String),
    Table(String),
}

impl RuntimeNode {
    pub fn id(&self) -> NodeId {
        match self {
            RuntimeNode::Service(s) if s.unknown => NodeId::UnknownService,
            RuntimeNode::Service(s) => NodeId::Service(s.name.clone()),
            RuntimeNode::Topic(t) => NodeId::Topic(t.clone()),
            RuntimeNode::Table(t) => NodeId::Table(t.clone()),
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

/// A call of a binary that is not a service, kept apart from the service graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptApartCall {
    pub binary: String,
    /// A service, or the unknown callee.
    pub to: NodeId,
    pub edge: RuntimeEdge,
}

/// The run-time graph.
#[derive(Debug, Default)]
pub struct ServiceGraph {
    pub graph: DiGraph<RuntimeNode, RuntimeEdge>,
    /// Every binary of the scanned packages with its kind; only services and workers are
    /// nodes of `graph`.
    pub binaries: Vec<BinaryInfo>,
    /// The calls of binaries that are not services (CLIs, jobs, benchmarks, test tools),
    /// resolved like services' calls but kept out of the graph and the rules; sorted.
    pub kept_apart: Vec<KeptApartCall>,
    index: BTreeMap<NodeId, NodeIndex>,
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

    pub fn node_index(&self, id: &NodeId) -> Option<NodeIndex> {
        self.index.get(id).copied()
    }

    /// Nodes ordered by id.
    pub fn nodes_by_id(&self) -> impl Iterator<Item = (&NodeId, &RuntimeNode)> {
        self.index
            .iter()
            .map(|(id, &index)| (id, &self.graph[index]))
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

/// What every phase reads: the scanned files, their facts and the crate-level model.
struct Inputs<'a> {
    discovery: &'a Discovery,
    facts: &'a [Option<FileFacts>],
    packages: &'a PackageSet,
    crates: &'a CrateGraph,
    config: &'a Config,
    detectors: &'a Detectors,
    wiring: &'a Wiring,
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
    let inputs = Inputs {
        discovery,
        facts,
        packages,
        crates,
        config,
        detectors,
        wiring,
    };
    let linked = evidence::link(&inputs);
    let evidence = evidence::gather(&inputs, linked);
    let reach = reach::reach(&inputs, &evidence);
    let detected = detect::detect(&inputs, evidence, reach);
    let routed = routes::compose(detected);
    let resolved = resolve::resolve(&inputs, routed);
    edges::edges(resolved)
}
