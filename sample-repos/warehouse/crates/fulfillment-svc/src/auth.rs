//! Tokens of the handheld scanners on the warehouse floor. The scanners cannot reach the
//! identity service from the loading docks, so fulfillment checks the tokens locally.

use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct ScannerClaims {
    pub sub: String,
    pub dock: u32,
    pub exp: usize,
}

pub fn verify_scanner_token(token: &str, public_key_pem: &[u8]) -> anyhow::Result<ScannerClaims> {
    let key = DecodingKey::from_rsa_pem(public_key_pem)?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&["warehouse-scanners"]);
    Ok(decode::<ScannerClaims>(token, &key, &validation)?.claims)
}
