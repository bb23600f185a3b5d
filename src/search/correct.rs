//! Spelling confusions: when a query word or phrase is (nearly) absent from the index, the
//! spellings that dialects confuse (`s`/`x`, `tr`/`ch`, `d`/`gi`/`r`, `n`/`l` at the start,
//! `n`/`ng` and `t`/`c` at the end) are looked up too, and the most frequent one that the
//! site has much more often becomes another reading of the term, like a Telex decoding.
//! `sử lí` finds `xử lí`; the page then offers "Có phải bạn muốn tìm: xử lí".
//!
//! Only terms with fewer than [`FEW`] pages look for neighbours, so a query the site answers
//! costs no extra file. The browser client (`search.js`, `confusions`) does the same.

use super::query::{Alt, Query};
use super::shard::TermEntry;
use std::collections::HashMap;

/// Terms found on fewer pages than this look for a better spelling.
pub(crate) const FEW: usize = 4;
/// A spelling replaces the typed one when it is on more than this many times its pages.
const BETTER: usize = 4;
/// Candidate keys a query looks up at most (in term order), so that a query of many unknown
/// words still reads a bounded number of shards.
const MAX_CANDIDATES: usize = 4;

const ONSETS: &[&[&str]] = &[&["s", "x"], &["tr", "ch"], &["d", "gi", "r"], &["n", "l"]];
const FINALS: &[&[&str]] = &[&["ng", "n"], &["t", "c"]];
/// Onsets that start with a confusable one but are not it (`nh` is not `n`).
const LONGER: &[&str] = &["nh", "ng", "ch", "th", "tr", "gi", "gh"];

