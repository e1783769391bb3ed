//! The detector data of `rules/detectors.toml`: which crates and which functions, methods,
//! macros and attributes mean an HTTP call, a route, a gRPC client, a publish, a subscribe or
//! SQL. Extraction looks names up here; the model keeps a match only in crates that depend on
//! one of the pattern's crates.

use serde::Deserialize;
use std::collections::HashMap;

/// The built-in detectors, embedded in the binary.
pub const BUILTIN_DETECTORS: &str = include_str!("../../rules/detectors.toml");

/// What a pattern match means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    HttpCall,
    HttpClient,
    Route,
    RoutePrefix,
    RouteMount,
    Publish,
    Subscribe,
    Sql,
    Table,
}

/// One `[[pattern]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    pub role: Role,
    #[serde(default)]
    pub crates: Vec<String>,
    #[serde(default)]
    pub functions: Vec<String>,
    #[serde(default)]
    pub methods: Vec<String>,
    #[serde(default)]
    pub macros: Vec<String>,
    #[serde(default)]
    pub attributes: Vec<String>,
    #[serde(default)]
    pub argument: usize,
    /// The call matches only with exactly this many arguments: a client's request method
    /// takes the URL alone, while a router's `.get(path, handler)` registers a route.
    #[serde(default)]
    pub arguments: Option<usize>,
    /// For `http-client` patterns, and `http-call` functions that build their own client:
    /// clients built this way have a timeout.
    #[serde(default)]
    pub timeout: bool,
}

/// The `[grpc]` table: how generated tonic code is named.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrpcDetector {
    pub crates: Vec<String>,
    pub client_suffix: String,
    pub client_constructors: Vec<String>,
    pub server_suffix: String,
    pub server_constructors: Vec<String>,
}

/// All detectors of a run: the built-in file plus what capgraph.toml adds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Detectors {
    pub timeout_methods: Vec<String>,
    pub env_functions: Vec<String>,
    pub grpc: GrpcDetector,
    #[serde(rename = "pattern")]
    pub patterns: Vec<Pattern>,
    #[serde(skip)]
    index: Lookup,
}

/// Name → patterns, built once per run so that extraction does one hash lookup per call.
#[derive(Debug, Clone, Default)]
struct Lookup {
    functions: HashMap<String, Vec<u16>>,
    methods: HashMap<String, Vec<u16>>,
    macros: HashMap<String, Vec<u16>>,
    attributes: HashMap<String, Vec<u16>>,
    /// Every identifier a detector looks for, to skip token streams that mention none.
    words: std::collections::HashSet<String>,
}

impl Detectors {
    /// The built-in detectors.
    pub fn builtin() -> Detectors {
        let mut detectors: Detectors =
            toml::from_str(BUILTIN_DETECTORS).expect("rules/detectors.toml is valid");
        detectors.reindex();
        detectors
    }

    /// The built-in detectors plus extra patterns (from capgraph.toml).
    pub fn with_patterns(extra: Vec<Pattern>) -> Detectors {
        let mut detectors = Detectors::builtin();
        detectors.patterns.extend(extra);
        detectors.reindex();
        detectors
    }

    fn reindex(&mut self) {
        let mut index = Lookup::default();
        for (i, pattern) in self.patterns.iter().enumerate() {
            let i = i as u16;
            let add = |map: &mut HashMap<String, Vec<u16>>, names: &[String]| {
                for name in names {
                    map.entry(name.clone()).or_default().push(i);
                }
            };
            add(&mut index.functions, &pattern.functions);
            add(&mut index.methods, &pattern.methods);
            add(&mut index.macros, &pattern.macros);
            add(&mut index.attributes, &pattern.attributes);
        }
        // For `Type::function` the type is the telling word (`FutureRecord`, not `to`).
        let telling = |name: &String| {
            let mut segments = name.rsplit("::");
            let last = segments.next().unwrap_or(name);
            segments.next().unwrap_or(last).to_string()
        };
        index.words = self
            .patterns
            .iter()
            .flat_map(|p| p.functions.iter().chain(&p.methods).chain(&p.macros))
            .chain(&self.timeout_methods)
            .chain(&self.env_functions)
            .map(telling)
            .collect();
        self.index = index;
    }

    /// Patterns matching a call of a function path (`a::b::name`), by its last one or two
    /// segments.
    pub fn functions(&self, last_two: Option<&str>, last: &str) -> impl Iterator<Item = u16> {
        let two = last_two.and_then(|k| self.index.functions.get(k));
        let one = self.index.functions.get(last);
        two.into_iter().chain(one).flatten().copied()
    }

    pub fn methods(&self, name: &str) -> &[u16] {
        self.index.methods.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn macros(&self, name: &str) -> &[u16] {
        self.index.macros.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn attributes(&self, name: &str) -> &[u16] {
        self.index.attributes.get(name).map_or(&[], Vec::as_slice)
    }

    /// Whether a token stream names anything a detector looks for (a pattern's function,
    /// method or macro, a timeout method, an env reader, a generated gRPC type), at any depth.
    pub fn mentioned_in(&self, tokens: &proc_macro2::TokenStream) -> bool {
        tokens.clone().into_iter().any(|token| match token {
            proc_macro2::TokenTree::Ident(ident) => {
                let name = ident.to_string();
                self.index.words.contains(&name)
                    || name.ends_with(&self.grpc.client_suffix)
                    || name.ends_with(&self.grpc.server_suffix)
            }
            proc_macro2::TokenTree::Group(group) => self.mentioned_in(&group.stream()),
            _ => false,
        })
    }

    pub fn pattern(&self, index: u16) -> &Pattern {
        &self.patterns[index as usize]
    }

    pub fn is_timeout_method(&self, name: &str) -> bool {
        self.timeout_methods.iter().any(|m| m == name)
    }

    /// Whether a call path (its last two segments, `env::var`) reads an environment variable.
    pub fn is_env_function(&self, last_two: &str) -> bool {
        self.env_functions.iter().any(|f| f == last_two)
    }
}

impl Default for Detectors {
    fn default() -> Self {
        Detectors::builtin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_detectors_parse_and_index() {
        let detectors = Detectors::builtin();
        let get: Vec<Role> = detectors
            .methods("get")
            .iter()
            .map(|&i| detectors.pattern(i).role)
            .collect();
        // A client's `.get(url)`, and a router's `.get(path, handler)`: told apart by arity.
        assert_eq!(get, vec![Role::HttpCall, Role::Route]);
        let arities: Vec<Option<usize>> = detectors
            .methods("get")
            .iter()
            .map(|&i| detectors.pattern(i).arguments)
            .collect();
        assert_eq!(arities, vec![Some(1), Some(2)]);
        let to: Vec<Role> = detectors
            .functions(Some("FutureRecord::to"), "to")
            .map(|i| detectors.pattern(i).role)
            .collect();
        assert_eq!(to, vec![Role::Publish]);
    }
}
