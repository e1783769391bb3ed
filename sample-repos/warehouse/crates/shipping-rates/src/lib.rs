//! Carrier rate tables for parcels leaving the Leipzig warehouse.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carrier {
    Dhl,
    Dpd,
    Ups,
}

/// One row of a carrier's table: parcels up to `max_grams` cost `cents`.
struct Band {
    max_grams: u32,
    cents: i64,
}

const DHL: &[Band] = &[
    Band { max_grams: 1_000, cents: 490 },
    Band { max_grams: 5_000, cents: 690 },
    Band { max_grams: 31_500, cents: 1_290 },
];

const DPD: &[Band] = &[
    Band { max_grams: 3_000, cents: 560 },
    Band { max_grams: 31_500, cents: 1_190 },
];

const UPS: &[Band] = &[Band { max_grams: 70_000, cents: 1_890 }];

#[derive(Debug, Clone, Copy)]
pub struct Parcel {
    pub weight_grams: u32,
}

impl Parcel {
    /// Packaging weight plus an average item weight per order line.
    pub fn from_lines(lines: usize) -> Self {
        Self { weight_grams: 400 + 900 * lines as u32 }
    }

    /// The house carrier's (DHL) rate.
    pub fn rate_cents(&self) -> i64 {
        self.rate_with(Carrier::Dhl).unwrap_or(1_890)
    }

    /// The rate with `carrier`, or `None` if the parcel is over its weight limit.
    pub fn rate_with(&self, carrier: Carrier) -> Option<i64> {
        let table = match carrier {
            Carrier::Dhl => DHL,
            Carrier::Dpd => DPD,
            Carrier::Ups => UPS,
        };
        table.iter().find(|band| self.weight_grams <= band.max_grams).map(|band| band.cents)
    }

    /// The cheapest carrier that takes this parcel.
    pub fn cheapest(&self) -> Option<(Carrier, i64)> {
        [Carrier::Dhl, Carrier::Dpd, Carrier::Ups]
            .into_iter()
            .filter_map(|carrier| self.rate_with(carrier).map(|cents| (carrier, cents)))
            .min_by_key(|&(_, cents)| cents)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_item_ships_in_the_smallest_band() {
        assert_eq!(Parcel::from_lines(0).rate_cents(), 490);
    }

    #[test]
    fn heavy_parcels_only_go_with_ups() {
        let parcel = Parcel { weight_grams: 45_000 };
        assert_eq!(parcel.rate_with(Carrier::Dhl), None);
        assert_eq!(parcel.cheapest(), Some((Carrier::Ups, 1_890)));
    }

    #[test]
    fn dpd_wins_for_mid_weight() {
        assert_eq!(Parcel { weight_grams: 2_500 }.cheapest(), Some((Carrier::Dpd, 560)));
    }
}
