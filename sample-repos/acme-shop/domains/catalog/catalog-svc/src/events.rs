use catalog_api::ProductUpdated;
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::ClientConfig;
use std::time::Duration;

pub const PRODUCT_UPDATED: &str = "catalog.product-updated";

#[derive(Clone)]
pub struct Publisher {
    producer: FutureProducer,
}

impl Publisher {
    pub fn new(brokers: &str) -> anyhow::Result<Self> {
        let producer = ClientConfig::new()
            .set("bootstrap.servers", brokers)
            .set("message.timeout.ms", "5000")
            .create()?;
        Ok(Self { producer })
    }

    pub async fn product_updated(&self, event: &ProductUpdated) -> anyhow::Result<()> {
        let payload = serde_json::to_vec(event)?;
        let key = event.product.sku.0.clone();
        self.producer
            .send(FutureRecord::to(PRODUCT_UPDATED).key(&key).payload(&payload), Duration::from_secs(1))
            .await
            .map_err(|(err, _)| anyhow::anyhow!(err))?;
        Ok(())
    }
}
