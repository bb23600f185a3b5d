//! Staging folders left beside the output by builds that were killed.
//!
//! A build stages into `.NAME.sotay-new-PID` (and, where the output cannot be exchanged
//! in one step, retires the old output to `.NAME.sotay-old-PID`). A killed build leaves
//! them behind, each as large as the site, so every build removes those of processes that
//! are no longer a running sotay. Only folders with exactly that name, that are real
//! folders (not symlinks), and that carry sotay's marker or are empty are ever removed.

use super::MARKER;
use std::path::Path;

/// The name of a staging folder beside the output `output_name`.
pub(super) fn staging_name(output_name: &str, side: &str, pid: u32) -> String {
    format!(".{output_name}.sotay-{side}-{pid}")
}

/// The process id in a staging folder's name, if the name is one of ours for this output.
fn staging_pid(name: &str, output_name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_prefix(output_name)?;
    let rest = rest.strip_prefix(".sotay-")?;
    let pid = rest
        .strip_prefix("new-")
        .or_else(|| rest.strip_prefix("old-"))?;
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Removes the staging folders of dead builds of `parent/output_name` (best effort: a
/// folder that cannot be removed now is tried again by the next build).
pub(super) fn remove_stale(parent: &Path, output_name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let own = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| staging_pid(n, output_name)) else {
            continue;
        };
        // This process has only just started: a folder with its id is from an earlier one.
        if pid != own && running_sotay(pid) {
            continue;
        }
        remove_if_ours(&entry.path());
    }
}

/// Removes `path` if it is a real folder (not a symlink) carrying sotay's marker, or an
/// empty one (a build killed before it marked its folder).
pub(super) fn remove_if_ours(path: &Path) {
    if !std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        return;
    }
    if std::fs::symlink_metadata(path.join(MARKER)).is_ok_and(|m| m.is_file()) {
        let _ = remove_marked(path);
    } else {
        let _ = std::fs::remove_dir(path);
    }
}

/// Removes a folder sotay marked, the marker last: a removal cut short by a kill leaves
/// a folder still marked, which the next build removes. The top-level entries go in
/// parallel: a ten-thousand-page output takes a quarter of a second of system time to
/// delete, as long as the rest of a rebuild on tmpfs, and it is the last thing a rebuild
/// waits for.
pub(super) fn remove_marked(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries
        .par_iter()
        .filter(|e| e.file_name() != MARKER)
        .try_for_each(|e| {
            if e.file_type()?.is_dir() {
                std::fs::remove_dir_all(e.path())
            } else {
                std::fs::remove_file(e.path())
            }
        })?;
    match std::fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::remove_dir(dir)
}

/// Whether `pid` is a live process that may be a build: on Linux one whose command name
/// is `sotay` or this program's own (a test or benchmark harness building the same way).
#[cfg(target_os = "linux")]
fn running_sotay(pid: u32) -> bool {
    let comm = |p: &str| std::fs::read_to_string(format!("/proc/{p}/comm"));
    match comm(&pid.to_string()) {
        Ok(name) => {
            let name = name.trim_end();
            name == "sotay" || comm("self").is_ok_and(|own| own.trim_end() == name)
        }
        Err(_) => false,
    }
}

/// Whether `pid` is a live process (elsewhere on Unix its name is not at hand: a live
/// process of any name keeps its folders).
#[cfg(all(unix, not(target_os = "linux")))]
fn running_sotay(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    !matches!(
        rustix::process::test_kill_process(pid),
        Err(rustix::io::Errno::SRCH)
    )
}

/// Elsewhere, any folder might belong to a live build: none is removed.
#[cfg(not(unix))]
fn running_sotay(_: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_names_are_recognised() {
        assert_eq!(staging_pid(".public.sotay-new-42", "public"), Some(42));
        assert_eq!(staging_pid(".public.sotay-old-7", "public"), Some(7));
        for other in [
            ".public.sotay-new-",
            ".public.sotay-new-+4",
            ".public.sotay-mid-4",
            ".site.sotay-new-4",
            "public.sotay-new-4",
            ".public.sotay-new-4x",
        ] {
            assert_eq!(staging_pid(other, "public"), None, "{other}");
        }
    }

    #[test]
    fn removes_dead_builds_marked_folders_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path();
        // A process id above the kernel's maximum is never running.
        let dead = 4_194_305;
        let marked = p.join(staging_name("public", "new", dead));
        std::fs::create_dir(&marked).unwrap();
        std::fs::write(marked.join(MARKER), "").unwrap();
        std::fs::write(marked.join("index.html"), "cũ").unwrap();
        let empty = p.join(staging_name("public", "old", dead));
        std::fs::create_dir(&empty).unwrap();
        let unmarked = p.join(staging_name("public", "old", dead + 1));
        std::fs::create_dir(&unmarked).unwrap();
        std::fs::write(unmarked.join("keep.txt"), "x").unwrap();
        let live = p.join(staging_name("public", "new", 1));
        std::fs::create_dir(&live).unwrap();
        std::fs::write(live.join(MARKER), "").unwrap();
        let other = p.join(staging_name("other", "new", dead));
        std::fs::create_dir(&other).unwrap();
        std::fs::write(other.join(MARKER), "").unwrap();
        remove_stale(p, "public");
        assert!(!marked.exists() && !empty.exists());
        assert!(unmarked.join("keep.txt").exists(), "unmarked and not empty");
        assert!(other.exists(), "another output's folder");
        // Process 1 is init, not sotay: its name is not ours, so its folder is litter.
        assert_eq!(live.exists(), !cfg!(target_os = "linux"));
    }
}
