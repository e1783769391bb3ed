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

/// Every top-level module a file names, with its line: `crate::MODULE` in `use` trees,
/// paths and macro bodies, and `super::…` chains resolved from the file's own module path.
/// `use crate::*` and `use crate as x` are recorded as `*`, which belongs to no stage.
#[derive(Default)]
struct CrateUses {
    /// The file's module path below `crate` (`["rules", "ownership", "unowned_crate"]`).
    module: Vec<String>,
    found: BTreeSet<(String, usize)>,
}

impl CrateUses {
    fn for_module(module: Vec<String>) -> CrateUses {
        CrateUses {
            module,
            found: BTreeSet::new(),
        }
    }

    /// A path's segments as written: records the top-level module it reaches, if any.
    fn segments(&mut self, segments: &[syn::Ident]) {
        let Some(first) = segments.first() else {
            return;
        };
        if first == "crate" {
            match segments.get(1) {
                Some(module) => self.record(module),
                None => self.record_name("*", first),
            }
            return;
        }
        let supers = segments.iter().take_while(|s| *s == "super").count();
        if supers == 0 {
            return;
        }
        // `super` climbs from the file's module: out of its stage folder, the next segment
        // is a top-level module; inside it, the path stays in the stage.
        if supers >= self.module.len() {
            match segments.get(supers) {
                Some(module) => self.record(module),
                None => self.record_name("*", first),
            }
        } else if let Some(stage) = self.module.first().cloned() {
            self.record_name(&stage, first);
        }
    }

    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<syn::Ident>) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.clone());
                self.use_tree(&path.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(syn::UseName { ident })
            | syn::UseTree::Rename(syn::UseRename { ident, .. }) => {
                prefix.push(ident.clone());
                self.segments(prefix);
                prefix.pop();
            }
            syn::UseTree::Glob(_) => self.segments(prefix),
            syn::UseTree::Group(group) => {
                for item in &group.items {
                    self.use_tree(item, prefix);
                }
            }
        }
    }

    /// `crate :: NAME` and `super :: …` sequences in a macro's tokens (syn does not parse
    /// macro bodies).
    fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        let mut path: Vec<syn::Ident> = Vec::new();
        let mut colons = 0;
        for token in tokens {
            match token {
                proc_macro2::TokenTree::Group(group) => {
                    self.flush(&mut path);
                    self.tokens(group.stream());
                    colons = 0;
                }
                proc_macro2::TokenTree::Ident(ident) => {
                    if colons != 2 {
                        self.flush(&mut path);
                    }
                    path.push(ident);
                    colons = 0;
                }
                proc_macro2::TokenTree::Punct(punct) if punct.as_char() == ':' => colons += 1,
                _ => {
                    self.flush(&mut path);
                    colons = 0;
                }
            }
        }
        self.flush(&mut path);
    }

    fn flush(&mut self, path: &mut Vec<syn::Ident>) {
        if path.len() > 1 {
            self.segments(path);
        }
        path.clear();
    }

    fn record(&mut self, ident: &syn::Ident) {
        self.record_name(&ident.to_string(), ident);
    }

    fn record_name(&mut self, name: &str, at: &syn::Ident) {
        self.found
            .insert((name.to_string(), at.span().start().line));
    }
}

impl<'ast> Visit<'ast> for CrateUses {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&item.tree, &mut Vec::new());
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<syn::Ident> = path.segments.iter().map(|s| s.ident.clone()).collect();
        self.segments(&segments);
        syn::visit::visit_path(self, path);
    }

    /// An inline `mod x { .. }` is one module deeper for the `super` chains inside it.
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        self.module.push(item.ident.to_string());
        syn::visit::visit_item_mod(self, item);
        self.module.pop();
    }

    /// `pub(crate)` and `pub(super)` say who may see an item, not what it uses.
    fn visit_vis_restricted(&mut self, _: &'ast syn::VisRestricted) {}

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(mac.tokens.clone());
        syn::visit::visit_macro(self, mac);
    }
}

/// A file's module path below `crate`: `src/rules/mod.rs` is `["rules"]`,
/// `src/rules/ownership/word.rs` is `["rules", "ownership", "word"]`, `src/lib.rs` is `[]`.
fn module_of(path: &Path) -> Vec<String> {
    let rel = path.strip_prefix(src_dir()).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_str().unwrap().to_string())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
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
        let mut uses = CrateUses::for_module(module_of(path));
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

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        if let Some(block) = &item.default {
            let start = item.sig.fn_token.span.start().line;
            let end = block.brace_token.span.close().end().line;
            self.spans.push((item.sig.ident.to_string(), start, end));
        }
        syn::visit::visit_trait_item_fn(self, item);
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
    // forbids, and the visitor sees grouped, inline, `super` and macro paths.
    assert!(!Stage::Extract.may_use(Stage::Model));
    assert!(!Stage::Model.may_use(Stage::Rules));
    assert!(!Stage::Rules.may_use(Stage::Report));
    assert!(!Stage::Config.may_use(Stage::Discover));
    assert!(!Stage::Discover.may_use(Stage::Config));
    assert!(!Stage::Shared.may_use(Stage::Config));
    assert!(Stage::Report.may_use(Stage::Shared));
    let modules = |module: &[&str], source: &str| -> Vec<String> {
        let file: syn::File = syn::parse_str(source).unwrap();
        let mut uses = CrateUses::for_module(module.iter().map(|m| m.to_string()).collect());
        uses.visit_file(&file);
        uses.found.into_iter().map(|(m, _)| m).collect()
    };
    assert_eq!(
        modules(
            &["model"],
            "use crate::{model::Node, rules::{self, Finding}};\nfn f() { crate::report::x(); }"
        ),
        ["model", "report", "rules"]
    );
    // `super` chains climb from the file's module; macro bodies are read as tokens.
    assert_eq!(
        modules(
            &["rules", "ownership", "word"],
            "fn f() { super::super::x(); }"
        ),
        ["rules"]
    );
    assert_eq!(
        modules(&["rules"], "fn f() { super::report::x(); }"),
        ["report"]
    );
    assert_eq!(
        modules(
            &["model"],
            "fn f() { println!(\"{}\", crate::report::x()); }"
        ),
        ["report"]
    );
    // Globs and renames of the crate root hide which stage is used: they belong to none.
    assert_eq!(modules(&["model"], "use crate::*;"), ["*"]);
    assert_eq!(modules(&["model"], "use crate as c;"), ["*"]);
    let mut functions = Functions::default();
    functions.visit_file(
        &syn::parse_str::<syn::File>("fn f() {\n\n\n}\ntrait T {\n    fn g() {\n    }\n}").unwrap(),
    );
    assert_eq!(
        functions.spans,
        [("f".to_string(), 1, 4), ("g".to_string(), 6, 7)]
    );
}
