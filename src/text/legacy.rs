//! Vietnamese typed in the legacy font encodings, TCVN3 (ABC) and VNI-Windows, then pasted
//! or saved as if it were Latin-1: `QuyÕt ®Þnh` (TCVN3) and `Quyeát ñònh` (VNI) for
//! "Quyết định".
//!
//! Offices still keep documents typed with `.VnTime` or `VNI-Times` fonts; copied into a page
//! they look right nowhere but in those fonts, and a number like `1847/QÑ-TTg` would even pass
//! for a document number. A word is taken for legacy text only when it is not Vietnamese as
//! written and is a Vietnamese syllable (or an acronym with `Đ`) once converted, so "café",
//! "Müller" or ordinary Vietnamese never are; lines without a Latin-1 character (nearly all)
//! cost one byte scan.

use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// A legacy encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Legacy {
    /// TCVN 5712:1993 VN3, the `.Vn…` (ABC) fonts: one byte per letter.
    Tcvn3,
    /// VNI-Windows: an ASCII letter followed by a mark byte.
    Vni,
}

impl Legacy {
    /// Both encodings, in the order ties are decided.
    pub const ALL: [Legacy; 2] = [Legacy::Tcvn3, Legacy::Vni];

    /// The name editors know it by.
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "TCVN3 (ABC)",
            Legacy::Vni => "VNI-Windows",
        }
    }
}

