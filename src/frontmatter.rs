//! Front matter: the YAML block between `---` lines at the top of every Markdown file.
//!
//! Splitting and validating happen here, for every key of every page kind, so that an
//! unknown or misplaced key is caught in one place with one kind of message. The meaning of
//! the document keys (status, relations) belongs to `legal`; this module only checks shapes.

use crate::diagnostics::{Diagnostic, Location};
use crate::fields::Fields;
use crate::load::SourceFile;
use serde::Serialize;
use time::Date;

/// What a page is; later stages give `Document` and `Faq` their meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An ordinary page.
    #[default]
    Page,
    /// A dated news item (in the Atom feed).
    News,
    /// A legal document (số ký hiệu, status, relations).
    Document,
    /// Questions and answers: each `##` heading is a question.
    Faq,
    /// A glossary term: its title is the term, its description the definition, and its
    /// first use on every other page links to it.
    Glossary,
}

/// How a placeholder title starts (`sotay new` without `--title`): `check` warns about it.
pub const TITLE_PLACEHOLDER: &str = "TODO:";

const COMMON_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "weight",
    "slug",
    "aliases",
    "topics",
    "kind",
    "template",
    "author",
];

/// Relations between documents, each a list of document numbers.
pub const RELATION_KEYS: [&str; 6] = [
    "replaces",
    "replaced_by",
    "amends",
    "amended_by",
    "implements",
    "guides",
];

/// Keys that only `kind: document` pages may use.
pub const DOCUMENT_KEYS: &[&str] = &[
    "number",
    "doc_type",
    "issuer",
    "signer",
    "issued",
    "effective",
    "expires",
    RELATION_KEYS[0],
    RELATION_KEYS[1],
    RELATION_KEYS[2],
    RELATION_KEYS[3],
    RELATION_KEYS[4],
    RELATION_KEYS[5],
    "status",
    "status_note",
    "source_url",
];

/// Keys that only `kind: glossary` pages may use: other written forms of the term.
pub const GLOSSARY_KEYS: &[&str] = &["forms"];

/// Explicit status values a document may declare.
pub const STATUS_VALUES: &[&str] = &[
    "in_force",
    "not_in_force",
    "partly_in_force",
    "not_yet_in_force",
    "unknown",
];

/// The metadata of a legal document, as written (validated for shape only).
#[derive(Debug, Clone, Default)]
pub struct DocumentMeta {
    /// Số ký hiệu as written (`1847/QĐ-TTg`), when the document has one.
    pub number: Option<String>,
    /// Canonical form of `number`.
    pub canonical: Option<String>,
    /// Quyết định, Chỉ thị, Luật…
    pub doc_type: Option<String>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Signer.
    pub signer: Option<String>,
    /// Date of issue.
    pub issued: Option<Date>,
    /// Date it takes effect.
    pub effective: Option<Date>,
    /// Date it stops being in force, when fixed in advance.
    pub expires: Option<Date>,
    /// Relation lists: `(relation key, numbers as written)`.
    pub relations: Vec<(&'static str, Vec<String>)>,
    /// Explicit status override (one of [`STATUS_VALUES`]).
    pub status: Option<String>,
    /// Why the status is what it is.
    pub status_note: Option<String>,
    /// URL of the official text.
    pub source_url: Option<String>,
}

/// Validated front matter of one page.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// Title (required).
    pub title: String,
    /// Meta description; a warning when missing.
    pub description: Option<String>,
    /// Publication date.
    pub date: Option<Date>,
    /// Last review date.
    pub updated: Option<Date>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// Order inside a section (lower first).
    pub weight: i64,
    /// Replaces the file name in the URL.
    pub slug: Option<String>,
    /// Old URLs that must redirect here.
    pub aliases: Vec<String>,
    /// Topic titles.
    pub topics: Vec<String>,
    /// Page kind.
    pub kind: Kind,
    /// Template override.
    pub template: Option<String>,
    /// Author (news).
    pub author: Option<String>,
    /// Legal metadata, for `kind: document`.
    pub document: Option<DocumentMeta>,
    /// Other written forms of a glossary term (`kind: glossary`).
    pub forms: Vec<String>,
    /// Where each key was written, for later diagnostics (status, relations).
    pub locations: Vec<(String, Location)>,
}

impl FrontMatter {
    /// Where a key was written (falls back to the first line of the file).
    pub fn location(&self, key: &str) -> Option<&Location> {
        self.locations
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, l)| l)
    }
}

