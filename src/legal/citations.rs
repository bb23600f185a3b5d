//! Citations in prose: every document number the site holds becomes a link, and references
//! to an article, clause or point link to that part of the cited page.
//!
//! Vietnamese texts cite as "khoản 2 Điều 16 Luật số 22/2008/QH12" or "Điều 16 Luật Hộ tịch
//! số 60/2014/QH13" — the reference first, then the document's name, then its number — and
//! "Điều 5" alone inside a document means its own article. Each text run is scanned once by
//! two regular expressions (numbers, and the words điểm/khoản/điều); pairing them is a single
//! forward walk, so the cost is linear in the text whatever the number of documents.

use super::anchors::point_slug;
use super::LegalIndex;
use crate::content::ContentTree;
use crate::markdown::escape_into;
use crate::text::NumberMatch;
use regex::Regex;
use std::collections::HashSet;
use std::sync::OnceLock;

/// A document number found in a page's prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// Canonical number.
    pub canonical: String,
    /// As written.
    pub raw: String,
    /// The cited document's page, when the site holds it.
    pub target: Option<usize>,
    /// Anchor of the heading the citation is under.
    pub section: Option<String>,
}

/// "điểm a khoản 2 Điều 5": any of the three parts, in that order, at least one present.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct PartRef {
    start: usize,
    end: usize,
    point: Option<String>,
    clause: Option<String>,
    article: Option<String>,
}

impl PartRef {
    /// Anchors to try on the cited page, most specific first.
    fn candidates(&self, article_anchor: &str) -> Vec<String> {
        let mut out = Vec::with_capacity(3);
        match (&self.clause, &self.point) {
            (Some(k), Some(p)) => {
                out.push(format!("{article_anchor}-khoan-{k}-diem-{p}"));
                out.push(format!("{article_anchor}-khoan-{k}"));
            }
            (Some(k), None) => out.push(format!("{article_anchor}-khoan-{k}")),
            (None, Some(p)) => out.push(format!("{article_anchor}-diem-{p}")),
            (None, None) => {}
        }
        if self.article.is_some() {
            out.push(article_anchor.to_owned());
        }
        out
    }
}

fn part_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(điểm|khoản|điều)[ \u{a0}]+(\d{1,4}[a-z]?|[a-zđ])")
            .expect("article reference pattern is valid")
    })
}

fn year_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^[ ,]*(?:ngày\s+\d{1,2}(?:/|\s+tháng\s+)\d{1,2}(?:/|\s+năm\s+)|năm\s+)(\d{4})")
            .expect("year pattern is valid")
    })
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Finds article, clause and point references, grouping "điểm a khoản 2 Điều 5" into one.
fn part_refs(text: &str) -> Vec<PartRef> {
    let mut refs: Vec<PartRef> = Vec::new();
    let mut last_rank = 3u8;
    // Found with `find_iter` and cut at the spaces rather than by the regex's groups (a
    // slower engine runs for those): the word has no space, the value none either.
    for whole in part_pattern().find_iter(text) {
        let before = text[..whole.start()].chars().next_back();
        let after = text[whole.end()..].chars().next();
        if before.is_some_and(is_word_char) || after.is_some_and(is_word_char) {
            continue;
        }
        let is_space = |c: char| c == ' ' || c == '\u{a0}';
        let Some((word, value)) = whole.as_str().split_once(is_space) else {
            continue;
        };
        let word = crate::text::fold(word);
        let value = value.trim_start_matches(is_space).to_lowercase();
        let starts_digit = value.starts_with(|c: char| c.is_ascii_digit());
        let rank = match word.as_str() {
            "diem" if !starts_digit => 0,
            "khoan" if starts_digit && value.chars().all(|c| c.is_ascii_digit()) => 1,
            "dieu" if starts_digit => 2,
            _ => continue,
        };
        let joins = refs.last().is_some_and(|r| {
            rank > last_rank && text[r.end..whole.start()].chars().all(char::is_whitespace)
        });
        if !joins {
            refs.push(PartRef {
                start: whole.start(),
                ..PartRef::default()
            });
        }
        let r = refs.last_mut().expect("pushed above");
        r.end = whole.end();
        match rank {
            0 => r.point = value.chars().next().and_then(point_slug),
            1 => r.clause = Some(value),
            _ => r.article = Some(value),
        }
        last_rank = rank;
        if rank == 2 {
            // "Điều 16, 17 và 18": bare numbers after an article are articles too.
            let mut pos = whole.end();
            while let Some(c) = article_list_pattern().captures(&text[pos..]) {
                let m = c.get(1).expect("group 1 always matches");
                if text[pos + m.end()..].starts_with(is_word_char) {
                    break;
                }
                refs.push(PartRef {
                    start: pos + m.start(),
                    end: pos + m.end(),
                    article: Some(m.as_str().to_owned()),
                    ..PartRef::default()
                });
                pos += m.end();
            }
        }
    }
    refs
}

