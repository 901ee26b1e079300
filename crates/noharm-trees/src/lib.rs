//! Attack trees for noharm: how an attacker could cause a patient harm, step
//! by step, and what each countermeasure would change.
//!
//! A tree is a DAG of attack steps and OR, AND and sequential-AND gates, with
//! countermeasures that block nodes ([`AttackTree`]). Trees come from three
//! places: the hand-written format ([`read_tree`]), imports from ADTool
//! ([`import_adtool`]) and deciduous ([`import_deciduous`]), and generation
//! from ranked findings ([`trees_from_findings`]). [`analyze`] computes the
//! minimal attack sets and, from them, cost, skill, time and probability,
//! exactly also when subtrees are shared, and the effect of each
//! countermeasure. Results render as text, JSON or Graphviz DOT.
//!
//! Like the rest of noharm, nothing here does I/O or panics on any input:
//! problems in files are [`Diagnostic`]s, and evaluation is bounded by
//! [`EvalLimits`].

mod adtool;
mod builder;
pub mod codes;
mod deciduous;
mod eval;
mod generate;
mod read;
mod render;
mod tree;
mod xml;

pub use adtool::import_adtool;
pub use builder::TreeBuilder;
pub use deciduous::import_deciduous;
pub use eval::{
    Analysis, AttackSet, Best, Effect, EvalError, EvalLimits, analyze, minimal_attack_sets,
};
pub use generate::{EXPLOITABILITY_STEPS, REVIEW_STEP, step_for, trees_from_findings};
pub use read::read_tree;
pub use render::{TreeReport, render_dot, render_text, report};
pub use tree::{
    AttackTree, Countermeasure, Gate, MAX_NODES, Node, NodeId, NodeKind, Step, TreeError,
};

use noharm_syntax::{Diagnostic, FileId, SourceMap};

/// Trees read from one file, and what was wrong or left out on the way.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The trees; none when there were errors.
    pub trees: Vec<AttackTree>,
    /// Errors and warnings, located in the file.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    fn failed(diagnostic: Diagnostic) -> Loaded {
        Loaded {
            trees: Vec::new(),
            diagnostics: vec![diagnostic],
        }
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The formats noharm reads attack trees from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The hand-written format, `noharm-tree: 1`.
    Noharm,
    /// ADTool 2 XML (`<adtree>` or `<sandtree>`).
    AdTool,
    /// Deciduous YAML (`facts`, `attacks`, `mitigations`, `goals`).
    Deciduous,
}

impl Format {
    /// Guesses the format from the file name and text: XML is ADTool, a
    /// `noharm-tree:` key is noharm's own, `attacks:` or `goals:` without it
    /// is deciduous.
    pub fn detect(name: &str, text: &str) -> Format {
        let start = text.trim_start_matches('\u{feff}').trim_start();
        if name.to_ascii_lowercase().ends_with(".xml") || start.starts_with('<') {
            return Format::AdTool;
        }
        let has_key = |key: &str| text.lines().any(|line| line.starts_with(key));
        if has_key("noharm-tree:") {
            Format::Noharm
        } else if ["attacks:", "goals:", "facts:", "mitigations:"]
            .iter()
            .any(|key| has_key(key))
        {
            Format::Deciduous
        } else {
            Format::Noharm
        }
    }
}

/// Reads `file` in `format`.
pub fn load(sources: &SourceMap, file: FileId, format: Format) -> Loaded {
    match format {
        Format::Noharm => read_tree(sources, file),
        Format::AdTool => import_adtool(sources, file),
        Format::Deciduous => import_deciduous(sources, file),
    }
}

/// A tree id from a file name: the name without folders and extensions.
pub(crate) fn file_stem(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = base.split('.').next().unwrap_or(base);
    if stem.is_empty() {
        "tree".to_string()
    } else {
        stem.to_string()
    }
}
