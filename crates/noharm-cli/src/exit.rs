//! Exit codes: part of the interface, since CI gates on them.

use std::process::ExitCode;

/// What a run ended with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Code {
    /// Nothing to report, or nothing the user asked to fail on.
    Clean = 0,
    /// Findings or warnings the user asked to fail on.
    Findings = 1,
    /// Invalid input or usage: the model has errors, a file cannot be read,
    /// an argument is wrong.
    Usage = 2,
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> ExitCode {
        ExitCode::from(code as u8)
    }
}