/// TCVN 5712:1993 bytes that are not ASCII, and the letters they stand for, as glibc's
/// `TCVN5712-1` converter decodes them (the ABC fonts use the lowercase half, 0xA1–0xFE;
/// the toned capitals sit in the control ranges). Combining marks 0xB0–0xB4 are left out.
const TCVN3: &[(u8, char)] = &[
    (0x01, 'Ú'),
    (0x02, 'Ụ'),
    (0x04, 'Ừ'),
    (0x05, 'Ử'),
    (0x06, 'Ữ'),
    (0x11, 'Ứ'),
    (0x12, 'Ự'),
    (0x13, 'Ỳ'),
    (0x14, 'Ỷ'),
    (0x15, 'Ỹ'),
    (0x16, 'Ý'),
    (0x17, 'Ỵ'),
    (0x80, 'À'),
    (0x81, 'Ả'),
    (0x82, 'Ã'),
    (0x83, 'Á'),
    (0x84, 'Ạ'),
    (0x85, 'Ặ'),
    (0x86, 'Ậ'),
    (0x87, 'È'),
    (0x88, 'Ẻ'),
    (0x89, 'Ẽ'),
    (0x8A, 'É'),
    (0x8B, 'Ẹ'),
    (0x8C, 'Ệ'),
    (0x8D, 'Ì'),
    (0x8E, 'Ỉ'),
    (0x8F, 'Ĩ'),
    (0x90, 'Í'),
    (0x91, 'Ị'),
    (0x92, 'Ò'),
    (0x93, 'Ỏ'),
    (0x94, 'Õ'),
    (0x95, 'Ó'),
    (0x96, 'Ọ'),
    (0x97, 'Ộ'),
    (0x98, 'Ờ'),
    (0x99, 'Ở'),
    (0x9A, 'Ỡ'),
    (0x9B, 'Ớ'),
    (0x9C, 'Ợ'),
    (0x9D, 'Ù'),
    (0x9E, 'Ủ'),
    (0x9F, 'Ũ'),
    (0xA1, 'Ă'),
    (0xA2, 'Â'),
    (0xA3, 'Ê'),
    (0xA4, 'Ô'),
    (0xA5, 'Ơ'),
    (0xA6, 'Ư'),
    (0xA7, 'Đ'),
    (0xA8, 'ă'),
    (0xA9, 'â'),
    (0xAA, 'ê'),
    (0xAB, 'ô'),
    (0xAC, 'ơ'),
    (0xAD, 'ư'),
    (0xAE, 'đ'),
    (0xAF, 'Ằ'),
    (0xB5, 'à'),
    (0xB6, 'ả'),
    (0xB7, 'ã'),
    (0xB8, 'á'),
    (0xB9, 'ạ'),
    (0xBA, 'Ẳ'),
    (0xBB, 'ằ'),
    (0xBC, 'ẳ'),
    (0xBD, 'ẵ'),
    (0xBE, 'ắ'),
    (0xBF, 'Ẵ'),
    (0xC0, 'Ắ'),
    (0xC1, 'Ầ'),
    (0xC2, 'Ẩ'),
    (0xC3, 'Ẫ'),
    (0xC4, 'Ấ'),
    (0xC5, 'Ề'),
    (0xC6, 'ặ'),
    (0xC7, 'ầ'),
    (0xC8, 'ẩ'),
    (0xC9, 'ẫ'),
    (0xCA, 'ấ'),
    (0xCB, 'ậ'),
    (0xCC, 'è'),
    (0xCD, 'Ể'),
    (0xCE, 'ẻ'),
    (0xCF, 'ẽ'),
    (0xD0, 'é'),
    (0xD1, 'ẹ'),
    (0xD2, 'ề'),
    (0xD3, 'ể'),
    (0xD4, 'ễ'),
    (0xD5, 'ế'),
    (0xD6, 'ệ'),
    (0xD7, 'ì'),
    (0xD8, 'ỉ'),
    (0xD9, 'Ễ'),
    (0xDA, 'Ế'),
    (0xDB, 'Ồ'),
    (0xDC, 'ĩ'),
    (0xDD, 'í'),
    (0xDE, 'ị'),
    (0xDF, 'ò'),
    (0xE0, 'Ổ'),
    (0xE1, 'ỏ'),
    (0xE2, 'õ'),
    (0xE3, 'ó'),
    (0xE4, 'ọ'),
    (0xE5, 'ồ'),
    (0xE6, 'ổ'),
    (0xE7, 'ỗ'),
    (0xE8, 'ố'),
    (0xE9, 'ộ'),
    (0xEA, 'ờ'),
    (0xEB, 'ở'),
    (0xEC, 'ỡ'),
    (0xED, 'ớ'),
    (0xEE, 'ợ'),
    (0xEF, 'ù'),
    (0xF0, 'Ỗ'),
    (0xF1, 'ủ'),
    (0xF2, 'ũ'),
    (0xF3, 'ú'),
    (0xF4, 'ụ'),
    (0xF5, 'ừ'),
    (0xF6, 'ử'),
    (0xF7, 'ữ'),
    (0xF8, 'ứ'),
    (0xF9, 'ự'),
    (0xFA, 'ỳ'),
    (0xFB, 'ỷ'),
    (0xFC, 'ỹ'),
    (0xFD, 'ý'),
    (0xFE, 'ỵ'),
    (0xFF, 'Ố'),
];

/// Latin-1 code point → TCVN3 letter (`'\0'`: none).
fn tcvn3_table() -> &'static [char; 256] {
    static T: OnceLock<[char; 256]> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = ['\0'; 256];
        for &(byte, letter) in TCVN3 {
            t[usize::from(byte)] = letter;
        }
        t
    })
}

/// The VNI-Windows spellings: (letter, then mark byte or nothing) → letter, and the letters
/// that are one byte.
struct VniTables {
    pairs: HashMap<(char, char), char>,
    singles: HashMap<char, char>,
}

/// Tone marks in VNI order: none, sắc, huyền, hỏi, ngã, nặng.
const TONES: [&str; 6] = ["", "\u{301}", "\u{300}", "\u{309}", "\u{303}", "\u{323}"];

