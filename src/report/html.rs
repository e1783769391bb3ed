//! The HTML report: one self-contained page (inline CSS and JS, no request of any kind) that
//! an architecture review can use on its own — summary, design structure matrices, the
//! capability and service maps, the findings with their rules' documentation, one section per
//! team and capability, and the ownership gaps. Built from the model and the findings with
//! askama (`templates/report.html`), which escapes every string; data for the page's script
//! is JSON with `<`, `>` and `&` escaped so that it cannot end its `<script>` element.

use super::findings::PathStyle;
use super::layout::{self, LayoutEdge, LayoutNode};
use crate::Analysis;
use crate::config::CapabilityKind;
use crate::extract::DepKind;
use crate::model::metrics::{self, UnitMetrics};
use crate::model::services::{RuntimeKind, RuntimeNode};
use crate::model::{CrateNode, Node};
use crate::rules::{Finding, Findings, REGISTRY, Settings};
use askama::Template;
use std::collections::{BTreeMap, BTreeSet};

/// How many lines a cell, an edge or a section lists before saying how many more there are.
const MAX_LISTED: usize = 40;

#[derive(Template)]
#[template(path = "report.html")]
pub struct ReportPage {
    pub title: String,
    pub generated: Option<String>,
    pub pack: String,
    pub summary: SummaryView,
    /// Team × team, then capability × capability.
    pub dsms: Vec<Dsm>,
    /// The capability map, then the service map: (section id, heading, drawing).
    pub maps: Vec<(String, String, Drawing)>,
    pub findings: Vec<FindingRow>,
    pub severities: Vec<String>,
    pub rule_ids: Vec<String>,
    pub team_ids: Vec<String>,
    pub capability_ids: Vec<String>,
    pub rules: Vec<RuleView>,
    /// Teams, then capabilities: (section id, heading, units).
    pub unit_groups: Vec<(String, String, Vec<UnitView>)>,
    pub unowned: Vec<String>,
    pub ownership_findings: Vec<FindingRow>,
    /// Details behind the matrix cells, for the page's script (escaped JSON).
    pub data_json: String,
}

pub struct SummaryView {
    pub repos: usize,
    pub teams: usize,
    pub capabilities: usize,
    pub crates: usize,
    pub services: usize,
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub suppressed: usize,
    pub by_category: Vec<(String, usize)>,
    pub worst_pairs: Vec<PairView>,
}

pub struct PairView {
    pub a: String,
    pub b: String,
    pub findings: usize,
    pub crate_deps: u32,
    pub calls: u32,
}

/// A design structure matrix: rows depend on columns; dependencies come first, so marks above
/// the diagonal are cycles.
pub struct Dsm {
    pub level: String,
    pub labels: Vec<String>,
    pub rows: Vec<DsmRow>,
}

pub struct DsmRow {
    pub label: String,
    pub cells: Vec<DsmCell>,
}

pub struct DsmCell {
    pub class: String,
    pub from: String,
    pub to: String,
    pub deps: u32,
    pub calls: u32,
    pub topics: u32,
    pub title: String,
}

pub struct Drawing {
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<DrawNode>,
    pub edges: Vec<DrawEdge>,
}

pub struct DrawNode {
    pub id: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub label: String,
    pub sublabel: String,
    pub fill: String,
    pub class: String,
    pub team: String,
    pub title: String,
}

pub struct DrawEdge {
    pub d: String,
    pub class: String,
    pub title: String,
}

#[derive(Clone)]
pub struct FindingRow {
    pub anchor: String,
    pub severity: String,
    pub rule: String,
    pub name: String,
    pub place: String,
    pub message: String,
    pub teams: String,
    pub capabilities: String,
}

pub struct RuleView {
    pub id: String,
    pub name: String,
    pub category: String,
    pub severity: String,
    pub summary: String,
    pub what_it_does: String,
    pub why_is_this_bad: String,
    pub example: String,
    pub how_to_fix: String,
    pub configuration: String,
    pub findings: usize,
}

