//! The payments gRPC contract, generated from proto/acme/payments/v1/payments.proto.

tonic::include_proto!("acme.payments.v1");

pub const SERVICE_NAME: &str = "acme.payments.v1.Payments";
