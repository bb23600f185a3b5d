//! Running the `sotay` binary over a copy of a fixture site.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root (where Cargo.toml is).
pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture site copied into a temporary folder, so tests never write into the repository.
pub(crate) struct Fixture {
    /// Keeps the folder alive for the test's duration.
    _tmp: tempfile::TempDir,
    /// The site root inside the temporary folder.
    pub(crate) root: PathBuf,
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("fixture is readable");
        let rel = entry.path().strip_prefix(from).expect("inside fixture");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create fixture dir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// What one run of the binary produced.
pub(crate) struct Run {
    /// Exit code.
    pub(crate) code: i32,
    /// Standard output.
    pub(crate) stdout: String,
    /// Standard error (diagnostics).
    pub(crate) stderr: String,
}

impl Run {
    fn from(output: Output) -> Self {
        Self {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Fixture {
    /// Copies `tests/fixtures/<name>` into a fresh temporary folder.
    pub(crate) fn new(name: &str) -> Self {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("site");
        copy_dir(&repo_root().join("tests/fixtures").join(name), &root);
        Self { _tmp: tmp, root }
    }

    /// A copy of the repository's own bundled site (`site.yaml`, `content/`, `themes/`).
    pub(crate) fn bundled() -> Self {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("site");
        for part in ["content", "themes"] {
            copy_dir(&repo_root().join(part), &root.join(part));
        }
        std::fs::copy(repo_root().join("site.yaml"), root.join("site.yaml"))
            .expect("copy site.yaml");
        Self { _tmp: tmp, root }
    }

    /// An empty site folder, for tests that write their own files.
    pub(crate) fn empty() -> Self {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("content")).expect("create content");
        Self { _tmp: tmp, root }
    }

    /// Writes a file relative to the site root.
    pub(crate) fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write fixture file");
    }

    /// Runs `sotay ARGS` with `--root` pointing at this fixture, and a fixed date.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sotay"));
        cmd.args(args).arg("--root").arg(&self.root);
        if !args.contains(&"--today") && matches!(args.first(), Some(&"build") | Some(&"check")) {
            cmd.args(["--today", "2026-11-29"]);
        }
        cmd.env_remove("SOURCE_DATE_EPOCH");
        Run::from(cmd.output().expect("run sotay"))
    }

    /// `sotay build` into `ROOT/public`.
    pub(crate) fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Reads a file of the built site.
    pub(crate) fn output(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join("public").join(rel))
            .unwrap_or_else(|e| panic!("missing output {rel}: {e}"))
    }

    /// Whether a file of the built site exists.
    pub(crate) fn has_output(&self, rel: &str) -> bool {
        self.root.join("public").join(rel).exists()
    }
}
