//! OWN rules: who owns what. The ownership stage of the model records each problem with its
//! rule id; these rules turn them into findings.

pub mod conflicting_owners;
pub mod split_crate;
pub mod stale_ownership_rule;
pub mod unknown_owner;
pub mod unowned_crate;

use super::{Context, Draft, Location};
use crate::config::Origin;
use crate::core::NodeId;
use std::sync::LazyLock;

static LINE_NUMBERS: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r":\d+\b").expect("static pattern"));

/// The findings of one OWN rule: the problems the ownership stage recorded under its id.
fn report_problems(context: &Context, id: &str, out: &mut Vec<Draft>) {
    for problem in &context.analysis.ownership.problems {
        if problem.rule != id {
            continue;
        }
        let krate = problem
            .krate
            .as_deref()
            .and_then(|name| context.graph.crate_named(name));
        out.push(Draft {
            message: problem.message.clone(),
            location: Some(location_of(context, &problem.location)),
            from: problem
                .krate
                .as_ref()
                .map(|name| NodeId::Crate(name.clone())),
            teams: krate.map(|k| k.owners.clone()).unwrap_or_default(),
            // The message quotes `file:line` places; the key must not move with them.
            key: LINE_NUMBERS.replace_all(&problem.message, "").into_owned(),
            ..Draft::default()
        });
    }
}

/// An origin (`repo/path:line`, as the ownership stage writes them) as a location.
pub(crate) fn location_of(context: &Context, origin: &Origin) -> Location {
    for root in &context.analysis.roots {
        if let Some(path) = origin
            .file
            .strip_prefix(root.name.as_str())
            .and_then(|rest| rest.strip_prefix('/'))
        {
            return Location::new(&root.name, path, (origin.line > 0).then_some(origin.line));
        }
    }
    Location::new("", &origin.file, (origin.line > 0).then_some(origin.line))
}
