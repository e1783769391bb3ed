//! Extraction of run-time dependency evidence from one Rust file: HTTP calls and the URLs they
//! use, clients and their timeouts, served routes and how routers are composed, gRPC clients
//! and servers, topics published or subscribed, and tables named in SQL.
//!
//! Which names mean what is data (`rules/detectors.toml`); this module only evaluates the
//! argument a detector points at into a [`Value`]: literal text, an environment variable, a
//! struct field or a constant, concatenated. Fields and constants are resolved later, across
//! the files of a crate, by the model; this module never looks beyond its file.

use super::detectors::{Detectors, Role};
use super::source::{is_test_only, item_attrs};
use proc_macro2::TokenTree;
use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Expr, Lit, Member};

/// One piece of a value evaluated from code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// Literal text.
    Lit(String),
    /// The value of an environment variable.
    Env(String),
    /// The value of a struct field, `Type::field` where the type is known (resolved across
    /// the crate).
    Field(String),
    /// The value of a constant or static of this name (resolved across the crate).
    Const(String),
    /// Something not known statically (a parameter, a computed string).
    Hole,
}

/// A value as a concatenation of parts: `format!("{}/v1/orders/{id}", base)` with `base` from
/// `CHECKOUT_URL` is `[Env(CHECKOUT_URL), Lit("/v1/orders/"), Hole]`.
pub type Value = Vec<Part>;

/// A detector match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the pattern in [`Detectors::patterns`].
    pub pattern: u16,
    pub role: Role,
    pub line: u32,
    pub in_test: bool,
    /// The argument the pattern points at: a URL, a route path, a topic, a table.
    pub value: Value,
    /// The HTTP method(s) of a call or route (`GET`, `GET,POST`); for SQL, `read` or `write`.
    pub verb: Option<String>,
    /// The function the match sits in (for routes: the function whose routes they are).
    pub scope: Option<String>,
    /// Route prefixes of enclosing `.nest(..)`/`scope(..)` in the same expression.
    pub prefix: String,
    /// For `route-mount`: the path of the function whose routes are mounted (`orders::routes`).
    pub target: Option<String>,
    /// For clients: whether a timeout is configured where it is built.
    pub timeout: bool,
    /// For calls: the call builds its own client (`reqwest::get(url)`), with a timeout only
    /// when its pattern declares one.
    pub default_client: bool,
    /// For calls: the request itself is bounded in time, whatever its client: a per-request
    /// `.timeout(..)` on its chain, or it runs inside `tokio::time::timeout(..)` or a
    /// `select!` racing it against a `sleep`.
    pub guarded: bool,
}

/// A generated gRPC client built, or a gRPC service served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrpcFact {
    /// The proto service's name (`Payments` for `PaymentsClient`).
    pub service: String,
    /// The module path before the type (`payments_api::payments_client`), to disambiguate.
    pub module: String,
    pub client: bool,
    pub line: u32,
    pub in_test: bool,
    /// For clients: whether the function that builds it configures a timeout.
    pub timeout: bool,
}

/// A field or constant and the value code assigns to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    pub value: Value,
    pub line: u32,
}

/// What one file tells about run-time dependencies. Empty for most files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceFacts {
    pub hits: Vec<Hit>,
    pub grpc: Vec<GrpcFact>,
    /// Struct fields assigned a value that may be a URL (`base: env::var("X")?`, clap `env`).
    pub fields: Vec<Assignment>,
    /// String constants and statics.
    pub consts: Vec<Assignment>,
}

impl ServiceFacts {
    pub fn is_empty(&self) -> bool {
        self.hits.is_empty()
            && self.grpc.is_empty()
            && self.fields.is_empty()
            && self.consts.is_empty()
    }
}

/// Collects the service facts of a parsed file.
pub fn collect(file: &syn::File, detectors: &Detectors) -> ServiceFacts {
    let mut collector = Collector {
        detectors,
        facts: ServiceFacts::default(),
        functions: Vec::new(),
        prefixes: Vec::new(),
        impl_types: Vec::new(),
        imported: HashMap::new(),
        aliases: HashMap::new(),
        guarded: 0,
        racing: false,
        test_depth: u32::from(is_test_only(&file.attrs)),
    };
    collector.aliases = grpc_aliases(&file.items, detectors);
    collector.visit_file(file);
    collector.facts
}

/// The state of the function being visited.
struct FunctionScope {
    name: String,
    /// `let` bindings seen so far, by name.
    locals: HashMap<String, Value>,
    /// Whether a timeout method is called anywhere in the function.
    configures_timeout: bool,
    /// Hits and gRPC facts recorded in the function, whose timeout is set when it ends.
    first_hit: usize,
    first_grpc: usize,
}

struct Collector<'d> {
    detectors: &'d Detectors,
    facts: ServiceFacts,
    functions: Vec<FunctionScope>,
    /// Prefixes of the `.nest(prefix, ..)` arguments being visited.
    prefixes: Vec<String>,
    /// Self types of the `impl` blocks being visited.
    impl_types: Vec<String>,
    /// Constants imported by `use`: name in this file → the crate they come from.
    imported: HashMap<String, String>,
    /// The macro body about to be visited is a `select!` with a deadline branch: the futures
    /// of its arms (`pat = future => handler`) are bounded, not the handlers.
    racing: bool,
    /// How many time bounds enclose the expression being visited (a `.timeout(..)` on a
    /// request chain, `tokio::time::timeout(..)`, a `select!` with a `sleep`).
    guarded: u32,
    /// Type aliases of generated gRPC types declared in the file
    /// (`type BrokerClient = BrokerServiceClient<Channel>`): alias → (path segments).
    aliases: HashMap<String, Vec<String>>,
    test_depth: u32,
}

/// The value of `table_name = "x"` or `table_name = a::b::x` (its last segment) among an
/// attribute's top-level tokens, with its line; other keys (`check_for_backend(Pg)`) are
/// skipped.
fn table_name_value(tokens: proc_macro2::TokenStream) -> Option<(String, u32)> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let at = tokens
        .iter()
        .position(|t| matches!(t, TokenTree::Ident(i) if i == "table_name"))?;
    if !matches!(tokens.get(at + 1), Some(TokenTree::Punct(p)) if p.as_char() == '=') {
        return None;
    }
    let line = line_of(tokens[at].span());
    let mut last = None;
    for token in &tokens[at + 2..] {
        match token {
            TokenTree::Literal(literal) => {
                let text = literal.to_string();
                let name = text.strip_prefix('"')?.strip_suffix('"')?.to_string();
                return Some((name, line));
            }
            TokenTree::Ident(ident) => last = Some(ident.to_string()),
            TokenTree::Punct(p) if p.as_char() == ':' => {}
            _ => break,
        }
    }
    last.map(|name| (name, line))
}

