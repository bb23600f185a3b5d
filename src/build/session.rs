//! Rebuilding the same site again and again (`serve`): a build session that remembers
//! what it can between builds.
//!
//! Each rebuild re-reads only the paths the caller says changed ([`SourceCache`]), then
//! runs the [`pipeline`] with the previous build's state, which recomputes only what the
//! change reached. The search index can be left to a [`SearchJob`] that the caller runs
//! after publishing the pages, because on a large site it takes longer than everything
//! else together.

use super::sources::SourceCache;
use super::state::State;
use super::{pipeline, BuildOptions, BuildResult, Pages, Reuse};
use crate::diagnostics::Diagnostics;
use crate::laps::Laps;
use crate::search::SearchDoc;
use std::sync::Arc;

/// What changed on disk since the previous build of a [`Session`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// Unknown: re-read everything.
    Everything,
    /// These paths, relative to the root (`content/a.md`, `content/new-folder`), were
    /// created, modified or removed. `site.yaml`, templates and static files are re-read
    /// on every build whether listed or not.
    Paths(Vec<String>),
}

/// Builds the search index of one build of a session.
pub struct SearchJob {
    docs: Arc<Vec<SearchDoc>>,
    /// Documents replaced since `docs` was shared.
    pending: Vec<(usize, SearchDoc)>,
}

impl SearchJob {
    /// Runs `f` on the documents to index, copying them only when some are pending (a
    /// live index reads them in place, in milliseconds, while a copy of ten thousand
    /// pages' text would take longer).
    pub fn with_docs<R>(self, f: impl FnOnce(&[SearchDoc]) -> R) -> R {
        f(&current_docs(&self.docs, &self.pending))
    }
}

/// The search documents as they are now: `docs` with the `pending` replacements (which
/// wait while a search job shares `docs`).
pub(super) fn current_docs<'a>(
    docs: &'a [SearchDoc],
    pending: &[(usize, SearchDoc)],
) -> std::borrow::Cow<'a, [SearchDoc]> {
    if pending.is_empty() {
        return std::borrow::Cow::Borrowed(docs);
    }
    let mut owned = docs.to_vec();
    for (k, doc) in pending {
        owned[*k] = doc.clone();
    }
    std::borrow::Cow::Owned(owned)
}

/// A site built repeatedly with the same options.
pub struct Session {
    opts: BuildOptions,
    sources: SourceCache,
    state: Option<Box<State>>,
    defer_search: bool,
}

impl Session {
    /// A session that has not built yet; it builds the search index with the pages.
    pub fn new(opts: BuildOptions) -> Self {
        Self {
            opts,
            sources: SourceCache::default(),
            state: None,
            defer_search: false,
        }
    }

    /// Leaves the search index out of [`Session::rebuild`]; [`Session::search_job`] builds it.
    pub fn defer_search(mut self, defer: bool) -> Self {
        self.defer_search = defer;
        self
    }

    /// The build options.
    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// Changes the base URL for the next builds (`serve` follows `site.yaml`'s base path).
    pub fn set_base_url(&mut self, url: Option<String>) {
        self.opts.base_url = url;
    }

    /// Builds the site as it is now on disk, reusing what `changed` cannot have affected.
    pub fn rebuild(&mut self, changed: &Changed) -> BuildResult {
        let mut timer = Laps::new();
        self.sources.update(&self.opts.root, changed);
        let delta = self.sources.take_delta();
        timer.lap("read");
        let mut previous = self.state.take();
        if let Some(state) = previous.take_if(|_| !delta.structure) {
            let sources: Vec<_> = delta
                .texts
                .iter()
                .filter_map(|path| self.sources.source(path).cloned())
                .collect();
            let diagnostics = self.sources.diagnostics();
            let search = !self.defer_search;
            match super::patch::patch(&self.opts, state, &sources, &diagnostics, search) {
                Ok((mut result, state)) => {
                    self.state = Some(state);
                    let mut timings = timer.laps;
                    timings.append(&mut result.timings);
                    result.timings = timings;
                    return result;
                }
                Err(state) => previous = Some(state),
            }
        }
        let mut diagnostics = Diagnostics::default();
        let loaded = self.sources.content(&mut diagnostics);
        let reuse = Reuse {
            previous,
            keep: true,
            search: !self.defer_search,
        };
        let (result, state) =
            pipeline(&self.opts, loaded, diagnostics, timer, reuse, Pages::Memory);
        self.state = state;
        result
    }

    /// The search index of the last build, to run when convenient; `None` when the last
    /// build stopped early or no page's text changed since the last job.
    pub fn search_job(&mut self) -> Option<SearchJob> {
        let state = self.state.as_mut().filter(|s| s.search_dirty)?;
        state.search_dirty = false;
        Some(SearchJob {
            docs: Arc::clone(&state.search_docs),
            pending: state.search_pending.clone(),
        })
    }
}
