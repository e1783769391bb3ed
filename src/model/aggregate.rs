//! Crate-level dependencies rolled up to capabilities or teams: one edge per ordered pair,
//! counting the crate dependencies (by kind) and code references behind it; and the run-time
//! graph rolled up the same way: the synchronous calls and the shared topics between units.

use super::graph::{CrateGraph, CrateNode, Node, Site};
use super::metrics::UNOWNED;
use super::services::{RuntimeEdge, RuntimeKind, RuntimeNode, ServiceGraph, ServiceNode};
use crate::core::{DepKind, NodeId};
use std::collections::{BTreeMap, BTreeSet};

/// How many units on each side of a topic are paired up: a topic read and written by
/// thousands of services would otherwise make millions of pairs.
pub const MAX_TOPIC_UNITS: usize = 64;

/// The unit dependencies are rolled up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Capability,
    Team,
}

impl Level {
    pub fn prefix(self) -> &'static str {
        match self {
            Level::Capability => "capability",
            Level::Team => "team",
        }
    }

    /// The id of the unit named `name` at this level.
    pub fn id(self, name: &str) -> NodeId {
        match self {
            Level::Capability => NodeId::Capability(name.to_string()),
            Level::Team => NodeId::Team(name.to_string()),
        }
    }

    /// The unit a crate belongs to at this level.
    pub fn of_crate(self, krate: &CrateNode) -> Option<&str> {
        match self {
            Level::Capability => krate.capability.as_deref(),
            Level::Team => krate.team.as_deref(),
        }
    }

    /// The unit a service belongs to at this level.
    pub fn of_service(self, service: &ServiceNode) -> Option<&str> {
        match self {
            Level::Capability => service.capability.as_deref(),
            Level::Team => service.team.as_deref(),
        }
    }
}

/// One crate dependency behind an aggregated edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CrateEdge {
    pub from: NodeId,
    pub to: NodeId,
    pub kind: DepKind,
    pub refs: u32,
    /// The repository of the depending crate, and the manifest line declaring the dependency.
    pub repo: String,
    pub declared_at: Site,
}

impl CrateEdge {
    /// The names of the two crates.
    pub fn crate_names(&self) -> (&str, &str) {
        (self.from.name(), self.to.name())
    }
}

/// Dependencies from one capability (or team) to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregateEdge {
    pub from: NodeId,
    pub to: NodeId,
    /// Crate dependencies by kind.
    pub normal: u32,
    pub dev: u32,
    pub build: u32,
    /// Code references across all of them.
    pub refs: u32,
    pub crate_edges: Vec<CrateEdge>,
}

impl AggregateEdge {
    pub fn crate_deps(&self) -> u32 {
        self.normal + self.dev + self.build
    }
}

/// The graph at one level: node ids (`capability:ID` / `team:ID`) and edges sorted by
/// endpoints.
#[derive(Debug, Clone, Default)]
pub struct AggregateGraph {
    pub nodes: Vec<NodeId>,
    pub edges: Vec<AggregateEdge>,
}

/// Rolls the crate graph up to `level`. The crates of no unit are rolled up as one unit,
/// [`UNOWNED`] (a node only when there are such crates), so that every dependency between
/// scanned crates that crosses units is counted somewhere. Dependencies inside one unit,
/// between co-owned crates that share an owning team ([`CrateNode::co_owned_with`]) and on
/// third-party crates are left out.
pub fn aggregate(graph: &CrateGraph, level: Level) -> AggregateGraph {
    let unit_of = |node: &Node| -> Option<NodeId> {
        let Node::Crate(krate) = node else {
            return None;
        };
        Some(level.id(level.of_crate(krate).unwrap_or(UNOWNED)))
    };
    let mut nodes: Vec<NodeId> = graph
        .nodes_by_id()
        .filter(|(id, _)| id.kind() == level.prefix())
        .map(|(id, _)| id.clone())
        .collect();
    let unowned = level.id(UNOWNED);
    if graph.crates().any(|k| level.of_crate(k).is_none()) && !nodes.contains(&unowned) {
        nodes.push(unowned);
        nodes.sort();
    }
    let mut edges: BTreeMap<(NodeId, NodeId), AggregateEdge> = BTreeMap::new();
    for (from, to, edge) in graph.edges_sorted() {
        let (Some(from_unit), Some(to_unit)) = (unit_of(from), unit_of(to)) else {
            continue;
        };
        if from_unit == to_unit || co_owned(from, to) {
            continue;
        }
        let entry = edges
            .entry((from_unit.clone(), to_unit.clone()))
            .or_insert_with(|| AggregateEdge {
                from: from_unit,
                to: to_unit,
                normal: 0,
                dev: 0,
                build: 0,
                refs: 0,
                crate_edges: Vec::new(),
            });
        match edge.kind {
            DepKind::Normal => entry.normal += 1,
            DepKind::Dev => entry.dev += 1,
            DepKind::Build => entry.build += 1,
        }
        entry.refs += edge.refs;
        let repo = match from {
            Node::Crate(krate) => krate.repo.clone(),
            _ => String::new(),
        };
        entry.crate_edges.push(CrateEdge {
            from: from.id(),
            to: to.id(),
            kind: edge.kind,
            refs: edge.refs,
            repo,
            declared_at: edge.declared_at.clone(),
        });
    }
    AggregateGraph {
        nodes,
        edges: edges.into_values().collect(),
    }
}

