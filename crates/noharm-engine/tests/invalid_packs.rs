//! Mistakes in rule packs are located errors with help, asserted as
//! snapshots of the rendered diagnostics: one file per kind of mistake.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use noharm_engine::{CatalogOptions, load_catalog};
use noharm_syntax::{RenderOptions, render_human};

#[test]
fn invalid_packs_produce_located_diagnostics() {
    insta::glob!("invalid-packs/*.yaml", |path| {
        let relative = std::path::Path::new("tests/invalid-packs").join(path.file_name().unwrap());
        let previous = std::env::current_dir().unwrap();
        // Load by a relative path so snapshots do not contain the checkout
        // location; this test binary has only this test, so changing the
        // directory is safe.
        std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
        let loaded = load_catalog(&CatalogOptions {
            builtin: false,
            extra: vec![relative.clone()],
            atlas: None,
        });
        std::env::set_current_dir(previous).unwrap();

        assert!(
            loaded.catalog.is_none(),
            "{}: expected errors",
            relative.display()
        );
        let mut out = String::new();
        for diagnostic in &loaded.diagnostics {
            out.push_str(&render_human(
                diagnostic,
                &loaded.sources,
                RenderOptions::default(),
            ));
            out.push('\n');
        }
        insta::assert_snapshot!(out);
    });
}
