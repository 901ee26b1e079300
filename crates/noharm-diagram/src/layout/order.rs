//! Ordering items within ranks to reduce edge crossings, with clusters kept
//! contiguous and sibling clusters in the same order in every rank.

use std::collections::BTreeMap;

use super::layered::{Kind, Layered};
use super::tree::ClusterTree;

/// Barycentre sweeps to run (alternating down and up).
const SWEEPS: usize = 16;

/// Passes of adjacent swaps after each sweep.
const TRANSPOSE_PASSES: usize = 8;

/// Orders every rank of `layered`.
pub(super) fn order(layered: &mut Layered, tree: &ClusterTree) {
    let keys = initial_keys(layered);
    let first_cluster_keys = initial_cluster_keys(layered, tree, &keys);
    for rank in 0..layered.ranks.len() {
        let items = layered.ranks[rank].clone();
        layered.ranks[rank] = arrange(layered, tree, None, &items, &keys, &first_cluster_keys);
    }
    let mut best = layered.ranks.clone();
    let mut best_crossings = crossings(layered);
    for sweep in 0..SWEEPS {
        if best_crossings == 0 {
            break;
        }
        let cluster_keys = cluster_keys(layered, tree);
        let downwards = sweep % 2 == 0;
        let ranks: Vec<usize> = if downwards {
            (1..layered.ranks.len()).collect()
        } else {
            (0..layered.ranks.len().saturating_sub(1)).rev().collect()
        };
        for rank in ranks {
            reorder(layered, tree, rank, downwards, &cluster_keys);
        }
        transpose(layered);
        let count = crossings(layered);
        if count < best_crossings {
            best_crossings = count;
            best.clone_from(&layered.ranks);
        }
    }
    layered.ranks = best;
}

/// Position of every item within its rank.
fn positions(layered: &Layered) -> Vec<f64> {
    let mut position = vec![0.0; layered.items.len()];
    for rank in &layered.ranks {
        for (index, &item) in rank.iter().enumerate() {
            position[item] = index as f64;
        }
    }
    position
}

/// Creation order, with edge items next to the node they leave.
fn initial_keys(layered: &Layered) -> Vec<f64> {
    let mut keys: Vec<f64> = (0..layered.items.len()).map(|i| i as f64).collect();
    for chain in &layered.chains {
        let start = chain.items.first().map_or(0.0, |&first| keys[first]);
        for &item in chain.items.iter().skip(1) {
            if !matches!(layered.items[item].kind, Kind::Node(_)) {
                keys[item] = start + 0.5;
            }
        }
    }
    keys
}

fn initial_cluster_keys(layered: &Layered, tree: &ClusterTree, keys: &[f64]) -> Vec<f64> {
    (0..tree.len())
        .map(|cluster| {
            layered.members[cluster]
                .iter()
                .filter(|&&item| matches!(layered.items[item].kind, Kind::Node(_)))
                .map(|&item| keys[item])
                .fold(f64::INFINITY, f64::min)
        })
        .collect()
}

/// Where each cluster would like to be relative to its siblings: the mean
/// position of its members' neighbours, centred per rank.
fn cluster_keys(layered: &Layered, tree: &ClusterTree) -> Vec<f64> {
    let position = positions(layered);
    let centred = |item: usize| {
        let rank = &layered.ranks[layered.items[item].rank];
        position[item] - (rank.len() as f64 - 1.0) / 2.0
    };
    (0..tree.len())
        .map(|cluster| {
            let members = &layered.members[cluster];
            let total: f64 = members
                .iter()
                .map(|&item| {
                    let neighbours: Vec<usize> = layered.up[item]
                        .iter()
                        .chain(&layered.down[item])
                        .copied()
                        .collect();
                    if neighbours.is_empty() {
                        centred(item)
                    } else {
                        neighbours.iter().map(|&n| centred(n)).sum::<f64>()
                            / neighbours.len() as f64
                    }
                })
                .sum();
            total / members.len().max(1) as f64
        })
        .collect()
}

/// Sorts one rank by the barycentres of its neighbours in the rank before
/// (`downwards`) or after.
fn reorder(
    layered: &mut Layered,
    tree: &ClusterTree,
    rank: usize,
    downwards: bool,
    cluster_keys: &[f64],
) {
    let position = positions(layered);
    let items = layered.ranks[rank].clone();
    let mut keys = position.clone();
    for &item in &items {
        let neighbours = if downwards {
            &layered.up[item]
        } else {
            &layered.down[item]
        };
        if !neighbours.is_empty() {
            keys[item] =
                neighbours.iter().map(|&n| position[n]).sum::<f64>() / neighbours.len() as f64;
        }
    }
    layered.ranks[rank] = arrange(layered, tree, None, &items, &keys, cluster_keys);
}

/// One entry when sorting the contents of a cluster in one rank.
enum Group {
    /// An item directly in the cluster.
    Item(usize),
    /// A nested cluster with its items in this rank.
    Cluster(usize, Vec<usize>),
}

