//! Coordinates: columns along the rank axis, and positions across it that
//! keep items apart and clusters tight around their members.

use super::layered::{Chain, Kind, Layered};
use super::tree::ClusterTree;
use super::vpsc::{self, Constraint};
use crate::Direction;

/// Room between a cluster's border and what it contains, along the ranks.
pub(super) const PAD_MAIN: f64 = 12.0;
/// Room between a cluster's border and what it contains, across the ranks.
pub(super) const PAD_CROSS: f64 = 10.0;
/// Room between a cluster's border and what is outside it.
const CLUSTER_GAP: f64 = 12.0;
/// Room below a cluster's title.
const TITLE_GAP: f64 = 6.0;
/// Rounds of moving items towards their neighbours.
const ITERATIONS: usize = 80;
/// Weight of a cluster's border variables: they follow, they do not pull.
const BORDER_WEIGHT: f64 = 1e-4;

/// Where everything is, in rank-axis (`main`) and cross-axis coordinates.
#[derive(Clone, Debug)]
pub(super) struct Placed {
    /// Start of each item along the ranks.
    pub(super) main: Vec<f64>,
    /// Start of each item across the ranks.
    pub(super) cross: Vec<f64>,
    /// Start of each rank's column.
    pub(super) column_start: Vec<f64>,
    /// End of each rank's column.
    pub(super) column_end: Vec<f64>,
    /// Each cluster's box: main start, main end, cross start, cross end.
    pub(super) clusters: Vec<[f64; 4]>,
}

/// Places every item of `layered`.
pub(super) fn place(layered: &Layered, tree: &ClusterTree, direction: Direction) -> Placed {
    let cross = cross_positions(layered, tree);
    let (column_start, column_end) = columns(layered, tree, direction, &cross);
    let main = layered
        .items
        .iter()
        .map(|item| {
            let start = column_start[item.rank];
            let size = column_end[item.rank] - start;
            match item.kind {
                Kind::Title(_) => start,
                _ => start + (size - item.main) / 2.0,
            }
        })
        .collect();
    let clusters = cluster_boxes(layered, tree, &column_start, &column_end, &cross);
    Placed {
        main,
        cross,
        column_start,
        column_end,
        clusters,
    }
}

/// How many borders must fit before a cluster's first rank (`at_start`) or
/// after its last: one for itself and one per nested cluster starting (or
/// ending) in the same rank.
fn insets(layered: &Layered, tree: &ClusterTree, at_start: bool) -> Vec<usize> {
    let edge = |cluster: usize| {
        let (first, last) = layered.spans[cluster];
        if at_start { first } else { last }
    };
    let mut by_depth: Vec<usize> = (0..tree.len()).collect();
    by_depth.sort_by_key(|&c| std::cmp::Reverse(tree.chain(Some(c)).len()));
    let mut inset = vec![1usize; tree.len()];
    for cluster in by_depth {
        if let Some(parent) = tree.parent(cluster)
            && edge(parent) == edge(cluster)
        {
            inset[parent] = inset[parent].max(inset[cluster] + 1);
        }
    }
    inset
}

/// The gap after each rank: wider where edges travel far across the ranks
/// in it, so that they do not run almost parallel to the ranks.
fn rank_gaps(layered: &Layered, direction: Direction, cross: &[f64]) -> Vec<f64> {
    let base = match direction {
        Direction::LeftToRight => 36.0,
        Direction::TopToBottom => 28.0,
    };
    layered
        .ranks
        .iter()
        .map(|items| {
            let widest = items
                .iter()
                .flat_map(|&item| layered.down[item].iter().map(move |&below| (item, below)))
                .map(|(a, b)| {
                    let level = |i: usize| cross[i] + layered.items[i].anchor;
                    (level(a) - level(b)).abs()
                })
                .fold(0.0, f64::max);
            (widest * 0.1).clamp(base, 2.5 * base).round()
        })
        .collect()
}

