//! Integration tests: hostile text (control characters, superlinear inputs, raw HTML).
//!
//! Each site is built in a temporary folder by the test; the assertions are on what the
//! build writes and prints, never on how long it took.

use crate::support::{Fixture, Run};

/// A site with a home page and the given files under `content/`.
fn site(files: &[(&str, &str)]) -> Fixture {
    let site = Fixture::empty();
    site.write(
        "site.yaml",
        "title: \"T\"\nbase_url: \"http://127.0.0.1:1111/\"\n",
    );
    site.write(
        "content/_index.md",
        "---\ntitle: \"Trang chủ\"\ndescription: \"d\"\n---\n\nxin chào\n",
    );
    for (path, text) in files {
        site.write(&format!("content/{path}"), text);
    }
    site
}

fn page(body: &str) -> String {
    format!("---\ntitle: \"A\"\ndescription: \"d\"\n---\n\n{body}")
}

/// Whether a text holds a character a terminal could act on (ESC, C1, C0 but tab and LF).
fn has_terminal_control(text: &str) -> bool {
    text.chars()
        .any(|c| (c < ' ' && c != '\n' && c != '\t') || ('\u{7f}'..='\u{9f}').contains(&c))
}

#[test]
fn control_characters_reach_no_xml_html_or_terminal() {
    let site = site(&[
        (
            "tin/_index.md",
            "---\ntitle: \"Tin\"\ndescription: \"d\"\n---\n",
        ),
        (
            "tin/a.md",
            "---\ntitle: \"Tiêu\\vđề \\e[31mđỏ\\e[0m \\0x\"\ndescription: \"d\"\nkind: news\n\
             date: 2026-01-02\n---\n\nA\u{0}B \u{7} C\u{b}D \u{1b}[2J tiêu\n",
        ),
    ]);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let feed = site.output("atom.xml");
    assert!(
        !feed.chars().any(|c| c < ' ' && c != '\n'),
        "atom.xml holds a character XML forbids: {feed:?}"
    );
    assert!(
        feed.contains("<title>Tiêu đề  [31mđỏ [0m \u{fffd}x</title>"),
        "{feed}"
    );
    let html = site.output("tin/a/index.html");
    assert!(!html.contains('\0'), "NUL reached the HTML");
    assert!(html.contains("A\u{fffd}B"), "{html}");
    // One warning, at the first control character of the file, with the count.
    assert!(!has_terminal_control(&run.stderr), "{:?}", run.stderr);
    assert_eq!(
        run.stderr.matches("tệp chứa ký tự điều khiển").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/tin/a.md:8:5"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("U+0007 (cả tệp có 3 ký tự điều khiển)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("\\u{1b}[2J"), "{}", run.stderr);
    let found = site.run(&["search", "tiêu"]);
    assert_eq!(found.code, 0, "{}", found.stderr);
    assert!(found.stdout.contains("/tin/a/"), "{}", found.stdout);
    assert!(!has_terminal_control(&found.stdout), "{:?}", found.stdout);
    assert!(found.stdout.contains("\\u{1b}[31m"), "{}", found.stdout);
}

/// The run's stderr, asserting it failed with content errors.
fn failed(run: &Run) -> &str {
    assert_eq!(run.code, 1, "{}", run.stderr);
    &run.stderr
}

#[test]
fn twenty_thousand_identical_headings_get_numbered_anchors() {
    let site = site(&[("a.md", &page(&"## x\n\n".repeat(20_000)))]);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.output("a/index.html");
    let ids: Vec<&str> = html
        .split("<h2 id=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').expect("closing quote")])
        .collect();
    let want: Vec<String> = std::iter::once("x".to_owned())
        .chain((1..20_000).map(|n| format!("x-{n}")))
        .collect();
    assert_eq!(ids, want);
}

/// How many broken-link errors a `--verbose` run printed (one headline each).
fn link_errors(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|l| l.starts_with("lỗi: liên kết"))
        .count()
}

#[test]
fn every_broken_link_is_reported_at_its_own_line() {
    let site = site(&[("a.md", &page(&"[a](khong-co.md)\n".repeat(16_000)))]);
    let run = site.run(&["check", "--verbose"]);
    let stderr = failed(&run);
    assert_eq!(link_errors(stderr), 16_000);
    // The body starts on line 6; the last link is on line 6 + 15,999.
    for line in [6, 7, 8_006, 16_005] {
        let at = format!("content/a.md:{line}:1\n");
        assert!(stderr.contains(&at), "no error at {at}");
    }
}

#[test]
fn links_on_one_long_line_print_a_bounded_excerpt_each() {
    let line = "[a](khong-co.md) ".repeat(16_000);
    let site = site(&[("a.md", &page(&format!("{line}\n")))]);
    let run = site.run(&["check", "--verbose"]);
    let stderr = failed(&run);
    assert_eq!(link_errors(stderr), 16_000);
    // A diagnostic is a few short lines: far below one copy of the 270 KB line each.
    assert!(
        stderr.len() < 16_000 * 800,
        "stderr is {} bytes",
        stderr.len()
    );
    let longest = stderr.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest < 200, "a line of {longest} characters");
    let last_column = 17 * 15_999 + 1;
    assert!(
        stderr.contains(&format!("content/a.md:6:{last_column}\n")),
        "the last link's column is missing"
    );
}

