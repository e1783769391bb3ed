//! The command line as users run it: exit codes, messages, output files and the three graph
//! formats (DOT checked by Graphviz itself where it is installed, as in CI).

mod common;

use common::Repo;
use std::path::Path;
use std::process::{Command, Output};

fn capgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_capgraph"))
        .args(args)
        .output()
        .expect("capgraph runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn shop() -> Repo {
    Repo::new(
        "shop",
        &[
            ("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n"),
            (
                "crates/checkout-svc/Cargo.toml",
                "[package]\nname = \"checkout-svc\"\nversion = \"0.1.0\"\n\
                 [dependencies]\ncheckout-api = { path = \"../checkout-api\" }\nserde = \"1\"\n\
                 [dev-dependencies]\nwiremock = \"0.6\"\n",
            ),
            (
                "crates/checkout-svc/src/main.rs",
                "use checkout_api::Order;\nfn main() { let o: Order = serde::de::IgnoredAny; }\n",
            ),
            (
                "crates/checkout-svc/tests/it.rs",
                "#[test]\nfn t() { wiremock::MockServer::start(); }\n",
            ),
            (
                "crates/checkout-api/Cargo.toml",
                "[package]\nname = \"checkout-api\"\nversion = \"0.1.0\"\n",
            ),
            ("crates/checkout-api/src/lib.rs", "pub struct Order;\n"),
            (
                "crates/broken/Cargo.toml",
                "[package]\nname = \"broken\"\nversion = \"0.1.0\"\n",
            ),
            ("crates/broken/src/lib.rs", "pub fn f( {\n"),
        ],
    )
}

