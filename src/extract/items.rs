//! The items of one Rust file and the names each refers to: the facts a call graph over the
//! scanned code is built from (which function reaches which), so that a library's call site
//! counts only for the binaries that reach it.
//!
//! Names are matched later, across files and crates, without type inference: an item is
//! known by its name and, for methods, the type its `impl` is for; a reference is a plain
//! name, a `Qualifier::name` pair, or a `.method` call. That mostly over-approximates what a
//! binary runs (every method of that name on a type it mentions); it misses calls under a
//! renamed import (`use a::f as g`), through an inline module (`m::f()` for `mod m {..}`),
//! and inside `macro_rules!` bodies, which the model makes up for by counting a site no
//! binary reaches for every binary that links it.

use super::source::{is_test_only, item_attrs};
use proc_macro2::{TokenStream, TokenTree};
use std::collections::{HashMap, HashSet};
use syn::visit::{self, Visit};
use syn::{Item, spanned::Spanned};

/// No qualifier: a plain name or a method call.
pub const NO_QUALIFIER: u32 = u32::MAX;

/// One name an item refers to. Indexes are into [`ItemFacts::names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemRef {
    /// The segment before the name (`Client` in `Client::new`), with `Self` replaced by the
    /// impl's type; [`NO_QUALIFIER`] for a plain name or a method.
    pub qualifier: u32,
    pub name: u32,
    /// A `.name(..)` method call.
    pub method: bool,
}

/// An item with a body or fields: a function, a method, a const or static, a struct, enum,
/// union or type alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFact {
    pub name: u32,
    /// The type (last segment) an `impl` or `trait` block is for; `None` for free items.
    pub owner: Option<u32>,
    /// A method of a trait impl or a trait's default body: whatever holds the type may call
    /// it (a framework calling a handler), so it runs once the type is mentioned.
    pub trait_method: bool,
    /// Its body holds a `loop {..}`: code that runs until stopped.
    pub loops: bool,
    /// The item whose body holds it (index into [`ItemFacts::items`]).
    pub parent: Option<u32>,
    /// 1-based first and last line.
    pub start: u32,
    pub end: u32,
    /// What its body (or its fields' types) refers to, deduplicated, in first-seen order.
    pub refs: Vec<ItemRef>,
}

/// The items of a file outside test-only code, in source order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFacts {
    pub names: Vec<String>,
    pub items: Vec<ItemFact>,
}

impl ItemFacts {
    pub fn name(&self, index: u32) -> &str {
        &self.names[index as usize]
    }

    /// The innermost item whose lines hold `line` (items nest: a fn in a fn's body). Items
    /// are in source order, nested or disjoint: the innermost holder of the line is the last
    /// item starting at or before it, or one of that item's enclosing items, so the search is
    /// a binary search and a climb of at most the nesting depth.
    pub fn item_at(&self, line: u32) -> Option<usize> {
        let after = self.items.partition_point(|item| item.start <= line);
        let mut current = after.checked_sub(1);
        while let Some(index) = current {
            let item = &self.items[index];
            if line <= item.end {
                return Some(index);
            }
            current = item.parent.map(|p| p as usize);
        }
        None
    }
}

/// Collects the items of a parsed file.
pub fn collect(file: &syn::File) -> ItemFacts {
    let mut collector = Collector::default();
    if !is_test_only(&file.attrs) {
        collector.visit_file(file);
    }
    collector.facts
}

#[derive(Default)]
struct Collector {
    facts: ItemFacts,
    name_index: HashMap<String, u32>,
    /// Items being collected (indexes into `facts.items`), innermost last.
    open: Vec<usize>,
    /// The type of the enclosing `impl` or `trait`, and whether it is a trait's.
    owner: Option<(u32, bool)>,
    /// The references of each open item so far, to keep its list free of repeats in
    /// constant time per reference (a generated function may hold thousands).
    seen: Vec<HashSet<ItemRef>>,
}

