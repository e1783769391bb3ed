//! `graph.json` (schema `capgraph.graph/v1`): nodes sorted by id, edges by endpoints and
//! kind, keys in a fixed order, so that the same input always gives the same bytes. Written
//! with `escape::write_json`, so that printed in a CI log no name is a workflow command.

use super::GraphView;
use crate::core::NodeId;
use crate::model::aggregate::{AggregateGraph, Level};
use crate::model::metrics::{Metrics, UNOWNED, UnitMetrics};
use crate::model::services::{Route, RuntimeNode, ServiceGraph};
use crate::model::{CrateGraph, Node, Site};
use serde::Serialize;
use std::io::{self, Write};

pub const GRAPH_SCHEMA: &str = "capgraph.graph/v1";

#[derive(Serialize)]
struct FullGraphDocument<'a> {
    schema: &'static str,
    nodes: Vec<AnyNodeJson<'a>>,
    edges: Vec<AnyEdgeJson<'a>>,
    binaries: Vec<BinaryJson<'a>>,
}

// One value per node, built and written at once: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Serialize)]
#[serde(untagged)]
enum AnyNodeJson<'a> {
    Crate(NodeJson<'a>),
    Runtime(RuntimeNodeJson<'a>),
}

#[derive(Serialize)]
#[serde(untagged)]
enum AnyEdgeJson<'a> {
    Crate(EdgeJson<'a>),
    Runtime(RuntimeEdgeJson<'a>),
}

#[derive(Serialize)]
struct RuntimeNodeJson<'a> {
    id: &'a NodeId,
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    repo: Option<&'a str>,
    #[serde(rename = "crate", skip_serializing_if = "Option::is_none")]
    krate: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    binary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    capability: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    declared: bool,
    #[serde(skip_serializing_if = "<[Route]>::is_empty")]
    routes: &'a [Route],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    grpc: &'a [String],
}

#[derive(Serialize)]
struct RuntimeEdgeJson<'a> {
    from: NodeId,
    to: NodeId,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    protocol: Option<&'static str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    endpoints: &'a [String],
    #[serde(skip_serializing_if = "<[&str]>::is_empty")]
    resolved_by: &'a [&'static str],
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timeout: Option<bool>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    via: &'a [String],
    repo: &'a str,
    sites: &'a [Site],
}

fn runtime_nodes(services: &ServiceGraph) -> impl Iterator<Item = (NodeId, RuntimeNodeJson<'_>)> {
    services.nodes_by_id().map(|(id, node)| {
        let mut json = RuntimeNodeJson {
            id,
            kind: match node {
                RuntimeNode::Service(_) => "service",
                RuntimeNode::Topic(_) => "topic",
                RuntimeNode::Table(_) => "table",
            },
            name: node.name(),
            repo: None,
            krate: None,
            binary: None,
            capability: None,
            team: None,
            declared: false,
            routes: &[],
            grpc: &[],
        };
        if let RuntimeNode::Service(service) = node {
            json.repo = (!service.repo.is_empty()).then_some(service.repo.as_str());
            json.krate = (!service.krate.is_empty()).then_some(service.krate.as_str());
            json.binary = (!service.binary.is_empty()).then_some(service.binary.as_str());
            json.capability = service.capability.as_deref();
            json.team = service.team.as_deref();
            json.declared = service.declared;
            json.routes = &service.routes;
            json.grpc = &service.grpc;
        }
        (id.clone(), json)
    })
}

#[derive(Serialize)]
struct BinaryJson<'a> {
    name: &'a str,
    #[serde(rename = "crate")]
    krate: &'a str,
    kind: &'static str,
    reason: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<&'a str>,
    /// The calls of a binary that is not a service, kept apart from the graph.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    calls: Vec<KeptApartJson<'a>>,
}

#[derive(Serialize)]
struct KeptApartJson<'a> {
    to: &'a NodeId,
    protocol: Option<&'static str>,
    endpoints: &'a [String],
    resolved_by: &'a [&'static str],
    #[serde(skip_serializing_if = "Option::is_none")]
    timeout: Option<bool>,
    repo: &'a str,
    sites: &'a [Site],
}

