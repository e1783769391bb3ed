//! The payments gRPC contract, generated from proto/acme/payments/v1/payments.proto.
//!
//! Clients use [`payments_client::PaymentsClient`]; payments-svc implements
//! [`payments_server::Payments`]. Nothing else belongs in this crate.

tonic::include_proto!("acme.payments.v1");

/// Fully qualified gRPC service name, as routed by the mesh.
pub const SERVICE_NAME: &str = "acme.payments.v1.Payments";

/// Port payments-svc listens on for gRPC.
pub const DEFAULT_PORT: u16 = 50051;

impl AuthorizeRequest {
    /// An authorization for an amount in euro cents.
    pub fn eur(order_id: impl Into<String>, amount_cents: i64) -> Self {
        Self { order_id: order_id.into(), amount_cents, currency: "EUR".into(), skus: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euro_authorizations_carry_the_currency_code() {
        let request = AuthorizeRequest::eur("ord_42", 12_900);
        assert_eq!(request.currency, "EUR");
        assert_eq!(request.amount_cents, 12_900);
    }
}
