//! Vietnamese letter handling without the `unicode-normalization` crate: the letter table,
//! composition of decomposed (NFD) input into NFC, diacritic folding for slugs, the
//! tone-placement rewrite, and the long-tail syllable inventory.
//!
//! Only the Vietnamese alphabet is needed: the training cleaner drops every token with a
//! character outside ASCII and this table, so everything the generator writes is NFC by
//! construction (precomposed Vietnamese letters and ASCII are NFC-stable).

use std::sync::OnceLock;

use crate::util::Rng;

/// One row per vowel, columns in tone order: none, huyền, sắc, hỏi, ngã, nặng.
const VOWEL_ROWS: [&str; 12] = [
    "aàáảãạ",
    "ăằắẳẵặ",
    "âầấẩẫậ",
    "eèéẻẽẹ",
    "êềếểễệ",
    "iìíỉĩị",
    "oòóỏõọ",
    "ôồốổỗộ",
    "ơờớởỡợ",
    "uùúủũụ",
    "ưừứửữự",
    "yỳýỷỹỵ",
];
/// ASCII base of each row, for folding.
const ROW_BASE: [char; 12] = ['a', 'a', 'a', 'e', 'e', 'i', 'o', 'o', 'o', 'u', 'u', 'y'];
/// Tone column of each combining tone mark (U+0300 huyền, U+0301 sắc, U+0309 hỏi,
/// U+0303 ngã, U+0323 nặng).
const TONE_MARKS: [(char, usize); 5] = [
    ('\u{300}', 1),
    ('\u{301}', 2),
    ('\u{309}', 3),
    ('\u{303}', 4),
    ('\u{323}', 5),
];

/// A Vietnamese vowel letter decoded from the table.
#[derive(Clone, Copy)]
struct Letter {
    row: usize,
    tone: usize,
    upper: bool,
}

fn decode(c: char) -> Option<Letter> {
    if c.is_ascii() {
        // Fast path: only the six plain vowels, no tone. The first row with a given ASCII
        // base is the unmarked vowel (a, e, i, o, u, y).
        let lower = c.to_ascii_lowercase();
        let row = ROW_BASE.iter().position(|&b| b == lower)?;
        return Some(Letter {
            row,
            tone: 0,
            upper: c.is_ascii_uppercase(),
        });
    }
    let table = LETTERS.get_or_init(|| {
        let mut v: Vec<(char, Letter)> = Vec::new();
        for (row, s) in VOWEL_ROWS.iter().enumerate() {
            for (tone, lower) in s.chars().enumerate() {
                v.push((
                    lower,
                    Letter {
                        row,
                        tone,
                        upper: false,
                    },
                ));
                let upper = lower.to_uppercase().next().unwrap_or(lower);
                v.push((
                    upper,
                    Letter {
                        row,
                        tone,
                        upper: true,
                    },
                ));
            }
        }
        v.sort_by_key(|&(c, _)| c);
        v
    });
    table
        .binary_search_by_key(&c, |&(x, _)| x)
        .ok()
        .map(|i| table[i].1)
}

/// Every Vietnamese vowel letter (both cases) sorted by code point, for binary search:
/// `decode` runs for every character of every title slug, so it must not scan the rows.
static LETTERS: OnceLock<Vec<(char, Letter)>> = OnceLock::new();

fn encode(l: Letter) -> char {
    let c = VOWEL_ROWS[l.row].chars().nth(l.tone).unwrap_or('?');
    if l.upper {
        c.to_uppercase().next().unwrap_or(c)
    } else {
        c
    }
}

/// Apply one combining mark to a letter, if Vietnamese has the result.
fn combine(l: Letter, mark: char) -> Option<Letter> {
    if let Some(&(_, tone)) = TONE_MARKS.iter().find(|(m, _)| *m == mark) {
        return (l.tone == 0).then_some(Letter { tone, ..l });
    }
    // Vowel marks: circumflex U+0302, breve U+0306, horn U+031B; rows as in VOWEL_ROWS.
    let row = match (l.row, mark) {
        (0, '\u{302}') => 2,
        (0, '\u{306}') => 1,
        (3, '\u{302}') => 4,
        (6, '\u{302}') => 7,
        (6, '\u{31B}') => 8,
        (9, '\u{31B}') => 10,
        _ => return None,
    };
    Some(Letter { row, ..l })
}

