//! `capgraph report` and `check --format sarif`: the files written, deterministic bytes,
//! a self-contained page, escaping of hostile names, and SARIF that validates against the
//! official SARIF 2.1.0 schema.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn capgraph(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_capgraph"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("SOURCE_DATE_EPOCH")
        .args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("capgraph runs")
}

fn report(roots: &[&str], extra: &[&str], env: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let mut args = vec!["report"];
    args.extend_from_slice(roots);
    args.extend_from_slice(&["--out", out.to_str().unwrap()]);
    args.extend_from_slice(extra);
    let output = capgraph(&args, env);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (dir, out)
}

const SAMPLES: [&str; 2] = ["sample-repos/acme-shop", "sample-repos/warehouse"];

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn the_report_writes_the_page_the_findings_and_the_graph() {
    let (_dir, out) = report(&SAMPLES, &[], &[]);
    let html = read(&out.join("index.html"));
    for id in [
        "id=\"summary\"",
        "id=\"dsm-team\"",
        "id=\"dsm-capability\"",
        "id=\"capability-map\"",
        "id=\"service-map\"",
        "id=\"findings-table\"",
        "id=\"teams\"",
        "id=\"capabilities\"",
        "id=\"ownership\"",
        "id=\"rule-BND001\"",
        "id=\"team-orders\"",
        "id=\"capability-checkout\"",
    ] {
        assert!(html.contains(id), "{id} missing");
    }
    // Every finding of `check` is a row of the table.
    let findings: serde_json::Value =
        serde_json::from_str(&read(&out.join("findings.json"))).unwrap();
    let count = findings["findings"].as_array().unwrap().len();
    assert_eq!(html.matches("<tr class=\"finding\"").count(), count);
    assert!(count > 30);
    let graph: serde_json::Value = serde_json::from_str(&read(&out.join("graph.json"))).unwrap();
    assert_eq!(graph["schema"], "capgraph.graph/v1");
    // The checkout ↔ fulfillment call cycle is above the diagonal of the capability matrix.
    assert!(html.contains("class=\"cell above\" data-level=\"capability\""));
    // Edges that carry findings are highlighted on the maps.
    assert!(html.contains("class=\"edge sync flagged\""));
    assert!(html.contains("class=\"edge build flagged\""));
}

#[test]
fn the_page_is_self_contained() {
    let (_dir, out) = report(&SAMPLES, &[], &[]);
    let html = read(&out.join("index.html"));
    assert!(
        !html.contains(" src="),
        "no external script, image or frame"
    );
    assert!(!html.contains("<link"), "no stylesheet link");
    assert!(!html.contains("@import"));
    assert!(!html.contains("url(http"));
    for href in html.split("href=\"").skip(1) {
        assert!(
            href.starts_with('#'),
            "a link leaves the page: {}",
            &href[..40.min(href.len())]
        );
    }
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
}

#[test]
fn the_same_input_gives_the_same_bytes_and_no_timestamp_unless_asked() {
    let (_a, one) = report(&SAMPLES, &["--jobs", "1"], &[]);
    let (_b, two) = report(&SAMPLES, &["--jobs", "2"], &[]);
    for file in ["index.html", "findings.json", "graph.json"] {
        assert_eq!(
            read(&one.join(file)),
            read(&two.join(file)),
            "{file} differs"
        );
    }
    assert!(!read(&one.join("index.html")).contains("; generated "));
    let (_c, dated) = report(&SAMPLES, &[], &[("SOURCE_DATE_EPOCH", "1700000000")]);
    assert!(read(&dated.join("index.html")).contains("generated 2023-11-14T22:13:20Z"));
    let (_d, labelled) = report(&SAMPLES, &["--timestamp", "nightly 2026-11-29"], &[]);
    assert!(read(&labelled.join("index.html")).contains("generated nightly 2026-11-29"));
}

#[test]
fn hostile_names_are_escaped_everywhere() {
    let (_dir, out) = report(&["tests/fixtures/hostile-org"], &[], &[]);
    let html = read(&out.join("index.html"));
    // Only the page's own two script elements exist, and nothing closes them early.
    assert_eq!(html.matches("<script").count(), 2, "an injected <script>");
    assert_eq!(
        html.matches("</script>").count(),
        2,
        "an injected </script>"
    );
    assert!(!html.contains("<img"), "an injected element");
    assert!(!html.contains("<svg onload"), "an injected element");
    assert!(
        !html.contains("onerror=alert(1)>"),
        "an attribute broken out of"
    );
    assert!(!html.contains("href=\"javascript:"));
    // The names are still there, escaped, so a reviewer sees them.
    assert!(
        html.contains("&#60;script&#62;alert(&#39;team&#39;)&#60;/script&#62;")
            || html.contains("&lt;script&gt;alert(")
    );
    // The data for the page's script keeps `<` out of the script element.
    let data_start = html.find("id=\"report-data\">").unwrap();
    let data = &html[data_start..html[data_start..].find("</script>").unwrap() + data_start];
    assert!(!data[17..].contains('<'), "raw `<` in script data");
    assert!(data.contains("\\u003c/script\\u003e"));
}

