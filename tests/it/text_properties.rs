//! Property tests of the Vietnamese text contract (`tests/data/vietnamese-text-spec.md`):
//! what must hold for every string, not only for the vectors.

use proptest::prelude::*;
use sotay::text;
use unicode_normalization::UnicodeNormalization;

/// Vietnamese-looking text: syllables of letters with and without marks, digits, the
/// punctuation of document numbers, spaces, and now and then any character at all.
fn vietnamese() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zđăâêôơưA-ZĐ]{1,4}",
        3 => "[àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]",
        2 => Just(" ".to_owned()),
        1 => "[0-9]{1,5}/[0-9]{4}/[A-ZĐ]{1,3}-[A-Za-z]{1,4}",
        1 => "[-/.,:;()]",
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|p| p.concat())
}

/// The same words with the tone mark moved between the two vowels of `oa`, `oe`, `uy`
/// (old and new placement: `hóa`/`hoá`, `thủy`/`thuỷ`).
fn other_placement(text: &str) -> String {
    let nfd: Vec<char> = text.nfd().collect();
    let is_tone = |c: char| matches!(c, '\u{301}' | '\u{300}' | '\u{309}' | '\u{303}' | '\u{323}');
    let mut out = Vec::with_capacity(nfd.len());
    let mut i = 0;
    while i < nfd.len() {
        let pair = |a: char, b: char| {
            matches!(
                (a.to_ascii_lowercase(), b.to_ascii_lowercase()),
                ('o', 'a') | ('o', 'e') | ('u', 'y')
            )
        };
        // first vowel + tone + second vowel  ->  first + second + tone
        if i + 2 < nfd.len() && is_tone(nfd[i + 1]) && pair(nfd[i], nfd[i + 2]) {
            out.extend([nfd[i], nfd[i + 2], nfd[i + 1]]);
            i += 3;
            continue;
        }
        out.push(nfd[i]);
        i += 1;
    }
    out.into_iter().nfc().collect()
}

fn keys(text: &str) -> Vec<(String, String)> {
    text::tokens(text)
        .map(|t| (text::toned_key(t.text), text::folded_key(t.text)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn normalization_is_idempotent(s in vietnamese()) {
        let once = text::nfc(&s);
        prop_assert_eq!(text::nfc(&once), once.clone());
        let again = text::nfc_cow(&once);
        prop_assert_eq!(again.as_ref(), once.as_str());
    }

    #[test]
    fn keys_do_not_depend_on_nfc_or_nfd(s in vietnamese()) {
        let nfd: String = s.nfd().collect();
        prop_assert_eq!(keys(&text::nfc(&nfd)), keys(&text::nfc(&s)));
        prop_assert_eq!(text::slug(&text::nfc(&nfd)), text::slug(&text::nfc(&s)));
    }

    #[test]
    fn toned_keys_do_not_depend_on_tone_placement(
        words in proptest::collection::vec(
            (
                "(h|th|qu|x|l|t)",
                prop_oneof![Just(("o", "a")), Just(("o", "e")), Just(("u", "y"))],
                "[\u{301}\u{300}\u{309}\u{303}\u{323}]",
            ),
            1..6,
        )
    ) {
        // Old placement: the tone on the first vowel of oa, oe, uy (`hóa`, `thủy`).
        let old: Vec<String> = words.iter().map(|(c, (a, b), t)| format!("{c}{a}{t}{b}")).collect();
        let old = text::nfc(&old.join(" "));
        let new = other_placement(&old);
        prop_assert_ne!(&old, &new);
        prop_assert_eq!(keys(&old), keys(&new));
    }

    #[test]
    fn slugs_hold_only_lowercase_ascii_digits_and_inner_dashes(s in vietnamese()) {
        let slug = text::slug(&text::nfc(&s));
        prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{}", slug);
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "{}", slug);
    }

    #[test]
    fn extraction_never_panics_and_stays_inside_the_text(s in vietnamese()) {
        let s = text::nfc(&s);
        for m in text::extract_numbers(&s) {
            prop_assert!(m.start < m.end && m.end <= s.len());
            prop_assert!(s.is_char_boundary(m.start) && s.is_char_boundary(m.end));
            prop_assert_eq!(text::canonical_number(&s[m.start..m.end]), Some(m.canonical.clone()));
        }
        for t in text::tokens(&s) {
            prop_assert_eq!(&s[t.start..t.start + t.text.len()], t.text);
        }
        let _ = text::canonical_number(&s);
        let _ = text::is_valid_number(&s);
    }

    #[test]
    fn any_string_at_all_is_handled(s in any::<String>()) {
        let s = text::nfc(&s);
        let _ = keys(&s);
        let _ = text::extract_numbers(&s);
        let slug = text::slug(&s);
        prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
    }
}
