//! One test per manifest case: how packages, targets, workspaces and every form of dependency
//! declaration turn into crate nodes and edges.

mod common;

use capgraph::extract::{DepKind, DepSource, extract_manifest};
use capgraph::model::Node;
use common::{Repo, analyze_roots, crate_ids, diagnostics, e, edges, sites};

fn package(name: &str) -> String {
    format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n")
}

fn crate_node<'a>(analysis: &'a capgraph::Analysis, id: &str) -> &'a capgraph::model::CrateNode {
    let node_id = capgraph::core::NodeId::parse(id).expect(id);
    let index = analysis.graph.node_index(&node_id).expect(id);
    match &analysis.graph.graph[index] {
        Node::Crate(node) => node,
        _ => panic!("{id} is not a crate"),
    }
}

#[test]
fn dependency_kinds_sources_and_lines() {
    let facts = extract_manifest(
        "[package]\nname = \"svc\"\nversion = \"0.1.0\"\n\
         \n[dependencies]\n\
         serde = \"1\"\n\
         core-lib = { path = \"../core-lib\" }\n\
         checkout-api = { git = \"https://git.example/shop.git\", tag = \"v2\" }\n\
         identity-api = { version = \"1.4\", registry = \"acme\" }\n\
         tokio.workspace = true\n\
         \n[dev-dependencies]\n\
         wiremock = { version = \"0.6\", optional = false }\n\
         \n[build-dependencies]\n\
         tonic-build = \"0.12\"\n",
    )
    .unwrap();
    let summary: Vec<(&str, DepKind, DepSource, u32)> = facts
        .dependencies
        .iter()
        .map(|d| (d.key.as_str(), d.kind, d.source.clone(), d.line))
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "checkout-api",
                DepKind::Normal,
                DepSource::Git {
                    url: "https://git.example/shop.git".into()
                },
                8
            ),
            (
                "core-lib",
                DepKind::Normal,
                DepSource::Path("../core-lib".into()),
                7
            ),
            (
                "identity-api",
                DepKind::Normal,
                DepSource::Registry {
                    registry: Some("acme".into())
                },
                9
            ),
            (
                "serde",
                DepKind::Normal,
                DepSource::Registry { registry: None },
                6
            ),
            ("tokio", DepKind::Normal, DepSource::Inherited, 10),
            (
                "wiremock",
                DepKind::Dev,
                DepSource::Registry { registry: None },
                13
            ),
            (
                "tonic-build",
                DepKind::Build,
                DepSource::Registry { registry: None },
                16
            ),
        ]
    );
}

#[test]
fn target_specific_dependencies_keep_their_platform() {
    let facts = extract_manifest(
        "[package]\nname = \"telemetry\"\nversion = \"0.1.0\"\n\
         [target.'cfg(target_os = \"linux\")'.dependencies]\n\
         procfs = \"0.16\"\n\
         [target.'cfg(unix)'.dev-dependencies]\n\
         nix = \"0.29\"\n",
    )
    .unwrap();
    let summary: Vec<(&str, DepKind, Option<&str>, u32)> = facts
        .dependencies
        .iter()
        .map(|d| (d.key.as_str(), d.kind, d.platform.as_deref(), d.line))
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "procfs",
                DepKind::Normal,
                Some("cfg(target_os = \"linux\")"),
                5
            ),
            ("nix", DepKind::Dev, Some("cfg(unix)"), 7),
        ]
    );
}

