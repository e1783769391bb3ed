//! CPL003 cross-team-coupling: too large a share of a team's dependencies cross to other
//! teams.

use super::percent;
use crate::core::NodeId;
use crate::rules::boundaries::listing;
use crate::rules::ownership::location_of;
use crate::rules::{
    Category, Context, Draft, Param, Rule, RuleDoc, RuleMeta, RuleSettings, Severity,
};
use std::collections::BTreeMap;

pub struct CrossTeamCoupling;

static META: RuleMeta = RuleMeta {
    id: "CPL003",
    name: "cross-team-coupling",
    category: Category::Coupling,
    default_severity: Severity::Warning,
    params: &[
        Param {
            name: "max_ratio",
            default: 0.6,
            integer: false,
            max: Some(1.0),
            doc: "the largest share (0 to 1) of a team's crate dependencies that may go to other teams",
        },
        Param {
            name: "min_dependencies",
            default: 4.0,
            integer: true,
            max: None,
            doc: "teams with fewer crate dependencies than this are not judged",
        },
    ],
    doc: RuleDoc {
        summary: "Too large a share of a team's dependencies go to other teams' crates.",
        what_it_does: "For each team, counts the normal and build dependencies of its crates on \
other scanned crates and how many of them go to crates of another team, and reports teams \
whose share is above `max_ratio` (teams with fewer than `min_dependencies` are not judged), \
with the teams depended on. A crate the team co-owns is not another team's; \
dependencies on crates of no team are counted apart and judged by neither side.",
        why_is_this_bad: "A team that mostly builds on other teams' code cannot deliver on its \
own: its work queues behind theirs. It is the sign of a boundary drawn in the wrong place.",
        example: "    team orders: 7 of its 9 crate dependencies (78%) go to other teams (max 60%)",
        how_to_fix: "Move the crates the team relies on most into its ownership, merge them \
behind one contract, or redraw the boundary (`capgraph whatif` shows the effect of a move).",
        configuration: "`[rules.CPL003] max_ratio = 0.6, min_dependencies = 4` (strict: 0.4 and 3).",
    },
};

impl Rule for CrossTeamCoupling {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, context: &Context, settings: &RuleSettings, out: &mut Vec<Draft>) {
        let max_ratio = settings.param("max_ratio");
        let min_dependencies = settings.param("min_dependencies");
        let team_deps = context.team_deps();
        for (team, metrics) in &context.metrics.teams {
            let Some(ratio) = metrics.cross_team_ratio else {
                continue;
            };
            if f64::from(metrics.dependencies) < min_dependencies || ratio <= max_ratio + 1e-9 {
                continue;
            }
            let mut by_team: BTreeMap<&str, usize> = BTreeMap::new();
            for ((from, to), deps) in &team_deps {
                if from == team {
                    *by_team.entry(to).or_default() += deps.len();
                }
            }
            let parts: Vec<String> = by_team
                .iter()
                .map(|(to, count)| format!("{to} {count}"))
                .collect();
            out.push(Draft {
                message: format!(
                    "team {team}: {} of its {} crate dependencies ({}) go to other teams' crates \
                     (max {}): {}; move what it relies on most into its ownership or behind one \
                     contract",
                    metrics.cross_team_dependencies,
                    metrics.dependencies,
                    percent(ratio),
                    percent(max_ratio),
                    listing(&parts),
                ),
                location: context
                    .analysis
                    .ownership
                    .teams
                    .get(team)
                    .and_then(|t| t.origin.as_ref())
                    .map(|origin| location_of(context, origin)),
                from: Some(NodeId::Team(team.clone())),
                teams: vec![team.clone()],
                key: String::new(),
                metrics: [
                    ("ratio", ratio),
                    ("max_ratio", max_ratio),
                    ("dependencies", f64::from(metrics.dependencies)),
                    (
                        "cross_team_dependencies",
                        f64::from(metrics.cross_team_dependencies),
                    ),
                ]
                .into_iter()
                .collect(),
                ..Draft::default()
            });
        }
    }
}
