//! From pages to encoded terms: single-syllable words, two-syllable pairs and document
//! numbers, each with BM25 impacts quantized to a byte and its toned spellings, in key
//! order, ready to be cut into shards.
//!
//! Three passes, each parallel over chunks of pages or over words, with no shared mutable
//! state: tokens ([`super::vocab`]), weighted records bucketed by first word
//! ([`super::postings`]), then one task per word that turns its records and those of every
//! pair it starts into encoded terms. Pair terms come out in key order because words are
//! visited in key order and a word's pairs are ordered by the rank of their second word, so
//! no string is sorted beyond the vocabulary.

use super::postings::{self, NumberPosting, Records, Units};
use super::shard::{cmp_keys, encode_term, Shards, Sink, Variants};
use super::tuning::{MAX_POSTINGS, W_CITE, W_HEADING, W_NUMBER, W_PAIR, W_TITLE};
use super::vocab::{self, Body, Chunk, Vocab, NO_BIT, PAGE_UNIT};
use super::SearchDoc;
use crate::laps::Laps;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

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

/// Encoded terms in key order: `keys` and `bodies` cut at the `ends`.
#[derive(Debug, Default)]
pub(crate) struct Run {
    keys: String,
    key_ends: Vec<u32>,
    bodies: Vec<u8>,
    body_ends: Vec<u32>,
}

impl Run {
    fn end(&mut self) {
        self.key_ends.push(self.keys.len() as u32);
        self.body_ends.push(self.bodies.len() as u32);
    }
    /// The first term's key.
    pub(crate) fn first_key(&self) -> Option<&str> {
        self.key_ends.first().map(|&e| &self.keys[..e as usize])
    }
    /// Bytes of keys and entries.
    pub(crate) fn bytes(&self) -> usize {
        self.keys.len() + self.bodies.len()
    }
    /// Terms as (key, encoded entry without the key).
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        let mut k = 0;
        let mut b = 0;
        self.key_ends
            .iter()
            .zip(&self.body_ends)
            .map(move |(&ke, &be)| {
                let item = (&self.keys[k..ke as usize], &self.bodies[b..be as usize]);
                k = ke as usize;
                b = be as usize;
                item
            })
    }
}

/// Number terms: `#1847` for the leading number, `#1847/qd-ttg` for the whole canonical form.
pub(crate) fn number_keys(canonical: &str) -> [String; 2] {
    let lower = canonical.to_lowercase();
    let lead = lower.split('/').next().unwrap_or_default().to_owned();
    [format!("#{lead}"), format!("#{lower}")]
}

fn multiplier(idf: f64, weight: f64) -> u32 {
    ((100.0 * idf * weight).round() as u32).max(1)
}

/// What kind of term a list belongs to (field weights differ).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    Pair,
    Number,
}

/// A term's postings, split into its page list and its section list.
#[derive(Default)]
struct Lists {
    page: Vec<Posting>,
    block: Vec<Posting>,
}

impl Lists {
    fn clear(&mut self) {
        self.page.clear();
        self.block.clear();
    }
    fn push(&mut self, units: &Units, unit: u32, q: u8, mask: u32) {
        self.push_unit(units.all[unit as usize], q, mask);
    }

    /// A posting of a unit already at hand (one lookup of the unit, not two).
    fn push_unit(&mut self, u: postings::Unit, q: u8, mask: u32) {
        let list = if u.block == PAGE_UNIT {
            &mut self.page
        } else {
            &mut self.block
        };
        list.push(Posting {
            page: u.page,
            block: u.block,
            q,
            mask,
        });
    }

    /// Encodes the term: weights from idf, each list cut to [`MAX_POSTINGS`] (see
    /// [`keep_best`]).
    fn encode(
        &mut self,
        run: &mut Run,
        kind: Kind,
        variants: Variants<'_>,
        units: &Units,
        cut: &mut Cut,
    ) {
        let df = self.page.len() + self.block.len();
        let idf = units.idf(self.block.len());
        let pair = if kind == Kind::Pair { W_PAIR } else { 1.0 };
        let m_block = match kind {
            Kind::Number => W_CITE,
            _ => pair,
        };
        let m_page = match kind {
            Kind::Number => W_NUMBER,
            _ => W_TITLE * pair,
        };
        let m = [
            if self.page.is_empty() {
                0
            } else {
                multiplier(idf, m_page)
            },
            if self.block.is_empty() {
                0
            } else {
                multiplier(idf, m_block)
            },
        ];
        keep_best(&mut self.page, &mut self.block, m, cut);
        encode_term(&mut run.bodies, df, variants, [&self.page, &self.block], m);
        run.end();
    }
}

