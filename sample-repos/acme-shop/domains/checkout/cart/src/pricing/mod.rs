//! Totals and volume discounts. Owned by the pricing engineers in payments.

use checkout_api::CartLine;

/// Ten percent off any line of ten items or more.
pub fn total(lines: &[CartLine]) -> i64 {
    lines
        .iter()
        .map(|line| {
            let gross = line.unit_price_cents * i64::from(line.quantity);
            if line.quantity >= 10 { gross - gross / 10 } else { gross }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use catalog_api::Sku;

    #[test]
    fn volume_discount_applies_from_ten_items() {
        let line = CartLine { sku: Sku("STOVE".into()), quantity: 10, unit_price_cents: 1_000 };
        assert_eq!(total(&[line]), 9_000);
    }
}
