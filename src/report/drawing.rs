//! What the DOT and Mermaid renderers draw, independent of the syntax: clusters of nodes and
//! styled, labelled edges, built from the crate graph or from a rolled-up level.

use super::GraphView;
use crate::config::CapabilityKind;
use crate::core::{DepKind, NodeId};
use crate::model::aggregate::{AggregateGraph, Level};
use crate::model::services::{RuntimeKind, RuntimeNode, ServiceGraph};
use crate::model::{CrateGraph, Node};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeStyle {
    /// A crate, or a product capability, or a team.
    Plain,
    /// A platform capability.
    Platform,
    /// A third-party crate.
    External,
    /// A message topic.
    Topic,
    /// A database table.
    Table,
    /// A callee no scanned service answers for.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeStyle {
    Solid,
    Dashed,
    Dotted,
}

#[derive(Debug, Clone)]
pub struct DrawNode {
    pub id: String,
    pub label: String,
    pub style: NodeStyle,
}

#[derive(Debug, Clone)]
pub struct DrawEdge {
    pub from: String,
    pub to: String,
    pub label: String,
    pub tooltip: String,
    pub style: EdgeStyle,
}

/// Nodes grouped in labelled clusters (and some outside any), and edges, all sorted.
#[derive(Debug, Clone, Default)]
pub struct Drawing {
    pub clusters: Vec<(String, Vec<DrawNode>)>,
    pub loose: Vec<DrawNode>,
    pub edges: Vec<DrawEdge>,
}

