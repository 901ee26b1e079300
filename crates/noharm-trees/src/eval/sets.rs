//! Minimal attack sets, computed bottom-up as families of leaf sets.
//!
//! Each node gets the family of minimal sets of steps that achieve it: a step
//! its own singleton, an OR the union of its children's families, an AND or
//! SAND every combination of one set per child joined together; after each
//! node, sets that contain another set of the family are dropped. Because the
//! sets hold steps, a step shared by two branches is one element and counts
//! once, which is what makes the result exact on DAGs where folding numbers
//! bottom-up is not.

use crate::eval::{Budget, EvalError};
use crate::tree::{AttackTree, NodeId, NodeKind};

/// A set of steps, as a bit per step in a fixed-size bitmap.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct LeafSet(Box<[u64]>);

impl LeafSet {
    /// The empty set over `steps` steps.
    pub(crate) fn empty(steps: usize) -> LeafSet {
        LeafSet(vec![0; steps.div_ceil(64).max(1)].into_boxed_slice())
    }

    /// The set holding only step `bit`.
    pub(crate) fn single(steps: usize, bit: usize) -> LeafSet {
        let mut set = LeafSet::empty(steps);
        set.insert(bit);
        set
    }

    /// Adds step `bit`.
    pub(crate) fn insert(&mut self, bit: usize) {
        if let Some(word) = self.0.get_mut(bit / 64) {
            *word |= 1 << (bit % 64);
        }
    }

    /// Whether step `bit` is in the set.
    pub(crate) fn contains(&self, bit: usize) -> bool {
        self.0
            .get(bit / 64)
            .is_some_and(|word| word & (1 << (bit % 64)) != 0)
    }

    /// The steps of either set.
    pub(crate) fn union(&self, other: &LeafSet) -> LeafSet {
        LeafSet(
            self.0
                .iter()
                .zip(other.0.iter())
                .map(|(a, b)| a | b)
                .collect(),
        )
    }

    /// Whether every step of `self` is in `other`.
    pub(crate) fn is_subset(&self, other: &LeafSet) -> bool {
        self.0.iter().zip(other.0.iter()).all(|(a, b)| a & !b == 0)
    }

    /// How many steps the set holds.
    pub(crate) fn len(&self) -> u32 {
        self.0.iter().map(|word| word.count_ones()).sum()
    }

    /// The steps, in increasing order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(index, &word)| {
            (0..64)
                .filter(move |bit| word & (1 << bit) != 0)
                .map(move |bit| index * 64 + bit)
        })
    }
}

/// The reachable steps of a tree, numbered for bitmaps.
#[derive(Clone, Debug)]
pub(crate) struct Steps {
    /// The bit of each node that is a reachable step.
    pub(crate) bit: Vec<Option<usize>>,
    /// The node of each bit.
    pub(crate) node: Vec<NodeId>,
}

impl Steps {
    pub(crate) fn of(tree: &AttackTree) -> Steps {
        let mut bit = vec![None; tree.nodes().len()];
        let mut node = Vec::new();
        for &id in tree.post_order() {
            if matches!(tree.node(id).map(|n| &n.kind), Some(NodeKind::Step(_))) {
                bit[id.index()] = Some(node.len());
                node.push(id);
            }
        }
        Steps { bit, node }
    }

    pub(crate) fn len(&self) -> usize {
        self.node.len()
    }
}

/// The minimal attack sets of the root with the nodes marked in `blocked`
/// made impossible.
pub(crate) fn minimal_sets(
    tree: &AttackTree,
    steps: &Steps,
    blocked: &[bool],
    max_sets: usize,
    budget: &mut Budget,
) -> Result<Vec<LeafSet>, EvalError> {
    let mut uses = parent_counts(tree);
    let mut families: Vec<Option<Vec<LeafSet>>> = vec![None; tree.nodes().len()];

    for &id in tree.post_order() {
        let family = if blocked.get(id.index()).copied().unwrap_or(false) {
            Vec::new()
        } else {
            node_family(tree, steps, id, &mut families, &mut uses, max_sets, budget)?
        };
        families[id.index()] = Some(family);
    }
    Ok(families[tree.root().index()].take().unwrap_or_default())
}

