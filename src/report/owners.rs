//! The ownership table (`capgraph owners`), the explanation of one crate or file
//! (`capgraph owners --explain`), and the ownership problems found. Names, owners, paths and
//! statements come from the scanned repositories: each line is shown with
//! `escape::terminal` (control characters escaped, no line break inside a value) and
//! `escape::log_line` (no line is a CI command).

use super::escape;
use crate::core::OwnerKind;
use crate::model::Analysis;
use crate::model::ownership::{Claim, CrateOwnership, OwnershipProblem, handle_key};
use crate::rules::ownership::worded;
use std::io::{self, Write};
use std::path::Path;

/// Why `--explain` could not answer.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    #[error(
        "`{0}` is neither a crate nor a file or directory under the scanned roots; give a crate \
         name or a path inside one of them"
    )]
    NotFound(String),
    #[error("several crates are named `{0}`: {1}; give one of these ids")]
    Ambiguous(String, String),
}

/// Writes the ownership table, then the problems. Co-owners show as `a + b`, a team that is
/// a review group or one person says so, and a MAINTAINERS column lists the individuals
/// CODEOWNERS names beside the teams when there are any.
pub fn write_table(analysis: &Analysis, out: &mut dyn Write) -> io::Result<()> {
    let ownership = &analysis.ownership;
    let with_maintainers = ownership.crates.iter().any(|c| !c.maintainers.is_empty());
    let mut header = vec!["CRATE", "CAPABILITY", "TEAM"];
    if with_maintainers {
        header.push("MAINTAINERS");
    }
    header.push("SOURCE");
    let mut rows = vec![header.into_iter().map(str::to_string).collect::<Vec<_>>()];
    for (index, package) in analysis.packages.packages.iter().enumerate() {
        let owned = &ownership.crates[index];
        let mut row = vec![
            package.id_name.clone(),
            owned.capability.clone().unwrap_or_else(|| "-".to_string()),
            team_cell(analysis, owned),
        ];
        if with_maintainers {
            row.push(match owned.maintainers.is_empty() {
                true => "-".to_string(),
                false => owned.maintainers.join(", "),
            });
        }
        row.push(source_cell(owned));
        rows.push(
            row.into_iter()
                .map(|cell| escape::terminal(&cell).into_owned())
                .collect(),
        );
    }
    rows[1..].sort();
    let columns = rows[0].len();
    let widths: Vec<usize> = (0..columns - 1)
        .map(|col| {
            rows.iter()
                .map(|r| r[col].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &rows {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(&widths) {
            line.push_str(&format!("{cell:width$}  "));
        }
        line.push_str(&row[columns - 1]);
        writeln!(out, "{}", escape::log_line(&line))?;
    }
    writeln!(out, "\n{}", summary_line(analysis))?;
    write_problems(&ownership.problems, out)
}

/// `12 crates, 3 teams (1 review group), 3 capabilities; 2 co-owned, 1 unowned (zero-config:
/// ...)`.
fn summary_line(analysis: &Analysis) -> String {
    let ownership = &analysis.ownership;
    let mode = if ownership.zero_config {
        "zero-config: teams are CODEOWNERS and catalog owners, one capability each"
    } else {
        "from capgraph.toml"
    };
    let count = |kind: OwnerKind| ownership.teams.values().filter(|t| t.kind == kind).count();
    let mut kinds = Vec::new();
    for (kind, one, many) in [
        (OwnerKind::ReviewGroup, "review group", "review groups"),
        (OwnerKind::Individual, "individual", "individuals"),
    ] {
        match count(kind) {
            0 => {}
            1 => kinds.push(format!("1 {one}")),
            n => kinds.push(format!("{n} {many}")),
        }
    }
    let kinds = if kinds.is_empty() {
        String::new()
    } else {
        format!(" ({})", kinds.join(", "))
    };
    let co_owned = ownership
        .crates
        .iter()
        .filter(|c| c.owners.len() > 1)
        .count();
    let unowned = ownership.crates.iter().filter(|c| c.team.is_none()).count();
    format!(
        "{} crates, {} teams{kinds}, {} capabilities; {co_owned} co-owned, {unowned} unowned ({mode})",
        analysis.packages.packages.len(),
        ownership.teams.len(),
        ownership.capabilities.len()
    )
}

/// The deciding source, or for an unowned crate the source that matched without naming a
/// known team (what to fix), or `(no source)` when none matched.
fn source_cell(owned: &CrateOwnership) -> String {
    match (&owned.decided_by, owned.others.first()) {
        (Some(claim), _) => format!("{} ({})", claim.origin, claim.source.describe()),
        (None, Some(claim)) => format!(
            "{} ({}) {}",
            claim.origin,
            claim.source.describe(),
            claim.why_no_team()
        ),
        (None, None) => "(no source)".to_string(),
    }
}

/// The owning team, or the co-owners joined by ` + `; a review group or a person standing in
/// for a team says so.
fn team_cell(analysis: &Analysis, owned: &CrateOwnership) -> String {
    let Some(team) = &owned.team else {
        return "(unowned)".to_string();
    };
    let owners = if owned.owners.is_empty() {
        std::slice::from_ref(team)
    } else {
        &owned.owners[..]
    };
    let shown: Vec<String> = owners
        .iter()
        .map(
            |id| match analysis.ownership.teams.get(id).map(|t| t.kind) {
                Some(OwnerKind::ReviewGroup) => format!("{id} (review group)"),
                Some(OwnerKind::Individual) => format!("{id} (individual)"),
                _ => id.clone(),
            },
        )
        .collect();
    shown.join(" + ")
}

/// Writes the ownership problems, one per line, location first.
pub fn write_problems(problems: &[OwnershipProblem], out: &mut dyn Write) -> io::Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nOwnership problems:")?;
    for problem in worded(problems) {
        let line = format!(
            "  {}: {}[{}] {}",
            problem.location, problem.name, problem.rule, problem.message
        );
        writeln!(out, "{}", escape::log_line(&escape::terminal(&line)))?;
    }
    Ok(())
}

/// Explains who owns a crate (by name) or a file or directory (by path), and why.
pub fn explain(analysis: &Analysis, target: &str) -> Result<String, ExplainError> {
    let packages = &analysis.packages.packages;
    if let Some(index) = packages.iter().position(|p| p.id_name == target) {
        return Ok(explain_crate(analysis, index));
    }
    let named: Vec<&str> = packages
        .iter()
        .filter(|p| p.name == target)
        .map(|p| p.id_name.as_str())
        .collect();
    if named.len() > 1 {
        return Err(ExplainError::Ambiguous(
            target.to_string(),
            named.join(", "),
        ));
    }
    let Located { root, rel, is_dir } =
        locate(analysis, target).ok_or_else(|| ExplainError::NotFound(target.to_string()))?;
    let package_index = analysis
        .packages
        .packages
        .iter()
        .position(|p| p.root == root && p.dir == rel)
        .or_else(|| analysis.packages.owner_of(root, &rel).map(|(i, _)| i))
        .or_else(|| {
            analysis
                .packages
                .owner_of(root, &format!("{rel}/x"))
                .map(|(i, _)| i)
        });
    let mut text = String::new();
    let repo = &analysis.roots[root].name;
    let is_crate_dir = package_index.is_some_and(|i| analysis.packages.packages[i].dir == rel);
    if !is_crate_dir {
        let (what, query) = match (is_dir, rel.is_empty()) {
            (false, _) => ("file", rel.clone()),
            (true, true) => ("directory", String::new()),
            // CODEOWNERS directory patterns (`/docs/`) match a directory only with its `/`.
            (true, false) => ("directory", format!("{rel}/")),
        };
        let shown = if rel.is_empty() { "." } else { &rel };
        put(&mut text, format!("{what} {repo}/{shown}"));
        match &analysis.ownership.codeowners[root] {
            Some((path, codeowners)) => {
                let decided = codeowners.matches(&query);
                if decided.is_empty() {
                    put(
                        &mut text,
                        format!("  CODEOWNERS   no pattern of {repo}/{path} matches it"),
                    );
                }
                for found in decided {
                    let owners = if found.owners.is_empty() {
                        "(no owners: unowned)".to_string()
                    } else {
                        found
                            .owners
                            .iter()
                            .map(|handle| match team_of_handle(analysis, handle) {
                                Some(team) => format!("{handle} (team {team})"),
                                None => handle.clone(),
                            })
                            .collect::<Vec<_>>()
                            .join(" ")
                    };
                    put(
                        &mut text,
                        format!(
                            "  CODEOWNERS   {repo}/{path}:{}  `{}` → {owners}",
                            found.line, found.pattern
                        ),
                    );
                }
            }
            None => {
                put(
                    &mut text,
                    format!("  CODEOWNERS   {repo} has no CODEOWNERS file"),
                );
            }
        }
        match package_index {
            Some(index) => {
                put(
                    &mut text,
                    format!("  in crate     {}", analysis.packages.packages[index].name),
                );
                text.push('\n');
            }
            None => {
                put(&mut text, "  in crate     (none: no Cargo.toml above it)");
                return Ok(text);
            }
        }
    }
    if let Some(index) = package_index {
        text.push_str(&explain_crate(analysis, index));
    }
    Ok(text)
}

fn explain_crate(analysis: &Analysis, index: usize) -> String {
    let package = &analysis.packages.packages[index];
    let owned = &analysis.ownership.crates[index];
    let repo = &analysis.roots[package.root].name;
    let mut text = String::new();
    let dir = if package.dir.is_empty() {
        "."
    } else {
        &package.dir
    };
    put(&mut text, format!("crate {} ({repo}/{dir})", package.name));
    put(
        &mut text,
        format!(
            "  capability   {}",
            owned.capability.as_deref().unwrap_or("(none)")
        ),
    );
    let team = match &owned.team {
        Some(team) => {
            let name = analysis
                .ownership
                .teams
                .get(team)
                .map(|t| t.name.as_str())
                .filter(|name| name != team);
            match name {
                Some(name) => format!("{team} ({name})"),
                None => team.clone(),
            }
        }
        None => "(none: unowned)".to_string(),
    };
    put(&mut text, format!("  team         {team}"));
    if owned.owners.len() > 1 {
        put(
            &mut text,
            format!(
                "  co-owners    {} (they share the crate: a dependency between crates that share \
                 an owner is not cross-team)",
                owned.owners.join(", ")
            ),
        );
    }
    if !owned.maintainers.is_empty() {
        put(
            &mut text,
            format!(
                "  maintainers  {} (individuals CODEOWNERS names beside the teams)",
                owned.maintainers.join(", ")
            ),
        );
    }
    if owned.contract {
        put(&mut text, "  contract     yes");
    }
    match &owned.decided_by {
        Some(claim) => {
            put(&mut text, format!("  decided by   {}", claim_line(claim)));
        }
        None => {
            put(
                &mut text,
                "  decided by   nothing: no source names a known team",
            );
        }
    }
    for (i, claim) in owned.others.iter().enumerate() {
        let verdict = match (&claim.team, &owned.team) {
            (Some(a), Some(b)) if a == b => "agrees",
            (Some(_), _) => "overridden",
            (None, _) => "",
        };
        let verdict = if verdict.is_empty() {
            claim.why_no_team()
        } else {
            verdict.to_string()
        };
        let label = if i == 0 {
            "  also said    "
        } else {
            "               "
        };
        put(
            &mut text,
            format!("{label}{} ({verdict})", claim_line(claim)),
        );
    }
    let problems = worded(&analysis.ownership.problems)
        .into_iter()
        .filter(|p| p.krate.as_deref() == Some(package.id_name.as_str()));
    for problem in problems {
        put(
            &mut text,
            format!(
                "  problem      {}[{}] {}",
                problem.name, problem.rule, problem.message
            ),
        );
    }
    text
}

/// Adds one line of an explanation: values shown with `escape::terminal`, so that none of
/// them breaks the line, and the line never a CI command.
fn put(text: &mut String, line: impl AsRef<str>) {
    text.push_str(&escape::log_line(&escape::terminal(line.as_ref())));
    text.push('\n');
}

/// The team a CODEOWNERS handle stands for (handles ignore case, as on GitHub).
fn team_of_handle<'a>(analysis: &'a Analysis, handle: &str) -> Option<&'a str> {
    let key = handle_key(handle);
    analysis
        .ownership
        .teams
        .values()
        .find(|team| team.handles.iter().any(|h| handle_key(h) == key))
        .map(|team| team.id.as_str())
}

