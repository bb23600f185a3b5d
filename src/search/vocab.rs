//! The first half of building the index: pages cut into token ids, and the vocabulary that
//! gives every distinct token its word (folded key) and the bit of its spelling (toned key).
//!
//! Vietnamese has a few thousand syllables, so a site of any size has a small vocabulary
//! and a large number of tokens: the cost is in the per-token work. Each chunk of pages is
//! tokenized on its own with a borrowed-string table (no allocation per token), and keys are
//! computed once per distinct token after the chunks' tables are merged.

use super::tuning::W_HEADING;
use super::SearchDoc;
use crate::text;
use rayon::prelude::*;
use std::collections::HashMap;

/// The block index of page-level postings (title and the page's own number).
pub(crate) const PAGE_UNIT: u16 = u16::MAX;
/// At most this many toned spellings per word are told apart; bit [`NO_BIT`] means "other".
pub(crate) const MAX_VARIANTS: usize = 31;
/// The bit index of a spelling beyond [`MAX_VARIANTS`].
pub(crate) const NO_BIT: u8 = 31;
/// Set on a token when no pair joins it to the one before (the first of a field, or one
/// after punctuation).
const BREAK: u16 = 1 << 15;
/// A token id too large for the 15 bits of a [`Toks`] entry: the id is in `wide`.
const WIDE: u16 = BREAK - 1;
/// Weight of a page's own document number (a page-level posting of the highest weight).
pub(super) const OWN_NUMBER: u32 = u32::MAX;

const fn pack_masks() -> [u128; 17] {
    let mut m = [0u128; 17];
    let mut len = 1;
    while len < 16 {
        m[len] = (1u128 << (8 * len)) - 1;
        len += 1;
    }
    m[16] = u128::MAX;
    m
}

/// Masks of the first `len` bytes of a little-endian `u128`.
static PACK_MASKS: [u128; 17] = pack_masks();

/// A token of at most 16 bytes as an integer: its bytes, zero-padded (text holds no zero
/// byte, so the integer is unique). `at` is where the token starts in `text`.
fn pack(text: &[u8], at: usize, len: usize) -> u128 {
    let word = match text.get(at..at + 16) {
        Some(b) => u128::from_le_bytes(b.try_into().expect("16 bytes")),
        None => {
            let mut buf = [0u8; 16];
            buf[..len].copy_from_slice(&text[at..at + len]);
            u128::from_le_bytes(buf)
        }
    };
    word & PACK_MASKS[len]
}

/// Interns the tokens of a text to dense ids in first-seen order. Vietnamese syllables
/// are at most 7 letters, so nearly every token is compared and hashed as one integer.
pub(super) struct Table<'a> {
    /// Open addressing: id + 1 (0 = empty).
    slots: Vec<u32>,
    shift: u32,
    /// The packed form of each short token (0 for longer ones).
    packed: Vec<u128>,
    long: HashMap<&'a str, u32>,
    pub(super) strs: Vec<&'a str>,
}

