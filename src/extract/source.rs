//! Extraction of crate references from one Rust source file: every path, use tree, `extern
//! crate` and macro token sequence whose first segment may name another crate, with its line.
//!
//! Extraction knows nothing of manifests or of the graph: it reports the names a file reaches
//! outside itself, after removing names that a local item or import shadows, and the model
//! decides which of them are dependencies.

use super::detectors::Detectors;
use super::services::{self, ServiceFacts};
use proc_macro2::{Spacing, TokenStream, TokenTree};
use std::collections::HashMap;
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Attribute, Item, Meta, UseTree};

/// How deep the syntax tree of a file may grow before the file is refused rather than
/// parsed, as measured by [`nesting_cost`]. syn, the visitors and the tree's drop recurse
/// once per level of the tree, and a level is not only a bracket: `&&&u8`, `Vec<Vec<..>>`,
/// `|| || ..`, `return return ..`, `!!..`, `a.f().f()..`, `x + x + ..` and `x as u8 as ..`
/// nest as deeply without one. This bound keeps the deepest tree far inside the stack the
/// extraction threads are given (see `analysis::EXTRACTION_STACK_BYTES`); no hand-written
/// code comes close.
pub const MAX_NESTING: usize = 5_000;

/// One reference to a name outside the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct RefFact {
    /// Index into [`SourceFacts::names`].
    pub name: u32,
    /// 1-based line of the reference.
    pub line: u32,
    /// Whether the reference sits in test-only code (`#[cfg(test)]`, `#[test]`).
    pub in_test: bool,
}

/// An `extern crate NAME [as ALIAS];` item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternCrateFact {
    pub name: String,
    pub alias: Option<String>,
    pub line: u32,
}

/// What one Rust file tells about the crates it uses. Holds no syntax tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceFacts {
    /// The distinct names referenced, in order of first appearance.
    pub names: Vec<String>,
    /// References, in source order.
    pub refs: Vec<RefFact>,
    pub extern_crates: Vec<ExternCrateFact>,
    /// Run-time dependency evidence: calls, routes, topics, tables.
    pub services: ServiceFacts,
    /// `// capgraph: allow(..)` comments.
    pub suppressions: Vec<super::suppressions::SuppressionFact>,
    /// Items and the names they refer to, for reachability.
    pub items: super::items::ItemFacts,
}

impl SourceFacts {
    /// The references as `(name, line)` pairs, for tests and debugging.
    pub fn named_refs(&self) -> Vec<(&str, u32)> {
        self.refs
            .iter()
            .map(|r| (self.names[r.name as usize].as_str(), r.line))
            .collect()
    }
}

/// Why a file could not be turned into facts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseFailure {
    pub line: Option<u32>,
    pub message: String,
}

/// Parses `text` as a Rust file and extracts its references to other crates and its service
/// facts, with the built-in detectors.
pub fn extract_source(text: &str) -> Result<SourceFacts, ParseFailure> {
    static BUILTIN: std::sync::LazyLock<Detectors> = std::sync::LazyLock::new(Detectors::builtin);
    extract_source_with(text, &BUILTIN)
}

/// Parses `text` as a Rust file and extracts its facts, with the given detectors.
pub fn extract_source_with(text: &str, detectors: &Detectors) -> Result<SourceFacts, ParseFailure> {
    let result = parse_bounded(text).map(|file| {
        let mut collector = RefCollector::default();
        collector.visit_file(&file);
        let mut facts = collector.facts;
        facts.services = services::collect(&file, detectors);
        facts.items = super::items::collect(&file);
        facts.suppressions =
            super::suppressions::scan(text, super::suppressions::CommentStyle::Slashes);
        super::suppressions::widen(&mut facts.suppressions, &file);
        facts
    });
    // Spans of the parsed file are dead now; forgetting them keeps memory flat over
    // thousands of files, since proc-macro2 otherwise keeps every file's source map.
    proc_macro2::extra::invalidate_current_thread_spans();
    result
}

