//! The corpus plan: sections, and for every page its section, title, slug, date, word
//! target and (for document pages) the legal-document metadata. Planned up front so page
//! bodies can cite other documents and link to other pages that are known to exist.

use std::collections::HashSet;
use std::fmt;

use crate::prose::Writer;
use crate::text::slugify;

/// Section titles; slugs are derived with the same `slugify` the pages use.
pub(crate) const SECTIONS: [&str; 24] = [
    "Văn hóa công vụ",
    "Cải cách hành chính",
    "Văn bản chỉ đạo, điều hành",
    "Hỏi đáp",
    "Cán bộ, công chức, viên chức",
    "Tiếp công dân",
    "Dịch vụ công trực tuyến",
    "Phòng, chống tham nhũng",
    "Thi đua, khen thưởng",
    "Tổ chức bộ máy",
    "Hòa giải ở cơ sở",
    "Phổ biến, giáo dục pháp luật",
    "Y tế, sức khỏe",
    "Nông nghiệp, thủy sản",
    "Thanh tra, kiểm tra",
    "Chuyển đổi số",
    "Giáo dục, đào tạo",
    "Tài nguyên, môi trường",
    "Lao động, việc làm",
    "Văn hóa, thể thao, du lịch",
    "Kinh tế, xã hội",
    "Tài chính, ngân sách",
    "Nông thôn mới",
    "Quốc phòng, an ninh",
];

const PROVINCES: [&str; 12] = [
    "Cà Mau",
    "An Giang",
    "Cần Thơ",
    "Đồng Tháp",
    "Vĩnh Long",
    "Khánh Hòa",
    "Quảng Trị",
    "Thái Nguyên",
    "Lạng Sơn",
    "Hưng Yên",
    "Lâm Đồng",
    "Tây Ninh",
];
const LOCALITIES: [&str; 12] = [
    "Thới Bình",
    "Năm Căn",
    "Tri Tôn",
    "Phong Điền",
    "Tháp Mười",
    "Trà Ôn",
    "Cam Lâm",
    "Hướng Hóa",
    "Đại Từ",
    "Bắc Sơn",
    "Khoái Châu",
    "Đức Trọng",
];

/// (document type, weight, forms as (symbol, issuer, number carries the year)).
type Form = (&'static str, &'static str, bool);
const DOC_TYPES: [(&str, f64, &[Form]); 5] = [
    (
        "Quyết định",
        40.0,
        &[
            ("QĐ-UBND", "", false),
            ("QĐ-TTg", "Thủ tướng Chính phủ", false),
            ("QĐ-UBND", "", true),
            ("QĐ-BNV", "Bộ Nội vụ", false),
        ],
    ),
    (
        "Chỉ thị",
        15.0,
        &[
            ("CT-TTg", "Thủ tướng Chính phủ", false),
            ("CT-UBND", "", false),
        ],
    ),
    ("Nghị định", 10.0, &[("NĐ-CP", "Chính phủ", true)]),
    ("Kế hoạch", 25.0, &[("KH-UBND", "", false)]),
    (
        "Thông tư",
        10.0,
        &[
            ("TT-BNV", "Bộ Nội vụ", true),
            ("TT-BTC", "Bộ Tài chính", true),
            ("TT-TTCP", "Thanh tra Chính phủ", true),
        ],
    ),
];

/// Share of pages that are legal documents.
const DOC_FRACTION: f64 = 0.05;
/// Range of the generated body length in whitespace-separated words (mean ≈ 600 after
/// the last sentence's overshoot).
pub(crate) const WORDS_LO: usize = 200;
pub(crate) const WORDS_HI: usize = 980;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Date {
    pub(crate) y: u16,
    pub(crate) m: u8,
    pub(crate) d: u8,
}

