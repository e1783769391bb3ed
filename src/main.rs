//! The `capgraph` command line: parses arguments, runs the pipeline and prints or writes the
//! result. Exit codes: 0 success, 2 when the run itself fails.

use anyhow::{Context, Result};
use capgraph::report::{self, GraphView};
use capgraph::{AnalysisOptions, analyze};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
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

    /// Worker threads for scanning (default: one per core).
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
    /// skipping target/ and .git). A dependency on a crate found in any root is an edge to
    /// that crate, whether it is declared by path, git or registry. Each edge carries the
    /// dependency kind (normal, dev, build), the manifest line declaring it and the code
    /// lines using it.
    ///
    /// Files that cannot be read or parsed are reported on stderr (SCN001, SCN002) and the
    /// run goes on.
    #[command(after_help = "Examples:\n  \
        capgraph graph sample-repos/* --format dot | dot -Tsvg > crates.svg\n  \
        capgraph graph . --format mermaid --externals\n  \
        capgraph graph ../repo-a ../repo-b --output graph.json")]
    Graph(GraphArgs),
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

    /// Include third-party crates (always included in JSON).
    #[arg(long)]
    externals: bool,

    /// Write to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Level {
    /// Crates of the scanned repositories (and third-party crates they use).
    Crate,
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
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let options = AnalysisOptions {
        jobs: cli.jobs.unwrap_or(0),
    };
    match cli.command {
        Command::Graph(args) => {
            let analysis = analyze(&args.paths, &options)?;
            if !cli.quiet {
                let mut stderr = std::io::stderr().lock();
                for diagnostic in &analysis.diagnostics {
                    let _ = writeln!(stderr, "warning: {diagnostic}");
                }
            }
            let Level::Crate = args.level;
            let view = GraphView {
                include_external: args.externals || matches!(args.format, GraphFormat::Json),
            };
            let graph = &analysis.graph;
            emit(args.output.as_deref(), |out| match args.format {
                GraphFormat::Json => report::json::write_crate_graph(graph, view, out),
                GraphFormat::Dot => report::dot::write_crate_graph(graph, view, out),
                GraphFormat::Mermaid => report::mermaid::write_crate_graph(graph, view, out),
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Sends a rendering to `output` (atomically) or to stdout.
fn emit(
    output: Option<&std::path::Path>,
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
