//! The rules' configuration, kept beside the rules (as cargo-deny keeps each check's `cfg.rs`):
//! the `[rules]` table of capgraph.toml and of rule packs — which rules run, at which
//! severity, with which thresholds, and the user's `[[rules.forbid]]` entries. Read from
//! toml's spanned document so that every error names the file, line and key. The config
//! loader keeps the table's text (and reads a pack file) without knowing any rule; this module
//! is where the text meets the registry.

use crate::config::{CapabilityKind, ConfigError, Located, Origin, RulesSource, invalid_at};
pub use crate::core::packs::{BUILTIN_PACKS, pack_names};
use crate::core::{DepKind, LineIndex};
use crate::rules::{self, Level};
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A rule's level and thresholds as one file sets them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleOverride {
    pub level: Option<Level>,
    pub params: BTreeMap<&'static str, f64>,
}

/// A selector of one side of a `[[rules.forbid]]` entry; every key given must match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selector {
    /// Capability id globs.
    pub capability: Vec<String>,
    /// Team id globs.
    pub team: Vec<String>,
    /// Crate name globs (third-party crates included).
    pub krate: Vec<String>,
    pub kind: Option<CapabilityKind>,
}

impl Selector {
    pub fn is_empty(&self) -> bool {
        self.capability.is_empty()
            && self.team.is_empty()
            && self.krate.is_empty()
            && self.kind.is_none()
    }
}

/// A `[[rules.forbid]]` entry: dependencies from crates matching `from` to crates matching
/// `to` are BND003 findings.
#[derive(Debug, Clone, PartialEq)]
pub struct ForbidRule {
    pub name: String,
    pub from: Selector,
    pub to: Selector,
    pub reason: Option<String>,
    pub level: Option<Level>,
    /// The dependency kinds it applies to (default: normal and build).
    pub dep_kinds: Vec<DepKind>,
    pub origin: Origin,
}

/// What one `[rules]` table says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RulesTable {
    /// Per rule id.
    pub overrides: BTreeMap<&'static str, Located<RuleOverride>>,
    pub forbid: Vec<ForbidRule>,
}

/// The rule settings of a run: the pack chosen and what capgraph.toml adds to it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RulesConfig {
    /// `pack = ".."` as written, with its place.
    pub pack: Option<Located<String>>,
    /// The pack's own table when `pack` names a file (read when the config is loaded).
    pub pack_file: Option<Box<PackFile>>,
    pub table: RulesTable,
}

/// A pack read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct PackFile {
    /// A built-in pack the file extends (`extends = "default"`).
    pub extends: Option<String>,
    pub table: RulesTable,
}

/// Reads the `[rules]` table of a capgraph.toml.
pub fn parse_config_rules(
    text: &str,
    path: &str,
    lines: &LineIndex,
) -> Result<Option<RulesConfig>, ConfigError> {
    let document = DeTable::parse(text).map_err(|err| {
        invalid_at(
            text,
            path,
            lines,
            err.span().unwrap_or(0..0),
            None,
            err.message(),
            None,
        )
    })?;
    let Some(rules) = find(document.get_ref(), "rules") else {
        return Ok(None);
    };
    let table = expect_table(text, path, lines, "rules", rules)?;
    let mut config = RulesConfig::default();
    let mut rest = Vec::new();
    for (key, value) in table {
        if key.get_ref() == "pack" {
            let DeValue::String(pack) = value.get_ref() else {
                return Err(wrong_type(
                    text,
                    path,
                    lines,
                    "rules.pack",
                    value,
                    "a pack name or path",
                ));
            };
            config.pack = Some(Located {
                value: pack.to_string(),
                origin: Origin {
                    file: path.to_string(),
                    line: lines.line(value.span().start),
                },
            });
        } else {
            rest.push((key, value));
        }
    }
    config.table = parse_entries(text, path, lines, rest, false)?;
    Ok(Some(config))
}

