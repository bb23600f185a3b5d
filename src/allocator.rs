//! The memory allocator of sotay's programs, as one macro that the `sotay` binary and the
//! benchmark harnesses invoke, so that a benchmark measures what the binary does. A library
//! should not choose its users' allocator, so this only defines it for the program that asks.

#[cfg(not(target_env = "msvc"))]
#[doc(hidden)]
pub use tikv_jemallocator::Jemalloc;

/// Makes jemalloc the global allocator, with sotay's options.
///
/// jemalloc instead of the system allocator: a build makes and frees millions of small
/// strings and vectors from both cores (template values, Markdown events, search records);
/// glibc's malloc spent ~13 % of a 10,000-page build's CPU time in its own code, and
/// jemalloc's thread caches make the whole build 7–9 % faster at about 4 % more peak memory
/// (`benches/build.sh`; mimalloc was faster still but took 35 % more memory).
///
/// jemalloc's options are compiled in (jemalloc reads the `_rjem_malloc_conf` symbol at
/// start-up; the `_RJEM_MALLOC_CONF` environment variable still overrides it, `thp:default`
/// undoes the first). A 10,000-page build touched ~290 MB once (~75,000 page faults, ~10 %
/// of its CPU time) and then waited for the kernel to free those pages on one core at exit.
/// - `thp:always`: jemalloc asks for transparent huge pages (2 MB) for its memory, so a
///   fault maps 512 pages at once and exit frees a few hundred pages, not tens of thousands.
/// - `narenas:1`: every thread shares one arena (the thread caches keep that cheap), so
///   there are few half-used huge pages; with the default (8 on two cores) peak memory
///   grew by ~25 MB.
///
/// On 10,000 pages (`benches/compare.sh`, interleaved, three comparisons): 0.92 s → 0.89 s
/// (21 runs), 0.95 s → 0.87 s (15 runs), 0.98 s → 0.95 s (11 runs); system CPU ~0.49 s →
/// ~0.41 s each time; peak RSS 254 MB → 266 MB. Linux only: elsewhere jemalloc has no `thp`.
#[macro_export]
macro_rules! jemalloc_allocator {
    () => {
        #[cfg(not(target_env = "msvc"))]
        #[global_allocator]
        static ALLOCATOR: $crate::allocator::Jemalloc = $crate::allocator::Jemalloc;

        #[cfg(all(target_os = "linux", not(target_env = "msvc")))]
        #[export_name = "_rjem_malloc_conf"]
        static JEMALLOC_OPTIONS: &[u8; 21] = b"thp:always,narenas:1\0";
    };
}
