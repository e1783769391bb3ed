//! The run-time graph: call resolution measured against hand-labelled fixtures (precision and
//! recall of call sites), and the exact service graph of the sample company.

mod common;

use capgraph::model::services::{RuntimeKind, ServiceGraph};
use std::collections::BTreeSet;
use std::path::Path;

/// `caller site -> callee protocol` for every call site of the graph.
fn call_sites(services: &ServiceGraph) -> BTreeSet<String> {
    let mut sites = BTreeSet::new();
    for (from, to, edge) in services.edges_sorted() {
        if edge.kind != RuntimeKind::Calls {
            continue;
        }
        for site in &edge.sites {
            sites.insert(format!(
                "{} {}:{} -> {} {}",
                from.name(),
                site.path,
                site.line,
                to.name(),
                edge.protocol.unwrap_or("?")
            ));
        }
    }
    sites
}

#[test]
fn call_resolution_on_the_labelled_fixture_has_full_precision() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/calls-org");
    let analysis = common::analyze_roots(&[&root]);
    let expected: BTreeSet<String> = std::fs::read_to_string(root.join("expected-calls.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let found = call_sites(&analysis.services);
    let unresolved = |s: &String| s.contains(" -> unknown ");
    // A site reported with a callee must be right; an unresolved one is only a miss when the
    // real callee is a scanned service.
    let wrong: Vec<&String> = found
        .iter()
        .filter(|s| !expected.contains(*s))
        .filter(|s| !unresolved(s))
        .collect();
    let false_unknown: Vec<&String> = found
        .iter()
        .filter(|s| unresolved(s) && !expected.contains(*s))
        .filter(|s| {
            let site = s.split(" -> ").next().unwrap();
            !expected
                .iter()
                .any(|e| e.starts_with(&format!("{site} -> ")))
        })
        .collect();
    let correct = found.intersection(&expected).count();
    let reported = found
        .iter()
        .filter(|s| !unresolved(s) || expected.contains(*s))
        .count();
    let precision = correct as f64 / reported as f64;
    let recall = correct as f64 / expected.len() as f64;
    println!(
        "call sites: {} expected, {} found, {correct} correct; precision {precision:.2}, recall {recall:.2}",
        expected.len(),
        found.len()
    );
    assert!(wrong.is_empty(), "wrong callees: {wrong:#?}");
    assert!(
        false_unknown.is_empty(),
        "not calls at all: {false_unknown:#?}"
    );
    // The one miss is the /health probe whose base only its caller knows.
    let missed: Vec<&String> = expected.difference(&found).collect();
    assert_eq!(missed, ["gateway gateway/src/main.rs:27 -> orders http"]);
    assert!(
        found.contains("gateway gateway/src/main.rs:27 -> unknown http"),
        "the ambiguous probe is kept with its evidence: {found:#?}"
    );
}

#[test]
fn fixture_calls_carry_resolution_and_timeouts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/calls-org");
    let analysis = common::analyze_roots(&[&root]);
    let edges: Vec<String> = analysis
        .services
        .edges_sorted()
        .into_iter()
        .map(|(from, to, edge)| {
            format!(
                "{} -{}-> {} by {} timeout {:?} [{}]",
                from.id(),
                edge.protocol.unwrap_or(edge.kind.as_str()),
                to.id(),
                edge.resolved_by.join("+"),
                edge.timeout,
                edge.endpoints.join(" | ")
            )
        })
        .collect();
    assert_eq!(
        edges,
        [
            "service:billing -http-> service:unknown by host timeout Some(false) [POST https://api.payments-provider.example/v1/charges]",
            "service:gateway -http-> service:inventory by route timeout Some(false) [GET {INVENTORY_URL}/v1/stock/{} | GET {}/v1/inventory/{}]",
            "service:gateway -http-> service:orders by deploy timeout Some(true) [GET {ORDERS_URL}/v1/orders/{}]",
            "service:gateway -http-> service:unknown by unresolved timeout Some(true) [GET {}/health]",
            "service:orders -grpc-> service:billing by proto timeout Some(false) [bazaar.billing.v1.Billing]",
            "service:orders -http-> service:inventory by host+route timeout Some(false) [GET {INVENTORY_URL}/v1/stock/{} | POST http://inventory:8080/v1/reserve]",
        ]
    );
    let routes: Vec<String> = analysis
        .services
        .services()
        .flat_map(|s| {
            s.routes
                .iter()
                .map(move |r| format!("{} {} {}", s.name, r.verb, r.path))
        })
        .collect();
    assert_eq!(
        routes,
        [
            "gateway GET /",
            "inventory GET /health",
            "inventory GET /v1/inventory/{}",
            "inventory GET /v1/stock/{}",
            "inventory POST /v1/reserve",
            "orders GET /health",
            "orders GET /v1/orders/{}",
            "orders POST /v1/orders",
        ]
    );
}

