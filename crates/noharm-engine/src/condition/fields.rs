//! The fields a condition can read, their types and vocabularies.

use noharm_model::keywords::{
    ArtifactKind, BoundaryKind, Classification, ClinicalUse, ElementKind, Exposure, Regulation,
    RiskTier, Severity, Stage, UpdatePolicy,
};
use noharm_syntax::Keyword;

/// A fixed or catalog-defined set of words a field draws from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Vocab {
    ElementKind,
    Stage,
    Exposure,
    Updates,
    Classification,
    BoundaryKind,
    ArtifactKind,
    Severity,
    ClinicalUse,
    Regulation,
    RiskTier,
    Tech,
    Protocol,
    Control,
}

impl Vocab {
    /// What the vocabulary is, for messages.
    pub(crate) fn what(self) -> &'static str {
        match self {
            Vocab::ElementKind => ElementKind::WHAT,
            Vocab::Stage => Stage::WHAT,
            Vocab::Exposure => Exposure::WHAT,
            Vocab::Updates => UpdatePolicy::WHAT,
            Vocab::Classification => Classification::WHAT,
            Vocab::BoundaryKind => BoundaryKind::WHAT,
            Vocab::ArtifactKind => ArtifactKind::WHAT,
            Vocab::Severity => Severity::WHAT,
            Vocab::ClinicalUse => ClinicalUse::WHAT,
            Vocab::Regulation => Regulation::WHAT,
            Vocab::RiskTier => RiskTier::WHAT,
            Vocab::Tech => "tech tag",
            Vocab::Protocol => "protocol",
            Vocab::Control => "control",
        }
    }

    /// The words of a fixed vocabulary, in index order; `None` for the ones
    /// the catalog defines.
    pub(crate) fn fixed_words(self) -> Option<Vec<&'static str>> {
        let words = match self {
            Vocab::ElementKind => ElementKind::words().collect(),
            Vocab::Stage => Stage::words().collect(),
            Vocab::Exposure => Exposure::words().collect(),
            Vocab::Updates => UpdatePolicy::words().collect(),
            Vocab::Classification => Classification::words().collect(),
            Vocab::BoundaryKind => BoundaryKind::words().collect(),
            Vocab::ArtifactKind => ArtifactKind::words().collect(),
            Vocab::Severity => Severity::words().collect(),
            Vocab::ClinicalUse => ClinicalUse::words().collect(),
            Vocab::Regulation => Regulation::words().collect(),
            Vocab::RiskTier => RiskTier::words().collect(),
            Vocab::Tech | Vocab::Protocol | Vocab::Control => return None,
        };
        Some(words)
    }

    /// The rank of a word for ordered comparisons, when the vocabulary is
    /// ordered.
    pub(crate) fn rank(self, index: u8) -> Option<u8> {
        match self {
            // Written from the most to the least exposed.
            Vocab::Exposure => Some(3u8.saturating_sub(index)),
            Vocab::Severity | Vocab::RiskTier => Some(index),
            _ => None,
        }
    }

    /// The index of a keyword in its vocabulary.
    pub(crate) fn index_of<K: Keyword + PartialEq>(value: K) -> u8 {
        K::ALL
            .iter()
            .position(|(_, variant)| *variant == value)
            .and_then(|index| u8::try_from(index).ok())
            .unwrap_or(0)
    }
}

/// The type of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FieldType {
    Bool,
    Scalar { vocab: Vocab, optional: bool },
    Set(Vocab),
    Number,
}

impl FieldType {
    pub(crate) fn describe(self) -> String {
        match self {
            FieldType::Bool => "true or false".to_string(),
            FieldType::Scalar { vocab, .. } => format!("one {}", vocab.what()),
            FieldType::Set(vocab) => format!("a set of {}s", vocab.what()),
            FieldType::Number => "a number".to_string(),
        }
    }
}

/// Where a field is read: the subject element, a flow's endpoints, the flow,
/// or the system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    Element,
    Source,
    Target,
    Flow,
    System,
}

/// Aggregates over the flows on one side of an element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SideField {
    Protocols,
    Data,
    Kinds,
    Stages,
    Unauthenticated,
    Unencrypted,
    CrossesBoundary,
    CrossesVendorBoundary,
    FromInternet,
}