pub struct UnitView {
    pub anchor: String,
    pub id: String,
    pub heading: String,
    pub kind: String,
    pub team: String,
    pub crates: Vec<String>,
    pub services: Vec<String>,
    pub contracts: Vec<String>,
    pub metrics: Vec<(String, String)>,
    /// ("Depends on", lines), ("Depended on by", lines).
    pub relations: Vec<(String, Vec<PairLine>)>,
    /// The most severe findings (at most `UNIT_FINDINGS`); the table has them all.
    pub findings: Vec<FindingRow>,
    pub findings_total: usize,
    /// Findings per rule, for the line above the list.
    pub by_rule: Vec<(String, usize)>,
    /// `team` or `capability`: which filter of the findings table the section links to.
    pub filter: String,
}

/// How many findings a team or capability section lists; the findings table, filtered to
/// it by one click, shows the rest (a large organization has thousands).
const UNIT_FINDINGS: usize = 10;

pub struct PairLine {
    pub other: String,
    pub crate_deps: u32,
    pub refs: u32,
    pub calls: u32,
    pub topics: u32,
}

/// What connects one unit to another, with the lines behind it.
#[derive(Default)]
struct PairStats {
    crate_deps: u32,
    refs: u32,
    calls: u32,
    topics: BTreeSet<String>,
    details: Vec<String>,
}

