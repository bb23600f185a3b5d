//! Relations between documents: replaces, amends, implements, guides — and their inverses.
//!
//! An editor declares a relation on whichever page they are editing; the other page must
//! still show it, or a citizen reading the old law never learns it was replaced. So every
//! declaration becomes one directed edge, and both ends read their side of it. Two edges
//! that cannot both be true (A replaces B and B replaces A) are errors.

use super::status::{Dates, Replacer};
use crate::content::ContentTree;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use std::collections::{BTreeMap, HashMap};

/// The kind of an edge, pointing from the acting document to the one acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RelKind {
    /// The source replaces the target.
    Replace,
    /// The source amends the target.
    Amend,
    /// The source guides (hướng dẫn) the target.
    Guide,
    /// The source implements (thực hiện) the target.
    Implement,
}

impl RelKind {
    /// The edge a front-matter key declares, and whether the declaring page is its source.
    pub fn from_key(key: &str) -> Option<(Self, bool)> {
        Some(match key {
            "replaces" => (Self::Replace, true),
            "replaced_by" => (Self::Replace, false),
            "amends" => (Self::Amend, true),
            "amended_by" => (Self::Amend, false),
            "guides" => (Self::Guide, true),
            "implements" => (Self::Implement, true),
            _ => return None,
        })
    }

    /// The label of one side of the relation, as the relations list shows it.
    pub fn label(self, active: bool) -> &'static str {
        match (self, active) {
            (Self::Replace, true) => "Thay thế",
            (Self::Replace, false) => "Được thay thế bởi",
            (Self::Amend, true) => "Sửa đổi",
            (Self::Amend, false) => "Được sửa đổi bởi",
            (Self::Guide, true) => "Hướng dẫn",
            (Self::Guide, false) => "Được hướng dẫn bởi",
            (Self::Implement, true) => "Thực hiện",
            (Self::Implement, false) => "Được thực hiện bởi",
        }
    }

    /// The verb for messages: "A thay thế B".
    fn verb(self) -> &'static str {
        match self {
            Self::Replace => "thay thế",
            Self::Amend => "sửa đổi",
            Self::Guide => "hướng dẫn",
            Self::Implement => "thực hiện",
        }
    }

    /// Whether the source of an edge of this kind must be the newer document.
    pub(super) fn supersedes(self) -> bool {
        matches!(self, Self::Replace | Self::Amend)
    }
}

/// One side of a relation, as a document page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// The kind of the edge.
    pub kind: RelKind,
    /// Whether this document is the edge's source (it replaces, amends…).
    pub active: bool,
    /// The other document's page, when the site holds it.
    pub page: Option<usize>,
    /// The other document's number as written (in the declaration or on its page).
    pub number: String,
}

