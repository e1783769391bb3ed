use crate::error::AppError;
use crate::{metrics, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use catalog_api::{Product, ProductUpdated, Sku};

type ProductRow = (uuid::Uuid, String, String, i64, String, bool, String);

pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<Product>>, StatusCode> {
    metrics::record_request();
    let rows = sqlx::query_as::<_, ProductRow>(
        "SELECT id, sku, title, price_cents, currency, in_stock, category FROM products ORDER BY title",
    )
    .fetch_all(&state.db)
    .await
    .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    Ok(Json(rows.into_iter().map(to_product).collect()))
}

pub async fn get_by_sku(
    State(state): State<AppState>,
    Path(sku): Path<String>,
) -> Result<Json<catalog_api::Product>, AppError> {
    metrics::record_request();
    let row = sqlx::query_as::<_, ProductRow>(
        "SELECT id, sku, title, price_cents, currency, in_stock, category FROM products WHERE sku = $1",
    )
    .bind(&sku)
    .fetch_optional(&state.db)
    .await?;
    row.map(|r| Json(to_product(r))).ok_or(AppError::NotFound(sku))
}

pub async fn create(State(state): State<AppState>, Json(product): Json<Product>) -> StatusCode {
    upsert(&state, product, 1).await
}

pub async fn update(State(state): State<AppState>, Json(product): Json<Product>) -> StatusCode {
    upsert(&state, product, 2).await
}

async fn upsert(state: &AppState, product: Product, revision: u64) -> StatusCode {
    let stored = sqlx::query("INSERT INTO products (id, sku, title, price_cents, currency, in_stock, category) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (sku) DO UPDATE SET title = excluded.title, category = excluded.category")
        .bind(product.id)
        .bind(&product.sku.0)
        .bind(&product.title)
        .bind(product.price_cents)
        .bind(&product.currency)
        .bind(product.in_stock)
        .bind(&product.category)
        .execute(&state.db)
        .await;
    if stored.is_err() {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    match state.events.product_updated(&ProductUpdated { product, revision }).await {
        Ok(()) => StatusCode::NO_CONTENT,
        Err(err) => {
            metrics::record_publish_failure();
            tracing::error!(%err, "product stored but event not published");
            StatusCode::ACCEPTED
        }
    }
}

fn to_product((id, sku, title, price_cents, currency, in_stock, category): ProductRow) -> Product {
    Product { id, sku: Sku(sku), title, price_cents, currency, in_stock, category }
}
