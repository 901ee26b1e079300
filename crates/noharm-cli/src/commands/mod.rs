//! One module per subcommand; each has a `run` that returns the exit code.

pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod schema;
