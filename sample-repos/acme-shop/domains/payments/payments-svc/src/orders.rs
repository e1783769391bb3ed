use checkout_api::OrderPlaced;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::{ClientConfig, Message};

/// Opens a ledger account for every placed order.
pub async fn consume(db: sqlx::PgPool) -> anyhow::Result<()> {
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", std::env::var("KAFKA_BROKERS")?)
        .set("group.id", "payments-svc")
        .create()?;
    consumer.subscribe(&["orders.order-placed"])?;
    loop {
        let message = consumer.recv().await?;
        let Some(payload) = message.payload() else { continue };
        let Ok(event) = serde_json::from_slice::<OrderPlaced>(payload) else { continue };
        sqlx::query("INSERT INTO ledger_entries (order_id, kind) VALUES ($1, 'open')")
            .bind(event.order.id)
            .execute(&db)
            .await?;
    }
}
