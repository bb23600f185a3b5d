//! Markdown to HTML, with anchors, a table of contents and plain-text sections.
//!
//! Pure: this module reads a body and calls back into [`Hooks`] for what it cannot know
//! (where a link points, how prose is enriched with citations). It runs in two passes over
//! each page: [`outline`] collects headings and links before any page is rendered (so links
//! and anchors between pages can be checked), then [`render`] writes HTML. Both passes share
//! [`Anchors`], so an anchor seen in the outline is the one written in the HTML.

use pulldown_cmark::{
    CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeStream, TextMergeWithOffset,
};
use serde::Serialize;

/// The Markdown extensions sotay enables: CommonMark plus tables, footnotes, strikethrough
/// and task lists, and `{#id}` heading attributes for explicit anchors.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Chooses anchors for headings; the legal model gives articles short anchors (`dieu-5`).
pub trait AnchorPolicy: Sync {
    /// The anchor for a heading, or `None` for the default (the slug of its text).
    fn heading(&self, _level: u8, _text: &str) -> Option<String> {
        None
    }
    /// The anchor for a list item or paragraph, or `None` for no anchor (the default): the
    /// legal model gives the clauses and points of an article ids (`dieu-5-khoan-2`).
    fn block(&self, _block: &BlockInfo<'_>) -> Option<String> {
        None
    }
}

/// What an [`AnchorPolicy`] sees of a list item or paragraph.
#[derive(Debug, Clone, Copy)]
pub struct BlockInfo<'a> {
    /// Anchor of the enclosing heading.
    pub section: Option<&'a str>,
    /// Anchor of the innermost enclosing list item that has one.
    pub parent: Option<&'a str>,
    /// The last block anchor given out since the enclosing heading (a point written as a
    /// paragraph after a numbered list belongs to the last clause).
    pub last: Option<&'a str>,
    /// The number of an ordered-list item (its list's start plus its position).
    pub ordinal: Option<u64>,
    /// The first characters of the block's text.
    pub text: &'a str,
}

/// Anchors are slugs of the heading text.
pub struct DefaultAnchors;
impl AnchorPolicy for DefaultAnchors {}

/// Hands out unique anchors within one page, in document order.
pub struct Anchors<'p> {
    policy: &'p dyn AnchorPolicy,
    used: std::collections::HashSet<String>,
    /// The next suffix to try for each base already given out: twenty thousand headings
    /// of the same text took each a walk from `-1` up (43 s); names only ever become used,
    /// so resuming where the last walk stopped gives the same anchors.
    next_suffix: std::collections::HashMap<String, usize>,
}

impl<'p> Anchors<'p> {
    /// A fresh allocator for one page.
    pub fn new(policy: &'p dyn AnchorPolicy) -> Self {
        Self {
            policy,
            used: std::collections::HashSet::new(),
            next_suffix: std::collections::HashMap::new(),
        }
    }

    /// The anchor of the next heading: explicit `{#id}`, else the policy's, else the slug,
    /// made unique with `-1`, `-2`… so every heading can be linked to.
    pub fn next(&mut self, level: u8, text: &str, explicit: Option<&str>) -> String {
        let base = explicit
            .map(str::to_owned)
            .or_else(|| self.policy.heading(level, text))
            .unwrap_or_else(|| crate::text::slug(text));
        self.unique(base)
    }

    /// Makes an anchor unique within the page with `-1`, `-2`…: the first of `base`,
    /// `base-1`, `base-2`… not given out yet.
    fn unique(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "muc".to_owned()
        } else {
            base
        };
        if !self.used.contains(&base) {
            self.used.insert(base.clone());
            return base;
        }
        let n = self.next_suffix.entry(base.clone()).or_insert(1);
        loop {
            let anchor = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(anchor.clone()) {
                return anchor;
            }
        }
    }
}