#[test]
fn lib_names_default_to_the_package_name_with_underscores_or_take_lib_name() {
    let repo = Repo::new(
        "acme",
        &[
            ("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n"),
            ("crates/http-kit/Cargo.toml", &package("http-kit")),
            ("crates/http-kit/src/lib.rs", ""),
            (
                "crates/telemetry/Cargo.toml",
                &format!("{}[lib]\nname = \"acme_telemetry\"\n", package("telemetry")),
            ),
            ("crates/telemetry/src/lib.rs", ""),
            ("crates/tool/Cargo.toml", &package("tool")),
            ("crates/tool/src/main.rs", "fn main() {}"),
        ],
    );
    let analysis = repo.analyze();
    assert_eq!(
        crate_node(&analysis, "crate:http-kit").lib.as_deref(),
        Some("http_kit")
    );
    assert_eq!(
        crate_node(&analysis, "crate:telemetry").lib.as_deref(),
        Some("acme_telemetry")
    );
    assert_eq!(crate_node(&analysis, "crate:tool").lib, None);
}

#[test]
fn binaries_from_main_src_bin_and_bin_tables() {
    let repo = Repo::new(
        "acme",
        &[
            (
                "Cargo.toml",
                &format!(
                    "{}[[bin]]\nname = \"admin\"\npath = \"tools/admin.rs\"\n",
                    package("catalog-svc")
                ),
            ),
            ("src/main.rs", "fn main() {}"),
            ("src/bin/backfill.rs", "fn main() {}"),
            ("src/bin/reindex/main.rs", "fn main() {}"),
            ("tools/admin.rs", "fn main() {}"),
        ],
    );
    let analysis = repo.analyze();
    assert_eq!(
        crate_node(&analysis, "crate:catalog-svc").bins,
        vec!["admin", "backfill", "catalog-svc", "reindex"]
    );
}

#[test]
fn workspace_members_globs_and_exclude() {
    let repo = Repo::new(
        "shop",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"domains/*/*\", \"tools/xtask\"]\n\
                 exclude = [\"domains/payments/payments-legacy\"]\n",
            ),
            (
                "domains/payments/payments-core/Cargo.toml",
                &package("payments-core"),
            ),
            ("domains/payments/payments-core/src/lib.rs", ""),
            (
                "domains/payments/payments-legacy/Cargo.toml",
                &package("payments-legacy"),
            ),
            ("domains/payments/payments-legacy/src/lib.rs", ""),
            ("domains/checkout/cart/Cargo.toml", &package("cart")),
            ("domains/checkout/cart/src/lib.rs", ""),
            ("tools/xtask/Cargo.toml", &package("xtask")),
            ("tools/xtask/src/main.rs", "fn main() {}"),
        ],
    );
    let analysis = repo.analyze();
    let workspace_of = |id: &str| crate_node(&analysis, id).workspace.clone();
    assert_eq!(workspace_of("crate:payments-core"), "");
    assert_eq!(workspace_of("crate:cart"), "");
    assert_eq!(workspace_of("crate:xtask"), "");
    // Excluded: a package of its own, still scanned.
    assert_eq!(
        workspace_of("crate:payments-legacy"),
        "domains/payments/payments-legacy"
    );
}

#[test]
fn member_globs_do_not_cross_directories() {
    let repo = Repo::new(
        "shop",
        &[
            ("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n"),
            ("crates/a/Cargo.toml", &package("a")),
            ("crates/a/src/lib.rs", ""),
            ("crates/a/nested/b/Cargo.toml", &package("b")),
            ("crates/a/nested/b/src/lib.rs", ""),
        ],
    );
    let analysis = repo.analyze();
    assert_eq!(crate_node(&analysis, "crate:a").workspace, "");
    assert_eq!(
        crate_node(&analysis, "crate:b").workspace,
        "crates/a/nested/b"
    );
}

