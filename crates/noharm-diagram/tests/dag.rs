//! The generic DAG renderer that attack trees reuse.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::parse_svg;
use noharm_diagram::{DagEdge, DagNode, DagOptions, DagShape, Direction, Rgb, render_dag_svg};

fn tree() -> (Vec<DagNode>, Vec<DagEdge>) {
    let nodes = vec![
        DagNode::new("goal", "Change a patient's risk score")
            .with_shape(DagShape::Hexagon)
            .with_colors(Rgb(0xfd, 0xe2, 0xe2), Rgb(0xc6, 0x28, 0x28))
            .with_badge("P1"),
        DagNode::new("feed", "Tamper with the HL7 feed").with_note("OR"),
        DagNode::new("model", "Replace the model package").with_note("AND"),
        DagNode::new("sign", "Registry does not sign releases").with_shape(DagShape::Rounded),
        DagNode::new("creds", "Steal the deploy credentials").with_shape(DagShape::Rounded),
        DagNode::new("mitm", "Sniff the unencrypted VLAN").with_shape(DagShape::Rounded),
    ];
    let edges = vec![
        DagEdge::new("goal", "feed"),
        DagEdge::new("goal", "model").with_label("needs both"),
        DagEdge::new("model", "sign"),
        DagEdge::new("model", "creds"),
        DagEdge::new("feed", "mitm"),
        DagEdge::new("goal", "missing"),
        DagEdge::new("feed", "feed"),
    ];
    (nodes, edges)
}

#[test]
fn trees_draw_top_down_without_overlaps() {
    let (nodes, edges) = tree();
    let options = DagOptions {
        title: Some("Attack tree <T1>".to_string()),
        direction: Direction::TopToBottom,
    };
    let svg = render_dag_svg(&nodes, &edges, &options);
    let doc = parse_svg(&svg);
    let boxes: Vec<_> = doc
        .of_class("dag-node")
        .iter()
        .map(|g| (g.get("id").to_string(), g.rect()))
        .collect();
    assert_eq!(boxes.len(), nodes.len());
    let labels: Vec<_> = doc.of_class("dag-label").iter().map(|g| g.rect()).collect();
    assert_eq!(labels.len(), 1);
    for (i, (a, first)) in boxes.iter().enumerate() {
        for (b, second) in &boxes[i + 1..] {
            assert!(!first.overlaps(second), "{a} overlaps {b}");
        }
        assert!(!first.overlaps(&labels[0]), "{a} overlaps the label");
    }
    let y = |id: &str| {
        boxes
            .iter()
            .find(|(n, _)| n == id)
            .map(|(_, r)| r.y)
            .unwrap()
    };
    assert!(
        y("goal") < y("feed") && y("feed") < y("mitm"),
        "parents above children"
    );
    // The edge to a missing node and the self-loop are left out.
    assert_eq!(doc.of_class("dag-edge").len(), 5);
    assert!(doc.texts.iter().any(|t| t == "Attack tree <T1>"));
    assert!(svg.contains("#c62828"));
}

#[test]
fn left_to_right_and_cycles() {
    let nodes = vec![
        DagNode::new("a", "A"),
        DagNode::new("b", "B"),
        DagNode::new("c", "C"),
    ];
    let edges = vec![
        DagEdge::new("a", "b"),
        DagEdge::new("b", "c"),
        DagEdge::new("c", "a"),
    ];
    let options = DagOptions {
        title: None,
        direction: Direction::LeftToRight,
    };
    let doc = parse_svg(&render_dag_svg(&nodes, &edges, &options));
    let x = |id: &str| {
        doc.of_class("dag-node")
            .into_iter()
            .find(|g| g.get("id") == id)
            .map(|g| g.rect().x)
            .unwrap()
    };
    assert!(x("a") < x("b") && x("b") < x("c"));
    assert_eq!(doc.of_class("dag-edge").len(), 3);
}

#[test]
fn empty_input_is_an_empty_drawing() {
    let svg = render_dag_svg(&[], &[], &DagOptions::default());
    parse_svg(&svg);
}
