//! Reading the site from disk: `site.yaml`, Markdown sources and the files beside them.
//!
//! This is the only stage of a build that reads the content folder. It decodes every file
//! the same way (UTF-8 required, BOM dropped, CRLF turned into LF, NFC), so later stages can
//! assume clean text, and it reports every unreadable file rather than stopping at the first.

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A Markdown file of `content/`, decoded.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, `/`-separated (`content/van-ban/qd-1847.md`).
    pub path: String,
    /// Path relative to `content/` (`van-ban/qd-1847.md`).
    pub content_path: String,
    /// The decoded text: NFC, LF line endings, no BOM.
    pub text: Arc<str>,
}

/// A non-Markdown file of `content/`, copied to the output beside its page.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to `content/` (`van-ban/so-do.png`).
    pub content_path: String,
    /// Where it is on disk.
    pub disk_path: PathBuf,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct LoadedContent {
    /// Markdown files, sorted by path.
    pub sources: Vec<SourceFile>,
    /// Other files, sorted by path.
    pub assets: Vec<Asset>,
}

/// Whether a file name is an editor's temporary or backup file, which must never be
/// published or parsed (vim's `.swp` and `4913` probe, emacs' `#x#` and `x~`, hidden files).
pub fn is_editor_temp(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
}

/// Decodes raw bytes into clean text, or says where the bytes stop being UTF-8.
pub fn decode(path: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    decode_cow(path, bytes).map(Cow::into_owned)
}

/// [`decode`], borrowing from `bytes` when they need no change (the common case), so a
/// file's text is copied once, into its `Arc<str>`.
fn decode_cow<'a>(path: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>, Diagnostic> {
    // UTF-16 of ASCII text is valid UTF-8 (with NULs), so it is named before validating.
    if crate::fix_encoding::is_utf16(bytes) {
        return Err(Diagnostic::error(
            Location::at_line(path, 1, 1),
            "tệp mã hóa UTF-16, hãy lưu lại dưới dạng UTF-8",
        )
        .with_hint(format!(
            "chạy `sotay fix-encoding {path}`, hoặc chọn bảng mã UTF-8 khi lưu trong trình soạn thảo"
        )));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // SIMD validation first (every byte of the site passes here, and std's check is slow
    // on text that is mostly multi-byte); std's error only when it fails, for the offset.
    let text = simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes));
    let text = text.map_err(|e| {
        let valid = e.valid_up_to();
        let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
        let (line, column) = crate::diagnostics::line_col(&prefix, prefix.len());
        // Raw TCVN3 or VNI bytes are the usual reason, and can be named and fixed.
        let latin1: String = bytes.iter().map(|&b| char::from(b)).collect();
        let legacy = crate::text::legacy::convert(&latin1)
            .encodings
            .first()
            .copied();
        match legacy {
            Some(encoding) => Diagnostic::error(
                Location::at_line(path, line, column),
                format!(
                    "tệp không phải UTF-8: có vẻ được lưu bằng bảng mã {}",
                    encoding.name()
                ),
            )
            .with_hint(format!(
                "chạy `sotay fix-encoding {path}` để chuyển sang UTF-8"
            )),
            None => Diagnostic::error(
                Location::at_line(path, line, column),
                format!("tệp không phải UTF-8 hợp lệ: byte lỗi ở vị trí {valid}"),
            )
            .with_hint("lưu lại tệp với bảng mã UTF-8"),
        }
    })?;
    // Most files are already LF and NFC, without NUL: check before copying, and copy once.
    // NUL becomes U+FFFD as CommonMark asks, so no stage (nor the HTML) ever sees one.
    if text.contains('\r') || text.as_bytes().contains(&0) {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let text = crate::text::replace_nul(&text);
        return Ok(Cow::Owned(crate::text::nfc_cow(&text).into_owned()));
    }
    Ok(crate::text::nfc_cow(text))
}

