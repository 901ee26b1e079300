//! The noharm threat engine: rule packs as data, a small typed condition
//! language over a model's elements, flows and graph, and the findings the
//! rules produce.
//!
//! The engine does no I/O beyond reading the pack files it is pointed at:
//! [`analyze`] takes a valid [`noharm_model::Model`] and a [`Catalog`] and
//! returns findings plus diagnostics. Built-in packs are compiled in.

mod analyze;
pub mod atlas;
mod catalog;
mod condition;
mod facts;
mod mask;
pub mod rule;
mod statement;
mod vocab;

pub use analyze::{
    Analysis, AnalysisOptions, Exclusion, Finding, FindingStatus, SubjectRef, analyze,
};
pub use atlas::AtlasTable;
pub use catalog::{Catalog, CatalogLoaded, CatalogOptions, builtin_catalog, load_catalog};
pub use rule::{Control, PackInfo, Rule};
pub use statement::Statement;
