//! The second step of building the index: each unit's words, adjacent pairs and document
//! numbers as compact records grouped by their first word, and the BM25 term-frequency
//! saturation that turns a count into a weight byte.
//!
//! Records are fixed-width (8 bytes for a word in a unit, 6 for a pair occurrence), so
//! that the terms pass reads them without decoding, and never sorted as a whole: a chunk's
//! records are bucketed by first word with a counting sort, so the records of one word, and
//! of every pair it starts, are a few slices in page order that [`super::index`] reads
//! together. A pair names its second word by rank (its place in key order), the order in
//! which `index` groups a word's pairs. A word's occurrences in a unit are summed here (a
//! dense array per word is cheap); a pair's are not (a table of pairs per unit costs more
//! than the records it saves), `index` sums them.

use super::tuning::{B, K1, W_HEADING};
use super::vocab::{Body, Key, NO_BIT, OWN_NUMBER, PAGE_UNIT};

/// A number posting: number id, global unit, weight.
pub(super) type NumberPosting = (u32, u32, u8);

/// Records of a few consecutive units.
pub(super) struct Records {
    /// Global index of the first unit.
    pub(super) first_unit: u32,
    /// The records of word `w` are `words[word_off[w]..word_off[w + 1]]`, in unit order
    /// (see [`word_rec`]).
    pub(super) word_off: Vec<u32>,
    pub(super) words: Vec<u64>,
    /// The pairs word `w` starts are `pairs[pair_off[w]..pair_off[w + 1]]` (see
    /// [`pair_rec`]), with their units (after the first) in `pair_units`, in unit order.
    /// Six bytes a pair: the pairs of a whole site are the largest thing the index holds
    /// at once.
    pub(super) pair_off: Vec<u32>,
    pub(super) pairs: Vec<u32>,
    pub(super) pair_units: Vec<u16>,
    pub(super) numbers: Vec<NumberPosting>,
}

// A word record: bits 0–15 the unit (after the first of its `Records`), its weight q in
// bits 16–23 and its spelling mask in bits 25–55.
fn word_rec(unit: u16, q: u8, mask: u32) -> u64 {
    u64::from(unit) | u64::from(q) << 16 | u64::from(mask) << 25
}

/// Bits of a pair record below its second word's rank: its spelling code × 2 + heading
/// flag.
const SPELLING_BITS: u32 = 11;
/// Words whose rank a pair record can hold.
pub(super) const MAX_RANKS: usize = 1 << (32 - SPELLING_BITS);

/// A pair occurrence (its unit aside): the rank of its second word, its spelling code
/// (the bits of its two spellings, 5 bits each) and whether it is in a heading.
fn pair_rec(heading: bool, code: u16, second_rank: u32) -> u32 {
    second_rank << SPELLING_BITS | u32::from(code) << 1 | u32::from(heading)
}

/// The rank of a pair record's second word.
pub(super) fn rec_rank(rec: u32) -> u32 {
    rec >> SPELLING_BITS
}

/// A pair record with its global unit, in the form the terms pass sorts and reads: by
/// rank, then (a stable sort keeps it) by unit.
pub(super) fn placed_pair(rec: u32, unit: u32) -> u64 {
    u64::from(rec) << 32 | u64::from(unit)
}
/// The rank of a [`placed_pair`]'s second word.
pub(super) fn pair_rank(p: u64) -> u32 {
    rec_rank((p >> 32) as u32)
}
/// The global unit of a [`placed_pair`].
pub(super) fn pair_unit(p: u64) -> u32 {
    p as u32
}
/// A [`placed_pair`]'s spelling code × 2 + heading flag.
pub(super) fn pair_spelling(p: u64) -> u32 {
    (p >> 32) as u32 & ((1 << SPELLING_BITS) - 1)
}

/// The unit of a word record, after the first of its [`Records`].
pub(super) fn unit(r: u64) -> u32 {
    (r & 0xffff) as u32
}
/// The weight of a word record.
pub(super) fn q(r: u64) -> u8 {
    (r >> 16) as u8
}
/// The spelling mask of a word record.
pub(super) fn mask(r: u64) -> u32 {
    ((r >> 25) & 0x7fff_ffff) as u32
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
    /// Word records and the word each belongs to, then pair records and their first word.
    words: Vec<u64>,
    word_firsts: Vec<u32>,
    pairs: Vec<u32>,
    pair_units: Vec<u16>,
    pair_firsts: Vec<u32>,
    nums: Vec<(u32, u32)>,
}

