//! OWN001 unowned-crate: a crate (and so any service built from it) that no team owns.

use super::Text;
use crate::model::ownership::OwnershipProblem;
use crate::rules::{Category, Context, Draft, Rule, RuleDoc, RuleMeta, RuleSettings, Severity};

pub struct UnownedCrate;

pub(super) static META: RuleMeta = RuleMeta {
    id: "OWN001",
    name: "unowned-crate",
    category: Category::Ownership,
    default_severity: Severity::Warning,
    params: &[],
    doc: RuleDoc {
        summary: "A crate (or the service built from it) has no owning team.",
        what_it_does: "Reports every scanned crate that no ownership source assigns to a team: no \
capgraph.toml `crates` or `paths` entry, no `[package.metadata.capgraph]`, no Backstage \
catalog-info.yaml and no CODEOWNERS line covers it, or the one that does names an owner that is \
no team. When there is no capgraph.toml and no ownership source at all (no CODEOWNERS, catalog \
file or Cargo metadata anywhere), it reports that once for the organization, at the \
capgraph.toml `capgraph init` would write, instead of once per crate.",
        why_is_this_bad: "Code nobody owns is code nobody reviews, upgrades or answers the pager \
for. Its dependencies cannot be judged either: capgraph cannot tell whether a dependency on it \
crosses a team boundary, so every rule about boundaries is blind to it.",
        example: "    # CODEOWNERS covers domains/ but not tools/\n    /domains/checkout/ @acme/orders-team\n\n    tools/price-import/Cargo.toml   <- no owner",
        how_to_fix: "Give the crate an owner where your organization keeps ownership: add its \
directory to a capability's `paths` in capgraph.toml, add a CODEOWNERS line, or set \
`[package.metadata.capgraph] capability = \"..\"` in its Cargo.toml. `capgraph owners --explain \
CRATE` shows which sources were consulted.",
        configuration: "",
    },
};

impl Rule for UnownedCrate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        super::report_problems(context, word, out);
    }
}

/// The problems that leave a crate without an owning team.
pub(super) fn word(problem: &OwnershipProblem) -> Option<Text> {
    let text = match problem {
        OwnershipProblem::NoSource { krate, dir, .. } => {
            let dir = if dir.is_empty() { "." } else { dir };
            Text::plain(format!(
                "crate `{krate}` has no owning team: no capgraph.toml capability, Cargo metadata, \
                 catalog entry or CODEOWNERS pattern covers `{dir}`"
            ))
        }
        OwnershipProblem::NoOwnershipSources {
            crates, codeowners, ..
        } if codeowners.is_empty() => Text::plain(format!(
            "no team owns any of the {crates} crates: the scanned repositories have no \
             CODEOWNERS file, catalog-info.yaml or `[package.metadata.capgraph]`, and there is \
             no capgraph.toml; run `capgraph init` to write a starter capgraph.toml, or add a \
             CODEOWNERS file"
        )),
        OwnershipProblem::NoOwnershipSources {
            crates, codeowners, ..
        } => Text::plain(format!(
            "no team owns any of the {crates} crates: no rule of {} names an owner of a crate's \
             directory, no catalog-info.yaml or `[package.metadata.capgraph]` names one, and \
             there is no capgraph.toml; run `capgraph init` to write a starter capgraph.toml, \
             or add CODEOWNERS rules for the crates",
            codeowners.join(", ")
        )),
        OwnershipProblem::NoKnownTeam { krate, claims } => Text::quoting(|place| {
            let reasons: Vec<String> = claims
                .iter()
                .map(|claim| {
                    format!(
                        "matched by {} {} (`{}`), but it {}",
                        claim.source.describe(),
                        place(&claim.origin),
                        claim.statement,
                        claim.why_no_team()
                    )
                })
                .collect();
            format!("crate `{krate}` has no owning team: {}", reasons.join("; "))
        }),
        OwnershipProblem::CapabilityWithoutTeam {
            krate, capability, ..
        } => Text::plain(format!(
            "crate `{krate}` belongs to capability `{}`, which has no team",
            capability.as_deref().unwrap_or("?")
        )),
        _ => return None,
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{at, claim};
    use super::*;
    use crate::model::ownership::SourceKind;

    #[test]
    fn the_key_quotes_the_matching_sources_without_their_lines() {
        let problem = OwnershipProblem::NoKnownTeam {
            krate: "a".into(),
            claims: vec![
                claim(SourceKind::Catalog, at("r/a/catalog-info.yaml", 12), None),
                claim(SourceKind::Codeowners, at("r/CODEOWNERS", 34), None),
            ],
        };
        let text = word(&problem).unwrap();
        assert!(
            text.message.contains("r/a/catalog-info.yaml:12 ("),
            "{}",
            text.message
        );
        assert!(
            text.message.contains("r/CODEOWNERS:34 ("),
            "{}",
            text.message
        );
        assert_eq!(text.key, text.message.replace(":12", "").replace(":34", ""));
        assert!(!text.key.contains(":12") && !text.key.contains(":34"));
    }
}
