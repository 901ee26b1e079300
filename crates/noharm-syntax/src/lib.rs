//! The textual layer of noharm: source files and spans, located diagnostics,
//! and a spanned tree of YAML or JSON values that the model and rule-pack
//! decoders read.
//!
//! Everything here is bounded: parsers enforce a nesting depth and a node
//! budget (which also defuses YAML alias bombs), readers enforce a size limit,
//! and no function panics on any input.

mod decode;
mod diagnostic;
mod json;
mod keyword;
mod limits;
mod node;
mod render;
mod source;
mod spanned;
mod suggest;
mod text;
mod yaml;

pub use decode::{Decoder, MapReader};
pub use diagnostic::{Diagnostic, Label, Severity};
pub use json::parse_json;
pub use keyword::Keyword;
pub use limits::Limits;
pub use node::{Entry, Node, NodeKind};
pub use render::{JsonDiagnostic, JsonLabel, RenderOptions, render_human, to_json};
pub use source::{FileId, LineCol, SourceFile, SourceMap, Span};
pub use spanned::Spanned;
pub use suggest::did_you_mean;
pub use text::{TextError, decode_text};
pub use yaml::parse_yaml;

/// Parses `text` as JSON or YAML, choosing by the file name's extension.
///
/// Files ending in `.json` are read as JSON (with JSON's own error messages);
/// everything else as YAML, which also accepts JSON.
pub fn parse_document(
    sources: &SourceMap,
    file: FileId,
    limits: &Limits,
) -> Result<Node, Box<Diagnostic>> {
    let source = sources.file(file);
    if source.name().to_ascii_lowercase().ends_with(".json") {
        parse_json(source, file, limits)
    } else {
        parse_yaml(source, file, limits)
    }
}
