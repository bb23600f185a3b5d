//! Glossary terms in prose: the first use of each term on a page links to the term's page,
//! with the one-sentence definition as the link's title.
//!
//! Official texts use words many readers do not know ("nhũng nhiễu", "quán triệt"); a
//! citizen should get the meaning where the word appears, once per page so that the text
//! does not turn into a sea of links. Every text run of every page goes through here, so the
//! terms (all their written forms) are found by one Aho–Corasick automaton: the cost is one
//! pass over the text whatever the number of terms.
//!
//! Matching is case-insensitive, on whole words, with Vietnamese diacritics exact ("hối lộ"
//! never matches "hồi lộ"); where forms overlap, the leftmost and then longest wins.

use crate::content::ContentTree;
use crate::frontmatter::Kind;
use crate::markdown::escape_into;
use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};
use std::borrow::Cow;
use std::collections::HashMap;

/// One glossary term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term's page.
    pub page: usize,
    /// The term as shown (the page title).
    pub title: String,
    /// The one-sentence definition (the page description).
    pub definition: String,
    /// The term page's site path (without the base path).
    pub url: String,
    /// Other written forms.
    pub forms: Vec<String>,
}

/// The site's glossary and the matcher over every form of every term.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    /// Terms, in Vietnamese alphabetical order.
    terms: Vec<Term>,
    /// Pattern index → term index.
    owners: Vec<usize>,
    /// Every form, lowercased; `None` when the site has no terms.
    matcher: Option<AhoCorasick>,
    /// What the terms are, for telling whether a page's kept HTML still holds.
    identity: Option<blake3::Hash>,
}

/// Lowercases so that offsets in the result are offsets in the text: `str::to_lowercase`
/// (one optimized pass) when it keeps the length, else character by character.
fn lower_text(text: &str) -> Cow<'_, str> {
    let lower = text.to_lowercase();
    if lower.len() == text.len() {
        Cow::Owned(lower)
    } else {
        lower_in_place(text)
    }
}

/// Lowercases without moving any byte: a character whose lowercase has another length
/// stays as it is (no Vietnamese letter is among them), so offsets in the result are
/// offsets in the text.
fn lower_in_place(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_uppercase) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The key terms are sorted by: folded (so "đ" files with "d", tones after letters), then
/// lowercase to tell toned spellings apart.
pub fn sort_key(title: &str) -> (String, String) {
    (crate::text::fold(title), title.to_lowercase())
}

