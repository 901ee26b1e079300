//! Scoring and ranking: patient harm first, then likelihood, PHI exposure,
//! downtime, exploitability, detectability and technical severity, as the
//! policy weighs them.

use noharm_engine::rule::{Exploitability, TechnicalSeverity};
use noharm_engine::{Analysis, Finding, FindingStatus};
use std::collections::HashMap;

use noharm_model::keywords::{Classification, Exposure, FailureMode, Severity};
use noharm_model::{DataAsset, Element, Flow, Model};
use serde::Serialize;

use crate::policy::{Likelihood, Policy, Priority, Zone};
use crate::propagate::{HarmGraph, HarmPath};

/// What the harm-first assessment adds to a finding.
#[derive(Clone, Debug, Serialize)]
pub struct Assessment {
    /// The worst patient harm the finding can lead to, and how.
    pub harm: HarmPath,
    /// How likely the fault is to reach the patient.
    pub likelihood: Likelihood,
    /// The acceptability zone of harm and likelihood; absent without harm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<Zone>,
    /// The finding exposes PHI.
    pub phi_exposure: bool,
    /// The failure takes a decision point down.
    pub downtime: bool,
    /// The weighted score; higher is worse.
    pub score: f64,
    /// P1 (fix first) to P4.
    pub priority: Priority,
    /// Position in the fix-first order, from 1.
    pub rank: usize,
}

/// A finding with its assessment.
#[derive(Clone, Debug, Serialize)]
pub struct RankedFinding {
    /// The finding.
    #[serde(flatten)]
    pub finding: Finding,
    /// Its assessment.
    #[serde(flatten)]
    pub assessment: Assessment,
}

/// Assesses every finding of `analysis` and sorts them fix-first.
pub fn rank_findings(model: &Model, analysis: &Analysis, policy: &Policy) -> Vec<RankedFinding> {
    rank_owned_findings(model, analysis.findings.clone(), policy)
}

/// Like [`rank_findings`], taking the findings by value so that large
/// analyses are not copied.
pub fn rank_owned_findings(
    model: &Model,
    findings: Vec<Finding>,
    policy: &Policy,
) -> Vec<RankedFinding> {
    let graph = HarmGraph::new(model);
    let index = ModelIndex::new(model);
    let mut ranked: Vec<RankedFinding> = findings
        .into_iter()
        .map(|finding| RankedFinding {
            assessment: assess(&index, &graph, &finding, policy),
            finding,
        })
        .collect();

    ranked.sort_by(|a, b| {
        excluded_last(&a.finding)
            .cmp(&excluded_last(&b.finding))
            .then(a.assessment.priority.cmp(&b.assessment.priority))
            .then(b.assessment.score.total_cmp(&a.assessment.score))
            .then(a.finding.fingerprint.cmp(&b.finding.fingerprint))
    });
    for (position, finding) in ranked.iter_mut().enumerate() {
        finding.assessment.rank = position + 1;
    }
    ranked
}

/// Lookups by id, so that assessing many findings stays linear.
struct ModelIndex<'m> {
    elements: HashMap<&'m str, &'m Element>,
    flows: HashMap<&'m str, &'m Flow>,
    data: HashMap<&'m str, &'m DataAsset>,
}

