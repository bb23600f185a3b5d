//! The build pipeline: load → parse → tree → outline → legal → links → markdown → render →
//! index → files.
//!
//! Reads like a script on purpose: each phase is a function call, timed, so `--verbose`
//! shows where time goes. Only the load phase reads files; the result is a [`SiteFiles`]
//! that the caller writes to disk (`build`), keeps in memory (`serve`) or drops (`check`).
//! A build to disk ([`build_into`]) writes pages into the staging folder as they render.
//!
//! `serve` rebuilds through the same [`pipeline`], handing it the previous build's
//! [`State`](state::State): every per-page result (front matter, outline, Markdown HTML,
//! rendered template) is reused when the inputs it was computed from are unchanged, and
//! recomputed otherwise. A [`Session`] adds a faster path for the most common edit (a
//! page's text, not its front matter) that touches only what depends on it.

use crate::content::{ContentTree, GeneratedPage};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::laps::Laps;
use crate::legal::{self, Citation};
use crate::links::LinkIndex;
use crate::load::LoadedContent;
use crate::markdown::{self, Outline, Rendered};
use crate::output::{FileContent, SiteFiles, Staging};
use crate::render::context::{self, Globals};
use crate::render::Renderer;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

mod extras;
mod inputs;
mod pages;
mod patch;
mod session;
mod sources;
mod state;

use inputs::{environment, hashed_statics, load_config, parse_sources, Environment};
pub use session::{Changed, SearchJob, Session};
use state::{LinkResults, MarkdownDeps, Output, State};

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
}

