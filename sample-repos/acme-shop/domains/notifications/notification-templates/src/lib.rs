//! Customer e-mail bodies, rendered from order events.

use checkout_api::{Order, OrderStatus, OrderStatusChanged};
use handlebars::Handlebars;
use std::sync::OnceLock;

const ORDER_CONFIRMATION: &str = include_str!("../templates/order_confirmation.hbs");
const ORDER_STATUS: &str = include_str!("../templates/order_status.hbs");

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("template `{name}` failed to render: {source}")]
    Render {
        name: &'static str,
        #[source]
        source: handlebars::RenderError,
    },
}

fn registry() -> &'static Handlebars<'static> {
    static REGISTRY: OnceLock<Handlebars<'static>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry
            .register_template_string("order_confirmation", ORDER_CONFIRMATION)
            .expect("bundled templates parse");
        registry
            .register_template_string("order_status", ORDER_STATUS)
            .expect("bundled templates parse");
        registry
    })
}

pub fn order_confirmation(order: &Order, name: &str, payment_reference: &str) -> Result<String, TemplateError> {
    let data = serde_json::json!({
        "name": name,
        "payment_reference": payment_reference,
        "order_id": order.id,
        "total": format!("{:.2}", order.total_cents as f64 / 100.0),
        "currency": "EUR",
        "line_count": order.lines.iter().map(|line| line.quantity).sum::<u32>(),
    });
    registry()
        .render("order_confirmation", &data)
        .map_err(|source| TemplateError::Render { name: "order_confirmation", source })
}

/// Subject and body of the e-mail telling a customer their order changed status.
pub fn order_status(event: &OrderStatusChanged, name: &str) -> Result<(&'static str, String), TemplateError> {
    let (subject, status) = match event.status {
        OrderStatus::Placed => ("Your Acme order", "placed"),
        OrderStatus::Shipped => ("Your Acme order has shipped", "shipped"),
        OrderStatus::Cancelled => ("Your Acme order was cancelled", "cancelled"),
    };
    let data = serde_json::json!({
        "name": name,
        "order_id": event.order_id,
        "status": status,
        "shipped": event.status == OrderStatus::Shipped,
        "cancelled": event.status == OrderStatus::Cancelled,
    });
    let body = registry()
        .render("order_status", &data)
        .map_err(|source| TemplateError::Render { name: "order_status", source })?;
    Ok((subject, body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkout_api::CartLine;

    #[test]
    fn confirmation_names_the_customer_and_total() {
        let order = Order {
            id: uuid::Uuid::nil(),
            customer_id: uuid::Uuid::nil(),
            lines: vec![CartLine { sku: catalog_api::Sku("MUG-ENAMEL".into()), quantity: 2, unit_price_cents: 1_450 }],
            total_cents: 2_900,
            placed_at: chrono::Utc::now(),
        };
        let body = order_confirmation(&order, "Kim", "7f3c9a0e").unwrap();
        assert!(body.starts_with("Hi Kim,"));
        assert!(body.contains("29.00 EUR for 2 item(s)"));
        assert!(body.contains("Payment reference: 7f3c9a0e"));
    }

    #[test]
    fn shipped_orders_get_their_own_subject() {
        let event = OrderStatusChanged {
            order_id: uuid::Uuid::nil(),
            customer_id: uuid::Uuid::nil(),
            status: OrderStatus::Shipped,
            at: chrono::Utc::now(),
        };
        let (subject, body) = order_status(&event, "Kim").unwrap();
        assert_eq!(subject, "Your Acme order has shipped");
        assert!(body.contains("is on its way"));
    }
}
