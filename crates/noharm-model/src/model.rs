//! The types of a system model. A [`Model`] returned by the loader is valid:
//! every reference resolves and ids are unique, so consumers may index it
//! without checking again.

use noharm_syntax::Spanned;
use schemars::JsonSchema;
use serde::Serialize;

use crate::keywords::{
    ArtifactKind, BoundaryKind, Classification, ClinicalUse, ElementKind, Exposure, FailureMode,
    Regulation, RiskTier, Severity, Stage, UpdatePolicy,
};

/// An identifier, with where it was written.
pub type Id = Spanned<String>;

/// One clinical AI system, merged from its root file and includes.
#[derive(Clone, Debug, Serialize)]
pub struct Model {
    /// The system.
    pub system: System,
    /// What can happen to a patient.
    pub harms: Vec<Harm>,
    /// Data assets.
    pub data: Vec<DataAsset>,
    /// Trust boundaries.
    pub boundaries: Vec<Boundary>,
    /// Actors, external systems, processes, stores and models.
    pub elements: Vec<Element>,
    /// Data flows.
    pub flows: Vec<Flow>,
    /// Versioned artifacts.
    pub artifacts: Vec<Artifact>,
    /// Assumptions that scope threats out.
    pub assumptions: Vec<Assumption>,
}

impl Model {
    /// The element with id `id`.
    pub fn element(&self, id: &str) -> Option<&Element> {
        self.elements
            .iter()
            .find(|element| element.id.as_str() == id)
    }

    /// The flow with id `id`.
    pub fn flow(&self, id: &str) -> Option<&Flow> {
        self.flows.iter().find(|flow| flow.id.as_str() == id)
    }

    /// The harm with id `id`.
    pub fn harm(&self, id: &str) -> Option<&Harm> {
        self.harms.iter().find(|harm| harm.id.as_str() == id)
    }

    /// The data asset with id `id`.
    pub fn data_asset(&self, id: &str) -> Option<&DataAsset> {
        self.data.iter().find(|asset| asset.id.as_str() == id)
    }

    /// The boundary with id `id`.
    pub fn boundary(&self, id: &str) -> Option<&Boundary> {
        self.boundaries
            .iter()
            .find(|boundary| boundary.id.as_str() == id)
    }
}

/// One model file as written: a root file or an include.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
#[schemars(
    title = "noharm model",
    description = "A noharm threat model of a clinical AI system",
    extend("additionalProperties" = false, "patternProperties" = {"^x-": {}})
)]
pub struct ModelFile {
    /// Format version; `1` is the only version so far.
    #[schemars(range(min = 1, max = 1))]
    pub noharm: u32,
    /// Other model files merged into this one, relative to this file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<Spanned<String>>,
    /// The system being modelled; exactly once across a model's files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<System>,
    /// What can happen to a patient.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub harms: Vec<Harm>,
    /// Data assets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<DataAsset>,
    /// Trust boundaries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub boundaries: Vec<Boundary>,
    /// Actors, external systems, processes, stores and models.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<Element>,
    /// Data flows between elements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flows: Vec<Flow>,
    /// Versioned things the model is tied to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<Artifact>,
    /// Statements that scope threats out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<Assumption>,
    /// Whether the file's top level is a mapping at all.
    #[serde(skip)]
    #[schemars(skip)]
    pub(crate) is_mapping: bool,
    /// Whether the file has a `system` key, decodable or not.
    #[serde(skip)]
    #[schemars(skip)]
    pub(crate) has_system_section: bool,
}

/// The system being modelled.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[schemars(extend("additionalProperties" = false, "patternProperties" = {"^x-": {}}))]
pub struct System {
    /// Stable identifier.
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"))]
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who it is for and what it does.
    pub intended_use: String,
    /// How directly its output affects care.
    pub clinical_use: ClinicalUse,
    /// Regulatory status.
    #[serde(default = "default_regulation")]
    pub regulated: Regulation,
    /// Risk tier; derived from clinical use and regulation when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_tier: Option<RiskTier>,
    /// Clinical service line, e.g. `critical-care`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_line: Option<String>,
    /// Accountable team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Vendor whose product this is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// Product name and version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
}

fn default_regulation() -> Regulation {
    Regulation::None
}

impl System {
    /// The risk tier: the one set in the file, or the one that follows from
    /// clinical use and regulation.
    pub fn effective_risk_tier(&self) -> RiskTier {
        self.risk_tier
            .unwrap_or_else(|| derived_risk_tier(self.clinical_use, self.regulated))
    }
}

/// The risk tier that follows from clinical use and regulation.
pub fn derived_risk_tier(clinical_use: ClinicalUse, regulated: Regulation) -> RiskTier {
    let is_regulated = regulated != Regulation::None;
    match clinical_use {
        ClinicalUse::Diagnostic | ClinicalUse::Therapeutic | ClinicalUse::DeviceControl => {
            RiskTier::High
        }
        ClinicalUse::DecisionSupport if is_regulated => RiskTier::High,
        ClinicalUse::DecisionSupport => RiskTier::Moderate,
        ClinicalUse::Operational | ClinicalUse::Administrative if is_regulated => {
            RiskTier::Moderate
        }
        ClinicalUse::Operational | ClinicalUse::Administrative => RiskTier::Low,
    }
}

