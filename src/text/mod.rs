//! Vietnamese text handling: normalization, search keys, slugs and document numbers.
//!
//! This module implements the project's text contract (`tests/data/vietnamese-text-spec.md`)
//! and nothing else: it knows no HTML, no pages and no index format. Every other stage that
//! touches Vietnamese words (URLs, anchors, citation linking, the search index) goes through
//! here so that the build, the command-line search and the browser client agree.

mod controls;
pub mod legacy;
mod number;
mod tokens;

pub use controls::{first_control, is_stray_control, replace_nul, visible, xml_char};
pub use number::{
    canonical_number, extract_numbers, is_valid_number, is_vietnamese_letter, look_alikes,
    suspect_numbers, LookAlikes, NumberMatch, SuspectNumber,
};
pub use tokens::{tokens, Token, Tokens};

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Converts text to Unicode NFC.
///
/// Editors on some systems save decomposed text and phones may send decomposed queries;
/// everything downstream compares NFC strings, so normalization happens once, at the edge.
pub fn nfc(text: &str) -> String {
    nfc_cow(text).into_owned()
}

/// [`nfc`] without a copy when the text is already NFC (nearly always: every byte of a
/// site passes here once).
pub fn nfc_cow(text: &str) -> std::borrow::Cow<'_, str> {
    if surely_nfc(text)
        || unicode_normalization::is_nfc_quick(text.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.nfc().collect())
}

/// `0x01` in every byte of a word.
const BYTE_ONES: u64 = 0x0101_0101_0101_0101;
/// The top bit of every byte of a word.
const BYTE_HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any of the eight bytes of `v` is below `n` (at most 0x80). Scans over a whole
/// site's text test eight bytes at a time with this and [`any_byte_is`], and look at single
/// bytes only in the rare words where one matches.
pub(crate) fn any_byte_below(v: u64, n: u8) -> bool {
    v.wrapping_sub(BYTE_ONES * u64::from(n)) & !v & BYTE_HIGHS != 0
}

/// Whether any of the eight bytes of `v` is `b` (a zero byte of `v ^ bbbbbbbb`).
pub(crate) fn any_byte_is(v: u64, b: u8) -> bool {
    any_byte_below(v ^ (BYTE_ONES * u64::from(b)), 1)
}

/// Bytes the escapers (HTML, JSON) test at once with [`window_has`] before they test eight.
pub(crate) const SCAN_WINDOW: usize = 32;

/// Whether any byte of a window is one `is` picks. Each byte is tested on its own and the
/// answers OR-ed, a loop the compiler turns into vector compares: on clean text this skips
/// 32 bytes for about the cost of one eight-byte test.
#[inline(always)]
pub(crate) fn window_has(w: &[u8; SCAN_WINDOW], is: impl Fn(u8) -> bool) -> bool {
    let mut any = 0u8;
    for &b in w {
        any |= u8::from(is(b));
    }
    any != 0
}

/// A cheap test that covers nearly all Vietnamese text: characters below the combining
/// marks (U+0300), precomposed Latin letters with diacritics (U+1E00–U+1EFF) and common
/// punctuation (U+2010–U+206F) never change under NFC. Anything else takes the full check.
fn surely_nfc(text: &str) -> bool {
    surely_nfc_by::<true>(text)
}

/// Bytes [`surely_nfc`] looks at together.
const NFC_WINDOW: usize = 64;

/// [`surely_nfc`]'s rule for 64 bytes at once (`w` holds the two bytes after them too):
/// every byte is below 0xCC or starts one of the two ranges, each byte looked at on its own
/// in a loop the compiler vectorizes. A continuation byte is always below 0xCC, so a window
/// may start anywhere.
fn window_surely_nfc(w: &[u8; NFC_WINDOW + 2]) -> bool {
    let mut bad = 0u8;
    for i in 0..NFC_WINDOW {
        let (b, n1, n2) = (w[i], w[i + 1], w[i + 2]);
        let punctuation = ((n1 == 0x80) & (n2.wrapping_sub(0x90) < 0x30))
            | ((n1 == 0x81) & (n2.wrapping_sub(0x80) < 0x30));
        let ok =
            (b < 0xcc) | ((b == 0xe1) & (n1.wrapping_sub(0xb8) < 4)) | ((b == 0xe2) & punctuation);
        bad |= u8::from(!ok);
    }
    bad == 0
}

