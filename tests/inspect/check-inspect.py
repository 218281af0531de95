#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""redir-inspect against real curl output from a loopback server.

    check-inspect.py path/to/redir-inspect

For every scenario of server.py, captures `curl -sIL`, `curl -siL`,
`curl -sv -L` (and, for POST, `curl -sv -L -X POST -d x` and
`curl -sv -L -d x`), feeds the capture to `redir-inspect --json` and checks
the findings of every hop and of the chain, the chain facts and the exit
status. Then bad input and bad usage. Exit 77 (skipped) without curl.
"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server  # noqa: E402

INSPECT = sys.argv[1]
CURL = shutil.which("curl")
if not CURL:
    print("curl is not installed: skipped")
    sys.exit(77)

srv, PORT = server.start()
BASE = "http://127.0.0.1:%d" % PORT

MODES = {
    # name: (curl arguments, which stream, give --url)
    "head": (["-sIL"], "stdout", True),
    "include": (["-siL"], "stdout", True),
    "verbose": (["-sv", "-L"], "stderr", False),
    "post-x": (["-sv", "-L", "-X", "POST", "-d", "x"], "stderr", False),
    "post-d": (["-sv", "-L", "-d", "x"], "stderr", False),
}
GET_MODES = ["head", "include", "verbose"]
R = "relative-location"


def capture(mode, path):
    args, stream, _ = MODES[mode]
    p = subprocess.run([CURL, "--max-time", "20"] + args + [BASE + path],
                       capture_output=True, timeout=60)
    return p.stdout if stream == "stdout" else p.stderr


