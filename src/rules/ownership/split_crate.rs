//! OWN005 split-crate: the files of one crate are owned by different teams.

use super::Text;
use crate::model::ownership::OwnershipProblem;
use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct SplitCrate;

pub(super) static META: RuleMeta = RuleMeta {
    id: "OWN005",
    name: "split-crate",
    category: Category::Ownership,
    default_severity: Severity::Info,
    params: &[],
    doc: RuleDoc {
        summary: "The files of one crate are owned by different teams.",
        what_it_does: "Matches CODEOWNERS against every source file of a crate and reports a \
crate whose files fall to different teams, with no team among the owners of them all \
(co-owners of some files and sole owners of the others do not split a crate).",
        why_is_this_bad: "A crate is released, versioned and built as one unit. Two teams owning \
parts of it share a release train and review each other's changes, which is the coupling \
capabilities exist to avoid.",
        example: "    /domains/checkout/cart/ @acme/orders-team\n    /domains/checkout/cart/src/pricing.rs @acme/discovery-team",
        how_to_fix: "Move the other team's part into a crate of its own (behind a contract), or \
agree that one team owns the whole crate and drop the narrower CODEOWNERS line.",
        configuration: "",
    },
};

impl Rule for SplitCrate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        super::report_problems(context, word, out);
    }
}

/// The problem of a crate whose files CODEOWNERS gives to several teams.
pub(super) fn word(problem: &OwnershipProblem) -> Option<Text> {
    let OwnershipProblem::SplitCrate {
        krate,
        team,
        shares,
        ..
    } = problem
    else {
        return None;
    };
    // Each share is the owner set of some files (`a + b`): count the teams, not the sets.
    let teams: std::collections::BTreeSet<&str> = shares
        .iter()
        .flat_map(|share| share.team.split(" + "))
        .collect();
    let parts: Vec<String> = shares
        .iter()
        .map(|share| {
            format!(
                "{}: {} file(s), e.g. {}",
                share.team, share.files, share.example
            )
        })
        .collect();
    // The message quotes files, never lines: the location alone carries the line.
    Some(Text::plain(format!(
        "crate `{krate}` (owned by {}) has files owned by {} teams per CODEOWNERS — {}; split \
         the crate or align CODEOWNERS",
        team.as_deref().unwrap_or("no team"),
        teams.len(),
        parts.join("; ")
    )))
}

#[cfg(test)]
mod tests {
    use super::super::tests::at;
    use super::*;
    use crate::model::ownership::FileShare;

    #[test]
    fn the_key_has_no_line_number() {
        let share = |team: &str| FileShare {
            team: team.into(),
            files: 2,
            example: "src/lib.rs".into(),
        };
        let problem = OwnershipProblem::SplitCrate {
            krate: "cart".into(),
            team: Some("orders".into()),
            shares: vec![share("orders"), share("payments")],
            manifest: at("r/cart/Cargo.toml", 42),
        };
        let text = word(&problem).unwrap();
        assert!(!text.key.contains("42"), "{}", text.key);
        assert_eq!(text.key, text.message);
    }
}
