//! SUP rules: suppression comments that are themselves wrong. The engine runs them after
//! applying suppressions to every other rule's findings.

pub mod invalid_suppression;
pub mod unused_suppression;
