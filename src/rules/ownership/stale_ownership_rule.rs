//! OWN004 stale-ownership-rule: a CODEOWNERS pattern or config glob that matches nothing.

use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct StaleOwnershipRule;

static META: RuleMeta = RuleMeta {
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
        super::report_problems(context, META.id, out);
    }
}
