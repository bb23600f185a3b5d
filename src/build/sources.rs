//! The content folder as a session last read it, brought up to date path by path.
//!
//! A rebuild after one save reads one file, not ten thousand. Text that did not change
//! keeps its `Arc`, which is how later stages recognise an unchanged page in O(1).
//! Folders are re-walked when named (a folder renamed, copied in or deleted), and
//! `Changed::Everything` re-walks it all (still reusing the `Arc` of unchanged text).

use super::Changed;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, Asset, LoadedContent, SourceFile};
use std::collections::BTreeMap;
use std::path::Path;

/// What is known about one path under `content/`.
#[derive(Debug, Clone)]
enum Entry {
    /// A Markdown file, decoded, or why it could not be read.
    Markdown(Result<SourceFile, Diagnostic>),
    /// Another file, served as it is.
    Asset(Asset),
}

/// `content/`, by path relative to it.
#[derive(Debug, Default)]
pub(crate) struct SourceCache {
    entries: BTreeMap<String, Entry>,
    /// Problems found while walking (unreadable folders), or a missing `content/`.
    walk_errors: Vec<Diagnostic>,
    loaded: bool,
    /// What changed since [`SourceCache::take_delta`] was last called.
    delta: Delta,
    /// Keys in walk order, while no file is added or removed.
    order: Option<Vec<String>>,
}

/// What changed in `content/` between two builds.
#[derive(Debug, Default)]
pub(crate) struct Delta {
    /// Files were added or removed, or became readable or unreadable: the site's structure
    /// may have changed.
    pub(crate) structure: bool,
    /// Markdown files whose text changed.
    pub(crate) texts: std::collections::BTreeSet<String>,
}

impl SourceCache {
    /// Brings the cache up to date with the disk.
    pub(crate) fn update(&mut self, root: &Path, changed: &Changed) {
        match changed {
            Changed::Paths(paths) if self.loaded => {
                for path in paths {
                    if let Some(rel) = path.strip_prefix("content/") {
                        self.refresh(root, rel);
                    } else if path == "content" {
                        self.reload(root);
                    }
                }
            }
            _ => self.reload(root),
        }
    }

    fn reload(&mut self, root: &Path) {
        self.loaded = true;
        self.walk_errors.clear();
        let content_dir = root.join("content");
        if !content_dir.is_dir() {
            self.walk_errors.push(load::missing_content(&content_dir));
            if !self.entries.is_empty() {
                self.structure_changed();
            }
            self.entries.clear();
            return;
        }
        let mut fresh = BTreeMap::new();
        self.walk_into(root, "", &mut fresh);
        let old = std::mem::take(&mut self.entries);
        if old.len() != fresh.len() || old.keys().zip(fresh.keys()).any(|(a, b)| a != b) {
            self.structure_changed();
        }
        for (key, entry) in fresh {
            self.note(&key, old.get(&key), &entry);
            self.entries.insert(key, entry);
        }
    }

    fn structure_changed(&mut self) {
        self.delta.structure = true;
        self.order = None;
    }

    /// Records how `new` differs from `old` (the entry of the same path before).
    fn note(&mut self, key: &str, old: Option<&Entry>, new: &Entry) {
        match (old, new) {
            (Some(Entry::Markdown(Ok(a))), Entry::Markdown(Ok(b))) => {
                if !std::sync::Arc::ptr_eq(&a.text, &b.text) {
                    self.delta.texts.insert(key.to_owned());
                }
            }
            (Some(Entry::Markdown(Err(a))), Entry::Markdown(Err(b))) => {
                if a.to_string() != b.to_string() {
                    self.structure_changed();
                }
            }
            (Some(Entry::Asset(_)), Entry::Asset(_)) => {}
            _ => self.structure_changed(),
        }
    }

    fn insert(&mut self, key: String, entry: Entry) {
        let old = self.entries.remove(&key);
        self.note(&key, old.as_ref(), &entry);
        self.entries.insert(key, entry);
    }

    fn remove(&mut self, key: &str) {
        if self.entries.remove(key).is_some() {
            self.structure_changed();
        }
    }

    /// What changed since the last call.
    pub(crate) fn take_delta(&mut self) -> Delta {
        std::mem::take(&mut self.delta)
    }

    /// Problems reading `content/`: unreadable folders and files.
    pub(crate) fn diagnostics(&self) -> Diagnostics {
        let mut out: Diagnostics = self.walk_errors.iter().cloned().collect();
        for entry in self.entries.values() {
            if let Entry::Markdown(Err(d)) = entry {
                out.push(d.clone());
            }
        }
        out
    }

    /// A Markdown file's current text, if it is readable.
    pub(crate) fn source(&self, content_path: &str) -> Option<&SourceFile> {
        match self.entries.get(content_path)? {
            Entry::Markdown(Ok(source)) => Some(source),
            _ => None,
        }
    }

    fn order_keys(&self) -> Vec<String> {
        if let Some(order) = &self.order {
            return order.clone();
        }
        let mut keys: Vec<String> = self.entries.keys().cloned().collect();
        keys.sort_by(|a, b| a.split('/').cmp(b.split('/')));
        keys
    }

    /// Walks `content/SUB` into `into`, keeping the text of unchanged files.
    fn walk_into(&mut self, root: &Path, sub: &str, into: &mut BTreeMap<String, Entry>) {
        let mut diagnostics = Diagnostics::default();
        let (markdown, assets) = load::walk_content(root, sub, &mut diagnostics);
        self.walk_errors.extend(diagnostics);
        use rayon::prelude::*;
        let read: Vec<(String, Result<SourceFile, Diagnostic>)> = markdown
            .into_par_iter()
            .map(|(disk, content_path)| {
                (content_path.clone(), load::read_source(&disk, content_path))
            })
            .collect();
        for (content_path, result) in read {
            let result = self.keep_text(&content_path, result);
            into.insert(content_path, Entry::Markdown(result));
        }
        for asset in assets {
            into.insert(asset.content_path.clone(), Entry::Asset(asset));
        }
    }

