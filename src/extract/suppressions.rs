//! Suppression comments: `// capgraph: allow(BND001) reason: <text>` in Rust, and
//! `# capgraph: allow(BND001) reason: <text>` in Cargo.toml. A comment at the end of a line
//! covers that line; a comment on a line of its own covers the item below it (in Rust the
//! whole item, statement, field or match arm that starts on the next line; in TOML the next
//! key, or the whole table when the next line is a `[table]` header).

use std::sync::LazyLock;

/// One suppression comment, as written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SuppressionFact {
    /// The line of the comment.
    pub line: u32,
    /// The rule ids or names inside `allow(..)`, as written.
    pub rules: Vec<String>,
    /// The text after `reason:`, trimmed; `None` when absent or empty.
    pub reason: Option<String>,
    /// The first and last line the suppression covers.
    pub covers: (u32, u32),
    /// Whether the comment stands on a line of its own (it then covers the item below).
    pub own_line: bool,
}

/// Which comment syntax a file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentStyle {
    /// `//`, for Rust.
    Slashes,
    /// `#`, for TOML.
    Hash,
}

static ALLOW: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"capgraph:\s*allow\s*\(([^)]*)\)\s*(?:reason\s*:\s*(.*))?")
        .expect("static pattern")
});

/// Finds the suppression comments of a text. Lines covered by an own-line comment are set to
/// the next code line only; Rust callers widen them to the item with [`widen`].
pub fn scan(text: &str, style: CommentStyle) -> Vec<SuppressionFact> {
    if !text.contains("capgraph:") {
        return Vec::new();
    }
    let marker = match style {
        CommentStyle::Slashes => "//",
        CommentStyle::Hash => "#",
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(comment_at) = line.find(marker) else {
            continue;
        };
        let comment = &line[comment_at..];
        let Some(captures) = ALLOW.captures(comment) else {
            continue;
        };
        let rules: Vec<String> = captures[1]
            .split(',')
            .map(|rule| rule.trim().to_string())
            .filter(|rule| !rule.is_empty())
            .collect();
        let reason = captures
            .get(2)
            .map(|reason| {
                reason
                    .as_str()
                    .trim()
                    .trim_end_matches("*/")
                    .trim()
                    .to_string()
            })
            .filter(|reason| !reason.is_empty());
        let number = index as u32 + 1;
        let own_line = line[..comment_at].trim().is_empty();
        let covers = if own_line {
            let next = lines.iter().enumerate().skip(index + 1).find(|(_, l)| {
                let t = l.trim();
                !t.is_empty() && !t.starts_with(marker)
            });
            match next {
                Some((next_index, next_line)) => {
                    let start = next_index as u32 + 1;
                    let end = match style {
                        CommentStyle::Hash if next_line.trim_start().starts_with('[') => {
                            // A table header: the whole table, up to the next header.
                            lines
                                .iter()
                                .enumerate()
                                .skip(next_index + 1)
                                .find(|(_, l)| l.trim_start().starts_with('['))
                                .map_or(lines.len() as u32, |(i, _)| i as u32)
                        }
                        _ => start,
                    };
                    (start, end)
                }
                None => (number, number),
            }
        } else {
            (number, number)
        };
        out.push(SuppressionFact {
            line: number,
            rules,
            reason,
            covers,
            own_line,
        });
    }
    out
}

/// Widens the own-line suppressions of a parsed Rust file to the end of the item,
/// statement, field or match arm that starts on the line they cover.
pub fn widen(suppressions: &mut [SuppressionFact], file: &syn::File) {
    use syn::spanned::Spanned;
    use syn::visit::Visit;

    /// Per own-line suppression: its comment line, the code line it covers, and the end of
    /// the widest node starting between the two (doc comments and attributes belong to the
    /// item below them, so a node may start before the code line).
    struct Extents<'a> {
        starts: &'a mut [(u32, u32, u32)],
    }
    impl Extents<'_> {
        fn note(&mut self, span: proc_macro2::Span) {
            let (start, end) = (span.start().line as u32, span.end().line as u32);
            for (comment, code, extent) in self.starts.iter_mut() {
                if start > *comment && start <= *code && end > *extent {
                    *extent = end;
                }
            }
        }
    }
    impl<'ast> Visit<'ast> for Extents<'_> {
        fn visit_item(&mut self, node: &'ast syn::Item) {
            self.note(node.span());
            syn::visit::visit_item(self, node);
        }
        fn visit_impl_item(&mut self, node: &'ast syn::ImplItem) {
            self.note(node.span());
            syn::visit::visit_impl_item(self, node);
        }
        fn visit_trait_item(&mut self, node: &'ast syn::TraitItem) {
            self.note(node.span());
            syn::visit::visit_trait_item(self, node);
        }
        fn visit_stmt(&mut self, node: &'ast syn::Stmt) {
            self.note(node.span());
            syn::visit::visit_stmt(self, node);
        }
        fn visit_field(&mut self, node: &'ast syn::Field) {
            self.note(node.span());
            syn::visit::visit_field(self, node);
        }
        fn visit_field_value(&mut self, node: &'ast syn::FieldValue) {
            self.note(node.span());
            syn::visit::visit_field_value(self, node);
        }
        fn visit_arm(&mut self, node: &'ast syn::Arm) {
            self.note(node.span());
            syn::visit::visit_arm(self, node);
        }
    }

    let mut starts: Vec<(u32, u32, u32)> = suppressions
        .iter()
        .filter(|s| s.own_line)
        .map(|s| (s.line, s.covers.0, s.covers.1))
        .collect();
    if starts.is_empty() {
        return;
    }
    Extents {
        starts: &mut starts,
    }
    .visit_file(file);
    let mut widened = starts.into_iter();
    for suppression in suppressions.iter_mut().filter(|s| s.own_line) {
        if let Some((_, code, extent)) = widened.next() {
            suppression.covers = (code, extent);
        }
    }
}
