//! Rules, controls and the vocabularies of a rule's metadata.

use noharm_model::keywords::FailureMode;
use noharm_syntax::{Span, Spanned, keyword_enum};
use serde::Serialize;

use crate::condition::Expr;
use crate::condition::fields::SubjectKind;

keyword_enum! {
    /// A STRIDE category.
    pub enum Stride ("STRIDE category") {
        /// Pretending to be someone or something else.
        Spoofing = "spoofing",
        /// Changing data, code or models.
        Tampering = "tampering",
        /// Denying an action for lack of evidence.
        Repudiation = "repudiation",
        /// Exposing information.
        InformationDisclosure = "information-disclosure",
        /// Making the system unavailable.
        DenialOfService = "denial-of-service",
        /// Gaining rights one should not have.
        ElevationOfPrivilege = "elevation-of-privilege",
    }
}

keyword_enum! {
    /// A LINDDUN privacy threat category.
    pub enum Linddun ("LINDDUN category") {
        /// Linking data items or actions to each other.
        Linking = "linking",
        /// Learning who someone is.
        Identifying = "identifying",
        /// Being unable to deny an action.
        NonRepudiation = "non-repudiation",
        /// Deducing someone's involvement.
        Detecting = "detecting",
        /// Exposing personal data.
        DataDisclosure = "data-disclosure",
        /// People not knowing what happens to their data.
        Unawareness = "unawareness",
        /// Not following privacy law or policy.
        NonCompliance = "non-compliance",
    }
}

keyword_enum! {
    /// A property a threat impairs.
    pub enum Goal ("impacted goal") {
        /// Data or models are as intended.
        Integrity = "integrity",
        /// Only the right people see data.
        Confidentiality = "confidentiality",
        /// The system works when needed.
        Availability = "availability",
        /// Patients come to no harm.
        Safety = "safety",
        /// Personal data is handled as people expect.
        Privacy = "privacy",
        /// Actions can be traced to who took them.
        Accountability = "accountability",
        /// Outputs are correct.
        Accuracy = "accuracy",
    }
}

keyword_enum! {
    /// How bad a threat is technically, before patient harm is considered.
    pub enum TechnicalSeverity ("severity") {
        /// Little technical consequence.
        Low = "low",
        /// Noticeable consequence.
        Medium = "medium",
        /// Serious consequence.
        High = "high",
        /// Complete compromise.
        Critical = "critical",
    }
}

keyword_enum! {
    /// How easy a threat is to carry out.
    pub enum Exploitability ("exploitability") {
        /// Needs rare access or skill.
        Low = "low",
        /// Needs some access or skill.
        Medium = "medium",
        /// Easy for a motivated attacker.
        High = "high",
    }
}

keyword_enum! {
    /// Where a rule is in its life.
    pub enum RuleStatus ("rule status") {
        /// Run by default.
        Stable = "stable",
        /// Run only when asked for (`--preview`).
        Preview = "preview",
        /// Kept for reference, never run.
        Deprecated = "deprecated",
    }
}

keyword_enum! {
    /// What a rule applies to.
    pub enum AppliesTo ("subject") {
        /// Actors.
        Actor = "actor",
        /// External systems.
        External = "external",
        /// Processes.
        Process = "process",
        /// Stores.
        Store = "store",
        /// Models.
        Model = "model",
        /// Every element kind.
        Element = "element",
        /// Data flows.
        Flow = "flow",
    }
}

/// The six slots of a threat statement, with placeholders.
#[derive(Clone, Debug, Serialize)]
pub struct StatementTemplate {
    /// Who or what carries out the threat.
    pub source: String,
    /// What must be true first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prerequisites: Option<String>,
    /// What they do.
    pub action: String,
    /// The direct consequence.
    pub impact: String,
    /// The properties impaired.
    pub goals: Vec<Goal>,
    /// What is impaired.
    pub assets: Vec<String>,
}

/// A rule's documentation: the same text feeds `explain` and the reports.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RuleDoc {
    /// What the rule detects.
    pub detects: String,
    /// Why it matters for a patient.
    pub why: String,
    /// A model that fires the rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// The same model changed so the rule does not fire.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quiet: Option<String>,
    /// Further reading.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

