//! Diagnostic codes of attack-tree files and imports. They are interface:
//! once published, a code never changes meaning. `docs/attack-trees.md`
//! describes each.
//!
//! Decoding also reports the shared codes of `noharm-syntax`:
//! `wrong-type`, `missing-field`, `unknown-field`, `duplicate-key` and
//! `invalid-value`.

/// The file does not say `noharm-tree: 1`, or says another version.
pub const UNSUPPORTED_VERSION: &str = "unsupported-version";
/// Two nodes, or two countermeasures, have the same id.
pub const DUPLICATE_ID: &str = "duplicate-id";
/// A reference to a node that does not exist.
pub const UNKNOWN_NODE: &str = "unknown-node";
/// Following children leads back to where it started.
pub const TREE_CYCLE: &str = "tree-cycle";
/// A number outside its range (a probability of 1.5, a skill of 7).
pub const OUT_OF_RANGE: &str = "out-of-range";
/// A gate with no children.
pub const EMPTY_GATE: &str = "empty-gate";
/// A node that is both a gate and a step, or two kinds of gate.
pub const AMBIGUOUS_NODE: &str = "ambiguous-node";
/// No node can be the root, or several can and `root:` does not say which.
pub const NO_ROOT: &str = "no-root";
/// A node the root does not lead to; it plays no part (warning).
pub const UNREACHABLE_NODE: &str = "unreachable-node";
/// Something in an imported file that noharm cannot represent and leaves
/// out (warning).
pub const IMPORT_DROPPED: &str = "import-dropped";
/// The file is not of the kind the importer reads.
pub const NOT_AN_ATTACK_TREE: &str = "not-an-attack-tree";
/// The tree breaks a limit of noharm (more than 100000 nodes).
pub const INVALID_TREE: &str = "invalid-tree";
/// The XML is not well-formed.
pub const XML_SYNTAX: &str = "xml-syntax";
/// Evaluation stopped: a node has too many minimal attack sets.
pub const TOO_MANY_ATTACK_SETS: &str = "too-many-attack-sets";
/// Evaluation stopped: it took too many set operations.
pub const TOO_MUCH_WORK: &str = "too-much-work";
