//! Harm propagation and ranking on small models where the right answer is
//! known.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use noharm_engine::{AnalysisOptions, Catalog, CatalogOptions, analyze, load_catalog};
use noharm_model::keywords::Severity;
use noharm_model::{Loader, MemoryFileSystem, Model};
use noharm_risk::{Likelihood, Policy, Priority, RankedFinding, rank_findings};

const PACK: &str = r#"noharm-pack: 1
pack: {id: risk-test, name: Rules for the ranking tests}
controls:
  - {id: input-validation, name: Input validation, description: Inputs are checked., nist_ai_rmf: [MANAGE 2.2]}
rules:
  - id: RT001
    name: tampered-model
    title: "{element} can be tampered with"
    applies_to: [model]
    severity: medium
    exploitability: medium
    failure_mode: wrong-output
    stride: [tampering]
    statement: {source: an attacker, action: "alter {element}", impact: wrong scores, goals: [integrity], assets: ["{element}"]}
    mitigations: [input-validation]
  - id: RT002
    name: exposed-log
    title: "{element} leaks"
    applies_to: [store]
    severity: high
    exploitability: medium
    failure_mode: disclosure
    stride: [information-disclosure]
    statement: {source: an attacker, action: "read {element}", impact: exposure, goals: [confidentiality], assets: ["{element}"]}
    mitigations: [input-validation]
  - id: RT003
    name: flooded-feed
    title: "{flow} can be flooded"
    applies_to: [flow]
    severity: low
    exploitability: high
    failure_mode: no-output
    stride: [denial-of-service]
    statement: {source: an attacker, action: "flood {flow}", impact: no scores, goals: [availability], assets: ["{target}"]}
    mitigations: [input-validation]
  - id: RT004
    name: unrecorded-decision
    title: "{element} leaves no record"
    applies_to: [actor]
    severity: medium
    exploitability: medium
    failure_mode: none
    stride: [repudiation]
    statement: {source: a clinician, action: "act on the output of {element}", impact: no record, goals: [accountability], assets: ["{element}"]}
    mitigations: [input-validation]
"#;

fn pack_path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("noharm-risk-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("pack.yaml");
        std::fs::write(&path, PACK).unwrap();
        path
    })
}

fn catalog() -> Catalog {
    let loaded = load_catalog(&CatalogOptions {
        builtin: false,
        extra: vec![pack_path().clone()],
        atlas: None,
    });
    loaded
        .catalog
        .unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics))
}

fn model(text: &str) -> Model {
    let mut fs = MemoryFileSystem::new();
    fs.insert("m.yaml", format!("noharm: 1\nsystem: {{id: s, name: S, intended_use: t, clinical_use: decision-support}}\n{text}"));
    let loaded = Loader::new(&fs).load(Path::new("m.yaml"));
    loaded
        .model
        .unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics))
}

fn ranked(text: &str) -> Vec<RankedFinding> {
    let model = model(text);
    let analysis = analyze(&model, &catalog(), AnalysisOptions::default());
    rank_findings(&model, &analysis, &Policy::default())
}

fn find<'a>(ranked: &'a [RankedFinding], fingerprint: &str) -> &'a RankedFinding {
    ranked
        .iter()
        .find(|f| f.finding.fingerprint == fingerprint)
        .unwrap_or_else(|| panic!("no {fingerprint}"))
}

const SEPSIS: &str = "
harms:
  - {id: missed-sepsis, description: Septic patient not flagged, severity: critical, modes: [wrong-output, no-output]}
  - {id: phi-breach, description: Records exposed, severity: minor, modes: [disclosure]}
data: [{id: vitals, classification: phi}]
elements:
  - {id: training-set, kind: store, stores: [vitals]}
  - {id: risk-model, kind: model}
  - {id: alert-service, kind: process}
  - {id: clinician, kind: actor, drives: [missed-sepsis]}
  - {id: audit-log, kind: store, stores: [vitals]}
  - {id: exporter, kind: process, drives: [phi-breach]}
  - {id: archive, kind: store, stores: [vitals]}
flows:
  - {id: train, from: training-set, to: risk-model, data: [vitals]}
  - {id: score, from: risk-model, to: alert-service}
  - {id: page, from: alert-service, to: clinician}
  - {id: log, from: alert-service, to: audit-log, data: [vitals]}
  - {id: export, from: audit-log, to: exporter, data: [vitals]}
  - {id: archive-copy, from: exporter, to: archive, data: [vitals]}
";

