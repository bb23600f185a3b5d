//! What one build of a session keeps for the next, and the keys that say whether a kept
//! result is still right.
//!
//! Every reuse is checked against the inputs that produced it, never assumed:
//! - front matter and outlines: the source text (`Arc` identity) and page kind;
//! - a page's Markdown HTML: its text, the environment, every link destination it
//!   resolved (replayed against the new site) and the identity of every document number
//!   its prose mentions ([`number_identity`]);
//! - a rendered template: a hash of its whole context ([`context_key`]).
//!
//! So an incremental build produces the same bytes as a full build; a test holds it to that.

use crate::config::SiteConfig;
use crate::content::{ContentTree, GeneratedPage};
use crate::diagnostics::Diagnostic;
use crate::frontmatter::FrontMatter;
use crate::legal::{Citation, LegalIndex};
use crate::links::LinkError;
use crate::markdown::{Outline, Rendered};
use crate::output::{FileContent, SiteFiles};
use crate::render::Renderer;
use crate::search::SearchDoc;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The parse of one Markdown file.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    /// The text it was parsed from.
    pub(crate) text: Arc<str>,
    /// Front matter and body offset, when parsing succeeded.
    pub(crate) result: Option<(FrontMatter, usize)>,
    /// Its problems.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Destinations a page's Markdown resolved, with the href written for each.
pub(crate) type Resolved = Vec<(String, Option<String>)>;

/// What a page's Markdown rendering read from the rest of the site.
#[derive(Debug, Clone, Default)]
pub(crate) struct MarkdownDeps {
    /// Every destination resolved, with the href written.
    pub(crate) resolved: Resolved,
    /// Every document number its prose mentions (and its own), with what it meant then.
    pub(crate) numbers: Vec<(String, blake3::Hash)>,
    /// The glossary it was linked against ([`crate::glossary::Glossary::identity`]).
    pub(crate) glossary: Option<blake3::Hash>,
    /// Set when the page's text changed but its Markdown was not rendered again.
    pub(crate) stale: bool,
}

/// One rendered page or listing.
#[derive(Debug, Clone)]
pub(crate) struct Output {
    /// Output path (`a/b/index.html`).
    pub(crate) path: String,
    /// Hash of the template name and context; `None` when not kept.
    pub(crate) key: Option<blake3::Hash>,
    /// The HTML, or the template error.
    pub(crate) html: Result<FileContent, Diagnostic>,
}

/// Results of every link destination of a page, in outline order.
pub(crate) type LinkResults = Vec<(String, Result<Option<String>, LinkError>)>;

/// Everything a build computed that the next build may reuse. Vectors indexed by page
/// follow `tree.pages`.
pub(crate) struct State {
    /// Hashes of everything every page depends on: configuration, options, templates,
    /// static files.
    pub(crate) env: super::Environment,
    /// Every Markdown file's parse, by content path.
    pub(crate) parsed: HashMap<String, Parsed>,
    pub(crate) config: SiteConfig,
    /// Compiled templates (taken by the next build when the environment is the same).
    pub(crate) renderer: Option<Renderer>,
    /// Static name → hashed URL, for templates.
    pub(crate) asset_urls: serde_json::Map<String, Value>,
    pub(crate) tree: ContentTree,
    /// Warnings of the tree phase (missing descriptions, duplicate URLs).
    pub(crate) tree_diagnostics: Vec<Diagnostic>,
    pub(crate) outlines: Vec<Outline>,
    pub(crate) anchors: Vec<HashSet<String>>,
    pub(crate) legal: LegalIndex,
    /// Problems found while indexing documents.
    pub(crate) legal_diagnostics: Vec<Diagnostic>,
    pub(crate) generated: Vec<GeneratedPage>,
    pub(crate) links: Vec<LinkResults>,
    pub(crate) rendered: Vec<Rendered>,
    /// The href each link of each page was written with, as the legal model reads them.
    pub(crate) hrefs: Vec<Vec<Option<String>>>,
    pub(crate) markdown_deps: Vec<MarkdownDeps>,
    /// Site-wide warnings of the legal model.
    pub(crate) check_diagnostics: Vec<Diagnostic>,
    pub(crate) summaries: Vec<Value>,
    pub(crate) page_outputs: Vec<Output>,
    pub(crate) generated_outputs: Vec<Output>,
    /// Problems of the extras (404 template).
    pub(crate) extras_diagnostics: Vec<Diagnostic>,
    /// Search documents, and for each page its document's position.
    pub(crate) search_docs: Arc<Vec<SearchDoc>>,
    pub(crate) search_doc_of: Vec<Option<usize>>,
    /// Documents replaced since `search_docs` was shared with a running search job (which
    /// a fast rebuild does not wait for or copy): applied once the job lets go.
    pub(crate) search_pending: Vec<(usize, SearchDoc)>,
    /// The search documents changed since the last [`SearchJob`](super::SearchJob).
    pub(crate) search_dirty: bool,
    /// Files of the search index in `files` (none when the index is built later).
    pub(crate) search_paths: Vec<String>,
    /// The index those files come from, kept to update it page by page (when the session
    /// builds the index itself).
    pub(crate) search_live: Option<crate::search::LiveIndex>,
    /// The whole site (search files only when built with it).
    pub(crate) files: SiteFiles,
}

