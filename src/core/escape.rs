//! Escaping of text that comes from the scanned repositories, one function per output. File
//! names, crate names, owners and the messages quoting them are chosen by whoever wrote the
//! repository; every renderer passes them through the function of its output, so that they
//! show literally and never act: no terminal escape sequences, no GitHub workflow commands,
//! no live links, images or mentions, no broken table rows, no SARIF embedded links.
//!
//! - [`terminal`] for a value on a terminal or in a CI log, and [`log_line`] / [`log_text`]
//!   for whole lines: control characters shown as `\u{1b}`, `\n`, …; no line a CI runner
//!   takes for a command.
//! - [`markdown`] for a value in a Markdown table cell or heading (GitHub Flavored Markdown).
//! - [`workflow_data`] and [`workflow_property`] for GitHub workflow commands.
//! - [`sarif_text`] for SARIF plain-text messages and [`uri_path`] for SARIF `uri`s.
//! - [`write_json`] for JSON documents (findings, graph, SARIF): the same data, with what
//!   serde_json leaves raw and a log would obey written as `\u` escapes.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters a terminal or a viewer obeys instead of showing: C0 and C1 controls and DEL
/// (escape sequences, bells, carriage returns, line breaks), the bidirectional overrides and
/// isolates that reorder what is shown ("Trojan Source"), and the Unicode line and paragraph
/// separators.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

fn push_visible(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// A value for a terminal or a CI log: every character of [`is_unsafe`] shown as its Rust
/// escape (`\u{1b}`, `\u{7}`, `\n`, `\r`, `\t`), so that a value stays on its line and sends
/// nothing to the terminal.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One line as written to stdout or stderr (without its `\n`), made so that a CI runner never
/// takes it for a command: GitHub Actions runs a line that starts with `::` after leading
/// white space (`::error::`, `::add-mask::`, `::stop-commands::`), and a line holding `##[`
/// anywhere (its legacy form; Azure Pipelines' `##vso[` likewise). Such a line gets its first
/// `:` shown as `\u{3a}` and the second `#` of `##[` as `\u{23}`. The values in the line
/// must already have gone through [`terminal`]; the line may carry capgraph's own colours
/// (SGR sequences), which are skipped when looking at its start.
pub fn log_line(line: &str) -> Cow<'_, str> {
    let start = command_start(line);
    let commands = line[start..].starts_with("::");
    let legacy = has_legacy_command(line);
    if !commands && !legacy {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    out.push_str(&line[..start]);
    let mut rest = &line[start..];
    if commands {
        out.push_str("\\u{3a}");
        rest = &rest[1..];
    }
    if legacy {
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            out.push(c);
            if c == '#' && is_legacy_prefix(&rest[i..]) {
                chars.next();
                out.push_str("\\u{23}");
            }
        }
    } else {
        out.push_str(rest);
    }
    Cow::Owned(out)
}

/// Text of several lines made by capgraph (a rendered error, an explanation): each line has
/// its unsafe characters escaped and goes through [`log_line`]. The line breaks stay; use it
/// only where they are capgraph's own, and [`terminal`] for each value otherwise.
pub fn log_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&log_line(&terminal(line)));
    }
    out
}

/// Text whose values already went through [`terminal`] (and which may carry capgraph's
/// colours), each line through [`log_line`]; the line breaks stay.
pub fn log_lines(text: &str) -> Cow<'_, str> {
    if !text.contains("::") && !text.contains("##") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&log_line(line));
    }
    Cow::Owned(out)
}

/// Where a runner looks for `::`: after leading white space (as .NET's `TrimStart`) and
/// after SGR sequences (`ESC [ … m`, capgraph's colours).
fn command_start(line: &str) -> usize {
    let bytes = line.as_bytes();
    let mut i = 0;
    loop {
        if bytes.get(i) == Some(&0x1b) && bytes.get(i + 1) == Some(&b'[') {
            let mut j = i + 2;
            while bytes
                .get(j)
                .is_some_and(|b| b.is_ascii_digit() || *b == b';')
            {
                j += 1;
            }
            if bytes.get(j) == Some(&b'm') {
                i = j + 1;
                continue;
            }
        }
        match line[i..].chars().next() {
            Some(c) if c.is_whitespace() => i += c.len_utf8(),
            _ => return i,
        }
    }
}

fn is_legacy_prefix(text: &str) -> bool {
    let lower = text.get(..6).map(str::to_ascii_lowercase);
    text.starts_with("##[") || lower.as_deref() == Some("##vso[")
}

fn has_legacy_command(line: &str) -> bool {
    line.match_indices("##")
        .any(|(i, _)| is_legacy_prefix(&line[i..]))
}

/// Text for a Markdown table cell or heading that renders literally on GitHub: unsafe
/// characters shown escaped (so no line break ends the row), `|` and the characters of
/// emphasis, code, links and images (`` \ ` * _ ~ [ ] ( ) ! ``), math (`$`) backslash-escaped,
/// `:` escaped (no `http://` autolink) as is the `.` of `www.`, `<`, `>` and `&` as entities
/// (no HTML), and a zero-width space after `@` and `#`, so that no person or team is
/// mentioned and no issue referenced (GitHub links those in the rendered text, where
/// backslashes and entities are gone).
pub fn markdown(text: &str) -> String {
    let text = terminal(text);
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '(' | ')' | '!' | '|' | '$' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '.' if out.len() >= 3
                && out.as_bytes()[out.len() - 3..].eq_ignore_ascii_case(b"www") =>
            {
                out.push_str("\\.");
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '@' | '#' => {
                out.push(c);
                out.push_str("&#8203;");
            }
            c => out.push(c),
        }
    }
    out
}

