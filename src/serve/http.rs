//! Answering one HTTP request from the in-memory site.
//!
//! Pure: a [`Request`] (method, target, `Host`, `Origin`, `If-None-Match`), the server's
//! [`Hosts`] and a [`Snapshot`] give a [`Route`]; the server loop sends the reply or opens
//! the event stream. Nothing here touches the file system except reading the assets a
//! build listed, and only while they are still the files it pinned ([`Pins`]), so a
//! request can reach only what the site would publish: targets that try to leave the site
//! (`..`, encoded dots, overlong UTF-8, backslashes, `//host`, NUL) are refused before any
//! lookup, and folders without an `index.html` are 404s, never listings.

use super::hosts::Hosts;
use super::overlay;
use super::pinned::Pins;
use crate::diagnostics::Diagnostic;
use crate::output::{FileContent, SiteFiles};
use std::borrow::Cow;
use std::sync::Arc;

/// Where the server's own files live; outside any base path, and not a valid site path
/// (sotay never writes files whose names start with `__`).
pub const PREFIX: &str = "/__sotay/";
/// The Server-Sent Events stream.
pub const EVENTS_PATH: &str = "/__sotay/events";

/// What the HTTP threads serve: one build's files and the state of the last build,
/// replaced whole after every build (HTTP threads never build and never wait for one).
#[derive(Debug)]
pub struct Snapshot {
    /// The last site that built without errors (`None` until one does).
    pub site: Option<Arc<SiteFiles>>,
    /// The search index, built after the pages and swapped in when ready.
    pub search: Arc<SiteFiles>,
    /// The site's base path (`/vanhoacongvu`, or empty): pages are served under it.
    pub base_path: String,
    /// Increases with every build, failed or not.
    pub generation: u64,
    /// Errors of the last build; empty when it succeeded.
    pub errors: Vec<Diagnostic>,
    /// The identities of `site`'s assets read from disk; an asset without a pin is a 404.
    pub pins: Arc<Pins>,
    /// What goes before `</body>` of every HTML response.
    injection: String,
}

impl Snapshot {
    /// The same snapshot with the pins of its site's assets.
    pub fn with_pins(mut self, pins: Arc<Pins>) -> Self {
        self.pins = pins;
        self
    }

    /// The same snapshot with another search index.
    pub fn with_search(mut self, search: Arc<SiteFiles>) -> Self {
        self.search = search;
        self
    }

    /// A snapshot; the overlay is rendered once here, not per request.
    pub fn new(
        site: Option<Arc<SiteFiles>>,
        base_path: String,
        generation: u64,
        errors: Vec<Diagnostic>,
    ) -> Self {
        let mut injection = String::new();
        if !errors.is_empty() {
            injection.push_str(&overlay::overlay_html(&errors));
        }
        injection.push_str(&overlay::script_tag(generation));
        Self {
            site,
            search: Arc::default(),
            pins: Arc::default(),
            base_path,
            generation,
            errors,
            injection,
        }
    }
}

/// The request method, as far as a static server cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// HEAD: the same headers as GET, no body.
    Head,
    /// Anything else: 405.
    Other,
}

/// The parts of a request that decide the reply.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The method.
    pub method: Method,
    /// The request target, as sent.
    pub target: &'a str,
    /// The `Host` header; `None` when missing or sent more than once.
    pub host: Option<&'a str>,
    /// The `Origin` header, if sent.
    pub origin: Option<&'a str>,
    /// The `If-None-Match` header, if sent.
    pub if_none_match: Option<&'a str>,
}

/// What to do with a request.
#[derive(Debug)]
pub enum Route {
    /// Send this reply.
    Reply(Reply),
    /// Open the live-reload event stream (the caller needs the socket for it).
    Events,
}

