//! The system model of a clinical AI system, as noharm reads it from YAML or
//! JSON files: its types, loading with includes, and validation that reports
//! every problem with its file, line and column.
//!
//! The entry point is [`load`] (or [`Loader`] for other file systems and
//! limits). A [`Model`] it returns is valid: ids are unique and every
//! reference resolves, so consumers can rely on lookups succeeding.

pub mod codes;
mod decode;
pub mod keywords;
mod load;
pub mod model;
mod schema;
mod validate;

pub use decode::{SUPPORTED_VERSIONS, is_valid_id};
pub use load::{DiskFileSystem, FileSystem, Loaded, Loader, MemoryFileSystem, ReadError, load};
pub use model::{
    Artifact, Assumption, Boundary, DataAsset, Element, Flow, Harm, Id, Model, ModelFile, System,
    derived_risk_tier,
};
pub use schema::model_json_schema;
