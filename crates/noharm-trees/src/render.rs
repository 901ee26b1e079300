//! Output: an indented text tree with the metrics, a JSON report, and
//! Graphviz DOT.

use std::fmt::Write as _;

use serde::Serialize;

use crate::eval::Analysis;
use crate::tree::{AttackTree, Gate, NodeId, NodeKind, Step};

/// How many attack sets the text output lists before summarising the rest.
const LISTED_SETS: usize = 20;
/// The widest indentation of the text tree, in bytes.
const MAX_INDENT: usize = 120;

/// A tree and its analysis as plain data, for JSON.
#[derive(Clone, Debug, Serialize)]
pub struct TreeReport {
    /// The tree's id.
    pub id: String,
    /// The attacker's goal.
    pub title: String,
    /// The root's node id.
    pub root: String,
    /// The nodes under the root, children before parents.
    pub nodes: Vec<NodeReport>,
    /// The countermeasures.
    pub countermeasures: Vec<CountermeasureReport>,
    /// The evaluation, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis: Option<Analysis>,
}

/// One node, children by id.
#[derive(Clone, Debug, Serialize)]
pub struct NodeReport {
    /// Its id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// `step`, `or`, `and` or `sand`.
    pub kind: &'static str,
    /// A gate's children, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<String>,
    /// A step's attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<Step>,
}

/// One countermeasure, blocked nodes by id.
#[derive(Clone, Debug, Serialize)]
pub struct CountermeasureReport {
    /// Its id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// What it costs the defender.
    pub cost: f64,
    /// The nodes it blocks.
    pub blocks: Vec<String>,
    /// Whether it is in place.
    pub applied: bool,
}

/// The tree and its analysis as serialisable data.
pub fn report(tree: &AttackTree, analysis: Option<&Analysis>) -> TreeReport {
    let names = |ids: &[NodeId]| ids.iter().map(|&id| tree.name(id).to_string()).collect();
    TreeReport {
        id: tree.id().to_string(),
        title: tree.title().to_string(),
        root: tree.name(tree.root()).to_string(),
        nodes: tree
            .post_order()
            .iter()
            .filter_map(|&id| tree.node(id))
            .map(|node| NodeReport {
                id: node.id.clone(),
                label: node.label.clone(),
                kind: kind_word(&node.kind),
                children: names(node.children()),
                step: node.as_step().copied(),
            })
            .collect(),
        countermeasures: tree
            .countermeasures()
            .iter()
            .map(|c| CountermeasureReport {
                id: c.id.clone(),
                label: c.label.clone(),
                cost: c.cost,
                blocks: names(&c.blocks),
                applied: c.applied,
            })
            .collect(),
        analysis: analysis.cloned(),
    }
}

fn kind_word(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Step(_) => "step",
        NodeKind::Gate { gate, .. } => gate.as_str(),
    }
}

/// A number without needless decimals: `1000`, `0.5`, `0.33`.
fn num(value: f64) -> String {
    if value.is_infinite() {
        return "unbounded".to_string();
    }
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return format!("{value:.0}");
    }
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "0" || text == "-0" {
        format!("{value:.1e}")
    } else {
        text.to_string()
    }
}

/// A probability to four decimals, never rounded up to a certainty or down
/// to an impossibility it is not.
fn prob(value: f64) -> String {
    if value >= 1.0 {
        return "1".to_string();
    }
    if value <= 0.0 {
        return "0".to_string();
    }
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    match text {
        "1" => "0.9999".to_string(),
        "0" => format!("{value:.1e}"),
        _ => text.to_string(),
    }
}

fn step_text(step: &Step) -> String {
    format!(
        "cost {}, skill {}, {} h, p {}",
        num(step.cost),
        step.skill,
        num(step.time),
        prob(step.probability)
    )
}

/// The tree as indented text, then the analysis when given.
pub fn render_text(tree: &AttackTree, analysis: Option<&Analysis>) -> String {
    let mut out = format!("Attack tree `{}`: {}\n\n", tree.id(), tree.title());
    write_tree(&mut out, tree);
    write_countermeasures(&mut out, tree);
    if let Some(analysis) = analysis {
        write_analysis(&mut out, tree, analysis);
    }
    out
}

/// What stands against a node: applied countermeasures block it, others
/// could.
fn blockers(tree: &AttackTree, id: NodeId) -> String {
    let named = |applied: bool| -> Vec<&str> {
        tree.countermeasures()
            .iter()
            .filter(|c| c.applied == applied && c.blocks.contains(&id))
            .map(|c| c.id.as_str())
            .collect()
    };
    let mut text = String::new();
    for (applied, words) in [(true, "blocked by"), (false, "could be blocked by")] {
        let ids = named(applied);
        if !ids.is_empty() {
            let _ = write!(text, "  {words} {}", ids.join(", "));
        }
    }
    text
}

