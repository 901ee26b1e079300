use std::collections::HashMap;

use crate::{Diagnostic, Keyword, Node, NodeKind, Span, Spanned, did_you_mean};

/// Reads typed values out of a [`Node`] tree, collecting a diagnostic for
/// every problem instead of stopping at the first.
///
/// Each reader returns `None` after reporting when the value is unusable, so
/// decoding goes on and the user sees every mistake in one run.
#[derive(Debug, Default)]
pub struct Decoder {
    diagnostics: Vec<Diagnostic>,
}

impl Decoder {
    /// A decoder with no diagnostics yet.
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// Records a diagnostic.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The diagnostics reported so far.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Takes the diagnostics, leaving none.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// Reports a value of the wrong type.
    pub fn wrong_type(&mut self, node: &Node, expected: &str, what: &str) {
        let help = match (expected, &node.kind) {
            ("a list", NodeKind::Map(_)) => {
                Some("a list has one item per line, each starting with `- `")
            }
            ("a list", _) => Some("write a list: `[first, second]`, or one `- item` per line"),
            ("a mapping", NodeKind::Seq(_)) => {
                Some("remove the `- ` or the `[...]`: this takes `key: value` lines")
            }
            ("a mapping", _) => Some("this takes `key: value` lines, indented under it"),
            ("text", NodeKind::Map(_) | NodeKind::Seq(_)) => {
                Some("write the value on the same line as its key")
            }
            ("`true` or `false`", NodeKind::String(_)) => {
                Some("write `true` or `false` without quotes")
            }
            _ => None,
        };
        self.report(
            Diagnostic::error(
                "wrong-type",
                format!("expected {expected} for {what}, found {}", node.describe()),
            )
            .at(node.head_span())
            .with_optional_help(help.map(ToString::to_string)),
        );
    }

    /// Opens a mapping whose keys must come from `fields` (keys starting with
    /// `x-` are extensions and always allowed).
    pub fn map<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        fields: &'static [&'static str],
    ) -> Option<MapReader<'n>> {
        let NodeKind::Map(entries) = &node.kind else {
            self.wrong_type(node, "a mapping", what);
            return None;
        };

        let mut reader = MapReader {
            node,
            fields,
            what: what.to_string(),
            entries: Vec::with_capacity(entries.len()),
            used: Vec::with_capacity(entries.len()),
        };
        let mut first_seen: HashMap<&str, Span> = HashMap::new();
        for entry in entries {
            let Some(key) = entry.key.scalar_text() else {
                self.report(
                    Diagnostic::error(
                        "wrong-type",
                        format!(
                            "keys in {what} must be text, found {}",
                            entry.key.describe()
                        ),
                    )
                    .at(entry.key.head_span()),
                );
                continue;
            };
            if let Some(&first) = first_seen.get(key) {
                self.report(
                    Diagnostic::error("duplicate-key", format!("`{key}` appears twice in {what}"))
                        .at_labeled(entry.key.span, "second occurrence")
                        .with_secondary(first, "first occurrence")
                        .with_help("remove one of them; only one value can hold"),
                );
                continue;
            }
            first_seen.insert(key, entry.key.span);
            reader.entries.push((key, &entry.key, &entry.value));
            reader.used.push(false);
        }
        Some(reader)
    }

    /// Reads a list; `null` (an empty `key:`) reads as an empty list.
    pub fn seq<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [Node]> {
        match &node.kind {
            NodeKind::Seq(items) => Some(items),
            NodeKind::Null => Some(&[]),
            _ => {
                self.wrong_type(node, "a list", what);
                None
            }
        }
    }

    /// Reads a list, decoding each item with `read` and keeping those that
    /// decode.
    pub fn list<T>(
        &mut self,
        node: &Node,
        what: &str,
        mut read: impl FnMut(&mut Decoder, &Node) -> Option<T>,
    ) -> Vec<T> {
        let Some(items) = self.seq(node, what) else {
            return Vec::new();
        };
        items.iter().filter_map(|item| read(self, item)).collect()
    }

    /// Reads text. Numbers are accepted as written, so `version: 3.10` reads
    /// as `"3.10"`.
    pub fn text(&mut self, node: &Node, what: &str) -> Option<Spanned<String>> {
        match &node.kind {
            NodeKind::String(text) | NodeKind::Number(text) => {
                Some(Spanned::new(text.clone(), node.span))
            }
            _ => {
                self.wrong_type(node, "text", what);
                None
            }
        }
    }

    /// Reads `true` or `false`.
    pub fn bool(&mut self, node: &Node, what: &str) -> Option<bool> {
        match &node.kind {
            NodeKind::Bool(value) => Some(*value),
            _ => {
                self.wrong_type(node, "`true` or `false`", what);
                None
            }
        }
    }

    /// Reads a whole number that is not negative.
    pub fn unsigned(&mut self, node: &Node, what: &str) -> Option<u64> {
        let parsed = match &node.kind {
            NodeKind::Number(raw) => raw.parse::<u64>().ok(),
            _ => {
                self.wrong_type(node, "a whole number", what);
                return None;
            }
        };
        if parsed.is_none() {
            self.report(
                Diagnostic::error(
                    "invalid-value",
                    format!("{what} must be a whole number of zero or more"),
                )
                .at(node.span)
                .with_help("write a count such as `25000`, without sign, decimals or separators"),
            );
        }
        parsed
    }

    /// Reads a list of [`Keyword`] words; a single word is accepted where a
    /// list of one is meant.
    pub fn keyword_list<K: Keyword>(&mut self, node: &Node, what: &str) -> Vec<Spanned<K>> {
        if matches!(node.kind, NodeKind::String(_)) {
            return self.keyword(node).into_iter().collect();
        }
        self.list(node, what, |d, item| d.keyword(item))
    }

    /// Reads one of the words of a [`Keyword`] enum, suggesting the closest
    /// word when the value is misspelt.
    pub fn keyword<K: Keyword>(&mut self, node: &Node) -> Option<Spanned<K>> {
        let NodeKind::String(word) = &node.kind else {
            self.wrong_type(node, "text", &format!("the {}", K::WHAT));
            return None;
        };
        if let Some(value) = K::from_word(word) {
            return Some(Spanned::new(value, node.span));
        }

        let choices = K::words().collect::<Vec<_>>().join(", ");
        let help = match did_you_mean(word, K::words()) {
            Some(suggestion) => format!("did you mean `{suggestion}`? possible values: {choices}"),
            None => format!("possible values: {choices}"),
        };
        self.report(
            Diagnostic::error(
                "invalid-value",
                format!("`{word}` is not a valid {}", K::WHAT),
            )
            .at(node.span)
            .with_help(help),
        );
        None
    }
}

