//! The SARIF 2.1.0 report, for code scanning dashboards (GitHub code
//! scanning, Azure DevOps, SARIF viewers) and anything else that reads
//! static analysis results.
//!
//! Choices, and why:
//!
//! - **Rules.** `tool.driver.rules` lists the rules that produced at least one
//!   finding (open, mitigated or excluded), sorted by id, not every loaded
//!   rule. The built-in catalog is large and most rules do not apply to a
//!   given system; listing them all would make every file mostly metadata.
//!   Dashboards close an alert when its result disappears from the next
//!   upload, which does not depend on the rule staying listed.
//! - **Mitigated and excluded findings** are results with a `suppressions`
//!   entry (`kind: "external"`, since the reason lives in the model file, not
//!   next to the flagged text; `status: "accepted"`), whose justification
//!   names the controls in place or quotes the assumption. SARIF viewers
//!   hide results with an accepted suppression and code scanning services
//!   treat them as closed rather than open alerts, so the dashboard's open
//!   list matches noharm's open findings while the decision stays on record
//!   (and `properties.status` says which it was). We do not use
//!   `kind: "pass"` or `"informational"` for them: SARIF then requires
//!   `level: "none"`, which drops the severity, and GitHub's documented
//!   SARIF subset does not include `kind`.
//! - **Levels.** Critical and high are `error`, medium `warning`, low `note`;
//!   the rule's `security-severity` (3.0, 5.5, 8.0, 9.5) gives dashboards a
//!   finer order, and the `security` tag marks the rule as a security rule.
//! - **Tags** use prefixes so that they group in a dashboard: `stride/...`,
//!   `linddun/...`, `atlas/AML.T...`, `owasp/...`, and
//!   `external/cwe/cwe-NNN`, the form GitHub recognises as a CWE.
//! - **Identity.** `partialFingerprints["noharm/v1"]` is the finding's
//!   fingerprint (rule id and subject id), stable across edits that move
//!   lines; `automationDetails.id` is `noharm/<system id>/`, so analyses of
//!   several models uploaded from one repository do not replace each other.
//! - **Locations.** The model file path as it was given: a relative path
//!   becomes a relative URI against `%SRCROOT%`, an absolute one a `file:`
//!   URI. Columns count characters, so `columnKind` is `unicodeCodePoints`.

use std::collections::BTreeMap;

use noharm_engine::rule::TechnicalSeverity;
use noharm_engine::{Finding, FindingStatus, Rule};
use noharm_syntax::Keyword;
use serde::Serialize;

use crate::common::{VERSION, security_severity};
use crate::{Report, markdown};

/// The `$schema` of every SARIF file noharm writes.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Renders the findings as a SARIF 2.1.0 log (pretty-printed JSON).
pub fn render_sarif(report: &Report<'_>) -> String {
    let log = sarif_log(report);
    // Every value is a string, number, list or struct with string keys, which
    // serde_json always serialises; the fallback is never taken.
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    automation_details: AutomationDetails,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    properties: RunProperties<'a>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties<'a> {
    system: SystemProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SystemProperties<'a> {
    id: &'a str,
    name: &'a str,
    risk_tier: &'static str,
    clinical_use: &'static str,
    regulated: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'a str>,
    default_configuration: Configuration,
    properties: DescriptorProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties {
    tags: Vec<String>,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<Location<'a>>,
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation,
    logical_locations: Vec<LogicalLocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    name: &'a str,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties<'a> {
    status: &'static str,
    title: &'a str,
    severity: &'static str,
    exploitability: &'static str,
    failure_mode: &'static str,
    targets: &'a [String],
    controls_in_place: &'a [String],
    /// The harm-first assessment, when the findings were ranked.
    #[serde(skip_serializing_if = "Option::is_none")]
    patient_harm: Option<&'a noharm_risk::Assessment>,
}

fn sarif_log<'a>(report: &Report<'a>) -> Log<'a> {
    let findings = &report.analysis.findings;
    let mut rule_ids: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
    rule_ids.sort_unstable();
    rule_ids.dedup();
    let rules: Vec<&Rule> = rule_ids
        .iter()
        .filter_map(|id| report.catalog.rule(id))
        .collect();

    let system = &report.model.system;
    Log {
        schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "noharm",
                    version: VERSION,
                    semantic_version: VERSION,
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: rules.iter().map(|rule| descriptor(report, rule)).collect(),
                },
            },
            automation_details: AutomationDetails {
                id: format!("noharm/{}/", system.id.value),
            },
            column_kind: "unicodeCodePoints",
            results: findings
                .iter()
                .map(|finding| result(report, &rules, finding))
                .collect(),
            properties: RunProperties {
                system: SystemProperties {
                    id: &system.id.value,
                    name: &system.name,
                    risk_tier: system.effective_risk_tier().as_str(),
                    clinical_use: system.clinical_use.as_str(),
                    regulated: system.regulated.as_str(),
                },
            },
        }],
    }
}

