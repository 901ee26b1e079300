//! Reading a model from disk: the root file, its includes, parsing, decoding,
//! merging and validation, with every problem collected as a diagnostic.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use noharm_syntax::{
    Decoder, Diagnostic, FileId, Limits, SourceMap, Span, TextError, decode_text, parse_document,
};

use crate::codes;
use crate::decode::decode_model_file;
use crate::model::{Model, ModelFile};
use crate::validate::validate;

/// How deep includes may nest, and how many files one model may have.
const MAX_INCLUDE_DEPTH: usize = 16;
const MAX_FILES: usize = 512;

/// The result of loading a model: the model when it is valid, every
/// diagnostic in source order, and the files they point into.
#[derive(Debug)]
pub struct Loaded {
    /// The model, present when there are no errors (warnings allowed).
    pub model: Option<Model>,
    /// Errors and warnings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Every file read.
    pub sources: SourceMap,
}

impl Loaded {
    /// The number of errors.
    pub fn n_errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// The number of warnings.
    pub fn n_warnings(&self) -> usize {
        self.diagnostics.len() - self.n_errors()
    }
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// No such file.
    NotFound,
    /// The file is larger than allowed.
    TooLarge {
        /// Its size in bytes.
        size: u64,
    },
    /// A directory, a permission problem, or another I/O failure.
    Other(String),
}

/// Where model files come from: the disk, or memory in tests and fuzzing.
pub trait FileSystem {
    /// Reads a whole file, refusing files larger than `limit` bytes.
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError>;

    /// A canonical form of `path` used to recognise the same file reached by
    /// two routes.
    fn canonicalize(&self, path: &Path) -> PathBuf;
}

/// The real file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct DiskFileSystem;

impl FileSystem for DiskFileSystem {
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        let file = std::fs::File::open(path).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound,
            _ => ReadError::Other(error.to_string()),
        })?;
        let metadata = file
            .metadata()
            .map_err(|error| ReadError::Other(error.to_string()))?;
        if metadata.is_dir() {
            return Err(ReadError::Other("it is a directory".to_string()));
        }
        if metadata.len() > limit {
            return Err(ReadError::TooLarge {
                size: metadata.len(),
            });
        }
        // Read one byte past the limit: special files report a size of zero
        // and may never end.
        let mut bytes = Vec::new();
        file.take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|error| ReadError::Other(error.to_string()))?;
        if bytes.len() as u64 > limit {
            return Err(ReadError::TooLarge {
                size: bytes.len() as u64,
            });
        }
        Ok(bytes)
    }

    fn canonicalize(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Files held in memory, for tests and fuzzing.
#[derive(Debug, Clone, Default)]
pub struct MemoryFileSystem {
    files: HashMap<PathBuf, Vec<u8>>,
}

impl MemoryFileSystem {
    /// An empty file system.
    pub fn new() -> MemoryFileSystem {
        MemoryFileSystem::default()
    }

    /// Adds or replaces a file.
    pub fn insert(&mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }
}

impl FileSystem for MemoryFileSystem {
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        let bytes = self.files.get(path).ok_or(ReadError::NotFound)?;
        if bytes.len() as u64 > limit {
            return Err(ReadError::TooLarge {
                size: bytes.len() as u64,
            });
        }
        Ok(bytes.clone())
    }

    fn canonicalize(&self, path: &Path) -> PathBuf {
        normalize(path)
    }
}

/// Removes `.` and resolves `..` lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Loads the model at `path` from disk with the default limits.
pub fn load(path: &Path) -> Loaded {
    Loader::new(&DiskFileSystem).load(path)
}

/// Loads models from a [`FileSystem`].
#[derive(Debug)]
pub struct Loader<'fs, F: FileSystem> {
    fs: &'fs F,
    limits: Limits,
}

impl<'fs, F: FileSystem> Loader<'fs, F> {
    /// A loader with the default limits.
    pub fn new(fs: &'fs F) -> Loader<'fs, F> {
        Loader {
            fs,
            limits: Limits::default(),
        }
    }

    /// Replaces the limits.
    pub fn with_limits(mut self, limits: Limits) -> Loader<'fs, F> {
        self.limits = limits;
        self
    }

