//! Running the rules of a catalog over a model: findings with stable
//! fingerprints, their statements, and whether each is open, mitigated by a
//! control in place, or excluded by an assumption.

use std::collections::{HashMap, HashSet};

use noharm_model::keywords::{BoundaryKind, FailureMode};
use noharm_model::{Element, Model};
use noharm_syntax::{Diagnostic, Span, did_you_mean, keyword_enum};
use serde::Serialize;

use crate::catalog::Catalog;
use crate::condition::eval::{Subject, holds};
use crate::condition::fields::SubjectKind;
use crate::facts::{Facts, compute};
use crate::rule::{Exploitability, Linddun, Rule, RuleStatus, Stride, TechnicalSeverity};
use crate::statement::{Names, Statement, fill, join_words};

keyword_enum! {
    /// Where a finding stands.
    pub enum FindingStatus ("finding status") {
        /// Nothing in the model addresses it.
        Open = "open",
        /// A control that mitigates it is in place.
        Mitigated = "mitigated",
        /// An assumption scopes it out.
        Excluded = "excluded",
    }
}

/// What a finding is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SubjectRef {
    /// `element` or `flow`.
    pub kind: &'static str,
    /// The element or flow id.
    pub id: String,
    /// Its display name.
    pub name: String,
}

/// The assumption that excludes a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Exclusion {
    /// The assumption's id.
    pub assumption: String,
    /// Its statement.
    pub text: String,
    /// Why it holds, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One threat the rules found in the model.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// Stable identity: the rule id and the subject's id, so re-analysing a
    /// changed model matches old findings to new ones.
    pub fingerprint: String,
    /// The rule id.
    pub rule: String,
    /// The rule's kebab-case name.
    pub rule_name: String,
    /// The pack the rule comes from.
    pub pack: String,
    /// One-line title, placeholders filled.
    pub title: String,
    /// The element or flow.
    pub subject: SubjectRef,
    /// The ids the finding is about: the subject, and a flow's endpoints.
    pub targets: Vec<String>,
    /// STRIDE categories.
    pub stride: Vec<Stride>,
    /// LINDDUN categories.
    pub linddun: Vec<Linddun>,
    /// MITRE ATLAS technique ids.
    pub atlas: Vec<String>,
    /// OWASP ids such as `LLM01:2025`.
    pub owasp: Vec<String>,
    /// CWE ids.
    pub cwe: Vec<String>,
    /// Open, mitigated or excluded.
    pub status: FindingStatus,
    /// The threat statement as one sentence.
    pub statement: String,
    /// The statement's six slots.
    pub statement_parts: Statement,
    /// Controls that mitigate it.
    pub mitigations: Vec<String>,
    /// The rule's CVSS v4.0 vector and score, shown beside the harm ranking.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss: Option<crate::rule::Cvss>,
    /// Those of them in place.
    pub controls_in_place: Vec<String>,
    /// The assumption that excludes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excluded_by: Option<Exclusion>,
    /// Technical severity.
    pub severity: TechnicalSeverity,
    /// How easy it is to carry out.
    pub exploitability: Exploitability,
    /// What it does to the system's output.
    pub failure_mode: Option<FailureMode>,
    /// Where the subject is defined in the model files.
    #[serde(skip)]
    pub span: Span,
}

/// What to run.
#[derive(Clone, Copy, Debug, Default)]
pub struct AnalysisOptions {
    /// Run preview rules too.
    pub preview: bool,
    /// Keep findings that a more specific rule supersedes, as when testing
    /// one rule on its own.
    pub keep_superseded: bool,
}

/// The findings on one model, and what looked wrong in the model on the way.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
    /// Warnings about the model in the light of the catalog: controls the
    /// catalog does not know, assumptions excluding rules that do not exist.
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs every applicable rule of `catalog` on `model`.
pub fn analyze(model: &Model, catalog: &Catalog, options: AnalysisOptions) -> Analysis {
    let facts = compute(model, &catalog.vocabularies);
    let lookup = Lookup::new(model);
    let mut findings = Vec::new();

    for rule in catalog.rules.iter().filter(|rule| runs(rule, options)) {
        match rule.subject {
            SubjectKind::Element => {
                for (idx, element) in model.elements.iter().enumerate() {
                    if rule.applies_to_element(element.kind)
                        && holds(&rule.condition, &facts, Subject::Element(idx))
                    {
                        findings.push(element_finding(rule, &lookup, &facts, idx));
                    }
                }
            }
            SubjectKind::Flow => {
                for idx in 0..model.flows.len() {
                    if holds(&rule.condition, &facts, Subject::Flow(idx)) {
                        findings.push(flow_finding(rule, &lookup, &facts, idx));
                    }
                }
            }
        }
    }

    let mut findings = if options.keep_superseded {
        findings
    } else {
        drop_superseded(findings, catalog)
    };
    apply_assumptions(&mut findings, model);
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(status_order(a.status).cmp(&status_order(b.status)))
            .then(a.rule.cmp(&b.rule))
            .then(a.subject.id.cmp(&b.subject.id))
    });
    tracing::debug!(n_findings = findings.len(), "analysis done");

    Analysis {
        findings,
        diagnostics: model_diagnostics(model, catalog),
    }
}

