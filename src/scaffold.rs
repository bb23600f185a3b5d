//! `sotay new`: a new content file with the right front matter for its kind.

use std::path::{Path, PathBuf};

/// Which kind of file to scaffold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// An ordinary page.
    Page,
    /// A legal document.
    Document,
    /// A page of questions and answers.
    Faq,
}

/// A readable title from a file name: `qd-1847-2018` → `Qd 1847 2018` (to be edited).
fn title_from_stem(stem: &str) -> String {
    let words: Vec<String> = stem
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| w.to_owned())
        .collect();
    let mut title = words.join(" ");
    if let Some(first) = title.get(..1) {
        title = first.to_uppercase() + &title[1..];
    }
    title
}

/// The text of a new file.
pub fn template(kind: NewKind, title: &str, today: &str) -> String {
    let title = title.replace('"', "\\\"");
    match kind {
        NewKind::Page => format!(
            "---\ntitle: \"{title}\"\ndescription: \"\"\ndate: {today}\nupdated: {today}\ntopics: []\n---\n\nNội dung trang.\n"
        ),
        NewKind::Document => format!(
            "---\ntitle: \"{title}\"\ndescription: \"\"\nkind: document\n# number: \"123/QĐ-UBND\"  # bỏ dấu # và điền số ký hiệu\ndoc_type: \"Quyết định\"\nissuer: \"\"\nissued: {today}\neffective: {today}\nreplaces: []\nsource_url: \"https://vanban.chinhphu.vn/\"\ntopics: []\nupdated: {today}\n---\n\n## Điều 1. Phạm vi điều chỉnh\n\nTóm tắt nội dung điều 1.\n"
        ),
        NewKind::Faq => format!(
            "---\ntitle: \"{title}\"\ndescription: \"\"\nkind: faq\ntopics: []\nupdated: {today}\n---\n\n## Câu hỏi thứ nhất?\n\nTrả lời ngắn gọn, nêu căn cứ (ví dụ Chỉ thị số 10/CT-TTg).\n"
        ),
    }
}

/// Checks a path relative to `content/`: a normalized relative path (the rule output paths
/// follow) whose names are not hidden, so that the file is one the build reads.
fn check_content_path(rel: &str) -> Result<(), &'static str> {
    crate::output::paths::check(rel).map_err(|e| e.reason())?;
    if rel.split('/').any(|name| name.starts_with('.')) {
        return Err("có tên bắt đầu bằng dấu chấm (tệp ẩn, bị bỏ qua khi dựng)");
    }
    Ok(())
}

/// Refuses a path whose existing folders under `content/` include a symlink: the file
/// would be made wherever the link points, outside the site.
fn check_no_symlink(content: &Path, rel: &str) -> Result<(), String> {
    let mut dir = content.to_owned();
    for name in rel
        .split('/')
        .collect::<Vec<_>>()
        .split_last()
        .map_or(&[][..], |(_, d)| d)
    {
        dir.push(name);
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(format!(
                    "{} là liên kết tượng trưng: tệp mới phải nằm trong content/",
                    dir.display()
                ))
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(())
}

/// Creates the file under `ROOT/content/`, refusing to overwrite anything or to write
/// outside `content/`.
pub fn create(root: &Path, path: &str, kind: NewKind, today: &str) -> Result<PathBuf, String> {
    let rel = path.strip_prefix("content/").unwrap_or(path);
    let rel = if rel.ends_with(".md") {
        rel.to_owned()
    } else {
        format!("{rel}.md")
    };
    check_content_path(&rel)
        .map_err(|why| format!("đường dẫn `{}` không dùng được: {why}", path.escape_debug()))?;
    let content = root.join("content");
    check_no_symlink(&content, &rel)?;
    let target = content.join(&rel);
    let stem = Path::new(&rel)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    // `create_new` also refuses a symlink in place of the file, even a dangling one.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                format!("{} đã tồn tại; sotay không ghi đè", target.display())
            }
            _ => format!("{}: {e}", target.display()),
        })?;
    std::io::Write::write_all(
        &mut file,
        template(kind, &title_from_stem(&stem), today).as_bytes(),
    )
    .map_err(|e| format!("{}: {e}", target.display()))?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaffolds_parse_as_front_matter() {
        for kind in [NewKind::Page, NewKind::Document, NewKind::Faq] {
            let text = template(kind, "Thử \"x\"", "2026-11-29");
            let (yaml, _) = crate::frontmatter::split(&text).unwrap();
            let entries = crate::yaml::parse_mapping(&text[yaml]).unwrap();
            assert_eq!(entries[0].key, "title");
        }
    }

    #[test]
    fn refuses_to_overwrite_and_escape() {
        let tmp = tempfile::tempdir().unwrap();
        let p = create(
            tmp.path(),
            "content/hoi-dap/moi",
            NewKind::Faq,
            "2026-11-29",
        )
        .unwrap();
        assert!(p.ends_with("content/hoi-dap/moi.md"));
        assert!(create(tmp.path(), "hoi-dap/moi.md", NewKind::Faq, "2026-11-29").is_err());
        for bad in ["../x.md", "", "a//b", "/abs", ".an", "a/.md", "a\\b"] {
            assert!(
                create(tmp.path(), bad, NewKind::Page, "2026-11-29").is_err(),
                "{bad}"
            );
        }
    }
}
