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

    if !report.sign_off.is_empty() {
        let _ = writeln!(
            out,
            "residual-risk acceptance at this tier is signed by: {}",
            report.sign_off.join(", ")
        );
    }

    let shown: Vec<(usize, &noharm_engine::Finding)> = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| options.all || f.status == FindingStatus::Open)
        .collect();
    if shown.is_empty() {
        return out;
    }

    let ranked = report.assessments.is_some();
    let rule_width = shown
        .iter()
        .map(|(_, f)| f.rule.len())
        .max()
        .unwrap_or(6)
        .max(4);
    let target_width = shown
        .iter()
        .map(|(_, f)| f.subject.id.len())
        .max()
        .unwrap_or(6)
        .clamp(6, 28);
    let rank_header = if ranked {
        "RANK PRIO HARM         "
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "\n{rank_header}{:<8} {:<rule_width$} {:<target_width$} {:<9} TITLE",
        "SEVERITY", "RULE", "TARGET", "STATUS"
    );
    for (index, finding) in shown {
        let assessment = report.assessment(index);
        let rank_cells = assessment.map_or_else(String::new, |a| rank_cells(a, options.color));
        let target = truncate(&finding.subject.id, target_width);
        let _ = writeln!(
            out,
            "{rank_cells}{} {:<rule_width$} {:<target_width$} {:<9} {}",
            severity_cell(finding.severity, options.color),
            finding.rule,
            target,
            finding.status.as_str(),
            finding.title
        );
        if options.statements && finding.status == FindingStatus::Open {
            let indent = if ranked {
                " ".repeat(32)
            } else {
                " ".repeat(9)
            };
            let _ = writeln!(
                out,
                "{}",
                paint(
                    &format!("{indent}{}", finding.statement),
                    "2",
                    options.color
                )
            );
            if let Some(harm) = assessment.filter(|a| a.harm.severity.is_some()) {
                let _ = writeln!(
                    out,
                    "{}",
                    paint(
                        &format!("{indent}harm: {}", harm.harm.explanation),
                        "2",
                        options.color
                    )
                );
            }
        }
    }
    out
}

fn rank_cells(assessment: &noharm_risk::Assessment, color: bool) -> String {
    let priority = assessment.priority.as_str();
    let priority_cell = match assessment.priority {
        noharm_risk::Priority::P1 => paint(&format!("{priority:<4}"), "31;1", color),
        noharm_risk::Priority::P2 => paint(&format!("{priority:<4}"), "33;1", color),
        noharm_risk::Priority::P3 => paint(&format!("{priority:<4}"), "33", color),
        noharm_risk::Priority::P4 => paint(&format!("{priority:<4}"), "2", color),
    };
    let harm = assessment.harm.severity.map_or("-", |s| s.as_str());
    format!("{:>4} {priority_cell} {harm:<12} ", assessment.rank)
}

fn severity_cell(severity: noharm_engine::rule::TechnicalSeverity, color: bool) -> String {
    use noharm_engine::rule::TechnicalSeverity as S;
    let code = match severity {
        S::Critical => "31;1",
        S::High => "31",
        S::Medium => "33",
        S::Low => "2",
    };
    paint(&format!("{:<8}", severity.as_str()), code, color)
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let kept: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{kept}…")
}
