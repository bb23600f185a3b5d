//! Listing pages the build generates: the documents index with one static page per facet
//! value (type, issuer, year, status), a timeline, topic pages for topics without their own
//! page, and the FAQ index by topic.
//!
//! Facets are plain pages rather than a filtering script so that they work on any phone,
//! without JavaScript, and can be bookmarked and shared.

use super::pages::{document_summary, topic_groups};
use super::{jsonld, LegalIndex, StatusCode};
use crate::config::SiteConfig;
use crate::content::{ContentTree, GeneratedPage};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

/// The documents index with links to every facet.
pub(super) const DOCUMENTS_INDEX_PATH: &str = "/van-ban/tra-cuu/";
/// Documents by issue date.
pub(super) const TIMELINE_PATH: &str = "/van-ban/dong-thoi-gian/";
/// FAQ questions grouped by topic.
pub(super) const FAQ_INDEX_PATH: &str = "/hoi-dap/theo-chu-de/";
/// Where topic pages live: `/chu-de/<slug>/`.
const TOPIC_PREFIX: &str = "/chu-de/";

/// The topic slug of a topic page's URL (`/chu-de/giao-tiep-ung-xu/` → `giao-tiep-ung-xu`).
pub(super) fn topic_slug(url: &str) -> Option<&str> {
    let rest = url.strip_prefix(TOPIC_PREFIX)?.strip_suffix('/')?;
    (!rest.is_empty() && !rest.contains('/')).then_some(rest)
}

/// The URL of a topic's page.
pub(super) fn topic_path(title: &str) -> String {
    format!("{TOPIC_PREFIX}{}/", crate::text::slug(title))
}

/// One facet: its label, URL segment and how to read a document's value.
struct Facet {
    label: &'static str,
    segment: &'static str,
    title: fn(&str) -> String,
}

const FACETS: [Facet; 4] = [
    Facet {
        label: "Loại văn bản",
        segment: "loai",
        title: |v| format!("Loại văn bản: {v}"),
    },
    Facet {
        label: "Cơ quan ban hành",
        segment: "co-quan",
        title: |v| format!("Cơ quan ban hành: {v}"),
    },
    Facet {
        label: "Năm ban hành",
        segment: "nam",
        title: |v| format!("Văn bản ban hành năm {v}"),
    },
    Facet {
        label: "Hiệu lực",
        segment: "hieu-luc",
        title: |v| format!("Văn bản: {v}"),
    },
];

/// The value of facet `f` for a document, as shown.
fn facet_value(tree: &ContentTree, legal: &LegalIndex, f: usize, page: usize) -> Option<String> {
    let meta = tree.pages[page].meta.document.as_ref()?;
    match f {
        0 => meta.doc_type.clone(),
        1 => meta.issuer.clone(),
        2 => meta.issued.map(|d| d.year().to_string()),
        _ => legal
            .document(page)
            .map(|d| d.status.code.label().to_owned()),
    }
}

/// A facet value's page: the shown value, its path, and its documents.
struct FacetPage {
    value: String,
    path: String,
    docs: Vec<usize>,
}

fn facet_pages(tree: &ContentTree, legal: &LegalIndex, docs: &[usize]) -> Vec<Vec<FacetPage>> {
    (0..FACETS.len())
        .map(|f| {
            let mut by_slug: BTreeMap<String, FacetPage> = BTreeMap::new();
            for &d in docs {
                let Some(value) = facet_value(tree, legal, f, d) else {
                    continue;
                };
                let slug = crate::text::slug(&value);
                if slug.is_empty() {
                    continue;
                }
                by_slug
                    .entry(slug.clone())
                    .or_insert_with(|| FacetPage {
                        value,
                        path: format!("/van-ban/{}/{slug}/", FACETS[f].segment),
                        docs: Vec::new(),
                    })
                    .docs
                    .push(d);
            }
            let mut pages: Vec<FacetPage> = by_slug.into_values().collect();
            match f {
                2 => pages.sort_by(|a, b| b.value.cmp(&a.value)),
                3 => pages.sort_by_key(|p| {
                    StatusCode::ALL
                        .iter()
                        .position(|c| c.label() == p.value)
                        .unwrap_or(usize::MAX)
                }),
                _ => pages
                    .sort_by(|a, b| b.docs.len().cmp(&a.docs.len()).then(a.value.cmp(&b.value))),
            }
            pages
        })
        .collect()
}

