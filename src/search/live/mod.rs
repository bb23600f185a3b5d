//! The live index of `sotay serve`: the search index kept in memory with what it takes to
//! redo only the part a saved page touched, writing exactly the files a full build writes.
//!
//! It keeps every term's full postings (before the lists are cut to the best
//! [`MAX_POSTINGS`](super::tuning::MAX_POSTINGS)) and every term's encoded entry, in the
//! order the batch build cuts them into shards, and the shards themselves. When some pages'
//! text changes (the pages themselves stay: no page added, removed or moved), it
//! recomputes those pages' postings ([`page`]), re-encodes the terms whose postings or
//! spellings changed with the batch build's own encoder, cuts again only from the shard
//! before the first changed term to the first boundary the old and new cuts share after
//! the last ([`super::cut`]), and re-encodes the result files of the changed pages (the
//! others keep their bytes under the set's new name). What depends on the whole site is
//! rounded so that an edit almost never moves it ([`super::postings::coarse`]); when it
//! does move, or pages come and go, the caller builds a new live index.
//!
//! It costs memory (a few hundred megabytes for ten thousand pages: every posting, the
//! pages' text, every file), so only `serve` keeps one; `sotay build` streams its index.

mod page;
#[cfg(test)]
mod tests;

pub use page::Rebuild;

use super::cut::{ends_segment, run_label, Cutter};
use super::index::{Encoder, Kind, Posting};
use super::postings::Units;
use super::results;
use super::shard::{cmp_keys, directories_and_manifest, hash_hex, Variants};
use super::tuning::RESULT_PAGES;
use super::vocab::{MAX_VARIANTS, NO_BIT};
use super::SearchDoc;
use page::{Contribution, FxMap, Post, TermRef, Words};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashSet};
use std::ops::Bound;
use std::sync::Arc;

/// A term key ordered as the batch build cuts terms: pairs (by their first word, then
/// their second), then numbers, then words, each in JavaScript string order.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OrdKey(Box<str>);

impl OrdKey {
    fn class(&self) -> u8 {
        if self.0.starts_with('2') {
            0
        } else if self.0.starts_with("1#") {
            1
        } else {
            2
        }
    }
}

impl Ord for OrdKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.class()
            .cmp(&other.class())
            .then_with(|| cmp_keys(&self.0, &other.0))
    }
}

impl PartialOrd for OrdKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A term: what it is, every posting of the site (in page order), and its entry.
struct Term {
    key: OrdKey,
    what: TermRef,
    posts: Vec<Post>,
    body: Box<[u8]>,
}

/// A shard file.
struct Shard {
    hash: String,
    bytes: Arc<[u8]>,
}

/// Index files: path (under `search/`) and bytes, shared with the live index.
pub type Files = Vec<(String, Arc<[u8]>)>;

/// What an update did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Updated {
    /// Pages whose search text changed.
    pub pages: usize,
    /// Terms encoded again.
    pub terms: usize,
    /// Terms whose entry changed, appeared or went away.
    pub entries: usize,
    /// Shard files written (new names).
    pub shards: usize,
    /// Shard files in the index.
    pub total_shards: usize,
}

/// The search index of a site, kept up to date page by page (see the module documentation).
pub struct LiveIndex {
    docs: Vec<SearchDoc>,
    /// Each page's units as (block, length).
    lengths: Vec<Vec<(u16, u32)>>,
    /// The site's index of each page's first unit.
    first_unit: Vec<u32>,
    units: Units,
    words: Words,
    terms: Vec<Option<Term>>,
    free: Vec<u32>,
    word_terms: Vec<u32>,
    pair_terms: FxMap<(u32, u32), u32>,
    number_terms: Vec<u32>,
    /// Pair terms each word is part of (may list terms since removed).
    word_pairs: Vec<Vec<u32>>,
    order: BTreeMap<OrdKey, u32>,
    /// Shards by first term.
    shards: BTreeMap<OrdKey, Shard>,
    packs: Vec<blake3::Hash>,
    pack_files: Vec<Vec<Arc<[u8]>>>,
    set: String,
    /// Directory files and the manifest.
    listing: Vec<(String, Arc<[u8]>)>,
}

