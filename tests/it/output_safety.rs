//! The output folder and every file written into it: nothing lands outside it, nothing
//! replaces another file, a refused build leaves the previous output as it was.

use crate::support::Fixture;
use std::path::{Path, PathBuf};

/// Every file under `dir` with its bytes, by relative path.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("readable"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside").to_owned();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// The basic fixture, built once so that there is a previous output to keep.
fn built_basic() -> (Fixture, Vec<(PathBuf, Vec<u8>)>) {
    let site = Fixture::new("core/basic");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = snapshot(&site.root.join("public"));
    assert!(before.iter().any(|(p, _)| p == Path::new(".sotay-output")));
    (site, before)
}

/// Names left beside the output by staging.
fn litter(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".sotay-"))
        .collect()
}

fn page_with_aliases(aliases: &[&str]) -> String {
    let list: Vec<String> = aliases.iter().map(|a| format!("'{a}'")).collect();
    format!(
        "---\ntitle: \"Trang có địa chỉ cũ\"\ndescription: \"Thử\"\naliases: [{}]\n---\n\nNội dung.\n",
        list.join(", ")
    )
}

#[test]
fn an_alias_never_writes_outside_the_output() {
    let (site, before) = built_basic();
    let outside = site.root.parent().expect("tmp").join("x");
    site.write(
        "content/cu.md",
        page_with_aliases(&[
            "/../../x/evil.pth",
            "//x/abs.html",
            "/a/./b",
            "/__sotay/livereload.js",
            "/a\\..\\..\\x.html",
        ]),
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!outside.exists(), "nothing written beside the site");
    // One located error per alias, each naming the alias and the file.
    for alias in [
        "/../../x/evil.pth",
        "//x/abs.html",
        "/a/./b",
        "/__sotay/livereload.js",
    ] {
        let line = format!("địa chỉ cũ `{alias}` của content/cu.md");
        assert_eq!(
            run.stderr.matches(&line).count(),
            1,
            "{alias}: {}",
            run.stderr
        );
    }
    assert_eq!(
        run.stderr.matches("content/cu.md:4:1").count(),
        5,
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("thất bại: 5 lỗi"), "{}", run.stderr);
    assert_eq!(snapshot(&site.root.join("public")), before);
    assert!(litter(&site.root).is_empty());
}

