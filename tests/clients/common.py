# SPDX-License-Identifier: MIT
"""Shared parts of the end-to-end tests of redir-curl and redir-proxy: the
loopback server of the conformance suite (tests/conformance/server.py) as
upstream and sink, and a small checker that counts and reports."""
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "..", "conformance", "server.py")
SKIP = 77


class Server:
    """server.py on two ports of 127.0.0.1 (and ::1 when there is one, so
    that "localhost" is another host on the same ports). Every request it
    receives is in its log: method, target, headers, body."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="redir-clients-")
        self.log = os.path.join(self.dir, "server.jsonl")
        self.p = subprocess.Popen([sys.executable, SERVER, "--log", self.log],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        line = self.p.stdout.readline()
        if not line:
            raise SystemExit("server.py did not start")
        info = json.loads(line)
        self.p1, self.p2 = info["ports"]
        self.base = "http://127.0.0.1:%d" % self.p1
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def new_id(self, prefix):
        with self._lock:
            return "%s%04d" % (prefix, next(self._ids))

    def records(self, ident):
        """The requests that carried this id (in the path or as id=), in
        the order they arrived."""
        pat = re.compile(r"^/(?:sink|c|loop)/%s(?:/|$|\?)|[?&]id=%s(?:&|$)"
                         % (ident, ident))
        out = []
        with open(self.log, encoding="utf-8") as f:
            for line in f:
                # a line still being written is another client's request
                # (the server logs a request before it answers it)
                if not line.endswith("\n"):
                    break
                rec = json.loads(line)
                if not rec.get("ftp") and pat.search(rec["target"]):
                    out.append(rec)
        return out

    def stop(self):
        try:
            self.p.stdin.close()
            self.p.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            self.p.kill()
            self.p.wait()


def header(rec, name):
    """The values of a header field in a logged request."""
    return [v for n, v in rec["headers"] if n.lower() == name.lower()]


class Checker:
    def __init__(self, name):
        self.name = name
        self.checks = 0
        self.failures = 0

    def check(self, cond, what):
        self.checks += 1
        if not cond:
            self.failures += 1
            print("FAIL:", what, flush=True)
        return cond

    def eq(self, got, want, what):
        return self.check(got == want, "%s: expected %r, got %r" % (what, want, got))

    def done(self):
        print("%s: %d checks, %d failed" % (self.name, self.checks, self.failures))
        if self.checks == 0:
            print("no check ran")
            return 1
        return 1 if self.failures else 0


def free_port():
    """A port nothing listens on (bound, then closed)."""
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def env():
    """No proxies, no user configuration for the programs under test."""
    e = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    e["NO_PROXY"] = e["no_proxy"] = "*"
    e["LC_ALL"] = "C"
    e["CURL_HOME"] = "/nonexistent"
    return e
