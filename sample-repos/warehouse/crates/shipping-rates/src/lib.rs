//! Carrier rate tables for parcels leaving the Leipzig warehouse.

#[derive(Debug, Clone, Copy)]
pub struct Parcel {
    pub weight_grams: u32,
}

impl Parcel {
    pub fn from_lines(lines: usize) -> Self {
        Self { weight_grams: 400 + 900 * lines as u32 }
    }

    pub fn rate_cents(&self) -> i64 {
        match self.weight_grams {
            0..=1_000 => 490,
            1_001..=5_000 => 690,
            _ => 1_290,
        }
    }
}