/// Parses a file as `syn::parse_file` does, but refuses one whose syntax tree would nest
/// deeper than [`MAX_NESTING`]. The text is lexed once (proc-macro2's lexer and the token
/// trees' drop are iterative, so any depth is safe there), measured, then parsed from the
/// same tokens.
fn parse_bounded(text: &str) -> Result<syn::File, ParseFailure> {
    let content = text.strip_prefix('\u{feff}').unwrap_or(text);
    // A `#!` line that is no inner attribute is a shebang, which the lexer would reject; the
    // newline stays, so line numbers are unchanged.
    let (shebang, content) = match content.strip_prefix("#!") {
        Some(rest) if !rest.trim_start().starts_with('[') => {
            let end = content.find('\n').unwrap_or(content.len());
            (Some(content[..end].to_string()), &content[end..])
        }
        _ => (None, content),
    };
    let tokens: TokenStream = match content.parse() {
        Ok(tokens) => tokens,
        Err(err) => return Err(syntax_error(text, err.span().start().line, err.to_string())),
    };
    if let Some(line) = nesting_beyond(&tokens, MAX_NESTING) {
        return Err(ParseFailure {
            line: Some(line),
            message: format!(
                "code nests deeper than {MAX_NESTING} levels (brackets, operators, generics, \
                 closures or chains); file not parsed"
            ),
        });
    }
    match syn::parse2::<syn::File>(tokens) {
        Ok(mut file) => {
            file.shebang = shebang;
            Ok(file)
        }
        Err(err) => Err(syntax_error(text, err.span().start().line, err.to_string())),
    }
}

/// The failure for a file that does not parse, at `line` (0 when unknown).
fn syntax_error(text: &str, line: usize, message: String) -> ParseFailure {
    // Leftover merge-conflict markers are the commonest reason a file on a branch does not
    // parse; saying so beats the parser's message about the token after them.
    if let Some(marker) = text.lines().position(|l| l.starts_with("<<<<<<< ")) {
        return ParseFailure {
            line: Some(marker as u32 + 1),
            message: "unresolved merge conflict (`<<<<<<<` marker); file not parsed".to_string(),
        };
    }
    ParseFailure {
        line: (line > 0).then_some(line as u32),
        message: format!("syntax error: {message}"),
    }
}

/// Keywords that start a construct nesting another of its kind without brackets
/// (`return return x`, `x as u8 as u16`, `else if .. else if`, `move || move ||`).
const NESTING_KEYWORDS: &[&str] = &[
    "return", "break", "yield", "become", "else", "move", "async", "box", "dyn", "impl", "as",
    "static", "raw",
];

/// An upper bound on the depth of the syntax tree the tokens parse into, at its deepest
/// point, and the line there, if it exceeds `limit`. Within one bracket group, items of a
/// list (separated by `;` or `,`, or ended by a `{..}` block that nothing continues, as
/// items and block statements are) are siblings; within one item every operator character
/// and [`NESTING_KEYWORDS`] keyword may open one more level, and each group opens one more
/// inside the item that holds it. Strings and comments count for nothing. Iterative, so it
/// is safe on any input, and linear in the number of tokens.
fn nesting_beyond(tokens: &TokenStream, limit: usize) -> Option<u32> {
    struct Frame {
        tokens: proc_macro2::token_stream::IntoIter,
        brace: bool,
        /// The cost of the enclosing items, up to and including this group.
        base: usize,
        /// The cost of the current item of this group so far.
        item: usize,
        /// The last token was a `{..}` block: the item ends unless the next token continues
        /// the expression (an operator, `.`, `?`, `else`, `as`).
        after_block: bool,
    }
    let mut stack = vec![Frame {
        tokens: tokens.clone().into_iter(),
        brace: false,
        base: 0,
        item: 0,
        after_block: false,
    }];
    while let Some(frame) = stack.last_mut() {
        let Some(token) = frame.tokens.next() else {
            let brace = stack.pop().is_some_and(|done| done.brace);
            if let Some(parent) = stack.last_mut() {
                parent.after_block = brace;
            }
            continue;
        };
        let continues = match &token {
            TokenTree::Punct(punct) => !matches!(punct.as_char(), '#' | ';' | ','),
            TokenTree::Ident(ident) => ident == "else" || ident == "as",
            _ => false,
        };
        if std::mem::take(&mut frame.after_block) && !continues {
            frame.item = 0;
        }
        let cost = match &token {
            TokenTree::Punct(punct) => match punct.as_char() {
                ';' | ',' => {
                    frame.item = 0;
                    continue;
                }
                // Closing angle brackets, paths, lifetimes and attributes open nothing.
                '>' | ':' | '\'' | '#' => continue,
                _ => 1,
            },
            TokenTree::Ident(ident) => {
                if NESTING_KEYWORDS.iter().any(|k| ident == k) {
                    1
                } else {
                    continue;
                }
            }
            TokenTree::Literal(_) => continue,
            TokenTree::Group(group) => {
                let base = frame.base + frame.item + 1;
                if base > limit {
                    return Some(group.span_open().start().line as u32);
                }
                stack.push(Frame {
                    tokens: group.stream().into_iter(),
                    brace: group.delimiter() == proc_macro2::Delimiter::Brace,
                    base,
                    item: 0,
                    after_block: false,
                });
                continue;
            }
        };
        frame.item += cost;
        if frame.base + frame.item > limit {
            return Some(token.span().start().line as u32);
        }
    }
    None
}

