//! Comparing two builds to decide what browsers must do: nothing, swap stylesheets, or
//! reload the pages whose HTML changed.
//!
//! Pure. Files kept from the previous build share their bytes (see
//! [`crate::output::FileContent::Shared`]), so comparing an unchanged page is a pointer
//! comparison, and a 10,000-page site is compared in a few milliseconds.

use crate::output::{FileContent, SiteFiles};
use serde_json::{json, Value};

/// Above this many changed pages, browsers are told to reload whatever they show.
const MAX_LISTED: usize = 500;

/// What differs between two builds.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SiteDiff {
    /// Site paths (with base path) of HTML pages added, changed or removed.
    pub pages: Vec<String>,
    /// Stylesheets whose hashed name changed: `(old URL, new URL)`.
    pub styles: Vec<(String, String)>,
    /// Other files a page may show changed (scripts, images, fonts): reload everything.
    pub assets: bool,
    /// Data files changed (search index, feeds, sitemap): nothing to reload for them.
    pub data: bool,
}

impl SiteDiff {
    /// Whether the two builds are identical.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty() && self.styles.is_empty() && !self.assets && !self.data
    }
}

fn same(a: &FileContent, b: &FileContent) -> bool {
    match (a, b) {
        (FileContent::Shared(x), FileContent::Shared(y)) if std::sync::Arc::ptr_eq(x, y) => true,
        _ => match (a.read(), b.read()) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        },
    }
}

/// `style.0123456789.css` → `style.css`: the name before content hashing.
fn unhashed(key: &str) -> Option<String> {
    let (stem, ext) = key.rsplit_once('.')?;
    let (name, hash) = stem.rsplit_once('.')?;
    (hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| format!("{name}.{ext}"))
}

/// The site path a browser shows for an HTML file (`a/index.html` → `/a/`).
fn page_path(base_path: &str, key: &str) -> String {
    let path = key.strip_suffix("index.html").unwrap_or(key);
    format!("{base_path}/{path}")
}

/// Compares two builds.
pub fn diff(old: &SiteFiles, new: &SiteFiles, base_path: &str) -> SiteDiff {
    let mut out = SiteDiff::default();
    let mut removed_css = Vec::new();
    let mut added_css = Vec::new();
    let mut note = |key: &str, added: Option<bool>| {
        if key.ends_with(".html") {
            out.pages.push(page_path(base_path, key));
        } else if key.ends_with(".css") && added.is_some() {
            if added == Some(true) {
                added_css.push(key.to_owned());
            } else {
                removed_css.push(key.to_owned());
            }
        } else if [".json", ".xml", ".txt", ".bin"]
            .iter()
            .any(|e| key.ends_with(e))
        {
            out.data = true;
        } else {
            out.assets = true;
        }
    };
    for (key, content) in new.iter() {
        match old.get(key) {
            None => note(key, Some(true)),
            Some(before) if !same(before, content) => note(key, None),
            Some(_) => {}
        }
    }
    for (key, _) in old.iter() {
        if !new.contains(key) {
            note(key, Some(false));
        }
    }
    for old_key in removed_css {
        let name = unhashed(&old_key);
        match added_css
            .iter()
            .position(|k| name.is_some() && unhashed(k) == name)
        {
            Some(i) => {
                let new_key = added_css.swap_remove(i);
                out.styles.push((
                    format!("{base_path}/{old_key}"),
                    format!("{base_path}/{new_key}"),
                ));
            }
            None => out.assets = true,
        }
    }
    if !added_css.is_empty() {
        out.assets = true;
    }
    out
}

/// The event for browsers after a successful build, or `None` when nothing they show
/// changed. `styles_only` says the sources that changed were stylesheets alone, so the
/// HTML differs only in stylesheet names and swapping them is enough.
pub fn event_for(
    d: &SiteDiff,
    generation: u64,
    styles_only: bool,
    force: bool,
) -> Option<(&'static str, Value)> {
    if force {
        return Some((
            "reload",
            json!({"generation": generation, "all": true, "paths": []}),
        ));
    }
    if styles_only && !d.styles.is_empty() && !d.assets {
        let styles: Vec<Value> = d
            .styles
            .iter()
            .map(|(old, new)| json!({"old": old, "new": new}))
            .collect();
        return Some(("css", json!({"generation": generation, "styles": styles})));
    }
    if d.assets || d.pages.len() > MAX_LISTED || !d.styles.is_empty() {
        return Some((
            "reload",
            json!({"generation": generation, "all": true, "paths": []}),
        ));
    }
    if d.pages.is_empty() {
        return None;
    }
    Some((
        "reload",
        json!({"generation": generation, "all": false, "paths": d.pages}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> SiteFiles {
        let mut f = SiteFiles::default();
        for (k, v) in entries {
            f.insert_bytes(*k, *v);
        }
        f
    }

    #[test]
    fn changed_added_and_removed_pages_are_listed() {
        let old = files(&[
            ("index.html", "a"),
            ("x/index.html", "b"),
            ("gone/index.html", "c"),
        ]);
        let new = files(&[
            ("index.html", "a"),
            ("x/index.html", "B"),
            ("new/index.html", "d"),
        ]);
        let d = diff(&old, &new, "/vh");
        assert_eq!(d.pages, vec!["/vh/new/", "/vh/x/", "/vh/gone/"]);
        let (name, data) = event_for(&d, 5, false, false).unwrap();
        assert_eq!(name, "reload");
        assert_eq!(data["all"], false);
        assert_eq!(data["generation"], 5);
    }

    #[test]
    fn a_stylesheet_edit_is_a_swap() {
        let old = files(&[
            ("index.html", "<link href=/style.0123456789.css>"),
            ("style.0123456789.css", "a{}"),
        ]);
        let new = files(&[
            ("index.html", "<link href=/style.abcdefabcd.css>"),
            ("style.abcdefabcd.css", "b{}"),
        ]);
        let d = diff(&old, &new, "");
        assert_eq!(
            d.styles,
            vec![(
                "/style.0123456789.css".into(),
                "/style.abcdefabcd.css".into()
            )]
        );
        let (name, data) = event_for(&d, 2, true, false).unwrap();
        assert_eq!(name, "css");
        assert_eq!(data["styles"][0]["new"], "/style.abcdefabcd.css");
        // The same difference after a template edit reloads.
        assert_eq!(event_for(&d, 2, false, false).unwrap().0, "reload");
    }

    #[test]
    fn data_files_alone_reload_nothing_and_images_reload_everything() {
        let old = files(&[("search/a.json", "1"), ("a/b.png", "x")]);
        let d = diff(
            &old,
            &files(&[("search/a.json", "2"), ("a/b.png", "x")]),
            "",
        );
        assert!(d.data && !d.is_empty());
        assert_eq!(event_for(&d, 1, false, false), None);
        let d = diff(
            &old,
            &files(&[("search/a.json", "1"), ("a/b.png", "y")]),
            "",
        );
        assert_eq!(event_for(&d, 1, false, false).unwrap().1["all"], true);
        assert!(diff(&old, &old.clone(), "").is_empty());
    }
}
