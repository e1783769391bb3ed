//! Every output escapes what comes from the scanned repositories: a repository whose file,
//! directory, crate, team and capability names carry line breaks, GitHub workflow commands,
//! mentions, links, images, table pipes, HTML, escape sequences and bells is run through
//! every format, and nothing of it may act: no line a CI runner takes for a command, no raw
//! control character, Markdown rows that stay rows, SARIF uris that decode to the path.

mod common;

use common::Repo;
use std::process::{Command, Output};

/// A directory name: everything a Linux file name can hold (no `/`, no NUL).
const DIR: &str = "::error::dir\n::notice::n @org-team [x](e) ![i](e) | \u{1b}[31m\u{7} ##[warning]w `t` <b>&amp;";
/// A source file name, broken on purpose (SCN001 reports it).
const FILE: &str = "\r::warning file=x::f\u{1b}]0;title\u{7} @org/team [x](e) ![i](e) | <img>";
/// A crate name (Cargo.toml is TOML: anything goes).
const CRATE: &str =
    "::error::crate\n::warning::x @org/team [x](http://e) ![i](http://e) | \u{1b}[2J\u{7}{0}";
/// A team id and a capability id of capgraph.toml.
const TEAM: &str = "t\n::error::team @org/team [x](http://e) ![i](http://e) | \u{9b}31m\u{202e}";
const CAPABILITY: &str = "c\n::add-mask::cap ![i](http://e) www.e.com `x` <script>";

