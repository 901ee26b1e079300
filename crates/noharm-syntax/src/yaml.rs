use std::collections::HashMap;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Tag};

use crate::{Diagnostic, Entry, FileId, Limits, Node, NodeKind, SourceFile, Span};

/// Parses one YAML document into a spanned tree.
///
/// Aliases are expanded, counting every expansion against
/// [`Limits::max_nodes`], so an alias bomb fails fast instead of exhausting
/// memory. Plain scalars are typed by the YAML 1.2 core schema; quoted ones
/// are always strings.
pub fn parse_yaml(
    source: &SourceFile,
    file: FileId,
    limits: &Limits,
) -> Result<Node, Box<Diagnostic>> {
    let mut builder = TreeBuilder {
        source,
        file,
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        n_nodes: 0,
        root: None,
    };
    let mut parser = Parser::new_from_str(source.text());
    let mut n_documents = 0;

    while let Some(result) = parser.next_event() {
        let (event, span) = result.map_err(|error| builder.scan_error(&error))?;
        let span = builder.span(span.start, span.end);
        match event {
            Event::DocumentStart(_) => {
                n_documents += 1;
                if n_documents > 1 {
                    return Err(Box::new(
                        Diagnostic::error(
                            "syntax",
                            "a model file holds one YAML document, this one holds several",
                        )
                        .at_labeled(span, "a second document starts here")
                        .with_help(
                            "split the documents into separate files and list them under `include`",
                        ),
                    ));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let kind = builder.scalar_kind(&text, style, tag.as_deref(), span)?;
                builder.complete(Node::new(kind, span), anchor)?;
            }
            Event::Alias(anchor) => {
                let node = builder.expand_alias(anchor, span)?;
                builder.finish(node, 0)?;
            }
            Event::SequenceStart(anchor, tag) => {
                builder.reject_custom_tag(tag.as_deref(), span)?;
                builder.open(Frame::Seq {
                    start: span,
                    anchor,
                    items: Vec::new(),
                })?;
            }
            Event::MappingStart(anchor, tag) => {
                builder.reject_custom_tag(tag.as_deref(), span)?;
                builder.open(Frame::Map {
                    start: span,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                })?;
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close(span)?,
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
    }

    Ok(builder
        .root
        .unwrap_or_else(|| Node::new(NodeKind::Null, Span::file_start(file))))
}

enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<Entry>,
        key: Option<Node>,
    },
}

struct TreeBuilder<'a> {
    source: &'a SourceFile,
    file: FileId,
    limits: &'a Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    n_nodes: usize,
    root: Option<Node>,
}