impl Collector {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&index) = self.name_index.get(name) {
            return index;
        }
        let index = self.facts.names.len() as u32;
        self.facts.names.push(name.to_string());
        self.name_index.insert(name.to_string(), index);
        index
    }

    fn refer(&mut self, qualifier: Option<&str>, name: &str, method: bool) {
        let Some(&open) = self.open.last() else {
            return;
        };
        let qualifier = match qualifier {
            Some("Self") => self.owner.map_or(NO_QUALIFIER, |(owner, _)| owner),
            Some(q) => self.intern(q),
            None => NO_QUALIFIER,
        };
        let reference = ItemRef {
            qualifier,
            name: self.intern(name),
            method,
        };
        let seen = self.seen.last_mut().expect("one set per open item");
        if seen.insert(reference) {
            self.facts.items[open].refs.push(reference);
        }
    }

    /// Opens an item, visits it with `visit`, and closes it.
    fn item(
        &mut self,
        name: &syn::Ident,
        owner: Option<(u32, bool)>,
        span: proc_macro2::Span,
        visit: impl FnOnce(&mut Self),
    ) {
        let name = self.intern(&name.to_string());
        self.facts.items.push(ItemFact {
            name,
            owner: owner.map(|(owner, _)| owner),
            trait_method: owner.is_some_and(|(_, is_trait)| is_trait),
            loops: false,
            parent: self.open.last().map(|&p| p as u32),
            start: span.start().line as u32,
            end: span.end().line as u32,
            refs: Vec::new(),
        });
        self.open.push(self.facts.items.len() - 1);
        self.seen.push(HashSet::new());
        visit(self);
        self.seen.pop();
        self.open.pop();
    }

    /// Every identifier of a macro's tokens, as a plain name or, after `.`, a method; a
    /// `A::b` pair as a qualified name. Macro bodies (`select!`, `json!`) are not parsed.
    fn scan_tokens(&mut self, tokens: TokenStream) {
        let mut previous: Vec<TokenTree> = Vec::new();
        for token in tokens {
            match &token {
                TokenTree::Group(group) => self.scan_tokens(group.stream()),
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    let after_dot =
                        matches!(previous.last(), Some(TokenTree::Punct(p)) if p.as_char() == '.');
                    let qualifier = match &previous[..] {
                        [
                            ..,
                            TokenTree::Ident(q),
                            TokenTree::Punct(a),
                            TokenTree::Punct(b),
                        ] if a.as_char() == ':' && b.as_char() == ':' => Some(q.to_string()),
                        _ => None,
                    };
                    self.refer(qualifier.as_deref(), &name, after_dot);
                }
                _ => {}
            }
            previous.push(token);
            if previous.len() > 3 {
                previous.remove(0);
            }
        }
    }
}

/// The last segment of a type's path (`Arc<Server>` gives `Arc`; `&Server` gives `Server`).
fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        syn::Type::Reference(reference) => type_name(&reference.elem),
        syn::Type::Paren(paren) => type_name(&paren.elem),
        syn::Type::Group(group) => type_name(&group.elem),
        _ => None,
    }
}