#[test]
fn a_hundred_thousand_unclosed_brackets_are_one_located_error() {
    let site = site(&[(
        "a.md",
        &format!("---\ntitle: {}\n---\n\nx\n", "[".repeat(100_000)),
    )]);
    let run = site.run(&["check"]);
    let stderr = failed(&run);
    assert_eq!(stderr.matches("┌─").count(), 1, "{stderr}");
    assert!(stderr.contains("content/a.md:2:264"), "{stderr}");
    assert!(stderr.contains("lồng nhau chưa đóng"), "{stderr}");
    assert!(stderr.len() < 2_000, "{stderr}");
}

#[test]
fn twenty_thousand_unknown_keys_are_each_reported_at_their_line() {
    let keys: String = (0..20_000).map(|i| format!("k{i}: 1\n")).collect();
    let site = site(&[("a.md", &format!("---\ntitle: \"A\"\n{keys}---\n\nx\n"))]);
    let run = site.run(&["check"]);
    let stderr = failed(&run);
    assert_eq!(
        stderr.matches("không được dùng trong front matter").count(),
        20_000
    );
    // Each error is followed by its location (codespan's gutter widens with the number).
    for (key, line) in [(0, 3), (19_999, 20_002)] {
        let message = format!("khóa `k{key}` không được dùng trong front matter\n");
        let after = &stderr[stderr.find(&message).expect("the key is reported")..];
        let location = after.lines().nth(1).expect("a location line");
        assert!(
            location.ends_with(&format!("┌─ content/a.md:{line}:1")),
            "{location}"
        );
    }
}

const RAW_HTML: &str = "<script>alert(1)</script>\n\n<img src=\"x.png\" onerror=\"alert(2)\">\n\n\
[x](javascript:alert(3)) ![y](data:text/html,zz)\n\n<details><summary>Xem</summary>\n\n\
<abbr title=\"Ủy ban\">UB</abbr> <sup>1</sup><br>\n\n</details>\n";

#[test]
fn raw_html_is_filtered_with_a_located_warning_each() {
    let site = site(&[("a.md", &page(RAW_HTML))]);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.output("a/index.html");
    // The page body only: the theme has its own (external) script tag.
    let html = page
        .split("<div class=\"prose\">")
        .nth(1)
        .and_then(|rest| rest.split("</article>").next())
        .expect("a prose block");
    for gone in ["<script", "alert(", "onerror", "javascript:", "data:text"] {
        assert!(!html.contains(gone), "{gone} reached the page");
    }
    for kept in [
        "<img src=\"x.png\">",
        "<details><summary>Xem</summary>",
        "<abbr title=\"Ủy ban\">UB</abbr> <sup>1</sup><br>",
        "</details>",
        "<p>x y</p>",
    ] {
        assert!(html.contains(kept), "{kept} missing");
    }
    for (at, what) in [
        ("content/a.md:6:1", "đã bỏ thẻ <script> và nội dung của nó"),
        ("content/a.md:8:1", "đã bỏ thuộc tính `onerror` của <img>"),
        ("content/a.md:10:1", "đã bỏ liên kết `javascript:alert(3)`"),
        ("content/a.md:10:26", "đã bỏ liên kết `data:text/html,zz`"),
    ] {
        let warning = format!("cảnh báo: {what}");
        let after = &run.stderr[run.stderr.find(&warning).expect(what)..];
        let location = after.lines().nth(1).expect("a location line");
        assert!(location.ends_with(at), "{what}: {location}");
    }
    assert_eq!(
        run.stderr.matches("cảnh báo: đã bỏ").count(),
        4,
        "{}",
        run.stderr
    );
}

#[test]
fn a_site_can_opt_out_of_the_raw_html_filter() {
    let site = site(&[("a.md", &page(RAW_HTML))]);
    site.write(
        "site.yaml",
        "title: \"T\"\nbase_url: \"http://127.0.0.1:1111/\"\nmarkdown:\n  unsafe_html: true\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("đã bỏ"), "{}", run.stderr);
    let html = site.output("a/index.html");
    for kept in [
        "<script>alert(1)</script>",
        "onerror=\"alert(2)\"",
        "href=\"javascript:alert(3)\"",
    ] {
        assert!(html.contains(kept), "{kept} missing");
    }
}

#[test]
fn every_themed_page_carries_a_strict_csp_its_markup_obeys() {
    let site = Fixture::bundled();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(site.root.join("public")) {
        let entry = entry.expect("readable output");
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).expect("utf-8 page");
        if html.contains("http-equiv=\"refresh\"") {
            continue; // alias redirects: no theme, no script
        }
        pages += 1;
        let head = &html[..html.find("</head>").expect("a head")];
        let csp = head
            .find("<meta http-equiv=\"Content-Security-Policy\"")
            .unwrap_or_else(|| panic!("no CSP in {}", entry.path().display()));
        // Before anything it governs, and strict about scripts.
        assert!(csp < head.find("<link").unwrap_or(usize::MAX));
        assert!(csp < head.find("<script").unwrap_or(usize::MAX));
        assert!(head.contains("script-src 'self';"));
        assert!(head.contains("object-src 'none'"));
        // Nothing the policy forbids: no inline script (JSON-LD is data) and no style element.
        for script in html.split("<script").skip(1) {
            let tag = &script[..script.find('>').expect("closed tag")];
            assert!(
                tag.contains(" src=") || tag.contains("application/ld+json"),
                "inline script in {}",
                entry.path().display()
            );
        }
        assert!(!html.contains("<style"), "{}", entry.path().display());
        assert!(!html.contains(" onclick=") && !html.contains(" onload="));
    }
    assert!(pages > 30, "only {pages} pages");
}
