//! The terminal report: one line per finding, grouped by status, with the
//! statement of each open finding underneath.

use std::fmt::Write as _;

use noharm_engine::FindingStatus;
use noharm_syntax::Keyword;

use crate::Report;

/// How to draw the table.
#[derive(Clone, Copy, Debug)]
pub struct TableOptions {
    /// ANSI colours.
    pub color: bool,
    /// Print each open finding's statement under it.
    pub statements: bool,
    /// Include mitigated and excluded findings.
    pub all: bool,
}

fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Renders the findings as a table for a terminal.
pub fn render_table(report: &Report<'_>, options: TableOptions) -> String {
    let system = &report.model.system;
    let findings = &report.analysis.findings;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({} tier): {} findings, {} open",
        system.name,
        system.effective_risk_tier().as_str(),
        findings.len(),
        findings
            .iter()
            .filter(|f| f.status == FindingStatus::Open)
            .count()
    );

    let shown: Vec<_> = findings
        .iter()
        .filter(|f| options.all || f.status == FindingStatus::Open)
        .collect();
    if shown.is_empty() {
        return out;
    }

    let rule_width = shown.iter().map(|f| f.rule.len()).max().unwrap_or(6).max(4);
    let target_width = shown
        .iter()
        .map(|f| f.subject.id.len())
        .max()
        .unwrap_or(6)
        .clamp(6, 28);
    let _ = writeln!(
        out,
        "\n{:<8} {:<rule_width$} {:<target_width$} {:<9} TITLE",
        "SEVERITY", "RULE", "TARGET", "STATUS"
    );
    for finding in shown {
        let severity = finding.severity.as_str();
        let severity_cell = match finding.severity {
            noharm_engine::rule::TechnicalSeverity::Critical => {
                paint(&format!("{severity:<8}"), "31;1", options.color)
            }
            noharm_engine::rule::TechnicalSeverity::High => {
                paint(&format!("{severity:<8}"), "31", options.color)
            }
            noharm_engine::rule::TechnicalSeverity::Medium => {
                paint(&format!("{severity:<8}"), "33", options.color)
            }
            noharm_engine::rule::TechnicalSeverity::Low => {
                paint(&format!("{severity:<8}"), "2", options.color)
            }
        };
        let target = truncate(&finding.subject.id, target_width);
        let _ = writeln!(
            out,
            "{severity_cell} {:<rule_width$} {:<target_width$} {:<9} {}",
            finding.rule,
            target,
            finding.status.as_str(),
            finding.title
        );
        if options.statements && finding.status == FindingStatus::Open {
            let _ = writeln!(
                out,
                "{}",
                paint(
                    &format!("         {}", finding.statement),
                    "2",
                    options.color
                )
            );
        }
    }
    out
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let kept: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{kept}…")
}
