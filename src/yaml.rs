//! The one place that touches `serde_yaml`.
//!
//! `serde_yaml` is deprecated upstream; keeping it behind this module (which exposes only our
//! own [`Yaml`] tree and top-level entries with their line numbers) means swapping it for
//! another parser touches one file.

use std::fmt;

/// A YAML value, reduced to what front matter and `site.yaml` use.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    /// `~`, `null` or an empty value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// Any string, including unquoted dates (YAML 1.2 has no timestamp type).
    Str(String),
    /// A sequence.
    List(Vec<Yaml>),
    /// A mapping with string keys, in document order.
    Map(Vec<(String, Yaml)>),
}

impl Yaml {
    /// A short Vietnamese name of the value's type, for "expected X, found Y" messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Yaml::Null => "rỗng",
            Yaml::Bool(_) => "true/false",
            Yaml::Int(_) => "số nguyên",
            Yaml::Float(_) => "số thực",
            Yaml::Str(_) => "chuỗi",
            Yaml::List(_) => "danh sách",
            Yaml::Map(_) => "bảng khóa–giá trị",
        }
    }
}

/// A top-level key of a mapping document, with the line it starts on.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// Its value.
    pub value: Yaml,
    /// 1-based line of the key inside the parsed text (0 when it could not be located).
    pub line: usize,
    /// 1-based column of the key.
    pub column: usize,
}

/// A YAML syntax error, or a document that is not a mapping.
#[derive(Debug, Clone)]
pub struct YamlError {
    /// 1-based line inside the parsed text.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong, in Vietnamese, without the parser's own position text (the caller
    /// shows the located position; a second, relative one only contradicted it).
    pub message: String,
    /// How to fix it, when the problem is one we recognise.
    pub hint: Option<String>,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

fn convert(value: serde_yaml::Value) -> Result<Yaml, String> {
    use serde_yaml::Value as V;
    Ok(match value {
        V::Null => Yaml::Null,
        V::Bool(b) => Yaml::Bool(b),
        V::Number(n) => match n.as_i64() {
            Some(i) => Yaml::Int(i),
            None => Yaml::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        // `"\0"` is a valid YAML escape; NUL must reach no page (see `load`).
        V::String(s) if s.contains('\0') => Yaml::Str(crate::text::replace_nul(&s).into_owned()),
        V::String(s) => Yaml::Str(s),
        V::Sequence(items) => Yaml::List(items.into_iter().map(convert).collect::<Result<_, _>>()?),
        V::Mapping(map) => {
            let mut out = Vec::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    V::String(s) => s,
                    V::Number(n) => n.to_string(),
                    V::Bool(b) => b.to_string(),
                    other => return Err(format!("khóa không phải chuỗi: {other:?}")),
                };
                out.push((key, convert(v)?));
            }
            Yaml::Map(out)
        }
        V::Tagged(tagged) => convert(tagged.value)?,
    })
}

/// The line where each top-level key is first written (a line starting at column 1 with
/// the key, optionally quoted, then `:`), in one pass over the text: searching the text
/// again for each key made twenty thousand keys quadratic.
fn key_lines(text: &str) -> std::collections::HashMap<&str, usize> {
    let mut lines = std::collections::HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let trimmed = line.trim_start_matches(['"', '\'']);
        for (colon, _) in trimmed.match_indices(':') {
            let key = trimmed[..colon].trim_end().trim_end_matches(['"', '\'']);
            lines.entry(key).or_insert(i + 1);
        }
    }
    lines
}

/// How deep `[` and `{` may nest, counted naively (every bracket, even in a string).
/// serde_yaml stops at 128 levels itself, but only after libyaml has scanned the whole
/// document, and libyaml re-checks every open level at every token: 100,000 unclosed `[`
/// took 25 s. Real front matter nests two or three levels; a string needs more than 256
/// unclosed brackets to be refused by mistake.
const MAX_FLOW_DEPTH: usize = 256;

/// Where the naive bracket depth of `text` first goes past [`MAX_FLOW_DEPTH`].
fn too_deep(text: &str) -> Option<YamlError> {
    let mut depth = 0usize;
    let (mut line, mut line_start) = (1, 0);
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => (line, line_start) = (line + 1, i + 1),
            _ => continue,
        }
        if depth > MAX_FLOW_DEPTH {
            return Some(YamlError {
                line,
                column: text[line_start..i].chars().count() + 1,
                message: format!("quá {MAX_FLOW_DEPTH} dấu `[` hoặc `{{` lồng nhau chưa đóng"),
                hint: Some("đóng mỗi `[` bằng `]` và mỗi `{` bằng `}`".into()),
            });
        }
    }
    None
}

