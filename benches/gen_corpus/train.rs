//! Training text: loading the repository's own Markdown, stripping it down to plain
//! Vietnamese sentences, and the syllable bigram chain built from it.
//!
//! The corpus should read like the real site, so the chain learns from `content/`. That
//! folder is being written while this generator is in use, so a built-in supplement is
//! always mixed in: it guarantees the words whose two tone placements the site must unify
//! (thủy, khỏe, hòa, ủy, hóa) occur, and it keeps the generator usable on an empty folder.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::text::{compose_vietnamese, is_vietnamese_alnum};

/// Always part of the training text (see the module comment). Written for this generator.
pub(crate) const SUPPLEMENT: &str = "\
Văn hóa công vụ bắt đầu từ thái độ của cán bộ, công chức khi tiếp người dân tại bộ phận một cửa.
Ủy ban nhân dân xã niêm yết công khai thủ tục, phí, lệ phí và thời hạn giải quyết hồ sơ.
Công chức phải lắng nghe, hướng dẫn tận tình, không gây phiền hà, sách nhiễu người đến làm việc.
Chủ tịch Ủy ban nhân dân tỉnh ký quyết định công bố danh mục thủ tục hành chính mới.
Tổ hòa giải ở thôn, ấp giúp các gia đình hòa thuận, giữ tình làng nghĩa xóm.
Cán bộ y tế xã tuyên truyền cách giữ gìn sức khỏe cho người cao tuổi và trẻ em.
Đoàn kiểm tra công vụ làm việc với phòng Nông nghiệp về quản lý công trình thủy lợi.
Người dân có thể nộp hồ sơ trực tuyến trên Cổng dịch vụ công mà không phải đến trụ sở.
Quyết định khen thưởng được trao cho tập thể có nhiều sáng kiến trong cải cách hành chính.
Cơ quan, đơn vị xây dựng quy chế văn hóa công sở, quy định trang phục và cách giao tiếp.
Thủ trưởng cơ quan chịu trách nhiệm khi công chức thuộc quyền quản lý vi phạm kỷ luật.
Hội nghị đối thoại giúp lãnh đạo huyện nắm bắt ý kiến, kiến nghị của người dân về đất đai.
Ngành thủy sản phối hợp với chính quyền địa phương hướng dẫn ngư dân giữ an toàn trên biển.
Công chức tiếp dân phải đeo thẻ, mặc trang phục gọn gàng, nói năng lịch sự, rõ ràng.
Kế hoạch số hóa hồ sơ đất đai được triển khai đồng bộ ở tất cả các xã, phường, thị trấn.
Ban chỉ đạo đánh giá mức độ hài lòng của người dân đối với sự phục vụ của cơ quan hành chính.
Mọi phản ánh về thái độ của cán bộ đều được tiếp nhận, xem xét và trả lời bằng văn bản.
Ủy viên thường trực hội đồng thi đua tổng hợp kết quả, trình cấp có thẩm quyền quyết định.
Chương trình rèn luyện sức khỏe, thể dục giữa giờ góp phần xây dựng môi trường làm việc văn hóa.
Cán bộ, công chức cấp xã gần dân nhất nên phải hiểu dân, trọng dân và vì dân phục vụ.
Việc sáp nhập đơn vị hành chính được thực hiện theo quyết định của cấp có thẩm quyền.
Trung tâm phục vụ hành chính công trả kết quả đúng hẹn và xin lỗi khi giải quyết trễ hạn.
";

/// Punctuation kept as tokens; ids 0..4 in the chain, `.` (id 0) ends a sentence.
pub(crate) const PUNCT: [&str; 4] = [".", ",", ";", ":"];

/// The loaded training material.
pub(crate) struct Training {
    /// Paths relative to the training root, sorted.
    pub(crate) files: Vec<String>,
    /// Raw bytes of every file (each followed by `\n\0`) and the supplement, for hashing.
    pub(crate) raw: Vec<u8>,
    /// Cleaned plain-text lines, each ending a sentence.
    pub(crate) lines: Vec<String>,
}

