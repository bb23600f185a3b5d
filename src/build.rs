//! The build pipeline: load → parse → tree → outline → legal → links → markdown → render →
//! index → files.
//!
//! Reads like a script on purpose: each phase is a function call, timed, so `--verbose`
//! shows where time goes. Only the load phase reads files; the result is a [`SiteFiles`]
//! that the caller writes to disk (`build`), keeps in memory (`serve`) or drops (`check`).

use crate::config::SiteConfig;
use crate::content::{ContentTree, GeneratedPage};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::frontmatter::Kind;
use crate::legal::{self, LegalIndex};
use crate::links::LinkIndex;
use crate::markdown::{self, AnchorPolicy, DefaultAnchors, Hooks, Outline, Rendered};
use crate::output::{FileContent, SiteFiles};
use crate::render::context::{self, Globals};
use crate::render::Renderer;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

mod session;
pub use session::{Changed, Session};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site root (holds `site.yaml` and `content/`).
    pub root: PathBuf,
    /// Include drafts.
    pub drafts: bool,
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// The build date: statuses and feeds are computed against it.
    pub today: time::Date,
    /// Also write `.gz` and `.br` beside text files.
    pub precompress: bool,
}

/// Everything a build produced.
#[derive(Debug, Default)]
pub struct BuildResult {
    /// The site's files (incomplete when there are errors: never publish those).
    pub files: SiteFiles,
    /// Every error and warning.
    pub diagnostics: Diagnostics,
    /// How long each phase took.
    pub timings: Vec<(&'static str, Duration)>,
    /// Number of content pages rendered.
    pub page_count: usize,
}

struct Timer {
    timings: Vec<(&'static str, Duration)>,
    start: Instant,
}

impl Timer {
    fn new() -> Self {
        Self {
            timings: Vec::new(),
            start: Instant::now(),
        }
    }
    fn lap(&mut self, phase: &'static str) {
        let now = Instant::now();
        self.timings.push((phase, now - self.start));
        self.start = now;
    }
}

fn policy_for(kind: Kind) -> &'static dyn AnchorPolicy {
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
    cites: std::cell::RefCell<Vec<legal::Citation>>,
}

impl Hooks for PageHooks<'_> {
    fn resolve(&self, dest: &str) -> Option<String> {
        self.links.resolve(self.index, dest).ok().flatten()
    }
    fn prose(&self, text: &str, section: Option<&str>, out: &mut String) {
        let ctx = legal::ProseContext {
            legal: self.legal,
            tree: self.tree,
            base_path: self.base_path,
            from: self.index,
            section,
        };
        legal::link_prose(&ctx, text, out, &mut self.cites.borrow_mut());
    }
}

/// The output path of a site path: `/a/b/` → `a/b/index.html`.
pub fn output_path(site_path: &str) -> String {
    let trimmed = site_path.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_owned()
    }
}

