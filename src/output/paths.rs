//! The rule every written path obeys, in one place.
//!
//! A build writes files named by content (aliases, asset names, slugs) into a folder it is
//! about to swap in place of the output. A name that climbs out with `..`, starts at `/`,
//! or lands on a file the build already wrote would overwrite something silently, so each
//! path is checked here ([`check`]) and claimed once ([`Claims`]), before anything is written.
//! [`Staging`](super::Staging) applies the same rule again to every file it writes.

use crate::diagnostics::{Diagnostic, Location};
use std::collections::HashMap;

/// Reserved by `sotay serve` for its own files (live reload, error overlay).
pub const RESERVED_PREFIX: &str = "__sotay";

/// Longest file or folder name most file systems accept, in bytes.
const MAX_NAME: usize = 255;

/// Why a path cannot be an output path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathError {
    /// Nothing, or only separators.
    Empty,
    /// Starts at `/`: outside the output folder.
    Absolute,
    /// A `..` segment: may climb out of the output folder.
    Parent,
    /// A `.` or empty segment (`a//b`, `a/./b`, `a/`): two spellings of one file.
    Dot,
    /// A backslash: a separator on Windows, a letter elsewhere.
    Backslash,
    /// A NUL or other control character.
    Control,
    /// Under `__sotay`, which the preview server keeps for itself.
    Reserved,
    /// A segment longer than file systems allow.
    TooLong,
}

impl PathError {
    /// What is wrong, in Vietnamese.
    pub fn reason(self) -> &'static str {
        match self {
            PathError::Empty => "đường dẫn rỗng",
            PathError::Absolute => "đường dẫn tuyệt đối",
            PathError::Parent => "có đoạn `..` (ra ngoài thư mục đầu ra)",
            PathError::Dot => "có đoạn rỗng hoặc `.`",
            PathError::Backslash => "có dấu `\\`",
            PathError::Control => "có ký tự điều khiển",
            PathError::Reserved => "bắt đầu bằng `__sotay`, tên dành riêng cho máy chủ xem trước",
            PathError::TooLong => "có tên dài quá 255 byte",
        }
    }
}

/// Checks that `path` is a normalized path relative to the output folder: `/`-separated
/// names, none empty, `.` or `..`, no backslash or control character, not under `__sotay`.
pub fn check(path: &str) -> Result<(), PathError> {
    if path.is_empty() {
        return Err(PathError::Empty);
    }
    if path.starts_with('/') {
        return Err(PathError::Absolute);
    }
    if path.contains('\\') {
        return Err(PathError::Backslash);
    }
    if path.chars().any(char::is_control) {
        return Err(PathError::Control);
    }
    if path.starts_with(RESERVED_PREFIX) {
        return Err(PathError::Reserved);
    }
    for segment in path.split('/') {
        match segment {
            ".." => return Err(PathError::Parent),
            "" | "." => return Err(PathError::Dot),
            s if s.len() > MAX_NAME => return Err(PathError::TooLong),
            _ => {}
        }
    }
    Ok(())
}

/// The identity of a path on disk: case and Unicode composition folded, because a site
/// copied to a file system that ignores them (macOS, Windows) would keep one file of two.
pub fn key(path: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // Nearly every output path (slugs, hashed names) is ASCII: one pass, no tables.
    if path.is_ascii() {
        return path.to_ascii_lowercase();
    }
    path.nfc().flat_map(char::to_lowercase).collect()
}

/// Who writes a file, to name both sides of a collision.
#[derive(Debug, Clone)]
pub struct Source {
    /// What kind of source, which decides what is reported.
    pub kind: SourceKind,
    /// How messages name it, in Vietnamese (`trang content/a.md`).
    pub name: String,
    /// Where to point, when the source has a place in a file.
    pub location: Option<Location>,
}

/// The kinds of output sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A file sotay makes whatever the site (sitemap, feed, marker, theme files, index).
    Sotay,
    /// A content page (collisions between pages are reported by the content tree).
    Page,
    /// A listing page sotay generates.
    Generated,
    /// A redirect from an old address (`aliases`).
    Alias,
    /// A file copied from `content/`.
    Asset,
}