/// One threat rule.
#[derive(Clone, Debug, Serialize)]
pub struct Rule {
    /// Stable id, e.g. `AIL004`.
    pub id: Spanned<String>,
    /// Kebab-case name that says what it finds.
    pub name: String,
    /// One-line title, with placeholders.
    pub title: String,
    /// The pack it comes from.
    pub pack: String,
    /// What it applies to.
    pub applies_to: Vec<AppliesTo>,
    /// The condition as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// Technical severity.
    pub severity: TechnicalSeverity,
    /// How easy it is to carry out.
    pub exploitability: Exploitability,
    /// What the threat does to the system's output; `None` for threats
    /// that change no output (repudiation), which reach no patient harm.
    pub failure_mode: Option<FailureMode>,
    /// STRIDE categories.
    pub stride: Vec<Stride>,
    /// LINDDUN categories.
    pub linddun: Vec<Linddun>,
    /// MITRE ATLAS technique ids.
    pub atlas: Vec<String>,
    /// OWASP ML and LLM Top 10 ids with edition.
    pub owasp: Vec<String>,
    /// CWE ids.
    pub cwe: Vec<String>,
    /// The threat statement.
    pub statement: StatementTemplate,
    /// Controls any one of which mitigates the threat.
    pub mitigations: Vec<String>,
    /// A CVSS v4.0 vector for the threat's typical technical impact, shown
    /// beside the harm ranking, never instead of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss: Option<Cvss>,
    /// Rules whose findings on the same subject this rule replaces.
    pub supersedes: Vec<String>,
    /// Lifecycle status.
    pub status: RuleStatus,
    /// Documentation.
    pub doc: RuleDoc,
    #[serde(skip)]
    pub(crate) condition: Expr,
    #[serde(skip)]
    pub(crate) subject: SubjectKind,
    #[serde(skip)]
    pub(crate) supersedes_spans: Vec<Span>,
}

impl Rule {
    /// Whether the rule runs on elements of `kind`.
    pub fn applies_to_element(&self, kind: noharm_model::keywords::ElementKind) -> bool {
        use noharm_model::keywords::ElementKind as K;
        self.applies_to.iter().any(|target| {
            matches!(
                (target, kind),
                (AppliesTo::Element, _)
                    | (AppliesTo::Actor, K::Actor)
                    | (AppliesTo::External, K::External)
                    | (AppliesTo::Process, K::Process)
                    | (AppliesTo::Store, K::Store)
                    | (AppliesTo::Model, K::Model)
            )
        })
    }

    /// Whether the rule runs on data flows.
    pub fn applies_to_flows(&self) -> bool {
        self.subject == SubjectKind::Flow
    }
}

/// A CVSS v4.0 vector and its score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cvss {
    /// The vector as written, `CVSS:4.0/AV:N/...`.
    pub vector: String,
    /// The CVSS-B/BT/BE/BTE score, 0.0 to 10.0.
    pub score: f64,
    /// The qualitative rating: none, low, medium, high or critical.
    pub severity: String,
}

impl Cvss {
    /// Parses and scores a v4.0 vector.
    pub fn parse(vector: &str) -> Result<Cvss, String> {
        let parsed: cvss::v4::Vector = vector
            .parse()
            .map_err(|error: cvss::Error| error.to_string())?;
        Ok(Cvss {
            vector: vector.to_string(),
            score: parsed.score().value(),
            severity: parsed.score().severity().to_string().to_lowercase(),
        })
    }
}

/// A control from the catalog.
#[derive(Clone, Debug, Serialize)]
pub struct Control {
    /// Stable id used in model files.
    pub id: Spanned<String>,
    /// Display name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// MITRE ATLAS mitigation ids it serves.
    pub atlas_mitigations: Vec<String>,
    /// NIST AI RMF subcategories it serves.
    pub nist_ai_rmf: Vec<String>,
    /// The pack it comes from.
    pub pack: String,
}

/// A loaded pack's identity.
#[derive(Clone, Debug, Serialize)]
pub struct PackInfo {
    /// Pack id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it covers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where it was read from.
    pub source: String,
    /// How many rules it holds.
    pub n_rules: usize,
    /// How many controls it holds.
    pub n_controls: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cvss_vectors_are_scored_by_the_cvss_crate() {
        let cvss =
            Cvss::parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").unwrap();
        assert_eq!(cvss.score, 9.3);
        assert_eq!(cvss.severity, "critical");
        assert!(Cvss::parse("CVSS:4.0/AV:X").is_err());
        assert!(Cvss::parse("not a vector").is_err());
    }
}