/// The binaries, sorted by (crate, name).
fn binaries(services: &ServiceGraph) -> Vec<BinaryJson<'_>> {
    let mut out: Vec<BinaryJson> = services
        .binaries
        .iter()
        .map(|b| BinaryJson {
            name: &b.name,
            krate: &b.krate,
            kind: b.kind.as_str(),
            reason: &b.reason,
            service: b.service.as_deref(),
            calls: services
                .kept_apart
                .iter()
                .filter(|call| call.binary == b.id && b.service.is_none())
                .map(|call| KeptApartJson {
                    to: &call.to,
                    protocol: call.edge.protocol,
                    endpoints: &call.edge.endpoints,
                    resolved_by: &call.edge.resolved_by,
                    timeout: call.edge.timeout,
                    repo: &call.edge.repo,
                    sites: &call.edge.sites,
                })
                .collect(),
        })
        .collect();
    out.sort_by(|a, b| (a.krate, a.name).cmp(&(b.krate, b.name)));
    out
}

fn runtime_edges(services: &ServiceGraph) -> Vec<RuntimeEdgeJson<'_>> {
    services
        .edges_sorted()
        .into_iter()
        .map(|(from, to, edge)| RuntimeEdgeJson {
            from: from.id(),
            to: to.id(),
            kind: edge.kind.as_str(),
            protocol: edge.protocol,
            endpoints: &edge.endpoints,
            resolved_by: &edge.resolved_by,
            confidence: edge.confidence.map(|c| c.as_str()),
            timeout: edge.timeout,
            via: &edge.via,
            repo: &edge.repo,
            sites: &edge.sites,
        })
        .collect()
}

/// Writes the run-time graph (`--level service`): services, topics and tables.
pub fn write_service_graph(services: &ServiceGraph, out: &mut dyn Write) -> io::Result<()> {
    #[derive(Serialize)]
    struct ServiceDocument<'a> {
        schema: &'static str,
        level: &'static str,
        nodes: Vec<RuntimeNodeJson<'a>>,
        edges: Vec<RuntimeEdgeJson<'a>>,
        binaries: Vec<BinaryJson<'a>>,
    }
    let document = ServiceDocument {
        schema: GRAPH_SCHEMA,
        level: "service",
        nodes: runtime_nodes(services).map(|(_, json)| json).collect(),
        edges: runtime_edges(services),
        binaries: binaries(services),
    };
    super::escape::write_json(&document, &mut *out)?;
    out.write_all(b"\n")
}

#[derive(Serialize)]
struct NodeJson<'a> {
    id: NodeId,
    kind: &'static str,
    name: &'a str,
    /// The unit the crates of no team (or capability) are rolled up under.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    unowned: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    handles: Option<&'a [String]>,
    /// `team`, `review-group` or `individual`, for a team node.
    #[serde(skip_serializing_if = "Option::is_none")]
    owner_kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    capability_kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repo: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manifest: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    workspace: Option<&'a str>,
    /// A package of no workspace.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    standalone: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    lib: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bins: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    files: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    capability: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owners: Option<&'a [String]>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    maintainers: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    owner_source: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    contract: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    undeclared_uses: Vec<UndeclaredJson<'a>>,
    /// Coupling numbers of a capability or team.
    #[serde(skip_serializing_if = "Option::is_none")]
    metrics: Option<UnitMetrics>,
}

