//! Request counters exposed on /metrics; kept local so the catalog can tune its buckets.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

static REQUESTS: AtomicU64 = AtomicU64::new(0);
static PUBLISH_FAILURES: AtomicU64 = AtomicU64::new(0);

pub fn record_request() {
    REQUESTS.fetch_add(1, Ordering::Relaxed);
}

pub fn record_publish_failure() {
    PUBLISH_FAILURES.fetch_add(1, Ordering::Relaxed);
}

pub fn requests() -> u64 {
    REQUESTS.load(Ordering::Relaxed)
}

/// The counters in Prometheus' text exposition format.
pub fn render() -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# TYPE catalog_requests_total counter");
    let _ = writeln!(out, "catalog_requests_total {}", requests());
    let _ = writeln!(out, "# TYPE catalog_publish_failures_total counter");
    let _ = writeln!(out, "catalog_publish_failures_total {}", PUBLISH_FAILURES.load(Ordering::Relaxed));
    if let Some(rss) = acme_telemetry::resident_bytes() {
        let _ = writeln!(out, "# TYPE process_resident_memory_bytes gauge");
        let _ = writeln!(out, "process_resident_memory_bytes {rss}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_counters_follow_recorded_requests() {
        let before = requests();
        record_request();
        assert!(requests() > before);
        assert!(render().contains("catalog_requests_total "));
    }
}
