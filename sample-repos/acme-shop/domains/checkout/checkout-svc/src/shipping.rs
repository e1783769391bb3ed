use serde::{Deserialize, Serialize};

/// Asks fulfillment-svc what shipping an order will cost; the base URL comes from
/// `FULFILLMENT_URL`.
#[derive(Clone)]
pub struct ShippingClient {
    http: reqwest::Client,
    base: String,
}

#[derive(Debug, Serialize)]
struct QuoteRequest {
    items: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Quote {
    pub carrier: String,
    pub cents: i64,
}

impl ShippingClient {
    pub fn from_env() -> anyhow::Result<Self> {
        Ok(Self {
            http: http_kit::client("checkout-svc", http_kit::ClientOptions::default()),
            base: std::env::var("FULFILLMENT_URL")?,
        })
    }

    pub async fn quote(&self, items: u32) -> anyhow::Result<Quote> {
        let url = format!("{}/v1/quotes", self.base);
        let response = self.http.post(url).json(&QuoteRequest { items }).send().await?;
        Ok(response.error_for_status()?.json().await?)
    }
}
