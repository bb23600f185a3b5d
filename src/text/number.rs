//! Vietnamese document numbers (số ký hiệu): `1847/QĐ-TTg`, `22/2008/QH12`.
//!
//! Shape: 1–5 digits, `/`, an optional 4-digit year and `/`, then a symbol made of letter and
//! digit groups joined by `-` or `.`, starting with a letter. The canonical form (folded,
//! uppercased, no spaces, no leading zeros) is the identity used for links and lookups.

use regex::Regex;
use std::sync::OnceLock;

/// A document number found in running text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberMatch {
    /// Byte offset where the number starts.
    pub start: usize,
    /// Byte offset just past the number.
    pub end: usize,
    /// The canonical form, e.g. `1847/QD-TTG`.
    pub canonical: String,
}

/// The running-text pattern. Spaces around `/` are not accepted here (they are in
/// [`canonical_number`]), because prose such as "ngày 5 / 2019" must not become a citation.
fn text_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"([0-9]{1,5})/(?:([0-9]{4})/)?(\p{L}[\p{L}\p{N}]*(?:[-.][\p{L}\p{N}]+)*)")
            .expect("document number pattern is valid")
    })
}

/// The whole-string pattern for numbers given in front matter or configuration.
fn exact_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^\s*(\d{1,5})\s*/\s*(?:(\d{4})\s*/\s*)?(\p{L}[\p{L}\p{N}]*(?:\s*[-.]\s*[\p{L}\p{N}]+)*)\s*$")
            .expect("document number pattern is valid")
    })
}

/// Whether a symbol qualifies in running text: at least two characters, one of them an
/// uppercase letter (this is what separates `60/ha` from `10/CT-TTg`), and every letter a
/// letter of the Vietnamese alphabet (a Cyrillic `Т` or a VNI `Ñ` is never cited).
fn symbol_qualifies(symbol: &str) -> bool {
    symbol.chars().count() >= 2
        && symbol.chars().any(char::is_uppercase)
        && symbol
            .chars()
            .all(|c| !c.is_alphabetic() || is_vietnamese_letter(c))
}

/// Whether a letter belongs to the Vietnamese alphabet (ASCII letters, `đ`, and the vowels
/// with their marks, in NFC).
pub fn is_vietnamese_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || ('\u{1EA0}'..='\u{1EF9}').contains(&c)
        || matches!(
            c,
            'À' | 'Á'
                | 'Â'
                | 'Ã'
                | 'È'
                | 'É'
                | 'Ê'
                | 'Ì'
                | 'Í'
                | 'Ò'
                | 'Ó'
                | 'Ô'
                | 'Õ'
                | 'Ù'
                | 'Ú'
                | 'Ý'
                | 'à'
                | 'á'
                | 'â'
                | 'ã'
                | 'è'
                | 'é'
                | 'ê'
                | 'ì'
                | 'í'
                | 'ò'
                | 'ó'
                | 'ô'
                | 'õ'
                | 'ù'
                | 'ú'
                | 'ý'
                | 'Ă'
                | 'ă'
                | 'Đ'
                | 'đ'
                | 'Ĩ'
                | 'ĩ'
                | 'Ũ'
                | 'ũ'
                | 'Ơ'
                | 'ơ'
                | 'Ư'
                | 'ư'
        )
}

/// What a look-alike character stands for, and what it is, for the message.
fn lookalike(c: char) -> Option<(char, &'static str)> {
    const CYRILLIC: &str = "АВЕКМНОРСТХУІЈЅаеорсухіјѕһ";
    const CYRILLIC_AS: &str = "ABEKMHOPCTXYIJSaeopcyxijsh";
    const GREEK: &str = "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧο";
    const GREEK_AS: &str = "ABEZHIKMNOPTYXo";
    let find = |from: &str, to: &str| {
        from.chars()
            .position(|x| x == c)
            .and_then(|i| to.chars().nth(i))
    };
    if let Some(a) = find(CYRILLIC, CYRILLIC_AS) {
        return Some((a, "chữ Kirin"));
    }
    if let Some(a) = find(GREEK, GREEK_AS) {
        return Some((a, "chữ Hy Lạp"));
    }
    Some(match c {
        '\u{FF01}'..='\u{FF5E}' => (
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            "ký tự toàn khổ",
        ),
        '\u{2215}' | '\u{2044}' | '\u{29F8}' => ('/', "dấu gạch chéo khác `/`"),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' => ('-', "dấu gạch khác `-`"),
        '\u{D0}' | '\u{189}' => ('Đ', "chữ Đ của tiếng khác"),
        '\u{F0}' | '\u{256}' => ('đ', "chữ đ của tiếng khác"),
        _ => return None,
    })
}

