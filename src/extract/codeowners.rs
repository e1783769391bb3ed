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
//!
//! # Cost on hostile files
//!
//! A CODEOWNERS file comes from the scanned repository, so it may be written to make
//! matching slow: every crate directory and every walked file is matched against it. The
//! semantics are defined by a translation of each pattern to a regular expression
//! ([`regex_source`], kept for error messages and as the tests' oracle), but matching does not
//! use one regex per rule: each of those carried a lazily grown multi-megabyte DFA cache, and
//! every rule was tried on every path. Instead:
//!
//! - A pattern becomes a [`Glob`]: literal runs, `?`, classes, `*`, `**/` and a trailing `**`,
//!   matched by a small position-set simulation in O(path length × atoms) time and no memory
//!   that lives beyond the call, so no pattern can be exponential or costly to keep. A
//!   character class is decided by the regex crate once, when the file is read (its
//!   membership is constant between the characters it names), so classes mean exactly what
//!   the regex translation meant.
//! - Identical patterns share one matcher, and matchers are indexed: by their literal leading
//!   directories (anchored patterns, looked up by each ancestor prefix of a path), by their
//!   leading literal components at any depth (patterns without an anchor, and `**/`),
//!   by a literal last component or an extension (`*/Cargo.toml`, `*.rs`), and only the rest
//!   are tried on every path. A path thus meets the handful of rules that can match it, and a
//!   literal pattern (most of a real file) is decided by a hash lookup and one comparison.
//! - What the index cannot narrow down is bounded: the wildcards in one pattern
//!   ([`MAX_PATTERN_WILDCARDS`]), the patterns that need a glob match attempt
//!   ([`MAX_WILDCARD_PATTERNS`]), those tried on every path ([`MAX_UNINDEXED_PATTERNS`]), the
//!   GitLab sections whose deciding rules a path collects ([`MAX_SECTIONS`]), the owners on
//!   a line ([`MAX_OWNERS_PER_LINE`]) and those a path collects ([`MAX_OWNERS_PER_PATH`]). A line over a limit is reported in
//!   [`CodeownersFacts::problems`] (an SCN002 diagnostic naming file and line) and the rest of
//!   the file still counts.
//! - Section names are merged through a map, and a section's default owners and name are
//!   shared by its rules rather than copied into each.

use regex::{Regex, RegexBuilder};
use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::HashMap;
use std::collections::HashSet;
use std::sync::Arc;

/// The most wildcards one pattern may have: each `*` run (`*`, `**`), `?` and `[...]` counts
/// one, so `**/**/**/**/*a*a*a*b` has 8. Real patterns have a few; the bound keeps a pattern's
/// match cost (proportional to its atoms) small and fixed. A pattern with more is skipped.
pub const MAX_PATTERN_WILDCARDS: usize = 16;

/// The most distinct patterns in one file that need a glob match attempt on the paths the
/// index gives them (any pattern with a wildcard other than a trailing `/**`, or with a
/// literal part deeper than the index goes). Each costs an attempt on every path below its
/// literal prefix or with its extension; real files have tens. Lines beyond it are skipped.
pub const MAX_WILDCARD_PATTERNS: usize = 256;

/// The most distinct patterns in one file that no literal leading directory, last component
/// or extension narrows down (`*`, `/*`, `docs*`, `**/*a*`): each is tried on every path.
/// Real files have a handful. Lines beyond it are skipped.
pub const MAX_UNINDEXED_PATTERNS: usize = 100;

/// The most GitLab sections (names compared ignoring case) that may have rules. A path
/// collects one deciding rule per section, so this bounds what each match returns; real
/// files have tens. The rules of further sections are skipped, reported once per header.
pub const MAX_SECTIONS: usize = 200;

/// The most owners one rule or section header keeps; further ones are dropped (reported).
/// Every path a rule decides carries its owners, so one line must not name thousands.
pub const MAX_OWNERS_PER_LINE: usize = 50;

/// The most owners a path can collect from its deciding rules together (one per section):
/// the longest owner list of each section, summed, stays within it. Each crate keeps the
/// owners of its directory, so without it 200 sections of 50 owners would give every crate
/// 10,000. A line that would go over is skipped; real files stay in the low hundreds.
pub const MAX_OWNERS_PER_PATH: usize = 500;

/// The size and lazy-DFA limit, in bytes, of the regex a character class is decided with
/// (the only regexes compiled; each lives only while the file is read).
pub const CLASS_REGEX_LIMIT_BYTES: usize = 1 << 20;

/// How many leading components of an anchored pattern the index keys on; a path is looked
/// up by at most this many ancestor prefixes. A deeper literal pattern is indexed by its
/// first components and counts against [`MAX_WILDCARD_PATTERNS`].
const ANCHORED_KEY_COMPONENTS: usize = 32;

/// How many leading components of an unanchored pattern (`docs/`, `**/a/b`) the index keys
/// on; a path is looked up by at most this many components from each of its components.
const FLOATING_KEY_COMPONENTS: usize = 8;

/// One pattern line.
#[derive(Debug, Clone)]
pub struct CodeownersRule {
    /// The pattern as written.
    pub pattern: String,
    /// Owners as written (`@org/team`, `@user`, `user@example.com`); empty means unowned.
    /// Shared by the rules that take a GitLab section's default owners.
    pub owners: Arc<[String]>,
    /// 1-based line of the rule.
    pub line: u32,
    /// The GitLab section the rule is in, if any.
    pub section: Option<Arc<str>>,
    glob: Arc<Glob>,
    /// The index of the rule's matcher in [`Index::matchers`].
    matcher: u32,
    /// 0 outside sections, else one number per section (names compared ignoring case).
    section_key: u32,
}

