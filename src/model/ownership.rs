//! Ownership: which team and capability own each crate and file, and who says so.
//!
//! Sources, highest precedence first (SPEC §3.1): `capgraph.toml` (`crates`, then `paths`,
//! the most specific glob winning), `[package.metadata.capgraph]`, the nearest Backstage
//! `catalog-info.yaml`, and CODEOWNERS matched on the crate's directory. Every answer keeps
//! the claim that decided it and the claims it overrode; disagreements, unknown owners, stale
//! patterns and split crates are recorded as problems for the rules to report.

use super::packages::{Package, PackageSet};
use crate::config::Located;
pub use crate::config::handle_key;
use crate::config::{CapabilityKind, Config, Origin};
use crate::discover::{Discovery, FileKind};
use crate::extract::FileFacts;
use crate::extract::catalog::{CatalogEntity, CatalogFacts, EntityKind};
use crate::extract::codeowners::CodeownersFacts;
use globset::{GlobBuilder, GlobMatcher};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Where an ownership claim comes from, in precedence order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceKind {
    /// `capgraph.toml` `crates = [..]`.
    ConfigCrates,
    /// `capgraph.toml` `paths = [..]`.
    ConfigPaths,
    /// `[package.metadata.capgraph]`.
    CargoMetadata,
    /// Backstage `catalog-info.yaml`.
    Catalog,
    /// CODEOWNERS.
    Codeowners,
}

impl SourceKind {
    pub fn describe(self) -> &'static str {
        match self {
            SourceKind::ConfigCrates => "capgraph.toml crates",
            SourceKind::ConfigPaths => "capgraph.toml paths",
            SourceKind::CargoMetadata => "Cargo.toml [package.metadata.capgraph]",
            SourceKind::Catalog => "catalog-info.yaml",
            SourceKind::Codeowners => "CODEOWNERS",
        }
    }
}

/// What one source says about one crate or file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub source: SourceKind,
    /// `repo/path:line` of the statement.
    pub origin: Origin,
    /// What the statement says, as written (`/domains/payments/ @acme/payments`).
    pub statement: String,
    pub capability: Option<String>,
    /// The owning team, resolved to a team id; `None` if the source names no known team.
    pub team: Option<String>,
    /// All teams the statement names, resolved.
    pub owners: Vec<String>,
    /// Owner references the statement names that are no known team.
    pub unknown: Vec<String>,
}

impl Claim {
    /// Why the claim names no team, for a claim that names none: what the user will find at
    /// its origin.
    pub fn why_no_team(&self) -> String {
        if !self.unknown.is_empty() {
            let names: Vec<String> = self.unknown.iter().map(|u| format!("`{u}`")).collect();
            let what = if names.len() == 1 {
                "which is no declared team"
            } else {
                "which are no declared teams"
            };
            format!("names {}, {what}", names.join(", "))
        } else if self.source == SourceKind::Codeowners {
            "lists no owners".to_string()
        } else {
            "names no team".to_string()
        }
    }
}

/// The ownership of one crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrateOwnership {
    pub capability: Option<String>,
    pub team: Option<String>,
    pub owners: Vec<String>,
    /// The claim that decided, if any source said anything.
    pub decided_by: Option<Claim>,
    /// The other claims, in precedence order.
    pub others: Vec<Claim>,
    /// Whether `[package.metadata.capgraph] contract = true` or the capability lists it.
    pub contract: bool,
}

/// A team of the organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub handles: Vec<String>,
    /// Where it was declared; `None` when inferred from an owner handle (zero-config).
    pub origin: Option<Origin>,
}

/// A capability of the organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capability {
    pub id: String,
    pub team: Option<String>,
    pub kind: CapabilityKind,
    pub contracts: Vec<String>,
    pub depends_on: Option<Vec<String>>,
    pub wraps: Vec<String>,
    /// Where it was declared; `None` when inferred (zero-config: one per team).
    pub origin: Option<Origin>,
}

/// A problem with the ownership data, for the OWN rules.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OwnershipProblem {
    /// The rule id (`OWN001`...).
    pub rule: &'static str,
    pub message: String,
    /// `repo/path:line` where the fix goes.
    pub location: Origin,
    /// The crate concerned, if any.
    pub krate: Option<String>,
}

/// The kebab-case name of an ownership rule.
pub fn rule_name(id: &str) -> &'static str {
    match id {
        "OWN001" => "unowned-crate",
        "OWN002" => "conflicting-owners",
        "OWN003" => "unknown-owner",
        "OWN004" => "stale-ownership-rule",
        "OWN005" => "split-crate",
        _ => "ownership",
    }
}

/// Ownership of the whole organization.
#[derive(Debug, Clone, Default)]
pub struct Ownership {
    /// Per root, the CODEOWNERS file in force (its path and rules), for per-file answers.
    pub codeowners: Vec<Option<(String, CodeownersFacts)>>,
    pub teams: BTreeMap<String, Team>,
    pub capabilities: BTreeMap<String, Capability>,
    /// Per package (same index as `PackageSet::packages`).
    pub crates: Vec<CrateOwnership>,
    /// Whether no `capgraph.toml` declared anything (teams and capabilities inferred).
    pub zero_config: bool,
    pub problems: Vec<OwnershipProblem>,
}

