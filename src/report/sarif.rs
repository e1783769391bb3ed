//! SARIF 2.1.0 (`check --format sarif`), for code-scanning dashboards: every rule in
//! `tool.driver.rules` with its documentation, every finding a result whose location is
//! relative to its repository (`uriBaseId` names the repository), with its fingerprint as a
//! partial fingerprint. Text from the scanned repositories is escaped for SARIF: `uri`s are
//! percent-encoded (`escape::uri_path`) and messages are plain text in which nothing reads as
//! an embedded link or a placeholder (`escape::sarif_text`); there is no `message.markdown`.

use super::escape;
use super::rules::explain;
use crate::rules::{Finding, Findings, Location, REGISTRY, RuleMeta, Settings, Severity};
use serde_sarif::sarif;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The key of capgraph's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "capgraph/v1";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn text(text: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(text.to_string())
        .build()
}

fn markdown_help(meta: &RuleMeta) -> String {
    let doc = meta.doc;
    let configuration = if doc.configuration.is_empty() {
        format!("Severity only: `[rules.{}] severity = \"off\"`.", meta.id)
    } else {
        doc.configuration.to_string()
    };
    let example: String = doc
        .example
        .lines()
        .map(|line| format!("{}\n", line.strip_prefix("    ").unwrap_or(line)))
        .collect();
    format!(
        "{}\n\n## What it does\n{}\n\n## Why is this bad\n{}\n\n## Example\n```\n{example}```\n\n\
         ## How to fix\n{}\n\n## Configuration\n{configuration}\n",
        doc.summary, doc.what_it_does, doc.why_is_this_bad, doc.how_to_fix
    )
}

fn location(place: &Location) -> sarif::Location {
    let artifact = sarif::ArtifactLocation::builder()
        .uri(escape::uri_path(&place.path))
        .uri_base_id(place.repo.clone())
        .build();
    let physical = match place.line {
        Some(line) => sarif::PhysicalLocation::builder()
            .artifact_location(artifact)
            .region(sarif::Region::builder().start_line(i64::from(line)).build())
            .build(),
        None => sarif::PhysicalLocation::builder()
            .artifact_location(artifact)
            .build(),
    };
    sarif::Location::builder()
        .physical_location(physical)
        .build()
}

fn result(finding: &Finding, rule_index: i64) -> sarif::Result {
    let mut properties = BTreeMap::new();
    properties.insert("teams".to_string(), serde_json::json!(finding.teams));
    if let Some(from) = &finding.from {
        properties.insert("from".to_string(), serde_json::json!(from));
    }
    if let Some(to) = &finding.to {
        properties.insert("to".to_string(), serde_json::json!(to));
    }
    let bag = sarif::PropertyBag::builder()
        .additional_properties(properties)
        .build();
    let message = sarif::Message::builder()
        .text(escape::sarif_text(&finding.message))
        .build();
    let fingerprints: BTreeMap<String, String> =
        [(FINGERPRINT_KEY.to_string(), finding.fingerprint.clone())].into();
    let locations: Vec<sarif::Location> = finding.location.iter().map(location).collect();
    let related: Vec<sarif::Location> = finding.related.iter().map(location).collect();
    sarif::Result::builder()
        .rule_id(finding.rule.to_string())
        .rule_index(rule_index)
        .level(match finding.severity {
            Severity::Error => sarif::ResultLevel::Error,
            Severity::Warning => sarif::ResultLevel::Warning,
            Severity::Info => sarif::ResultLevel::Note,
        })
        .message(message)
        .locations(locations)
        .related_locations(related)
        .partial_fingerprints(fingerprints)
        .properties(bag)
        .build()
}

/// Writes the findings as one SARIF run.
pub fn write_sarif(
    findings: &Findings,
    settings: &Settings,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rules: Vec<sarif::ReportingDescriptor> = REGISTRY
        .iter()
        .map(|rule| {
            let meta = rule.meta();
            let enabled = settings.rule(meta.id);
            let configuration = sarif::ReportingConfiguration::builder()
                .enabled(enabled.is_some())
                .level(serde_json::json!(level(
                    enabled.map_or(meta.default_severity, |r| r.severity)
                )))
                .build();
            let bag = sarif::PropertyBag::builder()
                .tags(vec![meta.category.as_str().to_string()])
                .additional_properties(BTreeMap::new())
                .build();
            sarif::ReportingDescriptor::builder()
                .id(meta.id.to_string())
                .name(meta.name.to_string())
                .short_description(text(meta.doc.summary))
                .full_description(text(meta.doc.what_it_does))
                .help(
                    sarif::MultiformatMessageString::builder()
                        .text(explain(meta, settings))
                        .markdown(markdown_help(meta))
                        .build(),
                )
                .default_configuration(configuration)
                .properties(bag)
                .build()
        })
        .collect();
    let index: BTreeMap<&str, i64> = REGISTRY
        .iter()
        .enumerate()
        .map(|(i, rule)| (rule.meta().id, i as i64))
        .collect();
    let results: Vec<sarif::Result> = findings
        .findings
        .iter()
        .map(|finding| result(finding, index[finding.rule]))
        .collect();
    let driver = sarif::ToolComponent::builder()
        .name("capgraph".to_string())
        .version(env!("CARGO_PKG_VERSION").to_string())
        .semantic_version(env!("CARGO_PKG_VERSION").to_string())
        .rules(rules)
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .build();
    let log = sarif::Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json".to_string())
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    escape::write_json(&log, &mut *out)?;
    writeln!(out)
}
