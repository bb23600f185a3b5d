//! The legal-document model: numbers, status, relations, citations and article anchors.
//!
//! Pure: works on the content tree and returns data for rendering. It knows what a
//! Vietnamese legal document is; it knows nothing about files or HTML templates.
//!
//! The build calls it in three steps: [`index`] after the outline (documents, numbers,
//! relations, statuses, the anchors each document has), [`link_prose`] while Markdown is
//! rendered (citations become links and are recorded), then [`record_citations`] so that
//! [`page_extra`] can list what cites each document and [`check`] can warn about numbers
//! the site does not hold.

mod amendments;
mod anchors;
mod checks;
mod citations;
mod faq;
mod jsonld;
mod listings;
mod pages;
mod relations;
mod status;

pub use anchors::{structural_anchor, structural_toc, DocumentAnchors, LEGAL_ANCHORS};
pub use checks::check;
pub use citations::{link_prose, link_prose_with, Citation, ProseContext};
pub use faq::{questions, Question};
pub use listings::generated_pages;
pub use pages::page_extra;
pub use relations::{RelKind, Related};
pub use status::{vi_date, Status, StatusCode};

use crate::content::ContentTree;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::frontmatter::Kind;
use crate::glossary::Glossary;
use crate::markdown::Outline;
use std::collections::{BTreeMap, HashMap, HashSet};
use time::Date;

/// What the model knows about one document page.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its page.
    pub page: usize,
    /// Status on the build date.
    pub status: Status,
    /// Relations, both declared here and declared on the other side.
    pub relations: Vec<Related>,
    /// The number as pages show it; with the issue date when another document shares its
    /// canonical number (`10/CT-TTg ngày 22/4/2019`).
    pub number_display: Option<String>,
}

/// The site's documents, by canonical number, with what cites them.
#[derive(Debug, Default)]
pub struct LegalIndex {
    /// Canonical number → document pages, oldest issue date first.
    pub by_number: HashMap<String, Vec<usize>>,
    /// Page index → document.
    pub documents: HashMap<usize, Document>,
    /// Page index → anchors of that document page (headings, clauses, points).
    pub anchors: HashMap<usize, HashSet<String>>,
    /// The build date, which statuses are computed against.
    pub today: Option<Date>,
    /// Per page: the numbers its prose cites (filled by [`record_citations`]).
    pub citations: Vec<Vec<Citation>>,
    /// Document page → where it is cited, in site order.
    pub cited_by: HashMap<usize, Vec<CiteSource>>,
    /// Topic slug → (title, pages tagged with it).
    pub topics: BTreeMap<String, (String, Vec<usize>)>,
    /// FAQ pages with their questions `(question, anchor)`, from the outline.
    pub faq_questions: Vec<(usize, Vec<(String, String)>)>,
    /// The glossary terms, linked in prose like citations.
    pub glossary: Glossary,
}

/// A place that cites a document: a page, and the section (for FAQ pages, the question)
/// the citation is in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CiteSource {
    /// The citing page.
    pub page: usize,
    /// Position of the section among the page's headings (`None`: before the first).
    pub position: Option<usize>,
    /// The section's anchor.
    pub anchor: Option<String>,
    /// The section's heading (the question, on an FAQ page).
    pub heading: Option<String>,
}

impl LegalIndex {
    /// The document of a page, if it is one.
    pub fn document(&self, page: usize) -> Option<&Document> {
        self.documents.get(&page)
    }
}

fn first_line(page: &crate::content::Page) -> Location {
    Location::at_offset(&page.source.path, &page.source.text, 0..3)
}

/// Reports documents sharing a canonical number, unless their issue years tell them apart.
fn check_duplicates(
    tree: &ContentTree,
    by_number: &HashMap<String, Vec<usize>>,
    diagnostics: &mut Diagnostics,
) {
    let mut shared: Vec<(&String, &Vec<usize>)> =
        by_number.iter().filter(|(_, p)| p.len() > 1).collect();
    shared.sort();
    for (_, pages) in shared {
        for (i, &a) in pages.iter().enumerate() {
            for &b in &pages[..i] {
                let year = |p: usize| {
                    tree.pages[p]
                        .meta
                        .document
                        .as_ref()
                        .and_then(|d| d.issued)
                        .map(|d| d.year())
                };
                if year(a).is_some() && year(b).is_some() && year(a) != year(b) {
                    continue;
                }
                let page = &tree.pages[a];
                let loc = page
                    .meta
                    .location("number")
                    .cloned()
                    .unwrap_or_else(|| first_line(page));
                let number = page
                    .meta
                    .document
                    .as_ref()
                    .and_then(|d| d.number.clone())
                    .unwrap_or_default();
                diagnostics.push(
                    Diagnostic::error(
                        loc,
                        format!(
                            "số ký hiệu {number} trùng với {}",
                            tree.pages[b].source.path
                        ),
                    )
                    .with_hint(
                        "hai văn bản cùng số chỉ được phép khi ban hành khác năm: ghi `issued` cho cả hai",
                    ),
                );
            }
        }
    }
}

