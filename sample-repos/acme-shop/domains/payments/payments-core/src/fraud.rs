use crate::Money;
use std::time::Duration;

/// Orders above this need a manual review before capture.
pub const REVIEW_THRESHOLD_CENTS: i64 = 250_000;

/// Catalog categories that fraudsters buy to resell: gift cards and small electronics.
pub const HIGH_RISK_CATEGORIES: &[&str] = &["gift-cards", "electronics"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Risk {
    Standard,
    High,
}

#[derive(Debug, thiserror::Error)]
pub enum RiskLookupError {
    #[error("CATALOG_URL is not set")]
    NotConfigured(#[from] std::env::VarError),
    #[error("catalog lookup failed: {0}")]
    Catalog(#[from] reqwest::Error),
}

/// The one field of a catalog product the fraud check needs.
#[derive(serde::Deserialize)]
struct CatalogProduct {
    #[serde(default)]
    category: String,
}

/// Reads products' risk categories from catalog-svc; the base URL comes from `CATALOG_URL`.
#[derive(Clone)]
pub struct ProductRisk {
    http: reqwest::Client,
    base: String,
}

impl ProductRisk {
    pub fn from_env() -> Result<Self, RiskLookupError> {
        let base = std::env::var("CATALOG_URL")?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_millis(800))
            .build()?;
        Ok(Self { http, base })
    }

    pub async fn of(&self, sku: &str) -> Result<Risk, RiskLookupError> {
        let url = format!("{}/v1/products/{}", self.base, sku);
        let product: CatalogProduct = self.http.get(url).send().await?.error_for_status()?.json().await?;
        Ok(risk_of_category(&product.category))
    }

    /// The highest risk among an order's products.
    pub async fn of_order(&self, skus: &[String]) -> Result<Risk, RiskLookupError> {
        for sku in skus {
            if self.of(sku).await? == Risk::High {
                return Ok(Risk::High);
            }
        }
        Ok(Risk::Standard)
    }
}

pub fn risk_of_category(category: &str) -> Risk {
    if HIGH_RISK_CATEGORIES.contains(&category) { Risk::High } else { Risk::Standard }
}

pub fn needs_review(amount: Money, first_order: bool) -> bool {
    amount.cents >= REVIEW_THRESHOLD_CENTS || (first_order && amount.cents >= 50_000)
}

/// Like [`needs_review`], but any high-risk product sends the order to review.
pub fn needs_review_with(amount: Money, first_order: bool, risk: Risk) -> bool {
    risk == Risk::High || needs_review(amount, first_order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_orders_always_go_to_review() {
        assert!(needs_review(Money::eur(REVIEW_THRESHOLD_CENTS), false));
        assert!(!needs_review(Money::eur(REVIEW_THRESHOLD_CENTS - 1), false));
    }

    #[test]
    fn first_orders_have_a_lower_threshold() {
        assert!(needs_review(Money::eur(50_000), true));
        assert!(!needs_review(Money::eur(50_000), false));
    }

    #[test]
    fn gift_cards_go_to_review_whatever_the_amount() {
        assert_eq!(risk_of_category("gift-cards"), Risk::High);
        assert_eq!(risk_of_category("tents"), Risk::Standard);
        assert!(needs_review_with(Money::eur(2_500), false, Risk::High));
        assert!(!needs_review_with(Money::eur(2_500), false, Risk::Standard));
    }
}
