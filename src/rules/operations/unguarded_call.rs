//! OPS004 unguarded-call: a cross-service HTTP/gRPC client is built with no timeout.

use crate::core::NodeId;
use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct UnguardedCall;

static META: RuleMeta = RuleMeta {
    id: "OPS004",
    name: "unguarded-call",
    category: Category::Operations,
    default_severity: Severity::Warning,
    params: &[],
    doc: RuleDoc {
        summary: "A cross-service HTTP or gRPC call uses a client built with no timeout.",
        what_it_does: "Reports call edges to a known service where \
capgraph saw how the client is built and none of its construction sets a timeout: a \
`timeout_methods` call from rules/detectors.toml on the builder, an endpoint or the request, or \
a client function declared with `timeout = true`. Calls whose client construction was not seen \
are not reported. One finding per call site, endpoint and callee: a site in a library that \
several services use names them all. Calls to an unknown callee are reported once, by OPS005, \
which says when their client has no timeout.",
        why_is_this_bad: "Without a timeout a slow callee holds the caller's connections and \
threads until they run out: one degraded service takes its callers down with it, across team \
boundaries.",
        example: "    let channel = Endpoint::from_shared(url)?.connect().await?;   // no .timeout(..)\n    let mut payments = PaymentsClient::new(channel);",
        how_to_fix: "Set a timeout where the client is built (`.timeout(Duration::from_secs(2))` \
on a reqwest ClientBuilder or a tonic Endpoint), below the caller's own deadline. A company \
HTTP wrapper that always sets one can be declared with `timeout = true` in a \
`[[detectors.pattern]]`.",
        configuration: "`timeout_methods` and `[[detectors.pattern]]` entries with `timeout` \
(rules/detectors.toml, capgraph.toml).",
    },
};

impl Rule for UnguardedCall {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        // Calls to an unknown callee are OPS005's, which says when they have no timeout:
        // one finding per call, not two.
        let calls = context.runtime.iter().filter(|dep| {
            dep.is_sync_call()
                && dep
                    .to_service()
                    .is_some_and(|to| to.name != dep.from.name && !to.unknown)
        });
        let edges = calls.map(|dep| {
            let unguarded = super::sites_by_endpoint(dep, |call| call.timeout == Some(false));
            (*dep, unguarded)
        });
        // One finding per call site, endpoint and callee, naming every service whose calls
        // pass there (a library's client serves them all).
        for site in super::SiteCalls::group(edges) {
            let dep = site.first();
            let Some(to) = dep.to_service() else { continue };
            let callee = if to.krate.is_empty() {
                "an unknown callee".to_string()
            } else {
                context.describe_service(to)
            };
            let related = site.related();
            out.push(Draft {
                message: format!(
                    "{} {} {callee} with {} using a client built without a timeout; set one \
                     where the client is built, below the caller's own deadline",
                    site.callers_described(context),
                    site.verb(),
                    super::one_endpoint(dep, &site.endpoint),
                ),
                location: related.first().cloned(),
                from: Some(NodeId::Service(dep.from.name.clone())),
                to: Some(dep.to.id()),
                teams: site.teams(context, to.team.as_deref()),
                related,
                key: site.endpoint.clone(),
                ..Draft::default()
            });
        }
    }
}
