use identity_api::{IdentityClient, IdentityError};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn identity_svc() -> MockServer {
    let server = MockServer::start().await;
    std::env::set_var("IDENTITY_URL", server.uri());
    server
}

#[tokio::test]
async fn a_valid_token_yields_its_claims() {
    let server = identity_svc().await;
    Mock::given(method("POST"))
        .and(path("/v1/tokens/introspect"))
        .and(header("authorization", "Bearer good-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "sub": "7b0c3c1e-2f5a-4d8e-9a51-0c7f2b1d9e44",
            "email": "ranger@example.com",
            "scopes": ["shop"],
            "exp": 1767225600
        })))
        .mount(&server)
        .await;

    let claims = IdentityClient::from_env().unwrap().introspect("good-token").await.unwrap();
    assert_eq!(claims.email, "ranger@example.com");
    assert!(claims.has_scope("shop"));
}

#[tokio::test]
async fn a_rejected_token_is_an_error() {
    let server = identity_svc().await;
    Mock::given(method("POST"))
        .and(path("/v1/tokens/introspect"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;

    let result = IdentityClient::from_env().unwrap().introspect("expired").await;
    assert!(matches!(result, Err(IdentityError::Rejected)));
}
