//! BND002 undeclared-dependency: a capability depends on one absent from its `depends_on`.

use super::listing;
use crate::core::NodeId;
use crate::rules::{
    Category, Context, Draft, Location, Rule, RuleDoc, RuleMeta, RuleSettings, Severity,
};

pub struct UndeclaredDependency;

static META: RuleMeta = RuleMeta {
    id: "BND002",
    name: "undeclared-dependency",
    category: Category::Boundaries,
    default_severity: Severity::Error,
    params: &[],
    doc: RuleDoc {
        summary: "A capability depends on a capability absent from its `depends_on`.",
        what_it_does: "For every capability that declares `depends_on` in capgraph.toml, checks \
that each capability its crates depend on (normal and build dependencies) is listed. One \
finding per pair of capabilities, located at the first crate dependency behind it, listing all \
of them. Capabilities without `depends_on` are not checked.",
        why_is_this_bad: "`depends_on` is the architecture the teams agreed on. A dependency \
outside it is a new coupling between two teams that nobody decided: it usually appears \
unnoticed in a pull request and is hard to remove a year later.",
        example: "    [capabilities.catalog]\n    depends_on = [\"identity\", \"observability\"]\n\n    # catalog-svc/Cargo.toml\n    checkout-api = { path = \"../../checkout/checkout-api\" }   <- catalog -> checkout",
        how_to_fix: "Remove the dependency, or, if the teams agree it belongs, add the capability \
to `depends_on` in capgraph.toml.",
        configuration: "`[capabilities.ID] depends_on = [..]` in capgraph.toml.",
    },
};

impl Rule for UndeclaredDependency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        for ((from, to), deps) in context.capability_deps() {
            let Some(capability) = context.capability(from) else {
                continue;
            };
            let Some(allowed) = &capability.depends_on else {
                continue;
            };
            if allowed.iter().any(|a| a == to) {
                continue;
            }
            let pairs: Vec<String> = deps
                .iter()
                .map(|dep| format!("{} -> {}", dep.from.name, dep.to.name()))
                .collect();
            let declared = capability
                .origin
                .as_ref()
                .map(|origin| format!(" ({origin})"))
                .unwrap_or_default();
            let mut related: Vec<Location> = deps.iter().map(|dep| dep.location()).collect();
            related.extend(deps.iter().flat_map(|dep| dep.related()));
            related.truncate(crate::rules::context::MAX_RELATED);
            out.push(Draft {
                message: format!(
                    "{} depends on {} through {}, but `{to}` is not in the depends_on of \
                     `{from}`{declared}; remove the dependency or declare it",
                    context.describe_capability(from),
                    context.describe_capability(to),
                    listing(&pairs),
                ),
                location: Some(deps[0].location()),
                from: Some(NodeId::Capability(from.to_string())),
                to: Some(NodeId::Capability(to.to_string())),
                teams: context.teams(&[context.team_of(from), context.team_of(to)]),
                related,
                key: String::new(),
                ..Draft::default()
            });
        }
    }
}