    /// The new read of a file, with the old `Arc` when the text is the same.
    fn keep_text(
        &self,
        content_path: &str,
        fresh: Result<SourceFile, Diagnostic>,
    ) -> Result<SourceFile, Diagnostic> {
        match (fresh, self.entries.get(content_path)) {
            (Ok(new), Some(Entry::Markdown(Ok(old)))) if old.text == new.text => Ok(old.clone()),
            (fresh, _) => fresh,
        }
    }

    /// Re-reads one path relative to `content/`: a file, a folder or something deleted.
    fn refresh(&mut self, root: &Path, rel: &str) {
        if rel.is_empty()
            || rel
                .split('/')
                .any(|part| part.is_empty() || load::is_editor_temp(part))
        {
            return;
        }
        let disk = root.join("content").join(rel);
        let meta = std::fs::symlink_metadata(&disk).ok();
        let prefix = format!("{rel}/");
        let under: Vec<String> = self
            .entries
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        match meta {
            Some(m) if m.is_dir() => {
                let mut fresh = BTreeMap::new();
                self.walk_into(root, rel, &mut fresh);
                for key in under {
                    if !fresh.contains_key(&key) {
                        self.remove(&key);
                    }
                }
                self.remove(rel);
                for (key, entry) in fresh {
                    self.insert(key, entry);
                }
            }
            Some(m) if m.is_file() => {
                for key in under {
                    self.remove(&key);
                }
                let entry = if rel.ends_with(".md") {
                    let read = load::read_source(&disk, rel.to_owned());
                    Entry::Markdown(self.keep_text(rel, read))
                } else {
                    Entry::Asset(Asset {
                        content_path: rel.to_owned(),
                        disk_path: disk,
                    })
                };
                self.insert(rel.to_owned(), entry);
            }
            // Deleted, or something that is neither file nor folder (a symlink): gone.
            _ => {
                for key in under {
                    self.remove(&key);
                }
                self.remove(rel);
            }
        }
    }

    /// The content as the build reads it, in the order of a depth-first walk.
    pub(crate) fn content(&mut self, diagnostics: &mut Diagnostics) -> LoadedContent {
        diagnostics.extend(self.walk_errors.iter().cloned());
        let keys = self.order_keys();
        let mut loaded = LoadedContent::default();
        for key in &keys {
            match &self.entries[key] {
                Entry::Markdown(Ok(source)) => loaded.sources.push(source.clone()),
                Entry::Markdown(Err(d)) => diagnostics.push(d.clone()),
                Entry::Asset(asset) => loaded.assets.push(asset.clone()),
            }
        }
        self.order = Some(keys);
        loaded
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn paths(c: &LoadedContent) -> Vec<String> {
        c.sources
            .iter()
            .map(|s| s.content_path.clone())
            .chain(c.assets.iter().map(|a| a.content_path.clone()))
            .collect()
    }

    #[test]
    fn updates_follow_files_folders_and_deletions() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let write = |rel: &str, text: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write("content/_index.md", "a");
        write("content/x/_index.md", "b");
        write("content/x/y.md", "c");
        write("content/x.md", "d");
        let mut cache = SourceCache::default();
        cache.update(root, &Changed::Everything);
        let mut diags = Diagnostics::default();
        let first = cache.content(&mut diags);
        assert_eq!(
            paths(&first),
            ["_index.md", "x/_index.md", "x/y.md", "x.md"],
            "walk order"
        );
        let y_text = Arc::clone(&first.sources[2].text);

        // A rewrite with the same text keeps the Arc; a new text does not.
        write("content/x/y.md", "c");
        write("content/x.md", "D");
        write("content/x/.y.md.swp", "junk");
        cache.update(
            root,
            &Changed::Paths(vec![
                "content/x/y.md".into(),
                "content/x.md".into(),
                "content/x/.y.md.swp".into(),
            ]),
        );
        let second = cache.content(&mut diags);
        assert!(Arc::ptr_eq(&second.sources[2].text, &y_text));
        assert_eq!(&*second.sources[3].text, "D");
        assert_eq!(second.sources.len(), 4);

        // A folder renamed: the old paths go, the new ones come.
        std::fs::rename(root.join("content/x"), root.join("content/z")).unwrap();
        write("content/z/anh.png", "png");
        cache.update(
            root,
            &Changed::Paths(vec!["content/x".into(), "content/z".into()]),
        );
        let third = cache.content(&mut diags);
        assert_eq!(
            paths(&third),
            ["_index.md", "x.md", "z/_index.md", "z/y.md", "z/anh.png"]
        );
        assert_eq!(&*third.sources[3].text, "c");

        std::fs::remove_file(root.join("content/z/y.md")).unwrap();
        cache.update(root, &Changed::Paths(vec!["content/z/y.md".into()]));
        assert_eq!(cache.content(&mut diags).sources.len(), 3);
        assert!(diags.is_empty());
    }

    #[test]
    fn unreadable_files_are_errors_until_fixed() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content/a.md"), b"\xff").unwrap();
        let mut cache = SourceCache::default();
        cache.update(root, &Changed::Everything);
        let mut diags = Diagnostics::default();
        cache.content(&mut diags);
        assert!(diags.has_errors());
        std::fs::write(root.join("content/a.md"), "ổn").unwrap();
        cache.update(root, &Changed::Paths(vec!["content/a.md".into()]));
        let mut diags = Diagnostics::default();
        assert_eq!(cache.content(&mut diags).sources.len(), 1);
        assert!(diags.is_empty());
    }
}
