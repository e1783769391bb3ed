//! `capgraph.toml`: teams, capabilities, services and rule settings, read with errors that
//! name the file, line, column and key (with a did-you-mean for unknown keys). Several roots
//! may each carry one; they merge, and an id declared in two files is an error naming both.

use crate::core::LineIndex;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The file name capgraph looks for at the top of each root.
pub use crate::core::CONFIG_FILE;

/// Why a configuration cannot be used. Each stops the run with exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read `{path}`: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A syntax or schema error; `rendered` shows the offending line.
    #[error("{rendered}")]
    Invalid {
        path: PathBuf,
        line: u32,
        column: u32,
        key: Option<String>,
        message: String,
        rendered: String,
    },
    /// One owner handle listed by two teams; `rendered` shows both places when they are in
    /// one file.
    #[error("{rendered}")]
    DuplicateHandle {
        first: Origin,
        second: Origin,
        rendered: String,
    },
    #[error(
        "rule pack `{name}` ({origin}) is neither a built-in pack ({builtins}) nor a file \
         capgraph could read"
    )]
    UnknownPack {
        name: String,
        origin: String,
        builtins: String,
    },
    #[error("{what} `{id}` is declared in both `{first}` and `{second}`; declare it once")]
    Conflict {
        what: &'static str,
        id: String,
        first: String,
        second: String,
    },
}

/// Whether a capability is a product or a platform one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CapabilityKind {
    #[default]
    Product,
    Platform,
}

impl CapabilityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CapabilityKind::Product => "product",
            CapabilityKind::Platform => "platform",
        }
    }
}

/// Where a declaration was written: a config file and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    /// The file as the user named it or as found in a root (`acme-shop/capgraph.toml`).
    pub file: String,
    pub line: u32,
}

/// `file:line`, or the file alone where there is no line (0).
impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        Ok(())
    }
}

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub origin: Origin,
}

/// `[teams.ID]`.
#[derive(Debug, Clone)]
pub struct TeamConfig {
    pub name: Option<String>,
    pub handles: Vec<Located<String>>,
    pub origin: Origin,
}

/// `[capabilities.ID]`.
#[derive(Debug, Clone)]
pub struct CapabilityConfig {
    pub team: Option<Located<String>>,
    pub kind: CapabilityKind,
    pub paths: Vec<Located<String>>,
    pub crates: Vec<Located<String>>,
    pub contracts: Vec<Located<String>>,
    pub depends_on: Option<Vec<Located<String>>>,
    pub wraps: Vec<Located<String>>,
    pub origin: Origin,
    /// The root (index into the analysis roots) whose config declared it; `paths` are
    /// relative to that root. `None` for a `--config` file outside every root.
    pub root: Option<usize>,
}

/// `[services.ID]`.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    pub krate: Option<String>,
    pub bin: Option<String>,
    pub hosts: Vec<String>,
    pub env: Vec<String>,
    pub grpc: Vec<String>,
    pub origin: Origin,
}

/// The merged configuration of a run.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub org: Option<String>,
    /// Where `[org] name` was written.
    pub org_origin: Option<Origin>,
    pub teams: BTreeMap<String, TeamConfig>,
    pub capabilities: BTreeMap<String, CapabilityConfig>,
    pub services: BTreeMap<String, ServiceConfig>,
    /// The `[rules]` table (the pack, per-rule levels and thresholds, `[[rules.forbid]]`), as
    /// written: `rules::config` reads it, since only the rules stage knows the rule ids.
    pub rules: Option<RulesSource>,
    /// Where the `[rules]` table was written.
    pub rules_origin: Option<Origin>,
    /// `[[detectors.pattern]]`: detector patterns added to `rules/detectors.toml`.
    pub detector_patterns: Vec<crate::core::detectors::Pattern>,
    /// The files that were read, in order.
    pub files: Vec<String>,
}

/// The `[rules]` table of one config file, kept as the file's text for the rules stage, with
/// the pack it names and, when that pack is a file, the file's text (read when the config is
/// loaded, so that the rules stage does no I/O and a missing pack stops the run like any other
/// config error).
#[derive(Debug, Clone, PartialEq)]
pub struct RulesSource {
    /// The whole config file's text, which errors quote.
    pub text: std::sync::Arc<str>,
    /// The file as errors name it.
    pub file: String,
    /// `pack = ".."` where it is a string, with its place.
    pub pack: Option<Located<String>>,
    /// The pack file's text, when `pack` names a file rather than a built-in pack.
    pub pack_file: Option<PackSource>,
}