/// Whether tokens name `sleep`, `sleep_until` or `timeout` anywhere (a `select!` branch
/// that ends the race after a while).
fn mentions_a_deadline(tokens: proc_macro2::TokenStream) -> bool {
    tokens.into_iter().any(|token| match token {
        proc_macro2::TokenTree::Ident(ident) => {
            ident == "sleep" || ident == "sleep_until" || ident == "timeout"
        }
        proc_macro2::TokenTree::Group(group) => mentions_a_deadline(group.stream()),
        _ => false,
    })
}

/// The file's type aliases whose target is a generated gRPC client or server type, at any
/// module depth of the file.
fn grpc_aliases(items: &[syn::Item], detectors: &Detectors) -> HashMap<String, Vec<String>> {
    let grpc = &detectors.grpc;
    let mut out = HashMap::new();
    for item in items {
        match item {
            syn::Item::Type(alias) => {
                let syn::Type::Path(target) = &*alias.ty else {
                    continue;
                };
                let segments: Vec<String> = target
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                let generated = segments.last().is_some_and(|last| {
                    last.ends_with(&grpc.client_suffix) || last.ends_with(&grpc.server_suffix)
                });
                if generated {
                    out.insert(alias.ident.to_string(), segments);
                }
            }
            syn::Item::Mod(module) => {
                if let Some((_, items)) = &module.content {
                    out.extend(grpc_aliases(items, detectors));
                }
            }
            _ => {}
        }
    }
    out
}

fn line_of(span: proc_macro2::Span) -> u32 {
    span.start().line as u32
}

const HTTP_VERBS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options"];

/// Methods that pass a value through unchanged, as far as its text goes.
const PASS_THROUGH: &[&str] = &[
    "unwrap",
    "expect",
    "unwrap_or",
    "unwrap_or_else",
    "unwrap_or_default",
    "to_string",
    "to_owned",
    "as_str",
    "as_ref",
    "as_deref",
    "clone",
    "into",
    "context",
    "with_context",
    "trim_end_matches",
    "parse",
    "borrow",
];

/// Functions whose single argument is the text of their result (`Url::parse(&base)`).
const PASS_THROUGH_FUNCTIONS: &[&str] = &["parse", "from", "from_str", "try_from", "from_shared"];

/// How long an evaluated value may grow, in bytes of literal text and in parts. A value
/// built by repeated concatenation (`let b = format!("{a}{a}")`, line after line) doubles each
/// time; past these bounds the rest is cut and stands as one unknown part, which is what it
/// is to the model. No URL, route, topic or table name comes near them.
pub const MAX_VALUE_BYTES: usize = 4096;
/// See [`MAX_VALUE_BYTES`].
pub const MAX_VALUE_PARTS: usize = 64;

fn push_part(value: &mut Value, part: Part) {
    if part == Part::Lit(String::new()) {
        return;
    }
    if value_is_full(value) {
        if value.last() != Some(&Part::Hole) {
            value.push(Part::Hole);
        }
        return;
    }
    match part {
        Part::Lit(text) => {
            let room = MAX_VALUE_BYTES.saturating_sub(literal_bytes(value));
            let cut = floor_char_boundary(&text, room);
            let kept = &text[..cut];
            match value.last_mut() {
                Some(Part::Lit(last)) => last.push_str(kept),
                _ if !kept.is_empty() => value.push(Part::Lit(kept.to_string())),
                _ => {}
            }
            if cut < text.len() {
                value.push(Part::Hole);
            }
        }
        other => value.push(other),
    }
}

/// Whether a value has reached [`MAX_VALUE_PARTS`] or [`MAX_VALUE_BYTES`].
fn value_is_full(value: &Value) -> bool {
    value.len() >= MAX_VALUE_PARTS || literal_bytes(value) >= MAX_VALUE_BYTES
}

fn literal_bytes(value: &Value) -> usize {
    value
        .iter()
        .map(|part| match part {
            Part::Lit(text) => text.len(),
            _ => 0,
        })
        .sum()
}

/// The largest index `<= at` that starts a character of `text`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn concat(mut left: Value, right: Value) -> Value {
    for part in right {
        if value_is_full(&left) && left.last() == Some(&Part::Hole) {
            break;
        }
        push_part(&mut left, part);
    }
    left
}

