//! The condition language of rules: a small, typed expression language over
//! an element or flow and its graph context. Conditions are parsed and
//! type-checked once, when a pack loads, into an [`Expr`] that evaluates
//! without allocation.

pub(crate) mod eval;
pub(crate) mod fields;
mod lex;
mod parse;

pub(crate) use parse::{ConditionError, compile};

use fields::{Field, Vocab};

use crate::mask::Mask;

/// A comparison operator for ordered values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    fn holds<T: PartialOrd>(self, left: T, right: T) -> bool {
        match self {
            Cmp::Lt => left < right,
            Cmp::Le => left <= right,
            Cmp::Gt => left > right,
            Cmp::Ge => left >= right,
        }
    }
}

/// A compiled condition.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Expr {
    True,
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Bool(Field),
    /// A scalar is present and one of `values`.
    ScalarIn {
        field: Field,
        values: Mask,
    },
    ScalarCompare {
        field: Field,
        vocab: Vocab,
        op: Cmp,
        rank: u8,
    },
    NumberCompare {
        field: Field,
        op: Cmp,
        value: f64,
    },
    SetAny {
        field: Field,
        values: Mask,
    },
    SetAll {
        field: Field,
        values: Mask,
    },
    SetEmpty(Field),
    IsSet(Field),
}