impl Source {
    /// A source with no place in a file.
    pub fn new(kind: SourceKind, name: impl Into<String>) -> Self {
        Self {
            kind,
            name: name.into(),
            location: None,
        }
    }

    /// The same source, pointing at `location`.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }
}

/// Every output path claimed so far, files and the folders above them.
#[derive(Debug, Default)]
pub struct Claims {
    sources: Vec<(String, Source)>,
    files: HashMap<String, usize>,
    folders: HashMap<String, usize>,
}

impl Claims {
    /// Claims `path` for `source`; an error when the path is not a valid output path or
    /// another source claimed it, a folder it needs, or a file under it. A path refused
    /// is not claimed. Two content pages on one path are the content tree's to report:
    /// the claim fails without a diagnostic.
    pub fn claim(&mut self, path: &str, source: Source) -> Result<(), Option<Diagnostic>> {
        if let Err(e) = check(path) {
            return Err(Some(invalid(path, &source, e)));
        }
        let key = key(path);
        let clash = self.files.get(&key).or_else(|| self.folders.get(&key));
        let clash = clash.or_else(|| folders_of(&key).find_map(|f| self.files.get(f)));
        if let Some(&other) = clash {
            let (other_path, other) = &self.sources[other];
            if source.kind == SourceKind::Page && other.kind == SourceKind::Page {
                return Err(None);
            }
            return Err(Some(collision(path, &source, other_path, other)));
        }
        let id = self.sources.len();
        for folder in folders_of(&key) {
            if !self.folders.contains_key(folder) {
                self.folders.insert(folder.to_owned(), id);
            }
        }
        self.files.insert(key, id);
        self.sources.push((path.to_owned(), source));
        Ok(())
    }

    /// Whether `path` is claimed, or clashes with a claim; for files whose names are known
    /// only once made (the search index), which then must not be written.
    pub fn clash(&self, path: &str, source: &Source) -> Option<Diagnostic> {
        if let Err(e) = check(path) {
            return Some(invalid(path, source, e));
        }
        let key = key(path);
        let clash = self.files.get(&key).or_else(|| self.folders.get(&key));
        let &other = clash.or_else(|| folders_of(&key).find_map(|f| self.files.get(f)))?;
        let (other_path, other) = &self.sources[other];
        Some(collision(path, source, other_path, other))
    }

