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
        Regex::new(r"(\d{1,5})/(?:(\d{4})/)?(\p{L}[\p{L}\p{N}]*(?:[-.][\p{L}\p{N}]+)*)")
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
/// uppercase letter (this is what separates `60/ha` from `10/CT-TTg`).
fn symbol_qualifies(symbol: &str) -> bool {
    symbol.chars().count() >= 2 && symbol.chars().any(char::is_uppercase)
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
    fn malformed_numbers_are_rejected() {
        assert!(!is_valid_number("QĐ-TTg"));
        assert!(!is_valid_number("1847/"));
        assert!(is_valid_number("1847/QĐ-TTg"));
        assert_eq!(canonical_number("abc"), None);
    }
}
