//! Where term shards end: at content-defined points, so that an edit which changes a few
//! terms changes the shards holding them and no other.
//!
//! Cutting by running size alone (the simple way) moves every later boundary when one term
//! grows by a byte, so a saved page would rename nearly every shard. Here a term starts a
//! new shard when the shard already has [`MIN_SHARD`] bytes and a hash of the term's key
//! says so, with a chance proportional to the term's size (so boundaries fall every
//! [`GAP`] bytes on average, whatever the terms' sizes); a shard that reaches
//! [`MAX_SHARD`] is cut regardless. After a changed term the cuts fall back in step with
//! the old ones at the first boundary both agree on, usually the next one.
//!
//! Segments (the runs of terms one task cuts, see [`super::shard::Shards`]) end after a
//! word's pairs when a hash of the word says so, with a chance proportional to the pairs'
//! size, so they too are defined by content and never by thread timing or running totals.

use super::tuning::SHARD_BYTES;

/// A shard is not cut before it has this many bytes (unless its segment ends).
pub(crate) const MIN_SHARD: usize = SHARD_BYTES / 2;
/// Mean bytes between two terms that may start a shard.
const GAP: usize = SHARD_BYTES / 2;
/// A shard is cut after the term that takes it to this many bytes.
pub(crate) const MAX_SHARD: usize = 2 * SHARD_BYTES;
/// Mean bytes of a segment.
const SEGMENT_BYTES: usize = 64 * SHARD_BYTES;

/// FNV-1a, then a multiply-xorshift finish so that the high bits are well mixed.
fn hash(s: &str, seed: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// True with a chance of `bytes / mean` (always when `bytes >= mean`), decided by `h`.
fn chance(h: u64, bytes: usize, mean: usize) -> bool {
    (h >> 40) * (mean as u64) < (bytes as u64) << 24
}

/// Whether a term of `bytes` bytes (key and entry) may start a shard.
pub(crate) fn starts_shard(key: &str, bytes: usize) -> bool {
    chance(hash(key, 0), bytes, GAP)
}

/// Whether a segment ends after the pairs whose keys start with `label` (`2van`), which
/// weigh `bytes` (keys and entries).
pub(crate) fn ends_segment(label: &str, bytes: usize) -> bool {
    chance(hash(label, 0x5e9), bytes, SEGMENT_BYTES)
}

/// The label of a pair term's run: `2` and its first word (`2van` for `2van hoa`); `None`
/// for words and numbers, which never end a segment.
pub(crate) fn run_label(key: &str) -> Option<&str> {
    if !key.starts_with('2') {
        return None;
    }
    key.find(' ').map(|i| &key[..i])
}

fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Cuts consecutive terms into shard files (`count`, then per term the shared key prefix,
/// the key suffix and the entry): the one cutting rule of the batch build and the live
/// index.
#[derive(Default)]
pub(crate) struct Cutter {
    shard: Vec<u8>,
    count: u64,
    first: String,
    prev: String,
}

impl Cutter {
    /// Adds a term; hands over each shard it completes as (first key, bytes).
    pub(crate) fn push(&mut self, key: &str, body: &[u8], out: &mut impl FnMut(String, Vec<u8>)) {
        if self.count > 0 && self.starts_with(key, body) {
            self.flush(out);
        }
        if self.count == 0 {
            self.first.clear();
            self.first.push_str(key);
            self.prev.clear();
        }
        let shared = self
            .prev
            .bytes()
            .zip(key.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        varint(&mut self.shard, shared as u64);
        varint(&mut self.shard, (key.len() - shared) as u64);
        self.shard.extend_from_slice(&key.as_bytes()[shared..]);
        self.shard.extend_from_slice(body);
        self.count += 1;
        self.prev.clear();
        self.prev.push_str(key);
        if self.shard.len() >= MAX_SHARD {
            self.flush(out);
        }
    }

    /// Whether [`Cutter::push`] would start a new shard with this term.
    pub(crate) fn starts_with(&self, key: &str, body: &[u8]) -> bool {
        self.count == 0
            || (self.shard.len() >= MIN_SHARD && starts_shard(key, key.len() + body.len()))
    }

    /// Ends the current shard, if it has terms.
    pub(crate) fn flush(&mut self, out: &mut impl FnMut(String, Vec<u8>)) {
        if self.count == 0 {
            return;
        }
        let mut bytes = Vec::with_capacity(self.shard.len() + 4);
        varint(&mut bytes, self.count);
        bytes.append(&mut self.shard);
        self.count = 0;
        out(self.first.clone(), bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chances_follow_sizes() {
        let keys: Vec<String> = (0..20_000).map(|i| format!("2từ{i} khác")).collect();
        let hits = |bytes: usize| keys.iter().filter(|k| starts_shard(k, bytes)).count();
        assert_eq!(hits(GAP), keys.len());
        let some = hits(GAP / 10) as f64 / keys.len() as f64;
        assert!((0.08..0.12).contains(&some), "{some}");
        assert_eq!(run_label("2van hoa"), Some("2van"));
        assert_eq!(run_label("1van"), None);
    }

    #[test]
    fn shards_stay_between_their_bounds_and_a_change_stays_local() {
        let terms: Vec<(String, Vec<u8>)> = (0..5_000)
            .map(|i| (format!("1w{i:05}"), vec![7; 10 + (i * 37) % 90]))
            .collect();
        let cut = |terms: &[(String, Vec<u8>)]| {
            let mut shards = Vec::new();
            let mut c = Cutter::default();
            for (k, b) in terms {
                c.push(k, b, &mut |first, bytes| shards.push((first, bytes)));
            }
            c.flush(&mut |first, bytes| shards.push((first, bytes)));
            shards
        };
        let before = cut(&terms);
        assert!(before.len() > 20);
        let (last, full) = before.split_last().unwrap();
        assert!(full
            .iter()
            .all(|s| s.1.len() >= MIN_SHARD && s.1.len() < MAX_SHARD + 200));
        assert!(!last.1.is_empty());
        let mut edited = terms.clone();
        edited[2_500].1.extend_from_slice(&[1; 40]);
        let after = cut(&edited);
        let differ = after.iter().filter(|s| !before.contains(s)).count();
        assert!((1..=2).contains(&differ), "{differ} shards differ");
    }
}
