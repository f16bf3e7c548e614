#!/bin/sh
# tdxsim run/td --trace FILE (docs/trace.md): the Chrome/Perfetto JSON
# timeline parses and has the TD entries, exits and bring-up calls; an
# unwritable path fails before anything runs; a tiny --trace-limit warns.
set -eu
tdxsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "cli_trace: $*" >&2; exit 1; }

"$tdxsim" run --trace "$tmp/out.json" hello > "$tmp/stdout" 2> "$tmp/stderr" ||
	fail "hello: rc $?: $(cat "$tmp/stdout" "$tmp/stderr")"
grep -q "Hello from a TD" "$tmp/stdout" || fail "hello console: $(cat "$tmp/stdout")"
[ ! -s "$tmp/stderr" ] || fail "unexpected stderr: $(cat "$tmp/stderr")"
grep -q '"TDH.VP.ENTER"' "$tmp/out.json" || fail "no TDH.VP.ENTER in the trace"
entries=$(sed -n 's/^  TD entries: //p' "$tmp/stdout")
python3 - "$tmp/out.json" "$entries" <<'PY' || fail "trace JSON: $(head -c 2000 "$tmp/out.json")"
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["traceEvents"]
assert d["displayTimeUnit"] == "ns" and d["otherData"]["dropped_events"] == 0, d["otherData"]
for e in ev:
    for k in ("name", "ph", "ts", "pid", "tid"):
        assert k in e, e
enters = [e for e in ev if e["ph"] == "X" and e["name"] == "TDH.VP.ENTER"]
assert len(enters) == int(sys.argv[2]), (len(enters), sys.argv[2])
exits = [e for e in ev if e["ph"] == "i"]
assert len(exits) == len(enters) and all(e["name"] == "exit: TDCALL" for e in exits), exits[:3]
init = [e for e in ev if e["name"] == "TDH.SYS.INIT"]
assert len(init) == 1 and init[0]["args"]["status"] == "0x0", init
names = {e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "thread_name"}
assert "LP 0" in names, names
PY

# td --trace: the build's SEAMCALLs, no TD entries.
"$tdxsim" td --trace "$tmp/td.json" > /dev/null || fail "td --trace: rc $?"
grep -q '"TDH.MR.FINALIZE"' "$tmp/td.json" || fail "td trace lacks TDH.MR.FINALIZE"

# An unwritable path: a clear error, exit 2, and no run at all.
set +e
"$tdxsim" run --trace /nonexistent-dir/x.json hello > "$tmp/stdout" 2> "$tmp/stderr"; rc=$?
set -e
[ $rc -ne 0 ] || fail "unwritable trace path: rc 0"
grep -q "cannot write the trace to '/nonexistent-dir/x.json'" "$tmp/stderr" ||
	fail "unwritable trace path message: $(cat "$tmp/stderr")"
[ ! -s "$tmp/stdout" ] || fail "ran despite the bad trace path: $(cat "$tmp/stdout")"

# A tiny cap: a warning, exit 0, and a file that still parses.
"$tdxsim" run --trace "$tmp/cap.json" --trace-limit 8 hello > /dev/null 2> "$tmp/stderr" ||
	fail "trace-limit: rc $?"
grep -q "warning: the trace dropped [0-9]* events" "$tmp/stderr" ||
	fail "no dropped-events warning: $(cat "$tmp/stderr")"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["otherData"]["dropped_events"] > 0, d["otherData"]
assert d["otherData"]["max_events_per_lp"] == 8, d["otherData"]
' "$tmp/cap.json" || fail "capped trace"

set +e
"$tdxsim" run --trace-limit 0 --trace "$tmp/x.json" hello 2> /dev/null; rc=$?
[ $rc -eq 2 ] || fail "bad --trace-limit: rc $rc"
"$tdxsim" run --trace 2> /dev/null; rc=$?
[ $rc -eq 2 ] || fail "--trace without FILE: rc $rc"
echo "cli_trace: ok"
