//! Words typed without a Vietnamese input method: Telex (`vawn`, `hoas`, `nhuwngx`) and VNI
//! (`d9a8ng`, `ky1`) spellings decoded into the syllable they stand for (`văn`, `hoá`,
//! `những`, `đăng`, `ký`).
//!
//! People on phones without a Vietnamese keyboard type the keystrokes an input method would
//! have turned into marks. A decoding counts only when it is a valid Vietnamese syllable
//! (an onset from [`ONSETS`] and a rhyme from [`RHYMES`], with a stop final taking only the
//! sắc or nặng tone), so `class`, `news` or `2008` are left alone. A word that decodes is
//! still searched as typed too: `as` is both the English word and `á` (the query ranks the
//! literal first when the index has it; see `rank`). The browser client
//! (`themes/default/static/search.js`, `decode`) implements the same rules; the shared query
//! set checks both.

use unicode_normalization::UnicodeNormalization;

/// Onsets, longest first so that `ngh` is tried before `ng` and `n`.
const ONSETS: &[&str] = &[
    "ngh", "ng", "gh", "gi", "kh", "nh", "ph", "qu", "th", "tr", "ch", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];

/// Rhymes (medial, nucleus and final) without tones, grouped as `finals:nuclei` (every
/// nucleus listed takes every final listed; an empty final is an open syllable). The browser
/// client holds the same string.
const RHYMES: &str = ",c,ch,i,m,n,ng,nh,o,p,t,u,y:a c,m,n,ng,p,t:ă c,m,n,ng,p,t,u,y:â ,c,m,n,ng,o,p,t:e ,ch,m,n,nh,p,t,u:ê,i :ia,ua,uơ,uya,ưa,y c,m,n,ng,p,t,u:iê m,n,t,u:yê ,c,i,m,n,ng,p,t:o,ô ,c,ch,i,m,n,ng,nh,o,p,t,y:oa ,n,o,t:oe c,m,n,ng,t:oă c,ng:oo ,i,m,n,p,t:ơ ,c,i,m,n,ng,p,t,y:u n,ng,t,y:uâ ch,nh,t,u:uy n,t:uyê ,ch,nh:uê c,i,m,n,ng,t:uô ,c,i,m,n,ng,t,u:ư c,i,m,n,ng,p,t,u:ươ";

/// Whether `rhyme` is one of [`RHYMES`].
fn is_rhyme(rhyme: &str) -> bool {
    RHYMES.split(' ').any(|group| {
        let (finals, nuclei) = group.split_once(':').unwrap_or_default();
        nuclei.split(',').any(|n| {
            rhyme
                .strip_prefix(n)
                .is_some_and(|f| finals.split(',').any(|x| x == f))
        })
    })
}

/// Combining tone marks by tone number (1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng).
const TONE_MARKS: [char; 5] = ['\u{301}', '\u{300}', '\u{309}', '\u{303}', '\u{323}'];

fn is_vowel(c: char) -> bool {
    "aăâeêioôơuưy".contains(c)
}

/// The syllable a Telex or VNI spelling stands for (NFC, lowercase), if the word is one and
/// differs from what was typed.
pub(crate) fn decode(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    if !(2..=12).contains(&lower.len())
        || !lower
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        || !lower.as_bytes()[0].is_ascii_lowercase()
    {
        return None;
    }
    let (letters, tone) = if lower.bytes().any(|b| b.is_ascii_digit()) {
        vni(&lower)?
    } else {
        telex(&lower)?
    };
    syllable(&letters, tone)
}

/// Applies a horn or breve typed after the vowels (`vanw`, `tie6ng`): to `uo` together,
/// else to the last vowel that takes it.
fn delayed(letters: &mut [char], marks: &[(char, char)]) -> Option<()> {
    if marks.iter().any(|m| m.1 == 'ơ') {
        if let Some(i) = letters.windows(2).position(|w| w == ['u', 'o']) {
            letters[i] = 'ư';
            letters[i + 1] = 'ơ';
            return Some(());
        }
    }
    let i = letters
        .iter()
        .rposition(|c| marks.iter().any(|m| m.0 == *c))?;
    letters[i] = marks.iter().find(|m| m.0 == letters[i])?.1;
    Some(())
}

/// Marks the vowel just typed (`aw`, `o7`), `uo` together when it follows `u`.
fn mark_last(letters: &mut [char], marks: &[(char, char)]) -> Option<()> {
    let n = letters.len();
    let last = *letters.last()?;
    let to = marks.iter().find(|m| m.0 == last)?.1;
    letters[n - 1] = to;
    if to == 'ơ' && n >= 2 && letters[n - 2] == 'u' {
        letters[n - 2] = 'ư';
    }
    Some(())
}

const HORN_BREVE: &[(char, char)] = &[('a', 'ă'), ('o', 'ơ'), ('u', 'ư')];
const CIRCUMFLEX: &[(char, char)] = &[('a', 'â'), ('e', 'ê'), ('o', 'ô')];

fn set_tone(tone: &mut Option<u8>, t: u8) -> Option<()> {
    if tone.replace(t).is_some() {
        return None;
    }
    Some(())
}

