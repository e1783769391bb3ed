use identity_api::Claims;
use jsonwebtoken::{self, decode, encode, DecodingKey, EncodingKey, Header, Validation};

#[derive(serde::Deserialize)]
pub struct Login {
    pub email: String,
    pub password: String,
}

#[derive(Clone)]
pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl Keys {
    pub fn from_env() -> anyhow::Result<Self> {
        let secret = std::fs::read(std::env::var("JWT_SIGNING_KEY_FILE")?)?;
        Ok(Self {
            encoding: EncodingKey::from_secret(&secret),
            decoding: DecodingKey::from_secret(&secret),
        })
    }

    pub fn sign(&self, sub: uuid::Uuid, email: &str) -> jsonwebtoken::errors::Result<String> {
        let claims = Claims { sub, email: email.to_string(), scopes: vec!["shop".into()], exp: 0 };
        encode(&Header::default(), &claims, &self.encoding)
    }

    pub fn verify(&self, token: &str) -> jsonwebtoken::errors::Result<Claims> {
        decode::<Claims>(token, &self.decoding, &Validation::default()).map(|data| data.claims)
    }
}
