#!/bin/sh
# tdxsim linux boot: the real kernel's log and summary, JSON, the same
# PAMT figure as tdxsim boot, exit codes; and the kernel files the build
# used are byte-identical to the package's (tar --compare).
set -eu
tdxsim=$1 tree=$2 tarball=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "cli_linux: $*" >&2; exit 1; }

"$tdxsim" linux boot > "$tmp/out" || fail "linux boot exited $?"
grep -q '\] virt/tdx: BIOS enabled: private KeyID range \[32, 64)$' "$tmp/out" || fail "no KeyID line"
grep -q '\] virt/tdx: 262668 KB allocated for PAMT$' "$tmp/out" || fail "no PAMT line"
grep -q '\] virt/tdx: module initialized$' "$tmp/out" || fail "not initialized"
grep -q '^summary: Linux 6\.12\.[0-9]*: TDX ready .* 3 TDMRs, 262668 KB PAMT; .*0 warnings, 0 lockdep failures' "$tmp/out" \
	|| fail "summary: $(grep summary "$tmp/out")"
"$tdxsim" boot | grep -q 'virt/tdx: 262668 KB allocated for PAMT$' || fail "tdxsim boot differs"

"$tdxsim" linux boot --json > "$tmp/j"
python3 - "$tmp/j" <<'PY' || fail "json"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["ok"] and j["errno"] == 0, j
assert j["pamt_size"] == hex(262668 << 10) and len(j["tdmrs"]) == 3, j["pamt_size"]
assert j["log"][-1] == "virt/tdx: module initialized", j["log"]
assert j["tdmr_init_calls"] == 16384 and j["seamcalls"] > j["tdmr_init_calls"]
PY
# src/host/ set to 6.12 prints exactly the kernel's lines.
"$tdxsim" linux boot | sed -n 's/^\[[ 0-9.]*\] //p' > "$tmp/klog"
"$tdxsim" boot --kernel-version 6.12 | sed -n 's/^\[[ 0-9.]*\] //p' > "$tmp/hlog"
cmp -s "$tmp/klog" "$tmp/hlog" || fail "logs differ: $(diff "$tmp/klog" "$tmp/hlog")"
[ "$(wc -l < "$tmp/klog")" -eq 4 ] || fail "kernel log: $(cat "$tmp/klog")"
set +e
"$tdxsim" boot --kernel-version 5.0 > /dev/null 2>&1; [ $? -eq 2 ] || fail "bad kernel version"
set -e

# The same TDMRs, PAMTs and reserved areas, in the same JSON, as tdxsim boot.
"$tdxsim" boot --json > "$tmp/h"
python3 - "$tmp/j" "$tmp/h" <<'PY' || fail "TDMRs differ from tdxsim boot"
import json, sys
l, h = (json.load(open(f))["tdmrs"] for f in sys.argv[1:3])
for t in h:
    del t["pamt_node"]
assert l == h, (l, h)
PY

# A platform whose module is not loaded: the kernel's own line, exit 1.
python3 - "$(dirname "$0")/../../examples/platforms/default.json" "$tmp/noload.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["module"]["loaded"] = False
json.dump(d, open(sys.argv[2], "w"))
PY
set +e
"$tdxsim" linux boot --platform "$tmp/noload.json" > "$tmp/nl"; rc=$?
set -e
[ $rc -eq 1 ] || fail "no module: exit $rc"
grep -q 'virt/tdx: module not loaded$' "$tmp/nl" || fail "no 'module not loaded' line: $(cat "$tmp/nl")"

# Usage errors and a bad kernel object: exit 2 with a message.
set +e
"$tdxsim" linux > /dev/null 2>&1; [ $? -eq 2 ] || fail "no subcommand"
"$tdxsim" linux boot --bogus > /dev/null 2>&1; [ $? -eq 2 ] || fail "bad option"
"$tdxsim" linux boot --kernel /nonexistent.so 2> "$tmp/err"; rc=$?
set -e
[ $rc -eq 2 ] || fail "bad kernel object: exit $rc"
grep -q 'cannot open the kernel object /nonexistent.so' "$tmp/err" || fail "message: $(cat "$tmp/err")"

# Comparison mode: identical on the default platform and on hetero-lp
# (both refuse the odd LP alike); with src/host/ told to follow mainline
# it names each extra line and the extra TDH.SYS.RDs, and exits 1.
"$tdxsim" linux compare > "$tmp/c" || fail "compare: exit $?"
grep -q '^summary: identical; outcome 0; 3 TDMRs, 262668 KB PAMT; 16401 SEAMCALLs' "$tmp/c" \
	|| fail "compare: $(tail -1 "$tmp/c")"
