//! Crate-level dependencies rolled up to capabilities or teams: one edge per ordered pair,
//! counting the crate dependencies (by kind) and code references behind it.

use super::graph::{CrateGraph, Node};
use crate::core::{DepKind, NodeId};
use std::collections::BTreeMap;

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
}

/// One crate dependency behind an aggregated edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CrateEdge {
    pub from: NodeId,
    pub to: NodeId,
    pub kind: DepKind,
    pub refs: u32,
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

/// Rolls the crate graph up to `level`. Dependencies inside one unit, on third-party crates
/// and of crates nobody owns are left out.
pub fn aggregate(graph: &CrateGraph, level: Level) -> AggregateGraph {
    let unit_of = |node: &Node| -> Option<NodeId> {
        let Node::Crate(krate) = node else {
            return None;
        };
        let unit = match level {
            Level::Capability => krate.capability.as_ref(),
            Level::Team => krate.team.as_ref(),
        }?;
        Some(level.id(unit))
    };
    let nodes: Vec<NodeId> = graph
        .nodes_by_id()
        .filter(|(id, _)| id.kind() == level.prefix())
        .map(|(id, _)| id.clone())
        .collect();
    let mut edges: BTreeMap<(NodeId, NodeId), AggregateEdge> = BTreeMap::new();
    for (from, to, edge) in graph.edges_sorted() {
        let (Some(from_unit), Some(to_unit)) = (unit_of(from), unit_of(to)) else {
            continue;
        };
        if from_unit == to_unit {
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
        entry.crate_edges.push(CrateEdge {
            from: from.id(),
            to: to.id(),
            kind: edge.kind,
            refs: edge.refs,
        });
    }
    AggregateGraph {
        nodes,
        edges: edges.into_values().collect(),
    }
}
