//! The pipeline in one call: discover the files of every root, extract their facts in
//! parallel, and build the model. Commands run this, then hand the result to a report.

use crate::diagnostics::{Diagnostic, DiagnosticCode};
use crate::discover::{self, DiscoverError, FileKind, Root};
use crate::extract::{self, FileFacts};
use crate::model::{self, CrateGraph};
use rayon::prelude::*;
use std::path::PathBuf;

/// Stack of each extraction thread. syn recurses once per nesting level of the code it
/// parses; `extract::source::MAX_NESTING` levels fit well within this.
pub const EXTRACTION_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Errors that stop an analysis (as opposed to diagnostics about single files).
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error("cannot start worker threads: {0}")]
    ThreadPool(#[from] rayon::ThreadPoolBuildError),
}

/// How to run an analysis.
#[derive(Debug, Clone, Default)]
pub struct AnalysisOptions {
    /// Worker threads for walking and extraction; 0 means one per core.
    pub jobs: usize,
}

/// The result of analysing a set of repositories.
#[derive(Debug)]
pub struct Analysis {
    pub roots: Vec<Root>,
    pub graph: CrateGraph,
    /// Problems with single input files, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Number of files read.
    pub files_scanned: usize,
}

/// Runs discovery, extraction and modelling over `paths`.
pub fn analyze(paths: &[PathBuf], options: &AnalysisOptions) -> Result<Analysis, AnalysisError> {
    let jobs = if options.jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        options.jobs
    };
    let discovery = discover::discover(paths, jobs)?;

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(EXTRACTION_STACK_BYTES)
        .thread_name(|i| format!("capgraph-extract-{i}"))
        .build()?;
    let results: Vec<Result<FileFacts, extract::ExtractError>> = pool.install(|| {
        discovery
            .files
            .par_iter()
            .map(extract::extract_file)
            .collect()
    });

    let mut diagnostics = discovery.diagnostics.clone();
    let mut facts = Vec::with_capacity(results.len());
    for (file, result) in discovery.files.iter().zip(results) {
        match result {
            Ok(file_facts) => facts.push(Some(file_facts)),
            Err(err) => {
                diagnostics.push(Diagnostic {
                    code: match file.kind {
                        FileKind::RustSource => DiagnosticCode::UnparsableFile,
                        FileKind::CargoManifest => DiagnosticCode::InvalidManifest,
                    },
                    repo: discovery.roots[file.root].name.clone(),
                    path: file.rel_path.clone(),
                    line: err.line(),
                    message: err.to_string(),
                });
                facts.push(None);
            }
        }
    }

    let model = model::build(&discovery, &facts);
    diagnostics.extend(model.diagnostics);
    diagnostics.sort();
    diagnostics.dedup();
    Ok(Analysis {
        files_scanned: discovery.files.len(),
        roots: discovery.roots,
        graph: model.graph,
        diagnostics,
    })
}
