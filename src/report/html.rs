//! The HTML report: one self-contained page (inline CSS and JS, no request of any kind) that
//! an architecture review can use on its own — summary, design structure matrices, the
//! capability and service maps, the findings with their rules' documentation, one section per
//! team and capability, and the ownership gaps. Built from the model and the findings with
//! askama (`templates/report.html`), which escapes every string; data for the page's script
//! is JSON with `<`, `>` and `&` escaped so that it cannot end its `<script>` element.
//!
//! The page's size is linear in what it shows, and what it shows is bounded whatever the
//! input: the matrices show at most [`MAX_DSM_UNITS`] units, the maps at most
//! [`MAX_MAP_NODES`] nodes and [`MAX_MAP_EDGES`] edges, the findings table at most
//! [`MAX_FINDING_ROWS`] rows, each group of sections at most [`MAX_UNIT_SECTIONS`] units, and
//! every list inside them a few dozen lines; each part says how much it left out.
//! `graph.json` and `findings.json`, written beside the page, have everything. Building the
//! page is O(size of the model + findings), with logarithmic factors for the sorted maps.

use super::findings::PathStyle;
use super::layout::{self, LayoutEdge, LayoutNode};
use crate::config::CapabilityKind;
use crate::core::{NodeId, OwnerKind};
use crate::extract::DepKind;
use crate::model::Analysis;
use crate::model::aggregate::{self, Level as RollUp, UnitCall};
use crate::model::metrics::{UNOWNED, UnitMetrics};
use crate::model::services::{RuntimeEdge, RuntimeKind, RuntimeNode, ServiceNode};
use crate::model::{CrateGraph, CrateNode};
use crate::rules::{Category, Finding, Findings, REGISTRY, Settings};
use askama::Template;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

/// How many lines an edge collects, or a list of a section shows, before saying how many more
/// there are.
const MAX_LISTED: usize = 40;

/// How many of an edge's lines the matrices' cell details carry.
const MAX_CELL_LINES: usize = 10;

/// The most units (rows, and as many columns) a design structure matrix shows: those with the
/// most coupling (crate dependencies, synchronous calls and topics, in and out), ties by id.
/// A unit with no crates, no services and no dependencies never takes a row. A note under the
/// matrix says how many were left out.
pub const MAX_DSM_UNITS: usize = 50;

/// The most nodes a map draws: the capabilities with the most coupling, or the services,
/// topics and tables with the most edges (ties by id).
pub const MAX_MAP_NODES: usize = 150;

/// The most edges a map draws between its nodes: those carrying a finding first, then the
/// heaviest (ties in sorted order).
pub const MAX_MAP_EDGES: usize = 1_500;

/// The most rows of the findings table: the most severe findings first, then in their order.
pub const MAX_FINDING_ROWS: usize = 2_000;

/// The longest message the findings table shows, in characters; longer ones are cut with
/// an ellipsis (`findings.json` has them whole).
pub const MAX_MESSAGE_CHARS: usize = 1_000;

/// The longest message a team's or capability's list of findings shows.
const MAX_SECTION_MESSAGE_CHARS: usize = 600;

/// How many teams, and how many capabilities, get a section of their own: those with the most
/// findings, then the most coupling (ties by id), shown in id order.
pub const MAX_UNIT_SECTIONS: usize = 100;

/// How many crates without a team, and how many ownership findings, the ownership section
/// lists.
pub const MAX_OWNERSHIP_LINES: usize = 200;

/// How many teams a row of the findings table names (its filter knows them all).
const MAX_ROW_TEAMS: usize = 8;

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
    /// The rows of the findings table (at most `MAX_FINDING_ROWS`).
    pub findings: Vec<FindingRow>,
    /// How many findings there are in all, and what the table says about the others.
    pub findings_total: usize,
    pub findings_note: String,
    pub severities: Vec<String>,
    pub rule_ids: Vec<String>,
    /// The teams and capabilities the table's rows name, for its filters.
    pub team_ids: Vec<String>,
    pub capability_ids: Vec<String>,
    pub rules: Vec<RuleView>,
    /// Teams, then capabilities.
    pub unit_groups: Vec<UnitGroup>,
    pub unowned: Listed,
    pub ownership_findings: Vec<FindingRow>,
    pub ownership_more: usize,
    /// Details behind the matrix cells, for the page's script (escaped JSON).
    pub data_json: String,
}

/// Lines of a list, and how many more there are than it shows.
#[derive(Default)]
pub struct Listed {
    pub lines: Vec<String>,
    pub more: usize,
}

impl Listed {
    fn capped(lines: impl Iterator<Item = String>, limit: usize) -> Listed {
        let mut listed = Listed::default();
        for line in lines {
            if listed.lines.len() < limit {
                listed.lines.push(line);
            } else {
                listed.more += 1;
            }
        }
        listed
    }
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
    /// What the matrix leaves out, if anything.
    pub note: String,
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
    /// The teams of the nodes drawn, for the map's filter.
    pub teams: Vec<String>,
    /// What the map leaves out, if anything.
    pub note: String,
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
    /// Every team, space-separated, for the filter.
    pub teams: String,
    /// The first few teams, for people.
    pub teams_shown: String,
    pub capabilities: String,
    /// `teams` and `capabilities` as lists, to index the findings by unit (not shown).
    pub team_list: Vec<String>,
    pub capability_list: Vec<String>,
}