/// A parsed CODEOWNERS file. Its rules are indexed when the file is read: `rules` is for
/// reading, and changing it leaves [`CodeownersFacts::matches`] answering for the file read.
#[derive(Debug, Clone, Default)]
pub struct CodeownersFacts {
    pub rules: Vec<CodeownersRule>,
    /// Lines that could not be understood, with the reason; the rest of the file still counts.
    pub problems: Vec<(u32, String)>,
    index: Index,
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
        self.glob.is_match(path)
    }
}

impl CodeownersFacts {
    /// The deciding rules for `path`: the last matching rule of each section, in file order.
    /// An empty result means no rule matches.
    pub fn matches(&self, path: &str) -> Vec<CodeownersMatch<'_>> {
        let mut candidates = Vec::new();
        self.index.candidates(path, &mut candidates);
        let mut decided: Vec<u32> = Vec::new();
        for &id in &candidates {
            let matcher = &self.index.matchers[id as usize];
            if matcher.glob.is_match(path) {
                decided.extend_from_slice(&matcher.last_by_section);
            }
        }
        if decided.len() > 1 {
            // The last rule of each section among all matching matchers.
            let key = |rule: u32| self.rules[rule as usize].section_key;
            decided.sort_unstable_by_key(|&rule| (key(rule), Reverse(rule)));
            decided.dedup_by_key(|rule| key(*rule));
            decided.sort_unstable();
        }
        decided
            .into_iter()
            .map(|index| {
                let rule = &self.rules[index as usize];
                CodeownersMatch {
                    pattern: &rule.pattern,
                    owners: &rule.owners,
                    line: rule.line,
                    section: rule.section.as_deref(),
                }
            })
            .collect()
    }

    /// The owners of `path`, from all deciding rules, without duplicates, in order.
    pub fn owners_of(&self, path: &str) -> Vec<String> {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut owners: Vec<String> = Vec::new();
        for found in self.matches(path) {
            for owner in found.owners {
                if seen.insert(owner) {
                    owners.push(owner.clone());
                }
            }
        }
        owners
    }

    /// The rules that match none of `paths`, in file order (stale patterns). It goes from the
    /// paths' side: each path is matched against the rules the index gives it, so the cost is
    /// paths × candidates, not rules × paths.
    pub fn rules_matching_none<'p>(
        &self,
        paths: impl IntoIterator<Item = &'p str>,
    ) -> Vec<&CodeownersRule> {
        let matchers = &self.index.matchers;
        let mut used = vec![false; matchers.len()];
        let mut unused = matchers.len();
        let mut candidates = Vec::new();
        for path in paths {
            if unused == 0 {
                break;
            }
            self.index.candidates(path, &mut candidates);
            for &id in &candidates {
                let id = id as usize;
                if !used[id] && matchers[id].glob.is_match(path) {
                    used[id] = true;
                    unused -= 1;
                }
            }
        }
        self.rules
            .iter()
            .filter(|rule| !used[rule.matcher as usize])
            .collect()
    }

    /// Every owner named in the file with the line of a rule naming it, in file order; each
    /// handle comes at least with its first line. A section's default owners come once per
    /// run of rules sharing them, not once per rule, so that walking them costs the file's
    /// size, not rules × default owners.
    pub fn owner_references(&self) -> impl Iterator<Item = (&String, u32)> {
        let mut previous: Option<&Arc<[String]>> = None;
        self.rules
            .iter()
            .filter(move |rule| {
                let repeated = previous.is_some_and(|p| Arc::ptr_eq(p, &rule.owners));
                previous = Some(&rule.owners);
                !repeated
            })
            .flat_map(|rule| rule.owners.iter().map(move |owner| (owner, rule.line)))
    }
}

/// The section rules are added to, as the header named it.
struct OpenSection {
    /// The merged section's name: the first spelling that had rules.
    name: Arc<str>,
    lower: String,
    header_line: u32,
    /// Whether the header was reported for being over [`MAX_SECTIONS`].
    reported: bool,
}

/// Parses the text of a CODEOWNERS file.
pub fn extract_codeowners(text: &str) -> CodeownersFacts {
    let mut reader = Reader::default();
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
            reader.open_section(line_number, name, defaults);
        } else {
            reader.rule_line(line_number, line);
        }
    }
    reader.finish()
}

/// The state of a CODEOWNERS file read line by line.
struct Reader {
    facts: CodeownersFacts,
    builder: IndexBuilder,
    /// Sections that have rules, by lower-case name: their merged name and key.
    sections: HashMap<String, (Arc<str>, u32)>,
    section: Option<OpenSection>,
    section_owners: Arc<[String]>,
    /// Per section key, the longest owner list of its kept rules, and their sum.
    longest_owners: Vec<usize>,
    owners_per_path: usize,
}

impl Default for Reader {
    fn default() -> Reader {
        Reader {
            facts: CodeownersFacts::default(),
            builder: IndexBuilder::default(),
            sections: HashMap::new(),
            section: None,
            section_owners: Arc::from(Vec::new()),
            longest_owners: vec![0],
            owners_per_path: 0,
        }
    }
}

