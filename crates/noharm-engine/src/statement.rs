//! Placeholders in titles and threat statements: checked when a pack loads,
//! filled with names from the model when a rule fires.

use noharm_syntax::{Decoder, Diagnostic, Spanned, did_you_mean};

use crate::condition::fields::SubjectKind;
use crate::rule::{Goal, StatementTemplate};

const ELEMENT_PLACEHOLDERS: &[&str] = &["element", "data", "boundary", "vendor", "system"];
const FLOW_PLACEHOLDERS: &[&str] = &[
    "flow", "source", "target", "data", "boundary", "vendor", "system",
];

fn allowed(subject: SubjectKind) -> &'static [&'static str] {
    match subject {
        SubjectKind::Element => ELEMENT_PLACEHOLDERS,
        SubjectKind::Flow => FLOW_PLACEHOLDERS,
    }
}

/// The placeholder names in `text`, with their byte ranges.
fn placeholders(text: &str) -> Vec<(&str, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find('{') {
        let start = rest + open;
        let Some(close) = text[start..].find('}') else {
            break;
        };
        let end = start + close + 1;
        found.push((&text[start + 1..end - 1], start..end));
        rest = end;
    }
    found
}

/// Reports placeholders that do not exist or do not fit the subject.
pub(crate) fn check_placeholders(
    decoder: &mut Decoder,
    text: &Spanned<String>,
    subject: SubjectKind,
) {
    for (name, _) in placeholders(text) {
        if allowed(subject).contains(&name) {
            continue;
        }
        let all = ELEMENT_PLACEHOLDERS.iter().chain(FLOW_PLACEHOLDERS);
        let message = if all.clone().any(|known| *known == name) {
            let kind = match subject {
                SubjectKind::Element => "elements",
                SubjectKind::Flow => "data flows",
            };
            format!("the placeholder `{{{name}}}` is not available in rules on {kind}")
        } else {
            format!("unknown placeholder `{{{name}}}`")
        };
        let names = allowed(subject)
            .iter()
            .map(|n| format!("{{{n}}}"))
            .collect::<Vec<_>>()
            .join(", ");
        let help = match did_you_mean(name, allowed(subject).iter().copied()) {
            Some(close) => format!("did you mean `{{{close}}}`? available: {names}"),
            None => format!("available: {names}"),
        };
        decoder.report(
            Diagnostic::error("invalid-placeholder", message)
                .at(text.span)
                .with_help(help),
        );
    }
}

/// Names to put in place of placeholders for one finding.
#[derive(Clone, Debug, Default)]
pub(crate) struct Names {
    pub(crate) element: String,
    pub(crate) flow: String,
    pub(crate) source: String,
    pub(crate) target: String,
    pub(crate) data: String,
    pub(crate) boundary: String,
    pub(crate) vendor: String,
    pub(crate) system: String,
}

/// Fills the placeholders of `text`.
pub(crate) fn fill(text: &str, names: &Names) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = 0;
    for (name, range) in placeholders(text) {
        out.push_str(&text[rest..range.start]);
        let value = match name {
            "element" => &names.element,
            "flow" => &names.flow,
            "source" => &names.source,
            "target" => &names.target,
            "data" => &names.data,
            "boundary" => &names.boundary,
            "vendor" => &names.vendor,
            "system" => &names.system,
            _ => &text[range.clone()],
        };
        out.push_str(value);
        rest = range.end;
    }
    out.push_str(&text[rest..]);
    out
}

/// A statement with its placeholders filled.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Statement {
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

impl Statement {
    pub(crate) fn from_template(template: &StatementTemplate, names: &Names) -> Statement {
        Statement {
            source: fill(&template.source, names),
            prerequisites: template.prerequisites.as_ref().map(|p| fill(p, names)),
            action: fill(&template.action, names),
            impact: fill(&template.impact, names),
            goals: template.goals.clone(),
            assets: template.assets.iter().map(|a| fill(a, names)).collect(),
        }
    }

    /// The statement as one sentence.
    pub fn sentence(&self) -> String {
        let mut sentence = capitalise(self.source.trim());
        if let Some(prerequisites) = &self.prerequisites {
            sentence.push(' ');
            sentence.push_str(prerequisites.trim());
        }
        sentence.push_str(" can ");
        sentence.push_str(self.action.trim());
        sentence.push_str(", which leads to ");
        sentence.push_str(self.impact.trim().trim_end_matches('.'));
        if !self.goals.is_empty() || !self.assets.is_empty() {
            let goals = join_words(
                self.goals
                    .iter()
                    .map(|g| noharm_syntax::Keyword::as_str(*g)),
            );
            let assets = join_words(self.assets.iter().map(String::as_str));
            sentence.push_str(&format!(", reducing the {goals} of {assets}"));
        }
        sentence.push('.');
        sentence
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn join_words<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let words: Vec<&str> = words.collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_known_placeholders_and_keeps_others() {
        let names = Names {
            target: "Training set".into(),
            flow: "Nightly extract".into(),
            ..Names::default()
        };
        assert_eq!(
            fill("{flow} into {target} {unknown}", &names),
            "Nightly extract into Training set {unknown}"
        );
        assert_eq!(fill("no braces", &names), "no braces");
        assert_eq!(fill("open { only", &names), "open { only");
    }

    #[test]
    fn builds_a_sentence() {
        let statement = Statement {
            source: "an attacker on the hospital network".into(),
            prerequisites: Some("who can reach the HL7 feed".into()),
            action: "alter vital signs in transit".into(),
            impact: "wrong risk scores".into(),
            goals: vec![Goal::Integrity, Goal::Safety],
            assets: vec!["Vitals".into(), "Sepsis score".into()],
        };
        assert_eq!(
            statement.sentence(),
            "An attacker on the hospital network who can reach the HL7 feed can alter vital signs in transit, \
             which leads to wrong risk scores, reducing the integrity and safety of Vitals and Sepsis score."
        );
    }
}