/// A company's own HTTP wrapper: unknown to the built-in detectors, taught in capgraph.toml.
fn wrapper_repo(config: &str) -> common::Repo {
    common::Repo::new(
        "shop",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"web-kit\", \"orders\", \"stock\"]\n",
            ),
            (
                "web-kit/Cargo.toml",
                "[package]\nname = \"web-kit\"\nversion = \"0.1.0\"\n",
            ),
            (
                "web-kit/src/lib.rs",
                "pub async fn fetch_json(url: String) {}\npub fn client() {}\n",
            ),
            (
                "orders/Cargo.toml",
                "[package]\nname = \"orders\"\nversion = \"0.1.0\"\n\n[dependencies]\nweb-kit = { path = \"../web-kit\" }\naxum = \"0.7\"\n",
            ),
            (
                "orders/src/main.rs",
                "fn main() {\n    let http = web_kit::client();\n    web_kit::fetch_json(format!(\"{}/v1/stock/{}\", std::env::var(\"STOCK_URL\").unwrap(), 7));\n    let app = axum::Router::new().route(\"/v1/orders\", axum::routing::get(list));\n}\n",
            ),
            (
                "stock/Cargo.toml",
                "[package]\nname = \"stock\"\nversion = \"0.1.0\"\n\n[dependencies]\naxum = \"0.7\"\n",
            ),
            (
                "stock/src/main.rs",
                "fn main() {\n    let app = axum::Router::new().route(\"/v1/stock/:sku\", axum::routing::get(level));\n}\n",
            ),
            ("capgraph.toml", config),
        ],
    )
}

#[test]
fn a_wrapper_crate_is_taught_in_capgraph_toml() {
    let taught = wrapper_repo(
        r#"[[detectors.pattern]]
role = "http-call"
crates = ["web-kit"]
functions = ["fetch_json"]
timeout = true

[[detectors.pattern]]
role = "http-client"
crates = ["web-kit"]
functions = ["web_kit::client"]
timeout = true
"#,
    );
    let analysis = taught.analyze();
    let edges: Vec<String> = analysis
        .services
        .edges_sorted()
        .into_iter()
        .map(|(from, to, edge)| {
            format!(
                "{} -> {} by {:?} timeout {:?}",
                from.id(),
                to.id(),
                edge.resolved_by,
                edge.timeout
            )
        })
        .collect();
    assert_eq!(
        edges,
        ["service:orders -> service:stock by [\"route\"] timeout Some(true)"]
    );

    let untaught = wrapper_repo("");
    assert_eq!(untaught.analyze().services.edges_sorted().len(), 0);
}

#[test]
fn a_bad_detector_pattern_stops_the_run_naming_file_and_key() {
    let repo = wrapper_repo("[[detectors.pattern]]\nrole = \"http-cal\"\nmethods = [\"get\"]\n");
    let err = match capgraph::analyze(std::slice::from_ref(&repo.root), &Default::default()) {
        Ok(_) => panic!("a bad role must stop the run"),
        Err(err) => err.to_string(),
    };
    assert!(err.contains("capgraph.toml"), "{err}");
    assert!(err.contains("http-cal"), "{err}");
    assert!(err.contains("http-call"), "lists the roles: {err}");
}

