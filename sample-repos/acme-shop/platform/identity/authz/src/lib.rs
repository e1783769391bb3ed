//! Request authorization for axum services: checks the bearer token with identity-svc and
//! puts the caller's claims into request extensions.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use identity_api::{Claims, IdentityClient};

pub async fn require_auth(request: Request, next: Next) -> Result<Response, StatusCode> {
    let token = request
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or(StatusCode::UNAUTHORIZED)?
        .to_string();
    let client = IdentityClient::from_env().map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let claims = client.introspect(&token).await.map_err(|err| {
        tracing::warn!(%err, "token introspection failed");
        StatusCode::UNAUTHORIZED
    })?;
    let mut request = request;
    request.extensions_mut().insert(claims);
    Ok(next.run(request).await)
}

/// Whether the caller may act on an order: its owner, or support staff.
pub fn may_access_order(claims: &Claims, scope: &checkout_api::OrderScope) -> bool {
    claims.has_scope("support") || scope.customer_id == claims.sub
}