fn is_constant_name(name: &str) -> bool {
    name.len() > 1
        && name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// The last one and two segments of a path (`env::var` and `var`).
fn path_tail(path: &syn::Path) -> (Option<String>, String) {
    let mut segments = path.segments.iter().rev();
    let last = segments
        .next()
        .map(|s| s.ident.to_string())
        .unwrap_or_default();
    let two = segments.next().map(|s| format!("{}::{last}", s.ident));
    (two, last)
}

impl Collector<'_> {
    fn in_test(&self) -> bool {
        self.test_depth > 0
    }

    fn scope_name(&self) -> Option<String> {
        self.functions.last().map(|f| f.name.clone())
    }

    fn prefix(&self) -> String {
        self.prefixes.concat()
    }

    /// Evaluates an expression into text parts, as far as it can be known statically.
    fn eval(&self, expr: &Expr) -> Value {
        match expr {
            Expr::Lit(lit) => match &lit.lit {
                Lit::Str(s) => vec![Part::Lit(s.value())],
                _ => vec![Part::Hole],
            },
            Expr::Paren(e) => self.eval(&e.expr),
            Expr::Group(e) => self.eval(&e.expr),
            Expr::Reference(e) => self.eval(&e.expr),
            Expr::Try(e) => self.eval(&e.expr),
            Expr::Await(e) => self.eval(&e.base),
            Expr::Path(p) if p.qself.is_none() => {
                let path = &p.path;
                if path.segments.len() == 1 {
                    let name = path.segments[0].ident.to_string();
                    if let Some(value) = self.local(&name) {
                        return value.clone();
                    }
                    if is_constant_name(&name) {
                        return vec![self.const_part(&name)];
                    }
                    return vec![Part::Hole];
                }
                let last = path.segments.last().expect("non-empty").ident.to_string();
                if is_constant_name(&last) {
                    vec![Part::Const(last)]
                } else {
                    vec![Part::Hole]
                }
            }
            Expr::Field(f) => match &f.member {
                Member::Named(name) => vec![Part::Field(self.field_name(&f.base, name))],
                Member::Unnamed(_) => vec![Part::Hole],
            },
            Expr::Binary(b) if matches!(b.op, syn::BinOp::Add(_)) => {
                concat(self.eval(&b.left), self.eval(&b.right))
            }
            Expr::MethodCall(call) => {
                let method = call.method.to_string();
                if method == "join" && call.args.len() == 1 {
                    let base = self.eval(&call.receiver);
                    let joined = self.eval(&call.args[0]);
                    return join_url(base, joined);
                }
                if PASS_THROUGH.contains(&method.as_str()) {
                    return self.eval(&call.receiver);
                }
                vec![Part::Hole]
            }
            Expr::Call(call) => {
                let Expr::Path(func) = &*call.func else {
                    return vec![Part::Hole];
                };
                let (two, last) = path_tail(&func.path);
                if let Some(two) = &two
                    && self.detectors.is_env_function(two)
                    && let Some(Expr::Lit(lit)) = call.args.first()
                    && let Lit::Str(name) = &lit.lit
                {
                    return vec![Part::Env(name.value())];
                }
                if call.args.len() == 1 && PASS_THROUGH_FUNCTIONS.contains(&last.as_str()) {
                    return self.eval(&call.args[0]);
                }
                vec![Part::Hole]
            }
            Expr::Macro(m) => self.eval_macro(&m.mac),
            _ => vec![Part::Hole],
        }
    }

    /// `Type::field` for `self.field` inside `impl Type`, else the bare field name: the
    /// model resolves a bare name only when one value is assigned to it in the crate.
    fn field_name(&self, base: &Expr, field: &syn::Ident) -> String {
        match (base, self.impl_types.last()) {
            (Expr::Path(p), Some(owner)) if p.path.is_ident("self") => format!("{owner}::{field}"),
            _ => field.to_string(),
        }
    }

    /// A constant by name: `crate_name::NAME` when a `use` brought it from another crate, so
    /// that the model looks for it there and not for any constant of that name.
    fn const_part(&self, name: &str) -> Part {
        match self.imported.get(name) {
            Some(source) => Part::Const(source.clone()),
            None => Part::Const(name.to_string()),
        }
    }

    fn local(&self, name: &str) -> Option<&Value> {
        self.functions.last().and_then(|f| f.locals.get(name))
    }

    /// `format!`, `concat!` and friends: the template with its arguments filled in.
    fn eval_macro(&self, mac: &syn::Macro) -> Value {
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if !matches!(name.as_str(), "format" | "format_args" | "concat") {
            return vec![Part::Hole];
        }
        let Ok(args) = mac.parse_body_with(Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        else {
            return vec![Part::Hole];
        };
        let args: Vec<&Expr> = args.iter().collect();
        match name.as_str() {
            "format" | "format_args" => {
                let Some(Expr::Lit(lit)) = args.first() else {
                    return vec![Part::Hole];
                };
                let Lit::Str(template) = &lit.lit else {
                    return vec![Part::Hole];
                };
                self.fill_template(&template.value(), &args[1..])
            }
            "concat" => args
                .iter()
                .fold(Vec::new(), |value, arg| concat(value, self.eval(arg))),
            _ => vec![Part::Hole],
        }
    }

    fn fill_template(&self, template: &str, args: &[&Expr]) -> Value {
        let mut named: HashMap<String, &Expr> = HashMap::new();
        let mut positional = Vec::new();
        for arg in args {
            match arg {
                Expr::Assign(assign) => {
                    if let Expr::Path(p) = &*assign.left
                        && let Some(ident) = p.path.get_ident()
                    {
                        named.insert(ident.to_string(), &assign.right);
                    }
                }
                other => positional.push(*other),
            }
        }
        let mut value = Vec::new();
        let mut next_positional = 0;
        let mut chars = template.chars().peekable();
        let mut text = String::new();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let mut spec = String::new();
                    for c in chars.by_ref() {
                        if c == '}' {
                            break;
                        }
                        spec.push(c);
                    }
                    let argument = spec.split(':').next().unwrap_or("").trim().to_string();
                    push_part(&mut value, Part::Lit(std::mem::take(&mut text)));
                    let filled = if argument.is_empty() {
                        let arg = positional.get(next_positional).copied();
                        next_positional += 1;
                        arg.map(|a| self.eval(a))
                    } else if let Ok(index) = argument.parse::<usize>() {
                        positional.get(index).map(|a| self.eval(a))
                    } else if let Some(arg) = named.get(&argument) {
                        Some(self.eval(arg))
                    } else {
                        // An inline `{name}` captures a variable of that name.
                        Some(self.local(&argument).cloned().unwrap_or_else(|| {
                            if is_constant_name(&argument) {
                                vec![self.const_part(&argument)]
                            } else {
                                vec![Part::Hole]
                            }
                        }))
                    };
                    value = concat(value, filled.unwrap_or_else(|| vec![Part::Hole]));
                }
                c => text.push(c),
            }
        }
        push_part(&mut value, Part::Lit(text));
        value
    }

    fn hit(&mut self, pattern: u16, line: u32, value: Value) -> &mut Hit {
        let role = self.detectors.pattern(pattern).role;
        self.facts.hits.push(Hit {
            pattern,
            role,
            line,
            in_test: self.in_test(),
            value,
            verb: None,
            scope: self.scope_name(),
            prefix: self.prefix(),
            target: None,
            timeout: false,
            default_client: false,
            guarded: self.guarded > 0,
        });
        self.facts.hits.last_mut().expect("just pushed")
    }

    /// Records what a call matching `patterns` means, given its arguments.
    fn on_call(
        &mut self,
        patterns: &[u16],
        name: &str,
        args: &[&Expr],
        line: u32,
        receiver: Option<&Expr>,
    ) {
        for &pattern in patterns {
            let spec = self.detectors.pattern(pattern);
            if spec.arguments.is_some_and(|count| count != args.len()) {
                continue;
            }
            let (role, argument, declared_timeout) = (spec.role, spec.argument, spec.timeout);
            match role {
                Role::HttpCall => {
                    let Some(arg) = args.get(argument) else {
                        continue;
                    };
                    let value = self.eval(arg);
                    if !looks_like_url(&value) {
                        continue;
                    }
                    let verb = if argument > 0 {
                        args.first().and_then(|m| method_name(m))
                    } else {
                        HTTP_VERBS
                            .contains(&name)
                            .then(|| name.to_ascii_uppercase())
                    };
                    let hit = self.hit(pattern, line, value);
                    hit.verb = verb;
                    // A free function (`reqwest::get`) builds its own client: it has a timeout
                    // only when the pattern says so (a company wrapper may set one).
                    hit.default_client = receiver.is_none();
                    hit.timeout = declared_timeout;
                }
                Role::HttpClient => {
                    let chained = receiver.is_some_and(|r| self.chain_has_timeout(r));
                    self.hit(pattern, line, Vec::new()).timeout = declared_timeout || chained;
                }
                Role::Route => {
                    let Some(arg) = args.get(argument) else {
                        continue;
                    };
                    let value = self.eval(arg);
                    if !matches!(value.first(), Some(Part::Lit(path)) if path.starts_with('/')) {
                        continue;
                    }
                    let chain = receiver.map(|r| self.chain_prefix(r)).unwrap_or_default();
                    let mut verbs = args
                        .get(argument + 1)
                        .map(|handler| verbs_in(handler))
                        .unwrap_or_default();
                    // `.get("/x", handler)`: the method is the verb.
                    if verbs.is_empty() && HTTP_VERBS.contains(&name) {
                        verbs.push(name.to_ascii_uppercase());
                    }
                    let hit = self.hit(pattern, line, value);
                    hit.prefix.push_str(&chain);
                    hit.verb = (!verbs.is_empty()).then(|| verbs.join(","));
                }
                Role::RoutePrefix => {}
                Role::RouteMount => {
                    let (prefix, routers) = match args {
                        [first, rest @ ..] if !rest.is_empty() => match self.eval(first)[..] {
                            [Part::Lit(ref p)] if p.starts_with('/') => (p.clone(), rest),
                            _ => (String::new(), args),
                        },
                        _ => (String::new(), args),
                    };
                    let chain = receiver.map(|r| self.chain_prefix(r)).unwrap_or_default();
                    for router in routers {
                        for target in mount_targets(router) {
                            let hit = self.hit(pattern, line, vec![Part::Lit(prefix.clone())]);
                            hit.prefix.push_str(&chain);
                            hit.target = Some(target);
                        }
                    }
                }
                Role::Publish | Role::Subscribe => {
                    let Some(arg) = args.get(argument) else {
                        continue;
                    };
                    let topics: Vec<&Expr> = match strip_reference(arg) {
                        Expr::Array(array) => array.elems.iter().collect(),
                        other => vec![other],
                    };
                    for topic in topics {
                        let value = self.eval(topic);
                        if is_topic(&value) {
                            self.hit(pattern, line, value);
                        }
                    }
                }
                Role::Sql => {
                    let Some(arg) = args.get(argument) else {
                        continue;
                    };
                    if let [Part::Lit(sql)] = &self.eval(arg)[..] {
                        for (table, write) in tables_in_sql(sql) {
                            let verb = if write { "write" } else { "read" };
                            self.hit(pattern, line, vec![Part::Lit(table)]).verb =
                                Some(verb.to_string());
                        }
                    }
                }
                Role::Table => {}
            }
        }
    }

    /// Whether a method chain below a call configures a timeout (`Client::builder()
    /// .timeout(..)`): looked for on the receiver side.
    fn chain_has_timeout(&self, expr: &Expr) -> bool {
        let mut current = expr;
        loop {
            match current {
                Expr::MethodCall(call) => {
                    if self.detectors.is_timeout_method(&call.method.to_string()) {
                        return true;
                    }
                    current = &call.receiver;
                }
                Expr::Try(e) => current = &e.expr,
                Expr::Await(e) => current = &e.base,
                _ => return false,
            }
        }
    }

    /// The route prefix a chain starts from: `web::scope("/api").route(..)`.
    fn chain_prefix(&self, expr: &Expr) -> String {
        let mut current = expr;
        loop {
            match current {
                Expr::MethodCall(call) => current = &call.receiver,
                Expr::Call(call) => {
                    let Expr::Path(func) = &*call.func else {
                        return String::new();
                    };
                    let (two, last) = path_tail(&func.path);
                    let is_prefix = self
                        .detectors
                        .functions(two.as_deref(), &last)
                        .any(|p| self.detectors.pattern(p).role == Role::RoutePrefix);
                    if is_prefix
                        && let Some(first) = call.args.first()
                        && let [Part::Lit(prefix)] = &self.eval(first)[..]
                    {
                        return prefix.clone();
                    }
                    return String::new();
                }
                _ => return String::new(),
            }
        }
    }

    /// `XClient::new(..)`, `XServer::new(..)`: tonic's generated types.
    fn on_grpc_path(&mut self, path: &syn::Path, line: impl Fn() -> u32) {
        let grpc = &self.detectors.grpc;
        // Most calls are not to generated types: look at the type's name before anything else.
        let Some(type_segment) = path.segments.iter().rev().nth(1) else {
            return;
        };
        let type_name = type_segment.ident.to_string();
        let alias = self.aliases.get(&type_name);
        if alias.is_none()
            && !type_name.ends_with(&grpc.client_suffix)
            && !type_name.ends_with(&grpc.server_suffix)
        {
            return;
        }
        let line = line();
        let mut segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        // `Alias::new(..)`: the aliased type's path, then the constructor.
        if let (Some(target), Some(constructor)) = (alias, segments.last().cloned()) {
            segments = target.clone();
            segments.push(constructor);
        }
        let [.., type_name, constructor] = &segments[..] else {
            return;
        };
        let grpc = &self.detectors.grpc;
        let (service, client) = if let Some(service) = type_name.strip_suffix(&grpc.client_suffix)
            && grpc.client_constructors.contains(constructor)
        {
            (service, true)
        } else if let Some(service) = type_name.strip_suffix(&grpc.server_suffix)
            && grpc.server_constructors.contains(constructor)
        {
            (service, false)
        } else {
            return;
        };
        if service.is_empty() || !service.starts_with(|c: char| c.is_ascii_uppercase()) {
            return;
        }
        let module = segments[..segments.len() - 2].join("::");
        self.facts.grpc.push(GrpcFact {
            service: service.to_string(),
            module,
            client,
            line,
            in_test: self.in_test(),
            timeout: false,
        });
    }

    fn enter_function(&mut self, name: String) {
        self.functions.push(FunctionScope {
            name,
            locals: HashMap::new(),
            configures_timeout: false,
            first_hit: self.facts.hits.len(),
            first_grpc: self.facts.grpc.len(),
        });
    }

    fn leave_function(&mut self) {
        let Some(function) = self.functions.pop() else {
            return;
        };
        if function.configures_timeout {
            for hit in &mut self.facts.hits[function.first_hit..] {
                if hit.role == Role::HttpClient {
                    hit.timeout = true;
                }
            }
            for grpc in &mut self.facts.grpc[function.first_grpc..] {
                grpc.timeout |= grpc.client;
            }
        }
        // A closure or nested function that configured a timeout counts for its parent too.
        if function.configures_timeout
            && let Some(parent) = self.functions.last_mut()
        {
            parent.configures_timeout = true;
        }
    }

    /// Records a constant or static named in upper case, with its value when it is text; one
    /// whose value is not known is recorded too, so that its name never resolves to another
    /// crate's constant of the same name.
    fn record_const(&mut self, ident: &syn::Ident, expr: &Expr) {
        let name = ident.to_string();
        if !is_constant_name(&name) {
            return;
        }
        let mut value = self.eval(expr);
        if !matches!(value.first(), Some(Part::Lit(_))) {
            value = vec![Part::Hole];
        }
        self.facts.consts.push(Assignment {
            name,
            value,
            line: line_of(ident.span()),
        });
    }

    fn record_field(&mut self, name: String, value: Value, span: proc_macro2::Span) {
        if value
            .iter()
            .any(|p| !matches!(p, Part::Hole | Part::Field(_)))
        {
            let line = line_of(span);
            self.facts.fields.push(Assignment { name, value, line });
        }
    }

    /// An ORM model's table, named by a `table_name = ..` key of a table attribute pattern:
    /// a string (`#[sea_orm(table_name = "users")]`) or a path (`#[diesel(table_name =
    /// schema::users)]`, its last segment).
    fn table_attributes(&mut self, attrs: &[syn::Attribute]) {
        for attr in attrs {
            let Some(name) = attr.path().segments.last().map(|s| s.ident.to_string()) else {
                continue;
            };
            let patterns: Vec<u16> = self
                .detectors
                .attributes(&name)
                .iter()
                .copied()
                .filter(|&p| self.detectors.pattern(p).role == Role::Table)
                .collect();
            if patterns.is_empty() {
                continue;
            }
            let syn::Meta::List(list) = &attr.meta else {
                continue;
            };
            let Some((table, line)) = table_name_value(list.tokens.clone()) else {
                continue;
            };
            for &pattern in &patterns {
                self.hit(pattern, line, vec![Part::Lit(table.clone())]).verb =
                    Some("read".to_string());
            }
        }
    }

    fn route_attributes(&mut self, attrs: &[syn::Attribute], function: &str) {
        for attr in attrs {
            let Some(name) = attr.path().segments.last().map(|s| s.ident.to_string()) else {
                continue;
            };
            let patterns = self.detectors.attributes(&name).to_vec();
            if patterns.is_empty() {
                continue;
            }
            let Ok(args) =
                attr.parse_args_with(Punctuated::<Expr, syn::Token![,]>::parse_terminated)
            else {
                continue;
            };
            let Some(Expr::Lit(lit)) = args.first() else {
                continue;
            };
            let Lit::Str(path) = &lit.lit else {
                continue;
            };
            if !path.value().starts_with('/') {
                continue;
            }
            let verb = HTTP_VERBS
                .contains(&name.as_str())
                .then(|| name.to_ascii_uppercase());
            for pattern in patterns {
                if self.detectors.pattern(pattern).role != Role::Route {
                    continue;
                }
                let line = line_of(lit.lit.span());
                let hit = self.hit(pattern, line, vec![Part::Lit(path.value())]);
                hit.verb = verb.clone();
                hit.scope = Some(function.to_string());
                hit.prefix = String::new();
            }
        }
    }
}