/// Cuts a term's lists to the cut's limit ([`MAX_POSTINGS`]) each, keeping the postings of
/// the pages the term weighs most in: its title weight plus its best section's (what it adds
/// to a page's score), then the posting's own weight, then the earlier page. Cutting by the
/// posting's weight alone would keep, among the many titles that weigh the same, the first
/// pages of the site rather than those whose text has the term too.
fn keep_best(page: &mut Vec<Posting>, block: &mut Vec<Posting>, m: [u32; 2], cut: &mut Cut) {
    let limit = cut.limit;
    if page.len() <= limit && block.len() <= limit {
        return;
    }
    // Weight per page, by page (both lists are in page order).
    let Cut {
        weights,
        keys,
        keep,
        ..
    } = cut;
    weights.clear();
    let (mut i, mut j) = (0, 0);
    while i < page.len() || j < block.len() {
        let p = match (page.get(i), block.get(j)) {
            (Some(a), Some(b)) => a.page.min(b.page),
            (Some(a), None) => a.page,
            (None, Some(b)) => b.page,
            (None, None) => break,
        };
        let mut w = 0u64;
        if page.get(i).is_some_and(|x| x.page == p) {
            w += u64::from(m[0]) * u64::from(page[i].q);
            i += 1;
        }
        let mut best = 0;
        while let Some(x) = block.get(j).filter(|x| x.page == p) {
            best = best.max(x.q);
            j += 1;
        }
        weights.push((p, w + u64::from(m[1]) * u64::from(best)));
    }
    for list in [page, block] {
        if list.len() <= limit {
            continue;
        }
        // One integer per posting, larger for a posting kept first: weight, then own
        // weight, then the earlier page (so the selection compares integers).
        let mut at = 0;
        keys.clear();
        keys.extend(list.iter().enumerate().map(|(k, x)| {
            while weights[at].0 != x.page {
                at += 1;
            }
            u128::from(weights[at].1) << 40 | u128::from(x.q) << 32 | u128::from(!(k as u32))
        }));
        let cut = keys.len() - limit;
        keys.select_nth_unstable(cut);
        keep.clear();
        keep.resize(list.len(), false);
        for &key in &keys[cut..] {
            keep[!(key as u32) as usize] = true;
        }
        let mut k = 0;
        list.retain(|_| {
            k += 1;
            keep[k - 1]
        });
    }
}

/// Encodes one term at a time from postings given in page order: the batch build's own
/// encoding (weights, [`keep_best`], [`encode_term`]), for the live index
/// ([`super::live`]), which must write the same bytes.
#[derive(Default)]
pub(crate) struct Encoder {
    lists: Lists,
    cut: Cut,
    run: Run,
}

impl Encoder {
    /// Adds a posting (to the page list or the section list by its block).
    pub(crate) fn push(&mut self, p: Posting) {
        if p.block == PAGE_UNIT {
            self.lists.page.push(p);
        } else {
            self.lists.block.push(p);
        }
    }

    /// The entry of the postings pushed since the last call (everything after the key).
    pub(crate) fn encode(&mut self, kind: Kind, variants: Variants<'_>, units: &Units) -> Vec<u8> {
        self.run.bodies.clear();
        self.run.body_ends.clear();
        self.run.key_ends.clear();
        self.lists
            .encode(&mut self.run, kind, variants, units, &mut self.cut);
        self.lists.clear();
        self.run.bodies.clone()
    }
}

/// How long a list may be, and the buffers of [`keep_best`], kept from term to term.
struct Cut {
    /// [`MAX_POSTINGS`], except when the cut itself is measured
    /// ([`super::build_index_with_limit`]).
    limit: usize,
    weights: Vec<(u32, u64)>,
    keys: Vec<u128>,
    keep: Vec<bool>,
}

impl Cut {
    fn new(limit: usize) -> Self {
        Self {
            limit,
            weights: Vec::new(),
            keys: Vec::new(),
            keep: Vec::new(),
        }
    }
}

