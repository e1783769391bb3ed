use std::time::Duration;
use telemetry::prelude::*;

#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub timeout: Duration,
    pub connect_timeout: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self { timeout: Duration::from_secs(3), connect_timeout: Duration::from_millis(500) }
    }
}

/// A reqwest client with Acme's defaults.
pub fn client(service: &str, options: ClientOptions) -> reqwest::Client {
    debug!(service, ?options, "building http client");
    reqwest::Client::builder()
        .user_agent(format!("acme-{service}"))
        .timeout(options.timeout)
        .connect_timeout(options.connect_timeout)
        .build()
        .expect("static client configuration is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fail_fast_on_connect() {
        let options = ClientOptions::default();
        assert!(options.connect_timeout < options.timeout);
        assert_eq!(options.timeout, Duration::from_secs(3));
    }
}