fn slot_hash(key: u128) -> u64 {
    let (lo, hi) = (key as u64, (key >> 64) as u64);
    (lo ^ hi.wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

impl<'a> Table<'a> {
    pub(super) fn new() -> Self {
        Self {
            slots: vec![0; 1024],
            shift: 64 - 10,
            packed: Vec::new(),
            long: HashMap::new(),
            strs: Vec::new(),
        }
    }

    /// The id of `token`, which starts at byte `at` of `text`; added if new.
    pub(super) fn id_at(&mut self, token: &'a str, text: &[u8], at: usize) -> u32 {
        let len = token.len();
        if len > 16 {
            let next = self.strs.len() as u32;
            let id = *self.long.entry(token).or_insert(next);
            if id == next {
                self.strs.push(token);
                self.packed.push(0);
            }
            return id;
        }
        let key = pack(text, at, len);
        let mask = self.slots.len() - 1;
        let mut i = (slot_hash(key) >> self.shift) as usize;
        loop {
            match self.slots[i] {
                0 => break,
                e if self.packed[e as usize - 1] == key => return e - 1,
                _ => i = (i + 1) & mask,
            }
        }
        let id = self.strs.len() as u32;
        self.strs.push(token);
        self.packed.push(key);
        self.slots[i] = id + 1;
        if self.packed.len() * 2 > self.slots.len() {
            self.grow();
        }
        id
    }

    /// The id of `s`, added if new.
    pub(super) fn id(&mut self, s: &'a str) -> u32 {
        self.id_at(s, s.as_bytes(), 0)
    }

    fn grow(&mut self) {
        self.slots = vec![0; self.slots.len() * 2];
        self.shift -= 1;
        let mask = self.slots.len() - 1;
        for (id, &key) in self.packed.iter().enumerate() {
            if key == 0 {
                continue;
            }
            let mut i = (slot_hash(key) >> self.shift) as usize;
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = id as u32 + 1;
        }
    }
}

/// Whether the words on either side of `gap` can form a phrase: spaces and at most one
/// hyphen between them, no sentence or clause punctuation, no line break.
fn joins(gap: &str) -> bool {
    if gap == " " {
        return true;
    }
    let mut hyphens = 0;
    gap.chars().all(|c| match c {
        ' ' | '\t' | '\u{a0}' => true,
        '-' | '\u{2010}' | '\u{2011}' => {
            hyphens += 1;
            hyphens == 1
        }
        _ => false,
    })
}

/// One unit of a page: its title (block [`PAGE_UNIT`]) or one of its sections.
#[derive(Debug, Clone, Copy)]
pub(super) struct Unit {
    pub(super) page: u32,
    pub(super) block: u16,
    /// End of the unit's tokens in [`Chunk::toks`] (they start where the previous ended).
    pub(super) end: u32,
    /// Leading tokens that are heading words (weight [`W_HEADING`]).
    pub(super) heading: u32,
}

/// A chunk's tokens as ids of its table, two bytes each (the tokens of a whole site wait
/// in memory for the vocabulary): 15 bits of id, the rare larger ids kept aside in order,
/// and a flag for a token that starts no pair with the one before.
#[derive(Default)]
pub(super) struct Toks {
    ids: Vec<u16>,
    wide: Vec<u32>,
}

impl Toks {
    fn push(&mut self, id: u32, joined: bool) {
        let flag = if joined { 0 } else { BREAK };
        match u16::try_from(id) {
            Ok(small) if small < WIDE => self.ids.push(small | flag),
            _ => {
                self.ids.push(WIDE | flag);
                self.wide.push(id);
            }
        }
    }

    pub(super) fn len(&self) -> usize {
        self.ids.len()
    }

    /// Reads the tokens in order: (id, joined to the one before).
    pub(super) fn reader(&self) -> TokReader<'_> {
        TokReader {
            toks: self,
            at: 0,
            wide: 0,
        }
    }
}

/// See [`Toks::reader`].
pub(super) struct TokReader<'a> {
    toks: &'a Toks,
    at: usize,
    wide: usize,
}

impl TokReader<'_> {
    /// The next token (there must be one).
    pub(super) fn next_token(&mut self) -> (u32, bool) {
        let t = self.toks.ids[self.at];
        self.at += 1;
        let id = t & !BREAK;
        let id = if id == WIDE {
            self.wide += 1;
            self.toks.wide[self.wide - 1]
        } else {
            u32::from(id)
        };
        (id, t & BREAK == 0)
    }
}

/// A run of consecutive pages as token ids of a chunk-local table.
pub(super) struct Chunk<'a> {
    pub(super) table: Table<'a>,
    /// Occurrences of each local token.
    pub(super) counts: Vec<u32>,
    pub(super) toks: Toks,
    pub(super) units: Vec<Unit>,
    /// Document numbers by unit index in the chunk: canonical form and weight (a heading
    /// mention counts [`W_HEADING`], the page's own number [`OWN_NUMBER`]).
    pub(super) numbers: Vec<(u32, String, u32)>,
}

impl<'a> Chunk<'a> {
    /// The chunk without its token table (the part that borrows the text).
    pub(super) fn into_body(self) -> Body {
        Body {
            toks: self.toks,
            units: self.units,
            numbers: self.numbers,
        }
    }

    fn field(&mut self, text: &'a str) -> u32 {
        let before = self.toks.len();
        let mut end = None;
        for t in text::tokens(text) {
            let id = self.table.id_at(t.text, text.as_bytes(), t.start);
            if id as usize == self.counts.len() {
                self.counts.push(0);
            }
            self.counts[id as usize] += 1;
            let joined = end.is_some_and(|e| {
                // Nearly every gap is one space.
                (t.start == e + 1 && text.as_bytes()[e] == b' ') || joins(&text[e..t.start])
            });
            self.toks.push(id, joined);
            end = Some(t.start + t.text.len());
        }
        (self.toks.len() - before) as u32
    }

    fn cites(&mut self, unit: u32, text: &str, weight: u32) {
        for n in text::extract_numbers(text) {
            self.numbers.push((unit, n.canonical, weight));
        }
    }
}

/// What the passes after [`merge`] read of a chunk: its tokens, units and numbers, no
/// longer tied to the text (which the build may then let go of).
pub(super) struct Body {
    pub(super) toks: Toks,
    pub(super) units: Vec<Unit>,
    pub(super) numbers: Vec<(u32, String, u32)>,
}

