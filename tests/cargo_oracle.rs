//! Cargo is the oracle: for every sample repository, the crates capgraph finds in each
//! workspace and the dependency edges between them (by kind) equal what
//! `cargo metadata --no-deps --offline` reports. capgraph itself never runs cargo; this test
//! does, on the sample repositories only.

mod common;

use capgraph::model::Node;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn sample_roots() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-repos");
    let mut roots: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("sample-repos exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    roots.sort();
    roots
}

fn cargo_metadata(manifest: &Path) -> serde_json::Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    // Cargo reads `.cargo/config.toml` (alternative registries) from the working directory.
    let output = Command::new(cargo)
        .current_dir(manifest.parent().unwrap())
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(manifest)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo metadata failed for {}: {}",
        manifest.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// `(package, dependency, kind)` triples, where dependency is `crate:NAME` for a crate of the
/// scanned organization and `external:NAME` otherwise.
type EdgeSet = BTreeSet<(String, String, String)>;

#[test]
fn every_sample_workspace_matches_cargo_metadata() {
    let roots = sample_roots();
    assert!(roots.len() >= 2, "the company has several repositories");
    let root_refs: Vec<&Path> = roots.iter().map(PathBuf::as_path).collect();
    let analysis = common::analyze_roots(&root_refs);
    // The one diagnostic is deliberate: a code-generator template that is no Rust, which the
    // demo shows as SCN001. Nothing else in the company may fail to read.
    assert_eq!(
        common::diagnostics(&analysis),
        vec![
            "SCN001 crates/label-printer/templates/zpl_label.rs:4: syntax error: expected one of: \
             identifier, `_`, `trait`, `unsafe`, `auto`, `impl`"
                .to_string()
        ],
    );

    let scanned: BTreeSet<String> = analysis.graph.crates().map(|c| c.name.clone()).collect();

    // Every distinct workspace capgraph found, by repository and workspace directory.
    let workspaces: BTreeSet<(String, String)> = analysis
        .graph
        .crates()
        .map(|c| (c.repo.clone(), c.workspace.clone()))
        .collect();
    let mut checked = 0;
    for (repo, workspace_dir) in workspaces {
        let root = roots
            .iter()
            .find(|r| r.file_name().unwrap() == repo.as_str())
            .unwrap();
        let manifest = root.join(&workspace_dir).join("Cargo.toml");
        let metadata = cargo_metadata(&manifest);

        let mut cargo_members = BTreeSet::new();
        let mut cargo_edges = EdgeSet::new();
        for package in metadata["packages"].as_array().unwrap() {
            let name = package["name"].as_str().unwrap().to_string();
            for dep in package["dependencies"].as_array().unwrap() {
                let dep_name = dep["name"].as_str().unwrap();
                let kind = dep["kind"].as_str().unwrap_or("normal").to_string();
                let target = if scanned.contains(dep_name) {
                    format!("crate:{dep_name}")
                } else {
                    format!("external:{dep_name}")
                };
                cargo_edges.insert((format!("crate:{name}"), target, kind));
            }
            cargo_members.insert(name);
        }

        let ours: BTreeSet<String> = analysis
            .graph
            .crates()
            .filter(|c| c.repo == repo && c.workspace == workspace_dir)
            .map(|c| c.name.clone())
            .collect();
        assert_eq!(ours, cargo_members, "members of {repo}/{workspace_dir}");

        let our_edges: EdgeSet = analysis
            .graph
            .edges_sorted()
            .into_iter()
            .filter(|(from, _, _)| matches!(from, Node::Crate(c) if ours.contains(&c.name) && c.repo == repo))
            .map(|(from, to, edge)| (from.id().to_string(), to.id().to_string(), edge.kind.as_str().to_string()))
            .collect();
        assert_eq!(
            our_edges, cargo_edges,
            "dependency edges of {repo}/{workspace_dir}"
        );
        checked += 1;
    }
    assert!(checked >= 3, "checked {checked} workspaces");
}