/// All `.md` files under `root` (recursively, sorted by path so the chain and hence the
/// corpus do not depend on directory order). A missing root gives an empty list.
fn markdown_files(root: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if !root.is_dir() {
        return Ok(out);
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

pub(crate) fn load(root: &Path) -> io::Result<Training> {
    let mut t = Training {
        files: Vec::new(),
        raw: Vec::new(),
        lines: Vec::new(),
    };
    for path in markdown_files(root)? {
        let bytes = fs::read(&path)?;
        let text = String::from_utf8_lossy(&bytes);
        t.lines.extend(clean_markdown(&text));
        t.raw.extend_from_slice(&bytes);
        t.raw.extend_from_slice(b"\n\0");
        let rel = path.strip_prefix(root).unwrap_or(&path);
        t.files.push(rel.to_string_lossy().replace('\\', "/"));
    }
    t.raw.extend_from_slice(SUPPLEMENT.as_bytes());
    t.lines.extend(clean_markdown(SUPPLEMENT));
    Ok(t)
}

/// Remove `[text](url)` link targets (keeping the text), images, autolinks, inline code and
/// HTML tags from one line.
fn strip_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let skip_to = |s: &str, close: char| s.find(close).map(|i| i + close.len_utf8());
        let skip = match c {
            '!' if rest.starts_with("![") => rest
                .find("](")
                .and_then(|i| skip_to(&rest[i..], ')').map(|j| i + j)),
            '`' => skip_to(&rest[1..], '`').map(|j| j + 1),
            '<' => skip_to(rest, '>'),
            // End of link text: drop the target.
            ']' if rest.starts_with("](") => skip_to(rest, ')'),
            _ => None,
        };
        match skip {
            Some(n) => {
                out.push(' ');
                rest = &rest[n..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// Markdown → plain lines: front matter, fenced code, table rules and source lists
/// dropped; heading, list and quote markers removed; table cells become separate lines.
pub(crate) fn clean_markdown(text: &str) -> Vec<String> {
    let text = compose_vietnamese(&text.replace("\r\n", "\n"));
    let mut lines = text.lines().peekable();
    if lines.peek().is_some_and(|l| l.trim_end() == "---") {
        lines.next();
        for l in lines.by_ref() {
            if l.trim_end() == "---" || l.trim_end() == "..." {
                break;
            }
        }
    }
    let mut out = Vec::new();
    let mut fenced = false;
    for line in lines {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced || t.starts_with("Nguồn") || t.starts_with("- Nguồn") {
            continue;
        }
        if t.starts_with('|') {
            if t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
                continue;
            }
            out.extend(t.split('|').map(strip_inline));
            continue;
        }
        let t = t.trim_start_matches(['#', '>', ' ']);
        let t = strip_list_marker(t);
        out.push(strip_inline(t));
    }
    out.retain(|l| l.chars().any(char::is_alphanumeric));
    out
}

fn strip_list_marker(t: &str) -> &str {
    if let Some(rest) = t.strip_prefix(['-', '*', '+']) {
        if rest.starts_with(' ') {
            return rest.trim_start();
        }
    }
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        if let Some(rest) = t[digits..].strip_prefix(['.', ')']) {
            if rest.starts_with(' ') {
                return rest.trim_start();
            }
        }
    }
    t
}

/// Whether a cleaned word is kept. Rejected: anything with a character outside ASCII and
/// the Vietnamese alphabet (emoji, other scripts, leftover combining marks — this keeps
/// the output NFC), URLs and domains, anything with `/` (a document number or date copied
/// from the training text would be a reference to a document the corpus does not have),
/// letter–digit mixtures and long all-ASCII words (source names such as "luatvietnam").
fn keep_word(w: &str) -> bool {
    let inner_ok = |i: usize, c: char| {
        let prev = w[..i].chars().next_back();
        let next = w[i + c.len_utf8()..].chars().next();
        match c {
            '-' => prev.is_some_and(is_vietnamese_alnum) && next.is_some_and(is_vietnamese_alnum),
            '.' | ',' => {
                prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit())
            }
            '%' => next.is_none() && prev.is_some_and(|p| p.is_ascii_digit()),
            c => is_vietnamese_alnum(c),
        }
    };
    if w.is_empty() || !w.char_indices().all(|(i, c)| inner_ok(i, c)) {
        return false;
    }
    let has_digit = w.chars().any(|c| c.is_ascii_digit());
    let has_letter = w
        .chars()
        .any(|c| !c.is_ascii_digit() && c.is_alphanumeric());
    let long_ascii = w.is_ascii() && w.len() >= 8 && w.chars().all(|c| c.is_ascii_lowercase());
    !(long_ascii || has_digit && has_letter)
}

/// Split cleaned lines into word and punctuation tokens. `!`, `?` and `…` end sentences
/// like `.`; dashes between words become commas; every line ends a sentence.
pub(crate) fn tokenize(lines: &[String]) -> Vec<String> {
    let mut toks: Vec<String> = Vec::new();
    let push_punct = |toks: &mut Vec<String>, p: &str| match toks.last().map(String::as_str) {
        None | Some(".") => {}
        Some(last) if PUNCT.contains(&last) => {
            if p == "." {
                *toks.last_mut().expect("non-empty") = ".".to_owned();
            }
        }
        Some(_) => toks.push(p.to_owned()),
    };
    for line in lines {
        for chunk in line.split_whitespace() {
            if matches!(chunk, "-" | "–" | "—") {
                push_punct(&mut toks, ",");
                continue;
            }
            let chunk = chunk.trim_matches(|c: char| "\"'“”‘’()[]{}*_«»".contains(c));
            let core = chunk.trim_end_matches(|c: char| ".,;:!?…\"'“”‘’()[]*_".contains(c));
            let trail = &chunk[core.len()..];
            let core = core.trim_start_matches(['.', ',', ';', ':']);
            if keep_word(core) {
                toks.push(core.to_owned());
            }
            if trail.contains(['.', '!', '?', '…']) {
                push_punct(&mut toks, ".");
            } else if let Some(p) = PUNCT.iter().find(|p| trail.contains(**p)) {
                push_punct(&mut toks, p);
            }
        }
        push_punct(&mut toks, ".");
    }
    toks
}

/// A token bigram chain. Successor lists keep duplicates, so picking uniformly from a
/// list samples the observed bigram frequencies.
pub(crate) struct Chain {
    pub(crate) words: Vec<String>,
    pub(crate) succ: Vec<Vec<u32>>,
    /// Capitalised words seen after a full stop: sentence starts.
    pub(crate) starters: Vec<u32>,
    /// Number of word tokens the chain was trained on.
    pub(crate) tokens: usize,
}

impl Chain {
    pub(crate) fn train(toks: &[String]) -> Chain {
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut words: Vec<String> = Vec::new();
        for p in PUNCT {
            ids.insert(p, words.len() as u32);
            words.push(p.to_owned());
        }
        let mut succ: Vec<Vec<u32>> = vec![Vec::new(); PUNCT.len()];
        let mut prev = 0u32;
        for t in toks {
            let id = *ids.entry(t.as_str()).or_insert_with(|| {
                words.push(t.clone());
                succ.push(Vec::new());
                (words.len() - 1) as u32
            });
            succ[prev as usize].push(id);
            prev = id;
        }
        let starters: Vec<u32> = succ[0]
            .iter()
            .copied()
            .filter(|&id| words[id as usize].starts_with(char::is_uppercase))
            .collect();
        // Dead ends (the last token, a punctuation mark never followed) end the sentence.
        for s in &mut succ {
            if s.is_empty() {
                s.push(0);
            }
        }
        let tokens = toks.iter().filter(|t| !PUNCT.contains(&t.as_str())).count();
        Chain {
            words,
            succ,
            starters,
            tokens,
        }
    }

    pub(crate) fn is_punct(id: u32) -> bool {
        (id as usize) < PUNCT.len()
    }
}
