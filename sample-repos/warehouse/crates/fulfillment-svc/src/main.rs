mod auth;
mod picking;
mod quotes;
mod shipments;

use axum::{routing::{get, post}, Router};
use checkout_api::OrderPlaced;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::producer::FutureProducer;
use rdkafka::{ClientConfig, Message};

#[derive(Clone)]
pub struct AppState {
    pub producer: FutureProducer,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let brokers = std::env::var("KAFKA_BROKERS")?;
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", &brokers)
        .set("group.id", "fulfillment-svc")
        .create()?;
    consumer.subscribe(&["orders.order-placed"])?;
    tokio::spawn(async move {
        loop {
            let Ok(message) = consumer.recv().await else { continue };
            let Some(payload) = message.payload() else { continue };
            if let Ok(event) = serde_json::from_slice::<OrderPlaced>(payload) {
                if let Err(err) = picking::schedule(&event.order).await {
                    tracing::error!(%err, order = %event.order.id, "could not schedule picking");
                }
            }
        }
    });
    let state = AppState {
        producer: ClientConfig::new().set("bootstrap.servers", &brokers).create()?,
    };
    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/v1/quotes", post(quotes::quote))
        .route("/v1/shipments", post(shipments::dispatched))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
