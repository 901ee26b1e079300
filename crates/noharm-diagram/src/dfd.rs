//! The data-flow diagram as SVG, laid out by [`crate::layout`].

use noharm_model::keywords::ElementKind;
use noharm_syntax::Keyword;

use crate::Direction;
use crate::card::{Badge, Card};
use crate::layout::{self, ClusterSpec, EdgeSpec, Graph, Layout, NodeSpec, Point, Rect};
use crate::legend::Legend;
use crate::overlay::Overlay;
use crate::scene::{Scene, SceneCluster, SceneEdge, SceneNode};
use crate::style::{self, FLOW_COLOR, MUTED, PHI, TEXT, palette};
use crate::svg::{EdgeStyle, Paint, Shape, Svg, TextLine, badge_radius, data_box};
use crate::text::{self, Font};

const TITLE_FONT: Font = Font::bold(15.0);
const SUMMARY_FONT: Font = Font::regular(11.0);
const BOUNDARY_NAME_FONT: Font = Font::bold(11.5);
const BOUNDARY_CAPTION_FONT: Font = Font::regular(10.0);
const FLOW_NAME_FONT: Font = Font::regular(10.5);
const FLOW_CAPTION_FONT: Font = Font::bold(9.5);
const MAX_BOUNDARY_TITLE_WIDTH: f64 = 220.0;
const MAX_FLOW_LABEL_WIDTH: f64 = 140.0;
const MARGIN: f64 = 16.0;
/// Room between an edge and the top of its label text.
const LABEL_TOP: f64 = 4.0;

/// The screen a drawing should fit best when the direction is chosen
/// automatically: a landscape monitor.
const SCREEN: (f64, f64) = (1800.0, 1150.0);

/// Renders `scene` as an SVG document running in `direction`, or in the
/// direction that fits a landscape screen better when `None`.
pub(crate) fn render(scene: &Scene, direction: Option<Direction>) -> String {
    let cards: Vec<Card> = scene.nodes.iter().map(node_card).collect();
    let labels: Vec<FlowLabel> = scene.edges.iter().map(FlowLabel::new).collect();
    let titles: Vec<Vec<TextLine>> = scene.clusters.iter().map(boundary_title).collect();
    let lay_out = |direction| layout::layout(&graph(scene, &cards, &labels, &titles, direction));
    let (direction, mut layout) = match direction {
        Some(direction) => (direction, lay_out(direction)),
        None => best_fit(
            lay_out(Direction::LeftToRight),
            lay_out(Direction::TopToBottom),
        ),
    };

    let header = header_lines(scene);
    let header_height = TextLine::block_height(&header) + MARGIN;
    layout.translate(0.0, header_height);
    let legend = Legend::new(scene.has_phi());
    let legend_top = header_height + layout.height;
    let width = layout
        .width
        .max(legend.width + 2.0 * MARGIN)
        .max(TextLine::block_width(&header) + 2.0 * MARGIN)
        .ceil();
    let height = (legend_top + legend.height + MARGIN).ceil();

    let mut svg = Svg::new(
        width,
        height,
        &format!("Data-flow diagram: {}", scene.title),
    );
    draw_markers(&mut svg);
    svg.text_block(MARGIN, MARGIN / 2.0, "start", &header);
    draw_boundaries(&mut svg, scene, &layout);
    draw_flows(&mut svg, scene, &layout, direction);
    draw_flow_labels(&mut svg, scene, &layout, &labels, direction);
    draw_nodes(&mut svg, scene, &layout, &cards);
    draw_boundary_titles(&mut svg, scene, &layout, &titles);
    legend.draw(
        &mut svg,
        Point {
            x: MARGIN,
            y: legend_top,
        },
    );
    svg.finish()
}

/// Of a left-to-right and a top-to-bottom layout, the one that needs less
/// shrinking to fit [`SCREEN`] (left to right when equal).
fn best_fit(across: Layout, down: Layout) -> (Direction, Layout) {
    let shrink = |layout: &Layout| (layout.width / SCREEN.0).max(layout.height / SCREEN.1);
    if shrink(&down) < shrink(&across) * 0.95 {
        (Direction::TopToBottom, down)
    } else {
        (Direction::LeftToRight, across)
    }
}

