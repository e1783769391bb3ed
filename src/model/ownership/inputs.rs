//! What every phase of ownership reads: the scan, the config, each root's CODEOWNERS and
//! catalog files, the compiled `paths` globs and the team resolver, gathered once.

use super::TeamResolver;
use super::claims::{PathRule, path_rules};
use crate::config::Config;
use crate::discover::{Discovery, FileKind};
use crate::extract::FileFacts;
use crate::extract::catalog::CatalogFacts;
use crate::extract::codeowners::CodeownersFacts;
use crate::model::packages::PackageSet;

/// The inputs of ownership, shared read-only by the phases.
pub(super) struct Inputs<'a> {
    pub discovery: &'a Discovery,
    pub facts: &'a [Option<FileFacts>],
    pub packages: &'a PackageSet,
    pub config: &'a Config,
    /// Whether no `capgraph.toml` declared anything, so that teams are inferred.
    pub zero_config: bool,
    /// Per root (same index as `Discovery::roots`).
    pub roots: Vec<RootSources<'a>>,
    pub path_rules: Vec<PathRule<'a>>,
    pub resolver: TeamResolver,
}

impl<'a> Inputs<'a> {
    pub fn new(
        discovery: &'a Discovery,
        facts: &'a [Option<FileFacts>],
        packages: &'a PackageSet,
        config: &'a Config,
    ) -> Inputs<'a> {
        let zero_config = config.is_empty();
        Inputs {
            discovery,
            facts,
            packages,
            config,
            zero_config,
            roots: root_sources(discovery, facts),
            path_rules: path_rules(config),
            resolver: TeamResolver::new(config, zero_config),
        }
    }
}

/// The ownership facts of one root: its CODEOWNERS and catalog files.
pub(super) struct RootSources<'a> {
    /// The CODEOWNERS file in force (its path and rules).
    pub codeowners: Option<(&'a str, &'a CodeownersFacts)>,
    pub catalogs: Vec<(&'a str, &'a CatalogFacts)>,
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