#[test]
fn workspace_inheritance_and_renames_resolve_to_the_crate() {
    let repo = Repo::new(
        "shop",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"crates/*\"]\n\
                 [workspace.dependencies]\n\
                 identity-api = { path = \"crates/identity-api\" }\n\
                 tokio = { version = \"1\", features = [\"full\"] }\n",
            ),
            ("crates/identity-api/Cargo.toml", &package("identity-api")),
            ("crates/identity-api/src/lib.rs", "pub struct Claims;"),
            ("crates/catalog-api/Cargo.toml", &package("catalog-api")),
            ("crates/catalog-api/src/lib.rs", "pub struct Product;"),
            (
                "crates/checkout/Cargo.toml",
                &format!(
                    "{}[dependencies]\n\
                     identity-api.workspace = true\n\
                     tokio = {{ workspace = true }}\n\
                     catalog = {{ package = \"catalog-api\", path = \"../catalog-api\" }}\n",
                    package("checkout")
                ),
            ),
            (
                "crates/checkout/src/lib.rs",
                "use identity_api::Claims;\n\
                 use catalog::Product;\n\
                 pub async fn f(c: Claims) -> catalog::Product { tokio::task::yield_now().await; todo!() }\n",
            ),
        ],
    );
    let analysis = repo.analyze();
    assert_eq!(
        edges(&analysis.graph),
        vec![
            e("crate:checkout", "crate:catalog-api", "normal", 2),
            // The import, and `Claims` in the signature.
            e("crate:checkout", "crate:identity-api", "normal", 2),
            e("crate:checkout", "external:tokio", "normal", 1),
        ]
    );
    assert_eq!(
        sites(
            &analysis.graph,
            "crate:checkout",
            "crate:catalog-api",
            "normal"
        ),
        vec![
            "crates/checkout/src/lib.rs:2",
            "crates/checkout/src/lib.rs:3"
        ]
    );
    let edge = analysis
        .graph
        .edges_sorted()
        .into_iter()
        .find(|(_, to, _)| to.id() == "crate:identity-api")
        .unwrap()
        .2
        .clone();
    assert_eq!(edge.source, "workspace");
    assert_eq!(&*edge.declared_at.path, "crates/checkout/Cargo.toml");
    assert_eq!(edge.declared_at.line, 6);
    assert!(
        diagnostics(&analysis).is_empty(),
        "{:?}",
        diagnostics(&analysis)
    );
}

#[test]
fn inheriting_a_dependency_the_workspace_lacks_is_a_diagnostic() {
    let repo = Repo::new(
        "shop",
        &[
            ("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n"),
            (
                "a/Cargo.toml",
                &format!("{}[dependencies]\nserde.workspace = true\n", package("a")),
            ),
            ("a/src/lib.rs", ""),
        ],
    );
    assert_eq!(
        diagnostics(&repo.analyze()),
        vec![
            "SCN002 a/Cargo.toml:6: dependency `serde` has `workspace = true`, but the workspace \
             at Cargo.toml declares no such dependency in [workspace.dependencies]; Cargo cannot \
             build it"
        ]
    );
}

