//! OWN rules: who owns what. The ownership stage of the model records each problem as a typed
//! fact ([`OwnershipProblem`]); each rule here reports the kinds that are its own, in its own
//! words, with a fingerprint key built from the problem's fields.

pub mod conflicting_owners;
pub mod split_crate;
pub mod stale_ownership_rule;
pub mod unknown_owner;
pub mod unowned_crate;

use super::{Context, Draft, Location, RuleMeta};
use crate::config::Origin;
use crate::core::NodeId;
use crate::model::ownership::OwnershipProblem;

/// What a rule says about one problem.
struct Text {
    message: String,
    /// What tells the problem apart in its fingerprint: the message without the line
    /// numbers of the places it quotes, so that it does not move when lines do.
    key: String,
}

impl Text {
    /// A message that quotes no place is its own key.
    fn plain(message: String) -> Text {
        Text {
            key: message.clone(),
            message,
        }
    }

    /// A message that quotes places: written twice from the same sentence, with their lines
    /// for people and without them for the key.
    fn quoting(sentence: impl Fn(Place) -> String) -> Text {
        Text {
            message: sentence(with_line),
            key: sentence(without_line),
        }
    }
}

/// How a sentence quotes a place.
type Place = fn(&Origin) -> String;

fn with_line(origin: &Origin) -> String {
    origin.to_string()
}

fn without_line(origin: &Origin) -> String {
    origin.file.clone()
}

/// How a rule words the problems that are its own: `None` for the others'.
type Wording = fn(&OwnershipProblem) -> Option<Text>;

/// The OWN rules, each with its wording.
static RULES: [(&RuleMeta, Wording); 5] = [
    (&unowned_crate::META, unowned_crate::word),
    (&conflicting_owners::META, conflicting_owners::word),
    (&unknown_owner::META, unknown_owner::word),
    (&stale_ownership_rule::META, stale_ownership_rule::word),
    (&split_crate::META, split_crate::word),
];

/// The findings of one OWN rule: the problems it words.
fn report_problems(context: &Context, word: Wording, out: &mut Vec<Draft>) {
    for problem in &context.analysis.ownership.problems {
        let Some(text) = word(problem) else {
            continue;
        };
        let krate = problem.krate();
        out.push(Draft {
            message: text.message,
            location: Some(location_of(context, problem.location())),
            from: krate.map(|name| NodeId::Crate(name.to_string())),
            teams: krate
                .and_then(|name| context.graph.crate_named(name))
                .map(|k| k.owners.clone())
                .unwrap_or_default(),
            key: text.key,
            ..Draft::default()
        });
    }
}

/// An ownership problem as its rule reports it, for `capgraph owners`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worded {
    /// The rule id (`OWN001`...).
    pub rule: &'static str,
    /// The rule's kebab-case name.
    pub name: &'static str,
    pub message: String,
    /// The fingerprint key (the message without line numbers).
    pub key: String,
    /// `repo/path:line` where the fix goes.
    pub location: Origin,
    /// The crate concerned, if any.
    pub krate: Option<String>,
}

/// The problems as their rules report them, by rule, then location, then message.
pub fn worded(problems: &[OwnershipProblem]) -> Vec<Worded> {
    let mut worded: Vec<Worded> = problems.iter().map(word).collect();
    worded
        .sort_by(|a, b| (a.rule, &a.location, &a.message).cmp(&(b.rule, &b.location, &b.message)));
    worded.dedup();
    worded
}