/// The ownership facts of one root: its CODEOWNERS and catalog files.
struct RootSources<'a> {
    codeowners: Option<(&'a str, &'a CodeownersFacts)>,
    catalogs: Vec<(&'a str, &'a CatalogFacts)>,
}

/// Maps owner references (handles, catalog names) to team ids.
///
/// A reference matches a team's id or one of its handles, compared by [`handle_key`]: GitHub
/// handles and e-mails ignore case, and the Backstage forms `name`, `group:name` and
/// `group:default/name` are one reference. A catalog owner is a bare group name; when no
/// handle is that name, it also matches the one team with a GitHub team handle `@org/name`,
/// and matches nothing if several teams have one (in different organizations), since
/// guessing would hide the ambiguity.
struct TeamResolver {
    by_handle: BTreeMap<String, String>,
    /// Team ids by the name part of their `@org/name` handles.
    by_github_team_name: BTreeMap<String, Vec<String>>,
    zero_config: bool,
}

impl TeamResolver {
    fn new(config: &Config, zero_config: bool) -> TeamResolver {
        let mut by_handle = BTreeMap::new();
        let mut by_github_team_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (id, team) in &config.teams {
            // A team id is matched whole (ignoring case): `acme/orders` is not `orders`.
            by_handle.insert(id.to_lowercase(), id.clone());
            by_handle.insert(format!("@{}", id.to_lowercase()), id.clone());
            for handle in &team.handles {
                let key = handle_key(&handle.value);
                if let Some((_, name)) = key.strip_prefix('@').and_then(|h| h.split_once('/')) {
                    let ids = by_github_team_name.entry(name.to_string()).or_default();
                    if !ids.contains(id) {
                        ids.push(id.clone());
                    }
                }
                by_handle.insert(key, id.clone());
            }
        }
        TeamResolver {
            by_handle,
            by_github_team_name,
            zero_config,
        }
    }

    fn resolve(&self, reference: &str) -> Option<String> {
        let whole = reference.trim().to_lowercase();
        let key = handle_key(reference);
        if let Some(team) = self
            .by_handle
            .get(&whole)
            .or_else(|| self.by_handle.get(&key))
        {
            return Some(team.clone());
        }
        if !key.contains('@')
            && let Some([team]) = self.by_github_team_name.get(&key).map(Vec::as_slice)
        {
            return Some(team.clone());
        }
        if self.zero_config {
            return Some(zero_config_team_id(reference));
        }
        None
    }

    /// Why `reference` resolves to no team, for OWN003.
    fn unresolved_message(&self, reference: &str) -> String {
        match self.by_github_team_name.get(&handle_key(reference)) {
            Some(teams) if teams.len() > 1 => format!(
                "owner `{reference}` is ambiguous: teams {} all have a GitHub team handle named \
                 `{}`; add `{reference}` to the `handles` of the team it means",
                teams.join(", "),
                handle_key(reference)
            ),
            _ => format!(
                "owner `{reference}` is not a handle of any team declared in capgraph.toml; add \
                 it to the `handles` of its team"
            ),
        }
    }
}

/// Handles in a stable order, for output that does not change when a config is reordered.
fn sorted(handles: impl Iterator<Item = String>) -> Vec<String> {
    let mut handles: Vec<String> = handles.collect();
    handles.sort();
    handles.dedup();
    handles
}

/// The team id zero-config mode gives a handle: the handle without its leading `@`, in lower
/// case, since `@Acme/Payments` and `@acme/payments` are one GitHub team.
pub fn zero_config_team_id(handle: &str) -> String {
    handle.trim().trim_start_matches('@').to_lowercase()
}

