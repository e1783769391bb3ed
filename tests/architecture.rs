//! The invariants of ARCHITECTURE.md that the imports can show: every `crate::` path in `src/`
//! runs with the pipeline (shared layer → config, discover → extract → model → rules → report
//! → the command line), never against it; and no function grows past what one reads as one idea.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// The longest function `src/` may hold, in lines (ARCHITECTURE.md, "Invariants").
const MAX_FUNCTION_LINES: usize = 150;

/// A stage of the pipeline and its rank: a module may use its own stage and those ranked below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    /// `core`, `limits`, `diagnostics`: the vocabulary every stage speaks.
    Shared,
    /// `config` and `discover` read the user's configuration and walk the disk; neither uses
    /// the other.
    Config,
    Discover,
    Extract,
    Model,
    Rules,
    Report,
    /// `analysis` (the pipeline in one call), `main` and `lib`: they may use every stage.
    Top,
}

impl Stage {
    fn rank(self) -> u8 {
        match self {
            Stage::Shared => 0,
            Stage::Config | Stage::Discover => 1,
            Stage::Extract => 2,
            Stage::Model => 3,
            Stage::Rules => 4,
            Stage::Report => 5,
            Stage::Top => 6,
        }
    }

    /// The stage of a top-level module name (`crate::NAME`).
    fn of_module(name: &str) -> Option<Stage> {
        Some(match name {
            "core" | "limits" | "diagnostics" => Stage::Shared,
            "config" => Stage::Config,
            "discover" => Stage::Discover,
            "extract" => Stage::Extract,
            "model" => Stage::Model,
            "rules" => Stage::Rules,
            "report" => Stage::Report,
            "analysis" | "main" | "lib" => Stage::Top,
            // Re-exports at the crate root, by the stage that defines them.
            "Diagnostic" | "DiagnosticCode" => Stage::Shared,
            "Analysis" | "AnalysisOptions" | "analyze" => Stage::Top,
            _ => return None,
        })
    }

    /// Whether code of this stage may use `other`.
    fn may_use(self, other: Stage) -> bool {
        self == other || other.rank() < self.rank()
    }
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The stage a source file belongs to: its first component under `src/`.
fn stage_of_file(path: &Path) -> Stage {
    let rel = path.strip_prefix(src_dir()).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_str()
        .unwrap();
    let module = first.trim_end_matches(".rs");
    Stage::of_module(module).unwrap_or_else(|| {
        panic!(
            "src/{module} belongs to no stage: add it to tests/architecture.rs and ARCHITECTURE.md"
        )
    })
}

/// Every `crate::MODULE` a file names, in `use` trees and in paths, with its line.
#[derive(Default)]
struct CrateUses {
    found: BTreeSet<(String, usize)>,
}

impl CrateUses {
    fn use_tree(&mut self, tree: &syn::UseTree, under_crate: bool) {
        match tree {
            syn::UseTree::Path(path) if !under_crate && path.ident == "crate" => {
                self.use_tree(&path.tree, true)
            }
            syn::UseTree::Path(path) if under_crate => self.record(&path.ident),
            syn::UseTree::Name(name) if under_crate => self.record(&name.ident),
            syn::UseTree::Rename(rename) if under_crate => self.record(&rename.ident),
            syn::UseTree::Group(group) => {
                for item in &group.items {
                    self.use_tree(item, under_crate);
                }
            }
            _ => {}
        }
    }

    fn record(&mut self, ident: &syn::Ident) {
        let line = ident.span().start().line;
        self.found.insert((ident.to_string(), line));
    }
}

impl<'ast> Visit<'ast> for CrateUses {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&item.tree, false);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let mut segments = path.segments.iter();
        if let (Some(first), Some(second)) = (segments.next(), segments.next())
            && first.ident == "crate"
        {
            self.record(&second.ident);
        }
        syn::visit::visit_path(self, path);
    }
}

fn parse(path: &Path) -> syn::File {
    let text = std::fs::read_to_string(path).unwrap();
    syn::parse_file(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

#[test]
fn imports_run_with_the_pipeline() {
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    assert!(files.len() > 50, "src/ was found");
    let mut against = Vec::new();
    for path in &files {
        let stage = stage_of_file(path);
        let mut uses = CrateUses::default();
        uses.visit_file(&parse(path));
        for (module, line) in uses.found {
            let Some(used) = Stage::of_module(&module) else {
                panic!(
                    "{}:{line}: crate::{module} belongs to no stage",
                    path.display()
                );
            };
            if !stage.may_use(used) {
                against.push(format!(
                    "{}:{line}: {stage:?} uses crate::{module} ({used:?})",
                    path.strip_prefix(src_dir()).unwrap().display()
                ));
            }
        }
    }
    assert!(
        against.is_empty(),
        "imports against the pipeline (see ARCHITECTURE.md, \"Invariants\"):\n{}",
        against.join("\n")
    );
}

/// Functions and methods with their first and last line.
#[derive(Default)]
struct Functions {
    spans: Vec<(String, usize, usize)>,
}

impl<'ast> Visit<'ast> for Functions {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        let start = item.sig.fn_token.span.start().line;
        let end = item.block.brace_token.span.close().end().line;
        self.spans.push((item.sig.ident.to_string(), start, end));
        syn::visit::visit_item_fn(self, item);
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        let start = item.sig.fn_token.span.start().line;
        let end = item.block.brace_token.span.close().end().line;
        self.spans.push((item.sig.ident.to_string(), start, end));
        syn::visit::visit_impl_item_fn(self, item);
    }
}

#[test]
fn no_function_is_longer_than_the_limit() {
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    let mut long = Vec::new();
    for path in &files {
        let mut functions = Functions::default();
        functions.visit_file(&parse(path));
        for (name, start, end) in functions.spans {
            let lines = end - start + 1;
            if lines > MAX_FUNCTION_LINES {
                long.push(format!(
                    "{}:{start}: fn {name} is {lines} lines",
                    path.strip_prefix(src_dir()).unwrap().display()
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines; split them into named steps:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_checks_can_fail() {
    // A rule that cannot fail protects nothing: the stage ranks forbid what ARCHITECTURE.md
    // forbids, and the visitor sees grouped and inline `crate::` paths.
    assert!(!Stage::Extract.may_use(Stage::Model));
    assert!(!Stage::Model.may_use(Stage::Rules));
    assert!(!Stage::Rules.may_use(Stage::Report));
    assert!(!Stage::Config.may_use(Stage::Discover));
    assert!(!Stage::Discover.may_use(Stage::Config));
    assert!(!Stage::Shared.may_use(Stage::Config));
    assert!(Stage::Report.may_use(Stage::Shared));
    let file: syn::File = syn::parse_str(
        "use crate::{model::Node, rules::{self, Finding}};\nfn f() { crate::report::x(); }",
    )
    .unwrap();
    let mut uses = CrateUses::default();
    uses.visit_file(&file);
    let modules: Vec<&str> = uses.found.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(modules, ["model", "report", "rules"]);
    let mut functions = Functions::default();
    functions.visit_file(&syn::parse_str::<syn::File>("fn f() {\n\n\n}").unwrap());
    assert_eq!(functions.spans, [("f".to_string(), 1, 4)]);
}