const NONE: u32 = u32::MAX;

/// Units of the site, and where each page's start.
fn site_units(lengths: &[Vec<(u16, u32)>]) -> (Units, Vec<u32>) {
    let mut all = Vec::new();
    let mut first = Vec::with_capacity(lengths.len());
    for (p, units) in lengths.iter().enumerate() {
        first.push(all.len() as u32);
        all.extend(units.iter().map(|&(block, len)| (p as u32, block, len)));
    }
    (Units::new(all), first)
}

impl LiveIndex {
    /// Indexes `docs` from nothing.
    pub fn build(docs: &[SearchDoc]) -> Result<Self, Rebuild> {
        let lengths: Vec<Vec<(u16, u32)>> = docs.par_iter().map(page::unit_lengths).collect();
        let (units, first_unit) = site_units(&lengths);
        let mut live = Self {
            docs: docs.to_vec(),
            lengths,
            first_unit,
            units,
            words: Words::default(),
            terms: Vec::new(),
            free: Vec::new(),
            word_terms: Vec::new(),
            pair_terms: FxMap::default(),
            number_terms: Vec::new(),
            word_pairs: Vec::new(),
            order: BTreeMap::new(),
            shards: BTreeMap::new(),
            packs: Vec::new(),
            pack_files: Vec::new(),
            set: String::new(),
            listing: Vec::new(),
        };
        for (p, doc) in docs.iter().enumerate() {
            let c = page::contribution(
                &mut live.words,
                p as u32,
                doc,
                live.first_unit[p],
                &live.units,
            )?;
            live.words.count(&c.spellings, true);
            for (what, posts) in c.terms() {
                let id = live.term_id(what);
                live.term_mut(id).posts.extend(posts.iter().map(|x| x.1));
            }
        }
        for w in &mut live.words.list {
            w.reorder();
        }
        let live_ref = &live;
        let bodies: Vec<(u32, Box<[u8]>)> = live
            .terms
            .par_iter()
            .enumerate()
            .filter_map(|(id, t)| t.as_ref().map(|t| (id, t)))
            .map_init(Encoder::default, |enc, (id, t)| {
                (id as u32, live_ref.encode(t, enc).into())
            })
            .collect();
        let mut order = Vec::with_capacity(bodies.len());
        for (id, body) in bodies {
            let t = live.term_mut(id);
            t.body = body;
            order.push((t.key.clone(), id));
        }
        order.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        live.order = order.into_iter().collect();
        live.recut(None);
        live.packs = docs
            .par_chunks(RESULT_PAGES)
            .map(results::pack_hash)
            .collect();
        live.pack_files = docs
            .par_chunks(RESULT_PAGES)
            .map(|pages| {
                results::pack_files(pages)
                    .into_iter()
                    .map(Arc::from)
                    .collect()
            })
            .collect();
        live.relist();
        Ok(live)
    }

