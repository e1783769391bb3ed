//! Extraction: reads each discovered file once and turns it into facts (references, manifest
//! declarations, run-time evidence, gRPC services, deployed workloads). It runs file by file
//! in parallel, keeps no syntax tree, and never sees the graph or any other file.

pub mod catalog;
pub mod codeowners;
pub mod deploy;
pub mod items;
pub mod manifest;
pub mod proto;
pub mod services;
pub mod source;
pub mod suppressions;
pub mod yaml;

pub use crate::core::detectors::{self, Detectors};
pub use crate::core::{DepKind, LineIndex};
use crate::discover::{FileKind, SourceFile};
pub use deploy::{DeployFacts, EnvBinding, EnvFrom, Workload, extract_deploy};
pub use manifest::{DepSource, DependencyDecl, ManifestFacts, extract_manifest};
pub use proto::{ProtoFacts, ProtoService, extract_proto};
pub use source::{ParseFailure, SourceFacts, extract_source, extract_source_with};

/// Why one file yielded no facts. Each becomes a diagnostic; none stops the run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("cannot read file: {0}")]
    Unreadable(String),
    /// Larger than [`size_limit`] allows for its kind: not read at all.
    #[error(
        "file is {}, over the {} limit for {what}; not read",
        crate::limits::human_size(*size),
        crate::limits::human_size(*limit)
    )]
    TooLarge {
        size: u64,
        limit: u64,
        what: &'static str,
    },
    #[error("not valid UTF-8 (first invalid byte at offset {offset})")]
    InvalidUtf8 { line: u32, offset: usize },
    #[error("{0}")]
    Parse(#[from] ParseFailure),
    #[error("manifest has neither a [package] nor a [workspace] table")]
    EmptyManifest,
    #[error("syntax error: {message}")]
    InvalidProto { line: u32, message: String },
    /// A compose file or Kubernetes manifest that is not valid YAML. YAML files that are
    /// neither never produce this.
    #[error("{message}")]
    InvalidDeploy { line: u32, message: String },
}

impl ExtractError {
    /// The 1-based line the problem is on, where it has one.
    pub fn line(&self) -> Option<u32> {
        match self {
            ExtractError::InvalidUtf8 { line, .. } => Some(*line),
            ExtractError::Parse(failure) => failure.line,
            ExtractError::InvalidProto { line, .. } | ExtractError::InvalidDeploy { line, .. } => {
                Some(*line)
            }
            ExtractError::Unreadable(_)
            | ExtractError::TooLarge { .. }
            | ExtractError::EmptyManifest => None,
        }
    }
}

/// The facts of one file.
#[derive(Debug, Clone)]
pub enum FileFacts {
    Rust(SourceFacts),
    Manifest(Box<ManifestFacts>),
    Codeowners(codeowners::CodeownersFacts),
    Catalog(catalog::CatalogFacts),
    Proto(ProtoFacts),
    /// Workloads of a compose file or Kubernetes manifest; other YAML files give none.
    Deploy(DeployFacts),
    /// `capgraph.toml` is read by the configuration loader, not here.
    Config,
}

/// The largest file of each kind that is read, in bytes (see [`crate::limits`]), and what
/// the kind is called in messages.
pub fn size_limit(kind: FileKind) -> (u64, &'static str) {
    use crate::limits::*;
    match kind {
        FileKind::RustSource => (MAX_RUST_SOURCE_BYTES, "Rust sources"),
        FileKind::CargoManifest => (MAX_MANIFEST_BYTES, "Cargo manifests"),
        FileKind::Codeowners => (MAX_CODEOWNERS_BYTES, "CODEOWNERS files"),
        FileKind::Catalog => (MAX_CATALOG_BYTES, "catalog files"),
        FileKind::Proto => (MAX_PROTO_BYTES, ".proto files"),
        FileKind::Deploy => (MAX_DEPLOY_BYTES, "YAML files"),
        FileKind::Config => (MAX_CONFIG_BYTES, "capgraph.toml"),
    }
}

/// Reads and extracts one discovered file.
pub fn extract_file(file: &SourceFile, detectors: &Detectors) -> Result<FileFacts, ExtractError> {
    if file.kind == FileKind::Config {
        return Ok(FileFacts::Config);
    }
    let (limit, what) = size_limit(file.kind);
    let bytes = crate::limits::read_bounded(&file.abs_path, limit).map_err(|err| match err {
        crate::limits::ReadError::TooLarge { size, limit } => {
            ExtractError::TooLarge { size, limit, what }
        }
        other => ExtractError::Unreadable(other.to_string()),
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let bytes = err.as_bytes();
            let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u32;
            return Err(ExtractError::InvalidUtf8 { line, offset });
        }
    };
    extract_text(file.kind, &text, detectors)
}

/// Extracts the facts of a file's text, by the file's kind.
pub fn extract_text(
    kind: FileKind,
    text: &str,
    detectors: &Detectors,
) -> Result<FileFacts, ExtractError> {
    match kind {
        FileKind::RustSource => Ok(FileFacts::Rust(extract_source_with(text, detectors)?)),
        FileKind::CargoManifest => {
            let facts = extract_manifest(text)?;
            if facts.package.is_none() && facts.workspace.is_none() {
                return Err(ExtractError::EmptyManifest);
            }
            Ok(FileFacts::Manifest(Box::new(facts)))
        }
        FileKind::Codeowners => Ok(FileFacts::Codeowners(codeowners::extract_codeowners(text))),
        FileKind::Catalog => Ok(FileFacts::Catalog(catalog::extract_catalog(text))),
        FileKind::Proto => Ok(FileFacts::Proto(extract_proto(text)?)),
        FileKind::Deploy => Ok(FileFacts::Deploy(extract_deploy(text)?)),
        FileKind::Config => Ok(FileFacts::Config),
    }
}
