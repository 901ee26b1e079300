/// An enum written in files as one of a fixed set of words.
pub trait Keyword: Sized + Copy + 'static {
    /// What the value is, for messages ("element kind").
    const WHAT: &'static str;

    /// Every variant with the word that spells it.
    const ALL: &'static [(&'static str, Self)];

    /// The word that spells this variant.
    fn as_str(self) -> &'static str;

    /// The variant spelled `word`, if any.
    fn from_word(word: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(text, _)| *text == word)
            .map(|&(_, variant)| variant)
    }

    /// The words of all variants, for help messages.
    fn words() -> impl Iterator<Item = &'static str> {
        Self::ALL.iter().map(|&(text, _)| text)
    }
}

/// Defines an enum whose variants are written as fixed words, with
/// [`Keyword`], `Display`, serde and JSON Schema support.
#[macro_export]
macro_rules! keyword_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($what:literal) {
            $( $(#[$variant_meta:meta])* $variant:ident = $word:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        $vis enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $word)] $variant ),+
        }

        impl $crate::Keyword for $name {
            const WHAT: &'static str = $what;
            const ALL: &'static [(&'static str, Self)] = &[ $( ($word, $name::$variant) ),+ ];

            fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $word ),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::Keyword::as_str(*self))
            }
        }
    };
}
