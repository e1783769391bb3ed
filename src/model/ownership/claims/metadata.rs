//! The claim of a crate's own `[package.metadata.capgraph]` table.

use super::capability_team;
use crate::config::Origin;
use crate::model::ownership::inputs::Inputs;
use crate::model::ownership::problems::OwnershipProblem;
use crate::model::ownership::{Claim, SourceKind};
use crate::model::packages::Package;

/// The crate's metadata claim, if its table names a known capability or team. A name that
/// declares nothing is a problem, and does not decide: a lower source may still know the
/// owner.
pub(super) fn claim(
    inputs: &Inputs,
    package: &Package,
    problems: &mut Vec<OwnershipProblem>,
) -> Option<Claim> {
    let metadata = package.metadata.as_ref()?;
    let origin = Origin {
        file: format!(
            "{}/{}",
            inputs.packages.root_name(package.root),
            package.manifest
        ),
        line: metadata.line,
    };
    let capability = metadata.capability.clone().filter(|capability| {
        let known = inputs.zero_config || inputs.config.capabilities.contains_key(capability);
        if !known {
            problems.push(OwnershipProblem::UnknownMetadataCapability {
                krate: package.id_name.clone(),
                capability: capability.clone(),
                origin: origin.clone(),
            });
        }
        known
    });
    let named_team = metadata.team.as_deref().and_then(|t| {
        let team = inputs.resolver.resolve(t);
        if team.is_none() {
            problems.push(OwnershipProblem::UnknownMetadataTeam {
                krate: package.id_name.clone(),
                team: t.to_string(),
                origin: origin.clone(),
            });
        }
        team
    });
    let team = named_team.or_else(|| {
        capability
            .as_ref()
            .and_then(|c| capability_team(inputs.config, c, inputs.zero_config))
    });
    if capability.is_none() && team.is_none() {
        return None;
    }
    let mut statement = String::from("[package.metadata.capgraph]");
    if let Some(capability) = &metadata.capability {
        statement.push_str(&format!(" capability = \"{capability}\""));
    }
    if let Some(team) = &metadata.team {
        statement.push_str(&format!(" team = \"{team}\""));
    }
    Some(Claim {
        source: SourceKind::CargoMetadata,
        origin,
        statement,
        capability,
        owners: team.iter().cloned().collect(),
        team,
        maintainers: Vec::new(),
        unknown: Vec::new(),
    })
}
