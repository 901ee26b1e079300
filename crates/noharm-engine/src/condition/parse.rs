//! Parsing and type-checking a condition into an [`Expr`].

use std::ops::Range;

use noharm_syntax::did_you_mean;

use super::fields::{Field, FieldType, SubjectKind, Vocab, field_paths, resolve};
use super::lex::{Spanned, Token, tokenize};
use super::{Cmp, Expr};
use crate::mask::Mask;
use crate::vocab::Vocabularies;

/// How deep parentheses and `not` may nest.
const MAX_DEPTH: usize = 32;

/// A problem in a condition, located by byte range in its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConditionError {
    pub(crate) range: Range<usize>,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

impl ConditionError {
    fn new(range: Range<usize>, message: impl Into<String>) -> ConditionError {
        ConditionError {
            range,
            message: message.into(),
            help: None,
        }
    }

    fn with_help(mut self, help: impl Into<String>) -> ConditionError {
        self.help = Some(help.into());
        self
    }
}

/// Parses and type-checks `text` for rules on `subject`.
pub(crate) fn compile(
    text: &str,
    subject: SubjectKind,
    vocabularies: &mut Vocabularies,
) -> Result<Expr, ConditionError> {
    let tokens = tokenize(text).map_err(|(range, message)| ConditionError::new(range, message))?;
    if tokens.is_empty() {
        return Ok(Expr::True);
    }
    let mut parser = Parser {
        tokens,
        pos: 0,
        subject,
        vocabularies,
        text_len: text.len(),
    };
    let expr = parser.or(0)?;
    if let Some((token, range)) = parser.tokens.get(parser.pos) {
        return Err(ConditionError::new(
            range.clone(),
            format!(
                "expected `and`, `or` or the end of the condition, found {}",
                token.describe()
            ),
        ));
    }
    Ok(expr)
}

struct Parser<'v> {
    tokens: Vec<Spanned>,
    pos: usize,
    subject: SubjectKind,
    vocabularies: &'v mut Vocabularies,
    text_len: usize,
}

