//! Attack trees generated from ranked findings: one tree per patient harm
//! that some finding reaches.
//!
//! The root is the harm (`cause <description>`), an OR over the findings
//! whose harm path reaches it. Each finding is a SAND of its steps: gain the
//! position the threat statement names (its source and prerequisites), carry
//! out its action, and, when a person reviews output on the harm path, get
//! the fault past that review. The controls that mitigate a finding are
//! countermeasures on its action. Findings that name the same position, the
//! same reviewer or the same control share one node or countermeasure, so
//! the tree is a DAG and the evaluation counts a shared step once.

use std::collections::{HashMap, HashSet};

use noharm_engine::FindingStatus;
use noharm_engine::rule::Exploitability;
use noharm_model::Model;
use noharm_model::keywords::FailureMode;
use noharm_risk::RankedFinding;

use crate::adtool::slug;
use crate::builder::TreeBuilder;
use crate::tree::{AttackTree, Countermeasure, Gate, Node, NodeId, Step};

/// The attributes of a step by the exploitability of the finding's rule:
/// the easier a threat is to carry out, the cheaper, easier, quicker and
/// likelier each of its steps. Costs are in an arbitrary unit, time in hours.
pub const EXPLOITABILITY_STEPS: &[(Exploitability, Step)] = &[
    (
        Exploitability::High,
        Step {
            cost: 100.0,
            skill: 2,
            time: 1.0,
            probability: 0.8,
        },
    ),
    (
        Exploitability::Medium,
        Step {
            cost: 1_000.0,
            skill: 3,
            time: 8.0,
            probability: 0.5,
        },
    ),
    (
        Exploitability::Low,
        Step {
            cost: 10_000.0,
            skill: 4,
            time: 40.0,
            probability: 0.2,
        },
    ),
];

/// Getting a fault past a person who reviews the output: no cost or time of
/// its own, some skill to make the fault look plausible, and a reviewer who
/// misses it about three times in ten.
pub const REVIEW_STEP: Step = Step {
    cost: 0.0,
    skill: 3,
    time: 0.0,
    probability: 0.3,
};

/// The attributes of a step of a finding with this exploitability.
pub fn step_for(exploitability: Exploitability) -> Step {
    EXPLOITABILITY_STEPS
        .iter()
        .find(|(level, _)| *level == exploitability)
        .map_or(REVIEW_STEP, |(_, step)| *step)
}

/// One tree per harm that a finding reaches, in the model's order of harms.
/// Findings excluded by an assumption are left out.
pub fn trees_from_findings(model: &Model, findings: &[RankedFinding]) -> Vec<AttackTree> {
    let active: Vec<&RankedFinding> = findings
        .iter()
        .filter(|f| f.finding.status != FindingStatus::Excluded)
        .collect();
    model
        .harms
        .iter()
        .filter_map(|harm| {
            let reaching: Vec<&RankedFinding> = active
                .iter()
                .copied()
                .filter(|f| {
                    f.assessment
                        .harm
                        .harms
                        .iter()
                        .any(|h| h == harm.id.as_str())
                })
                .collect();
            if reaching.is_empty() {
                return None;
            }
            let title = format!("cause {}", lower_first(&harm.description));
            tree_for_harm(model, harm.id.as_str(), &title, &reaching)
        })
        .collect()
}

fn tree_for_harm(
    model: &Model,
    harm: &str,
    title: &str,
    findings: &[&RankedFinding],
) -> Option<AttackTree> {
    let mut generator = Generator::new(model);
    let mut seen = HashSet::new();
    let branches: Vec<NodeId> = findings
        .iter()
        .filter(|f| seen.insert(f.finding.fingerprint.as_str()))
        .filter_map(|f| generator.finding(f))
        .collect();
    let root = generator
        .builder
        .add(Node::gate(
            format!("harm:{harm}"),
            title,
            Gate::Or,
            branches,
        ))
        .ok()?;
    generator
        .builder
        .build(format!("harm-{harm}"), title, root)
        .ok()
}

struct Generator<'m> {
    model: &'m Model,
    builder: TreeBuilder,
    /// Access steps by their label.
    access: HashMap<String, NodeId>,
}