/// Reads the rule settings one config file gives: its `[rules]` table and the pack file it
/// names, if the loader read one.
pub fn read_source(source: &RulesSource) -> Result<Option<RulesConfig>, ConfigError> {
    let lines = LineIndex::new(&source.text);
    let Some(mut config) = parse_config_rules(&source.text, &source.file, &lines)? else {
        return Ok(None);
    };
    if let Some(pack) = &source.pack_file {
        config.pack_file = Some(Box::new(parse_pack(&pack.text, &pack.path)?));
    }
    Ok(Some(config))
}

/// Checks what [`read_source`] reads: the loader calls this (as a `config::RulesCheck`) so
/// that a broken `[rules]` table or pack stops loading where it is found.
pub fn check(source: &RulesSource) -> Result<(), ConfigError> {
    read_source(source).map(|_| ())
}

/// Reads a rule pack (a built-in one or a user's file).
pub fn parse_pack(text: &str, path: &str) -> Result<PackFile, ConfigError> {
    let lines = LineIndex::new(text);
    let document = DeTable::parse(text).map_err(|err| {
        invalid_at(
            text,
            path,
            &lines,
            err.span().unwrap_or(0..0),
            None,
            err.message(),
            None,
        )
    })?;
    let mut extends = None;
    let mut entries = Vec::new();
    for (key, value) in document.get_ref() {
        match key.get_ref().as_ref() {
            "extends" => {
                let DeValue::String(name) = value.get_ref() else {
                    return Err(wrong_type(
                        text,
                        path,
                        &lines,
                        "extends",
                        value,
                        "a built-in pack name",
                    ));
                };
                if !BUILTIN_PACKS.iter().any(|(builtin, _)| builtin == name) {
                    return Err(invalid_at(
                        text,
                        path,
                        &lines,
                        value.span(),
                        Some("extends".into()),
                        &format!(
                            "unknown built-in pack `{name}`, expected one of {}",
                            pack_names()
                        ),
                        None,
                    ));
                }
                extends = Some(name.to_string());
            }
            "rules" => {
                let table = expect_table(text, path, &lines, "rules", value)?;
                entries.extend(table.iter());
            }
            other => {
                return Err(invalid_at(
                    text,
                    path,
                    &lines,
                    key.span(),
                    Some(other.to_string()),
                    &format!("unknown key `{other}`, expected `extends` or `rules`"),
                    None,
                ));
            }
        }
    }
    Ok(PackFile {
        extends,
        table: parse_entries(text, path, &lines, entries, true)?,
    })
}

type Entry<'a, 'i> = (
    &'a Spanned<std::borrow::Cow<'i, str>>,
    &'a Spanned<DeValue<'i>>,
);

fn parse_entries(
    text: &str,
    path: &str,
    lines: &LineIndex,
    entries: Vec<Entry<'_, '_>>,
    in_pack: bool,
) -> Result<RulesTable, ConfigError> {
    let mut table = RulesTable::default();
    for (key, value) in entries {
        let key_text = key.get_ref().as_ref();
        if key_text == "forbid" {
            let DeValue::Array(items) = value.get_ref() else {
                return Err(wrong_type(
                    text,
                    path,
                    lines,
                    "rules.forbid",
                    value,
                    "an array of tables ([[rules.forbid]])",
                ));
            };
            for item in items.iter() {
                table.forbid.push(parse_forbid(text, path, lines, item)?);
            }
            continue;
        }
        let meta = rule_named(text, path, lines, key, in_pack)?;
        let settings = expect_table(text, path, lines, &format!("rules.{key_text}"), value)?;
        let mut entry = RuleOverride::default();
        for (setting, setting_value) in settings {
            let name = setting.get_ref().as_ref();
            if name == "severity" {
                entry.level = Some(parse_severity(text, path, lines, meta, setting_value)?);
                continue;
            }
            let (param, number) = parse_param(text, path, lines, meta, setting, setting_value)?;
            entry.params.insert(param, number);
        }
        table.overrides.insert(
            meta.id,
            Located {
                value: entry,
                origin: Origin {
                    file: path.to_string(),
                    line: lines.line(key.span().start),
                },
            },
        );
    }
    Ok(table)
}

