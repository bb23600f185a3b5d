//! The HTTP threads: tiny_http requests in, [`http::respond`] replies out.
//!
//! A few worker threads answer ordinary requests from the current [`Snapshot`] (an `Arc`
//! read under a lock held only to clone it); each live-reload connection gets a thread of
//! its own, so open tabs never starve page requests. HTTP threads never build.

use super::http::{self, Method, Snapshot};
use super::livereload::{self, Hub};
use crate::output::SiteFiles;
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, RwLock};

/// Threads answering page requests.
const WORKERS: usize = 4;

/// What the HTTP threads and the rebuild loop share.
pub struct Shared {
    /// The site being served; replaced whole after each build.
    pub snapshot: RwLock<Arc<Snapshot>>,
    /// Connected live-reload clients.
    pub hub: Hub,
}

impl Shared {
    /// The current snapshot.
    pub fn current(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Replaces the snapshot.
    pub fn replace(&self, next: Snapshot) {
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
    }

    /// Swaps in a new search index, keeping everything else (no reload: pages are the same).
    pub fn replace_search(&self, search: Arc<SiteFiles>) {
        let mut current = self.snapshot.write().unwrap_or_else(|e| e.into_inner());
        let next = Snapshot::new(
            current.site.clone(),
            current.base_path.clone(),
            current.generation,
            current.errors.clone(),
        )
        .with_search(search)
        .with_pins(Arc::clone(&current.pins));
        *current = Arc::new(next);
    }
}

/// Starts the worker threads.
pub fn spawn_workers(server: Arc<tiny_http::Server>, shared: Arc<Shared>) {
    for i in 0..WORKERS {
        let server = Arc::clone(&server);
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name(format!("sotay-http-{i}"))
            .spawn(move || {
                while let Ok(request) = server.recv() {
                    handle(request, &shared);
                }
            })
            .expect("spawn an HTTP thread");
    }
}

fn handle(request: tiny_http::Request, shared: &Shared) {
    let method = match request.method() {
        tiny_http::Method::Get => Method::Get,
        tiny_http::Method::Head => Method::Head,
        _ => Method::Other,
    };
    let is_events = http::clean_path(request.url()).is_ok_and(|p| p == http::EVENTS_PATH);
    if method == Method::Get && is_events {
        open_stream(request, shared);
        return;
    }
    let if_none_match = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("If-None-Match"))
        .map(|h| h.value.as_str().to_owned());
    let snapshot = shared.current();
    let reply = http::respond(&snapshot, method, request.url(), if_none_match.as_deref());
    let close = request.http_version() == &tiny_http::HTTPVersion(1, 0)
        || request
            .headers()
            .iter()
            .any(|h| h.field.equiv("Connection") && h.value.as_str().eq_ignore_ascii_case("close"));
    let bytes = encode(&reply, method == Method::Head, close);
    let mut writer = request.into_writer();
    // A client that went away is not an error worth reporting.
    let _ = writer.write_all(&bytes).and_then(|()| writer.flush());
}

/// The whole response in one buffer, sent with one write: tiny_http writes the head and
/// the body separately, and without `TCP_NODELAY` the second write waits for the client's
/// delayed ACK (40 ms a request on Linux).
fn encode(reply: &http::Reply, head_only: bool, close: bool) -> Vec<u8> {
    let reason = match reply.status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    };
    let mut head = format!("HTTP/1.1 {} {reason}\r\n", reply.status);
    if let Ok(date) = time::OffsetDateTime::now_utc().format(HTTP_DATE) {
        head.push_str(&format!("Date: {date}\r\n"));
    }
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if reply.status != 304 {
        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    if !head_only && reply.status != 304 {
        bytes.extend_from_slice(&reply.body);
    }
    bytes
}

/// IMF-fixdate, the format of HTTP's `Date` header.
const HTTP_DATE: &[time::format_description::BorrowedFormatItem<'static>] = time::macros::format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

fn open_stream(request: tiny_http::Request, shared: &Shared) {
    let Some(events) = shared.hub.subscribe() else {
        let response = tiny_http::Response::from_string("Quá nhiều kết nối tự tải lại\n")
            .with_status_code(503);
        let _ = request.respond(response);
        return;
    };
    // Read the generation after subscribing: an event broadcast in between is then
    // received as well, never lost.
    let generation = shared.current().generation;
    let hello = livereload::event("hello", &json!({"generation": generation}));
    let spawned = std::thread::Builder::new()
        .name("sotay-sse".into())
        .spawn(move || livereload::stream(request.into_writer(), events, hello));
    if spawned.is_err() {
        eprintln!("cảnh báo: không mở được luồng cho kết nối tự tải lại");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_are_encoded_whole() {
        let reply = http::Reply {
            status: 200,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: b"xin chao".to_vec(),
        };
        let text = String::from_utf8(encode(&reply, false, false)).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\nDate: "));
        assert!(text.contains("\r\nContent-Length: 8\r\n"));
        assert!(text.ends_with("\r\n\r\nxin chao"));
        let head = String::from_utf8(encode(&reply, true, true)).unwrap();
        assert!(head.contains("Content-Length: 8\r\nConnection: close\r\n\r\n"));
        assert!(head.ends_with("\r\n\r\n"), "HEAD has no body");
        let not_modified = http::Reply {
            status: 304,
            headers: vec![("ETag", "\"x\"".into())],
            body: Vec::new(),
        };
        let text = String::from_utf8(encode(&not_modified, false, false)).unwrap();
        assert!(!text.contains("Content-Length"));
    }
}
