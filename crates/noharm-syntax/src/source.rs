use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Identifies one file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(u32);

impl FileId {
    /// The position of the file in its source map.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// The file the range is in.
    pub file: FileId,
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset one past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (byte offsets) in `file`.
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        let start = clamp_u32(start);
        Span {
            file,
            start,
            end: clamp_u32(end).max(start),
        }
    }

    /// An empty span at the start of `file`.
    pub fn file_start(file: FileId) -> Span {
        Span::new(file, 0, 0)
    }

    /// The smallest span covering both `self` and `other` (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

fn clamp_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// A line and column, both counted from 1; the column counts characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// Line number, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub column: u32,
}

/// One loaded file: its name as the user gave it, its path and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: String,
    path: PathBuf,
    text: Arc<str>,
    line_starts: Vec<u32>,
    is_ascii: bool,
}

impl SourceFile {
    fn new(name: String, path: PathBuf, text: Arc<str>) -> SourceFile {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(idx, _)| clamp_u32(idx + 1)))
            .collect();
        let is_ascii = text.is_ascii();
        SourceFile {
            name,
            path,
            text,
            line_starts,
            is_ascii,
        }
    }

    /// The name shown to users (the path as given on the command line or in
    /// an `include`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The path the file was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The file's text, shared.
    pub fn shared_text(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }

    /// Line and column of a byte offset.
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(clamp_u32(self.text.len()));
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(idx) => idx,
            Err(idx) => idx.saturating_sub(1),
        };
        let line_start = self.line_starts.get(line_idx).copied().unwrap_or(0);
        // Machine-written JSON can be one line of megabytes: count bytes
        // when they are characters, instead of walking the line each time.
        let column = if self.is_ascii {
            (offset - line_start) as usize
        } else {
            self.text
                .get(line_start as usize..offset as usize)
                .map_or(0, |prefix| prefix.chars().count())
        };
        LineCol {
            line: clamp_u32(line_idx + 1),
            column: clamp_u32(column + 1),
        }
    }

    /// The byte offset of a position given as a 1-based line and a 0-based
    /// column in characters, as YAML parsers report them.
    pub fn offset_of(&self, line: usize, column_chars: usize, char_index: usize) -> usize {
        if self.is_ascii {
            return char_index.min(self.text.len());
        }
        let Some(&line_start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = self.text.get(line_start as usize..).unwrap_or("");
        let within = rest
            .char_indices()
            .nth(column_chars)
            .map_or(rest.len(), |(idx, _)| idx);
        line_start as usize + within
    }

    /// The text of the 1-based line `line`, without its line break.
    pub fn line_text(&self, line: u32) -> &str {
        let idx = line.saturating_sub(1) as usize;
        let Some(&start) = self.line_starts.get(idx) else {
            return "";
        };
        let end = self
            .line_starts
            .get(idx + 1)
            .map_or(self.text.len(), |&next| next as usize);
        self.text
            .get(start as usize..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

/// All files read while loading a model, so diagnostics can point into them.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// An empty source map.
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, path: impl Into<PathBuf>, text: &str) -> FileId {
        let id = FileId(clamp_u32(self.files.len()));
        self.files
            .push(SourceFile::new(name.into(), path.into(), Arc::from(text)));
        id
    }

    /// The file with id `id`.
    ///
    /// Ids only come from [`SourceMap::add`] on this map; an id from another
    /// map falls back to the first file rather than panicking.
    pub fn file(&self, id: FileId) -> &SourceFile {
        self.files
            .get(id.index())
            .or_else(|| self.files.first())
            .unwrap_or(&EMPTY_FILE)
    }

    /// All files, in the order they were added.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(idx, file)| (FileId(clamp_u32(idx)), file))
    }

    /// Line and column of the start of `span`.
    pub fn start_of(&self, span: Span) -> LineCol {
        self.file(span.file).line_col(span.start)
    }

    /// The text a span covers.
    pub fn snippet(&self, span: Span) -> &str {
        self.file(span.file)
            .text()
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }
}

static EMPTY_FILE: std::sync::LazyLock<SourceFile> =
    std::sync::LazyLock::new(|| SourceFile::new(String::new(), PathBuf::new(), Arc::from("")));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let mut sources = SourceMap::new();
        let file = sources.add("a.yaml", "a.yaml", "ab\ncé: x\n");
        let source = sources.file(file);
        assert_eq!(source.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(source.line_col(3), LineCol { line: 2, column: 1 });
        // `x` is byte 8 but character 5 of line two.
        assert_eq!(source.line_col(8), LineCol { line: 2, column: 5 });
        assert_eq!(source.line_text(2), "cé: x");
    }

    #[test]
    fn offset_of_converts_character_columns_to_bytes() {
        let mut sources = SourceMap::new();
        let file = sources.add("a.yaml", "a.yaml", "é: 1\nb: 2\n");
        let source = sources.file(file);
        assert_eq!(source.offset_of(1, 3, 3), 4);
        assert_eq!(source.offset_of(2, 0, 5), 6);
    }

    #[test]
    fn out_of_range_offsets_do_not_panic() {
        let mut sources = SourceMap::new();
        let file = sources.add("a.yaml", "a.yaml", "x");
        let source = sources.file(file);
        assert_eq!(source.line_col(99).line, 1);
        assert_eq!(source.line_text(99), "");
        assert_eq!(source.offset_of(40, 2, 500), 1);
    }
}