impl Reader {
    /// A section header: the rules below belong to it, with its default owners.
    fn open_section(&mut self, line_number: u32, name: String, mut defaults: Vec<String>) {
        // GitLab compares section names ignoring case and merges sections of one name;
        // the first spelling (of a section with rules, or of the open one) names the
        // merged section.
        let lower = name.to_lowercase();
        let name = match (self.sections.get(&lower), &self.section) {
            (Some((known, _)), _) => known.clone(),
            (None, Some(open)) if open.lower == lower => open.name.clone(),
            (None, _) => Arc::from(name),
        };
        if defaults.len() > MAX_OWNERS_PER_LINE {
            self.facts
                .problems
                .push((line_number, too_many_owners(defaults.len())));
            defaults.truncate(MAX_OWNERS_PER_LINE);
        }
        self.section = Some(OpenSection {
            name,
            lower,
            header_line: line_number,
            reported: false,
        });
        self.section_owners = Arc::from(defaults);
    }

    /// A rule line: kept unless it is unreadable or over a bound (a problem says why).
    fn rule_line(&mut self, line_number: u32, line: &str) {
        let mut fields = split_fields(line).into_iter();
        let Some(pattern) = fields.next() else {
            return;
        };
        let mut owners = match rule_owners(&pattern, fields) {
            Ok(owners) => owners,
            Err(reason) => {
                self.facts
                    .problems
                    .push((line_number, format!("{reason}; the line is skipped")));
                return;
            }
        };
        // A rule of a section past the limit is skipped before its pattern costs anything.
        let Some(section_key) = self.section_key() else {
            return;
        };
        if owners.len() > MAX_OWNERS_PER_LINE {
            self.facts
                .problems
                .push((line_number, too_many_owners(owners.len())));
            owners.truncate(MAX_OWNERS_PER_LINE);
        }
        let owners: Arc<[String]> = if owners.is_empty() && self.section.is_some() {
            self.section_owners.clone()
        } else {
            Arc::from(owners)
        };
        let longest = self
            .longest_owners
            .get(section_key as usize)
            .copied()
            .unwrap_or(0);
        let with_rule = self.owners_per_path - longest + longest.max(owners.len());
        if with_rule > MAX_OWNERS_PER_PATH {
            self.facts.problems.push((
                line_number,
                format!(
                    "{} owners would let a path collect more than {MAX_OWNERS_PER_PATH} from \
                     the rules of all sections; the line is skipped",
                    owners.len()
                ),
            ));
            return;
        }
        let matcher = match self.builder.matcher_for(&pattern) {
            Ok(matcher) => matcher,
            Err(reason) => {
                self.facts.problems.push((
                    line_number,
                    format!("pattern `{pattern}`: {reason}; the line is skipped"),
                ));
                return;
            }
        };
        if self.longest_owners.len() <= section_key as usize {
            self.longest_owners.resize(section_key as usize + 1, 0);
        }
        self.longest_owners[section_key as usize] = longest.max(owners.len());
        self.owners_per_path = with_rule;
        self.keep_rule(line_number, pattern, owners, matcher, section_key);
    }

    /// The key of the open section's rules, or `None` when the section is past
    /// [`MAX_SECTIONS`] (reported at its first rule).
    fn section_key(&mut self) -> Option<u32> {
        let Some(open) = &mut self.section else {
            return Some(0);
        };
        match self.sections.get(&open.lower) {
            Some((_, key)) => Some(*key),
            None if self.sections.len() >= MAX_SECTIONS => {
                if !open.reported {
                    open.reported = true;
                    self.facts.problems.push((
                        open.header_line,
                        format!(
                            "section `{}`: more than {MAX_SECTIONS} sections have rules; the \
                             rules of this one are skipped",
                            open.name
                        ),
                    ));
                }
                None
            }
            // Numbered when its first rule is kept.
            None => Some(self.sections.len() as u32 + 1),
        }
    }

    /// Records a rule that passed every check, and its section as one that has rules.
    fn keep_rule(
        &mut self,
        line_number: u32,
        pattern: String,
        owners: Arc<[String]>,
        matcher: u32,
        section_key: u32,
    ) {
        if let Some(open) = &self.section
            && !self.sections.contains_key(&open.lower)
        {
            self.sections
                .insert(open.lower.clone(), (open.name.clone(), section_key));
        }
        self.facts.rules.push(CodeownersRule {
            pattern,
            owners,
            line: line_number,
            section: self.section.as_ref().map(|open| open.name.clone()),
            glob: self.builder.index.matchers[matcher as usize].glob.clone(),
            matcher,
            section_key,
        });
    }

    fn finish(mut self) -> CodeownersFacts {
        self.facts.index = self.builder.finish(&self.facts.rules);
        // Problems found late (a section header reported at its first rule) take their place.
        self.facts.problems.sort_by_key(|(line, _)| *line);
        self.facts
    }
}

/// The owners of a rule line, or why the line is skipped. GitHub skips a line it cannot read
/// whole, rather than keep part of it: a rule left with fewer (or no) owners would silently
/// take paths away from earlier rules.
fn rule_owners(pattern: &str, fields: impl Iterator<Item = String>) -> Result<Vec<String>, String> {
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
    match invalid {
        Some(reason) => Err(reason),
        None => Ok(owners),
    }
}

