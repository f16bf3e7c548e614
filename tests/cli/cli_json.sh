#!/bin/sh
# Every --json output keeps docs/json.md's rules: one object whose "ok" is
# true exactly when the command exits 0; addresses, sizes and statuses as
# "0x" hex strings; JSON integers only for counts and small numbers; no
# field named for another unit (_kb, _bytes) or another success word.
# usage: cli_json.sh TDXSIM [WITH_LINUX]   (1: linux boot too)
set -u
tdxsim=$1 with_linux=${2:-0}
rules=$(dirname "$0")/json_rules.py
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

"$tdxsim" run --quote "$tmp/q" --report "$tmp/r" --report-key "$tmp/k" attest n > /dev/null ||
	fail "run attest"
printf 'not a quote' > "$tmp/bad"

n=0
check() {   # check CMD...: runs it with its --json, checks the rules
	n=$((n + 1))
	"$@" > "$tmp/j$n" 2> /dev/null
	rc=$?
	python3 "$rules" "$tmp/j$n" "$rc" || fail "$*"
}

check "$tdxsim" boot --json
check "$tdxsim" boot --json --profile 1.0
check "$tdxsim" plan --json
check "$tdxsim" td --json
check "$tdxsim" td --json --vcpus 99
check "$tdxsim" run --json --audit hello
check "$tdxsim" run --json fatal 7
check "$tdxsim" run --json --max-entries 100 vmcalls 1000
check "$tdxsim" report verify --json "$tmp/q"
check "$tdxsim" report verify --json --key "$tmp/k" "$tmp/r"
check "$tdxsim" report verify --json "$tmp/r"
check "$tdxsim" report verify --json "$tmp/bad"
[ "$with_linux" = 1 ] && check "$tdxsim" linux boot --json

# The rules can fail: old-style fields are caught.
for bad in '{"ok": true, "pamt_kb": 4}' '{"ok": true, "base": 4096}' '{"ok": true, "size": "4096"}' \
	   '{"ok": false}' '{"td_ready": true, "ok": true}' '{"ok": true, "seamcalls": 1.5}'; do
	echo "$bad" > "$tmp/bad.json"
	python3 "$rules" "$tmp/bad.json" 0 2> /dev/null && fail "json_rules.py passed $bad"
done

[ "$fails" = 0 ] && echo "cli_json: $n outputs keep the rules"
exit "$fails"
