mod mail;

use acme_telemetry::prelude::*;
use checkout_api::OrderPlaced;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::{ClientConfig, Message};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    acme_telemetry::init("notifications-svc")?;
    let db = sqlx::PgPool::connect(&std::env::var("DATABASE_URL")?).await?;
    let mailer = mail::Mailer::from_env()?;
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", std::env::var("KAFKA_BROKERS")?)
        .set("group.id", "notifications-svc")
        .create()?;
    consumer.subscribe(&["orders.order-placed"])?;
    loop {
        let message = consumer.recv().await?;
        let Some(payload) = message.payload() else { continue };
        let event: OrderPlaced = match serde_json::from_slice(payload) {
            Ok(event) => event,
            Err(err) => { warn!(%err, "malformed order event"); continue; }
        };
        let (email, name): (String, String) =
            sqlx::query_as("SELECT email, display_name FROM users WHERE id = $1")
                .bind(event.order.customer_id)
                .fetch_one(&db)
                .await?;
        let body = match notification_templates::order_confirmation(&event.order, &name) {
            Ok(body) => body,
            Err(err) => { error!(%err, order = %event.order.id, "confirmation not rendered"); continue; }
        };
        if let Err(err) = mailer.send(&email, "Your Acme order", &body).await {
            error!(%err, order = %event.order.id, "confirmation e-mail failed");
        }
    }
}
