//! The scoring policy: how findings are weighed and where the acceptability
//! lines are. Every organisation sets its own in its risk management plan,
//! so all of it can be changed in a policy file; the defaults are documented
//! in `docs/policy.md`.

use std::collections::BTreeMap;

use noharm_model::keywords::{RiskTier, Severity};
use noharm_syntax::{
    Decoder, Diagnostic, FileId, Keyword, Limits, MapReader, Node, SourceMap, keyword_enum,
    parse_yaml,
};
use serde::Serialize;

keyword_enum! {
    /// How likely a fault is to reach the patient, on a five-step scale.
    pub enum Likelihood ("likelihood") {
        /// Hard to imagine happening.
        Rare = "rare",
        /// Could happen, but not expected.
        Unlikely = "unlikely",
        /// Might well happen.
        Possible = "possible",
        /// Expected to happen.
        Likely = "likely",
        /// Will happen repeatedly.
        Frequent = "frequent",
    }
}

keyword_enum! {
    /// A zone of the acceptability matrix.
    pub enum Zone ("acceptability zone") {
        /// Acceptable as it is.
        Acceptable = "acceptable",
        /// Reduce as far as possible, and justify what remains.
        Reduce = "reduce",
        /// Must be reduced before use.
        Unacceptable = "unacceptable",
    }
}

keyword_enum! {
    /// Which finding to fix first: P1 before P2 and so on.
    pub enum Priority ("priority") {
        /// Fix now: the risk to patients is unacceptable.
        P1 = "P1",
        /// Fix soon: patient harm is possible and must be reduced.
        P2 = "P2",
        /// Plan the fix.
        P3 = "P3",
        /// Track.
        P4 = "P4",
    }
}

impl Likelihood {
    /// 1 for rare to 5 for frequent.
    pub fn rank(self) -> u8 {
        match self {
            Likelihood::Rare => 1,
            Likelihood::Unlikely => 2,
            Likelihood::Possible => 3,
            Likelihood::Likely => 4,
            Likelihood::Frequent => 5,
        }
    }

    /// The likelihood of rank `rank`, clamped to the scale.
    pub fn from_rank(rank: i32) -> Likelihood {
        match rank {
            i32::MIN..=1 => Likelihood::Rare,
            2 => Likelihood::Unlikely,
            3 => Likelihood::Possible,
            4 => Likelihood::Likely,
            _ => Likelihood::Frequent,
        }
    }
}

/// Weights of the score. Patient harm carries a weight larger than all the
/// others together, so a finding that can hurt a patient always outranks one
/// that cannot, and a worse harm outranks a lesser one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Weights {
    /// Per step of harm severity (1 negligible to 5 catastrophic).
    pub harm: f64,
    /// Per step of likelihood (1 rare to 5 frequent).
    pub likelihood: f64,
    /// When the finding exposes PHI.
    pub phi_exposure: f64,
    /// When the failure takes a decision point down.
    pub downtime: f64,
    /// Per step of exploitability (1 low to 3 high).
    pub exploitability: f64,
    /// When the failure would go unnoticed.
    pub detectability: f64,
    /// Per step of technical severity (1 low to 4 critical).
    pub technical: f64,
}

/// How likelihood is estimated from what the model says.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LikelihoodRules {
    /// Starting points by exploitability (low, medium, high).
    pub base: [i32; 3],
    /// Added when the subject is reachable from the internet.
    pub internet_exposure: i32,
    /// Added when a person reviews output on the harm path.
    pub human_review: i32,
    /// Added when the harm path is monitored.
    pub monitoring: i32,
    /// Added when a mitigating control is in place.
    pub mitigated: i32,
}

/// The whole policy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Policy {
    /// Labels shown for the five severity steps.
    pub severity_labels: BTreeMap<String, String>,
    /// The acceptability matrix: for each severity (negligible first), the
    /// zone at each likelihood (rare first).
    pub matrix: [[Zone; 5]; 5],
    /// Score weights.
    pub weights: Weights,
    /// Likelihood estimation.
    pub likelihood: LikelihoodRules,
    /// Days to fix by priority, for the register.
    pub due_days: BTreeMap<String, u32>,
    /// Roles that must sign a residual-risk acceptance, by risk tier.
    pub sign_off: BTreeMap<String, Vec<String>>,
    /// Days between reassessments, by risk tier.
    pub reassessment_days: BTreeMap<String, u32>,
}

