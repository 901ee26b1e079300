/// Bounds that keep parsing hostile input cheap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Deepest nesting of lists and mappings.
    pub max_depth: usize,
    /// Most values in one document, counting each expansion of a YAML alias.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        // A large hospital portfolio model is a few megabytes and nests about
        // six levels deep; these leave ample room while keeping the worst case
        // (an alias bomb, a pathological nesting) to well under a second.
        Limits {
            max_file_bytes: 16 * 1024 * 1024,
            max_depth: 64,
            max_nodes: 1_000_000,
        }
    }
}
