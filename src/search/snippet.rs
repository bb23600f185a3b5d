//! Snippets: a window of the matched section's text with the query's words in `<mark>`,
//! at their place in the original accented text. The browser client implements the same
//! rules so that `sotay search --json` and the page show the same snippet.

use super::query::Query;
use super::tokenize::words;
use super::tuning::SNIPPET_WORDS;
use std::collections::HashSet;

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// The snippet of `text` for `query`: HTML-escaped, matched words wrapped in `<mark>`.
///
/// The window of [`SNIPPET_WORDS`] words with the most distinct matched words (then the
/// most matches, then the earliest) is shown, its matches centred, with `…` where text was
/// cut.
pub fn snippet(text: &str, query: &Query) -> String {
    let toks = words(text);
    if toks.is_empty() {
        return String::new();
    }
    let exact: HashSet<&str> = query
        .words
        .iter()
        .map(|w| w.folded.as_str())
        .chain(query.also.iter().map(String::as_str))
        .collect();
    let prefix = query
        .words
        .last()
        .filter(|w| query.prefix && w.folded.chars().count() >= 2)
        .map(|w| w.folded.as_str());
    let hit: Vec<bool> = toks
        .iter()
        .map(|t| {
            exact.contains(t.folded.as_str()) || prefix.is_some_and(|p| t.folded.starts_with(p))
        })
        .collect();
    let n = toks.len();
    let width = SNIPPET_WORDS.min(n);
    let mut best = (0, 0, 0usize);
    for s in 0..=n - width {
        let mut distinct = HashSet::new();
        let mut count = 0;
        for i in s..s + width {
            if hit[i] {
                distinct.insert(toks[i].folded.as_str());
                count += 1;
            }
        }
        if (distinct.len(), count) > (best.0, best.1) {
            best = (distinct.len(), count, s);
        }
    }
    // Centre the matched words in the window.
    let mut s = best.2;
    if let Some(first) = (s..s + width).find(|&i| hit[i]) {
        let last = (s..s + width).rfind(|&i| hit[i]).unwrap_or(first);
        let free = width - (last - first + 1);
        s = first.saturating_sub(free / 2).min(n - width);
    }
    let e = s + width;
    let mut out = String::new();
    let mut cursor = if s == 0 {
        0
    } else {
        out.push_str("… ");
        toks[s].start
    };
    for i in s..e {
        if hit[i] {
            escape(&text[cursor..toks[i].start], &mut out);
            out.push_str("<mark>");
            escape(&text[toks[i].start..toks[i].end], &mut out);
            out.push_str("</mark>");
            cursor = toks[i].end;
        }
    }
    let end = if e == n { text.len() } else { toks[e - 1].end };
    escape(&text[cursor..end], &mut out);
    if e < n {
        out.push_str(" …");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::parse_query;

    #[test]
    fn marks_the_accented_words_that_were_written() {
        let s = snippet("Văn hoá công vụ <b> là gì?", &parse_query("van hoa"));
        assert_eq!(
            s,
            "<mark>Văn</mark> <mark>hoá</mark> công vụ &lt;b&gt; là gì?"
        );
    }

    #[test]
    fn window_moves_to_the_matches() {
        let text = format!("{} dép lê ở công sở.", "chữ ".repeat(40));
        let s = snippet(&text, &parse_query("dep le "));
        assert!(s.starts_with("… chữ"), "{s}");
        assert!(
            s.ends_with("<mark>dép</mark> <mark>lê</mark> ở công sở."),
            "{s}"
        );
        assert_eq!(s.matches("chữ").count(), 19, "{s}");
        let prefix = snippet("kỷ luật", &parse_query("ky lu"));
        assert_eq!(prefix, "<mark>kỷ</mark> <mark>luật</mark>");
    }
}
