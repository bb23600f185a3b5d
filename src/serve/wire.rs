//! HTTP/1.1 on the socket: request heads read within limits, replies written whole.
//!
//! Everything a client sends is bounded: a head is at most [`MAX_HEAD`] bytes and
//! [`MAX_HEADERS`] headers, it must arrive within the deadline the caller gives, and the
//! end of the head is searched only in the bytes that just arrived, so a head sent a byte
//! at a time costs linear time. Bodies are never read: a request that announces one is
//! answered and its connection closed. Parsing is httparse's; [`parse_head`] is pure.

use super::http::{self, Method, Reply};
use std::io::{ErrorKind, Read};
use std::time::Instant;

/// Longest request head (request line and headers).
pub const MAX_HEAD: usize = 16 * 1024;
/// Most headers in one request.
pub const MAX_HEADERS: usize = 64;

/// A parsed request head: what [`http::route`] needs, and how the connection goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The method.
    pub method: Method,
    /// The request target, as sent.
    pub target: String,
    /// `Host`, when sent exactly once as UTF-8.
    pub host: Option<String>,
    /// `Origin`, if sent.
    pub origin: Option<String>,
    /// `If-None-Match`, if sent.
    pub if_none_match: Option<String>,
    /// Whether the connection closes after the reply (HTTP/1.0, `Connection: close`, a
    /// body we do not read).
    pub close: bool,
}

impl Head {
    /// The request as [`http::route`] takes it.
    pub fn request(&self) -> http::Request<'_> {
        http::Request {
            method: self.method,
            target: &self.target,
            host: self.host.as_deref(),
            origin: self.origin.as_deref(),
            if_none_match: self.if_none_match.as_deref(),
        }
    }
}

/// Why no request head could be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadError {
    /// The client closed the connection, or went quiet, before sending anything.
    Closed,
    /// Part of a head arrived, the rest not before the deadline: 408.
    TimedOut,
    /// Longer than [`MAX_HEAD`] or more than [`MAX_HEADERS`] headers: 431.
    TooLarge,
    /// Not HTTP/1.x: 400.
    Malformed,
}

impl HeadError {
    /// The reply to send before closing, if any.
    pub fn reply(self) -> Option<Reply> {
        let (status, message) = match self {
            HeadError::Closed => return None,
            HeadError::TimedOut => (408, "Yêu cầu gửi quá chậm"),
            HeadError::TooLarge => (431, "Phần đầu yêu cầu quá dài"),
            HeadError::Malformed => (400, "Yêu cầu HTTP không hợp lệ"),
        };
        Some(Reply::text(status, message))
    }
}

/// Parses a head at the start of `bytes`: `Ok(None)` while incomplete, else the head and
/// its length (what follows is the next pipelined request).
pub fn parse_head(bytes: &[u8]) -> Result<Option<(Head, usize)>, HeadError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let len = match parsed.parse(bytes) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) if bytes.len() >= MAX_HEAD => {
            return Err(HeadError::TooLarge)
        }
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(HeadError::TooLarge),
        Err(_) => return Err(HeadError::Malformed),
    };
    if len > MAX_HEAD {
        return Err(HeadError::TooLarge);
    }
    let method = match parsed.method {
        Some("GET") => Method::Get,
        Some("HEAD") => Method::Head,
        _ => Method::Other,
    };
    let target = parsed.path.unwrap_or_default().to_owned();
    let version = parsed.version.unwrap_or(1);
    let mut hosts = Vec::new();
    let mut origin = None;
    let mut if_none_match = None;
    let mut close = version == 0;
    for header in parsed.headers.iter() {
        let value = std::str::from_utf8(header.value).ok();
        let name = header.name;
        if name.eq_ignore_ascii_case("host") {
            hosts.push(value);
        } else if name.eq_ignore_ascii_case("origin") {
            origin = value.map(str::to_owned);
        } else if name.eq_ignore_ascii_case("if-none-match") {
            if_none_match = value.map(str::to_owned);
        } else if name.eq_ignore_ascii_case("connection") {
            let value = value.unwrap_or("close").to_ascii_lowercase();
            if value.contains("close") {
                close = true;
            } else if version == 0 && value.contains("keep-alive") {
                close = false;
            }
        } else if name.eq_ignore_ascii_case("content-length") {
            // A body is never read: close rather than take it for the next request.
            close |= value.map(str::trim) != Some("0");
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            close = true;
        }
    }
    let host = match hosts.as_slice() {
        [Some(one)] => Some((*one).to_owned()),
        _ => None,
    };
    let head = Head {
        method,
        target,
        host,
        origin,
        if_none_match,
        close,
    };
    Ok(Some((head, len)))
}

/// Reads from `source` into `buf` (which may already hold pipelined bytes) until a whole
/// head is there, then removes it from `buf`. `until_deadline` sets how long the next read
/// may wait (`None` once the deadline has passed).
pub fn read_head<S: Read>(
    source: &mut S,
    buf: &mut Vec<u8>,
    deadline: Instant,
    mut set_timeout: impl FnMut(std::time::Duration) -> std::io::Result<()>,
) -> Result<Head, HeadError> {
    // Where to look for the blank line that ends a head: only where new bytes arrived.
    let mut scanned: usize = 0;
    loop {
        let from = scanned.saturating_sub(3);
        if has_head_end(&buf[from..]) || buf.len() >= MAX_HEAD {
            if let Some((head, len)) = parse_head(buf)? {
                buf.drain(..len);
                return Ok(head);
            }
        }
        scanned = buf.len();
        let partial = || {
            if buf.iter().all(u8::is_ascii_whitespace) {
                HeadError::Closed
            } else {
                HeadError::TimedOut
            }
        };
        let Some(left) = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
        else {
            return Err(partial());
        };
        if set_timeout(left).is_err() {
            return Err(HeadError::Closed);
        }
        let mut chunk = [0u8; 4096];
        let room = (MAX_HEAD + 1 - buf.len().min(MAX_HEAD)).min(chunk.len());
        match source.read(&mut chunk[..room]) {
            Ok(0) => return Err(HeadError::Closed),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(partial())
            }
            Err(_) => return Err(HeadError::Closed),
        }
    }
}

