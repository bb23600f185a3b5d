//! Putting a finished staging folder in place of the output.
//!
//! Two renames (output aside, staging in) leave no output at all if the process dies
//! between them. Linux exchanges two paths in one system call (`renameat2` with
//! `RENAME_EXCHANGE`), so there the output is always a whole site, old or new; other
//! systems, and file systems that refuse the exchange, fall back to the two renames.

use std::io;
use std::path::{Path, PathBuf};

/// Moves `new` to `output`. Returns where the previous output now is (to be removed), if
/// there was one: `new` itself after an exchange, `retired` after two renames.
pub(super) fn replace(new: &Path, output: &Path, retired: &Path) -> io::Result<Option<PathBuf>> {
    match std::fs::symlink_metadata(output) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            std::fs::rename(new, output)?;
            return Ok(None);
        }
        Err(e) => return Err(e),
        Ok(_) => {}
    }
    match exchange(new, output) {
        Ok(()) => return Ok(Some(new.to_owned())),
        Err(e) if !unsupported(&e) => return Err(e),
        Err(_) => {}
    }
    std::fs::rename(output, retired)?;
    if let Err(e) = std::fs::rename(new, output) {
        // The previous output goes back where it was.
        let _ = std::fs::rename(retired, output);
        return Err(e);
    }
    Ok(Some(retired.to_owned()))
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Whether the exchange failed because the system or file system lacks it (old kernels,
/// some network and FUSE file systems), rather than for a reason two renames would share.
fn unsupported(e: &io::Error) -> bool {
    const EINVAL: i32 = 22;
    const ENOSYS: i32 = 38;
    const EOPNOTSUPP: i32 = 95;
    e.kind() == io::ErrorKind::Unsupported
        || matches!(e.raw_os_error(), Some(EINVAL | ENOSYS | EOPNOTSUPP))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_folder_takes_the_place_of_the_old_one() {
        let tmp = tempfile::tempdir().unwrap();
        let (new, out, retired) = (
            tmp.path().join("new"),
            tmp.path().join("out"),
            tmp.path().join("old"),
        );
        std::fs::create_dir(&new).unwrap();
        std::fs::write(new.join("f"), "mới").unwrap();
        assert_eq!(replace(&new, &out, &retired).unwrap(), None);
        std::fs::create_dir(&new).unwrap();
        std::fs::write(new.join("f"), "mới hơn").unwrap();
        let old = replace(&new, &out, &retired).unwrap().unwrap();
        assert_eq!(std::fs::read_to_string(out.join("f")).unwrap(), "mới hơn");
        assert_eq!(std::fs::read_to_string(old.join("f")).unwrap(), "mới");
    }
}
