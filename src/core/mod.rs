//! The shared vocabulary every stage speaks and none owns: typed node ids, locations, line numbers, dependency
//! kinds, the detector data and built-in packs, the escaping of scanned text for every output,
//! and the name of the config file. It depends on no pipeline stage
//! (see `tests/architecture.rs`), so that discover, extract, model, rules and report can all
//! use it without depending on each other.

pub mod dep_kind;
pub mod detectors;
pub mod escape;
pub mod handles;
pub mod ids;
pub mod line_index;
pub mod location;
pub mod packs;

pub use dep_kind::DepKind;
pub use detectors::Detectors;
pub use handles::{OwnerKind, owner_kind};
pub use ids::NodeId;
pub use line_index::LineIndex;
pub use location::Location;

/// The file name of capgraph's configuration at the top of a root.
pub const CONFIG_FILE: &str = "capgraph.toml";
