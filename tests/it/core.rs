//! Integration tests: the generator core (layout, URLs, links, output safety, diagnostics).

use crate::support::Fixture;

/// Asserts that a run failed with content errors and that stderr names every `needle`.
fn assert_errors(run: &crate::support::Run, needles: &[&str]) {
    assert_eq!(run.code, 1, "expected content errors, got:\n{}", run.stderr);
    for needle in needles {
        assert!(
            run.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            run.stderr
        );
    }
}

#[test]
fn basic_site_has_pretty_urls_and_every_companion_file() {
    let site = Fixture::new("core/basic");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in [
        "index.html",
        "van-ban/index.html",
        "van-ban/quyet-dinh-1847/index.html",
        "hoi-dap/index.html",
        "tin-tuc/bai-2019/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "cu/qd-1847/index.html",
        "van-ban/so-do.svg",
        ".sotay-output",
    ] {
        assert!(site.has_output(file), "missing {file}");
    }
    assert!(
        !site.has_output("ban-nhap/index.html"),
        "drafts are left out"
    );
    let doc = site.output("van-ban/quyet-dinh-1847/index.html");
    assert!(doc.contains(r#"<h2 id="muc-tieu-chung">"#), "{doc}");
    assert!(doc.contains(r#"<h2 id="muc-tieu-chung-1">"#), "{doc}");
    assert!(doc.contains(r#"href="/van-ban/so-do.svg""#), "{doc}");
    assert!(doc.contains(r#"href="/hoi-dap/#cau-hoi-mot""#), "{doc}");
    for gfm in ["<table>", "checkbox", "footnote"] {
        assert!(doc.contains(gfm), "{gfm} missing");
    }
    let faq = site.output("hoi-dap/index.html");
    assert!(faq.contains(r#"href="/van-ban/quyet-dinh-1847/#muc-tieu-chung-1""#));
    assert!(faq.contains(r#"href="/van-ban/""#));
    let redirect = site.output("cu/qd-1847/index.html");
    assert!(
        redirect.contains("url=/van-ban/quyet-dinh-1847/"),
        "{redirect}"
    );
    let feed = site.output("atom.xml");
    assert!(feed.contains("<title>Vĩnh Thuận thực hiện văn hóa công vụ</title>"));
    assert!(feed.contains("<name>Lý Đa</name>"));
    let sitemap = site.output("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.vn/van-ban/quyet-dinh-1847/</loc>"));
    // Generated listings are in the sitemap too (the topic has no page of its own).
    assert!(
        sitemap.contains("<loc>https://example.vn/chu-de/giao-tiep-ung-xu/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn drafts_are_built_on_request() {
    let site = Fixture::new("core/basic");
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.has_output("ban-nhap/index.html"));
}

#[test]
fn a_base_path_prefixes_every_url() {
    let site = Fixture::new("core/basic");
    let run = site.run(&["build", "--base-url", "https://example.vn/vanhoacongvu/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let faq = site.output("hoi-dap/index.html");
    assert!(faq.contains(r#"href="/vanhoacongvu/van-ban/quyet-dinh-1847/#muc-tieu-chung-1""#));
    let home = site.output("index.html");
    assert!(home.contains(r#"href="/vanhoacongvu/style."#), "{home}");
    assert!(
        !home.contains(r#"href="/van-ban/""#),
        "unprefixed link in {home}"
    );
    let redirect = site.output("cu/qd-1847/index.html");
    assert!(redirect.contains("url=/vanhoacongvu/van-ban/quyet-dinh-1847/"));
    assert!(site
        .output("sitemap.xml")
        .contains("<loc>https://example.vn/vanhoacongvu/van-ban/quyet-dinh-1847/</loc>"));
}

#[test]
fn builds_are_byte_identical() {
    let site = Fixture::new("core/basic");
    let out_a = site.root.join("a");
    let out_b = site.root.join("b");
    for out in [&out_a, &out_b] {
        let run = site.run(&["build", "--output", out.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let list = |dir: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    };
    let (a, b) = (list(&out_a), list(&out_b));
    assert!(a.len() > 10);
    assert_eq!(a, b);
}

#[test]
fn source_date_epoch_fixes_the_date() {
    let site = Fixture::new("core/basic");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sotay"));
    cmd.args(["build", "--root"]).arg(&site.root);
    // 2027-01-02T12:00:00Z: the build date shows in the footer ("Cập nhật …").
    let out = cmd.env("SOURCE_DATE_EPOCH", "1798891200").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.output("index.html").contains("2027-01-02"));
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_sotay"))
        .args(["check", "--root"])
        .arg(&site.root)
        .env("SOURCE_DATE_EPOCH", "hôm nay")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn verbose_prints_every_phase_and_the_search_passes() {
    let site = Fixture::new("core/basic");
    let run = site.run(&["build", "--verbose"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // "  name   12.3 ms" lines, in order; the search passes are indented under "search".
    let lines: Vec<(usize, &str)> = run
        .stderr
        .lines()
        .filter(|l| l.contains(" ms"))
        .map(|l| {
            (
                l.len() - l.trim_start().len(),
                l.split_whitespace().next().unwrap(),
            )
        })
        .collect();
    let phases: Vec<&str> = lines.iter().filter(|l| l.0 == 2).map(|l| l.1).collect();
    assert_eq!(
        phases,
        [
            "load",
            "parse",
            "tree",
            "outline",
            "legal",
            "links",
            "markdown",
            "citations",
            "render",
            "extras",
            "search",
            "total",
            "write"
        ],
        "{}",
        run.stderr
    );
    let search = lines.iter().position(|l| l.1 == "search").unwrap();
    let passes: Vec<&str> = lines[search + 1..search + 5].iter().map(|l| l.1).collect();
    assert_eq!(
        passes,
        ["tokens", "results", "records", "terms"],
        "{}",
        run.stderr
    );
    assert!(lines[search + 1..search + 5].iter().all(|l| l.0 == 4));
    // Without --verbose, none of it.
    let quiet = site.build();
    assert!(!quiet.stderr.contains(" ms"), "{}", quiet.stderr);
}

#[test]
fn nfc_bom_and_crlf_are_handled() {
    let site = Fixture::new("core/bom-crlf");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.output("a/index.html");
    assert!(page.contains("Hóa"), "title must be NFC: {page}");
    assert!(!page.contains("Ho\u{301}a"));
    assert!(page.contains(r#"<h2 id="van-hoa">"#), "{page}");
}

#[test]
fn bad_yaml_names_file_line_and_column() {
    let run = Fixture::new("core/bad-yaml").run(&["check"]);
    assert_errors(&run, &["content/loi.md:", "YAML"]);
}

#[test]
fn unknown_key_gets_a_hint() {
    let run = Fixture::new("core/unknown-key").run(&["check"]);
    assert_errors(&run, &["content/a.md:4:1", "topcis", "topics"]);
}

#[test]
fn missing_title_is_an_error() {
    let run = Fixture::new("core/missing-title").run(&["check"]);
    assert_errors(&run, &["content/a.md:", "`title`"]);
}

#[test]
fn broken_links_and_anchors_are_errors() {
    let run = Fixture::new("core/broken-link").run(&["check"]);
    assert_errors(
        &run,
        &[
            "content/a.md:8:5",
            "content/b.md",
            "content/a.md:8:18",
            "#khong-co",
            "#muc-co",
        ],
    );
}

#[test]
fn duplicate_urls_are_errors() {
    let run = Fixture::new("core/duplicate-url").run(&["check"]);
    assert_errors(&run, &["/trang/", "content/trang.md"]);
}

#[test]
fn bad_dates_name_the_key() {
    let run = Fixture::new("core/bad-date").run(&["check"]);
    assert_errors(
        &run,
        &[
            "content/a.md:4:1",
            "`date`",
            "content/a.md:5:1",
            "`updated`",
        ],
    );
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let run = Fixture::new("core/invalid-utf8").run(&["check"]);
    assert_errors(&run, &["content/a.md:6:", "UTF-8", "vị trí"]);
}

#[test]
fn template_errors_name_template_and_line() {
    let run = Fixture::new("core/bad-template").run(&["check"]);
    assert_errors(&run, &["templates/page.html:3:", "khong_co_bo_loc"]);
}

#[test]
fn every_error_is_reported_at_once() {
    let run = Fixture::new("core/many-errors").run(&["check"]);
    assert_errors(
        &run,
        &[
            "content/a.md:3:1",
            "faqs",
            "content/b.md:2:1",
            "titel",
            "title",
        ],
    );
    assert!(run.stderr.contains("lỗi"), "{}", run.stderr);
}

#[test]
fn output_equal_to_root_or_content_is_refused() {
    let site = Fixture::new("core/basic");
    for out in [".", "content", "content/x"] {
        let path = site.root.join(out);
        let run = site.run(&["build", "--output", path.to_str().unwrap()]);
        assert_eq!(run.code, 2, "{out}: {}", run.stderr);
        assert!(run.stderr.contains("từ chối"), "{}", run.stderr);
    }
    assert!(site.root.join("content/_index.md").exists());
    let parent = site.root.parent().unwrap();
    let run = site.run(&["build", "--output", parent.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

/// No staging or retired output folder of sotay's is left beside the output.
fn assert_no_staging_left(site: &Fixture) {
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("sotay-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_failed_build_keeps_the_previous_output() {
    let site = Fixture::new("core/basic");
    assert_eq!(site.build().code, 0);
    let before = site.output("index.html");
    site.write("content/hong.md", "---\ntitle: [\n---\n");
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(site.output("index.html"), before);
    assert_no_staging_left(&site);
}

#[test]
fn a_build_failing_while_pages_are_written_keeps_the_previous_output() {
    // A template error surfaces in the render phase, after other pages have already been
    // written into the staging folder: none of them may reach the output.
    let site = Fixture::new("core/basic");
    assert_eq!(site.build().code, 0);
    let before = site.output("index.html");
    site.write("templates/hong.html", "<p>{{ page.khong_co.gi }}</p>\n");
    site.write(
        "content/trang-hong.md",
        "---\ntitle: Trang hỏng\ndescription: Mẫu trang lỗi.\ntemplate: hong.html\n---\nNội dung mới.\n",
    );
    let home = std::fs::read_to_string(site.root.join("content/_index.md")).unwrap();
    site.write("content/_index.md", format!("{home}\nĐoạn thêm.\n"));
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("templates/hong.html:1:"),
        "{}",
        run.stderr
    );
    assert_eq!(site.output("index.html"), before);
    assert!(!site.has_output("trang-hong/index.html"));
    assert_no_staging_left(&site);
}

#[test]
fn a_foreign_output_folder_is_never_deleted() {
    let site = Fixture::new("core/basic");
    site.write("public/notes.txt", "của tôi");
    let run = site.build();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(site.root.join("public/notes.txt").exists());
}

#[test]
fn new_scaffolds_each_kind_and_the_result_builds() {
    let site = Fixture::new("core/basic");
    for (kind, path) in [
        ("page", "moi/trang"),
        ("faq", "moi/hoi-dap-moi.md"),
        ("document", "moi/vb"),
    ] {
        let run = site.run(&["new", kind, path]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert!(site.root.join("content/moi/vb.md").exists());
    let again = site.run(&["new", "page", "moi/trang"]);
    assert_eq!(again.code, 2);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn usage_errors_exit_with_two_and_help_works() {
    let site = Fixture::new("core/basic");
    assert_eq!(site.run(&["build", "--today", "29/11/2026"]).code, 2);
    for cmd in [
        &["--help"][..],
        &["build", "--help"],
        &["check", "--help"],
        &["new", "--help"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sotay"))
            .args(cmd)
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("Cách dùng: sotay"));
    }
}

#[test]
fn check_reports_what_build_reports_without_holding_pages() {
    use sotay::build::{build, check, BuildOptions};
    let opts = |root: &std::path::Path| BuildOptions {
        root: root.to_path_buf(),
        drafts: false,
        base_url: None,
        today: time::macros::date!(2026 - 11 - 29),
    };
    for case in ["core/basic", "core/bad-template", "core/many-errors"] {
        let site = Fixture::new(case);
        let built = build(&opts(&site.root));
        let checked = check(&opts(&site.root));
        let render = |r: &sotay::build::BuildResult| {
            r.diagnostics.iter().map(|d| d.render()).collect::<Vec<_>>()
        };
        assert_eq!(render(&checked), render(&built), "{case}");
        assert_eq!(checked.page_count, built.page_count, "{case}");
        // Pages are dropped once rendered and no search index is made; what is left (feed,
        // sitemap, redirects, static files) is what the build makes.
        assert!(checked.files.get("index.html").is_none(), "{case}");
        for (path, _) in checked.files.iter() {
            assert!(!path.starts_with("search/"), "{case}: {path}");
            assert!(built.files.get(path).is_some(), "{case}: {path}");
        }
    }
    let basic = Fixture::new("core/basic");
    assert!(build(&opts(&basic.root)).files.get("index.html").is_some());
}
