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
    let prefix = match severity {
        "error" => "lỗi: ",
        _ => "cảnh báo: ",
    };
    lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let message = l.strip_prefix(prefix)?;
            // The closing summary lines are not diagnostics.
            if message.starts_with("thất bại: ") || message.starts_with("tổng cộng ") {
                return None;
            }
            // With an excerpt the location is on the next line; without one (a file that
            // could not be read) it starts the headline.
            if let Some(at) = lines
                .get(i + 1)
                .and_then(|n| n.trim_start().strip_prefix("┌─ "))
            {
                return Some((message.to_owned(), at.to_owned()));
            }
            let (at, rest) = message.split_once(": ").unwrap_or(("", message));
            Some((rest.to_owned(), at.to_owned()))
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

/// A document page `content/van-ban/NAME.md` with `extra` front-matter lines.
fn document(f: &Fixture, name: &str, number: &str, extra: &str) {
    f.write(
        &format!("content/van-ban/{name}.md"),
        format!(
            "---\ntitle: \"Văn bản {name}\"\ndescription: \"d\"\nkind: document\n\
             number: \"{number}\"\n{extra}---\nNội dung.\n"
        ),
    );
}

#[test]
fn a_replacement_loop_of_three_documents_is_one_located_error() {
    let f = site();
    document(
        &f,
        "a",
        "1/2020/QH14",
        "effective: 2020-01-01\nreplaces: [\"2/2020/QH14\"]\n",
    );
    document(
        &f,
        "b",
        "2/2020/QH14",
        "effective: 2020-01-01\namends: [\"3/2020/QH14\"]\n",
    );
    document(
        &f,
        "c",
        "3/2020/QH14",
        "effective: 2020-01-01\nreplaces: [\"1/2020/QH14\"]\n",
    );
    let run = f.run(&["build"]);
    one_error(&run, "content/van-ban/a.md:7:1", "vòng tròn (3 văn bản)");
    assert!(
        run.stderr
            .contains("1/2020/QH14 → 2/2020/QH14 → 3/2020/QH14 → 1/2020/QH14"),
        "{}",
        run.stderr
    );

    // The same loop declared from the other side (`replaced_by`) is the same error.
    let f = site();
    document(&f, "a", "1/2020/QH14", "replaced_by: [\"3/2020/QH14\"]\n");
    document(&f, "b", "2/2020/QH14", "replaced_by: [\"1/2020/QH14\"]\n");
    document(&f, "c", "3/2020/QH14", "replaced_by: [\"2/2020/QH14\"]\n");
    one_error(
        &f.run(&["check"]),
        "content/van-ban/b.md:6:1",
        "vòng tròn (3 văn bản)",
    );

    // A chain is not a loop.
    let f = site();
    document(
        &f,
        "a",
        "1/2020/QH14",
        "issued: 2020-01-01\nreplaces: [\"2/2019/QH14\"]\n",
    );
    document(
        &f,
        "b",
        "2/2019/QH14",
        "issued: 2019-01-01\nreplaces: [\"3/2018/QH14\"]\n",
    );
    document(&f, "c", "3/2018/QH14", "issued: 2018-01-01\n");
    let run = f.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn dates_out_of_order_are_errors_at_their_key() {
    let f = site();
    document(
        &f,
        "a",
        "1/2020/QH14",
        "issued: 2020-05-01\neffective: 2020-04-01\n",
    );
    document(
        &f,
        "b",
        "2/2020/QH14",
        "issued: 2020-05-01\neffective: 2020-06-01\nexpires: 2020-05-15\n",
    );
    let run = f.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let all = errors(&run);
    assert_eq!(all.len(), 2, "{}", run.stderr);
    assert_eq!(all[0].1, "content/van-ban/a.md:7:1", "{}", run.stderr);
    assert!(all[0].0.contains("trước ngày ban hành"), "{}", run.stderr);
    assert_eq!(all[1].1, "content/van-ban/b.md:8:1", "{}", run.stderr);
    assert!(all[1].0.contains("ngày hết hiệu lực"), "{}", run.stderr);
}

fn warnings(run: &Run) -> Vec<(String, String)> {
    headlines(run, "warning")
}

#[test]
fn look_alike_numbers_in_front_matter_are_errors_with_the_corrected_number() {
    let f = site();
    document(&f, "a", "1847/QĐ-\u{422}Tg", "");
    document(&f, "b", "22/2008/QH12", "replaces: [\"１０/1998/QH10\"]\n");
    let run = f.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let all = errors(&run);
    assert_eq!(all.len(), 2, "{}", run.stderr);
    assert_eq!(all[0].1, "content/van-ban/a.md:5:1", "{}", run.stderr);
    assert!(
        all[0].0.contains("`Т` (chữ Kirin, U+0422)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("viết lại: 1847/QĐ-TTg"),
        "{}",
        run.stderr
    );
    assert_eq!(all[1].1, "content/van-ban/b.md:6:1", "{}", run.stderr);
    assert!(all[1].0.contains("ký tự toàn khổ"), "{}", run.stderr);
    assert!(
        run.stderr.contains("viết lại: 10/1998/QH10"),
        "{}",
        run.stderr
    );
}

#[test]
fn look_alike_numbers_in_prose_are_reported_and_not_linked() {
    let f = site();
    document(&f, "qd", "1847/QĐ-TTg", "effective: 2020-01-01\n");
    f.write(
        "content/b.md",
        "---\ntitle: \"B\"\ndescription: \"d\"\n---\nTheo 1847/QĐ-\u{422}Tg và 1847/QĐ-TTg.\n",
    );
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = warnings(&run);
    assert_eq!(all.len(), 1, "{}", run.stderr);
    assert_eq!(all[0].1, "content/b.md:5:6", "{}", run.stderr);
    assert!(all[0].0.contains("không được liên kết"), "{}", run.stderr);
    let html = f.output("b/index.html");
    assert_eq!(html.matches("href=\"/van-ban/qd/\"").count(), 1, "{html}");
}

#[test]
fn legacy_encoded_text_is_named_with_its_reading() {
    let f = site();
    f.write(
        "content/tcvn.md",
        "---\ntitle: \"A\"\ndescription: \"d\"\n---\nC\u{e3} Quy\u{d5}t \u{ae}\u{de}nh s\u{e8} 1847/Q\u{a7}-TTg.\n",
    );
    f.write(
        "content/vni.md",
        "---\ntitle: \"B\"\ndescription: \"d\"\n---\n\nTheo Quyeát ñònh soá 1847/QÑ-TTg cuûa Thuû töôùng.\n",
    );
    let run = f.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = warnings(&run);
    assert_eq!(all.len(), 2, "{}", run.stderr);
    assert_eq!(all[0].1, "content/tcvn.md:5:4", "{}", run.stderr);
    assert!(all[0].0.contains("TCVN3 (ABC)"), "{}", run.stderr);
    assert!(
        run.stderr.contains("đọc là: Có Quyết định số 1847/QĐ-TTg."),
        "{}",
        run.stderr
    );
    assert_eq!(all[1].1, "content/vni.md:6:6", "{}", run.stderr);
    assert!(all[1].0.contains("VNI-Windows"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("đọc là: Theo Quyết định số 1847/QĐ-TTg của Thủ tướng."),
        "{}",
        run.stderr
    );
}

/// Runs `sotay fix-encoding ARGS` in `dir`.
fn fix_encoding(dir: &std::path::Path, args: &[&str]) -> Run {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sotay"))
        .arg("fix-encoding")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run sotay");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn fix_encoding_converts_in_place_and_keeps_a_backup() {
    let f = site();
    let original = "---\ntitle: \"Quyeát ñònh\"\ndescription: \"d\"\n---\n\n\
                    Theo Quyeát ñònh soá 1847/QÑ-TTg cuûa Thuû töôùng.\n";
    f.write("content/vni.md", original);
    let run = fix_encoding(&f.root, &["content/vni.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "content/vni.md: đã chuyển từ VNI-Windows sang Unicode (UTF-8), sửa 9 từ trên 2 dòng; \
         bản gốc lưu ở content/vni.md.bak"
    );
    let fixed = std::fs::read_to_string(f.root.join("content/vni.md")).unwrap();
    assert_eq!(
        fixed,
        "---\ntitle: \"Quyết định\"\ndescription: \"d\"\n---\n\n\
         Theo Quyết định số 1847/QĐ-TTg của Thủ tướng.\n"
    );
    let backup = std::fs::read_to_string(f.root.join("content/vni.md.bak")).unwrap();
    assert_eq!(backup, original);
    // The backup is not published, and the text is no longer suspect: its number is now
    // an ordinary citation (of a document this site lacks).
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = warnings(&run);
    assert_eq!(all.len(), 1, "{}", run.stderr);
    assert!(
        all[0].0.contains("1847/QĐ-TTg được trích dẫn"),
        "{}",
        run.stderr
    );
    assert!(!f.has_output("vni.md.bak"));

    // A second run finds nothing to do; an existing backup is never overwritten.
    let run = fix_encoding(&f.root, &["content/vni.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("tệp giữ nguyên"), "{}", run.stdout);
    f.write("content/vni.md", original);
    let run = fix_encoding(&f.root, &["content/vni.md"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains("đã có bản sao lưu content/vni.md.bak"),
        "{}",
        run.stderr
    );
    let still = std::fs::read_to_string(f.root.join("content/vni.md")).unwrap();
    assert_eq!(still, original);
}

#[test]
fn fix_encoding_refuses_what_is_not_a_file() {
    let f = site();
    let run = fix_encoding(&f.root, &["content", "khong-co.md"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains("content không phải một tệp"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("không đọc được khong-co.md"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn utf16_files_are_named_and_fixed() {
    let f = site();
    let text = "---\ntitle: \"Trang\"\ndescription: \"d\"\n---\nNội dung.\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    f.write("content/a.md", &bytes);
    let run = f.run(&["check"]);
    one_error(
        &run,
        "content/a.md:1:1",
        "tệp mã hóa UTF-16, hãy lưu lại dưới dạng UTF-8",
    );
    let run = fix_encoding(&f.root, &["content/a.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("đã chuyển từ UTF-16 sang Unicode (UTF-8)"),
        "{}",
        run.stdout
    );
    assert_eq!(
        std::fs::read_to_string(f.root.join("content/a.md")).unwrap(),
        text
    );
    assert_eq!(f.run(&["check"]).code, 0);
}
