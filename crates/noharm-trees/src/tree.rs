//! The attack tree: a rooted directed acyclic graph of attack steps and
//! gates, with countermeasures that block nodes.
//!
//! Nodes live in one vector and refer to their children by [`NodeId`], so a
//! node can have several parents (a shared subtree). An [`AttackTree`] is
//! only handed out by [`AttackTree::new`], which checks every invariant the
//! evaluation relies on: references in range, no cycle, no empty gate,
//! attributes in range. It also keeps the nodes reachable from the root in
//! post-order (children first), so evaluation never recurses.

use std::collections::HashSet;

use serde::Serialize;
use thiserror::Error;

/// The most nodes a tree may have; large enough for generated trees of a
/// hospital portfolio, small enough to keep evaluation bounded.
pub const MAX_NODES: usize = 100_000;

/// The position of a node in its tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u32);

impl NodeId {
    /// The node at position `index`.
    pub fn new(index: usize) -> NodeId {
        NodeId(u32::try_from(index).unwrap_or(u32::MAX))
    }

    /// The position of the node in [`AttackTree::nodes`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What one attack step takes, and how likely it is to work.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Step {
    /// What the attacker spends, in any currency the tree uses throughout.
    pub cost: f64,
    /// The skill needed, from 1 (anyone) to 5 (a nation-state team).
    pub skill: u8,
    /// How long the step takes, in hours.
    pub time: f64,
    /// The chance that the step succeeds when tried, from 0 to 1.
    pub probability: f64,
}

impl Default for Step {
    /// A free, trivial, instant step that always works.
    fn default() -> Step {
        Step {
            cost: 0.0,
            skill: 1,
            time: 0.0,
            probability: 1.0,
        }
    }
}

impl Step {
    /// The first attribute out of its range, as `(name, value)`.
    pub fn out_of_range(&self) -> Option<(&'static str, String)> {
        if !(self.cost.is_finite() && self.cost >= 0.0) {
            return Some(("cost", self.cost.to_string()));
        }
        if !(1..=5).contains(&self.skill) {
            return Some(("skill", self.skill.to_string()));
        }
        if !(self.time.is_finite() && self.time >= 0.0) {
            return Some(("time", self.time.to_string()));
        }
        if !(0.0..=1.0).contains(&self.probability) {
            return Some(("probability", self.probability.to_string()));
        }
        None
    }
}

/// How a gate combines its children.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Gate {
    /// Any one child achieves the node.
    Or,
    /// Every child is needed, in any order.
    And,
    /// Every child is needed, in the order given (sequential AND).
    Sand,
}

impl Gate {
    /// The gate as written in files and output: `or`, `and`, `sand`.
    pub fn as_str(self) -> &'static str {
        match self {
            Gate::Or => "or",
            Gate::And => "and",
            Gate::Sand => "sand",
        }
    }
}

/// A step or a gate.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// An attack step: a leaf.
    Step(Step),
    /// A gate over other nodes.
    Gate {
        /// How the children combine.
        gate: Gate,
        /// The children, in order (the order matters for [`Gate::Sand`]).
        children: Vec<NodeId>,
    },
}

/// One node of an attack tree.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Unique within the tree.
    pub id: String,
    /// What the attacker achieves or does, in words.
    pub label: String,
    /// A step or a gate.
    pub kind: NodeKind,
}

impl Node {
    /// A step node.
    pub fn step(id: impl Into<String>, label: impl Into<String>, step: Step) -> Node {
        Node {
            id: id.into(),
            label: label.into(),
            kind: NodeKind::Step(step),
        }
    }

    /// A gate node.
    pub fn gate(
        id: impl Into<String>,
        label: impl Into<String>,
        gate: Gate,
        children: Vec<NodeId>,
    ) -> Node {
        Node {
            id: id.into(),
            label: label.into(),
            kind: NodeKind::Gate { gate, children },
        }
    }

