//! Import of deciduous attack trees (YAML with `facts`, `attacks`,
//! `mitigations` and `goals`), one noharm tree per goal.
//!
//! Deciduous draws a graph from `reality` to the goals: each node lists the
//! nodes it comes `from`. noharm reads it as follows (`docs/attack-trees.md`
//! has the details):
//!
//! - an attack is an attack step, carried out once the attacker has reached
//!   any node it comes from: `SAND(OR(from...), step)`;
//! - a fact is a state, reached with any node it comes from: `OR(from...)`;
//! - a mitigation is a state too (the attack paths drawn out of it are the
//!   ways around it), and a countermeasure: it blocks the other edges out of
//!   the nodes it is drawn from, applied unless that edge says
//!   `implemented: false`;
//! - a goal is the root of one tree: `OR(from...)`.
//!
//! `backwards` edges (drawn against the flow for layout) and edges that close
//! a loop are left out, as are references to undeclared nodes; each is
//! reported as an `import-dropped` warning.

use std::collections::HashMap;

use noharm_syntax::{
    Diagnostic, FileId, Limits, Node, NodeKind, SourceMap, Span, did_you_mean, parse_yaml,
};

use crate::builder::TreeBuilder;
use crate::codes;
use crate::tree::{Countermeasure, Gate, Node as TreeNode, NodeId, Step};
use crate::{AttackTree, Loaded};

const SECTIONS: &[(&str, Kind)] = &[
    ("facts", Kind::Fact),
    ("attacks", Kind::Attack),
    ("mitigations", Kind::Mitigation),
    ("goals", Kind::Goal),
];
/// Display settings of deciduous with no bearing on the analysis.
const DISPLAY_KEYS: &[&str] = &["title", "theme", "dark", "filter"];
const EDGE_FLAGS: &[&str] = &["backwards", "ungrouped", "implemented"];
const REALITY: &str = "reality";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Fact,
    Attack,
    Mitigation,
    Goal,
}

struct Declared {
    name: String,
    label: String,
    kind: Kind,
    from: Vec<Edge>,
    span: Span,
}

struct Edge {
    from: String,
    backwards: bool,
    implemented: bool,
    span: Span,
}

/// Where an edge comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Reality,
    Node(usize),
}

struct Pred {
    source: Source,
    implemented: bool,
}

/// How the attacker gets to a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reach {
    /// Without any step: from reality.
    Start,
    /// By achieving this tree node.
    Node(NodeId),
    /// Not at all.
    Never,
}

/// Reads a deciduous YAML file as one attack tree per goal.
pub fn import_deciduous(sources: &SourceMap, file: FileId) -> Loaded {
    let root = match parse_yaml(sources.file(file), file, &Limits::default()) {
        Ok(root) => root,
        Err(diagnostic) => return Loaded::failed(*diagnostic),
    };
    let mut diagnostics = Vec::new();
    let declared = read_document(&root, &mut diagnostics);
    let trees = if declared.iter().any(|d| d.kind == Kind::Goal) {
        Build::new(&declared, &mut diagnostics).trees()
    } else {
        diagnostics.push(
            Diagnostic::error(codes::NOT_AN_ATTACK_TREE, "the file declares no `goals`")
                .at(root.head_span())
                .with_help("a deciduous tree lists the attacker's goals under `goals:`"),
        );
        Vec::new()
    };
    Loaded { trees, diagnostics }
}

fn dropped(diagnostics: &mut Vec<Diagnostic>, span: Span, message: String) {
    diagnostics.push(Diagnostic::warning(codes::IMPORT_DROPPED, message).at(span));
}

fn read_document(root: &Node, diagnostics: &mut Vec<Diagnostic>) -> Vec<Declared> {
    let NodeKind::Map(entries) = &root.kind else {
        diagnostics.push(
            Diagnostic::error(
                codes::NOT_AN_ATTACK_TREE,
                format!(
                    "expected a mapping of deciduous sections, found {}",
                    root.describe()
                ),
            )
            .at(root.head_span()),
        );
        return Vec::new();
    };
    let mut declared = Vec::new();
    for entry in entries {
        let key = entry.key.scalar_text().unwrap_or("");
        match SECTIONS.iter().find(|(name, _)| *name == key) {
            Some(&(_, kind)) => read_section(&entry.value, kind, &mut declared, diagnostics),
            None if DISPLAY_KEYS.contains(&key) => {}
            None => dropped(
                diagnostics,
                entry.key.span,
                format!("`{key}` is left out; noharm reads facts, attacks, mitigations and goals"),
            ),
        }
    }
    declared
}