/// Whether a timeout method's receiver chain starts from a client or channel (a variable, or
/// `Channel::..`, `Endpoint::..`, `Client::builder()`, `AgentBuilder::new()`), not from a
/// server-side builder such as tower's `ServiceBuilder`.
fn builds_a_client(receiver: &Expr) -> bool {
    const CLIENT_TYPES: &[&str] = &[
        "Channel",
        "Endpoint",
        "Client",
        "ClientBuilder",
        "Agent",
        "AgentBuilder",
    ];
    let mut current = receiver;
    loop {
        match current {
            Expr::MethodCall(call) => current = &call.receiver,
            Expr::Try(e) => current = &e.expr,
            Expr::Await(e) => current = &e.base,
            Expr::Paren(e) => current = &e.expr,
            Expr::Path(_) | Expr::Field(_) => return true,
            Expr::Call(call) => {
                return matches!(&*call.func, Expr::Path(p)
                    if p.path.segments.iter().any(|s| CLIENT_TYPES.iter().any(|t| s.ident == t)));
            }
            _ => return false,
        }
    }
}

/// Joins a base URL and a path as `Url::join` does for the common case of an absolute path.
fn join_url(base: Value, path: Value) -> Value {
    match path.first() {
        Some(Part::Lit(text)) if text.contains("://") => path,
        _ => concat(base, path),
    }
}

