//! The pre-2024 settlement format, still read for merchants on the old contract.

#[derive(serde::Deserialize)]
pub struct Settlement {
    pub merchant: String,
    pub amount_cents: i64,
}