/// A package left out of the workspace (by `exclude`, by `members` that do not list it, or
/// by its own `[workspace]` table) has nothing to inherit: one SCN002 per package names that
/// cause, however many dependencies it inherits, and the dependencies the root declares are
/// never said to be missing from it.
#[test]
fn a_package_out_of_the_workspace_gets_one_diagnostic_naming_why() {
    let inheriting = |name: &str, tail: &str| {
        format!(
            "{}[dependencies]\nserde.workspace = true\nanyhow = {{ workspace = true }}\n{tail}",
            package(name)
        )
    };
    let repo = Repo::new(
        "shop",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"crates/*\", \"tools/listed\"]\n\
                 exclude = [\"crates/experimental\"]\n\n\
                 [workspace.dependencies]\nserde = \"1\"\nanyhow = \"1\"\n",
            ),
            ("crates/a/Cargo.toml", &inheriting("a", "")),
            ("crates/a/src/lib.rs", ""),
            // Left out by `exclude` (with a comment saying why, in real workspaces).
            (
                "crates/experimental/Cargo.toml",
                &inheriting("experimental", ""),
            ),
            ("crates/experimental/src/lib.rs", ""),
            // Not matched by any `members` glob.
            ("tools/unlisted/Cargo.toml", &inheriting("unlisted", "")),
            ("tools/unlisted/src/main.rs", "fn main() {}\n"),
            // Its own workspace root, as fuzz crates often are.
            (
                "crates/a/fuzz/Cargo.toml",
                &inheriting("a-fuzz", "\n[workspace]\nmembers = [\".\"]\n"),
            ),
            ("crates/a/fuzz/src/main.rs", "fn main() {}\n"),
        ],
    );
    let analysis = repo.analyze();
    let standalone = |id: &str| crate_node(&analysis, id).standalone;
    // Out of every workspace: standalone. Its own workspace root: a workspace of one.
    assert!(standalone("crate:experimental") && standalone("crate:unlisted"));
    assert!(!standalone("crate:a") && !standalone("crate:a-fuzz"));
    assert_eq!(
        diagnostics(&analysis),
        vec![
            "SCN002 crates/a/fuzz/Cargo.toml:6: 2 dependencies (`serde`, `anyhow`) have \
             `workspace = true`, but this manifest is its own workspace root, and its \
             [workspace.dependencies] declares none of them; Cargo cannot build it",
            "SCN002 crates/experimental/Cargo.toml:6: 2 dependencies (`serde`, `anyhow`) have \
             `workspace = true`, but the package belongs to no workspace: the workspace at \
             Cargo.toml excludes it (`exclude`), so there is nothing to inherit from; Cargo \
             cannot build it",
            "SCN002 tools/unlisted/Cargo.toml:6: 2 dependencies (`serde`, `anyhow`) have \
             `workspace = true`, but the package belongs to no workspace: the `members` of the \
             workspace at Cargo.toml do not list it, so there is nothing to inherit from; Cargo \
             cannot build it",
        ]
    );
}

#[test]
fn dev_and_build_dependencies_take_references_from_tests_and_build_scripts() {
    let repo = Repo::new(
        "payments",
        &[
            (
                "Cargo.toml",
                &format!(
                    "{}[dependencies]\nprost = \"0.13\"\n\
                     [dev-dependencies]\nwiremock = \"0.6\"\nprost = \"0.13\"\n\
                     [build-dependencies]\ntonic-build = \"0.12\"\n",
                    package("payments-api")
                ),
            ),
            (
                "build.rs",
                "fn main() { tonic_build::compile_protos(\"p.proto\").unwrap(); }\n",
            ),
            (
                "src/lib.rs",
                "pub fn f() -> prost::bytes::Bytes { todo!() }\n\
                 #[cfg(test)]\nmod tests {\n    fn t() { wiremock::MockServer::start(); prost::Message::encode(); }\n}\n",
            ),
            (
                "tests/api.rs",
                "#[test]\nfn t() { wiremock::Mock::given(); }\n",
            ),
        ],
    );
    let analysis = repo.analyze();
    assert_eq!(
        edges(&analysis.graph),
        vec![
            e("crate:payments-api", "external:prost", "normal", 1),
            e("crate:payments-api", "external:prost", "dev", 1),
            e("crate:payments-api", "external:tonic-build", "build", 1),
            e("crate:payments-api", "external:wiremock", "dev", 2),
        ]
    );
    assert_eq!(
        sites(
            &analysis.graph,
            "crate:payments-api",
            "external:wiremock",
            "dev"
        ),
        vec!["src/lib.rs:4", "tests/api.rs:2"]
    );
}

#[test]
fn target_specific_dependencies_are_normal_edges_with_platforms() {
    let repo = Repo::new(
        "obs",
        &[
            (
                "Cargo.toml",
                &format!(
                    "{}[target.'cfg(target_os = \"linux\")'.dependencies]\nprocfs = \"0.16\"\n",
                    package("telemetry")
                ),
            ),
            (
                "src/lib.rs",
                "pub fn rss() -> u64 { procfs::process::Process::myself(); 0 }\n",
            ),
        ],
    );
    let analysis = repo.analyze();
    let (_, _, edge) = analysis.graph.edges_sorted()[0];
    assert_eq!(edge.kind, DepKind::Normal);
    assert_eq!(edge.refs, 1);
    assert_eq!(
        edge.platforms,
        vec!["cfg(target_os = \"linux\")".to_string()]
    );
}

