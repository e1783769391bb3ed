//! CODEOWNERS files with GitHub's semantics (the last matching pattern wins; a pattern with
//! no owners makes its paths unowned) and GitLab's `[Section]` headers (the last match of
//! each section applies, and owners of all sections combine; a section may name default
//! owners for its patterns).
//!
//! Patterns follow GitHub's documented gitignore-like rules: a leading or inner `/` anchors a
//! pattern at the root, a pattern without one matches at any depth, a trailing `/` means a
//! directory and everything below it, `*` and `?` stay within one path component, `**`
//! crosses them, `\` escapes the next character, and `dir/*` matches only direct children.
//! Character classes are gitignore's: `[a-z]` ranges, `[!a]` (or `[^a]`) negations. A line
//! GitHub would reject (an owner that is none, `!` negation, an unterminated class) is
//! skipped whole and reported, as GitHub does.

use regex::Regex;

/// One pattern line.
#[derive(Debug, Clone)]
pub struct CodeownersRule {
    /// The pattern as written.
    pub pattern: String,
    /// Owners as written (`@org/team`, `@user`, `user@example.com`); empty means unowned.
    pub owners: Vec<String>,
    /// 1-based line of the rule.
    pub line: u32,
    /// The GitLab section the rule is in, if any.
    pub section: Option<String>,
    matcher: Regex,
}

/// A parsed CODEOWNERS file.
#[derive(Debug, Clone, Default)]
pub struct CodeownersFacts {
    pub rules: Vec<CodeownersRule>,
    /// Lines that could not be understood, with the reason; the rest of the file still counts.
    pub problems: Vec<(u32, String)>,
}

/// The rule that decides a path's owners (one per GitLab section that matches).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeownersMatch<'a> {
    pub pattern: &'a str,
    pub owners: &'a [String],
    pub line: u32,
    pub section: Option<&'a str>,
}

impl CodeownersRule {
    /// Whether the rule's pattern matches `path` (relative to the repo root, `/`-separated;
    /// a directory ends with `/`).
    pub fn matches(&self, path: &str) -> bool {
        self.matcher.is_match(path)
    }
}

impl CodeownersFacts {
    /// The deciding rules for `path`: the last matching rule of each section, in file order.
    /// An empty result means no rule matches.
    pub fn matches(&self, path: &str) -> Vec<CodeownersMatch<'_>> {
        let mut decided: Vec<&CodeownersRule> = Vec::new();
        for rule in self.rules.iter().rev() {
            if decided.iter().any(|d| d.section == rule.section) {
                continue;
            }
            if rule.matches(path) {
                decided.push(rule);
            }
        }
        decided.sort_by_key(|rule| rule.line);
        decided
            .into_iter()
            .map(|rule| CodeownersMatch {
                pattern: &rule.pattern,
                owners: &rule.owners,
                line: rule.line,
                section: rule.section.as_deref(),
            })
            .collect()
    }

    /// The owners of `path`, from all deciding rules, without duplicates, in order.
    pub fn owners_of(&self, path: &str) -> Vec<String> {
        let mut owners: Vec<String> = Vec::new();
        for found in self.matches(path) {
            for owner in found.owners {
                if !owners.contains(owner) {
                    owners.push(owner.clone());
                }
            }
        }
        owners
    }
}

/// Parses the text of a CODEOWNERS file.
pub fn extract_codeowners(text: &str) -> CodeownersFacts {
    let mut facts = CodeownersFacts::default();
    let mut section: Option<String> = None;
    let mut section_owners: Vec<String> = Vec::new();
    // Editors on Windows may start the file with a byte order mark; it is not part of the
    // first pattern.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, raw_line) in text.lines().enumerate() {
        let line_number = index as u32 + 1;
        let line = raw_line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((name, defaults)) = section_header(line) {
            // GitLab compares section names ignoring case and merges sections of one name;
            // the first spelling names the merged section.
            let name = facts
                .rules
                .iter()
                .filter_map(|rule| rule.section.as_ref())
                .chain(section.as_ref())
                .find(|known| known.to_lowercase() == name.to_lowercase())
                .cloned()
                .unwrap_or(name);
            section = Some(name);
            section_owners = defaults;
            continue;
        }
        let mut fields = split_fields(line).into_iter();
        let Some(pattern) = fields.next() else {
            continue;
        };
        // GitHub skips a line it cannot read whole, rather than keep part of it: a rule left
        // with fewer (or no) owners would silently take paths away from earlier rules.
        let mut owners: Vec<String> = Vec::new();
        let mut invalid = None;
        for field in fields {
            if field.starts_with('#') {
                break;
            }
            if is_owner(&field) {
                owners.push(field);
            } else if invalid.is_none() {
                invalid = Some(format!(
                    "`{field}` is not an owner (expected @user, @org/team or an e-mail)"
                ));
            }
        }
        if pattern.starts_with('!') {
            invalid = Some(format!(
                "pattern `{pattern}`: negation (`!`) is not supported in CODEOWNERS"
            ));
        }
        if let Some(reason) = invalid {
            facts
                .problems
                .push((line_number, format!("{reason}; the line is skipped")));
            continue;
        }
        if owners.is_empty() && section.is_some() {
            owners = section_owners.clone();
        }
        match pattern_regex(&pattern) {
            Ok(matcher) => facts.rules.push(CodeownersRule {
                pattern,
                owners,
                line: line_number,
                section: section.clone(),
                matcher,
            }),
            Err(reason) => facts.problems.push((
                line_number,
                format!("pattern `{pattern}`: {reason}; the line is skipped"),
            )),
        }
    }
    facts
}

