//! Mermaid flowchart rendering of a drawing, for Markdown pages and pull requests: a
//! subgraph per cluster, `-->` for normal, `-.->` for dev and `==>` for build edges.

use super::drawing::{Drawing, EdgeStyle, NodeStyle};
use std::collections::HashMap;
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

/// Writes a drawing as a Mermaid flowchart.
pub fn write_drawing(drawing: &Drawing, out: &mut dyn io::Write) -> io::Result<()> {
    out.write_all(render(drawing).as_bytes())
}

fn render(drawing: &Drawing) -> String {
    let mut out = String::from("flowchart LR\n");
    // Mermaid ids must be simple; node ids like `crate:a-b` are not.
    let mut short_ids: HashMap<&str, String> = HashMap::new();
    let mut next = 0;
    let mut short = || {
        let name = format!("n{next}");
        next += 1;
        name
    };
    let mut styled: Vec<(String, NodeStyle)> = Vec::new();
    for (index, (label, nodes)) in drawing.clusters.iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster{index}[\"{}\"]", escape(label));
        for node in nodes {
            let id = short();
            let _ = writeln!(out, "    {id}[\"{}\"]", escape(&node.label));
            styled.push((id.clone(), node.style));
            short_ids.insert(&node.id, id);
        }
        out.push_str("  end\n");
    }
    for node in &drawing.loose {
        let id = short();
        match node.style {
            NodeStyle::External => {
                let _ = writeln!(out, "  {id}([\"{}\"])", escape(&node.label));
            }
            NodeStyle::Topic => {
                let _ = writeln!(out, "  {id}>\"{}\"]", escape(&node.label));
            }
            NodeStyle::Table => {
                let _ = writeln!(out, "  {id}[(\"{}\")]", escape(&node.label));
            }
            NodeStyle::Unknown => {
                let _ = writeln!(out, "  {id}{{{{\"{}\"}}}}", escape(&node.label));
            }
            _ => {
                let _ = writeln!(out, "  {id}[\"{}\"]", escape(&node.label));
            }
        }
        styled.push((id.clone(), node.style));
        short_ids.insert(&node.id, id);
    }
    for edge in &drawing.edges {
        let (Some(from), Some(to)) = (
            short_ids.get(edge.from.as_str()),
            short_ids.get(edge.to.as_str()),
        ) else {
            continue;
        };
        let arrow = match edge.style {
            EdgeStyle::Solid => "-->",
            EdgeStyle::Dashed => "-.->",
            EdgeStyle::Dotted => "==>",
        };
        let _ = writeln!(out, "  {from} {arrow}|\"{}\"| {to}", escape(&edge.label));
    }
    for (class, style, css) in [
        (
            "external",
            NodeStyle::External,
            "fill:#f2f2f2,stroke:#bbbbbb,color:#555555",
        ),
        (
            "platform",
            NodeStyle::Platform,
            "fill:#e6f4ea,stroke:#3c8d5a",
        ),
        ("topic", NodeStyle::Topic, "fill:#fff4e0,stroke:#c98a1b"),
        ("table", NodeStyle::Table, "fill:#f3e8fd,stroke:#8a5cc2"),
        (
            "unknown",
            NodeStyle::Unknown,
            "fill:#fdecea,stroke:#c0392b,stroke-dasharray:4",
        ),
    ] {
        let ids: Vec<&str> = styled
            .iter()
            .filter(|(_, s)| *s == style)
            .map(|(id, _)| id.as_str())
            .collect();
        if !ids.is_empty() {
            let _ = writeln!(out, "  classDef {class} {css}");
            let _ = writeln!(out, "  class {} {class}", ids.join(","));
        }
    }
    out
}
