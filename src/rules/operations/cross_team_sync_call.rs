//! OPS001 cross-team-sync-call: a service calls another team's service synchronously.

use super::what_is_called;
use crate::core::NodeId;
use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct CrossTeamSyncCall;

static META: RuleMeta = RuleMeta {
    id: "OPS001",
    name: "cross-team-sync-call",
    category: Category::Operations,
    default_severity: Severity::Info,
    params: &[],
    doc: RuleDoc {
        summary: "A service calls another team's service synchronously (HTTP or gRPC).",
        what_it_does: "Reports every HTTP or gRPC call edge whose caller and callee services are \
owned by different teams, located at the first call site, with the endpoints called. Calls \
inside one team, and between services of crates that share an owning team (co-owners), are not \
reported.",
        why_is_this_bad: "A synchronous call makes the caller's availability depend on the \
callee's: when the callee is slow or down, so is the caller, and one incident pages two \
on-call rotations. Across teams, nobody owns the whole path.",
        example: "    // checkout-svc (team orders)\n    let charge = payments.charge(request).await?;   // payments-svc (team payments), gRPC",
        how_to_fix: "Prefer an event the other team publishes or consumes. Where a call is \
needed, make it deliberate: a timeout, retries with backoff, a circuit breaker and a fallback, \
and an agreed SLO; then suppress the finding at the call site with the reason.",
        configuration: "",
    },
};

impl Rule for CrossTeamSyncCall {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        for (from, to, dep) in context.service_calls() {
            let (Some(from_team), Some(to_team)) = (&from.team, &to.team) else {
                continue;
            };
            if from_team == to_team || context.share_owner(from, to) {
                continue;
            }
            out.push(Draft {
                message: format!(
                    "{} calls {} synchronously ({}); when {} is slow or down, so is {}: prefer \
                     an event, or guard the call with a timeout, retries and a circuit breaker",
                    context.describe_service(from),
                    context.describe_service(to),
                    what_is_called(dep),
                    to.name,
                    from.name,
                ),
                location: dep.location(),
                from: Some(NodeId::Service(from.name.clone())),
                to: Some(NodeId::Service(to.name.clone())),
                teams: context.teams(&[Some(from_team), Some(to_team)]),
                related: dep.related(),
                key: dep.edge.protocol.unwrap_or_default().to_string(),
                ..Draft::default()
            });
        }
    }
}
