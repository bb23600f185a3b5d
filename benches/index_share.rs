//! What the search index adds to a whole build: `sotay build` of one site with the index and
//! without it, taking turns, each build in a process of its own (as `sotay build` runs).
//!
//! ```sh
//! cargo run --release --example index_share -- /dev/shm/sotay-search-10000 /dev/shm/sotay-share-out [RUNS]
//! ```
//!
//! RUNS (default 9) pairs of builds, the order turning each pair; each writes the site into OUT
//! through a staging folder, as `sotay build --output OUT` does, after removing the previous
//! build's OUT (untimed; only a folder with sotay's marker file, an empty one is kept). Prints
//! the median wall time of each kind, process start and exit included, and what the index adds:
//! the issue's "index build adds X % to the build time", measured rather than read off the
//! `search` phase of `--verbose`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

// The allocator and options of the `sotay` binary, so that the figures are the binary's.
sotay::jemalloc_allocator!();

/// One build, in this process: `--one with|without SITE OUT`.
fn one(index: bool, root: PathBuf, out: PathBuf) -> ExitCode {
    let opts = sotay::build::BuildOptions {
        root: root.clone(),
        drafts: false,
        base_url: None,
        today: time::macros::date!(2026 - 11 - 29),
    };
    let staging = match sotay::output::Staging::begin(&root, &out, false) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let result = if index {
        sotay::build::build_into(&opts, &staging)
    } else {
        sotay::build::build_into_without_index(&opts, &staging)
    };
    if result.diagnostics.has_errors() {
        for d in result.diagnostics.iter() {
            eprint!("{}", d.render());
        }
        return ExitCode::from(1);
    }
    if let Err(e) = staging
        .write_all(&result.files)
        .and_then(|()| staging.commit())
    {
        eprintln!("{e}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// Removes `out` when it is an earlier build's output (it holds sotay's marker file); an
/// empty folder is kept, as `sotay build` would; any other folder is left alone and refused.
fn clear(out: &Path) -> Result<(), String> {
    let empty = std::fs::read_dir(out).map(|mut d| d.next().is_none());
    if !out.exists() || empty.unwrap_or(false) {
        return Ok(());
    }
    if !out.join(sotay::output::MARKER).exists() {
        return Err(format!(
            "{} is not a sotay output: give a new folder as OUT",
            out.display()
        ));
    }
    std::fs::remove_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))
}

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort_unstable();
    v[v.len() / 2].as_secs_f64() * 1e3
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, kind, root, out] = &args[..] {
        if flag == "--one" {
            return one(kind == "with", root.into(), out.into());
        }
    }
    let (Some(root), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: index_share SITE OUT [RUNS]");
        return ExitCode::from(2);
    };
    let runs: usize = args
        .get(2)
        .map_or(9, |r| r.parse().expect("RUNS is a number"));
    if runs == 0 {
        eprintln!("RUNS must be at least 1");
        return ExitCode::from(2);
    }
    let out = PathBuf::from(out);
    let me = std::env::current_exe().expect("the harness's own path");
    let mut times = [Vec::new(), Vec::new()];
    for run in 0..runs {
        let order = if run % 2 == 0 { [0, 1] } else { [1, 0] };
        for kind in order {
            // Into an empty folder, as the build benchmarks do: replacing the previous output
            // would time the removal of the other kind's files.
            if let Err(e) = clear(&out) {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
            let begun = Instant::now();
            let status = Command::new(&me)
                .args(["--one", ["with", "without"][kind], root])
                .arg(&out)
                .status()
                .expect("start a build");
            if !status.success() {
                eprintln!("a build failed ({status})");
                return ExitCode::from(1);
            }
            times[kind].push(begun.elapsed());
        }
    }
    let [with, without] = times.map(median);
    println!(
        "builds of {root} (median of {runs} each, taking turns): with the index {with:.0} ms, \
         without {without:.0} ms; the index adds {:.0} %",
        100.0 * (with / without - 1.0)
    );
    ExitCode::SUCCESS
}
