//! One test per reference form the source extractor understands: the exact crate names and
//! lines it reports for a small file.

use capgraph::extract::extract_source;

/// The `(name, line)` references of `code`, in source order.
fn refs(code: &str) -> Vec<(String, u32)> {
    let facts = extract_source(code).expect("parses");
    facts
        .named_refs()
        .into_iter()
        .map(|(name, line)| (name.to_string(), line))
        .collect()
}

fn expect(code: &str, expected: &[(&str, u32)]) {
    let expected: Vec<(String, u32)> = expected.iter().map(|(n, l)| (n.to_string(), *l)).collect();
    assert_eq!(refs(code), expected, "in:\n{code}");
}

#[test]
fn use_trees_with_groups_globs_renames_and_self() {
    expect(
        "use axum::{routing::{get, post}, Router};\n\
         use serde_json as json;\n\
         use acme_telemetry::prelude::*;\n\
         use identity_api::{self, Claims};\n\
         use {tokio::sync::Mutex, uuid::Uuid};\n",
        &[
            ("axum", 1),
            ("serde_json", 2),
            ("acme_telemetry", 3),
            ("identity_api", 4),
            ("tokio", 5),
            ("uuid", 5),
        ],
    );
}

#[test]
fn names_imported_from_a_crate_count_where_they_are_used() {
    // `json` stands for serde_json, `sync` for tokio, `Router` for axum.
    expect(
        "use serde_json as json;\n\
         use tokio::sync;\n\
         use axum::Router;\n\
         fn f() {\n\
             let v = json::to_string(&1);\n\
             let m = sync::Mutex::new(0);\n\
             let r: Router = Router::new();\n\
         }\n",
        &[
            ("serde_json", 1),
            ("tokio", 2),
            ("axum", 3),
            ("serde_json", 5),
            ("tokio", 6),
            ("axum", 7),
            ("axum", 7),
        ],
    );
}

#[test]
fn extern_crate_with_and_without_rename() {
    let facts = extract_source(
        "extern crate acme_telemetry as telemetry;\n\
         extern crate serde;\n\
         extern crate self as me;\n\
         fn f() { telemetry::init(); }\n",
    )
    .unwrap();
    assert_eq!(
        facts.named_refs(),
        vec![("acme_telemetry", 1), ("serde", 2), ("acme_telemetry", 4)]
    );
    assert_eq!(facts.extern_crates.len(), 2);
    assert_eq!(facts.extern_crates[0].name, "acme_telemetry");
    assert_eq!(facts.extern_crates[0].alias.as_deref(), Some("telemetry"));
    assert_eq!(facts.extern_crates[1].alias, None);
}

#[test]
fn fully_qualified_paths_in_expressions() {
    expect(
        "fn f() {\n\
             let id = uuid::Uuid::new_v4();\n\
             let now = chrono::Utc::now();\n\
             let x = ::rand::random::<u8>();\n\
             let s = String::new();\n\
             let v = Vec::<u8>::new();\n\
         }\n",
        &[("uuid", 2), ("chrono", 3), ("rand", 4)],
    );
}

#[test]
fn paths_in_types_and_generic_arguments() {
    expect(
        "async fn get(id: u64) -> Result<axum::Json<catalog_api::Product>, crate::AppError> {\n\
             todo!()\n\
         }\n\
         struct S { at: chrono::DateTime<chrono::Utc> }\n\
         impl serde::Serialize for S {}\n",
        &[
            ("axum", 1),
            ("catalog_api", 1),
            ("chrono", 4),
            ("chrono", 4),
            ("serde", 5),
        ],
    );
}

#[test]
fn paths_in_patterns() {
    expect(
        "fn f(v: V) {\n\
             match v {\n\
                 serde_json::Value::Null => {}\n\
                 sqlx::Error::RowNotFound { .. } => {}\n\
                 _ => {}\n\
             }\n\
         }\n",
        &[("serde_json", 3), ("sqlx", 4)],
    );
}

