//! Rules: the built-in catalogue of ownership, boundary, layering, cycle, coupling,
//! operational, data and scan rules, evaluated over the model into findings.
//!
//! Every rule is a type implementing [`Rule`], in its own file under its category's folder,
//! and listed once in [`REGISTRY`]. A rule's [`RuleDoc`] is the single source of its
//! documentation for `capgraph explain`, `capgraph rules`, SARIF and the HTML report. Rules
//! read the model through a [`Context`] and push [`Draft`]s; the engine ([`check`]) gives
//! them their severity, applies suppressions and computes fingerprints. Rules do no I/O and
//! never format output.

pub mod config;
pub mod context;
pub mod cycles;
pub mod finding;
pub mod settings;
pub mod suppress;

mod boundaries;
mod coupling;
mod data;
mod layering;
mod operations;
pub mod ownership;
mod scan;
mod suppression;

pub use crate::core::Location;
pub use context::Context;
pub use finding::{Draft, Finding, Findings, Summary};
pub use settings::{RuleSettings, Settings};

use serde::Serialize;

/// How serious a finding is. `--fail-on` compares against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A rule's level in a pack or config: a severity, or switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

impl Level {
    /// Parses `error`, `warning`, `info` or `off`.
    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "error" => Some(Level::On(Severity::Error)),
            "warning" => Some(Level::On(Severity::Warning)),
            "info" => Some(Level::On(Severity::Info)),
            "off" => Some(Level::Off),
            _ => None,
        }
    }
}

/// The families of rules, by the first letters of their ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// OWN: who owns what.
    Ownership,
    /// BND: dependencies that cross capability boundaries outside contracts or declarations.
    Boundaries,
    /// LAY: platform below product.
    Layering,
    /// CYC: cycles between capabilities or teams.
    Cycles,
    /// CPL: coupling numbers against thresholds.
    Coupling,
    /// OPS: run-time calls between services.
    Operations,
    /// DAT: topics and tables shared between capabilities.
    Data,
    /// SCN: input that could not be read.
    Scan,
    /// SUP: suppressions that are themselves wrong.
    Suppressions,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Ownership => "ownership",
            Category::Boundaries => "boundaries",
            Category::Layering => "layering",
            Category::Cycles => "cycles",
            Category::Coupling => "coupling",
            Category::Operations => "operations",
            Category::Data => "data",
            Category::Scan => "scan",
            Category::Suppressions => "suppressions",
        }
    }

    /// The id prefix of the category's rules.
    pub fn prefix(self) -> &'static str {
        match self {
            Category::Ownership => "OWN",
            Category::Boundaries => "BND",
            Category::Layering => "LAY",
            Category::Cycles => "CYC",
            Category::Coupling => "CPL",
            Category::Operations => "OPS",
            Category::Data => "DAT",
            Category::Scan => "SCN",
            Category::Suppressions => "SUP",
        }
    }
}

/// A threshold a rule reads from its settings (`max = 6` under `[rules.CPL001]`).
#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    /// The value when neither the pack nor capgraph.toml sets one.
    pub default: f64,
    /// Whether only whole numbers make sense (a count, a depth).
    pub integer: bool,
    /// The largest value that makes sense (1 for a ratio), if any.
    pub max: Option<f64>,
    /// One sentence: what the number means.
    pub doc: &'static str,
}

/// A rule's documentation, in the sections `capgraph explain` prints. Plain text; the
/// example may hold code and config, indented as it should be shown.
#[derive(Debug, Clone, Copy)]
pub struct RuleDoc {
    /// One line: what the rule reports (also the `capgraph rules` summary).
    pub summary: &'static str,
    pub what_it_does: &'static str,
    pub why_is_this_bad: &'static str,
    pub example: &'static str,
    pub how_to_fix: &'static str,
    /// What the rule reads from config and packs; "" only for rules nothing configures
    /// beyond their severity (the section then says so).
    pub configuration: &'static str,
}

