//! Ranking over the index files, exactly as the browser client ranks (same files, same
//! integer arithmetic), so `sotay search` and the page agree.
//!
//! A page's score is the sum over query terms of its page-level weights (title, own number)
//! plus the best of its sections' sums (headings, body, citations). A weight is
//! `factor × m × q`: `m` per list from the index (idf × field weight), `q` per posting
//! (saturated term frequency), `factor` from the query (exact tones 8, other tones 2,
//! prefix-only 4). Integers keep both implementations bit-identical.
//!
//! Each list holds its term's heaviest postings only, so everything a query can use arrives
//! with the shards and one pass over them ranks the pages.

use super::index::Posting;
use super::query::{parse_query, Query};
use super::shard::{cmp_keys, read_shard, TermEntry};
use super::tuning::{F_EXACT, F_FOLDED, F_PREFIX, F_SHADOWED, MAX_EXPANSION, Q_RETIRED};
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

/// One key a query term matches.
struct KeyState<'a> {
    entry: &'a TermEntry,
    how: How,
    /// Whether a spelling is preferred (the query or the reading has one).
    typed: bool,
    /// Bit of the preferred toned spelling, if any.
    tone_bit: Option<u32>,
}

/// How a key came to match a term.
#[derive(Clone, Copy, PartialEq, Eq)]
enum How {
    /// The term's own key, or another reading of it whose typed form the index lacks.
    Exact,
    /// A longer key the last word is a prefix of.
    Prefix,
    /// Another reading of a word the index has as typed (`as`, an English word and `á`):
    /// found, but below the literal word.
    Shadowed,
}

impl KeyState<'_> {
    fn factor(&self, mask: u32) -> i64 {
        match self.how {
            How::Prefix => F_PREFIX,
            How::Shadowed => F_SHADOWED,
            How::Exact
                if !self.typed
                    || !self.entry.has_variants()
                    || self.tone_bit.is_some_and(|b| mask & b != 0) =>
            {
                F_EXACT
            }
            How::Exact => F_FOLDED,
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

/// Loads every shard that may hold one of `keys` (with whether each is a prefix), reading
/// directory files through `dirs_seen` so that a second round reads none twice.
fn load_entries<'k>(
    manifest: &serde_json::Value,
    keys: impl Iterator<Item = (&'k str, bool)> + Clone,
    loader: &mut dyn Loader,
    dirs_seen: &mut HashMap<String, Vec<serde_json::Value>>,
) -> Result<Vec<TermEntry>, String> {
    let dirs = manifest["dirs"].as_array().cloned().unwrap_or_default();
    let mut dir_files = BTreeSet::new();
    for (key, prefix) in keys.clone() {
        dir_files.extend(covering(&dirs, key, prefix));
    }
    for d in &dir_files {
        if !dirs_seen.contains_key(d) {
            let v = json(&loader.load(&format!("search/d/{d}.json"))?)?;
            dirs_seen.insert(d.clone(), v.as_array().cloned().unwrap_or_default());
        }
    }
    let mut shard_files = BTreeSet::new();
    for (key, prefix) in keys {
        for d in covering(&dirs, key, prefix) {
            shard_files.extend(covering(&dirs_seen[&d], key, prefix));
        }
    }
    let mut entries: Vec<TermEntry> = Vec::new();
    for s in &shard_files {
        entries.extend(read_shard(&loader.load(&format!("search/s/{s}.bin"))?)?);
    }
    Ok(entries)
}

/// The keys each query term matches: its own, then up to [`MAX_EXPANSION`] longer keys
/// (the most frequent first) when it is a prefix.
fn match_terms<'a>(query: &Query, entries: &'a [TermEntry]) -> Vec<Vec<KeyState<'a>>> {
    let by_key: HashMap<&str, &TermEntry> = entries.iter().map(|e| (e.key.as_str(), e)).collect();
    query
        .terms
        .iter()
        .map(|t| {
            let mut keys: Vec<KeyState<'a>> = Vec::new();
            let literal = by_key.get(t.key.as_str());
            if let Some(e) = literal {
                keys.push(KeyState {
                    entry: e,
                    how: How::Exact,
                    typed: t.variant.is_some(),
                    tone_bit: tone_bit(e, t.variant.as_deref(), &by_key),
                });
            }
            for a in &t.alts {
                if let Some(e) = by_key.get(a.key.as_str()) {
                    keys.push(KeyState {
                        entry: e,
                        how: if literal.is_some() {
                            How::Shadowed
                        } else {
                            How::Exact
                        },
                        typed: a.variant.is_some(),
                        tone_bit: tone_bit(e, a.variant.as_deref(), &by_key),
                    });
                }
            }
            if t.prefix {
                let mut expanded: Vec<&TermEntry> = Vec::new();
                for e in entries {
                    if e.key != t.key
                        && e.key.starts_with(&t.key)
                        && !expanded.iter().any(|x| x.key == e.key)
                    {
                        expanded.push(e);
                    }
                }
                expanded.sort_by(|a, b| b.df.cmp(&a.df).then_with(|| cmp_keys(&a.key, &b.key)));
                keys.extend(expanded.into_iter().take(MAX_EXPANSION).map(|e| KeyState {
                    entry: e,
                    how: How::Prefix,
                    typed: false,
                    tone_bit: None,
                }));
            }
            keys
        })
        .collect()
}

