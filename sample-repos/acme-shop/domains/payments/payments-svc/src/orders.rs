use checkout_api::{self, OrderPlaced};
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
        open_account(&db, &event.order).await?;
    }
}

async fn open_account(db: &sqlx::PgPool, order: &checkout_api::Order) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO ledger_entries (order_id, kind, amount_cents) VALUES ($1, 'open', $2)")
        .bind(order.id)
        .bind(order.total_cents)
        .execute(db)
        .await?;
    tracing::debug!(order = %order.id, "ledger account opened");
    Ok(())
}
