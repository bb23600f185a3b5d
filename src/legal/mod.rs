//! The legal-document model: numbers, status, relations, citations and article anchors.
//!
//! Pure: works on the content tree and returns data for rendering. It knows what a
//! Vietnamese legal document is; it knows nothing about files or HTML templates.

mod anchors;
mod citations;

pub use anchors::{structural_anchor, DocumentAnchors, LEGAL_ANCHORS};
pub use citations::link_prose;

use crate::config::SiteConfig;
use crate::content::{ContentTree, GeneratedPage};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::frontmatter::Kind;
use crate::markdown::Rendered;
use std::collections::HashMap;
use time::Date;

/// The site's documents, by canonical number.
#[derive(Debug, Default)]
pub struct LegalIndex {
    /// Canonical number → page index.
    pub by_number: HashMap<String, usize>,
    /// The build date, which statuses are computed against.
    pub today: Option<Date>,
}

/// Builds the index of documents and reports duplicate numbers.
pub fn index(tree: &ContentTree, today: Date, diagnostics: &mut Diagnostics) -> LegalIndex {
    let mut legal = LegalIndex {
        today: Some(today),
        ..LegalIndex::default()
    };
    for (i, page) in tree.of_kind(Kind::Document) {
        let Some(doc) = &page.meta.document else {
            continue;
        };
        let Some(canonical) = &doc.canonical else {
            continue;
        };
        if let Some(&other) = legal.by_number.get(canonical) {
            let loc = page.meta.location("number").cloned();
            if let Some(loc) = loc {
                diagnostics.push(Diagnostic::error(
                    loc,
                    format!(
                        "số ký hiệu {} trùng với {}",
                        doc.number.as_deref().unwrap_or(canonical),
                        tree.pages[other].source.path
                    ),
                ));
            }
        } else {
            legal.by_number.insert(canonical.clone(), i);
        }
    }
    legal
}

/// Pages the legal model adds: documents index and facets, timeline, topics, FAQ index.
pub fn generated_pages(
    _tree: &ContentTree,
    _legal: &LegalIndex,
    _config: &SiteConfig,
) -> Vec<GeneratedPage> {
    Vec::new()
}

/// Extra keys for a page's template context (`document`, `faq`, `cited_by`, `jsonld`).
pub fn page_extra(
    _tree: &ContentTree,
    _legal: &LegalIndex,
    _config: &SiteConfig,
    _index: usize,
    _rendered: &Rendered,
) -> serde_json::Value {
    serde_json::Value::Null
}

/// Warnings that need the whole site: numbers cited but not in the site, stale statuses.
pub fn check(
    _tree: &ContentTree,
    _legal: &LegalIndex,
    _rendered: &[Rendered],
    _today: Date,
    _diagnostics: &mut Diagnostics,
) {
}

/// Canonical numbers a page cites (for search: a number query also finds citing pages).
pub fn cited_numbers(_legal: &LegalIndex, _index: usize) -> Vec<String> {
    Vec::new()
}
