//! Raw HTML written in Markdown, filtered through an allowlist (ammonia).
//!
//! CommonMark passes raw HTML through, so a pasted `<script>`, an `onerror=` or a
//! `javascript:` link would run on every visitor's browser. Only the raw HTML events of a
//! page pass through here (pages without any pay nothing). pulldown-cmark hands raw HTML
//! over in pieces (`<details>` in one event, its Markdown content, `</details>` in another),
//! so each start tag is cleaned on its own by ammonia and end tags are kept when their
//! element is allowed: the page's structure survives and nothing outside the allowlist does.
//! What was removed is described, so the build can warn where it happened.

use std::sync::OnceLock;

/// Elements whose content goes with them (their text is code or style, never prose).
const DROPPED_WITH_CONTENT: &[&str] = &["script", "style"];

/// The allowlist: ammonia's defaults (tables, `<abbr>`, `<details>`/`<summary>`, `<sup>`,
/// `<sub>`, `<mark>`, `<kbd>`, `<br>`, safe URL schemes…) plus `id` (anchors to link to)
/// and `class` on every element, without ammonia's added `rel` on links, which would make
/// an editor's `<a>` differ from a Markdown link.
fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["id", "class"]).link_rel(None);
        b
    })
}

/// Whether an element may appear in a page.
fn allowed_tag(name: &str) -> bool {
    static TAGS: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    TAGS.get_or_init(|| cleaner().clone_tags()).contains(name)
}

/// A raw HTML fragment made safe, and what was taken out of it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// The HTML to write.
    pub html: String,
    /// One description per removal (`thẻ <script>`, `thuộc tính onerror của <img>`).
    pub removed: Vec<String>,
}

/// Cleans one raw HTML fragment (an HTML block, or one inline tag).
pub fn clean(fragment: &str) -> Cleaned {
    let mut out = Cleaned::default();
    let mut rest = fragment;
    while let Some(lt) = rest.find('<') {
        push_text(&rest[..lt], &mut out.html);
        rest = &rest[lt..];
        let Some((token, after)) = next_token(rest) else {
            // A `<` that starts no tag is text.
            out.html.push_str("&lt;");
            rest = &rest[1..];
            continue;
        };
        rest = after;
        match token {
            Token::Comment => {}
            Token::Other(raw) => out.removed.push(format!("khai báo `{}`", short(raw))),
            Token::End(name) => {
                if allowed_tag(&name) {
                    out.html.push_str(&format!("</{name}>"));
                }
            }
            Token::Start { name, raw } => {
                if DROPPED_WITH_CONTENT.contains(&name.as_str()) {
                    let close = format!("</{name}");
                    let lower = rest.to_ascii_lowercase();
                    let end = lower.find(&close).map_or(rest.len(), |i| {
                        lower[i..].find('>').map_or(rest.len(), |j| i + j + 1)
                    });
                    rest = &rest[end..];
                    out.removed.push(format!("thẻ <{name}> và nội dung của nó"));
                    continue;
                }
                start_tag(&name, raw, &mut out);
            }
        }
    }
    push_text(rest, &mut out.html);
    out
}

/// Text between tags: kept as written (entities included), but a stray `>` is escaped.
fn push_text(text: &str, out: &mut String) {
    out.push_str(&text.replace('>', "&gt;"));
}

/// The first characters of a construct, for a message.
fn short(raw: &str) -> String {
    let mut s: String = raw.chars().take(40).collect();
    if s.len() < raw.len() {
        s.push('…');
    }
    crate::text::visible(&s).into_owned()
}

enum Token<'a> {
    Start { name: String, raw: &'a str },
    End(String),
    Comment,
    Other(&'a str),
}

/// The tag, comment or declaration `text` starts with (`text` starts with `<`), and the
/// text after it; `None` when it starts none (or is never closed).
fn next_token(text: &str) -> Option<(Token<'_>, &str)> {
    if let Some(body) = text.strip_prefix("<!--") {
        let end = body.find("-->").map_or(text.len(), |i| 4 + i + 3);
        return Some((Token::Comment, &text[end..]));
    }
    let bytes = text.as_bytes();
    let is_end = bytes.get(1) == Some(&b'/');
    let name_start = if is_end { 2 } else { 1 };
    let first = *bytes.get(name_start)?;
    if matches!(first, b'!' | b'?') && !is_end {
        let end = text.find('>').map_or(text.len(), |i| i + 1);
        return Some((Token::Other(&text[..end]), &text[end..]));
    }
    if !first.is_ascii_alphabetic() {
        return None;
    }
    let end = tag_end(text)?;
    let name: String = text[name_start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    let token = if is_end {
        Token::End(name)
    } else {
        Token::Start {
            name,
            raw: &text[..end],
        }
    };
    Some((token, &text[end..]))
}

/// The byte just after the `>` closing the tag `text` starts with, quotes respected.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (i, b) in text.bytes().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i + 1),
            (None, b'<') => return None,
            _ => {}
        }
    }
    None
}