/// A number written with characters that only look like the right ones: the corrected
/// number, and each wrong character with what it is (`Т` → "chữ Kirin").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookAlikes {
    /// The number with every look-alike replaced.
    pub corrected: String,
    /// The characters replaced, in order, each once.
    pub found: Vec<(char, &'static str)>,
}

impl LookAlikes {
    /// `` `Т` (chữ Kirin, U+0422), `／` (ký tự toàn khổ, U+FF0F) ``.
    pub fn describe(&self) -> String {
        self.found
            .iter()
            .map(|(c, what)| format!("`{c}` ({what}, U+{:04X})", u32::from(*c)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The look-alike characters of `text`, if any: Cyrillic and Greek capitals, fullwidth
/// letters, digits and slash, other slashes and dashes, the eth that is not `Đ`.
pub fn look_alikes(text: &str) -> Option<LookAlikes> {
    let mut found: Vec<(char, &'static str)> = Vec::new();
    let corrected: String = text
        .chars()
        .map(|c| match lookalike(c) {
            Some((a, what)) => {
                if !found.iter().any(|f| f.0 == c) {
                    found.push((c, what));
                }
                a
            }
            None => c,
        })
        .collect();
    (!found.is_empty()).then_some(LookAlikes { corrected, found })
}

/// Something in running text that is shaped like a document number but written with
/// look-alike characters or legacy-encoded letters, so it is not cited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuspectNumber {
    /// Byte range in the text.
    pub range: std::ops::Range<usize>,
    /// The corrected number, when one can be given.
    pub corrected: Option<String>,
    /// What is wrong with it (Vietnamese).
    pub problem: String,
}

/// A looser pattern than [`text_pattern`]: any digits, slashes and dashes, so that numbers
/// spelled with look-alikes are found to be reported.
fn suspect_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"[0-9０-９]{1,5}[/／∕⁄⧸](?:[0-9０-９]{4}[/／∕⁄⧸])?[\p{L}§®\u{A1}-\u{A7}][\p{L}\p{N}§®\u{A1}-\u{A7}]*(?:[-.‐‑‒–—−﹣－][\p{L}\p{N}§®\u{A1}-\u{A7}]+)*",
        )
        .expect("suspect number pattern is valid")
    })
}

/// Finds number-shaped text that [`extract_numbers`] refuses because of its characters
/// (look-alikes, letters outside the Vietnamese alphabet), with a correction when one is
/// known. Cheap on ordinary text: it needs a slash of some kind.
pub fn suspect_numbers(text: &str) -> Vec<SuspectNumber> {
    const SLASHES: [char; 5] = ['/', '／', '∕', '⁄', '⧸'];
    // Only lines with a slash and a character that is neither ASCII nor Vietnamese (nor
    // common typography) can hold one; most lines of a site are skipped by these scans.
    let suspicious = |c: char| {
        !c.is_ascii()
            && !is_vietnamese_letter(c)
            && !matches!(
                c,
                '“' | '”' | '‘' | '’' | '…' | '«' | '»' | '·' | '•' | '©' | '°' | '\u{a0}'
            )
    };
    let mut out = Vec::new();
    if !SLASHES.iter().any(|&s| text.contains(s)) {
        return out;
    }
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let slash = SLASHES.iter().any(|&s| line.contains(s));
        if slash && !line.is_ascii() && any_char_past_vietnamese(line, suspicious) {
            out.extend(suspects_in(line).into_iter().map(|mut s| {
                s.range = s.range.start + start..s.range.end + start;
                s
            }));
        }
    }
    out
}

