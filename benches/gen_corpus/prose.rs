//! Sentence, phrase and paragraph generation from the bigram chain, with the Zipf long
//! tail and the tone-placement respelling applied as words are emitted.

use crate::text::{capitalize, respell_tone, tail_inventory};
use crate::train::Chain;
use crate::util::Rng;

/// Share of word tokens replaced by a long-tail syllable. The training text is small, so
/// without this the vocabulary (and hence a search index) would be unrealistically small.
const TAIL_P: f64 = 0.12;

/// Everything the text generator reads; shared by all pages.
pub(crate) struct Model {
    chain: Chain,
    /// Capitalised alphabetic starters: headings and titles should not begin with a digit.
    phrase_starters: Vec<u32>,
    tail: Vec<String>,
    /// Cumulative Zipf probabilities (weight 1/rank) over `tail`.
    tail_cum: Vec<f64>,
}

impl Model {
    pub(crate) fn new(chain: Chain) -> Model {
        let tail = tail_inventory();
        let total: f64 = (1..=tail.len()).map(|r| 1.0 / r as f64).sum();
        let tail_cum = (1..=tail.len())
            .scan(0.0, |acc, r| {
                *acc += 1.0 / r as f64 / total;
                Some(*acc)
            })
            .collect();
        let mut phrase_starters: Vec<u32> = chain
            .starters
            .iter()
            .copied()
            .filter(|&id| chain.words[id as usize].starts_with(char::is_alphabetic))
            .collect();
        if phrase_starters.is_empty() {
            phrase_starters.clone_from(&chain.starters);
        }
        Model {
            chain,
            phrase_starters,
            tail,
            tail_cum,
        }
    }

    pub(crate) fn vocabulary(&self) -> usize {
        self.chain.words.len() - crate::train::PUNCT.len()
    }

    pub(crate) fn training_tokens(&self) -> usize {
        self.chain.tokens
    }
}

/// A text generator for one page: the shared model plus the page's own random stream.
pub(crate) struct Writer<'a> {
    m: &'a Model,
    pub(crate) rng: Rng,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(m: &'a Model, rng: Rng) -> Writer<'a> {
        Writer { m, rng }
    }

    fn tail_word(&mut self) -> &'a str {
        let u = self.rng.f64();
        let i = self.m.tail_cum.partition_point(|&c| c < u);
        &self.m.tail[i.min(self.m.tail.len() - 1)]
    }

    /// Walk the chain from a sentence starter. Returns words and punctuation (no final
    /// full stop); retries a few times to reach `min_words`.
    fn sentence_tokens(&mut self, min_words: usize, max_tokens: usize) -> Vec<&'a str> {
        let chain = &self.m.chain;
        let mut out = Vec::new();
        for _ in 0..20 {
            out.clear();
            let mut cur = *self.rng.pick(&chain.starters);
            out.push(chain.words[cur as usize].as_str());
            let mut words = 1;
            while out.len() < max_tokens {
                cur = *self.rng.pick(&chain.succ[cur as usize]);
                if cur == 0 {
                    break;
                }
                if Chain::is_punct(cur) {
                    out.push(chain.words[cur as usize].as_str());
                } else {
                    words += 1;
                    let w = if self.rng.chance(TAIL_P) {
                        self.tail_word()
                    } else {
                        chain.words[cur as usize].as_str()
                    };
                    out.push(w);
                }
            }
            while out.last().is_some_and(|t| is_punct(t)) {
                out.pop();
            }
            if words >= min_words {
                break;
            }
        }
        out
    }

    /// Append tokens to `out` (punctuation glued to the previous word, first letter
    /// capitalised, tone respelling applied); returns the number of words written.
    fn push_tokens(&mut self, out: &mut String, toks: &[&str]) -> usize {
        let mut words = 0;
        for (i, t) in toks.iter().enumerate() {
            if is_punct(t) {
                out.push_str(t);
                continue;
            }
            if i > 0 {
                out.push(' ');
            }
            let respelled = respell_tone(t, &mut self.rng);
            let word = respelled.as_deref().unwrap_or(t);
            if i == 0 {
                out.push_str(&capitalize(word));
            } else {
                out.push_str(word);
            }
            words += 1;
        }
        words
    }

    /// One full sentence with its final mark; returns the word count.
    pub(crate) fn sentence(
        &mut self,
        out: &mut String,
        min_words: usize,
        max_tokens: usize,
        end: char,
    ) -> usize {
        let toks = self.sentence_tokens(min_words, max_tokens);
        let n = self.push_tokens(out, &toks);
        out.push(end);
        n
    }

    /// A paragraph of whole sentences with at least `target` words.
    pub(crate) fn paragraph(&mut self, target: usize) -> (String, usize) {
        let mut p = String::with_capacity(target * 8);
        let mut words = 0;
        while words < target {
            if words > 0 {
                p.push(' ');
            }
            words += self.sentence(&mut p, 6, 40, '.');
        }
        (p, words)
    }

    /// A capitalised run of `lo..=hi` words without punctuation, for titles and headings.
    pub(crate) fn phrase(&mut self, lo: usize, hi: usize) -> String {
        let chain = &self.m.chain;
        let n = self.rng.range(lo, hi);
        let mut toks: Vec<&str> = Vec::with_capacity(n);
        for _ in 0..30 {
            toks.clear();
            let mut cur = *self.rng.pick(&self.m.phrase_starters);
            toks.push(chain.words[cur as usize].as_str());
            while toks.len() < n {
                cur = *self.rng.pick(&chain.succ[cur as usize]);
                if Chain::is_punct(cur) {
                    break;
                }
                toks.push(chain.words[cur as usize].as_str());
            }
            if toks.len() >= lo {
                break;
            }
        }
        let mut s = String::new();
        self.push_tokens(&mut s, &toks);
        s
    }
}

fn is_punct(t: &str) -> bool {
    crate::train::PUNCT.contains(&t)
}