/// The sample company's run-time graph, every edge with its resolution, timeout and sites
/// (file names only, for reading): the situations the README's demo shows.
#[test]
fn the_sample_company_service_graph_is_exactly_this() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-repos");
    let analysis = common::analyze_roots(&[&root.join("acme-shop"), &root.join("warehouse")]);
    let sites = |sites: &[capgraph::model::Site]| {
        sites
            .iter()
            .map(|s| {
                let file = s.path.rsplit("/src/").next().unwrap_or(&s.path);
                format!("{file}:{}", s.line)
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let edges: Vec<String> = analysis
        .services
        .edges_sorted()
        .into_iter()
        .map(|(from, to, edge)| match edge.kind {
            RuntimeKind::Calls => format!(
                "{} -{}-> {} by {} timeout {:?} at {}",
                from.name(),
                edge.protocol.unwrap(),
                to.name(),
                edge.resolved_by.join("+"),
                edge.timeout,
                sites(&edge.sites)
            ),
            kind => format!(
                "{} {} {} at {}",
                from.name(),
                kind.as_str(),
                to.id(),
                sites(&edge.sites)
            ),
        })
        .collect();
    assert_eq!(
        edges,
        [
            // identity-svc verifies tokens for catalog-svc, through authz and identity-api.
            "catalog-svc -http-> identity-svc by config timeout Some(true) at client.rs:31",
            "catalog-svc reads table:products at products.rs:12 products.rs:26",
            "catalog-svc writes table:products at products.rs:44",
            "catalog-svc publishes topic:catalog.product-updated at events.rs:26",
            // checkout-svc links payments-core, whose fraud check reads catalog-svc too.
            "checkout-svc -http-> catalog-svc by config timeout Some(true) at catalog.rs:20",
            // Half of the synchronous cycle: FULFILLMENT_URL is wired in docker-compose.yml.
            "checkout-svc -http-> fulfillment-svc by deploy timeout Some(true) at shipping.rs:32",
            "checkout-svc -http-> identity-svc by config timeout Some(true) at client.rs:31",
            "checkout-svc -grpc-> payments-svc by proto timeout Some(true) at payments.rs:17",
            "checkout-svc reads table:orders at orders.rs:91",
            "checkout-svc writes table:orders at orders.rs:61 orders.rs:109",
            "checkout-svc publishes topic:orders.order-placed at orders.rs:74",
            "checkout-svc publishes topic:orders.status at orders.rs:128",
            // The head of the four-call chain, and the other half of the cycle; reqwest::get
            // has no timeout.
            "fulfillment-svc -http-> checkout-svc by config timeout Some(false) at picking.rs:7",
            "fulfillment-svc -http-> identity-svc by config timeout Some(true) at client.rs:43",
            "fulfillment-svc subscribes topic:orders.order-placed at main.rs:24",
            "fulfillment-svc publishes topic:orders.status at shipments.rs:26",
            "identity-svc writes table:sessions at routes.rs:26",
            "identity-svc reads table:users at routes.rs:16 routes.rs:46",
            "identity-svc writes table:users at routes.rs:63",
            // The gRPC client without a timeout.
            "notifications-svc -grpc-> payments-svc by proto timeout Some(false) at receipts.rs:13",
            // The mail provider is no scanned service: unknown, with its evidence.
            "notifications-svc -http-> unknown by host timeout Some(false) at mail.rs:16",
            // identity's table, read by another capability.
            "notifications-svc reads table:users at main.rs:49",
            "notifications-svc subscribes topic:orders.order-placed at main.rs:26",
            "notifications-svc subscribes topic:orders.status at main.rs:26",
            "payments-svc -http-> catalog-svc by config timeout Some(true) at fraud.rs:49",
            "payments-svc writes table:ledger_entries at orders.rs:21 service.rs:37",
            "payments-svc reads table:payments at service.rs:48",
            "payments-svc writes table:payments at service.rs:24",
            "payments-svc subscribes topic:orders.order-placed at orders.rs:11",
            "search-indexer subscribes topic:catalog.product-updated at main.rs:16",
        ]
    );
    let served: Vec<String> = analysis
        .services
        .services()
        .flat_map(|s| {
            s.routes
                .iter()
                .map(move |r| format!("{} {} {}", s.name, r.verb, r.path))
                .chain(s.grpc.iter().map(move |g| format!("{} grpc {g}", s.name)))
        })
        .collect();
    assert_eq!(
        served,
        [
            "catalog-svc GET /metrics",
            "catalog-svc GET,POST /v1/products",
            "catalog-svc GET,PUT /v1/products/{}",
            "checkout-svc GET /v1/carts/{}",
            // Mounted with .nest("/v1/orders", orders::routes()) from another file.
            "checkout-svc GET /v1/orders/{}",
            "checkout-svc POST /v1/orders",
            "checkout-svc POST /v1/orders/{}/cancel",
            "fulfillment-svc GET /healthz",
            "fulfillment-svc POST /v1/quotes",
            "fulfillment-svc POST /v1/shipments",
            "identity-svc GET,PATCH /v1/users/{}",
            "identity-svc POST /v1/tokens",
            "identity-svc POST /v1/tokens/introspect",
            "payments-svc grpc acme.payments.v1.Payments",
        ]
    );
}

#[test]
fn a_call_in_a_capabilitys_contract_crate_goes_to_its_one_service() {
    let repo = common::Repo::new(
        "shop",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"stock-client\", \"stock-svc\", \"orders-svc\"]\n",
            ),
            (
                "stock-client/Cargo.toml",
                "[package]\nname = \"stock-client\"\nversion = \"0.1.0\"\n\n[dependencies]\nreqwest = \"0.12\"\n",
            ),
            (
                "stock-client/src/lib.rs",
                "pub struct Stock { base: String }\nimpl Stock {\n    pub fn new(base: String) -> Self { Stock { base } }\n    pub async fn levels(&self) { reqwest::get(format!(\"{}/v2/levels\", self.base)).await; }\n}\n",
            ),
            (
                "stock-svc/Cargo.toml",
                "[package]\nname = \"stock-svc\"\nversion = \"0.1.0\"\n",
            ),
            ("stock-svc/src/main.rs", "fn main() {}\n"),
            (
                "orders-svc/Cargo.toml",
                "[package]\nname = \"orders-svc\"\nversion = \"0.1.0\"\n\n[dependencies]\nstock-client = { path = \"../stock-client\" }\n",
            ),
            (
                "orders-svc/src/main.rs",
                "#[tokio::main]\nasync fn main() { loop { stock_client::Stock::new(std::env::args().nth(1).unwrap()).levels().await; } }\n",
            ),
            (
                "capgraph.toml",
                "[teams.a]\n[teams.b]\n\n[capabilities.stock]\nteam = \"a\"\ncrates = [\"stock-client\", \"stock-svc\"]\ncontracts = [\"stock-client\"]\n\n[capabilities.orders]\nteam = \"b\"\ncrates = [\"orders-svc\"]\n\n[services.stock-svc]\ncrate = \"stock-svc\"\n",
            ),
        ],
    );
    let analysis = repo.analyze();
    let edges: Vec<String> = analysis
        .services
        .edges_sorted()
        .into_iter()
        .map(|(from, to, edge)| {
            format!(
                "{} -> {} by {:?} {:?} via {:?}",
                from.id(),
                to.id(),
                edge.resolved_by,
                edge.confidence,
                edge.via
            )
        })
        .collect();
    assert_eq!(
        edges,
        [
            "service:orders-svc -> service:stock-svc by [\"client-crate\"] Some(Medium) via [\"stock-client\"]"
        ]
    );
}

