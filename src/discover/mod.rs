//! Discovery: the only stage that walks the disk. It finds the files of every root that later
//! stages read, honouring `.gitignore`, skipping `.git` and Cargo's `target/`, and never
//! following a symlink out of its root, around a loop or to a directory (each directory is
//! walked once, at its own path).

use crate::diagnostics::{Diagnostic, DiagnosticCode};
use ignore::{WalkBuilder, WalkState};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Errors that stop a run before anything is scanned.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("repository root `{0}` does not exist")]
    RootNotFound(PathBuf),
    #[error("repository root `{0}` is not a directory")]
    RootNotDirectory(PathBuf),
    #[error("cannot resolve repository root `{path}`: {source}")]
    RootUnreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("repository roots `{first}` and `{second}` have the same name `{name}`; rename one")]
    DuplicateRootName {
        name: String,
        first: PathBuf,
        second: PathBuf,
    },
}

/// One scanned repository.
#[derive(Debug, Clone)]
pub struct Root {
    /// The repository's name: the root directory's own name.
    pub name: String,
    /// The canonical absolute path of the root.
    pub path: PathBuf,
}

/// What a discovered file is to later stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// A `.rs` file.
    RustSource,
    /// A `Cargo.toml`.
    CargoManifest,
    /// `CODEOWNERS`, `.github/CODEOWNERS` or `docs/CODEOWNERS`.
    Codeowners,
    /// A Backstage `catalog-info.yaml`.
    Catalog,
    /// `capgraph.toml` at the top of a root.
    Config,
    /// A Protocol Buffers `.proto` file.
    Proto,
    /// Any other `.yml`/`.yaml` file: a docker-compose file or Kubernetes manifest, maybe.
    /// Extraction tells them from other YAML (workflows, Helm templates) by content.
    Deploy,
}

impl FileKind {
    /// The kind of a file from its root-relative path, if capgraph reads it.
    fn of(rel_path: &str) -> Option<FileKind> {
        let file_name = rel_path.rsplit('/').next().unwrap_or(rel_path);
        match file_name {
            "Cargo.toml" => Some(FileKind::CargoManifest),
            "catalog-info.yaml" | "catalog-info.yml" => Some(FileKind::Catalog),
            "CODEOWNERS"
                if matches!(
                    rel_path,
                    "CODEOWNERS" | ".github/CODEOWNERS" | "docs/CODEOWNERS"
                ) =>
            {
                Some(FileKind::Codeowners)
            }
            _ if rel_path == crate::core::CONFIG_FILE => Some(FileKind::Config),
            _ if file_name.ends_with(".rs") => Some(FileKind::RustSource),
            _ if file_name.ends_with(".proto") => Some(FileKind::Proto),
            _ if file_name.ends_with(".yaml") || file_name.ends_with(".yml") => {
                Some(FileKind::Deploy)
            }
            _ => None,
        }
    }
}

/// A file found under a root.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Index into [`Discovery::roots`].
    pub root: usize,
    /// The path relative to the root, with `/` separators.
    pub rel_path: String,
    /// The path to open.
    pub abs_path: PathBuf,
    pub kind: FileKind,
}

/// Everything discovery found, in a deterministic order.
#[derive(Debug, Default)]
pub struct Discovery {
    pub roots: Vec<Root>,
    /// Sorted by root, then relative path.
    pub files: Vec<SourceFile>,
    /// Every file walked (read or not), per root, sorted: what CODEOWNERS patterns and
    /// config globs are checked against.
    pub all_paths: Vec<Vec<String>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Resolves the given root paths, checking each exists and is a directory.
pub fn resolve_roots(paths: &[PathBuf]) -> Result<Vec<Root>, DiscoverError> {
    let mut roots: Vec<Root> = Vec::with_capacity(paths.len());
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => DiscoverError::RootNotFound(path.clone()),
            _ => DiscoverError::RootUnreadable {
                path: path.clone(),
                source,
            },
        })?;
        if !meta.is_dir() {
            return Err(DiscoverError::RootNotDirectory(path.clone()));
        }
        let canonical = path
            .canonicalize()
            .map_err(|source| DiscoverError::RootUnreadable {
                path: path.clone(),
                source,
            })?;
        let name = canonical
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "root".to_string());
        if roots.iter().any(|r| r.path == canonical) {
            continue;
        }
        if let Some(other) = roots.iter().find(|r| r.name == name) {
            return Err(DiscoverError::DuplicateRootName {
                name,
                first: other.path.clone(),
                second: canonical,
            });
        }
        roots.push(Root {
            name,
            path: canonical,
        });
    }
    Ok(roots)
}

