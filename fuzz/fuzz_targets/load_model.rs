//! Feeds arbitrary bytes to the model loader as a YAML root file that
//! includes a JSON file made of the same bytes, and renders every diagnostic,
//! so parsing, decoding, validation and rendering are all exercised.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use noharm_model::{Loader, MemoryFileSystem};
use noharm_syntax::{RenderOptions, render_human, to_json};

fuzz_target!(|bytes: &[u8]| {
    let mut fs = MemoryFileSystem::new();
    fs.insert("model.yaml", bytes);
    fs.insert("model.json", bytes);

    for root in ["model.yaml", "model.json"] {
        let loaded = Loader::new(&fs).load(Path::new(root));
        for diagnostic in &loaded.diagnostics {
            let _ = render_human(diagnostic, &loaded.sources, RenderOptions::default());
            let _ = to_json(diagnostic, &loaded.sources);
        }
    }
});
