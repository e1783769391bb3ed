//! One test per kind of bad input: each becomes a diagnostic naming the file (and line where
//! there is one) and the run goes on with everything else.

mod common;

use capgraph::discover::{FileKind, SourceFile};
use capgraph::extract::{ExtractError, extract_file};
use capgraph::{AnalysisOptions, analyze};
use common::{Repo, crate_ids, diagnostics, e, edges};

const MANIFEST: &str =
    "[package]\nname = \"svc\"\nversion = \"0.1.0\"\n[dependencies]\nserde = \"1\"\n";

#[test]
fn invalid_utf8_is_reported_with_its_line_and_the_rest_is_scanned() {
    let repo = Repo::new(
        "acme",
        &[
            ("Cargo.toml", MANIFEST),
            (
                "src/lib.rs",
                "mod bad;\npub fn f() -> serde::de::IgnoredAny { todo!() }\n",
            ),
        ],
    );
    repo.write(
        "src/bad.rs",
        b"// fine\n// also fine\nconst X: &str = \"\xff\xfe\";\n",
    );
    let analysis = repo.analyze();
    assert_eq!(
        diagnostics(&analysis),
        vec!["SCN001 src/bad.rs:3: not valid UTF-8 (first invalid byte at offset 38)"]
    );
    assert_eq!(
        edges(&analysis.graph),
        vec![e("crate:svc", "external:serde", "normal", 1)]
    );
}

#[test]
fn syntax_errors_are_reported_with_their_line() {
    let repo = Repo::new(
        "acme",
        &[
            ("Cargo.toml", MANIFEST),
            (
                "src/lib.rs",
                "mod broken;\npub fn f() -> serde::de::IgnoredAny { todo!() }\n",
            ),
            (
                "src/broken.rs",
                "pub fn ok() {}\n\npub fn broken(x: u32 {\n}\n",
            ),
        ],
    );
    let analysis = repo.analyze();
    let found = diagnostics(&analysis);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("SCN001 src/broken.rs:3: syntax error: "),
        "{found:?}"
    );
    assert_eq!(
        edges(&analysis.graph),
        vec![e("crate:svc", "external:serde", "normal", 1)]
    );
}

#[test]
fn malformed_manifests_are_reported_and_other_crates_survive() {
    let repo = Repo::new(
        "acme",
        &[
            ("Cargo.toml", "[workspace]\nmembers = [\"good\", \"bad\"]\n"),
            (
                "good/Cargo.toml",
                "[package]\nname = \"good\"\nversion = \"0.1.0\"\n",
            ),
            ("good/src/lib.rs", ""),
            (
                "bad/Cargo.toml",
                "[package]\nname = \"bad\"\nversion = \"0.1.0\"\n[dependencies\nserde = \"1\"\n",
            ),
            ("bad/src/lib.rs", ""),
        ],
    );
    let analysis = repo.analyze();
    let found = diagnostics(&analysis);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("SCN002 bad/Cargo.toml:4: invalid manifest: "),
        "{found:?}"
    );
    assert_eq!(crate_ids(&analysis.graph), vec!["crate:good"]);
}

#[test]
fn a_manifest_with_a_wrong_type_names_the_problem() {
    let repo = Repo::new("acme", &[("Cargo.toml", "[package]\nname = 7\n")]);
    let found = diagnostics(&repo.analyze());
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with(
            "SCN002 Cargo.toml:2: invalid manifest: invalid type: integer `7`, expected a string"
        ),
        "{found:?}"
    );
}

