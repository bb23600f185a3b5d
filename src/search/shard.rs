//! The index's files: what goes where, how it is encoded, and how it is read back.
//!
//! ```text
//! search/manifest.json            fixed name, short cache:
//!                                 {v, pages, r, rp, rg, dirs: [[first key, hash]]}
//! search/d/<hash>.json            a directory: [[first key, shard hash]] for up to 64 shards
//! search/s/<hash>.bin             a term shard: consecutive terms with their postings
//! search/r/<r>/<k>-<g>.json       result data of pages k·rp … k·rp+rp−1, sections of group g
//! ```
//!
//! Every name except the manifest carries a content hash (result files sit under the hash of
//! all of them), so everything but the manifest can be cached forever. Keys sort by UTF-16
//! code units, the order JavaScript compares strings in, so the client's binary search and
//! this file's agree.
//!
//! Shard encoding (all integers LEB128 varints, strings UTF-8 with a varint length):
//! `count`, then per term: shared key prefix length, key suffix, `df` (postings before the
//! lists were cut: what prefix expansion ranks keys by), `nvar × 2 + explicit`, the
//! variants, then the page list and the section list: `m` (0 = empty, nothing follows),
//! posting count, postings. A word's variants are its toned spellings; a pair's are codes
//! `i × 32 + j`, spelling `i` of its first word and `j` of its second (indexes into those
//! words' variants), so a pair costs no strings. Postings are sorted by page then section:
//! page delta, [section], q byte, [variant mask when `explicit`]; without explicit masks a
//! posting's mask is 1 if the term has one variant, else 0.
//!
//! A list holds at most [`MAX_POSTINGS`] postings, those of the pages its term weighs most
//! in (`index::keep_best`), no more: one file per term lookup, no deeper tiers to fetch.

use super::cut::{ends_segment, run_label, Cutter};
use super::index::{Posting, Run};
use super::tuning::{DIR_SHARDS, GROUP, MAX_POSTINGS, RESULT_PAGES};
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

