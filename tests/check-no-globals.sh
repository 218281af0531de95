#!/bin/sh
# SPDX-License-Identifier: MIT
# No global mutable state: every object of the static library has empty
# .data and .bss sections (const tables live in .rodata and .data.rel.ro).
#   check-no-globals.sh libredir.a
set -eu
lib=$(readlink -f "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
ar x "$lib"
bad=0
for o in *.o; do
    # "[ 3] .data  PROGBITS  addr  off  SIZE ..." (exact names only)
    readelf -S -W "$o" | awk -v o="$o" '
        { for (i = 1; i <= NF; i++) if ($i == ".data" || $i == ".bss") {
              size = $(i + 4)
              if (size !~ /^0+$/) { print o ": " $i " is " size " bytes"; bad = 1 }
          } }
        END { exit bad }' || bad=1
done
[ "$bad" = 0 ] && echo "no writable globals in $(ls *.o | wc -l) objects"
exit "$bad"
