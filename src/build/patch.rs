//! The fast path of a session's rebuild: some pages' text changed, nothing else did (same
//! configuration, templates, static files, set of files, and front matter byte for byte).
//! That is what saving a page in an editor almost always is.
//!
//! With the site's structure fixed, every dependency is known, so only these are redone:
//! - the changed pages: outline, links, Markdown, template;
//! - pages with links into a changed page whose anchors changed: links, Markdown;
//! - pages citing a changed document whose anchors changed: Markdown;
//! - documents whose list of citing pages changed: template;
//! - listings, when a changed page can appear in one by its text (FAQ questions);
//! - the feed, when a news page's text changed; the search documents of changed pages.
//!
//! Site-wide stages that are cheap (legal index, citations, warnings) run in full. Any
//! other change goes through the full [`pipeline`](super::pipeline), which reuses per-page
//! work by content. The session's equality test holds both to a full build's bytes.

use super::pages::{self, MarkdownEnv, TemplateEnv};
use super::state::{Output, Parsed, State};
use super::{anchor_set, environment, extras, load_config, BuildOptions, BuildResult};
use crate::diagnostics::{Diagnostics, Severity};
use crate::frontmatter::Kind;
use crate::laps::Laps;
use crate::legal;
use crate::links::LinkIndex;
use crate::load::SourceFile;
use crate::markdown::Outline;
use crate::output::FileContent;
use crate::render::context::Globals;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// A changed page: its index, new text and new parse.
struct Edit {
    page: usize,
    source: SourceFile,
    parsed: Parsed,
}

/// The pages whose text changed, when nothing else did; `None` when the fast path does not
/// apply. `sources` are the Markdown files whose text changed (the set of files did not).
fn edits(opts: &BuildOptions, state: &State, sources: &[SourceFile]) -> Option<Vec<Edit>> {
    let mut scratch = Diagnostics::default();
    let (config, config_text) = load_config(opts, &mut scratch);
    let theme = config
        .as_ref()
        .map(|c| crate::theme::load(&opts.root, &c.theme));
    if environment(opts, config_text.as_deref(), theme.as_ref()) != Some(state.env) {
        return None;
    }
    let mut edits = Vec::new();
    for source in sources {
        let old = state.parsed.get(&source.content_path)?;
        if Arc::ptr_eq(&old.text, &source.text) {
            continue;
        }
        let page = *state.tree.by_content_path.get(&source.content_path)?;
        let (result, diagnostics) = crate::frontmatter::parse(source);
        let (_, body) = result.as_ref()?;
        let (_, old_body) = old.result.as_ref()?;
        let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
        if failed || body != old_body || source.text[..*body] != old.text[..*old_body] {
            return None;
        }
        edits.push(Edit {
            page,
            source: source.clone(),
            parsed: Parsed {
                text: Arc::clone(&source.text),
                result,
                diagnostics,
            },
        });
    }
    Some(edits)
}

/// What of an outline places citations in sections: the headings, and after which heading
/// each link comes.
fn citation_shape(o: &Outline) -> (Vec<(u8, &str, &str)>, Vec<usize>) {
    let headings = o
        .headings
        .iter()
        .map(|h| (h.level, h.text.as_str(), h.anchor.as_str()))
        .collect();
    let sections = o
        .links
        .iter()
        .map(|l| {
            o.headings
                .iter()
                .take_while(|h| h.offset < l.offset)
                .count()
        })
        .collect();
    (headings, sections)
}

/// Whether an href (with base path, maybe a fragment) points at one of `urls`.
fn points_at(href: &str, base_path: &str, urls: &HashSet<&str>) -> bool {
    let path = href.strip_prefix(base_path).unwrap_or(href);
    let path = path.split('#').next().unwrap_or(path);
    urls.contains(path)
}

