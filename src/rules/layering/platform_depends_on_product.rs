//! LAY001 platform-depends-on-product: a platform capability depends on a product one.

use crate::config::CapabilityKind;
use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct PlatformDependsOnProduct;

static META: RuleMeta = RuleMeta {
    id: "LAY001",
    name: "platform-depends-on-product",
    category: Category::Layering,
    default_severity: Severity::Error,
    params: &[],
    doc: RuleDoc {
        summary: "A platform capability depends on a product capability.",
        what_it_does: "Reports every normal or build dependency from a crate of a platform \
capability (`kind = \"platform\"`) to a crate of a product capability.",
        why_is_this_bad: "Platform capabilities are products offered to every team; product \
depends on platform, never the reverse. A platform crate that depends on one product \
capability drags that capability into every other team's build and makes the platform team \
answer for another team's changes.",
        example: "    # platform/observability/telemetry/Cargo.toml\n    checkout-api = { path = \"../../../domains/checkout/checkout-api\" }",
        how_to_fix: "Invert the dependency: define the interface in the platform crate and let \
the product capability implement or call it, or move the shared piece into a platform crate.",
        configuration: "`[capabilities.ID] kind = \"platform\"` in capgraph.toml marks platform \
capabilities.",
    },
};

impl Rule for PlatformDependsOnProduct {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        let kind = |id: &Option<String>| {
            id.as_deref()
                .and_then(|id| context.capability(id))
                .map(|c| c.kind)
        };
        for dep in &context.deps {
            let Some(to) = dep.to_crate() else { continue };
            if !dep.ships()
                || kind(&dep.from.capability) != Some(CapabilityKind::Platform)
                || kind(&to.capability) != Some(CapabilityKind::Product)
            {
                continue;
            }
            let (Some(from_capability), Some(to_capability)) =
                (&dep.from.capability, &to.capability)
            else {
                continue;
            };
            out.push(Draft {
                message: format!(
                    "platform capability {} depends on product capability {}: {} -> {}; \
                     define what {from_capability} needs as an interface of its own that \
                     {to_capability} implements or feeds, or move the shared part into a \
                     platform crate",
                    context.describe_capability(from_capability),
                    context.describe_capability(to_capability),
                    dep.from.name,
                    to.name,
                ),
                location: Some(dep.location()),
                from: Some(dep.from.id()),
                to: Some(to.id()),
                teams: context.teams(&[dep.from.team.as_deref(), to.team.as_deref()]),
                related: dep.related(),
                key: dep.edge.kind.fingerprint_name().to_string(),
                ..Draft::default()
            });
        }
    }
}
