//! Rendering pages through Tera templates.
//!
//! Pure: takes template sources and JSON contexts, returns HTML. Template errors become
//! diagnostics naming the template file and, where Tera or the template text tells us, the
//! line.

pub mod context;
mod reads;

pub use reads::Reads;

use crate::diagnostics::{Diagnostic, Location};
use crate::theme::TemplateSource;
use std::collections::HashMap;
use tera::Tera;

/// `{{ d | time_vi }}`: a `YYYY-MM-DD` date as Vietnamese readers write it (`18/09/2020`),
/// machine-readable in a `<time datetime>` element. A filter rather than a template macro:
/// every page shows several dates, and a Tera macro call costs more than the rest of a
/// small page.
struct TimeVi;

impl tera::Filter for TimeVi {
    fn filter(
        &self,
        value: &tera::Value,
        _args: &HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let Some(d) = value.as_str() else {
            return Err(tera::Error::msg("`time_vi` cần một ngày dạng YYYY-MM-DD"));
        };
        let mut escaped = String::with_capacity(d.len());
        crate::markdown::escape_into(d, &mut escaped);
        let parts: Vec<&str> = escaped.split('-').collect();
        let shown = match parts.as_slice() {
            [y, m, day] => format!("{day}/{m}/{y}"),
            _ => escaped.clone(),
        };
        Ok(tera::Value::String(format!(
            "<time datetime=\"{escaped}\">{shown}</time>"
        )))
    }

    fn is_safe(&self) -> bool {
        // The output is markup built from escaped input.
        true
    }
}

/// Compiled templates, with their sources kept for error messages.
pub struct Renderer {
    tera: Tera,
    sources: HashMap<String, TemplateSource>,
    /// The page fields each template can read (see [`Reads`]).
    reads: HashMap<String, Reads>,
    /// For a template the renderer does not have.
    reads_all: Reads,
}

/// The error chain of a Tera error as one message.
fn chain(err: &tera::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

/// Finds `--> line:col` in a Tera parse error.
fn parse_error_position(message: &str) -> Option<(usize, usize)> {
    let at = message.find("--> ")?;
    let rest = &message[at + 4..];
    let mut nums = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty());
    Some((nums.next()?.parse().ok()?, nums.next()?.parse().ok()?))
}

/// Guesses the line of a runtime error from the first backquoted name in the message
/// (Tera names the missing variable or filter, but not the line).
fn guess_line(message: &str, source: &str) -> (usize, usize) {
    let mut names: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    names.extend(
        message
            .split('\'')
            .skip(1)
            .step_by(2)
            .filter(|n| !n.ends_with(".html") && !n.ends_with(".xml")),
    );
    for name in names {
        let needle = name.trim();
        if needle.is_empty() {
            continue;
        }
        for (i, line) in source.lines().enumerate() {
            if let Some(col) = line.find(needle) {
                return (i + 1, line[..col].chars().count() + 1);
            }
        }
    }
    (1, 1)
}

