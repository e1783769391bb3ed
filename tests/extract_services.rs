//! One test per detector shape: the exact run-time facts extraction finds in a snippet.

use capgraph::extract::extract_source;
use capgraph::extract::services::{Part, Value};

fn text(value: &Value) -> String {
    value
        .iter()
        .map(|part| match part {
            Part::Lit(text) => text.clone(),
            Part::Env(name) => format!("${name}"),
            Part::Field(name) => format!("self.{name}"),
            Part::Const(name) => format!("<{name}>"),
            Part::Hole => "?".to_string(),
        })
        .collect()
}

/// Facts as compact lines: `line role value [verb] [in fn] [prefix] [-> target] [timeout]`.
fn facts(code: &str) -> Vec<String> {
    let facts = extract_source(code).expect("parses").services;
    let mut lines: Vec<String> = facts
        .hits
        .iter()
        .map(|hit| {
            let mut line = format!("{} {:?} {}", hit.line, hit.role, text(&hit.value));
            if let Some(verb) = &hit.verb {
                line += &format!(" [{verb}]");
            }
            if let Some(scope) = &hit.scope {
                line += &format!(" in {scope}");
            }
            if !hit.prefix.is_empty() {
                line += &format!(" under {}", hit.prefix);
            }
            if let Some(target) = &hit.target {
                line += &format!(" -> {target}");
            }
            if hit.timeout {
                line += " timeout";
            }
            if hit.in_test {
                line += " test";
            }
            line
        })
        .collect();
    // Hits come out outermost call first; ordered by line they read like the code.
    lines.sort_by_key(|line| line.split(' ').next().and_then(|n| n.parse::<u32>().ok()));
    lines.extend(facts.grpc.iter().map(|g| {
        format!(
            "{} grpc {} {}{}{}",
            g.line,
            if g.client { "client" } else { "server" },
            g.service,
            if g.module.is_empty() {
                String::new()
            } else {
                format!(" in {}", g.module)
            },
            if g.timeout { " timeout" } else { "" }
        )
    }));
    lines.extend(
        facts
            .fields
            .iter()
            .map(|f| format!("{} field {} = {}", f.line, f.name, text(&f.value))),
    );
    lines.extend(
        facts
            .consts
            .iter()
            .map(|c| format!("{} const {} = {}", c.line, c.name, text(&c.value))),
    );
    lines
}

#[test]
fn http_call_with_a_literal_url() {
    let code = r#"
async fn status() -> reqwest::Result<String> {
    reqwest::get("http://inventory:8080/v1/stock?sku=1").await?.text().await
}
"#;
    assert_eq!(
        facts(code),
        ["3 HttpCall http://inventory:8080/v1/stock?sku=1 [GET] in status"]
    );
}

#[test]
fn http_call_built_from_a_field_set_from_an_env_var() {
    let code = r#"
pub struct CatalogClient { http: reqwest::Client, base: String }
impl CatalogClient {
    pub fn from_env() -> anyhow::Result<Self> {
        Ok(Self { http: reqwest::Client::new(), base: std::env::var("CATALOG_URL")? })
    }
    pub async fn product(&self, sku: &str) -> anyhow::Result<String> {
        let url = format!("{}/v1/products/{sku}", self.base);
        Ok(self.http.get(url).send().await?.text().await?)
    }
}
"#;
    assert_eq!(
        facts(code),
        [
            "5 HttpClient  in from_env",
            "9 HttpCall self.CatalogClient::base/v1/products/? [GET] in product",
            "5 field CatalogClient::base = $CATALOG_URL",
        ]
    );
}

#[test]
fn http_call_with_env_base_joined_and_inline_captures() {
    let code = r#"
fn calls(client: &reqwest::blocking::Client, id: u64) {
    let base = url::Url::parse(&std::env::var("IDENTITY_URL").unwrap()).unwrap();
    client.get(base.join("/v1/users").unwrap()).send();
    let host = dotenvy::var("BILLING_URL").unwrap_or_default();
    client.delete(format!("{host}/v1/invoices/{id}")).send();
    client.post(format!("{base}/v1/tokens", base = host)).send();
}
"#;
    assert_eq!(
        facts(code),
        [
            "4 HttpCall $IDENTITY_URL/v1/users [GET] in calls",
            "6 HttpCall $BILLING_URL/v1/invoices/? [DELETE] in calls",
            "7 HttpCall $BILLING_URL/v1/tokens [POST] in calls",
        ]
    );
}

