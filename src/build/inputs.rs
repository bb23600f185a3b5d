//! The build's inputs: configuration, the environment every page depends on (hashed, so a
//! session knows what it cannot reuse), front matter, and the hashed names of static files.

use super::state::Parsed;
use super::BuildOptions;
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{FileContent, SiteFiles};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Loads and validates configuration, applying command-line overrides; also returns the
/// text, which a session hashes.
pub(super) fn load_config(
    opts: &BuildOptions,
    diagnostics: &mut Diagnostics,
) -> (Option<SiteConfig>, Option<Arc<str>>) {
    let text = match crate::load::read_config(&opts.root) {
        Ok(t) => t,
        Err(d) => {
            diagnostics.push(d);
            return (None, None);
        }
    };
    match crate::config::parse("site.yaml", &text) {
        Ok(mut c) => {
            if let Some(url) = &opts.base_url {
                c.set_base_url(url);
            }
            (Some(c), Some(text))
        }
        Err(ds) => {
            diagnostics.extend(ds);
            (None, Some(text))
        }
    }
}

/// Hashes of what every page depends on, so a session knows what it cannot reuse: the
/// Markdown of pages depends on configuration and options; their templates also on the
/// templates and static files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Environment {
    /// Configuration and options.
    pub(super) content: blake3::Hash,
    /// The same, with templates and static files.
    pub(super) all: blake3::Hash,
}

pub(super) fn environment(
    opts: &BuildOptions,
    config_text: Option<&str>,
    theme: Option<&Result<crate::theme::Theme, Vec<Diagnostic>>>,
) -> Option<Environment> {
    let Some(Ok(theme)) = theme else {
        return None;
    };
    let mut h = blake3::Hasher::new();
    h.update(config_text?.as_bytes());
    h.update(format!("\0{:?}|{:?}|{}\0", opts.base_url, opts.today, opts.drafts).as_bytes());
    let content = h.finalize();
    for t in &theme.templates {
        h.update(t.name.as_bytes());
        h.update(b"\0");
        h.update(t.display_path.as_bytes());
        h.update(b"\0");
        h.update(t.text.as_bytes());
        h.update(b"\0");
    }
    for (name, content) in &theme.statics {
        h.update(name.as_bytes());
        h.update(b"\0");
        h.update(&content.read().ok()?);
        h.update(b"\0");
    }
    Some(Environment {
        content,
        all: h.finalize(),
    })
}

/// Parses front matter of every source in parallel, reusing a previous parse of the same
/// text. Returns the pages that parsed, every parse (for the next build), and the content
/// paths of the files whose front matter failed (they still exist for link checking).
#[allow(clippy::type_complexity)]
pub(super) fn parse_sources(
    sources: Vec<crate::load::SourceFile>,
    previous: Option<&HashMap<String, Parsed>>,
    diagnostics: &mut Diagnostics,
) -> (
    Vec<(
        crate::load::SourceFile,
        crate::frontmatter::FrontMatter,
        usize,
    )>,
    HashMap<String, Parsed>,
    HashSet<String>,
) {
    let results: Vec<(crate::load::SourceFile, Parsed)> = sources
        .into_par_iter()
        .map(|s| {
            let kept = previous
                .and_then(|p| p.get(&s.content_path))
                .filter(|p| Arc::ptr_eq(&p.text, &s.text));
            let parsed = match kept {
                Some(p) => p.clone(),
                None => {
                    let (result, diagnostics) = crate::frontmatter::parse(&s);
                    Parsed {
                        text: Arc::clone(&s.text),
                        result,
                        diagnostics,
                    }
                }
            };
            (s, parsed)
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut all = HashMap::with_capacity(if previous.is_some() { results.len() } else { 0 });
    let mut unparsed = HashSet::new();
    for (source, parsed) in results {
        let failed = parsed
            .diagnostics
            .iter()
            .any(|d| d.severity == crate::diagnostics::Severity::Error);
        if failed {
            unparsed.insert(source.content_path.clone());
        }
        if previous.is_none() {
            // Nothing is kept for a next build: move, not copy (ten thousand front matters).
            diagnostics.extend(parsed.diagnostics);
            if let Some((fm, body)) = parsed.result.filter(|_| !failed) {
                pages.push((source, fm, body));
            }
            continue;
        }
        diagnostics.extend(parsed.diagnostics.iter().cloned());
        if let Some((fm, body)) = &parsed.result {
            if !failed {
                pages.push((source.clone(), fm.clone(), *body));
            }
        }
        all.insert(source.content_path, parsed);
    }
    (pages, all, unparsed)
}

/// Hashes static CSS and JS into their names so they can be cached forever.
pub(super) fn hashed_statics(
    config: &SiteConfig,
    statics: &[(String, FileContent)],
    files: &mut SiteFiles,
) -> std::io::Result<serde_json::Map<String, Value>> {
    let mut assets = serde_json::Map::new();
    for (name, content) in statics {
        let hashable = name.ends_with(".css") || name.ends_with(".js") || name.ends_with(".mjs");
        let out_name = if hashable {
            let bytes = content.read()?;
            let hash = blake3::hash(&bytes).to_hex();
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
            format!("{stem}.{}.{ext}", &hash[..10])
        } else {
            name.clone()
        };
        assets.insert(
            name.clone(),
            Value::String(config.url(&format!("/{out_name}"))),
        );
        files.insert(out_name, content.clone());
    }
    Ok(assets)
}
