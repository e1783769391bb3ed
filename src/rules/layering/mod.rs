//! LAY rules: platform capabilities sit below product ones.

pub mod platform_depends_on_product;
