//! The second step of building the index: each unit's words, adjacent pairs and document
//! numbers as compact records grouped by their first word, and the BM25 term-frequency
//! saturation that turns a count into a weight byte.
//!
//! Records are 8 bytes and never sorted as a whole: a chunk's records are bucketed by first
//! word with a counting sort, so the records of one word, and of every pair it starts, are
//! a few slices in page order that [`super::index`] reads together. A word's occurrences in
//! a unit are summed here (a dense array per word is cheap); a pair's are not (a table of
//! pairs per unit costs more than the records it saves), `index` sums them.

use super::tuning::{B, K1, W_HEADING};
use super::vocab::{Chunk, Key, NO_BIT, OWN_NUMBER, PAGE_UNIT};

/// A number posting: number id, global unit, weight.
pub(super) type NumberPosting = (u32, u32, u8);

/// Records of a few consecutive units.
pub(super) struct Records {
    /// Global index of the first unit.
    pub(super) first_unit: u32,
    /// The records of word `w` (its own and those of the pairs it starts) are
    /// `bytes[off[w]..off[w + 1]]`, in unit order, packed (see [`unpack`]).
    pub(super) off: Vec<u32>,
    pub(super) bytes: Vec<u8>,
    pub(super) numbers: Vec<NumberPosting>,
}

// Record layout: bits 0–15 the unit (after the first), bit 24 set for a pair. A word has its
// weight q in bits 16–23 and its spelling mask in bits 25–55; a pair occurrence has bit 16
// set when it is in a heading, its spelling code (the bits of its two spellings, 5 bits
// each) in bits 25–34 and its second word in bits 35–63.
const PAIR: u64 = 1 << 24;
const HEADING: u64 = 1 << 16;

fn word_rec(unit: u16, q: u8, mask: u32) -> u64 {
    u64::from(unit) | u64::from(q) << 16 | u64::from(mask) << 25
}

fn pair_rec(unit: u16, heading: bool, code: u16, second: u32) -> u64 {
    let h = if heading { HEADING } else { 0 };
    u64::from(unit) | h | PAIR | u64::from(code) << 25 | u64::from(second) << 35
}

/// The unit of a record, after the first of its [`Records`].
pub(super) fn unit(r: u64) -> u32 {
    (r & 0xffff) as u32
}
/// The weight of a word record.
pub(super) fn q(r: u64) -> u8 {
    (r >> 16) as u8
}
/// Whether a record is a pair occurrence.
pub(super) fn is_pair(r: u64) -> bool {
    r & PAIR != 0
}
/// What a pair occurrence adds to its term frequency.
pub(super) fn weight(r: u64) -> u32 {
    if r & HEADING != 0 {
        W_HEADING
    } else {
        1
    }
}
/// The spelling mask of a word record.
pub(super) fn mask(r: u64) -> u32 {
    ((r >> 25) & 0x7fff_ffff) as u32
}
/// The spelling code of a pair record: first spelling's bit × 32 + second's.
pub(super) fn code(r: u64) -> u16 {
    ((r >> 25) & 0x3ff) as u16
}
/// The second word of a pair record.
pub(super) fn second(r: u64) -> u32 {
    (r >> 35) as u32
}

/// The mask bit of a spelling (none for spellings beyond the named ones).
fn bit_mask(bit: u8) -> u32 {
    if bit == NO_BIT {
        0
    } else {
        1 << bit
    }
}

/// BM25 term-frequency saturation, quantized to 1–255.
pub(super) fn saturate(tf: f64, len: f64, avg: f64) -> u8 {
    let norm = 1.0 - B + B * len / avg.max(1.0);
    let sat = tf * (K1 + 1.0) / (tf + K1 * norm);
    (255.0 * sat / (K1 + 1.0)).round().clamp(1.0, 255.0) as u8
}