/// The rule a `[rules.KEY]` table configures: KEY must be a rule's id (a rule's name is
/// refused with its id as the fix, anything else with the closest id).
fn rule_named(
    text: &str,
    path: &str,
    lines: &LineIndex,
    key: &Spanned<std::borrow::Cow<'_, str>>,
    in_pack: bool,
) -> Result<&'static rules::RuleMeta, ConfigError> {
    let key_text = key.get_ref().as_ref();
    let Some(rule) = rules::find(key_text) else {
        let expected = if in_pack {
            "a rule id"
        } else {
            "`pack`, `forbid` or a rule id"
        };
        let message = format!("unknown rule `{key_text}` in [rules], expected {expected}");
        let suggestion = rules::closest(key_text).map(|closest| {
            rules::find(closest)
                .map_or(closest, |rule| rule.meta().id)
                .to_string()
        });
        return Err(invalid_at(
            text,
            path,
            lines,
            key.span(),
            Some(format!("rules.{key_text}")),
            &message,
            suggestion.as_deref(),
        ));
    };
    let meta = rule.meta();
    if key_text != meta.id {
        return Err(invalid_at(
            text,
            path,
            lines,
            key.span(),
            Some(format!("rules.{key_text}")),
            &format!(
                "rules are configured by id: write `[rules.{}]` for `{}`",
                meta.id, meta.name
            ),
            Some(meta.id),
        ));
    }
    Ok(meta)
}

/// `severity = ".."` of a rule's table.
fn parse_severity(
    text: &str,
    path: &str,
    lines: &LineIndex,
    meta: &rules::RuleMeta,
    value: &Spanned<DeValue<'_>>,
) -> Result<Level, ConfigError> {
    let level = match value.get_ref() {
        DeValue::String(level) => Level::parse(level),
        _ => None,
    };
    level.ok_or_else(|| {
        invalid_at(
            text,
            path,
            lines,
            value.span(),
            Some(format!("rules.{}.severity", meta.id)),
            "invalid severity, expected one of `error`, `warning`, `info`, `off`",
            None,
        )
    })
}

/// A threshold of a rule's table: a parameter the rule declares, with a number in its range.
fn parse_param(
    text: &str,
    path: &str,
    lines: &LineIndex,
    meta: &rules::RuleMeta,
    setting: &Spanned<std::borrow::Cow<'_, str>>,
    value: &Spanned<DeValue<'_>>,
) -> Result<(&'static str, f64), ConfigError> {
    let name = setting.get_ref().as_ref();
    let dotted = format!("rules.{}.{name}", meta.id);
    let Some(param) = meta.params.iter().find(|param| param.name == name) else {
        let expected: Vec<String> = std::iter::once("severity")
            .chain(meta.params.iter().map(|p| p.name))
            .map(|n| format!("`{n}`"))
            .collect();
        let suggestion = std::iter::once("severity")
            .chain(meta.params.iter().map(|p| p.name))
            .map(|candidate| (strsim::jaro_winkler(name, candidate), candidate))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, candidate)| candidate);
        return Err(invalid_at(
            text,
            path,
            lines,
            setting.span(),
            Some(dotted),
            &format!(
                "unknown key `{name}` for {} ({}), expected {}",
                meta.id,
                meta.name,
                expected.join(", ")
            ),
            suggestion,
        ));
    };
    let number = match value.get_ref() {
        DeValue::Integer(integer) => integer.as_str().replace('_', "").parse::<f64>().ok(),
        DeValue::Float(float) if !param.integer => {
            float.as_str().replace('_', "").parse::<f64>().ok()
        }
        _ => None,
    };
    let in_range = |n: &f64| n.is_finite() && *n >= 0.0 && param.max.is_none_or(|max| *n <= max);
    let Some(number) = number.filter(in_range) else {
        let expected = match (param.integer, param.max) {
            (true, _) => "a whole number".to_string(),
            (false, Some(max)) => format!("a number from 0 to {max}"),
            (false, None) => "a number".to_string(),
        };
        return Err(invalid_at(
            text,
            path,
            lines,
            value.span(),
            Some(dotted),
            &format!(
                "invalid value for `{name}`, expected {expected} ({})",
                param.doc
            ),
            None,
        ));
    };
    Ok((param.name, number))
}

