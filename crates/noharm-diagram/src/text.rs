//! Text measurement and wrapping without a font engine.
//!
//! Widths come from a table of advance widths for DejaVu Sans (the default
//! sans-serif on most Linux systems, and metrically close to Verdana), which
//! is wider than Helvetica or Arial: text measured here fits whichever of
//! these fonts the viewer ends up using. A small margin is added on top.

/// The font family the SVG asks for, widest first so the table stays valid.
pub(crate) const FONT_FAMILY: &str = "'DejaVu Sans', Verdana, 'Bitstream Vera Sans', sans-serif";

/// Advance widths of ASCII 32..=126 in units of 1/2048 em (DejaVu Sans Book).
const ADVANCE: [u16; 95] = [
    651, 821, 942, 1716, 1303, 1946, 1595, 563, 799, 799, // space ! " # $ % & ' ( )
    1024, 1716, 651, 739, 651, 690, // * + , - . /
    1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, // 0-9
    690, 690, 1716, 1716, 1716, 1087, 2048, // : ; < = > ? @
    1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, // A-M
    1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, // N-Z
    799, 690, 799, 1716, 1024, 1024, // [ \ ] ^ _ `
    1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, // a-m
    1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, // n-z
    1303, 690, 1303, 1716, // { | } ~
];

/// Bold glyphs are about a tenth wider than regular ones.
const BOLD_FACTOR: f64 = 1.12;

/// Safety margin on every measurement.
const MARGIN: f64 = 1.04;

/// A font size and weight.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Font {
    /// Size in pixels.
    pub(crate) size: f64,
    /// Bold or regular.
    pub(crate) bold: bool,
}

impl Font {
    /// A regular font of `size` pixels.
    pub(crate) const fn regular(size: f64) -> Font {
        Font { size, bold: false }
    }

    /// A bold font of `size` pixels.
    pub(crate) const fn bold(size: f64) -> Font {
        Font { size, bold: true }
    }

    /// The distance between two baselines.
    pub(crate) fn line_height(self) -> f64 {
        (self.size * 1.25).ceil()
    }

    /// How far the baseline sits below the top of a line.
    pub(crate) fn ascent(self) -> f64 {
        self.size * 0.95
    }
}

/// The advance width of one character in em.
fn char_em(c: char) -> f64 {
    let code = u32::from(c);
    if (32..=126).contains(&code) {
        let index = (code - 32) as usize;
        return ADVANCE
            .get(index)
            .map_or(0.7, |units| f64::from(*units) / 2048.0);
    }
    if is_wide(code) {
        1.0
    } else if c.is_control() {
        0.0
    } else {
        0.72
    }
}

/// East Asian wide and emoji ranges, drawn about one em wide.
fn is_wide(code: u32) -> bool {
    matches!(code,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

/// The width of `text` in pixels, rounded up.
pub(crate) fn width(text: &str, font: Font) -> f64 {
    let em: f64 = text.chars().map(char_em).sum();
    let factor = if font.bold { BOLD_FACTOR } else { 1.0 };
    (em * font.size * factor * MARGIN).ceil()
}

/// Splits `text` into lines no wider than `max_width`, at most `max_lines`
/// of them (the last one ends in an ellipsis when text was cut).
pub(crate) fn wrap(text: &str, font: Font, max_width: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        // The pieces of a word too long for a line already fill their lines.
        for (index, piece) in split_long_word(word, font, max_width)
            .into_iter()
            .enumerate()
        {
            let candidate = format!("{current} {piece}");
            if current.is_empty() {
                current = piece;
            } else if index == 0 && width(&candidate, font) <= max_width {
                current = candidate;
            } else {
                lines.push(std::mem::replace(&mut current, piece));
            }
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    truncate_lines(lines, font, max_width, max_lines.max(1))
}

/// Keeps `max_lines` lines, marking the cut with an ellipsis.
fn truncate_lines(
    mut lines: Vec<String>,
    font: Font,
    max_width: f64,
    max_lines: usize,
) -> Vec<String> {
    if lines.len() <= max_lines {
        return lines;
    }
    lines.truncate(max_lines);
    if let Some(last) = lines.last_mut() {
        let mut shortened = last.clone();
        while !shortened.is_empty() && width(&format!("{shortened}…"), font) > max_width {
            shortened.pop();
        }
        *last = format!("{}…", shortened.trim_end());
    }
    lines
}

/// Breaks a word wider than `max_width` after hyphens, underscores, dots or
/// slashes where it can, and anywhere when it must.
fn split_long_word(word: &str, font: Font, max_width: f64) -> Vec<String> {
    if width(word, font) <= max_width {
        return vec![word.to_string()];
    }
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut last_break: Option<usize> = None;
    for c in word.chars() {
        current.push(c);
        if width(&current, font) > max_width && current.chars().count() > 1 {
            let cut = last_break.unwrap_or(current.len() - c.len_utf8());
            let rest = current.split_off(cut);
            pieces.push(std::mem::replace(&mut current, rest));
            last_break = None;
        }
        if matches!(c, '-' | '_' | '.' | '/') {
            last_break = Some(current.len());
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// Replaces control characters (not allowed in XML, and line breaks in
/// DOT and Mermaid) with spaces.
pub(crate) fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wider_text_measures_wider() {
        let font = Font::regular(12.0);
        assert!(width("WWW", font) > width("iii", font));
        assert!(width("abc", Font::bold(12.0)) > width("abc", font));
        assert_eq!(width("", font), 0.0);
    }

    #[test]
    fn wraps_at_spaces_within_the_width() {
        let font = Font::regular(12.0);
        let lines = wrap("Clinical data warehouse with backups", font, 120.0, 5);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|line| width(line, font) <= 120.0));
    }

    #[test]
    fn breaks_long_ids_after_hyphens() {
        let font = Font::regular(12.0);
        let lines = wrap("deidentification-feature-pipeline-nightly", font, 140.0, 5);
        assert!(lines.len() > 1);
        assert!(lines[0].ends_with('-'));
        assert!(lines.iter().all(|line| width(line, font) <= 140.0));
        assert_eq!(lines.concat(), "deidentification-feature-pipeline-nightly");
    }

    #[test]
    fn cuts_with_an_ellipsis() {
        let font = Font::regular(12.0);
        let lines = wrap("one two three four five six seven eight", font, 40.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
    }

    #[test]
    fn empty_text_is_one_empty_line() {
        assert_eq!(wrap("", Font::regular(12.0), 100.0, 3), vec![String::new()]);
    }

    #[test]
    fn control_characters_become_spaces() {
        assert_eq!(clean("a\nb\u{1}c"), "a b c");
    }
}
