//! Rendering one page: its Markdown (with link resolution and citations) and its template,
//! shared by the full pipeline and a session's incremental rebuilds so both produce the
//! same bytes.

use super::state::{self, LinkResults, MarkdownDeps, Output};
use super::{output_path, Pages};
use crate::config::SiteConfig;
use crate::content::{ContentTree, GeneratedPage};
use crate::diagnostics::{Diagnostic, LineIndex, Location};
use crate::frontmatter::Kind;
use crate::legal::{self, LegalIndex};
use crate::links::LinkIndex;
use crate::markdown::{self, AnchorPolicy, DefaultAnchors, Hooks, Outline, Rendered};
use crate::output::{FileContent, SiteFiles};
use crate::render::context::{self, Globals};
use crate::render::Renderer;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

pub(super) fn policy_for(kind: Kind) -> &'static dyn AnchorPolicy {
    static DEFAULT: DefaultAnchors = DefaultAnchors;
    match kind {
        Kind::Document => &legal::LEGAL_ANCHORS,
        _ => &DEFAULT,
    }
}

/// Markdown hooks for one page: link resolution and citation linking.
struct PageHooks<'a> {
    index: usize,
    links: &'a LinkIndex<'a>,
    legal: &'a LegalIndex,
    tree: &'a ContentTree,
    base_path: &'a str,
    /// Numbers the page's prose cites, for backlinks, search and `check`.
    cites: RefCell<Vec<legal::Citation>>,
    /// Glossary terms already linked on the page (only the first use is).
    terms: RefCell<Vec<bool>>,
    /// Every destination resolved and the href written, when a session keeps results.
    resolved: Option<RefCell<state::Resolved>>,
    /// `markdown: unsafe_html` of `site.yaml`.
    unsafe_html: bool,
}

impl Hooks for PageHooks<'_> {
    fn resolve(&self, dest: &str) -> Option<String> {
        let href = self.links.resolve(self.index, dest).ok().flatten();
        if let Some(log) = &self.resolved {
            log.borrow_mut().push((dest.to_owned(), href.clone()));
        }
        href
    }
    fn prose(&self, text: &str, section: Option<&str>, out: &mut String) {
        let ctx = legal::ProseContext {
            legal: self.legal,
            tree: self.tree,
            base_path: self.base_path,
            from: self.index,
            section,
        };
        let glossary = &self.legal.glossary;
        let mut terms = self.terms.borrow_mut();
        let mut plain = |run: &str, out: &mut String| {
            glossary.link(run, self.index, self.base_path, &mut terms, out);
        };
        legal::link_prose_with(&ctx, text, out, &mut self.cites.borrow_mut(), &mut plain);
    }
    fn unsafe_html(&self) -> bool {
        self.unsafe_html
    }
}

/// What rendering a page's Markdown needs from the rest of the build.
pub(super) struct MarkdownEnv<'a> {
    pub(super) tree: &'a ContentTree,
    pub(super) links: &'a LinkIndex<'a>,
    pub(super) legal: &'a LegalIndex,
    pub(super) base_path: &'a str,
    /// Record what the rendering read, so a later build can tell whether it still holds.
    pub(super) record: bool,
    /// [`state::number_identity`] of every number the site holds, computed once.
    pub(super) identities: HashMap<String, blake3::Hash>,
    /// Raw HTML is written unfiltered (`markdown: unsafe_html: true`).
    pub(super) unsafe_html: bool,
}

/// The identity of every document number of the site (empty when not recording).
pub(super) fn identities(
    tree: &ContentTree,
    legal: &LegalIndex,
    record: bool,
) -> HashMap<String, blake3::Hash> {
    if !record {
        return HashMap::new();
    }
    legal
        .by_number
        .keys()
        .map(|n| (n.clone(), state::number_identity(tree, legal, n)))
        .collect()
}

