//! Packages and workspaces as Cargo sees them: which manifests declare packages, which
//! workspace each belongs to (members globs, `exclude`, path dependencies), the targets each
//! has, and which package and target every source file belongs to.

use crate::discover::{Discovery, FileKind};
use crate::extract::manifest::{
    BuildScript, CapgraphMetadata, PackageFacts, Patch, WorkspaceFacts,
};
use crate::extract::{DepSource, DependencyDecl, FileFacts};
use globset::GlobBuilder;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

/// Which kind of dependency code in a file may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeContext {
    /// Library and binary targets.
    Normal,
    /// Tests, benches and examples.
    Dev,
    /// The build script.
    Build,
}

/// One package of a scanned repository.
#[derive(Debug, Clone)]
pub struct Package {
    pub root: usize,
    pub name: String,
    /// The name in its node id (`crate:ID_NAME`): the package name, or `NAME@REPO/DIR` when
    /// several scanned packages have that name (fixtures, `xtask` in every repository), so
    /// that each stays a crate of its own.
    pub id_name: String,
    /// Directory relative to the repo root ("" for the root).
    pub dir: String,
    /// Manifest path relative to the repo root.
    pub manifest: String,
    /// The library name code writes (`[lib] name`, or the package name with `_` for `-`).
    pub lib: Option<String>,
    pub bins: Vec<String>,
    /// The binary targets, by name, with their root files.
    pub binaries: Vec<Binary>,
    /// Directory of the workspace root it belongs to; its own directory when standalone.
    pub workspace_dir: String,
    pub dependencies: Vec<DependencyDecl>,
    /// `[package.metadata.capgraph]`.
    pub metadata: Option<CapgraphMetadata>,
    facts: PackageFacts,
}

/// A binary target of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binary {
    /// `[[bin]] name`, the file stem under `src/bin/`, or the package name for `src/main.rs`.
    pub name: String,
    /// Its root file, relative to the repository root.
    pub root_file: String,
}

struct Workspace {
    root: usize,
    dir: String,
    facts: WorkspaceFacts,
    /// `members`, compiled once (a workspace may list thousands).
    members: globset::GlobSet,
}

/// All packages and workspaces of the scanned roots.
pub struct PackageSet {
    /// Sorted by (root, dir).
    pub packages: Vec<Package>,
    /// Per package, `extern crate NAME as ALIAS` aliases found in its files (alias → name).
    pub extern_aliases: Vec<HashMap<String, String>>,
    workspaces: Vec<Workspace>,
    /// (root, dir) → index into `workspaces`.
    workspace_by_dir: HashMap<(usize, String), usize>,
    by_dir: HashMap<(usize, String), usize>,
    /// The `[patch]` entries of each manifest that has any, by (root, dir).
    patches: HashMap<(usize, String), Vec<Patch>>,
    root_names: Vec<String>,
    root_paths: Vec<PathBuf>,
}

impl Package {
    /// The 1-based line of `name = ..` in the manifest.
    pub fn name_line(&self) -> u32 {
        self.facts.line
    }
}

impl PackageSet {
    pub fn new(discovery: &Discovery, facts: &[Option<FileFacts>]) -> PackageSet {
        let rust_files: BTreeSet<(usize, &str)> = discovery
            .files
            .iter()
            .filter(|f| f.kind == FileKind::RustSource)
            .map(|f| (f.root, f.rel_path.as_str()))
            .collect();

        let mut packages = Vec::new();
        let mut workspaces = Vec::new();
        let mut patches = HashMap::new();
        for (file, facts) in discovery.files.iter().zip(facts) {
            let Some(FileFacts::Manifest(manifest)) = facts else {
                continue;
            };
            let dir = parent_dir(&file.rel_path).to_string();
            if !manifest.patches.is_empty() {
                patches.insert((file.root, dir.clone()), manifest.patches.clone());
            }
            if let Some(workspace) = &manifest.workspace {
                workspaces.push(Workspace {
                    root: file.root,
                    dir: dir.clone(),
                    members: member_globs(&workspace.members),
                    facts: workspace.clone(),
                });
            }
            if let Some(package) = &manifest.package {
                let lib = library_name(package, file.root, &dir, &rust_files);
                let binaries = binary_targets(package, file.root, &dir, &rust_files);
                let bins = binaries.iter().map(|b| b.name.clone()).collect();
                packages.push(Package {
                    root: file.root,
                    name: package.name.clone(),
                    id_name: package.name.clone(),
                    dir: dir.clone(),
                    manifest: file.rel_path.clone(),
                    lib,
                    bins,
                    binaries,
                    workspace_dir: dir,
                    dependencies: manifest.dependencies.clone(),
                    metadata: package.capgraph.clone(),
                    facts: package.clone(),
                });
            }
        }
        packages.sort_by(|a, b| (a.root, &a.dir).cmp(&(b.root, &b.dir)));
        qualify_shared_names(&mut packages, &discovery.roots);
        let by_dir = packages
            .iter()
            .enumerate()
            .map(|(index, p)| ((p.root, p.dir.clone()), index))
            .collect();

        let mut workspace_by_dir = HashMap::new();
        for (index, ws) in workspaces.iter().enumerate() {
            workspace_by_dir
                .entry((ws.root, ws.dir.clone()))
                .or_insert(index);
        }
        let mut set = PackageSet {
            extern_aliases: vec![HashMap::new(); packages.len()],
            packages,
            workspaces,
            workspace_by_dir,
            by_dir,
            patches,
            root_names: discovery.roots.iter().map(|r| r.name.clone()).collect(),
            root_paths: discovery.roots.iter().map(|r| r.path.clone()).collect(),
        };
        set.assign_workspaces();

        for (file, facts) in discovery.files.iter().zip(facts) {
            let Some(FileFacts::Rust(source)) = facts else {
                continue;
            };
            if source.extern_crates.is_empty() {
                continue;
            }
            if let Some((index, _)) = set.owner_of(file.root, &file.rel_path) {
                for item in &source.extern_crates {
                    if let Some(alias) = &item.alias {
                        set.extern_aliases[index].insert(alias.clone(), item.name.clone());
                    }
                }
            }
        }
        set
    }

