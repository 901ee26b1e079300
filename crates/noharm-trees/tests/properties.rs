//! The evaluation against brute force: on small random DAGs (shared nodes,
//! OR, AND and SAND mixed, countermeasures applied or not), enumerate every
//! subset of steps and check that the minimal attack sets, minimal cost,
//! minimal skill, best probability, minimal time, the exact probability of
//! the root and the effect of each countermeasure agree.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use noharm_trees::{
    AttackTree, Countermeasure, EvalLimits, Gate, Node, NodeId, Step, analyze, minimal_attack_sets,
};
use proptest::prelude::*;
use proptest::sample::Index;

/// A random tree: steps first, then gates whose children are earlier nodes
/// (so it is acyclic, and a node listed by two gates is shared); the last
/// gate is the root.
#[derive(Clone, Debug)]
struct Spec {
    steps: Vec<Step>,
    gates: Vec<(Gate, Vec<usize>)>,
    countermeasures: Vec<(Vec<usize>, bool)>,
}

impl Spec {
    fn nodes(&self) -> usize {
        self.steps.len() + self.gates.len()
    }

    fn tree(&self) -> AttackTree {
        let mut nodes: Vec<Node> = self
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| Node::step(format!("s{i}"), format!("step {i}"), *step))
            .collect();
        for (i, (gate, children)) in self.gates.iter().enumerate() {
            let children = children.iter().map(|&c| NodeId::new(c)).collect();
            nodes.push(Node::gate(
                format!("g{i}"),
                format!("gate {i}"),
                *gate,
                children,
            ));
        }
        let countermeasures = self
            .countermeasures
            .iter()
            .enumerate()
            .map(|(i, (blocks, applied))| Countermeasure {
                id: format!("c{i}"),
                label: format!("counter {i}"),
                cost: 1.0,
                blocks: blocks.iter().map(|&b| NodeId::new(b)).collect(),
                applied: *applied,
            })
            .collect();
        let root = NodeId::new(self.nodes() - 1);
        AttackTree::new("random", "random", nodes, root, countermeasures).unwrap()
    }

    fn blocked(&self, extra: Option<usize>) -> Vec<bool> {
        let mut blocked = vec![false; self.nodes()];
        for (i, (blocks, applied)) in self.countermeasures.iter().enumerate() {
            if *applied || extra == Some(i) {
                for &b in blocks {
                    blocked[b] = true;
                }
            }
        }
        blocked
    }

    /// Whether the steps in `mask` reach the root.
    fn holds(&self, mask: u32, blocked: &[bool]) -> bool {
        // At most 10 steps and 6 gates.
        let mut value = [false; 16];
        for i in 0..self.steps.len() {
            value[i] = mask & (1 << i) != 0 && !blocked[i];
        }
        for (g, (gate, children)) in self.gates.iter().enumerate() {
            let i = self.steps.len() + g;
            let mut of = children.iter().map(|&c| value[c]);
            value[i] = !blocked[i]
                && match gate {
                    Gate::Or => of.any(|v| v),
                    Gate::And | Gate::Sand => of.all(|v| v),
                };
        }
        value[self.nodes() - 1]
    }

    fn satisfying(&self, blocked: &[bool]) -> Vec<u32> {
        (0..1u32 << self.steps.len())
            .filter(|&mask| self.holds(mask, blocked))
            .collect()
    }

    fn minimal(&self, blocked: &[bool]) -> Vec<u32> {
        let mut minimal: Vec<u32> = self
            .satisfying(blocked)
            .into_iter()
            .filter(|&mask| {
                (0..self.steps.len())
                    .filter(|&bit| mask & (1 << bit) != 0)
                    .all(|bit| !self.holds(mask & !(1 << bit), blocked))
            })
            .collect();
        minimal.sort_unstable();
        minimal
    }

    fn members(&self, mask: u32) -> impl Iterator<Item = &Step> {
        self.steps
            .iter()
            .enumerate()
            .filter(move |(i, _)| mask & (1 << i) != 0)
            .map(|(_, step)| step)
    }

    fn cost(&self, mask: u32) -> f64 {
        self.members(mask).map(|s| s.cost).sum()
    }

    /// The documented time of a set: SAND sums, AND takes the slowest, OR
    /// the fastest achieved child.
    fn time(&self, mask: u32, blocked: &[bool]) -> Option<f64> {
        let mut time: Vec<Option<f64>> = vec![None; self.nodes()];
        for (i, step) in self.steps.iter().enumerate() {
            time[i] = (mask & (1 << i) != 0 && !blocked[i]).then_some(step.time);
        }
        for (g, (gate, children)) in self.gates.iter().enumerate() {
            let i = self.steps.len() + g;
            if blocked[i] {
                continue;
            }
            let of: Vec<Option<f64>> = children.iter().map(|&c| time[c]).collect();
            time[i] = match gate {
                Gate::Or => of.iter().flatten().copied().reduce(f64::min),
                Gate::And => of.iter().try_fold(0.0f64, |a, t| t.map(|t| a.max(t))),
                Gate::Sand => of.iter().try_fold(0.0f64, |a, t| t.map(|t| a + t)),
            };
        }
        time[self.nodes() - 1]
    }

    /// The chance that the root holds when every step is tried once.
    fn root_probability(&self, blocked: &[bool]) -> f64 {
        (0..1u32 << self.steps.len())
            .filter(|&mask| self.holds(mask, blocked))
            .map(|mask| {
                self.steps
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        if mask & (1 << i) != 0 {
                            s.probability
                        } else {
                            1.0 - s.probability
                        }
                    })
                    .product::<f64>()
            })
            .sum()
    }
}

