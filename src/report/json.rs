//! `graph.json` (schema `capgraph.graph/v1`): nodes sorted by id, edges by endpoints and
//! kind, keys in a fixed order, so that the same input always gives the same bytes.

use super::GraphView;
use crate::model::{CrateGraph, Node, Site};
use serde::Serialize;
use std::io::{self, Write};

pub const GRAPH_SCHEMA: &str = "capgraph.graph/v1";

#[derive(Serialize)]
struct GraphDocument<'a> {
    schema: &'static str,
    nodes: Vec<NodeJson<'a>>,
    edges: Vec<EdgeJson<'a>>,
}

#[derive(Serialize)]
struct NodeJson<'a> {
    id: String,
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    repo: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manifest: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    workspace: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lib: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bins: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    files: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    undeclared_uses: Vec<UndeclaredJson<'a>>,
}

#[derive(Serialize)]
struct UndeclaredJson<'a> {
    to: &'a str,
    refs: u32,
    sites: &'a [Site],
}

#[derive(Serialize)]
struct EdgeJson<'a> {
    from: String,
    to: String,
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

/// Writes the crate graph as pretty-printed JSON, ending with a newline.
pub fn write_crate_graph(
    graph: &CrateGraph,
    view: GraphView,
    out: &mut dyn Write,
) -> io::Result<()> {
    let visible = |node: &Node| view.include_external || matches!(node, Node::Crate(_));
    let nodes = graph
        .nodes_by_id()
        .map(|(id, index)| (id, &graph.graph[index]))
        .filter(|(_, node)| visible(node))
        .map(|(id, node)| match node {
            Node::Crate(krate) => NodeJson {
                id: id.to_string(),
                kind: "crate",
                name: &krate.name,
                repo: Some(&krate.repo),
                path: Some(&krate.path),
                manifest: Some(&krate.manifest),
                workspace: Some(&krate.workspace),
                lib: krate.lib.as_deref(),
                bins: Some(&krate.bins),
                files: Some(krate.files),
                undeclared_uses: krate
                    .undeclared
                    .iter()
                    .map(|u| UndeclaredJson {
                        to: &u.target,
                        refs: u.refs,
                        sites: &u.sites,
                    })
                    .collect(),
            },
            Node::External { name } => NodeJson {
                id: id.to_string(),
                kind: "external",
                name,
                repo: None,
                path: None,
                manifest: None,
                workspace: None,
                lib: None,
                bins: None,
                files: None,
                undeclared_uses: Vec::new(),
            },
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
    let document = GraphDocument {
        schema: GRAPH_SCHEMA,
        nodes,
        edges,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    out.write_all(b"\n")
}
