//! Ownership: which team and capability own each crate and file, and who says so.
//!
//! Sources, highest precedence first (SPEC §3.1): `capgraph.toml` (`crates`, then `paths`,
//! the most specific glob winning), `[package.metadata.capgraph]`, the nearest Backstage
//! `catalog-info.yaml`, and CODEOWNERS matched on the crate's directory. Every answer keeps
//! the claim that decided it and the claims it overrode; disagreements, unknown owners, stale
//! patterns and split crates are recorded as typed problems ([`OwnershipProblem`]) for the OWN
//! rules to word and report.
//!
//! [`resolve`] runs in phases, each a function from the previous phase's result to the next:
//! the declared teams ([`teams`]), the claims of every source per crate and the one that
//! decides ([`claims`]), zero-config inference ([`zero_config`]), and the problems
//! ([`problems`]). What all phases read is gathered once in [`inputs`].

mod claims;
mod inputs;
mod problems;
mod teams;
mod zero_config;

use crate::config::{CapabilityKind, Config, Origin};
use crate::core::OwnerKind;
use crate::discover::Discovery;
use crate::extract::FileFacts;
use crate::extract::codeowners::CodeownersFacts;
use std::collections::BTreeMap;

use super::packages::PackageSet;
pub use crate::config::handle_key;
pub use problems::{FileShare, OwnershipProblem};

/// Where an ownership claim comes from, in precedence order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceKind {
    /// `capgraph.toml` `crates = [..]`.
    ConfigCrates,
    /// `capgraph.toml` `paths = [..]`.
    ConfigPaths,
    /// `[package.metadata.capgraph]`.
    CargoMetadata,
    /// Backstage `catalog-info.yaml`.
    Catalog,
    /// CODEOWNERS.
    Codeowners,
}

impl SourceKind {
    pub fn describe(self) -> &'static str {
        match self {
            SourceKind::ConfigCrates => "capgraph.toml crates",
            SourceKind::ConfigPaths => "capgraph.toml paths",
            SourceKind::CargoMetadata => "Cargo.toml [package.metadata.capgraph]",
            SourceKind::Catalog => "catalog-info.yaml",
            SourceKind::Codeowners => "CODEOWNERS",
        }
    }
}

/// What one source says about one crate or file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Claim {
    pub source: SourceKind,
    /// `repo/path:line` of the statement.
    pub origin: Origin,
    /// What the statement says, as written (`/domains/payments/ @acme/payments`).
    pub statement: String,
    pub capability: Option<String>,
    /// The owning team, resolved to a team id; `None` if the source names no known team.
    pub team: Option<String>,
    /// All teams the statement names, resolved.
    pub owners: Vec<String>,
    /// Individuals the statement names beside its teams (CODEOWNERS `@user`, e-mails), as
    /// written: maintainers of the crate, not teams.
    pub maintainers: Vec<String>,
    /// Owner references the statement names that are no known team.
    pub unknown: Vec<String>,
}

impl Claim {
    /// Why the claim names no team, for a claim that names none: what the user will find at
    /// its origin.
    pub fn why_no_team(&self) -> String {
        if !self.unknown.is_empty() {
            let names: Vec<String> = self.unknown.iter().map(|u| format!("`{u}`")).collect();
            let what = if names.len() == 1 {
                "which is no declared team"
            } else {
                "which are no declared teams"
            };
            format!("names {}, {what}", names.join(", "))
        } else if self.source == SourceKind::Codeowners {
            "lists no owners".to_string()
        } else {
            "names no team".to_string()
        }
    }
}

/// The ownership of one crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrateOwnership {
    pub capability: Option<String>,
    /// The first owning team: what views that show one team per crate show.
    pub team: Option<String>,
    /// Every owning team: several are co-owners, who share the crate.
    pub owners: Vec<String>,
    /// Individuals CODEOWNERS names beside the owning teams, as written.
    pub maintainers: Vec<String>,
    /// The claim that decided, if any source said anything.
    pub decided_by: Option<Claim>,
    /// The other claims, in precedence order.
    pub others: Vec<Claim>,
    /// Whether `[package.metadata.capgraph] contract = true` or the capability lists it.
    pub contract: bool,
}

/// A team of the organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub handles: Vec<String>,
    /// A team, a review group, or (in zero-config mode, where nobody else owns a crate) one
    /// person. Declared teams are teams.
    pub kind: OwnerKind,
    /// Where it was declared; `None` when inferred from an owner handle (zero-config).
    pub origin: Option<Origin>,
}

