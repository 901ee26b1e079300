//! Helpers shared by the integration tests: loading models, computing
//! findings, and reading back the structure of a rendered SVG.

#![allow(
    dead_code,
    unreachable_pub,
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use noharm_engine::{AnalysisOptions, analyze, builtin_catalog};
use noharm_model::{Loader, MemoryFileSystem, Model};
use noharm_risk::{Policy, RankedFinding, rank_findings};
use quick_xml::Reader;
use quick_xml::events::Event;

/// The bundled example models.
pub const EXAMPLES: &[&str] = &[
    "ambient-scribe.yaml",
    "appointment-reminder.yaml",
    "insulin-advisor.yaml",
    "patient-chatbot.yaml",
    "radiology-triage.yaml",
    "sepsis-ews.yaml",
    "split/sepsis-ews.yaml",
];

/// The path of a bundled example.
pub fn example_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

/// Loads a bundled example, which must be valid.
pub fn example(name: &str) -> Model {
    let loaded = noharm_model::load(&example_path(name));
    loaded
        .model
        .unwrap_or_else(|| panic!("{name} does not load: {:?}", loaded.diagnostics))
}

/// Loads a model from YAML text, which must be valid.
pub fn model_from_yaml(yaml: &str) -> Model {
    let mut fs = MemoryFileSystem::new();
    fs.insert("model.yaml", yaml.as_bytes().to_vec());
    let loaded = Loader::new(&fs).load(Path::new("model.yaml"));
    loaded
        .model
        .unwrap_or_else(|| panic!("model does not load: {:?}\n{yaml}", loaded.diagnostics))
}

/// The built-in rule packs' findings on `model`, ranked with the default
/// policy.
pub fn findings(model: &Model) -> Vec<RankedFinding> {
    let catalog = builtin_catalog().catalog.expect("the built-in packs load");
    let analysis = analyze(model, &catalog, AnalysisOptions::default());
    rank_findings(model, &analysis, &Policy::default())
}

/// An axis-aligned box read from a `data-box` attribute.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Box2 {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Box2 {
    fn parse(text: &str) -> Box2 {
        let v: Vec<f64> = text
            .split_whitespace()
            .map(|n| n.parse().expect("a number"))
            .collect();
        assert_eq!(v.len(), 4, "data-box `{text}`");
        Box2 {
            x: v[0],
            y: v[1],
            w: v[2],
            h: v[3],
        }
    }

    /// Whether the interiors meet (touching edges do not count).
    pub fn overlaps(&self, other: &Box2) -> bool {
        let eps = 0.05;
        self.x + eps < other.x + other.w
            && other.x + eps < self.x + self.w
            && self.y + eps < other.y + other.h
            && other.y + eps < self.y + self.h
    }

    /// Whether `other` lies inside (allowing rounding to a tenth).
    pub fn contains(&self, other: &Box2) -> bool {
        let eps = 0.11;
        self.x <= other.x + eps
            && self.y <= other.y + eps
            && other.x + other.w <= self.x + self.w + eps
            && other.y + other.h <= self.y + self.h + eps
    }
}

/// One `<g class="...">` of the SVG with its `data-*` attributes.
#[derive(Clone, Debug, Default)]
pub struct Group {
    pub class: String,
    pub data: HashMap<String, String>,
}

impl Group {
    pub fn get(&self, name: &str) -> &str {
        self.data.get(name).map_or("", String::as_str)
    }

    pub fn rect(&self) -> Box2 {
        Box2::parse(self.get("box"))
    }
}

/// What a rendered SVG contains.
#[derive(Clone, Debug, Default)]
pub struct SvgDoc {
    pub groups: Vec<Group>,
    /// The content of every `<text>` and `<title>`, unescaped.
    pub texts: Vec<String>,
    pub width: f64,
    pub height: f64,
}

impl SvgDoc {
    pub fn of_class(&self, class: &str) -> Vec<&Group> {
        self.groups.iter().filter(|g| g.class == class).collect()
    }
}

/// Parses `svg` as XML (panicking on malformed XML) and collects its
/// classed groups and text.
pub fn parse_svg(svg: &str) -> SvgDoc {
    let mut reader = Reader::from_str(svg);
    let mut doc = SvgDoc::default();
    let mut depth: i64 = 0;
    let mut current: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(element)) => {
                depth += 1;
                let name = element.name().as_ref().to_vec();
                let mut group = Group::default();
                for attribute in element.attributes() {
                    let attribute = attribute.expect("a well-formed attribute");
                    let key = String::from_utf8(attribute.key.as_ref().to_vec()).unwrap();
                    let value = attribute
                        .decode_and_unescape_value(reader.decoder())
                        .expect("a well-formed value")
                        .into_owned();
                    if name == b"svg" && key == "width" {
                        doc.width = value.parse().unwrap();
                    }
                    if name == b"svg" && key == "height" {
                        doc.height = value.parse().unwrap();
                    }
                    if key == "class" {
                        group.class = value;
                    } else if let Some(data) = key.strip_prefix("data-") {
                        group.data.insert(data.to_string(), value);
                    }
                }
                if name == b"g" && !group.class.is_empty() {
                    doc.groups.push(group);
                }
                if name == b"text" || name == b"title" {
                    current = Some(String::new());
                }
            }
            Ok(Event::End(_)) => {
                depth -= 1;
                if let Some(text) = current.take() {
                    doc.texts.push(text);
                }
            }
            Ok(Event::Text(text)) => {
                let text = text.decode().expect("utf-8 text").into_owned();
                if let Some(buffer) = current.as_mut() {
                    buffer.push_str(&text);
                }
            }
            Ok(Event::GeneralRef(reference)) => {
                let name = reference.decode().expect("utf-8").into_owned();
                let resolved = match name.as_str() {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    other => match other.strip_prefix('#').and_then(|n| n.parse::<u32>().ok()) {
                        Some(code) => char::from_u32(code).map(String::from).unwrap_or_default(),
                        None => panic!("unknown entity &{other};"),
                    },
                };
                if let Some(buffer) = current.as_mut() {
                    buffer.push_str(&resolved);
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(error) => panic!("the SVG is not well-formed XML: {error}"),
        }
    }
    assert_eq!(depth, 0, "unbalanced tags");
    doc
}