fn too_many_owners(count: usize) -> String {
    format!(
        "{count} owners, more than the {MAX_OWNERS_PER_LINE} a line may name; only the first \
         {MAX_OWNERS_PER_LINE} are kept"
    )
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

// ---- patterns --------------------------------------------------------------------------

/// Where a pattern may begin matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Start {
    /// At the root (`\A`): a pattern with a leading or inner `/`.
    Root,
    /// At the root or after any `/` (`(?:\A|/)`): a pattern without one.
    Component,
    /// At the root or after a `/` with no newline before it: an anchored pattern starting
    /// with `**/` (`\A(?:.*/)?`, whose `.` does not cross a newline).
    ComponentBeforeNewline,
}

/// What must follow the pattern's last atom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum After {
    /// A `/` (a pattern ending with `/`: a directory, matched by what is below it).
    Slash,
    /// The end of the path (a pattern ending with `/*`: direct children only).
    Exact,
    /// The end of the path or a `/` (a file, or a directory and what is below it).
    SlashOrPathEnd,
}

/// One step of a pattern, as the regex translation has it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Atom {
    /// Literal text (it may hold `/`).
    Lit(String),
    /// `?`: one character but `/`.
    One,
    /// `[...]`: one character of the class (index into the classes).
    Class(usize),
    /// `*`: any characters but `/`.
    Star,
    /// `**/`: nothing, or any characters but newline followed by `/`.
    Dirs,
    /// A trailing `**`: any characters but newline.
    Rest,
}

/// A parsed pattern before its classes are decided; equal specs match the same paths.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct GlobSpec {
    start: Start,
    atoms: Vec<Atom>,
    end: After,
    /// The regex source of each class.
    classes: Vec<String>,
}

/// The characters a class matches, as the sorted code points at which membership flips
/// (starting outside).
#[derive(Debug)]
struct CharSet {
    flips: Vec<u32>,
}

impl CharSet {
    /// Decides the regex class `source` with the regex crate. Membership of a class made of
    /// literal characters, ranges and set operations can only change at a character it names
    /// or the one after, so probing those decides it everywhere.
    fn compile(source: &str) -> Result<CharSet, regex::Error> {
        let regex = RegexBuilder::new(&format!(r"\A{source}\z"))
            .size_limit(CLASS_REGEX_LIMIT_BYTES)
            .dfa_size_limit(CLASS_REGEX_LIMIT_BYTES)
            .build()?;
        let mut points: Vec<u32> = vec![0];
        for c in source.chars() {
            points.push(c as u32);
            points.push(c as u32 + 1);
        }
        points.sort_unstable();
        points.dedup();
        let mut flips = Vec::new();
        let mut inside = false;
        let mut buffer = [0u8; 4];
        for point in points {
            let probe = match char::from_u32(point) {
                Some(c) => c,
                // No character lies in the surrogate gap: the next one is U+E000.
                None if (0xD800..0xE000).contains(&point) => '\u{E000}',
                None => continue,
            };
            let member = regex.is_match(probe.encode_utf8(&mut buffer));
            if member != inside {
                flips.push(point);
                inside = member;
            }
        }
        Ok(CharSet { flips })
    }

    fn contains(&self, c: char) -> bool {
        self.flips.partition_point(|&flip| flip <= c as u32) % 2 == 1
    }
}

thread_local! {
    /// The position sets of [`Glob::simulate`], reused between calls.
    static STATES: RefCell<Vec<[u64; 2]>> = const { RefCell::new(Vec::new()) };
}

/// A compiled pattern.
#[derive(Debug)]
struct Glob {
    start: Start,
    atoms: Vec<Atom>,
    end: After,
    classes: Vec<CharSet>,
    /// The longest literal: a path without it cannot match, which most paths show at once.
    required: Option<String>,
    /// Bit `s` set when atom `s` is of the kind: the wildcards step all at once.
    masks: Masks,
    /// Whether no atom can match a `/` (`*.rs`, `lib?.rs`): a match is then one whole
    /// component, so only components are simulated, and only those ending with
    /// `last_literal`.
    within_component: bool,
    last_literal: Option<String>,
}

/// The atoms of each kind, as bit sets over atom indices.
#[derive(Debug, Default)]
struct Masks {
    /// Atoms that match the empty string (`*`, `**/`, a trailing `**`).
    empty: u64,
    star: u64,
    one: u64,
    dirs: u64,
    rest: u64,
    /// Literals and classes, stepped one by one.
    other: u64,
}

impl Glob {
    fn new(spec: &GlobSpec, classes: Vec<CharSet>) -> Glob {
        let mut masks = Masks::default();
        let mut required: Option<&str> = None;
        for (s, atom) in spec.atoms.iter().enumerate() {
            let bit = 1u64 << s;
            match atom {
                Atom::Lit(text) => {
                    masks.other |= bit;
                    if required.is_none_or(|r| r.len() < text.len()) {
                        required = Some(text);
                    }
                }
                Atom::Class(_) => masks.other |= bit,
                Atom::One => masks.one |= bit,
                Atom::Star => {
                    masks.star |= bit;
                    masks.empty |= bit;
                }
                Atom::Dirs => {
                    masks.dirs |= bit;
                    masks.empty |= bit;
                }
                Atom::Rest => {
                    masks.rest |= bit;
                    masks.empty |= bit;
                }
            }
        }
        let within_component = spec.atoms.iter().all(|atom| match atom {
            Atom::Lit(text) => !text.contains('/'),
            Atom::Class(class) => !classes[*class].contains('/'),
            Atom::One | Atom::Star => true,
            Atom::Dirs | Atom::Rest => false,
        });
        let last_literal = match spec.atoms.last() {
            Some(Atom::Lit(text)) => Some(text.clone()),
            _ => None,
        };
        Glob {
            start: spec.start,
            atoms: spec.atoms.clone(),
            end: spec.end,
            classes,
            required: required.map(str::to_string),
            masks,
            within_component,
            last_literal,
        }
    }

