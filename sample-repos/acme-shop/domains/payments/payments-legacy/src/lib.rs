//! The pre-2024 settlement format, still read for merchants on the old contract.
//!
//! Settlement files are semicolon-separated: `merchant;amount_cents;booked_on`.

#[derive(Debug, PartialEq, serde::Deserialize)]
pub struct Settlement {
    pub merchant: String,
    pub amount_cents: i64,
    pub booked_on: String,
}

#[derive(Debug, PartialEq)]
pub enum ParseError {
    MissingField(&'static str),
    BadAmount(String),
}

pub fn parse_line(line: &str) -> Result<Settlement, ParseError> {
    let mut fields = line.trim_end().split(';');
    let merchant = fields.next().filter(|m| !m.is_empty()).ok_or(ParseError::MissingField("merchant"))?;
    let amount = fields.next().ok_or(ParseError::MissingField("amount_cents"))?;
    let booked_on = fields.next().ok_or(ParseError::MissingField("booked_on"))?;
    let amount_cents = amount.parse().map_err(|_| ParseError::BadAmount(amount.to_string()))?;
    Ok(Settlement { merchant: merchant.to_string(), amount_cents, booked_on: booked_on.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_settlement_line() {
        let settlement = parse_line("M-1042;129900;2023-11-30\n").unwrap();
        assert_eq!(settlement.amount_cents, 129_900);
        assert_eq!(settlement.merchant, "M-1042");
    }

    #[test]
    fn rejects_a_line_without_a_date() {
        assert_eq!(parse_line("M-1042;129900"), Err(ParseError::MissingField("booked_on")));
    }
}
