//! The one way Acme services build outgoing HTTP clients: timeouts, retries budget and
//! trace propagation set once.

extern crate acme_telemetry as telemetry;

mod client;
mod propagation;

pub use client::{client, ClientOptions};
pub use propagation::{send, TRACEPARENT};

/// Largest response body a client may buffer in memory, given what the process already uses.
pub fn buffer_budget_bytes() -> u64 {
    const CEILING: u64 = 512 * 1024 * 1024;
    match telemetry::resident_bytes() {
        Some(rss) => CEILING.saturating_sub(rss).max(1024 * 1024),
        None => 16 * 1024 * 1024,
    }
}

/// Logs and metrics setup for binaries that only need an HTTP client, like one-off jobs.
pub fn init_for_job(name: &'static str) -> anyhow::Result<()> {
    telemetry::init(name)
}