/// A capability of the organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capability {
    pub id: String,
    pub team: Option<String>,
    pub kind: CapabilityKind,
    pub contracts: Vec<String>,
    pub depends_on: Option<Vec<String>>,
    pub wraps: Vec<String>,
    /// Where it was declared; `None` when inferred (zero-config: one per team).
    pub origin: Option<Origin>,
}

/// Ownership of the whole organization.
#[derive(Debug, Clone, Default)]
pub struct Ownership {
    /// Per root, the CODEOWNERS file in force (its path and rules), for per-file answers.
    pub codeowners: Vec<Option<(String, CodeownersFacts)>>,
    pub teams: BTreeMap<String, Team>,
    pub capabilities: BTreeMap<String, Capability>,
    /// Per package (same index as `PackageSet::packages`).
    pub crates: Vec<CrateOwnership>,
    /// Whether no `capgraph.toml` declared anything (teams and capabilities inferred).
    pub zero_config: bool,
    /// What is wrong with the ownership data, sorted and without duplicates.
    pub problems: Vec<OwnershipProblem>,
}

/// Maps owner references (handles, catalog names) to team ids.
///
/// A reference matches a team's id or one of its handles, compared by [`handle_key`]: GitHub
/// handles and e-mails ignore case, and the Backstage forms `name`, `group:name` and
/// `group:default/name` are one reference. A catalog owner is a bare group name; when no
/// handle is that name, it also matches the one team with a GitHub team handle `@org/name`,
/// and matches nothing if several teams have one (in different organizations), since
/// guessing would hide the ambiguity.
struct TeamResolver {
    by_handle: BTreeMap<String, String>,
    /// Team ids by the name part of their `@org/name` handles.
    by_github_team_name: BTreeMap<String, Vec<String>>,
    zero_config: bool,
}

impl TeamResolver {
    fn new(config: &Config, zero_config: bool) -> TeamResolver {
        let mut by_handle = BTreeMap::new();
        let mut by_github_team_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (id, team) in &config.teams {
            // A team id is matched whole (ignoring case): `acme/orders` is not `orders`.
            by_handle.insert(id.to_lowercase(), id.clone());
            by_handle.insert(format!("@{}", id.to_lowercase()), id.clone());
            for handle in &team.handles {
                let key = handle_key(&handle.value);
                if let Some((_, name)) = key.strip_prefix('@').and_then(|h| h.split_once('/')) {
                    let ids = by_github_team_name.entry(name.to_string()).or_default();
                    if !ids.contains(id) {
                        ids.push(id.clone());
                    }
                }
                by_handle.insert(key, id.clone());
            }
        }
        TeamResolver {
            by_handle,
            by_github_team_name,
            zero_config,
        }
    }

    fn resolve(&self, reference: &str) -> Option<String> {
        let whole = reference.trim().to_lowercase();
        let key = handle_key(reference);
        if let Some(team) = self
            .by_handle
            .get(&whole)
            .or_else(|| self.by_handle.get(&key))
        {
            return Some(team.clone());
        }
        if !key.contains('@')
            && let Some([team]) = self.by_github_team_name.get(&key).map(Vec::as_slice)
        {
            return Some(team.clone());
        }
        if self.zero_config {
            return Some(zero_config_team_id(reference));
        }
        None
    }

    /// For a reference that resolves to no team because several teams have a GitHub team
    /// handle of its name: the name and those teams.
    fn ambiguity(&self, reference: &str) -> Option<(String, &[String])> {
        let name = handle_key(reference);
        match self.by_github_team_name.get(&name) {
            Some(teams) if teams.len() > 1 => Some((name, teams)),
            _ => None,
        }
    }
}

/// Handles in a stable order, for output that does not change when a config is reordered.
fn sorted(handles: impl Iterator<Item = String>) -> Vec<String> {
    let mut handles: Vec<String> = handles.collect();
    handles.sort();
    handles.dedup();
    handles
}

/// The team id zero-config mode gives a handle: the handle without its leading `@`, in lower
/// case, since `@Acme/Payments` and `@acme/payments` are one GitHub team.
pub fn zero_config_team_id(handle: &str) -> String {
    handle.trim().trim_start_matches('@').to_lowercase()
}

/// Resolves the ownership of every package.
pub fn resolve(
    discovery: &Discovery,
    facts: &[Option<FileFacts>],
    packages: &PackageSet,
    config: &Config,
) -> Ownership {
    let inputs = inputs::Inputs::new(discovery, facts, packages, config);
    let declared = teams::declare(config);
    let claimed = claims::claim(&inputs, declared);
    let inferred = zero_config::infer(&inputs, claimed);
    problems::find(&inputs, inferred)
}
