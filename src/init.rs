//! `sotay init`: a first site that builds, checks clean and searches, in one command.
//!
//! The files live in `starter/` and are embedded in the binary, so a fresh install needs
//! nothing else. They cover every link the default theme hard-codes (the search form's
//! `/tim-kiem/`, the footer's `/gioi-thieu/`, the no-JS notice's `/hoi-dap/` and `/van-ban/`),
//! so the first `sotay check` is clean.

use include_dir::{include_dir, Dir, DirEntry};
use std::path::{Path, PathBuf};

static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/starter");

/// Written in the starter's Markdown where the creation date goes (`updated:`).
const TODAY_MARK: &str = "@TODAY@";

/// Why `sotay init` refused or failed, in Vietnamese.
#[derive(Debug)]
pub enum InitError {
    /// The folder already holds something: init never mixes its files with existing ones.
    NotEmpty(PathBuf),
    /// A file system error, with the path it concerns.
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotEmpty(p) => write!(
                f,
                "thư mục {} không trống; sotay init chỉ tạo trang trong thư mục trống hoặc chưa có",
                p.display()
            ),
            Self::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for InitError {}

/// Every starter file: path relative to the site root and its text, with `today`
/// (`YYYY-MM-DD`) as the date.
pub fn files(today: &str) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    collect(&STARTER, today, &mut out);
    out.sort();
    out
}

fn collect(dir: &Dir<'static>, today: &str, out: &mut Vec<(PathBuf, String)>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(d) => collect(d, today, out),
            DirEntry::File(f) => {
                let text = f.contents_utf8().unwrap_or_default();
                out.push((f.path().to_owned(), text.replace(TODAY_MARK, today)));
            }
        }
    }
}

/// Writes the starter site into `dir` (created if missing, refused unless empty) and
/// returns the files written.
pub fn create(dir: &Path, today: &str) -> Result<Vec<PathBuf>, InitError> {
    let io = |p: &Path| {
        let p = p.to_owned();
        move |e| InitError::Io(p, e)
    };
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(InitError::NotEmpty(dir.to_owned()));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        Err(e) => return Err(InitError::Io(dir.to_owned(), e)),
    }
    let mut written = Vec::new();
    for (rel, text) in files(today) {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        // `create_new`: never overwrite, even if something appeared since the check.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io(&path))?;
        std::io::Write::write_all(&mut file, text.as_bytes()).map_err(io(&path))?;
        written.push(rel);
    }
    Ok(written)
}

/// Why `root` cannot be a site at all (missing, not a folder, or holding neither `site.yaml`
/// nor `content/`), so that `build`, `check` and `serve` say it once, with the cure, instead
/// of three errors about its parts. `None` when the build can tell the rest.
pub fn root_problem(root: &Path) -> Option<String> {
    let shown = root.display();
    if !root.exists() {
        return Some(format!(
            "thư mục gốc {shown} không tồn tại
             gợi ý: chạy `sotay init {shown}` để tạo một trang mới ở đó"
        ));
    }
    if !root.is_dir() {
        return Some(format!("thư mục gốc {shown} không phải là thư mục"));
    }
    if !root.join("site.yaml").exists() && !root.join("content").exists() {
        return Some(format!(
            "{shown} không phải thư mục của một trang sotay (không có site.yaml và content/)
             gợi ý: chỉ --root tới thư mục chứa site.yaml, hoặc chạy `sotay init` để tạo trang mới"
        ));
    }
    None
}

/// What to do next, printed after a successful `sotay init`.
pub fn next_steps(dir: &Path) -> String {
    format!(
        "Đã tạo trang mới trong {dir}.\n\
         Bước tiếp theo:\n  \
         cd {dir}\n  \
         sotay serve     # xem trước tại http://127.0.0.1:{port}/, tự tải lại khi sửa\n  \
         sotay new document van-ban/ten-van-ban --title \"Tên văn bản\"\n  \
         sotay check     # kiểm tra toàn bộ nội dung\n  \
         sotay build     # dựng trang vào public/\n\
         Sửa site.yaml (tên trang, base_url) và thay văn bản mẫu trong content/van-ban/.\n",
        dir = dir.display(),
        port = crate::serve::DEFAULT_PORT
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_starter_file_is_dated_and_has_front_matter() {
        let files = files("2026-12-08");
        assert!(files.len() >= 8, "{files:?}");
        for (rel, text) in &files {
            assert!(!text.contains(TODAY_MARK), "{}", rel.display());
            if rel.extension().is_some_and(|e| e == "md") {
                assert!(
                    crate::frontmatter::split(text).is_some(),
                    "{}",
                    rel.display()
                );
                assert!(text.contains("updated: 2026-12-08"), "{}", rel.display());
            }
        }
    }

    #[test]
    fn a_root_without_a_site_is_named_once() {
        let tmp = tempfile::tempdir().unwrap();
        let missing = root_problem(&tmp.path().join("khong-co")).unwrap();
        assert!(missing.contains("không tồn tại"), "{missing}");
        let empty = root_problem(tmp.path()).unwrap();
        assert!(
            empty.contains("không phải thư mục của một trang"),
            "{empty}"
        );
        std::fs::create_dir(tmp.path().join("content")).unwrap();
        assert_eq!(root_problem(tmp.path()), None);
    }

    #[test]
    fn refuses_a_folder_that_holds_anything() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("ghi-chu.txt"), "x").unwrap();
        assert!(matches!(
            create(tmp.path(), "2026-12-08"),
            Err(InitError::NotEmpty(_))
        ));
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
        let fresh = tmp.path().join("moi/trang");
        let written = create(&fresh, "2026-12-08").unwrap();
        assert!(written.iter().any(|p| p == Path::new("site.yaml")));
        assert!(fresh.join("content/tim-kiem.md").is_file());
    }
}
