//! Every bundled example must satisfy the generated JSON Schema, so editors
//! using the schema agree with `noharm check`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use noharm_syntax::{Limits, SourceMap, parse_yaml};

fn example_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut files = Vec::new();
    for dir in [root.clone(), root.join("split")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|ext| ext == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn examples_satisfy_the_json_schema() {
    let schema = noharm_model::model_json_schema();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let files = example_files();
    assert!(files.len() >= 6, "examples not found");

    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut sources = SourceMap::new();
        let file = sources.add(path.display().to_string(), &path, &text);
        let node = parse_yaml(sources.file(file), file, &Limits::default()).unwrap();
        let instance = node.to_json_value();
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}

#[test]
fn the_schema_rejects_what_check_rejects() {
    let schema = noharm_model::model_json_schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let bad = serde_json::json!({
        "noharm": 1,
        "system": {"id": "x", "name": "X", "intended_use": "u", "clinical_use": "diagnostik"},
        "elements": [{"id": "a", "kind": "store", "colour": "red"}]
    });
    assert!(!validator.is_valid(&bad));
    let extension = serde_json::json!({"noharm": 1, "x-tool": {"anything": true}});
    assert!(validator.is_valid(&extension));
}