/// Builds the page. `generated` is the timestamp to show, if any (the report has none
/// unless one is asked for, so that the same input gives the same bytes).
pub fn build(
    analysis: &Analysis,
    findings: &Findings,
    settings: &Settings,
    paths: &PathStyle,
    generated: Option<String>,
) -> ReportPage {
    let graph = &analysis.graph;
    let metrics = metrics::compute(graph, &analysis.services);
    let teams: Vec<String> = analysis.ownership.teams.keys().cloned().collect();
    let capabilities: Vec<String> = analysis.ownership.capabilities.keys().cloned().collect();
    let team_pairs = unit_pairs(analysis, paths, |c| c.team.clone(), |s| s.team.clone());
    let capability_pairs = unit_pairs(
        analysis,
        paths,
        |c| c.capability.clone(),
        |s| s.capability.clone(),
    );

    let capability_of_node = |id: &str| -> Option<String> {
        let (kind, name) = id.split_once(':')?;
        match kind {
            "capability" => Some(name.to_string()),
            "crate" => graph.crate_named(name)?.capability.clone(),
            "service" => analysis
                .services
                .services()
                .find(|s| s.name == name)?
                .capability
                .clone(),
            _ => None,
        }
    };
    let row = |finding: &Finding| -> FindingRow {
        let mut caps: Vec<String> = [&finding.from, &finding.to]
            .into_iter()
            .flatten()
            .filter_map(|id| capability_of_node(id))
            .collect();
        caps.dedup();
        FindingRow {
            anchor: format!("f-{}", finding.fingerprint),
            severity: finding.severity.as_str().to_string(),
            rule: finding.rule.to_string(),
            name: finding.name.to_string(),
            place: finding
                .location
                .as_ref()
                .map(|l| paths.place(l))
                .unwrap_or_default(),
            message: finding.message.clone(),
            teams: finding.teams.join(" "),
            capabilities: caps.join(" "),
        }
    };
    let rows: Vec<FindingRow> = findings.findings.iter().map(row).collect();

    // Pairs of units that findings are about, to highlight their edges on the maps.
    let mut flagged_capabilities: BTreeSet<(String, String)> = BTreeSet::new();
    let mut flagged_services: BTreeSet<(String, String)> = BTreeSet::new();
    for finding in &findings.findings {
        let (Some(from), Some(to)) = (&finding.from, &finding.to) else {
            continue;
        };
        if let (Some(a), Some(b)) = (capability_of_node(from), capability_of_node(to)) {
            flagged_capabilities.insert((a, b));
        }
        if let (Some(a), Some(b)) = (from.strip_prefix("service:"), to.strip_prefix("service:")) {
            flagged_services.insert((a.to_string(), b.to_string()));
        }
    }

    let summary = summary(analysis, findings, &team_pairs);
    let team_dsm = dsm("team", &teams, &team_pairs);
    let capability_dsm = dsm("capability", &capabilities, &capability_pairs);
    let capability_map = capability_drawing(analysis, &capability_pairs, &flagged_capabilities);
    let service_map = service_drawing(analysis, &flagged_services);

    let mut cells = serde_json::Map::new();
    for (level, pairs) in [("team", &team_pairs), ("capability", &capability_pairs)] {
        let mut by_pair = serde_json::Map::new();
        for ((from, to), stats) in pairs {
            by_pair.insert(format!("{from}\u{2192}{to}"), stats.details.clone().into());
        }
        cells.insert(level.to_string(), by_pair.into());
    }
    let data_json = script_json(&serde_json::Value::Object(
        [("cells".to_string(), serde_json::Value::Object(cells))]
            .into_iter()
            .collect(),
    ));

    let rules = REGISTRY
        .iter()
        .map(|rule| {
            let meta = rule.meta();
            RuleView {
                id: meta.id.to_string(),
                name: meta.name.to_string(),
                category: meta.category.as_str().to_string(),
                severity: settings
                    .rule(meta.id)
                    .map_or("off", |r| r.severity.as_str())
                    .to_string(),
                summary: meta.doc.summary.to_string(),
                what_it_does: meta.doc.what_it_does.to_string(),
                why_is_this_bad: meta.doc.why_is_this_bad.to_string(),
                example: meta.doc.example.to_string(),
                how_to_fix: meta.doc.how_to_fix.to_string(),
                configuration: meta.doc.configuration.to_string(),
                findings: findings
                    .findings
                    .iter()
                    .filter(|f| f.rule == meta.id)
                    .count(),
            }
        })
        .collect();

    let team_views = teams
        .iter()
        .map(|id| {
            let team = &analysis.ownership.teams[id];
            let owned_capabilities: Vec<String> = analysis
                .ownership
                .capabilities
                .values()
                .filter(|c| c.team.as_ref() == Some(id))
                .map(|c| c.id.clone())
                .collect();
            let selected = select_findings(&rows, UNIT_FINDINGS, |r| {
                r.teams.split(' ').any(|t| t == id)
            });
            UnitView {
                anchor: format!("team-{id}"),
                id: id.clone(),
                heading: if team.name == *id {
                    format!("team {id}")
                } else {
                    format!("team {id} — {}", team.name)
                },
                kind: "team".to_string(),
                team: team.handles.join(", "),
                crates: crate_lines(graph.crates().filter(|c| c.team.as_ref() == Some(id))),
                services: service_lines(analysis, |s| s.team.as_ref() == Some(id)),
                contracts: owned_capabilities,
                metrics: metric_lines(metrics.teams.get(id)),
                relations: vec![
                    ("Depends on".to_string(), pair_lines(&team_pairs, id, true)),
                    (
                        "Depended on by".to_string(),
                        pair_lines(&team_pairs, id, false),
                    ),
                ],
                findings: selected.findings,
                findings_total: selected.total,
                by_rule: selected.by_rule,
                filter: "team".to_string(),
            }
        })
        .collect();
    let capability_views = capabilities
        .iter()
        .map(|id| {
            let capability = &analysis.ownership.capabilities[id];
            let selected = select_findings(&rows, UNIT_FINDINGS, |r| {
                r.capabilities.split(' ').any(|c| c == id)
            });
            UnitView {
                anchor: format!("capability-{id}"),
                id: id.clone(),
                heading: format!("capability {id}"),
                kind: capability.kind.as_str().to_string(),
                team: capability
                    .team
                    .clone()
                    .unwrap_or_else(|| "no team".to_string()),
                crates: crate_lines(graph.crates().filter(|c| c.capability.as_ref() == Some(id))),
                services: service_lines(analysis, |s| s.capability.as_ref() == Some(id)),
                contracts: capability.contracts.clone(),
                metrics: metric_lines(metrics.capabilities.get(id)),
                relations: vec![
                    (
                        "Depends on".to_string(),
                        pair_lines(&capability_pairs, id, true),
                    ),
                    (
                        "Depended on by".to_string(),
                        pair_lines(&capability_pairs, id, false),
                    ),
                ],
                findings: selected.findings,
                findings_total: selected.total,
                by_rule: selected.by_rule,
                filter: "capability".to_string(),
            }
        })
        .collect();

    let mut severities: Vec<String> = ["error", "warning", "info"]
        .into_iter()
        .filter(|s| rows.iter().any(|r| r.severity == *s))
        .map(String::from)
        .collect();
    severities.dedup();
    let rule_ids: BTreeSet<String> = rows.iter().map(|r| r.rule.clone()).collect();
    let ownership_findings =
        select_findings(&rows, usize::MAX, |r| r.rule.starts_with("OWN")).findings;
    ReportPage {
        title: analysis.config.org.clone().unwrap_or_else(|| {
            analysis
                .roots
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        }),
        generated,
        pack: settings.pack.clone(),
        summary,
        dsms: vec![team_dsm, capability_dsm],
        maps: vec![
            (
                "capability-map".into(),
                "Capability map".into(),
                capability_map,
            ),
            ("service-map".into(), "Service map".into(), service_map),
        ],
        findings: rows,
        severities,
        rule_ids: rule_ids.into_iter().collect(),
        team_ids: teams.clone(),
        capability_ids: capabilities.clone(),
        rules,
        unit_groups: vec![
            ("teams".into(), "Teams".into(), team_views),
            (
                "capabilities".into(),
                "Capabilities".into(),
                capability_views,
            ),
        ],
        unowned: graph
            .crates()
            .filter(|c| c.team.is_none())
            .map(|c| format!("{} ({}/{})", c.name, c.repo, c.manifest))
            .collect(),
        ownership_findings,
        data_json,
    }
}