/// Loads and validates configuration, applying command-line overrides.
fn load_config(opts: &BuildOptions, diagnostics: &mut Diagnostics) -> Option<SiteConfig> {
    let text = match crate::load::read_config(&opts.root) {
        Ok(t) => t,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    match crate::config::parse("site.yaml", &text) {
        Ok(mut c) => {
            if let Some(url) = &opts.base_url {
                c.set_base_url(url);
            }
            Some(c)
        }
        Err(ds) => {
            diagnostics.extend(ds);
            None
        }
    }
}

/// Parses front matter of every source in parallel.
fn parse_sources(
    sources: Vec<crate::load::SourceFile>,
    diagnostics: &mut Diagnostics,
) -> Vec<(
    crate::load::SourceFile,
    crate::frontmatter::FrontMatter,
    usize,
)> {
    let results: Vec<_> = sources
        .into_par_iter()
        .map(|s| {
            let (fm, diags) = crate::frontmatter::parse(&s);
            (s, fm, diags)
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    for (source, fm, diags) in results {
        let failed = diags
            .iter()
            .any(|d| d.severity == crate::diagnostics::Severity::Error);
        diagnostics.extend(diags);
        if let Some((fm, body)) = fm {
            if !failed {
                parsed.push((source, fm, body));
            }
        }
    }
    parsed
}

/// Hashes static CSS and JS into their names so they can be cached forever.
fn hashed_statics(
    config: &SiteConfig,
    statics: &[(String, FileContent)],
    files: &mut SiteFiles,
) -> std::io::Result<serde_json::Map<String, Value>> {
    let mut assets = serde_json::Map::new();
    for (name, content) in statics {
        let hashable = name.ends_with(".css") || name.ends_with(".js") || name.ends_with(".mjs");
        let out_name = if hashable {
            let bytes = content.read()?;
            let hash = blake3::hash(&bytes).to_hex();
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
            format!("{stem}.{}.{ext}", &hash[..10])
        } else {
            name.clone()
        };
        assets.insert(
            name.clone(),
            Value::String(config.url(&format!("/{out_name}"))),
        );
        files.insert(out_name, content.clone());
    }
    Ok(assets)
}

/// Runs a whole build in memory.
pub fn build(opts: &BuildOptions) -> BuildResult {
    let mut result = BuildResult::default();
    let mut timer = Timer::new();
    let diagnostics = &mut result.diagnostics;

    let config = load_config(opts, diagnostics);
    let loaded = crate::load::read_content(&opts.root, diagnostics);
    let theme = config
        .as_ref()
        .map(|c| crate::theme::load(&opts.root, &c.theme));
    timer.lap("load");

    let parsed = parse_sources(loaded.sources, diagnostics);
    timer.lap("parse");

    let tree = crate::content::build_tree(parsed, loaded.assets, opts.drafts, diagnostics);
    for page in &tree.pages {
        if page.meta.description.is_none() {
            diagnostics.push(
                Diagnostic::warning(
                    Location::at_offset(&page.source.path, &page.source.text, 0..3),
                    "trang chưa có `description`",
                )
                .with_hint("thêm một câu mô tả: nó hiện trong kết quả tìm kiếm và thẻ meta"),
            );
        }
    }
    timer.lap("tree");

    let outlines: Vec<Outline> = tree
        .pages
        .par_iter()
        .map(|p| markdown::outline(p.body(), policy_for(p.meta.kind)))
        .collect();
    let anchors: Vec<HashSet<String>> = outlines
        .iter()
        .map(|o| {
            let headings = o.headings.iter().map(|h| h.anchor.clone());
            headings.chain(o.blocks.iter().cloned()).collect()
        })
        .collect();
    timer.lap("outline");

    let mut legal = legal::index(&tree, &outlines, &anchors, opts.today, diagnostics);
    timer.lap("legal");

    let Some(config) = config else {
        result.timings = timer.timings;
        return result;
    };
    let generated_pages: Vec<GeneratedPage> = legal::generated_pages(&tree, &legal, &config);
    let generated: HashSet<String> = generated_pages.iter().map(|g| g.path.clone()).collect();
    let link_index = LinkIndex::new(&tree, &anchors, &generated, &config.base_path);
    // Resolved hrefs are kept: the legal model reads links to documents as citations.
    let mut hrefs: Vec<Vec<Option<String>>> = Vec::with_capacity(outlines.len());
    for (i, outline) in outlines.iter().enumerate() {
        let mut page_hrefs = Vec::with_capacity(outline.links.len());
        for link in &outline.links {
            match link_index.resolve(i, &link.dest) {
                Ok(href) => page_hrefs.push(href),
                Err(e) => {
                    let page = &tree.pages[i];
                    let mut d = Diagnostic::error(page.body_location(link.offset, 1), e.message);
                    d.hint = e.hint;
                    diagnostics.push(d);
                    page_hrefs.push(None);
                }
            }
        }
        hrefs.push(page_hrefs);
    }
    timer.lap("links");

    let (rendered, cites): (Vec<Rendered>, Vec<Vec<legal::Citation>>) = tree
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let hooks = PageHooks {
                index: i,
                links: &link_index,
                legal: &legal,
                tree: &tree,
                base_path: &config.base_path,
                cites: std::cell::RefCell::default(),
            };
            let rendered = markdown::render(p.body(), policy_for(p.meta.kind), &hooks);
            (rendered, hooks.cites.into_inner())
        })
        .unzip();
    timer.lap("markdown");

    legal::record_citations(
        &mut legal,
        &tree,
        cites,
        &outlines,
        &hrefs,
        &config.base_path,
    );
    legal::check(&tree, &legal, &rendered, opts.today, diagnostics);
    timer.lap("citations");

    let theme = match theme {
        Some(Ok(t)) => t,
        Some(Err(ds)) => {
            diagnostics.extend(ds);
            result.timings = timer.timings;
            return result;
        }
        None => unreachable!("theme is loaded whenever the configuration is"),
    };
    let renderer = match Renderer::new(&theme.templates) {
        Ok(r) => r,
        Err(ds) => {
            diagnostics.extend(ds);
            result.timings = timer.timings;
            return result;
        }
    };
    let mut files = SiteFiles::default();
    let assets = match hashed_statics(&config, &theme.statics, &mut files) {
        Ok(a) => a,
        Err(e) => {
            diagnostics.push(Diagnostic::global_error(format!(
                "không đọc được tệp tĩnh: {e}"
            )));
            result.timings = timer.timings;
            return result;
        }
    };
    let globals = Globals {
        config: &config,
        today: opts.today,
        assets: &assets,
    };
    let summaries: Vec<Value> = tree
        .pages
        .iter()
        .map(|p| context::summary(&config, p, None))
        .collect();
    let pages_html: Vec<(String, Result<String, Diagnostic>)> = tree
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let mut ctx = globals.base(&p.url);
            let extra = legal::page_extra(&tree, &legal, &config, i, &rendered[i]);
            let page_value =
                context::page_value(&config, &tree, i, &rendered[i], &summaries, extra);
            ctx["page"] = page_value;
            let template = context::template_for(p);
            let html = renderer.render_value(&template, ctx).map_err(|mut d| {
                d.message = format!("{} (khi dựng {})", d.message, p.source.path);
                d
            });
            (output_path(&p.url), html)
        })
        .collect();
    let generated_html: Vec<(String, Result<String, Diagnostic>)> = generated_pages
        .par_iter()
        .map(|g| {
            let mut ctx = globals.base(&g.path);
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
            (output_path(&g.path), renderer.render(&g.template, &ctx))
        })
        .collect();
    let mut template_errors = HashSet::new();
    for (path, html) in pages_html.into_iter().chain(generated_html) {
        match html {
            Ok(h) => files.insert_bytes(path, h),
            Err(d) => {
                // One broken template breaks many pages: report it once per location.
                let key = d.location.as_ref().map(|l| (l.path.clone(), l.line));
                if template_errors.insert(key) {
                    diagnostics.push(d);
                }
            }
        }
    }
    timer.lap("render");

    write_extras(
        &config,
        &tree,
        &generated_pages,
        &rendered,
        &renderer,
        &globals,
        opts,
        &mut files,
        diagnostics,
    );
    for asset in &tree.assets {
        let url = crate::links::asset_url(&asset.content_path);
        files.insert(
            url.trim_start_matches('/').to_owned(),
            FileContent::Copy(asset.disk_path.clone()),
        );
    }
    timer.lap("extras");

    let search_docs = search_docs(&tree, &legal, &rendered);
    for (path, bytes) in crate::search::build_index(&search_docs) {
        files.insert_bytes(path, bytes);
    }
    timer.lap("search");

    if opts.precompress && !diagnostics.has_errors() {
        if let Err(e) = files.precompress() {
            diagnostics.push(Diagnostic::global_error(format!("không nén được: {e}")));
        }
        timer.lap("precompress");
    }

    diagnostics.sort();
    result.page_count = tree.pages.len();
    result.files = files;
    result.timings = timer.timings;
    result
}

