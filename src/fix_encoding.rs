//! `sotay fix-encoding FILE…`: rewrites a file typed in a legacy Vietnamese encoding (TCVN3,
//! VNI-Windows, pasted as Latin-1 or saved as raw bytes) or saved as UTF-16, as UTF-8.
//!
//! An editor told "this line is TCVN3" needs the fix, not a converter hunt. The original is
//! kept beside the file as `FILE.bak`, never over an existing backup, and only regular files
//! are touched: a wrong guess must always be undoable.

use crate::text::legacy::{self, Legacy};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What was done to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Rewritten as UTF-8; the original is at `backup`.
    Converted {
        /// Legacy encodings found, most lines first (empty when only UTF-16 was undone).
        encodings: Vec<Legacy>,
        /// Words converted.
        words: usize,
        /// Lines converted.
        lines: usize,
        /// Whether the file was UTF-16.
        was_utf16: bool,
        /// Where the original bytes are.
        backup: PathBuf,
    },
    /// Already clean UTF-8 with no legacy text: left as it was.
    Unchanged,
}

impl Outcome {
    /// The Vietnamese line `sotay fix-encoding` prints for `path`.
    pub fn describe(&self, path: &Path) -> String {
        match self {
            Outcome::Unchanged => format!(
                "{}: không thấy chữ gõ bằng bảng mã cũ, tệp giữ nguyên",
                path.display()
            ),
            Outcome::Converted {
                encodings,
                words,
                lines,
                was_utf16,
                backup,
            } => {
                let mut from: Vec<&str> = Vec::new();
                if *was_utf16 {
                    from.push("UTF-16");
                }
                from.extend(encodings.iter().map(|e| e.name()));
                let counts = if *words > 0 {
                    format!(", sửa {words} từ trên {lines} dòng")
                } else {
                    String::new()
                };
                format!(
                    "{}: đã chuyển từ {} sang Unicode (UTF-8){counts}; bản gốc lưu ở {}",
                    path.display(),
                    from.join(" và "),
                    backup.display()
                )
            }
        }
    }
}

/// Whether bytes are UTF-16: a byte-order mark, or NUL in every other byte of the start
/// (Vietnamese text saved as UTF-16 still has ASCII spaces and digits).
pub fn is_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return true;
    }
    let head = &bytes[..bytes.len().min(512) & !1];
    if head.len() < 4 || !head.contains(&0) {
        return false;
    }
    let pairs = head.len() / 2;
    let nul_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    nul_at(0).max(nul_at(1)) * 2 > pairs
}

/// Decodes UTF-16 (either byte order, BOM or not); `None` when it is not valid UTF-16.
fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let (big_endian, body) = if let Some(b) = bytes.strip_prefix(b"\xFE\xFF") {
        (true, b)
    } else if let Some(b) = bytes.strip_prefix(b"\xFF\xFE") {
        (false, b)
    } else {
        // No mark: the NULs say which half of each unit is the high byte of ASCII.
        let even = body_nuls(bytes, 0);
        (even > body_nuls(bytes, 1), bytes)
    };
    if body.len() % 2 != 0 {
        return None;
    }
    let units = body.chunks_exact(2).map(|p| {
        if big_endian {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from_le_bytes([p[0], p[1]])
        }
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

fn body_nuls(bytes: &[u8], parity: usize) -> usize {
    bytes
        .iter()
        .skip(parity)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count()
}

/// The converted text of a file's bytes, pure: `Ok(None)` when nothing needs changing.
pub fn convert_bytes(bytes: &[u8]) -> Result<Option<(String, Outcome)>, String> {
    let was_utf16 = is_utf16(bytes);
    let (text, raw) = if was_utf16 {
        let text = decode_utf16(bytes).ok_or("tệp UTF-16 bị hỏng, không đọc được")?;
        (text, false)
    } else {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(t) => (t.to_owned(), false),
            // Raw legacy bytes: each byte is the Latin-1 character the tables expect.
            Err(_) => (bytes.iter().map(|&b| char::from(b)).collect(), true),
        }
    };
    let conversion = legacy::convert(&text);
    if conversion.words == 0 {
        if raw {
            return Err(
                "tệp không phải UTF-8 và không giống TCVN3 hay VNI: không đoán được bảng mã".into(),
            );
        }
        if !was_utf16 {
            return Ok(None);
        }
    }
    let text = crate::text::nfc(&conversion.text);
    Ok(Some((
        text,
        Outcome::Converted {
            encodings: conversion.encodings,
            words: conversion.words,
            lines: conversion.lines,
            was_utf16,
            backup: PathBuf::new(),
        },
    )))
}

/// `FILE.bak` beside `path`.
fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".bak");
    PathBuf::from(name)
}

