//! Diagnostics grouped for the terminal, so that a large site's report stays readable.
//!
//! A site of ten thousand pages that cites documents it does not hold gets tens of thousands
//! of warnings (35–46 MB of text), most of them the same few sentences. By default a message
//! (same severity, same text) is printed once, with its excerpt, its count and its first
//! [`SHOWN_LOCATIONS`] locations, and a table of the most repeated messages closes the
//! report. Errors are grouped the same way but never dropped: every distinct message is
//! printed, whatever the count. `--verbose` prints every diagnostic in full.

use crate::diagnostics::{Diagnostic, Severity};
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::io::{self, Write};

/// Locations printed under a repeated message (the first one with its excerpt).
pub const SHOWN_LOCATIONS: usize = 3;

/// Rows of the closing table of repeated messages.
const SUMMARY_ROWS: usize = 20;

/// One message and every diagnostic that carries it, in report order.
struct Group<'a> {
    items: Vec<&'a Diagnostic>,
}

fn group<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Vec<Group<'a>> {
    let mut index: HashMap<(Severity, &str), usize> = HashMap::new();
    let mut groups: Vec<Group<'a>> = Vec::new();
    for d in diagnostics {
        match index.entry((d.severity, d.message.as_str())) {
            Entry::Occupied(e) => groups[*e.get()].items.push(d),
            Entry::Vacant(e) => {
                e.insert(groups.len());
                groups.push(Group { items: vec![d] });
            }
        }
    }
    groups
}

fn location(d: &Diagnostic) -> String {
    d.location.as_deref().map_or_else(
        || "(toàn trang)".to_owned(),
        |l| format!("{}:{}:{}", l.path, l.line, l.column),
    )
}

/// Writes `diagnostics` for a person to read: every one in full when `all`, else grouped
/// by message with a closing table (see the module documentation).
pub fn write<'a>(
    out: &mut dyn Write,
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
    all: bool,
) -> io::Result<()> {
    if all {
        for d in diagnostics {
            out.write_all(d.render().as_bytes())?;
        }
        return Ok(());
    }
    let groups = group(diagnostics);
    for g in &groups {
        write_group(out, &g.items)?;
    }
    write_summary(out, &groups)
}

fn write_group(out: &mut dyn Write, items: &[&Diagnostic]) -> io::Result<()> {
    let [first, rest @ ..] = items else {
        return Ok(());
    };
    if rest.is_empty() {
        return out.write_all(first.render().as_bytes());
    }
    let mut head = (*first).clone();
    head.message = format!("{} ({} lần)", head.message, items.len());
    let text = head.render();
    // codespan ends a diagnostic with a blank line: the other locations go before it.
    out.write_all(text.trim_end_matches('\n').as_bytes())?;
    out.write_all(b"\n")?;
    for d in rest.iter().take(SHOWN_LOCATIONS - 1) {
        writeln!(out, "  = cũng ở: {}", location(d))?;
    }
    let hidden = items.len().saturating_sub(SHOWN_LOCATIONS);
    if hidden > 0 {
        writeln!(
            out,
            "  = … và {hidden} chỗ khác (thêm --verbose để in tất cả)"
        )?;
    }
    out.write_all(b"\n")
}

fn write_summary(out: &mut dyn Write, groups: &[Group<'_>]) -> io::Result<()> {
    let mut repeated: Vec<&Group<'_>> = groups.iter().filter(|g| g.items.len() > 1).collect();
    if repeated.is_empty() {
        return Ok(());
    }
    // Errors first, then the most frequent; the sort is stable, so ties keep report order.
    repeated.sort_by_key(|g| (g.items[0].severity, std::cmp::Reverse(g.items.len())));
    writeln!(out, "Các thông báo lặp lại:")?;
    writeln!(out, "{:>8}  thông báo", "số lần")?;
    for g in repeated.iter().take(SUMMARY_ROWS) {
        let d = g.items[0];
        writeln!(
            out,
            "{:>8}  {} {}",
            g.items.len(),
            d.severity.label(),
            d.message
        )?;
    }
    let left = repeated.len().saturating_sub(SUMMARY_ROWS);
    if left > 0 {
        writeln!(out, "{:>8}  … và {left} thông báo lặp lại khác", "")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Location;
    use std::sync::Arc;

    fn at(path: &str, severity: Severity, message: &str) -> Diagnostic {
        let text: Arc<str> = Arc::from("---\ntitle: A\n---\n");
        let d = Diagnostic::warning(Location::at_offset(path, &text, 4..9), message);
        Diagnostic { severity, ..d }
    }

    fn print(diags: &[Diagnostic], all: bool) -> String {
        let mut out = Vec::new();
        write(&mut out, diags, all).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_repeated_message_is_printed_once_with_count_and_three_locations() {
        let mut diags: Vec<Diagnostic> = (0..50)
            .map(|i| {
                at(
                    &format!("content/p{i:02}.md"),
                    Severity::Warning,
                    "thiếu số",
                )
            })
            .collect();
        diags.push(at("content/x.md", Severity::Warning, "khác"));
        let out = print(&diags, false);
        assert_eq!(
            out.matches("cảnh báo: thiếu số (50 lần)").count(),
            1,
            "{out}"
        );
        assert!(out.contains("content/p00.md:2:1"), "{out}");
        assert!(out.contains("cũng ở: content/p01.md:2:1"), "{out}");
        assert!(out.contains("cũng ở: content/p02.md:2:1"), "{out}");
        assert!(!out.contains("content/p03.md"), "{out}");
        assert!(out.contains("… và 47 chỗ khác"), "{out}");
        assert!(out.contains("cảnh báo: khác"), "{out}");
        assert!(out.contains("      50  cảnh báo: thiếu số\n"), "{out}");
        assert!(!out.contains("  cảnh báo: khác\n"), "{out}");
        let all = print(&diags, true);
        for i in 0..50 {
            assert!(all.contains(&format!("content/p{i:02}.md:2:1")), "{i}");
        }
        assert!(!all.contains("lần)"), "{all}");
    }

    #[test]
    fn every_distinct_error_is_printed_and_errors_lead_the_table() {
        let mut diags: Vec<Diagnostic> = (0..100)
            .map(|i| at("content/a.md", Severity::Error, &format!("lỗi số {i}")))
            .collect();
        diags.extend((0..5).map(|_| at("content/b.md", Severity::Error, "trùng")));
        diags.extend((0..9).map(|_| at("content/c.md", Severity::Warning, "nhẹ")));
        let out = print(&diags, false);
        for i in 0..100 {
            assert!(out.contains(&format!("lỗi: lỗi số {i}\n")), "{i}");
        }
        let table = &out[out.find("Các thông báo lặp lại:").unwrap()..];
        let (errors, warnings) = (table.find("lỗi: trùng"), table.find("cảnh báo: nhẹ"));
        assert!(errors.unwrap() < warnings.unwrap(), "{table}");
    }
}