impl FindingRow {
    /// The teams or the capabilities the finding names.
    fn units(&self, level: RollUp) -> &[String] {
        match level {
            RollUp::Team => &self.team_list,
            RollUp::Capability => &self.capability_list,
        }
    }
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

/// The sections of the teams or of the capabilities.
pub struct UnitGroup {
    pub id: String,
    pub heading: String,
    pub units: Vec<UnitView>,
    /// What the group leaves out, if anything.
    pub note: String,
}

pub struct UnitView {
    pub anchor: String,
    pub id: String,
    pub heading: String,
    pub kind: String,
    pub team: String,
    pub crates: Listed,
    pub services: Listed,
    /// A team's capabilities, a capability's contracts.
    pub contracts: Listed,
    pub metrics: Vec<(String, String)>,
    /// ("Depends on", lines, how many more), ("Depended on by", lines, how many more).
    pub relations: Vec<(String, Vec<PairLine>, usize)>,
    /// The most severe findings (at most `UNIT_FINDINGS`); the table has them all.
    pub findings: Vec<FindingRow>,
    pub findings_total: usize,
    /// Findings per rule, for the line above the list.
    pub by_rule: Vec<(String, usize)>,
    /// `team` or `capability`: which filter of the findings table the section links to.
    pub filter: String,
    /// Whether that filter offers this unit (some row of the table names it).
    pub filterable: bool,
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

impl PairStats {
    /// How strongly the pair is coupled, to rank units and edges.
    fn weight(&self) -> u64 {
        u64::from(self.crate_deps) + u64::from(self.calls) + self.topics.len() as u64
    }
}

type Pairs = BTreeMap<(String, String), PairStats>;

/// One level (teams or capabilities) indexed for the page: per unit, what it owns, what it
/// is coupled to, and which findings name it.
struct Level<'a> {
    /// Every unit's id, sorted.
    ids: Vec<String>,
    pairs: Pairs,
    crates: BTreeMap<String, Vec<&'a CrateNode>>,
    services: BTreeMap<String, Vec<&'a ServiceNode>>,
    coupling: BTreeMap<String, u64>,
    /// Indices of the findings (in `rows`) that name the unit.
    findings: BTreeMap<String, Vec<usize>>,
}

impl Level<'_> {
    /// Whether the unit has crates, services or dependencies.
    fn has_content(&self, id: &str) -> bool {
        self.crates.contains_key(id)
            || self.services.contains_key(id)
            || self.coupling.get(id).is_some_and(|&c| c > 0)
    }

    fn coupling(&self, id: &str) -> u64 {
        self.coupling.get(id).copied().unwrap_or(0)
    }
}

/// The at most `limit` ids of `candidates` with the greatest `score` (ties by id), in id
/// order.
fn top<K: Ord>(candidates: &[&String], limit: usize, score: impl Fn(&str) -> K) -> Vec<String> {
    let mut ranked: Vec<(Reverse<K>, &String)> = candidates
        .iter()
        .map(|id| (Reverse(score(id)), *id))
        .collect();
    ranked.sort();
    ranked.truncate(limit);
    let mut ids: Vec<String> = ranked.into_iter().map(|(_, id)| id.clone()).collect();
    ids.sort();
    ids
}

/// `s` with at most `max` characters, cut with an ellipsis.
fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

/// `1,234`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `team` / `teams`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
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
    let capability_of = NodeCapabilities::new(analysis);
    let rows: Vec<FindingRow> = findings
        .findings
        .iter()
        .map(|finding| finding_row(finding, &capability_of, paths))
        .collect();
    let teams = level(
        analysis,
        paths,
        &rows,
        analysis.ownership.teams.keys().cloned().collect(),
        RollUp::Team,
    );
    let capabilities = level(
        analysis,
        paths,
        &rows,
        analysis.ownership.capabilities.keys().cloned().collect(),
        RollUp::Capability,
    );
    let (flagged_capabilities, flagged_services) = flagged_pairs(findings, &capability_of);
    let team_dsm = dsm("team", "teams", &teams);
    let capability_dsm = dsm("capability", "capabilities", &capabilities);
    let data_json = cell_data(&[(&team_dsm, &teams), (&capability_dsm, &capabilities)]);
    let table = FindingsTable::new(&rows);
    let team_sections = sections(&teams, "teams", "Teams", &rows, &table.team_ids, |id| {
        team_head(analysis, &capabilities, id)
    });
    let capability_sections = sections(
        &capabilities,
        "capabilities",
        "Capabilities",
        &rows,
        &table.capability_ids,
        |id| capability_head(analysis, id),
    );
    let ownership: Vec<usize> = (0..rows.len())
        .filter(|&i| findings.findings[i].category == Category::Ownership)
        .collect();
    let ownership_findings = clipped(
        &rows,
        &most_severe(&rows, &ownership, MAX_OWNERSHIP_LINES),
        MAX_MESSAGE_CHARS,
    );
    ReportPage {
        title: page_title(analysis),
        generated,
        pack: settings.pack.clone(),
        summary: summary(analysis, findings, &teams.pairs),
        maps: vec![
            (
                "capability-map".into(),
                "Capability map".into(),
                capability_drawing(analysis, &capabilities, &flagged_capabilities),
            ),
            (
                "service-map".into(),
                "Service map".into(),
                service_drawing(analysis, &flagged_services),
            ),
        ],
        dsms: vec![team_dsm, capability_dsm],
        findings_total: rows.len(),
        findings: table.rows,
        findings_note: table.note,
        severities: table.severities,
        rule_ids: table.rule_ids.into_iter().collect(),
        team_ids: table.team_ids.into_iter().collect(),
        capability_ids: table.capability_ids.into_iter().collect(),
        rules: rule_views(findings, settings),
        unit_groups: vec![team_sections, capability_sections],
        unowned: Listed::capped(
            analysis
                .graph
                .crates()
                .filter(|c| c.team.is_none())
                .map(|c| format!("{} ({}/{})", c.name, c.repo, c.manifest)),
            MAX_OWNERSHIP_LINES,
        ),
        ownership_more: ownership.len() - ownership_findings.len(),
        ownership_findings,
        data_json,
    }
}