/// Aggregates over what an element can reach, or be reached from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReachField {
    Kinds,
    Stages,
    Tech,
    Data,
    Controls,
    DrivesHarm,
    UnreviewedHarm,
    Reviewed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ElementField {
    Kind,
    Stage,
    Exposure,
    Updates,
    Tech,
    Controls,
    Stores,
    Data,
    BoundaryKinds,
    InBoundary,
    VendorOperated,
    ReviewsOutput,
    DrivesHarm,
    HarmSeverity,
    HasFallback,
    Artifacts,
    ArtifactsUnhashed,
    InboundCount,
    OutboundCount,
    Inbound(SideField),
    Outbound(SideField),
    Upstream(ReachField),
    Downstream(ReachField),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FlowField {
    Protocol,
    Authenticated,
    Encrypted,
    AuthenticationKnown,
    EncryptionKnown,
    Data,
    Controls,
    CrossesBoundary,
    CrossesVendorBoundary,
    CrossedKinds,
    LeavesOrganization,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SystemField {
    ClinicalUse,
    Regulated,
    RiskTier,
}

/// A field, resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    Element(Scope, ElementField),
    Flow(FlowField),
    System(SystemField),
}

const fn scalar(vocab: Vocab) -> FieldType {
    FieldType::Scalar {
        vocab,
        optional: false,
    }
}

const fn optional(vocab: Vocab) -> FieldType {
    FieldType::Scalar {
        vocab,
        optional: true,
    }
}

/// Fields of an element, by the name after `element.`, `source.` or `target.`.
pub(crate) const ELEMENT_FIELDS: &[(&str, ElementField, FieldType)] = {
    use ElementField as E;
    use FieldType::{Bool, Number, Set};
    use ReachField as R;
    use SideField as S;
    &[
        ("kind", E::Kind, scalar(Vocab::ElementKind)),
        ("stage", E::Stage, optional(Vocab::Stage)),
        ("exposure", E::Exposure, optional(Vocab::Exposure)),
        ("updates", E::Updates, optional(Vocab::Updates)),
        ("tech", E::Tech, Set(Vocab::Tech)),
        ("controls", E::Controls, Set(Vocab::Control)),
        ("stores", E::Stores, Set(Vocab::Classification)),
        ("data", E::Data, Set(Vocab::Classification)),
        ("boundary_kinds", E::BoundaryKinds, Set(Vocab::BoundaryKind)),
        ("in_boundary", E::InBoundary, Bool),
        ("vendor_operated", E::VendorOperated, Bool),
        ("reviews_output", E::ReviewsOutput, Bool),
        ("drives_harm", E::DrivesHarm, Bool),
        ("harm_severity", E::HarmSeverity, optional(Vocab::Severity)),
        ("has_fallback", E::HasFallback, Bool),
        ("artifacts", E::Artifacts, Set(Vocab::ArtifactKind)),
        ("artifacts_unhashed", E::ArtifactsUnhashed, Bool),
        ("inbound_count", E::InboundCount, Number),
        ("outbound_count", E::OutboundCount, Number),
        (
            "inbound.protocols",
            E::Inbound(S::Protocols),
            Set(Vocab::Protocol),
        ),
        (
            "inbound.data",
            E::Inbound(S::Data),
            Set(Vocab::Classification),
        ),
        (
            "inbound.kinds",
            E::Inbound(S::Kinds),
            Set(Vocab::ElementKind),
        ),
        ("inbound.stages", E::Inbound(S::Stages), Set(Vocab::Stage)),
        (
            "inbound.unauthenticated",
            E::Inbound(S::Unauthenticated),
            Bool,
        ),
        ("inbound.unencrypted", E::Inbound(S::Unencrypted), Bool),
        (
            "inbound.crosses_boundary",
            E::Inbound(S::CrossesBoundary),
            Bool,
        ),
        (
            "inbound.crosses_vendor_boundary",
            E::Inbound(S::CrossesVendorBoundary),
            Bool,
        ),
        ("inbound.from_internet", E::Inbound(S::FromInternet), Bool),
        (
            "outbound.protocols",
            E::Outbound(S::Protocols),
            Set(Vocab::Protocol),
        ),
        (
            "outbound.data",
            E::Outbound(S::Data),
            Set(Vocab::Classification),
        ),
        (
            "outbound.kinds",
            E::Outbound(S::Kinds),
            Set(Vocab::ElementKind),
        ),
        ("outbound.stages", E::Outbound(S::Stages), Set(Vocab::Stage)),
        (
            "outbound.unauthenticated",
            E::Outbound(S::Unauthenticated),
            Bool,
        ),
        ("outbound.unencrypted", E::Outbound(S::Unencrypted), Bool),
        (
            "outbound.crosses_boundary",
            E::Outbound(S::CrossesBoundary),
            Bool,
        ),
        (
            "outbound.crosses_vendor_boundary",
            E::Outbound(S::CrossesVendorBoundary),
            Bool,
        ),
        (
            "upstream.kinds",
            E::Upstream(R::Kinds),
            Set(Vocab::ElementKind),
        ),
        ("upstream.stages", E::Upstream(R::Stages), Set(Vocab::Stage)),
        ("upstream.tech", E::Upstream(R::Tech), Set(Vocab::Tech)),
        (
            "upstream.data",
            E::Upstream(R::Data),
            Set(Vocab::Classification),
        ),
        (
            "upstream.controls",
            E::Upstream(R::Controls),
            Set(Vocab::Control),
        ),
        (
            "downstream.kinds",
            E::Downstream(R::Kinds),
            Set(Vocab::ElementKind),
        ),
        (
            "downstream.stages",
            E::Downstream(R::Stages),
            Set(Vocab::Stage),
        ),
        ("downstream.tech", E::Downstream(R::Tech), Set(Vocab::Tech)),
        (
            "downstream.data",
            E::Downstream(R::Data),
            Set(Vocab::Classification),
        ),
        (
            "downstream.controls",
            E::Downstream(R::Controls),
            Set(Vocab::Control),
        ),
        ("downstream.drives_harm", E::Downstream(R::DrivesHarm), Bool),
        (
            "downstream.unreviewed_harm",
            E::Downstream(R::UnreviewedHarm),
            Bool,
        ),
        ("downstream.reviewed", E::Downstream(R::Reviewed), Bool),
    ]
};

/// Fields of a flow, by the name after `flow.`.
pub(crate) const FLOW_FIELDS: &[(&str, FlowField, FieldType)] = {
    use FieldType::{Bool, Set};
    use FlowField as F;
    &[
        ("protocol", F::Protocol, optional(Vocab::Protocol)),
        ("authenticated", F::Authenticated, Bool),
        ("encrypted", F::Encrypted, Bool),
        ("authentication_known", F::AuthenticationKnown, Bool),
        ("encryption_known", F::EncryptionKnown, Bool),
        ("data", F::Data, Set(Vocab::Classification)),
        ("controls", F::Controls, Set(Vocab::Control)),
        ("crosses_boundary", F::CrossesBoundary, Bool),
        ("crosses_vendor_boundary", F::CrossesVendorBoundary, Bool),
        ("crossed_kinds", F::CrossedKinds, Set(Vocab::BoundaryKind)),
        ("leaves_organization", F::LeavesOrganization, Bool),
    ]
};

/// Fields of the system, by the name after `system.`.
pub(crate) const SYSTEM_FIELDS: &[(&str, SystemField, FieldType)] = &[
    (
        "clinical_use",
        SystemField::ClinicalUse,
        scalar(Vocab::ClinicalUse),
    ),
    (
        "regulated",
        SystemField::Regulated,
        scalar(Vocab::Regulation),
    ),
    ("risk_tier", SystemField::RiskTier, scalar(Vocab::RiskTier)),
];

/// Whether a rule's subjects are elements or flows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SubjectKind {
    Element,
    Flow,
}

