//! Findings for people and machines: text (grouped by team and rule, like ruff and clippy),
//! `findings.json`, GitHub workflow annotations, Markdown for a pull-request comment or job
//! summary, and JUnit XML. Renderers only format findings; they evaluate nothing.

use super::escape;
use crate::rules::{Finding, Findings, Location, REGISTRY, Settings, Severity};
use anstyle::{AnsiColor, Style};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

pub const FINDINGS_SCHEMA: &str = "capgraph.findings/v1";

/// How locations are shown to people: each repository's root as the user can open it
/// (relative to the working directory when under it).
#[derive(Debug, Clone, Default)]
pub struct PathStyle {
    /// Repo name → the root's display path (`sample-repos/acme-shop`).
    pub roots: BTreeMap<String, String>,
}

impl PathStyle {
    /// `sample-repos/acme-shop/domains/checkout/Cargo.toml`: a path a terminal or an editor
    /// can open.
    pub fn path(&self, location: &Location) -> String {
        match self.roots.get(&location.repo) {
            Some(root) if root.is_empty() || root == "." => location.path.clone(),
            Some(root) => format!("{root}/{}", location.path),
            None if location.repo.is_empty() => location.path.clone(),
            None => format!("{}/{}", location.repo, location.path),
        }
    }

    /// The path with `:line` when there is one.
    pub fn place(&self, location: &Location) -> String {
        match location.line {
            Some(line) => format!("{}:{line}", self.path(location)),
            None => self.path(location),
        }
    }
}

#[derive(Serialize)]
struct FindingsDocument<'a> {
    schema: &'static str,
    tool: Tool,
    findings: &'a [Finding],
    summary: crate::rules::Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// `findings.json` (schema `capgraph.findings/v1`).
pub fn write_json(findings: &Findings, out: &mut dyn Write) -> io::Result<()> {
    let document = FindingsDocument {
        schema: FINDINGS_SCHEMA,
        tool: Tool {
            name: "capgraph",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: &findings.findings,
        summary: findings.summary(),
    };
    escape::write_json(&document, &mut *out)?;
    writeln!(out)
}

fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Error => AnsiColor::Red.on_default().bold(),
        Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        Severity::Info => AnsiColor::Cyan.on_default().bold(),
    }
}

/// Findings by the team they are listed under (teamless last), then by rule.
type ByTeamAndRule<'a> =
    BTreeMap<(bool, Option<&'a str>), BTreeMap<&'static str, Vec<&'a Finding>>>;

/// The team a finding is listed under: its first team, or none.
fn team_of(finding: &Finding) -> Option<&str> {
    finding.teams.first().map(String::as_str)
}

/// Text for a terminal: findings grouped by team, then by rule, each line starting with
/// `path:line:` so that terminals and editors can jump to it, and a summary. Names and
/// messages are shown with `escape::terminal`, and no line is a CI command.
pub fn write_text(
    findings: &Findings,
    paths: &PathStyle,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut text = Vec::new();
    render_text(findings, paths, color, &mut text)?;
    out.write_all(escape::log_lines(&String::from_utf8_lossy(&text)).as_bytes())
}

fn render_text(
    findings: &Findings,
    paths: &PathStyle,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let paint = |style: Style, text: &str| -> String {
        if color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    };
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let mut by_team: ByTeamAndRule = BTreeMap::new();
    for finding in &findings.findings {
        let team = team_of(finding);
        by_team
            .entry((team.is_none(), team))
            .or_default()
            .entry(finding.rule)
            .or_default()
            .push(finding);
    }
    for ((_, team), rules) in &by_team {
        let count: usize = rules.values().map(Vec::len).sum();
        let heading = match team {
            Some(team) => format!("team {}", escape::terminal(team)),
            None => "no team".to_string(),
        };
        writeln!(
            out,
            "{} {}",
            paint(bold, &heading),
            paint(
                dim,
                &format!("({count} {})", plural(count, "finding", "findings"))
            )
        )?;
        for (rule, list) in rules {
            writeln!(out, "  {} {}", paint(bold, rule), paint(dim, list[0].name),)?;
            for finding in list {
                let place = finding
                    .location
                    .as_ref()
                    .map(|l| format!("{}: ", paths.place(l)))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "    {}{}: {}",
                    paint(bold, &escape::terminal(&place)),
                    paint(severity_style(finding.severity), finding.severity.as_str()),
                    escape::terminal(&finding.message)
                )?;
            }
        }
        writeln!(out)?;
    }
    let summary = findings.summary();
    let total = summary.error + summary.warning + summary.info;
    let mut line = if total == 0 {
        "No findings".to_string()
    } else {
        format!(
            "Found {total} {}: {} {}, {} {}, {} info",
            plural(total, "finding", "findings"),
            summary.error,
            plural(summary.error, "error", "errors"),
            summary.warning,
            plural(summary.warning, "warning", "warnings"),
            summary.info,
        )
    };
    if summary.suppressed > 0 {
        line.push_str(&format!(" ({} suppressed)", summary.suppressed));
    }
    writeln!(out, "{}", paint(bold, &line))
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 { one } else { many }
}

