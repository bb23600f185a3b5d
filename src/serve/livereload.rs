//! Live reload over Server-Sent Events.
//!
//! Each browser tab keeps one `GET /__sotay/events` open. After every build the server
//! broadcasts one event: `reload` (with the pages whose HTML changed), `css` (only
//! stylesheets changed: the client swaps them without reloading) or `build-error` (with
//! the diagnostics for the overlay). Every connection starts with `hello`, naming the
//! build being served, so a tab that missed events while disconnected reloads itself.
//!
//! SSE rather than WebSockets: one-way is all we need, browsers reconnect by themselves,
//! and it is plain HTTP on the connection's own thread.

use serde_json::Value;
use std::io::Write;
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

/// Most tabs connected at once (each connection holds a thread); more are told to retry.
pub const MAX_CLIENTS: usize = 64;
/// How often an idle stream gets a comment, so half-open connections are noticed.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// How often a stream checks whether its tab closed the connection.
const POLL: Duration = Duration::from_millis(500);
/// How long a tab refused for lack of room waits before trying again.
const RETRY_FULL_MS: u32 = 3000;

/// One event, already in wire format.
pub type Message = Arc<str>;

/// Formats one event: `event: NAME` and its JSON data on one `data:` line.
pub fn event(name: &str, data: &Value) -> Message {
    // serde_json never writes a raw newline, so the data fits on one line.
    Arc::from(format!("event: {name}\ndata: {data}\n\n"))
}

/// One connected tab, as the hub sees it.
struct Client {
    tx: SyncSender<Message>,
    /// Dead once the tab's stream has ended, even if no event was sent since.
    alive: Weak<()>,
}

/// One tab's side: its queue of events, and the token that keeps its slot.
pub struct Subscription {
    events: Receiver<Message>,
    _alive: Arc<()>,
}

/// The connected tabs.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<Client>>,
}

impl Hub {
    /// A new connection's queue, or `None` when [`MAX_CLIENTS`] live tabs are connected.
    /// Tabs whose stream has ended are forgotten first, so their slots are free at once.
    pub fn subscribe(&self) -> Option<Subscription> {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|c| c.alive.strong_count() > 0);
        if clients.len() >= MAX_CLIENTS {
            return None;
        }
        let (tx, events) = sync_channel(16);
        let alive = Arc::new(());
        clients.push(Client {
            tx,
            alive: Arc::downgrade(&alive),
        });
        Some(Subscription {
            events,
            _alive: alive,
        })
    }

    /// Sends an event to every tab; drops tabs that are gone or hopelessly behind (they
    /// reconnect, get `hello` and reload).
    pub fn broadcast(&self, message: &Message) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients
            .retain(|c| c.alive.strong_count() > 0 && c.tx.try_send(Arc::clone(message)).is_ok());
    }

    /// Number of connected tabs whose stream has not ended.
    pub fn len(&self) -> usize {
        self.clients.lock().map_or(0, |c| {
            c.iter().filter(|c| c.alive.strong_count() > 0).count()
        })
    }

    /// Whether no tab is connected.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

const HEAD: &str = "HTTP/1.1 200 OK\r\n\
                    Content-Type: text/event-stream; charset=utf-8\r\n\
                    Cache-Control: no-store\r\n\
                    X-Content-Type-Options: nosniff\r\n\
                    Connection: close\r\n\r\n";

/// Answers a tab that found no free slot with an empty stream that asks it to come back
/// later: EventSource reconnects after a stream ends, but gives up for good on an error
/// status such as 503.
pub fn retry_later(mut writer: impl Write) {
    let body =
        format!("{HEAD}retry: {RETRY_FULL_MS}\n: quá nhiều kết nối tự tải lại, thử lại sau\n\n");
    let _ = writer
        .write_all(body.as_bytes())
        .and_then(|()| writer.flush());
}

/// Writes the response head and then events as they come, until the tab goes away
/// (`closed` says so, or a write fails) or the hub drops it. Runs on the connection's own
/// thread.
pub fn stream(
    mut writer: impl Write,
    mut closed: impl FnMut() -> bool,
    subscription: Subscription,
    hello: Message,
) {
    let mut send = |bytes: &[u8]| writer.write_all(bytes).and_then(|()| writer.flush());
    let opening = format!("{HEAD}retry: 500\n\n{hello}");
    if send(opening.as_bytes()).is_err() {
        return;
    }
    let mut last_write = Instant::now();
    loop {
        let result = match subscription.events.recv_timeout(POLL) {
            Ok(message) => send(message.as_bytes()),
            Err(RecvTimeoutError::Timeout) if closed() => return,
            Err(RecvTimeoutError::Timeout) if last_write.elapsed() >= HEARTBEAT => send(b":\n\n"),
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if result.is_err() {
            return;
        }
        last_write = Instant::now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn events_are_single_data_lines() {
        let e = event("reload", &json!({"paths": ["/a/\nb"], "generation": 3}));
        assert_eq!(
            &*e,
            "event: reload\ndata: {\"generation\":3,\"paths\":[\"/a/\\nb\"]}\n\n"
        );
    }

    #[test]
    fn the_hub_broadcasts_and_forgets_closed_tabs() {
        let hub = Hub::default();
        let a = hub.subscribe().unwrap();
        let b = hub.subscribe().unwrap();
        drop(b);
        hub.broadcast(&event("reload", &json!({})));
        assert_eq!(hub.len(), 1);
        assert!(a.events.try_recv().unwrap().starts_with("event: reload"));
    }

    #[test]
    fn slots_of_ended_streams_are_free_without_a_broadcast() {
        let hub = Hub::default();
        let mut tabs: Vec<Subscription> =
            (0..MAX_CLIENTS).map(|_| hub.subscribe().unwrap()).collect();
        assert!(hub.subscribe().is_none(), "full");
        let mut out = Vec::new();
        let first = tabs.remove(0);
        // The tab closed its connection: the stream ends and frees the slot.
        stream(&mut out, || true, first, event("hello", &json!({})));
        let again = hub.subscribe();
        assert!(again.is_some());
        assert!(hub.subscribe().is_none());
        let mut refused = Vec::new();
        retry_later(&mut refused);
        let text = String::from_utf8(refused).unwrap();
        assert!(
            text.starts_with("HTTP/1.1 200 OK\r\n"),
            "never an error status"
        );
        assert!(text.contains("\r\n\r\nretry: 3000\n"));
    }

    #[test]
    fn the_stream_writes_head_hello_and_events_then_ends() {
        let hub = Hub::default();
        let rx = hub.subscribe().unwrap();
        hub.broadcast(&event("css", &json!({"styles": []})));
        drop(hub);
        let mut out = Vec::new();
        stream(
            &mut out,
            || false,
            rx,
            event("hello", &json!({"generation": 1})),
        );
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(text.contains("text/event-stream"));
        let hello = text.find("event: hello").unwrap();
        let css = text.find("event: css").unwrap();
        assert!(hello < css);
    }
}
