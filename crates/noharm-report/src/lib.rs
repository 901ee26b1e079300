//! Reports of an analysis, in the formats people and tools read: a terminal
//! table, JSON (the stable machine contract), Markdown, CSV, SARIF 2.1.0 and
//! a standalone HTML page.
//!
//! Every format renders from the same [`Report`], so they cannot disagree.

mod common;
mod csv;
mod html;
mod json;
mod markdown;
mod sarif;
mod table;

use noharm_engine::{Analysis, Catalog, Finding};
use noharm_model::Model;
use noharm_risk::Assessment;
use noharm_syntax::SourceMap;

pub use csv::{CSV_COLUMNS, render_csv};
pub use html::{HtmlExtras, render_html, render_html_with};
pub use json::{JsonReport, json_report};
pub use markdown::render_markdown;
pub use sarif::{SARIF_SCHEMA, render_sarif};
pub use table::{TableOptions, render_table};

/// Everything a report shows.
#[derive(Clone, Copy, Debug)]
pub struct Report<'a> {
    /// The model analysed.
    pub model: &'a Model,
    /// Its files, to locate elements by line.
    pub sources: &'a SourceMap,
    /// The findings.
    pub analysis: &'a Analysis,
    /// The rules and controls used.
    pub catalog: &'a Catalog,
    /// The harm-first assessment of each finding, in the same order as
    /// `analysis.findings`, when the findings were ranked.
    pub assessments: Option<&'a [Assessment]>,
    /// The roles that must sign a residual-risk acceptance for this system,
    /// by its risk tier under the scoring policy.
    pub sign_off: &'a [String],
}

impl<'a> Report<'a> {
    /// The assessment of `finding`, which must be an element of
    /// `analysis.findings` (its position is read from its address, so the
    /// lookup is constant-time for every format).
    pub fn assessment_for(&self, finding: &Finding) -> Option<&'a Assessment> {
        let findings = &self.analysis.findings;
        let start = findings.as_ptr() as usize;
        let offset = (finding as *const Finding as usize).checked_sub(start)?;
        let index = offset / std::mem::size_of::<Finding>().max(1);
        findings
            .get(index)
            .filter(|candidate| std::ptr::eq(*candidate, finding))
            .and_then(|_| self.assessment(index))
    }

    /// The harm-first summary of a finding in words: `P1, rank 3 · critical
    /// harm via a -> b: missed-sepsis · likelihood possible · score 455`.
    pub fn harm_summary(&self, finding: &Finding) -> Option<String> {
        let assessment = self.assessment_for(finding)?;
        let harm = match assessment.harm.severity {
            Some(_) => format!("harm path {}", assessment.harm.explanation),
            None => "no path to a patient harm".to_string(),
        };
        Some(format!(
            "{}, rank {} · {harm} · likelihood {} · score {}",
            noharm_syntax::Keyword::as_str(assessment.priority),
            assessment.rank,
            noharm_syntax::Keyword::as_str(assessment.likelihood),
            assessment.score
        ))
    }

    /// The assessment of the finding at `index` in `analysis.findings`.
    pub fn assessment(&self, index: usize) -> Option<&'a Assessment> {
        self.assessments
            .and_then(|assessments| assessments.get(index))
    }

    /// The file name, line and column where a finding's subject is defined.
    pub fn location(&self, finding: &Finding) -> (String, u32, u32) {
        let file = self.sources.file(finding.span.file);
        let position = file.line_col(finding.span.start);
        (file.name().to_string(), position.line, position.column)
    }
}
