//! A generic renderer for trees and other directed acyclic graphs (attack
//! trees, harm chains), on the same layered layout as the data-flow diagram.
//!
//! ```
//! use noharm_diagram::{DagEdge, DagNode, DagOptions, DagShape, render_dag_svg};
//!
//! let nodes = vec![
//!     DagNode::new("goal", "Alter a risk score").with_shape(DagShape::Hexagon),
//!     DagNode::new("feed", "Inject HL7 messages").with_note("OR"),
//!     DagNode::new("model", "Swap the model package"),
//! ];
//! let edges = vec![DagEdge::new("goal", "feed"), DagEdge::new("goal", "model")];
//! let svg = render_dag_svg(&nodes, &edges, &DagOptions::default());
//! assert!(svg.starts_with("<svg"));
//! ```

use std::collections::HashMap;

use crate::Direction;
use crate::card::{Badge, Card};
use crate::layout::{self, EdgeSpec, Graph, NodeSpec, Point, Rect};
use crate::style::{FLOW_COLOR, MUTED, TEXT, palette};
use crate::svg::{EdgeStyle, Paint, Shape, Svg, TextLine, data_box};
use crate::text::{self, Font};

const LABEL_FONT: Font = Font::regular(10.5);
const TITLE_FONT: Font = Font::bold(14.0);
const MAX_LABEL_WIDTH: f64 = 140.0;
const MARGIN: f64 = 16.0;

/// A colour as red, green and blue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// The outline of a DAG node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DagShape {
    /// Square corners.
    #[default]
    Rectangle,
    /// Rounded corners.
    Rounded,
    /// Pointed left and right ends.
    Hexagon,
}

/// A node to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DagNode {
    /// Identifies the node for edges; not shown.
    pub id: String,
    /// The main text, wrapped to fit.
    pub label: String,
    /// A smaller second line (a gate like `AND`, a kind, a score).
    pub note: Option<String>,
    /// The outline.
    pub shape: DagShape,
    /// Fill colour; white when absent.
    pub fill: Option<Rgb>,
    /// Outline colour; dark grey when absent.
    pub stroke: Option<Rgb>,
    /// A short text in a round badge at the top right (a count, a rank).
    pub badge: Option<String>,
}

impl DagNode {
    /// A rectangle with `label`, identified by `id`.
    pub fn new(id: impl Into<String>, label: impl Into<String>) -> DagNode {
        DagNode {
            id: id.into(),
            label: label.into(),
            note: None,
            shape: DagShape::Rectangle,
            fill: None,
            stroke: None,
            badge: None,
        }
    }

    /// The same node with a note line.
    pub fn with_note(mut self, note: impl Into<String>) -> DagNode {
        self.note = Some(note.into());
        self
    }

    /// The same node with another outline.
    pub fn with_shape(mut self, shape: DagShape) -> DagNode {
        self.shape = shape;
        self
    }

    /// The same node with fill and outline colours.
    pub fn with_colors(mut self, fill: Rgb, stroke: Rgb) -> DagNode {
        self.fill = Some(fill);
        self.stroke = Some(stroke);
        self
    }

    /// The same node with a badge.
    pub fn with_badge(mut self, badge: impl Into<String>) -> DagNode {
        self.badge = Some(badge.into());
        self
    }
}

/// An edge to draw, between node ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DagEdge {
    /// Id of the node it starts at.
    pub from: String,
    /// Id of the node it points to.
    pub to: String,
    /// Text beside the edge.
    pub label: Option<String>,
    /// Dashed instead of solid.
    pub dashed: bool,
}

impl DagEdge {
    /// A solid, unlabelled edge.
    pub fn new(from: impl Into<String>, to: impl Into<String>) -> DagEdge {
        DagEdge {
            from: from.into(),
            to: to.into(),
            label: None,
            dashed: false,
        }
    }

    /// The same edge with a label.
    pub fn with_label(mut self, label: impl Into<String>) -> DagEdge {
        self.label = Some(label.into());
        self
    }
}

/// How to draw a DAG.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DagOptions {
    /// A heading above the drawing.
    pub title: Option<String>,
    /// Which way edges point; top to bottom by default.
    pub direction: Direction,
}

