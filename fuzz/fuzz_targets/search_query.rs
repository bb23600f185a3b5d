//! A search query as typed into the search box or `sotay search`.
#![no_main]
libfuzzer_sys::fuzz_target!(|query: &str| sotay::fuzzing::search_query(query));
