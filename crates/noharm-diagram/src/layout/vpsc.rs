//! Placing variables on a line as close as possible to where they want to
//! be, subject to separation constraints `x[right] >= x[left] + gap`.
//!
//! This is the block-merging "satisfy" pass of the VPSC algorithm (Dwyer,
//! Marriott and Stuckey, 2005): variables are visited in an order that every
//! constraint respects; each starts in its own block at its desired place,
//! and while a constraint into the block is violated, the block is merged
//! with the block on the other side and moved to the weighted mean of its
//! members' desired places. The result always satisfies every constraint
//! that the order respects (all of them unless they form a cycle, in which
//! case those closing the cycle are dropped).

/// `x[right] >= x[left] + gap`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Constraint {
    /// The variable that comes first.
    pub(super) left: usize,
    /// The variable that comes after.
    pub(super) right: usize,
    /// The least distance between them.
    pub(super) gap: f64,
}

/// A set of variables that move together.
#[derive(Clone, Debug)]
struct Block {
    vars: Vec<usize>,
    /// Sum over members of weight × (desired − offset).
    weighted: f64,
    weight: f64,
    position: f64,
}

/// Positions for variables that want to be at `desired` (with `weight`),
/// meeting `constraints`.
pub(super) fn solve(desired: &[f64], weight: &[f64], constraints: &[Constraint]) -> Vec<f64> {
    let count = desired.len();
    let order = topological_order(count, constraints);
    let mut rank_in_order = vec![0usize; count];
    for (index, &var) in order.iter().enumerate() {
        rank_in_order[var] = index;
    }
    let mut incoming: Vec<Vec<Constraint>> = vec![Vec::new(); count];
    for c in constraints {
        if c.left < count && c.right < count && rank_in_order[c.left] < rank_in_order[c.right] {
            incoming[c.right].push(*c);
        }
    }

    let mut offset = vec![0.0; count];
    let mut block_of = vec![usize::MAX; count];
    let mut blocks: Vec<Block> = Vec::new();
    for &var in &order {
        let w = weight.get(var).copied().unwrap_or(1.0).max(1e-6);
        blocks.push(Block {
            vars: vec![var],
            weighted: w * desired[var],
            weight: w,
            position: desired[var],
        });
        block_of[var] = blocks.len() - 1;
        let mut current = blocks.len() - 1;
        while let Some(c) = most_violated(&blocks[current], &incoming, &blocks, &block_of, &offset)
        {
            current = merge(&mut blocks, &mut block_of, &mut offset, c);
        }
    }
    (0..count)
        .map(|var| blocks[block_of[var]].position + offset[var])
        .collect()
}

/// The constraint into `block` from another block that is violated most.
fn most_violated(
    block: &Block,
    incoming: &[Vec<Constraint>],
    blocks: &[Block],
    block_of: &[usize],
    offset: &[f64],
) -> Option<Constraint> {
    let place = |var: usize| blocks[block_of[var]].position + offset[var];
    let mut worst: Option<(f64, Constraint)> = None;
    for &var in &block.vars {
        for c in &incoming[var] {
            if block_of[c.left] == block_of[c.right] {
                continue;
            }
            let violation = place(c.left) + c.gap - place(c.right);
            if violation > 1e-7 && worst.is_none_or(|(w, _)| violation > w) {
                worst = Some((violation, *c));
            }
        }
    }
    worst.map(|(_, c)| c)
}

/// Merges the block of `c.right` into the block of `c.left`, with `c` tight;
/// returns the merged block.
fn merge(blocks: &mut [Block], block_of: &mut [usize], offset: &mut [f64], c: Constraint) -> usize {
    let (left, right) = (block_of[c.left], block_of[c.right]);
    let shift = offset[c.left] + c.gap - offset[c.right];
    let moved = std::mem::take(&mut blocks[right].vars);
    for &var in &moved {
        offset[var] += shift;
        block_of[var] = left;
    }
    let (moved_weighted, moved_weight) = (blocks[right].weighted, blocks[right].weight);
    let target = &mut blocks[left];
    target.vars.extend(moved);
    target.weighted += moved_weighted - shift * moved_weight;
    target.weight += moved_weight;
    target.position = target.weighted / target.weight;
    left
}

/// Variables in an order that constraints respect where they can.
fn topological_order(count: usize, constraints: &[Constraint]) -> Vec<usize> {
    let mut incoming = vec![0usize; count];
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); count];
    for c in constraints
        .iter()
        .filter(|c| c.left < count && c.right < count)
    {
        incoming[c.right] += 1;
        outgoing[c.left].push(c.right);
    }
    let mut ready: Vec<usize> = (0..count).rev().filter(|&v| incoming[v] == 0).collect();
    let mut order = Vec::with_capacity(count);
    let mut placed = vec![false; count];
    while order.len() < count {
        let next = ready.pop().or_else(|| (0..count).find(|&v| !placed[v]));
        let Some(var) = next else { break };
        if placed[var] {
            continue;
        }
        placed[var] = true;
        order.push(var);
        for &to in &outgoing[var] {
            incoming[to] = incoming[to].saturating_sub(1);
            if incoming[to] == 0 && !placed[to] {
                ready.push(to);
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(x: &[f64], constraints: &[Constraint]) {
        for c in constraints {
            assert!(x[c.right] >= x[c.left] + c.gap - 1e-6, "{c:?} {x:?}");
        }
    }

    #[test]
    fn unconstrained_variables_stay_put() {
        let x = solve(&[3.0, -1.0], &[1.0, 1.0], &[]);
        assert_eq!(x, vec![3.0, -1.0]);
    }

    #[test]
    fn overlapping_variables_are_pushed_apart_around_their_mean() {
        let constraints = [Constraint {
            left: 0,
            right: 1,
            gap: 10.0,
        }];
        let x = solve(&[0.0, 0.0], &[1.0, 1.0], &constraints);
        check(&x, &constraints);
        assert!((x[0] + 5.0).abs() < 1e-9 && (x[1] - 5.0).abs() < 1e-9);
    }

    #[test]
    fn chains_are_satisfied() {
        let constraints: Vec<Constraint> = (0..5)
            .map(|i| Constraint {
                left: i,
                right: i + 1,
                gap: 4.0,
            })
            .collect();
        let x = solve(&[5.0, 4.0, 3.0, 2.0, 1.0, 0.0], &[1.0; 6], &constraints);
        check(&x, &constraints);
    }

    #[test]
    fn cycles_do_not_hang() {
        let constraints = [
            Constraint {
                left: 0,
                right: 1,
                gap: 1.0,
            },
            Constraint {
                left: 1,
                right: 0,
                gap: 1.0,
            },
        ];
        let x = solve(&[0.0, 0.0], &[1.0, 1.0], &constraints);
        assert_eq!(x.len(), 2);
    }
}
