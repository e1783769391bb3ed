use crate::{Claims, User};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("identity service unreachable: {0}")]
    Transport(#[from] reqwest::Error),
    #[error("token rejected")]
    Rejected,
}

/// Talks to identity-svc. The base URL comes from `IDENTITY_URL`.
#[derive(Clone)]
pub struct IdentityClient {
    http: reqwest::Client,
    base: String,
}

impl IdentityClient {
    pub fn from_env() -> Result<Self, IdentityError> {
        let base = std::env::var("IDENTITY_URL").unwrap_or_else(|_| "http://identity-svc:8080".into());
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()?;
        Ok(Self { http, base })
    }

    pub async fn introspect(&self, token: &str) -> Result<Claims, IdentityError> {
        let response = self
            .http
            .post(format!("{}/v1/tokens/introspect", self.base))
            .bearer_auth(token)
            .send()
            .await?;
        if response.status() == reqwest::StatusCode::UNAUTHORIZED {
            return Err(IdentityError::Rejected);
        }
        Ok(response.json().await?)
    }

    pub async fn user(&self, id: uuid::Uuid) -> Result<User, IdentityError> {
        let url = format!("{}/v1/users/{id}", self.base);
        Ok(self.http.get(url).send().await?.error_for_status()?.json().await?)
    }
}
