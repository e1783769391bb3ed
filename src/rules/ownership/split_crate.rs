//! OWN005 split-crate: the files of one crate are owned by different teams.

use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct SplitCrate;

static META: RuleMeta = RuleMeta {
    id: "OWN005",
    name: "split-crate",
    category: Category::Ownership,
    default_severity: Severity::Info,
    params: &[],
    doc: RuleDoc {
        summary: "The files of one crate are owned by different teams.",
        what_it_does: "Matches CODEOWNERS against every source file of a crate and reports a \
crate whose files fall to more than one team.",
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
        super::report_problems(context, META.id, out);
    }
}
