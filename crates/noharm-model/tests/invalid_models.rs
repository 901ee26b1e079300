//! The corpus of invalid models under `tests/invalid/`: each file is one kind
//! of mistake or hostile input, and its rendered diagnostics are a snapshot.
//!
//! A file may carry its expected diagnostic codes on its first line, as
//! `# expect: code-a, code-b`; the test checks that exactly those codes are
//! reported, so a snapshot cannot silently drift into a different error.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use noharm_model::{DiskFileSystem, FileSystem, Loaded, Loader, ReadError};
use noharm_syntax::{RenderOptions, render_human};

fn render(loaded: &Loaded) -> String {
    let options = RenderOptions {
        color: false,
        unicode: true,
        width: 100,
    };
    let mut out = String::new();
    for diagnostic in &loaded.diagnostics {
        out.push_str(&render_human(diagnostic, &loaded.sources, options));
        out.push('\n');
    }
    out
}

fn expected_codes(path: &Path) -> Option<Vec<String>> {
    let bytes = std::fs::read(path).ok()?;
    let first_line = bytes.split(|&b| b == b'\n').next()?;
    let first_line = std::str::from_utf8(first_line).ok()?;
    let codes = first_line.strip_prefix("# expect:")?;
    Some(
        codes
            .split(',')
            .map(|code| code.trim().to_string())
            .collect(),
    )
}

#[test]
fn invalid_models_produce_the_expected_diagnostics() {
    // Problems are collected rather than asserted on the spot, so that one
    // wrong file does not stop the glob and every snapshot is still checked.
    let mut problems = Vec::new();
    insta::glob!("invalid/*.*", |path| {
        let relative = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(path)
            .to_path_buf();
        // Load by a relative path so snapshots do not contain the checkout
        // location.
        let loaded = Loader::new(&ManifestRelative).load(&relative);

        if loaded.model.is_some() && loaded.n_warnings() == 0 {
            problems.push(format!(
                "{}: expected problems, found none",
                relative.display()
            ));
        }
        if let Some(mut expected) = expected_codes(path) {
            let mut actual: Vec<String> = loaded
                .diagnostics
                .iter()
                .map(|d| d.code.to_string())
                .collect();
            actual.sort();
            actual.dedup();
            expected.sort();
            expected.dedup();
            if actual != expected {
                problems.push(format!(
                    "{}: expected codes {expected:?}, found {actual:?}",
                    relative.display()
                ));
            }
        }
        insta::assert_snapshot!(render(&loaded));
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The disk, with relative paths taken from this crate's directory.
struct ManifestRelative;

impl FileSystem for ManifestRelative {
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        DiskFileSystem.read(&Path::new(env!("CARGO_MANIFEST_DIR")).join(path), limit)
    }

    fn canonicalize(&self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }
}
