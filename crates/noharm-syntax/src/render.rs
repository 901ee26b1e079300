use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use serde::Serialize;

use crate::{Diagnostic, Label, Severity, SourceMap};

/// How to render diagnostics for people.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Use Unicode box-drawing characters (otherwise ASCII).
    pub unicode: bool,
    /// Wrap text at this many columns.
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions {
            color: false,
            unicode: true,
            width: 100,
        }
    }
}

/// Renders a diagnostic for a terminal: the message, the offending source
/// lines with the problem underlined, and the help line.
pub fn render_human(
    diagnostic: &Diagnostic,
    sources: &SourceMap,
    options: RenderOptions,
) -> String {
    let theme = match (options.unicode, options.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, true) => GraphicalTheme::ascii(),
        (false, false) => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_context_lines(1)
        .without_syntax_highlighting();
    let view = MietteView::new(diagnostic, sources);

    let mut out = String::new();
    if handler.render_report(&mut out, &view).is_err() {
        // Rendering into a String cannot fail in practice; fall back to the
        // plain message rather than losing the diagnostic.
        out = format!("{}: {}\n", diagnostic.code, diagnostic.message);
    }
    out
}

/// A diagnostic as machines read it: file, 1-based line and column, and the
/// texts.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct JsonDiagnostic {
    /// `error` or `warning`.
    pub severity: Severity,
    /// Stable code.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// The file, as named to the user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Line of the start, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Column of the start in characters, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// Line of the end, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    /// Column just past the end, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
    /// A note on the primary place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Other places that explain the problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<JsonLabel>,
}

/// A secondary place of a [`JsonDiagnostic`].
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct JsonLabel {
    /// The file.
    pub file: String,
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub column: u32,
    /// What the place has to do with the diagnostic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Converts a diagnostic to its machine-readable form.
pub fn to_json(diagnostic: &Diagnostic, sources: &SourceMap) -> JsonDiagnostic {
    let primary = diagnostic.primary.as_ref();
    let file = primary.map(|label| sources.file(label.span.file));
    let start = primary.and_then(|label| file.map(|f| f.line_col(label.span.start)));
    let end = primary.and_then(|label| file.map(|f| f.line_col(label.span.end)));

    JsonDiagnostic {
        severity: diagnostic.severity,
        code: diagnostic.code,
        message: diagnostic.message.clone(),
        file: file.map(|f| f.name().to_string()),
        line: start.map(|pos| pos.line),
        column: start.map(|pos| pos.column),
        end_line: end.map(|pos| pos.line),
        end_column: end.map(|pos| pos.column),
        label: primary.and_then(|label| label.message.clone()),
        help: diagnostic.help.clone(),
        related: diagnostic
            .secondary
            .iter()
            .map(|label| json_label(label, sources))
            .collect(),
    }
}

fn json_label(label: &Label, sources: &SourceMap) -> JsonLabel {
    let file = sources.file(label.span.file);
    let start = file.line_col(label.span.start);
    JsonLabel {
        file: file.name().to_string(),
        line: start.line,
        column: start.column,
        message: label.message.clone(),
    }
}

/// A diagnostic shaped for miette's renderer. Secondary labels in the same
/// file as the primary one are drawn beside it; those in other files are
/// named by location in the help.
struct MietteView {
    severity: miette::Severity,
    code: &'static str,
    message: String,
    help: Option<String>,
    source: Option<NamedSource<std::sync::Arc<str>>>,
    labels: Vec<LabeledSpan>,
}

/// Lines longer than this are not printed: machine-written JSON can be one
/// line of megabytes, and the location says enough.
const MAX_LINE_TO_SHOW: usize = 400;

impl MietteView {
    fn new(diagnostic: &Diagnostic, sources: &SourceMap) -> MietteView {
        let severity = match diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        };
        let mut view = MietteView {
            severity,
            code: diagnostic.code,
            message: diagnostic.message.clone(),
            help: diagnostic.help.clone(),
            source: None,
            labels: Vec::new(),
        };
        let Some(primary) = &diagnostic.primary else {
            return view;
        };

        let file_id = primary.span.file;
        let mut notes = Vec::new();
        let mut labels = vec![labeled_span(primary, true)];
        for label in &diagnostic.secondary {
            if label.span.file == file_id && !on_long_line(sources, label.span) {
                labels.push(labeled_span(label, false));
            } else {
                notes.push(located_note(label, sources));
            }
        }

        if on_long_line(sources, primary.span) {
            let position = sources.start_of(primary.span);
            view.message = format!(
                "{} (at {}:{}:{})",
                view.message,
                sources.file(file_id).name(),
                position.line,
                position.column
            );
        } else {
            view.source = Some(named_source(sources, file_id));
            view.labels = labels;
        }
        if !notes.is_empty() {
            let mut help = view.help.take().map(|help| vec![help]).unwrap_or_default();
            help.extend(notes);
            view.help = Some(help.join("\n"));
        }
        view
    }
}

fn on_long_line(sources: &SourceMap, span: crate::Span) -> bool {
    let file = sources.file(span.file);
    let line = file.line_col(span.start).line;
    file.line_text(line).len() > MAX_LINE_TO_SHOW
}

/// A secondary place as a line of text: `first defined at file:3:5`.
fn located_note(label: &Label, sources: &SourceMap) -> String {
    let position = sources.start_of(label.span);
    let what = label.message.as_deref().unwrap_or("see");
    format!(
        "{what}: {}:{}:{}",
        sources.file(label.span.file).name(),
        position.line,
        position.column
    )
}

fn named_source(sources: &SourceMap, file_id: crate::FileId) -> NamedSource<std::sync::Arc<str>> {
    let file = sources.file(file_id);
    NamedSource::new(file.name(), file.shared_text())
}

fn labeled_span(label: &Label, primary: bool) -> LabeledSpan {
    let span = SourceSpan::new((label.span.start as usize).into(), label.span.len());
    if primary {
        LabeledSpan::new_primary_with_span(label.message.clone(), span)
    } else {
        LabeledSpan::new_with_span(label.message.clone(), span)
    }
}

impl fmt::Debug for MietteView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for MietteView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MietteView {}

impl miette::Diagnostic for MietteView {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source
            .as_ref()
            .map(|source| source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
}
