//! One module per subcommand; each has a `run` that returns the exit code.

pub(crate) mod analyze;
pub(crate) mod catalog;
pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod diagram;
mod files;
mod packs;
mod pipeline;
pub(crate) mod schema;
pub(crate) mod tree;
