use crate::Money;

/// Orders above this need a manual review before capture.
pub const REVIEW_THRESHOLD_CENTS: i64 = 250_000;

pub fn needs_review(amount: Money, first_order: bool) -> bool {
    amount.cents >= REVIEW_THRESHOLD_CENTS || (first_order && amount.cents >= 50_000)
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
}