/// JSON that is safe inside a `<script>` element: no `<`, `>` or `&` (so no `</script>` and
/// no `<!--`), and no line separators that older parsers treat as line ends.
pub fn script_json(value: &serde_json::Value) -> String {
    serde_json::to_string(value)
        .expect("JSON values serialize")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// What connects units (teams or capabilities) pairwise: crate dependencies that ship,
/// synchronous calls, and topics one publishes and the other subscribes to.
fn unit_pairs(
    analysis: &Analysis,
    paths: &PathStyle,
    crate_unit: impl Fn(&CrateNode) -> Option<String>,
    service_unit: impl Fn(&crate::model::services::ServiceNode) -> Option<String>,
) -> BTreeMap<(String, String), PairStats> {
    let mut pairs: BTreeMap<(String, String), PairStats> = BTreeMap::new();
    for (from, to, edge) in analysis.graph.edges_sorted() {
        let (Node::Crate(from), Node::Crate(to)) = (from, to) else {
            continue;
        };
        if edge.kind == DepKind::Dev {
            continue;
        }
        let (Some(a), Some(b)) = (crate_unit(from), crate_unit(to)) else {
            continue;
        };
        if a == b {
            continue;
        }
        let stats = pairs.entry((a, b)).or_default();
        stats.crate_deps += 1;
        stats.refs += edge.refs;
        if stats.details.len() < MAX_LISTED {
            let place = paths.place(&crate::rules::Location::new(
                &from.repo,
                &edge.declared_at.path,
                Some(edge.declared_at.line),
            ));
            stats.details.push(format!(
                "crate {} \u{2192} {} ({}, {} refs) at {place}",
                from.name,
                to.name,
                edge.kind.as_str(),
                edge.refs
            ));
        }
    }
    let mut publishers: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    let mut subscribers: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for (from, to, edge) in analysis.services.edges_sorted() {
        let RuntimeNode::Service(caller) = from else {
            continue;
        };
        match (edge.kind, to) {
            (RuntimeKind::Calls, RuntimeNode::Service(callee)) => {
                let (Some(a), Some(b)) = (service_unit(caller), service_unit(callee)) else {
                    continue;
                };
                if a == b {
                    continue;
                }
                let stats = pairs.entry((a, b)).or_default();
                stats.calls += 1;
                if stats.details.len() < MAX_LISTED {
                    let site = edge.sites.first().map(|s| {
                        format!(
                            " at {}",
                            paths.place(&crate::rules::Location::new(
                                &edge.repo,
                                &s.path,
                                Some(s.line)
                            ))
                        )
                    });
                    stats.details.push(format!(
                        "call {} \u{2192} {} ({} {}){}",
                        caller.name,
                        callee.name,
                        edge.protocol.unwrap_or("call"),
                        edge.endpoints.join(", "),
                        site.unwrap_or_default()
                    ));
                }
            }
            (RuntimeKind::Publishes, RuntimeNode::Topic(topic)) => {
                if let Some(unit) = service_unit(caller) {
                    publishers
                        .entry(topic.clone())
                        .or_default()
                        .insert((unit, caller.name.clone()));
                }
            }
            (RuntimeKind::Subscribes, RuntimeNode::Topic(topic)) => {
                if let Some(unit) = service_unit(caller) {
                    subscribers
                        .entry(topic.clone())
                        .or_default()
                        .insert((unit, caller.name.clone()));
                }
            }
            _ => {}
        }
    }
    for (topic, writers) in &publishers {
        for (reader_unit, reader) in subscribers.get(topic).into_iter().flatten() {
            for (writer_unit, writer) in writers {
                if writer_unit == reader_unit {
                    continue;
                }
                let stats = pairs
                    .entry((reader_unit.clone(), writer_unit.clone()))
                    .or_default();
                if stats.topics.insert(topic.clone()) && stats.details.len() < MAX_LISTED {
                    stats.details.push(format!(
                        "topic {topic}: {reader} subscribes, {writer} publishes"
                    ));
                }
            }
        }
    }
    pairs
}

fn summary(
    analysis: &Analysis,
    findings: &Findings,
    team_pairs: &BTreeMap<(String, String), PairStats>,
) -> SummaryView {
    let counts = findings.summary();
    let mut by_category: BTreeMap<&str, usize> = BTreeMap::new();
    let mut pair_findings: BTreeMap<(String, String), usize> = BTreeMap::new();
    for finding in &findings.findings {
        *by_category.entry(finding.category.as_str()).or_default() += 1;
        if let [a, b] = &finding.teams[..] {
            let key = if a < b {
                (a.clone(), b.clone())
            } else {
                (b.clone(), a.clone())
            };
            *pair_findings.entry(key).or_default() += 1;
        }
    }
    let mut pairs: BTreeMap<(String, String), PairView> = BTreeMap::new();
    for ((a, b), stats) in team_pairs {
        let key = if a < b {
            (a.clone(), b.clone())
        } else {
            (b.clone(), a.clone())
        };
        let entry = pairs.entry(key.clone()).or_insert_with(|| PairView {
            a: key.0.clone(),
            b: key.1.clone(),
            findings: 0,
            crate_deps: 0,
            calls: 0,
        });
        entry.crate_deps += stats.crate_deps;
        entry.calls += stats.calls;
    }
    for (key, count) in pair_findings {
        pairs
            .entry(key.clone())
            .or_insert_with(|| PairView {
                a: key.0.clone(),
                b: key.1.clone(),
                findings: 0,
                crate_deps: 0,
                calls: 0,
            })
            .findings = count;
    }
    let mut worst: Vec<PairView> = pairs.into_values().collect();
    worst.sort_by(|x, y| {
        (y.findings, y.crate_deps + y.calls)
            .cmp(&(x.findings, x.crate_deps + x.calls))
            .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
    });
    worst.truncate(5);
    SummaryView {
        repos: analysis.roots.len(),
        teams: analysis.ownership.teams.len(),
        capabilities: analysis.ownership.capabilities.len(),
        crates: analysis.graph.crates().count(),
        services: analysis
            .services
            .services()
            .filter(|s| !s.krate.is_empty())
            .count(),
        error: counts.error,
        warning: counts.warning,
        info: counts.info,
        suppressed: counts.suppressed,
        by_category: by_category
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        worst_pairs: worst,
    }
}

/// Orders units so that dependencies come before their dependents (strongly connected
/// components in topological order, members by id), and fills the matrix.
fn dsm(level: &str, units: &[String], pairs: &BTreeMap<(String, String), PairStats>) -> Dsm {
    use petgraph::graph::DiGraph;
    let mut graph: DiGraph<usize, ()> = DiGraph::new();
    let index: Vec<_> = (0..units.len()).map(|i| graph.add_node(i)).collect();
    let position: BTreeMap<&str, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.as_str(), i))
        .collect();
    for (from, to) in pairs.keys() {
        if let (Some(&a), Some(&b)) = (position.get(from.as_str()), position.get(to.as_str())) {
            graph.add_edge(index[a], index[b], ());
        }
    }
    // Tarjan yields components dependencies-first.
    let mut order: Vec<usize> = Vec::new();
    for mut component in petgraph::algo::tarjan_scc(&graph) {
        component.sort_by_key(|&n| graph[n]);
        order.extend(component.into_iter().map(|n| graph[n]));
    }
    let labels: Vec<String> = order.iter().map(|&i| units[i].clone()).collect();
    let rows = order
        .iter()
        .enumerate()
        .map(|(r, &row)| DsmRow {
            label: units[row].clone(),
            cells: order
                .iter()
                .enumerate()
                .map(|(c, &column)| dsm_cell(pairs, &units[row], &units[column], r, c))
                .collect(),
        })
        .collect();
    Dsm {
        level: level.to_string(),
        labels,
        rows,
    }
}

