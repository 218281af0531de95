#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turn lib/status/*.txt into the const C tables of the status knowledge base.

    gen-status.py --check FILE...            validate only
    gen-status.py [--no-prose] -o OUT.c FILE...

The format is described in lib/status/README.md. Every fact about a status
code lives in those files; this script only checks and transcribes them.
"""
import argparse
import re
import sys

FLAGS = [
    # name in the data files, C constant suffix
    ("interim", "INTERIM"),
    ("no-body", "NO_BODY"),
    ("empty-content", "EMPTY_CONTENT"),
    ("heuristically-cacheable", "HEURISTIC_CACHEABLE"),
    ("redirect", "REDIRECT"),
    ("permanent", "PERMANENT"),
    ("temporary", "TEMPORARY"),
    ("preserves-method", "PRESERVES_METHOD"),
    ("may-rewrite-post", "MAY_REWRITE_POST"),
    ("forces-get", "FORCES_GET"),
    ("needs-location", "NEEDS_LOCATION"),
    ("deprecated", "DEPRECATED"),
    ("unused", "UNUSED"),
    ("obsoleted", "OBSOLETED"),
    ("provisional", "PROVISIONAL"),
]
RETRY = ["not-applicable", "never", "after-fix", "after-retry-after",
         "backoff", "idempotent-only", "new-connection"]
MONITOR = ["interim", "up", "follow", "check-config", "missing",
           "rate-limited", "down"]
FACTS = ["reason", "spec", "flags", "retry", "monitor", "related"]
PROSE = ["summary", "meaning", "guarantees", "not-guaranteed", "use-when",
         "browsers", "api-clients", "crawlers", "monitors", "cdns",
         "may-assume", "must-not-assume", "retry-notes", "debugging",
         "history"]
PAIRS = [("misuse", "consequence"), ("header", "without"), ("faq", "answer")]
FRAMEWORKS = ["Express", "Django", "Spring", "FastAPI", "Go net/http",
              "nginx", "Apache"]
LIST_KEYS = {"misuse", "consequence", "header", "without", "faq", "answer",
             "framework", "snippet", "note"}
FALLBACK_OPTIONAL = {"history"}


class DataError(Exception):
    pass


def parse(path):
    """Yield records: dict with 'code', 'where', scalar keys, and 'items'."""
    records = []
    rec = None
    last = None  # (container, key) receiving continuation lines
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            where = f"{path}:{n}"
            if line.rstrip() != line:
                raise DataError(f"{where}: trailing white space")
            if not line or line.startswith("#"):
                continue
            if line.startswith("== "):
                code = line[3:].strip()
                if not re.fullmatch(r"[1-5](xx|\d\d)", code):
                    raise DataError(f"{where}: bad record header {line!r}")
                rec = {"code": code, "where": where, "items": []}
                records.append(rec)
                last = None
                continue
            if rec is None:
                raise DataError(f"{where}: text before the first record")
            if line.startswith("  "):
                if last is None:
                    raise DataError(f"{where}: continuation with nothing to continue")
                box, key = last
                text = line[2:]
                if key == "snippet":
                    box[key] += "\n" + text
                else:
                    box[key] += " " + text.strip()
                continue
            m = re.fullmatch(r"([a-z-]+):(?: (.*))?", line)
            if not m:
                raise DataError(f"{where}: expected 'key: value', got {line!r}")
            key, value = m.group(1), (m.group(2) or "")
            if key in LIST_KEYS:
                rec["items"].append((key, value, where))
                # continuation goes into the item: keep a mutable box
                box = {key: value}
                rec["items"][-1] = [key, box, where]
                last = (box, key)
            else:
                if key not in FACTS and key not in PROSE:
                    raise DataError(f"{where}: unknown key {key!r}")
                if key in rec:
                    raise DataError(f"{where}: {key!r} given twice")
                rec[key] = value
                last = (rec, key)
    for rec in records:
        rec["items"] = [(k, box[k], w) for k, box, w in rec["items"]]
    return records


def check_record(rec, registered_codes):
    where = rec["where"]
    fallback = rec["code"].endswith("xx")
    errors = []
    for key in FACTS:
        if key not in rec:
            errors.append(f"{where}: {rec['code']} lacks {key!r}")
    flags = rec.get("flags", "").split()
    known = {name for name, _ in FLAGS}
    for fl in flags:
        if fl not in known:
            errors.append(f"{where}: unknown flag {fl!r}")
    if rec.get("retry") not in RETRY:
        errors.append(f"{where}: bad retry {rec.get('retry')!r}")
    if rec.get("monitor") not in MONITOR:
        errors.append(f"{where}: bad monitor {rec.get('monitor')!r}")
    for r in rec.get("related", "").split():
        if r not in registered_codes:
            errors.append(f"{where}: related code {r} is not registered")
    for key in PROSE:
        if fallback and key in FALLBACK_OPTIONAL:
            continue
        if not rec.get(key, "").strip():
            errors.append(f"{where}: {rec['code']} lacks prose {key!r}")
    if len(rec.get("summary", "")) > 70:
        errors.append(f"{where}: summary longer than 70 characters")
    # list items: pairs in order
    items = rec["items"]
    i = 0
    counts = {}
    frameworks = []
    while i < len(items):
        key, value, w = items[i]
        if not value.strip():
            errors.append(f"{w}: empty {key!r}")
        pair = next((p for p in PAIRS if p[0] == key), None)
        if pair:
            if i + 1 >= len(items) or items[i + 1][0] != pair[1]:
                errors.append(f"{w}: {key!r} must be followed by {pair[1]!r}")
                i += 1
                continue
            if not items[i + 1][1].strip():
                errors.append(f"{items[i + 1][2]}: empty {pair[1]!r}")
            counts[key] = counts.get(key, 0) + 1
            i += 2
            continue
        if key == "framework":
            if i + 1 >= len(items) or items[i + 1][0] != "snippet":
                errors.append(f"{w}: 'framework' must be followed by 'snippet'")
                i += 1
                continue
            frameworks.append(value)
            i += 2
            if i < len(items) and items[i][0] == "note":
                i += 1
            continue
        errors.append(f"{w}: {key!r} out of place")
        i += 1
    for first, _ in PAIRS:
        if counts.get(first, 0) < 1:
            errors.append(f"{where}: {rec['code']} needs at least one {first!r} item")
    if not fallback and frameworks != FRAMEWORKS:
        errors.append(f"{where}: {rec['code']} frameworks must be exactly "
                      f"{FRAMEWORKS}, got {frameworks}")
    if fallback and frameworks:
        errors.append(f"{where}: a class fallback takes no framework items")
    return errors


SENTENCE = re.compile(r"[^.!?]+[.!?]")


def sentences(rec):
    texts = [rec.get(k, "") for k in PROSE]
    texts += [v for k, v, _ in rec["items"] if k not in ("framework", "snippet", "header")]
    for t in texts:
        for s in SENTENCE.findall(t):
            s = " ".join(s.split())
            if len(s) >= 50:
                yield s


def check_all(records):
    errors = []
    seen = {}
    registered = {r["code"] for r in records if not r["code"].endswith("xx")}
    for rec in records:
        if rec["code"] in seen:
            errors.append(f"{rec['where']}: {rec['code']} defined twice")
        seen[rec["code"]] = rec
        errors += check_record(rec, registered)
    for c in "12345":
        if f"{c}xx" not in seen:
            errors.append(f"no fallback record '== {c}xx'")
    owner = {}
    for rec in records:
        for s in set(sentences(rec)):
            if s in owner and owner[s] != rec["code"]:
                errors.append(f"{rec['where']}: sentence repeated from {owner[s]}: {s!r}")
            owner.setdefault(s, rec["code"])
    return errors


def cstr(s):
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "?":
            out.append("\\?")  # no trigraphs
        elif 32 <= o < 127:
            out.append(ch)
        else:
            for b in ch.encode("utf-8"):
                out.append('\\%03o' % b)
    out.append('"')
    return "".join(out)


def emit(records, prose, out):
    recs = sorted(records, key=lambda r: (r["code"][0], r["code"].endswith("xx") is False, r["code"]))
    registered = [r for r in recs if not r["code"].endswith("xx")]
    fallbacks = [r for r in recs if r["code"].endswith("xx")]
    registered.sort(key=lambda r: int(r["code"]))
    fallbacks.sort(key=lambda r: r["code"])
    order = registered + fallbacks
    w = out.write
    w("/* SPDX-License-Identifier: MIT */\n")
    w("/* Generated by tools/gen-status.py from lib/status/NXX.txt. Do not edit. */\n")
    w('#include "status_data.h"\n\n')

    def p(s):
        return cstr(s) if prose else '""'

    for idx, rec in enumerate(order):
        name = f"s{rec['code']}"
        rel = [int(x) for x in rec["related"].split()]
        w(f"static const short {name}_related[] = {{ {', '.join(map(str, rel)) or '0'} }};\n")
        if not prose:
            continue
        items = rec["items"]
        for first, second in PAIRS:
            pairs = [(items[i][1], items[i + 1][1]) for i in range(len(items) - 1)
                     if items[i][0] == first and items[i + 1][0] == second]
            if not pairs:
                continue
            w(f"static const redir_status_note {name}_{first}[] = {{\n")
            for a, b in pairs:
                w(f"    {{ {cstr(a)}, {cstr(b)} }},\n")
            w("};\n")
        fw = []
        i = 0
        while i < len(items):
            if items[i][0] == "framework":
                note = items[i + 2][1] if i + 2 < len(items) and items[i + 2][0] == "note" else ""
                fw.append((items[i][1], items[i + 1][1], note))
            i += 1
        if fw:
            w(f"static const redir_status_snippet {name}_fw[] = {{\n")
            for a, b, c in fw:
                w(f"    {{ {cstr(a)}, {cstr(b)}, {cstr(c)} }},\n")
            w("};\n")
    w("\n")
    w("const redir_status redir_status_table[] = {\n")
    for rec in order:
        name = f"s{rec['code']}"
        fallback = rec["code"].endswith("xx")
        klass = int(rec["code"][0])
        code = 0 if fallback else int(rec["code"])
        flagbits = " | ".join(f"REDIR_SF_{c}" for n, c in FLAGS
                              if n in rec["flags"].split()) or "0"
        field = lambda k: k.replace("-", "_")
        w("    {\n")
        w(f"        .code = {code}, .treated_as = {klass * 100 if fallback else code},\n")
        w(f"        .registered = {'false' if fallback else 'true'},\n")
        w(f"        .status_class = (redir_status_class){klass},\n")
        w(f"        .reason = {cstr(rec['reason'])},\n")
        w(f"        .spec = {cstr(rec['spec'])},\n")
        w(f"        .flags = {flagbits},\n")
        w(f"        .retry = REDIR_RETRY_{field(rec['retry']).upper()},\n")
        w(f"        .monitor = REDIR_MONITOR_{field(rec['monitor']).upper()},\n")
        w(f"        .related = {name}_related, .related_count = {len(rec['related'].split())},\n")
        for key in PROSE:
            w(f"        .{field(key)} = {p(rec.get(key, ''))},\n")
        if prose:
            for first, _ in PAIRS:
                n = sum(1 for i in range(len(rec['items']) - 1)
                        if rec['items'][i][0] == first)
                plural = {"misuse": "misuses", "header": "headers", "faq": "faq"}[first]
                if n:
                    w(f"        .{plural} = {name}_{first}, .{first}_count = {n},\n")
            nfw = sum(1 for k, _, _ in rec["items"] if k == "framework")
            if nfw:
                w(f"        .frameworks = {name}_fw, .framework_count = {nfw},\n")
        w("    },\n")
    w("};\n\n")
    w(f"const size_t redir_status_registered_count = {len(registered)};\n\n")
    # index: code - 100 -> table position; unregistered codes -> class fallback
    pos = {r["code"]: i for i, r in enumerate(order)}
    w("const unsigned char redir_status_index[500] = {\n")
    cells = []
    for code in range(100, 600):
        c = str(code)
        cells.append(str(pos[c] if c in pos else pos[f"{c[0]}xx"]))
    for i in range(0, 500, 20):
        w("    " + ", ".join(cells[i:i + 20]) + ",\n")
    w("};\n")
    if len(order) > 255:
        raise DataError("too many records for an unsigned char index")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="validate only")
    ap.add_argument("--no-prose", action="store_true", help="leave the prose out")
    ap.add_argument("--draft", action="store_true",
                    help="write the tables even if prose is missing (development only)")
    ap.add_argument("--only", help="check only records whose code starts with this (e.g. 3)")
    ap.add_argument("-o", "--output")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    try:
        records = []
        for path in a.files:
            records += parse(path)
        errors = check_all(records)
        if a.only:
            errors = [e for e in errors if re.search(r"/%sxx[^/]*\.txt:" % re.escape(a.only[0]), e)]
    except DataError as e:
        errors = [str(e)]
    if errors and a.draft and not a.check:
        errors = []
    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        print(f"{len(errors)} problem(s)", file=sys.stderr)
        return 1
    if a.check:
        n = sum(1 for r in records if not r["code"].endswith("xx"))
        print(f"ok: {n} registered codes, {len(records) - n} class fallbacks")
        return 0
    if not a.output:
        ap.error("-o is required unless --check")
    with open(a.output, "w", encoding="utf-8") as out:
        emit(records, not a.no_prose, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
