//! Typed, located reading of YAML mappings (front matter and `site.yaml`).
//!
//! A [`Fields`] wraps the top-level entries of one mapping together with where that mapping
//! sits in its file, so every problem (an unknown key, a wrong type, a bad date) becomes a
//! diagnostic pointing at the key's line. Getters never stop the caller: they record the
//! problem and return `None`, so one file yields all of its errors at once.

use crate::diagnostics::{Diagnostic, Location};
use crate::yaml::{Entry, Yaml};
use std::sync::Arc;
use time::Date;

/// The entries of one YAML mapping, plus the bookkeeping to locate them in the source file.
pub struct Fields<'a> {
    entries: Vec<Entry>,
    path: &'a str,
    text: &'a Arc<str>,
    /// Byte offset in `text` where the YAML starts (after the opening `---` line).
    yaml_start: usize,
    /// Problems found so far.
    pub diagnostics: Vec<Diagnostic>,
    /// Byte offsets of the text's lines, built at the first diagnostic: twenty thousand
    /// unknown keys each rescanning the file from its start took minutes.
    line_starts: std::cell::OnceCell<Vec<usize>>,
}

/// Parses `YYYY-MM-DD` into a date.
pub fn parse_date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &format).ok()
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    date.format(&format).unwrap_or_default()
}

/// The closest known key to an unknown one, for "did you mean" hints.
pub fn suggest<'k>(unknown: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), *k))
        .filter(|(score, _)| *score > 0.8)
        // Ties go to the smallest key: `known` often comes from a hash set, whose order
        // differs between two builds of the same site.
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, k)| k)
}

impl<'a> Fields<'a> {
    /// Wraps parsed entries. `yaml_start` is the byte offset of the YAML text inside `text`.
    pub fn new(entries: Vec<Entry>, path: &'a str, text: &'a Arc<str>, yaml_start: usize) -> Self {
        Self {
            entries,
            path,
            text,
            yaml_start,
            diagnostics: Vec::new(),
            line_starts: std::cell::OnceCell::new(),
        }
    }

    /// The location of a key's line (or of the mapping's start when the key is absent).
    pub fn location(&self, key: &str) -> Location {
        let line = self
            .entries
            .iter()
            .find(|e| e.key == key)
            .map_or(0, |e| e.line);
        self.line_location(line)
    }

    /// Where every key was written, in order, in one pass (looking each key up among the
    /// entries was quadratic in their number).
    pub fn locations(&self) -> Vec<(String, Location)> {
        self.entries
            .iter()
            .map(|e| (e.key.clone(), self.line_location(e.line)))
            .collect()
    }

