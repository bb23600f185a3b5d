//! What `serve` adds to the HTML it serves: the live-reload script tag and, while the last
//! build failed, the error overlay.
//!
//! Both are written into each HTML response as it is served, never into the built files,
//! so the in-memory site stays byte-for-byte what `build` would write. The overlay is plain
//! HTML styled by a served stylesheet: it shows after a reload and without a live-reload
//! connection, and it needs neither inline styles nor inline scripts (pages keep working
//! under `Content-Security-Policy: default-src 'self'`).

use crate::diagnostics::Diagnostic;
use crate::markdown::escape;
use serde_json::{json, Value};

/// URL of the live-reload client script.
pub const SCRIPT_URL: &str = "/__sotay/livereload.js";
/// URL of the overlay stylesheet.
pub const STYLE_URL: &str = "/__sotay/overlay.css";

/// `content/a.md:3:1` for a diagnostic with a location.
fn location(d: &Diagnostic) -> Option<String> {
    d.location
        .as_ref()
        .map(|l| format!("{}:{}:{}", l.path, l.line, l.column))
}

/// The errors as the client script receives them in a `build-error` event.
pub fn errors_json(errors: &[Diagnostic]) -> Value {
    Value::Array(
        errors
            .iter()
            .map(|d| {
                json!({
                    "location": location(d),
                    "message": d.message,
                    "hint": d.hint,
                })
            })
            .collect(),
    )
}

/// The overlay listing every error, each with `path:line:col`, its message and its hint.
pub fn overlay_html(errors: &[Diagnostic]) -> String {
    let mut html = format!(
        "<link rel=\"stylesheet\" href=\"{STYLE_URL}\">\
         <div id=\"sotay-overlay\" role=\"alert\">\
         <button type=\"button\" class=\"sotay-overlay-close\">Ẩn</button>\
         <h2 class=\"sotay-overlay-title\">Không dựng được trang: {} lỗi</h2>\
         <p class=\"sotay-overlay-note\">Đang hiện bản dựng tốt gần nhất. \
         Sửa lỗi rồi lưu tệp: trang sẽ tự cập nhật.</p><ul class=\"sotay-overlay-list\">",
        errors.len()
    );
    for d in errors {
        html.push_str("<li class=\"sotay-overlay-item\">");
        if let Some(loc) = location(d) {
            html.push_str("<code class=\"sotay-overlay-location\">");
            html.push_str(&escape(&loc));
            html.push_str("</code>");
        }
        html.push_str("<span class=\"sotay-overlay-message\">");
        html.push_str(&escape(&d.message));
        html.push_str("</span>");
        if let Some(hint) = &d.hint {
            html.push_str("<p class=\"sotay-overlay-hint\">Gợi ý: ");
            html.push_str(&escape(hint));
            html.push_str("</p>");
        }
        html.push_str("</li>");
    }
    html.push_str("</ul></div>");
    html
}

/// The live-reload script tag. `generation` names the build the page comes from, so the
/// script can tell, on reconnecting, whether it missed a rebuild.
pub fn script_tag(generation: u64) -> String {
    format!("<script src=\"{SCRIPT_URL}\" data-generation=\"{generation}\" defer></script>")
}

/// Inserts `extra` before the last `</body>` (or at the end when there is none).
pub fn inject(html: &[u8], extra: &str) -> Vec<u8> {
    let at = rfind_ignore_case(html, b"</body").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The page served for every HTML request while no build has ever succeeded.
pub fn error_page(errors: &[Diagnostic], generation: u64) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Không dựng được trang</title>\n</head>\n<body>\n\
         <h1>Không dựng được trang</h1>\n\
         <p>Chưa có bản dựng nào thành công. Sửa các lỗi bên dưới rồi lưu tệp.</p>\n{}{}\n</body>\n</html>\n",
        overlay_html(errors),
        script_tag(generation)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Location;

    #[test]
    fn injection_goes_before_the_last_body_end() {
        let out = inject(b"<p>x</p></BODY></html>", "<s>");
        assert_eq!(out, b"<p>x</p><s></BODY></html>");
        let out = inject(b"<p>no body</p>", "<s>");
        assert_eq!(out, b"<p>no body</p><s>");
        let out = inject(b"<code></body></code></body>", "!");
        assert_eq!(out, b"<code></body></code>!</body>");
    }

    #[test]
    fn overlay_lists_each_error_escaped_with_its_location() {
        let errors = vec![
            Diagnostic::error(Location::at_line("content/a.md", 3, 7), "khóa <lạ>")
                .with_hint("title"),
            Diagnostic::global_error("thiếu trang chủ"),
        ];
        let html = overlay_html(&errors);
        assert!(html.contains("id=\"sotay-overlay\" role=\"alert\""));
        assert!(html.contains("content/a.md:3:7"));
        assert!(html.contains("khóa &lt;lạ&gt;"));
        assert!(html.contains("Gợi ý: title"));
        assert!(html.contains("thiếu trang chủ"));
        assert!(html.contains("2 lỗi"));
        assert!(!html.contains("style="), "no inline styles");
        let json = errors_json(&errors);
        assert_eq!(json[0]["location"], "content/a.md:3:7");
        assert_eq!(json[1]["location"], Value::Null);
    }

    #[test]
    fn script_tag_is_an_external_deferred_script() {
        let tag = script_tag(42);
        assert_eq!(
            tag,
            "<script src=\"/__sotay/livereload.js\" data-generation=\"42\" defer></script>"
        );
    }
}
