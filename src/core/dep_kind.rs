//! The kind of a dependency (normal, dev, build), shared by manifests, the graph, rules and reports.

/// The kind of a dependency, as Cargo's dependency tables name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DepKind {
    Normal,
    Dev,
    Build,
}

impl DepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DepKind::Normal => "normal",
            DepKind::Dev => "dev",
            DepKind::Build => "build",
        }
    }

    /// The kind's name in finding fingerprints: spelled out here, never taken from `Debug`,
    /// so that renaming a variant cannot change a fingerprint a baseline holds.
    pub fn fingerprint_name(self) -> &'static str {
        match self {
            DepKind::Normal => "Normal",
            DepKind::Dev => "Dev",
            DepKind::Build => "Build",
        }
    }
}