/// Resolves the ownership of every package.
pub fn resolve(
    discovery: &Discovery,
    facts: &[Option<FileFacts>],
    packages: &PackageSet,
    config: &Config,
) -> Ownership {
    let zero_config = config.is_empty();
    let path_rules = path_rules(config);
    let mut problems = Vec::new();
    let roots = root_sources(discovery, facts);

    // Teams: declared, or (zero-config) one per owner handle found.
    let mut teams: BTreeMap<String, Team> = BTreeMap::new();
    for (id, team) in &config.teams {
        teams.insert(
            id.clone(),
            Team {
                id: id.clone(),
                name: team.name.clone().unwrap_or_else(|| id.clone()),
                handles: sorted(team.handles.iter().map(|h| h.value.clone())),
                origin: Some(team.origin.clone()),
            },
        );
    }
    let resolver = TeamResolver::new(config, zero_config);

    // Capabilities: declared, each team's own in zero-config mode.
    let mut capabilities: BTreeMap<String, Capability> = BTreeMap::new();
    for (id, capability) in &config.capabilities {
        if let Some(team) = &capability.team
            && !teams.contains_key(&team.value)
        {
            problems.push(OwnershipProblem {
                rule: "OWN003",
                message: format!(
                    "capability `{id}` names team `{}`, which no [teams.*] table declares",
                    team.value
                ),
                location: team.origin.clone(),
                krate: None,
            });
        }
        for dependency in capability.depends_on.iter().flatten() {
            if !config.capabilities.contains_key(&dependency.value) {
                problems.push(OwnershipProblem {
                    rule: "OWN003",
                    message: format!(
                        "capability `{id}` depends_on `{}`, which no [capabilities.*] table \
                         declares",
                        dependency.value
                    ),
                    location: dependency.origin.clone(),
                    krate: None,
                });
            }
        }
        capabilities.insert(
            id.clone(),
            Capability {
                id: id.clone(),
                team: capability.team.as_ref().map(|t| t.value.clone()),
                kind: capability.kind,
                contracts: capability
                    .contracts
                    .iter()
                    .map(|c| c.value.clone())
                    .collect(),
                depends_on: capability
                    .depends_on
                    .as_ref()
                    .map(|deps| deps.iter().map(|d| d.value.clone()).collect()),
                wraps: capability.wraps.iter().map(|w| w.value.clone()).collect(),
                origin: Some(capability.origin.clone()),
            },
        );
    }

    let mut crates = Vec::with_capacity(packages.packages.len());
    let mut unknown_handles: BTreeMap<String, Origin> = BTreeMap::new();
    // Per root, the teams each CODEOWNERS rule (by line) resolves to: a rule deciding many
    // crates is resolved once, not once per crate.
    let mut rule_teams: Vec<HashMap<u32, Vec<String>>> = vec![HashMap::new(); roots.len()];
    for package in &packages.packages {
        let repo = packages.root_name(package.root);
        let mut claims = Vec::new();
        config_claims(package, config, &path_rules, &mut claims, &mut problems);
        if let Some(metadata) = &package.metadata {
            let origin = Origin {
                file: format!("{repo}/{}", package.manifest),
                line: metadata.line,
            };
            // A name that declares nothing is reported, and does not decide: a lower source
            // may still know the owner.
            let capability = metadata.capability.clone().filter(|capability| {
                let known = zero_config || config.capabilities.contains_key(capability);
                if !known {
                    problems.push(OwnershipProblem {
                        rule: "OWN003",
                        message: format!(
                            "crate `{}`: [package.metadata.capgraph] capability = \"{capability}\" \
                             names no capability declared in capgraph.toml",
                            package.name
                        ),
                        location: origin.clone(),
                        krate: Some(package.name.clone()),
                    });
                }
                known
            });
            let named_team = metadata.team.as_deref().and_then(|t| {
                let team = resolver.resolve(t);
                if team.is_none() {
                    problems.push(OwnershipProblem {
                        rule: "OWN003",
                        message: format!(
                            "crate `{}`: [package.metadata.capgraph] team = \"{t}\" names no \
                             team declared in capgraph.toml",
                            package.name
                        ),
                        location: origin.clone(),
                        krate: Some(package.name.clone()),
                    });
                }
                team
            });
            let team = named_team.or_else(|| {
                capability
                    .as_ref()
                    .and_then(|c| capability_team(config, c, zero_config))
            });
            if capability.is_some() || team.is_some() {
                let mut statement = String::from("[package.metadata.capgraph]");
                if let Some(capability) = &metadata.capability {
                    statement.push_str(&format!(" capability = \"{capability}\""));
                }
                if let Some(team) = &metadata.team {
                    statement.push_str(&format!(" team = \"{team}\""));
                }
                claims.push(Claim {
                    source: SourceKind::CargoMetadata,
                    origin,
                    statement,
                    capability,
                    owners: team.iter().cloned().collect(),
                    team,
                    unknown: Vec::new(),
                });
            }
        }
        if let Some((claim, unresolved)) = catalog_claim(
            package,
            &roots[package.root],
            repo,
            &resolver,
            config,
            &mut problems,
        ) {
            if let Some(owner) = unresolved {
                unknown_handles.entry(owner).or_insert(claim.origin.clone());
            }
            claims.push(claim);
        }
        if let Some((path, codeowners)) = roots[package.root].codeowners {
            let dir = if package.dir.is_empty() {
                String::new()
            } else {
                format!("{}/", package.dir)
            };
            let matches = codeowners.matches(&dir);
            if !matches.is_empty() {
                // The last matching rule decides (GitLab sections add their owners after it),
                // so the team and the line shown as the source come from the same rule.
                let mut owners = Vec::new();
                let mut seen = HashSet::new();
                let mut deciding = None;
                for found in matches.iter().rev() {
                    // The first crate a rule decides records its unknown owners; later ones
                    // would only find them recorded.
                    let teams = rule_teams[package.root]
                        .entry(found.line)
                        .or_insert_with(|| {
                            let mut teams = Vec::new();
                            for handle in found.owners {
                                match resolver.resolve(handle) {
                                    Some(team) => teams.push(team),
                                    None => {
                                        if !unknown_handles.contains_key(handle) {
                                            unknown_handles.insert(
                                                handle.clone(),
                                                Origin {
                                                    file: format!("{repo}/{path}"),
                                                    line: found.line,
                                                },
                                            );
                                        }
                                    }
                                }
                            }
                            teams
                        });
                    if !teams.is_empty() {
                        deciding.get_or_insert(found);
                    }
                    for team in teams.iter() {
                        if seen.insert(team.clone()) {
                            owners.push(team.clone());
                        }
                    }
                }
                let last = deciding.unwrap_or(&matches[matches.len() - 1]);
                let statement = format!("{} {}", last.pattern, last.owners.join(" "))
                    .trim_end()
                    .to_string();
                let unknown = last
                    .owners
                    .iter()
                    .filter(|handle| resolver.resolve(handle).is_none())
                    .cloned()
                    .collect();
                claims.push(Claim {
                    source: SourceKind::Codeowners,
                    origin: Origin {
                        file: format!("{repo}/{path}"),
                        line: last.line,
                    },
                    statement,
                    capability: None,
                    team: owners.first().cloned(),
                    owners,
                    unknown,
                });
            }
        }
        crates.push(decide(package, claims, config, &capabilities));
    }

    if zero_config {
        // One team per owner found, one capability per team, named after it. A catalog Group
        // of the same name gives the team its display name.
        let display_names: BTreeMap<String, &str> = roots
            .iter()
            .flat_map(|root| root.catalogs.iter())
            .flat_map(|(_, catalog)| catalog.entities.iter())
            .filter(|e| e.kind == EntityKind::Group)
            .filter_map(|e| Some((zero_config_team_id(&e.name), e.display_name.as_deref()?)))
            .collect();
        // Each team keeps the owner references it was found under, as written (an e-mail
        // stays an e-mail, a catalog group stays a group reference), so that a config written
        // from them (`capgraph init`) resolves the same owners.
        let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for team in crates.iter().flat_map(|c| c.owners.iter()) {
            found.entry(team.clone()).or_default();
        }
        let mut add = |id: String, reference: String| {
            let handles = found.entry(id).or_default();
            if !handles
                .iter()
                .any(|h| handle_key(h) == handle_key(&reference))
            {
                handles.push(reference);
            }
        };
        for root in &roots {
            if let Some((_, codeowners)) = root.codeowners {
                for (handle, _) in codeowners.owner_references() {
                    add(zero_config_team_id(handle), handle.clone());
                }
            }
            for (_, catalog) in &root.catalogs {
                let owners = catalog.entities.iter().filter_map(|e| e.owner.as_deref());
                for owner in owners.filter(|o| !o.starts_with("user:")) {
                    add(zero_config_team_id(owner), format!("group:{owner}"));
                }
            }
        }
        for (team, handles) in found {
            teams.entry(team.clone()).or_insert_with(|| Team {
                id: team.clone(),
                name: display_names
                    .get(team.as_str())
                    .map_or_else(|| team.clone(), |name| name.to_string()),
                handles: sorted(handles.into_iter()),
                origin: None,
            });
        }
        for team in teams.keys() {
            capabilities.insert(
                team.clone(),
                Capability {
                    id: team.clone(),
                    team: Some(team.clone()),
                    kind: CapabilityKind::Product,
                    contracts: Vec::new(),
                    depends_on: None,
                    wraps: Vec::new(),
                    origin: None,
                },
            );
        }
        for ownership in &mut crates {
            ownership.capability = ownership.team.clone();
        }
    }

    // Owners on CODEOWNERS lines that match no crate directory are references too: a typo
    // there hides the same way.
    if !zero_config {
        for (root_index, sources) in roots.iter().enumerate() {
            let Some((path, codeowners)) = sources.codeowners else {
                continue;
            };
            let repo = packages.root_name(root_index);
            for (handle, line) in codeowners.owner_references() {
                if !unknown_handles.contains_key(handle) && resolver.resolve(handle).is_none() {
                    unknown_handles.insert(
                        handle.clone(),
                        Origin {
                            file: format!("{repo}/{path}"),
                            line,
                        },
                    );
                }
            }
        }
    }
    for (handle, origin) in unknown_handles {
        problems.push(OwnershipProblem {
            rule: "OWN003",
            message: resolver.unresolved_message(&handle),
            location: origin,
            krate: None,
        });
    }

    for (index, package) in packages.packages.iter().enumerate() {
        crate_problems(package, packages, &crates[index], &teams, &mut problems);
    }
    stale_patterns(
        discovery,
        &roots,
        packages,
        config,
        &path_rules,
        &mut problems,
    );
    split_crates(
        discovery,
        facts,
        packages,
        &roots,
        &resolver,
        &crates,
        &mut problems,
    );

    problems
        .sort_by(|a, b| (a.rule, &a.location, &a.message).cmp(&(b.rule, &b.location, &b.message)));
    problems.dedup();
    Ownership {
        codeowners: roots
            .iter()
            .map(|r| {
                r.codeowners
                    .map(|(path, facts)| (path.to_string(), facts.clone()))
            })
            .collect(),
        teams,
        capabilities,
        crates,
        zero_config,
        problems,
    }
}