/// A rule pack file's text and its path as errors name it.
#[derive(Debug, Clone, PartialEq)]
pub struct PackSource {
    pub text: String,
    pub path: String,
}

impl Config {
    /// Whether no file declared a team or a capability: capgraph then infers both (zero-config
    /// mode), whatever else the files set, so that a config holding only `[rules]` does not
    /// leave every crate unowned.
    pub fn is_empty(&self) -> bool {
        self.teams.is_empty() && self.capabilities.is_empty()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    org: Option<RawOrg>,
    #[serde(default)]
    teams: BTreeMap<String, Spanned<RawTeam>>,
    #[serde(default)]
    capabilities: BTreeMap<String, Spanned<RawCapability>>,
    #[serde(default)]
    services: BTreeMap<String, Spanned<RawService>>,
    rules: Option<Spanned<toml::Table>>,
    detectors: Option<RawDetectors>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDetectors {
    #[serde(default)]
    pattern: Vec<crate::core::detectors::Pattern>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrg {
    name: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTeam {
    name: Option<String>,
    #[serde(default)]
    handles: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCapability {
    team: Option<Spanned<String>>,
    #[serde(default)]
    kind: CapabilityKind,
    #[serde(default)]
    paths: Vec<Spanned<String>>,
    #[serde(default)]
    crates: Vec<Spanned<String>>,
    #[serde(default)]
    contracts: Vec<Spanned<String>>,
    depends_on: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    wraps: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    #[serde(rename = "crate")]
    krate: Option<String>,
    bin: Option<String>,
    #[serde(default)]
    hosts: Vec<String>,
    #[serde(default)]
    env: Vec<String>,
    #[serde(default)]
    grpc: Vec<String>,
}

/// Reads a `[rules]` table (and the pack file it names, once read) the way the rules stage
/// will, so that its errors stop loading where they are found. Config knows no rule: the
/// caller passes `rules::config::check`.
pub type RulesCheck = fn(&RulesSource) -> Result<(), ConfigError>;

/// Parses one config file's text. `display_path` names the file in errors and origins;
/// `root` is the root its paths are relative to. The `[rules]` table is kept unread.
pub fn parse_config(
    text: &str,
    display_path: &str,
    root: Option<usize>,
) -> Result<Config, ConfigError> {
    parse_config_checked(text, display_path, root, None)
}

/// [`parse_config`], with the `[rules]` table checked by `check` before the rest of the file
/// (the order its errors have always been reported in).
pub fn parse_config_checked(
    text: &str,
    display_path: &str,
    root: Option<usize>,
    check: Option<RulesCheck>,
) -> Result<Config, ConfigError> {
    let lines = LineIndex::new(text);
    let raw: RawConfig =
        toml::from_str(text).map_err(|err| invalid(text, display_path, &lines, &err))?;
    let origin = |span: std::ops::Range<usize>| Origin {
        file: display_path.to_string(),
        line: lines.line(span.start),
    };
    let located = |items: Vec<Spanned<String>>| -> Vec<Located<String>> {
        items
            .into_iter()
            .map(|item| Located {
                origin: origin(item.span()),
                value: item.into_inner(),
            })
            .collect()
    };

    let org = raw.org.and_then(|org| org.name);
    let mut config = Config {
        org_origin: org.as_ref().map(|name| origin(name.span())),
        org: org.map(Spanned::into_inner),
        rules_origin: raw.rules.as_ref().map(|rules| origin(rules.span())),
        rules: raw.rules.as_ref().map(|_| RulesSource {
            text: std::sync::Arc::from(text),
            file: display_path.to_string(),
            pack: rules_pack(text, display_path, &lines),
            pack_file: None,
        }),
        detector_patterns: raw.detectors.map(|d| d.pattern).unwrap_or_default(),
        files: vec![display_path.to_string()],
        ..Config::default()
    };
    if let (Some(check), Some(rules)) = (check, &config.rules) {
        check(rules)?;
    }
    // Where each handle was first declared, by its comparison key, to catch a second team
    // listing it.
    let mut handle_owners: BTreeMap<String, (String, std::ops::Range<usize>)> = BTreeMap::new();
    let mut teams: Vec<(String, Spanned<RawTeam>)> = raw.teams.into_iter().collect();
    teams.sort_by_key(|(_, team)| team.span().start);
    for (id, team) in teams {
        let origin = origin(team.span());
        let team = team.into_inner();
        let mut handles = Vec::new();
        for handle in team.handles {
            let span = handle.span();
            let key = handle_key(handle.get_ref());
            if let Some((first_team, first_span)) = handle_owners.get(&key)
                && *first_team != id
            {
                let (first_team, first_span) = (first_team.clone(), first_span.clone());
                return Err(duplicate_handle(
                    handle.get_ref(),
                    (&first_team, origin_of(display_path, &lines, &first_span)),
                    (&id, origin_of(display_path, &lines, &span)),
                    Some((text, first_span, span)),
                ));
            }
            handle_owners.insert(key, (id.clone(), span.clone()));
            handles.push(Located {
                origin: origin_of(display_path, &lines, &span),
                value: handle.into_inner(),
            });
        }
        config.teams.insert(
            id,
            TeamConfig {
                name: team.name,
                handles,
                origin,
            },
        );
    }
    for (id, capability) in raw.capabilities {
        let origin = origin(capability.span());
        let capability = capability.into_inner();
        config.capabilities.insert(
            id,
            CapabilityConfig {
                team: capability.team.map(|team| Located {
                    origin: Origin {
                        file: display_path.to_string(),
                        line: lines.line(team.span().start),
                    },
                    value: team.into_inner(),
                }),
                kind: capability.kind,
                paths: located(capability.paths),
                crates: located(capability.crates),
                contracts: located(capability.contracts),
                depends_on: capability.depends_on.map(located),
                wraps: located(capability.wraps),
                origin,
                root,
            },
        );
    }
    for (id, service) in raw.services {
        let origin = origin(service.span());
        let service = service.into_inner();
        config.services.insert(
            id,
            ServiceConfig {
                krate: service.krate,
                bin: service.bin,
                hosts: service.hosts,
                env: service.env,
                grpc: service.grpc,
                origin,
            },
        );
    }
    Ok(config)
}

fn origin_of(file: &str, lines: &LineIndex, span: &std::ops::Range<usize>) -> Origin {
    Origin {
        file: file.to_string(),
        line: lines.line(span.start),
    }
}

/// The form in which two owner references are compared: lower case (GitHub handles and
/// e-mail addresses ignore case, and so do Backstage entity references), and a Backstage
/// group reference reduced to its name (`group:default/team-a` → `team-a`).
pub fn handle_key(reference: &str) -> String {
    let lower = reference.trim().to_lowercase();
    if lower.contains('@') {
        return lower;
    }
    let without_kind = lower.strip_prefix("group:").unwrap_or(&lower);
    without_kind
        .rsplit_once('/')
        .map_or(without_kind, |(_, name)| name)
        .to_string()
}

/// The error for a handle two teams list. With `source` (the file's text and both spans, when
/// both are in one file) it shows the two lines.
fn duplicate_handle(
    handle: &str,
    (first_team, first): (&str, Origin),
    (second_team, second): (&str, Origin),
    source: Option<(&str, std::ops::Range<usize>, std::ops::Range<usize>)>,
) -> ConfigError {
    let title = format!(
        "handle `{handle}` is listed by team `{first_team}` ({first}) and team `{second_team}` \
         ({second}); a handle may mean one team only"
    );
    let rendered = match source {
        Some((text, first_span, second_span)) => {
            let second_label = format!("also listed for team `{second_team}`");
            let first_label = format!("listed for team `{first_team}`");
            let report = vec![
                Level::ERROR.primary_title(&title).element(
                    Snippet::source(text)
                        .path(&second.file)
                        .annotation(
                            AnnotationKind::Primary
                                .span(second_span)
                                .label(&second_label),
                        )
                        .annotation(AnnotationKind::Context.span(first_span).label(&first_label)),
                ),
            ];
            Renderer::plain().render(&report).to_string()
        }
        None => format!("error: {title}"),
    };
    ConfigError::DuplicateHandle {
        first,
        second,
        rendered,
    }
}

/// Reads and parses a config file from disk. A config found in a scanned repository is
/// confined to it (`confine_to` is the repository's root): the rule pack it names must be a
/// regular file inside that repository, so that a repository cannot make capgraph read, or
/// quote in an error, a file of the machine it runs on. A config named on the command line
/// is the user's own and may name a pack anywhere.
pub fn load_config(
    path: &Path,
    display_path: &str,
    root: Option<usize>,
    confine_to: Option<&Path>,
    check: Option<RulesCheck>,
) -> Result<Config, ConfigError> {
    let text = read_text(path, display_path)?;
    let mut config = parse_config_checked(&text, display_path, root, check)?;
    // A pack given as a path is read now, relative to the config file, so that the rules
    // stage does no I/O and a missing pack stops the run like any other config error.
    if let Some(rules) = &mut config.rules
        && let Some(pack) = &rules.pack
        && !crate::core::packs::BUILTIN_PACKS
            .iter()
            .any(|(name, _)| *name == pack.value)
    {
        let pack_error = |reason: String| {
            let lines = LineIndex::new(&text);
            let offset = text
                .lines()
                .take(pack.origin.line.saturating_sub(1) as usize)
                .map(|l| l.len() + 1)
                .sum::<usize>()
                .min(text.len());
            let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
            invalid_at(
                &text,
                display_path,
                &lines,
                offset..line_end,
                Some("rules.pack".into()),
                &format!(
                    "`{}` is neither a built-in pack ({}) nor {reason}",
                    pack.value,
                    crate::core::packs::pack_names()
                ),
                None,
            )
        };
        let pack_path = resolve_pack(path, &pack.value, confine_to).map_err(&pack_error)?;
        // The pack's text is never quoted in this error: only its problem is said.
        let pack_text = crate::limits::read_bounded(&pack_path, crate::limits::MAX_CONFIG_BYTES)
            .map_err(|err| pack_error(format!("a readable file: {err}")))
            .and_then(|bytes| {
                String::from_utf8(bytes)
                    .map_err(|_| pack_error("a pack file: it is not valid UTF-8".to_string()))
            })?;
        rules.pack_file = Some(PackSource {
            text: pack_text,
            path: pack_path.display().to_string(),
        });
        // The pack is checked as soon as it is read, before any later file.
        if let Some(check) = check {
            check(rules)?;
        }
    }
    Ok(config)
}

/// `[rules] pack` where it is a string, with its line. Anything else is left to the rules
/// stage, which reports it with the rest of the table.
fn rules_pack(text: &str, display_path: &str, lines: &LineIndex) -> Option<Located<String>> {
    use toml::de::{DeTable, DeValue};
    let document = DeTable::parse(text).ok()?;
    let DeValue::Table(rules) = document.get_ref().get("rules")?.get_ref() else {
        return None;
    };
    let pack = rules.get("pack")?;
    let DeValue::String(value) = pack.get_ref() else {
        return None;
    };
    Some(Located {
        value: value.to_string(),
        origin: Origin {
            file: display_path.to_string(),
            line: lines.line(pack.span().start),
        },
    })
}

/// The file a `pack = "PATH"` names, relative to the config that names it; for a confined
/// config, only a regular file inside `confine_to` (after symlinks and `..` are resolved).
fn resolve_pack(
    config_path: &Path,
    value: &str,
    confine_to: Option<&Path>,
) -> Result<PathBuf, String> {
    let joined = config_path.parent().unwrap_or(Path::new(".")).join(value);
    let Some(root) = confine_to else {
        return Ok(joined);
    };
    let inside = "a file inside the repository (a capgraph.toml in a scanned repository may \
                  name only packs of its own repository)";
    if Path::new(value).is_absolute() {
        return Err(format!("{inside}; this path is absolute"));
    }
    // Checked by the text of the path first, so that whether a file outside exists is
    // never told either; then again after symlinks are resolved.
    let mut lexical = config_path
        .parent()
        .and_then(|dir| dir.canonicalize().ok())
        .unwrap_or_else(|| root.to_path_buf());
    for component in Path::new(value).components() {
        match component {
            std::path::Component::ParentDir => {
                lexical.pop();
            }
            std::path::Component::Normal(part) => lexical.push(part),
            _ => {}
        }
    }
    if !lexical.starts_with(root) {
        return Err(format!("{inside}; this path leads outside it"));
    }
    let canonical = joined
        .canonicalize()
        .map_err(|err| format!("a readable file: {err}"))?;
    if !canonical.starts_with(root) {
        return Err(format!("{inside}; this path leads outside it"));
    }
    if !canonical.is_file() {
        return Err("a pack file: it is not a regular file".to_string());
    }
    Ok(canonical)
}

/// The text of a config file: at most [`crate::limits::MAX_CONFIG_BYTES`], UTF-8 (a byte
/// that is not is reported at its line and key).
fn read_text(path: &Path, display_path: &str) -> Result<String, ConfigError> {
    let bytes =
        crate::limits::read_bounded(path, crate::limits::MAX_CONFIG_BYTES).map_err(|err| {
            ConfigError::Read {
                path: path.to_path_buf(),
                source: match err {
                    crate::limits::ReadError::Io(source) => source,
                    other => std::io::Error::other(other.to_string()),
                },
            }
        })?;
    String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&err.as_bytes()[..offset]).expect("valid up to here");
        let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
        let key = if valid[line_start..].trim_start().starts_with('#') {
            None
        } else {
            key_path(valid, offset)
        };
        invalid_at(
            valid,
            display_path,
            &LineIndex::new(valid),
            offset..offset,
            key,
            &format!("not valid UTF-8 (first invalid byte at offset {offset})"),
            None,
        )
    })
}

/// Merges the configs of several files; an id declared twice is a conflict.
pub fn merge(configs: Vec<Config>) -> Result<Config, ConfigError> {
    let mut merged = Config::default();
    for config in configs {
        // Each conflict names the two places that declare the item, not merely the files.
        let place = |origin: &Option<Origin>, files: &[String]| {
            origin.as_ref().map_or_else(
                || files.first().cloned().unwrap_or_default(),
                Origin::to_string,
            )
        };
        if let Some(org) = config.org {
            match &merged.org {
                Some(existing) if *existing != org => {
                    return Err(ConfigError::Conflict {
                        what: "organization name",
                        id: org,
                        first: place(&merged.org_origin, &merged.files),
                        second: place(&config.org_origin, &config.files),
                    });
                }
                Some(_) => {}
                None => {
                    merged.org = Some(org);
                    merged.org_origin = config.org_origin.clone();
                }
            }
        }
        if let Some(rules) = config.rules {
            if merged.rules.is_some() {
                return Err(ConfigError::Conflict {
                    what: "table",
                    id: "rules".to_string(),
                    first: place(&merged.rules_origin, &merged.files),
                    second: place(&config.rules_origin, &config.files),
                });
            }
            merged.rules = Some(rules);
            merged.rules_origin = config.rules_origin.clone();
        }
        merged.files.extend(config.files.iter().cloned());
        for (id, team) in &config.teams {
            for handle in &team.handles {
                let key = handle_key(&handle.value);
                let earlier = merged.teams.iter().find_map(|(other_id, other)| {
                    other
                        .handles
                        .iter()
                        .find(|h| handle_key(&h.value) == key)
                        .map(|h| (other_id, h))
                });
                if let Some((other_id, other)) = earlier
                    && other_id != id
                {
                    return Err(duplicate_handle(
                        &handle.value,
                        (other_id, other.origin.clone()),
                        (id, handle.origin.clone()),
                        None,
                    ));
                }
            }
        }
        merged.detector_patterns.extend(config.detector_patterns);
        merge_map("team", &mut merged.teams, config.teams, |t| &t.origin)?;
        merge_map(
            "capability",
            &mut merged.capabilities,
            config.capabilities,
            |c| &c.origin,
        )?;
        merge_map("service", &mut merged.services, config.services, |s| {
            &s.origin
        })?;
    }
    Ok(merged)
}

fn merge_map<T>(
    what: &'static str,
    into: &mut BTreeMap<String, T>,
    from: BTreeMap<String, T>,
    origin: impl Fn(&T) -> &Origin,
) -> Result<(), ConfigError> {
    for (id, value) in from {
        if let Some(existing) = into.get(&id) {
            return Err(ConfigError::Conflict {
                what,
                id,
                first: origin(existing).to_string(),
                second: origin(&value).to_string(),
            });
        }
        into.insert(id, value);
    }
    Ok(())
}

/// Turns a toml error into an `Invalid` error with the key path, a did-you-mean and the
/// offending line shown.
fn invalid(text: &str, path: &str, lines: &LineIndex, err: &toml::de::Error) -> ConfigError {
    let span = err.span().unwrap_or(0..0);
    let line = lines.line(span.start);
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..span.start].chars().count() as u32 + 1;
    let message = in_toml_words(err.message().trim_end());
    let key = key_path(text, span.start);
    let suggestion = did_you_mean(&message);

    let mut title = match &key {
        Some(key) => format!("invalid `{key}` in {path}: {message}"),
        None => format!("invalid {path}: {message}"),
    };
    if title.ends_with('\n') {
        title.pop();
    }
    let label = match &suggestion {
        Some(suggestion) => format!("did you mean `{suggestion}`?"),
        None => first_clause(&message).to_string(),
    };
    let mut report = vec![
        Level::ERROR.primary_title(&title).element(
            Snippet::source(text)
                .path(path)
                .annotation(AnnotationKind::Primary.span(span.clone()).label(&label)),
        ),
    ];
    let help;
    if suggestion.is_none() && message.starts_with("unknown key") {
        help = "see the `capgraph.toml` section of the README for the keys capgraph reads";
        report.push(Group::with_title(Level::HELP.secondary_title(help)));
    }
    let rendered = Renderer::plain().render(&report).to_string();
    ConfigError::Invalid {
        path: PathBuf::from(path),
        line,
        column,
        key,
        message,
        rendered,
    }
}

/// An `Invalid` error at `span` of `text`, with the line shown and, when given, a
/// did-you-mean.
pub fn invalid_at(
    text: &str,
    path: &str,
    lines: &LineIndex,
    span: std::ops::Range<usize>,
    key: Option<String>,
    message: &str,
    suggestion: Option<&str>,
) -> ConfigError {
    let span = span.start.min(text.len())..span.end.min(text.len());
    let line = lines.line(span.start);
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..span.start].chars().count() as u32 + 1;
    let title = match &key {
        Some(key) => format!("invalid `{key}` in {path}: {message}"),
        None => format!("invalid {path}: {message}"),
    };
    let label = match suggestion {
        Some(suggestion) => format!("did you mean `{suggestion}`?"),
        None => first_clause(message).to_string(),
    };
    let report = vec![
        Level::ERROR.primary_title(&title).element(
            Snippet::source(text)
                .path(path)
                .annotation(AnnotationKind::Primary.span(span).label(&label)),
        ),
    ];
    ConfigError::Invalid {
        path: PathBuf::from(path),
        line,
        column,
        key,
        message: message.to_string(),
        rendered: Renderer::plain().render(&report).to_string(),
    }
}

