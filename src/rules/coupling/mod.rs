//! CPL rules: coupling numbers (see `model::metrics`) against thresholds.

pub mod cross_team_coupling;
pub mod high_fan_out;
pub mod unstable_dependency;

/// `0.667` as `67%`.
pub(crate) fn percent(ratio: f64) -> String {
    format!("{:.0}%", ratio * 100.0)
}
