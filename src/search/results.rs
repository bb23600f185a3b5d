//! Result data: what a hit shows (path, title, breadcrumb, and the text of the matched
//! section, from which the snippet is cut with the original accents).
//!
//! One file holds [`RESULT_PAGES`] consecutive pages and, of each, one group of [`GROUP`]
//! sections: `r/<set>/<k>-<g>.json` has pages `k·RESULT_PAGES …` with their sections
//! `g·GROUP …`. A hit's file follows from its page and section alone, a site has few files
//! (writing each one costs more than its bytes), and a query downloads a few pages' text per
//! hit. The set is named by a hash of every pack's hash, so a changed text renames them all
//! (the live index re-encodes only the changed packs and renames the rest).

use super::shard::Sink;
use super::tuning::{GROUP, RESULT_PAGES};
use super::SearchDoc;
use rayon::prelude::*;

/// Appends `s` as a JSON string. Section text is most of the index's bytes, so the scan
/// looks at 32, then eight, bytes at a time for the three things JSON escapes (`"`, `\\`,
/// controls).
fn json_string(out: &mut Vec<u8>, s: &str) {
    use crate::text::{any_byte_below, any_byte_is, window_has, SCAN_WINDOW};
    let escaped = |b: u8| (b < 0x20) | (b == b'"') | (b == b'\\');
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut done = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(w) = bytes.get(i..i + SCAN_WINDOW) {
            if !window_has(w.try_into().expect("a window"), escaped) {
                i += SCAN_WINDOW;
                continue;
            }
        }
        if let Some(w) = bytes.get(i..i + 8) {
            let v = u64::from_le_bytes(w.try_into().expect("8 bytes"));
            if !any_byte_below(v, 0x20) && !any_byte_is(v, b'"') && !any_byte_is(v, b'\\') {
                i += 8;
                continue;
            }
        }
        let end = (i + 8).min(bytes.len());
        for (k, &b) in bytes.iter().enumerate().take(end).skip(i) {
            let escaped: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0x08 => b"\\b",
                0x0c => b"\\f",
                0..=0x1f => b"",
                _ => continue,
            };
            out.extend_from_slice(&bytes[done..k]);
            if escaped.is_empty() {
                out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
            } else {
                out.extend_from_slice(escaped);
            }
            done = k + 1;
        }
        i = end;
    }
    out.extend_from_slice(&bytes[done..]);
    out.push(b'"');
}

/// A result file: per page `{"p": path, "t": title, "c": breadcrumb, "b": sections}`, a
/// section `[anchor or null, heading, text]`, for the sections of group `g`.
fn result_file(pages: &[SearchDoc], g: usize) -> Vec<u8> {
    let size: usize = pages
        .iter()
        .flat_map(|d| d.sections.iter().skip(g * GROUP).take(GROUP))
        .map(|s| s.text.len() + s.heading.len() + 32)
        .sum();
    let mut out = Vec::with_capacity(size + 256 * pages.len());
    out.push(b'[');
    for (i, doc) in pages.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"p\":");
        json_string(&mut out, &doc.path);
        out.extend_from_slice(b",\"t\":");
        json_string(&mut out, &doc.title);
        out.extend_from_slice(b",\"c\":[");
        for (k, c) in doc.breadcrumb.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            json_string(&mut out, c);
        }
        out.extend_from_slice(b"],\"b\":[");
        for (k, s) in doc.sections.iter().skip(g * GROUP).take(GROUP).enumerate() {
            out.extend_from_slice(if k > 0 { b",[" } else { b"[" });
            match &s.anchor {
                Some(a) => json_string(&mut out, a),
                None => out.extend_from_slice(b"null"),
            }
            out.push(b',');
            json_string(&mut out, &s.heading);
            out.push(b',');
            json_string(&mut out, &s.text);
            out.push(b']');
        }
        out.extend_from_slice(b"]}");
    }
    out.push(b']');
    out
}

/// The hash of a pack of [`RESULT_PAGES`] pages: of everything its files hold.
pub(super) fn pack_hash(pages: &[SearchDoc]) -> blake3::Hash {
    // One buffer hashed at once: blake3 hashes large inputs several chunks at a time, small
    // updates one block at a time.
    let mut buf = Vec::with_capacity(16 * 1024);
    let mut field = |s: &str| {
        buf.extend_from_slice(&(s.len() as u64).to_le_bytes());
        buf.extend_from_slice(s.as_bytes());
    };
    for doc in pages {
        field(&doc.path);
        field(&doc.title);
        field(&doc.breadcrumb.len().to_string());
        doc.breadcrumb.iter().for_each(|c| field(c));
        field(&doc.sections.len().to_string());
        for s in &doc.sections {
            field(s.anchor.as_deref().unwrap_or("\0"));
            field(&s.heading);
            field(&s.text);
        }
    }
    blake3::hash(&buf)
}

