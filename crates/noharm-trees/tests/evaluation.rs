//! Evaluation on small hand-made trees whose answers are worked out by hand,
//! including trees where folding numbers bottom-up would be wrong because a
//! step is shared.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use noharm_trees::{
    AttackTree, Countermeasure, EvalError, EvalLimits, Gate, Node, NodeId, Step, TreeBuilder,
    analyze, minimal_attack_sets,
};

fn step(cost: f64, skill: u8, time: f64, probability: f64) -> Step {
    Step {
        cost,
        skill,
        time,
        probability,
    }
}

struct Tree(TreeBuilder);

impl Tree {
    fn new() -> Tree {
        Tree(TreeBuilder::new())
    }

    fn step(&mut self, id: &str, step: Step) -> NodeId {
        self.0.add(Node::step(id, id, step)).unwrap()
    }

    fn gate(&mut self, id: &str, gate: Gate, children: &[NodeId]) -> NodeId {
        self.0
            .add(Node::gate(id, id, gate, children.to_vec()))
            .unwrap()
    }

    fn counter(&mut self, id: &str, cost: f64, blocks: &[NodeId], applied: bool) {
        self.0.countermeasure(Countermeasure {
            id: id.into(),
            label: id.into(),
            cost,
            blocks: blocks.to_vec(),
            applied,
        });
    }

    fn build(self, root: NodeId) -> AttackTree {
        self.0.build("t", "test goal", root).unwrap()
    }
}

fn set_names(tree: &AttackTree) -> Vec<Vec<String>> {
    let mut sets: Vec<Vec<String>> = minimal_attack_sets(tree, &EvalLimits::default())
        .unwrap()
        .into_iter()
        .map(|set| {
            let mut names: Vec<String> = set.iter().map(|&id| tree.name(id).to_string()).collect();
            names.sort();
            names
        })
        .collect();
    sets.sort();
    sets
}

/// `AND(OR(a, b), OR(a, c))` with `a` shared: folding min cost bottom-up
/// gives min(10, 6) + min(10, 6) = 12, but doing `a` once costs 10.
fn shared_step_tree() -> AttackTree {
    let mut t = Tree::new();
    let a = t.step("a", step(10.0, 4, 5.0, 0.5));
    let b = t.step("b", step(6.0, 2, 1.0, 0.4));
    let c = t.step("c", step(6.0, 3, 2.0, 0.5));
    let left = t.gate("left", Gate::Or, &[a, b]);
    let right = t.gate("right", Gate::Or, &[a, c]);
    let root = t.gate("root", Gate::And, &[left, right]);
    t.build(root)
}

#[test]
fn a_shared_step_is_paid_for_once() {
    let tree = shared_step_tree();
    assert_eq!(
        set_names(&tree),
        [vec!["a".to_string()], vec!["b".into(), "c".into()]]
    );
    let analysis = analyze(&tree, &EvalLimits::default()).unwrap();
    let best = analysis.min_cost.unwrap();
    assert_eq!(best.value, 10.0, "bottom-up folding would say 12");
    assert_eq!(analysis.attack_sets[best.set].steps, ["a"]);

    // Skill: {b, c} needs 3, {a} needs 4.
    let skill = analysis.min_skill.unwrap();
    assert_eq!(skill.value, 3);
    assert_eq!(analysis.attack_sets[skill.set].steps, ["b", "c"]);

    // Probability of one set: {a} 0.5, {b, c} 0.2.
    assert_eq!(analysis.best_probability.unwrap().value, 0.5);

    // Trying everything: a succeeds, or a fails and both b and c succeed.
    // Folding bottom-up would give (1 - 0.5 * 0.6) * (1 - 0.5 * 0.5) = 0.525.
    let exact = 0.5 + 0.5 * 0.4 * 0.5;
    let p = analysis.root_probability.unwrap();
    assert!((p - exact).abs() < 1e-12, "{p} != {exact}");
}

