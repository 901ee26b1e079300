//! Hostile text in a model (markup, ampersands, quotes, backslashes,
//! control characters) comes out as text in every format.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{check_structure, model_from_yaml, parse_svg};
use noharm_diagram::{Format, render};

const HOSTILE: &str = r#"<script>alert("x")</script> & 'q' \N #1 | `tick` {b}"#;

/// A model that puts the hostile text in every name the diagram shows.
fn hostile_model() -> noharm_model::Model {
    let quoted = serde_json::to_string(HOSTILE).unwrap();
    let yaml = format!(
        r#"noharm: 1
system:
  id: sys
  name: {quoted}
  intended_use: test
  clinical_use: administrative
data:
  - {{id: records, classification: phi}}
boundaries:
  - {{id: outer, name: {quoted}, kind: organization}}
  - {{id: vendor-side, name: {quoted}, kind: vendor, vendor: {quoted}, parent: outer}}
elements:
  - {{id: person, kind: actor, name: {quoted}}}
  - {{id: app, kind: process, name: {quoted}, boundary: outer}}
  - {{id: db, kind: store, name: {quoted}, boundary: vendor-side, stores: [records]}}
  - {{id: brain, kind: model, name: {quoted}, boundary: vendor-side}}
flows:
  - {{id: f1, from: person, to: app, name: {quoted}, protocol: {quoted}, data: [records]}}
  - {{id: f2, from: app, to: db, name: {quoted}}}
  - {{id: f3, from: db, to: brain, name: {quoted}}}
  - {{id: f4, from: brain, to: app}}
"#
    );
    model_from_yaml(&yaml)
}

#[test]
fn svg_is_well_formed_and_shows_the_text_as_text() {
    let model = hostile_model();
    let svg = render(&model, &[], Format::Svg);
    assert!(!svg.contains("<script"), "raw markup in the SVG");
    let doc = parse_svg(&svg);
    check_structure(&model, &doc).unwrap();
    // Long names are wrapped, so look for the pieces.
    let all = doc.texts.join(" ");
    for piece in [
        "<script>alert(\"x\")</script>",
        "&",
        "'q'",
        "\\N",
        "#1",
        "|",
        "`tick`",
    ] {
        assert!(all.contains(piece), "`{piece}` is not shown: {all}");
    }
    assert!(all.contains("vendor: <script>"));
}

#[test]
fn dot_quotes_and_html_labels_are_escaped() {
    let dot = render(&hostile_model(), &[], Format::Dot);
    for line in dot.lines() {
        // Quoted strings close: after removing escaped pairs, quotes pair up
        // outside HTML labels.
        let stripped = line.replace("\\\\", "").replace("\\\"", "");
        let outside_html = match stripped.find("label=<") {
            Some(start) => stripped[..start].to_string(),
            None => stripped.clone(),
        };
        assert_eq!(
            outside_html.matches('"').count() % 2,
            0,
            "unbalanced quotes: {line}"
        );
        if let Some(start) = line.find("label=<") {
            let html = &line[start..];
            assert!(
                !html.contains("<script"),
                "raw markup in an HTML label: {line}"
            );
        }
    }
    assert!(dot.contains(r#"\"x\""#), "quotes are escaped");
    assert!(dot.contains(r"\\N"), "backslashes are escaped");
    assert!(
        dot.contains("&lt;script&gt;"),
        "the store's HTML label is escaped"
    );
}

#[test]
fn mermaid_labels_use_entity_codes() {
    let mermaid = render(&hostile_model(), &[], Format::Mermaid);
    assert!(!mermaid.contains("<script"));
    assert!(mermaid.contains("#lt;script#gt;alert(#quot;x#quot;)"));
    assert!(mermaid.contains("#amp;"));
    assert!(mermaid.contains("#35;1"));
    assert!(mermaid.contains("#124;"));
    assert!(mermaid.contains("#96;tick#96;"));
    for line in mermaid.lines() {
        assert_eq!(
            line.matches('"').count() % 2,
            0,
            "unbalanced quotes: {line}"
        );
    }
}

#[test]
fn control_characters_never_reach_the_output() {
    let mut model = hostile_model();
    model.elements[0].name = Some("line\nbreak\u{7}bell".to_string());
    for format in [Format::Svg, Format::Dot, Format::Mermaid] {
        let out = render(&model, &[], format);
        assert!(!out.contains('\u{7}'), "{format}");
        assert!(!out.contains("line\nbreak"), "{format}");
    }
    parse_svg(&render(&model, &[], Format::Svg));
}