impl<'a> NodeJson<'a> {
    fn new(id: &NodeId, node: &'a Node) -> NodeJson<'a> {
        let kind = match node {
            Node::Team(_) => "team",
            Node::Capability(_) => "capability",
            Node::Crate(_) => "crate",
            Node::External { .. } => "external",
        };
        NodeJson::bare(id, kind, node.name())
    }

    fn bare(id: &NodeId, kind: &'static str, name: &'a str) -> NodeJson<'a> {
        NodeJson {
            id: id.clone(),
            kind,
            name,
            unowned: false,
            handles: None,
            owner_kind: None,
            capability_kind: None,
            repo: None,
            path: None,
            manifest: None,
            workspace: None,
            standalone: false,
            lib: None,
            bins: None,
            files: None,
            capability: None,
            team: None,
            owners: None,
            maintainers: &[],
            owner_source: None,
            contract: false,
            undeclared_uses: Vec::new(),
            metrics: None,
        }
    }
}

#[derive(Serialize)]
struct UndeclaredJson<'a> {
    to: &'a NodeId,
    refs: u32,
    sites: &'a [Site],
}

#[derive(Serialize)]
struct EdgeJson<'a> {
    from: NodeId,
    to: NodeId,
    kind: &'static str,
    dep_kind: &'static str,
    refs: u32,
    sites: &'a [Site],
    declared_at: &'a Site,
    source: &'static str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    optional: bool,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    platforms: &'a [String],
}

/// Writes the crate graph as pretty-printed JSON, ending with a newline; capabilities and
/// teams carry their `metrics`.
pub fn write_crate_graph(
    graph: &CrateGraph,
    services: &ServiceGraph,
    metrics: &Metrics,
    view: GraphView,
    out: &mut dyn Write,
) -> io::Result<()> {
    let visible = |node: &Node| view.include_external || !matches!(node, Node::External { .. });
    let nodes = graph
        .nodes_by_id()
        .map(|(id, index)| (id, &graph.graph[index]))
        .filter(|(_, node)| visible(node))
        .map(|(id, node)| {
            let mut json = NodeJson::new(id, node);
            set_unit_fields(&mut json, node, metrics);
            match node {
                Node::Team(_) | Node::Capability(_) => {}
                Node::Crate(krate) => {
                    json.repo = Some(&krate.repo);
                    json.path = Some(&krate.path);
                    json.manifest = Some(&krate.manifest);
                    json.workspace = Some(&krate.workspace);
                    json.standalone = krate.standalone;
                    json.lib = krate.lib.as_deref();
                    json.bins = Some(&krate.bins);
                    json.files = Some(krate.files);
                    json.capability = krate.capability.as_deref();
                    json.team = krate.team.as_deref();
                    json.owners = Some(&krate.owners);
                    json.maintainers = &krate.maintainers;
                    json.owner_source = krate.owner_source.as_deref();
                    json.contract = krate.contract;
                    json.undeclared_uses = krate
                        .undeclared
                        .iter()
                        .map(|u| UndeclaredJson {
                            to: &u.target,
                            refs: u.refs,
                            sites: &u.sites,
                        })
                        .collect();
                }
                Node::External { .. } => {}
            }
            json
        })
        .collect();
    let edges = graph
        .edges_sorted()
        .into_iter()
        .filter(|(from, to, _)| visible(from) && visible(to))
        .map(|(from, to, edge)| EdgeJson {
            from: from.id(),
            to: to.id(),
            kind: "depends_on",
            dep_kind: edge.kind.as_str(),
            refs: edge.refs,
            sites: &edge.sites,
            declared_at: &edge.declared_at,
            source: edge.source,
            optional: edge.optional,
            platforms: &edge.platforms,
        })
        .collect();
    // One document for both graphs: nodes sorted by id, then edges by endpoints.
    let nodes: Vec<NodeJson> = nodes;
    let mut all_nodes: Vec<(NodeId, AnyNodeJson)> = nodes
        .into_iter()
        .map(|n| (n.id.clone(), AnyNodeJson::Crate(n)))
        .chain(runtime_nodes(services).map(|(id, n)| (id, AnyNodeJson::Runtime(n))))
        .collect();
    all_nodes.sort_by(|a, b| a.0.cmp(&b.0));
    let edges: Vec<EdgeJson> = edges;
    let mut all_edges: Vec<AnyEdgeJson> = edges.into_iter().map(AnyEdgeJson::Crate).collect();
    all_edges.extend(
        runtime_edges(services)
            .into_iter()
            .map(AnyEdgeJson::Runtime),
    );
    let document = FullGraphDocument {
        schema: GRAPH_SCHEMA,
        nodes: all_nodes.into_iter().map(|(_, n)| n).collect(),
        edges: all_edges,
        binaries: binaries(services),
    };
    super::escape::write_json(&document, &mut *out)?;
    out.write_all(b"\n")
}