/// The organization's name, or else the roots' names.
fn page_title(analysis: &Analysis) -> String {
    analysis.config.org.clone().unwrap_or_else(|| {
        analysis
            .roots
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// The capability of a node a finding names: a capability, a crate's or a service's.
struct NodeCapabilities<'a> {
    graph: &'a CrateGraph,
    services: BTreeMap<&'a str, Option<&'a String>>,
}

impl<'a> NodeCapabilities<'a> {
    fn new(analysis: &'a Analysis) -> NodeCapabilities<'a> {
        NodeCapabilities {
            graph: &analysis.graph,
            // The unknown callee is no service: a real service of its name keeps its own.
            services: analysis
                .services
                .services()
                .filter(|s| !s.unknown)
                .map(|s| (s.name.as_str(), s.capability.as_ref()))
                .collect(),
        }
    }

    fn of(&self, id: &NodeId) -> Option<String> {
        match id {
            NodeId::Capability(name) => Some(name.to_string()),
            NodeId::Crate(name) => self.graph.crate_named(name)?.capability.clone(),
            NodeId::Service(name) => self.services.get(name.as_str())?.cloned(),
            NodeId::UnknownService => None,
            _ => None,
        }
    }
}

/// A finding as the table and the sections show it.
fn finding_row(
    finding: &Finding,
    capability_of: &NodeCapabilities,
    paths: &PathStyle,
) -> FindingRow {
    let mut caps: Vec<String> = [&finding.from, &finding.to]
        .into_iter()
        .flatten()
        .filter_map(|id| capability_of.of(id))
        .collect();
    caps.dedup();
    let mut teams_shown = finding
        .teams
        .iter()
        .take(MAX_ROW_TEAMS)
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    if finding.teams.len() > MAX_ROW_TEAMS {
        teams_shown.push_str(&format!(
            " and {} more",
            thousands(finding.teams.len() - MAX_ROW_TEAMS)
        ));
    }
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
        teams_shown,
        capabilities: caps.join(" "),
        team_list: finding.teams.clone(),
        capability_list: caps,
    }
}

/// Pairs of units (capabilities or services, by id) that findings are about.
type Flagged = BTreeSet<(String, String)>;

/// Pairs of capabilities, and of services, that findings are about, to highlight their
/// edges on the maps.
fn flagged_pairs(findings: &Findings, capability_of: &NodeCapabilities) -> (Flagged, Flagged) {
    let mut capabilities = Flagged::new();
    let mut services = Flagged::new();
    for finding in &findings.findings {
        let (Some(from), Some(to)) = (&finding.from, &finding.to) else {
            continue;
        };
        if let (Some(a), Some(b)) = (capability_of.of(from), capability_of.of(to)) {
            capabilities.insert((a, b));
        }
        if from.kind() == "service" && to.kind() == "service" {
            services.insert((from.name().to_string(), to.name().to_string()));
        }
    }
    (capabilities, services)
}

/// The details of the cells the matrices show, and of no others, as the page's script data.
fn cell_data(matrices: &[(&Dsm, &Level)]) -> String {
    let mut cells = serde_json::Map::new();
    for (matrix, units) in matrices {
        let shown: BTreeSet<&str> = matrix.labels.iter().map(String::as_str).collect();
        let mut by_pair = serde_json::Map::new();
        for ((from, to), stats) in &units.pairs {
            if shown.contains(from.as_str()) && shown.contains(to.as_str()) {
                let mut lines: Vec<String> =
                    stats.details.iter().take(MAX_CELL_LINES).cloned().collect();
                let listed = (stats.crate_deps + stats.calls) as usize + stats.topics.len();
                if listed > lines.len() {
                    lines.push(format!("and {} more", thousands(listed - lines.len())));
                }
                by_pair.insert(format!("{from}\u{2192}{to}"), lines.into());
            }
        }
        cells.insert(matrix.level.clone(), by_pair.into());
    }
    script_json(&serde_json::Value::Object(
        [("cells".to_string(), serde_json::Value::Object(cells))]
            .into_iter()
            .collect(),
    ))
}

/// Every rule's documentation, with its severity in this run and its number of findings.
fn rule_views(findings: &Findings, settings: &Settings) -> Vec<RuleView> {
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in &findings.findings {
        *per_rule.entry(finding.rule).or_default() += 1;
    }
    REGISTRY
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
                findings: per_rule.get(meta.id).copied().unwrap_or(0),
            }
        })
        .collect()
}

/// The findings table (the most severe first when there are too many, shown in order) and
/// what its filters offer.
struct FindingsTable {
    rows: Vec<FindingRow>,
    note: String,
    severities: Vec<String>,
    rule_ids: BTreeSet<String>,
    team_ids: BTreeSet<String>,
    capability_ids: BTreeSet<String>,
}

impl FindingsTable {
    fn new(all_rows: &[FindingRow]) -> FindingsTable {
        let all: Vec<usize> = (0..all_rows.len()).collect();
        let mut shown: Vec<usize> = most_severe(all_rows, &all, MAX_FINDING_ROWS);
        shown.sort_unstable();
        let rows = clipped(all_rows, &shown, MAX_MESSAGE_CHARS);
        let note = if rows.len() < all_rows.len() {
            format!(
                "The table shows the {} most severe of {}; the other {} are not shown here. \
                 findings.json, written beside this page, has them all.",
                thousands(rows.len()),
                plural(all_rows.len(), "finding", "findings"),
                thousands(all_rows.len() - rows.len())
            )
        } else {
            String::new()
        };
        let mut severities: Vec<String> = ["error", "warning", "info"]
            .into_iter()
            .filter(|s| rows.iter().any(|r| r.severity == *s))
            .map(String::from)
            .collect();
        severities.dedup();
        FindingsTable {
            note,
            severities,
            rule_ids: rows.iter().map(|r| r.rule.clone()).collect(),
            team_ids: rows
                .iter()
                .flat_map(|r| r.team_list.iter().cloned())
                .collect(),
            capability_ids: rows
                .iter()
                .flat_map(|r| r.capability_list.iter().cloned())
                .collect(),
            rows,
        }
    }
}

