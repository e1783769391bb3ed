//! Phase 2 of ownership: what each source says about each crate, and the claim that decides.
//!
//! One file per source, asked in precedence order: `capgraph.toml` `crates` and `paths`
//! ([`config`]), `[package.metadata.capgraph]` ([`metadata`]), the nearest catalog file
//! ([`catalog`]) and CODEOWNERS ([`codeowners`]). The highest claim that names a team or a
//! capability decides; the others are kept, for explanations and for the problems phase.

mod catalog;
mod codeowners;
mod config;
mod metadata;

pub(super) use codeowners::line_owners;
pub(super) use config::{PathRule, path_rules};

use super::inputs::Inputs;
use super::problems::OwnershipProblem;
use super::teams::Declared;
use super::{Capability, Claim, CrateOwnership, SourceKind, Team};
use crate::config::{Config, Origin};
use crate::model::packages::Package;
use std::collections::BTreeMap;

/// The organization with every crate's ownership decided.
pub(super) struct Claimed {
    pub teams: BTreeMap<String, Team>,
    pub capabilities: BTreeMap<String, Capability>,
    /// Per package (same index as `PackageSet::packages`).
    pub crates: Vec<CrateOwnership>,
    pub problems: Vec<OwnershipProblem>,
    /// Owner references that are no team, each with the first place found: reported once
    /// each, however many crates they cover.
    pub unknown_handles: BTreeMap<String, Origin>,
}

pub(super) fn claim(inputs: &Inputs, declared: Declared) -> Claimed {
    let Declared {
        teams,
        capabilities,
        mut problems,
    } = declared;
    let mut unknown_handles = BTreeMap::new();
    let mut codeowners = codeowners::Resolved::new(inputs.roots.len());
    let mut crates = Vec::with_capacity(inputs.packages.packages.len());
    for package in &inputs.packages.packages {
        let mut claims = config::claims(inputs, package, &mut problems);
        claims.extend(metadata::claim(inputs, package, &mut problems));
        if let Some((claim, unresolved)) = catalog::claim(inputs, package, &mut problems) {
            if let Some(owner) = unresolved {
                unknown_handles.entry(owner).or_insert(claim.origin.clone());
            }
            claims.push(claim);
        }
        claims.extend(codeowners.claim(inputs, package, &mut unknown_handles));
        crates.push(decide(package, claims, inputs.config, &capabilities));
    }
    Claimed {
        teams,
        capabilities,
        crates,
        problems,
        unknown_handles,
    }
}

/// The team of a capability: declared, or in zero-config mode the capability's own name.
fn capability_team(config: &Config, capability: &str, zero_config: bool) -> Option<String> {
    match config.capabilities.get(capability) {
        Some(declared) => declared.team.as_ref().map(|t| t.value.clone()),
        None if zero_config => Some(capability.to_string()),
        None => None,
    }
}

/// Picks the highest claim that names a team or capability.
fn decide(
    package: &Package,
    mut claims: Vec<Claim>,
    config: &Config,
    capabilities: &BTreeMap<String, Capability>,
) -> CrateOwnership {
    claims.sort_by_key(|c| c.source);
    let position = claims
        .iter()
        .position(|c| c.team.is_some() || c.capability.is_some());
    let Some(position) = position else {
        return CrateOwnership {
            others: claims,
            ..CrateOwnership::default()
        };
    };
    let decided = claims.remove(position);
    let team = decided.team.clone();
    // Whoever decides the team, the people CODEOWNERS names stay the crate's maintainers.
    let maintainers = std::iter::once(&decided)
        .chain(claims.iter())
        .find(|c| c.source == SourceKind::Codeowners)
        .map(|c| c.maintainers.clone())
        .unwrap_or_default();
    // A crate owned by a team but by no capability belongs to the team's only capability.
    let capability = decided.capability.clone().or_else(|| {
        let team = team.as_ref()?;
        let owned: Vec<&String> = capabilities
            .values()
            .filter(|c| c.team.as_ref() == Some(team))
            .map(|c| &c.id)
            .collect();
        (owned.len() == 1).then(|| owned[0].clone())
    });
    let contract = package.metadata.as_ref().is_some_and(|m| m.contract)
        || capability.as_ref().is_some_and(|c| {
            config
                .capabilities
                .get(c)
                .is_some_and(|c| c.contracts.iter().any(|k| k.value == package.name))
        });
    CrateOwnership {
        capability,
        owners: if decided.owners.is_empty() {
            team.iter().cloned().collect()
        } else {
            decided.owners.clone()
        },
        team,
        maintainers,
        decided_by: Some(decided),
        others: claims,
        contract,
    }
}
