//! The rule packs built into the binary (`rules/default.toml`, `rules/strict.toml`), as
//! data: the config loader needs their names to tell a built-in pack from a file, the rules
//! stage reads their text.

/// The rule packs built into the binary, by name.
pub const BUILTIN_PACKS: &[(&str, &str)] = &[
    ("default", include_str!("../../rules/default.toml")),
    ("strict", include_str!("../../rules/strict.toml")),
];

/// The built-in pack names, for messages.
pub fn pack_names() -> String {
    BUILTIN_PACKS
        .iter()
        .map(|(name, _)| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
