//! Phase 1b, reach: which binaries run each piece of run-time evidence. A binary runs an
//! item when its `main` reaches it through the names items refer to (see
//! [`crate::extract::items`]), within its own target, its package's library and the crates
//! those link in code. A library's call site then counts for the binaries that reach it,
//! not for every binary that links the library for a type.
//!
//! Matching is by name, without types: a plain name reaches free items of that name, `T::f`
//! the items `f` of `impl T`, `.f()` the methods `f` of every type the binary has mentioned,
//! and mentioning a type reaches its trait methods (a framework calls a handler's trait
//! methods, no code of the binary does). When a binary's root file has no facts (it did not
//! parse), everything its crates hold counts: unsure means conservative.

use super::Inputs;
use super::evidence::{Evidence, Linked};
use crate::discover::FileKind;
use crate::extract::FileFacts;
use crate::extract::items::{ItemFacts, NO_QUALIFIER};
use crate::model::packages::CodeContext;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A binary target of a scanned package.
#[derive(Debug, Clone)]
pub(super) struct BinaryUnit {
    pub package: usize,
    pub name: String,
    pub root_file: String,
}

/// Which binaries run each hit and gRPC fact of the evidence (indexes into `binaries`), each
/// with the distance in references from its `main` to the item holding the site.
pub(super) struct Reach {
    pub binaries: Vec<BinaryUnit>,
    /// Per binary: whether it reaches clap subcommands (`#[derive(Subcommand)]`,
    /// `#[command(subcommand)]`, `.subcommand(..)`).
    pub subcommands: Vec<bool>,
    /// Per binary: whether it reaches a `loop {..}` or waits for a shutdown signal, so runs
    /// until stopped rather than once.
    pub long_running: Vec<bool>,
    pub hits: Vec<Vec<(usize, u32)>>,
    pub grpc: Vec<Vec<(usize, u32)>>,
}

/// How many references away from `main` a `loop` or a shutdown signal makes a binary
/// long-running (main → run → the worker's loop).
const LONG_RUNNING_DEPTH: u32 = 5;

/// The distance given to a site no binary reaches, which counts for every binary linking it.
pub(super) const UNREACHED: u32 = u32::MAX;

/// An item of the scanned code: (file index into the discovery, item index in its facts).
type ItemId = (usize, usize);

/// The items of every normal-code file, indexed by name for the search.
struct Index<'a> {
    items: HashMap<usize, (usize, &'a ItemFacts)>,
    /// Free items by name.
    free: HashMap<&'a str, Vec<ItemId>>,
    /// Methods by (owner, name).
    methods: HashMap<(&'a str, &'a str), Vec<ItemId>>,
    /// Methods by name.
    by_method_name: HashMap<&'a str, Vec<ItemId>>,
    /// Methods by owner.
    by_owner: HashMap<&'a str, Vec<ItemId>>,
    /// Files by path, per package: (path, file index).
    files: Vec<Vec<(&'a str, usize)>>,
    /// Library names (as code writes them) → their packages.
    libraries: HashMap<&'a str, Vec<usize>>,
    /// The module name a file is (`orders` for `orders.rs` or `orders/mod.rs`; the library
    /// name for a crate root), by file index.
    modules: HashMap<usize, &'a str>,
}

impl<'a> Index<'a> {
    fn new(inputs: &Inputs<'a>) -> Index<'a> {
        let mut index = Index {
            items: HashMap::new(),
            free: HashMap::new(),
            methods: HashMap::new(),
            by_method_name: HashMap::new(),
            by_owner: HashMap::new(),
            files: vec![Vec::new(); inputs.packages.packages.len()],
            modules: HashMap::new(),
            libraries: HashMap::new(),
        };
        for (package, p) in inputs.packages.packages.iter().enumerate() {
            if let Some(lib) = &p.lib {
                index
                    .libraries
                    .entry(lib.as_str())
                    .or_default()
                    .push(package);
            }
        }
        for (file_index, (file, facts)) in
            inputs.discovery.files.iter().zip(inputs.facts).enumerate()
        {
            if file.kind != FileKind::RustSource {
                continue;
            }
            let Some((package, CodeContext::Normal)) =
                inputs.packages.owner_of(file.root, &file.rel_path)
            else {
                continue;
            };
            index.files[package].push((file.rel_path.as_str(), file_index));
            if let Some(module) = module_name(
                &file.rel_path,
                inputs.packages.packages[package].lib.as_deref(),
            ) {
                index.modules.insert(file_index, module);
            }
            let Some(FileFacts::Rust(source)) = facts else {
                continue;
            };
            let items = &source.items;
            index.items.insert(file_index, (package, items));
            for (item_index, item) in items.items.iter().enumerate() {
                let id = (file_index, item_index);
                let name = items.name(item.name);
                match item.owner {
                    None => index.free.entry(name).or_default().push(id),
                    Some(owner) => {
                        let owner = items.name(owner);
                        index.methods.entry((owner, name)).or_default().push(id);
                        index.by_method_name.entry(name).or_default().push(id);
                        index.by_owner.entry(owner).or_default().push(id);
                    }
                }
            }
        }
        index
    }

    fn item(&self, (file, item): ItemId) -> &'a crate::extract::items::ItemFact {
        &self.items[&file].1.items[item]
    }

    fn names(&self, file: usize) -> &'a ItemFacts {
        self.items[&file].1
    }
}

