//! The files around the pages: 404 page, sitemap, robots.txt, Atom feed, alias redirects,
//! and the search index's view of each page.
//!
//! Split by what each part reads, so an incremental rebuild can redo only the parts a
//! change can affect (the feed quotes news text; the rest reads front matter only).

use super::{output_path, BuildOptions};
use crate::config::SiteConfig;
use crate::content::{ContentTree, GeneratedPage};
use crate::diagnostics::Diagnostics;
use crate::diagnostics::Location;
use crate::frontmatter::Kind;
use crate::legal::{self, LegalIndex};
use crate::markdown::{Rendered, TextSection};
use crate::output::paths::{Claims, Source, SourceKind};
use crate::output::{FileContent, SiteFiles, MARKER};
use crate::render::context::{self, Globals};
use crate::render::Renderer;
use serde_json::json;

/// The files sotay writes whatever the site holds (and `404.html` when the theme has it).
const FIXED: [&str; 4] = [MARKER, "sitemap.xml", "robots.txt", "atom.xml"];

/// 404 page, sitemap, robots.txt, Atom feed, alias redirects and content assets; and the
/// claims of every file the build writes (`statics`: the theme's files in the output),
/// against which the search index's files are checked once they are made. An alias or
/// asset that would escape the output or replace another file is an error, not written.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_extras(
    config: &SiteConfig,
    tree: &ContentTree,
    generated: &[GeneratedPage],
    statics: &[String],
    rendered: &[Rendered],
    renderer: &Renderer,
    globals: &Globals<'_>,
    opts: &BuildOptions,
    files: &mut SiteFiles,
    diagnostics: &mut Diagnostics,
) -> Claims {
    let mut claims = claim_generated(tree, generated, statics, diagnostics);
    if renderer.has("404.html") {
        let source = Source::new(SourceKind::Sotay, "trang 404.html do sotay tạo");
        report(claims.claim("404.html", source), diagnostics);
    }
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
    files.insert_bytes("atom.xml", atom_feed(config, tree, rendered, opts));
    for page in &tree.pages {
        for alias in &page.meta.aliases {
            let Some(path) = crate::content::alias_output(alias) else {
                continue;
            };
            let mut source = Source::new(
                SourceKind::Alias,
                format!("địa chỉ cũ `{alias}` của {}", page.source.path),
            );
            if let Some(l) = page.meta.location("aliases") {
                source = source.at(l.clone());
            }
            if report(claims.claim(&path, source), diagnostics) {
                let html = crate::feeds::redirect_page(&config.url(&page.url), &page.meta.title);
                files.insert_bytes(path, html);
            }
        }
    }
    for asset in &tree.assets {
        let path = crate::links::asset_url(&asset.content_path);
        let file = format!("content/{}", asset.content_path);
        let source = Source::new(SourceKind::Asset, format!("tệp {file}"))
            .at(Location::at_line(&file, 1, 1));
        if report(claims.claim(&path[1..], source), diagnostics) {
            files.insert(&path[1..], FileContent::Copy(asset.disk_path.clone()));
        }
    }
    claims
}

/// Claims what sotay writes whatever the content says, then the pages: sotay's own files
/// first, so that a clash is reported on the alias or asset that caused it.
fn claim_generated(
    tree: &ContentTree,
    generated: &[GeneratedPage],
    statics: &[String],
    diagnostics: &mut Diagnostics,
) -> Claims {
    let mut claims = Claims::default();
    for path in FIXED {
        let source = Source::new(SourceKind::Sotay, format!("tệp {path} do sotay tạo"));
        report(claims.claim(path, source), diagnostics);
    }
    for path in statics {
        let source = Source::new(SourceKind::Sotay, format!("tệp {path} của giao diện"));
        report(claims.claim(path, source), diagnostics);
    }
    for page in &tree.pages {
        let source = Source::new(SourceKind::Page, format!("trang {}", page.source.path)).at(
            Location::at_offset(&page.source.path, &page.source.text, 0..3),
        );
        report(claims.claim(&output_path(&page.url), source), diagnostics);
    }
    for g in generated {
        let name = format!("trang {} do sotay tạo", g.path);
        let source = Source::new(SourceKind::Generated, name);
        report(claims.claim(&output_path(&g.path), source), diagnostics);
    }
    claims
}

/// A search index file that would replace a file the build writes (its names are known
/// only once made): an error naming that file, and the index file is not written.
pub(super) fn index_clash(claims: &Claims, path: &str) -> Option<crate::diagnostics::Diagnostic> {
    claims.clash(path, &Source::new(SourceKind::Sotay, "chỉ mục tìm kiếm"))
}

/// Records a refused claim's diagnostic; whether the claim was granted.
fn report(claim: Result<(), Option<crate::diagnostics::Diagnostic>>, d: &mut Diagnostics) -> bool {
    match claim {
        Ok(()) => true,
        Err(diagnostic) => {
            d.extend(diagnostic);
            false
        }
    }
}

/// The Atom feed of news pages, newest first, each summarised from its text.
pub(super) fn atom_feed(
    config: &SiteConfig,
    tree: &ContentTree,
    rendered: &[Rendered],
    opts: &BuildOptions,
) -> String {
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
    crate::feeds::atom(
        &config.title,
        &config.permalink("/"),
        &config.permalink("/atom.xml"),
        &updated,
        &feed_entries,
    )
}

/// The search index's view of the site: every page's text by section, from the pipeline
/// (never re-parsed from HTML); and for each page, the position of its document.
pub(super) fn search_docs(
    tree: &ContentTree,
    legal: &LegalIndex,
    rendered: &mut [Rendered],
    take: bool,
) -> (Vec<crate::search::SearchDoc>, Vec<Option<usize>>) {
    use rayon::prelude::*;
    // In parallel: it ran alone on one core for ten thousand pages (breadcrumbs, cited
    // numbers and sections of every page).
    let docs: Vec<Option<crate::search::SearchDoc>> = rendered
        .par_iter_mut()
        .enumerate()
        .map(|(i, r)| {
            let sections = if take {
                // A build that keeps nothing moves the text instead of copying it.
                std::mem::take(&mut r.sections)
            } else {
                r.sections.clone()
            };
            search_doc(tree, legal, i, sections)
        })
        .collect();
    let mut doc_of = Vec::with_capacity(docs.len());
    let mut kept = Vec::with_capacity(docs.len());
    for doc in docs {
        doc_of.push(doc.is_some().then_some(kept.len()));
        kept.extend(doc);
    }
    (kept, doc_of)
}

/// One page as the search index sees it; `None` for pages left out of the index.
pub(super) fn search_doc(
    tree: &ContentTree,
    legal: &LegalIndex,
    i: usize,
    sections: Vec<TextSection>,
) -> Option<crate::search::SearchDoc> {
    let p = &tree.pages[i];
    // The search page itself would only match queries with its own examples.
    if p.meta.template.as_deref() == Some("search.html") {
        return None;
    }
    let doc = p.meta.document.as_ref();
    let status = legal.document(i).map(|d| &d.status);
    Some(crate::search::SearchDoc {
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
        sections: sections
            .into_iter()
            .map(|s| crate::search::SearchSection {
                anchor: s.anchor,
                heading: s.heading,
                text: s.text,
            })
            .collect(),
        retired: status.is_some_and(|s| s.code == legal::StatusCode::NotInForce),
        replaced_by: status.and_then(|s| s.by).map(|b| tree.pages[b].url.clone()),
    })
}