fn runs(rule: &Rule, options: AnalysisOptions) -> bool {
    match rule.status {
        RuleStatus::Stable => true,
        RuleStatus::Preview => options.preview,
        RuleStatus::Deprecated => false,
    }
}

fn status_order(status: FindingStatus) -> u8 {
    match status {
        FindingStatus::Open => 0,
        FindingStatus::Mitigated => 1,
        FindingStatus::Excluded => 2,
    }
}

/// Indexes used while building findings, so that naming things stays
/// constant-time however large the model is.
struct Lookup<'m> {
    model: &'m Model,
    data: HashMap<&'m str, &'m noharm_model::DataAsset>,
}

impl<'m> Lookup<'m> {
    fn new(model: &'m Model) -> Lookup<'m> {
        Lookup {
            model,
            data: model
                .data
                .iter()
                .map(|asset| (asset.id.as_str(), asset))
                .collect(),
        }
    }
}

fn element_finding(rule: &Rule, lookup: &Lookup<'_>, facts: &Facts, idx: usize) -> Finding {
    let model = lookup.model;
    let element = &model.elements[idx];
    let names = Names {
        element: element.display_name().to_string(),
        data: data_names(
            lookup,
            element.stores.iter().chain(&element.processes),
            "its data",
        ),
        boundary: innermost_boundary_name(model, facts, idx),
        vendor: element_vendor(model, facts, idx).unwrap_or_else(|| "the vendor".to_string()),
        system: model.system.name.clone(),
        ..Names::default()
    };
    let present: Vec<&str> = element.controls.iter().map(|c| c.as_str()).collect();
    build_finding(
        rule,
        &names,
        SubjectRef {
            kind: "element",
            id: element.id.value.clone(),
            name: names.element.clone(),
        },
        vec![element.id.value.clone()],
        &present,
        element.id.span,
    )
}

fn flow_finding(rule: &Rule, lookup: &Lookup<'_>, facts: &Facts, idx: usize) -> Finding {
    let model = lookup.model;
    let flow = &model.flows[idx];
    let flow_facts = &facts.flows[idx];
    let (source, target) = (
        &model.elements[flow_facts.from],
        &model.elements[flow_facts.to],
    );
    let boundary = match flow_facts.first_crossed {
        Some(boundary) => boundary_name(model, boundary),
        None => innermost_boundary_name(model, facts, flow_facts.from),
    };
    let vendor = element_vendor(model, facts, flow_facts.to)
        .or_else(|| element_vendor(model, facts, flow_facts.from))
        .unwrap_or_else(|| "the vendor".to_string());
    let names = Names {
        flow: flow.display_name().to_string(),
        source: source.display_name().to_string(),
        target: target.display_name().to_string(),
        data: data_names(lookup, flow.data.iter(), "the data"),
        boundary,
        vendor,
        system: model.system.name.clone(),
        ..Names::default()
    };
    let present: Vec<&str> = flow
        .controls
        .iter()
        .chain(&source.controls)
        .chain(&target.controls)
        .map(|c| c.as_str())
        .collect();
    build_finding(
        rule,
        &names,
        SubjectRef {
            kind: "flow",
            id: flow.id.value.clone(),
            name: names.flow.clone(),
        },
        vec![
            flow.id.value.clone(),
            source.id.value.clone(),
            target.id.value.clone(),
        ],
        &present,
        flow.id.span,
    )
}

fn build_finding(
    rule: &Rule,
    names: &Names,
    subject: SubjectRef,
    targets: Vec<String>,
    present_controls: &[&str],
    span: Span,
) -> Finding {
    let statement = Statement::from_template(&rule.statement, names);
    let controls_in_place: Vec<String> = rule
        .mitigations
        .iter()
        .filter(|control| present_controls.contains(&control.as_str()))
        .cloned()
        .collect();
    Finding {
        fingerprint: format!("{}:{}", rule.id.value, subject.id),
        rule: rule.id.value.clone(),
        rule_name: rule.name.clone(),
        pack: rule.pack.clone(),
        title: fill(&rule.title, names),
        subject,
        targets,
        stride: rule.stride.clone(),
        linddun: rule.linddun.clone(),
        atlas: rule.atlas.clone(),
        owasp: rule.owasp.clone(),
        cwe: rule.cwe.clone(),
        status: if controls_in_place.is_empty() {
            FindingStatus::Open
        } else {
            FindingStatus::Mitigated
        },
        statement: statement.sentence(),
        statement_parts: statement,
        mitigations: rule.mitigations.clone(),
        cvss: rule.cvss.clone(),
        controls_in_place,
        excluded_by: None,
        severity: rule.severity,
        exploitability: rule.exploitability,
        failure_mode: rule.failure_mode,
        span,
    }
}

/// Names of the data assets `ids` refers to, at most three spelt out.
fn data_names<'a>(
    lookup: &Lookup<'_>,
    ids: impl Iterator<Item = &'a noharm_model::Id>,
    fallback: &str,
) -> String {
    let mut seen = HashSet::new();
    let names: Vec<&str> = ids
        .filter(|id| seen.insert(id.as_str()))
        .filter_map(|id| lookup.data.get(id.as_str()).copied())
        .map(|asset| asset.name.as_deref().unwrap_or(asset.id.as_str()))
        .collect();
    match names.len() {
        0 => fallback.to_string(),
        1..=3 => join_words(names.into_iter()),
        n => format!("{}, {} and {} more", names[0], names[1], n - 2),
    }
}

