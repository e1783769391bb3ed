//! Phase 4 of ownership: what is wrong with the ownership data, as typed facts.
//!
//! Each [`OwnershipProblem`] variant is one kind of problem and carries what the OWN rules
//! need to word it and to key its fingerprint: the crate, the claims or references involved,
//! and their origins. The model writes no rule ids and no prose: which rule reports a kind,
//! and in which words, is the rules' business.

mod per_crate;
mod split;
mod stale;

use super::claims::Claimed;
use super::inputs::Inputs;
use super::{Claim, CrateOwnership, Ownership};
use crate::config::Origin;

/// A problem with the ownership data.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum OwnershipProblem {
    /// Zero-config, and no source at all (CODEOWNERS, catalog file, Cargo metadata) says
    /// anything of any crate: one problem for the whole organization, at the capgraph.toml
    /// `capgraph init` would write in the first root, rather than one per crate.
    NoOwnershipSources {
        crates: usize,
        /// The CODEOWNERS files there are (`repo/path`), none of whose rules names an owner
        /// of a crate's directory.
        codeowners: Vec<String>,
        location: Origin,
    },
    /// No source covers the crate's directory (`dir`, empty for a root crate).
    NoSource {
        krate: String,
        dir: String,
        /// The package's `name` line.
        manifest: Origin,
    },
    /// Sources matched the crate, but none names a known team or capability: the claims, in
    /// precedence order, each saying why it owns nothing.
    NoKnownTeam { krate: String, claims: Vec<Claim> },
    /// The deciding claim gives the crate a capability that has no team (`None` when
    /// zero-config inference dropped a capability it could not give a team).
    CapabilityWithoutTeam {
        krate: String,
        capability: Option<String>,
        decided: Origin,
    },
    /// Several capabilities list the crate in `crates`: each capability with its listing, in
    /// file order. The first decides; the second is where the fix goes.
    ListedTwice {
        krate: String,
        listings: Vec<(String, Origin)>,
    },
    /// A lower source names another team than the deciding one. The teams are given by
    /// their display names.
    TeamsDisagree {
        krate: String,
        decided: Claim,
        team_name: String,
        other: Claim,
        other_team_name: String,
    },
    /// A lower source names the same team but another capability than the crate has.
    CapabilitiesDisagree {
        krate: String,
        decided: Claim,
        capability: String,
        other: Claim,
        other_capability: String,
    },
    /// A capability's `team` is no declared team.
    UndeclaredTeam {
        capability: String,
        team: String,
        origin: Origin,
    },
    /// A capability's `depends_on` names no declared capability.
    UndeclaredDependency {
        capability: String,
        dependency: String,
        origin: Origin,
    },
    /// `[package.metadata.capgraph] capability` names no declared capability.
    UnknownMetadataCapability {
        krate: String,
        capability: String,
        origin: Origin,
    },
    /// `[package.metadata.capgraph] team` names no declared team.
    UnknownMetadataTeam {
        krate: String,
        team: String,
        origin: Origin,
    },
    /// A catalog Component's `spec.system` is no declared capability.
    UnknownSystem {
        component: String,
        system: String,
        origin: Origin,
    },
    /// An owner reference (CODEOWNERS or catalog) is no team's handle, at its first use.
    UnknownOwner { handle: String, origin: Origin },
    /// An owner reference is a bare name that several teams have a GitHub team handle of
    /// (`@org/name` in different organizations), so it means none of them.
    AmbiguousOwner {
        handle: String,
        /// The GitHub team name the teams share.
        name: String,
        teams: Vec<String>,
        origin: Origin,
    },
    /// A CODEOWNERS pattern matches no path of its repository.
    StalePattern {
        repo: String,
        pattern: String,
        origin: Origin,
    },
    /// A capability's `paths` glob matches no crate (`valid`), or does not parse.
    StaleGlob {
        capability: String,
        glob: String,
        valid: bool,
        origin: Origin,
    },
    /// A capability's `crates` entry names no crate.
    StaleCrateListing {
        capability: String,
        name: String,
        origin: Origin,
    },
    /// CODEOWNERS gives the crate's source files to several teams.
    SplitCrate {
        krate: String,
        /// The team that owns the crate as a whole, if any.
        team: Option<String>,
        /// Per team, in team order.
        shares: Vec<FileShare>,
        /// The package's `name` line: a suppression above `[package]` covers it.
        manifest: Origin,
    },
}

/// The part of a split crate's files one team owns.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileShare {
    pub team: String,
    pub files: u32,
    /// The first of them, as an example.
    pub example: String,
}

