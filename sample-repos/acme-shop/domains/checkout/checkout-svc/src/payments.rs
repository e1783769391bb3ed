use payments_api::payments_client::PaymentsClient;
use payments_api::{AuthorizeRequest, AuthorizeResponse};
use tonic::transport::Channel;

#[derive(Clone)]
pub struct Payments {
    client: PaymentsClient<Channel>,
}

impl Payments {
    pub async fn connect() -> anyhow::Result<Self> {
        let url = std::env::var("PAYMENTS_GRPC_URL")?;
        let channel = Channel::from_shared(url)?
            .timeout(std::time::Duration::from_secs(3))
            .connect()
            .await?;
        Ok(Self { client: PaymentsClient::new(channel) })
    }

    pub async fn authorize(
        &self,
        order_id: uuid::Uuid,
        skus: Vec<String>,
        amount: payments_core::Money,
    ) -> anyhow::Result<AuthorizeResponse> {
        let request = AuthorizeRequest {
            order_id: order_id.to_string(),
            amount_cents: amount.cents,
            currency: amount.currency.to_string(),
            skus,
        };
        Ok(self.client.clone().authorize(request).await?.into_inner())
    }
}