/// Tokenizes consecutive pages; `first_page` is the index of `docs[0]` in the site.
pub(super) fn tokenize(first_page: u32, docs: &[SearchDoc]) -> Chunk<'_> {
    // A token and the space after it take five bytes on average: reserving for a token
    // every four bytes spares the copies of a growing vector (and, for fresh memory, the
    // page faults of each copy).
    let bytes: usize = docs
        .iter()
        .map(|d| {
            d.title.len()
                + d.sections
                    .iter()
                    .map(|s| s.heading.len() + s.text.len())
                    .sum::<usize>()
        })
        .sum();
    let mut c = Chunk {
        table: Table::new(),
        counts: Vec::new(),
        toks: Toks {
            ids: Vec::with_capacity(bytes / 4),
            wide: Vec::new(),
        },
        units: Vec::new(),
        numbers: Vec::new(),
    };
    for (i, doc) in docs.iter().enumerate() {
        let page = first_page + i as u32;
        c.field(&doc.title);
        if let Some(n) = &doc.number {
            c.numbers
                .push((c.units.len() as u32, n.clone(), OWN_NUMBER));
        }
        c.units.push(Unit {
            page,
            block: PAGE_UNIT,
            end: c.toks.len() as u32,
            heading: 0,
        });
        for (b, s) in doc.sections.iter().take(usize::from(PAGE_UNIT)).enumerate() {
            let unit = c.units.len() as u32;
            let heading = c.field(&s.heading);
            c.field(&s.text);
            c.cites(unit, &s.heading, W_HEADING);
            c.cites(unit, &s.text, 1);
            c.units.push(Unit {
                page,
                block: b as u16,
                end: c.toks.len() as u32,
                heading,
            });
        }
    }
    c
}

/// What the index knows of a token: its word and the bit of its spelling, in 4 bytes (the
/// table of a chunk's tokens is read at every token, so it should stay in the L1 cache).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Key(u32);

/// Words beyond this many cannot be told apart by a [`Key`].
pub(super) const MAX_WORDS: usize = 1 << 27;

impl Key {
    pub(super) fn new(word: u32, bit: u8) -> Self {
        Self(word << 5 | u32::from(bit))
    }
    pub(super) fn word(self) -> u32 {
        self.0 >> 5
    }
    pub(super) fn bit(self) -> u8 {
        (self.0 & 31) as u8
    }
}

/// Every word of the site with its spellings.
pub(super) struct Vocab {
    /// Folded key of each word.
    pub(super) folded: Vec<String>,
    /// Each word's place in key order (JavaScript string order).
    pub(super) rank: Vec<u32>,
    /// Words in key order.
    pub(super) by_rank: Vec<u32>,
    /// Each word's toned spellings, most frequent first (bit i = spelling i).
    pub(super) variants: Vec<Vec<String>>,
}

