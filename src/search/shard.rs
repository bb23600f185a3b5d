//! The index's files: what goes where, how it is encoded, and how it is read back.
//!
//! ```text
//! search/manifest.json             fixed name, short cache: {v, pages, r, dirs: [[first key, hash]]}
//! search/d/<hash>.json             a directory: [[first key, shard hash]] for up to 64 shards
//! search/s/<hash>.bin              a term shard: consecutive terms with their best postings
//! search/t/<hash>.bin              a deeper tier of one term's postings
//! search/r/<r>/<page>-<g>.json     result data: path, title, breadcrumb, 8 sections' text
//! ```
//!
//! Every name except the manifest carries a content hash (result files sit under the hash of
//! all of them), so everything but the manifest can be cached forever. Keys sort by UTF-16
//! code units, the order JavaScript compares strings in, so the client's binary search and
//! this file's agree.
//!
//! Shard encoding (all integers LEB128 varints, strings UTF-8 with a varint length):
//! `count`, then per term: shared key prefix length, key suffix, variant count and variants,
//! then the page list and the section list: `m` (0 = empty, nothing follows), tier count,
//! and per tier its posting count, its best weight `q` (one byte), and then the postings
//! (tier 0) or a 6-byte file hash (deeper tiers). Postings are sorted by page then section:
//! page delta, [section], q byte, [variant mask when the term has several variants].

use super::index::{Built, List, Posting, Term};
use super::tuning::{DIR_SHARDS, GROUP, MAX_ROUNDS, SHARD_BYTES, TIER0, TIER_GROWTH};
use super::SearchDoc;
use rayon::prelude::*;
use serde_json::json;
use std::cmp::Ordering;