fn step_strategy() -> impl Strategy<Value = Step> {
    (0u8..20, 1u8..=5, 0u8..10, 0u8..=8).prop_map(|(cost, skill, time, eighths)| Step {
        cost: f64::from(cost),
        skill,
        time: f64::from(time),
        probability: f64::from(eighths) / 8.0,
    })
}

fn gate_strategy() -> impl Strategy<Value = Gate> {
    prop_oneof![2 => Just(Gate::Or), 1 => Just(Gate::And), 1 => Just(Gate::Sand)]
}

fn spec_strategy() -> impl Strategy<Value = Spec> {
    (1usize..=10, 1usize..=6)
        .prop_flat_map(|(n_steps, n_gates)| {
            let steps = prop::collection::vec(step_strategy(), n_steps);
            let gates = prop::collection::vec(
                (
                    gate_strategy(),
                    prop::collection::vec(any::<Index>(), 1..=4),
                ),
                n_gates,
            );
            let counters = prop::collection::vec(
                (
                    prop::collection::vec(any::<Index>(), 1..=2),
                    prop::bool::weighted(0.3),
                ),
                0..=3,
            );
            (steps, gates, counters)
        })
        .prop_map(|(steps, gates, counters)| {
            let n_steps = steps.len();
            let mut gates: Vec<(Gate, Vec<usize>)> = gates
                .into_iter()
                .enumerate()
                .map(|(g, (gate, picks))| {
                    // Children among the steps and the earlier gates; a node
                    // picked twice is shared.
                    let pool = n_steps + g;
                    (gate, picks.iter().map(|p| p.index(pool)).collect())
                })
                .collect();
            // The root (the last gate) also takes every gate nobody lists,
            // so that every gate takes part.
            let listed: Vec<usize> = gates.iter().flat_map(|(_, c)| c.clone()).collect();
            let orphans: Vec<usize> = (n_steps..n_steps + gates.len() - 1)
                .filter(|node| !listed.contains(node))
                .collect();
            if let Some((_, root_children)) = gates.last_mut() {
                root_children.extend(orphans);
            }
            let total = n_steps + gates.len();
            let countermeasures = counters
                .into_iter()
                .map(|(picks, applied)| (picks.iter().map(|p| p.index(total)).collect(), applied))
                .collect();
            Spec {
                steps,
                gates,
                countermeasures,
            }
        })
}

fn masks(tree: &AttackTree, sets: &[Vec<NodeId>]) -> Vec<u32> {
    let mut masks: Vec<u32> = sets
        .iter()
        .map(|set| {
            set.iter()
                .map(|&id| {
                    let name = tree.name(id);
                    1u32 << name.trim_start_matches('s').parse::<u32>().unwrap()
                })
                .sum()
        })
        .collect();
    masks.sort_unstable();
    masks
}

