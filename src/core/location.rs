//! The one place type of scanned code: a repository, a path relative to its root, and a
//! 1-based line where there is one. Findings, their related sites and rule messages use it;
//! the graph keeps the compact `Site` (path and line within a known crate) and turns it into a
//! `Location` with [`crate::model::Site`]'s repository when a rule needs one.

use serde::Serialize;

/// A place in a scanned repository: its repo name, a path relative to the repo root, and a
/// 1-based line where there is one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    pub repo: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

impl Location {
    pub fn new(repo: &str, path: &str, line: Option<u32>) -> Location {
        Location {
            repo: repo.to_string(),
            path: path.to_string(),
            line,
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.repo, self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        Ok(())
    }
}