fn parse_forbid(
    text: &str,
    path: &str,
    lines: &LineIndex,
    item: &Spanned<DeValue<'_>>,
) -> Result<ForbidRule, ConfigError> {
    let table = expect_table(text, path, lines, "rules.forbid", item)?;
    let mut rule = ForbidRule {
        name: String::new(),
        from: Selector::default(),
        to: Selector::default(),
        reason: None,
        level: None,
        dep_kinds: vec![DepKind::Normal, DepKind::Build],
        origin: Origin {
            file: path.to_string(),
            line: lines.line(item.span().start),
        },
    };
    let mut named = false;
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        let dotted = format!("rules.forbid.{name}");
        match name {
            "name" | "reason" => {
                let DeValue::String(string) = value.get_ref() else {
                    return Err(wrong_type(text, path, lines, &dotted, value, "a string"));
                };
                if name == "name" {
                    rule.name = string.to_string();
                    named = true;
                } else {
                    rule.reason = Some(string.to_string());
                }
            }
            "severity" => {
                let level = match value.get_ref() {
                    DeValue::String(level) => Level::parse(level),
                    _ => None,
                };
                rule.level = Some(level.ok_or_else(|| {
                    invalid_at(
                        text,
                        path,
                        lines,
                        value.span(),
                        Some(dotted.clone()),
                        "invalid severity, expected one of `error`, `warning`, `info`, `off`",
                        None,
                    )
                })?);
            }
            "from" | "to" => {
                let selector = parse_selector(text, path, lines, &dotted, value)?;
                if name == "from" {
                    rule.from = selector;
                } else {
                    rule.to = selector;
                }
            }
            "dep_kinds" => {
                rule.dep_kinds.clear();
                for kind in strings(text, path, lines, &dotted, value)? {
                    let parsed = match kind.get_ref().as_str() {
                        "normal" => DepKind::Normal,
                        "dev" => DepKind::Dev,
                        "build" => DepKind::Build,
                        _ => {
                            return Err(invalid_at(
                                text,
                                path,
                                lines,
                                kind.span(),
                                Some(dotted),
                                "invalid dependency kind, expected one of `normal`, `dev`, `build`",
                                None,
                            ));
                        }
                    };
                    rule.dep_kinds.push(parsed);
                }
                if rule.dep_kinds.is_empty() {
                    return Err(invalid_at(
                        text,
                        path,
                        lines,
                        value.span(),
                        Some(dotted),
                        "an empty `dep_kinds` would match nothing; list `normal`, `dev` or `build`",
                        None,
                    ));
                }
            }
            other => {
                return Err(unknown_key(
                    text,
                    path,
                    lines,
                    key.span(),
                    &dotted,
                    other,
                    &["name", "from", "to", "reason", "severity", "dep_kinds"],
                ));
            }
        }
    }
    if !named {
        return Err(invalid_at(
            text,
            path,
            lines,
            item.span().start..item.span().start,
            Some("rules.forbid".into()),
            "missing key `name`: each [[rules.forbid]] entry needs a name to report it by",
            None,
        ));
    }
    if rule.from.is_empty() && rule.to.is_empty() {
        return Err(invalid_at(
            text,
            path,
            lines,
            item.span().start..item.span().start,
            Some(format!("rules.forbid.{}", rule.name)),
            "a [[rules.forbid]] entry needs `from` or `to` (or both)",
            None,
        ));
    }
    Ok(rule)
}

