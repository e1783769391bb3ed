//! Phase 2, detect: which binaries are services. In order: one declared in capgraph.toml is
//! a service whatever it does; a benchmark, test tool, simulator or example by a word of its
//! name or path; a service when it serves routes or gRPC (in code it reaches); a CLI when it
//! has clap subcommands; a worker when it subscribes to topics, or loops over calls, queries
//! or publishes; a job when it runs them once; else a tool. Only services and workers are
//! nodes of the service graph; each binary keeps the reason for its kind.

use super::Inputs;
use super::evidence::Evidence;
use super::reach::{BinaryUnit, Reach, UNREACHED};
use crate::extract::detectors::Role;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// What a binary is, as far as the run-time graph is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BinaryKind {
    Service,
    Worker,
    Cli,
    Benchmark,
    TestTool,
    Simulator,
    Example,
    Job,
    Tool,
}

impl BinaryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryKind::Service => "service",
            BinaryKind::Worker => "worker",
            BinaryKind::Cli => "cli",
            BinaryKind::Benchmark => "benchmark",
            BinaryKind::TestTool => "test-tool",
            BinaryKind::Simulator => "simulator",
            BinaryKind::Example => "example",
            BinaryKind::Job => "job",
            BinaryKind::Tool => "tool",
        }
    }

    /// Services and workers are nodes of the service graph; the others are kept apart.
    pub fn is_service(self) -> bool {
        matches!(self, BinaryKind::Service | BinaryKind::Worker)
    }
}

/// A binary with its kind and why.
#[derive(Debug, Clone)]
pub struct BinaryInfo {
    pub name: String,
    /// Its name, or `NAME@CRATE` when several scanned binaries have that name: what its
    /// kept-apart calls are keyed by.
    pub id: String,
    /// The crate (node id name) whose binary it is.
    pub krate: String,
    pub kind: BinaryKind,
    pub reason: String,
    /// Its service id when it is a service node (the `[services]` id when declared).
    pub service: Option<String>,
}

/// The services, beside the evidence they were found from.
pub(super) struct Detected<'a> {
    pub evidence: Evidence<'a>,
    pub reach: Reach,
    /// Binary (index into `reach.binaries`) → service id.
    pub service_of: BTreeMap<usize, String>,
    /// The ids declared in capgraph.toml whose crate was found.
    pub declared: HashSet<String>,
    /// Packages one of whose binaries is a service.
    pub service_crates: BTreeSet<usize>,
    /// Every binary with its kind, in package order.
    pub binaries: Vec<BinaryInfo>,
}

impl Detected<'_> {
    /// The services that run hit `index` of the evidence, in binary order.
    pub fn hit_callers(&self, index: usize) -> Vec<String> {
        self.services_among(&self.reach.hits[index])
    }

    /// The services that run gRPC fact `index` of the evidence.
    pub fn grpc_callers(&self, index: usize) -> Vec<String> {
        self.services_among(&self.reach.grpc[index])
    }

    /// The binaries that are not services and reach hit `index` (not merely link it), by
    /// binary name: their calls are kept apart from the service graph.
    pub fn hit_others(&self, index: usize) -> Vec<String> {
        self.others_among(&self.reach.hits[index])
    }

    /// The binaries that are not services and reach gRPC fact `index`.
    pub fn grpc_others(&self, index: usize) -> Vec<String> {
        self.others_among(&self.reach.grpc[index])
    }

    fn others_among(&self, units: &[(usize, u32)]) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for &(unit, depth) in units {
            let name = &self.binaries[unit].id;
            if depth != UNREACHED && !self.service_of.contains_key(&unit) && !names.contains(name) {
                names.push(name.clone());
            }
        }
        names
    }

    fn services_among(&self, units: &[(usize, u32)]) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (unit, _) in units {
            if let Some(name) = self.service_of.get(unit)
                && !names.contains(name)
            {
                names.push(name.clone());
            }
        }
        names
    }

    pub fn package_of(&self, unit: usize) -> usize {
        self.reach.binaries[unit].package
    }
}

