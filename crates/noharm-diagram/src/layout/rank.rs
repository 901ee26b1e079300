//! Rank assignment: which column (or row) each node goes in.

/// Ranks of nodes and which edges were turned round to break cycles.
#[derive(Clone, Debug)]
pub(super) struct Ranking {
    /// Rank of each node, from 0.
    pub(super) rank: Vec<usize>,
    /// Whether each edge points against the ranks.
    pub(super) reversed: Vec<bool>,
}

/// Ranks `count` nodes joined by `edges` (no self-loops).
pub(super) fn rank(count: usize, edges: &[(usize, usize)]) -> Ranking {
    let reversed = back_edges(count, edges);
    let oriented: Vec<(usize, usize)> = edges
        .iter()
        .zip(&reversed)
        .map(|(&(from, to), &back)| if back { (to, from) } else { (from, to) })
        .collect();
    let order = topological_order(count, &oriented);
    let mut rank = longest_path(count, &oriented, &order);
    balance(&mut rank, &oriented, &order);
    Ranking { rank, reversed }
}

/// Marks the edges that close a cycle in a depth-first search.
fn back_edges(count: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut outgoing: Vec<Vec<(usize, usize)>> = vec![Vec::new(); count];
    for (index, &(from, to)) in edges.iter().enumerate() {
        outgoing[from].push((index, to));
    }
    // 0: not seen, 1: on the stack, 2: done.
    let mut state = vec![0u8; count];
    let mut back = vec![false; edges.len()];
    for start in 0..count {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(top) = stack.last_mut() {
            let node = top.0;
            if let Some(&(edge, to)) = outgoing[node].get(top.1) {
                top.1 += 1;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => back[edge] = true,
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    back
}

/// Nodes in an order where every edge goes forwards.
fn topological_order(count: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut incoming = vec![0usize; count];
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); count];
    for &(from, to) in edges {
        incoming[to] += 1;
        outgoing[from].push(to);
    }
    let mut ready: Vec<usize> = (0..count).rev().filter(|&n| incoming[n] == 0).collect();
    let mut order = Vec::with_capacity(count);
    while let Some(node) = ready.pop() {
        order.push(node);
        for &to in outgoing[node].iter().rev() {
            incoming[to] -= 1;
            if incoming[to] == 0 {
                ready.push(to);
            }
        }
    }
    // Only reachable with a cycle left, which back_edges rules out; keep
    // every node anyway.
    let mut placed = vec![false; count];
    for &node in &order {
        placed[node] = true;
    }
    order.extend((0..count).filter(|&node| !placed[node]));
    order
}

/// Each node one rank after the latest of its predecessors.
fn longest_path(count: usize, edges: &[(usize, usize)], order: &[usize]) -> Vec<usize> {
    let mut rank = vec![0usize; count];
    let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); count];
    for &(from, to) in edges {
        incoming[to].push(from);
    }
    for &node in order {
        rank[node] = incoming[node]
            .iter()
            .map(|&from| rank[from] + 1)
            .max()
            .unwrap_or(0);
    }
    rank
}

/// Moves nodes with more outgoing than incoming edges as late as their
/// successors allow, and the reverse, which shortens edges overall.
fn balance(rank: &mut [usize], edges: &[(usize, usize)], order: &[usize]) {
    let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); rank.len()];
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); rank.len()];
    for &(from, to) in edges {
        incoming[to].push(from);
        outgoing[from].push(to);
    }
    for _ in 0..4 {
        for &node in order.iter().rev() {
            let earliest = incoming[node].iter().map(|&p| rank[p] + 1).max();
            let latest = outgoing[node]
                .iter()
                .map(|&s| rank[s].saturating_sub(1))
                .min();
            let (ins, outs) = (incoming[node].len(), outgoing[node].len());
            if outs > ins {
                if let Some(latest) = latest {
                    rank[node] = latest.max(earliest.unwrap_or(0));
                }
            } else if ins > outs
                && let Some(earliest) = earliest
            {
                rank[node] = earliest;
            }
        }
    }
    let lowest = rank.iter().copied().min().unwrap_or(0);
    for value in rank.iter_mut() {
        *value -= lowest;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_point_forwards_after_ranking() {
        let edges = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 1)];
        let ranking = rank(4, &edges);
        for (&(from, to), &back) in edges.iter().zip(&ranking.reversed) {
            let (a, b) = if back { (to, from) } else { (from, to) };
            assert!(ranking.rank[a] < ranking.rank[b], "{edges:?} {ranking:?}");
        }
        assert!(ranking.reversed.iter().any(|&r| r));
    }

    #[test]
    fn a_source_feeding_a_late_node_moves_next_to_it() {
        // 0 -> 1 -> 2 -> 3, and 4 -> 3 only.
        let ranking = rank(5, &[(0, 1), (1, 2), (2, 3), (4, 3)]);
        assert_eq!(ranking.rank[4], ranking.rank[3] - 1);
        assert_eq!(ranking.rank[0], 0);
    }

    #[test]
    fn two_way_flows_are_both_kept() {
        let ranking = rank(2, &[(0, 1), (1, 0)]);
        assert_eq!(ranking.reversed, vec![false, true]);
        assert_eq!(ranking.rank, vec![0, 1]);
    }
}