impl Default for Cut {
    fn default() -> Self {
        Self::new(MAX_POSTINGS)
    }
}

/// Locks a mutex whose data cannot be left inconsistent by a panic (a slot, a counter).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Finished words taken in key order (see [`build`]).
struct InOrder<'a> {
    next: usize,
    shards: Shards<'a>,
    /// The words' own terms.
    words: Run,
}

impl InOrder<'_> {
    fn drain(&mut self, slots: &[Mutex<Option<(Run, Run)>>]) {
        while let Some(slot) = slots.get(self.next) {
            let Some((word, pairs)) = lock(slot).take() else {
                return;
            };
            self.words.keys.push_str(&word.keys);
            self.words.bodies.extend_from_slice(&word.bodies);
            self.words.end();
            self.shards.push([pairs]);
            self.next += 1;
        }
    }
}

/// Where each word's records (or the records of the pairs it starts) are: (records, from,
/// to) for every bucket that has some.
/// Read once in bucket order, so that a word's task does not look into every bucket.
struct Slices {
    start: Vec<u32>,
    items: Vec<(u32, u32, u32)>,
}

impl Slices {
    /// From each record set's offsets by word (`off(records)`).
    fn new(records: &[Records], words: usize, off: impl Fn(&Records) -> &[u32]) -> Self {
        let mut start = vec![0u32; words + 1];
        for r in records {
            let off = off(r);
            for w in 0..words {
                start[w + 1] += u32::from(off[w] != off[w + 1]);
            }
        }
        for w in 0..words {
            start[w + 1] += start[w];
        }
        let mut at = start.clone();
        let mut items = vec![(0, 0, 0); start[words] as usize];
        for (i, r) in records.iter().enumerate() {
            let off = off(r);
            for w in 0..words {
                if off[w] != off[w + 1] {
                    items[at[w] as usize] = (i as u32, off[w], off[w + 1]);
                    at[w] += 1;
                }
            }
        }
        Self { start, items }
    }

    fn of(&self, w: u32) -> &[(u32, u32, u32)] {
        &self.items[self.start[w as usize] as usize..self.start[w as usize + 1] as usize]
    }
}

/// Scratch space of one worker.
#[derive(Default)]
struct Scratch {
    lists: Lists,
    /// A word's pairs, by the rank of their second word (see [`postings::placed_pair`]).
    sorted: Vec<u64>,
    /// Buffers of [`keep_best`].
    cut: Cut,
    /// Counting-sort buckets by rank (all zero between uses).
    count: Vec<u32>,
    ranks: Vec<u32>,
    /// A pair's spellings with their posting counts, then their codes.
    counts: Vec<(u16, u32)>,
    codes: Vec<u16>,
}