fn check(spec: &Spec) {
    let tree = spec.tree();
    let limits = EvalLimits::default();
    let blocked = spec.blocked(None);
    let minimal = spec.minimal(&blocked);
    let satisfying = spec.satisfying(&blocked);

    let ours = minimal_attack_sets(&tree, &limits).unwrap();
    assert_eq!(masks(&tree, &ours), minimal, "minimal attack sets");

    let analysis = analyze(&tree, &limits).unwrap();
    let set_masks = masks(
        &tree,
        &analysis
            .attack_sets
            .iter()
            .map(|s| s.nodes.clone())
            .collect::<Vec<_>>(),
    );
    assert_eq!(set_masks, minimal);
    assert_eq!(analysis.achievable, !minimal.is_empty());

    // Over every subset that reaches the root, not only the minimal ones.
    let min_cost = satisfying.iter().map(|&m| spec.cost(m)).reduce(f64::min);
    assert_eq!(analysis.min_cost.map(|b| b.value), min_cost, "min cost");
    let min_skill = satisfying
        .iter()
        .map(|&m| spec.members(m).map(|s| s.skill).max().unwrap_or(1))
        .min();
    assert_eq!(analysis.min_skill.map(|b| b.value), min_skill, "min skill");
    let best_p = satisfying
        .iter()
        .map(|&m| spec.members(m).map(|s| s.probability).product::<f64>())
        .reduce(f64::max);
    match (analysis.best_probability.map(|b| b.value), best_p) {
        (Some(ours), Some(theirs)) => assert!((ours - theirs).abs() < 1e-12, "best probability"),
        (ours, theirs) => assert_eq!(ours.is_some(), theirs.is_some()),
    }
    // Time is defined over the minimal sets.
    let min_time = minimal
        .iter()
        .filter_map(|&m| spec.time(m, &blocked))
        .reduce(f64::min);
    assert_eq!(analysis.min_time.map(|b| b.value), min_time, "min time");

    let exact = spec.root_probability(&blocked);
    let ours = analysis.root_probability.unwrap();
    assert!(
        (ours - exact).abs() < 1e-9,
        "root probability {ours} vs {exact}"
    );

    check_effects(spec, &analysis, &minimal);
}

fn check_effects(spec: &Spec, analysis: &noharm_trees::Analysis, minimal: &[u32]) {
    let pending: Vec<usize> = (0..spec.countermeasures.len())
        .filter(|&i| !spec.countermeasures[i].1)
        .collect();
    assert_eq!(analysis.countermeasures.len(), pending.len());
    for (effect, &i) in analysis.countermeasures.iter().zip(&pending) {
        assert_eq!(effect.id, format!("c{i}"));
        let blocked = spec.blocked(Some(i));
        let after = spec.satisfying(&blocked);
        let min_after = after.iter().map(|&m| spec.cost(m)).reduce(f64::min);
        assert_eq!(effect.min_cost_after, min_after, "cost after c{i}");
        let removed = minimal
            .iter()
            .filter(|&&m| !spec.holds(m, &blocked))
            .count();
        assert_eq!(effect.sets_removed, removed, "sets removed by c{i}");
        assert_eq!(
            effect.stops_every_attack,
            after.is_empty() && !minimal.is_empty()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 3000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn evaluation_agrees_with_brute_force(spec in spec_strategy()) {
        check(&spec);
    }
}

#[test]
fn brute_force_sees_the_shared_step_folding_misses() {
    // The fixed case behind the property: AND(OR(a, b), OR(a, c)).
    let step = |cost| Step {
        cost,
        ..Step::default()
    };
    let spec = Spec {
        steps: vec![step(10.0), step(6.0), step(6.0)],
        gates: vec![
            (Gate::Or, vec![0, 1]),
            (Gate::Or, vec![0, 2]),
            (Gate::And, vec![3, 4]),
        ],
        countermeasures: vec![(vec![0], false)],
    };
    check(&spec);
    let analysis = analyze(&spec.tree(), &EvalLimits::default()).unwrap();
    assert_eq!(analysis.min_cost.unwrap().value, 10.0);
    assert_eq!(analysis.countermeasures[0].min_cost_after, Some(12.0));
}
