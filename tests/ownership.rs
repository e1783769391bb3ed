//! Ownership end to end: every sample crate's owner and the source that decided it, catalog
//! reference forms, zero-config mode, `init` reproducing zero-config ownership, and the
//! problems (OWN001-OWN005) found.

mod common;

use capgraph::extract::catalog::{EntityKind, extract_catalog};
use common::{Repo, analyze_roots};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The ownership problems as the OWN rules word them, in the order `capgraph owners` lists
/// them.
fn worded_problems(analysis: &capgraph::Analysis) -> Vec<capgraph::rules::ownership::Worded> {
    capgraph::rules::ownership::worded(&analysis.ownership.problems)
}

fn sample_roots() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-repos");
    vec![dir.join("acme-shop"), dir.join("warehouse")]
}

/// `(crate, capability, team, deciding source)` for every crate.
fn ownership_rows(analysis: &capgraph::Analysis) -> Vec<(String, String, String, String)> {
    analysis
        .packages
        .packages
        .iter()
        .zip(&analysis.ownership.crates)
        .map(|(package, owned)| {
            (
                package.name.clone(),
                owned.capability.clone().unwrap_or_default(),
                owned.team.clone().unwrap_or_default(),
                owned
                    .decided_by
                    .as_ref()
                    .map(|c| c.origin.to_string())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

fn row(
    krate: &str,
    capability: &str,
    team: &str,
    source: &str,
) -> (String, String, String, String) {
    (krate.into(), capability.into(), team.into(), source.into())
}

#[test]
fn every_sample_crate_has_its_owner_and_source() {
    let roots = sample_roots();
    let analysis = analyze_roots(&[&roots[0], &roots[1]]);
    let mut rows = ownership_rows(&analysis);
    rows.sort();
    let config = "acme-shop/capgraph.toml";
    assert_eq!(
        rows,
        vec![
            row("authz", "identity", "identity", &format!("{config}:36")),
            row("cart", "checkout", "orders", &format!("{config}:54")),
            row(
                "catalog-api",
                "catalog",
                "discovery",
                &format!("{config}:48")
            ),
            row(
                "catalog-svc",
                "catalog",
                "discovery",
                &format!("{config}:48")
            ),
            row(
                "checkout-api",
                "checkout",
                "orders",
                &format!("{config}:54")
            ),
            row(
                "checkout-svc",
                "checkout",
                "orders",
                &format!("{config}:54")
            ),
            // Not in capgraph.toml: the warehouse repo's CODEOWNERS decides.
            row(
                "fulfillment-svc",
                "fulfillment",
                "fulfillment",
                "warehouse/CODEOWNERS:1"
            ),
            row(
                "http-kit",
                "observability",
                "platform-sre",
                &format!("{config}:43")
            ),
            row(
                "identity-api",
                "identity",
                "identity",
                &format!("{config}:36")
            ),
            row(
                "identity-svc",
                "identity",
                "identity",
                &format!("{config}:36")
            ),
            row(
                "label-printer",
                "fulfillment",
                "fulfillment",
                "warehouse/CODEOWNERS:2"
            ),
            // Owned through its own Cargo.toml.
            row(
                "notification-templates",
                "notifications",
                "engagement",
                "acme-shop/domains/notifications/notification-templates/Cargo.toml:8"
            ),
            row(
                "notifications-svc",
                "notifications",
                "engagement",
                &format!("{config}:66")
            ),
            row(
                "payments-api",
                "payments",
                "payments",
                &format!("{config}:60")
            ),
            row(
                "payments-core",
                "payments",
                "payments",
                &format!("{config}:60")
            ),
            row(
                "payments-legacy",
                "payments",
                "payments",
                &format!("{config}:60")
            ),
            row(
                "payments-svc",
                "payments",
                "payments",
                &format!("{config}:60")
            ),
            // Owned through its Backstage catalog entry.
            row(
                "search-indexer",
                "catalog",
                "discovery",
                "acme-shop/domains/catalog/search-indexer/catalog-info.yaml:1"
            ),
            row(
                "shipping-rates",
                "fulfillment",
                "fulfillment",
                "warehouse/CODEOWNERS:1"
            ),
            row(
                "telemetry",
                "observability",
                "platform-sre",
                &format!("{config}:43")
            ),
        ]
    );
}

#[test]
fn sample_ownership_problems_are_exactly_the_real_ones() {
    let roots = sample_roots();
    let analysis = analyze_roots(&[&roots[0], &roots[1]]);
    let problems: Vec<(String, String, Option<String>)> = worded_problems(&analysis)
        .iter()
        .map(|p| (p.rule.to_string(), p.location.to_string(), p.krate.clone()))
        .collect();
    assert_eq!(
        problems,
        vec![
            // The http-kit override in CODEOWNERS disagrees with capgraph.toml.
            (
                "OWN002".into(),
                "acme-shop/.github/CODEOWNERS:7".into(),
                Some("http-kit".into())
            ),
            // label-printer's two teams are co-owners, which is no conflict.
            // cart's pricing module belongs to payments, the rest to orders.
            (
                "OWN005".into(),
                "acme-shop/domains/checkout/cart/Cargo.toml:2".into(),
                Some("cart".into())
            ),
        ]
    );
}

#[test]
fn a_later_more_specific_codeowners_line_wins_for_files() {
    let roots = sample_roots();
    let analysis = analyze_roots(&[&roots[0]]);
    let (path, codeowners) = analysis.ownership.codeowners[0].as_ref().unwrap();
    assert_eq!(path, ".github/CODEOWNERS");
    assert_eq!(
        codeowners.owners_of("domains/checkout/cart/src/pricing/mod.rs"),
        ["@acme/payments-team"]
    );
    assert_eq!(
        codeowners.owners_of("domains/checkout/cart/src/lib.rs"),
        ["@acme/orders-team"]
    );
}

#[test]
fn catalog_owner_references_in_every_form() {
    let catalog = extract_catalog(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\nspec:\n  owner: team-a\n  system: checkout\n\
         ---\nkind: Component\nmetadata:\n  name: b\nspec:\n  owner: group:team-b\n\
         ---\nkind: Component\nmetadata:\n  name: c\nspec:\n  owner: group:default/team-c\n  system: system:default/payments\n\
         ---\nkind: System\nmetadata:\n  name: payments\nspec:\n  owner: payments\n  domain: commerce\n\
         ---\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  profile:\n    displayName: Team A\n\
         ---\nkind: API\nmetadata:\n  name: orders-api\nspec:\n  owner: user:default/jane\n\
         ---\nkind: Domain\nmetadata:\n  name: commerce\nspec:\n  owner: group:commerce-leads\n\
         ---\nkind: Location\nmetadata:\n  name: ignored\n",
    );
    assert!(catalog.problems.is_empty(), "{:?}", catalog.problems);
    type Summary<'a> = (EntityKind, &'a str, Option<&'a str>, Option<&'a str>, u32);
    let summary: Vec<Summary> = catalog
        .entities
        .iter()
        .map(|e| {
            (
                e.kind,
                e.name.as_str(),
                e.owner.as_deref(),
                e.parent.as_deref(),
                e.line,
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                EntityKind::Component,
                "a",
                Some("team-a"),
                Some("checkout"),
                1
            ),
            (EntityKind::Component, "b", Some("team-b"), None, 9),
            (
                EntityKind::Component,
                "c",
                Some("team-c"),
                Some("payments"),
                15
            ),
            (
                EntityKind::System,
                "payments",
                Some("payments"),
                Some("commerce"),
                22
            ),
            (EntityKind::Group, "team-a", None, None, 29),
            (EntityKind::Api, "orders-api", Some("user:jane"), None, 36),
            (
                EntityKind::Domain,
                "commerce",
                Some("commerce-leads"),
                None,
                42
            ),
        ]
    );
    assert_eq!(catalog.entities[4].display_name.as_deref(), Some("Team A"));
}

#[test]
fn a_broken_catalog_document_is_reported_and_the_others_count() {
    let catalog = extract_catalog(
        "kind: Component\nmetadata:\n  name: good\nspec:\n  owner: team-a\n---\nkind: [unclosed\n",
    );
    assert_eq!(catalog.entities.len(), 1);
    assert_eq!(catalog.problems.len(), 1);
    assert_eq!(catalog.problems[0].0, 7);
}

fn zero_config_repo() -> Repo {
    Repo::new(
        "monorepo",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"services/*\", \"libs/*\"]\n",
            ),
            (
                ".github/CODEOWNERS",
                "*                 @acme/platform\n\
                 /services/orders/ @acme/orders\n\
                 /services/billing/ @acme/billing\n\
                 /libs/orders-api/ @acme/orders\n\
                 /libs/legacy/\n",
            ),
            (
                "services/orders/Cargo.toml",
                "[package]\nname = \"orders-svc\"\nversion = \"0.1.0\"\n",
            ),
            ("services/orders/src/main.rs", "fn main() {}\n"),
            (
                "services/billing/Cargo.toml",
                "[package]\nname = \"billing-svc\"\nversion = \"0.1.0\"\n",
            ),
            ("services/billing/src/main.rs", "fn main() {}\n"),
            (
                "libs/orders-api/Cargo.toml",
                "[package]\nname = \"orders-api\"\nversion = \"0.1.0\"\n",
            ),
            ("libs/orders-api/src/lib.rs", ""),
            (
                "libs/log/Cargo.toml",
                "[package]\nname = \"log-kit\"\nversion = \"0.1.0\"\n",
            ),
            ("libs/log/src/lib.rs", ""),
            (
                "libs/legacy/Cargo.toml",
                "[package]\nname = \"legacy\"\nversion = \"0.1.0\"\n",
            ),
            ("libs/legacy/src/lib.rs", ""),
            (
                "libs/log/catalog-info.yaml",
                "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: log-kit\nspec:\n  type: library\n  owner: group:default/observability\n\
                 ---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: observability\nspec:\n  type: team\n  profile:\n    displayName: Observability Guild\n",
            ),
        ],
    )
}

#[test]
fn zero_config_makes_one_team_and_capability_per_handle() {
    let repo = zero_config_repo();
    let analysis = repo.analyze();
    assert!(analysis.ownership.zero_config);
    let teams: Vec<&String> = analysis.ownership.teams.keys().collect();
    // `@acme/platform` owns `*`, but every crate has a closer owner: it owns no crate, so it is
    // no team (it would only add empty rows to every view).
    assert_eq!(teams, ["acme/billing", "acme/orders", "observability"]);
    assert_eq!(
        analysis.ownership.teams["observability"].name,
        "Observability Guild"
    );
    let capabilities: Vec<&String> = analysis.ownership.capabilities.keys().collect();
    assert_eq!(capabilities, teams);
    let mut rows = ownership_rows(&analysis);
    rows.sort();
    assert_eq!(
        rows,
        vec![
            row(
                "billing-svc",
                "acme/billing",
                "acme/billing",
                "monorepo/.github/CODEOWNERS:3"
            ),
            row("legacy", "", "", ""),
            // The catalog outranks CODEOWNERS' catch-all line.
            row(
                "log-kit",
                "observability",
                "observability",
                "monorepo/libs/log/catalog-info.yaml:1"
            ),
            row(
                "orders-api",
                "acme/orders",
                "acme/orders",
                "monorepo/.github/CODEOWNERS:4"
            ),
            row(
                "orders-svc",
                "acme/orders",
                "acme/orders",
                "monorepo/.github/CODEOWNERS:2"
            ),
        ]
    );
    let rules: Vec<&str> = worded_problems(&analysis).iter().map(|p| p.rule).collect();
    // legacy has no owner; log-kit's catalog and CODEOWNERS disagree.
    assert_eq!(
        rules,
        ["OWN001", "OWN002"],
        "{:?}",
        analysis.ownership.problems
    );
    // The OWN001 says what matched and why it owns nothing, at the line to fix.
    let worded = worded_problems(&analysis);
    let unowned = &worded[0];
    assert_eq!(
        unowned.location.to_string(),
        "monorepo/.github/CODEOWNERS:5"
    );
    assert_eq!(
        unowned.message,
        "crate `legacy` has no owning team: matched by CODEOWNERS \
         monorepo/.github/CODEOWNERS:5 (`/libs/legacy/`), but it lists no owners"
    );
    let mut table = Vec::new();
    capgraph::report::owners::write_table(&analysis, &mut table).unwrap();
    let table = String::from_utf8(table).unwrap();
    assert!(
        table.contains(
            "legacy       -              (unowned)      monorepo/.github/CODEOWNERS:5 (CODEOWNERS) \
             lists no owners\n"
        ),
        "{table}"
    );
    // SPEC §5: the team id is the handle without `@`.
    let node = analysis.graph.crate_named("orders-svc").unwrap();
    assert_eq!(node.team.as_deref(), Some("acme/orders"));
    assert_eq!(
        node.owner_source.as_deref(),
        Some("monorepo/.github/CODEOWNERS:2")
    );
}

#[test]
fn init_writes_a_config_that_reproduces_zero_config_ownership() {
    let repo = zero_config_repo();
    let before = ownership_rows(&repo.analyze());

    let output = Command::new(env!("CARGO_BIN_EXE_capgraph"))
        .args(["init", repo.root.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = std::fs::read_to_string(repo.path("capgraph.toml")).unwrap();
    assert!(written.contains("[teams.\"acme/orders\"]"), "{written}");
    assert!(
        written.contains("contracts = [\"orders-api\"]"),
        "{written}"
    );
    assert!(written.contains("# Guessed from the names"), "{written}");
    assert!(
        written.contains("No source names an owner for: legacy."),
        "{written}"
    );

    let after = repo.analyze();
    assert!(!after.ownership.zero_config);
    let teams_and_capabilities =
        |rows: Vec<(String, String, String, String)>| -> Vec<(String, String, String)> {
            rows.into_iter().map(|(k, c, t, _)| (k, c, t)).collect()
        };
    assert_eq!(
        teams_and_capabilities(ownership_rows(&after)),
        teams_and_capabilities(before)
    );
    let capability = &after.ownership.capabilities["acme/orders"];
    assert_eq!(capability.contracts, ["orders-api"]);

    // Never overwrites.
    let again = Command::new(env!("CARGO_BIN_EXE_capgraph"))
        .args(["init", repo.root.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&again.stderr)
            .contains("already exists; capgraph init never overwrites it")
    );
    assert_eq!(
        std::fs::read_to_string(repo.path("capgraph.toml")).unwrap(),
        written
    );
}

#[test]
fn config_problems_are_findings_not_crashes() {
    let repo = Repo::new(
        "shop",
        &[
            (
                "capgraph.toml",
                "[teams.orders]\nhandles = [\"@acme/orders\"]\n\n\
                 [capabilities.checkout]\nteam = \"orders\"\ncrates = [\"checkout-api\"]\npaths = [\"services/checkout/**\"]\n\n\
                 [capabilities.billing]\nteam = \"finance\"\ncrates = [\"checkout-api\"]\n",
            ),
            (
                "CODEOWNERS",
                "/checkout-api/ @acme/ghost-team\n/docs/ @acme/orders\n",
            ),
            (
                "checkout-api/Cargo.toml",
                "[package]\nname = \"checkout-api\"\nversion = \"0.1.0\"\n",
            ),
            ("checkout-api/src/lib.rs", ""),
        ],
    );
    let analysis = repo.analyze();
    let problems: Vec<(String, String)> = worded_problems(&analysis)
        .iter()
        .map(|p| (p.rule.to_string(), p.location.to_string()))
        .collect();
    assert_eq!(
        problems,
        vec![
            // checkout-api listed in two capabilities.
            ("OWN002".into(), "shop/capgraph.toml:11".into()),
            // Team `finance` is not declared; `@acme/ghost-team` is no team's handle.
            ("OWN003".into(), "shop/CODEOWNERS:1".into()),
            ("OWN003".into(), "shop/capgraph.toml:10".into()),
            // The glob and the /docs/ pattern match nothing.
            ("OWN004".into(), "shop/CODEOWNERS:2".into()),
            ("OWN004".into(), "shop/capgraph.toml:7".into()),
        ],
        "{:#?}",
        analysis.ownership.problems
    );
}

#[test]
fn a_broken_config_stops_the_run_with_exit_2_naming_file_line_and_key() {
    let repo = Repo::new(
        "shop",
        &[
            (
                "capgraph.toml",
                "[capabilities.checkout]\nteam = \"orders\"\npath = [\"x/**\"]\n",
            ),
            (
                "Cargo.toml",
                "[package]\nname = \"a\"\nversion = \"0.1.0\"\n",
            ),
        ],
    );
    let output = Command::new(env!("CARGO_BIN_EXE_capgraph"))
        .args(["owners", repo.root.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("invalid `capabilities.checkout.path` in shop/capgraph.toml"),
        "{message}"
    );
    assert!(message.contains("--> shop/capgraph.toml:3:1"), "{message}");
    assert!(message.contains("did you mean `paths`?"), "{message}");
}

#[test]
fn explain_tells_the_deciding_and_overridden_sources() {
    let roots = sample_roots();
    let output = Command::new(env!("CARGO_BIN_EXE_capgraph"))
        .args([
            "owners",
            "-q",
            roots[0].to_str().unwrap(),
            roots[1].to_str().unwrap(),
            "--explain",
            "http-kit",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());

    let file = roots[0].join("domains/checkout/cart/src/pricing/mod.rs");
    let output = Command::new(env!("CARGO_BIN_EXE_capgraph"))
        .args([
            "owners",
            "-q",
            roots[0].to_str().unwrap(),
            "--explain",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());

    let output = Command::new(env!("CARGO_BIN_EXE_capgraph"))
        .args([
            "owners",
            "-q",
            roots[0].to_str().unwrap(),
            "--explain",
            "no-such-crate",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn graph_levels_roll_crate_dependencies_up() {
    let roots = sample_roots();
    let output = Command::new(env!("CARGO_BIN_EXE_capgraph"))
        .args([
            "graph",
            "-q",
            roots[0].to_str().unwrap(),
            roots[1].to_str().unwrap(),
            "--level",
            "team",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["level"], "team");
    let edges: Vec<(String, String, u64, u64)> = json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap().to_string(),
                e["to"].as_str().unwrap().to_string(),
                e["crate_deps"].as_u64().unwrap(),
                e["refs"].as_u64().unwrap(),
            )
        })
        .collect();
    // fulfillment reaches orders through checkout-api (git) and identity through identity-api
    // (private registry).
    assert!(
        edges.contains(&("team:fulfillment".into(), "team:orders".into(), 1, 8)),
        "{edges:?}"
    );
    assert!(
        edges.contains(&("team:fulfillment".into(), "team:identity".into(), 1, 2)),
        "{edges:?}"
    );
    // Platform identity depends on product checkout (authz → checkout-api).
    assert!(
        edges.contains(&("team:identity".into(), "team:orders".into(), 1, 1)),
        "{edges:?}"
    );
    assert!(edges.iter().all(|(from, to, _, _)| from != to));
}

#[test]
fn a_paths_glob_ending_in_double_star_owns_the_directory_itself() {
    let repo = Repo::new(
        "shop",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"services/*\", \"services/checkout/*\"]\n",
            ),
            (
                "capgraph.toml",
                "[teams.orders]\n\n[capabilities.checkout]\nteam = \"orders\"\npaths = [\"services/checkout/**\"]\n",
            ),
            (
                "services/checkout/Cargo.toml",
                "[package]\nname = \"checkout-svc\"\nversion = \"0.1.0\"\n",
            ),
            ("services/checkout/src/main.rs", "fn main() {}\n"),
            (
                "services/checkout/api/Cargo.toml",
                "[package]\nname = \"checkout-api\"\nversion = \"0.1.0\"\n",
            ),
            ("services/checkout/api/src/lib.rs", ""),
            (
                "services/checkout-legacy/Cargo.toml",
                "[package]\nname = \"checkout-legacy\"\nversion = \"0.1.0\"\n",
            ),
            ("services/checkout-legacy/src/lib.rs", ""),
        ],
    );
    let analysis = repo.analyze();
    let mut rows = ownership_rows(&analysis);
    rows.sort();
    assert_eq!(
        rows,
        vec![
            row("checkout-api", "checkout", "orders", "shop/capgraph.toml:5"),
            // A sibling whose name merely starts the same is not under the directory.
            row("checkout-legacy", "", "", ""),
            row("checkout-svc", "checkout", "orders", "shop/capgraph.toml:5"),
        ]
    );
}

#[test]
fn a_config_declaring_no_teams_or_capabilities_keeps_zero_config_mode() {
    let repo = zero_config_repo();
    let before = ownership_rows(&repo.analyze());
    repo.write(
        "capgraph.toml",
        b"[org]\nname = \"acme\"\n\n[rules]\npack = \"strict\"\n",
    );
    let after = repo.analyze();
    assert!(after.ownership.zero_config);
    assert_eq!(ownership_rows(&after), before);
    assert_eq!(after.ownership.teams.len(), 3);
}

#[test]
fn explain_of_a_directory_uses_codeowners_directory_patterns() {
    let roots = sample_roots();
    let explain = |target: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_capgraph"))
            .args([
                "owners",
                "-q",
                roots[0].to_str().unwrap(),
                "--explain",
                target,
            ])
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let expected = "directory acme-shop/domains/checkout\n  \
        CODEOWNERS   acme-shop/.github/CODEOWNERS:10  `/domains/checkout/` → @acme/orders-team (team orders)\n  \
        in crate     (none: no Cargo.toml above it)\n";
    let on_disk = format!("{}/domains/checkout/", roots[0].display());
    assert_eq!(
        explain(&on_disk),
        (Some(0), expected.to_string(), String::new())
    );
    // The same directory named as REPO/PATH, with or without the trailing `/`.
    assert_eq!(explain("acme-shop/domains/checkout/").1, expected);
    assert_eq!(explain("acme-shop/domains/checkout").1, expected);

    // A path that does not exist is not explained as if it did.
    let (code, stdout, stderr) = explain("acme-shop/domains/checkout/no-such-file.rs");
    assert_eq!((code, stdout.as_str()), (Some(2), ""));
    assert_eq!(
        stderr,
        "error: `acme-shop/domains/checkout/no-such-file.rs` is neither a crate nor a file or \
         directory under the scanned roots; give a crate name or a path inside one of them\n"
    );
}

#[test]
fn owner_references_match_team_handles_in_every_form_and_case() {
    let manifest = |name: &str| format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n");
    let component = |name: &str, owner: &str| {
        format!("kind: Component\nmetadata:\n  name: {name}\nspec:\n  owner: {owner}\n")
    };
    let repo = Repo::new(
        "shop",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"pay\", \"ord\", \"srch\", \"amb\"]\n",
            ),
            (
                "capgraph.toml",
                "[teams.payments]\nhandles = [\"@Acme/Payments\"]\n\
                 [teams.orders]\nhandles = [\"group:default/orders-team\"]\n\
                 [teams.search]\nhandles = [\"@acme/search\"]\n\
                 [teams.x-one]\nhandles = [\"@acme/x\"]\n\
                 [teams.x-two]\nhandles = [\"@other/x\"]\n",
            ),
            ("CODEOWNERS", "/pay/ @acme/PAYMENTS\n"),
            ("pay/Cargo.toml", &manifest("pay")),
            ("pay/src/lib.rs", ""),
            ("ord/Cargo.toml", &manifest("ord")),
            ("ord/src/lib.rs", ""),
            ("ord/catalog-info.yaml", &component("ord", "Orders-Team")),
            ("srch/Cargo.toml", &manifest("srch")),
            ("srch/src/lib.rs", ""),
            ("srch/catalog-info.yaml", &component("srch", "group:search")),
            ("amb/Cargo.toml", &manifest("amb")),
            ("amb/src/lib.rs", ""),
            (
                "amb/catalog-info.yaml",
                &component("amb", "group:default/x"),
            ),
        ],
    );
    let analysis = repo.analyze();
    let mut rows = ownership_rows(&analysis);
    rows.sort();
    assert_eq!(
        rows,
        vec![
            // `x` could be @acme/x or @other/x: no guess.
            row("amb", "", "", ""),
            row("ord", "", "orders", "shop/ord/catalog-info.yaml:1"),
            row("pay", "", "payments", "shop/CODEOWNERS:1"),
            row("srch", "", "search", "shop/srch/catalog-info.yaml:1"),
        ]
    );
    let problems: Vec<(&str, String)> = worded_problems(&analysis)
        .iter()
        .map(|p| (p.rule, p.message.clone()))
        .collect();
    assert_eq!(
        problems,
        vec![
            (
                "OWN001",
                "crate `amb` has no owning team: matched by catalog-info.yaml \
                 shop/amb/catalog-info.yaml:1 (`Component amb owner: x`), but it names `x`, \
                 which is no declared team"
                    .to_string()
            ),
            (
                "OWN003",
                "owner `x` is ambiguous: teams x-one, x-two all have a GitHub team handle named \
                 `x`; add `x` to the `handles` of the team it means"
                    .to_string()
            ),
        ]
    );
}

#[test]
fn zero_config_treats_handles_differing_in_case_as_one_team() {
    let manifest = |name: &str| format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n");
    let repo = Repo::new(
        "shop",
        &[
            ("Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\n"),
            ("CODEOWNERS", "/a/ @Acme/Payments\n/b/ @acme/payments\n"),
            ("a/Cargo.toml", &manifest("a")),
            ("a/src/lib.rs", ""),
            ("b/Cargo.toml", &manifest("b")),
            ("b/src/lib.rs", ""),
        ],
    );
    let analysis = repo.analyze();
    let teams: Vec<&String> = analysis.ownership.teams.keys().collect();
    assert_eq!(teams, ["acme/payments"]);
    let mut rows = ownership_rows(&analysis);
    rows.sort();
    assert_eq!(
        rows,
        vec![
            row("a", "acme/payments", "acme/payments", "shop/CODEOWNERS:1"),
            row("b", "acme/payments", "acme/payments", "shop/CODEOWNERS:2"),
        ]
    );
}

#[test]
fn names_that_declare_nothing_are_unknown_owner_problems() {
    let repo = Repo::new(
        "shop",
        &[
            ("Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\n"),
            (
                "capgraph.toml",
                "[teams.orders]\nhandles = [\"@acme/orders\"]\n\n\
                 [capabilities.checkout]\nteam = \"orders\"\ndepends_on = [\"identity\", \"checkout-data\"]\n\n\
                 [capabilities.checkout-data]\nteam = \"orders\"\n",
            ),
            ("CODEOWNERS", "/a/ @acme/orders\n"),
            (
                "a/Cargo.toml",
                "[package]\nname = \"a\"\nversion = \"0.1.0\"\n\n\
                 [package.metadata.capgraph]\ncapability = \"chekout\"\nteam = \"order\"\n",
            ),
            ("a/src/lib.rs", ""),
            (
                "b/Cargo.toml",
                "[package]\nname = \"b\"\nversion = \"0.1.0\"\n",
            ),
            ("b/src/lib.rs", ""),
            (
                "b/catalog-info.yaml",
                "kind: Component\nmetadata:\n  name: b\nspec:\n  owner: group:orders\n  system: shop-system\n",
            ),
        ],
    );
    let analysis = repo.analyze();
    let mut rows = ownership_rows(&analysis);
    rows.sort();
    assert_eq!(
        rows,
        vec![
            // The misspelt metadata decides nothing; CODEOWNERS, below it, does.
            row("a", "", "orders", "shop/CODEOWNERS:1"),
            row("b", "", "orders", "shop/b/catalog-info.yaml:1"),
        ]
    );
    let problems: Vec<(&str, String, String)> = worded_problems(&analysis)
        .iter()
        .map(|p| (p.rule, p.location.to_string(), p.message.clone()))
        .collect();
    let own003 =
        |location: &str, message: &str| ("OWN003", location.to_string(), message.to_string());
    assert_eq!(
        problems,
        vec![
            own003(
                "shop/a/Cargo.toml:5",
                "crate `a`: [package.metadata.capgraph] capability = \"chekout\" names no \
                 capability declared in capgraph.toml"
            ),
            own003(
                "shop/a/Cargo.toml:5",
                "crate `a`: [package.metadata.capgraph] team = \"order\" names no team declared \
                 in capgraph.toml"
            ),
            own003(
                "shop/b/catalog-info.yaml:1",
                "Component `b` has spec.system `shop-system`, which no [capabilities.*] table of \
                 capgraph.toml declares"
            ),
            own003(
                "shop/capgraph.toml:6",
                "capability `checkout` depends_on `identity`, which no [capabilities.*] table \
                 declares"
            ),
        ]
    );
}

#[test]
fn sources_naming_different_capabilities_of_one_team_disagree() {
    let repo = Repo::new(
        "shop",
        &[
            (
                "capgraph.toml",
                "[teams.orders]\n\n\
                 [capabilities.checkout]\nteam = \"orders\"\ncrates = [\"a\"]\n\n\
                 [capabilities.checkout-data]\nteam = \"orders\"\n",
            ),
            (
                "Cargo.toml",
                "[package]\nname = \"a\"\nversion = \"0.1.0\"\n\n\
                 [package.metadata.capgraph]\ncapability = \"checkout-data\"\n",
            ),
            ("src/lib.rs", ""),
        ],
    );
    let analysis = repo.analyze();
    assert_eq!(
        ownership_rows(&analysis),
        vec![row("a", "checkout", "orders", "shop/capgraph.toml:5")]
    );
    let problems: Vec<(&str, String, String)> = worded_problems(&analysis)
        .iter()
        .map(|p| (p.rule, p.location.to_string(), p.message.clone()))
        .collect();
    assert_eq!(
        problems,
        vec![(
            "OWN002",
            "shop/Cargo.toml:5".to_string(),
            "crate `a`: capgraph.toml crates (shop/capgraph.toml:5) says capability checkout, but \
             Cargo.toml [package.metadata.capgraph] (shop/Cargo.toml:5) says checkout-data; \
             capgraph.toml crates wins — align the lower source"
                .to_string()
        )]
    );
}

#[test]
fn the_team_from_gitlab_sections_is_the_deciding_rules() {
    let repo = Repo::new(
        "shop",
        &[
            ("Cargo.toml", "[workspace]\nmembers = [\"checkout\"]\n"),
            (
                "CODEOWNERS",
                "* @acme/platform\n\n[Checkout]\n/checkout/ @acme/orders\n",
            ),
            (
                "checkout/Cargo.toml",
                "[package]\nname = \"checkout\"\nversion = \"0.1.0\"\n",
            ),
            ("checkout/src/lib.rs", ""),
        ],
    );
    let analysis = repo.analyze();
    assert_eq!(
        ownership_rows(&analysis),
        vec![row(
            "checkout",
            "acme/orders",
            "acme/orders",
            "shop/CODEOWNERS:4"
        )]
    );
    assert_eq!(
        analysis.ownership.crates[0].owners,
        ["acme/orders", "acme/platform"]
    );
    // Its files, too, belong to the deciding rule's team: the crate is not split.
    assert!(
        !worded_problems(&analysis)
            .iter()
            .any(|p| p.rule == "OWN005"),
        "{:?}",
        analysis.ownership.problems
    );
}

#[test]
fn init_keeps_every_owner_of_a_crate_and_the_owners_as_written() {
    let manifest = |name: &str| format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n");
    let repo = Repo::new(
        "shop",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"labels\", \"docs\", \"search\"]\n",
            ),
            (
                "CODEOWNERS",
                "/labels/ @acme/fulfillment @acme/print\n/docs/ Docs@Example.com\n",
            ),
            ("labels/Cargo.toml", &manifest("labels")),
            ("labels/src/lib.rs", ""),
            ("docs/Cargo.toml", &manifest("docs")),
            ("docs/src/lib.rs", ""),
            ("search/Cargo.toml", &manifest("search")),
            ("search/src/lib.rs", ""),
            (
                "search/catalog-info.yaml",
                "kind: Component\nmetadata:\n  name: search\nspec:\n  owner: group:default/discovery\n",
            ),
        ],
    );
    let owners = |analysis: &capgraph::Analysis| -> Vec<(String, String, String, Vec<String>)> {
        analysis
            .packages
            .packages
            .iter()
            .zip(&analysis.ownership.crates)
            .map(|(package, owned)| {
                (
                    package.name.clone(),
                    owned.capability.clone().unwrap_or_default(),
                    owned.team.clone().unwrap_or_default(),
                    owned.owners.clone(),
                )
            })
            .collect()
    };
    let before = owners(&repo.analyze());
    assert_eq!(
        before[1],
        (
            "labels".to_string(),
            "acme/fulfillment".to_string(),
            "acme/fulfillment".to_string(),
            vec!["acme/fulfillment".to_string(), "acme/print".to_string()]
        )
    );

    let output = Command::new(env!("CARGO_BIN_EXE_capgraph"))
        .args(["init", "-q", repo.root.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let written = std::fs::read_to_string(repo.path("capgraph.toml")).unwrap();
    // Owners as found: the e-mail stays an e-mail, the catalog group a group reference.
    assert!(
        written.contains("[teams.\"docs@example.com\"]\nname = \"docs@example.com\"\nhandles = [\"Docs@Example.com\"]\n"),
        "{written}"
    );
    assert!(
        written
            .contains("[teams.discovery]\nname = \"discovery\"\nhandles = [\"group:discovery\"]\n"),
        "{written}"
    );
    assert!(
        written.contains(
            "# Owned by several teams per CODEOWNERS, and left to it: labels (acme/fulfillment, \
             acme/print)."
        ),
        "{written}"
    );
    assert_eq!(owners(&repo.analyze()), before);
}

#[test]
fn team_ids_with_a_slash_are_matched_whole() {
    let repo = Repo::new(
        "shop",
        &[
            (
                "capgraph.toml",
                "[teams.\"acme/orders\"]\nhandles = [\"@acme/orders\"]\n\
                 [teams.\"other/orders\"]\nhandles = [\"@other/orders\"]\n",
            ),
            (
                "Cargo.toml",
                "[package]\nname = \"a\"\nversion = \"0.1.0\"\n\n\
                 [package.metadata.capgraph]\nteam = \"acme/orders\"\n",
            ),
            ("src/lib.rs", ""),
        ],
    );
    assert_eq!(
        ownership_rows(&repo.analyze()),
        vec![row("a", "", "acme/orders", "shop/Cargo.toml:5")]
    );
}

/// No config and no ownership source anywhere: one OWN001 finding for the organization that
/// says so and points at `capgraph init`, not one per crate. One CODEOWNERS line anywhere
/// brings the per-crate findings back for the crates it leaves uncovered.
#[test]
fn no_ownership_source_at_all_is_one_finding_pointing_at_init() {
    let package = |name: &str| format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n");
    let files = [
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"a\", \"b\"]\n".to_string(),
        ),
        ("a/Cargo.toml", package("a")),
        ("a/src/lib.rs", String::new()),
        ("b/Cargo.toml", package("b")),
        ("b/src/lib.rs", String::new()),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let repo = Repo::new("shop", &files);
    let problems: Vec<String> = worded_problems(&repo.analyze())
        .iter()
        .map(|p| format!("{} {}: {}", p.rule, p.location, p.message))
        .collect();
    assert_eq!(
        problems,
        [
            "OWN001 shop/capgraph.toml: no team owns any of the 2 crates: the scanned \
          repositories have no CODEOWNERS file, catalog-info.yaml or \
          `[package.metadata.capgraph]`, and there is no capgraph.toml; run `capgraph init` to \
          write a starter capgraph.toml, or add a CODEOWNERS file"
        ]
    );

    // A CODEOWNERS file whose rules own no crate is one finding too, and names the file.
    repo.write("CODEOWNERS", b"# review requests\n/docs/ @acme/docs\n");
    let problems: Vec<String> = worded_problems(&repo.analyze())
        .iter()
        .map(|p| format!("{} {}: {}", p.rule, p.location, p.message))
        .collect();
    assert_eq!(
        problems,
        [
            "OWN001 shop/capgraph.toml: no team owns any of the 2 crates: no rule of \
          shop/CODEOWNERS names an owner of a crate's directory, no catalog-info.yaml or \
          `[package.metadata.capgraph]` names one, and there is no capgraph.toml; run \
          `capgraph init` to write a starter capgraph.toml, or add CODEOWNERS rules for the \
          crates",
            "OWN004 shop/CODEOWNERS:2: CODEOWNERS pattern `/docs/` matches no file in shop; remove or fix it"
        ]
    );

    repo.write("CODEOWNERS", b"/a/ @acme/a-team\n");
    let problems: Vec<String> = worded_problems(&repo.analyze())
        .iter()
        .map(|p| format!("{} {}", p.rule, p.location))
        .collect();
    assert_eq!(problems, ["OWN001 shop/b/Cargo.toml:2"]);
}