    fn is_match(&self, path: &str) -> bool {
        if let [Atom::Lit(literal)] = self.atoms.as_slice() {
            return self.literal_match(literal, path);
        }
        if let Some(required) = &self.required
            && !path.contains(required.as_str())
        {
            return false;
        }
        STATES.with(|states| {
            let states = &mut states.borrow_mut();
            if !self.within_component {
                return self.simulate(path, self.start, self.end, states);
            }
            starts(self.start, path).any(|at| {
                let end = path[at..].find('/').map_or(path.len(), |slash| at + slash);
                let component = &path[at..end];
                end_fits(self.end, path, end)
                    && self
                        .last_literal
                        .as_ref()
                        .is_none_or(|last| component.ends_with(last.as_str()))
                    && self.simulate(component, Start::Root, After::Exact, states)
            })
        })
    }

    fn literal_match(&self, literal: &str, path: &str) -> bool {
        starts(self.start, path).any(|at| {
            path[at..].starts_with(literal) && end_fits(self.end, path, at + literal.len())
        })
    }

    /// A Thompson simulation over byte positions: `states[pos]` holds the atoms that may
    /// start at `pos` (bit `s`: about to match atom `s`; bit `n`: all matched) and, in its
    /// second word, the `**/` atoms inside their `.*`. Each position is visited once; the
    /// wildcards step together as bit sets and each live literal or class once, so the cost
    /// is O(path length × atoms); atoms are at most 2 × [`MAX_PATTERN_WILDCARDS`] + 1, within
    /// a `u64`.
    fn simulate(&self, path: &str, start: Start, end: After, states: &mut Vec<[u64; 2]>) -> bool {
        let n = self.atoms.len();
        debug_assert!(n < 64);
        let len = path.len();
        states.clear();
        states.resize(len + 1, [0, 0]);
        let mut horizon = 0;
        for at in starts(start, path) {
            states[at][0] |= 1;
            horizon = at;
        }
        let done = 1u64 << n;
        let mut pos = 0;
        while pos <= horizon {
            let [mut at, mut inside] = states[pos];
            if at == 0 && inside == 0 {
                pos += 1;
                continue;
            }
            // What matches the empty string: `*`, `**/`, a trailing `**`.
            let masks = &self.masks;
            loop {
                let more = (at & masks.empty) << 1;
                if more & !at == 0 {
                    break;
                }
                at |= more;
            }
            inside |= at & masks.dirs;
            if at & done != 0 && end_fits(end, path, pos) {
                return true;
            }
            let Some(c) = path[pos..].chars().next() else {
                break;
            };
            let next = pos + c.len_utf8();
            let (mut next_at, mut next_inside) = (0u64, 0u64);
            if c != '/' {
                next_at |= (at & masks.star) | ((at & masks.one) << 1);
            }
            if c != '\n' {
                next_at |= at & masks.rest;
                next_inside |= inside;
            }
            if c == '/' {
                next_at |= inside << 1;
            }
            let mut live = at & masks.other;
            while live != 0 {
                let s = live.trailing_zeros() as usize;
                live &= live - 1;
                match &self.atoms[s] {
                    Atom::Lit(literal) if path[pos..].starts_with(literal.as_str()) => {
                        let to = pos + literal.len();
                        states[to][0] |= 1 << (s + 1);
                        horizon = horizon.max(to);
                    }
                    Atom::Class(class) if self.classes[*class].contains(c) => {
                        next_at |= 1 << (s + 1)
                    }
                    _ => {}
                }
            }
            if next_at | next_inside != 0 {
                states[next][0] |= next_at;
                states[next][1] |= next_inside;
                horizon = horizon.max(next);
            }
            pos = next;
        }
        false
    }
}

/// The positions a pattern with `start` may begin matching `path` at, ascending.
fn starts(start: Start, path: &str) -> impl Iterator<Item = usize> + '_ {
    let limit = match start {
        Start::Root => 0,
        Start::Component => path.len(),
        Start::ComponentBeforeNewline => path.find('\n').unwrap_or(path.len()),
    };
    std::iter::once(0).chain(
        path.match_indices('/')
            .map(|(at, _)| at)
            .take_while(move |&at| at < limit)
            .map(|at| at + 1),
    )
}

/// Whether what follows position `at` of `path` is what `end` asks after a match.
fn end_fits(end: After, path: &str, at: usize) -> bool {
    let next = path.as_bytes().get(at);
    match end {
        After::Slash => next == Some(&b'/'),
        After::Exact => at == path.len(),
        After::SlashOrPathEnd => next.is_none_or(|&byte| byte == b'/'),
    }
}

