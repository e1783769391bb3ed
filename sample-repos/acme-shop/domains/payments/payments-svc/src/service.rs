use payments_api::{
    payments_server, AuthorizeRequest, AuthorizeResponse, CaptureRequest, CaptureResponse, GetReceiptRequest, Receipt,
};
use payments_core::fraud::{self, ProductRisk, Risk};
use payments_core::Money;
use tonic::{Request, Response, Status};

pub struct PaymentsService {
    pub db: sqlx::PgPool,
    pub risk: ProductRisk,
}

#[tonic::async_trait]
impl payments_server::Payments for PaymentsService {
    async fn authorize(&self, request: Request<AuthorizeRequest>) -> Result<Response<AuthorizeResponse>, Status> {
        let request = request.into_inner();
        let amount = Money::eur(request.amount_cents);
        let risk = self.risk.of_order(&request.skus).await.unwrap_or_else(|err| {
            tracing::warn!(%err, order = %request.order_id, "risk lookup failed, treating the order as high risk");
            Risk::High
        });
        let approved = !fraud::needs_review_with(amount, false, risk);
        let id = uuid::Uuid::new_v4();
        sqlx::query("INSERT INTO payments (id, order_id, amount_cents, approved) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(&request.order_id)
            .bind(request.amount_cents)
            .bind(approved)
            .execute(&self.db)
            .await
            .map_err(|err| Status::unavailable(err.to_string()))?;
        Ok(Response::new(AuthorizeResponse { authorization_id: id.to_string(), approved }))
    }

    async fn capture(&self, request: Request<CaptureRequest>) -> Result<Response<CaptureResponse>, Status> {
        let id = request.into_inner().authorization_id;
        let done = sqlx::query("INSERT INTO ledger_entries (payment_id, kind) VALUES ($1, 'capture')")
            .bind(&id)
            .execute(&self.db)
            .await
            .is_ok();
        Ok(Response::new(CaptureResponse { captured: done }))
    }

    async fn get_receipt(&self, request: Request<GetReceiptRequest>) -> Result<Response<Receipt>, Status> {
        let order_id = request.into_inner().order_id;
        let row: Option<(uuid::Uuid, i64, bool)> =
            sqlx::query_as("SELECT id, amount_cents, approved FROM payments WHERE order_id = $1")
                .bind(&order_id)
                .fetch_optional(&self.db)
                .await
                .map_err(|err| Status::unavailable(err.to_string()))?;
        let (id, amount_cents, approved) = row.ok_or_else(|| Status::not_found(format!("no payment for order {order_id}")))?;
        Ok(Response::new(Receipt { authorization_id: id.to_string(), amount_cents, currency: "EUR".into(), approved }))
    }
}
