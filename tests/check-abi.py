#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ABI checks of libredir.

    check-abi.py soname LIBREDIR.so EXPECTED_SONAME
        The shared library's DT_SONAME (readelf -d) is EXPECTED_SONAME.

    check-abi.py exports LIBREDIR.so HEADER
        `nm -D --defined-only` lists exactly the REDIR_API functions of the
        header: nothing without the redir_ prefix, no internal symbol, none
        missing.

    check-abi.py version-script LIBREDIR.so NODE
        lib/redir.map is applied: the library defines the version node NODE
        and every exported function carries it (redir_decide@@REDIR_0).

    check-abi.py structs HEADER
        Every public struct either starts with a `size_t size` member (it
        may grow; the caller says how much of it it knows) or says in its
        comment that its size is fixed for the soname (or that callers never
        allocate it). Structs in PENDING are reported but do not fail yet.

Exit status 0 when the check holds, 1 otherwise, 77 (skipped) when a tool
is missing.
"""
import re
import shutil
import subprocess
import sys


def tool(name):
    path = shutil.which(name)
    if not path:
        print("%s is not installed: skipped" % name)
        sys.exit(77)
    return path


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True,
                          text=True).stdout


def header_functions(path):
    text = open(path).read()
    return set(re.findall(r"^REDIR_API\s+[^;(]*?\b(redir_\w+)\s*\(", text,
                          re.M))


def soname(lib, expected):
    out = run(tool("readelf"), "-d", lib)
    m = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", out)
    got = m.group(1) if m else None
    print("soname: %s (expected %s)" % (got, expected))
    return 0 if got == expected else 1


def exports(lib, header):
    out = run(tool("nm"), "-D", "--defined-only", lib)
    symbols = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        kind, name = parts[-2], parts[-1].split("@")[0]
        if kind in ("A",):  # the version node itself (REDIR_0)
            continue
        symbols[name] = kind
    public = header_functions(header)
    errors = []
    for name in sorted(symbols):
        if not name.startswith("redir_"):
            errors.append("exported without the redir_ prefix: %s" % name)
        elif name not in public:
            errors.append("exported but not REDIR_API in redir.h: %s" % name)
        elif symbols[name] not in ("T", "W"):
            errors.append("%s is exported as %s, not as a function"
                          % (name, symbols[name]))
    for name in sorted(public - set(symbols)):
        errors.append("declared REDIR_API but not exported: %s" % name)
    print("%d symbols exported, %d REDIR_API functions in the header"
          % (len(symbols), len(public)))
    for e in errors:
        print("FAIL", e)
    return 1 if errors or not symbols else 0


def version_script(lib, node):
    defs = run(tool("readelf"), "-V", "-W", lib)
    if not re.search(r"Name: %s\b" % re.escape(node), defs):
        print("FAIL no version definition %s: lib/redir.map was not applied"
              % node)
        return 1
    out = run(tool("readelf"), "--dyn-syms", "-W", lib)
    errors = []
    count = 0
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 8 or parts[3] != "FUNC" or parts[6] == "UND":
            continue
        count += 1
        if not parts[7].endswith("@@" + node):
            errors.append("%s has no version %s" % (parts[7], node))
    print("%d exported functions carry version %s" % (count - len(errors),
                                                      node))
    for e in errors:
        print("FAIL", e)
    return 1 if errors or not count else 0


# Public structs whose comment does not yet say whether their size is fixed
# for the soname. A caller compiles their size into its own code (it
# allocates them, fills arrays of them, or indexes the library's arrays of
# them), so each needs "fixed for soname 0" in its comment (or a size
# member); the lead engineer decides and then removes it from this list.
PENDING = set()

FIXED = re.compile(r"fixed for (?:the life of )?soname|keeps its size|"
                   r"size is fixed|layout is fixed|fixed-size|fixed size|"
                   r"never allocate", re.I)


def structs(header):
    text = open(header).read()
    errors = []
    pending = []
    count = 0
    for m in re.finditer(r"((?:/\*\*(?:(?!\*/).)*\*/\s*)?)"
                         r"typedef struct (\w+) \{(.*?)\} \2;", text, re.S):
        comment, name, body = m.group(1), m.group(2), m.group(3)
        count += 1
        body = re.sub(r"/\*.*?\*/", " ", body, flags=re.S)
        first = body.strip().split(";")[0].split()
        if first == ["size_t", "size"]:
            how = "grows: size member"
        elif FIXED.search(" ".join(re.sub(r"(?m)^\s*\*+|/\*\*|\*/", " ",
                                          comment).split())):
            how = "fixed: says so"
        elif name in PENDING:
            pending.append(name)
            continue
        else:
            errors.append("%s: neither a size member nor a comment saying "
                          "its size is fixed for the soname" % name)
            continue
        print("ok   %-24s %s" % (name, how))
    for name in pending:
        print("TODO %-24s no size member and no word on its size (pending "
              "the lead engineer)" % name)
    for name in sorted(PENDING):
        if not re.search(r"typedef struct %s \{" % name, text):
            errors.append("%s is in PENDING but not in the header" % name)
    for e in errors:
        print("FAIL", e)
    print("%d structs, %d pending" % (count, len(pending)))
    return 1 if errors or not count else 0


def main(argv):
    mode = argv[1] if len(argv) > 1 else ""
    if mode == "soname" and len(argv) == 4:
        return soname(argv[2], argv[3])
    if mode == "exports" and len(argv) == 4:
        return exports(argv[2], argv[3])
    if mode == "version-script" and len(argv) == 4:
        return version_script(argv[2], argv[3])
    if mode == "structs" and len(argv) == 3:
        return structs(argv[2])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
