#!/usr/bin/env python3
"""fcgi.py - a FastCGI client for the web tests (stdlib only).

Sends one responder request to a FastCGI server, on TCP or a Unix socket,
and prints the response's CGI output (headers and body) on stdout.

  python3 tests/fcgi.py ADDRESS [--keep-conn] [--timeout S] [NAME=VALUE...]
  python3 tests/fcgi.py ADDRESS --hold idle|half|drip

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
                  + record(PARAMS, body) + record(PARAMS, b"") + record(STDIN, b""))
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