/// Gives list items and paragraphs the anchors the policy asks for, tracking the enclosing
/// heading, lists and items. Both passes drive one of these over the same events, so the
/// outline knows every id the HTML will have.
#[derive(Default)]
struct Blocks {
    section: Option<String>,
    /// Next ordinal of each open list (`None` for bullet lists).
    lists: Vec<Option<u64>>,
    /// Anchors of the open list items.
    items: Vec<Option<String>>,
    last: Option<String>,
    /// Set right after an item starts: its first paragraph shares the item's text.
    item_started: bool,
}

impl Blocks {
    fn heading(&mut self, anchor: &str) {
        self.section = Some(anchor.to_owned());
        self.last = None;
    }

    /// The anchor of the block `events[i]` starts, if it gets one.
    fn on(&mut self, events: &[Event<'_>], i: usize, anchors: &mut Anchors<'_>) -> Option<String> {
        let item_started = std::mem::take(&mut self.item_started);
        match &events[i] {
            Event::Start(Tag::List(start)) => {
                self.lists.push(*start);
                None
            }
            Event::End(TagEnd::List(_)) => {
                self.lists.pop();
                None
            }
            Event::Start(Tag::Item) => {
                let ordinal = self.lists.last_mut().and_then(|next| {
                    let current = *next;
                    *next = current.map(|n| n + 1);
                    current
                });
                let anchor = self.ask(events, i, ordinal, anchors);
                self.items.push(anchor.clone());
                self.item_started = true;
                anchor
            }
            Event::End(TagEnd::Item) => {
                self.items.pop();
                None
            }
            Event::Start(Tag::Paragraph) if !item_started => self.ask(events, i, None, anchors),
            _ => None,
        }
    }

    fn ask(
        &mut self,
        events: &[Event<'_>],
        i: usize,
        ordinal: Option<u64>,
        anchors: &mut Anchors<'_>,
    ) -> Option<String> {
        let text = leading_text(&events[i + 1..]);
        let info = BlockInfo {
            section: self.section.as_deref(),
            parent: self.items.iter().rev().flatten().next().map(String::as_str),
            last: self.last.as_deref(),
            ordinal,
            text: &text,
        };
        let base = anchors.policy.block(&info)?;
        let anchor = anchors.unique(base);
        self.last = Some(anchor.clone());
        Some(anchor)
    }
}

/// The first few characters of a block's text, through emphasis and a loose item's paragraph.
fn leading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => {
                text.push_str(t);
                if text.len() >= 24 {
                    break;
                }
            }
            Event::Start(Tag::Paragraph | Tag::Strong | Tag::Emphasis)
            | Event::End(TagEnd::Strong | TagEnd::Emphasis) => {}
            _ => break,
        }
    }
    text
}

/// A heading found in a body.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// Plain text of the heading.
    pub text: String,
    /// Its unique anchor.
    pub anchor: String,
    /// Byte offset in the body.
    #[serde(skip)]
    pub offset: usize,
}

/// A link or image destination written in a body.
#[derive(Debug, Clone)]
pub struct LinkRef {
    /// The destination as written.
    pub dest: String,
    /// Byte offset of the link in the body.
    pub offset: usize,
}

