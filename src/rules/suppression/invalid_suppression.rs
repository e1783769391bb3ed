//! SUP001 invalid-suppression: a suppression comment without a reason, or naming no rule.

use crate::rules::{
    Category, Context, Draft, Location, Rule, RuleDoc, RuleMeta, RuleSettings, Severity,
};

pub struct InvalidSuppression;

static META: RuleMeta = RuleMeta {
    id: "SUP001",
    name: "invalid-suppression",
    category: Category::Suppressions,
    default_severity: Severity::Warning,
    params: &[],
    doc: RuleDoc {
        summary: "A `capgraph: allow(..)` comment gives no reason, or names no rule.",
        what_it_does: "Reports suppression comments that have no `reason:` text (they suppress \
nothing until they do) or name a rule that does not exist.",
        why_is_this_bad: "A suppression is an exception to an agreed rule; without the reason, \
the next reviewer cannot tell whether it still holds, and a misspelt rule id silences nothing \
while looking as if it did.",
        example: "    payments-core = { path = \"../payments-core\" }  # capgraph: allow(BND001)",
        how_to_fix: "Write why the exception is acceptable: `# capgraph: allow(BND001) reason: \
migrating to payments-api, see PAY-142`, and use the rule's id or name as `capgraph rules` \
lists them.",
        configuration: "",
    },
};

impl Rule for InvalidSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        for outcome in &context.suppressions {
            let suppression = outcome.suppression;
            let location = Location::new(
                &suppression.repo,
                &suppression.path,
                Some(suppression.fact.line),
            );
            let mut problems = Vec::new();
            if suppression.fact.rules.is_empty() {
                problems.push("names no rule inside `allow(..)`".to_string());
            }
            for unknown in &outcome.unknown_rules {
                let hint = crate::rules::closest(unknown)
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                problems.push(format!("names `{unknown}`, which is no rule{hint}"));
            }
            if suppression.fact.reason.is_none() {
                problems.push(
                    "gives no reason, so it suppresses nothing: add `reason: <why this exception \
                     is acceptable>`"
                        .to_string(),
                );
            }
            if problems.is_empty() {
                continue;
            }
            out.push(Draft {
                message: format!(
                    "suppression `allow({})` {}",
                    suppression.fact.rules.join(", "),
                    problems.join("; ")
                ),
                location: Some(location),
                key: suppression.fact.rules.join(","),
                ..Draft::default()
            });
        }
    }
}
