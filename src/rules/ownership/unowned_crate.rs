//! OWN001 unowned-crate: a crate (and so any service built from it) that no team owns.

use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct UnownedCrate;

static META: RuleMeta = RuleMeta {
    id: "OWN001",
    name: "unowned-crate",
    category: Category::Ownership,
    default_severity: Severity::Warning,
    params: &[],
    doc: RuleDoc {
        summary: "A crate (or the service built from it) has no owning team.",
        what_it_does: "Reports every scanned crate that no ownership source assigns to a team: no \
capgraph.toml `crates` or `paths` entry, no `[package.metadata.capgraph]`, no Backstage \
catalog-info.yaml and no CODEOWNERS line covers it, or the one that does names an owner that is \
no team.",
        why_is_this_bad: "Code nobody owns is code nobody reviews, upgrades or answers the pager \
for. Its dependencies cannot be judged either: capgraph cannot tell whether a dependency on it \
crosses a team boundary, so every rule about boundaries is blind to it.",
        example: "    # CODEOWNERS covers domains/ but not tools/\n    /domains/checkout/ @acme/orders-team\n\n    tools/price-import/Cargo.toml   <- no owner",
        how_to_fix: "Give the crate an owner where your organization keeps ownership: add its \
directory to a capability's `paths` in capgraph.toml, add a CODEOWNERS line, or set \
`[package.metadata.capgraph] capability = \"..\"` in its Cargo.toml. `capgraph owners --explain \
CRATE` shows which sources were consulted.",
        configuration: "",
    },
};

impl Rule for UnownedCrate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        super::report_problems(context, META.id, out);
    }
}
