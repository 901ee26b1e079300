//! The hand-written attack-tree format (`noharm-tree: 1`), read with located
//! diagnostics. `docs/attack-trees.md` describes it field by field.
//!
//! Nodes are a flat list that refers to children by id, so a node listed as
//! the child of two gates is shared, and the tree is a DAG. Decoding reports
//! every problem it finds in one run: wrong types, unknown fields, values out
//! of range, references to unknown nodes (with the closest id suggested),
//! cycles (with the path) and nodes the root does not lead to.

use std::collections::HashMap;

use noharm_syntax::{
    Decoder, Diagnostic, FileId, Limits, MapReader, Node, NodeKind, SourceMap, Span, Spanned,
    did_you_mean, parse_yaml,
};

use crate::Loaded;
use crate::codes;
use crate::tree::{AttackTree, Countermeasure, Gate, Node as TreeNode, NodeId, Step};

const TOP_FIELDS: &[&str] = &[
    "noharm-tree",
    "id",
    "title",
    "root",
    "nodes",
    "countermeasures",
];
const NODE_FIELDS: &[&str] = &[
    "id",
    "label",
    "or",
    "and",
    "sand",
    "cost",
    "skill",
    "time",
    "probability",
];
const COUNTERMEASURE_FIELDS: &[&str] = &["id", "label", "cost", "blocks", "applied"];
const GATE_KEYS: &[(&str, Gate)] = &[("or", Gate::Or), ("and", Gate::And), ("sand", Gate::Sand)];
const STEP_KEYS: &[&str] = &["cost", "skill", "time", "probability"];

/// One node as written, references unresolved.
struct RawNode {
    id: Spanned<String>,
    label: Option<String>,
    kind: RawKind,
}

enum RawKind {
    Step(Step),
    Gate(Gate, Vec<Spanned<String>>),
    /// Written wrongly (reported); kept so references to it still resolve.
    Broken,
}

struct RawCountermeasure {
    id: Spanned<String>,
    label: Option<String>,
    cost: f64,
    blocks: Vec<Spanned<String>>,
    applied: bool,
}

#[derive(Default)]
struct RawTree {
    id: Option<Spanned<String>>,
    title: Option<String>,
    root: Option<Spanned<String>>,
    nodes: Vec<RawNode>,
    countermeasures: Vec<RawCountermeasure>,
    span: Span,
}

/// Reads one hand-written attack tree from `file`.
pub fn read_tree(sources: &SourceMap, file: FileId) -> Loaded {
    let root = match parse_yaml(sources.file(file), file, &Limits::default()) {
        Ok(root) => root,
        Err(diagnostic) => return Loaded::failed(*diagnostic),
    };
    let mut decoder = Decoder::new();
    let raw = decode_tree(&mut decoder, &root);
    let tree = resolve(&mut decoder, raw, sources.file(file).name());
    let diagnostics = decoder.into_diagnostics();
    let tree = tree.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    Loaded {
        trees: tree.into_iter().collect(),
        diagnostics,
    }
}

fn decode_tree(decoder: &mut Decoder, root: &Node) -> RawTree {
    let Some(mut map) = decoder.map(root, "the attack tree file", TOP_FIELDS) else {
        return RawTree::default();
    };
    check_version(decoder, &mut map);
    let tree = RawTree {
        id: map.get("id").and_then(|n| decoder.text(n, "the tree id")),
        title: text_value(decoder, &mut map, "title"),
        root: map.get("root").and_then(|n| decoder.text(n, "`root`")),
        nodes: match map.required(decoder, "nodes") {
            Some(node) => decoder.list(node, "`nodes`", decode_node),
            None => Vec::new(),
        },
        countermeasures: match map.get("countermeasures") {
            Some(node) => decoder.list(node, "`countermeasures`", decode_countermeasure),
            None => Vec::new(),
        },
        span: root.head_span(),
    };
    map.finish(decoder);
    tree
}

fn check_version(decoder: &mut Decoder, map: &mut MapReader<'_>) {
    let Some(node) = map.get("noharm-tree") else {
        decoder.report(
            Diagnostic::error(
                codes::UNSUPPORTED_VERSION,
                "the file does not say which attack-tree format version it uses",
            )
            .at(map.node().head_span())
            .with_help("add `noharm-tree: 1` as the first line"),
        );
        return;
    };
    if !matches!(&node.kind, NodeKind::Number(raw) if raw == "1") {
        let written = node.scalar_text().unwrap_or("this value");
        decoder.report(
            Diagnostic::error(
                codes::UNSUPPORTED_VERSION,
                format!("attack-tree format version `{written}` is not one this noharm reads"),
            )
            .at(node.span)
            .with_help("this version of noharm reads `noharm-tree: 1`"),
        );
    }
}