/// Decides what a request gets: the `Host` (and for the event stream, `Origin`) checks
/// first, then the event stream or [`respond`].
pub fn route(snapshot: &Snapshot, hosts: &Hosts, request: &Request<'_>) -> Route {
    let Some(host) = request.host else {
        return Route::Reply(Reply::text(
            400,
            "Thiếu tiêu đề Host (hoặc có nhiều hơn một)",
        ));
    };
    if !hosts.allows_host(host) {
        return Route::Reply(Reply::text(
            421,
            "Bản xem trước chỉ trả lời địa chỉ cục bộ (localhost, 127.0.0.1) với đúng cổng",
        ));
    }
    let events = clean_path(request.target).is_ok_and(|p| p == EVENTS_PATH);
    if events && request.method == Method::Get {
        if request.origin.is_some_and(|o| !hosts.allows_origin(o)) {
            return Route::Reply(Reply::text(
                403,
                "Trang từ nguồn khác không được theo dõi bản xem trước",
            ));
        }
        return Route::Events;
    }
    Route::Reply(respond(
        snapshot,
        request.method,
        request.target,
        request.if_none_match,
    ))
}

/// A response, before it is written to the socket.
#[derive(Debug)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers other than `Content-Length` and `Date`.
    pub headers: Vec<(&'static str, String)>,
    /// Body (also computed for HEAD, so `Content-Length` is right).
    pub body: Vec<u8>,
}

impl Reply {
    /// A short plain-text reply that is never cached.
    pub fn text(status: u16, message: &str) -> Self {
        Self {
            status,
            headers: vec![
                ("Content-Type", "text/plain; charset=utf-8".into()),
                ("Cache-Control", "no-store".into()),
            ],
            body: format!("{message}\n").into_bytes(),
        }
    }

    fn redirect(status: u16, location: String) -> Self {
        let mut reply = Self::text(status, &format!("→ {location}"));
        reply.headers.push(("Location", location));
        reply
    }

    /// The value of a header, if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request target was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadTarget {
    /// Not `/…` (absolute-form, `*`), malformed escapes, not UTF-8, control characters.
    Malformed,
    /// `..` or `.` segments, backslashes, `//`: an attempt to leave the site.
    Traversal,
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The decoded path of a request target, or why it is refused. Checks run on the decoded
/// text, so `%2e%2e`, `%2f` and `%5c` are caught like their literal forms.
pub fn clean_path(target: &str) -> Result<String, BadTarget> {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') {
        return Err(BadTarget::Malformed);
    }
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) else {
                return Err(BadTarget::Malformed);
            };
            decoded.push(hi << 4 | lo);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(decoded).map_err(|_| BadTarget::Malformed)?;
    if path.chars().any(char::is_control) {
        return Err(BadTarget::Malformed);
    }
    if path.contains('\\') || path.starts_with("//") {
        return Err(BadTarget::Traversal);
    }
    if path.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err(BadTarget::Traversal);
    }
    Ok(path)
}

/// `Content-Type` by extension; text types say their charset.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

/// A strong ETag from the bytes sent (so it changes with the injected overlay too).
pub fn etag(body: &[u8]) -> String {
    format!("\"{}\"", &blake3::hash(body).to_hex()[..20])
}

/// Whether `If-None-Match` lists this ETag (weak comparison, as RFC 9110 asks for GET).
fn matches(if_none_match: &str, tag: &str) -> bool {
    if_none_match.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == tag
    })
}

/// The server's own files: the live-reload client and the overlay stylesheet.
fn own_file(path: &str) -> Option<(&'static str, &'static [u8])> {
    match path {
        overlay::SCRIPT_URL => Some((
            "text/javascript; charset=utf-8",
            include_bytes!("client/livereload.js"),
        )),
        overlay::STYLE_URL => Some((
            "text/css; charset=utf-8",
            include_bytes!("client/overlay.css"),
        )),
        _ => None,
    }
}