fn article_list_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:\s*,\s*|\s+và\s+|\s+hoặc\s+|\s*,\s*và\s+)(\d{1,4}[a-z]?)")
            .expect("article list pattern is valid")
    })
}

/// Whether the text between a reference and a number is a document's name ("Luật Hộ tịch
/// số"), so the reference belongs to that number.
fn names_a_document(gap: &str) -> bool {
    if gap.len() > 200 || gap.contains(['.', ';', ':', '!', '?', '(', ')', '[', ']', '\n']) {
        return false;
    }
    let g = gap.trim_start();
    let g = g.strip_prefix("của ").unwrap_or(g);
    g.is_empty() || g.starts_with(char::is_uppercase) || g.starts_with("số ")
}

/// Whether a reference with no number after it names another, unnumbered document ("Điều 16
/// Luật Cán bộ, công chức") rather than this one ("Điều 5", "Điều 5 Luật này").
fn names_another_document(after: &str) -> bool {
    let t = after.trim_start();
    let t = t.strip_prefix("của ").unwrap_or(t);
    if !t.starts_with(char::is_uppercase) {
        return false;
    }
    !t.split_whitespace()
        .take(4)
        .any(|w| w.trim_end_matches([',', '.', ';']) == "này")
}

/// Whether only a conjunction separates two references ("Điều 16, Điều 17", "Điều 16 và").
fn only_conjunction(between: &str) -> bool {
    matches!(
        between.trim().trim_start_matches(',').trim(),
        "" | "và" | "hoặc"
    )
}

/// The article anchor of a section anchor (`dieu-5`), if the section is an article.
fn section_article(section: Option<&str>) -> Option<&str> {
    section.filter(|s| {
        s.strip_prefix("dieu-")
            .is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric()))
    })
}

/// The page a cited number means: with several documents under one canonical number, the
/// one whose year follows the number ("10/CT-TTg ngày 22/4/2019"), else the newest.
fn pick(legal: &LegalIndex, tree: &ContentTree, m: &NumberMatch, text: &str) -> Option<usize> {
    let candidates = legal.by_number.get(&m.canonical)?;
    if candidates.len() == 1 {
        return candidates.first().copied();
    }
    let year: Option<i32> = year_pattern()
        .captures(&text[m.end..])
        .and_then(|c| c[1].parse().ok());
    year.and_then(|y| {
        candidates.iter().copied().find(|&c| {
            tree.pages[c]
                .meta
                .document
                .as_ref()
                .and_then(|d| d.issued)
                .is_some_and(|d| d.year() == y)
        })
    })
    .or_else(|| candidates.last().copied())
}

/// One link to write: a byte range of the text and what it points to.
struct Link {
    start: usize,
    end: usize,
    page: usize,
    anchor: Option<String>,
    /// Number links carry the cited document's status; part links do not.
    is_number: bool,
}

/// What `link_prose` needs about the page being rendered.
pub struct ProseContext<'a> {
    /// The legal index.
    pub legal: &'a LegalIndex,
    /// The content tree.
    pub tree: &'a ContentTree,
    /// The site's base path, prepended to hrefs.
    pub base_path: &'a str,
    /// The page being rendered.
    pub from: usize,
    /// Anchor of the enclosing heading.
    pub section: Option<&'a str>,
}

