//! The bounds that keep one hostile input from costing a run its time or memory, in one
//! place, with the bounded file read every stage uses. README's "Running on untrusted code"
//! lists them; each one, when hit, becomes a finding or a clear error, never a crash.

use std::io::Read;
use std::path::Path;

const MIB: u64 = 1024 * 1024;

/// The largest Rust source read: about 400k lines of generated code.
pub const MAX_RUST_SOURCE_BYTES: u64 = 16 * MIB;
/// The largest `Cargo.toml` read.
pub const MAX_MANIFEST_BYTES: u64 = 4 * MIB;
/// The largest CODEOWNERS file read; GitHub itself ignores one over 3 MB.
pub const MAX_CODEOWNERS_BYTES: u64 = 3 * MIB;
/// The largest Backstage catalog file read.
pub const MAX_CATALOG_BYTES: u64 = 4 * MIB;
/// The largest `.proto` file read.
pub const MAX_PROTO_BYTES: u64 = 4 * MIB;
/// The largest other YAML file (compose file, Kubernetes manifest) read.
pub const MAX_DEPLOY_BYTES: u64 = 8 * MIB;
/// The largest `capgraph.toml` or rule pack read.
pub const MAX_CONFIG_BYTES: u64 = MIB;
/// Worker threads beyond this help no run (extraction is CPU-bound) and each costs a large
/// stack: `--jobs` above it is lowered to it.
pub const MAX_JOBS: usize = 64;

/// Why a bounded read failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("not a regular file")]
    NotRegular,
    #[error("file is {}, over the {} limit", human_size(*size), human_size(*limit))]
    TooLarge { size: u64, limit: u64 },
}

/// Reads a regular file of at most `limit` bytes. The size is checked before reading and the
/// read itself is bounded, so a file that grows meanwhile, or a sparse file of any apparent
/// size, costs at most `limit` bytes; a FIFO or device is refused without being opened for
/// reading (opening a FIFO would block).
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let metadata = std::fs::metadata(path)?;
    if !metadata.is_file() {
        return Err(ReadError::NotRegular);
    }
    if metadata.len() > limit {
        return Err(ReadError::TooLarge {
            size: metadata.len(),
            limit,
        });
    }
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// A size for messages: `3 MiB`, `6.0 GiB`, `812 bytes`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= size {
            return if bytes.is_multiple_of(size) {
                format!("{} {unit}", bytes / size)
            } else {
                format!("{:.1} {unit}", bytes as f64 / size as f64)
            };
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_size(812), "812 bytes");
        assert_eq!(human_size(3 * MIB), "3 MiB");
        assert_eq!(human_size(6 << 30), "6 GiB");
        assert_eq!(human_size(1536), "1.5 KiB");
    }
}