    pub fn root_name(&self, root: usize) -> &str {
        &self.root_names[root]
    }

    /// How many roots were scanned.
    pub fn root_count(&self) -> usize {
        self.root_names.len()
    }

    /// The workspace a package belongs to, if it is a member of one.
    pub fn workspace_of(&self, package: &Package) -> Option<&WorkspaceFacts> {
        self.workspace_at(package.root, &package.workspace_dir)
            .map(|index| &self.workspaces[index].facts)
    }

    /// For a package that belongs to no workspace, why: the nearest workspace above it and
    /// whether its `exclude` keeps the package out (else its `members` do not list it), or
    /// `None` when no workspace is above it.
    pub fn enclosing_workspace(&self, package: &Package) -> Option<(&str, bool)> {
        let mut dir = package.dir.as_str();
        while !dir.is_empty() {
            dir = parent_dir(dir);
            if let Some(index) = self.workspace_at(package.root, dir) {
                let workspace = &self.workspaces[index];
                return Some((&workspace.dir, is_excluded(workspace, &package.dir)));
            }
        }
        None
    }

    /// The `[patch]` entries in force for a package: those of its workspace root's manifest
    /// (its own when standalone), the only place Cargo reads them.
    pub fn patches_of(&self, package: &Package) -> &[Patch] {
        self.patches
            .get(&(package.root, package.workspace_dir.clone()))
            .map_or(&[], Vec::as_slice)
    }

    /// The workspace whose root manifest is in `dir` of `root`.
    fn workspace_at(&self, root: usize, dir: &str) -> Option<usize> {
        self.workspace_by_dir.get(&(root, dir.to_string())).copied()
    }

    /// The package at `base_dir/path` (a path dependency), in any scanned root.
    pub fn package_at(&self, root: usize, base_dir: &str, path: &str) -> Option<usize> {
        let absolute = normalize(&self.root_paths[root].join(base_dir).join(path));
        self.root_paths
            .iter()
            .enumerate()
            .find_map(|(root_index, root_path)| {
                let rel = absolute.strip_prefix(root_path).ok()?;
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                self.by_dir.get(&(root_index, rel)).copied()
            })
    }

    /// The package a source file belongs to (the nearest enclosing package directory) and the
    /// kind of code it holds.
    pub fn owner_of(&self, root: usize, rel_path: &str) -> Option<(usize, CodeContext)> {
        let mut dir = parent_dir(rel_path);
        loop {
            if let Some(&index) = self.by_dir.get(&(root, dir.to_string())) {
                let package = &self.packages[index];
                let inner = if dir.is_empty() {
                    rel_path
                } else {
                    &rel_path[dir.len() + 1..]
                };
                return Some((index, code_context(&package.facts, inner)));
            }
            if dir.is_empty() {
                return None;
            }
            dir = parent_dir(dir);
        }
    }

