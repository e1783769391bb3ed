use payments_api::payments_client::PaymentsClient;
use payments_api::{GetReceiptRequest, Receipt};
use tonic::transport::Channel;

/// Payment receipts from payments-svc, quoted in order confirmations.
#[derive(Clone)]
pub struct Receipts {
    client: PaymentsClient<Channel>,
}

impl Receipts {
    pub async fn connect() -> anyhow::Result<Self> {
        let client = PaymentsClient::connect(std::env::var("PAYMENTS_GRPC_URL")?).await?;
        Ok(Self { client })
    }

    pub async fn for_order(&self, order_id: String) -> anyhow::Result<Receipt> {
        let request = GetReceiptRequest { order_id };
        Ok(self.client.clone().get_receipt(request).await?.into_inner())
    }
}
