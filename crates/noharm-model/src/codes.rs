//! The diagnostic codes of model loading, as documented in
//! `docs/model-format.md`. Codes are part of the interface: scripts match on
//! them, so they never change meaning.

/// The file is not valid YAML or JSON.
pub const SYNTAX: &str = "syntax";
/// The file cannot be read, is empty, binary, not UTF-8 or too large.
pub const UNREADABLE_FILE: &str = "unreadable-file";
/// Nesting or alias expansion beyond the limits.
pub const TOO_COMPLEX: &str = "too-complex";
/// A value of the wrong type.
pub const WRONG_TYPE: &str = "wrong-type";
/// A required key is absent.
pub const MISSING_FIELD: &str = "missing-field";
/// A key the format does not have.
pub const UNKNOWN_FIELD: &str = "unknown-field";
/// The same key twice in a mapping.
pub const DUPLICATE_KEY: &str = "duplicate-key";
/// A value outside its allowed set or range.
pub const INVALID_VALUE: &str = "invalid-value";
/// A format version this build does not read.
pub const UNSUPPORTED_VERSION: &str = "unsupported-version";
/// An id that breaks the id rules.
pub const INVALID_ID: &str = "invalid-id";
/// Two things with the same id.
pub const DUPLICATE_ID: &str = "duplicate-id";
/// A reference to an id that does not exist or is of the wrong kind.
pub const UNKNOWN_REFERENCE: &str = "unknown-reference";
/// A flow from an element to itself.
pub const SELF_FLOW: &str = "self-flow";
/// Boundaries nested in a cycle.
pub const BOUNDARY_CYCLE: &str = "boundary-cycle";
/// No `system` section, or more than one.
pub const MISSING_SYSTEM: &str = "missing-system";
/// An include that cannot be followed.
pub const INCLUDE: &str = "include";
/// A harm no element drives.
pub const UNUSED_HARM: &str = "unused-harm";
/// A store that stores nothing.
pub const EMPTY_STORE: &str = "empty-store";
/// A data asset nothing uses.
pub const UNUSED_DATA: &str = "unused-data";
/// An element with no flows.
pub const ISOLATED_ELEMENT: &str = "isolated-element";
/// A field with no meaning for this kind of element.
pub const MISPLACED_FIELD: &str = "misplaced-field";
/// A tech tag that looks like a misspelt well-known one.
pub const UNKNOWN_TECH: &str = "unknown-tech";
/// A protocol that looks like a misspelt well-known one.
pub const UNKNOWN_PROTOCOL: &str = "unknown-protocol";
