//! The search index: built from the pipeline's text, written as static shards.
//!
//! Pure: takes [`SearchDoc`]s and returns files. The browser client and `sotay search`
//! read the same files.

use serde::Serialize;

/// One searchable part of a page: the page itself or a section, article or FAQ question.
#[derive(Debug, Clone, Serialize)]
pub struct SearchSection {
    /// Anchor inside the page (`None` for text before the first heading).
    pub anchor: Option<String>,
    /// Heading text.
    pub heading: String,
    /// Plain text.
    pub text: String,
}

/// A page as the index sees it.
#[derive(Debug, Clone, Serialize)]
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
}

/// Builds the index files (paths relative to the output root, under `search/`).
pub fn build_index(_docs: &[SearchDoc]) -> Vec<(String, Vec<u8>)> {
    Vec::new()
}