#[test]
fn http_call_through_a_constant_and_a_clap_env_field() {
    let code = r#"
const LEDGER_URL: &str = "http://ledger.internal:9000";
#[derive(clap::Parser)]
struct Args {
    #[arg(long, env = "PRICING_URL")]
    pricing_url: String,
}
fn go(client: reqwest::Client, args: Args) {
    client.request(reqwest::Method::PUT, format!("{LEDGER_URL}/v2/entries"));
    client.get(format!("{}/v1/prices", args.pricing_url));
}
"#;
    assert_eq!(
        facts(code),
        [
            "9 HttpCall <LEDGER_URL>/v2/entries [PUT] in go",
            "10 HttpCall self.pricing_url/v1/prices [GET] in go",
            "6 field Args::pricing_url = $PRICING_URL",
            "2 const LEDGER_URL = http://ledger.internal:9000",
        ]
    );
}

#[test]
fn a_get_without_url_evidence_is_not_a_call() {
    let code = r#"
fn lookup(map: &std::collections::HashMap<String, u32>, key: &str, v: Vec<u32>) -> Option<u32> {
    let cached = map.get(key);
    v.get(0).copied().or(cached.copied())
}
"#;
    assert!(facts(code).is_empty());
}

/// A router whose builder takes the path and the handler together registers routes; only a
/// one-argument request method is a call. The arity tells them apart whatever the receiver.
#[test]
fn a_two_argument_get_on_a_router_is_a_route_not_a_call() {
    let code = r#"
fn router() -> Router {
    Router::builder()
        .get("/v1/status", |r| request_span(r, status_handler))
        .post("/v1/tenant/:tenant_id/timeline", timeline_create)
        .build()
}
async fn fetch(client: &reqwest::Client, base: &str) {
    client.get("http://pageserver:9898/v1/status").send().await;
}
"#;
    assert_eq!(
        facts(code),
        [
            "4 Route /v1/status [GET] in router",
            "5 Route /v1/tenant/:tenant_id/timeline [POST] in router",
            "9 HttpCall http://pageserver:9898/v1/status [GET] in fetch",
        ]
    );
}

#[test]
fn a_one_argument_scope_is_no_route_mount() {
    let code = r#"
fn router() -> Router {
    Router::builder().scope("/admin", admin()).build()
}
fn context(parent: &RequestContext) -> RequestContext {
    RequestContextBuilder::from(parent).scope(Scope::new_timeline()).build()
}
"#;
    assert_eq!(facts(code), ["3 RouteMount /admin in router -> admin"]);
}

#[test]
fn requests_bounded_per_request_by_timeout_or_by_a_raced_sleep() {
    let code = r#"
async fn calls(client: &reqwest::Client, d: std::time::Duration) {
    client.get("http://a:1/x").timeout(d).send().await;
    tokio::time::timeout(d, client.get("http://b:1/y").send()).await;
    tokio::select! {
        r = client.get("http://c:1/z").send() => {}
        _ = tokio::time::sleep(d) => { client.post("http://e:1/v").send().await; }
    }
    client.get("http://d:1/w").send().await;
}
"#;
    let facts = extract_source(code).expect("parses").services;
    let guarded: Vec<(u32, bool)> = facts.hits.iter().map(|h| (h.line, h.guarded)).collect();
    // The raced future is bounded; the handler run after the deadline is not.
    assert_eq!(
        guarded,
        [(3, true), (4, true), (6, true), (7, false), (9, false)]
    );
}

#[test]
fn orm_models_name_their_tables() {
    let code = r#"
#[derive(DeriveEntityModel)]
#[sea_orm(table_name = "application")]
pub struct Model { pub id: String }

#[derive(Queryable)]
#[diesel(table_name = crate::schema::nodes, check_for_backend(Pg))]
pub struct NodePersistence { pub node_id: i64 }

#[derive(Serialize)]
#[serde(rename = "table_name")]
pub struct NotAModel;
"#;
    assert_eq!(
        facts(code),
        ["3 Table application [read]", "7 Table nodes [read]"]
    );
}

#[test]
fn client_timeouts_on_the_builder_chain_or_in_the_function() {
    let code = r#"
fn guarded() -> reqwest::Client {
    reqwest::Client::builder().timeout(std::time::Duration::from_secs(2)).build().unwrap()
}
fn unguarded() -> reqwest::Client {
    reqwest::Client::new()
}
fn agent() -> ureq::Agent {
    let builder = ureq::AgentBuilder::new();
    builder.timeout_read(std::time::Duration::from_secs(1)).build()
}
"#;
    assert_eq!(
        facts(code),
        [
            "3 HttpClient  in guarded timeout",
            "6 HttpClient  in unguarded",
            "9 HttpClient  in agent timeout",
        ]
    );
}