/// Start and end of each rank's column along the ranks.
fn columns(
    layered: &Layered,
    tree: &ClusterTree,
    direction: Direction,
    cross: &[f64],
) -> (Vec<f64>, Vec<f64>) {
    let gaps = rank_gaps(layered, direction, cross);
    let count = layered.ranks.len();
    let (inset_start, inset_end) = (insets(layered, tree, true), insets(layered, tree, false));
    let mut borders_before = vec![0usize; count];
    let mut borders_after = vec![0usize; count];
    for (cluster, &(first, last)) in layered.spans.iter().enumerate() {
        borders_before[first] = borders_before[first].max(inset_start[cluster]);
        borders_after[last] = borders_after[last].max(inset_end[cluster]);
    }
    let mut starts = Vec::with_capacity(count);
    let mut ends = Vec::with_capacity(count);
    let mut cursor = 0.0;
    for (rank, items) in layered.ranks.iter().enumerate() {
        cursor += PAD_MAIN * borders_before[rank] as f64;
        let size = items
            .iter()
            .map(|&item| layered.items[item].main)
            .fold(0.0, f64::max);
        starts.push(cursor);
        cursor += size;
        ends.push(cursor);
        cursor += PAD_MAIN * borders_after[rank] as f64 + gaps[rank];
    }
    (starts, ends)
}

/// Variable index of a cluster's top (start) border.
fn top(layered: &Layered, cluster: usize) -> usize {
    layered.items.len() + 2 * cluster
}

/// Variable index of a cluster's bottom (end) border.
fn bottom(layered: &Layered, cluster: usize) -> usize {
    layered.items.len() + 2 * cluster + 1
}

/// Least distance across the ranks between two neighbouring items.
fn separation(layered: &Layered, a: usize, b: usize) -> f64 {
    let room = |item: usize| -> f64 {
        match layered.items[item].kind {
            Kind::Node(_) => 22.0,
            Kind::Label(_) => 10.0,
            Kind::Dummy => 8.0,
            Kind::Title(_) => 6.0,
            Kind::Filler => 2.0,
        }
    };
    room(a).max(room(b))
}

/// The separation constraints: neighbours in a rank apart, items inside
/// their clusters' borders, nested borders inside each other, sibling
/// clusters and outside items apart, titles above the rest of a cluster.
fn constraints(layered: &Layered, tree: &ClusterTree) -> Vec<Constraint> {
    let mut list = Vec::new();
    let mut add = |left: usize, right: usize, gap: f64| list.push(Constraint { left, right, gap });
    for (index, item) in layered.items.iter().enumerate() {
        if let Some(cluster) = item.cluster {
            add(top(layered, cluster), index, PAD_CROSS);
            add(index, bottom(layered, cluster), item.cross + PAD_CROSS);
        }
    }
    for cluster in 0..tree.len() {
        add(
            top(layered, cluster),
            bottom(layered, cluster),
            2.0 * PAD_CROSS,
        );
        if let Some(parent) = tree.parent(cluster) {
            add(top(layered, parent), top(layered, cluster), PAD_CROSS);
            add(bottom(layered, cluster), bottom(layered, parent), PAD_CROSS);
        }
        let title = layered.titles[cluster];
        let gap = layered.items[title].cross + TITLE_GAP;
        for (index, item) in layered.items.iter().enumerate() {
            if index != title && item.cluster == Some(cluster) {
                add(title, index, gap);
            }
        }
        for child in (0..tree.len()).filter(|&c| tree.parent(c) == Some(cluster)) {
            add(title, top(layered, child), gap);
        }
    }
    for rank in &layered.ranks {
        for pair in rank.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let (ca, cb) = (layered.items[a].cluster, layered.items[b].cluster);
            let common = tree.common(ca, cb);
            let exited = tree.child_toward(common, ca);
            let entered = tree.child_toward(common, cb);
            let (upper, upper_size) = match exited {
                Some(cluster) => (bottom(layered, cluster), 0.0),
                None => (a, layered.items[a].cross),
            };
            let (lower, between) = match (exited, entered) {
                (None, None) => (b, separation(layered, a, b)),
                (_, Some(cluster)) => (top(layered, cluster), CLUSTER_GAP),
                (Some(_), None) => (b, CLUSTER_GAP),
            };
            add(upper, lower, upper_size + between);
        }
    }
    list
}

