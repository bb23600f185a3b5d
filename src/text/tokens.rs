//! Tokens of running text: runs of Unicode letters and digits, with combining marks kept
//! inside so that text which slipped through un-normalized still yields whole syllables.
//!
//! Every byte of a site's text passes through here when the search index is built, and a
//! loop that decodes characters mispredicts a branch at nearly every Vietnamese letter
//! (ASCII and two- and three-byte characters alternate). So the scan goes byte by byte
//! through one table: the bytes of ASCII letters and digits, of Latin letters, combining
//! marks and Latin Extended Additional (where the precomposed Vietnamese vowels live) are
//! all "in a token"; the few characters of those blocks that are not (`×`, `÷`, Greek after
//! the marks, other scripts after E1) are caught by a second table over byte pairs, and
//! only then, or at any other non-ASCII character, is the character looked up. The answers
//! are exactly those of `char::is_alphanumeric` and `is_combining_mark` (a test checks
//! every code point).
//!
//! Long texts go faster still: 64 bytes at a time are classified with lane-wise compares
//! the compiler vectorizes, and separators are skipped and tokens cut with bit masks as
//! long as every byte is one whose class is sure (ASCII, Vietnamese letters); at any other
//! byte the byte-by-byte scan takes over from there.

use unicode_normalization::char::is_combining_mark;

/// A token of running text: a run of letters and digits with its byte range in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token as written (not lowercased).
    pub text: &'a str,
    /// Byte offset of the token in the text it was cut from.
    pub start: usize,
}

/// The tokens of a text, in order (see [`tokens`]).
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    text: &'a str,
    at: usize,
    /// The last window classified (see [`Tokens::next_by_windows`]).
    window: Option<Window>,
}

/// Splits NFC text into tokens: a token starts with a letter or digit and goes on over
/// letters, digits and combining marks.
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens {
        text,
        at: 0,
        window: None,
    }
}

/// Byte classes: outside any token (ASCII punctuation and space), inside a token (see the
/// module documentation), or a lead byte whose character must be looked up.
const SEP: u8 = 0;
const IN: u8 = 1;
const LOOK: u8 = 2;

const fn byte_classes() -> [u8; 256] {
    let mut t = [LOOK; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => IN,
            0..=0x7f => SEP,
            // Continuation bytes belong to the character their lead byte started.
            0x80..=0xbf => IN,
            // U+00C0–U+027F (letters), U+0300–U+037F (marks, Greek), U+1000–U+1FFF.
            0xc3..=0xc9 | 0xcc | 0xcd | 0xe1 => IN,
            _ => LOOK,
        };
        b += 1;
    }
    t
}

static CLASS: [u8; 256] = byte_classes();

/// Byte pairs (lead, next) whose character the classes call "in a token" but that must be
/// looked up: × and ÷, U+0345 and U+0363–U+037F, and E1 characters outside U+1E00–U+1EFF.
const fn odd_pairs() -> [u64; 1024] {
    let mut t = [0u64; 1024];
    let mut next = 0x80;
    while next < 0xc0 {
        let mut lead = [0usize; 3];
        if next == 0x97 || next == 0xb7 {
            lead[0] = 0xc3;
        }
        if next == 0x85 || next >= 0xa3 {
            lead[1] = 0xcd;
        }
        if next < 0xb8 || next > 0xbb {
            lead[2] = 0xe1;
        }
        let mut k = 0;
        while k < 3 {
            if lead[k] != 0 {
                let i = lead[k] << 8 | next;
                t[i >> 6] |= 1 << (i & 63);
            }
            k += 1;
        }
        next += 1;
    }
    t
}

static ODD: [u64; 1024] = odd_pairs();

fn is_odd(lead: u8, next: u8) -> bool {
    let i = usize::from(lead) << 8 | usize::from(next);
    ODD[i >> 6] >> (i & 63) & 1 == 1
}

/// Whether a token may start with `c`.
fn starts(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether a token goes on over `c`.
fn continues(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The character at byte `i` of valid UTF-8 and its width.
fn decode(bytes: &[u8], i: usize) -> (char, usize) {
    let lead = bytes[i];
    if lead < 0x80 {
        return (char::from(lead), 1);
    }
    let (width, bits) = match lead {
        0xc0..=0xdf => (2, lead & 0x1f),
        0xe0..=0xef => (3, lead & 0x0f),
        _ => (4, lead & 0x07),
    };
    let mut v = u32::from(bits);
    for b in &bytes[i + 1..i + width] {
        v = (v << 6) | u32::from(b & 0x3f);
    }
    (
        char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER),
        width,
    )
}

/// The end of the token whose characters from `i` on are checked one by one.
fn exact_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        let (c, w) = decode(bytes, i);
        if !continues(c) {
            break;
        }
        i += w;
    }
    i
}

