mod orders;
mod service;

use payments_api::payments_server::PaymentsServer;
use payments_core::fraud::ProductRisk;
use tonic::transport::Server;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    acme_telemetry::init("payments-svc")?;
    let db = sqlx::PgPool::connect(&std::env::var("DATABASE_URL")?).await?;
    tokio::spawn(orders::consume(db.clone()));
    let risk = ProductRisk::from_env()?;
    let addr = "0.0.0.0:50051".parse()?;
    Server::builder()
        .add_service(PaymentsServer::new(service::PaymentsService { db, risk }))
        .serve(addr)
        .await?;
    Ok(())
}
