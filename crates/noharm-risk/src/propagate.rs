//! Harm propagation: from the element a finding is about, follow the flows
//! downstream to the decision points whose harms match the finding's failure
//! mode, and keep the worst harm with the path that reaches it.
//!
//! For each failure mode and each severity, from the worst down, one reverse
//! breadth-first search from the decision points marks every element that
//! reaches them. The first search to mark an element gives it the worst harm
//! it can reach, and breadth-first order gives the shortest path to it. That
//! is fifteen linear passes in all, however many findings there are.

use std::collections::{HashMap, VecDeque};

use noharm_model::keywords::{FailureMode, Severity, Stage};
use noharm_model::{Element, Model};
use noharm_syntax::Keyword;
use serde::Serialize;

/// Controls that count as monitoring of what flows past an element.
const MONITORING_CONTROLS: &[&str] = &[
    "drift-monitoring",
    "performance-monitoring",
    "anomaly-detection",
];

/// What reaching a decision point means for one finding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct HarmPath {
    /// The worst severity reached; absent when no matching harm is reachable.
    pub severity: Option<Severity>,
    /// The harms of that severity at the decision point reached.
    pub harms: Vec<String>,
    /// Element ids from where the fault starts to the decision point.
    pub path: Vec<String>,
    /// A person reviews output somewhere on the path (the decision point
    /// included).
    pub reviewed: bool,
    /// Something watches the path: a monitoring stage fed by it, or a
    /// monitoring control on it.
    pub monitored: bool,
    /// The path in words: `a -> b -> c: missed-sepsis, critical`.
    pub explanation: String,
}

/// The best route from an element to a harm, for one failure mode.
#[derive(Clone, Copy, Debug)]
struct Reach {
    severity: Severity,
    /// The next element towards the decision point; `None` at the decision
    /// point itself.
    next: Option<usize>,
}

/// Precomputed reach of every element, for every failure mode.
#[derive(Debug)]
pub struct HarmGraph<'m> {
    model: &'m Model,
    index: HashMap<&'m str, usize>,
    successors: Vec<Vec<usize>>,
    reach: HashMap<FailureMode, Vec<Option<Reach>>>,
}

impl<'m> HarmGraph<'m> {
    /// Builds the graph and the reach of every element.
    pub fn new(model: &'m Model) -> HarmGraph<'m> {
        let index: HashMap<&str, usize> = model
            .elements
            .iter()
            .enumerate()
            .map(|(idx, element)| (element.id.as_str(), idx))
            .collect();
        let n = model.elements.len();
        let mut successors = vec![Vec::new(); n];
        let mut predecessors = vec![Vec::new(); n];
        for flow in &model.flows {
            if let (Some(&from), Some(&to)) =
                (index.get(flow.from.as_str()), index.get(flow.to.as_str()))
            {
                successors[from].push(to);
                predecessors[to].push(from);
            }
        }

        let mut reach = HashMap::new();
        for &(_, mode) in FailureMode::ALL {
            reach.insert(mode, reach_for_mode(model, mode, &predecessors));
        }
        HarmGraph {
            model,
            index,
            successors,
            reach,
        }
    }

    /// The element index of an id.
    pub fn element_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Follows `mode` from `start` (and, for a flow, from its source first).
    pub fn harm_path(&self, start: usize, before: Option<usize>, mode: FailureMode) -> HarmPath {
        let mut path: Vec<usize> = before.into_iter().collect();
        let Some(reach) = self
            .reach
            .get(&mode)
            .and_then(|per_element| per_element[start])
        else {
            return HarmPath {
                explanation: "no path to a patient harm of this failure mode".to_string(),
                ..HarmPath::default()
            };
        };

        path.push(start);
        let mut current = reach;
        while let Some(next) = current.next {
            // The search guarantees a finite chain; the bound guards anyway.
            if path.len() > self.model.elements.len() + 1 {
                break;
            }
            path.push(next);
            match self
                .reach
                .get(&mode)
                .and_then(|per_element| per_element[next])
            {
                Some(step) => current = step,
                None => break,
            }
        }

        let decision_point = &self.model.elements[*path.last().unwrap_or(&start)];
        let harms: Vec<String> = decision_point
            .drives
            .iter()
            .filter_map(|id| self.model.harm(id))
            .filter(|harm| harm.severity == reach.severity && harm.modes.contains(&mode))
            .map(|harm| harm.id.value.clone())
            .collect();
        let ids: Vec<String> = path
            .iter()
            .map(|&idx| self.model.elements[idx].id.value.clone())
            .collect();
        let on_path = &path[usize::from(before.is_some())..];

        HarmPath {
            severity: Some(reach.severity),
            explanation: format!(
                "{}: {}, {}",
                ids.join(" -> "),
                harms.join(", "),
                reach.severity.as_str()
            ),
            reviewed: on_path
                .iter()
                .any(|&idx| self.model.elements[idx].reviews_output),
            monitored: self.monitored(on_path),
            harms,
            path: ids,
        }
    }

    fn monitored(&self, path: &[usize]) -> bool {
        let is_monitor = |element: &Element| element.stage == Some(Stage::Monitoring);
        path.iter().any(|&idx| {
            let element = &self.model.elements[idx];
            is_monitor(element)
                || MONITORING_CONTROLS
                    .iter()
                    .any(|control| element.has_control(control))
                || self.successors[idx]
                    .iter()
                    .any(|&next| is_monitor(&self.model.elements[next]))
        })
    }
}

fn reach_for_mode(
    model: &Model,
    mode: FailureMode,
    predecessors: &[Vec<usize>],
) -> Vec<Option<Reach>> {
    let mut reach: Vec<Option<Reach>> = vec![None; model.elements.len()];
    let severities = Severity::ALL.iter().rev().map(|&(_, severity)| severity);

    let harms: HashMap<&str, &noharm_model::Harm> =
        model.harms.iter().map(|h| (h.id.as_str(), h)).collect();
    for severity in severities {
        let mut queue = VecDeque::new();
        for (idx, element) in model.elements.iter().enumerate() {
            let drives_it = element
                .drives
                .iter()
                .filter_map(|id| harms.get(id.as_str()))
                .any(|harm| harm.severity == severity && harm.modes.contains(&mode));
            if drives_it && reach[idx].is_none() {
                reach[idx] = Some(Reach {
                    severity,
                    next: None,
                });
                queue.push_back(idx);
            }
        }
        while let Some(idx) = queue.pop_front() {
            for &prev in &predecessors[idx] {
                if reach[prev].is_none() {
                    reach[prev] = Some(Reach {
                        severity,
                        next: Some(idx),
                    });
                    queue.push_back(prev);
                }
            }
        }
    }
    reach
}
