//! BND003 forbidden-dependency: a dependency matches a user `[[rules.forbid]]` entry.

use crate::config::CapabilityKind;
use crate::model::{CrateNode, Node};
use crate::rules::config::Selector;
use crate::rules::{
    Category, Context, Draft, Level, Rule, RuleDoc, RuleMeta, RuleSettings, Severity,
};
use globset::{Glob, GlobSet, GlobSetBuilder};

pub struct ForbiddenDependency;

static META: RuleMeta = RuleMeta {
    id: "BND003",
    name: "forbidden-dependency",
    category: Category::Boundaries,
    default_severity: Severity::Error,
    params: &[],
    doc: RuleDoc {
        summary: "A dependency matches a `[[rules.forbid]]` entry of capgraph.toml.",
        what_it_does: "Checks every crate dependency against the organization's own rules, \
written as `[[rules.forbid]]` entries in the spirit of dependency-cruiser's `forbidden`: a \
dependency from a crate matching `from` to a crate matching `to` is reported with the entry's \
name and reason. Selectors match by `capability`, `team` and `crate` (globs, a string or an \
array) and by capability `kind` (`product` or `platform`); all keys given must match, and `to` \
may name third-party crates by `crate`. `dep_kinds` (default `[\"normal\", \"build\"]`) limits \
the dependency kinds checked; `severity` overrides the rule's.",
        why_is_this_bad: "Each entry records a decision the organization made (a crate being \
retired, a library banned, a direction not to take); a dependency that breaks it undoes that \
decision quietly.",
        example: "    [[rules.forbid]]\n    name = \"no-legacy\"\n    from = { kind = \"product\" }\n    to = { crate = \"legacy-*\" }\n    reason = \"legacy is being retired\"",
        how_to_fix: "Remove the dependency (the entry's reason says what to use instead), or \
change the entry if the decision changed.",
        configuration: "`[[rules.forbid]]` entries: `name` (required), `from`, `to` (selectors \
with `capability`, `team`, `crate`, `kind`), `reason`, `severity`, `dep_kinds`.",
    },
};

/// A selector with its globs compiled.
struct Compiled {
    capability: Option<GlobSet>,
    team: Option<GlobSet>,
    krate: Option<GlobSet>,
    kind: Option<CapabilityKind>,
}

impl Compiled {
    fn new(selector: &Selector) -> Compiled {
        let set = |globs: &[String]| -> Option<GlobSet> {
            if globs.is_empty() {
                return None;
            }
            let mut builder = GlobSetBuilder::new();
            for glob in globs {
                // Globs were checked when the config was read.
                if let Ok(glob) = Glob::new(glob) {
                    builder.add(glob);
                }
            }
            builder.build().ok()
        };
        Compiled {
            capability: set(&selector.capability),
            team: set(&selector.team),
            krate: set(&selector.krate),
            kind: selector.kind,
        }
    }

    fn matches(&self, context: &Context, node: &Node) -> bool {
        let matches = |set: &Option<GlobSet>, value: Option<&str>| match set {
            None => true,
            Some(set) => value.is_some_and(|v| set.is_match(v)),
        };
        match node {
            Node::Crate(krate) => self.matches_crate(context, krate, matches),
            Node::External { name } => {
                self.capability.is_none()
                    && self.team.is_none()
                    && self.kind.is_none()
                    && matches(&self.krate, Some(name))
            }
            _ => false,
        }
    }

    fn matches_crate(
        &self,
        context: &Context,
        krate: &CrateNode,
        matches: impl Fn(&Option<GlobSet>, Option<&str>) -> bool,
    ) -> bool {
        let kind = krate
            .capability
            .as_deref()
            .and_then(|c| context.capability(c))
            .map(|c| c.kind);
        matches(&self.capability, krate.capability.as_deref())
            && matches(&self.team, krate.team.as_deref())
            && matches(&self.krate, Some(&krate.name))
            && self.kind.is_none_or(|wanted| kind == Some(wanted))
    }
}

impl Rule for ForbiddenDependency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, _: &RuleSettings, out: &mut Vec<Draft>) {
        for entry in context.forbid {
            let severity = match entry.level {
                Some(Level::Off) => continue,
                Some(Level::On(severity)) => Some(severity),
                None => None,
            };
            let from = Compiled::new(&entry.from);
            let to = Compiled::new(&entry.to);
            for dep in &context.deps {
                if !entry.dep_kinds.contains(&dep.edge.kind)
                    || !from.matches_crate(context, dep.from, |set, value| match set {
                        None => true,
                        Some(set) => value.is_some_and(|v| set.is_match(v)),
                    })
                    || !to.matches(context, dep.to)
                {
                    continue;
                }
                let reason = entry
                    .reason
                    .as_ref()
                    .map(|reason| format!(": {reason}"))
                    .unwrap_or_default();
                let target = match dep.to_crate() {
                    Some(krate) => context.describe_crate(krate),
                    None => format!("{} (third-party)", dep.to.name()),
                };
                out.push(Draft {
                    message: format!(
                        "{} depends on {target}, which `{}` ({}) forbids{reason}",
                        context.describe_crate(dep.from),
                        entry.name,
                        entry.origin,
                    ),
                    location: Some(dep.location()),
                    from: Some(dep.from.id()),
                    to: Some(dep.to.id()),
                    teams: context.teams(&[
                        dep.from.team.as_deref(),
                        dep.to_crate().and_then(|c| c.team.as_deref()),
                    ]),
                    related: dep.related(),
                    key: format!("{}/{}", entry.name, dep.edge.kind.fingerprint_name()),
                    severity,
                    ..Draft::default()
                });
            }
        }
    }
}
