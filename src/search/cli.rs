//! `sotay search`: the ranking of [`super::search`] over the built files on disk, printed
//! for people or as JSON. This is the only part of the search module that reads files.

use super::rank::{search_found, Found, Hit};
use std::path::Path;

/// Searches the index built into `output` (the same files the browser downloads).
pub fn run(output: &Path, query: &str, limit: usize) -> Result<Found, String> {
    if !output.join("search/manifest.json").is_file() {
        return Err(format!(
            "không thấy chỉ mục tìm kiếm trong {}: hãy chạy `sotay build` trước",
            output.display()
        ));
    }
    let mut loader = |path: &str| -> Result<Vec<u8>, String> {
        let file = output.join(path);
        std::fs::read(&file).map_err(|e| format!("không đọc được {}: {e}", file.display()))
    };
    search_found(query, limit, &mut loader)
}

/// The hits as a JSON array of `{url, title, score, snippet, breadcrumb, heading}`.
pub fn to_json(hits: &[Hit]) -> String {
    serde_json::to_string_pretty(hits).expect("hits serialize")
}

/// Snippet HTML as terminal text: matches in `[` `]`, entities decoded.
fn plain(snippet: &str) -> String {
    snippet
        .replace("<mark>", "[")
        .replace("</mark>", "]")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The hits as text for a terminal, after the query as read when that found them; control
/// characters written visibly (`\u{1b}`) so a page's title cannot drive the terminal.
pub fn to_text(found: &Found) -> String {
    let mut out = String::new();
    if let Some(s) = &found.suggestion {
        out.push_str(&format!("Có phải bạn muốn tìm: {s}\n"));
    }
    for (i, h) in found.hits.iter().enumerate() {
        let mut trail = h.breadcrumb.join(" › ");
        if let Some(heading) = &h.heading {
            if !trail.is_empty() {
                trail.push_str(" › ");
            }
            trail.push_str(heading);
        }
        out.push_str(&format!("{}. {}\n   {}\n", i + 1, h.title, h.url));
        if !trail.is_empty() {
            out.push_str(&format!("   {trail}\n"));
        }
        if !h.snippet.is_empty() {
            out.push_str(&format!("   {}\n", plain(&h.snippet)));
        }
    }
    crate::text::visible(&out).into_owned()
}
