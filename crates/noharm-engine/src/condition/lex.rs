//! Tokens of the condition language.

use std::ops::Range;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Token {
    /// A field path such as `target.downstream.stages`, or a keyword.
    Word(String),
    Text(String),
    Number(f64),
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
}

impl Token {
    pub(super) fn describe(&self) -> String {
        match self {
            Token::Word(word) => format!("`{word}`"),
            Token::Text(text) => format!("the text \"{text}\""),
            Token::Number(number) => format!("the number {number}"),
            Token::Eq => "`==`".to_string(),
            Token::Ne => "`!=`".to_string(),
            Token::Lt => "`<`".to_string(),
            Token::Le => "`<=`".to_string(),
            Token::Gt => "`>`".to_string(),
            Token::Ge => "`>=`".to_string(),
            Token::LParen => "`(`".to_string(),
            Token::RParen => "`)`".to_string(),
            Token::LBracket => "`[`".to_string(),
            Token::RBracket => "`]`".to_string(),
            Token::Comma => "`,`".to_string(),
        }
    }
}

/// A token and the byte range it covers in the condition text.
pub(super) type Spanned = (Token, Range<usize>);

/// Splits a condition into tokens, or says where it cannot.
pub(super) fn tokenize(text: &str) -> Result<Vec<Spanned>, (Range<usize>, String)> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();

    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let mut end = start;
            while let Some(&(idx, c)) = chars.peek() {
                if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
                    end = idx + c.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            tokens.push((Token::Word(text[start..end].to_string()), start..end));
            continue;
        }
        if c.is_ascii_digit()
            || (c == '-' && text[start + 1..].starts_with(|d: char| d.is_ascii_digit()))
        {
            chars.next();
            let mut end = start + 1;
            while let Some(&(idx, c)) = chars.peek() {
                if c.is_ascii_digit() || c == '.' {
                    end = idx + 1;
                    chars.next();
                } else {
                    break;
                }
            }
            let number = text[start..end]
                .parse::<f64>()
                .map_err(|_| (start..end, "this is not a number".to_string()))?;
            tokens.push((Token::Number(number), start..end));
            continue;
        }
        if c == '"' || c == '\'' {
            chars.next();
            let quote = c;
            let mut value = String::new();
            let mut closed = None;
            for (idx, c) in chars.by_ref() {
                if c == quote {
                    closed = Some(idx + 1);
                    break;
                }
                value.push(c);
            }
            let Some(end) = closed else {
                return Err((start..text.len(), "the text is never closed".to_string()));
            };
            tokens.push((Token::Text(value), start..end));
            continue;
        }

        chars.next();
        let next = chars.peek().map(|&(_, c)| c);
        let (token, len) = match (c, next) {
            ('=', Some('=')) => (Token::Eq, 2),
            ('!', Some('=')) => (Token::Ne, 2),
            ('<', Some('=')) => (Token::Le, 2),
            ('>', Some('=')) => (Token::Ge, 2),
            ('<', _) => (Token::Lt, 1),
            ('>', _) => (Token::Gt, 1),
            ('(', _) => (Token::LParen, 1),
            (')', _) => (Token::RParen, 1),
            ('[', _) => (Token::LBracket, 1),
            (']', _) => (Token::RBracket, 1),
            (',', _) => (Token::Comma, 1),
            ('=', _) => return Err((start..start + 1, "use `==` to compare".to_string())),
            ('&' | '|' | '!', _) => {
                return Err((
                    start..start + 1,
                    "write `and`, `or` and `not` as words".to_string(),
                ));
            }
            _ => {
                return Err((
                    start..start + c.len_utf8(),
                    format!("unexpected character `{c}`"),
                ));
            }
        };
        if len == 2 {
            chars.next();
        }
        tokens.push((token, start..start + len));
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_operators_and_values() {
        let tokens =
            tokenize(r#"not flow.encrypted and target.stage in ["training", 'x'] or n >= 2"#)
                .unwrap();
        let kinds: Vec<Token> = tokens.into_iter().map(|(token, _)| token).collect();
        assert_eq!(kinds[0], Token::Word("not".into()));
        assert_eq!(kinds[1], Token::Word("flow.encrypted".into()));
        assert_eq!(kinds[5], Token::LBracket);
        assert_eq!(kinds[6], Token::Text("training".into()));
        assert_eq!(kinds[8], Token::Text("x".into()));
        assert_eq!(kinds[12], Token::Ge);
        assert_eq!(kinds[13], Token::Number(2.0));
    }

    #[test]
    fn reports_where_it_cannot_tokenize() {
        assert_eq!(tokenize("a = b").unwrap_err().0, 2..3);
        assert_eq!(tokenize("a && b").unwrap_err().0, 2..3);
        assert_eq!(tokenize("\"open").unwrap_err().0, 0..5);
        assert_eq!(tokenize("a § b").unwrap_err().0, 2..4);
    }
}