/// The layout problem for `scene`.
fn graph(
    scene: &Scene,
    cards: &[Card],
    labels: &[FlowLabel],
    titles: &[Vec<TextLine>],
    direction: Direction,
) -> Graph {
    Graph {
        nodes: scene
            .nodes
            .iter()
            .zip(cards)
            .map(|(node, card)| NodeSpec {
                width: card.width,
                height: card.height,
                cluster: node.cluster,
            })
            .collect(),
        clusters: scene
            .clusters
            .iter()
            .zip(titles)
            .map(|(cluster, title)| ClusterSpec {
                parent: cluster.parent,
                title_width: TextLine::block_width(title).ceil(),
                title_height: TextLine::block_height(title),
            })
            .collect(),
        edges: scene
            .edges
            .iter()
            .zip(labels)
            .map(|(edge, label)| EdgeSpec {
                from: edge.from,
                to: edge.to,
                label: Some((label.width, label.height)),
            })
            .collect(),
        direction,
    }
}

fn header_lines(scene: &Scene) -> Vec<TextLine> {
    let open: usize = scene
        .nodes
        .iter()
        .map(|n| n.overlay.open)
        .chain(scene.edges.iter().map(|e| e.overlay.open))
        .sum();
    let summary = format!(
        "Data-flow diagram · {} elements · {} data flows · {} trust boundaries · {} open findings",
        scene.nodes.len(),
        scene.edges.len(),
        scene.clusters.len(),
        open
    );
    let mut lines: Vec<TextLine> = text::wrap(&scene.title, TITLE_FONT, 900.0, 2)
        .into_iter()
        .map(|text| TextLine {
            text,
            font: TITLE_FONT,
            color: TEXT,
        })
        .collect();
    lines.push(TextLine {
        text: summary,
        font: SUMMARY_FONT,
        color: MUTED,
    });
    lines
}

/// The DFD shape of an element kind.
pub(crate) fn shape_of(kind: ElementKind) -> Shape {
    match kind {
        ElementKind::Actor | ElementKind::External => Shape::Rectangle,
        ElementKind::Process => Shape::Rounded,
        ElementKind::Store => Shape::Store,
        ElementKind::Model => Shape::Hexagon,
    }
}

fn badge_for(overlay: &Overlay) -> Option<Badge> {
    (overlay.open > 0).then(|| {
        let colors = palette(overlay.best);
        Badge {
            text: overlay.open.to_string(),
            fill: colors.badge.to_string(),
            color: colors.badge_text.to_string(),
        }
    })
}

fn node_card(node: &SceneNode) -> Card {
    Card::new(
        &node.name,
        Some(&node.caption),
        badge_for(&node.overlay),
        shape_of(node.kind),
    )
}

fn boundary_title(cluster: &SceneCluster) -> Vec<TextLine> {
    let name = text::wrap(
        &cluster.name,
        BOUNDARY_NAME_FONT,
        MAX_BOUNDARY_TITLE_WIDTH,
        3,
    )
    .into_iter()
    .map(|text| TextLine {
        text,
        font: BOUNDARY_NAME_FONT,
        color: style::boundary_color(cluster.kind),
    });
    let caption = text::wrap(
        &cluster.caption,
        BOUNDARY_CAPTION_FONT,
        MAX_BOUNDARY_TITLE_WIDTH,
        2,
    )
    .into_iter()
    .map(|text| TextLine {
        text,
        font: BOUNDARY_CAPTION_FONT,
        color: MUTED,
    });
    name.chain(caption).collect()
}

/// A flow's label: name, then protocol and the PHI mark, with a badge.
struct FlowLabel {
    lines: Vec<TextLine>,
    badge: Option<Badge>,
    width: f64,
    height: f64,
}