    /// Number of files claimed.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether nothing is claimed.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// The folders above a path (`a/b/c` → `a`, `a/b`).
fn folders_of(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

fn invalid(path: &str, source: &Source, e: PathError) -> Diagnostic {
    let message = format!(
        "{} ghi ra `{}`, không được: {}",
        source.name,
        path.escape_debug(),
        e.reason()
    );
    located(source, None, message)
        .with_hint("đường dẫn phải nằm trong thư mục đầu ra: các tên cách nhau bởi `/`")
}

fn collision(path: &str, source: &Source, other_path: &str, other: &Source) -> Diagnostic {
    let message = if path == other_path {
        format!("{} ghi ra `{path}`, trùng với {}", source.name, other.name)
    } else if key(path) == key(other_path) {
        format!(
            "{} ghi ra `{path}`, trùng với {} (`{other_path}`: chỉ khác chữ hoa, chữ thường \
             hay cách ghép dấu, là một tệp trên nhiều hệ thống)",
            source.name, other.name
        )
    } else {
        format!(
            "{} ghi ra `{path}`, đụng với {} (`{other_path}`): một tên không thể vừa là tệp \
             vừa là thư mục",
            source.name, other.name
        )
    };
    located(source, Some(other), message)
        .with_hint("mỗi tệp đầu ra chỉ có một nguồn: đổi tên hoặc bỏ một trong hai")
}

/// An error at the first source that has a place, else for the whole site.
fn located(source: &Source, other: Option<&Source>, message: String) -> Diagnostic {
    let location = source
        .location
        .as_ref()
        .or_else(|| other.and_then(|o| o.location.as_ref()));
    match location {
        Some(l) => Diagnostic::error(l.clone(), message),
        None => Diagnostic::global_error(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_plain_relative_paths_only() {
        for ok in [
            "index.html",
            "a/b/index.html",
            "van-ban/Sơ đồ.png",
            ".sotay-output",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("", PathError::Empty),
            ("/etc/passwd", PathError::Absolute),
            ("../x", PathError::Parent),
            ("a/../../x/evil.pth", PathError::Parent),
            ("a//b", PathError::Dot),
            ("a/./b", PathError::Dot),
            ("a/", PathError::Dot),
            ("a\\..\\b", PathError::Backslash),
            ("a\0b", PathError::Control),
            ("a\nb", PathError::Control),
            ("__sotay/livereload.js", PathError::Reserved),
        ] {
            assert_eq!(check(bad), Err(why), "{bad:?}");
        }
        assert_eq!(check(&"x".repeat(256)), Err(PathError::TooLong));
    }

    fn source(kind: SourceKind, name: &str) -> Source {
        Source::new(kind, name)
    }

    #[test]
    fn a_second_claim_names_both_sources() {
        let mut claims = Claims::default();
        claims
            .claim("index.html", source(SourceKind::Page, "trang chủ"))
            .unwrap();
        let d = claims
            .claim("INDEX.html", source(SourceKind::Alias, "địa chỉ cũ"))
            .unwrap_err()
            .unwrap();
        assert!(d.message.contains("địa chỉ cũ") && d.message.contains("trang chủ"));
        // A file where a folder is needed, and a folder where a file is.
        claims
            .claim("a/index.html", source(SourceKind::Page, "trang a"))
            .unwrap();
        assert!(claims
            .claim("a", source(SourceKind::Asset, "tệp a"))
            .is_err());
        assert!(claims
            .claim("index.html/x", source(SourceKind::Asset, "tệp x"))
            .is_err());
        // Pages on one path are reported by the content tree, not twice.
        assert!(matches!(
            claims.claim("a/index.html", source(SourceKind::Page, "trang a2")),
            Err(None)
        ));
        assert_eq!(claims.len(), 2);
    }

    /// Path-like strings made of the pieces that matter: separators, dots, case, NFD.
    fn hostile_path() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "a",
            "A",
            "b",
            "..",
            ".",
            "",
            "/",
            "\\",
            "\0",
            "__sotay",
            "ộ",
            "o\u{323}\u{302}",
            "index.html",
            "x.y",
        ]);
        prop::collection::vec(piece, 0..8).prop_map(|v| v.join("/"))
    }

    proptest! {
        #[test]
        fn accepted_paths_stay_inside_the_output(path in hostile_path()) {
            if check(&path).is_ok() {
                let joined = std::path::Path::new("/out").join(&path);
                let mut depth = 0i32;
                for c in joined.components().skip(2) {
                    match c {
                        std::path::Component::Normal(_) => depth += 1,
                        _ => prop_assert!(false, "{path:?} gives {c:?}"),
                    }
                }
                prop_assert!(depth >= 1 && joined.starts_with("/out"));
            }
        }

        #[test]
        fn checking_never_panics(path in any::<String>()) {
            let _ = check(&path);
            let _ = key(&path);
        }

        #[test]
        fn no_two_accepted_claims_share_a_file_on_disk(
            paths in prop::collection::vec(hostile_path(), 0..12)
        ) {
            let mut claims = Claims::default();
            let mut accepted: Vec<String> = Vec::new();
            for p in &paths {
                if claims.claim(p, source(SourceKind::Asset, p)).is_ok() {
                    accepted.push(p.clone());
                }
            }
            for (i, a) in accepted.iter().enumerate() {
                for b in &accepted[i + 1..] {
                    let (ka, kb) = (key(a), key(b));
                    prop_assert_ne!(&ka, &kb);
                    prop_assert!(!kb.starts_with(&format!("{ka}/")), "{a} holds {b}");
                    prop_assert!(!ka.starts_with(&format!("{kb}/")), "{b} holds {a}");
                }
            }
        }
    }
}
