//! Crates whose source files CODEOWNERS gives to different teams, with no team among the
//! owners of them all (OWN005's facts).

use super::{FileShare, OwnershipProblem};
use crate::config::Origin;
use crate::discover::FileKind;
use crate::model::ownership::CrateOwnership;
use crate::model::ownership::claims::line_owners;
use crate::model::ownership::inputs::Inputs;
use std::collections::{BTreeMap, HashMap};

pub(super) fn crates(
    inputs: &Inputs,
    crates: &[CrateOwnership],
    problems: &mut Vec<OwnershipProblem>,
) {
    for (index, owners) in file_owners(inputs).into_iter().enumerate() {
        if owners.len() < 2 || shares_a_team(owners.keys()) {
            continue;
        }
        let package = &inputs.packages.packages[index];
        let repo = inputs.packages.root_name(package.root);
        problems.push(OwnershipProblem::SplitCrate {
            krate: package.id_name.clone(),
            team: crates[index].team.clone(),
            shares: owners
                .into_iter()
                .map(|(teams, (files, example))| FileShare {
                    team: teams.join(" + "),
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

/// Whether one team is among the owners of every file: co-owners of some files and sole
/// owners of the rest do not split a crate.
fn shares_a_team<'a>(mut owner_sets: impl Iterator<Item = &'a Vec<String>>) -> bool {
    let Some(first) = owner_sets.next() else {
        return false;
    };
    let mut common: Vec<&String> = first.iter().collect();
    for owners in owner_sets {
        common.retain(|team| owners.contains(team));
    }
    !common.is_empty()
}

/// Per package, the owning teams CODEOWNERS gives its Rust files to (sorted, co-owners
/// together): how many files each set owns, and the first one.
fn file_owners(inputs: &Inputs) -> Vec<BTreeMap<Vec<String>, (u32, String)>> {
    let packages = inputs.packages;
    let mut file_owners: Vec<BTreeMap<Vec<String>, (u32, String)>> =
        vec![BTreeMap::new(); packages.packages.len()];
    // Per root, the teams of each CODEOWNERS rule (by line). A rule deciding many files is
    // read once.
    let mut rule_teams: Vec<HashMap<u32, Vec<String>>> = vec![HashMap::new(); inputs.roots.len()];
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
        // As for crates: the teams of the last matching rule that names any.
        let memo = &mut rule_teams[file.root];
        let teams = codeowners
            .matches(&file.rel_path)
            .iter()
            .rev()
            .map(|found| {
                memo.entry(found.line)
                    .or_insert_with(|| {
                        let mut teams = line_owners(inputs, found.owners).teams;
                        teams.sort();
                        teams
                    })
                    .clone()
            })
            .find(|teams| !teams.is_empty());
        // A file CODEOWNERS leaves unowned splits nothing between teams (OWN001 is about
        // owners missing).
        let Some(teams) = teams else {
            continue;
        };
        let entry = file_owners[index]
            .entry(teams)
            .or_insert((0, file.rel_path.clone()));
        entry.0 += 1;
    }
    file_owners
}