/// The module a file defines: its stem, the directory of a `mod.rs`, the library's name for
/// `lib.rs`/`main.rs`.
fn module_name<'a>(path: &'a str, lib: Option<&'a str>) -> Option<&'a str> {
    let mut parts = path.rsplit('/');
    let stem = parts.next()?.strip_suffix(".rs")?;
    match stem {
        "mod" => parts.next(),
        "lib" | "main" => lib,
        _ => Some(stem),
    }
}

/// Decides which binaries run each piece of evidence.
pub(super) fn reach(inputs: &Inputs, evidence: &Evidence) -> Reach {
    let binaries = binaries(inputs);
    let index = Index::new(inputs);
    let closure = link_closure(&evidence.linked);
    let mut hits = vec![Vec::new(); evidence.hits.len()];
    let mut grpc = vec![Vec::new(); evidence.grpc.len()];
    let mut subcommands = vec![false; binaries.len()];
    let mut long_running = vec![false; binaries.len()];
    let file_of: HashMap<&str, usize> = inputs
        .discovery
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.rel_path.as_str(), i))
        .collect();
    let target_files = target_files(&binaries, &index);
    for (unit, binary) in binaries.iter().enumerate() {
        let scope = Scope {
            unit,
            packages: &closure[binary.package],
            target_files: &target_files,
        };
        // Searched even with no evidence in scope: its kind (a CLI) depends on what it reaches.
        let searched = search(binary, &scope, &index, &file_of);
        subcommands[unit] = searched.as_ref().is_some_and(|s| s.subcommands);
        long_running[unit] = searched.as_ref().is_none_or(|s| s.long_running);
        let reached = searched.map(|s| s.reached);
        // The distance from `main` of the item holding a site, if the binary runs it. A site
        // outside any item (an `impl` header, a macro at module level) runs when something
        // of its file does; with no facts to search, everything in scope runs (distance 0).
        let touched: HashMap<usize, u32> = match &reached {
            Some(reached) => {
                let mut touched: HashMap<usize, u32> = HashMap::new();
                for (&(file, _), &depth) in reached {
                    let entry = touched.entry(file).or_insert(depth);
                    *entry = (*entry).min(depth);
                }
                touched
            }
            None => HashMap::new(),
        };
        let runs = |package: usize, path: &Arc<str>, line: u32| -> Option<u32> {
            let &file = file_of.get(&**path)?;
            if !scope.allows(package, file) {
                return None;
            }
            let Some(reached) = &reached else {
                return Some(0);
            };
            let Some((_, items)) = index.items.get(&file) else {
                return Some(0);
            };
            match items.item_at(line) {
                Some(item) => reached.get(&(file, item)).copied(),
                None => touched.get(&file).copied(),
            }
        };
        for (i, e) in evidence.hits.iter().enumerate() {
            if let Some(depth) = runs(e.package, &e.path, e.hit.line) {
                hits[i].push((unit, depth));
            }
        }
        for (i, g) in evidence.grpc.iter().enumerate() {
            if let Some(depth) = runs(g.package, &g.path, g.fact.line) {
                grpc[i].push((unit, depth));
            }
        }
    }
    // A site no binary reaches (dead code, or a path the name search could not see: a
    // function pointer, a macro, a trait object) counts for every binary that links its
    // crate, as it would without a call graph: unsure means conservative.
    let linking = |package: usize, path: &Arc<str>| -> Vec<(usize, u32)> {
        let Some(&file) = file_of.get(&**path) else {
            return Vec::new();
        };
        (0..binaries.len())
            .filter(|&unit| {
                let scope = Scope {
                    unit,
                    packages: &closure[binaries[unit].package],
                    target_files: &target_files,
                };
                scope.allows(package, file)
            })
            .map(|unit| (unit, UNREACHED))
            .collect()
    };
    for (i, e) in evidence.hits.iter().enumerate() {
        if hits[i].is_empty() {
            hits[i] = linking(e.package, &e.path);
        }
    }
    for (i, g) in evidence.grpc.iter().enumerate() {
        if grpc[i].is_empty() {
            grpc[i] = linking(g.package, &g.path);
        }
    }
    Reach {
        binaries,
        subcommands,
        long_running,
        hits,
        grpc,
    }
}