/// The word `w` and every pair it starts.
fn finish_word(
    s: &mut Scratch,
    w: u32,
    vocab: &Vocab,
    records: &[Records],
    [words_at, pairs_at]: &[Slices; 2],
    units: &Units,
) -> (Run, Run) {
    let words = &mut Run::default();
    let mut pairs = Run::default();
    s.lists.clear();
    let (word_slices, pair_slices) = (words_at.of(w), pairs_at.of(w));
    // The slices are small and far apart: touching the start of each one first lets their
    // cache misses overlap instead of stalling one after the other.
    let mut touch = 0u64;
    for &(i, from, to) in word_slices {
        let r = &records[i as usize].words;
        touch ^= r[from as usize] ^ r[to as usize - 1];
    }
    for &(i, from, to) in pair_slices {
        let r = &records[i as usize];
        touch ^= u64::from(r.pairs[from as usize] ^ r.pairs[to as usize - 1]);
        touch ^= u64::from(r.pair_units[from as usize] ^ r.pair_units[to as usize - 1]);
    }
    std::hint::black_box(touch);
    for &(i, from, to) in word_slices {
        let r = &records[i as usize];
        for &rec in &r.words[from as usize..to as usize] {
            let unit = r.first_unit + postings::unit(rec);
            s.lists
                .push(units, unit, postings::q(rec), postings::mask(rec));
        }
    }
    let folded = &vocab.folded[w as usize];
    words.keys.push('1');
    words.keys.push_str(folded);
    let variants = &vocab.variants[w as usize];
    s.lists.encode(
        words,
        Kind::Word,
        Variants::Words(variants),
        units,
        &mut s.cut,
    );

    // Pairs by the rank of their second word (a counting sort keeps unit order).
    if s.count.len() < vocab.rank.len() + 1 {
        s.count.resize(vocab.rank.len() + 1, 0);
    }
    s.ranks.clear();
    let mut total = 0;
    for &(i, from, to) in pair_slices {
        for &rec in &records[i as usize].pairs[from as usize..to as usize] {
            let rank = postings::rec_rank(rec) as usize;
            if s.count[rank] == 0 {
                s.ranks.push(rank as u32);
            }
            s.count[rank] += 1;
        }
        total += (to - from) as usize;
    }
    pairs.keys.reserve(total / 4 * (folded.len() + 8));
    pairs.bodies.reserve(total * 3);
    s.ranks.sort_unstable();
    let mut at = 0;
    for &rank in &s.ranks {
        let n = s.count[rank as usize];
        s.count[rank as usize] = at;
        at += n;
    }
    s.sorted.clear();
    s.sorted.resize(total, 0);
    for &(i, from, to) in pair_slices {
        let r = &records[i as usize];
        let (from, to) = (from as usize, to as usize);
        for (&rec, &unit) in r.pairs[from..to].iter().zip(&r.pair_units[from..to]) {
            let slot = &mut s.count[postings::rec_rank(rec) as usize];
            s.sorted[*slot as usize] = postings::placed_pair(rec, r.first_unit + u32::from(unit));
            *slot += 1;
        }
    }
    for &rank in &s.ranks {
        s.count[rank as usize] = 0;
    }
    for group in s
        .sorted
        .chunk_by(|&a, &b| postings::pair_rank(a) == postings::pair_rank(b))
    {
        let second = vocab.by_rank[postings::pair_rank(group[0]) as usize] as usize;
        pairs.keys.push('2');
        pairs.keys.push_str(folded);
        pairs.keys.push(' ');
        pairs.keys.push_str(&vocab.folded[second]);
        // Spellings, most frequent first; a spelling beyond a word's named ones has none.
        let nameable = |c: u16| (c >> 5) as u8 != NO_BIT && (c & 31) as u8 != NO_BIT;
        let code = |spelling: u32| (spelling >> 1) as u16;
        let first = code(postings::pair_spelling(group[0]));
        s.codes.clear();
        if group
            .iter()
            .all(|&g| code(postings::pair_spelling(g)) == first)
        {
            // Nearly every pair is written one way only.
            if nameable(first) {
                s.codes.push(first);
            }
        } else {
            s.counts.clear();
            for &rec in group {
                let code = code(postings::pair_spelling(rec));
                match s.counts.iter_mut().find(|c| c.0 == code) {
                    Some(c) => c.1 += 1,
                    None => s.counts.push((code, 1)),
                }
            }
            s.counts.retain(|&(c, _)| nameable(c));
            s.counts
                .sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            s.codes
                .extend(s.counts.iter().take(vocab::MAX_VARIANTS).map(|c| c.0));
        }
        let codes = &s.codes;
        let bit =
            |code: u16| -> u32 { codes.iter().position(|&c| c == code).map_or(0, |i| 1 << i) };
        // Occurrences of one unit are consecutive: sum their weights, join their spellings.
        s.lists.clear();
        let mut at = 0;
        while at < group.len() {
            let unit = postings::pair_unit(group[at]);
            let mut tf = 0;
            let mut mask = 0;
            while let Some(&rec) = group.get(at) {
                let spelling = postings::pair_spelling(rec);
                if postings::pair_unit(rec) != unit {
                    break;
                }
                tf += if spelling & 1 == 1 { W_HEADING } else { 1 };
                mask |= bit(code(spelling));
                at += 1;
            }
            let u = units.all[unit as usize];
            s.lists.push_unit(u, units.q_of(u, unit, tf), mask);
        }
        s.lists.encode(
            &mut pairs,
            Kind::Pair,
            Variants::Codes(&s.codes),
            units,
            &mut s.cut,
        );
    }
    (std::mem::take(words), pairs)
}

/// Pages per chunk (chunks are tokenized in parallel, each with its own table of tokens).
const CHUNK_PAGES: usize = 1024;

