//! OPS006 undeclared-call: a call between capabilities that `depends_on` does not declare.

use super::what_is_called;
use crate::core::NodeId;
use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct UndeclaredCall;

static META: RuleMeta = RuleMeta {
    id: "OPS006",
    name: "undeclared-call",
    category: Category::Operations,
    default_severity: Severity::Warning,
    params: &[],
    doc: RuleDoc {
        summary: "A service calls a capability absent from its capability's `depends_on`.",
        what_it_does: "For every HTTP or gRPC call between services of two capabilities, checks \
that the calling capability declares the callee's in `depends_on` (when it declares \
`depends_on` at all). This is BND002 for run-time dependencies: a call the declared \
architecture does not know.",
        why_is_this_bad: "Run-time dependencies are the ones that page people. A call the \
declared architecture does not show is missing from capacity planning, incident runbooks and \
the reviews that decide who may depend on whom.",
        example: "    [capabilities.fulfillment]\n    depends_on = [\"checkout\", \"identity\"]\n\n    // fulfillment-svc calls catalog-svc: catalog is not declared",
        how_to_fix: "Remove the call, or declare the dependency in capgraph.toml if the teams \
agree it belongs.",
        configuration: "`[capabilities.ID] depends_on = [..]` in capgraph.toml.",
    },
};

impl Rule for UndeclaredCall {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        for (from, to, dep) in context.service_calls() {
            let (Some(from_capability), Some(to_capability)) = (&from.capability, &to.capability)
            else {
                continue;
            };
            if from_capability == to_capability {
                continue;
            }
            let Some(capability) = context.capability(from_capability) else {
                continue;
            };
            let Some(allowed) = &capability.depends_on else {
                continue;
            };
            if allowed.contains(to_capability) {
                continue;
            }
            let declared = capability
                .origin
                .as_ref()
                .map(|origin| format!(" ({origin})"))
                .unwrap_or_default();
            out.push(Draft {
                message: format!(
                    "{} calls {} with {}, but `{to_capability}` is not in the depends_on of \
                     `{from_capability}`{declared}; remove the call or declare the dependency",
                    context.describe_service(from),
                    context.describe_service(to),
                    what_is_called(dep),
                ),
                location: dep.location(),
                from: Some(NodeId::Service(from.name.clone())),
                to: Some(NodeId::Service(to.name.clone())),
                teams: context.teams(&[from.team.as_deref(), to.team.as_deref()]),
                related: dep.related(),
                key: dep.edge.protocol.unwrap_or_default().to_string(),
                ..Draft::default()
            });
        }
    }
}
