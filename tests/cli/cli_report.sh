#!/bin/sh
# tdxsim report verify: a TDREPORT and a quote written by tests/tools/mkquote
# (fixed inputs) verify; corrupted, truncated and foreign files do not;
# the MAC is checked only with --key; exit codes 0/1/2; JSON.
set -eu
tdxsim=$1
mkquote=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "cli_report: $*" >&2; exit 1; }

"$mkquote" "$tmp" || fail "mkquote failed"
mrtd=$(cat "$tmp/mrtd.hex")
rdata=$(cat "$tmp/reportdata.hex")
[ "$(wc -c < "$tmp/report.bin")" -eq 1024 ] || fail "report size"
[ "$(wc -c < "$tmp/quote.bin")" -eq 1185 ] || fail "quote size"

# patch FILE OFFSET: flip the low bit of one byte, in a copy.
patch() {
	cp "$1" "$1.bad"
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf '%03o' $((b ^ 1)))" |
		dd of="$1.bad" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# A TDREPORT without the key: fields, hashes; its MAC is not checked, so
# the verdict is UNVERIFIED, exit 3, never "valid".
set +e
out=$("$tdxsim" report verify "$tmp/report.bin"); rc=$?
set -e
[ $rc -eq 3 ] || fail "report without key: rc $rc: $out"
echo "$out" | grep -q "^  MRTD  *$mrtd\$" || fail "MRTD: $out"
echo "$out" | grep -q "^  REPORTDATA  *$rdata\$" || fail "REPORTDATA: $out"
echo "$out" | grep -q "^  TYPE  *0x81 subtype 0 version 0\$" || fail "type: $out"
echo "$out" | grep -q "^  ATTRIBUTES  *0x0000000010000000\$" || fail "attributes: $out"
echo "$out" | grep -q "^  TEE_TCB_SVN  *03030000000000000000000000000000\$" || fail "svn: $out"
echo "$out" | grep -q "^MAC: not checkable off-platform (platform secret)\$" || fail "MAC line: $out"
echo "$out" | grep -q "^verdict: UNVERIFIED: the MAC was not checked (no --key)" || fail "verdict: $out"
echo "$out" | grep -q "valid TDREPORT" && fail "unchecked MAC reads as valid: $out"

# A forged report (MRTD changed, TEE_INFO_HASH recomputed) passes every
# check but the MAC: without the key it is UNVERIFIED (was "valid", exit
# 0), with the key INVALID.
python3 - "$tmp/report.bin" "$tmp/forged.bin" <<'PY'
import hashlib, sys
r = bytearray(open(sys.argv[1], "rb").read())
r[528] ^= 0xff
r[80:128] = hashlib.sha384(bytes(r[512:1024])).digest()
open(sys.argv[2], "wb").write(r)
PY
set +e
out=$("$tdxsim" report verify "$tmp/forged.bin"); rc=$?
set -e
[ $rc -eq 3 ] && echo "$out" | grep -q "^verdict: UNVERIFIED" || fail "forged, no key: rc $rc $out"
set +e
out=$("$tdxsim" report verify --key "$tmp/key.hex" "$tmp/forged.bin"); rc=$?
set -e
[ $rc -eq 1 ] && echo "$out" | grep -q "MAC does not verify" || fail "forged, key: rc $rc $out"

# With the key the MAC is checked; a wrong key fails it.
out=$("$tdxsim" report verify --key "$tmp/key.hex" "$tmp/report.bin") || fail "key rc: $out"
echo "$out" | grep -q "^MAC: valid\$" || fail "MAC valid: $out"
printf '%064x\n' 0 > "$tmp/zero.hex"
set +e
out=$("$tdxsim" report verify --key "$tmp/zero.hex" "$tmp/report.bin"); rc=$?
set -e
[ $rc -eq 1 ] || fail "wrong key: rc $rc"
echo "$out" | grep -q "MAC does not verify" || fail "wrong key message: $out"

# A corrupted TDINFO (MRTD's first byte at 512 + 16) and TEE_TCB_INFO.
patch "$tmp/report.bin" 528
set +e
out=$("$tdxsim" report verify "$tmp/report.bin.bad"); rc=$?
set -e
[ $rc -eq 1 ] || fail "corrupt TDINFO: rc $rc"
echo "$out" | grep -q "INVALID: TEE_INFO_HASH does not match TDINFO" || fail "TDINFO msg: $out"
patch "$tmp/report.bin" 300
set +e
out=$("$tdxsim" report verify "$tmp/report.bin.bad"); rc=$?
set -e
[ $rc -eq 1 ] && echo "$out" | grep -q "TEE_TCB_INFO_HASH does not match" || fail "TCB: rc $rc $out"
# report_data is covered by the MAC only: unverified without key, caught with it.
patch "$tmp/report.bin" 130
set +e
"$tdxsim" report verify "$tmp/report.bin.bad" > /dev/null; rc=$?
set -e
[ $rc -eq 3 ] || fail "REPORTDATA w/o key: rc $rc"
set +e
out=$("$tdxsim" report verify --key "$tmp/key.hex" "$tmp/report.bin.bad"); rc=$?
set -e
[ $rc -eq 1 ] && echo "$out" | grep -q "MAC does not verify" || fail "REPORTDATA key: $rc $out"