/// The cell of row `from` (at index `r`) and column `to` (at `c`).
fn dsm_cell(
    pairs: &BTreeMap<(String, String), PairStats>,
    from: &str,
    to: &str,
    r: usize,
    c: usize,
) -> DsmCell {
    let mut cell = DsmCell {
        class: String::new(),
        from: from.to_string(),
        to: to.to_string(),
        deps: 0,
        calls: 0,
        topics: 0,
        title: String::new(),
    };
    if r == c {
        cell.class = "diag".into();
        return cell;
    }
    let Some(stats) = pairs.get(&(from.to_string(), to.to_string())) else {
        cell.class = "empty".into();
        return cell;
    };
    // Above the diagonal a dependency points forward: a cycle.
    cell.class = if c > r {
        "cell above".into()
    } else {
        "cell".into()
    };
    cell.title = format!(
        "{from} \u{2192} {to}: {} crate dependencies ({} references), {} synchronous calls, {} \
         topics",
        stats.crate_deps,
        stats.refs,
        stats.calls,
        stats.topics.len()
    );
    cell.deps = stats.crate_deps;
    cell.calls = stats.calls;
    cell.topics = stats.topics.len() as u32;
    cell
}

/// A fill colour per team, spread around the colour wheel.
fn team_colours(analysis: &Analysis) -> BTreeMap<String, String> {
    analysis
        .ownership
        .teams
        .keys()
        .enumerate()
        .map(|(i, team)| {
            let hue = (i as f64 * 137.508) % 360.0;
            (team.clone(), format!("hsl({hue:.0}, 60%, 86%)"))
        })
        .collect()
}

