#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Loopback test server of the live conformance suite (standard library only).

Listens on two ports of 127.0.0.1 (and of ::1 when the machine has it, so
that a client resolving "localhost" to ::1 reaches the same server): a
redirect to the other port is a real change of origin, and one to
"localhost" a real change of host. A third port speaks just enough FTP to
see whether a client followed an ftp:// Location. The ports are picked by
the kernel and printed as one JSON line on standard output:

    {"ports": [P1, P2], "ftp": P3, "ipv6": true}

Routes (one HTTP/1.1 request per connection, answered with Connection: close):

    /r/<status>?id=ID&to=LOC[&to=LOC2...]
        answers <status> with one Location field per `to` (percent-decoded to
        raw bytes, so control bytes, raw UTF-8 and empty values go out as
        they are); no `to` at all: no Location field.
        Each `h=Name:%20value` adds that header field (e.g. Cache-Control).
    /c/ID/<k>?n=N
        a chain: 302 to /c/ID/<k+1>?n=N while k < N, then 200.
    /loop/ID/<k>?n=N
        a loop: 302 to /loop/ID/<(k+1) mod N>?n=N, for ever.
    /sink/...  (anything else as well)
        200, recording what arrived.

Every request is appended to the log file (--log) as one JSON object per
line: {"port", "method", "target", "version", "headers": [[name, value]...],
"body"} with header values and the body decoded as ISO-8859-1 (lossless).
FTP sessions are logged as {"ftp": true, "port", "commands": [...]}.

    server.py --log FILE
