//! Integration tests: the default theme's markup contract and `--precompress`.
//!
//! What a browser sees (layout, accessibility, CSP, journeys) is checked in Chromium by
//! `tests/browser/run.sh`; these tests pin the HTML the templates must produce.

use crate::support::Fixture;
use std::io::Read;

/// A built page, with Tera's escaped slashes (`&#x2F;`) read back as `/`.
fn page(f: &Fixture, rel: &str) -> String {
    f.output(rel).replace("&#x2F;", "/")
}

fn built() -> Fixture {
    let f = Fixture::new("theme/basic");
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    f
}

#[test]
fn every_page_has_language_skip_link_search_form_and_base_path() {
    let f = built();
    for rel in [
        "index.html",
        "van-ban/index.html",
        "van-ban/nd-172-2025/index.html",
        "hoi-dap/ky-luat/index.html",
        "404.html",
    ] {
        let html = page(&f, rel);
        assert!(html.contains("<html lang=\"vi\">"), "{rel}");
        assert!(
            html.contains("<a class=\"skip\" href=\"#sotay-main\">"),
            "{rel}"
        );
        assert!(html.contains("<main id=\"sotay-main\""), "{rel}");
        assert!(
            html.contains("<form role=\"search\" class=\"search")
                && html.contains("action=\"/so-tay/tim-kiem/\" method=\"get\"")
                && html.contains("<input type=\"search\" id=\"sotay-q\" name=\"q\""),
            "{rel}: header search form"
        );
        assert!(
            !html.contains("style=\"") && !html.contains("<style"),
            "{rel}: no inline style (CSP)"
        );
        let css = html
            .split("<link rel=\"stylesheet\" href=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("stylesheet link")
            .to_owned();
        assert!(css.starts_with("/so-tay/style."), "{rel}: {css}");
        let file = css.trim_start_matches("/so-tay/");
        assert!(f.has_output(file), "{rel}: {file} exists");
        let hash = file.trim_start_matches("style.").trim_end_matches(".css");
        assert!(
            hash.len() == 10 && hash.chars().all(|c| c.is_ascii_hexdigit()),
            "{file}"
        );
    }
}

#[test]
fn home_puts_search_before_the_title_and_lists_topics() {
    let f = built();
    let html = page(&f, "index.html");
    let search = html
        .find("<form role=\"search\" class=\"search hero\"")
        .expect("hero search");
    let h1 = html.find("<h1>").expect("h1");
    assert!(search < h1);
    assert!(html.contains("<a href=\"/so-tay/hoi-dap/ky-luat/\">Kỷ luật</a>"));
}

#[test]
fn document_page_has_contents_by_chapter_and_article_and_print_address() {
    let f = built();
    let html = page(&f, "van-ban/nd-172-2025/index.html");
    assert!(html.contains("<details class=\"toc\" open>"));
    assert!(html.contains(
        "<a href=\"#chuong-1\">Chương I. Quy định chung</a><ol><li><a href=\"#dieu-1\">"
    ));
    assert!(html.contains(
        "<p class=\"print-only\">Bản in của trang https://example.org/so-tay/van-ban/nd-172-2025/"
    ));
}

#[test]
fn faq_page_lists_questions_linking_to_their_answers() {
    let f = built();
    let html = page(&f, "hoi-dap/ky-luat/index.html");
    let list = html
        .split("<nav class=\"questions\"")
        .nth(1)
        .and_then(|s| s.split("</nav>").next())
        .expect("question list");
    let anchors: Vec<&str> = list
        .split("<a href=\"#")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(
        anchors,
        [
            "can-bo-nhung-nhieu-bi-xu-ly-the-nao",
            "viec-xu-ly-keo-dai-bao-lau"
        ]
    );
    for a in anchors {
        assert!(html.contains(&format!("<h2 id=\"{a}\">")), "answer {a}");
    }
}

#[test]
fn search_script_is_loaded_as_a_hashed_module_when_the_theme_has_one() {
    let f = Fixture::new("theme/basic");
    f.write("static/search.js", "export const x = 1;\n");
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = page(&f, "van-ban/index.html");
    let src = html
        .split("<script type=\"module\" src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("module script")
        .to_owned();
    assert!(
        src.starts_with("/so-tay/search.") && src.ends_with(".js"),
        "{src}"
    );
    assert_eq!(
        std::fs::read_to_string(
            f.root
                .join("public")
                .join(src.trim_start_matches("/so-tay/"))
        )
        .unwrap(),
        "export const x = 1;\n"
    );
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("valid gzip");
    out
}

#[test]
fn precompress_writes_gzip_and_brotli_beside_text_files() {
    let f = Fixture::new("theme/basic");
    f.write("content/anh.png", [0x89, b'P', b'N', b'G', 0, 1, 2, 3]);
    let run = f.run(&["build", "--precompress"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let public = f.root.join("public");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.unwrap();
        let path = entry.path();
        let name = path.to_string_lossy();
        let text = [".html", ".css", ".xml", ".txt", ".svg"]
            .iter()
            .any(|e| name.ends_with(e));
        if !entry.file_type().is_file() || !text {
            continue;
        }
        let original = std::fs::read(path).unwrap();
        let gz = std::fs::read(format!("{name}.gz")).unwrap_or_else(|_| panic!("{name}.gz"));
        let br = std::fs::read(format!("{name}.br")).unwrap_or_else(|_| panic!("{name}.br"));
        assert_eq!(gunzip(&gz), original, "{name}.gz");
        let mut unbr = Vec::new();
        brotli::BrotliDecompress(&mut br.as_slice(), &mut unbr).unwrap();
        assert_eq!(unbr, original, "{name}.br");
        checked += 1;
    }
    assert!(checked >= 8, "checked {checked} files");
    assert!(f.has_output("anh.png"));
    assert!(!f.has_output("anh.png.gz") && !f.has_output("anh.png.br"));
    // Without the flag there are no compressed copies.
    let plain = Fixture::new("theme/basic");
    assert_eq!(plain.build().code, 0);
    assert!(!plain.has_output("index.html.gz"));
}

/// A site's own templates see every field they name, through a parent template too, and
/// a template that lists the page's keys sees them all; fields no template names are not
/// computed (`render::Reads`), which must never change what a template prints.
#[test]
fn templates_get_every_field_they_name_and_a_key_listing_gets_all() {
    let f = Fixture::new("theme/basic");
    f.write(
        "templates/lean.html",
        "<p>{{ page.title }}</p>{% block more %}{% endblock more %}\n",
    );
    f.write(
        "templates/document.html",
        "{% extends \"lean.html\" %}{% block more %}<p>{{ page.document.number_display }}|{{ page.document.status.text }}|{{ page.cited_by | length }}</p>{% endblock more %}\n",
    );
    f.write(
        "templates/faq.html",
        "{% for k, v in page %}[{{ k }}]{% endfor %}\n",
    );
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = page(&f, "van-ban/nd-172-2025/index.html");
    assert!(doc.contains("<p>Nghị định 172/2025/NĐ-CP</p>"), "{doc}");
    assert!(doc.contains("<p>172/2025/NĐ-CP|"), "{doc}");
    assert!(!doc.contains("ld+json"), "{doc}");
    let faq = page(&f, "hoi-dap/ky-luat/index.html");
    for key in [
        "breadcrumbs",
        "content",
        "description",
        "faq",
        "jsonld",
        "pages",
        "summary",
        "toc",
        "topics",
    ] {
        assert!(faq.contains(&format!("[{key}]")), "{key} in {faq}");
    }
}
