#!/usr/bin/env python3
"""server.py - a static web server for the crawler's tests (stdlib only).

Serves a site directory (made by timtin-sitegen) over HTTP/1.1 on
127.0.0.1, threaded, with keep-alive.  Prints the port on stdout once it
listens (use --port 0 for a free one), then serves until killed.

  python3 tests/server.py --root SITE [--port 0] [--log FILE] [--control FILE]

What it does:
  - "/" is /index.htm, "/dir/" is /dir/index.htm, and "/dir" answers
    301 to "/dir/" (as Apache and nginx do); the query string is ignored
    when finding a file.
  - ETag and Last-Modified on every file; If-None-Match / If-Modified-Since
    give 304.  HEAD works.
  - gzip (Content-Encoding) when the client accepts it, for text types.
  - /<anything>-<id>.htm that does not exist, with an id listed in the
    site's ids.tsv, answers 301 to the article's current path (old slugs).
  - Faults, per path, from the control file (JSON, re-read when it
    changes): {"/path": SPEC, "/prefix*": SPEC, ...} where SPEC has
      "status": 500|503|429|...  answer that status (with "retry_after": S
                                 as Retry-After), "times": N only for the
                                 first N requests of the path (then normal)
      "slow": S                  wait S seconds, then answer normally
      "hang": true               never answer (the client must time out)
      "truncate": true           announce the whole body, send half, close
      "loop": true               redirect forever (/p -> /p?loop=1 -> /p ...)
      "redirect": "/q"           301 to /q (any Location)
      "big": N                   a page of N bytes (streamed)
      "bomb": N                  a page of N bytes sent gzip'd, its length
                                 that of the gzip'd body (it grows as it
                                 is decoded)
      "content_type": "T"        the file with a wrong Content-Type
      "corrupt": true            the file's first half only, under the
                                 whole file's ETag and Last-Modified (a
                                 broken body the validators vouch for)
      "charset": "windows-1258"  the page transcoded to that charset (and
                                 said so in the header and <meta>)
      "headers": N               the file after about N bytes of extra
                                 header lines ("header_line": bytes of
                                 each, default 60)
      "body": "TEXT"             answer 200 with TEXT (UTF-8) instead of the
                                 file, as "content_type" (default
                                 text/plain)
    "times" applies to any fault.
Log (--log): one line per request, tab-separated, flushed at once:
  TIME  METHOD  PATH  STATUS  IF-NONE-MATCH  IF-MODIFIED-SINCE  FAULT  ENC  UA
TIME is when the request line was read (epoch seconds, microseconds); ENC
is the Content-Encoding sent; absent values are "-".  A hanging request
is logged with status 0 when it starts.
"""
import argparse
import email.utils
import gzip
import json
import os
import re
import socket
import sys
import threading
import time
import unicodedata
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TYPES = {
    ".htm": "text/html; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".rss": "text/xml; charset=utf-8",
    ".xml": "text/xml; charset=utf-8",
    ".gz": "application/x-gzip",
    ".txt": "text/plain; charset=utf-8",
    ".tsv": "text/plain; charset=utf-8",
}
TONES = set("\u0300\u0301\u0303\u0309\u0323")


def transcode(body, charset):
    """UTF-8 bytes to charset.  windows-1258 has the vowels with circumflex,
    breve and horn precomposed but the tones only as combining marks."""
    text = body.decode("utf-8").replace('charset="utf-8"', 'charset="%s"' % charset)
    if charset.lower() in ("windows-1258", "cp1258"):
        out = []
        for ch in text:
            d = unicodedata.normalize("NFD", ch)
            base = "".join(c for c in d if c not in TONES)
            out.append(unicodedata.normalize("NFC", base) +
                       "".join(c for c in d if c in TONES))
        text = "".join(out)
    return text.encode(charset, errors="xmlcharrefreplace")


ARTICLE_ID = re.compile(r"-([0-9]{17}|100[0-9]{6,})\.htm$")


