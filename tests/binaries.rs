//! Binaries as services: each binary target gets a kind with its reason, only services and
//! workers are nodes of the service graph, and a call site counts for the binaries whose
//! `main` reaches it (the shapes met on real multi-service workspaces).

mod common;

use capgraph::model::services::{BinaryKind, ServiceGraph};

fn manifest(name: &str, deps: &str) -> String {
    format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n\n[dependencies]\n{deps}")
}

fn analyze(files: &[(&str, String)]) -> ServiceGraph {
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    common::Repo::new("org", &files).analyze().services
}

/// `name kind service` per binary, sorted by name.
fn kinds(services: &ServiceGraph) -> Vec<String> {
    let mut out: Vec<String> = services
        .binaries
        .iter()
        .map(|b| {
            format!(
                "{} {} {}",
                b.name,
                b.kind.as_str(),
                b.service.as_deref().unwrap_or("-")
            )
        })
        .collect();
    out.sort();
    out
}

/// `caller -> callee protocol` per call edge.
fn calls(services: &ServiceGraph) -> Vec<String> {
    services
        .edges_sorted()
        .into_iter()
        .filter(|(_, _, e)| e.protocol.is_some())
        .map(|(from, to, e)| format!("{} -> {} {}", from.name(), to.name(), e.protocol.unwrap()))
        .collect()
}

const WEB: &str = "axum = \"0.7\"\nreqwest = \"0.12\"\ntokio = \"1\"\nclap = \"4\"\n";

/// One crate, two service binaries sharing its library (`src/bin/query.rs`,
/// `src/bin/compact.rs`): each serves and calls only what its entry point reaches.
#[test]
fn binaries_sharing_a_library_serve_and_call_what_they_reach() {
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"worker\", \"catalog\"]\n".to_string()),
        ("worker/Cargo.toml", manifest("worker", WEB)),
        (
            "worker/src/lib.rs",
            r#"pub async fn query_entrypoint() {
    let app = axum::Router::new().route("/v1/query", axum::routing::post(query));
    axum::serve(listener, app).await;
}
pub async fn compact_entrypoint() {
    let app = axum::Router::new().route("/v1/compact", axum::routing::post(compact));
    let client = reqwest::Client::new();
    client.get("http://catalog:8080/v1/items").send().await;
    axum::serve(listener, app).await;
}
async fn query() {}
async fn compact() {}
"#
            .to_string(),
        ),
        (
            "worker/src/bin/query.rs",
            "#[tokio::main]\nasync fn main() { worker::query_entrypoint().await }\n".to_string(),
        ),
        (
            "worker/src/bin/compact.rs",
            "#[tokio::main]\nasync fn main() { worker::compact_entrypoint().await }\n".to_string(),
        ),
        ("catalog/Cargo.toml", manifest("catalog", WEB)),
        (
            "catalog/src/main.rs",
            "fn main() { let app = axum::Router::new().route(\"/v1/items\", axum::routing::get(list)); }\n"
                .to_string(),
        ),
    ];
    let services = analyze(&files);
    assert_eq!(
        kinds(&services),
        [
            "catalog service catalog",
            "compact service compact",
            "query service query"
        ]
    );
    let routes: Vec<String> = services
        .services()
        .flat_map(|s| {
            s.routes
                .iter()
                .map(move |r| format!("{} {}", s.name, r.path))
        })
        .collect();
    assert_eq!(
        routes,
        [
            "catalog /v1/items",
            "compact /v1/compact",
            "query /v1/query"
        ]
    );
    assert_eq!(calls(&services), ["compact -> catalog http"]);
    let compact = services.services().find(|s| s.name == "compact").unwrap();
    assert_eq!(
        (compact.binary.as_str(), compact.krate.as_str()),
        ("compact", "worker")
    );
}