fn file_reply(
    status: u16,
    content_type: &str,
    body: Vec<u8>,
    if_none_match: Option<&str>,
) -> Reply {
    let tag = etag(&body);
    let mut headers = vec![
        ("Content-Type", content_type.to_owned()),
        ("ETag", tag.clone()),
        // Always revalidate: a preview must never show a stale page, and the ETag makes
        // revalidation cheap.
        ("Cache-Control", "no-cache".into()),
        ("X-Content-Type-Options", "nosniff".into()),
    ];
    if status == 200 && if_none_match.is_some_and(|v| matches(v, &tag)) {
        headers.retain(|(n, _)| *n != "Content-Type");
        return Reply {
            status: 304,
            headers,
            body: Vec::new(),
        };
    }
    Reply {
        status,
        headers,
        body,
    }
}

/// Answers a request (other than the event stream, which needs the socket).
pub fn respond(
    snapshot: &Snapshot,
    method: Method,
    target: &str,
    if_none_match: Option<&str>,
) -> Reply {
    if method == Method::Other {
        let mut reply = Reply::text(405, "Chỉ hỗ trợ GET và HEAD");
        reply.headers.push(("Allow", "GET, HEAD".into()));
        return reply;
    }
    let path = match clean_path(target) {
        Ok(p) => p,
        Err(_) => return Reply::text(400, "Đường dẫn không hợp lệ"),
    };
    if path.starts_with(PREFIX) {
        return match own_file(&path) {
            Some((ct, bytes)) => file_reply(200, ct, bytes.to_vec(), if_none_match),
            None => Reply::text(404, "Không có tệp này"),
        };
    }
    let Some(site) = &snapshot.site else {
        let page = overlay::error_page(&snapshot.errors, snapshot.generation);
        return file_reply(
            500,
            "text/html; charset=utf-8",
            page.into_bytes(),
            if_none_match,
        );
    };
    let raw_path = target.split(['?', '#']).next().unwrap_or("/");
    let base = snapshot.base_path.as_str();
    let rel = if base.is_empty() {
        path.as_str()
    } else if path == "/" || path == base {
        return Reply::redirect(302, format!("{base}/"));
    } else if let Some(rest) = path.strip_prefix(base).filter(|r| r.starts_with('/')) {
        rest
    } else {
        return not_found(snapshot, site, if_none_match);
    };
    let mut key = rel.trim_start_matches('/').to_owned();
    if key.is_empty() || key.ends_with('/') {
        key.push_str("index.html");
    }
    match site.get(&key).or_else(|| snapshot.search.get(&key)) {
        Some(content) => serve_file(snapshot, &key, content, 200, if_none_match),
        None if site.contains(&format!("{key}/index.html")) => {
            Reply::redirect(301, format!("{raw_path}/"))
        }
        None => not_found(snapshot, site, if_none_match),
    }
}

fn serve_file(
    snapshot: &Snapshot,
    key: &str,
    content: &FileContent,
    status: u16,
    if_none_match: Option<&str>,
) -> Reply {
    let read = match content {
        FileContent::Copy(path) => snapshot.pins.read(path).map(Cow::Owned),
        other => other.read(),
    };
    let bytes = match read {
        Ok(b) => b,
        // An asset deleted or replaced since the build (a symlink is never followed): the
        // rebuild that follows lists it again if it is still a file.
        Err(_) => return Reply::text(404, "Không tìm thấy trang"),
    };
    let ct = content_type(key);
    let body = if ct.starts_with("text/html") {
        overlay::inject(&bytes, &snapshot.injection)
    } else {
        bytes.into_owned()
    };
    file_reply(status, ct, body, if_none_match)
}

