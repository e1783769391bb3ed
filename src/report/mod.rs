//! Reports: render an analysis for people and machines (JSON, DOT, Mermaid) and write it
//! atomically. Reports only format what the model holds; they evaluate nothing. Text from the
//! scanned repositories goes through `escape`, the function of each output.

pub mod dot;
pub mod drawing;
/// Escaping lives in the shared layer (diagnostics print through it too); reports reach it
/// here as before.
pub use crate::core::escape;
pub mod findings;
pub mod html;
pub mod init;
pub mod json;
pub mod layout;
pub mod mermaid;
pub mod owners;
pub mod rules;
pub mod sarif;

use std::io::{self, Write};
use std::path::Path;

/// Which nodes a rendering shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct GraphView {
    /// Show third-party crates too.
    pub include_external: bool,
}

/// Writes `path` through a temporary file in the same directory, renamed into place once
/// `write` has succeeded, so that readers see either the old file or the whole new one.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let file = tempfile::NamedTempFile::new_in(dir)?;
    // A temporary file is private to its owner; the file it replaces is usually not
    // (reports are published). Keep the old file's mode, or use the usual one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    let mut writer = io::BufWriter::new(file);
    write(&mut writer)?;
    let file = writer
        .into_inner()
        .map_err(io::IntoInnerError::into_error)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|err| err.error)?;
    Ok(())
}