fn node_family(
    tree: &AttackTree,
    steps: &Steps,
    id: NodeId,
    families: &mut [Option<Vec<LeafSet>>],
    uses: &mut [usize],
    max_sets: usize,
    budget: &mut Budget,
) -> Result<Vec<LeafSet>, EvalError> {
    let Some(node) = tree.node(id) else {
        return Ok(Vec::new());
    };
    let gate = match &node.kind {
        NodeKind::Step(_) => {
            let bit = steps.bit[id.index()].unwrap_or(0);
            return Ok(vec![LeafSet::single(steps.len(), bit)]);
        }
        NodeKind::Gate { gate, .. } => *gate,
    };
    let mut children = Vec::with_capacity(node.children().len());
    for &child in node.children() {
        children.push(take_family(families, uses, child));
    }
    let family = match gate {
        crate::tree::Gate::Or => children.into_iter().flatten().collect(),
        crate::tree::Gate::And | crate::tree::Gate::Sand => {
            let mut acc = vec![LeafSet::empty(steps.len())];
            for child in &children {
                acc = product(&acc, child, budget)?;
                acc = minimize(acc, max_sets, &node.id, budget)?;
            }
            return Ok(acc);
        }
    };
    minimize(family, max_sets, &node.id, budget)
}

/// A child's family: moved out on its last use, copied before.
fn take_family(
    families: &mut [Option<Vec<LeafSet>>],
    uses: &mut [usize],
    child: NodeId,
) -> Vec<LeafSet> {
    let index = child.index();
    uses[index] = uses[index].saturating_sub(1);
    if uses[index] == 0 {
        families[index].take().unwrap_or_default()
    } else {
        families[index].clone().unwrap_or_default()
    }
}

/// How many times each reachable node is listed as a child.
fn parent_counts(tree: &AttackTree) -> Vec<usize> {
    let mut counts = vec![0; tree.nodes().len()];
    for &id in tree.post_order() {
        if let Some(node) = tree.node(id) {
            for &child in node.children() {
                counts[child.index()] += 1;
            }
        }
    }
    counts
}

fn product(
    left: &[LeafSet],
    right: &[LeafSet],
    budget: &mut Budget,
) -> Result<Vec<LeafSet>, EvalError> {
    let pairs = (left.len() as u64).saturating_mul(right.len() as u64);
    budget.spend(pairs)?;
    Ok(left
        .iter()
        .flat_map(|a| right.iter().map(move |b| a.union(b)))
        .collect())
}

/// Drops duplicates and every set that contains another set of the family.
pub(crate) fn minimize(
    family: Vec<LeafSet>,
    max_sets: usize,
    node: &str,
    budget: &mut Budget,
) -> Result<Vec<LeafSet>, EvalError> {
    let mut family: Vec<(u32, LeafSet)> = family.into_iter().map(|set| (set.len(), set)).collect();
    family.sort_unstable();
    family.dedup();
    let mut kept: Vec<LeafSet> = Vec::new();
    // Kept sets before `smaller` have fewer steps than the candidate; only
    // they can be proper subsets of it (an equal-sized set that differs is
    // not a subset, and duplicates are gone).
    let mut smaller = 0;
    let mut smaller_len = 0;
    for (len, candidate) in family {
        if len != smaller_len {
            smaller = kept.len();
            smaller_len = len;
        }
        budget.spend(smaller as u64)?;
        if kept[..smaller].iter().any(|set| set.is_subset(&candidate)) {
            continue;
        }
        kept.push(candidate);
        if kept.len() > max_sets {
            return Err(EvalError::TooManyAttackSets {
                node: node.to_string(),
                limit: max_sets,
            });
        }
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaf_sets_cross_word_boundaries() {
        let mut set = LeafSet::single(130, 3);
        set.insert(64);
        set.insert(129);
        assert_eq!(set.iter().collect::<Vec<_>>(), [3, 64, 129]);
        assert_eq!(set.len(), 3);
        assert!(LeafSet::single(130, 64).is_subset(&set));
        assert!(!set.is_subset(&LeafSet::single(130, 64)));
        assert!(set.contains(129) && !set.contains(128));
    }

    #[test]
    fn minimize_keeps_only_minimal_sets() {
        let a = LeafSet::single(4, 0);
        let ab = a.union(&LeafSet::single(4, 1));
        let c = LeafSet::single(4, 2);
        let mut budget = Budget::new(1_000);
        let kept = minimize(
            vec![ab, c.clone(), a.clone(), c.clone()],
            10,
            "n",
            &mut budget,
        );
        assert_eq!(kept, Ok(vec![a, c]));
    }
}