/// Evidence that looks like a call to a scanned service but proves nothing stays `unknown`:
/// a constant of the same name in another crate, a deploy file pointing outside, a path of
/// parameters only, a gRPC service name two .proto files define, a public host named like a
/// service, a loop variable shadowing a `let`.
#[test]
fn ambiguous_evidence_stays_unknown() {
    let manifest = |name: &str, deps: &str| {
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n\n[dependencies]\n{deps}")
    };
    let web = "reqwest = \"0.12\"\naxum = \"0.7\"\ntonic = \"0.12\"\n";
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"orders\", \"slack\", \"edge\"]\n".to_string()),
        ("orders/Cargo.toml", manifest("orders", web)),
        (
            "orders/src/main.rs",
            "const BASE_URL: &str = \"http://orders:8080\";\nfn main() {\n    let app = axum::Router::new().route(\"/orders\", axum::routing::get(list)).route(\"/v1/orders/:id\", axum::routing::get(one));\n    tonic::transport::Server::builder().add_service(pb::admin_server::AdminServer::new(Admin));\n}\n".to_string(),
        ),
        ("orders/proto/admin.proto", "syntax = \"proto3\";\npackage acme.orders.v1;\nservice Admin { rpc Ping (P) returns (P); }\n".to_string()),
        ("edge/proto/fleet.proto", "syntax = \"proto3\";\npackage partner.fleet.v1;\nservice Admin { rpc Ping (P) returns (P); }\n".to_string()),
        ("slack/Cargo.toml", manifest("slack", web)),
        ("slack/src/main.rs", "fn main() { let app = axum::Router::new().route(\"/hooks\", axum::routing::post(hook)); }\n".to_string()),
        ("edge/Cargo.toml", manifest("edge", web)),
        (
            "edge/src/main.rs",
            r#"struct Stripe;
impl Stripe {
    const BASE_URL: &'static str = "https://api.stripe.example";
    async fn charge(c: &reqwest::Client) { c.post(format!("{}/v1/charges", Self::BASE_URL)).send().await; }
}
async fn proxy(c: &reqwest::Client, path: &str) {
    c.get(format!("{}/{}", std::env::var("UPSTREAM_URL").unwrap(), path)).send().await;
}
async fn admin() { fleet::admin_client::AdminClient::connect("https://fleet.partner.example").await; }
async fn alert(c: &reqwest::Client) { c.post("https://slack.example/api/chat.postMessage").send().await; }
async fn hooks(c: &reqwest::Client, partners: Vec<String>) {
    let base = std::env::var("ORDERS_URL").unwrap();
    c.get(format!("{base}/v1/orders/1")).send().await;
    for base in partners {
        c.post(format!("{base}/v1/orders/webhook")).send().await;
    }
}
// A worker: it loops, serving nothing.
fn main() { loop {} }
"#
            .to_string(),
        ),
        ("docker-compose.yml", "services:\n  edge:\n    image: edge\n    environment:\n      ORDERS_URL: http://orders:8080\n  orders:\n    image: orders\n".to_string()),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let repo = common::Repo::new("org", &files);
    let sites = call_sites(&repo.analyze().services);
    assert_eq!(
        sites.into_iter().collect::<Vec<_>>(),
        [
            "edge edge/src/main.rs:15 -> unknown http",
            "edge edge/src/main.rs:4 -> unknown http",
            "edge edge/src/main.rs:7 -> unknown http",
            "edge edge/src/main.rs:9 -> unknown grpc",
            // The one real call: ORDERS_URL is wired to orders in docker-compose.yml.
            "edge edge/src/main.rs:13 -> orders http",
            "edge edge/src/main.rs:10 -> unknown http",
        ]
        .into_iter()
        .map(str::to_string)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
}