impl OwnershipProblem {
    /// Where the fix goes.
    pub fn location(&self) -> &Origin {
        use OwnershipProblem::*;
        match self {
            NoSource { manifest, .. } | SplitCrate { manifest, .. } => manifest,
            NoOwnershipSources { location, .. } => location,
            NoKnownTeam { claims, .. } => &claims[0].origin,
            ListedTwice { listings, .. } => &listings[1].1,
            CapabilityWithoutTeam { decided, .. } => decided,
            TeamsDisagree { other, .. } | CapabilitiesDisagree { other, .. } => &other.origin,
            UndeclaredTeam { origin, .. }
            | UndeclaredDependency { origin, .. }
            | UnknownMetadataCapability { origin, .. }
            | UnknownMetadataTeam { origin, .. }
            | UnknownSystem { origin, .. }
            | UnknownOwner { origin, .. }
            | AmbiguousOwner { origin, .. }
            | StalePattern { origin, .. }
            | StaleGlob { origin, .. }
            | StaleCrateListing { origin, .. } => origin,
        }
    }

    /// The crate concerned, for problems about one crate: its id name (the package name,
    /// unless several scanned packages share it).
    pub fn krate(&self) -> Option<&str> {
        use OwnershipProblem::*;
        match self {
            NoSource { krate, .. }
            | NoKnownTeam { krate, .. }
            | CapabilityWithoutTeam { krate, .. }
            | ListedTwice { krate, .. }
            | TeamsDisagree { krate, .. }
            | CapabilitiesDisagree { krate, .. }
            | UnknownMetadataCapability { krate, .. }
            | UnknownMetadataTeam { krate, .. }
            | SplitCrate { krate, .. } => Some(krate),
            NoOwnershipSources { .. }
            | UndeclaredTeam { .. }
            | UndeclaredDependency { .. }
            | UnknownSystem { .. }
            | UnknownOwner { .. }
            | AmbiguousOwner { .. }
            | StalePattern { .. }
            | StaleGlob { .. }
            | StaleCrateListing { .. } => None,
        }
    }
}

/// Finds the problems of the whole organization, and completes the ownership.
/// Without any config or ownership source, every crate is unowned for one reason: say it once.
fn no_sources_at_all(
    inputs: &Inputs,
    crates: &[CrateOwnership],
    problems: &mut Vec<OwnershipProblem>,
) {
    let nothing_claimed = crates
        .iter()
        .all(|c| c.decided_by.is_none() && c.others.is_empty());
    if !inputs.zero_config || crates.is_empty() || !nothing_claimed {
        return;
    }
    problems.retain(|p| !matches!(p, OwnershipProblem::NoSource { .. }));
    let first_root = inputs.packages.root_name(0);
    let codeowners = inputs
        .roots
        .iter()
        .enumerate()
        .filter_map(|(root, sources)| {
            let (path, _) = sources.codeowners?;
            Some(format!("{}/{path}", inputs.discovery.roots[root].name))
        })
        .collect();
    problems.push(OwnershipProblem::NoOwnershipSources {
        crates: crates.len(),
        codeowners,
        location: Origin {
            file: format!("{first_root}/{}", crate::core::CONFIG_FILE),
            line: 0,
        },
    });
}

pub(super) fn find(inputs: &Inputs, claimed: Claimed) -> Ownership {
    let Claimed {
        teams,
        capabilities,
        crates,
        mut problems,
        unknown_handles,
    } = claimed;
    unknown_owners(inputs, unknown_handles, &mut problems);
    for (package, ownership) in inputs.packages.packages.iter().zip(&crates) {
        per_crate::problems(inputs, package, ownership, &teams, &mut problems);
    }
    no_sources_at_all(inputs, &crates, &mut problems);
    stale::patterns(inputs, &mut problems);
    split::crates(inputs, &crates, &mut problems);
    // One problem found from several crates (a catalog entry above two of them) is one.
    problems.sort();
    problems.dedup();
    Ownership {
        codeowners: inputs
            .roots
            .iter()
            .map(|r| {
                r.codeowners
                    .map(|(path, facts)| (path.to_string(), facts.clone()))
            })
            .collect(),
        teams,
        capabilities,
        crates,
        zero_config: inputs.zero_config,
        problems,
    }
}

/// OWN003 for owner references: those the claims met, and (with a declared organization)
/// those on CODEOWNERS lines that match no crate directory, since a typo there hides the
/// same way.
fn unknown_owners(
    inputs: &Inputs,
    mut unknown_handles: std::collections::BTreeMap<String, Origin>,
    problems: &mut Vec<OwnershipProblem>,
) {
    if !inputs.zero_config {
        for (root_index, sources) in inputs.roots.iter().enumerate() {
            let Some((path, codeowners)) = sources.codeowners else {
                continue;
            };
            let repo = inputs.packages.root_name(root_index);
            for (handle, line) in codeowners.owner_references() {
                if !unknown_handles.contains_key(handle)
                    && inputs.resolver.resolve(handle).is_none()
                {
                    unknown_handles.insert(
                        handle.clone(),
                        Origin {
                            file: format!("{repo}/{path}"),
                            line,
                        },
                    );
                }
            }
        }
    }
    for (handle, origin) in unknown_handles {
        problems.push(match inputs.resolver.ambiguity(&handle) {
            Some((name, teams)) => OwnershipProblem::AmbiguousOwner {
                handle,
                name,
                teams: teams.to_vec(),
                origin,
            },
            None => OwnershipProblem::UnknownOwner { handle, origin },
        });
    }
}