/// A client library linked by a service and by an operator CLI: the CLI (clap subcommands)
/// is no node of the service graph, and a service that links the library without calling
/// it (it uses a type) gets no edge.
#[test]
fn a_client_library_counts_only_for_the_services_that_reach_its_calls() {
    let files = [
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"pager\", \"pager-client\", \"controller\", \"scrubber\", \"ctl\"]\n"
                .to_string(),
        ),
        ("pager/Cargo.toml", manifest("pager", WEB)),
        (
            "pager/src/main.rs",
            "fn main() { let app = axum::Router::new().route(\"/v1/tenant/:id\", axum::routing::get(tenant)); }\n"
                .to_string(),
        ),
        ("pager-client/Cargo.toml", manifest("pager-client", WEB)),
        (
            "pager-client/src/lib.rs",
            r#"pub struct TenantId(pub u64);
pub struct Client { http: reqwest::Client, base: String }
impl Client {
    pub async fn tenant(&self, id: u64) {
        self.http.get(format!("{}/v1/tenant/{id}", self.base)).send().await;
    }
}
"#
            .to_string(),
        ),
        (
            "controller/Cargo.toml",
            manifest("controller", &format!("{WEB}pager-client = {{ path = \"../pager-client\" }}\n")),
        ),
        (
            "controller/src/main.rs",
            r#"fn main() {
    let app = axum::Router::new().route("/control/v1/attach", axum::routing::post(attach));
}
async fn attach(client: pager_client::Client) { client.tenant(1).await; }
"#
            .to_string(),
        ),
        (
            "scrubber/Cargo.toml",
            manifest("scrubber", &format!("{WEB}pager-client = {{ path = \"../pager-client\" }}\n")),
        ),
        (
            "scrubber/src/main.rs",
            r#"fn main() {
    let app = axum::Router::new().route("/status", axum::routing::get(status));
}
async fn status() -> String { format!("{}", pager_client::TenantId(1).0) }
"#
            .to_string(),
        ),
        (
            "ctl/Cargo.toml",
            manifest("ctl", &format!("{WEB}pager-client = {{ path = \"../pager-client\" }}\n")),
        ),
        (
            "ctl/src/main.rs",
            r#"#[derive(clap::Parser)]
struct Cli { #[command(subcommand)] command: Command }
#[derive(clap::Subcommand)]
enum Command { Show { id: u64 } }
#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let client: pager_client::Client = todo!();
    client.tenant(1).await;
}
"#
            .to_string(),
        ),
    ];
    let services = analyze(&files);
    assert_eq!(
        kinds(&services),
        [
            "controller service controller",
            "ctl cli -",
            "pager service pager",
            "scrubber service scrubber",
        ]
    );
    assert_eq!(calls(&services), ["controller -> pager http"]);
    // The CLI's call is resolved, and kept apart from the service graph.
    let apart: Vec<String> = services
        .kept_apart
        .iter()
        .map(|c| format!("{} -> {} {}", c.binary, c.to, c.edge.protocol.unwrap()))
        .collect();
    assert_eq!(apart, ["ctl -> service:pager http"]);
    let ctl = services.binaries.iter().find(|b| b.name == "ctl").unwrap();
    assert_eq!(
        ctl.reason,
        "serves nothing and has clap subcommands: a command-line tool"
    );
}

/// Benchmarks, test tools, simulators and examples by a word of their name; a one-off job
/// (no loop) and a worker (a loop) among binaries that serve nothing; a tool with no
/// run-time evidence at all.
#[test]
fn binaries_that_serve_nothing_are_kept_apart_by_kind() {
    let call = "let c = reqwest::Client::new(); c.get(\"http://api:8080/v1/x\").send().await;";
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"api\", \"tools\"]\n".to_string()),
        ("api/Cargo.toml", manifest("api", WEB)),
        (
            "api/src/main.rs",
            "fn main() { let app = axum::Router::new().route(\"/v1/x\", axum::routing::get(x)); }\n"
                .to_string(),
        ),
        ("tools/Cargo.toml", manifest("tools", WEB)),
        ("tools/src/lib.rs", String::new()),
        ("tools/src/bin/pagebench.rs", format!("async fn main() {{ {call} }}\n")),
        ("tools/src/bin/test_helper_slow_reads.rs", format!("async fn main() {{ {call} }}\n")),
        ("tools/src/bin/compaction-simulator.rs", format!("async fn main() {{ {call} }}\n")),
        ("tools/src/bin/backfill.rs", format!("async fn main() {{ {call} }}\n")),
        ("tools/src/bin/poller.rs", format!("async fn main() {{ loop {{ {call} }} }}\n")),
        ("tools/src/bin/gen-docs.rs", "fn main() { println!(\"docs\"); }\n".to_string()),
    ];
    let services = analyze(&files);
    assert_eq!(
        kinds(&services),
        [
            "api service api",
            "backfill job -",
            "compaction-simulator simulator -",
            "gen-docs tool -",
            "pagebench benchmark -",
            "poller worker poller",
            "test_helper_slow_reads test-tool -",
        ]
    );
    assert_eq!(calls(&services), ["poller -> api http"]);
    let kind = |name: &str| {
        services
            .binaries
            .iter()
            .find(|b| b.name == name)
            .unwrap()
            .kind
    };
    assert!(kind("poller").is_service() && !kind("backfill").is_service());
    assert_eq!(kind("pagebench"), BinaryKind::Benchmark);
}

