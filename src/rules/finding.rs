//! Findings: what a rule reports, where the fix goes, and a fingerprint that survives
//! unrelated edits.

use super::{Category, RuleMeta, Severity};
use crate::core::{Location, NodeId};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// What a rule pushes: the violation, before the engine gives it a severity and fingerprint.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// One or two sentences a reviewer understands without reading code: both sides, their
    /// teams, and what to do instead.
    pub message: String,
    /// Where the fix goes (the manifest line of a dependency, a call site, a config line).
    pub location: Option<Location>,
    /// The node ids of the two sides, where the finding is about a dependency.
    pub from: Option<NodeId>,
    pub to: Option<NodeId>,
    /// The teams involved, in the order of `from` and `to`.
    pub teams: Vec<String>,
    /// Further places that show the violation (code lines behind a dependency, the other
    /// writers of a topic).
    pub related: Vec<Location>,
    /// What tells this violation apart from others of the same rule and endpoints, without
    /// line numbers (a topic name, an endpoint, the members of a cycle).
    pub key: String,
    /// A severity that replaces the rule's (a `[[rules.forbid]]` entry may set its own).
    pub severity: Option<Severity>,
    /// Numbers behind the finding (counts against a threshold), for reports.
    pub metrics: BTreeMap<&'static str, f64>,
}

/// A finding as reported (schema `capgraph.findings/v1`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub name: &'static str,
    #[serde(skip)]
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<NodeId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<NodeId>,
    pub teams: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Location>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metrics: BTreeMap<&'static str, f64>,
    pub fingerprint: String,
    pub baselined: bool,
    /// The fingerprint input, kept until fingerprints are made unique.
    #[serde(skip)]
    key: String,
}

impl Finding {
    pub fn new(meta: &RuleMeta, severity: Severity, draft: Draft) -> Finding {
        Finding {
            rule: meta.id,
            name: meta.name,
            category: meta.category,
            severity,
            message: draft.message,
            location: draft.location,
            from: draft.from,
            to: draft.to,
            teams: draft.teams,
            related: draft.related,
            metrics: draft.metrics,
            fingerprint: String::new(),
            baselined: false,
            key: draft.key,
        }
    }

    /// The order findings are reported in: by location, then rule, then message.
    fn sort_key(&self) -> (Option<&Location>, &'static str, &str, &str) {
        (self.location.as_ref(), self.rule, &self.message, &self.key)
    }
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    /// Findings silenced by `// capgraph: allow(..)` comments.
    pub suppressed: usize,
}

/// The findings of a run, sorted, with unique fingerprints.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    pub findings: Vec<Finding>,
    pub suppressed: usize,
}

impl Findings {
    /// Sorts the findings and gives each its fingerprint: a hash of the rule, the endpoints,
    /// the file of its location and its key, with no line number in it, so that a finding
    /// keeps its fingerprint when unrelated lines move. Findings that would share one are
    /// told apart by their rank in the sorted order.
    pub fn new(mut findings: Vec<Finding>, suppressed: usize) -> Findings {
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        findings.dedup_by(|a, b| a.sort_key() == b.sort_key());
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for finding in &mut findings {
            let mut hasher = Sha256::new();
            // Endpoints enter as their JSON strings, so fingerprints stay what they were.
            let from = finding.from.as_ref().map(NodeId::to_string);
            let to = finding.to.as_ref().map(NodeId::to_string);
            for part in [
                finding.rule,
                from.as_deref().unwrap_or(""),
                to.as_deref().unwrap_or(""),
                finding.location.as_ref().map_or("", |l| l.repo.as_str()),
                finding.location.as_ref().map_or("", |l| l.path.as_str()),
                &finding.key,
            ] {
                hasher.update(part.as_bytes());
                hasher.update([0]);
            }
            let digest = hasher.finalize();
            let mut fingerprint: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
            let count = seen.entry(fingerprint.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                fingerprint = format!("{fingerprint}-{count}");
            }
            finding.fingerprint = fingerprint;
        }
        Findings {
            findings,
            suppressed,
        }
    }

    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            suppressed: self.suppressed,
            ..Summary::default()
        };
        for finding in &self.findings {
            match finding.severity {
                Severity::Error => summary.error += 1,
                Severity::Warning => summary.warning += 1,
                Severity::Info => summary.info += 1,
            }
        }
        summary
    }

    /// Whether any finding is at or above `threshold` (`None`: never fail).
    pub fn fails(&self, threshold: Option<Severity>) -> bool {
        threshold.is_some_and(|threshold| {
            self.findings
                .iter()
                .any(|f| f.severity >= threshold && !f.baselined)
        })
    }
}
