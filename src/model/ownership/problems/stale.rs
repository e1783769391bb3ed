//! Ownership statements that match nothing: CODEOWNERS patterns that match no file, and
//! capgraph.toml `paths` globs and `crates` entries that match no crate (OWN004's facts).

use super::OwnershipProblem;
use crate::config::Origin;
use crate::model::ownership::inputs::Inputs;

pub(super) fn patterns(inputs: &Inputs, problems: &mut Vec<OwnershipProblem>) {
    codeowners_patterns(inputs, problems);
    config_entries(inputs, problems);
}

fn codeowners_patterns(inputs: &Inputs, problems: &mut Vec<OwnershipProblem>) {
    for (root_index, root) in inputs.roots.iter().enumerate() {
        let Some((path, codeowners)) = root.codeowners else {
            continue;
        };
        let repo = &inputs.discovery.roots[root_index].name;
        // From the paths' side: each walked path marks the rules the index gives it that
        // match, so the cost is paths × candidates rather than rules × paths.
        let paths = inputs.discovery.all_paths[root_index]
            .iter()
            .map(String::as_str);
        for rule in codeowners.rules_matching_none(paths) {
            problems.push(OwnershipProblem::StalePattern {
                repo: repo.clone(),
                pattern: rule.pattern.to_string(),
                origin: Origin {
                    file: format!("{repo}/{path}"),
                    line: rule.line,
                },
            });
        }
    }
}

fn config_entries(inputs: &Inputs, problems: &mut Vec<OwnershipProblem>) {
    let packages = &inputs.packages.packages;
    for rule in &inputs.path_rules {
        if !packages.iter().any(|p| rule.matches_dir(p.root, &p.dir)) {
            problems.push(OwnershipProblem::StaleGlob {
                capability: rule.capability.clone(),
                glob: rule.glob.value.clone(),
                valid: rule.matcher.is_some(),
                origin: rule.glob.origin.clone(),
            });
        }
    }
    for (id, capability) in &inputs.config.capabilities {
        for krate in &capability.crates {
            if !packages.iter().any(|p| p.name == krate.value) {
                problems.push(OwnershipProblem::StaleCrateListing {
                    capability: id.clone(),
                    name: krate.value.clone(),
                    origin: krate.origin.clone(),
                });
            }
        }
    }
}
