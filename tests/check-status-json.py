#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""redir-status's JSON contract (DESIGN.md), read with a real JSON parser.

    check-status-json.py REDIR_STATUS REGISTRY_CSV [true|false: prose built]
"""
import csv
import json
import subprocess
import sys

exe, registry = sys.argv[1], sys.argv[2]
prose = sys.argv[3] == "true" if len(sys.argv) > 3 else True
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def run(*args):
    return subprocess.run([exe, *args], capture_output=True, text=True)


codes = {}
with open(registry, newline="") as f:
    for row in csv.DictReader(f):
        if "-" in row["Value"] or row["Description"] == "Unassigned":
            continue
        codes[int(row["Value"])] = row["Description"]

CLASSES = {1: "informational", 2: "successful", 3: "redirection",
           4: "client-error", 5: "server-error"}
# RFC 9110, Sections 15.1 and 15.4; RFC 7725, Section 3 (451)
HEURISTIC = {200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 451, 501}
REDIRECT = {301, 302, 303, 307, 308}
PERMANENT = {301, 308}
PRESERVES = {307, 308}
PROSE = ["summary", "meaning", "guarantees", "not_guaranteed", "use_when",
         "browsers", "api_clients", "crawlers", "monitors", "cdns",
         "may_assume", "must_not_assume", "retry_notes", "debugging",
         "history"]

p = run("--json", "--all")
check(p.returncode == 0, f"--json --all exit {p.returncode}")
cards = json.loads(p.stdout)
check(isinstance(cards, list), "--json --all is not an array")
by_code = {c["code"]: c for c in cards}
check(sorted(by_code) == sorted(codes), "codes differ from the registry: "
      f"{sorted(set(by_code) ^ set(codes))}")
for code, reason in codes.items():
    c = by_code.get(code)
    if not c:
        continue
    check(c["reason"] == reason, f"{code} reason {c['reason']!r}")
    check(c["class"] == CLASSES[code // 100], f"{code} class")
    check(c["registered"] is True, f"{code} registered")
    check(isinstance(c["spec"], str) and c["spec"], f"{code} spec")
    check(c["cacheable_by_default"] == (code in HEURISTIC), f"{code} cacheable")
    check(c["redirect"] == (code in REDIRECT), f"{code} redirect")
    check(c["permanent"] == (code in PERMANENT), f"{code} permanent")
    check(c["preserves_method"] == (code in PRESERVES), f"{code} preserves")
    for key in PROSE:
        check(isinstance(c[key], str) and (len(c[key]) > 10) == prose,
              f"{code} {key}")
    for key in ("misuses", "headers", "faq", "frameworks"):
        check(isinstance(c[key], list) and bool(c[key]) == prose,
              f"{code} {key}")
    if prose:
        check([f["framework"] for f in c["frameworks"]] ==
              ["Express", "Django", "Spring", "FastAPI", "Go net/http",
               "nginx", "Apache"], f"{code} frameworks")

one = json.loads(run("--json", "308").stdout)
check(one == by_code[308], "--json 308 differs from its --all entry")
fallback = json.loads(run("--json", "399").stdout)
check(fallback["code"] == 399 and fallback["registered"] is False and
      fallback["treated_as"] == 300 and fallback["class"] == "redirection" and
      fallback["cacheable_by_default"] is False, "399 fallback")

for bad in ("99", "600", "abc", "-1", "1000", ""):
    p = run(bad)
    check(p.returncode == 2 and "redir-status:" in p.stderr,
          f"{bad!r}: exit {p.returncode}, stderr {p.stderr!r}")
    p = run("--json", bad)
    check(p.returncode == 2 and p.stdout == "", f"--json {bad!r}")
p = run("307")
check(p.returncode == 0 and p.stdout.startswith("307 Temporary Redirect\n"),
      "card header")
if prose:
    # every line of prose fits 80 columns (code snippets keep their own lines)
    text = p.stdout.split("\nHow servers send it\n")[0]
    wide = [l for l in text.splitlines() if len(l) > 80]
    check(not wide, f"lines over 80 columns: {wide[:2]}")

for f in failures:
    print("FAIL:", f)
print(f"{len(codes)} codes checked, {len(failures)} failures")
sys.exit(1 if failures else 0)
