#!/usr/bin/env python3
"""fcgi.py - a FastCGI client for the web tests (stdlib only).

Sends one responder request to a FastCGI server, on TCP or a Unix socket,
and prints the response's CGI output (headers and body) on stdout.

  python3 tests/fcgi.py ADDRESS [--keep-conn] [--timeout S] [NAME=VALUE...]
  python3 tests/fcgi.py ADDRESS --hold idle|half|drip
  python3 tests/fcgi.py ADDRESS --hostile name|value|many|mgmt

ADDRESS is HOST:PORT ([::1]:PORT for IPv6) or a socket path.  The NAME=VALUE pairs are the
request's parameters (REQUEST_METHOD defaults to GET, QUERY_STRING to
"").  --keep-conn sets FCGI_KEEP_CONN, as nginx's fastcgi_keep_conn does;
the script then checks whether the server closed the connection after
its answer and says so on stderr ("closed" or "kept open").  Exit status:
0 when an FCGI_END_REQUEST came, 1 when the connection ended before it or
the --timeout (default 30 s) passed, 2 on a usage error.

--hold connects, prints "connected" once it is, and keeps the connection
open, having sent nothing (idle), the first record of a request (half),
or a request a byte every 0.2 s (drip), until the server closes it
(then prints "closed by the server") or 120 s pass.

--hostile sends a request whose parameters no server should take: a
name announced 2 GB long (name), a value announced 500 MB long followed
by 128 KB of it (value), 100 KB of small pairs (many), or an
FCGI_GET_VALUES record announcing a 2 GB name (mgmt); then prints
"closed by the server" when the server closes the connection without an
answer (exit 0), else "answered" or "still open" (exit 1).
"""
import socket
import struct
import sys

BEGIN, END, PARAMS, STDIN, STDOUT, STDERR = 1, 3, 4, 5, 6, 7


def record(kind, content, rid=1):
    pad = -len(content) % 8
    return struct.pack("!BBHHBB", 1, kind, rid, len(content), pad, 0) + content + b"\0" * pad


def pair(name, value):
    def length(n):
        return struct.pack("!B", n) if n < 128 else struct.pack("!I", n | 0x80000000)
    return length(len(name)) + length(len(value)) + name + value


def connect(address, timeout):
    if ":" in address and not address.startswith("/"):
        host, port = address.rsplit(":", 1)
        s = socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)
    else:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.connect(address)
    return s


def read_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def hold(address, mode):
    s = connect(address, 120)
    begin = record(BEGIN, struct.pack("!HB5x", 1, 0))
    params = record(PARAMS, pair(b"QUERY_STRING", b"q=" + b"a" * 4000))
    if mode == "half":
        s.sendall(begin)
    print("connected", flush=True)
    try:
        if mode == "drip":
            for b in begin + params:
                s.sendall(bytes([b]))
                try:
                    s.settimeout(0.2)
                    if s.recv(1) == b"":
                        break
                except socket.timeout:
                    pass
        else:
            s.recv(1)
    except OSError:
        pass
    print("closed by the server", flush=True)
    return 0


def params_records(body, rid=1):
    """The PARAMS records of body (records hold 65535 bytes at most)."""
    return b"".join(record(PARAMS, body[i:i + 32768], rid) for i in range(0, len(body), 32768))


def hostile(address, kind, timeout):
    s = connect(address, timeout)
    begin = record(BEGIN, struct.pack("!HB5x", 1, 0))
    if kind == "name":
        data = begin + record(PARAMS, struct.pack("!IB", 0xfffffffe, 1) + b"AAAA")
    elif kind == "value":
        data = begin + record(PARAMS, struct.pack("!BI", 1, (500 << 20) | 0x80000000) + b"Q")
        data += params_records(b"A" * (128 << 10))
    elif kind == "many":
        data = begin + params_records(pair(b"HTTP_X", b"y" * 100) * 1000) + record(PARAMS, b"") + record(STDIN, b"")
    elif kind == "mgmt":
        data = record(9, struct.pack("!IB", 0xfffffffe, 0) + b"FCGI_MAX_CONNS", 0) + begin
    else:
        print("fcgi.py: --hostile name|value|many|mgmt", file=sys.stderr)
        return 2
    try:
        s.sendall(data)
        got = s.recv(1)
    except socket.timeout:
        print("still open", flush=True)
        return 1
    except OSError:
        got = b""
    print("answered" if got else "closed by the server", flush=True)
    return 1 if got else 0


def main(argv):
    keep, timeout, params = False, 30.0, {"REQUEST_METHOD": "GET", "QUERY_STRING": ""}
    args = argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    address = args.pop(0)
    while args:
        a = args.pop(0)
        if a == "--hold":
            return hold(address, args.pop(0))
        if a == "--hostile":
            return hostile(address, args.pop(0), timeout)
        if a == "--keep-conn":
            keep = True
        elif a == "--timeout":
            timeout = float(args.pop(0))
        elif "=" in a:
            k, v = a.split("=", 1)
            params[k] = v
        else:
            print("fcgi.py: expected NAME=VALUE, got %r" % a, file=sys.stderr)
            return 2
    try:
        s = connect(address, timeout)
        body = b"".join(pair(k.encode(), v.encode()) for k, v in params.items())
        s.sendall(record(BEGIN, struct.pack("!HB5x", 1, 1 if keep else 0))
                  + params_records(body) + record(PARAMS, b"") + record(STDIN, b""))
        out = b""
        while True:
            head = read_exact(s, 8)
            if head is None:
                print("fcgi.py: the connection ended before the answer", file=sys.stderr)
                return 1
            _, kind, _, clen, plen, _ = struct.unpack("!BBHHBB", head)
            content = read_exact(s, clen + plen)
            if content is None:
                print("fcgi.py: the connection ended in a record", file=sys.stderr)
                return 1
            if kind == STDOUT:
                out += content[:clen]
            elif kind == STDERR:
                sys.stderr.buffer.write(content[:clen])
            elif kind == END:
                break
        sys.stdout.buffer.write(out)
        if keep:
            s.settimeout(timeout)
            try:
                closed = s.recv(1) == b""
            except socket.timeout:
                closed = False
            print("fcgi.py: connection " + ("closed" if closed else "kept open"),
                  file=sys.stderr)
        s.close()
        return 0
    except (OSError, socket.timeout) as e:
        print("fcgi.py: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