impl FlowLabel {
    fn new(edge: &SceneEdge) -> FlowLabel {
        let mut lines: Vec<TextLine> =
            text::wrap(&edge.name, FLOW_NAME_FONT, MAX_FLOW_LABEL_WIDTH, 3)
                .into_iter()
                .map(|text| TextLine {
                    text,
                    font: FLOW_NAME_FONT,
                    color: TEXT,
                })
                .collect();
        let caption = match (&edge.protocol, edge.phi) {
            (Some(protocol), true) => Some((format!("{protocol} · PHI"), PHI)),
            (Some(protocol), false) => Some((protocol.clone(), MUTED)),
            (None, true) => Some(("PHI".to_string(), PHI)),
            (None, false) => None,
        };
        if let Some((caption, color)) = caption {
            lines.extend(
                text::wrap(&caption, FLOW_CAPTION_FONT, MAX_FLOW_LABEL_WIDTH, 2)
                    .into_iter()
                    .map(|text| TextLine {
                        text,
                        font: FLOW_CAPTION_FONT,
                        color,
                    }),
            );
        }
        let badge = badge_for(&edge.overlay);
        let badge_room = badge
            .as_ref()
            .map_or(0.0, |b| 2.0 * badge_radius(&b.text) + 4.0);
        let width = (TextLine::block_width(&lines) + badge_room + 10.0).ceil();
        let height = (TextLine::block_height(&lines) + LABEL_TOP + 2.0).ceil();
        FlowLabel {
            lines,
            badge,
            width,
            height,
        }
    }

    /// Draws the label; the edge runs along its top (left to right) or its
    /// left side (top to bottom).
    fn draw(&self, svg: &mut Svg, rect: &Rect, direction: Direction) {
        let (mut left, top) = match direction {
            Direction::LeftToRight => (rect.x + 3.0, rect.y + LABEL_TOP),
            Direction::TopToBottom => (rect.x + 7.0, rect.y + 2.0),
        };
        if let Some(badge) = &self.badge {
            let radius = badge_radius(&badge.text);
            let center = Point {
                x: left + radius,
                y: top + radius,
            };
            svg.badge(center, &badge.text, &badge.fill, &badge.color);
            left += 2.0 * radius + 4.0;
        }
        svg.text_block(left, top, "start", &self.lines);
    }
}

fn draw_markers(svg: &mut Svg) {
    svg.raw("<defs>");
    svg.marker("noharm-arrow", FLOW_COLOR);
    for priority in style::PRIORITIES {
        svg.marker(&marker_id(Some(priority)), palette(Some(priority)).stroke);
    }
    svg.raw("</defs>");
}

fn marker_id(priority: Option<noharm_risk::Priority>) -> String {
    match priority {
        Some(priority) => format!("noharm-arrow-{}", priority.as_str().to_lowercase()),
        None => "noharm-arrow".to_string(),
    }
}

/// Outermost boundaries first, so nested ones are drawn on top.
fn draw_boundaries(svg: &mut Svg, scene: &Scene, layout: &Layout) {
    let depth = |mut index: usize| {
        let mut depth = 0;
        while let Some(parent) = scene.clusters.get(index).and_then(|c| c.parent) {
            depth += 1;
            index = parent;
            if depth > scene.clusters.len() {
                break;
            }
        }
        depth
    };
    let mut order: Vec<usize> = (0..scene.clusters.len()).collect();
    order.sort_by_key(|&index| depth(index));
    for index in order {
        let (cluster, placed) = (&scene.clusters[index], &layout.clusters[index]);
        let parent = cluster
            .parent
            .and_then(|p| scene.clusters.get(p))
            .map_or(String::new(), |p| p.id.clone());
        svg.open_group(&[
            ("class", "boundary"),
            ("data-id", &cluster.id),
            ("data-kind", cluster.kind.as_str()),
            ("data-parent", &parent),
            ("data-box", &data_box(&placed.rect)),
        ]);
        svg.tooltip(&format!("{} ({})", cluster.name, cluster.caption));
        let color = style::boundary_color(cluster.kind);
        svg.raw(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{color}\" fill-opacity=\"0.04\" stroke=\"{color}\" stroke-width=\"1.3\" stroke-dasharray=\"7 4\"/>",
            crate::svg::num(placed.rect.x),
            crate::svg::num(placed.rect.y),
            crate::svg::num(placed.rect.w),
            crate::svg::num(placed.rect.h),
        ));
        svg.close_group();
    }
}

fn draw_boundary_titles(svg: &mut Svg, scene: &Scene, layout: &Layout, titles: &[Vec<TextLine>]) {
    for ((cluster, placed), title) in scene.clusters.iter().zip(&layout.clusters).zip(titles) {
        svg.open_group(&[
            ("class", "boundary-title"),
            ("data-for", &cluster.id),
            ("data-box", &data_box(&placed.title)),
        ]);
        svg.text_block(placed.title.x, placed.title.y, "start", title);
        svg.close_group();
    }
}