/// Splits a file into the YAML text's byte range and the body's start offset.
pub fn split(text: &str) -> Option<(std::ops::Range<usize>, usize)> {
    let rest = text.strip_prefix("---\n")?;
    let yaml_start = 4;
    if let Some(rest_after) = rest.strip_prefix("---") {
        if rest_after.is_empty() || rest_after.starts_with('\n') {
            let body = (yaml_start + 3 + 1).min(text.len());
            return Some((yaml_start..yaml_start, body));
        }
    }
    let mut search_from = 0;
    while let Some(i) = rest[search_from..].find("\n---") {
        let at = search_from + i;
        let after = &rest[at + 4..];
        if after.is_empty() || after.starts_with('\n') {
            let body_start = (yaml_start + at + 5).min(text.len());
            return Some((yaml_start..yaml_start + at + 1, body_start));
        }
        search_from = at + 4;
    }
    None
}

/// Parses and validates the front matter of a source file.
///
/// Returns the front matter (possibly partial) and the byte offset where the body starts,
/// plus every problem found; the caller decides whether errors drop the page.
pub fn parse(source: &SourceFile) -> (Option<(FrontMatter, usize)>, Vec<Diagnostic>) {
    let (parsed, mut diagnostics) = parse_front_matter(source);
    diagnostics.extend(control_warning(source));
    (parsed, diagnostics)
}

/// One warning per file holding stray control characters (see
/// [`crate::text::is_stray_control`]), at the first, with how many: a file of ten thousand
/// vertical tabs gets one line, not ten thousand. They are kept in the text (XML writers
/// and terminal printers make them harmless) because only the editor knows what was meant.
fn control_warning(source: &SourceFile) -> Option<Diagnostic> {
    let (offset, c, count) = crate::text::first_control(&source.text)?;
    let what = if c == '\u{b}' {
        "ký tự điều khiển U+000B (Word chèn khi bấm Shift+Enter)".to_owned()
    } else {
        format!("ký tự điều khiển U+{:04X}", u32::from(c))
    };
    let more = if count > 1 {
        format!(" (cả tệp có {count} ký tự điều khiển)")
    } else {
        String::new()
    };
    let location = Location::at_offset(&source.path, &source.text, offset..offset + c.len_utf8());
    Some(
        Diagnostic::warning(location, format!("tệp chứa {what}{more}"))
            .with_hint("xóa ký tự này; xuống dòng thì dùng một dòng trống hoặc dấu \\ cuối dòng"),
    )
}

