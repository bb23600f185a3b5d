//! Integration tests: the legal-document model (status, relations, citations, anchors,
//! listings, FAQ, structured data) through the real binary, and the Vietnamese text vectors.

use crate::support::{repo_root, Fixture, Run};
use serde_json::Value;

fn ok(run: &Run) {
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
}

fn built(name: &str, today: &str) -> (Fixture, Run) {
    let f = Fixture::new(name);
    let run = f.run(&["build", "--today", today]);
    ok(&run);
    (f, run)
}

/// A built page, with Tera's escaping of `/` (`&#x2F;`) undone so assertions read naturally.
fn read(f: &Fixture, rel: &str) -> String {
    f.output(rel).replace("&#x2F;", "/")
}

/// The `<main>` element of a page, so assertions do not match the menu or the JSON-LD.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page closes <main>");
    &html[start..end]
}

/// The parsed JSON-LD block of a page.
fn jsonld(html: &str) -> Value {
    let open = r#"<script type="application/ld+json">"#;
    let start = html.find(open).expect("page has JSON-LD") + open.len();
    let end = start + html[start..].find("</script>").expect("script closes");
    serde_json::from_str(&html[start..end]).expect("JSON-LD parses")
}

fn node<'a>(ld: &'a Value, kind: &str) -> Option<&'a Value> {
    ld["@graph"]
        .as_array()
        .expect("@graph")
        .iter()
        .find(|n| n["@type"] == kind)
}