/// Rebuilds after text-only edits, or gives the state back when the fast path does not apply.
pub(super) fn patch(
    opts: &BuildOptions,
    mut s: Box<State>,
    sources: &[SourceFile],
    load_diagnostics: &Diagnostics,
    search: bool,
) -> Result<(BuildResult, Box<State>), Box<State>> {
    let mut timer = Laps::new();
    let Some(edits) = edits(opts, &s, sources) else {
        return Err(s);
    };
    timer.lap("parse");
    let changed: BTreeSet<usize> = edits.iter().map(|e| e.page).collect();
    let mut anchors_changed = Vec::new();
    let mut sections_moved = false;
    for edit in edits {
        let i = edit.page;
        if let Some((meta, _)) = &edit.parsed.result {
            s.tree.pages[i].meta = meta.clone();
        }
        s.tree.pages[i].source = edit.source;
        // Its Markdown is now out of date: never reuse it, even if this build stops early.
        s.markdown_deps[i].stale = true;
        let page = &s.tree.pages[i];
        let outline = crate::markdown::outline(page.body(), pages::policy_for(page.meta.kind));
        if citation_shape(&outline) != citation_shape(&s.outlines[i]) {
            sections_moved = true;
        }
        s.outlines[i] = outline;
        let anchors = anchor_set(&s.outlines[i]);
        if anchors != s.anchors[i] {
            anchors_changed.push(i);
            s.anchors[i] = anchors;
        }
        s.parsed
            .insert(page.source.content_path.clone(), edit.parsed);
    }
    timer.lap("outline");

    // The legal index and the listings read front matter, plus FAQ questions and document
    // anchors: only FAQ and document text can change them.
    let listings_may_change = changed
        .iter()
        .any(|&i| matches!(s.tree.pages[i].meta.kind, Kind::Faq | Kind::Document));
    let old_cited_by = std::mem::take(&mut s.legal.cited_by);
    let mut cites = std::mem::take(&mut s.legal.citations);
    let mut legal = if listings_may_change {
        let mut legal_diagnostics = Diagnostics::default();
        let legal = legal::index(
            &s.tree,
            &s.outlines,
            &s.anchors,
            opts.today,
            &mut legal_diagnostics,
        );
        s.legal_diagnostics = legal_diagnostics.into_iter().collect();
        legal
    } else {
        std::mem::take(&mut s.legal)
    };
    if listings_may_change {
        let generated = legal::generated_pages(&s.tree, &legal, &s.config);
        let same_paths = generated.len() == s.generated.len()
            && generated
                .iter()
                .zip(&s.generated)
                .all(|(a, b)| a.path == b.path);
        if !same_paths {
            s.legal.citations = cites;
            s.legal.cited_by = old_cited_by;
            return Err(s);
        }
        s.generated = generated;
    }
    timer.lap("legal");

    let config = s.config.clone();
    let base_path = config.base_path.as_str();
    let generated_paths: HashSet<String> = s.generated.iter().map(|g| g.path.clone()).collect();
    let link_index = LinkIndex::new(&s.tree, &s.anchors, &generated_paths, base_path);
    let moved: HashSet<&str> = anchors_changed
        .iter()
        .map(|&i| s.tree.pages[i].url.as_str())
        .collect();
    let relink: Vec<usize> = (0..s.tree.pages.len())
        .filter(|i| {
            changed.contains(i)
                || s.links[*i].iter().any(|(_, r)| match r {
                    Err(_) => true,
                    Ok(Some(href)) => !moved.is_empty() && points_at(href, base_path, &moved),
                    Ok(None) => false,
                })
        })
        .collect();
    let mut relinked = Vec::new();
    let mut hrefs_changed = false;
    for i in relink {
        let results = pages::resolve_links(&s.outlines[i], &link_index, i);
        if results != s.links[i] {
            relinked.push(i);
            s.links[i] = results;
        }
        let hrefs = pages::hrefs(std::slice::from_ref(&s.links[i])).remove(0);
        if hrefs != s.hrefs[i] {
            hrefs_changed = true;
            s.hrefs[i] = hrefs;
        }
    }
    timer.lap("links");

    let md = MarkdownEnv {
        tree: &s.tree,
        links: &link_index,
        legal: &legal,
        base_path,
        record: true,
        identities: HashMap::new(),
        unsafe_html: config.unsafe_html,
    };
    // Documents whose anchors changed may be cited by number with an article reference.
    let numbers: HashSet<String> = anchors_changed
        .iter()
        .filter_map(|&i| {
            let doc = s.tree.pages[i].meta.document.as_ref()?;
            doc.canonical.clone()
        })
        .collect();
    let mut again: BTreeSet<usize> = changed.iter().copied().collect();
    again.extend(relinked.iter().copied());
    if !numbers.is_empty() {
        again.extend((0..s.tree.pages.len()).filter(|&i| {
            s.markdown_deps[i]
                .numbers
                .iter()
                .any(|(n, _)| numbers.contains(n))
        }));
    }
    let again: Vec<usize> = again
        .into_iter()
        .filter(|&i| changed.contains(&i) || !md.still_valid(i, &s.markdown_deps[i]))
        .collect();
    let fresh: Vec<_> = again.par_iter().map(|&i| (i, md.render(i))).collect();
    let mut text_changed = Vec::new();
    let mut cites_changed = Vec::new();
    for (i, (rendered, new_cites, deps)) in fresh {
        if rendered != s.rendered[i] {
            text_changed.push(i);
            s.rendered[i] = rendered;
        }
        if new_cites != cites[i] {
            cites_changed.push(i);
            cites[i] = new_cites;
        }
        s.markdown_deps[i] = deps;
    }
    timer.lap("markdown");

    // What cites what: unchanged when no citation, link or section around them changed.
    let citations_stable =
        !listings_may_change && cites_changed.is_empty() && !hrefs_changed && !sections_moved;
    let mut cited_by_changed: Vec<usize> = Vec::new();
    if citations_stable {
        legal.citations = cites;
        legal.cited_by = old_cited_by;
    } else {
        legal::record_citations(&mut legal, &s.tree, cites, &s.outlines, &s.hrefs, base_path);
        // Prose citations and links to documents both make "cited by" lists.
        cited_by_changed.extend(
            legal
                .documents
                .keys()
                .filter(|d| legal.cited_by.get(d) != old_cited_by.get(d)),
        );
    }
    // Warnings about citations point into the citing page's text.
    let unresolved_here = changed
        .iter()
        .any(|&i| legal.citations[i].iter().any(|c| c.target.is_none()));
    if !citations_stable || unresolved_here {
        let mut check_diagnostics = Diagnostics::default();
        legal::check(
            &s.tree,
            &legal,
            &s.rendered,
            opts.today,
            &mut check_diagnostics,
        );
        s.check_diagnostics = check_diagnostics.into_iter().collect();
    }
    let mut retemplate: BTreeSet<usize> = changed.iter().copied().collect();
    retemplate.extend(text_changed.iter().copied());
    retemplate.extend(cited_by_changed);
    s.legal = legal;
    timer.lap("citations");

    let renderer = s.renderer.take().expect("a kept state has its renderer");
    let globals = Globals::new(&config, opts.today, &s.asset_urls);
    let templates = TemplateEnv {
        config: &config,
        tree: &s.tree,
        legal: &s.legal,
        rendered: &s.rendered,
        summaries: &s.summaries,
        renderer: &renderer,
        globals: &globals,
        keep: true,
    };
    let retemplate: Vec<usize> = retemplate.into_iter().collect();
    let pages_out: Vec<(usize, Output)> = retemplate
        .par_iter()
        .map(|&i| (i, templates.page(i, Some(&s.page_outputs[i]), None)))
        .collect();
    let generated_out: Vec<(usize, Output)> = if listings_may_change {
        s.generated
            .par_iter()
            .enumerate()
            .map(|(k, g)| (k, templates.generated(g, s.generated_outputs.get(k))))
            .collect()
    } else {
        Vec::new()
    };
    let mut files = std::mem::take(&mut s.files);
    for (i, output) in pages_out {
        pages::add_outputs([&output], &mut files);
        s.page_outputs[i] = output;
    }
    for (k, output) in generated_out {
        pages::add_outputs([&output], &mut files);
        s.generated_outputs[k] = output;
    }
    timer.lap("render");

    if text_changed
        .iter()
        .any(|&i| s.tree.pages[i].meta.kind == Kind::News)
    {
        let feed = extras::atom_feed(&config, &s.tree, &s.rendered, opts);
        files.insert_bytes("atom.xml", feed);
    }
    s.renderer = Some(renderer);
    timer.lap("extras");

    let mut updates = Vec::new();
    for i in text_changed.iter().chain(&cites_changed) {
        if let (Some(k), Some(doc)) = (
            s.search_doc_of[*i],
            extras::search_doc(&s.tree, &s.legal, *i, s.rendered[*i].sections.clone()),
        ) {
            updates.push((k, doc));
        }
    }
    let search_changed = !updates.is_empty();
    s.search_dirty |= search_changed;
    s.search_pending.extend(updates);
    // A running search job shares the documents: leave the changes pending until it is done.
    if let Some(docs) = Arc::get_mut(&mut s.search_docs) {
        for (k, doc) in s.search_pending.drain(..) {
            docs[k] = doc;
        }
    }
    let mut phase = "search";
    if search && search_changed {
        for path in std::mem::take(&mut s.search_paths) {
            files.remove(&path);
        }
        let docs = super::session::current_docs(&s.search_docs, &s.search_pending);
        let (built, updated) = crate::search::LiveIndex::follow(&mut s.search_live, &docs);
        if updated.is_some() {
            phase = "search-live";
        }
        for (path, bytes) in built {
            s.search_paths.push(path.clone());
            files.insert(path, FileContent::Shared(bytes));
        }
    }
    timer.lap(phase);

    let mut diagnostics = load_diagnostics.clone();
    for parsed in s.parsed.values() {
        diagnostics.extend(parsed.diagnostics.iter().cloned());
    }
    diagnostics.extend(s.tree_diagnostics.iter().cloned());
    diagnostics.extend(s.legal_diagnostics.iter().cloned());
    diagnostics.extend(pages::link_diagnostics(&s.tree, &s.outlines, &s.links));
    if !s.config.unsafe_html {
        diagnostics.extend(pages::removed_html_warnings(&s.tree, &s.outlines));
    }
    diagnostics.extend(s.check_diagnostics.iter().cloned());
    let outputs = s.page_outputs.iter().chain(&s.generated_outputs);
    diagnostics.extend(pages::output_diagnostics(outputs));
    diagnostics.extend(s.extras_diagnostics.iter().cloned());
    diagnostics.sort();
    s.files = files;
    let result = BuildResult {
        files: s.files.clone(),
        diagnostics,
        timings: timer.laps,
        search_passes: Vec::new(),
        page_count: s.tree.pages.len(),
    };
    Ok((result, s))
}
