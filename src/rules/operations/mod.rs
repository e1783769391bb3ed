//! OPS rules: the run-time calls between services (see `model::services`).

pub mod cross_team_sync_call;
pub mod deep_sync_chain;
pub mod sync_call_cycle;
pub mod undeclared_call;
pub mod unguarded_call;
pub mod unknown_callee;

use super::Location;
use super::context::RuntimeDep;
use crate::model::services::CallSite;
use std::collections::BTreeMap;

/// The sites of a call edge that pass `keep`, grouped by the endpoint they call (in endpoint
/// order), so that a finding can name one endpoint and sit at its call site.
pub(crate) fn sites_by_endpoint<'a>(
    dep: &RuntimeDep<'a>,
    keep: impl Fn(&CallSite) -> bool,
) -> BTreeMap<String, Vec<&'a CallSite>> {
    let mut grouped: BTreeMap<String, Vec<&CallSite>> = BTreeMap::new();
    for call in dep.edge.calls.iter().filter(|c| keep(c)) {
        let endpoint = call
            .endpoint
            .clone()
            .unwrap_or_else(|| dep.edge.protocol.unwrap_or("call").to_string());
        grouped.entry(endpoint).or_default().push(call);
    }
    grouped
}

/// The locations of call sites.
pub(crate) fn call_locations(dep: &RuntimeDep, calls: &[&CallSite]) -> Vec<Location> {
    calls
        .iter()
        .take(super::context::MAX_RELATED)
        .map(|c| Location::new(&dep.edge.repo, &c.site.path, Some(c.site.line)))
        .collect()
}

/// `http POST {X}/y`: a protocol and one endpoint.
pub(crate) fn one_endpoint(dep: &RuntimeDep, endpoint: &str) -> String {
    let protocol = dep.edge.protocol.unwrap_or("call");
    if endpoint == protocol {
        protocol.to_string()
    } else {
        format!("{protocol} {endpoint}")
    }
}

/// `grpc acme.payments.v1.Payments` or `http GET {CATALOG_URL}/v1/products/{}`: what is
/// called, for messages (the first endpoints).
pub(crate) fn what_is_called(dep: &RuntimeDep) -> String {
    let protocol = dep.edge.protocol.unwrap_or("call");
    let mut endpoints: Vec<&str> = dep
        .edge
        .endpoints
        .iter()
        .map(String::as_str)
        .take(3)
        .collect();
    if dep.edge.endpoints.len() > 3 {
        endpoints.push("...");
    }
    if endpoints.is_empty() {
        protocol.to_string()
    } else {
        format!("{protocol} {}", endpoints.join(", "))
    }
}