/// serde speaks of fields, sequences and maps; TOML users know keys, arrays and tables.
fn in_toml_words(message: &str) -> String {
    message
        .replace("unknown field", "unknown key")
        .replace("missing field", "missing key")
        .replace("a sequence", "an array")
        .replace("a map", "a table")
}

fn first_clause(message: &str) -> &str {
    message.split(", expected").next().unwrap_or(message)
}

/// The dotted key at `offset`: the nearest table header above it and the key on its line.
fn key_path(text: &str, offset: usize) -> Option<String> {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = text[line_start..line_end].trim();
    let key = if line.starts_with('[') {
        None
    } else {
        line.split('=')
            .next()
            .map(|k| k.trim().trim_matches('"').to_string())
    };
    let header = before[..line_start].lines().rev().find_map(|l| {
        let l = l.trim();
        let inner = l.strip_prefix("[[").and_then(|r| r.strip_suffix("]]"));
        let inner = inner.or_else(|| l.strip_prefix('[').and_then(|r| r.strip_suffix(']')));
        inner.map(|h| h.trim().to_string())
    });
    let header = if line.starts_with('[') {
        line.trim_start_matches('[')
            .trim_end_matches(']')
            .trim()
            .to_string()
            .into()
    } else {
        header
    };
    match (header, key) {
        (Some(header), Some(key)) if !key.is_empty() => Some(format!("{header}.{key}")),
        (None, Some(key)) if !key.is_empty() => Some(key),
        (Some(header), _) => Some(header),
        _ => None,
    }
}

/// For "unknown key `x`, expected one of `a`, `b`", the expected name closest to `x`.
fn did_you_mean(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown key `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    expected
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(unknown, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate.to_string())
}
