//! The `capgraph` command line: parses arguments, runs the pipeline and prints or writes the
//! result. Exit codes: 0 success, 1 when `check` finds something at or above `--fail-on`, 2
//! when the run itself fails.

use anyhow::{Context, Result, bail};
use capgraph::model::aggregate::{self, Level as RollUp};
use capgraph::report::{self, GraphView, drawing};
use capgraph::rules::Severity;
use capgraph::{Analysis, AnalysisOptions, analyze};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// Parsing allocates millions of small nodes on every core; glibc's allocator spends more time
// than the parser on that once the heap holds the facts of tens of thousands of files.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Maps teams, capabilities, crates and service calls of Rust repositories into one graph,
/// and reports the dependencies that cross team boundaries.
#[derive(Parser)]
#[command(name = "capgraph", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,

    /// Use this config file instead of the capgraph.toml at the top of each root.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Worker threads for scanning (default: one per core; at most 64).
    #[arg(long, short = 'j', global = true, value_name = "N")]
    jobs: Option<usize>,

    /// Print no diagnostics about scanned files on stderr.
    #[arg(long, short = 'q', global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Print the dependency graph of one or more repositories.
    ///
    /// Every Cargo.toml and .rs file under the given roots is read (honouring .gitignore,
    /// skipping target/ and .git). Workspaces are formed as Cargo forms them, implicit members
    /// (path dependencies inside the workspace, inherited ones too) included. A dependency is
    /// an edge to a scanned crate when its source says so: a path to it, a git URL naming a
    /// scanned repository, or an alternative registry (`registry = ".."`); a crates.io
    /// dependency is the third-party crate, and a package never depends on itself. Each edge carries the
    /// dependency kind (normal, dev, build), the manifest line declaring it and the code
    /// lines using it. At --level capability or team, crate dependencies are rolled up into
    /// one edge per pair, with the number of crate dependencies by kind and of references.
    ///
    /// At --level service the graph is the run-time one: services (crates whose binary serves
    /// HTTP routes or gRPC, or calls, publishes or subscribes), topics and tables, joined by
    /// `calls` (http/grpc), `publishes`, `subscribes`, `reads` and `writes` edges. Each call
    /// names its endpoints, how its callee was resolved (config, deploy, host, proto, route,
    /// client-crate) and whether its client has a timeout; a call whose target is not a known
    /// service goes to `service:unknown` with its evidence. What counts as a call, a route, a
    /// topic or a table is data: rules/detectors.toml, extended by [[detectors.pattern]].
    ///
    /// Files that cannot be read or parsed are reported on stderr (SCN001, SCN002) and the
    /// run goes on.
    #[command(after_help = "Examples:\n  \
        capgraph graph sample-repos/* --format dot | dot -Tsvg > crates.svg\n  \
        capgraph graph sample-repos/* --level capability --format mermaid\n  \
        capgraph graph sample-repos/* --level service --format dot | dot -Tsvg > services.svg\n  \
        capgraph graph . --format mermaid --externals\n  \
        capgraph graph ../repo-a ../repo-b --output graph.json")]
    Graph(GraphArgs),

    /// Print who owns each crate, and which source says so.
    ///
    /// Ownership comes from, highest precedence first: capgraph.toml (`crates`, then the most
    /// specific `paths` glob), `[package.metadata.capgraph]` in the crate's Cargo.toml, the
    /// nearest Backstage catalog-info.yaml, and CODEOWNERS (.github/, root or docs/, with
    /// GitHub's semantics; GitLab sections understood) matched on the crate's directory.
    /// Without capgraph.toml, each CODEOWNERS or catalog owner is a team with one capability.
    /// Problems (OWN001-OWN005) are listed after the table.
    #[command(after_help = "Examples:\n  \
        capgraph owners sample-repos/*\n  \
        capgraph owners sample-repos/* --explain checkout-api\n  \
        capgraph owners sample-repos/* --explain sample-repos/acme-shop/domains/checkout/cart/src/lib.rs")]
    Owners(OwnersArgs),

    /// Check the organization against the rules and print the findings.
    ///
    /// Runs every rule the pack in force enables (`default` unless capgraph.toml sets
    /// `[rules] pack`), with capgraph.toml's `[rules]` applied, then drops the findings that a
    /// `capgraph: allow(ID) reason: ...` comment suppresses. Text output groups findings by
    /// team and rule, each line starting with `path:line:`.
    ///
    /// Exit codes: 0 when no finding is at or above --fail-on, 1 when one is, 2 when the run
    /// itself failed (bad arguments, an unreadable or invalid config).
    #[command(after_help = "Examples:\n  \
        capgraph check sample-repos/*\n  \
        capgraph check . --fail-on warning\n  \
        capgraph check . --format github          # annotations in a GitHub workflow\n  \
        capgraph check . --format markdown >> \"$GITHUB_STEP_SUMMARY\"\n  \
        capgraph check . --format json --output findings.json --fail-on never")]
    Check(CheckArgs),

    /// Write the HTML report, findings.json and graph.json of one or more repositories.
    ///
    /// DIR/index.html is one self-contained page (inline CSS and JS, no request of any kind,
    /// readable from file:// and printed): a summary, team and capability design structure
    /// matrices, the capability map and the service map, the findings with filters and the
    /// rules' documentation, one section per team and per capability, and the ownership gaps.
    /// Every file is written atomically. The page carries no timestamp unless --timestamp or
    /// SOURCE_DATE_EPOCH gives one, so the same input gives the same bytes. Exits 0 unless the
    /// run itself fails (use `check` to fail a build).
    #[command(after_help = "Examples:\n  \
        capgraph report sample-repos/*\n  \
        capgraph report . --out public/architecture\n  \
        SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) capgraph report .")]
    Report(ReportArgs),

    /// List the rules, with their severity in the pack in force.
    Rules,

    /// Print the documentation of one rule (by id or name).
    #[command(
        after_help = "Examples:\n  capgraph explain BND001\n  capgraph explain contract-bypass"
    )]
    Explain(ExplainArgs),

    /// Write a starter capgraph.toml inferred from CODEOWNERS, catalog files and the layout.
    ///
    /// Teams come from the owner handles found, one capability per team lists the team's
    /// crates, and crates named *-api, *-client, *-proto or *-types are proposed as contracts
    /// (marked as guesses). Running capgraph with the result gives the same ownership as
    /// running without it. An existing capgraph.toml is never overwritten.
    Init(InitArgs),
}

#[derive(Args)]
struct GraphArgs {
    /// Repository roots, analysed together as one organization.
    #[arg(value_name = "PATHS", default_value = ".")]
    paths: Vec<PathBuf>,

    /// What the nodes of the graph are.
    #[arg(long, value_enum, default_value_t = Level::Crate)]
    level: Level,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = GraphFormat::Json)]
    format: GraphFormat,

    /// Include third-party crates at --level crate (always included in JSON).
    #[arg(long)]
    externals: bool,

    /// Write to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct OwnersArgs {
    /// Repository roots, analysed together as one organization.
    #[arg(value_name = "PATHS", default_value = ".")]
    paths: Vec<PathBuf>,

    /// Explain the ownership of one crate (by name) or file or directory (by path).
    #[arg(long, value_name = "CRATE|PATH")]
    explain: Option<String>,
}

#[derive(Args)]
struct CheckArgs {
    /// Repository roots, analysed together as one organization.
    #[arg(value_name = "PATHS", default_value = ".")]
    paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,

    /// Exit with 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,

    /// Write to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct ReportArgs {
    /// Repository roots, analysed together as one organization.
    #[arg(value_name = "PATHS", default_value = ".")]
    paths: Vec<PathBuf>,

    /// The directory to write index.html, findings.json and graph.json into (created if
    /// missing).
    #[arg(long, value_name = "DIR", default_value = "capgraph-report")]
    out: PathBuf,

    /// A timestamp to show in the report (default: SOURCE_DATE_EPOCH, if set; else none).
    #[arg(long, value_name = "TEXT")]
    timestamp: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    /// Grouped by team and rule, for a terminal.
    Text,
    /// capgraph.findings/v1 JSON (findings.json).
    Json,
    /// GitHub workflow commands (annotations on the pull request).
    Github,
    /// A Markdown summary, for a pull-request comment or $GITHUB_STEP_SUMMARY.
    Markdown,
    /// JUnit XML: a test suite per rule, a failing test case per finding.
    Junit,
    /// SARIF 2.1.0, with every rule's documentation (code-scanning dashboards).
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    /// Always exit 0 (unless the run itself fails).
    Never,
}

#[derive(Args)]
struct ExplainArgs {
    /// A rule id (BND001) or name (contract-bypass).
    #[arg(value_name = "RULE")]
    rule: String,
}

#[derive(Args)]
struct InitArgs {
    /// The repository root to write capgraph.toml into.
    #[arg(value_name = "PATH", default_value = ".")]
    path: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Level {
    /// Crates of the scanned repositories (and third-party crates they use).
    Crate,
    /// Capabilities, with crate dependencies rolled up between them.
    Capability,
    /// Teams, with crate dependencies rolled up between them.
    Team,
    /// Services, topics and tables, with the calls, messages and table access between them.
    Service,
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    /// capgraph.graph/v1 JSON.
    Json,
    /// Graphviz DOT.
    Dot,
    /// Mermaid flowchart.
    Mermaid,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("{}", error_text(&err));
            ExitCode::from(2)
        }
    }
}

/// The message of a failed run: the error and its causes, each said once (an error that
/// already quotes its cause, like "cannot read `x`: No such file", does not get it twice),
/// under one `error:` heading (rendered config errors carry their own). Messages quote names
/// from the scanned repositories: a message is one line, its control characters and line
/// breaks shown escaped, except a rendered config error, whose lines are its own (each
/// escaped); no line is a CI command.
fn error_text(err: &anyhow::Error) -> String {
    use report::escape;
    let mut said = String::new();
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let part = cause.to_string();
        if said.contains(&part) {
            continue;
        }
        if !said.is_empty() {
            said.push_str(": ");
        }
        said.push_str(&part);
        parts.push(part);
    }
    let text = parts
        .iter()
        .map(|part| {
            if part.starts_with("error:") && part.contains('\n') {
                escape::log_text(part)
            } else {
                escape::terminal(part).into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(": ");
    let text = if text.starts_with("error:") {
        text
    } else {
        format!("error: {text}")
    };
    escape::log_lines(&text).into_owned()
}

fn run(cli: Cli) -> Result<ExitCode> {
    let options = AnalysisOptions {
        jobs: cli.jobs.unwrap_or(0),
        config: cli.config.clone(),
        progress: !cli.quiet && std::io::stderr().is_terminal(),
    };
    match cli.command {
        Command::Graph(args) => graph(&args, &options, cli.quiet),
        Command::Owners(args) => owners(&args, &options, cli.quiet),
        Command::Check(args) => check(&args, &options),
        Command::Report(args) => html_report(&args, &options),
        Command::Rules => {
            let settings = settings_without_analysis(cli.config.as_deref())?;
            emit(None, |out| report::rules::write_rule_list(&settings, out))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain(args) => explain(&args, cli.config.as_deref()),
        Command::Init(args) => init(&args, options, cli.quiet),
    }
}

/// `capgraph graph`: the graph at the level and in the format asked for.
fn graph(args: &GraphArgs, options: &AnalysisOptions, quiet: bool) -> Result<ExitCode> {
    let analysis = analyze_and_warn(&args.paths, options, quiet)?;
    let roll_up = match args.level {
        Level::Crate | Level::Service => None,
        Level::Capability => Some(RollUp::Capability),
        Level::Team => Some(RollUp::Team),
    };
    let view = GraphView {
        include_external: args.externals || matches!(args.format, GraphFormat::Json),
    };
    emit(args.output.as_deref(), |out| match roll_up {
        Some(level) => write_rolled_up(&analysis, level, args.format, out),
        None if args.level == Level::Service => write_services(&analysis, args.format, out),
        None => write_crates(&analysis, view, args.format, out),
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The crate graph (`--level crate`).
fn write_crates(
    analysis: &Analysis,
    view: GraphView,
    format: GraphFormat,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let graph = &analysis.graph;
    match format {
        GraphFormat::Json => {
            report::json::write_crate_graph(graph, &analysis.services, &analysis.metrics, view, out)
        }
        GraphFormat::Dot => report::dot::write_drawing(&drawing::crate_drawing(graph, view), out),
        GraphFormat::Mermaid => {
            report::mermaid::write_drawing(&drawing::crate_drawing(graph, view), out)
        }
    }
}

/// The run-time graph (`--level service`).
fn write_services(
    analysis: &Analysis,
    format: GraphFormat,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let drawn = || drawing::service_drawing(&analysis.graph, &analysis.services);
    match format {
        GraphFormat::Json => report::json::write_service_graph(&analysis.services, out),
        GraphFormat::Dot => report::dot::write_drawing(&drawn(), out),
        GraphFormat::Mermaid => report::mermaid::write_drawing(&drawn(), out),
    }
}

/// The graph rolled up to capabilities or teams.
fn write_rolled_up(
    analysis: &Analysis,
    level: RollUp,
    format: GraphFormat,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let graph = &analysis.graph;
    let rolled = aggregate::aggregate(graph, level);
    match format {
        GraphFormat::Json => {
            report::json::write_aggregate(graph, &analysis.metrics, &rolled, level, out)
        }
        GraphFormat::Dot => {
            report::dot::write_drawing(&drawing::aggregate_drawing(graph, &rolled, level), out)
        }
        GraphFormat::Mermaid => {
            report::mermaid::write_drawing(&drawing::aggregate_drawing(graph, &rolled, level), out)
        }
    }
}

/// `capgraph owners`: the ownership table, or how one crate or path got its owner.
fn owners(args: &OwnersArgs, options: &AnalysisOptions, quiet: bool) -> Result<ExitCode> {
    let analysis = analyze_and_warn(&args.paths, options, quiet)?;
    match &args.explain {
        Some(target) => {
            let text = report::owners::explain(&analysis, target)?;
            emit(None, |out| out.write_all(text.as_bytes()))?;
        }
        None => emit(None, |out| report::owners::write_table(&analysis, out))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `capgraph check`: the findings in the format asked for; exit code 1 at `--fail-on`.
fn check(args: &CheckArgs, options: &AnalysisOptions) -> Result<ExitCode> {
    let analysis = analyze_and_warn(&args.paths, options, true)?;
    let settings = capgraph::rules::Settings::from_config(&analysis.config)?;
    let findings = capgraph::rules::check(&analysis, &settings);
    let paths = path_style(&analysis);
    let color = args.output.is_none()
        && matches!(args.format, CheckFormat::Text)
        && anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never;
    emit(args.output.as_deref(), |out| match args.format {
        CheckFormat::Text => report::findings::write_text(&findings, &paths, color, out),
        CheckFormat::Json => report::findings::write_json(&findings, out),
        CheckFormat::Github => report::findings::write_github(&findings, &paths, out),
        CheckFormat::Markdown => report::findings::write_markdown(&findings, &paths, out),
        CheckFormat::Junit => report::findings::write_junit(&findings, &settings, &paths, out),
        CheckFormat::Sarif => report::sarif::write_sarif(&findings, &settings, out),
    })?;
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    Ok(if findings.fails(threshold) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `capgraph report`: index.html, findings.json and graph.json in one directory.
fn html_report(args: &ReportArgs, options: &AnalysisOptions) -> Result<ExitCode> {
    let analysis = analyze_and_warn(&args.paths, options, true)?;
    let settings = capgraph::rules::Settings::from_config(&analysis.config)?;
    let findings = capgraph::rules::check(&analysis, &settings);
    let paths = path_style(&analysis);
    let generated = match &args.timestamp {
        Some(text) => Some(text.clone()),
        None => source_date_epoch()?,
    };
    let page = report::html::build(&analysis, &findings, &settings, &paths, generated);
    let html = askama::Template::render(&page).context("cannot render the report")?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create `{}`", args.out.display()))?;
    let view = GraphView {
        include_external: true,
    };
    emit(Some(&args.out.join("findings.json")), |out| {
        report::findings::write_json(&findings, out)
    })?;
    emit(Some(&args.out.join("graph.json")), |out| {
        report::json::write_crate_graph(
            &analysis.graph,
            &analysis.services,
            &analysis.metrics,
            view,
            out,
        )
    })?;
    emit(Some(&args.out.join("index.html")), |out| {
        out.write_all(html.as_bytes())
    })?;
    let summary = findings.summary();
    eprintln!(
        "wrote {}: {} errors, {} warnings, {} info",
        report::escape::terminal(&args.out.join("index.html").display().to_string()),
        summary.error,
        summary.warning,
        summary.info
    );
    Ok(ExitCode::SUCCESS)
}

/// `capgraph explain RULE`: a rule's documentation and its settings.
fn explain(args: &ExplainArgs, config: Option<&Path>) -> Result<ExitCode> {
    let Some(rule) = capgraph::rules::find(&args.rule) else {
        let hint = capgraph::rules::closest(&args.rule)
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_else(|| "; `capgraph rules` lists them".to_string());
        bail!("no rule has the id or name `{}`{hint}", args.rule);
    };
    let settings = settings_without_analysis(config)?;
    let text = report::rules::explain(rule.meta(), &settings);
    emit(None, |out| out.write_all(text.as_bytes()))?;
    Ok(ExitCode::SUCCESS)
}

/// `capgraph init`: a starter capgraph.toml inferred as zero-config mode does.
fn init(args: &InitArgs, options: AnalysisOptions, quiet: bool) -> Result<ExitCode> {
    let target = args.path.join(capgraph::config::CONFIG_FILE);
    if target.exists() {
        bail!(
            "`{}` already exists; capgraph init never overwrites it (remove or rename \
             it first)",
            target.display()
        );
    }
    // Infer as zero-config mode does, whatever --config says.
    let options = AnalysisOptions {
        config: None,
        ..options
    };
    let analysis = analyze_and_warn(std::slice::from_ref(&args.path), &options, quiet)?;
    let text = report::init::starter_config(&analysis);
    report::write_atomically(&target, |out| out.write_all(text.as_bytes()))
        .with_context(|| format!("cannot write `{}`", target.display()))?;
    eprintln!(
        "wrote {}: {} teams, {} capabilities",
        report::escape::terminal(&target.display().to_string()),
        analysis.ownership.teams.len(),
        analysis.ownership.capabilities.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The time `SOURCE_DATE_EPOCH` names, as RFC 3339 in UTC, for reproducible builds.
fn source_date_epoch() -> Result<Option<String>> {
    let Ok(value) = std::env::var("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let seconds: i64 = value
        .trim()
        .parse()
        .with_context(|| format!("SOURCE_DATE_EPOCH `{value}` is not a number of seconds"))?;
    let timestamp = jiff::Timestamp::from_second(seconds)
        .with_context(|| format!("SOURCE_DATE_EPOCH `{value}` is out of range"))?;
    Ok(Some(timestamp.to_string()))
}

/// The rule settings for commands that scan nothing: those of `--config FILE`, or of the
/// capgraph.toml in the current directory, or the default pack.
fn settings_without_analysis(config: Option<&Path>) -> Result<capgraph::rules::Settings> {
    let local = Path::new(capgraph::config::CONFIG_FILE);
    let config = match config {
        Some(path) => capgraph::config::load_config(
            path,
            &path.display().to_string(),
            None,
            None,
            Some(capgraph::rules::config::check),
        )?,
        // The current directory's config is a repository's, confined to it like any other.
        None if local.exists() => {
            let here = std::env::current_dir()?.canonicalize()?;
            let shown = capgraph::config::CONFIG_FILE;
            capgraph::config::load_config(
                local,
                shown,
                None,
                Some(&here),
                Some(capgraph::rules::config::check),
            )?
        }
        None => capgraph::config::Config::default(),
    };
    Ok(capgraph::rules::Settings::from_config(&config)?)
}

/// Each root as the user can open it: relative to the working directory when under it.
fn path_style(analysis: &Analysis) -> report::findings::PathStyle {
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|dir| dir.canonicalize().ok());
    let roots = analysis
        .roots
        .iter()
        .map(|root| {
            let shown = cwd
                .as_ref()
                .and_then(|cwd| root.path.strip_prefix(cwd).ok())
                .map_or_else(
                    || root.path.display().to_string(),
                    |rel| rel.display().to_string(),
                );
            (root.name.clone(), shown)
        })
        .collect();
    report::findings::PathStyle { roots }
}

/// Runs the analysis and prints its diagnostics on stderr unless `quiet`.
fn analyze_and_warn(paths: &[PathBuf], options: &AnalysisOptions, quiet: bool) -> Result<Analysis> {
    let analysis = analyze(paths, options)?;
    if !quiet {
        let mut stderr = std::io::stderr().lock();
        for diagnostic in &analysis.diagnostics {
            let line = format!("warning: {diagnostic}");
            let _ = writeln!(stderr, "{}", report::escape::log_line(&line));
        }
    }
    Ok(analysis)
}

/// Sends a rendering to `output` (atomically) or to stdout.
fn emit(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match output {
        Some(path) => report::write_atomically(path, write)
            .with_context(|| format!("cannot write `{}`", path.display())),
        None => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            match write(&mut stdout).and_then(|_| stdout.flush()) {
                // A closed pipe (`| head`) is the reader's choice, not a failure.
                Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to stdout"),
            }
        }
    }
}
