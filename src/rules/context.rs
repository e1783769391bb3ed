//! What rules read: the analysed model, with the lookups and roll-ups several rules share
//! computed once.

use super::config::ForbidRule;
use super::{Location, Settings};
use crate::extract::DepKind;
use crate::model::Analysis;
use crate::model::metrics::Metrics;
use crate::model::ownership::Capability;
use crate::model::services::{RuntimeEdge, RuntimeKind, RuntimeNode, ServiceGraph, ServiceNode};
use crate::model::{CrateGraph, CrateNode, DependsOn, Node, Site, Suppression};
use std::collections::BTreeMap;

/// How many code lines a finding lists behind a dependency; the graph keeps them all.
pub const MAX_RELATED: usize = 10;

/// Dependencies between units (capabilities or teams), by (from, to) unit.
pub type GroupedDeps<'a> = BTreeMap<(&'a str, &'a str), Vec<Dep<'a>>>;

/// A manifest dependency between two crates (or on a third-party crate).
#[derive(Clone, Copy)]
pub struct Dep<'a> {
    pub from: &'a CrateNode,
    pub to: &'a Node,
    pub edge: &'a DependsOn,
}

impl<'a> Dep<'a> {
    /// The crate depended on, when it is one of the scanned ones.
    pub fn to_crate(&self) -> Option<&'a CrateNode> {
        match self.to {
            Node::Crate(krate) => Some(krate),
            _ => None,
        }
    }

    /// Where the dependency is declared: the line to change or suppress.
    pub fn location(&self) -> Location {
        Location::new(
            &self.from.repo,
            &self.edge.declared_at.path,
            Some(self.edge.declared_at.line),
        )
    }

    /// The code lines that use it (the first few).
    pub fn related(&self) -> Vec<Location> {
        sites(&self.from.repo, &self.edge.sites)
    }

    /// Whether it ships with the crate: normal and build dependencies do, dev ones do not.
    pub fn ships(&self) -> bool {
        self.edge.kind != DepKind::Dev
    }
}

/// Locations of the first sites of a list.
pub fn sites(repo: &str, sites: &[Site]) -> Vec<Location> {
    sites
        .iter()
        .take(MAX_RELATED)
        .map(|site| Location::new(repo, &site.path, Some(site.line)))
        .collect()
}

/// A run-time edge with both ends.
#[derive(Clone, Copy)]
pub struct RuntimeDep<'a> {
    pub from: &'a ServiceNode,
    pub to: &'a RuntimeNode,
    pub edge: &'a RuntimeEdge,
}

impl<'a> RuntimeDep<'a> {
    /// The callee service, when the edge goes to one.
    pub fn to_service(&self) -> Option<&'a ServiceNode> {
        match self.to {
            RuntimeNode::Service(service) => Some(service),
            _ => None,
        }
    }

    /// The first site, where a fix or a suppression goes.
    pub fn location(&self) -> Option<Location> {
        self.edge
            .sites
            .first()
            .map(|site| Location::new(&self.edge.repo, &site.path, Some(site.line)))
    }

    pub fn related(&self) -> Vec<Location> {
        sites(&self.edge.repo, &self.edge.sites)
    }

    /// Whether it is a synchronous call (HTTP or gRPC).
    pub fn is_sync_call(&self) -> bool {
        self.edge.kind == RuntimeKind::Calls
    }
}

/// What the engine learnt about one suppression comment once the other rules ran.
#[derive(Debug, Clone)]
pub struct SuppressionOutcome<'a> {
    pub suppression: &'a Suppression,
    /// It silenced at least one finding.
    pub used: bool,
    /// Names inside `allow(..)` that are no rule.
    pub unknown_rules: Vec<String>,
    /// Every rule it names is enabled (so "suppresses nothing" is meaningful).
    pub all_enabled: bool,
}

/// The model as rules see it.
pub struct Context<'a> {
    pub analysis: &'a Analysis,
    pub graph: &'a CrateGraph,
    pub services: &'a ServiceGraph,
    /// The analysis's coupling numbers, computed once with the model.
    pub metrics: &'a Metrics,
    pub forbid: &'a [ForbidRule],
    /// Every manifest dependency of a scanned crate, sorted by (from, to, kind).
    pub deps: Vec<Dep<'a>>,
    /// Every run-time edge whose caller is a service, sorted.
    pub runtime: Vec<RuntimeDep<'a>>,
    /// Filled by the engine after the other rules ran, for the suppression rules.
    pub suppressions: Vec<SuppressionOutcome<'a>>,
}

