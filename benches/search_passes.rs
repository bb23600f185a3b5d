//! Times the search index build alone, pass by pass, on a site's search documents: the
//! phase that `sotay build --verbose` shows as `search`, without the rest of the build
//! around it, so that a change to the index can be judged in seconds.
//!
//! ```sh
//! cargo run --release --example search_passes -- /dev/shm/sotay-search-10000 [RUNS]
//! ```
//!
//! Builds the site once in memory (to get the documents), then builds the index RUNS times
//! (default 9) into memory (the files are counted, not written) and prints the median of
//! each pass and of the whole, with the files' count and size.

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

// The allocator and options of the `sotay` binary, so that the figures are the binary's.
sotay::jemalloc_allocator!();

#[path = "harness/site.rs"]
mod site;

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort_unstable();
    v[v.len() / 2].as_secs_f64() * 1e3
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: search_passes SITE [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args
        .next()
        .map_or(9, |r| r.parse().expect("RUNS is a number"));
    site::with_search_docs(&root, |docs| {
        let mut passes: Vec<(&'static str, Vec<Duration>)> = Vec::new();
        let mut totals = Vec::new();
        let files = AtomicUsize::new(0);
        let bytes = AtomicUsize::new(0);
        for _ in 0..runs {
            files.store(0, Ordering::Relaxed);
            bytes.store(0, Ordering::Relaxed);
            let begun = Instant::now();
            let laps = sotay::search::build_index_to(Cow::Borrowed(docs), &|_, b| {
                files.fetch_add(1, Ordering::Relaxed);
                bytes.fetch_add(b.len(), Ordering::Relaxed);
            });
            totals.push(begun.elapsed());
            for (i, (name, d)) in laps.into_iter().enumerate() {
                if passes.len() <= i {
                    passes.push((name, Vec::new()));
                }
                passes[i].1.push(d);
            }
        }
        println!(
            "{} pages, {} files, {} bytes; median of {runs} runs:",
            docs.len(),
            files.load(Ordering::Relaxed),
            bytes.load(Ordering::Relaxed)
        );
        for (name, d) in passes {
            println!("  {name:<8} {:7.1} ms", median(d));
        }
        println!("  {:<8} {:7.1} ms", "index", median(totals));
    });
}
