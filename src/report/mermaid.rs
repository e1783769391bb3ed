//! Mermaid flowchart rendering of the crate graph, for Markdown pages and pull requests:
//! a subgraph per repository, `-->` for normal, `-.->` for dev and `==>` for build edges.

use super::GraphView;
use crate::extract::DepKind;
use crate::model::{CrateGraph, Node};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::io;

/// Escapes text for a quoted Mermaid label.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
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
    let mut out = String::from("flowchart LR\n");
    let mut short_ids: HashMap<String, String> = HashMap::new();
    let mut by_repo: BTreeMap<&str, Vec<(String, &Node)>> = BTreeMap::new();
    let mut externals = Vec::new();
    for (id, index) in graph.nodes_by_id() {
        let node = &graph.graph[index];
        let short = format!("n{}", short_ids.len());
        match node {
            Node::Crate(krate) => by_repo
                .entry(&krate.repo)
                .or_default()
                .push((short.clone(), node)),
            Node::External { .. } if view.include_external => externals.push((short.clone(), node)),
            Node::External { .. } => continue,
        }
        short_ids.insert(id.to_string(), short);
    }
    for (cluster, (repo, nodes)) in by_repo.iter().enumerate() {
        let _ = writeln!(out, "  subgraph repo{cluster}[\"{}\"]", escape(repo));
        for (short, node) in nodes {
            let _ = writeln!(out, "    {short}[\"{}\"]", escape(node.name()));
        }
        out.push_str("  end\n");
    }
    for (short, node) in &externals {
        let _ = writeln!(out, "  {short}([\"{}\"])", escape(node.name()));
    }
    for (from, to, edge) in graph.edges_sorted() {
        let (Some(from), Some(to)) = (short_ids.get(&from.id()), short_ids.get(&to.id())) else {
            continue;
        };
        let arrow = match edge.kind {
            DepKind::Normal => "-->",
            DepKind::Dev => "-.->",
            DepKind::Build => "==>",
        };
        let label = match edge.kind {
            DepKind::Normal => format!("{} refs", edge.refs),
            kind => format!("{} · {} refs", kind.as_str(), edge.refs),
        };
        let _ = writeln!(out, "  {from} {arrow}|\"{}\"| {to}", escape(&label));
    }
    if !externals.is_empty() {
        out.push_str("  classDef external fill:#f2f2f2,stroke:#bbbbbb,color:#555555\n");
        let ids: Vec<&str> = externals.iter().map(|(short, _)| short.as_str()).collect();
        let _ = writeln!(out, "  class {} external", ids.join(","));
    }
    out
}