/// Draws `nodes` and `edges` as an SVG document with a layered layout:
/// edges point along `options.direction` where the graph allows (cycles are
/// drawn with some edges pointing back), nodes never overlap, and edges
/// bend only between layers.
///
/// Edges whose ends are not among the nodes, and edges from a node to
/// itself, are left out; of nodes sharing an id, edges attach to the first.
/// All text is escaped.
pub fn render_dag_svg(nodes: &[DagNode], edges: &[DagEdge], options: &DagOptions) -> String {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (position, node) in nodes.iter().enumerate() {
        index.entry(node.id.as_str()).or_insert(position);
    }
    let cards: Vec<Card> = nodes.iter().map(card).collect();
    let labels: Vec<Option<Vec<TextLine>>> = edges.iter().map(edge_label).collect();
    let specs: Vec<EdgeSpec> = edges
        .iter()
        .zip(&labels)
        .map(|(edge, label)| EdgeSpec {
            from: index.get(edge.from.as_str()).copied().unwrap_or(usize::MAX),
            to: index.get(edge.to.as_str()).copied().unwrap_or(usize::MAX),
            label: label.as_ref().map(|lines| label_size(lines)),
        })
        .collect();
    let graph = Graph {
        nodes: cards
            .iter()
            .map(|card| NodeSpec {
                width: card.width,
                height: card.height,
                cluster: None,
            })
            .collect(),
        clusters: Vec::new(),
        edges: specs,
        direction: options.direction,
    };
    let mut layout = layout::layout(&graph);
    let title: Vec<TextLine> = options
        .title
        .as_deref()
        .map(|title| {
            text::wrap(&text::clean(title), TITLE_FONT, 900.0, 2)
                .into_iter()
                .map(|line| TextLine {
                    text: line,
                    font: TITLE_FONT,
                    color: TEXT,
                })
                .collect()
        })
        .unwrap_or_default();
    let header = if title.is_empty() {
        0.0
    } else {
        TextLine::block_height(&title) + MARGIN
    };
    layout.translate(0.0, header);
    let width = layout
        .width
        .max(TextLine::block_width(&title) + 2.0 * MARGIN)
        .ceil();
    let height = (layout.height + header).ceil();
    let mut svg = Svg::new(width, height, options.title.as_deref().unwrap_or("Diagram"));
    svg.raw("<defs>");
    svg.marker("noharm-dag-arrow", FLOW_COLOR);
    svg.raw("</defs>");
    svg.text_block(MARGIN, MARGIN / 2.0, "start", &title);
    let horizontal = options.direction == Direction::LeftToRight;
    for ((edge, route), label) in edges.iter().zip(&layout.edges).zip(&labels) {
        let Some(route) = route else { continue };
        draw_edge(&mut svg, edge, &route.points, horizontal);
        if let (Some(rect), Some(lines)) = (route.label, label) {
            draw_label(&mut svg, &rect, lines, horizontal);
        }
    }
    for ((node, rect), card) in nodes.iter().zip(&layout.nodes).zip(&cards) {
        draw_node(&mut svg, node, rect, card);
    }
    svg.finish()
}

fn shape(shape: DagShape) -> Shape {
    match shape {
        DagShape::Rectangle => Shape::Rectangle,
        DagShape::Rounded => Shape::Rounded,
        DagShape::Hexagon => Shape::Hexagon,
    }
}

fn card(node: &DagNode) -> Card {
    let colors = palette(None);
    let badge = node.badge.as_deref().map(|badge| Badge {
        text: text::clean(badge),
        fill: node.stroke.map_or(colors.badge.to_string(), Rgb::hex),
        color: "#ffffff".to_string(),
    });
    Card::new(
        &text::clean(&node.label),
        node.note.as_deref().map(text::clean).as_deref(),
        badge,
        shape(node.shape),
    )
}

fn edge_label(edge: &DagEdge) -> Option<Vec<TextLine>> {
    let label = edge.label.as_deref().map(text::clean)?;
    Some(
        text::wrap(&label, LABEL_FONT, MAX_LABEL_WIDTH, 3)
            .into_iter()
            .map(|line| TextLine {
                text: line,
                font: LABEL_FONT,
                color: MUTED,
            })
            .collect(),
    )
}

/// Label size, with room between the edge and the text.
fn label_size(lines: &[TextLine]) -> (f64, f64) {
    (
        (TextLine::block_width(lines) + 10.0).ceil(),
        (TextLine::block_height(lines) + 8.0).ceil(),
    )
}

fn draw_node(svg: &mut Svg, node: &DagNode, rect: &Rect, card: &Card) {
    svg.open_group(&[
        ("class", "dag-node"),
        ("data-id", &node.id),
        ("data-box", &data_box(rect)),
    ]);
    svg.tooltip(&node.label);
    let colors = palette(None);
    let fill = node.fill.map_or(colors.fill.to_string(), Rgb::hex);
    let stroke = node.stroke.map_or(colors.stroke.to_string(), Rgb::hex);
    card.draw(
        svg,
        rect,
        Paint {
            fill: &fill,
            stroke: &stroke,
        },
        1.4,
    );
    svg.close_group();
}

fn draw_edge(svg: &mut Svg, edge: &DagEdge, points: &[Point], horizontal: bool) {
    svg.open_group(&[
        ("class", "dag-edge"),
        ("data-from", &edge.from),
        ("data-to", &edge.to),
    ]);
    svg.edge_path(
        points,
        horizontal,
        &EdgeStyle {
            color: FLOW_COLOR,
            width: 1.4,
            dashed: edge.dashed,
            marker: "noharm-dag-arrow",
        },
    );
    svg.close_group();
}

/// The edge runs along the label's top (left to right) or left side (top
/// to bottom); the text sits just past it.
fn draw_label(svg: &mut Svg, rect: &Rect, lines: &[TextLine], horizontal: bool) {
    svg.open_group(&[("class", "dag-label"), ("data-box", &data_box(rect))]);
    let (x, y) = if horizontal {
        (rect.x + 5.0, rect.y + 5.0)
    } else {
        (rect.x + 6.0, rect.y + 4.0)
    };
    svg.text_block(x, y, "start", lines);
    svg.close_group();
}