/// Whether some character of `line` passes `test`, skipping ASCII and the precomposed
/// toned letters (U+1EA0–U+1EF9, bytes `E1 BA`/`E1 BB`) that make up most of Vietnamese text
/// without decoding them.
fn any_char_past_vietnamese(line: &str, test: impl Fn(char) -> bool) -> bool {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
        } else if b == 0xE1 && matches!(bytes.get(i + 1), Some(0xBA | 0xBB)) {
            i += 3;
        } else {
            let c = line[i..].chars().next().unwrap_or('\0');
            if test(c) {
                return true;
            }
            i += c.len_utf8().max(1);
        }
    }
    false
}

/// [`suspect_numbers`] in one line, ranges relative to it.
fn suspects_in(text: &str) -> Vec<SuspectNumber> {
    let mut out = Vec::new();
    for m in suspect_pattern().find_iter(text) {
        let written = m.as_str();
        let preceded_by_word = text[..m.start()]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '/');
        if preceded_by_word {
            continue;
        }
        let clean = |n: &str| {
            extract_numbers(n)
                .first()
                .is_some_and(|x| x.start == 0 && x.end == n.len())
        };
        if clean(written) {
            continue;
        }
        if let Some(l) = look_alikes(written) {
            if clean(&l.corrected) {
                out.push(SuspectNumber {
                    range: m.range(),
                    problem: format!("có ký tự trông giống nhưng không phải: {}", l.describe()),
                    corrected: Some(l.corrected),
                });
            }
            continue;
        }
        if let Some((encoding, corrected)) = super::legacy::reading(written) {
            if clean(&corrected) {
                out.push(SuspectNumber {
                    range: m.range(),
                    problem: format!("có vẻ được gõ bằng bảng mã {}", encoding.name()),
                    corrected: Some(corrected),
                });
            }
        }
    }
    out
}

fn canonical_parts(number: &str, year: Option<&str>, symbol: &str) -> String {
    let number = number.trim_start_matches('0');
    let number = if number.is_empty() { "0" } else { number };
    let symbol: String = super::fold(symbol)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    match year {
        Some(y) => format!("{number}/{y}/{symbol}"),
        None => format!("{number}/{symbol}"),
    }
}

/// The canonical form of a number written anywhere (front matter, queries, citations).
///
/// Returns `None` when the text is not a document number at all.
pub fn canonical_number(text: &str) -> Option<String> {
    let caps = exact_pattern().captures(text)?;
    Some(canonical_parts(
        &caps[1],
        caps.get(2).map(|m| m.as_str()),
        &caps[3],
    ))
}

/// Whether front-matter text is a well-formed document number.
pub fn is_valid_number(text: &str) -> bool {
    exact_pattern()
        .captures(text)
        .is_some_and(|c| c[3].chars().any(char::is_alphabetic))
}

