//! Customer e-mail bodies, rendered from order events.

use checkout_api::Order;
use handlebars::Handlebars;
use std::sync::OnceLock;

const ORDER_CONFIRMATION: &str = include_str!("../templates/order_confirmation.hbs");

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
    })
}

pub fn order_confirmation(order: &Order, name: &str) -> Result<String, TemplateError> {
    let data = serde_json::json!({
        "name": name,
        "order_id": order.id,
        "total": format!("{:.2}", order.total_cents as f64 / 100.0),
        "currency": "EUR",
        "line_count": order.lines.iter().map(|line| line.quantity).sum::<u32>(),
    });
    registry()
        .render("order_confirmation", &data)
        .map_err(|source| TemplateError::Render { name: "order_confirmation", source })
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
        let body = order_confirmation(&order, "Kim").unwrap();
        assert!(body.starts_with("Hi Kim,"));
        assert!(body.contains("29.00 EUR for 2 item(s)"));
    }
}
