//! The HTTP threads: tiny_http requests in, [`http::respond`] replies out.
//!
//! A few worker threads answer ordinary requests from the current [`Snapshot`] (an `Arc`
//! read under a lock held only to clone it); each live-reload connection gets a thread of
//! its own, so open tabs never starve page requests. HTTP threads never build.

use super::http::{self, Method, Snapshot};
use super::livereload::{self, Hub};
use serde_json::json;
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
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    for (name, value) in reply.headers {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    // A client that went away is not an error worth reporting.
    let _ = request.respond(response);
}

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