/// How many times each node is listed as a child under the root.
fn parent_counts(tree: &AttackTree) -> Vec<usize> {
    let mut counts = vec![0; tree.nodes().len()];
    for &id in tree.post_order() {
        for child in tree.node(id).map_or(&[][..], |n| n.children()) {
            counts[child.index()] += 1;
        }
    }
    counts
}

fn write_tree(out: &mut String, tree: &AttackTree) {
    let mut shown = vec![false; tree.nodes().len()];
    let parents = parent_counts(tree);
    // Each entry: node, the prefix for its line, the prefix for its children.
    let mut stack: Vec<(NodeId, String, String)> =
        vec![(tree.root(), String::new(), String::new())];
    while let Some((id, line_prefix, child_prefix)) = stack.pop() {
        let Some(node) = tree.node(id) else { continue };
        let head = match &node.kind {
            NodeKind::Step(step) => format!("{} [{}] {}", node.label, node.id, step_text(step)),
            NodeKind::Gate { gate, .. } => {
                format!(
                    "{} {} [{}]",
                    gate.as_str().to_uppercase(),
                    node.label,
                    node.id
                )
            }
        };
        let blocked = blockers(tree, id);
        let shared = if parents[id.index()] > 1 {
            " (shared)"
        } else {
            ""
        };
        if std::mem::replace(&mut shown[id.index()], true) && !node.children().is_empty() {
            let _ = writeln!(out, "{line_prefix}{head}{shared}, shown above");
            continue;
        }
        let _ = writeln!(out, "{line_prefix}{head}{shared}{blocked}");
        let children = node.children();
        for (position, &child) in children.iter().enumerate().rev() {
            let last = position + 1 == children.len();
            let number = match &node.kind {
                NodeKind::Gate {
                    gate: Gate::Sand, ..
                } => format!("{}. ", position + 1),
                _ => String::new(),
            };
            let (branch, rest) = if last {
                ("└─ ", "   ")
            } else {
                ("├─ ", "│  ")
            };
            // Very deep trees stop indenting, so output stays linear in size.
            let deeper = if child_prefix.len() < MAX_INDENT {
                format!("{child_prefix}{rest}")
            } else {
                child_prefix.clone()
            };
            stack.push((child, format!("{child_prefix}{branch}{number}"), deeper));
        }
    }
}

fn write_countermeasures(out: &mut String, tree: &AttackTree) {
    if tree.countermeasures().is_empty() {
        return;
    }
    out.push_str("\nCountermeasures:\n");
    for c in tree.countermeasures() {
        let blocks: Vec<&str> = c.blocks.iter().map(|&id| tree.name(id)).collect();
        let state = if c.applied { "applied" } else { "not applied" };
        let _ = writeln!(
            out,
            "  {} [{}] cost {}, {state}, blocks {}",
            c.label,
            c.id,
            num(c.cost),
            blocks.join(", ")
        );
    }
}

fn write_analysis(out: &mut String, tree: &AttackTree, analysis: &Analysis) {
    if !analysis.achievable {
        out.push_str("\nNo attack reaches the goal with the countermeasures applied.\n");
        write_effects(out, analysis);
        return;
    }
    let _ = writeln!(out, "\nMinimal attack sets: {}", analysis.attack_sets.len());
    for (position, set) in analysis.attack_sets.iter().enumerate().take(LISTED_SETS) {
        let _ = writeln!(
            out,
            "  {}. cost {}, skill {}, {} h, p {}: {}",
            position + 1,
            num(set.cost),
            set.skill,
            num(set.time),
            prob(set.probability),
            set.steps.join(", ")
        );
    }
    if analysis.attack_sets.len() > LISTED_SETS {
        let _ = writeln!(
            out,
            "  ... and {} more",
            analysis.attack_sets.len() - LISTED_SETS
        );
    }
    write_metrics(out, analysis);
    let _ = tree;
    write_effects(out, analysis);
}

