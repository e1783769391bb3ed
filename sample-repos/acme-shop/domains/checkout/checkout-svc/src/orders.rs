use crate::AppState;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::Json;
use cart::Cart;
use checkout_api::{Order, OrderPlaced};
use ident::Claims;
use rdkafka::producer::FutureRecord;

const ORDER_PLACED: &str = "orders.order-placed";

#[derive(serde::Deserialize)]
pub struct PlaceOrder {
    pub skus: Vec<(String, u32)>,
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
    let order = Order {
        id: uuid::Uuid::new_v4(),
        customer_id: claims.sub,
        lines: cart.lines().to_vec(),
        total_cents: cart.total_cents(),
        placed_at: chrono::Utc::now(),
    };
    let amount = payments_core::Money::eur(order.total_cents);
    state.payments.authorize(order.id, amount).await.map_err(|_| StatusCode::PAYMENT_REQUIRED)?;

    let payload = serde_json::to_vec(&OrderPlaced { order: order.clone() }).map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    let key = order.id.to_string();
    tokio::select! {
        sent = state.producer.send(FutureRecord::to(ORDER_PLACED).key(&key).payload(&payload), std::time::Duration::from_secs(2)) => {
            if sent.is_err() { tracing::error!(order = %order.id, "order placed but event not published"); }
        }
        _ = tokio::time::sleep(std::time::Duration::from_secs(3)) => {
            tracing::warn!(order = %order.id, "publishing order-placed timed out");
        }
    }
    Ok(Json(order))
}