/// Walks every root in parallel (one parallel walk over all of them) and returns the files
/// later stages read.
pub fn discover(paths: &[PathBuf], threads: usize) -> Result<Discovery, DiscoverError> {
    let roots = resolve_roots(paths)?;
    if roots.is_empty() {
        return Ok(Discovery::default());
    }
    let walk = Walk {
        roots: Arc::new(roots.clone()),
        ..Walk::default()
    };
    let mut builder = WalkBuilder::new(&roots[0].path);
    for root in &roots[1..] {
        builder.add(&root.path);
    }
    let filter = walk.clone();
    builder
        .threads(threads.max(1))
        .hidden(false)
        .parents(false)
        .ignore(false)
        .git_global(false)
        .git_exclude(false)
        .git_ignore(true)
        .require_git(false)
        .follow_links(true)
        .filter_entry(move |entry| filter.enters(entry));
    builder.build_parallel().run(|| {
        Box::new(|result| {
            walk.visit(result);
            WalkState::Continue
        })
    });
    Ok(walk.finish(roots))
}

/// What the walk's threads share: the roots, and what they found so far.
#[derive(Clone, Default)]
struct Walk {
    roots: Arc<Vec<Root>>,
    found: Arc<Mutex<Vec<SourceFile>>>,
    walked: Arc<Mutex<Vec<(usize, String)>>>,
    diagnostics: Arc<Mutex<Vec<Diagnostic>>>,
}

impl Walk {
    /// Records a problem with a walked path (one outside every root is not ours to report).
    fn report(&self, path: &Path, message: String) {
        let Some(index) = root_of(&self.roots, path) else {
            return;
        };
        let root = &self.roots[index];
        let rel = relative_path(&root.path, path).unwrap_or_default();
        lock(&self.diagnostics).push(Diagnostic {
            code: DiagnosticCode::UnparsableFile,
            repo: root.name.clone(),
            path: rel,
            line: None,
            message,
        });
    }

    /// Whether the walk enters (or yields) `entry`: not `.git`, not Cargo's `target/`, and a
    /// symlink only to a file inside its root.
    fn enters(&self, entry: &ignore::DirEntry) -> bool {
        let name = entry.file_name();
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        if is_dir && name == ".git" {
            return false;
        }
        if is_dir && name == "target" {
            // Cargo's build directory sits next to a manifest; a module folder named
            // `target` elsewhere is source and is kept.
            let beside_manifest = entry
                .path()
                .parent()
                .is_some_and(|p| p.join("Cargo.toml").is_file());
            if beside_manifest {
                return false;
            }
        }
        if entry.path_is_symlink() {
            return self.follows_link(entry.path());
        }
        true
    }

    /// Whether to follow the symlink at `path`; reports the links it refuses for a reason
    /// worth knowing.
    fn follows_link(&self, path: &Path) -> bool {
        let Some(index) = root_of(&self.roots, path) else {
            return false;
        };
        // A link is followed only when it stays inside its root, and only to a file: a linked
        // directory inside the root is walked at its own path anyway, and following links to
        // directories would let a few links stand for exponentially many paths (a "diamond"
        // of links, no loop needed).
        match path.canonicalize() {
            Ok(target) if target.starts_with(&self.roots[index].path) => {
                if !target.is_dir() {
                    return true;
                }
                if path.starts_with(&target) {
                    self.report(path, "symlink loop; not followed".to_string());
                }
                false
            }
            Ok(target) => {
                let message = format!(
                    "symlink leads outside the repository (to `{}`); not followed",
                    target.display()
                );
                self.report(path, message);
                false
            }
            // A dangling link points at nothing to scan.
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => false,
            Err(err) => {
                let message = format!("cannot resolve symlink ({err}); not followed");
                self.report(path, message);
                false
            }
        }
    }

