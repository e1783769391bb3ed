//! Re-publishes every product, for a new consumer of `catalog.product-updated`.

use catalog_api::{Product, ProductUpdated, Sku};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    acme_telemetry::init("catalog-backfill")?;
    let db = sqlx::PgPool::connect(&std::env::var("DATABASE_URL")?).await?;
    let rows: Vec<(uuid::Uuid, String, String, i64, String)> =
        sqlx::query_as("SELECT id, sku, title, price_cents, category FROM products")
            .fetch_all(&db)
            .await?;
    for (id, sku, title, price_cents, category) in rows {
        let event = ProductUpdated {
            product: Product { id, sku: Sku(sku), title, price_cents, currency: "EUR".into(), in_stock: true, category },
            revision: 0,
        };
        println!("{}", serde_json::to_string(&event)?);
    }
    Ok(())
}
