//! Short, stable anchors for the structure of a legal text: `dieu-5`, `chuong-2`.

use crate::markdown::AnchorPolicy;

/// Anchor policy for document pages: articles and chapters get anchors a citation can
/// predict from "Điều 5" or "Chương II" alone; other headings fall back to slugs.
pub struct DocumentAnchors;

/// A shared instance, since the policy has no state.
pub static LEGAL_ANCHORS: DocumentAnchors = DocumentAnchors;

/// Converts a Roman numeral (I–XXXIX and beyond) to a number.
fn roman(text: &str) -> Option<u32> {
    let mut total = 0u32;
    let mut prev = 0u32;
    for c in text.chars().rev() {
        let v = match c.to_ascii_uppercase() {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            _ => return None,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total += v;
            prev = v;
        }
    }
    (total > 0).then_some(total)
}

/// The anchor of a structural heading ("Điều 5. Trang phục" → `dieu-5`), if it is one.
pub fn structural_anchor(text: &str) -> Option<String> {
    let folded = crate::text::fold(text);
    let mut words = folded.split(|c: char| c.is_whitespace() || c == '.' || c == ':');
    let first = words.next()?;
    let second = words.find(|w| !w.is_empty())?;
    match first {
        "dieu" => second
            .chars()
            .all(|c| c.is_ascii_alphanumeric())
            .then(|| format!("dieu-{}", second.to_ascii_lowercase()))
            .filter(|_| second.starts_with(|c: char| c.is_ascii_digit())),
        "chuong" => {
            let n = second.parse::<u32>().ok().or_else(|| roman(second))?;
            Some(format!("chuong-{n}"))
        }
        _ => None,
    }
}

impl AnchorPolicy for DocumentAnchors {
    fn heading(&self, _level: u8, text: &str) -> Option<String> {
        structural_anchor(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_and_chapters() {
        assert_eq!(
            structural_anchor("Điều 5. Trang phục").as_deref(),
            Some("dieu-5")
        );
        assert_eq!(
            structural_anchor("ĐIỀU 16: Giao tiếp").as_deref(),
            Some("dieu-16")
        );
        assert_eq!(structural_anchor("Chương II").as_deref(), Some("chuong-2"));
        assert_eq!(
            structural_anchor("Chương IV. Kỷ luật").as_deref(),
            Some("chuong-4")
        );
        assert_eq!(structural_anchor("Điều khoản chung"), None);
        assert_eq!(structural_anchor("Bốn nhóm chuẩn mực"), None);
    }
}
