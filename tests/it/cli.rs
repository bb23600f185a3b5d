//! The command line itself: `sotay init`, `sotay new --title`, Vietnamese help and errors.

use crate::support::Fixture;
use std::path::Path;
use std::process::Command;

/// What one run printed and returned.
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `sotay ARGS` as given (no `--root` added), in `dir`.
fn sotay(dir: &Path, args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_sotay"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run sotay");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Words of clap's own English that must never reach a user.
const ENGLISH: &[&str] = &[
    "Usage",
    "Options",
    "Commands",
    "Arguments",
    "Print help",
    "Print version",
    "error:",
    "unexpected argument",
    "unrecognized subcommand",
    "invalid value",
    "[default",
    "possible values",
    "For more information",
    "try '--help'",
    "tip:",
    "[OPTIONS]",
    "<COMMAND>",
    "warning:",
];

#[test]
fn init_makes_a_site_that_builds_checks_clean_and_searches() {
    let tmp = tempfile::tempdir().unwrap();
    let init = sotay(tmp.path(), &["init", "so-tay"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert!(init.stdout.contains("Bước tiếp theo"), "{}", init.stdout);
    assert!(init.stdout.contains("sotay serve"), "{}", init.stdout);
    let root = tmp.path().join("so-tay");
    let site = root.to_str().unwrap();
    let check = sotay(tmp.path(), &["check", "--root", site]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(check.stderr.trim(), "ổn: 7 trang không có lỗi");
    let build = sotay(tmp.path(), &["build", "--root", site]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    // The default theme's fixed links and the home tiles all resolve.
    for page in [
        "tim-kiem",
        "gioi-thieu",
        "hoi-dap",
        "van-ban",
        "chu-de/tiep-cong-dan",
    ] {
        let file = root.join("public").join(page).join("index.html");
        assert!(file.is_file(), "{}", file.display());
    }
    let search = sotay(tmp.path(), &["search", "--root", site, "01/2025/QĐ-UBND"]);
    assert_eq!(search.code, 0, "{}", search.stderr);
    let first = search.stdout.lines().nth(1).unwrap_or_default();
    assert_eq!(
        first.trim(),
        "/van-ban/qd-01-2025-ubnd/",
        "{}",
        search.stdout
    );
    let words = sotay(tmp.path(), &["search", "--root", site, "gio tiep cong dan"]);
    assert!(
        words.stdout.contains("/van-ban/qd-01-2025-ubnd/"),
        "{}",
        words.stdout
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("ghi-chu.md"), "của tôi").unwrap();
    let run = sotay(tmp.path(), &["init"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.starts_with("lỗi: "), "{}", run.stderr);
    assert!(run.stderr.contains("không trống"), "{}", run.stderr);
    let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
}

#[test]
fn help_and_usage_errors_are_vietnamese() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], i32, &str)] = &[
        (&["--help"], 0, "Cách dùng: sotay [TÙY_CHỌN] <LỆNH>"),
        (&["build", "--help"], 0, "[mặc định: .]"),
        (&["help", "new"], 0, "[giá trị: page, document, faq]"),
        (&["-V"], 0, "sotay "),
        (&["build", "--bogus"], 2, "lỗi: không có tùy chọn `--bogus`"),
        (&["nope"], 2, "lỗi: không có lệnh `nope`"),
        (&["chek"], 2, "có phải ý bạn là `check`?"),
        (&["new", "tin", "a"], 2, "lỗi: giá trị `tin` không hợp lệ"),
        (&["search"], 2, "lỗi: thiếu tham số bắt buộc"),
        (
            &["serve", "--port", "x"],
            2,
            "lỗi: giá trị `x` không hợp lệ",
        ),
        (&[], 2, "Lệnh:"),
    ];
    for (args, code, expected) in cases {
        let run = sotay(tmp.path(), args);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(run.code, *code, "{args:?}: {all}");
        assert!(all.contains(expected), "{args:?}: {expected}\n{all}");
        for word in ENGLISH {
            assert!(!all.contains(word), "{args:?}: {word}\n{all}");
        }
        if *code == 2 && !args.is_empty() {
            for line in run.stderr.lines().filter(|l| l.contains("lỗi")) {
                assert!(line.starts_with("lỗi: "), "{args:?}: {line}");
            }
        }
    }
}

#[test]
fn diagnostics_and_summaries_speak_vietnamese() {
    let fx = Fixture::empty();
    fx.write("site.yaml", "title: T\n");
    fx.write("content/a.md", "---\ntitle: A\n---\n[x](khong-co.md)\n");
    fx.write("content/b.md", "---\ntitle: B\n---\nB\n");
    fx.write("content/_index.md", "---\ntitle: C\ndescription: D\n---\n");
    let run = fx.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("lỗi: "), "{}", run.stderr);
    assert!(
        run.stderr.contains("cảnh báo: trang chưa có `description`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("lỗi: thất bại: 1 lỗi"),
        "{}",
        run.stderr
    );
    for word in ENGLISH {
        assert!(!run.stderr.contains(word), "{word}\n{}", run.stderr);
    }
}

#[test]
fn new_keeps_the_title_and_marks_a_missing_one() {
    let fx = Fixture::empty();
    fx.write("site.yaml", "title: T\n");
    let title = "Quyết định số 5/QĐ-UBND: \"mẫu\" \\ thử";
    let run = fx.run(&["new", "document", "van-ban/qd-5", "--title", title]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(fx.root.join("content/van-ban/qd-5.md")).unwrap();
    assert!(
        text.contains("title: \"Quyết định số 5/QĐ-UBND: \\\"mẫu\\\" \\\\ thử\"\n"),
        "{text}"
    );
    let run = fx.run(&["new", "page", "tin-tuc/_index"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(fx.root.join("content/tin-tuc/_index.md")).unwrap();
    assert!(
        text.contains("title: \"TODO: tiêu đề cho “Tin tuc”\""),
        "{text}"
    );
    let check = fx.run(&["check"]);
    let placeholder = "cảnh báo: tiêu đề `TODO: tiêu đề cho “Tin tuc”` chưa được viết";
    assert!(check.stderr.contains(placeholder), "{}", check.stderr);
    assert!(
        check.stderr.contains("content/tin-tuc/_index.md:2:1"),
        "{}",
        check.stderr
    );
    // `description: ""` counts as missing, once per new file.
    let missing = check.stderr.matches("trang chưa có `description`").count();
    assert_eq!(missing, 2, "{}", check.stderr);
    assert!(
        !check.stderr.contains("chưa được viết` chưa"),
        "{}",
        check.stderr
    );
    assert_eq!(
        check.stderr.matches("chưa được viết").count(),
        1,
        "{}",
        check.stderr
    );
}

/// A site whose twelve pages cite the same missing document and four of them link to the same
/// missing file, one to another.
fn repetitive_site() -> Fixture {
    let fx = Fixture::empty();
    fx.write("site.yaml", "title: T\n");
    fx.write("content/_index.md", "---\ntitle: C\ndescription: D\n---\n");
    for i in 0..12 {
        let link = match i {
            0..4 => "[x](khong-co.md)",
            4 => "[y](mat-tich.md)",
            _ => "",
        };
        fx.write(
            &format!("content/p{i:02}.md"),
            format!(
                "---\ntitle: P{i}\ndescription: D\n---\nTheo Quyết định số 99/QĐ-TTg. {link}\n"
            ),
        );
    }
    fx
}

#[test]
fn repeated_diagnostics_are_grouped_unless_verbose() {
    let fx = repetitive_site();
    let run = fx.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let warning = "văn bản số 99/QĐ-TTg được trích dẫn nhưng trang web chưa có";
    let head = format!("cảnh báo: {warning} (12 lần)");
    assert_eq!(run.stderr.matches(&head).count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("= … và 9 chỗ khác"), "{}", run.stderr);
    assert_eq!(run.stderr.matches("= cũng ở: content/p").count(), 2 + 2);
    assert!(run
        .stderr
        .contains(&format!("      12  cảnh báo: {warning}\n")));
    // Errors are grouped too, and every distinct one is printed.
    let missing = "lỗi: liên kết tới tệp không tồn tại: content/khong-co.md (4 lần)";
    assert!(run.stderr.contains(missing), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/mat-tich.md\n"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("lỗi: thất bại: 5 lỗi, 12 cảnh báo"));
    let verbose = fx.run(&["check", "--verbose"]);
    assert_eq!(verbose.code, 1);
    assert_eq!(
        verbose.stderr.matches(warning).count(),
        12,
        "{}",
        verbose.stderr
    );
    for i in 0..12 {
        assert!(
            verbose.stderr.contains(&format!("content/p{i:02}.md:5:")),
            "{i}"
        );
    }
    assert!(!verbose.stderr.contains("lần)"), "{}", verbose.stderr);
}

#[test]
fn a_root_that_is_no_site_is_one_error_before_anything_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("khong-co");
    let empty = tmp.path().join("trong");
    std::fs::create_dir(&empty).unwrap();
    for (root, why) in [
        (&missing, "không tồn tại"),
        (&empty, "không phải thư mục của một trang"),
    ] {
        let root = root.to_str().unwrap();
        for cmd in ["serve", "build", "check"] {
            let mut args = vec![cmd, "--root", root];
            if cmd == "serve" {
                args.extend(["--port", "0"]);
            }
            let run = sotay(tmp.path(), &args);
            assert_eq!(run.code, 2, "{cmd} {root}: {}", run.stderr);
            assert_eq!(
                run.stderr.matches("lỗi:").count(),
                1,
                "{cmd}: {}",
                run.stderr
            );
            assert!(run.stderr.starts_with("lỗi: "), "{cmd}: {}", run.stderr);
            assert!(run.stderr.contains(why), "{cmd}: {}", run.stderr);
            assert!(
                !run.stderr.contains("bản dựng tốt"),
                "{cmd}: {}",
                run.stderr
            );
            assert!(run.stdout.is_empty(), "{cmd}: {}", run.stdout);
        }
    }
    assert!(!missing.exists(), "nothing created");
    assert_eq!(
        std::fs::read_dir(&empty).unwrap().count(),
        0,
        "nothing written"
    );
}
