//! Integration tests: the bundled knowledge base builds cleanly and states the right facts.

use crate::support::Fixture;

/// (URL path, number as written, status label at 2026-11-29)
const DOCUMENTS: &[(&str, &str, &str)] = &[
    (
        "van-ban/qd-1847-2018",
        "1847/QĐ-TTg",
        "Chưa xác minh hiệu lực",
    ),
    ("van-ban/ct-10-2019", "10/CT-TTg", "Chưa xác minh hiệu lực"),
    ("van-ban/ct-26-2016", "26/CT-TTg", "Còn hiệu lực"),
    (
        "van-ban/qd-129-2007",
        "129/2007/QĐ-TTg",
        "Chưa xác minh hiệu lực",
    ),
    (
        "van-ban/qd-03-2007-bnv",
        "03/2007/QĐ-BNV",
        "Chưa xác minh hiệu lực",
    ),
    ("van-ban/luat-22-2008-qh12", "22/2008/QH12", "Hết hiệu lực"),
    ("van-ban/luat-80-2025-qh15", "80/2025/QH15", "Còn hiệu lực"),
    (
        "van-ban/nd-112-2020",
        "112/2020/NĐ-CP",
        "Còn hiệu lực một phần",
    ),
    (
        "van-ban/nd-71-2023",
        "71/2023/NĐ-CP",
        "Còn hiệu lực một phần",
    ),
    (
        "van-ban/luat-132-2025-qh15",
        "132/2025/QH15",
        "Còn hiệu lực",
    ),
    (
        "van-ban/luat-136-2025-qh15",
        "136/2025/QH15",
        "Còn hiệu lực",
    ),
    ("van-ban/luat-02-2011-qh13", "02/2011/QH13", "Còn hiệu lực"),
    ("van-ban/luat-25-2018-qh14", "25/2018/QH14", "Còn hiệu lực"),
    ("van-ban/luat-42-2013-qh13", "42/2013/QH13", "Còn hiệu lực"),
    ("van-ban/luat-09-2012-qh13", "09/2012/QH13", "Còn hiệu lực"),
    (
        "van-ban/blhs-100-2015-qh13",
        "100/2015/QH13",
        "Còn hiệu lực",
    ),
    (
        "van-ban/bltths-101-2015-qh13",
        "101/2015/QH13",
        "Còn hiệu lực",
    ),
    ("van-ban/nd-172-2025", "172/2025/NĐ-CP", "Còn hiệu lực"),
    ("van-ban/luat-36-2018-qh14", "36/2018/QH14", "Còn hiệu lực"),
    ("van-ban/luat-55-2005-qh11", "55/2005/QH11", "Hết hiệu lực"),
    ("van-ban/luat-44-2019-qh14", "44/2019/QH14", "Còn hiệu lực"),
    ("van-ban/kh-vinh-thuan-2019", "", "Hết hiệu lực"),
];

/// The status banner of a built document page (the element with class `status-banner`).
fn banner(html: &str) -> &str {
    let start = html
        .find("status-banner")
        .unwrap_or_else(|| panic!("no status banner in page"));
    let end = html[start..].find("</").map_or(html.len(), |e| start + e);
    &html[start..end]
}

#[test]
fn the_bundled_site_checks_without_errors_or_unresolved_citations() {
    let site = Fixture::bundled();
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("chưa có `description`"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_listed_document_exists_with_its_number_and_status() {
    let site = Fixture::bundled();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (path, number, status) in DOCUMENTS {
        let html = site.output(&format!("{path}/index.html"));
        if !number.is_empty() {
            assert!(html.contains(number), "{path} lacks its number {number}");
        }
        let b = banner(&html);
        assert!(
            b.contains(status),
            "{path}: expected {status:?}, banner {b:?}"
        );
    }
}

#[test]
fn statuses_follow_the_build_date_across_the_2025_reform() {
    let site = Fixture::bundled();
    let run = site.run(&["build", "--today", "2025-06-30"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let old_law = site.output("van-ban/luat-22-2008-qh12/index.html");
    assert!(
        banner(&old_law).contains("Còn hiệu lực"),
        "{}",
        banner(&old_law)
    );
    let new_law = site.output("van-ban/luat-80-2025-qh15/index.html");
    assert!(
        banner(&new_law).contains("Chưa có hiệu lực"),
        "{}",
        banner(&new_law)
    );
}

#[test]
fn the_2026_amendments_are_coming_before_1_july_and_applied_after() {
    for (today, status, coming) in [
        ("2026-06-30", "Chưa có hiệu lực", true),
        ("2026-07-01", "Còn hiệu lực", false),
    ] {
        let site = Fixture::bundled();
        let run = site.run(&["build", "--today", today]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let amending = site.output("van-ban/luat-132-2025-qh15/index.html");
        assert!(
            banner(&amending).contains(status),
            "{today}: {}",
            banner(&amending)
        );
        let amended = site.output("van-ban/luat-36-2018-qh14/index.html");
        assert!(amended.contains("Đã được sửa đổi, bổ sung bởi"), "{today}");
        assert!(amended.contains("132/2025/QH15"), "{today}");
        assert_eq!(
            amended.contains("sửa đổi có hiệu lực từ 01/7/2026"),
            coming,
            "{today}: 132/2025 shown as coming?"
        );
    }
}

#[test]
fn faq_pages_hold_at_least_sixty_questions_each_with_a_legal_basis() {
    let dir = crate::support::repo_root().join("content/hoi-dap");
    let mut questions = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        if path.ends_with("_index.md") || !text.contains("kind: faq") {
            continue;
        }
        for answer in text.split("\n## ").skip(1) {
            questions += 1;
            let (question, body) = answer.split_once('\n').unwrap();
            assert!(question.trim_end().ends_with('?'), "{question}");
            assert!(
                !sotay::text::extract_numbers(body).is_empty(),
                "{}: answer to {question:?} names no document",
                path.display()
            );
        }
    }
    assert!(questions >= 60, "only {questions} questions");
}
