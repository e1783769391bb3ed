//! Graphviz DOT rendering of the crate graph: one cluster per repository, normal
//! dependencies solid, dev dashed, build dotted, each edge labelled with its reference count.

use super::GraphView;
use crate::extract::DepKind;
use crate::model::{CrateGraph, Node};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::io;

/// Quotes a string as a DOT identifier.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes the crate graph.
pub fn write_crate_graph(
    graph: &CrateGraph,
    view: GraphView,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    out.write_all(render_crate_graph(graph, view).as_bytes())
}

fn render_crate_graph(graph: &CrateGraph, view: GraphView) -> String {
    let mut out = String::new();
    out.push_str("digraph capgraph {\n");
    out.push_str("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, nodesep=0.3];\n");
    out.push_str(
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#e8f0fe\", color=\"#4a6fa5\", \
         fontname=\"Helvetica\", fontsize=11];\n",
    );
    out.push_str("  edge [color=\"#555555\", fontname=\"Helvetica\", fontsize=9];\n");

    let mut by_repo: BTreeMap<&str, Vec<(&str, &Node)>> = BTreeMap::new();
    let mut externals = Vec::new();
    for (id, index) in graph.nodes_by_id() {
        match &graph.graph[index] {
            node @ Node::Crate(krate) => by_repo.entry(&krate.repo).or_default().push((id, node)),
            node @ Node::External { .. } if view.include_external => externals.push((id, node)),
            Node::External { .. } => {}
        }
    }
    for (cluster, (repo, nodes)) in by_repo.iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster_{cluster} {{");
        let _ = writeln!(
            out,
            "    label={}; style=\"rounded,dashed\"; color=\"#999999\";",
            quote(repo)
        );
        for (id, node) in nodes {
            let _ = writeln!(out, "    {} [label={}];", quote(id), quote(node.name()));
        }
        out.push_str("  }\n");
    }
    for (id, node) in externals {
        let _ = writeln!(
            out,
            "  {} [label={}, shape=ellipse, style=filled, fillcolor=\"#f2f2f2\", color=\"#bbbbbb\"];",
            quote(id),
            quote(node.name())
        );
    }
    for (from, to, edge) in graph.edges_sorted() {
        let shown = |node: &Node| view.include_external || matches!(node, Node::Crate(_));
        if !shown(from) || !shown(to) {
            continue;
        }
        let style = match edge.kind {
            DepKind::Normal => "solid",
            DepKind::Dev => "dashed",
            DepKind::Build => "dotted",
        };
        let label = match edge.kind {
            DepKind::Normal => edge.refs.to_string(),
            kind => format!("{} {}", kind.as_str(), edge.refs),
        };
        let _ = writeln!(
            out,
            "  {} -> {} [style={style}, label={}, tooltip={}];",
            quote(&from.id()),
            quote(&to.id()),
            quote(&label),
            quote(&format!(
                "{} -> {} ({}, {} refs)",
                from.name(),
                to.name(),
                edge.kind.as_str(),
                edge.refs
            )),
        );
    }
    out.push_str("}\n");
    out
}