/// Compose decomposed Vietnamese letters (as saved by some editors) into NFC. Marks may
/// come in either order (NFD puts the dot below before the circumflex). Marks that cannot
/// be composed are kept; the tokenizer later drops any token containing one.
pub(crate) fn compose_vietnamese(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if ('\u{300}'..='\u{36F}').contains(&c) {
            let composed = out
                .chars()
                .next_back()
                .and_then(decode)
                .and_then(|l| combine(l, c));
            if let Some(l) = composed {
                out.pop();
                out.push(encode(l));
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Characters a kept token may consist of: ASCII letters and digits, Vietnamese letters.
pub(crate) fn is_vietnamese_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == 'đ' || c == 'Đ' || decode(c).is_some()
}

/// ASCII fold of one character, `None` for anything that is not a letter or digit.
fn fold_char(c: char) -> Option<char> {
    match c {
        'đ' | 'Đ' => Some('d'),
        c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
        c => decode(c).map(|l| ROW_BASE[l.row]),
    }
}

/// Slug: fold diacritics (đ→d), lowercase, runs of anything else become one `-`, trimmed.
/// Matches the project's slug contract for all text this generator produces.
pub(crate) fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        match fold_char(c) {
            Some(f) => {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                out.push(f);
            }
            None => dash = true,
        }
    }
    out
}

/// Old-style → new-style tone placement for the five words whose two spellings the site
/// must treat as equal. Each pair has the same number of characters.
const NEW_STYLE: [(&str, &str); 5] = [
    ("hóa", "hoá"),
    ("hòa", "hoà"),
    ("thủy", "thuỷ"),
    ("khỏe", "khoẻ"),
    ("ủy", "uỷ"),
];
/// Share of those words respelled, so both styles occur in the corpus.
const NEW_STYLE_P: f64 = 0.10;

/// Maybe respell `word` in the new tone placement, keeping its letter case.
pub(crate) fn respell_tone(word: &str, rng: &mut Rng) -> Option<String> {
    let lower = word.to_lowercase();
    let (_, new) = NEW_STYLE.iter().find(|(old, _)| *old == lower)?;
    if !rng.chance(NEW_STYLE_P) {
        return None;
    }
    Some(
        word.chars()
            .zip(new.chars())
            .map(|(orig, n)| {
                if orig.is_uppercase() {
                    n.to_uppercase().next().unwrap_or(n)
                } else {
                    n
                }
            })
            .collect(),
    )
}

/// Uppercase the first character (sentence and heading starts).
pub(crate) fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

const ONSETS: [&str; 28] = [
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
];
/// Rhymes (medial + nucleus + coda) without tone, grouped open / nasal / stop.
const RHYMES: &str = "a ai ao au ay âu ây e eo ê êu i ia iu iêu o oa oai oay oe oi ô ôi ơ ơi \
    u ua ui uôi uy ư ưa ưi ưu ươi ươu \
    am an ang anh ăm ăn ăng âm ân âng em en êm ên ênh im in inh iêm iên iêng om on ong oan \
    oang oanh oăn oăng ôm ôn ông ơm ơn um un ung uân uôm uôn uông uyên uynh ưng ươm ươn ương \
    ap at ac ach ăp ăt ăc âp ât âc ep et ec êp êt êch ip it ich iêp iêt op ot oc oat oac oach \
    oăt oăc ôp ôt ôc ơp ơt up ut uc uât uôt uôc uyêt uyt ưt ưc ươp ươt ươc";
/// Size of the long-tail inventory.
const TAIL_SIZE: usize = 4000;

/// Whether `onset + rhyme` respects Vietnamese spelling (k/gh/ngh before front vowels,
/// c/g/ng elsewhere, no rounded medial after labials or after qu, …).
fn spelling_ok(onset: &str, rhyme: &str) -> bool {
    let first = rhyme.chars().next().unwrap_or('a');
    let front = matches!(first, 'i' | 'e' | 'ê');
    let medial = ["oa", "oă", "oe", "uy", "uâ"]
        .iter()
        .any(|m| rhyme.starts_with(m));
    match onset {
        "k" => front || rhyme == "y",
        "gh" | "ngh" => front,
        "c" | "g" | "ng" => !front && rhyme != "y",
        "qu" => !matches!(first, 'o' | 'u' | 'ư') || rhyme == "y",
        "gi" => first != 'i',
        "b" | "m" | "p" | "ph" | "v" => !medial,
        _ => true,
    }
}