impl<'m> Generator<'m> {
    fn new(model: &'m Model) -> Generator<'m> {
        Generator {
            model,
            builder: TreeBuilder::new(),
            access: HashMap::new(),
        }
    }

    fn finding(&mut self, ranked: &RankedFinding) -> Option<NodeId> {
        let finding = &ranked.finding;
        let step = step_for(finding.exploitability);
        let mut steps = vec![self.access_step(ranked, step)?];
        let action = self
            .builder
            .add(Node::step(
                finding.fingerprint.clone(),
                finding.statement_parts.action.trim(),
                step,
            ))
            .ok()?;
        steps.push(action);
        if let Some(review) = self.review_step(ranked) {
            steps.push(review);
        }
        self.controls(ranked, action);
        self.builder
            .add(Node::gate(
                format!("finding:{}", finding.fingerprint),
                finding.title.clone(),
                Gate::Sand,
                steps,
            ))
            .ok()
    }

    /// Gaining the position the statement names; one node per position, with
    /// the easiest attributes of the findings that share it.
    fn access_step(&mut self, ranked: &RankedFinding, step: Step) -> Option<NodeId> {
        let parts = &ranked.finding.statement_parts;
        let position = match parts.prerequisites.as_deref() {
            Some(prerequisites) => format!("{} {}", parts.source.trim(), prerequisites.trim()),
            None => parts.source.trim().to_string(),
        };
        let position = position.trim_end_matches([',', ';', ' ']);
        let label = format!("gain the position of {position}");
        if let Some(&id) = self.access.get(&label) {
            if let Some(node) = self.builder.node_mut(id)
                && let crate::tree::NodeKind::Step(existing) = &mut node.kind
            {
                *existing = easiest(*existing, step);
            }
            return Some(id);
        }
        let base = format!("gain:{}", slug(position));
        let mut id = base.clone();
        let mut n = 2;
        while self.builder.find(&id).is_some() {
            id = format!("{base}-{n}");
            n += 1;
        }
        let node = self.builder.add(Node::step(id, label.clone(), step)).ok()?;
        self.access.insert(label, node);
        Some(node)
    }

    /// Getting the fault past review, when a person reviews output on the
    /// harm path and the fault is one review could catch.
    fn review_step(&mut self, ranked: &RankedFinding) -> Option<NodeId> {
        let harm = &ranked.assessment.harm;
        if !harm.reviewed {
            return None;
        }
        let mode = ranked.finding.failure_mode?;
        let what = match mode {
            FailureMode::WrongOutput => "get the wrong output past human review",
            FailureMode::NoOutput => "keep the missing output from being caught at human review",
            FailureMode::Disclosure => return None,
        };
        let reviewer = harm
            .path
            .iter()
            .rev()
            .filter_map(|id| self.model.element(id))
            .find(|element| element.reviews_output);
        let (key, place) = reviewer.map_or(("path", "on the path".to_string()), |element| {
            (
                element.id.as_str(),
                format!("at {}", element.display_name()),
            )
        });
        let id = format!("review:{key}:{mode}");
        if let Some(existing) = self.builder.find(&id) {
            return Some(existing);
        }
        self.builder
            .add(Node::step(id, format!("{what} {place}"), REVIEW_STEP))
            .ok()
    }

    /// The finding's mitigating controls as countermeasures on its action:
    /// applied where in place, shared by every finding naming the control.
    fn controls(&mut self, ranked: &RankedFinding, action: NodeId) {
        let finding = &ranked.finding;
        for control in &finding.mitigations {
            let in_place = finding.controls_in_place.contains(control);
            let (id, label) = if in_place {
                (
                    format!("{control}:in-place"),
                    format!("{control} (in place)"),
                )
            } else {
                (control.clone(), control.clone())
            };
            match self.builder.countermeasure_mut(&id) {
                Some(existing) => existing.blocks.push(action),
                None => self.builder.countermeasure(Countermeasure {
                    id,
                    label,
                    cost: 0.0,
                    blocks: vec![action],
                    applied: in_place,
                }),
            }
        }
    }
}

fn easiest(a: Step, b: Step) -> Step {
    Step {
        cost: a.cost.min(b.cost),
        skill: a.skill.min(b.skill),
        time: a.time.min(b.time),
        probability: a.probability.max(b.probability),
    }
}

/// `Septic patient not flagged` to `septic patient not flagged`, leaving
/// acronyms (`ICU beds ...`) alone.
fn lower_first(text: &str) -> String {
    let text = text.trim().trim_end_matches('.');
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowers_the_first_letter_but_not_an_acronym() {
        assert_eq!(
            lower_first("Septic patient not flagged."),
            "septic patient not flagged"
        );
        assert_eq!(lower_first("ICU bed not freed"), "ICU bed not freed");
        assert_eq!(lower_first("x"), "x");
        assert_eq!(lower_first(""), "");
    }

    #[test]
    fn exploitability_picks_its_row() {
        assert_eq!(step_for(Exploitability::High).cost, 100.0);
        assert_eq!(step_for(Exploitability::Low).skill, 4);
        let shared = easiest(
            step_for(Exploitability::Low),
            step_for(Exploitability::High),
        );
        assert_eq!(shared, step_for(Exploitability::High));
    }
}
