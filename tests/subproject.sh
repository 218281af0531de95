#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds tests/subproject, a project that takes redir through
#     dependency('redir', fallback: ['redir', 'redir_dep'])
# with the source tree linked in as subprojects/redir, in a scratch
# directory, and runs its program: once as an embedder would configure it
# (the dependency's default_options: static, no tests, examples or manual
# pages) and once with redir's defaults.
#   subproject.sh SOURCE_DIR
set -eu
src=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R "$src/tests/subproject" "$tmp/consumer"
mkdir "$tmp/consumer/subprojects"
ln -s "$src" "$tmp/consumer/subprojects/redir"

run() {
    name=$1
    shift
    echo "== $name: meson setup $*"
    # --force-fallback-for: use the subproject even when an installed
    # redir.pc would satisfy dependency('redir').
    if ! meson setup "$tmp/$name" "$tmp/consumer" \
            --force-fallback-for=redir "$@" >"$tmp/$name.log" 2>&1; then
        cat "$tmp/$name.log"
        exit 1
    fi
    grep -q "Subproject redir finished" "$tmp/$name.log" || {
        cat "$tmp/$name.log"; echo "redir was not built as a subproject"
        exit 1; }
    ninja -C "$tmp/$name" >"$tmp/$name.build.log" 2>&1 || {
        cat "$tmp/$name.build.log"; exit 1; }
    meson test -C "$tmp/$name" --no-rebuild --print-errorlogs \
        --suite redir-consumer
}

run embedded -Dembedded=true
if [ -e "$tmp/embedded/subprojects/redir/lib/libredir.so" ]; then
    echo "default_options did not reach the subproject"; exit 1
fi
run defaults
echo "subproject: ok"
