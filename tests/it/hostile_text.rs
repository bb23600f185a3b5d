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