impl Default for Policy {
    fn default() -> Policy {
        use Zone::{Acceptable as A, Reduce as R, Unacceptable as U};
        let labels = [
            ("negligible", "Negligible: inconvenience, no injury"),
            ("minor", "Minor: temporary injury, no intervention"),
            ("serious", "Serious: injury needing intervention"),
            (
                "critical",
                "Critical: permanent impairment or life-threatening",
            ),
            ("catastrophic", "Catastrophic: death"),
        ];
        Policy {
            severity_labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            matrix: [
                [A, A, A, A, R],
                [A, A, A, R, R],
                [A, R, R, U, U],
                [R, R, U, U, U],
                [R, U, U, U, U],
            ],
            weights: Weights {
                harm: 100.0,
                likelihood: 8.0,
                phi_exposure: 10.0,
                downtime: 6.0,
                exploitability: 4.0,
                detectability: 4.0,
                technical: 3.0,
            },
            likelihood: LikelihoodRules {
                base: [2, 3, 4],
                internet_exposure: 1,
                human_review: -1,
                monitoring: -1,
                mitigated: -2,
            },
            due_days: [("P1", 14), ("P2", 30), ("P3", 90), ("P4", 180)]
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect(),
            sign_off: [
                ("low", vec!["security"]),
                ("moderate", vec!["security", "clinical-safety"]),
                ("high", vec!["clinical-safety", "security", "compliance"]),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(ToString::to_string).collect()))
            .collect(),
            reassessment_days: [("low", 365), ("moderate", 180), ("high", 90)]
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect(),
        }
    }
}

impl Policy {
    /// The zone of a severity and likelihood.
    pub fn zone(&self, severity: Severity, likelihood: Likelihood) -> Zone {
        let row = usize::from(severity.rank().saturating_sub(1)).min(4);
        let column = usize::from(likelihood.rank().saturating_sub(1)).min(4);
        self.matrix[row][column]
    }

    /// The roles that must sign a residual-risk acceptance for a system of
    /// this tier.
    pub fn sign_off_roles(&self, tier: RiskTier) -> &[String] {
        self.sign_off.get(tier.as_str()).map_or(&[], Vec::as_slice)
    }

    /// The largest score the non-harm terms can add, which the harm weight
    /// must exceed for harm to come first.
    fn non_harm_maximum(&self) -> f64 {
        let w = &self.weights;
        w.likelihood * 5.0
            + w.phi_exposure
            + w.downtime
            + w.exploitability * 3.0
            + w.detectability
            + w.technical * 4.0
    }
}

const POLICY_FIELDS: &[&str] = &[
    "noharm-policy",
    "severity_labels",
    "acceptability",
    "weights",
    "likelihood",
    "due_days",
    "sign_off",
    "reassessment_days",
];
const WEIGHT_FIELDS: &[&str] = &[
    "harm",
    "likelihood",
    "phi_exposure",
    "downtime",
    "exploitability",
    "detectability",
    "technical",
];
const LIKELIHOOD_FIELDS: &[&str] = &[
    "base",
    "internet_exposure",
    "human_review",
    "monitoring",
    "mitigated",
];
const BASE_FIELDS: &[&str] = &["low", "medium", "high"];

/// Reads a policy file: every key optional, defaults for what is absent.
pub fn load_policy(sources: &SourceMap, file: FileId) -> Result<Policy, Vec<Diagnostic>> {
    let root = parse_yaml(sources.file(file), file, &Limits::default()).map_err(|d| vec![*d])?;
    let mut decoder = Decoder::new();
    let mut policy = Policy::default();

    if let Some(mut map) = decoder.map(&root, "the policy", POLICY_FIELDS) {
        if map.get("noharm-policy").and_then(Node::scalar_text) != Some("1") {
            decoder.report(
                Diagnostic::error("unsupported-version", "the file is not a version 1 policy")
                    .at(root.head_span())
                    .with_help("start the file with `noharm-policy: 1`"),
            );
        }
        read_labels(&mut decoder, &mut map, &mut policy);
        read_matrix(&mut decoder, &mut map, &mut policy);
        read_weights(&mut decoder, &mut map, &mut policy);
        read_likelihood(&mut decoder, &mut map, &mut policy);
        read_number_map(
            &mut decoder,
            &mut map,
            "due_days",
            &mut policy.due_days,
            Priority::words(),
        );
        read_number_map(
            &mut decoder,
            &mut map,
            "reassessment_days",
            &mut policy.reassessment_days,
            RiskTier::words(),
        );
        read_sign_off(&mut decoder, &mut map, &mut policy);
        map.finish(&mut decoder);
    }

    if policy.weights.harm <= policy.non_harm_maximum() {
        decoder.report(
            Diagnostic::error(
                "invalid-value",
                format!(
                    "the harm weight {} does not exceed the {} the other weights can add together",
                    policy.weights.harm,
                    policy.non_harm_maximum()
                ),
            )
            .at(root.head_span())
            .with_help("patient harm ranks first only when its weight is larger than all the others combined"),
        );
    }

    let diagnostics = decoder.into_diagnostics();
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    Ok(policy)
}