/// Writes HTML for a run of prose, linking each document number the site holds and each
/// article, clause or point reference whose anchor exists; records every number cited.
pub fn link_prose(ctx: &ProseContext<'_>, text: &str, out: &mut String, cites: &mut Vec<Citation>) {
    link_prose_with(ctx, text, out, cites, &mut escape_into);
}

/// [`link_prose`], with `plain` writing the text outside citations (which is where
/// glossary terms are linked: citations are found on the whole run first, so a term
/// between "Điều 5" and its number does not cut the reference from its document).
pub fn link_prose_with(
    ctx: &ProseContext<'_>,
    text: &str,
    out: &mut String,
    cites: &mut Vec<Citation>,
    plain: &mut dyn FnMut(&str, &mut String),
) {
    let numbers = crate::text::extract_numbers(text);
    let parts = if text.len() > 6 {
        part_refs(text)
    } else {
        Vec::new()
    };
    if numbers.is_empty() && parts.is_empty() {
        plain(text, out);
        return;
    }
    let LegalIndex { anchors, .. } = ctx.legal;
    let no_anchors = HashSet::new();
    let mut links: Vec<Link> = Vec::with_capacity(numbers.len() + parts.len());
    let targets: Vec<Option<usize>> = numbers
        .iter()
        .map(|m| pick(ctx.legal, ctx.tree, m, text))
        .collect();
    for (m, &target) in numbers.iter().zip(&targets) {
        if target == Some(ctx.from) {
            continue;
        }
        cites.push(Citation {
            canonical: m.canonical.clone(),
            raw: text[m.start..m.end].to_owned(),
            target,
            section: ctx.section.map(str::to_owned),
        });
        if let Some(page) = target {
            links.push(Link {
                start: m.start,
                end: m.end,
                page,
                anchor: None,
                is_number: true,
            });
        }
    }
    // Which document each reference belongs to, walking backwards so "Điều 16, Điều 17
    // Luật … số 22/2008/QH12" gives both articles the number that follows the second.
    let mut owner: Vec<Option<Option<usize>>> = vec![None; parts.len()];
    let mut next_number = numbers.len();
    for (i, r) in parts.iter().enumerate().rev() {
        while next_number > 0 && numbers[next_number - 1].start >= r.end {
            next_number -= 1;
        }
        let following = numbers.get(next_number);
        let next_part = parts.get(i + 1);
        owner[i] = match (following, next_part) {
            (Some(n), np) if np.is_none_or(|p| p.start > n.start) => {
                names_a_document(&text[r.end..n.start]).then_some(targets[next_number])
            }
            (_, Some(p)) if only_conjunction(&text[r.end..p.start]) => owner[i + 1],
            _ => None,
        };
        if numbers.iter().any(|n| n.start < r.end && r.start < n.end) {
            owner[i] = Some(None);
        }
    }
    let own_page = ctx.legal.documents.contains_key(&ctx.from);
    for (r, owner) in parts.iter().zip(owner) {
        let (page, article_anchor) = match (owner, &r.article) {
            (Some(Some(page)), Some(a)) => (page, format!("dieu-{a}")),
            (Some(_), _) => continue,
            (None, Some(a)) if own_page && !names_another_document(&text[r.end..]) => {
                (ctx.from, format!("dieu-{a}"))
            }
            (None, None) if own_page && r.clause.is_some() => match section_article(ctx.section) {
                Some(a) => (ctx.from, a.to_owned()),
                None => continue,
            },
            _ => continue,
        };
        let known = anchors.get(&page).unwrap_or(&no_anchors);
        let Some(anchor) = r
            .candidates(&article_anchor)
            .into_iter()
            .find(|a| known.contains(a))
        else {
            continue;
        };
        if page == ctx.from && ctx.section == Some(anchor.as_str()) {
            continue;
        }
        links.push(Link {
            start: r.start,
            end: r.end,
            page,
            anchor: Some(anchor),
            is_number: false,
        });
    }
    links.sort_by_key(|l| l.start);
    let mut last = 0;
    for link in links {
        if link.start < last {
            continue;
        }
        plain(&text[last..link.start], out);
        write_link(ctx, &link, &text[link.start..link.end], out);
        last = link.end;
    }
    plain(&text[last..], out);
}

