//! Ranking over the index files, exactly as the browser client ranks (same files, same
//! integer arithmetic, same fetch decisions), so `sotay search` and the page agree.
//!
//! A page's score is the sum over query terms of its page-level weights (title, own number)
//! plus the best of its sections' sums (headings, body, citations). A weight is
//! `factor × m × q`: `m` per list from the index (idf × field weight), `q` per posting
//! (saturated term frequency), `factor` from the query (exact tones 8, other tones 2,
//! prefix-only 4). Integers keep both implementations bit-identical.
//!
//! Postings come best first in tiers; only the first is in the shard. After loading it, the
//! ranking computes for every candidate a lower bound (what is known) and an upper bound
//! (what unread tiers could add), and reads deeper tiers only while the top results are not
//! yet decided, for at most [`MAX_ROUNDS`] rounds. Results are ranked by the lower bound.

use super::index::Posting;
use super::query::{parse_query, Query, QueryTerm};
use super::shard::{cmp_keys, read_postings, read_shard, Reader, TermEntry};
use super::tuning::{F_EXACT, F_FOLDED, F_PREFIX, GROUP, MAX_EXPANSION, MAX_ROUNDS, MIN_K};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// Reads one index file by its path relative to the output root (`search/manifest.json`).
pub trait Loader {
    /// The file's bytes.
    fn load(&mut self, path: &str) -> Result<Vec<u8>, String>;
}

impl<F: FnMut(&str) -> Result<Vec<u8>, String>> Loader for F {
    fn load(&mut self, path: &str) -> Result<Vec<u8>, String> {
        self(path)
    }
}

/// One result: a page, and the section of it that matched best.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Site path with the section's anchor (`/hoi-dap/x/#cau-1`).
    pub url: String,
    /// Page title.
    pub title: String,
    /// Score (higher is better; only the order means something).
    pub score: i64,
    /// Text around the matched words, HTML-escaped, matches in `<mark>`.
    pub snippet: String,
    /// Ancestors' titles, home first.
    pub breadcrumb: Vec<String>,
    /// Heading of the matched section, if it has one.
    pub heading: Option<String>,
}

/// One key a query term matches, with the list state.
struct KeyState {
    entry: TermEntry,
    exact: bool,
    /// Bit of the preferred toned spelling, if any.
    tone_bit: Option<u32>,
    /// Tiers loaded so far, per list.
    loaded: [usize; 2],
    postings: [Vec<Posting>; 2],
}

impl KeyState {
    fn factor(&self, term: &QueryTerm, mask: u32) -> i64 {
        if !self.exact {
            F_PREFIX
        } else if term.variant.is_none()
            || self.entry.variants.is_empty()
            || self.tone_bit.is_some_and(|b| mask & b != 0)
        {
            F_EXACT
        } else {
            F_FOLDED
        }
    }
    fn max_factor(&self) -> i64 {
        if self.exact {
            F_EXACT
        } else {
            F_PREFIX
        }
    }
    /// What an unread posting of list `l` could weigh at most.
    fn bound(&self, l: usize) -> i64 {
        let list = &self.entry.lists[l];
        match list.tiers.get(self.loaded[l]) {
            Some(t) => self.max_factor() * i64::from(list.m) * i64::from(t.maxq),
            None => 0,
        }
    }
}

fn json(bytes: &[u8]) -> Result<serde_json::Value, String> {
    serde_json::from_slice(bytes).map_err(|e| format!("tệp chỉ mục hỏng: {e}"))
}

/// Entries `[first key, hash]` whose range may hold `key` (or keys starting with it).
fn covering(entries: &[serde_json::Value], key: &str, prefix: bool) -> Vec<String> {
    let first = |e: &serde_json::Value| e[0].as_str().unwrap_or_default().to_owned();
    let start = entries
        .iter()
        .rposition(|e| cmp_keys(&first(e), key).is_le());
    let mut out = Vec::new();
    if let Some(s) = start {
        out.push(entries[s][1].as_str().unwrap_or_default().to_owned());
    }
    if prefix {
        let from = start.map_or(0, |s| s + 1);
        for e in &entries[from..] {
            if !first(e).starts_with(key) {
                break;
            }
            out.push(e[1].as_str().unwrap_or_default().to_owned());
        }
    }
    out
}