fn text_value(decoder: &mut Decoder, map: &mut MapReader<'_>, key: &str) -> Option<String> {
    let what = format!("`{key}`");
    map.get(key)
        .and_then(|node| decoder.text(node, &what))
        .map(|text| text.value)
}

fn decode_node(decoder: &mut Decoder, node: &Node) -> Option<RawNode> {
    let mut map = decoder.map(node, "a node", NODE_FIELDS)?;
    let id = map
        .required(decoder, "id")
        .and_then(|n| decoder.text(n, "a node id"));
    if let Some(id) = &id {
        map.describe_as(format!("node `{}`", id.value));
    }
    let label = text_value(decoder, &mut map, "label");
    let kind = decode_kind(decoder, &mut map);
    map.finish(decoder);
    Some(RawNode {
        id: id?,
        label,
        kind: kind.unwrap_or(RawKind::Broken),
    })
}

fn decode_kind(decoder: &mut Decoder, map: &mut MapReader<'_>) -> Option<RawKind> {
    let gates: Vec<(Gate, &Node, Span)> = GATE_KEYS
        .iter()
        .filter_map(|&(key, gate)| Some((gate, map.get(key)?, map.key_span(key)?)))
        .collect();
    let step_keys: Vec<Span> = STEP_KEYS
        .iter()
        .filter_map(|key| map.key_span(key))
        .collect();
    let what = map.what().to_string();

    if gates.len() > 1 || (!gates.is_empty() && !step_keys.is_empty()) {
        let second = gates
            .get(1)
            .map_or(step_keys.first().copied(), |g| Some(g.2));
        let mut diagnostic = Diagnostic::error(
            codes::AMBIGUOUS_NODE,
            format!("{what} is written both as a gate and as something else"),
        )
        .with_help(
            "a node is one gate (`or`, `and` or `sand`) or one attack step \
             (`cost`, `skill`, `time`, `probability`); split it into two nodes",
        );
        if let Some(span) = second {
            diagnostic = diagnostic.at(span);
        }
        decoder.report(diagnostic);
        return None;
    }
    match gates.first() {
        Some(&(gate, list, key_span)) => decode_gate(decoder, gate, list, key_span, &what),
        None => decode_step(decoder, map).map(RawKind::Step),
    }
}

fn decode_gate(
    decoder: &mut Decoder,
    gate: Gate,
    list: &Node,
    key_span: Span,
    what: &str,
) -> Option<RawKind> {
    let children = decoder.list(list, &format!("the children of {what}"), |d, n| {
        d.text(n, "a child id")
    });
    if children.is_empty() && matches!(list.kind, NodeKind::Seq(_)) {
        decoder.report(
            Diagnostic::error(codes::EMPTY_GATE, format!("{what} has no children"))
                .at(key_span.to(list.span))
                .with_help("list the ids of the nodes it combines, or make it a step"),
        );
        return None;
    }
    Some(RawKind::Gate(gate, children))
}

fn decode_step(decoder: &mut Decoder, map: &mut MapReader<'_>) -> Option<Step> {
    let defaults = Step::default();
    let cost = ranged(decoder, map, "cost", 0.0, f64::INFINITY, false);
    let skill = ranged(decoder, map, "skill", 1.0, 5.0, true);
    let time = ranged(decoder, map, "time", 0.0, f64::INFINITY, false);
    let probability = ranged(decoder, map, "probability", 0.0, 1.0, false);
    Some(Step {
        cost: cost?.unwrap_or(defaults.cost),
        skill: skill?.map_or(defaults.skill, |s| s as u8),
        time: time?.unwrap_or(defaults.time),
        probability: probability?.unwrap_or(defaults.probability),
    })
}