/// BM25 inverse document frequency among `n` sections.
fn idf(n: f64, df: usize) -> f64 {
    let df = df as f64;
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Mantissa bits [`coarse`] keeps after the leading one.
const COARSE_BITS: u32 = 3;

/// `x` rounded to three significant bits after the leading one (steps of 1/8 of a power of
/// two, 7–12 %); `up` rounds up instead of to the nearest. 0 stays 0.
///
/// The mean unit lengths and the section count enter every weight of the site, so with
/// exact values one saved page would change every byte of the index. Rounded this coarsely
/// they almost never move when a page is edited, and the live index ([`super::live`])
/// re-encodes only the terms the edit touched (it builds everything again when they do
/// move). A unit's own length is rounded too: it is in the weight of every term of the
/// unit, so a sentence added to a long section would otherwise re-encode hundreds of
/// terms; rounded, most such edits leave them as they were. The ranking barely notices:
/// BM25 is flat in these (a weight byte moves by a few units at most). Done on the bits,
/// not with logarithms, so every platform rounds alike.
pub(super) fn coarse(x: f64, up: bool) -> f64 {
    if x.is_nan() || x <= 0.0 || x.is_infinite() {
        return 0.0;
    }
    let drop = 52 - COARSE_BITS;
    let low = (1u64 << drop) - 1;
    let bits = x.to_bits();
    let bits = if up {
        if bits & low == 0 {
            bits
        } else {
            (bits | low) + 1
        }
    } else {
        (bits + (1 << (drop - 1))) & !low
    };
    f64::from_bits(bits & !low)
}

/// Section counts below this have their idf in a table.
const SMALL_DF: usize = 4096;

/// Frequencies below this and lengths below [`SHORT`] have their weight in a table.
const SMALL_TF: usize = 16;
/// See [`SMALL_TF`].
const SHORT: usize = 1024;

/// Where a unit is and how long it is.
#[derive(Debug, Clone, Copy)]
pub(super) struct Unit {
    pub(super) page: u32,
    pub(super) block: u16,
    len: u16,
}

/// Every unit of the site, and the weights of the small term frequencies almost all terms
/// have. Weights depend on a unit's kind and length only, so one small table serves every
/// unit (a table per unit would miss the cache at every posting).
pub(super) struct Units {
    pub(super) all: Vec<Unit>,
    /// Exact lengths of the units too long for `u16`.
    long: std::collections::HashMap<u32, u32>,
    /// Weights by kind (section, title), length below [`SHORT`] and frequency.
    small: Vec<[u8; SMALL_TF]>,
    /// Mean length of sections and of titles.
    avg: [f64; 2],
    /// Number of sections in the site (the N of idf).
    sections: f64,
    /// idf of the small section counts most terms have.
    idf: Vec<f64>,
}

impl Units {
    /// Units as (page, block, length in tokens), in order.
    pub(super) fn new(all: Vec<(u32, u16, u32)>) -> Self {
        let mut sums = [0u64; 2];
        let mut counts = [0u64; 2];
        for &(_, block, len) in &all {
            let k = usize::from(block == PAGE_UNIT);
            sums[k] += u64::from(len);
            counts[k] += 1;
        }
        let avg = [0, 1].map(|k| coarse(sums[k] as f64 / counts[k].max(1) as f64, false));
        // Rounded up: a term is never in more sections than idf's N.
        let sections = coarse(counts[0] as f64, true);
        let small = (0..2 * SHORT)
            .map(|i| {
                let mut t = [0u8; SMALL_TF];
                for (tf, q) in t.iter_mut().enumerate().skip(1) {
                    let len = coarse((i % SHORT) as f64, false);
                    *q = saturate(tf as f64, len, avg[i / SHORT]);
                }
                t
            })
            .collect();
        let long = all
            .iter()
            .enumerate()
            .filter(|(_, u)| u.2 >= u32::from(u16::MAX))
            .map(|(i, u)| (i as u32, u.2))
            .collect();
        Self {
            all: all
                .into_iter()
                .map(|(page, block, len)| Unit {
                    page,
                    block,
                    len: len.min(u32::from(u16::MAX)) as u16,
                })
                .collect(),
            long,
            small,
            avg,
            sections,
            idf: (0..SMALL_DF).map(|df| idf(sections, df)).collect(),
        }
    }

    /// What every weight depends on besides the unit and the term: the rounded mean
    /// lengths and section count (see [`coarse`]).
    pub(super) fn scale(&self) -> [f64; 3] {
        [self.avg[0], self.avg[1], self.sections]
    }

    /// Inverse document frequency of a term in `df` sections.
    pub(super) fn idf(&self, df: usize) -> f64 {
        match self.idf.get(df) {
            Some(&idf) => idf,
            None => idf(self.sections, df),
        }
    }

    /// The weight of a term occurring `tf` times (weighted) in unit `u`.
    pub(super) fn q(&self, u: u32, tf: u32) -> u8 {
        self.q_of(self.all[u as usize], u, tf)
    }

    /// The weight of a document number mentioned `w` times (weighted) in unit `u`: full
    /// in a title and for a page's own number, saturated like a word elsewhere.
    pub(super) fn number_q(&self, u: u32, w: u32) -> u8 {
        let unit = self.all[u as usize];
        if unit.block == PAGE_UNIT || w == OWN_NUMBER {
            255
        } else {
            self.q_of(unit, u, w)
        }
    }

    /// [`Units::q`] for a unit already at hand.
    pub(super) fn q_of(&self, unit: Unit, u: u32, tf: u32) -> u8 {
        let kind = usize::from(unit.block == PAGE_UNIT);
        let len = usize::from(unit.len);
        if len < SHORT && (tf as usize) < SMALL_TF {
            return self.small[kind * SHORT + len][tf as usize];
        }
        let len = match self.long.get(&u) {
            Some(&l) => l,
            None => u32::from(unit.len),
        };
        // Term frequencies are saturated long before 65535.
        let tf = tf.min(u32::from(u16::MAX));
        saturate(f64::from(tf), coarse(f64::from(len), false), self.avg[kind])
    }
}

/// Scratch space of one worker, kept from chunk to chunk.
#[derive(Default)]
pub(super) struct Emitter {
    tf: Vec<u32>,
    masks: Vec<u32>,
    touched: Vec<u32>,
    raw: Vec<u64>,
    firsts: Vec<u32>,
    sorted: Vec<u64>,
    packed: Vec<u8>,
    nums: Vec<(u32, u32)>,
}

impl Emitter {
    /// Buckets the records emitted so far by first word; they start at `first_unit`.
    fn bucket(&mut self, words: usize, first_unit: u32, numbers: Vec<NumberPosting>) -> Records {
        let mut off = vec![0u32; words + 1];
        for &f in &self.firsts {
            off[f as usize + 1] += 1;
        }
        for i in 1..off.len() {
            off[i] += off[i - 1];
        }
        let mut at = off.clone();
        self.sorted.clear();
        self.sorted.resize(self.raw.len(), 0);
        for (&r, &f) in self.raw.iter().zip(&self.firsts) {
            let slot = &mut at[f as usize];
            self.sorted[*slot as usize] = r;
            *slot += 1;
        }
        self.raw.clear();
        self.firsts.clear();
        // Packed, word by word; `off` becomes byte offsets.
        self.packed.clear();
        for w in 0..words {
            let slice = &self.sorted[off[w] as usize..off[w + 1] as usize];
            off[w] = self.packed.len() as u32;
            pack(&mut self.packed, slice);
        }
        off[words] = self.packed.len() as u32;
        Records {
            first_unit,
            off,
            bytes: self.packed.clone(),
            numbers,
        }
    }
}

fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn read_varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut n = 0u64;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        n |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return n;
        }
        shift += 7;
    }
}