/// `text` as a TOML basic string.
fn toml(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn hostile() -> Repo {
    let config = format!(
        "[teams.{team}]\nhandles = [\"@org/hostile\"]\n\n[teams.plain]\nhandles = [\"@org/plain\"]\n\n\
         [capabilities.{cap}]\nteam = {team}\ncrates = [{krate}]\n\n\
         [capabilities.plain-cap]\nteam = \"plain\"\ncrates = [\"other\"]\n",
        team = toml(TEAM),
        cap = toml(CAPABILITY),
        krate = toml(CRATE),
    );
    let manifest = format!(
        "[package]\nname = {}\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [dependencies]\nother = {{ path = \"../other\" }}\n",
        toml(CRATE)
    );
    let repo = Repo::new(
        "hostile",
        &[
            ("capgraph.toml", &config),
            (
                "other/Cargo.toml",
                "[package]\nname = \"other\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
            ),
            ("other/src/lib.rs", "pub fn g() {}\n"),
            (
                ".github/CODEOWNERS",
                "/other/ @org/plain\n/unowned/ [x](http://e)\n",
            ),
        ],
    );
    repo.write(&format!("{DIR}/Cargo.toml"), manifest.as_bytes());
    repo.write(
        &format!("{DIR}/src/lib.rs"),
        b"pub fn f() { other::g(); }\n",
    );
    repo.write(&format!("{DIR}/src/{FILE}.rs"), b"fn (\n");
    repo
}

/// Runs capgraph in the repository's root on `.`, so that paths are shown as the repository
/// holds them (a line can start with the name of a directory).
fn run(repo: &Repo, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_capgraph"))
        .current_dir(&repo.root)
        .args(args)
        .output()
        .expect("capgraph runs")
}

fn check(repo: &Repo, format: &str) -> (String, String) {
    let output = run(
        repo,
        &["check", ".", "--format", format, "--fail-on", "never"],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// No control character but the line break, no line a GitHub runner takes for a command
/// (`::` first after white space; `##[` anywhere).
fn assert_inert(what: &str, text: &str) {
    for c in text.chars() {
        assert!(
            c == '\n' || !(c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{what}: raw {c:?} in\n{text}"
        );
    }
    for line in text.lines() {
        assert!(
            !line.trim_start().starts_with("::"),
            "{what}: a workflow command: {line:?}"
        );
        assert!(
            !line.to_ascii_lowercase().contains("##["),
            "{what}: a legacy workflow command: {line:?}"
        );
    }
}

fn findings(repo: &Repo) -> Vec<serde_json::Value> {
    let (json, _) = check(repo, "json");
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    document["findings"].as_array().unwrap().clone()
}

/// What `escape::terminal` shows for `text`.
fn shown(text: &str) -> String {
    capgraph::report::escape::terminal(text).into_owned()
}

#[test]
fn the_fixture_puts_hostile_names_into_findings() {
    let repo = hostile();
    let findings = findings(&repo);
    let paths: Vec<&str> = findings
        .iter()
        .filter_map(|f| f["location"]["path"].as_str())
        .collect();
    assert!(
        paths.contains(&format!("{DIR}/src/{FILE}.rs").as_str()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&format!("{DIR}/Cargo.toml").as_str()),
        "{paths:?}"
    );
    assert!(
        findings.iter().any(|f| {
            let message = f["message"].as_str().unwrap();
            message.contains(CRATE) && f["teams"][0] == TEAM
        }),
        "{findings:#?}"
    );
}

#[test]
fn text_output_shows_names_escaped_one_finding_a_line() {
    let repo = hostile();
    let count = findings(&repo).len();
    let (text, stderr) = check(&repo, "text");
    assert_inert("check text", &text);
    assert_inert("check stderr", &stderr);
    assert_eq!(
        text.lines().filter(|l| l.starts_with("    ")).count(),
        count,
        "{text}"
    );
    assert!(text.contains(&format!("team {}", shown(TEAM))), "{text}");
    assert!(text.contains("\\u{1b}[31m\\u{7}"), "{text}");
    // The directory's name opens a line: its first `:` is shown escaped.
    assert!(
        text.contains("    \\u{3a}:error::dir\\n::notice::n"),
        "{text}"
    );
}

#[test]
fn github_annotations_are_capgraphs_own_and_escaped_as_the_toolkit() {
    let repo = hostile();
    let count = findings(&repo).len();
    let (github, _) = check(&repo, "github");
    assert_eq!(github.lines().count(), count, "{github}");
    for line in github.lines() {
        assert!(
            ["::error file=", "::warning file=", "::notice file="]
                .iter()
                .any(|start| line.starts_with(start)),
            "{line:?}"
        );
        // `::` ends the properties once: every `:` and `,` inside them is escaped.
        let (properties, _) = line[2..].split_once("::").unwrap();
        let properties = properties.split_once(' ').unwrap().1;
        let file = properties.split(',').next().unwrap();
        assert!(file.starts_with("file="), "{line:?}");
        assert!(!file.contains(':'), "{line:?}");
    }
    for c in github.chars() {
        assert!(c == '\n' || !c.is_control(), "raw {c:?} in\n{github}");
    }
    // The file property decodes (as the runner does) to the path, controls shown escaped.
    let scn = github.lines().find(|l| l.contains("SCN001")).unwrap();
    let file = scn["::warning file=".len()..].split(',').next().unwrap();
    let decoded = file
        .replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%");
    let expected = format!("{DIR}/src/{FILE}.rs")
        .replace('\u{1b}', "\\u{1b}")
        .replace('\u{7}', "\\u{7}");
    assert_eq!(decoded, expected);
}

/// Undoes `escape::markdown` as a renderer would show it: backslash escapes, entities and
/// the zero-width spaces that break mentions.
fn rendered(cell: &str) -> String {
    let mut out = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.push(chars.next().unwrap());
        } else {
            out.push(c);
        }
    }
    out.replace("&#8203;", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The cells of a Markdown table row, split at the pipes GitHub splits at (those without a
/// backslash before them).
fn cells(row: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut previous = ' ';
    for c in row.chars() {
        if c == '|' && previous != '\\' {
            cells.push(String::new());
        } else {
            cells.last_mut().unwrap().push(c);
        }
        previous = c;
    }
    cells
}

#[test]
fn markdown_rows_stay_rows_and_render_literally() {
    let repo = hostile();
    let findings = findings(&repo);
    let (markdown, _) = check(&repo, "markdown");
    assert_inert("markdown", &markdown);
    let rows: Vec<&str> = markdown
        .lines()
        .filter(|l| {
            ["| error |", "| warning |", "| info |"]
                .iter()
                .any(|s| l.starts_with(s))
        })
        .collect();
    assert_eq!(rows.len(), findings.len(), "{markdown}");
    for row in &rows {
        // `| severity | rule | location | message |`: six pieces around five pipes.
        let cells = cells(row);
        assert_eq!(cells.len(), 6, "{row}");
        assert!(cells[0].is_empty() && cells[5].is_empty(), "{row}");
        for cell in &cells[3..5] {
            // Nothing that GitHub would turn into a link, an image, a mention or HTML.
            let unescaped = cell.replace("\\\\", "");
            for special in ['[', ']', '(', ')', '!', '`', '|', ':'] {
                for (i, _) in unescaped.match_indices(special) {
                    assert!(
                        unescaped[..i].ends_with('\\'),
                        "unescaped {special:?} in {cell}"
                    );
                }
            }
            let html = cell.replace("<code>", "").replace("</code>", "");
            assert!(!html.contains('<'), "{cell}");
            assert!(
                !cell
                    .match_indices('@')
                    .any(|(i, _)| !cell[i + 1..].starts_with("&#8203;")),
                "a mention in {cell}"
            );
        }
    }
    // What a reader sees is the name itself, its controls shown escaped.
    let place = format!("{DIR}/src/{FILE}.rs:1");
    let row = rows
        .iter()
        .find(|r| r.contains("SCN001"))
        .expect("the SCN001 row");
    assert_eq!(
        rendered(cells(row)[3].trim()),
        format!("<code>{}</code>", shown(&place))
    );
    let heading = format!("### team {}", capgraph::report::escape::markdown(TEAM));
    assert!(markdown.contains(&heading), "{markdown}");
    assert_eq!(rendered(&heading["### team ".len()..]), shown(TEAM));
}

fn percent_decode(uri: &str) -> Vec<u8> {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn sarif_uris_are_percent_encoded_and_messages_have_no_links() {
    let repo = hostile();
    let findings = findings(&repo);
    let (sarif, _) = check(&repo, "sarif");
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    let mut decoded = Vec::new();
    for result in results {
        for location in result["locations"]
            .as_array()
            .unwrap()
            .iter()
            .chain(result["relatedLocations"].as_array().unwrap())
        {
            let uri = location["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert!(
                uri.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
                "{uri}"
            );
            decoded.push(String::from_utf8(percent_decode(uri)).unwrap());
        }
        let message = &result["message"];
        assert!(message.get("markdown").is_none());
        let text = message["text"].as_str().unwrap().replace("\\\\", "");
        for special in ['[', ']'] {
            for (i, _) in text.match_indices(special) {
                assert!(text[..i].ends_with('\\'), "unescaped {special:?} in {text}");
            }
        }
        assert!(!text.chars().any(char::is_control), "{text}");
    }
    for finding in &findings {
        if let Some(path) = finding["location"]["path"].as_str() {
            assert!(
                decoded.iter().any(|d| d == path),
                "{path:?} not in {decoded:?}"
            );
        }
    }
    assert!(decoded.contains(&format!("{DIR}/src/{FILE}.rs")));
}

#[test]
fn junit_and_json_hold_no_raw_control_characters_and_no_commands() {
    let repo = hostile();
    let (junit, _) = check(&repo, "junit");
    assert_inert("junit", &junit);
    // JSON keeps the data exactly; what a log would obey is written as `\u` escapes.
    let (json, _) = check(&repo, "json");
    assert_inert("findings json", &json);
    let (sarif, _) = check(&repo, "sarif");
    assert_inert("sarif", &sarif);
    let graph = run(&repo, &["graph", ".", "-q"]);
    let graph = String::from_utf8(graph.stdout).unwrap();
    assert_inert("graph json", &graph);
    assert!(graph.contains("#\\u0023[warning]w"), "{graph}");
    let document: serde_json::Value = serde_json::from_str(&graph).unwrap();
    assert!(
        document["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["name"] == CRATE),
        "{graph}"
    );
}

#[test]
fn owners_and_graph_diagnostics_stay_on_their_lines() {
    let repo = hostile();
    let owners = run(&repo, &["owners", "."]);
    assert_eq!(owners.status.code(), Some(0));
    let table = String::from_utf8(owners.stdout).unwrap();
    let stderr = String::from_utf8(owners.stderr).unwrap();
    assert_inert("owners", &table);
    assert_inert("owners stderr", &stderr);
    // A header and one row per crate, then the summary.
    let rows: Vec<&str> = table.lines().take_while(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 3, "{table}");
    assert!(
        rows[1].starts_with("\\u{3a}:error::crate\\n::warning::x"),
        "{table}"
    );
    // Two diagnostics (the broken file, the CODEOWNERS line), one line each.
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    assert!(
        stderr.lines().all(|l| l.starts_with("warning: ")),
        "{stderr}"
    );

    let graph = run(&repo, &["graph", "."]);
    assert_eq!(graph.status.code(), Some(0));
    assert_eq!(String::from_utf8(graph.stderr).unwrap(), stderr);

    let explain = run(&repo, &["owners", ".", "--explain", CRATE]);
    assert_eq!(explain.status.code(), Some(0));
    let text = String::from_utf8(explain.stdout).unwrap();
    assert_inert("owners --explain", &text);
    assert!(
        text.starts_with(&format!("crate {}", shown(CRATE))),
        "{text}"
    );
}

#[test]
fn errors_quoting_hostile_names_are_one_line() {
    let repo = hostile();
    let output = run(
        &repo,
        &["owners", ".", "-q", "--explain", &format!("{CRATE}x")],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_inert("error", &stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: `::error::crate\\n"), "{stderr}");
}