#[test]
fn time_sums_sequences_and_takes_the_slowest_of_parallel_steps() {
    let mut t = Tree::new();
    let recon = t.step("recon", step(0.0, 1, 4.0, 1.0));
    let phish = t.step("phish", step(0.0, 1, 2.0, 1.0));
    let exploit = t.step("exploit", step(0.0, 1, 3.0, 1.0));
    let parallel = t.gate("parallel", Gate::And, &[phish, exploit]);
    let root = t.gate("root", Gate::Sand, &[recon, parallel]);
    let tree = t.build(root);
    let analysis = analyze(&tree, &EvalLimits::default()).unwrap();
    assert_eq!(analysis.min_time.unwrap().value, 4.0 + 3.0);
}

#[test]
fn time_takes_the_fastest_way_an_or_offers() {
    let mut t = Tree::new();
    let slow = t.step("slow", step(1.0, 1, 50.0, 1.0));
    let fast = t.step("fast", step(100.0, 1, 2.0, 1.0));
    let root = t.gate("root", Gate::Or, &[slow, fast]);
    let tree = t.build(root);
    let analysis = analyze(&tree, &EvalLimits::default()).unwrap();
    let time = analysis.min_time.unwrap();
    assert_eq!(time.value, 2.0);
    assert_eq!(analysis.attack_sets[time.set].steps, ["fast"]);
    assert_eq!(
        analysis.attack_sets[analysis.min_cost.unwrap().set].steps,
        ["slow"]
    );
}

#[test]
fn countermeasures_are_weighed_by_cost_raised_and_sets_removed() {
    // OR(a, b, AND(c, d)); `mfa` blocks a and b, `patch` blocks c.
    let mut t = Tree::new();
    let a = t.step("a", step(1.0, 1, 1.0, 0.9));
    let b = t.step("b", step(2.0, 1, 1.0, 0.9));
    let c = t.step("c", step(3.0, 1, 1.0, 0.9));
    let d = t.step("d", step(4.0, 1, 1.0, 0.9));
    let both = t.gate("both", Gate::And, &[c, d]);
    let root = t.gate("root", Gate::Or, &[a, b, both]);
    t.counter("mfa", 50.0, &[a, b], false);
    t.counter("patch", 10.0, &[c], false);
    t.counter("logging", 5.0, &[d], true);
    let tree = t.build(root);

    // `logging` is applied, so {c, d} is already gone.
    assert_eq!(set_names(&tree), [vec!["a".to_string()], vec!["b".into()]]);
    let analysis = analyze(&tree, &EvalLimits::default()).unwrap();
    assert_eq!(analysis.countermeasures.len(), 2);

    let mfa = &analysis.countermeasures[0];
    assert_eq!(mfa.id, "mfa");
    assert!(mfa.stops_every_attack);
    assert_eq!(mfa.min_cost_after, None);
    assert_eq!(mfa.sets_removed, 2);

    let patch = &analysis.countermeasures[1];
    assert_eq!(patch.min_cost_after, Some(1.0));
    assert_eq!(patch.cost_increase, Some(0.0));
    assert_eq!(patch.sets_removed, 0);

    assert_eq!(analysis.raises_cost_most.as_deref(), Some("mfa"));
    assert_eq!(analysis.removes_most_sets.as_deref(), Some("mfa"));
}

#[test]
fn a_countermeasure_on_an_inner_node_can_make_a_larger_set_minimal() {
    // OR(via, AND(a, b)) with via = OR(a): blocking `via` turns {a} into
    // {a, b}, which was not minimal before.
    let mut t = Tree::new();
    let a = t.step("a", step(1.0, 1, 1.0, 1.0));
    let b = t.step("b", step(5.0, 1, 1.0, 1.0));
    let via = t.gate("via", Gate::Or, &[a]);
    let both = t.gate("both", Gate::And, &[a, b]);
    let root = t.gate("root", Gate::Or, &[via, both]);
    t.counter("filter", 1.0, &[via], false);
    let tree = t.build(root);
    let analysis = analyze(&tree, &EvalLimits::default()).unwrap();
    assert_eq!(analysis.min_cost.unwrap().value, 1.0);
    let effect = &analysis.countermeasures[0];
    assert_eq!(effect.min_cost_after, Some(6.0));
    assert_eq!(effect.cost_increase, Some(5.0));
    assert_eq!(effect.sets_removed, 1);
    assert!(!effect.stops_every_attack);
}

