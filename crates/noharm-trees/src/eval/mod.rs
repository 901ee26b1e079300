//! Evaluation: the minimal attack sets of a tree and the metrics drawn from
//! them, exact also when subtrees are shared.
//!
//! Every metric is read off the minimal attack sets (sets of steps that
//! achieve the root, none of whose proper subsets does), so a step shared by
//! two branches is paid for once. Work is bounded by [`EvalLimits`]: past
//! them evaluation stops with an [`EvalError`], never hangs.

mod prob;
mod sets;

use noharm_syntax::Diagnostic;
use serde::Serialize;
use thiserror::Error;

use crate::tree::{AttackTree, Gate, NodeId, NodeKind};
pub(crate) use sets::{LeafSet, Steps};

/// Bounds on the work of one evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EvalLimits {
    /// The most minimal attack sets any node may have.
    pub max_attack_sets: usize,
    /// The most elementary set operations (unions and subset tests) one
    /// evaluation of the sets may take.
    pub max_work: u64,
    /// The most shared, uncertain steps the exact root probability conditions
    /// on (the cost doubles with each); past it that probability is omitted.
    pub max_shared_steps: usize,
}

impl Default for EvalLimits {
    fn default() -> EvalLimits {
        // Generated trees of large models have a few hundred sets; these
        // bounds keep the worst case to about a second.
        EvalLimits {
            max_attack_sets: 10_000,
            max_work: 50_000_000,
            max_shared_steps: 16,
        }
    }
}

/// Why an evaluation stopped.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum EvalError {
    /// A node has more minimal attack sets than allowed.
    #[error("node `{node}` has more than {limit} minimal attack sets")]
    TooManyAttackSets {
        /// The node where the limit was passed.
        node: String,
        /// The limit.
        limit: usize,
    },
    /// The evaluation took more steps than allowed.
    #[error("evaluating the tree took more than {limit} set operations")]
    TooMuchWork {
        /// The limit.
        limit: u64,
    },
}

impl EvalError {
    /// The error as a diagnostic with a stable code and a way out.
    pub fn to_diagnostic(&self, tree: &AttackTree) -> Diagnostic {
        let code = match self {
            EvalError::TooManyAttackSets { .. } => crate::codes::TOO_MANY_ATTACK_SETS,
            EvalError::TooMuchWork { .. } => crate::codes::TOO_MUCH_WORK,
        };
        Diagnostic::error(code, format!("attack tree `{}`: {self}", tree.id())).with_help(
            "split the tree into smaller goals, merge steps that always go together, \
             or raise the evaluation limits",
        )
    }
}

/// Counts set operations against [`EvalLimits::max_work`].
#[derive(Debug)]
pub(crate) struct Budget {
    left: u64,
    limit: u64,
}

impl Budget {
    pub(crate) fn new(limit: u64) -> Budget {
        Budget { left: limit, limit }
    }

    pub(crate) fn spend(&mut self, amount: u64) -> Result<(), EvalError> {
        match self.left.checked_sub(amount) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => Err(EvalError::TooMuchWork { limit: self.limit }),
        }
    }
}

/// One minimal attack set with its metrics.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttackSet {
    /// The ids of its steps, in tree order.
    pub steps: Vec<String>,
    /// The same steps as node ids.
    #[serde(skip)]
    pub nodes: Vec<NodeId>,
    /// The sum of the steps' costs, each step once.
    pub cost: f64,
    /// The highest skill among the steps.
    pub skill: u8,
    /// The time to reach the root with these steps (see the crate documentation on time).
    pub time: f64,
    /// The product of the steps' probabilities.
    pub probability: f64,
}

/// The best value of a metric and the attack set that gives it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Best<T> {
    /// The value.
    pub value: T,
    /// The position of the set in [`Analysis::attack_sets`].
    pub set: usize,
}

/// What one countermeasure that is not applied would change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Effect {
    /// The countermeasure's id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// What it costs the defender.
    pub cost: f64,
    /// The attacker's minimal cost once it is applied; absent when no attack
    /// is left.
    pub min_cost_after: Option<f64>,
    /// How much it raises the attacker's minimal cost; absent when it stops
    /// every attack.
    pub cost_increase: Option<f64>,
    /// Whether applying it leaves no way to the root.
    pub stops_every_attack: bool,
    /// How many of the current minimal attack sets no longer work.
    pub sets_removed: usize,
}

/// Everything the evaluation finds out about a tree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis {
    /// Whether any attack reaches the root with the applied countermeasures.
    pub achievable: bool,
    /// The minimal attack sets, cheapest first.
    pub attack_sets: Vec<AttackSet>,
    /// The lowest cost of reaching the root.
    pub min_cost: Option<Best<f64>>,
    /// The lowest skill that suffices (the set whose hardest step is easiest).
    pub min_skill: Option<Best<u8>>,
    /// The shortest time to reach the root.
    pub min_time: Option<Best<f64>>,
    /// The highest success probability of one attack set.
    pub best_probability: Option<Best<f64>>,
    /// The exact probability that the root is reached when every step is
    /// tried; absent when too many uncertain steps are shared.
    pub root_probability: Option<f64>,
    /// The effect of each countermeasure that is not applied.
    pub countermeasures: Vec<Effect>,
    /// The countermeasure that raises the attacker's minimal cost most.
    pub raises_cost_most: Option<String>,
    /// The countermeasure that removes most minimal attack sets.
    pub removes_most_sets: Option<String>,
}