fn capability_drawing(
    analysis: &Analysis,
    pairs: &BTreeMap<(String, String), PairStats>,
    flagged: &BTreeSet<(String, String)>,
) -> Drawing {
    let colours = team_colours(analysis);
    let ids: Vec<&String> = analysis.ownership.capabilities.keys().collect();
    let position: BTreeMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let nodes: Vec<LayoutNode> = ids
        .iter()
        .map(|id| {
            let capability = &analysis.ownership.capabilities[*id];
            LayoutNode {
                label: id.to_string(),
                sublabel: capability.team.clone().unwrap_or_default(),
            }
        })
        .collect();
    let mut edges = Vec::new();
    let mut styles = Vec::new();
    for ((from, to), stats) in pairs {
        let (Some(&a), Some(&b)) = (position.get(from.as_str()), position.get(to.as_str())) else {
            continue;
        };
        let flagged = flagged.contains(&(from.clone(), to.clone()));
        for (present, kind, label) in [
            (
                stats.crate_deps > 0,
                "build",
                format!(
                    "{} crate dependencies, {} references",
                    stats.crate_deps, stats.refs
                ),
            ),
            (
                stats.calls > 0,
                "sync",
                format!("{} synchronous calls", stats.calls),
            ),
            (
                !stats.topics.is_empty(),
                "async",
                format!(
                    "topics: {}",
                    stats.topics.iter().cloned().collect::<Vec<_>>().join(", ")
                ),
            ),
        ] {
            if !present {
                continue;
            }
            edges.push(LayoutEdge {
                from: a,
                to: b,
                layering: kind != "async",
            });
            styles.push((
                format!("edge {kind}{}", if flagged { " flagged" } else { "" }),
                format!("{from} \u{2192} {to}: {label}"),
            ));
        }
    }
    let placement = layout::layered(&nodes, &edges);
    Drawing {
        width: placement.width,
        height: placement.height,
        nodes: ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let capability = &analysis.ownership.capabilities[*id];
                let team = capability.team.clone().unwrap_or_default();
                let (x, y, w, h) = placement.boxes[i];
                DrawNode {
                    id: format!("capability:{id}"),
                    x,
                    y,
                    w,
                    h,
                    label: id.to_string(),
                    sublabel: team.clone(),
                    fill: colours.get(&team).cloned().unwrap_or_else(|| "#eee".into()),
                    class: match capability.kind {
                        CapabilityKind::Platform => "node platform".into(),
                        CapabilityKind::Product => "node product".into(),
                    },
                    title: format!(
                        "{} capability {id}, team {}",
                        capability.kind.as_str(),
                        if team.is_empty() { "none" } else { &team }
                    ),
                    team,
                }
            })
            .collect(),
        edges: placement
            .paths
            .into_iter()
            .zip(styles)
            .map(|(d, (class, title))| DrawEdge { d, class, title })
            .collect(),
    }
}