#[test]
fn empty_files() {
    let repo = Repo::new(
        "acme",
        &[
            ("Cargo.toml", MANIFEST),
            ("src/lib.rs", ""),
            ("tools/Cargo.toml", ""),
        ],
    );
    let analysis = repo.analyze();
    assert_eq!(
        diagnostics(&analysis),
        vec!["SCN002 tools/Cargo.toml: manifest has neither a [package] nor a [workspace] table"]
    );
    assert_eq!(
        edges(&analysis.graph),
        vec![e("crate:svc", "external:serde", "normal", 0)]
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_and_not_followed() {
    let repo = Repo::new("acme", &[("Cargo.toml", MANIFEST), ("src/lib.rs", "")]);
    std::os::unix::fs::symlink(repo.path("src"), repo.path("src/again")).unwrap();
    std::os::unix::fs::symlink("self-loop", repo.path("self-loop")).unwrap();
    let analysis = repo.analyze();
    let found = diagnostics(&analysis);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        found[0],
        "SCN001 self-loop: cannot read: Too many levels of symbolic links (os error 40)"
    );
    assert_eq!(found[1], "SCN001 src/again: symlink loop; not followed");
    assert_eq!(crate_ids(&analysis.graph), vec!["crate:svc"]);
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_are_not_followed() {
    let outside = Repo::new("elsewhere", &[("secret/lib.rs", "fn f() { leaked::x(); }")]);
    let repo = Repo::new("acme", &[("Cargo.toml", MANIFEST), ("src/lib.rs", "")]);
    std::os::unix::fs::symlink(outside.path("secret"), repo.path("src/linked")).unwrap();
    let analysis = repo.analyze();
    let found = diagnostics(&analysis);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("SCN001 src/linked: symlink leads outside the repository"),
        "{found:?}"
    );
    assert_eq!(analysis.files_scanned, 2);
}

#[cfg(unix)]
#[test]
fn symlinks_inside_the_root_are_followed() {
    let repo = Repo::new(
        "acme",
        &[
            ("svc/Cargo.toml", MANIFEST),
            (
                "shared/util.rs",
                "pub fn f() -> serde::de::IgnoredAny { todo!() }\n",
            ),
            ("svc/src/lib.rs", "mod util;\n"),
        ],
    );
    // The linked file is compiled as part of `svc`, so its references are svc's.
    std::os::unix::fs::symlink(repo.path("shared/util.rs"), repo.path("svc/src/util.rs")).unwrap();
    let analysis = repo.analyze();
    assert!(diagnostics(&analysis).is_empty());
    assert_eq!(
        edges(&analysis.graph),
        vec![e("crate:svc", "external:serde", "normal", 1)]
    );
}

#[test]
fn a_ten_megabyte_generated_file_is_scanned() {
    let mut generated = String::from("// @generated\n");
    let mut i = 0;
    while generated.len() < 10 * 1024 * 1024 {
        generated.push_str(&format!(
            "pub fn handler_{i}(v: &serde_json::Value) -> Option<u64> {{ v.get(\"field_{i}\").and_then(|x| x.as_u64()).map(|n| n + {i}) }}\n"
        ));
        i += 1;
    }
    let repo = Repo::new(
        "acme",
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"svc\"\nversion = \"0.1.0\"\n[dependencies]\nserde_json = \"1\"\n",
            ),
            ("src/lib.rs", "mod generated;\n"),
            ("src/generated.rs", &generated),
        ],
    );
    let analysis = repo.analyze();
    assert!(diagnostics(&analysis).is_empty());
    assert_eq!(
        edges(&analysis.graph),
        vec![e("crate:svc", "external:serde_json", "normal", i)]
    );
}

#[test]
fn deeply_nested_expressions_parse_within_the_limit() {
    let depth = capgraph::extract::source::MAX_NESTING - 10;
    let nested = format!(
        "fn f() -> u64 {{ {}serde_json::x(){} }}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let repo = Repo::new(
        "acme",
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"svc\"\nversion = \"0.1.0\"\n[dependencies]\nserde_json = \"1\"\n",
            ),
            ("src/lib.rs", &nested),
        ],
    );
    let analysis = repo.analyze();
    assert!(
        diagnostics(&analysis).is_empty(),
        "{:?}",
        diagnostics(&analysis)
    );
    assert_eq!(
        edges(&analysis.graph),
        vec![e("crate:svc", "external:serde_json", "normal", 1)]
    );
}