#[test]
fn git_and_registry_dependencies_on_a_scanned_crate_are_edges_to_it() {
    let shop = Repo::new(
        "shop",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"checkout-api\", \"identity-api\"]\n",
            ),
            ("checkout-api/Cargo.toml", &package("checkout-api")),
            ("checkout-api/src/lib.rs", "pub struct Order;"),
            ("identity-api/Cargo.toml", &package("identity-api")),
            ("identity-api/src/lib.rs", "pub struct Claims;"),
        ],
    );
    let warehouse = Repo::new(
        "warehouse",
        &[
            (
                "Cargo.toml",
                &format!(
                    "{}[dependencies]\n\
                 checkout-api = {{ git = \"https://git.acme.internal/shop.git\", tag = \"v2\" }}\n\
                 identity-api = {{ version = \"1.4\", registry = \"acme\" }}\n",
                    package("fulfillment")
                ),
            ),
            (
                "src/main.rs",
                "use checkout_api::Order;\nfn main() { let c: identity_api::Claims; }\n",
            ),
        ],
    );
    let analysis = analyze_roots(&[&shop.root, &warehouse.root]);
    assert_eq!(
        edges(&analysis.graph),
        vec![
            e("crate:fulfillment", "crate:checkout-api", "normal", 1),
            e("crate:fulfillment", "crate:identity-api", "normal", 1),
        ]
    );
    assert_eq!(
        crate_ids(&analysis.graph),
        vec![
            "crate:checkout-api",
            "crate:fulfillment",
            "crate:identity-api"
        ]
    );
}

#[test]
fn unused_declarations_and_undeclared_uses_are_kept() {
    let repo = Repo::new(
        "shop",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"a\", \"b\", \"c\"]\n",
            ),
            (
                "a/Cargo.toml",
                &format!(
                    "{}[dependencies]\nb = {{ path = \"../b\" }}\nserde = \"1\"\n",
                    package("a")
                ),
            ),
            ("a/src/lib.rs", "pub fn f() { c::run(); c::stop(); }\n"),
            (
                "b/Cargo.toml",
                &format!("{}[dependencies]\nserde = \"1\"\n", package("b")),
            ),
            (
                "b/src/lib.rs",
                "pub fn g() -> serde::de::IgnoredAny { todo!() }\n",
            ),
            ("c/Cargo.toml", &package("c")),
            ("c/src/lib.rs", "pub fn run() {}\n"),
        ],
    );
    let analysis = repo.analyze();
    assert_eq!(
        edges(&analysis.graph),
        vec![
            e("crate:a", "crate:b", "normal", 0),
            e("crate:a", "external:serde", "normal", 0),
            e("crate:b", "external:serde", "normal", 1),
        ]
    );
    let a = crate_node(&analysis, "crate:a");
    assert_eq!(a.undeclared.len(), 1);
    assert_eq!(a.undeclared[0].target, "crate:c");
    assert_eq!(a.undeclared[0].refs, 2);
}

#[test]
fn extern_crate_aliases_apply_to_the_whole_crate() {
    let repo = Repo::new(
        "obs",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"telemetry\", \"http-kit\"]\n",
            ),
            (
                "telemetry/Cargo.toml",
                &format!("{}[lib]\nname = \"acme_telemetry\"\n", package("telemetry")),
            ),
            ("telemetry/src/lib.rs", "pub fn init() {}\n"),
            (
                "http-kit/Cargo.toml",
                &format!(
                    "{}[dependencies]\ntelemetry = {{ path = \"../telemetry\" }}\n",
                    package("http-kit")
                ),
            ),
            (
                "http-kit/src/lib.rs",
                "extern crate acme_telemetry as telemetry;\nmod client;\n",
            ),
            (
                "http-kit/src/client.rs",
                "pub fn build() { telemetry::init(); }\n",
            ),
        ],
    );
    let analysis = repo.analyze();
    assert_eq!(
        edges(&analysis.graph),
        vec![e("crate:http-kit", "crate:telemetry", "normal", 2)]
    );
    assert_eq!(
        sites(
            &analysis.graph,
            "crate:http-kit",
            "crate:telemetry",
            "normal"
        ),
        vec!["http-kit/src/client.rs:1", "http-kit/src/lib.rs:1"]
    );
}