fn root_sources<'a>(
    discovery: &'a Discovery,
    facts: &'a [Option<FileFacts>],
) -> Vec<RootSources<'a>> {
    let mut roots: Vec<RootSources> = discovery
        .roots
        .iter()
        .map(|_| RootSources {
            codeowners: None,
            catalogs: Vec::new(),
        })
        .collect();
    // GitHub reads the first of .github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS.
    let preference = |path: &str| match path {
        ".github/CODEOWNERS" => 0,
        "CODEOWNERS" => 1,
        _ => 2,
    };
    for (file, facts) in discovery.files.iter().zip(facts) {
        match (file.kind, facts) {
            (FileKind::Codeowners, Some(FileFacts::Codeowners(codeowners))) => {
                let slot = &mut roots[file.root].codeowners;
                if slot
                    .is_none_or(|(existing, _)| preference(&file.rel_path) < preference(existing))
                {
                    *slot = Some((&file.rel_path, codeowners));
                }
            }
            (FileKind::Catalog, Some(FileFacts::Catalog(catalog))) => {
                roots[file.root].catalogs.push((&file.rel_path, catalog));
            }
            _ => {}
        }
    }
    roots
}

/// The team of a capability: declared, or in zero-config mode the capability's own name.
fn capability_team(config: &Config, capability: &str, zero_config: bool) -> Option<String> {
    match config.capabilities.get(capability) {
        Some(declared) => declared.team.as_ref().map(|t| t.value.clone()),
        None if zero_config => Some(capability.to_string()),
        None => None,
    }
}