/// Positions across the ranks: repeatedly ask every item to sit level with
/// its neighbours and let the solver keep the constraints.
fn cross_positions(layered: &Layered, tree: &ClusterTree) -> Vec<f64> {
    let count = layered.items.len() + 2 * tree.len();
    let constraints = constraints(layered, tree);
    let weights: Vec<f64> = (0..count)
        .map(|var| match layered.items.get(var).map(|item| item.kind) {
            Some(Kind::Node(_)) => 1.0,
            Some(Kind::Label(_) | Kind::Dummy) => 2.0,
            Some(Kind::Title(_) | Kind::Filler) => 0.05,
            None => BORDER_WEIGHT,
        })
        .collect();
    let mut position = vpsc::solve(&vec![0.0; count], &weights, &constraints);
    for _ in 0..ITERATIONS {
        let desired = desired_positions(layered, tree, &position);
        position = vpsc::solve(&desired, &weights, &constraints);
    }
    position.truncate(layered.items.len());
    position
}

/// Where each item would like to be: nodes and edge items level with the
/// mean of their neighbours, titles just above the rest of their cluster,
/// fillers in the middle of theirs.
fn desired_positions(layered: &Layered, tree: &ClusterTree, position: &[f64]) -> Vec<f64> {
    let mut desired = position.to_vec();
    for cluster in 0..tree.len() {
        let title = layered.titles[cluster];
        let content: Vec<(f64, f64)> = layered.members[cluster]
            .iter()
            .filter(|&&m| m != title && !matches!(layered.items[m].kind, Kind::Filler))
            .map(|&m| {
                let item = &layered.items[m];
                let pad = PAD_CROSS * (tree.borders_to(item.cluster, cluster) as f64 - 1.0);
                (position[m] - pad, position[m] + item.cross + pad)
            })
            .collect();
        let top = content.iter().map(|c| c.0).fold(f64::INFINITY, f64::min);
        let bottom = content
            .iter()
            .map(|c| c.1)
            .fold(f64::NEG_INFINITY, f64::max);
        if top.is_finite() {
            desired[title] = top - TITLE_GAP - layered.items[title].cross;
            for &member in &layered.members[cluster] {
                if layered.items[member].kind == Kind::Filler
                    && layered.items[member].cluster == Some(cluster)
                {
                    desired[member] = (top + bottom) / 2.0;
                }
            }
        }
    }
    for (index, item) in layered.items.iter().enumerate() {
        if !matches!(item.kind, Kind::Node(_)) {
            continue;
        }
        let neighbours: Vec<usize> = layered.up[index]
            .iter()
            .chain(&layered.down[index])
            .copied()
            .collect();
        if neighbours.is_empty() {
            continue;
        }
        let level: f64 = neighbours
            .iter()
            .map(|&n| position[n] + layered.items[n].anchor)
            .sum::<f64>()
            / neighbours.len() as f64;
        desired[index] = level - item.anchor;
    }
    for chain in &layered.chains {
        straighten(layered, chain, position, &mut desired);
    }
    desired
}

/// Asks the items between an edge's ends to line up with each other (so
/// that a long edge runs straight and bends only near its ends), at the
/// mean level of all its items, ends included.
fn straighten(layered: &Layered, chain: &Chain, position: &[f64], desired: &mut [f64]) {
    let level = |item: usize| position[item] + layered.items[item].anchor;
    let total: f64 = chain.items.iter().map(|&item| level(item)).sum();
    let mean = total / chain.items.len().max(1) as f64;
    for &item in chain
        .items
        .iter()
        .skip(1)
        .take(chain.items.len().saturating_sub(2))
    {
        desired[item] = mean - layered.items[item].anchor;
    }
}

/// Each cluster's box from its members and the columns it spans.
fn cluster_boxes(
    layered: &Layered,
    tree: &ClusterTree,
    column_start: &[f64],
    column_end: &[f64],
    cross: &[f64],
) -> Vec<[f64; 4]> {
    let (inset_start, inset_end) = (insets(layered, tree, true), insets(layered, tree, false));
    (0..tree.len())
        .map(|cluster| {
            let (first, last) = layered.spans[cluster];
            let mut lowest = f64::INFINITY;
            let mut highest = f64::NEG_INFINITY;
            for &member in &layered.members[cluster] {
                let item = &layered.items[member];
                let pad = PAD_CROSS * tree.borders_to(item.cluster, cluster) as f64;
                lowest = lowest.min(cross[member] - pad);
                highest = highest.max(cross[member] + item.cross + pad);
            }
            [
                column_start[first] - PAD_MAIN * inset_start[cluster] as f64,
                column_end[last] + PAD_MAIN * inset_end[cluster] as f64,
                lowest,
                highest,
            ]
        })
        .collect()
}