#[test]
fn binaries_using_their_own_library_are_not_dependencies() {
    let repo = Repo::new(
        "svc",
        &[
            ("Cargo.toml", &package("catalog-svc")),
            ("src/lib.rs", "pub fn app() {}\n"),
            ("src/main.rs", "fn main() { catalog_svc::app(); }\n"),
        ],
    );
    let analysis = repo.analyze();
    assert!(edges(&analysis.graph).is_empty());
    assert!(
        crate_node(&analysis, "crate:catalog-svc")
            .undeclared
            .is_empty()
    );
}

#[test]
fn a_bad_capgraph_metadata_value_costs_that_key_not_the_crate() {
    let repo = Repo::new(
        "shop",
        &[
            ("Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\n"),
            (
                "capgraph.toml",
                "[teams.orders]\n\n[capabilities.checkout]\nteam = \"orders\"\n",
            ),
            (
                "a/Cargo.toml",
                &format!(
                    "{}\n[package.metadata.capgraph]\ncapability = \"checkout\"\ncontract = \"yes\"\n\
                     capabilty = \"checkout\"\n\n[dependencies]\nb = {{ path = \"../b\" }}\n",
                    package("a")
                ),
            ),
            ("a/src/lib.rs", "pub fn f() { b::g(); }\n"),
            ("b/Cargo.toml", &package("b")),
            ("b/src/lib.rs", "pub fn g() {}\n"),
        ],
    );
    let analysis = repo.analyze();
    assert_eq!(crate_ids(&analysis.graph), ["crate:a", "crate:b"]);
    assert_eq!(
        edges(&analysis.graph),
        vec![e("crate:a", "crate:b", "normal", 1)]
    );
    // The valid key still decides ownership.
    assert_eq!(
        crate_node(&analysis, "crate:a").capability.as_deref(),
        Some("checkout")
    );
    assert_eq!(
        diagnostics(&analysis),
        vec![
            "SCN002 a/Cargo.toml:8: `package.metadata.capgraph.contract` must be true or false, \
             not \"yes\"; the key is ignored",
            "SCN002 a/Cargo.toml:9: unknown key `package.metadata.capgraph.capabilty` (capgraph \
             reads `capability`, `team`, `contract`); it is ignored",
        ]
    );
}

/// A workspace whose `members` lists one crate, while the crates it reaches through
/// `[workspace.dependencies]` paths (inherited, renamed, target-specific) are members as
/// Cargo makes them: their own `workspace = true` declarations resolve, and no SCN002 says the
/// workspace lacks what it declares.
#[test]
fn path_dependencies_inherited_from_the_workspace_make_implicit_members() {
    let repo = Repo::new(
        "ws",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"crates/app\"]\n\
                 \n[workspace.dependencies]\n\
                 store = { path = \"crates/store\" }\n\
                 wire = { path = \"crates/codec\", package = \"codec\" }\n\
                 tokio = \"1\"\n",
            ),
            (
                "crates/app/Cargo.toml",
                &format!(
                    "{}[dependencies]\nstore = {{ workspace = true }}\ntokio.workspace = true\n\
                     [target.'cfg(unix)'.dependencies]\nwire.workspace = true\n",
                    package("app")
                ),
            ),
            (
                "crates/app/src/main.rs",
                "fn main() { store::open(); wire::encode(); }\n",
            ),
            (
                "crates/store/Cargo.toml",
                &format!(
                    "{}[dependencies]\ntokio.workspace = true\nwire.workspace = true\n",
                    package("store")
                ),
            ),
            (
                "crates/store/src/lib.rs",
                "pub fn open() { wire::encode(); tokio::spawn(async {}); }\n",
            ),
            ("crates/codec/Cargo.toml", &package("codec")),
            ("crates/codec/src/lib.rs", "pub fn encode() {}\n"),
        ],
    );
    let analysis = repo.analyze();
    assert_eq!(diagnostics(&analysis), Vec::<String>::new());
    for name in ["app", "store", "codec"] {
        assert_eq!(
            crate_node(&analysis, &format!("crate:{name}")).workspace,
            "",
            "{name} is a member of the root workspace"
        );
    }
    assert_eq!(
        edges(&analysis.graph),
        vec![
            e("crate:app", "crate:codec", "normal", 1),
            e("crate:app", "crate:store", "normal", 1),
            e("crate:app", "external:tokio", "normal", 0),
            e("crate:store", "crate:codec", "normal", 1),
            e("crate:store", "external:tokio", "normal", 1),
        ]
    );
}