/// Claims from `capgraph.toml`: capabilities that list the crate, then the most specific
/// `paths` glob matching its directory.
fn config_claims(
    package: &Package,
    config: &Config,
    path_rules: &[PathRule],
    claims: &mut Vec<Claim>,
    problems: &mut Vec<OwnershipProblem>,
) {
    let mut listing: Vec<(&String, &crate::config::Located<String>)> = config
        .capabilities
        .iter()
        .flat_map(|(id, c)| c.crates.iter().map(move |k| (id, k)))
        .filter(|(_, krate)| krate.value == package.name)
        .collect();
    // The first listing in file order decides; the later ones are the problem.
    listing.sort_by(|a, b| a.1.origin.cmp(&b.1.origin));
    if listing.len() > 1 {
        let places: Vec<String> = listing
            .iter()
            .map(|(id, k)| format!("`{id}` ({})", k.origin))
            .collect();
        problems.push(OwnershipProblem {
            rule: "OWN002",
            message: format!(
                "crate `{}` is listed in {} capabilities: {}; list it in one",
                package.name,
                listing.len(),
                places.join(", ")
            ),
            location: listing[1].1.origin.clone(),
            krate: Some(package.name.clone()),
        });
    }
    for (id, krate) in &listing {
        claims.push(Claim {
            source: SourceKind::ConfigCrates,
            origin: krate.origin.clone(),
            statement: format!("capabilities.{id}.crates includes \"{}\"", krate.value),
            capability: Some((*id).clone()),
            team: capability_team(config, id, false),
            owners: capability_team(config, id, false).into_iter().collect(),
            unknown: Vec::new(),
        });
    }

    let best = path_rules
        .iter()
        .filter(|rule| rule.matches_dir(package.root, &package.dir))
        .fold(None::<&PathRule>, |best, rule| match best {
            Some(b) if b.specificity >= rule.specificity => Some(b),
            _ => Some(rule),
        })
        .map(|rule| (rule.capability, rule.glob));
    if let Some((id, glob)) = best {
        claims.push(Claim {
            source: SourceKind::ConfigPaths,
            origin: glob.origin.clone(),
            statement: format!("capabilities.{id}.paths includes \"{}\"", glob.value),
            capability: Some(id.clone()),
            team: capability_team(config, id, false),
            owners: capability_team(config, id, false).into_iter().collect(),
            unknown: Vec::new(),
        });
    }
}

/// A `paths` glob of a capability, compiled once.
struct PathRule<'a> {
    capability: &'a String,
    /// The root whose config declared it; its globs apply to that root only.
    root: Option<usize>,
    glob: &'a Located<String>,
    /// `None` when the glob does not parse; it then matches nothing (and is reported stale).
    matcher: Option<GlobMatcher>,
    /// For `dir/**`, the glob of `dir` itself: "everything under services/checkout" includes
    /// the crate whose directory is services/checkout.
    base: Option<GlobMatcher>,
    /// Literal characters: the more, the more specific.
    specificity: usize,
}

