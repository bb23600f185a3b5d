//! From pages to weighted postings: tokenization, single- and two-syllable terms, document
//! numbers, and BM25-style impacts quantized to one byte.
//!
//! Runs in parallel over chunks of pages with chunk-local vocabularies (no shared mutable
//! state), then merges by term partition, because the index must add little to a build of
//! ten thousand pages on two cores.

use super::tuning::{B, K1, W_CITE, W_HEADING, W_NUMBER, W_PAIR, W_TITLE};
use super::SearchDoc;
use crate::text;
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast non-cryptographic hasher for small integer keys (the Fx algorithm): the index
/// hashes tens of millions of term ids and SipHash would dominate the phase.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(buf));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The block index of page-level postings (title and the page's own number).
const PAGE_UNIT: u16 = u16::MAX;
/// At most this many toned spellings per term are told apart.
pub(crate) const MAX_VARIANTS: usize = 31;
const KIND_WORD: u64 = 1 << 62;
const KIND_PAIR: u64 = 2 << 62;
const KIND_NUMBER: u64 = 3 << 62;
const PARTITIONS: usize = 64;

/// One posting: a page (title, number) or one of its sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Posting {
    pub page: u32,
    pub block: u16,
    /// Quantized BM25 term weight, 1–255.
    pub q: u8,
    /// Which of the term's toned spellings occur here (bit i = variant i).
    pub mask: u32,
}

/// A term's postings of one kind, best first.
#[derive(Debug, Default)]
pub(crate) struct List {
    /// Integer multiplier (idf × field weight × 100): a posting weighs `m × q`.
    pub m: u32,
    pub postings: Vec<Posting>,
}

/// A term with its toned spellings and its page-level and section-level postings.
#[derive(Debug)]
pub(crate) struct Term {
    pub key: String,
    pub variants: Vec<String>,
    pub page: List,
    pub block: List,
}

/// The whole index before it is cut into files.
pub(crate) struct Built {
    pub terms: Vec<Term>,
}

/// A page as token ids: title, then (heading, body, numbers) per section.
struct PageToks {
    title: Vec<u32>,
    blocks: Vec<BlockToks>,
    numbers: Vec<String>,
}

struct BlockToks {
    heading: Vec<u32>,
    body: Vec<u32>,
    /// Canonical numbers cited, with their weight (heading or body).
    cites: Vec<(String, u32)>,
}

/// One term's occurrences in one unit with one spelling. Kept flat (no per-term vectors)
/// because there are tens of millions of them on a large site.
#[derive(Clone, Copy)]
struct Raw {
    term: u64,
    var: u64,
    page: u32,
    tf: u32,
    block: u16,
}

/// Number terms: `#1847` for the leading number, `#1847/qd-ttg` for the whole canonical form.
pub(crate) fn number_keys(canonical: &str) -> [String; 2] {
    let lower = canonical.to_lowercase();
    let lead = lower.split('/').next().unwrap_or_default().to_owned();
    [format!("#{lead}"), format!("#{lower}")]
}

fn tokenize_chunk<'a>(docs: &'a [SearchDoc]) -> (Vec<&'a str>, Vec<PageToks>) {
    let mut ids: FxMap<&'a str, u32> = FxMap::default();
    let mut strs: Vec<&'a str> = Vec::new();
    let mut id_of = |s: &'a str| -> u32 {
        *ids.entry(s).or_insert_with(|| {
            strs.push(s);
            (strs.len() - 1) as u32
        })
    };
    let mut pages = Vec::with_capacity(docs.len());
    for doc in docs {
        let title = text::tokens(&doc.title).map(|t| id_of(t.text)).collect();
        let blocks = doc
            .sections
            .iter()
            .take(usize::from(PAGE_UNIT))
            .map(|s| {
                let mut cites = Vec::new();
                for (txt, w) in [(&s.heading, W_HEADING), (&s.text, 1)] {
                    for n in text::extract_numbers(txt) {
                        cites.push((n.canonical, w));
                    }
                }
                BlockToks {
                    heading: text::tokens(&s.heading).map(|t| id_of(t.text)).collect(),
                    body: text::tokens(&s.text).map(|t| id_of(t.text)).collect(),
                    cites,
                }
            })
            .collect();
        let numbers = doc.number.iter().cloned().collect();
        pages.push(PageToks {
            title,
            blocks,
            numbers,
        });
    }
    (strs, pages)
}

/// Interns strings to dense ids in first-seen order.
#[derive(Default)]
struct Interner {
    ids: FxMap<String, u32>,
    strs: Vec<String>,
}

impl Interner {
    fn id(&mut self, s: String) -> u32 {
        if let Some(&id) = self.ids.get(&s) {
            return id;
        }
        self.strs.push(s.clone());
        let id = (self.strs.len() - 1) as u32;
        self.ids.insert(s, id);
        id
    }
}