/// Every binary target of the scanned packages, in package order.
fn binaries(inputs: &Inputs) -> Vec<BinaryUnit> {
    inputs
        .packages
        .packages
        .iter()
        .enumerate()
        .flat_map(|(package, p)| {
            p.binaries.iter().map(move |b| BinaryUnit {
                package,
                name: b.name.clone(),
                root_file: b.root_file.clone(),
            })
        })
        .collect()
}

/// Each package with the packages it links in code, transitively (itself included).
fn link_closure(linked: &Linked) -> Vec<HashSet<usize>> {
    (0..linked.links.len())
        .map(|start| {
            let mut seen = HashSet::from([start]);
            let mut stack = vec![start];
            while let Some(current) = stack.pop() {
                for &next in &linked.links[current] {
                    if seen.insert(next) {
                        stack.push(next);
                    }
                }
            }
            seen
        })
        .collect()
}

/// The code a binary may run: the packages its package links (itself included), but no
/// other binary's own target files (a binary never runs another one's `main`).
struct Scope<'s> {
    unit: usize,
    packages: &'s HashSet<usize>,
    target_files: &'s HashMap<usize, usize>,
}

impl Scope<'_> {
    fn allows(&self, package: usize, file: usize) -> bool {
        self.packages.contains(&package)
            && self
                .target_files
                .get(&file)
                .is_none_or(|&owner| owner == self.unit)
    }
}

/// The files of each binary's own target: its root file and, for `src/bin/NAME.rs` or
/// `src/bin/NAME/main.rs` (or a `[[bin]] path`), the module directory beside it. Modules of
/// `src/main.rs` share `src/` with the library and stay everyone's.
fn target_files(binaries: &[BinaryUnit], index: &Index) -> HashMap<usize, usize> {
    let mut out = HashMap::new();
    for (unit, binary) in binaries.iter().enumerate() {
        let root = &binary.root_file;
        let own_dir = match root.strip_suffix("/main.rs") {
            Some(dir) if dir.ends_with("/src") || dir == "src" => None,
            Some(dir) => Some(format!("{dir}/")),
            None => root.strip_suffix(".rs").map(|d| format!("{d}/")),
        };
        for &(path, file) in &index.files[binary.package] {
            let own =
                path == root.as_str() || own_dir.as_deref().is_some_and(|d| path.starts_with(d));
            if own {
                out.insert(file, unit);
            }
        }
    }
    out
}

/// What a binary reaches from its `main`.
struct Searched {
    /// Reached items with their distance from `main`.
    reached: HashMap<ItemId, u32>,
    subcommands: bool,
    long_running: bool,
}

/// The items a binary reaches from its `main`; `None` when its root file has no facts, so
/// that everything in scope counts.
fn search(
    binary: &BinaryUnit,
    scope: &Scope,
    index: &Index,
    file_of: &HashMap<&str, usize>,
) -> Option<Searched> {
    let root = *file_of.get(binary.root_file.as_str())?;
    let (_, root_items) = index.items.get(&root)?;
    let mut roots: Vec<ItemId> = root_items
        .items
        .iter()
        .enumerate()
        .filter(|(_, item)| item.owner.is_none() && root_items.name(item.name) == "main")
        .map(|(i, _)| (root, i))
        .collect();
    if roots.is_empty() {
        roots = (0..root_items.items.len()).map(|i| (root, i)).collect();
    }
    let mut search = Search {
        index,
        scope,
        reached: HashMap::new(),
        queue: std::collections::VecDeque::new(),
        depth: 0,
        name_depth: HashMap::new(),
        names: HashSet::new(),
        methods: HashSet::new(),
        qualified: HashSet::new(),
    };
    for id in roots {
        search.reach(id);
    }
    while let Some(id) = search.queue.pop_front() {
        search.depth = search.reached[&id] + 1;
        let names = index.names(id.0);
        for reference in &index.item(id).refs {
            let name = names.name(reference.name);
            if reference.method {
                search.method(name);
            } else if reference.qualifier == NO_QUALIFIER {
                search.name(name);
            } else {
                search.qualified(names.name(reference.qualifier), name);
            }
        }
    }
    let subcommands = search.names.contains("Subcommand")
        || search.names.contains("subcommand")
        || search.methods.contains("subcommand");
    // Near `main` only: a retry loop deep in a client library makes no binary a worker.
    let long_running = search
        .name_depth
        .get("ctrl_c")
        .is_some_and(|&d| d <= LONG_RUNNING_DEPTH)
        || search
            .reached
            .iter()
            .any(|(&id, &depth)| depth <= LONG_RUNNING_DEPTH && index.item(id).loops);
    Some(Searched {
        reached: search.reached,
        subcommands,
        long_running,
    })
}