class State:
    def __init__(self, root, log, control):
        self.root = os.path.realpath(root)
        self.log = open(log, "a", buffering=1) if log else None
        self.control = control
        self.lock = threading.Lock()
        self.faults = {}
        self.faults_mtime = None
        self.counts = {}
        self.ids = {}
        self.ids_mtime = None
        self.gz_cache = {}

    def load_control(self):
        if not self.control:
            return
        try:
            m = os.stat(self.control).st_mtime_ns
        except OSError:
            self.faults, self.faults_mtime = {}, None
            return
        if m != self.faults_mtime:
            try:
                with open(self.control) as f:
                    self.faults = json.load(f)
            except (OSError, ValueError):
                self.faults = {}
            self.faults_mtime = m
            self.counts = {}

    def fault_for(self, path):
        with self.lock:
            self.load_control()
            spec, key = None, None
            if path in self.faults:
                spec, key = self.faults[path], path
            else:
                for k, v in self.faults.items():
                    if k.endswith("*") and path.startswith(k[:-1]):
                        spec, key = v, k
                        break
            if spec is None:
                return None
            n = self.counts.get(path, 0) + 1
            self.counts[path] = n
            times = spec.get("times")
            if times is not None and n > times:
                return None
            return spec

    def article_path(self, aid):
        p = os.path.join(self.root, "ids.tsv")
        with self.lock:
            try:
                m = os.stat(p).st_mtime_ns
            except OSError:
                return None
            if m != self.ids_mtime:
                ids = {}
                with open(p, encoding="utf-8") as f:
                    for line in f:
                        parts = line.rstrip("\n").split("\t")
                        if len(parts) == 2:
                            ids[parts[0]] = parts[1]
                self.ids, self.ids_mtime = ids, m
            return self.ids.get(aid)

    def write_log(self, fields):
        if self.log:
            with self.lock:
                self.log.write("\t".join(fields) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "timtin-test-server/1"
    timeout = 60

    def log_message(self, fmt, *args):  # quiet on stderr
        pass

    def setup(self):
        super().setup()
        # headers and body go out in separate writes: without this, Nagle's
        # algorithm and delayed ACKs add 40 ms to every response
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def note(self, status, fault="-", enc="-"):
        st = self.server.st
        st.write_log([
            "%.6f" % self.t_start, self.command, self.path, str(status),
            self.headers.get("If-None-Match", "-"),
            self.headers.get("If-Modified-Since", "-"), fault, enc,
            self.headers.get("User-Agent", "-").replace("\t", " "),
        ])

    def send_simple(self, status, body=b"", headers=(), fault="-"):
        self.note(status, fault)
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        self.t_start = time.time()
        st = self.server.st
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path) or "/"
        spec = st.fault_for(path)
        if spec:
            if self.fault(spec, path, url.query):
                return
        if path == "/":
            path = "/index.htm"
        full = os.path.realpath(os.path.join(st.root, path.lstrip("/")))
        if not (full == st.root or full.startswith(st.root + os.sep)):
            return self.send_simple(403, b"forbidden\n")
        if os.path.isdir(full):
            if not path.endswith("/"):
                loc = path + "/" + ("?" + url.query if url.query else "")
                return self.send_simple(301, b"", [("Location", loc)])
            full = os.path.join(full, "index.htm")
        if not os.path.isfile(full):
            m = ARTICLE_ID.search(path)
            if m:
                cur = st.article_path(m.group(1))
                if cur and cur != path:
                    return self.send_simple(301, b"", [("Location", cur)])
            return self.send_simple(404, b"not found\n",
                                    [("Content-Type", "text/plain")])
        self.send_file(full, spec)

    def send_file(self, full, spec):
        st = self.server.st
        s = os.stat(full)
        etag = '"%x-%x"' % (s.st_mtime_ns, s.st_size)
        lm = email.utils.formatdate(s.st_mtime, usegmt=True)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        fresh = False
        if inm is not None:
            fresh = inm.strip() == "*" or etag in [t.strip() for t in inm.split(",")]
        elif ims is not None:
            try:
                fresh = int(s.st_mtime) <= email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                fresh = False
        if fresh:
            self.note(304)
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", lm)
            self.end_headers()
            return
        ext = os.path.splitext(full)[1]
        ctype = TYPES.get(ext, "application/octet-stream")
        fault = "-"
        if spec and spec.get("content_type"):
            ctype, fault = spec["content_type"], "content_type"
        with open(full, "rb") as f:
            body = f.read()
        if spec and spec.get("charset"):
            body = transcode(body, spec["charset"])
            ctype, fault = "text/html; charset=%s" % spec["charset"], "charset"
        if spec and spec.get("corrupt"):
            body, fault = body[: len(body) // 2], "corrupt"
        extra = []
        if spec and spec.get("headers"):
            each = max(int(spec.get("header_line", 60)), 20)
            for i in range(int(spec["headers"]) // each + 1):
                name = "X-Junk-%d" % i
                extra.append((name, "y" * (each - len(name) - 4)))
            fault = "headers"
        enc = None
        if ("gzip" in self.headers.get("Accept-Encoding", "")
                and ext != ".gz" and ctype.startswith(("text/", "application/xml"))):
            key = (full, s.st_mtime_ns, fault)
            with st.lock:
                z = st.gz_cache.get(key)
            if z is None:
                z = gzip.compress(body, 6)
                with st.lock:
                    st.gz_cache[key] = z
            body, enc = z, "gzip"
        self.note(200, fault, enc or "-")
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", lm)
        self.send_header("Vary", "Accept-Encoding")
        for k, v in extra:
            self.send_header(k, v)
        if enc:
            self.send_header("Content-Encoding", enc)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def fault(self, spec, path, query):
        """Act out a fault; True when the response is done."""
        if spec.get("slow"):
            time.sleep(float(spec["slow"]))
            return False
        if spec.get("hang"):
            self.note(0, "hang")
            time.sleep(float(spec.get("seconds", 600)))
            self.close_connection = True
            return True
        if spec.get("status"):
            code = int(spec["status"])
            hdrs = [("Content-Type", "text/plain")]
            if spec.get("retry_after") is not None:
                hdrs.append(("Retry-After", str(spec["retry_after"])))
            self.send_simple(code, b"fault\n", hdrs, "status")
            return True
        if spec.get("loop"):
            target = path if query else path + "?loop=1"
            self.send_simple(302, b"", [("Location", target)], "loop")
            return True
        if spec.get("body") is not None:
            body = spec["body"].encode("utf-8")
            self.send_simple(200, body, [("Content-Type", spec.get("content_type", "text/plain"))],
                             "body")
            return True
        if spec.get("redirect"):
            self.send_simple(301, b"", [("Location", spec["redirect"])], "redirect")
            return True
        if spec.get("truncate"):
            full = os.path.realpath(os.path.join(self.server.st.root,
                                                 path.lstrip("/") or "index.htm"))
            try:
                with open(full, "rb") as f:
                    body = f.read()
            except OSError:
                body = b"<html><body>" + b"x" * 10000 + b"</body></html>"
            self.note(200, "truncate")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return True
        if spec.get("bomb"):
            n = int(spec["bomb"])
            body = gzip.compress(b"<html><body><p>" + b" " * n + b"</p></body></html>", 9)
            self.note(200, "bomb", "gzip")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return True
        if spec.get("big"):
            n = int(spec["big"])
            self.note(200, "big")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(n))
            self.end_headers()
            chunk = b"<p>" + b"lorem ipsum " * 5000 + b"</p>\n"
            sent = 0
            try:
                while sent < n:
                    k = min(len(chunk), n - sent)
                    self.wfile.write(chunk[:k])
                    sent += k
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return True
        return False


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # a client that hung up (a timeout, an aborted big page) is normal
        # here; anything else is a bug worth a traceback
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError,
                                          TimeoutError)):
            return
        super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser(description="timtin test web server")
    ap.add_argument("--root", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--log")
    ap.add_argument("--control")
    a = ap.parse_args()
    srv = Server((a.bind, a.port), Handler)
    srv.st = State(a.root, a.log, a.control)
    print(srv.server_address[1], flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
