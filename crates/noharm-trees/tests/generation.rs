//! Trees generated from ranked findings on a small sepsis model built here,
//! with a rule pack written for the test.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use noharm_engine::{AnalysisOptions, CatalogOptions, FindingStatus, analyze, load_catalog};
use noharm_model::{Loader, MemoryFileSystem, Model};
use noharm_risk::{Policy, RankedFinding, rank_findings};
use noharm_trees::{AttackTree, EvalLimits, Gate, NodeKind, trees_from_findings};

const PACK: &str = r#"noharm-pack: 1
pack: {id: trees-test, name: Rules for the attack-tree tests}
controls:
  - {id: input-validation, name: Input validation, description: Inputs are checked., nist_ai_rmf: [MANAGE 2.2]}
  - {id: model-signing, name: Model signing, description: Models are signed., nist_ai_rmf: [MANAGE 2.2]}
  - {id: rate-limiting, name: Rate limiting, description: Senders are throttled., nist_ai_rmf: [MANAGE 2.2]}
rules:
  - id: TT001
    name: tampered-model
    title: "{element} can be tampered with"
    applies_to: [model]
    severity: medium
    exploitability: medium
    failure_mode: wrong-output
    stride: [tampering]
    statement: {source: an insider with access to the ML platform, action: "alter {element}", impact: wrong scores, goals: [integrity], assets: ["{element}"]}
    mitigations: [input-validation, model-signing]
  - id: TT002
    name: poisoned-store
    title: "{element} can be poisoned"
    applies_to: [store]
    severity: high
    exploitability: high
    failure_mode: wrong-output
    stride: [tampering]
    statement: {source: an insider with access to the ML platform, action: "poison {element}", impact: a skewed model, goals: [integrity], assets: ["{element}"]}
    mitigations: [input-validation]
  - id: TT003
    name: flooded-feed
    title: "{flow} can be flooded"
    applies_to: [flow]
    severity: low
    exploitability: high
    failure_mode: no-output
    stride: [denial-of-service]
    statement: {source: "anyone who can reach {target}", action: "flood {flow}", impact: no scores, goals: [availability], assets: ["{target}"]}
    mitigations: [rate-limiting]
"#;

const MODEL: &str = "
harms:
  - {id: missed-sepsis, description: Septic patient not flagged, severity: critical, modes: [wrong-output, no-output]}
  - {id: records-exposed, description: Records exposed, severity: minor, modes: [disclosure]}
elements:
  - {id: training-set, kind: store}
  - {id: risk-model, kind: model, controls: [input-validation]}
  - {id: alert-service, kind: process}
  - {id: clinician, kind: actor, drives: [missed-sepsis], reviews_output: true}
flows:
  - {id: train, from: training-set, to: risk-model}
  - {id: score, from: risk-model, to: alert-service}
  - {id: page, from: alert-service, to: clinician}
assumptions:
  - {id: a1, text: The training feed is on an isolated network, excludes: [TT003], targets: [train]}
";

fn pack_path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("noharm-trees-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("pack.yaml");
        std::fs::write(&path, PACK).unwrap();
        path
    })
}

fn model() -> Model {
    let mut fs = MemoryFileSystem::new();
    fs.insert(
        "m.yaml",
        format!(
            "noharm: 1\nsystem: {{id: s, name: S, intended_use: t, clinical_use: decision-support}}\n{MODEL}"
        ),
    );
    let loaded = Loader::new(&fs).load(Path::new("m.yaml"));
    loaded
        .model
        .unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics))
}

fn ranked(model: &Model) -> Vec<RankedFinding> {
    let loaded = load_catalog(&CatalogOptions {
        builtin: false,
        extra: vec![pack_path().clone()],
        atlas: None,
    });
    let catalog = loaded
        .catalog
        .unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics));
    let analysis = analyze(model, &catalog, AnalysisOptions::default());
    rank_findings(model, &analysis, &Policy::default())
}

fn sepsis_tree() -> (AttackTree, Vec<RankedFinding>) {
    let model = model();
    let ranked = ranked(&model);
    let mut trees = trees_from_findings(&model, &ranked);
    assert_eq!(
        trees.len(),
        1,
        "only the harm some finding reaches gets a tree"
    );
    (trees.remove(0), ranked)
}

fn parents(tree: &AttackTree, name: &str) -> usize {
    let id = tree
        .find(name)
        .unwrap_or_else(|| panic!("no node `{name}`"));
    tree.nodes()
        .iter()
        .filter(|n| n.children().contains(&id))
        .count()
}