    /// Decides the workspace of every package: the `package.workspace` path or the nearest
    /// enclosing workspace, if the package is a member of it (its root, matched by `members`
    /// and not `exclude`d, or a path dependency of a member inside the workspace directory).
    /// Other packages are standalone.
    fn assign_workspaces(&mut self) {
        let mut is_member = vec![false; self.packages.len()];
        let mut candidate = vec![None; self.packages.len()];
        for (index, package) in self.packages.iter().enumerate() {
            let ws_index = match &package.facts.workspace {
                Some(path) => {
                    let dir = normalize_rel(&package.dir, path);
                    dir.and_then(|dir| self.workspace_at(package.root, &dir))
                }
                None => self.nearest_workspace(package.root, &package.dir),
            };
            let Some(ws_index) = ws_index else { continue };
            candidate[index] = Some(ws_index);
            is_member[index] = is_declared_member(&self.workspaces[ws_index], &package.dir);
        }
        // Path dependencies of members that live inside the workspace join it, and theirs in
        // turn: a worklist, so each package is looked at once however long the chains.
        let mut pending: Vec<usize> = (0..self.packages.len()).filter(|&i| is_member[i]).collect();
        while let Some(index) = pending.pop() {
            let ws_index = candidate[index].expect("members have a workspace");
            let ws_dir = &self.workspaces[ws_index].dir;
            let package = &self.packages[index];
            for dep in &package.dependencies {
                // A path written in the member's manifest is relative to the member; one it
                // inherits (`workspace = true`) is relative to the workspace root.
                let (base, path) = match &dep.source {
                    DepSource::Path(path) => (package.dir.as_str(), path),
                    DepSource::Inherited => {
                        let declared = self.workspaces[ws_index].facts.inherited(&dep.key);
                        match declared.map(|decl| &decl.source) {
                            Some(DepSource::Path(path)) => (ws_dir.as_str(), path),
                            _ => continue,
                        }
                    }
                    _ => continue,
                };
                let Some(dep) = self.package_at(package.root, base, path) else {
                    continue;
                };
                let dep_package = &self.packages[dep];
                if !is_member[dep]
                    && dep_package.root == package.root
                    && candidate[dep] == Some(ws_index)
                    && is_within(ws_dir, &dep_package.dir)
                    && !is_excluded(&self.workspaces[ws_index], &dep_package.dir)
                {
                    is_member[dep] = true;
                    pending.push(dep);
                }
            }
        }
        for (index, package) in self.packages.iter_mut().enumerate() {
            if let (true, Some(ws_index)) = (is_member[index], candidate[index]) {
                package.workspace_dir = self.workspaces[ws_index].dir.clone();
            }
        }
    }

    fn nearest_workspace(&self, root: usize, dir: &str) -> Option<usize> {
        let mut current = dir;
        loop {
            if let Some(index) = self.workspace_at(root, current) {
                return Some(index);
            }
            if current.is_empty() {
                return None;
            }
            current = parent_dir(current);
        }
    }
}

fn is_declared_member(workspace: &Workspace, package_dir: &str) -> bool {
    if package_dir == workspace.dir {
        return true;
    }
    let Some(rel) = relative_to(&workspace.dir, package_dir) else {
        return false;
    };
    !is_excluded(workspace, package_dir) && workspace.members.is_match(rel)
}

/// The `members` globs of a workspace as one set. Cargo expands member globs against
/// directories, so `*` stays within one path component; a glob that does not parse matches
/// nothing.
fn member_globs(members: &[String]) -> globset::GlobSet {
    let mut set = globset::GlobSetBuilder::new();
    for member in members {
        let pattern = member.trim_end_matches('/').trim_start_matches("./");
        if let Ok(glob) = GlobBuilder::new(pattern).literal_separator(true).build() {
            set.add(glob);
        }
    }
    set.build().unwrap_or_else(|_| globset::GlobSet::empty())
}

/// Gives the packages that share a name an id of their own: `NAME@REPO/DIR` (`NAME@REPO` at
/// a repository's root).
fn qualify_shared_names(packages: &mut [Package], roots: &[crate::discover::Root]) {
    let mut count: HashMap<String, usize> = HashMap::new();
    for package in packages.iter() {
        *count.entry(package.name.clone()).or_default() += 1;
    }
    for package in packages.iter_mut() {
        if count[&package.name] > 1 {
            let repo = &roots[package.root].name;
            package.id_name = if package.dir.is_empty() {
                format!("{}@{repo}", package.name)
            } else {
                format!("{}@{repo}/{}", package.name, package.dir)
            };
        }
    }
}

/// Whether `exclude` keeps a package out, as Cargo decides it: a package under an excluded
/// path is out unless it is under a path `members` names literally (a glob names no path), so
/// `members = ["tools/a"]` keeps `tools/a` in even with `exclude = ["tools"]`.
fn is_excluded(workspace: &Workspace, package_dir: &str) -> bool {
    let Some(rel) = relative_to(&workspace.dir, package_dir) else {
        return false;
    };
    let under = |paths: &[String]| {
        paths.iter().any(|path| {
            let path = path.trim_end_matches('/').trim_start_matches("./");
            // `.` is the workspace root itself.
            let path = if path == "." { "" } else { path };
            is_within(path, rel)
        })
    };
    under(&workspace.facts.exclude) && !under(&workspace.facts.members)
}

