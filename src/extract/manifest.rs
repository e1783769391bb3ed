//! Extraction of the facts of one `Cargo.toml`: the package and its targets, the workspace
//! it may declare, and every dependency with its kind, source, platform and line.
//!
//! Inheritance (`x.workspace = true`) and the question of which scanned crate a dependency
//! names are left to the model, which sees all manifests together.

use super::source::ParseFailure;
use crate::core::{DepKind, LineIndex};
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use toml::Spanned;

/// Where a dependency comes from, as its declaration says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DepSource {
    /// crates.io or the named alternative registry.
    Registry { registry: Option<String> },
    /// A path, relative to the declaring manifest's directory.
    Path(String),
    /// A git repository.
    Git { url: String },
    /// `workspace = true`: the workspace's declaration says.
    Inherited,
}

/// One dependency declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DependencyDecl {
    /// The table key: the name code uses, unless `package` renames it.
    pub key: String,
    /// The real package name when the declaration renames it (`alias = { package = ".." }`).
    pub package: Option<String>,
    pub kind: DepKind,
    /// The `cfg(..)` or target triple of a `[target.X.dependencies]` table.
    pub platform: Option<String>,
    pub source: DepSource,
    pub optional: bool,
    /// 1-based line of the declaration in the manifest.
    pub line: u32,
}

impl DependencyDecl {
    /// The name of the package this declaration depends on.
    pub fn package_name(&self) -> &str {
        self.package.as_deref().unwrap_or(&self.key)
    }
}

/// A `[lib]`, `[[bin]]`, `[[test]]`, `[[bench]]` or `[[example]]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct TargetDecl {
    pub name: Option<String>,
    pub path: Option<String>,
}

/// The `package.build` setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildScript {
    /// `build.rs` at the package root, if it exists.
    Default,
    Disabled,
    Path(String),
}

/// The `[package]` table and the targets declared beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageFacts {
    pub name: String,
    /// 1-based line of `name = ..`.
    pub line: u32,
    pub lib: Option<TargetDecl>,
    pub bins: Vec<TargetDecl>,
    pub tests: Vec<TargetDecl>,
    pub benches: Vec<TargetDecl>,
    pub examples: Vec<TargetDecl>,
    pub build: BuildScript,
    /// `package.workspace`: the path of the workspace root, when not the nearest ancestor.
    pub workspace: Option<String>,
    /// `[package.metadata.capgraph]`.
    pub capgraph: Option<CapgraphMetadata>,
}

/// `[package.metadata.capgraph]`: ownership declared in the crate's own manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapgraphMetadata {
    pub capability: Option<String>,
    pub team: Option<String>,
    /// Whether the crate is a contract of its capability.
    pub contract: bool,
    /// 1-based line of the table.
    pub line: u32,
}

/// The `[workspace]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkspaceFacts {
    pub members: Vec<String>,
    pub exclude: Vec<String>,
    /// `[workspace.dependencies]`, all of kind normal.
    pub dependencies: Vec<DependencyDecl>,
}

/// One `[patch.SOURCE]` entry: whatever depends on the package from `source` gets `decl`'s
/// source instead (Cargo reads them in the workspace root's manifest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patch {
    /// `crates-io`, an alternative registry's name or a git URL, as written.
    pub source: String,
    pub decl: DependencyDecl,
}

impl WorkspaceFacts {
    /// The declaration a member's `KEY = { workspace = true }` inherits.
    pub fn inherited(&self, key: &str) -> Option<&DependencyDecl> {
        self.dependencies.iter().find(|decl| decl.key == key)
    }
}

/// Everything one `Cargo.toml` says that capgraph uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManifestFacts {
    pub package: Option<PackageFacts>,
    pub workspace: Option<WorkspaceFacts>,
    /// The package's dependencies, in a deterministic order (kind, platform, key).
    pub dependencies: Vec<DependencyDecl>,
    /// `[patch.*]` entries, by (source, key).
    pub patches: Vec<Patch>,
    /// Keys that were ignored because they could not be understood, with their line and the
    /// reason; the rest of the manifest still counts.
    pub problems: Vec<(u32, String)>,
    /// `# capgraph: allow(..)` comments.
    pub suppressions: Vec<super::suppressions::SuppressionFact>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawManifest {
    package: Option<RawPackage>,
    lib: Option<TargetDecl>,
    #[serde(default)]
    bin: Vec<TargetDecl>,
    #[serde(default)]
    test: Vec<TargetDecl>,
    #[serde(default)]
    bench: Vec<TargetDecl>,
    #[serde(default)]
    example: Vec<TargetDecl>,
    #[serde(default)]
    dependencies: RawDeps,
    #[serde(default, alias = "dev_dependencies")]
    dev_dependencies: RawDeps,
    #[serde(default, alias = "build_dependencies")]
    build_dependencies: RawDeps,
    #[serde(default)]
    target: BTreeMap<String, RawPlatform>,
    workspace: Option<RawWorkspace>,
    /// `[patch.SOURCE]`: per source (`crates-io`, a registry name or a git URL), the
    /// packages it replaces.
    #[serde(default)]
    patch: BTreeMap<String, RawDeps>,
}

