//! BND001 contract-bypass: a crate depends on another capability's crate that is not one of
//! its contracts.

use super::listing;
use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct ContractBypass;

static META: RuleMeta = RuleMeta {
    id: "BND001",
    name: "contract-bypass",
    category: Category::Boundaries,
    default_severity: Severity::Error,
    params: &[],
    doc: RuleDoc {
        summary: "A crate depends on another capability's crate that is not one of its contracts.",
        what_it_does: "Checks every normal and build dependency between crates of two different \
capabilities: the crate depended on must be one of its capability's contracts (`contracts` in \
capgraph.toml, or `contract = true` in its `[package.metadata.capgraph]`). Dev-dependencies are \
not checked, since they do not ship. In zero-config mode no capability declares contracts and \
the rule stays silent.",
        why_is_this_bad: "Capabilities meet at contracts: interface crates with an owner, \
versioning and compatibility rules. A dependency on another team's internals couples the two \
teams' release trains: every refactoring inside payments can now break checkout, and payments \
cannot know it.",
        example: "    # domains/checkout/checkout-svc/Cargo.toml\n    [dependencies]\n    payments-core = { path = \"../../payments/payments-core\" }   <- internal to payments\n\n    # capgraph.toml\n    [capabilities.payments]\n    contracts = [\"payments-api\"]",
        how_to_fix: "Depend on the capability's contract crate instead. If what you need is not \
in the contract, ask the owning team to add it there (or to declare the crate a contract, if it \
is meant to be one). A dependency that must stay for now can be suppressed on its manifest line \
with `# capgraph: allow(BND001) reason: ...`.",
        configuration: "`[capabilities.ID] contracts = [..]` in capgraph.toml, or \
`[package.metadata.capgraph] contract = true` in the contract's Cargo.toml.",
    },
};

impl Rule for ContractBypass {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        if context.zero_config() {
            return;
        }
        for dep in &context.deps {
            let Some(to) = dep.to_crate() else { continue };
            let (Some(from_capability), Some(to_capability)) =
                (&dep.from.capability, &to.capability)
            else {
                continue;
            };
            if !dep.ships() || from_capability == to_capability || to.contract {
                continue;
            }
            let contracts: Vec<&str> = context
                .graph
                .crates()
                .filter(|c| c.contract && c.capability.as_ref() == Some(to_capability))
                .map(|c| c.name.as_str())
                .collect();
            let advice = if contracts.is_empty() {
                format!(
                    "{to_capability} declares no contract crate: ask its team to publish one \
                     (`contracts` in capgraph.toml) and depend on that"
                )
            } else {
                format!("depend on its contract {} instead", listing(&contracts))
            };
            out.push(Draft {
                message: format!(
                    "{} depends on {}, which is internal to {}; {advice}",
                    context.describe_crate(dep.from),
                    to.name,
                    context.describe_capability(to_capability),
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