/// Breadcrumb trail `(title, path)`: home, then the given content sections if the site has
/// them, then the generated pages given.
fn trail(
    tree: &ContentTree,
    sections: &[&str],
    tail: &[(String, String)],
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = tree
        .pages
        .first()
        .map(|home| (home.meta.title.clone(), "/".to_owned()))
        .into_iter()
        .collect();
    for s in sections {
        if let Some(&i) = tree.by_url.get(*s) {
            out.push((tree.pages[i].meta.title.clone(), (*s).to_owned()));
        }
    }
    out.extend(tail.iter().cloned());
    out
}

fn page(
    config: &SiteConfig,
    path: &str,
    template: &str,
    title: String,
    trail: Vec<(String, String)>,
    mut data: Value,
) -> GeneratedPage {
    let crumbs: Vec<Value> = trail
        .iter()
        .map(|(t, p)| json!({"title": t, "url": config.url(p)}))
        .collect();
    data["breadcrumbs"] = Value::Array(crumbs);
    data["jsonld"] = Value::String(jsonld::script(vec![jsonld::breadcrumbs(config, &trail)]));
    GeneratedPage {
        path: path.to_owned(),
        template: template.to_owned(),
        title,
        data,
    }
}

/// Pages the legal model adds: documents index and facets, timeline, topics, FAQ index.
/// None is generated where a content page already has the URL.
pub fn generated_pages(
    tree: &ContentTree,
    legal: &LegalIndex,
    config: &SiteConfig,
) -> Vec<GeneratedPage> {
    let mut out = Vec::new();
    let mut docs: Vec<usize> = legal.documents.keys().copied().collect();
    let issued = |p: usize| tree.pages[p].meta.document.as_ref().and_then(|d| d.issued);
    docs.sort_by(|&a, &b| {
        issued(b)
            .cmp(&issued(a))
            .then(tree.pages[a].meta.title.cmp(&tree.pages[b].meta.title))
            .then(a.cmp(&b))
    });
    // Every document is listed several times (the index, one page per facet, the
    // timeline): summarize each once, on both cores.
    let summaries: HashMap<usize, Value> = {
        use rayon::prelude::*;
        docs.par_iter()
            .map(|&d| (d, document_summary(config, tree, legal, d)))
            .collect()
    };
    let summary = |d: &usize| summaries[d].clone();
    if !docs.is_empty() {
        let facets = facet_pages(tree, legal, &docs);
        let facet_links = |current: Option<&str>| -> Value {
            Value::Array(
                FACETS
                    .iter()
                    .zip(&facets)
                    .map(|(f, pages)| {
                        let items: Vec<Value> = pages
                            .iter()
                            .map(|p| json!({"title": p.value, "url": config.url(&p.path), "count": p.docs.len(), "current": current == Some(p.path.as_str())}))
                            .collect();
                        json!({"label": f.label, "items": items})
                    })
                    .collect(),
            )
        };
        let index_title = "Tra cứu văn bản".to_owned();
        let index_crumb = (index_title.clone(), DOCUMENTS_INDEX_PATH.to_owned());
        out.push(page(
            config,
            DOCUMENTS_INDEX_PATH,
            "documents.html",
            index_title,
            trail(tree, &["/van-ban/"], std::slice::from_ref(&index_crumb)),
            json!({"documents": docs.iter().map(summary).collect::<Vec<_>>(), "facets": facet_links(None), "facet": null}),
        ));
        for (f, pages) in FACETS.iter().zip(&facets) {
            for p in pages {
                let title = (f.title)(&p.value);
                out.push(page(
                    config,
                    &p.path,
                    "documents.html",
                    title.clone(),
                    trail(
                        tree,
                        &["/van-ban/"],
                        &[index_crumb.clone(), (title, p.path.clone())],
                    ),
                    json!({
                        "documents": p.docs.iter().map(summary).collect::<Vec<_>>(),
                        "facets": facet_links(Some(&p.path)),
                        "facet": {"label": f.label, "value": p.value},
                    }),
                ));
            }
        }
        out.push(timeline(config, tree, &docs, &summary));
    }
    for (slug, (title, members)) in &legal.topics {
        let path = format!("{TOPIC_PREFIX}{slug}/");
        let (flat, grouped) = topic_groups(config, tree, legal, members);
        out.push(page(
            config,
            &path,
            "topic.html",
            title.clone(),
            trail(tree, &[TOPIC_PREFIX], &[(title.clone(), path.clone())]),
            json!({"topic_members": flat, "topic_groups": grouped}),
        ));
    }
    if let Some(p) = faq_index(config, tree, legal) {
        out.push(p);
    }
    out.retain(|g| !tree.by_url.contains_key(&g.path));
    out
}