/// An optional number under `key`: `Some(None)` when absent, `None` when
/// present and unusable (reported).
fn ranged(
    decoder: &mut Decoder,
    map: &mut MapReader<'_>,
    key: &str,
    min: f64,
    max: f64,
    whole: bool,
) -> Option<Option<f64>> {
    let Some(node) = map.get(key) else {
        return Some(None);
    };
    let what = format!("`{key}` of {}", map.what());
    let value = number(decoder, node, &what)?;
    let in_range = value >= min && value <= max && (!whole || value.fract() == 0.0);
    if !in_range {
        let range = match (whole, max.is_finite()) {
            (true, _) => format!("a whole number from {min} to {max}"),
            (false, true) => format!("a number from {min} to {max}"),
            (false, false) => format!("a number of {min} or more"),
        };
        decoder.report(
            Diagnostic::error(
                codes::OUT_OF_RANGE,
                format!(
                    "{what} is {}, outside its range",
                    node.scalar_text().unwrap_or("?")
                ),
            )
            .at(node.span)
            .with_help(format!("`{key}` must be {range}")),
        );
        return None;
    }
    Some(Some(value))
}

/// A finite number written as a YAML number.
pub(crate) fn number(decoder: &mut Decoder, node: &Node, what: &str) -> Option<f64> {
    let NodeKind::Number(raw) = &node.kind else {
        decoder.wrong_type(node, "a number", what);
        return None;
    };
    match raw.parse::<f64>() {
        Ok(value) if value.is_finite() => Some(value),
        _ => {
            decoder.report(
                Diagnostic::error("invalid-value", format!("{what} must be a finite number"))
                    .at(node.span),
            );
            None
        }
    }
}

fn decode_countermeasure(decoder: &mut Decoder, node: &Node) -> Option<RawCountermeasure> {
    let mut map = decoder.map(node, "a countermeasure", COUNTERMEASURE_FIELDS)?;
    let id = map
        .required(decoder, "id")
        .and_then(|n| decoder.text(n, "a countermeasure id"));
    if let Some(id) = &id {
        map.describe_as(format!("countermeasure `{}`", id.value));
    }
    let label = text_value(decoder, &mut map, "label");
    let cost = ranged(decoder, &mut map, "cost", 0.0, f64::INFINITY, false);
    let blocks = map
        .required(decoder, "blocks")
        .map(|n| decoder.list(n, "`blocks`", |d, item| d.text(item, "a node id")));
    let applied = match map.get("applied") {
        Some(n) => decoder.bool(n, "`applied`"),
        None => Some(false),
    };
    map.finish(decoder);
    Some(RawCountermeasure {
        id: id?,
        label,
        cost: cost?.unwrap_or(0.0),
        blocks: blocks?,
        applied: applied?,
    })
}

/// Resolves references, picks the root and checks the graph; the tree when
/// nothing went wrong.
fn resolve(decoder: &mut Decoder, raw: RawTree, file_name: &str) -> Option<AttackTree> {
    let index = index_nodes(decoder, &raw.nodes);
    let children = resolve_children(decoder, &raw.nodes, &index);
    let countermeasures = resolve_countermeasures(decoder, &raw.countermeasures, &index);
    let root = pick_root(decoder, &raw, &index, &children)?;
    if report_cycles(decoder, &raw.nodes, &children) {
        return None;
    }
    // With errors, a node written wrongly has lost its children, and what
    // hangs below it would be reported as unreachable for no good reason.
    if decoder.diagnostics().iter().any(Diagnostic::is_error) {
        return None;
    }
    report_unreachable(decoder, &raw.nodes, &children, root);

    let nodes = raw
        .nodes
        .iter()
        .zip(children)
        .map(|(node, children)| tree_node(node, children))
        .collect();
    let id = raw
        .id
        .map_or_else(|| crate::file_stem(file_name), |id| id.value);
    let title = raw.title.unwrap_or_else(|| id.clone());
    match AttackTree::new(id, title, nodes, root, countermeasures?) {
        Ok(tree) => Some(tree),
        Err(error) => {
            decoder.report(Diagnostic::error(codes::INVALID_TREE, error.to_string()).at(raw.span));
            None
        }
    }
}

fn tree_node(node: &RawNode, children: Vec<(NodeId, Span)>) -> TreeNode {
    let label = node.label.clone().unwrap_or_else(|| node.id.value.clone());
    match &node.kind {
        RawKind::Step(step) => TreeNode::step(node.id.value.clone(), label, *step),
        RawKind::Gate(gate, _) => TreeNode::gate(
            node.id.value.clone(),
            label,
            *gate,
            children.into_iter().map(|(id, _)| id).collect(),
        ),
        // Never built: a broken node is an error, and errors stop the tree.
        RawKind::Broken => TreeNode::step(node.id.value.clone(), label, Step::default()),
    }
}