    /// Follows the site to `docs`. On an error the index is left inconsistent: build a new
    /// one.
    pub fn update(&mut self, docs: &[SearchDoc]) -> Result<Updated, Rebuild> {
        if docs.len() != self.docs.len() {
            return Err(Rebuild::Pages);
        }
        let changed: Vec<usize> = (0..docs.len())
            .into_par_iter()
            .filter(|&p| docs[p] != self.docs[p])
            .collect();
        let mut updated = Updated {
            pages: changed.len(),
            total_shards: self.shards.len(),
            ..Updated::default()
        };
        if changed.is_empty() {
            return Ok(updated);
        }
        if changed.iter().any(|&p| docs[p].path != self.docs[p].path) {
            return Err(Rebuild::Pages);
        }
        // What the pages gave before, with the units as they were.
        let mut old = Vec::with_capacity(changed.len());
        for &p in &changed {
            let first = self.first_unit[p];
            let c =
                page::contribution(&mut self.words, p as u32, &self.docs[p], first, &self.units)?;
            old.push(c);
        }
        let mut lengths = self.lengths.clone();
        for &p in &changed {
            lengths[p] = page::unit_lengths(&docs[p]);
        }
        let (units, first_unit) = site_units(&lengths);
        if units.scale() != self.units.scale() {
            return Err(Rebuild::Scale);
        }
        (self.lengths, self.units, self.first_unit) = (lengths, units, first_unit);
        let mut new = Vec::with_capacity(changed.len());
        for &p in &changed {
            let first = self.first_unit[p];
            new.push(page::contribution(
                &mut self.words,
                p as u32,
                &docs[p],
                first,
                &self.units,
            )?);
        }

        // Spellings: a word whose spellings change order changes its entry and its pairs'.
        let mut affected: HashSet<u32> = HashSet::new();
        let mut touched: Vec<u32> = Vec::new();
        for (o, n) in old.iter().zip(&new) {
            self.words.count(&o.spellings, false);
            self.words.count(&n.spellings, true);
            touched.extend(o.spellings.iter().chain(&n.spellings).map(|s| s.0));
        }
        touched.sort_unstable();
        touched.dedup();
        for &w in &touched {
            if self.words.list[w as usize].reorder() {
                if let Some(&id) = self.word_terms.get(w as usize).filter(|&&id| id != NONE) {
                    affected.insert(id);
                }
                for &id in self.word_pairs.get(w as usize).into_iter().flatten() {
                    if let Some(Some(Term {
                        what: TermRef::Pair(a, b),
                        ..
                    })) = self.terms.get(id as usize)
                    {
                        if *a == w || *b == w {
                            affected.insert(id);
                        }
                    }
                }
            }
        }

        // Postings.
        for ((&p, o), n) in changed.iter().zip(&old).zip(&new) {
            self.replace_page(p as u32, o, n, &mut affected);
        }

        // Entries, in key order so that the term list changes in one pass.
        let mut changed_keys: Vec<OrdKey> = Vec::new();
        let mut enc = Encoder::default();
        let mut ids: Vec<u32> = affected.into_iter().collect();
        ids.sort_unstable();
        for id in ids {
            let t = self.terms[id as usize]
                .as_ref()
                .expect("affected terms exist");
            if t.posts.is_empty() {
                let t = self.terms[id as usize].take().expect("exists");
                self.forget(id, &t);
                changed_keys.push(t.key);
                continue;
            }
            let body: Box<[u8]> = self.encode(t, &mut enc).into();
            let key = t.key.clone();
            if t.body != body || !self.order.contains_key(&key) {
                self.term_mut(id).body = body;
                self.order.insert(key.clone(), id);
                changed_keys.push(key);
            }
            updated.terms += 1;
        }
        updated.entries = changed_keys.len();
        changed_keys.sort_unstable();
        updated.shards = self.recut(Some(&changed_keys));

        // Result files of the changed packs.
        let mut packs: Vec<usize> = changed.iter().map(|p| p / RESULT_PAGES).collect();
        packs.dedup();
        for &p in &changed {
            self.docs[p] = docs[p].clone();
        }
        for k in packs {
            let pages = &self.docs[k * RESULT_PAGES..((k + 1) * RESULT_PAGES).min(docs.len())];
            self.packs[k] = results::pack_hash(pages);
            self.pack_files[k] = results::pack_files(pages)
                .into_iter()
                .map(Arc::from)
                .collect();
        }
        self.relist();
        updated.total_shards = self.shards.len();
        Ok(updated)
    }

    /// Brings `live` to `docs` and returns every file of the index: an update when it can,
    /// else a new live index, else (a site beyond the live index's limits) a plain build.
    /// The update's figures are returned when it was one.
    pub fn follow(live: &mut Option<Self>, docs: &[SearchDoc]) -> (Files, Option<Updated>) {
        if let Some(index) = live.as_mut() {
            match index.update(docs) {
                Ok(updated) => return (index.files(), Some(updated)),
                Err(_) => *live = None,
            }
        }
        match Self::build(docs) {
            Ok(index) => {
                let files = index.files();
                *live = Some(index);
                (files, None)
            }
            Err(_) => {
                let files = super::build_index(docs);
                (
                    files.into_iter().map(|(p, b)| (p, b.into())).collect(),
                    None,
                )
            }
        }
    }

