use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use identity_api::{Claims, User};

#[derive(serde::Deserialize)]
pub struct ProfileUpdate {
    pub display_name: String,
}

pub async fn issue_token(
    State(state): State<AppState>,
    Json(login): Json<crate::tokens::Login>,
) -> Result<Json<String>, StatusCode> {
    let row = sqlx::query!(
        "SELECT id, email, password_hash FROM users WHERE email = $1",
        login.email
    )
    .fetch_optional(&state.db)
    .await
    .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?
    .ok_or(StatusCode::UNAUTHORIZED)?;
    let token = state.keys.sign(row.id, &row.email).map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    let session_id = format!("sess_{}", uuid::Uuid::new_v4().simple());
    sqlx::query!(
        "INSERT INTO sessions (id, user_id, issued_at) VALUES ($1, $2, now())",
        session_id,
        row.id
    )
    .execute(&state.db)
    .await
    .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    tracing::info!(user = %row.id, session = %session_id, "session opened");
    Ok(Json(token))
}

pub async fn introspect(State(state): State<AppState>, token: String) -> Result<Json<Claims>, StatusCode> {
    state.keys.verify(&token).map(Json).map_err(|_| StatusCode::UNAUTHORIZED)
}

pub async fn get_user(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<User>, StatusCode> {
    sqlx::query_as!(User, "SELECT id, email, display_name FROM users WHERE id = $1", id)
        .fetch_optional(&state.db)
        .await
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?
        .map(Json)
        .ok_or(StatusCode::NOT_FOUND)
}

pub async fn update_user(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    Json(update): Json<ProfileUpdate>,
) -> StatusCode {
    let name = update.display_name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return StatusCode::UNPROCESSABLE_ENTITY;
    }
    match sqlx::query!("UPDATE users SET display_name = $1 WHERE id = $2", name, id)
        .execute(&state.db)
        .await
    {
        Ok(done) if done.rows_affected() == 1 => StatusCode::NO_CONTENT,
        Ok(_) => StatusCode::NOT_FOUND,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}
