//! `noharm analyze` and `noharm tree` on the bundled examples: the JSON
//! contract, the formats, the CI gate and the harm-first order.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn noharm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_noharm"))
        .args(args)
        .current_dir(workspace_root())
        .env(
            "NOHARM_DATA_DIR",
            std::env::temp_dir().join("noharm-analyze-test-empty"),
        )
        .output()
        .expect("the binary runs")
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn json(args: &[&str]) -> serde_json::Value {
    let output = noharm(args);
    assert!(
        output.status.code().is_some_and(|code| code < 2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn the_json_contract_holds() {
    let report = json(&["analyze", "examples/sepsis-ews.yaml", "--format", "json"]);
    assert_eq!(report["system"]["id"], "sepsis-ews");
    assert_eq!(report["system"]["risk_tier"], "high");
    assert_eq!(
        report["system"]["sign_off"],
        serde_json::json!(["clinical-safety", "security", "compliance"])
    );
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.len() > 20);
    for (position, finding) in findings.iter().enumerate() {
        for key in [
            "fingerprint",
            "rule",
            "title",
            "targets",
            "stride",
            "linddun",
            "atlas",
            "owasp",
            "cwe",
            "status",
            "statement",
            "mitigations",
            "harm",
            "likelihood",
            "score",
            "priority",
            "rank",
        ] {
            assert!(
                finding.get(key).is_some(),
                "finding {position} lacks `{key}`"
            );
        }
        assert_eq!(finding["rank"], position + 1);
        assert!(["open", "mitigated", "excluded"].contains(&finding["status"].as_str().unwrap()));
    }
    // The first finding can hurt a patient, and says how.
    let first = &findings[0];
    assert!(first["harm"]["severity"].is_string());
    assert!(!first["harm"]["path"].as_array().unwrap().is_empty());
    assert_eq!(first["priority"], "P1");
}

#[test]
fn patient_harm_outranks_technical_severity_in_the_examples() {
    let report = json(&[
        "analyze",
        "examples/radiology-triage.yaml",
        "--format",
        "json",
    ]);
    let findings = report["findings"].as_array().unwrap();
    let last_with_harm = findings
        .iter()
        .rposition(|f| f["harm"]["severity"].is_string() && f["status"] == "open");
    let first_without = findings.iter().position(|f| {
        f["harm"]["severity"].is_null() && f["status"] == "open" && f["priority"] != "P4"
    });
    if let (Some(with), Some(without)) = (last_with_harm, first_without) {
        let with_score = findings[with]["score"].as_f64().unwrap();
        let without_score = findings[without]["score"].as_f64().unwrap();
        assert!(with_score > without_score);
    }
}

#[test]
fn every_format_renders() {
    for format in ["table", "markdown", "csv", "html"] {
        let output = noharm(&[
            "analyze",
            "examples/patient-chatbot.yaml",
            "--format",
            format,
        ]);
        assert_eq!(output.status.code(), Some(0), "{format}");
        assert!(output.stdout.len() > 1000, "{format}");
    }
    let sarif = json(&[
        "analyze",
        "examples/patient-chatbot.yaml",
        "--format",
        "sarif",
    ]);
    assert_eq!(sarif["version"], "2.1.0");
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    let html = noharm(&[
        "analyze",
        "examples/patient-chatbot.yaml",
        "--format",
        "html",
    ]);
    assert!(String::from_utf8_lossy(&html.stdout).starts_with("<!DOCTYPE html>"));
}

#[test]
fn fail_on_gates_ci() {
    assert_eq!(
        noharm(&[
            "analyze",
            "examples/sepsis-ews.yaml",
            "--fail-on",
            "high",
            "--brief"
        ])
        .status
        .code(),
        Some(1)
    );
    assert_eq!(
        noharm(&["analyze", "examples/sepsis-ews.yaml", "--brief"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(noharm(&["analyze", "no/such.yaml"]).status.code(), Some(2));
}

#[test]
fn a_bad_policy_is_a_located_error() {
    let path = std::env::temp_dir().join(format!("noharm-policy-{}.yaml", std::process::id()));
    std::fs::write(&path, "noharm-policy: 1\nweights: {harm: 5}\n").unwrap();
    let output = noharm(&[
        "analyze",
        "examples/sepsis-ews.yaml",
        "--policy",
        path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("harm weight 5"));
}

#[test]
fn attack_trees_are_generated_per_harm() {
    let trees = json(&["tree", "examples/sepsis-ews.yaml", "--format", "json"]);
    let trees = trees.as_array().unwrap();
    assert!(trees.iter().any(|tree| tree["id"] == "harm-missed-sepsis"));
    let one = json(&[
        "tree",
        "examples/sepsis-ews.yaml",
        "--harm",
        "missed-sepsis",
        "--format",
        "json",
    ]);
    assert_eq!(one.as_array().unwrap().len(), 1);
    assert!(one[0]["analysis"].is_object());
    assert_eq!(
        noharm(&["tree", "examples/sepsis-ews.yaml", "--harm", "no-such-harm"])
            .status
            .code(),
        Some(2)
    );
    let svg = noharm(&[
        "tree",
        "examples/insulin-advisor.yaml",
        "--harm",
        "hyperglycaemia-dka",
        "--format",
        "svg",
    ]);
    assert!(String::from_utf8_lossy(&svg.stdout).starts_with("<svg"));
    assert_eq!(
        noharm(&["tree", "examples/insulin-advisor.yaml", "--format", "svg"])
            .status
            .code(),
        Some(2)
    );
    let dot = noharm(&["tree", "examples/insulin-advisor.yaml", "--format", "dot"]);
    assert!(String::from_utf8_lossy(&dot.stdout).contains("digraph"));
}

#[test]
fn diagrams_draw_in_every_format() {
    let svg = noharm(&["diagram", "examples/sepsis-ews.yaml"]);
    assert_eq!(svg.status.code(), Some(0));
    let text = String::from_utf8_lossy(&svg.stdout);
    assert!(text.starts_with("<svg"), "{}", &text[..80.min(text.len())]);
    assert!(text.contains("data-priority=\"P1\""));
    let dot = noharm(&[
        "diagram",
        "examples/sepsis-ews.yaml",
        "--format",
        "dot",
        "--no-findings",
    ]);
    assert!(String::from_utf8_lossy(&dot.stdout).contains("subgraph cluster"));
    let mermaid = noharm(&["diagram", "examples/sepsis-ews.yaml", "--format", "mermaid"]);
    assert!(String::from_utf8_lossy(&mermaid.stdout).contains("flowchart"));
    let html = noharm(&["analyze", "examples/sepsis-ews.yaml", "--format", "html"]);
    let page = String::from_utf8_lossy(&html.stdout);
    assert!(
        page.matches("<svg").count() >= 3,
        "the diagram and the attack trees are embedded"
    );
}

#[test]
fn cvss_is_shown_beside_the_harm_ranking_not_instead_of_it() {
    let report = json(&["analyze", "examples/sepsis-ews.yaml", "--format", "json"]);
    let findings = report["findings"].as_array().unwrap();
    let scored: Vec<&serde_json::Value> =
        findings.iter().filter(|f| f["cvss"].is_object()).collect();
    assert!(!scored.is_empty());
    for finding in &scored {
        assert!(
            finding["cvss"]["vector"]
                .as_str()
                .unwrap()
                .starts_with("CVSS:4.0/")
        );
        assert!(finding["cvss"]["score"].as_f64().unwrap() > 0.0);
    }
    let markdown = noharm(&[
        "analyze",
        "examples/sepsis-ews.yaml",
        "--format",
        "markdown",
    ]);
    assert!(String::from_utf8_lossy(&markdown.stdout).contains("**CVSS v4.0:**"));
}