/// Packs records in unit order into about three bytes each (a third of their size: the
/// records of a whole site are the largest thing the index holds at once): the unit as a
/// delta and a pair flag, then a word's weight and mask or a pair's second word, spelling
/// code and heading flag.
fn pack(out: &mut Vec<u8>, recs: &[u64]) {
    let mut prev = 0;
    for &r in recs {
        let u = unit(r);
        varint(out, u64::from(u - prev) << 1 | u64::from(is_pair(r)));
        prev = u;
        if is_pair(r) {
            let heading = u64::from(r & HEADING != 0);
            varint(
                out,
                u64::from(second(r)) << 11 | u64::from(code(r)) << 1 | heading,
            );
        } else {
            out.push(q(r));
            varint(out, u64::from(mask(r)));
        }
    }
}

/// Records of a word packed by [`pack`], back as records.
pub(super) fn unpack(bytes: &[u8]) -> impl Iterator<Item = u64> + '_ {
    let mut at = 0;
    let mut unit = 0u64;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let head = read_varint(bytes, &mut at);
        unit += head >> 1;
        Some(if head & 1 == 1 {
            let v = read_varint(bytes, &mut at);
            let h = if v & 1 == 1 { HEADING } else { 0 };
            unit | h | PAIR | ((v >> 1) & 0x3ff) << 25 | (v >> 11) << 35
        } else {
            let q = bytes[at];
            at += 1;
            let mask = read_varint(bytes, &mut at);
            unit | u64::from(q) << 16 | mask << 25
        })
    })
}