fn boundary_name(model: &Model, boundary: usize) -> String {
    let boundary = &model.boundaries[boundary];
    boundary
        .name
        .clone()
        .unwrap_or_else(|| boundary.id.value.clone())
}

fn innermost_boundary_name(model: &Model, facts: &Facts, element: usize) -> String {
    facts.element_boundaries[element].first().map_or_else(
        || "its environment".to_string(),
        |&boundary| boundary_name(model, boundary),
    )
}

fn element_vendor(model: &Model, facts: &Facts, element: usize) -> Option<String> {
    let own: &Element = &model.elements[element];
    own.vendor.clone().or_else(|| {
        facts.element_boundaries[element]
            .iter()
            .map(|&b| &model.boundaries[b])
            .find(|b| b.kind == BoundaryKind::Vendor)
            .and_then(|b| b.vendor.clone())
    })
}

/// Drops findings a more specific rule replaces on the same subject.
fn drop_superseded(findings: Vec<Finding>, catalog: &Catalog) -> Vec<Finding> {
    let rules: HashMap<&str, &Rule> = catalog
        .rules
        .iter()
        .map(|rule| (rule.id.as_str(), rule))
        .collect();
    let mut superseded: HashSet<(String, String)> = HashSet::new();
    for finding in &findings {
        if let Some(rule) = rules.get(finding.rule.as_str()) {
            for old in &rule.supersedes {
                superseded.insert((old.clone(), finding.subject.id.clone()));
            }
        }
    }
    if superseded.is_empty() {
        return findings;
    }
    findings
        .into_iter()
        .filter(|finding| !superseded.contains(&(finding.rule.clone(), finding.subject.id.clone())))
        .collect()
}

/// Marks findings that an assumption scopes out. An assumption with
/// `targets` applies to findings about those elements or flows, including
/// flows to and from a listed element.
fn apply_assumptions(findings: &mut [Finding], model: &Model) {
    for assumption in &model.assumptions {
        for finding in findings.iter_mut() {
            let excludes_rule = assumption
                .excludes
                .iter()
                .any(|rule| rule.as_str() == finding.rule);
            let in_scope = assumption.targets.is_empty()
                || assumption
                    .targets
                    .iter()
                    .any(|target| finding.targets.iter().any(|id| id == target.as_str()));
            if excludes_rule && in_scope && finding.excluded_by.is_none() {
                finding.status = FindingStatus::Excluded;
                finding.excluded_by = Some(Exclusion {
                    assumption: assumption.id.value.clone(),
                    text: assumption.text.clone(),
                    reason: assumption.reason.clone(),
                });
            }
        }
    }
}

fn model_diagnostics(model: &Model, catalog: &Catalog) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let known_controls: Vec<&str> = catalog.controls.iter().map(|c| c.id.as_str()).collect();
    let all_controls = model
        .elements
        .iter()
        .flat_map(|element| &element.controls)
        .chain(model.flows.iter().flat_map(|flow| &flow.controls));
    for control in all_controls {
        if !known_controls.contains(&control.as_str()) {
            diagnostics.push(
                Diagnostic::warning(
                    "unknown-control",
                    format!(
                        "`{}` is not a control in the catalog, so no rule counts it",
                        control.value
                    ),
                )
                .at(control.span)
                .with_optional_help(
                    did_you_mean(control, known_controls.iter().copied())
                        .map(|s| format!("did you mean `{s}`?")),
                ),
            );
        }
    }

    let rule_ids: Vec<&str> = catalog.rules.iter().map(|r| r.id.as_str()).collect();
    for assumption in &model.assumptions {
        for rule in &assumption.excludes {
            if !rule_ids.contains(&rule.as_str()) {
                diagnostics.push(
                    Diagnostic::warning(
                        "unknown-rule",
                        format!("no loaded rule has the id `{}`", rule.value),
                    )
                    .at(rule.span)
                    .with_optional_help(
                        did_you_mean(rule, rule_ids.iter().copied())
                            .map(|s| format!("did you mean `{s}`?")),
                    ),
                );
            }
        }
    }
    diagnostics
}
