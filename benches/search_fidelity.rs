//! What cutting posting lists costs in ranking: the top ten of queries over the index as
//! `sotay build` writes it (every list cut to the postings of the 512 pages its term weighs
//! most in) against an index cut nowhere, on the same site.
//!
//! ```sh
//! cargo run --release --example search_fidelity -- /dev/shm/sotay-search-10000 [QUERIES] [LIMIT...]
//! ```
//!
//! Queries are drawn from the site's own text with a fixed seed: QUERIES (default 200) of
//! each kind, one word, two neighbouring words, three neighbouring words, all as written
//! (lowercase, with tones), and the two-word ones typed without tones. For each list limit
//! (default: `MAX_POSTINGS`, the site's setting, 512), prints per kind how many of the exact top ten the cut
//! index also returns in its top ten (mean of the queries), and how often both put the same
//! result first.

use sotay::search::{build_index_with_limit, search, words, SearchDoc};
use std::collections::HashMap;

sotay::jemalloc_allocator!();

#[path = "harness/site.rs"]
mod site;

/// A small deterministic generator (xorshift64*): the queries depend only on the seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n.max(1)
    }
}

/// `n` runs of `len` neighbouring words from the sites' texts, lowercased, and (with
/// `plain`) typed without tones.
fn queries(docs: &[SearchDoc], rng: &mut Rng, n: usize, len: usize, plain: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut tries = 0;
    while out.len() < n && tries < 100 * n {
        tries += 1;
        let doc = &docs[rng.below(docs.len())];
        if doc.sections.is_empty() {
            continue;
        }
        let text = &doc.sections[rng.below(doc.sections.len())].text;
        let ws = words(text);
        if ws.len() < len {
            continue;
        }
        let at = rng.below(ws.len() + 1 - len);
        let run = &ws[at..at + len];
        // Letters only, and neighbours in the text (one space apart).
        let letters = run
            .iter()
            .all(|w| text[w.start..w.end].chars().all(char::is_alphabetic));
        let adjacent = run.windows(2).all(|p| p[1].start == p[0].end + 1);
        if !letters || !adjacent {
            continue;
        }
        let q: Vec<String> = run
            .iter()
            .map(|w| {
                if plain {
                    w.folded.clone()
                } else {
                    text[w.start..w.end].to_lowercase()
                }
            })
            .collect();
        out.push(q.join(" "));
    }
    out
}

/// The top ten URLs of `q` over the files `files`.
fn top(files: &HashMap<String, Vec<u8>>, q: &str) -> Vec<String> {
    let mut loader = |path: &str| -> Result<Vec<u8>, String> {
        files.get(path).cloned().ok_or_else(|| format!("no {path}"))
    };
    match search(q, 10, &mut loader) {
        Ok(hits) => hits.into_iter().map(|h| h.url).collect(),
        Err(e) => panic!("{q}: {e}"),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: search_fidelity SITE [QUERIES] [LIMIT...]");
        std::process::exit(2);
    };
    let n: usize = args
        .next()
        .map_or(200, |a| a.parse().expect("QUERIES is a number"));
    let mut limits: Vec<usize> = args
        .map(|a| a.parse().expect("LIMIT is a number"))
        .collect();
    if limits.is_empty() {
        limits.push(sotay::search::MAX_POSTINGS);
    }
    site::with_search_docs(&root, |docs| {
        if docs.is_empty() {
            eprintln!("the site has no page to search");
            std::process::exit(1);
        }
        let mut rng = Rng(0x5eed_1847);
        let kinds = [
            ("one word", queries(docs, &mut rng, n, 1, false)),
            ("two words", queries(docs, &mut rng, n, 2, false)),
            ("three words", queries(docs, &mut rng, n, 3, false)),
            ("two, no tones", queries(docs, &mut rng, n, 2, true)),
        ];
        let index = |limit| -> HashMap<String, Vec<u8>> {
            build_index_with_limit(docs, limit).into_iter().collect()
        };
        let exact = index(usize::MAX);
        let exact_tops: Vec<Vec<Vec<String>>> = kinds
            .iter()
            .map(|(_, qs)| qs.iter().map(|q| top(&exact, q)).collect())
            .collect();
        println!(
            "{} pages; {} queries of each kind from the site's text",
            docs.len(),
            kinds[0].1.len()
        );
        for limit in limits {
            let cut = index(limit);
            println!("lists cut to {limit} postings:");
            for ((name, qs), exact_top) in kinds.iter().zip(&exact_tops) {
                let (mut kept, mut first, mut counted) = (0.0, 0, 0);
                for (q, want) in qs.iter().zip(exact_top) {
                    if want.is_empty() {
                        continue;
                    }
                    let got = top(&cut, q);
                    kept +=
                        want.iter().filter(|u| got.contains(u)).count() as f64 / want.len() as f64;
                    first += usize::from(got.first() == want.first());
                    counted += 1;
                }
                println!(
                    "  {name:<14} {:5.2} of the exact top ten kept, same first result {:5.1} %",
                    10.0 * kept / counted.max(1) as f64,
                    100.0 * first as f64 / counted.max(1) as f64
                );
            }
        }
    });
}
