use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use shipping_rates::{Carrier, Parcel};

/// What checkout tells us about a cart when it asks for a shipping price.
#[derive(Debug, Deserialize)]
pub struct QuoteRequest {
    pub items: u32,
}

#[derive(Debug, Serialize)]
pub struct Quote {
    pub carrier: &'static str,
    pub cents: i64,
}

/// The cheapest carrier for the parcel the cart will make.
pub async fn quote(Json(request): Json<QuoteRequest>) -> Result<Json<Quote>, StatusCode> {
    let parcel = Parcel::from_lines(request.items as usize);
    let (carrier, cents) = parcel.cheapest().ok_or(StatusCode::UNPROCESSABLE_ENTITY)?;
    let carrier = match carrier {
        Carrier::Dhl => "dhl",
        Carrier::Dpd => "dpd",
        Carrier::Ups => "ups",
    };
    Ok(Json(Quote { carrier, cents }))
}
