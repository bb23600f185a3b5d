//! Watching the site's sources and deciding what a batch of file events means.
//!
//! [`classify`] is pure: file-system events in, a [`Change`] out (which content paths to
//! re-read, whether templates, static files or `site.yaml` changed). It ignores editors'
//! temporary and backup files, hidden folders and everything outside the watched inputs
//! (the output folder, `.git`, notes beside the site), so how an editor saves never matters:
//! the build reads the files as they are once the events have settled.
//!
//! [`Watcher`] wires notify and notify-debouncer-full to it: the root folder is watched
//! alone (for `site.yaml` and folders that appear later), `content/`, `templates/`,
//! `themes/` and `static/` recursively, each (re-)watched whenever it appears.

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

/// The folders under the root whose files are inputs of the build.
pub const WATCHED_DIRS: [&str; 4] = ["content", "templates", "themes", "static"];

/// How long a file must have been quiet before its events are handled: long enough for
/// an editor's save (write to a temporary file, rename over the original) to complete,
/// short enough to stay well inside the 100 ms a preview may take.
pub const DEBOUNCE: Duration = Duration::from_millis(25);

/// What changed, summarised as the rebuild needs it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Change {
    /// `site.yaml` changed: everything is rebuilt.
    pub config: bool,
    /// A template (site or theme) changed: every page is rendered again.
    pub templates: bool,
    /// Static files (site or theme), relative to the root.
    pub statics: BTreeSet<String>,
    /// Files and folders under `content/` that were created, changed, renamed or removed,
    /// relative to the root (`content/van-ban/qd.md`); `content` itself means all of it.
    pub content: BTreeSet<String>,
    /// Watched folders that were themselves created or removed (they need a new watch).
    pub roots: BTreeSet<String>,
    /// Events were lost (the kernel queue overflowed): re-read everything.
    pub rescan: bool,
}

/// The most far-reaching kind of change in a batch, like Zola's `ChangeKind`; used for
/// messages and to choose between a stylesheet swap and a reload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Only stylesheets changed: browsers swap them without reloading.
    Styles,
    /// Other static files.
    Static,
    /// Pages and files under `content/`.
    Content,
    /// Templates.
    Templates,
    /// `site.yaml`.
    Config,
    /// Unknown: everything was re-read.
    Rescan,
}

impl Change {
    /// Whether nothing relevant changed.
    pub fn is_empty(&self) -> bool {
        self.kind().is_none()
    }

    /// The most far-reaching kind of change, if any.
    pub fn kind(&self) -> Option<ChangeKind> {
        if self.rescan {
            Some(ChangeKind::Rescan)
        } else if self.config {
            Some(ChangeKind::Config)
        } else if self.templates {
            Some(ChangeKind::Templates)
        } else if !self.content.is_empty() {
            Some(ChangeKind::Content)
        } else if self.statics.is_empty() {
            None
        } else if self.statics.iter().all(|p| p.ends_with(".css")) {
            Some(ChangeKind::Styles)
        } else {
            Some(ChangeKind::Static)
        }
    }

    /// Whether files a page may show (images, fonts, scripts) changed in place: their
    /// names stay the same, so the rebuilt site looks identical and only a reload shows them.
    pub fn assets_changed(&self) -> bool {
        self.rescan
            || self.content.iter().any(|p| !p.ends_with(".md"))
            || self.statics.iter().any(|p| !p.ends_with(".css"))
    }

    /// A short description for the terminal: the changed file, or how many changed.
    pub fn describe(&self) -> String {
        let files: Vec<&String> = self.content.iter().chain(&self.statics).collect();
        let what = match (self.config, files.as_slice()) {
            (true, _) => "site.yaml".to_owned(),
            (false, [one]) => (*one).clone(),
            (false, []) if self.templates => "templates/".to_owned(),
            (false, []) => "tất cả".to_owned(),
            (false, [first, rest @ ..]) => format!("{first} và {} tệp khác", rest.len()),
        };
        if self.templates && !self.config && !files.is_empty() {
            format!("{what}, templates/")
        } else {
            what
        }
    }

    /// Adds another batch's changes to this one.
    pub fn merge(&mut self, other: Change) {
        self.config |= other.config;
        self.templates |= other.templates;
        self.rescan |= other.rescan;
        self.statics.extend(other.statics);
        self.content.extend(other.content);
        self.roots.extend(other.roots);
    }

    /// What the build session must re-read.
    pub fn to_changed(&self) -> crate::build::Changed {
        if self.rescan || self.content.contains("content") {
            crate::build::Changed::Everything
        } else {
            crate::build::Changed::Paths(self.content.iter().cloned().collect())
        }
    }

    /// A change that re-reads everything (the first build, lost events).
    pub fn everything() -> Self {
        Self {
            rescan: true,
            ..Self::default()
        }
    }
}

