//! Reading a user's file into a source map, the way every command that
//! reports located problems in it needs.

use std::path::Path;

use noharm_syntax::{FileId, SourceMap, decode_text};

use crate::output::Failure;

/// Reads `path` as UTF-8 text into a new source map, or says why it cannot.
pub(crate) fn read_source(path: &Path) -> Result<(SourceMap, FileId), Failure> {
    let cannot = |reason: String| Failure(format!("cannot read `{}`: {reason}", path.display()));
    let bytes = std::fs::read(path).map_err(|error| cannot(error.to_string()))?;
    let text = decode_text(&bytes).map_err(|error| cannot(error.to_string()))?;
    let mut sources = SourceMap::new();
    let file = sources.add(path.display().to_string(), path, &text);
    Ok((sources, file))
}