fn index_nodes<'r>(decoder: &mut Decoder, nodes: &'r [RawNode]) -> HashMap<&'r str, usize> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (position, node) in nodes.iter().enumerate() {
        if let Some(&first) = index.get(node.id.as_str()) {
            decoder.report(
                Diagnostic::error(
                    codes::DUPLICATE_ID,
                    format!("two nodes have the id `{}`", node.id.value),
                )
                .at_labeled(node.id.span, "second node")
                .with_secondary(nodes[first].id.span, "first node")
                .with_help("give each node its own id; list a shared node once and refer to it"),
            );
            continue;
        }
        index.insert(node.id.as_str(), position);
    }
    index
}

fn lookup(
    decoder: &mut Decoder,
    index: &HashMap<&str, usize>,
    reference: &Spanned<String>,
    whose: &str,
) -> Option<usize> {
    if let Some(&position) = index.get(reference.as_str()) {
        return Some(position);
    }
    let help = match did_you_mean(reference.as_str(), index.keys().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => "add a node with this id to `nodes`, or fix the reference".to_string(),
    };
    decoder.report(
        Diagnostic::error(
            codes::UNKNOWN_NODE,
            format!(
                "{whose} refers to `{}`, which is not a node",
                reference.value
            ),
        )
        .at(reference.span)
        .with_help(help),
    );
    None
}

fn resolve_children(
    decoder: &mut Decoder,
    nodes: &[RawNode],
    index: &HashMap<&str, usize>,
) -> Vec<Vec<(NodeId, Span)>> {
    nodes
        .iter()
        .map(|node| match &node.kind {
            RawKind::Step(_) | RawKind::Broken => Vec::new(),
            RawKind::Gate(_, references) => references
                .iter()
                .filter_map(|reference| {
                    let whose = format!("node `{}`", node.id.value);
                    lookup(decoder, index, reference, &whose)
                        .map(|position| (NodeId::new(position), reference.span))
                })
                .collect(),
        })
        .collect()
}

fn resolve_countermeasures(
    decoder: &mut Decoder,
    raw: &[RawCountermeasure],
    index: &HashMap<&str, usize>,
) -> Option<Vec<Countermeasure>> {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    let mut resolved = Vec::new();
    for countermeasure in raw {
        if let Some(&first) = seen.get(countermeasure.id.as_str()) {
            decoder.report(
                Diagnostic::error(
                    codes::DUPLICATE_ID,
                    format!(
                        "two countermeasures have the id `{}`",
                        countermeasure.id.value
                    ),
                )
                .at_labeled(countermeasure.id.span, "second countermeasure")
                .with_secondary(first, "first countermeasure")
                .with_help("give each countermeasure its own id"),
            );
        }
        seen.insert(countermeasure.id.as_str(), countermeasure.id.span);
        let whose = format!("countermeasure `{}`", countermeasure.id.value);
        let blocks = countermeasure
            .blocks
            .iter()
            .filter_map(|reference| lookup(decoder, index, reference, &whose).map(NodeId::new))
            .collect();
        resolved.push(Countermeasure {
            id: countermeasure.id.value.clone(),
            label: countermeasure
                .label
                .clone()
                .unwrap_or_else(|| countermeasure.id.value.clone()),
            cost: countermeasure.cost,
            blocks,
            applied: countermeasure.applied,
        });
    }
    Some(resolved)
}

fn pick_root(
    decoder: &mut Decoder,
    raw: &RawTree,
    index: &HashMap<&str, usize>,
    children: &[Vec<(NodeId, Span)>],
) -> Option<NodeId> {
    if let Some(root) = &raw.root {
        return lookup(decoder, index, root, "`root`").map(NodeId::new);
    }
    let mut is_child = vec![false; raw.nodes.len()];
    for (child, _) in children.iter().flatten() {
        is_child[child.index()] = true;
    }
    let tops: Vec<&RawNode> = raw
        .nodes
        .iter()
        .zip(&is_child)
        .filter(|(_, child)| !**child)
        .map(|(node, _)| node)
        .collect();
    if let [only] = tops.as_slice() {
        return index.get(only.id.as_str()).copied().map(NodeId::new);
    }
    report_no_root(decoder, raw, &tops);
    None
}