/// Something a page's prose may say about a document number: which pages hold it, their
/// addresses, metadata, status and anchors (an article reference links only to an anchor
/// that exists). Page indices are left out: they shift when pages are added.
pub(crate) fn number_identity(
    tree: &ContentTree,
    legal: &LegalIndex,
    number: &str,
) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(number.as_bytes());
    for &p in legal.by_number.get(number).into_iter().flatten() {
        let page = &tree.pages[p];
        h.update(b"\0page\0");
        h.update(page.source.content_path.as_bytes());
        h.update(b"\0");
        h.update(page.url.as_bytes());
        h.update(b"\0");
        h.update(page.meta.title.as_bytes());
        h.update(format!("{:?}", page.meta.document).as_bytes());
        if let Some(doc) = legal.document(p) {
            h.update(
                format!(
                    "{:?}|{:?}|{:?}",
                    doc.status.code, doc.status.since, doc.number_display
                )
                .as_bytes(),
            );
        }
        if let Some(anchors) = legal.anchors.get(&p) {
            let mut sorted: Vec<&String> = anchors.iter().collect();
            sorted.sort();
            for a in sorted {
                h.update(a.as_bytes());
                h.update(b"\0");
            }
        }
    }
    h.finalize()
}

/// The numbers a page's Markdown depends on: those its prose cites, and its own (which
/// prose may mention without it being recorded as a citation).
pub(crate) fn cited_numbers(tree: &ContentTree, page: usize, cites: &[Citation]) -> Vec<String> {
    let mut numbers: Vec<String> = cites.iter().map(|c| c.canonical.clone()).collect();
    if let Some(own) = tree.pages[page]
        .meta
        .document
        .as_ref()
        .and_then(|d| d.canonical.clone())
    {
        numbers.push(own);
    }
    numbers.sort();
    numbers.dedup();
    numbers
}

/// Keys of the template context that are the same for every page of a build and already
/// part of the environment hash.
const GLOBAL_KEYS: [&str; 3] = ["config", "assets", "today"];

/// A hash of what a template renders from: its name and its context, except the parts
/// every page shares (already in the environment hash). The page body is hashed as text
/// rather than serialised again.
pub(crate) fn context_key(template: &str, ctx: &mut Value) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(template.as_bytes());
    h.update(b"\0");
    let content = ctx
        .get_mut("page")
        .and_then(|p| p.get_mut("content"))
        .map(Value::take);
    if let Value::Object(map) = &*ctx {
        for (key, value) in map {
            if GLOBAL_KEYS.contains(&key.as_str()) {
                continue;
            }
            h.update(key.as_bytes());
            h.update(b"=");
            // Writing JSON into the hasher cannot fail.
            let _ = serde_json::to_writer(&mut h, value);
            h.update(b"\0");
        }
    }
    if let Some(content) = content {
        h.update(b"content=");
        h.update(content.as_str().unwrap_or_default().as_bytes());
        if let Some(page) = ctx.get_mut("page") {
            page["content"] = content;
        }
    }
    h.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn context_keys_ignore_globals_and_restore_the_content() {
        let mut a = json!({"config": {"title": "x"}, "current_path": "/a/", "page": {"title": "A", "content": "<p>1</p>"}});
        let mut b = json!({"config": {"title": "y"}, "current_path": "/a/", "page": {"title": "A", "content": "<p>1</p>"}});
        assert_eq!(
            context_key("page.html", &mut a),
            context_key("page.html", &mut b)
        );
        assert_eq!(a["page"]["content"], "<p>1</p>");
        let mut c = json!({"current_path": "/a/", "page": {"title": "A", "content": "<p>2</p>"}});
        assert_ne!(
            context_key("page.html", &mut a),
            context_key("page.html", &mut c)
        );
        assert_ne!(
            context_key("page.html", &mut a),
            context_key("faq.html", &mut a.clone())
        );
    }
}
