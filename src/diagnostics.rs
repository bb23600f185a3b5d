//! Content and template diagnostics: every problem names a file, a line and a column.
//!
//! Stages never stop at the first problem: they push diagnostics into a [`Diagnostics`]
//! collection and carry on, so one build reports everything an editor has to fix. Rendering
//! uses `codespan-reporting`, which draws the excerpt and the caret for us, over a window of
//! the line ([`excerpt`]) so the output stays small whatever the input.

mod excerpt;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::Buffer};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// How bad a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the build (exit code 1).
    Error,
    /// Reported, but the site is still written.
    Warning,
}

impl Severity {
    /// How every line the binary prints starts: `lỗi:` or `cảnh báo:`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Error => "lỗi:",
            Self::Warning => "cảnh báo:",
        }
    }
}

/// Where a diagnostic points: a file relative to the site root, and a byte span in its text.
#[derive(Debug, Clone)]
pub struct Location {
    /// Path relative to the site root, with `/` separators (`content/van-ban/qd.md`).
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The file's text and the span inside it, when we have them (for the excerpt).
    pub source: Option<(Arc<str>, Range<usize>)>,
}

impl Location {
    /// A location inside a text we hold, from a byte offset.
    pub fn at_offset(path: &str, text: &Arc<str>, span: Range<usize>) -> Self {
        let (line, column) = line_col(text, span.start);
        Self {
            path: path.to_owned(),
            line,
            column,
            source: Some((Arc::clone(text), span)),
        }
    }

    /// [`Location::at_offset`] with the file's line table built once: a file with ten
    /// thousand diagnostics is not rescanned from its start for each.
    pub fn at_offset_in(
        lines: &mut LineIndex,
        path: &str,
        text: &Arc<str>,
        span: Range<usize>,
    ) -> Self {
        let (line, column) = lines.line_col(text, span.start);
        Self {
            path: path.to_owned(),
            line,
            column,
            source: Some((Arc::clone(text), span)),
        }
    }

