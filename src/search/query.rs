//! From what a citizen typed to the terms to look up.
//!
//! A query is NFC-normalized and cut into words like the text. Each word looks up its
//! folded key (`1hoa`); each pair of neighbouring words looks up the two-syllable term
//! (`2van hoa`), which is how phrases outrank scattered words. The last word, unless the
//! query ends in a space, also matches as a prefix so results come while typing. Document
//! numbers are recognized loosely (`1847`, `QĐ1847`, `1847 / qđ-ttg`) and look up number
//! terms (`1#1847`, `1#1847/qd-ttg`).

use super::tokenize::{is_marked, words, Word};
use super::tuning::MAX_WORDS;
use crate::text;
use regex::Regex;
use std::sync::OnceLock;

/// One term to look up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// The index key (`1hoa`, `2van hoa`, `1#1847`).
    pub key: String,
    /// The toned spelling to prefer, when the query was typed with marks.
    pub variant: Option<String>,
    /// Whether keys that start with `key` match too (at a lower weight).
    pub prefix: bool,
    /// Other keys that stand for the same term (a Telex or VNI decoding); a page's weight
    /// for the term is the best over the key and these.
    pub alts: Vec<Alt>,
}

/// Another key a query term may be read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alt {
    /// The index key (`1van`).
    pub key: String,
    /// The toned spelling to prefer (`văn`), when the reading has one.
    pub variant: Option<String>,
    /// Whether it corrects a confused spelling (`correct`) rather than reads keystrokes.
    pub fix: bool,
}

/// A parsed query.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// The words (at most [`MAX_WORDS`]).
    pub words: Vec<Word>,
    /// Whether the last word is matched as a prefix.
    pub prefix: bool,
    /// Whether any word carries a mark (then tones are preferred).
    pub marked: bool,
    /// Terms to look up, without duplicates.
    pub terms: Vec<QueryTerm>,
    /// Folded keys of the words' other readings (`van` for `vawn`), highlighted in snippets.
    pub also: Vec<String>,
}

impl Query {
    /// Every key to look up in the index, with whether it is matched as a prefix.
    pub(crate) fn lookups(&self) -> impl Iterator<Item = (&str, bool)> + Clone {
        self.terms.iter().flat_map(|t| {
            std::iter::once((t.key.as_str(), t.prefix))
                .chain(t.alts.iter().map(|a| (a.key.as_str(), false)))
        })
    }
}

/// A word's reading as Telex or VNI: (folded key, toned key), if it decodes.
fn reading(typed: &str) -> Option<(String, String)> {
    let syllable = super::typed::decode(typed)?;
    Some((text::folded_key(&syllable), text::toned_key(&syllable)))
}

fn number_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(\d{1,5})\s*/\s*(?:\d{4}\s*/\s*)?\p{L}[\p{L}\p{N}]*(?:\s*[-.]\s*[\p{L}\p{N}]+)*",
        )
        .expect("query number pattern is valid")
    })
}

fn lead_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^\p{L}*(\d{1,5})$").expect("lead pattern is valid"))
}

fn trim_zeros(n: &str) -> &str {
    let t = n.trim_start_matches('0');
    if t.is_empty() {
        "0"
    } else {
        t
    }
}

