#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""redir-explain --json over the RFC 9110 matrix: statuses 300-308 and an
unregistered 3xx, eight methods, three body states, four origin changes.
Each answer is read with Python's json module and compared with what RFC 9110,
Section 15.4 requires (the expectations are written here, independently of
the library). Also checks the short form, --profile all and bad input.

    check-explain-matrix.py REDIR_EXPLAIN
"""
import json
import subprocess
import sys

exe = sys.argv[1]
failures = []
URL = "https://api.example/v1/orders"
ORIGINS = {
    # name: (Location, resolved, cross-origin, downgrade, authority change)
    "same": ("/v2/orders", "https://api.example/v2/orders", False, False, False),
    "port": ("https://api.example:8443/v2", "https://api.example:8443/v2", True, False, True),
    "host": ("https://files.example/v2", "https://files.example/v2", True, False, True),
    "downgrade": ("http://api.example/v2", "http://api.example/v2", True, True, True),
}
HEADERS = ["Authorization", "Cookie", "Proxy-Authorization", "Content-Type",
           "Referer", "Host", "X-Custom"]
KEYS = {"profile": str, "status": int, "verdict": str, "follow": bool,
        "remove_headers": list, "flags": list, "reason": str}


def expect(status, method, body, origin):
    """RFC 9110 Section 15.4: (verdict, method, body) and removed headers."""
    stops = {300: "multiple-choices", 304: "not-modified",
             305: "use-proxy-refused", 306: "unused-status",
             399: "status-not-followed"}
    if status in stops:
        return stops[status], None, None, []
    nmethod, nbody = method, "keep"
    if status == 303 and method not in ("GET", "HEAD"):
        nmethod, nbody = "GET", "drop"
    if nbody == "keep" and body == "stream":
        return "body-not-replayable", None, None, []
    _, _, cross, down, auth = ORIGINS[origin]
    removed = []
    if cross:
        removed += ["Authorization", "Cookie", "Proxy-Authorization"]
    if nbody == "drop":
        removed.append("Content-Type")
    if down:
        removed.append("Referer")
    if auth:
        removed.append("Host")
    return "follow", nmethod, nbody, [h for h in HEADERS if h in removed]


def explain(*args):
    p = subprocess.run([exe, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


cells = 0
for status in (300, 301, 302, 303, 304, 305, 306, 307, 308, 399):
    for method in ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
                   "PROPFIND"):
        for body in ("none", "replayable", "stream"):
            for origin, (loc, url, cross, down, _) in ORIGINS.items():
                args = ["--json", "--method", method, "--status", str(status),
                        "--url", URL, "--location", loc, "--body", body]
                for h in HEADERS:
                    args += ["-H", f"{h}: v"]
                rc, out, err = explain(*args)
                cell = f"{status} {method} {body} {origin}"
                cells += 1
                if rc != 0:
                    failures.append(f"{cell}: exit {rc} {err.strip()}")
                    continue
                j = json.loads(out)
                for k, t in KEYS.items():
                    if not isinstance(j.get(k), t):
                        failures.append(f"{cell}: key {k}")
                verdict, nmethod, nbody, removed = expect(status, method, body, origin)
                got = (j["verdict"], j["follow"], j["method"], j["body"])
                want = (verdict, verdict == "follow", nmethod, nbody)
                if got != want:
                    failures.append(f"{cell}: got {got}, want {want}")
                    continue
                if verdict == "follow":
                    if j["url"] != url:
                        failures.append(f"{cell}: url {j['url']}")
                    if j["remove_headers"] != removed:
                        failures.append(f"{cell}: removes {j['remove_headers']}, want {removed}")
                    if ("downgrade" in j["flags"]) != down or ("cross-origin" in j["flags"]) != cross:
                        failures.append(f"{cell}: flags {j['flags']}")
                elif j["remove_headers"] != [] or j["method"] is not None:
                    failures.append(f"{cell}: a stop removes nothing")
                if j["profile"] != "rfc9110" or j["status"] != status:
                    failures.append(f"{cell}: profile/status")

# The short form and the text output.
rc, out, _ = explain("POST", "307", URL, "/v2/orders")
if rc != 0 or not out.startswith("follow: POST https://api.example/v2/orders\n") \
        or "15.4.8" not in out:
    failures.append(f"short form: {rc} {out[:80]!r}")
rc, out, _ = explain("--json", "GET", "302", URL)
if rc != 0 or json.loads(out)["verdict"] != "no-location":
    failures.append("short form without Location")
rc, out, _ = explain("--json", "--no-location", "--method", "GET", "--status",
                     "301", "--url", URL)
if rc != 0 or json.loads(out)["verdict"] != "no-location":
    failures.append("--no-location")
rc, out, _ = explain("--json", "--profile", "all", "GET", "301", URL, "/x")
arr = json.loads(out) if rc == 0 else None
if not isinstance(arr, list) or not arr or arr[0]["profile"] != "rfc9110":
    failures.append("--profile all")
rc, out, _ = explain("--json", "GET", "302", URL, "/a", "--location", "/b")
if rc != 0 or json.loads(out)["verdict"] != "multiple-locations":
    failures.append("several --location")
# Bad input: a message and exit status 2.
for bad in (["GET", "600", URL, "/x"], ["GET", "abc", URL, "/x"],
            ["GET", "302", "/relative", "/x"], ["G T", "302", URL, "/x"],
            ["--profile", "nope", "GET", "302", URL, "/x"],
            ["--body", "maybe", "GET", "302", URL, "/x"],
            ["-H", "NoColon", "GET", "302", URL, "/x"], ["GET", "302"]):
    rc, out, err = explain(*bad)
    if rc != 2 or "redir-explain" not in err:
        failures.append(f"{bad}: exit {rc}")

for f in failures[:40]:
    print("FAIL:", f)
print(f"{cells} cells, {len(failures)} failures")
sys.exit(1 if failures else 0)
