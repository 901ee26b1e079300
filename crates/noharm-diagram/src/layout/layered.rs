//! The layered graph: nodes, edge dummies and labels, cluster titles and
//! fillers, each an item in one rank.

use super::Graph;
use super::rank::Ranking;
use super::tree::ClusterTree;
use crate::Direction;

/// Thickness of an edge's dummy item across the ranks.
const DUMMY_THICKNESS: f64 = 2.0;

/// Share of a node's side, around its middle, over which ports are spread.
pub(super) const PORT_SPREAD: f64 = 0.7;

/// Least distance between two ports on the same side of a node.
const PORT_GAP: f64 = 7.0;

/// What an item stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A node of the graph.
    Node(usize),
    /// A bend point of a long edge.
    Dummy,
    /// The label of an edge (by index in the graph's edges).
    Label(usize),
    /// Keeps a cluster present in a rank where it has nothing else.
    Filler,
    /// The title of a cluster.
    Title(usize),
}

/// One item in one rank.
#[derive(Clone, Debug)]
pub(super) struct Item {
    /// What it stands for.
    pub(super) kind: Kind,
    /// Its rank.
    pub(super) rank: usize,
    /// The innermost cluster it belongs to.
    pub(super) cluster: Option<usize>,
    /// Size along the rank axis.
    pub(super) main: f64,
    /// Size across the rank axis.
    pub(super) cross: f64,
    /// Where edges pass through it, from its start across the ranks.
    pub(super) anchor: f64,
}

/// An edge as a chain of items, from its lower rank to its higher rank.
/// Each item between the ends sits in the innermost cluster around the
/// nearer end that spans its rank, so an edge stays inside its ends'
/// clusters as long as they reach, instead of detouring around them.
#[derive(Clone, Debug)]
pub(super) struct Chain {
    /// Index of the edge in the graph.
    pub(super) edge: usize,
    /// Items from the lower-ranked end to the higher-ranked end.
    pub(super) items: Vec<usize>,
    /// Whether the edge points from the higher rank to the lower.
    pub(super) reversed: bool,
}

/// The layered graph.
#[derive(Clone, Debug)]
pub(super) struct Layered {
    /// All items; nodes first, at the indices of the graph's nodes.
    pub(super) items: Vec<Item>,
    /// Edges as chains.
    pub(super) chains: Vec<Chain>,
    /// Items of each rank, in order.
    pub(super) ranks: Vec<Vec<usize>>,
    /// First and last rank of each cluster.
    pub(super) spans: Vec<(usize, usize)>,
    /// Items inside each cluster, nested ones included.
    pub(super) members: Vec<Vec<usize>>,
    /// The title item of each cluster.
    pub(super) titles: Vec<usize>,
    /// Neighbours of each item in the rank before.
    pub(super) up: Vec<Vec<usize>>,
    /// Neighbours of each item in the rank after.
    pub(super) down: Vec<Vec<usize>>,
}

/// Builds the layered graph of `graph` with `ranking` (for the edges
/// `laid_out`, by index).
pub(super) fn build(
    graph: &Graph,
    tree: &ClusterTree,
    ranking: &Ranking,
    laid_out: &[usize],
) -> Layered {
    let mut items = node_items(graph, tree, ranking);
    let node_spans = cluster_spans(tree, &items);
    let chains = edge_chains(graph, tree, &node_spans, ranking, laid_out, &mut items);
    make_room_for_ports(&mut items, &chains);
    let spans = cluster_spans(tree, &items);
    let titles = add_titles(graph, tree, &spans, &mut items);
    add_fillers(tree, &spans, &mut items);

    let mut members = vec![Vec::new(); tree.len()];
    for (index, item) in items.iter().enumerate() {
        for cluster in tree.chain(item.cluster) {
            members[cluster].push(index);
        }
    }
    let rank_count = items.iter().map(|item| item.rank + 1).max().unwrap_or(0);
    let mut ranks = vec![Vec::new(); rank_count];
    for (index, item) in items.iter().enumerate() {
        ranks[item.rank].push(index);
    }
    let mut up = vec![Vec::new(); items.len()];
    let mut down = vec![Vec::new(); items.len()];
    for chain in &chains {
        for pair in chain.items.windows(2) {
            down[pair[0]].push(pair[1]);
            up[pair[1]].push(pair[0]);
        }
    }
    Layered {
        items,
        chains,
        ranks,
        spans,
        members,
        titles,
        up,
        down,
    }
}

/// Sizes along and across the ranks of a box `width` by `height`.
fn oriented(direction: Direction, width: f64, height: f64) -> (f64, f64) {
    match direction {
        Direction::LeftToRight => (width, height),
        Direction::TopToBottom => (height, width),
    }
}

fn node_items(graph: &Graph, tree: &ClusterTree, ranking: &Ranking) -> Vec<Item> {
    graph
        .nodes
        .iter()
        .enumerate()
        .map(|(index, node)| {
            let (main, cross) = oriented(graph.direction, node.width, node.height);
            Item {
                kind: Kind::Node(index),
                rank: 2 * ranking.rank.get(index).copied().unwrap_or(0),
                cluster: node.cluster.filter(|&c| c < tree.len()),
                main,
                cross,
                anchor: cross / 2.0,
            }
        })
        .collect()
}

