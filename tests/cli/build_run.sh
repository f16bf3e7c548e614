#!/bin/sh
# The README's set-up contract: exactly two commands, `./scripts/build.sh
# run` and `./scripts/build.sh test`; and `run` builds the tdxsim program
# and what it links, not the tests, benchmarks, fuzzers or examples.
# usage: build_run.sh SOURCE_DIR BUILD_DIR NINJA   (BUILD_DIR: a Ninja build)
set -u
src=$1 build=$2 ninja=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# The set-up section's commands (indented code lines).
sed -n '/^## Set up/,/^## /p' "$src/README.md" | sed -n 's/^    //p' > "$tmp/setup"
printf './scripts/build.sh run\n./scripts/build.sh test\n' | cmp -s - "$tmp/setup" ||
	fail "README's set-up commands: $(cat "$tmp/setup")"

# What `run` would do, without doing it.
(cd "$src" && TDXSIM_BUILD_DRY_RUN=1 bash scripts/build.sh run) > "$tmp/run" 2>&1 ||
	fail "build.sh run (dry): $(cat "$tmp/run")"
grep '^cmake --build' "$tmp/run" > "$tmp/builds"
[ "$(wc -l < "$tmp/builds")" -eq 1 ] && grep -q -- ' --target tdxsim_cli$' "$tmp/builds" ||
	fail "build.sh run builds more than tdxsim_cli: $(cat "$tmp/run")"
[ "$(tail -n 1 "$tmp/run")" = "./build-rel/src/tdxsim run hello" ] || fail "the main job: $(cat "$tmp/run")"
(cd "$src" && TDXSIM_BUILD_DRY_RUN=1 bash scripts/build.sh test) > "$tmp/test" 2>&1
grep -q -- '--target' "$tmp/test" && fail "build.sh test builds one target only: $(cat "$tmp/test")"

# That target's closure in this build: only src/, and less than everything.
"$ninja" -C "$build" -t commands tdxsim_cli > "$tmp/cmds" || fail "ninja -t commands"
grep -q 'src/cli/main\.c' "$tmp/cmds" && grep -q 'src/module/' "$tmp/cmds" ||
	fail "tdxsim_cli's commands lack the program's own sources"
grep -E '/(tests|bench|fuzz|examples)/' "$tmp/cmds" | head -3 > "$tmp/extra"
[ -s "$tmp/extra" ] && fail "tdxsim_cli needs more than the program: $(cat "$tmp/extra")"
all=$("$ninja" -C "$build" -t commands all | wc -l)
[ "$(wc -l < "$tmp/cmds")" -lt "$all" ] || fail "tdxsim_cli is everything ($all commands)"

[ "$fails" = 0 ] && echo "build_run: ok"
exit "$fails"