/// Whether an event kind can change a file's content or existence (opening and reading
/// files cannot).
fn relevant(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// The path relative to the root as `/`-separated names, or `None` when it is outside
/// the root or passes through an editor's temporary file or a hidden folder.
fn relative(root: &Path, path: &Path) -> Option<Vec<String>> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for component in rel.components() {
        let Component::Normal(name) = component else {
            return None;
        };
        let name = name.to_string_lossy();
        if crate::load::is_editor_temp(&name) {
            return None;
        }
        parts.push(name.into_owned());
    }
    (!parts.is_empty()).then_some(parts)
}

/// Sorts a batch of events into a [`Change`].
pub fn classify(root: &Path, events: &[Event]) -> Change {
    let mut change = Change::default();
    for event in events {
        if event.need_rescan() {
            change.rescan = true;
        }
        if !relevant(&event.kind) {
            continue;
        }
        for path in &event.paths {
            let Some(parts) = relative(root, path) else {
                continue;
            };
            let joined = parts.join("/");
            match parts[0].as_str() {
                "site.yaml" if parts.len() == 1 => change.config = true,
                "content" => {
                    if parts.len() == 1 {
                        change.roots.insert(joined.clone());
                    }
                    change.content.insert(joined);
                }
                "templates" => {
                    if parts.len() == 1 {
                        change.roots.insert(joined);
                    }
                    change.templates = true;
                }
                "static" => {
                    if parts.len() == 1 {
                        change.roots.insert(joined);
                        change.templates = true;
                    } else {
                        change.statics.insert(joined);
                    }
                }
                "themes" => {
                    if parts.len() == 1 {
                        change.roots.insert(joined);
                        change.templates = true;
                    } else if parts.len() > 3 && parts[2] == "static" {
                        change.statics.insert(joined);
                    } else {
                        change.templates = true;
                    }
                }
                _ => {}
            }
        }
    }
    change
}

/// The site's watcher: debounced notify events, classified.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    events: Receiver<DebounceEventResult>,
    root: PathBuf,
    watched: BTreeSet<&'static str>,
}

impl Watcher {
    /// Starts watching `root` (which should be canonical, so event paths match it).
    pub fn new(root: &Path) -> notify::Result<Self> {
        let (tx, events) = channel();
        let mut debouncer = notify_debouncer_full::new_debouncer(DEBOUNCE, Some(DEBOUNCE / 5), tx)?;
        debouncer.watch(root, RecursiveMode::NonRecursive)?;
        let mut watcher = Self {
            debouncer,
            events,
            root: root.to_owned(),
            watched: BTreeSet::new(),
        };
        watcher.refresh_roots(&Change::default());
        Ok(watcher)
    }

    /// Watches the input folders that exist and were not watched (or were just created
    /// again, which leaves the old watch on a deleted folder).
    fn refresh_roots(&mut self, change: &Change) {
        for dir in WATCHED_DIRS {
            let path = self.root.join(dir);
            let exists = path.is_dir();
            let recreated = change.roots.contains(dir);
            if self.watched.contains(dir) && (!exists || recreated) {
                // The folder is gone or replaced; its watch may already be gone too.
                let _ = self.debouncer.unwatch(&path);
                self.watched.remove(dir);
            }
            if exists
                && !self.watched.contains(dir)
                && self
                    .debouncer
                    .watch(&path, RecursiveMode::Recursive)
                    .is_ok()
            {
                self.watched.insert(dir);
            }
        }
    }

    /// Blocks until something relevant changes, then returns every change queued by then.
    /// `None` when the watcher has stopped.
    pub fn wait(&mut self) -> Option<Change> {
        loop {
            let first = self.events.recv().ok()?;
            if let Some(change) = self.settle(first) {
                return Some(change);
            }
        }
    }

    /// Merges the first batch with every batch already queued behind it, watches folders
    /// that just appeared, and returns the change unless nothing relevant happened.
    fn settle(&mut self, first: DebounceEventResult) -> Option<Change> {
        let mut change = self.to_change(first);
        while let Ok(more) = self.events.try_recv() {
            change.merge(self.to_change(more));
        }
        self.refresh_roots(&change);
        (!change.is_empty()).then_some(change)
    }

