use catalog_api::Product;

/// Reads products from catalog-svc; the base URL comes from `CATALOG_URL`.
#[derive(Clone)]
pub struct CatalogClient {
    http: reqwest::Client,
    base: String,
}

impl CatalogClient {
    pub fn from_env() -> anyhow::Result<Self> {
        Ok(Self {
            http: http_kit::client("checkout-svc", http_kit::ClientOptions::default()),
            base: std::env::var("CATALOG_URL")?,
        })
    }

    pub async fn product(&self, sku: &str) -> anyhow::Result<Product> {
        let url = format!("{}/v1/products/{}", self.base, sku);
        Ok(self.http.get(url).send().await?.error_for_status()?.json().await?)
    }
}
