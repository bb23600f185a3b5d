//! Building the search index in the background, after the pages are served.
//!
//! On a large site the index takes longer to build than every page together (seconds for
//! ten thousand pages), so a save must not wait for it: the rebuild publishes the pages and
//! tells browsers to reload at once, with the previous index still served; this thread then
//! builds the new index and swaps it in. It waits for a short quiet spell first and always
//! takes the newest build's documents, so a burst of saves costs one index, not one each.
//! It runs on a single thread, leaving the other cores to rebuilds and page requests, and
//! keeps the index live ([`LiveIndex`]): after a text edit it redoes only the terms, shards
//! and result files the edit touched (tens of milliseconds on ten thousand pages), and
//! builds the whole index only when pages come or go or the site's scale moves.

use super::server::Shared;
use crate::build::SearchJob;
use crate::output::{FileContent, SiteFiles};
use crate::search::LiveIndex;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long the site must be quiet before the index is rebuilt.
const QUIET: Duration = Duration::from_millis(300);

/// Hands search jobs to the indexing thread; a newer job replaces one not yet started.
pub struct Indexer {
    next: Mutex<Option<(SearchJob, Instant)>>,
    wake: Condvar,
}

impl Indexer {
    /// Starts the indexing thread.
    pub fn start(shared: Arc<Shared>, verbose: bool) -> Arc<Self> {
        let indexer = Arc::new(Self {
            next: Mutex::new(None),
            wake: Condvar::new(),
        });
        let worker = Arc::clone(&indexer);
        let spawned = std::thread::Builder::new()
            .name("sotay-search-index".into())
            .spawn(move || worker.run(&shared, verbose));
        if let Err(e) = spawned {
            eprintln!("cảnh báo: không chạy được luồng dựng chỉ mục tìm kiếm: {e}");
        }
        indexer
    }

    /// Queues the index of the build just published.
    pub fn submit(&self, job: SearchJob) {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        *next = Some((job, Instant::now()));
        self.wake.notify_one();
    }

    fn take(&self) -> SearchJob {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            match next.as_ref().map(|(_, at)| at.elapsed()) {
                Some(waited) if waited >= QUIET => {
                    if let Some((job, _)) = next.take() {
                        return job;
                    }
                }
                Some(waited) => {
                    next = self
                        .wake
                        .wait_timeout(next, QUIET - waited)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
                None => next = self.wake.wait(next).unwrap_or_else(|e| e.into_inner()),
            }
        }
    }

    fn run(&self, shared: &Shared, verbose: bool) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "sotay-search-index".into())
            .build();
        // Kept from job to job: a text edit updates only what it touched.
        let mut live: Option<LiveIndex> = None;
        loop {
            let job = self.take();
            let started = Instant::now();
            let publish = |files: crate::search::Files| {
                let mut index = SiteFiles::default();
                for (path, bytes) in files {
                    index.insert(path, FileContent::Shared(bytes));
                }
                shared.replace_search(Arc::new(index));
            };
            let ms = |at: Instant| at.elapsed().as_secs_f64() * 1000.0;
            let work = || {
                job.with_docs(|docs| {
                    if let Some(index) = live.as_mut() {
                        if let Ok(u) = index.update(docs) {
                            publish(index.files());
                            if verbose {
                                eprintln!(
                                    "  chỉ mục tìm kiếm cập nhật sau {:.0} ms: {} trang đổi, viết lại {}/{} mảnh",
                                    ms(started), u.pages, u.shards, u.total_shards
                                );
                            }
                            return;
                        }
                    }
                    // Pages came or went (or the first index): the batch build serves the
                    // new index soonest, then the live index is made for the next edits
                    // (it takes a few times longer; both write the same files).
                    drop(live.take());
                    let files = crate::search::build_index(docs);
                    publish(files.into_iter().map(|(p, b)| (p, b.into())).collect());
                    if verbose {
                        eprintln!("  chỉ mục tìm kiếm mới sau {:.0} ms", ms(started));
                    }
                    let kept = Instant::now();
                    live = LiveIndex::build(docs).ok();
                    if verbose && live.is_some() {
                        eprintln!("  giữ chỉ mục tìm kiếm để cập nhật từng trang: {:.0} ms", ms(kept));
                    }
                })
            };
            match &pool {
                Ok(pool) => pool.install(work),
                Err(_) => work(),
            }
        }
    }
}
