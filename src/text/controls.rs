//! Control characters: what sources may hold, what XML can carry, what a terminal shows.
//!
//! Word writes a vertical tab (U+000B) for Shift+Enter and copied text brings NULs, escape
//! sequences and C1 controls along. They are invisible in an editor, make XML ill-formed
//! (XML 1.0 forbids C0 controls but tab, LF and CR) and, printed raw, let a title drive the
//! terminal of whoever runs `sotay`. `load` replaces NUL (as CommonMark does), `frontmatter`
//! reports the others with [`first_control`], XML writers pass text through [`xml_char`],
//! and every terminal printer through [`visible`].

use std::borrow::Cow;

/// Whether `c` is a control character a person did not mean to type: C0 but tab and LF,
/// DEL, C1, and the bidirectional overrides and isolates that reorder text on screen
/// without being seen ("Trojan Source").
pub fn is_stray_control(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether a byte can start the UTF-8 encoding of a character [`is_stray_control`] accepts:
/// a C0 or DEL byte, `0xC2` (lead byte of C1) or `0xE2` (lead byte of U+2000–U+2FFF). Lets
/// the scans skip plain text byte by byte without decoding it.
fn may_start_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f || b == 0xc2 || b == 0xe2
}

/// The first stray control character of a text (its byte offset and the character) and
/// how many the text holds, or `None` when it is clean (nearly always).
pub fn first_control(text: &str) -> Option<(usize, char, usize)> {
    let bytes = text.as_bytes();
    let mut first = None;
    let mut count = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !may_start_control(bytes[i]) {
            i += 1;
            continue;
        }
        // `i` is a lead byte (C0, DEL, 0xC2 and 0xE2 are never continuation bytes).
        let c = text[i..].chars().next().expect("a character starts here");
        if is_stray_control(c) {
            first.get_or_insert((i, c));
            count += 1;
        }
        i += c.len_utf8();
    }
    first.map(|(offset, c)| (offset, c, count))
}

/// Replaces every NUL with U+FFFD, as CommonMark asks of a parser; borrowed when there is
/// none.
pub fn replace_nul(text: &str) -> Cow<'_, str> {
    if text.as_bytes().contains(&0) {
        Cow::Owned(text.replace('\0', "\u{fffd}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// What XML 1.0 can hold of `c`: the character itself, or a space for the characters it
/// forbids (C0 controls but tab, LF and CR; U+FFFE and U+FFFF). A space rather than
/// nothing, because Word's vertical tab stands for a line break between words.
pub fn xml_char(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => c,
        '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => ' ',
        _ => c,
    }
}

/// Text made safe for a terminal: each stray control (see [`is_stray_control`]) written as
/// `\u{1b}`, so a title can neither move the cursor nor recolour the screen and the editor
/// still sees what is in the file. Borrowed when there is none.
pub fn visible(text: &str) -> Cow<'_, str> {
    if first_control(text).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_stray_control(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_controls_are_found_with_their_count() {
        assert_eq!(first_control("Văn hóa\tcông vụ\n"), None);
        assert_eq!(first_control("Tiêu\u{b}đề\u{1b}"), Some((5, '\u{b}', 2)));
        assert_eq!(first_control("a\u{85}b"), Some((1, '\u{85}', 1)));
        assert_eq!(first_control("ab\u{202e}c"), Some((2, '\u{202e}', 1)));
        assert_eq!(first_control("a\u{7f}"), Some((1, '\u{7f}', 1)));
        // Lead bytes 0xC2 and 0xE2 also start ordinary characters.
        assert_eq!(first_control("© – ‘x’"), None);
    }

    #[test]
    fn nul_becomes_the_replacement_character() {
        assert_eq!(replace_nul("a\0b\0"), "a\u{fffd}b\u{fffd}");
        assert!(matches!(replace_nul("ab"), Cow::Borrowed(_)));
    }

    #[test]
    fn xml_forbidden_characters_become_spaces() {
        let out: String = "a\u{b}b\tc\u{0}\u{ffff}đ\u{85}"
            .chars()
            .map(xml_char)
            .collect();
        assert_eq!(out, "a b\tc  đ\u{85}");
    }

    #[test]
    fn controls_are_printed_as_escapes() {
        assert_eq!(visible("đỏ \u{1b}[31mx\u{9b}"), "đỏ \\u{1b}[31mx\\u{9b}");
        assert_eq!(visible("a\tb\nc"), "a\tb\nc");
        assert!(matches!(visible("bình thường"), Cow::Borrowed(_)));
    }
}