impl Parser<'_> {
    fn or(&mut self, depth: usize) -> Result<Expr, ConditionError> {
        let mut terms = vec![self.and(depth)?];
        while self.eat_word("or") {
            terms.push(self.and(depth)?);
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Expr::Or(terms)
        })
    }

    fn and(&mut self, depth: usize) -> Result<Expr, ConditionError> {
        let mut terms = vec![self.unary(depth)?];
        while self.eat_word("and") {
            terms.push(self.unary(depth)?);
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Expr::And(terms)
        })
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, ConditionError> {
        if depth > MAX_DEPTH {
            return Err(ConditionError::new(
                self.here(),
                "the condition nests too deeply",
            ));
        }
        if self.eat_word("not") {
            return Ok(Expr::Not(Box::new(self.unary(depth + 1)?)));
        }
        if self.eat(&Token::LParen) {
            let inner = self.or(depth + 1)?;
            self.expect(&Token::RParen, "`)` to close the parenthesis")?;
            return Ok(inner);
        }
        self.test()
    }

    fn test(&mut self) -> Result<Expr, ConditionError> {
        let (field, ty, field_range) = self.field()?;

        match self.peek().cloned() {
            Some(Token::Eq) | Some(Token::Ne) => {
                let negate = self.advance().is_some_and(|(token, _)| token == Token::Ne);
                let expr = self.equality(field, ty, &field_range)?;
                Ok(if negate {
                    Expr::Not(Box::new(expr))
                } else {
                    expr
                })
            }
            Some(token @ (Token::Lt | Token::Le | Token::Gt | Token::Ge)) => {
                self.advance();
                let op = match token {
                    Token::Lt => Cmp::Lt,
                    Token::Le => Cmp::Le,
                    Token::Gt => Cmp::Gt,
                    _ => Cmp::Ge,
                };
                self.ordering(field, ty, op, &field_range)
            }
            Some(Token::Word(word)) if word == "in" => {
                self.advance();
                self.membership(field, ty, &field_range)
            }
            Some(Token::Word(word)) if word == "contains" => {
                self.advance();
                self.containment(field, ty, &field_range)
            }
            Some(Token::Word(word)) if word == "is" => {
                self.advance();
                self.predicate(field, ty, &field_range)
            }
            _ => match ty {
                FieldType::Bool => Ok(Expr::Bool(field)),
                _ => Err(ConditionError::new(
                    field_range,
                    format!("this field is {}, not true or false", ty.describe()),
                )
                .with_help(usage_hint(ty))),
            },
        }
    }

    fn field(&mut self) -> Result<(Field, FieldType, Range<usize>), ConditionError> {
        let Some((token, range)) = self.advance() else {
            return Err(ConditionError::new(
                self.end(),
                "the condition ends where a field was expected",
            ));
        };
        let Token::Word(path) = token else {
            return Err(ConditionError::new(
                range,
                format!("expected a field, found {}", token.describe()),
            ));
        };
        match resolve(&path, self.subject) {
            Some((field, ty)) => Ok((field, ty, range)),
            None => Err(self.unknown_field(&path, range)),
        }
    }

    fn unknown_field(&self, path: &str, range: Range<usize>) -> ConditionError {
        let paths = field_paths(self.subject);
        let scope = path.split('.').next().unwrap_or(path);
        let wrong_scope = match (scope, self.subject) {
            ("flow" | "source" | "target", SubjectKind::Element) => {
                Some("this rule applies to elements; use `element.` fields")
            }
            ("element", SubjectKind::Flow) => {
                Some("this rule applies to data flows; use `flow.`, `source.` or `target.`")
            }
            _ => None,
        };
        let error = ConditionError::new(range, format!("unknown field `{path}`"));
        if let Some(hint) = wrong_scope {
            return error.with_help(hint);
        }
        // A path written without its scope (`stage` for `element.stage`).
        let scopes: &[&str] = match self.subject {
            SubjectKind::Element => &["element"],
            SubjectKind::Flow => &["flow", "target", "source"],
        };
        if let Some(scoped) = scopes
            .iter()
            .map(|scope| format!("{scope}.{path}"))
            .find(|scoped| resolve(scoped, self.subject).is_some())
        {
            return error.with_help(format!("did you mean `{scoped}`?"));
        }
        match did_you_mean(path, paths.iter().map(String::as_str)) {
            Some(close) => error.with_help(format!("did you mean `{close}`?")),
            None => error.with_help("see docs/rule-packs.md for the fields a condition can read"),
        }
    }

    fn equality(
        &mut self,
        field: Field,
        ty: FieldType,
        field_range: &Range<usize>,
    ) -> Result<Expr, ConditionError> {
        match ty {
            FieldType::Bool => {
                let (value, range) = self.value()?;
                match value {
                    Token::Word(word) if word == "true" => Ok(Expr::Bool(field)),
                    Token::Word(word) if word == "false" => {
                        Ok(Expr::Not(Box::new(Expr::Bool(field))))
                    }
                    other => Err(type_mismatch(range, &other, ty)),
                }
            }
            FieldType::Scalar { vocab, .. } => {
                let (word, range) = self.text_value(ty)?;
                let index = self.word_index(vocab, &word, range)?;
                Ok(Expr::ScalarIn {
                    field,
                    values: Mask::bit(index),
                })
            }
            FieldType::Number => {
                let value = self.number_value(ty)?;
                // Equality on numbers is a pair of comparisons.
                Ok(Expr::And(vec![
                    Expr::NumberCompare {
                        field,
                        op: Cmp::Ge,
                        value,
                    },
                    Expr::NumberCompare {
                        field,
                        op: Cmp::Le,
                        value,
                    },
                ]))
            }
            FieldType::Set(_) => Err(ConditionError::new(
                field_range.clone(),
                format!(
                    "this field is {}; compare it with `contains`",
                    ty.describe()
                ),
            )
            .with_help(usage_hint(ty))),
        }
    }

    fn ordering(
        &mut self,
        field: Field,
        ty: FieldType,
        op: Cmp,
        field_range: &Range<usize>,
    ) -> Result<Expr, ConditionError> {
        match ty {
            FieldType::Number => {
                let value = self.number_value(ty)?;
                Ok(Expr::NumberCompare { field, op, value })
            }
            FieldType::Scalar { vocab, .. } if vocab.rank(0).is_some() => {
                let (word, range) = self.text_value(ty)?;
                let index = self.word_index(vocab, &word, range)?;
                let rank = u8::try_from(index)
                    .ok()
                    .and_then(|index| vocab.rank(index))
                    .unwrap_or(0);
                Ok(Expr::ScalarCompare {
                    field,
                    vocab,
                    op,
                    rank,
                })
            }
            _ => Err(ConditionError::new(
                field_range.clone(),
                format!("this field is {}, which has no order", ty.describe()),
            )
            .with_help("order comparisons work on numbers, severities, risk tiers and exposure")),
        }
    }

    fn membership(
        &mut self,
        field: Field,
        ty: FieldType,
        field_range: &Range<usize>,
    ) -> Result<Expr, ConditionError> {
        let FieldType::Scalar { vocab, .. } = ty else {
            return Err(ConditionError::new(
                field_range.clone(),
                format!(
                    "`in` needs a field holding one value; this field is {}",
                    ty.describe()
                ),
            )
            .with_help(usage_hint(ty)));
        };
        let values = self.word_list(vocab, ty)?;
        Ok(Expr::ScalarIn { field, values })
    }

    fn containment(
        &mut self,
        field: Field,
        ty: FieldType,
        field_range: &Range<usize>,
    ) -> Result<Expr, ConditionError> {
        let FieldType::Set(vocab) = ty else {
            return Err(ConditionError::new(
                field_range.clone(),
                format!(
                    "`contains` needs a set field; this field is {}",
                    ty.describe()
                ),
            )
            .with_help(usage_hint(ty)));
        };
        if self.eat_word("any") {
            let values = self.word_list(vocab, ty)?;
            return Ok(Expr::SetAny { field, values });
        }
        if self.eat_word("all") {
            let values = self.word_list(vocab, ty)?;
            return Ok(Expr::SetAll { field, values });
        }
        let (word, range) = self.text_value(ty)?;
        let index = self.word_index(vocab, &word, range)?;
        Ok(Expr::SetAny {
            field,
            values: Mask::bit(index),
        })
    }

    fn predicate(
        &mut self,
        field: Field,
        ty: FieldType,
        field_range: &Range<usize>,
    ) -> Result<Expr, ConditionError> {
        let negate = self.eat_word("not");
        let expr = if self.eat_word("empty") {
            match ty {
                FieldType::Set(_) => Expr::SetEmpty(field),
                _ => {
                    return Err(ConditionError::new(
                        field_range.clone(),
                        format!(
                            "`is empty` needs a set field; this field is {}",
                            ty.describe()
                        ),
                    ));
                }
            }
        } else if self.eat_word("set") {
            match ty {
                FieldType::Scalar { optional: true, .. } => Expr::IsSet(field),
                _ => {
                    return Err(ConditionError::new(
                        field_range.clone(),
                        "`is set` needs an optional field such as `stage` or `exposure`",
                    ));
                }
            }
        } else {
            return Err(ConditionError::new(
                self.here(),
                "expected `empty` or `set` after `is`",
            ));
        };
        Ok(if negate {
            Expr::Not(Box::new(expr))
        } else {
            expr
        })
    }

    fn word_list(&mut self, vocab: Vocab, ty: FieldType) -> Result<Mask, ConditionError> {
        self.expect(&Token::LBracket, "`[` to start a list")?;
        let mut mask = Mask::EMPTY;
        loop {
            let (word, range) = self.text_value(ty)?;
            mask.insert(self.word_index(vocab, &word, range)?);
            if self.eat(&Token::Comma) {
                continue;
            }
            self.expect(&Token::RBracket, "`,` or `]` in the list")?;
            return Ok(mask);
        }
    }

    fn word_index(
        &mut self,
        vocab: Vocab,
        word: &str,
        range: Range<usize>,
    ) -> Result<usize, ConditionError> {
        self.vocabularies
            .intern(vocab, word)
            .map_err(|error| ConditionError {
                range,
                message: error.message,
                help: error.help,
            })
    }

    fn text_value(&mut self, ty: FieldType) -> Result<(String, Range<usize>), ConditionError> {
        let (token, range) = self.value()?;
        match token {
            Token::Text(text) => Ok((text, range)),
            Token::Word(word) if !matches!(word.as_str(), "true" | "false") => Err(
                ConditionError::new(range, format!("expected a quoted value, found `{word}`"))
                    .with_help(format!("write \"{word}\" in quotes")),
            ),
            other => Err(type_mismatch(range, &other, ty)),
        }
    }

    fn number_value(&mut self, ty: FieldType) -> Result<f64, ConditionError> {
        match self.value()? {
            (Token::Number(number), _) => Ok(number),
            (other, range) => Err(type_mismatch(range, &other, ty)),
        }
    }

    fn value(&mut self) -> Result<Spanned, ConditionError> {
        self.advance().ok_or_else(|| {
            ConditionError::new(self.end(), "the condition ends where a value was expected")
        })
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(token, _)| token)
    }

    fn advance(&mut self) -> Option<Spanned> {
        let token = self.tokens.get(self.pos).cloned();
        if token.is_some() {
            self.pos += 1;
        }
        token
    }

    fn eat(&mut self, expected: &Token) -> bool {
        if self.peek() == Some(expected) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Token::Word(w)) if w == word) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, expected: &Token, what: &str) -> Result<(), ConditionError> {
        if self.eat(expected) {
            return Ok(());
        }
        match self.tokens.get(self.pos) {
            Some((token, range)) => Err(ConditionError::new(
                range.clone(),
                format!("expected {what}, found {}", token.describe()),
            )),
            None => Err(ConditionError::new(
                self.end(),
                format!("expected {what} before the end"),
            )),
        }
    }

    fn here(&self) -> Range<usize> {
        self.tokens
            .get(self.pos)
            .map_or_else(|| self.end(), |(_, range)| range.clone())
    }

    fn end(&self) -> Range<usize> {
        self.text_len..self.text_len
    }
}

