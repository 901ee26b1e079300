//! The threat engine on the bundled examples: findings are specific (no
//! unfilled placeholders), unique, about things that exist, and the patient
//! chatbot shows every OWASP LLM Top 10 entry.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use noharm_engine::{Analysis, AnalysisOptions, analyze, builtin_catalog};
use noharm_model::{Model, load};
use noharm_syntax::Keyword;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

const EXAMPLES: &[&str] = &[
    "sepsis-ews.yaml",
    "radiology-triage.yaml",
    "ambient-scribe.yaml",
    "patient-chatbot.yaml",
    "insulin-advisor.yaml",
    "appointment-reminder.yaml",
];

fn analyse(name: &str) -> (Model, Analysis) {
    let catalog = builtin_catalog().catalog.expect("built-in packs load");
    let model = load(&example(name)).model.expect("example is valid");
    let analysis = analyze(&model, &catalog, AnalysisOptions::default());
    (model, analysis)
}

#[test]
fn findings_are_specific_unique_and_about_real_things() {
    for name in EXAMPLES {
        let (model, analysis) = analyse(name);
        assert!(!analysis.findings.is_empty(), "{name}: no findings");
        assert!(
            analysis.diagnostics.is_empty(),
            "{name}: {:#?}",
            analysis.diagnostics
        );

        let mut fingerprints = HashSet::new();
        for finding in &analysis.findings {
            assert!(
                fingerprints.insert(&finding.fingerprint),
                "{name}: duplicate {}",
                finding.fingerprint
            );
            for text in [&finding.title, &finding.statement] {
                assert!(
                    !text.contains('{') && !text.contains('}'),
                    "{name}: placeholder left in `{text}`"
                );
            }
            for target in &finding.targets {
                assert!(
                    model.element(target).is_some() || model.flow(target).is_some(),
                    "{name}: {} targets unknown `{target}`",
                    finding.fingerprint
                );
            }
        }
    }
}

#[test]
fn the_patient_chatbot_shows_every_llm_top_10_entry() {
    let (_, analysis) = analyse("patient-chatbot.yaml");
    for entry in 1..=10 {
        let id = format!("LLM{entry:02}:2025");
        assert!(
            analysis
                .findings
                .iter()
                .any(|finding| finding.owasp.contains(&id)),
            "no finding for {id}"
        );
    }
}

#[test]
fn the_low_risk_reminder_has_fewer_findings_than_the_high_risk_systems() {
    let (_, reminder) = analyse("appointment-reminder.yaml");
    for name in [
        "sepsis-ews.yaml",
        "insulin-advisor.yaml",
        "patient-chatbot.yaml",
    ] {
        let (_, other) = analyse(name);
        assert!(reminder.findings.len() < other.findings.len(), "{name}");
    }
}

/// The findings of each example, one line each, so that a change in any rule
/// shows up as a reviewable diff.
#[test]
fn example_findings_snapshot() {
    for name in EXAMPLES {
        let (_, analysis) = analyse(name);
        let mut text = String::new();
        for finding in &analysis.findings {
            let _ = writeln!(
                text,
                "{:<7} {:<9} {:<8} {:<28} {}",
                finding.rule,
                finding.status.as_str(),
                finding.severity.as_str(),
                finding.subject.id,
                finding.title
            );
        }
        insta::assert_snapshot!(name.trim_end_matches(".yaml"), text);
    }
}