#[test]
fn one_tree_per_harm_with_an_or_over_the_findings_that_reach_it() {
    let (tree, ranked) = sepsis_tree();
    assert_eq!(tree.id(), "harm-missed-sepsis");
    assert_eq!(tree.title(), "cause septic patient not flagged");

    let reaching: Vec<String> = ranked
        .iter()
        .filter(|f| f.finding.status != FindingStatus::Excluded)
        .filter(|f| f.assessment.harm.harms.iter().any(|h| h == "missed-sepsis"))
        .map(|f| format!("finding:{}", f.finding.fingerprint))
        .collect();
    let root = tree.node(tree.root()).unwrap();
    let NodeKind::Gate {
        gate: Gate::Or,
        children,
    } = &root.kind
    else {
        panic!("the root is an OR");
    };
    let mut branches: Vec<&str> = children.iter().map(|&c| tree.name(c)).collect();
    branches.sort_unstable();
    let mut expected: Vec<&str> = reaching.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(branches, expected);
    assert!(
        tree.find("finding:TT003:train").is_none(),
        "a finding excluded by an assumption is left out"
    );
    assert!(tree.find("finding:TT001:risk-model").is_some());
}

#[test]
fn each_finding_is_a_sequence_of_position_action_and_review() {
    let (tree, _) = sepsis_tree();
    let branch = tree
        .node(tree.find("finding:TT002:training-set").unwrap())
        .unwrap();
    let NodeKind::Gate {
        gate: Gate::Sand,
        children,
    } = &branch.kind
    else {
        panic!("a finding is a SAND");
    };
    let labels: Vec<&str> = children
        .iter()
        .map(|&c| tree.node(c).unwrap().label.as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "gain the position of an insider with access to the ML platform",
            "poison training-set",
            "get the wrong output past human review at clinician",
        ]
    );

    // High exploitability: the cheap row of the table.
    let action = tree.node(tree.find("TT002:training-set").unwrap()).unwrap();
    let step = action.as_step().unwrap();
    assert_eq!(
        (step.cost, step.skill, step.time, step.probability),
        (100.0, 2, 1.0, 0.8)
    );

    // A no-output finding needs its fault to slip past review differently.
    let flood = tree
        .node(tree.find("finding:TT003:score").unwrap())
        .unwrap();
    let last = *flood.children().last().unwrap();
    assert_eq!(
        tree.node(last).unwrap().label,
        "keep the missing output from being caught at human review at clinician"
    );
}

#[test]
fn positions_reviews_and_controls_are_shared_so_the_tree_is_a_dag() {
    let (tree, _) = sepsis_tree();
    let access = "gain:an-insider-with-access-to-the-ml-platform";
    assert_eq!(
        parents(&tree, access),
        2,
        "TT001 and TT002 share the position"
    );
    // The shared position takes the easiest attributes of the two findings.
    let step = tree
        .node(tree.find(access).unwrap())
        .unwrap()
        .as_step()
        .copied()
        .unwrap();
    assert_eq!(step.cost, 100.0);
    assert_eq!(parents(&tree, "review:clinician:wrong-output"), 2);
    assert_eq!(parents(&tree, "review:clinician:no-output"), 2);

    let countermeasures: Vec<(&str, bool, Vec<&str>)> = tree
        .countermeasures()
        .iter()
        .map(|c| {
            let mut blocks: Vec<&str> = c.blocks.iter().map(|&b| tree.name(b)).collect();
            blocks.sort_unstable();
            (c.id.as_str(), c.applied, blocks)
        })
        .collect();
    let find = |id: &str| {
        countermeasures
            .iter()
            .find(|c| c.0 == id)
            .unwrap_or_else(|| panic!("no countermeasure `{id}` in {countermeasures:?}"))
    };
    assert_eq!(
        find("input-validation:in-place"),
        &("input-validation:in-place", true, vec!["TT001:risk-model"])
    );
    assert_eq!(
        find("input-validation"),
        &("input-validation", false, vec!["TT002:training-set"])
    );
    assert_eq!(find("model-signing").2, ["TT001:risk-model"]);
    assert_eq!(find("rate-limiting").2, ["TT003:page", "TT003:score"]);
}

#[test]
fn the_generated_tree_evaluates_with_the_controls_in_place() {
    let (tree, _) = sepsis_tree();
    let analysis = noharm_trees::analyze(&tree, &EvalLimits::default()).unwrap();
    // TT001 is blocked by its control in place; TT002 and the two floods
    // remain, each a position, an action and a review.
    assert_eq!(analysis.attack_sets.len(), 3);
    assert_eq!(analysis.min_cost.unwrap().value, 200.0);
    assert!(analysis.attack_sets.iter().all(|s| s.steps.len() == 3));
    assert_eq!(analysis.removes_most_sets.as_deref(), Some("rate-limiting"));
    let signing = analysis
        .countermeasures
        .iter()
        .find(|e| e.id == "model-signing")
        .unwrap();
    assert_eq!(signing.sets_removed, 0, "what it blocks is blocked already");
    let text = noharm_trees::render_text(&tree, Some(&analysis));
    assert!(
        text.contains("  blocked by input-validation:in-place  could be blocked by model-signing"),
        "{text}"
    );
}