struct Vocab {
    /// Token id → (folded id, toned id).
    keys: Vec<(u32, u32)>,
    folded: Vec<String>,
    toned: Vec<String>,
    numbers: Interner,
}

fn partition(term: u64) -> usize {
    let mut h = FxHasher::default();
    h.write_u64(term);
    (h.finish() >> 40) as usize % PARTITIONS
}

type Partitions = Vec<Vec<Raw>>;

/// Raw postings of a chunk of pages, by term partition.
fn postings_chunk(first_page: usize, pages: &[PageToks], vocab: &Vocab) -> Partitions {
    let mut parts: Partitions = (0..PARTITIONS).map(|_| Vec::new()).collect();
    let mut acc: FxMap<(u64, u64), u32> = FxMap::default();
    let mut emit = |acc: &mut FxMap<(u64, u64), u32>, page: u32, block: u16| {
        for ((term, var), tf) in acc.drain() {
            parts[partition(term)].push(Raw {
                term,
                var,
                page,
                tf,
                block,
            });
        }
    };
    let add_field = |acc: &mut FxMap<(u64, u64), u32>, toks: &[u32], w: u32| {
        let mut prev: Option<(u32, u32)> = None;
        for &t in toks {
            let (f, d) = vocab.keys[t as usize];
            *acc.entry((KIND_WORD | u64::from(f), u64::from(d)))
                .or_default() += w;
            if let Some((pf, pd)) = prev {
                let term = KIND_PAIR | (u64::from(pf) << 31) | u64::from(f);
                *acc.entry((term, (u64::from(pd) << 32) | u64::from(d)))
                    .or_default() += w;
            }
            prev = Some((f, d));
        }
    };
    for (i, page) in pages.iter().enumerate() {
        let page_id = (first_page + i) as u32;
        add_field(&mut acc, &page.title, 1);
        for n in &page.numbers {
            for key in number_keys(n) {
                if let Some(&id) = vocab.numbers.ids.get(&key) {
                    acc.insert((KIND_NUMBER | u64::from(id), 0), u32::MAX);
                }
            }
        }
        emit(&mut acc, page_id, PAGE_UNIT);
        for (b, block) in page.blocks.iter().enumerate() {
            add_field(&mut acc, &block.heading, W_HEADING);
            add_field(&mut acc, &block.body, 1);
            for (n, w) in &block.cites {
                for key in number_keys(n) {
                    if let Some(&id) = vocab.numbers.ids.get(&key) {
                        *acc.entry((KIND_NUMBER | u64::from(id), 0)).or_default() += w;
                    }
                }
            }
            emit(&mut acc, page_id, b as u16);
        }
    }
    parts
}

/// Lengths that BM25 normalizes by.
struct Lengths {
    /// Index of each page's first section in `blocks`.
    first: Vec<usize>,
    blocks: Vec<u32>,
    titles: Vec<u32>,
    avg_block: f64,
    avg_title: f64,
}

fn saturate(tf: f64, len: f64, avg: f64) -> u8 {
    let norm = 1.0 - B + B * len / avg.max(1.0);
    let sat = tf * (K1 + 1.0) / (tf + K1 * norm);
    (255.0 * sat / (K1 + 1.0)).round().clamp(1.0, 255.0) as u8
}

fn multiplier(idf: f64, weight: f64) -> u32 {
    ((100.0 * idf * weight).round() as u32).max(1)
}

