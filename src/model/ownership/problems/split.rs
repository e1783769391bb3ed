//! Crates whose source files CODEOWNERS gives to several teams (OWN005's facts).

use super::{FileShare, OwnershipProblem};
use crate::config::Origin;
use crate::discover::FileKind;
use crate::model::ownership::CrateOwnership;
use crate::model::ownership::inputs::Inputs;
use std::collections::{BTreeMap, HashMap};

pub(super) fn crates(
    inputs: &Inputs,
    crates: &[CrateOwnership],
    problems: &mut Vec<OwnershipProblem>,
) {
    for (index, teams) in file_teams(inputs).into_iter().enumerate() {
        if teams.len() < 2 {
            continue;
        }
        let package = &inputs.packages.packages[index];
        let repo = inputs.packages.root_name(package.root);
        problems.push(OwnershipProblem::SplitCrate {
            krate: package.name.clone(),
            team: crates[index].team.clone(),
            shares: teams
                .into_iter()
                .map(|(team, (files, example))| FileShare {
                    team,
                    files,
                    example,
                })
                .collect(),
            manifest: Origin {
                file: format!("{repo}/{}", package.manifest),
                line: package.name_line(),
            },
        });
    }
}

/// Per package, the teams CODEOWNERS gives its Rust files to: how many files each, and the
/// first one.
fn file_teams(inputs: &Inputs) -> Vec<BTreeMap<String, (u32, String)>> {
    let packages = inputs.packages;
    let mut file_teams: Vec<BTreeMap<String, (u32, String)>> =
        vec![BTreeMap::new(); packages.packages.len()];
    // Per root, the team of each CODEOWNERS rule (by line): its first owner that names a
    // known one. A rule deciding many files is resolved once.
    let mut rule_team: Vec<HashMap<u32, Option<String>>> = vec![HashMap::new(); inputs.roots.len()];
    for (file, facts) in inputs.discovery.files.iter().zip(inputs.facts) {
        if file.kind != FileKind::RustSource || facts.is_none() {
            continue;
        }
        let Some((_, codeowners)) = inputs.roots[file.root].codeowners else {
            continue;
        };
        let Some((index, _)) = packages.owner_of(file.root, &file.rel_path) else {
            continue;
        };
        // As for crates: the team of the last matching rule that names a known one.
        let memo = &mut rule_team[file.root];
        let team = codeowners
            .matches(&file.rel_path)
            .iter()
            .rev()
            .find_map(|found| {
                memo.entry(found.line)
                    .or_insert_with(|| found.owners.iter().find_map(|h| inputs.resolver.resolve(h)))
                    .clone()
            });
        // A file CODEOWNERS leaves unowned splits nothing between teams (OWN001 is about
        // owners missing).
        let Some(team) = team else {
            continue;
        };
        let entry = file_teams[index]
            .entry(team)
            .or_insert((0, file.rel_path.clone()));
        entry.0 += 1;
    }
    file_teams
}