pub(super) fn detect<'a>(
    inputs: &Inputs<'a>,
    evidence: Evidence<'a>,
    reach: Reach,
) -> Detected<'a> {
    let roles = roles_reached(&evidence, &reach);
    let declared_units = declared_services(inputs, &reach);
    let mut service_of = BTreeMap::new();
    let mut binaries = Vec::new();
    for (unit, binary) in reach.binaries.iter().enumerate() {
        let declared = declared_units.get(&unit);
        let (kind, reason) = match declared {
            Some(id) => (
                BinaryKind::Service,
                format!("declared as service `{id}` in capgraph.toml"),
            ),
            None => classify(binary, &roles[unit], &reach, unit),
        };
        let service = kind
            .is_service()
            .then(|| declared.cloned().unwrap_or_else(|| binary.name.clone()));
        if let Some(id) = &service {
            service_of.insert(unit, id.clone());
        }
        binaries.push(BinaryInfo {
            name: binary.name.clone(),
            id: binary.name.clone(),
            krate: inputs.packages.packages[binary.package].id_name.clone(),
            kind,
            reason,
            service,
        });
    }
    // Service binaries sharing a name (in two packages): each undeclared one takes its crate
    // into its id.
    dedupe_ids(&mut service_of, &reach.binaries, &declared_units, inputs);
    for (unit, info) in binaries.iter_mut().enumerate() {
        info.service = service_of.get(&unit).cloned();
    }
    let mut named: BTreeMap<String, usize> = BTreeMap::new();
    for info in &binaries {
        *named.entry(info.name.clone()).or_default() += 1;
    }
    for info in &mut binaries {
        if named[&info.name] > 1 {
            info.id = format!("{}@{}", info.name, info.krate);
        }
    }
    let service_crates = service_of
        .keys()
        .map(|&u| reach.binaries[u].package)
        .collect();
    let declared = declared_units.into_values().collect();
    Detected {
        evidence,
        reach,
        service_of,
        declared,
        service_crates,
        binaries,
    }
}

/// What each binary reaches: roles of hits, whether it serves or calls gRPC.
#[derive(Default)]
struct Reached {
    roles: BTreeSet<Role>,
    grpc_server: bool,
    grpc_client: bool,
}

fn roles_reached(evidence: &Evidence, reach: &Reach) -> Vec<Reached> {
    let mut out: Vec<Reached> = (0..reach.binaries.len())
        .map(|_| Reached::default())
        .collect();
    // A site no binary reaches is counted for every binary linking it (see `reach`), but it
    // makes a binary a service or worker only in the binary's own package.
    let counts = |unit: usize, package: usize, depth: u32| {
        depth != UNREACHED || reach.binaries[unit].package == package
    };
    for (e, units) in evidence.hits.iter().zip(&reach.hits) {
        for &(unit, depth) in units {
            if counts(unit, e.package, depth) {
                out[unit].roles.insert(e.hit.role);
            }
        }
    }
    for (g, units) in evidence.grpc.iter().zip(&reach.grpc) {
        for &(unit, depth) in units.iter().filter(|(u, d)| counts(*u, g.package, *d)) {
            let _ = depth;
            if g.fact.client {
                out[unit].grpc_client = true;
            } else {
                out[unit].grpc_server = true;
            }
        }
    }
    out
}

/// The binaries declared under `[services]`: by `bin`, else the crate's binary named like
/// the id, else its only binary, else its first. A declared crate without binaries gets none
/// here (its library is not run by any binary of the scan).
fn declared_services(inputs: &Inputs, reach: &Reach) -> BTreeMap<usize, String> {
    let mut out = BTreeMap::new();
    for (id, service) in &inputs.config.services {
        let krate = service.krate.as_deref().unwrap_or(id);
        let units: Vec<usize> = reach
            .binaries
            .iter()
            .enumerate()
            .filter(|(_, b)| inputs.packages.packages[b.package].name == krate)
            .map(|(i, _)| i)
            .collect();
        let named = |name: &str| {
            units
                .iter()
                .copied()
                .find(|&u| reach.binaries[u].name == name)
        };
        let unit = match &service.bin {
            Some(bin) => named(bin),
            None => named(id)
                .or_else(|| named(krate))
                .or(units.first().copied()),
        };
        if let Some(unit) = unit {
            out.insert(unit, id.clone());
        }
    }
    out
}