    /// A location known only by line and column (for example from a template engine).
    pub fn at_line(path: &str, line: usize, column: usize) -> Self {
        Self {
            path: path.to_owned(),
            line,
            column,
            source: None,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The line starts of one text, for many [`line_col`] look-ups in it.
pub struct LineIndex {
    starts: Vec<usize>,
    /// The last look-up (offset, column): columns of later offsets on the same line are
    /// counted from there, so many diagnostics on one long line stay linear.
    last: (usize, usize),
}

impl LineIndex {
    /// The line table of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            starts,
            last: (0, 1),
        }
    }

    /// 1-based line and column (in characters) of a byte offset of the text the index was
    /// built from; equal to [`line_col`].
    pub fn line_col(&mut self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let line_start = self.starts[line - 1];
        let (from, column) = if (line_start..=offset).contains(&self.last.0) {
            self.last
        } else {
            (line_start, 1)
        };
        let column = column + text[from..offset].chars().count();
        self.last = (offset, column);
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One problem found in the site's input.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where; `None` only for problems with no file (such as a missing `content/` folder).
    pub location: Option<Box<Location>>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when we can tell.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at a location.
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            location: Some(Box::new(location)),
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at a location.
    pub fn warning(location: Location, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(location, message)
        }
    }

    /// An error that concerns the site as a whole.
    pub fn global_error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            location: None,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Renders with an excerpt and caret, as printed by the command line. Control
    /// characters anywhere in it are written visibly (`\u{1b}`), so content cannot drive the
    /// terminal, and the excerpt is a window of the line, so its size is bounded.
    pub fn render(&self) -> String {
        let mut cs = match self.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_message(crate::text::visible(&self.message));
        if let Some(hint) = &self.hint {
            cs = cs.with_notes(vec![format!("gợi ý: {}", crate::text::visible(hint))]);
        }
        let mut buffer = Buffer::no_color();
        let config = term::Config::default();
        let emitted = match self.location.as_deref() {
            Some(Location {
                path,
                line,
                column,
                source: Some((text, span)),
            }) => {
                let file = excerpt::Excerpt::around(path, text, span, *line, *column);
                let cs = cs.with_labels(vec![Label::primary((), file.span.clone())]);
                term::emit(&mut buffer, &config, &file, &cs)
            }
            _ => {
                let file = SimpleFile::new("", "");
                let mut cs = cs;
                cs.message = crate::text::visible(&self.to_string_without_severity()).into_owned();
                term::emit(&mut buffer, &config, &file, &cs)
            }
        };
        if emitted.is_err() {
            return crate::text::visible(&self.to_string()).into_owned();
        }
        // codespan writes the severity in English and cannot be told otherwise: the header
        // starts with it (no colour, no code), so it is swapped for ours.
        let text = String::from_utf8_lossy(buffer.as_slice());
        let english = match self.severity {
            Severity::Error => "error:",
            Severity::Warning => "warning:",
        };
        match text.strip_prefix(english) {
            Some(rest) => format!("{}{rest}", self.severity.label()),
            None => text.into_owned(),
        }
    }

    fn to_string_without_severity(&self) -> String {
        match self.location.as_deref() {
            Some(l) => format!("{}:{}:{}: {}", l.path, l.line, l.column, self.message),
            None => self.message.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `lỗi: content/a.md:3:1: message (gợi ý: hint)`, used in tests, logs and
    /// the serve overlay.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            self.severity.label(),
            self.to_string_without_severity()
        )?;
        if let Some(hint) = &self.hint {
            write!(f, " (gợi ý: {hint})")?;
        }
        Ok(())
    }
}

/// All diagnostics of one build, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Moves every diagnostic of `other` into this collection.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Sorts errors first, then by file and position, so output is deterministic even when
    /// stages ran in parallel.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.location
                    .as_ref()
                    .map(|l| (l.path.clone(), l.line, l.column))
            };
            (a.severity, key(a), &a.message).cmp(&(b.severity, key(b), &b.message))
        });
    }

    /// The diagnostics, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Self {
            items: iter.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "một\nhai ba";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, "một\nhai ".len()), (2, 5));
        assert_eq!(line_col("ấy x", "ấy ".len()), (1, 4));
    }

    #[test]
    fn the_line_index_agrees_with_line_col() {
        let text = "một\nhai ba\n\nấy x ấy\n";
        let mut lines = LineIndex::new(text);
        // In order, backwards and past the end: the remembered column must not leak.
        let offsets: Vec<usize> = (0..=text.len() + 2).chain((0..text.len()).rev()).collect();
        for offset in offsets {
            assert_eq!(
                lines.line_col(text, offset),
                line_col(text, offset),
                "{offset}"
            );
        }
    }

    #[test]
    fn rendering_bounds_the_excerpt_and_escapes_controls() {
        let text: Arc<str> =
            Arc::from(format!("{}\u{1b}[2J{}", "x".repeat(5000), "y".repeat(5000)));
        let d = Diagnostic::error(
            Location::at_offset("content/a\u{1b}.md", &text, 5000..5001),
            "tiêu đề \u{1b}[31m",
        )
        .with_hint("\u{9b}");
        let out = d.render();
        assert!(out.len() < 1000, "{out}");
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{9b}'),
            "{out:?}"
        );
        assert!(out.contains("content/a\\u{1b}.md:1:5001"), "{out}");
        assert!(out.contains("\\u{1b}[2J"), "{out}");
        assert!(out.contains("tiêu đề \\u{1b}[31m"), "{out}");
    }

    #[test]
    fn rendering_names_path_line_and_column() {
        let text: Arc<str> = Arc::from("---\ntitel: x\n---\n");
        let d = Diagnostic::error(Location::at_offset("content/a.md", &text, 4..9), "khóa lạ")
            .with_hint("title");
        let out = d.render();
        assert!(out.contains("content/a.md:2:1"), "{out}");
        assert!(out.contains("titel: x"), "{out}");
        assert_eq!(
            d.to_string(),
            "lỗi: content/a.md:2:1: khóa lạ (gợi ý: title)"
        );
        assert!(out.starts_with("lỗi: khóa lạ\n"), "{out}");
        let w = Diagnostic::warning(Location::at_offset("content/a.md", &text, 4..9), "cũ");
        assert!(w.render().starts_with("cảnh báo: cũ\n"), "{}", w.render());
    }
}