/// Every full field path available to rules on `subject`, for suggestions.
pub(crate) fn field_paths(subject: SubjectKind) -> Vec<String> {
    let element_prefixes: &[&str] = match subject {
        SubjectKind::Element => &["element"],
        SubjectKind::Flow => &["source", "target"],
    };
    let mut paths = Vec::new();
    for prefix in element_prefixes {
        paths.extend(
            ELEMENT_FIELDS
                .iter()
                .map(|(name, _, _)| format!("{prefix}.{name}")),
        );
    }
    if subject == SubjectKind::Flow {
        paths.extend(
            FLOW_FIELDS
                .iter()
                .map(|(name, _, _)| format!("flow.{name}")),
        );
    }
    paths.extend(
        SYSTEM_FIELDS
            .iter()
            .map(|(name, _, _)| format!("system.{name}")),
    );
    paths
}

/// Resolves a full path such as `target.stage` for rules on `subject`.
pub(crate) fn resolve(path: &str, subject: SubjectKind) -> Option<(Field, FieldType)> {
    let (scope_name, rest) = path.split_once('.')?;
    let scope = match (scope_name, subject) {
        ("element", SubjectKind::Element) => Scope::Element,
        ("source", SubjectKind::Flow) => Scope::Source,
        ("target", SubjectKind::Flow) => Scope::Target,
        ("flow", SubjectKind::Flow) => Scope::Flow,
        ("system", _) => Scope::System,
        _ => return None,
    };
    match scope {
        Scope::Element | Scope::Source | Scope::Target => ELEMENT_FIELDS
            .iter()
            .find(|(name, _, _)| *name == rest)
            .map(|&(_, field, ty)| (Field::Element(scope, field), ty)),
        Scope::Flow => FLOW_FIELDS
            .iter()
            .find(|(name, _, _)| *name == rest)
            .map(|&(_, field, ty)| (Field::Flow(field), ty)),
        Scope::System => SYSTEM_FIELDS
            .iter()
            .find(|(name, _, _)| *name == rest)
            .map(|&(_, field, ty)| (Field::System(field), ty)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_only_in_their_subject() {
        assert!(resolve("element.stage", SubjectKind::Element).is_some());
        assert!(resolve("element.stage", SubjectKind::Flow).is_none());
        assert!(resolve("target.downstream.unreviewed_harm", SubjectKind::Flow).is_some());
        assert!(resolve("flow.encrypted", SubjectKind::Element).is_none());
        assert!(resolve("system.risk_tier", SubjectKind::Flow).is_some());
        assert!(resolve("element", SubjectKind::Element).is_none());
    }

    #[test]
    fn field_names_are_unique() {
        let mut names: Vec<_> = ELEMENT_FIELDS.iter().map(|(name, _, _)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ELEMENT_FIELDS.len());
    }

    #[test]
    fn exposure_ranks_from_isolated_to_internet() {
        let internet = Vocab::index_of(Exposure::Internet);
        let isolated = Vocab::index_of(Exposure::Isolated);
        assert!(Vocab::Exposure.rank(internet) > Vocab::Exposure.rank(isolated));
    }
}
