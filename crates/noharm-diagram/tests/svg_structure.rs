//! The SVG of every bundled example, with the built-in packs' findings:
//! well-formed XML, everything drawn, boundaries enclosing exactly their
//! members, nothing overlapping, and the findings overlay matching the
//! findings.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;

use common::{EXAMPLES, check_structure, example, findings, parse_svg};
use noharm_diagram::{Direction, Format, Options, render, render_with};
use noharm_engine::FindingStatus;
use noharm_risk::Priority;
use noharm_syntax::Keyword;

#[test]
fn every_example_draws_cleanly_with_findings() {
    for name in EXAMPLES {
        let model = example(name);
        let svg = render(&model, &findings(&model), Format::Svg);
        let doc = parse_svg(&svg);
        if let Err(problem) = check_structure(&model, &doc) {
            panic!("{name}: {problem}");
        }
    }
}

#[test]
fn every_example_draws_cleanly_in_both_directions_without_findings() {
    for name in EXAMPLES {
        let model = example(name);
        for direction in [Direction::LeftToRight, Direction::TopToBottom] {
            let options = Options {
                direction: Some(direction),
            };
            let svg = render_with(&model, &[], Format::Svg, &options);
            if let Err(problem) = check_structure(&model, &parse_svg(&svg)) {
                panic!("{name} {direction:?}: {problem}");
            }
        }
    }
}

#[test]
fn colours_and_badges_follow_the_most_urgent_open_finding() {
    let model = example("sepsis-ews.yaml");
    let ranked = findings(&model);
    assert!(!ranked.is_empty());
    let mut expected: HashMap<String, (usize, Priority)> = HashMap::new();
    for finding in ranked
        .iter()
        .filter(|f| f.finding.status == FindingStatus::Open)
    {
        let entry = expected
            .entry(finding.finding.subject.id.clone())
            .or_insert((0, Priority::P4));
        entry.0 += 1;
        entry.1 = entry.1.min(finding.assessment.priority);
    }
    let doc = parse_svg(&render(&model, &ranked, Format::Svg));
    for group in doc.of_class("node").into_iter().chain(doc.of_class("flow")) {
        let id = group.get("id");
        match expected.get(id) {
            Some((count, best)) => {
                assert_eq!(group.get("priority"), best.as_str(), "{id}");
                let tooltip = format!("{count} open finding");
                assert!(
                    doc.texts
                        .iter()
                        .any(|t| t.contains(id) && t.contains(&tooltip)),
                    "{id}: no tooltip saying {tooltip}"
                );
            }
            None => assert_eq!(group.get("priority"), "", "{id}"),
        }
    }
}

#[test]
fn phi_flows_are_marked() {
    let model = example("sepsis-ews.yaml");
    let doc = parse_svg(&render(&model, &[], Format::Svg));
    let phi = |id: &str| {
        doc.of_class("flow")
            .into_iter()
            .find(|f| f.get("id") == id)
            .map(|f| f.get("phi").to_string())
    };
    assert_eq!(phi("monitor-vitals-feed").as_deref(), Some("true"));
    assert_eq!(phi("model-pull").as_deref(), Some("false"));
    assert!(doc.texts.iter().any(|t| t.contains("carries PHI")));
}

#[test]
fn vendor_boundaries_name_their_vendor() {
    let model = example("sepsis-ews.yaml");
    let doc = parse_svg(&render(&model, &[], Format::Svg));
    assert!(
        doc.texts
            .iter()
            .any(|t| t == "vendor: Halyard Secure Messaging")
    );
}

#[test]
fn rendering_is_deterministic() {
    let model = example("patient-chatbot.yaml");
    let ranked = findings(&model);
    assert_eq!(
        render(&model, &ranked, Format::Svg),
        render(&model, &ranked, Format::Svg)
    );
}
