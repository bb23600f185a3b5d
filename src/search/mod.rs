//! The search index: built from the pipeline's text, written as static shards, and read back
//! by `sotay search` exactly as the browser client (`themes/default/static/search.js`) reads it.
//!
//! Pure: [`build_index`] takes [`SearchDoc`]s and returns files; [`search`] takes a file
//! loader and a query and returns hits. Only the CLI glue in [`cli`] touches the disk.
//!
//! Design, in short (the rationale is in `docs`-style comments on each module):
//! - Words are matched on the text contract's folded key; every posting remembers which toned
//!   spellings occur, so a query typed with tones ranks exact spellings first ([`query`]).
//! - Adjacent syllables (not across punctuation) are indexed as two-syllable terms, so
//!   phrases rank above scattered words without storing positions ([`index`]).
//! - A term keeps only the postings of the pages it weighs most in (title and best section),
//!   so a common word costs a query no more than a rare one and one shard per term is all a
//!   query reads ([`shard`]).
//! - Terms are sorted and cut into content-hashed shards at content-defined boundaries,
//!   listed by small directory files that a fixed-name manifest points to ([`shard`],
//!   [`cut`]); result text is packed a few pages per file ([`results`]).
//! - The build is three parallel passes with no global sort: tokens and the vocabulary
//!   ([`vocab`]), weighted records bucketed by first word ([`postings`]), terms encoded per
//!   word in key order ([`index`]).
//! - `serve` keeps the index live ([`LiveIndex`]): a text edit re-encodes only the terms,
//!   shards and result files it touched, byte for byte what a full build writes.

pub mod cli;
mod correct;
mod cut;
mod index;
mod live;
mod postings;
mod query;
mod rank;
mod results;
mod shard;
mod snippet;
mod standing;
mod tokenize;
mod typed;
mod vocab;

pub use live::{Files, LiveIndex, Rebuild, Updated};
pub use query::{parse_query, Query, QueryTerm};
pub use rank::{search, search_found, Found, Hit, Loader};
pub use shard::Sink;
pub use snippet::snippet;
pub use tokenize::{is_marked, words, Word};
pub use tuning::MAX_POSTINGS;

use crate::laps::Laps;
use serde::Serialize;
use std::borrow::Cow;
use std::time::Duration;

/// One searchable part of a page: the page itself or a section, article or FAQ question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchSection {
    /// Anchor inside the page (`None` for text before the first heading).
    pub anchor: Option<String>,
    /// Heading text.
    pub heading: String,
    /// Plain text.
    pub text: String,
}

/// A page as the index sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SearchDoc {
    /// Site path without base path (`/van-ban/qd-1847/`).
    pub path: String,
    /// Page title.
    pub title: String,
    /// Titles of the ancestors, home first.
    pub breadcrumb: Vec<String>,
    /// Canonical document number, for document pages.
    pub number: Option<String>,
    /// The number as written.
    pub number_display: Option<String>,
    /// Canonical numbers this page cites.
    pub cites: Vec<String>,
    /// Sections of text.
    pub sections: Vec<SearchSection>,
    /// Whether the page is a document no longer in force on the build date: it ranks below
    /// the pages that are, most of all below the one that replaced it.
    pub retired: bool,
    /// Site path of the document that replaced this one, if the site has it.
    pub replaced_by: Option<String>,
}

/// A page for tests: `/p{i}/` with a breadcrumb and `(heading, text)` sections anchored
/// `s0`, `s1`, ….
#[cfg(test)]
pub(crate) fn test_doc(i: usize, title: &str, sections: &[(&str, &str)]) -> SearchDoc {
    SearchDoc {
        path: format!("/p{i}/"),
        title: title.into(),
        breadcrumb: vec!["Trang chủ".into()],
        number: None,
        number_display: None,
        cites: vec![],
        sections: sections
            .iter()
            .enumerate()
            .map(|(s, (heading, text))| SearchSection {
                anchor: Some(format!("s{s}")),
                heading: (*heading).into(),
                text: (*text).into(),
            })
            .collect(),
        ..SearchDoc::default()
    }
}

/// Builds the index files (paths relative to the output root, under `search/`), in path
/// order.
pub fn build_index(docs: &[SearchDoc]) -> Vec<(String, Vec<u8>)> {
    build_index_with_limit(docs, tuning::MAX_POSTINGS)
}

