//! Graphviz DOT rendering of a drawing: one cluster per repository (crates) or team
//! (capabilities); normal dependencies solid, dev dashed, build dotted, each edge labelled.

use super::drawing::{Drawing, EdgeStyle, NodeStyle};
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
            // Control characters would reach the terminal or CI log DOT is printed to; they
            // are shown as their escape (the backslash doubled, so DOT keeps it literally).
            c if super::escape::is_unsafe(c) => {
                out.push('\\');
                out.push_str(&super::escape::terminal(&c.to_string()));
            }
            // `##[` anywhere in a line is a command to a CI runner; Graphviz shows the
            // entity as `#`.
            '[' if out.ends_with("##") => {
                out.truncate(out.len() - 1);
                out.push_str("&#35;[");
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes a drawing as a DOT digraph.
pub fn write_drawing(drawing: &Drawing, out: &mut dyn io::Write) -> io::Result<()> {
    out.write_all(render(drawing).as_bytes())
}

fn node_attributes(style: NodeStyle) -> &'static str {
    match style {
        NodeStyle::Plain => "",
        NodeStyle::Platform => ", fillcolor=\"#e6f4ea\", color=\"#3c8d5a\"",
        NodeStyle::External => {
            ", shape=ellipse, style=filled, fillcolor=\"#f2f2f2\", color=\"#bbbbbb\""
        }
        NodeStyle::Topic => ", shape=cds, style=filled, fillcolor=\"#fff4e0\", color=\"#c98a1b\"",
        NodeStyle::Table => {
            ", shape=cylinder, style=filled, fillcolor=\"#f3e8fd\", color=\"#8a5cc2\""
        }
        NodeStyle::Unknown => {
            ", shape=octagon, style=\"filled,dashed\", fillcolor=\"#fdecea\", color=\"#c0392b\""
        }
    }
}

fn render(drawing: &Drawing) -> String {
    let mut out = String::new();
    out.push_str("digraph capgraph {\n");
    out.push_str("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, nodesep=0.3];\n");
    out.push_str(
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#e8f0fe\", color=\"#4a6fa5\", \
         fontname=\"Helvetica\", fontsize=11];\n",
    );
    out.push_str("  edge [color=\"#555555\", fontname=\"Helvetica\", fontsize=9];\n");
    for (index, (label, nodes)) in drawing.clusters.iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster_{index} {{");
        let _ = writeln!(
            out,
            "    label={}; style=\"rounded,dashed\"; color=\"#999999\";",
            quote(label)
        );
        for node in nodes {
            let _ = writeln!(
                out,
                "    {} [label={}{}];",
                quote(&node.id),
                quote(&node.label),
                node_attributes(node.style)
            );
        }
        out.push_str("  }\n");
    }
    for node in &drawing.loose {
        let _ = writeln!(
            out,
            "  {} [label={}{}];",
            quote(&node.id),
            quote(&node.label),
            node_attributes(node.style)
        );
    }
    for edge in &drawing.edges {
        let style = match edge.style {
            EdgeStyle::Solid => "solid",
            EdgeStyle::Dashed => "dashed",
            EdgeStyle::Dotted => "dotted",
        };
        let _ = writeln!(
            out,
            "  {} -> {} [style={style}, label={}, tooltip={}];",
            quote(&edge.from),
            quote(&edge.to),
            quote(&edge.label),
            quote(&edge.tooltip),
        );
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quoted_names_carry_no_control_characters_or_runner_commands() {
        assert_eq!(quote("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
        assert_eq!(quote("x\u{1b}[31my\u{7}"), r#""x\\u{1b}[31my\\u{7}""#);
        assert_eq!(quote("##[error]x"), "\"#&#35;[error]x\"");
        assert!(!quote("a\rb").contains('\r'));
    }
}