fn not_found(snapshot: &Snapshot, site: &SiteFiles, if_none_match: Option<&str>) -> Reply {
    match site.get("404.html") {
        Some(content) => serve_file(snapshot, "404.html", content, 404, if_none_match),
        None => Reply::text(404, "Không tìm thấy trang"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Location;

    fn site() -> Arc<SiteFiles> {
        let mut files = SiteFiles::default();
        files.insert_bytes("index.html", "<html><body>home</body></html>");
        files.insert_bytes("a/index.html", "<html><body>a</body></html>");
        files.insert_bytes("404.html", "<html><body>mất</body></html>");
        files.insert_bytes("style.0123456789.css", "body{}");
        files.insert_bytes("search/index.json", "{}");
        files.insert_bytes("van-ban/Sơ đồ.svg", "<svg/>");
        Arc::new(files)
    }

    fn snapshot(base: &str) -> Snapshot {
        Snapshot::new(Some(site()), base.into(), 7, Vec::new())
    }

    fn get(s: &Snapshot, target: &str) -> Reply {
        respond(s, Method::Get, target, None)
    }

    #[test]
    fn traversal_and_malformed_targets_are_refused() {
        let s = snapshot("");
        for target in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/a/..%2f..%2fetc/passwd",
            "/.%2e/x",
            "/..\\etc\\passwd",
            "/%5c..%5cetc",
            "//etc/passwd",
            "/%2F%2Fetc/passwd",
            "/./index.html",
            "http://evil.example/../etc/passwd",
            "etc/passwd",
            "*",
            "/%zz",
            "/%ff%fe",
            "/a%00.html",
            "/%c0%ae%c0%ae/etc/passwd",
            "/%e0%80%ae%e0%80%ae/etc/passwd",
            "/a/%c0%af../x",
        ] {
            let reply = get(&s, target);
            assert_eq!(reply.status, 400, "{target}");
            assert!(!String::from_utf8_lossy(&reply.body).contains("home"));
        }
        // Double encoding stays encoded once: a literal `%2e%2e` name, which is not a file.
        assert_eq!(get(&s, "/%252e%252e/etc/passwd").status, 404);
        assert_eq!(get(&s, "/C:/Windows/win.ini").status, 404);
    }

    fn request<'a>(target: &'a str, host: Option<&'a str>, origin: Option<&'a str>) -> Request<'a> {
        Request {
            method: Method::Get,
            target,
            host,
            origin,
            if_none_match: None,
        }
    }

    #[test]
    fn foreign_hosts_and_origins_are_refused() {
        let s = snapshot("");
        let hosts = Hosts::new("127.0.0.1:1111".parse().unwrap());
        let status = |r: Route| match r {
            Route::Reply(reply) => reply.status,
            Route::Events => 0,
        };
        let ok = request("/", Some("localhost:1111"), None);
        assert_eq!(status(route(&s, &hosts, &ok)), 200);
        let rebound = request("/", Some("evil.example:1111"), None);
        let Route::Reply(reply) = route(&s, &hosts, &rebound) else {
            panic!("no reply")
        };
        assert_eq!(reply.status, 421);
        assert!(!String::from_utf8_lossy(&reply.body).contains("home"));
        assert_eq!(status(route(&s, &hosts, &request("/", None, None))), 400);
        let own = request("/__sotay/livereload.js", Some("evil.example:1111"), None);
        assert_eq!(status(route(&s, &hosts, &own)), 421);
        let events = request(EVENTS_PATH, Some("127.0.0.1:1111"), None);
        assert_eq!(status(route(&s, &hosts, &events)), 0);
        let same = request(
            EVENTS_PATH,
            Some("127.0.0.1:1111"),
            Some("http://localhost:1111"),
        );
        assert_eq!(status(route(&s, &hosts, &same)), 0);
        let cross = request(
            EVENTS_PATH,
            Some("127.0.0.1:1111"),
            Some("http://evil.example"),
        );
        assert_eq!(status(route(&s, &hosts, &cross)), 403);
        let head = Request {
            method: Method::Head,
            ..events
        };
        assert_eq!(status(route(&s, &hosts, &head)), 404, "HEAD is no stream");
    }

    #[test]
    fn pages_get_the_injected_script_and_a_charset() {
        let s = snapshot("");
        let reply = get(&s, "/a/");
        assert_eq!(reply.status, 200);
        assert_eq!(
            reply.header("Content-Type"),
            Some("text/html; charset=utf-8")
        );
        let body = String::from_utf8(reply.body).unwrap();
        assert!(body.contains(
            "a<script src=\"/__sotay/livereload.js\" data-generation=\"7\" defer></script></body>"
        ));
        let css = get(&s, "/style.0123456789.css");
        assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
        assert_eq!(css.body, b"body{}", "only HTML is changed");
    }

    #[test]
    fn folders_redirect_404s_use_the_site_page_and_nothing_is_listed() {
        let s = snapshot("");
        let reply = get(&s, "/a?x=1");
        assert_eq!(reply.status, 301);
        assert_eq!(reply.header("Location"), Some("/a/"));
        let missing = get(&s, "/khong-co/");
        assert_eq!(missing.status, 404);
        assert!(String::from_utf8_lossy(&missing.body).contains("mất"));
        assert_eq!(get(&s, "/search/").status, 404, "no directory listing");
        assert_eq!(get(&s, "/__sotay/x").status, 404);
    }

    #[test]
    fn etags_give_304_and_change_with_the_build() {
        let s = snapshot("");
        let first = get(&s, "/");
        let tag = first.header("ETag").unwrap().to_owned();
        let again = respond(&s, Method::Get, "/", Some(&tag));
        assert_eq!(again.status, 304);
        assert!(again.body.is_empty());
        let weak = respond(&s, Method::Head, "/", Some(&format!("W/{tag}, \"x\"")));
        assert_eq!(weak.status, 304);
        let next = Snapshot::new(Some(site()), String::new(), 8, Vec::new());
        assert_eq!(respond(&next, Method::Get, "/", Some(&tag)).status, 200);
    }

    #[test]
    fn only_get_and_head() {
        let s = snapshot("");
        let reply = respond(&s, Method::Other, "/", None);
        assert_eq!(reply.status, 405);
        assert_eq!(reply.header("Allow"), Some("GET, HEAD"));
        assert_eq!(respond(&s, Method::Head, "/", None).status, 200);
    }

    #[test]
    fn base_path_is_honoured() {
        let s = snapshot("/vhcv");
        assert_eq!(get(&s, "/").status, 302);
        assert_eq!(get(&s, "/").header("Location"), Some("/vhcv/"));
        assert_eq!(get(&s, "/vhcv").status, 302);
        assert_eq!(get(&s, "/vhcv/a/").status, 200);
        assert_eq!(get(&s, "/a/").status, 404);
        assert_eq!(get(&s, "/vhcvx/a/").status, 404);
        assert_eq!(get(&s, "/__sotay/livereload.js").status, 200);
    }

    #[test]
    fn the_search_index_is_served_beside_the_pages() {
        let mut index = SiteFiles::default();
        index.insert_bytes("search/manifest.json", "{\"v\":1}");
        let s = snapshot("").with_search(Arc::new(index));
        let reply = get(&s, "/search/manifest.json");
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body, b"{\"v\":1}");
    }

    #[test]
    fn failed_builds_show_the_overlay_on_every_page() {
        let errors = vec![Diagnostic::error(
            Location::at_line("content/a.md", 2, 1),
            "thiếu `title`",
        )];
        let s = Snapshot::new(Some(site()), String::new(), 9, errors.clone());
        let body = String::from_utf8(get(&s, "/a/").body).unwrap();
        assert!(body.contains("id=\"sotay-overlay\""));
        assert!(body.contains("content/a.md:2:1"));
        assert!(body.contains(">a<"), "the last good page is still served");
        let never = Snapshot::new(None, String::new(), 1, errors);
        let reply = get(&never, "/a/");
        assert_eq!(reply.status, 500);
        assert!(String::from_utf8_lossy(&reply.body).contains("content/a.md:2:1"));
    }

    #[test]
    fn percent_encoded_vietnamese_names_are_found() {
        let s = snapshot("");
        let reply = get(&s, "/van-ban/S%C6%A1%20%C4%91%E1%BB%93.svg");
        assert_eq!(reply.status, 200);
        assert_eq!(
            reply.header("Content-Type"),
            Some("image/svg+xml; charset=utf-8")
        );
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/B.PNG"), "image/png");
        assert_eq!(content_type("atom.xml"), "application/xml; charset=utf-8");
        assert_eq!(
            content_type("search/x.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