impl Emitter {
    /// Buckets the records emitted so far by first word; they start at `first_unit`.
    fn bucket(&mut self, words: usize, first_unit: u32, numbers: Vec<NumberPosting>) -> Records {
        let word_off = first_word_offsets(&self.word_firsts, words);
        let pair_off = first_word_offsets(&self.pair_firsts, words);
        let word_recs = scatter(&self.words, &self.word_firsts, &word_off);
        let pairs = scatter(&self.pairs, &self.pair_firsts, &pair_off);
        let pair_units = scatter(&self.pair_units, &self.pair_firsts, &pair_off);
        self.words.clear();
        self.word_firsts.clear();
        self.pairs.clear();
        self.pair_units.clear();
        self.pair_firsts.clear();
        Records {
            first_unit,
            word_off,
            words: word_recs,
            pair_off,
            pairs,
            pair_units,
            numbers,
        }
    }
}

/// Where each first word's bucket starts (a counting sort's offsets).
fn first_word_offsets(firsts: &[u32], words: usize) -> Vec<u32> {
    let mut off = vec![0u32; words + 1];
    for &f in firsts {
        off[f as usize + 1] += 1;
    }
    for i in 1..off.len() {
        off[i] += off[i - 1];
    }
    off
}

/// `items` bucketed by their first word at the offsets `off`, in order within a bucket.
fn scatter<T: Copy + Default>(items: &[T], firsts: &[u32], off: &[u32]) -> Vec<T> {
    let mut at = off.to_vec();
    let mut sorted = vec![T::default(); items.len()];
    for (&r, &f) in items.iter().zip(firsts) {
        let slot = &mut at[f as usize];
        sorted[*slot as usize] = r;
        *slot += 1;
    }
    sorted
}

/// Records of a chunk, in buckets of a few units each (one bucket's records fit in the L2
/// cache while they are bucketed). `keys` maps the chunk's token ids, `rank` gives each
/// word's place in key order (one entry per word of the vocabulary), `number_ids` gives
/// the two number terms of each of the chunk's numbers.
pub(super) fn records(
    em: &mut Emitter,
    chunk: Body,
    keys: &[Key],
    rank: &[u32],
    number_ids: &[[u32; 2]],
    units: &Units,
    first_unit: u32,
) -> Vec<Records> {
    let words = rank.len();
    // Records per bucket: enough that the bucket offsets (one per word) stay small next
    // to the records.
    let flush_at = (4 * words).max(1 << 16);
    em.tf.resize(words, 0);
    em.masks.resize(words, 0);
    em.words.clear();
    em.word_firsts.clear();
    em.pairs.clear();
    em.pair_units.clear();
    em.pair_firsts.clear();
    let mut out = Vec::new();
    let mut numbers = Vec::new();
    let mut next_number = 0;
    let mut start = 0usize;
    let mut from = 0;
    let mut toks = chunk.toks.reader();
    for (u, unit) in chunk.units.iter().enumerate() {
        if em.words.len() + em.pairs.len() >= flush_at || u - from > usize::from(u16::MAX) {
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
            words: word_recs,
            word_firsts,
            pairs,
            pair_units,
            pair_firsts,
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
                pairs.push(pair_rec(in_heading, code, rank[k.word() as usize]));
                pair_units.push(rel);
                pair_firsts.push(prev.word());
            }
            prev = k;
        }
        for &f in touched.iter() {
            let f = f as usize;
            word_recs.push(word_rec(rel, units.q(global, tf[f]), masks[f]));
            word_firsts.push(f as u32);
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
        assert_eq!((unit(w), q(w), mask(w)), (65535, 200, 0x7fff_ffff));
        let last_rank = (MAX_RANKS - 1) as u32;
        let p = placed_pair(pair_rec(true, 31 << 5 | 30, last_rank), u32::MAX);
        assert_eq!(
            (pair_rank(p), pair_unit(p), pair_spelling(p)),
            (last_rank, u32::MAX, (31 << 5 | 30) << 1 | 1)
        );
        let rec = pair_rec(false, 7, 5);
        assert_eq!(rec_rank(rec), 5);
        let p = placed_pair(rec, 3);
        assert_eq!((pair_rank(p), pair_unit(p), pair_spelling(p)), (5, 3, 14));
        // Rank and unit read back apart whatever the spelling between them.
        let a = placed_pair(pair_rec(false, 1023, 1), 9);
        let b = placed_pair(pair_rec(false, 0, 1), 10);
        let c = placed_pair(pair_rec(true, 0, 2), 0);
        assert!(pair_rank(a) == pair_rank(b) && pair_unit(a) < pair_unit(b));
        assert!(pair_rank(b) < pair_rank(c));
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
