//! Integration tests: what a build says about broken input (front matter, YAML, relations
//! between documents, legacy Vietnamese encodings, look-alike characters in numbers), each
//! located once at the right place.

use crate::support::{Fixture, Run};

/// A site with a home page; the test adds the files under test.
fn site() -> Fixture {
    let f = Fixture::empty();
    f.write("site.yaml", "title: \"Thử\"\n");
    f.write(
        "content/_index.md",
        "---\ntitle: \"Trang chủ\"\ndescription: \"Mô tả\"\n---\nXin chào.\n",
    );
    f
}

/// The `error:` / `warning:` headlines of a run, each with the location line that follows.
fn headlines(run: &Run, severity: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = run.stderr.lines().collect();
    let prefix = format!("{severity}: ");
    lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let message = l.strip_prefix(&prefix)?;
            let at = lines
                .get(i + 1)
                .and_then(|n| n.trim_start().strip_prefix("┌─ "))
                .unwrap_or("");
            Some((message.to_owned(), at.to_owned()))
        })
        .collect()
}

fn errors(run: &Run) -> Vec<(String, String)> {
    headlines(run, "error")
}

/// Asserts exactly one error, at `at`, whose message contains `needle`.
fn one_error(run: &Run, at: &str, needle: &str) {
    assert_eq!(run.code, 1, "{}", run.stderr);
    let all = errors(run);
    assert_eq!(all.len(), 1, "{}", run.stderr);
    assert_eq!(all[0].1, at, "{}", run.stderr);
    assert!(all[0].0.contains(needle), "{}", run.stderr);
}

#[test]
fn unclosed_front_matter_is_not_called_missing() {
    let f = site();
    f.write("content/a.md", "---\ntitle: \"A\"\n\nNội dung.\n");
    let run = f.run(&["check"]);
    one_error(&run, "content/a.md:1:1", "không có dòng `---` đóng lại");
    assert!(!run.stderr.contains("thiếu front matter"), "{}", run.stderr);
}

#[test]
fn yaml_errors_show_one_position_and_the_colon_hint_only_for_colons() {
    let f = site();
    f.write("content/a.md", "---\ntitle: Quy định: mới\n---\n");
    let run = f.run(&["check"]);
    one_error(&run, "content/a.md:2:16", "`: `");
    assert!(!run.stderr.contains("line 1"), "{}", run.stderr);
    assert!(run.stderr.contains("ngoặc kép, ví dụ"), "{}", run.stderr);

    let f = site();
    f.write("content/a.md", "---\ntitle: \"A\"\ntopics: [a, b\n---\n");
    let run = f.run(&["check"]);
    one_error(&run, "content/a.md:3:9", "không đóng bằng `]`");
    assert!(!run.stderr.contains("line"), "{}", run.stderr);
    assert!(!run.stderr.contains("ngoặc kép"), "{}", run.stderr);

    let f = site();
    f.write("content/a.md", "---\ntitle: \"A\"\ntitle: \"B\"\n---\n");
    one_error(
        &f.run(&["check"]),
        "content/a.md:3:1",
        "`title` được viết hai lần",
    );
}

#[test]
fn a_page_whose_front_matter_failed_still_exists_for_links() {
    let f = site();
    f.write("content/a.md", "---\ntitle: Sai: cú pháp\n---\n");
    f.write(
        "content/b.md",
        "---\ntitle: \"B\"\ndescription: \"d\"\n---\nXem [A](a.md) và [C](c.md).\n",
    );
    let run = f.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let all = errors(&run);
    assert_eq!(all.len(), 2, "{}", run.stderr);
    assert_eq!(all[0].1, "content/a.md:2:11", "{}", run.stderr);
    assert!(all[1].0.contains("content/c.md"), "{}", run.stderr);
    assert_eq!(all[1].1, "content/b.md:5:18", "{}", run.stderr);
}