    /// The children of a gate; none for a step.
    pub fn children(&self) -> &[NodeId] {
        match &self.kind {
            NodeKind::Step(_) => &[],
            NodeKind::Gate { children, .. } => children,
        }
    }

    /// The step's attributes, for a step.
    pub fn as_step(&self) -> Option<&Step> {
        match &self.kind {
            NodeKind::Step(step) => Some(step),
            NodeKind::Gate { .. } => None,
        }
    }
}

/// A defence that makes the nodes it blocks impossible when applied.
#[derive(Clone, Debug, PartialEq)]
pub struct Countermeasure {
    /// Unique among the tree's countermeasures.
    pub id: String,
    /// What the defence is, in words.
    pub label: String,
    /// What it costs the defender.
    pub cost: f64,
    /// The nodes it blocks.
    pub blocks: Vec<NodeId>,
    /// Whether it is in place.
    pub applied: bool,
}

/// Why a set of nodes is not a usable attack tree.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum TreeError {
    /// Two nodes share an id.
    #[error("two nodes have the id `{0}`")]
    DuplicateNode(String),
    /// Two countermeasures share an id.
    #[error("two countermeasures have the id `{0}`")]
    DuplicateCountermeasure(String),
    /// A reference to a node that does not exist.
    #[error("`{from}` refers to node number {index}, which does not exist")]
    MissingNode {
        /// The node or countermeasure holding the reference.
        from: String,
        /// The index referred to.
        index: usize,
    },
    /// A gate without children.
    #[error("gate `{0}` has no children")]
    EmptyGate(String),
    /// A path that comes back to where it started.
    #[error("the tree loops: {}", .0.join(" -> "))]
    Cycle(Vec<String>),
    /// An attribute outside its range.
    #[error("{what} of `{node}` is {value}, outside its range")]
    OutOfRange {
        /// The node or countermeasure.
        node: String,
        /// The attribute.
        what: &'static str,
        /// The value as written.
        value: String,
    },
    /// More nodes than [`MAX_NODES`].
    #[error("the tree has {0} nodes, more than the {MAX_NODES} noharm evaluates")]
    TooLarge(usize),
}

/// A validated attack tree.
#[derive(Clone, Debug, PartialEq)]
pub struct AttackTree {
    id: String,
    title: String,
    nodes: Vec<Node>,
    root: NodeId,
    countermeasures: Vec<Countermeasure>,
    order: Vec<NodeId>,
}