/// Splits the pages into chunks of [`CHUNK_PAGES`], each under 65,536 units.
fn chunk_ranges(docs: &[SearchDoc]) -> Vec<std::ops::Range<usize>> {
    let per = CHUNK_PAGES;
    let mut out = Vec::new();
    let mut start = 0;
    let mut units = 0usize;
    for (i, d) in docs.iter().enumerate() {
        let n = 1 + d.sections.len().min(usize::from(PAGE_UNIT));
        if i > start && (i - start == per || units + n > 1 << 16) {
            out.push(start..i);
            start = i;
            units = 0;
        }
        units += n;
    }
    if start < docs.len() {
        out.push(start..docs.len());
    }
    out
}

/// Number terms: every number key with its postings, keys sorted.
fn number_terms(keys: &[String], records: &[Records], units: &Units, limit: usize) -> Run {
    let mut all: Vec<NumberPosting> = records
        .iter()
        .flat_map(|r| r.numbers.iter().copied())
        .collect();
    all.sort_unstable_by_key(|&(id, unit, _)| (id, unit));
    let mut terms: Vec<(&str, &[NumberPosting])> = all
        .chunk_by(|a, b| a.0 == b.0)
        .map(|g| (keys[g[0].0 as usize].as_str(), g))
        .collect();
    terms.sort_unstable_by(|a, b| cmp_keys(a.0, b.0));
    let mut run = Run::default();
    let mut lists = Lists::default();
    let mut cut = Cut::new(limit);
    for (key, group) in terms {
        run.keys.push('1');
        run.keys.push_str(key);
        lists.clear();
        for &(_, unit, q) in group {
            lists.push(units, unit, q, 0);
        }
        lists.encode(&mut run, Kind::Number, Variants::None, units, &mut cut);
    }
    run
}

/// The site's text as token ids of one vocabulary: all the later passes read of it, so the
/// text itself can be let go of once the result files are written.
pub(crate) struct Tokenized {
    vocab: Vocab,
    /// Per chunk, the key of each local token id.
    keymaps: Vec<Vec<vocab::Key>>,
    chunks: Vec<Body>,
}

/// Cuts every page's text into tokens of one vocabulary (the first pass).
pub(crate) fn tokenize(docs: &[SearchDoc]) -> Tokenized {
    let ranges = chunk_ranges(docs);
    let chunks: Vec<Chunk<'_>> = ranges
        .par_iter()
        .map(|r| vocab::tokenize(r.start as u32, &docs[r.clone()]))
        .collect();
    let (vocab, keymaps) = vocab::merge(&chunks);
    assert!(
        vocab.folded.len() < vocab::MAX_WORDS.min(postings::MAX_RANKS),
        "more distinct words than the index can hold"
    );
    Tokenized {
        vocab,
        keymaps,
        chunks: chunks.into_iter().map(Chunk::into_body).collect(),
    }
}

