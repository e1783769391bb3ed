//! SUP002 unused-suppression: a suppression comment that suppresses nothing.

use crate::rules::{
    Category, Context, Draft, Location, Rule, RuleDoc, RuleMeta, RuleSettings, Severity,
};

pub struct UnusedSuppression;

static META: RuleMeta = RuleMeta {
    id: "SUP002",
    name: "unused-suppression",
    category: Category::Suppressions,
    default_severity: Severity::Warning,
    params: &[],
    doc: RuleDoc {
        summary: "A `capgraph: allow(..)` comment suppresses no finding.",
        what_it_does: "Reports suppression comments with a reason whose rules are all enabled \
but that silenced no finding on the lines they cover. Suppressions naming a rule that the pack \
in force switches off are left alone, since another pack may need them.",
        why_is_this_bad: "A stale suppression outlives the problem it excused and will silently \
excuse the next one that appears on its lines.",
        example: "    # the dependency was replaced by payments-api; the comment stayed\n    # capgraph: allow(BND001) reason: migrating\n    payments-api = { path = \"../payments-api\" }",
        how_to_fix: "Delete the comment (or move it to the line the finding points at: the \
manifest line of a dependency, the call site of a call).",
        configuration: "",
    },
};

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        for outcome in &context.suppressions {
            let suppression = outcome.suppression;
            if outcome.used
                || !outcome.all_enabled
                || suppression.fact.reason.is_none()
                || suppression.fact.rules.is_empty()
            {
                continue;
            }
            let (first, last) = suppression.fact.covers;
            let lines = if first == last {
                format!("line {first}")
            } else {
                format!("lines {first}-{last}")
            };
            out.push(Draft {
                message: format!(
                    "suppression `allow({})` matches no finding on {lines}; remove it",
                    suppression.fact.rules.join(", "),
                ),
                location: Some(Location::new(
                    &suppression.repo,
                    &suppression.path,
                    Some(suppression.fact.line),
                )),
                key: suppression.fact.rules.join(","),
                ..Draft::default()
            });
        }
    }
}