/// Evaluates a tree as it stands: applied countermeasures block their nodes.
/// All of it, the effects of the countermeasures included, shares one
/// budget of [`EvalLimits::max_work`].
pub fn analyze(tree: &AttackTree, limits: &EvalLimits) -> Result<Analysis, EvalError> {
    let mut budget = Budget::new(limits.max_work);
    let steps = Steps::of(tree);
    let applied: Vec<bool> = tree.countermeasures().iter().map(|c| c.applied).collect();
    let blocked = blocked_nodes(tree, &applied);
    let family = family(tree, &steps, &blocked, limits, &mut budget)?;
    // Timing a set walks the tree once.
    budget.spend((family.len() as u64).saturating_mul(tree.post_order().len() as u64))?;
    let attack_sets = describe_sets(tree, &steps, &blocked, &family);
    let effects = effects(
        tree,
        &steps,
        &applied,
        &family,
        &attack_sets,
        limits,
        &mut budget,
    )?;
    let root_probability =
        prob::root_probability(tree, &steps, &blocked, limits.max_shared_steps, &mut budget);

    Ok(Analysis {
        achievable: !attack_sets.is_empty(),
        min_cost: best_by(&attack_sets, |set| set.cost, false),
        min_skill: best_by(&attack_sets, |set| set.skill, false),
        min_time: best_by(&attack_sets, |set| set.time, false),
        best_probability: best_by(&attack_sets, |set| set.probability, true),
        root_probability,
        raises_cost_most: raises_cost_most(&effects),
        removes_most_sets: removes_most_sets(&effects),
        countermeasures: effects,
        attack_sets,
    })
}

/// The minimal attack sets alone, as node ids, in no particular order.
pub fn minimal_attack_sets(
    tree: &AttackTree,
    limits: &EvalLimits,
) -> Result<Vec<Vec<NodeId>>, EvalError> {
    let steps = Steps::of(tree);
    let applied: Vec<bool> = tree.countermeasures().iter().map(|c| c.applied).collect();
    let blocked = blocked_nodes(tree, &applied);
    let mut budget = Budget::new(limits.max_work);
    let family = family(tree, &steps, &blocked, limits, &mut budget)?;
    Ok(family.iter().map(|set| set_nodes(&steps, set)).collect())
}

fn family(
    tree: &AttackTree,
    steps: &Steps,
    blocked: &[bool],
    limits: &EvalLimits,
    budget: &mut Budget,
) -> Result<Vec<LeafSet>, EvalError> {
    sets::minimal_sets(tree, steps, blocked, limits.max_attack_sets, budget)
}

/// Which nodes the countermeasures flagged in `applied` block.
fn blocked_nodes(tree: &AttackTree, applied: &[bool]) -> Vec<bool> {
    let mut blocked = vec![false; tree.nodes().len()];
    for (countermeasure, _) in tree
        .countermeasures()
        .iter()
        .zip(applied)
        .filter(|(_, on)| **on)
    {
        for id in &countermeasure.blocks {
            if let Some(flag) = blocked.get_mut(id.index()) {
                *flag = true;
            }
        }
    }
    blocked
}

fn set_nodes(steps: &Steps, set: &LeafSet) -> Vec<NodeId> {
    set.iter()
        .filter_map(|bit| steps.node.get(bit).copied())
        .collect()
}

fn describe_sets(
    tree: &AttackTree,
    steps: &Steps,
    blocked: &[bool],
    family: &[LeafSet],
) -> Vec<AttackSet> {
    let mut sets: Vec<AttackSet> = family
        .iter()
        .map(|set| describe_set(tree, steps, blocked, set))
        .collect();
    sets.sort_by(|a, b| {
        a.cost
            .total_cmp(&b.cost)
            .then(a.nodes.len().cmp(&b.nodes.len()))
            .then_with(|| a.steps.cmp(&b.steps))
    });
    sets
}

fn describe_set(tree: &AttackTree, steps: &Steps, blocked: &[bool], set: &LeafSet) -> AttackSet {
    let nodes = set_nodes(steps, set);
    let attributes: Vec<_> = nodes
        .iter()
        .filter_map(|&id| tree.node(id).and_then(|node| node.as_step()))
        .collect();
    AttackSet {
        steps: nodes.iter().map(|&id| tree.name(id).to_string()).collect(),
        cost: attributes.iter().map(|step| step.cost).sum(),
        skill: attributes.iter().map(|step| step.skill).max().unwrap_or(1),
        time: set_time(tree, steps, blocked, set).unwrap_or(f64::INFINITY),
        probability: attributes.iter().map(|step| step.probability).product(),
        nodes,
    }
}