/// Loads the terms of a query: manifest → directories → shards.
fn load_terms(
    query: &Query,
    loader: &mut dyn Loader,
) -> Result<(serde_json::Value, Vec<Vec<KeyState>>), String> {
    let manifest = json(&loader.load("search/manifest.json")?)?;
    let dirs = manifest["dirs"].as_array().cloned().unwrap_or_default();
    let mut dir_files = BTreeSet::new();
    for t in &query.terms {
        dir_files.extend(covering(&dirs, &t.key, t.prefix));
    }
    let mut dir_data = HashMap::new();
    for d in &dir_files {
        let v = json(&loader.load(&format!("search/d/{d}.json"))?)?;
        dir_data.insert(d.clone(), v.as_array().cloned().unwrap_or_default());
    }
    let mut shard_files = BTreeSet::new();
    for t in &query.terms {
        for d in covering(&dirs, &t.key, t.prefix) {
            shard_files.extend(covering(&dir_data[&d], &t.key, t.prefix));
        }
    }
    let mut entries: Vec<TermEntry> = Vec::new();
    for s in &shard_files {
        entries.extend(read_shard(&loader.load(&format!("search/s/{s}.bin"))?)?);
    }
    let mut terms = Vec::new();
    for t in &query.terms {
        let mut keys: Vec<KeyState> = Vec::new();
        let mut expanded: Vec<&TermEntry> = Vec::new();
        for e in &entries {
            if e.key == t.key {
                if !keys.iter().any(|k| k.exact) {
                    keys.push(key_state(e, t, true));
                }
            } else if t.prefix
                && e.key.starts_with(&t.key)
                && !expanded.iter().any(|x| x.key == e.key)
            {
                expanded.push(e);
            }
        }
        expanded.sort_by(|a, b| b.df().cmp(&a.df()).then_with(|| cmp_keys(&a.key, &b.key)));
        keys.extend(
            expanded
                .into_iter()
                .take(MAX_EXPANSION)
                .map(|e| key_state(e, t, false)),
        );
        terms.push(keys);
    }
    Ok((manifest, terms))
}

fn key_state(entry: &TermEntry, term: &QueryTerm, exact: bool) -> KeyState {
    let tone_bit = term
        .variant
        .as_ref()
        .and_then(|v| entry.variants.iter().position(|x| x == v))
        .map(|i| 1u32 << i);
    let postings = [0, 1].map(|l| {
        entry.lists[l]
            .tiers
            .first()
            .and_then(|t| t.postings.clone())
            .unwrap_or_default()
    });
    let loaded = [0, 1].map(|l| usize::from(!entry.lists[l].tiers.is_empty()));
    KeyState {
        entry: entry.clone(),
        exact,
        tone_bit,
        loaded,
        postings,
    }
}

/// A candidate page after one evaluation.
#[derive(Debug, Clone)]
struct Candidate {
    page: u32,
    lb: i64,
    ub: i64,
    block: Option<u16>,
}

/// Bounds of every candidate page, best first.
fn evaluate(query: &Query, terms: &[Vec<KeyState>]) -> (Vec<Candidate>, i64) {
    let n = terms.len();
    // unit → per-term best known weight (-1 = not seen). Units: page << 16 | 0xffff for the
    // page-level list, page << 16 | section for sections.
    let mut seen: [HashMap<u64, Vec<i64>>; 2] = [HashMap::new(), HashMap::new()];
    let mut bounds = [vec![0i64; n], vec![0i64; n]];
    for (ti, keys) in terms.iter().enumerate() {
        let qt = &query.terms[ti];
        for k in keys {
            for l in 0..2 {
                bounds[l][ti] = bounds[l][ti].max(k.bound(l));
                let m = i64::from(k.entry.lists[l].m);
                for p in &k.postings[l] {
                    let unit = (u64::from(p.page) << 16)
                        | if l == 0 { 0xffff } else { u64::from(p.block) };
                    let w = k.factor(qt, p.mask) * m * i64::from(p.q);
                    let row = seen[l].entry(unit).or_insert_with(|| vec![-1; n]);
                    row[ti] = row[ti].max(w);
                }
            }
        }
    }
    let single: Vec<bool> = terms.iter().map(|k| k.len() == 1).collect();
    let sums = |row: &[i64], b: &[i64]| -> (i64, i64) {
        let mut lb = 0;
        let mut ub = 0;
        for (ti, &w) in row.iter().enumerate() {
            lb += w.max(0);
            ub += if w >= 0 && single[ti] {
                w
            } else {
                w.max(b[ti])
            };
        }
        (lb, ub)
    };
    let unseen_block: i64 = bounds[1].iter().sum();
    let unseen_page: i64 = bounds[0].iter().sum::<i64>() + unseen_block;
    // page → (page lb, page ub, best block lb, best block ub, best block)
    let mut pages: HashMap<u32, (i64, i64, i64, i64, Option<u16>)> = HashMap::new();
    for (&unit, row) in &seen[0] {
        let (lb, ub) = sums(row, &bounds[0]);
        pages.insert((unit >> 16) as u32, (lb, ub, 0, unseen_block, None));
    }
    let page_bound: i64 = bounds[0].iter().sum();
    let mut blocks: Vec<(&u64, &Vec<i64>)> = seen[1].iter().collect();
    blocks.sort_by_key(|(u, _)| **u);
    for (&unit, row) in blocks {
        let (lb, ub) = sums(row, &bounds[1]);
        let page = (unit >> 16) as u32;
        let e = pages
            .entry(page)
            .or_insert((0, page_bound, 0, unseen_block, None));
        if e.4.is_none() || lb > e.2 {
            e.2 = lb;
            e.4 = Some((unit & 0xffff) as u16);
        }
        e.3 = e.3.max(ub);
    }
    let mut out: Vec<Candidate> = pages
        .into_iter()
        .map(|(page, (plb, pub_, blb, bub, block))| Candidate {
            page,
            lb: plb + blb,
            ub: pub_ + bub,
            block,
        })
        .collect();
    out.sort_by(|a, b| b.lb.cmp(&a.lb).then(a.page.cmp(&b.page)));
    (out, unseen_page)
}

