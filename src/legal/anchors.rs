//! Short, stable anchors for the structure of a legal text: `chuong-2`, `dieu-5`,
//! `dieu-5-khoan-2`, `dieu-5-khoan-2-diem-a`; and the table of contents that follows it.
//!
//! A citation such as "điểm a khoản 2 Điều 5" must predict the anchor from the words alone,
//! so these anchors are derived from numbers, never from heading text.

use crate::markdown::{AnchorPolicy, BlockInfo, TocEntry};

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

/// The anchor suffix of a point letter: `a` → `a`, `đ` → `dd` (so `d` and `đ` differ).
pub(super) fn point_slug(letter: char) -> Option<String> {
    match letter {
        'đ' | 'Đ' => Some("dd".to_owned()),
        c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase().to_string()),
        _ => None,
    }
}

/// A clause number written at the start of a block: `2.` or `2)`.
fn leading_clause(text: &str) -> Option<u64> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let rest = &text[digits.len()..];
    (!digits.is_empty() && digits.len() <= 3 && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then(|| digits.parse().ok())
        .flatten()
}

/// A point letter written at the start of a block: `a)` or `đ)`.
fn leading_point(text: &str) -> Option<String> {
    let mut chars = text.chars();
    let letter = chars.next()?;
    (letter.is_lowercase() && chars.next() == Some(')'))
        .then(|| point_slug(letter))
        .flatten()
}

/// The article anchor of a section anchor (`dieu-5`), if the section is an article.
fn article(section: Option<&str>) -> Option<&str> {
    let s = section?;
    let rest = s.strip_prefix("dieu-")?;
    (!rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric())).then_some(s)
}

/// The clause anchor a block anchor belongs to (`dieu-5-khoan-2-diem-a` → `dieu-5-khoan-2`).
fn clause_of<'a>(anchor: &'a str, article: &str) -> Option<&'a str> {
    let rest = anchor.strip_prefix(article)?.strip_prefix("-khoan-")?;
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    (digits > 0).then(|| &anchor[..article.len() + "-khoan-".len() + digits])
}

impl AnchorPolicy for DocumentAnchors {
    fn heading(&self, _level: u8, text: &str) -> Option<String> {
        structural_anchor(text)
    }

    fn block(&self, block: &BlockInfo<'_>) -> Option<String> {
        let article = article(block.section)?;
        let text = block.text.trim_start();
        let in_clause = block.parent.and_then(|p| clause_of(p, article));
        if in_clause.is_none() && block.parent.is_none() {
            if let Some(k) = block.ordinal.or_else(|| leading_clause(text)) {
                return Some(format!("{article}-khoan-{k}"));
            }
        }
        let point = leading_point(text)?;
        let clause = in_clause.or_else(|| {
            block
                .parent
                .is_none()
                .then(|| block.last.and_then(|l| clause_of(l, article)))
                .flatten()
        });
        Some(match clause {
            Some(c) => format!("{c}-diem-{point}"),
            None => format!("{article}-diem-{point}"),
        })
    }
}

/// Nests a document's table of contents by its structure: articles under the chapter
/// before them (whatever their heading levels), other headings by level.
pub fn structural_toc(toc: &[TocEntry]) -> Vec<TocEntry> {
    fn flatten(list: &[TocEntry], out: &mut Vec<(u8, String, String)>) {
        for e in list {
            out.push((e.level, e.title.clone(), e.anchor.clone()));
            flatten(&e.children, out);
        }
    }
    fn insert(list: &mut Vec<TocEntry>, entry: TocEntry) {
        match list.last_mut() {
            Some(last) if entry.level > last.level => insert(&mut last.children, entry),
            _ => list.push(entry),
        }
    }
    let mut flat = Vec::new();
    flatten(toc, &mut flat);
    let mut in_chapter = false;
    let mut out = Vec::new();
    for (level, title, anchor) in flat {
        let rank = if anchor.starts_with("chuong-") {
            in_chapter = true;
            2
        } else if article(Some(&anchor)).is_some() {
            if in_chapter {
                3
            } else {
                2
            }
        } else if level <= 2 {
            in_chapter = false;
            2
        } else {
            level + 1
        };
        insert(
            &mut out,
            TocEntry {
                level: rank,
                title,
                anchor,
                children: Vec::new(),
            },
        );
    }
    out
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

    fn anchors_of(body: &str) -> Vec<String> {
        crate::markdown::outline(body, &LEGAL_ANCHORS).blocks
    }

    #[test]
    fn clauses_and_points_inside_articles() {
        let body = "## Điều 5. Trang phục\n\n1. Một:\n   - a) điểm a\n   - đ) điểm đ\n2. Hai\n\nb) điểm sau danh sách\n\n## Điều 6\n\n3. Ba\n\n## Khác\n\n1. Không phải khoản\n";
        assert_eq!(
            anchors_of(body),
            [
                "dieu-5-khoan-1",
                "dieu-5-khoan-1-diem-a",
                "dieu-5-khoan-1-diem-dd",
                "dieu-5-khoan-2",
                "dieu-5-khoan-2-diem-b",
                "dieu-6-khoan-3",
            ]
        );
    }

    #[test]
    fn loose_items_and_paragraph_points() {
        let body =
            "## Điều 3\n\n1. Khoản một.\n\n   a) điểm a;\n\n   b) điểm b.\n\n2. Khoản hai.\n";
        assert_eq!(
            anchors_of(body),
            [
                "dieu-3-khoan-1",
                "dieu-3-khoan-1-diem-a",
                "dieu-3-khoan-1-diem-b",
                "dieu-3-khoan-2",
            ]
        );
        let r = crate::markdown::render(body, &LEGAL_ANCHORS, &NoHooks);
        assert!(r.html.contains(r#"<li id="dieu-3-khoan-2">"#), "{}", r.html);
        assert!(
            r.html.contains(r#"<p id="dieu-3-khoan-1-diem-b">"#),
            "{}",
            r.html
        );
    }

    struct NoHooks;
    impl crate::markdown::Hooks for NoHooks {
        fn resolve(&self, _dest: &str) -> Option<String> {
            None
        }
    }

    #[test]
    fn toc_nests_articles_under_chapters() {
        let body = "## Thông tin\n\n## Chương I\n\n## Điều 1\n\n### Ghi chú\n\n## Điều 2\n\n## Chương II\n\n### Điều 3\n\n## Văn bản liên quan\n\n## Điều 9\n";
        let r = crate::markdown::render(body, &LEGAL_ANCHORS, &NoHooks);
        let toc = structural_toc(&r.toc);
        let top: Vec<&str> = toc.iter().map(|e| e.anchor.as_str()).collect();
        assert_eq!(
            top,
            [
                "thong-tin",
                "chuong-1",
                "chuong-2",
                "van-ban-lien-quan",
                "dieu-9"
            ]
        );
        let ch1: Vec<&str> = toc[1].children.iter().map(|e| e.anchor.as_str()).collect();
        assert_eq!(ch1, ["dieu-1", "dieu-2"]);
        assert_eq!(toc[1].children[0].children[0].anchor, "ghi-chu");
        assert_eq!(toc[2].children[0].anchor, "dieu-3");
    }
}
