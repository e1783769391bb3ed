//! CYC001 capability-cycle: capabilities depend on each other in a cycle.

use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct CapabilityCycle;

static META: RuleMeta = RuleMeta {
    id: "CYC001",
    name: "capability-cycle",
    category: Category::Cycles,
    default_severity: Severity::Error,
    params: &[],
    doc: RuleDoc {
        summary: "Capabilities depend on each other in a cycle.",
        what_it_does: "Rolls normal and build crate dependencies up to capabilities and finds \
the strongly connected components (Tarjan) of two or more capabilities. Each is reported once, \
with a cycle through it and the cheapest set of capability edges whose removal breaks every \
cycle, weighed by the code references to rewrite (exact for up to 16 edges; above, a cheap cut \
from the Eades–Lin–Smyth heuristic), with the crate dependencies behind each edge (the first 20 \
edges listed, the others counted). A cycle that closes only through dependencies between \
crates that share an owning team, one of them co-owned (several teams on its CODEOWNERS line), \
is reported at most as a warning that names the co-owned crates; so is a cycle some of whose \
owners are single people (zero-config, where CODEOWNERS names people, not teams, for their \
crates) or review groups.",
        why_is_this_bad: "Capabilities in a cycle cannot be built, released or reasoned about \
apart: a change in one can break the other and back. The teams involved have to coordinate \
every release, which is exactly what owning a capability end to end is meant to avoid.",
        example: "    checkout-svc      -> fulfillment-client   (checkout -> fulfillment)\n    fulfillment-core  -> checkout-api         (fulfillment -> checkout)",
        how_to_fix: "Cut the edges the finding proposes: move the shared types into a contract \
of the lower capability, invert the dependency with a trait or an event, or merge the two \
capabilities if they are really one.",
        configuration: "",
    },
};

impl Rule for CapabilityCycle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, settings: &RuleSettings, out: &mut Vec<Draft>) {
        let grouped = context.capability_deps_with_co_owned();
        super::report_unit_cycles(
            "capability",
            &grouped,
            |capability| context.team_of(capability).map(str::to_string),
            &context.stand_in_teams(),
            settings,
            out,
        );
    }
}
