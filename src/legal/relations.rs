//! Relations between documents: replaces, amends, implements, guides — and their inverses.
//!
//! An editor declares a relation on whichever page they are editing; the other page must
//! still show it, or a citizen reading the old law never learns it was replaced. So every
//! declaration becomes one directed edge, and both ends read their side of it. Two edges
//! that cannot both be true (A replaces B and B replaces A) are errors.

use super::status::{Dates, Replacer};
use crate::content::ContentTree;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

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
    for &page in documents {
        for (key, message) in super::status::date_order(dates(tree, page)) {
            diagnostics.push(Diagnostic::error(location(tree, page, key), message));
        }
    }
    check_cycles(tree, &edges, diagnostics);
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

/// Strongly connected components of a directed graph (Tarjan's algorithm, iterative so a
/// long chain of documents cannot overflow the stack): linear in nodes and edges.
fn components(graph: &BTreeMap<usize, Vec<usize>>) -> Vec<Vec<usize>> {
    let mut index: HashMap<usize, (usize, usize)> = HashMap::new(); // node → (index, lowlink)
    let mut on_stack: BTreeSet<usize> = BTreeSet::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    let no_edges = Vec::new();
    for &root in graph.keys() {
        if index.contains_key(&root) {
            continue;
        }
        // Each frame: a node and how many of its successors were visited.
        let mut frames: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (node, ref mut next)) = frames.last_mut() {
            if *next == 0 && !index.contains_key(&node) {
                let i = index.len();
                index.insert(node, (i, i));
                stack.push(node);
                on_stack.insert(node);
            }
            let successors = graph.get(&node).unwrap_or(&no_edges);
            if let Some(&succ) = successors.get(*next) {
                *next += 1;
                match index.get(&succ) {
                    None => frames.push((succ, 0)),
                    Some(&(si, _)) if on_stack.contains(&succ) => {
                        let entry = index.get_mut(&node).expect("visited");
                        entry.1 = entry.1.min(si);
                    }
                    Some(_) => {}
                }
                continue;
            }
            frames.pop();
            let (ni, nl) = index[&node];
            if let Some(&(parent, _)) = frames.last() {
                let entry = index.get_mut(&parent).expect("visited");
                entry.1 = entry.1.min(nl);
            }
            if ni == nl {
                let mut component = Vec::new();
                while let Some(m) = stack.pop() {
                    on_stack.remove(&m);
                    component.push(m);
                    if m == node {
                        break;
                    }
                }
                out.push(component);
            }
        }
    }
    out
}

/// The shortest cycle through `start` inside `members` (breadth-first), as the pages in
/// order, `start` first.
fn cycle_through(
    graph: &BTreeMap<usize, Vec<usize>>,
    members: &BTreeSet<usize>,
    start: usize,
) -> Vec<usize> {
    let mut came_from: HashMap<usize, usize> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for &succ in graph.get(&node).into_iter().flatten() {
            if !members.contains(&succ) || came_from.contains_key(&succ) {
                continue;
            }
            came_from.insert(succ, node);
            if succ == start {
                let mut path = vec![node];
                while let Some(&prev) = came_from.get(path.last().expect("not empty")) {
                    if prev == start {
                        break;
                    }
                    path.push(prev);
                }
                path.push(start);
                path.reverse();
                return path;
            }
            queue.push_back(succ);
        }
    }
    vec![start]
}

/// Reports every loop of three or more documents each replacing or amending the next: no
/// order of issue can make it true, and left alone it marks every member as no longer in
/// force. (Loops of two are the contradictions [`check_edge`] reports.)
fn check_cycles(
    tree: &ContentTree,
    edges: &BTreeMap<(RelKind, usize, usize), Declarations>,
    diagnostics: &mut Diagnostics,
) {
    let mut graph: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &(kind, source, target) in edges.keys() {
        if kind.supersedes() {
            graph.entry(source).or_default().push(target);
            graph.entry(target).or_default();
        }
    }
    for list in graph.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    let mut cycles: Vec<Vec<usize>> = components(&graph)
        .into_iter()
        .filter(|c| c.len() >= 3)
        .map(|c| {
            let members: BTreeSet<usize> = c.into_iter().collect();
            let start = *members.first().expect("not empty");
            cycle_through(&graph, &members, start)
        })
        .collect();
    cycles.sort();
    for cycle in cycles {
        let (from, to) = (cycle[0], cycle[1 % cycle.len()]);
        let Some((_, declared)) = edges
            .iter()
            .find(|((k, s, t), _)| k.supersedes() && *s == from && *t == to)
        else {
            continue;
        };
        let (page, key) = declared[0];
        let mut names: Vec<String> = cycle.iter().map(|&p| name(tree, p)).collect();
        names.push(name(tree, from));
        let files: Vec<&str> = cycle
            .iter()
            .map(|&p| tree.pages[p].source.path.as_str())
            .collect();
        diagnostics.push(
            Diagnostic::error(
                location(tree, page, key),
                format!(
                    "quan hệ thay thế/sửa đổi thành vòng tròn ({} văn bản): {}",
                    cycle.len(),
                    names.join(" → ")
                ),
            )
            .with_hint(format!(
                "chỉ văn bản mới hơn mới thay thế hoặc sửa đổi văn bản cũ hơn: bỏ quan hệ sai ở một trong các tệp {}",
                files.join(", ")
            )),
        );
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(usize, usize)]) -> BTreeMap<usize, Vec<usize>> {
        let mut g: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &(a, b) in edges {
            g.entry(a).or_default().push(b);
            g.entry(b).or_default();
        }
        g
    }

    fn sorted(mut c: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
        for x in &mut c {
            x.sort_unstable();
        }
        c.sort();
        c
    }

    #[test]
    fn components_find_loops_of_any_length() {
        let g = graph(&[(1, 2), (2, 3), (3, 1), (3, 4), (4, 5), (5, 4), (6, 7)]);
        assert_eq!(
            sorted(components(&g)),
            [vec![1, 2, 3], vec![4, 5], vec![6], vec![7]]
        );
        let members: BTreeSet<usize> = [1, 2, 3].into();
        assert_eq!(cycle_through(&g, &members, 1), [1, 2, 3]);
    }

    #[test]
    fn a_long_chain_does_not_exhaust_the_stack() {
        let n = 50_000;
        let mut edges: Vec<(usize, usize)> = (0..n).map(|i| (i, i + 1)).collect();
        edges.push((n, 0));
        let g = graph(&edges);
        let c = components(&g);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].len(), n + 1);
        let members: BTreeSet<usize> = c[0].iter().copied().collect();
        assert_eq!(cycle_through(&g, &members, 0).len(), n + 1);
    }
}
