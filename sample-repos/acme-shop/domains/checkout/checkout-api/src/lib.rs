//! Orders as other capabilities see them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CartLine {
    pub sku: catalog_api::Sku,
    pub quantity: u32,
    pub unit_price_cents: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Order {
    pub id: uuid::Uuid,
    pub customer_id: uuid::Uuid,
    pub lines: Vec<CartLine>,
    pub total_cents: i64,
    pub placed_at: chrono::DateTime<chrono::Utc>,
}

/// Who an order belongs to, for authorization checks.
#[derive(Debug, Clone, Copy)]
pub struct OrderScope {
    pub order_id: uuid::Uuid,
    pub customer_id: uuid::Uuid,
}

/// Published on `orders.order-placed`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrderPlaced {
    pub order: Order,
}

/// Topic of [`OrderStatusChanged`]: checkout publishes placed and cancelled orders,
/// fulfillment publishes shipped ones.
pub const ORDER_STATUS: &str = "orders.status";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Placed,
    Cancelled,
    Shipped,
}

/// Published on [`ORDER_STATUS`], keyed by order id.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrderStatusChanged {
    pub order_id: uuid::Uuid,
    pub customer_id: uuid::Uuid,
    pub status: OrderStatus,
    pub at: chrono::DateTime<chrono::Utc>,
}