/// Every Vietnamese letter outside ASCII, lowercase, with its VNI spelling: `(letter, VNI)`.
fn vni_spellings() -> Vec<(char, String)> {
    let tone_marks = ["", "ù", "ø", "û", "õ", "ï"];
    let circumflex = ["â", "á", "à", "å", "ã", "ä"];
    let breve = ["ê", "é", "è", "ú", "ü", "ë"];
    let i_tones = ["i", "í", "ì", "æ", "ó", "ò"];
    let mut out = vec![('đ', "ñ".to_owned())];
    let compose = |base: &str, tone: usize| -> char {
        let s: String = format!("{base}{}", TONES[tone]).nfc().collect();
        s.chars().next().expect("one letter")
    };
    for tone in 0..6 {
        for (base, vni) in [("a", "a"), ("e", "e"), ("o", "o"), ("u", "u"), ("y", "y")] {
            let spelled = if base == "y" && tone == 5 {
                "î".to_owned()
            } else {
                format!("{vni}{}", tone_marks[tone])
            };
            out.push((compose(base, tone), spelled));
        }
        for base in ["a", "e", "o"] {
            let letter = compose(&format!("{base}\u{302}"), tone);
            out.push((letter, format!("{base}{}", circumflex[tone])));
        }
        out.push((compose("a\u{306}", tone), format!("a{}", breve[tone])));
        out.push((compose("o\u{31b}", tone), format!("ô{}", tone_marks[tone])));
        out.push((compose("u\u{31b}", tone), format!("ö{}", tone_marks[tone])));
        out.push((compose("i", tone), i_tones[tone].to_owned()));
    }
    out.retain(|(letter, _)| !letter.is_ascii());
    out
}

fn vni_tables() -> &'static VniTables {
    static T: OnceLock<VniTables> = OnceLock::new();
    T.get_or_init(|| {
        let mut pairs = HashMap::new();
        let mut singles = HashMap::new();
        for (letter, spelled) in vni_spellings() {
            let upper = letter.to_uppercase().next().unwrap_or(letter);
            let chars: Vec<char> = spelled.chars().collect();
            let up = |c: char| c.to_uppercase().next().unwrap_or(c);
            match chars[..] {
                [one] => {
                    singles.insert(one, letter);
                    singles.insert(up(one), upper);
                }
                [base, mark] => {
                    pairs.insert((base, mark), letter);
                    // Capitals are typed with either case of the mark.
                    pairs.insert((up(base), up(mark)), upper);
                    pairs.insert((up(base), mark), upper);
                }
                _ => {}
            }
        }
        VniTables { pairs, singles }
    })
}

/// Whether a character can be part of a legacy word: letters and digits, and every Latin-1
/// character but the no-break space (TCVN3 letters include `§`, `®`, `µ`, `×`…).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || (('\u{80}'..='\u{ff}').contains(&c) && c != '\u{a0}')
}

/// Converts one word, or `None` when a character has no meaning in the encoding.
fn decode_word(word: &str, encoding: Legacy) -> Option<String> {
    let mut out = String::with_capacity(word.len() + 4);
    match encoding {
        Legacy::Tcvn3 => {
            let table = tcvn3_table();
            for c in word.chars() {
                let code = c as usize;
                if code <= 0xff && table[code] != '\0' {
                    out.push(table[code]);
                } else if c.is_ascii() {
                    out.push(c);
                } else {
                    return None;
                }
            }
        }
        Legacy::Vni => {
            let t = vni_tables();
            let chars: Vec<char> = word.chars().collect();
            let mut i = 0;
            while i < chars.len() {
                let c = chars[i];
                if let Some(&l) = chars.get(i + 1).and_then(|&m| t.pairs.get(&(c, m))) {
                    out.push(l);
                    i += 2;
                } else if let Some(&l) = t.singles.get(&c) {
                    out.push(l);
                    i += 1;
                } else if c.is_ascii() {
                    out.push(c);
                    i += 1;
                } else {
                    return None;
                }
            }
        }
    }
    Some(out)
}

/// Vowel groups of Vietnamese syllables, without tones, longest first.
const NUCLEI: &[&str] = &[
    "iêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu",
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi",
    "ơi", "oo", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", "a", "ă",
    "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
];
const INITIALS: &[&str] = &[
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];
const FINALS: &[&str] = &["ch", "ng", "nh", "c", "m", "n", "p", "t", ""];