/// Checks the promises of the SVG diagram against `model`: every element,
/// boundary and flow is drawn; elements lie inside their boundary and its
/// ancestors and outside every other boundary; nested boundaries lie inside
/// their parents and other boundaries do not overlap; no two elements, and
/// no two labels, overlap; everything is on the canvas.
pub fn check_structure(model: &Model, doc: &SvgDoc) -> Result<(), String> {
    let nodes = doc.of_class("node");
    let boundaries = doc.of_class("boundary");
    let flows = doc.of_class("flow");
    let boundary_box: HashMap<&str, Box2> =
        boundaries.iter().map(|b| (b.get("id"), b.rect())).collect();
    for element in &model.elements {
        if !nodes.iter().any(|n| n.get("id") == element.id.as_str()) {
            return Err(format!("element `{}` is missing", element.id.as_str()));
        }
    }
    for boundary in &model.boundaries {
        if !boundary_box.contains_key(boundary.id.as_str()) {
            return Err(format!("boundary `{}` is missing", boundary.id.as_str()));
        }
    }
    for flow in &model.flows {
        if !flows.iter().any(|f| f.get("id") == flow.id.as_str()) {
            return Err(format!("flow `{}` is missing", flow.id.as_str()));
        }
    }
    let ancestors = |start: Option<&str>| {
        let mut chain: Vec<String> = Vec::new();
        let mut current = start.map(str::to_string);
        while let Some(id) = current {
            if chain.contains(&id) {
                break;
            }
            current = model
                .boundary(&id)
                .and_then(|b| b.parent.as_ref())
                .map(|p| p.as_str().to_string());
            chain.push(id);
        }
        chain
    };
    for node in &nodes {
        let rect = node.rect();
        let boundary = Some(node.get("boundary")).filter(|b| !b.is_empty());
        let inside = ancestors(boundary);
        for (id, outer) in &boundary_box {
            let member = inside.iter().any(|a| a == id);
            if member && !outer.contains(&rect) {
                return Err(format!(
                    "element `{}` sticks out of boundary `{id}`",
                    node.get("id")
                ));
            }
            if !member && outer.overlaps(&rect) {
                return Err(format!(
                    "element `{}` is inside foreign boundary `{id}`",
                    node.get("id")
                ));
            }
        }
    }
    for boundary in &boundaries {
        let rect = boundary.rect();
        let own = boundary.get("id");
        let inside = ancestors(Some(own));
        for (id, outer) in &boundary_box {
            if *id == own {
                continue;
            }
            let nested = inside.iter().any(|a| a == id);
            let contains_it = ancestors(Some(id)).iter().any(|a| a == own);
            if nested && !outer.contains(&rect) {
                return Err(format!("boundary `{own}` sticks out of its parent `{id}`"));
            }
            if !nested && !contains_it && outer.overlaps(&rect) {
                return Err(format!("boundaries `{own}` and `{id}` overlap"));
            }
        }
    }
    let mut labelled: Vec<(String, Box2)> = nodes
        .iter()
        .map(|n| (format!("element `{}`", n.get("id")), n.rect()))
        .collect();
    for class in ["flow-label", "boundary-title", "legend"] {
        for group in doc.of_class(class) {
            labelled.push((format!("{class} of `{}`", group.get("for")), group.rect()));
        }
    }
    for (i, (name_a, a)) in labelled.iter().enumerate() {
        for (name_b, b) in &labelled[i + 1..] {
            if a.overlaps(b) {
                return Err(format!("{name_a} {a:?} overlaps {name_b} {b:?}"));
            }
        }
        if a.x < 0.0 || a.y < 0.0 || a.x + a.w > doc.width + 0.5 || a.y + a.h > doc.height + 0.5 {
            return Err(format!("{name_a} is off the canvas"));
        }
    }
    for title in doc.of_class("boundary-title") {
        let Some(outer) = boundary_box.get(title.get("for")) else {
            return Err(format!("title for unknown boundary `{}`", title.get("for")));
        };
        if !outer.contains(&title.rect()) {
            return Err(format!(
                "the title of `{}` is outside its box",
                title.get("for")
            ));
        }
    }
    Ok(())
}