#[test]
fn mounted_routers_are_told_apart_by_module_and_an_ambiguous_mount_places_nothing() {
    let repo = common::Repo::new(
        "api",
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"api\"\nversion = \"0.1.0\"\n\n[dependencies]\naxum = \"0.7\"\n",
            ),
            (
                "src/main.rs",
                "mod orders;\nmod refunds;\nmod inline_a { pub fn routes() -> Router { Router::new().route(\"/a\", get(a)) } }\nmod inline_b { pub fn routes() -> Router { Router::new().route(\"/b\", get(b)) } }\nfn main() {\n    let app = Router::new()\n        .route(\"/health\", get(health))\n        .nest(\"/orders\", orders::routes())\n        .nest(\"/refunds\", refunds::routes())\n        .nest(\"/x\", inline_a::routes())\n        .nest(\"/y\", inline_b::routes());\n}\n",
            ),
            (
                "src/orders.rs",
                "pub fn routes() -> Router { Router::new().route(\"/list\", get(list)) }\n",
            ),
            (
                "src/refunds/mod.rs",
                "pub fn routes() -> Router { Router::new().route(\"/issue\", post(issue)) }\n",
            ),
        ],
    );
    let analysis = repo.analyze();
    let routes: Vec<String> = analysis
        .services
        .services()
        .flat_map(|s| s.routes.iter().map(|r| format!("{} {}", r.verb, r.path)))
        .collect();
    // The two inline `routes` functions live in one file: which is mounted where cannot be
    // told, so neither route is claimed.
    assert_eq!(
        routes,
        ["GET /health", "GET /orders/list", "POST /refunds/issue"]
    );
}

