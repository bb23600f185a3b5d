//! Integration tests: `sotay serve` (live preview) run as a real process over a fixture,
//! talked to over raw HTTP, with files edited the way editors and git edit them.

mod safety;

use crate::support::Fixture;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Generous: the test binary is unoptimised and the machine may be busy.
const PATIENCE: Duration = Duration::from_secs(30);

/// A response, read whole (`Connection: close`).
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A running `sotay serve` over a fixture, and one live-reload connection to it.
struct Serve {
    site: Fixture,
    child: Child,
    /// `127.0.0.1:PORT`.
    host: String,
    events: Receiver<(String, String)>,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    fn start(fixture: &str) -> Self {
        let site = Fixture::new(fixture);
        let mut child = Command::new(env!("CARGO_BIN_EXE_sotay"))
            .args(["serve", "--port", "0", "--today", "2026-11-29", "--root"])
            .arg(&site.root)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start sotay serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let err_pipe = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(err_pipe).lines().map_while(Result::ok) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        let out_pipe = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out_pipe).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let line = rx
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|_| panic!("no URL printed:\n{}", stderr.lock().unwrap()));
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .to_owned();
        assert!(url.ends_with("/so-tay/"), "served at the base path: {url}");
        let host = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_owned();
        assert!(!host.ends_with(":0"), "port 0 picks a real port: {host}");
        let events = subscribe(&host);
        let serve = Self {
            site,
            child,
            host,
            events,
            stderr,
        };
        serve.expect_event("hello");
        serve
    }

    fn raw(&self, request: &str) -> Response {
        let mut stream = TcpStream::connect(&self.host).expect("connect");
        stream
            .set_read_timeout(Some(PATIENCE))
            .expect("read timeout");
        stream.write_all(request.as_bytes()).expect("send request");
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).expect("read response");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad response: {text:?}"));
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
            .collect();
        Response {
            status,
            headers,
            body: body.to_owned(),
        }
    }

    fn request(&self, method: &str, path: &str, extra: &str) -> Response {
        self.raw(&format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\n{extra}Connection: close\r\n\r\n",
            self.host
        ))
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path, "")
    }

    /// Waits for the next event named `name` (skipping others, but never a build error
    /// unless that is what is expected) and returns its data.
    fn expect_event(&self, name: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.events.recv_timeout(left) {
                Ok((event, data)) if event == name => return data,
                Ok((event, data)) if event == "build-error" => {
                    panic!("unexpected build error while waiting for `{name}`: {data}")
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
        panic!(
            "no `{name}` event; server said:\n{}",
            self.stderr.lock().unwrap()
        );
    }

    /// The number of pages in the served search index, once it has one.
    fn indexed_pages(&self) -> Option<u64> {
        let r = self.get("/so-tay/search/manifest.json");
        let manifest: serde_json::Value = serde_json::from_str(&r.body).ok()?;
        (r.status == 200)
            .then(|| manifest["pages"].as_u64())
            .flatten()
    }

    /// Waits until the search index (built in the background) holds `pages` pages.
    fn expect_indexed(&self, pages: u64) {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if self.indexed_pages() == Some(pages) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "the search index never held {pages} pages (it has {:?})",
            self.indexed_pages()
        );
    }

    fn write(&self, rel: &str, text: &str) {
        self.site.write(rel, text);
    }

    fn path(&self, rel: &str) -> std::path::PathBuf {
        self.site.root.join(rel)
    }
}

