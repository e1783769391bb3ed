//! The shopping cart: lines, quantities and the total, priced by `pricing`.

pub mod pricing;

use catalog_api::{Product, Sku};
use checkout_api::CartLine;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CartError {
    #[error("{0:?} is out of stock")]
    OutOfStock(Sku),
    #[error("quantity must be between 1 and 99")]
    BadQuantity,
}

#[derive(Debug, Default)]
pub struct Cart {
    lines: Vec<CartLine>,
}

impl Cart {
    pub fn add(&mut self, product: &Product, quantity: u32) -> Result<(), CartError> {
        if !product.in_stock {
            return Err(CartError::OutOfStock(product.sku.clone()));
        }
        if !(1..=99).contains(&quantity) {
            return Err(CartError::BadQuantity);
        }
        self.lines.push(CartLine { sku: product.sku.clone(), quantity, unit_price_cents: product.price_cents });
        Ok(())
    }

    pub fn lines(&self) -> &[CartLine] {
        &self.lines
    }

    pub fn total_cents(&self) -> i64 {
        pricing::total(&self.lines)
    }
}
