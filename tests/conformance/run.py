#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Live conformance suite: real HTTP clients against their redir profiles.

Starts the loopback server (server.py), runs each real client through a set
of redirect scenarios, reads from the server's log what arrived after the
redirect, and compares it with what `redir-explain --profile P --json`
predicts for the same request and response:

  - whether the redirect is followed at all;
  - the next method, whether the body is sent again, the target URL;
  - for Authorization, Cookie, Proxy-Authorization and X-Custom, whether
    the header arrived as the caller gave it;
  - the fragment of the final URL, where the client reports it;
  - for chains, where the client stops (the profile's max_redirects, read
    from the compatibility table that tools/compat-table prints).

Scenarios: statuses 300-308 and an unregistered 399 x GET, HEAD, POST, PUT,
DELETE, PATCH, OPTIONS, PROPFIND (a body with POST, PUT, PATCH, PROPFIND and
DELETE) x a Location on the same origin, on another port, on another host
(127.0.0.1 -> localhost); odd Locations (missing, empty, relative,
scheme-relative, with a fragment, several, ftp:, file:, a space, a control
byte, raw UTF-8); a chain as long as the client's limit and one longer.

Clients (profile): curl (curl), wget (wget), requests (requests), urllib
(python-urllib), fetch (fetch: Node's built-in fetch). A client that is not
installed is skipped (exit status 77 when nothing was run).

Differences listed in known-differences.txt (client | pattern | reason; the
pattern is matched against "CELL: ASPECT") are reported but do not fail the
run; any other difference does (exit status 1).

    run.py --explain build/examples/redir-explain \
           --compat-table build/tools/compat-table [--client NAME]...
           [--known FILE] [--report FILE.json] [--node PATH] [--jobs N]

Standard library only. The Python clients (requests, urllib) and the server
run under /usr/bin/python3 when it exists (Debian's, with python3-requests),
whatever interpreter runs this driver.
"""
import argparse
import concurrent.futures
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SYSTEM_PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
SKIP = 77

STATUSES = [300, 301, 302, 303, 304, 305, 306, 307, 308, 399]
METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"]
BODY_METHODS = {"POST", "PUT", "DELETE", "PATCH", "PROPFIND"}
TARGETS = ["same-origin", "other-port", "other-host"]
HEADERS = [
    ("Authorization", "Bearer conformance-token"),
    ("Cookie", "conformance=1"),
    ("Proxy-Authorization", "Basic Y29uZm9ybWFuY2U="),
    ("X-Custom", "conformance"),
]
CLIENT_TIMEOUT = 20        # seconds, per request, given to each client
BATCH_TIMEOUT = 180        # seconds, for a helper running a whole batch


# --------------------------------------------------------------------------
# Clients
# --------------------------------------------------------------------------

def client_env():
    """The environment for the clients: no proxy, no user configuration."""
    env = {k: v for k, v in os.environ.items()
           if not k.lower().endswith("_proxy")}
    env["NO_PROXY"] = env["no_proxy"] = "*"
    env["LC_ALL"] = "C"
    return env


def run(argv, timeout, stdin=None):
    try:
        p = subprocess.run(argv, input=stdin, capture_output=True,
                           timeout=timeout, env=client_env())
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        return -1, e.stdout or b"", b"timeout after %ds" % timeout
    except OSError as e:
        return -2, b"", str(e).encode()


class Client:
    name = profile = ""
    reports_fragment = False    # does the client tell its final URL with the fragment?
    batch = False               # one process for all scenarios?

    def available(self):
        """None when usable, else the reason to skip."""
        raise NotImplementedError

    def version(self):
        return {}


class Curl(Client):
    name, profile, reports_fragment = "curl", "curl", True

    def available(self):
        return None if shutil.which("curl") else "curl is not installed"

    def version(self):
        _, out, _ = run(["curl", "--version"], 10)
        line = out.decode(errors="replace").splitlines()[0].split()
        return {"curl": line[1], "libcurl": " ".join(line[2:])}

    def argv(self, s):
        a = ["curl", "-q", "-sS", "-L", "--max-time", str(CLIENT_TIMEOUT),
             "-w", "\n@@effective=%{url_effective}@@"]
        m, body = s["method"], s["body"]
        if m == "HEAD":
            a.append("-I")
        elif m == "POST":
            a += ["-d", body]
        elif m != "GET":
            a += ["-X", m] + (["-d", body] if body is not None else [])
        for n, v in s["headers"]:
            a += ["-H", "%s: %s" % (n, v)]
        return a + [s["url"]]

    def run_one(self, s):
        rc, out, err = run(self.argv(s), CLIENT_TIMEOUT + 10)
        text = out.decode("latin-1")
        m = re.search(r"\n?@@effective=(.*)@@$", text, re.S)
        res = {"exit": rc, "output": text[:m.start()] if m else text}
        if m and rc == 0:
            res["url"] = m.group(1)
        if rc != 0:
            res["error"] = "exit %d: %s" % (rc, err.decode(errors="replace").strip())
        return res


class Wget(Client):
    name, profile = "wget", "wget"

    def available(self):
        return None if shutil.which("wget") else "wget is not installed"

    def version(self):
        _, out, _ = run(["wget", "--version"], 10)
        return {"wget": out.decode(errors="replace").splitlines()[0].split()[2]}

    def argv(self, s):
        a = ["wget", "--no-config", "-q", "-O", "-", "--tries=1",
             "--timeout=%d" % CLIENT_TIMEOUT]
        m, body = s["method"], s["body"]
        if m == "POST":
            a.append("--post-data=" + body)
        elif m != "GET":
            a.append("--method=" + m)
            if body is not None:
                a.append("--body-data=" + body)
        for n, v in s["headers"]:
            a.append("--header=%s: %s" % (n, v))
        return a + [s["url"]]

    def run_one(self, s):
        rc, out, err = run(self.argv(s), CLIENT_TIMEOUT + 10)
        res = {"exit": rc, "output": out.decode("latin-1")}
        if rc != 0:
            res["error"] = "exit %d%s" % (rc, (": " + err.decode(errors="replace").strip())
                                          if err.strip() else "")
        return res


# The Python clients: one process runs a batch, several at a time.
PY_COMMON = r'''
import concurrent.futures, json, sys
def main(one, version):
    scen = json.load(sys.stdin)
    with concurrent.futures.ThreadPoolExecutor(8) as ex:
        res = dict(zip([s["id"] for s in scen], ex.map(guard(one), scen)))
    json.dump({"version": version, "results": res}, sys.stdout)
def guard(one):
    def f(s):
        try:
            return one(s)
        except Exception as e:
            return {"error": "%s: %s" % (type(e).__name__, e)}
    return f
'''

PY_REQUESTS = PY_COMMON + r'''
import platform, requests
def one(s):
    body = s["body"].encode() if s["body"] is not None else None
    r = requests.request(s["method"], s["url"], data=body,
                         headers=dict(s["headers"]), timeout=%d)
    return {"status": r.status_code, "url": r.url,
            "output": r.content.decode("latin-1")[:4000]}
main(one, {"requests": requests.__version__,
           "python": platform.python_version(),
           "urllib3": __import__("urllib3").__version__})
''' % CLIENT_TIMEOUT

PY_URLLIB = PY_COMMON + r'''
import platform, urllib.error, urllib.request
def one(s):
    body = s["body"].encode() if s["body"] is not None else None
    req = urllib.request.Request(s["url"], data=body, headers=dict(s["headers"]),
                                 method=s["method"])
    try:
        with urllib.request.build_opener().open(req, timeout=%d) as r:
            return {"status": r.status, "url": r.geturl(),
                    "output": r.read().decode("latin-1")[:4000]}
    except urllib.error.HTTPError as e:
        return {"status": e.code, "error": "HTTPError %%d: %%s" %% (e.code, e.reason)}
main(one, {"python": platform.python_version(), "executable": sys.executable})
''' % CLIENT_TIMEOUT

NODE_FETCH = r'''
const fs = require("fs"), path = require("path"), zlib = require("zlib");
function undiciInfo() {
  const info = {undici: process.versions.undici || null, source: "bundled"};
  if (!info.undici) {
    // Debian builds Node against its node-undici package
    const defs = ((process.config.target_defaults || {}).defines || []);
    const d = defs.find(x => x.startsWith("NODE_SHARED_BUILTIN_UNDICI_UNDICI_PATH="));
    if (d) {
      const dir = path.dirname(d.split("=")[1]);
      info.source = dir;
      try { info.undici = JSON.parse(fs.readFileSync(dir + "/package.json")).version; } catch (e) {}
    }
  }
  try {  // a distribution's own fixes, as its changelog lists them
    const log = zlib.gunzipSync(fs.readFileSync("/usr/share/doc/node-undici/changelog.Debian.gz")).toString();
    if (info.source !== "bundled") {
      info.debian = (log.match(/^node-undici \(([^)]+)\)/) || [])[1] || null;
      info.backported = [...new Set(log.match(/CVE-\d+-\d+/g) || [])];
    }
  } catch (e) {}
  return info;
}
async function one(s) {
  const init = {method: s.method, headers: s.headers, redirect: "follow",
                signal: AbortSignal.timeout(TIMEOUT)};
  if (s.body !== null) init.body = s.body;
  try {
    const r = await fetch(s.url, init);
    const text = await r.text();
    return {status: r.status, url: r.url, output: text.slice(0, 4000)};
  } catch (e) {
    let msg = String(e);
    if (e.cause) msg += " (cause: " + (e.cause.message || String(e.cause)) + ")";
    return {error: msg};
  }
}
(async () => {
  const scen = JSON.parse(fs.readFileSync(0, "utf8"));
  const results = {};
  let next = 0;
  async function worker() {
    while (next < scen.length) { const s = scen[next++]; results[s.id] = await one(s); }
  }
  await Promise.all(Array.from({length: 8}, worker));
  const info = undiciInfo();
  info.node = process.version;
  process.stdout.write(JSON.stringify({version: info, results}));
  process.exit(0);
})();
'''.replace("TIMEOUT", str(CLIENT_TIMEOUT * 1000))


class BatchClient(Client):
    batch = True
    interpreter = None
    script = ""

    def run_batch(self, scenarios):
        payload = json.dumps([{k: s[k] for k in ("id", "method", "url", "body", "headers")}
                              for s in scenarios]).encode()
        rc, out, err = run(self.command(), BATCH_TIMEOUT, stdin=payload)
        try:
            data = json.loads(out.decode("utf-8"))
        except ValueError:
            raise SystemExit("%s: the client helper failed (exit %d): %s"
                             % (self.name, rc, err.decode(errors="replace")[-2000:]))
        self.observed_version = data["version"]
        return data["results"]


class Requests(BatchClient):
    name, profile, reports_fragment = "requests", "requests", True

    def command(self):
        return [SYSTEM_PY, "-c", PY_REQUESTS]

    def available(self):
        rc, _, _ = run([SYSTEM_PY, "-c", "import requests"], 30)
        return None if rc == 0 else "python3-requests is not installed for %s" % SYSTEM_PY


class Urllib(BatchClient):
    name, profile, reports_fragment = "urllib", "python-urllib", True

    def command(self):
        return [SYSTEM_PY, "-c", PY_URLLIB]

    def available(self):
        return None


class Fetch(BatchClient):
    name, profile = "fetch", "fetch"
    node = "node"

    def command(self):
        return [self.node, "-e", NODE_FETCH]

    def available(self):
        if not shutil.which(self.node):
            return "Node.js (%s) is not installed" % self.node
        rc, out, _ = run([self.node, "-e", "process.stdout.write(typeof fetch)"], 30)
        if out != b"function":
            return "this Node.js has no built-in fetch"
        return None


CLIENTS = {c.name: c for c in (Curl(), Wget(), Requests(), Urllib(), Fetch())}


# --------------------------------------------------------------------------
# Versions that change the expectation (Node's fetch)
# --------------------------------------------------------------------------

def vtuple(v):
    return tuple(int(x) for x in re.findall(r"\d+", v or "")[:3]) or None


# Debian 12 builds Node 18 against its own node-undici 5.15.0 and backports
# fixes into it (debian/changelog): used when the changelog is not readable.
DEBIAN_UNDICI_FIXES = [
    ("5.15.0+dfsg1+~cs20.10.9.3-1+deb12u2", "CVE-2023-45143"),
]


def debian_backports(info):
    """The CVEs the distribution's node-undici says it fixed."""
    if info.get("backported") is not None:
        return set(info["backported"])
    if not (info.get("source") or "").startswith("/usr/share/nodejs"):
        return set()
    rc, out, _ = run(["dpkg-query", "-W", "-f=${Version}", "node-undici"], 30)
    if rc != 0 or not out:
        return set()
    info["debian"] = out.decode()
    found = set()
    for version, cve in DEBIAN_UNDICI_FIXES:
        if subprocess.run(["dpkg", "--compare-versions", info["debian"], "ge",
                           version]).returncode == 0:
            found.add(cve)
    return found


def fetch_version_rules(info):
    """What the observed undici does differently from the fetch profile
    (which reflects the fetch standard and undici 6.24). Returns
    (kept_cross_origin: set of header names, follows_empty: bool or None,
    latin1_location: bool, notes). Only version facts read in undici's own
    releases (doc/research/clients-b.md, section 2; the npm tarballs of
    5.20.0, 5.21.0, 6.10.0 and 6.11.0 for the last two)."""
    v = vtuple(info.get("undici"))
    back = debian_backports(info)
    kept, notes, follows_empty, latin1 = set(), [], None, False
    if v is None:
        notes.append("undici version unknown: the fetch profile is used as is")
        return kept, follows_empty, latin1, notes
    label = "undici %s" % info["undici"]
    if info.get("debian"):
        label += " (Debian node-undici %s)" % info["debian"]
    if v < (5, 14, 0):
        kept.add("authorization")
        notes.append("%s keeps Authorization across origins (removed since 5.14.0)" % label)
    if v < (5, 26, 2):
        if "CVE-2023-45143" in back:
            notes.append("%s: Cookie removal across origins backported "
                         "(CVE-2023-45143, upstream 5.26.2)" % label)
        else:
            kept.add("cookie")
            notes.append("%s keeps Cookie across origins (CVE-2023-45143, "
                         "fixed in 5.26.2)" % label)
    fixed_pa = v >= (6, 6, 1) or (5, 28, 3) <= v < (6, 0, 0)
    if not fixed_pa:
        if "CVE-2024-24758" in back:
            notes.append("%s: Proxy-Authorization removal backported "
                         "(CVE-2024-24758)" % label)
        else:
            kept.add("proxy-authorization")
            notes.append("%s keeps Proxy-Authorization across origins "
                         "(CVE-2024-24758, fixed in 5.28.3 and 6.6.1)" % label)
    if v < (5, 21, 0):
        follows_empty = False
        notes.append("%s does not follow an empty Location (responseLocationURL "
                     "tests the value for truth; followed since 5.21.0)" % label)
    if v < (6, 11, 0):
        latin1 = True
        notes.append("%s reads a Location's raw non-ASCII bytes as ISO-8859-1 "
                     "(as UTF-8 since 6.11.0, undici PR #2971)" % label)
    if not notes:
        notes.append("%s: the fetch profile applies as is" % label)
    return kept, follows_empty, latin1, notes


def latin1_reading(url):
    """The URL a parser reaching it through ISO-8859-1 would build: every
    percent-encoded byte >= 0x80 becomes the UTF-8 of that code point."""
    def one(m):
        raw = urllib.parse.unquote_to_bytes(m.group(0))
        return urllib.parse.quote(raw.decode("latin-1").encode("utf-8"), safe="")
    return re.sub(r"(?:%[89A-Fa-f][0-9A-Fa-f])+", one, url)


# --------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------

def q(b):
    return urllib.parse.quote(b, safe="")


def build_scenarios(client, ports, ftp_port, tmpdir, limit):
    p1, p2 = ports
    base = "http://127.0.0.1:%d" % p1
    scen = []
    n = [0]

    def new_id():
        n[0] += 1
        return "%s%03d" % (re.sub(r"[^a-z]", "", client.name), n[0])

    def redirect(cell, kind, method, status, locs, fragment=""):
        i = new_id()
        locs = None if locs is None else [l.replace(b"{id}", i.encode()) for l in locs]
        url = "%s/r/%d?id=%s" % (base, status, i)
        for l in locs or []:
            url += "&to=" + q(l)
        body = ("conformance-body-" + i) if method in BODY_METHODS else None
        scen.append({"id": i, "cell": cell, "kind": kind, "method": method,
                     "status": status, "url": url + fragment, "locations": locs,
                     "body": body, "headers": HEADERS})
        return scen[-1]

    target = {
        "same-origin": b"/sink/{id}",
        "other-port": ("http://127.0.0.1:%d/sink/{id}" % p2).encode(),
        "other-host": ("http://localhost:%d/sink/{id}" % p1).encode(),
    }
    for status in STATUSES:
        for method in METHODS:
            for t in TARGETS:
                redirect("%d %s %s" % (status, method, t), "matrix", method,
                         status, [target[t]])

    odd = [
        ("missing", None, ""),
        ("empty", [b""], ""),
        ("relative", [b"../sink/{id}/rel?q=1"], ""),
        ("scheme-relative", [("//localhost:%d/sink/{id}" % p1).encode()], ""),
        ("fragment", [b"/sink/{id}#from-location"], ""),
        ("fragment-inherited", [b"/sink/{id}"], "#from-request"),
        ("several", [b"/sink/{id}/first", b"/sink/{id}/second"], ""),
        ("ftp", [("ftp://127.0.0.1:%d/ftp-{id}/f" % ftp_port).encode()], ""),
        ("file", [("file://%s/marker-{id}.txt" % tmpdir).encode()], ""),
        ("space", [b"/sink/{id}/a b"], ""),
        ("control-byte", [b"/sink/{id}/a\x01b"], ""),
        ("utf-8", [b"/sink/{id}/caf\xc3\xa9"], ""),
    ]
    for name, locs, frag in odd:
        s = redirect("location " + name, "odd", "GET", 302, locs, frag)
        if name == "file":
            with open(os.path.join(tmpdir, "marker-%s.txt" % s["id"]), "w") as f:
                f.write("conformance-file-marker-%s\n" % s["id"])

    for cell, hops in (("hops limit", limit), ("hops limit+1", limit + 1)):
        i = new_id()
        scen.append({"id": i, "cell": cell, "kind": "hops", "method": "GET",
                     "status": 302, "hops": hops, "limit": limit,
                     "url": "%s/c/%s/0?n=%d" % (base, i, hops),
                     "locations": None, "body": None, "headers": HEADERS})
    return scen


# --------------------------------------------------------------------------
# Predictions
# --------------------------------------------------------------------------

def predict(explain, profile, s):
    argv = [explain, "--profile", profile, "--json", "--method", s["method"],
            "--status", str(s["status"]), "--url", s["url"],
            "--body", "replayable" if s["body"] is not None else "none"]
    if s["locations"] is None:
        argv.append("--no-location")
    else:
        for l in s["locations"]:
            argv += [b"--location", l]
    for n, v in s["headers"]:
        argv += ["-H", "%s: %s" % (n, v)]
    p = subprocess.run(argv, capture_output=True)
    if p.returncode != 0:
        raise SystemExit("redir-explain failed (exit %d) for %s: %s"
                         % (p.returncode, s["cell"], p.stderr.decode(errors="replace")))
    return json.loads(p.stdout.decode("utf-8", "replace"))


def profile_limits(compat_table):
    """{profile: max_redirects} from the compatibility table."""
    out = subprocess.run([compat_table], capture_output=True, check=True).stdout
    limits, col = {}, None
    for line in out.decode("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if "max hops" in cells:
            col = cells.index("max hops")
        elif (col is not None and len(cells) > col and cells[col] and
              cells[col].split()[0].isdigit()):
            # "10" or "10 URLs" (distinct targets: the same for a chain of
            # distinct URLs, which is what the hops scenarios are)
            limits[cells[0]] = int(cells[col].split()[0])
        elif col is not None and not line.startswith("|"):
            col = None
    return limits


# --------------------------------------------------------------------------
# Observation and comparison
# --------------------------------------------------------------------------

def read_log(path):
    """{scenario id: [records in arrival order]}."""
    by_id = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.endswith("\n"):
                break   # still being written by the server (another client's)
            rec = json.loads(line)
            if rec.get("ftp"):
                ids = set()
                for c in rec["commands"]:
                    ids.update(re.findall(r"ftp-([a-z]+\d+)", c))
            else:
                t = rec["target"]
                ids = set(re.findall(r"^/(?:sink|c)/([a-z]+\d+)", t))
                ids.update(re.findall(r"[?&]id=([a-z]+\d+)", t))
            for i in ids:
                by_id.setdefault(i, []).append(rec)
    return by_id


def norm_url(u):
    """For comparing targets: no fragment, percent-escapes in upper case."""
    u = u.split("#", 1)[0]
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), u)


def header_as_given(rec, name, value):
    return any(n.lower() == name.lower() and v == value for n, v in rec["headers"])


def summarize(rec):
    """One request as the server saw it, for the JSON report."""
    if rec.get("ftp"):
        return "FTP " + "; ".join(rec["commands"])
    sent = [n for n, _ in HEADERS if any(h.lower() == n.lower() for h, _ in rec["headers"])]
    host = next((v for n, v in rec["headers"] if n.lower() == "host"), "?")
    return "%s %s (Host %s, port %d%s%s)" % (
        rec["method"], rec["target"], host, rec["port"],
        ", body %d bytes" % len(rec["body"]) if rec["body"] else "",
        ", with " + ", ".join(sent) if sent else "")


def describe_outcome(res):
    if res.get("error"):
        return res["error"]
    if "status" in res:
        return "status %s" % res["status"]
    return "exit %s" % res.get("exit", "?")


def compare(client, s, pred, res, recs, fetch_rules):
    """[(aspect, expected, observed)] for one cell, plus notes."""
    diffs, notes = [], []
    kept_cross, follows_empty, latin1 = fetch_rules[:3]
    if not recs or recs[0].get("ftp"):
        return [("harness", "the first request at the server",
                 "nothing arrived (%s)" % describe_outcome(res))], notes

    if s["kind"] == "hops":
        ends = [r for r in recs if not r.get("ftp") and
                r["target"].startswith("/c/%s/%d?" % (s["id"], s["hops"]))]
        followed = len(recs) - 1
        reached = bool(ends)
        exp_followed = min(s["limit"], s["hops"])
        exp_reached = s["hops"] <= s["limit"]
        if (followed, reached) != (exp_followed, exp_reached):
            diffs.append(("hops", "%d redirects followed, end %s" % (
                exp_followed, "reached" if exp_reached else "not reached"),
                "%d redirects followed, end %s (%s)" % (
                    followed, "reached" if reached else "not reached",
                    describe_outcome(res))))
        return diffs, notes

    expect_follow = pred["follow"]
    if (client.name == "fetch" and s["cell"] == "location empty"
            and follows_empty is not None and follows_empty != expect_follow):
        expect_follow = follows_empty
        notes.append("empty Location %s" % ("followed" if expect_follow
                                              else "not followed"))

    nxt = recs[1] if len(recs) > 1 else None
    followed = nxt is not None
    if s["cell"] == "location file":
        followed = ("conformance-file-marker-" + s["id"]) in res.get("output", "")
    if followed != expect_follow:
        exp = ("follow: %s %s" % (pred["method"], pred["url"]) if expect_follow
               else "stop: %s" % pred["verdict"])
        if followed and nxt is not None and nxt.get("ftp"):
            obs = "followed (FTP: %s)" % "; ".join(nxt["commands"][:6])
        elif followed and nxt is not None:
            obs = "followed: %s %s" % (nxt["method"], nxt["target"])
        elif followed:
            obs = "followed (the file's content came back)"
        else:
            obs = "not followed (%s)" % describe_outcome(res)
        diffs.append(("follow", exp, obs))
        return diffs, notes
    if not followed or nxt is None or nxt.get("ftp"):
        return diffs, notes

    # method
    if nxt["method"] != pred["method"]:
        diffs.append(("method", pred["method"], nxt["method"]))
    # target
    host = next((v for n, v in nxt["headers"] if n.lower() == "host"), "?")
    got = norm_url("http://%s%s" % (host, nxt["target"]))
    want = norm_url(pred["url"] or "")
    if client.name == "fetch" and latin1 and latin1_reading(want) != want:
        want = norm_url(latin1_reading(want))
        notes.append("raw non-ASCII Location bytes read as ISO-8859-1")
    if got != want:
        diffs.append(("url", want, got))
    # body
    sent = s["body"]
    arrived = nxt["body"]
    if sent is not None:
        exp = "re-sent" if pred["body"] == "keep" else "not sent"
        obs = ("re-sent" if arrived == sent else "not sent" if arrived == ""
               else "other content: %r" % arrived[:60])
    else:
        exp, obs = "none", ("none" if arrived == "" else "content: %r" % arrived[:60])
    if exp != obs:
        diffs.append(("body", exp, obs))
    # headers
    removed = {h.lower() for h in pred["remove_headers"]}
    cross = "cross-origin" in pred["flags"]
    for name, value in s["headers"]:
        exp_arrives = name.lower() not in removed
        if client.name == "fetch" and cross and name.lower() in kept_cross:
            if not exp_arrives:
                notes.append("%s kept across origins" % name)
            exp_arrives = True
        obs_arrives = header_as_given(nxt, name, value)
        if exp_arrives != obs_arrives:
            diffs.append((name, "arrives" if exp_arrives else "removed",
                          "arrives" if obs_arrives else "removed"))
    # fragment of the final URL, where the client reports it
    if client.reports_fragment and res.get("url") and pred["url"]:
        want_f = urllib.parse.urlsplit(pred["url"]).fragment
        got_f = urllib.parse.urlsplit(res["url"]).fragment
        if want_f != got_f:
            diffs.append(("fragment", repr("#" + want_f if want_f else ""),
                          repr("#" + got_f if got_f else "")))
    return diffs, notes


# --------------------------------------------------------------------------
# Known differences
# --------------------------------------------------------------------------

def load_known(path):
    known = []
    if not path or not os.path.exists(path):
        return known
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|", 2)]
            if len(parts) != 3 or not all(parts):
                raise SystemExit("%s:%d: expected 'client | pattern | reason'"
                                 % (path, lineno))
            known.append({"client": parts[0], "pattern": parts[1],
                          "reason": parts[2], "line": lineno, "used": 0})
    return known


def match_known(known, client, cell, aspect):
    key = "%s: %s" % (cell, aspect)
    for k in known:
        if fnmatch.fnmatchcase(client, k["client"]) and \
                fnmatch.fnmatchcase(key, k["pattern"]):
            k["used"] += 1
            return k
    return None


# --------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------

class ServerProc:
    def __init__(self, logpath):
        self.p = subprocess.Popen(
            [SYSTEM_PY, os.path.join(HERE, "server.py"), "--log", logpath],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        line = self.p.stdout.readline()
        if not line:
            raise SystemExit("server.py did not start")
        info = json.loads(line)
        self.ports, self.ftp, self.ipv6 = info["ports"], info["ftp"], info["ipv6"]

    def stop(self):
        try:
            self.p.stdin.close()
            self.p.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            self.p.kill()
            self.p.wait()


def run_client(client, args, server, tmpdir, limits, known, logpath):
    t0 = time.time()
    limit = limits.get(client.profile)
    if limit is None:
        raise SystemExit("the compatibility table has no hop limit for profile %s"
                         % client.profile)
    scen = build_scenarios(client, server.ports, server.ftp, tmpdir, limit)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
        preds = dict(zip([s["id"] for s in scen],
                         ex.map(lambda s: predict(args.explain, client.profile, s)
                                if s["kind"] != "hops" else None, scen)))
        if client.batch:
            results = client.run_batch(scen)
            version = dict(client.observed_version)
        else:
            results = dict(zip([s["id"] for s in scen], ex.map(client.run_one, scen)))
            version = client.version()
    logs = read_log(logpath)

    fetch_rules = (set(), None, False, [])
    if client.name == "fetch":
        fetch_rules = fetch_version_rules(version)

    cells = []
    for s in scen:
        res = results.get(s["id"], {"error": "no result"})
        diffs, notes = compare(client, s, preds[s["id"]], res,
                               logs.get(s["id"], []), fetch_rules)
        out = []
        for aspect, exp, obs in diffs:
            k = match_known(known, client.name, s["cell"], aspect) if aspect != "harness" else None
            out.append({"aspect": aspect, "profile": exp, "client": obs,
                        "known": k["reason"] if k else None})
        state = ("agree" if not out else
                 "known" if all(d["known"] for d in out) else "differ")
        cells.append({"cell": s["cell"], "kind": s["kind"], "state": state,
                      "differences": out, "notes": notes,
                      "outcome": describe_outcome(res),
                      "requests": [summarize(r) for r in logs.get(s["id"], [])]})
    return {"client": client.name, "profile": client.profile, "version": version,
            "limit": limit, "cells": cells, "notes": fetch_rules[3],
            "seconds": round(time.time() - t0, 1)}


MARK = {"agree": "agree", "known": "known difference", "differ": "DIFFERS"}


def print_report(r, out=sys.stdout):
    cells = r["cells"]
    count = {k: sum(c["state"] == k for c in cells) for k in MARK}
    ver = ", ".join("%s %s" % (k, v) for k, v in r["version"].items()
                    if isinstance(v, str))
    w = out.write
    w("\n== %s (profile %s): %s\n" % (r["client"], r["profile"], ver))
    for n in r["notes"]:
        w("   expectation for this version: %s\n" % n)
    adjusted = {}
    for c in cells:
        for n in c["notes"]:
            adjusted.setdefault(n, []).append(c["cell"])
    for n, where in sorted(adjusted.items()):
        w("   expected by version in %d cell%s: %s (e.g. %s)\n"
          % (len(where), "s" if len(where) > 1 else "", n, where[0]))
    w("   %d cells: %d agree, %d known differences, %d differ (%.1fs)\n\n"
      % (len(cells), count["agree"], count["known"], count["differ"], r["seconds"]))
    by = {c["cell"]: c for c in cells}
    sym = {"agree": ".", "known": "k", "differ": "X"}
    w("   each entry: same origin, other port, other host; "
      "'.' agrees, 'k' known difference, 'X' differs\n")
    w("   %-6s" % "status" + "".join(" %-8s" % m for m in METHODS) + "\n")
    for st in STATUSES:
        w("   %-6d" % st + "".join(
            " %-8s" % "".join(sym[by["%d %s %s" % (st, m, t)]["state"]]
                              for t in TARGETS) for m in METHODS) + "\n")
    w("\n")
    for c in cells:
        if c["kind"] != "matrix":
            w("   %-28s %s\n" % (c["cell"], MARK[c["state"]]))
    shown = [c for c in cells if c["state"] != "agree"]
    if shown:
        w("\n")
    for c in shown:
        for d in c["differences"]:
            tag = "known " if d["known"] else "DIFFER"
            w("   %s %s: %s: profile %s, client %s\n"
              % (tag, c["cell"], d["aspect"], d["profile"], d["client"]))
            if d["known"]:
                w("          (%s)\n" % d["known"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--explain", required=True, help="the redir-explain program")
    ap.add_argument("--compat-table", required=True, help="the compat-table program")
    ap.add_argument("--client", action="append", choices=sorted(CLIENTS),
                    help="run only this client (repeatable)")
    ap.add_argument("--known", default=os.path.join(HERE, "known-differences.txt"))
    ap.add_argument("--report", help="write the cells as JSON to this file")
    ap.add_argument("--node", default="node", help="the Node.js program")
    ap.add_argument("--profile", help="compare with this profile instead of "
                    "the client's own (one --client only; for trying the suite)")
    ap.add_argument("--jobs", type=int, default=6)
    args = ap.parse_args()
    CLIENTS["fetch"].node = args.node
    if args.profile:
        if not args.client or len(args.client) != 1:
            ap.error("--profile needs exactly one --client")
        CLIENTS[args.client[0]].profile = args.profile

    names = args.client or sorted(CLIENTS)
    known = load_known(args.known)
    limits = profile_limits(args.compat_table)
    todo = []
    for n in names:
        why = CLIENTS[n].available()
        if why:
            print("SKIP %s: %s" % (n, why), flush=True)
        else:
            todo.append(CLIENTS[n])
    if not todo:
        return SKIP

    t0 = time.time()
    tmpdir = tempfile.mkdtemp(prefix="redir-conformance-")
    logpath = os.path.join(tmpdir, "server.jsonl")
    server = ServerProc(logpath)
    print("server: 127.0.0.1 and localhost%s, ports %d and %d, ftp %d; log %s"
          % (" (also ::1)" if server.ipv6 else "", server.ports[0], server.ports[1],
             server.ftp, logpath), flush=True)
    try:
        with concurrent.futures.ThreadPoolExecutor(len(todo)) as ex:
            reports = list(ex.map(lambda c: run_client(c, args, server, tmpdir,
                                                       limits, known, logpath), todo))
    finally:
        server.stop()
    for r in reports:
        print_report(r)

    failed = [r["client"] for r in reports
              if any(c["state"] == "differ" for c in r["cells"])]
    stale = [k for k in known if k["used"] == 0 and
             any(fnmatch.fnmatchcase(r["client"], k["client"]) for r in reports)]
    for k in stale:
        print("\nnote: known difference not seen (line %d: %s | %s)"
              % (k["line"], k["client"], k["pattern"]))
    if args.report:
        with open(args.report, "w") as f:
            json.dump(reports, f, indent=1)
    print("\n%d clients, %d cells, %.1fs: %s" % (
        len(reports), sum(len(r["cells"]) for r in reports), time.time() - t0,
        "differences not listed as known: " + ", ".join(failed) if failed
        else "no difference beyond the known ones"))
    if not failed:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