/// The official SARIF 2.1.0 schema, as shipped in the serde-sarif package: read from the
/// sources cargo unpacked to build this very test, so it needs nothing the build did not
/// bring (no `cargo metadata`, which wants the sources of every platform's packages).
fn sarif_schema() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lock = std::fs::read_to_string(manifest_dir.join("Cargo.lock")).unwrap();
    let lock: toml::Table = toml::from_str(&lock).unwrap();
    let version = lock["package"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"].as_str() == Some("serde-sarif"))
        .expect("serde-sarif is in Cargo.lock")["version"]
        .as_str()
        .unwrap()
        .to_string();
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(&std::env::var_os("HOME").unwrap()).join(".cargo"));
    let registries = cargo_home.join("registry/src");
    let mut candidates: Vec<PathBuf> = std::fs::read_dir(&registries)
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|e| {
                    e.path()
                        .join(format!("serde-sarif-{version}/src/schema.json"))
                })
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    candidates.sort();
    candidates.into_iter().next().unwrap_or_else(|| {
        panic!(
            "serde-sarif {version}'s sources are not under {}: set CARGO_HOME to the cargo home \
             this test was built with",
            registries.display()
        )
    })
}

#[test]
fn sarif_validates_against_the_official_schema_and_documents_every_rule() {
    let output = capgraph(&["check", SAMPLES[0], SAMPLES[1], "--format", "sarif"], &[]);
    assert_eq!(output.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), capgraph::rules::REGISTRY.len());
    let bnd001 = rules.iter().find(|r| r["id"] == "BND001").unwrap();
    assert_eq!(bnd001["name"], "contract-bypass");
    assert!(
        bnd001["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## How to fix")
    );
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "BND001")
        .unwrap();
    let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uri"], "domains/checkout/checkout-svc/Cargo.toml");
    assert_eq!(artifact["uriBaseId"], "acme-shop");
    assert_eq!(result["level"], "error");
    assert!(result["partialFingerprints"]["capgraph/v1"].is_string());

    let probe = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have python3 jsonschema"
        );
        eprintln!("python3 jsonschema missing: SARIF schema validation skipped");
        return;
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &output.stdout).unwrap();
    let validation = Command::new("python3")
        .args([
            "-c",
            "import json, sys, jsonschema\n\
             schema = json.load(open(sys.argv[1]))\n\
             jsonschema.Draft7Validator(schema).validate(json.load(open(sys.argv[2])))",
        ])
        .arg(sarif_schema())
        .arg(file.path())
        .output()
        .unwrap();
    assert!(
        validation.status.success(),
        "{}",
        String::from_utf8_lossy(&validation.stderr)
    );
}

mod common;

/// A CODEOWNERS naming 3,000 owners, each owning one tiny crate that depends on the next two
/// around a ring: 3,000 zero-config teams and capabilities in one big cycle.
fn three_thousand_teams() -> common::Repo {
    let n = 3_000;
    let repo = common::Repo::new("many-teams", &[]);
    repo.write(
        "Cargo.toml",
        b"[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n",
    );
    let mut codeowners = String::new();
    for i in 0..n {
        codeowners.push_str(&format!("/crates/c{i}/ @org/team-{i}\n"));
        let deps: String = [1, 7]
            .iter()
            .map(|k| format!("c{0} = {{ path = \"../c{0}\" }}\n", (i + k) % n))
            .collect();
        repo.write(
            &format!("crates/c{i}/Cargo.toml"),
            format!(
                "[package]\nname = \"c{i}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
                 [dependencies]\n{deps}"
            )
            .as_bytes(),
        );
        repo.write(&format!("crates/c{i}/src/lib.rs"), b"pub fn f() {}\n");
    }
    repo.write("CODEOWNERS", codeowners.as_bytes());
    repo
}

#[test]
fn a_report_on_thousands_of_teams_shows_a_bounded_part_and_says_so() {
    use capgraph::report::html::{MAX_DSM_UNITS, MAX_FINDING_ROWS, MAX_MAP_NODES};
    let repo = three_thousand_teams();
    let (_dir, out) = report(&[repo.root.to_str().unwrap()], &[], &[]);
    let html = read(&out.join("index.html"));
    // Quadratic matrices of 3,000 teams and 3,000 capabilities were hundreds of MB; what the
    // page shows now is bounded, and so is its size.
    assert!(html.len() < 4 << 20, "the page is {} bytes", html.len());
    let rows = html.matches("<th class=\"row\">").count();
    assert!(rows > 0 && rows <= 2 * MAX_DSM_UNITS, "{rows} matrix rows");
    let cells = html.matches("<td").count();
    assert!(
        cells < 2 * MAX_DSM_UNITS * MAX_DSM_UNITS + 20_000,
        "{cells} cells"
    );
    assert!(html.matches("<g class=\"node").count() <= 2 * MAX_MAP_NODES);
    assert!(html.matches("<tr class=\"finding\"").count() <= MAX_FINDING_ROWS);
    // Every part that leaves something out says so, and where to find it.
    assert!(
        html.contains("The matrix shows 50 of 3,000 teams"),
        "no note"
    );
    assert!(html.contains("not shown here"));
    assert!(html.contains("graph.json, written beside this page, has them all"));
    assert!(html.contains("The map draws 150 of 3,000 capabilities"));
    assert!(html.contains("Sections for the 100 of 3,000 teams"));
    // No team's section repeats the others' copies of the big cycle finding in full.
    assert!(html.matches("depend on each other in a cycle").count() < 2 * 200 + 10);
    // The JSON beside it is complete.
    let graph: serde_json::Value = serde_json::from_str(&read(&out.join("graph.json"))).unwrap();
    let teams = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "team")
        .count();
    assert_eq!(teams, 3_000);
    let findings: serde_json::Value =
        serde_json::from_str(&read(&out.join("findings.json"))).unwrap();
    let cycle = findings["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "CYC002")
        .expect("the ring of teams is a cycle");
    assert_eq!(cycle["metrics"]["members"], 3_000.0);
    assert_eq!(cycle["teams"].as_array().unwrap().len(), 3_000);
}
