//! What one page gives the index, computed from that page alone: its postings per term and
//! how often it writes each spelling of each word.
//!
//! Postings keep everything that does not depend on other pages: the weight byte (from the
//! unit's length and the term's frequency, with the site's coarse scale, which an update
//! checks has not moved) and the spellings as *slots*: a word's spellings numbered in the
//! order the live index first met them. Which bit a spelling gets in the files depends on
//! how often the whole site writes it, so bits are assigned when a term is encoded.

use crate::search::index::number_keys;
use crate::search::postings::{self, Units};
use crate::search::tuning::W_HEADING;
use crate::search::vocab::{self, MAX_VARIANTS, NO_BIT, PAGE_UNIT};
use crate::search::SearchDoc;
use crate::text;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The multiply-rotate hash of rustc (FxHash): the live index looks up millions of small
/// keys (word pairs, tokens) while it is built, where SipHash's resistance to chosen keys
/// buys nothing and costs most of the time.
#[derive(Default, Clone, Copy)]
pub(super) struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash map keyed with [`Fx`].
pub(super) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// Spellings a word may have had during the live index's life (slots are not reused).
pub(super) const SLOTS: usize = 32;
/// Bits of [`Post::extra`] that count a pair's occurrences in a unit.
const COUNT_BITS: u32 = 22;

/// Why the live index cannot follow the site and must be built again (or not at all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rebuild {
    /// Pages were added, removed or moved.
    Pages,
    /// The coarse mean lengths or section count moved: every weight may change.
    Scale,
    /// A word has more spellings than a posting can tell apart, or a unit repeats a pair
    /// more often than a posting can count.
    Limits,
}

/// A posting as the live index keeps it (12 bytes: a site has millions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Post {
    pub(super) page: u32,
    pub(super) block: u16,
    pub(super) q: u8,
    /// A word: the slots of the spellings in the unit, one bit each. A pair: one of its
    /// spellings in the unit (first word's slot × 32 + second's) above [`COUNT_BITS`], and
    /// how many times it occurs below. A number: 0.
    pub(super) extra: u32,
}

impl Post {
    /// A pair posting's spelling (slot × 32 + slot).
    pub(super) fn code(self) -> u16 {
        (self.extra >> COUNT_BITS) as u16
    }
    /// A pair posting's occurrences.
    pub(super) fn count(self) -> u32 {
        self.extra & ((1 << COUNT_BITS) - 1)
    }
}

/// A term as a page names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum TermRef {
    Word(u32),
    Pair(u32, u32),
    /// A number key (`#1847`), by its index in [`Words::numbers`].
    Number(u32),
}

/// A word of the site.
pub(super) struct Word {
    pub(super) folded: Box<str>,
    /// Toned spellings by slot, with their occurrences in the site.
    spellings: Vec<(Box<str>, u64)>,
    /// The spellings entries list, most frequent first (as [`vocab::merge`] orders them).
    pub(super) variants: Vec<String>,
    /// The bit of each slot in the files ([`NO_BIT`]: none).
    pub(super) bits: [u8; SLOTS],
}

impl Word {
    /// Orders the spellings again; whether their bits changed.
    pub(super) fn reorder(&mut self) -> bool {
        let mut seen: Vec<usize> = (0..self.spellings.len())
            .filter(|&s| self.spellings[s].1 > 0)
            .collect();
        let sp = &self.spellings;
        seen.sort_by(|&a, &b| sp[b].1.cmp(&sp[a].1).then_with(|| sp[a].0.cmp(&sp[b].0)));
        let mut bits = [NO_BIT; SLOTS];
        for (i, &s) in seen.iter().enumerate().take(MAX_VARIANTS) {
            bits[s] = i as u8;
        }
        if bits == self.bits && self.variants.len() == seen.len().min(MAX_VARIANTS) {
            return false;
        }
        self.bits = bits;
        self.variants = seen
            .iter()
            .take(MAX_VARIANTS)
            .map(|&s| sp[s].0.to_string())
            .collect();
        true
    }

    /// The file bits of the slots in `slots` (one bit per slot).
    pub(super) fn mask(&self, slots: u32) -> u32 {
        let mut mask = 0;
        let mut rest = slots;
        while rest != 0 {
            let s = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            if self.bits[s] != NO_BIT {
                mask |= 1 << self.bits[s];
            }
        }
        mask
    }
}

/// Every word, spelling and number key the live index has met.
#[derive(Default)]
pub(super) struct Words {
    /// Each token as written: its word and slot.
    tokens: FxMap<Box<str>, (u32, u8)>,
    ids: FxMap<Box<str>, u32>,
    pub(super) list: Vec<Word>,
    number_ids: FxMap<String, u32>,
    /// Number keys (`#1847`).
    pub(super) numbers: Vec<String>,
}

impl Words {
    fn number(&mut self, key: String) -> u32 {
        let next = self.numbers.len() as u32;
        let numbers = &mut self.numbers;
        *self.number_ids.entry(key).or_insert_with_key(|k| {
            numbers.push(k.clone());
            next
        })
    }

    fn token(&mut self, raw: &str) -> Result<(u32, u8), Rebuild> {
        if let Some(&k) = self.tokens.get(raw) {
            return Ok(k);
        }
        let folded = text::folded_key(raw);
        let toned = text::toned_key(raw);
        let list = &mut self.list;
        let w = *self.ids.entry(folded.as_str().into()).or_insert_with(|| {
            list.push(Word {
                folded: folded.into(),
                spellings: Vec::new(),
                variants: Vec::new(),
                bits: [NO_BIT; SLOTS],
            });
            (list.len() - 1) as u32
        });
        let word = &mut self.list[w as usize];
        let slot = match word.spellings.iter().position(|s| *s.0 == *toned) {
            Some(s) => s,
            None if word.spellings.len() < SLOTS => {
                word.spellings.push((toned.into(), 0));
                word.spellings.len() - 1
            }
            None => return Err(Rebuild::Limits),
        };
        self.tokens.insert(raw.into(), (w, slot as u8));
        Ok((w, slot as u8))
    }

