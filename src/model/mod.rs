//! The model: joins the facts of all files into one organization. Packages are grouped into
//! workspaces the way Cargo does, dependencies are resolved to the scanned crate they name
//! (whatever their source form) or to a third-party node, and code references are attributed
//! to the dependency edges they use.

pub mod aggregate;
pub mod graph;
pub mod metrics;
pub mod ownership;
mod packages;
pub mod services;

pub use graph::{
    CapabilityNode, CrateGraph, CrateNode, DependsOn, Node, Site, TeamNode, UndeclaredUse,
};
pub use packages::{CodeContext, Package, PackageSet};

use crate::config::Config;
use crate::core::NodeId;
use crate::diagnostics::{Diagnostic, DiagnosticCode};
use crate::discover::{Discovery, FileKind};
use crate::extract::{DepKind, DepSource, DependencyDecl, Detectors, FileFacts, SourceFacts};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// The analysed organization: its graph, its ownership, and what was wrong with its input.
pub struct Model {
    pub graph: CrateGraph,
    pub ownership: ownership::Ownership,
    pub packages: PackageSet,
    pub services: services::ServiceGraph,
    pub diagnostics: Vec<Diagnostic>,
    /// The `capgraph: allow(..)` comments of all files, in file order.
    pub suppressions: Vec<Suppression>,
}

/// The result of analysing a set of repositories: the model with the roots and the config it
/// was built from. `analysis::analyze()` makes it; rules and reports read it. It is defined
/// here, below them, so that neither depends on the stage that runs the pipeline.
pub struct Analysis {
    pub roots: Vec<crate::discover::Root>,
    pub config: Config,
    pub graph: CrateGraph,
    pub ownership: ownership::Ownership,
    pub packages: PackageSet,
    /// The run-time graph: services, topics, tables and the calls between them.
    pub services: services::ServiceGraph,
    /// Coupling numbers per capability and team, for rules, graph JSON and the report,
    /// computed once after the model is built.
    pub metrics: metrics::Metrics,
    /// Problems with single input files, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// `capgraph: allow(..)` comments found in sources and manifests.
    pub suppressions: Vec<Suppression>,
    /// Number of files read.
    pub files_scanned: usize,
}

/// A suppression comment and the file it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub repo: String,
    pub path: String,
    pub fact: crate::extract::suppressions::SuppressionFact,
}

/// A dependency declaration after inheritance, resolved to a node id.
#[derive(Debug, Clone)]
struct ResolvedDep {
    /// The name code uses to reach the dependency.
    code_name: String,
    target: NodeId,
    kind: DepKind,
    source: &'static str,
    optional: bool,
    platform: Option<String>,
    line: u32,
    /// Index of the edge the declaration contributes to, once edges are made.
    edge: usize,
}

#[derive(Default)]
struct EdgeBuilder {
    refs: u32,
    sites: BTreeSet<graph::Site>,
    declared_line: u32,
    source: &'static str,
    optional: bool,
    unconditional: bool,
    platforms: BTreeSet<String>,
}

/// Builds the model from discovery and the facts extracted from each of its files
/// (`facts[i]` belongs to `discovery.files[i]`; `None` where extraction failed), in phases:
/// packages and ownership, declared dependencies, code references attributed to them, the
/// crate graph, the run-time graph beside it, and the suppression comments.
pub fn build(
    discovery: &Discovery,
    facts: &[Option<FileFacts>],
    config: &Config,
    detectors: &Detectors,
) -> Model {
    let mut diagnostics = Vec::new();
    let packages = PackageSet::new(discovery, facts);
    let ownership = ownership::resolve(discovery, facts, &packages, config);
    let mut declared = declare(&packages, &mut diagnostics);
    let used = attribute(discovery, facts, &packages, &mut declared);
    let crate_graph = assemble(
        discovery,
        &packages,
        &ownership,
        declared,
        used,
        &mut diagnostics,
    );
    let wiring = deploy_wiring(discovery, facts);
    let services = services::build(
        discovery,
        facts,
        &packages,
        &crate_graph,
        config,
        detectors,
        &wiring,
    );
    let suppressions = collect_suppressions(discovery, facts);
    diagnostics.sort();
    Model {
        graph: crate_graph,
        ownership,
        packages,
        services,
        diagnostics,
        suppressions,
    }
}