fn read_labels(decoder: &mut Decoder, map: &mut MapReader<'_>, policy: &mut Policy) {
    let Some(node) = map.get("severity_labels") else {
        return;
    };
    let Some(mut labels) = decoder.map(node, "`severity_labels`", SEVERITY_WORDS) else {
        return;
    };
    for &word in SEVERITY_WORDS {
        if let Some(label) = labels.get(word).and_then(|n| decoder.text(n, "a label")) {
            policy.severity_labels.insert(word.to_string(), label.value);
        }
    }
    labels.finish(decoder);
}

const SEVERITY_WORDS: &[&str] = &["negligible", "minor", "serious", "critical", "catastrophic"];

fn read_matrix(decoder: &mut Decoder, map: &mut MapReader<'_>, policy: &mut Policy) {
    let Some(node) = map.get("acceptability") else {
        return;
    };
    let Some(mut rows) = decoder.map(node, "`acceptability`", SEVERITY_WORDS) else {
        return;
    };
    for (row_idx, &word) in SEVERITY_WORDS.iter().enumerate() {
        let Some(row) = rows.get(word) else { continue };
        let zones = decoder.list(row, &format!("the `{word}` row"), |d, item| {
            d.keyword::<Zone>(item)
        });
        if zones.len() != 5 {
            decoder.report(
                Diagnostic::error(
                    "invalid-value",
                    format!(
                        "the `{word}` row has {} zones, one per likelihood needs 5",
                        zones.len()
                    ),
                )
                .at(row.span)
                .with_help(
                    "list zones for rare, unlikely, possible, likely and frequent, in that order",
                ),
            );
            continue;
        }
        for (column, zone) in zones.into_iter().enumerate() {
            policy.matrix[row_idx][column] = zone.value;
        }
    }
    rows.finish(decoder);
}

fn read_weights(decoder: &mut Decoder, map: &mut MapReader<'_>, policy: &mut Policy) {
    let Some(node) = map.get("weights") else {
        return;
    };
    let Some(mut weights) = decoder.map(node, "`weights`", WEIGHT_FIELDS) else {
        return;
    };
    let w = &mut policy.weights;
    for (key, slot) in [
        ("harm", &mut w.harm),
        ("likelihood", &mut w.likelihood),
        ("phi_exposure", &mut w.phi_exposure),
        ("downtime", &mut w.downtime),
        ("exploitability", &mut w.exploitability),
        ("detectability", &mut w.detectability),
        ("technical", &mut w.technical),
    ] {
        if let Some(value) = weights.get(key).and_then(|n| read_number(decoder, n, key)) {
            *slot = value;
        }
    }
    weights.finish(decoder);
}

fn read_likelihood(decoder: &mut Decoder, map: &mut MapReader<'_>, policy: &mut Policy) {
    let Some(node) = map.get("likelihood") else {
        return;
    };
    let Some(mut rules) = decoder.map(node, "`likelihood`", LIKELIHOOD_FIELDS) else {
        return;
    };
    let l = &mut policy.likelihood;
    if let Some(base) = rules.get("base")
        && let Some(mut base_map) = decoder.map(base, "`likelihood.base`", BASE_FIELDS)
    {
        for (idx, key) in BASE_FIELDS.iter().enumerate() {
            if let Some(value) = base_map.get(key).and_then(|n| read_step(decoder, n, key)) {
                l.base[idx] = value;
            }
        }
        base_map.finish(decoder);
    }
    for (key, slot) in [
        ("internet_exposure", &mut l.internet_exposure),
        ("human_review", &mut l.human_review),
        ("monitoring", &mut l.monitoring),
        ("mitigated", &mut l.mitigated),
    ] {
        if let Some(value) = rules.get(key).and_then(|n| read_step(decoder, n, key)) {
            *slot = value;
        }
    }
    rules.finish(decoder);
}