/// Reads and decodes `site.yaml`.
pub fn read_config(root: &Path) -> Result<Arc<str>, Diagnostic> {
    let path = root.join("site.yaml");
    let bytes = std::fs::read(&path).map_err(|e| {
        Diagnostic::global_error(format!("không đọc được {}: {e}", path.display()))
            .with_hint("thư mục gốc của trang phải có tệp site.yaml")
    })?;
    decode("site.yaml", &bytes).map(Arc::from)
}

fn relative(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Walks `ROOT/content` and reads every Markdown file; other files are listed as assets.
pub fn read_content(root: &Path, diagnostics: &mut Diagnostics) -> LoadedContent {
    use rayon::prelude::*;
    let content_dir = root.join("content");
    let mut loaded = LoadedContent::default();
    if !content_dir.is_dir() {
        diagnostics.push(missing_content(&content_dir));
        return loaded;
    }
    // Each top-level entry is walked and read as its own task: one thread listing ten
    // thousand files left the other core idle for a fifth of the load phase. Joined in
    // name order, the parts come out as one walk of `content/` would list them.
    type Part = (Diagnostics, Vec<Result<SourceFile, Diagnostic>>, Vec<Asset>);
    let parts: Vec<Part> = top_level(&content_dir)
        .into_par_iter()
        .map(|sub| {
            let mut found = Diagnostics::default();
            let (markdown, assets) = walk_content(root, &sub, &mut found);
            let sources = markdown
                .into_par_iter()
                .map(|(disk, content_path)| read_source(&disk, content_path))
                .collect();
            (found, sources, assets)
        })
        .collect();
    for (found, sources, assets) in parts {
        diagnostics.extend(found);
        for r in sources {
            match r {
                Ok(s) => loaded.sources.push(s),
                Err(d) => diagnostics.push(d),
            }
        }
        loaded.assets.extend(assets);
    }
    loaded
}

/// The entries of `content/` to walk one by one: sorted by name as [`walk_content`] sorts
/// them, without editors' temporary files. One walk of the whole folder (`[""]`) when it
/// cannot be listed (the walk reports why) or a name is not UTF-8.
fn top_level(content_dir: &Path) -> Vec<String> {
    let whole = || vec![String::new()];
    let Ok(entries) = std::fs::read_dir(content_dir) else {
        return whole();
    };
    let mut names = Vec::new();
    for entry in entries {
        let Ok(entry) = entry else {
            return whole();
        };
        let Ok(name) = entry.file_name().into_string() else {
            return whole();
        };
        // A walk does not follow links below its root, but a walk starting at a link would.
        let link = entry.file_type().is_ok_and(|t| t.is_symlink());
        if !link && !is_editor_temp(&name) {
            names.push(name);
        }
    }
    // Byte order, as walkdir compares file names.
    names.sort_unstable();
    names
}

/// The error for a site without `content/`.
pub fn missing_content(content_dir: &Path) -> Diagnostic {
    Diagnostic::global_error(format!(
        "không tìm thấy thư mục nội dung {}",
        content_dir.display()
    ))
    .with_hint("tạo thư mục content/ với tệp content/_index.md")
}

/// Lists the files of `ROOT/content/SUB` (all of `content/` when `sub` is empty), sorted
/// like a depth-first walk, skipping editors' temporary files and hidden folders: Markdown
/// files as `(disk path, content path)`, the others as assets.
pub fn walk_content(
    root: &Path,
    sub: &str,
    diagnostics: &mut Diagnostics,
) -> (Vec<(PathBuf, String)>, Vec<Asset>) {
    let content_dir = root.join("content");
    let start = if sub.is_empty() {
        content_dir.clone()
    } else {
        content_dir.join(sub)
    };
    let walker = walkdir::WalkDir::new(&start)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_editor_temp(&e.file_name().to_string_lossy()));
    let mut markdown_paths = Vec::new();
    let mut assets = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map_or_else(String::new, |p| relative(p, root));
                diagnostics.push(Diagnostic::error(
                    Location::at_line(&path, 1, 1),
                    format!("không đọc được: {e}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let content_path = relative(entry.path(), &content_dir);
        if content_path.ends_with(".md") {
            markdown_paths.push((entry.into_path(), content_path));
        } else {
            assets.push(Asset {
                content_path,
                disk_path: entry.into_path(),
            });
        }
    }
    (markdown_paths, assets)
}

/// Reads and decodes one Markdown file of `content/`.
pub fn read_source(disk: &Path, content_path: String) -> Result<SourceFile, Diagnostic> {
    let path = format!("content/{content_path}");
    let bytes = std::fs::read(disk).map_err(|e| {
        Diagnostic::error(
            Location::at_line(&path, 1, 1),
            format!("không đọc được: {e}"),
        )
    })?;
    let text = decode_cow(&path, &bytes)?;
    Ok(SourceFile {
        path,
        content_path,
        text: Arc::from(&*text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_by_top_level_folder_lists_what_one_walk_lists() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for (path, text) in [
            ("content/_index.md", "a"),
            ("content/b.md", "b"),
            ("content/a-muc/_index.md", "c"),
            ("content/a-muc/con/z.md", "d"),
            ("content/a-muc/hinh.png", "e"),
            ("content/z/y.md", "f"),
            ("content/.an/x.md", "g"),
            ("content/nhap.md~", "h"),
            ("content/.#khoa.md", "i"),
        ] {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("content/z"), root.join("content/lien-ket")).unwrap();
        let mut diagnostics = Diagnostics::default();
        let (markdown, assets) = walk_content(root, "", &mut diagnostics);
        let loaded = read_content(root, &mut diagnostics);
        let read: Vec<&str> = loaded
            .sources
            .iter()
            .map(|s| s.content_path.as_str())
            .collect();
        let walked: Vec<&str> = markdown.iter().map(|m| m.1.as_str()).collect();
        assert_eq!(read, walked);
        assert_eq!(
            read,
            [
                "_index.md",
                "a-muc/_index.md",
                "a-muc/con/z.md",
                "b.md",
                "z/y.md"
            ]
        );
        let asset_paths =
            |a: &[Asset]| a.iter().map(|a| a.content_path.clone()).collect::<Vec<_>>();
        assert_eq!(asset_paths(&loaded.assets), asset_paths(&assets));
        assert_eq!(asset_paths(&loaded.assets), ["a-muc/hinh.png"]);
        assert!(diagnostics.into_iter().next().is_none());
    }

    #[test]
    fn decoding_drops_bom_and_crlf_and_composes() {
        let text = decode("a.md", "\u{feff}a\r\nho\u{0061}\u{0301}\r\n".as_bytes()).unwrap();
        assert_eq!(text, "a\nhoá\n");
    }

    #[test]
    fn decoding_replaces_nul() {
        assert_eq!(decode("a.md", b"a\0b").unwrap(), "a\u{fffd}b");
        assert_eq!(decode("a.md", b"a\0\r\nb").unwrap(), "a\u{fffd}\nb");
    }

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        let err = decode("content/x.md", b"ab\ncd\xff").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("content/x.md:2:3"), "{msg}");
        assert!(msg.contains("vị trí 5"), "{msg}");
    }

    #[test]
    fn utf16_and_legacy_bytes_are_named() {
        let utf16: Vec<u8> = "---\ntitle: A\n---\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let msg = decode("content/x.md", &utf16).unwrap_err().to_string();
        assert!(msg.contains("content/x.md:1:1"), "{msg}");
        assert!(
            msg.contains("tệp mã hóa UTF-16, hãy lưu lại dưới dạng UTF-8"),
            "{msg}"
        );
        let tcvn = b"---\ntitle: A\n---\nQuy\xd5t \xae\xdenh s\xe8\n";
        let msg = decode("content/x.md", tcvn).unwrap_err().to_string();
        assert!(msg.contains("content/x.md:4:4"), "{msg}");
        assert!(msg.contains("TCVN3 (ABC)"), "{msg}");
    }

    #[test]
    fn editor_files_are_recognised() {
        for name in [
            ".x.md.swp",
            "x.md~",
            "#x.md#",
            "4913",
            ".hidden",
            "x.md.bak",
        ] {
            assert!(is_editor_temp(name), "{name}");
        }
        assert!(!is_editor_temp("x.md"));
    }
}
