//! Which `Host` and `Origin` values the preview answers: the defence against DNS rebinding.
//!
//! A page on `evil.example` whose name is made to resolve to 127.0.0.1 can make the
//! editor's browser request the preview, and being same-origin with itself, read the
//! replies (drafts included). The browser still sends `Host: evil.example:PORT`, so the
//! server answers only names that cannot be rebound: `localhost`, loopback IP literals and
//! the address it is bound to (any IP literal when bound to every interface with
//! `--allow-remote`), each with the bound port.

use std::net::{IpAddr, SocketAddr};

/// The address the server is bound to, which decides the acceptable `Host` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hosts {
    bound: SocketAddr,
}

impl Hosts {
    /// The policy for a server bound to `bound` (with its real port, never 0).
    pub fn new(bound: SocketAddr) -> Self {
        Self { bound }
    }

    /// Whether a `Host` header value names this server.
    pub fn allows_host(&self, value: &str) -> bool {
        let Some((name, port)) = split_authority(value.trim()) else {
            return false;
        };
        let port_ok = match port {
            Some(p) => {
                p.bytes().all(|b| b.is_ascii_digit())
                    && p.parse::<u16>().ok() == Some(self.bound.port())
            }
            None => self.bound.port() == 80,
        };
        port_ok && self.allows_name(name)
    }

    /// Whether an `Origin` header value is a page of this server (`null` and other schemes
    /// are not).
    pub fn allows_origin(&self, value: &str) -> bool {
        value
            .trim()
            .strip_prefix("http://")
            .is_some_and(|authority| self.allows_host(authority))
    }

    fn allows_name(&self, name: &str) -> bool {
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let Ok(ip) = name.parse::<IpAddr>() else {
            return false;
        };
        ip.is_loopback() || ip == self.bound.ip() || self.bound.ip().is_unspecified()
    }
}

/// `name` and the optional port of `name[:port]` or `[v6][:port]`; `None` when malformed.
/// An IPv6 name is returned without its brackets.
fn split_authority(value: &str) -> Option<(&str, Option<&str>)> {
    if let Some(rest) = value.strip_prefix('[') {
        let (name, after) = rest.split_once(']')?;
        if !name.contains(':') {
            return None;
        }
        return match after {
            "" => Some((name, None)),
            _ => Some((name, Some(after.strip_prefix(':')?))),
        };
    }
    match value.split_once(':') {
        None => Some((value, None)),
        Some((name, port)) if !port.contains(':') => Some((name, Some(port))),
        // A bare IPv6 address without brackets is not a valid Host.
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(addr: &str) -> Hosts {
        Hosts::new(addr.parse().unwrap())
    }

    #[test]
    fn loopback_names_with_the_bound_port_are_answered() {
        let h = hosts("127.0.0.1:1111");
        for ok in [
            "localhost:1111",
            "LocalHost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
            " 127.0.0.1:1111 ",
        ] {
            assert!(h.allows_host(ok), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "evil.example",
            "localhost.evil.example:1111",
            "localhost.:1111",
            "127.0.0.1.nip.io:1111",
            "localhost:2222",
            "localhost",
            "localhost:",
            "localhost:1111:1111",
            "::1:1111",
            "[::1",
            "[evil]:1111",
            "192.168.1.2:1111",
            "",
            "localhost:+1111",
        ] {
            assert!(!h.allows_host(bad), "{bad}");
        }
        assert!(hosts("127.0.0.1:80").allows_host("localhost"));
    }

    #[test]
    fn the_bound_address_and_any_ip_when_bound_everywhere() {
        let lan = hosts("192.168.1.2:1111");
        assert!(lan.allows_host("192.168.1.2:1111"));
        assert!(!lan.allows_host("192.168.1.3:1111"));
        assert!(!lan.allows_host("may-toi.local:1111"));
        let all = hosts("0.0.0.0:1111");
        assert!(all.allows_host("10.0.0.7:1111"));
        assert!(!all.allows_host("evil.example:1111"));
        let v6 = hosts("[::]:1111");
        assert!(v6.allows_host("[fe80::1]:1111"));
    }

    #[test]
    fn origins_must_be_pages_of_this_server() {
        let h = hosts("127.0.0.1:1111");
        assert!(h.allows_origin("http://localhost:1111"));
        assert!(h.allows_origin("http://127.0.0.1:1111"));
        assert!(!h.allows_origin("null"));
        assert!(!h.allows_origin("https://127.0.0.1:1111"));
        assert!(!h.allows_origin("http://evil.example:1111"));
        assert!(!h.allows_origin("http://localhost:1111/path"));
    }
}