/// Parses a pattern into atoms exactly as [`regex_source`] translates it, with adjacent
/// atoms of one meaning merged (`**` inside a component is `*`, `**/**/` is `**/`) and a
/// leading `**/` of an anchored pattern turned into its start. Returns the spec and the
/// number of wildcards as written.
fn parse_pattern(pattern: &str) -> Result<(GlobSpec, usize), String> {
    let slash = pattern.find('/');
    let anchored = slash.is_some_and(|pos| pos != pattern.len() - 1);
    let end = if pattern.ends_with('/') {
        After::Slash
    } else if pattern.ends_with("/*") {
        After::Exact
    } else {
        After::SlashOrPathEnd
    };
    let trimmed: Vec<char> = pattern.trim_matches('/').chars().collect();
    let mut atoms: Vec<Atom> = Vec::new();
    let mut classes = Vec::new();
    let mut wildcards = 0;
    let mut after_star = false;
    let mut escaped = false;
    let mut i = 0;
    let push = |atoms: &mut Vec<Atom>, atom: Atom| match (atoms.last_mut(), atom) {
        (Some(Atom::Lit(text)), Atom::Lit(more)) => text.push_str(&more),
        (Some(Atom::Star), Atom::Star) | (Some(Atom::Dirs), Atom::Dirs) => {}
        (_, atom) => atoms.push(atom),
    };
    while i < trimmed.len() {
        let c = trimmed[i];
        if escaped {
            push(&mut atoms, Atom::Lit(c.to_string()));
            escaped = false;
            after_star = false;
            i += 1;
            continue;
        }
        if c == '*' && !after_star {
            wildcards += 1;
        }
        match c {
            '\\' => escaped = true,
            '*' if trimmed.get(i + 1) == Some(&'*') => {
                let starts_component = i == 0 || trimmed[i - 1] == '/';
                let ends_pattern = i + 2 == trimmed.len();
                let before_slash = trimmed.get(i + 2) == Some(&'/');
                if starts_component && (ends_pattern || before_slash) {
                    if before_slash {
                        push(&mut atoms, Atom::Dirs);
                        i += 3;
                        after_star = false;
                    } else {
                        push(&mut atoms, Atom::Rest);
                        i += 2;
                        after_star = true;
                    }
                    continue;
                }
                push(&mut atoms, Atom::Star);
            }
            '*' => push(&mut atoms, Atom::Star),
            '?' => {
                wildcards += 1;
                push(&mut atoms, Atom::One);
            }
            '[' => {
                let (class, end) = character_class(&trimmed, i)?;
                wildcards += 1;
                atoms.push(Atom::Class(classes.len()));
                classes.push(class);
                after_star = false;
                i = end;
                continue;
            }
            c => push(&mut atoms, Atom::Lit(c.to_string())),
        }
        after_star = c == '*';
        i += 1;
    }
    let start = if !anchored {
        Start::Component
    } else if atoms.first() == Some(&Atom::Dirs) {
        // `\A(?:.*/)?` starts at the root or after any `/` before the first newline.
        atoms.remove(0);
        Start::ComponentBeforeNewline
    } else {
        Start::Root
    };
    let spec = GlobSpec {
        start,
        atoms,
        end,
        classes,
    };
    Ok((spec, wildcards))
}

