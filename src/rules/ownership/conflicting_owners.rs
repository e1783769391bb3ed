//! OWN002 conflicting-owners: ownership sources disagree about a crate.

use super::Text;
use crate::model::ownership::OwnershipProblem;
use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct ConflictingOwners;

pub(super) static META: RuleMeta = RuleMeta {
    id: "OWN002",
    name: "conflicting-owners",
    category: Category::Ownership,
    default_severity: Severity::Warning,
    params: &[],
    doc: RuleDoc {
        summary: "Ownership sources disagree about a crate.",
        what_it_does: "Compares every source that says who owns a crate (capgraph.toml, \
`[package.metadata.capgraph]`, catalog-info.yaml, CODEOWNERS). When two say different teams or \
capabilities, the higher source wins (in that order) and the loser is reported at its own line. \
A crate listed by two capabilities is reported too. Several teams on one CODEOWNERS line are \
co-owners, not a conflict: they share the crate, and a lower source that names the deciding \
team among its owners agrees.",
        why_is_this_bad: "Ownership data that contradicts itself sends reviews, incidents and \
migration work to the wrong team, and whichever tool reads the losing source (GitHub review \
requests, the service catalog) tells people something else than capgraph does.",
        example: "    # capgraph.toml\n    [capabilities.payments]\n    paths = [\"domains/payments/**\"]\n\n    # CODEOWNERS\n    /domains/payments/ledger/ @acme/orders-team   <- says orders",
        how_to_fix: "Make the sources agree: fix the losing line (the finding points at it), or \
remove it if the other source is the one your organization maintains.",
        configuration: "",
    },
};

impl Rule for ConflictingOwners {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        super::report_problems(context, word, out);
    }
}

/// The problems of sources that disagree about a crate.
pub(super) fn word(problem: &OwnershipProblem) -> Option<Text> {
    let text = match problem {
        OwnershipProblem::ListedTwice { krate, listings } => Text::quoting(|place| {
            let places: Vec<String> = listings
                .iter()
                .map(|(capability, origin)| format!("`{capability}` ({})", place(origin)))
                .collect();
            format!(
                "crate `{krate}` is listed in {} capabilities: {}; list it in one",
                listings.len(),
                places.join(", ")
            )
        }),
        OwnershipProblem::TeamsDisagree {
            krate,
            decided,
            team_name,
            other,
            other_team_name,
        } => Text::quoting(|place| {
            format!(
                "crate `{krate}`: {} ({}) says team {team_name}, but {} ({}) says \
                 {other_team_name}; {} wins — align the lower source",
                decided.source.describe(),
                place(&decided.origin),
                other.source.describe(),
                place(&other.origin),
                decided.source.describe()
            )
        }),
        OwnershipProblem::CapabilitiesDisagree {
            krate,
            decided,
            capability,
            other,
            other_capability,
        } => Text::quoting(|place| {
            format!(
                "crate `{krate}`: {} ({}) says capability {capability}, but {} ({}) says \
                 {other_capability}; {} wins — align the lower source",
                decided.source.describe(),
                place(&decided.origin),
                other.source.describe(),
                place(&other.origin),
                decided.source.describe()
            )
        }),
        _ => return None,
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{at, claim};
    use super::*;
    use crate::model::ownership::SourceKind;

    fn assert_line_free(problem: OwnershipProblem, lines: &[&str]) {
        let text = word(&problem).unwrap();
        let mut expected = text.message.clone();
        for line in lines {
            assert!(text.message.contains(line), "{}", text.message);
            assert!(!text.key.contains(line), "{}", text.key);
            expected = expected.replace(line, "");
        }
        assert_eq!(text.key, expected);
    }

    #[test]
    fn keys_quote_the_places_without_their_lines() {
        assert_line_free(
            OwnershipProblem::ListedTwice {
                krate: "a".into(),
                listings: vec![
                    ("c".into(), at("r/capgraph.toml", 11)),
                    ("d".into(), at("r/capgraph.toml", 17)),
                ],
            },
            &[":11", ":17"],
        );
        assert_line_free(
            OwnershipProblem::TeamsDisagree {
                krate: "a".into(),
                decided: claim(SourceKind::ConfigPaths, at("r/capgraph.toml", 5), Some("t")),
                team_name: "T".into(),
                other: claim(SourceKind::Codeowners, at("r/CODEOWNERS", 7), Some("u")),
                other_team_name: "U".into(),
            },
            &[":5", ":7"],
        );
        assert_line_free(
            OwnershipProblem::CapabilitiesDisagree {
                krate: "a".into(),
                decided: claim(
                    SourceKind::ConfigCrates,
                    at("r/capgraph.toml", 5),
                    Some("t"),
                ),
                capability: "c".into(),
                other: claim(SourceKind::CargoMetadata, at("r/Cargo.toml", 9), Some("t")),
                other_capability: "d".into(),
            },
            &[":5", ":9"],
        );
    }
}