impl Glossary {
    /// The glossary of a site: every published `kind: glossary` page that is not a section
    /// and has a definition (a page without one is already an error).
    pub fn new(tree: &ContentTree) -> Self {
        let mut terms: Vec<Term> = tree
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.meta.kind == Kind::Glossary && !p.is_section)
            .filter_map(|(i, p)| {
                let definition = p.meta.description.clone()?;
                Some(Term {
                    page: i,
                    title: p.meta.title.clone(),
                    definition,
                    url: p.url.clone(),
                    forms: p.meta.forms.clone(),
                })
            })
            .collect();
        terms.sort_by_cached_key(|t| (sort_key(&t.title), t.url.clone()));
        Self::from_terms(terms)
    }

    /// A glossary of the given terms (kept in the given order).
    pub fn from_terms(terms: Vec<Term>) -> Self {
        let mut owner_of: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut owners = Vec::new();
        let mut hasher = blake3::Hasher::new();
        for (i, t) in terms.iter().enumerate() {
            for field in [&t.url, &t.title, &t.definition] {
                hasher.update(field.as_bytes());
                hasher.update(&[0]);
            }
            for form in std::iter::once(&t.title).chain(&t.forms) {
                hasher.update(form.as_bytes());
                hasher.update(&[1]);
                let key = lower_in_place(form.trim()).into_owned();
                // A form two terms share belongs to the first in alphabetical order.
                if key.is_empty() || owner_of.contains_key(&key) {
                    continue;
                }
                owner_of.insert(key.clone(), i);
                patterns.push(key);
                owners.push(i);
            }
            hasher.update(&[2]);
        }
        let matcher = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Both)
                .build(&patterns)
                .expect("a few thousand short patterns fit the automaton's limits")
        });
        Self {
            identity: (!terms.is_empty()).then(|| hasher.finalize()),
            terms,
            owners,
            matcher,
        }
    }

    /// The terms, in Vietnamese alphabetical order.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// A hash of every term's page, forms and definition (`None` without terms): pages
    /// rendered against another glossary must be rendered again.
    pub fn identity(&self) -> Option<blake3::Hash> {
        self.identity
    }

    /// The term matches of a text run, as `(start, end, term)`: leftmost first, the longest
    /// form that is a whole word there.
    fn matches(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let lower = lower_text(text);
        let mut found = Vec::new();
        let mut pos = 0;
        while pos < text.len() {
            let Some(m) = matcher.find(Input::new(lower.as_ref()).range(pos..)) else {
                break;
            };
            let (start, mut end, mut pattern) = (m.start(), m.end(), m.pattern());
            let mut whole = None;
            if word_starts(text, start) {
                loop {
                    if word_ends(text, &lower, start, end) {
                        whole = Some((start, end, self.owners[pattern.as_usize()]));
                        break;
                    }
                    // Not a whole word: a shorter form starting here may be.
                    let shorter = Input::new(lower.as_ref())
                        .range(start..end - 1)
                        .anchored(Anchored::Yes);
                    let Some(m) = matcher.find(shorter) else {
                        break;
                    };
                    (end, pattern) = (m.end(), m.pattern());
                }
            }
            match whole {
                Some(w) => {
                    found.push(w);
                    pos = w.1;
                }
                None => {
                    let next = text.get(start..).and_then(|t| t.chars().next());
                    pos = start + next.map_or(1, char::len_utf8);
                }
            }
        }
        found
    }

    /// Writes a text run as HTML, linking the first use on the page of each term (`linked`
    /// holds the terms already linked on page `from`, whose own term is never linked).
    pub fn link(
        &self,
        text: &str,
        from: usize,
        base_path: &str,
        linked: &mut Vec<bool>,
        out: &mut String,
    ) {
        let matches = self.matches(text);
        if matches.is_empty() {
            escape_into(text, out);
            return;
        }
        linked.resize(self.terms.len(), false);
        let mut last = 0;
        for (start, end, t) in matches {
            let term = &self.terms[t];
            if linked[t] || term.page == from {
                continue;
            }
            linked[t] = true;
            escape_into(&text[last..start], out);
            out.push_str("<a class=\"term\" href=\"");
            escape_into(base_path, out);
            escape_into(&term.url, out);
            out.push_str("\" title=\"");
            escape_into(&term.definition, out);
            out.push_str("\">");
            escape_into(&text[start..end], out);
            out.push_str("</a>");
            last = end;
        }
        escape_into(&text[last..], out);
    }
}

/// Whether a match may start at `start`: a character boundary not inside a word.
fn word_starts(text: &str, start: usize) -> bool {
    text.get(..start).is_some_and(|before| {
        !before
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    })
}

