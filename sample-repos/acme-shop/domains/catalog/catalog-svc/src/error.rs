use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("no product with sku {0}")]
    NotFound(String),
    #[error("database unavailable")]
    Database(#[from] sqlx::Error),
    #[error("product stored but not published")]
    Publish(#[source] anyhow::Error),
}

#[derive(serde::Serialize)]
struct ErrorBody {
    code: &'static str,
    message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Database(err) => {
                tracing::error!(%err, "catalog query failed");
                (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
            }
            AppError::Publish(err) => {
                tracing::error!(%err, "product-updated not published");
                (StatusCode::ACCEPTED, "publish_pending")
            }
        };
        let body = ErrorBody { code, message: self.to_string() };
        (status, Json(body)).into_response()
    }
}
