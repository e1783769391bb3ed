//! Protocol Buffers `.proto` files: the package and the gRPC services they declare, with each
//! service's line and rpc names, for resolving generated client types to the crate that
//! serves them.
//!
//! A small tokenizer reads the file rather than a full protobuf parser. The maintained parser
//! that needs no `protoc` (`protox-parse`) builds a whole `FileDescriptorProto` and pulls in
//! prost, logos and miette with three proc-macro crates and a second major version of syn;
//! capgraph needs three facts per file. The tokenizer understands comments, string literals,
//! and bracket nesting (option aggregates, rpc option blocks, messages), checks the structure
//! of the statements it reads (top level, `package`, `service`, `rpc`) and the balance of
//! brackets everywhere, but does not check the grammar inside messages, enums or options.

use super::ExtractError;

/// What one `.proto` file declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProtoFacts {
    /// `package a.b.c;`, if the file has one.
    pub package: Option<String>,
    /// Services in file order.
    pub services: Vec<ProtoService>,
}

/// One `service` definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtoService {
    /// The service's own name (`Payments`).
    pub name: String,
    /// The package and the name (`acme.payments.v1.Payments`), or the name alone when the
    /// file has no package.
    pub full_name: String,
    /// 1-based line of the `service` keyword.
    pub line: u32,
    /// The rpc names, in file order.
    pub methods: Vec<String>,
}

/// Reads the package and services of a `.proto` file. A file whose structure cannot be read
/// is an [`ExtractError::InvalidProto`] with the line of the problem.
pub fn extract_proto(text: &str) -> Result<ProtoFacts, ExtractError> {
    // A byte-order mark is no token; lines do not move without it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let tokens = tokenize(text)?;
    Parser {
        tokens: &tokens,
        pos: 0,
        last_line: text.lines().count().max(1) as u32,
    }
    .file()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    Ident(&'a str),
    /// A string literal; its content is not needed.
    Str,
    /// A numeric literal (or anything else that starts with a digit).
    Number,
    Punct(char),
}

#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    tok: Tok<'a>,
    line: u32,
}

fn syntax_error(line: u32, message: impl Into<String>) -> ExtractError {
    ExtractError::InvalidProto {
        line,
        message: message.into(),
    }
}

/// Splits the text into tokens, dropping comments and whitespace.
fn tokenize(text: &str) -> Result<Vec<Token<'_>>, ExtractError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut line = 1u32;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let start_line = line;
                i += 2;
                loop {
                    match bytes.get(i) {
                        None => return Err(syntax_error(start_line, "unterminated comment")),
                        Some(b'*') if bytes.get(i + 1) == Some(&b'/') => {
                            i += 2;
                            break;
                        }
                        Some(b'\n') => {
                            line += 1;
                            i += 1;
                        }
                        Some(_) => i += 1,
                    }
                }
            }
            b'"' | b'\'' => {
                let start_line = line;
                i += 1;
                loop {
                    match bytes.get(i) {
                        None | Some(b'\n') => {
                            return Err(syntax_error(start_line, "unterminated string literal"));
                        }
                        // An escaped newline would still end the literal's line.
                        Some(b'\\') if bytes.get(i + 1) != Some(&b'\n') => i += 2,
                        Some(&c) if c == b => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
                tokens.push(Token {
                    tok: Tok::Str,
                    line: start_line,
                });
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                tokens.push(Token {
                    tok: Tok::Ident(&text[start..i]),
                    line,
                });
            }
            b'0'..=b'9' => {
                // Numbers (`1`, `0x1F`, `1.5e-3`) only matter as "not an identifier".
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.' || bytes[i] == b'_')
                {
                    let exponent = matches!(bytes[i], b'e' | b'E');
                    i += 1;
                    if exponent && matches!(bytes.get(i), Some(b'+' | b'-')) {
                        i += 1;
                    }
                }
                tokens.push(Token {
                    tok: Tok::Number,
                    line,
                });
            }
            b'{' | b'}' | b'(' | b')' | b'[' | b']' | b'<' | b'>' | b';' | b',' | b'.' | b'='
            | b':' | b'-' | b'+' | b'/' => {
                tokens.push(Token {
                    tok: Tok::Punct(b as char),
                    line,
                });
                i += 1;
            }
            _ => {
                let shown = text[i..].chars().next().unwrap_or('?');
                return Err(syntax_error(
                    line,
                    format!("unexpected character `{shown}`"),
                ));
            }
        }
    }
    Ok(tokens)
}

struct Parser<'t, 'a> {
    tokens: &'t [Token<'a>],
    pos: usize,
    /// Where "unexpected end of file" is reported when no opening bracket explains it.
    last_line: u32,
}