/// The message of a GitHub workflow command, escaped as GitHub's toolkit does (`%`, CR and
/// LF as `%25`, `%0D`, `%0A`: a multi-line message stays one command); other unsafe
/// characters shown as in [`terminal`].
pub fn workflow_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if is_unsafe(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// A property of a GitHub workflow command (`file=`, `title=`): as [`workflow_data`], and
/// `:` and `,` as `%3A` and `%2C`, so that the value ends neither the properties nor the
/// command.
pub fn workflow_property(text: &str) -> String {
    workflow_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A SARIF plain-text message: unsafe characters shown as in [`terminal`], `\`, `[` and `]`
/// backslash-escaped so that nothing reads as an embedded link (`[text](url)`, §3.11.6),
/// and `{`, `}` doubled so that nothing reads as a placeholder (§3.11.5).
pub fn sarif_text(text: &str) -> String {
    let text = terminal(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '{' => out.push_str("{{"),
            '}' => out.push_str("}}"),
            c => out.push(c),
        }
    }
    out
}

/// A relative path as a URI reference (RFC 3986): every byte of its UTF-8 outside the
/// unreserved characters (`A-Z a-z 0-9 - . _ ~`) and the `/` separator percent-encoded, so
/// that spaces, `%`, `#`, `?`, `:`, `<`, quotes and line breaks are data, never syntax.
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Writes `value` as pretty JSON (as `serde_json::to_writer_pretty`), with the characters of
/// [`is_unsafe`] that serde_json leaves raw (DEL, C1 controls, bidirectional controls, line
/// and paragraph separators) written as `\uXXXX`, and the second `#` of `##[` or `##vso[` as
/// `\u0023`: the document means the same, and printed in a CI log it is no legacy workflow
/// command and sends nothing to a terminal. `#` and those characters occur only inside
/// strings, where such escapes are plain JSON.
pub fn write_json<T: serde::Serialize + ?Sized>(
    value: &T,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(
        out,
        LogSafeFormatter(serde_json::ser::PrettyFormatter::new()),
    );
    value
        .serialize(&mut serializer)
        .map_err(std::io::Error::from)
}

/// serde_json's pretty formatter, with string fragments escaped for logs ([`write_json`]).
struct LogSafeFormatter<'a>(serde_json::ser::PrettyFormatter<'a>);

impl serde_json::ser::Formatter for LogSafeFormatter<'_> {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        if !fragment.chars().any(is_unsafe) && !has_legacy_command(fragment) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut out = String::with_capacity(fragment.len() + 8);
        let mut chars = fragment.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if is_unsafe(c) {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            } else if c == '#' && is_legacy_prefix(&fragment[i..]) {
                chars.next();
                out.push_str("#\\u0023");
            } else {
                out.push(c);
            }
        }
        writer.write_all(out.as_bytes())
    }

    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_shows_controls() {
        assert_eq!(
            terminal("a\u{1b}[31mb\u{7}\n\r\t"),
            "a\\u{1b}[31mb\\u{7}\\n\\r\\t"
        );
        assert_eq!(terminal("\u{9b}\u{202e}\u{7f}"), "\\u{9b}\\u{202e}\\u{7f}");
        assert!(matches!(terminal("plain ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn log_lines_are_never_commands() {
        assert_eq!(log_line("::error::x"), "\\u{3a}:error::x");
        assert_eq!(log_line("   \t::warning::x"), "   \t\\u{3a}:warning::x");
        assert_eq!(log_line("\u{1b}[1m::x"), "\u{1b}[1m\\u{3a}:x");
        assert_eq!(log_line("a ##[error]b"), "a #\\u{23}[error]b");
        assert_eq!(log_line("a ##VSO[task]"), "a #\\u{23}VSO[task]");
        assert_eq!(log_line("a::b # c"), "a::b # c");
        assert_eq!(log_text("x\n  ::y\u{7}"), "x\n  \\u{3a}:y\\u{7}");
    }

    #[test]
    fn markdown_renders_literally() {
        assert_eq!(
            markdown("![i](http://e) @org/team | <b>&\n#1 www.x"),
            "\\!\\[i\\]\\(http\\://e\\) @&#8203;org/team \\| &lt;b&gt;&amp;\\\\n#&#8203;1 www\\.x"
        );
    }

    #[test]
    fn workflow_commands_escape_as_the_toolkit() {
        assert_eq!(workflow_data("50%\r\n::x\u{1b}"), "50%25%0D%0A::x\\u{1b}");
        assert_eq!(workflow_property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn sarif_text_has_no_links_or_placeholders() {
        assert_eq!(
            sarif_text("[x](http://e) {0} \\"),
            "\\[x\\](http://e) {{0}} \\\\"
        );
    }

    #[test]
    fn json_means_the_same_and_is_inert() {
        let value = serde_json::json!({"k": ["a\u{1b}\u{9b}\u{202e}##[error]x ## [", 1]});
        let mut out = Vec::new();
        write_json(&value, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("##["), "{text}");
        assert!(!text.chars().any(|c| c != '\n' && is_unsafe(c)), "{text}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            value
        );
        let plain = serde_json::json!({"a": [1, {"b": "c"}], "d": []});
        let mut out = Vec::new();
        write_json(&plain, &mut out).unwrap();
        assert_eq!(out, serde_json::to_vec_pretty(&plain).unwrap());
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri_path("a b/<\"%>\n.rs"), "a%20b/%3C%22%25%3E%0A.rs");
        assert_eq!(uri_path("é/x-y_z.~"), "%C3%A9/x-y_z.~");
    }
}