/// [`surely_nfc`], with or without its skips of 64 and 8 bytes (the tests compare both).
fn surely_nfc_by<const SKIP: bool>(text: &str) -> bool {
    // Works on UTF-8 bytes (this runs over every byte of the site). Every byte below 0xCC is
    // harmless wherever it stands: ASCII, continuation bytes, and the lead bytes 0xC2–0xCB of
    // U+0080–U+02FF. So eight bytes at a time are skipped while none is 0xCC or above; such a
    // byte must start E1 B8–BB (U+1E00–U+1EFF) or E2 80 90–E2 81 AF (U+2010–U+206F).
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // Per byte x: bit 7 of (x & 0x7f) + 0x34 is set when x & 0x7f >= 0x4c; with x's own
    // bit 7 that is x >= 0xcc. No byte's sum carries into the next (0x7f + 0x34 < 0x100).
    const OFFSET: u64 = 0x3434_3434_3434_3434;
    let bytes = text.as_bytes();
    let mut i = 0;
    // A byte the windows find wrong is one the rule below would stop at: they skip only
    // bytes it would skip.
    while let Some(w) = bytes.get(i..i + NFC_WINDOW + 2).filter(|_| SKIP) {
        if !window_surely_nfc(w.try_into().expect("a window")) {
            return false;
        }
        i += NFC_WINDOW;
    }
    while i < bytes.len() {
        if let Some(w) = bytes.get(i..i + 8).filter(|_| SKIP) {
            let v = u64::from_le_bytes(w.try_into().expect("8 bytes"));
            let high = ((v & LOW7).wrapping_add(OFFSET)) & v & BYTE_HIGHS;
            if high == 0 {
                i += 8;
                continue;
            }
            i += high.trailing_zeros() as usize / 8;
        }
        match bytes[i] {
            0x00..=0xCB => i += 1,
            0xE1 if matches!(bytes.get(i + 1), Some(0xB8..=0xBB)) => i += 3,
            0xE2 => match (bytes.get(i + 1), bytes.get(i + 2)) {
                (Some(0x80), Some(0x90..=0xBF)) | (Some(0x81), Some(0x80..=0xAF)) => i += 3,
                _ => return false,
            },
            _ => return false,
        }
    }
    true
}

/// The five Vietnamese tone marks and the digit each one contributes to a toned key.
fn tone_digit(mark: char) -> Option<char> {
    match mark {
        '\u{301}' => Some('1'),
        '\u{300}' => Some('2'),
        '\u{309}' => Some('3'),
        '\u{303}' => Some('4'),
        '\u{323}' => Some('5'),
        _ => None,
    }
}

/// Initial consonants after which a lone `y` is respelled `i` (the spec's i/y rule).
const Y_INITIALS: &[&str] = &[
    "b", "ch", "d", "đ", "g", "gh", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p", "ph",
    "qu", "r", "s", "t", "th", "tr", "v", "x",
];

/// Applies the i/y rule to a toneless, lowercased syllable: `ky` → `ki`, `quy` → `qui`.
fn apply_iy_rule(syllable: &mut String) {
    if let Some(initial) = syllable.strip_suffix('y') {
        if Y_INITIALS.contains(&initial) {
            syllable.pop();
            syllable.push('i');
        }
    }
}

/// The toned key of one token: tone placement and i/y spelling no longer matter, tones do.
///
/// `hóa` and `hoá` both give `hoa1`; `người` gives `ngươi2`.
pub fn toned_key(token: &str) -> String {
    let mut base = String::with_capacity(token.len());
    let mut tones = String::new();
    for c in token.nfd().flat_map(char::to_lowercase) {
        match tone_digit(c) {
            Some(d) => tones.push(d),
            None => base.push(c),
        }
    }
    let mut key: String = base.nfc().collect();
    apply_iy_rule(&mut key);
    key.push_str(&tones);
    key
}

/// Folds one character sequence to plain ASCII-like letters: marks dropped, `đ` → `d`.
fn fold_into(text: &str, out: &mut String) {
    // NFD, one character at a time: canonical reordering only moves combining marks, which
    // are all dropped (a test checks that every character NFD may move is one), so each
    // character's own decomposition is enough, and ASCII needs none. Slugs of every heading
    // of a site come through here.
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        unicode_normalization::char::decompose_canonical(c, |d| {
            for l in d.to_lowercase() {
                if !is_combining_mark(l) {
                    out.push(if l == 'đ' { 'd' } else { l });
                }
            }
        });
    }
}