/// Whether `dir` is `base` or below it (both relative, `/`-separated).
fn is_within(base: &str, dir: &str) -> bool {
    base.is_empty() || dir == base || dir.starts_with(&format!("{base}/"))
}

/// `dir` relative to `base`, if it is within it.
fn relative_to<'a>(base: &str, dir: &'a str) -> Option<&'a str> {
    if base.is_empty() {
        Some(dir)
    } else if dir == base {
        Some("")
    } else {
        dir.strip_prefix(base)?.strip_prefix('/')
    }
}

/// The parent directory of a `/`-separated relative path ("" at the top).
fn parent_dir(path: &str) -> &str {
    path.rfind('/').map(|i| &path[..i]).unwrap_or("")
}

/// Resolves `.` and `..` lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `base/path` normalized, as a root-relative directory; `None` if it leaves the root.
fn normalize_rel(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

fn library_name(
    package: &PackageFacts,
    root: usize,
    dir: &str,
    rust_files: &BTreeSet<(usize, &str)>,
) -> Option<String> {
    let declared = package.lib.as_ref();
    let default_path = join(dir, "src/lib.rs");
    let has_lib = declared.is_some() || rust_files.contains(&(root, default_path.as_str()));
    has_lib.then(|| {
        declared
            .and_then(|lib| lib.name.clone())
            .unwrap_or_else(|| package.name.clone())
            .replace('-', "_")
    })
}

fn binary_targets(
    package: &PackageFacts,
    root: usize,
    dir: &str,
    rust_files: &BTreeSet<(usize, &str)>,
) -> Vec<Binary> {
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    // Declared targets first: `[[bin]] name` with its `path`, or Cargo's default path.
    for bin in &package.bins {
        let Some(name) = bin.name.clone() else {
            continue;
        };
        let path = match &bin.path {
            Some(path) => join(dir, path.trim_start_matches("./")),
            None if name == package.name
                && rust_files.contains(&(root, join(dir, "src/main.rs").as_str())) =>
            {
                join(dir, "src/main.rs")
            }
            None => {
                let file = join(dir, &format!("src/bin/{name}.rs"));
                if rust_files.contains(&(root, file.as_str())) {
                    file
                } else {
                    join(dir, &format!("src/bin/{name}/main.rs"))
                }
            }
        };
        found.entry(name).or_insert(path);
    }
    let declared_paths: BTreeSet<String> = found.values().cloned().collect();
    let main = join(dir, "src/main.rs");
    if rust_files.contains(&(root, main.as_str())) && !declared_paths.contains(&main) {
        found.entry(package.name.clone()).or_insert(main);
    }
    let bin_dir = join(dir, "src/bin/");
    for &(_, path) in rust_files.range((root, bin_dir.as_str())..) {
        let Some(rest) = path.strip_prefix(&bin_dir) else {
            break;
        };
        if declared_paths.contains(path) {
            continue;
        }
        if let Some(stem) = rest.strip_suffix(".rs").filter(|s| !s.contains('/')) {
            found.entry(stem.to_string()).or_insert(path.to_string());
        } else if let Some(name) = rest.strip_suffix("/main.rs").filter(|s| !s.contains('/')) {
            found.entry(name.to_string()).or_insert(path.to_string());
        }
    }
    found
        .into_iter()
        .map(|(name, root_file)| Binary { name, root_file })
        .collect()
}

fn join(dir: &str, path: &str) -> String {
    if dir.is_empty() {
        path.to_string()
    } else {
        format!("{dir}/{path}")
    }
}

/// The kind of code a file holds, from its path inside its package.
fn code_context(package: &PackageFacts, inner: &str) -> CodeContext {
    let build_script = match &package.build {
        BuildScript::Default => Some("build.rs"),
        BuildScript::Disabled => None,
        BuildScript::Path(path) => Some(path.trim_start_matches("./")),
    };
    if build_script == Some(inner) {
        return CodeContext::Build;
    }
    let top = inner.split('/').next().unwrap_or("");
    if matches!(top, "tests" | "benches" | "examples") && inner.contains('/') {
        return CodeContext::Dev;
    }
    let explicit_dev = package
        .tests
        .iter()
        .chain(&package.benches)
        .chain(&package.examples)
        .filter_map(|target| target.path.as_deref())
        .any(|path| {
            let path = path.trim_start_matches("./");
            let target_dir = parent_dir(path);
            inner == path
                || (!target_dir.is_empty() && target_dir != "src" && is_within(target_dir, inner))
        });
    if explicit_dev {
        CodeContext::Dev
    } else {
        CodeContext::Normal
    }
}
