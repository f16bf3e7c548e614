#!/usr/bin/env bash
# Long fuzzing with clang's libFuzzer (docs/fuzzing.md).
#   scripts/fuzz.sh list                      the targets
#   scripts/fuzz.sh TARGET [SECONDS] [ARGS]   fuzz one target (default 60 s)
#   scripts/fuzz.sh all [SECONDS]             each target in turn
# Builds build-fuzz/ (clang, -DTDXSIM_FUZZ=ON: libFuzzer + ASan + UBSan)
# as needed. New inputs go to build-fuzz/corpus/TARGET (the seeds in
# fuzz/corpus/TARGET are read, never written); crashes, leaks and
# timeouts to build-fuzz/artifacts/TARGET/. ARGS go to libFuzzer
# (-max_len=65536, -jobs=2, ...).
set -euo pipefail
cd "$(dirname "$0")/.."

targets() {
	sed -n 's/^  "\([a-z0-9_]*\)|.*/\1/p' fuzz/CMakeLists.txt
}

configure() {
	command -v clang >/dev/null || { echo "fuzz.sh: needs clang (apt-get install clang)" >&2; exit 2; }
	[ -f build-fuzz/build.ninja ] && return 0
	CC=clang cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug \
		-DTDXSIM_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
}

fuzz_one() {   # fuzz_one TARGET SECONDS ARGS...
	local t=$1 secs=$2
	shift 2
	targets | grep -qx "$t" || { echo "fuzz.sh: no target '$t' (scripts/fuzz.sh list)" >&2; exit 2; }
	configure
	cmake --build build-fuzz --target "fuzz_$t" >/dev/null
	mkdir -p "build-fuzz/corpus/$t" "build-fuzz/artifacts/$t"
	echo "fuzz.sh: fuzz_$t for ${secs} s" >&2
	"build-fuzz/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$t/" "$@" \
		"build-fuzz/corpus/$t" "fuzz/corpus/$t"
}

case "${1:-}" in
list) targets ;;
all)  for t in $(targets); do fuzz_one "$t" "${2:-60}"; done ;;
""|-h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 2 ;;
*)    t=$1; secs=${2:-60}; shift; [ $# -gt 0 ] && shift
      fuzz_one "$t" "$secs" "$@" ;;
esac