/// The dependencies every package declares, resolved, and the crate graph's edges they make.
struct Declared {
    /// Per package, its declarations after inheritance, each knowing its edge.
    resolved: Vec<Vec<ResolvedDep>>,
    /// Names that code may use for a known crate, to the node id they name.
    known: HashMap<String, NodeId>,
    /// One edge per (package, target, kind), however many declarations make it: the index
    /// into `edges`.
    edge_keys: BTreeMap<(usize, NodeId, DepKind), usize>,
    edges: Vec<EdgeBuilder>,
}

/// What code uses beyond its declarations, and how many files each package has.
struct Used {
    /// References to known crates the package does not declare: refs and sites by target.
    undeclared: BTreeMap<(usize, NodeId), (u32, BTreeSet<Site>)>,
    file_counts: Vec<u32>,
}

/// Phase: resolves every package's declarations and keys the edges they make.
fn declare(packages: &PackageSet, diagnostics: &mut Vec<Diagnostic>) -> Declared {
    // Every scanned crate by package name, for dependencies that name no path.
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, package) in packages.packages.iter().enumerate() {
        by_name.entry(&package.name).or_default().push(index);
    }
    let mut resolved: Vec<Vec<ResolvedDep>> = packages
        .packages
        .iter()
        .enumerate()
        .map(|(index, package)| {
            resolve_dependencies(index, package, packages, &by_name, diagnostics)
        })
        .collect();
    let known = known_names(packages, &resolved);
    let mut edge_keys: BTreeMap<(usize, NodeId, DepKind), usize> = BTreeMap::new();
    let mut edges: Vec<EdgeBuilder> = Vec::new();
    for (package_index, deps) in resolved.iter_mut().enumerate() {
        for dep in deps {
            let key = (package_index, dep.target.clone(), dep.kind);
            dep.edge = *edge_keys.entry(key).or_insert_with(|| {
                edges.push(EdgeBuilder {
                    declared_line: dep.line,
                    source: dep.source,
                    optional: true,
                    ..EdgeBuilder::default()
                });
                edges.len() - 1
            });
            let edge = &mut edges[dep.edge];
            edge.declared_line = edge.declared_line.min(dep.line);
            edge.optional &= dep.optional;
            match &dep.platform {
                Some(platform) => {
                    edge.platforms.insert(platform.clone());
                }
                None => edge.unconditional = true,
            }
        }
    }
    Declared {
        resolved,
        known,
        edge_keys,
        edges,
    }
}

/// Names that code may use for a known crate: the library names of scanned crates and the
/// names third-party crates are declared under anywhere in the organization.
fn known_names(packages: &PackageSet, resolved: &[Vec<ResolvedDep>]) -> HashMap<String, NodeId> {
    let mut known: HashMap<String, NodeId> = HashMap::new();
    for deps in resolved {
        for dep in deps {
            known
                .entry(dep.code_name.clone())
                .or_insert_with(|| dep.target.clone());
        }
    }
    // A library name that several scanned packages share names none of them for sure.
    let mut libs: HashMap<&str, Vec<&Package>> = HashMap::new();
    for package in &packages.packages {
        if let Some(lib) = &package.lib {
            libs.entry(lib).or_default().push(package);
        }
    }
    for (lib, owners) in libs {
        match owners.as_slice() {
            [package] => {
                known.insert(lib.to_string(), NodeId::Crate(package.id_name.clone()));
            }
            _ => {
                known.remove(lib);
            }
        }
    }
    known
}