    /// Like [`Watcher::wait`], but gives up after `timeout` (`None`).
    pub fn wait_for(&mut self, timeout: Duration) -> Option<Change> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(std::time::Instant::now())?;
            let first = self.events.recv_timeout(left).ok()?;
            if let Some(change) = self.settle(first) {
                return Some(change);
            }
        }
    }

    fn to_change(&self, result: DebounceEventResult) -> Change {
        match result {
            Ok(events) => {
                let events: Vec<Event> = events.into_iter().map(|e| e.event).collect();
                classify(&self.root, &events)
            }
            // Errors mean events may be missing: trust nothing.
            Err(_) => Change::everything(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, Flag, ModifyKind, RemoveKind, RenameMode};

    fn root() -> PathBuf {
        PathBuf::from("/srv/site")
    }

    fn ev(kind: EventKind, paths: &[&str]) -> Event {
        let mut e = Event::new(kind);
        for p in paths {
            e = e.add_path(root().join(p));
        }
        e
    }

    fn modify(p: &str) -> Event {
        ev(EventKind::Modify(ModifyKind::Any), &[p])
    }

    #[test]
    fn vim_save_with_backup_and_probe_is_one_content_change() {
        let events = [
            ev(EventKind::Create(CreateKind::File), &["content/4913"]),
            ev(EventKind::Remove(RemoveKind::File), &["content/4913"]),
            ev(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["content/a.md", "content/a.md~"],
            ),
            ev(EventKind::Create(CreateKind::File), &["content/a.md"]),
            ev(EventKind::Create(CreateKind::File), &["content/.a.md.swp"]),
            ev(EventKind::Remove(RemoveKind::File), &["content/a.md~"]),
            ev(EventKind::Create(CreateKind::File), &["content/#a.md#"]),
        ];
        let change = classify(&root(), &events);
        assert_eq!(change.kind(), Some(ChangeKind::Content));
        assert_eq!(
            change.content.iter().collect::<Vec<_>>(),
            vec!["content/a.md"]
        );
    }

    #[test]
    fn renames_report_both_sides_and_folders() {
        let events = [ev(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["content/cu", "content/moi"],
        )];
        let change = classify(&root(), &events);
        assert!(change.content.contains("content/cu"));
        assert!(change.content.contains("content/moi"));
    }

    #[test]
    fn kinds_rank_from_styles_to_config() {
        let styles = classify(&root(), &[modify("static/site.css")]);
        assert_eq!(styles.kind(), Some(ChangeKind::Styles));
        let theme_css = classify(&root(), &[modify("themes/default/static/style.css")]);
        assert_eq!(theme_css.kind(), Some(ChangeKind::Styles));
        let image = classify(
            &root(),
            &[modify("static/logo.png"), modify("static/a.css")],
        );
        assert_eq!(image.kind(), Some(ChangeKind::Static));
        let tpl = classify(&root(), &[modify("themes/default/templates/page.html")]);
        assert_eq!(tpl.kind(), Some(ChangeKind::Templates));
        let site_tpl = classify(&root(), &[modify("templates/page.html")]);
        assert_eq!(site_tpl.kind(), Some(ChangeKind::Templates));
        let config = classify(&root(), &[modify("site.yaml"), modify("content/a.md")]);
        assert_eq!(config.kind(), Some(ChangeKind::Config));
    }

    #[test]
    fn outside_inputs_and_reads_are_ignored() {
        let events = [
            modify("public/index.html"),
            modify(".git/index"),
            modify("README.md"),
            modify("content/.git/x"),
            modify("content/nhap/.#a.md"),
            ev(EventKind::Access(AccessKind::Read), &["content/a.md"]),
            ev(
                EventKind::Access(AccessKind::Open(AccessMode::Any)),
                &["site.yaml"],
            ),
            Event::new(EventKind::Modify(ModifyKind::Any)).add_path("/elsewhere/a.md".into()),
            modify("site.yaml/x"),
        ];
        assert!(classify(&root(), &events).is_empty());
        let closed = ev(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            &["content/a.md"],
        );
        assert_eq!(
            classify(&root(), &[closed]).kind(),
            Some(ChangeKind::Content)
        );
    }

    #[test]
    fn new_or_removed_input_folders_are_noticed() {
        let change = classify(
            &root(),
            &[
                ev(EventKind::Create(CreateKind::Folder), &["static"]),
                ev(EventKind::Remove(RemoveKind::Folder), &["content"]),
            ],
        );
        assert!(change.roots.contains("static"));
        assert!(change.roots.contains("content"));
        assert!(change.content.contains("content"));
        assert!(change.templates);
    }

    #[test]
    fn assets_and_descriptions() {
        let page = classify(&root(), &[modify("content/a.md")]);
        assert!(!page.assets_changed());
        assert_eq!(page.describe(), "content/a.md");
        let image = classify(&root(), &[modify("content/a.png"), modify("content/b.md")]);
        assert!(image.assets_changed());
        assert_eq!(image.describe(), "content/a.png và 1 tệp khác");
        assert!(classify(&root(), &[modify("static/logo.svg")]).assets_changed());
        assert!(!classify(&root(), &[modify("static/site.css")]).assets_changed());
        assert_eq!(Change::everything().describe(), "tất cả");
    }

    #[test]
    fn lost_events_mean_a_rescan() {
        let overflow = Event::new(EventKind::Other).set_flag(Flag::Rescan);
        let change = classify(&root(), &[overflow]);
        assert_eq!(change.kind(), Some(ChangeKind::Rescan));
        let mut merged = Change::default();
        merged.merge(classify(&root(), &[modify("content/a.md")]));
        merged.merge(change);
        assert!(merged.rescan && merged.content.contains("content/a.md"));
    }
}