/// Records of a chunk, in buckets of a few units each (one bucket's records fit in the L2
/// cache while they are bucketed). `keys` maps the chunk's token ids, `number_ids` gives
/// the two number terms of each of the chunk's numbers, `words` is the size of the
/// vocabulary.
pub(super) fn records(
    em: &mut Emitter,
    chunk: Chunk<'_>,
    keys: &[Key],
    number_ids: &[[u32; 2]],
    words: usize,
    units: &Units,
    first_unit: u32,
) -> Vec<Records> {
    // Records per bucket: enough that the bucket offsets (one per word) stay small next
    // to the records.
    let flush_at = (4 * words).max(1 << 16);
    em.tf.resize(words, 0);
    em.masks.resize(words, 0);
    em.raw.clear();
    em.firsts.clear();
    let mut out = Vec::new();
    let mut numbers = Vec::new();
    let mut next_number = 0;
    let mut start = 0usize;
    let mut from = 0;
    let mut toks = chunk.toks.reader();
    for (u, unit) in chunk.units.iter().enumerate() {
        if em.raw.len() >= flush_at || u - from > usize::from(u16::MAX) {
            out.push(em.bucket(
                words,
                first_unit + from as u32,
                std::mem::take(&mut numbers),
            ));
            from = u;
        }
        let Emitter {
            tf,
            masks,
            touched,
            raw,
            firsts,
            nums,
            ..
        } = em;
        let len = unit.end as usize - start;
        start = unit.end as usize;
        let rel = (u - from) as u16;
        let global = first_unit + u as u32;
        let mut prev = Key::new(0, 0);
        let heading = unit.heading as usize;
        for i in 0..len {
            let (t, joined) = toks.next_token();
            let k = keys[t as usize];
            let f = k.word() as usize;
            let in_heading = i < heading;
            if tf[f] == 0 {
                touched.push(k.word());
            }
            tf[f] += if in_heading { W_HEADING } else { 1 };
            masks[f] |= bit_mask(k.bit());
            if joined {
                let code = u16::from(prev.bit()) << 5 | u16::from(k.bit());
                raw.push(pair_rec(rel, in_heading, code, k.word()));
                firsts.push(prev.word());
            }
            prev = k;
        }
        for &f in touched.iter() {
            let f = f as usize;
            raw.push(word_rec(rel, units.q(global, tf[f]), masks[f]));
            firsts.push(f as u32);
            tf[f] = 0;
            masks[f] = 0;
        }
        touched.clear();
        // Document numbers of the unit.
        while let Some((nu, _, w)) = chunk.numbers.get(next_number) {
            if *nu as usize != u {
                break;
            }
            for id in number_ids[next_number] {
                add_mention(nums, id, *w);
            }
            next_number += 1;
        }
        for (id, w) in nums.drain(..) {
            numbers.push((id, global, units.number_q(global, w)));
        }
    }
    out.push(em.bucket(words, first_unit + from as u32, numbers));
    out
}

