//! Fuzzes the HTTP request path of `sotay serve`: raw bytes → request head
//! (`wire::parse_head`) → reply (`http::route`) → bytes on the wire (`wire::encode`), and
//! the same routing for arbitrary target, `Host` and `Origin` strings that a parser would
//! never let through. Beyond "no panic", it checks what must hold for any request: a page
//! needs an accepted `Host`, nothing outside the site's file list is ever returned, and a
//! cleaned path never keeps a way out of the site.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sotay::output::{FileContent, SiteFiles};
use sotay::serve::hosts::Hosts;
use sotay::serve::http::{self, Method, Request, Route, Snapshot};
use sotay::serve::pinned::Pins;
use sotay::serve::wire;
use std::sync::{Arc, OnceLock};

/// Content of a file beside the site that no request may ever read.
const SECRET: &str = "SECRET-OUTSIDE-THE-SITE";

struct World {
    snapshot: Snapshot,
    hosts: Hosts,
    _dir: std::path::PathBuf,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("sotay-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("site/tep")).unwrap();
        std::fs::write(dir.join("secret.txt"), SECRET).unwrap();
        std::fs::write(dir.join("site/tep/mau.txt"), "mẫu").unwrap();
        #[cfg(unix)]
        let _ = std::os::unix::fs::symlink(dir.join("secret.txt"), dir.join("site/tep/link.txt"));
        let mut site = SiteFiles::default();
        site.insert_bytes("index.html", "<html><body>home</body></html>");
        site.insert_bytes("a/index.html", "<html><body>a</body></html>");
        site.insert_bytes("404.html", "<html><body>mất</body></html>");
        site.insert_bytes("style.0123456789.css", "body{}");
        site.insert_bytes("van-ban/Sơ đồ.svg", "<svg/>");
        site.insert("tep/mau.txt", FileContent::Copy(dir.join("site/tep/mau.txt")));
        site.insert("tep/link.txt", FileContent::Copy(dir.join("site/tep/link.txt")));
        let pins = Arc::new(Pins::record(&site));
        let snapshot = Snapshot::new(Some(Arc::new(site)), "/so-tay".into(), 7, Vec::new())
            .with_pins(pins);
        World {
            snapshot,
            hosts: Hosts::new("127.0.0.1:1111".parse().unwrap()),
            _dir: dir,
        }
    })
}

fn check(world: &World, request: &Request<'_>) -> Option<http::Reply> {
    let route = http::route(&world.snapshot, &world.hosts, request);
    let host_ok = request.host.is_some_and(|h| world.hosts.allows_host(h));
    let reply = match route {
        Route::Events => {
            assert!(host_ok && request.method == Method::Get);
            assert!(request.origin.is_none_or(|o| world.hosts.allows_origin(o)));
            return None;
        }
        Route::Reply(reply) => reply,
    };
    assert!(
        [200, 301, 302, 304, 400, 403, 404, 405, 421].contains(&reply.status),
        "status {}",
        reply.status
    );
    if !host_ok {
        assert!([400, 421].contains(&reply.status), "{request:?}");
    }
    let body = String::from_utf8_lossy(&reply.body);
    assert!(!body.contains(SECRET), "{request:?} read outside the site");
    if let Ok(path) = http::clean_path(request.target) {
        assert!(!path.split('/').any(|s| s == ".." || s == "."), "{path:?}");
        assert!(!path.contains('\\') && !path.starts_with("//"), "{path:?}");
        assert!(!path.chars().any(char::is_control), "{path:?}");
    }
    Some(reply)
}

fuzz_target!(|data: &[u8]| {
    let world = world();
    // As the server sees it: bytes from a socket.
    if let Ok(Some((head, len))) = wire::parse_head(data) {
        assert!(len <= data.len() && len <= wire::MAX_HEAD);
        if let Some(reply) = check(world, &head.request()) {
            let bytes = wire::encode(&reply, head.method == Method::Head, head.close);
            assert!(bytes.starts_with(b"HTTP/1.1 "));
        }
    }
    // Fields a parser would refuse, straight into routing: target, Host, Origin, ETag.
    if let Ok(text) = std::str::from_utf8(data) {
        let mut parts = text.splitn(4, '\n');
        let target = parts.next().unwrap_or("");
        let host = parts.next();
        let origin = parts.next();
        let if_none_match = parts.next();
        for method in [Method::Get, Method::Head] {
            let request = Request {
                method,
                target,
                host,
                origin,
                if_none_match,
            };
            check(world, &request);
        }
    }
});