fn starts_uppercase(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_item(&mut self, item: &'ast Item) {
        if is_test_only(item_attrs(item)) {
            return;
        }
        let span = item.span();
        let named = |item: &'ast Item| -> Option<&'ast syn::Ident> {
            Some(match item {
                Item::Fn(i) => &i.sig.ident,
                Item::Const(i) => &i.ident,
                Item::Static(i) => &i.ident,
                Item::Struct(i) => &i.ident,
                Item::Enum(i) => &i.ident,
                Item::Union(i) => &i.ident,
                Item::Type(i) => &i.ident,
                _ => return None,
            })
        };
        match named(item) {
            // Items inside a function body are items of their own, outside any impl.
            Some(ident) => {
                let owner = self.owner.take();
                self.item(ident, None, span, |c| visit::visit_item(c, item));
                self.owner = owner;
            }
            None => visit::visit_item(self, item),
        }
    }

    fn visit_item_impl(&mut self, block: &'ast syn::ItemImpl) {
        let Some(name) = type_name(&block.self_ty) else {
            return;
        };
        let owner = (self.intern(&name), block.trait_.is_some());
        let outer = self.owner.replace(owner);
        // The impl's header (`impl Trait for Type`) belongs to no item.
        for item in &block.items {
            self.visit_impl_item(item);
        }
        self.owner = outer;
    }

    fn visit_impl_item_fn(&mut self, function: &'ast syn::ImplItemFn) {
        if is_test_only(&function.attrs) {
            return;
        }
        let span = function.span();
        let owner = self.owner;
        self.item(&function.sig.ident, owner, span, |c| {
            visit::visit_impl_item_fn(c, function)
        });
    }

    fn visit_item_trait(&mut self, block: &'ast syn::ItemTrait) {
        if is_test_only(&block.attrs) {
            return;
        }
        let owner = (self.intern(&block.ident.to_string()), true);
        let outer = self.owner.replace(owner);
        for item in &block.items {
            if let syn::TraitItem::Fn(function) = item
                && function.default.is_some()
                && !is_test_only(&function.attrs)
            {
                let span = function.span();
                self.item(&function.sig.ident, Some(owner), span, |c| {
                    visit::visit_trait_item_fn(c, function)
                });
            }
        }
        self.owner = outer;
    }

    fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
        if is_test_only(&module.attrs) {
            return;
        }
        visit::visit_item_mod(self, module);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        for segment in &segments {
            // Types, traits and variants: mentioning one brings in its trait methods.
            if starts_uppercase(segment) && segment != "Self" {
                self.refer(None, segment, false);
            }
        }
        match &segments[..] {
            [] => {}
            [only] => self.refer(None, only, false),
            [.., qualifier, name] => self.refer(Some(qualifier), name, false),
        }
        visit::visit_path(self, path);
    }

    fn visit_expr_loop(&mut self, expr: &'ast syn::ExprLoop) {
        if let Some(&open) = self.open.last() {
            self.facts.items[open].loops = true;
        }
        visit::visit_expr_loop(self, expr);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.refer(None, &call.method.to_string(), true);
        visit::visit_expr_method_call(self, call);
    }

    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        // `#[derive(Subcommand)]`, `#[command(subcommand)]`: what a binary is made of.
        if let syn::Meta::List(list) = &attr.meta {
            self.scan_tokens(list.tokens.clone());
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        visit::visit_macro(self, mac);
        self.scan_tokens(mac.tokens.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> Vec<(String, Option<String>, bool, Vec<String>)> {
        let file = syn::parse_file(text).unwrap();
        let facts = collect(&file);
        facts
            .items
            .iter()
            .map(|item| {
                let refs = item
                    .refs
                    .iter()
                    .map(|r| {
                        let name = facts.name(r.name);
                        match (r.qualifier, r.method) {
                            (_, true) => format!(".{name}"),
                            (NO_QUALIFIER, false) => name.to_string(),
                            (q, false) => format!("{}::{name}", facts.name(q)),
                        }
                    })
                    .collect();
                (
                    facts.name(item.name).to_string(),
                    item.owner.map(|o| facts.name(o).to_string()),
                    item.trait_method,
                    refs,
                )
            })
            .collect()
    }

    #[test]
    fn functions_methods_and_what_they_refer_to() {
        let found = items(
            "fn main() { let s = Server::bind(addr); s.serve(router()); }\n\
             struct Server { client: Client }\n\
             impl Server { fn serve(&self) { Self::accept(); } }\n\
             impl Service for Server { fn call(&self) {} }\n\
             #[cfg(test)] mod tests { fn helper() {} }",
        );
        assert_eq!(
            found,
            vec![
                (
                    "main".into(),
                    None,
                    false,
                    vec![
                        "Server".into(),
                        "Server::bind".into(),
                        "addr".into(),
                        ".serve".into(),
                        "s".into(),
                        "router".into()
                    ]
                ),
                ("Server".into(), None, false, vec!["Client".into()]),
                (
                    "serve".into(),
                    Some("Server".into()),
                    false,
                    vec!["Server::accept".into()]
                ),
                ("call".into(), Some("Server".into()), true, vec![]),
            ]
        );
    }

    #[test]
    fn macro_bodies_are_read_as_tokens() {
        let found =
            items("fn f() { tokio::select! { r = client.get(url) => {}, _ = sleep(d) => {} } }");
        let refs = &found[0].3;
        assert!(refs.contains(&".get".to_string()), "{refs:?}");
        assert!(refs.contains(&"sleep".to_string()), "{refs:?}");
        assert!(refs.contains(&"tokio::select".to_string()), "{refs:?}");
    }

    #[test]
    fn the_innermost_item_holds_a_line() {
        let file = syn::parse_file("fn outer() {\n  fn inner() {\n  }\n  let x = 1;\n}\n").unwrap();
        let facts = collect(&file);
        assert_eq!(facts.item_at(3), Some(1));
        assert_eq!(facts.item_at(4), Some(0));
        assert_eq!(facts.item_at(9), None);
    }
}