/// A package's dependency on itself (a dev-dependency on `path = "."` to turn on a feature,
/// directly or through the workspace) is no edge; a fork that depends on the registry crate
/// it forks depends on that third-party crate, not on itself.
#[test]
fn a_package_never_depends_on_itself() {
    let repo = Repo::new(
        "ws",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"catalog\", \"collection\", \"skiplist\"]\n\
                 \n[workspace.dependencies]\ncatalog = { path = \"catalog\" }\n",
            ),
            (
                "catalog/Cargo.toml",
                &format!(
                    "{}[dev-dependencies]\ncatalog = {{ workspace = true, features = [\"testing\"] }}\n",
                    package("catalog")
                ),
            ),
            ("catalog/src/lib.rs", "pub fn f() {}\n"),
            ("catalog/tests/t.rs", "use catalog::f;\n"),
            (
                "collection/Cargo.toml",
                &format!(
                    "{}[dev-dependencies]\ncollection = {{ path = \".\", features = [\"testing\"] }}\n",
                    package("collection")
                ),
            ),
            ("collection/src/lib.rs", "pub fn g() {}\n"),
            (
                "skiplist/Cargo.toml",
                &format!(
                    "{}[dependencies]\nupstream = {{ version = \"0.1\", package = \"skiplist\" }}\n",
                    package("skiplist")
                ),
            ),
            ("skiplist/src/lib.rs", "pub use upstream::SkipList;\n"),
        ],
    );
    let analysis = repo.analyze();
    assert_eq!(
        edges(&analysis.graph),
        vec![e("crate:skiplist", "external:skiplist", "normal", 1)]
    );
}

/// Only the source makes a dependency local: a crates.io dependency is the third-party crate
/// even when a scanned crate (a test fixture, a vendored copy) has its name; a git URL is
/// local only when it names a scanned repository.
#[test]
fn a_registry_or_foreign_git_dependency_is_not_a_scanned_namesake() {
    let repo = Repo::new(
        "tool",
        &[
            (
                "Cargo.toml",
                &format!(
                    "{}[dependencies]\nserde = \"1\"\n\
                     verifier = {{ git = \"https://example.com/other/prover.git\" }}\n",
                    package("tool")
                ),
            ),
            (
                "src/lib.rs",
                "use serde::Serialize;\nuse verifier::check;\n",
            ),
            ("tests/fixtures/serde/Cargo.toml", &package("serde")),
            (
                "tests/fixtures/serde/src/lib.rs",
                "pub trait Serialize {}\n",
            ),
            ("vendor/verifier/Cargo.toml", &package("verifier")),
            ("vendor/verifier/src/lib.rs", "pub fn check() {}\n"),
        ],
    );
    let analysis = repo.analyze();
    assert_eq!(
        edges(&analysis.graph),
        vec![
            e("crate:tool", "external:serde", "normal", 1),
            e("crate:tool", "external:verifier", "normal", 1),
        ]
    );
}

