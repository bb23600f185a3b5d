//! The integration-test binary: one module per feature, one fixture folder per case under
//! `tests/fixtures/<feature>/<case>/`, each run through the real `sotay` binary.

// Shared by the feature modules; not every module uses every helper.
#[allow(dead_code)]
mod support;

mod cli;
mod content;
mod core;
mod hostile_text;
mod input_errors;
mod legal;
mod output_safety;
mod search;
mod serve;
mod text_properties;
mod theme;
