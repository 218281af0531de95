#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A loopback HTTP server whose responses exercise redir-inspect.

    server.py [--port N]     # serves until interrupted; prints the port

Every path is a small scenario:

  /chain/1   301 -> /chain/2 (302) -> /chain/3 (307) -> /final (200)
  /clean     308 to an absolute URL -> /final
  /loop/a    302 -> /loop/b -> 302 -> /loop/a ...
  /long/N    301 -> /long/N+1 ... up to /long/12 -> /final  (12 redirects)
  /sticky    302 -> /final with Cache-Control: max-age=31536000
  /post      301 -> /final, for every method (a POST loses its body)
  /proxy     305 Use Proxy, Location /final
  /auth      401 without WWW-Authenticate
  /busy      503 without Retry-After
  /lang      302 -> /en/ with max-age=3600 and no Vary
  /final     200 text/plain (GET, HEAD and POST)
"""
import http.server
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "redir-test"
    sys_version = ""

    def log_message(self, *args):
        pass

    def _send(self, status, headers=(), body=b"", content_type="text/plain"):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if content_type and body:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def _redirect(self, status, location, extra=()):
        self._send(status, [("Location", location)] + list(extra))

    def _route(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?")[0]
        host = self.headers.get("Host", "127.0.0.1")
        if path == "/final" or path == "/en/":
            return self._send(200, body=b"done\n")
        if path == "/chain/1":
            return self._redirect(301, "/chain/2")
        if path == "/chain/2":
            return self._redirect(302, "/chain/3")
        if path == "/chain/3":
            return self._redirect(307, "/final")
        if path == "/clean":
            return self._redirect(308, "http://%s/final" % host)
        if path == "/loop/a":
            return self._redirect(302, "/loop/b")
        if path == "/loop/b":
            return self._redirect(302, "/loop/a")
        if path.startswith("/long/"):
            n = int(path[6:])
            return self._redirect(301, "/long/%d" % (n + 1) if n < 11 else "/final")
        if path == "/sticky":
            return self._redirect(302, "/final",
                                  [("Cache-Control", "max-age=31536000")])
        if path == "/post":
            return self._redirect(301, "/final")
        if path == "/proxy":
            return self._redirect(305, "/final")
        if path == "/auth":
            return self._send(401, body=b"who are you?\n")
        if path == "/busy":
            return self._send(503, body=b"try later\n")
        if path == "/lang":
            return self._redirect(302, "/en/", [("Cache-Control", "max-age=3600")])
        return self._send(404, body=b"no such scenario\n")

    do_GET = do_HEAD = do_POST = _route


def start(port=0):
    """Starts the server in a thread; returns (server, port)."""
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, srv.server_address[1]


if __name__ == "__main__":
    port = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[1] == "--port" else 0
    srv, port = start(port)
    print(port, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        srv.shutdown()