/// Converts one file in place, keeping the original as `FILE.bak`.
pub fn fix_file(path: &Path) -> Result<Outcome, String> {
    let shown = path.display();
    let meta =
        std::fs::symlink_metadata(path).map_err(|e| format!("không đọc được {shown}: {e}"))?;
    if meta.file_type().is_symlink() {
        return Err(format!(
            "{shown} là liên kết tượng trưng: hãy chỉ ra chính tệp cần sửa"
        ));
    }
    if !meta.is_file() {
        return Err(format!(
            "{shown} không phải một tệp: chỉ sửa được tệp văn bản"
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("không đọc được {shown}: {e}"))?;
    let Some((text, mut outcome)) = convert_bytes(&bytes).map_err(|e| format!("{shown}: {e}"))?
    else {
        return Ok(Outcome::Unchanged);
    };
    let backup = backup_path(path);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&backup)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!(
                "đã có bản sao lưu {}: không ghi đè nó; hãy xóa hoặc đổi tên rồi chạy lại",
                backup.display()
            ),
            _ => format!("không tạo được bản sao lưu {}: {e}", backup.display()),
        })?;
    file.write_all(&bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("không ghi được bản sao lưu {}: {e}", backup.display()))?;
    // Written beside the file and renamed over it, so the file is never half-written.
    let tmp = backup_path(&backup);
    std::fs::write(&tmp, text.as_bytes())
        .and_then(|()| std::fs::set_permissions(&tmp, meta.permissions()))
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!(
                "không ghi được {shown}: {e} (bản gốc vẫn nguyên ở {})",
                backup.display()
            )
        })?;
    if let Outcome::Converted { backup: b, .. } = &mut outcome {
        *b = backup;
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    #[test]
    fn utf16_is_recognised_with_or_without_a_mark() {
        let text = "---\ntitle: \"Quyết định\"\n---\nNội dung 123.\n";
        assert!(is_utf16(&utf16le(text, true)));
        assert!(is_utf16(&utf16le(text, false)));
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(is_utf16(&be));
        assert!(!is_utf16(text.as_bytes()));
        assert!(!is_utf16(b"a\0b"));
        let (converted, outcome) = convert_bytes(&utf16le(text, false)).unwrap().unwrap();
        assert_eq!(converted, text);
        assert!(matches!(
            outcome,
            Outcome::Converted {
                was_utf16: true,
                words: 0,
                ..
            }
        ));
        assert_eq!(convert_bytes(&be).unwrap().unwrap().0, text);
    }

    #[test]
    fn raw_legacy_bytes_and_pasted_text_are_converted() {
        // "Quyết định số" in TCVN3, as raw bytes.
        let raw = b"Quy\xd5t \xae\xdenh s\xe8 1847/Q\xa7-TTg\n";
        let (text, _) = convert_bytes(raw).unwrap().unwrap();
        assert_eq!(text, "Quyết định số 1847/QĐ-TTg\n");
        let pasted = "Quyeát ñònh soá 1\n".as_bytes();
        assert_eq!(
            convert_bytes(pasted).unwrap().unwrap().0,
            "Quyết định số 1\n"
        );
        assert_eq!(convert_bytes("Quyết định số 1\n".as_bytes()).unwrap(), None);
        assert!(convert_bytes(b"caf\xe9 au lait\n").is_err());
    }
}
