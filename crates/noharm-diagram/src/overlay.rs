//! Findings per element and flow: how many are open and the best (most
//! urgent) priority among them.

use std::collections::HashMap;

use noharm_engine::FindingStatus;
use noharm_risk::{Priority, RankedFinding};

/// The open findings on one element or flow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Overlay {
    /// How many open findings have it as their subject.
    pub(crate) open: usize,
    /// The lowest-numbered priority among them.
    pub(crate) best: Option<Priority>,
}

/// Overlays by subject id (element and flow ids are unique in a model).
/// Mitigated and excluded findings are left out.
pub(crate) fn overlays(findings: &[RankedFinding]) -> HashMap<String, Overlay> {
    let mut by_subject: HashMap<String, Overlay> = HashMap::new();
    for ranked in findings {
        if ranked.finding.status != FindingStatus::Open {
            continue;
        }
        let overlay = by_subject
            .entry(ranked.finding.subject.id.clone())
            .or_default();
        overlay.open += 1;
        let priority = ranked.assessment.priority;
        overlay.best = Some(overlay.best.map_or(priority, |best| best.min(priority)));
    }
    by_subject
}
