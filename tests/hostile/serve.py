#!/usr/bin/env python3
"""Hostile requests against `sotay serve`, over 127.0.0.1 only.

Starts `sotay serve --port 0` on a copy of tests/fixtures/serve/basic, then sends malformed
and overlong requests, path traversal in every encoding, foreign Host headers, thousands
of idle connections, slow (slowloris) connections and a flood of live-reload streams. Each
must get a clear 4xx (or a retry for live reload), never a hang, and the server must keep
answering. Ends by checking that a normal page still gets 200. Every loop is bounded.

Usage: tests/hostile/serve.py [path/to/sotay]   (default: target/debug/sotay)
Prints one line per check and a closing `N passed, M failed`; exits 1 on any failure.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIMEOUT = 10.0
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"), flush=True)


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    s.settimeout(TIMEOUT)
    return s


def exchange(port, data):
    """Sends raw bytes, reads until the server closes; (status or None, whole response)."""
    s = connect(port)
    try:
        try:
            s.sendall(data)
        except OSError:
            pass  # the server may refuse before the whole request is sent
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            chunks.append(chunk)
        text = b"".join(chunks)
    finally:
        s.close()
    status = None
    if text.startswith(b"HTTP/1.1 "):
        try:
            status = int(text[9:12])
        except ValueError:
            pass
    return status, text


def request(port, target, host=None, extra="", method="GET"):
    host = host if host is not None else f"127.0.0.1:{port}"
    head = f"{method} {target} HTTP/1.1\r\n"
    if host:
        head += f"Host: {host}\r\n"
    head += extra + "Connection: close\r\n\r\n"
    return exchange(port, head.encode("latin-1"))


def start(binary, root):
    proc = subprocess.Popen(
        [binary, "serve", "--port", "0", "--today", "2026-11-29", "--root", root],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    found = {}

    def read_url():
        for line in proc.stdout:
            if "http://" in line and "port" not in found:
                url = next(w for w in line.split() if w.startswith("http://"))
                found["port"] = int(url.split("/")[2].rsplit(":", 1)[1])
                found["url"] = url
        # keep draining so the server never blocks on a full pipe

    threading.Thread(target=read_url, daemon=True).start()
    deadline = time.time() + 60
    while "port" not in found and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    if "port" not in found:
        proc.kill()
        sys.exit("sotay serve printed no URL")
    return proc, found["port"]


def malformed(port):
    cases = {
        "garbage request line": b"GARBAGE\r\n\r\n",
        "method only": b"GET\r\n\r\n",
        "unknown version": b"GET / HTTP/9.9\r\n\r\n",
        "HTTP/2 preface": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        "TLS client hello": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64 + b"\r\n\r\n",
        "NUL in request line": b"GET /so-tay/\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
        "header without colon": b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nNoColon\r\n\r\n",
        "100 KB request line": b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\n\r\n",
        "100 KB header": b"GET / HTTP/1.1\r\nX-Long: " + b"b" * 100_000 + b"\r\n\r\n",
        "1000 headers": b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(1000)) + b"\r\n",
        "endless line, no CRLF": b"GET /" + b"c" * 200_000,
        "non-ASCII header value": b"GET / HTTP/1.1\r\nHost: \xff\xfe\r\n\r\n",
    }
    for name, data in cases.items():
        status, text = exchange(port, data)
        check(f"malformed: {name} -> 4xx", status is not None and 400 <= status < 500, repr(text[:80]))


def traversal(port):
    leaks = [b"root:", b"base_url", b"title: \"", b"SECRET"]
    targets = [
        "/so-tay/../site.yaml",
        "/so-tay/../../../../etc/passwd",
        "/so-tay/%2e%2e/site.yaml",
        "/so-tay/%2E%2E%2Fsite.yaml",
        "/so-tay/.%2e/site.yaml",
        "/so-tay/%252e%252e/site.yaml",
        "/so-tay/%c0%ae%c0%ae/site.yaml",
        "/so-tay/%c0%af..%c0%afsite.yaml",
        "/so-tay/%e0%80%ae%e0%80%ae/site.yaml",
        "/so-tay/..%5csite.yaml",
        "/so-tay/..\\site.yaml",
        "/so-tay/%5c..%5c..%5csite.yaml",
        "//etc/passwd",
        "/so-tay//etc/passwd",
        "/%2f%2fetc/passwd",
        "/so-tay/tep/mau.txt%00.html",
        "/so-tay/%00",
        "/so-tay/tep/secret.txt",
        "/so-tay/content/hoi-dap.md",
        "/site.yaml",
        "http://127.0.0.1/../site.yaml",
        "*",
        "/so-tay/%zz",
    ]
    for target in targets:
        status, text = request(port, target)
        clean = not any(leak in text for leak in leaks)
        check(f"traversal: {target} -> 4xx, nothing leaked",
              status is not None and 400 <= status < 500 and clean, repr(text[:80]))


def hosts_and_methods(port):
    for host, want in [
        (f"evil.example:{port}", 421),
        (f"127.0.0.1.nip.io:{port}", 421),
        ("localhost:1", 421),
        ("", 400),
    ]:
        status, text = request(port, "/so-tay/", host=host)
        check(f"Host {host!r} -> {want}", status == want and b"<html" not in text, repr(text[:80]))
    status, _ = request(port, "/so-tay/", extra=f"Host: evil.example:{port}\r\n")
    check("two Host headers -> 400", status == 400, str(status))
    status, _ = request(port, "/__sotay/events", extra="Origin: http://evil.example\r\n")
    check("event stream from a foreign Origin -> 403", status == 403, str(status))
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH"]:
        status, _ = request(port, "/so-tay/", method=method, extra="Content-Length: 0\r\n")
        check(f"{method} -> 405", status == 405, str(status))
    status, _ = request(port, "127.0.0.1:22", method="CONNECT")
    check("CONNECT -> 405", status == 405, str(status))
    status, _ = request(port, "/so-tay/", method="POST", extra="Content-Length: 300000\r\n")
    check("POST with an unread body -> 405", status == 405, str(status))


def pipelined(port):
    one = f"GET /so-tay/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    last = f"GET /so-tay/hoi-dap/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    _, text = exchange(port, (one * 3 + last).encode())
    check("4 pipelined requests -> 4 replies", text.count(b"HTTP/1.1 200 OK") == 4, str(text.count(b"HTTP/1.1 ")))


def page_ok(port, what):
    status, text = request(port, "/so-tay/hoi-dap/")
    check(f"{what}: a page still gets 200", status == 200 and "Ai thực hiện?".encode() in text, str(status))


def idle_connections(port, count=2000):
    held = []
    for _ in range(count):
        try:
            held.append(connect(port))
        except OSError:
            break
    check(f"{count} idle connections opened", len(held) == count, str(len(held)))
    page_ok(port, f"with {len(held)} idle connections")
    for s in held:
        s.close()


def slowloris(port, count=50, seconds=4.0):
    held = []
    for _ in range(count):
        s = connect(port)
        s.sendall(b"GET /so-tay/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        held.append(s)
    end = time.time() + seconds
    while time.time() < end:
        for s in held:
            try:
                s.sendall(b"X-a: b\r\n")
            except OSError:
                pass
        time.sleep(0.5)
    page_ok(port, f"with {count} slowloris connections")
    for s in held:
        s.close()


def sse_status(port):
    """Opens the event stream; (status, got hello, socket)."""
    s = connect(port)
    s.sendall(f"GET /__sotay/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    data = b""
    while b"event: hello" not in data and b"retry: 3000" not in data:
        try:
            chunk = s.recv(4096)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    status = int(data[9:12]) if data.startswith(b"HTTP/1.1 ") else None
    return status, b"event: hello" in data, s


def sse_flood(port, count=200):
    held = []
    statuses = set()
    hellos = 0
    for _ in range(count):
        status, hello, s = sse_status(port)
        statuses.add(status)
        hellos += hello
        held.append(s)
    check(f"{count} live-reload streams -> all 200 (live or retry)", statuses == {200}, str(statuses))
    check("at most 64 live at once", 0 < hellos <= 64, str(hellos))
    page_ok(port, f"with {count} live-reload streams")
    for s in held:
        s.close()
    deadline = time.time() + 15
    ok = False
    while time.time() < deadline and not ok:
        status, ok, s = sse_status(port)
        s.close()
        if not ok:
            time.sleep(0.3)
    check("after the flood, a new tab gets live reload", ok)
    for i in range(100):
        status, hello, s = sse_status(port)
        s.close()
        if status != 200:
            break
    check("100 tabs opened and closed one after another -> all 200", status == 200, str(status))


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "target/debug/sotay")
    tmp = tempfile.mkdtemp(prefix="sotay-hostile-")
    root = os.path.join(tmp, "site")
    shutil.copytree(os.path.join(REPO, "tests/fixtures/serve/basic"), root)
    with open(os.path.join(tmp, "secret.txt"), "w") as f:
        f.write("SECRET root:x:0:0\n")
    os.symlink(os.path.join(tmp, "secret.txt"), os.path.join(root, "content/tep/secret.txt"))
    proc, port = start(binary, root)
    try:
        page_ok(port, "at start")
        malformed(port)
        traversal(port)
        hosts_and_methods(port)
        pipelined(port)
        idle_connections(port)
        slowloris(port)
        sse_flood(port)
        page_ok(port, "at the end")
        check("the server is still running", proc.poll() is None, str(proc.poll()))
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
