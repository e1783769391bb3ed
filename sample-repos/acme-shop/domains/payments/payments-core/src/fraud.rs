use crate::Money;

/// Orders above this need a manual review before capture.
pub const REVIEW_THRESHOLD_CENTS: i64 = 250_000;

pub fn needs_review(amount: Money, first_order: bool) -> bool {
    amount.cents >= REVIEW_THRESHOLD_CENTS || (first_order && amount.cents >= 50_000)
}
