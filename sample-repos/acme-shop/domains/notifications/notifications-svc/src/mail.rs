/// Sends transactional e-mail through the mail provider's HTTP API.
pub struct Mailer {
    http: reqwest::Client,
    api_key: String,
}

impl Mailer {
    pub fn from_env() -> anyhow::Result<Self> {
        let api_key = std::fs::read_to_string(std::env::var("MAIL_API_KEY_FILE")?)?;
        Ok(Self { http: reqwest::Client::new(), api_key: api_key.trim().to_string() })
    }

    pub async fn send(&self, to: &str, subject: &str, body: &str) -> anyhow::Result<()> {
        // capgraph: allow(OPS005) reason: the mail provider is an external vendor (contract VND-7), not one of our services
        self.http
            .post("https://api.mailprovider.example/v3/send")
            .bearer_auth(&self.api_key)
            .json(&serde_json::json!({ "to": to, "subject": subject, "text": body }))
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    }
}
