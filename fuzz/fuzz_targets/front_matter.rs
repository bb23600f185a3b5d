//! Front matter of a content file: decoding, YAML, field validation, diagnostics.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| sotay::fuzzing::front_matter(data));