    /// Every file of the index, as a full build writes them.
    pub fn files(&self) -> Files {
        let mut out = Vec::with_capacity(self.shards.len() + 4 * self.pack_files.len());
        for s in self.shards.values() {
            out.push((format!("search/s/{}.bin", s.hash), Arc::clone(&s.bytes)));
        }
        for (k, files) in self.pack_files.iter().enumerate() {
            for (g, bytes) in files.iter().enumerate() {
                out.push((results::path(&self.set, k, g), Arc::clone(bytes)));
            }
        }
        out.extend(self.listing.iter().cloned());
        out
    }

    fn term_mut(&mut self, id: u32) -> &mut Term {
        self.terms[id as usize].as_mut().expect("live term")
    }

    /// The id of a term, made (empty) if new.
    fn term_id(&mut self, what: TermRef) -> u32 {
        let found = match what {
            TermRef::Word(w) => self.word_terms.get(w as usize).copied().unwrap_or(NONE),
            TermRef::Pair(a, b) => *self.pair_terms.get(&(a, b)).unwrap_or(&NONE),
            TermRef::Number(n) => self.number_terms.get(n as usize).copied().unwrap_or(NONE),
        };
        if found != NONE {
            return found;
        }
        let folded = |w: u32| &*self.words.list[w as usize].folded;
        let key = match what {
            TermRef::Word(w) => format!("1{}", folded(w)),
            TermRef::Pair(a, b) => format!("2{} {}", folded(a), folded(b)),
            TermRef::Number(n) => format!("1{}", self.words.numbers[n as usize]),
        };
        let term = Term {
            key: OrdKey(key.into()),
            what,
            posts: Vec::new(),
            body: Box::default(),
        };
        let id = match self.free.pop() {
            Some(id) => {
                self.terms[id as usize] = Some(term);
                id
            }
            None => {
                self.terms.push(Some(term));
                (self.terms.len() - 1) as u32
            }
        };
        let words = self.words.list.len();
        match what {
            TermRef::Word(w) => {
                self.word_terms
                    .resize(words.max(self.word_terms.len()), NONE);
                self.word_terms[w as usize] = id;
            }
            TermRef::Pair(a, b) => {
                self.pair_terms.insert((a, b), id);
                self.word_pairs
                    .resize_with(words.max(self.word_pairs.len()), Vec::new);
                self.word_pairs[a as usize].push(id);
                if a != b {
                    self.word_pairs[b as usize].push(id);
                }
            }
            TermRef::Number(n) => {
                let numbers = self.words.numbers.len();
                self.number_terms
                    .resize(numbers.max(self.number_terms.len()), NONE);
                self.number_terms[n as usize] = id;
            }
        }
        id
    }

    /// Drops a term no page has any more.
    fn forget(&mut self, id: u32, t: &Term) {
        self.order.remove(&t.key);
        match t.what {
            TermRef::Word(w) => self.word_terms[w as usize] = NONE,
            TermRef::Pair(a, b) => {
                self.pair_terms.remove(&(a, b));
                for w in [a, b] {
                    self.word_pairs[w as usize].retain(|&x| x != id);
                }
            }
            TermRef::Number(n) => self.number_terms[n as usize] = NONE,
        }
        self.free.push(id);
    }

    /// Puts page `p`'s new postings in place of its old ones; terms that changed are
    /// `affected`.
    fn replace_page(
        &mut self,
        p: u32,
        old: &Contribution,
        new: &Contribution,
        affected: &mut HashSet<u32>,
    ) {
        let mut by_term: FxMap<u32, (Vec<Post>, Vec<Post>)> = FxMap::default();
        for (what, posts) in old.terms() {
            let id = self.term_id(what);
            by_term.entry(id).or_default().0 = posts.iter().map(|x| x.1).collect();
        }
        for (what, posts) in new.terms() {
            let id = self.term_id(what);
            by_term.entry(id).or_default().1 = posts.iter().map(|x| x.1).collect();
        }
        for (id, (before, after)) in by_term {
            if before == after {
                continue;
            }
            let posts = &mut self.term_mut(id).posts;
            let from = posts.partition_point(|x| x.page < p);
            let to = posts.partition_point(|x| x.page <= p);
            posts.splice(from..to, after);
            affected.insert(id);
        }
    }