fn strip_reference(expr: &Expr) -> &Expr {
    match expr {
        Expr::Reference(r) => strip_reference(&r.expr),
        Expr::Paren(p) => strip_reference(&p.expr),
        other => other,
    }
}

/// Whether an evaluated argument can be a URL: it starts with a scheme or a `/`, or an
/// environment variable, field, constant or unknown base followed by a path (a bare
/// parameter or map key is not evidence).
fn looks_like_url(value: &Value) -> bool {
    match value.first() {
        Some(Part::Lit(text)) => {
            text.starts_with("http://") || text.starts_with("https://") || text.starts_with('/')
        }
        Some(Part::Env(_) | Part::Field(_) | Part::Const(_)) => value.len() > 1,
        // `format!("{base}/v1/stock/{sku}")` with a base passed in: the path is evidence.
        Some(Part::Hole) => {
            matches!(value.get(1), Some(Part::Lit(text)) if text.starts_with('/') && text.len() > 1)
        }
        _ => false,
    }
}

fn is_topic(value: &Value) -> bool {
    match &value[..] {
        [Part::Lit(text)] => !text.is_empty() && !text.contains(char::is_whitespace),
        [Part::Const(_)] => true,
        _ => false,
    }
}

/// `Method::POST` or `reqwest::Method::POST` as `POST`.
fn method_name(expr: &Expr) -> Option<String> {
    let Expr::Path(p) = strip_reference(expr) else {
        return None;
    };
    let last = p.path.segments.last()?.ident.to_string();
    HTTP_VERBS
        .contains(&last.to_ascii_lowercase().as_str())
        .then(|| last.to_ascii_uppercase())
}

/// The HTTP methods a route handler expression names: `get(h).post(h2)`, `web::get().to(h)`.
fn verbs_in(expr: &Expr) -> Vec<String> {
    let mut verbs = Vec::new();
    let mut current = expr;
    loop {
        match current {
            Expr::MethodCall(call) => {
                let name = call.method.to_string();
                if HTTP_VERBS.contains(&name.as_str()) {
                    verbs.push(name.to_ascii_uppercase());
                }
                current = &call.receiver;
            }
            Expr::Call(call) => {
                if let Expr::Path(p) = &*call.func
                    && let Some(last) = p.path.segments.last()
                {
                    let name = last.ident.to_string();
                    if HTTP_VERBS.contains(&name.as_str()) {
                        verbs.push(name.to_ascii_uppercase());
                    }
                }
                break;
            }
            _ => break,
        }
    }
    verbs.sort();
    verbs.dedup();
    verbs
}

/// The functions whose routes a mount argument brings in: `orders::routes()`, `index`,
/// `routes![a, b]`.
fn mount_targets(expr: &Expr) -> Vec<String> {
    match strip_reference(expr) {
        Expr::Call(call) => match &*call.func {
            Expr::Path(p) => vec![path_text(&p.path)],
            _ => Vec::new(),
        },
        Expr::Path(p) => {
            let text = path_text(&p.path);
            // A lowercase path is a function (or a variable holding a router, which then
            // matches no function and mounts nothing).
            if text.starts_with(|c: char| c.is_ascii_lowercase()) {
                vec![text]
            } else {
                Vec::new()
            }
        }
        Expr::Macro(m) => {
            let Ok(paths) = m
                .mac
                .parse_body_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            else {
                return Vec::new();
            };
            paths.iter().map(path_text).collect()
        }
        _ => Vec::new(),
    }
}

