//! The exact probability that the root is achieved when the attacker tries
//! every step once, steps succeeding independently.
//!
//! Folding probabilities bottom-up (OR: `1 - Π(1 - p)`, AND: `Π p`) is exact
//! only when the children of a gate share no step. A step reachable from the
//! root along two or more paths is the only source of dependence, so the
//! computation conditions on those shared steps (Shannon expansion): for each
//! way they can turn out, fold the rest bottom-up and weigh the result by the
//! chance of that outcome. The cost doubles with each shared step whose
//! probability is strictly between 0 and 1, so it is bounded.

use crate::eval::Budget;
use crate::eval::sets::Steps;
use crate::tree::{AttackTree, Gate, NodeKind};

/// The probability, or `None` when more than `max_shared` uncertain steps
/// are shared or the budget does not cover one pass per outcome.
pub(crate) fn root_probability(
    tree: &AttackTree,
    steps: &Steps,
    blocked: &[bool],
    max_shared: usize,
    budget: &mut Budget,
) -> Option<f64> {
    let shared = shared_uncertain_steps(tree, steps, blocked);
    if shared.len() > max_shared.min(62) {
        return None;
    }
    let passes = 1u64 << shared.len();
    budget
        .spend(passes.saturating_mul(tree.post_order().len() as u64))
        .ok()?;
    let mut fixed: Vec<Option<bool>> = vec![None; tree.nodes().len()];
    let mut total = 0.0;
    for outcome in 0..passes {
        let mut weight = 1.0;
        for (position, &(index, p)) in shared.iter().enumerate() {
            let succeeds = outcome & (1 << position) != 0;
            fixed[index] = Some(succeeds);
            weight *= if succeeds { p } else { 1.0 - p };
        }
        total += weight * fold(tree, blocked, &fixed);
    }
    Some(total.clamp(0.0, 1.0))
}

/// Steps on two or more root paths whose outcome is uncertain, with their
/// probability.
fn shared_uncertain_steps(tree: &AttackTree, steps: &Steps, blocked: &[bool]) -> Vec<(usize, f64)> {
    let paths = path_counts(tree);
    steps
        .node
        .iter()
        .filter(|id| paths[id.index()] >= 2 && !blocked[id.index()])
        .filter_map(|&id| {
            let p = tree.node(id)?.as_step()?.probability;
            (p > 0.0 && p < 1.0).then_some((id.index(), p))
        })
        .collect()
}

/// The number of paths from the root to each node, counted up to 2.
fn path_counts(tree: &AttackTree) -> Vec<u8> {
    let mut paths = vec![0u8; tree.nodes().len()];
    paths[tree.root().index()] = 1;
    // Reverse post-order visits every parent before its children.
    for &id in tree.post_order().iter().rev() {
        let here = paths[id.index()];
        if let Some(node) = tree.node(id) {
            for &child in node.children() {
                paths[child.index()] = paths[child.index()].saturating_add(here).min(2);
            }
        }
    }
    paths
}

fn fold(tree: &AttackTree, blocked: &[bool], fixed: &[Option<bool>]) -> f64 {
    let mut value = vec![0.0f64; tree.nodes().len()];
    for &id in tree.post_order() {
        let index = id.index();
        let Some(node) = tree.node(id) else { continue };
        value[index] = if blocked[index] {
            0.0
        } else {
            match &node.kind {
                NodeKind::Step(step) => match fixed[index] {
                    Some(true) => 1.0,
                    Some(false) => 0.0,
                    None => step.probability,
                },
                NodeKind::Gate { gate, children } => {
                    let child_values = children.iter().map(|c| value[c.index()]);
                    match gate {
                        Gate::Or => 1.0 - child_values.map(|p| 1.0 - p).product::<f64>(),
                        Gate::And | Gate::Sand => child_values.product(),
                    }
                }
            }
        };
    }
    value[tree.root().index()]
}
