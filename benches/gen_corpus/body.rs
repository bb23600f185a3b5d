//! Page bodies: paragraphs, headings (`## Điều N.` on document pages), lists, the odd GFM
//! table, citations of other documents and relative links to other pages.

use crate::plan::{Doc, Plan};
use crate::prose::Writer;
use crate::text::capitalize;

/// Share of non-document pages with plain `## ` headings (the rest are heading-less prose
/// with lists, like short news items and Q&A answers).
const PLAIN_HEADINGS_P: f64 = 0.15;
const TABLE_P: f64 = 0.10;
const LIST_P: f64 = 0.40;
/// Share of citations in the "khoản K Điều A <document>" form, when the cited document
/// has at least 3 articles.
const CLAUSE_CITE_P: f64 = 0.25;

/// A citation of `d` in running text, e.g. "theo Quyết định 123/QĐ-UBND".
fn cite(w: &mut Writer<'_>, d: &Doc) -> String {
    let (t, n) = (d.doc_type, &d.number);
    if d.articles >= 3 && w.rng.chance(CLAUSE_CITE_P) {
        let k = w.rng.range(1, 4);
        let a = w.rng.range(1, d.articles);
        return match w.rng.below(2) {
            0 => format!("theo quy định tại khoản {k} Điều {a} {t} {n}"),
            _ => format!("theo khoản {k} Điều {a} {t} {n}"),
        };
    }
    let i = &d.issued;
    match w.rng.below(5) {
        0 => format!("theo {t} {n}"),
        1 => format!("theo {t} số {n} ngày {} tháng {} năm {}", i.d, i.m, i.y),
        2 => format!("căn cứ {t} {n} của {}", d.issuer),
        3 => format!("thực hiện {t} {n}"),
        _ => format!("tại {t} số {n}"),
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Sentences that carry the page's citations and links, prepared before the body so their
/// length counts against the word target.
fn splices(w: &mut Writer<'_>, plan: &Plan, i: usize) -> Vec<String> {
    let own = plan.pages[i].doc;
    let mut out = Vec::new();
    let others = plan.docs.len() - usize::from(own.is_some());
    for _ in 0..if others > 0 { w.rng.range(1, 3) } else { 0 } {
        let mut k = w.rng.below(plan.docs.len());
        if Some(k) == own {
            k = (k + 1) % plan.docs.len();
        }
        let c = cite(w, &plan.docs[k]);
        let mut s = String::new();
        w.sentence(&mut s, 6, 30, '.');
        out.push(if w.rng.chance(0.5) {
            format!("{}, {}", capitalize(&c), lower_first(&s))
        } else {
            format!("{} {c}.", s.trim_end_matches('.'))
        });
    }
    let n = plan.pages.len();
    let mut linked: Vec<usize> = Vec::new();
    for _ in 0..if n > 1 { w.rng.range(1, 3) } else { 0 } {
        let mut j = w.rng.below(n);
        while j == i || linked.contains(&j) && linked.len() + 1 < n {
            j = (j + 1) % n;
        }
        linked.push(j);
        let link = format!("[{}](../{})", plan.pages[j].title, plan.page_path(j));
        out.push(match w.rng.below(3) {
            0 => format!("Xem thêm {link}."),
            1 => format!("Nội dung liên quan: {link}."),
            _ => format!("Chi tiết xem tại {link}."),
        });
    }
    out
}

/// Accumulates blocks and their word count. Words are counted the way the manifest counts
/// them (whitespace-separated, so list markers and table bars count) to keep every page
/// close to its planned length.
struct Body<'w, 'a> {
    w: &'w mut Writer<'a>,
    blocks: Vec<String>,
    words: usize,
}

impl Body<'_, '_> {
    fn paragraph(&mut self, target: usize) {
        let (p, n) = self.w.paragraph(target.max(8));
        self.blocks.push(p);
        self.words += n;
    }

    fn heading(&mut self, prefix: &str) {
        let h = format!("## {prefix}{}", self.w.phrase(3, 8));
        self.words += h.split_whitespace().count();
        self.blocks.push(h);
    }

    fn list(&mut self) {
        let n = self.w.rng.range(3, 6);
        let mut items = String::new();
        for k in 0..n {
            if k > 0 {
                items.push('\n');
            }
            items.push_str("- ");
            let end = if k + 1 == n { '.' } else { ';' };
            self.w.sentence(&mut items, 4, 22, end);
        }
        self.words += items.split_whitespace().count();
        self.blocks.push(items);
    }

    fn table(&mut self) {
        let header = "| STT | Nội dung | Đơn vị thực hiện | Thời hạn |\n|---:|---|---|---|";
        self.words += header.split_whitespace().count();
        let mut rows = vec![header.to_owned()];
        for k in 1..=self.w.rng.range(3, 6) {
            let task = self.w.phrase(3, 7);
            let unit = self.w.phrase(2, 5);
            let (d, m, y) = (
                self.w.rng.range(1, 28),
                self.w.rng.range(1, 12),
                self.w.rng.range(2016, 2026),
            );
            let row = format!("| {k} | {task} | {unit} | {d:02}/{m:02}/{y} |");
            self.words += row.split_whitespace().count();
            rows.push(row);
        }
        self.blocks.push(rows.join("\n"));
    }

    /// Paragraphs (and maybe a list after the first) until `budget` more words have been
    /// written; paragraphs shrink to the remaining budget so pages stay near their target.
    fn section(&mut self, budget: usize) {
        let stop = self.words + budget;
        let mut first = true;
        while first || self.words < stop {
            let target = self
                .w
                .rng
                .range(30, 100)
                .min(stop.saturating_sub(self.words));
            self.paragraph(target);
            if first && self.words + 60 < stop && self.w.rng.chance(LIST_P) {
                self.list();
            }
            first = false;
        }
    }
}

/// The Markdown body of page `i` (without front matter), ending in a newline.
pub(crate) fn page_body(w: &mut Writer<'_>, plan: &Plan, i: usize) -> String {
    let page = &plan.pages[i];
    let splices = splices(w, plan, i);
    let spliced: usize = splices.iter().map(|s| s.split_whitespace().count()).sum();
    let budget = page.words.saturating_sub(spliced).max(60);
    let want_table = w.rng.chance(TABLE_P);
    let mut b = Body {
        w,
        blocks: Vec::new(),
        words: 0,
    };

    if let Some(d) = page.doc.map(|k| &plan.docs[k]) {
        let i = &d.issued;
        let mut lead = format!(
            "{} ban hành {} số {} ngày {} tháng {} năm {}. ",
            d.issuer,
            d.doc_type.to_lowercase(),
            d.number,
            i.d,
            i.m,
            i.y
        );
        let target = b.w.rng.range(20, 50);
        let (p, _) = b.w.paragraph(target);
        lead.push_str(&p);
        b.words += lead.split_whitespace().count();
        b.blocks.push(lead);
        for a in 1..=d.articles {
            b.heading(&format!("Điều {a}. "));
            let left = budget.saturating_sub(b.words);
            b.section(left / (d.articles - a + 1));
            if want_table && a == d.articles / 2 {
                b.table();
            }
        }
    } else {
        let headings = b.w.rng.chance(PLAIN_HEADINGS_P);
        let mut table_done = !want_table;
        let target = b.w.rng.range(40, 90);
        b.paragraph(target);
        while b.words < budget {
            if headings {
                b.heading("");
            }
            let chunk = b.w.rng.range(80, 220);
            b.section(chunk.min(budget - b.words));
            if !table_done && b.words * 5 > budget * 2 {
                table_done = true;
                b.table();
            }
        }
    }

    // Citations and links go into running text only (not headings, lists or tables).
    let Body { w, mut blocks, .. } = b;
    let paras: Vec<usize> = (0..blocks.len())
        .filter(|&k| !blocks[k].starts_with(['#', '-', '|']))
        .collect();
    for s in splices {
        let k = *w.rng.pick(&paras);
        blocks[k].push(' ');
        blocks[k].push_str(&s);
    }
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}
