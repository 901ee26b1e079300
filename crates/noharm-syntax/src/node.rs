use crate::Span;

/// One value of a YAML or JSON document, with the span it was written at.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub kind: NodeKind,
    /// The whole value's extent in its file.
    pub span: Span,
}

/// The kinds of value a document holds.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// `null`, `~` or an empty value.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, kept as written so that `3.10` stays `3.10` when read as text.
    Number(String),
    /// A string.
    String(String),
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, in file order; duplicate keys are kept for the decoder to
    /// report.
    Map(Vec<Entry>),
}

/// One key and value of a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key.
    pub key: Node,
    /// The value.
    pub value: Node,
}

impl Node {
    /// A node of `kind` at `span`.
    pub fn new(kind: NodeKind, span: Span) -> Node {
        Node { kind, span }
    }

    /// What kind of value this is, for messages ("a list").
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "nothing",
            NodeKind::Bool(_) => "true or false",
            NodeKind::Number(_) => "a number",
            NodeKind::String(_) => "text",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }

    /// The text of a scalar: a string, or a number or boolean as written.
    pub fn scalar_text(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(text) | NodeKind::Number(text) => Some(text),
            NodeKind::Bool(true) => Some("true"),
            NodeKind::Bool(false) => Some("false"),
            _ => None,
        }
    }

    /// Whether this node is null.
    pub fn is_null(&self) -> bool {
        matches!(self.kind, NodeKind::Null)
    }

    /// A short span for pointing at the value: the first key of a mapping,
    /// or the first character of a list, rather than the whole block, so a
    /// label on a fifty-line element underlines one line.
    pub fn head_span(&self) -> Span {
        match &self.kind {
            NodeKind::Map(entries) => entries.first().map_or(self.span, |entry| entry.key.span),
            NodeKind::Seq(_) => Span {
                end: self
                    .span
                    .start
                    .saturating_add(1)
                    .min(self.span.end.max(self.span.start)),
                ..self.span
            },
            _ => self.span,
        }
    }

    /// The number of values in this subtree, this node included.
    pub fn count(&self) -> usize {
        match &self.kind {
            NodeKind::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            NodeKind::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|entry| entry.key.count() + entry.value.count())
                    .sum::<usize>()
            }
            _ => 1,
        }
    }
}

impl Node {
    /// The value as plain JSON, spans dropped. Numbers JSON cannot hold
    /// (`.inf`, `0x1F` beyond range) become strings as written.
    pub fn to_json_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(value) => Value::Bool(*value),
            NodeKind::Number(raw) => number_value(raw),
            NodeKind::String(text) => Value::String(text.clone()),
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json_value).collect()),
            NodeKind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|entry| {
                        let key = entry.key.scalar_text().unwrap_or_default().to_string();
                        (key, entry.value.to_json_value())
                    })
                    .collect(),
            ),
        }
    }
}

fn number_value(raw: &str) -> serde_json::Value {
    if let Ok(integer) = raw.parse::<i64>() {
        return integer.into();
    }
    if let Ok(integer) = raw.parse::<u64>() {
        return integer.into();
    }
    raw.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or_else(
            || serde_json::Value::String(raw.to_string()),
            serde_json::Value::Number,
        )
}