/// The tables a SQL text reads and writes, each once (written if any statement writes it),
/// named as the SQL names them (`billing.invoices` keeps its schema), in lower case. Not
/// tables: the names a `WITH` clause defines, table functions (`generate_series(..)`,
/// `aclexplode(..)`), and system catalogs (`pg_*`, `pg_catalog.*`, `information_schema.*`,
/// MySQL's `mysql.*`/`performance_schema.*`/`sys.*`, SQLite's `sqlite_*`). Read with the
/// PostgreSQL dialect; text it cannot parse names no table.
pub fn tables_in_sql(sql: &str) -> Vec<(String, bool)> {
    use sqlparser::ast::{FromTable, Statement, TableFactor, TableObject};
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let Ok(statements) = sqlparser::parser::Parser::parse_sql(&dialect, sql) else {
        return Vec::new();
    };
    let table_name = |factor: &TableFactor| match factor {
        TableFactor::Table { name, .. } => Some(sql_name(name)),
        _ => None,
    };
    let mut written = Vec::new();
    for statement in &statements {
        match statement {
            Statement::Insert(insert) => {
                if let TableObject::TableName(name) = &insert.table {
                    written.push(sql_name(name));
                }
            }
            Statement::Update(update) => written.extend(table_name(&update.table.relation)),
            Statement::Delete(delete) => {
                let (FromTable::WithFromKeyword(tables) | FromTable::WithoutKeyword(tables)) =
                    &delete.from;
                written.extend(tables.iter().filter_map(|t| table_name(&t.relation)));
            }
            _ => {}
        }
    }
    let mut relations = Relations::default();
    let _ = sqlparser::ast::Visit::visit(&statements, &mut relations);
    let is_table = |name: &String| {
        !relations.ctes.contains(name)
            && !relations.functions.contains(name)
            && !is_system_catalog(name)
    };
    let mut tables: Vec<(String, bool)> = Vec::new();
    for name in relations.names.into_iter().chain(written.iter().cloned()) {
        if is_table(&name) && !tables.iter().any(|(t, _)| *t == name) {
            let write = written.contains(&name);
            tables.push((name, write));
        }
    }
    tables
}

