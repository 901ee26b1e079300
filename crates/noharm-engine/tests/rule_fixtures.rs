//! Every built-in rule carries two fixtures in its doc: `example`, a model
//! that must fire it, and `quiet`, the same model changed so it must not.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use noharm_engine::{AnalysisOptions, Catalog, analyze, builtin_catalog};
use noharm_model::{Loader, MemoryFileSystem, Model};

const DEFAULT_SYSTEM: &str = "\
system:
  id: fixture
  name: Fixture system
  intended_use: Test fixture
  clinical_use: decision-support
";

/// Loads a fixture as `rule-packs.md` describes: `noharm: 1` prepended, the
/// default system added when the fixture has none.
fn load_fixture(rule: &str, which: &str, text: &str) -> Model {
    let has_system = text.lines().any(|line| line.starts_with("system:"));
    let mut full = String::from("noharm: 1\n");
    if !has_system {
        full.push_str(DEFAULT_SYSTEM);
    }
    full.push_str(text);

    let mut fs = MemoryFileSystem::new();
    fs.insert("fixture.yaml", full.clone());
    let loaded = Loader::new(&fs).load(Path::new("fixture.yaml"));
    let problems: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    loaded.model.unwrap_or_else(|| {
        panic!("{rule} {which} fixture is not a valid model: {problems:#?}\n{full}")
    })
}

fn fires(catalog: &Catalog, model: &Model, rule: &str) -> bool {
    analyze(
        model,
        catalog,
        AnalysisOptions {
            preview: true,
            keep_superseded: true,
        },
    )
    .findings
    .iter()
    .any(|finding| finding.rule == rule)
}

fn catalog() -> Catalog {
    let loaded = builtin_catalog();
    let problems: Vec<String> = loaded
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    loaded
        .catalog
        .unwrap_or_else(|| panic!("the built-in packs have errors: {problems:#?}"))
}

#[test]
fn builtin_packs_load_without_diagnostics() {
    let loaded = builtin_catalog();
    let problems: Vec<String> = loaded
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_rule_fires_on_its_example_and_not_on_its_quiet_fixture() {
    let catalog = catalog();
    let mut failures = Vec::new();
    for rule in &catalog.rules {
        let id = rule.id.as_str();
        let (Some(example), Some(quiet)) = (&rule.doc.example, &rule.doc.quiet) else {
            failures.push(format!("{id}: needs both `doc.example` and `doc.quiet`"));
            continue;
        };
        if !fires(&catalog, &load_fixture(id, "example", example), id) {
            failures.push(format!("{id}: does not fire on its example"));
        }
        if fires(&catalog, &load_fixture(id, "quiet", quiet), id) {
            failures.push(format!("{id}: fires on its quiet fixture"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn rules_are_documented() {
    let catalog = catalog();
    for rule in &catalog.rules {
        let id = rule.id.as_str();
        assert!(!rule.doc.detects.trim().is_empty(), "{id}: doc.detects");
        assert!(!rule.doc.why.trim().is_empty(), "{id}: doc.why");
        assert!(
            !rule.stride.is_empty() || !rule.linddun.is_empty(),
            "{id}: no STRIDE or LINDDUN category"
        );
        assert!(!rule.mitigations.is_empty(), "{id}: no mitigating control");
    }
}

#[test]
fn the_catalog_is_broad() {
    let catalog = catalog();
    assert!(
        catalog.rules.len() >= 120,
        "only {} rules",
        catalog.rules.len()
    );
    for pack in [
        "stride",
        "linddun",
        "ai-lifecycle",
        "llm",
        "agentic",
        "patient-safety",
        "controls",
    ] {
        assert!(
            catalog.packs.iter().any(|p| p.id == pack),
            "missing pack {pack}"
        );
    }
    for entry in 1..=10 {
        let id = format!("LLM{entry:02}:2025");
        assert!(
            catalog.rules.iter().any(|r| r.owasp.contains(&id)),
            "no rule for {id}"
        );
        let id = format!("ML{entry:02}:2023");
        assert!(
            catalog.rules.iter().any(|r| r.owasp.contains(&id)),
            "no rule for {id}"
        );
    }
    for control in &catalog.controls {
        assert!(
            !control.atlas_mitigations.is_empty() || !control.nist_ai_rmf.is_empty(),
            "control {} maps to nothing",
            control.id.value
        );
    }
}