impl Date {
    fn random(w: &mut Writer<'_>) -> Date {
        Date {
            y: w.rng.range(2015, 2025) as u16,
            m: w.rng.range(1, 12) as u8,
            d: w.rng.range(1, 28) as u8,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

pub(crate) struct Doc {
    pub(crate) doc_type: &'static str,
    pub(crate) number: String,
    pub(crate) issuer: String,
    pub(crate) issued: Date,
    /// Number of `## Điều N.` headings the page body will have; citations of the form
    /// "khoản K Điều A" only target documents with at least 3 and keep A within range.
    pub(crate) articles: usize,
}

pub(crate) struct Page {
    pub(crate) section: usize,
    pub(crate) title: String,
    /// `<slug>-NNNNN`, without extension.
    pub(crate) slug: String,
    pub(crate) date: Date,
    pub(crate) words: usize,
    pub(crate) doc: Option<usize>,
}

pub(crate) struct Plan {
    pub(crate) sections: Vec<(String, &'static str)>,
    pub(crate) pages: Vec<Page>,
    pub(crate) docs: Vec<Doc>,
}

impl Plan {
    pub(crate) fn page_path(&self, i: usize) -> String {
        let p = &self.pages[i];
        format!("{}/{}.md", self.sections[p.section].0, p.slug)
    }
}

fn make_doc(w: &mut Writer<'_>, words: usize, issued: Date, used: &mut HashSet<String>) -> Doc {
    let weights: Vec<f64> = DOC_TYPES.iter().map(|t| t.1).collect();
    let (doc_type, _, forms) = DOC_TYPES[w.rng.weighted(&weights)];
    let &(symbol, issuer, with_year) = w.rng.pick(forms);
    let max = if with_year { 199 } else { 2999 };
    let format = |n: usize| {
        if with_year {
            format!("{n}/{}/{symbol}", issued.y)
        } else {
            format!("{n}/{symbol}")
        }
    };
    // Numbers are unique across the corpus (the site reports duplicates): a few random
    // tries, then the first free number above the usual range.
    let number = (0..50)
        .map(|_| format(w.rng.range(1, max)))
        .find(|n| !used.contains(n))
        .unwrap_or_else(|| {
            (max + 1..)
                .map(format)
                .find(|n| !used.contains(n))
                .expect("unbounded range")
        });
    used.insert(number.clone());
    let issuer = if issuer.is_empty() {
        if w.rng.chance(0.6) {
            format!("Ủy ban nhân dân tỉnh {}", w.rng.pick(&PROVINCES))
        } else {
            format!("Ủy ban nhân dân huyện {}", w.rng.pick(&LOCALITIES))
        }
    } else {
        issuer.to_owned()
    };
    let articles = (words / 90).clamp(2, 10) + w.rng.below(2);
    Doc {
        doc_type,
        number,
        issuer,
        issued,
        articles,
    }
}

/// Plan `n` pages over the first `k` sections.
pub(crate) fn plan(w: &mut Writer<'_>, n: usize, k: usize) -> Plan {
    let sections: Vec<(String, &'static str)> = SECTIONS[..k.clamp(1, SECTIONS.len())]
        .iter()
        .map(|&t| (slugify(t), t))
        .collect();
    // Mildly skewed section sizes, like a real site (weight 1/sqrt(rank)).
    let weights: Vec<f64> = (1..=sections.len())
        .map(|r| 1.0 / (r as f64).sqrt())
        .collect();
    // Document slots: a partial Fisher–Yates sample. At least two documents (when there
    // are two pages) so that every page has some *other* document to cite.
    let ndocs = ((n as f64 * DOC_FRACTION).round() as usize).max(n.min(2));
    let mut order: Vec<usize> = (0..n).collect();
    for i in 0..ndocs {
        let j = i + w.rng.below(n - i);
        order.swap(i, j);
    }
    let mut is_doc = vec![false; n];
    for &i in &order[..ndocs] {
        is_doc[i] = true;
    }

    let mut used = HashSet::new();
    let mut pages = Vec::with_capacity(n);
    let mut docs = Vec::with_capacity(ndocs);
    for (i, &doc_page) in is_doc.iter().enumerate() {
        let section = w.rng.weighted(&weights);
        let words = w.rng.range(WORDS_LO, WORDS_HI);
        let (d1, d2) = (Date::random(w), Date::random(w));
        // A document page is dated on or after the document's issue date.
        let (issued, date) = (d1.min(d2), d1.max(d2));
        let (title, doc) = if doc_page {
            let d = make_doc(w, words, issued, &mut used);
            let about = w.phrase(4, 10).to_lowercase();
            let title = format!("{} {} về {about}", d.doc_type, d.number);
            docs.push(d);
            (title, Some(docs.len() - 1))
        } else {
            (w.phrase(5, 12), None)
        };
        let slug = slugify(&title);
        let base = match slug.split('-').take(8).collect::<Vec<_>>().join("-") {
            b if b.is_empty() => "trang".to_owned(),
            b => b,
        };
        pages.push(Page {
            section,
            slug: format!("{base}-{i:05}"),
            title,
            date,
            words,
            doc,
        });
    }
    Plan {
        sections,
        pages,
        docs,
    }
}