impl<'a> Parser<'_, 'a> {
    fn peek(&self) -> Option<Token<'a>> {
        self.tokens.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<Token<'a>> {
        let token = self.peek();
        if token.is_some() {
            self.pos += 1;
        }
        token
    }

    fn eof(&self, what: &str) -> ExtractError {
        syntax_error(
            self.last_line,
            format!("unexpected end of file; expected {what}"),
        )
    }

    fn expect_punct(&mut self, c: char) -> Result<u32, ExtractError> {
        match self.next() {
            Some(Token {
                tok: Tok::Punct(p),
                line,
            }) if p == c => Ok(line),
            Some(token) => Err(syntax_error(
                token.line,
                format!("expected `{c}`, found {}", describe(token.tok)),
            )),
            None => Err(self.eof(&format!("`{c}`"))),
        }
    }

    fn expect_string(&mut self) -> Result<(), ExtractError> {
        match self.next() {
            Some(Token { tok: Tok::Str, .. }) => Ok(()),
            Some(token) => Err(syntax_error(
                token.line,
                format!("expected a string, found {}", describe(token.tok)),
            )),
            None => Err(self.eof("a string")),
        }
    }

    fn expect_ident(&mut self, what: &str) -> Result<(&'a str, u32), ExtractError> {
        match self.next() {
            Some(Token {
                tok: Tok::Ident(name),
                line,
            }) => Ok((name, line)),
            Some(token) => Err(syntax_error(
                token.line,
                format!("expected {what}, found {}", describe(token.tok)),
            )),
            None => Err(self.eof(what)),
        }
    }

    /// A dotted name (`a.b.c`, or `.a.b` when `leading_dot`), joined.
    fn dotted_name(&mut self, what: &str, leading_dot: bool) -> Result<String, ExtractError> {
        let mut name = String::new();
        if leading_dot && matches!(self.peek().map(|t| t.tok), Some(Tok::Punct('.'))) {
            self.pos += 1;
            name.push('.');
        }
        name.push_str(self.expect_ident(what)?.0);
        while matches!(self.peek().map(|t| t.tok), Some(Tok::Punct('.'))) {
            self.pos += 1;
            name.push('.');
            name.push_str(self.expect_ident(what)?.0);
        }
        Ok(name)
    }

    fn file(&mut self) -> Result<ProtoFacts, ExtractError> {
        let mut facts = ProtoFacts::default();
        let mut services: Vec<(String, u32, Vec<String>)> = Vec::new();
        while let Some(token) = self.next() {
            match token.tok {
                Tok::Punct(';') => {}
                Tok::Ident("syntax" | "edition") => {
                    self.expect_punct('=')?;
                    self.expect_string()?;
                    self.expect_punct(';')?;
                }
                Tok::Ident("import") => {
                    if matches!(
                        self.peek().map(|t| t.tok),
                        Some(Tok::Ident("public" | "weak"))
                    ) {
                        self.pos += 1;
                    }
                    self.expect_string()?;
                    self.expect_punct(';')?;
                }
                Tok::Ident("option") => self.skip_statement(token.line)?,
                Tok::Ident("package") => {
                    let name = self.dotted_name("a package name", false)?;
                    self.expect_punct(';')?;
                    if facts.package.is_some() {
                        return Err(syntax_error(token.line, "a second `package` statement"));
                    }
                    facts.package = Some(name);
                }
                Tok::Ident("message" | "enum") => {
                    self.expect_ident("a name")?;
                    let open = self.expect_punct('{')?;
                    self.skip_block(open)?;
                }
                Tok::Ident("extend") => {
                    self.dotted_name("a message name", true)?;
                    let open = self.expect_punct('{')?;
                    self.skip_block(open)?;
                }
                Tok::Ident("service") => {
                    let (name, _) = self.expect_ident("a service name")?;
                    let open = self.expect_punct('{')?;
                    let methods = self.service_body(open)?;
                    services.push((name.to_string(), token.line, methods));
                }
                other => {
                    return Err(syntax_error(
                        token.line,
                        format!(
                            "expected `syntax`, `package`, `import`, `option`, `message`, \
                             `enum`, `service` or `extend`, found {}",
                            describe(other)
                        ),
                    ));
                }
            }
        }
        // The package may come after a service; full names are made once the file is read.
        facts.services = services
            .into_iter()
            .map(|(name, line, methods)| ProtoService {
                full_name: match &facts.package {
                    Some(package) => format!("{package}.{name}"),
                    None => name.clone(),
                },
                name,
                line,
                methods,
            })
            .collect();
        Ok(facts)
    }

    /// The inside of `service X { ... }`, after the `{`: rpc names in order.
    fn service_body(&mut self, open: u32) -> Result<Vec<String>, ExtractError> {
        let mut methods = Vec::new();
        loop {
            let Some(token) = self.next() else {
                return Err(syntax_error(
                    open,
                    "unexpected end of file; `{` of this service is not closed",
                ));
            };
            match token.tok {
                Tok::Punct('}') => return Ok(methods),
                Tok::Punct(';') => {}
                Tok::Ident("option") => self.skip_statement(token.line)?,
                Tok::Ident("rpc") => {
                    let (name, _) = self.expect_ident("an rpc name")?;
                    self.rpc_type()?;
                    match self.next() {
                        Some(Token {
                            tok: Tok::Ident("returns"),
                            ..
                        }) => {}
                        Some(other) => {
                            return Err(syntax_error(
                                other.line,
                                format!("expected `returns`, found {}", describe(other.tok)),
                            ));
                        }
                        None => return Err(self.eof("`returns`")),
                    }
                    self.rpc_type()?;
                    match self.next() {
                        Some(Token {
                            tok: Tok::Punct(';'),
                            ..
                        }) => {}
                        Some(Token {
                            tok: Tok::Punct('{'),
                            line,
                        }) => self.skip_block(line)?,
                        Some(other) => {
                            return Err(syntax_error(
                                other.line,
                                format!("expected `;` or `{{`, found {}", describe(other.tok)),
                            ));
                        }
                        None => return Err(self.eof("`;` or `{`")),
                    }
                    methods.push(name.to_string());
                }
                other => {
                    return Err(syntax_error(
                        token.line,
                        format!(
                            "expected `rpc`, `option` or `}}` in a service, found {}",
                            describe(other)
                        ),
                    ));
                }
            }
        }
    }

    /// `( [stream] Type )` of an rpc.
    fn rpc_type(&mut self) -> Result<(), ExtractError> {
        self.expect_punct('(')?;
        // `stream` is a keyword only when a type name follows it.
        if matches!(self.peek().map(|t| t.tok), Some(Tok::Ident("stream")))
            && matches!(
                self.tokens.get(self.pos + 1).map(|t| t.tok),
                Some(Tok::Ident(_) | Tok::Punct('.'))
            )
        {
            self.pos += 1;
        }
        self.dotted_name("a message type", true)?;
        self.expect_punct(')')?;
        Ok(())
    }

    /// Skips to the `;` that ends a statement, across any brackets (option aggregates).
    fn skip_statement(&mut self, start: u32) -> Result<(), ExtractError> {
        let mut open: Vec<(char, u32)> = Vec::new();
        loop {
            let Some(token) = self.next() else {
                return Err(match open.last() {
                    Some(&(c, line)) => unclosed(c, line),
                    None => syntax_error(start, "unexpected end of file; statement has no `;`"),
                });
            };
            match token.tok {
                Tok::Punct(';') if open.is_empty() => return Ok(()),
                Tok::Punct('}') if open.is_empty() => {
                    return Err(syntax_error(token.line, "expected `;` before `}`"));
                }
                Tok::Punct(c) => self.balance(&mut open, c, token.line)?,
                _ => {}
            }
        }
    }

    /// Skips a bracketed block whose `{` (on line `open_line`) was just read.
    fn skip_block(&mut self, open_line: u32) -> Result<(), ExtractError> {
        let mut open: Vec<(char, u32)> = vec![('{', open_line)];
        while let Some(token) = self.next() {
            if let Tok::Punct(c) = token.tok {
                self.balance(&mut open, c, token.line)?;
                if open.is_empty() {
                    return Ok(());
                }
            }
        }
        let (c, line) = open.last().copied().unwrap_or(('{', open_line));
        Err(unclosed(c, line))
    }

    /// Tracks one bracket token on the stack of open brackets.
    fn balance(&self, open: &mut Vec<(char, u32)>, c: char, line: u32) -> Result<(), ExtractError> {
        match c {
            '{' | '(' | '[' => open.push((c, line)),
            '}' | ')' | ']' => {
                let expected = match open.pop() {
                    Some(('{', _)) => '}',
                    Some(('(', _)) => ')',
                    Some(_) => ']',
                    None => return Err(syntax_error(line, format!("unmatched `{c}`"))),
                };
                if c != expected {
                    return Err(syntax_error(
                        line,
                        format!("expected `{expected}`, found `{c}`"),
                    ));
                }
            }
            _ => {}
        }
        Ok(())
    }
}

fn unclosed(c: char, line: u32) -> ExtractError {
    syntax_error(line, format!("unexpected end of file; `{c}` is not closed"))
}

fn describe(tok: Tok<'_>) -> String {
    match tok {
        Tok::Ident(name) => format!("`{name}`"),
        Tok::Str => "a string".to_string(),
        Tok::Number => "a number".to_string(),
        Tok::Punct(c) => format!("`{c}`"),
    }
}