/// Builds the index of documents: numbers, relations (reporting contradictions and
/// duplicate numbers) and statuses on `today`; topics and FAQ questions for the listings.
/// `anchors[i]` holds every anchor of page `i` (headings, clauses, points).
pub fn index(
    tree: &ContentTree,
    outlines: &[Outline],
    anchors: &[HashSet<String>],
    today: Date,
    diagnostics: &mut Diagnostics,
) -> LegalIndex {
    let mut legal = LegalIndex {
        today: Some(today),
        topics: listings::collect_topics(tree),
        glossary: Glossary::new(tree),
        ..LegalIndex::default()
    };
    for (i, _) in tree.of_kind(Kind::Faq) {
        let questions: Vec<(String, String)> = outlines
            .get(i)
            .map(|o| {
                o.headings
                    .iter()
                    .filter(|h| h.level == 2)
                    .map(|h| (h.text.clone(), h.anchor.clone()))
                    .collect()
            })
            .unwrap_or_default();
        if !questions.is_empty() {
            legal.faq_questions.push((i, questions));
        }
    }
    let documents: Vec<usize> = tree
        .of_kind(Kind::Document)
        .filter(|(_, p)| p.meta.document.is_some())
        .map(|(i, _)| i)
        .collect();
    for &i in &documents {
        let doc = tree.pages[i]
            .meta
            .document
            .as_ref()
            .expect("filtered above");
        if let Some(canonical) = &doc.canonical {
            legal
                .by_number
                .entry(canonical.clone())
                .or_default()
                .push(i);
        }
        if let Some(a) = anchors.get(i) {
            legal.anchors.insert(i, a.clone());
        }
    }
    for pages in legal.by_number.values_mut() {
        pages.sort_by_key(|&p| (relations::dates(tree, p).issued, p));
    }
    check_duplicates(tree, &legal.by_number, diagnostics);
    let mut rels = relations::build(tree, &documents, &legal.by_number, diagnostics);
    for &i in &documents {
        let doc = tree.pages[i]
            .meta
            .document
            .as_ref()
            .expect("filtered above");
        let explicit = doc.status.as_deref().and_then(StatusCode::parse);
        let replacers = rels.replacers.remove(&i).unwrap_or_default();
        let status = status::compute(relations::dates(tree, i), explicit, &replacers, today);
        let shared = doc
            .canonical
            .as_ref()
            .is_some_and(|c| legal.by_number.get(c).is_some_and(|p| p.len() > 1));
        let number_display = doc.number.as_ref().map(|n| match doc.issued {
            Some(d) if shared => format!("{n} ngày {}", vi_date(d)),
            _ => n.clone(),
        });
        legal.documents.insert(
            i,
            Document {
                page: i,
                status,
                relations: rels.of.remove(&i).unwrap_or_default(),
                number_display,
            },
        );
    }
    legal
}

/// Records what each page cites: the numbers its prose cites (`cites[i]`, from
/// [`link_prose`]) and its Markdown links to document pages (`hrefs[i][j]` is the href
/// written for `outlines[i].links[j]`, `None` when left as written).
pub fn record_citations(
    legal: &mut LegalIndex,
    tree: &ContentTree,
    cites: Vec<Vec<Citation>>,
    outlines: &[Outline],
    hrefs: &[Vec<Option<String>>],
    base_path: &str,
) {
    let mut found: Vec<(usize, usize, Option<String>)> = Vec::new();
    for (from, list) in cites.iter().enumerate() {
        for c in list {
            if let Some(target) = c.target {
                found.push((target, from, c.section.clone()));
            }
        }
    }
    for (from, outline) in outlines.iter().enumerate() {
        let page_hrefs = hrefs.get(from).map_or(&[][..], Vec::as_slice);
        for (link, href) in outline.links.iter().zip(page_hrefs) {
            let Some(href) = href else {
                continue;
            };
            let path = href.strip_prefix(base_path).unwrap_or(href);
            let path = path.split('#').next().unwrap_or(path);
            let Some(&target) = tree.by_url.get(path) else {
                continue;
            };
            if target == from || !legal.documents.contains_key(&target) {
                continue;
            }
            let section = outline
                .headings
                .iter()
                .take_while(|h| h.offset < link.offset)
                .last()
                .map(|h| h.anchor.clone());
            found.push((target, from, section));
        }
    }
    let mut cited_by: HashMap<usize, Vec<CiteSource>> = HashMap::new();
    for (target, from, section) in found {
        let headings = outlines.get(from).map_or(&[][..], |o| &o.headings[..]);
        let mut position = section
            .as_deref()
            .and_then(|a| headings.iter().position(|h| h.anchor == a));
        if tree.pages[from].meta.kind == Kind::Faq {
            // On an FAQ page, cite the question the answer belongs to.
            position = position.and_then(|p| headings[..=p].iter().rposition(|h| h.level == 2));
        }
        let heading = position.map(|p| &headings[p]);
        cited_by.entry(target).or_default().push(CiteSource {
            page: from,
            position,
            anchor: heading.map(|h| h.anchor.clone()),
            heading: heading.map(|h| h.text.clone()),
        });
    }
    for list in cited_by.values_mut() {
        list.sort();
        list.dedup();
    }
    legal.citations = cites;
    legal.cited_by = cited_by;
}

/// Canonical numbers a page cites (for search: a number query also finds citing pages).
pub fn cited_numbers(legal: &LegalIndex, index: usize) -> Vec<String> {
    let mut out: Vec<String> = legal
        .citations
        .get(index)
        .map(|list| list.iter().map(|c| c.canonical.clone()).collect())
        .unwrap_or_default();
    out.sort();
    out.dedup();
    out
}
