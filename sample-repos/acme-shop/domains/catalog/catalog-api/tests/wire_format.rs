//! The JSON shape of catalog types is a contract with checkout, search and partners' feeds.

use catalog_api::{Product, ProductUpdated, Sku};

fn lantern() -> Product {
    Product {
        id: uuid::Uuid::nil(),
        sku: Sku("LANTERN-LED-200".into()),
        title: "LED lantern, 200 lm".into(),
        price_cents: 2_495,
        currency: "EUR".into(),
        in_stock: true,
    }
}

#[test]
fn a_sku_is_a_plain_string_on_the_wire() {
    let value = serde_json::to_value(lantern()).unwrap();
    assert_eq!(value["sku"], "LANTERN-LED-200");
    assert_eq!(value["price_cents"], 2_495);
}

#[test]
fn product_updated_round_trips() {
    let event = ProductUpdated { product: lantern(), revision: 42 };
    let text = serde_json::to_string(&event).unwrap();
    let back: ProductUpdated = serde_json::from_str(&text).unwrap();
    assert_eq!(back.product.sku, event.product.sku);
    assert_eq!(back.revision, 42);
}