struct Search<'i, 'a> {
    index: &'i Index<'a>,
    scope: &'i Scope<'i>,
    /// Reached items with their distance from `main` in references.
    reached: HashMap<ItemId, u32>,
    queue: std::collections::VecDeque<ItemId>,
    /// The distance of the item whose references are being followed.
    depth: u32,
    /// The smallest distance at which each plain name was met.
    name_depth: HashMap<&'a str, u32>,
    /// Plain names met (types among them).
    names: HashSet<&'a str>,
    methods: HashSet<&'a str>,
    qualified: HashSet<(&'a str, &'a str)>,
}

impl<'a> Search<'_, 'a> {
    fn reach(&mut self, id: ItemId) {
        let package = self.index.items[&id.0].0;
        if self.scope.allows(package, id.0) && !self.reached.contains_key(&id) {
            self.reached.insert(id, self.depth);
            self.queue.push_back(id);
        }
    }

    fn reach_all(&mut self, ids: Option<&Vec<ItemId>>, keep: impl Fn(ItemId) -> bool) {
        for &id in ids.into_iter().flatten() {
            if keep(id) {
                self.reach(id);
            }
        }
    }

    /// A plain name: the free items of that name, and if it is a type, its trait methods
    /// and the methods already called on something.
    fn name(&mut self, name: &'a str) {
        self.name_depth.entry(name).or_insert(self.depth);
        if !self.names.insert(name) {
            return;
        }
        let index = self.index;
        self.reach_all(index.free.get(name), |_| true);
        let methods = &self.methods;
        let qualified = &self.qualified;
        let keep: Vec<ItemId> = index
            .by_owner
            .get(name)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&id| {
                let item = index.item(id);
                let method = index.names(id.0).name(item.name);
                item.trait_method || methods.contains(method) || qualified.contains(&(name, method))
            })
            .collect();
        for id in keep {
            self.reach(id);
        }
    }

    /// `Q::name`: the methods `name` of type `Q`; with a module or crate as `Q`, the free
    /// items of that name.
    fn qualified(&mut self, qualifier: &'a str, name: &'a str) {
        // `tokio::signal::ctrl_c()` is met as a name too (a shutdown signal, see `search`).
        self.name_depth.entry(name).or_insert(self.depth);
        if !self.qualified.insert((qualifier, name)) {
            return;
        }
        let index = self.index;
        if qualifier.starts_with(|c: char| c.is_ascii_uppercase()) {
            self.reach_all(index.methods.get(&(qualifier, name)), |_| true);
            // `Enum::Variant(..)`, `Type::CONST`: a type or a free item of that name.
            self.reach_all(index.free.get(name), |_| {
                name.starts_with(|c: char| c.is_ascii_uppercase())
            });
        } else {
            // `module::f`: the `f` of a file that module is; `krate::f`, any free `f` of that
            // scanned library (re-exports); `self::f`, `super::f`, `crate::f`, any free `f`.
            // Another crate's `f` (`tokio_postgres::connect`) reaches nothing scanned.
            if matches!(qualifier, "self" | "super" | "crate") {
                self.reach_all(index.free.get(name), |_| true);
            } else {
                let libraries = index.libraries.get(qualifier);
                let items = &index.items;
                let keep = |id: ItemId| {
                    index.modules.get(&id.0) == Some(&qualifier)
                        || libraries.is_some_and(|packages| packages.contains(&items[&id.0].0))
                };
                self.reach_all(index.free.get(name), keep);
            }
        }
    }

    /// `.name()`: the methods `name` of the types met so far (and of those met later, see
    /// [`Search::name`]).
    fn method(&mut self, name: &'a str) {
        if !self.methods.insert(name) {
            return;
        }
        let index = self.index;
        let names = &self.names;
        let keep: Vec<ItemId> = index
            .by_method_name
            .get(name)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&id| {
                let item = index.item(id);
                item.owner
                    .is_some_and(|owner| names.contains(index.names(id.0).name(owner)))
            })
            .collect();
        for id in keep {
            self.reach(id);
        }
    }
}
