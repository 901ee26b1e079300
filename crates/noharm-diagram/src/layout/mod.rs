//! A layered (Sugiyama-style) layout for directed graphs whose nodes sit in
//! nested clusters.
//!
//! The steps, each in its own module:
//!
//! 1. [`rank`]: break cycles by reversing back edges, then assign ranks
//!    along the edges (longest path, then nodes are pulled towards the side
//!    with more edges to shorten them).
//! 2. [`layered`]: double the ranks so that every edge has a slot between
//!    its ends for its label; long edges get a chain of dummy items; every
//!    cluster gets a title item in its first rank and filler items in ranks
//!    where it would otherwise be empty, so that it is present in every rank
//!    it spans.
//! 3. [`order`]: order each rank to reduce crossings with barycentre sweeps
//!    and adjacent swaps, keeping every cluster contiguous in every rank and
//!    sibling clusters in the same order in all ranks.
//! 4. [`place`]: columns along the rank axis (with room for cluster borders
//!    between them), and positions across it from a separation-constraint
//!    solver ([`vpsc`]) that keeps items apart and outside the clusters they
//!    do not belong to, iterated towards straight edges.
//! 5. [`route`]: edges run straight through columns and bend as cubic curves
//!    only in the gaps between columns, where there are no nodes; ports are
//!    spread along the sides of nodes.
//!
//! Titles and edge labels are items of the layout like nodes, so nothing
//! overlaps by construction, and a cluster's box is computed from its
//! members only, so it encloses exactly them and its nested clusters.

mod layered;
mod order;
mod place;
mod rank;
mod route;
mod tree;
mod vpsc;

use crate::Direction;

/// A point on the canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Point {
    /// Horizontal position.
    pub(crate) x: f64,
    /// Vertical position.
    pub(crate) y: f64,
}

/// An axis-aligned rectangle on the canvas.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Rect {
    /// Left edge.
    pub(crate) x: f64,
    /// Top edge.
    pub(crate) y: f64,
    /// Width.
    pub(crate) w: f64,
    /// Height.
    pub(crate) h: f64,
}

impl Rect {
    /// The right edge.
    pub(crate) fn right(&self) -> f64 {
        self.x + self.w
    }

    /// The bottom edge.
    pub(crate) fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Whether the interiors of the two rectangles meet.
    #[cfg(test)]
    pub(crate) fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// Whether `other` lies inside this rectangle.
    #[cfg(test)]
    pub(crate) fn contains(&self, other: &Rect) -> bool {
        self.x <= other.x
            && self.y <= other.y
            && other.right() <= self.right()
            && other.bottom() <= self.bottom()
    }
}

/// A node to lay out.
#[derive(Clone, Debug)]
pub(crate) struct NodeSpec {
    /// Width on the canvas.
    pub(crate) width: f64,
    /// Height on the canvas.
    pub(crate) height: f64,
    /// The innermost cluster it belongs to.
    pub(crate) cluster: Option<usize>,
}

/// A cluster to lay out.
#[derive(Clone, Debug)]
pub(crate) struct ClusterSpec {
    /// The cluster it sits in.
    pub(crate) parent: Option<usize>,
    /// Width of its title.
    pub(crate) title_width: f64,
    /// Height of its title.
    pub(crate) title_height: f64,
}

/// An edge to lay out.
#[derive(Clone, Debug)]
pub(crate) struct EdgeSpec {
    /// Source node.
    pub(crate) from: usize,
    /// Target node.
    pub(crate) to: usize,
    /// Width and height of its label, if it has one.
    pub(crate) label: Option<(f64, f64)>,
}

/// What to lay out.
#[derive(Clone, Debug)]
pub(crate) struct Graph {
    /// Nodes.
    pub(crate) nodes: Vec<NodeSpec>,
    /// Clusters; a parent that leads into a cycle or out of range is ignored.
    pub(crate) clusters: Vec<ClusterSpec>,
    /// Edges; self-loops and edges to missing nodes are not laid out.
    pub(crate) edges: Vec<EdgeSpec>,
    /// Which way edges point.
    pub(crate) direction: Direction,
}

/// A cluster's place.
#[derive(Clone, Debug)]
pub(crate) struct ClusterBox {
    /// Its border.
    pub(crate) rect: Rect,
    /// Where its title goes.
    pub(crate) title: Rect,
}

/// An edge's place.
#[derive(Clone, Debug)]
pub(crate) struct EdgeRoute {
    /// From the source's border to the target's border. Points alternate:
    /// segments from an even to the next odd index are straight, the others
    /// are curves leaving and entering along the rank axis.
    pub(crate) points: Vec<Point>,
    /// Where its label goes. The edge runs along the label's top side (left
    /// to right) or left side (top to bottom).
    pub(crate) label: Option<Rect>,
}

/// The result of a layout.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    /// Width of the canvas.
    pub(crate) width: f64,
    /// Height of the canvas.
    pub(crate) height: f64,
    /// Node boxes, in input order.
    pub(crate) nodes: Vec<Rect>,
    /// Cluster boxes, in input order.
    pub(crate) clusters: Vec<ClusterBox>,
    /// Edge routes, in input order; `None` for edges not laid out.
    pub(crate) edges: Vec<Option<EdgeRoute>>,
}

impl Layout {
    /// Moves everything by `dx`, `dy`; the canvas size stays.
    pub(crate) fn translate(&mut self, dx: f64, dy: f64) {
        let shift = |rect: &mut Rect| {
            rect.x += dx;
            rect.y += dy;
        };
        self.nodes.iter_mut().for_each(shift);
        for cluster in &mut self.clusters {
            shift(&mut cluster.rect);
            shift(&mut cluster.title);
        }
        for edge in self.edges.iter_mut().flatten() {
            edge.label.iter_mut().for_each(shift);
            for point in &mut edge.points {
                point.x += dx;
                point.y += dy;
            }
        }
    }
}

/// Lays out `graph`.
pub(crate) fn layout(graph: &Graph) -> Layout {
    let tree = tree::ClusterTree::new(&graph.clusters);
    let laid_out: Vec<usize> = (0..graph.edges.len())
        .filter(|&index| is_laid_out(graph, &graph.edges[index]))
        .collect();
    let pairs: Vec<(usize, usize)> = laid_out
        .iter()
        .map(|&index| (graph.edges[index].from, graph.edges[index].to))
        .collect();
    let ranking = rank::rank(graph.nodes.len(), &pairs);
    let mut layered = layered::build(graph, &tree, &ranking, &laid_out);
    order::order(&mut layered, &tree);
    let placed = place::place(&layered, &tree, graph.direction);
    route::finish(graph, &layered, &tree, &placed)
}

/// Whether an edge takes part in the layout.
fn is_laid_out(graph: &Graph, edge: &EdgeSpec) -> bool {
    edge.from != edge.to && edge.from < graph.nodes.len() && edge.to < graph.nodes.len()
}

#[cfg(test)]
mod tests;
