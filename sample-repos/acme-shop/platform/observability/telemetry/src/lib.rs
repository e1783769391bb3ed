//! Logging and process metrics setup shared by every Acme service.

pub mod prelude {
    pub use tracing::{debug, error, info, instrument, warn};
}

use tracing_subscriber::{fmt, prelude::*, EnvFilter};

/// Installs JSON logs filtered by `RUST_LOG`, tagged with the service name.
pub fn init(service: &'static str) -> anyhow::Result<()> {
    tracing_subscriber::registry()
        .with(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with(fmt::layer().json().with_current_span(false))
        .try_init()?;
    tracing::info!(service, "telemetry initialised");
    Ok(())
}

/// The W3C `traceparent` header value for the current span, if one is entered.
pub fn current_traceparent() -> Option<String> {
    let id = tracing::Span::current().id()?.into_u64();
    Some(format!("00-{:032x}-{:016x}-01", u128::from(id), id))
}

/// Resident memory of this process, for the health endpoint.
#[cfg(target_os = "linux")]
pub fn resident_bytes() -> Option<u64> {
    let me = procfs::process::Process::myself().ok()?;
    Some(me.stat().ok()?.rss * procfs::page_size())
}

#[cfg(not(target_os = "linux"))]
pub fn resident_bytes() -> Option<u64> {
    None
}