/// Whether `start..end` of `lower` is, in `text`, a word ending on a word edge: a boundary,
/// no letter after, and the same text lowercased (which it always is unless lowercasing
/// moved bytes, which `lower_text` only lets pass when lengths balance out).
fn word_ends(text: &str, lower: &str, start: usize, end: usize) -> bool {
    let (Some(found), Some(after)) = (text.get(start..end), text.get(end..)) else {
        return false;
    };
    !after.chars().next().is_some_and(char::is_alphanumeric)
        && lower
            .get(start..end)
            .is_some_and(|l| l == found || *l == found.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(page: usize, title: &str, forms: &[&str]) -> Term {
        Term {
            page,
            title: title.into(),
            definition: format!("Nghĩa của {title}."),
            url: format!("/thuat-ngu/{}/", crate::text::slug(title)),
            forms: forms.iter().map(|f| (*f).to_owned()).collect(),
        }
    }

    fn glossary() -> Glossary {
        Glossary::from_terms(vec![
            term(1, "Hối lộ", &["đưa hối lộ", "nhận hối lộ"]),
            term(2, "Nhũng nhiễu", &["sách nhiễu"]),
            term(3, "Khiếu nại", &[]),
            term(4, "Khiếu nại lần hai", &[]),
        ])
    }

    fn link(g: &Glossary, from: usize, texts: &[&str]) -> String {
        let mut linked = Vec::new();
        let mut out = String::new();
        for t in texts {
            g.link(t, from, "/so-tay", &mut linked, &mut out);
            out.push('|');
        }
        out
    }

    #[test]
    fn first_use_on_a_page_is_linked_once() {
        let g = glossary();
        let html = link(&g, 0, &["Cán bộ nhũng nhiễu dân.", "Lại nhũng nhiễu nữa."]);
        assert_eq!(
            html,
            "Cán bộ <a class=\"term\" href=\"/so-tay/thuat-ngu/nhung-nhieu/\" \
             title=\"Nghĩa của Nhũng nhiễu.\">nhũng nhiễu</a> dân.|Lại nhũng nhiễu nữa.|"
        );
    }

    #[test]
    fn case_folds_but_diacritics_and_word_edges_do_not() {
        let g = glossary();
        assert!(link(&g, 0, &["NHŨNG NHIỄU"]).contains(">NHŨNG NHIỄU</a>"));
        for text in ["nhung nhieu", "hồi lộ", "hối lộc", "khiếu nạii", "xhối lộ"] {
            assert!(!link(&g, 0, &[text]).contains("<a"), "{text}");
        }
    }

    #[test]
    fn the_longest_overlapping_form_wins() {
        let g = glossary();
        let html = link(&g, 0, &["Anh ấy đưa hối lộ."]);
        assert!(html.contains(">đưa hối lộ</a>"), "{html}");
        let html = link(&g, 0, &["Khiếu nại lần hai được giải quyết."]);
        assert!(html.contains("/thuat-ngu/khieu-nai-lan-hai/"), "{html}");
        assert!(!html.contains("/thuat-ngu/khieu-nai/\""), "{html}");
        // When the longest form is not a whole word, the shorter one still is.
        let html = link(&g, 0, &["Khiếu nại lần hait."]);
        assert!(html.contains("/thuat-ngu/khieu-nai/\""), "{html}");
    }

    #[test]
    fn a_term_is_not_linked_on_its_own_page_and_text_is_escaped() {
        let g = glossary();
        assert!(!link(&g, 2, &["nhũng nhiễu"]).contains("<a"));
        let html = link(&g, 0, &["<b> & hối lộ"]);
        assert!(
            html.starts_with("&lt;b&gt; &amp; <a class=\"term\""),
            "{html}"
        );
    }

    #[test]
    fn lowercasing_keeps_every_offset() {
        for text in ["ĐẠI HỘI", "İstanbul Ⅻ ß", "Ǆ", "ÁO", "ẞ Ⱥ"] {
            assert_eq!(lower_in_place(text).len(), text.len(), "{text}");
            assert_eq!(lower_text(text).len(), text.len(), "{text}");
        }
        assert_eq!(lower_text("ĐẠI HỘI"), "đại hội");
        // "ẞ" shrinks and "Ⱥ" grows when lowercased: the lengths balance, the offsets
        // between them do not; a term there is still found only where it really is.
        let g = glossary();
        let html = link(&g, 0, &["ẞ hối lộ Ⱥ"]);
        assert!(
            !html.contains("<a") || html.contains(">hối lộ</a> Ⱥ"),
            "{html}"
        );
        // With "İ", which lengthens alone, the text is lowercased character by character.
        let html = link(&g, 0, &["ẞ hối lộ Ⱥ İ"]);
        assert!(html.contains(">hối lộ</a> Ⱥ"), "{html}");
    }

    #[test]
    fn identity_follows_the_terms() {
        let a = glossary();
        assert_eq!(a.identity(), glossary().identity());
        let b = Glossary::from_terms(vec![term(1, "Hối lộ", &["đưa hối lộ"])]);
        assert_ne!(a.identity(), b.identity());
        assert_eq!(Glossary::default().identity(), None);
    }

    #[test]
    fn many_overlapping_matches_link_once() {
        // Hostile input: every position starts a match of a short and a longer form.
        let g = Glossary::from_terms(vec![term(1, "a", &["a a", "a a a"])]);
        let text = "a ".repeat(50_000);
        let html = link(&g, 0, &[&text]);
        assert_eq!(html.matches("<a class").count(), 1);
        assert!(html.starts_with(
            "<a class=\"term\" href=\"/so-tay/thuat-ngu/a/\" title=\"Nghĩa của a.\">a a a</a> a a"
        ));
    }
}
