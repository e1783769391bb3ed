//! `capgraph rules` (the catalogue as a table) and `capgraph explain` (one rule's
//! documentation), both from the rules' own `RuleDoc`.

use crate::rules::{REGISTRY, RuleMeta, Settings};
use std::io::{self, Write};

/// The width documentation is wrapped to.
const WIDTH: usize = 88;

/// One line per rule: id, name, category, its severity in the pack in force (or `off`), and
/// its summary.
pub fn write_rule_list(settings: &Settings, out: &mut dyn Write) -> io::Result<()> {
    let name_width = REGISTRY
        .iter()
        .map(|r| r.meta().name.len())
        .max()
        .unwrap_or(0);
    writeln!(
        out,
        "{:<7} {:<name_width$} {:<12} {:<8} SUMMARY",
        "ID", "NAME", "CATEGORY", "SEVERITY"
    )?;
    for rule in REGISTRY {
        let meta = rule.meta();
        let severity = settings
            .rule(meta.id)
            .map_or("off", |s| s.severity.as_str());
        writeln!(
            out,
            "{:<7} {:<name_width$} {:<12} {:<8} {}",
            meta.id,
            meta.name,
            meta.category.as_str(),
            severity,
            meta.doc.summary
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Severities are those of the `{}` pack with capgraph.toml's [rules] applied. \
         `capgraph explain ID` prints a rule's documentation.",
        settings.pack
    )
}

/// The documentation of one rule, as `capgraph explain` prints it.
pub fn explain(meta: &RuleMeta, settings: &Settings) -> String {
    let mut text = String::new();
    let in_force = match settings.rule(meta.id) {
        Some(rule) => {
            let mut parts = vec![format!("severity {}", rule.severity.as_str())];
            parts.extend(
                rule.params
                    .iter()
                    .map(|(name, value)| format!("{name} = {value}")),
            );
            format!("{} in the `{}` pack", parts.join(", "), settings.pack)
        }
        None => format!("off in the `{}` pack", settings.pack),
    };
    text.push_str(&format!(
        "{} {} ({}; default severity {}; {in_force})\n\n",
        meta.id,
        meta.name,
        meta.category.as_str(),
        meta.default_severity.as_str()
    ));
    text.push_str(&wrap(meta.doc.summary, ""));
    for (heading, body) in [
        ("What it does", meta.doc.what_it_does),
        ("Why is this bad", meta.doc.why_is_this_bad),
    ] {
        text.push_str(&format!("\n## {heading}\n"));
        text.push_str(&wrap(body, ""));
    }
    text.push_str("\n## Example\n");
    text.push_str(meta.doc.example);
    text.push('\n');
    text.push_str("\n## How to fix\n");
    text.push_str(&wrap(meta.doc.how_to_fix, ""));
    text.push_str("\n## Configuration\n");
    let mut configuration = String::new();
    if !meta.doc.configuration.is_empty() {
        configuration.push_str(meta.doc.configuration);
        configuration.push(' ');
    }
    configuration.push_str(&format!(
        "Set the severity (or switch the rule off) with `[rules.{}] severity = \
         \"error\"|\"warning\"|\"info\"|\"off\"` in capgraph.toml. A finding that points into \
         Rust code or a Cargo.toml is suppressed with `capgraph: allow({}) reason: ...` on its \
         line or the item above; one that points into capgraph.toml or CODEOWNERS is fixed \
         there.",
        meta.id, meta.id
    ));
    text.push_str(&wrap(&configuration, ""));
    for param in meta.params {
        text.push_str(&wrap(
            &format!(
                "- `{}` (default {}): {}.",
                param.name, param.default, param.doc
            ),
            "  ",
        ));
    }
    text
}

fn wrap(text: &str, indent: &str) -> String {
    let options = textwrap::Options::new(WIDTH).subsequent_indent(indent);
    let mut out = textwrap::fill(text, options);
    out.push('\n');
    out
}