#[test]
fn an_applied_countermeasure_can_leave_no_attack() {
    let mut t = Tree::new();
    let a = t.step("a", Step::default());
    let root = t.gate("root", Gate::Or, &[a]);
    t.counter("wall", 0.0, &[root], true);
    let tree = t.build(root);
    let analysis = analyze(&tree, &EvalLimits::default()).unwrap();
    assert!(!analysis.achievable);
    assert!(analysis.attack_sets.is_empty());
    assert_eq!(analysis.min_cost, None);
    assert_eq!(analysis.root_probability, Some(0.0));
}

#[test]
fn too_many_attack_sets_is_a_clear_error_not_a_hang() {
    // AND of 24 two-way ORs has 2^24 minimal sets.
    let mut t = Tree::new();
    let mut ors = Vec::new();
    for i in 0..24 {
        let x = t.step(&format!("x{i}"), Step::default());
        let y = t.step(&format!("y{i}"), Step::default());
        ors.push(t.gate(&format!("or{i}"), Gate::Or, &[x, y]));
    }
    let root = t.gate("root", Gate::And, &ors);
    let tree = t.build(root);
    let started = std::time::Instant::now();
    let error = analyze(&tree, &EvalLimits::default()).unwrap_err();
    assert!(started.elapsed().as_secs() < 5);
    assert!(
        matches!(&error, EvalError::TooManyAttackSets { node, limit: 10_000 } if node == "root"),
        "{error:?}"
    );
    let diagnostic = error.to_diagnostic(&tree);
    assert_eq!(diagnostic.code, "too-many-attack-sets");
    assert!(diagnostic.message.contains("more than 10000"));

    let tight = EvalLimits {
        max_work: 1_000,
        ..EvalLimits::default()
    };
    let error = analyze(&tree, &tight).unwrap_err();
    assert_eq!(error, EvalError::TooMuchWork { limit: 1_000 });
}

#[test]
fn too_many_shared_steps_omits_only_the_exact_probability() {
    // Twenty uncertain steps, each under two gates.
    let mut t = Tree::new();
    let steps: Vec<NodeId> = (0..20)
        .map(|i| t.step(&format!("s{i}"), step(1.0, 1, 1.0, 0.5)))
        .collect();
    let left = t.gate("left", Gate::Or, &steps);
    let right = t.gate("right", Gate::Or, &steps);
    let root = t.gate("root", Gate::And, &[left, right]);
    let tree = t.build(root);
    let analysis = analyze(&tree, &EvalLimits::default()).unwrap();
    assert_eq!(analysis.attack_sets.len(), 20);
    assert_eq!(analysis.root_probability, None);
    assert_eq!(analysis.min_cost.unwrap().value, 1.0);
}

#[test]
fn deep_chains_evaluate_without_recursion() {
    let mut t = Tree::new();
    let mut below = t.step("bottom", step(3.0, 2, 1.0, 0.5));
    for i in 0..50_000 {
        below = t.gate(&format!("g{i}"), Gate::Or, &[below]);
    }
    let tree = t.build(below);
    let analysis = analyze(&tree, &EvalLimits::default()).unwrap();
    assert_eq!(analysis.min_cost.unwrap().value, 3.0);
    assert_eq!(analysis.root_probability, Some(0.5));
    let text = noharm_trees::render_text(&tree, Some(&analysis));
    assert!(text.contains("bottom"));
}