impl TreeBuilder<'_> {
    fn span(&self, start: Marker, end: Marker) -> Span {
        let start_offset = self
            .source
            .offset_of(start.line(), start.col(), start.index());
        let end_offset = self.source.offset_of(end.line(), end.col(), end.index());
        Span::new(self.file, start_offset, end_offset)
    }

    fn scan_error(&self, error: &ScanError) -> Box<Diagnostic> {
        let mark = error.marker();
        let span = self.span(*mark, *mark);
        if error.info().contains("recursion limit") {
            // The scanner has its own, higher nesting bound for flow
            // collections; report it like ours.
            return Box::new(
                Diagnostic::error(
                    "too-complex",
                    format!(
                        "lists and mappings nest deeper than {} levels",
                        self.limits.max_depth
                    ),
                )
                .at_labeled(span, "too deep here"),
            );
        }
        let (message, help) = explain_scan_error(error.info());
        Box::new(
            Diagnostic::error("syntax", format!("invalid YAML: {message}"))
                .at(span)
                .with_optional_help(help),
        )
    }

    fn open(&mut self, frame: Frame) -> Result<(), Box<Diagnostic>> {
        let span = match &frame {
            Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
        };
        if self.stack.len() >= self.limits.max_depth {
            return Err(Box::new(
                Diagnostic::error(
                    "too-complex",
                    format!(
                        "lists and mappings nest deeper than {} levels",
                        self.limits.max_depth
                    ),
                )
                .at_labeled(span, "too deep here"),
            ));
        }
        self.count_nodes(1, span)?;
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, end: Span) -> Result<(), Box<Diagnostic>> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let (node, anchor) = match frame {
            Frame::Seq {
                start,
                anchor,
                items,
            } => {
                let span = extent(start, items.last().map(|node| node.span), end);
                (Node::new(NodeKind::Seq(items), span), anchor)
            }
            Frame::Map {
                start,
                anchor,
                entries,
                key,
            } => {
                let mut entries = entries;
                if let Some(key) = key {
                    // A key without a value: the parser emits an empty scalar,
                    // so this only guards against an unexpected event order.
                    let value = Node::new(NodeKind::Null, key.span);
                    entries.push(Entry { key, value });
                }
                let span = extent(start, entries.last().map(|entry| entry.value.span), end);
                (Node::new(NodeKind::Map(entries), span), anchor)
            }
        };
        self.finish(node, anchor)
    }

    fn complete(&mut self, node: Node, anchor: usize) -> Result<(), Box<Diagnostic>> {
        if matches!(
            node.kind,
            NodeKind::Null | NodeKind::Bool(_) | NodeKind::Number(_) | NodeKind::String(_)
        ) {
            self.count_nodes(1, node.span)?;
        }
        self.finish(node, anchor)
    }

    fn finish(&mut self, node: Node, anchor: usize) -> Result<(), Box<Diagnostic>> {
        if anchor != 0 {
            // Keeping a copy for later aliases costs as much as the value
            // itself: count it, so nested anchors cannot multiply memory.
            let size = node.count();
            self.count_nodes(size, node.span)?;
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(key) => entries.push(Entry { key, value: node }),
            },
        }
        Ok(())
    }

    fn expand_alias(&mut self, anchor: usize, span: Span) -> Result<Node, Box<Diagnostic>> {
        let undefined = || {
            Box::new(
                Diagnostic::error(
                    "syntax",
                    "this alias refers to an anchor that is not defined before it",
                )
                .at(span)
                .with_help(
                    "an alias `*name` must come after its anchor `&name` has been fully written",
                ),
            )
        };
        let size = self
            .anchors
            .get(&anchor)
            .map(Node::count)
            .ok_or_else(undefined)?;
        // Count before copying, so a bomb fails before it allocates.
        self.count_nodes(size, span)?;
        let mut node = self.anchors.get(&anchor).cloned().ok_or_else(undefined)?;
        // An alias stands where it is written: point at the alias, not at the
        // anchor's text, so diagnostics land on the line the user reads.
        node.span = span;
        Ok(node)
    }

    fn count_nodes(&mut self, n: usize, span: Span) -> Result<(), Box<Diagnostic>> {
        self.n_nodes = self.n_nodes.saturating_add(n);
        if self.n_nodes > self.limits.max_nodes {
            return Err(Box::new(
                Diagnostic::error(
                    "too-complex",
                    format!(
                        "the document expands to more than {} values (YAML aliases count once per use)",
                        self.limits.max_nodes
                    ),
                )
                .at_labeled(span, "limit reached here"),
            ));
        }
        Ok(())
    }

    fn scalar_kind(
        &self,
        text: &str,
        style: ScalarStyle,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<NodeKind, Box<Diagnostic>> {
        if let Some(tag) = tag {
            if tag.is_yaml_core_schema() && tag.suffix == "str" {
                return Ok(NodeKind::String(text.to_string()));
            }
            self.reject_custom_tag(Some(tag), span)?;
        }
        if style != ScalarStyle::Plain {
            return Ok(NodeKind::String(text.to_string()));
        }
        Ok(resolve_plain_scalar(text))
    }

    fn reject_custom_tag(&self, tag: Option<&Tag>, span: Span) -> Result<(), Box<Diagnostic>> {
        match tag {
            Some(tag) if !tag.is_yaml_core_schema() => Err(Box::new(
                Diagnostic::error(
                    "syntax",
                    format!("YAML tags such as `{tag}` are not part of the noharm format"),
                )
                .at(span)
                .with_help("remove the tag; write the value as plain YAML"),
            )),
            _ => Ok(()),
        }
    }
}

/// The parser's message in plainer words, with a hint, for the mistakes
/// people make most.
fn explain_scan_error(info: &str) -> (String, Option<String>) {
    let known: &[(&str, &str, &str)] = &[
        (
            "mapping values are not allowed",
            "a `key: value` pair is not allowed here",
            "check this line's indentation against the lines above; text containing `: ` needs quotes",
        ),
        (
            "tabs disallowed",
            "tabs cannot indent YAML",
            "indent with spaces",
        ),
        (
            "unknown anchor",
            "this alias refers to an anchor that is not defined",
            "define `&name` on a value before using `*name`",
        ),
        (
            "invalid indentation in quoted scalar",
            "a quoted text is not closed, or its next line is not indented enough",
            "close the quote on the same line, or indent the continuation further than the key",
        ),
        (
            "while scanning a quoted scalar, found unexpected end of stream",
            "a quoted text is never closed",
            "add the closing quote",
        ),
        (
            "did not find expected key",
            "a line does not fit the mapping it is in",
            "check the indentation of this line and the one before it",
        ),
        (
            "did not find expected '-' indicator",
            "a line does not fit the list it is in",
            "check that every item of the list starts with `- ` at the same indentation",
        ),
    ];
    for (needle, message, help) in known {
        if info.contains(needle) {
            return ((*message).to_string(), Some((*help).to_string()));
        }
    }
    (info.to_string(), None)
}