fn edge_chains(
    graph: &Graph,
    tree: &ClusterTree,
    spans: &[(usize, usize)],
    ranking: &Ranking,
    laid_out: &[usize],
    items: &mut Vec<Item>,
) -> Vec<Chain> {
    let mut chains = Vec::with_capacity(laid_out.len());
    for (position, &edge_index) in laid_out.iter().enumerate() {
        let edge = &graph.edges[edge_index];
        let reversed = ranking.reversed.get(position).copied().unwrap_or(false);
        let (low, high) = if reversed {
            (edge.to, edge.from)
        } else {
            (edge.from, edge.to)
        };
        let (low_rank, high_rank) = (items[low].rank, items[high].rank);
        let mut chain = vec![low];
        for rank in low_rank + 1..high_rank {
            let nearer = if rank - low_rank <= high_rank - rank {
                low
            } else {
                high
            };
            let cluster = tree
                .chain(items[nearer].cluster)
                .into_iter()
                .find(|&c| spans[c].0 <= rank && rank <= spans[c].1);
            let label = edge.label.filter(|_| rank == items[low].rank + 1);
            let item = match label {
                Some((width, height)) => {
                    let (main, cross) = oriented(graph.direction, width, height);
                    Item {
                        kind: Kind::Label(edge_index),
                        rank,
                        cluster,
                        main,
                        cross,
                        anchor: 0.0,
                    }
                }
                None => Item {
                    kind: Kind::Dummy,
                    rank,
                    cluster,
                    main: 0.0,
                    cross: DUMMY_THICKNESS,
                    anchor: DUMMY_THICKNESS / 2.0,
                },
            };
            items.push(item);
            chain.push(items.len() - 1);
        }
        chain.push(high);
        chains.push(Chain {
            edge: edge_index,
            items: chain,
            reversed,
        });
    }
    chains
}

/// Grows nodes across the ranks where their edges would otherwise crowd
/// one side.
fn make_room_for_ports(items: &mut [Item], chains: &[Chain]) {
    let mut leaving = vec![0usize; items.len()];
    let mut entering = vec![0usize; items.len()];
    for chain in chains {
        if let (Some(&first), Some(&last)) = (chain.items.first(), chain.items.last()) {
            leaving[first] += 1;
            entering[last] += 1;
        }
    }
    for (index, item) in items.iter_mut().enumerate() {
        let ports = leaving[index].max(entering[index]) as f64;
        let needed = (ports * PORT_GAP / PORT_SPREAD).ceil();
        if matches!(item.kind, Kind::Node(_)) && needed > item.cross {
            item.cross = needed;
            item.anchor = needed / 2.0;
        }
    }
}

/// The ranks each cluster spans; an empty cluster takes one rank, the
/// first of its parent's.
fn cluster_spans(tree: &ClusterTree, items: &[Item]) -> Vec<(usize, usize)> {
    let mut spans: Vec<Option<(usize, usize)>> = vec![None; tree.len()];
    for item in items {
        extend(&mut spans, &tree.chain(item.cluster), item.rank);
    }
    let mut by_depth: Vec<usize> = (0..tree.len()).collect();
    by_depth.sort_by_key(|&c| tree.chain(Some(c)).len());
    for cluster in by_depth {
        if spans[cluster].is_none() {
            let rank = tree
                .parent(cluster)
                .and_then(|p| spans[p])
                .map_or(0, |(first, _)| first);
            extend(&mut spans, &tree.chain(Some(cluster)), rank);
        }
    }
    spans
        .into_iter()
        .map(|span| span.unwrap_or((0, 0)))
        .collect()
}

fn extend(spans: &mut [Option<(usize, usize)>], clusters: &[usize], rank: usize) {
    for &cluster in clusters {
        let span = spans[cluster].get_or_insert((rank, rank));
        span.0 = span.0.min(rank);
        span.1 = span.1.max(rank);
    }
}

fn add_titles(
    graph: &Graph,
    tree: &ClusterTree,
    spans: &[(usize, usize)],
    items: &mut Vec<Item>,
) -> Vec<usize> {
    (0..tree.len())
        .map(|cluster| {
            let spec = &graph.clusters[cluster];
            let (main, cross) = oriented(graph.direction, spec.title_width, spec.title_height);
            items.push(Item {
                kind: Kind::Title(cluster),
                rank: spans[cluster].0,
                cluster: Some(cluster),
                main,
                cross,
                anchor: cross / 2.0,
            });
            items.len() - 1
        })
        .collect()
}

/// Adds an invisible item to every cluster in every rank of its span where
/// nothing inside it sits, so that every cluster is contiguous in every rank
/// it spans.
fn add_fillers(tree: &ClusterTree, spans: &[(usize, usize)], items: &mut Vec<Item>) {
    let rank_count = spans
        .iter()
        .map(|&(_, last)| last + 1)
        .chain(items.iter().map(|item| item.rank + 1))
        .max()
        .unwrap_or(0);
    let mut occupied = vec![vec![false; rank_count]; tree.len()];
    for item in items.iter() {
        for cluster in tree.chain(item.cluster) {
            occupied[cluster][item.rank] = true;
        }
    }
    for (cluster, &(first, last)) in spans.iter().enumerate() {
        let empty: Vec<usize> = (first..=last)
            .filter(|&rank| !occupied[cluster][rank])
            .collect();
        for rank in empty {
            items.push(Item {
                kind: Kind::Filler,
                rank,
                cluster: Some(cluster),
                main: 0.0,
                cross: 0.0,
                anchor: 0.0,
            });
            for around in tree.chain(Some(cluster)) {
                occupied[around][rank] = true;
            }
        }
    }
}
