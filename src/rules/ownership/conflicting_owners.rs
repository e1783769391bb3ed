//! OWN002 conflicting-owners: ownership sources disagree about a crate, or several teams own it.

use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct ConflictingOwners;

static META: RuleMeta = RuleMeta {
    id: "OWN002",
    name: "conflicting-owners",
    category: Category::Ownership,
    default_severity: Severity::Warning,
    params: &[],
    doc: RuleDoc {
        summary: "Ownership sources disagree about a crate, or several teams own it.",
        what_it_does: "Compares every source that says who owns a crate (capgraph.toml, \
`[package.metadata.capgraph]`, catalog-info.yaml, CODEOWNERS). When two say different teams or \
capabilities, the higher source wins (in that order) and the loser is reported at its own line. \
A crate listed by two capabilities, or a CODEOWNERS line naming several teams, is reported too.",
        why_is_this_bad: "Ownership data that contradicts itself sends reviews, incidents and \
migration work to the wrong team, and whichever tool reads the losing source (GitHub review \
requests, the service catalog) tells people something else than capgraph does.",
        example: "    # capgraph.toml\n    [capabilities.payments]\n    paths = [\"domains/payments/**\"]\n\n    # CODEOWNERS\n    /domains/payments/ledger/ @acme/orders-team   <- says orders",
        how_to_fix: "Make the sources agree: fix the losing line (the finding points at it), or \
remove it if the other source is the one your organization maintains. One crate should have \
exactly one owning team; split a crate that two teams really share.",
        configuration: "",
    },
};

impl Rule for ConflictingOwners {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        super::report_problems(context, META.id, out);
    }
}
