//! Asset files served from disk, but only while they are still the files the build listed.
//!
//! Content and theme assets are not copied into memory: `serve` reads them when they are
//! requested. Between the build and the request the file may have become something else
//! (a symlink to `/etc/passwd`, a folder swapped for a link, a FIFO). So right after each
//! successful build every asset is pinned to its device and inode, taken without following
//! a final symlink, and a request opens the file without following a final symlink (and
//! without blocking on a FIFO) and serves it only if the open handle is a regular file with
//! the pinned identity. A link swapped in anywhere along the path changes the identity, so
//! its target is never served: the asset is a 404 until the next build lists it again.

use crate::output::{FileContent, SiteFiles};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The identity of one asset file when the build listed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pin {
    dev: u64,
    ino: u64,
}

/// The pinned identities of a build's assets, by disk path.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pins {
    files: HashMap<PathBuf, Pin>,
}

impl Pins {
    /// Pins every asset of `site` that is a regular file now; anything else (a symlink, a
    /// folder, a file already gone) gets no pin and is never served.
    pub fn record(site: &SiteFiles) -> Self {
        let files = site
            .iter()
            .filter_map(|(_, content)| match content {
                FileContent::Copy(path) => {
                    let meta = std::fs::symlink_metadata(path).ok()?;
                    meta.is_file().then(|| (path.clone(), pin_of(&meta)))
                }
                _ => None,
            })
            .collect();
        Self { files }
    }

    /// Number of pinned files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether nothing is pinned.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The bytes of a file, read through a handle checked against the pin; an error for a
    /// file that is not pinned or no longer the pinned file.
    pub fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let pin = self.files.get(path).ok_or_else(|| refused("not pinned"))?;
        let mut file = open_no_follow(path)?;
        let meta = file.metadata()?;
        if !meta.is_file() || pin_of(&meta) != *pin {
            return Err(refused("not the file the build listed"));
        }
        let mut bytes = Vec::with_capacity(meta.len().min(1 << 26) as usize);
        file.read_to_end(&mut bytes)?;
        Ok(bytes)
    }
}

fn refused(why: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::PermissionDenied, why.to_owned())
}

#[cfg(unix)]
fn pin_of(meta: &std::fs::Metadata) -> Pin {
    use std::os::unix::fs::MetadataExt;
    Pin {
        dev: meta.dev(),
        ino: meta.ino(),
    }
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: opening a FIFO swapped in for the file must not hang the thread; it is
    // refused by the regular-file check right after.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
}

/// Without inode numbers, the identity is the size and modification time, and the final
/// component is checked not to be a link just before opening.
#[cfg(not(unix))]
fn pin_of(meta: &std::fs::Metadata) -> Pin {
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64);
    Pin {
        dev: meta.len(),
        ino: modified,
    }
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(refused("a link"));
    }
    std::fs::File::open(path)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn site_with(path: &Path) -> SiteFiles {
        let mut site = SiteFiles::default();
        site.insert("a.txt", FileContent::Copy(path.to_owned()));
        site.insert_bytes("index.html", "<p>x</p>");
        site
    }

    #[test]
    fn a_pinned_file_is_read_and_edits_in_place_are_seen() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.txt");
        std::fs::write(&path, "một").unwrap();
        let pins = Pins::record(&site_with(&path));
        assert_eq!(pins.len(), 1, "only files read from disk are pinned");
        assert_eq!(pins.read(&path).unwrap(), "một".as_bytes());
        std::fs::write(&path, "hai").unwrap();
        assert_eq!(pins.read(&path).unwrap(), b"hai");
        assert!(pins.read(&tmp.path().join("other.txt")).is_err());
    }

    #[test]
    fn a_file_swapped_for_a_symlink_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let secret = tmp.path().join("secret");
        std::fs::write(&secret, "bí mật").unwrap();
        let path = tmp.path().join("a.txt");
        std::fs::write(&path, "một").unwrap();
        let pins = Pins::record(&site_with(&path));
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&secret, &path).unwrap();
        assert!(pins.read(&path).is_err());
        // A link that is there when the build is pinned is not pinned at all.
        assert!(Pins::record(&site_with(&path)).is_empty());
    }

    #[test]
    fn a_folder_swapped_for_a_link_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("a.txt"), "bí mật").unwrap();
        let dir = tmp.path().join("img");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("a.txt"), "một").unwrap();
        let path = dir.join("a.txt");
        let pins = Pins::record(&site_with(&path));
        std::fs::remove_dir_all(&dir).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &dir).unwrap();
        assert!(pins.read(&path).is_err());
    }

    #[test]
    fn a_fifo_swapped_in_is_refused_without_blocking() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.txt");
        std::fs::write(&path, "một").unwrap();
        let pins = Pins::record(&site_with(&path));
        std::fs::remove_file(&path).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        assert!(pins.read(&path).is_err());
    }
}