impl PathRule<'_> {
    /// Whether the glob matches the crate directory `dir` of `root`, or a directory above it.
    fn matches_dir(&self, root: usize, dir: &str) -> bool {
        let Some(matcher) = &self.matcher else {
            return false;
        };
        if self.root.is_some_and(|r| r != root) {
            return false;
        }
        let mut current = dir;
        loop {
            if matcher.is_match(current) || self.base.as_ref().is_some_and(|b| b.is_match(current))
            {
                return true;
            }
            match current.rfind('/') {
                Some(i) => current = &current[..i],
                None => return false,
            }
        }
    }
}

fn path_rules(config: &Config) -> Vec<PathRule<'_>> {
    let mut rules = Vec::new();
    for (id, capability) in &config.capabilities {
        for glob in &capability.paths {
            let pattern = glob.value.trim_start_matches("./").trim_end_matches('/');
            let compile = |pattern: &str| {
                GlobBuilder::new(pattern)
                    .literal_separator(true)
                    .build()
                    .ok()
                    .map(|g| g.compile_matcher())
            };
            let matcher = compile(pattern);
            let base = pattern
                .strip_suffix("/**")
                .filter(|base| !base.is_empty() && matcher.is_some())
                .and_then(compile);
            rules.push(PathRule {
                capability: id,
                root: capability.root,
                glob,
                matcher,
                base,
                specificity: pattern.chars().filter(|c| !matches!(c, '*' | '?')).count(),
            });
        }
    }
    rules
}

/// The claim of the nearest catalog file at or above the crate: the Component named like
/// the crate, or the first Component of a catalog in the crate's own directory.
fn catalog_claim(
    package: &Package,
    root: &RootSources,
    repo: &str,
    resolver: &TeamResolver,
    config: &Config,
    problems: &mut Vec<OwnershipProblem>,
) -> Option<(Claim, Option<String>)> {
    let mut dir = package.dir.as_str();
    loop {
        for (path, catalog) in &root.catalogs {
            let catalog_dir = path.rsplit_once('/').map_or("", |(d, _)| d);
            if catalog_dir != dir {
                continue;
            }
            let component = catalog
                .entities
                .iter()
                .filter(|e| e.kind == EntityKind::Component)
                .find(|e| e.name == package.name)
                .or_else(|| {
                    (dir == package.dir)
                        .then(|| {
                            catalog
                                .entities
                                .iter()
                                .find(|e| e.kind == EntityKind::Component)
                        })
                        .flatten()
                });
            if let Some(component) = component {
                return Some(entity_claim(
                    component, catalog, path, repo, resolver, config, problems,
                ));
            }
        }
        if dir.is_empty() {
            return None;
        }
        dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    }
}

fn entity_claim(
    component: &CatalogEntity,
    catalog: &CatalogFacts,
    path: &str,
    repo: &str,
    resolver: &TeamResolver,
    config: &Config,
    problems: &mut Vec<OwnershipProblem>,
) -> (Claim, Option<String>) {
    // A component without its own owner inherits its system's.
    let system_owner = component.parent.as_ref().and_then(|system| {
        catalog
            .entities
            .iter()
            .find(|e| e.kind == EntityKind::System && &e.name == system)
            .and_then(|e| e.owner.clone())
    });
    let owner = component.owner.clone().or(system_owner);
    let group = owner.as_deref().filter(|o| !o.starts_with("user:"));
    let owner_team = group.and_then(|o| resolver.resolve(o));
    let unresolved = match (group, &owner_team) {
        (Some(group), None) => Some(group.to_string()),
        _ => None,
    };
    // A system that is no declared capability is reported, and does not decide the capability.
    let system = component.parent.clone().filter(|system| {
        let known = resolver.zero_config || config.capabilities.contains_key(system);
        if !known {
            problems.push(OwnershipProblem {
                rule: "OWN003",
                message: format!(
                    "Component `{}` has spec.system `{system}`, which no [capabilities.*] table \
                     of capgraph.toml declares",
                    component.name
                ),
                location: Origin {
                    file: format!("{repo}/{path}"),
                    line: component.line,
                },
                krate: None,
            });
        }
        known
    });
    let team = owner_team.or_else(|| {
        system
            .as_ref()
            .and_then(|c| capability_team(config, c, false))
    });
    let mut statement = format!("Component {}", component.name);
    if let Some(owner) = &component.owner {
        statement.push_str(&format!(" owner: {owner}"));
    }
    if let Some(system) = &component.parent {
        statement.push_str(&format!(" system: {system}"));
    }
    let claim = Claim {
        source: SourceKind::Catalog,
        origin: Origin {
            file: format!("{repo}/{path}"),
            line: component.line,
        },
        statement,
        capability: system,
        owners: team.iter().cloned().collect(),
        team,
        unknown: unresolved.iter().cloned().collect(),
    };
    (claim, unresolved)
}