    /// Loads, merges and validates the model whose root file is `path`.
    pub fn load(&self, path: &Path) -> Loaded {
        let mut run = LoadRun {
            fs: self.fs,
            limits: &self.limits,
            sources: SourceMap::new(),
            decoder: Decoder::new(),
            files: Vec::new(),
            seen: HashMap::new(),
        };
        run.load_file(path, path.display().to_string(), None, &mut Vec::new());

        let model = run.merge();
        let sources = run.sources;
        let mut diagnostics = run.decoder.into_diagnostics();
        if let Some(model) = &model {
            validate(model, &mut diagnostics);
        }
        sort_by_location(&mut diagnostics);

        let has_errors = diagnostics.iter().any(Diagnostic::is_error);
        tracing::debug!(path = %path.display(), n_diagnostics = diagnostics.len(), "model loaded");
        Loaded {
            model: model.filter(|_| !has_errors),
            diagnostics,
            sources,
        }
    }
}

struct LoadRun<'a, F: FileSystem> {
    fs: &'a F,
    limits: &'a Limits,
    sources: SourceMap,
    decoder: Decoder,
    files: Vec<(FileId, ModelFile)>,
    seen: HashMap<PathBuf, Span>,
}

impl<F: FileSystem> LoadRun<'_, F> {
    fn load_file(
        &mut self,
        path: &Path,
        name: String,
        include_site: Option<Span>,
        stack: &mut Vec<PathBuf>,
    ) {
        let canonical = self.fs.canonicalize(path);
        let Some(file_id) = self.read_source(path, &name, include_site) else {
            return;
        };
        let root = match parse_document(&self.sources, file_id, self.limits) {
            Ok(root) => root,
            Err(diagnostic) => {
                self.decoder.report(*diagnostic);
                return;
            }
        };
        let file = decode_model_file(&mut self.decoder, &root);
        let includes = file.include.clone();
        self.files.push((file_id, file));

        stack.push(canonical);
        for include in includes {
            self.follow_include(path, &include.value, include.span, stack);
        }
        stack.pop();
    }

    fn follow_include(&mut self, from: &Path, include: &str, site: Span, stack: &mut Vec<PathBuf>) {
        let target = from.parent().unwrap_or(Path::new("")).join(include);
        let canonical = self.fs.canonicalize(&target);

        if stack.contains(&canonical) {
            self.decoder.report(
                Diagnostic::error(
                    codes::INCLUDE,
                    format!("including `{include}` here forms a cycle"),
                )
                .at(site)
                .with_help("a file cannot include itself, directly or through other files"),
            );
            return;
        }
        if let Some(&first) = self.seen.get(&canonical) {
            self.decoder.report(
                Diagnostic::error(codes::INCLUDE, format!("`{include}` is included twice"))
                    .at_labeled(site, "second include")
                    .with_secondary(first, "first included here")
                    .with_help(
                        "include each file once; its contents would otherwise be duplicated",
                    ),
            );
            return;
        }
        if stack.len() >= MAX_INCLUDE_DEPTH || self.files.len() >= MAX_FILES {
            self.decoder.report(
                Diagnostic::error(
                    codes::INCLUDE,
                    format!("includes nest deeper than {MAX_INCLUDE_DEPTH} files or exceed {MAX_FILES} files"),
                )
                .at(site),
            );
            return;
        }

        self.seen.insert(canonical, site);
        self.load_file(&target, target.display().to_string(), Some(site), stack);
    }

    /// Reads a file and adds it to the source map, or reports why it cannot.
    fn read_source(
        &mut self,
        path: &Path,
        name: &str,
        include_site: Option<Span>,
    ) -> Option<FileId> {
        let bytes = match self.fs.read(path, self.limits.max_file_bytes) {
            Ok(bytes) => bytes,
            Err(error) => {
                let mut diagnostic =
                    read_error_diagnostic(name, &error, self.limits.max_file_bytes);
                if include_site.is_some() && error == ReadError::NotFound {
                    diagnostic.code = codes::INCLUDE;
                }
                self.decoder.report(match include_site {
                    Some(site) => diagnostic.at_labeled(site, "included here"),
                    None => diagnostic,
                });
                return None;
            }
        };

        match decode_text(&bytes) {
            Ok(text) => Some(self.sources.add(name, path, &text)),
            Err(error) => {
                self.report_text_error(path, name, &bytes, &error, include_site);
                None
            }
        }
    }

    fn report_text_error(
        &mut self,
        path: &Path,
        name: &str,
        bytes: &[u8],
        error: &TextError,
        site: Option<Span>,
    ) {
        let mut diagnostic = Diagnostic::error(
            codes::UNREADABLE_FILE,
            format!("cannot read `{name}`: {error}"),
        );
        match error {
            TextError::InvalidUtf8 { offset } => {
                // Show the line with the bad byte, replaced by U+FFFD.
                let lossy = String::from_utf8_lossy(bytes);
                let file = self.sources.add(name, path, &lossy);
                diagnostic = diagnostic
                    .at_labeled(Span::new(file, *offset, offset + 3), "not UTF-8")
                    .with_help("save the file as UTF-8");
            }
            TextError::Empty => {
                diagnostic = diagnostic.with_help(
                    "a model file starts with `noharm: 1` followed by a `system:` section",
                );
            }
            TextError::Binary { .. } | TextError::WideEncoding => {
                if let Some(site) = site {
                    diagnostic = diagnostic.at_labeled(site, "included here");
                }
            }
        }
        self.decoder.report(diagnostic);
    }

    /// Merges the decoded files into one model, if there is exactly one
    /// system; lists keep file order, root first.
    fn merge(&mut self) -> Option<Model> {
        let mut systems = self
            .files
            .iter_mut()
            .filter_map(|(_, file)| file.system.take())
            .collect::<Vec<_>>();
        let root_file = self.files.first().map(|(id, _)| *id);

        if systems.len() > 1 {
            for extra in &systems[1..] {
                self.decoder.report(
                    Diagnostic::error(
                        codes::MISSING_SYSTEM,
                        "the model has more than one `system` section",
                    )
                    .at_labeled(extra.id.span, "another system")
                    .with_secondary(systems[0].id.span, "first system")
                    .with_help(
                        "a model describes one system; split other systems into their own models",
                    ),
                );
            }
        }
        if systems.is_empty() {
            // Only when every file was readable as a mapping and none tried to
            // describe a system: otherwise the real error is already reported.
            let all_mappings = self.files.iter().all(|(_, file)| file.is_mapping);
            let any_attempt = self.files.iter().any(|(_, file)| file.has_system_section);
            let read_everything = self.files.len() == self.sources.files().count();
            if let Some(root_file) = root_file
                && all_mappings
                && !any_attempt
                && read_everything
            {
                self.decoder.report(
                    Diagnostic::error(codes::MISSING_SYSTEM, "the model has no `system` section")
                        .at(Span::file_start(root_file))
                        .with_help(
                            "add `system:` with `id`, `name`, `intended_use` and `clinical_use`",
                        ),
                );
            }
            return None;
        }

        let mut model = Model {
            system: systems.swap_remove(0),
            harms: Vec::new(),
            data: Vec::new(),
            boundaries: Vec::new(),
            elements: Vec::new(),
            flows: Vec::new(),
            artifacts: Vec::new(),
            assumptions: Vec::new(),
        };
        for (_, file) in self.files.drain(..) {
            model.harms.extend(file.harms);
            model.data.extend(file.data);
            model.boundaries.extend(file.boundaries);
            model.elements.extend(file.elements);
            model.flows.extend(file.flows);
            model.artifacts.extend(file.artifacts);
            model.assumptions.extend(file.assumptions);
        }
        Some(model)
    }
}

fn read_error_diagnostic(name: &str, error: &ReadError, limit: u64) -> Diagnostic {
    match error {
        ReadError::NotFound => Diagnostic::error(
            codes::UNREADABLE_FILE,
            format!("cannot read `{name}`: no such file"),
        )
        .with_help("check the path; include paths are relative to the including file"),
        ReadError::TooLarge { size } => Diagnostic::error(
            codes::UNREADABLE_FILE,
            format!(
                "cannot read `{name}`: it is {}, more than the {} a model file may be",
                megabytes(*size),
                megabytes(limit)
            ),
        )
        .with_help("split a very large model into several files with `include`"),
        ReadError::Other(reason) => Diagnostic::error(
            codes::UNREADABLE_FILE,
            format!("cannot read `{name}`: {reason}"),
        ),
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

fn sort_by_location(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|diagnostic| {
        diagnostic
            .span()
            .map(|span| (1, span.file, span.start))
            .unwrap_or((0, FileId::default(), 0))
    });
}
