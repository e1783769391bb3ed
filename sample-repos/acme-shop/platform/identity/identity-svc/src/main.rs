mod routes;
mod tokens;

use axum::{routing::{get, post}, Router};
use sqlx::postgres::PgPoolOptions;

#[derive(Clone)]
pub struct AppState {
    pub db: sqlx::PgPool,
    pub keys: tokens::Keys,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    acme_telemetry::init("identity-svc")?;
    let db = PgPoolOptions::new()
        .max_connections(20)
        .connect(&std::env::var("DATABASE_URL")?)
        .await?;
    let state = AppState { db, keys: tokens::Keys::from_env()? };

    let app = Router::new()
        .route("/v1/tokens", post(routes::issue_token))
        .route("/v1/tokens/introspect", post(routes::introspect))
        .route("/v1/users/:id", get(routes::get_user).patch(routes::update_user))
        .with_state(state);

    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    tracing::info!("identity-svc listening on :8080");
    axum::serve(listener, app).await?;
    Ok(())
}