/// What the first pass learns about a body.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// Headings, in order.
    pub headings: Vec<Heading>,
    /// Links and images, in order.
    pub links: Vec<LinkRef>,
    /// Anchors of list items and paragraphs (clauses and points of an article).
    pub blocks: Vec<String>,
    /// What the raw HTML filter removes, by byte offset in the body (see [`crate::raw_html`]).
    pub removed_html: Vec<(usize, String)>,
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// First pass: headings with their anchors, block anchors, and every link destination.
pub fn outline(body: &str, policy: &dyn AnchorPolicy) -> Outline {
    let mut out = Outline::default();
    let mut anchors = Anchors::new(policy);
    let mut blocks = Blocks::default();
    let (events, ranges): (Vec<Event<'_>>, Vec<std::ops::Range<usize>>) =
        TextMergeWithOffset::new(Parser::new_ext(body, options()).into_offset_iter()).unzip();
    let mut heading: Option<(u8, Option<String>, usize, String)> = None;
    // The end of the run of HTML block lines last read (they are cleaned as one).
    let mut skip_html = 0;
    for (i, event) in events.iter().enumerate() {
        if let Some(anchor) = blocks.on(&events, i, &mut anchors) {
            out.blocks.push(anchor);
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((
                    level_number(*level),
                    id.as_ref().map(|i| i.to_string()),
                    ranges[i].start,
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, offset, text)) = heading.take() {
                    let text = text.trim().to_owned();
                    let anchor = anchors.next(level, &text, id.as_deref());
                    blocks.heading(&anchor);
                    out.headings.push(Heading {
                        level,
                        text,
                        anchor,
                        offset,
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, _, text)) = heading.as_mut() {
                    text.push_str(t);
                }
            }
            Event::Html(_) | Event::InlineHtml(_) if i >= skip_html => {
                let (raw, end) = match event {
                    Event::InlineHtml(h) => (h.to_string(), i + 1),
                    _ => html_lines(&events, i),
                };
                skip_html = end;
                let at = ranges[i].start;
                let removed = crate::raw_html::clean(&raw).removed;
                out.removed_html
                    .extend(removed.into_iter().map(|r| (at, r)));
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. })
                if crate::raw_html::dangerous_url(dest_url) =>
            {
                let what = format!("liên kết `{}`", crate::text::visible(dest_url));
                out.removed_html.push((ranges[i].start, what));
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                out.links.push(LinkRef {
                    dest: dest_url.to_string(),
                    offset: ranges[i].start,
                });
            }
            _ => {}
        }
    }
    out
}

/// The lines of an HTML block starting at `events[i]`, joined (a tag may span lines), and
/// the index after them.
fn html_lines(events: &[Event<'_>], i: usize) -> (String, usize) {
    let mut raw = String::new();
    let mut end = i;
    while let Some(Event::Html(line)) = events.get(end) {
        raw.push_str(line);
        end += 1;
    }
    (raw, end)
}

/// What rendering needs from the rest of the build.
pub trait Hooks {
    /// The href to write for a destination written in Markdown; `None` keeps it as written.
    fn resolve(&self, dest: &str) -> Option<String>;
    /// Writes HTML for a run of prose. `section` is the anchor of the enclosing heading (so
    /// "Điều 5" alone can mean this document's own article). The default escapes the text.
    fn prose(&self, text: &str, _section: Option<&str>, out: &mut String) {
        escape_into(text, out);
    }
    /// Whether raw HTML and links are written as they are (`markdown: unsafe_html: true`
    /// in `site.yaml`); by default they pass through [`crate::raw_html`].
    fn unsafe_html(&self) -> bool {
        false
    }
}

/// An entry of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// 2–6.
    pub level: u8,
    /// Heading text.
    pub title: String,
    /// Anchor to link to.
    pub anchor: String,
    /// Nested headings.
    pub children: Vec<TocEntry>,
}

/// The plain text of a part of a page: from one heading to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TextSection {
    /// Anchor of the heading that starts it (`None` for text before the first heading).
    pub anchor: Option<String>,
    /// The heading's text (empty before the first heading).
    pub heading: String,
    /// Heading level (0 before the first heading).
    pub level: u8,
    /// Its text, one space between blocks.
    pub text: String,
}

