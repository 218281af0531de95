#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of redir-lab (examples/redir-lab.c).

    check-lab.py --client curl|wget|python-requests|node-fetch REDIR-LAB
    check-lab.py --routes REDIR-LAB
    check-lab.py --client ...         (redir-lab was not built: skipped)

--client starts the lab on two free ports of 127.0.0.1, asks it for the
commands of the standard scenario set (redir-lab --commands CLIENT), runs
them, reads the lab's grading (/grade.json?prefix=RUN-) and checks that the
client matches its own profile in every scenario (curl -> curl, wget ->
wget, python-requests -> requests, node-fetch -> fetch). A scenario where
it does not passes only when every difference has a reason: a line of
tests/conformance/known-differences.txt, or, for Node's fetch, a fact of
the undici version that Node runs (tests/conformance/run.py picks it).
Every such scenario is printed with its reason. A client that is not
installed is skipped (exit status 77).

--routes checks the lab's own routes: the headers of /status/NNN, chains
and loops of /redirect/NNN, the sink, the grading of a hand-made scenario,
the bounded log, --commands and --template, and a clean shutdown.

Standard library only. python-requests runs under /usr/bin/python3 when it
exists (Debian's, with python3-requests), whatever runs this script.
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
CONFORMANCE = os.path.join(HERE, "conformance")
sys.path.insert(0, CONFORMANCE)
import run as conformance  # noqa: E402  (fetch version rules, known differences)

SKIP = 77
SYSTEM_PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
COMMAND_TIMEOUT = 60
CLIENTS = {
    # lab client name: (profile, scenario prefix, name in known-differences.txt)
    "curl": ("curl", "curl", "curl"),
    "wget": ("wget", "wget", "wget"),
    "python-requests": ("requests", "requests", "requests"),
    "node-fetch": ("fetch", "fetch", "fetch"),
}


def env():
    e = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    e["NO_PROXY"] = e["no_proxy"] = "*"
    e["LC_ALL"] = "C"
    return e


def available(client, node):
    if client in ("curl", "wget"):
        return None if shutil.which(client) else "%s is not installed" % client
    if client == "python-requests":
        p = subprocess.run([SYSTEM_PY, "-c", "import requests"], capture_output=True)
        return None if p.returncode == 0 else \
            "python3-requests is not installed for %s" % SYSTEM_PY
    if not shutil.which(node):
        return "Node.js (%s) is not installed" % node
    p = subprocess.run([node, "-e", "process.stdout.write(typeof fetch)"],
                       capture_output=True, env=env())
    return None if p.stdout == b"function" else "this Node.js has no built-in fetch"


class Lab:
    """redir-lab on two free ports; stop() checks the clean shutdown."""

    def __init__(self, path, *extra):
        self.p = subprocess.Popen([path, "-q", "--listen", "127.0.0.1", "--port", "0",
                                   "--port2", "0"] + list(extra),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self.p.stdout.readline().decode()
        m = re.match(r"redir-lab: listening on http://127\.0\.0\.1:(\d+)/ and "
                     r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            self.p.kill()
            raise SystemExit("redir-lab did not start: %r %s" % (
                line, self.p.stderr.read().decode(errors="replace")))
        self.ports = [int(m.group(1)), int(m.group(2))]
        self.p.stdout.readline()
        self.base = "http://127.0.0.1:%d" % self.ports[0]

    def get(self, path, port=None):
        url = "http://127.0.0.1:%d%s" % (port or self.ports[0], path)
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.read().decode("utf-8")

    def stop(self, sig=signal.SIGTERM):
        self.p.send_signal(sig)
        try:
            out, err = self.p.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.communicate()
            return "redir-lab did not stop within 30 s of %s" % sig.name
        if (self.p.returncode != 0 or b"stopped after" not in out
                or b"runtime error" in err or b"Sanitizer" in err):
            return "redir-lab exited with %d after %s: %s %s" % (
                self.p.returncode, sig.name, out.decode(errors="replace"),
                err.decode(errors="replace")[-3000:])
        return None


# --------------------------------------------------------------------------
# A client through the standard scenarios
# --------------------------------------------------------------------------

def fetch_rules(node):
    """The undici facts of this Node (run.py's version rules)."""
    p = subprocess.run([node, "-e", conformance.NODE_FETCH], input=b"[]",
                       capture_output=True, env=env(), timeout=60)
    info = json.loads(p.stdout.decode())["version"]
    kept, _follows_empty, _latin1, notes = conformance.fetch_version_rules(info)
    return info, kept, notes


def cell_name(sid, prefix):
    """"curl-301-POST-other" -> "301 POST other-port", as run.py names cells."""
    m = re.match(r"%s-(\d{3})-([A-Z]+)-(same|other)$" % re.escape(prefix), sid)
    if m:
        return "%s %s %s" % (m.group(1), m.group(2),
                             "same-origin" if m.group(3) == "same" else "other-port")
    return "hops " + sid[len(prefix) + 1:]


def reason_for(client, sid, cell, d, rules, known):
    """Why a difference from the client's profile is expected, or None:
    a fact of the undici version behind Node's fetch (run.py's rules: the
    header is kept across origins), or a line of known-differences.txt."""
    kept, notes = rules
    if (client == "node-fetch" and cell.endswith("other-port")
            and d["aspect"].lower() in kept
            and d["expected"] == "dropped" and d["observed"] == "kept"):
        word = re.compile(r"(?<![-\w])%s(?![-\w])" % re.escape(d["aspect"]), re.I)
        return "undici version: " + ("; ".join(n for n in notes if word.search(n))
                                     or "this undici keeps %s across origins" % d["aspect"])
    k = conformance.match_known(known, CLIENTS[client][2], cell, d["aspect"])
    return "known difference: " + k["reason"] if k else None


def run_client(args):
    profile, prefix, known_name = CLIENTS[args.client]
    why = available(args.client, args.node)
    if why:
        print("SKIP %s: %s" % (args.client, why))
        return SKIP

    rules = (set(), [])
    version = ""
    if args.client == "node-fetch":
        info, kept, notes = fetch_rules(args.node)
        rules = (kept, notes)
        version = "Node %s, undici %s" % (info.get("node"), info.get("undici"))
        for n in notes:
            print("expectation for this version: %s" % n)
    known = conformance.load_known(os.path.join(CONFORMANCE, "known-differences.txt"))

    t0 = time.time()
    lab = Lab(args.lab)
    failures = []
    runs = []   # (prefix, scenario ids, {id: (exit, output)}, grading)
    text = ""
    try:
        def commands(*extra):
            cmd = [args.lab, "--commands", args.client, "--listen", "127.0.0.1",
                   "--port", str(lab.ports[0]), "--port2", str(lab.ports[1]),
                   "--python", SYSTEM_PY, "--node", args.node] + list(extra)
            out = subprocess.run(cmd, capture_output=True, check=True).stdout.decode()
            return [l for l in out.splitlines() if l and not l.startswith("#")]

        def one(line):
            try:
                p = subprocess.run(["sh", "-c", line], capture_output=True,
                                   timeout=COMMAND_TIMEOUT, env=env())
                return p.returncode, (p.stdout + p.stderr).decode(errors="replace")
            except subprocess.TimeoutExpired:
                return -1, "timeout after %d s" % COMMAND_TIMEOUT

        def run_lines(lines):
            ids = [re.findall(r"[?&]id=([A-Za-z0-9._-]+)", l) for l in lines]
            with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
                res = list(ex.map(one, lines))
            return ([i for group in ids for i in group],
                    {i: r for group, r in zip(ids, res) for i in group})

        if args.client in ("python-requests", "node-fetch"):
            # The whole set in one interpreter (--batch), and a sample of the
            # one-command-per-scenario form under another prefix.
            lines = commands("--batch")
            ids, results = run_lines(lines)
            print("%s%s: redir-lab --commands %s --batch: one command, %d scenarios"
                  % (args.client, " (%s)" % version if version else "",
                     args.client, len(ids)))
            runs.append((prefix, ids, results))
            single = "single-" + prefix
            sample = [l for l in commands("--run", single)
                      if re.search(r"id=%s-(30[1237]-(POST|PUT)-other|302-DELETE-same|"
                                   r"303-PATCH-same|300-HEAD-same|loop)\b" % single, l)]
            ids, results = run_lines(sample)
            print("%s: and %d of the one-line commands of redir-lab --commands %s"
                  % (args.client, len(ids), args.client))
            runs.append((single, ids, results))
        else:
            lines = commands()
            ids, results = run_lines(lines)
            print("%s: %d commands from redir-lab --commands %s, lab on ports %d and %d"
                  % (args.client, len(lines), args.client, lab.ports[0], lab.ports[1]))
            runs.append((prefix, ids, results))
        t_run = time.time() - t0
        gradings = [json.loads(lab.get("/grade.json?prefix=%s-" % r[0])) for r in runs]
        text = lab.get("/grade?prefix=%s-" % prefix)
    finally:
        err = lab.stop()
        if err:
            failures.append(err)

    agree, explained, total = 0, [], 0
    for (pfx, ids, results), grading in zip(runs, gradings):
        by_id = {s["scenario"]: s for s in grading["scenarios"]}
        for sid in ids:
            total += 1
            s = by_id.get(sid)
            rc, output = results[sid]
            if s is None:
                failures.append("%s: no request reached the lab (exit %d: %s)"
                                % (sid, rc, output.strip()[-500:]))
                continue
            if profile in s["matching"]:
                agree += 1
                continue
            mine = next(p for p in s["profiles"] if p["profile"] == profile)
            cell = cell_name(sid, pfx)
            reasons, unexplained = [], []
            for d in mine["differences"]:
                why = reason_for(args.client, sid, cell, d, rules, known)
                line = "hop %d %s: profile %s, client %s" % (
                    d["hop"], d["aspect"], d["expected"], d["observed"])
                if why:
                    reasons.append("%s (%s)" % (line, why))
                else:
                    unexplained.append(line)
            if unexplained or not mine["differences"]:
                failures.append("%s: the client does not match the %s profile: %s"
                                % (sid, profile, "; ".join(unexplained + reasons)
                                   or "no difference reported"))
            else:
                explained.append((sid, reasons))

    # the lab's own summary (profiles by scenarios matched, the matrix)
    head = text.split("\n\n%s-" % prefix, 1)[0]
    print(head.rstrip() + "\n")
    for sid, reasons in explained:
        print("known  %s: %s" % (sid, "; ".join(reasons)))
    for f in failures:
        print("FAIL   " + f)
    print("\n%s: %d scenarios, %d match the %s profile, %d differ for a known "
          "reason, %d fail (%.1f s running the client, %.1f s in all)"
          % (args.client, total, agree, profile, len(explained),
             len(failures), t_run, time.time() - t0))
    return 1 if failures else 0


# --------------------------------------------------------------------------
# The lab's routes
# --------------------------------------------------------------------------

class Checks:
    def __init__(self):
        self.n = 0
        self.failed = []

    def ok(self, cond, what):
        self.n += 1
        if not cond:
            self.failed.append(what)
            print("FAIL " + what)
        return cond


def request(port, method, target, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request(method, target, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, r.msg, data


def run_routes(args):
    ck = Checks()
    lab = Lab(args.lab)
    p1, p2 = lab.ports
    try:
        st, h, body = request(p1, "POST", "/status/503?id=r1", body=b"hello",
                              headers={"X-Custom": "1"})
        j = json.loads(body)
        ck.ok(st == 503 and h["Retry-After"] == "120", "503 has Retry-After")
        ck.ok(j["request"]["method"] == "POST" and j["request"]["body_length"] == 5
              and j["request"]["target"] == "/status/503?id=r1"
              and ["X-Custom", "1"] in j["request"]["headers"]
              and j["response"]["status"] == 503 and j["scenario"] == "r1",
              "the JSON body describes the request and the status")
        for code, name in ((429, "Retry-After"), (405, "Allow"),
                           (401, "WWW-Authenticate"), (407, "Proxy-Authenticate"),
                           (416, "Content-Range"), (426, "Upgrade")):
            st, h, _ = request(p1, "GET", "/status/%d" % code)
            ck.ok(st == code and h[name], "%d has %s" % (code, name))
        st, h, body = request(p1, "GET", "/status/206")
        ck.ok(st == 206 and h["Content-Range"] == "bytes 0-%d/%d" % (len(body) - 1, len(body)),
              "206 has a Content-Range that fits its body")
        for code in (301, 302, 303, 307, 308, 300, 201):
            st, h, _ = request(p1, "GET", "/status/%d?id=r2" % code)
            ck.ok(st == code and h.get_all("Location") == ["/sink/r2"],
                  "%d points at the sink" % code)
        st, h, _ = request(p1, "GET", "/status/304")
        ck.ok(st == 304 and h["Location"] is None, "304 has no Location")
        st, h, body = request(p1, "GET", "/status/204")
        ck.ok(st == 204 and body == b"", "204 has no body")
        st, h, _ = request(p1, "GET", "/status/301?id=r3&origin=other&cc=max-age%3D60")
        ck.ok(h["Location"] == "http://127.0.0.1:%d/sink/r3" % p2
              and h["Cache-Control"] == "max-age=60",
              "origin=other points at the other port; cc= sets Cache-Control")
        st, h, _ = request(p1, "GET", "/status/302?to=%2Fa&to=%2Fb&h=X-Lab:%201&cookie=s%3D1")
        ck.ok(h.get_all("Location") == ["/a", "/b"] and h["X-Lab"] == "1"
              and h["Set-Cookie"] == "s=1", "to= (twice), h= and cookie=")
        st, h, _ = request(p1, "GET", "/status/302?noloc=1")
        ck.ok(st == 302 and h["Location"] is None, "noloc=1")
        for target in ("/status/100", "/status/600", "/status/abc", "/redirect/200",
                       "/redirect/302?hops=1000"):
            st, _, _ = request(p1, "GET", target)
            ck.ok(st == 400, "%s is refused with 400" % target)

        # a chain of three 307s, then the sink; a loop of two
        loc, seen = "/redirect/307?id=r4&hops=3", []
        for _ in range(4):
            st, h, _ = request(p1, "PUT", loc, body=b"x")
            seen.append(st)
            loc = h["Location"]
        ck.ok(seen == [307, 307, 307, 200] and loc is None,
              "/redirect/307?hops=3 is three hops, then the sink")
        st, h, _ = request(p1, "GET", "/redirect/302?id=r5&hops=2&loop=1")
        st2, h2, _ = request(p1, "GET", h["Location"])
        ck.ok(h2["Location"] == "/redirect/302?id=r5&hops=2&loop=1", "loop=1 leads back")

        # a scenario by hand: POST, 301 to the other origin, the client drops
        # Authorization but keeps the body
        request(p1, "POST", "/redirect/301?id=hand&origin=other", body=b"data",
                headers={"Authorization": "Bearer t", "X-Custom": "c"})
        request(p2, "POST", "/sink/hand", body=b"data", headers={"X-Custom": "c"})
        g = json.loads(lab.get("/grade.json?scenario=hand"))
        s = g["scenarios"][0]
        hop = s["hops"][0]
        ck.ok(s["requests"] == 2 and hop["client"]["followed"]
              and hop["client"]["method"] == "POST" and hop["client"]["body"] == "re-sent"
              and hop["client"]["headers"] == {"Authorization": "dropped", "X-Custom": "kept"},
              "the grading reports what the client did")
        ck.ok(hop["rfc9110"]["follow"] and hop["rfc9110"]["method"] == "POST"
              and hop["rfc9110"]["headers"]["Authorization"] == "dropped"
              and "rfc9110" in s["matching"] and "curl" not in s["matching"],
              "the grading compares with rfc9110 and the profiles")
        text = lab.get("/grade?scenario=hand")
        ck.ok("rfc9110: follow: POST" in text and "profiles matching every hop" in text,
              "the text grading")
        # the same scenario again: only the last run is graded
        request(p1, "GET", "/redirect/301?id=hand&origin=other")
        s = json.loads(lab.get("/grade.json?scenario=hand"))["scenarios"][0]
        ck.ok(s["runs"] == 2 and s["requests"] == 1, "a second run starts afresh")
        ck.ok("no request" in lab.get("/grade?scenario=nothing"), "an unknown scenario")
        ck.ok("forgot" in lab.get("/reset") and
              json.loads(lab.get("/grade.json"))["scenarios"] == [], "/reset")
        ck.ok("curl -sS -L" in lab.get("/commands?client=curl"), "/commands")
    finally:
        err = lab.stop(signal.SIGINT)
        ck.ok(err is None, "clean shutdown on SIGINT: %s" % err)

    # the log stays bounded
    lab = Lab(args.lab, "--log-size", "5")
    try:
        for i in range(8):
            request(lab.ports[0], "GET", "/sink/b%d" % i)
        g = json.loads(lab.get("/grade.json"))
        ck.ok(g["dropped_requests"] == 3 and len(g["scenarios"]) == 5,
              "--log-size 5 keeps the last five requests")
    finally:
        ck.ok(lab.stop() is None, "clean shutdown on SIGTERM")

    # the commands
    def cmds(*a):
        return subprocess.run([args.lab] + list(a), capture_output=True)
    p = cmds("--template", "my-client -X {method} {url} --data {body}", "--port", "1",
             "--port2", "2")
    lines = [l for l in p.stdout.decode().splitlines() if not l.startswith("#")]
    ck.ok(p.returncode == 0 and len(lines) == 10 * 3 * 2 + 2
          and "my-client -X 'PUT' 'http://127.0.0.1:1/redirect/307?id=custom-307-PUT-other"
              "&origin=other' --data 'lab-body-custom-307-PUT-other'" in lines,
          "--template: 300-308 and 399 x GET, POST, PUT x same/other, a chain, a loop")
    for client, count in (("curl", 142), ("wget", 142), ("python-requests", 142),
                          ("node-fetch", 142)):
        p = cmds("--commands", client, "--methods", "GET,POST", "--run", "x")
        lines = [l for l in p.stdout.decode().splitlines() if not l.startswith("#")]
        ck.ok(p.returncode == 0 and len(lines) == 10 * 2 * 2 + 2
              and all("id=x-" in l for l in lines), "--commands %s --methods" % client)
    ck.ok(cmds("--commands", "curl", "--port", "0").returncode == 2,
          "--commands needs real ports")
    ck.ok(cmds("--commands", "lynx").returncode == 2, "an unknown client")
    ck.ok(cmds("--methods", "PROPFIND", "--commands", "curl").returncode == 2,
          "a method the lab does not serve")
    # The expectation for Debian 12's Node 18 (node-undici 5.15.0 with the
    # Cookie fix backported), which this machine may not have: Proxy-
    # Authorization kept across origins is explained, Authorization is not.
    info = {"undici": "5.15.0", "source": "/usr/share/nodejs/undici",
            "debian": "5.15.0+dfsg1+~cs20.10.9.3-1+deb12u2",
            "backported": ["CVE-2023-45143"]}
    kept, _, _, notes = conformance.fetch_version_rules(info)
    known = conformance.load_known(os.path.join(CONFORMANCE, "known-differences.txt"))
    diff = {"hop": 1, "aspect": "Proxy-Authorization", "expected": "dropped",
            "observed": "kept"}
    why = reason_for("node-fetch", "fetch-307-POST-other", "307 POST other-port",
                     diff, (kept, notes), known)
    ck.ok(why and "CVE-2024-24758" in why, "undici 5.15.0 keeps Proxy-Authorization: %s" % why)
    ck.ok(reason_for("node-fetch", "fetch-307-POST-same", "307 POST same-origin",
                     diff, (kept, notes), known) is None, "only across origins")
    ck.ok(reason_for("node-fetch", "fetch-307-POST-other", "307 POST other-port",
                     dict(diff, aspect="Cookie"), (kept, notes), known) is None,
          "Debian backported the Cookie fix")
    ck.ok(reason_for("curl", "curl-307-POST-other", "307 POST other-port",
                     diff, (set(), []), known) is None, "curl has no such excuse")
    ck.ok(reason_for("wget", "wget-chain", "location control-byte",
                     dict(diff, aspect="follow"), (set(), []), known) is not None,
          "known-differences.txt applies")
    print("routes: %d checks, %d failed" % (ck.n, len(ck.failed)))
    return 1 if ck.failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("lab", nargs="?", help="the redir-lab program (absent: not built)")
    ap.add_argument("--client", choices=sorted(CLIENTS))
    ap.add_argument("--routes", action="store_true")
    ap.add_argument("--node", default="node")
    ap.add_argument("--jobs", type=int, default=4)
    args = ap.parse_args()
    if not args.lab:
        print("SKIP: redir-lab was not built (libevent was not found)")
        return SKIP
    if args.routes:
        return run_routes(args)
    if not args.client:
        ap.error("--client or --routes")
    return run_client(args)


if __name__ == "__main__":
    sys.exit(main())
