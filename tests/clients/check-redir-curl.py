#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""redir-curl end to end, against the conformance suite's loopback server.

    check-redir-curl.py [path/to/redir-curl]

Asserts what arrived at the server (method, target, body, headers) for:

  - statuses 301, 302, 303, 307, 308 x GET, POST, PUT x a Location on the
    same origin, on another port and on another host (127.0.0.1 ->
    localhost), with Authorization, Cookie and X-Custom: under the default
    profile, what RFC 9110 requires (written out here, not asked of redir);
  - the conformance suite's scenarios (statuses 300-308 and 399 x GET,
    HEAD, POST, PUT, DELETE, PATCH, OPTIONS, PROPFIND x the same three
    targets): under --profile curl, exactly the requests `curl -L` sends
    for the same command line (User-Agent aside), the same exit status and
    the same output;
  - the hop limit (--max-redirs and the profile's), a loop (and curl -L on
    the same loop), a bad Location, a refused https -> http downgrade (a
    TLS server made with openssl), statuses that are not followed, errors,
    -i, -o, -v and the exit statuses.

Exit 77 (skipped) when redir-curl was not built (no libcurl) or curl is not
installed.
"""
import concurrent.futures
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import SKIP, Checker, Server, env, free_port, header  # noqa: E402

if len(sys.argv) < 2:
    print("redir-curl was not built (libcurl not found): skipped")
    sys.exit(SKIP)
REDIR_CURL = sys.argv[1]
CURL = shutil.which("curl")
if not CURL:
    print("curl is not installed: skipped")
    sys.exit(SKIP)

STATUSES = [301, 302, 303, 307, 308]
METHODS = ["GET", "POST", "PUT"]
TARGETS = ["same-origin", "other-port", "other-host"]
HEADERS = [("Authorization", "Bearer e2e-token"), ("Cookie", "e2e=1"),
           ("X-Custom", "e2e")]
TIMEOUT = 30

srv = Server()
ck = Checker("redir-curl")


def run(argv, stdin=None):
    p = subprocess.run(argv, capture_output=True, timeout=TIMEOUT, env=env(),
                       input=stdin)
    err = p.stderr.decode("latin-1")
    if argv[0] == REDIR_CURL:
        ck.check("runtime error" not in err and "Sanitizer" not in err,
                 "sanitizer report for %s: %s" % (argv, err[-2000:]))
    return p.returncode, p.stdout.decode("latin-1"), err


def q(s):
    return urllib.parse.quote(s, safe="")


def request_args(method, body, headers):
    """The same command-line options for curl and redir-curl, as the
    conformance suite gives them to curl."""
    a = []
    if method == "POST":
        a += ["-d", body]
    elif method != "GET":
        a += ["-X", method] + (["-d", body] if body is not None else [])
    for n, v in headers:
        a += ["-H", "%s: %s" % (n, v)]
    return a


def target_url(kind, ident):
    return {
        "same-origin": "/sink/%s" % ident,
        "other-port": "http://127.0.0.1:%d/sink/%s" % (srv.p2, ident),
        "other-host": "http://localhost:%d/sink/%s" % (srv.p1, ident),
    }[kind]


def redirect_url(status, ident, to):
    return "%s/r/%d?id=%s&to=%s" % (srv.base, status, ident, q(to))


def normalise(recs, ident):
    """What a client sent, comparable between two runs: the id taken out,
    User-Agent left aside, header fields in order of name."""
    out = []
    for r in recs:
        hs = sorted((n.lower(), v) for n, v in r["headers"]
                    if n.lower() != "user-agent")
        out.append((r["port"], r["method"], r["target"].replace(ident, "ID"),
                    r["body"], hs))
    return out


# ---- the matrix ---------------------------------------------------------------

def matrix_cell(status, method, kind):
    body = "e2e-body" if method != "GET" else None
    res = {}
    for who in ("rfc9110", "profile-curl", "curl"):
        ident = srv.new_id({"rfc9110": "rr", "profile-curl": "rc",
                            "curl": "cu"}[who])
        url = redirect_url(status, ident, target_url(kind, ident))
        args = request_args(method, body, HEADERS)
        if who == "rfc9110":
            argv = [REDIR_CURL] + args + [url]
        elif who == "profile-curl":
            argv = [REDIR_CURL, "--profile", "curl"] + args + [url]
        else:
            argv = [CURL, "-q", "-sS", "-L"] + args + [url]
        rc, out, err = run(argv)
        res[who] = (ident, rc, out, err, srv.records(ident))
    return res


def check_rfc9110(status, method, kind, ident, rc, out, err, recs):
    cell = "%d %s %s (rfc9110)" % (status, method, kind)
    body = "e2e-body" if method != "GET" else None
    ck.eq(rc, 0, cell + ": exit status (%s)" % err.strip())
    ck.eq(out, "sink /sink/%s\n" % ident, cell + ": output")
    if not ck.eq(len(recs), 2, cell + ": requests at the server"):
        return
    first, nxt = recs
    ck.eq((first["method"], first["body"]), (method, body or ""),
          cell + ": first request")
    # RFC 9110, 15.4.4: 303 -> GET without content; 15.4.2/3/8/9: the
    # others keep the method and the content.
    want_method = "GET" if status == 303 else method
    want_body = "" if status == 303 else (body or "")
    ck.eq(nxt["method"], want_method, cell + ": method")
    ck.eq(nxt["body"], want_body, cell + ": body")
    ck.eq(nxt["target"], "/sink/%s" % ident, cell + ": target")
    host = {"same-origin": "127.0.0.1:%d" % srv.p1,
            "other-port": "127.0.0.1:%d" % srv.p2,
            "other-host": "localhost:%d" % srv.p1}[kind]
    ck.eq(header(nxt, "Host"), [host], cell + ": Host")
    # libcurl's own Content-Type goes with the content.
    ck.eq(bool(header(nxt, "Content-Type")), bool(want_body),
          cell + ": Content-Type")
    # RFC 9110, 15.4 step 4: credentials stay on their origin.
    same = kind == "same-origin"
    for n, v in HEADERS:
        want = [v] if (same or n == "X-Custom") else []
        ck.eq(header(nxt, n), want, cell + ": " + n)


def check_like_curl(status, method, kind, mine, theirs):
    cell = "%d %s %s (--profile curl vs curl -L)" % (status, method, kind)
    ident, rc, out, err, recs = mine
    cident, crc, cout, cerr, crecs = theirs
    ck.eq(rc, crc, cell + ": exit status (%s | %s)" % (err.strip(), cerr.strip()))
    ck.eq(out.replace(ident, "ID"), cout.replace(cident, "ID"), cell + ": output")
    ck.check(len(crecs) == 2, cell + ": curl -L followed (%d requests)" % len(crecs))
    a, b = normalise(recs, ident), normalise(crecs, cident)
    if not ck.check(a == b, cell + ": requests differ"):
        for x, y in zip(a, b):
            if x != y:
                print("   redir-curl:", x)
                print("   curl -L:   ", y)


cells = [(s, m, k) for s in STATUSES for m in METHODS for k in TARGETS]
with concurrent.futures.ThreadPoolExecutor(8) as ex:
    results = list(ex.map(lambda c: matrix_cell(*c), cells))
for (s, m, k), res in zip(cells, results):
    check_rfc9110(s, m, k, *res["rfc9110"])
    check_like_curl(s, m, k, res["profile-curl"], res["curl"])


# ---- --profile curl and curl -L over the conformance scenarios ----------------
# Every status of the conformance suite (300-308 and an unregistered 399) x
# its eight methods x the three targets: the requests that reach the server
# must be the same, and so must the exit status and (but for HEAD, where
# curl -I prints the header blocks) what is printed.

ALL_STATUSES = [300, 301, 302, 303, 304, 305, 306, 307, 308, 399]
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
               "PROPFIND"]
BODY_METHODS = {"POST", "PUT", "DELETE", "PATCH", "PROPFIND"}


def wide_cell(status, method, kind):
    body = "e2e-body" if method in BODY_METHODS else None
    res = []
    for who in ("rc", "cu"):
        ident = srv.new_id("w" + who)
        url = redirect_url(status, ident, target_url(kind, ident))
        if method == "HEAD" and who == "cu":
            args = ["-I"] + request_args("GET", None, HEADERS)
        else:
            args = request_args(method, body, HEADERS)
        if who == "rc":
            argv = [REDIR_CURL, "--profile", "curl"] + args + [url]
        else:
            argv = [CURL, "-q", "-sS", "-L"] + args + [url]
        rc, out, err = run(argv)
        res.append((ident, rc, out.replace(ident, "ID"), err,
                    normalise(srv.records(ident), ident)))
    return res


wide = [(s, m, k) for s in ALL_STATUSES for m in ALL_METHODS for k in TARGETS]
with concurrent.futures.ThreadPoolExecutor(8) as ex:
    wide_results = list(ex.map(lambda c: wide_cell(*c), wide))
followed = 0
for (s, m, k), (mine, theirs) in zip(wide, wide_results):
    cell = "%d %s %s (--profile curl vs curl -L)" % (s, m, k)
    ck.eq(mine[1], theirs[1], cell + ": exit status (%s | %s)" %
          (mine[3].strip(), theirs[3].strip()))
    if m != "HEAD":
        ck.eq(mine[2], theirs[2], cell + ": output")
    if not ck.check(mine[4] == theirs[4], cell + ": requests differ"):
        for x, y in zip(mine[4], theirs[4]):
            if x != y:
                print("   redir-curl:", x)
                print("   curl -L:   ", y)
    followed += len(theirs[4]) > 1
# curl -L (7.88.1) follows every 3xx that carries a Location, 304, 305, 306
# and 399 included, and so does the profile: every cell has two requests
ck.eq(followed, len(ALL_STATUSES) * len(ALL_METHODS) * len(TARGETS),
      "cells where curl -L followed")
print("--profile curl vs curl -L: %d scenarios compared" % len(wide))


# ---- hop limit, loops, bad Location --------------------------------------------

def chain(n, *opts, prefix="hc"):
    ident = srv.new_id(prefix)
    rc, out, err = run([REDIR_CURL] + list(opts) +
                       ["%s/c/%s/0?n=%d" % (srv.base, ident, n)])
    return ident, rc, out, err, srv.records(ident)


ident, rc, out, err, recs = chain(3, "--max-redirs", "3")
ck.eq((rc, out, len(recs)), (0, "chain end\n", 4), "3 redirects, --max-redirs 3")
ident, rc, out, err, recs = chain(4, "--max-redirs", "3")
ck.eq((rc, out, len(recs)), (3, "", 4), "4 redirects, --max-redirs 3")
ck.check("too-many-redirects" in err, "--max-redirs 3: message: " + err)
ck.eq([r["target"] for r in recs], ["/c/%s/%d?n=4" % (ident, k) for k in range(4)],
      "--max-redirs 3: the requests")
# rfc9110's own limit is 20
ident, rc, out, err, recs = chain(20)
ck.eq((rc, len(recs)), (0, 21), "20 redirects, the profile's limit")
ident, rc, out, err, recs = chain(21)
ck.eq((rc, len(recs)), (3, 21), "21 redirects, the profile's limit")

# the same limit as curl -L --max-redirs
for n in (2, 3):
    mine = chain(n, "--profile", "curl", "--max-redirs", "2")
    cid = srv.new_id("cu")
    crc, cout, cerr = run([CURL, "-q", "-sS", "-L", "--max-redirs", "2",
                           "%s/c/%s/0?n=%d" % (srv.base, cid, n)])
    ck.eq(normalise(mine[4], mine[0]), normalise(srv.records(cid), cid),
          "chain of %d, --max-redirs 2: same requests as curl -L" % n)
    ck.eq((mine[1], crc), (0, 0) if n == 2 else (3, 47),
          "chain of %d, --max-redirs 2: exit statuses (redir-curl, curl)" % n)


def loop(n, *opts):
    ident = srv.new_id("lp")
    rc, out, err = run([REDIR_CURL] + list(opts) +
                       ["%s/loop/%s/0?n=%d" % (srv.base, ident, n)])
    return ident, rc, out, err, srv.records(ident)


ident, rc, out, err, recs = loop(1)
ck.eq((rc, len(recs)), (3, 1), "a redirect to itself: stopped at once")
ck.check("redirect-loop" in err, "loop message: " + err)
ident, rc, out, err, recs = loop(3)
ck.eq((rc, len(recs)), (3, 3), "a loop of three: stopped when it comes back")
# curl does not detect loops, it runs into its limit of 50; so does the
# curl profile, with the same requests
mine = loop(2, "--profile", "curl")
cid = srv.new_id("cu")
crc, cout, cerr = run([CURL, "-q", "-sS", "-L", "%s/loop/%s/0?n=2" % (srv.base, cid)])
ck.eq((mine[1], len(mine[4]), crc), (3, 51, 47), "loop, --profile curl and curl -L")
ck.check("too-many-redirects" in mine[3], "loop, --profile curl: message: " + mine[3])
ck.eq(normalise(mine[4], mine[0]), normalise(srv.records(cid), cid),
      "loop: same requests as curl -L")

for name, locs in (("control byte", ["/sink/{id}/a\x01b"]),
                   ("two Locations", ["/sink/{id}/1", "/sink/{id}/2"]),
                   ("ftp", ["ftp://127.0.0.1:21/x"])):
    ident = srv.new_id("bl")
    url = "%s/r/302?id=%s" % (srv.base, ident)
    for loc in locs:
        url += "&to=" + q(loc.replace("{id}", ident))
    rc, out, err = run([REDIR_CURL, url])
    ck.eq((rc, out, len(srv.records(ident))), (3, "", 1), "Location: " + name)

# ---- responses that end the chain --------------------------------------------

for status, to, want_rc in ((300, "/sink/x", 0), (304, None, 0), (302, None, 0),
                            (404, None, 1), (500, None, 1), (200, None, 0)):
    ident = srv.new_id("ns")
    url = "%s/r/%d?id=%s" % (srv.base, status, ident)
    if to:
        url += "&to=" + q(to)
    rc, out, err = run([REDIR_CURL, "-i", url])
    what = "%d%s" % (status, " with Location" if to else "")
    ck.eq(rc, want_rc, what + ": exit status")
    ck.check(out.startswith("HTTP/1.1 %d " % status), what + ": -i: " + out[:40])
    ck.check(status == 304 or out.endswith("\r\n\r\nredirect\n"),
             what + ": the body: %r" % out[-30:])
    ck.eq(len(srv.records(ident)), 1, what + ": one request")

# -i prints the final response's head only; -o writes the body to a file
ident = srv.new_id("io")
rc, out, err = run([REDIR_CURL, "-i", redirect_url(302, ident, "/sink/%s" % ident)])
ck.check(rc == 0 and out.startswith("HTTP/1.1 200 OK\r\n") and "302" not in out
         and out.endswith("\r\n\r\nsink /sink/%s\n" % ident), "-i after a redirect: " + out)
path = os.path.join(srv.dir, "out.txt")
ident = srv.new_id("io")
rc, out, err = run([REDIR_CURL, "-o", path, redirect_url(307, ident, "/sink/%s" % ident)])
with open(path) as f:
    ck.eq((rc, out, f.read()), (0, "", "sink /sink/%s\n" % ident), "-o FILE")

# -v: every hop, the verdict, the method and body change, the headers
ident = srv.new_id("vb")
rc, out, err = run([REDIR_CURL, "-v", "-d", "x", "-H", "Authorization: Bearer t",
                    "-H", "Content-Type: application/json",
                    redirect_url(303, ident, "http://localhost:%d/sink/%s" % (srv.p1, ident))])
for want in ("> POST %s" % redirect_url(303, ident, "http://localhost:%d/sink/%s"
                                         % (srv.p1, ident)),
             "< 303 See Other", "* redir: follow: GET http://localhost:%d/sink/%s"
             % (srv.p1, ident), "* redir: method POST -> GET",
             "* redir: content dropped", "* redir: header Authorization: drop",
             "* redir: header Content-Type: drop", "RFC 9110, Section 15.4.4",
             "> GET http://localhost:%d/sink/%s" % (srv.p1, ident), "< 200 OK",
             "* redir: not-redirect"):
    ck.check(want in err, "-v shows %r" % want)
recs = srv.records(ident)
ck.check(len(recs) == 2 and not header(recs[1], "Content-Type")
         and not header(recs[1], "Authorization"),
         "a caller's Content-Type goes with the content (RFC 9110, 15.4 step 6)")

# HEAD stays HEAD
ident = srv.new_id("hd")
rc, out, err = run([REDIR_CURL, "-X", "HEAD", redirect_url(301, ident, "/sink/%s" % ident)])
recs = srv.records(ident)
ck.eq((rc, out, [r["method"] for r in recs]), (0, "", ["HEAD", "HEAD"]), "HEAD")

# ---- errors and usage ---------------------------------------------------------

rc, out, err = run([REDIR_CURL, "http://127.0.0.1:%d/" % free_port()])
ck.eq(rc, 4, "connection refused: exit status")
for argv in ([], ["--profile", "nosuch", srv.base], ["-H", "bad", srv.base],
             ["--bogus", srv.base], [srv.base, srv.base], ["not a url"],
             ["-X", "HEAD", "-d", "x", srv.base], ["--max-redirs", "-1", srv.base]):
    rc, out, err = run([REDIR_CURL] + argv)
    ck.eq(rc, 2, "usage error: %s" % argv)


# ---- https -> http: a downgrade the java profile refuses -----------------------

def tls_server(certfile, keyfile):
    """An https server on 127.0.0.1 answering 302 to the `to` parameter."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(certfile, keyfile)
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(16)

    def serve():
        while True:
            try:
                conn, _ = lsock.accept()
            except OSError:
                return
            try:
                with ctx.wrap_socket(conn, server_side=True) as s:
                    s.settimeout(10)
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = s.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                    target = data.split(b" ")[1].decode() if b" " in data else "/"
                    query = urllib.parse.urlsplit(target).query
                    to = urllib.parse.parse_qs(query).get("to", ["/"])[0]
                    s.sendall(b"HTTP/1.1 302 Found\r\nLocation: " + to.encode() +
                              b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            except (OSError, ssl.SSLError):
                pass

    threading.Thread(target=serve, daemon=True).start()
    return lsock


OPENSSL = shutil.which("openssl")
if not OPENSSL:
    print("SKIP downgrade: openssl is not installed to make a certificate")
else:
    cert, key = os.path.join(srv.dir, "cert.pem"), os.path.join(srv.dir, "key.pem")
    p = subprocess.run([OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-keyout", key, "-out", cert, "-days", "1", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                       capture_output=True)
    if ck.check(p.returncode == 0, "openssl req: " + p.stderr.decode(errors="replace")):
        lsock = tls_server(cert, key)
        tls = "https://127.0.0.1:%d" % lsock.getsockname()[1]
        for profile, want_rc, want_recs in (("java", 3, 0), ("rfc9110", 0, 1)):
            ident = srv.new_id("dg")
            url = "%s/?to=%s" % (tls, q("%s/sink/%s" % (srv.base, ident)))
            rc, out, err = run([REDIR_CURL, "--profile", profile, "--cacert", cert,
                                "-H", "Authorization: Bearer t", url])
            recs = srv.records(ident)
            ck.eq((rc, len(recs)), (want_rc, want_recs),
                  "https -> http with --profile %s (%s)" % (profile, err.strip()))
            if profile == "java":
                ck.check("downgrade-refused" in err, "downgrade message: " + err)
            elif recs:
                ck.eq(header(recs[0], "Authorization"), [],
                      "https -> http: Authorization does not follow")
        lsock.close()

srv.stop()
sys.exit(ck.done())
