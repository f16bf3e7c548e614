#!/bin/sh
# tdxsim plan and tdxsim boot from the command line: exit codes, the
# kernel's lines, JSON that parses, an SVG that is XML, bad input exit 2.
# usage: cli_plan_boot.sh TDXSIM SOURCE_DIR
set -u
tdxsim=$1 src=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect CODE CMD...: run CMD, stdout+stderr to $tmp/out, check exit code.
expect() {
	want=$1; shift
	"$@" >"$tmp/out" 2>&1
	got=$?
	[ "$got" = "$want" ] || { fail "'$*' exited $got, want $want"; cat "$tmp/out"; }
}

has() { grep -qF -- "$1" "$tmp/out" || fail "output lacks '$1'"; }

maps=$src/tests/data/memmaps
expect 0 "$tdxsim" plan
has "policy linux: 3 TDMRs, 262668 KB allocated for PAMT"
has "policy compact: 2 TDMRs, 262664 KB allocated for PAMT"
has "TDMR 0: [0x0, 0x80000000) 2 GiB, PAMT on node 0"

expect 0 "$tdxsim" plan --policy linux "$maps/01-intel-2s-hpe-proc-iomem-memmap-legacy-pmem.txt"
has "(iomem)"
has "pmem-legacy, node 0"

expect 0 "$tdxsim" plan --json --policy linux --svg "$tmp/map.svg"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ok"] and d["plans"][0]["pamt_size"] == hex(262668 << 10)' "$tmp/out" ||
	fail "plan --json is not the expected JSON"
python3 -c 'import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); assert len(d.getElementsByTagName("rect")) > 10' "$tmp/map.svg" ||
	fail "plan --svg did not write an SVG with the map"

# The SVG: titled with the map's file name (XML-escaped: this one has all
# five special characters), a legend, every label inside the picture and
# clear of every bar (a character reckoned at 0.62 em, as sans-serif runs).
cp "$maps/01-intel-2s-hpe-proc-iomem-memmap-legacy-pmem.txt" "$tmp/a&b<c>'d\"e.txt"
expect 0 "$tdxsim" plan --svg "$tmp/named.svg" "$tmp/a&b<c>'d\"e.txt"
python3 - "$tmp/named.svg" "$tmp/map.svg" <<'PY' || fail "plan --svg: title, legend or labels"
import sys, math, xml.dom.minidom as m
def text(n):
    return "".join(c.data for c in n.childNodes if c.nodeType == c.TEXT_NODE)
def check(path, name):
    d = m.parse(path).documentElement
    W, H = float(d.getAttribute("width")), float(d.getAttribute("height"))
    title = text(d.getElementsByTagName("title")[0])
    assert title.startswith(name + ":"), (path, title)
    heading = text(d.getElementsByTagName("text")[0])
    assert heading.startswith(name + ":") and "default:" not in heading, heading
    legend = [g for g in d.getElementsByTagName("g") if g.getAttribute("id") == "legend"]
    assert legend, "no legend"
    words = {text(t) for t in legend[0].getElementsByTagName("text")}
    for w in ("RAM", "TDMR", "TDMR reserved area", "PAMT", "pmem-legacy"):
        assert w in words, (w, words)
    rects = [tuple(float(r.getAttribute(k)) for k in ("x", "y", "width", "height"))
             for r in d.getElementsByTagName("rect")]
    for t in d.getElementsByTagName("text"):
        x, y, fs = (float(t.getAttribute(k)) for k in ("x", "y", "font-size"))
        w = 0.62 * fs * len(text(t))
        if t.getAttribute("transform"):          # rotated 30 degrees about (x, y)
            a = math.radians(30)
            assert x + w * math.cos(a) <= W and y + w * math.sin(a) + fs <= H, ("tick clipped", text(t))
            continue
        assert 0 <= x and x + w <= W and y - fs >= 0 and y <= H, ("clipped", text(t), x, w)
        for rx, ry, rw, rh in rects:
            overlap = x < rx + rw and rx < x + w and y - fs < ry + rh and ry < y + 0.25 * fs
            assert not overlap, ("label under a bar", text(t), (rx, ry, rw, rh))
check(sys.argv[1], "a&b<c>'d\"e.txt")
check(sys.argv[2], "default platform")
PY

# Bad input: a clear message and exit 2, never a crash.
printf '00100000-5a7a0fff : System RAM\n0010000' >"$tmp/trunc.txt"
expect 2 "$tdxsim" plan "$tmp/trunc.txt"
has "trunc.txt:2:"
expect 2 "$tdxsim" plan "$tmp/does-not-exist"
expect 2 "$tdxsim" plan --format nonsense
expect 2 "$tdxsim" plan --policy nonsense
head -c 3000 /dev/urandom >"$tmp/garbage"
expect 2 "$tdxsim" plan "$tmp/garbage"
expect 2 "$tdxsim" plan --svg /nonexistent-dir/x.svg