    /// A term's entry, as the batch build writes it.
    fn encode(&self, t: &Term, enc: &mut Encoder) -> Vec<u8> {
        let posting = |p: &Post, mask| Posting {
            page: p.page,
            block: p.block,
            q: p.q,
            mask,
        };
        match t.what {
            TermRef::Word(w) => {
                let word = &self.words.list[w as usize];
                for p in &t.posts {
                    enc.push(posting(p, word.mask(p.extra)));
                }
                enc.encode(Kind::Word, Variants::Words(&word.variants), &self.units)
            }
            TermRef::Pair(a, b) => {
                let (a, b) = (&self.words.list[a as usize], &self.words.list[b as usize]);
                // A spelling's code in the files: the bits of its two spellings.
                let bits = |slots: u16| {
                    u16::from(a.bits[usize::from(slots >> 5)]) << 5
                        | u16::from(b.bits[usize::from(slots & 31)])
                };
                let nameable = |c: u16| (c >> 5) as u8 != NO_BIT && (c & 31) as u8 != NO_BIT;
                let mut counts: Vec<(u16, u64)> = Vec::new();
                for p in &t.posts {
                    let c = bits(p.code());
                    match counts.iter_mut().find(|x| x.0 == c) {
                        Some(x) => x.1 += u64::from(p.count()),
                        None => counts.push((c, u64::from(p.count()))),
                    }
                }
                counts.retain(|&(c, _)| nameable(c));
                counts.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
                let codes: Vec<u16> = counts.iter().take(MAX_VARIANTS).map(|c| c.0).collect();
                let bit = |c: u16| codes.iter().position(|&x| x == c).map_or(0, |i| 1 << i);
                for unit in t
                    .posts
                    .chunk_by(|x, y| (x.page, x.block) == (y.page, y.block))
                {
                    let mask = unit.iter().fold(0, |m, p| m | bit(bits(p.code())));
                    enc.push(posting(&unit[0], mask));
                }
                enc.encode(Kind::Pair, Variants::Codes(&codes), &self.units)
            }
            TermRef::Number(_) => {
                for p in &t.posts {
                    enc.push(posting(p, 0));
                }
                enc.encode(Kind::Number, Variants::None, &self.units)
            }
        }
    }

    /// Bytes (keys and entries) of the pairs labelled `label` (`2van`).
    fn run_bytes(&self, label: &str) -> usize {
        let from = OrdKey(format!("{label} ").into());
        self.order
            .range(from..)
            .take_while(|(k, _)| run_label(&k.0) == Some(label))
            .map(|(k, &id)| k.0.len() + self.body(id).len())
            .sum()
    }

    fn body(&self, id: u32) -> &[u8] {
        &self.terms[id as usize].as_ref().expect("listed term").body
    }

    /// Cuts the terms into shards again: all of them (`changed` is `None`), or around the
    /// changed keys (in order): each stretch runs from the shard before a changed key to
    /// where the new cuts meet the old ones after it. Returns the number of shard files
    /// written.
    fn recut(&mut self, changed: Option<&[OrdKey]>) -> usize {
        let Some(changed) = changed else {
            let old = std::mem::take(&mut self.shards);
            let (made, _) = self.cut_stretch(None, &[], &mut FxMap::default());
            return self.replace_shards(old.into_values().collect(), made);
        };
        let mut written = 0;
        let mut at = 0;
        let mut runs = FxMap::default();
        while let Some(lo) = changed.get(at) {
            // A shard that starts before the change starts where it did: what decides a
            // boundary (the terms before it and the term after it) did not change.
            let start = self
                .shards
                .range(..lo.clone())
                .next_back()
                .map(|(k, _)| k.clone());
            let (made, end) = self.cut_stretch(start.clone(), &changed[at..], &mut runs);
            let lo = match start {
                Some(s) => Bound::Included(s),
                None => Bound::Unbounded,
            };
            let up = match &end {
                Some(e) => Bound::Excluded(e.clone()),
                None => Bound::Unbounded,
            };
            let old: Vec<OrdKey> = self
                .shards
                .range((lo, up))
                .map(|(k, _)| k.clone())
                .collect();
            let old = old.iter().filter_map(|k| self.shards.remove(k)).collect();
            written += self.replace_shards(old, made);
            let Some(end) = end else {
                break;
            };
            at += changed[at..].partition_point(|k| *k < end);
        }
        written
    }