/// Put `tone` on the vowel that carries it in the traditional placement: the last vowel
/// with a shape mark (ươ→ơ), else the last vowel before a final consonant, else the
/// second-to-last of a vowel cluster (hòa, thủy), else the only vowel.
fn tone_rhyme(rhyme: &str, tone: usize) -> String {
    let chars: Vec<char> = rhyme.chars().collect();
    let vowels: Vec<usize> = (0..chars.len())
        .filter(|&i| decode(chars[i]).is_some())
        .collect();
    let marked = vowels.iter().rev().find(|&&i| "ăâêôơư".contains(chars[i]));
    let pos = match (marked, vowels.as_slice()) {
        (Some(&i), _) => i,
        (None, [.., last]) if *last + 1 < chars.len() => *last,
        (None, [.., second, _]) => *second,
        (None, [only]) => *only,
        (None, []) => return rhyme.to_owned(),
    };
    let mut out = chars;
    if let Some(l) = decode(out[pos]) {
        out[pos] = encode(Letter { tone, ..l });
    }
    out.into_iter().collect()
}

/// A deterministic list of spelling-valid syllables, shuffled with a fixed seed (so the
/// Zipf rank of a syllable does not follow the alphabet) and cut to `TAIL_SIZE`.
pub(crate) fn tail_inventory() -> Vec<String> {
    let rhymes: Vec<&str> = RHYMES.split_whitespace().chain(["y"]).collect();
    let mut out = Vec::new();
    for onset in ONSETS {
        for &rhyme in &rhymes {
            if !spelling_ok(onset, rhyme) {
                continue;
            }
            // Syllables closed by p, t, c, ch take only the sắc or nặng tone.
            let stop = rhyme.ends_with(['p', 't', 'c', 'h']) && !rhyme.ends_with("nh");
            for tone in 0..6 {
                if !stop || tone == 2 || tone == 5 {
                    out.push(format!("{onset}{}", tone_rhyme(rhyme, tone)));
                }
            }
        }
    }
    let mut rng = Rng::new(7);
    for i in (1..out.len()).rev() {
        out.swap(i, rng.below(i + 1));
    }
    out.truncate(TAIL_SIZE);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_vietnamese() {
        assert_eq!(slugify("Quyết định 1847/QĐ-TTg"), "quyet-dinh-1847-qd-ttg");
        assert_eq!(slugify("  Hòa giải ở cơ sở!  "), "hoa-giai-o-co-so");
        assert_eq!(slugify("Đường Nguyễn Trãi"), "duong-nguyen-trai");
    }

    #[test]
    fn composes_nfd_in_any_mark_order() {
        // "ộ" as o + dot below + circumflex (NFD order) and o + circumflex + dot below.
        assert_eq!(compose_vietnamese("to\u{323}\u{302}i"), "tội");
        assert_eq!(compose_vietnamese("to\u{302}\u{323}i"), "tội");
        assert_eq!(compose_vietnamese("Thu\u{309}y"), "Thủy");
        assert_eq!(compose_vietnamese("u\u{31B}o\u{31B}\u{300}ng"), "ường");
    }

    #[test]
    fn respelling_keeps_case() {
        let mut rng = Rng::new(1);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            seen.insert(respell_tone("Ủy", &mut rng));
        }
        assert!(seen.contains(&Some("Uỷ".to_owned())));
        assert!(seen.contains(&None));
        assert_eq!(respell_tone("hoa", &mut rng), None);
    }

    #[test]
    fn tail_syllables_are_valid() {
        let tail = tail_inventory();
        assert_eq!(tail.len(), TAIL_SIZE);
        assert!(tail.iter().all(|s| s.chars().all(is_vietnamese_alnum)));
        let bad = [
            "ka", "ko", "ku", "ce", "ci", "cê", "gha", "ngho", "ngi", "quu", "quo", "boa",
        ];
        assert!(!tail.iter().any(|s| bad.iter().any(|b| s.starts_with(b))));
        // Closed by a stop consonant: only the sắc or nặng tone.
        assert!(!tail.iter().any(|s| s == "hàt" || s == "mảc" || s == "tâp"));
    }
}
