fn main() -> Result<(), Box<dyn std::error::Error>> {
    tonic_build::configure()
        .build_server(true)
        .compile_protos(&["proto/acme/payments/v1/payments.proto"], &["proto"])?;
    Ok(())
}