/// [`build_index`] with every posting list cut to `max_postings` instead of the site's
/// setting: for measuring what the cut costs in ranking (`benches/search_fidelity.rs`
/// compares the results with those of an index cut nowhere, `usize::MAX`). Not for sites.
pub fn build_index_with_limit(docs: &[SearchDoc], max_postings: usize) -> Vec<(String, Vec<u8>)> {
    let files = std::sync::Mutex::new(Vec::new());
    build_with(Cow::Borrowed(docs), max_postings, &|path, bytes| {
        files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path, bytes));
    });
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Builds the index files and hands each to `out` as soon as it is complete, from any
/// thread: a site's index is never all in memory at once. Returns how long each pass took
/// (`tokens`, `results`, `records`, `terms`), which `--verbose` shows under the search phase.
///
/// Documents given as owned are dropped as soon as their text has been read: the text is the
/// largest thing the index reads (40 MB on 10,000 pages), and the records and terms passes
/// after it make the largest things it holds, which can then reuse that memory.
pub fn build_index_to(docs: Cow<'_, [SearchDoc]>, out: &Sink<'_>) -> Vec<(&'static str, Duration)> {
    build_with(docs, tuning::MAX_POSTINGS, out)
}

/// [`build_index_to`] with lists cut to `limit` postings.
fn build_with(
    docs: Cow<'_, [SearchDoc]>,
    limit: usize,
    out: &Sink<'_>,
) -> Vec<(&'static str, Duration)> {
    let mut laps = Laps::new();
    let tokenized = index::tokenize(&docs);
    laps.lap("tokens");
    let set = results::files(&docs, out);
    let pages = docs.len();
    let retired = standing::retired(&docs);
    drop(docs);
    laps.lap("results");
    index::build(tokenized, out, limit, &mut laps).finish(pages, &set, &retired);
    laps.laps
}

/// Tuning shared by the index builder, the Rust ranking and (by copy) the JavaScript client.
/// Changing a query-time constant here means changing it in `search.js` too; the tests that
/// compare both implementations catch a mismatch.
pub(crate) mod tuning {
    /// BM25 term-frequency saturation.
    pub(crate) const K1: f64 = 1.2;
    /// BM25 length normalization.
    pub(crate) const B: f64 = 0.75;
    /// A heading word counts as this many body words.
    pub(crate) const W_HEADING: u32 = 3;
    /// Field weight of the page title.
    pub(crate) const W_TITLE: f64 = 4.0;
    /// Field weight of the page's own document number.
    pub(crate) const W_NUMBER: f64 = 12.0;
    /// Weight of a document number cited in a section.
    pub(crate) const W_CITE: f64 = 2.0;
    /// Extra weight of a two-syllable term (adjacency) over single syllables.
    pub(crate) const W_PAIR: f64 = 1.5;
    /// Postings a term keeps per list, those of the pages it weighs most in. On the
    /// 10,000-page benchmark corpus, 512 keep 8.9 of the exact top ten of two-word queries
    /// (256: 8.5, 1024: 9.2; one word 9.5, three words 9.0; `benches/search_fidelity.rs`,
    /// 200 queries of each kind) while a common word's entry stays about the size of a
    /// shard.
    pub const MAX_POSTINGS: usize = 512;
    /// Raw bytes a term shard aims for.
    pub(crate) const SHARD_BYTES: usize = 8 * 1024;
    /// Shards listed by one directory file.
    pub(crate) const DIR_SHARDS: usize = 64;
    /// Pages per result file.
    pub(crate) const RESULT_PAGES: usize = 4;
    /// Sections of each page per result file.
    pub(crate) const GROUP: usize = 8;
    /// Query-time factor of an exact key whose tones match (or any exact key when the query
    /// has no marks), of an exact key whose tones differ, and of a prefix-only key. The gap
    /// between the first two is wide so that a word with the typed tones in the body
    /// outranks a different word (`Đề` for `dế`) in a title.
    pub(crate) const F_EXACT: i64 = 8;
    /// See [`F_EXACT`].
    pub(crate) const F_FOLDED: i64 = 2;
    /// See [`F_EXACT`].
    pub(crate) const F_PREFIX: i64 = 4;
    /// Query-time factor of a Telex or VNI reading of a word the index has as typed: the
    /// literal word's pages come first, the reading's still come.
    pub(crate) const F_SHADOWED: i64 = 1;
    /// Keys a prefix expands to at most (the most frequent first).
    pub(crate) const MAX_EXPANSION: usize = 12;
    /// A page no longer in force keeps this share (in quarters) of its score, so it ranks
    /// below a close page in force; it goes below the page that replaced it whenever that
    /// one scores at least 2/3 of it (`rank::demote`).
    pub(crate) const Q_RETIRED: i64 = 3;
    /// Query words considered at most.
    pub(crate) const MAX_WORDS: usize = 8;
    /// Words in a snippet.
    pub(crate) const SNIPPET_WORDS: usize = 24;
}
