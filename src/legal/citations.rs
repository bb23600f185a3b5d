//! Citations in prose: every document number the site has becomes a link.

use super::LegalIndex;
use crate::content::ContentTree;
use crate::markdown::escape_into;

/// Writes HTML for a run of prose, linking each document number the site holds.
pub fn link_prose(
    legal: &LegalIndex,
    tree: &ContentTree,
    base_path: &str,
    from: usize,
    _section: Option<&str>,
    text: &str,
    out: &mut String,
) {
    let mut last = 0;
    for m in crate::text::extract_numbers(text) {
        let Some(&target) = legal.by_number.get(&m.canonical) else {
            continue;
        };
        escape_into(&text[last..m.start], out);
        let raw = &text[m.start..m.end];
        if target == from {
            escape_into(raw, out);
        } else {
            out.push_str("<a class=\"cite\" href=\"");
            escape_into(base_path, out);
            escape_into(&tree.pages[target].url, out);
            out.push_str("\">");
            escape_into(raw, out);
            out.push_str("</a>");
        }
        last = m.end;
    }
    escape_into(&text[last..], out);
}