/// Translates a pattern to a regex over root-relative paths: the definition of what a
/// pattern means. Matching uses [`Glob`], which follows it atom for atom; this is compiled
/// only to word the error of a class the regex crate rejects, and by the tests as an oracle.
fn regex_source(pattern: &str) -> Result<String, String> {
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
    Ok(regex)
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

// ---- the index -------------------------------------------------------------------------

/// Distinct patterns (matchers) and where a path finds the ones that can match it.
#[derive(Debug, Clone, Default)]
struct Index {
    matchers: Vec<Matcher>,
    /// Anchored patterns by their literal leading components (`crates/core` for
    /// `/crates/core/`, `docs` for `/docs/**/*.md`).
    anchored: HashMap<Box<str>, Vec<u32>>,
    /// Unanchored patterns (and `**/` ones) by their literal leading components, which must
    /// be consecutive components of the path anywhere.
    floating: HashMap<Box<str>, Vec<u32>>,
    /// Patterns by a literal last component (`*/Cargo.toml`).
    names: HashMap<Box<str>, Vec<u32>>,
    /// Patterns by the extension their last component ends with (`*.rs`, `.rubocop*.yml`).
    extensions: HashMap<Box<str>, Vec<u32>>,
    /// Patterns tried on every path.
    unindexed: Vec<u32>,
}

#[derive(Debug, Clone)]
struct Matcher {
    glob: Arc<Glob>,
    /// Of the rules with this pattern, the last of each section: what a match contributes.
    last_by_section: Vec<u32>,
}

/// Where a matcher is filed.
enum Slot<'a> {
    Anchored(&'a str),
    Floating(&'a str),
    Name(&'a str),
    Extension(&'a str),
    Unindexed,
}

impl Index {
    /// The matchers that may match `path`, ascending, each once: a superset of those that do.
    fn candidates(&self, path: &str, out: &mut Vec<u32>) {
        out.clear();
        out.extend_from_slice(&self.unindexed);
        // Component `i` is `path[starts[i]..ends[i]]`.
        let mut starts = vec![0];
        let mut ends = Vec::new();
        for (at, _) in path.match_indices('/') {
            ends.push(at);
            starts.push(at + 1);
        }
        ends.push(path.len());
        let lookup = |map: &HashMap<Box<str>, Vec<u32>>, key: &str, out: &mut Vec<u32>| {
            if let Some(found) = map.get(key) {
                out.extend_from_slice(found);
            }
        };
        if !self.anchored.is_empty() {
            for &end in ends.iter().take(ANCHORED_KEY_COMPONENTS) {
                lookup(&self.anchored, &path[..end], out);
            }
        }
        for (i, &start) in starts.iter().enumerate() {
            if !self.floating.is_empty() {
                for &end in ends[i..].iter().take(FLOATING_KEY_COMPONENTS) {
                    lookup(&self.floating, &path[start..end], out);
                }
            }
            let component = &path[start..ends[i]];
            if !self.names.is_empty() {
                lookup(&self.names, component, out);
            }
            if !self.extensions.is_empty()
                && let Some(dot) = component.rfind('.')
            {
                lookup(&self.extensions, &component[dot + 1..], out);
            }
        }
        if out.len() > 1 {
            out.sort_unstable();
            out.dedup();
        }
    }
}

/// Where a spec is filed, and whether it needs a glob match attempt (counted against
/// [`MAX_WILDCARD_PATTERNS`]). A pattern that is literal (or literal then `/**`) and fully
/// keyed is decided by its key and end alone: at most a few such patterns share a key.
fn slot(spec: &GlobSpec) -> (Slot<'_>, bool) {
    let atoms = spec.atoms.as_slice();
    let literal = match atoms {
        [Atom::Lit(_)] => true,
        [Atom::Lit(text), Atom::Rest] => text.ends_with('/'),
        _ => false,
    };
    // Whole leading components that are literal: up to the literal's last `/`, or all of it
    // when the pattern is just the literal; the path must have them, then a `/` or its end.
    let key = match atoms {
        [Atom::Lit(text)] => Some(text.as_str()),
        [Atom::Lit(text), ..] => text.rfind('/').map(|at| &text[..at]),
        _ => None,
    };
    if let Some(key) = key {
        let limit = match spec.start {
            Start::Root => ANCHORED_KEY_COMPONENTS,
            Start::Component | Start::ComponentBeforeNewline => FLOATING_KEY_COMPONENTS,
        };
        let (key, cut) = match key.match_indices('/').nth(limit - 1) {
            Some((at, _)) => (&key[..at], true),
            None => (key, false),
        };
        let slot = match spec.start {
            Start::Root => Slot::Anchored(key),
            Start::Component | Start::ComponentBeforeNewline => Slot::Floating(key),
        };
        return (slot, !literal || cut);
    }
    // The last atom, when literal, ends the path component it is in.
    if let Some(Atom::Lit(text)) = atoms.last() {
        if let Some(at) = text.rfind('/') {
            return (Slot::Name(&text[at + 1..]), true);
        }
        if let Some(dot) = text.rfind('.') {
            return (Slot::Extension(&text[dot + 1..]), true);
        }
    }
    (Slot::Unindexed, true)
}

#[derive(Default)]
struct IndexBuilder {
    index: Index,
    by_spec: HashMap<GlobSpec, u32>,
    wildcard_patterns: usize,
    unindexed_patterns: usize,
}

impl IndexBuilder {
    /// The matcher of `pattern`: an existing one for an equal spec, or a new one, filed.
    fn matcher_for(&mut self, pattern: &str) -> Result<u32, String> {
        let (spec, wildcards) = parse_pattern(pattern)?;
        if wildcards > MAX_PATTERN_WILDCARDS {
            return Err(format!(
                "{wildcards} wildcards, more than the {MAX_PATTERN_WILDCARDS} a pattern may have"
            ));
        }
        if let Some(&id) = self.by_spec.get(&spec) {
            return Ok(id);
        }
        let (slot, wildcard) = slot(&spec);
        if wildcard && self.wildcard_patterns >= MAX_WILDCARD_PATTERNS {
            return Err(format!(
                "more than {MAX_WILDCARD_PATTERNS} distinct patterns need a wildcard match"
            ));
        }
        let unindexed = matches!(slot, Slot::Unindexed);
        if unindexed && self.unindexed_patterns >= MAX_UNINDEXED_PATTERNS {
            return Err(format!(
                "more than {MAX_UNINDEXED_PATTERNS} distinct patterns have no literal leading \
                 directory, last component or extension, and each is tried on every path"
            ));
        }
        let classes = spec
            .classes
            .iter()
            .map(|class| CharSet::compile(class))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| {
                // Worded as the translation of the whole pattern is rejected.
                match regex_source(pattern).map(|source| Regex::new(&source)) {
                    Ok(Err(whole)) => whole.to_string(),
                    _ => err.to_string(),
                }
            })?;
        let id = self.index.matchers.len() as u32;
        let key = |text: &str| Box::<str>::from(text);
        match slot {
            Slot::Anchored(text) => self.index.anchored.entry(key(text)).or_default().push(id),
            Slot::Floating(text) => self.index.floating.entry(key(text)).or_default().push(id),
            Slot::Name(text) => self.index.names.entry(key(text)).or_default().push(id),
            Slot::Extension(text) => self.index.extensions.entry(key(text)).or_default().push(id),
            Slot::Unindexed => self.index.unindexed.push(id),
        }
        self.wildcard_patterns += usize::from(wildcard);
        self.unindexed_patterns += usize::from(unindexed);
        let glob = Glob::new(&spec, classes);
        self.index.matchers.push(Matcher {
            glob: Arc::new(glob),
            last_by_section: Vec::new(),
        });
        self.by_spec.insert(spec, id);
        Ok(id)
    }

    /// The index, with each matcher's last rule per section.
    fn finish(mut self, rules: &[CodeownersRule]) -> Index {
        let mut last: Vec<(u32, u32, u32)> = rules
            .iter()
            .enumerate()
            .map(|(index, rule)| (rule.matcher, rule.section_key, index as u32))
            .collect();
        last.sort_unstable();
        for (i, &(matcher, section, rule)) in last.iter().enumerate() {
            let next = last.get(i + 1);
            if next.is_none_or(|&(m, s, _)| (m, s) != (matcher, section)) {
                self.index.matchers[matcher as usize]
                    .last_by_section
                    .push(rule);
            }
        }
        self.index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The regex translation compiled: what matching meant before the index, and means now.
    fn oracle(pattern: &str) -> Option<Regex> {
        Regex::new(&regex_source(pattern).ok()?).ok()
    }

    /// A small deterministic generator (xorshift), so that failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[(self.next() % items.len() as u64) as usize]
        }
    }

    fn random_pattern(rng: &mut Rng) -> String {
        const PIECES: &[&str] = &[
            "a", "b", "ab", ".rs", "/", "/", "*", "*", "**", "**/", "?", "[ab]", "[!a]", "[a-c]",
            "\\*", "\\ ", "é", "x.y", "[]]", "[!-a]", "-", ".", "[c-a]", "[/a]", "\\",
        ];
        let count = 1 + rng.next() % 6;
        let mut pattern: String = (0..count).map(|_| rng.pick(PIECES)).collect();
        // Not a negation, a section header or a comment.
        if pattern.starts_with(['!', '[', '^', '#']) {
            pattern.insert(0, 'a');
        }
        pattern
    }

    fn random_path(rng: &mut Rng) -> String {
        const PIECES: &[&str] = &[
            "a", "b", "ab", "/", "/", "/", ".rs", "x.y", "c", "\n", "é", "*", " ", "-", "]", "!",
        ];
        let count = rng.next() % 9;
        (0..count).map(|_| rng.pick(PIECES)).collect()
    }

    /// Every pattern means what its regex translation means, on paths with the characters
    /// that matter (separators, newlines, which `.` does not cross, multi-byte characters),
    /// and the index never hides a matching rule.
    #[test]
    fn globs_and_the_index_agree_with_the_regex_translation() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut compared = 0;
        let mut matched = 0;
        for _ in 0..3_000 {
            let pattern = random_pattern(&mut rng);
            let line = format!("{pattern} @o");
            if split_fields(&line) != [pattern.as_str(), "@o"] {
                continue; // an escape took the space
            }
            let facts = extract_codeowners(&line);
            let regex = oracle(&pattern);
            assert_eq!(
                facts.rules.len(),
                usize::from(regex.is_some()),
                "{pattern:?}: {:?}",
                facts.problems
            );
            let Some(regex) = regex else { continue };
            for _ in 0..40 {
                let path = random_path(&mut rng);
                let expected = regex.is_match(&path);
                assert_eq!(
                    facts.rules[0].matches(&path),
                    expected,
                    "{pattern:?} on {path:?} ({})",
                    regex.as_str()
                );
                assert_eq!(
                    !facts.matches(&path).is_empty(),
                    expected,
                    "index: {pattern:?} on {path:?}"
                );
                compared += 1;
                matched += usize::from(expected);
            }
        }
        assert!(
            compared > 50_000 && matched > 5_000,
            "{matched} of {compared}"
        );
    }

    /// Many rules at once: `matches` gives the last matching rule per section, as trying
    /// every rule from the end did.
    #[test]
    fn matches_is_the_last_matching_rule_of_each_section() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..200 {
            let mut text = String::new();
            for i in 0..30 {
                if rng.next().is_multiple_of(8) {
                    text.push_str(["[One]\n", "[two]\n", "[ONE] @d\n"][i % 3]);
                }
                text.push_str(&format!("{} @o{i}\n", random_pattern(&mut rng)));
            }
            let facts = extract_codeowners(&text);
            let oracles: Vec<Regex> = facts
                .rules
                .iter()
                .map(|rule| oracle(&rule.pattern).unwrap())
                .collect();
            for _ in 0..30 {
                let path = random_path(&mut rng);
                let mut expected: Vec<&CodeownersRule> = Vec::new();
                for (rule, regex) in facts.rules.iter().zip(&oracles).rev() {
                    if !expected.iter().any(|d| d.section == rule.section) && regex.is_match(&path)
                    {
                        expected.push(rule);
                    }
                }
                expected.reverse();
                let lines: Vec<u32> = expected.iter().map(|r| r.line).collect();
                let got: Vec<u32> = facts.matches(&path).iter().map(|m| m.line).collect();
                assert_eq!(got, lines, "{path:?} in\n{text}");
            }
            let paths: Vec<String> = (0..20).map(|_| random_path(&mut rng)).collect();
            let stale: Vec<u32> = facts
                .rules_matching_none(paths.iter().map(String::as_str))
                .iter()
                .map(|r| r.line)
                .collect();
            let expected: Vec<u32> = facts
                .rules
                .iter()
                .filter(|rule| !paths.iter().any(|p| rule.matches(p)))
                .map(|r| r.line)
                .collect();
            assert_eq!(stale, expected);
        }
    }

    #[test]
    fn classes_are_decided_by_the_characters_they_name() {
        for (source, inside, outside) in [
            ("[a-c]", "abc", "d`-/"),
            ("[^/a]", "b\n-é\u{E000}", "a/"),
            (r"[^/\]]", "a", "]/"),
            ("[^/-a]", "-", "/0a"),
        ] {
            let set = CharSet::compile(source).unwrap();
            for c in inside.chars() {
                assert!(set.contains(c), "{source} holds {c:?}");
            }
            for c in outside.chars() {
                assert!(!set.contains(c), "{source} lacks {c:?}");
            }
        }
    }
}