fn claim_line(claim: &Claim) -> String {
    let team = claim
        .team
        .as_ref()
        .map(|t| format!(" → {t}"))
        .unwrap_or_default();
    format!(
        "{}  {}: {}{team}",
        claim.origin,
        claim.source.describe(),
        claim.statement
    )
}

/// A path `--explain` was asked about, inside one of the roots.
struct Located {
    root: usize,
    /// Root-relative, `/`-separated, without a trailing `/` (empty for the root itself).
    rel: String,
    is_dir: bool,
}

/// Where `target`, a path on disk or `REPO/PATH`, is: `None` unless it exists under a root.
fn locate(analysis: &Analysis, target: &str) -> Option<Located> {
    if let Ok(canonical) = Path::new(target).canonicalize() {
        for (index, root) in analysis.roots.iter().enumerate() {
            if let Some(rel) = crate::discover::relative_path(&root.path, &canonical) {
                return Some(Located {
                    root: index,
                    rel,
                    is_dir: canonical.is_dir(),
                });
            }
        }
    }
    let (repo, rel) = target.split_once('/')?;
    let index = analysis.roots.iter().position(|r| r.name == repo)?;
    let rel = rel.trim_end_matches('/');
    let on_disk = analysis.roots[index].path.join(rel);
    // A path that is not there owns nothing; answering with the patterns it would match
    // would hide a typo.
    let metadata = on_disk.metadata().ok()?;
    Some(Located {
        root: index,
        rel: rel.to_string(),
        is_dir: metadata.is_dir(),
    })
}