/// The name of the result set: a hash of its packs' hashes, so that a changed text renames
/// every file, and an edit (which changes one pack) costs one pack's hash.
pub(super) fn set_name(packs: &[blake3::Hash]) -> String {
    let mut set = blake3::Hasher::new();
    set.update(format!("results v2 {RESULT_PAGES} {GROUP}").as_bytes());
    for h in packs {
        set.update(h.as_bytes());
    }
    set.finalize().to_hex()[..12].to_owned()
}

/// The files of one pack, by group: `r/<set>/<k>-<g>.json` is the `g`-th.
pub(super) fn pack_files(pages: &[SearchDoc]) -> Vec<Vec<u8>> {
    let groups = pages
        .iter()
        .map(|d| d.sections.len().div_ceil(GROUP))
        .max()
        .unwrap_or(0)
        .max(1);
    (0..groups).map(|g| result_file(pages, g)).collect()
}

/// The path of group `g` of pack `k` in set `set`.
pub(super) fn path(set: &str, k: usize, g: usize) -> String {
    format!("search/r/{set}/{k}-{g}.json")
}

/// Writes the result files to `out` (paths under `search/r/`) and returns the name of their
/// set, computed before any is written so that each file can go as soon as it is made.
pub(super) fn files(docs: &[SearchDoc], out: &Sink<'_>) -> String {
    let packs: Vec<&[SearchDoc]> = docs.chunks(RESULT_PAGES).collect();
    let hashes: Vec<blake3::Hash> = packs.par_iter().map(|pages| pack_hash(pages)).collect();
    let set = set_name(&hashes);
    packs.par_iter().enumerate().for_each(|(k, pages)| {
        for (g, bytes) in pack_files(pages).into_iter().enumerate() {
            out(path(&set, k, g), bytes);
        }
    });
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(i: usize, sections: usize) -> SearchDoc {
        let texts: Vec<(String, String)> = (0..sections)
            .map(|s| (format!("Mục {s}"), format!("Chữ \"{i}\" {s}")))
            .collect();
        let refs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(h, t)| (h.as_str(), t.as_str()))
            .collect();
        crate::search::test_doc(i, &format!("Trang {i}"), &refs)
    }

    /// The set and the files, by path.
    fn collect(docs: &[SearchDoc]) -> (String, Vec<(String, Vec<u8>)>) {
        let found = std::sync::Mutex::new(Vec::new());
        let set = super::files(docs, &|path, bytes| {
            found.lock().unwrap().push((path, bytes))
        });
        let mut found = found.into_inner().unwrap();
        found.sort();
        (set, found)
    }

    #[test]
    fn strings_are_escaped_as_json_wants() {
        for s in [
            "",
            "a\"b\\c\nd\u{1}e\u{1f}\u{8}\u{c}",
            "Văn hóa công vụ là gì? \"trích\" dẫn, dòng\tmới\r\n",
            &"0123456789\"".repeat(5),
        ] {
            let mut out = Vec::new();
            json_string(&mut out, s);
            assert_eq!(out, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
        // Each escaped byte at every offset around the windows of 32 and 8 bytes.
        for special in ["\"", "\\", "\n", "\u{1}", "\u{1f}", "ệ"] {
            for at in 0..80 {
                let mut s: String = "văn hóa ".chars().cycle().take(90).collect();
                let at = s.char_indices().map(|(i, _)| i).nth(at).unwrap_or(s.len());
                s.insert_str(at, special);
                let mut out = Vec::new();
                json_string(&mut out, &s);
                assert_eq!(out, serde_json::to_vec(&s).unwrap(), "{s:?}");
            }
        }
    }

    #[test]
    fn a_hit_finds_its_page_and_section_from_their_numbers() {
        let docs: Vec<SearchDoc> = (0..RESULT_PAGES + 1)
            .map(|i| doc(i, if i == 1 { GROUP + 2 } else { i % 3 }))
            .collect();
        let (set, files) = collect(&docs);
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        let name = |k: usize, g: usize| format!("search/r/{set}/{k}-{g}.json");
        assert_eq!(names, [name(0, 0), name(0, 1), name(1, 0)]);
        let read = |k, g| -> serde_json::Value {
            let f = files.iter().find(|f| f.0 == name(k, g)).unwrap();
            serde_json::from_slice(&f.1).unwrap()
        };
        let second = &read(0, 1)[1];
        assert_eq!(second["p"], "/p1/");
        assert_eq!(second["b"][1][0], format!("s{}", GROUP + 1));
        assert_eq!(read(0, 1)[0]["b"], serde_json::json!([]));
        let last = &read(1, 0)[0];
        assert_eq!(last["t"], format!("Trang {RESULT_PAGES}"));
        assert_eq!(collect(&docs).0, set, "reproducible");
        let mut changed = docs.clone();
        changed[1].sections[0].text.push('!');
        assert_ne!(collect(&changed).0, set, "a changed text renames the set");
    }
}
