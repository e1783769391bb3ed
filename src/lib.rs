//! capgraph: a static analyzer of ownership, crate dependencies and service calls between
//! capability-aligned teams.
//!
//! The pipeline is discover → extract → model → report; see `ARCHITECTURE.md` for the
//! bird's-eye view and the invariants each stage keeps.

pub mod analysis;
pub mod config;
pub mod core;
pub mod diagnostics;
pub mod discover;
pub mod extract;
pub mod limits;
pub mod model;
pub mod report;
pub mod rules;

pub use analysis::{Analysis, AnalysisOptions, analyze};
pub use diagnostics::{Diagnostic, DiagnosticCode};
