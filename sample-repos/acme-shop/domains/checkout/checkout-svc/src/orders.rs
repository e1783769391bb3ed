use crate::AppState;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use cart::Cart;
use checkout_api::{Order, OrderPlaced, OrderScope, OrderStatus, OrderStatusChanged, ORDER_STATUS};
use ident::Claims;
use rdkafka::producer::FutureRecord;
use std::time::Duration;

const ORDER_PLACED: &str = "orders.order-placed";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", post(place_order))
        .route("/:id", get(get_order))
        .route("/:id/cancel", post(cancel_order))
}

#[derive(serde::Deserialize)]
pub struct PlaceOrder {
    pub skus: Vec<(String, u32)>,
}

#[derive(serde::Serialize)]
pub struct OrderView {
    pub id: uuid::Uuid,
    pub status: String,
    pub total_cents: i64,
    pub placed_at: chrono::DateTime<chrono::Utc>,
}

pub async fn get_cart(Path(id): Path<uuid::Uuid>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "id": id, "lines": [] }))
}

pub async fn place_order(
    State(state): State<AppState>,
    Extension(claims): Extension<Claims>,
    Json(request): Json<PlaceOrder>,
) -> Result<Json<Order>, StatusCode> {
    let mut cart = Cart::default();
    for (sku, quantity) in &request.skus {
        let product = state.catalog.product(sku).await.map_err(|_| StatusCode::BAD_GATEWAY)?;
        cart.add(&product, *quantity).map_err(|_| StatusCode::UNPROCESSABLE_ENTITY)?;
    }
    let items = cart.lines().iter().map(|line| line.quantity).sum();
    let shipping = state.shipping.quote(items).await.map_err(|_| StatusCode::BAD_GATEWAY)?;
    let order = Order {
        id: uuid::Uuid::new_v4(),
        customer_id: claims.sub,
        lines: cart.lines().to_vec(),
        total_cents: cart.total_cents() + shipping.cents,
        placed_at: chrono::Utc::now(),
    };
    let amount = payments_core::Money::eur(order.total_cents);
    let skus = order.lines.iter().map(|line| line.sku.0.clone()).collect();
    state.payments.authorize(order.id, skus, amount).await.map_err(|_| StatusCode::PAYMENT_REQUIRED)?;

    sqlx::query("INSERT INTO orders (id, customer_id, total_cents, carrier, status, placed_at) VALUES ($1, $2, $3, $4, 'placed', $5)")
        .bind(order.id)
        .bind(order.customer_id)
        .bind(order.total_cents)
        .bind(&shipping.carrier)
        .bind(order.placed_at)
        .execute(&state.db)
        .await
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;

    let payload = serde_json::to_vec(&OrderPlaced { order: order.clone() }).map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    let key = order.id.to_string();
    tokio::select! {
        sent = state.producer.send(FutureRecord::to(ORDER_PLACED).key(&key).payload(&payload), Duration::from_secs(2)) => {
            if sent.is_err() { tracing::error!(order = %order.id, "order placed but event not published"); }
        }
        _ = tokio::time::sleep(Duration::from_secs(3)) => {
            tracing::warn!(order = %order.id, "publishing order-placed timed out");
        }
    }
    publish_status(&state, order.id, order.customer_id, OrderStatus::Placed).await;
    Ok(Json(order))
}

pub async fn get_order(
    State(state): State<AppState>,
    Extension(claims): Extension<Claims>,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<OrderView>, StatusCode> {
    let (customer_id, status, total_cents, placed_at): (uuid::Uuid, String, i64, chrono::DateTime<chrono::Utc>) =
        sqlx::query_as("SELECT customer_id, status, total_cents, placed_at FROM orders WHERE id = $1")
            .bind(id)
            .fetch_optional(&state.db)
            .await
            .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?
            .ok_or(StatusCode::NOT_FOUND)?;
    if !authz::may_access_order(&claims, &OrderScope { order_id: id, customer_id }) {
        return Err(StatusCode::NOT_FOUND);
    }
    Ok(Json(OrderView { id, status, total_cents, placed_at }))
}

pub async fn cancel_order(
    State(state): State<AppState>,
    Extension(claims): Extension<Claims>,
    Path(id): Path<uuid::Uuid>,
) -> StatusCode {
    let cancelled: Result<Option<(uuid::Uuid,)>, _> =
        sqlx::query_as("UPDATE orders SET status = 'cancelled' WHERE id = $1 AND customer_id = $2 AND status = 'placed' RETURNING customer_id")
            .bind(id)
            .bind(claims.sub)
            .fetch_optional(&state.db)
            .await;
    match cancelled {
        Ok(Some((customer_id,))) => {
            publish_status(&state, id, customer_id, OrderStatus::Cancelled).await;
            StatusCode::NO_CONTENT
        }
        Ok(None) => StatusCode::CONFLICT,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

async fn publish_status(state: &AppState, order_id: uuid::Uuid, customer_id: uuid::Uuid, status: OrderStatus) {
    let event = OrderStatusChanged { order_id, customer_id, status, at: chrono::Utc::now() };
    let Ok(payload) = serde_json::to_vec(&event) else { return };
    let key = order_id.to_string();
    let record = FutureRecord::to(ORDER_STATUS).key(&key).payload(&payload);
    if let Err((err, _)) = state.producer.send(record, Duration::from_secs(2)).await {
        tracing::error!(%err, order = %order_id, ?status, "order status not published");
    }
}
