//! How values and routes are written as text, shared by route composition and call
//! resolution so that a served route and a called path compare in the same form.

use crate::extract::services::{Part, Value};

/// A value as text, unknown parts as `{}` and env vars as `{NAME}`.
pub(super) fn value_text(value: &Value) -> String {
    value
        .iter()
        .map(|part| match part {
            Part::Lit(text) => text.clone(),
            Part::Env(name) => format!("{{{name}}}"),
            _ => "{}".to_string(),
        })
        .collect()
}

/// A route template with its parameters written as `{}`: axum `:id` and `*rest`, actix and
/// poem `{id}`, rocket `<id>`.
pub fn normalize_route(path: &str) -> String {
    let mut out = String::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        let parameter = segment.starts_with(':')
            || segment.starts_with('*')
            || (segment.starts_with('{') && segment.ends_with('}'))
            || (segment.starts_with('<') && segment.ends_with('>'));
        out.push_str(if parameter { "{}" } else { segment });
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}
