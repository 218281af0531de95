#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Builds one manual page: scdoc with the project's version filled in.

    scdoc.py SCDOC VERSION INPUT.scd OUTPUT

@VERSION@ in the page's preamble becomes VERSION. After scdoc, ".nh" is
repeated after ".TH": scdoc turns hyphenation off before .TH, and the man
macros turn it back on there, which splits identifiers such as
redir_header_action_for at the end of a line.
"""
import subprocess
import sys


def main(scdoc, version, src, dst):
    text = open(src, encoding="utf-8").read().replace("@VERSION@", version)
    p = subprocess.run([scdoc], input=text.encode("utf-8"),
                       capture_output=True)
    if p.returncode != 0:
        sys.stderr.write("%s: %s" % (src, p.stderr.decode("utf-8", "replace")))
        return 1
    out = []
    for line in p.stdout.decode("utf-8").splitlines(keepends=True):
        out.append(line)
        if line.startswith(".TH "):
            out.append(".nh\n")
    with open(dst, "w", encoding="utf-8") as f:
        f.write("".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
