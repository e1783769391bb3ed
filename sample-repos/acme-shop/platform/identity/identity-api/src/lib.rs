//! Types and a small client for the identity service. Every service that authenticates
//! callers or looks up users depends on this crate, never on identity-svc itself.

mod client;

pub use client::{IdentityClient, IdentityError};

use serde::{Deserialize, Serialize};

/// The claims inside an Acme access token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub sub: uuid::Uuid,
    pub email: String,
    pub scopes: Vec<String>,
    pub exp: i64,
}

impl Claims {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    pub fn expires_at(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp(self.exp, 0).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub id: uuid::Uuid,
    pub email: String,
    pub display_name: String,
}
