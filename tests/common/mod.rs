//! Helpers shared by the integration tests: small repositories written to a temporary
//! directory, and compact views of the crate graph to compare against.

#![allow(dead_code)]

use capgraph::model::{CrateGraph, Node};
use capgraph::{Analysis, AnalysisOptions, analyze};
use std::path::{Path, PathBuf};

/// A repository written to a temporary directory; the root directory is named `name`.
pub struct Repo {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl Repo {
    pub fn new(name: &str, files: &[(&str, &str)]) -> Repo {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join(name);
        std::fs::create_dir_all(&root).unwrap();
        let repo = Repo { _dir: dir, root };
        for (path, text) in files {
            repo.write(path, text.as_bytes());
        }
        repo
    }

    pub fn write(&self, path: &str, bytes: &[u8]) {
        let full = self.root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn analyze(&self) -> Analysis {
        analyze_roots(&[&self.root])
    }
}

pub fn analyze_roots(roots: &[&Path]) -> Analysis {
    let roots: Vec<PathBuf> = roots.iter().map(|p| p.to_path_buf()).collect();
    analyze(
        &roots,
        &AnalysisOptions {
            jobs: 2,
            ..AnalysisOptions::default()
        },
    )
    .expect("analysis runs")
}

/// Edges as `(from, to, dep_kind, refs)`, sorted.
pub fn edges(graph: &CrateGraph) -> Vec<(String, String, String, u32)> {
    graph
        .edges_sorted()
        .into_iter()
        .map(|(from, to, edge)| {
            (
                from.id().to_string(),
                to.id().to_string(),
                edge.kind.as_str().to_string(),
                edge.refs,
            )
        })
        .collect()
}

/// Sites of the edge `from -> to` of kind `kind` as `path:line` strings.
pub fn sites(graph: &CrateGraph, from: &str, to: &str, kind: &str) -> Vec<String> {
    graph
        .edges_sorted()
        .into_iter()
        .find(|(f, t, e)| f.id() == from && t.id() == to && e.kind.as_str() == kind)
        .map(|(_, _, e)| {
            e.sites
                .iter()
                .map(|s| format!("{}:{}", s.path, s.line))
                .collect()
        })
        .unwrap_or_default()
}

/// Ids of the crate nodes (not third-party ones), sorted.
pub fn crate_ids(graph: &CrateGraph) -> Vec<String> {
    graph
        .nodes_by_id()
        .filter(|(_, index)| matches!(graph.graph[*index], Node::Crate(_)))
        .map(|(id, _)| id.to_string())
        .collect()
}

/// Diagnostics as `CODE path:line: message` strings.
pub fn diagnostics(analysis: &Analysis) -> Vec<String> {
    analysis
        .diagnostics
        .iter()
        .map(|d| {
            let line = d.line.map(|l| format!(":{l}")).unwrap_or_default();
            format!("{} {}{}: {}", d.code.id(), d.path, line, d.message)
        })
        .collect()
}

pub fn e(from: &str, to: &str, kind: &str, refs: u32) -> (String, String, String, u32) {
    (from.to_string(), to.to_string(), kind.to_string(), refs)
}