/// Whether a word is one Vietnamese syllable: initial, vowel group, final, one tone at most.
pub fn is_syllable(word: &str) -> bool {
    let mut tones = 0;
    let mut bare = String::with_capacity(word.len());
    for c in word.nfd() {
        if TONES[1..].iter().any(|t| t.starts_with(c)) {
            tones += 1;
        } else {
            bare.extend(c.to_lowercase());
        }
    }
    if tones > 1 {
        return false;
    }
    let bare: String = bare.nfc().collect();
    INITIALS.iter().any(|i| {
        bare.strip_prefix(i).is_some_and(|rest| {
            NUCLEI.iter().any(|n| {
                rest.strip_prefix(n)
                    .is_some_and(|fin| FINALS.contains(&fin))
            })
        })
    })
}

/// Whether a converted word is worth believing: a syllable, or an acronym such as `QĐ`.
fn is_plausible(word: &str) -> bool {
    let acronym = word.chars().count() >= 2
        && word.contains('Đ')
        && word.chars().all(|c| c.is_ascii_uppercase() || c == 'Đ');
    // Typed words are lowercase, capitalised or all capitals.
    let rest: Vec<char> = word.chars().skip(1).filter(|c| c.is_alphabetic()).collect();
    let cased = rest.iter().all(|c| c.is_lowercase()) || rest.iter().all(|c| c.is_uppercase());
    acronym || (cased && is_syllable(word))
}

/// Whether a word is Vietnamese (or plain ASCII) as written.
fn is_vietnamese_as_written(word: &str) -> bool {
    word.is_ascii() || word.chars().all(|c| c.is_ascii_digit()) || is_syllable(word)
}

/// A word's readings: each encoding that makes a Vietnamese word of it, and whether the word
/// is foreign as written (strong evidence) or already a Vietnamese word (`sè` is TCVN3 for
/// `số`, and also a word: converted only on a line other words prove legacy).
fn readings(word: &str) -> (bool, Vec<(Legacy, String)>) {
    // A lone symbol (`·` between links, `«`, `±`) is no evidence: as TCVN3 it may read as a
    // one-letter word (`·` is `ã`), and real legacy text has longer words.
    if word.is_ascii()
        || word.chars().nth(1).is_none()
        || word
            .chars()
            .any(|c| !c.is_ascii() && !('\u{80}'..='\u{ff}').contains(&c))
    {
        return (false, Vec::new());
    }
    let strong = !is_vietnamese_as_written(word);
    let found = Legacy::ALL
        .into_iter()
        .filter_map(|e| decode_word(word, e).map(|w| (e, w)))
        .filter(|(_, w)| is_plausible(w))
        .collect();
    (strong, found)
}

/// The words of a line, as byte ranges.
fn words(line: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut start = None;
    line.char_indices()
        .chain(std::iter::once((line.len(), ' ')))
        .filter_map(
            move |(i, c)| match (is_word_char(c) && i < line.len(), start) {
                (true, None) => {
                    start = Some(i);
                    None
                }
                (false, Some(s)) => {
                    start = None;
                    Some(s..i)
                }
                _ => None,
            },
        )
}

/// Lines that may hold legacy text: some byte of a Latin-1 character (U+0080–U+00FF).
fn has_latin1(line: &str) -> bool {
    line.bytes().any(|b| b == 0xC2 || b == 0xC3)
}

