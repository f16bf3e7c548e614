#!/usr/bin/env bash
# Installs the build into a scratch prefix and builds an example against it
# with pkg-config only, as a user would, then runs it: once with the plain
# `pkg-config --libs` (what most build systems ask for) and once with
# `--static --libs`. Both must link and run.
set -euo pipefail
build=$1 src=$2 extra=${3:-}   # extra: the build's sanitizer flags
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/x86_64-linux-gnu/pkgconfig"
for how in "" "--static"; do
	out="$prefix/host_hello${how:+-static}"
	# shellcheck disable=SC2046,SC2086  # pkg-config's flags are words
	cc -std=gnu17 -Wall -Wextra -Werror $extra $(pkg-config --cflags tdxsim) "$src" \
	   $(pkg-config $how --libs tdxsim) -o "$out" ||
		{ echo "FAIL: linking with pkg-config $how --libs tdxsim" >&2; exit 1; }
	"$out" || { echo "FAIL: the program linked with pkg-config $how --libs did not run" >&2; exit 1; }
done
echo "pkg-config --libs and --static --libs both link and run"