fn write_link(ctx: &ProseContext<'_>, link: &Link, raw: &str, out: &mut String) {
    let status = link
        .is_number
        .then(|| ctx.legal.documents.get(&link.page).map(|d| d.status.code))
        .flatten();
    let class = match status {
        Some(code) => code.cite_class(),
        None => "cite cite--part",
    };
    out.push_str("<a class=\"");
    out.push_str(class);
    out.push_str("\" href=\"");
    escape_into(ctx.base_path, out);
    escape_into(&ctx.tree.pages[link.page].url, out);
    if let Some(anchor) = &link.anchor {
        out.push('#');
        escape_into(anchor, out);
    }
    out.push('"');
    if let Some(code) = status {
        out.push_str(" title=\"");
        out.push_str(code.label());
        out.push('"');
    }
    out.push('>');
    escape_into(raw, out);
    out.push_str("</a>");
    if let Some(marker) = status.and_then(|c| c.marker()) {
        out.push_str(" <span class=\"cite-status\">(");
        out.push_str(marker);
        out.push_str(")</span>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Parts<'a> = Vec<(Option<String>, Option<String>, Option<String>, &'a str)>;

    fn parts(text: &str) -> Parts<'_> {
        part_refs(text)
            .into_iter()
            .map(|r| (r.point, r.clause, r.article, &text[r.start..r.end]))
            .collect()
    }

    #[test]
    fn references_group_point_clause_article() {
        let p = parts("theo điểm a khoản 1 Điều 3 Nghị định");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0.as_deref(), Some("a"));
        assert_eq!(p[0].1.as_deref(), Some("1"));
        assert_eq!(p[0].2.as_deref(), Some("3"));
        assert_eq!(p[0].3, "điểm a khoản 1 Điều 3");
        let p = parts("các điều 3, 16 và 17 ở trên");
        let articles: Vec<_> = p.iter().map(|r| (r.2.as_deref(), r.3)).collect();
        assert_eq!(
            articles,
            [
                (Some("3"), "điều 3"),
                (Some("16"), "16"),
                (Some("17"), "17")
            ]
        );
        assert_eq!(parts("Điều 5, 6 tháng 7").len(), 2);
        assert_eq!(parts("Điều 5, 6tháng").len(), 1);
        let p = parts("Khoản 5 Điều 5 và điểm đ khoản 2");
        assert_eq!(p.len(), 2);
        assert_eq!(p[1].0.as_deref(), Some("dd"));
        assert_eq!(p[1].2, None);
    }

    #[test]
    fn words_that_only_look_like_references_are_skipped() {
        assert!(parts("điều kiện, Điểm mới, khoản tiền").is_empty());
        assert!(parts("Điều 5 Điều 6").len() == 2, "same rank does not join");
        assert!(parts("điềuX 5").is_empty());
    }

    #[test]
    fn document_names_between_reference_and_number() {
        assert!(names_a_document(
            " Luật Phòng, chống tác hại của rượu, bia số "
        ));
        assert!(names_a_document(" của Luật số "));
        assert!(names_a_document(" "));
        assert!(!names_a_document(" nghiêm cấm uống rượu, theo Luật số "));
        assert!(!names_a_document(" (nguồn: một trang). Luật "));
        assert!(names_another_document(" Luật Cán bộ, công chức"));
        assert!(!names_another_document(" Luật này quy định"));
        assert!(!names_another_document(" quy định"));
        assert!(only_conjunction(", "));
        assert!(only_conjunction(" và "));
        assert!(!only_conjunction(" của "));
    }
}