/// Everything a build produced.
#[derive(Debug, Default)]
pub struct BuildResult {
    /// The site's files (incomplete when there are errors: never publish those). A build
    /// into a [`Staging`] folder has already written its pages there and leaves only the
    /// other files here.
    pub files: SiteFiles,
    /// Every error and warning.
    pub diagnostics: Diagnostics,
    /// How long each phase took.
    pub timings: Vec<(&'static str, Duration)>,
    /// How long each pass of the search phase took, when the build wrote its index into a
    /// staging folder (`sotay build`); empty otherwise. Search is the slowest phase of a
    /// large site.
    pub search_passes: Vec<(&'static str, Duration)>,
    /// Number of content pages rendered.
    pub page_count: usize,
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

/// The tree phase's warnings that need the tree: pages without a description.
fn description_warnings(tree: &ContentTree, diagnostics: &mut Diagnostics) {
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
}

/// Anchors of each page: headings, then clauses and points.
fn anchor_sets(outlines: &[Outline]) -> Vec<HashSet<String>> {
    outlines.par_iter().map(anchor_set).collect()
}

fn anchor_set(o: &Outline) -> HashSet<String> {
    let headings = o.headings.iter().map(|h| h.anchor.clone());
    headings.chain(o.blocks.iter().cloned()).collect()
}

/// Runs a whole build in memory.
pub fn build(opts: &BuildOptions) -> BuildResult {
    build_with(opts, Pages::Memory, true)
}

/// Runs everything a build validates and drops each page once it is rendered (`sotay
/// check`): a large site's HTML is never held, and the search index, which validates
/// nothing, is not built. [`BuildResult::files`] holds only the small generated files.
pub fn check(opts: &BuildOptions) -> BuildResult {
    build_with(opts, Pages::Discard, false)
}

/// Runs a whole build, writing each page into `staging` as soon as it is rendered (while
/// the build has no errors), so that a large site is never held in memory at once. The
/// caller writes the remaining [`BuildResult::files`] and commits, or drops the staging
/// folder when the build failed.
pub fn build_into(opts: &BuildOptions, staging: &Staging) -> BuildResult {
    build_with(opts, Pages::Stream(staging), true)
}

/// [`build_into`] without the search index: for measuring what the index adds to a build
/// (`benches/index_share.rs` times both). The site it writes has no `search/` folder, so its
/// search box finds nothing. Not for sites.
pub fn build_into_without_index(opts: &BuildOptions, staging: &Staging) -> BuildResult {
    build_with(opts, Pages::Stream(staging), false)
}

fn build_with(opts: &BuildOptions, pages: Pages<'_>, search: bool) -> BuildResult {
    let timer = Laps::new();
    let mut diagnostics = Diagnostics::default();
    let loaded = crate::load::read_content(&opts.root, &mut diagnostics);
    let reuse = Reuse {
        previous: None,
        keep: false,
        search,
    };
    pipeline(opts, loaded, diagnostics, timer, reuse, pages).0
}

/// Where rendered pages go.
#[derive(Clone, Copy)]
pub(crate) enum Pages<'a> {
    /// Into [`BuildResult::files`] (tests, a session).
    Memory,
    /// Written into the staging folder at once, while the build has no errors.
    Stream(&'a Staging),
    /// Dropped: only their diagnostics count (`check`).
    Discard,
}

/// How a pipeline run relates to the builds of a session.
struct Reuse {
    /// The previous build's results, to reuse where their inputs did not change.
    previous: Option<Box<State>>,
    /// Keep this build's results for the next one.
    keep: bool,
    /// Build the search index now (a session may build it later, off the critical path).
    search: bool,
}

/// Where a page's results from the previous build are, when its text and kind are the
/// same (so its front matter and outline are too).
fn same_source(previous: Option<&State>, tree: &ContentTree) -> Vec<Option<usize>> {
    tree.pages
        .iter()
        .map(|p| {
            let prev = previous?;
            let j = *prev.tree.by_content_path.get(&p.source.content_path)?;
            let q = &prev.tree.pages[j];
            (Arc::ptr_eq(&q.source.text, &p.source.text) && q.meta.kind == p.meta.kind).then_some(j)
        })
        .collect()
}

/// The pipeline itself; `loaded` is the content as read (by [`build`] from disk, by a
/// session from its cache), `diagnostics` what reading it found.
fn pipeline(
    opts: &BuildOptions,
    loaded: LoadedContent,
    mut diagnostics: Diagnostics,
    mut timer: Laps,
    reuse: Reuse,
    pages: Pages<'_>,
) -> (BuildResult, Option<Box<State>>) {
    let Reuse {
        mut previous,
        keep,
        search,
    } = reuse;
    let mut result = BuildResult::default();

    let (config, config_text) = load_config(opts, &mut diagnostics);
    let theme = config
        .as_ref()
        .map(|c| crate::theme::load(&opts.root, &c.theme));
    let env = environment(opts, config_text.as_deref(), theme.as_ref());
    // Templates depend on the whole environment, Markdown on configuration and options,
    // front matter and outlines on neither.
    let same_env = env.is_some() && previous.as_ref().is_some_and(|p| Some(p.env) == env);
    let same_content_env = env.is_some()
        && previous
            .as_ref()
            .is_some_and(|p| Some(p.env.content) == env.map(|e| e.content));
    timer.lap("load");

    let no_parses = HashMap::new();
    let (parsed, parse_cache, unparsed) = parse_sources(
        loaded.sources,
        previous
            .as_ref()
            .map(|p| &p.parsed)
            .or(keep.then_some(&no_parses)),
        &mut diagnostics,
    );
    timer.lap("parse");

    let mut tree_diagnostics = Diagnostics::default();
    let mut tree =
        crate::content::build_tree(parsed, loaded.assets, opts.drafts, &mut tree_diagnostics);
    tree.unparsed = unparsed;
    description_warnings(&tree, &mut tree_diagnostics);
    let tree_diagnostics: Vec<Diagnostic> = tree_diagnostics.into_iter().collect();
    diagnostics.extend(tree_diagnostics.iter().cloned());
    timer.lap("tree");

    let same = same_source(previous.as_deref(), &tree);
    let mut kept_outlines = previous
        .as_mut()
        .map(|p| std::mem::take(&mut p.outlines))
        .unwrap_or_default();
    let mut outlines: Vec<Option<Outline>> = same
        .iter()
        .map(|j| j.and_then(|j| kept_outlines.get_mut(j).map(std::mem::take)))
        .collect();
    outlines
        .par_iter_mut()
        .enumerate()
        .filter(|(_, o)| o.is_none())
        .for_each(|(i, o)| {
            let p = &tree.pages[i];
            *o = Some(markdown::outline(p.body(), pages::policy_for(p.meta.kind)));
        });
    let outlines: Vec<Outline> = outlines
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect();
    let anchors = anchor_sets(&outlines);
    timer.lap("outline");

    let mut legal_diagnostics = Diagnostics::default();
    let mut legal = legal::index(
        &tree,
        &outlines,
        &anchors,
        opts.today,
        &mut legal_diagnostics,
    );
    let legal_diagnostics: Vec<Diagnostic> = legal_diagnostics.into_iter().collect();
    diagnostics.extend(legal_diagnostics.iter().cloned());
    timer.lap("legal");

    let Some(config) = config else {
        result.diagnostics = diagnostics;
        result.timings = timer.laps;
        return (result, None);
    };
    // The listings (one core for most of their time) are made while links are resolved.
    // A generated path only turns a broken link into a working one, so links are resolved
    // without them first, and the pages with a broken link once more with them.
    let (generated_pages, first_links): (Vec<GeneratedPage>, Vec<LinkResults>) = rayon::join(
        || legal::generated_pages(&tree, &legal, &config),
        || {
            let none = HashSet::new();
            let without = LinkIndex::new(&tree, &anchors, &none, &config.base_path);
            (0..tree.pages.len())
                .into_par_iter()
                .map(|i| pages::resolve_links(&outlines[i], &without, i))
                .collect()
        },
    );
    let generated: HashSet<String> = generated_pages.iter().map(|g| g.path.clone()).collect();
    let link_index = LinkIndex::new(&tree, &anchors, &generated, &config.base_path);
    let links: Vec<LinkResults> = first_links
        .into_iter()
        .enumerate()
        .map(|(i, results)| {
            if results.iter().any(|(_, r)| r.is_err()) {
                pages::resolve_links(&outlines[i], &link_index, i)
            } else {
                results
            }
        })
        .collect();
    diagnostics.extend(pages::link_diagnostics(&tree, &outlines, &links));
    if !config.unsafe_html {
        diagnostics.extend(pages::removed_html_warnings(&tree, &outlines));
    }
    timer.lap("links");

    let md = pages::MarkdownEnv {
        tree: &tree,
        links: &link_index,
        legal: &legal,
        base_path: &config.base_path,
        record: keep,
        identities: pages::identities(&tree, &legal, keep),
        unsafe_html: config.unsafe_html,
    };
    let mut kept_markdown: Vec<Option<(Rendered, Vec<Citation>, MarkdownDeps)>> =
        vec![None; tree.pages.len()];
    if let (Some(prev), true) = (previous.as_mut(), same_content_env) {
        for (i, j) in same.iter().enumerate() {
            let Some(j) = *j else { continue };
            if !md.still_valid(i, &prev.markdown_deps[j]) {
                continue;
            }
            // Citation targets are page indices: map them through the content path.
            let mut cites = prev
                .legal
                .citations
                .get_mut(j)
                .map(std::mem::take)
                .unwrap_or_default();
            for c in &mut cites {
                c.target = c.target.and_then(|t| {
                    let path = &prev.tree.pages[t].source.content_path;
                    tree.by_content_path.get(path).copied()
                });
            }
            kept_markdown[i] = Some((
                std::mem::take(&mut prev.rendered[j]),
                cites,
                std::mem::take(&mut prev.markdown_deps[j]),
            ));
        }
    }
    kept_markdown
        .par_iter_mut()
        .enumerate()
        .filter(|(_, k)| k.is_none())
        .for_each(|(i, k)| *k = Some(md.render(i)));
    let mut rendered = Vec::with_capacity(tree.pages.len());
    let mut cites = Vec::with_capacity(tree.pages.len());
    let mut markdown_deps = Vec::with_capacity(if keep { tree.pages.len() } else { 0 });
    for (r, c, d) in kept_markdown.into_iter().flatten() {
        rendered.push(r);
        cites.push(c);
        if keep {
            markdown_deps.push(d);
        }
    }
    timer.lap("markdown");

    let hrefs = pages::hrefs(&links);
    legal::record_citations(
        &mut legal,
        &tree,
        cites,
        &outlines,
        &hrefs,
        &config.base_path,
    );
    let mut check_diagnostics = Diagnostics::default();
    legal::check(&tree, &legal, &rendered, opts.today, &mut check_diagnostics);
    let check_diagnostics: Vec<Diagnostic> = check_diagnostics.into_iter().collect();
    diagnostics.extend(check_diagnostics.iter().cloned());
    timer.lap("citations");

    let theme = match theme {
        Some(Ok(t)) => t,
        Some(Err(ds)) => {
            diagnostics.extend(ds);
            result.diagnostics = diagnostics;
            result.timings = timer.laps;
            return (result, None);
        }
        None => unreachable!("theme is loaded whenever the configuration is"),
    };
    let kept_renderer = previous
        .as_mut()
        .filter(|_| same_env)
        .and_then(|p| p.renderer.take());
    let renderer = match kept_renderer.map_or_else(|| Renderer::new(&theme.templates), Ok) {
        Ok(r) => r,
        Err(ds) => {
            diagnostics.extend(ds);
            result.diagnostics = diagnostics;
            result.timings = timer.laps;
            return (result, None);
        }
    };
    let mut files = SiteFiles::default();
    let assets = match hashed_statics(&config, &theme.statics, &mut files) {
        Ok(a) => a,
        Err(e) => {
            diagnostics.push(Diagnostic::global_error(format!(
                "không đọc được tệp tĩnh: {e}"
            )));
            result.diagnostics = diagnostics;
            result.timings = timer.laps;
            return (result, None);
        }
    };
    let statics: Vec<String> = files.iter().map(|(path, _)| path.clone()).collect();
    let globals = Globals::new(&config, opts.today, &assets);
    let summaries: Vec<Value> = tree
        .pages
        .par_iter()
        .map(|p| context::summary(&config, p, None))
        .collect();
    let kept_outputs: HashMap<String, Output> = match previous.as_mut().filter(|_| same_env) {
        Some(p) => std::mem::take(&mut p.page_outputs)
            .into_iter()
            .chain(std::mem::take(&mut p.generated_outputs))
            .map(|o| (o.path.clone(), o))
            .collect(),
        None => HashMap::new(),
    };
    // Markdown HTML is needed only here: a build that keeps nothing hands it over.
    let contents: Vec<Option<String>> = rendered
        .iter_mut()
        .map(|r| (!keep).then(|| std::mem::take(&mut r.html)))
        .collect();
    let templates = pages::TemplateEnv {
        config: &config,
        tree: &tree,
        legal: &legal,
        rendered: &rendered,
        summaries: &summaries,
        renderer: &renderer,
        globals: &globals,
        keep,
    };
    // Pages go straight to disk when nothing is kept and nothing has failed yet; a build
    // with errors renders only to report template errors.
    let stream = match pages {
        Pages::Stream(_) if keep || diagnostics.has_errors() => Pages::Memory,
        other => other,
    };
    // Both at once: a few generated listings are the largest pages of a site, and rendered
    // after the rest they would leave one core idle at the end.
    let (generated_outputs, page_outputs): (Vec<Output>, Vec<Output>) = rayon::join(
        || {
            generated_pages
                .par_iter()
                .map(|g| templates.generated(g, kept_outputs.get(&output_path(&g.path))))
                .map(|o| pages::stream(o, stream))
                .collect()
        },
        || {
            contents
                .into_par_iter()
                .enumerate()
                .map(|(i, c)| {
                    templates.page(i, kept_outputs.get(&output_path(&tree.pages[i].url)), c)
                })
                .map(|o| pages::stream(o, stream))
                .collect()
        },
    );
    if matches!(stream, Pages::Memory) {
        pages::add_outputs(page_outputs.iter().chain(&generated_outputs), &mut files);
    }
    diagnostics.extend(pages::output_diagnostics(
        page_outputs.iter().chain(&generated_outputs),
    ));
    timer.lap("render");

    let mut extras_diagnostics = Diagnostics::default();
    let claims = extras::write_extras(
        &config,
        &tree,
        &generated_pages,
        &statics,
        &rendered,
        &renderer,
        &globals,
        opts,
        &mut files,
        &mut extras_diagnostics,
    );
    let extras_diagnostics: Vec<Diagnostic> = extras_diagnostics.into_iter().collect();
    diagnostics.extend(extras_diagnostics.iter().cloned());
    timer.lap("extras");

    if !keep {
        // The search index is the build's largest allocation: what it needs is in `rendered`.
        tree.release_sources();
    }
    let (mut search_docs, search_doc_of) = extras::search_docs(&tree, &legal, &mut rendered, !keep);
    // Whether the index must be built again: a template or front-matter edit often leaves
    // every page's text as it was.
    let search_dirty = match previous.as_deref() {
        Some(p) if p.search_pending.is_empty() && *p.search_docs == search_docs => p.search_dirty,
        _ => true,
    };
    let mut search_paths = Vec::new();
    let mut search_live = None;
    let mut phase = "search";
    let staging = match stream {
        Pages::Stream(staging) => Some(staging),
        _ => None,
    };
    match staging.filter(|_| search) {
        // Like the pages, straight to disk as each file is made: never all in memory.
        Some(staging) => {
            let failed = std::sync::Mutex::new(None);
            let clashes = std::sync::Mutex::new(Vec::new());
            // Nothing is kept (streaming implies it): the index may drop the text it read.
            let docs = std::borrow::Cow::Owned(std::mem::take(&mut search_docs));
            result.search_passes = crate::search::build_index_to(docs, &|path, bytes| {
                if let Some(d) = extras::index_clash(&claims, &path) {
                    clashes.lock().unwrap_or_else(|e| e.into_inner()).push(d);
                } else if let Err(e) = staging.write(&path, &FileContent::Bytes(bytes)) {
                    let mut failed = failed.lock().unwrap_or_else(|e| e.into_inner());
                    failed.get_or_insert(e.to_string());
                }
            });
            diagnostics.extend(clashes.into_inner().unwrap_or_else(|e| e.into_inner()));
            if let Some(e) = failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
                diagnostics.push(Diagnostic::global_error(format!("không ghi được tệp: {e}")));
            }
        }
        // A session's own index: kept live, so that the next text edit updates it.
        None if search && keep => {
            search_live = previous.as_mut().and_then(|p| p.search_live.take());
            let (built, updated) = crate::search::LiveIndex::follow(&mut search_live, &search_docs);
            if updated.is_some() {
                phase = "search-live";
            }
            for (path, bytes) in built {
                if let Some(d) = extras::index_clash(&claims, &path) {
                    diagnostics.push(d);
                    continue;
                }
                search_paths.push(path.clone());
                files.insert(path, FileContent::Shared(bytes));
            }
        }
        None if search => {
            for (path, bytes) in crate::search::build_index(&search_docs) {
                match extras::index_clash(&claims, &path) {
                    Some(d) => diagnostics.push(d),
                    None => files.insert_bytes(path, bytes),
                }
            }
        }
        None => {}
    }
    timer.lap(phase);

    diagnostics.sort();
    result.page_count = tree.pages.len();
    result.diagnostics = diagnostics;
    result.timings = timer.laps;
    let state = env.map(|env| {
        Box::new(State {
            env,
            parsed: parse_cache,
            config,
            renderer: Some(renderer),
            asset_urls: assets,
            tree,
            tree_diagnostics,
            outlines,
            anchors,
            legal,
            legal_diagnostics,
            generated: generated_pages,
            links,
            rendered,
            hrefs,
            markdown_deps,
            check_diagnostics,
            summaries,
            page_outputs,
            generated_outputs,
            extras_diagnostics,
            search_docs: Arc::new(search_docs),
            search_doc_of,
            search_pending: Vec::new(),
            search_dirty,
            search_paths,
            search_live,
            files: if keep {
                files.clone()
            } else {
                SiteFiles::default()
            },
        })
    });
    result.files = files;
    if keep {
        return (result, state);
    }
    drop_in_background(state);
    (result, None)
}

/// Frees a one-off build's intermediate results on another thread. They are hundreds of
/// thousands of allocations on a large site (every page's text, sections, outlines and
/// contexts), and freeing them takes one thread ~60 ms at 10,000 pages, after everything
/// else is done: the command can finish meanwhile, and a process that exits does not wait.
fn drop_in_background<T: Send + 'static>(value: T) {
    // If no thread can be started, the closure, and the value with it, is dropped here.
    let _ = std::thread::Builder::new()
        .name("sotay-free".into())
        .spawn(move || drop(value));
}