fn type_mismatch(range: Range<usize>, found: &Token, ty: FieldType) -> ConditionError {
    ConditionError::new(
        range,
        format!(
            "expected {} here, found {}",
            ty.describe(),
            found.describe()
        ),
    )
}

fn usage_hint(ty: FieldType) -> String {
    match ty {
        FieldType::Bool => "use the field alone, or with `not`".to_string(),
        FieldType::Scalar { .. } => {
            "compare it: `== \"value\"`, `!= \"value\"` or `in [\"a\", \"b\"]`".to_string()
        }
        FieldType::Set(_) => {
            "test it: `contains \"value\"`, `contains any [\"a\", \"b\"]` or `is empty`".to_string()
        }
        FieldType::Number => "compare it with a number: `>= 2`".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::condition::fields::{ElementField, FlowField, Scope};

    fn vocabularies() -> Vocabularies {
        Vocabularies::new(vec!["mfa".to_string(), "encryption-at-rest".to_string()])
    }

    fn compile_flow(text: &str) -> Result<Expr, ConditionError> {
        compile(text, SubjectKind::Flow, &mut vocabularies())
    }

    fn compile_element(text: &str) -> Result<Expr, ConditionError> {
        compile(text, SubjectKind::Element, &mut vocabularies())
    }

    #[test]
    fn compiles_a_typical_condition() {
        let expr = compile_flow(
            r#"target.stage in ["training", "preprocessing"] and not flow.authenticated"#,
        )
        .unwrap();
        let Expr::And(terms) = expr else { panic!() };
        assert!(matches!(
            terms[0],
            Expr::ScalarIn {
                field: Field::Element(Scope::Target, ElementField::Stage),
                ..
            }
        ));
        assert_eq!(
            terms[1],
            Expr::Not(Box::new(Expr::Bool(Field::Flow(FlowField::Authenticated))))
        );
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let expr = compile_element(
            "element.drives_harm or element.reviews_output and element.has_fallback",
        )
        .unwrap();
        let Expr::Or(terms) = expr else {
            panic!("{expr:?}")
        };
        assert!(matches!(terms[1], Expr::And(_)));
    }

    #[test]
    fn empty_condition_is_true() {
        assert_eq!(compile_element("  ").unwrap(), Expr::True);
    }

    #[test]
    fn errors_are_located_and_helpful() {
        let error = compile_element(r#"element.stage == "trainng""#).unwrap_err();
        assert_eq!(error.range, 17..26);
        assert_eq!(error.message, "`trainng` is not a lifecycle stage");
        assert!(error.help.unwrap().starts_with("did you mean `training`?"));

        let error = compile_element("element.stagee == \"training\"").unwrap_err();
        assert_eq!(error.range, 0..14);
        assert_eq!(error.help.as_deref(), Some("did you mean `element.stage`?"));

        let error = compile_element("flow.encrypted").unwrap_err();
        assert_eq!(
            error.help.as_deref(),
            Some("this rule applies to elements; use `element.` fields")
        );

        let error = compile_element("element.tech == \"llm\"").unwrap_err();
        assert!(error.message.contains("compare it with `contains`"));

        let error = compile_element("element.stage").unwrap_err();
        assert!(error.message.contains("not true or false"));

        let error = compile_element("element.controls contains \"mfaa\"").unwrap_err();
        assert_eq!(error.help.as_deref(), Some("did you mean `mfa`?"));

        let error = compile_element("element.drives_harm and").unwrap_err();
        assert_eq!(error.range, 23..23);

        let error = compile_element("element.kind < \"store\"").unwrap_err();
        assert!(error.message.contains("has no order"));

        let error = compile_element("element.stage == training").unwrap_err();
        assert_eq!(error.help.as_deref(), Some("write \"training\" in quotes"));
    }

    #[test]
    fn custom_tech_tags_are_interned_but_typos_are_refused() {
        let mut vocabularies = vocabularies();
        assert!(
            compile(
                "element.tech contains \"ecg\"",
                SubjectKind::Element,
                &mut vocabularies
            )
            .is_ok()
        );
        assert!(vocabularies.lookup(Vocab::Tech, "ecg").is_some());
        let error = compile(
            "element.tech contains \"clasifier\"",
            SubjectKind::Element,
            &mut vocabularies,
        )
        .unwrap_err();
        assert_eq!(error.help.as_deref(), Some("did you mean `classifier`?"));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}element.drives_harm{}", "(".repeat(100), ")".repeat(100));
        assert!(
            compile_element(&text)
                .unwrap_err()
                .message
                .contains("too deeply")
        );
        let text = format!("{}element.drives_harm", "not ".repeat(100));
        assert!(compile_element(&text).is_err());
    }
}