/// The mask bit of the spelling a query term was typed with: a word's by its spellings, a
/// pair's by the spellings of its two words (which the query always looks up too).
fn tone_bit(
    entry: &TermEntry,
    variant: Option<&str>,
    by_key: &HashMap<&str, &TermEntry>,
) -> Option<u32> {
    let variant = variant?;
    let index = if let Some(pair) = entry.key.strip_prefix('2') {
        let (f1, f2) = pair.split_once(' ')?;
        let (t1, t2) = variant.split_once(' ')?;
        let spelling = |f: &str, t: &str| {
            let word = by_key.get(format!("1{f}").as_str())?;
            word.variants.iter().position(|v| v == t)
        };
        let code = (spelling(f1, t1)? * 32 + spelling(f2, t2)?) as u16;
        entry.codes.iter().position(|&c| c == code)?
    } else {
        entry.variants.iter().position(|v| v == variant)?
    };
    Some(1 << index)
}

/// A ranked page: its score and the section that matched best (`None`: only its title or
/// number matched).
#[derive(Debug, Clone)]
struct Candidate {
    page: u32,
    score: i64,
    block: Option<u16>,
}

/// Every page that matches, best first (ties: lower page number first).
fn rank(terms: &[Vec<KeyState<'_>>]) -> Vec<Candidate> {
    let n = terms.len();
    // unit → per-term best weight. Units: page << 16 | 0xffff for the page-level list,
    // page << 16 | section for sections.
    let mut seen: [HashMap<u64, Vec<i64>>; 2] = [HashMap::new(), HashMap::new()];
    for (ti, keys) in terms.iter().enumerate() {
        for k in keys {
            for (l, list) in k.entry.lists.iter().enumerate() {
                let m = i64::from(list.m);
                for p in &list.postings {
                    let unit = unit_of(p, l);
                    let w = k.factor(p.mask) * m * i64::from(p.q);
                    let row = seen[l].entry(unit).or_insert_with(|| vec![0; n]);
                    row[ti] = row[ti].max(w);
                }
            }
        }
    }
    // page → (page-level score, best section score, best section)
    let mut pages: HashMap<u32, (i64, i64, Option<u16>)> = HashMap::new();
    for (&unit, row) in &seen[0] {
        pages.insert((unit >> 16) as u32, (row.iter().sum(), 0, None));
    }
    let mut blocks: Vec<(&u64, &Vec<i64>)> = seen[1].iter().collect();
    blocks.sort_by_key(|(u, _)| **u);
    for (&unit, row) in blocks {
        let score: i64 = row.iter().sum();
        let e = pages.entry((unit >> 16) as u32).or_insert((0, 0, None));
        if e.2.is_none() || score > e.1 {
            e.1 = score;
            e.2 = Some((unit & 0xffff) as u16);
        }
    }
    let mut out: Vec<Candidate> = pages
        .into_iter()
        .map(|(page, (ps, bs, block))| Candidate {
            page,
            score: ps + bs,
            block,
        })
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.page.cmp(&b.page)));
    out
}

/// Lowers the pages no longer in force (the manifest's `x`): each keeps [`Q_RETIRED`]
/// quarters of its score, and one whose replacing page was found ranks just below that page
/// when it scored at most half as much again.
fn demote(cands: &mut [Candidate], x: &HashMap<u32, Option<u32>>) {
    if x.is_empty() {
        return;
    }
    let score_of: HashMap<u32, i64> = cands.iter().map(|c| (c.page, c.score)).collect();
    for c in cands.iter_mut() {
        let Some(by) = x.get(&c.page) else { continue };
        let mut s = c.score * Q_RETIRED / 4;
        if let Some(&r) = by.and_then(|b| score_of.get(&b)) {
            if s >= r && 2 * c.score <= 3 * r {
                s = r - 1;
            }
        }
        c.score = s;
    }
    cands.sort_by(|a, b| b.score.cmp(&a.score).then(a.page.cmp(&b.page)));
}

fn unit_of(p: &Posting, list: usize) -> u64 {
    (u64::from(p.page) << 16)
        | if list == 0 {
            0xffff
        } else {
            u64::from(p.block)
        }
}

/// What a search found: the hits, and the query it read when the best hit came from
/// reading the words otherwise (Telex or VNI, a confused spelling).
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// At most `limit` hits, best first.
    pub hits: Vec<Hit>,
    /// The query as read (`xử lí` for `sử lí`), shown as "Có phải bạn muốn tìm: …".
    pub suggestion: Option<String>,
}