# A valid quote: signature, attestation key fingerprint; MAC with the key.
out=$("$tdxsim" report verify "$tmp/quote.bin") || fail "quote rc: $out"
echo "$out" | grep -q "tdxsim quote" || fail "quote kind: $out"
echo "$out" | grep -q "^  MRTD  *$mrtd\$" || fail "quote MRTD: $out"
echo "$out" | grep -q "^  ATTESTATION_KEY  *sha256:[0-9a-f]\{64\}\$" || fail "fingerprint: $out"
echo "$out" | grep -q "^verdict: valid quote\$" || fail "quote verdict: $out"
"$tdxsim" report verify --key "$tmp/key.hex" "$tmp/quote.bin" | grep -q "^MAC: valid$" ||
	fail "quote MAC"

# The signature's malleable twin (r, n - s) verifies under plain ECDSA;
# a quote carries only the low s, so the twin is refused.
python3 - "$tmp/quote.bin" "$tmp/twin.bin" <<'PY'
import sys
n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551
q = bytearray(open(sys.argv[1], "rb").read())
s = int.from_bytes(q[1153:1185], "big")
assert s <= n // 2, "the QE wrote a high s"
q[1153:1185] = (n - s).to_bytes(32, "big")
open(sys.argv[2], "wb").write(q)
PY
set +e
out=$("$tdxsim" report verify "$tmp/twin.bin"); rc=$?
set -e
[ $rc -eq 1 ] && echo "$out" | grep -q "INVALID: signature has a high s" || fail "high-S: rc $rc $out"

# Corrupted body (a TDINFO byte) and signature; truncated; trailing bytes.
for off in 600 1130 1184; do
	patch "$tmp/quote.bin" $off
	set +e
	out=$("$tdxsim" report verify "$tmp/quote.bin.bad"); rc=$?
	set -e
	[ $rc -eq 1 ] || fail "corrupt quote at $off: rc $rc"
	echo "$out" | grep -q "INVALID: signature does not verify" || fail "quote $off: $out"
done
head -c 1000 "$tmp/quote.bin" > "$tmp/short.bin"
set +e
out=$("$tdxsim" report verify "$tmp/short.bin"); rc=$?
set -e
[ $rc -eq 1 ] && echo "$out" | grep -q "truncated quote: 1000 bytes" || fail "short: $rc $out"
{ cat "$tmp/quote.bin"; printf 'xx'; } > "$tmp/long.bin"
set +e
"$tdxsim" report verify "$tmp/long.bin" > /dev/null; rc=$?
[ $rc -eq 1 ] || fail "long quote: rc $rc"
head -c 1000 "$tmp/report.bin" > "$tmp/short.bin"
out=$("$tdxsim" report verify "$tmp/short.bin"); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "neither a TDREPORT" || fail "short report: $rc $out"
: > "$tmp/empty.bin"
"$tdxsim" report verify "$tmp/empty.bin" > /dev/null; rc=$?
[ $rc -eq 1 ] || fail "empty: rc $rc"

# Usage errors and unreadable files: exit 2.
"$tdxsim" report verify "$tmp/nonexistent" 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "cannot read" "$tmp/err" || fail "missing file: rc $rc"
"$tdxsim" report verify 2> /dev/null; rc=$?
[ $rc -eq 2 ] || fail "no file: rc $rc"
"$tdxsim" report frobnicate 2> /dev/null; rc=$?
[ $rc -eq 2 ] || fail "bad subcommand: rc $rc"
"$tdxsim" report verify --key "$tmp/report.bin" "$tmp/report.bin" 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "64 hex digits" "$tmp/err" || fail "bad key file: rc $rc"
"$tdxsim" report verify --bogus "$tmp/report.bin" 2> /dev/null; rc=$?
[ $rc -eq 2 ] || fail "bad option: rc $rc"
set -e

# JSON, parsed.
"$tdxsim" report verify --json --key "$tmp/key.hex" "$tmp/quote.bin" > "$tmp/q.json" ||
	fail "json rc"
python3 - "$tmp/q.json" "$mrtd" "$rdata" <<'PY' || fail "JSON quote: $(cat "$tmp/q.json")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["kind"] == "quote" and j["ok"] is True and j["reason"] is None, j
assert j["verdict"] == "valid", j
assert j["mac"] == "valid", j
r = j["report"]
assert r["type"] == 0x81 and r["mrtd"] == sys.argv[2] and r["reportdata"] == sys.argv[3], r
assert r["attributes"] == "0x10000000" and len(r["rtmr"]) == 4, r
assert r["rtmr"][2] == bytes(range(48)).hex(), r
assert len(j["attestation_key_sha256"]) == 64, j
PY
set +e
"$tdxsim" report verify --json "$tmp/report.bin.bad" > "$tmp/r.json"; rc=$?
set -e
[ $rc -eq 3 ] || fail "json REPORTDATA-only corruption without key: rc $rc"
python3 - "$tmp/r.json" <<'PY' || fail "JSON unverified: $(cat "$tmp/r.json")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["ok"] is False and j["verdict"] == "unverified", j
assert j["mac"] == "not checkable" and "not checked" in j["reason"], j
PY
patch "$tmp/report.bin" 528
set +e
"$tdxsim" report verify --json "$tmp/report.bin.bad" > "$tmp/r.json"; rc=$?
set -e
[ $rc -eq 1 ] || fail "json invalid: rc $rc"
python3 - "$tmp/r.json" <<'PY' || fail "JSON report: $(cat "$tmp/r.json")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["kind"] == "tdreport" and j["ok"] is False, j
assert "TEE_INFO_HASH" in j["reason"] and j["mac"] == "not checkable", j
PY
echo "cli_report: ok"