/// Picks the highest claim that names a team or capability.
fn decide(
    package: &Package,
    mut claims: Vec<Claim>,
    config: &Config,
    capabilities: &BTreeMap<String, Capability>,
) -> CrateOwnership {
    claims.sort_by_key(|c| c.source);
    let position = claims
        .iter()
        .position(|c| c.team.is_some() || c.capability.is_some());
    let Some(position) = position else {
        return CrateOwnership {
            others: claims,
            ..CrateOwnership::default()
        };
    };
    let decided = claims.remove(position);
    let team = decided.team.clone();
    // A crate owned by a team but by no capability belongs to the team's only capability.
    let capability = decided.capability.clone().or_else(|| {
        let team = team.as_ref()?;
        let owned: Vec<&String> = capabilities
            .values()
            .filter(|c| c.team.as_ref() == Some(team))
            .map(|c| &c.id)
            .collect();
        (owned.len() == 1).then(|| owned[0].clone())
    });
    let contract = package.metadata.as_ref().is_some_and(|m| m.contract)
        || capability.as_ref().is_some_and(|c| {
            config
                .capabilities
                .get(c)
                .is_some_and(|c| c.contracts.iter().any(|k| k.value == package.name))
        });
    CrateOwnership {
        capability,
        owners: if decided.owners.is_empty() {
            team.iter().cloned().collect()
        } else {
            decided.owners.clone()
        },
        team,
        decided_by: Some(decided),
        others: claims,
        contract,
    }
}

/// OWN001 (no owner) and OWN002 (sources disagree, or several teams own the crate).
fn crate_problems(
    package: &Package,
    packages: &PackageSet,
    ownership: &CrateOwnership,
    teams: &BTreeMap<String, Team>,
    problems: &mut Vec<OwnershipProblem>,
) {
    let repo = packages.root_name(package.root);
    let manifest = Origin {
        file: format!("{repo}/{}", package.manifest),
        line: package.name_line(),
    };
    let Some(decided) = &ownership.decided_by else {
        let dir = if package.dir.is_empty() {
            "."
        } else {
            &package.dir
        };
        // A source that matched but named no known team is what the user has to fix; saying
        // that nothing covers the crate would send them looking in the wrong place.
        let message = if ownership.others.is_empty() {
            format!(
                "crate `{}` has no owning team: no capgraph.toml capability, Cargo metadata, \
                 catalog entry or CODEOWNERS pattern covers `{dir}`",
                package.name
            )
        } else {
            let reasons: Vec<String> = ownership
                .others
                .iter()
                .map(|claim| {
                    format!(
                        "matched by {} {} (`{}`), but it {}",
                        claim.source.describe(),
                        claim.origin,
                        claim.statement,
                        claim.why_no_team()
                    )
                })
                .collect();
            format!(
                "crate `{}` has no owning team: {}",
                package.name,
                reasons.join("; ")
            )
        };
        problems.push(OwnershipProblem {
            rule: "OWN001",
            message,
            location: ownership
                .others
                .first()
                .map_or(manifest, |claim| claim.origin.clone()),
            krate: Some(package.name.clone()),
        });
        return;
    };
    let Some(team) = &ownership.team else {
        problems.push(OwnershipProblem {
            rule: "OWN001",
            message: format!(
                "crate `{}` belongs to capability `{}`, which has no team",
                package.name,
                ownership.capability.as_deref().unwrap_or("?")
            ),
            location: decided.origin.clone(),
            krate: Some(package.name.clone()),
        });
        return;
    };
    if ownership.owners.len() > 1 {
        problems.push(OwnershipProblem {
            rule: "OWN002",
            message: format!(
                "crate `{}` is owned by {} teams ({}) per {}; one team should own it",
                package.name,
                ownership.owners.len(),
                ownership.owners.join(", "),
                decided.origin
            ),
            location: decided.origin.clone(),
            krate: Some(package.name.clone()),
        });
    }
    for other in &ownership.others {
        // Two capabilities listing one crate is reported where the listing is made.
        let both_listings =
            decided.source == SourceKind::ConfigCrates && other.source == SourceKind::ConfigCrates;
        if let Some(other_team) = &other.team
            && other_team != team
            && !both_listings
        {
            let name = |id: &str| teams.get(id).map_or(id.to_string(), |t| t.name.clone());
            problems.push(OwnershipProblem {
                rule: "OWN002",
                message: format!(
                    "crate `{}`: {} ({}) says team {}, but {} ({}) says {}; {} wins — align \
                     the lower source",
                    package.name,
                    decided.source.describe(),
                    decided.origin,
                    name(team),
                    other.source.describe(),
                    other.origin,
                    name(other_team),
                    decided.source.describe()
                ),
                location: other.origin.clone(),
                krate: Some(package.name.clone()),
            });
        } else if let (Some(capability), Some(other_capability)) =
            (&ownership.capability, &other.capability)
            && other_capability != capability
            && !both_listings
        {
            // Same team, another capability: the crate's contracts and allowed dependencies
            // depend on which one is right.
            problems.push(OwnershipProblem {
                rule: "OWN002",
                message: format!(
                    "crate `{}`: {} ({}) says capability {capability}, but {} ({}) says \
                     {other_capability}; {} wins — align the lower source",
                    package.name,
                    decided.source.describe(),
                    decided.origin,
                    other.source.describe(),
                    other.origin,
                    decided.source.describe()
                ),
                location: other.origin.clone(),
                krate: Some(package.name.clone()),
            });
        }
    }
}

