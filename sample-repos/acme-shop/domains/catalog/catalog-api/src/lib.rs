//! The catalog's public types: what other capabilities may know about a product.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Sku(pub String);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Product {
    pub id: uuid::Uuid,
    pub sku: Sku,
    pub title: String,
    pub price_cents: i64,
    pub currency: String,
    pub in_stock: bool,
    /// Merchandising category, e.g. `tents` or `gift-cards`.
    #[serde(default)]
    pub category: String,
}

/// Published on `catalog.product-updated` whenever a product changes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProductUpdated {
    pub product: Product,
    pub revision: u64,
}

#[cfg(feature = "test-fixtures")]
pub mod fixtures {
    use super::*;

    pub fn tent() -> Product {
        Product {
            id: uuid::Uuid::nil(),
            sku: Sku("TENT-2P-GRN".into()),
            title: "Two-person tent".into(),
            price_cents: 24_900,
            currency: "EUR".into(),
            in_stock: true,
            category: "tents".into(),
        }
    }
}