fn draw_nodes(svg: &mut Svg, scene: &Scene, layout: &Layout, cards: &[Card]) {
    for ((node, rect), card) in scene.nodes.iter().zip(&layout.nodes).zip(cards) {
        let boundary = node
            .cluster
            .and_then(|c| scene.clusters.get(c))
            .map_or(String::new(), |c| c.id.clone());
        let priority = node.overlay.best.map_or("", |p| p.as_str());
        svg.open_group(&[
            ("class", "node"),
            ("data-id", &node.id),
            ("data-kind", node.kind.as_str()),
            ("data-boundary", &boundary),
            ("data-priority", priority),
            ("data-box", &data_box(rect)),
        ]);
        svg.tooltip(&tooltip(&node.name, &node.id, &node.overlay));
        let colors = palette(node.overlay.best.filter(|_| node.overlay.open > 0));
        let paint = Paint {
            fill: colors.fill,
            stroke: colors.stroke,
        };
        let stroke_width = if node.overlay.open > 0 { 2.0 } else { 1.4 };
        card.draw(svg, rect, paint, stroke_width);
        svg.close_group();
    }
}

fn tooltip(name: &str, id: &str, overlay: &Overlay) -> String {
    match overlay.best {
        Some(best) if overlay.open > 0 => format!(
            "{name} ({id}): {} open finding{}, most urgent {}",
            overlay.open,
            if overlay.open == 1 { "" } else { "s" },
            best.as_str()
        ),
        _ => format!("{name} ({id}): no open findings"),
    }
}

fn draw_flows(svg: &mut Svg, scene: &Scene, layout: &Layout, direction: Direction) {
    for (edge, route) in scene.edges.iter().zip(&layout.edges) {
        let Some(route) = route else { continue };
        let mut points = route.points.clone();
        if direction == Direction::LeftToRight {
            fit_to_shape(
                &mut points,
                &layout.nodes[edge.from],
                scene.nodes[edge.from].kind,
                true,
            );
            fit_to_shape(
                &mut points,
                &layout.nodes[edge.to],
                scene.nodes[edge.to].kind,
                false,
            );
        }
        let best = edge.overlay.best.filter(|_| edge.overlay.open > 0);
        let color = if best.is_some() {
            palette(best).stroke
        } else {
            FLOW_COLOR
        };
        let from = &scene.nodes[edge.from];
        let to = &scene.nodes[edge.to];
        svg.open_group(&[
            ("class", "flow"),
            ("data-id", &edge.id),
            ("data-from", &from.id),
            ("data-to", &to.id),
            ("data-phi", if edge.phi { "true" } else { "false" }),
            ("data-priority", best.map_or("", |p| p.as_str())),
        ]);
        svg.tooltip(&format!(
            "{} → {}: {}",
            from.name,
            to.name,
            tooltip(&edge.name, &edge.id, &edge.overlay)
        ));
        let marker = marker_id(best);
        let style = EdgeStyle {
            color,
            width: if edge.phi { 3.2 } else { 1.4 },
            dashed: false,
            marker: &marker,
        };
        svg.edge_path(&points, direction == Direction::LeftToRight, &style);
        svg.close_group();
    }
}

fn draw_flow_labels(
    svg: &mut Svg,
    scene: &Scene,
    layout: &Layout,
    labels: &[FlowLabel],
    direction: Direction,
) {
    for ((edge, route), label) in scene.edges.iter().zip(&layout.edges).zip(labels) {
        let Some(rect) = route.as_ref().and_then(|r| r.label) else {
            continue;
        };
        svg.open_group(&[
            ("class", "flow-label"),
            ("data-for", &edge.id),
            ("data-box", &data_box(&rect)),
        ]);
        label.draw(svg, &rect, direction);
        svg.close_group();
    }
}

/// Moves the end of a route that touches a hexagon onto its slanted side.
fn fit_to_shape(points: &mut [Point], rect: &Rect, kind: ElementKind, at_start: bool) {
    let shape = shape_of(kind);
    let depth = shape.point_depth(rect.h);
    if depth == 0.0 {
        return;
    }
    let point = if at_start {
        points.first_mut()
    } else {
        points.last_mut()
    };
    let Some(point) = point else { return };
    let half = rect.h / 2.0;
    let inward = depth * ((point.y - (rect.y + half)).abs() / half).min(1.0);
    if point.x >= rect.x + rect.w / 2.0 {
        point.x = rect.right() - inward;
    } else {
        point.x = rect.x + inward;
    }
}