impl<'m> ModelIndex<'m> {
    fn new(model: &'m Model) -> ModelIndex<'m> {
        ModelIndex {
            elements: model.elements.iter().map(|e| (e.id.as_str(), e)).collect(),
            flows: model.flows.iter().map(|f| (f.id.as_str(), f)).collect(),
            data: model.data.iter().map(|d| (d.id.as_str(), d)).collect(),
        }
    }
}

fn excluded_last(finding: &Finding) -> bool {
    finding.status == FindingStatus::Excluded
}

fn assess(
    index: &ModelIndex<'_>,
    graph: &HarmGraph<'_>,
    finding: &Finding,
    policy: &Policy,
) -> Assessment {
    let (start, before) = start_of(index, graph, finding);
    let harm = match start {
        Some(start) => match finding.failure_mode {
            Some(mode) => graph.harm_path(start, before, mode),
            None => HarmPath {
                explanation: "the threat changes no output, so it reaches no patient harm"
                    .to_string(),
                ..HarmPath::default()
            },
        },
        None => HarmPath::default(),
    };

    let likelihood = likelihood(index, finding, &harm, policy);
    let phi_exposure = exposes_phi(index, finding);
    let downtime = finding.failure_mode == Some(FailureMode::NoOutput) && harm.severity.is_some();
    let unnoticed = match finding.failure_mode {
        Some(FailureMode::WrongOutput) if !harm.monitored => 1.0,
        Some(FailureMode::Disclosure) if !harm.monitored => 0.5,
        _ => 0.0,
    };

    let w = &policy.weights;
    let score = w.harm * f64::from(harm.severity.map_or(0, Severity::rank))
        + w.likelihood * f64::from(likelihood.rank())
        + w.phi_exposure * f64::from(u8::from(phi_exposure))
        + w.downtime * f64::from(u8::from(downtime))
        + w.exploitability * f64::from(exploitability_rank(finding.exploitability))
        + w.detectability * unnoticed
        + w.technical * f64::from(technical_rank(finding.severity));

    let zone = harm
        .severity
        .map(|severity| policy.zone(severity, likelihood));
    Assessment {
        priority: priority(finding, harm.severity, zone),
        harm,
        likelihood,
        zone,
        phi_exposure,
        downtime,
        score: (score * 10.0).round() / 10.0,
        rank: 0,
    }
}

/// Where a finding's fault enters the graph: the element itself, or a
/// flow's target (with its source shown first on the path).
fn start_of(
    index: &ModelIndex<'_>,
    graph: &HarmGraph<'_>,
    finding: &Finding,
) -> (Option<usize>, Option<usize>) {
    match finding.subject.kind {
        "flow" => match index.flows.get(finding.subject.id.as_str()) {
            Some(flow) => (
                graph.element_index(&flow.to),
                graph.element_index(&flow.from),
            ),
            None => (None, None),
        },
        _ => (graph.element_index(&finding.subject.id), None),
    }
}

fn likelihood(
    index: &ModelIndex<'_>,
    finding: &Finding,
    harm: &HarmPath,
    policy: &Policy,
) -> Likelihood {
    let rules = &policy.likelihood;
    let mut steps = rules.base[usize::from(exploitability_rank(finding.exploitability) - 1)];
    let internet = finding
        .targets
        .iter()
        .filter_map(|id| index.elements.get(id.as_str()))
        .any(|element| element.exposure == Some(Exposure::Internet));
    if internet {
        steps += rules.internet_exposure;
    }
    if harm.reviewed {
        steps += rules.human_review;
    }
    if harm.monitored {
        steps += rules.monitoring;
    }
    if finding.status == FindingStatus::Mitigated {
        steps += rules.mitigated;
    }
    Likelihood::from_rank(steps)
}

fn exposes_phi(index: &ModelIndex<'_>, finding: &Finding) -> bool {
    let is_phi = |id: &noharm_model::Id| {
        index
            .data
            .get(id.as_str())
            .is_some_and(|asset| asset.classification == Classification::Phi)
    };
    match finding.subject.kind {
        "flow" => index
            .flows
            .get(finding.subject.id.as_str())
            .is_some_and(|flow| flow.data.iter().any(is_phi)),
        _ => index
            .elements
            .get(finding.subject.id.as_str())
            .is_some_and(|element| element.stores.iter().chain(&element.processes).any(is_phi)),
    }
}

fn priority(finding: &Finding, severity: Option<Severity>, zone: Option<Zone>) -> Priority {
    if finding.status == FindingStatus::Excluded {
        return Priority::P4;
    }
    match (severity, zone) {
        (Some(_), Some(Zone::Unacceptable)) => Priority::P1,
        (Some(severity), Some(Zone::Reduce)) if severity >= Severity::Serious => Priority::P2,
        (Some(_), Some(Zone::Reduce)) => Priority::P3,
        (Some(_), _) => Priority::P4,
        (None, _)
            if finding.severity >= TechnicalSeverity::High
                && finding.status == FindingStatus::Open =>
        {
            Priority::P3
        }
        (None, _) => Priority::P4,
    }
}

fn exploitability_rank(exploitability: Exploitability) -> u8 {
    match exploitability {
        Exploitability::Low => 1,
        Exploitability::Medium => 2,
        Exploitability::High => 3,
    }
}

fn technical_rank(severity: TechnicalSeverity) -> u8 {
    match severity {
        TechnicalSeverity::Low => 1,
        TechnicalSeverity::Medium => 2,
        TechnicalSeverity::High => 3,
        TechnicalSeverity::Critical => 4,
    }
}
