//! capgraph.toml: what is read, and the errors users see (snapshots, reviewed) when it is
//! wrong: file, line, column, key, and a did-you-mean for misspelt keys.

use capgraph::config::{CapabilityKind, ConfigError, merge, parse_config};

const VALID: &str = r#"[org]
name = "acme"

[teams.orders]
name = "Orders squad"
handles = ["@acme/orders-team"]

[capabilities.checkout]
team = "orders"
kind = "product"
paths = ["domains/checkout/**"]
crates = ["checkout-api"]
contracts = ["checkout-api"]
depends_on = ["identity"]

[capabilities.identity]
team = "identity"
kind = "platform"
wraps = ["jsonwebtoken"]

[services.checkout-svc]
crate = "checkout-svc"
hosts = ["checkout"]
env = ["CHECKOUT_URL"]

[rules]
pack = "default"
"#;

fn error(text: &str) -> String {
    match parse_config(text, "acme/capgraph.toml", Some(0)) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn a_valid_config_is_read_with_origins() {
    let config = parse_config(VALID, "acme/capgraph.toml", Some(0)).unwrap();
    assert_eq!(config.org.as_deref(), Some("acme"));
    assert_eq!(config.teams["orders"].handles[0].value, "@acme/orders-team");
    assert_eq!(
        config.teams["orders"].origin.to_string(),
        "acme/capgraph.toml:4"
    );
    let checkout = &config.capabilities["checkout"];
    assert_eq!(checkout.kind, CapabilityKind::Product);
    assert_eq!(checkout.team.as_ref().unwrap().value, "orders");
    assert_eq!(
        checkout.crates[0].origin.to_string(),
        "acme/capgraph.toml:12"
    );
    assert_eq!(checkout.paths[0].value, "domains/checkout/**");
    assert_eq!(
        config.capabilities["identity"].kind,
        CapabilityKind::Platform
    );
    assert_eq!(
        config.services["checkout-svc"].krate.as_deref(),
        Some("checkout-svc")
    );
    assert!(config.rules.is_some());
}

#[test]
fn an_unknown_key_suggests_the_closest() {
    insta::assert_snapshot!(error("[capabilities.checkout]\ntem = \"orders\"\n"));
}

#[test]
fn an_unknown_top_level_table_suggests_the_closest() {
    insta::assert_snapshot!(error(
        "[org]\nname = \"acme\"\n\n[tams.orders]\nname = \"Orders\"\n"
    ));
}

#[test]
fn an_unknown_key_without_a_close_match_points_to_the_docs() {
    insta::assert_snapshot!(error("[teams.orders]\nslack = \"#orders\"\n"));
}

#[test]
fn a_wrong_type_says_what_was_expected() {
    insta::assert_snapshot!(error("[teams.orders]\nhandles = \"@acme/orders\"\n"));
}

#[test]
fn a_wrong_enum_value_lists_the_choices() {
    insta::assert_snapshot!(error("[capabilities.identity]\nkind = \"infra\"\n"));
}

#[test]
fn a_syntax_error_points_at_it() {
    insta::assert_snapshot!(error("[teams.orders\nname = \"Orders\"\n"));
}

#[test]
fn errors_carry_line_column_and_key() {
    let err = parse_config(
        "[org]\nname = \"acme\"\n[capabilities.checkout]\nteam = \"orders\"\n  pahts = []\n",
        "c.toml",
        None,
    )
    .unwrap_err();
    match err {
        ConfigError::Invalid {
            line, column, key, ..
        } => {
            assert_eq!((line, column), (5, 3));
            assert_eq!(key.as_deref(), Some("capabilities.checkout.pahts"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn configs_of_several_roots_merge_and_a_conflict_names_both_files() {
    let shop = parse_config(
        "[teams.orders]\nname = \"Orders\"\n",
        "acme-shop/capgraph.toml",
        Some(0),
    )
    .unwrap();
    let warehouse = parse_config(
        "[teams.fulfillment]\nname = \"Fulfillment\"\n",
        "warehouse/capgraph.toml",
        Some(1),
    )
    .unwrap();
    let merged = merge(vec![shop.clone(), warehouse]).unwrap();
    assert_eq!(
        merged.teams.keys().collect::<Vec<_>>(),
        ["fulfillment", "orders"]
    );
    assert_eq!(
        merged.files,
        ["acme-shop/capgraph.toml", "warehouse/capgraph.toml"]
    );

    let again = parse_config(
        "\n\n[teams.orders]\nname = \"Orders too\"\n",
        "warehouse/capgraph.toml",
        Some(1),
    )
    .unwrap();
    let err = merge(vec![shop, again]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "team `orders` is declared in both `acme-shop/capgraph.toml:1` and `warehouse/capgraph.toml:3`; declare it once"
    );
}

#[test]
fn a_handle_listed_by_two_teams_shows_both_places() {
    insta::assert_snapshot!(error(
        "[teams.orders]\nhandles = [\"@acme/orders\", \"@acme/shop\"]\n\n\
         [teams.billing]\nhandles = [\"@Acme/Shop\"]\n"
    ));
}

#[test]
fn a_handle_listed_by_teams_of_two_files_names_both() {
    let shop = parse_config(
        "[teams.orders]\nhandles = [\"@acme/shop\"]\n",
        "acme-shop/capgraph.toml",
        Some(0),
    )
    .unwrap();
    let warehouse = parse_config(
        "\n[teams.fulfillment]\nhandles = [\n  \"@acme/shop\",\n]\n",
        "warehouse/capgraph.toml",
        Some(1),
    )
    .unwrap();
    let err = merge(vec![shop, warehouse]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "error: handle `@acme/shop` is listed by team `orders` (acme-shop/capgraph.toml:2) and \
         team `fulfillment` (warehouse/capgraph.toml:4); a handle may mean one team only"
    );
}

fn capgraph(args: &[&str]) -> (Option<i32>, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_capgraph"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn run_errors_are_said_once_under_one_heading() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("shop");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"a\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    let missing = dir.path().join("none.toml");
    assert_eq!(
        capgraph(&[
            "owners",
            "-q",
            root.to_str().unwrap(),
            "--config",
            missing.to_str().unwrap()
        ]),
        (
            Some(2),
            format!(
                "error: cannot read `{}`: No such file or directory (os error 2)\n",
                missing.display()
            )
        )
    );

    std::fs::write(
        root.join("capgraph.toml"),
        "[teams.a]\nhandles = [\"@acme/x\"]\n[teams.b]\nhandles = [\"@Acme/X\"]\n",
    )
    .unwrap();
    let (code, stderr) = capgraph(&["owners", "-q", root.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.starts_with(
            "error: handle `@Acme/X` is listed by team `a` (shop/capgraph.toml:2) and team `b` \
             (shop/capgraph.toml:4); a handle may mean one team only\n --> shop/capgraph.toml:4:"
        ),
        "{stderr}"
    );
}

#[test]
fn team_handles_are_listed_sorted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("shop");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"a\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("capgraph.toml"),
        "[teams.orders]\nhandles = [\"@acme/shop\", \"@acme/orders\", \"orders@acme.example\"]\n",
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_capgraph"))
        .args(["graph", "-q", root.to_str().unwrap()])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let team = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "team:orders")
        .unwrap();
    assert_eq!(
        team["handles"],
        serde_json::json!(["@acme/orders", "@acme/shop", "orders@acme.example"])
    );
}

#[test]
fn an_org_or_rules_conflict_names_the_two_files_that_declare_it() {
    let parse = |text: &str, path: &str| parse_config(text, path, None).unwrap();
    let quiet = parse("[teams.orders]\n", "a/capgraph.toml");
    let acme = parse(
        "[teams.billing]\n\n[org]\nname = \"acme\"\n\n[rules]\npack = \"default\"\n",
        "b/capgraph.toml",
    );
    let other = parse("[org]\nname = \"acme-corp\"\n", "c/capgraph.toml");
    let strict = parse("\n[rules]\npack = \"strict\"\n", "d/capgraph.toml");
    assert_eq!(
        merge(vec![quiet.clone(), acme.clone(), other])
            .unwrap_err()
            .to_string(),
        "organization name `acme-corp` is declared in both `b/capgraph.toml:4` and \
         `c/capgraph.toml:2`; declare it once"
    );
    assert_eq!(
        merge(vec![quiet, acme, strict]).unwrap_err().to_string(),
        "table `rules` is declared in both `b/capgraph.toml:6` and `d/capgraph.toml:2`; declare \
         it once"
    );
}

/// A `[rules]` mistake is reported before the rest of the file is read, as it always was:
/// a file with a bad rule id and a handle two teams list names the rule id.
#[test]
fn a_rules_error_comes_before_the_rest_of_the_file() {
    let text = "[teams.a]\nhandles = [\"@acme/x\"]\n\n[teams.b]\nhandles = [\"@acme/x\"]\n\n\
                [rules.NOPE001]\nseverity = \"error\"\n";
    let err = capgraph::config::parse_config_checked(
        text,
        "acme/capgraph.toml",
        None,
        Some(capgraph::rules::config::check),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("NOPE001"), "{err}");
    // Without the check (a library caller that reads rules later), the handle is the error.
    let err = parse_config(text, "acme/capgraph.toml", None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("@acme/x"), "{err}");
}
