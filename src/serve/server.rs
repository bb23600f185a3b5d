//! The HTTP threads: connections accepted, request heads read ([`wire`]), replies from
//! [`http::route`] written back.
//!
//! One thread per connection, at most [`MAX_CONNECTIONS`] of them. Nothing a client does
//! can hold a thread for long: a request head must arrive within [`HEAD_TIMEOUT`] (idle
//! keep-alive time included), writes give up after [`WRITE_TIMEOUT`], and when every slot
//! is taken the connection that has waited longest for a request is closed to make room
//! (browsers reopen idle keep-alive connections by themselves), so thousands of idle or
//! slow connections cannot lock out the editor's browser. Live-reload connections are
//! capped separately by the [`Hub`]. HTTP threads never build: they read the current
//! [`Snapshot`] (an `Arc` cloned under a lock held only for that).

use super::hosts::Hosts;
use super::http::{self, Method, Route, Snapshot};
use super::livereload::{self, Hub};
use super::wire::{self, HeadError};
use crate::output::SiteFiles;
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Write;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// Most connections served at once (each holds a thread and two file descriptors).
pub const MAX_CONNECTIONS: usize = 256;
/// How long a connection may take to send a whole request head, waiting included.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one write may wait for a client that does not read.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

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

/// The open connections, and those waiting for a request (which may be closed for room).
#[derive(Default)]
struct Slots {
    inner: Mutex<SlotsInner>,
}

#[derive(Default)]
struct SlotsInner {
    open: usize,
    /// Connections waiting for a request head, oldest wait first.
    waiting: BTreeMap<u64, TcpStream>,
    next: u64,
}

impl Slots {
    fn lock(&self) -> std::sync::MutexGuard<'_, SlotsInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes a slot for a new connection, closing the longest-waiting one when all are
    /// taken; `false` when every connection is busy answering.
    fn admit(&self) -> bool {
        let mut inner = self.lock();
        if inner.open >= MAX_CONNECTIONS && !inner.evict_oldest() {
            return false;
        }
        inner.open += 1;
        true
    }

    /// Marks a connection as waiting for a request; the ticket is for [`Slots::busy`].
    fn waiting(&self, stream: &TcpStream) -> Option<u64> {
        let clone = stream.try_clone().ok()?;
        let mut inner = self.lock();
        let ticket = inner.next;
        inner.next += 1;
        inner.waiting.insert(ticket, clone);
        Some(ticket)
    }

    fn busy(&self, ticket: Option<u64>) {
        if let Some(t) = ticket {
            self.lock().waiting.remove(&t);
        }
    }

    fn close(&self, ticket: Option<u64>) {
        let mut inner = self.lock();
        if let Some(t) = ticket {
            inner.waiting.remove(&t);
        }
        inner.open -= 1;
    }

    /// Closes the longest-waiting connection (out of file descriptors, for example).
    fn evict_oldest(&self) -> bool {
        self.lock().evict_oldest()
    }
}

impl SlotsInner {
    fn evict_oldest(&mut self) -> bool {
        match self.waiting.pop_first() {
            Some((_, stream)) => {
                // Its thread's read ends at once and the thread gives the slot back.
                let _ = stream.shutdown(Shutdown::Both);
                true
            }
            None => false,
        }
    }
}

/// Accepts connections on `listener` (on a thread of its own) until the process ends.
pub fn start(listener: TcpListener, shared: Arc<Shared>, hosts: Hosts) {
    let slots = Arc::new(Slots::default());
    std::thread::Builder::new()
        .name("sotay-accept".into())
        .spawn(move || accept_loop(&listener, &shared, hosts, &slots))
        .expect("spawn the accept thread");
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>, hosts: Hosts, slots: &Arc<Slots>) {
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors (or a connection reset before it was accepted):
                // make room and go on; the server must never stop accepting.
                slots.evict_oldest();
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        if !slots.admit() {
            refuse(stream);
            continue;
        }
        let (shared, own_slots) = (Arc::clone(shared), Arc::clone(slots));
        let spawned = std::thread::Builder::new()
            .name("sotay-http".into())
            .stack_size(1 << 20)
            .spawn(move || {
                let ticket = connection(&stream, &shared, hosts, &own_slots);
                own_slots.close(ticket);
            });
        if spawned.is_err() {
            slots.close(None);
        }
    }
}

/// Answers 503 without waiting for anything: every slot is busy answering.
fn refuse(mut stream: TcpStream) {
    let reply = http::Reply::text(503, "Máy chủ đang bận, hãy thử lại");
    let _ = stream.set_nonblocking(true);
    let _ = stream.write_all(&wire::encode(&reply, false, true));
}

/// Serves one connection's requests; returns the ticket it holds when it ends.
fn connection(stream: &TcpStream, shared: &Shared, hosts: Hosts, slots: &Slots) -> Option<u64> {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut buf = Vec::new();
    loop {
        let ticket = slots.waiting(stream);
        let deadline = Instant::now() + HEAD_TIMEOUT;
        let mut reader = stream;
        let head = wire::read_head(&mut reader, &mut buf, deadline, |d| {
            stream.set_read_timeout(Some(d))
        });
        let head = match head {
            Ok(head) => head,
            Err(e) => {
                send_error(stream, e);
                return ticket;
            }
        };
        slots.busy(ticket);
        let snapshot = shared.current();
        match http::route(&snapshot, &hosts, &head.request()) {
            Route::Events => {
                drop(snapshot);
                open_stream(stream, shared);
                return None;
            }
            Route::Reply(reply) => {
                let bytes = wire::encode(&reply, head.method == Method::Head, head.close);
                let mut writer = stream;
                if writer.write_all(&bytes).is_err() {
                    return None;
                }
                if head.close {
                    linger(stream);
                    return None;
                }
            }
        }
    }
}

fn send_error(mut stream: &TcpStream, error: HeadError) {
    if let Some(reply) = error.reply() {
        if stream.write_all(&wire::encode(&reply, false, true)).is_ok() {
            linger(stream);
        }
    }
}

/// Closes after a reply while the client may still be sending (an oversized head, a body
/// we do not read): closing with unread bytes would reset the connection and the client
/// could lose the reply. Reads and drops what comes, within a small bound of time and size.
fn linger(mut stream: &TcpStream) {
    use std::io::Read;
    let _ = stream.shutdown(Shutdown::Write);
    let until = Instant::now() + Duration::from_secs(1);
    let mut drained = 0;
    let mut sink = [0u8; 8192];
    while drained < 1 << 20 {
        let Some(left) = until.checked_duration_since(Instant::now()) else {
            return;
        };
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(n) => drained += n,
        }
    }
}

/// Turns the connection into a live-reload stream, or tells the tab to retry later when
/// too many are open (EventSource retries a stream that ends, never an error status).
fn open_stream(stream: &TcpStream, shared: &Shared) {
    let Some(subscription) = shared.hub.subscribe() else {
        livereload::retry_later(stream);
        return;
    };
    // Read the generation after subscribing: an event broadcast in between is then
    // received as well, never lost.
    let generation = shared.current().generation;
    let hello = livereload::event("hello", &json!({"generation": generation}));
    livereload::stream(stream, || peer_closed(stream), subscription, hello);
}

/// Whether the client closed its end (checked without blocking and without consuming).
fn peer_closed(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let result = stream.peek(&mut [0u8; 1]);
    let _ = stream.set_nonblocking(false);
    match result {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    }
}