#[test]
fn axum_routes_nested_across_functions() {
    let code = r#"
fn app(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health))
        .nest("/v1/orders", orders::routes())
        .nest("/admin", Router::new().route("/reindex", post(reindex)))
        .merge(metrics_routes())
        .with_state(state)
}
pub fn routes() -> Router<AppState> {
    Router::new().route("/:id", get(get_order).delete(cancel)).route("/", post(place))
}
"#;
    assert_eq!(
        facts(code),
        [
            "4 Route /healthz [GET] in app",
            "5 RouteMount /v1/orders in app -> orders::routes",
            "6 Route /reindex [POST] in app under /admin",
            "7 RouteMount  in app -> metrics_routes",
            "11 Route / [POST] in routes",
            "11 Route /:id [DELETE,GET] in routes",
        ]
    );
}

#[test]
fn actix_attributes_scopes_and_resources() {
    let code = r#"
#[get("/orders/{id}")]
async fn get_order(id: web::Path<u64>) -> impl Responder { "" }
fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::scope("/v1").service(get_order).route("/ping", web::get().to(ping)));
    cfg.service(web::resource("/health").route(web::get().to(health)));
}
"#;
    assert_eq!(
        facts(code),
        [
            "2 Route /orders/{id} [GET] in get_order",
            "5 Route /ping [GET] in config under /v1",
            "5 RouteMount  in config under /v1 -> get_order",
            "6 Route /health in config",
        ]
    );
}

#[test]
fn rocket_mounts_warp_paths_and_poem_routes() {
    let code = r#"
#[get("/hello/<name>")]
fn hello(name: &str) -> String { name.into() }
fn rocket() -> rocket::Rocket<rocket::Build> {
    rocket::build().mount("/api", routes![hello])
}
fn filters() {
    let stock = warp::path!("v1" / "stock" / String).and(warp::get());
    let app = poem::Route::new().at("/v1/quotes", poem::post(quote));
}
"#;
    assert_eq!(
        facts(code),
        [
            "2 Route /hello/<name> [GET] in hello",
            "5 RouteMount /api in rocket -> hello",
            "8 Route /v1/stock/{} in filters",
            "9 Route /v1/quotes [POST] in filters",
        ]
    );
}

#[test]
fn grpc_clients_and_servers() {
    let code = r#"
use payments_api::payments_client::PaymentsClient;
async fn guarded(url: String) -> PaymentsClient<Channel> {
    let channel = Channel::from_shared(url).unwrap().timeout(Duration::from_secs(3)).connect().await.unwrap();
    PaymentsClient::new(channel)
}
async fn unguarded() -> anyhow::Result<()> {
    let mut ledger = ledger_client::LedgerClient::connect(std::env::var("LEDGER_GRPC")?).await?;
    Ok(())
}
async fn serve() {
    Server::builder().add_service(PaymentsServer::new(Svc)).serve(addr).await;
}
#[tonic::async_trait]
impl payments_server::Payments for Svc {}
"#;
    assert_eq!(
        facts(code),
        [
            "5 grpc client Payments timeout",
            "8 grpc client Ledger in ledger_client",
            "12 grpc server Payments",
            "15 grpc server Payments in payments_server",
        ]
    );
}

#[test]
fn topics_published_and_subscribed() {
    let code = r#"
pub const ORDER_PLACED: &str = "orders.order-placed";
async fn publish(producer: &FutureProducer, nats: async_nats::Client, channel: lapin::Channel) {
    producer.send(FutureRecord::to(ORDER_PLACED).payload("x"), Duration::from_secs(1)).await;
    nats.publish("billing.invoice-issued", payload).await;
    channel.basic_publish("", "emails", options, b"", props).await;
}
fn consume(consumer: &StreamConsumer, topic: &str) {
    consumer.subscribe(&[ORDER_PLACED, "orders.order-cancelled"]).unwrap();
    consumer.subscribe(&[topic]).unwrap();
}
"#;
    assert_eq!(
        facts(code),
        [
            "4 Publish <ORDER_PLACED> in publish",
            "5 Publish billing.invoice-issued in publish",
            "6 Publish emails in publish",
            "9 Subscribe <ORDER_PLACED> in consume",
            "9 Subscribe orders.order-cancelled in consume",
            "2 const ORDER_PLACED = orders.order-placed",
        ]
    );
}