#[test]
fn a_missing_root_exits_2_naming_it() {
    let output = capgraph(&["graph", "/no/such/repo"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: repository root `/no/such/repo` does not exist\n"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_file_as_root_exits_2() {
    let repo = shop();
    let file = repo.path("Cargo.toml");
    let output = capgraph(&["graph", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is not a directory"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn bad_arguments_exit_2_naming_them() {
    let output = capgraph(&["graph", "--format", "svg"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("invalid value 'svg' for '--format <FORMAT>'"),
        "{message}"
    );
    assert!(
        message.contains("[possible values: json, dot, mermaid]"),
        "{message}"
    );

    let output = capgraph(&["graph", "--level", "galaxy"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn diagnostics_go_to_stderr_and_the_run_succeeds() {
    let repo = shop();
    let output = capgraph(&["graph", repo.root.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let message = stderr(&output);
    assert!(
        message.starts_with("warning: unparsable-file[SCN001]: shop/crates/broken/src/lib.rs:"),
        "{message}"
    );
    let quiet = capgraph(&["graph", "--quiet", repo.root.to_str().unwrap()]);
    assert!(quiet.stderr.is_empty());
}

#[test]
fn json_is_byte_identical_whatever_the_thread_count() {
    let repo = shop();
    let root = repo.root.to_str().unwrap();
    let one = capgraph(&["graph", "-j", "1", root]);
    let two = capgraph(&["graph", "-j", "2", root]);
    let eight = capgraph(&["graph", "-j", "8", root]);
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(one.stdout, eight.stdout);
    let json: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(json["schema"], "capgraph.graph/v1");
}

#[test]
fn output_file_is_written_and_replaced_whole() {
    let repo = shop();
    let out = repo.path("out/graph.json");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(&out, "old contents").unwrap();
    let output = capgraph(&[
        "graph",
        repo.root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with("{\n  \"schema\": \"capgraph.graph/v1\""));
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().unwrap()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
}

#[test]
fn an_unwritable_output_exits_2_naming_the_file() {
    let repo = shop();
    let output = capgraph(&[
        "graph",
        repo.root.to_str().unwrap(),
        "--output",
        "/no/such/dir/graph.json",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot write `/no/such/dir/graph.json`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn dot_output_renders_with_graphviz() {
    let repo = shop();
    let output = capgraph(&[
        "graph",
        "-q",
        "--format",
        "dot",
        repo.root.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let dot = stdout(&output);
    assert!(
        dot.contains(
            "\"crate:checkout-svc\" -> \"crate:checkout-api\" [style=solid, label=\"2 refs\""
        ),
        "{dot}"
    );
    // Third-party crates only on request.
    assert!(!dot.contains("external:serde"));
    let with_externals = stdout(&capgraph(&[
        "graph",
        "-q",
        "--format",
        "dot",
        "--externals",
        repo.root.to_str().unwrap(),
    ]));
    assert!(with_externals.contains(
        "\"crate:checkout-svc\" -> \"external:wiremock\" [style=dashed, label=\"dev · 1 ref\""
    ));

    let svg = match Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    {
        Ok(mut child) => {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(with_externals.as_bytes())
                .unwrap();
            child.wait_with_output().unwrap()
        }
        Err(_) if std::env::var_os("CI").is_none() => {
            eprintln!("Graphviz `dot` is not installed; the DOT syntax check runs in CI");
            return;
        }
        Err(err) => panic!("Graphviz `dot` is required in CI: {err}"),
    };
    assert!(
        svg.status.success(),
        "{}",
        String::from_utf8_lossy(&svg.stderr)
    );
    let svg = String::from_utf8(svg.stdout).unwrap();
    assert!(svg.contains("<svg"));
    assert!(svg.contains("checkout&#45;svc") || svg.contains("checkout-svc"));
}

#[test]
fn mermaid_output_is_a_flowchart_of_statements_mermaid_accepts() {
    let repo = shop();
    let output = capgraph(&[
        "graph",
        "-q",
        "--format",
        "mermaid",
        "--externals",
        repo.root.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("flowchart LR"));
    // The statement forms capgraph emits, each as Mermaid's flowchart grammar defines it;
    // quoted labels may hold anything but a double quote.
    let statement = regex::Regex::new(
        r#"^(subgraph cluster\d+\["[^"]*"\]|end|n\d+\["[^"]*"\]|n\d+\(\["[^"]*"\]\)|n\d+ (-->|-\.->|==>)\|"[^"]*"\| n\d+|classDef external [a-z:#0-9,]+|class n\d+(,n\d+)* external)$"#,
    )
    .unwrap();
    let mut depth = 0;
    for line in lines {
        let line = line.trim();
        assert!(
            statement.is_match(line),
            "unexpected Mermaid statement: {line}"
        );
        if line.starts_with("subgraph ") {
            depth += 1;
        } else if line == "end" {
            depth -= 1;
        }
        assert!(depth >= 0, "`end` without `subgraph`");
    }
    assert_eq!(depth, 0, "every subgraph is closed");
    assert!(text.contains("[\"checkout-svc\"]"));
    assert!(text.contains("-->|\"2 refs\"|"));
    assert!(text.contains("-.->|\"dev · 1 ref\"|"));
}

#[test]
fn the_service_level_is_deterministic_and_draws_with_graphviz() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-repos");
    let acme = samples.join("acme-shop");
    let warehouse = samples.join("warehouse");
    let roots = [acme.to_str().unwrap(), warehouse.to_str().unwrap()];
    let run = |jobs: &str, format: &str| {
        let mut args = vec![
            "graph", "-q", "-j", jobs, "--level", "service", "--format", format,
        ];
        args.extend(roots);
        capgraph(&args)
    };
    let one = run("1", "json");
    assert_eq!(one.status.code(), Some(0), "{}", stderr(&one));
    assert_eq!(one.stdout, run("2", "json").stdout);
    assert_eq!(one.stdout, run("8", "json").stdout);
    let json: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(json["level"], "service");

    let dot = stdout(&run("2", "dot"));
    assert!(
        dot.contains("\"service:checkout-svc\" -> \"service:payments-svc\" [style=solid, label=\"grpc · 1 site\""),
        "{dot}"
    );
    assert!(dot.contains("\"topic:orders.status\" [label=\"orders.status\", shape=cds"));
    let mermaid = stdout(&run("2", "mermaid"));
    assert!(mermaid.starts_with("flowchart LR\n"), "{mermaid}");
    assert!(
        mermaid.contains("[(\"users\")]"),
        "tables are cylinders: {mermaid}"
    );

    let svg = match Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        Ok(mut child) => {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(dot.as_bytes())
                .unwrap();
            child.wait_with_output().unwrap()
        }
        Err(_) if std::env::var_os("CI").is_none() => return,
        Err(err) => panic!("Graphviz `dot` is required in CI: {err}"),
    };
    assert!(
        svg.status.success(),
        "{}",
        String::from_utf8_lossy(&svg.stderr)
    );
    assert!(
        String::from_utf8(svg.stdout)
            .unwrap()
            .contains("payments&#45;svc")
    );
}