/// How a name in scope came to be there.
#[derive(Debug, Clone)]
enum Binding {
    /// Declared by an item of the module or block: never a crate.
    Local,
    /// Brought in by `use ROOT::...` or `extern crate ROOT`; `absolute` when the root can
    /// only be a crate (`use ::ROOT`, `extern crate`).
    Import { root: String, absolute: bool },
}

#[derive(Debug, Default)]
struct Scope {
    names: HashMap<String, Binding>,
    /// A module scope: names of enclosing modules are not visible through it.
    module: bool,
}

/// What a path's first segment resolves to.
enum Resolution {
    /// A local item, `self`, `super`, `crate`, `Self` or the standard library.
    Local,
    /// A name imported from a crate: the crate.
    Imported(String),
    /// A name bound nowhere in the file: a crate from the extern prelude, if anything.
    Unbound(String),
}

/// Roots that never name another crate.
const NON_CRATE_ROOTS: &[&str] = &["crate", "self", "super", "Self", "std", "core", "alloc"];

#[derive(Default)]
struct RefCollector {
    scopes: Vec<Scope>,
    name_index: HashMap<String, u32>,
    facts: SourceFacts,
    test_depth: u32,
}

impl RefCollector {
    fn emit(&mut self, name: &str, line: usize) {
        if NON_CRATE_ROOTS.contains(&name) {
            return;
        }
        let index = match self.name_index.get(name) {
            Some(&index) => index,
            None => {
                let index = self.facts.names.len() as u32;
                self.facts.names.push(name.to_string());
                self.name_index.insert(name.to_string(), index);
                index
            }
        };
        self.facts.refs.push(RefFact {
            name: index,
            line: line as u32,
            in_test: self.test_depth > 0,
        });
    }

    fn resolve(&self, name: &str) -> Resolution {
        let mut current = name;
        // Imports may chain (`use tokio::sync; use sync::mpsc;`); a bound keeps a cyclic
        // chain of renames from looping.
        for _ in 0..16 {
            if NON_CRATE_ROOTS.contains(&current) {
                return Resolution::Local;
            }
            let mut binding = None;
            for scope in self.scopes.iter().rev() {
                if let Some(found) = scope.names.get(current) {
                    binding = Some(found);
                    break;
                }
                if scope.module {
                    break;
                }
            }
            match binding {
                None if current == name => return Resolution::Unbound(current.to_string()),
                None => return Resolution::Imported(current.to_string()),
                Some(Binding::Local) => return Resolution::Local,
                Some(Binding::Import { root, absolute }) => {
                    if *absolute || root == current {
                        return if NON_CRATE_ROOTS.contains(&root.as_str()) {
                            Resolution::Local
                        } else {
                            Resolution::Imported(root.clone())
                        };
                    }
                    current = root;
                }
            }
        }
        Resolution::Local
    }

