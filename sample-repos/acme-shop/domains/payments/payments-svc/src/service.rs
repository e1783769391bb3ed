use payments_api::{payments_server, AuthorizeRequest, AuthorizeResponse, CaptureRequest, CaptureResponse};
use payments_core::{fraud, Money};
use tonic::{Request, Response, Status};

pub struct PaymentsService {
    pub db: sqlx::PgPool,
}

#[tonic::async_trait]
impl payments_server::Payments for PaymentsService {
    async fn authorize(&self, request: Request<AuthorizeRequest>) -> Result<Response<AuthorizeResponse>, Status> {
        let request = request.into_inner();
        let amount = Money::eur(request.amount_cents);
        let approved = !fraud::needs_review(amount, false);
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
}
