//! Backstage `catalog-info.yaml` files: the entities they declare (Component, System, Domain,
//! Group, API), with owner references in all their forms (`team-a`, `group:team-a`,
//! `group:default/team-a`) reduced to the entity name, and the line each entity starts on.

use serde::Deserialize;

/// The entity kinds capgraph reads; others are skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntityKind {
    Component,
    System,
    Domain,
    Group,
    Api,
}

/// One catalog entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEntity {
    pub kind: EntityKind,
    /// `metadata.name`.
    pub name: String,
    /// `spec.owner`, reduced to the owner's name (`group:default/payments` → `payments`);
    /// user references keep their `user:` prefix, since a person is not a team.
    pub owner: Option<String>,
    /// `spec.system` (Component, API) or `spec.domain` (System), reduced to the name.
    pub parent: Option<String>,
    /// `spec.profile.displayName` of a Group.
    pub display_name: Option<String>,
    /// `spec.type` of a Component (`service`, `library`, ...).
    pub component_type: Option<String>,
    /// `spec.dependsOn` and `spec.consumesApis`, as written.
    pub depends_on: Vec<String>,
    /// 1-based line where the entity's document starts.
    pub line: u32,
}

/// What one catalog file declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogFacts {
    pub entities: Vec<CatalogEntity>,
    /// Documents that could not be read, with their first line and the reason.
    pub problems: Vec<(u32, String)>,
}

#[derive(Deserialize)]
struct RawEntity {
    kind: Option<String>,
    #[serde(default)]
    metadata: RawMetadata,
    #[serde(default)]
    spec: RawSpec,
}

#[derive(Deserialize, Default)]
struct RawMetadata {
    name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RawSpec {
    owner: Option<String>,
    system: Option<String>,
    domain: Option<String>,
    #[serde(rename = "type")]
    component_type: Option<String>,
    #[serde(default)]
    profile: RawProfile,
    #[serde(default)]
    depends_on: Vec<String>,
    #[serde(default)]
    consumes_apis: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RawProfile {
    display_name: Option<String>,
}

/// Parses a (possibly multi-document) catalog file. A broken document is a problem of its
/// own; the other documents still count.
pub fn extract_catalog(text: &str) -> CatalogFacts {
    let mut facts = CatalogFacts::default();
    for (line, document) in documents(text) {
        if document.trim().is_empty() {
            continue;
        }
        if let Err(limit) = super::yaml::check(document) {
            let at = limit.line.map_or(line, |l| line + l - 1);
            facts.problems.push((at, limit.message));
            continue;
        }
        let raw: RawEntity = match serde_yaml_ng::from_str(document) {
            Ok(raw) => raw,
            Err(err) => {
                let at = err.location().map_or(line, |l| line + l.line() as u32 - 1);
                facts
                    .problems
                    .push((at, format!("invalid catalog entity: {err}")));
                continue;
            }
        };
        let kind = match raw.kind.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("component") => EntityKind::Component,
            Some("system") => EntityKind::System,
            Some("domain") => EntityKind::Domain,
            Some("group") => EntityKind::Group,
            Some("api") => EntityKind::Api,
            _ => continue,
        };
        let Some(name) = raw.metadata.name else {
            facts
                .problems
                .push((line, "catalog entity has no `metadata.name`".to_string()));
            continue;
        };
        let parent = match kind {
            EntityKind::System => raw.spec.domain.as_deref().map(entity_name),
            _ => raw.spec.system.as_deref().map(entity_name),
        };
        facts.entities.push(CatalogEntity {
            kind,
            name,
            owner: raw.spec.owner.as_deref().map(owner_name),
            parent,
            display_name: raw.spec.profile.display_name,
            component_type: raw.spec.component_type,
            depends_on: raw
                .spec
                .depends_on
                .into_iter()
                .chain(raw.spec.consumes_apis)
                .collect(),
            line,
        });
    }
    facts
}

/// Splits YAML text at `---` document markers, with the 1-based line each document starts.
pub(crate) fn documents(text: &str) -> Vec<(u32, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut start_line = 1;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") {
            out.push((start_line, &text[start..offset]));
            start = offset + line.len();
            start_line = index as u32 + 2;
        }
        offset += line.len();
    }
    out.push((start_line, &text[start..]));
    out
}

/// `[kind:][namespace/]name` → `name`.
pub fn entity_name(reference: &str) -> String {
    let without_kind = reference
        .split_once(':')
        .map_or(reference, |(_, rest)| rest);
    without_kind
        .rsplit_once('/')
        .map_or(without_kind, |(_, name)| name)
        .to_string()
}

/// An owner reference: groups reduce to their name, users keep a `user:` prefix.
fn owner_name(reference: &str) -> String {
    let is_user = reference
        .split_once(':')
        .is_some_and(|(kind, _)| kind.eq_ignore_ascii_case("user"));
    if is_user {
        format!("user:{}", entity_name(reference))
    } else {
        entity_name(reference)
    }
}