/// Adds `w` mentions of number `key` to a unit's sums (a unit names few numbers: a list
/// beats a map).
pub(super) fn add_mention(nums: &mut Vec<(u32, u32)>, key: u32, w: u32) {
    match nums.iter_mut().find(|n| n.0 == key) {
        Some(n) => n.1 = n.1.saturating_add(w),
        None => nums.push((key, w)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_their_fields() {
        let w = word_rec(65535, 200, 0x7fff_ffff);
        assert_eq!(
            (unit(w), q(w), is_pair(w), mask(w)),
            (65535, 200, false, 0x7fff_ffff)
        );
        let last = (super::super::vocab::MAX_WORDS - 1) as u32;
        let p = pair_rec(3, true, 31 << 5 | 30, last);
        assert!(is_pair(p));
        assert_eq!((unit(p), weight(p), code(p)), (3, W_HEADING, 31 << 5 | 30));
        assert_eq!(second(p), last);
        assert_eq!(weight(pair_rec(0, false, 0, 0)), 1);
        let recs = [w, p, pair_rec(3, false, 7, 70_000), word_rec(300, 1, 1)];
        let mut bytes = Vec::new();
        let mut sorted = recs.to_vec();
        sorted.sort_by_key(|&r| unit(r));
        pack(&mut bytes, &sorted);
        assert!(bytes.len() < 8 * recs.len());
        assert_eq!(unpack(&bytes).collect::<Vec<_>>(), sorted);
    }

    #[test]
    fn more_occurrences_weigh_more_and_long_units_less() {
        assert!(saturate(3.0, 10.0, 10.0) > saturate(1.0, 10.0, 10.0));
        assert!(saturate(1.0, 100.0, 10.0) < saturate(1.0, 10.0, 10.0));
        assert_eq!(saturate(1e9, 1.0, 10.0), 255);
        let units = Units::new(vec![
            (0, PAGE_UNIT, 4),
            (0, 0, 10),
            (0, 1, 30),
            (1, 0, 70_000),
        ]);
        let avg = coarse((10.0 + 30.0 + 70_000.0) / 3.0, false);
        let n = coarse(3.0, true);
        assert_eq!(units.idf(5000), idf(n, 5000));
        assert_eq!(units.idf(1), idf(n, 1));
        assert_eq!(units.q(1, 2), saturate(2.0, 10.0, avg));
        assert_eq!(units.q(0, 3), saturate(3.0, 4.0, coarse(4.0, false)));
        assert_eq!(units.q(2, 100_000), saturate(65535.0, 30.0, avg));
        assert_eq!(units.q(3, 1), saturate(1.0, coarse(70_000.0, false), avg));
        let units = Units::new(vec![(0, 0, 10), (0, 1, 30)]);
        assert!(units.q(0, 1) > units.q(1, 1));
    }

    #[test]
    fn coarse_values_move_in_eighths_of_a_power_of_two() {
        assert_eq!(coarse(0.0, false), 0.0);
        assert_eq!(coarse(16.0, false), 16.0);
        assert_eq!(coarse(100.0, false), coarse(100.5, false));
        assert!(coarse(3.0, true) >= 3.0 && coarse(3.0, true) < 3.0 * 1.1);
        assert_eq!(coarse(9.0, false), 9.0);
        assert_eq!(coarse(9.4, false), 9.0);
        assert_eq!(coarse(9.6, false), 10.0);
        assert_eq!(coarse(9.1, true), 10.0);
        assert_eq!(coarse(15.5, true), 16.0);
        assert!((coarse(1000.0, false) / 1000.0 - 1.0).abs() < 0.07);
    }
}
