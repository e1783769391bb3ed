//! The pipeline in one call: discover the files of every root, extract their facts in
//! parallel, and build the model. Commands run this, then hand the result to a report.

use crate::config::{self, Config, ConfigError};
use crate::diagnostics::{Diagnostic, DiagnosticCode};
use crate::discover::{self, DiscoverError, Discovery, FileKind};
use crate::extract::{self, FileFacts};
use crate::model;
pub use crate::model::Analysis;
use crate::model::metrics;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Stack of each extraction thread. syn recurses once per nesting level of the code it
/// parses; `extract::source::MAX_NESTING` levels fit well within this.
pub const EXTRACTION_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Errors that stop an analysis (as opposed to diagnostics about single files).
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot start worker threads: {0}")]
    ThreadPool(#[from] rayon::ThreadPoolBuildError),
}

/// How to run an analysis.
#[derive(Debug, Clone, Default)]
pub struct AnalysisOptions {
    /// Worker threads for walking and extraction; 0 means one per core.
    pub jobs: usize,
    /// A config file to use instead of the `capgraph.toml` of each root.
    pub config: Option<PathBuf>,
    /// Show a progress bar on stderr while files are read (the CLI sets this only when
    /// stderr is a terminal).
    pub progress: bool,
}

/// Runs discovery, extraction and modelling over `paths`.
pub fn analyze(paths: &[PathBuf], options: &AnalysisOptions) -> Result<Analysis, AnalysisError> {
    let jobs = if options.jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        options.jobs
    }
    .min(crate::limits::MAX_JOBS);
    let discovery = discover::discover(paths, jobs)?;
    let config = load_configs(&discovery, options.config.as_deref())?;
    // Each file's `[rules]` table was checked as it was loaded (`rules::config::check`); the
    // merged settings are checked here (a pack name that is neither built in nor a file), so
    // that every command stops before any file is scanned.
    crate::rules::Settings::from_config(&config)?;
    let detectors = extract::Detectors::with_patterns(config.detector_patterns.clone());
    let results = extract_all(&discovery, &detectors, jobs, options.progress)?;
    let (facts, mut diagnostics) = facts_and_diagnostics(&discovery, results);

    let model = model::build(&discovery, &facts, &config, &detectors);
    diagnostics.extend(model.diagnostics);
    diagnostics.sort();
    diagnostics.dedup();
    // Rules, graph JSON and the report all read the same numbers: computed once, here.
    let metrics = metrics::compute(&model.graph, &model.services);
    Ok(Analysis {
        files_scanned: discovery.files.len(),
        roots: discovery.roots,
        config,
        graph: model.graph,
        ownership: model.ownership,
        packages: model.packages,
        services: model.services,
        metrics,
        diagnostics,
        suppressions: model.suppressions,
    })
}

/// Extracts the facts of every discovered file on a pool of `jobs` threads, in file order.
fn extract_all(
    discovery: &Discovery,
    detectors: &extract::Detectors,
    jobs: usize,
    progress: bool,
) -> Result<Vec<Result<FileFacts, extract::ExtractError>>, AnalysisError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(EXTRACTION_STACK_BYTES)
        .thread_name(|i| format!("capgraph-extract-{i}"))
        .build()?;
    let bar = if progress {
        let bar = indicatif::ProgressBar::new(discovery.files.len() as u64);
        let style = indicatif::ProgressStyle::with_template(
            "{spinner} scanning {pos}/{len} files {wide_bar}",
        )
        .expect("static template");
        bar.set_style(style);
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let results = pool.install(|| {
        discovery
            .files
            .par_iter()
            .map(|file| {
                let facts = extract::extract_file(file, detectors);
                bar.inc(1);
                facts
            })
            .collect()
    });
    bar.finish_and_clear();
    Ok(results)
}

/// The facts of each file (`None` for a file that failed) and the diagnostics of discovery,
/// of the failed files and of the lines files could not understand.
fn facts_and_diagnostics(
    discovery: &Discovery,
    results: Vec<Result<FileFacts, extract::ExtractError>>,
) -> (Vec<Option<FileFacts>>, Vec<Diagnostic>) {
    let mut diagnostics = discovery.diagnostics.clone();
    let mut facts = Vec::with_capacity(results.len());
    for (file, result) in discovery.files.iter().zip(results) {
        match result {
            Ok(file_facts) => facts.push(Some(file_facts)),
            Err(err) => {
                diagnostics.push(Diagnostic {
                    code: match file.kind {
                        FileKind::RustSource => DiagnosticCode::UnparsableFile,
                        FileKind::CargoManifest
                        | FileKind::Codeowners
                        | FileKind::Catalog
                        | FileKind::Proto
                        | FileKind::Deploy
                        | FileKind::Config => DiagnosticCode::InvalidManifest,
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

    // Lines of ownership files and manifest keys that could not be understood are reported
    // like any other malformed input; the rest of each file still counts.
    for (file, file_facts) in discovery.files.iter().zip(&facts) {
        let problems = match file_facts {
            Some(FileFacts::Codeowners(codeowners)) => &codeowners.problems,
            Some(FileFacts::Catalog(catalog)) => &catalog.problems,
            Some(FileFacts::Manifest(manifest)) => &manifest.problems,
            _ => continue,
        };
        for (line, message) in problems {
            diagnostics.push(Diagnostic {
                code: DiagnosticCode::InvalidManifest,
                repo: discovery.roots[file.root].name.clone(),
                path: file.rel_path.clone(),
                line: Some(*line),
                message: message.clone(),
            });
        }
    }
    (facts, diagnostics)
}

/// The configuration of a run: `--config FILE` if given, else the `capgraph.toml` of every
/// root, merged.
fn load_configs(discovery: &Discovery, explicit: Option<&Path>) -> Result<Config, ConfigError> {
    if let Some(path) = explicit {
        let canonical = path.canonicalize().ok();
        let root = canonical.as_ref().and_then(|c| {
            discovery
                .roots
                .iter()
                .position(|root| c.starts_with(&root.path))
        });
        return config::load_config(
            path,
            &path.display().to_string(),
            root,
            None,
            Some(crate::rules::config::check),
        );
    }
    let mut configs = Vec::new();
    for file in &discovery.files {
        if file.kind == FileKind::Config {
            let display = format!("{}/{}", discovery.roots[file.root].name, file.rel_path);
            configs.push(config::load_config(
                &file.abs_path,
                &display,
                Some(file.root),
                Some(&discovery.roots[file.root].path),
                Some(crate::rules::config::check),
            )?);
        }
    }
    config::merge(configs)
}
