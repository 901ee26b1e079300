//! The three renderings of a tree and its analysis.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use noharm_syntax::SourceMap;
use noharm_trees::{
    AttackTree, EvalLimits, Format, analyze, load, render_dot, render_text, report,
};

const TREE: &str = "\
noharm-tree: 1
id: alerts
title: Silence sepsis alerts
nodes:
  - id: goal
    label: Silence sepsis alerts
    or: [tamper, flood]
  - id: tamper
    label: Tamper with the model
    sand: [access, alter]
  - id: flood
    label: Flood the alert queue
    and: [access, spam]
  - {id: access, label: Get onto the ward network, cost: 50, skill: 2, time: 2, probability: 0.5}
  - {id: alter, label: \"Alter the \\\"threshold\\\"\", cost: 400, skill: 4, time: 6, probability: 0.25}
  - {id: spam, label: Send junk messages, cost: 10, skill: 1, time: 1, probability: 0.9}
countermeasures:
  - {id: rate-limit, label: Rate limiting, cost: 200, blocks: [spam]}
  - {id: segmentation, label: Network segmentation, cost: 900, blocks: [access], applied: false}
";

fn tree() -> AttackTree {
    let mut sources = SourceMap::new();
    let file = sources.add("alerts.yaml", "alerts.yaml", TREE);
    let loaded = load(&sources, file, Format::Noharm);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    loaded.trees.into_iter().next().unwrap()
}

#[test]
fn text_shows_the_tree_shared_nodes_and_the_metrics() {
    let tree = tree();
    let analysis = analyze(&tree, &EvalLimits::default()).unwrap();
    let text = render_text(&tree, Some(&analysis));
    assert!(text.starts_with("Attack tree `alerts`: Silence sepsis alerts\n"));
    assert!(text.contains("OR Silence sepsis alerts [goal]\n"));
    assert!(text.contains("├─ SAND Tamper with the model [tamper]\n"));
    assert!(text.contains(
        "│  ├─ 1. Get onto the ward network [access] cost 50, skill 2, 2 h, p 0.5 (shared)  could be blocked by segmentation\n"
    ));
    assert!(
        text.contains("Minimal attack sets: 2\n  1. cost 60, skill 2, 2 h, p 0.45: access, spam\n")
    );
    assert!(text.contains("Minimal cost: 60 (set 1)\n"));
    assert!(text.contains(
        "Network segmentation [segmentation]: stops every attack, removes 2 of 2 attack sets\n"
    ));
    assert!(text.contains(
        "Rate limiting [rate-limit]: minimal cost 450 (+390), removes 1 of 2 attack sets\n"
    ));
    assert!(text.contains("Raises the attacker's cost most: segmentation\n"));
    assert!(text.contains("Removes most attack sets: segmentation\n"));
}

#[test]
fn json_names_nodes_by_id_and_carries_the_analysis() {
    let tree = tree();
    let analysis = analyze(&tree, &EvalLimits::default()).unwrap();
    let json = serde_json::to_value(report(&tree, Some(&analysis))).unwrap();
    assert_eq!(json["root"], "goal");
    let tamper = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "tamper")
        .unwrap();
    assert_eq!(tamper["kind"], "sand");
    assert_eq!(tamper["children"], serde_json::json!(["access", "alter"]));
    let access = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "access")
        .unwrap();
    assert_eq!(access["step"]["cost"], 50.0);
    assert_eq!(
        json["countermeasures"][1]["blocks"],
        serde_json::json!(["access"])
    );
    assert_eq!(json["analysis"]["min_cost"]["value"], 60.0);
    assert_eq!(
        json["analysis"]["attack_sets"][0]["steps"],
        serde_json::json!(["access", "spam"])
    );
    assert_eq!(
        json["analysis"]["countermeasures"][0]["min_cost_after"],
        450.0
    );
    assert_eq!(
        json["analysis"]["countermeasures"][1]["min_cost_after"],
        serde_json::Value::Null
    );
    assert_eq!(json["analysis"]["removes_most_sets"], "segmentation");
    assert!(json["analysis"].get("root_probability").is_some());
}

#[test]
fn dot_is_a_digraph_with_escaped_labels_and_the_cheapest_set_marked() {
    let tree = tree();
    let analysis = analyze(&tree, &EvalLimits::default()).unwrap();
    let dot = render_dot(&tree, Some(&analysis));
    assert!(dot.starts_with("digraph \"alerts\" {\n"));
    assert!(dot.ends_with("}\n"));
    assert!(dot.contains("Alter the \\\"threshold\\\""), "{dot}");
    let access = tree.find("access").unwrap().index();
    let spam = tree.find("spam").unwrap().index();
    let alter = tree.find("alter").unwrap().index();
    assert!(dot.contains(&format!("  n{access} [label=\"Get onto the ward network\\ncost 50, skill 2, 2 h, p 0.5\" shape=ellipse color=red penwidth=2];")));
    assert!(dot.contains(&format!("  n{spam} [label=")));
    assert!(!dot.contains(&format!("  n{alter} [label=\"Alter the \\\"threshold\\\"\\ncost 400, skill 4, 6 h, p 0.25\" shape=ellipse color=red")));
    let tamper = tree.find("tamper").unwrap().index();
    assert!(dot.contains(&format!("  n{tamper} -> n{access} [label=\"1\"];")));
    assert!(dot.contains(&format!(
        "  c0 -> n{spam} [arrowhead=tee style=dashed color=blue];"
    )));
    assert_eq!(dot.matches('{').count(), dot.matches('}').count());
}

#[test]
fn without_an_analysis_only_the_tree_is_rendered() {
    let tree = tree();
    let text = render_text(&tree, None);
    assert!(!text.contains("Minimal cost"));
    assert!(text.contains(
        "Countermeasures:\n  Rate limiting [rate-limit] cost 200, not applied, blocks spam\n"
    ));
    let json = serde_json::to_value(report(&tree, None)).unwrap();
    assert!(json.get("analysis").is_none());
    assert!(!render_dot(&tree, None).contains("color=red"));
}