"$tdxsim" linux compare --platform "$(dirname "$0")/../../examples/platforms/hetero-lp.json" > "$tmp/c" \
	|| fail "compare hetero: exit $?"
grep -q '^summary: identical; outcome -5;' "$tmp/c" || fail "compare hetero: $(tail -1 "$tmp/c")"
set +e
"$tdxsim" linux compare --kernel-version mainline > "$tmp/c"; rc=$?
set -e
[ $rc -eq 1 ] || fail "compare vs mainline: exit $rc"
grep -q '^log + src/host only: virt/tdx: Module version: 1\.5\.06$' "$tmp/c" || fail "no version line diff"
grep -q '^  src/host: TDH.SYS.RD x83 on CPU 0 -> 0x0$' "$tmp/c" || fail "no SYS.RD diff: $(cat "$tmp/c")"
grep -q '^summary: src/host/ DIFFERS from the kernel; .* 4 differences$' "$tmp/c" || fail "$(tail -1 "$tmp/c")"
set +e
"$tdxsim" linux compare --json > /dev/null 2>&1; [ $? -eq 2 ] || fail "compare --json"
"$tdxsim" linux compare --kernel-version 3 > /dev/null 2>&1; [ $? -eq 2 ] || fail "bad version"
"$tdxsim" linux boot --kernel-version 6.12 > /dev/null 2>&1; [ $? -eq 2 ] || fail "boot --kernel-version"
set -e

# --ksrc DIR: the object built from a tree when the command runs. The
# tree itself gives the same boot; an edited copy shows the edit in a
# second; a broken one and a non-tree are refused with the reason.
"$tdxsim" linux boot --ksrc "$tree" > "$tmp/k" || fail "--ksrc: exit $?"
grep -q 'virt/tdx: 262668 KB allocated for PAMT$' "$tmp/k" || fail "--ksrc: $(tail -2 "$tmp/k")"
mkdir -p "$tmp/tree"
cp -r "$tree/." "$tmp/tree/"
sed -i 's/pr_info("module initialized\\n");/pr_info("module initialized, patched\\n");/' \
	"$tmp/tree/arch/x86/virt/vmx/tdx/tdx.c"
grep -q 'module initialized, patched' "$tmp/tree/arch/x86/virt/vmx/tdx/tdx.c" || fail "patching the copy"
"$tdxsim" linux boot --ksrc "$tmp/tree" > "$tmp/k" || fail "--ksrc patched: exit $?"
grep -q '\] virt/tdx: module initialized, patched$' "$tmp/k" || fail "patched line: $(tail -3 "$tmp/k")"
set +e
"$tdxsim" linux compare --ksrc "$tmp/tree" > "$tmp/c"; rc=$?
set -e
[ $rc -eq 1 ] || fail "compare patched: exit $rc"
grep -q '^log - kernel only:   virt/tdx: module initialized, patched$' "$tmp/c" || fail "$(cat "$tmp/c")"
echo 'this is not C;' >> "$tmp/tree/arch/x86/virt/vmx/tdx/tdx.c"
set +e
"$tdxsim" linux boot --ksrc "$tmp/tree" > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "broken tree: exit $rc"
grep -q 'cannot build the kernel object' "$tmp/err" && grep -q 'tdx.c:.*error' "$tmp/err" \
	|| fail "broken tree: $(cat "$tmp/err")"
"$tdxsim" linux boot --ksrc "$tmp" > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "not a tree: exit $rc"
grep -q 'is not a kernel tree' "$tmp/err" || fail "not a tree: $(cat "$tmp/err")"
"$tdxsim" linux boot --ksrc "$tree" --kernel /x.so > /dev/null 2>&1; [ $? -eq 2 ] || fail "--ksrc and --kernel"
set -e

# Byte-identical to Debian's package (when the build used it).
if [ -n "$tarball" ]; then
	members=$(cd "$tree" && find . -type f ! -name .tdxsim-stamp | sed 's|^\./|linux-source-6.12/|')
	mkdir "$tmp/cmp"
	ln -s "$tree" "$tmp/cmp/linux-source-6.12"
	# shellcheck disable=SC2086
	tar -C "$tmp/cmp" --compare -J -f "$tarball" $members || fail "tree differs from $tarball"
	[ "$(echo "$members" | wc -l)" -ge 5 ] || fail "too few files compared"
fi
echo "cli_linux: ok"
