//! Word lists for the vocabularies that the catalog defines: tech tags,
//! protocols and controls. Fixed vocabularies come from the model keywords.

use noharm_model::keywords::{WELL_KNOWN_PROTOCOLS, WELL_KNOWN_TECH};
use noharm_syntax::did_you_mean;

use crate::condition::fields::Vocab;
use crate::mask::MAX_WORDS;

/// The words of the open vocabularies, indexed for masks.
#[derive(Clone, Debug)]
pub(crate) struct Vocabularies {
    tech: Vec<String>,
    protocols: Vec<String>,
    controls: Vec<String>,
}

/// Why a word is not accepted in a condition.
#[derive(Debug)]
pub(crate) struct WordError {
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

impl Vocabularies {
    pub(crate) fn new(controls: Vec<String>) -> Vocabularies {
        Vocabularies {
            tech: WELL_KNOWN_TECH.iter().map(ToString::to_string).collect(),
            protocols: WELL_KNOWN_PROTOCOLS
                .iter()
                .map(ToString::to_string)
                .collect(),
            controls,
        }
    }

    /// The index of `word` in `vocab`, adding custom tech tags and protocols
    /// that are not misspellings of well-known ones.
    pub(crate) fn intern(&mut self, vocab: Vocab, word: &str) -> Result<usize, WordError> {
        if let Some(words) = vocab.fixed_words() {
            return words
                .iter()
                .position(|known| *known == word)
                .ok_or_else(|| WordError {
                    message: format!("`{word}` is not a {}", vocab.what()),
                    help: Some(suggestion(word, words.iter().copied(), &words.join(", "))),
                });
        }

        let list = self.list(vocab);
        if let Some(index) = list.iter().position(|known| known == word) {
            return Ok(index);
        }
        if vocab == Vocab::Control {
            return Err(WordError {
                message: format!("`{word}` is not a control in the catalog"),
                help: did_you_mean(word, list.iter().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`?")),
            });
        }
        if let Some(close) = did_you_mean(word, list.iter().map(String::as_str)) {
            return Err(WordError {
                message: format!("`{word}` is not a well-known {}", vocab.what()),
                help: Some(format!("did you mean `{close}`?")),
            });
        }
        if list.len() >= MAX_WORDS {
            return Err(WordError {
                message: format!(
                    "rules use more than {MAX_WORDS} different {}s",
                    vocab.what()
                ),
                help: None,
            });
        }
        let list = self.list_mut(vocab);
        list.push(word.to_string());
        Ok(list.len() - 1)
    }

    /// The index of a word a model uses, if any rule can test it.
    pub(crate) fn lookup(&self, vocab: Vocab, word: &str) -> Option<usize> {
        self.list(vocab).iter().position(|known| known == word)
    }

    fn list(&self, vocab: Vocab) -> &Vec<String> {
        match vocab {
            Vocab::Protocol => &self.protocols,
            Vocab::Control => &self.controls,
            _ => &self.tech,
        }
    }

    fn list_mut(&mut self, vocab: Vocab) -> &mut Vec<String> {
        match vocab {
            Vocab::Protocol => &mut self.protocols,
            Vocab::Control => &mut self.controls,
            _ => &mut self.tech,
        }
    }
}

fn suggestion<'a>(word: &str, words: impl Iterator<Item = &'a str> + Clone, all: &str) -> String {
    match did_you_mean(word, words) {
        Some(close) => format!("did you mean `{close}`? possible values: {all}"),
        None => format!("possible values: {all}"),
    }
}