/// Compares strings the way JavaScript does (by UTF-16 code units).
pub(crate) fn cmp_keys(a: &str, b: &str) -> Ordering {
    // UTF-8 byte order equals UTF-16 order except between astral characters and
    // U+E000–U+FFFF, whose UTF-8 lead bytes are 0xEE and above.
    if !a.bytes().chain(b.bytes()).any(|x| x >= 0xee) {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

fn hash_hex(bytes: &[u8], len: usize) -> String {
    blake3::hash(bytes).to_hex()[..len].to_owned()
}

fn varint(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn string(out: &mut Vec<u8>, s: &str) {
    varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn encode_postings(out: &mut Vec<u8>, postings: &[Posting], blocks: bool, masks: bool) {
    let mut sorted = postings.to_vec();
    sorted.sort_by_key(|p| (p.page, p.block));
    let mut prev = 0;
    for p in sorted {
        varint(out, u64::from(p.page - prev));
        prev = p.page;
        if blocks {
            varint(out, u64::from(p.block));
        }
        out.push(p.q);
        if masks {
            varint(out, u64::from(p.mask));
        }
    }
}

/// Files by path.
type Files = Vec<(String, Vec<u8>)>;

/// A term's entry without its key, and the tail files it refers to.
fn encode_term(term: &Term) -> (Vec<u8>, Files) {
    let mut out = Vec::new();
    let mut tails = Vec::new();
    varint(&mut out, term.variants.len() as u64);
    for v in &term.variants {
        string(&mut out, v);
    }
    let masks = term.variants.len() > 1;
    for (list, blocks) in [(&term.page, false), (&term.block, true)] {
        encode_list(&mut out, &mut tails, list, blocks, masks);
    }
    (out, tails)
}

fn encode_list(
    out: &mut Vec<u8>,
    tails: &mut Vec<(String, Vec<u8>)>,
    list: &List,
    blocks: bool,
    masks: bool,
) {
    if list.postings.is_empty() {
        varint(out, 0);
        return;
    }
    varint(out, u64::from(list.m));
    let mut tiers = Vec::new();
    let mut at = 0;
    let mut size = TIER0;
    // The ranking reads at most MAX_ROUNDS tiers past the first, so deeper postings (pages
    // below thousands of better ones for this term) are never written.
    while at < list.postings.len() && tiers.len() <= MAX_ROUNDS {
        let end = (at + size).min(list.postings.len());
        tiers.push(&list.postings[at..end]);
        at = end;
        size *= TIER_GROWTH;
    }
    varint(out, tiers.len() as u64);
    for (i, tier) in tiers.iter().enumerate() {
        varint(out, tier.len() as u64);
        out.push(tier[0].q);
        if i == 0 {
            encode_postings(out, tier, blocks, masks);
        } else {
            let mut bytes = Vec::new();
            encode_postings(&mut bytes, tier, blocks, masks);
            let hash = blake3::hash(&bytes);
            out.extend_from_slice(&hash.as_bytes()[..6]);
            tails.push((format!("search/t/{}.bin", &hash.to_hex()[..12]), bytes));
        }
    }
}

/// Cuts the built index into files.
pub(crate) fn write(built: Built, docs: &[SearchDoc]) -> Vec<(String, Vec<u8>)> {
    let mut terms: Vec<(bool, Term)> = built
        .terms
        .into_iter()
        .map(|t| (t.key.bytes().all(|b| b < 0xee), t))
        .collect();
    terms.par_sort_unstable_by(|(a_plain, a), (b_plain, b)| {
        if *a_plain && *b_plain {
            a.key.cmp(&b.key)
        } else {
            cmp_keys(&a.key, &b.key)
        }
    });
    let terms: Vec<Term> = terms.into_iter().map(|(_, t)| t).collect();
    let encoded: Vec<(Vec<u8>, Files)> = terms.par_iter().map(encode_term).collect();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut shards: Vec<(String, String)> = Vec::new();
    let mut shard = Vec::new();
    let mut count = 0u64;
    let mut first = String::new();
    let mut prev: &str = "";
    let mut flush = |shard: &mut Vec<u8>, count: &mut u64, first: &str, files: &mut Vec<_>| {
        if *count == 0 {
            return;
        }
        let mut bytes = Vec::with_capacity(shard.len() + 4);
        varint(&mut bytes, *count);
        bytes.append(shard);
        let hash = hash_hex(&bytes, 12);
        files.push((format!("search/s/{hash}.bin"), bytes));
        shards.push((first.to_owned(), hash));
        *count = 0;
    };
    for (term, (body, tails)) in terms.iter().zip(encoded) {
        if count == 0 {
            first = term.key.clone();
            prev = "";
        }
        let shared = prev
            .bytes()
            .zip(term.key.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        varint(&mut shard, shared as u64);
        string(&mut shard, &term.key[shared..]);
        shard.extend_from_slice(&body);
        files.extend(tails);
        count += 1;
        prev = &term.key;
        if shard.len() >= SHARD_BYTES {
            flush(&mut shard, &mut count, &first, &mut files);
        }
    }
    flush(&mut shard, &mut count, &first, &mut files);

    let mut dirs = Vec::new();
    for group in shards.chunks(DIR_SHARDS) {
        let bytes = serde_json::to_vec(&group).expect("strings serialize");
        let hash = hash_hex(&bytes, 12);
        dirs.push((group[0].0.clone(), hash.clone()));
        files.push((format!("search/d/{hash}.json"), bytes));
    }

    let results = result_files(docs);
    let mut set = blake3::Hasher::new();
    for (name, bytes) in &results {
        set.update(name.as_bytes());
        set.update(bytes);
    }
    let set = set.finalize().to_hex()[..12].to_owned();
    files.extend(
        results
            .into_iter()
            .map(|(name, bytes)| (format!("search/r/{set}/{name}"), bytes)),
    );
    let manifest = json!({"v": 1, "pages": docs.len(), "r": set, "dirs": dirs});
    files.push((
        "search/manifest.json".to_owned(),
        serde_json::to_vec(&manifest).expect("manifest serializes"),
    ));
    files
}

/// A result file: page path, title, breadcrumb and `[anchor, heading, text]` per section.
#[derive(serde::Serialize)]
struct ResultFile<'a> {
    p: &'a str,
    t: &'a str,
    c: &'a [String],
    b: Vec<(Option<&'a str>, &'a str, &'a str)>,
}

/// Result data: one file per page and group of [`GROUP`] sections.
fn result_files(docs: &[SearchDoc]) -> Vec<(String, Vec<u8>)> {
    docs.par_iter()
        .enumerate()
        .flat_map_iter(|(i, doc)| {
            let groups = doc.sections.len().div_ceil(GROUP).max(1);
            (0..groups).map(move |g| {
                let value = ResultFile {
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
                };
                (
                    format!("{i}-{g}.json"),
                    serde_json::to_vec(&value).expect("result serializes"),
                )
            })
        })
        .collect()
}

// ---- Reading ----

/// One tier of a list: its size, its best weight, and its postings once loaded.
#[derive(Debug, Clone)]
pub(crate) struct Tier {
    pub count: usize,
    pub maxq: u8,
    /// File of a deeper tier (`search/t/<hash>.bin`).
    pub file: Option<String>,
    pub postings: Option<Vec<Posting>>,
}

/// A list as read from a shard.
#[derive(Debug, Clone, Default)]
pub(crate) struct ListEntry {
    pub m: u32,
    pub tiers: Vec<Tier>,
}

/// A term as read from a shard.
#[derive(Debug, Clone)]
pub(crate) struct TermEntry {
    pub key: String,
    pub variants: Vec<String>,
    /// Page list, then section list.
    pub lists: [ListEntry; 2],
}

impl TermEntry {
    /// Postings of all tiers (for the size of a term).
    pub(crate) fn df(&self) -> usize {
        self.lists
            .iter()
            .flat_map(|l| &l.tiers)
            .map(|t| t.count)
            .sum()
    }
}

pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0 }
    }
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.bytes.get(self.at).ok_or("tệp chỉ mục bị cắt cụt")?;
        self.at += 1;
        Ok(b)
    }
    fn varint(&mut self) -> Result<u64, String> {
        let mut n = 0u64;
        let mut shift = 0;
        loop {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(n);
            }
            shift += 7;
            if shift > 63 {
                return Err("số nguyên hỏng trong tệp chỉ mục".into());
            }
        }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or("tệp chỉ mục bị cắt cụt")?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn string(&mut self) -> Result<String, String> {
        let n = self.varint()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|e| e.to_string())
    }
}