/// A call in code no binary reaches (dead code, or a path the name search cannot see)
/// counts for every binary of its crate, as it would without a call graph.
#[test]
fn a_call_no_binary_reaches_counts_for_the_binaries_of_its_crate() {
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"api\", \"edge\"]\n".to_string()),
        ("api/Cargo.toml", manifest("api", WEB)),
        (
            "api/src/main.rs",
            "fn main() { let app = axum::Router::new().route(\"/v1/x\", axum::routing::get(x)); }\n"
                .to_string(),
        ),
        ("edge/Cargo.toml", manifest("edge", WEB)),
        (
            "edge/src/main.rs",
            r#"fn main() { let app = axum::Router::new().route("/", axum::routing::get(root)); }
async fn never_called(c: &reqwest::Client) { c.get("http://api:8080/v1/x").send().await; }
"#
            .to_string(),
        ),
    ];
    let services = analyze(&files);
    assert_eq!(calls(&services), ["edge -> api http"]);
}

/// `type Alias = XServiceClient<Channel>` then `Alias::new(channel)`: a gRPC client of X.
#[test]
fn an_aliased_grpc_client_is_a_client() {
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"broker\", \"pager\"]\n".to_string()),
        ("broker/Cargo.toml", manifest("broker", "tonic = \"0.12\"\n")),
        (
            "broker/proto/broker.proto",
            "syntax = \"proto3\";\npackage broker.v1;\nservice BrokerService { rpc Ping (P) returns (P); }\n"
                .to_string(),
        ),
        (
            "broker/src/lib.rs",
            r#"pub type BrokerClient = proto::broker_service_client::BrokerServiceClient<Channel>;
pub fn connect(endpoint: String) -> BrokerClient {
    let channel = tonic::transport::Endpoint::from_shared(endpoint).unwrap().connect_lazy();
    BrokerClient::new(channel)
}
"#
            .to_string(),
        ),
        (
            "broker/src/bin/broker.rs",
            "fn main() { tonic::transport::Server::builder().add_service(proto::broker_service_server::BrokerServiceServer::new(Broker)); }\n"
                .to_string(),
        ),
        (
            "pager/Cargo.toml",
            manifest("pager", "tonic = \"0.12\"\nrouterify = \"3\"\nhyper = \"0.14\"\nbroker = { path = \"../broker\" }\n"),
        ),
        (
            "pager/src/main.rs",
            r#"fn main() {
    let ctx = RequestContext::new().scope(Scope::timeline()).build();
    let client = broker::connect("http://broker:50051".into());
    loop {}
}
"#
            .to_string(),
        ),
    ];
    let services = analyze(&files);
    assert_eq!(
        kinds(&services),
        ["broker service broker", "pager worker pager"]
    );
    assert_eq!(calls(&services), ["pager -> broker grpc"]);
}

