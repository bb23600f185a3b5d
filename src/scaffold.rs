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

/// Creates the file under `ROOT/content/`, refusing to overwrite anything.
pub fn create(root: &Path, path: &str, kind: NewKind, today: &str) -> Result<PathBuf, String> {
    let rel = path.strip_prefix("content/").unwrap_or(path);
    let rel = if rel.ends_with(".md") {
        rel.to_owned()
    } else {
        format!("{rel}.md")
    };
    if rel.split('/').any(|p| p == "..") || rel.starts_with('/') {
        return Err(format!("đường dẫn `{path}` phải nằm trong content/"));
    }
    let target = root.join("content").join(&rel);
    if target.exists() {
        return Err(format!(
            "{} đã tồn tại; sotay không ghi đè",
            target.display()
        ));
    }
    let stem = Path::new(&rel)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(&target, template(kind, &title_from_stem(&stem), today))
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
        assert!(create(tmp.path(), "../x.md", NewKind::Page, "2026-11-29").is_err());
    }
}
