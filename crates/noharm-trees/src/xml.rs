//! A small element tree read from XML with quick-xml, each element with its
//! span, bounded in depth and size. Importers read this rather than the
//! event stream.

use noharm_syntax::{Diagnostic, FileId, Span};
use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};

use crate::codes;

/// Deepest nesting read.
const MAX_DEPTH: usize = 64;
/// Most elements read.
const MAX_ELEMENTS: usize = 200_000;

/// One XML element.
#[derive(Clone, Debug, Default)]
pub(crate) struct Element {
    /// The local name (without a namespace prefix).
    pub(crate) name: String,
    /// Attributes by local name, values unescaped.
    pub(crate) attributes: Vec<(String, String)>,
    /// The text directly inside, entities resolved.
    pub(crate) text: String,
    /// Child elements in order.
    pub(crate) children: Vec<Element>,
    /// The start tag.
    pub(crate) span: Span,
}

impl Element {
    /// The value of attribute `name`.
    pub(crate) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The child elements called `name`.
    pub(crate) fn children_named<'e, 'n>(
        &'e self,
        name: &'n str,
    ) -> impl Iterator<Item = &'e Element> + use<'e, 'n> {
        self.children.iter().filter(move |child| child.name == name)
    }

    /// The trimmed text of the first child called `name`.
    pub(crate) fn child_text(&self, name: &str) -> Option<&str> {
        self.children_named(name)
            .next()
            .map(|child| child.text.trim())
    }
}

/// Parses `text` and returns its document element.
pub(crate) fn parse(text: &str, file: FileId) -> Result<Element, Box<Diagnostic>> {
    let mut reader = Reader::from_str(text);
    let mut open: Vec<Element> = Vec::new();
    let mut count = 0usize;
    loop {
        let before = position(reader.buffer_position());
        let event = reader
            .read_event()
            .map_err(|error| syntax_error(file, &reader, &error.to_string()))?;
        let span = Span::new(file, before, position(reader.buffer_position()));
        match event {
            Event::Start(_) | Event::Empty(_) if open.len() >= MAX_DEPTH => {
                return Err(limit_error(span, "nests deeper than 64 elements"));
            }
            Event::Start(start) => {
                count += 1;
                open.push(element(&start, span, file, &reader)?);
            }
            Event::Empty(start) => {
                count += 1;
                let done = element(&start, span, file, &reader)?;
                if let Some(root) = close(&mut open, done) {
                    return Ok(root);
                }
            }
            Event::End(_) => {
                let Some(done) = open.pop() else {
                    return Err(syntax_error(
                        file,
                        &reader,
                        "a closing tag without its opening tag",
                    ));
                };
                if let Some(root) = close(&mut open, done) {
                    return Ok(root);
                }
            }
            Event::Text(text) => push_text(&mut open, &text.decode().unwrap_or_default()),
            Event::CData(data) => push_text(&mut open, &data.decode().unwrap_or_default()),
            Event::GeneralRef(reference) => push_text(&mut open, &entity(&reference)),
            Event::Eof => {
                return Err(syntax_error(
                    file,
                    &reader,
                    "the document ends before its root element is closed",
                ));
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
        if count > MAX_ELEMENTS {
            return Err(limit_error(span, "has more than 200000 elements"));
        }
    }
}

fn position(offset: u64) -> usize {
    usize::try_from(offset).unwrap_or(usize::MAX)
}

/// Attaches a finished element to its parent; the document element when
/// there is no parent.
fn close(open: &mut [Element], done: Element) -> Option<Element> {
    match open.last_mut() {
        Some(parent) => {
            parent.children.push(done);
            None
        }
        None => Some(done),
    }
}

fn push_text(open: &mut [Element], text: &str) {
    if let Some(current) = open.last_mut() {
        current.text.push_str(text);
    }
}

fn entity(reference: &BytesRef<'_>) -> String {
    if let Ok(Some(character)) = reference.resolve_char_ref() {
        return character.to_string();
    }
    let name = reference.decode().unwrap_or_default();
    resolve_predefined_entity(&name).map_or_else(|| format!("&{name};"), str::to_string)
}

fn element(
    start: &BytesStart<'_>,
    span: Span,
    file: FileId,
    reader: &Reader<&[u8]>,
) -> Result<Element, Box<Diagnostic>> {
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute =
            attribute.map_err(|error| syntax_error(file, reader, &error.to_string()))?;
        let key = String::from_utf8_lossy(attribute.key.local_name().as_ref()).into_owned();
        let value = attribute
            .unescape_value()
            .map_err(|error| syntax_error(file, reader, &error.to_string()))?;
        attributes.push((key, value.into_owned()));
    }
    Ok(Element {
        name: String::from_utf8_lossy(start.local_name().as_ref()).into_owned(),
        attributes,
        text: String::new(),
        children: Vec::new(),
        span,
    })
}

fn syntax_error(file: FileId, reader: &Reader<&[u8]>, message: &str) -> Box<Diagnostic> {
    let at = position(reader.error_position());
    Box::new(
        Diagnostic::error(
            codes::XML_SYNTAX,
            format!("the XML is not well-formed: {message}"),
        )
        .at(Span::new(file, at, at.saturating_add(1)))
        .with_help("open the file in ADTool and save it again, or fix the markup by hand"),
    )
}

fn limit_error(span: Span, what: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(codes::XML_SYNTAX, format!("the XML document {what}"))
            .at(span)
            .with_help("noharm reads attack trees of ordinary size; split the tree"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_elements_attributes_and_entities() {
        let xml = r#"<?xml version="1.0"?><a x="1 &amp; 2"><b>fish &lt;&#38; chips</b><c/></a>"#;
        let root = parse(xml, FileId::default()).unwrap();
        assert_eq!(root.name, "a");
        assert_eq!(root.attribute("x"), Some("1 & 2"));
        assert_eq!(root.child_text("b"), Some("fish <& chips"));
        assert_eq!(root.children.len(), 2);
    }

    #[test]
    fn reports_broken_markup_and_deep_nesting() {
        let error = parse("<a><b></a>", FileId::default()).unwrap_err();
        assert_eq!(error.code, codes::XML_SYNTAX);
        let deep = "<a>".repeat(100);
        let error = parse(&deep, FileId::default()).unwrap_err();
        assert!(error.message.contains("deeper"), "{}", error.message);
        assert!(parse("", FileId::default()).is_err());
    }
}
