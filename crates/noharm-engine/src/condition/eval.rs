//! Evaluating a compiled condition against the facts of one subject.

use super::Expr;
use super::fields::{ElementField, Field, FlowField, ReachField, Scope, SideField, SystemField};
use crate::facts::{ElementFacts, Facts, ReachFacts, SideFacts};
use crate::mask::Mask;

/// The subject a rule is evaluated on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Subject {
    Element(usize),
    Flow(usize),
}

enum Value {
    Bool(bool),
    Scalar(Option<u8>),
    Set(Mask),
    Number(f64),
}

/// Whether `expr` holds for `subject`.
pub(crate) fn holds(expr: &Expr, facts: &Facts, subject: Subject) -> bool {
    match expr {
        Expr::True => true,
        Expr::And(terms) => terms.iter().all(|term| holds(term, facts, subject)),
        Expr::Or(terms) => terms.iter().any(|term| holds(term, facts, subject)),
        Expr::Not(inner) => !holds(inner, facts, subject),
        Expr::Bool(field) => matches!(value(*field, facts, subject), Some(Value::Bool(true))),
        Expr::ScalarIn { field, values } => match value(*field, facts, subject) {
            Some(Value::Scalar(Some(index))) => values.contains(index as usize),
            _ => false,
        },
        Expr::ScalarCompare {
            field,
            vocab,
            op,
            rank,
        } => match value(*field, facts, subject) {
            Some(Value::Scalar(Some(index))) => vocab
                .rank(index)
                .is_some_and(|actual| op.holds(actual, *rank)),
            _ => false,
        },
        Expr::NumberCompare {
            field,
            op,
            value: expected,
        } => match value(*field, facts, subject) {
            Some(Value::Number(actual)) => op.holds(actual, *expected),
            _ => false,
        },
        Expr::SetAny { field, values } => {
            set(*field, facts, subject).is_some_and(|set| set.intersects(*values))
        }
        Expr::SetAll { field, values } => {
            set(*field, facts, subject).is_some_and(|set| set.contains_all(*values))
        }
        Expr::SetEmpty(field) => set(*field, facts, subject).is_some_and(Mask::is_empty),
        Expr::IsSet(field) => matches!(value(*field, facts, subject), Some(Value::Scalar(Some(_)))),
    }
}

fn set(field: Field, facts: &Facts, subject: Subject) -> Option<Mask> {
    match value(field, facts, subject)? {
        Value::Set(mask) => Some(mask),
        _ => None,
    }
}

fn value(field: Field, facts: &Facts, subject: Subject) -> Option<Value> {
    match field {
        Field::Element(scope, field) => {
            let index = match (scope, subject) {
                (Scope::Element, Subject::Element(idx)) => idx,
                (Scope::Source, Subject::Flow(idx)) => facts.flows.get(idx)?.from,
                (Scope::Target, Subject::Flow(idx)) => facts.flows.get(idx)?.to,
                _ => return None,
            };
            facts
                .elements
                .get(index)
                .map(|element| element_value(element, field))
        }
        Field::Flow(field) => match subject {
            Subject::Flow(idx) => facts.flows.get(idx).map(|flow| flow_value(flow, field)),
            Subject::Element(_) => None,
        },
        Field::System(field) => Some(Value::Scalar(Some(match field {
            SystemField::ClinicalUse => facts.system.clinical_use,
            SystemField::Regulated => facts.system.regulated,
            SystemField::RiskTier => facts.system.risk_tier,
        }))),
    }
}

fn element_value(element: &ElementFacts, field: ElementField) -> Value {
    use ElementField as E;
    match field {
        E::Kind => Value::Scalar(Some(element.kind)),
        E::Stage => Value::Scalar(element.stage),
        E::Exposure => Value::Scalar(element.exposure),
        E::Updates => Value::Scalar(element.updates),
        E::Tech => Value::Set(element.tech),
        E::Controls => Value::Set(element.controls),
        E::Stores => Value::Set(element.stores),
        E::Data => Value::Set(element.data),
        E::BoundaryKinds => Value::Set(element.boundary_kinds),
        E::InBoundary => Value::Bool(element.in_boundary),
        E::VendorOperated => Value::Bool(element.vendor_operated),
        E::ReviewsOutput => Value::Bool(element.reviews_output),
        E::DrivesHarm => Value::Bool(element.drives_harm),
        E::HarmSeverity => Value::Scalar(element.harm_severity),
        E::HasFallback => Value::Bool(element.has_fallback),
        E::Artifacts => Value::Set(element.artifacts),
        E::ArtifactsUnhashed => Value::Bool(element.artifacts_unhashed),
        E::InboundCount => Value::Number(f64::from(element.inbound_count)),
        E::OutboundCount => Value::Number(f64::from(element.outbound_count)),
        E::Inbound(side) => side_value(&element.inbound, side),
        E::Outbound(side) => side_value(&element.outbound, side),
        E::Upstream(reach) => reach_value(&element.upstream, reach),
        E::Downstream(reach) => reach_value(&element.downstream, reach),
    }
}

fn side_value(side: &SideFacts, field: SideField) -> Value {
    match field {
        SideField::Protocols => Value::Set(side.protocols),
        SideField::Data => Value::Set(side.data),
        SideField::Kinds => Value::Set(side.kinds),
        SideField::Stages => Value::Set(side.stages),
        SideField::Unauthenticated => Value::Bool(side.unauthenticated),
        SideField::Unencrypted => Value::Bool(side.unencrypted),
        SideField::CrossesBoundary => Value::Bool(side.crosses_boundary),
        SideField::CrossesVendorBoundary => Value::Bool(side.crosses_vendor_boundary),
        SideField::FromInternet => Value::Bool(side.from_internet),
    }
}

fn reach_value(reach: &ReachFacts, field: ReachField) -> Value {
    match field {
        ReachField::Kinds => Value::Set(reach.kinds),
        ReachField::Stages => Value::Set(reach.stages),
        ReachField::Tech => Value::Set(reach.tech),
        ReachField::Data => Value::Set(reach.data),
        ReachField::Controls => Value::Set(reach.controls),
        ReachField::DrivesHarm => Value::Bool(reach.drives_harm),
        ReachField::UnreviewedHarm => Value::Bool(reach.unreviewed_harm),
        ReachField::Reviewed => Value::Bool(reach.reviewed),
    }
}

fn flow_value(flow: &crate::facts::FlowFacts, field: FlowField) -> Value {
    use FlowField as F;
    match field {
        F::Protocol => Value::Scalar(flow.protocol),
        F::Authenticated => Value::Bool(flow.authenticated),
        F::Encrypted => Value::Bool(flow.encrypted),
        F::AuthenticationKnown => Value::Bool(flow.authentication_known),
        F::EncryptionKnown => Value::Bool(flow.encryption_known),
        F::Data => Value::Set(flow.data),
        F::Controls => Value::Set(flow.controls),
        F::CrossesBoundary => Value::Bool(flow.crosses_boundary),
        F::CrossesVendorBoundary => Value::Bool(flow.crosses_vendor_boundary),
        F::CrossedKinds => Value::Set(flow.crossed_kinds),
        F::LeavesOrganization => Value::Bool(flow.leaves_organization),
    }
}
