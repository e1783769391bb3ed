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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(account: &str, cents: i64) -> Entry {
        Entry {
            id: uuid::Uuid::new_v4(),
            account: account.into(),
            amount: Money::eur(cents),
            booked_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn a_capture_balances_against_the_customer_account() {
        assert!(check_balanced(&[entry("merchant", 4_990), entry("customer", -4_990)]).is_ok());
    }

    #[test]
    fn a_one_sided_entry_is_rejected() {
        let err = check_balanced(&[entry("merchant", 4_990)]).unwrap_err();
        assert!(matches!(err, LedgerError::Unbalanced(4_990)));
    }
}