/// Parses a YAML document that must be a mapping (or empty) into its top-level entries.
pub fn parse_mapping(text: &str) -> Result<Vec<Entry>, YamlError> {
    if let Some(e) = too_deep(text) {
        return Err(e);
    }
    let value: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| syntax_error(text, &e))?;
    let tree = convert(value).map_err(|message| YamlError {
        line: 1,
        column: 1,
        message,
        hint: None,
    })?;
    match tree {
        Yaml::Null => Ok(Vec::new()),
        Yaml::Map(entries) => {
            let lines = key_lines(text);
            Ok(entries
                .into_iter()
                .map(|(key, value)| {
                    let line = lines.get(key.as_str()).copied().unwrap_or(0);
                    Entry {
                        key,
                        value,
                        line,
                        column: usize::from(line > 0),
                    }
                })
                .collect())
        }
        other => Err(YamlError {
            line: 1,
            column: 1,
            message: format!(
                "cần một bảng khóa–giá trị (key: value), nhưng gặp {}",
                other.type_name()
            ),
            hint: None,
        }),
    }
}

/// The parser's text cut into its parts: `PROBLEM at line L column C, while CONTEXT at
/// line L column C`. Positions are 1-based.
struct Parts<'a> {
    problem: &'a str,
    context: Option<&'a str>,
    context_at: Option<(usize, usize)>,
}

/// Splits `… at line 3 column 1` into the text and its position.
fn strip_position(text: &str) -> (&str, Option<(usize, usize)>) {
    let Some(i) = text.rfind(" at line ") else {
        return (text, None);
    };
    let pos = &text[i + " at line ".len()..];
    let parsed = pos.split_once(" column ").and_then(|(l, c)| {
        let c = c.split(|ch: char| !ch.is_ascii_digit()).next()?;
        Some((l.parse().ok()?, c.parse().ok()?))
    });
    match parsed {
        Some(p) => (&text[..i], Some(p)),
        None => (text, None),
    }
}

fn split_message(message: &str) -> Parts<'_> {
    let (problem, context) = match message.split_once(", while ") {
        Some((p, c)) => (p, Some(c)),
        None => (message, None),
    };
    let (problem, _) = strip_position(problem);
    let (context, context_at) = match context.map(strip_position) {
        Some((c, at)) => (Some(c), at),
        None => (None, None),
    };
    Parts {
        problem,
        context,
        context_at,
    }
}

/// The line and column of the second top-level `key:` (serde_yaml gives no position for a
/// duplicate key).
fn second_key(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let l = line.trim_start_matches(['"', '\'']);
            !line.starts_with([' ', '\t'])
                && l.strip_prefix(key).is_some_and(|rest| {
                    rest.trim_start_matches(['"', '\''])
                        .trim_start()
                        .starts_with(':')
                })
        })
        .nth(1)
        .map(|(i, _)| (i + 1, 1))
}

