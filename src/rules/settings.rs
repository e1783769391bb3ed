//! Rule settings of a run: the pack (`rules/default.toml`, `rules/strict.toml` or a file),
//! overlaid with capgraph.toml's `[rules]`, resolved into one level and one set of
//! thresholds per rule.

use super::config::{BUILTIN_PACKS, ForbidRule, PackFile, RulesTable, pack_names, parse_pack};
use super::{Level, REGISTRY, Severity};
use crate::config::{Config, ConfigError};
use std::collections::BTreeMap;

/// One enabled rule's severity and thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSettings {
    pub severity: Severity,
    /// Every parameter of the rule, with its value from the config, the pack or its default.
    pub params: BTreeMap<&'static str, f64>,
}

impl RuleSettings {
    /// The value of a parameter the rule declares.
    pub fn param(&self, name: &str) -> f64 {
        self.params
            .get(name)
            .copied()
            .unwrap_or_else(|| panic!("rule reads parameter `{name}`, which it does not declare"))
    }
}

/// The settings of every rule for one run.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The pack in force, as named.
    pub pack: String,
    /// Enabled rules by id; a rule absent here is off.
    rules: BTreeMap<&'static str, RuleSettings>,
    /// `[[rules.forbid]]` entries of the pack and the config.
    pub forbid: Vec<ForbidRule>,
}

impl Settings {
    /// The settings a config gives: its pack (or `default`), then its own `[rules]`.
    pub fn from_config(config: &Config) -> Result<Settings, ConfigError> {
        let rules = config
            .rules
            .as_ref()
            .map(super::config::read_source)
            .transpose()?
            .flatten();
        let rules = rules.as_ref();
        let pack_name = rules
            .and_then(|r| r.pack.as_ref())
            .map_or("default", |p| p.value.as_str());
        let mut settings = Settings {
            pack: pack_name.to_string(),
            ..Settings::default()
        };
        if BUILTIN_PACKS.iter().any(|(name, _)| *name == pack_name) {
            settings.apply_builtin(pack_name, 0)?;
        } else {
            match rules.and_then(|r| r.pack_file.as_deref()) {
                Some(file) => {
                    if let Some(base) = &file.extends {
                        settings.apply_builtin(base, 0)?;
                    }
                    settings.apply_pack(file);
                }
                None => {
                    let origin = rules
                        .and_then(|r| r.pack.as_ref())
                        .map(|p| p.origin.to_string());
                    return Err(ConfigError::UnknownPack {
                        name: pack_name.to_string(),
                        origin: origin.unwrap_or_default(),
                        builtins: pack_names(),
                    });
                }
            }
        }
        if let Some(rules) = rules {
            settings.apply_overrides(&rules.table, false);
        }
        Ok(settings)
    }

    /// The built-in `default` pack alone (zero-config runs, tests).
    pub fn default_pack() -> Settings {
        Settings::from_config(&Config::default()).expect("the built-in default pack is valid")
    }

    /// Applies a built-in pack after the packs it extends, however deep the chain.
    fn apply_builtin(&mut self, name: &str, depth: usize) -> Result<(), ConfigError> {
        let (_, text) = BUILTIN_PACKS
            .iter()
            .find(|(builtin, _)| *builtin == name)
            .expect("pack names are checked when read");
        let pack = parse_pack(text, &format!("rules/{name}.toml"))?;
        if let Some(base) = &pack.extends {
            // Built-in packs are ours; a loop among them is a bug, not a user error.
            assert!(
                depth < BUILTIN_PACKS.len(),
                "built-in packs extend each other in a loop"
            );
            self.apply_builtin(base, depth + 1)?;
        }
        self.apply_pack(&pack);
        Ok(())
    }

    fn apply_pack(&mut self, pack: &PackFile) {
        self.apply_overrides(&pack.table, true);
    }

    /// Applies one table. In a pack, listing a rule turns it on (at its default severity
    /// unless the entry says otherwise); in capgraph.toml an entry changes only what it sets,
    /// so thresholds can be tuned without restating the severity.
    fn apply_overrides(&mut self, table: &RulesTable, in_pack: bool) {
        for rule in REGISTRY {
            let meta = rule.meta();
            let Some(entry) = table.overrides.get(meta.id) else {
                continue;
            };
            let entry = &entry.value;
            let level = match entry.level {
                Some(level) => Some(level),
                None if in_pack || self.rules.contains_key(meta.id) => {
                    let current = self.rules.get(meta.id).map(|r| r.severity);
                    Some(Level::On(current.unwrap_or(meta.default_severity)))
                }
                None => None,
            };
            match level {
                Some(Level::Off) => {
                    self.rules.remove(meta.id);
                }
                Some(Level::On(severity)) => {
                    let current = self.rules.entry(meta.id).or_insert_with(|| RuleSettings {
                        severity,
                        params: meta.params.iter().map(|p| (p.name, p.default)).collect(),
                    });
                    current.severity = severity;
                    current
                        .params
                        .extend(entry.params.iter().map(|(k, v)| (*k, *v)));
                }
                None => {}
            }
        }
        self.forbid.extend(table.forbid.iter().cloned());
    }

    /// The settings of a rule, if it is enabled.
    pub fn rule(&self, id: &str) -> Option<&RuleSettings> {
        self.rules.get(id)
    }

    /// The enabled rules by id.
    pub fn enabled(&self) -> impl Iterator<Item = (&'static str, &RuleSettings)> {
        self.rules.iter().map(|(id, settings)| (*id, settings))
    }
}
