//! Coupling numbers per capability and per team: afferent and efferent coupling,
//! instability, fan-in and fan-out, the share of dependencies that cross to other teams, and
//! synchronous calls in and out. Build-time numbers count normal and build dependencies
//! between scanned crates; dev-dependencies do not ship and are left out.

use super::graph::{CrateGraph, CrateNode, Node};
use super::services::{RuntimeKind, RuntimeNode, ServiceGraph};
use crate::extract::DepKind;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The numbers of one capability or team.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UnitMetrics {
    /// Crates it owns.
    pub crates: u32,
    /// Services it owns.
    pub services: u32,
    /// Ca: how many other units depend on it.
    pub afferent: u32,
    /// Ce: how many other units it depends on.
    pub efferent: u32,
    /// I = Ce / (Ca + Ce): 0 is maximally stable, 1 maximally unstable; absent when it has
    /// no dependencies either way.
    pub instability: Option<f64>,
    /// Crate dependencies coming in from other units' crates.
    pub fan_in: u32,
    /// Crate dependencies going out to other units' crates.
    pub fan_out: u32,
    /// Its crate dependencies on other scanned crates.
    pub dependencies: u32,
    /// How many of those go to crates of another team.
    pub cross_team_dependencies: u32,
    /// Its crate dependencies on scanned crates nobody owns (not in `dependencies`, whose
    /// other side has a team): together they are all its dependencies on scanned crates.
    pub unowned_dependencies: u32,
    /// `cross_team_dependencies / dependencies`; absent when it has none.
    pub cross_team_ratio: Option<f64>,
    /// Synchronous (HTTP, gRPC) call edges from other units' services to its services.
    pub sync_calls_in: u32,
    /// Synchronous call edges from its services to services of other units, or to unknown
    /// callees.
    pub sync_calls_out: u32,
}

/// The metrics of every capability and team, by id.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Metrics {
    pub capabilities: BTreeMap<String, UnitMetrics>,
    pub teams: BTreeMap<String, UnitMetrics>,
    /// The crates of no capability, as one unit, when there are any. Its dependencies count
    /// in fan-in and fan-out on both sides, never in Ca, Ce or instability (it is no unit
    /// anybody can act as).
    pub unowned_capability: Option<UnitMetrics>,
    /// The crates of no team, likewise.
    pub unowned_team: Option<UnitMetrics>,
}

/// The id the crates of no unit are rolled up under, in views that show them as one unit. No
/// team or capability can have it: config ids and handles have no parentheses.
pub const UNOWNED: &str = "(unowned)";

/// Rounds a ratio to three decimals, so that reports show what rules compared.
pub fn round(ratio: f64) -> f64 {
    (ratio * 1000.0).round() / 1000.0
}

/// Computes the metrics of the organization.
pub fn compute(graph: &CrateGraph, services: &ServiceGraph) -> Metrics {
    let mut metrics = Metrics::default();
    for (_, index) in graph.nodes_by_id() {
        match &graph.graph[index] {
            Node::Capability(capability) => {
                metrics
                    .capabilities
                    .insert(capability.id.clone(), UnitMetrics::default());
            }
            Node::Team(team) => {
                metrics
                    .teams
                    .insert(team.id.clone(), UnitMetrics::default());
            }
            _ => {}
        }
    }
    // The unowned units are counted like the others, then taken out (unless a unit has the
    // id, which no config or handle can give).
    let taken = |units: &BTreeMap<String, UnitMetrics>| units.contains_key(UNOWNED);
    let counted = !taken(&metrics.teams) && !taken(&metrics.capabilities);
    if counted {
        metrics
            .capabilities
            .insert(UNOWNED.to_string(), UnitMetrics::default());
        metrics
            .teams
            .insert(UNOWNED.to_string(), UnitMetrics::default());
    }
    count_crates(&mut metrics, graph);
    count_dependencies(&mut metrics, graph);
    count_services(&mut metrics, services);
    set_ratios(&mut metrics);
    if counted {
        let has_crates = |unit: UnitMetrics| (unit.crates > 0).then_some(unit);
        metrics.unowned_capability = metrics.capabilities.remove(UNOWNED).and_then(has_crates);
        metrics.unowned_team = metrics.teams.remove(UNOWNED).and_then(has_crates);
    }
    metrics
}

/// The unit a crate or service counts under: its own, or the unowned one.
fn unit_or_unowned(unit: &Option<String>) -> &str {
    unit.as_deref().unwrap_or(UNOWNED)
}

/// Crates per unit.
fn count_crates(metrics: &mut Metrics, graph: &CrateGraph) {
    for krate in graph.crates() {
        if let Some(unit) = metrics
            .capabilities
            .get_mut(unit_or_unowned(&krate.capability))
        {
            unit.crates += 1;
        }
        if let Some(unit) = metrics.teams.get_mut(unit_or_unowned(&krate.team)) {
            unit.crates += 1;
        }
    }
}

