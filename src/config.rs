//! `site.yaml`: the site's configuration, validated.
//!
//! Unknown keys are errors with a "did you mean" hint, like front matter, because a typo in
//! configuration otherwise silently falls back to a default.

use crate::diagnostics::{Diagnostic, Location};
use crate::fields::Fields;
use crate::yaml::{self, Yaml};
use serde::Serialize;
use std::sync::Arc;

/// Keys accepted in `site.yaml`.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "organisation",
    "menu",
    "extra",
    "markdown",
];

/// One entry of the site's main navigation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MenuItem {
    /// Link text.
    pub title: String,
    /// Site path (`/van-ban/`), prefixed with the base path when rendered.
    pub url: String,
}

/// The validated site configuration.
#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    /// Site title.
    pub title: String,
    /// One-sentence description (meta description of the home page, feed subtitle).
    pub description: String,
    /// Absolute base URL without trailing slash (`https://example.vn/vanhoacongvu`).
    pub base_url: String,
    /// Path part of the base URL without trailing slash (`/vanhoacongvu`, or empty).
    pub base_path: String,
    /// Content language; only `vi` is supported.
    pub language: String,
    /// Theme folder name under `themes/`; `default` is also built into the binary.
    pub theme: String,
    /// Who maintains the site (shown in the footer and structured data).
    pub organisation: Option<String>,
    /// Main navigation.
    pub menu: Vec<MenuItem>,
    /// Free-form settings for the theme, passed to templates as `config.extra`.
    pub extra: serde_json::Value,
    /// `markdown: unsafe_html: true`: raw HTML and `javascript:` links in Markdown are
    /// written as they are, for a site whose every editor is trusted. Off by default: they
    /// are filtered (see [`crate::raw_html`]).
    #[serde(skip)]
    pub unsafe_html: bool,
}

impl SiteConfig {
    /// Replaces the base URL (from `--base-url`), keeping everything derived from it in step.
    pub fn set_base_url(&mut self, url: &str) {
        let (base_url, base_path) = split_base_url(url);
        self.base_url = base_url;
        self.base_path = base_path;
    }

    /// The absolute URL of a site path (`/van-ban/` → `https://…/vanhoacongvu/van-ban/`).
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// A site path with the base path in front, for links inside pages.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }
}

/// Splits a base URL into its normalized form and its path.
fn split_base_url(url: &str) -> (String, String) {
    let trimmed = url.trim().trim_end_matches('/');
    let after_scheme = trimmed.find("://").map_or(0, |i| i + 3);
    let path = trimmed[after_scheme..]
        .find('/')
        .map_or(String::new(), |i| trimmed[after_scheme + i..].to_owned());
    (trimmed.to_owned(), path)
}

fn yaml_to_json(value: &Yaml) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        Yaml::Null => J::Null,
        Yaml::Bool(b) => J::Bool(*b),
        Yaml::Int(i) => J::from(*i),
        Yaml::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Yaml::Str(s) => J::String(crate::text::nfc(s)),
        Yaml::List(items) => J::Array(items.iter().map(yaml_to_json).collect()),
        Yaml::Map(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), yaml_to_json(v)))
                .collect(),
        ),
    }
}

fn parse_menu(fields: &mut Fields<'_>) -> Vec<MenuItem> {
    let Some(raw) = fields.raw("menu") else {
        return Vec::new();
    };
    let mut items = Vec::new();
    let mut bad = false;
    if let Yaml::List(entries) = &raw {
        for entry in entries {
            let Yaml::Map(pairs) = entry else {
                bad = true;
                continue;
            };
            let get = |k: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| key == k)
                    .and_then(|(_, v)| match v {
                        Yaml::Str(s) => Some(crate::text::nfc(s)),
                        _ => None,
                    })
            };
            match (get("title"), get("url")) {
                (Some(title), Some(url)) if pairs.len() == 2 => items.push(MenuItem { title, url }),
                _ => bad = true,
            }
        }
    } else {
        bad = true;
    }
    if bad {
        fields.error(
            "menu",
            "khóa `menu` phải là danh sách các mục có đúng hai khóa `title` và `url`".into(),
            Some("ví dụ:\nmenu:\n  - title: \"Văn bản\"\n    url: \"/van-ban/\"".into()),
        );
    }
    items
}