fn parse_front_matter(source: &SourceFile) -> (Option<(FrontMatter, usize)>, Vec<Diagnostic>) {
    let text = &source.text;
    let Some((yaml_range, body_start)) = split(text) else {
        if text.starts_with("---\n") {
            let d = Diagnostic::error(
                Location::at_offset(&source.path, text, 0..3),
                "front matter mở bằng `---` ở đây nhưng không có dòng `---` đóng lại",
            )
            .with_hint("thêm một dòng chỉ có `---` sau khóa cuối cùng của front matter");
            return (None, vec![d]);
        }
        let d = Diagnostic::error(
            Location::at_offset(&source.path, text, 0..text.find('\n').unwrap_or(text.len())),
            "thiếu front matter: tệp phải bắt đầu bằng một khối YAML giữa hai dòng `---`",
        )
        .with_hint("thêm ở đầu tệp:\n---\ntitle: \"Tiêu đề\"\n---");
        return (None, vec![d]);
    };
    let entries = match crate::yaml::parse_mapping(&text[yaml_range.clone()]) {
        Ok(e) => e,
        Err(e) => {
            let yaml_text = &text[yaml_range.clone()];
            let offset =
                yaml_range.start + crate::markdown::offset_of_line_col(yaml_text, e.line, e.column);
            let mut d = Diagnostic::error(
                Location::at_offset(&source.path, text, offset..offset),
                format!("front matter không đúng cú pháp YAML: {}", e.message),
            );
            if let Some(hint) = e.hint {
                d = d.with_hint(hint);
            }
            return (None, vec![d]);
        }
    };
    let mut f = Fields::new(entries, &source.path, text, yaml_range.start);
    let mut all_keys: Vec<&str> = COMMON_KEYS.to_vec();
    all_keys.extend_from_slice(DOCUMENT_KEYS);
    all_keys.extend_from_slice(GLOSSARY_KEYS);
    f.reject_unknown(&all_keys, "front matter");

    let kind = match f.string("kind").as_deref() {
        None | Some("page") => Kind::Page,
        Some("news") => Kind::News,
        Some("document") => Kind::Document,
        Some("faq") => Kind::Faq,
        Some("glossary") => Kind::Glossary,
        Some(other) => {
            let kinds = ["page", "news", "document", "faq", "glossary"];
            let hint = crate::fields::suggest(other, &kinds).map_or(
                "dùng một trong: page, news, document, faq, glossary".to_owned(),
                |k| format!("có phải ý bạn là `{k}`?"),
            );
            f.error(
                "kind",
                format!("loại trang `{other}` không tồn tại"),
                Some(hint),
            );
            Kind::Page
        }
    };
    let title = f.string("title");
    if title.as_deref().is_none_or(|t| t.trim().is_empty()) && !f.has("title") {
        f.error(
            "title",
            "thiếu khóa bắt buộc `title`".into(),
            Some("thêm dòng title: \"Tiêu đề trang\"".into()),
        );
    }
    if let Some(t) = title
        .as_deref()
        .filter(|t| t.starts_with(TITLE_PLACEHOLDER))
    {
        f.diagnostics.push(
            Diagnostic::warning(f.location("title"), format!("tiêu đề `{t}` chưa được viết"))
                .with_hint("thay bằng tiêu đề thật của trang"),
        );
    }
    let mut fm = FrontMatter {
        title: title.unwrap_or_default(),
        // Empty counts as missing, so `description: ""` gets the missing-description warning.
        description: f.string("description").filter(|d| !d.trim().is_empty()),
        date: f.date("date"),
        updated: f.date("updated"),
        draft: f.boolean("draft").unwrap_or(false),
        weight: f.integer("weight").unwrap_or(0),
        slug: f.string("slug"),
        aliases: f.string_list("aliases"),
        topics: f.string_list("topics"),
        kind,
        template: f.string("template"),
        author: f.string("author"),
        document: None,
        forms: Vec::new(),
        locations: Vec::new(),
    };
    if let Some(slug) = &fm.slug {
        if crate::text::slug(slug) != *slug {
            f.error(
                "slug",
                format!("slug `{slug}` chỉ được chứa chữ thường a–z, số và dấu `-`"),
                Some(format!("dùng `{}`", crate::text::slug(slug))),
            );
        }
    }
    for alias in &fm.aliases {
        if !alias.starts_with('/') {
            let msg = format!("địa chỉ cũ `{alias}` phải bắt đầu bằng `/`");
            f.error("aliases", msg, None);
        }
    }
    if kind == Kind::Document {
        fm.document = Some(parse_document(&mut f));
    } else {
        let present: Vec<&str> = DOCUMENT_KEYS.iter().copied().filter(|k| f.has(k)).collect();
        for key in present {
            f.error(
                key,
                format!("khóa `{key}` chỉ dùng cho văn bản pháp luật"),
                Some("thêm `kind: document` hoặc bỏ khóa này".into()),
            );
        }
    }
    if kind == Kind::Glossary {
        fm.forms = parse_glossary(&mut f, fm.description.as_deref());
    } else if f.has("forms") {
        f.error(
            "forms",
            "khóa `forms` chỉ dùng cho thuật ngữ".into(),
            Some("thêm `kind: glossary` hoặc bỏ khóa này".into()),
        );
    }
    fm.locations = f.locations();
    let mut diagnostics = std::mem::take(&mut f.diagnostics);
    diagnostics.extend(crate::characters::check(source, body_start));
    (Some((fm, body_start)), diagnostics)
}

/// The forms of a glossary term; its definition (`description`) is required, since it is
/// what every link to the term shows.
fn parse_glossary(f: &mut Fields<'_>, description: Option<&str>) -> Vec<String> {
    if description.is_none_or(|d| d.trim().is_empty()) {
        f.error(
            "description",
            "thuật ngữ thiếu định nghĩa: khóa `description` là bắt buộc".into(),
            Some("thêm description: \"Định nghĩa trong một câu.\"".into()),
        );
    }
    let forms = f.string_list("forms");
    if forms.iter().any(|form| form.trim().is_empty()) {
        f.error("forms", "`forms` có một dạng viết rỗng".into(), None);
    }
    forms
        .into_iter()
        .filter(|form| !form.trim().is_empty())
        .collect()
}

