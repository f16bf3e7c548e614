#!/bin/sh
# "-" as a file argument reads standard input, wherever a command reads a
# file: plan's MAP, --platform, script FILE, report verify FILE and --key,
# td --image. Each gives the same answer as the file; stdin given twice is
# a usage error.
# usage: cli_stdin.sh TDXSIM SOURCE_DIR
set -u
tdxsim=$1 src=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

map=$src/tests/data/memmaps/01-intel-2s-hpe-proc-iomem-memmap-legacy-pmem.txt
plat=$src/examples/platforms/default.json

# same NAME CMD...: CMD's stdout equals $tmp/want, with FILE names replaced.
same() {
	what=$1; shift
	"$@" > "$tmp/got" 2> "$tmp/err" || { fail "$what: exit $?: $(cat "$tmp/err")"; return; }
	cmp -s "$tmp/want" "$tmp/got" || fail "$what differs from the file's: $(diff "$tmp/want" "$tmp/got" | head -5)"
}

"$tdxsim" plan --json --policy linux "$map" | sed "s|$map|stdin|" > "$tmp/want"
same "plan -" sh -c '"$1" plan --json --policy linux - < "$2"' - "$tdxsim" "$map"
grep -q '"map": "stdin"' "$tmp/got" || fail "plan -: the map is not called stdin"

"$tdxsim" boot --json --platform "$plat" | grep -v '"elapsed_ms"\|"peak_rss' > "$tmp/want"
"$tdxsim" boot --json --platform - < "$plat" | grep -v '"elapsed_ms"\|"peak_rss' > "$tmp/got" ||
	fail "boot --platform -: exit $?"
cmp -s "$tmp/want" "$tmp/got" || fail "boot --platform - differs: $(diff "$tmp/want" "$tmp/got" | head)"

# A bad platform from stdin is named stdin in the message.
echo '{ "memmap": [] ' | "$tdxsim" boot --platform - > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "^tdxsim boot: stdin:" "$tmp/err" || fail "bad platform on stdin: rc $rc $(cat "$tmp/err")"

"$tdxsim" script "$src/examples/scripts/bringup.tds" > "$tmp/want" 2>&1 || fail "script FILE"
same "script -" sh -c '"$1" script - < "$2"' - "$tdxsim" "$src/examples/scripts/bringup.tds"
printf 'nonsense here\n' | "$tdxsim" script - > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "^stdin:1:" "$tmp/err" || fail "bad script on stdin: rc $rc $(cat "$tmp/err")"

# report verify: the quote, then the TDREPORT with its key on stdin.
"$tdxsim" run --quote "$tmp/q" --report "$tmp/r" --report-key "$tmp/k" attest n > /dev/null ||
	fail "run attest"
"$tdxsim" report verify "$tmp/q" | sed "s|$tmp/q|stdin|" > "$tmp/want"
same "report verify -" sh -c '"$1" report verify - < "$2"' - "$tdxsim" "$tmp/q"
"$tdxsim" report verify --key "$tmp/k" "$tmp/r" > "$tmp/want"
same "report verify --key -" sh -c '"$1" report verify --key - "$2" < "$3"' - "$tdxsim" "$tmp/r" "$tmp/k"
grep -q "^verdict: valid TDREPORT$" "$tmp/got" || fail "--key -: not valid"
"$tdxsim" report verify --key - - < "$tmp/k" > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "more than one input" "$tmp/err" || fail "stdin twice: rc $rc"

# td --image -: the MRTD of the same bytes; over the TD's memory refused.
head -c 10000 /dev/urandom > "$tmp/img"
"$tdxsim" td --memory 8M --image "$tmp/img" | grep '^MRTD' > "$tmp/want"
"$tdxsim" td --memory 8M --image - < "$tmp/img" | grep '^MRTD' > "$tmp/got"
[ -s "$tmp/want" ] && cmp -s "$tmp/want" "$tmp/got" || fail "td --image -: $(cat "$tmp/got")"
head -c 8192 /dev/zero | "$tdxsim" td --memory 8M --image-gpa 0x7ff000 --image - > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "image 'stdin': more than the 4096 bytes that fit" "$tmp/err" ||
	fail "td --image - too big: rc $rc $(cat "$tmp/err")"
"$tdxsim" td --image - < /dev/null > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "image 'stdin': empty" "$tmp/err" || fail "td --image - empty: rc $rc"
"$tdxsim" td --platform - --image - < /dev/null > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "more than one input" "$tmp/err" || fail "td stdin twice: rc $rc"

[ "$fails" = 0 ] && echo "cli_stdin: ok"
exit "$fails"
