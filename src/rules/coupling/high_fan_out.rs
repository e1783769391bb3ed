//! CPL001 high-fan-out: a capability depends on more than `max` others.

use crate::core::NodeId;
use crate::rules::boundaries::listing;
use crate::rules::ownership::location_of;
use crate::rules::{
    Category, Context, Draft, Param, Rule, RuleDoc, RuleMeta, RuleSettings, Severity,
};

pub struct HighFanOut;

static META: RuleMeta = RuleMeta {
    id: "CPL001",
    name: "high-fan-out",
    category: Category::Coupling,
    default_severity: Severity::Warning,
    params: &[Param {
        name: "max",
        default: 6.0,
        integer: true,
        max: None,
        doc: "the most capabilities one capability may depend on",
    }],
    doc: RuleDoc {
        summary: "A capability depends on more than `max` other capabilities.",
        what_it_does: "Counts, for each capability, the other capabilities its crates depend on \
(normal and build dependencies; its efferent coupling Ce) and reports those above `max`, with \
the list.",
        why_is_this_bad: "Every capability depended on is a team whose changes can break you and \
whose roadmap you wait for. A capability that needs many others is usually doing several \
capabilities' work, or orchestrating what should be events.",
        example: "    checkout -> catalog, payments, identity, observability, pricing, fulfillment, search   (7 > max 6)",
        how_to_fix: "Split the capability along the dependencies that belong together, replace \
calls into other capabilities by events they publish, or depend on a platform contract that \
aggregates several of them.",
        configuration: "`[rules.CPL001] max = 6` (default 6 in the default pack, 4 in strict).",
    },
};

impl Rule for HighFanOut {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, settings: &RuleSettings, out: &mut Vec<Draft>) {
        let max = settings.param("max");
        let grouped = context.capability_deps();
        for (id, metrics) in &context.metrics.capabilities {
            if f64::from(metrics.efferent) <= max {
                continue;
            }
            let targets: Vec<&str> = grouped
                .keys()
                .filter(|(from, _)| from == id)
                .map(|(_, to)| *to)
                .collect();
            out.push(Draft {
                message: format!(
                    "{} depends on {} capabilities (max {max}): {}; split it, or let the others \
                     publish events instead of being called into",
                    context.describe_capability(id),
                    metrics.efferent,
                    listing(&targets),
                ),
                location: context
                    .capability(id)
                    .and_then(|c| c.origin.as_ref())
                    .map(|origin| location_of(context, origin)),
                from: Some(NodeId::Capability(id.clone())),
                teams: context.teams(&[context.team_of(id)]),
                key: String::new(),
                metrics: [("efferent", f64::from(metrics.efferent)), ("max", max)]
                    .into_iter()
                    .collect(),
                ..Draft::default()
            });
        }
    }
}
