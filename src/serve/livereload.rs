//! Live reload over Server-Sent Events.
//!
//! Each browser tab keeps one `GET /__sotay/events` open. After every build the server
//! broadcasts one event: `reload` (with the pages whose HTML changed), `css` (only
//! stylesheets changed: the client swaps them without reloading) or `build-error` (with
//! the diagnostics for the overlay). Every connection starts with `hello`, naming the
//! build being served, so a tab that missed events while disconnected reloads itself.
//!
//! SSE rather than WebSockets: one-way is all we need, browsers reconnect by themselves,
//! and it is plain HTTP that tiny_http can hold open.

use serde_json::Value;
use std::io::Write;
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Most tabs connected at once; more get 503 (each connection holds a thread).
pub const MAX_CLIENTS: usize = 64;
/// How often an idle stream gets a comment, so dead connections are noticed and closed.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// One event, already in wire format.
pub type Message = Arc<str>;

/// Formats one event: `event: NAME` and its JSON data on one `data:` line.
pub fn event(name: &str, data: &Value) -> Message {
    // serde_json never writes a raw newline, so the data fits on one line.
    Arc::from(format!("event: {name}\ndata: {data}\n\n"))
}

/// The connected tabs.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<SyncSender<Message>>>,
}

impl Hub {
    /// A new connection's queue, or `None` when too many tabs are connected.
    pub fn subscribe(&self) -> Option<Receiver<Message>> {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if clients.len() >= MAX_CLIENTS {
            return None;
        }
        let (tx, rx) = sync_channel(16);
        clients.push(tx);
        Some(rx)
    }

    /// Sends an event to every tab; drops tabs that are gone or hopelessly behind (they
    /// reconnect, get `hello` and reload).
    pub fn broadcast(&self, message: &Message) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|tx| tx.try_send(Arc::clone(message)).is_ok());
    }

    /// Number of connected tabs.
    pub fn len(&self) -> usize {
        self.clients.lock().map_or(0, |c| c.len())
    }

    /// Whether no tab is connected.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Writes the response head and then events as they come, until the tab goes away or the
/// hub drops it. Runs on the connection's own thread.
pub fn stream(mut writer: impl Write, events: Receiver<Message>, hello: Message) {
    let head = "HTTP/1.1 200 OK\r\n\
                Content-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\n\
                X-Content-Type-Options: nosniff\r\n\
                Connection: close\r\n\r\n\
                retry: 500\n\n";
    let mut send = |bytes: &[u8]| writer.write_all(bytes).and_then(|()| writer.flush());
    if send(head.as_bytes()).is_err() || send(hello.as_bytes()).is_err() {
        return;
    }
    loop {
        let result = match events.recv_timeout(HEARTBEAT) {
            Ok(message) => send(message.as_bytes()),
            Err(RecvTimeoutError::Timeout) => send(b": ping\n\n"),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if result.is_err() {
            return;
        }
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
        assert!(a.try_recv().unwrap().starts_with("event: reload"));
    }

    #[test]
    fn the_stream_writes_head_hello_and_events_then_ends() {
        let hub = Hub::default();
        let rx = hub.subscribe().unwrap();
        hub.broadcast(&event("css", &json!({"styles": []})));
        drop(hub);
        let mut out = Vec::new();
        stream(&mut out, rx, event("hello", &json!({"generation": 1})));
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(text.contains("text/event-stream"));
        let hello = text.find("event: hello").unwrap();
        let css = text.find("event: css").unwrap();
        assert!(hello < css);
    }
}
