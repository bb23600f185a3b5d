//! Template contexts: what a template sees, as JSON.
//!
//! The names here are the theme's contract (documented in ARCHITECTURE.md). Every URL in a
//! context already carries the site's base path, so templates never build URLs themselves.

use super::Reads;
use crate::config::SiteConfig;
use crate::content::{ContentTree, Page};
use crate::fields::format_date;
use crate::frontmatter::Kind;
use crate::markdown::{Rendered, TocEntry};
use serde_json::{json, Value};

/// What every template sees.
pub struct Globals<'a> {
    /// Site configuration.
    pub config: &'a SiteConfig,
    /// The site-wide part of every context, computed once: serializing the configuration
    /// for each of ten thousand pages cost more than rendering some of them.
    site: serde_json::Map<String, Value>,
}

impl<'a> Globals<'a> {
    /// The globals of a build on `today`, with static asset name → hashed URL.
    pub fn new(
        config: &'a SiteConfig,
        today: time::Date,
        assets: &serde_json::Map<String, Value>,
    ) -> Self {
        let mut config_value = serde_json::to_value(config).unwrap_or(Value::Null);
        if let Some(menu) = config_value.get_mut("menu").and_then(Value::as_array_mut) {
            for item in menu {
                if let Some(url) = item.get("url").and_then(Value::as_str) {
                    let full = if url.starts_with('/') {
                        config.url(url)
                    } else {
                        url.to_owned()
                    };
                    item["url"] = Value::String(full);
                }
            }
        }
        let mut site = serde_json::Map::new();
        site.insert("config".into(), config_value);
        site.insert("today".into(), Value::String(format_date(today)));
        site.insert("assets".into(), Value::Object(assets.clone()));
        Self { config, site }
    }

    /// The base context, to which page data is added.
    pub fn base(&self, current_path: &str) -> Value {
        self.base_for(current_path, &Reads::everything())
    }

    /// [`Globals::base`] with only what a template that `reads` so can read (the site's
    /// configuration is copied into every page's context otherwise).
    pub fn base_for(&self, current_path: &str, reads: &Reads) -> Value {
        let mut ctx = serde_json::Map::new();
        for (k, v) in &self.site {
            if reads.has(k) {
                ctx.insert(k.clone(), v.clone());
            }
        }
        if reads.has("current_path") {
            ctx.insert(
                "current_path".into(),
                Value::String(current_path.to_owned()),
            );
        }
        if reads.has("current_url") {
            ctx.insert(
                "current_url".into(),
                Value::String(self.config.url(current_path)),
            );
        }
        Value::Object(ctx)
    }
}