/// Phase: attributes every reference of every Rust file to its crate's dependencies.
fn attribute(
    discovery: &Discovery,
    facts: &[Option<FileFacts>],
    packages: &PackageSet,
    declared: &mut Declared,
) -> Used {
    let mut undeclared: BTreeMap<(usize, NodeId), (u32, BTreeSet<Site>)> = BTreeMap::new();
    let mut file_counts = vec![0u32; packages.packages.len()];
    for (file_index, file) in discovery.files.iter().enumerate() {
        if file.kind != FileKind::RustSource {
            continue;
        }
        let Some(Some(FileFacts::Rust(source))) = facts.get(file_index) else {
            continue;
        };
        let Some((package_index, context)) = packages.owner_of(file.root, &file.rel_path) else {
            continue;
        };
        file_counts[package_index] += 1;
        let package = &packages.packages[package_index];
        attribute_refs(
            package_index,
            package,
            &declared.resolved[package_index],
            &packages.extern_aliases[package_index],
            &declared.known,
            context,
            &file.rel_path,
            source,
            &mut declared.edges,
            &mut undeclared,
        );
    }
    Used {
        undeclared,
        file_counts,
    }
}

/// Phase: the crate graph — team and capability nodes, a node per package with its owner,
/// the dependency edges, and the undeclared uses on their crates.
fn assemble(
    discovery: &Discovery,
    packages: &PackageSet,
    ownership: &ownership::Ownership,
    declared: Declared,
    used: Used,
    diagnostics: &mut Vec<Diagnostic>,
) -> CrateGraph {
    let mut crate_graph = CrateGraph::default();
    add_unit_nodes(&mut crate_graph, ownership);
    let crate_indices = add_crate_nodes(
        &mut crate_graph,
        discovery,
        packages,
        ownership,
        &used.file_counts,
        diagnostics,
    );
    add_dependency_edges(&mut crate_graph, packages, &crate_indices, declared);
    for ((package_index, target), (refs, sites)) in used.undeclared {
        if crate_graph.node_index(&target).is_none() {
            let name = target.name().to_string();
            crate_graph.add_node(Node::External { name });
        }
        if let Node::Crate(node) = &mut crate_graph.graph[crate_indices[package_index]] {
            node.undeclared.push(UndeclaredUse {
                target,
                refs,
                sites: sites.into_iter().collect(),
            });
        }
    }
    crate_graph
}

/// The team and capability nodes, in id order.
fn add_unit_nodes(crate_graph: &mut CrateGraph, ownership: &ownership::Ownership) {
    for team in ownership.teams.values() {
        crate_graph.add_node(Node::Team(graph::TeamNode {
            id: team.id.clone(),
            name: team.name.clone(),
            handles: team.handles.clone(),
            kind: team.kind,
        }));
    }
    for capability in ownership.capabilities.values() {
        crate_graph.add_node(Node::Capability(graph::CapabilityNode {
            id: capability.id.clone(),
            team: capability.team.clone(),
            kind: capability.kind,
        }));
    }
}