fn extent(start: Span, last_child: Option<Span>, end: Span) -> Span {
    // Block collections end where the next token begins, often lines later
    // after comments; the last child's end is the honest extent. Flow
    // collections (`[a, b]`) end at their closing bracket.
    let end = match last_child {
        Some(child) if end.start > child.end => child,
        _ => end,
    };
    start.to(end)
}

/// Types a plain scalar by the YAML 1.2 core schema.
fn resolve_plain_scalar(text: &str) -> NodeKind {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" => NodeKind::Bool(true),
        "false" | "False" | "FALSE" => NodeKind::Bool(false),
        _ if is_core_number(text) => NodeKind::Number(text.to_string()),
        _ => NodeKind::String(text.to_string()),
    }
}

fn is_core_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if let Some(octal) = text.strip_prefix("0o") {
        return !octal.is_empty() && octal.bytes().all(|byte| (b'0'..=b'7').contains(&byte));
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|byte| byte.is_ascii_hexdigit());
    }
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    is_decimal(unsigned)
}

fn is_decimal(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(idx) => (&text[..idx], Some(&text[idx + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    let mantissa_ok = match fraction {
        None => !whole.is_empty() && digits(whole),
        Some(fraction) => {
            (!whole.is_empty() || !fraction.is_empty()) && digits(whole) && digits(fraction)
        }
    };
    let exponent_ok = exponent.is_none_or(|exponent| {
        let exponent = exponent.strip_prefix(['-', '+']).unwrap_or(exponent);
        !exponent.is_empty() && digits(exponent)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceMap;

    fn parse(text: &str) -> Result<Node, Box<Diagnostic>> {
        let mut sources = SourceMap::new();
        let file = sources.add("t.yaml", "t.yaml", text);
        parse_yaml(sources.file(file), file, &Limits::default())
    }

    #[test]
    fn types_plain_scalars_by_the_core_schema() {
        assert_eq!(resolve_plain_scalar("~"), NodeKind::Null);
        assert_eq!(resolve_plain_scalar("True"), NodeKind::Bool(true));
        assert_eq!(resolve_plain_scalar("3.2"), NodeKind::Number("3.2".into()));
        assert_eq!(
            resolve_plain_scalar("-1e5"),
            NodeKind::Number("-1e5".into())
        );
        assert_eq!(
            resolve_plain_scalar("3.2.1"),
            NodeKind::String("3.2.1".into())
        );
        assert_eq!(resolve_plain_scalar("yes"), NodeKind::String("yes".into()));
        assert_eq!(resolve_plain_scalar("."), NodeKind::String(".".into()));
        assert_eq!(resolve_plain_scalar("1e"), NodeKind::String("1e".into()));
    }

    #[test]
    fn quoted_scalars_stay_strings() {
        let node = parse("a: 'true'\nb: \"1\"\n").unwrap();
        let NodeKind::Map(entries) = node.kind else {
            panic!()
        };
        assert_eq!(entries[0].value.kind, NodeKind::String("true".into()));
        assert_eq!(entries[1].value.kind, NodeKind::String("1".into()));
    }

    #[test]
    fn spans_point_at_the_value() {
        let text = "name: sepsis\nlist:\n  - é\n  - b\n";
        let node = parse(text).unwrap();
        let NodeKind::Map(entries) = node.kind else {
            panic!()
        };
        let span = entries[0].value.span;
        assert_eq!(&text[span.start as usize..span.end as usize], "sepsis");
        let NodeKind::Seq(items) = &entries[1].value.kind else {
            panic!()
        };
        let span = items[1].span;
        assert_eq!(&text[span.start as usize..span.end as usize], "b");
    }

    #[test]
    fn alias_bombs_hit_the_node_budget() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let prev = level - 1;
            text.push_str(&format!(
                "a{level}: &a{level} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let error = parse(&text).unwrap_err();
        assert_eq!(error.code, "too-complex");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let error = parse(&text).unwrap_err();
        assert_eq!(error.code, "too-complex");
    }

    #[test]
    fn several_documents_are_refused() {
        let error = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(error.code, "syntax");
    }

    #[test]
    fn an_empty_document_is_null() {
        assert!(parse("# only a comment\n").unwrap().is_null());
    }
}