/// Parses a query.
pub fn parse_query(raw: &str) -> Query {
    let q = text::nfc(raw);
    let mut all = words(&q);
    all.truncate(MAX_WORDS);
    let prefix = q
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c));
    let marked = all.iter().any(|w| is_marked(&q[w.start..w.end]));
    let mut terms: Vec<QueryTerm> = Vec::new();
    let mut push = |t: QueryTerm| {
        if !terms.iter().any(|x| x.key == t.key) {
            terms.push(t);
        }
    };
    let n = all.len();
    let readings: Vec<Option<(String, String)>> =
        all.iter().map(|w| reading(&q[w.start..w.end])).collect();
    // A word's keys for pairs: its reading if it has one, with a spelling when it has a
    // reading or the query has marks.
    let form = |i: usize| match &readings[i] {
        Some((f, t)) => (f.as_str(), Some(t.as_str())),
        None => (
            all[i].folded.as_str(),
            marked.then_some(all[i].toned.as_str()),
        ),
    };
    for (i, w) in all.iter().enumerate() {
        push(QueryTerm {
            key: format!("1{}", w.folded),
            variant: marked.then(|| w.toned.clone()),
            prefix: prefix && i + 1 == n && w.folded.chars().count() >= 2,
            alts: readings[i]
                .iter()
                .map(|(f, t)| Alt {
                    key: format!("1{f}"),
                    variant: Some(t.clone()),
                    fix: false,
                })
                .collect(),
        });
        if let Some(next) = all.get(i + 1) {
            let ((f1, t1), (f2, t2)) = (form(i), form(i + 1));
            let alt = Alt {
                key: format!("2{f1} {f2}"),
                variant: t1.zip(t2).map(|(a, b)| format!("{a} {b}")),
                fix: false,
            };
            let pair_prefix = prefix && i + 2 == n;
            if readings[i].is_some() && readings[i + 1].is_some() {
                // Two keystroke spellings in a row are not a phrase as typed: only the
                // reading is looked up (one shard less).
                push(QueryTerm {
                    key: alt.key,
                    variant: alt.variant,
                    prefix: pair_prefix,
                    alts: Vec::new(),
                });
            } else {
                let one = readings[i].is_some() || readings[i + 1].is_some();
                push(QueryTerm {
                    key: format!("2{} {}", w.folded, next.folded),
                    variant: marked.then(|| format!("{} {}", w.toned, next.toned)),
                    prefix: pair_prefix,
                    alts: if one { vec![alt] } else { Vec::new() },
                });
            }
        }
    }
    // Document numbers: whole numbers first, then leading numbers of other words.
    let spans: Vec<(usize, usize)> = number_pattern()
        .find_iter(&q)
        .filter_map(|m| {
            let canonical = text::canonical_number(m.as_str())?;
            push(QueryTerm {
                key: format!("1#{}", canonical.to_lowercase()),
                variant: None,
                prefix: false,
                alts: Vec::new(),
            });
            Some((m.start(), m.end()))
        })
        .collect();
    for w in &all {
        let inside = spans.iter().any(|&(s, e)| w.start > s && w.start < e);
        if inside {
            continue;
        }
        if let Some(c) = lead_pattern().captures(&w.folded) {
            push(QueryTerm {
                key: format!("1#{}", trim_zeros(&c[1])),
                variant: None,
                prefix: false,
                alts: Vec::new(),
            });
        }
    }
    Query {
        words: all,
        prefix,
        marked,
        terms,
        also: readings.into_iter().flatten().map(|(f, _)| f).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(q: &str) -> Vec<String> {
        parse_query(q).terms.into_iter().map(|t| t.key).collect()
    }

    #[test]
    fn words_pairs_and_prefix() {
        let q = parse_query("văn hóa cô");
        assert!(q.marked && q.prefix);
        assert_eq!(
            keys("văn hóa cô"),
            ["1van", "2van hoa", "1hoa", "2hoa co", "1co"]
        );
        assert!(q.terms[4].prefix && q.terms[3].prefix && !q.terms[0].prefix);
        assert_eq!(q.terms[1].variant.as_deref(), Some("văn hoa1"));
        let done = parse_query("van hoa ");
        assert!(!done.prefix && !done.marked);
        assert!(done.terms.iter().all(|t| !t.prefix && t.variant.is_none()));
        // A one-letter last word is not expanded, but its pair is.
        let q = parse_query("van h");
        assert!(!q.terms[2].prefix && q.terms[1].prefix);
    }

    #[test]
    fn document_numbers_in_every_shape() {
        for q in [
            "1847",
            "qd 1847",
            "QĐ1847",
            "quyết định 1847",
            "1847/qđ-ttg",
        ] {
            assert!(keys(q).contains(&"1#1847".to_owned()), "{q}");
        }
        assert!(keys("1847 / QĐ-TTg").contains(&"1#1847/qd-ttg".to_owned()));
        let k = keys("22/2008/QH12");
        assert!(k.contains(&"1#22/2008/qh12".to_owned()));
        assert!(k.contains(&"1#22".to_owned()));
        assert!(!k.contains(&"1#2008".to_owned()) && !k.contains(&"1#12".to_owned()));
        assert!(keys("số 03").contains(&"1#3".to_owned()));
    }

    #[test]
    fn telex_and_vni_words_are_also_read_as_syllables() {
        let q = parse_query("vawn hoas cong vuj");
        assert_eq!(q.terms[0].alts[0].key, "1van");
        assert_eq!(q.terms[0].alts[0].variant.as_deref(), Some("văn"));
        // Both words of the pair are keystrokes: the reading is the pair's own key.
        assert_eq!(q.terms[1].key, "2van hoa");
        assert_eq!(q.terms[1].variant.as_deref(), Some("văn hoa1"));
        assert!(q.terms[1].alts.is_empty());
        // `cong` has no reading and the query has no marks: its spelling is left open.
        assert_eq!(q.terms[3].alts[0].key, "2hoa cong");
        assert_eq!(q.terms[3].alts[0].variant, None);
        assert_eq!(q.also, ["van", "hoa", "vu"]);
        let v = parse_query("d9a8ng ky1");
        assert_eq!(v.terms[0].alts[0].key, "1dang");
        assert_eq!(v.terms[1].key, "2dang ki");
        assert!(parse_query("class van hoa")
            .terms
            .iter()
            .all(|t| t.alts.is_empty()));
    }

    #[test]
    fn nfd_and_tone_placement_give_the_same_terms() {
        let a = parse_query("thuỷ hoá");
        let b = parse_query("thu\u{0079}\u{0309} ho\u{0061}\u{0301}");
        let c = parse_query("thủy hóa");
        assert_eq!(a.terms, b.terms);
        assert_eq!(a.terms, c.terms);
    }
}
