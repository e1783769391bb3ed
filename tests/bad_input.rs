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
        vec![
            "SCN001 src/lib.rs:2: code nests deeper than 5000 levels (brackets, operators, \
             generics, closures or chains); file not parsed"
        ]
    );
}

#[test]
fn long_operator_chains_within_the_limit_parse() {
    let terms = capgraph::extract::source::MAX_NESTING - 10;
    let chain = format!(
        "fn f() -> u64 {{ {} }}\n",
        vec!["serde_json::x()"; terms].join(" + ")
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
        vec![e(
            "crate:svc",
            "external:serde_json",
            "normal",
            terms as u32
        )]
    );
}

/// Nesting needs no brackets: each of these 100 KB files would overflow the parser's stack
/// (or the visitors', or the tree's drop) if it were parsed. Each is refused at the line
/// where it goes too deep, and the other files of the run are scanned.
#[test]
fn nesting_without_brackets_is_reported_not_crashed_on() {
    type Shape = (&'static str, fn(usize) -> String);
    let shapes: &[Shape] = &[
        ("references", |n| format!("type T = {}u8;\n", "&".repeat(n))),
        ("generics", |n| {
            format!("type T = {}u8{};\n", "Vec<".repeat(n), ">".repeat(n))
        }),
        ("closures", |n| {
            format!("fn f() {{ let g = {}1; }}\n", "|| ".repeat(n))
        }),
        ("returns", |n| {
            format!("fn f() {{ {}1; }}\n", "return ".repeat(n))
        }),
        ("negations", |n| {
            format!("fn f() -> bool {{ {}true }}\n", "!".repeat(n))
        }),
        ("method chains", |n| {
            format!("fn f() {{ x{}; }}\n", ".f()".repeat(n))
        }),
        ("sums", |n| format!("fn f() {{ x{}; }}\n", "+x".repeat(n))),
        ("casts", |n| {
            format!("fn f() {{ x{}; }}\n", " as u8".repeat(n))
        }),
        ("else-if chains", |n| {
            format!("fn f() {{ if a {{}} {}}}\n", "else if a {} ".repeat(n))
        }),
    ];
    for (shape, make) in shapes {
        let repo = Repo::new(
            "acme",
            &[
                ("Cargo.toml", MANIFEST),
                (
                    "src/lib.rs",
                    "mod deep;\npub fn f() -> serde::de::IgnoredAny { todo!() }\n",
                ),
                ("src/deep.rs", &format!("// {shape}\n{}", make(50_000))),
            ],
        );
        let analysis = repo.analyze();
        let found = diagnostics(&analysis);
        assert_eq!(found.len(), 1, "{shape}: {found:?}");
        assert!(
            found[0].starts_with("SCN001 src/deep.rs:2: code nests deeper than 5000 levels"),
            "{shape}: {found:?}"
        );
        assert_eq!(
            edges(&analysis.graph),
            vec![e("crate:svc", "external:serde", "normal", 1)],
            "{shape}"
        );
    }
}

/// Brackets inside strings, characters and comments nest nothing.
#[test]
fn brackets_in_strings_and_comments_do_not_count_as_nesting() {
    let open = "(".repeat(6_000);
    let text = format!(
        "// {open}\n/* {open} */\npub const S: &str = \"{open}\";\npub const C: char = '(';\n\
         pub fn f() -> serde::de::IgnoredAny {{ todo!() }}\n"
    );
    let repo = Repo::new("acme", &[("Cargo.toml", MANIFEST), ("src/lib.rs", &text)]);
    let analysis = repo.analyze();
    assert!(
        diagnostics(&analysis).is_empty(),
        "{:?}",
        diagnostics(&analysis)
    );
    assert_eq!(
        edges(&analysis.graph),
        vec![e("crate:svc", "external:serde", "normal", 1)]
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

/// Packages of one name in different repositories or workspaces (an `xtask` or `utils` in
/// each, test fixtures) are different crates: each gets an id of its own, `NAME@REPO/DIR`, and
/// a path dependency reaches the one it names. Two of one name in one workspace, which Cargo
/// refuses, are reported.
#[test]
fn packages_sharing_a_name_stay_apart_and_one_workspace_may_not_have_two() {
    let package = |name: &str| format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n");
    let a = Repo::new(
        "team-a",
        &[("Cargo.toml", &package("utils")), ("src/lib.rs", "")],
    );
    let b = Repo::new(
        "team-b",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"utils\", \"svc\"]\n",
            ),
            ("utils/Cargo.toml", &package("utils")),
            ("utils/src/lib.rs", ""),
            (
                "svc/Cargo.toml",
                &format!(
                    "{}[dependencies]\nutils = {{ path = \"../utils\" }}\n",
                    package("svc")
                ),
            ),
            ("svc/src/lib.rs", "pub use utils::*;\n"),
        ],
    );
    let c = Repo::new(
        "team-c",
        &[
            ("Cargo.toml", "[workspace]\nmembers = [\"one\", \"two\"]\n"),
            ("one/Cargo.toml", &package("dup")),
            ("one/src/lib.rs", ""),
            ("two/Cargo.toml", &package("dup")),
            ("two/src/lib.rs", ""),
        ],
    );
    let analysis = common::analyze_roots(&[&a.root, &b.root, &c.root]);
    assert_eq!(
        diagnostics(&analysis),
        vec![
            "SCN002 two/Cargo.toml:2: package name `dup` is also used by team-c/one/Cargo.toml \
             in the same workspace; Cargo refuses two packages of one name in a workspace"
        ]
    );
    assert_eq!(
        crate_ids(&analysis.graph),
        vec![
            "crate:dup@team-c/one",
            "crate:dup@team-c/two",
            "crate:svc",
            "crate:utils@team-a",
            "crate:utils@team-b/utils"
        ]
    );
    assert_eq!(
        common::edges(&analysis.graph),
        vec![common::e(
            "crate:svc",
            "crate:utils@team-b/utils",
            "normal",
            1
        )]
    );
    // `owners --explain utils` cannot pick one: it lists the ids to give instead.
    let err = capgraph::report::owners::explain(&analysis, "utils").unwrap_err();
    assert_eq!(
        err.to_string(),
        "several crates are named `utils`: utils@team-a, utils@team-b/utils; give one of these ids"
    );
    assert!(capgraph::report::owners::explain(&analysis, "utils@team-a").is_ok());
}

/// A file over its kind's size bound is reported and not read, whatever its apparent size
/// (here a sparse 6 GiB file that costs no disk).
#[test]
fn a_file_over_the_size_bound_is_reported_unread() {
    let repo = Repo::new(
        "acme",
        &[
            ("Cargo.toml", MANIFEST),
            (
                "src/lib.rs",
                "pub fn f() -> serde::de::IgnoredAny { todo!() }\n",
            ),
        ],
    );
    let big = std::fs::File::create(repo.path("src/big.rs")).unwrap();
    big.set_len(6 << 30).unwrap();
    let analysis = repo.analyze();
    assert_eq!(
        diagnostics(&analysis),
        vec!["SCN001 src/big.rs: file is 6 GiB, over the 16 MiB limit for Rust sources; not read"]
    );
    assert_eq!(
        edges(&analysis.graph),
        vec![e("crate:svc", "external:serde", "normal", 1)]
    );
}

/// A FIFO (or socket, or device) under a name capgraph reads is reported, never opened: a
/// read could block for ever.
#[cfg(unix)]
#[test]
fn a_fifo_is_reported_not_read() {
    let repo = Repo::new("acme", &[("Cargo.toml", MANIFEST), ("src/lib.rs", "")]);
    let status = std::process::Command::new("mkfifo")
        .arg(repo.path("src/pipe.rs"))
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let analysis = repo.analyze();
    assert_eq!(
        diagnostics(&analysis),
        vec!["SCN001 src/pipe.rs: not a regular file; not read"]
    );
}

/// Links to directories are not followed (their targets are walked at their own paths), so a
/// "diamond" of 40 levels, each linking twice to the next, costs 40 directories, not 2^40
/// paths.
#[cfg(unix)]
#[test]
fn a_diamond_of_directory_links_is_walked_once() {
    let repo = Repo::new(
        "acme",
        &[
            ("Cargo.toml", MANIFEST),
            (
                "src/lib.rs",
                "pub fn f() -> serde::de::IgnoredAny { todo!() }\n",
            ),
            ("d40/x.rs", "fn f() {}\n"),
        ],
    );
    for i in 0..40 {
        std::fs::create_dir_all(repo.path(&format!("d{i}"))).unwrap();
        for side in ["l", "r"] {
            let link = repo.path(&format!("d{i}/{side}"));
            std::os::unix::fs::symlink(format!("../d{}", i + 1), link).unwrap();
        }
    }
    let analysis = repo.analyze();
    assert!(
        diagnostics(&analysis).is_empty(),
        "{:?}",
        diagnostics(&analysis)
    );
    assert_eq!(analysis.files_scanned, 3);
}

/// YAML that would cost minutes (deep flow nesting) or gigabytes (one large anchor repeated
/// by thousands of aliases) is refused before it is parsed, with a finding at its file.
#[test]
fn hostile_yaml_is_refused_with_a_finding() {
    let deep = format!("{}1{}\n", "{a: ".repeat(20_000), "}".repeat(20_000));
    let big = "a".repeat(1 << 20);
    let aliases: String = (0..100).map(|i| format!("      V{i}: *big\n")).collect();
    let compose = format!(
        "x-big: &big \"{big}\"\nservices:\n  svc:\n    image: svc\n    environment:\n{aliases}"
    );
    let repo = Repo::new(
        "acme",
        &[
            ("Cargo.toml", MANIFEST),
            (
                "src/lib.rs",
                "pub fn f() -> serde::de::IgnoredAny { todo!() }\n",
            ),
            ("catalog-info.yaml", &format!("# deep\n{deep}")),
            ("docker-compose.yml", &compose),
        ],
    );
    let analysis = repo.analyze();
    assert_eq!(
        diagnostics(&analysis),
        vec![
            "SCN002 catalog-info.yaml:2: flow collections nest deeper than 256 levels; not read",
            "SCN002 docker-compose.yml:1: docker-compose file: aliases expand the document past \
             64 MiB; not read",
        ]
    );
    assert_eq!(
        edges(&analysis.graph),
        vec![e("crate:svc", "external:serde", "normal", 1)]
    );
}