/// Copies of the rows at `indices`, their messages cut to `max` characters.
fn clipped(rows: &[FindingRow], indices: &[usize], max: usize) -> Vec<FindingRow> {
    indices
        .iter()
        .map(|&i| {
            let mut row = rows[i].clone();
            row.message = clip(&row.message, max);
            row
        })
        .collect()
}

/// What the section of the crates of no team (or capability) says.
fn unowned_head(analysis: &Analysis, roll_up: RollUp) -> UnitHead {
    let (noun, metrics) = match roll_up {
        RollUp::Team => ("team", &analysis.metrics.unowned_team),
        RollUp::Capability => ("capability", &analysis.metrics.unowned_capability),
    };
    UnitHead {
        heading: format!("crates of no {noun} {UNOWNED}"),
        kind: "unowned".to_string(),
        team: "no team: see the ownership section".to_string(),
        contracts: Listed::capped(std::iter::empty(), MAX_LISTED),
        metrics: metric_lines(metrics.as_ref()),
        filter: match roll_up {
            RollUp::Team => "team",
            RollUp::Capability => "capability",
        },
    }
}

/// What a team's section says about the team itself.
fn team_head(analysis: &Analysis, capabilities: &Level, id: &String) -> UnitHead {
    if !analysis.ownership.teams.contains_key(id) {
        return unowned_head(analysis, RollUp::Team);
    }
    let team = &analysis.ownership.teams[id];
    let kind = match team.kind {
        OwnerKind::Team => "",
        OwnerKind::ReviewGroup => " (a review group)",
        OwnerKind::Individual => " (one person: no team handle covers its crates)",
    };
    UnitHead {
        heading: if team.name == *id {
            format!("team {id}{kind}")
        } else {
            format!("team {id} — {}{kind}", team.name)
        },
        kind: "team".to_string(),
        team: team.handles.join(", "),
        contracts: Listed::capped(
            capabilities
                .ids
                .iter()
                .filter(|c| {
                    analysis
                        .ownership
                        .capabilities
                        .get(*c)
                        .is_some_and(|c| c.team.as_ref() == Some(id))
                })
                .cloned(),
            MAX_LISTED,
        ),
        metrics: metric_lines(analysis.metrics.teams.get(id)),
        filter: "team",
    }
}

/// What a capability's section says about the capability itself.
fn capability_head(analysis: &Analysis, id: &String) -> UnitHead {
    let Some(capability) = analysis.ownership.capabilities.get(id) else {
        return unowned_head(analysis, RollUp::Capability);
    };
    UnitHead {
        heading: format!("capability {id}"),
        kind: capability.kind.as_str().to_string(),
        team: capability
            .team
            .clone()
            .unwrap_or_else(|| "no team".to_string()),
        contracts: Listed::capped(capability.contracts.iter().cloned(), MAX_LISTED),
        metrics: metric_lines(analysis.metrics.capabilities.get(id)),
        filter: "capability",
    }
}

/// Indexes one level: its pairs, and per unit its crates, services, pairs and findings.
fn level<'a>(
    analysis: &'a Analysis,
    paths: &PathStyle,
    rows: &[FindingRow],
    ids: Vec<String>,
    roll_up: RollUp,
) -> Level<'a> {
    let pairs = unit_pairs(analysis, paths, roll_up);
    // The crates (and their services) of no unit are one more unit, so that no dependency
    // between scanned crates is missing from the matrix.
    // A co-owned crate is listed under each of its teams.
    let mut crates: BTreeMap<String, Vec<&CrateNode>> = BTreeMap::new();
    for krate in analysis.graph.crates() {
        let unit = roll_up.of_crate(krate).unwrap_or(UNOWNED);
        match roll_up {
            RollUp::Team if krate.owners.len() > 1 => {
                for owner in &krate.owners {
                    crates.entry(owner.clone()).or_default().push(krate);
                }
            }
            _ => crates.entry(unit.to_string()).or_default().push(krate),
        }
    }
    let mut services: BTreeMap<String, Vec<&ServiceNode>> = BTreeMap::new();
    for service in analysis.services.services() {
        if !service.krate.is_empty() {
            let unit = roll_up.of_service(service).unwrap_or(UNOWNED);
            services.entry(unit.to_string()).or_default().push(service);
        }
    }
    let mut ids = ids;
    if crates.contains_key(UNOWNED) && !ids.iter().any(|id| id == UNOWNED) {
        ids.push(UNOWNED.to_string());
        ids.sort();
    }
    let mut coupling: BTreeMap<String, u64> = BTreeMap::new();
    for ((from, to), stats) in &pairs {
        *coupling.entry(from.clone()).or_default() += stats.weight();
        *coupling.entry(to.clone()).or_default() += stats.weight();
    }
    let mut findings: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let units: BTreeSet<&String> = row.units(roll_up).iter().collect();
        for unit in units {
            findings.entry(unit.clone()).or_default().push(i);
        }
    }
    Level {
        ids,
        pairs,
        crates,
        services,
        coupling,
        findings,
    }
}

/// The indices (of `among`) of at most `limit` findings: the most severe first, then in
/// order.
fn most_severe(rows: &[FindingRow], among: &[usize], limit: usize) -> Vec<usize> {
    let rank = |severity: &str| match severity {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    };
    let mut ranked: Vec<usize> = among.to_vec();
    ranked.sort_by_key(|&i| rank(&rows[i].severity));
    ranked.truncate(limit);
    ranked
}

