//! CYC002 team-cycle: teams depend on each other in a cycle.

use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct TeamCycle;

static META: RuleMeta = RuleMeta {
    id: "CYC002",
    name: "team-cycle",
    category: Category::Cycles,
    default_severity: Severity::Warning,
    params: &[],
    doc: RuleDoc {
        summary: "Two or more teams depend on each other in a cycle.",
        what_it_does: "Rolls normal and build crate dependencies up to the owning teams and \
reports each strongly connected component of two or more teams, with a cycle through it and \
the cheapest team edges to cut (by code references), like CYC001 does for capabilities. A \
team cycle can exist without a capability cycle when a team owns several capabilities. A \
co-owned crate counts under its first owner; a cycle that closes only through it (a dependency \
between crates that share an owning team) is at most a warning naming it, and so is a cycle some \
of whose teams are single people or review groups (zero-config mode).",
        why_is_this_bad: "Teams in a dependency cycle wait on each other: neither can change its \
code freely, plan alone or ship on its own schedule.",
        example: "    team orders      -> team fulfillment   (checkout-svc -> fulfillment-client)\n    team fulfillment -> team orders        (fulfillment-core -> checkout-api)",
        how_to_fix: "Cut the proposed edges (a contract crate owned by one side, an event \
instead of a call into the other team's code), or move the crate that closes the cycle to the \
other team.",
        configuration: "",
    },
};

impl Rule for TeamCycle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, settings: &RuleSettings, out: &mut Vec<Draft>) {
        let grouped = context.team_deps_with_co_owned();
        super::report_unit_cycles(
            "team",
            &grouped,
            |team| Some(team.to_string()),
            &context.stand_in_teams(),
            settings,
            out,
        );
    }
}
