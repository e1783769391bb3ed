//! The one way Acme services build outgoing HTTP clients: timeouts, retries budget and
//! trace propagation set once.

extern crate acme_telemetry as telemetry;

mod client;

pub use client::{client, ClientOptions};