/// Dependencies, cross-team dependencies, fan-in and fan-out, Ca and Ce.
fn count_dependencies(metrics: &mut Metrics, graph: &CrateGraph) {
    let mut capability_pairs: BTreeSet<(String, String)> = BTreeSet::new();
    let mut team_pairs: BTreeSet<(String, String)> = BTreeSet::new();
    // A crate that depends on another both as a normal and a build dependency depends on it
    // once.
    let mut counted: BTreeSet<(&str, &str)> = BTreeSet::new();
    for (from, to, edge) in graph.edges_sorted() {
        if edge.kind == DepKind::Dev {
            continue;
        }
        let (Node::Crate(from), Node::Crate(to)) = (from, to) else {
            continue;
        };
        if !counted.insert((from.id_name.as_str(), to.id_name.as_str())) {
            continue;
        }
        count_dependency(metrics, from, to);
        for (from_unit, to_unit, units, pairs) in [
            (
                &from.capability,
                &to.capability,
                &mut metrics.capabilities,
                &mut capability_pairs,
            ),
            (&from.team, &to.team, &mut metrics.teams, &mut team_pairs),
        ] {
            let (from_unit, to_unit) = (unit_or_unowned(from_unit), unit_or_unowned(to_unit));
            if from_unit == to_unit || from.co_owned_with(to) {
                continue;
            }
            if let Some(unit) = units.get_mut(from_unit) {
                unit.fan_out += 1;
            }
            if let Some(unit) = units.get_mut(to_unit) {
                unit.fan_in += 1;
            }
            if from_unit != UNOWNED && to_unit != UNOWNED {
                pairs.insert((from_unit.to_string(), to_unit.to_string()));
            }
        }
    }
    for (pairs, units) in [
        (&capability_pairs, &mut metrics.capabilities),
        (&team_pairs, &mut metrics.teams),
    ] {
        for (from, to) in pairs {
            if let Some(unit) = units.get_mut(from) {
                unit.efferent += 1;
            }
            if let Some(unit) = units.get_mut(to) {
                unit.afferent += 1;
            }
        }
    }
}

/// One crate dependency in the depending crate's units: a dependency, and whether it crosses
/// to another team, when the other side has a team; an unowned dependency when it has none.
fn count_dependency(metrics: &mut Metrics, from: &CrateNode, to: &CrateNode) {
    // Co-owners share a crate: depending on a crate one of your teams owns is not crossing to
    // another team.
    let crosses = from.team.is_some() && to.team.is_some() && !from.shares_owner_with(to);
    for unit in [
        metrics
            .capabilities
            .get_mut(unit_or_unowned(&from.capability)),
        metrics.teams.get_mut(unit_or_unowned(&from.team)),
    ]
    .into_iter()
    .flatten()
    {
        if to.team.is_some() {
            unit.dependencies += 1;
            unit.cross_team_dependencies += u32::from(crosses);
        } else {
            unit.unowned_dependencies += 1;
        }
    }
}

/// Services per unit, and synchronous calls in and out.
fn count_services(metrics: &mut Metrics, services: &ServiceGraph) {
    for service in services
        .services()
        .filter(|s| !s.unknown && !s.krate.is_empty())
    {
        if let Some(unit) = metrics
            .capabilities
            .get_mut(unit_or_unowned(&service.capability))
        {
            unit.services += 1;
        }
        if let Some(unit) = metrics.teams.get_mut(unit_or_unowned(&service.team)) {
            unit.services += 1;
        }
    }
    for (from, to, edge) in services.edges_sorted() {
        if edge.kind != RuntimeKind::Calls {
            continue;
        }
        let (RuntimeNode::Service(from), RuntimeNode::Service(to)) = (from, to) else {
            continue;
        };
        for (from_unit, to_unit, units) in [
            (&from.capability, &to.capability, &mut metrics.capabilities),
            (&from.team, &to.team, &mut metrics.teams),
        ] {
            if from_unit.is_some() && from_unit == to_unit {
                continue;
            }
            if let Some(unit) = from_unit.as_ref().and_then(|u| units.get_mut(u)) {
                unit.sync_calls_out += 1;
            }
            if let Some(unit) = to_unit.as_ref().and_then(|u| units.get_mut(u)) {
                unit.sync_calls_in += 1;
            }
        }
    }
}

/// Instability and the cross-team ratio, from the counts.
fn set_ratios(metrics: &mut Metrics) {
    for unit in metrics
        .capabilities
        .values_mut()
        .chain(metrics.teams.values_mut())
    {
        let total = unit.afferent + unit.efferent;
        unit.instability = (total > 0).then(|| round(f64::from(unit.efferent) / f64::from(total)));
        unit.cross_team_ratio = (unit.dependencies > 0)
            .then(|| round(f64::from(unit.cross_team_dependencies) / f64::from(unit.dependencies)));
    }
}