"""
import argparse
import json
import socket
import socketserver
import sys
import threading
import urllib.parse

REASONS = {
    200: "OK", 300: "Multiple Choices", 301: "Moved Permanently", 302: "Found",
    303: "See Other", 304: "Not Modified", 305: "Use Proxy", 306: "Unused",
    307: "Temporary Redirect", 308: "Permanent Redirect", 400: "Bad Request",
    404: "Not Found",
}
MAX_HEAD = 65536
MAX_BODY = 1 << 20


class Log:
    def __init__(self, path):
        self.lock = threading.Lock()
        self.f = open(path, "a", encoding="utf-8")

    def write(self, rec):
        line = json.dumps(rec, ensure_ascii=True)
        with self.lock:
            self.f.write(line + "\n")
            self.f.flush()


LOG = None


def query_params(target):
    """[(name, raw bytes)] of the query, without '+' -> space."""
    _, _, q = target.partition("?")
    out = []
    for part in q.split("&"):
        if not part:
            continue
        k, _, v = part.partition("=")
        out.append((urllib.parse.unquote(k), urllib.parse.unquote_to_bytes(v)))
    return out


class HTTPHandler(socketserver.BaseRequestHandler):
    def setup(self):
        self.request.settimeout(30)
        self.buf = b""

    def read_until(self, marker):
        while marker not in self.buf:
            if len(self.buf) > MAX_HEAD:
                raise ValueError("head too long")
            chunk = self.request.recv(65536)
            if not chunk:
                raise EOFError
            self.buf += chunk
        i = self.buf.index(marker) + len(marker)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def read_exact(self, n):
        while len(self.buf) < n:
            chunk = self.request.recv(65536)
            if not chunk:
                raise EOFError
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_chunked(self):
        body = b""
        while True:
            line = self.read_until(b"\r\n")
            size = int(line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                # trailers up to the empty line
                while self.read_until(b"\r\n") != b"\r\n":
                    pass
                return body
            body += self.read_exact(size)
            self.read_until(b"\r\n")
            if len(body) > MAX_BODY:
                raise ValueError("body too long")

    def handle(self):
        try:
            head = self.read_until(b"\r\n\r\n")
        except (EOFError, ValueError, OSError):
            return
        lines = head[:-4].split(b"\r\n")
        parts = lines[0].split(b" ")
        if len(parts) != 3:
            self.respond(400, [], b"bad request line\n", "GET")
            return
        method, target, version = (p.decode("latin-1") for p in parts)
        headers = []
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers.append([name.decode("latin-1"),
                            value.strip(b" \t").decode("latin-1")])
        hmap = {n.lower(): v for n, v in headers}
        body = b""
        try:
            if hmap.get("expect", "").lower() == "100-continue":
                self.request.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            if "chunked" in hmap.get("transfer-encoding", "").lower():
                body = self.read_chunked()
            elif "content-length" in hmap:
                n = int(hmap["content-length"])
                if n > MAX_BODY:
                    raise ValueError("body too long")
                body = self.read_exact(n)
        except (EOFError, ValueError, OSError):
            pass
        LOG.write({"port": self.server.server_address[1], "method": method,
                   "target": target, "version": version, "headers": headers,
                   "body": body.decode("latin-1")})
        self.route(method, target)

    def route(self, method, target):
        path = target.split("?", 1)[0]
        segs = path.split("/")
        if len(segs) == 3 and segs[1] == "r" and segs[2].isdigit():
            status = int(segs[2])
            params = query_params(target)
            fields = [(b"Location", v) for k, v in params if k == "to"]
            fields += [tuple(x.strip() for x in v.split(b":", 1))
                       for k, v in params if k == "h" and b":" in v]
            self.respond(status, fields, b"redirect\n", method)
        elif len(segs) == 4 and segs[1] == "c" and segs[3].isdigit():
            k = int(segs[3])
            n = dict(query_params(target)).get("n", b"0")
            n = int(n) if n.isdigit() else 0
            if k < n:
                loc = "/c/%s/%d?n=%d" % (segs[2], k + 1, n)
                self.respond(302, [(b"Location", loc.encode())],
                             b"redirect\n", method)
            else:
                self.respond(200, [], b"chain end\n", method)
        elif len(segs) == 4 and segs[1] == "loop" and segs[3].isdigit():
            n = dict(query_params(target)).get("n", b"1")
            n = max(int(n), 1) if n.isdigit() else 1
            loc = "/loop/%s/%d?n=%d" % (segs[2], (int(segs[3]) + 1) % n, n)
            self.respond(302, [(b"Location", loc.encode())], b"redirect\n",
                         method)
        else:
            self.respond(200, [(b"Content-Type", b"text/plain")],
                         b"sink " + path.encode("latin-1") + b"\n", method)

    def respond(self, status, fields, body, method):
        reason = REASONS.get(status, "Redirect" if 300 <= status < 400 else "Status")
        out = b"HTTP/1.1 %d %s\r\n" % (status, reason.encode())
        for name, value in fields:
            out += name + b": " + value + b"\r\n"
        if status == 304:
            body = b""
        else:
            out += b"Content-Length: %d\r\n" % len(body)
        out += b"Connection: close\r\n\r\n"
        if method != "HEAD":
            out += body
        try:
            self.request.sendall(out)
        except OSError:
            pass


class FTPHandler(socketserver.StreamRequestHandler):
    """Just enough FTP to see where a client goes: the login succeeds, every
    change of directory and every transfer is refused. The commands (the
    directory carries the scenario id) are logged."""

    REPLIES = {
        "USER": b"331 password please", "PASS": b"230 logged in",
        "SYST": b"215 UNIX Type: L8", "PWD": b'257 "/" is the directory',
        "TYPE": b"200 type set", "QUIT": b"221 bye",
        "CWD": b"550 no such directory", "FEAT": b"211 no features",
    }

    def handle(self):
        self.request.settimeout(30)
        commands = []
        try:
            self.wfile.write(b"220 conformance ftp\r\n")
            while len(commands) < 32:
                line = self.rfile.readline(4096)
                if not line:
                    break
                cmd = line.decode("latin-1").rstrip("\r\n")
                commands.append(cmd)
                verb = cmd.split(" ", 1)[0].upper()
                last = verb in ("QUIT", "CWD", "RETR", "SIZE", "EPSV", "PASV")
                if last:  # logged before the client hears the answer
                    self.log(commands)
                self.wfile.write(self.REPLIES.get(verb, b"550 refused") + b"\r\n")
                if last:
                    return
        except OSError:
            pass
        self.log(commands)

    def log(self, commands):
        LOG.write({"ftp": True, "port": self.server.server_address[1],
                   "commands": commands})


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = False
    request_queue_size = 64


class Server6(Server):
    address_family = socket.AF_INET6


def listen_pair(handler):
    """A port bound on 127.0.0.1 and, when possible, the same on ::1."""
    for _ in range(50):
        s4 = Server(("127.0.0.1", 0), handler)
        port = s4.server_address[1]
        try:
            s6 = Server6(("::1", port), handler)
        except OSError as e:
            if e.errno in (98,):  # EADDRINUSE: try another port
                s4.server_close()
                continue
            return [s4], port, False  # no IPv6 loopback here
        return [s4, s6], port, True
    raise SystemExit("server.py: no free port pair")


def main():
    global LOG
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    LOG = Log(args.log)
    servers, ports, ipv6 = [], [], True
    for handler in (HTTPHandler, HTTPHandler, FTPHandler):
        s, port, v6 = listen_pair(handler)
        servers += s
        ports.append(port)
        ipv6 = ipv6 and v6
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    print(json.dumps({"ports": ports[:2], "ftp": ports[2], "ipv6": ipv6}),
          flush=True)
    # Runs until the driver closes our standard input or kills us.
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
