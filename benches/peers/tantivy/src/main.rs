//! sotay's search index next to tantivy's, on the same documents, in one process.
//!
//! ```sh
//! cargo run --release --manifest-path benches/peers/tantivy/Cargo.toml -- SITE OUT [RUNS]
//! ```
//!
//! Builds the site at SITE in memory once (to get the documents `sotay build` indexes), then
//! RUNS times (default 7), alternating, writes each index into a fresh folder under OUT (put
//! OUT on the same file system as a build's output, e.g. /dev/shm; OUT must be new or hold
//! only the `sotay` and `tantivy` folders of an earlier run):
//! - sotay: `build_index_to`, every file written as it is made (what the `search` phase of
//!   `sotay build --verbose` does);
//! - tantivy: one document for each page (its title) and one for each section (heading and
//!   text), every field stored (sotay's result files hold the same text), text fields
//!   indexed with frequencies and positions (for phrase queries), lower-cased and folded to
//!   ASCII (as sotay's keys are); two indexing threads, one commit, merges awaited.
//!
//! Prints the median wall time of each and their ratio. The two are not the same work:
//! tantivy keeps positions and every posting; sotay keeps two-syllable terms instead of
//! positions, the best 512 postings of a list, and each word's toned spellings. The peer
//! says how fast a mature indexer is over the same text on the same machine.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer};
use tantivy::{doc, Index};

sotay::jemalloc_allocator!();

#[path = "../../../harness/site.rs"]
mod site;

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort_unstable();
    v[v.len() / 2].as_secs_f64() * 1e3
}

/// A folder made empty for one run.
fn fresh(dir: &Path) -> PathBuf {
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("remove the previous run's folder");
    }
    std::fs::create_dir_all(dir).expect("create the run's folder");
    dir.to_owned()
}

/// sotay's index, written file by file as `sotay build` writes it.
fn sotay_index(docs: &[sotay::search::SearchDoc], dir: &Path) {
    let made = Mutex::new(std::collections::HashSet::new());
    sotay::search::build_index_to(std::borrow::Cow::Borrowed(docs), &|path, bytes| {
        let target = dir.join(&path);
        let parent = target
            .parent()
            .expect("index files are in folders")
            .to_owned();
        // As the staging folder does: a folder is listed once made, and making it twice at
        // once is harmless.
        if !made.lock().expect("not poisoned").contains(&parent) {
            std::fs::create_dir_all(&parent).expect("create an index folder");
            made.lock().expect("not poisoned").insert(parent);
        }
        std::fs::write(&target, bytes).expect("write an index file");
    });
}

/// tantivy's index of the same documents.
fn tantivy_index(docs: &[sotay::search::SearchDoc], dir: &Path) {
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("vi")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let mut schema = Schema::builder();
    let url = schema.add_text_field("url", STORED);
    let title = schema.add_text_field("title", text.clone());
    let heading = schema.add_text_field("heading", text.clone());
    let body = schema.add_text_field("body", text);
    let index = Index::create_in_dir(dir, schema.build()).expect("create the index");
    index.tokenizers().register(
        "vi",
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
    // A budget large enough that nothing is flushed before the commit.
    let mut writer = index
        .writer_with_num_threads(2, 1 << 30)
        .expect("open a writer");
    for d in docs {
        writer
            .add_document(doc!(url => d.path.clone(), title => d.title.clone()))
            .expect("add a page");
        for s in &d.sections {
            let anchor = s.anchor.as_deref().unwrap_or_default();
            writer
                .add_document(doc!(
                    url => format!("{}#{anchor}", d.path),
                    heading => s.heading.clone(),
                    body => s.text.clone(),
                ))
                .expect("add a section");
        }
    }
    writer.commit().expect("commit");
    writer.wait_merging_threads().expect("merge");
}

fn folder_bytes(dir: &Path) -> (u64, usize) {
    let mut bytes = 0;
    let mut files = 0;
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read a folder") {
            let e = e.expect("a folder entry");
            let meta = e.metadata().expect("an entry's metadata");
            if meta.is_dir() {
                stack.push(e.path());
            } else {
                bytes += meta.len();
                files += 1;
            }
        }
    }
    (bytes, files)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(root), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: tantivy_peer SITE OUT [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args
        .get(2)
        .map_or(7, |r| r.parse().expect("RUNS is a number"));
    let out = PathBuf::from(out);
    // Only ever empties the two folders it makes: OUT must be new or hold nothing else.
    if let Ok(entries) = std::fs::read_dir(&out) {
        for e in entries.flatten() {
            if e.file_name() != "sotay" && e.file_name() != "tantivy" {
                eprintln!(
                    "{} holds {:?}: give a new folder as OUT",
                    out.display(),
                    e.file_name()
                );
                std::process::exit(2);
            }
        }
    }
    site::with_search_docs(root, |docs| {
        let sections: usize = docs.iter().map(|d| d.sections.len()).sum();
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let dir = fresh(&out.join("sotay"));
            let begun = Instant::now();
            sotay_index(docs, &dir);
            ours.push(begun.elapsed());
            let dir = fresh(&out.join("tantivy"));
            let begun = Instant::now();
            tantivy_index(docs, &dir);
            theirs.push(begun.elapsed());
        }
        let (sb, sf) = folder_bytes(&out.join("sotay"));
        let (tb, tf) = folder_bytes(&out.join("tantivy"));
        let (s, t) = (median(ours), median(theirs));
        println!(
            "{} pages, {sections} sections; median of {runs} runs each, alternating:",
            docs.len()
        );
        println!("  sotay    {s:7.1} ms  ({sf} files, {sb} bytes)");
        println!("  tantivy  {t:7.1} ms  ({tf} files, {tb} bytes)");
        println!("  sotay / tantivy: {:.2}", s / t);
    });
}