    /// Adds (or takes away) a page's spellings.
    pub(super) fn count(&mut self, spellings: &[(u32, u8, u64)], add: bool) {
        for &(w, s, n) in spellings {
            let c = &mut self.list[w as usize].spellings[usize::from(s)].1;
            *c = if add { *c + n } else { *c - n };
        }
    }
}

/// A page's share of the index.
#[derive(Debug, Default)]
pub(super) struct Contribution {
    /// Postings by term, each term's in unit order.
    pub(super) posts: Vec<(TermRef, Post)>,
    /// (word, slot, occurrences).
    pub(super) spellings: Vec<(u32, u8, u64)>,
}

impl Contribution {
    /// Each term with its postings.
    pub(super) fn terms(&self) -> impl Iterator<Item = (TermRef, &[(TermRef, Post)])> {
        self.posts.chunk_by(|a, b| a.0 == b.0).map(|g| (g[0].0, g))
    }
}

/// Units of a page as (block, length in tokens): its title, then its sections.
pub(super) fn unit_lengths(doc: &SearchDoc) -> Vec<(u16, u32)> {
    let count = |s: &str| text::tokens(s).count() as u32;
    let mut out = vec![(PAGE_UNIT, count(&doc.title))];
    for (b, s) in doc.sections.iter().take(usize::from(PAGE_UNIT)).enumerate() {
        out.push((b as u16, count(&s.heading) + count(&s.text)));
    }
    out
}

/// What page `page` gives the index; its first unit is unit `first_unit` of the site.
/// Follows [`crate::search::postings::records`] step for step.
pub(super) fn contribution(
    words: &mut Words,
    page: u32,
    doc: &SearchDoc,
    first_unit: u32,
    units: &Units,
) -> Result<Contribution, Rebuild> {
    let chunk = vocab::tokenize(page, std::slice::from_ref(doc));
    let keys: Vec<(u32, u8)> = chunk
        .table
        .strs
        .iter()
        .map(|s| words.token(s))
        .collect::<Result<_, _>>()?;
    let mut out = Contribution::default();
    let mut spellings: Vec<(u32, u8, u64)> = keys
        .iter()
        .zip(&chunk.counts)
        .map(|(&(w, s), &n)| (w, s, u64::from(n)))
        .collect();
    spellings.sort_unstable();
    for (w, s, n) in spellings {
        match out.spellings.last_mut() {
            Some(last) if (last.0, last.1) == (w, s) => last.2 += n,
            _ => out.spellings.push((w, s, n)),
        }
    }
    let mut toks = chunk.toks.reader();
    let mut start = 0;
    let mut next_number = 0;
    let mut seen: Vec<(u32, u8, bool)> = Vec::new();
    let mut pairs: Vec<(u32, u32, u16, bool)> = Vec::new();
    let mut nums: Vec<(u32, u32)> = Vec::new();
    let weight = |heading: bool| if heading { W_HEADING } else { 1 };
    for (u, unit) in chunk.units.iter().enumerate() {
        let len = (unit.end - start) as usize;
        start = unit.end;
        let global = first_unit + u as u32;
        let post = |q, extra| Post {
            page,
            block: unit.block,
            q,
            extra,
        };
        seen.clear();
        pairs.clear();
        let mut prev = (0, 0);
        for i in 0..len {
            let (t, joined) = toks.next_token();
            let (w, s) = keys[t as usize];
            let heading = i < unit.heading as usize;
            seen.push((w, s, heading));
            if joined {
                pairs.push((prev.0, w, u16::from(prev.1) << 5 | u16::from(s), heading));
            }
            prev = (w, s);
        }
        seen.sort_unstable_by_key(|x| x.0);
        for group in seen.chunk_by(|a, b| a.0 == b.0) {
            let tf = group.iter().map(|x| weight(x.2)).sum();
            let slots = group.iter().fold(0u32, |m, x| m | 1 << x.1);
            let q = units.q(global, tf);
            out.posts.push((TermRef::Word(group[0].0), post(q, slots)));
        }
        pairs.sort_unstable();
        for group in pairs.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
            let tf = group.iter().map(|x| weight(x.3)).sum();
            let q = units.q(global, tf);
            for spelled in group.chunk_by(|a, b| a.2 == b.2) {
                let n = spelled.len() as u32;
                if n >= 1 << COUNT_BITS {
                    return Err(Rebuild::Limits);
                }
                let extra = u32::from(spelled[0].2) << COUNT_BITS | n;
                out.posts
                    .push((TermRef::Pair(group[0].0, group[0].1), post(q, extra)));
            }
        }
        // Document numbers, summed per key as `postings::records` sums them per id.
        while let Some((nu, canonical, w)) = chunk.numbers.get(next_number) {
            if *nu as usize != u {
                break;
            }
            for key in number_keys(canonical) {
                postings::add_mention(&mut nums, words.number(key), *w);
            }
            next_number += 1;
        }
        for (key, w) in nums.drain(..) {
            let q = units.number_q(global, w);
            out.posts.push((TermRef::Number(key), post(q, 0)));
        }
    }
    // By term; a term's postings stay in unit order.
    out.posts.sort_by_key(|a| a.0);
    Ok(out)
}
