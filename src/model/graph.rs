//! The crate graph: crate and third-party nodes joined by `depends_on` edges that carry the
//! dependency kind, the manifest line that declares it and the code sites that use it.

use crate::config::CapabilityKind;
use crate::core::{NodeId, OwnerKind};
use crate::extract::DepKind;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A place in a repository: a path relative to the repo root and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Site {
    /// Shared between all sites of one file.
    pub path: Arc<str>,
    pub line: u32,
}

/// A crate of one of the scanned repositories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateNode {
    /// The package name.
    pub name: String,
    /// The name in its id: the package name, unless several scanned packages share it
    /// ([`crate::model::packages::Package::id_name`]).
    pub id_name: String,
    /// The repository (root) name.
    pub repo: String,
    /// The package directory, relative to the repo root ("" for the root itself).
    pub path: String,
    /// The manifest, relative to the repo root.
    pub manifest: String,
    /// The library target's name as code writes it, if the package has a library.
    pub lib: Option<String>,
    /// Binary target names, sorted.
    pub bins: Vec<String>,
    /// The directory of the workspace root the package belongs to (its own when standalone).
    pub workspace: String,
    /// Whether it belongs to no workspace (Cargo builds it on its own).
    pub standalone: bool,
    /// Number of Rust source files assigned to the crate.
    pub files: u32,
    /// The owning capability's id.
    pub capability: Option<String>,
    /// The owning team's id (the first owner where several are named).
    pub team: Option<String>,
    /// All owning teams: several are co-owners, who share the crate.
    pub owners: Vec<String>,
    /// Individuals CODEOWNERS names beside the owning teams, as written.
    pub maintainers: Vec<String>,
    /// `repo/file:line` of the statement that decided the ownership.
    pub owner_source: Option<String>,
    /// Whether the crate is a contract of its capability.
    pub contract: bool,
    /// References to known crates that the manifest does not declare.
    pub undeclared: Vec<UndeclaredUse>,
}

impl CrateNode {
    /// Its node id, `crate:ID_NAME`.
    pub fn id(&self) -> NodeId {
        NodeId::Crate(self.id_name.clone())
    }

    /// Whether a dependency between the two crates stays inside a team that co-owns one of
    /// them: one of them is co-owned and they share an owning team. Such a dependency is not
    /// cross-team, though the two crates may show under different teams (each under its first
    /// owner).
    pub fn co_owned_with(&self, other: &CrateNode) -> bool {
        (self.owners.len() > 1 || other.owners.len() > 1)
            && self.owners.iter().any(|team| other.owners.contains(team))
    }

    /// Whether the crate and `other` have an owning team in common.
    pub fn shares_owner_with(&self, other: &CrateNode) -> bool {
        self.owners.iter().any(|team| other.owners.contains(team))
    }
}

/// A crate referenced in code but not declared as a dependency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndeclaredUse {
    /// The node id of the crate the name refers to.
    pub target: NodeId,
    pub refs: u32,
    pub sites: Vec<Site>,
}

/// A team node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamNode {
    pub id: String,
    pub name: String,
    pub handles: Vec<String>,
    /// A team, a review group, or one person standing in for a team (zero-config mode).
    pub kind: OwnerKind,
}

/// A capability node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapabilityNode {
    pub id: String,
    pub team: Option<String>,
    pub kind: CapabilityKind,
}

/// A node of the graph.
// One node per crate, team and capability: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Team(TeamNode),
    Capability(CapabilityNode),
    Crate(CrateNode),
    /// A third-party crate, known only by name.
    External {
        name: String,
    },
}

impl Node {
    /// The stable id (`team:ID`, `capability:ID`, `crate:NAME` or `external:NAME` in JSON).
    pub fn id(&self) -> NodeId {
        match self {
            Node::Team(node) => NodeId::Team(node.id.clone()),
            Node::Capability(node) => NodeId::Capability(node.id.clone()),
            Node::Crate(node) => node.id(),
            Node::External { name } => NodeId::External(name.clone()),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Node::Team(node) => &node.name,
            Node::Capability(node) => &node.id,
            Node::Crate(node) => &node.name,
            Node::External { name } => name,
        }
    }
}

/// A manifest dependency from one crate to another, with the code that uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DependsOn {
    pub kind: DepKind,
    /// Code references found (a line with two references counts two).
    pub refs: u32,
    /// The distinct lines holding those references, sorted.
    pub sites: Vec<Site>,
    /// The manifest line that declares the dependency (the first, if several do).
    pub declared_at: Site,
    /// How the declaration names its source: `path`, `git`, `registry` or `workspace`.
    pub source: &'static str,
    pub optional: bool,
    /// The `[target.X]` platforms the dependency is limited to; empty when unconditional.
    pub platforms: Vec<String>,
}

/// The crate graph with a lookup from node id to index.
#[derive(Debug, Default)]
pub struct CrateGraph {
    pub graph: DiGraph<Node, DependsOn>,
    index: BTreeMap<NodeId, NodeIndex>,
}

impl CrateGraph {
    /// Adds a node unless one with the same id exists; returns its index either way.
    pub fn add_node(&mut self, node: Node) -> NodeIndex {
        let id = node.id();
        if let Some(&index) = self.index.get(&id) {
            return index;
        }
        let index = self.graph.add_node(node);
        self.index.insert(id, index);
        index
    }

    pub fn node_index(&self, id: &NodeId) -> Option<NodeIndex> {
        self.index.get(id).copied()
    }

    /// Node indices ordered by id.
    pub fn nodes_by_id(&self) -> impl Iterator<Item = (&NodeId, NodeIndex)> {
        self.index.iter().map(|(id, &index)| (id, index))
    }

    /// The crate nodes, ordered by id.
    pub fn crates(&self) -> impl Iterator<Item = &CrateNode> {
        self.index
            .values()
            .filter_map(|&index| match &self.graph[index] {
                Node::Crate(node) => Some(node),
                _ => None,
            })
    }

    /// The crate whose id name (the package name, when no other package has it) is `name`.
    pub fn crate_named(&self, name: &str) -> Option<&CrateNode> {
        match &self.graph[self.node_index(&NodeId::Crate(name.to_string()))?] {
            Node::Crate(node) => Some(node),
            _ => None,
        }
    }

    /// Edges sorted by (from id, to id, kind).
    pub fn edges_sorted(&self) -> Vec<(&Node, &Node, &DependsOn)> {
        use petgraph::visit::EdgeRef;
        let mut edges: Vec<_> = self
            .graph
            .edge_references()
            .map(|e| (&self.graph[e.source()], &self.graph[e.target()], e.weight()))
            .collect();
        edges.sort_by_cached_key(|(from, to, edge)| (from.id(), to.id(), edge.kind));
        edges
    }
}