fn timeline(
    config: &SiteConfig,
    tree: &ContentTree,
    docs: &[usize],
    summary: &dyn Fn(&usize) -> Value,
) -> GeneratedPage {
    let mut years: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    let mut undated = Vec::new();
    for &d in docs.iter().rev() {
        match tree.pages[d].meta.document.as_ref().and_then(|m| m.issued) {
            Some(date) => years.entry(date.year()).or_default().push(d),
            None => undated.push(d),
        }
    }
    let years: Vec<Value> = years
        .into_iter()
        .map(|(y, ds)| json!({"year": y, "documents": ds.iter().map(summary).collect::<Vec<_>>()}))
        .collect();
    let title = "Dòng thời gian văn bản".to_owned();
    page(
        config,
        TIMELINE_PATH,
        "timeline.html",
        title.clone(),
        trail(tree, &["/van-ban/"], &[(title, TIMELINE_PATH.to_owned())]),
        json!({
            "years": years,
            "undated": undated.iter().map(summary).collect::<Vec<_>>(),
        }),
    )
}

fn faq_index(config: &SiteConfig, tree: &ContentTree, legal: &LegalIndex) -> Option<GeneratedPage> {
    if legal.faq_questions.is_empty() {
        return None;
    }
    let mut topics: BTreeMap<String, (String, Vec<Value>)> = BTreeMap::new();
    let other = "Chủ đề khác".to_owned();
    for (page, questions) in &legal.faq_questions {
        let p = &tree.pages[*page];
        let titles: Vec<&String> = if p.meta.topics.is_empty() {
            vec![&other]
        } else {
            p.meta.topics.iter().collect()
        };
        for t in titles {
            let entry = topics
                .entry(crate::text::slug(t))
                .or_insert_with(|| (t.clone(), Vec::new()));
            for (question, anchor) in questions {
                entry.1.push(json!({
                    "question": question,
                    "url": config.url(&format!("{}#{anchor}", p.url)),
                    "page_title": p.meta.title,
                }));
            }
        }
    }
    let topics: Vec<Value> = topics
        .into_values()
        .map(|(title, questions)| {
            let url = (title != other).then(|| config.url(&topic_path(&title)));
            json!({"title": title, "url": url, "questions": questions})
        })
        .collect();
    let title = "Câu hỏi theo chủ đề".to_owned();
    Some(page(
        config,
        FAQ_INDEX_PATH,
        "faq_index.html",
        title.clone(),
        trail(tree, &["/hoi-dap/"], &[(title, FAQ_INDEX_PATH.to_owned())]),
        json!({"topics": topics}),
    ))
}

/// Topics of the site: slug → (title as first written, pages tagged with it), in tree order.
pub(super) fn collect_topics(tree: &ContentTree) -> BTreeMap<String, (String, Vec<usize>)> {
    let mut topics: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    for (i, p) in tree.pages.iter().enumerate() {
        for t in &p.meta.topics {
            let slug = crate::text::slug(t);
            if slug.is_empty() {
                continue;
            }
            let entry = topics
                .entry(slug)
                .or_insert_with(|| (t.clone(), Vec::new()));
            if entry.1.last() != Some(&i) {
                entry.1.push(i);
            }
        }
    }
    topics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_urls() {
        assert_eq!(
            topic_slug("/chu-de/giao-tiep-ung-xu/"),
            Some("giao-tiep-ung-xu")
        );
        assert_eq!(topic_slug("/chu-de/"), None);
        assert_eq!(topic_slug("/chu-de/a/b/"), None);
        assert_eq!(topic_path("Giao tiếp, ứng xử"), "/chu-de/giao-tiep-ung-xu/");
    }
}
