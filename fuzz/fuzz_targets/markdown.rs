//! A page body through both Markdown passes, raw HTML filter and citation linking.
#![no_main]
libfuzzer_sys::fuzz_target!(|body: &str| sotay::fuzzing::markdown(body));