/// Lines worth reading word by word in a build: some Latin-1 character that is not a
/// Vietnamese letter (`®`, `µ`, `ñ`, `ø`, `ï`…; every TCVN3 or VNI line of two words
/// but the rarest has one). Ordinary Vietnamese, full of `à` and `ó`, costs a byte scan.
fn has_foreign_latin1(line: &str) -> bool {
    /// Bit `n` set: U+00C0 + `n` is a Vietnamese letter (À Á Â Ã È É Ê Ì Í Ò Ó Ô Õ Ù Ú Ý,
    /// and 32 places on, their lowercase).
    const VIETNAMESE: u64 = 0x263C_370F | (0x263C_370F << 32);
    let bytes = line.as_bytes();
    let mut i = 0;
    while let Some(p) = bytes[i..].iter().position(|&b| b == 0xC2 || b == 0xC3) {
        let at = i + p;
        let next = bytes.get(at + 1).copied().unwrap_or(0);
        let foreign = if bytes[at] == 0xC2 {
            next != 0xA0
        } else {
            VIETNAMESE & (1 << (next & 0x3F)) == 0
        };
        if foreign {
            return true;
        }
        i = at + 2;
    }
    false
}

/// One line judged to be legacy text.
struct Verdict<'a> {
    /// 0-based line index.
    index: usize,
    /// Byte offset of the line in the text.
    offset: usize,
    /// The line, with its newline.
    text: &'a str,
    /// What it reads as.
    encoding: Legacy,
    /// The first word foreign as written and read in `encoding` (range in the line).
    first: std::ops::Range<usize>,
}

/// Judges every line: legacy in an encoding when two of its words are foreign as written and
/// read in it, or one is and the whole text has three (a stray French `où` or Danish `Søn`
/// is not enough).
fn verdicts(text: &str, thorough: bool) -> Vec<Verdict<'_>> {
    let worth = if thorough {
        has_latin1
    } else {
        has_foreign_latin1
    };
    if !worth(text) {
        return Vec::new();
    }
    type Strong = Vec<(std::ops::Range<usize>, Legacy)>;
    let mut found: Vec<(usize, usize, &str, Strong)> = Vec::new();
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if worth(line) {
            let mut strong: Strong = Vec::new();
            for r in words(line) {
                let word = &line[r.clone()];
                if !is_vietnamese_as_written(word) {
                    let (_, found) = readings(word);
                    strong.extend(found.into_iter().map(|(e, _)| (r.clone(), e)));
                }
            }
            if !strong.is_empty() {
                found.push((n, offset, line, strong));
            }
        }
        offset += line.len();
    }
    let total = |e: Legacy| -> usize {
        found
            .iter()
            .map(|f| f.3.iter().filter(|h| h.1 == e).count())
            .sum()
    };
    let totals: Vec<(Legacy, usize)> = Legacy::ALL.into_iter().map(|e| (e, total(e))).collect();
    let mut out = Vec::new();
    for (index, offset, line, strong) in found {
        let count = |e: Legacy| strong.iter().filter(|h| h.1 == e).count();
        let Some(encoding) = totals
            .iter()
            .filter(|&&(e, t)| count(e) >= 2 || (count(e) >= 1 && t >= 3))
            .max_by_key(|&&(e, t)| (count(e), t, std::cmp::Reverse(e)))
            .map(|&(e, _)| e)
        else {
            continue;
        };
        let first = strong
            .iter()
            .find(|h| h.1 == encoding)
            .map(|h| h.0.clone())
            .unwrap_or_default();
        out.push(Verdict {
            index,
            offset,
            text: line,
            encoding,
            first,
        });
    }
    out
}

/// Converts every word of a legacy line that reads as Vietnamese in `encoding`.
fn convert_line(line: &str, encoding: Legacy) -> (String, usize) {
    let mut out = String::with_capacity(line.len() + 8);
    let mut last = 0;
    let mut changed = 0;
    for range in words(line) {
        let (_, found) = readings(&line[range.clone()]);
        if let Some((_, w)) = found.into_iter().find(|(e, _)| *e == encoding) {
            out.push_str(&line[last..range.start]);
            out.push_str(&w);
            last = range.end;
            changed += 1;
        }
    }
    out.push_str(&line[last..]);
    (out.nfc().collect(), changed)
}

/// What [`convert`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    /// The converted text.
    pub text: String,
    /// How many words changed.
    pub words: usize,
    /// How many lines changed.
    pub lines: usize,
    /// The encodings found, most lines first.
    pub encodings: Vec<Legacy>,
}

