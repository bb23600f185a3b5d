//! The content tree: pages and sections with their URLs and hierarchy.
//!
//! Pure: turns decoded sources into [`Page`]s, gives each a pretty URL (`/van-ban/qd-1847/`),
//! attaches pages to their nearest section (a folder with `_index.md`) and reports duplicate
//! URLs. Nothing here renders or reads files.

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::frontmatter::{FrontMatter, Kind};
use crate::load::{Asset, SourceFile};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// One page or section of the site.
#[derive(Debug, Clone)]
pub struct Page {
    /// The decoded source.
    pub source: SourceFile,
    /// Byte offset of the body (after front matter) in `source.text`.
    pub body_start: usize,
    /// Validated front matter.
    pub meta: FrontMatter,
    /// Whether this is a section (`_index.md`).
    pub is_section: bool,
    /// Site path without the base path, with trailing slash (`/van-ban/qd-1847/`).
    pub url: String,
    /// Index of the parent section in [`ContentTree::pages`].
    pub parent: Option<usize>,
    /// For sections: child pages, ordered by weight, then date (newest first), then title.
    pub pages: Vec<usize>,
    /// For sections: child sections, in the same order.
    pub subsections: Vec<usize>,
}

impl Page {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.source.text[self.body_start..]
    }

    /// A location inside the body, from a byte offset relative to the body.
    pub fn body_location(&self, offset: usize, len: usize) -> Location {
        let start = self.body_start + offset;
        Location::at_offset(&self.source.path, &self.source.text, start..start + len)
    }

    /// The folder of the source relative to `content/` (`van-ban`, or empty).
    pub fn content_dir(&self) -> &str {
        self.source
            .content_path
            .rsplit_once('/')
            .map_or("", |(dir, _)| dir)
    }
}

/// A page produced by the build itself rather than from a Markdown file (listings).
#[derive(Debug, Clone)]
pub struct GeneratedPage {
    /// Site path (`/van-ban/loai/quyet-dinh/`).
    pub path: String,
    /// Template to render it with.
    pub template: String,
    /// Title (also used in breadcrumbs and the sitemap).
    pub title: String,
    /// Extra keys for the `page` object of the context.
    pub data: serde_json::Value,
}

/// All pages of the site, with lookups.
#[derive(Debug, Default)]
pub struct ContentTree {
    /// Every page and section; index 0 is the home page.
    pub pages: Vec<Page>,
    /// Site path → index.
    pub by_url: HashMap<String, usize>,
    /// Path relative to `content/` → index.
    pub by_content_path: HashMap<String, usize>,
    /// Drafts left out of this build (content path), so links to them get a clear message.
    pub skipped_drafts: Vec<String>,
    /// Files whose front matter failed (content path): they exist, so links to them are not
    /// reported again as links to missing files.
    pub unparsed: HashSet<String>,
    /// Files beside the pages.
    pub assets: Vec<Asset>,
}

/// The URL of a source file: folders and file stem slugged, `_index.md` is its folder.
fn url_for(content_path: &str, slug: Option<&str>) -> String {
    let mut parts: Vec<String> = content_path.split('/').map(str::to_owned).collect();
    let file = parts.pop().unwrap_or_default();
    let mut url = String::from("/");
    for dir in &parts {
        url.push_str(&crate::text::slug(dir));
        url.push('/');
    }
    if file != "_index.md" {
        let stem = file.strip_suffix(".md").unwrap_or(&file);
        let last = slug.map_or_else(|| crate::text::slug(stem), str::to_owned);
        url.push_str(&last);
        url.push('/');
    }
    url
}

fn sort_children(tree: &ContentTree, children: &mut [usize]) {
    children.sort_by(|&a, &b| {
        let (pa, pb) = (&tree.pages[a].meta, &tree.pages[b].meta);
        pa.weight
            .cmp(&pb.weight)
            .then_with(|| pb.date.cmp(&pa.date))
            .then_with(|| pa.title.cmp(&pb.title))
            .then_with(|| tree.pages[a].url.cmp(&tree.pages[b].url))
    });
}