/// The search index's view of the site: every page's text by section, from the pipeline
/// (never re-parsed from HTML).
fn search_docs(
    tree: &ContentTree,
    legal: &LegalIndex,
    rendered: &[Rendered],
) -> Vec<crate::search::SearchDoc> {
    tree.pages
        .iter()
        .enumerate()
        // The search page itself would only match queries with its own examples.
        .filter(|(_, p)| p.meta.template.as_deref() != Some("search.html"))
        .map(|(i, p)| {
            let doc = p.meta.document.as_ref();
            crate::search::SearchDoc {
                path: p.url.clone(),
                title: p.meta.title.clone(),
                breadcrumb: tree
                    .ancestors(i)
                    .into_iter()
                    .map(|a| tree.pages[a].meta.title.clone())
                    .collect(),
                number: doc.and_then(|d| d.canonical.clone()),
                // With the issue date when two documents share a number.
                number_display: legal
                    .document(i)
                    .and_then(|d| d.number_display.clone())
                    .or_else(|| doc.and_then(|d| d.number.clone())),
                cites: legal::cited_numbers(legal, i),
                sections: rendered[i]
                    .sections
                    .iter()
                    .map(|s| crate::search::SearchSection {
                        anchor: s.anchor.clone(),
                        heading: s.heading.clone(),
                        text: s.text.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// 404 page, sitemap, robots.txt, Atom feed and alias redirects.
#[allow(clippy::too_many_arguments)]
fn write_extras(
    config: &SiteConfig,
    tree: &ContentTree,
    generated: &[GeneratedPage],
    rendered: &[Rendered],
    renderer: &Renderer,
    globals: &Globals<'_>,
    opts: &BuildOptions,
    files: &mut SiteFiles,
    diagnostics: &mut Diagnostics,
) {
    let mut ctx = globals.base("/404.html");
    ctx["page"] = json!({
        "title": "Không tìm thấy trang",
        "description": "Trang bạn tìm không có hoặc đã chuyển đi.",
        "url": config.url("/404.html"),
        "path": "/404.html",
        "breadcrumbs": [],
        "kind": "page",
    });
    if renderer.has("404.html") {
        match renderer.render("404.html", &ctx) {
            Ok(html) => files.insert_bytes("404.html", html),
            Err(d) => diagnostics.push(d),
        }
    }
    let mut entries: Vec<crate::feeds::SitemapEntry> = tree
        .pages
        .iter()
        .map(|p| crate::feeds::SitemapEntry {
            loc: config.permalink(&p.url),
            lastmod: p
                .meta
                .updated
                .or(p.meta.date)
                .map(crate::fields::format_date),
        })
        .collect();
    // Listing pages change whenever their members do: no lastmod rather than a wrong one.
    entries.extend(generated.iter().map(|g| crate::feeds::SitemapEntry {
        loc: config.permalink(&g.path),
        lastmod: None,
    }));
    entries.sort_by(|a, b| a.loc.cmp(&b.loc));
    files.insert_bytes("sitemap.xml", crate::feeds::sitemap(&entries));
    files.insert_bytes(
        "robots.txt",
        crate::feeds::robots(&config.permalink("/sitemap.xml")),
    );
    let mut news: Vec<(usize, &crate::content::Page)> = tree.of_kind(Kind::News).collect();
    news.sort_by(|a, b| {
        b.1.meta
            .date
            .cmp(&a.1.meta.date)
            .then(a.1.url.cmp(&b.1.url))
    });
    let feed_entries: Vec<crate::feeds::FeedEntry> = news
        .iter()
        .filter_map(|(i, p)| {
            let date = p.meta.date?;
            let text = rendered[*i]
                .sections
                .first()
                .map(|s| context::truncate_words(&s.text, 300))
                .unwrap_or_default();
            Some(crate::feeds::FeedEntry {
                title: p.meta.title.clone(),
                url: config.permalink(&p.url),
                date: crate::fields::format_date(date),
                summary: p.meta.description.clone().unwrap_or(text),
                author: p.meta.author.clone(),
            })
        })
        .collect();
    let updated = feed_entries.first().map_or_else(
        || crate::fields::format_date(opts.today),
        |e| e.date.clone(),
    );
    files.insert_bytes(
        "atom.xml",
        crate::feeds::atom(
            &config.title,
            &config.permalink("/"),
            &config.permalink("/atom.xml"),
            &updated,
            &feed_entries,
        ),
    );
    for page in &tree.pages {
        for alias in &page.meta.aliases {
            let alias = crate::content::normalize_alias(alias);
            let html = crate::feeds::redirect_page(&config.url(&page.url), &page.meta.title);
            files.insert_bytes(output_path(&alias), html);
        }
    }
}
