#!/bin/sh
# tdxsim td: MRTD equals SHA-384 over the documented block stream (abi
# §5.8) computed here with sha384sum; metadata; exit codes; JSON.
set -eu
tdxsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "cli_td: $*" >&2; exit 1; }

# 128-byte block: name zero-padded to 16 bytes, GPA little-endian, zeros.
block() {   # block NAME GPA
	{ printf '%s' "$1"; head -c $((16 - ${#1})) /dev/zero
	  g=$2; for i in 1 2 3 4 5 6 7 8; do
		printf "\\$(printf '%03o' $((g & 255)))"; g=$((g >> 8)); done
	  head -c 104 /dev/zero; }
}

# A 2.5-page image at GPA 0x200000: the last page is zero-padded.
head -c 10240 /dev/urandom > "$tmp/img"
{ cat "$tmp/img"; head -c 2048 /dev/zero; } > "$tmp/padded"
gpa=$((0x200000))
: > "$tmp/stream"
for p in 0 1 2; do
	pg=$((gpa + p * 4096))
	block MEM.PAGE.ADD $pg >> "$tmp/stream"
	for k in $(seq 0 15); do
		block MR.EXTEND $((pg + k * 256)) >> "$tmp/stream"
		dd if="$tmp/padded" bs=256 skip=$((p * 16 + k)) count=1 2>/dev/null >> "$tmp/stream"
	done
done
want=$(sha384sum < "$tmp/stream" | cut -d' ' -f1)

out=$("$tdxsim" td --vcpus 2 --memory 8M --image "$tmp/img" --image-gpa 0x200000)
echo "$out" | grep -q "^MRTD $want\$" || fail "MRTD differs from sha384sum ($want): $out"
echo "$out" | grep -q "num_vcpus *0x2$" || fail "num_vcpus: $out"
echo "$out" | grep -q "op_state *0x2$" || fail "op_state RUNNABLE: $out"
echo "$out" | grep -q "all returned" || fail "pages not returned: $out"

json=$("$tdxsim" td --json --image "$tmp/img" --image-gpa 0x200000)
echo "$json" | grep -q "\"mrtd\": \"$want\"" || fail "JSON MRTD: $json"
echo "$json" | grep -q '"pages_returned": true' || fail "JSON pages: $json"

# The 1.5.01 profile has no VP.INIT version 1 (no TOPOLOGY_ENUM): the VMM
# uses version 0 there, and the TD measures the same.
out=$("$tdxsim" td --profile 1.5.01 --vcpus 2 --image "$tmp/img" --image-gpa 0x200000) ||
	fail "td on 1.5.01: $out"
echo "$out" | grep -q "^MRTD $want\$" || fail "1.5.01 MRTD: $out"

# User errors: exit 1 with a clear message; bad usage: exit 2.
set +e
"$tdxsim" td --vcpus 99 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "99 vCPUs" "$tmp/err" || fail "too many vCPUs: rc $rc $(cat "$tmp/err")"
"$tdxsim" td --memory 8M --image "$tmp/img" --image-gpa 0x7ff000 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "10240 bytes do not fit the TD's memory from GPA 0x7ff000" "$tmp/err" ||
	fail "image too big: rc $rc $(cat "$tmp/err")"
"$tdxsim" td --attributes perfmon 2> /dev/null; rc=$?
[ $rc -eq 2 ] || fail "bad attribute name: rc $rc"
"$tdxsim" td --attributes 0x8000000000000000 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "only DEBUG" "$tmp/err" || fail "PERFMON attribute: rc $rc"
"$tdxsim" td --memory 12x 2> /dev/null; rc=$?
[ $rc -eq 2 ] || fail "bad size: rc $rc"
"$tdxsim" td --image "$tmp/nonexistent" 2> /dev/null; rc=$?
[ $rc -eq 2 ] || fail "missing image: rc $rc"
# The image is judged by fstat before it is read: a directory or a device
# is not an image, an empty file is refused, and a sparse file over the
# TD's memory or over 1 GiB is refused at once (reading it would take
# seconds and a GiB).
"$tdxsim" td --image "$tmp" 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "image '$tmp': not a regular file" "$tmp/err" ||
	fail "directory image: rc $rc $(cat "$tmp/err")"
"$tdxsim" td --image /dev/zero 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "not a regular file" "$tmp/err" || fail "device image: rc $rc"
: > "$tmp/empty"
"$tdxsim" td --image "$tmp/empty" 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "image '$tmp/empty': empty" "$tmp/err" ||
	fail "empty image: rc $rc $(cat "$tmp/err")"
truncate -s 65M "$tmp/sparse"
"$tdxsim" td --image "$tmp/sparse" 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "68157440 bytes do not fit the TD's memory from GPA 0x0 (67108864 bytes" "$tmp/err" ||
	fail "image over --memory: rc $rc $(cat "$tmp/err")"
truncate -s 1025M "$tmp/sparse"
"$tdxsim" td --memory 2G --image "$tmp/sparse" 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "1074790400 bytes, more than the 1073741824 tdxsim loads" "$tmp/err" ||
	fail "image over 1 GiB: rc $rc $(cat "$tmp/err")"
"$tdxsim" td --memory 4K --image "$tmp/img" --image-gpa 0x2000 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "(0 bytes there" "$tmp/err" || fail "GPA past memory: rc $rc $(cat "$tmp/err")"
echo "cli_td: ok"
