//! The CSV report: one row per finding, for spreadsheets and risk registers.
//!
//! RFC 4180: a header row, CRLF after every record, a field quoted when it
//! holds a comma, a double quote, or a line break, and a double quote inside
//! doubled. List values are joined with `;`.
//!
//! Model text is user input, and spreadsheets run a cell that starts with
//! `=`, `+`, `-` or `@` (or a tab or carriage return, which some of them skip
//! first) as a formula. Every such cell gets a leading apostrophe, which
//! spreadsheets read as "this is text" and do not show.

use noharm_engine::Finding;
use noharm_syntax::Keyword;

use crate::Report;

/// The header row, in column order.
pub const CSV_COLUMNS: [&str; 27] = [
    "fingerprint",
    "rule",
    "rule_name",
    "title",
    "subject_kind",
    "subject_id",
    "targets",
    "status",
    "severity",
    "exploitability",
    "failure_mode",
    "stride",
    "linddun",
    "atlas",
    "owasp",
    "cwe",
    "mitigations",
    "controls_in_place",
    "statement",
    "file",
    "line",
    "rank",
    "priority",
    "harm_severity",
    "harm_path",
    "likelihood",
    "score",
];

/// Renders the findings as CSV.
pub fn render_csv(report: &Report<'_>) -> String {
    let mut out = String::new();
    record(&mut out, CSV_COLUMNS.iter().map(|c| (*c).to_string()));
    for finding in &report.analysis.findings {
        record(&mut out, row(report, finding).into_iter());
    }
    out
}

fn row(report: &Report<'_>, finding: &Finding) -> [String; 27] {
    let place = report.place(finding);
    let assessment = report.assessment_for(finding);
    let ranked =
        |f: &dyn Fn(&noharm_risk::Assessment) -> String| assessment.map(f).unwrap_or_default();
    [
        finding.fingerprint.clone(),
        finding.rule.clone(),
        finding.rule_name.clone(),
        finding.title.clone(),
        finding.subject.kind.to_string(),
        finding.subject.id.clone(),
        finding.targets.join(";"),
        finding.status.as_str().to_string(),
        finding.severity.as_str().to_string(),
        finding.exploitability.as_str().to_string(),
        finding
            .failure_mode
            .map_or("none", |mode| mode.as_str())
            .to_string(),
        keywords(&finding.stride),
        keywords(&finding.linddun),
        finding.atlas.join(";"),
        finding.owasp.join(";"),
        finding.cwe.join(";"),
        finding.mitigations.join(";"),
        finding.controls_in_place.join(";"),
        finding.statement.clone(),
        place.file,
        place.line.to_string(),
        ranked(&|a| a.rank.to_string()),
        ranked(&|a| a.priority.as_str().to_string()),
        ranked(&|a| {
            a.harm
                .severity
                .map(|s| s.as_str().to_string())
                .unwrap_or_default()
        }),
        ranked(&|a| a.harm.path.join(" -> ")),
        ranked(&|a| a.likelihood.as_str().to_string()),
        ranked(&|a| a.score.to_string()),
    ]
}

fn keywords<K: Keyword>(items: &[K]) -> String {
    items
        .iter()
        .map(|item| item.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

fn record(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&field_text(&field));
    }
    out.push_str("\r\n");
}

/// One field, defused and quoted as needed.
pub(crate) fn field_text(raw: &str) -> String {
    let defused = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{raw}")
    } else {
        raw.to_string()
    };
    if defused.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

#[cfg(test)]
mod tests {
    use super::field_text;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(field_text("plain"), "plain");
        assert_eq!(field_text("a,b"), "\"a,b\"");
        assert_eq!(field_text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field_text("two\nlines"), "\"two\nlines\"");
        assert_eq!(field_text(""), "");
    }

    #[test]
    fn formula_starts_are_defused() {
        assert_eq!(field_text("=1+1"), "'=1+1");
        assert_eq!(field_text("+1"), "'+1");
        assert_eq!(field_text("-1"), "'-1");
        assert_eq!(field_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(
            field_text("=HYPERLINK(\"x\",\"y\")"),
            "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""
        );
        assert_eq!(field_text("a=1"), "a=1");
    }
}
