//! DOT and Mermaid output: snapshots of an example, and the findings
//! overlay in every format.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{example, findings};
use noharm_diagram::{Format, render};

#[test]
fn sepsis_dot_snapshot() {
    let model = example("sepsis-ews.yaml");
    insta::assert_snapshot!("sepsis_ews_dot", render(&model, &[], Format::Dot));
}

#[test]
fn sepsis_mermaid_snapshot() {
    let model = example("sepsis-ews.yaml");
    insta::assert_snapshot!("sepsis_ews_mermaid", render(&model, &[], Format::Mermaid));
}

#[test]
fn every_boundary_is_a_cluster_and_a_subgraph() {
    let model = example("radiology-triage.yaml");
    let dot = render(&model, &[], Format::Dot);
    let mermaid = render(&model, &[], Format::Mermaid);
    for index in 0..model.boundaries.len() {
        assert!(dot.contains(&format!("subgraph cluster_b{index} {{")));
        assert!(mermaid.contains(&format!("subgraph b{index}[")));
    }
    assert_eq!(
        dot.matches('{').count(),
        dot.matches('}').count(),
        "balanced braces"
    );
    assert_eq!(
        mermaid
            .lines()
            .filter(|l| l.trim_start().starts_with("subgraph "))
            .count(),
        mermaid.lines().filter(|l| l.trim() == "end").count()
    );
}

#[test]
fn findings_colour_dot_and_mermaid() {
    let model = example("sepsis-ews.yaml");
    let ranked = findings(&model);
    let dot = render(&model, &ranked, Format::Dot);
    let mermaid = render(&model, &ranked, Format::Mermaid);
    assert!(dot.contains("fillcolor=\"#fde2e2\""), "a P1 element in DOT");
    assert!(dot.contains("open · P1"));
    assert!(mermaid.contains("class n"), "priority classes in Mermaid");
    assert!(mermaid.contains("open · P1"));
    assert!(mermaid.contains("linkStyle 0 "));
}

#[test]
fn format_names_parse() {
    assert_eq!("svg".parse::<Format>(), Ok(Format::Svg));
    assert_eq!("DOT".parse::<Format>(), Ok(Format::Dot));
    assert_eq!("mermaid".parse::<Format>(), Ok(Format::Mermaid));
    let error = "png".parse::<Format>().unwrap_err();
    assert!(error.to_string().contains("`png`"));
    for format in Format::ALL {
        assert_eq!(format.as_str().parse::<Format>(), Ok(format));
    }
}