fn read_number_map<'w>(
    decoder: &mut Decoder,
    map: &mut MapReader<'_>,
    key: &'static str,
    target: &mut BTreeMap<String, u32>,
    words: impl Iterator<Item = &'w str>,
) {
    let Some(node) = map.get(key) else { return };
    let words: Vec<&str> = words.collect();
    let fields: &'static [&'static str] = if key == "due_days" {
        &["P1", "P2", "P3", "P4"]
    } else {
        &["low", "moderate", "high"]
    };
    let Some(mut entries) = decoder.map(node, &format!("`{key}`"), fields) else {
        return;
    };
    for word in words {
        if let Some(value) = entries.get(word).and_then(|n| decoder.unsigned(n, word)) {
            target.insert(word.to_string(), u32::try_from(value).unwrap_or(u32::MAX));
        }
    }
    entries.finish(decoder);
}

fn read_sign_off(decoder: &mut Decoder, map: &mut MapReader<'_>, policy: &mut Policy) {
    let Some(node) = map.get("sign_off") else {
        return;
    };
    let Some(mut tiers) = decoder.map(node, "`sign_off`", &["low", "moderate", "high"]) else {
        return;
    };
    for tier in ["low", "moderate", "high"] {
        if let Some(roles) = tiers.get(tier) {
            let roles = decoder.list(roles, "the roles", |d, item| d.text(item, "a role"));
            policy.sign_off.insert(
                tier.to_string(),
                roles.into_iter().map(|r| r.value).collect(),
            );
        }
    }
    tiers.finish(decoder);
}

fn read_number(decoder: &mut Decoder, node: &Node, what: &str) -> Option<f64> {
    let text = decoder.text(node, &format!("`{what}`"))?;
    match text.value.parse::<f64>() {
        Ok(value) if value.is_finite() && value >= 0.0 => Some(value),
        _ => {
            decoder.report(
                Diagnostic::error(
                    "invalid-value",
                    format!("`{}` is not a weight of zero or more", text.value),
                )
                .at(text.span),
            );
            None
        }
    }
}

fn read_step(decoder: &mut Decoder, node: &Node, what: &str) -> Option<i32> {
    let text = decoder.text(node, &format!("`{what}`"))?;
    match text.value.parse::<i32>() {
        Ok(value) if (-4..=5).contains(&value) => Some(value),
        _ => {
            decoder.report(
                Diagnostic::error(
                    "invalid-value",
                    format!(
                        "`{}` is not a whole number of steps from -4 to 5",
                        text.value
                    ),
                )
                .at(text.span),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Policy, Vec<Diagnostic>> {
        let mut sources = SourceMap::new();
        let file = sources.add("policy.yaml", "policy.yaml", text);
        load_policy(&sources, file)
    }

    #[test]
    fn the_default_puts_harm_first() {
        let policy = Policy::default();
        assert!(policy.weights.harm > policy.non_harm_maximum());
        assert_eq!(
            policy.zone(Severity::Catastrophic, Likelihood::Unlikely),
            Zone::Unacceptable
        );
        assert_eq!(
            policy.zone(Severity::Negligible, Likelihood::Likely),
            Zone::Acceptable
        );
    }

    #[test]
    fn a_file_overrides_what_it_names() {
        let policy = load(
            "noharm-policy: 1\nweights: {harm: 500}\nacceptability:\n  minor: [acceptable, acceptable, reduce, reduce, unacceptable]\nlikelihood: {human_review: -2}\n",
        )
        .unwrap();
        assert_eq!(policy.weights.harm, 500.0);
        assert_eq!(
            policy.zone(Severity::Minor, Likelihood::Frequent),
            Zone::Unacceptable
        );
        assert_eq!(policy.likelihood.human_review, -2);
        assert_eq!(
            policy.weights.likelihood,
            Policy::default().weights.likelihood
        );
    }

    #[test]
    fn mistakes_are_located() {
        let errors = load(
            "noharm-policy: 1\nweights: {harm: 10}\nacceptability:\n  minor: [acceptable, ok]\n",
        )
        .unwrap_err();
        let codes: Vec<&str> = errors.iter().map(|d| d.code).collect();
        assert!(codes.contains(&"invalid-value"), "{codes:?}");
        assert!(
            errors
                .iter()
                .any(|d| d.message.contains("`ok` is not a valid acceptability zone"))
        );
        assert!(errors.iter().any(|d| d.message.contains("harm weight 10")));
    }
}
