//! Applies `capgraph: allow(..)` comments to findings: a finding whose location a
//! suppression covers, for its rule, is dropped and counted. A suppression without a reason
//! silences nothing (SUP001 says why).

use super::context::SuppressionOutcome;
use super::{Finding, Settings};
use crate::model::Suppression;

/// Splits `findings` into those kept and the number silenced, and tells for each
/// suppression whether it was used.
pub fn apply<'a>(
    suppressions: &'a [Suppression],
    settings: &Settings,
    findings: Vec<Finding>,
) -> (Vec<Finding>, Vec<SuppressionOutcome<'a>>, usize) {
    let mut outcomes: Vec<SuppressionOutcome> = suppressions
        .iter()
        .map(|suppression| {
            let rules: Vec<Option<&'static str>> = suppression
                .fact
                .rules
                .iter()
                .map(|name| super::find(name).map(|rule| rule.meta().id))
                .collect();
            SuppressionOutcome {
                suppression,
                used: false,
                unknown_rules: suppression
                    .fact
                    .rules
                    .iter()
                    .zip(&rules)
                    .filter(|(_, id)| id.is_none())
                    .map(|(name, _)| name.clone())
                    .collect(),
                all_enabled: rules
                    .iter()
                    .all(|id| id.is_some_and(|id| settings.rule(id).is_some())),
            }
        })
        .collect();

    let mut kept = Vec::with_capacity(findings.len());
    let mut silenced = 0;
    for finding in findings {
        let mut silencing = false;
        if let Some(location) = &finding.location
            && let Some(line) = location.line
        {
            // Every suppression that covers the finding counts as used, so that a table-wide
            // one and a line one do not report each other as unused.
            for outcome in outcomes.iter_mut() {
                let fact = &outcome.suppression.fact;
                if outcome.suppression.repo == location.repo
                    && outcome.suppression.path == location.path
                    && fact.reason.is_some()
                    && (fact.covers.0..=fact.covers.1).contains(&line)
                    && fact.rules.iter().any(|name| {
                        super::find(name).is_some_and(|rule| rule.meta().id == finding.rule)
                    })
                {
                    outcome.used = true;
                    silencing = true;
                }
            }
        }
        if silencing {
            silenced += 1;
        } else {
            kept.push(finding);
        }
    }
    (kept, outcomes, silenced)
}
