//! The claim of CODEOWNERS, matched on a crate's directory.
//!
//! A CODEOWNERS line may name teams, review groups and individuals together. Every group it
//! names is a co-owner (shared ownership, not a conflict); the individuals beside a group are
//! the crate's maintainers, not teams. Only a line that names individuals alone makes them the
//! owners, since nobody else is.

use crate::config::Origin;
use crate::core::owner_kind;
use crate::extract::codeowners::CodeownersMatch;
use crate::model::ownership::inputs::Inputs;
use crate::model::ownership::{Claim, SourceKind, handle_key};
use crate::model::packages::Package;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What one CODEOWNERS line's owners mean.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(in crate::model::ownership) struct LineOwners {
    /// The owning teams, resolved, in the line's order.
    pub teams: Vec<String>,
    /// Individuals beside the teams, as written.
    pub maintainers: Vec<String>,
    /// Handles that are no known team and no maintainer, as written.
    pub unknown: Vec<String>,
}

/// Reads a line's owners. A handle is a team when it resolves to a declared team, or (in
/// zero-config mode) when it names a group. Individuals are maintainers when the line names a
/// team, and otherwise the owners themselves (in zero-config mode) or unknown.
pub(in crate::model::ownership) fn line_owners(inputs: &Inputs, handles: &[String]) -> LineOwners {
    let mut line = LineOwners::default();
    let mut individuals = Vec::new();
    for handle in handles {
        let group = owner_kind(handle).is_group();
        let resolved = inputs.resolver.resolve(handle);
        match resolved {
            Some(team) if group || !inputs.zero_config => push_new(&mut line.teams, team),
            _ if !group => individuals.push(handle.clone()),
            _ => line.unknown.push(handle.clone()),
        }
    }
    if !line.teams.is_empty() {
        line.maintainers = individuals;
    } else if inputs.zero_config {
        for handle in &individuals {
            if let Some(team) = inputs.resolver.resolve(handle) {
                push_new(&mut line.teams, team);
            }
        }
    } else {
        line.unknown.extend(individuals);
    }
    line
}

fn push_new(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// Per root, what each CODEOWNERS rule (by line) means: a rule deciding many crates is read
/// once, not once per crate.
pub(super) struct Resolved {
    rule_owners: Vec<HashMap<u32, LineOwners>>,
}

impl Resolved {
    pub fn new(roots: usize) -> Resolved {
        Resolved {
            rule_owners: vec![HashMap::new(); roots],
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
        let mut maintainers: Vec<String> = Vec::new();
        let mut seen = HashSet::new();
        let mut deciding = None;
        let file = format!("{repo}/{path}");
        for found in matches.iter().rev() {
            let line = self.owners_of(inputs, package.root, &file, found, unknown_handles);
            if !line.teams.is_empty() {
                deciding.get_or_insert(found);
            }
            for team in line.teams.iter() {
                if seen.insert(team.clone()) {
                    owners.push(team.clone());
                }
            }
            for maintainer in &line.maintainers {
                if !maintainers
                    .iter()
                    .any(|m| handle_key(m) == handle_key(maintainer))
                {
                    maintainers.push(maintainer.clone());
                }
            }
        }
        let last = deciding.unwrap_or(&matches[matches.len() - 1]);
        let statement = format!("{} {}", last.pattern, last.owners.join(" "))
            .trim_end()
            .to_string();
        let unknown = self.rule_owners[package.root][&last.line].unknown.clone();
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
            maintainers,
            unknown,
        })
    }

    /// What a rule's owners mean, read on the rule's first use. The first crate a rule
    /// decides records its owners that are no team, with the rule's line as where they were
    /// found; later ones would only find them recorded.
    fn owners_of(
        &mut self,
        inputs: &Inputs,
        root: usize,
        file: &str,
        found: &CodeownersMatch,
        unknown_handles: &mut BTreeMap<String, Origin>,
    ) -> &LineOwners {
        self.rule_owners[root].entry(found.line).or_insert_with(|| {
            let line = line_owners(inputs, found.owners);
            for handle in &line.unknown {
                unknown_handles
                    .entry(handle.clone())
                    .or_insert_with(|| Origin {
                        file: file.to_string(),
                        line: found.line,
                    });
            }
            line
        })
    }
}
