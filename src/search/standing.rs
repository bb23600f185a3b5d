//! Which pages are documents no longer in force on the build date, as the manifest lists
//! them: the ranking (Rust and browser) lowers their scores, so the law a citizen must
//! follow comes before the one it replaced.
//!
//! The list is the manifest's `x`: for each such page in page order, the gap from the
//! previous one and the page that replaced it plus one (0: none on the site). Two small
//! numbers a document; only documents can be retired, so it stays short.

use super::SearchDoc;
use std::collections::HashMap;

/// The manifest's `x` for `docs` (indexed in this order).
pub(crate) fn retired(docs: &[SearchDoc]) -> Vec<u32> {
    let page_of: HashMap<&str, u32> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.path.as_str(), i as u32))
        .collect();
    let mut out = Vec::new();
    let mut last = 0;
    for (i, d) in docs.iter().enumerate().filter(|(_, d)| d.retired) {
        let by = d
            .replaced_by
            .as_deref()
            .and_then(|p| page_of.get(p))
            .map_or(0, |&p| p + 1);
        out.extend([i as u32 - last, by]);
        last = i as u32;
    }
    out
}

/// Pages by the page that replaced them (`None`: not in force, not replaced on the site),
/// from the manifest's `x`.
pub(crate) fn read(x: &[serde_json::Value]) -> HashMap<u32, Option<u32>> {
    let mut page = 0;
    x.chunks(2)
        .map(|c| {
            page += c[0].as_u64().unwrap_or(0) as u32;
            let by = c.get(1).and_then(|v| v.as_u64()).unwrap_or(0) as u32;
            (page, by.checked_sub(1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_and_replacing_pages_round_trip() {
        let mut docs: Vec<SearchDoc> = (0..6)
            .map(|i| SearchDoc {
                path: format!("/p{i}/"),
                ..SearchDoc::default()
            })
            .collect();
        docs[1].retired = true;
        docs[1].replaced_by = Some("/p4/".into());
        docs[3].retired = true;
        docs[3].replaced_by = Some("/elsewhere/".into());
        let x = retired(&docs);
        assert_eq!(x, [1, 5, 2, 0]);
        let values: Vec<serde_json::Value> = x.iter().map(|&n| n.into()).collect();
        let back = read(&values);
        assert_eq!(back.len(), 2);
        assert_eq!(back[&1], Some(4));
        assert_eq!(back[&3], None);
    }
}