/// Merges the chunks' tables: the vocabulary and, per chunk, the key of each local id.
pub(super) fn merge(chunks: &[Chunk<'_>]) -> (Vocab, Vec<Vec<Key>>) {
    let mut global = Table::new();
    let mut counts: Vec<u64> = Vec::new();
    let remaps: Vec<Vec<u32>> = chunks
        .iter()
        .map(|c| {
            c.table
                .strs
                .iter()
                .zip(&c.counts)
                .map(|(s, &n)| {
                    let id = global.id(s);
                    if id as usize == counts.len() {
                        counts.push(0);
                    }
                    counts[id as usize] += u64::from(n);
                    id
                })
                .collect()
        })
        .collect();
    let keyed: Vec<(String, String)> = global
        .strs
        .par_iter()
        .map(|s| (text::folded_key(s), text::toned_key(s)))
        .collect();
    // Words and their spellings, with occurrence counts.
    let mut word_ids: HashMap<&str, u32> = HashMap::new();
    let mut folded: Vec<String> = Vec::new();
    let mut spellings: Vec<Vec<(&str, u64)>> = Vec::new();
    let mut token_word: Vec<u32> = Vec::with_capacity(keyed.len());
    for ((f, t), &n) in keyed.iter().zip(&counts) {
        let w = *word_ids.entry(f).or_insert_with(|| {
            folded.push(f.clone());
            spellings.push(Vec::new());
            (folded.len() - 1) as u32
        });
        token_word.push(w);
        let list = &mut spellings[w as usize];
        match list.iter_mut().find(|x| x.0 == t) {
            Some(x) => x.1 += n,
            None => list.push((t, n)),
        }
    }
    // Most frequent first, ties by spelling (reproducible files).
    let variants: Vec<Vec<String>> = spellings
        .into_iter()
        .map(|mut list| {
            list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            list.into_iter().map(|(s, _)| s.to_owned()).collect()
        })
        .collect();
    let keys: Vec<Key> = keyed
        .iter()
        .zip(&token_word)
        .map(|((_, t), &w)| {
            let i = variants[w as usize].iter().position(|v| v == t);
            Key::new(
                w,
                i.filter(|&i| i < MAX_VARIANTS).map_or(NO_BIT, |i| i as u8),
            )
        })
        .collect();
    let variants = variants
        .into_iter()
        .map(|mut v| {
            v.truncate(MAX_VARIANTS);
            v
        })
        .collect();
    let mut by_rank: Vec<u32> = (0..folded.len() as u32).collect();
    by_rank.par_sort_unstable_by(|&a, &b| {
        super::shard::cmp_keys(&folded[a as usize], &folded[b as usize])
    });
    let mut rank = vec![0; folded.len()];
    for (r, &w) in by_rank.iter().enumerate() {
        rank[w as usize] = r as u32;
    }
    let remaps = remaps
        .into_iter()
        .map(|r| r.into_iter().map(|g| keys[g as usize]).collect())
        .collect();
    let vocab = Vocab {
        folded,
        rank,
        by_rank,
        variants,
    };
    (vocab, remaps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::SearchSection;

    #[test]
    fn tokens_keep_ids_of_any_size() {
        let mut toks = Toks::default();
        let ids = [0, 5, u32::from(WIDE) - 1, u32::from(WIDE), 70_000, 3];
        for (i, &id) in ids.iter().enumerate() {
            toks.push(id, i % 2 == 0);
        }
        assert_eq!(toks.wide, [u32::from(WIDE), 70_000]);
        let mut reader = toks.reader();
        for (i, &id) in ids.iter().enumerate() {
            assert_eq!(reader.next_token(), (id, i % 2 == 0));
        }
    }

    #[test]
    fn the_table_interns_in_first_seen_order_and_grows() {
        let mut words: Vec<String> = (0..3000).map(|i| format!("w{i}")).collect();
        words.push("một-từ-rất-dài-hơn-mười-sáu-byte".into());
        let mut t = Table::new();
        for w in words.iter().chain(&words) {
            t.id(w);
        }
        assert_eq!(t.strs.len(), 3001);
        assert_eq!(t.id("w1234"), 1234);
        assert_eq!(t.id("mới"), 3001);
        // Inside a longer text, a token is the same token.
        let text = "x mới, w12";
        assert_eq!(t.id_at("mới", text.as_bytes(), 2), 3001);
        assert_eq!(t.id_at("w12", text.as_bytes(), text.len() - 3), 12);
    }

    #[test]
    fn spellings_get_bits_by_frequency_and_words_sort_like_javascript() {
        let doc = SearchDoc {
            path: "/".into(),
            title: "Đề".into(),
            breadcrumb: vec![],
            number: Some("10/CT-TTG".into()),
            number_display: None,
            cites: vec![],
            sections: vec![SearchSection {
                anchor: None,
                heading: "Con dế".into(),
                text: "dê dê, dế; theo 1847/QĐ-TTg".into(),
            }],
            ..SearchDoc::default()
        };
        let chunk = tokenize(7, std::slice::from_ref(&doc));
        assert_eq!(chunk.units.len(), 2);
        assert_eq!((chunk.units[1].page, chunk.units[1].block), (7, 0));
        assert_eq!(chunk.units[1].heading, 2);
        // No pair starts a field or crosses punctuation; a hyphen joins.
        let mut reader = chunk.toks.reader();
        let breaks: Vec<&str> = (0..chunk.toks.len())
            .map(|_| reader.next_token())
            .filter(|t| !t.1)
            .map(|t| chunk.table.strs[t.0 as usize])
            .collect();
        assert_eq!(breaks, ["Đề", "Con", "dê", "dế", "theo", "QĐ"]);
        assert!(joins("  ") && joins(" - ") && !joins(" -- ") && !joins(", ") && !joins("\n"));
        let numbers: Vec<_> = chunk.numbers.iter().map(|n| (n.0, n.2)).collect();
        assert_eq!(numbers, [(0, OWN_NUMBER), (1, 1)]);
        let (vocab, keys) = merge(std::slice::from_ref(&chunk));
        let de = vocab.folded.iter().position(|f| f == "de").unwrap();
        let toned = ["dê", "dế", "Đề"].map(crate::text::toned_key);
        assert_eq!(
            vocab.variants[de], toned,
            "most frequent first, ties by spelling"
        );
        let dê = keys[0][chunk.table.strs.iter().position(|s| *s == "dê").unwrap()];
        assert_eq!((dê.word(), dê.bit()), (de as u32, 0));
        let order: Vec<&str> = vocab
            .by_rank
            .iter()
            .map(|&w| vocab.folded[w as usize].as_str())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    }
}