/// A node per package, in package order; returns each package's node index.
fn add_crate_nodes(
    crate_graph: &mut CrateGraph,
    discovery: &Discovery,
    packages: &PackageSet,
    ownership: &ownership::Ownership,
    file_counts: &[u32],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<petgraph::graph::NodeIndex> {
    let mut crate_indices = Vec::with_capacity(packages.packages.len());
    for (index, package) in packages.packages.iter().enumerate() {
        let owned = &ownership.crates[index];
        let node = Node::Crate(CrateNode {
            capability: owned.capability.clone(),
            team: owned.team.clone(),
            owners: owned.owners.clone(),
            maintainers: owned.maintainers.clone(),
            owner_source: owned.decided_by.as_ref().map(|c| c.origin.to_string()),
            contract: owned.contract,
            name: package.name.clone(),
            id_name: package.id_name.clone(),
            repo: discovery.roots[package.root].name.clone(),
            path: package.dir.clone(),
            manifest: package.manifest.clone(),
            lib: package.lib.clone(),
            bins: package.bins.clone(),
            workspace: package.workspace_dir.clone(),
            standalone: packages.workspace_of(package).is_none(),
            files: file_counts[index],
            undeclared: Vec::new(),
        });
        // Cargo refuses two packages of one name in one workspace; across workspaces and
        // repositories they are two crates, with ids of their own.
        let same_workspace = crate_graph.crates().find(|other| {
            other.name == package.name
                && other.repo == discovery.roots[package.root].name
                && other.workspace == package.workspace_dir
        });
        if let Some(existing) = same_workspace {
            diagnostics.push(Diagnostic {
                code: DiagnosticCode::InvalidManifest,
                repo: discovery.roots[package.root].name.clone(),
                path: package.manifest.clone(),
                line: Some(package.name_line()),
                message: format!(
                    "package name `{}` is also used by {}/{} in the same workspace; Cargo \
                     refuses two packages of one name in a workspace",
                    package.name, existing.repo, existing.manifest
                ),
            });
        }
        crate_indices.push(crate_graph.add_node(node));
    }
    crate_indices
}

/// The `depends_on` edges, in (package, target, kind) order; a target that is no scanned
/// crate becomes a third-party node.
fn add_dependency_edges(
    crate_graph: &mut CrateGraph,
    packages: &PackageSet,
    crate_indices: &[petgraph::graph::NodeIndex],
    declared: Declared,
) {
    let mut edges: Vec<Option<EdgeBuilder>> = declared.edges.into_iter().map(Some).collect();
    for ((package_index, target, kind), edge_index) in declared.edge_keys {
        let Some(edge) = edges[edge_index].take() else {
            continue;
        };
        let to = match crate_graph.node_index(&target) {
            Some(index) => index,
            None => {
                let name = target.name().to_string();
                crate_graph.add_node(Node::External { name })
            }
        };
        let package = &packages.packages[package_index];
        let platforms = if edge.unconditional {
            Vec::new()
        } else {
            edge.platforms.into_iter().collect()
        };
        crate_graph.graph.add_edge(
            crate_indices[package_index],
            to,
            DependsOn {
                kind,
                refs: edge.refs,
                sites: edge.sites.into_iter().collect(),
                declared_at: Site {
                    path: Arc::from(package.manifest.as_str()),
                    line: edge.declared_line,
                },
                source: edge.source,
                optional: edge.optional,
                platforms,
            },
        );
    }
}

/// The `capgraph: allow(..)` comments of all Rust files and manifests, in file order.
fn collect_suppressions(discovery: &Discovery, facts: &[Option<FileFacts>]) -> Vec<Suppression> {
    let mut suppressions = Vec::new();
    for (file, file_facts) in discovery.files.iter().zip(facts) {
        let found = match file_facts {
            Some(FileFacts::Rust(source)) => &source.suppressions,
            Some(FileFacts::Manifest(manifest)) => &manifest.suppressions,
            _ => continue,
        };
        for fact in found {
            suppressions.push(Suppression {
                repo: discovery.roots[file.root].name.clone(),
                path: file.rel_path.clone(),
                fact: fact.clone(),
            });
        }
    }
    suppressions
}

/// Resolves a package's declarations: inheritance from its workspace, then the node each
/// names. A dependency is a scanned crate only when its source says so, as Cargo reads it: a
/// path (written or inherited) to that crate; a git URL naming a scanned repository (by its
/// last path segment) that holds a crate of that name; or an alternative registry
/// (`registry = ".."`: capgraph takes any alternative registry for one the organization
/// publishes to) and a scanned crate of that name.
/// A crates.io dependency is a third-party crate even when a scanned crate has its name (a
/// patched fork, a test fixture). A package's dependency on itself (Cargo allows a
/// dev-dependency on `path = "."` to turn features on) is no edge; a fork depending on the
/// registry crate it forks is an edge to that third-party crate.
fn resolve_dependencies(
    self_index: usize,
    package: &Package,
    packages: &PackageSet,
    by_name: &HashMap<&str, Vec<usize>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<ResolvedDep> {
    let mut out = Vec::new();
    let mut not_inherited: Vec<&DependencyDecl> = Vec::new();
    for decl in &package.dependencies {
        let (effective, base_dir, source) = match &decl.source {
            DepSource::Inherited => {
                let inherited = packages
                    .workspace_of(package)
                    .and_then(|ws| ws.inherited(&decl.key));
                match inherited {
                    Some(ws_decl) => (ws_decl, package.workspace_dir.as_str(), "workspace"),
                    None => {
                        if !not_inherited.iter().any(|d| d.key == decl.key) {
                            not_inherited.push(decl);
                        }
                        continue;
                    }
                }
            }
            DepSource::Path(_) => (decl, package.dir.as_str(), "path"),
            DepSource::Git { .. } => (decl, package.dir.as_str(), "git"),
            DepSource::Registry { .. } => (decl, package.dir.as_str(), "registry"),
        };
        let package_name = effective.package_name();
        let mut target_index = local_target(package, packages, by_name, effective, base_dir);
        let mut source = source;
        if target_index.is_none()
            && let Some(patched) = patched_target(package, packages, by_name, effective)
        {
            target_index = Some(patched);
            source = "patch";
        }
        if target_index == Some(self_index) {
            if matches!(effective.source, DepSource::Path(_)) {
                continue;
            }
            target_index = None;
        }
        // The member's own `package` key renames too; the workspace's rename applies
        // otherwise.
        let renamed = decl.package.is_some() || effective.package.is_some();
        let (target, lib) = match target_index {
            Some(index) => {
                let target = &packages.packages[index];
                (NodeId::Crate(target.id_name.clone()), target.lib.clone())
            }
            None => (NodeId::External(package_name.to_string()), None),
        };
        let code_name = if renamed {
            decl.key.replace('-', "_")
        } else {
            lib.unwrap_or_else(|| package_name.replace('-', "_"))
        };
        out.push(ResolvedDep {
            code_name,
            target,
            kind: decl.kind,
            source,
            optional: decl.optional || effective.optional,
            platform: decl.platform.clone(),
            line: decl.line,
            edge: 0,
        });
    }
    if !not_inherited.is_empty() {
        not_inherited.sort_by_key(|d| d.line);
        diagnostics.push(not_inherited_diagnostic(package, packages, &not_inherited));
    }

    out
}

/// One SCN002 for the `workspace = true` dependencies of a package that its workspace does not
/// declare, naming the cause: the package is in no workspace (an enclosing one excludes it or
/// does not list it, or none encloses it), or its workspace's `[workspace.dependencies]` lacks
/// them. At the first of them in the manifest.
fn not_inherited_diagnostic(
    package: &Package,
    packages: &PackageSet,
    deps: &[&DependencyDecl],
) -> Diagnostic {
    let names: Vec<String> = deps.iter().map(|d| format!("`{}`", d.key)).collect();
    let listed = names.join(", ");
    let (they, have) = if deps.len() == 1 {
        (format!("dependency {listed}"), "has")
    } else {
        (format!("{} dependencies ({listed})", deps.len()), "have")
    };
    let manifest_of = |dir: &str| {
        if dir.is_empty() {
            "Cargo.toml".to_string()
        } else {
            format!("{dir}/Cargo.toml")
        }
    };
    let cause = match packages.workspace_of(package) {
        Some(_) if package.workspace_dir == package.dir => format!(
            "this manifest is its own workspace root, and its [workspace.dependencies] declares \
             {}",
            if deps.len() == 1 {
                "no such dependency"
            } else {
                "none of them"
            }
        ),
        Some(_) => format!(
            "the workspace at {} declares {} in [workspace.dependencies]",
            manifest_of(&package.workspace_dir),
            if deps.len() == 1 {
                "no such dependency"
            } else {
                "none of them"
            }
        ),
        None => match packages.enclosing_workspace(package) {
            Some((dir, true)) => format!(
                "the package belongs to no workspace: the workspace at {} excludes it \
                 (`exclude`), so there is nothing to inherit from",
                manifest_of(dir)
            ),
            Some((dir, false)) => format!(
                "the package belongs to no workspace: the `members` of the workspace at {} do \
                 not list it, so there is nothing to inherit from",
                manifest_of(dir)
            ),
            None => "the package belongs to no workspace: none encloses it, so there is \
                     nothing to inherit from"
                .to_string(),
        },
    };
    Diagnostic {
        code: DiagnosticCode::InvalidManifest,
        repo: packages.root_name(package.root).to_string(),
        path: package.manifest.clone(),
        line: Some(deps[0].line),
        message: format!("{they} {have} `workspace = true`, but {cause}; Cargo cannot build it"),
    }
}

/// The scanned package a resolved declaration names, if its source makes it local (see
/// [`resolve_dependencies`]).
fn local_target(
    package: &Package,
    packages: &PackageSet,
    by_name: &HashMap<&str, Vec<usize>>,
    effective: &DependencyDecl,
    base_dir: &str,
) -> Option<usize> {
    let candidates = by_name.get(effective.package_name());
    // Only one package of the name is a sure target: among several, the source says no more
    // than the name, so none is taken.
    let only = |mut found: Vec<usize>| (found.len() == 1).then(|| found.remove(0));
    let in_root = |root: usize| {
        only(
            candidates?
                .iter()
                .copied()
                .filter(|&i| packages.packages[i].root == root)
                .collect(),
        )
    };
    match &effective.source {
        // A path that leads to no scanned package names none: a namesake elsewhere is
        // another crate.
        DepSource::Path(path) => packages.package_at(package.root, base_dir, path),
        DepSource::Git { url } => {
            let repo = git_repo_name(url)?;
            let root = (0..packages.root_count())
                .find(|&r| packages.root_name(r).eq_ignore_ascii_case(repo))?;
            in_root(root)
        }
        DepSource::Registry { registry: Some(_) } => {
            in_root(package.root).or_else(|| only(candidates?.clone()))
        }
        DepSource::Registry { registry: None } | DepSource::Inherited => None,
    }
}

/// The scanned package a `[patch.SOURCE]` entry of the package's workspace root puts in place
/// of a registry or git dependency, when the patch's own source (a path, or a git URL of a
/// scanned repository) names one.
fn patched_target(
    package: &Package,
    packages: &PackageSet,
    by_name: &HashMap<&str, Vec<usize>>,
    effective: &DependencyDecl,
) -> Option<usize> {
    let patched_source = |source: &str| match &effective.source {
        DepSource::Registry { registry: None } => source == "crates-io",
        DepSource::Registry {
            registry: Some(registry),
        } => source == registry,
        DepSource::Git { url } => same_git_url(source, url),
        DepSource::Path(_) | DepSource::Inherited => false,
    };
    let patch = packages.patches_of(package).iter().find(|patch| {
        patched_source(&patch.source) && patch.decl.package_name() == effective.package_name()
    })?;
    local_target(
        package,
        packages,
        by_name,
        &patch.decl,
        &package.workspace_dir,
    )
}

/// Whether two git URLs name one repository, as `[patch]` matches them: ignoring case, a
/// trailing `/` and a `.git` suffix.
fn same_git_url(a: &str, b: &str) -> bool {
    let normal = |url: &str| {
        let url = url.trim_end_matches('/').to_lowercase();
        url.strip_suffix(".git").map(str::to_string).unwrap_or(url)
    };
    normal(a) == normal(b)
}

/// The repository name a git URL ends with: `https://host/org/shop.git` → `shop`.
/// `ssh://git@host/org/shop`, `git@host:org/shop.git`, `file:///srv/shop/.git` and a
/// `#rev` or `?query` tail all name `shop`.
fn git_repo_name(url: &str) -> Option<&str> {
    let url = url.split(['#', '?']).next()?;
    let mut segments = url.rsplit(['/', ':']).filter(|s| !s.is_empty());
    let last = segments.next()?;
    let name = if last == ".git" {
        segments.next()?
    } else {
        last.strip_suffix(".git").unwrap_or(last)
    };
    (!name.is_empty()).then_some(name)
}

/// Where one name of a file leads, in ordinary code and in test-only code.
#[derive(Clone, Copy)]
enum NameTarget {
    /// The edge of a declared dependency (index into the edge list).
    Edge(usize),
    /// A known crate the manifest does not declare (index into the undeclared list).
    Undeclared(usize),
    /// Not a crate of the organization (a module reached through a glob import, a crate's
    /// own library, a name nothing declares).
    Nothing,
}

/// Adds one file's references to the edges of its crate, or to its undeclared uses.
#[allow(clippy::too_many_arguments)]
fn attribute_refs(
    package_index: usize,
    package: &Package,
    deps: &[ResolvedDep],
    extern_aliases: &HashMap<String, String>,
    known: &HashMap<String, NodeId>,
    context: CodeContext,
    rel_path: &str,
    source: &SourceFacts,
    edges: &mut [EdgeBuilder],
    undeclared: &mut BTreeMap<(usize, NodeId), (u32, BTreeSet<Site>)>,
) {
    let mut undeclared_keys: Vec<(usize, NodeId)> = Vec::new();
    let mut target_of = |name: &str, in_test: bool| -> NameTarget {
        let name = extern_aliases.get(name).map(String::as_str).unwrap_or(name);
        if package.lib.as_deref() == Some(name) {
            // A crate's binaries and tests reaching its own library.
            return NameTarget::Nothing;
        }
        let preferred: &[DepKind] = match context {
            CodeContext::Build => &[DepKind::Build],
            CodeContext::Dev => &[DepKind::Dev, DepKind::Normal],
            CodeContext::Normal if in_test => &[DepKind::Dev, DepKind::Normal],
            CodeContext::Normal => &[DepKind::Normal, DepKind::Dev],
        };
        let declared = preferred.iter().find_map(|&kind| {
            deps.iter()
                .find(|dep| dep.kind == kind && dep.code_name == name)
        });
        match (declared, known.get(name)) {
            (Some(dep), _) => NameTarget::Edge(dep.edge),
            (None, Some(target)) => {
                undeclared_keys.push((package_index, target.clone()));
                NameTarget::Undeclared(undeclared_keys.len() - 1)
            }
            (None, None) => NameTarget::Nothing,
        }
    };
    // Resolve each distinct name of the file once, for ordinary and for test-only code.
    let targets: Vec<[NameTarget; 2]> = source
        .names
        .iter()
        .map(|name| [target_of(name, false), target_of(name, true)])
        .collect();

    let path: Arc<str> = Arc::from(rel_path);
    for reference in &source.refs {
        let site = || Site {
            path: Arc::clone(&path),
            line: reference.line,
        };
        match targets[reference.name as usize][usize::from(reference.in_test)] {
            NameTarget::Edge(edge) => {
                edges[edge].refs += 1;
                edges[edge].sites.insert(site());
            }
            NameTarget::Undeclared(key) => {
                let entry = undeclared.entry(undeclared_keys[key].clone()).or_default();
                entry.0 += 1;
                entry.1.insert(site());
            }
            NameTarget::Nothing => {}
        }
    }
}

/// Env wiring of the deploy files (docker-compose, Kubernetes) and the gRPC services of the
/// .proto files: short name → full names.
fn deploy_wiring(discovery: &Discovery, facts: &[Option<FileFacts>]) -> services::Wiring {
    let mut wiring = services::Wiring::default();
    for (_, file_facts) in discovery.files.iter().zip(facts) {
        match file_facts {
            Some(FileFacts::Deploy(deploy)) => {
                for workload in &deploy.workloads {
                    // Files come in a fixed order and the first to set a variable for a
                    // workload wins (`Wiring::env_value`), so the result does not depend on
                    // the thread count.
                    wiring
                        .workloads
                        .entry(workload.name.clone())
                        .or_default()
                        .push(workload.clone());
                    for host in workload.hosts.iter().chain([&workload.name]) {
                        wiring
                            .hosts
                            .entry(host.to_ascii_lowercase())
                            .or_default()
                            .insert(workload.name.clone());
                    }
                }
            }
            Some(FileFacts::Proto(proto)) => {
                for service in &proto.services {
                    wiring
                        .proto_services
                        .entry(service.name.clone())
                        .or_default()
                        .insert(service.full_name.clone());
                }
            }
            _ => {}
        }
    }
    wiring
}

#[cfg(test)]
mod tests {
    use super::git_repo_name;

    #[test]
    fn git_urls_name_their_repository() {
        for url in [
            "https://git.acme.internal/shop/shop.git",
            "https://git.acme.internal/shop/shop/",
            "ssh://git@host/org/shop",
            "git@host:org/shop.git",
            "file:///srv/shop/.git",
            "https://host/org/shop.git#v2",
            "https://host/org/shop?branch=main",
        ] {
            assert_eq!(git_repo_name(url), Some("shop"), "{url}");
        }
        assert_eq!(git_repo_name(""), None);
    }
}
