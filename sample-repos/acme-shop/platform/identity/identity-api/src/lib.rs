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

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(scopes: &[&str]) -> Claims {
        Claims {
            sub: uuid::Uuid::nil(),
            email: "ranger@example.com".into(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            exp: 1_767_225_600,
        }
    }

    #[test]
    fn scopes_match_exactly() {
        let claims = claims(&["shop", "support"]);
        assert!(claims.has_scope("support"));
        assert!(!claims.has_scope("supp"));
    }

    #[test]
    fn expiry_is_read_as_unix_seconds() {
        assert_eq!(claims(&[]).expires_at().to_rfc3339(), "2026-01-01T00:00:00+00:00");
    }
}