type RawDeps = BTreeMap<String, Spanned<RawDep>>;

#[derive(Deserialize)]
struct RawPackage {
    name: Spanned<String>,
    build: Option<toml::Value>,
    workspace: Option<String>,
    metadata: Option<RawPackageMetadata>,
}

#[derive(Deserialize)]
struct RawPackageMetadata {
    capgraph: Option<Spanned<LenientTable>>,
}

/// `[package.metadata.capgraph]` read key by key, so that one bad value costs that key and
/// not the whole crate. `None` when the value is not a table at all.
struct LenientTable(Option<Vec<(String, Spanned<toml::Value>)>>);

impl<'de> Deserialize<'de> for LenientTable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnyValue;
        impl<'de> Visitor<'de> for AnyValue {
            type Value = LenientTable;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LenientTable, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    entries.push((key, map.next_value::<Spanned<toml::Value>>()?));
                }
                Ok(LenientTable(Some(entries)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<LenientTable, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(LenientTable(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<LenientTable, E> {
                Ok(LenientTable(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<LenientTable, E> {
                Ok(LenientTable(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<LenientTable, E> {
                Ok(LenientTable(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<LenientTable, E> {
                Ok(LenientTable(None))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<LenientTable, E> {
                Ok(LenientTable(None))
            }
        }
        deserializer.deserialize_any(AnyValue)
    }
}

/// The keys capgraph reads in `[package.metadata.capgraph]`.
const METADATA_KEYS: &[&str] = &["capability", "team", "contract"];

/// Reads `[package.metadata.capgraph]`, keeping what is valid and describing what is not.
fn capgraph_metadata(
    table: Spanned<LenientTable>,
    lines: &LineIndex,
    problems: &mut Vec<(u32, String)>,
) -> CapgraphMetadata {
    let line = lines.line(table.span().start);
    let mut metadata = CapgraphMetadata {
        capability: None,
        team: None,
        contract: false,
        line,
    };
    let Some(entries) = table.into_inner().0 else {
        problems.push((
            line,
            "`package.metadata.capgraph` must be a table; it is ignored".to_string(),
        ));
        return metadata;
    };
    for (key, value) in entries {
        let at = lines.line(value.span().start);
        let value = value.into_inner();
        let expected = match (key.as_str(), &value) {
            ("capability", toml::Value::String(s)) => {
                metadata.capability = Some(s.clone());
                continue;
            }
            ("team", toml::Value::String(s)) => {
                metadata.team = Some(s.clone());
                continue;
            }
            ("contract", toml::Value::Boolean(b)) => {
                metadata.contract = *b;
                continue;
            }
            ("capability" | "team", _) => "a string",
            ("contract", _) => "true or false",
            _ => {
                problems.push((
                    at,
                    format!(
                        "unknown key `package.metadata.capgraph.{key}` (capgraph reads {}); it \
                         is ignored",
                        METADATA_KEYS
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
                continue;
            }
        };
        problems.push((
            at,
            format!(
                "`package.metadata.capgraph.{key}` must be {expected}, not {}; the key is \
                 ignored",
                value_text(&value)
            ),
        ));
    }
    metadata
}

/// A TOML value as the user wrote it, kept short.
fn value_text(value: &toml::Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawPlatform {
    #[serde(default)]
    dependencies: RawDeps,
    #[serde(default, alias = "dev_dependencies")]
    dev_dependencies: RawDeps,
    #[serde(default, alias = "build_dependencies")]
    build_dependencies: RawDeps,
}

#[derive(Deserialize)]
struct RawWorkspace {
    #[serde(default)]
    members: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    dependencies: RawDeps,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawDep {
    /// `name = "1.2"`: the requirement itself is not needed, only that it is a registry one.
    Version(#[expect(dead_code, reason = "matched, not read")] String),
    Detailed(RawDepDetail),
}

#[derive(Deserialize)]
struct RawDepDetail {
    path: Option<String>,
    git: Option<String>,
    registry: Option<String>,
    package: Option<String>,
    workspace: Option<bool>,
    optional: Option<bool>,
}

/// Parses the text of a `Cargo.toml`.
pub fn extract_manifest(text: &str) -> Result<ManifestFacts, ParseFailure> {
    let lines = LineIndex::new(text);
    let raw: RawManifest = toml::from_str(text).map_err(|err| ParseFailure {
        line: err.span().map(|span| lines.line(span.start)),
        message: format!("invalid manifest: {}", err.message().trim_end()),
    })?;

    let mut dependencies = Vec::new();
    let tables = [
        (&raw.dependencies, DepKind::Normal),
        (&raw.dev_dependencies, DepKind::Dev),
        (&raw.build_dependencies, DepKind::Build),
    ];
    for (table, kind) in tables {
        push_deps(table, kind, None, &lines, &mut dependencies);
    }
    for (platform, tables) in &raw.target {
        let platform_tables = [
            (&tables.dependencies, DepKind::Normal),
            (&tables.dev_dependencies, DepKind::Dev),
            (&tables.build_dependencies, DepKind::Build),
        ];
        for (table, kind) in platform_tables {
            push_deps(table, kind, Some(platform), &lines, &mut dependencies);
        }
    }
    dependencies.sort_by(|a, b| {
        (a.kind, &a.platform, &a.key, a.line).cmp(&(b.kind, &b.platform, &b.key, b.line))
    });

    let mut problems = Vec::new();
    let package = raw.package.map(|package| PackageFacts {
        line: lines.line(package.name.span().start),
        name: package.name.into_inner(),
        lib: raw.lib,
        bins: raw.bin,
        tests: raw.test,
        benches: raw.bench,
        examples: raw.example,
        build: match package.build {
            Some(toml::Value::Boolean(false)) => BuildScript::Disabled,
            Some(toml::Value::String(path)) => BuildScript::Path(path),
            _ => BuildScript::Default,
        },
        workspace: package.workspace,
        capgraph: package
            .metadata
            .and_then(|metadata| metadata.capgraph)
            .map(|table| capgraph_metadata(table, &lines, &mut problems)),
    });

    let workspace = raw.workspace.map(|workspace| {
        let mut dependencies = Vec::new();
        push_deps(
            &workspace.dependencies,
            DepKind::Normal,
            None,
            &lines,
            &mut dependencies,
        );
        WorkspaceFacts {
            members: workspace.members,
            exclude: workspace.exclude,
            dependencies,
        }
    });

    let mut patches = Vec::new();
    for (source, table) in &raw.patch {
        let mut decls = Vec::new();
        push_deps(table, DepKind::Normal, None, &lines, &mut decls);
        patches.extend(decls.into_iter().map(|decl| Patch {
            source: source.clone(),
            decl,
        }));
    }

    Ok(ManifestFacts {
        package,
        workspace,
        dependencies,
        patches,
        problems,
        suppressions: super::suppressions::scan(text, super::suppressions::CommentStyle::Hash),
    })
}

fn push_deps(
    table: &RawDeps,
    kind: DepKind,
    platform: Option<&String>,
    lines: &LineIndex,
    out: &mut Vec<DependencyDecl>,
) {
    for (key, spanned) in table {
        let line = lines.line(spanned.span().start);
        let decl = match spanned.get_ref() {
            RawDep::Version(_) => DependencyDecl {
                key: key.clone(),
                package: None,
                kind,
                platform: platform.cloned(),
                source: DepSource::Registry { registry: None },
                optional: false,
                line,
            },
            RawDep::Detailed(detail) => {
                let source = if detail.workspace == Some(true) {
                    DepSource::Inherited
                } else if let Some(path) = &detail.path {
                    DepSource::Path(path.clone())
                } else if let Some(url) = &detail.git {
                    DepSource::Git { url: url.clone() }
                } else {
                    DepSource::Registry {
                        registry: detail.registry.clone(),
                    }
                };
                DependencyDecl {
                    key: key.clone(),
                    package: detail.package.clone(),
                    kind,
                    platform: platform.cloned(),
                    source,
                    optional: detail.optional.unwrap_or(false),
                    line,
                }
            }
        };
        out.push(decl);
    }
}