/// Telex: `aa ee oo dd` double letters, `w` horn or breve, `s f r x j` tones after a vowel.
fn telex(word: &str) -> Option<(Vec<char>, Option<u8>)> {
    let mut letters: Vec<char> = Vec::new();
    let mut tone = None;
    let mut changed = false;
    for c in word.chars() {
        let vowel_seen = letters.iter().any(|&l| is_vowel(l));
        let last = letters.last().copied();
        match c {
            'd' if letters.len() == 1 && last == Some('d') => letters[0] = 'đ',
            's' | 'f' | 'r' | 'x' | 'j' if vowel_seen => {
                set_tone(&mut tone, "sfrxj".find(c)? as u8 + 1)?;
            }
            'w' if last.is_some_and(is_vowel) => mark_last(&mut letters, HORN_BREVE)?,
            'w' if !vowel_seen => letters.push('ư'),
            'w' => delayed(&mut letters, HORN_BREVE)?,
            'a' | 'e' | 'o' if last == Some(c) => mark_last(&mut letters, CIRCUMFLEX)?,
            _ => {
                letters.push(c);
                continue;
            }
        }
        changed = true;
    }
    changed.then_some((letters, tone))
}

/// VNI: digits after the letters: `1`–`5` tones, `6` circumflex, `7` horn, `8` breve, `9` đ.
fn vni(word: &str) -> Option<(Vec<char>, Option<u8>)> {
    let mut letters: Vec<char> = Vec::new();
    let mut tone = None;
    for c in word.chars() {
        let last = letters.last().copied();
        match c {
            '1'..='5' if letters.iter().any(|&l| is_vowel(l)) => {
                set_tone(&mut tone, c as u8 - b'0')?;
            }
            '6' | '7' | '8' => {
                let marks = match c {
                    '6' => CIRCUMFLEX,
                    '7' => &HORN_BREVE[1..],
                    _ => &HORN_BREVE[..1],
                };
                if last.is_some_and(|l| marks.iter().any(|m| m.0 == l)) {
                    mark_last(&mut letters, marks)?;
                } else {
                    delayed(&mut letters, marks)?;
                }
            }
            '9' if last == Some('d') => {
                let n = letters.len();
                letters[n - 1] = 'đ';
            }
            'a'..='z' => letters.push(c),
            _ => return None,
        }
    }
    Some((letters, tone))
}

/// A toned key (`xu3`) as the word people write (`xử`), for "Có phải bạn muốn tìm".
pub(crate) fn spell(toned: &str) -> String {
    let base = toned.trim_end_matches(|c: char| c.is_ascii_digit());
    let tone = toned[base.len()..]
        .parse::<u8>()
        .ok()
        .filter(|t| (1..=5).contains(t));
    let letters: Vec<char> = base.chars().collect();
    syllable(&letters, tone).unwrap_or_else(|| base.to_owned())
}

/// The syllable with its tone mark placed, if `letters` are an onset and a rhyme.
fn syllable(letters: &[char], tone: Option<u8>) -> Option<String> {
    let word: String = letters.iter().collect();
    let (onset, rhyme) = ONSETS.iter().find_map(|o| {
        let rest = word.strip_prefix(o)?;
        is_rhyme(rest).then_some((o.len(), rest))
    })?;
    let stop = ["c", "ch", "p", "t"].iter().any(|f| rhyme.ends_with(f));
    if stop && !matches!(tone, Some(1 | 5)) {
        return None;
    }
    let mut out = word[..onset].to_owned();
    let r: Vec<char> = rhyme.chars().collect();
    let at = tone.map(|_| tone_position(&r));
    for (i, &c) in r.iter().enumerate() {
        out.push(c);
        if at == Some(i) {
            out.push(TONE_MARKS[usize::from(tone.unwrap_or(1) - 1)]);
        }
    }
    Some(out.nfc().collect())
}

/// Where the tone mark goes in a rhyme (the new placement: `hoá`, `thuỷ`, `người`).
fn tone_position(r: &[char]) -> usize {
    let vowels: Vec<usize> = (0..r.len()).filter(|&i| is_vowel(r[i])).collect();
    if let Some(&i) = vowels.iter().rev().find(|&&i| "ăâêôơư".contains(r[i])) {
        return i;
    }
    let last = *vowels.last().unwrap_or(&0);
    if last + 1 < r.len() || vowels.len() == 1 {
        return last;
    }
    match vowels.len() {
        3 => vowels[1],
        _ => {
            let pair: String = vowels.iter().map(|&i| r[i]).collect();
            if ["oa", "oe", "uy"].contains(&pair.as_str()) {
                vowels[1]
            } else {
                vowels[0]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rhyme_table_holds_the_rhymes_and_no_other() {
        for r in ["a", "oanh", "uyên", "ương", "ưu", "y", "ia", "oong", "uênh"] {
            assert!(is_rhyme(r), "{r}");
        }
        for r in ["", "ăi", "ơng", "eu", "uyênh", "ya", "oongg"] {
            assert!(!is_rhyme(r), "{r}");
        }
    }

    /// The shared vectors (also checked against the browser client by `tests/js`).
    #[test]
    fn shared_vectors_decode_as_listed() {
        let text = include_str!("../../tests/fixtures/search/typed.json");
        let v: serde_json::Value = serde_json::from_str(text).expect("typed.json is JSON");
        let words = v["words"].as_object().expect("words");
        assert!(words.len() > 40);
        for (typed, want) in words {
            assert_eq!(decode(typed).as_deref(), want.as_str(), "{typed}");
        }
    }
}
