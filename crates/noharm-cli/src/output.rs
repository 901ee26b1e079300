//! Where the command's output goes, and whether it is coloured.

use std::io::{IsTerminal, Write};

use noharm_syntax::{Diagnostic, RenderOptions, SourceMap, render_human};

use crate::cli::ColorChoice;

/// The command's standard output and error, with the colour decision made
/// once.
pub(crate) struct Output {
    color: bool,
    stdout: std::io::Stdout,
}

/// A failure of the command itself (not a problem in the user's model).
#[derive(Debug)]
pub(crate) struct Failure(pub(crate) String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Output {
    pub(crate) fn new(choice: ColorChoice) -> Output {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        Output {
            color,
            stdout: std::io::stdout(),
        }
    }

    /// Whether colours are on.
    pub(crate) fn color(&self) -> bool {
        self.color
    }

    /// Writes text to standard output. A closed pipe (`noharm ... | head`)
    /// is not an error worth reporting.
    pub(crate) fn write(&mut self, text: &str) -> Result<(), Failure> {
        match self.stdout.lock().write_all(text.as_bytes()) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(error) => Err(Failure(format!("cannot write to standard output: {error}"))),
        }
    }

    /// Writes a line to standard output.
    pub(crate) fn line(&mut self, text: &str) -> Result<(), Failure> {
        self.write(text)?;
        self.write("\n")
    }

    /// Renders diagnostics for people.
    pub(crate) fn diagnostics(
        &mut self,
        diagnostics: &[Diagnostic],
        sources: &SourceMap,
    ) -> Result<(), Failure> {
        let options = RenderOptions {
            color: self.color,
            ..RenderOptions::default()
        };
        for diagnostic in diagnostics {
            self.write(&render_human(diagnostic, sources, options))?;
            self.write("\n")?;
        }
        Ok(())
    }

    /// Renders diagnostics for people on standard error, so that standard
    /// output keeps only the report.
    pub(crate) fn diagnostics_to_stderr(
        &mut self,
        diagnostics: &[Diagnostic],
        sources: &SourceMap,
    ) {
        let options = RenderOptions {
            color: self.color,
            ..RenderOptions::default()
        };
        let mut stderr = std::io::stderr().lock();
        for diagnostic in diagnostics {
            // A closed standard error leaves nowhere to report to.
            let _ = writeln!(stderr, "{}", render_human(diagnostic, sources, options));
        }
    }

    /// Writes a report to a file, or to standard output.
    pub(crate) fn write_report(
        &mut self,
        text: &str,
        path: Option<&std::path::Path>,
    ) -> Result<(), Failure> {
        match path {
            Some(path) => std::fs::write(path, text)
                .map_err(|error| Failure(format!("cannot write `{}`: {error}", path.display()))),
            None => self.write(text),
        }
    }

    /// Writes a value as pretty JSON to a file or standard output, streamed
    /// rather than built in memory first.
    pub(crate) fn write_json(
        &mut self,
        value: &impl serde::Serialize,
        path: Option<&std::path::Path>,
    ) -> Result<(), Failure> {
        let result = match path {
            Some(path) => {
                let file = std::fs::File::create(path).map_err(|error| {
                    Failure(format!("cannot write `{}`: {error}", path.display()))
                })?;
                write_pretty(std::io::BufWriter::new(file), value)
            }
            None => write_pretty(std::io::BufWriter::new(self.stdout.lock()), value),
        };
        match result {
            Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(Failure(format!("cannot write the report: {error}")))
            }
            _ => Ok(()),
        }
    }

    /// Paints `text` with an ANSI style when colours are on.
    pub(crate) fn paint(&self, text: &str, style: Style) -> String {
        if !self.color {
            return text.to_string();
        }
        let code = match style {
            Style::Ok => "32",
            Style::Error => "31;1",
            Style::Warning => "33",
            Style::Dim => "2",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    /// Reports the command's own failure on standard error, once.
    pub(crate) fn report_failure(&mut self, failure: &Failure) {
        let prefix = self.paint("error:", Style::Error);
        // Nothing sensible is left to do if standard error is closed too.
        let _ = writeln!(std::io::stderr().lock(), "{prefix} {failure}");
    }
}

/// Styles for terminal output.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Style {
    Ok,
    Error,
    Warning,
    Dim,
}

fn write_pretty(mut writer: impl Write, value: &impl serde::Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut writer, value).map_err(std::io::Error::from)?;
    writer.write_all(b"\n")?;
    writer.flush()
}