/// `1 ref`, `2 refs`.
fn count(n: u32, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn edge_style(kind: DepKind) -> EdgeStyle {
    match kind {
        DepKind::Normal => EdgeStyle::Solid,
        DepKind::Dev => EdgeStyle::Dashed,
        DepKind::Build => EdgeStyle::Dotted,
    }
}

/// Crates clustered by repository; third-party crates outside, when the view shows them.
pub fn crate_drawing(graph: &CrateGraph, view: GraphView) -> Drawing {
    let mut clusters: BTreeMap<String, Vec<DrawNode>> = BTreeMap::new();
    let mut loose = Vec::new();
    for (id, index) in graph.nodes_by_id() {
        match &graph.graph[index] {
            Node::Crate(krate) => clusters
                .entry(krate.repo.clone())
                .or_default()
                .push(DrawNode {
                    id: id.to_string(),
                    label: krate.name.clone(),
                    style: NodeStyle::Plain,
                }),
            Node::External { name } if view.include_external => loose.push(DrawNode {
                id: id.to_string(),
                label: name.clone(),
                style: NodeStyle::External,
            }),
            _ => {}
        }
    }
    let shown = |node: &Node| match node {
        Node::Crate(_) => true,
        Node::External { .. } => view.include_external,
        _ => false,
    };
    let edges = graph
        .edges_sorted()
        .into_iter()
        .filter(|(from, to, _)| shown(from) && shown(to))
        .map(|(from, to, edge)| DrawEdge {
            from: from.id().to_string(),
            to: to.id().to_string(),
            label: match edge.kind {
                DepKind::Normal => count(edge.refs, "ref"),
                kind => format!("{} · {}", kind.as_str(), count(edge.refs, "ref")),
            },
            tooltip: format!(
                "{} -> {} ({}, {} refs)",
                from.name(),
                to.name(),
                edge.kind.as_str(),
                edge.refs
            ),
            style: edge_style(edge.kind),
        })
        .collect();
    Drawing {
        clusters: clusters.into_iter().collect(),
        loose,
        edges,
    }
}

/// Capabilities clustered by team (or teams on their own), with rolled-up edges.
pub fn aggregate_drawing(graph: &CrateGraph, rolled: &AggregateGraph, level: Level) -> Drawing {
    let mut clusters: BTreeMap<String, Vec<DrawNode>> = BTreeMap::new();
    let mut loose = Vec::new();
    for id in &rolled.nodes {
        let Some(index) = graph.node_index(id) else {
            // The unit the crates of no team or capability are rolled up under.
            loose.push(DrawNode {
                id: id.to_string(),
                label: id.name().to_string(),
                style: NodeStyle::Unknown,
            });
            continue;
        };
        match &graph.graph[index] {
            Node::Capability(capability) => {
                let node = DrawNode {
                    id: id.to_string(),
                    label: capability.id.clone(),
                    style: match capability.kind {
                        CapabilityKind::Platform => NodeStyle::Platform,
                        CapabilityKind::Product => NodeStyle::Plain,
                    },
                };
                match &capability.team {
                    Some(team) if level == Level::Capability => {
                        let label = graph
                            .node_index(&NodeId::Team(team.clone()))
                            .map_or(team.clone(), |i| graph.graph[i].name().to_string());
                        clusters.entry(label).or_default().push(node);
                    }
                    _ => loose.push(node),
                }
            }
            node => loose.push(DrawNode {
                id: id.to_string(),
                label: node.name().to_string(),
                style: NodeStyle::Plain,
            }),
        }
    }
    let edges = rolled
        .edges
        .iter()
        .map(|edge| {
            let mut kinds = Vec::new();
            for (count, kind) in [
                (edge.normal, "normal"),
                (edge.dev, "dev"),
                (edge.build, "build"),
            ] {
                if count > 0 {
                    kinds.push(format!("{count} {kind}"));
                }
            }
            DrawEdge {
                from: edge.from.to_string(),
                to: edge.to.to_string(),
                label: format!(
                    "{} · {}",
                    count(edge.crate_deps(), "crate dep"),
                    count(edge.refs, "ref")
                ),
                tooltip: format!("{} -> {}: {}", edge.from, edge.to, kinds.join(", ")),
                style: if edge.normal > 0 {
                    EdgeStyle::Solid
                } else if edge.build > 0 {
                    EdgeStyle::Dotted
                } else {
                    EdgeStyle::Dashed
                },
            }
        })
        .collect();
    Drawing {
        clusters: clusters.into_iter().collect(),
        loose,
        edges,
    }
}

/// Services clustered by team; topics and tables outside; calls solid (gRPC bold), messages
/// dashed, table access dotted.
pub fn service_drawing(graph: &CrateGraph, services: &ServiceGraph) -> Drawing {
    let mut clusters: BTreeMap<String, Vec<DrawNode>> = BTreeMap::new();
    let mut loose = Vec::new();
    for (id, node) in services.nodes_by_id() {
        let (label, style) = match node {
            RuntimeNode::Service(s) if s.unknown => {
                ("unknown callee".to_string(), NodeStyle::Unknown)
            }
            RuntimeNode::Service(s) => (s.name.clone(), NodeStyle::Plain),
            RuntimeNode::Topic(t) => (t.clone(), NodeStyle::Topic),
            RuntimeNode::Table(t) => (t.clone(), NodeStyle::Table),
        };
        let draw = DrawNode {
            id: id.to_string(),
            label,
            style,
        };
        match node {
            RuntimeNode::Service(s) if s.team.is_some() => {
                let team = s.team.clone().unwrap_or_default();
                let label = graph
                    .node_index(&NodeId::Team(team.clone()))
                    .map_or(team.clone(), |i| graph.graph[i].name().to_string());
                clusters.entry(label).or_default().push(draw);
            }
            _ => loose.push(draw),
        }
    }
    let edges = services
        .edges_sorted()
        .into_iter()
        .map(|(from, to, edge)| {
            let label = match (edge.kind, edge.protocol) {
                (RuntimeKind::Calls, Some(protocol)) => {
                    format!("{protocol} · {}", count(edge.sites.len() as u32, "site"))
                }
                (kind, _) => kind.as_str().to_string(),
            };
            DrawEdge {
                from: from.id().to_string(),
                to: to.id().to_string(),
                tooltip: format!(
                    "{} {} {}: {}",
                    from.name(),
                    edge.kind.as_str(),
                    to.name(),
                    edge.endpoints.join(", ")
                ),
                label,
                style: match edge.kind {
                    RuntimeKind::Calls => EdgeStyle::Solid,
                    RuntimeKind::Publishes | RuntimeKind::Subscribes => EdgeStyle::Dashed,
                    RuntimeKind::Reads | RuntimeKind::Writes => EdgeStyle::Dotted,
                },
            }
        })
        .collect();
    Drawing {
        clusters: clusters.into_iter().collect(),
        loose,
        edges,
    }
}
