//! Integration tests: the search index built by `sotay build`, queried by `sotay search`.
//!
//! The ranking expectations live in `tests/fixtures/search/queries.json`, shared with the
//! browser client's tests (`tests/js/`), so both implementations answer to the same cases.

use crate::support::{repo_root, Fixture};
use serde_json::Value;

fn built() -> Fixture {
    let site = Fixture::new("search/site");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

fn search(site: &Fixture, query: &str) -> Vec<Value> {
    let run = site.run(&["search", "--json", "--limit", "10", query]);
    assert_eq!(run.code, 0, "{query}: {}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).expect("--json prints JSON");
    v.as_array().expect("an array").clone()
}

fn page_of(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

/// Checks one case of the shared query set; returns what is wrong, if anything.
fn check(case: &Value, hits: &[Value]) -> Vec<String> {
    let urls: Vec<&str> = hits
        .iter()
        .map(|h| h["url"].as_str().unwrap_or(""))
        .collect();
    let pages: Vec<&str> = urls.iter().map(|u| page_of(u)).collect();
    let mut wrong = Vec::new();
    if let Some(first) = case["first"].as_str() {
        if urls.first() != Some(&first) {
            wrong.push(format!("first should be {first}"));
        }
    }
    if let Some(first) = case["first_page"].as_str() {
        if pages.first() != Some(&first) {
            wrong.push(format!("first page should be {first}"));
        }
    }
    for pair in case["before"].as_array().into_iter().flatten() {
        let (a, b) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
        match (
            pages.iter().position(|p| *p == a),
            pages.iter().position(|p| *p == b),
        ) {
            (Some(x), Some(y)) if x < y => {}
            _ => wrong.push(format!("{a} should come before {b}")),
        }
    }
    for p in case["contains"].as_array().into_iter().flatten() {
        let p = p.as_str().unwrap();
        if !pages.contains(&p) {
            wrong.push(format!("{p} should be found"));
        }
    }
    if let Some(s) = case["snippet"].as_str() {
        let got = hits
            .first()
            .and_then(|h| h["snippet"].as_str())
            .unwrap_or("");
        if !got.contains(s) {
            wrong.push(format!("snippet {got:?} should contain {s:?}"));
        }
    }
    wrong
}

#[test]
fn query_set_ranks_as_each_behaviour_requires() {
    let site = built();
    let text = std::fs::read_to_string(repo_root().join("tests/fixtures/search/queries.json"))
        .expect("query set");
    let set: Value = serde_json::from_str(&text).expect("query set is JSON");
    let mut failures = Vec::new();
    for case in set["cases"].as_array().expect("cases") {
        let q = case["q"].as_str().expect("q");
        let hits = search(&site, q);
        for w in check(case, &hits) {
            let urls: Vec<&str> = hits.iter().filter_map(|h| h["url"].as_str()).collect();
            failures.push(format!("{q:?}: {w}; got {urls:?}"));
        }
        let said = suggestion(&site, q);
        if let Some(want) = case["suggest"].as_str() {
            if said.as_deref() != Some(want) {
                failures.push(format!(
                    "{q:?}: suggestion should be {want:?}, got {said:?}"
                ));
            }
        }
        if case["no_suggest"].as_bool() == Some(true) && said.is_some() {
            failures.push(format!("{q:?}: no suggestion expected, got {said:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The "Có phải bạn muốn tìm" line `sotay search` prints first, if any.
fn suggestion(site: &Fixture, query: &str) -> Option<String> {
    let run = site.run(&["search", "--limit", "3", query]);
    assert_eq!(run.code, 0, "{query}: {}", run.stderr);
    let first = run.stdout.lines().next()?;
    first
        .strip_prefix("Có phải bạn muốn tìm: ")
        .map(str::to_owned)
}

#[test]
fn hits_carry_title_breadcrumb_heading_and_snippet() {
    let site = built();
    let hits = search(&site, "chờ bao lâu");
    let h = &hits[0];
    assert_eq!(h["title"], "Hỏi – đáp: Giao tiếp với người dân");
    assert_eq!(h["heading"], "Tôi phải chờ bao lâu?");
    assert_eq!(h["breadcrumb"][0], "Trang chủ thử nghiệm");
    assert!(h["score"].as_i64().unwrap() > 0);
    let snippet = h["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>chờ</mark>"), "{snippet}");
    let scores: Vec<i64> = hits.iter().map(|h| h["score"].as_i64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
    let text = site.run(&["search", "--limit", "1", "chờ", "bao", "lâu"]);
    assert_eq!(text.code, 0);
    assert!(
        text.stdout.starts_with("1. Hỏi – đáp: Giao tiếp"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("[chờ]"), "{}", text.stdout);
    assert_eq!(search(&site, "chờ bao lâu").len(), hits.len(), "stable");
    let limited = site.run(&["search", "--json", "--limit", "2", "cán", "bộ"]);
    let limited: Value = serde_json::from_str(&limited.stdout).unwrap();
    assert_eq!(limited.as_array().unwrap().len(), 2);
}

#[test]
fn index_files_are_hashed_and_leave_out_the_search_page() {
    let site = built();
    let manifest: Value =
        serde_json::from_str(&site.output("search/manifest.json")).expect("manifest");
    // The search page is not indexed; every other page is.
    assert_eq!(manifest["pages"], 20);
    let dir = manifest["dirs"][0][1].as_str().unwrap();
    assert_eq!(dir.len(), 12);
    assert!(site.has_output(&format!("search/d/{dir}.json")));
    let set = manifest["r"].as_str().unwrap();
    assert!(site.has_output(&format!("search/r/{set}/0-0.json")));
    assert!(search(&site, "gõ từ khóa")
        .iter()
        .all(|h| h["url"] != "/tim-kiem/"));
    let again = built();
    assert_eq!(
        again.output("search/manifest.json"),
        site.output("search/manifest.json"),
        "builds are reproducible"
    );
}

#[test]
fn search_page_works_without_inline_script_and_says_what_to_do_without_it() {
    let site = built();
    let html = site.output("tim-kiem/index.html");
    assert!(
        html.contains(r#"id="sotay-search" action="/tim-kiem/""#),
        "{html}"
    );
    assert!(html.contains(r#"name="q""#));
    assert!(html.contains(r#"aria-live="polite""#));
    assert!(html.contains(r#"<p id="sotay-search-nojs" class="notice">Tìm kiếm cần JavaScript"#));
    assert!(html.contains(r#"href="/van-ban/""#) && html.contains(r#"href="/hoi-dap/""#));
    let script =
        regex::Regex::new(r#"<script type="module" src="(/search\.[0-9a-f]{10}\.js)"></script>"#)
            .unwrap();
    let src = &script.captures(&html).expect("the client module")[1];
    assert!(site.has_output(&src[1..]));
    assert!(
        !html.contains("<script>") && !html.contains(" onclick="),
        "no inline script"
    );
    let other = site.output("bai/con-de/index.html");
    assert!(
        other.contains(r#"role="search""#) && other.contains(r#"action="/tim-kiem/""#),
        "every page has the header search box"
    );
}

#[test]
fn search_without_a_built_index_explains_what_to_do() {
    let site = Fixture::new("search/site");
    let run = site.run(&["search", "văn hóa"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("sotay build"), "{}", run.stderr);
}

#[test]
fn spec_vectors_hold_for_search_words_and_queries() {
    let text = std::fs::read_to_string(repo_root().join("tests/data/vi-text-vectors.json"))
        .expect("vectors");
    let v: Value = serde_json::from_str(&text).expect("vectors are JSON");
    for case in v["syllables"].as_array().expect("syllables") {
        let input = case["input"].as_str().unwrap();
        let words = sotay::search::words(input);
        assert_eq!(words.len(), 1, "{input}");
        assert_eq!(
            words[0].toned,
            case["toned_key"].as_str().unwrap(),
            "{input}"
        );
        assert_eq!(
            words[0].folded,
            case["folded_key"].as_str().unwrap(),
            "{input}"
        );
        // A query of the word looks up its folded key.
        let q = sotay::search::parse_query(input);
        assert_eq!(
            q.terms[0].key,
            format!("1{}", case["folded_key"].as_str().unwrap())
        );
    }
    for case in v["slugs"].as_array().expect("slugs") {
        let input = case["input"].as_str().unwrap();
        assert_eq!(sotay::text::slug(input), case["slug"].as_str().unwrap());
    }
    for case in v["numbers"].as_array().expect("numbers") {
        let input = case["input"].as_str().unwrap();
        let canonical = case["canonical"].as_str().unwrap();
        assert_eq!(
            sotay::text::canonical_number(input).as_deref(),
            Some(canonical)
        );
        let key = format!("1#{}", canonical.to_lowercase());
        let q = sotay::search::parse_query(input);
        assert!(
            q.terms.iter().any(|t| t.key == key),
            "{input}: {:?}",
            q.terms
        );
    }
    for case in v["extract"].as_array().expect("extract") {
        let input = case["input"].as_str().unwrap();
        let got: Vec<String> = sotay::text::extract_numbers(input)
            .into_iter()
            .map(|n| n.canonical)
            .collect();
        let want: Vec<&str> = case["numbers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        assert_eq!(got, want, "{input}");
    }
}

/// Every file under `dir` (relative path, bytes), sorted.
fn files_under(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("readable output"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside the output");
            let bytes = std::fs::read(e.path()).expect("read an output file");
            (rel.to_string_lossy().into_owned(), bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_build_that_measures_the_index_writes_the_same_site_without_it() {
    // `benches/index_share.rs` times builds with and without the index: the difference
    // must be the index and nothing else.
    let site = built();
    let out = site.root.join("without-index");
    let opts = sotay::build::BuildOptions {
        root: site.root.clone(),
        drafts: false,
        base_url: None,
        today: time::macros::date!(2026 - 11 - 29),
    };
    let staging = sotay::output::Staging::begin(&site.root, &out, false).expect("staging");
    let result = sotay::build::build_into_without_index(&opts, &staging);
    assert!(!result.diagnostics.has_errors());
    staging.write_all(&result.files).expect("write the rest");
    staging.commit().expect("commit");
    let with: Vec<(String, Vec<u8>)> = files_under(&site.root.join("public"))
        .into_iter()
        .filter(|(path, _)| !path.starts_with("search/"))
        .collect();
    let without = files_under(&out);
    assert!(with.len() > 10, "the fixture site has pages");
    assert_eq!(
        with.iter().map(|f| &f.0).collect::<Vec<_>>(),
        without.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert!(with == without, "the same bytes apart from search/");
}
