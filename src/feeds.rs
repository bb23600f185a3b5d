//! Machine-readable companions of the site: sitemap, Atom feed, robots.txt, alias redirects.
//!
//! Pure string builders; the build decides which pages go in.

/// Escapes text for XML content and attribute values, replacing the characters XML 1.0
/// cannot hold (a vertical tab from Word in a title made the whole feed unreadable).
fn escape(text: &str) -> String {
    let forbidden = |c: char| crate::text::xml_char(c) != c;
    if text.contains(forbidden) {
        let allowed: String = text.chars().map(crate::text::xml_char).collect();
        return crate::markdown::escape(&allowed);
    }
    crate::markdown::escape(text)
}

/// One URL of the sitemap.
pub struct SitemapEntry {
    /// Absolute URL.
    pub loc: String,
    /// Last modification (`YYYY-MM-DD`).
    pub lastmod: Option<String>,
}

/// `sitemap.xml`.
pub fn sitemap(entries: &[SitemapEntry]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for e in entries {
        out.push_str("  <url><loc>");
        out.push_str(&escape(&e.loc));
        out.push_str("</loc>");
        if let Some(d) = &e.lastmod {
            out.push_str("<lastmod>");
            out.push_str(d);
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`, pointing at the sitemap.
pub fn robots(sitemap_url: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n")
}

/// One entry of the Atom feed.
pub struct FeedEntry {
    /// Title.
    pub title: String,
    /// Absolute URL.
    pub url: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Plain-text summary.
    pub summary: String,
    /// Author name.
    pub author: Option<String>,
}

/// The Atom feed of news pages (newest first). `updated` is the newest entry's date, or the
/// build date when there is none, so the feed is deterministic.
pub fn atom(
    title: &str,
    site_url: &str,
    feed_url: &str,
    updated: &str,
    entries: &[FeedEntry],
) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">\n");
    out.push_str(&format!(
        "  <title>{}</title>\n  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{}T00:00:00Z</updated>\n",
        escape(title),
        escape(site_url),
        escape(feed_url),
        escape(feed_url),
        updated
    ));
    for e in entries {
        out.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{}\"/>\n    <id>{}</id>\n    <updated>{}T00:00:00Z</updated>\n",
            escape(&e.title),
            escape(&e.url),
            escape(&e.url),
            e.date
        ));
        if let Some(a) = &e.author {
            out.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                escape(a)
            ));
        }
        out.push_str(&format!(
            "    <summary>{}</summary>\n  </entry>\n",
            escape(&e.summary)
        ));
    }
    out.push_str("</feed>\n");
    out
}

/// A redirect page for an old URL: works without JavaScript (meta refresh) and tells
/// search engines the canonical address.
pub fn redirect_page(target_url: &str, title: &str) -> String {
    let t = escape(target_url);
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<link rel=\"canonical\" href=\"{t}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={t}\">\n</head>\n<body>\n<p>Trang đã chuyển tới <a href=\"{t}\">{}</a>.</p>\n</body>\n</html>\n",
        escape(title),
        escape(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feed_holds_only_characters_xml_allows() {
        let entry = FeedEntry {
            title: "Tiêu\u{b}đề\u{0}".to_owned(),
            url: "http://x/a/".to_owned(),
            date: "2026-01-02".to_owned(),
            summary: "a\u{1b}[31m<b>".to_owned(),
            author: Some("T\u{c}".to_owned()),
        };
        let feed = atom(
            "S\u{1}",
            "http://x/",
            "http://x/atom.xml",
            "2026-01-02",
            &[entry],
        );
        assert!(feed.contains("<title>Tiêu đề </title>"), "{feed}");
        assert!(
            feed.contains("<summary>a [31m&lt;b&gt;</summary>"),
            "{feed}"
        );
        assert!(!feed.chars().any(|c| c < ' ' && c != '\n'), "{feed:?}");
    }

    #[test]
    fn sitemap_escapes_and_lists() {
        let s = sitemap(&[SitemapEntry {
            loc: "https://x.vn/a?b&c".into(),
            lastmod: Some("2026-11-29".into()),
        }]);
        assert!(s.contains("<loc>https://x.vn/a?b&amp;c</loc><lastmod>2026-11-29</lastmod>"));
    }

    #[test]
    fn redirects_point_at_the_target() {
        let r = redirect_page("/base/van-ban/", "Văn bản");
        assert!(r.contains("url=/base/van-ban/"));
        assert!(r.contains("rel=\"canonical\" href=\"/base/van-ban/\""));
    }
}