/// The time to reach the root carrying out exactly the steps of `set`: a
/// step takes its time, an AND its slowest child (children run in
/// parallel), a SAND the sum of its children (one after the other), an OR its
/// fastest child among those the set achieves. A step under two SAND
/// branches counts in each. `None` when the set does not reach the root.
pub(crate) fn set_time(
    tree: &AttackTree,
    steps: &Steps,
    blocked: &[bool],
    set: &LeafSet,
) -> Option<f64> {
    let mut time: Vec<Option<f64>> = vec![None; tree.nodes().len()];
    for &id in tree.post_order() {
        let index = id.index();
        let Some(node) = tree.node(id) else { continue };
        if blocked[index] {
            continue;
        }
        time[index] = match &node.kind {
            NodeKind::Step(step) => steps.bit[index]
                .filter(|&bit| set.contains(bit))
                .map(|_| step.time),
            NodeKind::Gate { gate, children } => {
                let mut values = children.iter().map(|child| time[child.index()]);
                match gate {
                    Gate::Or => values.flatten().min_by(f64::total_cmp),
                    Gate::And => values.try_fold(0.0f64, |acc, t| t.map(|t| acc.max(t))),
                    Gate::Sand => values.try_fold(0.0f64, |acc, t| t.map(|t| acc + t)),
                }
            }
        };
    }
    time[tree.root().index()]
}

fn best_by<T: Copy + PartialOrd>(
    sets: &[AttackSet],
    metric: impl Fn(&AttackSet) -> T,
    highest: bool,
) -> Option<Best<T>> {
    let mut best: Option<Best<T>> = None;
    for (index, set) in sets.iter().enumerate() {
        let value = metric(set);
        let better = best.is_none_or(|current| {
            if highest {
                value > current.value
            } else {
                value < current.value
            }
        });
        if better {
            best = Some(Best { value, set: index });
        }
    }
    best
}

fn effects(
    tree: &AttackTree,
    steps: &Steps,
    applied: &[bool],
    family: &[LeafSet],
    current: &[AttackSet],
    limits: &EvalLimits,
    budget: &mut Budget,
) -> Result<Vec<Effect>, EvalError> {
    let min_cost = current.iter().map(|set| set.cost).min_by(f64::total_cmp);
    let mut effects = Vec::new();
    for (index, countermeasure) in tree.countermeasures().iter().enumerate() {
        if countermeasure.applied {
            continue;
        }
        let mut with = applied.to_vec();
        with[index] = true;
        let blocked = blocked_nodes(tree, &with);
        let after = self::family(tree, steps, &blocked, limits, budget)?;
        budget.spend((family.len() as u64).saturating_mul(after.len() as u64))?;
        let min_cost_after = after
            .iter()
            .map(|set| set_cost(tree, steps, set))
            .min_by(f64::total_cmp);
        let sets_removed = family
            .iter()
            .filter(|set| !after.iter().any(|kept| kept.is_subset(set)))
            .count();
        effects.push(Effect {
            id: countermeasure.id.clone(),
            label: countermeasure.label.clone(),
            cost: countermeasure.cost,
            cost_increase: min_cost_after.zip(min_cost).map(|(after, now)| after - now),
            stops_every_attack: after.is_empty() && !family.is_empty(),
            min_cost_after,
            sets_removed,
        });
    }
    Ok(effects)
}

fn set_cost(tree: &AttackTree, steps: &Steps, set: &LeafSet) -> f64 {
    set.iter()
        .filter_map(|bit| steps.node.get(bit))
        .filter_map(|&id| tree.node(id).and_then(|node| node.as_step()))
        .map(|step| step.cost)
        .sum()
}

/// The countermeasure that raises the minimal cost most; stopping every
/// attack counts as raising it most of all. Ties go to the cheaper one.
fn raises_cost_most(effects: &[Effect]) -> Option<String> {
    let gain = |effect: &Effect| {
        if effect.stops_every_attack {
            f64::INFINITY
        } else {
            effect.cost_increase.unwrap_or(0.0)
        }
    };
    pick(effects, gain)
}

/// The countermeasure that removes most minimal attack sets. Ties go to the
/// cheaper one.
fn removes_most_sets(effects: &[Effect]) -> Option<String> {
    pick(effects, |effect| effect.sets_removed as f64)
}

fn pick(effects: &[Effect], gain: impl Fn(&Effect) -> f64) -> Option<String> {
    let mut best: Option<(&Effect, f64)> = None;
    for effect in effects {
        let value = gain(effect);
        if value <= 0.0 {
            continue;
        }
        let better = best.is_none_or(|(current, best_value)| {
            value > best_value || (value == best_value && effect.cost < current.cost)
        });
        if better {
            best = Some((effect, value));
        }
    }
    best.map(|(effect, _)| effect.id.clone())
}
