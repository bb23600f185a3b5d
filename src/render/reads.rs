//! Which page fields a template can read, so that a build computes only those.
//!
//! A page's context holds some costly values (JSON-LD, a document's metadata and what cites
//! it, breadcrumbs, listings of child pages). A lean theme that never prints them should not
//! pay for them on every page: Hugo computes such page values only when a template asks for
//! them, and this is the static equivalent. The answer is an over-approximation from the
//! template text: a field counts as read when its name appears inside any `{{ }}` or `{% %}`
//! tag of the template, of a template it names (extends, includes, imports), and so on.
//! Reading a field needs its name written somewhere (`page.jsonld`, `d.status` after
//! `{% set d = page.document %}`, `get(key="jsonld")`), except through a few constructs that
//! reach every key at once; a template using one of those reads everything:
//! `__tera_context`, `json_encode`, the `get` filter, a key-value `for` loop, and a square
//! bracket indexed by a variable.

use std::collections::{HashMap, HashSet};

/// The fields one template (with every template it names) can read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reads {
    /// Reads every field: a construct reaches keys by a computed name.
    all: bool,
    /// Every identifier and string literal inside the template's tags.
    names: HashSet<String>,
}

impl Reads {
    /// Reads every field (for templates not known to the renderer).
    pub fn everything() -> Self {
        Self {
            all: true,
            names: HashSet::new(),
        }
    }

    /// Whether a template may read a field or value called `name`.
    pub fn has(&self, name: &str) -> bool {
        self.all || self.names.contains(name)
    }

    fn absorb(&mut self, other: &Reads) {
        self.all |= other.all;
        self.names.extend(other.names.iter().cloned());
    }
}

/// What the tags of one template's own text mention: names, string literals and whether it
/// reads everything.
fn scan(text: &str) -> (Reads, Vec<String>) {
    let mut reads = Reads::default();
    let mut literals = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = match after.as_bytes().first() {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            _ => {
                rest = after;
                continue;
            }
        };
        let body = &after[1..];
        let end = body.find(close).unwrap_or(body.len());
        tag(&body[..end], &mut reads, &mut literals);
        rest = &body[end..];
    }
    (reads, literals)
}

/// Adds the names and literals of one tag's inside.
fn tag(body: &str, reads: &mut Reads, literals: &mut Vec<String>) {
    let bytes = body.as_bytes();
    let mut words: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' || b == b'\'' || b == b'`' {
            let end = body[i + 1..]
                .find(b as char)
                .map_or(body.len(), |e| i + 1 + e);
            let literal = &body[i + 1..end];
            literals.push(literal.to_owned());
            // A literal can name a field (`get(key="jsonld")`, `map(attribute="title")`).
            for w in literal.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                if !w.is_empty() {
                    reads.names.insert(w.to_owned());
                }
            }
            i = end + 1;
        } else if b.is_ascii_alphabetic() || b == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let word = &body[start..i];
            reads.names.insert(word.to_owned());
            words.push(word);
        } else {
            if b == b'[' {
                // `x[name]` reads a key chosen at render time; `x["name"]` and `x[0]` do not.
                let next = body[i + 1..].trim_start().bytes().next();
                if next.is_some_and(|c| c.is_ascii_alphabetic() || c == b'_') {
                    reads.all = true;
                }
            }
            i += 1;
        }
    }
    // `{%- for` is whitespace control: the tag's own text starts after the dash.
    let key_value_for = body
        .trim_start_matches(|c: char| c == '-' || c.is_whitespace())
        .strip_prefix("for")
        .is_some_and(|rest| rest.starts_with(char::is_whitespace))
        && body
            .split_once(" in ")
            .is_some_and(|(head, _)| head.contains(','));
    if key_value_for
        || words
            .iter()
            .any(|w| matches!(*w, "__tera_context" | "json_encode" | "get"))
    {
        reads.all = true;
    }
}

/// The fields each template can read, by template name, from the templates' sources.
pub(super) fn reads_of<'a>(
    templates: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> HashMap<String, Reads> {
    let own: HashMap<&str, (Reads, Vec<String>)> = templates
        .into_iter()
        .map(|(name, text)| (name, scan(text)))
        .collect();
    own.keys()
        .map(|&name| {
            // Every template reachable through names written in tags.
            let mut reads = Reads::default();
            let mut seen = HashSet::from([name]);
            let mut todo = vec![name];
            while let Some(t) = todo.pop() {
                let (r, literals) = &own[t];
                reads.absorb(r);
                for l in literals {
                    if let Some((&other, _)) = own.get_key_value(l.as_str()) {
                        if seen.insert(other) {
                            todo.push(other);
                        }
                    }
                }
            }
            (name.to_owned(), reads)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(templates: &[(&str, &str)], name: &str) -> Reads {
        reads_of(templates.iter().copied()).remove(name).unwrap()
    }

    #[test]
    fn names_inside_tags_count_and_text_outside_does_not() {
        let r = reads(
            &[(
                "p.html",
                "<p>jsonld toc</p>{{ page.title }}{% if page.breadcrumbs %}x{% endif %}{# cited_by #}",
            )],
            "p.html",
        );
        assert!(r.has("title") && r.has("breadcrumbs") && r.has("page"));
        assert!(!r.has("jsonld") && !r.has("toc") && !r.has("cited_by"));
    }

    #[test]
    fn parents_includes_and_imports_are_followed() {
        let t = [
            (
                "base.html",
                "{{ page.jsonld }}{% block main %}{% endblock main %}",
            ),
            (
                "page.html",
                "{% extends \"base.html\" %}{% import 'm.html' as m %}",
            ),
            ("m.html", "{% macro x(p) %}{{ p.toc }}{% endmacro x %}"),
            ("list.html", "{% include \"inner.html\" %}"),
            ("inner.html", "{{ page.cited_by }}"),
            ("alone.html", "{{ page.title }}"),
        ];
        let page = reads(&t, "page.html");
        assert!(page.has("jsonld") && page.has("toc") && !page.has("cited_by"));
        assert!(reads(&t, "list.html").has("cited_by"));
        let alone = reads(&t, "alone.html");
        assert!(!alone.has("jsonld") && !alone.has("toc"));
    }

    #[test]
    fn field_names_in_literals_count() {
        let r = reads(
            &[(
                "p.html",
                "{{ page.pages | map(attribute=\"summary\") | join(sep=', ') }}",
            )],
            "p.html",
        );
        assert!(r.has("summary") && !r.has("jsonld"));
    }

    #[test]
    fn computed_keys_read_everything() {
        for text in [
            "{{ __tera_context }}",
            "{{ page | json_encode() }}",
            "{{ page | get(key=k) }}",
            "{% for k, v in page %}{{ k }}{% endfor %}",
            "{%- for k,v in page -%}{{ k }}{%- endfor %}",
            "{{ page[name] }}",
        ] {
            assert!(reads(&[("p.html", text)], "p.html").has("jsonld"), "{text}");
        }
        for text in ["{{ assets['style.css'] }}", "{{ page.pages[0].title }}"] {
            assert!(
                !reads(&[("p.html", text)], "p.html").has("jsonld"),
                "{text}"
            );
        }
    }
}
