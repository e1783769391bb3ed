//! OPS002 sync-call-cycle: services call each other synchronously in a cycle.

use crate::core::NodeId;
use crate::rules::boundaries::listing;
use crate::rules::context::RuntimeDep;
use crate::rules::cycles::{MAX_CRATES_PER_CUT_EDGE, MAX_CUT_EDGES_LISTED, find_cycles};
use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};
use std::collections::BTreeMap;

pub struct SyncCallCycle;

static META: RuleMeta = RuleMeta {
    id: "OPS002",
    name: "sync-call-cycle",
    category: Category::Operations,
    default_severity: Severity::Error,
    params: &[],
    doc: RuleDoc {
        summary: "Services call each other synchronously in a cycle.",
        what_it_does: "Finds the strongly connected components of the HTTP/gRPC call graph \
between known services and reports each once, with a cycle through it and the cheapest calls \
to remove to break every cycle (weighed by their call sites).",
        why_is_this_bad: "A synchronous cycle can deadlock or amplify load (a retry storm goes \
round), and neither service can be deployed, scaled or restarted without the other. None of \
them can degrade gracefully when another fails.",
        example: "    checkout-svc    -> fulfillment-svc   GET {FULFILLMENT_URL}/v1/shipments/{}\n    fulfillment-svc -> checkout-svc      GET {CHECKOUT_URL}/v1/orders/{}",
        how_to_fix: "Break the proposed calls: have one side publish an event the other \
consumes, or pass the data along in the first call instead of calling back.",
        configuration: "",
    },
};

impl Rule for SyncCallCycle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        let mut calls: BTreeMap<(String, String), Vec<&RuntimeDep>> = BTreeMap::new();
        for (from, to, dep) in context.service_calls() {
            if from.name != to.name {
                calls
                    .entry((from.name.clone(), to.name.clone()))
                    .or_default()
                    .push(dep);
            }
        }
        let weights = calls
            .iter()
            .map(|(key, deps)| {
                let sites: usize = deps.iter().map(|d| d.edge.sites.len().max(1)).sum();
                (key.clone(), sites as u64)
            })
            .collect();
        // A member's team, looked up once per service rather than once per member.
        let team_of: BTreeMap<&str, &String> = context
            .services
            .services()
            .filter_map(|s| Some((s.name.as_str(), s.team.as_ref()?)))
            .collect();
        for cycle in find_cycles(&weights) {
            let (first_from, first_to) = &cycle.cut[0];
            let first = calls[&(first_from.clone(), first_to.clone())][0];
            // Bounded like the CYC messages: a cycle of a thousand services names a few cut
            // edges and counts the rest.
            let mut cuts: Vec<String> = cycle
                .cut
                .iter()
                .take(MAX_CUT_EDGES_LISTED)
                .map(|(a, b)| {
                    let deps = &calls[&(a.clone(), b.clone())];
                    let mut what: Vec<String> = deps
                        .iter()
                        .take(MAX_CRATES_PER_CUT_EDGE)
                        .map(|d| super::what_is_called(d))
                        .collect();
                    if deps.len() > MAX_CRATES_PER_CUT_EDGE {
                        what.push(format!("{} more", deps.len() - MAX_CRATES_PER_CUT_EDGE));
                    }
                    format!("{a} -> {b} ({})", listing(&what))
                })
                .collect();
            if cycle.cut.len() > MAX_CUT_EDGES_LISTED {
                cuts.push(format!(
                    "and {} more calls ({} in all)",
                    cycle.cut.len() - MAX_CUT_EDGES_LISTED,
                    cycle.cut.len()
                ));
            }
            let mut teams: Vec<String> = cycle
                .members
                .iter()
                .filter_map(|name| team_of.get(name.as_str()).map(|team| (*team).clone()))
                .collect();
            teams.sort();
            teams.dedup();
            let mut members: Vec<String> = cycle
                .members
                .iter()
                .take(MAX_CUT_EDGES_LISTED)
                .cloned()
                .collect();
            if cycle.members.len() > MAX_CUT_EDGES_LISTED {
                members.push(format!(
                    "{} more",
                    cycle.members.len() - MAX_CUT_EDGES_LISTED
                ));
            }
            let mut related: Vec<_> = cycle
                .cut
                .iter()
                .flat_map(|(a, b)| {
                    calls[&(a.clone(), b.clone())]
                        .iter()
                        .filter_map(|d| d.location())
                })
                .collect();
            related.truncate(crate::rules::context::MAX_RELATED);
            out.push(Draft {
                message: format!(
                    "services {} call each other synchronously in a cycle ({}); break it by \
                     replacing {} with an event or by passing the data along",
                    listing(&members),
                    crate::rules::cycles::cycle_shown(&cycle),
                    cuts.join("; "),
                ),
                location: first.location(),
                from: Some(NodeId::Service(first_from.clone())),
                to: Some(NodeId::Service(first_to.clone())),
                teams,
                related,
                key: cycle.members.join(","),
                ..Draft::default()
            });
        }
    }
}