/// Opens the event stream and forwards `(event, data)` pairs.
fn subscribe(host: &str) -> Receiver<(String, String)> {
    let mut stream = TcpStream::connect(host).expect("connect events");
    write!(
        stream,
        "GET /__sotay/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("request events");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut name = String::new();
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_owned();
            } else if let Some(data) = line.strip_prefix("data: ") {
                if tx.send((name.clone(), data.to_owned())).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

#[test]
fn edits_additions_renames_and_deletions_are_announced_and_served() {
    let s = Serve::start("serve/basic");
    let root = s.get("/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("Location"), Some("/so-tay/"));
    let faq = s.get("/so-tay/hoi-dap/");
    assert_eq!(faq.status, 200);
    assert_eq!(faq.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert!(faq.body.contains("Ai thực hiện?"));
    assert!(faq
        .body
        .contains("<script src=\"/__sotay/livereload.js\" data-generation="));
    let script = s.get("/__sotay/livereload.js");
    assert_eq!(script.status, 200);
    assert!(script.body.contains("EventSource"));

    // Editing a page: the event names it, the page changes, other pages are not listed.
    let text = std::fs::read_to_string(s.path("content/hoi-dap.md")).unwrap();
    s.write(
        "content/hoi-dap.md",
        &format!("{text}\n## Câu hỏi mới thêm?\n\nTrả lời mới.\n"),
    );
    let data = s.expect_event("reload");
    assert!(data.contains("\"/so-tay/hoi-dap/\""), "{data}");
    assert!(!data.contains("\"/so-tay/tin-tuc/bai-1/\""), "{data}");
    assert!(s.get("/so-tay/hoi-dap/").body.contains("Câu hỏi mới thêm?"));

    // Search works in preview: the index follows the pages, a moment after them.
    let deadline = Instant::now() + PATIENCE;
    while s.indexed_pages().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let indexed = s.indexed_pages().expect("a search index is served");

    // Adding a page: served, and listed in its section.
    s.write(
        "content/tin-tuc/bai-2.md",
        "---\ntitle: \"Bài thứ hai\"\ndescription: \"Bài mới\"\nkind: news\ndate: 2026-01-02\n---\n\nNội dung bài hai.\n",
    );
    s.expect_event("reload");
    assert_eq!(s.get("/so-tay/tin-tuc/bai-2/").status, 200);
    assert!(s.get("/so-tay/tin-tuc/").body.contains("Bài thứ hai"));
    s.expect_indexed(indexed + 1);

    // Renaming it: the old address is the site's 404 page, the new one is served.
    std::fs::rename(
        s.path("content/tin-tuc/bai-2.md"),
        s.path("content/tin-tuc/bai-hai.md"),
    )
    .unwrap();
    s.expect_event("reload");
    let old = s.get("/so-tay/tin-tuc/bai-2/");
    assert_eq!(old.status, 404);
    assert!(old.body.contains("Không tìm thấy trang"), "{}", old.body);
    assert!(s
        .get("/so-tay/tin-tuc/bai-hai/")
        .body
        .contains("Nội dung bài hai."));

    // Deleting it.
    std::fs::remove_file(s.path("content/tin-tuc/bai-hai.md")).unwrap();
    s.expect_event("reload");
    assert_eq!(s.get("/so-tay/tin-tuc/bai-hai/").status, 404);
    assert!(!s.get("/so-tay/tin-tuc/").body.contains("Bài thứ hai"));

    // A new section, moved in as a whole folder, then renamed.
    let staging = s.site.root.join("new-section");
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(
        staging.join("_index.md"),
        "---\ntitle: \"Hướng dẫn\"\ndescription: \"Mục mới\"\n---\n\nMục mới.\n",
    )
    .unwrap();
    std::fs::write(
        staging.join("buoc-1.md"),
        "---\ntitle: \"Bước một\"\ndescription: \"Bước đầu\"\n---\n\nLàm bước một.\n",
    )
    .unwrap();
    std::fs::rename(&staging, s.path("content/huong-dan")).unwrap();
    s.expect_event("reload");
    assert!(s.get("/so-tay/huong-dan/").body.contains("Bước một"));
    std::fs::rename(s.path("content/huong-dan"), s.path("content/chi-dan")).unwrap();
    s.expect_event("reload");
    assert_eq!(s.get("/so-tay/huong-dan/buoc-1/").status, 404);
    assert_eq!(s.get("/so-tay/chi-dan/buoc-1/").status, 200);

    // An editor's save: swap, backup and probe files, then a rename over the original.
    s.write("content/.hoi-dap.md.swp", "rác");
    s.write("content/hoi-dap.md~", "---\ntitle: [\n---\n");
    s.write("content/4913", "");
    s.write("content/#hoi-dap.md#", "rác");
    let saved = text.replace("Ai thực hiện?", "Ai chịu trách nhiệm thực hiện?");
    s.write("content/hoi-dap.md.tmp", &saved);
    std::fs::rename(
        s.path("content/hoi-dap.md.tmp"),
        s.path("content/hoi-dap.md"),
    )
    .unwrap();
    let data = s.expect_event("reload");
    assert!(data.contains("\"/so-tay/hoi-dap/\""), "{data}");
    let faq = s.get("/so-tay/hoi-dap/").body;
    assert!(faq.contains("Ai chịu trách nhiệm thực hiện?"));
    assert!(!faq.contains("Câu hỏi mới thêm?"));
    for junk in ["4913", "hoi-dap.md~", ".hoi-dap.md.swp"] {
        assert_eq!(s.get(&format!("/so-tay/{junk}")).status, 404, "{junk}");
    }

    // Stylesheets: a new static folder reloads; editing a stylesheet swaps it in place.
    s.write("static/site.css", "body { color: black; }\n");
    s.expect_event("reload");
    s.write("static/site.css", "body { color: navy; }\n");
    let data = s.expect_event("css");
    let styles: serde_json::Value = serde_json::from_str(&data).unwrap();
    let new = styles["styles"][0]["new"].as_str().unwrap().to_owned();
    assert!(
        new.starts_with("/so-tay/site.") && new.ends_with(".css"),
        "{new}"
    );
    assert!(s.get(&new).body.contains("navy"));
    assert_eq!(
        s.get(styles["styles"][0]["old"].as_str().unwrap()).status,
        404
    );
}

#[test]
fn broken_front_matter_shows_the_overlay_until_it_is_fixed() {
    let s = Serve::start("serve/basic");
    let good = std::fs::read_to_string(s.path("content/hoi-dap.md")).unwrap();
    s.write(
        "content/hoi-dap.md",
        &good.replace("title: \"Hỏi đáp", "title: [\"Hỏi đáp"),
    );
    let data = s.expect_event("build-error");
    assert!(data.contains("content/hoi-dap.md:"), "{data}");
    for page in ["/so-tay/", "/so-tay/hoi-dap/", "/so-tay/khong-co/"] {
        let body = s.get(page).body;
        assert!(
            body.contains("<div id=\"sotay-overlay\" role=\"alert\">"),
            "{page}"
        );
        assert!(body.contains("content/hoi-dap.md:"), "{page}");
        assert!(body.contains("/__sotay/overlay.css"), "{page}");
    }
    assert!(
        s.get("/so-tay/hoi-dap/").body.contains("Ai thực hiện?"),
        "the last good page is still served"
    );
    assert_eq!(s.get("/__sotay/overlay.css").status, 200);

    s.write("content/hoi-dap.md", &good);
    let data = s.expect_event("reload");
    assert!(data.contains("\"all\":true"), "{data}");
    for page in ["/so-tay/", "/so-tay/hoi-dap/"] {
        assert!(!s.get(page).body.contains("sotay-overlay"), "{page}");
    }
}

#[test]
fn http_semantics_and_requests_outside_the_site() {
    let s = Serve::start("serve/basic");
    for target in [
        "/../../etc/passwd",
        "/so-tay/../site.yaml",
        "/so-tay/%2e%2e/%2e%2e/etc/passwd",
        "/so-tay/%2E%2E%2Fsite.yaml",
        "/so-tay/..%5c..%5csite.yaml",
        "/so-tay/..\\site.yaml",
        "//etc/passwd",
        "/etc/passwd",
        "/site.yaml",
        "/so-tay/content/hoi-dap.md",
        "/so-tay/hoi-dap.md",
        "/so-tay/van-ban",
    ] {
        let r = s.get(target);
        assert!(
            [400, 404, 301].contains(&r.status),
            "{target}: {}",
            r.status
        );
        assert!(!r.body.contains("root:"), "{target}");
        assert!(!r.body.contains("base_url"), "{target}");
        assert!(!r.body.contains("title: \""), "{target}");
        if r.status == 301 {
            assert_eq!(r.header("Location"), Some("/so-tay/van-ban/"));
        }
    }
    // A folder without index.html is a 404, never a listing; its files are served.
    assert_eq!(s.get("/so-tay/tep/").status, 404);
    let txt = s.get("/so-tay/tep/mau.txt");
    assert_eq!(
        txt.header("Content-Type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(txt.body, "mẫu\n");
    let css = s.get("/so-tay/");
    let href = css
        .body
        .split("href=\"")
        .filter_map(|p| p.split('"').next())
        .find(|h| h.ends_with(".css"))
        .unwrap()
        .to_owned();
    let sheet = s.get(&href);
    assert_eq!(
        sheet.header("Content-Type"),
        Some("text/css; charset=utf-8")
    );

    let page = s.get("/so-tay/van-ban/qd-1847/");
    let etag = page.header("ETag").unwrap().to_owned();
    let again = s.request(
        "GET",
        "/so-tay/van-ban/qd-1847/",
        &format!("If-None-Match: {etag}\r\n"),
    );
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let head = s.request("HEAD", "/so-tay/van-ban/qd-1847/", "");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("Content-Length"), page.header("Content-Length"));
    assert_eq!(
        s.request("POST", "/so-tay/", "Content-Length: 0\r\n")
            .status,
        405
    );
    let feed = s.get("/so-tay/atom.xml");
    assert_eq!(
        feed.header("Content-Type"),
        Some("application/xml; charset=utf-8")
    );
    assert!(
        !feed.body.contains("livereload"),
        "only HTML gets the script"
    );
}

#[test]
fn remote_addresses_need_an_explicit_flag() {
    let site = Fixture::new("serve/basic");
    let run = site.run(&["serve", "--bind", "0.0.0.0", "--port", "0"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--allow-remote"), "{}", run.stderr);
}

/// Incremental rebuilds must produce exactly what a full build does.
mod incremental {
    use sotay::build::{build, BuildOptions, BuildResult, Changed, Session};
    use std::path::{Path, PathBuf};

    fn copy_site(to: &Path) {
        let repo = crate::support::repo_root();
        std::fs::copy(repo.join("site.yaml"), to.join("site.yaml")).unwrap();
        for entry in walkdir::WalkDir::new(repo.join("content")) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(&repo).unwrap();
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(to.join(rel)).unwrap();
            } else {
                std::fs::copy(entry.path(), to.join(rel)).unwrap();
            }
        }
    }

    fn assert_same(incremental: &BuildResult, full: &BuildResult, step: &str) {
        let diags = |r: &BuildResult| -> Vec<String> {
            r.diagnostics.iter().map(ToString::to_string).collect()
        };
        assert_eq!(diags(incremental), diags(full), "diagnostics after {step}");
        let keys =
            |r: &BuildResult| -> Vec<String> { r.files.iter().map(|(k, _)| k.clone()).collect() };
        assert_eq!(keys(incremental), keys(full), "file list after {step}");
        for ((path, a), (_, b)) in incremental.files.iter().zip(full.files.iter()) {
            let (a, b) = (a.read().unwrap(), b.read().unwrap());
            assert!(
                a == b,
                "{path} differs after {step}:\n--- incremental\n{}\n--- full\n{}",
                String::from_utf8_lossy(&a),
                String::from_utf8_lossy(&b)
            );
        }
        assert_eq!(incremental.page_count, full.page_count);
    }

    /// Files of a kind, by front matter, so the test follows the bundled content as it grows.
    fn first_of_kind(root: &Path, kind: &str) -> String {
        let mut found: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.into_path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "md")
                    && !p.ends_with("_index.md")
                    && std::fs::read_to_string(p)
                        .unwrap()
                        .contains(&format!("\nkind: {kind}\n"))
            })
            .collect();
        found.sort();
        let path = found.first().unwrap_or_else(|| panic!("no {kind} page"));
        path.strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/")
    }

    struct Steps {
        root: PathBuf,
        session: Session,
        opts: BuildOptions,
        /// Steps whose search index was updated in place rather than built again.
        live_index: usize,
    }

    /// Which way a session rebuilt: text-only edits take the fast path, which never
    /// rebuilds the content tree.
    #[derive(Debug, PartialEq)]
    enum Way {
        Fast,
        Full,
    }

    impl Steps {
        fn edit(&mut self, step: &str, rel: &str, way: Way, f: impl FnOnce(String) -> String) {
            let path = self.root.join(rel);
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, f(text)).unwrap();
            self.check(step, &[rel], way);
        }

        fn check(&mut self, step: &str, paths: &[&str], way: Way) {
            let changed = Changed::Paths(paths.iter().map(|p| p.to_string()).collect());
            let incremental = self.session.rebuild(&changed);
            let full = build(&self.opts);
            assert_same(&incremental, &full, step);
            if incremental
                .timings
                .iter()
                .any(|(phase, _)| *phase == "search-live")
            {
                self.live_index += 1;
            }
            let took = if incremental
                .timings
                .iter()
                .any(|(phase, _)| *phase == "tree")
            {
                Way::Full
            } else {
                Way::Fast
            };
            assert_eq!(took, way, "{step}");
        }
    }

    #[test]
    fn a_series_of_edits_rebuilds_byte_for_byte_like_a_full_build() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        copy_site(&root);
        let opts = BuildOptions {
            root: root.clone(),
            drafts: false,
            base_url: Some("http://127.0.0.1:1111/preview".into()),
            today: time::macros::date!(2026 - 11 - 29),
        };
        let mut session = Session::new(opts.clone());
        let first = session.rebuild(&Changed::Everything);
        assert_same(&first, &build(&opts), "the first build");
        assert!(!first.diagnostics.has_errors());
        let faq = first_of_kind(&root, "faq");
        let doc = first_of_kind(&root, "document");
        let news = first_of_kind(&root, "news");
        let number = std::fs::read_to_string(root.join(&doc))
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("number: "))
            .unwrap()
            .trim_matches('"')
            .to_owned();
        let mut s = Steps {
            root: root.clone(),
            session,
            opts,
            live_index: 0,
        };
        s.edit("a new FAQ question citing a document", &faq, Way::Fast, |t| {
            format!("{t}\n## Câu hỏi thêm về văn bản {number}?\n\nTheo văn bản {number}, đây là câu trả lời.\n")
        });
        s.edit("a new article in a document", &doc, Way::Fast, |t| {
            format!("{t}\n## Điều 98. Điều thêm để thử\n\n1. Khoản một.\n2. Khoản hai.\n")
        });
        s.edit(
            "a page citing the new article",
            "content/gioi-thieu.md",
            Way::Fast,
            |t| {
                format!(
                    "{t}\nXem khoản 2 Điều 98 Văn bản số {number} và [điều này]({}#dieu-98).\n",
                    std::path::Path::new(&doc)
                        .strip_prefix("content")
                        .unwrap()
                        .display()
                )
            },
        );
        s.edit(
            "the article removed again (the link breaks)",
            &doc,
            Way::Fast,
            |t| t.split("\n## Điều 98.").next().unwrap().to_owned(),
        );
        s.edit("the article back", &doc, Way::Fast, |t| {
            format!("{t}\n## Điều 98. Điều thêm để thử\n\n1. Khoản một.\n2. Khoản hai.\n")
        });
        s.edit(
            "the page's link removed, its prose citation kept",
            "content/gioi-thieu.md",
            Way::Fast,
            |t| t.split(" và [điều này]").next().unwrap().to_owned() + ".\n",
        );
        s.edit(
            "the article removed (only the prose citation changes)",
            &doc,
            Way::Fast,
            |t| t.split("\n## Điều 98.").next().unwrap().to_owned(),
        );
        s.edit(
            "the page's citation removed",
            "content/gioi-thieu.md",
            Way::Fast,
            |t| t.split("\nXem khoản 2 Điều 98").next().unwrap().to_owned(),
        );
        s.edit(
            "a citation of a number the site lacks",
            "content/gioi-thieu.md",
            Way::Fast,
            |t| format!("{t}\nTheo Nghị định số 99/2099/NĐ-CP, chưa có.\n"),
        );
        s.edit(
            "text added above that citation",
            "content/gioi-thieu.md",
            Way::Fast,
            |t| t.replacen("\n---\n", "\n---\n\nĐoạn mở đầu mới.\n", 1),
        );
        s.edit("news text", &news, Way::Fast, |t| {
            format!("{t}\nĐoạn tin thêm.\n")
        });
        s.edit("a document's status", &doc, Way::Full, |t| {
            let without: Vec<&str> = t.lines().filter(|l| !l.starts_with("status:")).collect();
            let mut text = without.join("\n").replacen(
                "\nnumber: ",
                "\nstatus: \"not_in_force\"\nnumber: ",
                1,
            );
            text.push('\n');
            text
        });
        s.edit("a title in front matter", &faq, Way::Full, |t| {
            t.replacen("title: \"", "title: \"Sửa: ", 1)
        });
        s.edit("a new page", "content/tin-tuc/bai-moi.md", Way::Full, |_| {
            format!("---\ntitle: \"Bài mới\"\ndescription: \"Bài mới để thử\"\nkind: news\ndate: 2026-11-01\ntopics: [\"Chủ đề mới\"]\n---\n\nTheo văn bản {number}, bài mới.\n")
        });
        s.edit(
            "broken front matter",
            "content/tin-tuc/bai-moi.md",
            Way::Full,
            |t| t.replacen("title: \"Bài mới\"", "title: [Bài mới", 1),
        );
        s.edit(
            "fixed front matter",
            "content/tin-tuc/bai-moi.md",
            Way::Full,
            |t| t.replacen("title: [Bài mới", "title: \"Bài mới\"", 1),
        );
        std::fs::rename(
            root.join("content/tin-tuc/bai-moi.md"),
            root.join("content/tin-tuc/bai-doi-ten.md"),
        )
        .unwrap();
        s.check(
            "a renamed page",
            &[
                "content/tin-tuc/bai-moi.md",
                "content/tin-tuc/bai-doi-ten.md",
            ],
            Way::Full,
        );
        std::fs::remove_file(root.join("content/tin-tuc/bai-doi-ten.md")).unwrap();
        s.check(
            "a deleted page",
            &["content/tin-tuc/bai-doi-ten.md"],
            Way::Full,
        );
        let term = "content/thuat-ngu/thu-cong-chuc.md";
        s.edit("a new glossary term", term, Way::Full, |_| {
            "---\ntitle: \"Công chức\"\nkind: glossary\ndescription: \"Người làm việc trong cơ quan nhà nước.\"\n---\n\nCông chức.\n".into()
        });
        s.edit("a glossary definition", term, Way::Full, |t| {
            t.replacen("Người làm", "Người được tuyển dụng, làm", 1)
        });
        s.edit(
            "a new section",
            "content/huong-dan/_index.md",
            Way::Full,
            |_| "---\ntitle: \"Hướng dẫn\"\ndescription: \"Mục mới\"\n---\n\nMục mới.\n".into(),
        );
        let theme_page = crate::support::repo_root().join("themes/default/templates/page.html");
        let template = std::fs::read_to_string(theme_page).unwrap();
        s.edit(
            "a template override",
            "templates/page.html",
            Way::Full,
            |_| format!("{template}\n<!-- sửa -->\n"),
        );
        std::fs::remove_dir_all(root.join("templates")).unwrap();
        s.check("the override removed", &["templates"], Way::Full);
        s.edit("a stylesheet", "static/them.css", Way::Full, |_| {
            "p { color: navy; }\n".into()
        });
        s.edit("the site title", "site.yaml", Way::Full, |t| {
            t.replacen("title: \"", "title: \"Thử: ", 1)
        });
        s.check("everything re-read", &["content"], Way::Fast);
        eprintln!("search index updated in place at {} steps", s.live_index);
        assert!(s.live_index >= 10, "{} steps", s.live_index);
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let mut s = Serve::start("serve/basic");
    let pid = s.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    // The message is printed before exiting; give the reader thread a moment.
    std::thread::sleep(Duration::from_millis(100));
    assert!(s
        .stderr
        .lock()
        .unwrap()
        .contains("Đã dừng máy chủ xem trước."));
}

