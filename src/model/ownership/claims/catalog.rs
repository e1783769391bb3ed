//! The claim of the nearest Backstage `catalog-info.yaml` at or above a crate.

use super::capability_team;
use crate::config::Origin;
use crate::extract::catalog::{CatalogEntity, CatalogFacts, EntityKind};
use crate::model::ownership::inputs::Inputs;
use crate::model::ownership::problems::OwnershipProblem;
use crate::model::ownership::{Claim, SourceKind};
use crate::model::packages::Package;

/// The claim of the nearest catalog file at or above the crate: the Component named like
/// the crate, or the first Component of a catalog in the crate's own directory. With it, the
/// owner it names if that is no team (for OWN003, once per owner).
pub(super) fn claim(
    inputs: &Inputs,
    package: &Package,
    problems: &mut Vec<OwnershipProblem>,
) -> Option<(Claim, Option<String>)> {
    let root = &inputs.roots[package.root];
    let mut dir = package.dir.as_str();
    loop {
        for (path, catalog) in &root.catalogs {
            let catalog_dir = path.rsplit_once('/').map_or("", |(d, _)| d);
            if catalog_dir != dir {
                continue;
            }
            let component = catalog
                .entities
                .iter()
                .filter(|e| e.kind == EntityKind::Component)
                .find(|e| e.name == package.name)
                .or_else(|| {
                    (dir == package.dir)
                        .then(|| {
                            catalog
                                .entities
                                .iter()
                                .find(|e| e.kind == EntityKind::Component)
                        })
                        .flatten()
                });
            if let Some(component) = component {
                let origin = Origin {
                    file: format!("{}/{path}", inputs.packages.root_name(package.root)),
                    line: component.line,
                };
                return Some(entity_claim(inputs, component, catalog, origin, problems));
            }
        }
        if dir.is_empty() {
            return None;
        }
        dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    }
}

fn entity_claim(
    inputs: &Inputs,
    component: &CatalogEntity,
    catalog: &CatalogFacts,
    origin: Origin,
    problems: &mut Vec<OwnershipProblem>,
) -> (Claim, Option<String>) {
    // A component without its own owner inherits its system's.
    let system_owner = component.parent.as_ref().and_then(|system| {
        catalog
            .entities
            .iter()
            .find(|e| e.kind == EntityKind::System && &e.name == system)
            .and_then(|e| e.owner.clone())
    });
    let owner = component.owner.clone().or(system_owner);
    let group = owner.as_deref().filter(|o| !o.starts_with("user:"));
    let owner_team = group.and_then(|o| inputs.resolver.resolve(o));
    let unresolved = match (group, &owner_team) {
        (Some(group), None) => Some(group.to_string()),
        _ => None,
    };
    // A system that is no declared capability is reported, and does not decide the capability.
    let system = component.parent.clone().filter(|system| {
        let known = inputs.zero_config || inputs.config.capabilities.contains_key(system);
        if !known {
            problems.push(OwnershipProblem::UnknownSystem {
                component: component.name.clone(),
                system: system.clone(),
                origin: origin.clone(),
            });
        }
        known
    });
    let team = owner_team.or_else(|| {
        system
            .as_ref()
            .and_then(|c| capability_team(inputs.config, c, false))
    });
    let mut statement = format!("Component {}", component.name);
    if let Some(owner) = &component.owner {
        statement.push_str(&format!(" owner: {owner}"));
    }
    if let Some(system) = &component.parent {
        statement.push_str(&format!(" system: {system}"));
    }
    let claim = Claim {
        source: SourceKind::Catalog,
        origin,
        statement,
        capability: system,
        owners: team.iter().cloned().collect(),
        team,
        maintainers: Vec::new(),
        unknown: unresolved.iter().cloned().collect(),
    };
    (claim, unresolved)
}
