#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every REDIR_API function of include/redir.h is called in test-alloc.c.

    check-alloc-coverage.py include/redir.h tests/test-alloc.c
"""
import re
import sys

header = open(sys.argv[1]).read()
test = open(sys.argv[2]).read()
names = re.findall(r"REDIR_API\s+[^;(]*?\b(redir_\w+)\s*\(", header)
missing = [n for n in names if not re.search(r"NO_ALLOC\(\s*" + n + r"\(", test)]
print(f"{len(names)} public functions, {len(missing)} not checked for allocation")
for n in missing:
    print("  not called in NO_ALLOC():", n)
sys.exit(1 if missing or not names else 0)