    /// Records the first segment of a path of two or more segments, or of an absolute path.
    fn path_root(&mut self, ident: &proc_macro2::Ident, absolute: bool, multi_segment: bool) {
        let name = ident.to_string();
        // Span positions cost a search of the line table: only emitted references need one.
        let line = || ident.span().start().line;
        if absolute {
            self.emit(&name, line());
            return;
        }
        match self.resolve(&name) {
            // A lone lowercase name is most often a variable that happens to share an
            // imported name; uppercase names are types, traits and variants.
            Resolution::Imported(krate)
                if multi_segment || name.starts_with(|c: char| c.is_ascii_uppercase()) =>
            {
                self.emit(&krate, line());
            }
            // An unbound name may be a crate from the extern prelude. Uppercase ones are
            // the standard prelude's types (`String::new`), generic parameters (`T::default`)
            // or types from glob imports; crate names are lowercase in practice.
            Resolution::Unbound(krate)
                if multi_segment && !krate.starts_with(|c: char| c.is_ascii_uppercase()) =>
            {
                self.emit(&krate, line())
            }
            _ => {}
        }
    }

    fn push_scope(&mut self, items: &[Item], module: bool) {
        let mut scope = Scope {
            names: HashMap::new(),
            module,
        };
        for item in items {
            declare_item(item, &mut scope);
        }
        self.scopes.push(scope);
    }

    /// Scans raw tokens (macro bodies, attribute arguments) for `a::b` sequences: macro
    /// arguments are not parsed by syn, yet `json!`, `select!` and `format!` bodies name
    /// crates all the time.
    fn scan_tokens(&mut self, tokens: TokenStream, in_attribute: bool) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let is_colon =
            |i: usize| matches!(tokens.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ':');
        // The kinds of the last three tokens, most recent first.
        let mut history = [TokenKind::Other; 3];
        for (i, token) in tokens.iter().enumerate() {
            let kind = match token {
                TokenTree::Group(group) => {
                    self.scan_tokens(group.stream(), in_attribute);
                    TokenKind::Other
                }
                TokenTree::Ident(ident) => {
                    let starts_path_sep = matches!(&tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
                        && is_colon(i + 2);
                    if history[0] == TokenKind::PathSep {
                        // `::name::` starts an absolute path unless it continues one
                        // (`a::name`) or follows generic arguments (`Vec::<T>::name`).
                        if starts_path_sep
                            && !matches!(history[1], TokenKind::Ident | TokenKind::Gt)
                        {
                            self.path_root(ident, true, true);
                        }
                    } else if starts_path_sep
                        && !matches!(history[0], TokenKind::Dollar | TokenKind::Dot)
                    {
                        self.path_root(ident, false, true);
                    }
                    TokenKind::Ident
                }
                TokenTree::Punct(punct) => match punct.as_char() {
                    ':' if history[0] == TokenKind::JointColon => TokenKind::PathSep,
                    ':' if punct.spacing() == Spacing::Joint => TokenKind::JointColon,
                    '$' => TokenKind::Dollar,
                    '.' => TokenKind::Dot,
                    '>' => TokenKind::Gt,
                    _ => TokenKind::Other,
                },
                TokenTree::Literal(literal) => {
                    if in_attribute {
                        self.path_in_string(literal);
                    }
                    TokenKind::Other
                }
            };
            // A `::` pair collapses into one entry, so `history[1]` is the token before it.
            if kind == TokenKind::PathSep {
                history[0] = TokenKind::PathSep;
            } else {
                history = [kind, history[0], history[1]];
            }
        }
    }

    /// Attribute arguments such as `#[serde(with = "chrono::serde::ts_seconds")]` name paths
    /// in strings.
    fn path_in_string(&mut self, literal: &proc_macro2::Literal) {
        let text = literal.to_string();
        let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
            return;
        };
        let mut segments = inner.split("::");
        let (Some(first), Some(_)) = (segments.next(), segments.next()) else {
            return;
        };
        let is_ident = |s: &str| {
            !s.is_empty()
                && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        if !is_ident(first) || !inner.split("::").all(is_ident) {
            return;
        }
        let line = literal.span().start().line;
        match self.resolve(first) {
            Resolution::Imported(krate) | Resolution::Unbound(krate) => self.emit(&krate, line),
            Resolution::Local => {}
        }
    }

    fn visit_attributes_tokens(&mut self, attr: &Attribute) {
        if let Meta::List(list) = &attr.meta {
            if list.path.is_ident("derive") {
                // Derive arguments are paths; single names count when they were imported.
                let parsed =
                    attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated);
                if let Ok(paths) = parsed {
                    for path in &paths {
                        self.visit_path(path);
                    }
                    return;
                }
            }
            self.scan_tokens(list.tokens.clone(), true);
        }
    }
}

