//! OPS005 unknown-callee: a call site whose target resolves to no known service.

use crate::core::NodeId;
use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct UnknownCallee;

static META: RuleMeta = RuleMeta {
    id: "OPS005",
    name: "unknown-callee",
    category: Category::Operations,
    default_severity: Severity::Warning,
    params: &[],
    doc: RuleDoc {
        summary: "An HTTP or gRPC call resolves to no known service.",
        what_it_does: "Reports the calls of each service that capgraph could not resolve to a \
callee (no config `hosts`/`env`, no deploy wiring, no host, proto service or route that points \
at exactly one service), with the evidence it found: the endpoint templates and env vars. One \
finding per external host (a URL written out, such as a SaaS API) and calling capability, \
listing its endpoints; otherwise one per call site and endpoint, naming every service whose \
calls pass there. When the call's client has no timeout the finding says so (OPS004 does not \
report calls to unknown callees again).",
        why_is_this_bad: "An unknown callee is an operational dependency nobody can see: an \
external provider, a service outside the scanned repositories, or one wired in a way capgraph \
cannot read. It is missing from every review of who depends on whom.",
        example: "    let url = format!(\"{}/v3/mail/send\", std::env::var(\"MAIL_API_URL\")?);\n    client.post(url).json(&mail).send().await?;",
        how_to_fix: "If the callee is one of your services, declare it: `[services.NAME] env = \
[\"MAIL_API_URL\"]` or `hosts = [..]` in capgraph.toml, or wire the env var in a \
docker-compose or Kubernetes file. If it is an external system, suppress the finding at the \
call site with a reason naming the provider.",
        configuration: "`[services.NAME] hosts`, `env` in capgraph.toml.",
    },
};

impl Rule for UnknownCallee {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        let unknown = context
            .runtime
            .iter()
            .filter(|dep| dep.is_sync_call() && dep.to_service().is_some_and(|to| to.unknown));
        // One finding per call site and endpoint, naming every service whose calls pass
        // there, so that each external system can be suppressed where it is called.
        let edges = unknown.map(|dep| (*dep, super::sites_by_endpoint(dep, |_| true)));
        for site in super::SiteCalls::group_by_host(edges) {
            let dep = site.first();
            let related = site.related();
            // OPS004 leaves unknown callees to this rule: one finding per call, saying both.
            let unguarded = site
                .callers
                .iter()
                .all(|(_, calls)| calls.iter().all(|c| c.timeout == Some(false)));
            let timeout = if unguarded {
                ", with a client built without a timeout (set one where it is built)"
            } else {
                ""
            };
            let called = match &host_endpoints(&site)[..] {
                [] => super::one_endpoint(dep, &site.endpoint),
                [only] => super::one_endpoint(dep, only),
                several => format!(
                    "{} {} ({}{})",
                    dep.edge.protocol.unwrap_or("call"),
                    site.endpoint,
                    super::super::boundaries::listing(&several[..several.len().min(3)]),
                    if several.len() > 3 { " and more" } else { "" }
                ),
            };
            out.push(Draft {
                message: format!(
                    "{} {} {called}, which resolves to no known service{timeout}; declare the \
                     callee under [services] (hosts, env) or in a deploy file, or suppress it \
                     here naming the external system",
                    site.callers_described(context),
                    site.verb(),
                ),
                location: related.first().cloned(),
                from: Some(NodeId::Service(dep.from.name.clone())),
                to: Some(NodeId::UnknownService),
                teams: site.teams(context, None),
                related,
                key: site.endpoint.clone(),
                ..Draft::default()
            });
        }
    }
}

/// The endpoints a host group calls, sorted; empty for a group of one site and endpoint.
fn host_endpoints(site: &super::SiteCalls) -> Vec<String> {
    if super::literal_host(&site.endpoint).as_deref() != Some(site.endpoint.as_str()) {
        return Vec::new();
    }
    let mut endpoints: Vec<String> = site
        .callers
        .iter()
        .flat_map(|(_, calls)| calls.iter().filter_map(|c| c.endpoint.clone()))
        .collect();
    endpoints.sort_unstable();
    endpoints.dedup();
    endpoints
}