#[test]
fn many_files_changed_at_once_like_a_git_checkout() {
    let s = Serve::start("serve/basic");
    s.write(
        "content/luu-tru/_index.md",
        "---\ntitle: \"Lưu trữ\"\ndescription: \"Bài cũ\"\n---\n\nCác bài cũ.\n",
    );
    for i in 0..60 {
        s.write(
            &format!("content/luu-tru/bai-{i:02}.md"),
            &format!("---\ntitle: \"Bài lưu trữ {i:02}\"\ndescription: \"Bài số {i}\"\n---\n\nNội dung bài {i}.\n"),
        );
    }
    let faq = std::fs::read_to_string(s.path("content/hoi-dap.md")).unwrap();
    s.write("content/hoi-dap.md", &format!("{faq}\nĐã đổi cùng lúc.\n"));
    std::fs::remove_file(s.path("content/tin-tuc/bai-1.md")).unwrap();

    // The events may come in several batches: wait until the site shows all of it.
    let done = || {
        s.get("/so-tay/luu-tru/").body.contains("Bài lưu trữ 59")
            && s.get("/so-tay/luu-tru/bai-00/").status == 200
            && s.get("/so-tay/tin-tuc/bai-1/").status == 404
            && s.get("/so-tay/hoi-dap/").body.contains("Đã đổi cùng lúc.")
    };
    while !done() {
        s.expect_event("reload");
    }
    assert!(s.get("/so-tay/tin-tuc/").body.contains("Tin tức"));
}
