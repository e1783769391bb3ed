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
        category: "lighting".into(),
    }
}

#[test]
fn a_sku_is_a_plain_string_on_the_wire() {
    let value = serde_json::to_value(lantern()).unwrap();
    assert_eq!(value["sku"], "LANTERN-LED-200");
    assert_eq!(value["price_cents"], 2_495);
    assert_eq!(value["category"], "lighting");
}

#[test]
fn a_product_without_a_category_still_decodes() {
    let value = serde_json::json!({
        "id": "00000000-0000-0000-0000-000000000000",
        "sku": "LANTERN-LED-200",
        "title": "LED lantern, 200 lm",
        "price_cents": 2_495,
        "currency": "EUR",
        "in_stock": true
    });
    let product: Product = serde_json::from_value(value).unwrap();
    assert_eq!(product.category, "");
}

#[test]
fn product_updated_round_trips() {
    let event = ProductUpdated { product: lantern(), revision: 42 };
    let text = serde_json::to_string(&event).unwrap();
    let back: ProductUpdated = serde_json::from_str(&text).unwrap();
    assert_eq!(back.product.sku, event.product.sku);
    assert_eq!(back.revision, 42);
}