/// The kind of a binary nobody declared, from what it reaches and what it is called.
fn classify(
    binary: &BinaryUnit,
    reached: &Reached,
    reach: &Reach,
    unit: usize,
) -> (BinaryKind, String) {
    if let Some((kind, word)) = kind_by_name(binary) {
        return (kind, format!("its name or path says {word}"));
    }
    // A mount without routes of its own serves nothing (`.merge(..)`, `.service(..)`).
    let serves = reached.roles.contains(&Role::Route) || reached.grpc_server;
    if serves {
        let what = if reached.grpc_server && !reached.roles.contains(&Role::Route) {
            "serves gRPC"
        } else {
            "serves HTTP routes"
        };
        return (BinaryKind::Service, what.to_string());
    }
    if reach.subcommands[unit] {
        return (
            BinaryKind::Cli,
            "serves nothing and has clap subcommands: a command-line tool".to_string(),
        );
    }
    if reached.roles.contains(&Role::Subscribe) {
        return (BinaryKind::Worker, "subscribes to topics".to_string());
    }
    if reached.roles.contains(&Role::HttpCall)
        || reached.roles.contains(&Role::Publish)
        || reached.roles.contains(&Role::Sql)
        || reached.roles.contains(&Role::Table)
        || reached.grpc_client
    {
        if !reach.long_running[unit] {
            return (
                BinaryKind::Job,
                "serves nothing and has no loop: runs once (a job)".to_string(),
            );
        }
        return (
            BinaryKind::Worker,
            "serves nothing but loops over calls, queries or publishes: a worker".to_string(),
        );
    }
    (
        BinaryKind::Tool,
        "serves nothing and runs no run-time evidence".to_string(),
    )
}

/// Benchmarks, test tools, simulators and examples, by a word of the binary's name or a
/// directory of its root file.
fn kind_by_name(binary: &BinaryUnit) -> Option<(BinaryKind, &'static str)> {
    // Words of the binary's name, and of its root file's name and directories split the
    // same way (`benches/`, `src/bin/load_test.rs`); only the name's own words may merely
    // contain `bench` (`pagebench`), so a crate directory `workbench/` says nothing.
    let name_words: Vec<String> = binary
        .name
        .split(['-', '_'])
        .map(str::to_lowercase)
        .collect();
    let words: Vec<String> = name_words
        .iter()
        .cloned()
        .chain(
            binary
                .root_file
                .split(['/', '-', '_'])
                .map(|w| w.trim_end_matches(".rs").to_lowercase()),
        )
        .collect();
    let has = |pred: &dyn Fn(&str) -> bool| words.iter().any(|w| pred(w));
    let bench_in_name = name_words.iter().any(|w| w.contains("bench"));
    if bench_in_name
        || has(&|w| matches!(w, "bench" | "benches" | "benchmark" | "benchmarks" | "perf"))
    {
        return Some((BinaryKind::Benchmark, "benchmark"));
    }
    if has(&|w| {
        matches!(
            w,
            "test" | "tests" | "testing" | "tester" | "e2e" | "fixture" | "fixtures" | "regression"
        )
    }) {
        return Some((BinaryKind::TestTool, "test"));
    }
    if has(&|w| w.starts_with("simulat") || w == "sim") {
        return Some((BinaryKind::Simulator, "simulator"));
    }
    if has(&|w| matches!(w, "example" | "examples" | "demo")) {
        return Some((BinaryKind::Example, "example"));
    }
    if has(&|w| w.starts_with("fuzz")) {
        return Some((BinaryKind::TestTool, "fuzz"));
    }
    None
}

/// Service ids are binary names; when two service binaries share a name, each takes
/// `NAME@CRATE` so that neither absorbs the other.
fn dedupe_ids(
    service_of: &mut BTreeMap<usize, String>,
    binaries: &[BinaryUnit],
    declared: &BTreeMap<usize, String>,
    inputs: &Inputs,
) {
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for id in service_of.values() {
        *count.entry(id.clone()).or_default() += 1;
    }
    for (unit, id) in service_of.iter_mut() {
        // A declared id keeps its name; a detected binary sharing it (or another detected
        // binary's name) takes its crate's.
        if count[id.as_str()] > 1 && !declared.contains_key(unit) {
            let package = &inputs.packages.packages[binaries[*unit].package];
            *id = format!("{id}@{}", package.id_name);
        }
    }
}
