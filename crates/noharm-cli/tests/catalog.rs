//! `noharm catalog`: listing, showing and explaining rules, and importing
//! MITRE's ATLAS.yaml.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn noharm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_noharm"))
        .args(args)
        .current_dir(workspace_root())
        .env("NOHARM_DATA_DIR", scratch_dir("data"))
        .output()
        .expect("the binary runs")
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("noharm-catalog-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn list_names_every_pack_and_counts_rules() {
    let output = noharm(&["catalog", "list"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for pack in [
        "(stride)",
        "(linddun)",
        "(ai-lifecycle)",
        "(llm)",
        "(agentic)",
        "(patient-safety)",
        "(controls)",
    ] {
        assert!(text.contains(pack), "{pack} missing");
    }
    let json = noharm(&["catalog", "list", "--format", "json"]);
    let document: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(document["rules"].as_array().unwrap().len() >= 120);
}

#[test]
fn explain_gives_the_patient_rationale_and_fixtures() {
    let output = noharm(&["catalog", "explain", "LLM001"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("Why it matters for a patient"));
    assert!(text.contains("Example (fires)"));
    assert!(text.contains("LLM01:2025"));
}

#[test]
fn show_finds_rules_controls_and_atlas_entries() {
    assert!(stdout(&noharm(&["catalog", "show", "mfa"])).contains("mitigates"));
    assert!(stdout(&noharm(&["catalog", "show", "AML.T0020"])).contains("Poison Training Data"));
    let missing = noharm(&["catalog", "show", "NOPE999"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn a_broken_pack_is_reported_with_its_location() {
    let dir = scratch_dir("pack");
    let pack = dir.join("broken.yaml");
    std::fs::write(
        &pack,
        "noharm-pack: 1\npack: {id: mine, name: Mine}\nrules:\n  - id: OWN001\n    name: x\n    title: T\n    applies_to: [model]\n    when: element.stagee == \"training\"\n    severity: high\n    exploitability: low\n    failure_mode: wrong-output\n    stride: [tampering]\n    statement: {source: s, action: a, impact: i, goals: [integrity], assets: [x]}\n    mitigations: [mfa]\n",
    )
    .unwrap();
    let output = noharm(&[
        "analyze",
        "examples/sepsis-ews.yaml",
        "--rules",
        pack.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(
        errors.contains("unknown field `element.stagee`"),
        "{errors}"
    );
    assert!(errors.contains("broken.yaml:8:11"), "{errors}");
}

/// The built-in table is what `import-atlas` makes of the official file, so
/// refreshing from a newer file changes only what MITRE changed.
#[test]
fn import_atlas_reproduces_the_builtin_table() {
    let atlas = workspace_root().join("../shared/data/atlas/ATLAS.yaml");
    if !atlas.exists() {
        eprintln!("skipped: {} is not here", atlas.display());
        return;
    }
    let out = scratch_dir("atlas").join("atlas.tsv");
    let output = noharm(&[
        "catalog",
        "import-atlas",
        atlas.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout(&output).contains("0 new, 0 renamed"));
    let builtin =
        std::fs::read_to_string(workspace_root().join("crates/noharm-engine/data/atlas.tsv"))
            .unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), builtin);
}

#[test]
fn import_atlas_refuses_a_file_that_is_not_atlas() {
    let output = noharm(&[
        "catalog",
        "import-atlas",
        "examples/sepsis-ews.yaml",
        "--output",
        "/dev/null",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("does not look like MITRE's ATLAS.yaml")
    );
}