/// A declared edge: where it was written, for diagnostics.
type Declarations = Vec<(usize, &'static str)>;

/// Everything the relations stage computed.
#[derive(Debug, Default)]
pub(super) struct Relations {
    /// Page → its relations (both declared and inverse), in display order.
    pub of: HashMap<usize, Vec<Related>>,
    /// Page → the documents that replace it.
    pub replacers: HashMap<usize, Vec<Replacer>>,
}

/// The page a number declared on `from` points to: with several documents under one
/// canonical number, the one that declares something back to `from`, else the newest.
pub(super) fn resolve(
    tree: &ContentTree,
    by_number: &HashMap<String, Vec<usize>>,
    from: usize,
    number: &str,
) -> Option<usize> {
    let canonical = crate::text::canonical_number(number)?;
    let candidates = by_number.get(&canonical)?;
    if candidates.len() == 1 {
        return candidates.first().copied();
    }
    let from_number = tree.pages[from]
        .meta
        .document
        .as_ref()
        .and_then(|d| d.canonical.clone());
    candidates
        .iter()
        .copied()
        .find(|&c| {
            let doc = tree.pages[c].meta.document.as_ref();
            doc.is_some_and(|d| {
                d.relations.iter().any(|(_, ns)| {
                    ns.iter()
                        .any(|n| crate::text::canonical_number(n) == from_number)
                })
            })
        })
        .or_else(|| candidates.last().copied())
}

fn name(tree: &ContentTree, page: usize) -> String {
    let p = &tree.pages[page];
    p.meta
        .document
        .as_ref()
        .and_then(|d| d.number.clone())
        .unwrap_or_else(|| p.source.path.clone())
}

fn location(tree: &ContentTree, page: usize, key: &str) -> Location {
    let p = &tree.pages[page];
    p.meta
        .location(key)
        .cloned()
        .unwrap_or_else(|| Location::at_offset(&p.source.path, &p.source.text, 0..3))
}

/// Dates of a document page.
pub(super) fn dates(tree: &ContentTree, page: usize) -> Dates {
    tree.pages[page]
        .meta
        .document
        .as_ref()
        .map(|d| Dates {
            issued: d.issued,
            effective: d.effective,
            expires: d.expires,
        })
        .unwrap_or_default()
}

/// Resolves every declaration into edges, reports contradictions, and gives each document
/// its side of each relation.
pub(super) fn build(
    tree: &ContentTree,
    documents: &[usize],
    by_number: &HashMap<String, Vec<usize>>,
    diagnostics: &mut Diagnostics,
) -> Relations {
    let mut edges: BTreeMap<(RelKind, usize, usize), Declarations> = BTreeMap::new();
    let mut out = Relations::default();
    for &page in documents {
        let Some(doc) = &tree.pages[page].meta.document else {
            continue;
        };
        for (key, numbers) in &doc.relations {
            let Some((kind, active)) = RelKind::from_key(key) else {
                continue;
            };
            for number in numbers {
                match resolve(tree, by_number, page, number) {
                    Some(other) if other == page => diagnostics.push(Diagnostic::error(
                        location(tree, page, key),
                        format!("`{key}`: văn bản không thể {} chính nó", kind.verb()),
                    )),
                    Some(other) => {
                        let edge = if active {
                            (kind, page, other)
                        } else {
                            (kind, other, page)
                        };
                        edges.entry(edge).or_default().push((page, key));
                    }
                    None => {
                        out.of.entry(page).or_default().push(Related {
                            kind,
                            active,
                            page: None,
                            number: number.clone(),
                        });
                        if kind == RelKind::Replace && !active {
                            out.replacers.entry(page).or_default().push(Replacer {
                                page: None,
                                effective: None,
                            });
                        }
                    }
                }
            }
        }
    }
    for (&(kind, source, target), declared) in &edges {
        check_edge(tree, &edges, kind, source, target, declared, diagnostics);
        out.of.entry(source).or_default().push(Related {
            kind,
            active: true,
            page: Some(target),
            number: name(tree, target),
        });
        out.of.entry(target).or_default().push(Related {
            kind,
            active: false,
            page: Some(source),
            number: name(tree, source),
        });
        if kind == RelKind::Replace {
            let d = dates(tree, source);
            out.replacers.entry(target).or_default().push(Replacer {
                page: Some(source),
                effective: d.effective.or(d.issued),
            });
        }
    }
    for list in out.of.values_mut() {
        list.sort_by(|a, b| {
            (a.kind, !a.active, a.page.is_none(), &a.number).cmp(&(
                b.kind,
                !b.active,
                b.page.is_none(),
                &b.number,
            ))
        });
    }
    out
}

/// Reports an edge that contradicts another edge or the documents' dates.
fn check_edge(
    tree: &ContentTree,
    edges: &BTreeMap<(RelKind, usize, usize), Declarations>,
    kind: RelKind,
    source: usize,
    target: usize,
    declared: &Declarations,
    diagnostics: &mut Diagnostics,
) {
    let (page, key) = declared[0];
    let (a, b) = (name(tree, source), name(tree, target));
    // A pair is reported once, from the edge that sorts first.
    let opposite = [
        RelKind::Replace,
        RelKind::Amend,
        RelKind::Guide,
        RelKind::Implement,
    ]
    .into_iter()
    .filter(|k| (k.supersedes() && kind.supersedes()) || *k == kind)
    .find(|&k| {
        edges.contains_key(&(k, target, source)) && (kind, source, target) < (k, target, source)
    });
    if let Some(k) = opposite {
        diagnostics.push(
            Diagnostic::error(
                location(tree, page, key),
                format!(
                    "quan hệ mâu thuẫn: {a} {} {b}, nhưng {b} lại {} {a}",
                    kind.verb(),
                    k.verb()
                ),
            )
            .with_hint(format!(
                "kiểm tra `{key}` ở đây và các khóa quan hệ ở {}",
                tree.pages[if page == source { target } else { source }]
                    .source
                    .path
            )),
        );
    }
    if kind == RelKind::Replace {
        let (ds, dt) = (dates(tree, source), dates(tree, target));
        let pair = match (ds.effective, dt.effective) {
            (Some(s), Some(t)) => Some((s, t)),
            _ => ds.issued.zip(dt.issued),
        };
        if let Some((s, t)) = pair {
            if s < t {
                diagnostics.push(Diagnostic::error(
                    location(tree, page, key),
                    format!(
                        "quan hệ mâu thuẫn: {a} thay thế {b} nhưng có từ trước ({} so với {})",
                        crate::fields::format_date(s),
                        crate::fields::format_date(t)
                    ),
                ));
            }
        }
    }
}