fn co_owned(from: &Node, to: &Node) -> bool {
    matches!((from, to), (Node::Crate(from), Node::Crate(to)) if from.co_owned_with(to))
}

/// A synchronous call from a service of one unit to a service of another.
#[derive(Debug, Clone, Copy)]
pub struct UnitCall<'a> {
    pub caller: &'a ServiceNode,
    pub callee: &'a ServiceNode,
    pub edge: &'a RuntimeEdge,
}

/// A topic that couples two units: `reader` (of the depending unit) subscribes to it and
/// `writer` (of the other) publishes to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopicLink<'a> {
    pub topic: &'a str,
    pub reader: &'a str,
    pub writer: &'a str,
}

/// What couples one unit to another at run time.
#[derive(Debug, Clone)]
pub struct RuntimeAggregateEdge<'a> {
    /// The caller's, or the subscriber's, unit.
    pub from: NodeId,
    /// The callee's, or the publisher's, unit.
    pub to: NodeId,
    /// Call edges between their services, in the service graph's order.
    pub calls: Vec<UnitCall<'a>>,
    /// Topics between them, one link each, by topic.
    pub topics: Vec<TopicLink<'a>>,
}

/// Rolls the service graph up to `level`: synchronous calls between services of different
/// units, and topics one unit's service subscribes to and another's publishes. Services of
/// no unit, and whatever stays inside one unit, are left out. A topic pairs at most
/// [`MAX_TOPIC_UNITS`] units of each side (the first by id), each through its first service.
/// Sorted by endpoints.
pub fn aggregate_runtime(services: &ServiceGraph, level: Level) -> Vec<RuntimeAggregateEdge<'_>> {
    let mut edges: RuntimeEdges = BTreeMap::new();
    // Per topic, its (unit, service) pairs on each side, sorted.
    let mut publishers: BTreeMap<&str, BTreeSet<(&str, &str)>> = BTreeMap::new();
    let mut subscribers: BTreeMap<&str, BTreeSet<(&str, &str)>> = BTreeMap::new();
    for (from, to, edge) in services.edges_sorted() {
        let RuntimeNode::Service(caller) = from else {
            continue;
        };
        let Some(unit) = level.of_service(caller) else {
            continue;
        };
        match (edge.kind, to) {
            (RuntimeKind::Calls, RuntimeNode::Service(callee)) => {
                let Some(callee_unit) = level.of_service(callee) else {
                    continue;
                };
                if unit != callee_unit {
                    entry(&mut edges, level, unit, callee_unit)
                        .calls
                        .push(UnitCall {
                            caller,
                            callee,
                            edge,
                        });
                }
            }
            (RuntimeKind::Publishes, RuntimeNode::Topic(topic)) => {
                publishers
                    .entry(topic.as_str())
                    .or_default()
                    .insert((unit, caller.name.as_str()));
            }
            (RuntimeKind::Subscribes, RuntimeNode::Topic(topic)) => {
                subscribers
                    .entry(topic.as_str())
                    .or_default()
                    .insert((unit, caller.name.as_str()));
            }
            _ => {}
        }
    }
    // A topic couples every unit reading it to every unit writing it: quadratic, hence the
    // bound on each side.
    for (&topic, writers) in &publishers {
        let writers = first_per_unit(writers);
        for (reader_unit, reader) in first_per_unit(subscribers.get(topic).into_iter().flatten()) {
            for &(writer_unit, writer) in &writers {
                if writer_unit != reader_unit {
                    entry(&mut edges, level, reader_unit, writer_unit)
                        .topics
                        .push(TopicLink {
                            topic,
                            reader,
                            writer,
                        });
                }
            }
        }
    }
    edges.into_values().collect()
}

type RuntimeEdges<'a> = BTreeMap<(NodeId, NodeId), RuntimeAggregateEdge<'a>>;

/// The edge from unit `from` to unit `to` (bare ids), added if new.
fn entry<'e, 'a>(
    edges: &'e mut RuntimeEdges<'a>,
    level: Level,
    from: &str,
    to: &str,
) -> &'e mut RuntimeAggregateEdge<'a> {
    let (from, to) = (level.id(from), level.id(to));
    edges
        .entry((from.clone(), to.clone()))
        .or_insert_with(|| RuntimeAggregateEdge {
            from,
            to,
            calls: Vec::new(),
            topics: Vec::new(),
        })
}

/// The first service of each unit, for at most [`MAX_TOPIC_UNITS`] units (by id).
fn first_per_unit<'s, 'a: 's>(
    services: impl IntoIterator<Item = &'s (&'a str, &'a str)>,
) -> Vec<(&'a str, &'a str)> {
    let mut units: Vec<(&str, &str)> = Vec::new();
    for &(unit, service) in services {
        // The set is sorted by unit, then service: the first of a unit comes first.
        if units.last().is_none_or(|(last, _)| *last != unit) {
            if units.len() == MAX_TOPIC_UNITS {
                break;
            }
            units.push((unit, service));
        }
    }
    units
}