/// Turns a term's raw postings into weighted lists with variant masks.
fn finish_term(term: u64, raws: &[Raw], vocab: &Vocab, lens: &Lengths) -> Term {
    let kind = term & (3 << 62);
    let body = term & !(3 << 62);
    let (key, pair) = match kind {
        KIND_WORD => (format!("1{}", vocab.folded[body as usize]), false),
        KIND_PAIR => (
            format!(
                "2{} {}",
                vocab.folded[(body >> 31) as usize],
                vocab.folded[(body & 0x7fff_ffff) as usize]
            ),
            true,
        ),
        _ => (format!("1{}", vocab.numbers.strs[body as usize]), false),
    };
    let number = kind == KIND_NUMBER;
    // Variants, most frequent first (ties by spelling, for reproducible files).
    let mut variant_ids: Vec<u64> = Vec::new();
    let mut variant_names: Vec<String> = Vec::new();
    if !number {
        // Few spellings per term: a linear scan beats a map.
        let mut counts: Vec<(u64, u32)> = Vec::new();
        for r in raws {
            match counts.iter_mut().find(|c| c.0 == r.var) {
                Some(c) => c.1 += 1,
                None => counts.push((r.var, 1)),
            }
        }
        let name = |v: u64| -> String {
            if pair {
                format!(
                    "{} {}",
                    vocab.toned[(v >> 32) as usize],
                    vocab.toned[(v & 0xffff_ffff) as usize]
                )
            } else {
                vocab.toned[v as usize].clone()
            }
        };
        let mut named: Vec<(u32, String, u64)> =
            counts.into_iter().map(|(v, c)| (c, name(v), v)).collect();
        named.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        variant_ids = named.iter().map(|n| n.2).collect();
        variant_names = named.into_iter().take(MAX_VARIANTS).map(|n| n.1).collect();
    }
    let bit = |var: u64| -> u32 {
        match variant_ids.iter().position(|&v| v == var) {
            Some(i) if i < MAX_VARIANTS => 1 << i,
            _ => 0,
        }
    };
    // Aggregate consecutive records of one unit (one per variant).
    let mut page_units: Vec<(u32, u16, u32, u32)> = Vec::new();
    let mut block_units: Vec<(u32, u16, u32, u32)> = Vec::new();
    for r in raws {
        let units = if r.block == PAGE_UNIT {
            &mut page_units
        } else {
            &mut block_units
        };
        match units.last_mut() {
            Some(u) if u.0 == r.page && u.1 == r.block => {
                u.2 = u.2.saturating_add(r.tf);
                u.3 |= bit(r.var);
            }
            _ => units.push((r.page, r.block, r.tf, bit(r.var))),
        }
    }
    let n = lens.blocks.len() as f64;
    let df = block_units.len() as f64;
    let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
    let mut block = List {
        m: if block_units.is_empty() {
            0
        } else {
            multiplier(
                idf,
                if number {
                    W_CITE
                } else if pair {
                    W_PAIR
                } else {
                    1.0
                },
            )
        },
        postings: block_units
            .iter()
            .map(|&(page, b, tf, mask)| {
                let len = lens.blocks[lens.first[page as usize] + usize::from(b)];
                Posting {
                    page,
                    block: b,
                    q: saturate(f64::from(tf), f64::from(len), lens.avg_block),
                    mask,
                }
            })
            .collect(),
    };
    let mut page = List {
        m: if page_units.is_empty() {
            0
        } else if number {
            multiplier(idf, W_NUMBER)
        } else {
            multiplier(idf, W_TITLE * if pair { W_PAIR } else { 1.0 })
        },
        postings: page_units
            .iter()
            .map(|&(p, _, tf, mask)| Posting {
                page: p,
                block: 0,
                q: if number {
                    255
                } else {
                    saturate(
                        f64::from(tf),
                        f64::from(lens.titles[p as usize]),
                        lens.avg_title,
                    )
                },
                mask,
            })
            .collect(),
    };
    for list in [&mut page, &mut block] {
        list.postings.sort_by(|a, b| {
            b.q.cmp(&a.q)
                .then(a.page.cmp(&b.page))
                .then(a.block.cmp(&b.block))
        });
    }
    let variants = variant_names;
    Term {
        key,
        variants,
        page,
        block,
    }
}

