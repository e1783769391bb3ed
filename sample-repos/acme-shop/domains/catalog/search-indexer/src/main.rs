use acme_telemetry::prelude::*;
use catalog_api::ProductUpdated;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::{ClientConfig, Message};
use serde_json as json;

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
        match json::from_slice::<ProductUpdated>(payload) {
            Ok(event) => info!(sku = %event.product.sku.0, revision = event.revision, "indexed"),
            Err(err) => warn!(%err, "skipping malformed product event"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_events_decode_from_the_wire_format() {
        let payload = json::json!({
            "product": {
                "id": "00000000-0000-0000-0000-000000000000",
                "sku": "STOVE-TI-1",
                "title": "Titanium stove",
                "price_cents": 5_990,
                "currency": "EUR",
                "in_stock": false,
                "category": "cooking"
            },
            "revision": 3
        });
        let event: ProductUpdated = json::from_value(payload).unwrap();
        assert_eq!(event.product.sku.0, "STOVE-TI-1");
        assert_eq!(event.revision, 3);
    }
}