/// `exclude` keeps out what sits under it, except a path `members` names literally: Cargo
/// lets an explicit member win over an excluded parent directory (a glob never does).
#[test]
fn a_literal_member_under_an_excluded_directory_stays_a_member() {
    let repo = Repo::new(
        "ws",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"components/*\", \"components/plugins/example\"]\n\
                 exclude = [\"components/plugins\", \"components/legacy\"]\n\
                 \n[workspace.dependencies]\napi = { path = \"components/api\" }\n",
            ),
            ("components/api/Cargo.toml", &package("api")),
            ("components/api/src/lib.rs", ""),
            (
                "components/plugins/example/Cargo.toml",
                &format!(
                    "{}[dependencies]\napi.workspace = true\n",
                    package("example")
                ),
            ),
            ("components/plugins/example/src/lib.rs", "use api as _;\n"),
            ("components/legacy/Cargo.toml", &package("legacy")),
            ("components/legacy/src/lib.rs", ""),
        ],
    );
    let analysis = repo.analyze();
    assert_eq!(diagnostics(&analysis), Vec::<String>::new());
    let workspace_of = |id: &str| crate_node(&analysis, id).workspace.clone();
    assert_eq!(workspace_of("crate:example"), "");
    assert_eq!(workspace_of("crate:api"), "");
    assert_eq!(workspace_of("crate:legacy"), "components/legacy");
    assert_eq!(
        edges(&analysis.graph),
        vec![e("crate:example", "crate:api", "normal", 1)]
    );
}

/// `[patch.SOURCE]` in the workspace root puts a scanned package in place of a registry or
/// git dependency: the dependency is an edge to it (source `patch`). A `[patch]` anywhere else
/// is ignored, as Cargo ignores it.
#[test]
fn a_patch_in_the_workspace_root_resolves_to_the_patched_package() {
    let repo = Repo::new(
        "shop",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"a\", \"b\", \"vendor/*\"]\n\n\
                 [patch.crates-io]\nshared = { path = \"vendor/shared\" }\n\n\
                 [patch.\"https://github.com/acme/tools\"]\nhelper = { path = \"vendor/helper\" }\n",
            ),
            (
                "a/Cargo.toml",
                &format!(
                    "{}[dependencies]\nshared = \"1\"\nhelper = {{ git = \"https://github.com/acme/tools.git\" }}\n",
                    package("a")
                ),
            ),
            ("a/src/lib.rs", "pub use shared::X;\npub use helper::Y;\n"),
            // Depends on the registry crate `other`, which only a member's own [patch] names.
            (
                "b/Cargo.toml",
                &format!(
                    "{}[dependencies]\nother = \"1\"\n\n[patch.crates-io]\nother = {{ path = \"../vendor/other\" }}\n",
                    package("b")
                ),
            ),
            ("b/src/lib.rs", "pub use other::Z;\n"),
            ("vendor/shared/Cargo.toml", &package("shared")),
            ("vendor/shared/src/lib.rs", "pub struct X;\n"),
            ("vendor/helper/Cargo.toml", &package("helper")),
            ("vendor/helper/src/lib.rs", "pub struct Y;\n"),
            ("vendor/other/Cargo.toml", &package("other")),
            ("vendor/other/src/lib.rs", "pub struct Z;\n"),
        ],
    );
    let analysis = repo.analyze();
    assert_eq!(
        edges(&analysis.graph),
        vec![
            e("crate:a", "crate:helper", "normal", 1),
            e("crate:a", "crate:shared", "normal", 1),
            e("crate:b", "external:other", "normal", 1),
        ]
    );
    let sources: Vec<&str> = analysis
        .graph
        .edges_sorted()
        .into_iter()
        .map(|(_, _, edge)| edge.source)
        .collect();
    assert_eq!(sources, ["patch", "patch", "registry"]);
}
