//! The `noharm` binary driven as a user or a CI script drives it: arguments,
//! output, colours and exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn noharm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_noharm"))
        .args(args)
        .current_dir(workspace_root())
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn fixture(name: &str) -> String {
    format!("crates/noharm-cli/tests/fixtures/{name}")
}

#[test]
fn every_bundled_example_checks_clean() {
    let mut args = vec!["check", "--deny-warnings"];
    let examples = [
        "examples/sepsis-ews.yaml",
        "examples/radiology-triage.yaml",
        "examples/ambient-scribe.yaml",
        "examples/patient-chatbot.yaml",
        "examples/insulin-advisor.yaml",
        "examples/appointment-reminder.yaml",
        "examples/split/sepsis-ews.yaml",
    ];
    args.extend(examples);
    let output = noharm(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output).matches(": ok (").count(), examples.len());
}

#[test]
fn errors_exit_with_2_and_are_rendered_with_the_source_line() {
    let output = noharm(&["check", &fixture("broken.yaml")]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn warnings_fail_only_when_asked() {
    let output = noharm(&["check", &fixture("warning-only.yaml")]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("2 warnings"));

    let output = noharm(&["check", "--deny-warnings", &fixture("warning-only.yaml")]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn json_output_locates_each_diagnostic() {
    let output = noharm(&[
        "check",
        "--format",
        "json",
        &fixture("broken.yaml"),
        "examples/sepsis-ews.yaml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");

    let broken = &report["models"][0];
    assert_eq!(broken["valid"], false);
    assert_eq!(report["errors"], broken["errors"]);
    let codes: Vec<&str> = broken["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["unknown-reference", "invalid-value"]);

    let first = &broken["diagnostics"][0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], fixture("broken.yaml"));
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(10), Some(14))
    );
    assert_eq!(first["message"], "no data asset has the id `studies`");

    let valid = &report["models"][1];
    assert_eq!(valid["valid"], true);
    assert_eq!(valid["system"]["id"], "sepsis-ews");
    assert_eq!(valid["system"]["risk_tier"], "high");
}

#[test]
fn a_missing_file_is_reported_not_panicked() {
    let output = noharm(&["check", "no/such/model.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).contains("cannot read `no/such/model.yaml`: no such file"));
}

#[test]
fn a_directory_is_reported() {
    let output = noharm(&["check", "examples"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).contains("cannot read `examples`"));
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(noharm(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(noharm(&["check"]).status.code(), Some(2));
    assert_eq!(
        noharm(&["check", "--format", "xml", "x.yaml"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn colours_only_on_request_when_not_a_terminal() {
    let plain = noharm(&["check", &fixture("broken.yaml")]);
    assert!(!stdout(&plain).contains('\x1b'));

    let coloured = noharm(&["--color", "always", "check", &fixture("broken.yaml")]);
    assert!(stdout(&coloured).contains('\x1b'));

    let no_color = Command::new(env!("CARGO_BIN_EXE_noharm"))
        .args(["check", &fixture("broken.yaml")])
        .current_dir(workspace_root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&no_color).contains('\x1b'));
}

#[test]
fn schema_is_json_schema() {
    let output = noharm(&["schema"]);
    assert_eq!(output.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(schema["properties"]["elements"].is_object());
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = noharm(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        assert!(stdout(&output).contains("check"), "{shell}");
    }
}

#[test]
fn version_and_help() {
    let output = noharm(&["--version"]);
    assert_eq!(
        stdout(&output).trim(),
        format!("noharm {}", env!("CARGO_PKG_VERSION"))
    );

    let output = noharm(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&output));
}
