//! The problems of one crate's ownership: no owner (OWN001's facts) and sources that
//! disagree (OWN002's). Several owning teams are co-owners, which is no problem.

use super::OwnershipProblem;
use crate::config::Origin;
use crate::model::ownership::inputs::Inputs;
use crate::model::ownership::{Claim, CrateOwnership, SourceKind, Team};
use crate::model::packages::Package;
use std::collections::BTreeMap;

pub(super) fn problems(
    inputs: &Inputs,
    package: &Package,
    ownership: &CrateOwnership,
    teams: &BTreeMap<String, Team>,
    problems: &mut Vec<OwnershipProblem>,
) {
    let krate = package.id_name.clone();
    let Some(decided) = &ownership.decided_by else {
        problems.push(unowned(inputs, package, ownership));
        return;
    };
    let Some(team) = &ownership.team else {
        problems.push(OwnershipProblem::CapabilityWithoutTeam {
            krate,
            capability: ownership.capability.clone(),
            decided: decided.origin.clone(),
        });
        return;
    };
    for other in &ownership.others {
        problems.extend(disagreement(ownership, decided, team, other, teams, &krate));
    }
}

/// A crate no claim decides. A source that matched but named no known team is what the user
/// has to fix; saying that nothing covers the crate would send them looking in the wrong
/// place.
fn unowned(inputs: &Inputs, package: &Package, ownership: &CrateOwnership) -> OwnershipProblem {
    if ownership.others.is_empty() {
        OwnershipProblem::NoSource {
            krate: package.id_name.clone(),
            dir: package.dir.clone(),
            manifest: Origin {
                file: format!(
                    "{}/{}",
                    inputs.packages.root_name(package.root),
                    package.manifest
                ),
                line: package.name_line(),
            },
        }
    } else {
        OwnershipProblem::NoKnownTeam {
            krate: package.id_name.clone(),
            claims: ownership.others.clone(),
        }
    }
}

/// Whether a lower claim disagrees with the deciding one: another team, or the same team but
/// another capability (the crate's contracts and allowed dependencies depend on which one is
/// right).
fn disagreement(
    ownership: &CrateOwnership,
    decided: &Claim,
    team: &String,
    other: &Claim,
    teams: &BTreeMap<String, Team>,
    krate: &str,
) -> Option<OwnershipProblem> {
    // Two capabilities listing one crate is reported where the listing is made.
    if decided.source == SourceKind::ConfigCrates && other.source == SourceKind::ConfigCrates {
        return None;
    }
    // A lower source that names the deciding team among co-owners agrees about the team.
    if let Some(other_team) = &other.team
        && !other.owners.contains(team)
    {
        let name = |id: &str| teams.get(id).map_or(id.to_string(), |t| t.name.clone());
        return Some(OwnershipProblem::TeamsDisagree {
            krate: krate.to_string(),
            decided: decided.clone(),
            team_name: name(team),
            other: other.clone(),
            other_team_name: name(other_team),
        });
    }
    if let (Some(capability), Some(other_capability)) = (&ownership.capability, &other.capability)
        && other_capability != capability
    {
        return Some(OwnershipProblem::CapabilitiesDisagree {
            krate: krate.to_string(),
            decided: decided.clone(),
            capability: capability.clone(),
            other: other.clone(),
            other_capability: other_capability.clone(),
        });
    }
    None
}
