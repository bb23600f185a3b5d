//! Writing a site to disk, all or nothing.
//!
//! A [`Staging`] folder is created beside the output before the build starts, so the build
//! can write each page the moment it is rendered (from any thread) instead of holding the
//! whole site in memory: on ten thousand pages that is the difference between ~100 MB of
//! HTML held twice and none. The staging folder replaces the output only in
//! [`Staging::commit`]; dropping it uncommitted (a failed build) removes it, and nothing
//! else. A folder sotay did not create is never deleted.

use super::{absolute, check_output_dir, io_err, is_compressible, FileContent, OutputError};
use super::{SiteFiles, MARKER};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// A temporary output folder that becomes the output on [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    retired: PathBuf,
    precompress: bool,
    files: AtomicUsize,
    /// Folders known to exist (relative to `dir`): thousands of index files share a few
    /// folders, and asking the file system again costs two system calls per file.
    folders: Mutex<HashSet<String>>,
    committed: bool,
}

impl Staging {
    /// Checks `output` (see [`check_output_dir`]) and creates the staging folder beside it.
    /// With `precompress`, every text file also gets `.gz` and `.br` copies for servers
    /// that send precompressed files as they are (nginx `gzip_static`, `brotli_static`).
    pub fn begin(root: &Path, output: &Path, precompress: bool) -> Result<Self, OutputError> {
        check_output_dir(root, output)?;
        let out_abs = absolute(output).map_err(io_err(output))?;
        let parent = out_abs
            .parent()
            .ok_or_else(|| OutputError::Refused("thư mục đầu ra không có thư mục cha".into()))?;
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        let name = out_abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.sotay-new-{pid}"));
        let retired = parent.join(format!(".{name}.sotay-old-{pid}"));
        // Left by an earlier run of this process id that was killed: ours by name.
        for stale in [&dir, &retired] {
            if stale.exists() {
                std::fs::remove_dir_all(stale).map_err(io_err(stale))?;
            }
        }
        std::fs::create_dir(&dir).map_err(io_err(&dir))?;
        Ok(Self {
            dir,
            output: out_abs,
            retired,
            precompress,
            files: AtomicUsize::new(0),
            folders: Mutex::new(HashSet::new()),
            committed: false,
        })
    }

    /// Writes one file (path relative to the output, `a/b/index.html`); safe to call from
    /// many threads at once.
    pub fn write(&self, path: &str, content: &FileContent) -> Result<(), OutputError> {
        let target = self.dir.join(path);
        if let (Some((folder, _)), Some(parent)) = (path.rsplit_once('/'), target.parent()) {
            let lock = || self.folders.lock().unwrap_or_else(|e| e.into_inner());
            if !lock().contains(folder) {
                // Tolerates a sibling thread creating the same parent at the same time.
                std::fs::create_dir_all(parent).map_err(io_err(parent))?;
                lock().insert(folder.to_owned());
            }
        }
        match content {
            FileContent::Copy(src) => std::fs::copy(src, &target).map(|_| ()),
            FileContent::Bytes(b) => std::fs::write(&target, b),
            FileContent::Static(b) => std::fs::write(&target, b),
            FileContent::Shared(b) => std::fs::write(&target, b),
        }
        .map_err(io_err(&target))?;
        self.files.fetch_add(1, Ordering::Relaxed);
        if self.precompress && is_compressible(path) {
            let bytes = content.read().map_err(io_err(&target))?;
            self.write_compressed(&target, &bytes)?;
        }
        Ok(())
    }

    fn write_compressed(&self, target: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(bytes).map_err(io_err(target))?;
        let gz = gz.finish().map_err(io_err(target))?;
        let mut br = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut &bytes[..], &mut br, &params).map_err(io_err(target))?;
        for (ext, data) in [("gz", gz), ("br", br)] {
            let mut name = target.as_os_str().to_owned();
            name.push(format!(".{ext}"));
            let path = PathBuf::from(name);
            std::fs::write(&path, data).map_err(io_err(&path))?;
            self.files.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Writes every file of `files`, in parallel.
    pub fn write_all(&self, files: &SiteFiles) -> Result<(), OutputError> {
        use rayon::prelude::*;
        let entries: Vec<(&String, &FileContent)> = files.iter().collect();
        entries
            .par_iter()
            .try_for_each(|(path, content)| self.write(path, content))
    }

    /// Files written so far (compressed copies included).
    pub fn file_count(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Marks the staging folder as sotay's and swaps it in place of the output.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let marker = self.dir.join(MARKER);
        std::fs::write(
            &marker,
            b"This folder was generated by sotay and is replaced on every build.\n",
        )
        .map_err(io_err(&marker))?;
        if self.output.exists() {
            std::fs::rename(&self.output, &self.retired).map_err(io_err(&self.output))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.output) {
            // The previous output goes back where it was.
            let _ = std::fs::rename(&self.retired, &self.output);
            return Err(OutputError::Io(self.dir.clone(), e));
        }
        self.committed = true;
        if self.retired.exists() {
            remove_in_parallel(&self.retired).map_err(io_err(&self.retired))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // Only the folder this value created; the output itself is untouched.
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes a folder sotay created (the retired output), its top-level entries in parallel:
/// a ten-thousand-page output takes a quarter of a second of system time to delete, as
/// long as the rest of a rebuild on tmpfs, and it is the last thing a rebuild waits for.
fn remove_in_parallel(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            std::fs::remove_dir_all(e.path())
        } else {
            std::fs::remove_file(e.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

/// Writes `files` to `output`, replacing a previous sotay output only on success.
pub fn write_to_disk(root: &Path, output: &Path, files: &SiteFiles) -> Result<(), OutputError> {
    let staging = Staging::begin(root, output, false)?;
    staging.write_all(files)?;
    staging.commit()
}