fn parse_selector(
    text: &str,
    path: &str,
    lines: &LineIndex,
    dotted: &str,
    value: &Spanned<DeValue<'_>>,
) -> Result<Selector, ConfigError> {
    let table = expect_table(text, path, lines, dotted, value)?;
    let mut selector = Selector::default();
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        let inner = format!("{dotted}.{name}");
        match name {
            "capability" | "team" | "crate" => {
                let mut globs = Vec::new();
                for glob in strings(text, path, lines, &inner, value)? {
                    if let Err(err) = globset::Glob::new(glob.get_ref()) {
                        return Err(invalid_at(
                            text,
                            path,
                            lines,
                            glob.span(),
                            Some(inner),
                            &format!("invalid glob: {}", err.kind()),
                            None,
                        ));
                    }
                    globs.push(glob.into_inner());
                }
                match name {
                    "capability" => selector.capability = globs,
                    "team" => selector.team = globs,
                    _ => selector.krate = globs,
                }
            }
            "kind" => {
                selector.kind = match value.get_ref() {
                    DeValue::String(kind) if kind == "product" => Some(CapabilityKind::Product),
                    DeValue::String(kind) if kind == "platform" => Some(CapabilityKind::Platform),
                    _ => {
                        return Err(invalid_at(
                            text,
                            path,
                            lines,
                            value.span(),
                            Some(inner),
                            "invalid capability kind, expected `product` or `platform`",
                            None,
                        ));
                    }
                };
            }
            other => {
                return Err(unknown_key(
                    text,
                    path,
                    lines,
                    key.span(),
                    &inner,
                    other,
                    &["capability", "team", "crate", "kind"],
                ));
            }
        }
    }
    Ok(selector)
}

/// A string or an array of strings.
fn strings(
    text: &str,
    path: &str,
    lines: &LineIndex,
    dotted: &str,
    value: &Spanned<DeValue<'_>>,
) -> Result<Vec<Spanned<String>>, ConfigError> {
    let spanned = |span: Range<usize>, string: &str| Spanned::new(span, string.to_string());
    match value.get_ref() {
        DeValue::String(string) => Ok(vec![spanned(value.span(), string)]),
        DeValue::Array(items) => items
            .iter()
            .map(|item| match item.get_ref() {
                DeValue::String(string) => Ok(spanned(item.span(), string)),
                _ => Err(wrong_type(text, path, lines, dotted, item, "a string")),
            })
            .collect(),
        _ => Err(wrong_type(
            text,
            path,
            lines,
            dotted,
            value,
            "a string or an array of strings",
        )),
    }
}

fn find<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(name, _)| name.get_ref() == key)
        .map(|(_, value)| value)
}

fn expect_table<'a, 'i>(
    text: &str,
    path: &str,
    lines: &LineIndex,
    dotted: &str,
    value: &'a Spanned<DeValue<'i>>,
) -> Result<&'a DeTable<'i>, ConfigError> {
    match value.get_ref() {
        DeValue::Table(table) => Ok(table),
        _ => Err(wrong_type(text, path, lines, dotted, value, "a table")),
    }
}

fn wrong_type(
    text: &str,
    path: &str,
    lines: &LineIndex,
    dotted: &str,
    value: &Spanned<DeValue<'_>>,
    expected: &str,
) -> ConfigError {
    let found = match value.get_ref() {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a datetime",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    };
    invalid_at(
        text,
        path,
        lines,
        value.span(),
        Some(dotted.to_string()),
        &format!("invalid type: {found}, expected {expected}"),
        None,
    )
}

fn unknown_key(
    text: &str,
    path: &str,
    lines: &LineIndex,
    span: Range<usize>,
    dotted: &str,
    name: &str,
    expected: &[&str],
) -> ConfigError {
    let suggestion = expected
        .iter()
        .map(|candidate| (strsim::jaro_winkler(name, candidate), *candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate);
    let listed: Vec<String> = expected.iter().map(|k| format!("`{k}`")).collect();
    invalid_at(
        text,
        path,
        lines,
        span,
        Some(dotted.to_string()),
        &format!(
            "unknown key `{name}`, expected one of {}",
            listed.join(", ")
        ),
        suggestion,
    )
}
