//! Links between content files: resolution to page URLs and checking.
//!
//! Editors link to the Markdown file they see in their editor (`../van-ban/qd-1847.md#dieu-2`);
//! citizens need the page URL (`/vanhoacongvu/van-ban/qd-1847/#dieu-2`). This module maps
//! one to the other and reports links to missing files, drafts and anchors. Pure.

use crate::content::ContentTree;
use std::collections::HashSet;

/// Why a link cannot be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkError {
    /// What is wrong.
    pub message: String,
    /// A suggestion, when a close match exists.
    pub hint: Option<String>,
}

/// Everything needed to resolve links from any page.
pub struct LinkIndex<'a> {
    tree: &'a ContentTree,
    anchors: &'a [HashSet<String>],
    generated: &'a HashSet<String>,
    base_path: &'a str,
    asset_paths: HashSet<&'a str>,
}

/// The site path of a file beside the pages: folders slugged like page URLs, name kept.
pub fn asset_url(content_path: &str) -> String {
    let mut url = String::from("/");
    let mut parts: Vec<&str> = content_path.split('/').collect();
    let file = parts.pop().unwrap_or_default();
    for dir in parts {
        url.push_str(&crate::text::slug(dir));
        url.push('/');
    }
    url.push_str(file);
    url
}

/// Joins a relative path onto a folder, resolving `.` and `..`; `None` if it escapes.
fn join(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = if relative.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn is_external(dest: &str) -> bool {
    dest.starts_with("//")
        || dest.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl<'a> LinkIndex<'a> {
    /// `anchors[i]` holds the anchors of page `i`; `generated` the site paths of pages
    /// generated without a source (listings, search page).
    pub fn new(
        tree: &'a ContentTree,
        anchors: &'a [HashSet<String>],
        generated: &'a HashSet<String>,
        base_path: &'a str,
    ) -> Self {
        Self {
            tree,
            anchors,
            generated,
            base_path,
            asset_paths: tree
                .assets
                .iter()
                .map(|a| a.content_path.as_str())
                .collect(),
        }
    }

    fn check_anchor(&self, page: usize, fragment: &str) -> Result<(), LinkError> {
        if fragment.is_empty() || self.anchors[page].contains(fragment) {
            return Ok(());
        }
        let known: Vec<&str> = self.anchors[page].iter().map(String::as_str).collect();
        let mut hint =
            crate::fields::suggest(fragment, &known).map(|a| format!("có phải ý bạn là #{a}?"));
        if hint.is_none() && !known.is_empty() {
            let mut sorted = known.clone();
            sorted.sort_unstable();
            sorted.truncate(8);
            hint = Some(format!("các mục có trong trang: #{}", sorted.join(", #")));
        }
        Err(LinkError {
            message: format!(
                "trang {} không có mục #{fragment}",
                self.tree.pages[page].source.path
            ),
            hint,
        })
    }

    /// Resolves a destination written on page `from`. `Ok(None)` means "leave as written"
    /// (external links); `Ok(Some(href))` is the href to write.
    pub fn resolve(&self, from: usize, dest: &str) -> Result<Option<String>, LinkError> {
        if dest.is_empty() || is_external(dest) {
            return Ok(None);
        }
        let (path, fragment) = dest.split_once('#').unwrap_or((dest, ""));
        let path = percent_decode(path);
        if path.is_empty() {
            self.check_anchor(from, fragment)?;
            return Ok(None);
        }
        let with_fragment = |url: &str| {
            if fragment.is_empty() {
                format!("{}{url}", self.base_path)
            } else {
                format!("{}{url}#{fragment}", self.base_path)
            }
        };
        let page_dir = self.tree.pages[from].content_dir();
        let target = join(page_dir, &path).ok_or_else(|| LinkError {
            message: format!("liên kết `{dest}` đi ra ngoài thư mục content/"),
            hint: None,
        })?;
        if path.ends_with(".md") {
            if let Some(&i) = self.tree.by_content_path.get(&target) {
                self.check_anchor(i, fragment)?;
                return Ok(Some(with_fragment(&self.tree.pages[i].url)));
            }
            if self.tree.unparsed.contains(&target) {
                // The file exists; its own front-matter error already fails the build.
                return Ok(None);
            }
            if self.tree.skipped_drafts.contains(&target) {
                return Err(LinkError {
                    message: format!("liên kết tới bản nháp content/{target}"),
                    hint: Some("bỏ `draft: true` ở trang đích, hoặc dựng với --drafts".into()),
                });
            }
            let known: Vec<&str> = self
                .tree
                .by_content_path
                .keys()
                .map(String::as_str)
                .collect();
            return Err(LinkError {
                message: format!("liên kết tới tệp không tồn tại: content/{target}"),
                hint: crate::fields::suggest(&target, &known)
                    .map(|k| format!("có phải ý bạn là content/{k}?")),
            });
        }
        if self.asset_paths.contains(target.as_str()) {
            return Ok(Some(with_fragment(&asset_url(&target))));
        }
        if path.starts_with('/') {
            let site_path = if path.ends_with('/')
                || path.rsplit('/').next().is_some_and(|l| l.contains('.'))
            {
                path.clone()
            } else {
                format!("{path}/")
            };
            if let Some(&i) = self.tree.by_url.get(&site_path) {
                self.check_anchor(i, fragment)?;
                return Ok(Some(with_fragment(&site_path)));
            }
            if self.generated.contains(&site_path) {
                return Ok(Some(with_fragment(&site_path)));
            }
        }
        Err(LinkError {
            message: format!("liên kết `{dest}` không trỏ tới trang hay tệp nào của trang web"),
            hint: Some("liên kết tới tệp .md (ví dụ ../van-ban/qd-1847.md) hoặc tới tệp nằm trong content/".into()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joining_resolves_dots_and_refuses_escapes() {
        assert_eq!(
            join("hoi-dap", "../van-ban/a.md").as_deref(),
            Some("van-ban/a.md")
        );
        assert_eq!(
            join("hoi-dap", "/van-ban/a.md").as_deref(),
            Some("van-ban/a.md")
        );
        assert_eq!(join("", "../a.md"), None);
    }

    #[test]
    fn schemes_are_external() {
        assert!(is_external("https://vbpl.vn"));
        assert!(is_external("mailto:a@b.vn"));
        assert!(!is_external("../a.md"));
        assert!(!is_external("a.md#x:y"));
    }

    #[test]
    fn asset_urls_slug_folders_only() {
        assert_eq!(asset_url("Văn bản/Sơ đồ.png"), "/van-ban/Sơ đồ.png");
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b.md"), "a b.md");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
