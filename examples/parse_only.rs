//! The baseline of the benchmark: read every `.rs` file under the given directories and parse
//! it with `syn::parse_file` on all cores, doing nothing else. `bench/run.sh` compares a full
//! `capgraph graph` run against it.
//!
//! Usage: cargo run --release --example parse_only -- DIR...

use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;

// The same allocator as the capgraph binary, so the ratio compares the same parser setup.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let roots: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if roots.is_empty() {
        eprintln!("usage: parse_only DIR...");
        std::process::exit(2);
    }
    let started = Instant::now();
    let mut files = Vec::new();
    for root in &roots {
        for entry in walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
        {
            let is_rust = entry.file_type().is_file()
                && entry.path().extension().is_some_and(|ext| ext == "rs");
            if is_rust {
                files.push(entry.into_path());
            }
        }
    }
    // The same thread setup as capgraph's extraction, so both measure the same parser.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(capgraph::analysis::EXTRACTION_STACK_BYTES)
        .build()
        .expect("thread pool");
    let (parsed, failed) = pool.install(|| {
        files
            .par_iter()
            .map(|path| {
                let ok = std::fs::read_to_string(path)
                    .ok()
                    .is_some_and(|text| syn::parse_file(&text).is_ok());
                proc_macro2::extra::invalidate_current_thread_spans();
                if ok { (1usize, 0usize) } else { (0, 1) }
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    eprintln!(
        "parse_only: {} files parsed, {} failed, {:.3}s",
        parsed,
        failed,
        started.elapsed().as_secs_f64()
    );
}