/// What the token scanner remembers of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenKind {
    Ident,
    /// The first `:` of a `::`.
    JointColon,
    /// A whole `::`.
    PathSep,
    Dollar,
    Dot,
    Gt,
    Other,
}

/// Adds the names an item declares to its scope.
fn declare_item(item: &Item, scope: &mut Scope) {
    let local = |ident: &syn::Ident, scope: &mut Scope| {
        scope.names.insert(ident.to_string(), Binding::Local);
    };
    match item {
        Item::Const(i) => local(&i.ident, scope),
        Item::Enum(i) => local(&i.ident, scope),
        Item::Fn(i) => local(&i.sig.ident, scope),
        Item::Mod(i) => local(&i.ident, scope),
        Item::Static(i) => local(&i.ident, scope),
        Item::Struct(i) => local(&i.ident, scope),
        Item::Trait(i) => local(&i.ident, scope),
        Item::TraitAlias(i) => local(&i.ident, scope),
        Item::Type(i) => local(&i.ident, scope),
        Item::Union(i) => local(&i.ident, scope),
        Item::ExternCrate(i) => {
            let root = i.ident.to_string();
            let name = i
                .rename
                .as_ref()
                .map(|(_, alias)| alias.to_string())
                .unwrap_or_else(|| root.clone());
            if name != "_" && root != "self" {
                scope.names.insert(
                    name,
                    Binding::Import {
                        root,
                        absolute: true,
                    },
                );
            }
        }
        Item::Use(i) => declare_use(&i.tree, None, None, i.leading_colon.is_some(), scope),
        _ => {}
    }
}

/// Adds the names a use tree imports, each bound to the first segment of its path.
fn declare_use(
    tree: &UseTree,
    root: Option<&str>,
    parent: Option<&syn::Ident>,
    absolute: bool,
    scope: &mut Scope,
) {
    let bind = |name: String, root: String, scope: &mut Scope| {
        if name == "_" {
            return;
        }
        let binding = if NON_CRATE_ROOTS.contains(&root.as_str()) {
            Binding::Local
        } else {
            Binding::Import { root, absolute }
        };
        scope.names.insert(name, binding);
    };
    match tree {
        UseTree::Path(path) => {
            let first = path.ident.to_string();
            let root = root.unwrap_or(&first);
            declare_use(&path.tree, Some(root), Some(&path.ident), absolute, scope);
        }
        UseTree::Name(name) => {
            let imported = if name.ident == "self" {
                match parent {
                    Some(parent) => parent.to_string(),
                    None => return,
                }
            } else {
                name.ident.to_string()
            };
            let root = root.map(str::to_string).unwrap_or_else(|| imported.clone());
            bind(imported, root, scope);
        }
        UseTree::Rename(rename) => {
            let root = root
                .map(str::to_string)
                .unwrap_or_else(|| rename.ident.to_string());
            bind(rename.rename.to_string(), root, scope);
        }
        UseTree::Glob(_) => {}
        UseTree::Group(group) => {
            for tree in &group.items {
                declare_use(tree, root, parent, absolute, scope);
            }
        }
    }
}

/// The first identifiers of the paths of a use tree (several for a top-level group).
fn use_roots<'a>(tree: &'a UseTree, out: &mut Vec<&'a syn::Ident>) {
    match tree {
        UseTree::Path(path) => out.push(&path.ident),
        UseTree::Name(name) => out.push(&name.ident),
        UseTree::Rename(rename) => out.push(&rename.ident),
        UseTree::Glob(_) => {}
        UseTree::Group(group) => {
            for tree in &group.items {
                use_roots(tree, out);
            }
        }
    }
}

/// Whether attributes mark an item as test-only code.
pub(crate) fn is_test_only(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        let path = attr.path();
        if path.segments.last().is_some_and(|s| s.ident == "test") {
            // `#[test]`, `#[tokio::test]`, `#[sqlx::test]`...
            return true;
        }
        if !path.is_ident("cfg") {
            return false;
        }
        let Meta::List(list) = &attr.meta else {
            return false;
        };
        let mut has_test = false;
        let mut has_not = false;
        for token in list.tokens.clone() {
            if let TokenTree::Ident(ident) = token {
                has_test |= ident == "test";
                has_not |= ident == "not";
            }
        }
        has_test && !has_not
    })
}

