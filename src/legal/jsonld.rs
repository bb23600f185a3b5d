//! schema.org structured data (JSON-LD): `Legislation` for documents, `FAQPage` for FAQ
//! pages, `DefinedTerm` for glossary terms, `BreadcrumbList` everywhere, `WebSite` with a
//! search action on the home page.
//!
//! Search engines show these as rich results (a question's answer, a law's status), which is
//! how many citizens first meet the site. The output is escaped for a `<script>` element.

use super::faq::Question;
use super::relations::RelKind;
use super::LegalIndex;
use crate::config::SiteConfig;
use crate::content::{ContentTree, Page};
use crate::render::context::json_for_script;
use serde_json::{json, Value};

/// The search page's URL template, as the `SearchAction` announces it.
const SEARCH_PATH: &str = "/tim-kiem/?q={search_term_string}";

/// A `BreadcrumbList` from `(title, site path)` pairs.
pub(super) fn breadcrumbs(config: &SiteConfig, trail: &[(String, String)]) -> Value {
    let items: Vec<Value> = trail
        .iter()
        .enumerate()
        .map(|(i, (name, path))| {
            json!({
                "@type": "ListItem",
                "position": i + 1,
                "name": name,
                "item": config.permalink(path),
            })
        })
        .collect();
    json!({"@type": "BreadcrumbList", "itemListElement": items})
}

/// The `WebSite` node, with a `SearchAction` pointing at the search page.
pub(super) fn website(config: &SiteConfig) -> Value {
    json!({
        "@type": "WebSite",
        "name": config.title,
        "description": config.description,
        "url": config.permalink("/"),
        "inLanguage": config.language,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": config.permalink(SEARCH_PATH),
            },
            "query-input": "required name=search_term_string",
        },
    })
}

/// A short reference to another document, for `legislationChanges`, `legislationAmends`
/// and `isBasedOn`.
fn reference(config: &SiteConfig, tree: &ContentTree, page: Option<usize>, number: &str) -> Value {
    let mut v = json!({"@type": "Legislation", "legislationIdentifier": number});
    if let Some(p) = page {
        v["name"] = json!(tree.pages[p].meta.title);
        v["url"] = json!(config.permalink(&tree.pages[p].url));
    }
    v
}

/// The `Legislation` node of a document page.
pub(super) fn legislation(
    config: &SiteConfig,
    tree: &ContentTree,
    legal: &LegalIndex,
    page: usize,
) -> Option<Value> {
    let p = &tree.pages[page];
    let meta = p.meta.document.as_ref()?;
    let doc = legal.document(page)?;
    let mut v = json!({
        "@type": "Legislation",
        "name": p.meta.title,
        "url": config.permalink(&p.url),
        "inLanguage": config.language,
        "legislationJurisdiction": {"@type": "Country", "name": "Việt Nam"},
    });
    let mut set = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            v[key] = value;
        }
    };
    set("description", p.meta.description.clone().map(Value::from));
    set(
        "legislationIdentifier",
        meta.number.clone().map(Value::from),
    );
    set("legislationType", meta.doc_type.clone().map(Value::from));
    set(
        "legislationDate",
        meta.issued
            .map(|d| Value::from(crate::fields::format_date(d))),
    );
    set(
        "legislationDateOfApplicability",
        meta.effective
            .map(|d| Value::from(crate::fields::format_date(d))),
    );
    set(
        "legislationPassedBy",
        meta.issuer
            .clone()
            .map(|name| json!({"@type": "Organization", "name": name})),
    );
    set(
        "legislationLegalForce",
        doc.status.code.schema_org().map(Value::from),
    );
    set("sameAs", meta.source_url.clone().map(Value::from));
    // What this document replaces or amends counts as changed only once it is in force: a
    // law passed but not yet effective has changed nothing yet.
    let changes_made = super::amendments::in_effect(tree, legal, page);
    let refs = |kinds: &[RelKind]| -> Option<Value> {
        let list: Vec<Value> = doc
            .relations
            .iter()
            .filter(|r| r.active && kinds.contains(&r.kind))
            .filter(|r| changes_made || !r.kind.supersedes())
            .map(|r| reference(config, tree, r.page, &r.number))
            .collect();
        (!list.is_empty()).then_some(Value::Array(list))
    };
    set(
        "legislationChanges",
        refs(&[RelKind::Replace, RelKind::Amend]),
    );
    set("legislationAmends", refs(&[RelKind::Amend]));
    set("isBasedOn", refs(&[RelKind::Implement, RelKind::Guide]));
    Some(v)
}

/// The `DefinedTerm` node of a glossary page, in the set its section is.
pub(super) fn defined_term(config: &SiteConfig, page: &Page, section: Option<&str>) -> Value {
    let mut v = json!({
        "@type": "DefinedTerm",
        "name": page.meta.title,
        "description": page.meta.description,
        "url": config.permalink(&page.url),
        "inLanguage": config.language,
    });
    if !page.meta.forms.is_empty() {
        v["alternateName"] = json!(page.meta.forms);
    }
    if let Some(url) = section {
        v["inDefinedTermSet"] = json!(config.permalink(url));
    }
    v
}

/// The `FAQPage` node of an FAQ page.
pub(super) fn faq_page(questions: &[Question]) -> Value {
    let entities: Vec<Value> = questions
        .iter()
        .map(|q| {
            json!({
                "@type": "Question",
                "name": q.question,
                "acceptedAnswer": {"@type": "Answer", "text": q.answer},
            })
        })
        .collect();
    json!({"@type": "FAQPage", "mainEntity": entities})
}

/// The whole JSON-LD block, escaped for a `<script type="application/ld+json">`.
pub(super) fn script(nodes: Vec<Value>) -> String {
    json_for_script(&json!({"@context": "https://schema.org", "@graph": nodes}))
}
