use crate::{Diagnostic, Entry, FileId, Limits, Node, NodeKind, SourceFile, Span};

/// Parses a JSON document (RFC 8259) into a spanned tree.
///
/// Hand-written rather than borrowed so every value keeps its span and every
/// error says where and what was expected; nesting is bounded by
/// [`Limits::max_depth`], so recursion stays shallow.
pub fn parse_json(
    source: &SourceFile,
    file: FileId,
    limits: &Limits,
) -> Result<Node, Box<Diagnostic>> {
    let mut parser = JsonParser {
        text: source.text(),
        bytes: source.text().as_bytes(),
        pos: 0,
        file,
        limits,
        n_nodes: 0,
    };
    parser.skip_whitespace();
    let node = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(parser.error_here(
            "unexpected characters after the JSON value",
            "the document should end here",
        ));
    }
    Ok(node)
}

struct JsonParser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    file: FileId,
    limits: &'a Limits,
    n_nodes: usize,
}

impl JsonParser<'_> {
    fn value(&mut self, depth: usize) -> Result<Node, Box<Diagnostic>> {
        self.n_nodes += 1;
        if self.n_nodes > self.limits.max_nodes {
            return Err(Box::new(
                Diagnostic::error(
                    "too-complex",
                    format!(
                        "the document holds more than {} values",
                        self.limits.max_nodes
                    ),
                )
                .at(self.span_from(self.pos)),
            ));
        }
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let start = self.pos;
                let text = self.string()?;
                Ok(Node::new(NodeKind::String(text), self.span_from(start)))
            }
            Some(b't') => self.literal("true", NodeKind::Bool(true)),
            Some(b'f') => self.literal("false", NodeKind::Bool(false)),
            Some(b'n') => self.literal("null", NodeKind::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error_here("expected a JSON value", "not the start of a value")),
            None => Err(self.error_here(
                "the JSON document ends where a value was expected",
                "end of file",
            )),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Node, Box<Diagnostic>> {
        let start = self.pos;
        self.enter(depth)?;
        self.pos += 1;
        let mut entries = Vec::new();
        self.skip_whitespace();
        if self.eat(b'}') {
            return Ok(Node::new(NodeKind::Map(entries), self.span_from(start)));
        }
        loop {
            self.skip_whitespace();
            if self.peek() == Some(b'}') && !entries.is_empty() {
                return Err(self.trailing_comma());
            }
            if self.peek() != Some(b'"') {
                return Err(self.error_here(
                    "expected a member name in double quotes",
                    "a quoted name belongs here",
                ));
            }
            let key_start = self.pos;
            let key_text = self.string()?;
            let key = Node::new(NodeKind::String(key_text), self.span_from(key_start));
            self.skip_whitespace();
            if !self.eat(b':') {
                return Err(
                    self.error_here("expected `:` after the member name", "`:` belongs here")
                );
            }
            self.skip_whitespace();
            let value = self.value(depth + 1)?;
            entries.push(Entry { key, value });
            self.skip_whitespace();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b'}') {
                return Ok(Node::new(NodeKind::Map(entries), self.span_from(start)));
            }
            return Err(self.error_here(
                "expected `,` or `}` after an object member",
                "`,` or `}` belongs here",
            ));
        }
    }

    fn array(&mut self, depth: usize) -> Result<Node, Box<Diagnostic>> {
        let start = self.pos;
        self.enter(depth)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.eat(b']') {
            return Ok(Node::new(NodeKind::Seq(items), self.span_from(start)));
        }
        loop {
            self.skip_whitespace();
            if self.peek() == Some(b']') && !items.is_empty() {
                return Err(self.trailing_comma());
            }
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b']') {
                return Ok(Node::new(NodeKind::Seq(items), self.span_from(start)));
            }
            return Err(self.error_here(
                "expected `,` or `]` after an array item",
                "`,` or `]` belongs here",
            ));
        }
    }

    /// The comma before a closing bracket, which JSON does not allow.
    fn trailing_comma(&self) -> Box<Diagnostic> {
        let before = self.text.get(..self.pos).unwrap_or("");
        let comma = before.rfind(',').unwrap_or(self.pos);
        Box::new(
            Diagnostic::error("syntax", "invalid JSON: a comma after the last item")
                .at_labeled(Span::new(self.file, comma, comma + 1), "remove this comma")
                .with_help("JSON allows no comma before `]` or `}`"),
        )
    }

    fn enter(&self, depth: usize) -> Result<(), Box<Diagnostic>> {
        if depth >= self.limits.max_depth {
            return Err(Box::new(
                Diagnostic::error(
                    "too-complex",
                    format!(
                        "arrays and objects nest deeper than {} levels",
                        self.limits.max_depth
                    ),
                )
                .at_labeled(
                    Span::new(self.file, self.pos, self.pos + 1),
                    "too deep here",
                ),
            ));
        }
        Ok(())
    }

    fn string(&mut self) -> Result<String, Box<Diagnostic>> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(&byte) = self.bytes.get(self.pos) {
                if byte == b'"' || byte == b'\\' || byte < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.text.get(run_start..self.pos).unwrap_or(""));
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => out.push(self.escape()?),
                Some(b'\n' | b'\r') => {
                    return Err(Box::new(
                        Diagnostic::error(
                            "syntax",
                            "invalid JSON: the string is not closed before the end of the line",
                        )
                        .at_labeled(
                            Span::new(self.file, start, start + 1),
                            "the string starts here",
                        )
                        .with_help(
                            "add the closing `\"`; write a line break inside a string as `\\n`",
                        ),
                    ));
                }
                Some(_) => {
                    return Err(self.error_here(
                        "control characters must be escaped inside a JSON string",
                        "write `\\n`, `\\t` or `\\u00XX` instead",
                    ));
                }
                None => {
                    return Err(Box::new(
                        Diagnostic::error("syntax", "invalid JSON: the string is never closed")
                            .at_labeled(
                                Span::new(self.file, start, start + 1),
                                "the string starts here",
                            ),
                    ));
                }
            }
        }
    }

    fn escape(&mut self) -> Result<char, Box<Diagnostic>> {
        let escape_start = self.pos;
        self.pos += 1;
        let Some(kind) = self.peek() else {
            return Err(self.error_here("the JSON string ends inside an escape", "end of file"));
        };
        self.pos += 1;
        let simple = match kind {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(escape_start),
            _ => {
                return Err(Box::new(
                    Diagnostic::error("syntax", "invalid JSON: unknown escape in a string")
                        .at(Span::new(self.file, escape_start, self.pos))
                        .with_help(
                            "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX",
                        ),
                ));
            }
        };
        Ok(simple)
    }

    fn unicode_escape(&mut self, escape_start: usize) -> Result<char, Box<Diagnostic>> {
        let high = self.hex4(escape_start)?;
        let code = if (0xD800..0xDC00).contains(&high) {
            if !(self.eat(b'\\') && self.eat(b'u')) {
                return Err(self.bad_escape(
                    escape_start,
                    "a high surrogate must be followed by a low one",
                ));
            }
            let low = self.hex4(escape_start)?;
            if !(0xDC00..0xE000).contains(&low) {
                return Err(self.bad_escape(
                    escape_start,
                    "a high surrogate must be followed by a low one",
                ));
            }
            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else {
            high
        };
        char::from_u32(code)
            .ok_or_else(|| self.bad_escape(escape_start, "a lone low surrogate is not a character"))
    }

    fn hex4(&mut self, escape_start: usize) -> Result<u32, Box<Diagnostic>> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|digits| digits.bytes().all(|byte| byte.is_ascii_hexdigit()));
        let Some(digits) = digits else {
            return Err(self.bad_escape(
                escape_start,
                "`\\u` must be followed by four hexadecimal digits",
            ));
        };
        self.pos += 4;
        u32::from_str_radix(digits, 16).map_err(|_| {
            self.bad_escape(
                escape_start,
                "`\\u` must be followed by four hexadecimal digits",
            )
        })
    }

    fn bad_escape(&self, escape_start: usize, message: &str) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::error("syntax", format!("invalid JSON: {message}")).at(Span::new(
                self.file,
                escape_start,
                self.pos.max(escape_start + 1),
            )),
        )
    }

    fn number(&mut self) -> Result<Node, Box<Diagnostic>> {
        let start = self.pos;
        self.eat(b'-');
        let int_start = self.pos;
        self.skip_digits();
        let int_digits = self.pos - int_start;
        let leading_zero = int_digits > 1 && self.bytes.get(int_start) == Some(&b'0');
        let mut valid = int_digits > 0 && !leading_zero;
        if self.eat(b'.') {
            let frac_start = self.pos;
            self.skip_digits();
            valid &= self.pos > frac_start;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            let exp_start = self.pos;
            self.skip_digits();
            valid &= self.pos > exp_start;
        }
        let span = self.span_from(start);
        if !valid {
            return Err(Box::new(
                Diagnostic::error("syntax", "invalid JSON number").at(span),
            ));
        }
        let raw = self.text.get(start..self.pos).unwrap_or("").to_string();
        Ok(Node::new(NodeKind::Number(raw), span))
    }

    fn literal(&mut self, word: &str, kind: NodeKind) -> Result<Node, Box<Diagnostic>> {
        let start = self.pos;
        if self.bytes.get(start..start + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            return Ok(Node::new(kind, self.span_from(start)));
        }
        Err(self.error_here(
            "expected a JSON value",
            "not `true`, `false`, `null`, a number, a string, an array or an object",
        ))
    }

    fn skip_digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn span_from(&self, start: usize) -> Span {
        Span::new(self.file, start, self.pos)
    }

    fn error_here(&self, message: &str, label: &str) -> Box<Diagnostic> {
        // Point at one whole character, never into the middle of one.
        let width = self
            .text
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
            .map_or(0, char::len_utf8);
        Box::new(
            Diagnostic::error("syntax", format!("invalid JSON: {message}"))
                .at_labeled(Span::new(self.file, self.pos, self.pos + width), label),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceMap;

    fn parse(text: &str) -> Result<Node, Box<Diagnostic>> {
        let mut sources = SourceMap::new();
        let file = sources.add("t.json", "t.json", text);
        parse_json(sources.file(file), file, &Limits::default())
    }

    #[test]
    fn parses_values_with_spans() {
        let text = r#"{"a": [1, -2.5e3, true, null], "b": "x\u00e9\ud83d\ude00"}"#;
        let node = parse(text).unwrap();
        let NodeKind::Map(entries) = node.kind else {
            panic!()
        };
        assert_eq!(entries[1].value.kind, NodeKind::String("xé😀".into()));
        let NodeKind::Seq(items) = &entries[0].value.kind else {
            panic!()
        };
        assert_eq!(items[1].kind, NodeKind::Number("-2.5e3".into()));
        let span = items[2].span;
        assert_eq!(&text[span.start as usize..span.end as usize], "true");
    }

    #[test]
    fn rejects_malformed_documents() {
        for text in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "01",
            "1.",
            "-",
            "\"abc",
            "\"\\x\"",
            "\"\\ud800\"",
            "[1] x",
            "tru",
            "{\"a\":1,}",
            "\"a\tb\"",
        ] {
            let error = parse(text).unwrap_err();
            assert_eq!(error.code, "syntax", "{text}");
        }
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(parse(&text).unwrap_err().code, "too-complex");
    }

    #[test]
    fn error_at_a_multibyte_character_does_not_split_it() {
        let error = parse("[é]").unwrap_err();
        let span = error.span().unwrap();
        assert_eq!((span.start, span.end), (1, 3));
    }
}