pub(crate) fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

impl<'ast> Visit<'ast> for RefCollector {
    fn visit_file(&mut self, file: &'ast syn::File) {
        self.push_scope(&file.items, true);
        if is_test_only(&file.attrs) {
            self.test_depth += 1;
        }
        visit::visit_file(self, file);
        self.scopes.pop();
    }

    fn visit_item(&mut self, item: &'ast Item) {
        let test_only = is_test_only(item_attrs(item));
        if test_only {
            self.test_depth += 1;
        }
        visit::visit_item(self, item);
        if test_only {
            self.test_depth -= 1;
        }
    }

    fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
        match &module.content {
            Some((_, items)) => {
                self.push_scope(items, true);
                visit::visit_item_mod(self, module);
                self.scopes.pop();
            }
            None => visit::visit_item_mod(self, module),
        }
    }

    fn visit_impl_item_fn(&mut self, function: &'ast syn::ImplItemFn) {
        let test_only = is_test_only(&function.attrs);
        if test_only {
            self.test_depth += 1;
        }
        visit::visit_impl_item_fn(self, function);
        if test_only {
            self.test_depth -= 1;
        }
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        let has_items = block
            .stmts
            .iter()
            .any(|stmt| matches!(stmt, syn::Stmt::Item(_)));
        if !has_items {
            visit::visit_block(self, block);
            return;
        }
        let mut scope = Scope::default();
        for stmt in &block.stmts {
            if let syn::Stmt::Item(item) = stmt {
                declare_item(item, &mut scope);
            }
        }
        self.scopes.push(scope);
        visit::visit_block(self, block);
        self.scopes.pop();
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        for attr in &item.attrs {
            self.visit_attribute(attr);
        }
        let mut roots = Vec::new();
        use_roots(&item.tree, &mut roots);
        let absolute = item.leading_colon.is_some();
        for ident in roots {
            let name = ident.to_string();
            let line = ident.span().start().line;
            if absolute {
                self.emit(&name, line);
                continue;
            }
            match self.resolve(&name) {
                Resolution::Imported(krate) | Resolution::Unbound(krate) => self.emit(&krate, line),
                Resolution::Local => {}
            }
        }
    }

    fn visit_item_extern_crate(&mut self, item: &'ast syn::ItemExternCrate) {
        if item.ident == "self" {
            return;
        }
        let line = item.ident.span().start().line;
        let name = item.ident.to_string();
        self.emit(&name, line);
        self.facts.extern_crates.push(ExternCrateFact {
            name,
            alias: item.rename.as_ref().map(|(_, alias)| alias.to_string()),
            line: line as u32,
        });
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if let Some(first) = path.segments.first() {
            let multi_segment = path.segments.len() > 1;
            self.path_root(&first.ident, path.leading_colon.is_some(), multi_segment);
        }
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let path = &mac.path;
        if path.segments.len() == 1 && path.leading_colon.is_none() {
            // `json!(..)` after `use serde_json::json;` uses serde_json.
            let ident = &path.segments[0].ident;
            if let Resolution::Imported(krate) = self.resolve(&ident.to_string()) {
                self.emit(&krate, ident.span().start().line);
            }
        } else {
            self.visit_path(path);
        }
        self.scan_tokens(mac.tokens.clone(), false);
    }

    fn visit_attribute(&mut self, attr: &'ast Attribute) {
        let path = attr.path();
        if path.segments.len() == 1 && path.leading_colon.is_none() {
            // `#[instrument]` after `use tracing::instrument;` uses tracing.
            let ident = &path.segments[0].ident;
            if let Resolution::Imported(krate) = self.resolve(&ident.to_string()) {
                self.emit(&krate, ident.span().start().line);
            }
        } else {
            self.visit_path(path);
        }
        match &attr.meta {
            Meta::List(_) => self.visit_attributes_tokens(attr),
            Meta::NameValue(name_value) => self.visit_expr(&name_value.value),
            Meta::Path(_) => {}
        }
    }
}
