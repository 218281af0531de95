#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""redir-proxy end to end: the conformance suite's loopback server as the
upstream (and the sink that records what arrived), the proxy in front of
it, and Python's http.client as the downstream client (it never follows a
redirect itself).

    check-redir-proxy.py [path/to/redir-proxy]

Asserts what the client received (status, body, Location rewritten to the
public origin or not, X-Redir-Cache HIT or MISS, Age) and what arrived at
the server when the proxy followed internally:

  - statuses 301, 302, 303, 307, 308 x GET, POST, PUT on the same origin:
    followed, with the method and the body RFC 9110 asks for, the caller's
    headers kept, the hop-by-hop ones never forwarded;
  - another port of the allowed host, and another allowed host: followed,
    Authorization and Cookie dropped;
  - a host off the allow-list, a status off --follow: passed on; a Location
    on the upstream's origin rewritten to the public origin, others not;
  - the hop limit (--max-hops), a loop;
  - the cache: 301 and 308 kept by heuristic, a 302 with max-age kept, a
    302 without freshness, no-store, a POST, a request with Authorization
    or Cache-Control: no-cache not; expiry by max-age; LRU eviction;
  - --profile, an upstream that is down (502), usage errors, and a clean
    exit on SIGTERM and SIGINT.

Exit 77 (skipped) when redir-proxy was not built (no libevent).
"""
import http.client
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import SKIP, Checker, Server, env, free_port, header  # noqa: E402

if len(sys.argv) < 2:
    print("redir-proxy was not built (libevent not found): skipped")
    sys.exit(SKIP)
PROXY = sys.argv[1]

STATUSES = [301, 302, 303, 307, 308]
METHODS = ["GET", "POST", "PUT"]
CREDENTIALS = [("Authorization", "Bearer e2e-token"), ("Cookie", "e2e=1")]
HOP_BY_HOP = [("Connection", "keep-alive, X-Hop"), ("X-Hop", "1"),
              ("Keep-Alive", "timeout=5"), ("TE", "trailers")]
PUBLIC = "http://public.test:8080"

srv = Server()
ck = Checker("redir-proxy")


class Proxy:
    def __init__(self, *opts, upstream=None):
        self.argv = [PROXY, "--listen", "127.0.0.1:0",
                     "--upstream", upstream or srv.base] + list(opts)
        self.errpath = os.path.join(srv.dir, "proxy-%d.err" % id(self))
        self.err = open(self.errpath, "w")
        self.p = subprocess.Popen(self.argv, stdout=subprocess.PIPE,
                                  stderr=self.err, env=env())
        line = self.p.stdout.readline().decode()
        m = re.search(r"listening on 127\.0\.0\.1:(\d+),.*public origin (\S+),", line)
        if not m:
            self.p.kill()
            raise SystemExit("redir-proxy did not start: %r (%s)" % (line, self.argv))
        self.port = int(m.group(1))
        self.public = m.group(2)

    def get(self, path, method="GET", headers=(), body=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
        for n, v in headers:
            c.putheader(n, v)
        if body is not None:
            c.putheader("Content-Length", str(len(body)))
        c.endheaders(body.encode() if body is not None else None)
        r = c.getresponse()
        data = r.read().decode("latin-1")
        hs = r.getheaders()
        c.close()
        return r.status, {n.lower(): v for n, v in hs}, data

    def stop(self, sig=signal.SIGTERM):
        self.p.send_signal(sig)
        try:
            rc = self.p.wait(10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = "hung"
        self.err.close()
        with open(self.errpath) as f:
            log = f.read()
        return rc, log


def q(s):
    return urllib.parse.quote(s, safe="")


def rpath(status, ident, to=None, *extra):
    p = "/r/%d?id=%s" % (status, ident)
    if to is not None:
        p += "&to=" + q(to)
    for h in extra:
        p += "&h=" + q(h)
    return p


A = Proxy("--public-origin", PUBLIC, "--max-hops", "3")
B = Proxy("--allow", "127.0.0.1,localhost")
C = Proxy("--follow", "302,303,307", "--cache-size", "2")
D = Proxy("--profile", "curl")
E = Proxy(upstream="http://127.0.0.1:%d" % free_port())

ck.eq(A.public, PUBLIC, "--public-origin")
ck.eq(C.public, "http://127.0.0.1:%d" % C.port, "the public origin from --listen")

# ---- following inside the proxy -------------------------------------------

for status in STATUSES:
    for method in METHODS:
        cell = "%d %s same origin" % (status, method)
        ident = srv.new_id("sm")
        body = "e2e-body-" + ident if method != "GET" else None
        st, hs, data = A.get(rpath(status, ident, "/sink/" + ident), method,
                             CREDENTIALS + [("X-Custom", "e2e")] + HOP_BY_HOP, body)
        ck.eq((st, data), (200, "sink /sink/%s\n" % ident), cell + ": response")
        ck.eq(hs.get("x-redir-cache"), "MISS", cell + ": X-Redir-Cache")
        recs = srv.records(ident)
        if not ck.eq(len(recs), 2, cell + ": requests at the upstream"):
            continue
        first, nxt = recs
        ck.eq((first["method"], first["body"]), (method, body or ""), cell + ": first")
        # RFC 9110, 15.4.4: 303 -> GET without content; the others keep both
        ck.eq(nxt["method"], "GET" if status == 303 else method, cell + ": method")
        ck.eq(nxt["body"], "" if status == 303 or body is None else body, cell + ": body")
        ck.eq(nxt["target"], "/sink/" + ident, cell + ": target")
        for n, v in CREDENTIALS + [("X-Custom", "e2e")]:
            ck.eq(header(nxt, n), [v], cell + ": %s kept on the same origin" % n)
        for r in recs:
            for n, _ in HOP_BY_HOP:
                ck.eq(header(r, n), [], cell + ": hop-by-hop %s not forwarded" % n)
            ck.eq(header(r, "Host"), ["127.0.0.1:%d" % srv.p1], cell + ": Host")
        if body and status != 303:
            ck.eq(header(nxt, "Content-Length"), [str(len(body))],
                  cell + ": Content-Length")

# another port of the allowed host; another allowed host
for proxy, kind, to in ((A, "other port", "http://127.0.0.1:%d/sink/{id}" % srv.p2),
                        (B, "other host", "http://localhost:%d/sink/{id}" % srv.p1)):
    for status, method in ((307, "POST"), (302, "PUT"), (303, "POST"), (301, "GET")):
        cell = "%d %s %s" % (status, method, kind)
        ident = srv.new_id("xo")
        body = "e2e-body" if method != "GET" else None
        st, hs, data = proxy.get(rpath(status, ident, to.replace("{id}", ident)), method,
                                 CREDENTIALS + [("X-Custom", "e2e")], body)
        ck.eq((st, data), (200, "sink /sink/%s\n" % ident), cell + ": response")
        recs = srv.records(ident)
        if not ck.eq(len(recs), 2, cell + ": requests at the upstream"):
            continue
        nxt = recs[1]
        ck.eq(nxt["method"], "GET" if status == 303 else method, cell + ": method")
        ck.eq(nxt["body"], "" if status == 303 else (body or ""), cell + ": body")
        host = to.split("/")[2]
        ck.eq(header(nxt, "Host"), [host], cell + ": Host")
        # RFC 9110, 15.4 step 4: credentials stay on their origin
        ck.eq(header(nxt, "Authorization"), [], cell + ": Authorization dropped")
        ck.eq(header(nxt, "Cookie"), [], cell + ": Cookie dropped")
        ck.eq(header(nxt, "X-Custom"), ["e2e"], cell + ": X-Custom kept")

# --profile curl: POST on 302 becomes GET without the body
ident = srv.new_id("pc")
st, hs, data = D.get(rpath(302, ident, "/sink/" + ident), "POST", (), "e2e-body")
recs = srv.records(ident)
ck.eq((st, [(r["method"], r["body"]) for r in recs]),
      (200, [("POST", "e2e-body"), ("GET", "")]), "--profile curl: 302 POST")

# ---- passed on ------------------------------------------------------------------

# a host off the allow-list: not followed, Location as it was
ident = srv.new_id("ol")
to = "http://localhost:%d/sink/%s" % (srv.p1, ident)
st, hs, data = A.get(rpath(302, ident, to), "GET", CREDENTIALS)
ck.eq((st, hs.get("location"), hs.get("x-redir-cache")), (302, to, "MISS"),
      "a host off the allow-list: passed on")
ck.eq(len(srv.records(ident)), 1, "a host off the allow-list: not requested")

# a status that is not followed: Location on the upstream's origin rewritten
ident = srv.new_id("rw")
st, hs, data = A.get(rpath(300, ident, "%s/sink/%s?a=1#f" % (srv.base, ident)))
ck.eq((st, hs.get("location")), (300, "%s/sink/%s?a=1#f" % (PUBLIC, ident)),
      "Location on the upstream's origin: rewritten to the public origin")
ck.eq(len(srv.records(ident)), 1, "300: not followed")
ident = srv.new_id("rw")
other = "http://127.0.0.1:%d/sink/%s" % (srv.p2, ident)
st, hs, data = A.get(rpath(300, ident, other))
ck.eq((st, hs.get("location")), (300, other), "Location on another port: as it was")
ident = srv.new_id("rw")
st, hs, data = A.get(rpath(300, ident, "/sink/" + ident))
ck.eq((st, hs.get("location")), (300, "/sink/" + ident), "a relative Location: as it was")
ident = srv.new_id("rw")
st, hs, data = C.get(rpath(301, ident, "%s/sink/%s" % (srv.base, ident)))
ck.eq((st, hs.get("location")), (301, "%s/sink/%s" % (C.public, ident)),
      "301 off --follow: rewritten to the public origin from --listen")

# the hop limit, a loop
ident = srv.new_id("hl")
st, hs, data = A.get("/c/%s/0?n=3" % ident)
ck.eq((st, data, len(srv.records(ident))), (200, "chain end\n", 4), "3 hops, --max-hops 3")
ident = srv.new_id("hl")
st, hs, data = A.get("/c/%s/0?n=4" % ident)
ck.eq((st, hs.get("location")), (302, "/c/%s/4?n=4" % ident), "4 hops, --max-hops 3")
ck.eq([r["target"] for r in srv.records(ident)],
      ["/c/%s/%d?n=4" % (ident, k) for k in range(4)], "--max-hops 3: the requests")
ident = srv.new_id("lp")
st, hs, data = A.get("/loop/%s/0?n=2" % ident)
ck.eq((st, hs.get("location"), len(srv.records(ident))), (302, "/loop/%s/0?n=2" % ident, 2),
      "a loop: stopped when it comes back, passed on")

# ---- the cache ---------------------------------------------------------------


def twice(proxy, path, method="GET", headers=(), again=None):
    """The X-Redir-Cache of two requests, and the second's headers."""
    st1, hs1, _ = proxy.get(path, method, headers)
    st2, hs2, _ = proxy.get(path, method, again if again is not None else headers)
    return (hs1.get("x-redir-cache"), hs2.get("x-redir-cache")), st1, st2, hs1, hs2


