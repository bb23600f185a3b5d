//! Entry points for the fuzz targets in `fuzz/`: each runs one stage that reads untrusted
//! text, exactly as a build does, on arbitrary bytes. Not part of the supported API.

use crate::markdown::{self, AnchorPolicy, DefaultAnchors, Hooks};

/// Decoding and front matter parsing of one content file.
pub fn front_matter(bytes: &[u8]) {
    let Ok(text) = crate::load::decode("content/a.md", bytes) else {
        return;
    };
    let source = crate::load::SourceFile {
        path: "content/a.md".to_owned(),
        content_path: "a.md".to_owned(),
        text: text.into(),
    };
    let (_, diagnostics) = crate::frontmatter::parse(&source);
    for d in diagnostics {
        let _ = d.render();
    }
}

/// Prose runs go through citation linking, as on a real page (with no documents held,
/// every number and article reference is still found and paired).
struct CitingHooks {
    legal: crate::legal::LegalIndex,
    tree: crate::content::ContentTree,
}

impl Hooks for CitingHooks {
    fn resolve(&self, dest: &str) -> Option<String> {
        dest.ends_with(".md").then(|| "/a/".to_owned())
    }
    fn prose(&self, text: &str, section: Option<&str>, out: &mut String) {
        let ctx = crate::legal::ProseContext {
            legal: &self.legal,
            tree: &self.tree,
            base_path: "",
            from: 0,
            section,
        };
        crate::legal::link_prose(&ctx, text, out, &mut Vec::new());
    }
}

/// Both Markdown passes (with the raw HTML filter) under both anchor policies.
pub fn markdown(body: &str) {
    let hooks = CitingHooks {
        legal: crate::legal::LegalIndex::default(),
        tree: crate::content::ContentTree::default(),
    };
    let policies: [&dyn AnchorPolicy; 2] = [&DefaultAnchors, &crate::legal::LEGAL_ANCHORS];
    for policy in policies {
        let outline = markdown::outline(body, policy);
        let rendered = markdown::render(body, policy, &hooks);
        let headings = rendered
            .sections
            .iter()
            .filter(|s| s.anchor.is_some())
            .count();
        assert_eq!(
            outline.headings.len(),
            headings,
            "both passes see the same headings"
        );
    }
}

/// Query parsing and the text functions a query goes through.
pub fn search_query(query: &str) {
    let _ = crate::search::parse_query(query);
    let _ = crate::text::canonical_number(query);
    let _ = crate::text::extract_numbers(query);
}