/// Whether the first `k` candidates and their order are decided.
fn decided(c: &[Candidate], unseen: i64, k: usize) -> bool {
    if c.len() < k && unseen > 0 {
        return false;
    }
    for i in 0..k.min(c.len()) {
        let a = &c[i];
        if a.lb <= unseen {
            return false;
        }
        for b in &c[i + 1..] {
            let tie_ok = b.ub == a.lb && a.lb == a.ub && b.lb == b.ub && b.page > a.page;
            if b.ub > a.lb || (b.ub == a.lb && !tie_ok) {
                return false;
            }
        }
    }
    true
}

/// Ranks pages for a query, reading deeper tiers while the top is undecided.
fn rank(
    query: &Query,
    terms: &mut [Vec<KeyState>],
    k: usize,
    loader: &mut dyn Loader,
) -> Result<Vec<Candidate>, String> {
    let mut round = 0;
    loop {
        let (cands, unseen) = evaluate(query, terms);
        if round == MAX_ROUNDS || decided(&cands, unseen, k) {
            return Ok(cands);
        }
        // Read the next tier of every list that could still weigh at least half as much as
        // the heaviest unread one.
        let mut best = 0;
        for keys in terms.iter() {
            for key in keys {
                best = best.max(key.bound(0)).max(key.bound(1));
            }
        }
        if best == 0 {
            return Ok(cands);
        }
        for keys in terms.iter_mut() {
            for key in keys.iter_mut() {
                for l in 0..2 {
                    if key.bound(l) * 2 < best || key.bound(l) == 0 {
                        continue;
                    }
                    let tier = &key.entry.lists[l].tiers[key.loaded[l]];
                    let file = tier.file.clone().ok_or("tầng chỉ mục thiếu tên tệp")?;
                    let bytes = loader.load(&file)?;
                    let masks = key.entry.variants.len().min(2) as u32;
                    let p = read_postings(&mut Reader::new(&bytes), tier.count, l == 1, masks)?;
                    key.postings[l].extend(p);
                    key.loaded[l] += 1;
                }
            }
        }
        round += 1;
    }
}

/// Searches the index that `loader` reads; returns at most `limit` hits, best first.
pub fn search(raw: &str, limit: usize, loader: &mut dyn Loader) -> Result<Vec<Hit>, String> {
    let query = parse_query(raw);
    if query.terms.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let (manifest, mut terms) = load_terms(&query, loader)?;
    let cands = rank(&query, &mut terms, limit.max(MIN_K), loader)?;
    let set = manifest["r"].as_str().unwrap_or_default().to_owned();
    let mut hits = Vec::new();
    for c in cands.iter().take(limit) {
        let block = usize::from(c.block.unwrap_or(0));
        let file = format!("search/r/{set}/{}-{}.json", c.page, block / GROUP);
        let data = json(&loader.load(&file)?)?;
        let section = &data["b"][block % GROUP];
        let anchor = c.block.and(section[0].as_str());
        let path = data["p"].as_str().unwrap_or_default();
        let heading = section[1]
            .as_str()
            .filter(|h| c.block.is_some() && !h.is_empty());
        hits.push(Hit {
            url: match anchor {
                Some(a) => format!("{path}#{a}"),
                None => path.to_owned(),
            },
            title: data["t"].as_str().unwrap_or_default().to_owned(),
            score: c.lb,
            snippet: super::snippet(section[2].as_str().unwrap_or_default(), &query),
            breadcrumb: data["c"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            heading: heading.map(str::to_owned),
        });
    }
    Ok(hits)
}
