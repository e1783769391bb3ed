//! `capgraph init`: a commented starter `capgraph.toml` written from what zero-config mode
//! inferred — one team per owner handle, one capability per team listing its crates, and
//! contract crates guessed from their names — so that running capgraph with it gives the
//! same ownership as running without it.

use crate::model::Analysis;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Name endings that usually mark a crate other capabilities are meant to use.
const CONTRACT_SUFFIXES: &[&str] = &["-api", "-client", "-proto", "-types"];

/// Renders the starter configuration.
pub fn starter_config(analysis: &Analysis) -> String {
    let mut out = String::new();
    out.push_str(
        "# capgraph.toml, written by `capgraph init` from CODEOWNERS, catalog-info.yaml files and\n\
         # the workspace layout. It reproduces what capgraph infers without a config; edit it to\n\
         # say what you mean: give teams their names, split or merge capabilities, mark platform\n\
         # capabilities, and confirm the contracts (the crates other capabilities may depend on).\n",
    );
    if let Some(org) = analysis.roots.first() {
        let _ = write!(out, "\n[org]\nname = {}\n", quote(&org.name));
    }

    let mut crates_by_team: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    let mut unowned = Vec::new();
    // A crate several teams own (a CODEOWNERS line naming several) is left to CODEOWNERS:
    // listing it under one capability would drop the other owners, and under several would
    // be a conflict.
    let mut shared = Vec::new();
    for (index, package) in analysis.packages.packages.iter().enumerate() {
        let owned = &analysis.ownership.crates[index];
        match &owned.team {
            Some(_) if owned.owners.len() > 1 => {
                shared.push(format!("{} ({})", package.name, owned.owners.join(", ")));
            }
            Some(team) => crates_by_team
                .entry(team)
                .or_default()
                .push((package.name.as_str(), package.dir.as_str())),
            None => unowned.push(package.name.as_str()),
        }
    }

    for team in analysis.ownership.teams.values() {
        let _ = write!(
            out,
            "\n[teams.{}]\nname = {}\n",
            key(&team.id),
            quote(&team.name)
        );
        let _ = writeln!(out, "handles = [{}]", list(&team.handles));
    }
    for team in analysis.ownership.teams.values() {
        let mut crates = crates_by_team.remove(team.id.as_str()).unwrap_or_default();
        crates.sort();
        let _ = write!(
            out,
            "\n[capabilities.{}]\nteam = {}\n",
            key(&team.id),
            quote(&team.id)
        );
        out.push_str("kind = \"product\"  # or \"platform\" for shared services every team uses\n");
        if let Some(common) = common_dir(crates.iter().map(|(_, dir)| *dir)) {
            let _ = writeln!(out, "# its crates live under {common}/");
        }
        let names: Vec<String> = crates.iter().map(|(name, _)| name.to_string()).collect();
        let _ = writeln!(out, "crates = [{}]", list(&names));
        let contracts: Vec<String> = names
            .iter()
            .filter(|name| {
                CONTRACT_SUFFIXES
                    .iter()
                    .any(|suffix| name.ends_with(suffix))
            })
            .cloned()
            .collect();
        if !contracts.is_empty() {
            out.push_str(
                "# Guessed from the names (*-api, *-client, *-proto, *-types): check them.\n",
            );
            let _ = writeln!(out, "contracts = [{}]", list(&contracts));
        }
    }
    if !shared.is_empty() {
        shared.sort();
        let _ = write!(
            out,
            "\n# Owned by several teams per CODEOWNERS, and left to it: {}.\n# To give one a \
             single owner, add it to that team's capability `crates`.\n",
            shared.join(", ")
        );
    }
    if !unowned.is_empty() {
        unowned.sort();
        let _ = write!(
            out,
            "\n# No source names an owner for: {}.\n# Add them to a capability's `crates`.\n",
            unowned.join(", ")
        );
    }
    out
}

/// The directory all of `dirs` are under, if it is not the root.
fn common_dir<'a>(dirs: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut common: Option<Vec<&str>> = None;
    for dir in dirs {
        let parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
        common = Some(match common {
            None => parts,
            Some(prefix) => prefix
                .iter()
                .zip(&parts)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| *a)
                .collect(),
        });
    }
    common.filter(|c| !c.is_empty()).map(|c| c.join("/"))
}

fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// A TOML key: bare when it can be, quoted otherwise (`"acme/orders"`).
fn key(text: &str) -> String {
    let bare = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare { text.to_string() } else { quote(text) }
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| quote(i))
        .collect::<Vec<_>>()
        .join(", ")
}