/// What a section of a team or a capability says about the unit itself.
struct UnitHead {
    heading: String,
    kind: String,
    team: String,
    contracts: Listed,
    metrics: Vec<(String, String)>,
    filter: &'static str,
}

/// The sections of one level: the units with the most findings, then the most coupling.
fn sections(
    level: &Level,
    group: &str,
    heading: &str,
    rows: &[FindingRow],
    filterable: &BTreeSet<String>,
    head: impl Fn(&String) -> UnitHead,
) -> UnitGroup {
    let candidates: Vec<&String> = level.ids.iter().collect();
    let shown = top(&candidates, MAX_UNIT_SECTIONS, |id| {
        (
            level.findings.get(id).map_or(0, Vec::len),
            level.coupling(id),
        )
    });
    let mut outgoing: BTreeMap<&str, Vec<(&str, &PairStats)>> = BTreeMap::new();
    let mut incoming: BTreeMap<&str, Vec<(&str, &PairStats)>> = BTreeMap::new();
    for ((from, to), stats) in &level.pairs {
        outgoing.entry(from).or_default().push((to, stats));
        incoming.entry(to).or_default().push((from, stats));
    }
    let units = shown
        .iter()
        .map(|id| {
            let (depends_on, depends_more) = relation(outgoing.get(id.as_str()));
            let (depended_on, depended_more) = relation(incoming.get(id.as_str()));
            let relations = vec![
                ("Depends on".to_string(), depends_on, depends_more),
                ("Depended on by".to_string(), depended_on, depended_more),
            ];
            unit_view(level, id, head(id), relations, rows, filterable)
        })
        .collect::<Vec<_>>();
    let left = level.ids.len() - units.len();
    UnitGroup {
        id: group.to_string(),
        heading: heading.to_string(),
        note: if left > 0 {
            format!(
                "Sections for the {} of {} {group} with the most findings, then the most \
                 coupling; the other {} are not shown here. graph.json, written beside this \
                 page, has them all.",
                thousands(units.len()),
                thousands(level.ids.len()),
                thousands(left)
            )
        } else {
            String::new()
        },
        units,
    }
}

/// The first lines of a unit's relations, and how many more there are.
fn relation(pairs: Option<&Vec<(&str, &PairStats)>>) -> (Vec<PairLine>, usize) {
    let pairs = pairs.map_or(&[][..], Vec::as_slice);
    let lines = pairs
        .iter()
        .take(MAX_LISTED)
        .map(|(other, stats)| PairLine {
            other: other.to_string(),
            crate_deps: stats.crate_deps,
            refs: stats.refs,
            calls: stats.calls,
            topics: stats.topics.len() as u32,
        })
        .collect();
    (lines, pairs.len().saturating_sub(MAX_LISTED))
}

