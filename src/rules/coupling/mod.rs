//! CPL rules: coupling numbers (see `model::metrics`) against thresholds.

pub mod cross_team_coupling;
pub mod high_fan_out;
pub mod unstable_dependency;

/// `0.667` as `66.7%`, `0.75` as `75%`: enough digits that a value just above a threshold
/// never reads as equal to it.
pub(crate) fn percent(ratio: f64) -> String {
    format!("{}%", number(ratio * 100.0, 1))
}

/// A number with at most `decimals` decimals, without trailing zeros: `0.5`, `0.333`.
pub(crate) fn number(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}