expect 0 "$tdxsim" boot
has "virt/tdx: BIOS enabled: private KeyID range [32, 64)"
has "virt/tdx: 262668 KB allocated for PAMT"
has "virt/tdx: module initialized"
has "TDX ready"

expect 0 "$tdxsim" boot --policy compact
has "virt/tdx: 262664 KB allocated for PAMT"

expect 0 "$tdxsim" boot --json
cp "$tmp/out" "$tmp/boot.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ok"] and d["module_initialized"] and d["pamt_size"] == hex(262668 << 10) and "virt/tdx: module initialized" in d["log"]' "$tmp/out" ||
	fail "boot --json is not the expected JSON"

# A 1.0 module has no TDH.SYS.RD: the kernel cannot read its metadata.
expect 1 "$tdxsim" boot --profile 1.0
has "virt/tdx: module initialization failed (-5)"
# The kernel's own line stays as it is; the next names its numbers.
k=$(grep -n "virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc000050500000000\$" "$tmp/out" | cut -d: -f1)
n=$(grep -nx "tdxsim boot: SEAMCALL TDH.SYS.RD failed: TDX_SYS_NOT_READY (0xc000050500000000)" "$tmp/out" | cut -d: -f1)
[ -n "$k" ] && [ -n "$n" ] && [ "$n" -gt "$k" ] || fail "boot failure not named after the kernel line"
expect 1 "$tdxsim" boot --profile 1.0 --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["module_version"] is None, d; f=d["failed_seamcall"]; assert f["leaf_name"] == "TDH.SYS.RD" and f["status_name"] == "TDX_SYS_NOT_READY" and f["status"] == "0xc000050500000000" and f["operand"] is None, f' "$tmp/out" ||
	fail "boot --json: version not null or failure not named"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["module_version"] == "1.5.06" and d["failed_seamcall"] is None, d' "$tmp/boot.json" ||
	fail "boot --json on success"

# Output that cannot be written is a failure; help and version.
"$tdxsim" boot >/dev/full 2>"$tmp/err" && fail "boot > /dev/full exited 0"
grep -q "tdxsim boot: cannot write the output" "$tmp/err" || fail "no write error message"
"$tdxsim" --version >/dev/full 2>/dev/null && fail "--version > /dev/full exited 0"
# Every command, text and JSON: exit non-zero and say why.
"$tdxsim" run --report "$tmp/report" attest >/dev/null || fail "run attest for a report"
for c in "boot --json" "plan" "plan --json" "td" "td --json" "run hello" "run --json hello" \
	 "report verify $tmp/report" "report verify --json $tmp/report" \
	 "script $src/examples/scripts/bringup.tds" "help" "--help" "help run" "run --help"; do
	# shellcheck disable=SC2086  # $c is a command line
	"$tdxsim" $c >/dev/full 2>"$tmp/err"
	rc=$?
	[ $rc -ne 0 ] && grep -q "cannot write the output: No space left on device" "$tmp/err" ||
		fail "$c > /dev/full: rc $rc, $(cat "$tmp/err")"
done
expect 0 "$tdxsim" help boot
has "usage: tdxsim boot"
expect 0 "$tdxsim" help linux
has "usage: tdxsim linux boot"
expect 2 "$tdxsim" help nosuch
has "unknown command 'nosuch'"
expect 0 "$tdxsim" --version
grep -qx "tdxsim [0-9]*\.[0-9]*\.[0-9]*" "$tmp/out" || fail "--version: $(cat "$tmp/out")"
expect 2 "$tdxsim" boot --platform "$tmp/nonexistent.json"
has "tdxsim boot: "
expect 2 "$tdxsim" boot --profile 9.9
expect 2 "$tdxsim" boot --policy nonsense
expect 2 "$tdxsim" boot --platform "$tmp/garbage"

# The module's MAX_PKGS is 8: an 8-package platform brings TDX up, a
# 9-package one is refused before anything boots (it used to fail LP.INIT).
pkgs() {
	printf '{ "packages": %s, "lps_per_package": 1, "memmap": [ { "base": "0x0", "end": "0xa0000", "type": "ram" }, { "base": "0x100000", "end": "0x100000000", "type": "ram" } ] }\n' "$1"
}
pkgs 8 >"$tmp/p8.json"
pkgs 9 >"$tmp/p9.json"
expect 0 "$tdxsim" boot --platform "$tmp/p8.json"
has "8 packages x 1 LPs"
has "TDX ready"
expect 2 "$tdxsim" boot --platform "$tmp/p9.json"
has "packages: 9 is more than the 8 packages the TDX module supports (MAX_PKGS)"

[ "$fails" = 0 ] && echo "all CLI checks passed"
exit "$fails"