/// What every rule declares about itself.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// The stable id, never reused: `BND001`.
    pub id: &'static str,
    /// The kebab-case name of the bad pattern: `contract-bypass`.
    pub name: &'static str,
    pub category: Category,
    /// The severity when no pack says otherwise.
    pub default_severity: Severity,
    pub params: &'static [Param],
    pub doc: RuleDoc,
}

/// One rule of the catalogue.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Pushes a draft per violation found in the model. `settings` holds the thresholds the
    /// pack and config give this rule.
    fn check(&self, context: &Context, settings: &RuleSettings, out: &mut Vec<Draft>);
}

/// Every rule, in id order. Adding a rule means adding its file and one line here.
pub static REGISTRY: &[&dyn Rule] = &[
    &ownership::unowned_crate::UnownedCrate,
    &ownership::conflicting_owners::ConflictingOwners,
    &ownership::unknown_owner::UnknownOwner,
    &ownership::stale_ownership_rule::StaleOwnershipRule,
    &ownership::split_crate::SplitCrate,
    &boundaries::contract_bypass::ContractBypass,
    &boundaries::undeclared_dependency::UndeclaredDependency,
    &boundaries::forbidden_dependency::ForbiddenDependency,
    &boundaries::platform_bypass::PlatformBypass,
    &layering::platform_depends_on_product::PlatformDependsOnProduct,
    &cycles::capability_cycle::CapabilityCycle,
    &cycles::team_cycle::TeamCycle,
    &coupling::high_fan_out::HighFanOut,
    &coupling::unstable_dependency::UnstableDependency,
    &coupling::cross_team_coupling::CrossTeamCoupling,
    &operations::cross_team_sync_call::CrossTeamSyncCall,
    &operations::sync_call_cycle::SyncCallCycle,
    &operations::deep_sync_chain::DeepSyncChain,
    &operations::unguarded_call::UnguardedCall,
    &operations::unknown_callee::UnknownCallee,
    &operations::undeclared_call::UndeclaredCall,
    &data::shared_topic_writer::SharedTopicWriter,
    &data::shared_table::SharedTable,
    &scan::unparsable_file::UnparsableFile,
    &scan::invalid_manifest::InvalidManifest,
    &suppression::invalid_suppression::InvalidSuppression,
    &suppression::unused_suppression::UnusedSuppression,
];

/// The rule with this id or name (ids ignore case: `bnd001` is `BND001`).
pub fn find(id_or_name: &str) -> Option<&'static dyn Rule> {
    REGISTRY.iter().copied().find(|rule| {
        let meta = rule.meta();
        meta.id.eq_ignore_ascii_case(id_or_name) || meta.name == id_or_name
    })
}

/// The id or name closest to `unknown`, for did-you-mean messages.
pub fn closest(unknown: &str) -> Option<&'static str> {
    REGISTRY
        .iter()
        .flat_map(|rule| [rule.meta().id, rule.meta().name])
        .map(|candidate| {
            let score = strsim::jaro_winkler(
                &unknown.to_ascii_lowercase(),
                &candidate.to_ascii_lowercase(),
            );
            (score, candidate)
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// Evaluates every enabled rule over the analysis, applies suppressions, then reports the
/// suppressions that are themselves wrong.
pub fn check(analysis: &crate::model::Analysis, settings: &Settings) -> Findings {
    let mut context = Context::new(analysis, settings);
    let run = |context: &Context, suppression_rules: bool| -> Vec<Finding> {
        let mut findings = Vec::new();
        for rule in REGISTRY {
            let meta = rule.meta();
            if (meta.category == Category::Suppressions) != suppression_rules {
                continue;
            }
            let Some(rule_settings) = settings.rule(meta.id) else {
                continue;
            };
            let mut drafts = Vec::new();
            rule.check(context, rule_settings, &mut drafts);
            findings.extend(drafts.into_iter().map(|draft| {
                let severity = draft.severity.unwrap_or(rule_settings.severity);
                Finding::new(meta, severity, draft)
            }));
        }
        findings
    };
    let findings = run(&context, false);
    let (mut kept, outcomes, silenced) =
        suppress::apply(&analysis.suppressions, settings, findings);
    context.suppressions = outcomes;
    kept.extend(run(&context, true));
    Findings::new(kept, silenced)
}
