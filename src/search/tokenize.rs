//! Words as search sees them: the text contract's tokens with both keys and their place in
//! the original text (so snippets highlight the accented words that were written).

use crate::text;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// One word of a text or query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Folded key (`hoa`): what matching uses.
    pub folded: String,
    /// Toned key (`hoa1`): what ranks exact spellings first.
    pub toned: String,
    /// Byte offset in the text.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
}

/// Splits NFC text into words with their keys.
pub fn words(text: &str) -> Vec<Word> {
    text::tokens(text)
        .map(|t| Word {
            folded: text::folded_key(t.text),
            toned: text::toned_key(t.text),
            start: t.start,
            end: t.start + t.text.len(),
        })
        .collect()
}

/// Whether a word carries a Vietnamese mark (a tone, a vowel mark or `đ`).
///
/// A query with no marked word at all was typed without a Vietnamese keyboard: its words
/// cannot prefer one tone over another, so none is preferred.
pub fn is_marked(word: &str) -> bool {
    word.nfd()
        .any(|c| is_combining_mark(c) || c == 'đ' || c == 'Đ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_offsets_into_the_original_text() {
        let text = "Ủy ban, văn hoá";
        let w = words(text);
        assert_eq!(w.len(), 4);
        assert_eq!(&text[w[3].start..w[3].end], "hoá");
        assert_eq!(w[3].folded, "hoa");
        assert_eq!(w[3].toned, "hoa1");
        assert_eq!(w[0].toned, "uy3");
    }

    #[test]
    fn marks_include_vowel_marks_and_d_bar() {
        assert!(is_marked("hóa"));
        assert!(is_marked("dê"));
        assert!(is_marked("Đang"));
        assert!(!is_marked("quy"));
        assert!(!is_marked("1847"));
    }
}
