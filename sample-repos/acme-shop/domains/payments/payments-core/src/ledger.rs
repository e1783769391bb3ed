use crate::Money;

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("entries do not balance: {0} cents off")]
    Unbalanced(i64),
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub id: uuid::Uuid,
    pub account: String,
    pub amount: Money,
    pub booked_at: chrono::DateTime<chrono::Utc>,
}

/// Double-entry check: debits and credits of one movement sum to zero.
pub fn check_balanced(entries: &[Entry]) -> Result<(), LedgerError> {
    let sum: i64 = entries.iter().map(|e| e.amount.cents).sum();
    if sum == 0 { Ok(()) } else { Err(LedgerError::Unbalanced(sum)) }
}
