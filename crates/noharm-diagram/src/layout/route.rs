//! Edge routes and the conversion to canvas coordinates.

use super::layered::{Chain, Kind, Layered, PORT_SPREAD};
use super::place::Placed;
use super::tree::ClusterTree;
use super::{ClusterBox, EdgeRoute, Graph, Layout, Point, Rect};
use crate::Direction;

/// Empty space around the drawing.
const MARGIN: f64 = 16.0;

/// Routes the edges and turns everything into canvas coordinates.
pub(super) fn finish(
    graph: &Graph,
    layered: &Layered,
    tree: &ClusterTree,
    placed: &Placed,
) -> Layout {
    let canvas = Canvas {
        direction: graph.direction,
    };
    let item_rect = |item: usize| {
        let it = &layered.items[item];
        canvas.rect(placed.main[item], placed.cross[item], it.main, it.cross)
    };
    let nodes: Vec<Rect> = (0..graph.nodes.len()).map(item_rect).collect();
    let clusters: Vec<ClusterBox> = (0..tree.len())
        .map(|cluster| {
            let [main_start, main_end, cross_start, cross_end] = placed.clusters[cluster];
            ClusterBox {
                rect: canvas.rect(
                    main_start,
                    cross_start,
                    main_end - main_start,
                    cross_end - cross_start,
                ),
                title: item_rect(layered.titles[cluster]),
            }
        })
        .collect();
    let ports = ports(layered, placed);
    let mut edges: Vec<Option<EdgeRoute>> = vec![None; graph.edges.len()];
    for (index, chain) in layered.chains.iter().enumerate() {
        let mut points: Vec<Point> = chain_points(layered, placed, chain, ports[index])
            .into_iter()
            .map(|(main, cross)| canvas.point(main, cross))
            .collect();
        if chain.reversed {
            points.reverse();
        }
        let label = chain
            .items
            .iter()
            .find(|&&item| matches!(layered.items[item].kind, Kind::Label(_)))
            .map(|&item| item_rect(item));
        if let Some(slot) = edges.get_mut(chain.edge) {
            *slot = Some(EdgeRoute { points, label });
        }
    }
    let mut layout = Layout {
        width: 0.0,
        height: 0.0,
        nodes,
        clusters,
        edges,
    };
    normalise(&mut layout);
    layout
}

/// Maps rank-axis and cross-axis coordinates onto the canvas.
struct Canvas {
    direction: Direction,
}

impl Canvas {
    fn point(&self, main: f64, cross: f64) -> Point {
        match self.direction {
            Direction::LeftToRight => Point { x: main, y: cross },
            Direction::TopToBottom => Point { x: cross, y: main },
        }
    }

    fn rect(&self, main: f64, cross: f64, main_size: f64, cross_size: f64) -> Rect {
        match self.direction {
            Direction::LeftToRight => Rect {
                x: main,
                y: cross,
                w: main_size,
                h: cross_size,
            },
            Direction::TopToBottom => Rect {
                x: cross,
                y: main,
                w: cross_size,
                h: main_size,
            },
        }
    }
}

/// Cross-axis positions of each chain's ports: where it leaves its
/// lower-ranked end and enters its higher-ranked end.
fn ports(layered: &Layered, placed: &Placed) -> Vec<(f64, f64)> {
    let count = layered.chains.len();
    let mut leaving: Vec<Vec<(f64, usize)>> = vec![Vec::new(); layered.items.len()];
    let mut entering: Vec<Vec<(f64, usize)>> = vec![Vec::new(); layered.items.len()];
    let level = |item: usize| placed.cross[item] + layered.items[item].anchor;
    for (index, chain) in layered.chains.iter().enumerate() {
        let (Some(&first), Some(&second)) = (chain.items.first(), chain.items.get(1)) else {
            continue;
        };
        let (Some(&last), Some(&before_last)) =
            (chain.items.last(), chain.items.iter().rev().nth(1))
        else {
            continue;
        };
        leaving[first].push((level(second), index));
        entering[last].push((level(before_last), index));
    }
    let mut ports = vec![(0.0, 0.0); count];
    for (item, list) in leaving.iter_mut().enumerate() {
        for (cross, chain) in spread(layered, placed, item, list) {
            ports[chain].0 = cross;
        }
    }
    for (item, list) in entering.iter_mut().enumerate() {
        for (cross, chain) in spread(layered, placed, item, list) {
            ports[chain].1 = cross;
        }
    }
    ports
}

/// Spreads the edges on one side of an item over the middle of that side,
/// in the order of the positions of their other ends.
fn spread(
    layered: &Layered,
    placed: &Placed,
    item: usize,
    list: &mut [(f64, usize)],
) -> Vec<(f64, usize)> {
    list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let size = layered.items[item].cross;
    let start = placed.cross[item] + size * (1.0 - PORT_SPREAD) / 2.0;
    let count = list.len() as f64;
    list.iter()
        .enumerate()
        .map(|(index, &(_, chain))| {
            let cross = start + size * PORT_SPREAD * (index as f64 + 0.5) / count;
            ((cross * 2.0).round() / 2.0, chain)
        })
        .collect()
}

/// Rank-axis and cross-axis points of one chain, from its lower-ranked end.
fn chain_points(
    layered: &Layered,
    placed: &Placed,
    chain: &Chain,
    ports: (f64, f64),
) -> Vec<(f64, f64)> {
    let (Some(&first), Some(&last)) = (chain.items.first(), chain.items.last()) else {
        return Vec::new();
    };
    let low = &layered.items[first];
    let mut points = vec![
        (placed.main[first] + low.main, ports.0),
        (placed.column_end[low.rank], ports.0),
    ];
    for &item in chain
        .items
        .iter()
        .skip(1)
        .take(chain.items.len().saturating_sub(2))
    {
        let middle = &layered.items[item];
        let level = placed.cross[item] + middle.anchor;
        points.push((placed.column_start[middle.rank], level));
        points.push((placed.column_end[middle.rank], level));
    }
    let high = &layered.items[last];
    points.push((placed.column_start[high.rank], ports.1));
    points.push((placed.main[last], ports.1));
    points
}

/// Moves everything so that the drawing starts at the margin, and sizes the
/// canvas.
fn normalise(layout: &mut Layout) {
    let rects = layout
        .nodes
        .iter()
        .chain(layout.clusters.iter().map(|c| &c.rect))
        .chain(
            layout
                .edges
                .iter()
                .flatten()
                .filter_map(|e| e.label.as_ref()),
        );
    let (mut min_x, mut min_y) = (f64::INFINITY, f64::INFINITY);
    let (mut max_x, mut max_y) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for rect in rects {
        min_x = min_x.min(rect.x);
        min_y = min_y.min(rect.y);
        max_x = max_x.max(rect.right());
        max_y = max_y.max(rect.bottom());
    }
    for point in layout.edges.iter().flatten().flat_map(|e| &e.points) {
        min_x = min_x.min(point.x);
        min_y = min_y.min(point.y);
        max_x = max_x.max(point.x);
        max_y = max_y.max(point.y);
    }
    if !min_x.is_finite() {
        layout.width = 2.0 * MARGIN;
        layout.height = 2.0 * MARGIN;
        return;
    }
    layout.translate(MARGIN - min_x, MARGIN - min_y);
    layout.width = (max_x - min_x + 2.0 * MARGIN).ceil();
    layout.height = (max_y - min_y + 2.0 * MARGIN).ceil();
}
