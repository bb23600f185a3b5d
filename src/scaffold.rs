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

/// A readable name from a file name: `qd-1847-2018` → `Qd 1847 2018`.
fn title_from_stem(stem: &str) -> String {
    let words: Vec<&str> = stem.split(['-', '_']).filter(|w| !w.is_empty()).collect();
    let title = words.join(" ");
    let mut chars = title.chars();
    chars.next().map_or(String::new(), |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// The placeholder title of a file without `--title`: `TODO: ` and a name made from the file
/// (the folder's for `_index.md`, never "Index"), which `check` warns about until replaced.
pub fn placeholder_title(rel: &str) -> String {
    let path = Path::new(rel);
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    let name = match stem.as_deref() {
        Some("_index") => path
            .parent()
            .and_then(|p| p.file_name())
            .map_or("trang chủ".to_owned(), |n| {
                title_from_stem(&n.to_string_lossy())
            }),
        Some(stem) => title_from_stem(stem),
        None => String::new(),
    };
    format!(
        "{} tiêu đề cho “{name}”",
        crate::frontmatter::TITLE_PLACEHOLDER
    )
}

/// A YAML double-quoted scalar: a JSON string is one, with `"`, `\` and control characters
/// escaped and every other character (diacritics included) kept as is.
fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// The text of a new file.
pub fn template(kind: NewKind, title: &str, today: &str) -> String {
    let title = quoted(&crate::text::nfc(title));
    match kind {
        NewKind::Page => format!(
            "---\ntitle: {title}\ndescription: \"\"\ndate: {today}\nupdated: {today}\ntopics: []\n---\n\nNội dung trang.\n"
        ),
        NewKind::Document => format!(
            "---\ntitle: {title}\ndescription: \"\"\nkind: document\n# number: \"123/QĐ-UBND\"  # bỏ dấu # và điền số ký hiệu\ndoc_type: \"Quyết định\"\nissuer: \"\"\nissued: {today}\neffective: {today}\nreplaces: []\nsource_url: \"https://vanban.chinhphu.vn/\"\ntopics: []\nupdated: {today}\n---\n\n## Điều 1. Phạm vi điều chỉnh\n\nTóm tắt nội dung điều 1.\n"
        ),
        NewKind::Faq => format!(
            "---\ntitle: {title}\ndescription: \"\"\nkind: faq\ntopics: []\nupdated: {today}\n---\n\n## Câu hỏi thứ nhất?\n\nTrả lời ngắn gọn, nêu căn cứ (ví dụ Chỉ thị số 10/CT-TTg).\n"
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
/// The title is `title` when given (`--title`), else [`placeholder_title`].
pub fn create(
    root: &Path,
    path: &str,
    kind: NewKind,
    title: Option<&str>,
    today: &str,
) -> Result<PathBuf, String> {
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
    let title = title.map_or_else(|| placeholder_title(&rel), str::to_owned);
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
    std::io::Write::write_all(&mut file, template(kind, &title, today).as_bytes())
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
    fn titles_keep_diacritics_and_quote_safely() {
        for title in ["Quyết định số 1/QĐ-UBND: \"mẫu\" \\ x", "Hỏi – đáp\u{7}"] {
            let text = template(NewKind::Document, title, "2026-11-29");
            let (yaml, _) = crate::frontmatter::split(&text).unwrap();
            let entries = crate::yaml::parse_mapping(&text[yaml]).unwrap();
            assert_eq!(entries[0].value, crate::yaml::Yaml::Str(title.into()));
        }
        // Decomposed input (as typed on some systems) is written composed.
        let text = template(NewKind::Page, "Vie\u{323}\u{302}t", "2026-11-29");
        assert!(text.contains("title: \"Việt\""), "{text}");
    }

    #[test]
    fn placeholders_name_the_file_or_its_folder() {
        assert_eq!(
            placeholder_title("van-ban/qd-1847.md"),
            "TODO: tiêu đề cho “Qd 1847”"
        );
        assert_eq!(
            placeholder_title("hoi-dap/_index.md"),
            "TODO: tiêu đề cho “Hoi dap”"
        );
        assert_eq!(
            placeholder_title("_index.md"),
            "TODO: tiêu đề cho “trang chủ”"
        );
    }

    #[test]
    fn refuses_to_overwrite_and_escape() {
        let tmp = tempfile::tempdir().unwrap();
        let p = create(
            tmp.path(),
            "content/hoi-dap/moi",
            NewKind::Faq,
            None,
            "2026-11-29",
        )
        .unwrap();
        assert!(p.ends_with("content/hoi-dap/moi.md"));
        assert!(create(
            tmp.path(),
            "hoi-dap/moi.md",
            NewKind::Faq,
            None,
            "2026-11-29"
        )
        .is_err());
        for bad in ["../x.md", "", "a//b", "/abs", ".an", "a/.md", "a\\b"] {
            assert!(
                create(tmp.path(), bad, NewKind::Page, None, "2026-11-29").is_err(),
                "{bad}"
            );
        }
    }
}
