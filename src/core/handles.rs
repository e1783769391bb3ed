//! What kind of owner a handle names: a team, a review group or one person. CODEOWNERS lets a
//! line name any of them; capgraph's teams are groups of people, so it must tell them apart.

/// The kind of owner a handle names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OwnerKind {
    /// A group that owns code: `@org/team`, a catalog group, a team of `capgraph.toml`.
    Team,
    /// A team handle whose name says it reviews or approves rather than owns
    /// (`@org/rust-reviewers`, `@org/maintainers`): still a group, shown as such.
    ReviewGroup,
    /// One person: `@user` or an e-mail address.
    Individual,
}

impl OwnerKind {
    /// How JSON and the text output write it.
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::Team => "team",
            OwnerKind::ReviewGroup => "review-group",
            OwnerKind::Individual => "individual",
        }
    }

    /// Whether the handle names a group (a team or a review group), not one person.
    pub fn is_group(self) -> bool {
        self != OwnerKind::Individual
    }
}

/// Words that, as a whole part of a team's name (split at `-`, `_` and `.`), say the team
/// reviews or approves code rather than owns a part of it (`rust-reviewers`, `maintainers`,
/// `codeowners`). Whole parts only, so that `reviewboard` stays a team; `owners` and `admins`
/// are left out, since `payments-owners` is as often the team that owns payments.
const REVIEW_WORDS: &[&str] = &[
    "reviewer",
    "reviewers",
    "review",
    "approver",
    "approvers",
    "maintainer",
    "maintainers",
    "committer",
    "committers",
    "codeowner",
    "codeowners",
];

/// The kind of owner a handle as written names. `@org/name` is a team (or a review group when
/// a part of its name is a review word), `@name` and `name@host` are individuals, and anything
/// else (a catalog group, a team id) is a team.
pub fn owner_kind(handle: &str) -> OwnerKind {
    let handle = handle.trim();
    if let Some(name) = handle.strip_prefix('@') {
        return match name.split_once('/') {
            Some((_, team)) if is_review_name(team) => OwnerKind::ReviewGroup,
            Some(_) => OwnerKind::Team,
            None => OwnerKind::Individual,
        };
    }
    if handle.contains('@') {
        return OwnerKind::Individual;
    }
    let name = handle.strip_prefix("group:").unwrap_or(handle);
    let name = name.rsplit_once('/').map_or(name, |(_, name)| name);
    if is_review_name(name) {
        OwnerKind::ReviewGroup
    } else {
        OwnerKind::Team
    }
}

fn is_review_name(name: &str) -> bool {
    name.to_lowercase()
        .split(['-', '_', '.'])
        .any(|part| REVIEW_WORDS.contains(&part))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_told_apart_by_their_form() {
        assert_eq!(owner_kind("@acme/payments"), OwnerKind::Team);
        assert_eq!(owner_kind("@acme/rust-reviewers"), OwnerKind::ReviewGroup);
        assert_eq!(owner_kind("@acme/Core_Maintainers"), OwnerKind::ReviewGroup);
        assert_eq!(owner_kind("@acme/codeowners"), OwnerKind::ReviewGroup);
        assert_eq!(owner_kind("@acme/payments-owners"), OwnerKind::Team);
        assert_eq!(owner_kind("@acme/reviewboard"), OwnerKind::Team);
        assert_eq!(owner_kind("@alice"), OwnerKind::Individual);
        assert_eq!(owner_kind("alice@example.com"), OwnerKind::Individual);
        assert_eq!(owner_kind("group:default/payments"), OwnerKind::Team);
        assert_eq!(owner_kind("payments"), OwnerKind::Team);
        assert_eq!(owner_kind("platform-approvers"), OwnerKind::ReviewGroup);
    }
}
