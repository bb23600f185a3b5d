//! What the search harnesses share: a site's search documents, as `sotay build` would index
//! them (included with `#[path]` by `search_passes.rs` and `search_fidelity.rs`).

use sotay::build::{BuildOptions, Changed, Session};
use sotay::search::SearchDoc;

/// Builds the site at `root` in memory (dated 2026-11-29, like the benchmarks' builds) and
/// runs `f` on its search documents; prints the site's errors and exits if it has any.
pub(crate) fn with_search_docs<R>(root: &str, f: impl FnOnce(&[SearchDoc]) -> R) -> R {
    let opts = BuildOptions {
        root: root.into(),
        drafts: false,
        base_url: None,
        today: time::macros::date!(2026 - 11 - 29),
    };
    let mut session = Session::new(opts).defer_search(true);
    let built = session.rebuild(&Changed::Everything);
    if built.diagnostics.has_errors() {
        for d in built.diagnostics.iter() {
            eprint!("{}", d.render());
        }
        std::process::exit(1);
    }
    let job = session
        .search_job()
        .expect("a first build leaves a search job");
    job.with_docs(f)
}