impl MarkdownEnv<'_> {
    fn identity(&self, number: &str) -> blake3::Hash {
        match self.identities.get(number) {
            Some(id) => *id,
            None => state::number_identity(self.tree, self.legal, number),
        }
    }

    /// Renders page `i`'s Markdown: HTML, the numbers it cites, and (when recording) what
    /// it depended on.
    pub(super) fn render(&self, i: usize) -> (Rendered, Vec<legal::Citation>, MarkdownDeps) {
        let page = &self.tree.pages[i];
        let hooks = PageHooks {
            index: i,
            links: self.links,
            legal: self.legal,
            tree: self.tree,
            base_path: self.base_path,
            cites: RefCell::default(),
            terms: RefCell::default(),
            resolved: self.record.then(RefCell::default),
            unsafe_html: self.unsafe_html,
        };
        let rendered = markdown::render(page.body(), policy_for(page.meta.kind), &hooks);
        let cites = hooks.cites.into_inner();
        let deps = match hooks.resolved {
            Some(log) => MarkdownDeps {
                resolved: log.into_inner(),
                numbers: state::cited_numbers(self.tree, i, &cites)
                    .into_iter()
                    .map(|n| {
                        let id = self.identity(&n);
                        (n, id)
                    })
                    .collect(),
                glossary: self.legal.glossary.identity(),
                stale: false,
            },
            None => MarkdownDeps::default(),
        };
        (rendered, cites, deps)
    }

    /// Whether page `i`'s kept Markdown still holds: every destination resolves to the same
    /// href and every number it mentions means the same document.
    pub(super) fn still_valid(&self, i: usize, deps: &MarkdownDeps) -> bool {
        !deps.stale
            && deps
                .resolved
                .iter()
                .all(|(dest, href)| self.links.resolve(i, dest).ok().flatten() == *href)
            && deps.numbers.iter().all(|(n, id)| self.identity(n) == *id)
            && deps.glossary == self.legal.glossary.identity()
    }
}

/// Resolves every link destination of page `i`.
pub(super) fn resolve_links(outline: &Outline, links: &LinkIndex<'_>, i: usize) -> LinkResults {
    outline
        .links
        .iter()
        .map(|l| (l.dest.clone(), links.resolve(i, &l.dest)))
        .collect()
}

/// One error per broken link, at the link.
pub(super) fn link_diagnostics(
    tree: &ContentTree,
    outlines: &[Outline],
    links: &[LinkResults],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, results) in links.iter().enumerate() {
        // Built at the page's first broken link, then shared by the others.
        let mut lines = None;
        for (link, (_, result)) in outlines[i].links.iter().zip(results) {
            if let Err(e) = result {
                let page = &tree.pages[i];
                let text = &page.source.text;
                let lines = lines.get_or_insert_with(|| LineIndex::new(text));
                let start = page.body_start + link.offset;
                let at = Location::at_offset_in(lines, &page.source.path, text, start..start + 1);
                let mut d = Diagnostic::error(at, &e.message);
                d.hint = e.hint.clone();
                out.push(d);
            }
        }
    }
    out
}

/// One warning per piece of raw HTML or dangerous link the filter removed (see
/// [`crate::raw_html`]), at the HTML or link that held it.
pub(super) fn removed_html_warnings(tree: &ContentTree, outlines: &[Outline]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (page, outline) in tree.pages.iter().zip(outlines) {
        let mut lines = None;
        for (offset, what) in &outline.removed_html {
            let text = &page.source.text;
            let lines = lines.get_or_insert_with(|| LineIndex::new(text));
            let start = page.body_start + offset;
            let at = Location::at_offset_in(lines, &page.source.path, text, start..start + 1);
            out.push(
                Diagnostic::warning(at, format!("đã bỏ {what}: mã có thể chạy trong trình duyệt"))
                    .with_hint(
                        "chỉ dùng HTML an toàn (bảng, <abbr>, <details>, <sup>…); nếu mọi người \
                         biên tập đều tin cậy được, đặt `markdown: {unsafe_html: true}` trong site.yaml",
                    ),
            );
        }
    }
    out
}

/// The href each link of each page was written with (`None` for external and broken
/// links), as the legal model reads links to documents.
pub(super) fn hrefs(links: &[LinkResults]) -> Vec<Vec<Option<String>>> {
    links
        .iter()
        .map(|page| {
            page.iter()
                .map(|(_, r)| r.as_ref().ok().cloned().flatten())
                .collect()
        })
        .collect()
}

/// What rendering templates needs.
pub(super) struct TemplateEnv<'a> {
    pub(super) config: &'a SiteConfig,
    pub(super) tree: &'a ContentTree,
    pub(super) legal: &'a LegalIndex,
    pub(super) rendered: &'a [Rendered],
    pub(super) summaries: &'a [Value],
    pub(super) renderer: &'a Renderer,
    pub(super) globals: &'a Globals<'a>,
    /// Hash contexts and share bytes, so the next build can reuse unchanged pages.
    pub(super) keep: bool,
}