    /// Takes one result of the walk: a file to list, a special file or an error to report.
    fn visit(&self, result: Result<ignore::DirEntry, ignore::Error>) {
        let entry = match result {
            Ok(entry) => entry,
            Err(err) => {
                if let Some(path) = error_path(&err) {
                    let message = if is_loop(&err) {
                        "symlink loop; not followed".to_string()
                    } else {
                        format!("cannot read: {}", strip_path_prefix(&err.to_string()))
                    };
                    self.report(&path, message);
                }
                return;
            }
        };
        let Some(file_type) = entry.file_type() else {
            return;
        };
        if !file_type.is_file() {
            // A FIFO, socket or device under a name capgraph reads is reported: reading it
            // could block or never end, and skipping it silently would hide a file the user
            // expects to count.
            if !file_type.is_dir()
                && let Some(root) = root_of(&self.roots, entry.path())
                && relative_path(&self.roots[root].path, entry.path())
                    .is_some_and(|rel| FileKind::of(&rel).is_some())
            {
                self.report(entry.path(), "not a regular file; not read".to_string());
            }
            return;
        }
        let Some(root) = root_of(&self.roots, entry.path()) else {
            return;
        };
        let Some(rel_path) = relative_path(&self.roots[root].path, entry.path()) else {
            return;
        };
        lock(&self.walked).push((root, rel_path.clone()));
        let Some(kind) = FileKind::of(&rel_path) else {
            return;
        };
        lock(&self.found).push(SourceFile {
            root,
            rel_path,
            abs_path: entry.into_path(),
            kind,
        });
    }

    /// What the walk found, sorted: files by root and path, walked paths per root,
    /// diagnostics.
    fn finish(self, roots: Vec<Root>) -> Discovery {
        let mut files = std::mem::take(&mut *lock(&self.found));
        files.sort_by(|a, b| (a.root, &a.rel_path).cmp(&(b.root, &b.rel_path)));
        files.dedup_by(|a, b| a.root == b.root && a.rel_path == b.rel_path);
        let mut all_paths = vec![Vec::new(); roots.len()];
        for (root, path) in std::mem::take(&mut *lock(&self.walked)) {
            all_paths[root].push(path);
        }
        for paths in &mut all_paths {
            paths.sort();
            paths.dedup();
        }
        let mut diagnostics = std::mem::take(&mut *lock(&self.diagnostics));
        diagnostics.sort();
        diagnostics.dedup();
        Discovery {
            roots,
            files,
            all_paths,
            diagnostics,
        }
    }
}

/// The list behind `mutex`, even if a walking thread panicked while holding it.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The root a walked path belongs to: the innermost one containing it, so that a root nested
/// in another keeps its own files.
fn root_of(roots: &[Root], path: &Path) -> Option<usize> {
    roots
        .iter()
        .enumerate()
        .filter(|(_, root)| path.starts_with(&root.path))
        .max_by_key(|(_, root)| root.path.components().count())
        .map(|(index, _)| index)
}

fn is_loop(err: &ignore::Error) -> bool {
    match err {
        ignore::Error::Loop { .. } => true,
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => is_loop(err),
        _ => false,
    }
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// `ignore` prefixes messages with the absolute path, which the diagnostic already names.
fn strip_path_prefix(message: &str) -> &str {
    message.rsplit(": ").next().unwrap_or(message)
}

/// The path of `path` relative to `root`, with `/` separators, or `None` if it is outside.
pub fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut out = String::new();
    for component in rel.components() {
        if let Component::Normal(part) = component {
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(&part.to_string_lossy());
        }
    }
    Some(out)
}