fn level(severity: TechnicalSeverity) -> &'static str {
    match severity {
        TechnicalSeverity::Critical | TechnicalSeverity::High => "error",
        TechnicalSeverity::Medium => "warning",
        TechnicalSeverity::Low => "note",
    }
}

fn descriptor<'a>(report: &Report<'a>, rule: &'a Rule) -> Descriptor<'a> {
    let detects =
        non_empty(&rule.doc.detects).map_or_else(|| generic_title(&rule.title), str::to_string);
    let why = non_empty(&rule.doc.why);

    let mut help_text = why.map(str::to_string).unwrap_or_default();
    let mut help_markdown = why.map(markdown::text).unwrap_or_default();
    if !rule.mitigations.is_empty() {
        let names: Vec<(String, String)> = rule
            .mitigations
            .iter()
            .map(|id| match report.control_name(id) {
                Some(name) => (
                    format!("{name} ({id})"),
                    format!("{} {}", markdown::text(name), markdown::code(id)),
                ),
                None => (id.clone(), markdown::code(id)),
            })
            .collect();
        if !help_text.is_empty() {
            help_text.push_str("\n\n");
            help_markdown.push_str("\n\n");
        }
        help_text.push_str("Mitigations (any one in place mitigates the threat): ");
        let plain: Vec<&str> = names.iter().map(|(plain, _)| plain.as_str()).collect();
        help_text.push_str(&plain.join("; "));
        help_text.push('.');
        help_markdown.push_str("**Mitigations** (any one in place mitigates the threat):\n\n");
        for (_, marked) in &names {
            help_markdown.push_str("- ");
            help_markdown.push_str(marked);
            help_markdown.push('\n');
        }
    }
    if help_text.is_empty() {
        help_text = detects.clone();
        help_markdown = markdown::text(&detects);
    }

    let mut tags = vec!["security".to_string()];
    tags.extend(rule.stride.iter().map(|s| format!("stride/{}", s.as_str())));
    tags.extend(
        rule.linddun
            .iter()
            .map(|l| format!("linddun/{}", l.as_str())),
    );
    tags.extend(rule.atlas.iter().map(|id| format!("atlas/{id}")));
    tags.extend(rule.owasp.iter().map(|id| format!("owasp/{id}")));
    tags.extend(
        rule.cwe
            .iter()
            .map(|id| format!("external/cwe/{}", id.to_ascii_lowercase())),
    );

    Descriptor {
        id: &rule.id.value,
        name: &rule.name,
        short_description: Text {
            text: generic_title(&rule.title),
        },
        full_description: Text { text: detects },
        help: Help {
            text: help_text,
            markdown: help_markdown,
        },
        help_uri: rule
            .doc
            .references
            .iter()
            .find(|uri| uri.starts_with("https://") || uri.starts_with("http://"))
            .map(String::as_str),
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: DescriptorProperties {
            tags,
            security_severity: security_severity(rule.severity),
        },
    }
}

fn result<'a>(report: &Report<'a>, rules: &[&Rule], finding: &'a Finding) -> SarifResult<'a> {
    let place = report.place(finding);
    let (uri, uri_base_id) = file_uri(&place.file);
    let subject_kind = if finding.subject.kind == "flow" {
        "flow"
    } else {
        "element"
    };
    SarifResult {
        rule_id: &finding.rule,
        rule_index: rules.iter().position(|rule| rule.id.value == finding.rule),
        level: level(finding.severity),
        message: Text {
            text: finding.statement.clone(),
        },
        locations: vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri, uri_base_id },
                region: Region {
                    start_line: place.line,
                    start_column: place.column,
                },
            },
            logical_locations: vec![LogicalLocation {
                name: &finding.subject.id,
                fully_qualified_name: format!(
                    "{}/{subject_kind}s/{}",
                    report.model.system.id.value, finding.subject.id
                ),
                kind: "object",
            }],
        }],
        partial_fingerprints: BTreeMap::from([("noharm/v1", finding.fingerprint.as_str())]),
        suppressions: suppression(report, finding).into_iter().collect(),
        properties: ResultProperties {
            status: finding.status.as_str(),
            title: &finding.title,
            severity: finding.severity.as_str(),
            exploitability: finding.exploitability.as_str(),
            failure_mode: finding.failure_mode.map_or("none", |mode| mode.as_str()),
            targets: &finding.targets,
            controls_in_place: &finding.controls_in_place,
            patient_harm: report.assessment_for(finding),
        },
    }
}

