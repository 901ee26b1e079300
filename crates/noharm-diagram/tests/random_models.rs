//! Property test: random small models (nested boundaries, any flows) always
//! draw with boundaries enclosing exactly their members and nothing
//! overlapping.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fmt::Write;

use common::{check_structure, model_from_yaml, parse_svg};
use noharm_diagram::{Format, render};
use proptest::prelude::*;

const KINDS: [&str; 5] = ["actor", "external", "process", "store", "model"];
const BOUNDARY_KINDS: [&str; 5] = ["network", "cloud", "vendor", "organization", "process"];

/// A random model as YAML: boundaries nest only into earlier ones.
fn models() -> impl Strategy<Value = String> {
    (1usize..10, 0usize..5).prop_flat_map(|(elements, boundaries)| {
        (
            proptest::collection::vec((0usize..5, proptest::option::of(0usize..5)), boundaries),
            proptest::collection::vec(
                (
                    0usize..5,
                    proptest::option::of(0usize..5),
                    "[A-Za-z ]{0,40}",
                ),
                elements,
            ),
            proptest::collection::vec((0..elements, 0..elements, any::<bool>()), 0..16),
        )
            .prop_map(move |(bounds, elems, flows)| yaml(&bounds, &elems, &flows, boundaries))
    })
}

fn yaml(
    bounds: &[(usize, Option<usize>)],
    elems: &[(usize, Option<usize>, String)],
    flows: &[(usize, usize, bool)],
    boundary_count: usize,
) -> String {
    let mut out = String::from(
        "noharm: 1\nsystem: {id: s, name: Random, intended_use: test, clinical_use: operational}\n\
         data:\n  - {id: p, classification: phi}\n",
    );
    if !bounds.is_empty() {
        out.push_str("boundaries:\n");
    }
    for (index, (kind, parent)) in bounds.iter().enumerate() {
        let _ = write!(
            out,
            "  - {{id: b{index}, kind: {}, vendor: V",
            BOUNDARY_KINDS[*kind]
        );
        if let Some(parent) = parent.filter(|&p| p < index) {
            let _ = write!(out, ", parent: b{parent}");
        }
        out.push_str("}\n");
    }
    out.push_str("elements:\n");
    for (index, (kind, boundary, name)) in elems.iter().enumerate() {
        let _ = write!(
            out,
            "  - {{id: e{index}, kind: {}, name: \"n{name}\"",
            KINDS[*kind]
        );
        if let Some(boundary) = boundary.filter(|&b| b < boundary_count) {
            let _ = write!(out, ", boundary: b{boundary}");
        }
        out.push_str("}\n");
    }
    let flows: Vec<_> = flows.iter().filter(|(from, to, _)| from != to).collect();
    if !flows.is_empty() {
        out.push_str("flows:\n");
    }
    for (index, (from, to, phi)) in flows.iter().enumerate() {
        let _ = write!(out, "  - {{id: f{index}, from: e{from}, to: e{to}");
        if *phi {
            out.push_str(", data: [p], protocol: https");
        }
        out.push_str("}\n");
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_models_keep_containment_and_separation(yaml in models()) {
        let model = model_from_yaml(&yaml);
        let svg = render(&model, &[], Format::Svg);
        let doc = parse_svg(&svg);
        prop_assert_eq!(check_structure(&model, &doc), Ok(()), "{}", yaml);
    }
}
