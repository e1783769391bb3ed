//! Phase 3 of ownership: zero-config inference. Without a `capgraph.toml`, every owner the
//! sources give a crate is a team, and each team has one capability named after it. Owners
//! that own no crate (a CODEOWNERS line for docs or CI files) are no team: they would only
//! add empty rows to every view.

use super::claims::Claimed;
use super::inputs::Inputs;
use super::{Capability, Team, handle_key, sorted, zero_config_team_id};
use crate::config::CapabilityKind;
use crate::core::owner_kind;
use crate::extract::catalog::EntityKind;
use std::collections::BTreeMap;

/// Adds the inferred teams and capabilities, and gives each crate its team's capability. A
/// declared organization passes through unchanged.
pub(super) fn infer(inputs: &Inputs, mut claimed: Claimed) -> Claimed {
    if !inputs.zero_config {
        return claimed;
    }
    let display_names = display_names(inputs);
    for (team, handles) in found_owners(inputs, &claimed) {
        let kind = handles
            .iter()
            .map(|h| owner_kind(h))
            // A group handle among them makes it a group.
            .min()
            .unwrap_or_else(|| owner_kind(&team));
        claimed.teams.entry(team.clone()).or_insert_with(|| Team {
            id: team.clone(),
            name: display_names
                .get(team.as_str())
                .map_or_else(|| team.clone(), |name| name.to_string()),
            handles: sorted(handles.into_iter()),
            kind,
            origin: None,
        });
    }
    for team in claimed.teams.keys() {
        claimed.capabilities.insert(
            team.clone(),
            Capability {
                id: team.clone(),
                team: Some(team.clone()),
                kind: CapabilityKind::Product,
                contracts: Vec::new(),
                depends_on: None,
                wraps: Vec::new(),
                origin: None,
            },
        );
    }
    for ownership in &mut claimed.crates {
        ownership.capability = ownership.team.clone();
    }
    claimed
}

/// Team ids with the display name of a catalog Group of the same name.
fn display_names<'a>(inputs: &Inputs<'a>) -> BTreeMap<String, &'a str> {
    inputs
        .roots
        .iter()
        .flat_map(|root| root.catalogs.iter())
        .flat_map(|(_, catalog)| catalog.entities.iter())
        .filter(|e| e.kind == EntityKind::Group)
        .filter_map(|e| Some((zero_config_team_id(&e.name), e.display_name.as_deref()?)))
        .collect()
}

/// Every team that owns a crate, with the owner references it was found under, as written
/// (an e-mail stays an e-mail, a catalog group stays a group reference), so that a config
/// written from them (`capgraph init`) resolves the same owners.
fn found_owners(inputs: &Inputs, claimed: &Claimed) -> BTreeMap<String, Vec<String>> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for team in claimed.crates.iter().flat_map(|c| c.owners.iter()) {
        found.entry(team.clone()).or_default();
    }
    let mut add = |id: String, reference: String| {
        let Some(handles) = found.get_mut(&id) else {
            return;
        };
        if !handles
            .iter()
            .any(|h| handle_key(h) == handle_key(&reference))
        {
            handles.push(reference);
        }
    };
    for root in &inputs.roots {
        if let Some((_, codeowners)) = root.codeowners {
            for (handle, _) in codeowners.owner_references() {
                add(zero_config_team_id(handle), handle.clone());
            }
        }
        for (_, catalog) in &root.catalogs {
            let owners = catalog.entities.iter().filter_map(|e| e.owner.as_deref());
            for owner in owners.filter(|o| !o.starts_with("user:")) {
                add(zero_config_team_id(owner), format!("group:{owner}"));
            }
        }
    }
    found
}