#[test]
fn nesting_beyond_the_limit_is_reported_not_crashed_on() {
    let depth = 100_000;
    let nested = format!(
        "fn ok() {{}}\nfn f() -> u64 {{ {}1{} }}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let repo = Repo::new("acme", &[("Cargo.toml", MANIFEST), ("src/lib.rs", &nested)]);
    let analysis = repo.analyze();
    assert_eq!(
        diagnostics(&analysis),
        vec!["SCN001 src/lib.rs:2: brackets nest deeper than 2000 levels; file not parsed"]
    );
}

#[test]
fn long_operator_chains_do_not_overflow() {
    let chain = format!(
        "fn f() -> u64 {{ {} }}\n",
        vec!["serde_json::x()"; 50_000].join(" + ")
    );
    let repo = Repo::new(
        "acme",
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"svc\"\nversion = \"0.1.0\"\n[dependencies]\nserde_json = \"1\"\n",
            ),
            ("src/lib.rs", &chain),
        ],
    );
    let analysis = repo.analyze();
    assert!(diagnostics(&analysis).is_empty());
    assert_eq!(
        edges(&analysis.graph),
        vec![e("crate:svc", "external:serde_json", "normal", 50_000)]
    );
}

#[test]
fn a_file_that_vanishes_before_it_is_read_is_unreadable() {
    let repo = Repo::new("acme", &[]);
    let file = SourceFile {
        root: 0,
        rel_path: "src/gone.rs".into(),
        abs_path: repo.path("src/gone.rs"),
        kind: FileKind::RustSource,
    };
    let err = extract_file(&file, &Default::default()).unwrap_err();
    assert!(matches!(err, ExtractError::Unreadable(_)), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("cannot read file: No such file"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_file_without_read_permission_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let repo = Repo::new(
        "acme",
        &[
            ("Cargo.toml", MANIFEST),
            ("src/lib.rs", "mod locked;\n"),
            ("src/locked.rs", "fn f() {}\n"),
        ],
    );
    std::fs::set_permissions(
        repo.path("src/locked.rs"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    if std::fs::read(repo.path("src/locked.rs")).is_ok() {
        // Running as root: permissions do not stop reads, so there is nothing to observe.
        return;
    }
    let found = diagnostics(&repo.analyze());
    assert_eq!(
        found,
        vec!["SCN001 src/locked.rs: cannot read file: Permission denied (os error 13)"]
    );
}

#[test]
fn ignored_files_target_and_git_are_not_scanned() {
    let repo = Repo::new(
        "acme",
        &[
            (".gitignore", "/generated\n*.tmp.rs\n"),
            ("Cargo.toml", MANIFEST),
            ("src/lib.rs", ""),
            ("src/scratch.tmp.rs", "fn f() { serde::x(); }"),
            (
                "generated/Cargo.toml",
                "[package]\nname = \"gen\"\nversion = \"0.1.0\"\n",
            ),
            ("target/debug/build/out.rs", "fn f() { serde::x(); }"),
            (".git/hooks/x.rs", "fn f() { serde::x(); }"),
            (
                "src/target/mod.rs",
                "pub fn f() -> serde::de::IgnoredAny { todo!() }",
            ),
        ],
    );
    let analysis = repo.analyze();
    // `src/target` is a module folder, not Cargo's build directory.
    assert_eq!(analysis.files_scanned, 3);
    assert_eq!(crate_ids(&analysis.graph), vec!["crate:svc"]);
    assert_eq!(
        edges(&analysis.graph),
        vec![e("crate:svc", "external:serde", "normal", 1)]
    );
}

#[test]
fn a_missing_root_is_an_error_naming_it() {
    let Err(err) = analyze(&["/no/such/repo".into()], &AnalysisOptions::default()) else {
        panic!("a missing root is an error");
    };
    assert_eq!(
        err.to_string(),
        "repository root `/no/such/repo` does not exist"
    );
}

#[test]
fn two_packages_with_one_name_are_reported() {
    let a = Repo::new(
        "team-a",
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"utils\"\nversion = \"0.1.0\"\n",
            ),
            ("src/lib.rs", ""),
        ],
    );
    let b = Repo::new(
        "team-b",
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"utils\"\nversion = \"0.2.0\"\n",
            ),
            ("src/lib.rs", ""),
        ],
    );
    let analysis = common::analyze_roots(&[&a.root, &b.root]);
    assert_eq!(
        diagnostics(&analysis),
        vec![
            "SCN002 Cargo.toml:2: package name `utils` is also used by team-a/Cargo.toml; capgraph \
             identifies crates by name, so both are counted as one crate"
        ]
    );
    assert_eq!(crate_ids(&analysis.graph), vec!["crate:utils"]);
}
