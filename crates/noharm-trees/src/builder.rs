//! Building a tree node by node, referring to nodes by their id text.

use std::collections::HashMap;

use crate::tree::{AttackTree, Countermeasure, Node, NodeId, TreeError};

/// Collects nodes and countermeasures, then checks them all at once in
/// [`TreeBuilder::build`].
#[derive(Clone, Debug, Default)]
pub struct TreeBuilder {
    nodes: Vec<Node>,
    names: HashMap<String, NodeId>,
    countermeasures: Vec<Countermeasure>,
}

impl TreeBuilder {
    /// An empty builder.
    pub fn new() -> TreeBuilder {
        TreeBuilder::default()
    }

    /// Adds a node; its id must be new.
    pub fn add(&mut self, node: Node) -> Result<NodeId, TreeError> {
        if self.names.contains_key(&node.id) {
            return Err(TreeError::DuplicateNode(node.id));
        }
        let id = NodeId::new(self.nodes.len());
        self.names.insert(node.id.clone(), id);
        self.nodes.push(node);
        Ok(id)
    }

    /// The node called `name`, if added.
    pub fn find(&self, name: &str) -> Option<NodeId> {
        self.names.get(name).copied()
    }

    /// A node added earlier, to change it.
    pub fn node_mut(&mut self, id: NodeId) -> Option<&mut Node> {
        self.nodes.get_mut(id.index())
    }

    /// How many nodes were added.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether no node was added yet.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Adds a countermeasure.
    pub fn countermeasure(&mut self, countermeasure: Countermeasure) {
        self.countermeasures.push(countermeasure);
    }

    /// The countermeasure called `id`, to change it.
    pub fn countermeasure_mut(&mut self, id: &str) -> Option<&mut Countermeasure> {
        self.countermeasures.iter_mut().find(|c| c.id == id)
    }

    /// Checks everything and returns the tree.
    pub fn build(
        self,
        id: impl Into<String>,
        title: impl Into<String>,
        root: NodeId,
    ) -> Result<AttackTree, TreeError> {
        AttackTree::new(id, title, self.nodes, root, self.countermeasures)
    }
}
