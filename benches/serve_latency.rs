//! Measures `sotay serve`'s edit-to-reload latency: edits one page of a running server's
//! site N times and times each save until the live-reload `reload` event arrives, then
//! does the same for an edit of the base template (every page rendered again) and of
//! `site.yaml` (a full rebuild). Prints the median and p90 of each. It also times each page
//! save until the new search index is served (the manifest changes; the server waits for a
//! quiet spell of 300 ms before it indexes), and a new page until its index is served (the
//! index built from nothing, as after any change of the set of pages).
//!
//! ```sh
//! serve_latency --url http://127.0.0.1:PORT/ --root SITE [--runs 20] [--pause-ms 1500]
//! ```
//!
//! The page edited is the first `.md` of the largest section of `content/`; its text and
//! any template written are restored at the end. Used by `benches/serve.sh`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

struct Args {
    url: String,
    root: PathBuf,
    runs: usize,
    pause: Duration,
}

fn parse_args() -> Args {
    let mut args = Args {
        url: String::new(),
        root: PathBuf::new(),
        runs: 20,
        pause: Duration::from_millis(1500),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => args.url = value,
            "--root" => args.root = PathBuf::from(value),
            "--runs" => args.runs = value.parse().expect("--runs N"),
            "--pause-ms" => {
                args.pause = Duration::from_millis(value.parse().expect("--pause-ms N"))
            }
            other => panic!("unknown flag {other}"),
        }
    }
    assert!(!args.url.is_empty(), "--url is required");
    assert!(args.root.is_dir(), "--root must be the served site");
    args
}

