#!/bin/sh
# SPDX-License-Identifier: MIT
# The public header compiles as C++11 without a warning, with g++ and with
# clang++ when they are installed; with a shared library given, the program
# is also linked against it and run.
#   check-cxx.sh SOURCE_INCLUDE_DIR BUILD_INCLUDE_DIR [LIBREDIR.so]
set -eu
src_inc=$1
build_inc=$2
lib=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
found=0
seen=" "
for cxx in ${CXX:-} g++ clang++; do
    command -v "$cxx" >/dev/null 2>&1 || continue
    case $seen in *" $cxx "*) continue ;; esac
    seen="$seen$cxx "
    found=1
    echo "== $cxx -std=c++11 -pedantic -Wall -Wextra -Werror"
    "$cxx" -std=c++11 -pedantic -Wall -Wextra -Werror \
        -I"$src_inc" -I"$build_inc" -c "$here/cxx-header.cpp" -o "$tmp/t.o"
    if [ -n "$lib" ]; then
        "$cxx" -o "$tmp/t" "$tmp/t.o" "$lib"
        LD_LIBRARY_PATH=$(dirname "$lib") "$tmp/t"
    fi
done
if [ "$found" = 0 ]; then
    echo "no C++ compiler (g++, clang++): skipped"
    exit 77
fi
echo "C++: ok"
