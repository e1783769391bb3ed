mod catalog;
mod orders;
mod payments;

use axum::{middleware, routing::{get, post}, Router};

#[derive(Clone)]
pub struct AppState {
    pub catalog: catalog::CatalogClient,
    pub payments: payments::Payments,
    pub producer: rdkafka::producer::FutureProducer,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    acme_telemetry::init("checkout-svc")?;
    let state = AppState {
        catalog: catalog::CatalogClient::from_env()?,
        payments: payments::Payments::connect().await?,
        producer: rdkafka::ClientConfig::new()
            .set("bootstrap.servers", std::env::var("KAFKA_BROKERS")?)
            .create()?,
    };
    let app = Router::new()
        .route("/v1/carts/:id", get(orders::get_cart))
        .route("/v1/orders", post(orders::place_order))
        .route_layer(middleware::from_fn(authz::require_auth))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
