//! The ledger and the rules around money movements. Internal to payments.

pub mod fraud;
pub mod ledger;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Currency {
    Eur,
    Usd,
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self { Currency::Eur => "EUR", Currency::Usd => "USD" })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub cents: i64,
    pub currency: Currency,
}

impl Money {
    pub fn eur(cents: i64) -> Self {
        Self { cents, currency: Currency::Eur }
    }
}