/// `[Section]`, `^[Optional section]`, `[Section][2]`, each optionally followed by default
/// owners.
fn section_header(line: &str) -> Option<(String, Vec<String>)> {
    let rest = line.strip_prefix('^').unwrap_or(line);
    let rest = rest.strip_prefix('[')?;
    let close = rest.find(']')?;
    let name = rest[..close].trim().to_string();
    let mut after = rest[close + 1..].trim_start();
    if let Some(count) = after.strip_prefix('[') {
        // The number of required approvals.
        let end = count.find(']')?;
        if !count[..end].chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        after = count[end + 1..].trim_start();
    }
    let owners: Vec<String> = after
        .split_whitespace()
        .take_while(|f| !f.starts_with('#'))
        .map(str::to_string)
        .collect();
    if name.is_empty() || !owners.iter().all(|o| is_owner(o)) {
        return None;
    }
    Some((name, owners))
}

/// Splits a rule line at unescaped whitespace; `\ ` is a space inside the pattern.
fn split_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                current.push('\\');
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            c if c.is_whitespace() => {
                if !current.is_empty() {
                    fields.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        fields.push(current);
    }
    fields
}

fn is_owner(field: &str) -> bool {
    let handle = field
        .strip_prefix('@')
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    let email = field
        .split_once('@')
        .is_some_and(|(user, domain)| !user.is_empty() && !domain.is_empty());
    handle || email
}

/// Translates a pattern to a regex over root-relative paths.
fn pattern_regex(pattern: &str) -> Result<Regex, String> {
    let slash = pattern.find('/');
    let anchored = slash.is_some_and(|pos| pos != pattern.len() - 1);
    let mut regex = String::from(if anchored { r"\A" } else { r"(?:\A|/)" });
    let matches_dir = pattern.ends_with('/');
    let matches_no_subdirs = pattern.ends_with("/*");
    let trimmed: Vec<char> = pattern.trim_matches('/').chars().collect();

    let mut escaped = false;
    let mut i = 0;
    while i < trimmed.len() {
        let c = trimmed[i];
        if escaped {
            regex.push_str(&regex::escape(&c.to_string()));
            escaped = false;
            i += 1;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '*' if trimmed.get(i + 1) == Some(&'*') => {
                let starts_component = i == 0 || trimmed[i - 1] == '/';
                let ends_pattern = i + 2 == trimmed.len();
                let before_slash = trimmed.get(i + 2) == Some(&'/');
                if starts_component && (ends_pattern || before_slash) {
                    if before_slash {
                        regex.push_str("(?:.*/)?");
                        i += 3;
                    } else {
                        regex.push_str(".*");
                        i += 2;
                    }
                    continue;
                }
                regex.push_str("[^/]*");
            }
            '*' => regex.push_str("[^/]*"),
            '?' => regex.push_str("[^/]"),
            '[' => {
                let (class, end) = character_class(&trimmed, i)?;
                regex.push_str(&class);
                i = end;
                continue;
            }
            c => regex.push_str(&regex::escape(&c.to_string())),
        }
        i += 1;
    }
    if matches_dir {
        regex.push('/');
    } else if matches_no_subdirs {
        regex.push_str(r"\z");
    } else {
        regex.push_str(r"(?:\z|/)");
    }
    Regex::new(&regex).map_err(|err| err.to_string())
}

/// Translates the gitignore character class starting at `trimmed[start]` (a `[`) to a regex
/// class, returning it and the index after its `]`. Ranges (`a-z`) stay ranges, `[!..]` and
/// `[^..]` negate, `\` escapes, a `]` first in the class is a member, and a negated class
/// never matches `/`, as `*` and `?` do not.
fn character_class(trimmed: &[char], start: usize) -> Result<(String, usize), String> {
    let mut class = String::from("[");
    let mut j = start + 1;
    if matches!(trimmed.get(j), Some('!' | '^')) {
        class.push_str("^/");
        j += 1;
    }
    if trimmed.get(j) == Some(&']') {
        class.push_str(r"\]");
        j += 1;
    }
    while let Some(&c) = trimmed.get(j) {
        match c {
            ']' => {
                class.push(']');
                return Ok((class, j + 1));
            }
            '\\' => {
                let Some(&next) = trimmed.get(j + 1) else {
                    break;
                };
                push_class_member(&mut class, next);
                j += 2;
                continue;
            }
            '-' => class.push('-'),
            c => push_class_member(&mut class, c),
        }
        j += 1;
    }
    Err("unterminated character class".to_string())
}

/// A literal member of a regex class: the characters the regex crate gives a meaning inside
/// a class are escaped.
fn push_class_member(class: &mut String, c: char) {
    if matches!(c, '\\' | '[' | ']' | '^' | '&' | '~' | '-') {
        class.push('\\');
    }
    class.push(c);
}