fn word(problem: &OwnershipProblem) -> Worded {
    let (meta, text) = RULES
        .iter()
        .find_map(|(meta, word)| Some((*meta, word(problem)?)))
        .expect("every kind of ownership problem is worded by one OWN rule");
    Worded {
        rule: meta.id,
        name: meta.name,
        message: text.message,
        key: text.key,
        location: problem.location().clone(),
        krate: problem.krate().map(str::to_string),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ownership::{Claim, FileShare, SourceKind};

    pub(super) fn at(file: &str, line: u32) -> Origin {
        Origin {
            file: file.to_string(),
            line,
        }
    }

    pub(super) fn claim(source: SourceKind, origin: Origin, team: Option<&str>) -> Claim {
        Claim {
            source,
            origin,
            statement: "statement".to_string(),
            capability: None,
            team: team.map(str::to_string),
            owners: team.iter().map(|t| t.to_string()).collect(),
            maintainers: Vec::new(),
            unknown: Vec::new(),
        }
    }

    /// One problem of each kind, those about one crate first.
    fn one_of_each() -> Vec<OwnershipProblem> {
        use OwnershipProblem::*;
        let krate = || "a".to_string();
        let here = || at("r/x", 3);
        let mut problems = vec![
            NoOwnershipSources {
                crates: 2,
                codeowners: Vec::new(),
                location: at("r/capgraph.toml", 0),
            },
            NoSource {
                krate: krate(),
                dir: String::new(),
                manifest: here(),
            },
            NoKnownTeam {
                krate: krate(),
                claims: vec![claim(SourceKind::Codeowners, here(), None)],
            },
            CapabilityWithoutTeam {
                krate: krate(),
                capability: None,
                decided: here(),
            },
            ListedTwice {
                krate: krate(),
                listings: vec![("c".into(), here()), ("d".into(), at("r/x", 4))],
            },
            TeamsDisagree {
                krate: krate(),
                decided: claim(SourceKind::ConfigPaths, here(), Some("t")),
                team_name: "T".into(),
                other: claim(SourceKind::Codeowners, at("r/y", 2), Some("u")),
                other_team_name: "U".into(),
            },
            CapabilitiesDisagree {
                krate: krate(),
                decided: claim(SourceKind::ConfigPaths, here(), Some("t")),
                capability: "c".into(),
                other: claim(SourceKind::Catalog, at("r/y", 2), Some("t")),
                other_capability: "d".into(),
            },
        ];
        problems.extend(references_and_files(here));
        problems.iter().for_each(listed);
        problems
    }

    fn references_and_files(here: fn() -> Origin) -> Vec<OwnershipProblem> {
        use OwnershipProblem::*;
        vec![
            UndeclaredTeam {
                capability: "c".into(),
                team: "t".into(),
                origin: here(),
            },
            UndeclaredDependency {
                capability: "c".into(),
                dependency: "d".into(),
                origin: here(),
            },
            UnknownMetadataCapability {
                krate: "a".into(),
                capability: "c".into(),
                origin: here(),
            },
            UnknownMetadataTeam {
                krate: "a".into(),
                team: "t".into(),
                origin: here(),
            },
            UnknownSystem {
                component: "a".into(),
                system: "s".into(),
                origin: here(),
            },
            UnknownOwner {
                handle: "@o/t".into(),
                origin: here(),
            },
            AmbiguousOwner {
                handle: "t".into(),
                name: "t".into(),
                teams: vec!["t".into(), "u".into()],
                origin: here(),
            },
            StalePattern {
                repo: "r".into(),
                pattern: "/p/".into(),
                origin: here(),
            },
            StaleGlob {
                capability: "c".into(),
                glob: "p/**".into(),
                valid: true,
                origin: here(),
            },
            StaleCrateListing {
                capability: "c".into(),
                name: "n".into(),
                origin: here(),
            },
            SplitCrate {
                krate: "a".into(),
                team: None,
                shares: vec![FileShare {
                    team: "t".into(),
                    files: 1,
                    example: "src/lib.rs".into(),
                }],
                manifest: here(),
            },
        ]
    }

    /// Fails to compile when a kind of problem is added, until it is added to
    /// [`one_of_each`] and so covered by the test below.
    fn listed(problem: &OwnershipProblem) {
        use OwnershipProblem::*;
        match problem {
            NoSource { .. }
            | NoOwnershipSources { .. }
            | NoKnownTeam { .. }
            | CapabilityWithoutTeam { .. }
            | ListedTwice { .. }
            | TeamsDisagree { .. }
            | CapabilitiesDisagree { .. }
            | UndeclaredTeam { .. }
            | UndeclaredDependency { .. }
            | UnknownMetadataCapability { .. }
            | UnknownMetadataTeam { .. }
            | UnknownSystem { .. }
            | UnknownOwner { .. }
            | AmbiguousOwner { .. }
            | StalePattern { .. }
            | StaleGlob { .. }
            | StaleCrateListing { .. }
            | SplitCrate { .. } => {}
        }
    }

    #[test]
    fn every_kind_of_problem_is_worded_by_exactly_one_rule() {
        for problem in one_of_each() {
            let rules: Vec<&str> = RULES
                .iter()
                .filter(|(_, word)| word(&problem).is_some())
                .map(|(meta, _)| meta.id)
                .collect();
            assert_eq!(rules.len(), 1, "{problem:?}: {rules:?}");
        }
    }
}