/// The spellings a folded syllable may have been confused with (not itself).
pub(crate) fn confusions(word: &str) -> Vec<String> {
    if !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Vec::new();
    }
    let onset = ONSETS.iter().flat_map(|g| g.iter()).find(|o| {
        word.starts_with(**o)
            && !LONGER
                .iter()
                .any(|l| l.len() > o.len() && word.starts_with(l))
    });
    let fin = FINALS.iter().flat_map(|g| g.iter()).find(|f| {
        word.ends_with(**f)
            && !(**f == "n" && word.ends_with("ng"))
            && !(**f == "c" && word.ends_with("ch"))
    });
    let group = |table: &[&[&'static str]], x: &str| -> Vec<&'static str> {
        table
            .iter()
            .find(|g| g.contains(&x))
            .map(|g| g.to_vec())
            .unwrap_or_default()
    };
    let (o, f) = (onset.copied().unwrap_or(""), fin.copied().unwrap_or(""));
    if o.len() + f.len() >= word.len() {
        return Vec::new();
    }
    let middle = &word[o.len()..word.len() - f.len()];
    let onsets = if o.is_empty() {
        vec![""]
    } else {
        group(ONSETS, o)
    };
    let finals = if f.is_empty() {
        vec![""]
    } else {
        group(FINALS, f)
    };
    let mut out = Vec::new();
    for a in &onsets {
        for b in &finals {
            let w = format!("{a}{middle}{b}");
            if w != word {
                out.push(w);
            }
        }
    }
    out
}

/// Keys to look up for each term of `query` that the index (as far as `entries` show)
/// barely has: (term index, candidate keys), the rarest terms first.
pub(crate) fn candidates(query: &Query, entries: &[TermEntry]) -> Vec<(usize, Vec<String>)> {
    let df: HashMap<&str, usize> = entries.iter().map(|e| (e.key.as_str(), e.df)).collect();
    let found_of = |i: usize| df.get(query.terms[i].key.as_str()).copied().unwrap_or(0);
    // The rarest terms first: they get the candidates when there are too many.
    let mut order: Vec<usize> = (0..query.terms.len()).collect();
    order.sort_by_key(|&i| found_of(i));
    let mut out = Vec::new();
    for i in order {
        let (t, found) = (&query.terms[i], found_of(i));
        // A word typed as keystrokes was not also misspelled.
        let read = t.key[1..]
            .split(' ')
            .any(|w| query.also.iter().any(|a| a == w));
        if found >= FEW || !t.alts.is_empty() || read {
            continue;
        }
        let keys: Vec<String> = if let Some(w) = t.key.strip_prefix('1') {
            confusions(w).into_iter().map(|c| format!("1{c}")).collect()
        } else if let Some((a, b)) = t.key.strip_prefix('2').and_then(|p| p.split_once(' ')) {
            let mut keys: Vec<String> = confusions(a).iter().map(|c| format!("2{c} {b}")).collect();
            keys.extend(confusions(b).iter().map(|c| format!("2{a} {c}")));
            keys
        } else {
            Vec::new()
        };
        let room = MAX_CANDIDATES
            - out
                .iter()
                .map(|(_, k): &(usize, Vec<String>)| k.len())
                .sum::<usize>();
        let keys: Vec<String> = keys.into_iter().take(room).collect();
        if !keys.is_empty() {
            out.push((i, keys));
        }
    }
    out
}

/// Every key the second round reads: the candidates, and the words of candidate pairs (a
/// pair correction corrects its words too).
pub(crate) fn lookups(wanted: &[(usize, Vec<String>)]) -> Vec<String> {
    let mut out = Vec::new();
    for k in wanted.iter().flat_map(|(_, k)| k) {
        out.push(k.clone());
        if let Some(p) = k.strip_prefix('2') {
            out.extend(p.split(' ').map(|w| format!("1{w}")));
        }
    }
    out
}

/// Adds to `query` the best candidate of each term (the most pages, then the first listed)
/// when it has more than [`BETTER`] times the term's pages; returns whether any was added.
pub(crate) fn apply(
    query: &mut Query,
    wanted: &[(usize, Vec<String>)],
    entries: &[TermEntry],
) -> bool {
    let df: HashMap<&str, usize> = entries.iter().map(|e| (e.key.as_str(), e.df)).collect();
    let mut any = false;
    for (i, keys) in wanted {
        let t = &query.terms[*i];
        let had = df.get(t.key.as_str()).copied().unwrap_or(0);
        let best = keys
            .iter()
            .filter_map(|k| df.get(k.as_str()).map(|&d| (d, k)))
            .fold(None::<(usize, &String)>, |b, x| match b {
                Some(b) if b.0 >= x.0 => Some(b),
                _ => Some(x),
            });
        let Some((_, key)) = best.filter(|b| b.0 > BETTER * had) else {
            continue;
        };
        let (key, typed) = (key.clone(), t.key.clone());
        push_fix(query, *i, &key);
        if let (Some(new), Some(old)) = (key.strip_prefix('2'), typed.strip_prefix('2')) {
            for (n, o) in new.split(' ').zip(old.split(' ')) {
                let term = query.terms.iter().position(|t| t.key == format!("1{o}"));
                let known = df.contains_key(format!("1{n}").as_str());
                if let Some(w) = term.filter(|_| n != o && known) {
                    push_fix(query, w, &format!("1{n}"));
                }
            }
        }
        any = true;
    }
    any
}

fn push_fix(query: &mut Query, term: usize, key: &str) {
    let t = &mut query.terms[term];
    if t.alts.iter().any(|a| a.key == key) {
        return;
    }
    t.alts.push(Alt {
        key: key.to_owned(),
        variant: None,
        fix: true,
    });
    if let Some(w) = key.strip_prefix('1') {
        query.also.push(w.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_of_unknown_words_looks_up_a_bounded_number_of_keys() {
        let q = crate::search::parse_query("sa xa tra cha da gia ra na la sat");
        let wanted = candidates(&q, &[]);
        let n: usize = wanted.iter().map(|(_, k)| k.len()).sum();
        assert_eq!(n, MAX_CANDIDATES);
        assert!(lookups(&wanted).len() <= 3 * MAX_CANDIDATES);
    }

    #[test]
    fn confusable_onsets_and_finals() {
        assert_eq!(confusions("su"), ["xu"]);
        assert_eq!(confusions("tran"), ["trang", "chang", "chan"]);
        assert_eq!(confusions("gia"), ["da", "ra"]);
        assert_eq!(confusions("nhan"), ["nhang"]);
        assert_eq!(confusions("lam"), ["nam"]);
        assert_eq!(confusions("cat"), ["cac"]);
        assert_eq!(confusions("cach"), Vec::<String>::new());
        assert!(confusions("hoa").is_empty());
        assert!(confusions("1847").is_empty());
        for w in ["n", "t", "ng", "gi", "nt", "x"] {
            assert!(confusions(w).is_empty(), "{w}");
        }
        assert_eq!(confusions("sach"), ["xach"]);
        assert_eq!(confusions("ngan"), ["ngang"]);
    }
}