/// The output of the second pass.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// Body HTML.
    pub html: String,
    /// Nested table of contents (levels 2 and below).
    pub toc: Vec<TocEntry>,
    /// Plain text by heading, for the search index and summaries.
    pub sections: Vec<TextSection>,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_into(text: &str, out: &mut String) {
    // This runs over every page's whole text, where the five characters are rare: 32 bytes,
    // then eight, at a time are skipped while none of them is one, then the block with one
    // is escaped byte by byte.
    use crate::text::{any_byte_is, window_has, SCAN_WINDOW};
    let special_byte = |b: u8| (b == b'&') | (b == b'<') | (b == b'>') | (b == b'"') | (b == b'\'');
    let special = |v: u64| {
        any_byte_is(v, b'&')
            || any_byte_is(v, b'<')
            || any_byte_is(v, b'>')
            || any_byte_is(v, b'"')
            || any_byte_is(v, b'\'')
    };
    let bytes = text.as_bytes();
    out.reserve(bytes.len());
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(w) = bytes.get(i..i + SCAN_WINDOW) {
            if !window_has(w.try_into().expect("a window"), special_byte) {
                i += SCAN_WINDOW;
                continue;
            }
        }
        if let Some(w) = bytes.get(i..i + 8) {
            if !special(u64::from_le_bytes(w.try_into().expect("8 bytes"))) {
                i += 8;
                continue;
            }
        }
        let end = (i + 8).min(bytes.len());
        for (k, &b) in bytes.iter().enumerate().take(end).skip(i) {
            let replacement = match b {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            out.push_str(&text[last..k]);
            out.push_str(replacement);
            last = k + 1;
        }
        i = end;
    }
    out.push_str(&text[last..]);
}

/// Escapes text for HTML, returning a new string.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

fn build_toc(headings: &[(u8, String, String)]) -> Vec<TocEntry> {
    fn insert(list: &mut Vec<TocEntry>, entry: TocEntry) {
        match list.last_mut() {
            Some(last) if entry.level > last.level => insert(&mut last.children, entry),
            _ => list.push(entry),
        }
    }
    let mut toc = Vec::new();
    for (level, title, anchor) in headings.iter().filter(|(l, _, _)| *l >= 2) {
        insert(
            &mut toc,
            TocEntry {
                level: *level,
                title: title.clone(),
                anchor: anchor.clone(),
                children: Vec::new(),
            },
        );
    }
    toc
}