/// Builds every term of the site, each list cut to `limit` postings, and writes them to
/// `out` as shards; the rest of the files are written by [`Shards::finish`]. Each pass ends
/// a lap of `laps`.
pub(crate) fn build<'a>(
    tokenized: Tokenized,
    out: &'a Sink<'a>,
    limit: usize,
    laps: &mut Laps,
) -> Shards<'a> {
    let Tokenized {
        vocab,
        keymaps,
        chunks,
    } = tokenized;

    // Number keys, and the two terms of every number mentioned.
    let mut number_ids: HashMap<String, u32> = HashMap::new();
    let mut number_keys_list: Vec<String> = Vec::new();
    let chunk_numbers: Vec<Vec<[u32; 2]>> = chunks
        .iter()
        .map(|c| {
            c.numbers
                .iter()
                .map(|(_, canonical, _)| {
                    number_keys(canonical).map(|k| {
                        let next = number_keys_list.len() as u32;
                        *number_ids.entry(k).or_insert_with_key(|k| {
                            number_keys_list.push(k.clone());
                            next
                        })
                    })
                })
                .collect()
        })
        .collect();

    // Units, in order, and where each chunk's start.
    let mut all_units = Vec::new();
    let mut first_units = Vec::with_capacity(chunks.len());
    for c in &chunks {
        first_units.push(all_units.len() as u32);
        let mut start = 0;
        for u in &c.units {
            all_units.push((u.page, u.block, u.end - start));
            start = u.end;
        }
    }
    let units = Units::new(all_units);

    let words = vocab.folded.len();
    let records: Vec<Records> = chunks
        .into_par_iter()
        .zip(keymaps)
        .zip(chunk_numbers)
        .zip(first_units)
        .map_init(
            postings::Emitter::default,
            |em, (((chunk, keys), nums), first)| {
                postings::records(em, chunk, &keys, &vocab.rank, &nums, &units, first)
            },
        )
        .flatten_iter()
        .collect();

    laps.lap("records");
    let numbers = number_terms(&number_keys_list, &records, &units, limit);
    let slices = [
        Slices::new(&records, words, |r| &r.word_off),
        Slices::new(&records, words, |r| &r.pair_off),
    ];
    // Words are finished in parallel and handed over in key order: whichever task finds
    // the next words done cuts and writes the shards their pairs complete. No task waits
    // for another (a batch would wait for its largest word), and only the pairs of words
    // finished ahead of a slow one are held.
    let n = vocab.by_rank.len();
    let slots: Vec<Mutex<Option<(Run, Run)>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let consumer = Mutex::new(InOrder {
        next: 0,
        shards: Shards::new(out),
        words: Run::default(),
    });
    // Each worker takes the next word in key order (not a half of them, as a split would),
    // so that words are done nearly in order.
    let next = AtomicUsize::new(0);
    (0..rayon::current_num_threads())
        .into_par_iter()
        .for_each(|_| {
            let mut s = Scratch {
                cut: Cut::new(limit),
                ..Scratch::default()
            };
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&w) = vocab.by_rank.get(i) else {
                    return;
                };
                let done = finish_word(&mut s, w, &vocab, &records, &slices, &units);
                *lock(&slots[i]) = Some(done);
                // Never wait: the worker holding the consumer takes this word when it gets
                // to it.
                if let Ok(mut c) = consumer.try_lock() {
                    c.drain(&slots);
                }
            }
        });
    let mut c = consumer.into_inner().unwrap_or_else(|e| e.into_inner());
    c.drain(&slots);
    let InOrder {
        mut shards,
        words: word_run,
        ..
    } = c;
    drop(records);
    // Numbers and words sort before every pair; the listing is sorted at the end.
    shards.flush();
    shards.push([numbers, word_run]);
    laps.lap("terms");
    shards
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::shard::{read_shard, TermEntry};

    fn doc(title: &str, sections: &[(&str, &str)]) -> SearchDoc {
        crate::search::test_doc(0, title, sections)
    }

    /// Every term, decoded as a reader sees it.
    fn terms(docs: &[SearchDoc]) -> Vec<TermEntry> {
        crate::search::build_index(docs)
            .iter()
            .filter(|f| f.0.starts_with("search/s/"))
            .flat_map(|f| read_shard(&f.1).unwrap())
            .collect()
    }

    fn term<'a>(t: &'a [TermEntry], key: &str) -> &'a TermEntry {
        t.iter().find(|t| t.key == key).expect(key)
    }

    #[test]
    fn pairs_variants_and_numbers_are_indexed() {
        let mut d = doc(
            "Văn hóa công vụ",
            &[("", "con dế và con dê; theo Quyết định 1847/QĐ-TTg")],
        );
        d.number = Some("10/CT-TTG".into());
        let t = terms(&[d]);
        let de = term(&t, "1de");
        assert_eq!(de.variants.len(), 2);
        assert_eq!(de.lists[1].postings.len(), 1);
        assert_eq!(de.lists[1].postings[0].mask, 0b11);
        let pair = term(&t, "2van hoa");
        assert_eq!(pair.codes.len(), 1);
        assert_eq!(pair.lists[0].postings.len(), 1);
        assert!(pair.lists[1].postings.is_empty());
        assert_eq!(term(&t, "1#1847").lists[1].postings.len(), 1);
        assert_eq!(term(&t, "1#1847/qd-ttg").lists[1].postings.len(), 1);
        let own = term(&t, "1#10");
        assert_eq!(own.lists[0].postings[0].q, 255);
    }

    #[test]
    fn pair_spellings_are_named_by_their_words_spellings() {
        let t = terms(&[
            doc("a", &[("", "con dế con dế con dê")]),
            doc("b", &[("", "con dê")]),
        ]);
        let word = term(&t, "1de");
        let bit = |s: &str| {
            let toned = crate::text::toned_key(s);
            word.variants.iter().position(|v| *v == toned).unwrap() as u16
        };
        let pair = term(&t, "2con de");
        let codes: Vec<u16> = pair.codes.clone();
        // "con dế" twice, "con dê" twice: ties by code.
        let mut want = vec![bit("dế"), bit("dê")];
        want.sort_unstable();
        assert_eq!(codes, want);
        let masks: Vec<u32> = pair.lists[1].postings.iter().map(|p| p.mask).collect();
        assert_eq!(
            masks,
            [
                0b11,
                1 << codes.iter().position(|&c| c == bit("dê")).unwrap()
            ]
        );
    }

    #[test]
    fn more_occurrences_and_headings_weigh_more() {
        let t = terms(&[
            doc("a", &[("", "kỷ luật kỷ luật kỷ luật với cán bộ")]),
            doc("b", &[("", "một lần kỷ luật với cán bộ và nhiều")]),
            doc("c", &[("Kỷ luật", "với cán bộ và nhiều chữ khác")]),
        ]);
        let luat = term(&t, "1luat");
        let q = |page: u32| {
            luat.lists[1]
                .postings
                .iter()
                .find(|p| p.page == page)
                .unwrap()
                .q
        };
        assert!(q(0) > q(1));
        assert!(q(2) > q(1));
    }

    #[test]
    fn long_lists_keep_their_best_postings_and_count_them_all() {
        // 50 long sections, then short ones, then one that repeats the word.
        let mut docs: Vec<SearchDoc> = (0..MAX_POSTINGS + 50)
            .map(|i| {
                let text = if i < 50 {
                    "chữ ".repeat(8) + "hiếm"
                } else {
                    "hiếm".into()
                };
                doc("x", &[("", &text)])
            })
            .collect();
        docs.push(doc("y", &[("Hiếm", "hiếm hiếm")]));
        let t = terms(&docs);
        let rare = term(&t, "1hiem");
        let kept = &rare.lists[1].postings;
        assert_eq!(kept.len(), MAX_POSTINGS);
        assert_eq!(rare.df, MAX_POSTINGS + 51);
        assert!(kept.windows(2).all(|w| w[0].page < w[1].page), "page order");
        assert!(
            kept.iter().all(|p| p.page >= 50),
            "the weakest are left out"
        );
        assert_eq!(kept.last().unwrap().page as usize, MAX_POSTINGS + 50);
    }

    #[test]
    fn an_index_built_without_a_limit_keeps_every_posting() {
        let docs: Vec<SearchDoc> = (0..MAX_POSTINGS + 20)
            .map(|_| doc("x", &[("", "hiếm")]))
            .collect();
        let all: Vec<TermEntry> = crate::search::build_index_with_limit(&docs, usize::MAX)
            .iter()
            .filter(|f| f.0.starts_with("search/s/"))
            .flat_map(|f| read_shard(&f.1).unwrap())
            .collect();
        assert_eq!(
            term(&all, "1hiem").lists[1].postings.len(),
            MAX_POSTINGS + 20
        );
        let cut = terms(&docs);
        assert_eq!(term(&cut, "1hiem").lists[1].postings.len(), MAX_POSTINGS);
    }

    #[test]
    fn among_equal_titles_the_pages_whose_text_has_the_term_are_kept() {
        let n = MAX_POSTINGS + 10;
        let docs: Vec<SearchDoc> = (0..n)
            .map(|i| {
                let text = if i >= MAX_POSTINGS { "hiếm" } else { "chữ" };
                doc("Hiếm", &[("", text)])
            })
            .collect();
        let t = terms(&docs);
        let titles = &term(&t, "1hiem").lists[0].postings;
        assert_eq!(titles.len(), MAX_POSTINGS);
        for page in MAX_POSTINGS..n {
            assert!(titles.iter().any(|p| p.page as usize == page), "{page}");
        }
    }

    #[test]
    fn chunks_hold_whole_pages_under_the_unit_limit() {
        let big = doc("big", &vec![("", "x"); 40_000]);
        let docs = vec![doc("a", &[]), big.clone(), big, doc("b", &[])];
        let r = chunk_ranges(&docs);
        assert_eq!(r, [0..2, 2..4]);
    }
}
