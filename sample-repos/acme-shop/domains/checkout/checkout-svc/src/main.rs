mod catalog;
mod orders;
mod payments;
mod shipping;

use axum::{middleware, routing::get, Router};

#[derive(Clone)]
pub struct AppState {
    pub db: sqlx::PgPool,
    pub catalog: catalog::CatalogClient,
    pub payments: payments::Payments,
    pub shipping: shipping::ShippingClient,
    pub producer: rdkafka::producer::FutureProducer,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    acme_telemetry::init("checkout-svc")?;
    let state = AppState {
        db: sqlx::PgPool::connect(&std::env::var("DATABASE_URL")?).await?,
        catalog: catalog::CatalogClient::from_env()?,
        payments: payments::Payments::connect().await?,
        shipping: shipping::ShippingClient::from_env()?,
        producer: rdkafka::ClientConfig::new()
            .set("bootstrap.servers", std::env::var("KAFKA_BROKERS")?)
            .create()?,
    };
    let app = Router::new()
        .route("/v1/carts/:id", get(orders::get_cart))
        .nest("/v1/orders", orders::routes())
        .route_layer(middleware::from_fn(authz::require_auth))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
