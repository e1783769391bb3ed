//! OWN004 stale-ownership-rule: a CODEOWNERS pattern or config glob that matches nothing.

use super::Text;
use crate::model::ownership::OwnershipProblem;
use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct StaleOwnershipRule;

pub(super) static META: RuleMeta = RuleMeta {
    id: "OWN004",
    name: "stale-ownership-rule",
    category: Category::Ownership,
    default_severity: Severity::Info,
    params: &[],
    doc: RuleDoc {
        summary: "A CODEOWNERS pattern or capgraph.toml glob matches no file or crate.",
        what_it_does: "Reports CODEOWNERS patterns that match no path of their repository and \
capability `paths` globs or `crates` entries that match no crate.",
        why_is_this_bad: "Stale ownership lines are left over from moves and renames. They make \
the ownership data look complete when it is not, and the code they were meant for is now owned \
by whatever broader line happens to match it.",
        example: "    [capabilities.search]\n    paths = [\"services/search/**\"]   <- the code moved to domains/search",
        how_to_fix: "Point the pattern at where the code lives now, or delete it.",
        configuration: "",
    },
};

impl Rule for StaleOwnershipRule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        super::report_problems(context, word, out);
    }
}

/// The problems of ownership statements that match nothing.
pub(super) fn word(problem: &OwnershipProblem) -> Option<Text> {
    let message = match problem {
        OwnershipProblem::StalePattern { repo, pattern, .. } => {
            format!("CODEOWNERS pattern `{pattern}` matches no file in {repo}; remove or fix it")
        }
        OwnershipProblem::StaleGlob {
            capability,
            glob,
            valid,
            ..
        } => {
            let reason = if *valid {
                "matches no crate"
            } else {
                "is not a valid glob"
            };
            format!("capabilities.{capability}.paths: `{glob}` {reason}; remove or fix it")
        }
        OwnershipProblem::StaleCrateListing {
            capability, name, ..
        } => format!(
            "capabilities.{capability}.crates: no crate is named `{name}`; remove or fix it"
        ),
        _ => return None,
    };
    // None of these messages quotes a place: the location alone carries the line.
    Some(Text::plain(message))
}

#[cfg(test)]
mod tests {
    use super::super::tests::at;
    use super::*;

    #[test]
    fn keys_have_no_line_number() {
        let problem = OwnershipProblem::StalePattern {
            repo: "r".into(),
            pattern: "/docs/".into(),
            origin: at("r/CODEOWNERS", 42),
        };
        let text = word(&problem).unwrap();
        assert!(!text.key.contains("42"), "{}", text.key);
        assert_eq!(text.key, text.message);
    }
}
