//! Generated trees for the example models with the built-in rule packs: each
//! evaluates within the default limits, and every shared node is one node.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use noharm_engine::{AnalysisOptions, analyze, builtin_catalog};
use noharm_risk::{Policy, rank_findings};
use noharm_trees::{EvalLimits, render_dot, render_text, trees_from_findings};

#[test]
fn every_example_yields_trees_that_evaluate() {
    let catalog = builtin_catalog().catalog.expect("the built-in packs load");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut total = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let loaded = noharm_model::load(&path);
        let model = loaded
            .model
            .unwrap_or_else(|| panic!("{}: {:#?}", path.display(), loaded.diagnostics));
        let findings = analyze(&model, &catalog, AnalysisOptions::default());
        let ranked = rank_findings(&model, &findings, &Policy::default());
        for tree in trees_from_findings(&model, &ranked) {
            let analysis = noharm_trees::analyze(&tree, &EvalLimits::default())
                .unwrap_or_else(|e| panic!("{}: {}: {e}", path.display(), tree.id()));
            assert!(analysis.achievable || !tree.countermeasures().is_empty());
            assert!(!render_text(&tree, Some(&analysis)).is_empty());
            assert!(render_dot(&tree, Some(&analysis)).starts_with("digraph"));
            if std::env::var("SHOW_TREES").is_ok() {
                eprintln!("{}", render_text(&tree, Some(&analysis)));
            }
            total += 1;
        }
    }
    assert!(total > 0, "the examples reach some harm");
}
