#!/bin/sh
# tdxsim run: built-in guest programs in a TD; the console, the touch
# checksum recomputed here with python3, exit codes, JSON, --audit.
set -eu
tdxsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "cli_run: $*" >&2; exit 1; }

out=$("$tdxsim" run hello) || fail "hello: rc $?: $out"
echo "$out" | grep -q "Hello from a TD: 1 vCPU, GPAW 48" || fail "hello console: $out"
echo "$out" | grep -q "^--- console ---$" || fail "console header: $out"
echo "$out" | grep -q "all returned" || fail "pages not returned: $out"

# touch 2: 2 MiB from 1 MiB; each word holds a ^ seed; the sum mod 2^64.
# touch 2 1: the first word of each page only.
want=$(python3 -c '
s = 0
for a in range(0x100000, 0x300000, 8):
    s += a ^ 0x9E3779B97F4A7C15
print("0x%016x" % (s & 0xFFFFFFFFFFFFFFFF))')
out=$("$tdxsim" run touch 2) || fail "touch: rc $?: $out"
echo "$out" | grep -q "^vCPU 0 touched \[0x100000, 0x300000): checksum $want\$" ||
	fail "touch checksum (want $want): $out"
want=$(python3 -c '
print("0x%016x" % (sum(a ^ 0x9E3779B97F4A7C15 for a in range(0x100000, 0x300000, 4096)) & 0xFFFFFFFFFFFFFFFF))')
out=$("$tdxsim" run touch 2 1) || fail "touch 2 1: rc $?: $out"
echo "$out" | grep -q "^vCPU 0 touched \[0x100000, 0x300000): checksum $want\$" ||
	fail "touch one word per page (want $want): $out"

out=$("$tdxsim" run --vcpus 2 hello) || fail "2 vCPUs: rc $?: $out"
echo "$out" | grep -q "^vCPU 1: exited, exit code 0" || fail "vCPU 1: $out"

out=$("$tdxsim" run --audit hello) || fail "audit: rc $?: $out"
echo "$out" | grep -q "host-state differences: 0$" || fail "audit differences: $out"
if echo "$out" | grep "host-state differences:" | grep -qv "differences: 0$"; then
	fail "audit found differences: $out"
fi

"$tdxsim" run --json hello > "$tmp/json" || fail "json: rc $?"
python3 - "$tmp/json" <<'EOF' || fail "JSON: $(cat "$tmp/json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert "Hello" in d["console"], d
assert len(d["mrtd"]) == 96, d
assert d["vcpus"][0]["end"] == "exited" and d["vcpus"][0]["exit_code"] == 0, d
EOF

# attest: RTMR2 is SHA-384(48 zero bytes || TEXT zero-padded to 48), and
# the quote GetQuote returned verifies offline with the same RTMR2.
out=$("$tdxsim" run --quote "$tmp/quote" attest nonce-42) || fail "attest: rc $?: $out"
rtmr2=$({ head -c 48 /dev/zero; printf 'nonce-42'; head -c 40 /dev/zero; } | sha384sum | cut -d' ' -f1)
echo "$out" | grep -q "^RTMR2 $rtmr2\$" || fail "attest RTMR2 (want $rtmr2): $out"
echo "$out" | grep -q "^quote: 1185 bytes\$" || fail "attest quote: $out"
[ "$(stat -c %s "$tmp/quote")" -eq 1185 ] || fail "quote file size"
"$tdxsim" report verify "$tmp/quote" > "$tmp/verify" || fail "verify: $(cat "$tmp/verify")"
grep -q "verdict: valid quote" "$tmp/verify" || fail "verdict: $(cat "$tmp/verify")"
grep -q "RTMR2 *$rtmr2" "$tmp/verify" || fail "verified RTMR2: $(cat "$tmp/verify")"

# attest without TEXT: RTMR2 and REPORTDATA get the default text, which is
# not RTMR3's ("tdxsim attest"), so the two registers differ.
mr() { { head -c 48 /dev/zero; printf '%s' "$1"; head -c $((48 - ${#1})) /dev/zero; } | sha384sum | cut -d' ' -f1; }
out=$("$tdxsim" run attest) || fail "attest without TEXT: rc $?: $out"
echo "$out" | grep -q "^RTMR2 $(mr 'tdxsim default report data')\$" || fail "default RTMR2: $out"
echo "$out" | grep -q "^RTMR3 $(mr 'tdxsim attest')\$" || fail "RTMR3: $out"
[ "$(echo "$out" | sed -n 's/^RTMR2 //p')" != "$(echo "$out" | sed -n 's/^RTMR3 //p')" ] ||
	fail "RTMR2 equals RTMR3 with the default text: $out"

# The round trip: run saves the TDREPORT the guest quoted and the key of
# the platform that made it; report verify --key then checks its MAC.
"$tdxsim" run --quote "$tmp/q2" --report "$tmp/report" --report-key "$tmp/key" \
	attest nonce-42 > /dev/null || fail "attest --report: rc $?"
[ "$(stat -c %s "$tmp/report")" -eq 1024 ] || fail "report file size"
grep -qx "[0-9a-f]\{64\}" "$tmp/key" || fail "key file: $(cat "$tmp/key")"
"$tdxsim" report verify --key "$tmp/key" "$tmp/report" > "$tmp/verify" ||
	fail "verify report --key: rc $? $(cat "$tmp/verify")"
grep -q "^MAC: valid$" "$tmp/verify" && grep -q "^verdict: valid TDREPORT$" "$tmp/verify" &&
	grep -q "RTMR2 *$rtmr2" "$tmp/verify" || fail "report round trip: $(cat "$tmp/verify")"
"$tdxsim" report verify --key "$tmp/key" "$tmp/q2" | grep -q "^MAC: valid$" ||
	fail "quote round trip"
# Another run is another platform, with another key: the MAC fails.
"$tdxsim" run --report-key "$tmp/key2" hello > /dev/null || fail "key2"
set +e
"$tdxsim" report verify --key "$tmp/key2" "$tmp/report" > "$tmp/verify"; rc=$?
set -e
[ $rc -eq 1 ] && grep -q "MAC does not verify" "$tmp/verify" || fail "other platform's key: rc $rc"

# The guest failing: exit 1; bad usage: exit 2.
set +e
out=$("$tdxsim" run fatal 0x99 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "0x99" || fail "fatal: rc $rc: $out"
"$tdxsim" run nosuch 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "hello" "$tmp/err" || fail "unknown program: rc $rc $(cat "$tmp/err")"
"$tdxsim" run --bogus hello 2> /dev/null; rc=$?
[ $rc -eq 2 ] || fail "bad option: rc $rc"
"$tdxsim" run --vcpus 0 hello 2> /dev/null; rc=$?
[ $rc -eq 2 ] || fail "bad vCPU count: rc $rc"
"$tdxsim" run 2> /dev/null; rc=$?
[ $rc -eq 2 ] || fail "no program: rc $rc"
# A program's bad argument is refused before anything boots, exit 2
# (never read as a number: vmcalls -5 would spin); so are too many
# arguments, and run's own options after PROGRAM (they were passed to the
# guest and silently did nothing).
out=$(timeout 60 "$tdxsim" run vmcalls -5 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "^tdxsim run: vmcalls: argument 1 '-5' is not a number" &&
	! echo "$out" | grep -q "console" || fail "vmcalls -5: rc $rc: $out"
out=$("$tdxsim" run touch 1 2 3 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "touch takes at most 2 arguments, not 3" || fail "touch 1 2 3: rc $rc: $out"
out=$("$tdxsim" run touch 1 0 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "argument 2 '0' is not a number from 1 to 512" || fail "touch 1 0: rc $rc: $out"
out=$("$tdxsim" run hello --json 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "'--json' comes after PROGRAM" || fail "hello --json: rc $rc: $out"
out=$("$tdxsim" run attest --quote=x 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "'--quote=x' comes after PROGRAM" || fail "attest --quote=x: rc $rc: $out"
out=$("$tdxsim" run attest --not-an-option 2>&1) || fail "attest TEXT: rc $?: $out"
# touch's MIB follows the TD's memory (from GPA 1 MiB): past it, given or
# the default 16 with --memory 8M, is refused before anything boots
# (it used to fail half-way, with the host giving up on a GPA).
out=$("$tdxsim" run --memory 8M touch 16 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "^tdxsim run: touch: argument 1: 16 MiB from GPA 0x100000 do not fit the TD's 8 MiB (--memory): at most 7$" &&
	! echo "$out" | grep -q "console" || fail "touch past memory: rc $rc $out"
out=$("$tdxsim" run --memory 8M touch 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "its default of 16 MiB from GPA 0x100000 does not fit the TD's 8 MiB (--memory): give at most 7" ||
	fail "touch's default past memory: rc $rc $out"
out=$("$tdxsim" run --memory 8M touch 7 2>&1) || fail "touch 7 in 8M: rc $?: $out"
echo "$out" | grep -q "^vCPU 0 touched \[0x100000, 0x800000)" || fail "touch 7 in 8M: $out"
# Runaway work is bounded: --max-entries stops a vCPU (exit 1, said on
# stderr and in JSON), 0 lifts the limit, and by default a count typed far
# too large stops at 10000000 TD entries rather than running for ever.
out=$("$tdxsim" run --max-entries 100 vmcalls 1000 2> "$tmp/err"); rc=$?
[ $rc -eq 1 ] && grep -qx "tdxsim run: vCPU 0 stopped after 100 TD entries (--max-entries; 0 for no limit)" "$tmp/err" &&
	echo "$out" | grep -q "^vCPU 0: entry limit" && echo "$out" | grep -q "TD entries: 100$" &&
	echo "$out" | grep -q "all returned" || fail "--max-entries 100: rc $rc: $out $(cat "$tmp/err")"
"$tdxsim" run --json --max-entries 100 vmcalls 1000 > "$tmp/json" 2> /dev/null; rc=$?
[ $rc -eq 1 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert not d["ok"] and "stopped after 100 TD entries" in d["error"], d
assert d["vcpus"][0]["end"] == "entry limit" and d["vcpus"][0]["entries"] == 100, d' "$tmp/json" ||
	fail "--max-entries JSON: rc $rc $(cat "$tmp/json")"
out=$("$tdxsim" run --max-entries 0 vmcalls 10 2>&1) || fail "--max-entries 0: rc $?: $out"
out=$("$tdxsim" run --max-entries 1x hello 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "bad TD entry limit '1x'" || fail "bad --max-entries: rc $rc"
timeout 600 "$tdxsim" run vmcalls 18446744073709551615 > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "vCPU 0 stopped after 10000000 TD entries" "$tmp/err" ||
	fail "default entry limit: rc $rc $(cat "$tmp/err")"
# Progress on stderr only on a terminal: a pty sees the count, a file not.
python3 - "$tdxsim" <<'PY' || fail "progress on a terminal"
import os, pty, re, subprocess, sys
m, s = pty.openpty()
p = subprocess.Popen([sys.argv[1], "run", "vmcalls", "3000000"], stdout=subprocess.DEVNULL, stderr=s)
os.close(s)
out = b""
while True:
    try:
        d = os.read(m, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
assert p.wait() == 0, out
counts = [int(n) for n in re.findall(rb"\rtdxsim run: \d+ s, (\d+) TD entries", out)]
assert counts and max(counts) > 0, out
assert out.endswith(b"\r\x1b[K"), out         # the line is erased at the end
PY
"$tdxsim" run vmcalls 3000000 > /dev/null 2> "$tmp/err" || fail "vmcalls 3000000: rc $?"
[ ! -s "$tmp/err" ] || fail "progress without a terminal: $(cat "$tmp/err")"
out=$("$tdxsim" run --quote "$tmp/none" hello 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "asked for no quote" || fail "no quote: rc $rc: $out"
"$tdxsim" run --quote /nonexistent-dir/q attest 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "nonexistent-dir" "$tmp/err" || fail "bad quote path: rc $rc $(cat "$tmp/err")"
echo "cli_run: ok"