/// Finds every document number in running text, in order.
pub fn extract_numbers(text: &str) -> Vec<NumberMatch> {
    let mut found = Vec::new();
    // Every number has a slash; most prose has none, and the pattern (which starts with a
    // digit class) has no literal for the regex engine to skip ahead with.
    if !text.contains('/') {
        return found;
    }
    // Matches are found with `find_iter` and cut at their slashes instead of asking the
    // regex for its groups, which runs a slower engine over every match. The cut is exact:
    // a symbol has no `/`, so a match has one slash, or two around a year.
    for whole in text_pattern().find_iter(text) {
        let preceded_by_word = text[..whole.start()]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '/');
        let mut parts = whole.as_str().split('/');
        let (Some(number), Some(second)) = (parts.next(), parts.next()) else {
            continue;
        };
        let (year, symbol) = match parts.next() {
            Some(symbol) => (Some(second), symbol),
            None => (None, second),
        };
        if preceded_by_word || !symbol_qualifies(symbol) {
            continue;
        }
        found.push(NumberMatch {
            start: whole.start(),
            end: whole.end(),
            canonical: canonical_parts(number, year, symbol),
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_inside_longer_numbers_are_not_cut_out() {
        assert!(extract_numbers("mã 123/2019/ab").is_empty());
        let m = extract_numbers("số 22/2008/QH12");
        assert_eq!(m.len(), 1);
        assert_eq!(&"số 22/2008/QH12"[m[0].start..m[0].end], "22/2008/QH12");
    }

    #[test]
    fn cutting_matches_at_slashes_gives_the_pattern_groups() {
        let text = "Theo 1847/QĐ-TTg, 22/2008/QH12, 05/2019/tt-bnv và 60/ha; mã 9/ÂB.12-c, \
                    12/2020/NĐ-CP/x, 123456/AB và 7/2019 năm";
        let by_groups: Vec<NumberMatch> = text_pattern()
            .captures_iter(text)
            .filter(|c| symbol_qualifies(&c[3]))
            .filter(|c| {
                let start = c.get(0).unwrap().start();
                !text[..start]
                    .chars()
                    .next_back()
                    .is_some_and(|ch| ch.is_alphanumeric() || ch == '/')
            })
            .map(|c| {
                let whole = c.get(0).unwrap();
                NumberMatch {
                    start: whole.start(),
                    end: whole.end(),
                    canonical: canonical_parts(&c[1], c.get(2).map(|m| m.as_str()), &c[3]),
                }
            })
            .collect();
        assert_eq!(extract_numbers(text), by_groups);
        let canonical: Vec<String> = by_groups.into_iter().map(|m| m.canonical).collect();
        assert_eq!(
            canonical,
            ["1847/QD-TTG", "22/2008/QH12", "9/AB.12-C", "12/2020/ND-CP"]
        );
    }

    #[test]
    fn look_alikes_are_named_and_corrected() {
        let l = look_alikes("1847/QĐ-\u{422}Tg").unwrap();
        assert_eq!(l.corrected, "1847/QĐ-TTg");
        assert_eq!(l.describe(), "`Т` (chữ Kirin, U+0422)");
        let l = look_alikes("１８４７／QĐ–TTg").unwrap();
        assert_eq!(l.corrected, "1847/QĐ-TTg");
        assert_eq!(l.found.len(), 6);
        assert_eq!(look_alikes("22/2008/QH12"), None);
        assert_eq!(look_alikes("Quyết định 1847/QĐ-TTg"), None);
    }

    #[test]
    fn numbers_with_look_alikes_are_not_cited_but_reported() {
        let text =
            "Theo 1847/QĐ-\u{422}Tg, 1847／QĐ-TTg, ２２/2008/QH12, 1847/QÑ-TTg và 5/QĐ-UBND.";
        let cited: Vec<String> = extract_numbers(text)
            .into_iter()
            .map(|m| m.canonical)
            .collect();
        assert_eq!(cited, ["5/QD-UBND"]);
        let found = suspect_numbers(text);
        let suspects: Vec<(&str, Option<&str>)> = found
            .iter()
            .map(|s| (&text[s.range.clone()], s.corrected.as_deref()))
            .collect();
        assert_eq!(
            suspects,
            [
                ("1847/QĐ-\u{422}Tg", Some("1847/QĐ-TTg")),
                ("1847／QĐ-TTg", Some("1847/QĐ-TTg")),
                ("２２/2008/QH12", Some("22/2008/QH12")),
                ("1847/QÑ-TTg", Some("1847/QĐ-TTg")),
            ]
        );
        assert!(suspect_numbers("Quyết định 1847/QĐ-TTg, 22/2008/QH12, 60/ha").is_empty());
    }

    #[test]
    fn malformed_numbers_are_rejected() {
        assert!(!is_valid_number("QĐ-TTg"));
        assert!(!is_valid_number("1847/"));
        assert!(is_valid_number("1847/QĐ-TTg"));
        assert_eq!(canonical_number("abc"), None);
    }
}