/// The section of one unit: what it owns, its relations and its most severe findings.
fn unit_view(
    level: &Level,
    id: &String,
    head: UnitHead,
    relations: Vec<(String, Vec<PairLine>, usize)>,
    rows: &[FindingRow],
    filterable: &BTreeSet<String>,
) -> UnitView {
    let none = Vec::new();
    let mine = level.findings.get(id).unwrap_or(&none);
    let selected = most_severe(rows, mine, UNIT_FINDINGS);
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    for &i in mine {
        *by_rule.entry(rows[i].rule.clone()).or_default() += 1;
    }
    UnitView {
        anchor: format!("{}-{id}", head.filter),
        id: id.clone(),
        heading: head.heading,
        kind: head.kind,
        team: head.team,
        crates: Listed::capped(
            crate_lines(level.crates.get(id).into_iter().flatten().copied()),
            MAX_LISTED,
        ),
        services: Listed::capped(
            service_lines(level.services.get(id).into_iter().flatten().copied()),
            MAX_LISTED,
        ),
        contracts: head.contracts,
        metrics: head.metrics,
        relations,
        findings: clipped(rows, &selected, MAX_SECTION_MESSAGE_CHARS),
        findings_total: mine.len(),
        by_rule: by_rule.into_iter().collect(),
        filter: head.filter.to_string(),
        filterable: filterable.contains(id),
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

/// What connects units (teams or capabilities) pairwise, from the model's roll-ups: crate
/// dependencies that ship, synchronous calls, and topics one publishes and the other
/// subscribes to; with the first lines behind each pair, as the page shows them.
fn unit_pairs(analysis: &Analysis, paths: &PathStyle, roll_up: RollUp) -> Pairs {
    let mut pairs = Pairs::new();
    let key = |from: &NodeId, to: &NodeId| (from.name().to_string(), to.name().to_string());
    for edge in aggregate::aggregate(&analysis.graph, roll_up).edges {
        // Dev-dependencies do not ship: they couple nothing.
        for crate_edge in edge.crate_edges.iter().filter(|e| e.kind != DepKind::Dev) {
            let stats = pairs.entry(key(&edge.from, &edge.to)).or_default();
            stats.crate_deps += 1;
            stats.refs += crate_edge.refs;
            if stats.details.len() < MAX_LISTED {
                let place = paths.place(&crate::rules::Location::new(
                    &crate_edge.repo,
                    &crate_edge.declared_at.path,
                    Some(crate_edge.declared_at.line),
                ));
                let (from, to) = crate_edge.crate_names();
                stats.details.push(format!(
                    "crate {from} \u{2192} {to} ({}, {} refs) at {place}",
                    crate_edge.kind.as_str(),
                    crate_edge.refs
                ));
            }
        }
    }
    for edge in aggregate::aggregate_runtime(&analysis.services, roll_up) {
        let stats = pairs.entry(key(&edge.from, &edge.to)).or_default();
        for call in &edge.calls {
            stats.calls += 1;
            if stats.details.len() < MAX_LISTED {
                stats.details.push(call_line(call, paths));
            }
        }
        for link in &edge.topics {
            if stats.topics.insert(link.topic.to_string()) && stats.details.len() < MAX_LISTED {
                stats.details.push(format!(
                    "topic {}: {} subscribes, {} publishes",
                    link.topic, link.reader, link.writer
                ));
            }
        }
    }
    pairs
}

/// `call a → b (http GET /x) at path:line`.
fn call_line(call: &UnitCall, paths: &PathStyle) -> String {
    let edge = call.edge;
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
    format!(
        "call {} \u{2192} {} ({} {}){}",
        call.caller.name,
        call.callee.name,
        edge.protocol.unwrap_or("call"),
        edge.endpoints.join(", "),
        site.unwrap_or_default()
    )
}

fn summary(analysis: &Analysis, findings: &Findings, team_pairs: &Pairs) -> SummaryView {
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

/// The matrix of a level: the units with the most coupling (see [`MAX_DSM_UNITS`]), ordered
/// so that dependencies come before their dependents (strongly connected components in
/// topological order, members by id).
fn dsm(level: &str, noun: &str, units: &Level) -> Dsm {
    let candidates: Vec<&String> = units
        .ids
        .iter()
        .filter(|id| units.has_content(id))
        .collect();
    let shown = top(&candidates, MAX_DSM_UNITS, |id| units.coupling(id));
    let position: BTreeMap<&str, usize> = shown
        .iter()
        .enumerate()
        .map(|(i, u)| (u.as_str(), i))
        .collect();
    let mut successors = vec![Vec::new(); shown.len()];
    for (from, to) in units.pairs.keys() {
        if let (Some(&a), Some(&b)) = (position.get(from.as_str()), position.get(to.as_str())) {
            successors[a].push(b);
        }
    }
    let order: Vec<usize> = crate::rules::cycles::strongly_connected(&successors)
        .into_iter()
        .flatten()
        .collect();
    let labels: Vec<String> = order.iter().map(|&i| shown[i].clone()).collect();
    let rows = order
        .iter()
        .enumerate()
        .map(|(r, &row)| DsmRow {
            label: shown[row].clone(),
            cells: order
                .iter()
                .enumerate()
                .map(|(c, &column)| dsm_cell(&units.pairs, &shown[row], &shown[column], r, c))
                .collect(),
        })
        .collect();
    let empty = units.ids.len() - candidates.len();
    let left = units.ids.len() - shown.len();
    let note = if left == 0 {
        String::new()
    } else {
        format!(
            "The matrix shows {} of {} {noun}{}; the other {} are not shown here{}. graph.json, \
             written beside this page, has them all.",
            thousands(shown.len()),
            thousands(units.ids.len()),
            if shown.len() < candidates.len() {
                " (those with the most coupling)"
            } else {
                ""
            },
            thousands(left),
            if empty > 0 {
                format!(
                    " ({} of them with no crates, services or dependencies)",
                    thousands(empty)
                )
            } else {
                String::new()
            }
        )
    };
    Dsm {
        level: level.to_string(),
        labels,
        rows,
        note,
    }
}

/// The cell of row `from` (at index `r`) and column `to` (at `c`).
fn dsm_cell(pairs: &Pairs, from: &str, to: &str, r: usize, c: usize) -> DsmCell {
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

/// An edge a map may draw: its rank (carrying a finding first, then the heaviest, then in
/// order), the layout edge, and its class and title.
struct MapEdge {
    flagged: bool,
    weight: u64,
    edge: LayoutEdge,
    class: String,
    title: String,
}

/// At most [`MAX_MAP_EDGES`] of `edges` (see [`MapEdge`]), in their order.
fn keep_edges(edges: Vec<MapEdge>) -> Vec<MapEdge> {
    let mut ranked: Vec<(usize, MapEdge)> = edges.into_iter().enumerate().collect();
    if ranked.len() > MAX_MAP_EDGES {
        ranked.sort_by_key(|(i, e)| (Reverse(e.flagged), Reverse(e.weight), *i));
        ranked.truncate(MAX_MAP_EDGES);
        ranked.sort_by_key(|(i, _)| *i);
    }
    ranked.into_iter().map(|(_, e)| e).collect()
}

/// What a map leaves out, if anything.
fn map_note(noun: &str, shown: usize, total: usize, edges: usize, edges_total: usize) -> String {
    if shown == total && edges == edges_total {
        return String::new();
    }
    let mut parts = Vec::new();
    if shown < total {
        parts.push(format!(
            "{} of {} {noun} (the most connected)",
            thousands(shown),
            thousands(total)
        ));
    }
    if edges < edges_total {
        parts.push(format!(
            "{} of {} edges (those carrying findings first, then the heaviest)",
            thousands(edges),
            thousands(edges_total)
        ));
    }
    format!(
        "The map draws {}; the others are not shown here. graph.json, written beside this \
         page, has them all.",
        parts.join(" and ")
    )
}

/// The teams of the nodes drawn, sorted.
fn drawn_teams(nodes: &[DrawNode]) -> Vec<String> {
    nodes
        .iter()
        .filter(|n| !n.team.is_empty())
        .map(|n| n.team.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// A map from its placement, the nodes drawn and the edges kept.
fn drawing(
    placement: layout::Placement,
    nodes: Vec<DrawNode>,
    edges: Vec<MapEdge>,
    note: String,
) -> Drawing {
    Drawing {
        width: placement.width,
        height: placement.height,
        teams: drawn_teams(&nodes),
        note,
        nodes,
        edges: placement
            .paths
            .into_iter()
            .zip(edges)
            .map(|(d, e)| DrawEdge {
                d,
                class: e.class,
                title: e.title,
            })
            .collect(),
    }
}

fn capability_drawing(analysis: &Analysis, units: &Level, flagged: &Flagged) -> Drawing {
    let colours = team_colours(analysis);
    // The map draws capabilities; the unowned crates are in the matrix and their section.
    let candidates: Vec<&String> = units
        .ids
        .iter()
        .filter(|id| units.has_content(id) && analysis.ownership.capabilities.contains_key(*id))
        .collect();
    let ids = top(&candidates, MAX_MAP_NODES, |id| units.coupling(id));
    let position: BTreeMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let nodes: Vec<LayoutNode> = ids
        .iter()
        .map(|id| {
            let capability = &analysis.ownership.capabilities[id];
            LayoutNode {
                label: id.to_string(),
                sublabel: capability.team.clone().unwrap_or_default(),
            }
        })
        .collect();
    let (edges, edges_total) = capability_edges(units, &position, flagged);
    let edges = keep_edges(edges);
    let layout_edges: Vec<LayoutEdge> = edges.iter().map(|e| e.edge).collect();
    let placement = layout::layered(&nodes, &layout_edges);
    let nodes: Vec<DrawNode> = ids
        .iter()
        .zip(&placement.boxes)
        .map(|(id, &bounds)| capability_node(analysis, id, bounds, &colours))
        .collect();
    let capabilities = units.ids.iter().filter(|id| *id != UNOWNED).count();
    let note = map_note(
        "capabilities",
        nodes.len(),
        capabilities,
        edges.len(),
        edges_total,
    );
    drawing(placement, nodes, edges, note)
}

/// The edges between the capabilities at `position` (one per kind of coupling: build, sync,
/// async), and how many there are in all, drawn or not.
fn capability_edges(
    units: &Level,
    position: &BTreeMap<&str, usize>,
    flagged: &Flagged,
) -> (Vec<MapEdge>, usize) {
    let mut edges = Vec::new();
    let mut edges_total = 0;
    // The map draws capabilities only: the unowned unit's pairs are in the matrix.
    let pairs = units
        .pairs
        .iter()
        .filter(|((from, to), _)| from != UNOWNED && to != UNOWNED);
    for ((from, to), stats) in pairs {
        let drawn = [
            stats.crate_deps > 0,
            stats.calls > 0,
            !stats.topics.is_empty(),
        ];
        edges_total += drawn.iter().filter(|d| **d).count();
        let (Some(&a), Some(&b)) = (position.get(from.as_str()), position.get(to.as_str())) else {
            continue;
        };
        let is_flagged = flagged.contains(&(from.clone(), to.clone()));
        for (present, kind, weight, label) in [
            (
                drawn[0],
                "build",
                u64::from(stats.crate_deps),
                format!(
                    "{} crate dependencies, {} references",
                    stats.crate_deps, stats.refs
                ),
            ),
            (
                drawn[1],
                "sync",
                u64::from(stats.calls),
                format!("{} synchronous calls", stats.calls),
            ),
            (
                drawn[2],
                "async",
                stats.topics.len() as u64,
                format!(
                    "topics: {}",
                    Listed::capped(stats.topics.iter().cloned(), MAX_LISTED)
                        .lines
                        .join(", ")
                ),
            ),
        ] {
            if !present {
                continue;
            }
            edges.push(MapEdge {
                flagged: is_flagged,
                weight,
                edge: LayoutEdge {
                    from: a,
                    to: b,
                    layering: kind != "async",
                },
                class: format!("edge {kind}{}", if is_flagged { " flagged" } else { "" }),
                title: format!("{from} \u{2192} {to}: {label}"),
            });
        }
    }
    (edges, edges_total)
}

/// A capability's box on the map, coloured by its team.
fn capability_node(
    analysis: &Analysis,
    id: &str,
    (x, y, w, h): (f64, f64, f64, f64),
    colours: &BTreeMap<String, String>,
) -> DrawNode {
    let capability = &analysis.ownership.capabilities[id];
    let team = capability.team.clone().unwrap_or_default();
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
}

fn service_drawing(analysis: &Analysis, flagged: &Flagged) -> Drawing {
    let colours = team_colours(analysis);
    let all_nodes: Vec<(&NodeId, &RuntimeNode)> = analysis.services.nodes_by_id().collect();
    let runtime_edges = analysis.services.edges_sorted();
    let nodes_by_id = most_connected(&all_nodes, &runtime_edges);
    let position: BTreeMap<&NodeId, usize> = nodes_by_id
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
    let edges: Vec<MapEdge> = runtime_edges
        .iter()
        .filter_map(|&(from, to, edge)| {
            let a = *position.get(&from.id())?;
            let b = *position.get(&to.id())?;
            Some(service_edge(from, to, edge, (a, b), flagged))
        })
        .collect();
    let edges = keep_edges(edges);
    let layout_edges: Vec<LayoutEdge> = edges.iter().map(|e| e.edge).collect();
    let placement = layout::layered(&nodes, &layout_edges);
    let drawn: Vec<DrawNode> = nodes_by_id
        .iter()
        .zip(&placement.boxes)
        .zip(nodes)
        .map(|((&(id, node), &bounds), layout_node)| {
            service_node(id, node, bounds, layout_node.sublabel, &colours)
        })
        .collect();
    let note = map_note(
        "services, topics and tables",
        drawn.len(),
        all_nodes.len(),
        edges.len(),
        runtime_edges.len(),
    );
    drawing(placement, drawn, edges, note)
}

/// The at most [`MAX_MAP_NODES`] nodes with the most edges (ties by id), in id order.
fn most_connected<'a>(
    all_nodes: &[(&'a NodeId, &'a RuntimeNode)],
    edges: &[(&RuntimeNode, &RuntimeNode, &RuntimeEdge)],
) -> Vec<(&'a NodeId, &'a RuntimeNode)> {
    let mut degree: BTreeMap<NodeId, usize> = BTreeMap::new();
    for (from, to, _) in edges {
        *degree.entry(from.id()).or_default() += 1;
        *degree.entry(to.id()).or_default() += 1;
    }
    let mut ranked: Vec<(Reverse<usize>, usize)> = all_nodes
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (Reverse(degree.get(*id).copied().unwrap_or(0)), i))
        .collect();
    ranked.sort();
    ranked.truncate(MAX_MAP_NODES);
    let mut kept: Vec<usize> = ranked.into_iter().map(|(_, i)| i).collect();
    kept.sort_unstable();
    kept.iter().map(|&i| all_nodes[i]).collect()
}

/// A run-time edge between the nodes drawn at `a` and `b`.
fn service_edge(
    from: &RuntimeNode,
    to: &RuntimeNode,
    edge: &RuntimeEdge,
    (a, b): (usize, usize),
    flagged: &Flagged,
) -> MapEdge {
    let is_flagged = flagged.contains(&(from.name().to_string(), to.name().to_string()));
    let forward = |layering| LayoutEdge {
        from: a,
        to: b,
        layering,
    };
    let (kind, layout_edge) = match edge.kind {
        RuntimeKind::Calls => ("sync", forward(true)),
        RuntimeKind::Publishes => ("async", forward(true)),
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
        RuntimeKind::Reads | RuntimeKind::Writes => ("data", forward(true)),
    };
    let what = if edge.endpoints.is_empty() {
        String::new()
    } else {
        format!(
            " ({})",
            Listed::capped(edge.endpoints.iter().cloned(), MAX_LISTED)
                .lines
                .join(", ")
        )
    };
    MapEdge {
        flagged: is_flagged,
        weight: edge.sites.len() as u64,
        edge: layout_edge,
        class: format!("edge {kind}{}", if is_flagged { " flagged" } else { "" }),
        title: format!("{} {} {}{what}", from.name(), edge.kind.as_str(), to.name()),
    }
}

/// A service's, topic's or table's box on the map; services coloured by their team.
fn service_node(
    id: &NodeId,
    node: &RuntimeNode,
    (x, y, w, h): (f64, f64, f64, f64),
    sublabel: String,
    colours: &BTreeMap<String, String>,
) -> DrawNode {
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
        sublabel,
        fill: colours
            .get(&team)
            .cloned()
            .unwrap_or_else(|| "#f4f4f4".into()),
        class: class.to_string(),
        team,
        title,
    }
}

fn crate_lines<'a>(crates: impl Iterator<Item = &'a CrateNode>) -> impl Iterator<Item = String> {
    crates.map(|c| {
        let contract = if c.contract { ", contract" } else { "" };
        let co_owned = if c.owners.len() > 1 {
            format!(", co-owned by {}", c.owners.join(" + "))
        } else {
            String::new()
        };
        let maintainers = if c.maintainers.is_empty() {
            String::new()
        } else {
            format!(", maintainers {}", c.maintainers.join(", "))
        };
        format!(
            "{} ({}/{}{contract}{co_owned}{maintainers})",
            c.name,
            c.repo,
            if c.path.is_empty() { "." } else { &c.path }
        )
    })
}

fn service_lines<'a>(
    services: impl Iterator<Item = &'a ServiceNode>,
) -> impl Iterator<Item = String> {
    services.map(|s| {
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
        (
            "dependencies on unowned crates".into(),
            m.unowned_dependencies.to_string(),
        ),
        ("synchronous calls in".into(), m.sync_calls_in.to_string()),
        ("synchronous calls out".into(), m.sync_calls_out.to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_clipped_on_a_character_boundary() {
        assert_eq!(clip("héllo", 2), "hé…");
        assert_eq!(clip("héllo", 5), "héllo");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn the_top_units_are_the_highest_scores_ties_by_id_shown_in_id_order() {
        let ids: Vec<String> = ["d", "c", "b", "a"].map(String::from).to_vec();
        let candidates: Vec<&String> = ids.iter().collect();
        let score = |id: &str| match id {
            "a" => 1,
            "b" => 5,
            "c" => 1,
            _ => 0,
        };
        assert_eq!(top(&candidates, 2, score), ["a", "b"]);
        assert_eq!(top(&candidates, 9, score), ["a", "b", "c", "d"]);
        let listed = Listed::capped((0..45).map(|i| i.to_string()), MAX_LISTED);
        assert_eq!((listed.lines.len(), listed.more), (MAX_LISTED, 5));
    }

    #[test]
    fn a_map_keeps_the_flagged_then_the_heaviest_edges_in_their_order() {
        let edge = |i: usize, flagged: bool, weight: u64| MapEdge {
            flagged,
            weight,
            edge: LayoutEdge {
                from: i,
                to: i + 1,
                layering: true,
            },
            class: String::new(),
            title: i.to_string(),
        };
        let mut edges: Vec<MapEdge> = (0..MAX_MAP_EDGES + 10).map(|i| edge(i, false, 1)).collect();
        edges.push(edge(9_999, true, 0));
        edges[3].weight = 7;
        let kept = keep_edges(edges);
        assert_eq!(kept.len(), MAX_MAP_EDGES);
        assert_eq!(kept.last().unwrap().title, "9999", "the flagged edge stays");
        assert!(kept.iter().any(|e| e.title == "3"));
        assert!(kept.windows(2).all(|w| w[0].edge.from < w[1].edge.from));
    }
}
