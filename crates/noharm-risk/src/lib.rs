//! Patient harm first. For each finding, noharm follows its failure mode
//! downstream to the decision points whose harms it can cause, keeps the
//! worst harm with the path as the explanation, estimates how likely the
//! fault is to reach the patient (human review and monitoring on the path
//! lower the likelihood, never the severity), and ranks findings by a policy
//! in which patient harm outweighs everything else.

mod policy;
mod propagate;
mod score;

pub use policy::{Likelihood, LikelihoodRules, Policy, Priority, Weights, Zone, load_policy};
pub use propagate::{HarmGraph, HarmPath};
pub use score::{Assessment, RankedFinding, rank_findings, rank_owned_findings};