fn read_section(
    node: &Node,
    kind: Kind,
    out: &mut Vec<Declared>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let items: &[Node] = match &node.kind {
        NodeKind::Seq(items) => items,
        NodeKind::Null => &[],
        _ => {
            dropped(
                diagnostics,
                node.span,
                format!(
                    "a section holding {} is left out; expected a list",
                    node.describe()
                ),
            );
            return;
        }
    };
    for item in items {
        if let Some(declared) = read_declaration(item, kind, diagnostics) {
            out.push(declared);
        }
    }
}

fn read_declaration(
    item: &Node,
    kind: Kind,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Declared> {
    if let Some(name) = item.scalar_text() {
        return Some(Declared {
            name: name.to_string(),
            label: default_label(name),
            kind,
            from: Vec::new(),
            span: item.span,
        });
    }
    let NodeKind::Map(entries) = &item.kind else {
        dropped(
            diagnostics,
            item.span,
            format!(
                "{} in a section is left out; expected `name: label`",
                item.describe()
            ),
        );
        return None;
    };
    let (first, rest) = entries.split_first()?;
    let name = first.key.scalar_text()?.to_string();
    let label = first
        .value
        .scalar_text()
        .map_or_else(|| default_label(&name), str::to_string);
    let mut from = Vec::new();
    for entry in rest {
        match entry.key.scalar_text() {
            Some("from") => from = read_edges(&entry.value, diagnostics),
            other => dropped(
                diagnostics,
                entry.key.span,
                format!("`{}` of `{name}` is left out", other.unwrap_or("?")),
            ),
        }
    }
    Some(Declared {
        name,
        label,
        kind,
        from,
        span: first.key.span,
    })
}

/// Deciduous's own default: underscores to spaces, first letter capital.
fn default_label(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn read_edges(node: &Node, diagnostics: &mut Vec<Diagnostic>) -> Vec<Edge> {
    let items: &[Node] = match &node.kind {
        NodeKind::Seq(items) => items,
        _ => {
            if !node.is_null() {
                dropped(
                    diagnostics,
                    node.span,
                    "`from` is not a list and is left out".to_string(),
                );
            }
            return Vec::new();
        }
    };
    items
        .iter()
        .filter_map(|item| read_edge(item, diagnostics))
        .collect()
}

fn read_edge(item: &Node, diagnostics: &mut Vec<Diagnostic>) -> Option<Edge> {
    if let Some(name) = item.scalar_text() {
        return Some(Edge {
            from: name.to_string(),
            backwards: false,
            implemented: true,
            span: item.span,
        });
    }
    let NodeKind::Map(entries) = &item.kind else {
        dropped(
            diagnostics,
            item.span,
            format!("{} in `from` is left out", item.describe()),
        );
        return None;
    };
    let flag = |name: &str| {
        entries
            .iter()
            .find(|e| e.key.scalar_text() == Some(name))
            .and_then(|e| match e.value.kind {
                NodeKind::Bool(value) => Some(value),
                _ => None,
            })
    };
    let target = entries.iter().find(|e| {
        e.key
            .scalar_text()
            .is_some_and(|k| !EDGE_FLAGS.contains(&k))
    })?;
    Some(Edge {
        from: target.key.scalar_text()?.to_string(),
        backwards: flag("backwards").unwrap_or(false),
        implemented: flag("implemented").unwrap_or(true),
        span: target.key.span,
    })
}

/// The graph as noharm reads it, and the trees built from it.
struct Build<'d> {
    declared: &'d [Declared],
    diagnostics: &'d mut Vec<Diagnostic>,
    preds: Vec<Vec<Pred>>,
    /// For each node, and reality last: the mitigations drawn from it, with
    /// whether that edge is implemented.
    mitigations: Vec<Vec<(usize, bool)>>,
    builder: TreeBuilder,
    reach: Vec<Reach>,
    start: Option<NodeId>,
    /// Declarations left out: a second use of a name.
    ignored: Vec<bool>,
}

impl<'d> Build<'d> {
    fn new(declared: &'d [Declared], diagnostics: &'d mut Vec<Diagnostic>) -> Build<'d> {
        let mut build = Build {
            declared,
            diagnostics,
            preds: Vec::new(),
            mitigations: vec![Vec::new(); declared.len() + 1],
            builder: TreeBuilder::new(),
            reach: vec![Reach::Never; declared.len()],
            start: None,
            ignored: vec![false; declared.len()],
        };
        let index = build.index();
        build.preds = declared
            .iter()
            .enumerate()
            .map(|(position, node)| {
                if build.ignored[position] {
                    Vec::new()
                } else {
                    build.resolve_edges(node, &index)
                }
            })
            .collect();
        build
    }

    /// Positions by name; a name declared again is reported, and the later
    /// declaration keeps no edges, so it plays no part.
    fn index(&mut self) -> HashMap<&'d str, usize> {
        let mut index = HashMap::new();
        for (position, node) in self.declared.iter().enumerate() {
            if index.contains_key(node.name.as_str()) || node.name == REALITY {
                dropped(
                    self.diagnostics,
                    node.span,
                    format!(
                        "`{}` is declared twice (or is `reality`); this declaration is left out",
                        node.name
                    ),
                );
                self.ignored[position] = true;
                continue;
            }
            index.insert(node.name.as_str(), position);
        }
        index
    }

    fn resolve_edges(&mut self, node: &Declared, index: &HashMap<&str, usize>) -> Vec<Pred> {
        let mut preds = Vec::new();
        for edge in &node.from {
            if edge.backwards {
                dropped(
                    self.diagnostics,
                    edge.span,
                    format!(
                        "the backwards edge from `{}` to `{}` is left out: it points back up the attack",
                        edge.from, node.name
                    ),
                );
                continue;
            }
            let source = if edge.from == REALITY {
                Source::Reality
            } else if let Some(&position) = index.get(edge.from.as_str()) {
                Source::Node(position)
            } else {
                let hint = did_you_mean(&edge.from, index.keys().copied().chain([REALITY]))
                    .map_or_else(String::new, |close| format!("; did you mean `{close}`?"));
                dropped(
                    self.diagnostics,
                    edge.span,
                    format!(
                        "`{}` comes from `{}`, which is not declared; the edge is left out{hint}",
                        node.name, edge.from
                    ),
                );
                continue;
            };
            preds.push(Pred {
                source,
                implemented: edge.implemented,
            });
        }
        preds
    }

    fn trees(mut self) -> Vec<AttackTree> {
        let order = self.order();
        self.collect_mitigations();
        for position in order {
            if !self.ignored[position] {
                self.reach[position] = self.reach_node(position);
            }
        }
        let goals: Vec<usize> = (0..self.declared.len())
            .filter(|&p| self.declared[p].kind == Kind::Goal && !self.ignored[p])
            .collect();
        goals
            .into_iter()
            .filter_map(|goal| self.goal_tree(goal))
            .collect()
    }

    /// Nodes with every predecessor first. The walk follows edges forward,
    /// from reality first, so an edge that leads back to a node on the way
    /// closes a loop; it is dropped.
    fn order(&mut self) -> Vec<usize> {
        let reality = self.declared.len();
        // Successors of each node, and of reality last: (node, edge index).
        let mut successors: Vec<Vec<(usize, usize)>> = vec![Vec::new(); reality + 1];
        for (node, preds) in self.preds.iter().enumerate() {
            for (edge, pred) in preds.iter().enumerate() {
                match pred.source {
                    Source::Reality => successors[reality].push((node, edge)),
                    Source::Node(source) if source < reality => {
                        successors[source].push((node, edge))
                    }
                    Source::Node(_) => {}
                }
            }
        }
        let mut marks = vec![0u8; reality + 1];
        let mut finished = Vec::new();
        for start in std::iter::once(reality).chain(0..reality) {
            if marks[start] == 0 {
                self.walk(start, &successors, &mut marks, &mut finished);
            }
        }
        finished.retain(|&node| node < reality);
        finished.reverse();
        finished
    }

    /// Depth-first from `start` along `successors`, without recursion.
    fn walk(
        &mut self,
        start: usize,
        successors: &[Vec<(usize, usize)>],
        marks: &mut [u8],
        finished: &mut Vec<usize>,
    ) {
        marks[start] = 1;
        let mut stack = vec![(start, 0usize)];
        while let Some(&(node, next)) = stack.last() {
            let Some(&(to, edge)) = successors[node].get(next) else {
                marks[node] = 2;
                finished.push(node);
                stack.pop();
                continue;
            };
            if let Some(frame) = stack.last_mut() {
                frame.1 += 1;
            }
            match marks[to] {
                0 => {
                    marks[to] = 1;
                    stack.push((to, 0));
                }
                1 => self.drop_loop_edge(to, edge),
                _ => {}
            }
        }
    }

    fn drop_loop_edge(&mut self, node: usize, edge: usize) {
        let Some(pred) = self.preds[node].get_mut(edge) else {
            return;
        };
        let Source::Node(source) = pred.source else {
            return;
        };
        // Keep the slot so the walk's positions stay valid; it leads nowhere.
        pred.source = Source::Node(usize::MAX);
        let (from, to) = (&self.declared[source], &self.declared[node]);
        dropped(
            self.diagnostics,
            to.span,
            format!(
                "the edge from `{}` to `{}` closes a loop and is left out",
                from.name, to.name
            ),
        );
    }

    fn collect_mitigations(&mut self) {
        let reality = self.declared.len();
        for (position, node) in self.declared.iter().enumerate() {
            if node.kind != Kind::Mitigation {
                continue;
            }
            for pred in &self.preds[position] {
                let slot = match pred.source {
                    Source::Reality => reality,
                    Source::Node(source) if source < reality => source,
                    Source::Node(_) => continue,
                };
                self.mitigations[slot].push((position, pred.implemented));
            }
        }
    }

    fn reach_node(&mut self, position: usize) -> Reach {
        let node = &self.declared[position];
        if node.from.is_empty() && node.kind != Kind::Goal {
            dropped(
                self.diagnostics,
                node.span,
                format!("`{}` has no `from`, so no attack leads to it", node.name),
            );
        }
        let mut ways = Vec::new();
        let preds: Vec<(Source, bool)> = self.preds[position]
            .iter()
            .map(|p| (p.source, p.implemented))
            .collect();
        for (source, _) in preds {
            let way = self.edge_reach(source, position);
            ways.push(way);
        }
        let combined = self.any_of(position, ways);
        match (node.kind, combined) {
            (Kind::Attack, Reach::Never) => Reach::Never,
            (Kind::Attack, before) => self.attack(position, before),
            (_, reach) => reach,
        }
    }

    /// How the attacker gets along the edge from `source` to node `to`: the
    /// source's reach, behind the mitigations drawn from the source unless
    /// `to` is itself one of them.
    fn edge_reach(&mut self, source: Source, to: usize) -> Reach {
        let (reach, slot, from_name) = match source {
            Source::Reality => (Reach::Start, self.declared.len(), REALITY.to_string()),
            Source::Node(s) if s < self.declared.len() => {
                (self.reach[s], s, self.declared[s].name.clone())
            }
            Source::Node(_) => return Reach::Never,
        };
        if reach == Reach::Never
            || self.declared[to].kind == Kind::Mitigation
            || self.mitigations[slot].is_empty()
        {
            return reach;
        }
        let child = match reach {
            Reach::Node(id) => id,
            _ => match self.start_step() {
                Some(id) => id,
                None => return Reach::Never,
            },
        };
        let to_node = &self.declared[to];
        let id = format!("{from_name}->{}", to_node.name);
        let label = format!("go on from {from_name} to {}", to_node.label);
        let Some(edge) = self.add(
            TreeNode::gate(id, label, Gate::Or, vec![child]),
            to_node.span,
        ) else {
            return Reach::Never;
        };
        for (mitigation, implemented) in self.mitigations[slot].clone() {
            self.block(mitigation, implemented, edge);
        }
        Reach::Node(edge)
    }

    fn block(&mut self, mitigation: usize, implemented: bool, edge: NodeId) {
        let declared = &self.declared[mitigation];
        let (id, label) = if implemented {
            (declared.name.clone(), declared.label.clone())
        } else {
            (
                format!("{}:not-implemented", declared.name),
                format!("{} (not implemented)", declared.label),
            )
        };
        match self.builder.countermeasure_mut(&id) {
            Some(existing) => existing.blocks.push(edge),
            None => self.builder.countermeasure(Countermeasure {
                id,
                label,
                cost: 0.0,
                blocks: vec![edge],
                applied: implemented,
            }),
        }
    }

    fn any_of(&mut self, position: usize, ways: Vec<Reach>) -> Reach {
        if ways.contains(&Reach::Start) {
            return Reach::Start;
        }
        let nodes: Vec<NodeId> = ways
            .into_iter()
            .filter_map(|way| match way {
                Reach::Node(id) => Some(id),
                _ => None,
            })
            .collect();
        match nodes.as_slice() {
            [] => Reach::Never,
            [only] => Reach::Node(*only),
            _ => {
                let node = &self.declared[position];
                let gate = TreeNode::gate(
                    format!("{}.from", node.name),
                    format!("any way to {}", node.label),
                    Gate::Or,
                    nodes,
                );
                self.add(gate, node.span).map_or(Reach::Never, Reach::Node)
            }
        }
    }

    fn attack(&mut self, position: usize, before: Reach) -> Reach {
        let node = &self.declared[position];
        let Some(step) = self.add(
            TreeNode::step(node.name.clone(), node.label.clone(), Step::default()),
            node.span,
        ) else {
            return Reach::Never;
        };
        let Reach::Node(before) = before else {
            return Reach::Node(step);
        };
        let gate = TreeNode::gate(
            format!("{}.reached", node.name),
            format!("{}, once in position", node.label),
            Gate::Sand,
            vec![before, step],
        );
        self.add(gate, node.span).map_or(Reach::Never, Reach::Node)
    }

    fn start_step(&mut self) -> Option<NodeId> {
        if self.start.is_none() {
            let step = TreeNode::step(
                REALITY,
                "Reality: where every attack starts",
                Step::default(),
            );
            self.start = self.add(step, Span::default());
        }
        self.start
    }

    fn goal_tree(&mut self, goal: usize) -> Option<AttackTree> {
        let node = &self.declared[goal];
        let root = match self.reach[goal] {
            Reach::Node(id) => id,
            Reach::Never => {
                dropped(
                    self.diagnostics,
                    node.span,
                    format!(
                        "goal `{}` cannot be reached from reality; no tree is made for it",
                        node.name
                    ),
                );
                return None;
            }
            Reach::Start => {
                dropped(
                    self.diagnostics,
                    node.span,
                    format!("goal `{}` is reached without any attack step", node.name),
                );
                let step = TreeNode::step(
                    format!("{}.free", node.name),
                    "no attack step needed",
                    Step::default(),
                );
                self.add(step, node.span)?
            }
        };
        match self
            .builder
            .clone()
            .build(node.name.clone(), node.label.clone(), root)
        {
            Ok(tree) => Some(tree.pruned()),
            Err(error) => {
                self.diagnostics
                    .push(Diagnostic::error(codes::INVALID_TREE, error.to_string()).at(node.span));
                None
            }
        }
    }

    fn add(&mut self, node: TreeNode, span: Span) -> Option<NodeId> {
        match self.builder.add(node) {
            Ok(id) => Some(id),
            Err(error) => {
                dropped(
                    self.diagnostics,
                    span,
                    format!("{error}; the node is left out"),
                );
                None
            }
        }
    }
}
