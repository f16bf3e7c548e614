#!/usr/bin/env bash
# Installs the build into a scratch prefix and builds an example against it
# with pkg-config only, then runs it.
set -euo pipefail
build=$1 src=$2 extra=${3:-}   # extra: the build's sanitizer flags
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/x86_64-linux-gnu/pkgconfig"
cc -std=gnu17 -Wall -Wextra -Werror $extra $(pkg-config --cflags tdxsim) "$src" \
   $(pkg-config --static --libs tdxsim) -o "$prefix/host_hello"
"$prefix/host_hello"
