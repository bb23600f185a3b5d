//! What the legal model adds to a page's template context: `document` (metadata, status
//! banner, relations, amendments), `cited_by`, `faq`, `topic_members`, `listing_links`,
//! `term` on glossary pages and `glossary_terms` on their section, a structural `toc` for
//! documents, and `jsonld` for every page.

use super::amendments::{self, Amendment};
use super::listings::{DOCUMENTS_INDEX_PATH, FAQ_INDEX_PATH, TIMELINE_PATH};
use super::{faq, jsonld, LegalIndex, StatusCode};
use crate::config::SiteConfig;
use crate::content::ContentTree;
use crate::fields::format_date;
use crate::frontmatter::Kind;
use crate::markdown::Rendered;
use crate::render::Reads;
use serde_json::{json, Map, Value};
use time::Date;

/// A group label and which page kinds it holds.
type KindGroup = (&'static str, fn(Kind) -> bool);

fn date_pair(date: Option<Date>) -> (Value, Value) {
    match date {
        Some(d) => (json!(super::vi_date(d)), json!(format_date(d))),
        None => (Value::Null, Value::Null),
    }
}

/// How a document is named in a sentence: "Luật số 80/2025/QH15", else its title.
pub(super) fn short_name(tree: &ContentTree, legal: &LegalIndex, page: usize) -> String {
    let p = &tree.pages[page];
    let doc = p.meta.document.as_ref();
    let number = legal.document(page).and_then(|d| d.number_display.clone());
    match (doc.and_then(|d| d.doc_type.as_deref()), number) {
        (Some(t), Some(n)) => format!("{t} số {n}"),
        (None, Some(n)) => n,
        _ => p.meta.title.clone(),
    }
}

/// `{code, label}` of a document's status.
pub(super) fn status_brief(legal: &LegalIndex, page: usize) -> Value {
    legal.document(page).map_or(
        Value::Null,
        |d| json!({"code": d.status.code.code(), "label": d.status.code.label()}),
    )
}

/// A listing entry for a document: the page summary plus number, type, issuer, date, status.
pub(super) fn document_summary(
    config: &SiteConfig,
    tree: &ContentTree,
    legal: &LegalIndex,
    page: usize,
) -> Value {
    let p = &tree.pages[page];
    let meta = p.meta.document.as_ref();
    let (issued, issued_iso) = date_pair(meta.and_then(|d| d.issued));
    let extra = json!({
        "number": meta.and_then(|d| d.number.clone()),
        "number_display": legal.document(page).and_then(|d| d.number_display.clone()),
        "doc_type": meta.and_then(|d| d.doc_type.clone()),
        "issuer": meta.and_then(|d| d.issuer.clone()),
        "issued": issued,
        "issued_iso": issued_iso,
        "status": status_brief(legal, page),
    });
    crate::render::context::summary(config, p, Some(&extra))
}

fn status_value(config: &SiteConfig, tree: &ContentTree, legal: &LegalIndex, page: usize) -> Value {
    let Some(doc) = legal.document(page) else {
        return Value::Null;
    };
    let s = &doc.status;
    let (since, since_iso) = date_pair(s.since);
    let text = match (s.code, s.since) {
        (StatusCode::NotInForce, Some(d)) => format!("Hết hiệu lực từ ngày {}", super::vi_date(d)),
        (StatusCode::NotYetInForce, Some(d)) => {
            format!(
                "Chưa có hiệu lực – có hiệu lực từ ngày {}",
                super::vi_date(d)
            )
        }
        (StatusCode::PartlyInForce, Some(d)) => {
            format!(
                "Còn hiệu lực một phần – có hiệu lực từ ngày {}",
                super::vi_date(d)
            )
        }
        (StatusCode::InForce, Some(d)) => {
            format!("Còn hiệu lực – có hiệu lực từ ngày {}", super::vi_date(d))
        }
        (code, _) => code.label().to_owned(),
    };
    let by = s.by.map_or(Value::Null, |b| {
        json!({
            "title": short_name(tree, legal, b),
            "url": config.url(&tree.pages[b].url),
            "number": legal.document(b).and_then(|d| d.number_display.clone()),
        })
    });
    json!({
        "code": s.code.code(),
        "label": s.code.label(),
        "text": text,
        "since": since,
        "since_iso": since_iso,
        "explicit": s.explicit,
        "note": tree.pages[page].meta.document.as_ref().and_then(|d| d.status_note.clone()),
        "by": by,
    })
}

fn relations_value(
    config: &SiteConfig,
    tree: &ContentTree,
    legal: &LegalIndex,
    page: usize,
) -> Value {
    let Some(doc) = legal.document(page) else {
        return json!([]);
    };
    let mut groups: Vec<(&'static str, Vec<Value>)> = Vec::new();
    for r in &doc.relations {
        let label = r.kind.label(r.active);
        let item = json!({
            "number": r.number,
            "title": r.page.map_or_else(|| r.number.clone(), |p| tree.pages[p].meta.title.clone()),
            "url": r.page.map(|p| config.url(&tree.pages[p].url)),
            "status": r.page.map_or(Value::Null, |p| status_brief(legal, p)),
        });
        match groups.last_mut() {
            Some((l, items)) if *l == label => items.push(item),
            _ => groups.push((label, vec![item])),
        }
    }
    Value::Array(
        groups
            .into_iter()
            .map(|(label, items)| json!({"label": label, "items": items}))
            .collect(),
    )
}

/// The `document` object of a document page.
fn document_value(
    config: &SiteConfig,
    tree: &ContentTree,
    legal: &LegalIndex,
    page: usize,
) -> Value {
    let Some(meta) = tree.pages[page].meta.document.as_ref() else {
        return Value::Null;
    };
    let (issued, issued_iso) = date_pair(meta.issued);
    let (effective, effective_iso) = date_pair(meta.effective);
    let (expires, expires_iso) = date_pair(meta.expires);
    let mut v = json!({
        "number": meta.number,
        "number_display": legal.document(page).and_then(|d| d.number_display.clone()),
        "doc_type": meta.doc_type,
        "issuer": meta.issuer,
        "signer": meta.signer,
        "issued": issued,
        "issued_iso": issued_iso,
        "effective": effective,
        "effective_iso": effective_iso,
        "expires": expires,
        "expires_iso": expires_iso,
        "status": status_value(config, tree, legal, page),
        "relations": relations_value(config, tree, legal, page),
        "source_url": meta.source_url,
    });
    if let Value::Object(fields) = &mut v {
        fields.extend(amendments_value(config, tree, legal, page));
    }
    v
}

/// When an amendment applies, as a reader is told it: "có hiệu lực từ ngày …" once applied,
/// "sửa đổi có hiệu lực từ …" while still coming.
fn amendment_when(a: &Amendment) -> Value {
    match (a.applied, a.effective, a.issued) {
        (true, Some(d), _) => json!(format!("có hiệu lực từ ngày {}", super::vi_date(d))),
        (true, None, Some(d)) => json!(format!("ban hành ngày {}", super::vi_date(d))),
        (false, Some(d), _) | (false, None, Some(d)) => {
            json!(format!("sửa đổi có hiệu lực từ {}", super::vi_date(d)))
        }
        (_, None, None) => Value::Null,
    }
}

/// `amended_by` (applied), `amended_by_coming`, `amends` and `amends_coming` of a document:
/// the other documents named with their number and linked when the site holds them.
fn amendments_value(
    config: &SiteConfig,
    tree: &ContentTree,
    legal: &LegalIndex,
    page: usize,
) -> Map<String, Value> {
    let all = amendments::of_document(tree, legal, page);
    let item = |a: &Amendment| {
        json!({
            "title": a.page.map_or_else(|| a.number.clone(), |p| short_name(tree, legal, p)),
            "url": a.page.map(|p| config.url(&tree.pages[p].url)),
            "when": amendment_when(a),
        })
    };
    let list = |items: &[Amendment], applied: bool| -> Value {
        items
            .iter()
            .filter(|a| a.applied == applied)
            .map(item)
            .collect()
    };
    let mut out = Map::new();
    out.insert("amended_by".into(), list(&all.by, true));
    out.insert("amended_by_coming".into(), list(&all.by, false));
    out.insert("amends".into(), list(&all.of, true));
    out.insert("amends_coming".into(), list(&all.of, false));
    out
}

/// What cites a document, grouped: FAQ answers (one entry per question), documents, pages.
fn cited_by_value(
    config: &SiteConfig,
    tree: &ContentTree,
    legal: &LegalIndex,
    page: usize,
) -> Value {
    let Some(sources) = legal.cited_by.get(&page) else {
        return json!([]);
    };
    let groups: [KindGroup; 3] = [
        ("Hỏi – đáp", |k| k == Kind::Faq),
        ("Văn bản", |k| k == Kind::Document),
        ("Trang", |k| k != Kind::Faq && k != Kind::Document),
    ];
    let mut out = Vec::new();
    for (label, wanted) in groups {
        let mut items: Vec<Value> = Vec::new();
        let mut seen_pages = std::collections::HashSet::new();
        for s in sources {
            let p = &tree.pages[s.page];
            if !wanted(p.meta.kind) {
                continue;
            }
            let is_faq = p.meta.kind == Kind::Faq && s.heading.is_some();
            if !is_faq && !seen_pages.insert(s.page) {
                continue;
            }
            let url = match &s.anchor {
                Some(a) => config.url(&format!("{}#{a}", p.url)),
                None => config.url(&p.url),
            };
            let title = if is_faq {
                s.heading.clone().unwrap_or_default()
            } else {
                p.meta.title.clone()
            };
            items.push(json!({"title": title, "url": url, "page_title": p.meta.title}));
        }
        if !items.is_empty() {
            out.push(json!({"label": label, "items": items}));
        }
    }
    Value::Array(out)
}

/// `(title, site path)` from the home page down to the page.
fn trail(tree: &ContentTree, page: usize) -> Vec<(String, String)> {
    let mut chain = tree.ancestors(page);
    chain.push(page);
    chain
        .into_iter()
        .map(|i| (tree.pages[i].meta.title.clone(), tree.pages[i].url.clone()))
        .collect()
}

/// Links from a section to the listings about its children (facets, timeline, FAQ index).
fn listing_links(config: &SiteConfig, tree: &ContentTree, page: usize) -> Value {
    let p = &tree.pages[page];
    let has = |kind: Kind| p.pages.iter().any(|&c| tree.pages[c].meta.kind == kind);
    let mut links = Vec::new();
    if has(Kind::Document) {
        links.push(json!({"title": "Tra cứu văn bản theo loại, cơ quan, năm, hiệu lực", "url": config.url(DOCUMENTS_INDEX_PATH)}));
        links.push(json!({"title": "Dòng thời gian văn bản", "url": config.url(TIMELINE_PATH)}));
    }
    if has(Kind::Faq) {
        links.push(json!({"title": "Câu hỏi theo chủ đề", "url": config.url(FAQ_INDEX_PATH)}));
    }
    Value::Array(links)
}

/// The glossary terms among a section's children, in Vietnamese alphabetical order, with
/// their definitions: a glossary section lists them all on one page.
fn glossary_terms(
    config: &SiteConfig,
    tree: &ContentTree,
    legal: &LegalIndex,
    section: usize,
) -> Vec<Value> {
    let children = &tree.pages[section].pages;
    legal
        .glossary
        .terms()
        .iter()
        .filter(|t| children.contains(&t.page))
        .map(|t| {
            json!({
                "title": t.title,
                "url": config.url(&t.url),
                "definition": t.definition,
                "forms": t.forms,
            })
        })
        .collect()
}

/// Members of the topic a page at `/chu-de/<slug>/` is about, grouped by kind.
pub(super) fn topic_groups(
    config: &SiteConfig,
    tree: &ContentTree,
    legal: &LegalIndex,
    members: &[usize],
) -> (Vec<Value>, Vec<Value>) {
    let summary = |i: usize| {
        if tree.pages[i].meta.kind == Kind::Document {
            document_summary(config, tree, legal, i)
        } else {
            crate::render::context::summary(config, &tree.pages[i], None)
        }
    };
    let flat: Vec<Value> = members.iter().map(|&i| summary(i)).collect();
    let groups: [KindGroup; 3] = [
        ("Hỏi – đáp", |k| k == Kind::Faq),
        ("Văn bản", |k| k == Kind::Document),
        ("Bài viết", |k| k != Kind::Faq && k != Kind::Document),
    ];
    let grouped = groups
        .into_iter()
        .filter_map(|(label, wanted)| {
            let items: Vec<Value> = members
                .iter()
                .filter(|&&i| wanted(tree.pages[i].meta.kind))
                .map(|&i| summary(i))
                .collect();
            (!items.is_empty()).then(|| json!({"label": label, "items": items}))
        })
        .collect();
    (flat, grouped)
}

/// The legal model's part of a page's context, for the fields `reads` allows (each costs
/// lookups across the site, and JSON-LD a serialization per page).
pub fn page_extra(
    tree: &ContentTree,
    legal: &LegalIndex,
    config: &SiteConfig,
    index: usize,
    rendered: &Rendered,
    reads: &Reads,
) -> Value {
    let page = &tree.pages[index];
    let mut extra = Map::new();
    let jsonld = reads.has("jsonld");
    let mut nodes = Vec::new();
    if jsonld {
        nodes.push(jsonld::breadcrumbs(config, &trail(tree, index)));
        if page.url == "/" {
            nodes.push(jsonld::website(config));
        }
    }
    if legal.document(index).is_some() {
        if reads.has("document") {
            extra.insert(
                "document".into(),
                document_value(config, tree, legal, index),
            );
        }
        if reads.has("cited_by") {
            extra.insert(
                "cited_by".into(),
                cited_by_value(config, tree, legal, index),
            );
        }
        if reads.has("toc") {
            let toc = super::structural_toc(&rendered.toc);
            extra.insert("toc".into(), serde_json::to_value(toc).unwrap_or_default());
        }
        if jsonld {
            nodes.extend(jsonld::legislation(config, tree, legal, index));
        }
    }
    if page.meta.kind == Kind::Faq && !page.is_section && (jsonld || reads.has("faq")) {
        let questions = faq::questions(rendered);
        if reads.has("faq") {
            let list: Vec<Value> = questions
                .iter()
                .map(|q| {
                    json!({
                        "question": q.question,
                        "anchor": q.anchor,
                        "url": config.url(&format!("{}#{}", page.url, q.anchor)),
                    })
                })
                .collect();
            extra.insert("faq".into(), json!({"questions": list}));
        }
        if jsonld && !questions.is_empty() {
            nodes.push(jsonld::faq_page(&questions));
        }
    }
    let topics = reads.has("topic_members") || reads.has("topic_groups");
    if let Some(members) = super::listings::topic_slug(&page.url)
        .and_then(|s| legal.topics.get(s))
        .filter(|_| topics)
    {
        let members: Vec<usize> = members.1.iter().copied().filter(|&m| m != index).collect();
        let (flat, grouped) = topic_groups(config, tree, legal, &members);
        extra.insert("topic_members".into(), Value::Array(flat));
        extra.insert("topic_groups".into(), Value::Array(grouped));
    }
    if page.meta.kind == Kind::Glossary && !page.is_section && (jsonld || reads.has("term")) {
        let forms = &page.meta.forms;
        if reads.has("term") {
            let term = json!({"definition": page.meta.description, "forms": forms});
            extra.insert("term".into(), term);
        }
        if jsonld {
            let parent = page.parent.map(|p| tree.pages[p].url.as_str());
            nodes.push(jsonld::defined_term(config, page, parent));
        }
    }
    if page.is_section && reads.has("glossary_terms") {
        let terms = glossary_terms(config, tree, legal, index);
        if !terms.is_empty() {
            extra.insert("glossary_terms".into(), Value::Array(terms));
        }
    }
    if page.is_section && reads.has("listing_links") {
        let links = listing_links(config, tree, index);
        if links.as_array().is_some_and(|l| !l.is_empty()) {
            extra.insert("listing_links".into(), links);
        }
    }
    if jsonld {
        extra.insert("jsonld".into(), Value::String(jsonld::script(nodes)));
    }
    Value::Object(extra)
}