fn parse_document(f: &mut Fields<'_>) -> DocumentMeta {
    let number = f.string("number");
    let mut canonical = None;
    if let Some(n) = &number {
        if let Some((message, fix)) = crate::characters::number_problem(n) {
            f.error("number", message, fix.map(|c| format!("viết lại: {c}")));
        } else if crate::text::is_valid_number(n) {
            canonical = crate::text::canonical_number(n);
        } else {
            f.error(
                "number",
                format!("số ký hiệu `{n}` không đúng dạng"),
                Some("viết như 1847/QĐ-TTg hoặc 22/2008/QH12".into()),
            );
        }
    }
    let mut relations = Vec::new();
    for key in RELATION_KEYS {
        let list = f.string_list(key);
        for n in &list {
            if let Some((message, fix)) = crate::characters::number_problem(n) {
                let message = format!("`{key}`: {message}");
                f.error(key, message, fix.map(|c| format!("viết lại: {c}")));
            } else if !crate::text::is_valid_number(n) {
                f.error(
                    key,
                    format!("`{key}`: số ký hiệu `{n}` không đúng dạng"),
                    Some("viết như 1847/QĐ-TTg hoặc 22/2008/QH12".into()),
                );
            }
        }
        if !list.is_empty() {
            relations.push((key, list));
        }
    }
    let status = f.string("status");
    if let Some(s) = &status {
        if !STATUS_VALUES.contains(&s.as_str()) {
            let hint = crate::fields::suggest(s, STATUS_VALUES).map_or(
                format!("dùng một trong: {}", STATUS_VALUES.join(", ")),
                |k| format!("có phải ý bạn là `{k}`?"),
            );
            f.error(
                "status",
                format!("trạng thái `{s}` không tồn tại"),
                Some(hint),
            );
        }
    }
    let source_url = f.string("source_url");
    if let Some(url) = &source_url {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            f.error(
                "source_url",
                format!("`source_url` phải là địa chỉ http(s), không phải `{url}`"),
                None,
            );
        }
    }
    DocumentMeta {
        number,
        canonical,
        doc_type: f.string("doc_type"),
        issuer: f.string("issuer"),
        signer: f.string("signer"),
        issued: f.date("issued"),
        effective: f.date("effective"),
        expires: f.date("expires"),
        relations,
        status,
        status_note: f.string("status_note"),
        source_url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn source(text: &str) -> SourceFile {
        SourceFile {
            path: "content/a.md".into(),
            content_path: "a.md".into(),
            text: Arc::from(text),
        }
    }

    #[test]
    fn split_finds_yaml_and_body() {
        let text = "---\ntitle: A\n---\nBody\n";
        let (yaml, body) = split(text).unwrap();
        assert_eq!(&text[yaml], "title: A\n");
        assert_eq!(&text[body..], "Body\n");
        assert!(split("title: A\n").is_none());
        let (yaml, body) = split("---\n---\n").unwrap();
        assert!(yaml.is_empty());
        assert_eq!(body, 8);
    }

    #[test]
    fn every_problem_of_a_file_is_reported() {
        let (fm, diags) = parse(&source(
            "---\ntitel: A\ndate: 2019-13-01\nweight: nhiều\n---\n",
        ));
        assert!(fm.is_some());
        let all: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert!(
            all.iter()
                .any(|d| d.contains(":2:1") && d.contains("`title`")),
            "{all:?}"
        );
        assert!(
            all.iter().any(|d| d.contains(":3:1") && d.contains("date")),
            "{all:?}"
        );
        assert!(
            all.iter()
                .any(|d| d.contains(":4:1") && d.contains("weight")),
            "{all:?}"
        );
    }

    #[test]
    fn document_keys_need_kind_document() {
        let (_, diags) = parse(&source("---\ntitle: A\nnumber: \"1/QĐ-TTg\"\n---\n"));
        assert!(diags[0].to_string().contains("kind: document"));
        let (fm, diags) = parse(&source(
            "---\ntitle: A\nkind: document\nnumber: \"03/2007/QĐ-BNV\"\nstatus: in-force\n---\n",
        ));
        let doc = fm.unwrap().0.document.unwrap();
        assert_eq!(doc.canonical.as_deref(), Some("3/2007/QD-BNV"));
        assert!(diags[0].to_string().contains("in_force"), "{:?}", diags);
    }
}