/// Builds every term of the site.
pub(crate) fn build(docs: &[SearchDoc]) -> Built {
    let chunk = (docs.len() / (rayon::current_num_threads() * 4)).clamp(16, 1024);
    let chunks: Vec<(Vec<&str>, Vec<PageToks>)> =
        docs.par_chunks(chunk).map(tokenize_chunk).collect();

    // Global token vocabulary and each chunk's remapping.
    let mut global: FxMap<&str, u32> = FxMap::default();
    let mut strs: Vec<&str> = Vec::new();
    let remaps: Vec<Vec<u32>> = chunks
        .iter()
        .map(|(local, _)| {
            local
                .iter()
                .map(|s| {
                    *global.entry(s).or_insert_with(|| {
                        strs.push(s);
                        (strs.len() - 1) as u32
                    })
                })
                .collect()
        })
        .collect();
    let keyed: Vec<(String, String)> = strs
        .par_iter()
        .map(|s| (text::folded_key(s), text::toned_key(s)))
        .collect();
    let mut folded = Interner::default();
    let mut toned = Interner::default();
    let keys = keyed
        .into_iter()
        .map(|(f, t)| (folded.id(f), toned.id(t)))
        .collect();
    let mut numbers = Interner::default();
    for (_, pages) in &chunks {
        for p in pages {
            let cites = p.blocks.iter().flat_map(|b| b.cites.iter().map(|c| &c.0));
            for n in p.numbers.iter().chain(cites) {
                for key in number_keys(n) {
                    numbers.id(key);
                }
            }
        }
    }
    let vocab = Vocab {
        keys,
        folded: folded.strs,
        toned: toned.strs,
        numbers,
    };

    let mut chunks: Vec<Vec<PageToks>> = chunks
        .into_par_iter()
        .zip(remaps.par_iter())
        .map(|((_, mut pages), remap)| {
            for p in &mut pages {
                let fix = |v: &mut Vec<u32>| v.iter_mut().for_each(|t| *t = remap[*t as usize]);
                fix(&mut p.title);
                for b in &mut p.blocks {
                    fix(&mut b.heading);
                    fix(&mut b.body);
                }
            }
            pages
        })
        .collect();

    let mut lens = Lengths {
        first: Vec::with_capacity(docs.len()),
        blocks: Vec::new(),
        titles: Vec::with_capacity(docs.len()),
        avg_block: 0.0,
        avg_title: 0.0,
    };
    for p in chunks.iter().flatten() {
        lens.first.push(lens.blocks.len());
        lens.titles.push(p.title.len() as u32);
        for b in &p.blocks {
            lens.blocks.push((b.heading.len() + b.body.len()) as u32);
        }
    }
    let mean = |v: &[u32]| v.iter().map(|&x| f64::from(x)).sum::<f64>() / v.len().max(1) as f64;
    lens.avg_block = mean(&lens.blocks);
    lens.avg_title = mean(&lens.titles);

    let mut starts = Vec::with_capacity(chunks.len());
    let mut at = 0;
    for c in &chunks {
        starts.push(at);
        at += c.len();
    }
    let parts: Vec<Partitions> = chunks
        .par_iter_mut()
        .zip(starts.par_iter())
        .map(|(pages, &start)| postings_chunk(start, pages, &vocab))
        .collect();
    drop(chunks);

    let mut by_part: Vec<Vec<Vec<Raw>>> = (0..PARTITIONS).map(|_| Vec::new()).collect();
    for chunk_parts in parts {
        for (i, p) in chunk_parts.into_iter().enumerate() {
            by_part[i].push(p);
        }
    }
    let terms: Vec<Term> = by_part
        .into_par_iter()
        .flat_map_iter(|chunks| {
            // `finish_term` expects each term's records in page and section order.
            let mut raws: Vec<Raw> = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
            for c in chunks {
                raws.extend_from_slice(&c);
            }
            raws.sort_unstable_by_key(|r| (r.term, r.page, r.block));
            let vocab = &vocab;
            let lens = &lens;
            raws.chunk_by(|a, b| a.term == b.term)
                .map(|group| finish_term(group[0].term, group, vocab, lens))
                .collect::<Vec<_>>()
        })
        .collect();
    Built { terms }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::SearchSection;

    fn doc(title: &str, sections: &[(&str, &str)]) -> SearchDoc {
        SearchDoc {
            path: "/x/".into(),
            title: title.into(),
            breadcrumb: vec![],
            number: None,
            number_display: None,
            cites: vec![],
            sections: sections
                .iter()
                .map(|(h, t)| SearchSection {
                    anchor: None,
                    heading: (*h).into(),
                    text: (*t).into(),
                })
                .collect(),
        }
    }

    fn term<'a>(b: &'a Built, key: &str) -> &'a Term {
        b.terms.iter().find(|t| t.key == key).expect(key)
    }

    #[test]
    fn pairs_variants_and_numbers_are_indexed() {
        let mut d = doc(
            "Văn hóa công vụ",
            &[("", "con dế và con dê; theo Quyết định 1847/QĐ-TTg")],
        );
        d.number = Some("10/CT-TTG".into());
        let b = build(&[d]);
        let de = term(&b, "1de");
        assert_eq!(de.variants.len(), 2);
        assert_eq!(de.block.postings.len(), 1);
        assert_eq!(de.block.postings[0].mask, 0b11);
        let pair = term(&b, "2van hoa");
        assert_eq!(pair.variants, ["văn hoa1"]);
        assert_eq!(pair.page.postings.len(), 1);
        assert!(pair.block.postings.is_empty());
        assert_eq!(term(&b, "1#1847").block.postings.len(), 1);
        assert_eq!(term(&b, "1#1847/qd-ttg").block.postings.len(), 1);
        let own = term(&b, "1#10");
        assert_eq!(own.page.postings[0].q, 255);
    }

    #[test]
    fn more_occurrences_and_headings_weigh_more() {
        let b = build(&[
            doc("a", &[("", "kỷ luật kỷ luật kỷ luật với cán bộ")]),
            doc("b", &[("", "một lần kỷ luật với cán bộ và nhiều")]),
            doc("c", &[("Kỷ luật", "với cán bộ và nhiều chữ khác")]),
        ]);
        let t = term(&b, "1luat");
        let q = |page: u32| t.block.postings.iter().find(|p| p.page == page).unwrap().q;
        assert!(q(0) > q(1));
        assert!(q(2) > q(1));
        // Best first.
        assert!(t.block.postings.windows(2).all(|w| w[0].q >= w[1].q));
    }
}