/// A real service named `unknown` is a service like any other: calls whose callee is not
/// known go to the unknown-callee node, never to it.
#[test]
fn a_service_named_unknown_absorbs_no_unresolved_call() {
    let manifest = |name: &str| {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n\n[dependencies]\n\
             reqwest = \"0.12\"\naxum = \"0.7\"\n"
        )
    };
    let files = [
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"unknown\", \"edge\"]\n".to_string(),
        ),
        ("unknown/Cargo.toml", manifest("unknown")),
        (
            "unknown/src/main.rs",
            "fn main() { let app = axum::Router::new().route(\"/v1/items\", axum::routing::get(list)); }\n"
                .to_string(),
        ),
        ("edge/Cargo.toml", manifest("edge")),
        (
            "edge/src/main.rs",
            "async fn f(c: &reqwest::Client) { c.get(\"https://api.partner.example/x\").send().await; }\nfn main() { loop {} }\n"
                .to_string(),
        ),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let repo = common::Repo::new("org", &files);
    let analysis = repo.analyze();
    let callees: Vec<(String, bool)> = analysis
        .services
        .edges_sorted()
        .into_iter()
        .filter_map(|(_, to, edge)| match to {
            capgraph::model::services::RuntimeNode::Service(s)
                if edge.kind == RuntimeKind::Calls =>
            {
                Some((s.name.clone(), s.unknown))
            }
            _ => None,
        })
        .collect();
    assert_eq!(callees, [("unknown".to_string(), true)]);
    let real: Vec<&str> = analysis
        .services
        .services()
        .filter(|s| !s.unknown)
        .map(|s| s.krate.as_str())
        .collect();
    assert_eq!(
        real,
        ["edge", "unknown"],
        "the crate named unknown is a service"
    );
}

/// A routerify-style router (`.get(path, handler)`, mounted with `.scope`) serves routes and
/// makes no calls, and a call to one of its routes resolves to it by the route.
#[test]
fn a_router_with_path_and_handler_methods_serves_routes_and_calls_nothing() {
    let manifest = |name: &str, deps: &str| {
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n\n[dependencies]\n{deps}")
    };
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"pager\", \"admin\"]\n".to_string()),
        (
            "pager/Cargo.toml",
            manifest("pager", "routerify = \"3\"\nhyper = \"0.14\"\nreqwest = \"0.12\"\n"),
        ),
        (
            "pager/src/main.rs",
            r#"fn api() -> Router {
    Router::builder()
        .get("/v1/status", |r| span(r, status))
        .post("/v1/tenant/:tenant_id/timeline", create)
        .delete("/v1/tenant/:tenant_id", drop_tenant)
        .build()
}
fn main() { let router = Router::builder().scope("/admin", api()).build(); }
"#
            .to_string(),
        ),
        ("admin/Cargo.toml", manifest("admin", "reqwest = \"0.12\"\n")),
        (
            "admin/src/main.rs",
            "async fn main() {\n    let c = reqwest::Client::new();\n    loop { c.post(\"http://pager:9898/admin/v1/tenant/1/timeline\").send().await; }\n}\n"
                .to_string(),
        ),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let repo = common::Repo::new("org", &files);
    let analysis = repo.analyze();
    let sites = call_sites(&analysis.services);
    assert_eq!(
        sites.into_iter().collect::<Vec<_>>(),
        ["admin admin/src/main.rs:3 -> pager http"]
    );
    let pager = analysis
        .services
        .services()
        .find(|s| s.name == "pager")
        .unwrap();
    let routes: Vec<String> = pager
        .routes
        .iter()
        .map(|r| format!("{} {}", r.verb, r.path))
        .collect();
    assert_eq!(
        routes,
        [
            "DELETE /admin/v1/tenant/{}",
            "GET /admin/v1/status",
            "POST /admin/v1/tenant/{}/timeline"
        ]
    );
}