/// Decodes `count` postings of one tier.
pub(crate) fn read_postings(
    r: &mut Reader<'_>,
    count: usize,
    blocks: bool,
    masks: u32,
) -> Result<Vec<Posting>, String> {
    let mut out = Vec::with_capacity(count);
    let mut page = 0u32;
    for _ in 0..count {
        page += r.varint()? as u32;
        let block = if blocks { r.varint()? as u16 } else { 0 };
        let q = r.byte()?;
        let mask = match masks {
            0 => 0,
            1 => 1,
            _ => r.varint()? as u32,
        };
        out.push(Posting {
            page,
            block,
            q,
            mask,
        });
    }
    Ok(out)
}

/// Decodes a term shard.
pub(crate) fn read_shard(bytes: &[u8]) -> Result<Vec<TermEntry>, String> {
    let mut r = Reader::new(bytes);
    let count = r.varint()? as usize;
    let mut terms = Vec::with_capacity(count.min(1 << 16));
    let mut prev: Vec<u8> = Vec::new();
    for _ in 0..count {
        let shared = r.varint()? as usize;
        let suffix_len = r.varint()? as usize;
        let suffix = r.take(suffix_len)?;
        prev.truncate(shared);
        prev.extend_from_slice(suffix);
        let key = String::from_utf8(prev.clone()).map_err(|e| e.to_string())?;
        let nvar = r.varint()? as usize;
        let variants = (0..nvar)
            .map(|_| r.string())
            .collect::<Result<Vec<_>, _>>()?;
        let mut lists: [ListEntry; 2] = Default::default();
        for (i, list) in lists.iter_mut().enumerate() {
            list.m = r.varint()? as u32;
            if list.m == 0 {
                continue;
            }
            let ntiers = r.varint()? as usize;
            for t in 0..ntiers {
                let count = r.varint()? as usize;
                let maxq = r.byte()?;
                let (file, postings) = if t == 0 {
                    let p = read_postings(&mut r, count, i == 1, nvar.min(2) as u32)?;
                    (None, Some(p))
                } else {
                    let hash: String = r.take(6)?.iter().map(|b| format!("{b:02x}")).collect();
                    (Some(format!("search/t/{hash}.bin")), None)
                };
                list.tiers.push(Tier {
                    count,
                    maxq,
                    file,
                    postings,
                });
            }
        }
        terms.push(TermEntry {
            key,
            variants,
            lists,
        });
    }
    Ok(terms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::SearchSection;

    fn doc(i: usize, text: &str) -> SearchDoc {
        SearchDoc {
            path: format!("/p{i}/"),
            title: format!("Trang {i}"),
            breadcrumb: vec!["Trang chủ".into()],
            number: None,
            number_display: None,
            cites: vec![],
            sections: vec![SearchSection {
                anchor: Some("a".into()),
                heading: "Điều 1".into(),
                text: text.into(),
            }],
        }
    }

    #[test]
    fn keys_sort_like_javascript() {
        // U+1F600 is a surrogate pair in UTF-16 and sorts before U+FF61 there.
        assert_eq!(cmp_keys("\u{1F600}", "\u{FF61}"), Ordering::Less);
        assert_eq!(cmp_keys("van", "van hoa"), Ordering::Less);
    }

    #[test]
    fn shards_round_trip_with_tiers() {
        let docs: Vec<SearchDoc> = (0..200)
            .map(|i| doc(i, &"văn hóa ".repeat(1 + i % 7)))
            .collect();
        let files = crate::search::build_index(&docs);
        let manifest = files
            .iter()
            .find(|f| f.0 == "search/manifest.json")
            .expect("manifest");
        let m: serde_json::Value = serde_json::from_slice(&manifest.1).unwrap();
        assert_eq!(m["pages"], 200);
        let mut found = None;
        for (name, bytes) in &files {
            if name.starts_with("search/s/") {
                for t in read_shard(bytes).unwrap() {
                    if t.key == "1van" {
                        found = Some(t);
                    }
                }
            }
        }
        let van = found.expect("term 1van");
        let tiers = &van.lists[1].tiers;
        assert_eq!(tiers.len(), 2);
        assert_eq!(tiers[0].count, TIER0);
        assert_eq!(tiers[0].count + tiers[1].count, 200);
        assert!(tiers[0].maxq >= tiers[1].maxq);
        let tail = tiers[1].file.as_ref().unwrap();
        let bytes = &files.iter().find(|f| &f.0 == tail).expect("tail file").1;
        let p = read_postings(&mut Reader::new(bytes), tiers[1].count, true, 1).unwrap();
        assert_eq!(p.len(), 200 - TIER0);
        assert!(p.iter().all(|x| x.q <= tiers[1].maxq));
        assert!(files.iter().any(|f| f.0.ends_with("/199-0.json")));
    }
}
