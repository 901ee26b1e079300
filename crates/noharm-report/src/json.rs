//! The JSON report: the contract other tools and our own checks read. Fields
//! may be added; the existing ones keep their names and meaning.

use noharm_engine::{Finding, FindingStatus};
use noharm_syntax::Keyword;
use serde::Serialize;

use crate::Report;

/// The top-level JSON document.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// The tool and version that wrote it.
    pub tool: JsonTool,
    /// The system analysed.
    pub system: JsonSystem<'a>,
    /// Counts by status.
    pub summary: JsonSummary,
    /// The findings.
    pub findings: Vec<JsonFinding<'a>>,
}

/// The tool.
#[derive(Debug, Serialize)]
pub struct JsonTool {
    /// `noharm`.
    pub name: &'static str,
    /// Its version.
    pub version: &'static str,
}

/// The system.
#[derive(Debug, Serialize)]
pub struct JsonSystem<'a> {
    /// System id.
    pub id: &'a str,
    /// System name.
    pub name: &'a str,
    /// `low`, `moderate` or `high`.
    pub risk_tier: &'static str,
    /// How directly its output affects care.
    pub clinical_use: &'static str,
    /// Regulatory status.
    pub regulated: &'static str,
    /// Roles that must sign a residual-risk acceptance, by the risk tier.
    pub sign_off: &'a [String],
}

/// Counts of findings.
#[derive(Debug, Serialize)]
pub struct JsonSummary {
    /// All findings.
    pub total: usize,
    /// Open ones.
    pub open: usize,
    /// Mitigated ones.
    pub mitigated: usize,
    /// Excluded ones.
    pub excluded: usize,
}

/// One finding with its location, and its harm-first assessment when the
/// findings were ranked.
#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    /// The finding as the engine produced it.
    #[serde(flatten)]
    pub finding: &'a Finding,
    /// `harm`, `likelihood`, `score`, `priority` and `rank`.
    #[serde(flatten)]
    pub assessment: Option<&'a noharm_risk::Assessment>,
    /// Where the subject is defined.
    pub location: JsonLocation,
}

/// A place in a model file.
#[derive(Debug, Serialize)]
pub struct JsonLocation {
    /// File name.
    pub file: String,
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1.
    pub column: u32,
}

/// Builds the JSON document.
pub fn json_report<'a>(report: &Report<'a>) -> JsonReport<'a> {
    let findings = &report.analysis.findings;
    let count = |status| findings.iter().filter(|f| f.status == status).count();
    let system = &report.model.system;
    JsonReport {
        tool: JsonTool {
            name: "noharm",
            version: env!("CARGO_PKG_VERSION"),
        },
        system: JsonSystem {
            id: &system.id.value,
            name: &system.name,
            risk_tier: system.effective_risk_tier().as_str(),
            clinical_use: system.clinical_use.as_str(),
            regulated: system.regulated.as_str(),
            sign_off: report.sign_off,
        },
        summary: JsonSummary {
            total: findings.len(),
            open: count(FindingStatus::Open),
            mitigated: count(FindingStatus::Mitigated),
            excluded: count(FindingStatus::Excluded),
        },
        findings: findings
            .iter()
            .enumerate()
            .map(|(index, finding)| {
                let (file, line, column) = report.location(finding);
                JsonFinding {
                    finding,
                    assessment: report.assessment(index),
                    location: JsonLocation { file, line, column },
                }
            })
            .collect(),
    }
}
