#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the build into a scratch DESTDIR and builds tests/consumer/main.c
# against it through pkg-config, shared and static, then runs both.
#   consumer.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson install -C "$build" --no-rebuild --quiet --destdir "$tmp/root" >/dev/null
pc=$(find "$tmp/root" -name redir.pc | head -n 1)
[ -n "$pc" ] || { echo "redir.pc was not installed"; exit 1; }
export PKG_CONFIG_PATH="$(dirname "$pc")"
export PKG_CONFIG_SYSROOT_DIR="$tmp/root"
cc=${CC:-cc}
libdir=$(dirname "$(dirname "$pc")")

# shared
# shellcheck disable=SC2046
$cc -std=c99 -Wall -Werror -o "$tmp/shared" "$src/tests/consumer/main.c" \
    $(pkg-config --cflags --libs redir)
LD_LIBRARY_PATH="$libdir" "$tmp/shared"
if ldd "$tmp/shared" | grep -q 'libredir.so'; then :; else
    echo "the shared consumer is not linked to libredir.so"; exit 1
fi

# static
if [ -f "$libdir/libredir.a" ]; then
    # shellcheck disable=SC2046
    $cc -std=c99 -Wall -Werror -static -o "$tmp/static" \
        "$src/tests/consumer/main.c" $(pkg-config --static --cflags --libs redir)
    "$tmp/static"
else
    echo "no static library installed (default_library=shared): skipped"
fi
echo "consumer: ok"