impl<'a> Context<'a> {
    pub fn new(analysis: &'a Analysis, settings: &'a Settings) -> Context<'a> {
        let deps = analysis
            .graph
            .edges_sorted()
            .into_iter()
            .filter_map(|(from, to, edge)| match from {
                Node::Crate(from) => Some(Dep { from, to, edge }),
                _ => None,
            })
            .collect();
        let runtime = analysis
            .services
            .edges_sorted()
            .into_iter()
            .filter_map(|(from, to, edge)| match from {
                RuntimeNode::Service(from) => Some(RuntimeDep { from, to, edge }),
                _ => None,
            })
            .collect();
        Context {
            analysis,
            graph: &analysis.graph,
            services: &analysis.services,
            metrics: &analysis.metrics,
            forbid: &settings.forbid,
            deps,
            runtime,
            suppressions: Vec::new(),
        }
    }

    /// Whether teams and capabilities were inferred (no capgraph.toml declares any).
    pub fn zero_config(&self) -> bool {
        self.analysis.ownership.zero_config
    }

    pub fn capability(&self, id: &str) -> Option<&'a Capability> {
        self.analysis.ownership.capabilities.get(id)
    }

    /// The teams that stand in for teams without being one: review groups, and single people
    /// (zero-config, where CODEOWNERS names people, not teams, for some crates).
    pub fn stand_in_teams(&self) -> BTreeMap<String, crate::core::OwnerKind> {
        self.analysis
            .ownership
            .teams
            .values()
            .filter(|t| t.kind != crate::core::OwnerKind::Team)
            .map(|t| (t.id.clone(), t.kind))
            .collect()
    }

    /// The owning team of a capability.
    pub fn team_of(&self, capability: &str) -> Option<&'a str> {
        self.capability(capability)?.team.as_deref()
    }

    /// `checkout-svc (checkout, team orders)`: a crate with its owners, for messages.
    pub fn describe_crate(&self, krate: &CrateNode) -> String {
        match (&krate.capability, &krate.team) {
            (Some(capability), Some(team)) => {
                format!("{} ({capability}, team {team})", krate.name)
            }
            (None, Some(team)) => format!("{} (team {team})", krate.name),
            (Some(capability), None) => format!("{} ({capability}, no team)", krate.name),
            (None, None) => format!("{} (unowned)", krate.name),
        }
    }

    /// `payments (team payments)`.
    pub fn describe_capability(&self, id: &str) -> String {
        self.describe_capability_with(id, "")
    }

    /// `payments (team payments, I = 0.50)`: with more said inside the parentheses.
    pub fn describe_capability_with(&self, id: &str, extra: &str) -> String {
        let team = match self.team_of(id) {
            Some(team) => format!("team {team}"),
            None => "no team".to_string(),
        };
        format!("{id} ({team}{extra})")
    }

    /// `checkout-svc (checkout, team orders)`.
    pub fn describe_service(&self, service: &ServiceNode) -> String {
        match (&service.capability, &service.team) {
            (Some(capability), Some(team)) => {
                format!("{} ({capability}, team {team})", service.name)
            }
            (None, Some(team)) => format!("{} (team {team})", service.name),
            _ => format!("{} (unowned)", service.name),
        }
    }

    /// The teams of two sides, deduplicated, in order.
    pub fn teams(&self, sides: &[Option<&str>]) -> Vec<String> {
        let mut teams: Vec<String> = Vec::new();
        for team in sides.iter().flatten() {
            if !teams.iter().any(|t| t == team) {
                teams.push((*team).to_string());
            }
        }
        teams
    }

    /// Dependencies that ship (normal and build) between crates of two different
    /// capabilities, grouped by (from, to) capability. A dependency between crates that
    /// share an owning team, one of them co-owned, is not between units
    /// ([`CrateNode::co_owned_with`]).
    pub fn capability_deps(&self) -> GroupedDeps<'a> {
        self.unit_deps(|krate| krate.capability.as_deref(), false)
    }

    /// The same, between teams.
    pub fn team_deps(&self) -> GroupedDeps<'a> {
        self.unit_deps(|krate| krate.team.as_deref(), false)
    }

    /// [`Context::capability_deps`] with the dependencies between co-owned crates too (each
    /// crate under its first owner), for the cycle rules, which name the cycles they close.
    pub fn capability_deps_with_co_owned(&self) -> GroupedDeps<'a> {
        self.unit_deps(|krate| krate.capability.as_deref(), true)
    }

    /// [`Context::team_deps`] with the dependencies between co-owned crates too.
    pub fn team_deps_with_co_owned(&self) -> GroupedDeps<'a> {
        self.unit_deps(|krate| krate.team.as_deref(), true)
    }

    fn unit_deps(
        &self,
        unit: impl Fn(&'a CrateNode) -> Option<&'a str>,
        with_co_owned: bool,
    ) -> GroupedDeps<'a> {
        let mut grouped: BTreeMap<(&str, &str), Vec<Dep>> = BTreeMap::new();
        for dep in &self.deps {
            let Some(to) = dep.to_crate() else { continue };
            if !dep.ships() {
                continue;
            }
            if !with_co_owned && dep.from.co_owned_with(to) {
                continue;
            }
            if let (Some(from_unit), Some(to_unit)) = (unit(dep.from), unit(to))
                && from_unit != to_unit
            {
                grouped.entry((from_unit, to_unit)).or_default().push(*dep);
            }
        }
        grouped
    }

    /// Whether the crates of two services have an owning team in common (co-owners share a
    /// crate, and with it its services).
    pub fn share_owner(&self, a: &ServiceNode, b: &ServiceNode) -> bool {
        match (
            self.graph.crate_named(&a.krate),
            self.graph.crate_named(&b.krate),
        ) {
            (Some(a), Some(b)) => a.shares_owner_with(b),
            _ => false,
        }
    }

    /// The synchronous calls between two known services.
    pub fn service_calls(
        &self,
    ) -> impl Iterator<Item = (&'a ServiceNode, &'a ServiceNode, &RuntimeDep<'a>)> {
        self.runtime.iter().filter_map(|dep| {
            let to = dep.to_service()?;
            (dep.is_sync_call() && !to.krate.is_empty()).then_some((dep.from, to, dep))
        })
    }
}