/// The query as read, when the top page owes its score to other readings of the words.
fn suggest(
    raw: &str,
    query: &Query,
    entries: &[TermEntry],
    cands: &[Candidate],
    top: u32,
) -> Option<String> {
    let mut plain = query.clone();
    plain.terms.iter_mut().for_each(|t| t.alts.clear());
    let score = |c: &[Candidate]| c.iter().find(|c| c.page == top).map_or(0, |c| c.score);
    if score(cands) <= score(&rank(&match_terms(&plain, entries))) {
        return None;
    }
    let q = crate::text::nfc(raw);
    let by_key: HashMap<&str, &TermEntry> = entries.iter().map(|e| (e.key.as_str(), e)).collect();
    let words: Vec<String> = query
        .words
        .iter()
        .map(|w| {
            let term = query
                .terms
                .iter()
                .find(|t| t.key == format!("1{}", w.folded));
            let alts = term.map(|t| t.alts.as_slice()).unwrap_or_default();
            let fix = alts.iter().find(|a| a.fix).and_then(|a| {
                let e = by_key.get(a.key.as_str())?;
                Some(
                    e.variants
                        .first()
                        .cloned()
                        .unwrap_or_else(|| a.key[1..].to_owned()),
                )
            });
            match fix.or_else(|| alts.first().and_then(|a| a.variant.clone())) {
                Some(toned) => super::typed::spell(&toned),
                None => q[w.start..w.end].to_owned(),
            }
        })
        .collect();
    Some(words.join(" "))
}

/// Searches the index that `loader` reads; returns at most `limit` hits, best first.
pub fn search(raw: &str, limit: usize, loader: &mut dyn Loader) -> Result<Vec<Hit>, String> {
    Ok(search_found(raw, limit, loader)?.hits)
}

/// [`search`], with the query as read when that is what found the best hit.
pub fn search_found(raw: &str, limit: usize, loader: &mut dyn Loader) -> Result<Found, String> {
    let mut query = parse_query(raw);
    if query.terms.is_empty() || limit == 0 {
        return Ok(Found::default());
    }
    let manifest = json(&loader.load("search/manifest.json")?)?;
    let mut dirs = HashMap::new();
    let mut entries = load_entries(&manifest, query.lookups(), loader, &mut dirs)?;
    // Terms the site barely has: their confusable spellings, in a second round.
    let wanted = super::correct::candidates(&query, &entries);
    if !wanted.is_empty() {
        let keys = super::correct::lookups(&wanted);
        let more = load_entries(
            &manifest,
            keys.iter().map(|k| (k.as_str(), false)),
            loader,
            &mut dirs,
        )?;
        entries.extend(more);
        super::correct::apply(&mut query, &wanted, &entries);
    }
    let terms = match_terms(&query, &entries);
    let raw_cands = rank(&terms);
    let mut cands = raw_cands.clone();
    let x = manifest["x"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    demote(&mut cands, &super::standing::read(x));
    let suggestion = cands
        .first()
        .and_then(|top| suggest(raw, &query, &entries, &raw_cands, top.page));
    let set = manifest["r"].as_str().unwrap_or_default().to_owned();
    let per_file = |key: &str| -> Result<usize, String> {
        manifest[key]
            .as_u64()
            .filter(|&n| n > 0)
            .map(|n| n as usize)
            .ok_or_else(|| format!("tệp chỉ mục hỏng: thiếu {key}"))
    };
    let (rp, rg) = (per_file("rp")?, per_file("rg")?);
    let mut hits = Vec::new();
    for c in cands.iter().take(limit) {
        let page = c.page as usize;
        let block = usize::from(c.block.unwrap_or(0));
        let file = format!("search/r/{set}/{}-{}.json", page / rp, block / rg);
        let pack = json(&loader.load(&file)?)?;
        let data = &pack[page % rp];
        let section = &data["b"][block % rg];
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
            score: c.score,
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
    Ok(Found { hits, suggestion })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cands(scores: &[(u32, i64)]) -> Vec<Candidate> {
        scores
            .iter()
            .map(|&(page, score)| Candidate {
                page,
                score,
                block: None,
            })
            .collect()
    }

    #[test]
    fn pages_not_in_force_go_below_close_pages_and_their_replacements() {
        let x: HashMap<u32, Option<u32>> = [(1, Some(2)), (3, None)].into_iter().collect();
        // Page 1 (replaced by 2) scored 140 against 100: close, so just below 2. Page 3
        // (nothing replaces it on the site) keeps 3/4: 120 → 90, below page 4's 95.
        let mut c = cands(&[(1, 140), (2, 100), (3, 120), (4, 95)]);
        demote(&mut c, &x);
        let order: Vec<(u32, i64)> = c.iter().map(|c| (c.page, c.score)).collect();
        assert_eq!(order, [(2, 100), (1, 99), (4, 95), (3, 90)]);
        // Far ahead of its replacement (more than 1.5 times), it only keeps 3/4.
        let mut c = cands(&[(1, 400), (2, 100)]);
        demote(&mut c, &x);
        assert_eq!((c[0].page, c[0].score), (1, 300));
    }
}