fn suppression(report: &Report<'_>, finding: &Finding) -> Option<Suppression> {
    let justification = match finding.status {
        FindingStatus::Open => return None,
        FindingStatus::Mitigated => {
            let controls: Vec<String> = finding
                .controls_in_place
                .iter()
                .map(|id| match report.control_name(id) {
                    Some(name) => format!("{name} ({id})"),
                    None => id.clone(),
                })
                .collect();
            format!("Mitigated by a control in place: {}.", controls.join("; "))
        }
        FindingStatus::Excluded => match &finding.excluded_by {
            Some(exclusion) => {
                let mut text = format!(
                    "Excluded by assumption {}: {}",
                    exclusion.assumption,
                    exclusion.text.trim()
                );
                if let Some(reason) = &exclusion.reason {
                    text.push_str(" Reason: ");
                    text.push_str(reason.trim());
                }
                text
            }
            None => "Excluded by an assumption in the model.".to_string(),
        },
    };
    Some(Suppression {
        kind: "external",
        status: "accepted",
        justification,
    })
}

/// A rule's title for any subject: each placeholder becomes a generic noun
/// ("{element} is not signed" reads "The element is not signed"). Dashboards
/// show this as the rule's name, where raw braces would look like a bug; the
/// filled-in title of each finding is in the result's `title` property.
fn generic_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut rest = title;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let word = after
            .find('}')
            .map(|close| (&after[..close], &after[close + 1..]));
        let generic = word.and_then(|(name, _)| match name {
            "element" => Some("the element"),
            "flow" => Some("the data flow"),
            "source" => Some("the source"),
            "target" => Some("the target"),
            "data" => Some("the data"),
            "boundary" => Some("the boundary"),
            "vendor" => Some("the vendor"),
            "system" => Some("the system"),
            _ => None,
        });
        match (generic, word) {
            (Some(generic), Some((_, tail))) => {
                out.push_str(generic);
                rest = tail;
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

fn non_empty(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

/// The model file as a URI: a relative reference against `%SRCROOT%` for a
/// relative path, a `file:` URI for an absolute one. Characters a URI cannot
/// hold are percent-encoded; Windows separators become `/`.
fn file_uri(path: &str) -> (String, Option<&'static str>) {
    let slashed = path.replace('\\', "/");
    let windows_drive = slashed.len() >= 2
        && slashed.as_bytes()[0].is_ascii_alphabetic()
        && slashed.as_bytes()[1] == b':';
    if slashed.starts_with('/') {
        (format!("file://{}", percent_encode(&slashed, true)), None)
    } else if windows_drive {
        (format!("file:///{}", percent_encode(&slashed, true)), None)
    } else {
        // A colon in a relative reference would read as a scheme.
        let relative = slashed.strip_prefix("./").unwrap_or(&slashed);
        (percent_encode(relative, false), Some("%SRCROOT%"))
    }
}

fn percent_encode(path: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || (byte == b':' && keep_colon)
            || matches!(
                byte,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'@'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
            );
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{file_uri, generic_title};

    #[test]
    fn titles_read_without_a_subject() {
        assert_eq!(
            generic_title("{element} decides the labels"),
            "The element decides the labels"
        );
        assert_eq!(
            generic_title("Anything can send {data} to {target} as if it were {source}"),
            "Anything can send the data to the target as if it were the source"
        );
        assert_eq!(generic_title("{odd} and { and }"), "{odd} and { and }");
        assert_eq!(generic_title("plain"), "Plain");
    }

    #[test]
    fn file_paths_become_uris() {
        assert_eq!(
            file_uri("examples/sepsis-ews.yaml"),
            ("examples/sepsis-ews.yaml".to_string(), Some("%SRCROOT%"))
        );
        assert_eq!(
            file_uri("./models/my model#1.yaml"),
            ("models/my%20model%231.yaml".to_string(), Some("%SRCROOT%"))
        );
        assert_eq!(
            file_uri("/srv/models/ünï.yaml"),
            ("file:///srv/models/%C3%BCn%C3%AF.yaml".to_string(), None)
        );
        assert_eq!(
            file_uri("odd:name.yaml"),
            ("odd%3Aname.yaml".to_string(), Some("%SRCROOT%"))
        );
        assert_eq!(
            file_uri("C:\\models\\a.yaml"),
            ("file:///C:/models/a.yaml".to_string(), None)
        );
    }
}