/// Builds the tree from parsed sources. Pages whose front matter failed to parse are not
/// passed in (their errors are already recorded).
pub fn build_tree(
    parsed: Vec<(SourceFile, FrontMatter, usize)>,
    assets: Vec<Asset>,
    include_drafts: bool,
    diagnostics: &mut Diagnostics,
) -> ContentTree {
    let mut tree = ContentTree {
        assets,
        ..ContentTree::default()
    };
    let mut has_home = false;
    // Slugs fold every title's letters: worth both cores on a large site.
    let urls: Vec<String> = {
        use rayon::prelude::*;
        parsed
            .par_iter()
            .map(|(source, meta, _)| url_for(&source.content_path, meta.slug.as_deref()))
            .collect()
    };
    for ((source, meta, body_start), url) in parsed.into_iter().zip(urls) {
        if meta.draft && !include_drafts {
            tree.skipped_drafts.push(source.content_path.clone());
            continue;
        }
        let is_section =
            source.content_path == "_index.md" || source.content_path.ends_with("/_index.md");
        has_home |= url == "/";
        tree.pages.push(Page {
            source,
            body_start,
            meta,
            is_section,
            url,
            parent: None,
            pages: Vec::new(),
            subsections: Vec::new(),
        });
    }
    if !has_home {
        diagnostics.push(
            Diagnostic::global_error("thiếu trang chủ content/_index.md")
                .with_hint("tạo content/_index.md với front matter có `title`"),
        );
    }
    // Home first, then sections, then pages, each by path: a stable order for everything.
    tree.pages.sort_by(|a, b| {
        (a.url != "/", !a.is_section, &a.source.content_path).cmp(&(
            b.url != "/",
            !b.is_section,
            &b.source.content_path,
        ))
    });
    // Aliases are output paths like any other: the extras phase claims them with every file
    // the build writes, and reports their clashes there (`output::paths::Claims`).
    let mut claimed: BTreeMap<String, usize> = BTreeMap::new();
    for (i, page) in tree.pages.iter().enumerate() {
        if let Some(&other) = claimed.get(&page.url) {
            let first = &tree.pages[other].source.path;
            let loc = Location::at_offset(&page.source.path, &page.source.text, 0..3);
            diagnostics.push(
                Diagnostic::error(loc, format!("địa chỉ {} trùng với trang {first}", page.url))
                    .with_hint("đổi tên tệp hoặc đặt `slug` khác cho một trong hai trang"),
            );
        } else {
            claimed.insert(page.url.clone(), i);
        }
        tree.by_content_path
            .insert(page.source.content_path.clone(), i);
    }
    for (i, page) in tree.pages.iter().enumerate() {
        tree.by_url.entry(page.url.clone()).or_insert(i);
    }
    let section_dirs: HashMap<String, usize> = tree
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_section)
        .map(|(i, p)| (p.content_dir().to_owned(), i))
        .collect();
    for i in 0..tree.pages.len() {
        let page = &tree.pages[i];
        let mut dir = page.content_dir().to_owned();
        if page.is_section {
            if dir.is_empty() {
                continue;
            }
            dir = dir
                .rsplit_once('/')
                .map_or(String::new(), |(d, _)| d.to_owned());
        }
        let parent = loop {
            if let Some(&s) = section_dirs.get(&dir) {
                break Some(s);
            }
            if dir.is_empty() {
                break None;
            }
            dir = dir
                .rsplit_once('/')
                .map_or(String::new(), |(d, _)| d.to_owned());
        };
        tree.pages[i].parent = parent;
        if let Some(p) = parent {
            if tree.pages[i].is_section {
                tree.pages[p].subsections.push(i);
            } else {
                tree.pages[p].pages.push(i);
            }
        }
    }
    for i in 0..tree.pages.len() {
        let mut pages = std::mem::take(&mut tree.pages[i].pages);
        sort_children(&tree, &mut pages);
        tree.pages[i].pages = pages;
        let mut subs = std::mem::take(&mut tree.pages[i].subsections);
        sort_children(&tree, &mut subs);
        tree.pages[i].subsections = subs;
    }
    tree
}

/// Aliases are site paths; give them the trailing slash pretty URLs have.
pub fn normalize_alias(alias: &str) -> String {
    if alias.ends_with('/') || alias.rsplit('/').next().is_some_and(|l| l.contains('.')) {
        alias.to_owned()
    } else {
        format!("{alias}/")
    }
}

/// The file an alias is written to, relative to the output (`/cu` → `cu/index.html`), or
/// `None` when it does not start with `/` (front matter reports that). Only one leading
/// `/` is taken off: `//x` stays absolute, for `output::paths` to refuse with the rest.
pub fn alias_output(alias: &str) -> Option<String> {
    let path = normalize_alias(alias);
    let rest = path.strip_prefix('/')?;
    Some(if rest.is_empty() || rest.ends_with('/') {
        format!("{rest}index.html")
    } else {
        rest.to_owned()
    })
}

