mod picking;

use axum::{routing::get, Router};
use checkout_api::OrderPlaced;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::{ClientConfig, Message};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", std::env::var("KAFKA_BROKERS")?)
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
    let app = Router::new().route("/healthz", get(|| async { "ok" }));
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
