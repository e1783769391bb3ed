use acme_telemetry::prelude::*;
use catalog_api::ProductUpdated;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::{ClientConfig, Message};

const PRODUCT_UPDATED: &str = "catalog.product-updated";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    acme_telemetry::init("search-indexer")?;
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", std::env::var("KAFKA_BROKERS")?)
        .set("group.id", "search-indexer")
        .create()?;
    consumer.subscribe(&[PRODUCT_UPDATED])?;
    loop {
        let message = consumer.recv().await?;
        let Some(payload) = message.payload() else { continue };
        match serde_json::from_slice::<ProductUpdated>(payload) {
            Ok(event) => info!(sku = %event.product.sku.0, revision = event.revision, "indexed"),
            Err(err) => warn!(%err, "skipping malformed product event"),
        }
    }
}
