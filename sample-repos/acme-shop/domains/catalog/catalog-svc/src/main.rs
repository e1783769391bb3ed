mod error;
mod events;
mod metrics;
mod products;

use axum::{middleware, routing::get, Router};

#[derive(Clone)]
pub struct AppState {
    pub db: sqlx::PgPool,
    pub events: events::Publisher,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    acme_telemetry::init("catalog-svc")?;
    let db = sqlx::PgPool::connect(&std::env::var("DATABASE_URL")?).await?;
    let events = events::Publisher::new(&std::env::var("KAFKA_BROKERS")?)?;
    let state = AppState { db, events };

    let app = Router::new()
        .route("/v1/products", get(products::list).post(products::create))
        .route("/v1/products/:sku", get(products::get_by_sku).put(products::update))
        .route_layer(middleware::from_fn(authz::require_auth))
        .route("/metrics", get(|| async { metrics::render() }))
        .with_state(state);

    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