/// Converts the lines of `text` that hold legacy text, each from its encoding; every other
/// line is kept byte for byte. Reads every line with a Latin-1 character, where [`scan`]
/// skips those whose Latin-1 characters are all Vietnamese letters.
pub fn convert(text: &str) -> Conversion {
    let verdicts = verdicts(text, true);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut last = 0;
    let mut words = 0;
    let mut per: HashMap<Legacy, usize> = HashMap::new();
    for v in &verdicts {
        out.push_str(&text[last..v.offset]);
        let (line, n) = convert_line(v.text, v.encoding);
        out.push_str(&line);
        words += n;
        *per.entry(v.encoding).or_insert(0) += 1;
        last = v.offset + v.text.len();
    }
    out.push_str(&text[last..]);
    let mut encodings: Vec<(Legacy, usize)> = per.into_iter().collect();
    encodings.sort_by_key(|&(e, n)| (std::cmp::Reverse(n), e));
    Conversion {
        text: out,
        words,
        lines: verdicts.len(),
        encodings: encodings.into_iter().map(|(e, _)| e).collect(),
    }
}

/// A short text (a document number, a front-matter value) read in the first encoding that
/// makes a Vietnamese word of each of its foreign words; `None` when it has none.
pub fn reading(text: &str) -> Option<(Legacy, String)> {
    Legacy::ALL.into_iter().find_map(|encoding| {
        let mut out = String::with_capacity(text.len() + 4);
        let mut last = 0;
        let mut changed = false;
        for range in words(text) {
            let (strong, found) = readings(&text[range.clone()]);
            if !strong {
                continue;
            }
            let (_, w) = found.into_iter().find(|(e, _)| *e == encoding)?;
            out.push_str(&text[last..range.start]);
            out.push_str(&w);
            last = range.end;
            changed = true;
        }
        out.push_str(&text[last..]);
        changed.then(|| (encoding, out.nfc().collect()))
    })
}

/// A line that looks typed in a legacy encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyLine {
    /// 1-based line number.
    pub line: usize,
    /// Byte range, in the whole text, of the line's first legacy word.
    pub first_word: std::ops::Range<usize>,
    /// The encoding it reads as.
    pub encoding: Legacy,
    /// The line as written (trimmed).
    pub written: String,
    /// The line converted.
    pub corrected: String,
}

