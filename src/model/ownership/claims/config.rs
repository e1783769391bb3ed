//! Claims from `capgraph.toml`: capabilities whose `crates` list the crate, then the most
//! specific `paths` glob matching its directory.

use super::capability_team;
use crate::config::{Config, Located};
use crate::model::ownership::inputs::Inputs;
use crate::model::ownership::problems::OwnershipProblem;
use crate::model::ownership::{Claim, SourceKind};
use crate::model::packages::Package;
use globset::{GlobBuilder, GlobMatcher};

/// The crate's claims from capgraph.toml, `crates` listings first.
pub(super) fn claims(
    inputs: &Inputs,
    package: &Package,
    problems: &mut Vec<OwnershipProblem>,
) -> Vec<Claim> {
    let mut claims = listing_claims(inputs.config, package, problems);
    claims.extend(path_claim(inputs, package));
    claims
}

/// One claim per capability listing the crate in `crates`. Two listings are a problem: the
/// first in file order decides, the later ones are what to remove.
fn listing_claims(
    config: &Config,
    package: &Package,
    problems: &mut Vec<OwnershipProblem>,
) -> Vec<Claim> {
    let mut listing: Vec<(&String, &Located<String>)> = config
        .capabilities
        .iter()
        .flat_map(|(id, c)| c.crates.iter().map(move |k| (id, k)))
        .filter(|(_, krate)| krate.value == package.name)
        .collect();
    listing.sort_by(|a, b| a.1.origin.cmp(&b.1.origin));
    if listing.len() > 1 {
        problems.push(OwnershipProblem::ListedTwice {
            krate: package.id_name.clone(),
            listings: listing
                .iter()
                .map(|(id, k)| ((*id).clone(), k.origin.clone()))
                .collect(),
        });
    }
    listing
        .iter()
        .map(|(id, krate)| Claim {
            source: SourceKind::ConfigCrates,
            origin: krate.origin.clone(),
            statement: format!("capabilities.{id}.crates includes \"{}\"", krate.value),
            capability: Some((*id).clone()),
            team: capability_team(config, id, false),
            owners: capability_team(config, id, false).into_iter().collect(),
            maintainers: Vec::new(),
            unknown: Vec::new(),
        })
        .collect()
}

/// The claim of the most specific `paths` glob matching the crate's directory (the first
/// declared among equally specific ones).
fn path_claim(inputs: &Inputs, package: &Package) -> Option<Claim> {
    let best = inputs
        .path_rules
        .iter()
        .filter(|rule| rule.matches_dir(package.root, &package.dir))
        .fold(None::<&PathRule>, |best, rule| match best {
            Some(b) if b.specificity >= rule.specificity => Some(b),
            _ => Some(rule),
        })?;
    let (id, glob) = (best.capability, best.glob);
    Some(Claim {
        source: SourceKind::ConfigPaths,
        origin: glob.origin.clone(),
        statement: format!("capabilities.{id}.paths includes \"{}\"", glob.value),
        capability: Some(id.clone()),
        team: capability_team(inputs.config, id, false),
        owners: capability_team(inputs.config, id, false)
            .into_iter()
            .collect(),
        maintainers: Vec::new(),
        unknown: Vec::new(),
    })
}

/// A `paths` glob of a capability, compiled once.
pub(in crate::model::ownership) struct PathRule<'a> {
    pub capability: &'a String,
    /// The root whose config declared it; its globs apply to that root only.
    root: Option<usize>,
    pub glob: &'a Located<String>,
    /// `None` when the glob does not parse; it then matches nothing (and is reported stale).
    pub matcher: Option<GlobMatcher>,
    /// For `dir/**`, the glob of `dir` itself: "everything under services/checkout" includes
    /// the crate whose directory is services/checkout.
    base: Option<GlobMatcher>,
    /// Literal characters: the more, the more specific.
    specificity: usize,
}

impl PathRule<'_> {
    /// Whether the glob matches the crate directory `dir` of `root`, or a directory above it.
    pub fn matches_dir(&self, root: usize, dir: &str) -> bool {
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

/// Every capability's `paths` globs, compiled.
pub(in crate::model::ownership) fn path_rules(config: &Config) -> Vec<PathRule<'_>> {
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