impl ContentTree {
    /// Lets go of every page's source text, for a build that keeps nothing once its pages
    /// are rendered: the texts (40 MB on 10,000 pages) are held by the pages and by the
    /// front-matter key locations, and nothing after rendering reads them. Bodies read as
    /// empty afterwards; diagnostics made before keep their own excerpts.
    pub fn release_sources(&mut self) {
        let empty: Arc<str> = Arc::from("");
        for page in &mut self.pages {
            page.source.text = Arc::clone(&empty);
            page.body_start = 0;
            page.meta.locations = Vec::new();
        }
    }

    /// The ancestors of a page from the home page down (excluding the page itself).
    pub fn ancestors(&self, index: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut current = self.pages[index].parent;
        while let Some(p) = current {
            chain.push(p);
            current = self.pages[p].parent;
        }
        chain.reverse();
        chain
    }

    /// Pages of a kind, in tree order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = (usize, &Page)> {
        self.pages
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.meta.kind == kind && !p.is_section)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_urls_follow_folders_and_slugs() {
        assert_eq!(url_for("_index.md", None), "/");
        assert_eq!(url_for("van-ban/_index.md", None), "/van-ban/");
        assert_eq!(url_for("Văn bản/QĐ 1847.md", None), "/van-ban/qd-1847/");
        assert_eq!(
            url_for("van-ban/x.md", Some("quyet-dinh-1847")),
            "/van-ban/quyet-dinh-1847/"
        );
    }

    #[test]
    fn released_sources_are_freed_and_read_as_empty_bodies() {
        let text: Arc<str> = Arc::from("---\ntitle: Trang\ndescription: Mô tả\n---\nNội dung.\n");
        let source = SourceFile {
            path: "content/trang.md".into(),
            content_path: "trang.md".into(),
            text: Arc::clone(&text),
        };
        let (parsed, diagnostics) = crate::frontmatter::parse(&source);
        assert!(diagnostics.is_empty());
        let (meta, body_start) = parsed.expect("front matter");
        assert!(!meta.locations.is_empty(), "keys are located");
        let mut ds = Diagnostics::default();
        let mut tree = build_tree(vec![(source, meta, body_start)], Vec::new(), false, &mut ds);
        assert_eq!(tree.pages[0].body(), "Nội dung.\n");
        let weak = Arc::downgrade(&text);
        drop(text);
        assert!(
            weak.upgrade().is_some(),
            "the page and its key locations hold the text"
        );
        tree.release_sources();
        assert!(weak.upgrade().is_none(), "nothing holds the text any more");
        assert_eq!(tree.pages[0].body(), "");
        assert_eq!(tree.pages[0].meta.title, "Trang");
    }

    #[test]
    fn aliases_get_a_trailing_slash_unless_they_name_a_file() {
        assert_eq!(normalize_alias("/cu"), "/cu/");
        assert_eq!(normalize_alias("/cu.html"), "/cu.html");
    }

    #[test]
    fn alias_files_keep_what_would_escape_for_the_output_check() {
        assert_eq!(alias_output("/cu").as_deref(), Some("cu/index.html"));
        assert_eq!(alias_output("/").as_deref(), Some("index.html"));
        assert_eq!(alias_output("/a/b.html").as_deref(), Some("a/b.html"));
        assert_eq!(alias_output("cu"), None);
        for bad in ["/../../x/evil.pth", "//etc/x", "/a/..", "/a/./b"] {
            let out = alias_output(bad).unwrap();
            assert!(crate::output::paths::check(&out).is_err(), "{bad} → {out}");
        }
    }

    proptest::proptest! {
        #[test]
        fn an_accepted_alias_is_written_inside_the_output(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["/", "..", ".", "a", "b.html", "\\", "//", ""]),
                0..8,
            )
        ) {
            let alias = pieces.concat();
            if let Some(out) = alias_output(&alias) {
                if crate::output::paths::check(&out).is_ok() {
                    let joined = std::path::Path::new("/out").join(&out);
                    let normal = joined.components().skip(2).all(|c| {
                        matches!(c, std::path::Component::Normal(_))
                    });
                    proptest::prop_assert!(normal, "{alias:?} → {out:?}");
                    proptest::prop_assert!(joined.starts_with("/out/"));
                }
            }
        }
    }
}