/// Something that can happen to a patient.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[schemars(extend("additionalProperties" = false, "patternProperties" = {"^x-": {}}))]
pub struct Harm {
    /// Stable identifier.
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"))]
    pub id: Id,
    /// Short name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What happens to the patient.
    pub description: String,
    /// How badly it hurts.
    pub severity: Severity,
    /// The failures that cause it.
    #[schemars(length(min = 1))]
    pub modes: Vec<FailureMode>,
}

/// A data asset.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[schemars(extend("additionalProperties" = false, "patternProperties" = {"^x-": {}}))]
pub struct DataAsset {
    /// Stable identifier.
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"))]
    pub id: Id,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What kind of data.
    pub classification: Classification,
    /// Roughly how many patients' or people's records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records: Option<u64>,
}

/// A trust boundary.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[schemars(extend("additionalProperties" = false, "patternProperties" = {"^x-": {}}))]
pub struct Boundary {
    /// Stable identifier.
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"))]
    pub id: Id,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What kind of boundary.
    pub kind: BoundaryKind,
    /// The boundary this one sits inside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Id>,
    /// The vendor running it; required for vendor boundaries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
}

/// An actor, external system, process, store or model.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[schemars(extend("additionalProperties" = false, "patternProperties" = {"^x-": {}}))]
pub struct Element {
    /// Stable identifier.
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"))]
    pub id: Id,
    /// What kind of element.
    pub kind: ElementKind,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The innermost trust boundary it sits in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary: Option<Id>,
    /// Its AI lifecycle stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// Technology tags (`llm`, `rag`, `classifier`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tech: Vec<Spanned<String>>,
    /// Data kept at rest (stores only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stores: Vec<Id>,
    /// Data handled in memory.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub processes: Vec<Id>,
    /// Controls in place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Spanned<String>>,
    /// Who can reach it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposure: Option<Exposure>,
    /// Harms its output can cause: a decision point.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drives: Vec<Id>,
    /// A human reviews what reaches it before acting.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reviews_output: bool,
    /// Vendor running it; defaults to its vendor boundary's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// How its model or software changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updates: Option<UpdatePolicy>,
    /// What clinicians do when it is down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
    /// Free tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

impl Element {
    /// The name to show people: its name, or its id.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(self.id.as_str())
    }

    /// Whether a control is in place.
    pub fn has_control(&self, control: &str) -> bool {
        self.controls.iter().any(|item| item.as_str() == control)
    }

    /// Whether it carries a technology tag.
    pub fn has_tech(&self, tech: &str) -> bool {
        self.tech.iter().any(|item| item.as_str() == tech)
    }
}

/// A data flow between two elements.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[schemars(extend("additionalProperties" = false, "patternProperties" = {"^x-": {}}))]
pub struct Flow {
    /// Stable identifier.
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"))]
    pub id: Id,
    /// Source element.
    pub from: Id,
    /// Destination element.
    pub to: Id,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Data carried.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<Id>,
    /// Protocol (`https`, `hl7v2`, `dicom`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// Whether the sender authenticates; absent means not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticated: Option<bool>,
    /// Whether the channel is encrypted; absent means not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    /// Controls on the flow itself (`mtls`, `message-signing`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Spanned<String>>,
}

impl Flow {
    /// The name to show people: its name, or its id.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(self.id.as_str())
    }
}

/// A versioned thing the model is tied to.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[schemars(extend("additionalProperties" = false, "patternProperties" = {"^x-": {}}))]
pub struct Artifact {
    /// Stable identifier.
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"))]
    pub id: Id,
    /// What kind of artifact.
    pub kind: ArtifactKind,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The element it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<Id>,
    /// Version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// SHA-256 digest, 64 hexadecimal digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9A-Fa-f]{64}$"))]
    pub sha256: Option<String>,
    /// Where it lives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
}

/// A statement assumed true that scopes threats out.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[schemars(extend("additionalProperties" = false, "patternProperties" = {"^x-": {}}))]
pub struct Assumption {
    /// Stable identifier.
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"))]
    pub id: Id,
    /// The statement.
    pub text: String,
    /// Rule ids it scopes out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excludes: Vec<Spanned<String>>,
    /// Element or flow ids the exclusion is limited to (all when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Id>,
    /// Why it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risk_tier_follows_clinical_use_and_regulation() {
        use ClinicalUse::*;
        use Regulation::*;
        assert_eq!(derived_risk_tier(Administrative, None), RiskTier::Low);
        assert_eq!(derived_risk_tier(Operational, Samd), RiskTier::Moderate);
        assert_eq!(derived_risk_tier(DecisionSupport, None), RiskTier::Moderate);
        assert_eq!(derived_risk_tier(DecisionSupport, Samd), RiskTier::High);
        assert_eq!(derived_risk_tier(Diagnostic, None), RiskTier::High);
        assert_eq!(
            derived_risk_tier(DeviceControl, DeviceConnected),
            RiskTier::High
        );
    }
}
