//! CPL002 unstable-dependency: a capability depends on one less stable than itself.

use crate::core::NodeId;
use crate::rules::{
    Category, Context, Draft, Param, Rule, RuleDoc, RuleMeta, RuleSettings, Severity,
};

pub struct UnstableDependency;

static META: RuleMeta = RuleMeta {
    id: "CPL002",
    name: "unstable-dependency",
    category: Category::Coupling,
    default_severity: Severity::Warning,
    params: &[Param {
        name: "tolerance",
        default: 0.1,
        integer: false,
        max: Some(1.0),
        doc: "how much less stable (in instability I) a dependency may be before it is reported",
    }],
    doc: RuleDoc {
        summary: "A capability depends on a capability less stable than itself.",
        what_it_does: "Computes each capability's instability I = Ce / (Ca + Ce) from the \
capabilities it depends on (Ce) and those depending on it (Ca), over normal and build crate \
dependencies, and reports each dependency on a capability whose I exceeds the dependent's by \
more than `tolerance`: the stable dependencies principle (Robert C. Martin).",
        why_is_this_bad: "A stable capability (many depend on it, it depends on few) is hard to \
change; an unstable one changes often. Depending on something less stable than yourself means \
its frequent changes ripple into a capability many others rely on.",
        example: "    fulfillment (I = 0.50) -> checkout (I = 0.71)",
        how_to_fix: "Depend on a stable contract instead: move what is needed into a contract \
crate with few dependencies of its own, or invert the dependency so that the unstable side \
depends on the stable one.",
        configuration: "`[rules.CPL002] tolerance = 0.1` (0.1 in the default pack, 0 in strict).",
    },
};

impl Rule for UnstableDependency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, settings: &RuleSettings, out: &mut Vec<Draft>) {
        let tolerance = settings.param("tolerance");
        for ((from, to), deps) in context.capability_deps() {
            let instability = |id: &str| {
                context
                    .metrics
                    .capabilities
                    .get(id)
                    .and_then(|m| m.instability)
            };
            let (Some(from_i), Some(to_i)) = (instability(from), instability(to)) else {
                continue;
            };
            if to_i - from_i <= tolerance + 1e-9 {
                continue;
            }
            out.push(Draft {
                message: format!(
                    "{} depends on {}, which is less stable by {} (tolerance {tolerance}); \
                     depend on a stable contract instead, or invert the dependency",
                    context.describe_capability_with(
                        from,
                        &format!(", I = {}", super::number(from_i, 3))
                    ),
                    context
                        .describe_capability_with(to, &format!(", I = {}", super::number(to_i, 3))),
                    super::number(to_i - from_i, 3),
                ),
                location: Some(deps[0].location()),
                from: Some(NodeId::Capability(from.to_string())),
                to: Some(NodeId::Capability(to.to_string())),
                teams: context.teams(&[context.team_of(from), context.team_of(to)]),
                related: deps.iter().map(|d| d.location()).collect(),
                key: String::new(),
                metrics: [
                    ("from_instability", from_i),
                    ("to_instability", to_i),
                    ("tolerance", tolerance),
                ]
                .into_iter()
                .collect(),
                ..Draft::default()
            });
        }
    }
}
