//! sotay: a static knowledge-site generator for Vietnamese legal and public-service content.
//!
//! The library holds every capability; the `sotay` binary only parses arguments and prints.
//! See ARCHITECTURE.md for the pipeline and the invariants between modules.

pub mod allocator;
pub mod build;
pub mod characters;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod feeds;
pub mod fields;
pub mod fix_encoding;
pub mod frontmatter;
#[doc(hidden)]
pub mod fuzzing;
pub mod glossary;
pub mod init;
pub mod laps;
pub mod legal;
pub mod links;
pub mod load;
pub mod markdown;
pub mod output;
pub mod raw_html;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod text;
pub mod theme;
pub mod yaml;

/// The build date: `--today`, else `SOURCE_DATE_EPOCH` (reproducible builds), else the clock.
pub fn resolve_today(flag: Option<&str>) -> Result<time::Date, String> {
    if let Some(text) = flag {
        return fields::parse_date(text)
            .ok_or_else(|| format!("--today phải là ngày dạng YYYY-MM-DD, không phải `{text}`"));
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH phải là số giây, không phải `{epoch}`"))?;
        return time::OffsetDateTime::from_unix_timestamp(secs)
            .map(|t| t.date())
            .map_err(|e| format!("SOURCE_DATE_EPOCH không hợp lệ: {e}"));
    }
    Ok(time::OffsetDateTime::now_utc().date())
}