/// An open mapping: take fields by name, then [`MapReader::finish`] reports
/// the keys nobody asked for.
#[derive(Debug)]
pub struct MapReader<'n> {
    node: &'n Node,
    fields: &'static [&'static str],
    what: String,
    entries: Vec<(&'n str, &'n Node, &'n Node)>,
    used: Vec<bool>,
}

impl<'n> MapReader<'n> {
    /// The whole mapping node.
    pub fn node(&self) -> &'n Node {
        self.node
    }

    /// Names the mapping in later messages ("element `ehr`").
    pub fn describe_as(&mut self, what: impl Into<String>) {
        self.what = what.into();
    }

    /// What the mapping is called in messages.
    pub fn what(&self) -> &str {
        &self.what
    }

    /// The value under `key`, if present. A key present with an empty value
    /// (`name:`) counts as absent.
    pub fn get(&mut self, key: &str) -> Option<&'n Node> {
        let idx = self.entries.iter().position(|(name, _, _)| *name == key)?;
        if let Some(used) = self.used.get_mut(idx) {
            *used = true;
        }
        self.entries
            .get(idx)
            .map(|&(_, _, value)| value)
            .filter(|value| !value.is_null())
    }

    /// The span of `key` itself, if present.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.entries
            .iter()
            .find(|(name, _, _)| *name == key)
            .map(|(_, key_node, _)| key_node.span)
    }

    /// The value under `key`, reporting a `missing-field` error when absent.
    pub fn required(&mut self, decoder: &mut Decoder, key: &str) -> Option<&'n Node> {
        let value = self.get(key);
        if value.is_none() {
            decoder.report(
                Diagnostic::error("missing-field", format!("{} is missing `{key}`", self.what))
                    .at(self.node.head_span())
                    .with_help(format!("add `{key}:` to {}", self.what)),
            );
        }
        value
    }

    /// Text under `key`, if present.
    pub fn text(&mut self, decoder: &mut Decoder, key: &str) -> Option<Spanned<String>> {
        let node = self.get(key)?;
        decoder.text(node, &format!("`{key}`"))
    }

    /// Text under `key`, reporting a `missing-field` error when absent.
    pub fn required_text(&mut self, decoder: &mut Decoder, key: &str) -> Option<Spanned<String>> {
        let node = self.required(decoder, key)?;
        decoder.text(node, &format!("`{key}`"))
    }

    /// A list of words or ids under `key`; a single word is accepted where a
    /// list of one is meant.
    pub fn text_list(&mut self, decoder: &mut Decoder, key: &str) -> Vec<Spanned<String>> {
        let Some(node) = self.get(key) else {
            return Vec::new();
        };
        let what = format!("`{key}`");
        if matches!(node.kind, NodeKind::String(_)) {
            return decoder.text(node, &what).into_iter().collect();
        }
        decoder.list(node, &what, |d, item| {
            d.text(item, &format!("an item of {what}"))
        })
    }

    /// Reports every key that was never read and is not an `x-` extension.
    pub fn finish(self, decoder: &mut Decoder) {
        for ((name, key, _), used) in self.entries.iter().zip(&self.used) {
            if *used || name.starts_with("x-") || self.fields.contains(name) {
                continue;
            }
            let known = self.fields.join(", ");
            let help = match did_you_mean(name, self.fields.iter().copied()) {
                Some(suggestion) => format!("did you mean `{suggestion}`? known fields: {known}"),
                None => {
                    format!("known fields: {known}; prefix a key with `x-` to keep your own data")
                }
            };
            decoder.report(
                Diagnostic::error(
                    "unknown-field",
                    format!("{} has no field `{name}`", self.what),
                )
                .at(key.span)
                .with_help(help),
            );
        }
    }
}