#[test]
fn status_changes_across_the_replacement_date() {
    let (before, _) = built("legal/replaced", "2025-06-30");
    let old = read(&before, "van-ban/luat-cu/index.html");
    assert!(main_of(&old).contains("Còn hiệu lực – có hiệu lực từ ngày 01/01/2010"));
    let new = read(&before, "van-ban/luat-moi/index.html");
    assert!(
        main_of(&new).contains("Chưa có hiệu lực – có hiệu lực từ ngày 01/7/2025"),
        "{}",
        main_of(&new)
    );
    let faq = read(&before, "hoi-dap/giao-tiep/index.html");
    assert!(!faq.contains("cite--expired"), "not expired yet");

    let (after, _) = built("legal/replaced", "2025-07-01");
    let old = read(&after, "van-ban/luat-cu/index.html");
    let main = main_of(&old);
    assert!(
        main.contains("Hết hiệu lực từ ngày 01/7/2025</strong> – được thay thế bởi <a href=\"/so-tay/van-ban/luat-moi/\">Luật số 80/2025/QH15</a>"),
        "{main}"
    );
    assert!(main.contains("Được thay thế bởi"), "inverse relation shown");
    let new = read(&after, "van-ban/luat-moi/index.html");
    assert!(main_of(&new).contains("Còn hiệu lực – có hiệu lực từ ngày 01/7/2025"));
    assert!(main_of(&new).contains("<h3>Thay thế</h3>"));
    let faq = read(&after, "hoi-dap/giao-tiep/index.html");
    assert!(
        faq.contains(r#"<a class="cite cite--expired" href="/so-tay/van-ban/luat-cu/" title="Hết hiệu lực">22/2008/QH12</a> <span class="cite-status">(hết hiệu lực)</span>"#),
        "{}",
        main_of(&faq)
    );
    let ld = jsonld(&old);
    let law = node(&ld, "Legislation").expect("Legislation node");
    assert_eq!(
        law["legislationLegalForce"],
        "https://schema.org/NotInForce"
    );
    let ld = jsonld(&new);
    let law = node(&ld, "Legislation").expect("Legislation node");
    assert_eq!(
        law["legislationChanges"][0]["legislationIdentifier"],
        "22/2008/QH12"
    );
    assert_eq!(law["legislationIdentifier"], "80/2025/QH15");
    assert_eq!(law["legislationPassedBy"]["name"], "Quốc hội");
    assert_eq!(law["legislationDate"], "2025-06-24");
}

#[test]
fn explicit_status_expiry_and_unnumbered_documents() {
    let (f, run) = built("legal/replaced", "2026-11-29");
    let partly = read(&f, "van-ban/nd-mot-phan/index.html");
    assert!(main_of(&partly).contains("Còn hiệu lực một phần"));
    assert!(main_of(&partly).contains("Chỉ còn áp dụng cho viên chức."));
    let plan = read(&f, "van-ban/ke-hoach-het-han/index.html");
    assert!(
        main_of(&plan).contains("Hết hiệu lực từ ngày 01/01/2026"),
        "{}",
        main_of(&plan)
    );
    assert!(
        !main_of(&plan).contains("Số ký hiệu"),
        "no number, no number row"
    );
    // Stale statuses: the old law was last reviewed before its replacement took effect.
    assert!(
        run.stderr.contains("luat-cu.md")
            && run
                .stderr
                .contains("hiệu lực của văn bản đã thay đổi ngày 01/7/2025"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("ke-hoach-het-han.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn citations_link_articles_clauses_and_points() {
    let (f, run) = built("legal/citations", "2026-11-29");
    let html = read(&f, "bai-viet/huong-dan/index.html");
    let main = main_of(&html);
    for needle in [
        r#"<a class="cite cite--part" href="/van-ban/luat-ho-tich/#dieu-16">Điều 16</a> Luật Hộ tịch số <a class="cite" href="/van-ban/luat-ho-tich/""#,
        r#"<a class="cite cite--part" href="/van-ban/luat-ho-tich/#dieu-17">Điều 17</a>"#,
        r#"<a class="cite cite--part" href="/van-ban/nd-172-2025/#dieu-3-khoan-1-diem-a">điểm a khoản 1 Điều 3</a>"#,
        r#"<a class="cite cite--part" href="/van-ban/nd-172-2025/#dieu-3-khoan-2">khoản 2 Điều 3</a>"#,
        // An article the summary does not have: only the number links.
        r#"Điều 9 Nghị định <a class="cite" href="/van-ban/nd-172-2025/""#,
        // In a table.
        r#"<td>Luật số <a class="cite" href="/van-ban/luat-ho-tich/""#,
        // Code and existing links are left alone.
        "<code>172/2025/NĐ-CP</code>",
        r#"<a href="https://vbpl.vn/">Nghị định 172/2025/NĐ-CP</a>"#,
        r#"<a href="/van-ban/nd-172-2025/#dieu-3-khoan-2">khoản hai</a>"#,
        r#"alt="Bản chụp Nghị định 172/2025/NĐ-CP""#,
    ] {
        assert!(main.contains(needle), "missing {needle} in\n{main}");
    }
    assert!(
        main.contains("Thông tư 99/2099/TT-BNV chưa"),
        "unknown number stays text"
    );
    assert!(
        run.stderr.contains("99/2099/TT-BNV") && run.stderr.contains("bai-viet/huong-dan.md:"),
        "{}",
        run.stderr
    );

    let doc = read(&f, "van-ban/nd-172-2025/index.html");
    let main = main_of(&doc);
    for needle in [
        r#"<li id="dieu-3-khoan-1">"#,
        r#"<li id="dieu-3-khoan-1-diem-b">"#,
        r#"<li id="dieu-3-khoan-2">"#,
        r#"<h2 id="chuong-2">"#,
        // "khoản 1 của Điều này" inside Điều 3 means its own clause 1.
        r#"dẫn lại <a class="cite cite--part" href="/van-ban/nd-172-2025/#dieu-3-khoan-1">khoản 1</a>"#,
        r#"theo <a class="cite cite--part" href="/van-ban/nd-172-2025/#dieu-3-khoan-1-diem-b">điểm b khoản 1 Điều 3</a>"#,
        // Inside Điều 5, "Điều 5" is where the reader already is.
        ". Điều 5 này",
    ] {
        assert!(main.contains(needle), "missing {needle} in\n{main}");
    }
}

#[test]
fn documents_list_what_cites_them_and_nest_their_toc() {
    let (f, _) = built("legal/citations", "2026-11-29");
    let doc = read(&f, "van-ban/nd-172-2025/index.html");
    let main = main_of(&doc);
    let cited = &main[main.find("Nơi trích dẫn").expect("backlinks section")..];
    assert!(cited.contains("<h3>Hỏi – đáp</h3>"), "{cited}");
    assert!(
        cited.contains(r#"<a href="/hoi-dap/ky-luat/#khien-trach-la-gi">Khiển trách là gì?</a>"#),
        "{cited}"
    );
    assert!(
        cited.contains(r#"<a href="/bai-viet/huong-dan/#ky-luat">Hướng dẫn trích dẫn</a>"#),
        "{cited}"
    );
    assert!(
        !cited.contains("Khai sinh ở đâu"),
        "that answer cites another law"
    );
    let toc_start = main.find("Mục lục").expect("toc");
    let toc = &main[toc_start..main[toc_start..].find("</nav>").unwrap() + toc_start];
    assert!(
        toc.contains(
            r##"<a href="#chuong-1">Chương I. Quy định chung</a><ol><li><a href="#dieu-1">"##
        ),
        "{toc}"
    );
    assert!(
        toc.contains(
            r##"<a href="#chuong-2">Chương II. Hình thức kỷ luật</a><ol><li><a href="#dieu-5">"##
        ),
        "{toc}"
    );
}

#[test]
fn links_to_missing_clauses_are_errors() {
    let f = Fixture::new("legal/citations");
    f.write(
        "content/bai-viet/sai.md",
        "---\ntitle: Sai\ndescription: Liên kết sai.\n---\n\n[khoản 9](../van-ban/nd-172-2025.md#dieu-3-khoan-9)\n",
    );
    let run = f.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("#dieu-3-khoan-9"), "{}", run.stderr);
}

#[test]
fn listings_facets_timeline_topics_and_faq_index() {
    let (f, _) = built("legal/citations", "2026-11-29");
    let index = read(&f, "van-ban/tra-cuu/index.html");
    for url in [
        "/van-ban/loai/nghi-dinh/",
        "/van-ban/loai/luat/",
        "/van-ban/co-quan/quoc-hoi/",
        "/van-ban/nam/2014/",
        "/van-ban/hieu-luc/con-hieu-luc/",
    ] {
        assert!(
            index.contains(&format!("href=\"{url}\"")),
            "no facet link {url}"
        );
        assert!(
            f.has_output(&format!("{}index.html", &url[1..])),
            "no page {url}"
        );
    }
    let laws = read(&f, "van-ban/loai/luat/index.html");
    assert!(laws.contains("Luật Hộ tịch số 60/2014/QH13"));
    assert!(!main_of(&laws).contains("Nghị định 172/2025/NĐ-CP về xử lý kỷ luật"));
    let timeline = main_of(&read(&f, "van-ban/dong-thoi-gian/index.html")).to_owned();
    let (y2014, y2025) = (
        timeline.find(">2014<").unwrap(),
        timeline.find(">2025<").unwrap(),
    );
    assert!(y2014 < y2025, "timeline runs by issue date");
    // A topic without a content page gets a generated one; one with a page keeps it.
    let topic = read(&f, "chu-de/ho-tich/index.html");
    assert!(topic.contains("Hướng dẫn trích dẫn") && topic.contains("Luật Hộ tịch"));
    let own = read(&f, "chu-de/ky-luat/index.html");
    assert!(
        own.contains("Giới thiệu chủ đề kỷ luật."),
        "content page kept"
    );
    assert!(own.contains("Khiển trách là gì?") || own.contains("Hỏi – đáp: Kỷ luật"));
    let faq_index = read(&f, "hoi-dap/theo-chu-de/index.html");
    assert!(faq_index.contains(r#"href="/hoi-dap/ky-luat/#khien-trach-la-gi""#));
    assert!(faq_index.contains(r#"href="/chu-de/ky-luat/""#));
    let ld = jsonld(&index);
    assert!(node(&ld, "BreadcrumbList").is_some());
}

#[test]
fn faq_pages_anchor_questions_and_describe_them() {
    let (f, _) = built("legal/citations", "2026-11-29");
    let html = read(&f, "hoi-dap/ky-luat/index.html");
    assert!(html.contains(r#"<h2 id="khien-trach-la-gi">Khiển trách là gì?</h2>"#));
    let ld = jsonld(&html);
    let faq = node(&ld, "FAQPage").expect("FAQPage");
    let questions = faq["mainEntity"].as_array().expect("questions");
    assert_eq!(questions.len(), 2);
    assert_eq!(questions[0]["name"], "Khiển trách là gì?");
    assert_eq!(
        questions[0]["acceptedAnswer"]["text"],
        "Xem Điều 5 Nghị định 172/2025/NĐ-CP."
    );
    let crumbs = node(&ld, "BreadcrumbList").expect("breadcrumbs");
    assert_eq!(
        crumbs["itemListElement"][1]["item"],
        "https://example.vn/hoi-dap/"
    );
    let home = read(&f, "index.html");
    let ld = jsonld(&home);
    let site = node(&ld, "WebSite").expect("WebSite on the home page");
    assert_eq!(
        site["potentialAction"]["target"]["urlTemplate"],
        "https://example.vn/tim-kiem/?q={search_term_string}"
    );
}

#[test]
fn json_ld_cannot_break_out_of_its_script() {
    let f = Fixture::new("legal/citations");
    f.write(
        "content/bai-viet/script.md",
        "---\ntitle: \"</script><script>alert(1)</script>\"\ndescription: \"x\"\n---\n\nx\n",
    );
    ok(&f.build());
    let html = read(&f, "bai-viet/script/index.html");
    let head = &html[..html.find("</head>").unwrap()];
    // The only scripts in the head are the search module and the JSON-LD block.
    let scripts = head.matches("<script").count();
    let modules = head.matches("<script type=\"module\"").count();
    assert_eq!(scripts - modules, 1, "{head}");
    assert!(!head.contains("<script>alert"), "{head}");
    assert!(jsonld(&html)["@graph"][0]["itemListElement"][1]["name"]
        .as_str()
        .unwrap()
        .contains("</script>"));
}

#[test]
fn duplicate_numbers_need_different_years() {
    let (f, _) = built("legal/duplicates", "2026-11-29");
    let a = read(&f, "van-ban/ct-10-2019/index.html");
    assert!(
        main_of(&a).contains("10/CT-TTg ngày 22/4/2019"),
        "{}",
        main_of(&a)
    );
    let page = read(&f, "bai-viet/index.html");
    let main = main_of(&page);
    // Each citation picks the document of the year written after it.
    let first = main.find("/van-ban/ct-10-2019/").expect("2019 cited");
    let second = main.find("/van-ban/ct-10-2023/").expect("2023 cited");
    assert!(first < second, "{main}");

    f.write(
        "content/van-ban/ct-10-2019-ban-sao.md",
        "---\ntitle: Bản trùng\ndescription: x\nkind: document\nnumber: \"10/CT-TTg\"\nissued: 2019-01-01\neffective: 2019-01-01\n---\n",
    );
    let run = f.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("trùng"), "{}", run.stderr);
    assert!(
        run.stderr.contains("ct-10-2019-ban-sao.md"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("ct-10-2019.md"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("ct-10-2023.md"),
        "other years are fine: {}",
        run.stderr
    );
}

#[test]
fn contradictions_and_malformed_numbers_are_errors() {
    let f = Fixture::new("legal/replaced");
    f.write(
        "content/van-ban/luat-cu.md",
        "---\ntitle: Luật cũ\ndescription: x\nkind: document\nnumber: \"22/2008/QH12\"\neffective: 2010-01-01\nreplaces: [\"80/2025/QH15\"]\n---\n",
    );
    f.write(
        "content/van-ban/sai-so.md",
        "---\ntitle: Sai số\ndescription: x\nkind: document\nnumber: \"QĐ-1847\"\n---\n",
    );
    let run = f.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("quan hệ mâu thuẫn"), "{}", run.stderr);
    assert!(run.stderr.contains("sai-so.md:5:"), "{}", run.stderr);
}

/// Runs every group of the spec's test vectors, read from the file.
#[test]
fn vietnamese_text_vectors() {
    let path = repo_root().join("tests/data/vi-text-vectors.json");
    let text = std::fs::read_to_string(path).expect("vectors file");
    let vectors: Value = serde_json::from_str(&text).expect("vectors parse");
    let groups = vectors.as_object().expect("object of groups");
    let names: Vec<&str> = groups.keys().map(String::as_str).collect();
    for wanted in ["syllables", "slugs", "numbers", "extract"] {
        assert!(
            names.contains(&wanted),
            "group {wanted} missing from {names:?}"
        );
    }
    for (group, cases) in groups {
        for case in cases.as_array().expect("group is a list") {
            let input = case["input"].as_str().expect("input");
            match group.as_str() {
                "syllables" => {
                    assert_eq!(sotay::text::toned_key(input), case["toned_key"], "{case}");
                    assert_eq!(sotay::text::folded_key(input), case["folded_key"], "{case}");
                }
                "slugs" => assert_eq!(sotay::text::slug(input), case["slug"], "{case}"),
                "numbers" => {
                    assert_eq!(
                        sotay::text::canonical_number(input).as_deref(),
                        case["canonical"].as_str(),
                        "{case}"
                    );
                }
                "extract" => {
                    let found: Vec<String> = sotay::text::extract_numbers(input)
                        .into_iter()
                        .map(|m| m.canonical)
                        .collect();
                    let expected: Vec<&str> = case["numbers"]
                        .as_array()
                        .expect("numbers")
                        .iter()
                        .map(|n| n.as_str().expect("number"))
                        .collect();
                    assert_eq!(found, expected, "{case}");
                }
                other => panic!("unknown vector group {other}"),
            }
        }
    }
}

/// Links to generated listings resolve, also on a page whose other link is broken (links
/// are resolved without the listings first, while they are made, and broken ones again).
#[test]
fn links_to_generated_listings_resolve_beside_a_broken_link() {
    let f = Fixture::new("legal/citations");
    let page = "---\ntitle: Lối tắt\ndescription: Các danh sách.\n---\n\n[Tra cứu](/van-ban/tra-cuu/) và [năm 2014](/van-ban/nam/2014/#dau)\n";
    f.write("content/bai-viet/loi-tat.md", page);
    ok(&f.build());
    let html = read(&f, "bai-viet/loi-tat/index.html");
    assert!(html.contains(r#"href="/van-ban/tra-cuu/""#), "{html}");
    assert!(html.contains(r#"href="/van-ban/nam/2014/#dau""#), "{html}");
    f.write(
        "content/bai-viet/loi-tat.md",
        format!("{page}\n[hỏng](/khong-co/)\n"),
    );
    let run = f.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("/khong-co/"), "{}", run.stderr);
    assert!(!run.stderr.contains("/van-ban/tra-cuu/"), "{}", run.stderr);
    assert!(!run.stderr.contains("/van-ban/nam/2014/"), "{}", run.stderr);
}

/// The `<section class="amendments">` of a document page ("" when it has none).
fn amendments_of(html: &str) -> &str {
    let Some(start) = html.find(r#"<section class="amendments""#) else {
        return "";
    };
    let end = start + html[start..].find("</section>").expect("section closes");
    &html[start..end]
}

#[test]
fn amendments_show_as_coming_then_as_applied() {
    let (before, _) = built("legal/amended", "2026-06-30");
    let base = read(&before, "van-ban/luat-goc/index.html");
    let box_ = amendments_of(&base);
    let applied = box_
        .split("Sắp được sửa đổi")
        .next()
        .expect("split yields a first part");
    assert!(
        applied.contains("Đã được sửa đổi, bổ sung bởi:")
            && applied.contains(r#"<a href="/van-ban/luat-sua-2023/">Luật số 05/2023/QH15</a> (có hiệu lực từ ngày 01/7/2023)"#),
        "{box_}"
    );
    assert!(!applied.contains("20/2025/QH15"), "not applied yet: {box_}");
    assert!(
        box_.contains("Sắp được sửa đổi, bổ sung bởi:")
            && box_.contains(r#"<a href="/van-ban/luat-sua-2025/">Luật số 20/2025/QH15</a> (sửa đổi có hiệu lực từ 01/7/2026)"#),
        "{box_}"
    );
    let coming = read(&before, "van-ban/luat-sua-2025/index.html");
    assert!(
        amendments_of(&coming).contains("Sẽ sửa đổi, bổ sung:")
            && amendments_of(&coming).contains(r#"<a href="/van-ban/luat-goc/">Luật số 10/2020/QH14</a> (sửa đổi có hiệu lực từ 01/7/2026)"#),
        "{}",
        amendments_of(&coming)
    );
    let law = jsonld(&coming);
    let law = node(&law, "Legislation").expect("Legislation node");
    assert!(law.get("legislationChanges").is_none(), "{law}");
    assert!(law.get("legislationAmends").is_none(), "{law}");

    let (after, _) = built("legal/amended", "2026-07-01");
    let base = read(&after, "van-ban/luat-goc/index.html");
    let box_ = amendments_of(&base);
    assert!(!box_.contains("Sắp được"), "{box_}");
    assert!(
        box_.contains(r#"<a href="/van-ban/luat-sua-2025/">Luật số 20/2025/QH15</a> (có hiệu lực từ ngày 01/7/2026)"#),
        "{box_}"
    );
    assert!(
        box_.find("05/2023/QH15") < box_.find("20/2025/QH15"),
        "oldest first: {box_}"
    );
    let amending = read(&after, "van-ban/luat-sua-2025/index.html");
    assert!(
        amendments_of(&amending).contains("Sửa đổi, bổ sung:</strong>")
            && amendments_of(&amending).contains("(có hiệu lực từ ngày 01/7/2026)"),
        "{}",
        amendments_of(&amending)
    );
    let law = jsonld(&amending);
    let law = node(&law, "Legislation").expect("Legislation node");
    for key in ["legislationChanges", "legislationAmends"] {
        assert_eq!(
            law[key][0]["legislationIdentifier"], "10/2020/QH14",
            "{key}: {law}"
        );
        assert_eq!(law[key][0]["url"], "https://example.vn/van-ban/luat-goc/");
    }
    // A document amended by nothing gets no amendments box.
    let plain = read(&after, "van-ban/nd-mot-phan/index.html");
    assert_eq!(amendments_of(&plain), "");
}

#[test]
fn partly_in_force_says_since_when_and_asks_for_a_note() {
    let (f, run) = built("legal/amended", "2026-07-01");
    let page = read(&f, "van-ban/nd-mot-phan/index.html");
    assert!(
        main_of(&page)
            .contains("<strong>Còn hiệu lực một phần – có hiệu lực từ ngày 15/4/2021</strong>"),
        "{}",
        main_of(&page)
    );
    let law = jsonld(&page);
    let law = node(&law, "Legislation").expect("Legislation node");
    assert_eq!(
        law["legislationLegalForce"],
        "https://schema.org/PartiallyInForce"
    );
    assert!(
        run.stderr.contains("nd-mot-phan.md:10:1") && run.stderr.contains("không có `status_note`"),
        "{}",
        run.stderr
    );
    // The other fixture's partly-in-force document has its note: no warning there.
    let (_, run) = built("legal/replaced", "2026-11-29");
    assert!(!run.stderr.contains("`status_note`"), "{}", run.stderr);
}

#[test]
fn glossary_terms_link_their_first_use_outside_headings_links_and_code() {
    let (f, _) = built("legal/glossary", "2026-11-29");
    let home = read(&f, "index.html");
    let main = main_of(&home);
    let term = r#"<a class="term" href="/so-tay/thuat-ngu/nhung-nhieu/" title="Cố ý gây khó khăn cho người dân để được lợi.">NHŨNG NHIỄU</a>"#;
    assert!(
        main.contains(&format!("Khi bị {term}, hãy ghi lại.")),
        "{main}"
    );
    assert_eq!(main.matches(r#"class="term""#).count(), 3, "{main}");
    assert!(main.contains(r#"<h2 id="nhung-nhieu-la-gi">Nhũng nhiễu là gì</h2>"#));
    assert!(main.contains("<code>hối lộ</code>"), "{main}");
    assert!(
        main.contains(r#"<a href="/so-tay/thuat-ngu/nhung-nhieu/">nhũng nhiễu</a>"#),
        "{main}"
    );
    // The longest form, and a term right before a citation that still finds its document.
    assert!(
        main.contains(r#"title="Đưa hoặc nhận lợi ích để người có chức vụ làm theo ý mình.">Đưa hối lộ</a> là tội; hối lộ nhỏ"#),
        "{main}"
    );
    assert!(
        main.contains(r#"Người <a class="term" href="/so-tay/thuat-ngu/khieu-nai/""#)
            && main.contains(r#"href="/so-tay/van-ban/luat-khieu-nai/#dieu-7">Điều 7</a> Luật Khiếu nại số <a class="cite""#),
        "{main}"
    );
    // Not on the term's own page; other terms there are linked.
    let own = read(&f, "thuat-ngu/nhung-nhieu/index.html");
    let main = main_of(&own);
    assert!(!main.contains("thuat-ngu/nhung-nhieu/\" title"), "{main}");
    assert!(main.contains(r#"<a class="term" href="/so-tay/thuat-ngu/khieu-nai/""#));
    assert!(
        main.contains("Cách viết khác: sách nhiễu, hạch sách"),
        "{main}"
    );
    let ld = jsonld(&own);
    let t = node(&ld, "DefinedTerm").expect("DefinedTerm node");
    assert_eq!(t["name"], "Nhũng nhiễu");
    assert_eq!(t["alternateName"][1], "hạch sách");
    assert_eq!(
        t["inDefinedTermSet"],
        "https://example.vn/so-tay/thuat-ngu/"
    );
}

#[test]
fn the_glossary_section_lists_terms_in_vietnamese_order() {
    let (f, _) = built("legal/glossary", "2026-11-29");
    let page = read(&f, "thuat-ngu/index.html");
    let main = main_of(&page);
    let order: Vec<usize> = ["Dân chủ", "Hối lộ", "Khiếu nại", "Nhũng nhiễu"]
        .iter()
        .map(|t| {
            main.find(&format!("\">{t}</a></dt>"))
                .unwrap_or_else(|| panic!("{t} listed: {main}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(
        main.contains("<dd>Nhân dân là chủ và làm chủ.</dd>"),
        "{main}"
    );
}

#[test]
fn a_glossary_term_without_definition_is_a_located_error() {
    let f = Fixture::new("legal/glossary");
    f.write(
        "content/thuat-ngu/vu-loi.md",
        "---\ntitle: \"Vụ lợi\"\nkind: glossary\nforms: [\"vì vụ lợi\"]\n---\n\nVụ lợi.\n",
    );
    f.write(
        "content/thuat-ngu/quan-triet.md",
        "---\ntitle: \"Quán triệt\"\nforms: [\"quán triệt\"]\n---\n\nQuán triệt.\n",
    );
    let run = f.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/thuat-ngu/vu-loi.md:2:1")
            && run.stderr.contains("thuật ngữ thiếu định nghĩa"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/thuat-ngu/quan-triet.md:3:1")
            && run.stderr.contains("khóa `forms` chỉ dùng cho thuật ngữ"),
        "{}",
        run.stderr
    );
}
