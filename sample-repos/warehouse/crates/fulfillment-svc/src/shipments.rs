use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use checkout_api::{OrderStatus, OrderStatusChanged, ORDER_STATUS};
use rdkafka::producer::FutureRecord;
use std::time::Duration;

/// Posted by the packing-line scanners when a parcel is handed to the carrier.
#[derive(Debug, serde::Deserialize)]
pub struct Dispatch {
    pub order_id: uuid::Uuid,
    pub customer_id: uuid::Uuid,
    pub tracking_number: String,
}

pub async fn dispatched(State(state): State<AppState>, Json(dispatch): Json<Dispatch>) -> StatusCode {
    let event = OrderStatusChanged {
        order_id: dispatch.order_id,
        customer_id: dispatch.customer_id,
        status: OrderStatus::Shipped,
        at: chrono::Utc::now(),
    };
    let Ok(payload) = serde_json::to_vec(&event) else { return StatusCode::INTERNAL_SERVER_ERROR };
    let key = dispatch.order_id.to_string();
    let record = FutureRecord::to(ORDER_STATUS).key(&key).payload(&payload);
    match state.producer.send(record, Duration::from_secs(2)).await {
        Ok(_) => {
            tracing::info!(order = %dispatch.order_id, tracking = %dispatch.tracking_number, "order shipped");
            StatusCode::NO_CONTENT
        }
        Err((err, _)) => {
            tracing::error!(%err, order = %dispatch.order_id, "shipment not published");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}
