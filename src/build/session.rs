//! Rebuilding the same site again and again (`serve`): a build session that remembers
//! what it can between builds.

use super::{build, BuildOptions, BuildResult};

/// What changed on disk since the previous build of a [`Session`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// Unknown: re-read everything.
    Everything,
    /// These paths, relative to the root (`content/a.md`, `content/new-folder`), were
    /// created, modified or removed. `site.yaml`, templates and static files are re-read
    /// on every build whether listed or not.
    Paths(Vec<String>),
}

/// A site built repeatedly with the same options.
pub struct Session {
    opts: BuildOptions,
}

impl Session {
    /// A session that has not built yet.
    pub fn new(opts: BuildOptions) -> Self {
        Self { opts }
    }

    /// The build options.
    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// Changes the base URL for the next builds (`serve` follows `site.yaml`'s base path).
    pub fn set_base_url(&mut self, url: Option<String>) {
        self.opts.base_url = url;
    }

    /// Builds the site as it is now on disk.
    pub fn rebuild(&mut self, _changed: &Changed) -> BuildResult {
        build(&self.opts)
    }
}