#[test]
fn harm_follows_the_failure_mode_downstream_and_keeps_the_path() {
    let ranked = ranked(SEPSIS);
    let model_finding = find(&ranked, "RT001:risk-model");
    let harm = &model_finding.assessment.harm;
    assert_eq!(harm.severity, Some(Severity::Critical));
    assert_eq!(harm.harms, ["missed-sepsis"]);
    assert_eq!(harm.path, ["risk-model", "alert-service", "clinician"]);
    assert_eq!(
        harm.explanation,
        "risk-model -> alert-service -> clinician: missed-sepsis, critical"
    );
    assert!(!harm.reviewed);

    // Disclosure from the audit log reaches only the disclosure harm.
    let log_finding = find(&ranked, "RT002:audit-log");
    assert_eq!(log_finding.assessment.harm.severity, Some(Severity::Minor));
    assert_eq!(log_finding.assessment.harm.path, ["audit-log", "exporter"]);

    // A flow's fault starts at its target, with its source shown first.
    let flow_finding = find(&ranked, "RT003:score");
    assert_eq!(
        flow_finding.assessment.harm.path,
        ["risk-model", "alert-service", "clinician"]
    );
    assert!(flow_finding.assessment.downtime);
}

#[test]
fn patient_harm_outranks_technical_severity() {
    let ranked = ranked(SEPSIS);
    let medium_with_harm = find(&ranked, "RT001:risk-model");
    let high_without_harm = find(&ranked, "RT002:archive");
    assert_eq!(high_without_harm.assessment.harm.severity, None);
    assert!(medium_with_harm.assessment.rank < high_without_harm.assessment.rank);
    assert!(medium_with_harm.assessment.score > high_without_harm.assessment.score);
    assert_eq!(ranked[0].assessment.rank, 1);
    assert!(matches!(
        medium_with_harm.assessment.priority,
        Priority::P1 | Priority::P2
    ));
}

#[test]
fn human_review_lowers_likelihood_never_severity() {
    let unreviewed = ranked(SEPSIS);
    let reviewed = ranked(&SEPSIS.replace(
        "{id: clinician, kind: actor, drives: [missed-sepsis]}",
        "{id: clinician, kind: actor, drives: [missed-sepsis], reviews_output: true}",
    ));
    let before = &find(&unreviewed, "RT001:risk-model").assessment;
    let after = &find(&reviewed, "RT001:risk-model").assessment;
    assert_eq!(before.harm.severity, after.harm.severity);
    assert!(after.harm.reviewed);
    assert!(after.likelihood < before.likelihood);
    assert!(after.score < before.score);
}

#[test]
fn monitoring_lowers_likelihood_and_a_control_mitigates() {
    let monitored = ranked(&format!(
        "{SEPSIS}  - {{id: drift, from: alert-service, to: monitor}}\n"
    ).replace(
        "  - {id: exporter, kind: process, drives: [phi-breach]}",
        "  - {id: exporter, kind: process, drives: [phi-breach]}\n  - {id: monitor, kind: process, stage: monitoring}",
    ));
    let assessment = &find(&monitored, "RT001:risk-model").assessment;
    assert!(assessment.harm.monitored);
    assert_eq!(assessment.likelihood, Likelihood::Unlikely);

    let mitigated = ranked(&SEPSIS.replace(
        "{id: risk-model, kind: model}",
        "{id: risk-model, kind: model, controls: [input-validation]}",
    ));
    assert_eq!(
        find(&mitigated, "RT001:risk-model").assessment.likelihood,
        Likelihood::Rare
    );
}

#[test]
fn cycles_and_unreachable_harms_are_handled() {
    let ranked = ranked(
        "
harms: [{id: h, description: d, severity: serious, modes: [wrong-output]}]
elements:
  - {id: a, kind: model}
  - {id: b, kind: process}
  - {id: c, kind: actor, drives: [h]}
  - {id: island, kind: model}
  - {id: sink, kind: store, stores: []}
flows:
  - {id: ab, from: a, to: b}
  - {id: ba, from: b, to: a}
  - {id: bc, from: b, to: c}
  - {id: is, from: island, to: sink}
",
    );
    assert_eq!(
        find(&ranked, "RT001:a").assessment.harm.path,
        ["a", "b", "c"]
    );
    let island = &find(&ranked, "RT001:island").assessment;
    assert_eq!(island.harm.severity, None);
    assert!(island.harm.path.is_empty());
}

#[test]
fn ranks_are_a_permutation_in_order() {
    let ranked = ranked(SEPSIS);
    for (position, finding) in ranked.iter().enumerate() {
        assert_eq!(finding.assessment.rank, position + 1);
    }
    for pair in ranked.windows(2) {
        assert!(pair[0].assessment.priority <= pair[1].assessment.priority);
    }
}

#[test]
fn threats_that_change_no_output_reach_no_harm() {
    let ranked = ranked(SEPSIS);
    let finding = find(&ranked, "RT004:clinician");
    assert_eq!(finding.finding.failure_mode, None);
    assert_eq!(finding.assessment.harm.severity, None);
    assert!(
        finding
            .assessment
            .harm
            .explanation
            .contains("changes no output")
    );
    assert!(finding.assessment.rank > find(&ranked, "RT001:risk-model").assessment.rank);
}
