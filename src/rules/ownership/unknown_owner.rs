//! OWN003 unknown-owner: an owner handle or team id is used but declared nowhere.

use super::Text;
use crate::model::ownership::OwnershipProblem;
use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct UnknownOwner;

pub(super) static META: RuleMeta = RuleMeta {
    id: "OWN003",
    name: "unknown-owner",
    category: Category::Ownership,
    default_severity: Severity::Warning,
    params: &[],
    doc: RuleDoc {
        summary: "An owner handle, team or capability is referenced but not declared.",
        what_it_does: "Reports references that lead nowhere: a CODEOWNERS or catalog owner that \
is no team's handle, a capability whose `team` is not declared, a `depends_on` naming no \
capability, a `[package.metadata.capgraph] capability` or catalog `spec.system` that does not \
exist.",
        why_is_this_bad: "A reference to nothing is usually a typo or a team that was renamed. \
The code it covers silently falls back to a lower source or to no owner at all.",
        example: "    # CODEOWNERS\n    /domains/search/ @acme/serch-team     <- no team has this handle",
        how_to_fix: "Correct the reference, or declare the team or capability in capgraph.toml \
(add the handle to the team's `handles`).",
        configuration: "",
    },
};

impl Rule for UnknownOwner {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        super::report_problems(context, word, out);
    }
}

/// The problems of references that lead nowhere.
pub(super) fn word(problem: &OwnershipProblem) -> Option<Text> {
    let message = match problem {
        OwnershipProblem::UndeclaredTeam {
            capability, team, ..
        } => format!(
            "capability `{capability}` names team `{team}`, which no [teams.*] table declares"
        ),
        OwnershipProblem::UndeclaredDependency {
            capability,
            dependency,
            ..
        } => format!(
            "capability `{capability}` depends_on `{dependency}`, which no [capabilities.*] \
             table declares"
        ),
        OwnershipProblem::UnknownMetadataCapability {
            krate, capability, ..
        } => format!(
            "crate `{krate}`: [package.metadata.capgraph] capability = \"{capability}\" names \
             no capability declared in capgraph.toml"
        ),
        OwnershipProblem::UnknownMetadataTeam { krate, team, .. } => format!(
            "crate `{krate}`: [package.metadata.capgraph] team = \"{team}\" names no team \
             declared in capgraph.toml"
        ),
        OwnershipProblem::UnknownSystem {
            component, system, ..
        } => format!(
            "Component `{component}` has spec.system `{system}`, which no [capabilities.*] \
             table of capgraph.toml declares"
        ),
        OwnershipProblem::UnknownOwner { handle, .. } => format!(
            "owner `{handle}` is not a handle of any team declared in capgraph.toml; add it to \
             the `handles` of its team"
        ),
        OwnershipProblem::AmbiguousOwner {
            handle,
            name,
            teams,
            ..
        } => format!(
            "owner `{handle}` is ambiguous: teams {} all have a GitHub team handle named \
             `{name}`; add `{handle}` to the `handles` of the team it means",
            teams.join(", ")
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
        let problems = [
            OwnershipProblem::UnknownOwner {
                handle: "@acme/ghost".into(),
                origin: at("r/CODEOWNERS", 42),
            },
            OwnershipProblem::UnknownMetadataTeam {
                krate: "a".into(),
                team: "order".into(),
                origin: at("r/a/Cargo.toml", 42),
            },
        ];
        for problem in problems {
            let text = word(&problem).unwrap();
            assert!(!text.key.contains("42"), "{}", text.key);
            assert_eq!(text.key, text.message);
        }
    }
}