impl Renderer {
    /// Compiles every template; reports each broken template.
    pub fn new(templates: &[TemplateSource]) -> Result<Self, Vec<Diagnostic>> {
        let mut sources: HashMap<String, TemplateSource> = HashMap::new();
        for t in templates {
            sources.insert(t.name.clone(), t.clone());
        }
        let mut names: Vec<&String> = sources.keys().collect();
        names.sort();
        let mut problems = Vec::new();
        // Parse each template alone first, so every syntax error is reported, not only the first.
        for name in &names {
            let t = &sources[*name];
            if let Err(e) = tera::Template::new(&t.name, None, &t.text) {
                let msg = chain(&e);
                let (line, col) = parse_error_position(&msg).unwrap_or((1, 1));
                problems.push(Diagnostic::error(
                    Location::at_line(&t.display_path, line, col),
                    format!(
                        "lỗi cú pháp mẫu trang: {}",
                        msg.lines().last().unwrap_or(&msg).trim()
                    ),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default also escapes `/` (as `&#x2F;`), which bloats every URL in a page
        // for no safety gain inside quoted attributes and text.
        tera.set_escape_fn(crate::markdown::escape);
        tera.register_filter("time_vi", TimeVi);
        let raw: Vec<(&str, &str)> = names
            .iter()
            .map(|n| (n.as_str(), sources[*n].text.as_str()))
            .collect();
        if let Err(e) = tera.add_raw_templates(raw) {
            return Err(vec![Diagnostic::global_error(format!(
                "lỗi mẫu trang: {}",
                chain(&e)
            ))]);
        }
        let reads = reads::reads_of(sources.values().map(|t| (t.name.as_str(), t.text.as_str())));
        Ok(Self {
            tera,
            sources,
            reads,
            reads_all: Reads::everything(),
        })
    }

    /// The page fields `template` can read: a field it cannot read need not be computed.
    pub fn reads(&self, template: &str) -> &Reads {
        self.reads.get(template).unwrap_or(&self.reads_all)
    }

    /// Whether a template exists.
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Renders a template with a JSON context.
    pub fn render(
        &self,
        template: &str,
        context: &serde_json::Value,
    ) -> Result<String, Diagnostic> {
        self.render_value(template, context.clone())
    }

    /// Renders a template with a JSON context it may consume (saves copying page HTML).
    pub fn render_value(
        &self,
        template: &str,
        context: serde_json::Value,
    ) -> Result<String, Diagnostic> {
        let bytes = self.render_bytes(template, context, 0)?;
        // Tera writes only strings into the buffer, so it is UTF-8.
        String::from_utf8(bytes).map_err(|e| Diagnostic::global_error(e.to_string()))
    }

    /// Renders a template into bytes, reserving `size_hint` bytes up front. Pages are
    /// written to files as bytes: this skips the UTF-8 check of the whole page that
    /// `Tera::render` makes (a sixth of rendering time on Vietnamese text) and the buffer
    /// regrowth.
    pub fn render_bytes(
        &self,
        template: &str,
        context: serde_json::Value,
        size_hint: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let ctx = tera::Context::from_value(context).map_err(|e| {
            Diagnostic::global_error(format!("ngữ cảnh mẫu trang không hợp lệ: {e}"))
        })?;
        let mut out = Vec::with_capacity(size_hint);
        match self.tera.render_to(template, &ctx, &mut out) {
            Ok(()) => Ok(out),
            Err(e) => Err(self.locate(template, &e)),
        }
    }

    /// A template error as a diagnostic at the template and line it most likely comes from.
    fn locate(&self, template: &str, e: &tera::Error) -> Diagnostic {
        let msg = chain(e);
        match self.sources.get(template) {
            Some(src) => {
                // The failing template may be a parent or an include: prefer the one named last.
                let named = self
                    .sources
                    .values()
                    .filter(|s| msg.contains(&format!("'{}'", s.name)))
                    .max_by_key(|s| msg.rfind(&format!("'{}'", s.name)));
                let src = named.unwrap_or(src);
                let (line, col) = guess_line(&msg, &src.text);
                Diagnostic::error(
                    Location::at_line(&src.display_path, line, col),
                    format!("lỗi khi dựng mẫu trang: {msg}"),
                )
            }
            None => Diagnostic::global_error(format!("không có mẫu trang `{template}`"))
                .with_hint("thêm tệp vào templates/ hoặc sửa khóa `template`"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str, text: &str) -> TemplateSource {
        TemplateSource {
            name: name.into(),
            display_path: format!("templates/{name}"),
            text: text.into(),
        }
    }

    #[test]
    fn syntax_errors_name_template_and_line() {
        let errs = Renderer::new(&[
            source("a.html", "ok"),
            source("b.html", "line one\n{% if %}\n"),
        ])
        .err()
        .unwrap();
        let msg = errs[0].to_string();
        assert!(msg.contains("templates/b.html:2:"), "{msg}");
    }

    #[test]
    fn time_vi_writes_a_time_element_and_escapes_its_input() {
        let r = Renderer::new(&[source("d.html", "{{ a | time_vi }} {{ b | time_vi }}")]).unwrap();
        let out = r
            .render(
                "d.html",
                &serde_json::json!({"a": "2020-09-18", "b": "<b>"}),
            )
            .unwrap();
        assert_eq!(
            out,
            "<time datetime=\"2020-09-18\">18/09/2020</time> <time datetime=\"&lt;b&gt;\">&lt;b&gt;</time>"
        );
    }

    #[test]
    fn runtime_errors_point_at_the_variable() {
        let r = Renderer::new(&[source("p.html", "<p>\n{{ page.missing.deeper }}\n")]).unwrap();
        let err = r
            .render("p.html", &serde_json::json!({"page": {}}))
            .unwrap_err()
            .to_string();
        assert!(err.contains("templates/p.html:2:"), "{err}");
        let ok = r.render(
            "p.html",
            &serde_json::json!({"page": {"missing": {"deeper": "<x>"}}}),
        );
        assert!(ok.unwrap().contains("&lt;x&gt;"));
    }
}
