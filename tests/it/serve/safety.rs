//! `serve` under hostile conditions: files swapped for symlinks, foreign `Host` headers
//! (DNS rebinding), live-reload slots, malformed and idle connections.

use super::Serve;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A file outside the site that a symlink in the site points to.
const SECRET: &str = "bí mật: root:x:0:0\n";

#[cfg(unix)]
#[test]
fn an_asset_swapped_for_a_symlink_is_never_followed_while_an_error_is_pending() {
    let s = Serve::start("serve/basic");
    let asset = "/so-tay/tep/mau.txt";
    assert_eq!(s.get(asset).body, "mẫu\n");
    let secret = s.site.root.parent().unwrap().join("secret.txt");
    std::fs::write(&secret, SECRET).unwrap();

    // A content error keeps the last good file list, which still names the asset.
    let good = std::fs::read_to_string(s.path("content/hoi-dap.md")).unwrap();
    s.write(
        "content/hoi-dap.md",
        &good.replace("title: \"Hỏi đáp", "title: [\"Hỏi đáp"),
    );
    s.expect_event("build-error");
    let path = s.path("content/tep/mau.txt");
    std::fs::remove_file(&path).unwrap();
    std::os::unix::fs::symlink(&secret, &path).unwrap();
    // Before, during and after the rebuild the swap causes: never the link's target.
    let until = Instant::now() + Duration::from_millis(1500);
    while Instant::now() < until {
        let r = s.get(asset);
        assert_eq!(r.status, 404, "{}", r.body);
        assert!(!r.body.contains("bí mật"), "{}", r.body);
        std::thread::sleep(Duration::from_millis(50));
    }
    // A folder swapped for a link to a folder holding a file of the same name.
    let outside = s.site.root.parent().unwrap().join("ngoai");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("mau.txt"), SECRET).unwrap();
    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, "mẫu\n").unwrap();
    s.write("content/hoi-dap.md", &good);
    s.expect_event("reload");
    assert_eq!(s.get(asset).body, "mẫu\n");
    s.write(
        "content/hoi-dap.md",
        &good.replace("title: \"Hỏi đáp", "title: [\"Hỏi đáp"),
    );
    s.expect_event("build-error");
    std::fs::remove_dir_all(s.path("content/tep")).unwrap();
    std::os::unix::fs::symlink(&outside, s.path("content/tep")).unwrap();
    let r = s.get(asset);
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(!r.body.contains("bí mật"), "{}", r.body);
}

#[test]
fn foreign_hosts_and_origins_get_no_page() {
    let s = Serve::start("serve/basic");
    let port = s.host.rsplit(':').next().unwrap().to_owned();
    let with_host = |host: &str| {
        s.raw(&format!(
            "GET /so-tay/hoi-dap/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    };
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        "localhost:1".to_owned(),
    ] {
        let r = with_host(&host);
        assert_eq!(r.status, 421, "{host}");
        assert!(r.body.contains("cục bộ"), "{host}: {}", r.body);
        assert!(!r.body.contains("Ai thực hiện?"), "{host}");
    }
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        assert_eq!(with_host(&host).status, 200, "{host}");
    }
    let no_host = s.raw("GET /so-tay/hoi-dap/ HTTP/1.0\r\n\r\n");
    assert_eq!(no_host.status, 400);
    let cross = s.raw(&format!(
        "GET /__sotay/events HTTP/1.1\r\nHost: {}\r\nOrigin: http://evil.example\r\n\r\n",
        s.host
    ));
    assert_eq!(cross.status, 403);
    assert!(!cross.body.contains("event: hello"));
}

/// Opens the event stream, reads until `hello` or the end, then closes: the status and
/// whether `hello` came.
fn connect_events(host: &str) -> (u16, bool) {
    let mut stream = TcpStream::connect(host).expect("connect events");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /__sotay/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut lines = BufReader::new(stream).lines().map_while(Result::ok);
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1).and_then(|s| s.parse().ok()))
        .unwrap_or(0);
    (status, lines.any(|l| l == "event: hello"))
}

#[test]
fn live_reload_survives_many_page_loads_and_a_full_house() {
    let s = Serve::start("serve/basic");
    // Page loads without a save: each tab connects and goes away.
    for i in 0..80 {
        let (status, hello) = connect_events(&s.host);
        assert_eq!(status, 200, "connection {i}");
        assert!(hello || i >= 63, "connection {i} got no hello");
    }
    // The next tab gets a live stream, retrying like EventSource does.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, hello) = connect_events(&s.host);
        assert_eq!(
            status, 200,
            "never an error status EventSource would not retry"
        );
        if hello {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no live-reload slot was ever freed"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Truly full (the test's own stream plus 63 held open): told to retry, not refused.
    let mut held = Vec::new();
    while held.len() < 63 {
        let mut stream = TcpStream::connect(&s.host).unwrap();
        write!(
            stream,
            "GET /__sotay/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            s.host
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut text = String::new();
        while !text.contains("event: hello") && !text.contains("retry: 3000") {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            text.push_str(&line);
        }
        if text.contains("event: hello") {
            held.push(reader);
        } else {
            // A slot of an earlier tab not yet noticed as closed: wait for it.
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    let mut full = TcpStream::connect(&s.host).unwrap();
    write!(
        full,
        "GET /__sotay/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        s.host
    )
    .unwrap();
    full.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut text = String::new();
    full.read_to_string(&mut text).unwrap();
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(text.contains("retry: 3000"), "{text}");
    assert!(!text.contains("event: hello"), "{text}");
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !connect_events(&s.host).1 {
        assert!(Instant::now() < deadline, "slots never came back");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(s.get("/so-tay/").status, 200);
}

#[test]
fn idle_slow_and_malformed_connections_do_not_lock_out_a_browser() {
    let s = Serve::start("serve/basic");
    // More idle connections than the server has slots, and some that trickle a head.
    let mut idle: Vec<TcpStream> = (0..300)
        .filter_map(|_| TcpStream::connect(&s.host).ok())
        .collect();
    for stream in idle.iter_mut().take(20) {
        let _ = stream.write_all(b"GET /so-tay/ HTTP/1.1\r\nX-Slow: ");
    }
    let started = Instant::now();
    let r = s.get("/so-tay/hoi-dap/");
    assert_eq!(r.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "served only after idle connections timed out"
    );
    let long = format!(
        "GET /so-tay/ HTTP/1.1\r\nHost: {}\r\nX-Long: {}\r\n\r\n",
        s.host,
        "a".repeat(64 * 1024)
    );
    assert_eq!(s.raw(&long).status, 431);
    assert_eq!(s.raw("GARBAGE\r\n\r\n").status, 400);
    assert_eq!(s.raw("GET / HTTP/9.9\r\n\r\n").status, 400);
    drop(idle);
    assert_eq!(s.get("/so-tay/").status, 200);
}