/// The `markdown:` mapping: only `unsafe_html`, a boolean.
fn parse_markdown(fields: &mut Fields<'_>) -> bool {
    let Some(raw) = fields.raw("markdown") else {
        return false;
    };
    match &raw {
        Yaml::Map(pairs) if pairs.iter().all(|(k, _)| k == "unsafe_html") => {
            match pairs.first().map(|(_, v)| v) {
                None | Some(Yaml::Bool(false)) => return false,
                Some(Yaml::Bool(true)) => return true,
                Some(_) => {}
            }
        }
        _ => {}
    }
    fields.error(
        "markdown",
        "khóa `markdown` chỉ nhận `unsafe_html: true` hoặc `unsafe_html: false`".into(),
        Some("ví dụ:\nmarkdown:\n  unsafe_html: true".into()),
    );
    false
}

/// Parses and validates `site.yaml`. `path` is the file's path relative to the root.
pub fn parse(path: &str, text: &Arc<str>) -> Result<SiteConfig, Vec<Diagnostic>> {
    let entries = yaml::parse_mapping(text).map_err(|e| {
        let offset = crate::markdown::offset_of_line_col(text, e.line, e.column);
        let d = Diagnostic::error(
            Location::at_offset(path, text, offset..offset),
            format!("site.yaml không đúng cú pháp YAML: {}", e.message),
        );
        vec![match e.hint {
            Some(hint) => d.with_hint(hint),
            None => d,
        }]
    })?;
    let mut f = Fields::new(entries, path, text, 0);
    f.reject_unknown(KNOWN_KEYS, "site.yaml");
    let title = f.string("title");
    if title.is_none() && !f.has("title") {
        f.error(
            "title",
            "site.yaml thiếu khóa bắt buộc `title`".into(),
            None,
        );
    }
    let base_url = f.string("base_url").unwrap_or_else(|| "/".into());
    let language = f.string("language").unwrap_or_else(|| "vi".into());
    if language != "vi" {
        f.error(
            "language",
            format!("ngôn ngữ `{language}` chưa được hỗ trợ"),
            Some("sotay chỉ hỗ trợ `language: vi`".into()),
        );
    }
    let (base_url, base_path) = split_base_url(&base_url);
    let config = SiteConfig {
        title: title.unwrap_or_default(),
        description: f.string("description").unwrap_or_default(),
        base_url,
        base_path,
        language,
        theme: f.string("theme").unwrap_or_else(|| "default".into()),
        organisation: f.string("organisation"),
        menu: parse_menu(&mut f),
        extra: f
            .raw("extra")
            .as_ref()
            .map_or(serde_json::Value::Null, yaml_to_json),
        unsafe_html: parse_markdown(&mut f),
    };
    if f.diagnostics.is_empty() {
        Ok(config)
    } else {
        Err(f.diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        parse("site.yaml", &Arc::from(text))
    }

    #[test]
    fn base_path_comes_from_the_base_url() {
        let c = check("title: A\nbase_url: https://x.vn/vanhoacongvu/\n").unwrap();
        assert_eq!(c.base_path, "/vanhoacongvu");
        assert_eq!(c.url("/van-ban/"), "/vanhoacongvu/van-ban/");
        assert_eq!(c.permalink("/"), "https://x.vn/vanhoacongvu/");
    }

    #[test]
    fn raw_html_is_filtered_unless_the_site_opts_out() {
        assert!(!check("title: A\n").unwrap().unsafe_html);
        assert!(
            check("title: A\nmarkdown:\n  unsafe_html: true\n")
                .unwrap()
                .unsafe_html
        );
        assert!(
            !check("title: A\nmarkdown: {unsafe_html: false}\n")
                .unwrap()
                .unsafe_html
        );
        for bad in [
            "markdown: yes",
            "markdown: {unsafe_html: 1}",
            "markdown: {unsafe: true}",
        ] {
            let errs = check(&format!("title: A\n{bad}\n")).unwrap_err();
            assert!(errs[0].to_string().contains("site.yaml:2:1"), "{bad}");
        }
    }

    #[test]
    fn unknown_keys_get_a_hint() {
        let errs = check("title: A\nbase_ulr: x\n").unwrap_err();
        let msg = errs[0].to_string();
        assert!(msg.contains("site.yaml:2:1"), "{msg}");
        assert!(msg.contains("base_url"), "{msg}");
    }
}