/// Turns serde_yaml's English error into one Vietnamese message at the place to fix, with a
/// hint only for problems whose fix we know.
fn syntax_error(text: &str, e: &serde_yaml::Error) -> YamlError {
    let raw = e.to_string();
    let at = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    let parts = split_message(&raw);
    let quote = "đặt giá trị trong ngoặc kép, ví dụ: title: \"Quyết định: sửa đổi\"";
    let (message, hint, at): (String, Option<String>, (usize, usize)) = match parts.problem {
        "mapping values are not allowed in this context" => (
            "dấu `:` theo sau là dấu cách chỉ được dùng sau khóa; giá trị này chứa `: `".into(),
            Some(quote.into()),
            at,
        ),
        "found character that cannot start any token" => (
            "giá trị không được bắt đầu bằng ký tự này (`@`, `` ` ``, `%`, tab…)".into(),
            Some("đặt giá trị trong ngoặc kép".into()),
            at,
        ),
        "found unexpected end of stream"
            if parts.context.is_some_and(|c| c.contains("quoted scalar")) =>
        {
            (
                "chuỗi mở ngoặc ở đây nhưng không đóng ngoặc".into(),
                Some("thêm dấu ngoặc đóng ở cuối chuỗi".into()),
                parts.context_at.unwrap_or(at),
            )
        }
        "did not find expected ',' or ']'" => (
            "danh sách mở bằng `[` ở đây nhưng không đóng bằng `]`".into(),
            None,
            parts.context_at.unwrap_or(at),
        ),
        "did not find expected ',' or '}'" => (
            "bảng mở bằng `{` ở đây nhưng không đóng bằng `}`".into(),
            None,
            parts.context_at.unwrap_or(at),
        ),
        "found unknown escape character" => (
            "ký tự sau `\\` trong chuỗi ngoặc kép không hợp lệ".into(),
            Some("dùng ngoặc đơn ('…') hoặc viết `\\\\`".into()),
            at,
        ),
        "could not find expected ':'" => (
            "dòng này thiếu dấu `:` giữa khóa và giá trị".into(),
            None,
            parts.context_at.unwrap_or(at),
        ),
        "found a tab character that violates indentation" => (
            "không được thụt lề bằng ký tự tab".into(),
            Some("thụt lề bằng dấu cách".into()),
            at,
        ),
        "unknown anchor" => (
            "giá trị bắt đầu bằng `*` bị hiểu là bí danh YAML".into(),
            Some("đặt giá trị trong ngoặc kép".into()),
            at,
        ),
        "did not find expected key" | "block sequence entries are not allowed in this context" => (
            "thụt lề không đúng: dòng này không thuộc khóa nào".into(),
            None,
            at,
        ),
        "recursion limit exceeded" => ("giá trị lồng nhau quá sâu".into(), None, at),
        p if p.starts_with("duplicate entry with key ") => {
            let key = p["duplicate entry with key ".len()..].trim_matches('"');
            (
                format!("khóa `{key}` được viết hai lần"),
                Some("giữ một dòng cho mỗi khóa".into()),
                second_key(text, key).unwrap_or(at),
            )
        }
        p => (format!("lỗi cú pháp ({p})"), None, at),
    };
    YamlError {
        line: at.0,
        column: at.1,
        message,
        hint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_brackets_are_refused_before_parsing() {
        let text = format!("a: 1\nb: {}\n", "[".repeat(100_000));
        let e = parse_mapping(&text).unwrap_err();
        assert_eq!((e.line, e.column), (2, 4 + MAX_FLOW_DEPTH), "{}", e.message);
        assert!(e.message.contains("lồng nhau"), "{}", e.message);
        // Closed brackets, however many, are not nesting.
        let flat = format!("a: \"{}\"\n", "[]".repeat(10_000));
        assert_eq!(parse_mapping(&flat).unwrap().len(), 1);
    }

    #[test]
    fn entries_keep_order_and_lines() {
        let e = parse_mapping("title: \"A\"\n\ndate: 2019-08-07\ntopics: [a, b]\n").unwrap();
        assert_eq!(e[0].key, "title");
        assert_eq!(e[1].line, 3);
        assert_eq!(e[1].value, Yaml::Str("2019-08-07".into()));
        let nul = parse_mapping("a: \"x\\0y\"\n").unwrap();
        assert_eq!(nul[0].value, Yaml::Str("x\u{fffd}y".into()));
        assert_eq!(
            e[2].value,
            Yaml::List(vec![Yaml::Str("a".into()), Yaml::Str("b".into())])
        );
    }

    #[test]
    fn parser_text_is_translated_and_positioned_once() {
        let cases = [
            ("title: Quy định: mới\n", 1, 16, "`: `", true),
            ("title: \"abc\nx: 1\n", 1, 8, "không đóng ngoặc", false),
            ("title: [a, b\n", 1, 8, "`]`", false),
            (
                "title: A\ntitle: B\n",
                2,
                1,
                "`title` được viết hai lần",
                false,
            ),
            ("title: @x\n", 1, 8, "ký tự này", false),
            ("title: x\nfoo\n", 2, 1, "thiếu dấu `:`", false),
        ];
        for (text, line, column, needle, colon_hint) in cases {
            let e = parse_mapping(text).unwrap_err();
            assert_eq!((e.line, e.column), (line, column), "{text:?}: {e:?}");
            assert!(e.message.contains(needle), "{text:?}: {e:?}");
            assert!(!e.message.contains("line"), "{text:?}: {e:?}");
            let quote_hint = e
                .hint
                .as_deref()
                .is_some_and(|h| h.contains("ngoặc kép, ví dụ"));
            assert_eq!(quote_hint, colon_hint, "{text:?}: {e:?}");
        }
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let err = parse_mapping("title: \"A\nb: [").unwrap_err();
        assert!(err.line >= 1);
        assert!(parse_mapping("- a\n- b\n").is_err());
    }
}
