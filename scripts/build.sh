#!/usr/bin/env bash
# Build tdxsim, installing missing Debian packages first.
#   scripts/build.sh run    Release build of the tdxsim program alone (no tests,
#                           benchmarks or fuzzers), then the main job on the
#                           default platform
#   scripts/build.sh test   Debug build (+ invariant checks) and ASan+UBSan build, whole suite on each
#   scripts/build.sh tsan   ThreadSanitizer build and suite
#   scripts/build.sh build  Release build only
# TDXSIM_BUILD_DRY_RUN=1 prints the build and run commands instead of
# running them (and installs nothing): the suite checks what `run` builds.
set -euo pipefail
cd "$(dirname "$0")/.."
dry=${TDXSIM_BUILD_DRY_RUN:-}

mode=${1:-build}
jobs=$(nproc 2>/dev/null || echo 2)

install_deps() {
	local need=(cmake ninja-build gcc pkg-config libcmocka-dev libjansson-dev libssl-dev python3 xz-utils linux-source-6.12)
	local missing=() p sudo=
	for p in "${need[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	echo "tdxsim: installing ${missing[*]}" >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

do_() {     # do_ CMD...: run it, or only say it (on stderr) under TDXSIM_BUILD_DRY_RUN
	if [ -n "$dry" ]; then echo "$*" >&2; else "$@"; fi
}

build() {   # build DIR [--target T] CMAKE_ARGS...: all targets, or T and what it needs
	local dir=$1 target=(); shift
	if [ "${1:-}" = --target ]; then target=(--target "$2"); shift 2; fi
	do_ cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
	do_ cmake --build "$dir" -j "$jobs" "${target[@]}"
}

suite() {   # suite DIR
	do_ ctest --test-dir "$1" --output-on-failure -j "$jobs"
}

[ -n "$dry" ] || install_deps
case "$mode" in
build) build build-rel -DCMAKE_BUILD_TYPE=Release ;;
run)   build build-rel --target tdxsim_cli -DCMAKE_BUILD_TYPE=Release
       do_ ./build-rel/src/tdxsim run hello ;;
test)  build build -DCMAKE_BUILD_TYPE=Debug
       suite build
       build build-asan -DCMAKE_BUILD_TYPE=Debug -DTDXSIM_SANITIZE=address
       suite build-asan ;;
tsan)  build build-tsan -DCMAKE_BUILD_TYPE=Debug -DTDXSIM_SANITIZE=thread
       suite build-tsan ;;
*)     echo "usage: scripts/build.sh [build|run|test|tsan]" >&2; exit 2 ;;
esac