/// Orders `items` (all inside `outer`) by `keys`, nested clusters as
/// blocks; the cluster's title comes first, and nested clusters keep the
/// order of `cluster_keys` among themselves.
fn arrange(
    layered: &Layered,
    tree: &ClusterTree,
    outer: Option<usize>,
    items: &[usize],
    keys: &[f64],
    cluster_keys: &[f64],
) -> Vec<usize> {
    let mut direct: Vec<(f64, Group)> = Vec::new();
    let mut nested: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &item in items {
        match tree.child_toward(outer, layered.items[item].cluster) {
            Some(child) => nested.entry(child).or_default().push(item),
            None => {
                let key = match layered.items[item].kind {
                    Kind::Title(_) => f64::NEG_INFINITY,
                    _ => keys[item],
                };
                direct.push((key, Group::Item(item)));
            }
        }
    }
    for (cluster, members) in nested {
        let key = members.iter().map(|&m| keys[m]).sum::<f64>() / members.len().max(1) as f64;
        direct.push((key, Group::Cluster(cluster, members)));
    }
    direct.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut groups: Vec<Group> = direct.into_iter().map(|(_, group)| group).collect();
    order_sibling_clusters(&mut groups, cluster_keys);

    let mut ordered = Vec::with_capacity(items.len());
    for group in groups {
        match group {
            Group::Item(item) => ordered.push(item),
            Group::Cluster(cluster, members) => ordered.extend(arrange(
                layered,
                tree,
                Some(cluster),
                &members,
                keys,
                cluster_keys,
            )),
        }
    }
    ordered
}

/// Puts the nested clusters among `groups` in the order of `cluster_keys`,
/// leaving plain items where they are.
fn order_sibling_clusters(groups: &mut [Group], cluster_keys: &[f64]) {
    let slots: Vec<usize> = groups
        .iter()
        .enumerate()
        .filter(|(_, group)| matches!(group, Group::Cluster(..)))
        .map(|(index, _)| index)
        .collect();
    let mut clusters: Vec<Group> = slots
        .iter()
        .map(|&slot| std::mem::replace(&mut groups[slot], Group::Item(usize::MAX)))
        .collect();
    let key = |group: &Group| match group {
        Group::Cluster(cluster, _) => {
            (cluster_keys.get(*cluster).copied().unwrap_or(0.0), *cluster)
        }
        Group::Item(_) => (0.0, usize::MAX),
    };
    clusters.sort_by(|a, b| {
        let (ka, ca) = key(a);
        let (kb, cb) = key(b);
        ka.total_cmp(&kb).then(ca.cmp(&cb))
    });
    for (slot, group) in slots.into_iter().zip(clusters) {
        groups[slot] = group;
    }
}

/// Edge crossings between all pairs of neighbouring ranks.
pub(super) fn crossings(layered: &Layered) -> usize {
    let position = positions(layered);
    let mut total = 0;
    for rank in &layered.ranks {
        let segments: Vec<(f64, f64)> = rank
            .iter()
            .flat_map(|&item| layered.down[item].iter().map(move |&below| (item, below)))
            .map(|(a, b)| (position[a], position[b]))
            .collect();
        for (i, first) in segments.iter().enumerate() {
            for second in &segments[i + 1..] {
                if (first.0 - second.0) * (first.1 - second.1) < 0.0 {
                    total += 1;
                }
            }
        }
    }
    total
}

/// Swaps neighbours in the same cluster while that removes crossings.
fn transpose(layered: &mut Layered) {
    let mut position = positions(layered);
    for _ in 0..TRANSPOSE_PASSES {
        let mut improved = false;
        for rank in 0..layered.ranks.len() {
            for index in 0..layered.ranks[rank].len().saturating_sub(1) {
                let (a, b) = (layered.ranks[rank][index], layered.ranks[rank][index + 1]);
                if !swappable(layered, a, b) {
                    continue;
                }
                if pair_crossings(layered, &position, b, a)
                    < pair_crossings(layered, &position, a, b)
                {
                    layered.ranks[rank].swap(index, index + 1);
                    position.swap(a, b);
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

fn swappable(layered: &Layered, a: usize, b: usize) -> bool {
    let (first, second) = (&layered.items[a], &layered.items[b]);
    first.cluster == second.cluster
        && !matches!(first.kind, Kind::Title(_))
        && !matches!(second.kind, Kind::Title(_))
}

/// Crossings among the edges of `first` and `second` with `first` before.
fn pair_crossings(layered: &Layered, position: &[f64], first: usize, second: usize) -> usize {
    let count = |a: &[usize], b: &[usize]| {
        a.iter()
            .flat_map(|&x| b.iter().map(move |&y| (x, y)))
            .filter(|&(x, y)| position[x] > position[y])
            .count()
    };
    count(&layered.up[first], &layered.up[second])
        + count(&layered.down[first], &layered.down[second])
}
