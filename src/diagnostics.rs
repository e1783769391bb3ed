//! Diagnostics about the scanned input itself (SCN001, SCN002): a file that could not be read
//! or parsed is reported and the run goes on.

use serde::Serialize;
use std::fmt;

/// The diagnostic codes, stable like rule ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum DiagnosticCode {
    /// A source file could not be read or parsed.
    #[serde(rename = "SCN001")]
    UnparsableFile,
    /// A Cargo.toml or ownership file is malformed.
    #[serde(rename = "SCN002")]
    InvalidManifest,
}

impl DiagnosticCode {
    /// The stable id, as users write it in configuration and suppressions.
    pub fn id(self) -> &'static str {
        match self {
            DiagnosticCode::UnparsableFile => "SCN001",
            DiagnosticCode::InvalidManifest => "SCN002",
        }
    }

    /// The kebab-case name of the problem.
    pub fn name(self) -> &'static str {
        match self {
            DiagnosticCode::UnparsableFile => "unparsable-file",
            DiagnosticCode::InvalidManifest => "invalid-manifest",
        }
    }
}

/// One problem with one input file. `line` is 1-based where the problem has a position.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    pub code: DiagnosticCode,
    pub repo: String,
    pub path: String,
    pub line: Option<u32>,
    pub message: String,
}

/// One line for a terminal: the repository, path and message come from the scanned files and
/// are shown with `core::escape::terminal` (control characters escaped, no line break).
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::core::escape::terminal;
        write!(
            f,
            "{}[{}]: {}/{}",
            self.code.name(),
            self.code.id(),
            terminal(&self.repo),
            terminal(&self.path)
        )?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", terminal(&self.message))
    }
}