for status in (301, 308):
    ident = srv.new_id("ca")
    path = rpath(status, ident, "/sink/" + ident)
    states, st1, st2, hs1, hs2 = twice(C, path)
    ck.eq((states, st1, st2), (("MISS", "HIT"), status, status),
          "%d: kept by heuristic freshness" % status)
    ck.eq(hs2.get("location"), "/sink/" + ident, "%d from the cache: Location" % status)
    ck.check(hs2.get("age", "").isdigit(), "%d from the cache: Age %r" % (status, hs2.get("age")))
    ck.eq(len(srv.records(ident)), 1, "%d: the repeat did not reach the upstream" % status)

off = "http://localhost:%d/sink/x" % srv.p1   # off C's allow-list: passed on
for what, path, method, headers, again, want in (
        ("302 without freshness", rpath(302, "{id}", off), "GET", (), None, ("MISS", "MISS")),
        ("302 with max-age=60", rpath(302, "{id}", off, "Cache-Control: max-age=60"),
         "GET", (), None, ("MISS", "HIT")),
        ("301 with no-store", rpath(301, "{id}", "/x", "Cache-Control: no-store"),
         "GET", (), None, ("MISS", "MISS")),
        ("301 to a POST", rpath(301, "{id}", "/x"), "POST", (), None, ("MISS", "MISS")),
        ("301 to a request with Authorization", rpath(301, "{id}", "/x"), "GET",
         [("Authorization", "Bearer t")], None, ("MISS", "MISS")),
        ("301, then Cache-Control: no-cache", rpath(301, "{id}", "/x"), "GET", (),
         [("Cache-Control", "no-cache")], ("MISS", "MISS")),
        ("301 with Vary", rpath(301, "{id}", "/x", "Vary: Accept-Language"), "GET", (),
         None, ("MISS", "MISS"))):
    ident = srv.new_id("cb")
    states = twice(C, path.replace("{id}", ident), method, headers, again)[0]
    ck.eq(states, want, what)
    ck.eq(len(srv.records(ident)), 1 if want[1] == "HIT" else 2,
          what + ": requests at the upstream")