#[derive(Serialize)]
struct AggregateDocument<'a> {
    schema: &'static str,
    level: &'static str,
    nodes: Vec<NodeJson<'a>>,
    edges: Vec<AggregateEdgeJson<'a>>,
}

#[derive(Serialize)]
struct AggregateEdgeJson<'a> {
    from: &'a NodeId,
    to: &'a NodeId,
    kind: &'static str,
    crate_deps: u32,
    normal: u32,
    dev: u32,
    build: u32,
    refs: u32,
    crate_edges: Vec<CrateEdgeJson<'a>>,
}

#[derive(Serialize)]
struct CrateEdgeJson<'a> {
    from: &'a NodeId,
    to: &'a NodeId,
    dep_kind: &'static str,
    refs: u32,
}

/// The fields of team and capability nodes, with their metrics.
fn set_unit_fields<'a>(json: &mut NodeJson<'a>, node: &'a Node, metrics: &Metrics) {
    match node {
        Node::Team(team) => {
            json.handles = Some(&team.handles);
            json.owner_kind = Some(team.kind.as_str());
            json.metrics = metrics.teams.get(&team.id).cloned();
        }
        Node::Capability(capability) => {
            json.capability_kind = Some(capability.kind.as_str());
            json.team = capability.team.as_deref();
            json.metrics = metrics.capabilities.get(&capability.id).cloned();
        }
        _ => {}
    }
}

/// The node the crates of no unit are rolled up under (`team:(unowned)`), marked `unowned`.
fn unowned_node<'a>(id: &NodeId, metrics: &Metrics, level: Level) -> Option<NodeJson<'a>> {
    if id.name() != UNOWNED {
        return None;
    }
    let mut json = NodeJson::bare(id, level.prefix(), UNOWNED);
    json.unowned = true;
    json.metrics = match level {
        Level::Capability => metrics.unowned_capability.clone(),
        Level::Team => metrics.unowned_team.clone(),
    };
    Some(json)
}

/// Writes a graph rolled up to capabilities or teams, with their `metrics`; the crates of no
/// unit are one node marked `unowned`.
pub fn write_aggregate(
    graph: &CrateGraph,
    metrics: &Metrics,
    rolled: &AggregateGraph,
    level: Level,
    out: &mut dyn Write,
) -> io::Result<()> {
    let nodes = rolled
        .nodes
        .iter()
        .filter_map(|id| {
            let Some(index) = graph.node_index(id) else {
                return unowned_node(id, metrics, level);
            };
            let node = &graph.graph[index];
            let mut json = NodeJson::new(id, node);
            set_unit_fields(&mut json, node, metrics);
            Some(json)
        })
        .collect();
    let edges = rolled
        .edges
        .iter()
        .map(|edge| AggregateEdgeJson {
            from: &edge.from,
            to: &edge.to,
            kind: "depends_on",
            crate_deps: edge.crate_deps(),
            normal: edge.normal,
            dev: edge.dev,
            build: edge.build,
            refs: edge.refs,
            crate_edges: edge
                .crate_edges
                .iter()
                .map(|e| CrateEdgeJson {
                    from: &e.from,
                    to: &e.to,
                    dep_kind: e.kind.as_str(),
                    refs: e.refs,
                })
                .collect(),
        })
        .collect();
    let document = AggregateDocument {
        schema: GRAPH_SCHEMA,
        level: level.prefix(),
        nodes,
        edges,
    };
    super::escape::write_json(&document, &mut *out)?;
    out.write_all(b"\n")
}