impl AttackTree {
    /// Checks the parts and assembles a tree.
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        nodes: Vec<Node>,
        root: NodeId,
        countermeasures: Vec<Countermeasure>,
    ) -> Result<AttackTree, TreeError> {
        if nodes.len() > MAX_NODES {
            return Err(TreeError::TooLarge(nodes.len()));
        }
        check_nodes(&nodes)?;
        check_countermeasures(&nodes, &countermeasures)?;
        if root.index() >= nodes.len() {
            return Err(TreeError::MissingNode {
                from: "the root".to_string(),
                index: root.index(),
            });
        }
        let order = post_order(&nodes, root)?;
        Ok(AttackTree {
            id: id.into(),
            title: title.into(),
            nodes,
            root,
            countermeasures,
            order,
        })
    }

    /// The tree's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The attacker's goal, in words.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Every node, reachable from the root or not.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The node `id` points at. Ids come from this tree, so it exists.
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id.index())
    }

    /// The id of the node called `name`.
    pub fn find(&self, name: &str) -> Option<NodeId> {
        self.nodes
            .iter()
            .position(|node| node.id == name)
            .map(NodeId::new)
    }

    /// The root: the attacker's goal.
    pub fn root(&self) -> NodeId {
        self.root
    }

    /// The countermeasures.
    pub fn countermeasures(&self) -> &[Countermeasure] {
        &self.countermeasures
    }

    /// The nodes reachable from the root, children before parents.
    pub fn post_order(&self) -> &[NodeId] {
        &self.order
    }

    /// The id text of a node, for messages and output.
    pub fn name(&self, id: NodeId) -> &str {
        self.node(id).map_or("?", |node| node.id.as_str())
    }

    /// The same tree with countermeasure applied flags replaced.
    pub fn with_applied(&self, applied: &[bool]) -> AttackTree {
        let mut tree = self.clone();
        for (countermeasure, &flag) in tree.countermeasures.iter_mut().zip(applied) {
            countermeasure.applied = flag;
        }
        tree
    }

    /// The tree without the nodes the root does not lead to, and without the
    /// countermeasures that then block nothing.
    pub fn pruned(&self) -> AttackTree {
        let mut new_id = vec![None; self.nodes.len()];
        for (position, &id) in self.order.iter().enumerate() {
            new_id[id.index()] = Some(NodeId::new(position));
        }
        let remap = |ids: &[NodeId]| -> Vec<NodeId> {
            ids.iter().filter_map(|id| new_id[id.index()]).collect()
        };
        let nodes = self
            .order
            .iter()
            .map(|&id| {
                let node = &self.nodes[id.index()];
                let kind = match &node.kind {
                    NodeKind::Step(step) => NodeKind::Step(*step),
                    NodeKind::Gate { gate, children } => NodeKind::Gate {
                        gate: *gate,
                        children: remap(children),
                    },
                };
                Node {
                    id: node.id.clone(),
                    label: node.label.clone(),
                    kind,
                }
            })
            .collect();
        let countermeasures = self
            .countermeasures
            .iter()
            .map(|c| Countermeasure {
                blocks: remap(&c.blocks),
                ..c.clone()
            })
            .filter(|c| !c.blocks.is_empty())
            .collect();
        AttackTree {
            id: self.id.clone(),
            title: self.title.clone(),
            nodes,
            root: NodeId::new(self.order.len().saturating_sub(1)),
            countermeasures,
            order: (0..self.order.len()).map(NodeId::new).collect(),
        }
    }
}

fn check_nodes(nodes: &[Node]) -> Result<(), TreeError> {
    let mut seen = HashSet::new();
    for node in nodes {
        if !seen.insert(node.id.as_str()) {
            return Err(TreeError::DuplicateNode(node.id.clone()));
        }
        match &node.kind {
            NodeKind::Step(step) => {
                if let Some((what, value)) = step.out_of_range() {
                    return Err(TreeError::OutOfRange {
                        node: node.id.clone(),
                        what,
                        value,
                    });
                }
            }
            NodeKind::Gate { children, .. } => {
                if children.is_empty() {
                    return Err(TreeError::EmptyGate(node.id.clone()));
                }
                check_references(&node.id, children, nodes.len())?;
            }
        }
    }
    Ok(())
}

fn check_countermeasures(
    nodes: &[Node],
    countermeasures: &[Countermeasure],
) -> Result<(), TreeError> {
    let mut seen = HashSet::new();
    for countermeasure in countermeasures {
        if !seen.insert(countermeasure.id.as_str()) {
            return Err(TreeError::DuplicateCountermeasure(
                countermeasure.id.clone(),
            ));
        }
        if !(countermeasure.cost.is_finite() && countermeasure.cost >= 0.0) {
            return Err(TreeError::OutOfRange {
                node: countermeasure.id.clone(),
                what: "cost",
                value: countermeasure.cost.to_string(),
            });
        }
        check_references(&countermeasure.id, &countermeasure.blocks, nodes.len())?;
    }
    Ok(())
}