#[test]
fn tables_in_sql_and_diesel_schemas() {
    let code = r#"
async fn store(db: &PgPool, id: Uuid) {
    sqlx::query!("SELECT u.email FROM users u JOIN profiles p ON p.user_id = u.id WHERE u.id = $1", id);
    sqlx::query_as!(Order, "UPDATE orders SET status = 'paid' WHERE id = $1 RETURNING *", id);
    sqlx::query("INSERT INTO audit.events (kind) SELECT kind FROM staging_events").execute(db).await;
}
diesel::table! {
    invoices (id) {
        id -> Int4,
    }
}
"#;
    assert_eq!(
        facts(code),
        [
            "3 Sql users [read] in store",
            "3 Sql profiles [read] in store",
            "4 Sql orders [write] in store",
            "5 Sql audit.events [write] in store",
            "5 Sql staging_events [read] in store",
            "7 Table invoices [read]",
        ]
    );
}

/// Not tables: the names a `WITH` clause defines, table functions, and system catalogs.
/// Schemas are kept: `billing.invoices` and `invoices` may be different tables.
#[test]
fn ctes_table_functions_and_catalogs_are_not_tables() {
    let code = r#"
async fn report(db: &PgPool) {
    sqlx::query("WITH recent AS (SELECT * FROM billing.invoices WHERE paid) SELECT * FROM recent JOIN customers c ON c.id = recent.customer_id").fetch_all(db).await;
    sqlx::query("SELECT a.privilege_type FROM roles r, aclexplode(r.acl) a").fetch_all(db).await;
    sqlx::query("SELECT name, setting FROM pg_settings UNION SELECT table_name, '' FROM information_schema.tables").fetch_all(db).await;
    sqlx::query("SELECT * FROM pg_catalog.pg_class, generate_series(1, 3)").fetch_all(db).await;
}
"#;
    assert_eq!(
        facts(code),
        [
            "3 Sql billing.invoices [read] in report",
            "3 Sql customers [read] in report",
            "4 Sql roles [read] in report",
        ]
    );
}

#[test]
fn test_code_and_macro_bodies() {
    let code = r#"
async fn run(state: State) {
    tokio::select! {
        sent = state.producer.send(FutureRecord::to("orders.status"), Duration::from_secs(2)) => {}
        _ = shutdown() => {}
    }
}
#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn calls_the_mock() {
        reqwest::get("http://127.0.0.1:9/v1/ping").await.unwrap();
    }
}
"#;
    assert_eq!(
        facts(code),
        [
            "4 Publish orders.status in run",
            "12 HttpCall http://127.0.0.1:9/v1/ping [GET] in calls_the_mock test",
        ]
    );
}

#[test]
fn a_path_after_an_unknown_base_is_evidence_but_a_bare_key_is_not() {
    let code = r#"
async fn fetch(http: &reqwest::Client, base: &str, key: &str, cache: &Cache) {
    http.get(format!("{base}/v1/stock/{key}")).send().await;
    cache.get(format!("{base}{key}"));
    cache.get(format!("{key}/"));
}
"#;
    assert_eq!(facts(code), ["3 HttpCall ?/v1/stock/? [GET] in fetch"]);
}

#[test]
fn a_server_side_timeout_does_not_arm_a_client() {
    let code = r#"
fn main() {
    let http = reqwest::Client::new();
    let layer = tower::ServiceBuilder::new().timeout(std::time::Duration::from_secs(5));
}
"#;
    assert_eq!(facts(code), ["3 HttpClient  in main"]);
}

/// A value that doubles line after line is cut at the documented bound, and the cut part is
/// unknown (`?`): the call keeps its known start and costs kilobytes, not gigabytes.
#[test]
fn values_built_by_repeated_doubling_are_cut_at_the_bound() {
    use capgraph::extract::services::MAX_VALUE_BYTES;
    let mut code = String::from("async fn f() {\n    let a0 = \"http://orders/\";\n");
    for i in 1..=40 {
        code += &format!(
            "    let a{i} = format!(\"{{a{}}}{{a{}}}\");\n",
            i - 1,
            i - 1
        );
    }
    code += "    reqwest::get(a40).await;\n}\n";
    let found = facts(&code);
    assert_eq!(found.len(), 1, "{found:?}");
    let value = found[0]
        .strip_prefix("43 HttpCall ")
        .expect("one call on line 43");
    let value = value.split(" [").next().unwrap();
    assert!(value.starts_with("http://orders/http://orders/"), "{value}");
    assert!(value.ends_with('?'), "the cut rest is unknown");
    assert_eq!(value.len(), MAX_VALUE_BYTES + 1);
}
