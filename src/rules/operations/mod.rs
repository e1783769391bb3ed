//! OPS rules: the run-time calls between services (see `model::services`).

pub mod cross_team_sync_call;
pub mod deep_sync_chain;
pub mod sync_call_cycle;
pub mod undeclared_call;
pub mod unguarded_call;
pub mod unknown_callee;

use super::context::RuntimeDep;

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
