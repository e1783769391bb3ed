//! Reports: render an analysis for people and machines (JSON, DOT, Mermaid) and write it
//! atomically. Reports only format what the model holds; they evaluate nothing.

pub mod dot;
pub mod json;
pub mod mermaid;

use std::io::Write;
use std::path::Path;

/// Which nodes a rendering shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct GraphView {
    /// Show third-party crates too.
    pub include_external: bool,
}

/// Writes `bytes` to `path` through a temporary file in the same directory, so that readers
/// see either the old file or the whole new one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|err| err.error)?;
    Ok(())
}