/// The end of the token that goes on at `i`, by byte classes while they are sure.
fn fast_end(bytes: &[u8], mut i: usize) -> usize {
    let mut prev = 0u8;
    let mut odd = false;
    let from = i;
    loop {
        while let Some(&b) = bytes.get(i) {
            if CLASS[usize::from(b)] != IN {
                break;
            }
            odd |= is_odd(prev, b);
            prev = b;
            i += 1;
        }
        if odd {
            return exact_end(bytes, from);
        }
        match bytes.get(i) {
            Some(&b) if CLASS[usize::from(b)] == LOOK => {
                let (c, w) = decode(bytes, i);
                if !continues(c) {
                    return i;
                }
                i += w;
                prev = 0;
            }
            _ => return i,
        }
    }
}

/// The end of the token that starts at `start` (its first character is taken whatever it
/// is, so the scan always moves on).
fn token_end(bytes: &[u8], start: usize) -> usize {
    let (_, w) = decode(bytes, start);
    fast_end(bytes, start + w)
}

/// Width of the windows the fast path classifies at once: a token crosses a window's end
/// rarely at 64 bytes (a branch miss when it does). Measured on the 10,000-page corpus, one
/// thread: 12.3 ns a token with windows of 16 bytes, 7.8 at 32, 7.1 at 64, against 17.0
/// byte by byte.
const WINDOW: usize = 64;

/// The bits of the lanes of `lanes` that are 0xff (each lane is 0 or 0xff): the classic
/// multiply that gathers the top bit of each byte, eight bytes at a time.
fn lane_bits(lanes: &[u8; WINDOW]) -> u64 {
    const GATHER: u64 = 0x0002_0408_1020_4081;
    let mut bits = 0;
    for (i, h) in lanes.chunks_exact(8).enumerate() {
        let v = u64::from_le_bytes(h.try_into().expect("eight bytes")) & 0x8080_8080_8080_8080;
        bits |= (v.wrapping_mul(GATHER) >> 56) << (8 * i);
    }
    bits
}

/// Which bytes of a window (its [`WINDOW`] bytes and the one after) are surely inside a token,
/// and which must be looked at one by one, as bit masks (bit i for byte i); the rest are
/// surely outside (ASCII punctuation and space).
///
/// "Surely inside": ASCII letters and digits, continuation bytes, the lead bytes of U+0100–
/// U+027F (all letters), C3 but for × and ÷, and E1 when U+1E00–U+1EFF (the precomposed
/// Vietnamese vowels) follows. Everything else of the class table's blocks, and any other
/// lead byte, is "look": combining marks, odd pairs, other scripts. Written as a loop over
/// lanes that the compiler turns into vector compares.
fn classify(w: &[u8; WINDOW + 1]) -> (u64, u64) {
    let mut inside = [0u8; WINDOW];
    let mut look = [0u8; WINDOW];
    for i in 0..WINDOW {
        let (b, next) = (w[i], w[i + 1]);
        let sure = ((b | 0x20).wrapping_sub(b'a') < 26)
            | (b.wrapping_sub(b'0') < 10)
            | (b.wrapping_sub(0x80) < 0x40)
            | (b.wrapping_sub(0xc4) < 6)
            | ((b == 0xc3) & (next != 0x97) & (next != 0xb7))
            | ((b == 0xe1) & (next.wrapping_sub(0xb8) < 4));
        inside[i] = if sure { 0xff } else { 0 };
        look[i] = if (b >= 0x80) & !sure { 0xff } else { 0 };
    }
    (lane_bits(&inside), lane_bits(&look))
}

/// A window's classes (see [`classify`]) and where it starts.
#[derive(Debug, Clone, Copy)]
struct Window {
    base: usize,
    inside: u64,
    look: u64,
}

impl Window {
    /// The window at `base`, if `WINDOW + 1` bytes are left there.
    fn at(bytes: &[u8], base: usize) -> Option<Self> {
        let w: &[u8; WINDOW + 1] = bytes.get(base..base + WINDOW + 1)?.try_into().ok()?;
        let (inside, look) = classify(w);
        Some(Self { base, inside, look })
    }
}

/// What the fast path found from a position.
enum Found {
    /// A token, surely whole.
    Token(usize, usize),
    /// Nothing is sure from this position on: the character-by-character path takes over.
    Look(usize),
}

impl<'a> Tokens<'a> {
    /// The next token by windows of byte classes: separators are skipped and tokens cut
    /// a window at a time, as long as every byte is sure (see [`classify`]).
    fn next_by_windows(&mut self, bytes: &[u8]) -> Found {
        let mut at = self.at;
        let (start, mut win) = loop {
            let win = match self.window.filter(|w| at >= w.base && at < w.base + WINDOW) {
                Some(w) => w,
                None => match Window::at(bytes, at) {
                    Some(w) => w,
                    None => return Found::Look(at),
                },
            };
            self.window = Some(win);
            let off = at - win.base;
            let ahead = (win.inside | win.look) >> off;
            if ahead == 0 {
                at = win.base + WINDOW;
                continue;
            }
            let first = off + ahead.trailing_zeros() as usize;
            if win.look >> first & 1 == 1 {
                return Found::Look(win.base + first);
            }
            break (win.base + first, win);
        };
        let mut from = start - win.base;
        loop {
            let end = (!win.inside & (u64::MAX << from)).trailing_zeros() as usize;
            if end < WINDOW {
                if win.look >> end & 1 == 1 {
                    // The token may go on over a character that must be looked up.
                    return Found::Token(start, token_end(bytes, start));
                }
                return Found::Token(start, win.base + end);
            }
            match Window::at(bytes, win.base + WINDOW) {
                Some(next) => {
                    win = next;
                    self.window = Some(win);
                    from = 0;
                }
                None => return Found::Token(start, token_end(bytes, start)),
            }
        }
    }