fn service_drawing(analysis: &Analysis, flagged: &BTreeSet<(String, String)>) -> Drawing {
    let colours = team_colours(analysis);
    let nodes_by_id: Vec<(&str, &RuntimeNode)> = analysis.services.nodes_by_id().collect();
    let position: BTreeMap<&str, usize> = nodes_by_id
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();
    let nodes: Vec<LayoutNode> = nodes_by_id
        .iter()
        .map(|(_, node)| LayoutNode {
            label: node.name().to_string(),
            sublabel: match node {
                RuntimeNode::Service(s) => s.team.clone().unwrap_or_default(),
                RuntimeNode::Topic(_) => "topic".into(),
                RuntimeNode::Table(_) => "table".into(),
            },
        })
        .collect();
    let mut edges = Vec::new();
    let mut styles = Vec::new();
    for (from, to, edge) in analysis.services.edges_sorted() {
        let (Some(&a), Some(&b)) = (
            position.get(from.id().as_str()),
            position.get(to.id().as_str()),
        ) else {
            continue;
        };
        let is_flagged = flagged.contains(&(from.name().to_string(), to.name().to_string()));
        let (kind, layout_edge) = match edge.kind {
            RuntimeKind::Calls => (
                "sync",
                LayoutEdge {
                    from: a,
                    to: b,
                    layering: true,
                },
            ),
            RuntimeKind::Publishes => (
                "async",
                LayoutEdge {
                    from: a,
                    to: b,
                    layering: true,
                },
            ),
            // Drawn from the topic to its subscriber; laid out as if the subscriber
            // depended on the topic.
            RuntimeKind::Subscribes => (
                "async",
                LayoutEdge {
                    from: b,
                    to: a,
                    layering: false,
                },
            ),
            RuntimeKind::Reads | RuntimeKind::Writes => (
                "data",
                LayoutEdge {
                    from: a,
                    to: b,
                    layering: true,
                },
            ),
        };
        edges.push(layout_edge);
        let what = if edge.endpoints.is_empty() {
            String::new()
        } else {
            format!(" ({})", edge.endpoints.join(", "))
        };
        styles.push((
            format!("edge {kind}{}", if is_flagged { " flagged" } else { "" }),
            format!("{} {} {}{what}", from.name(), edge.kind.as_str(), to.name()),
        ));
    }
    let placement = layout::layered(&nodes, &edges);
    Drawing {
        width: placement.width,
        height: placement.height,
        nodes: nodes_by_id
            .iter()
            .enumerate()
            .map(|(i, (id, node))| {
                let (x, y, w, h) = placement.boxes[i];
                let (class, team, title) = match node {
                    RuntimeNode::Service(s) if s.krate.is_empty() => (
                        "node unknown",
                        String::new(),
                        "calls whose callee is not a known service".to_string(),
                    ),
                    RuntimeNode::Service(s) => (
                        "node service",
                        s.team.clone().unwrap_or_default(),
                        format!(
                            "service {} (crate {}, capability {})",
                            s.name,
                            s.krate,
                            s.capability.as_deref().unwrap_or("none")
                        ),
                    ),
                    RuntimeNode::Topic(t) => ("node topic", String::new(), format!("topic {t}")),
                    RuntimeNode::Table(t) => ("node table", String::new(), format!("table {t}")),
                };
                DrawNode {
                    id: id.to_string(),
                    x,
                    y,
                    w,
                    h,
                    label: node.name().to_string(),
                    sublabel: nodes[i].sublabel.clone(),
                    fill: colours
                        .get(&team)
                        .cloned()
                        .unwrap_or_else(|| "#f4f4f4".into()),
                    class: class.to_string(),
                    team,
                    title,
                }
            })
            .collect(),
        edges: placement
            .paths
            .into_iter()
            .zip(styles)
            .map(|(d, (class, title))| DrawEdge { d, class, title })
            .collect(),
    }
}

