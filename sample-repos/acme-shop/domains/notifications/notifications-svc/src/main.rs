mod mail;
mod receipts;

use acme_telemetry::prelude::*;
use checkout_api::{OrderPlaced, OrderStatus, OrderStatusChanged, ORDER_STATUS};
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::{ClientConfig, Message};

const ORDER_PLACED: &str = "orders.order-placed";

struct Customer {
    email: String,
    display_name: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    acme_telemetry::init("notifications-svc")?;
    let db = sqlx::PgPool::connect(&std::env::var("DATABASE_URL")?).await?;
    let mailer = mail::Mailer::from_env()?;
    let receipts = receipts::Receipts::connect().await?;
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", std::env::var("KAFKA_BROKERS")?)
        .set("group.id", "notifications-svc")
        .create()?;
    consumer.subscribe(&[ORDER_PLACED, ORDER_STATUS])?;
    loop {
        let message = consumer.recv().await?;
        let Some(payload) = message.payload() else { continue };
        let sent = match message.topic() {
            ORDER_PLACED => match serde_json::from_slice::<OrderPlaced>(payload) {
                Ok(event) => confirm_order(&db, &mailer, &receipts, event).await,
                Err(err) => { warn!(%err, "malformed order event"); continue; }
            },
            ORDER_STATUS => match serde_json::from_slice::<OrderStatusChanged>(payload) {
                Ok(event) => announce_status(&db, &mailer, event).await,
                Err(err) => { warn!(%err, "malformed order status event"); continue; }
            },
            topic => { warn!(topic, "message from an unexpected topic"); continue; }
        };
        if let Err(err) = sent {
            error!(%err, topic = message.topic(), "customer e-mail not sent");
        }
    }
}

/// Customers' addresses are read straight from the identity database.
async fn customer(db: &sqlx::PgPool, id: uuid::Uuid) -> sqlx::Result<Customer> {
    let row = sqlx::query!("SELECT email, display_name FROM users WHERE id = $1", id)
        .fetch_one(db)
        .await?;
    Ok(Customer { email: row.email, display_name: row.display_name })
}

async fn confirm_order(
    db: &sqlx::PgPool,
    mailer: &mail::Mailer,
    receipts: &receipts::Receipts,
    event: OrderPlaced,
) -> anyhow::Result<()> {
    let customer = customer(db, event.order.customer_id).await?;
    let receipt = receipts.for_order(event.order.id.to_string()).await?;
    let body = notification_templates::order_confirmation(&event.order, &customer.display_name, &receipt.authorization_id)?;
    mailer.send(&customer.email, "Your Acme order", &body).await
}

async fn announce_status(db: &sqlx::PgPool, mailer: &mail::Mailer, event: OrderStatusChanged) -> anyhow::Result<()> {
    if event.status == OrderStatus::Placed {
        // The order confirmation already told them.
        return Ok(());
    }
    let customer = customer(db, event.customer_id).await?;
    let (subject, body) = notification_templates::order_status(&event, &customer.display_name)?;
    mailer.send(&customer.email, subject, &body).await
}