/// Second pass: HTML, table of contents and text sections.
pub fn render(body: &str, policy: &dyn AnchorPolicy, hooks: &dyn Hooks) -> Rendered {
    let events: Vec<Event<'_>> = TextMergeStream::new(Parser::new_ext(body, options())).collect();
    let mut anchors = Anchors::new(policy);
    let mut blocks = Blocks::default();
    let mut out_events: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut toc_items = Vec::new();
    let mut sections = vec![TextSection::default()];
    let mut link_depth = 0usize;
    // For each open link or image, whether its tags were dropped (a dangerous URL).
    let mut dropped: Vec<bool> = Vec::new();
    let mut code_depth = 0usize;
    let mut i = 0;
    while i < events.len() {
        if let Some(anchor) = blocks.on(&events, i, &mut anchors) {
            let tag = if matches!(events[i], Event::Start(Tag::Item)) {
                "li"
            } else {
                "p"
            };
            let html = format!("<{tag} id=\"{}\">", escape(&anchor));
            out_events.push(Event::Html(CowStr::from(html)));
            i += 1;
            continue;
        }
        match &events[i] {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                // Gather the heading's events to know its text before writing its id.
                let end = events[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
                    .map_or(events.len(), |p| i + p);
                let text: String = events[i + 1..end]
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect::<String>()
                    .trim()
                    .to_owned();
                let level_n = level_number(*level);
                let anchor = anchors.next(level_n, &text, id.as_deref());
                blocks.heading(&anchor);
                toc_items.push((level_n, text.clone(), anchor.clone()));
                sections.push(TextSection {
                    anchor: Some(anchor.clone()),
                    heading: text,
                    level: level_n,
                    text: String::new(),
                });
                out_events.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(anchor)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
                out_events.extend(events[i + 1..end].iter().cloned());
                if end < events.len() {
                    out_events.push(events[end].clone());
                }
                i = end + 1;
                continue;
            }
            Event::Html(_) if !hooks.unsafe_html() => {
                let (raw, end) = html_lines(&events, i);
                let html = crate::raw_html::clean(&raw).html;
                out_events.push(Event::Html(CowStr::from(html)));
                i = end;
                continue;
            }
            Event::InlineHtml(h) if !hooks.unsafe_html() => {
                let html = crate::raw_html::clean(h).html;
                out_events.push(Event::InlineHtml(CowStr::from(html)));
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if !hooks.unsafe_html() && crate::raw_html::dangerous_url(dest_url) =>
            {
                // The link goes, its text stays (an image's alt text becomes text).
                link_depth += 1;
                dropped.push(true);
            }
            Event::End(TagEnd::Link | TagEnd::Image) if dropped.last() == Some(&true) => {
                link_depth = link_depth.saturating_sub(1);
                dropped.pop();
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                // Link text must not get citation links; alt text is an attribute, so the
                // same holds for images.
                link_depth += 1;
                dropped.push(false);
                let mut tag = tag.clone();
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                    if let Some(href) = hooks.resolve(dest_url) {
                        *dest_url = CowStr::from(href);
                    }
                }
                out_events.push(Event::Start(tag));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                link_depth = link_depth.saturating_sub(1);
                dropped.pop();
                out_events.push(events[i].clone());
            }
            Event::Start(Tag::CodeBlock(_)) => {
                code_depth += 1;
                out_events.push(events[i].clone());
            }
            Event::End(TagEnd::CodeBlock) => {
                code_depth = code_depth.saturating_sub(1);
                out_events.push(events[i].clone());
            }
            Event::Text(t) => {
                let section = sections.last_mut().expect("sections start non-empty");
                section.text.push_str(t);
                if link_depth == 0 && code_depth == 0 {
                    let mut html = String::with_capacity(t.len() + 16);
                    hooks.prose(t, section.anchor.as_deref(), &mut html);
                    out_events.push(Event::InlineHtml(CowStr::from(html)));
                } else {
                    out_events.push(events[i].clone());
                }
            }
            Event::Code(t) => {
                sections
                    .last_mut()
                    .expect("sections start non-empty")
                    .text
                    .push_str(t);
                out_events.push(events[i].clone());
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => {
                let section = sections.last_mut().expect("sections start non-empty");
                if !section.text.ends_with(' ') && !section.text.is_empty() {
                    section.text.push(' ');
                }
                out_events.push(events[i].clone());
            }
            other => out_events.push(other.clone()),
        }
        i += 1;
    }
    finish(body.len(), out_events, &toc_items, sections)
}

/// The HTML of the rendered events, the table of contents and the trimmed text sections.
fn finish(
    body_len: usize,
    out_events: Vec<Event<'_>>,
    toc_items: &[(u8, String, String)],
    mut sections: Vec<TextSection>,
) -> Rendered {
    let mut html = String::with_capacity(body_len * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out_events.into_iter());
    // Every page's HTML and text wait in memory for the later phases: without the slack
    // of their growth, ~15 % less of it (the build's peak memory is set there).
    html.shrink_to_fit();
    for s in &mut sections {
        let trimmed = s.text.trim_end().len();
        s.text.truncate(trimmed);
        s.text.shrink_to_fit();
    }
    if sections[0].text.is_empty() && sections.len() > 1 {
        sections.remove(0);
    }
    Rendered {
        html,
        toc: build_toc(toc_items),
        sections,
    }
}

/// Byte offset of a 1-based line and column (in characters) inside a text.
pub fn offset_of_line_col(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let line_text = text[line_start.min(text.len())..]
        .split('\n')
        .next()
        .unwrap_or("");
    line_start
        + line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Plain;
    impl Hooks for Plain {
        fn resolve(&self, dest: &str) -> Option<String> {
            dest.ends_with(".md").then(|| "/x/".to_owned())
        }
    }

    #[test]
    fn headings_get_unique_vietnamese_anchors() {
        let body = "## Hỏi đáp\n\ntext\n\n## Hỏi đáp\n\n### Văn hóa {#vh}\n";
        let o = outline(body, &DefaultAnchors);
        let anchors: Vec<_> = o.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(anchors, ["hoi-dap", "hoi-dap-1", "vh"]);
        let r = render(body, &DefaultAnchors, &Plain);
        assert!(r.html.contains(r#"<h2 id="hoi-dap-1">"#), "{}", r.html);
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[1].children[0].anchor, "vh");
    }

    #[test]
    fn suffixes_skip_anchors_already_given_out() {
        let mut anchors = Anchors::new(&DefaultAnchors);
        let got: Vec<String> = [("X", None), ("x", Some("x-2")), ("x", None), ("x", None)]
            .iter()
            .chain(&[("", None), ("", None), ("x-1", None), ("x", None)])
            .map(|(text, id)| anchors.next(2, text, *id))
            .collect();
        assert_eq!(
            got,
            ["x", "x-2", "x-1", "x-3", "muc", "muc-1", "x-1-1", "x-4"]
        );
    }

    #[test]
    fn escaping_covers_the_five_characters() {
        assert_eq!(escape("a<b>&\"c'đ"), "a&lt;b&gt;&amp;&quot;c&#39;đ");
        // Each character at each offset of an eight-byte block, and plain text around it.
        for pad in 0..17 {
            for (c, e) in [
                ('&', "&amp;"),
                ('<', "&lt;"),
                ('>', "&gt;"),
                ('"', "&quot;"),
                ('\'', "&#39;"),
            ] {
                let text = format!("{}{c}ướt{c}", "x".repeat(pad));
                let want = format!("{}{e}ướt{e}", "x".repeat(pad));
                assert_eq!(escape(&text), want);
            }
        }
    }

    #[test]
    fn escaping_finds_every_special_byte_at_every_offset() {
        let reference = |t: &str| {
            t.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#39;")
        };
        for special in ["&", "<", ">", "\"", "'", "ệ"] {
            for at in 0..80 {
                for len in [at + 1, at + 9, 40, 70, 100] {
                    let mut text: String = "văn hóa công vụ ".chars().cycle().take(len).collect();
                    let at = text
                        .char_indices()
                        .map(|(i, _)| i)
                        .nth(at)
                        .unwrap_or(text.len());
                    text.insert_str(at, special);
                    assert_eq!(escape(&text), reference(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn links_are_resolved_and_text_is_escaped() {
        let r = render("[a](b.md) <x> & y", &DefaultAnchors, &Plain);
        assert!(r.html.contains(r#"<a href="/x/">a</a>"#), "{}", r.html);
        assert!(r.html.contains("&amp; y"), "{}", r.html);
    }

    #[test]
    fn sections_follow_headings() {
        let r = render(
            "Mở đầu.\n\n## Điều 1\n\nMột\nhai.\n",
            &DefaultAnchors,
            &Plain,
        );
        assert_eq!(r.sections.len(), 2);
        assert_eq!(r.sections[0].text, "Mở đầu.");
        assert_eq!(r.sections[1].anchor.as_deref(), Some("dieu-1"));
        assert_eq!(r.sections[1].text, "Một hai.");
    }

    #[test]
    fn gfm_extensions_are_on() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~\n\n- [x] done\n\nA[^1]\n\n[^1]: note\n",
            &DefaultAnchors,
            &Plain,
        );
        for needle in ["<table>", "<del>", "checkbox", "footnote"] {
            assert!(r.html.contains(needle), "{needle} missing in {}", r.html);
        }
    }

    #[test]
    fn offsets_from_line_and_column() {
        assert_eq!(offset_of_line_col("ab\ncdé\n", 2, 3), 5);
        assert_eq!(offset_of_line_col("ab\ncdé\n", 1, 1), 0);
    }
}