/// A call site in a library that several services use is one finding per rule, naming every
/// service whose calls pass there, not one finding per service.
#[test]
fn a_library_call_site_is_one_finding_naming_every_service() {
    let manifest = |name: &str, deps: &str| {
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n\n[dependencies]\n{deps}")
    };
    let service = |name: &str| {
        format!(
            "fn main() {{\n    let app = axum::Router::new().route(\"/{name}\", axum::routing::get(h));\n    paylib::charge(&reqwest::Client::new());\n}}\n"
        )
    };
    let deps = "axum = \"0.7\"\nreqwest = \"0.12\"\npaylib = { path = \"../paylib\" }\n";
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"paylib\", \"svc-a\", \"svc-b\"]\n".to_string()),
        ("paylib/Cargo.toml", manifest("paylib", "reqwest = \"0.12\"\n")),
        (
            "paylib/src/lib.rs",
            "pub async fn charge(c: &reqwest::Client) {\n    c.post(\"https://api.stripe.example/v1/charges\").send().await;\n}\n".to_string(),
        ),
        ("svc-a/Cargo.toml", manifest("svc-a", deps)),
        ("svc-a/src/main.rs", service("a")),
        ("svc-b/Cargo.toml", manifest("svc-b", deps)),
        ("svc-b/src/main.rs", service("b")),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let repo = common::Repo::new("org", &files);
    let analysis = repo.analyze();
    // The library's site counts for both services in the graph...
    assert_eq!(
        call_sites(&analysis.services)
            .into_iter()
            .collect::<Vec<_>>(),
        [
            "svc-a paylib/src/lib.rs:2 -> unknown http",
            "svc-b paylib/src/lib.rs:2 -> unknown http"
        ]
    );
    // ... and is one finding.
    let settings = capgraph::rules::Settings::from_config(&analysis.config).unwrap();
    let found: Vec<String> = capgraph::rules::check(&analysis, &settings)
        .findings
        .iter()
        .filter(|f| f.rule == "OPS005")
        .map(|f| format!("{} {}", f.location.as_ref().unwrap(), f.message))
        .collect();
    assert_eq!(
        found,
        [
            "org/paylib/src/lib.rs:2 services svc-a (unowned) and svc-b (unowned) call http POST \
          https://api.stripe.example/v1/charges, which resolves to no known service; declare the \
          callee under [services] (hosts, env) or in a deploy file, or suppress it here naming \
          the external system"
        ]
    );
}

/// A client library of a service (inside its directory, or named `<service>_client`) calls
/// that service when the path is one it serves, even where another service serves the same
/// path; used by the service itself, it calls another instance of it, which is no edge.
#[test]
fn a_client_crate_of_a_service_calls_that_service() {
    let manifest = |name: &str, deps: &str| {
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n\n[dependencies]\n{deps}")
    };
    let web = "axum = \"0.7\"\nreqwest = \"0.12\"\npager_client = { path = \"../pager/client\" }\n";
    let serve = |routes: &str, body: &str| {
        format!("fn main() {{\n    let app = axum::Router::new(){routes};\n    {body}\n}}\n")
    };
    let tenant = ".route(\"/v1/tenant/:id\", axum::routing::get(h))";
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"pager\", \"pager/client\", \"ctl\", \"proxy\"]\n".to_string()),
        ("pager/Cargo.toml", manifest("pager", &web.replace("../pager/client", "client"))),
        ("pager/src/main.rs", serve(tenant, "pager_client::Client::tenant(&c, 1);")),
        ("pager/client/Cargo.toml", manifest("pager_client", "reqwest = \"0.12\"\n")),
        (
            "pager/client/src/lib.rs",
            "pub struct Client { base: String, http: reqwest::Client }\nimpl Client {\n    pub async fn tenant(&self, id: u64) {\n        self.http.get(format!(\"{}/v1/tenant/{}\", self.base, id)).send().await;\n    }\n}\n".to_string(),
        ),
        ("ctl/Cargo.toml", manifest("ctl", web)),
        ("ctl/src/main.rs", serve(".route(\"/ctl\", axum::routing::get(h))", "pager_client::Client::tenant(&c, 1);")),
        // Serves the same path (a proxy): the route alone would not tell the callee.
        ("proxy/Cargo.toml", manifest("proxy", "axum = \"0.7\"\n")),
        ("proxy/src/main.rs", serve(tenant, "")),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let repo = common::Repo::new("org", &files);
    let analysis = repo.analyze();
    assert_eq!(
        call_sites(&analysis.services)
            .into_iter()
            .collect::<Vec<_>>(),
        ["ctl pager/client/src/lib.rs:4 -> pager http"]
    );
}