def inspect(data, *opts):
    p = subprocess.run([INSPECT, "--json"] + list(opts), input=data,
                       capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


failures = 0
checks = 0


def fail(what):
    global failures
    failures += 1
    print("FAIL:", what)


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        fail(what)
    return cond


def check_contract(doc, where):
    """The keys the contract promises (DESIGN.md): never renamed."""
    ok = check(isinstance(doc.get("hops"), list) and isinstance(doc.get("chain"), dict),
               where + ": top-level keys")
    if not ok:
        return False
    for h in doc["hops"]:
        for k in ("status", "location", "findings"):
            check(k in h, "%s: hop key %s" % (where, k))
        for f in h["findings"] + doc["chain"]["findings"]:
            for k in ("id", "severity", "message", "spec"):
                check(isinstance(f.get(k), str) and f[k], "%s: finding key %s" % (where, k))
            check(f["severity"] in ("info", "warning", "error"), where + ": severity")
    for k in ("hops", "all_permanent", "any_downgrade", "cross_origin", "final_url",
              "findings"):
        check(k in doc["chain"], "%s: chain key %s" % (where, k))
    return True


def ids(findings):
    return sorted(f["id"] for f in findings)


def run_scenario(name, path, modes, statuses, hop_ids, chain_ids, code,
                 opts=(), facts=None, methods=None):
    for mode in modes:
        where = "%s [%s%s]" % (name, mode, " " + " ".join(opts) if opts else "")
        data = capture(mode, path)
        extra = list(opts)
        if MODES[mode][2]:
            extra += ["--url", BASE + path]
        rc, out, err = inspect(data, *extra)
        try:
            doc = json.loads(out)
        except ValueError:
            fail("%s: not JSON (exit %d, %s)" % (where, rc, err.strip()))
            continue
        if not check_contract(doc, where):
            continue
        got = [h["status"] for h in doc["hops"]]
        if not check(got == statuses, "%s: statuses %s, want %s" % (where, got, statuses)):
            continue
        for i, h in enumerate(doc["hops"]):
            want = sorted(hop_ids.get(i, hop_ids.get("*", [])))
            check(ids(h["findings"]) == want,
                  "%s: hop %d findings %s, want %s" % (where, i, ids(h["findings"]), want))
            if i > 0 or MODES[mode][2] or mode.startswith("post") or mode == "verbose":
                check(h["url"] is not None and h["url"].startswith(BASE),
                      "%s: hop %d url %s" % (where, i, h["url"]))
        check(ids(doc["chain"]["findings"]) == sorted(chain_ids),
              "%s: chain findings %s, want %s" % (where, ids(doc["chain"]["findings"]),
                                                  sorted(chain_ids)))
        for k, v in (facts or {}).items():
            check(doc["chain"].get(k) == v,
                  "%s: chain %s = %r, want %r" % (where, k, doc["chain"].get(k), v))
        if methods and mode in methods:
            got_m = [h["method"] for h in doc["hops"]]
            check(got_m == methods[mode], "%s: methods %s, want %s" % (where, got_m,
                                                                      methods[mode]))
        check(rc == code, "%s: exit %d, want %d (%s)" % (where, rc, code, err.strip()))
        check(doc["summary"]["exit_status"] == rc, where + ": summary.exit_status")


final = BASE + "/final"
run_scenario("chain", "/chain/1", GET_MODES, [301, 302, 307, 200],
             {0: [R], 1: [R], 2: [R], 3: []}, [], 0,
             facts={"hops": 3, "redirects": 3, "all_permanent": False,
                    "any_downgrade": False, "cross_origin": False,
                    "final_url": final, "final_status": 200})
run_scenario("clean", "/clean", GET_MODES, [308, 200], {}, [], 0,
             facts={"hops": 1, "all_permanent": True, "final_url": final})
run_scenario("loop", "/loop/a", GET_MODES, [302] * 51, {"*": [R]},
             ["long-chain", "redirect-loop", "too-many-redirects"], 2,
             facts={"hops": 50, "redirects": 51})
run_scenario("loop", "/loop/a", ["head"], [302] * 51, {"*": [R]},
             ["long-chain", "redirect-loop", "too-many-redirects"], 2,
             opts=("--profile", "curl"))
LONG_HOPS = {i: [R] for i in range(12)}
LONG_HOPS[12] = []
run_scenario("long", "/long/0", GET_MODES, [301] * 12 + [200],
             LONG_HOPS, ["long-chain"], 1,
             facts={"hops": 12, "all_permanent": True})
run_scenario("long", "/long/0", ["verbose"], [301] * 12 + [200],
             LONG_HOPS, [], 0,
             opts=("--long-chain", "12"))
run_scenario("long", "/long/0", ["verbose"], [301] * 12 + [200],
             LONG_HOPS,
             ["long-chain", "too-many-redirects"], 2, opts=("--profile", "go"))
run_scenario("sticky", "/sticky", GET_MODES, [302, 200],
             {0: [R, "sticky-temporary-redirect"], 1: []}, [], 1)
run_scenario("post", "/post", ["post-x", "post-d"], [301, 200],
             {0: [R, "method-rewrite-risk"], 1: []}, [], 1,
             methods={"post-x": ["POST", "POST"], "post-d": ["POST", "GET"]})
run_scenario("post", "/post", ["head"], [301, 200], {0: [R], 1: []}, [], 0)
run_scenario("proxy", "/proxy", GET_MODES, [305, 200],
             {0: ["deprecated-status", R], 1: []}, [], 1)
run_scenario("auth", "/auth", GET_MODES, [401], {0: ["missing-www-authenticate"]}, [], 2)
run_scenario("busy", "/busy", GET_MODES, [503], {0: ["missing-retry-after"]}, [], 0)
run_scenario("lang", "/lang", GET_MODES, [302, 200],
             {0: [R, "missing-vary"], 1: []}, [], 1)

# The chain's first URL is unknown without --url in raw input: the hops
# after it are still placed by their Locations only when absolute.
rc, out, _ = inspect(capture("head", "/chain/1"))
doc = json.loads(out)
check(rc == 0 and doc["hops"][0]["url"] is None, "raw input without --url")

# ---- text output -------------------------------------------------------------
p = subprocess.run([INSPECT, "--url", BASE + "/sticky"], input=capture("head", "/sticky"),
                   capture_output=True, timeout=60)
text = p.stdout.decode()
check(p.returncode == 1 and "sticky-temporary-redirect" in text and "\033[" not in text,
      "text output (no colour when not a terminal)")

# ---- bad input and bad usage -----------------------------------------------------
bad_inputs = {
    "empty": b"",
    "junk": bytes(range(256)) * 10,
    "no status line": b"Location: /x\r\n\r\n",
    "status 999": b"HTTP/1.1 999 Nope\r\n\r\n",
    "status 99": b"HTTP/1.1 99 Nope\r\n\r\n",
    "huge header line": b"HTTP/1.1 301 Moved\r\nLocation: /" + b"a" * 100000 + b"\r\n\r\n",
    "too many heads": b"HTTP/1.1 302 Found\r\nLocation: /x\r\n\r\n" * 1001,
    "too many fields": b"HTTP/1.1 200 OK\r\n" + b"X: y\r\n" * 1001 + b"\r\n",
    "verbose without response": b"* Connected to a (1.2.3.4) port 80\n> GET / HTTP/1.1\n> \n",
    "only interim": b"HTTP/1.1 100 Continue\r\n\r\n",
}
for name, data in bad_inputs.items():
    rc, out, err = inspect(data)
    check(rc == 3 and err.strip(), "bad input '%s': exit %d, stderr %r" % (name, rc, err))

good_oddities = {
    "long body line": b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + b"x" * 200000,
    "LF only": b"HTTP/1.0 302 Found\nLocation: http://a.example/\n\nHTTP/1.0 200 OK\n\n",
    "HTTP/2": b"HTTP/2 301 \r\nlocation: https://a.example/\r\n\r\nHTTP/2 200 \r\n\r\n",
    "control bytes": b"HTTP/1.1 302 Found\r\nLocation: /\x1b[31mred\r\n\r\n",
    "interim then final": b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
}
for name, data in good_oddities.items():
    rc, out, err = inspect(data)
    ok = rc in (0, 1, 2)
    try:
        json.loads(out)
    except ValueError:
        ok = False
    check(ok, "odd but readable input '%s': exit %d %s" % (name, rc, err.strip()))
rc, out, _ = inspect(good_oddities["control bytes"])
check(rc == 2 and "invalid-location" in out, "a Location with an escape sequence")
p = subprocess.run([INSPECT], input=good_oddities["control bytes"], capture_output=True)
check(b"\x1b" not in p.stdout, "no raw escape bytes reach the terminal")
rc, out, _ = inspect(good_oddities["interim then final"])
check(rc == 0 and len(json.loads(out)["hops"]) == 1, "interim heads are skipped")

for args in (["--bogus"], ["--long-chain"], ["--long-chain", "x"], ["--long-chain", "0"],
             ["--profile", "nope"], ["--url", "not a url"], ["a", "b"],
             ["/nonexistent/file"]):
    p = subprocess.run([INSPECT] + args, input=b"", capture_output=True, timeout=60)
    check(p.returncode == 3 and p.stderr, "bad usage %s: exit %d" % (args, p.returncode))
p = subprocess.run([INSPECT, "--help"], capture_output=True, timeout=60)
check(p.returncode == 0 and b"usage:" in p.stdout, "--help")

srv.shutdown()
print("%d checks, %d failures" % (checks, failures))
sys.exit(1 if failures else 0)
