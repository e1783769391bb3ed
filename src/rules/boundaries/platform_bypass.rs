//! BND004 platform-bypass: a crate uses a third-party crate that another capability wraps.

use super::listing;
use crate::model::Node;
use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct PlatformBypass;

static META: RuleMeta = RuleMeta {
    id: "BND004",
    name: "platform-bypass",
    category: Category::Boundaries,
    default_severity: Severity::Warning,
    params: &[],
    doc: RuleDoc {
        summary: "A crate uses a third-party crate directly that another capability wraps.",
        what_it_does: "A capability that `wraps` a third-party crate (jsonwebtoken, rdkafka, an \
SDK) is the only one meant to use it directly. Every normal or build dependency on that crate \
from another capability's crate is reported, with the wrapping capability's contracts to use \
instead.",
        why_is_this_bad: "The platform team wraps a library to keep one way of doing a hard \
thing (token validation, retries, telemetry). Each team that uses the library directly \
rebuilds that thing, with its own bugs, and blocks the platform from upgrading or replacing \
the library.",
        example: "    [capabilities.identity]\n    kind = \"platform\"\n    wraps = [\"jsonwebtoken\"]\n\n    # checkout-svc/Cargo.toml\n    jsonwebtoken = \"9\"   <- checkout validates tokens itself",
        how_to_fix: "Use the wrapping capability's contract crate instead of the library. If it \
lacks what you need, ask its team to add it.",
        configuration: "`[capabilities.ID] wraps = [..]` in capgraph.toml (third-party crate \
names).",
    },
};

impl Rule for PlatformBypass {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        let normalize = |name: &str| name.replace('_', "-");
        for dep in &context.deps {
            let Node::External { name } = dep.to else {
                continue;
            };
            if !dep.ships() {
                continue;
            }
            for (id, capability) in &context.analysis.ownership.capabilities {
                if dep.from.capability.as_ref() == Some(id)
                    || !capability
                        .wraps
                        .iter()
                        .any(|wrapped| normalize(wrapped) == normalize(name))
                {
                    continue;
                }
                let instead = if capability.contracts.is_empty() {
                    format!("use what {id} offers instead")
                } else {
                    format!("use {id}'s {} instead", listing(&capability.contracts))
                };
                out.push(Draft {
                    message: format!(
                        "{} uses {name} directly, which {} wraps; {instead}",
                        context.describe_crate(dep.from),
                        context.describe_capability(id),
                    ),
                    location: Some(dep.location()),
                    from: Some(dep.from.id()),
                    to: Some(dep.to.id()),
                    teams: context.teams(&[dep.from.team.as_deref(), capability.team.as_deref()]),
                    related: dep.related(),
                    key: id.clone(),
                    ..Draft::default()
                });
            }
        }
    }
}
