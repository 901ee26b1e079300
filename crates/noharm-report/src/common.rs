//! What the document formats share: the order findings are grouped and
//! counted in, the words for each status, and names looked up in the model
//! and the catalog. Escaping is not here: each format has its own rules.

use noharm_engine::rule::TechnicalSeverity;
use noharm_engine::{Finding, FindingStatus};
use noharm_syntax::Keyword;

use crate::Report;

/// Statuses in the order reports group them: what needs work first.
pub(crate) const STATUSES: [FindingStatus; 3] = [
    FindingStatus::Open,
    FindingStatus::Mitigated,
    FindingStatus::Excluded,
];

/// Severities from the worst down, the order of summary columns.
pub(crate) const SEVERITIES: [TechnicalSeverity; 4] = [
    TechnicalSeverity::Critical,
    TechnicalSeverity::High,
    TechnicalSeverity::Medium,
    TechnicalSeverity::Low,
];

/// A status as a heading.
pub(crate) fn status_heading(status: FindingStatus) -> &'static str {
    match status {
        FindingStatus::Open => "Open",
        FindingStatus::Mitigated => "Mitigated",
        FindingStatus::Excluded => "Excluded",
    }
}

/// One sentence on what a status means, under its heading.
pub(crate) fn status_note(status: FindingStatus) -> &'static str {
    match status {
        FindingStatus::Open => "Nothing in the model addresses these threats yet.",
        FindingStatus::Mitigated => "A control that mitigates each of these threats is in place.",
        FindingStatus::Excluded => "An assumption in the model scopes each of these threats out.",
    }
}

/// A severity word with a capital, for headings and table columns.
pub(crate) fn severity_heading(severity: TechnicalSeverity) -> &'static str {
    match severity {
        TechnicalSeverity::Critical => "Critical",
        TechnicalSeverity::High => "High",
        TechnicalSeverity::Medium => "Medium",
        TechnicalSeverity::Low => "Low",
    }
}

/// Where a finding's subject is defined, ready to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Place {
    /// The file name as the model was loaded (relative when given so).
    pub(crate) file: String,
    /// Line, from 1.
    pub(crate) line: u32,
    /// Column in characters, from 1.
    pub(crate) column: u32,
}

impl Report<'_> {
    /// The findings with `status`, in the analysis' order (most severe
    /// first).
    pub(crate) fn with_status(&self, status: FindingStatus) -> impl Iterator<Item = &Finding> {
        self.analysis
            .findings
            .iter()
            .filter(move |finding| finding.status == status)
    }

    /// How many findings have `status` (any when `None`) and `severity` (any
    /// when `None`).
    pub(crate) fn count(
        &self,
        status: Option<FindingStatus>,
        severity: Option<TechnicalSeverity>,
    ) -> usize {
        self.analysis
            .findings
            .iter()
            .filter(|f| status.is_none_or(|s| f.status == s))
            .filter(|f| severity.is_none_or(|s| f.severity == s))
            .count()
    }

    /// Where the finding's subject is defined.
    pub(crate) fn place(&self, finding: &Finding) -> Place {
        let (file, line, column) = self.location(finding);
        Place { file, line, column }
    }

    /// The name of an ATLAS technique, when the catalog's table has it. A
    /// sub-technique's name is short ("Model"), so its parent's goes first:
    /// "AI Supply Chain Compromise: Model".
    pub(crate) fn atlas_name(&self, id: &str) -> Option<String> {
        let atlas = &self.catalog.atlas;
        let name = &atlas.technique(id)?.name;
        let parent = id
            .rsplit_once('.')
            .filter(|(head, _)| head.contains('.'))
            .and_then(|(head, _)| atlas.technique(head));
        Some(match parent {
            Some(parent) => format!("{}: {name}", parent.name),
            None => name.clone(),
        })
    }

    /// The name of a control, when the catalog has it.
    pub(crate) fn control_name(&self, id: &str) -> Option<&str> {
        self.catalog
            .control(id)
            .map(|control| control.name.as_str())
    }

    /// What kind of thing the subject is, in words: `data flow`, or the
    /// element's kind (`model`, `store`, ...).
    pub(crate) fn subject_kind_words(&self, finding: &Finding) -> &'static str {
        if finding.subject.kind == "flow" {
            return "data flow";
        }
        self.model
            .element(&finding.subject.id)
            .map_or("element", |element| element.kind.as_str())
    }

    /// A data flow's endpoints as ids, `(from, to)`.
    pub(crate) fn flow_ends<'f>(&self, finding: &'f Finding) -> Option<(&'f str, &'f str)> {
        match finding.targets.as_slice() {
            [_, from, to] if finding.subject.kind == "flow" => Some((from, to)),
            _ => None,
        }
    }
}

/// The technical severity on the 0 to 10 scale that code scanning tools sort
/// by (CVSS bands: low, medium, high, critical).
pub(crate) fn security_severity(severity: TechnicalSeverity) -> &'static str {
    match severity {
        TechnicalSeverity::Low => "3.0",
        TechnicalSeverity::Medium => "5.5",
        TechnicalSeverity::High => "8.0",
        TechnicalSeverity::Critical => "9.5",
    }
}

/// Folds every run of white space (line breaks included) into one space and
/// trims the ends: one-line cells and headings cannot take more.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The noharm version that writes the report.
pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");