/// Cuts plain text to about `max` characters at a word boundary.
pub fn truncate_words(text: &str, max: usize) -> String {
    // Byte offset of the first character past `max`, without counting a long text to its end.
    let Some((end, _)) = text.char_indices().nth(max) else {
        return text.to_owned();
    };
    let cut = &text[..end];
    let cut = cut.rsplit_once(' ').map_or(cut, |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

/// A short description of a page for listings.
pub fn summary(config: &SiteConfig, page: &Page, extra: Option<&Value>) -> Value {
    let mut v = json!({
        "title": page.meta.title,
        "url": config.url(&page.url),
        "path": page.url,
        "description": page.meta.description,
        "date": page.meta.date.map(format_date),
        "updated": page.meta.updated.map(format_date),
        "kind": page.meta.kind,
        "weight": page.meta.weight,
    });
    if let (Some(obj), Some(Value::Object(extra))) = (v.as_object_mut(), extra) {
        for (k, val) in extra {
            obj.insert(k.clone(), val.clone());
        }
    }
    v
}

/// Breadcrumbs from the home page to the page itself.
pub fn breadcrumbs(config: &SiteConfig, tree: &ContentTree, index: usize) -> Vec<Value> {
    let mut chain = tree.ancestors(index);
    chain.push(index);
    chain
        .into_iter()
        .map(|i| json!({"title": tree.pages[i].meta.title, "url": config.url(&tree.pages[i].url)}))
        .collect()
}

fn toc_value(toc: &[TocEntry]) -> Value {
    serde_json::to_value(toc).unwrap_or(Value::Array(Vec::new()))
}

/// The template to use for a page.
pub fn template_for(page: &Page) -> String {
    if let Some(t) = &page.meta.template {
        return t.clone();
    }
    if page.url == "/" {
        return "index.html".into();
    }
    if page.is_section {
        return "section.html".into();
    }
    match page.meta.kind {
        Kind::Document => "document.html",
        Kind::Faq => "faq.html",
        Kind::News => "news.html",
        Kind::Page => "page.html",
        Kind::Glossary => "glossary.html",
    }
    .into()
}

/// Escapes JSON for an HTML `<script type="application/ld+json">` block.
pub fn json_for_script(value: &Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// What [`page_value`] reads besides the page itself.
pub struct PageEnv<'a> {
    /// Site configuration.
    pub config: &'a SiteConfig,
    /// The content tree.
    pub tree: &'a ContentTree,
    /// [`summary`] of every page, by index.
    pub summaries: &'a [Value],
    /// The fields the page's template can read; the others are left out.
    pub reads: &'a Reads,
}

/// The `page` object of a page's context; `content` is the page's Markdown HTML. `extra`
/// adds (or overrides) keys, which is how the legal model and listings contribute without
/// this module knowing them. Fields the template cannot read are left out.
pub fn page_value(
    env: &PageEnv<'_>,
    index: usize,
    rendered: &Rendered,
    content: String,
    extra: Value,
) -> Value {
    let PageEnv {
        config,
        tree,
        summaries,
        reads,
    } = *env;
    let page = &tree.pages[index];
    let mut obj = serde_json::Map::new();
    // Each field only if the template can read it: building a value costs allocations.
    let mut put = |name: &str, value: &dyn Fn() -> Value| {
        if reads.has(name) {
            obj.insert(name.to_owned(), value());
        }
    };
    let summary_text = || {
        rendered
            .sections
            .iter()
            .find(|s| !s.text.is_empty())
            .map(|s| truncate_words(&s.text, 200))
            .unwrap_or_default()
    };
    put("title", &|| json!(page.meta.title));
    put("description", &|| {
        json!(page.meta.description.clone().unwrap_or_else(summary_text))
    });
    put("url", &|| json!(config.url(&page.url)));
    put("path", &|| json!(page.url));
    put("permalink", &|| json!(config.permalink(&page.url)));
    put("kind", &|| json!(page.meta.kind));
    put("is_section", &|| json!(page.is_section));
    put("date", &|| json!(page.meta.date.map(format_date)));
    put("updated", &|| json!(page.meta.updated.map(format_date)));
    put("author", &|| json!(page.meta.author));
    put("draft", &|| json!(page.meta.draft));
    put("summary", &|| json!(summary_text()));
    put("source_path", &|| json!(page.source.path));
    put("topics", &|| {
        page.meta
            .topics
            .iter()
            .map(|t| json!({"title": t, "url": config.url(&format!("/chu-de/{}/", crate::text::slug(t)))}))
            .collect()
    });
    put("toc", &|| toc_value(&rendered.toc));
    put("breadcrumbs", &|| {
        Value::Array(breadcrumbs(config, tree, index))
    });
    let listed =
        |children: &[usize]| Value::Array(children.iter().map(|&i| summaries[i].clone()).collect());
    put("pages", &|| listed(&page.pages));
    put("subsections", &|| listed(&page.subsections));
    if reads.has("content") {
        obj.insert("content".into(), Value::String(content));
    }
    if let Value::Object(extra) = extra {
        for (k, val) in extra {
            obj.insert(k, val);
        }
    }
    Value::Object(obj)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_cuts_at_words() {
        assert_eq!(truncate_words("một hai ba", 20), "một hai ba");
        assert_eq!(truncate_words("một hai, ba bốn", 9), "một hai…");
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        let s = json_for_script(&json!({"a": "</script><b>"}));
        assert!(!s.contains("</script"));
        assert!(s.contains("\\u003c/script\\u003e"));
    }
}