fn has_head_end(bytes: &[u8]) -> bool {
    bytes.windows(2).any(|w| w == b"\n\n") || bytes.windows(4).any(|w| w == b"\r\n\r\n")
}

/// The whole response in one buffer, sent with one write: without `TCP_NODELAY` a second
/// write would wait for the client's delayed ACK (40 ms a request on Linux).
pub fn encode(reply: &Reply, head_only: bool, close: bool) -> Vec<u8> {
    let reason = match reply.status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn parse(text: &str) -> Result<Option<(Head, usize)>, HeadError> {
        parse_head(text.as_bytes())
    }

    #[test]
    fn heads_give_what_routing_needs() {
        let text = "GET /a/?x HTTP/1.1\r\nHost: localhost:1\r\nIf-None-Match: \"t\"\r\n\r\nGET";
        let (head, len) = parse(text).unwrap().unwrap();
        assert_eq!(len, text.len() - 3, "the pipelined request stays");
        assert_eq!(head.method, Method::Get);
        assert_eq!(head.target, "/a/?x");
        assert_eq!(head.host.as_deref(), Some("localhost:1"));
        assert_eq!(head.if_none_match.as_deref(), Some("\"t\""));
        assert!(!head.close);
        let old = parse("HEAD / HTTP/1.0\r\n\r\n").unwrap().unwrap().0;
        assert!(old.close && old.host.is_none() && old.method == Method::Head);
        let twice = "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n";
        assert_eq!(parse(twice).unwrap().unwrap().0.host, None);
        let body = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabcde";
        let post = parse(body).unwrap().unwrap().0;
        assert!(post.close && post.method == Method::Other);
        assert_eq!(parse("GET / HTTP/1.1\r\nHost: a\r\n"), Ok(None));
    }

    #[test]
    fn malformed_and_oversized_heads_are_refused() {
        for bad in [
            "GET / HTTP/2.0\r\n\r\n",
            "GET\r\n\r\n",
            "GET / HTTP/1.1\r\nNo colon\r\n\r\n",
            "GET / HTTP/1.1\r\nBad\x01: x\r\n\r\n",
            "\x16\x03\x01\x02\x00\x01\x00\x01\x7f\x03\x03\r\n\r\n",
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        ] {
            assert_eq!(parse(bad).map(|_| ()), Err(HeadError::Malformed), "{bad:?}");
        }
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(parse(&long).map(|_| ()), Err(HeadError::TooLarge));
        let many: String = (0..=MAX_HEADERS).map(|i| format!("X-{i}: v\r\n")).collect();
        let many = format!("GET / HTTP/1.1\r\n{many}\r\n");
        assert_eq!(parse(&many).map(|_| ()), Err(HeadError::TooLarge));
    }

    /// A source that gives its bytes a few at a time, then reports a timeout.
    struct Trickle(Vec<u8>, usize);

    impl Read for Trickle {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                return Err(ErrorKind::WouldBlock.into());
            }
            let n = self.1.min(self.0.len()).min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0.drain(..n);
            Ok(n)
        }
    }

    fn read(bytes: &[u8], step: usize, buf: &mut Vec<u8>) -> Result<Head, HeadError> {
        let deadline = Instant::now() + Duration::from_secs(30);
        read_head(
            &mut Trickle(bytes.to_vec(), step),
            buf,
            deadline,
            |_| Ok(()),
        )
    }

    #[test]
    fn heads_are_read_in_pieces_and_pipelined_bytes_are_kept() {
        let two = b"GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n";
        let mut buf = Vec::new();
        assert_eq!(read(two, 4096, &mut buf).unwrap().target, "/a");
        assert_eq!(read(b"", 1, &mut buf).unwrap().target, "/b");
        assert!(buf.is_empty());
        let mut buf = Vec::new();
        assert_eq!(
            read(two, 1, &mut buf).unwrap().target,
            "/a",
            "a byte at a time"
        );
        let mut buf = Vec::new();
        assert_eq!(
            read(b"GET / HTTP/1.1\r\n", 3, &mut buf),
            Err(HeadError::TimedOut)
        );
        let mut buf = Vec::new();
        assert_eq!(read(b"", 3, &mut buf), Err(HeadError::Closed));
        let endless = vec![b'a'; 10 * MAX_HEAD];
        let mut buf = Vec::new();
        assert_eq!(read(&endless, 4096, &mut buf), Err(HeadError::TooLarge));
        assert!(buf.len() <= MAX_HEAD + 1, "reading stops at the limit");
        let past = Instant::now() - Duration::from_millis(1);
        let mut src = Trickle(b"GET".to_vec(), 3);
        let mut buf = b"GET".to_vec();
        assert_eq!(
            read_head(&mut src, &mut buf, past, |_| Ok(())),
            Err(HeadError::TimedOut)
        );
    }

    #[test]
    fn responses_are_encoded_whole() {
        let reply = Reply {
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
        let not_modified = Reply {
            status: 304,
            headers: vec![("ETag", "\"x\"".into())],
            body: Vec::new(),
        };
        let text = String::from_utf8(encode(&not_modified, false, false)).unwrap();
        assert!(!text.contains("Content-Length"));
    }
}