#[test]
fn attributes_and_derives() {
    expect(
        "use serde::Deserialize;\n\
         use tracing::instrument;\n\
         #[derive(Debug, serde::Serialize, Deserialize)]\n\
         #[serde(with = \"chrono::serde::ts_seconds\")]\n\
         struct Order;\n\
         #[tokio::main]\n\
         async fn main() {}\n\
         #[instrument(skip(db))]\n\
         fn handler() {}\n",
        &[
            ("serde", 1),
            ("tracing", 2),
            ("serde", 3),
            ("serde", 3),
            ("chrono", 4),
            ("tokio", 6),
            ("tracing", 8),
        ],
    );
}

#[test]
fn paths_inside_macro_invocations() {
    expect(
        "use serde_json::json;\n\
         async fn f() {\n\
             let body = json!({ \"id\": uuid::Uuid::new_v4() });\n\
             let v = serde_json::json!({});\n\
             let s = format!(\"{}\", chrono::Utc::now());\n\
             tokio::select! {\n\
                 _ = tokio::time::sleep(d) => {}\n\
                 msg = rx.recv() => { tracing::info!(?msg); }\n\
             }\n\
             let t = x.collect::<Vec<_>>();\n\
         }\n",
        &[
            ("serde_json", 1),
            ("serde_json", 3),
            ("uuid", 3),
            ("serde_json", 4),
            ("chrono", 5),
            ("tokio", 6),
            ("tokio", 7),
            ("tracing", 8),
        ],
    );
}

#[test]
fn macro_rules_bodies_and_dollar_crate() {
    expect(
        "macro_rules! log_event {\n\
             ($e:expr) => { $crate::emit(tracing::info_span!(\"e\"), $e) };\n\
         }\n",
        &[("tracing", 2)],
    );
}

#[test]
fn a_local_module_shadows_a_crate_name() {
    expect(
        "mod metrics;\n\
         mod config { pub struct Settings; }\n\
         use config::Settings;\n\
         fn f() {\n\
             metrics::record_request();\n\
             let s = config::Settings;\n\
             let p = prometheus::Registry::new();\n\
         }\n",
        &[("prometheus", 7)],
    );
}

#[test]
fn local_items_in_blocks_shadow_too() {
    expect(
        "fn f() {\n\
             mod serde { pub fn x() {} }\n\
             serde::x();\n\
         }\n\
         fn g() { serde::y(); }\n",
        &[("serde", 5)],
    );
}

#[test]
fn an_inline_module_does_not_see_its_parents_items() {
    // Inside `inner`, `metrics` is the extern crate again: modules do not inherit names.
    expect(
        "mod metrics { pub fn x() {} }\n\
         mod inner {\n\
             fn f() { metrics::counter!(\"x\"); }\n\
         }\n",
        &[("metrics", 3)],
    );
}

#[test]
fn imports_from_local_paths_are_not_crates() {
    expect(
        "use crate::db::Pool;\n\
         use self::handlers::get;\n\
         use super::AppState;\n\
         use std::sync::Arc;\n\
         fn f() { Pool::new(); get(); std::mem::drop(1); core::mem::drop(2); }\n",
        &[],
    );
}

#[test]
fn test_only_code_is_flagged() {
    let facts = extract_source(
        "fn f() { serde_json::to_string(&1); }\n\
         #[cfg(test)]\n\
         mod tests {\n\
             #[test]\n\
             fn t() { wiremock::MockServer::start(); }\n\
         }\n\
         #[tokio::test]\n\
         async fn it() { reqwest::get(\"x\"); }\n\
         #[cfg(not(test))]\n\
         fn prod() { tracing::info!(\"x\"); }\n",
    )
    .unwrap();
    let flagged: Vec<(&str, u32, bool)> = facts
        .refs
        .iter()
        .map(|r| (facts.names[r.name as usize].as_str(), r.line, r.in_test))
        .collect();
    assert_eq!(
        flagged,
        vec![
            ("serde_json", 1, false),
            ("wiremock", 5, true),
            ("tokio", 7, true),
            ("reqwest", 8, true),
            ("tracing", 10, false),
        ]
    );
}

#[test]
fn syntax_errors_report_their_line() {
    let err = extract_source("fn ok() {}\nfn broken( {\n").unwrap_err();
    assert!(err.message.starts_with("syntax error"), "{}", err.message);
    assert!(matches!(err.line, Some(2) | Some(3)), "line {:?}", err.line);
}