/// Opens the live-reload stream; yields event names as they arrive.
fn events(host: &str) -> Receiver<(String, Instant)> {
    let mut stream = TcpStream::connect(host).expect("connect to the server");
    write!(
        stream,
        "GET /__sotay/events HTTP/1.1\r\nHost: {host}\r\n\r\n"
    )
    .expect("request");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                if tx.send((name.to_owned(), Instant::now())).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

/// The body of `GET url` (plain HTTP).
fn get(url: &str) -> Vec<u8> {
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(host).expect("connect to the server");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut reply = Vec::new();
    std::io::Read::read_to_end(&mut stream, &mut reply).expect("reply");
    let body = reply
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(0, |i| i + 4);
    reply.split_off(body)
}

/// Polls `url` until its body is not `old`; returns when it changed.
fn wait_until_changed(url: &str, old: &[u8]) -> Instant {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if get(url) != old {
            return Instant::now();
        }
        assert!(Instant::now() < deadline, "{url} unchanged after 120 s");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Forgets events already received, so the next wait times the next save.
fn drain(rx: &Receiver<(String, Instant)>) {
    while rx.try_recv().is_ok() {}
}

/// Waits for `name`, returning when it arrived.
fn wait_for(rx: &Receiver<(String, Instant)>, name: &str) -> Instant {
    loop {
        let (event, at) = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("no `{name}` event within 120 s"));
        if event == name {
            return at;
        }
        assert_ne!(event, "build-error", "the edit broke the build");
    }
}

/// The first page of the section with the most pages.
fn page_to_edit(root: &Path) -> PathBuf {
    let mut best: Option<(usize, PathBuf)> = None;
    for entry in std::fs::read_dir(root.join("content")).expect("read content/") {
        let dir = entry.expect("entry").path();
        if !dir.is_dir() {
            continue;
        }
        let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("read section")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
            .collect();
        pages.sort();
        if best.as_ref().is_none_or(|(n, _)| pages.len() > *n) {
            if let Some(first) = pages.first() {
                best = Some((pages.len(), first.clone()));
            }
        }
    }
    best.expect("a section with pages").1
}

fn stats(label: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{label}: median {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms ({} runs)",
        at(0.5),
        at(0.9),
        ms[0],
        ms[ms.len() - 1],
        ms.len()
    );
}

/// Writes `text` to `path` the way editors do: a temporary file renamed over the original.
fn save(path: &Path, text: &str) {
    let tmp = path.with_extension("md.tmp");
    std::fs::write(&tmp, text).expect("write");
    std::fs::rename(&tmp, path).expect("rename");
}

fn main() {
    let args = parse_args();
    let host = args
        .url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .expect("host")
        .to_owned();
    let rx = events(&host);
    wait_for(&rx, "hello");

    let page = page_to_edit(&args.root);
    let original = std::fs::read_to_string(&page).expect("read page");
    println!("editing {}", page.display());
    let manifest = format!("{}/search/manifest.json", args.url.trim_end_matches('/'));
    let mut page_ms = Vec::new();
    let mut index_ms = Vec::new();
    for run in 0..args.runs {
        std::thread::sleep(args.pause);
        let text = format!("{original}\nĐoạn sửa thử số {run} để đo thời gian xem trước.\n");
        drain(&rx);
        let old = get(&manifest);
        let saved = Instant::now();
        save(&page, &text);
        let at = wait_for(&rx, "reload");
        page_ms.push(at.duration_since(saved).as_secs_f64() * 1000.0);
        let indexed = wait_until_changed(&manifest, &old);
        index_ms.push(indexed.duration_since(saved).as_secs_f64() * 1000.0);
    }
    std::thread::sleep(args.pause);
    save(&page, &original);
    wait_for(&rx, "reload");

    // A new page: the set of pages changes, so the index is built from nothing.
    let mut new_page_ms = Vec::new();
    let added: Vec<PathBuf> = (0..3)
        .map(|run| page.with_file_name(format!("zz-trang-do-thu-{run}.md")))
        .collect();
    for (run, path) in added.iter().enumerate() {
        std::thread::sleep(args.pause * 2);
        let old = get(&manifest);
        let text = format!(
            "---\ntitle: \"Trang đo thử {run}\"\ndescription: \"Trang thêm để đo chỉ mục\"\n---\n\nNội dung trang đo thử số {run}.\n"
        );
        let saved = Instant::now();
        std::fs::write(path, text).expect("write new page");
        let indexed = wait_until_changed(&manifest, &old);
        new_page_ms.push(indexed.duration_since(saved).as_secs_f64() * 1000.0);
    }
    for path in &added {
        std::fs::remove_file(path).expect("remove new page");
    }
    std::thread::sleep(args.pause * 2);

    let template_dir = args.root.join("templates");
    let existed = template_dir.exists();
    // The base template: every page changes, so every page is rendered again.
    let template = args.root.join("templates/base.html");
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html");
    let base = std::fs::read_to_string(theme).expect("theme base template");
    let marked = |mark: &str| base.replacen("</body>", &format!("<!-- {mark} --></body>"), 1);
    std::fs::create_dir_all(&template_dir).expect("templates/");
    std::fs::write(&template, marked("bắt đầu")).expect("write template");
    wait_for(&rx, "reload");
    let mut full_ms = Vec::new();
    for run in 0..args.runs.div_ceil(4).max(3) {
        std::thread::sleep(args.pause * 2);
        drain(&rx);
        let saved = Instant::now();
        std::fs::write(&template, marked(&format!("lần {run}"))).expect("write template");
        let at = wait_for(&rx, "reload");
        full_ms.push(at.duration_since(saved).as_secs_f64() * 1000.0);
    }
    std::thread::sleep(args.pause * 2);
    if existed {
        std::fs::remove_file(&template).expect("remove template");
    } else {
        std::fs::remove_dir_all(&template_dir).expect("remove templates/");
    }
    wait_for(&rx, "reload");

    // site.yaml: everything is rebuilt, Markdown included.
    let config_path = args.root.join("site.yaml");
    let config = std::fs::read_to_string(&config_path).expect("read site.yaml");
    let mut config_ms = Vec::new();
    for run in 0..args.runs.div_ceil(4).max(3) {
        std::thread::sleep(args.pause * 2);
        let edited = config.replacen("description: \"", &format!("description: \"({run}) "), 1);
        assert_ne!(edited, config, "site.yaml has a quoted description");
        drain(&rx);
        let saved = Instant::now();
        std::fs::write(&config_path, edited).expect("write site.yaml");
        let at = wait_for(&rx, "reload");
        config_ms.push(at.duration_since(saved).as_secs_f64() * 1000.0);
    }
    std::thread::sleep(args.pause * 2);
    std::fs::write(&config_path, &config).expect("restore site.yaml");
    wait_for(&rx, "reload");

    stats("save one page → reload event", page_ms);
    stats("save one page → new search index served", index_ms);
    stats(
        "add a page (index built from nothing) → new search index served",
        new_page_ms,
    );
    stats(
        "edit the base template (every page rendered) → reload event",
        full_ms,
    );
    stats("edit site.yaml (full rebuild) → reload event", config_ms);
}