impl TemplateEnv<'_> {
    fn finish(
        &self,
        path: String,
        template: &str,
        mut ctx: Value,
        old: Option<&Output>,
        source: Option<&str>,
        size_hint: usize,
    ) -> Output {
        let key = self.keep.then(|| state::context_key(template, &mut ctx));
        if let Some(old) = old.filter(|o| key.is_some() && o.key == key) {
            return old.clone();
        }
        let html = self.renderer.render_bytes(template, ctx, size_hint);
        let html = html.map_err(|mut d| {
            if let Some(source) = source {
                d.message = format!("{} (khi dựng {source})", d.message);
            }
            d
        });
        let html = html.map(|h| {
            if self.keep {
                FileContent::Shared(h.into())
            } else {
                FileContent::Bytes(h)
            }
        });
        Output { path, key, html }
    }

    /// Renders content page `i`, or returns `old` when its context is unchanged. `content`
    /// is the page's Markdown HTML when the caller hands it over (a build that keeps
    /// nothing moves it instead of copying it); otherwise it is copied from `rendered`.
    pub(super) fn page(&self, i: usize, old: Option<&Output>, content: Option<String>) -> Output {
        let (config, tree) = (self.config, self.tree);
        let p = &tree.pages[i];
        let rendered = &self.rendered[i];
        let template = context::template_for(p);
        // Only what the template can read: a lean theme skips JSON-LD, document data, etc.
        let reads = self.renderer.reads(&template);
        let mut ctx = self.globals.base_for(&p.url, reads);
        let extra = legal::page_extra(tree, self.legal, config, i, rendered, reads);
        let content = content.unwrap_or_else(|| rendered.html.clone());
        // The page around the content: head, header, footer, metadata.
        let size_hint = content.len() + 6 * 1024;
        let env = context::PageEnv {
            config,
            tree,
            summaries: self.summaries,
            reads,
        };
        ctx["page"] = context::page_value(&env, i, rendered, content, extra);
        self.finish(
            output_path(&p.url),
            &template,
            ctx,
            old,
            Some(&p.source.path),
            size_hint,
        )
    }

    /// Renders a generated listing, or returns `old` when its context is unchanged.
    pub(super) fn generated(&self, g: &GeneratedPage, old: Option<&Output>) -> Output {
        let (config, tree) = (self.config, self.tree);
        let mut ctx = self.globals.base(&g.path);
        let mut page = json!({
            "title": g.title,
            "url": config.url(&g.path),
            "path": g.path,
            "permalink": config.permalink(&g.path),
            "kind": "listing",
            "breadcrumbs": [
                {"title": tree.pages.first().map_or(config.title.as_str(), |p| p.meta.title.as_str()), "url": config.url("/")},
                {"title": g.title, "url": config.url(&g.path)},
            ],
        });
        if let (Some(obj), Value::Object(data)) = (page.as_object_mut(), &g.data) {
            for (k, v) in data {
                obj.insert(k.clone(), v.clone());
            }
        }
        ctx["page"] = page;
        self.finish(output_path(&g.path), &g.template, ctx, old, None, 16 * 1024)
    }
}

/// Writes a rendered page into the staging folder when the build streams, or drops it
/// when only its diagnostics count; either way its bytes are let go at once. A write
/// error becomes the page's error.
pub(super) fn stream(mut output: Output, pages: Pages<'_>) -> Output {
    match (pages, &output.html) {
        (Pages::Stream(sink), Ok(content)) => {
            output.html = match sink.write(&output.path, content) {
                Ok(()) => Ok(FileContent::Bytes(Vec::new())),
                Err(e) => Err(Diagnostic::global_error(format!("không ghi được tệp: {e}"))),
            };
        }
        (Pages::Discard, Ok(_)) => output.html = Ok(FileContent::Bytes(Vec::new())),
        _ => {}
    }
    output
}

/// Adds rendered pages to the site.
pub(super) fn add_outputs<'a>(
    outputs: impl IntoIterator<Item = &'a Output>,
    files: &mut SiteFiles,
) {
    for output in outputs {
        if let Ok(h) = &output.html {
            files.insert(output.path.clone(), h.clone());
        }
    }
}

/// Template errors of rendered pages; one broken template breaks many pages, so each
/// template error is reported once per location (the first page, in site order).
pub(super) fn output_diagnostics<'a>(
    outputs: impl IntoIterator<Item = &'a Output>,
) -> Vec<Diagnostic> {
    let mut template_errors = HashSet::new();
    let mut out = Vec::new();
    for output in outputs {
        if let Err(d) = &output.html {
            let key = d.location.as_ref().map(|l| (l.path.clone(), l.line));
            if template_errors.insert(key) {
                out.push(d.clone());
            }
        }
    }
    out
}
