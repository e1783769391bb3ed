//! Phase 1, evidence: which crates link which in code, and the run-time evidence (detector
//! hits, gRPC clients and servers), constants and fields of every crate's non-test code,
//! each attributed to its crate before any service is known.

use super::Inputs;
use super::values::Values;
use crate::discover::FileKind;
use crate::extract::FileFacts;
use crate::extract::detectors::Role;
use crate::extract::services::{GrpcFact, Hit, ServiceFacts};
use crate::model::graph::Node;
use crate::model::packages::CodeContext;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// How crates depend on each other, as far as run-time evidence travels.
pub(super) struct Linked {
    /// Package names of each crate's normal dependencies, scanned or third-party.
    pub normal_deps: Vec<HashSet<String>>,
    /// Each crate's scanned normal dependencies that its code references.
    pub links: Vec<Vec<usize>>,
}

/// A detector hit, attributed to a crate.
pub(super) struct HitEvidence<'a> {
    pub package: usize,
    pub path: Arc<str>,
    pub hit: &'a Hit,
}

/// A gRPC client or server, attributed to a crate.
pub(super) struct GrpcEvidence<'a> {
    pub package: usize,
    pub path: Arc<str>,
    pub fact: &'a GrpcFact,
}

/// All the evidence, in discovery order (later phases keep that order, so outputs do too).
pub(super) struct Evidence<'a> {
    pub linked: Linked,
    pub hits: Vec<HitEvidence<'a>>,
    pub grpc: Vec<GrpcEvidence<'a>>,
    pub values: Values<'a>,
}

/// Links crates through their normal dependencies, in the crate graph's sorted edge order.
pub(super) fn link(inputs: &Inputs) -> Linked {
    let packages = &inputs.packages.packages;
    let mut normal_deps: Vec<HashSet<String>> = vec![HashSet::new(); packages.len()];
    let mut links: Vec<Vec<usize>> = vec![Vec::new(); packages.len()];
    let by_name: HashMap<&str, usize> = packages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.name.as_str(), i))
        .collect();
    for (from, to, edge) in inputs.crates.edges_sorted() {
        if edge.kind != crate::extract::DepKind::Normal {
            continue;
        }
        let (Node::Crate(from), to_name) = (from, to.name()) else {
            continue;
        };
        let Some(&from_index) = by_name.get(from.name.as_str()) else {
            continue;
        };
        normal_deps[from_index].insert(to_name.to_string());
        // A library's call sites count for the services that use it: a dependency declared
        // but never referenced in code links nothing.
        if let Node::Crate(to) = to
            && edge.refs > 0
            && let Some(&to_index) = by_name.get(to.name.as_str())
        {
            links[from_index].push(to_index);
        }
    }
    Linked { normal_deps, links }
}

/// Gathers the evidence of every crate's Rust files, in discovery order.
pub(super) fn gather<'a>(inputs: &Inputs<'a>, linked: Linked) -> Evidence<'a> {
    let lib_names: HashMap<&str, usize> = inputs
        .packages
        .packages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((p.lib.as_deref()?, i)))
        .collect();
    let mut evidence = Evidence {
        linked,
        hits: Vec::new(),
        grpc: Vec::new(),
        values: Values::new(lib_names),
    };
    for (file, file_facts) in inputs.discovery.files.iter().zip(inputs.facts) {
        if file.kind != FileKind::RustSource {
            continue;
        }
        let Some(FileFacts::Rust(source)) = file_facts else {
            continue;
        };
        let Some((package, context)) = inputs.packages.owner_of(file.root, &file.rel_path) else {
            continue;
        };
        let services = &source.services;
        // Tests and build scripts may define the constants normal code uses.
        evidence.values.add_consts(package, &services.consts);
        if context != CodeContext::Normal {
            continue;
        }
        evidence.values.add_fields(package, &services.fields);
        let path: Arc<str> = Arc::from(file.rel_path.as_str());
        // Generated code (a header marker, or a `generated`/`codegen` directory or module
        // file) holds no call site: the code that uses the generated client is the site.
        // Its tables (diesel's `schema.rs`) and servers still count. Nor does test support.
        let generated =
            source.generated || in_generated_dir(&file.rel_path) || is_test_support(&file.rel_path);
        evidence.add_file(inputs, package, &path, services, generated);
    }
    evidence
}

/// Whether a path runs through a directory (or is a module file) named `generated`,
/// `codegen`, `gen` or `*_generated`, as code generators' output is placed.
fn in_generated_dir(path: &str) -> bool {
    path.split('/').any(|part| {
        let stem = part.strip_suffix(".rs").unwrap_or(part);
        matches!(stem, "generated" | "codegen" | "gen" | "autogen")
            || stem.ends_with("_generated")
            || stem.ends_with(".generated")
    })
}

/// Whether a file is test support compiled into normal code (`test_helpers.rs`,
/// `testing/`, `mocks.rs`): the requests it makes are a test's, no service's.
fn is_test_support(path: &str) -> bool {
    path.split('/').any(|part| {
        let stem = part.strip_suffix(".rs").unwrap_or(part);
        matches!(
            stem,
            "test_helpers"
                | "test_helper"
                | "test_utils"
                | "test_util"
                | "testutils"
                | "testing"
                | "mock"
                | "mocks"
        )
    })
}

impl<'a> Evidence<'a> {
    /// Keeps a file's hits and gRPC facts outside tests whose library the crate depends on:
    /// `get(url)` is only a call when the crate uses a client that has it.
    fn add_file(
        &mut self,
        inputs: &Inputs<'a>,
        package: usize,
        path: &Arc<str>,
        services: &'a ServiceFacts,
        generated: bool,
    ) {
        let normal_deps = &self.linked.normal_deps[package];
        let detectors = inputs.detectors;
        for hit in &services.hits {
            let crates = &detectors.pattern(hit.pattern).crates;
            let applies = crates.is_empty() || crates.iter().any(|c| normal_deps.contains(c));
            let call_site = matches!(hit.role, Role::HttpCall | Role::HttpClient);
            if !hit.in_test && applies && !(generated && call_site) {
                self.hits.push(HitEvidence {
                    package,
                    path: path.clone(),
                    hit,
                });
            }
        }
        for fact in &services.grpc {
            let uses_grpc = detectors
                .grpc
                .crates
                .iter()
                .any(|c| normal_deps.contains(c));
            if !fact.in_test && uses_grpc && !(generated && fact.client) {
                self.grpc.push(GrpcEvidence {
                    package,
                    path: path.clone(),
                    fact,
                });
            }
        }
    }
}
