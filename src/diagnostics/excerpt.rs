//! The source excerpt under a diagnostic: one line, cut to a window around the column.
//!
//! codespan-reporting would print the whole line of the span (and rebuild the file's line
//! table for every diagnostic): sixteen thousand broken links on one line printed that line
//! sixteen thousand times, gigabytes of output. An [`Excerpt`] holds at most
//! [`WINDOW`] characters of the line, with `…` where it was cut and control characters
//! written visibly, and tells codespan the real line and column.

use codespan_reporting::files::{Error, Files};
use std::ops::Range;

/// Characters of the line shown on each side of the span's start.
pub(super) const WINDOW: usize = 60;

/// A window of one line of a file, ready for codespan.
pub(super) struct Excerpt {
    /// The file's path, made visible.
    name: String,
    /// The window's text (`…` at a cut end).
    text: String,
    /// The span inside `text`.
    pub(super) span: Range<usize>,
    /// The real 1-based line and column of the span's start.
    line: usize,
    column: usize,
}

impl Excerpt {
    /// The window of `text` around `span`, whose start is at `line`:`column`.
    pub(super) fn around(
        name: &str,
        text: &str,
        span: &Range<usize>,
        line: usize,
        column: usize,
    ) -> Self {
        let at = floor_boundary(text, span.start.min(text.len()));
        let before = &text[..at];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        // Walk back at most WINDOW characters, and stop at the line's start.
        let start = before[line_start..]
            .char_indices()
            .rev()
            .nth(WINDOW - 1)
            .map_or(line_start, |(i, _)| line_start + i);
        let rest = &text[at..];
        let line_end = at + rest.find('\n').unwrap_or(rest.len());
        let end = text[at..line_end]
            .char_indices()
            .nth(WINDOW)
            .map_or(line_end, |(i, _)| at + i);
        let span_end = floor_boundary(text, span.end.clamp(at, end));
        let mut out = String::with_capacity(end - start + 8);
        if start > line_start {
            out.push('…');
        }
        let mut mapped = 0..0;
        push_visible(&text[start..at], &mut out);
        mapped.start = out.len();
        push_visible(&text[at..span_end], &mut out);
        mapped.end = out.len();
        push_visible(&text[span_end..end], &mut out);
        if end < line_end {
            out.push('…');
        }
        Self {
            name: crate::text::visible(name).into_owned(),
            text: out,
            span: mapped,
            line,
            column,
        }
    }
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn push_visible(text: &str, out: &mut String) {
    out.push_str(&crate::text::visible(text));
}

impl<'a> Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), _byte_index: usize) -> Result<usize, Error> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), _line_index: usize) -> Result<usize, Error> {
        Ok(self.line)
    }

    /// The real column of the span's start (the only place codespan prints a column);
    /// other positions are counted from it.
    fn column_number(&'a self, (): (), _line: usize, byte_index: usize) -> Result<usize, Error> {
        let byte_index = floor_boundary(&self.text, byte_index.min(self.text.len()));
        let from = self.span.start.min(byte_index);
        let to = self.span.start.max(byte_index);
        let between = self.text[from..to].chars().count();
        Ok(if byte_index >= self.span.start {
            self.column + between
        } else {
            self.column.saturating_sub(between).max(1)
        })
    }

    fn line_range(&'a self, (): (), _line_index: usize) -> Result<Range<usize>, Error> {
        Ok(0..self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_line_is_shown_whole() {
        let text = "---\ntitle: x\n---\n";
        let e = Excerpt::around("a.md", text, &(4..9), 2, 1);
        assert_eq!(e.text, "title: x");
        assert_eq!(&e.text[e.span.clone()], "title");
    }

    #[test]
    fn a_long_line_is_cut_around_the_span() {
        let line = "[a](x.md) ".repeat(1000);
        let at = 5000;
        let e = Excerpt::around("a.md", &line, &(at..at + 1), 1, at + 1);
        assert!(
            e.text.starts_with('…') && e.text.ends_with('…'),
            "{}",
            e.text
        );
        assert_eq!(e.text.chars().count(), 2 * WINDOW + 2);
        assert_eq!(&e.text[e.span.clone()], &line[at..at + 1]);
    }

    #[test]
    fn controls_in_the_line_are_escaped() {
        let text = "a\u{1b}[2Jb";
        let e = Excerpt::around("c\u{7}.md", text, &(5..6), 1, 6);
        assert_eq!(e.text, "a\\u{1b}[2Jb");
        assert_eq!(&e.text[e.span.clone()], "b");
        assert_eq!(e.name, "c\\u{7}.md");
    }
}
