//! `capgraph check`, `rules` and `explain` as users run them: the sample company's findings,
//! exit codes and `--fail-on`, every output format, suppressions, fingerprints that survive
//! moved lines, and `[rules]` configuration errors.

mod common;

use common::Repo;
use std::path::Path;
use std::process::{Command, Output};

fn capgraph_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_capgraph"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("capgraph runs")
}

fn capgraph(args: &[&str]) -> Output {
    capgraph_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

const SAMPLES: [&str; 2] = ["sample-repos/acme-shop", "sample-repos/warehouse"];

fn check_samples(extra: &[&str]) -> Output {
    let mut args = vec!["check", SAMPLES[0], SAMPLES[1]];
    args.extend_from_slice(extra);
    capgraph(&args)
}

#[test]
fn the_sample_company_findings_are_exactly_these() {
    let output = check_samples(&[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn the_sample_company_shows_every_category() {
    let output = check_samples(&["--format", "json", "--fail-on", "never"]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let prefixes: std::collections::BTreeSet<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap()[..3].to_string())
        .collect();
    let expected: std::collections::BTreeSet<String> = [
        "OWN", "BND", "LAY", "CYC", "CPL", "OPS", "DAT", "SCN", "SUP",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(prefixes, expected);
    // The mail provider call is suppressed with a reason; the suppression without one is not.
    assert_eq!(json["summary"]["suppressed"], 1);
}

#[test]
fn fail_on_sets_the_exit_code() {
    assert_eq!(
        check_samples(&["--fail-on", "never"]).status.code(),
        Some(0)
    );
    assert_eq!(check_samples(&["--fail-on", "info"]).status.code(), Some(1));
    let clean = Repo::new(
        "clean",
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"tool\"\nversion = \"0.1.0\"\n",
            ),
            ("src/lib.rs", "pub fn f() {}\n"),
            ("CODEOWNERS", "* @acme/tools\n"),
        ],
    );
    let output = capgraph(&["check", clean.root.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("No findings"));
    let output = capgraph(&["check", "/nonexistent/root"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn json_findings_follow_the_schema_and_are_deterministic() {
    let one = check_samples(&["--format", "json", "--jobs", "1"]);
    let two = check_samples(&["--format", "json", "--jobs", "2"]);
    assert_eq!(
        one.stdout, two.stdout,
        "the same input gives the same bytes"
    );
    let json: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(json["schema"], "capgraph.findings/v1");
    assert_eq!(json["tool"]["name"], "capgraph");
    let findings = json["findings"].as_array().unwrap();
    let mut fingerprints = std::collections::BTreeSet::new();
    for finding in findings {
        for key in [
            "rule",
            "name",
            "severity",
            "message",
            "teams",
            "fingerprint",
            "baselined",
        ] {
            assert!(finding.get(key).is_some(), "{key} missing in {finding}");
        }
        assert!(fingerprints.insert(finding["fingerprint"].as_str().unwrap().to_string()));
        if let Some(location) = finding.get("location") {
            let path = location["path"].as_str().unwrap();
            assert!(!path.starts_with('/') && !path.contains('\\'), "{path}");
        }
    }
    let errors = findings.iter().filter(|f| f["severity"] == "error").count();
    assert_eq!(json["summary"]["error"], errors);
    validate_against_schema(&one.stdout, "schemas/findings.schema.json");
}

/// Validates a document against a JSON schema of the repository with Python's `jsonschema`
/// (installed by .ci/run); skipped where it is missing, except in CI.
fn validate_against_schema(document: &[u8], schema: &str) {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join(schema);
    let probe = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have python3 jsonschema"
        );
        eprintln!("python3 jsonschema missing: schema validation skipped");
        return;
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), document).unwrap();
    let output = Command::new("python3")
        .args([
            "-c",
            "import json, sys, jsonschema\n\
             schema = json.load(open(sys.argv[1]))\n\
             jsonschema.validate(json.load(open(sys.argv[2])), schema, cls=jsonschema.Draft202012Validator)",
        ])
        .arg(&schema)
        .arg(file.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn graph_json_carries_metrics_and_follows_the_schema() {
    let output = capgraph(&["graph", SAMPLES[0], SAMPLES[1], "-q"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let checkout = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "capability:checkout")
        .unwrap();
    let metrics = &checkout["metrics"];
    // checkout depends on catalog, identity, observability and payments, and is depended on
    // by fulfillment, identity (authz), notifications and payments.
    assert_eq!(metrics["efferent"], 4);
    assert_eq!(metrics["afferent"], 4);
    assert_eq!(metrics["instability"], 0.5);
    validate_against_schema(&output.stdout, "schemas/graph.schema.json");
}

#[test]
fn the_service_graph_lists_every_binary_with_its_kind_and_follows_the_schema() {
    let output = capgraph(&["graph", SAMPLES[0], SAMPLES[1], "--level", "service", "-q"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let binaries: Vec<String> = json["binaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            format!(
                "{} {} {}",
                b["crate"].as_str().unwrap(),
                b["name"].as_str().unwrap(),
                b["kind"].as_str().unwrap()
            )
        })
        .collect();
    // The catalog's backfill binary reads the products table once: a job, not a service.
    assert!(
        binaries.contains(&"catalog-svc backfill job".to_string()),
        "{binaries:?}"
    );
    assert!(
        binaries.contains(&"notifications-svc notifications-svc service".to_string()),
        "{binaries:?}"
    );
    let node = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "service:payments-svc")
        .unwrap();
    assert_eq!(node["binary"], "payments-svc");
    assert!(
        !json["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["id"] == "service:backfill")
    );
    validate_against_schema(&output.stdout, "schemas/graph.schema.json");
}

#[test]
fn every_format_renders_the_findings() {
    let github = stdout(&check_samples(&["--format", "github"]));
    let bypass = github.lines().find(|l| l.contains("title=BND001")).unwrap();
    assert!(
        bypass.starts_with(
            "::error file=sample-repos/acme-shop/domains/checkout/checkout-svc/Cargo.toml,line=21,\
             title=BND001 contract-bypass::checkout-svc (checkout, team orders) depends on payments-core"
        ),
        "{bypass}"
    );
    assert!(github.lines().all(|l| l.starts_with("::error ")
        || l.starts_with("::warning ")
        || l.starts_with("::notice ")));

    let markdown = stdout(&check_samples(&["--format", "markdown"]));
    assert!(markdown.starts_with("## capgraph findings"));
    assert!(markdown.contains("| severity | rule | location | message |"));
    assert!(markdown.contains("### team orders"));

    let junit = stdout(&check_samples(&["--format", "junit"]));
    assert!(junit.starts_with("<?xml"));
    assert!(junit.contains("<testsuite name=\"BND001 contract-bypass\""));
    assert!(junit.contains("<failure"));
    // A rule with no finding is a passing case, so dashboards show it was checked.
    assert!(junit.contains("<testsuite name=\"CPL001 high-fan-out\" tests=\"1\" skipped=\"0\" errors=\"0\" failures=\"0\""));
}

#[test]
fn text_output_is_coloured_only_on_request() {
    let plain = stdout(&check_samples(&[]));
    assert!(!plain.contains('\u{1b}'));
    let output = Command::new(env!("CARGO_BIN_EXE_capgraph"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .args(["check", SAMPLES[0], SAMPLES[1]])
        .output()
        .unwrap();
    assert!(stdout(&output).contains('\u{1b}'));
}

/// A capability that reaches past another's contract, for suppression and fingerprint tests.
fn bypassing_org(manifest_extra: &str, source_prefix: &str) -> Repo {
    Repo::new(
        "org",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"orders\", \"billing-core\", \"billing-api\"]\n",
            ),
            (
                "capgraph.toml",
                "[teams.orders]\nhandles = [\"@o\"]\n[teams.billing]\nhandles = [\"@b\"]\n\
                 [capabilities.orders]\nteam = \"orders\"\ncrates = [\"orders\"]\n\
                 [capabilities.billing]\nteam = \"billing\"\ncrates = [\"billing-core\", \"billing-api\"]\n\
                 contracts = [\"billing-api\"]\n",
            ),
            (
                "orders/Cargo.toml",
                &format!(
                    "[package]\nname = \"orders\"\nversion = \"0.1.0\"\n\n[dependencies]\n\
                     {manifest_extra}billing-core = {{ path = \"../billing-core\" }}\n"
                ),
            ),
            (
                "orders/src/lib.rs",
                &format!("{source_prefix}use billing_core::Ledger;\n"),
            ),
            (
                "billing-core/Cargo.toml",
                "[package]\nname = \"billing-core\"\nversion = \"0.1.0\"\n",
            ),
            ("billing-core/src/lib.rs", "pub struct Ledger;\n"),
            (
                "billing-api/Cargo.toml",
                "[package]\nname = \"billing-api\"\nversion = \"0.1.0\"\n",
            ),
            ("billing-api/src/lib.rs", "pub struct Invoice;\n"),
        ],
    )
}

fn findings(repo: &Repo) -> Vec<serde_json::Value> {
    let output = capgraph(&[
        "check",
        repo.root.to_str().unwrap(),
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    json["findings"].as_array().unwrap().clone()
}

fn rules_and_lines(findings: &[serde_json::Value]) -> Vec<(String, u64)> {
    findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn fingerprints_do_not_change_when_unrelated_lines_move() {
    let before = findings(&bypassing_org("", ""));
    let after = findings(&bypassing_org(
        "serde = \"1\"\nanyhow = \"1\"\n",
        "//! Orders.\n\n",
    ));
    let bypass = |list: &[serde_json::Value]| {
        list.iter()
            .find(|f| f["rule"] == "BND001")
            .cloned()
            .unwrap()
    };
    let (before, after) = (bypass(&before), bypass(&after));
    assert_eq!(before["location"]["line"], 6);
    assert_eq!(
        after["location"]["line"], 8,
        "the dependency moved down two lines"
    );
    assert_eq!(before["fingerprint"], after["fingerprint"]);
    assert_eq!(
        before["message"],
        "orders (orders, team orders) depends on billing-core, which is internal to billing (team \
         billing); depend on its contract billing-api instead"
    );
}

#[test]
fn a_suppression_with_a_reason_silences_its_rule_on_the_item_below() {
    let repo = bypassing_org(
        "# capgraph: allow(BND001) reason: moving to billing-api in BIL-12\n",
        "",
    );
    assert_eq!(rules_and_lines(&findings(&repo)), vec![]);
    // At the end of the line, by the rule's name.
    let repo = bypassing_org("", "");
    let manifest = repo.path("orders/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap().replace(
        "billing-core\" }\n",
        "billing-core\" } # capgraph: allow(contract-bypass) reason: BIL-12\n",
    );
    std::fs::write(&manifest, text).unwrap();
    assert_eq!(rules_and_lines(&findings(&repo)), vec![]);
}

#[test]
fn a_suppression_without_a_reason_silences_nothing_and_is_reported() {
    let repo = bypassing_org("# capgraph: allow(BND001)\n", "");
    let found = findings(&repo);
    assert_eq!(
        rules_and_lines(&found),
        vec![("SUP001".into(), 6), ("BND001".into(), 7)]
    );
    assert_eq!(
        found[0]["message"],
        "suppression `allow(BND001)` gives no reason, so it suppresses nothing: add `reason: <why \
         this exception is acceptable>`"
    );
}

#[test]
fn a_suppression_of_nothing_or_of_no_rule_is_reported() {
    let repo = bypassing_org(
        "# capgraph: allow(BND001) reason: BIL-12\n",
        "// capgraph: allow(OPS004) reason: the client has a timeout now\nuse std::fmt;\n\
         // capgraph: allow(BDN001) reason: typo\n",
    );
    let found = findings(&repo);
    assert_eq!(
        rules_and_lines(&found),
        vec![("SUP002".into(), 1), ("SUP001".into(), 3)],
        "{found:#?}"
    );
    assert_eq!(
        found[0]["message"],
        "suppression `allow(OPS004)` matches no finding on line 2; remove it"
    );
    assert_eq!(
        found[1]["message"],
        "suppression `allow(BDN001)` names `BDN001`, which is no rule (did you mean `BND001`?)"
    );
}

#[test]
fn a_suppression_above_a_statement_covers_all_of_it() {
    let facts = capgraph::extract::extract_source(
        "fn f() {\n    // capgraph: allow(OPS005) reason: vendor\n    client\n        .post(\"https://x.example/a\")\n        .send();\n    other();\n}\n",
    )
    .unwrap();
    assert_eq!(facts.suppressions.len(), 1);
    assert_eq!(facts.suppressions[0].covers, (3, 5));
    assert_eq!(facts.suppressions[0].reason.as_deref(), Some("vendor"));
    let manifest = capgraph::extract::extract_manifest(
        "[package]\nname = \"a\"\n# capgraph: allow(BND001) reason: all of it\n[dependencies]\nx = \"1\"\ny = \"1\"\n\n[dev-dependencies]\n",
    )
    .unwrap();
    assert_eq!(
        manifest.suppressions[0].covers,
        (4, 7),
        "a table header covers its table"
    );
    // Doc comments and attributes belong to the item below them.
    let documented = capgraph::extract::extract_source(
        "// capgraph: allow(OPS004) reason: the gateway sets a deadline\n/// Builds the client.\n#[inline]\nfn client() -> Client {\n    Client::new()\n}\nfn other() {}\n",
    )
    .unwrap();
    assert_eq!(documented.suppressions[0].covers, (3, 6));
}

#[test]
fn rules_lists_the_catalogue() {
    let output = capgraph(&["rules"]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn explain_prints_a_rules_documentation_by_id_or_name() {
    let by_id = stdout(&capgraph(&["explain", "BND001"]));
    let by_name = stdout(&capgraph(&["explain", "contract-bypass"]));
    assert_eq!(by_id, by_name);
    for section in [
        "## What it does",
        "## Why is this bad",
        "## Example",
        "## How to fix",
        "## Configuration",
    ] {
        assert!(by_id.contains(section), "{section} missing:\n{by_id}");
    }
    assert!(by_id.starts_with("BND001 contract-bypass (boundaries; default severity error; severity error in the `default` pack)"));
    let output = capgraph(&["explain", "BND01"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output).trim(),
        "error: no rule has the id or name `BND01`; did you mean `BND001`?"
    );
}

fn config_error(config: &str) -> String {
    let repo = Repo::new(
        "acme",
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"a\"\nversion = \"0.1.0\"\n",
            ),
            ("capgraph.toml", config),
        ],
    );
    let output = capgraph(&["check", repo.root.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    stderr(&output).replace(&repo.root.display().to_string(), "ROOT")
}

#[test]
fn an_unknown_rule_id_in_config_suggests_the_closest() {
    insta::assert_snapshot!(config_error("[rules.BND01]\nseverity = \"warning\"\n"));
}

#[test]
fn a_wrong_severity_or_threshold_names_the_key() {
    insta::assert_snapshot!(config_error("[rules.CPL001]\nseverity = \"fatal\"\n"));
    insta::assert_snapshot!(config_error("[rules.CPL001]\nmax = 2.5\n"));
    insta::assert_snapshot!(config_error("[rules.OPS003]\nmax_dept = 2\n"));
}

#[test]
fn a_ratio_above_one_is_refused() {
    let error = config_error("[rules.CPL003]\nmax_ratio = 60\n");
    assert!(
        error.contains(
            "invalid `rules.CPL003.max_ratio` in acme/capgraph.toml: invalid value for \
                        `max_ratio`, expected a number from 0 to 1"
        ),
        "{error}"
    );
    let error =
        config_error("[[rules.forbid]]\nname = \"x\"\nto = { crate = \"a\" }\ndep_kinds = []\n");
    assert!(
        error.contains("an empty `dep_kinds` would match nothing"),
        "{error}"
    );
}

#[test]
fn a_forbid_entry_is_checked_when_read() {
    insta::assert_snapshot!(config_error(
        "[[rules.forbid]]\nfrom = { kind = \"product\" }\n"
    ));
    insta::assert_snapshot!(config_error(
        "[[rules.forbid]]\nname = \"x\"\nto = { crate = \"a\", tema = \"b\" }\n"
    ));
}

#[test]
fn a_pack_is_a_built_in_name_or_a_file_next_to_the_config() {
    let error = config_error("[rules]\npack = \"stricter\"\n");
    assert!(
        error.contains(
            "`stricter` is neither a built-in pack (`default`, `strict`) nor a readable file"
        ),
        "{error}"
    );
    let repo = Repo::new(
        "acme",
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"a\"\nversion = \"0.1.0\"\n",
            ),
            ("capgraph.toml", "[rules]\npack = \"ci/rules.toml\"\n"),
            (
                "ci/rules.toml",
                "extends = \"strict\"\n[rules.OWN001]\nseverity = \"off\"\n",
            ),
        ],
    );
    let listed = stdout(&capgraph_in(&repo.root, &["rules"]));
    assert!(listed.contains("OWN001  unowned-crate"), "{listed}");
    let own001 = listed.lines().find(|l| l.starts_with("OWN001")).unwrap();
    let ops004 = listed.lines().find(|l| l.starts_with("OPS004")).unwrap();
    assert!(own001.contains(" off "), "{own001}");
    assert!(
        ops004.contains(" error "),
        "strict makes OPS004 an error: {ops004}"
    );
    // What strict inherits from default stays on.
    let bnd001 = listed.lines().find(|l| l.starts_with("BND001")).unwrap();
    assert!(bnd001.contains(" error "), "{bnd001}");
}

/// A repository's capgraph.toml may name a pack only inside that repository: a pack path that
/// is absolute, climbs out with `..`, or is a symlink out, is refused before anything is read,
/// and the error never quotes the file (here a marker standing for a secret).
#[cfg(unix)]
#[test]
fn a_scanned_repository_cannot_make_capgraph_read_outside_it() {
    let marker = "MARKER-THAT-MUST-NOT-LEAK";
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.toml");
    std::fs::write(&secret, format!("{marker} = 1\n")).unwrap();
    let manifest = "[package]\nname = \"a\"\nversion = \"0.1.0\"\n";
    let tries = [
        secret.display().to_string(),
        format!("../../../../../../../..{}", secret.display()),
        "linked.toml".to_string(),
        "/proc/self/environ".to_string(),
        "/dev/zero".to_string(),
    ];
    for pack in tries {
        let config = format!("[rules]\npack = \"{pack}\"\n");
        let repo = Repo::new(
            "acme",
            &[("Cargo.toml", manifest), ("capgraph.toml", &config)],
        );
        std::os::unix::fs::symlink(&secret, repo.root.join("linked.toml")).unwrap();
        for args in [vec!["check", repo.root.to_str().unwrap()], vec!["rules"]] {
            let output = capgraph_in(&repo.root, &args);
            let err = stderr(&output);
            assert_eq!(output.status.code(), Some(2), "{pack}: {err}");
            assert!(err.contains("invalid `rules.pack`"), "{pack}: {err}");
            assert!(
                err.contains("may name only packs of its own repository"),
                "{pack}: {err}"
            );
            assert!(!err.contains(marker) && !stdout(&output).contains(marker));
        }
    }
    // The user's own config, named on the command line, may name a pack anywhere; a device
    // is still no pack.
    let own = outside.path().join("own.toml");
    std::fs::write(&own, "[rules]\npack = \"/dev/zero\"\n").unwrap();
    let output = capgraph(&["rules", "--config", own.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("not a regular file"),
        "{}",
        stderr(&output)
    );
}

/// A capgraph.toml that is not UTF-8 is refused at the line of the first bad byte.
#[test]
fn a_config_that_is_not_utf8_names_its_line() {
    let repo = Repo::new(
        "acme",
        &[(
            "Cargo.toml",
            "[package]\nname = \"a\"\nversion = \"0.1.0\"\n",
        )],
    );
    std::fs::write(
        repo.root.join("capgraph.toml"),
        b"[org]\nname = \"acme\"\nteam = \"\xff\"\n",
    )
    .unwrap();
    let output = capgraph(&["check", repo.root.to_str().unwrap()]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains("invalid `org.team` in acme/capgraph.toml: not valid UTF-8"),
        "{err}"
    );
    assert!(err.contains(":3:"), "{err}");
}