/// The findings a section shows: the most severe first, at most `limit`, with how many
/// there are in all and per rule.
struct SelectedFindings {
    findings: Vec<FindingRow>,
    total: usize,
    by_rule: Vec<(String, usize)>,
}

fn select_findings(
    rows: &[FindingRow],
    limit: usize,
    keep: impl Fn(&FindingRow) -> bool,
) -> SelectedFindings {
    let mut matching: Vec<&FindingRow> = rows.iter().filter(|r| keep(r)).collect();
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    for row in &matching {
        *by_rule.entry(row.rule.clone()).or_default() += 1;
    }
    let rank = |severity: &str| match severity {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    };
    matching.sort_by_key(|r| rank(&r.severity));
    SelectedFindings {
        total: matching.len(),
        findings: matching.into_iter().take(limit).cloned().collect(),
        by_rule: by_rule.into_iter().collect(),
    }
}

fn crate_lines<'a>(crates: impl Iterator<Item = &'a CrateNode>) -> Vec<String> {
    crates
        .map(|c| {
            let contract = if c.contract { ", contract" } else { "" };
            format!(
                "{} ({}/{}{contract})",
                c.name,
                c.repo,
                if c.path.is_empty() { "." } else { &c.path }
            )
        })
        .collect()
}

fn service_lines(
    analysis: &Analysis,
    keep: impl Fn(&crate::model::services::ServiceNode) -> bool,
) -> Vec<String> {
    analysis
        .services
        .services()
        .filter(|s| !s.krate.is_empty() && keep(s))
        .map(|s| {
            format!(
                "{} ({} routes{})",
                s.name,
                s.routes.len(),
                if s.grpc.is_empty() {
                    String::new()
                } else {
                    format!(", gRPC {}", s.grpc.join(", "))
                }
            )
        })
        .collect()
}

fn metric_lines(metrics: Option<&UnitMetrics>) -> Vec<(String, String)> {
    let Some(m) = metrics else {
        return Vec::new();
    };
    let ratio = |r: Option<f64>| r.map_or("–".to_string(), |r| format!("{r}"));
    vec![
        ("crates".into(), m.crates.to_string()),
        ("services".into(), m.services.to_string()),
        ("afferent coupling Ca".into(), m.afferent.to_string()),
        ("efferent coupling Ce".into(), m.efferent.to_string()),
        ("instability I".into(), ratio(m.instability)),
        ("fan-in (crate dependencies)".into(), m.fan_in.to_string()),
        ("fan-out (crate dependencies)".into(), m.fan_out.to_string()),
        (
            "cross-team dependencies".into(),
            format!(
                "{} of {} ({})",
                m.cross_team_dependencies,
                m.dependencies,
                ratio(m.cross_team_ratio)
            ),
        ),
        ("synchronous calls in".into(), m.sync_calls_in.to_string()),
        ("synchronous calls out".into(), m.sync_calls_out.to_string()),
    ]
}

fn pair_lines(
    pairs: &BTreeMap<(String, String), PairStats>,
    unit: &str,
    outbound: bool,
) -> Vec<PairLine> {
    pairs
        .iter()
        .filter(|((from, to), _)| if outbound { from == unit } else { to == unit })
        .map(|((from, to), stats)| PairLine {
            other: if outbound { to.clone() } else { from.clone() },
            crate_deps: stats.crate_deps,
            refs: stats.refs,
            calls: stats.calls,
            topics: stats.topics.len() as u32,
        })
        .collect()
}