# freshness: max-age=1 is gone after a second and a half
ident = srv.new_id("ex")
path = rpath(301, ident, "/x", "Cache-Control: max-age=1")
ck.eq(twice(C, path)[0], ("MISS", "HIT"), "301 max-age=1: kept")
time.sleep(1.5)
ck.eq(C.get(path)[1].get("x-redir-cache"), "MISS", "301 max-age=1: stale after 1.5 s")

# LRU with two entries: K1, K2, K1 (hit), K3 evicts K2
keys = [rpath(301, srv.new_id("lru"), "/x") for _ in range(3)]
got = [C.get(keys[i])[1].get("x-redir-cache") for i in (0, 1, 0, 2, 0, 1)]
ck.eq(got, ["MISS", "MISS", "HIT", "MISS", "HIT", "MISS"], "LRU eviction (--cache-size 2)")

# ---- errors, usage, shutdown ------------------------------------------------------

st, hs, data = E.get("/anything")
ck.eq((st, hs.get("x-redir-cache")), (502, "MISS"), "upstream down: 502")

for argv in ([], ["--listen", "127.0.0.1:0"],
             ["--listen", "127.0.0.1:0", "--upstream", "https://x"],
             ["--listen", "127.0.0.1:0", "--upstream", srv.base, "--follow", "200"],
             ["--listen", "127.0.0.1:0", "--upstream", srv.base, "--profile", "nosuch"],
             ["--listen", "127.0.0.1:0", "--upstream", srv.base, "--max-hops", "x"],
             ["--listen", "nohost", "--upstream", srv.base],
             ["--bogus", "1"]):
    p = subprocess.run([PROXY] + argv, capture_output=True, timeout=10, env=env())
    ck.eq(p.returncode, 2, "usage error: %s" % argv)

for proxy, sig in ((A, signal.SIGTERM), (B, signal.SIGINT), (C, signal.SIGTERM),
                   (D, signal.SIGTERM), (E, signal.SIGTERM)):
    rc, log = proxy.stop(sig)
    ck.eq(rc, 0, "exit status after %s (%s)" % (sig.name, log[-300:]))
    ck.check("shutting down" in log, "%s logged" % sig.name)
    ck.check("ERROR" not in log and "runtime error" not in log,
             "no sanitizer report: " + log[-2000:])

srv.stop()
sys.exit(ck.done())
