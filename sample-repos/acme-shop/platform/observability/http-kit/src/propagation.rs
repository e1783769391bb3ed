use std::time::Instant;
use telemetry::prelude::*;

/// Header carrying the caller's trace context, per W3C Trace Context.
pub const TRACEPARENT: &str = "traceparent";

/// Sends `request` with the current trace context attached and records its latency, labelled
/// by the calling service and the response status.
pub async fn send(
    service: &'static str,
    request: reqwest::RequestBuilder,
) -> reqwest::Result<reqwest::Response> {
    let request = match telemetry::current_traceparent() {
        Some(value) => request.header(TRACEPARENT, value),
        None => request,
    };
    let started = Instant::now();
    let result = request.send().await;
    let status = match &result {
        Ok(response) => response.status().as_u16().to_string(),
        Err(err) if err.is_timeout() => "timeout".to_string(),
        Err(_) => "error".to_string(),
    };
    metrics::histogram!(
        "http_client_request_duration_seconds",
        "service" => service,
        "status" => status
    )
    .record(started.elapsed().as_secs_f64());
    if let Err(err) = &result {
        warn!(service, %err, "outgoing request failed");
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn unreachable_hosts_are_reported_as_errors() {
        let http = crate::client("http-kit-tests", crate::ClientOptions::default());
        let result = send("http-kit-tests", http.get("http://127.0.0.1:9/")).await;
        assert!(result.is_err());
    }
}