    /// Cuts from `start` (a shard's first key; `None`: the first term) to the first old
    /// boundary past the `changed` keys met on the way, where the old shards are right
    /// again, or to the end. Returns the new shards and where they stop. `runs` remembers
    /// the size of each word's pairs (a common word has thousands).
    fn cut_stretch(
        &self,
        start: Option<OrdKey>,
        changed: &[OrdKey],
        runs: &mut FxMap<Box<str>, usize>,
    ) -> (Vec<(String, Vec<u8>)>, Option<OrdKey>) {
        let mut made: Vec<(String, Vec<u8>)> = Vec::new();
        let mut emit = |first: String, bytes: Vec<u8>| made.push((first, bytes));
        let mut cutter = Cutter::default();
        let mut prev: Option<&OrdKey> = None;
        // The last changed key passed, and the next.
        let mut passed: Option<&OrdKey> = None;
        let mut next = 0;
        let from = match start {
            Some(s) => Bound::Included(s),
            None => Bound::Unbounded,
        };
        for (key, &id) in self.order.range((from, Bound::Unbounded)) {
            let body = self.body(id);
            if let Some(prev) = prev {
                // Segments end after a word's pairs (when its hash says so) and before the
                // numbers and words, as in `Shards::push` and `index::build`.
                if let Some(label) = run_label(&prev.0) {
                    if run_label(&key.0) != Some(label)
                        && (key.class() != 0 || {
                            let bytes = match runs.get(label) {
                                Some(&b) => b,
                                None => *runs.entry(label.into()).or_insert(self.run_bytes(label)),
                            };
                            ends_segment(label, bytes)
                        })
                    {
                        cutter.flush(&mut emit);
                    }
                }
            }
            while changed.get(next).is_some_and(|c| c < key) {
                passed = Some(&changed[next]);
                next += 1;
            }
            // Past a change (and past the end of its word's pairs, whose size decides a
            // segment boundary), at a boundary both cuts have: the rest is as it was.
            if let Some(passed) = passed {
                if changed.get(next) != Some(key)
                    && (run_label(&passed.0).is_none() || run_label(&passed.0) != run_label(&key.0))
                    && cutter.starts_with(&key.0, body)
                    && self.shards.contains_key(key)
                {
                    cutter.flush(&mut emit);
                    return (made, Some(key.clone()));
                }
            }
            cutter.push(&key.0, body, &mut emit);
            prev = Some(key);
        }
        cutter.flush(&mut emit);
        (made, None)
    }

    /// Puts the shards `made` in place of `old`; returns how many are new files.
    fn replace_shards(&mut self, old: Vec<Shard>, made: Vec<(String, Vec<u8>)>) -> usize {
        let before: HashSet<String> = old.into_iter().map(|s| s.hash).collect();
        let mut written = 0;
        for (first, bytes) in made {
            let hash = hash_hex(&bytes, 12);
            written += usize::from(!before.contains(&hash));
            self.shards.insert(
                OrdKey(first.into()),
                Shard {
                    hash,
                    bytes: bytes.into(),
                },
            );
        }
        written
    }

    /// Renames the result set and writes the directories and the manifest.
    fn relist(&mut self) {
        self.set = results::set_name(&self.packs);
        let listed: Vec<(String, String)> = self
            .shards
            .iter()
            .map(|(k, s)| (k.0.to_string(), s.hash.clone()))
            .collect();
        let files = std::sync::Mutex::new(Vec::new());
        let retired = super::standing::retired(&self.docs);
        directories_and_manifest(
            listed,
            self.docs.len(),
            &self.set,
            &retired,
            &|path, bytes| {
                files
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((path, Arc::from(bytes)));
            },
        );
        self.listing = files.into_inner().unwrap_or_else(|e| e.into_inner());
    }
}