fn write_metrics(out: &mut String, analysis: &Analysis) {
    let set = |index: usize| format!("set {}", index + 1);
    if let Some(best) = analysis.min_cost {
        let _ = writeln!(out, "Minimal cost: {} ({})", num(best.value), set(best.set));
    }
    if let Some(best) = analysis.min_skill {
        let _ = writeln!(out, "Minimal skill: {} ({})", best.value, set(best.set));
    }
    if let Some(best) = analysis.min_time {
        let _ = writeln!(
            out,
            "Minimal time: {} h ({})",
            num(best.value),
            set(best.set)
        );
    }
    if let Some(best) = analysis.best_probability {
        let _ = writeln!(
            out,
            "Best success probability of one set: {} ({})",
            prob(best.value),
            set(best.set)
        );
    }
    if let Some(p) = analysis.root_probability {
        let _ = writeln!(
            out,
            "Probability of reaching the goal trying every step: {}",
            prob(p)
        );
    }
}

fn write_effects(out: &mut String, analysis: &Analysis) {
    if analysis.countermeasures.is_empty() {
        return;
    }
    out.push_str("\nCountermeasures not applied, if applied:\n");
    for effect in &analysis.countermeasures {
        let cost = match (
            effect.stops_every_attack,
            effect.min_cost_after,
            effect.cost_increase,
        ) {
            (true, _, _) => "stops every attack".to_string(),
            (_, Some(after), Some(increase)) => {
                format!("minimal cost {} (+{})", num(after), num(increase))
            }
            (_, Some(after), None) => format!("minimal cost {}", num(after)),
            _ => "no attack either way".to_string(),
        };
        let _ = writeln!(
            out,
            "  {} [{}]: {cost}, removes {} of {} attack sets",
            effect.label,
            effect.id,
            effect.sets_removed,
            analysis.attack_sets.len()
        );
    }
    if let Some(id) = &analysis.raises_cost_most {
        let _ = writeln!(out, "Raises the attacker's cost most: {id}");
    }
    if let Some(id) = &analysis.removes_most_sets {
        let _ = writeln!(out, "Removes most attack sets: {id}");
    }
}

/// A DOT string literal.
fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => {}
            _ => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// The tree as a Graphviz digraph. Steps of the cheapest attack set, when an
/// analysis is given, are drawn bold and red; countermeasures are octagons
/// with a flat-headed edge to what they block, filled when applied.
pub fn render_dot(tree: &AttackTree, analysis: Option<&Analysis>) -> String {
    let cheapest: Vec<NodeId> = analysis
        .and_then(|a| a.min_cost.and_then(|best| a.attack_sets.get(best.set)))
        .map(|set| set.nodes.clone())
        .unwrap_or_default();
    let mut out = format!("digraph {} {{\n", quote(tree.id()));
    let _ = writeln!(
        out,
        "  label={};\n  labelloc=t;\n  rankdir=TB;",
        quote(tree.title())
    );
    out.push_str("  node [fontname=\"Helvetica\" fontsize=11];\n  edge [fontname=\"Helvetica\" fontsize=9];\n");
    for &id in tree.post_order() {
        let Some(node) = tree.node(id) else { continue };
        let attributes = match &node.kind {
            NodeKind::Step(step) => {
                let label = format!("{}\n{}", node.label, step_text(step));
                let highlight = if cheapest.contains(&id) {
                    " color=red penwidth=2"
                } else {
                    ""
                };
                format!("label={} shape=ellipse{highlight}", quote(&label))
            }
            NodeKind::Gate { gate, .. } => {
                let label = format!("{}\n{}", gate.as_str().to_uppercase(), node.label);
                format!("label={} shape=box style=rounded", quote(&label))
            }
        };
        let _ = writeln!(out, "  n{} [{attributes}];", id.index());
    }
    write_edges(&mut out, tree);
    write_dot_countermeasures(&mut out, tree);
    out.push_str("}\n");
    out
}

fn write_edges(out: &mut String, tree: &AttackTree) {
    for &id in tree.post_order() {
        let Some(node) = tree.node(id) else { continue };
        let sequential = matches!(
            node.kind,
            NodeKind::Gate {
                gate: Gate::Sand,
                ..
            }
        );
        for (position, child) in node.children().iter().enumerate() {
            let label = if sequential {
                format!(" [label=\"{}\"]", position + 1)
            } else {
                String::new()
            };
            let _ = writeln!(out, "  n{} -> n{}{label};", id.index(), child.index());
        }
    }
}

fn write_dot_countermeasures(out: &mut String, tree: &AttackTree) {
    for (position, c) in tree.countermeasures().iter().enumerate() {
        let style = if c.applied {
            "style=filled fillcolor=lightblue"
        } else {
            "style=dashed"
        };
        let _ = writeln!(
            out,
            "  c{position} [label={} shape=octagon {style}];",
            quote(&c.label)
        );
        for blocked in &c.blocks {
            let _ = writeln!(
                out,
                "  c{position} -> n{} [arrowhead=tee style=dashed color=blue];",
                blocked.index()
            );
        }
    }
}