/// Generated code (a header marker, or a `generated/` directory) holds no call site: a
/// generated client in the proto crate does not make every linking service call; the
/// generated schema's tables still count, and a comment that a module below is generated
/// does not make the file generated.
#[test]
fn generated_code_holds_no_call_site() {
    let call = |url: &str| {
        format!("pub async fn call(c: &reqwest::Client) {{ c.get(\"{url}\").send().await; }}\n")
    };
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"api\", \"proto\", \"edge\"]\n".to_string()),
        ("api/Cargo.toml", manifest("api", WEB)),
        (
            "api/src/main.rs",
            "fn main() { let app = axum::Router::new().route(\"/v1/x\", axum::routing::get(x)); }\n"
                .to_string(),
        ),
        ("proto/Cargo.toml", manifest("proto", &format!("{WEB}diesel = \"2\"\n"))),
        (
            "proto/src/lib.rs",
            format!(
                "// Code generated by protobuf.\npub mod generated;\npub mod stubs;\npub mod hand;\n{}",
                call("http://api:8080/v1/lib")
            ),
        ),
        (
            "proto/src/generated/client.rs",
            format!("{}diesel::table! {{ accounts (id) {{ id -> Int8, }} }}\n", call("http://api:8080/v1/x")),
        ),
        (
            "proto/src/stubs.rs",
            format!("// @generated by a protoc plugin. DO NOT EDIT.\n{}", call("http://api:8080/v1/x")),
        ),
        ("proto/src/hand.rs", call("http://api:8080/v1/x")),
        (
            "edge/Cargo.toml",
            manifest("edge", &format!("{WEB}proto = {{ path = \"../proto\" }}\n")),
        ),
        (
            "edge/src/main.rs",
            "fn main() { let app = axum::Router::new().route(\"/\", axum::routing::get(root)); }\nasync fn root(c: reqwest::Client) { proto::generated::client::call(&c).await; proto::stubs::call(&c).await; proto::hand::call(&c).await; proto::call(&c).await; let _: proto::generated::client::accounts::table; }\n"
                .to_string(),
        ),
    ];
    let services = analyze(&files);
    let sites: Vec<String> = services
        .edges_sorted()
        .into_iter()
        .flat_map(|(from, to, e)| {
            e.sites
                .iter()
                .map(move |s| format!("{} -> {} {}:{}", from.name(), to.name(), s.path, s.line))
        })
        .collect();
    assert_eq!(
        sites,
        [
            "edge -> api proto/src/hand.rs:1",
            "edge -> api proto/src/lib.rs:5",
            "edge -> accounts proto/src/generated/client.rs:2"
        ]
    );
}

/// A service binary named otherwise than its crate (`[[bin]] name = "server"` in crate
/// `orders-svc`) still answers to the crate's name in hosts and deploy files, where it is
/// usually the name of the compose service; the id stays the binary's.
#[test]
fn a_service_answers_to_its_crate_name_in_hosts_and_deploy_files() {
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"orders-svc\", \"gateway\"]\n".to_string()),
        (
            "orders-svc/Cargo.toml",
            format!("{}\n[[bin]]\nname = \"server\"\npath = \"src/main.rs\"\n", manifest("orders-svc", WEB)),
        ),
        (
            "orders-svc/src/main.rs",
            "fn main() { let app = axum::Router::new().route(\"/v1/orders\", axum::routing::get(list)).route(\"/v1/carts\", axum::routing::get(carts)); }\n"
                .to_string(),
        ),
        ("gateway/Cargo.toml", manifest("gateway", WEB)),
        (
            "gateway/src/main.rs",
            r#"fn main() { let app = axum::Router::new().route("/", axum::routing::get(root)); }
async fn root(c: reqwest::Client) {
    c.get(format!("{}/v2/orders", std::env::var("ORDERS_URL").unwrap())).send().await;
    c.get("http://orders-svc:8080/v2/carts").send().await;
}
"#
            .to_string(),
        ),
        (
            "docker-compose.yml",
            "services:\n  gateway:\n    image: gateway\n    environment:\n      ORDERS_URL: http://orders-svc:8080\n  orders-svc:\n    image: orders\n"
                .to_string(),
        ),
    ];
    let services = analyze(&files);
    assert_eq!(
        kinds(&services),
        ["gateway service gateway", "server service server"]
    );
    let resolved: Vec<String> = services
        .edges_sorted()
        .into_iter()
        .map(|(from, to, e)| format!("{} -> {} by {:?}", from.name(), to.name(), e.resolved_by))
        .collect();
    assert_eq!(resolved, ["gateway -> server by [\"deploy\"]"]);
}
