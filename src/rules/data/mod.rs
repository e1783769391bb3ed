//! DAT rules: topics and tables that several capabilities write or use.

pub mod shared_table;
pub mod shared_topic_writer;

use super::context::RuntimeDep;
use super::{Context, Draft, Location};
use crate::core::NodeId;
use crate::model::services::{RuntimeKind, RuntimeNode};
use std::collections::BTreeMap;

/// For each topic or table (by node id), its edges of the given kinds grouped by the
/// capability of the service on the other end (`None`: unowned).
pub(crate) fn users_by_capability<'c, 'a>(
    context: &'c Context<'a>,
    kinds: &[RuntimeKind],
) -> BTreeMap<NodeId, BTreeMap<Option<&'a str>, Vec<&'c RuntimeDep<'a>>>> {
    let mut users: BTreeMap<NodeId, BTreeMap<Option<&str>, Vec<&RuntimeDep>>> = BTreeMap::new();
    for dep in &context.runtime {
        if !kinds.contains(&dep.edge.kind) {
            continue;
        }
        if matches!(dep.to, RuntimeNode::Service(_)) {
            continue;
        }
        // An unowned service is OWN001's finding; it makes no second steward here.
        let Some(capability) = dep.from.capability.as_deref() else {
            continue;
        };
        users
            .entry(dep.to.id())
            .or_default()
            .entry(Some(capability))
            .or_default()
            .push(dep);
    }
    users
}

/// One finding for a topic or table used by several capabilities: at the first site of the
/// second capability in order (the first is as likely to be the steward as any), listing
/// every capability with its services.
pub(crate) fn report_shared(
    context: &Context,
    node_id: &NodeId,
    by_capability: &BTreeMap<Option<&str>, Vec<&RuntimeDep>>,
    verb: &str,
    advice: &str,
    out: &mut Vec<Draft>,
) {
    let parts: Vec<String> = by_capability
        .iter()
        .map(|(capability, deps)| {
            let mut services: Vec<String> = deps
                .iter()
                .map(|d| format!("{} {}", d.from.name, d.edge.kind.as_str()))
                .collect();
            services.dedup();
            format!(
                "{}: {}",
                capability.map_or("unowned".to_string(), |c| context.describe_capability(c)),
                services.join(", ")
            )
        })
        .collect();
    let mut teams: Vec<String> = by_capability
        .keys()
        .filter_map(|c| c.and_then(|c| context.team_of(c)).map(str::to_string))
        .collect();
    teams.sort();
    teams.dedup();
    let related: Vec<Location> = by_capability
        .values()
        .flatten()
        .flat_map(|d| d.related())
        .take(super::context::MAX_RELATED)
        .collect();
    let location = by_capability
        .values()
        .nth(1)
        .and_then(|deps| deps.first())
        .and_then(|d| d.location());
    let name = node_id.name();
    out.push(Draft {
        message: format!(
            "{} capabilities {verb} `{name}`: {}; {advice}",
            by_capability.len(),
            parts.join("; "),
        ),
        location,
        to: Some(node_id.clone()),
        teams,
        related,
        key: node_id.to_string(),
        ..Draft::default()
    });
}