fn report_no_root(decoder: &mut Decoder, raw: &RawTree, tops: &[&RawNode]) {
    if raw.nodes.is_empty() {
        decoder.report(
            Diagnostic::error(codes::NO_ROOT, "the attack tree has no nodes")
                .at(raw.span)
                .with_help("list the attacker's goal and the steps to it under `nodes:`"),
        );
        return;
    }
    let names: Vec<String> = tops.iter().map(|n| format!("`{}`", n.id.value)).collect();
    let message = if names.is_empty() {
        "every node is the child of another, so none can be the root".to_string()
    } else {
        format!("several nodes could be the root: {}", names.join(", "))
    };
    let mut diagnostic = Diagnostic::error(codes::NO_ROOT, message)
        .at(raw.span)
        .with_help("say which node is the attacker's goal with `root: <node id>`");
    for top in tops.iter().take(5) {
        diagnostic = diagnostic.with_secondary(top.id.span, "no gate lists this node");
    }
    decoder.report(diagnostic);
}

/// Reports each cycle once, with its path; true when there was one.
fn report_cycles(
    decoder: &mut Decoder,
    nodes: &[RawNode],
    children: &[Vec<(NodeId, Span)>],
) -> bool {
    let cycles = find_cycles(children, 10);
    for cycle in &cycles {
        let names: Vec<&str> = cycle
            .iter()
            .map(|&(position, _)| nodes[position].id.as_str())
            .collect();
        let (last, closing) = cycle.last().copied().unwrap_or((0, Span::default()));
        let mut diagnostic = Diagnostic::error(
            codes::TREE_CYCLE,
            format!(
                "node `{}` leads back to itself: {}",
                nodes[last].id.value,
                names.join(" -> ")
            ),
        )
        .at_labeled(closing, "this reference closes the loop")
        .with_help("an attack tree cannot loop; remove one of these references");
        for &(position, _) in cycle.iter().skip(1).take(cycle.len().saturating_sub(2)) {
            diagnostic = diagnostic.with_secondary(nodes[position].id.span, "on the loop");
        }
        decoder.report(diagnostic);
    }
    !cycles.is_empty()
}

/// Up to `max` cycles, each as the nodes along it, starting and ending at the
/// same node, with the span of the reference that leads to each.
fn find_cycles(children: &[Vec<(NodeId, Span)>], max: usize) -> Vec<Vec<(usize, Span)>> {
    // 0: new, 1: on the stack, 2: done.
    let mut marks = vec![0u8; children.len()];
    let mut cycles = Vec::new();
    for start in 0..children.len() {
        if marks[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize, Span)> = vec![(start, 0, Span::default())];
        marks[start] = 1;
        while let Some(frame) = stack.last_mut() {
            let (node, next, _) = *frame;
            let Some(&(child, span)) = children[node].get(next) else {
                marks[node] = 2;
                stack.pop();
                continue;
            };
            frame.1 += 1;
            match marks[child.index()] {
                0 => {
                    marks[child.index()] = 1;
                    stack.push((child.index(), 0, span));
                }
                1 if cycles.len() < max => cycles.push(cycle_from(&stack, child.index(), span)),
                _ => {}
            }
        }
    }
    cycles
}

fn cycle_from(stack: &[(usize, usize, Span)], back_to: usize, closing: Span) -> Vec<(usize, Span)> {
    let start = stack.iter().position(|f| f.0 == back_to).unwrap_or(0);
    stack[start..]
        .iter()
        .map(|&(node, _, span)| (node, span))
        .chain(std::iter::once((back_to, closing)))
        .collect()
}

fn report_unreachable(
    decoder: &mut Decoder,
    nodes: &[RawNode],
    children: &[Vec<(NodeId, Span)>],
    root: NodeId,
) {
    let mut seen = vec![false; nodes.len()];
    let mut queue = vec![root.index()];
    while let Some(node) = queue.pop() {
        if std::mem::replace(&mut seen[node], true) {
            continue;
        }
        queue.extend(children[node].iter().map(|(child, _)| child.index()));
    }
    let root_name = &nodes[root.index()].id.value;
    for (node, _) in nodes.iter().zip(&seen).filter(|(_, seen)| !**seen) {
        decoder.report(
            Diagnostic::warning(
                codes::UNREACHABLE_NODE,
                format!(
                    "node `{}` is not under the root `{root_name}`, so it plays no part",
                    node.id.value
                ),
            )
            .at(node.id.span)
            .with_help("list it as the child of a gate, or remove it"),
        );
    }
}