    /// The location of a whole line of the YAML (1-based; 0 for the mapping's start).
    fn line_location(&self, line: usize) -> Location {
        let starts = self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        });
        // The file line holding `yaml_start`, then `line - 1` lines below it.
        let first = starts.partition_point(|&s| s <= self.yaml_start);
        let file_line = (first + line.saturating_sub(1)).min(starts.len());
        let offset = if line > 1 {
            starts[file_line - 1]
        } else {
            self.yaml_start
        };
        let end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        let (file_line, column) = if line > 1 {
            (file_line, 1)
        } else {
            crate::diagnostics::line_col(self.text, offset)
        };
        Location {
            path: self.path.to_owned(),
            line: file_line,
            column,
            source: Some((Arc::clone(self.text), offset..end.max(offset))),
        }
    }

    /// Records an error at a key.
    pub fn error(&mut self, key: &str, message: String, hint: Option<String>) {
        let mut d = Diagnostic::error(self.location(key), message);
        d.hint = hint;
        self.diagnostics.push(d);
    }

    /// Reports every key not in `known` (with a hint naming the closest known key).
    pub fn reject_unknown(&mut self, known: &[&str], what: &str) {
        let unknown: Vec<(String, usize)> = self
            .entries
            .iter()
            .filter(|e| !known.contains(&e.key.as_str()))
            .map(|e| (e.key.clone(), e.line))
            .collect();
        for (key, line) in unknown {
            let hint = match suggest(&key, known) {
                Some(k) => format!("có phải ý bạn là `{k}`?"),
                None => format!("các khóa hợp lệ: {}", known.join(", ")),
            };
            let d = Diagnostic::error(
                self.line_location(line),
                format!("khóa `{key}` không được dùng trong {what}"),
            )
            .with_hint(hint);
            self.diagnostics.push(d);
        }
    }

    /// Whether a key is present.
    pub fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|e| e.key == key)
    }

    fn value(&self, key: &str) -> Option<&Yaml> {
        self.entries
            .iter()
            .find(|e| e.key == key)
            .map(|e| &e.value)
            .filter(|v| !matches!(v, Yaml::Null))
    }

    fn type_error(&mut self, key: &str, expected: &str) {
        let found = self.value(key).map_or("rỗng", Yaml::type_name);
        self.error(
            key,
            format!("khóa `{key}` phải là {expected}, nhưng đang là {found}"),
            None,
        );
    }

    /// A string value (numbers are accepted and turned into text).
    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.value(key)? {
            Yaml::Str(s) => Some(crate::text::nfc(s)),
            Yaml::Int(i) => Some(i.to_string()),
            Yaml::Float(f) => Some(f.to_string()),
            _ => {
                self.type_error(key, "chuỗi");
                None
            }
        }
    }

    /// A boolean value.
    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        match self.value(key)? {
            Yaml::Bool(b) => Some(*b),
            _ => {
                self.type_error(key, "true hoặc false");
                None
            }
        }
    }

    /// An integer value.
    pub fn integer(&mut self, key: &str) -> Option<i64> {
        match self.value(key)? {
            Yaml::Int(i) => Some(*i),
            _ => {
                self.type_error(key, "số nguyên");
                None
            }
        }
    }

    /// A `YYYY-MM-DD` date.
    pub fn date(&mut self, key: &str) -> Option<Date> {
        let text = match self.value(key)? {
            Yaml::Str(s) => s.clone(),
            _ => {
                self.type_error(key, "ngày dạng YYYY-MM-DD");
                return None;
            }
        };
        let date = parse_date(&text);
        if date.is_none() {
            self.error(
                key,
                format!("khóa `{key}`: \"{text}\" không phải ngày hợp lệ"),
                Some("viết ngày dạng YYYY-MM-DD, ví dụ 2019-04-22".into()),
            );
        }
        date
    }

    /// A list of strings; a single string is accepted as a one-item list.
    pub fn string_list(&mut self, key: &str) -> Vec<String> {
        match self.value(key) {
            None => Vec::new(),
            Some(Yaml::Str(s)) => vec![crate::text::nfc(s)],
            Some(Yaml::List(items)) => {
                let mut out = Vec::with_capacity(items.len());
                let mut bad = false;
                for item in items {
                    match item {
                        Yaml::Str(s) => out.push(crate::text::nfc(s)),
                        Yaml::Int(i) => out.push(i.to_string()),
                        _ => bad = true,
                    }
                }
                if bad {
                    self.type_error(key, "danh sách chuỗi");
                }
                out
            }
            Some(_) => {
                self.type_error(key, "danh sách chuỗi");
                Vec::new()
            }
        }
    }

    /// A nested mapping, returned as raw YAML (for theme-specific `extra` settings).
    pub fn raw(&self, key: &str) -> Option<Yaml> {
        self.value(key).cloned()
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn suggestions_do_not_depend_on_the_order_of_the_candidates() {
        let a = ["dieu-364", "dieu-354", "dieu-3"];
        let b = ["dieu-354", "dieu-3", "dieu-364"];
        assert_eq!(suggest("dieu-98", &a), suggest("dieu-98", &b));
        assert!(suggest("dieu-98", &a).is_some());
    }

    use super::*;

    #[test]
    fn suggestions_pick_the_closest_key() {
        assert_eq!(suggest("titel", &["title", "date"]), Some("title"));
        assert_eq!(suggest("zzz", &["title", "date"]), None);
    }

    #[test]
    fn dates_must_exist_on_the_calendar() {
        assert!(parse_date("2019-04-22").is_some());
        assert!(parse_date("2019-02-30").is_none());
        assert!(parse_date("22/4/2019").is_none());
    }
}
