//! OPS003 deep-sync-chain: a chain of synchronous calls longer than `max_depth` hops.

use crate::core::NodeId;
use crate::rules::{
    Category, Context, Draft, Param, Rule, RuleDoc, RuleMeta, RuleSettings, Severity,
};
use std::collections::{BTreeMap, BTreeSet};

pub struct DeepSyncChain;

/// Paths explored per starting service before the search gives up on finding a longer one;
/// call graphs are small, this only bounds pathological ones.
const SEARCH_BUDGET: usize = 100_000;

static META: RuleMeta = RuleMeta {
    id: "OPS003",
    name: "deep-sync-chain",
    category: Category::Operations,
    default_severity: Severity::Warning,
    params: &[Param {
        name: "max_depth",
        default: 3.0,
        integer: true,
        max: None,
        doc: "the most synchronous hops one request may travel",
    }],
    doc: RuleDoc {
        summary: "A chain of synchronous calls is longer than `max_depth` hops.",
        what_it_does: "Follows HTTP/gRPC calls between known services and reports each longest \
chain (no service visited twice) of more than `max_depth` calls, from the service that starts \
it. A chain contained in a longer reported one is not reported again.",
        why_is_this_bad: "Latency adds up and availability multiplies down along a synchronous \
chain: five services at 99.9% give 99.5% at best, and the first service's timeout must exceed \
the sum of all the others'. Incidents at the end of the chain surface at its start, in another \
team.",
        example: "    fulfillment-svc -> checkout-svc -> payments-svc -> catalog-svc -> identity-svc   (4 hops > 3)",
        how_to_fix: "Shorten the chain: cache or replicate the data the deeper services provide \
(from their events), call the deeper service in parallel rather than through the middle, or \
move work out of the request path.",
        configuration: "`[rules.OPS003] max_depth = 3` (default 3 in the default pack, 2 in strict).",
    },
};

impl Rule for DeepSyncChain {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, settings: &RuleSettings, out: &mut Vec<Draft>) {
        let max_depth = settings.param("max_depth");
        let mut callees: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut first_site = BTreeMap::new();
        let mut teams_of = BTreeMap::new();
        for (from, to, dep) in context.service_calls() {
            if from.name != to.name {
                callees.entry(&from.name).or_default().insert(&to.name);
                first_site
                    .entry((from.name.as_str(), to.name.as_str()))
                    .or_insert(dep);
                teams_of.insert(from.name.as_str(), from.team.as_deref());
                teams_of.insert(to.name.as_str(), to.team.as_deref());
            }
        }
        let mut chains: Vec<Vec<&str>> = Vec::new();
        for &start in callees.keys() {
            let longest = longest_chain(start, &callees);
            if (longest.len() - 1) as f64 > max_depth {
                chains.push(longest);
            }
        }
        // Longest first, so that a chain inside a longer one is seen after it.
        chains.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        let mut reported: Vec<Vec<&str>> = Vec::new();
        for chain in chains {
            // A chain inside a longer one, or another rotation of the same cycle's services,
            // says nothing new.
            let members: BTreeSet<&str> = chain.iter().copied().collect();
            if reported.iter().any(|longer| {
                longer.windows(chain.len()).any(|w| w == chain.as_slice())
                    || longer.iter().copied().collect::<BTreeSet<_>>() == members
            }) {
                continue;
            }
            let first = first_site[&(chain[0], chain[1])];
            let related = chain
                .windows(2)
                .filter_map(|pair| first_site[&(pair[0], pair[1])].location())
                .collect();
            let teams = context.teams(&chain.iter().map(|s| teams_of[s]).collect::<Vec<_>>());
            out.push(Draft {
                message: format!(
                    "a request to {} travels {} synchronous hops (max {max_depth}): {}; every \
                     service on it must be up for it to succeed{}: cache or replicate what the \
                     deeper services provide, or take work out of the request path",
                    chain[0],
                    chain.len() - 1,
                    chain.join(" -> "),
                    if teams.len() > 1 {
                        format!(", across {} teams", teams.len())
                    } else {
                        String::new()
                    },
                ),
                location: first.location(),
                from: Some(NodeId::Service(chain[0].to_string())),
                to: Some(NodeId::Service(chain[chain.len() - 1].to_string())),
                teams,
                related,
                key: chain.join(","),
                metrics: [("hops", (chain.len() - 1) as f64), ("max_depth", max_depth)]
                    .into_iter()
                    .collect(),
                ..Draft::default()
            });
            reported.push(chain);
        }
    }
}

/// The longest simple path from `start` (ties: the first in sorted order).
fn longest_chain<'a>(
    start: &'a str,
    callees: &BTreeMap<&'a str, BTreeSet<&'a str>>,
) -> Vec<&'a str> {
    let mut best = vec![start];
    let mut path = vec![start];
    let mut budget = SEARCH_BUDGET;
    fn walk<'a>(
        path: &mut Vec<&'a str>,
        best: &mut Vec<&'a str>,
        callees: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        budget: &mut usize,
    ) {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        if path.len() > best.len() {
            *best = path.clone();
        }
        let last = path[path.len() - 1];
        for &next in callees.get(last).into_iter().flatten() {
            if !path.contains(&next) {
                path.push(next);
                walk(path, best, callees, budget);
                path.pop();
            }
        }
    }
    walk(&mut path, &mut best, callees, &mut budget);
    best
}
