//! Phase 1 of ownership: the teams and capabilities `capgraph.toml` declares, and the
//! references between them that lead nowhere.

use super::problems::OwnershipProblem;
use super::{Capability, Team, sorted};
use crate::config::Config;
use crate::core::OwnerKind;
use std::collections::BTreeMap;

/// The declared organization. In zero-config mode both maps start empty and are inferred
/// later, from the owners the sources name.
pub(super) struct Declared {
    pub teams: BTreeMap<String, Team>,
    pub capabilities: BTreeMap<String, Capability>,
    pub problems: Vec<OwnershipProblem>,
}

pub(super) fn declare(config: &Config) -> Declared {
    let teams: BTreeMap<String, Team> = config
        .teams
        .iter()
        .map(|(id, team)| {
            let team = Team {
                id: id.clone(),
                name: team.name.clone().unwrap_or_else(|| id.clone()),
                handles: sorted(team.handles.iter().map(|h| h.value.clone())),
                kind: OwnerKind::Team,
                origin: Some(team.origin.clone()),
            };
            (id.clone(), team)
        })
        .collect();
    let mut problems = Vec::new();
    let mut capabilities = BTreeMap::new();
    for (id, capability) in &config.capabilities {
        if let Some(team) = &capability.team
            && !teams.contains_key(&team.value)
        {
            problems.push(OwnershipProblem::UndeclaredTeam {
                capability: id.clone(),
                team: team.value.clone(),
                origin: team.origin.clone(),
            });
        }
        for dependency in capability.depends_on.iter().flatten() {
            if !config.capabilities.contains_key(&dependency.value) {
                problems.push(OwnershipProblem::UndeclaredDependency {
                    capability: id.clone(),
                    dependency: dependency.value.clone(),
                    origin: dependency.origin.clone(),
                });
            }
        }
        let declared = Capability {
            id: id.clone(),
            team: capability.team.as_ref().map(|t| t.value.clone()),
            kind: capability.kind,
            contracts: capability
                .contracts
                .iter()
                .map(|c| c.value.clone())
                .collect(),
            depends_on: capability
                .depends_on
                .as_ref()
                .map(|deps| deps.iter().map(|d| d.value.clone()).collect()),
            wraps: capability.wraps.iter().map(|w| w.value.clone()).collect(),
            origin: Some(capability.origin.clone()),
        };
        capabilities.insert(id.clone(), declared);
    }
    Declared {
        teams,
        capabilities,
        problems,
    }
}
