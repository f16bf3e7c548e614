#!/bin/sh
# The docs say what the program does: the README's synopsis is exactly
# `tdxsim --help`; docs/platform.md's example boots as written (and its
# lp_overrides fragment fails the way the text says).
# usage: cli_docs.sh TDXSIM SOURCE_DIR
set -u
tdxsim=$1 src=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# README.md: the fenced block that starts "usage: tdxsim COMMAND".
python3 - "$src/README.md" > "$tmp/readme-help" <<'PY' || fail "README.md has no synopsis block"
import re, sys
blocks = re.findall(r"^```\w*\n(.*?)^```$", open(sys.argv[1]).read(), re.M | re.S)
sys.stdout.write(next(b for b in blocks if b.startswith("usage: tdxsim COMMAND")))
PY
"$tdxsim" --help > "$tmp/help" || fail "tdxsim --help: exit $?"
cmp -s "$tmp/readme-help" "$tmp/help" ||
	fail "README.md's synopsis is not tdxsim --help: $(diff "$tmp/readme-help" "$tmp/help")"
"$tdxsim" help > "$tmp/help2" && cmp -s "$tmp/help" "$tmp/help2" || fail "tdxsim help differs from --help"
# Every command's synopsis in --help is how its own --help begins.
for c in boot linux plan td run report script; do
	"$tdxsim" $c --help | sed -n '1s/^usage: /  /p' > "$tmp/first"
	grep -qxF -- "$(cat "$tmp/first")" "$tmp/help" || fail "$c --help's first line is not in tdxsim --help"
done

# docs/platform.md's first ```json block, exactly as a reader copies it, and
# the lp_overrides fragment in the next block, added to it.
python3 - "$src/docs/platform.md" "$tmp" <<'PY' || fail "docs/platform.md: no example, or its fragment is not JSON"
import json, re, sys
blocks = re.findall(r"^```(\w*)\n(.*?)^```$", open(sys.argv[1]).read(), re.M | re.S)
i = next(k for k, b in enumerate(blocks) if b[0] == "json")
open(sys.argv[2] + "/example.json", "w").write(blocks[i][1])
d = json.loads(blocks[i][1])
d.update(json.loads("{" + blocks[i + 1][1] + "}"))
json.dump(d, open(sys.argv[2] + "/hetero.json", "w"))
PY
"$tdxsim" boot --platform "$tmp/example.json" > "$tmp/out" 2>&1 ||
	fail "docs/platform.md's example does not boot: $(tail -5 "$tmp/out")"
grep -q "TDX ready" "$tmp/out" || fail "docs/platform.md's example: no 'TDX ready'"
"$tdxsim" boot --platform "$tmp/hetero.json" > "$tmp/out" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q "TDH.SYS.LP.INIT failed: TDX_INCONSISTENT_CPUID_FIELD" "$tmp/out" ||
	fail "the lp_overrides fragment: rc $rc, $(tail -3 "$tmp/out")"

[ "$fails" = 0 ] && echo "cli_docs: ok"
exit "$fails"
