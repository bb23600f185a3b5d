//! Integration tests: legal.
