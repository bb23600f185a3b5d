//! Checks of a source's characters that no parser notices: Vietnamese typed in a legacy
//! font encoding (TCVN3, VNI) and document numbers written with look-alike characters.
//!
//! Both read as text to every later stage and publish as garbage or as a citation that
//! silently links nowhere, so they are reported where they are written, with the corrected
//! text as the hint. They are warnings: the page itself is fine to build.

use crate::diagnostics::{Diagnostic, Location};
use crate::load::SourceFile;
use crate::text::legacy;

/// At most this many legacy lines are reported per file; a file pasted from a legacy
/// document would otherwise give one warning per line.
const MAX_LEGACY_LINES: usize = 3;

/// What a number in front matter is wrong with, as `(message, corrected number)`:
/// look-alike characters, legacy-encoded letters, or letters outside the Vietnamese
/// alphabet. `None` for a clean number.
pub fn number_problem(number: &str) -> Option<(String, Option<String>)> {
    if let Some(l) = crate::text::look_alikes(number) {
        return Some((
            format!(
                "số ký hiệu `{number}` có ký tự trông giống nhưng không phải: {}",
                l.describe()
            ),
            Some(l.corrected),
        ));
    }
    if let Some((encoding, corrected)) = legacy::reading(number) {
        return Some((
            format!(
                "số ký hiệu `{number}` có vẻ được gõ bằng bảng mã {}",
                encoding.name()
            ),
            Some(corrected),
        ));
    }
    let foreign: String = number
        .chars()
        .filter(|&c| c.is_alphabetic() && !crate::text::is_vietnamese_letter(c))
        .collect();
    (!foreign.is_empty()).then(|| {
        (
            format!("số ký hiệu `{number}` có chữ không thuộc bảng chữ tiếng Việt: `{foreign}`"),
            None,
        )
    })
}

/// Warnings for legacy-encoded lines of the whole file and suspect numbers in the body
/// (front-matter numbers are checked, as errors, at their keys).
pub fn check(source: &SourceFile, body_start: usize) -> Vec<Diagnostic> {
    let text = &source.text;
    let mut out = Vec::new();
    let lines = legacy::scan(text);
    let more = lines.len().saturating_sub(MAX_LEGACY_LINES);
    for (i, line) in lines.iter().take(MAX_LEGACY_LINES).enumerate() {
        let others = if i + 1 == MAX_LEGACY_LINES && more > 0 {
            format!(" (và {more} dòng khác sau dòng này)")
        } else {
            String::new()
        };
        out.push(
            Diagnostic::warning(
                Location::at_offset(&source.path, text, line.first_word.clone()),
                format!(
                    "dòng này có vẻ được gõ bằng bảng mã {} nên hiện sai chữ{others}",
                    line.encoding.name()
                ),
            )
            .with_hint(format!(
                "đọc là: {}\nchạy `sotay fix-encoding {}` để chuyển tệp sang Unicode",
                line.corrected, source.path
            )),
        );
    }
    let body = &text[body_start.min(text.len())..];
    for suspect in crate::text::suspect_numbers(body) {
        let range = body_start + suspect.range.start..body_start + suspect.range.end;
        let written = &text[range.clone()];
        // A number on a legacy line is already reported with its line.
        if lines.iter().any(|l| l.written.contains(written)) {
            continue;
        }
        let mut d = Diagnostic::warning(
            Location::at_offset(&source.path, text, range),
            format!(
                "số ký hiệu `{written}` {}, nên không được liên kết",
                suspect.problem
            ),
        );
        if let Some(c) = suspect.corrected {
            d = d.with_hint(format!("viết lại: {c}"));
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn source(text: &str) -> SourceFile {
        SourceFile {
            path: "content/a.md".into(),
            content_path: "a.md".into(),
            text: Arc::from(text),
        }
    }

    #[test]
    fn front_matter_numbers_name_the_wrong_characters() {
        let (m, fix) = number_problem("1847/QĐ-\u{422}Tg").unwrap();
        assert!(m.contains("chữ Kirin, U+0422"), "{m}");
        assert_eq!(fix.as_deref(), Some("1847/QĐ-TTg"));
        let (m, fix) = number_problem("1847/QÑ-TTg").unwrap();
        assert!(m.contains("VNI-Windows"), "{m}");
        assert_eq!(fix.as_deref(), Some("1847/QĐ-TTg"));
        let (m, fix) = number_problem("1847/QШ-TTg").unwrap();
        assert!(m.contains("`Ш`"), "{m}");
        assert_eq!(fix, None);
        assert_eq!(number_problem("1847/QĐ-TTg"), None);
    }

    #[test]
    fn legacy_lines_are_capped_and_numbers_on_them_not_repeated() {
        let line = "Quyeát ñònh soá 1847/QÑ-TTg cuûa Thuû töôùng\n";
        let text = format!("---\ntitle: A\n---\n{}", line.repeat(5));
        let d: Vec<String> = check(&source(&text), 17)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(d[0].contains("content/a.md:4:1"), "{d:?}");
        assert!(d[2].contains("và 2 dòng khác"), "{d:?}");
        assert!(
            d[0].contains("Quyết định số 1847/QĐ-TTg của Thủ tướng"),
            "{d:?}"
        );
    }
}