/// GitHub workflow commands: one `::error file=..,line=..,title=..::message` per finding,
/// shown as annotations on the pull request; properties and message escaped as GitHub's
/// toolkit does (`escape::workflow_property`, `escape::workflow_data`), so that every line
/// is one command of capgraph's.
pub fn write_github(findings: &Findings, paths: &PathStyle, out: &mut dyn Write) -> io::Result<()> {
    for finding in &findings.findings {
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = Vec::new();
        if let Some(location) = &finding.location {
            properties.push(format!(
                "file={}",
                escape::workflow_property(&paths.path(location))
            ));
            if let Some(line) = location.line {
                properties.push(format!("line={line}"));
            }
        }
        properties.push(format!(
            "title={}",
            escape::workflow_property(&format!("{} {}", finding.rule, finding.name))
        ));
        writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            escape::workflow_data(&finding.message)
        )?;
    }
    Ok(())
}

/// Markdown for a pull-request comment or a job summary: counts, then a table per team.
/// Every name and message goes through `escape::markdown`: one line per row, shown
/// literally (no links, images, mentions or HTML).
pub fn write_markdown(
    findings: &Findings,
    paths: &PathStyle,
    out: &mut dyn Write,
) -> io::Result<()> {
    let summary = findings.summary();
    writeln!(out, "## capgraph findings\n")?;
    writeln!(out, "| errors | warnings | info | suppressed |")?;
    writeln!(out, "|---:|---:|---:|---:|")?;
    writeln!(
        out,
        "| {} | {} | {} | {} |\n",
        summary.error, summary.warning, summary.info, summary.suppressed
    )?;
    if findings.findings.is_empty() {
        return writeln!(out, "No findings.");
    }
    let mut by_team: BTreeMap<(bool, Option<&str>), Vec<&Finding>> = BTreeMap::new();
    for finding in &findings.findings {
        let team = team_of(finding);
        by_team
            .entry((team.is_none(), team))
            .or_default()
            .push(finding);
    }
    for ((_, team), list) in by_team {
        match team {
            Some(team) => writeln!(out, "### team {}\n", escape::markdown(team))?,
            None => writeln!(out, "### no team\n")?,
        }
        writeln!(out, "| severity | rule | location | message |")?;
        writeln!(out, "|---|---|---|---|")?;
        for finding in list {
            let place = finding
                .location
                .as_ref()
                .map(|l| format!("<code>{}</code>", escape::markdown(&paths.place(l))))
                .unwrap_or_default();
            writeln!(
                out,
                "| {} | {} {} | {} | {} |",
                finding.severity.as_str(),
                finding.rule,
                finding.name,
                place,
                escape::markdown(&finding.message)
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// JUnit XML: one test suite per enabled rule, one failing test case per finding, and one
/// passing case for a rule without findings, so that CI dashboards show what was checked.
/// Control characters in names and messages are shown escaped (`escape::terminal`, as XML 1.0
/// cannot hold most of them), and `##[` too (`escape::log_line`), as the XML may be printed
/// in a CI log.
pub fn write_junit(
    findings: &Findings,
    settings: &Settings,
    paths: &PathStyle,
    out: &mut dyn Write,
) -> io::Result<()> {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut report = Report::new("capgraph");
    for rule in REGISTRY {
        let meta = rule.meta();
        if settings.rule(meta.id).is_none() {
            continue;
        }
        let mut suite = TestSuite::new(format!("{} {}", meta.id, meta.name));
        let mut any = false;
        for finding in findings.findings.iter().filter(|f| f.rule == meta.id) {
            any = true;
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message(escape::log_line(&escape::terminal(&finding.message)).into_owned());
            status.set_type(finding.severity.as_str());
            let name = match &finding.location {
                Some(location) => format!(
                    "{} [{}]",
                    escape::log_line(&escape::terminal(&paths.place(location))),
                    finding.fingerprint
                ),
                None => format!("[{}]", finding.fingerprint),
            };
            let mut case = TestCase::new(name, status);
            case.set_classname(meta.id);
            suite.add_test_case(case);
        }
        if !any {
            let mut case = TestCase::new(meta.doc.summary, TestCaseStatus::success());
            case.set_classname(meta.id);
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report
        .serialize(&mut *out)
        .map_err(|err| io::Error::other(err.to_string()))?;
    writeln!(out)
}
