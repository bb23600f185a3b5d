//! The integration-test binary: one module per feature, one fixture folder per case under
//! `tests/fixtures/<feature>/<case>/`, each run through the real `sotay` binary.

mod support;

mod content;
mod core;
mod legal;
mod search;
mod serve;
mod theme;
