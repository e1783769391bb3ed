//! The claim of CODEOWNERS, matched on a crate's directory.

use crate::config::Origin;
use crate::extract::codeowners::CodeownersMatch;
use crate::model::ownership::inputs::Inputs;
use crate::model::ownership::{Claim, SourceKind};
use crate::model::packages::Package;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Per root, the teams each CODEOWNERS rule (by line) resolves to: a rule deciding many
/// crates is resolved once, not once per crate.
pub(super) struct Resolved {
    rule_teams: Vec<HashMap<u32, Vec<String>>>,
}

impl Resolved {
    pub fn new(roots: usize) -> Resolved {
        Resolved {
            rule_teams: vec![HashMap::new(); roots],
        }
    }

    /// The claim of the rules matching the crate's directory. Owners that are no team go to
    /// `unknown_handles` with the line of the first rule naming them.
    pub fn claim(
        &mut self,
        inputs: &Inputs,
        package: &Package,
        unknown_handles: &mut BTreeMap<String, Origin>,
    ) -> Option<Claim> {
        let (path, codeowners) = inputs.roots[package.root].codeowners?;
        let repo = inputs.packages.root_name(package.root);
        let dir = if package.dir.is_empty() {
            String::new()
        } else {
            format!("{}/", package.dir)
        };
        let matches = codeowners.matches(&dir);
        if matches.is_empty() {
            return None;
        }
        // The last matching rule decides (GitLab sections add their owners after it), so the
        // team and the line shown as the source come from the same rule.
        let mut owners = Vec::new();
        let mut seen = HashSet::new();
        let mut deciding = None;
        let file = format!("{repo}/{path}");
        for found in matches.iter().rev() {
            let teams = self.teams_of(inputs, package.root, &file, found, unknown_handles);
            if !teams.is_empty() {
                deciding.get_or_insert(found);
            }
            for team in teams.iter() {
                if seen.insert(team.clone()) {
                    owners.push(team.clone());
                }
            }
        }
        let last = deciding.unwrap_or(&matches[matches.len() - 1]);
        let statement = format!("{} {}", last.pattern, last.owners.join(" "))
            .trim_end()
            .to_string();
        let unknown = last
            .owners
            .iter()
            .filter(|handle| inputs.resolver.resolve(handle).is_none())
            .cloned()
            .collect();
        Some(Claim {
            source: SourceKind::Codeowners,
            origin: Origin {
                file,
                line: last.line,
            },
            statement,
            capability: None,
            team: owners.first().cloned(),
            owners,
            unknown,
        })
    }

    /// The teams a rule's owners resolve to, resolved on the rule's first use. The first crate
    /// a rule decides records its owners that are no team, with the rule's line as where they
    /// were found; later ones would only find them recorded.
    fn teams_of(
        &mut self,
        inputs: &Inputs,
        root: usize,
        file: &str,
        found: &CodeownersMatch,
        unknown_handles: &mut BTreeMap<String, Origin>,
    ) -> &[String] {
        self.rule_teams[root].entry(found.line).or_insert_with(|| {
            let mut teams = Vec::new();
            for handle in found.owners {
                match inputs.resolver.resolve(handle) {
                    Some(team) => teams.push(team),
                    None => {
                        unknown_handles
                            .entry(handle.clone())
                            .or_insert_with(|| Origin {
                                file: file.to_string(),
                                line: found.line,
                            });
                    }
                }
            }
            teams
        })
    }
}
