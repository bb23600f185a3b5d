//! Result data: what a hit shows (path, title, breadcrumb, and the text of the matched
//! section, from which the snippet is cut with the original accents).
//!
//! One file holds [`RESULT_PAGES`] consecutive pages and, of each, one group of [`GROUP`]
//! sections: `r/<set>/<k>-<g>.json` has pages `k·RESULT_PAGES …` with their sections
//! `g·GROUP …`. A hit's file follows from its page and section alone, a site has few files
//! (writing each one costs more than its bytes), and a query downloads a few pages' text per
//! hit. The set is named by a hash of every file, so a changed text renames them all.

use super::tuning::{GROUP, RESULT_PAGES};
use super::SearchDoc;
use rayon::prelude::*;

/// One page of a result file: path, title, breadcrumb, `[anchor, heading, text]` per
/// section of the file's group.
#[derive(serde::Serialize)]
struct ResultPage<'a> {
    p: &'a str,
    t: &'a str,
    c: &'a [String],
    b: Vec<(Option<&'a str>, &'a str, &'a str)>,
}

/// The result files (paths under `search/r/`) and the name of their set.
pub(super) fn files(docs: &[SearchDoc]) -> (String, Vec<(String, Vec<u8>)>) {
    let packs: Vec<&[SearchDoc]> = docs.chunks(RESULT_PAGES).collect();
    let built: Vec<(String, Vec<u8>, blake3::Hash)> = packs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(k, pages)| {
            let groups = pages
                .iter()
                .map(|d| d.sections.len().div_ceil(GROUP))
                .max()
                .unwrap_or(0)
                .max(1);
            (0..groups).map(move |g| {
                let value: Vec<ResultPage<'_>> = pages
                    .iter()
                    .map(|doc| ResultPage {
                        p: &doc.path,
                        t: &doc.title,
                        c: &doc.breadcrumb,
                        b: doc
                            .sections
                            .iter()
                            .skip(g * GROUP)
                            .take(GROUP)
                            .map(|s| (s.anchor.as_deref(), s.heading.as_str(), s.text.as_str()))
                            .collect(),
                    })
                    .collect();
                let bytes = serde_json::to_vec(&value).expect("result serializes");
                let hash = blake3::hash(&bytes);
                (format!("{k}-{g}.json"), bytes, hash)
            })
        })
        .collect();
    let mut set = blake3::Hasher::new();
    for (name, _, hash) in &built {
        set.update(name.as_bytes());
        set.update(hash.as_bytes());
    }
    let set = set.finalize().to_hex()[..12].to_owned();
    let files = built
        .into_iter()
        .map(|(name, bytes, _)| (format!("search/r/{set}/{name}"), bytes))
        .collect();
    (set, files)
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

    #[test]
    fn a_hit_finds_its_page_and_section_from_their_numbers() {
        let docs: Vec<SearchDoc> = (0..RESULT_PAGES + 1)
            .map(|i| doc(i, if i == 1 { GROUP + 2 } else { i % 3 }))
            .collect();
        let (set, files) = files(&docs);
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
        assert_eq!(super::files(&docs).0, set, "reproducible");
        let mut changed = docs.clone();
        changed[1].sections[0].text.push('!');
        assert_ne!(
            super::files(&changed).0,
            set,
            "a changed text renames the set"
        );
    }
}
