//! The rule catalogue: every rule has a failing fixture with its exact expected findings, a
//! passing near-miss with none, a complete documentation, and a unique id and name.
//!
//! Fixtures live in `tests/fixtures/rules/ID/{fail,pass}/`; each is one repository root
//! (with its own capgraph.toml where the rule needs one). `fail/expected.txt` lists the
//! rule's findings, one per line: `severity location: message`. After a deliberate change of
//! messages, `CAPGRAPH_BLESS=1 cargo test --test rules` rewrites them; review the diff.

mod common;

use capgraph::rules::{self, Category, REGISTRY, Settings};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixture(id: &str, which: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules")
        .join(id)
        .join(which)
}

/// The findings of rule `id` on a fixture root, one line each.
fn findings_of(id: &str, root: &Path) -> Vec<String> {
    let analysis = common::analyze_roots(&[root]);
    let settings = Settings::from_config(&analysis.config).expect("fixture config is valid");
    let findings = rules::check(&analysis, &settings);
    findings
        .findings
        .iter()
        .filter(|f| f.rule == id)
        .map(|f| {
            let location = f
                .location
                .as_ref()
                .map_or_else(|| "-".to_string(), |l| l.to_string());
            format!("{} {location}: {}", f.severity.as_str(), f.message)
        })
        .collect()
}

#[test]
fn every_rule_fails_its_failing_fixture_exactly() {
    let bless = std::env::var_os("CAPGRAPH_BLESS").is_some();
    let mut failures = Vec::new();
    for rule in REGISTRY {
        let id = rule.meta().id;
        let root = fixture(id, "fail");
        if !root.is_dir() {
            failures.push(format!("{id}: no failing fixture at {}", root.display()));
            continue;
        }
        let actual = findings_of(id, &root);
        let expected_path = root.join("expected.txt");
        if bless {
            let mut text = actual.join("\n");
            text.push('\n');
            std::fs::write(&expected_path, text).unwrap();
            continue;
        }
        let expected: Vec<String> = std::fs::read_to_string(&expected_path)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect();
        if actual.is_empty() {
            failures.push(format!("{id}: the failing fixture yields no finding"));
        } else if actual != expected {
            failures.push(format!(
                "{id}: findings differ from {}\n--- expected\n{}\n--- actual\n{}",
                expected_path.display(),
                expected.join("\n"),
                actual.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_rule_passes_its_near_miss() {
    let mut failures = Vec::new();
    for rule in REGISTRY {
        let id = rule.meta().id;
        let root = fixture(id, "pass");
        if !root.is_dir() {
            failures.push(format!("{id}: no passing fixture at {}", root.display()));
            continue;
        }
        let actual = findings_of(id, &root);
        if !actual.is_empty() {
            failures.push(format!(
                "{id}: the passing fixture yields\n{}",
                actual.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_rule_has_a_unique_id_and_name_and_a_complete_doc() {
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    for rule in REGISTRY {
        let meta = rule.meta();
        assert!(ids.insert(meta.id), "{} is registered twice", meta.id);
        assert!(
            names.insert(meta.name),
            "{} is used by two rules",
            meta.name
        );
        assert!(
            meta.id.len() == 6
                && meta.id.starts_with(meta.category.prefix())
                && meta.id[3..].chars().all(|c| c.is_ascii_digit()),
            "{}: ids are the category prefix and three digits",
            meta.id
        );
        assert!(
            !meta.name.is_empty()
                && meta
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}: `{}` is not kebab-case",
            meta.id,
            meta.name
        );
        let doc = meta.doc;
        for (section, text) in [
            ("summary", doc.summary),
            ("what it does", doc.what_it_does),
            ("why is this bad", doc.why_is_this_bad),
            ("example", doc.example),
            ("how to fix", doc.how_to_fix),
        ] {
            assert!(
                text.trim().len() > 20,
                "{}: the `{section}` section is missing or too short",
                meta.id
            );
        }
        assert!(
            doc.summary.ends_with('.'),
            "{}: a summary is a sentence",
            meta.id
        );
        for param in meta.params {
            assert!(
                doc.configuration.contains(param.name),
                "{}: the configuration section does not mention `{}`",
                meta.id,
                param.name
            );
        }
    }
    assert!(
        REGISTRY.windows(2).all(|w| {
            let (a, b) = (w[0].meta(), w[1].meta());
            (a.category, a.id) < (b.category, b.id)
        }),
        "the registry lists rules by category, then id"
    );
    let categories: BTreeSet<Category> = REGISTRY.iter().map(|r| r.meta().category).collect();
    assert_eq!(categories.len(), 9, "every category has rules");
}

#[test]
fn every_rule_is_in_both_built_in_packs() {
    for pack in ["default", "strict"] {
        let config = capgraph::config::parse_config(
            &format!("[rules]\npack = \"{pack}\"\n"),
            "capgraph.toml",
            None,
        )
        .unwrap();
        let settings = Settings::from_config(&config).unwrap();
        for rule in REGISTRY {
            assert!(
                settings.rule(rule.meta().id).is_some(),
                "{} is off in the {pack} pack",
                rule.meta().id
            );
        }
    }
}
