//! BND rules: dependencies that cross capability boundaries outside contracts, declarations
//! or the organization's own rules.

pub mod contract_bypass;
pub mod forbidden_dependency;
pub mod platform_bypass;
pub mod undeclared_dependency;

/// A list of names for a message: `a`, `a and b`, `a, b and c`.
pub(crate) fn listing(names: &[impl AsRef<str>]) -> String {
    match names {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(|n| n.as_ref())
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}
