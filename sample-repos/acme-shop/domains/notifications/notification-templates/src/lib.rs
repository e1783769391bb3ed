//! Customer e-mail bodies, rendered from order events.

use checkout_api::Order;

pub fn order_confirmation(order: &Order, name: &str) -> String {
    let euros = order.total_cents as f64 / 100.0;
    format!(
        "Hi {name},\n\nthanks for your order {}. We charged {euros:.2} EUR and will let you know when it ships.\n\nAcme Outdoor",
        order.id
    )
}