/// OWN004: CODEOWNERS patterns that match no file, config globs and crate names that match
/// no crate.
fn stale_patterns(
    discovery: &Discovery,
    roots: &[RootSources],
    packages: &PackageSet,
    config: &Config,
    path_rules: &[PathRule],
    problems: &mut Vec<OwnershipProblem>,
) {
    for (root_index, root) in roots.iter().enumerate() {
        let Some((path, codeowners)) = root.codeowners else {
            continue;
        };
        let repo = &discovery.roots[root_index].name;
        // From the paths' side: each walked path marks the rules the index gives it that
        // match, so the cost is paths × candidates rather than rules × paths.
        let paths = discovery.all_paths[root_index].iter().map(String::as_str);
        for rule in codeowners.rules_matching_none(paths) {
            problems.push(OwnershipProblem {
                rule: "OWN004",
                message: format!(
                    "CODEOWNERS pattern `{}` matches no file in {repo}; remove or fix it",
                    rule.pattern
                ),
                location: Origin {
                    file: format!("{repo}/{path}"),
                    line: rule.line,
                },
                krate: None,
            });
        }
    }
    for rule in path_rules {
        let matches_any = packages
            .packages
            .iter()
            .any(|p| rule.matches_dir(p.root, &p.dir));
        if !matches_any {
            let reason = if rule.matcher.is_some() {
                "matches no crate"
            } else {
                "is not a valid glob"
            };
            problems.push(OwnershipProblem {
                rule: "OWN004",
                message: format!(
                    "capabilities.{}.paths: `{}` {reason}; remove or fix it",
                    rule.capability, rule.glob.value
                ),
                location: rule.glob.origin.clone(),
                krate: None,
            });
        }
    }
    for (id, capability) in &config.capabilities {
        for krate in &capability.crates {
            if !packages.packages.iter().any(|p| p.name == krate.value) {
                problems.push(OwnershipProblem {
                    rule: "OWN004",
                    message: format!(
                        "capabilities.{id}.crates: no crate is named `{}`; remove or fix it",
                        krate.value
                    ),
                    location: krate.origin.clone(),
                    krate: None,
                });
            }
        }
    }
}

/// OWN005: the source files of one crate are owned by different teams per CODEOWNERS.
fn split_crates(
    discovery: &Discovery,
    facts: &[Option<FileFacts>],
    packages: &PackageSet,
    roots: &[RootSources],
    resolver: &TeamResolver,
    crates: &[CrateOwnership],
    problems: &mut Vec<OwnershipProblem>,
) {
    let mut file_teams: Vec<BTreeMap<String, (u32, String)>> =
        vec![BTreeMap::new(); packages.packages.len()];
    // Per root, the team of each CODEOWNERS rule (by line): its first owner that names a
    // known one. A rule deciding many files is resolved once.
    let mut rule_team: Vec<HashMap<u32, Option<String>>> = vec![HashMap::new(); roots.len()];
    for (file, facts) in discovery.files.iter().zip(facts) {
        if file.kind != FileKind::RustSource || facts.is_none() {
            continue;
        }
        let Some((_, codeowners)) = roots[file.root].codeowners else {
            continue;
        };
        let Some((index, _)) = packages.owner_of(file.root, &file.rel_path) else {
            continue;
        };
        // As for crates: the team of the last matching rule that names a known one.
        let memo = &mut rule_team[file.root];
        let team = codeowners
            .matches(&file.rel_path)
            .iter()
            .rev()
            .find_map(|found| {
                memo.entry(found.line)
                    .or_insert_with(|| found.owners.iter().find_map(|h| resolver.resolve(h)))
                    .clone()
            });
        // A file CODEOWNERS leaves unowned splits nothing between teams (OWN001 is about
        // owners missing).
        let Some(team) = team else {
            continue;
        };
        let entry = file_teams[index]
            .entry(team)
            .or_insert((0, file.rel_path.clone()));
        entry.0 += 1;
    }
    for (index, teams) in file_teams.iter().enumerate() {
        if teams.len() < 2 {
            continue;
        }
        let package = &packages.packages[index];
        let repo = packages.root_name(package.root);
        let parts: Vec<String> = teams
            .iter()
            .map(|(team, (count, example))| format!("{team}: {count} file(s), e.g. {example}"))
            .collect();
        let crate_team = crates[index].team.as_deref().unwrap_or("no team");
        problems.push(OwnershipProblem {
            rule: "OWN005",
            message: format!(
                "crate `{}` (owned by {crate_team}) has files owned by {} teams per CODEOWNERS \
                 — {}; split the crate or align CODEOWNERS",
                package.name,
                teams.len(),
                parts.join("; ")
            ),
            // The package's `name` line: a suppression above `[package]` covers it.
            location: Origin {
                file: format!("{repo}/{}", package.manifest),
                line: package.name_line(),
            },
            krate: Some(package.name.clone()),
        });
    }
}
