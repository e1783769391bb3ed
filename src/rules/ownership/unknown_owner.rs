//! OWN003 unknown-owner: an owner handle or team id is used but declared nowhere.

use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct UnknownOwner;

static META: RuleMeta = RuleMeta {
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
        super::report_problems(context, META.id, out);
    }
}
