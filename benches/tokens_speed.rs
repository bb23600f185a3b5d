//! Times `sotay::text::tokens`, the scan every byte of a site's text goes through when the
//! search index is built, over the Markdown files under a folder, on one thread.
//!
//! ```sh
//! cargo run --release --example tokens_speed -- /dev/shm/sotay-bench-10000/content
//! ```
//!
//! Prints the text size, the token count and the best of seven runs (time, ns per token,
//! MB/s).

use std::time::Instant;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: tokens_speed FOLDER");
        std::process::exit(2);
    };
    let mut text = String::new();
    for entry in walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_some_and(|x| x == "md") {
            match std::fs::read_to_string(entry.path()) {
                Ok(t) => text.push_str(&t),
                Err(e) => eprintln!("{}: {e}", entry.path().display()),
            }
        }
    }
    let mut best = f64::MAX;
    let mut count = 0;
    for _ in 0..7 {
        let begun = Instant::now();
        count = 0usize;
        let mut sum = 0usize;
        for token in sotay::text::tokens(&text) {
            count += 1;
            sum = sum.wrapping_add(token.start ^ token.text.len());
        }
        std::hint::black_box(sum);
        best = best.min(begun.elapsed().as_secs_f64());
    }
    println!(
        "{:.1} MB, {count} tokens: {:.1} ms, {:.1} ns/token, {:.0} MB/s (best of 7)",
        text.len() as f64 / 1e6,
        best * 1e3,
        best * 1e9 / count.max(1) as f64,
        text.len() as f64 / best / 1e6
    );
}