/// A relation's name as written, parts joined by `.`, quotes dropped, in lower case.
fn sql_name(name: &sqlparser::ast::ObjectName) -> String {
    name.0
        .iter()
        .map(|part| part.to_string().trim_matches('"').to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(".")
}

/// Whether a relation is a database's own catalog rather than an application table.
fn is_system_catalog(name: &str) -> bool {
    let (schema, table) = name.rsplit_once('.').unwrap_or(("", name));
    let schema = schema.rsplit('.').next().unwrap_or(schema);
    matches!(
        schema,
        "pg_catalog" | "information_schema" | "mysql" | "performance_schema" | "sys"
    ) || table.starts_with("pg_")
        || table.starts_with("sqlite_")
}

/// The relations a SQL text names, with the names its `WITH` clauses define and the table
/// functions it calls, to tell tables from them.
#[derive(Default)]
struct Relations {
    names: Vec<String>,
    ctes: HashSet<String>,
    functions: HashSet<String>,
}

impl sqlparser::ast::Visitor for Relations {
    type Break = ();

    fn pre_visit_query(&mut self, query: &sqlparser::ast::Query) -> ControlFlow<()> {
        if let Some(with) = &query.with {
            for cte in &with.cte_tables {
                self.ctes.insert(cte.alias.name.value.to_ascii_lowercase());
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &sqlparser::ast::TableFactor) -> ControlFlow<()> {
        if let sqlparser::ast::TableFactor::Table {
            name,
            args: Some(_),
            ..
        } = factor
        {
            self.functions.insert(sql_name(name));
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_relation(&mut self, relation: &sqlparser::ast::ObjectName) -> ControlFlow<()> {
        self.names.push(sql_name(relation));
        ControlFlow::Continue(())
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let test_only = is_test_only(item_attrs(item));
        self.test_depth += u32::from(test_only);
        match item {
            syn::Item::Const(c) => self.record_const(&c.ident, &c.expr),
            syn::Item::Static(s) => self.record_const(&s.ident, &s.expr),
            syn::Item::Impl(imp) => {
                // `impl payments_server::Payments for Service`: a served gRPC service.
                if let Some((path, _)) = &imp.trait_
                    && path.segments.len() >= 2
                {
                    let module = &path.segments[path.segments.len() - 2].ident.to_string();
                    let service = path.segments.last().expect("len >= 2").ident.to_string();
                    if module.ends_with("_server") {
                        let module_path: Vec<String> = path
                            .segments
                            .iter()
                            .take(path.segments.len() - 1)
                            .map(|s| s.ident.to_string())
                            .collect();
                        self.facts.grpc.push(GrpcFact {
                            service,
                            module: module_path.join("::"),
                            client: false,
                            line: line_of(path.segments[0].ident.span()),
                            in_test: self.in_test(),
                            timeout: false,
                        });
                    }
                }
            }
            syn::Item::Struct(s) => {
                self.table_attributes(&s.attrs);
                // clap: `#[arg(env = "CATALOG_URL")] catalog_url: String`.
                for field in &s.fields {
                    let Some(ident) = &field.ident else { continue };
                    for attr in &field.attrs {
                        if let Some(env) = env_attribute(attr) {
                            self.facts.fields.push(Assignment {
                                name: format!("{}::{ident}", s.ident),
                                value: vec![Part::Env(env)],
                                line: line_of(ident.span()),
                            });
                        }
                    }
                }
            }
            syn::Item::Macro(m) => self.on_macro(&m.mac),
            _ => {}
        }
        visit::visit_item(self, item);
        self.test_depth -= u32::from(test_only);
    }

    fn visit_item_fn(&mut self, function: &'ast syn::ItemFn) {
        let name = function.sig.ident.to_string();
        self.route_attributes(&function.attrs, &name);
        self.enter_function(name);
        visit::visit_item_fn(self, function);
        self.leave_function();
    }

    fn visit_impl_item_fn(&mut self, function: &'ast syn::ImplItemFn) {
        let test_only = is_test_only(&function.attrs);
        self.test_depth += u32::from(test_only);
        let name = function.sig.ident.to_string();
        self.route_attributes(&function.attrs, &name);
        self.enter_function(name);
        visit::visit_impl_item_fn(self, function);
        self.leave_function();
        self.test_depth -= u32::from(test_only);
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let Some(init) = &local.init {
            self.visit_expr(&init.expr);
            let mut pat = &local.pat;
            while let syn::Pat::Type(typed) = pat {
                pat = &typed.pat;
            }
            if let syn::Pat::Ident(ident) = pat {
                let value = self.eval(&init.expr);
                if let Some(function) = self.functions.last_mut() {
                    function.locals.insert(ident.ident.to_string(), value);
                }
            }
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
        }
    }

    fn visit_expr_struct(&mut self, expr: &'ast syn::ExprStruct) {
        let written = expr.path.segments.last().map(|s| s.ident.to_string());
        let owner = match written.as_deref() {
            Some("Self") => self.impl_types.last().cloned(),
            other => other.map(str::to_string),
        };
        for field in &expr.fields {
            if let Member::Named(name) = &field.member {
                let value = self.eval(&field.expr);
                if value
                    .iter()
                    .all(|p| matches!(p, Part::Hole | Part::Field(_)))
                {
                    continue;
                }
                let qualified = match &owner {
                    Some(owner) => format!("{owner}::{name}"),
                    None => name.to_string(),
                };
                self.record_field(qualified, value, name.span());
            }
        }
        visit::visit_expr_struct(self, expr);
    }

    fn visit_expr_assign(&mut self, expr: &'ast syn::ExprAssign) {
        if let Expr::Field(field) = &*expr.left
            && let Member::Named(name) = &field.member
        {
            let value = self.eval(&expr.right);
            let qualified = self.field_name(&field.base, name);
            self.record_field(qualified, value, name.span());
        }
        visit::visit_expr_assign(self, expr);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        fn walk(tree: &syn::UseTree, root: Option<&str>, out: &mut HashMap<String, String>) {
            match tree {
                syn::UseTree::Path(path) => {
                    let segment = path.ident.to_string();
                    walk(&path.tree, Some(root.unwrap_or(&segment)), out);
                }
                syn::UseTree::Name(name) => {
                    let ident = name.ident.to_string();
                    if let Some(root) = root.filter(|r| !matches!(*r, "crate" | "self" | "super"))
                        && is_constant_name(&ident)
                    {
                        out.insert(ident.clone(), format!("{root}::{ident}"));
                    }
                }
                syn::UseTree::Rename(rename) => {
                    let ident = rename.ident.to_string();
                    if let Some(root) = root.filter(|r| !matches!(*r, "crate" | "self" | "super"))
                        && is_constant_name(&ident)
                    {
                        out.insert(rename.rename.to_string(), format!("{root}::{ident}"));
                    }
                }
                syn::UseTree::Group(group) => {
                    for tree in &group.items {
                        walk(tree, root, out);
                    }
                }
                syn::UseTree::Glob(_) => {}
            }
        }
        walk(&item.tree, None, &mut self.imported);
        visit::visit_item_use(self, item);
    }

    fn visit_impl_item_const(&mut self, item: &'ast syn::ImplItemConst) {
        self.record_const(&item.ident, &item.expr);
        visit::visit_impl_item_const(self, item);
    }

    /// A pattern binding (a parameter, `for x in`, a closure argument, a match arm) hides any
    /// earlier `let` of that name: its value is unknown.
    fn visit_pat_ident(&mut self, pat: &'ast syn::PatIdent) {
        if let Some(function) = self.functions.last_mut() {
            function.locals.remove(&pat.ident.to_string());
        }
        visit::visit_pat_ident(self, pat);
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        let owner = match &*item.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        self.impl_types.push(owner.unwrap_or_default());
        visit::visit_item_impl(self, item);
        self.impl_types.pop();
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let name = call.method.to_string();
        if self.detectors.is_timeout_method(&name)
            && builds_a_client(&call.receiver)
            && let Some(function) = self.functions.last_mut()
        {
            function.configures_timeout = true;
        }
        let patterns = self.detectors.methods(&name);
        if patterns.is_empty() {
            // `client.get(url).timeout(d).send()`: the request in the receiver is bounded.
            let bounds = self.detectors.is_timeout_method(&name);
            self.guarded += u32::from(bounds);
            visit::visit_expr_method_call(self, call);
            self.guarded -= u32::from(bounds);
            return;
        }
        let patterns = patterns.to_vec();
        let line = line_of(call.method.span());
        let args: Vec<&Expr> = call.args.iter().collect();
        self.on_call(&patterns, &name, &args, line, Some(&call.receiver));
        let mounts = patterns
            .iter()
            .any(|&p| self.detectors.pattern(p).role == Role::RouteMount);
        self.visit_expr(&call.receiver);
        if mounts {
            // Routes declared inline in a mounted router get its prefix.
            let prefix = match &args[..] {
                [first, _, ..] => match &self.eval(first)[..] {
                    [Part::Lit(p)] if p.starts_with('/') => p.clone(),
                    _ => String::new(),
                },
                _ => String::new(),
            };
            let chain = self.chain_prefix(&call.receiver);
            self.prefixes.push(format!("{chain}{prefix}"));
            for arg in &args {
                self.visit_expr(arg);
            }
            self.prefixes.pop();
        } else {
            for arg in &args {
                self.visit_expr(arg);
            }
        }
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let Expr::Path(func) = &*call.func {
            // Span positions cost a search of the line table: only matches need one.
            let line = || {
                func.path
                    .segments
                    .last()
                    .map_or(0, |s| line_of(s.ident.span()))
            };
            // A one-segment call (`get(url)`) is too common to mean a crate's function; one
            // of two or more segments names the crate or type (`reqwest::get`, `Client::new`).
            if func.path.segments.len() >= 2 {
                let (two, last) = path_tail(&func.path);
                let patterns: Vec<u16> = self.detectors.functions(two.as_deref(), &last).collect();
                if !patterns.is_empty() {
                    let args: Vec<&Expr> = call.args.iter().collect();
                    self.on_call(&patterns, &last, &args, line(), None);
                }
            }
            self.on_grpc_path(&func.path, line);
            // `tokio::time::timeout(d, request)`, `timeout(d, request)`: bounded.
            let bounds = call.args.len() == 2
                && func
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "timeout");
            self.guarded += u32::from(bounds);
            visit::visit_expr_call(self, call);
            self.guarded -= u32::from(bounds);
            return;
        }
        visit::visit_expr_call(self, call);
    }

    fn visit_expr_macro(&mut self, expr: &'ast syn::ExprMacro) {
        self.on_macro(&expr.mac);
        visit::visit_expr_macro(self, expr);
    }

    fn visit_stmt_macro(&mut self, stmt: &'ast syn::StmtMacro) {
        self.on_macro(&stmt.mac);
        visit::visit_stmt_macro(self, stmt);
    }
}

impl Collector<'_> {
    fn on_macro(&mut self, mac: &syn::Macro) {
        let Some(name) = mac.path.segments.last().map(|s| s.ident.to_string()) else {
            return;
        };
        let patterns = self.detectors.macros(&name).to_vec();
        if patterns.is_empty() {
            // syn leaves macro bodies unparsed; calls inside `tokio::select!`, `json!` or
            // `tracing::info!` arguments are still calls. A `select!` with a `sleep` or
            // `timeout` branch bounds the requests it races.
            self.racing = name == "select" && mentions_a_deadline(mac.tokens.clone());
            self.visit_tokens(mac.tokens.clone());
            self.racing = false;
            return;
        }
        let line = line_of(name_span(mac));
        for pattern in patterns {
            match self.detectors.pattern(pattern).role {
                Role::Table => {
                    // diesel: `table! { users (id) { .. } }`.
                    let tables = diesel_tables(mac.tokens.clone());
                    for table in tables {
                        self.hit(pattern, line, vec![Part::Lit(table)]).verb =
                            Some("read".to_string());
                    }
                }
                Role::Route => {
                    // warp: `path!("v1" / "orders" / u64)`.
                    if let Some(path) = warp_path(mac.tokens.clone()) {
                        self.hit(pattern, line, vec![Part::Lit(path)]);
                    }
                }
                _ => {
                    let Ok(args) =
                        mac.parse_body_with(Punctuated::<Expr, syn::Token![,]>::parse_terminated)
                    else {
                        continue;
                    };
                    let args: Vec<&Expr> = args.iter().collect();
                    self.on_call(&[pattern], &name, &args, line, None);
                }
            }
        }
    }
}

impl Collector<'_> {
    /// Visits the expressions inside a token stream: the whole stream when it parses as
    /// comma-separated expressions, else each bracketed group, recursively.
    fn visit_tokens(&mut self, tokens: proc_macro2::TokenStream) {
        use syn::parse::Parser;
        let racing = std::mem::take(&mut self.racing);
        // Most macro bodies (`format!`, `println!`, `vec!`) name nothing a detector looks
        // for; a flat scan spares parsing them again.
        if !self.detectors.mentioned_in(&tokens) {
            return;
        }
        let parser = Punctuated::<Expr, syn::Token![,]>::parse_terminated;
        if let Ok(exprs) = parser.parse2(tokens.clone()) {
            for expr in &exprs {
                self.visit_expr(expr);
            }
            return;
        }
        if let Ok(block) = syn::Block::parse_within.parse2(tokens.clone()) {
            for stmt in &block {
                self.visit_stmt(stmt);
            }
            return;
        }
        // `select!`-like bodies (`pat = future => handler,`): each piece between `,`, `;`,
        // `=>` and a lone `=` that parses as an expression is one.
        for (after_assignment, piece) in split_arms(tokens) {
            let bounded = racing && after_assignment;
            self.guarded += u32::from(bounded);
            match syn::parse2::<Expr>(piece.clone()) {
                Ok(expr) => self.visit_expr(&expr),
                Err(_) => {
                    for token in piece {
                        if let TokenTree::Group(group) = token {
                            self.visit_tokens(group.stream());
                        }
                    }
                }
            }
            self.guarded -= u32::from(bounded);
        }
    }
}

/// Splits macro tokens at top-level `,`, `;`, `=>` and assignment `=`; each piece says
/// whether it follows an assignment `=` (a `select!` arm's future).
fn split_arms(tokens: proc_macro2::TokenStream) -> Vec<(bool, proc_macro2::TokenStream)> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut pieces = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut after_assignment = false;
    let mut i = 0;
    while i < tokens.len() {
        let split = match &tokens[i] {
            TokenTree::Punct(p) if matches!(p.as_char(), ',' | ';') => 1,
            TokenTree::Punct(p) if p.as_char() == '=' => {
                let next_is = |c: char| matches!(tokens.get(i + 1), Some(TokenTree::Punct(n)) if n.as_char() == c);
                let previous_joins = matches!(
                    current.last(),
                    Some(TokenTree::Punct(q)) if q.spacing() == proc_macro2::Spacing::Joint
                );
                if p.spacing() == proc_macro2::Spacing::Joint && next_is('>') {
                    2
                } else if p.spacing() == proc_macro2::Spacing::Alone && !previous_joins {
                    1
                } else {
                    0
                }
            }
            _ => 0,
        };
        if split > 0 {
            pieces.push((after_assignment, current.drain(..).collect()));
            after_assignment =
                matches!(&tokens[i], TokenTree::Punct(p) if p.as_char() == '=') && split == 1;
            i += split;
        } else {
            current.push(tokens[i].clone());
            i += 1;
        }
    }
    pieces.push((after_assignment, current.into_iter().collect()));
    pieces
}

fn name_span(mac: &syn::Macro) -> proc_macro2::Span {
    mac.path
        .segments
        .last()
        .map_or_else(proc_macro2::Span::call_site, |s| s.ident.span())
}

/// `#[arg(env = "X")]`, `#[clap(long, env = "X")]`: the variable a clap field reads.
fn env_attribute(attr: &syn::Attribute) -> Option<String> {
    let name = attr.path().get_ident()?.to_string();
    if name != "arg" && name != "clap" {
        return None;
    }
    let syn::Meta::List(list) = &attr.meta else {
        return None;
    };
    let tokens: Vec<TokenTree> = list.tokens.clone().into_iter().collect();
    tokens.windows(3).find_map(|w| match w {
        [
            TokenTree::Ident(key),
            TokenTree::Punct(eq),
            TokenTree::Literal(lit),
        ] if key == "env" && eq.as_char() == '=' => {
            let text = lit.to_string();
            Some(text.trim_matches('"').to_string())
        }
        _ => None,
    })
}

/// The table names declared in a diesel `table!` body: an identifier followed by a
/// parenthesised primary key and a braced column list.
fn diesel_tables(tokens: proc_macro2::TokenStream) -> Vec<String> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut tables = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if let (TokenTree::Ident(name), Some(TokenTree::Group(key)), Some(TokenTree::Group(body))) =
            (token, tokens.get(i + 1), tokens.get(i + 2))
            && key.delimiter() == proc_macro2::Delimiter::Parenthesis
            && body.delimiter() == proc_macro2::Delimiter::Brace
        {
            // `schema.users (id) {..}` names the table after the dot.
            tables.push(name.to_string());
        }
    }
    tables
}

/// A warp `path!` body as a route template: literals are segments, types are parameters.
fn warp_path(tokens: proc_macro2::TokenStream) -> Option<String> {
    let mut path = String::new();
    let mut segment_open = true;
    for token in tokens {
        match token {
            TokenTree::Literal(lit) => {
                let text = lit.to_string();
                let text = text.strip_prefix('"')?.strip_suffix('"')?.to_string();
                path.push('/');
                path.push_str(&text);
                segment_open = false;
            }
            TokenTree::Ident(_) if segment_open => {
                path.push_str("/{}");
                segment_open = false;
            }
            TokenTree::Punct(p) if p.as_char() == '/' => segment_open = true,
            TokenTree::Punct(p) if p.as_char() == '.' => return Some(path),
            _ => {}
        }
    }
    (!path.is_empty()).then_some(path)
}
