//! Site-wide warnings of the legal model: numbers cited that the site does not hold,
//! relations to such numbers, statuses that went stale since a page was last reviewed,
//! and documents whose status cannot be computed.

use super::relations::{dates, RelKind};
use super::status::{compute, Replacer, StatusCode};
use super::LegalIndex;
use crate::content::{ContentTree, Page};
use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex, Location};
use crate::markdown::Rendered;
use std::collections::HashSet;
use time::Date;

fn key_location(page: &Page, key: &str) -> Location {
    page.meta
        .location(key)
        .cloned()
        .unwrap_or_else(|| Location::at_offset(&page.source.path, &page.source.text, 0..3))
}

/// Warnings that need the whole site: numbers cited but not in the site, relations to
/// documents the site lacks, stale or uncomputable statuses.
pub fn check(
    tree: &ContentTree,
    legal: &LegalIndex,
    _rendered: &[Rendered],
    today: Date,
    diagnostics: &mut Diagnostics,
) {
    missing_citations(tree, legal, diagnostics);
    let mut docs: Vec<usize> = legal.documents.keys().copied().collect();
    docs.sort_unstable();
    for page in docs {
        document_warnings(tree, legal, page, today, diagnostics);
    }
}

/// One warning per page and number cited that the site does not hold, at its first use.
fn missing_citations(tree: &ContentTree, legal: &LegalIndex, diagnostics: &mut Diagnostics) {
    for (i, cites) in legal.citations.iter().enumerate() {
        let page = &tree.pages[i];
        let body = page.body();
        let mut seen = HashSet::new();
        let mut lines = None;
        // Citations are recorded in the order of the text: each is looked for after the
        // previous one, so a page citing thousands of missing numbers is scanned once, not
        // once per number.
        let mut cursor = 0;
        for c in cites {
            let found = body.get(cursor..).and_then(|rest| rest.find(&c.raw));
            let offset = found.map_or(0, |at| cursor + at);
            if found.is_some() {
                cursor = offset + c.raw.len();
            }
            if c.target.is_some() || !seen.insert(&c.canonical) {
                continue;
            }
            let lines = lines.get_or_insert_with(|| LineIndex::new(&page.source.text));
            let start = page.body_start + offset;
            diagnostics.push(
                Diagnostic::warning(
                    Location::at_offset_in(
                        lines,
                        &page.source.path,
                        &page.source.text,
                        start..start + c.raw.len(),
                    ),
                    format!("văn bản số {} được trích dẫn nhưng trang web chưa có", c.raw),
                )
                .with_hint(format!(
                    "thêm một trang `kind: document` với number: \"{}\" để trích dẫn thành liên kết",
                    c.raw
                )),
            );
        }
    }
}

fn document_warnings(
    tree: &ContentTree,
    legal: &LegalIndex,
    page: usize,
    today: Date,
    diagnostics: &mut Diagnostics,
) {
    let p = &tree.pages[page];
    let (Some(meta), Some(doc)) = (&p.meta.document, legal.document(page)) else {
        return;
    };
    for r in doc.relations.iter().filter(|r| r.page.is_none()) {
        let key = match (r.kind, r.active) {
            (RelKind::Replace, true) => "replaces",
            (RelKind::Replace, false) => "replaced_by",
            (RelKind::Amend, true) => "amends",
            (RelKind::Amend, false) => "amended_by",
            (RelKind::Guide, _) => "guides",
            (RelKind::Implement, _) => "implements",
        };
        diagnostics.push(Diagnostic::warning(
            key_location(p, key),
            format!("`{key}`: trang web chưa có văn bản số {}", r.number),
        ));
    }
    let replacers: Vec<Replacer> = doc
        .relations
        .iter()
        .filter(|r| r.kind == RelKind::Replace && !r.active)
        .map(|r| {
            let d = r.page.map(|o| dates(tree, o)).unwrap_or_default();
            Replacer {
                page: r.page,
                effective: d.effective.or(d.issued),
            }
        })
        .collect();
    let computed = compute(dates(tree, page), None, &replacers, today);
    if let Some(updated) = p.meta.updated.or(p.meta.date) {
        let mut turning: Vec<Date> = [meta.effective, meta.expires]
            .into_iter()
            .flatten()
            .chain(replacers.iter().filter_map(|r| r.effective))
            .filter(|&d| updated < d && d <= today)
            .collect();
        turning.sort_unstable();
        if let Some(&d) = turning.last() {
            let key = if p.meta.updated.is_some() {
                "updated"
            } else {
                "date"
            };
            diagnostics.push(
                Diagnostic::warning(
                    key_location(p, key),
                    format!(
                        "hiệu lực của văn bản đã thay đổi ngày {} – sau lần cập nhật trang ({})",
                        super::vi_date(d),
                        super::vi_date(updated)
                    ),
                )
                .with_hint("đọc lại trang cho đúng với hiệu lực hiện nay rồi sửa `updated`"),
            );
        }
    }
    if doc.status.explicit {
        let declared = doc.status.code;
        if declared == StatusCode::PartlyInForce && meta.status_note.is_none() {
            // "Partly" alone leaves a reader unable to tell whether the rule they need is
            // the part still in force.
            diagnostics.push(
                Diagnostic::warning(
                    key_location(p, "status"),
                    "`status: partly_in_force` nhưng không có `status_note` nói phần nào còn hiệu lực",
                )
                .with_hint("thêm status_note: \"Điều … hết hiệu lực từ …; các điều khác còn hiệu lực\""),
            );
        }
        if matches!(declared, StatusCode::InForce | StatusCode::NotYetInForce)
            && computed.code == StatusCode::NotInForce
        {
            diagnostics.push(Diagnostic::warning(
                key_location(p, "status"),
                format!(
                    "`status: {}` nhưng theo ngày tháng và văn bản thay thế thì văn bản đã hết hiệu lực",
                    declared.code()
                ),
            ));
        }
    } else if computed.code == StatusCode::Unknown {
        diagnostics.push(
            Diagnostic::warning(
                key_location(p, "kind"),
                "văn bản chưa có ngày có hiệu lực (`effective`): trang sẽ ghi “Chưa xác minh hiệu lực”",
            )
            .with_hint("thêm effective: YYYY-MM-DD, hoặc status: unknown kèm status_note giải thích"),
        );
    }
}
