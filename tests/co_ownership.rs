//! CODEOWNERS as GitHub means it, in zero-config mode: several groups on one line are
//! co-owners who share a crate; individuals beside a group are maintainers, and owners only
//! where no group covers the crate; review groups are shown as such; an owner of no crate is
//! no team. And what the rules make of co-ownership: no cross-team dependency, no conflict,
//! and a cycle that closes only through a co-owned crate is at most a warning naming it.

mod common;

use capgraph::core::OwnerKind;
use capgraph::model::aggregate::{Level, aggregate};
use capgraph::rules::{self, Settings};
use common::Repo;

fn krate(name: &str, deps: &[&str]) -> (String, String) {
    let mut manifest = format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n");
    if !deps.is_empty() {
        manifest.push_str("\n[dependencies]\n");
        for dep in deps {
            manifest.push_str(&format!("{dep} = {{ path = \"../{dep}\" }}\n"));
        }
    }
    let uses: String = deps
        .iter()
        .map(|d| format!("use {}::Thing;\n", d.replace('-', "_")))
        .collect();
    (
        format!("{name}/Cargo.toml"),
        format!("{manifest}\0{uses}pub struct Thing;\n"),
    )
}

/// A workspace of the given crates (name, dependencies) and CODEOWNERS text.
fn workspace(codeowners: &str, crates: &[(&str, &[&str])]) -> Repo {
    let mut files: Vec<(String, String)> = vec![
        (
            "Cargo.toml".to_string(),
            "[workspace]\nmembers = [\"*\"]\n".to_string(),
        ),
        (".github/CODEOWNERS".to_string(), codeowners.to_string()),
    ];
    for (name, deps) in crates {
        let (path, text) = krate(name, deps);
        let (manifest, source) = text.split_once('\0').unwrap();
        files.push((path, manifest.to_string()));
        files.push((format!("{name}/src/lib.rs"), source.to_string()));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    Repo::new("org", &borrowed)
}

fn findings(repo: &Repo) -> Vec<String> {
    let analysis = repo.analyze();
    let settings = Settings::from_config(&analysis.config).unwrap();
    rules::check(&analysis, &settings)
        .findings
        .iter()
        .map(|f| format!("{} {} {}", f.rule, f.severity.as_str(), f.message))
        .collect()
}

const OWNERS: &str = "\
*           @acme/docs-team
/core/      @acme/web @acme/api
/web/       @acme/web @alice
/api/       @acme/api
/tools/     @bob carol@example.com
/lint/      @acme/rust-reviewers
/orphan/
";

fn shapes() -> Repo {
    workspace(
        OWNERS,
        &[
            ("core", &[]),
            ("web", &["core", "orphan"]),
            ("orphan", &[]),
            ("api", &["core"]),
            ("tools", &[]),
            ("lint", &[]),
        ],
    )
}

#[test]
fn several_groups_on_a_line_are_co_owners_and_individuals_beside_them_maintainers() {
    let analysis = shapes().analyze();
    let ownership = &analysis.ownership;
    let of = |name: &str| {
        let index = analysis
            .packages
            .packages
            .iter()
            .position(|p| p.name == name)
            .unwrap();
        &ownership.crates[index]
    };
    assert_eq!(of("core").owners, ["acme/web", "acme/api"]);
    assert_eq!(of("core").team.as_deref(), Some("acme/web"));
    assert_eq!(of("web").owners, ["acme/web"]);
    assert_eq!(of("web").maintainers, ["@alice"]);
    // No group covers tools: its people own it.
    assert_eq!(of("tools").owners, ["bob", "carol@example.com"]);
    assert!(of("tools").maintainers.is_empty());
    let teams: Vec<(&str, OwnerKind)> = ownership
        .teams
        .values()
        .map(|t| (t.id.as_str(), t.kind))
        .collect();
    // `@acme/docs-team` owns `*` but no crate: it is no team. `@alice` maintains, owns nothing.
    assert_eq!(
        teams,
        [
            ("acme/api", OwnerKind::Team),
            ("acme/rust-reviewers", OwnerKind::ReviewGroup),
            ("acme/web", OwnerKind::Team),
            ("bob", OwnerKind::Individual),
            ("carol@example.com", OwnerKind::Individual),
        ]
    );
}

#[test]
fn a_co_owned_crate_makes_no_cross_team_edge_and_no_conflict() {
    let repo = shapes();
    let analysis = repo.analyze();
    // api -> core: core is co-owned by api's team, so the dependency stays inside acme/api.
    let teams = aggregate(&analysis.graph, Level::Team);
    let edges: Vec<String> = teams
        .edges
        .iter()
        .map(|e| format!("{} -> {}", e.from, e.to))
        .collect();
    assert_eq!(edges, ["team:acme/web -> team:(unowned)"]);
    let api = &analysis.metrics.teams["acme/api"];
    assert_eq!((api.dependencies, api.cross_team_dependencies), (1, 0));
    assert_eq!((api.efferent, api.fan_out), (0, 0));
    // web -> orphan goes to a crate of no team: counted apart, and in the unowned unit.
    let web = &analysis.metrics.teams["acme/web"];
    assert_eq!((web.dependencies, web.unowned_dependencies), (1, 1));
    assert_eq!((web.efferent, web.fan_out), (0, 1));
    let unowned = analysis.metrics.unowned_team.as_ref().unwrap();
    assert_eq!((unowned.crates, unowned.fan_in), (1, 1));
    let found = findings(&repo);
    assert!(
        found
            .iter()
            .all(|f| !f.starts_with("OWN002") && !f.starts_with("CYC") && !f.starts_with("CPL003")),
        "{found:#?}"
    );
}

#[test]
fn owners_and_graph_json_show_co_owners_maintainers_and_kinds() {
    let repo = shapes();
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_capgraph"))
            .args(args)
            .arg(&repo.root)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let table = run(&["owners", "-q"]);
    let row = |name: &str| {
        table
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{table}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(row("core").contains("acme/web + acme/api -"), "{table}");
    assert!(row("web").contains("acme/web @alice"), "{table}");
    assert!(
        row("lint").contains("acme/rust-reviewers (review group)"),
        "{table}"
    );
    assert!(
        row("tools").contains("bob (individual) + carol@example.com (individual)"),
        "{table}"
    );
    assert!(
        table.contains("6 crates, 5 teams (1 review group, 2 individuals), 5 capabilities; 2 co-owned, 1 unowned"),
        "{table}"
    );
    let graph: serde_json::Value =
        serde_json::from_str(&run(&["graph", "--format", "json"])).unwrap();
    let node = |id: &str| {
        graph["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no {id}"))
    };
    assert_eq!(
        node("crate:core")["owners"],
        serde_json::json!(["acme/web", "acme/api"])
    );
    assert_eq!(
        node("crate:web")["maintainers"],
        serde_json::json!(["@alice"])
    );
    assert_eq!(
        node("team:acme/rust-reviewers")["owner_kind"],
        "review-group"
    );
    assert_eq!(node("team:bob")["owner_kind"], "individual");
    assert_eq!(node("team:acme/web")["owner_kind"], "team");
}

#[test]
fn the_report_shows_co_owners_review_groups_and_the_unowned_unit() {
    let repo = shapes();
    let out = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_capgraph"))
        .args(["report", "-q"])
        .arg(&repo.root)
        .arg("--out")
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success());
    let page = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    for expected in [
        "core (org/core, co-owned by acme/web + acme/api)",
        "web (org/web, maintainers @alice)",
        "team acme/rust-reviewers (a review group)",
        "team bob (one person: no team handle covers its crates)",
        "crates of no team (unowned)",
    ] {
        assert!(page.contains(expected), "no `{expected}` in the report");
    }
    // The team level has the unowned unit as a node, with web's dependency on orphan.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_capgraph"))
        .args(["graph", "-q", "--level", "team", "--format", "json"])
        .arg(&repo.root)
        .output()
        .unwrap();
    let teams: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let unowned = teams["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "team:(unowned)")
        .expect("an unowned node");
    assert_eq!(unowned["unowned"], true);
    assert_eq!(unowned["metrics"]["crates"], 1);
    assert_eq!(unowned["metrics"]["fan_in"], 1);
    let web = teams["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "team:acme/web")
        .unwrap();
    assert_eq!(web["metrics"]["unowned_dependencies"], 1);
    assert_eq!(
        teams["edges"][0]["from"]
            .as_str()
            .zip(teams["edges"][0]["to"].as_str()),
        Some(("team:acme/web", "team:(unowned)"))
    );
    let graph = std::fs::read_to_string(out.path().join("graph.json")).unwrap();
    assert!(
        graph.contains("\"maintainers\": [\n        \"@alice\"\n      ]"),
        "{graph}"
    );
}

const CYCLE_OWNERS: &str = "\
/a1/      @acme/a
/a2/      @acme/a
/a3/      @acme/a
/shared/  @acme/a @acme/b
/b1/      @acme/b
/b2/      @acme/b
";

#[test]
fn a_cycle_that_closes_only_through_a_co_owned_crate_is_a_warning_naming_it() {
    // a1 -> shared (co-owned by a and b) -> b1 -> a2: a and b meet only in `shared`.
    let repo = workspace(
        CYCLE_OWNERS,
        &[
            ("a1", &["shared"]),
            ("shared", &["b1"]),
            ("b1", &["a2"]),
            ("a2", &[]),
        ],
    );
    let cycles: Vec<String> = findings(&repo)
        .into_iter()
        .filter(|f| f.starts_with("CYC"))
        .collect();
    assert_eq!(cycles.len(), 2, "{cycles:#?}");
    for finding in &cycles {
        assert!(finding.contains(" warning "), "{finding}");
        assert!(
            finding.contains("closes only through co-owned crate shared (acme/a + acme/b)"),
            "{finding}"
        );
    }
}

#[test]
fn a_cycle_with_a_separately_owned_path_stays_an_error() {
    // The same, plus a3 -> b2 -> a2: now a depends on b without the co-owned crate.
    let repo = workspace(
        CYCLE_OWNERS,
        &[
            ("a1", &["shared"]),
            ("shared", &["b1"]),
            ("b1", &["a2"]),
            ("a2", &[]),
            ("a3", &["b2"]),
            ("b2", &[]),
        ],
    );
    let cycles: Vec<String> = findings(&repo)
        .into_iter()
        .filter(|f| f.starts_with("CYC001"))
        .collect();
    assert_eq!(cycles.len(), 1, "{cycles:#?}");
    assert!(cycles[0].starts_with("CYC001 error "), "{}", cycles[0]);
    assert!(!cycles[0].contains("co-owned"), "{}", cycles[0]);
}

#[test]
fn a_cycle_between_single_people_is_a_warning_that_says_so() {
    // CODEOWNERS names people only: each is a team of one, whose cycles say little about teams.
    let repo = workspace(
        "/x1/ @alice\n/x2/ @alice\n/y1/ @bob\n",
        &[("x1", &["y1"]), ("y1", &["x2"]), ("x2", &[])],
    );
    let cycles: Vec<String> = findings(&repo)
        .into_iter()
        .filter(|f| f.starts_with("CYC001"))
        .collect();
    assert_eq!(cycles.len(), 1, "{cycles:#?}");
    assert!(cycles[0].starts_with("CYC001 warning "), "{}", cycles[0]);
    assert!(
        cycles[0].ends_with("; its owners alice and bob are single people, not teams (CODEOWNERS names no team for their crates)"),
        "{}",
        cycles[0]
    );
}

#[test]
fn a_cycle_between_review_groups_is_a_warning_that_says_so() {
    let repo = workspace(
        "/x1/ @acme/core-reviewers\n/x2/ @acme/core-reviewers\n/y1/ @acme/payments\n",
        &[("x1", &["y1"]), ("y1", &["x2"]), ("x2", &[])],
    );
    let cycles: Vec<String> = findings(&repo)
        .into_iter()
        .filter(|f| f.starts_with("CYC001"))
        .collect();
    assert_eq!(cycles.len(), 1, "{cycles:#?}");
    assert!(cycles[0].starts_with("CYC001 warning "), "{}", cycles[0]);
    assert!(
        cycles[0].ends_with("; its owner acme/core-reviewers is a review group, which reviews code rather than owns a part of it"),
        "{}",
        cycles[0]
    );
}
