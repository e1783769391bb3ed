use catalog_api::fixtures;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn catalog_products_are_read_by_sku() {
    let catalog = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/products/TENT-2P-GRN"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixtures::tent()))
        .mount(&catalog)
        .await;
    let body: serde_json::Value = reqwest::get(format!("{}/v1/products/TENT-2P-GRN", catalog.uri()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["title"], "Two-person tent");
}