    /// The next token, one character class at a time from `self.at`.
    fn next_by_bytes(&mut self, bytes: &[u8]) -> Option<Token<'a>> {
        let mut i = self.at;
        let start = loop {
            let &b = bytes.get(i)?;
            match CLASS[usize::from(b)] {
                SEP => i += 1,
                // A letter or digit of the fast blocks (marks and odd pairs are looked up).
                IN if b < 0x80 || !matches!(b, 0xcc | 0xcd | 0xe1 | 0xc3) => break i,
                IN if b == 0xe1 || b == 0xc3 => {
                    if !is_odd(b, bytes[i + 1]) {
                        break i;
                    }
                    let (c, w) = decode(bytes, i);
                    if starts(c) {
                        break i;
                    }
                    i += w;
                }
                _ => {
                    let (c, w) = decode(bytes, i);
                    if starts(c) {
                        break i;
                    }
                    i += w;
                }
            }
        };
        let end = token_end(bytes, start);
        self.at = end;
        Some(Token {
            text: &self.text[start..end],
            start,
        })
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let bytes = self.text.as_bytes();
        match self.next_by_windows(bytes) {
            Found::Token(start, end) => {
                self.at = end;
                Some(Token {
                    text: &self.text[start..end],
                    start,
                })
            }
            Found::Look(at) => {
                self.at = at;
                self.next_by_bytes(bytes)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, one character at a time.
    fn reference(text: &str) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if !c.is_alphanumeric() {
                continue;
            }
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !(d.is_alphanumeric() || is_combining_mark(d)) {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            out.push((i, &text[i..end]));
        }
        out
    }

    fn fast(text: &str) -> Vec<(usize, &str)> {
        tokens(text).map(|t| (t.start, t.text)).collect()
    }

    #[test]
    fn tokens_split_on_punctuation_and_keep_offsets() {
        let t: Vec<_> = tokens("Văn hóa, công-vụ 2019").collect();
        let texts: Vec<_> = t.iter().map(|t| t.text).collect();
        assert_eq!(texts, ["Văn", "hóa", "công", "vụ", "2019"]);
        assert_eq!(t[1].start, "Văn ".len());
        let marks: Vec<_> = tokens("ho\u{301}a \u{301}x ×y “dê”–dế")
            .map(|t| t.text)
            .collect();
        assert_eq!(marks, ["ho\u{301}a", "x", "y", "dê", "dế"]);
    }

    /// 58 bytes of Vietnamese text: with it, a test text is long enough for the fast path
    /// and its characters land on both sides of a window's end.
    const PAD: &str = "người đứng đầu cơ quan hành chính nhà nước";

    #[test]
    fn every_code_point_splits_as_unicode_says() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let mut texts = vec![
                format!("a{c}b"),
                format!("{c}b"),
                format!("ệ{c}"),
                format!(" {c}{c}ắ{c}"),
                format!("ồ{c}\u{301}x"),
            ];
            // Long enough for the windows of the fast path, with `c` at the start, inside
            // and at the end of tokens and around a window's end. Above U+2FFF every lead
            // byte is one the windows leave to the byte-by-byte scan: a sample will do.
            if u32::from(c) < 0x3000 || u32::from(c) % 61 == 0 {
                texts.push(format!("{c}{PAD}{c}ắ{c}b {PAD}ồ{c}\u{301}x{c}"));
                texts.push(format!("{PAD}ab{c}{PAD}{c}"));
            }
            for text in texts {
                assert_eq!(fast(&text), reference(&text), "{c:?} in {text:?}");
            }
        }
    }

    #[test]
    fn mixed_text_splits_as_unicode_says() {
        // A fixed pseudo-random mix of the characters that matter.
        let alphabet: Vec<char> =
            "aZ9 ,.–“”…×÷ạễđưƠ\u{301}\u{345}\u{363}ͰΩ\u{a0}ªµ²ỳ\u{1f00}ᐁ᠀ﬁ日😀"
                .chars()
                .collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut tokens = 0;
        for _ in 0..20_000 {
            let mut text = String::new();
            let mut next = || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed
            };
            // Short texts, and long ones that take the fast path's windows.
            let len = if next() % 4 == 0 {
                40 + next() % 60
            } else {
                next() % 12
            };
            for _ in 0..len {
                text.push(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
            let want = reference(&text);
            tokens += want.len();
            assert_eq!(fast(&text), want, "{text:?}");
        }
        assert!(tokens > 20_000, "{tokens} tokens");
    }
}
