#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The generated parts of README.md are what the programs print.

    check-readme.py README.md COMPAT_TABLE [TOUR] [--update]

The compatibility table between the compat markers must equal the output of
tools/compat-table; with --update the README is rewritten. When TOUR (the
built examples/tour.c) is given, its output must appear in the README.
"""
import subprocess
import sys

args = [a for a in sys.argv[1:] if a != "--update"]
update = "--update" in sys.argv
readme, table = args[0], args[1]
tour = args[2] if len(args) > 2 else None
text = open(readme, encoding="utf-8").read()
generated = subprocess.run([table], capture_output=True, text=True,
                           check=True).stdout
begin = text.find("<!-- compat:begin")
end = text.find("<!-- compat:end -->")
if begin < 0 or end < 0:
    print("README.md has no compat markers")
    sys.exit(1)
end += len("<!-- compat:end -->\n")
current = text[begin:end]
failures = 0
if current != generated:
    if update:
        open(readme, "w", encoding="utf-8").write(text[:begin] + generated + text[end:])
        print("README.md: compatibility table updated")
    else:
        print("README.md: the compatibility table is not what tools/compat-table "
              "prints; run this script with --update")
        failures += 1
if tour:
    out = subprocess.run([tour], capture_output=True, text=True, check=True).stdout
    if out not in text:
        print("README.md does not show the tour's output:\n" + out)
        failures += 1
print("README generated sections:", "ok" if not failures else "out of date")
sys.exit(1 if failures else 0)