/// The context a table part must be parsed in (an HTML parser drops a lone `<td>`).
fn context(name: &str) -> &'static str {
    match name {
        "td" | "th" => "<table><tr>",
        "tr" | "tbody" | "thead" | "tfoot" | "caption" | "colgroup" => "<table>",
        "col" => "<table><colgroup>",
        _ => "",
    }
}

/// Cleans one start tag with ammonia and says what it removed.
fn start_tag(name: &str, raw: &str, out: &mut Cleaned) {
    if !allowed_tag(name) {
        out.removed.push(format!("thẻ <{name}>"));
        return;
    }
    let cleaned = cleaner()
        .clean(&format!("{}{raw}", context(name)))
        .to_string();
    let Some(tag) = find_start_tag(&cleaned, name) else {
        out.removed.push(format!("thẻ <{name}>"));
        return;
    };
    for attr in attribute_names(raw) {
        if !attribute_names(tag).contains(&attr) {
            out.removed
                .push(format!("thuộc tính `{attr}` của <{name}>"));
        }
    }
    out.html.push_str(tag);
}

/// The start tag of element `name` in ammonia's output (which quotes every value with `"`
/// and writes `"` inside one as `&quot;`).
fn find_start_tag<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}");
    let mut from = 0;
    while let Some(i) = html[from..].find(&open) {
        let start = from + i;
        let after = html.as_bytes().get(start + open.len());
        if matches!(after, Some(b' ' | b'>' | b'/')) {
            let end = tag_end(&html[start..])?;
            return Some(&html[start..start + end]);
        }
        from = start + open.len();
    }
    None
}

/// The attribute names of a start tag, lowercased.
fn attribute_names(tag: &str) -> Vec<String> {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    let mut names = Vec::new();
    let mut rest = inner.trim_start_matches(|c: char| !c.is_whitespace());
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return names;
        }
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        names.push(rest[..name_len].to_ascii_lowercase());
        rest = rest[name_len..].trim_start();
        if let Some(value) = rest.strip_prefix('=') {
            let value = value.trim_start();
            rest = match value.as_bytes().first() {
                Some(&q @ (b'"' | b'\'')) => {
                    value[1..].find(q as char).map_or("", |i| &value[i + 2..])
                }
                _ => value.trim_start_matches(|c: char| !c.is_whitespace()),
            };
        }
    }
}

/// Whether a link or image destination runs code or embeds a document when followed:
/// `javascript:`, `vbscript:` or `data:`, however it is cased or padded with controls and
/// spaces (browsers ignore those).
pub fn dangerous_url(dest: &str) -> bool {
    let scheme: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| scheme.starts_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editors_markup_is_kept() {
        for html in [
            "<details><summary>Xem thêm</summary>",
            "</details>",
            "<abbr title=\"Ủy ban nhân dân\">UBND</abbr>",
            "<sup>1</sup><sub>2</sub><mark>m</mark><kbd>Ctrl</kbd><br>",
            "<table class=\"bang\"><tr><td id=\"o1\" colspan=\"2\">1</td></tr></table>",
            "<span id=\"a\">x</span>",
            "<a href=\"/van-ban/\" title=\"t\">v</a>",
            "<img src=\"so-do.png\" alt=\"Sơ đồ\">",
        ] {
            let c = clean(html);
            assert_eq!(c.removed, Vec::<String>::new(), "{html}");
            assert_eq!(c.html, html);
        }
    }

    #[test]
    fn scripts_handlers_and_bad_urls_are_removed() {
        let c = clean("<script>alert(1)</script>\n<p>a</p>");
        assert_eq!(c.html, "\n<p>a</p>");
        assert_eq!(c.removed, ["thẻ <script> và nội dung của nó"]);
        let c = clean("<img src=\"x\" onerror=\"alert(2)\">");
        assert_eq!(c.html, "<img src=\"x\">");
        assert_eq!(c.removed, ["thuộc tính `onerror` của <img>"]);
        let c = clean("<a href=\"javascript:alert(3)\">x</a>");
        assert_eq!(c.html, "<a>x</a>");
        assert_eq!(c.removed, ["thuộc tính `href` của <a>"]);
        let c = clean("<iframe src=\"//x\"></iframe><!-- c --><?php x ?>");
        assert_eq!(c.html, "");
        assert_eq!(c.removed, ["thẻ <iframe>", "khai báo `<?php x ?>`"]);
        let c = clean("<SCRIPT >x</script >y");
        assert_eq!((c.html.as_str(), c.removed.len()), ("y", 1));
    }

    #[test]
    fn broken_markup_becomes_text() {
        assert_eq!(clean("a < b > c").html, "a &lt; b &gt; c");
        assert_eq!(clean("<img src=\"x").html, "&lt;img src=\"x");
    }

    #[test]
    fn dangerous_schemes_are_recognised() {
        for url in [
            "javascript:x",
            " JavaScript:x",
            "java\tscript:x",
            "vbscript:x",
            "DATA:text/html,x",
        ] {
            assert!(dangerous_url(url), "{url}");
        }
        for url in [
            "https://x",
            "/a/",
            "van-ban.md#dieu-1",
            "mailto:a@b",
            "data-x.md",
        ] {
            assert!(!dangerous_url(url), "{url}");
        }
    }
}