#[test]
fn an_output_through_a_missing_folder_is_resolved_before_it_is_checked() {
    let (site, _) = built_basic();
    let tmp = site.root.parent().expect("tmp").to_owned();
    let precious = tmp.join("precious");
    std::fs::create_dir(&precious).expect("mkdir");
    std::fs::write(precious.join("giữ.txt"), "quý").expect("write");
    let sneaky = tmp.join("not-there/../precious");
    let run = site.run(&["build", "--output", sneaky.to_str().expect("utf-8")]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("không do sotay tạo ra"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(precious.join("giữ.txt")).expect("kept"),
        "quý"
    );
    assert!(
        !tmp.join("not-there").exists(),
        "nothing created on the way"
    );
    let content_before = snapshot(&site.root.join("content"));
    for target in [
        "site/x/../content",
        "site/public/x/../../content",
        "site/x/../..",
    ] {
        let run = site.run(&[
            "build",
            "--output",
            tmp.join(target).to_str().expect("utf-8"),
        ]);
        assert_eq!(run.code, 2, "{target}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("lỗi: từ chối"),
            "{target}: {}",
            run.stderr
        );
    }
    assert_eq!(snapshot(&site.root.join("content")), content_before);
}

#[test]
fn the_resolved_output_is_the_one_written() {
    let (site, _) = built_basic();
    let via = site.root.join("new-folder/../built");
    let run = site.run(&["build", "--output", via.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.root.join("built/index.html").is_file());
    assert!(!site.root.join("new-folder").exists());
}

#[test]
fn aliases_never_replace_generated_files() {
    let (site, before) = built_basic();
    let css = before
        .iter()
        .map(|(p, _)| p.to_string_lossy().into_owned())
        .find(|p| p.starts_with("style.") && p.ends_with(".css"))
        .expect("hashed stylesheet");
    let css_alias = format!("/{css}");
    let aliases = [
        "/index.html",
        "/hoi-dap/index.html",
        "/search/manifest.json",
        "/sitemap.xml",
        "/.sotay-output",
        "/chu-de/giao-tiep-ung-xu/",
        css_alias.as_str(),
    ];
    site.write("content/cu.md", page_with_aliases(&aliases));
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    for alias in aliases {
        let named = format!("địa chỉ cũ `{alias}` của content/cu.md");
        assert_eq!(
            run.stderr.matches(&named).count(),
            1,
            "{alias}: {}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("trùng với trang content/_index.md"));
    assert!(run.stderr.contains("trùng với trang content/hoi-dap.md"));
    assert!(run.stderr.contains(
        "chỉ mục tìm kiếm ghi ra `search/manifest.json`, trùng với địa chỉ cũ `/search/manifest.json`"
    ));
    assert!(run
        .stderr
        .contains("trùng với trang /chu-de/giao-tiep-ung-xu/ do sotay tạo"));
    assert!(run
        .stderr
        .contains(&format!("trùng với tệp {css} của giao diện")));
    assert!(run
        .stderr
        .contains(&format!("thất bại: {} lỗi", aliases.len())));
    assert_eq!(snapshot(&site.root.join("public")), before);
}

#[test]
fn two_aliases_or_an_alias_and_a_page_on_one_path_are_one_error() {
    let (site, before) = built_basic();
    site.write("content/cu.md", page_with_aliases(&["/trung", "/Trung/"]));
    site.write("content/khac.md", page_with_aliases(&["/tin-tuc"]));
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(
        "địa chỉ cũ `/Trung/` của content/cu.md ghi ra `Trung/index.html`, trùng với địa chỉ cũ `/trung` của content/cu.md (`trung/index.html`: chỉ khác chữ hoa"
    ), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("trùng với trang content/tin-tuc/_index.md"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("thất bại: 2 lỗi"), "{}", run.stderr);
    assert_eq!(snapshot(&site.root.join("public")), before);
}

#[test]
fn assets_never_replace_generated_files_or_each_other() {
    let (site, before) = built_basic();
    for (asset, other) in [
        ("content/index.html", "trang content/_index.md"),
        ("content/atom.xml", "tệp atom.xml do sotay tạo"),
        ("content/search/manifest.json", "chỉ mục tìm kiếm"),
        ("content/van_ban/so-do.svg", "tệp content/van-ban/so-do.svg"),
        ("content/hoi-dap", "trang content/hoi-dap.md"),
    ] {
        site.write(asset, "không phải của sotay");
        let run = site.build();
        assert_eq!(run.code, 1, "{asset}: {}", run.stderr);
        assert!(run.stderr.contains(other), "{asset}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("{asset}:1:1")),
            "{asset}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("thất bại: 1 lỗi"),
            "{asset}: {}",
            run.stderr
        );
        assert_eq!(snapshot(&site.root.join("public")), before, "{asset}");
        std::fs::remove_file(site.root.join(asset)).expect("remove");
    }
    // All at once: every one reported by the same build.
    site.write("content/Foo Bar/x.txt", "một");
    site.write("content/foo-bar/x.txt", "hai");
    site.write("content/robots.txt", "ba");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("thất bại: 2 lỗi"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("ghi ra `foo-bar/x.txt`, trùng với tệp content/Foo Bar/x.txt")
            || run
                .stderr
                .contains("ghi ra `foo-bar/x.txt`, trùng với tệp content/foo-bar/x.txt"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&site.root.join("public")), before);
}

#[test]
fn a_precompressed_copy_never_replaces_an_asset() {
    let (site, before) = built_basic();
    site.write("content/index.html.gz", "không phải gzip");
    let run = site.run(&["build", "--precompress"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("index.html.gz"), "{}", run.stderr);
    assert_eq!(snapshot(&site.root.join("public")), before);
    assert!(litter(&site.root).is_empty());
}

#[test]
fn folders_left_by_killed_builds_are_removed_and_only_those() {
    let (site, _) = built_basic();
    // Above the kernel's largest process id: never a running build.
    let dead = site.root.join(".public.sotay-old-4194305");
    std::fs::create_dir(&dead).expect("mkdir");
    std::fs::write(dead.join(".sotay-output"), "").expect("marker");
    std::fs::write(dead.join("index.html"), "cũ").expect("write");
    let unmarked = site.root.join(".public.sotay-new-4194306");
    std::fs::create_dir(&unmarked).expect("mkdir");
    std::fs::write(unmarked.join("giữ.txt"), "của ai đó").expect("write");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!dead.exists());
    assert!(
        unmarked.join("giữ.txt").exists(),
        "not marked: not ours to delete"
    );
}

#[test]
fn new_refuses_empty_names_and_symlinked_folders() {
    let site = Fixture::empty();
    for bad in ["", ".md", "a//b.md", "./a.md", "a/.md", "a\\b.md"] {
        let run = site.run(&["new", "page", bad]);
        assert_eq!(run.code, 2, "{bad:?}: {}", run.stderr);
        assert!(run.stderr.starts_with("lỗi: "), "{bad:?}: {}", run.stderr);
    }
    assert_eq!(
        std::fs::read_dir(site.root.join("content"))
            .expect("dir")
            .count(),
        0
    );
    #[cfg(unix)]
    {
        let elsewhere = site.root.parent().expect("tmp").join("elsewhere");
        std::fs::create_dir(&elsewhere).expect("mkdir");
        std::os::unix::fs::symlink(&elsewhere, site.root.join("content/link")).expect("link");
        let run = site.run(&["new", "page", "link/x.md"]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("content/"), "{}", run.stderr);
        assert!(!elsewhere.join("x.md").exists());
        // A dangling link in place of the file is not followed either.
        std::os::unix::fs::symlink(elsewhere.join("y.md"), site.root.join("content/y.md"))
            .expect("link");
        let run = site.run(&["new", "page", "y.md"]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(!elsewhere.join("y.md").exists());
    }
    let run = site.run(&["new", "page", "mới/trang.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.root.join("content/mới/trang.md").is_file());
}

/// Writes a site of `sections` × `pages` pages; the home page's text carries `version`.
fn large_site(site: &Fixture, sections: usize, pages: usize) {
    site.write(
        "site.yaml",
        "title: \"Thử\"\nbase_url: \"https://example.vn/\"\nlanguage: \"vi\"\n",
    );
    home_version(site, 0);
    for s in 0..sections {
        site.write(
            &format!("content/muc-{s}/_index.md"),
            format!("---\ntitle: \"Mục {s}\"\ndescription: \"Mục\"\n---\n\nMục.\n"),
        );
        for p in 0..pages {
            site.write(
                &format!("content/muc-{s}/trang-{p}.md"),
                format!(
                    "---\ntitle: \"Trang {s} {p}\"\ndescription: \"Mô tả\"\n---\n\n## Phần một\n\n\
                     Cán bộ, công chức phải tận tụy phục vụ Nhân dân, lần {p}.\n\n## Phần hai\n\n\
                     Người dân có quyền phản ánh, kiến nghị về thủ tục {s}.\n"
                ),
            );
        }
    }
}

fn home_version(site: &Fixture, version: usize) {
    site.write(
        "content/_index.md",
        format!("---\ntitle: \"Trang chủ\"\ndescription: \"Chủ\"\n---\n\nChào, phiên {version}.\n"),
    );
}

/// The number of pages in an output folder.
fn page_count(out: &Path) -> usize {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .count()
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_output() {
    let site = Fixture::empty();
    large_site(&site, 10, 200);
    let out = site.root.join("public");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A build that replaces an output: the kind the killed ones are (the old one is
    // removed after the swap, which is most of the end of a build).
    let started = std::time::Instant::now();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let full = started.elapsed();
    let pages = page_count(&out);
    assert!(pages > 2000, "{pages}");
    let sample = "muc-3/trang-7/index.html";
    let sample_bytes = std::fs::read(out.join(sample)).expect("sample page");
    let marker = std::fs::read(out.join(".sotay-output")).expect("marker");
    let mut current = 0;
    // Spread over a whole build and a little past it: a build's time varies.
    let moments = [0.0, 0.15, 0.3, 0.5, 0.7, 0.85, 0.95, 1.05, 1.2, 1.4];
    let mut committed = 0;
    for (i, moment) in moments.iter().enumerate() {
        let version = i + 1;
        home_version(&site, version);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sotay"))
            .args(["build", "--today", "2026-11-29", "--root"])
            .arg(&site.root)
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn sotay");
        std::thread::sleep(full.mul_f64(*moment));
        let _ = child.kill();
        let status = child.wait().expect("wait");
        let home = std::fs::read_to_string(out.join("index.html")).expect("a home page");
        let at = format!("moment {moment} (exit {status:?})");
        if home.contains(&format!("phiên {version}.")) {
            current = version;
            committed += 1;
        } else {
            assert!(home.contains(&format!("phiên {current}.")), "{at}: {home}");
        }
        assert!(home.trim_end().ends_with("</html>"), "{at}: whole file");
        assert_eq!(
            std::fs::read(out.join(".sotay-output")).expect("marker"),
            marker,
            "{at}"
        );
        assert_eq!(
            std::fs::read(out.join(sample)).expect("page"),
            sample_bytes,
            "{at}"
        );
        assert_eq!(page_count(&out), pages, "{at}");
    }
    eprintln!(
        "{committed} of {} killed builds had committed",
        moments.len()
    );
    home_version(&site, 99);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::read_to_string(out.join("index.html"))
        .expect("home")
        .contains("phiên 99."));
    assert_eq!(litter(&site.root), Vec::<String>::new());
}