/// The lines of `text` that hold legacy text, with their conversion. Only lines with a
/// Latin-1 character foreign to Vietnamese are read (see [`convert`] for all of them).
pub fn scan(text: &str) -> Vec<LegacyLine> {
    verdicts(text, false)
        .into_iter()
        .map(|v| {
            let written = v.text.trim().to_owned();
            LegacyLine {
                line: v.index + 1,
                first_word: v.offset + v.first.start..v.offset + v.first.end,
                encoding: v.encoding,
                corrected: convert_line(&written, v.encoding).0,
                written,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Vietnamese letter outside ASCII, both cases.
    fn every_letter() -> Vec<char> {
        let mut out = Vec::new();
        for base in [
            "a", "a\u{306}", "a\u{302}", "e", "e\u{302}", "i", "o", "o\u{302}", "o\u{31b}", "u",
            "u\u{31b}", "y",
        ] {
            for tone in TONES {
                let s: String = format!("{base}{tone}").nfc().collect();
                let c = s.chars().next().unwrap();
                out.push(c);
                out.push(c.to_uppercase().next().unwrap());
            }
        }
        out.extend(['đ', 'Đ']);
        out.retain(|c| !c.is_ascii());
        out
    }

    #[test]
    fn every_letter_with_every_tone_round_trips_through_both_tables() {
        let letters = every_letter();
        assert_eq!(letters.len(), 134);
        let tcvn: HashMap<char, u8> = TCVN3.iter().map(|&(b, c)| (c, b)).collect();
        let vni: HashMap<char, String> = vni_spellings().into_iter().collect();
        for &letter in &letters {
            let byte = tcvn
                .get(&letter)
                .unwrap_or_else(|| panic!("{letter} not in TCVN3"));
            let written = char::from(*byte).to_string();
            assert_eq!(
                decode_word(&written, Legacy::Tcvn3),
                Some(letter.to_string())
            );
            let lower = letter.to_lowercase().next().unwrap();
            let spelled = vni
                .get(&lower)
                .unwrap_or_else(|| panic!("{letter} not in VNI"));
            let spelled = if letter.is_uppercase() {
                spelled.to_uppercase()
            } else {
                spelled.clone()
            };
            assert_eq!(
                decode_word(&spelled, Legacy::Vni),
                Some(letter.to_string()),
                "{spelled}"
            );
        }
        // Distinct letters have distinct spellings.
        assert_eq!(TCVN3.len(), letters.len());
        let spellings: std::collections::HashSet<&String> = vni.values().collect();
        assert_eq!(spellings.len(), 67);
    }

    #[test]
    fn legacy_text_is_recognised_and_converted() {
        let tcvn = "Quy\u{d5}t \u{ae}\u{de}nh s\u{e8} 1847/Q\u{a7}-TTg\n";
        let c = convert(tcvn);
        assert_eq!(c.text, "Quyết định số 1847/QĐ-TTg\n");
        assert_eq!((c.words, c.lines, c.encodings), (4, 1, vec![Legacy::Tcvn3]));
        let vni = "Quyeát ñònh soá 1847/QÑ-TTg cuûa Thuû töôùng";
        let c = convert(vni);
        assert_eq!(c.text, "Quyết định số 1847/QĐ-TTg của Thủ tướng");
        assert_eq!(c.encodings, [Legacy::Vni]);
        let lines = scan(&format!("---\ntitle: A\n---\n{vni}\n"));
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].line, 4);
        assert_eq!(lines[0].encoding, Legacy::Vni);
        assert_eq!(
            lines[0].corrected,
            "Quyết định số 1847/QĐ-TTg của Thủ tướng"
        );
        assert_eq!(
            &format!("---\ntitle: A\n---\n{vni}\n")[lines[0].first_word.clone()],
            "Quyeát"
        );
    }

    #[test]
    fn vietnamese_and_other_latin_text_is_left_alone() {
        for text in [
            "Quyết định số 1847/QĐ-TTg của Thủ tướng Chính phủ về văn hóa công vụ",
            "Bán cà phê, ăn phở, là, có, bà, mà",
            "Un café où l'on mange, Müller & Søn, naïve façade, señor, 25°C, «trích dẫn» § 5",
            "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ àáâãèéêìíòóôõùúý",
            "Xem tất cả: [Hỏi – đáp](a.md) · [Chủ đề](b.md) · [Văn bản](c.md) · [Tìm kiếm](d.md)",
        ] {
            assert!(scan(text).is_empty(), "{text}: {:?}", scan(text));
            assert_eq!(convert(text).text, text);
        }
    }

    #[test]
    fn the_latin1_letter_mask_is_the_vietnamese_alphabet() {
        for c in '\u{C0}'..='\u{FF}' {
            let line = format!("x{c}x");
            let foreign = !crate::text::is_vietnamese_letter(c);
            assert_eq!(has_foreign_latin1(&line), foreign, "{c}");
        }
        assert!(!has_foreign_latin1("a\u{a0}b"));
        assert!(has_foreign_latin1("\u{ae}"));
    }

    #[test]
    fn syllables() {
        for w in [
            "quyết", "định", "nghiêng", "giữa", "khuya", "Thuở", "ươn", "gì", "a",
        ] {
            assert!(is_syllable(w), "{w}");
        }
        for w in ["cafe", "quyeat", "Muller", "áà", "xyz", "ngh"] {
            assert!(!is_syllable(w), "{w}");
        }
    }
}