/// The folded key of one token: what a person types without a Vietnamese keyboard.
///
/// `Đảng` gives `dang`, `kỷ` gives `ki`.
pub fn folded_key(token: &str) -> String {
    let mut key = String::with_capacity(token.len());
    fold_into(token, &mut key);
    apply_iy_rule(&mut key);
    key
}

/// Folds text without the i/y rule, keeping every other character: used where spelling
/// must survive (slugs, document numbers).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// A URL- and anchor-safe slug: `Quyết định 1847/QĐ-TTg` → `quyet-dinh-1847-qd-ttg`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in fold(text).chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Folding as defined: NFD of the whole text, lowercased, marks dropped, đ as d.
    fn fold_by_definition(text: &str) -> String {
        text.nfd()
            .flat_map(char::to_lowercase)
            .filter(|&c| !is_combining_mark(c))
            .map(|c| if c == 'đ' { 'd' } else { c })
            .collect()
    }

    #[test]
    fn folding_one_character_at_a_time_is_folding_the_text() {
        use unicode_normalization::char::canonical_combining_class;
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            // NFD reorders only characters of a nonzero class; folding drops them all.
            assert!(
                canonical_combining_class(c) == 0 || is_combining_mark(c),
                "{c:?}"
            );
            let text = format!("A{c}\u{323}\u{301}ệ");
            assert_eq!(fold(&text), fold_by_definition(&text), "{c:?}");
        }
    }

    #[test]
    fn slug_collapses_punctuation_and_trims() {
        assert_eq!(slug("  Hỏi – đáp  "), "hoi-dap");
        assert_eq!(slug("Điều 5. Trang phục"), "dieu-5-trang-phuc");
        assert_eq!(slug("---"), "");
    }

    #[test]
    fn iy_rule_only_touches_lone_y_after_initial() {
        assert_eq!(folded_key("thủy"), "thuy");
        assert_eq!(folded_key("quyết"), "quyet");
        assert_eq!(folded_key("Mỹ"), "mi");
        assert_eq!(toned_key("y"), "y");
    }

    #[test]
    fn the_fast_nfc_path_agrees_with_the_full_check() {
        for text in [
            "Văn hóa – “công vụ” ỹ",
            "ho\u{301}a",
            "ǅ ʰ",
            "日本",
            "\u{2000}",
        ] {
            let full = unicode_normalization::is_nfc(text);
            assert!(!surely_nfc(text) || full, "{text:?}");
            assert_eq!(nfc(text), text.nfc().collect::<String>());
        }
        assert!(surely_nfc("Văn hóa – “công vụ” ỹ…"));
    }

    #[test]
    fn the_skips_agree_with_the_bytewise_rule_at_every_offset() {
        // Every character class the rule knows, at every position of an 8-byte block and
        // around the end of a 64-byte window.
        let pieces = [
            "a", " ", "đ", "ư", "ʰ", "ạ", "ỹ", "–", "…", "\u{300}", "Ͱ", "日", "𝔸", "\u{2070}",
            "\u{206f}", "\u{2010}", "\u{200f}", "ἀ",
        ];
        for pad in (0..9).chain(52..68) {
            for p in &pieces {
                for q in &pieces {
                    let text = format!("{}{p}bcdefgh{q}{}", "x".repeat(pad), "y".repeat(pad));
                    assert_eq!(surely_nfc(&text), surely_nfc_by::<false>(&text), "{text:?}");
                    let full = unicode_normalization::is_nfc(&text);
                    assert!(!surely_nfc(&text) || full, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn byte_tests_see_each_byte_of_a_word() {
        for at in 0..8 {
            for (b, other) in [(b'"', b'a'), (b'&', 0xe1), (0x00, 0xff), (0x7f, 0x80)] {
                let mut bytes = [other; 8];
                bytes[at] = b;
                let v = u64::from_le_bytes(bytes);
                assert!(any_byte_is(v, b), "{b:#x} at {at}");
                assert!(!any_byte_is(u64::from_le_bytes([other; 8]), b));
            }
            let mut bytes = [b'a'; 8];
            bytes[at] = b'\n';
            assert!(any_byte_below(u64::from_le_bytes(bytes), 0x20), "{at}");
            assert!(!any_byte_below(u64::from_le_bytes([b' '; 8]), 0x20));
        }
    }

    #[test]
    fn nfc_composes_decomposed_input() {
        assert_eq!(nfc("ho\u{0061}\u{0301}"), "hoá");
    }
}