fn check_references(from: &str, references: &[NodeId], len: usize) -> Result<(), TreeError> {
    match references.iter().find(|id| id.index() >= len) {
        Some(bad) => Err(TreeError::MissingNode {
            from: from.to_string(),
            index: bad.index(),
        }),
        None => Ok(()),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    New,
    Open,
    Done,
}

/// Depth-first post-order from the root, without recursion; a node met
/// again while still open closes a cycle.
fn post_order(nodes: &[Node], root: NodeId) -> Result<Vec<NodeId>, TreeError> {
    let mut marks = vec![Mark::New; nodes.len()];
    let mut order = Vec::new();
    // Each frame: the node and how many of its children were visited.
    let mut stack: Vec<(NodeId, usize)> = vec![(root, 0)];
    marks[root.index()] = Mark::Open;

    while let Some(frame) = stack.last_mut() {
        let (id, next) = *frame;
        let children = nodes[id.index()].children();
        let Some(&child) = children.get(next) else {
            marks[id.index()] = Mark::Done;
            order.push(id);
            stack.pop();
            continue;
        };
        frame.1 += 1;
        match marks[child.index()] {
            Mark::Done => {}
            Mark::New => {
                marks[child.index()] = Mark::Open;
                stack.push((child, 0));
            }
            Mark::Open => return Err(TreeError::Cycle(cycle_path(nodes, &stack, child))),
        }
    }
    Ok(order)
}

fn cycle_path(nodes: &[Node], stack: &[(NodeId, usize)], back_to: NodeId) -> Vec<String> {
    let start = stack.iter().position(|&(id, _)| id == back_to).unwrap_or(0);
    stack[start..]
        .iter()
        .map(|&(id, _)| id)
        .chain(std::iter::once(back_to))
        .map(|id| nodes[id.index()].id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(id: &str) -> Node {
        Node::step(id, id, Step::default())
    }

    #[test]
    fn refuses_a_cycle_and_names_it() {
        let nodes = vec![
            Node::gate("a", "a", Gate::Or, vec![NodeId::new(1)]),
            Node::gate("b", "b", Gate::And, vec![NodeId::new(2), NodeId::new(3)]),
            Node::gate("c", "c", Gate::Or, vec![NodeId::new(0)]),
            leaf("d"),
        ];
        let error = AttackTree::new("t", "t", nodes, NodeId::new(0), vec![]).unwrap_err();
        assert_eq!(
            error,
            TreeError::Cycle(vec!["a".into(), "b".into(), "c".into(), "a".into()])
        );
    }

    #[test]
    fn keeps_shared_nodes_once_in_post_order() {
        let nodes = vec![
            Node::gate("root", "r", Gate::And, vec![NodeId::new(1), NodeId::new(2)]),
            Node::gate("x", "x", Gate::Or, vec![NodeId::new(3)]),
            Node::gate("y", "y", Gate::Or, vec![NodeId::new(3)]),
            leaf("shared"),
            leaf("unreachable"),
        ];
        let tree = AttackTree::new("t", "t", nodes, NodeId::new(0), vec![]).unwrap();
        let names: Vec<&str> = tree.post_order().iter().map(|&id| tree.name(id)).collect();
        assert_eq!(names, ["shared", "x", "y", "root"]);

        let pruned = tree.pruned();
        assert_eq!(pruned.nodes().len(), 4);
        assert_eq!(pruned.name(pruned.root()), "root");
        assert_eq!(pruned.post_order().len(), 4);
    }

    #[test]
    fn refuses_out_of_range_values_and_empty_gates() {
        let bad = Step {
            probability: 1.5,
            ..Step::default()
        };
        let error = AttackTree::new(
            "t",
            "t",
            vec![Node::step("a", "a", bad)],
            NodeId::new(0),
            vec![],
        )
        .unwrap_err();
        assert!(matches!(
            error,
            TreeError::OutOfRange {
                what: "probability",
                ..
            }
        ));

        let empty = vec![Node::gate("g", "g", Gate::Or, vec![])];
        let error = AttackTree::new("t", "t", empty, NodeId::new(0), vec![]).unwrap_err();
        assert_eq!(error, TreeError::EmptyGate("g".into()));
    }
}