pub(super) fn hash_hex(bytes: &[u8], len: usize) -> String {
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

/// A term's toned spellings as written into its entry.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Variants<'a> {
    /// A word's spellings.
    Words(&'a [String]),
    /// A pair's spellings as codes (spelling of the first word × 32 + of the second).
    Codes(&'a [u16]),
    /// Document numbers have none.
    None,
}

/// Appends a term's entry (everything after its key): `lists` are the page list and the
/// section list, in page order, with their multipliers `m`.
pub(crate) fn encode_term(
    out: &mut Vec<u8>,
    df: usize,
    variants: Variants<'_>,
    lists: [&[Posting]; 2],
    m: [u32; 2],
) {
    varint(out, df as u64);
    let nvar = match variants {
        Variants::Words(v) => v.len(),
        Variants::Codes(c) => c.len(),
        Variants::None => 0,
    };
    let implied = u32::from(nvar == 1);
    let explicit = nvar > 1
        || (nvar == 1
            && lists
                .iter()
                .flat_map(|l| l.iter())
                .any(|p| p.mask != implied));
    varint(out, (nvar as u64) << 1 | u64::from(explicit));
    match variants {
        Variants::Words(v) => v.iter().for_each(|s| string(out, s)),
        Variants::Codes(c) => c.iter().for_each(|&c| varint(out, u64::from(c))),
        Variants::None => {}
    }
    for (l, (list, m)) in lists.into_iter().zip(m).enumerate() {
        if list.is_empty() {
            varint(out, 0);
            continue;
        }
        varint(out, u64::from(m));
        varint(out, list.len() as u64);
        let mut prev = 0;
        for p in list {
            varint(out, u64::from(p.page - prev));
            prev = p.page;
            if l == 1 {
                varint(out, u64::from(p.block));
            }
            out.push(p.q);
            if explicit {
                varint(out, u64::from(p.mask));
            }
        }
    }
}

/// Cuts consecutive runs of terms into shards: (first key, bytes).
fn cut(runs: &[Run]) -> Vec<(String, Vec<u8>)> {
    let mut shards = Vec::new();
    let mut cutter = Cutter::default();
    let mut out = |first, bytes| shards.push((first, bytes));
    for (key, body) in runs.iter().flat_map(Run::iter) {
        cutter.push(key, body, &mut out);
    }
    cutter.flush(&mut out);
    shards
}

/// Where the index's files go: each file once, from any thread, as soon as it is complete,
/// so that a large site's index is never all in memory (`sotay build` writes them to disk).
pub type Sink<'a> = dyn Fn(String, Vec<u8>) + Sync + 'a;

/// Cuts runs of terms into shards as they are finished, a segment of consecutive runs at a
/// time: a shard never spans two segments. Segments end where the content says
/// ([`super::cut::ends_segment`]), so the files do not depend on the number of threads or
/// on when runs arrive, and an edit moves no segment boundary but its own.
pub(crate) struct Shards<'a> {
    out: &'a Sink<'a>,
    pending: Vec<Run>,
    /// (first key, hash) of every shard written.
    listed: Vec<(String, String)>,
}

impl<'a> Shards<'a> {
    pub(crate) fn new(out: &'a Sink<'a>) -> Self {
        Self {
            out,
            pending: Vec::new(),
            listed: Vec::new(),
        }
    }

    /// Takes runs in key order; writes the segments they complete.
    pub(crate) fn push(&mut self, runs: impl IntoIterator<Item = Run>) {
        let mut segments: Vec<Vec<Run>> = Vec::new();
        for run in runs {
            let ends = run
                .first_key()
                .and_then(run_label)
                .is_some_and(|label| ends_segment(label, run.bytes()));
            self.pending.push(run);
            if ends {
                segments.push(std::mem::take(&mut self.pending));
            }
        }
        self.write(segments);
    }

    /// Writes what is pending as a last segment.
    pub(crate) fn flush(&mut self) {
        let last = std::mem::take(&mut self.pending);
        self.write(vec![last]);
    }

    fn write(&mut self, segments: Vec<Vec<Run>>) {
        let out = self.out;
        let listed: Vec<(String, String)> = segments
            .into_par_iter()
            .flat_map_iter(|runs| {
                cut(&runs).into_iter().map(|(first, bytes)| {
                    let hash = hash_hex(&bytes, 12);
                    out(format!("search/s/{hash}.bin"), bytes);
                    (first, hash)
                })
            })
            .collect();
        self.listed.extend(listed);
    }

    /// Writes the directories and the manifest of a site of `pages` pages whose result
    /// files (written before) are the set `set`.
    pub(crate) fn finish(mut self, pages: usize, set: &str, retired: &[u32]) {
        self.flush();
        directories_and_manifest(self.listed, pages, set, retired, self.out);
    }
}

/// Writes the directory files of the shards `listed` as (first key, hash), in any order, and
/// the manifest, which names them and the result set `set`, and lists the pages not in
/// force (`retired`, see `standing`).
pub(crate) fn directories_and_manifest(
    mut listed: Vec<(String, String)>,
    pages: usize,
    set: &str,
    retired: &[u32],
    out: &Sink<'_>,
) {
    listed.sort_unstable_by(|a, b| cmp_keys(&a.0, &b.0));
    let mut dirs = Vec::new();
    for group in listed.chunks(DIR_SHARDS) {
        let bytes = serde_json::to_vec(&group).expect("strings serialize");
        let hash = hash_hex(&bytes, 12);
        dirs.push((group[0].0.clone(), hash.clone()));
        out(format!("search/d/{hash}.json"), bytes);
    }
    let mut manifest = json!({
        "v": 2,
        "pages": pages,
        "r": set,
        "rp": RESULT_PAGES,
        "rg": GROUP,
        "dirs": dirs,
    });
    if !retired.is_empty() {
        manifest["x"] = json!(retired);
    }
    let bytes = serde_json::to_vec(&manifest).expect("manifest serializes");
    out("search/manifest.json".to_owned(), bytes);
}

// ---- Reading ----

/// A list as read from a shard.
#[derive(Debug, Clone, Default)]
pub(crate) struct ListEntry {
    pub m: u32,
    pub postings: Vec<Posting>,
}

/// A term as read from a shard.
#[derive(Debug, Clone)]
pub(crate) struct TermEntry {
    pub key: String,
    /// Postings before the lists were cut to [`MAX_POSTINGS`].
    pub df: usize,
    /// A word's toned spellings (empty for pairs and numbers).
    pub variants: Vec<String>,
    /// A pair's spellings as codes (empty for words and numbers).
    pub codes: Vec<u16>,
    /// Page list, then section list.
    pub lists: [ListEntry; 2],
}

impl TermEntry {
    /// Whether the term tells spellings apart.
    pub(crate) fn has_variants(&self) -> bool {
        !self.variants.is_empty() || !self.codes.is_empty()
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
        let df = r.varint()? as usize;
        let header = r.varint()?;
        let (nvar, explicit) = ((header >> 1) as usize, header & 1 == 1);
        let mut variants = Vec::new();
        let mut codes = Vec::new();
        for _ in 0..nvar {
            if key.starts_with('2') {
                codes.push(r.varint()? as u16);
            } else {
                variants.push(r.string()?);
            }
        }
        let implied = u32::from(nvar == 1);
        let mut lists: [ListEntry; 2] = Default::default();
        for (l, list) in lists.iter_mut().enumerate() {
            list.m = r.varint()? as u32;
            if list.m == 0 {
                continue;
            }
            let n = r.varint()? as usize;
            let mut page = 0u32;
            list.postings.reserve(n.min(MAX_POSTINGS));
            for _ in 0..n {
                page += r.varint()? as u32;
                let block = if l == 1 { r.varint()? as u16 } else { 0 };
                let q = r.byte()?;
                let mask = if explicit {
                    r.varint()? as u32
                } else {
                    implied
                };
                list.postings.push(Posting {
                    page,
                    block,
                    q,
                    mask,
                });
            }
        }
        terms.push(TermEntry {
            key,
            df,
            variants,
            codes,
            lists,
        });
    }
    Ok(terms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::SearchDoc;

    fn doc(i: usize, text: &str) -> SearchDoc {
        crate::search::test_doc(i, &format!("Trang {i}"), &[("Điều 1", text)])
    }

    #[test]
    fn files_do_not_depend_on_the_number_of_threads() {
        // Enough distinct pairs for several segments and batches.
        let syllables = [
            "văn", "hóa", "công", "vụ", "cán", "bộ", "dân", "sự", "luật", "kỷ",
        ];
        let mut seed = 7u64;
        let docs: Vec<SearchDoc> = (0..1500)
            .map(|i| {
                let text: Vec<String> = (0..80)
                    .map(|_| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        let s = syllables[(seed >> 33) as usize % syllables.len()];
                        format!("{s}{}", (seed >> 40) % 50)
                    })
                    .collect();
                doc(i, &text.join(" "))
            })
            .collect();
        let build = |threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| crate::search::build_index(&docs))
        };
        let one = build(1);
        assert!(one.iter().filter(|f| f.0.starts_with("search/s/")).count() > 100);
        assert!(one == build(3));
    }

    #[test]
    fn keys_sort_like_javascript() {
        // U+1F600 is a surrogate pair in UTF-16 and sorts before U+FF61 there.
        assert_eq!(cmp_keys("\u{1F600}", "\u{FF61}"), Ordering::Less);
        assert_eq!(cmp_keys("van", "van hoa"), Ordering::Less);
    }

    #[test]
    fn entries_round_trip_with_and_without_masks() {
        let p = |page, block, q, mask| Posting {
            page,
            block,
            q,
            mask,
        };
        let cases: [(Variants<'_>, Vec<Posting>); 3] = [
            (
                Variants::Codes(&[33, 2]),
                vec![p(1, 0, 9, 2), p(7, 3, 200, 3)],
            ),
            (Variants::Codes(&[33]), vec![p(1, 0, 9, 1), p(7, 3, 200, 0)]),
            (Variants::None, vec![p(4, 65534, 1, 0)]),
        ];
        for (variants, block) in cases {
            let page = [p(2, 0, 255, block[0].mask)];
            let mut bytes = vec![1, 0, 5];
            bytes.extend_from_slice(b"2a bc");
            encode_term(&mut bytes, 40, variants, [&page, &block], [7, 300]);
            let t = &read_shard(&bytes).unwrap()[0];
            assert_eq!((t.key.as_str(), t.df), ("2a bc", 40));
            assert_eq!(t.lists[0].m, 7);
            assert_eq!(t.lists[1].m, 300);
            assert_eq!(t.lists[0].postings, page);
            assert_eq!(t.lists[1].postings, block);
        }
    }

    #[test]
    fn owned_documents_give_the_files_borrowed_ones_give() {
        // `sotay build` hands its documents over, to be dropped once read; `serve` lends them.
        let docs: Vec<SearchDoc> = (0..300)
            .map(|i| doc(i, &format!("văn hóa công vụ {i} theo 1847/QĐ-TTg")))
            .collect();
        let borrowed = crate::search::build_index(&docs);
        let files = std::sync::Mutex::new(Vec::new());
        let passes = crate::search::build_index_to(std::borrow::Cow::Owned(docs), &|p, b| {
            files.lock().unwrap().push((p, b));
        });
        let mut owned = files.into_inner().unwrap();
        owned.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        assert!(owned.len() > 3);
        assert!(owned == borrowed, "the same files, byte for byte");
        let names: Vec<&str> = passes.iter().map(|p| p.0).collect();
        assert_eq!(names, ["tokens", "results", "records", "terms"]);
    }

    #[test]
    fn shards_list_every_term_once_in_key_order() {
        let docs: Vec<SearchDoc> = (0..300)
            .map(|i| doc(i, &format!("văn hóa {} số {i}", "chữ ".repeat(i % 7))))
            .collect();
        let files = crate::search::build_index(&docs);
        let manifest = files
            .iter()
            .find(|f| f.0 == "search/manifest.json")
            .expect("manifest");
        let m: serde_json::Value = serde_json::from_slice(&manifest.1).unwrap();
        assert_eq!(m["pages"], 300);
        let mut keys = Vec::new();
        let mut shards = 0;
        for d in m["dirs"].as_array().unwrap() {
            let dir = &files
                .iter()
                .find(|f| f.0 == format!("search/d/{}.json", d[1].as_str().unwrap()))
                .unwrap()
                .1;
            let dir: Vec<(String, String)> = serde_json::from_slice(dir).unwrap();
            for (first, hash) in dir {
                let name = format!("search/s/{hash}.bin");
                let bytes = &files.iter().find(|f| f.0 == name).expect("shard").1;
                assert_eq!(hash, hash_hex(bytes, 12), "named by content");
                let terms = read_shard(bytes).unwrap();
                assert_eq!(terms[0].key, first);
                keys.extend(terms.into_iter().map(|t| t.key));
                shards += 1;
            }
        }
        assert!(shards > 1, "several shards");
        assert!(keys.windows(2).all(|w| cmp_keys(&w[0], &w[1]).is_lt()));
        assert!(keys.contains(&"2van hoa".to_owned()) && keys.contains(&"1299".to_owned()));
    }
}
