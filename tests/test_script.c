/* SPDX-License-Identifier: MIT */
/*
 * The scenario runner (src/script, docs/scripting.md) through
 * script_run_text(): every command, every class of malformed input (exit 2,
 * "NAME:LINE: ..." and nothing run), failed expectations (exit 1 with file,
 * line, expected and actual), run-time errors, and robustness: every prefix
 * and 2000 seeded mutations of a valid script end in 0, 1 or 2.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "script/script.h"

struct result {
	int rc;
	char *out, *err;
	size_t outlen, errlen;
};

static void result_free(struct result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

static int run_len(const char *text, size_t len, struct result *r,
		   uint64_t max_steps)
{
	FILE *o = open_memstream(&r->out, &r->outlen);
	FILE *e = open_memstream(&r->err, &r->errlen);
	struct script_opts opts = { .out = o, .err = e, .max_steps = max_steps };

	assert_non_null(o);
	assert_non_null(e);
	r->rc = script_run_text(text, len, "t.tds", &opts);
	fclose(o);
	fclose(e);
	return r->rc;
}

static int run(const char *text, struct result *r)
{
	return run_len(text, strlen(text), r, 0);
}

/* Runs a script that must pass; prints its messages if it does not. */
static void expect_ok(const char *text)
{
	struct result r;

	/* The error first: a long script would push it out of cmocka's buffer. */
	if (run(text, &r) != 0)
		print_error("script failed (rc %d): %s--\n%s\n", r.rc, r.err, text);
	assert_int_equal(r.rc, 0);
	result_free(&r);
}

static void expect_fail(const char *text, const char *msg)
{
	struct result r;

	run(text, &r);
	if (r.rc != 1 || !strstr(r.err, msg))
		print_error("want rc 1 and \"%s\", got rc %d: %s", msg, r.rc, r.err);
	assert_int_equal(r.rc, 1);
	assert_non_null(strstr(r.err, msg));
	result_free(&r);
}

#define TINY "platform default lps=1x2 memory=16M\n"

/* ---- values and simple commands ---- */

static void test_numbers(void **state)
{
	(void)state;
	expect_ok("assert 0 == 0\n"
		  "assert 4096 == 0x1000\n"
		  "assert 0X1f == 31\n"
		  "assert 4K == 4096\n"
		  "assert 2k == 2048\n"
		  "assert 3M == 0x300000\n"
		  "assert 1G == 0x40000000\n"
		  "assert 0x10M == 16M\n"
		  "assert 18446744073709551615 == 0xFFFFFFFFFFFFFFFF\n"
		  "assert 1+2+3 == 6\n"
		  "assert 10-3-2 == 5\n"
		  "assert -1 == 0xFFFFFFFFFFFFFFFF\n"
		  "assert 0-1 == 0xFFFFFFFFFFFFFFFF\n"
		  "assert 0xFFFFFFFFFFFFFFFF+2 == 1\n"
		  "assert md:MAX_TDMRS == 0x9100000100000008\n"
		  "assert md:CMR_BASE[1] == md:CMR_BASE+1\n"
		  "assert 1 < 2\nassert 2 <= 2\nassert 3 > 2\nassert 3 >= 3\n"
		  "assert 1 != 2\nassert 1==1\nassert 1 ==1\n");
}

static void test_variables(void **state)
{
	(void)state;
	expect_ok("set a 5\n"
		  "set b $a+0x10\n"
		  "set a $a+$a\n"
		  "assert $a == 10\n"
		  "assert $b == 21\n"
		  "set _x9 $b-$a-1\n"
		  "assert $_x9 == 10\n");
}

static void test_echo(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(run("set v 255\necho v=$v $ x$v.y\necho\necho a#b # c\n",
			     &r), 0);
	assert_string_equal(r.out, "v=0xff $ x0xff.y\n\na#b\n");
	assert_string_equal(r.err, "");
	result_free(&r);
}

static void test_echo_undefined(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(run("set v 1\necho $v $vx\n", &r), 2);
	assert_non_null(strstr(r.err, "t.tds:2: undefined variable '$vx'"));
	result_free(&r);
}

static void test_memory(void **state)
{
	(void)state;
	expect_ok(TINY
		  "write 0x1000 u64 0x0102030405060708\n"
		  "read 0x1000 u8 expect 8\n"
		  "read 0x1000 u16 expect 0x0708\n"
		  "read 0x1000 u32 expect 0x05060708\n"
		  "read 0x1000 bytes 8 expect 0807060504030201\n"
		  "write 0x1003 u8 0xff\n"
		  "read 0x1000 u64 expect 0x01020304ff060708\n"
		  "write 0x2000 bytes de ad be ef\n"
		  "read 0x2000 u32 expect 0xefbeadde save as w\n"
		  "assert $w == 0xefbeadde\n"
		  "write 0x2000 zero 2\n"
		  "read 0x2000 bytes 4 expect 0000beef\n"
		  "write 0x3000 u16 0xffff keyid=0\n"
		  "read 0x3000 u16 keyid=0 expect 0xffff\n"
		  "read 0x10000000000000 u8 expect bad-address\n");
}

static void test_memory_keyids(void **state)
{
	(void)state;
	/* Default KeyIDs: 1..31 MKTME, 32..63 TDX private. */
	expect_ok(TINY
		  "write 0x4000 u64 42 keyid=40\n"
		  "read 0x4000 u64 keyid=40 expect 42\n"
		  "read 0x4000 u64 expect 0\n"
		  "read 0x4000 u64 keyid=5 expect 0\n"
		  "write 0x4008 u8 1\n"
		  "read 0x4000 u64 keyid=40 expect poison\n"
		  "write 0x4000 u64 43 keyid=40\n"
		  "read 0x4000 u64 keyid=40 expect 43\n");
}

static void test_read_prints(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(run(TINY "write 0x100 u32 0xabcd\nread 0x100 u32\n"
			     "read 0x100 bytes 3\n", &r), 0);
	assert_string_equal(r.out, "0x100: 0xabcd\n0x100: cdab00\n");
	result_free(&r);
}

static void test_lp_commands(void **state)
{
	(void)state;
	expect_ok("platform default lps=2x2 memory=16M\n"
		  "lp 3\nvmxon\nvmxoff\nvmxon\n"
		  "lp 0\noffline 3\nonline 3\n"
		  "vmxon all\nvmxon all\nvmxoff all\nvmxoff all\n"
		  "offline 1\nvmxon all\n"
		  "seamcall TDH.SYS.INIT lp=0 expect TDX_SUCCESS\n"
		  "seamcall TDH.SYS.LP.INIT lp=2 expect TDX_SUCCESS\n"
		  "seamcall TDH.SYS.LP.INIT lp=2 expect TDX_SYS_LP_INIT_DONE\n");
}

static void test_seamcall_door(void **state)
{
	(void)state;
	expect_ok(TINY
		  "seamcall TDH.SYS.INIT expect TDX_SEAMCALL_UD\n"
		  "seamcall TDH.SYS.INIT expect TDX_SW_ERROR|6\n"
		  "seamcall TDH.SYS.INIT expect 0x8000FF0000000006\n"
		  "seamcall TDH.SYS.INIT expect error\n"
		  "seamcall TDH.SYS.INIT expect any\n"
		  "seamcall TDH.SYS.INIT\n"
		  "assert status == TDX_SEAMCALL_UD\n"
		  "assert status != success\n"
		  "vmxon\n"
		  "seamcall TDH.SYS.INIT expect TDX_SUCCESS rcx=0 rdx=0\n"
		  "seamcall TDH_SYS_INIT expect TDX_SYS_INIT_NOT_PENDING\n"
		  "seamcall 33 expect TDX_SYS_INIT_NOT_PENDING\n"
		  "seamcall 0x21 version=0 expect TDX_SYS_INIT_NOT_PENDING\n"
		  "seamcall TDH.SYS.LP.INIT expect success save status as s\n"
		  "assert $s == 0\n"
		  "seamcall TDH.SYS.RD rdx=md:MAX_TDMRS r13=7 expect TDX_SUCCESS "
		  "r8=64 r13=7 save r8 as m save rdx as next\n"
		  "assert $m == 64\nassert r8 == 64\nassert r13 == 7\n"
		  "assert rdx == $next\n");
}

static void test_seamcall_no_module(void **state)
{
	(void)state;
	expect_ok("platform default lps=1x1 memory=16M module=off\nvmxon\n"
		  "seamcall TDH.SYS.INIT expect TDX_SEAMCALL_VMFAILINVALID\n");
	expect_ok("platform default lps=1x1 memory=16M tdx-keyids=0\nvmxon\n"
		  "seamcall TDH.SYS.INIT expect TDX_SEAMCALL_GP\n");
}

static void test_operand_status(void **state)
{
	(void)state;
	/* TDH.SYS.INIT with RCX != 0: TDX_OPERAND_INVALID|RCX. A bare name
	 * matches any operand; NAME|OP and numbers match exactly. */
	expect_ok(TINY "vmxon\n"
		  "seamcall TDH.SYS.INIT rcx=1 expect TDX_OPERAND_INVALID\n"
		  "seamcall TDH.SYS.INIT rcx=1 expect TDX_OPERAND_INVALID|RCX\n"
		  "assert status == TDX_OPERAND_INVALID|RCX\n"
		  "assert status != TDX_OPERAND_INVALID|RDX\n");
	expect_fail(TINY "vmxon\n"
		    "seamcall TDH.SYS.INIT rcx=1 expect TDX_OPERAND_INVALID|RDX\n",
		    "t.tds:3: expected TDX_OPERAND_INVALID|RDX, got TDX_OPERAND_INVALID|RCX (0x");
}

static void test_loops(void **state)
{
	(void)state;
	expect_ok("set n 0\nrepeat 0\nset n 1\nend\nassert $n == 0\n"
		  "repeat 5\nset n $n+1\nend\nassert $n == 5\n"
		  "set n 0\nrepeat 3\nrepeat 2\nset n $n+1\nend\nend\n"
		  "assert $n == 6\n"
		  "set n 0\nrepeat 100\nset n $n+1\nbreak-if $n >= 7\nend\n"
		  "assert $n == 7\n"
		  "set n 0\nrepeat 4\nrepeat 100\nset n $n+1\nbreak-if $n>=3\n"
		  "end\nend\nassert $n == 6\n"
		  "set c 2\nrepeat $c+1\nset n $n+1\nend\nassert $n == 9\n"
		  "repeat 1000000\nbreak-if 1 == 1\nend\n");
}

static void test_loop_on_register(void **state)
{
	(void)state;
	expect_ok(TINY "vmxon\nseamcall TDH.SYS.INIT\nseamcall TDH.SYS.LP.INIT\n"
		  "set i 0\n"
		  "repeat 10\n"
		  "  seamcall TDH.SYS.RD rdx=md:MAX_TDMRS expect TDX_SUCCESS\n"
		  "  set i $i+1\n"
		  "  break-if r8 == 64\n"
		  "end\n"
		  "assert $i == 1\n");
}

static void test_inject(void **state)
{
	(void)state;
	expect_ok(TINY "vmxon\ninject global-lock 1\n"
		  "seamcall TDH.SYS.INIT expect TDX_SYS_BUSY\n"
		  "seamcall TDH.SYS.INIT expect TDX_SUCCESS\n");
	expect_fail("platform default lps=1x1 memory=16M module=off\n"
		    "inject rdrand 1\n", "t.tds:2: cannot inject: no TDX module");
}

static void test_strict(void **state)
{
	(void)state;
	expect_ok(TINY "strict on\nseamcall TDH.SYS.INIT expect error\n"
		  "strict off\nseamcall TDH.SYS.INIT\n");
	expect_fail(TINY "strict on\nseamcall TDH.SYS.INIT\necho no\n",
		    "t.tds:3: TDH.SYS.INIT returned TDX_SEAMCALL_UD (0x8000ff0000000006) (strict mode)");
}

static void test_verbose(void **state)
{
	struct result r = { 0 };
	FILE *o = open_memstream(&r.out, &r.outlen);
	FILE *e = open_memstream(&r.err, &r.errlen);
	struct script_opts opts = { .out = o, .err = e, .verbose = true };
	const char *text = TINY "seamcall TDH.SYS.INIT   rcx=5\n";

	(void)state;
	assert_int_equal(script_run_text(text, strlen(text), "v.tds", &opts), 0);
	fclose(o);
	fclose(e);
	assert_non_null(strstr(r.out, "v.tds:1: platform default"));
	assert_non_null(strstr(r.out, "v.tds:2: seamcall TDH.SYS.INIT rcx=5\n"
				      "  => TDX_SEAMCALL_UD (0x8000ff0000000006)\n"));
	result_free(&r);
}

static void test_platform_file(void **state)
{
	const char *src = getenv("TDXSIM_SOURCE_DIR");
	char name[4096];
	const char *ok = "platform file default.json lps=1x2 memory=16M\n"
			 "vmxon\nseamcall TDH.SYS.INIT expect TDX_SUCCESS\n";
	const char *missing = "platform file no-such-file.json\n";
	struct script_opts opts = { .out = stdout, .err = stderr };
	FILE *devnull = fopen("/dev/null", "w");

	(void)state;
	if (!src)
		skip();
	/* Paths are relative to the script's directory. */
	snprintf(name, sizeof(name), "%s/examples/platforms/x.tds", src);
	assert_int_equal(script_run_text(ok, strlen(ok), name, &opts), 0);
	opts.err = devnull;
	assert_int_equal(script_run_text(missing, strlen(missing), name, &opts), 1);
	fclose(devnull);
}

static void test_run_file(void **state)
{
	const char *src = getenv("TDXSIM_SOURCE_DIR");
	char path[4096];
	FILE *devnull = fopen("/dev/null", "w");
	struct script_opts opts = { .out = devnull, .err = devnull };

	(void)state;
	assert_int_equal(script_run_file("/nonexistent/x.tds", &opts), 2);
	if (src) {
		snprintf(path, sizeof(path), "%s/tests/scripts/runner_basics.tds", src);
		assert_int_equal(script_run_file(path, &opts), 0);
		snprintf(path, sizeof(path),
			 "%s/tests/scripts/runner_expect.fail.tds", src);
		assert_int_equal(script_run_file(path, &opts), 1);
		/* The examples run, their lib/ includes with them. */
		snprintf(path, sizeof(path), "%s/examples/scripts/td.tds", src);
		assert_int_equal(script_run_file(path, &opts), 0);
		snprintf(path, sizeof(path), "%s/examples/scripts/bringup.tds", src);
		assert_int_equal(script_run_file(path, &opts), 0);
	}
	fclose(devnull);
}

/* ---- malformed input: exit 2, "t.tds:LINE: ...", nothing ran ---- */

static const struct malformed {
	const char *text;
	unsigned line;
	const char *msg;
} malformed[] = {
	{ "frobnicate\n", 2, "unknown command 'frobnicate'" },
	{ "PLATFORM default\n", 2, "unknown command" },
	{ "lp 0\n", 2, "needs a machine" },
	{ "seamcall TDH.SYS.INIT\n", 2, "needs a machine" },
	{ "platform\n", 2, "usage: platform" },
	{ "platform bogus\n", 2, "usage: platform" },
	{ "platform file\n", 2, "missing path" },
	{ TINY "platform default\n", 3, "a second 'platform'" },
	{ "repeat 2\n" TINY "end\n", 3, "'platform' inside 'repeat'" },
	{ "platform default colour=red\n", 2, "unknown platform option" },
	{ "platform default lps=2\n", 2, "lps= wants" },
	{ "platform default lps=0x4\n", 2, "at most" },
	{ "platform default lps=99x99\n", 2, "at most" },
	{ "platform default lps=9x1\n", 2, "lps=9x1: at most 8 packages (the TDX module's MAX_PKGS)" },
	{ "platform default lps=2xq\n", 2, "bad number" },
	{ "platform default profile=2.0\n", 2, "unknown profile" },
	{ "platform default module=maybe\n", 2, "expected on or off" },
	{ "platform default memory=lots\n", 2, "bad number" },
	{ "set\n", 2, "missing argument for 'set'" },
	{ "set x\n", 2, "missing argument" },
	{ "set x 1 2\n", 2, "too many arguments" },
	{ "set 9x 1\n", 2, "bad variable name" },
	{ "set x-y 1\n", 2, "bad variable name" },
	{ "set x 12q\n", 2, "bad number '12q'" },
	{ "set x 0x\n", 2, "bad number" },
	{ "set x 0xg\n", 2, "bad number" },
	{ "set x K\n", 2, "bad number" },
	{ "set x 18446744073709551616\n", 2, "number too large" },
	{ "set x 0x10000000000000000\n", 2, "number too large" },
	{ "set x 0x400000000000000K\n", 2, "number too large" },
	{ "set x 1++2\n", 2, "bad value" },
	{ "set x 1+\n", 2, "bad value" },
	{ "set x 1+2+3+4+5+6+7+8+9+10+11+12+13+14+15+16+17\n", 2, "expression too long" },
	{ "set x $y\n", 2, "undefined variable '$y'" },
	{ "set x $\n", 2, "undefined variable" },
	{ "set x $x\n", 2, "undefined variable '$x'" },
	{ "set x md:NO_SUCH_FIELD\n", 2, "unknown metadata field" },
	{ TINY "lp\n", 3, "missing argument for 'lp'" },
	{ TINY "lp 1 2\n", 3, "too many arguments" },
	{ TINY "vmxon some\n", 3, "expected 'all'" },
	{ TINY "vmxoff all now\n", 3, "too many arguments" },
	{ TINY "online\n", 3, "missing argument" },
	{ TINY "offline x\n", 3, "bad number" },
	{ TINY "inject cosmic-ray 1\n", 3, "unknown injection 'cosmic-ray' (one of: rdrand" },
	{ TINY "inject\n", 3, "missing argument for 'inject'" },
	{ TINY "inject rdrand 1 2\n", 3, "unexpected '2'" },
	{ TINY "inject rdrand nth=1 2\n", 3, "unexpected '2'" },
	{ TINY "inject rdrand nth=1 nth=2\n", 3, "nth= given twice" },
	{ TINY "inject rdrand colour=2\n", 3, "unexpected 'colour=2'" },
	{ TINY "inject rdrand 1 nth=1 nth=2 x\n", 3, "too many arguments" },
	{ TINY "wrmsr\n", 3, "missing argument for 'wrmsr'" },
	{ TINY "wrmsr 0x10\n", 3, "missing argument for 'wrmsr'" },
	{ TINY "rdmsr\n", 3, "missing argument for 'rdmsr'" },
	{ TINY "wrmsr IA32_NOPE 1\n", 3, "bad number 'IA32_NOPE'" },
	{ TINY "wrmsr 0x10 1 lp=1 lp=2\n", 3, "lp= given twice" },
	{ TINY "wrmsr 0x10 1 expect 3\n", 3, "wrmsr expects only 'gp'" },
	{ TINY "wrmsr 0x10 1 save as x\n", 3, "unexpected 'save'" },
	{ TINY "rdmsr 0x10 lp=all\n", 3, "rdmsr reads one LP" },
	{ TINY "rdmsr 0x10 expect\n", 3, "missing value after 'expect'" },
	{ TINY "rdmsr 0x10 expect gp expect 1\n", 3, "'expect' given twice" },
	{ TINY "rdmsr 0x10 save x\n", 3, "usage: save as NAME" },
	{ TINY "rdmsr 0x10 save as x save as y\n", 3, "'save' given twice" },
	{ TINY "rdmsr 0x10 colour=1\n", 3, "unexpected 'colour=1'" },
	{ TINY "pool\n", 3, "usage: pool BASE SIZE" },
	{ TINY "pool take\n", 3, "usage: pool BASE SIZE" },
	{ TINY "pool take 9x\n", 3, "bad variable name" },
	{ TINY "pool 1M\n", 3, "usage: pool BASE SIZE" },
	{ TINY "td\n", 3, "missing subcommand (td create, td run" },
	{ TINY "td destroy\n", 3, "unknown command 'td destroy'" },
	{ TINY "td create colour=red\n", 3, "unexpected 'colour=red' (usage: td create" },
	{ TINY "td create vcpus=1 vcpus=2\n", 3, "vcpus= given twice" },
	{ TINY "td create program=nosuch\n", 3, "no guest program 'nosuch'" },
	{ TINY "td create program=touch args=abc\n", 3, "touch: argument 1 'abc' is not a number" },
	{ TINY "td create program=hello args=1\n", 3, "hello takes at most 0 arguments" },
	{ TINY "td create program=none args=1\n", 3, "args= without a program" },
	{ TINY "td create params=0 xfam=3\n", 3, "params= is the whole TD_PARAMS" },
	{ TINY "td create finalize=maybe\n", 3, "finalize=yes or finalize=no" },
	{ TINY "td create add=1 add=2 add=3 add=4 add=5 add=6 add=7 add=8 add=9\n", 3,
	  "at most 8 add= pages" },
	{ TINY "td create expect\n", 3, "missing status after 'expect'" },
	{ TINY "td create expect any expect any\n", 3, "'expect' given twice" },
	{ TINY "td create expect any vcpus=2\n", 3, "'vcpus=2' after 'expect'" },
	{ TINY "td create save tdr\n", 3, "usage: save WHAT as NAME" },
	{ TINY "td create save tdvpx as x\n", 3, "cannot save 'tdvpx'" },
	{ TINY "td create save tdvpr[x] as x\n", 3, "cannot save 'tdvpr[x]'" },
	{ TINY "td create save tdvpr[99] as x\n", 3, "cannot save 'tdvpr[99]'" },
	{ TINY "td create save tdr[0] as x\n", 3, "cannot save 'tdr[0]'" },
	{ TINY "td create save tdr as x vcpus=1\n", 3, "unexpected 'vcpus=1' after 'save'" },
	{ TINY "td run expect\n", 3, "missing outcome after 'expect'" },
	{ TINY "td run expect sleeping\n", 3, "expected exit[=N], halted, guest-fatal[=N], "
	  "shutdown, td-fatal or the status of a refused entry, not 'sleeping'" },
	{ TINY "td run expect exit=x\n", 3, "bad number" },
	{ TINY "td run expect halted td=1\n", 3, "unexpected 'td=1'" },
	{ TINY "td run console\n", 3, "missing text after 'console'" },
	{ TINY "td run td=1 td=2\n", 3, "td= given twice" },
	{ TINY "td run vcpu=1 vcpu=2\n", 3, "vcpu= given twice" },
	{ TINY "td run now\n", 3, "unexpected 'now' (usage: td run" },
	{ TINY "td fatal\n", 3, "usage: td fatal TDR" },
	{ TINY "td fatal 1 2\n", 3, "usage: td fatal TDR" },
	{ TINY "td sept\n", 3, "missing GPA" },
	{ TINY "td sept 0 level=1 level=2\n", 3, "level= given twice" },
	{ TINY "td sept 0 colour=1\n", 3, "unexpected 'colour=1'" },
	{ TINY "tdcall\n", 3, "missing leaf (usage: tdcall LEAF" },
	{ TINY "tdcall TDH.SYS.INIT\n", 3, "unknown TDCALL leaf 'TDH.SYS.INIT'" },
	{ TINY "tdcall TDG.VP.VMCALL\n", 3, "tdcall cannot issue TDG.VP.VMCALL" },
	{ TINY "tdcall 0x10000\n", 3, "tdcall cannot issue TDG.VP.VMCALL" },
	{ TINY "tdcall TDG.VP.INFO lp=1\n", 3, "a tdcall runs on its vCPU's LP: no lp=" },
	{ TINY "tdcall TDG.VP.INFO td=1 td=2\n", 3, "td= given twice" },
	{ TINY "tdcall TDG.VP.INFO vcpu=1 vcpu=2\n", 3, "vcpu= given twice" },
	{ TINY "seamcall TDH.SYS.INIT td=1\n", 3, "td= and vcpu= belong to tdcall" },
	{ TINY "seamcall TDH.SYS.INIT vcpu=1\n", 3, "td= and vcpu= belong to tdcall" },
	{ TINY "seamcall TDH.SYS.INIT expect any fired=1 fired=2\n", 3, "fired= given twice" },
	{ TINY "seamcall TDH.SYS.INIT fired=1\n", 3, "fired= is an expectation" },
	{ TINY "seamcall TDH.SYS.INIT save seen as x\n", 3, "cannot save 'seen' (a register, status or fired)" },
	{ "strict maybe\n", 2, "expected on or off" },
	{ "strict\n", 2, "missing argument" },
	{ TINY "write 0 u64\n", 3, "missing value" },
	{ TINY "write 0\n", 3, "missing argument for 'write'" },
	{ TINY "write 0 u128 1\n", 3, "unknown access type 'u128'" },
	{ TINY "write 0 u8 1 keyid=1 keyid=2\n", 3, "keyid= given twice" },
	{ TINY "write 0 u8 1 colour=1\n", 3, "unexpected 'colour=1'" },
	{ TINY "write 0 bytes\n", 3, "expected hex bytes" },
	{ TINY "write 0 bytes 0f0\n", 3, "odd number of hex digits" },
	{ TINY "write 0 bytes 0g\n", 3, "bad hex bytes" },
	{ TINY "write 0 zero\n", 3, "missing length" },
	{ TINY "read 0 zero 4\n", 3, "unknown access type 'zero'" },
	{ TINY "read 0 bytes\n", 3, "missing length" },
	{ TINY "read 0 u8 expect\n", 3, "missing value after 'expect'" },
	{ TINY "read 0 u8 expect 1 expect 2\n", 3, "'expect' given twice" },
	{ TINY "read 0 bytes 2 expect 00\n", 3, "read of 2 bytes expects 1 bytes" },
	{ TINY "read 0 bytes 2 save as x\n", 3, "'save' needs a u8" },
	{ TINY "read 0 u8 save x\n", 3, "usage: save as NAME" },
	{ TINY "read 0 u8 save as 1x\n", 3, "bad variable name" },
	{ TINY "seamcall\n", 3, "missing leaf" },
	{ TINY "seamcall TDH.NO.SUCH\n", 3, "unknown SEAMCALL leaf 'TDH.NO.SUCH'" },
	{ TINY "seamcall 0x1z\n", 3, "bad number" },
	{ TINY "seamcall TDH.SYS.INIT rax=1\n", 3, "unknown register 'rax'" },
	{ TINY "seamcall TDH.SYS.INIT rcx\n", 3, "expected REG=VALUE" },
	{ TINY "seamcall TDH.SYS.INIT =1\n", 3, "expected REG=VALUE" },
	{ TINY "seamcall TDH.SYS.INIT rcx=1 RCX=2\n", 3, "register rcx given twice" },
	{ TINY "seamcall TDH.SYS.INIT rcx=\n", 3, "bad value" },
	{ TINY "seamcall TDH.SYS.INIT version=1 version=1\n", 3, "version= given twice" },
	{ TINY "seamcall TDH.SYS.INIT lp=1 lp=1\n", 3, "lp= given twice" },
	{ TINY "seamcall TDH.SYS.INIT expect\n", 3, "missing status after 'expect'" },
	{ TINY "seamcall TDH.SYS.INIT expect TDX_NOPE\n", 3, "unknown status 'TDX_NOPE'" },
	{ TINY "seamcall TDH.SYS.INIT expect TDX_SEAMCALL_UD|RCX\n", 3, "unknown status" },
	{ TINY "seamcall TDH.SYS.INIT expect any expect any\n", 3, "'expect' must follow" },
	{ TINY "seamcall TDH.SYS.INIT expect any r8\n", 3, "expected REG=VALUE" },
	{ TINY "seamcall TDH.SYS.INIT save r8\n", 3, "usage: save REG|status|fired as NAME" },
	{ TINY "seamcall TDH.SYS.INIT save r8 to x\n", 3, "usage: save REG|status|fired as NAME" },
	{ TINY "seamcall TDH.SYS.INIT save rip as x\n", 3, "cannot save 'rip'" },
	{ TINY "seamcall TDH.SYS.INIT save r8 as x rcx=1\n", 3, "unexpected 'rcx=1' after 'save'" },
	{ "repeat\n", 2, "missing argument for 'repeat'" },
	{ "repeat 2\n", 2, "'repeat' without 'end'" },
	{ "repeat 2\nrepeat 3\nend\n", 2, "'repeat' without 'end'" },
	{ "end\n", 2, "'end' without 'repeat'" },
	{ "repeat 1\nend extra\nend\n", 3, "too many arguments" },
	{ "repeat 1000001\nend\n", 2, "above the limit" },
	{ "repeat 1\nrepeat 1\nrepeat 1\nrepeat 1\nrepeat 1\nrepeat 1\nrepeat 1\n"
	  "repeat 1\nrepeat 1\nrepeat 1\nrepeat 1\nrepeat 1\nrepeat 1\nrepeat 1\n"
	  "repeat 1\nrepeat 1\nrepeat 1\n", 18, "nested too deeply" },
	{ "break-if 1 == 1\n", 2, "'break-if' outside 'repeat'" },
	{ "repeat 2\nbreak-if\nend\n", 3, "missing condition" },
	{ "repeat 2\nbreak-if 1 = 1\nend\n", 3, "bad comparison" },
	{ "assert 1\n", 2, "expected a comparison" },
	{ "assert == 1\n", 2, "bad comparison" },
	{ "assert 1 ==\n", 2, "bad comparison" },
	{ "assert 1 == 2 == 3\n", 2, "bad comparison" },
	{ "assert 1 =! 2\n", 2, "bad comparison operator" },
	{ "assert status < 3\n", 2, "a status compares only with == or !=" },
	{ "assert status == TDX_WHAT\n", 2, "unknown status" },
	{ "assert $q == 1\n", 2, "undefined variable" },
	{ "set x 1\x01\n", 2, "control character 0x01" },
	{ "set x 1\x7f\n", 2, "control character 0x7f" },
};

static void test_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		const struct malformed *m = &malformed[i];
		size_t n = strlen(m->text) + 16;
		char *text = malloc(n), prefix[32];
		struct result r;

		/* A first line that would print if anything ran. */
		assert_non_null(text);
		snprintf(text, n, "echo ran\n%s", m->text);
		run(text, &r);
		snprintf(prefix, sizeof(prefix), "t.tds:%u: ", m->line);
		if (r.rc != 2 || strncmp(r.err, prefix, strlen(prefix)) ||
		    !strstr(r.err, m->msg) || r.outlen)
			print_error("case %zu: %s\nwant rc 2, \"%s%s\"; got rc %d, err \"%s\", out \"%s\"\n",
				    i, m->text, prefix, m->msg, r.rc, r.err, r.out);
		assert_int_equal(r.rc, 2);
		assert_int_equal(strncmp(r.err, prefix, strlen(prefix)), 0);
		assert_non_null(strstr(r.err, m->msg));
		assert_int_equal(r.outlen, 0);
		result_free(&r);
		free(text);
	}
}

static void test_malformed_limits(void **state)
{
	char *text = malloc(8192);
	struct result r;
	size_t n;

	(void)state;
	/* A line over the limit. */
	n = (size_t)sprintf(text, "echo ");
	memset(text + n, 'a', 5000);
	text[n + 5000] = '\n';
	assert_int_equal(run_len(text, n + 5001, &r, 0), 2);
	assert_non_null(strstr(r.err, "t.tds:1: line too long"));
	result_free(&r);
	/* Too many tokens. */
	n = 0;
	for (int i = 0; i < 70; i++)
		n += (size_t)sprintf(text + n, "a ");
	assert_int_equal(run_len(text, n, &r, 0), 2);
	assert_non_null(strstr(r.err, "t.tds:1: too many tokens"));
	result_free(&r);
	/* A NUL byte inside the text. */
	memcpy(text, "echo a\nset x 1\0\n", 16);
	assert_int_equal(run_len(text, 16, &r, 0), 2);
	assert_non_null(strstr(r.err, "t.tds:2: NUL byte"));
	result_free(&r);
	/* A variable name too long. */
	n = (size_t)sprintf(text, "set ");
	memset(text + n, 'v', 70);
	text[n + 70] = '\0';
	strcat(text, " 1\n");
	assert_int_equal(run(text, &r), 2);
	assert_non_null(strstr(r.err, "variable name too long"));
	result_free(&r);
	free(text);
}

static void test_too_many_variables(void **state)
{
	char *text = malloc(300 * 16);
	struct result r;
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 300; i++)
		n += (size_t)sprintf(text + n, "set v%d 1\n", i);
	assert_int_equal(run_len(text, n, &r, 0), 2);
	assert_non_null(strstr(r.err, "t.tds:257: too many variables"));
	result_free(&r);
	free(text);
}

/* ---- failed expectations and run-time errors: exit 1 ---- */

static void test_failed_expectations(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(run(TINY "echo before\n"
			     "seamcall TDH.SYS.INIT expect TDX_SUCCESS\n"
			     "echo after\n", &r), 1);
	assert_string_equal(r.err, "t.tds:3: expected TDX_SUCCESS, got "
			    "TDX_SEAMCALL_UD (0x8000ff0000000006)\n");
	assert_string_equal(r.out, "before\n");   /* the run stopped */
	result_free(&r);

	expect_fail(TINY "vmxon\nseamcall TDH.SYS.INIT\nseamcall TDH.SYS.LP.INIT\n"
		    "seamcall TDH.SYS.RD rdx=md:MAX_TDMRS expect TDX_SUCCESS r8=0x10\n",
		    "t.tds:5: r8: expected 0x10, got 0x40\n");
	expect_fail(TINY "seamcall TDH.SYS.INIT expect success\n",
		    "t.tds:2: expected success (bit 63 clear), got TDX_SEAMCALL_UD");
	expect_fail(TINY "vmxon\nseamcall TDH.SYS.INIT expect error\n",
		    "t.tds:3: expected error (bit 63 set), got TDX_SUCCESS (0x0000000000000000)");
	expect_fail(TINY "write 0x10 u32 5\nread 0x10 u32 expect 6\n",
		    "t.tds:3: read 0x10: expected 0x6, got 0x5\n");
	expect_fail(TINY "read 0x10 bytes 2 expect 0001\n",
		    "t.tds:2: read 0x10: bytes differ\nt.tds:2: expected 0001\nt.tds:2: got      0000\n");
	expect_fail(TINY "read 0x10 u8 expect poison\n",
		    "t.tds:2: read 0x10: expected poison (machine check), got ok");
	expect_fail(TINY "write 0 u8 1 keyid=40\nwrite 0 u8 1\nread 0 u8 keyid=40\n",
		    "t.tds:4: read 0x");
	expect_fail("set a 3\nassert $a > 4\n",
		    "t.tds:2: assertion failed: $a > 4 (0x3 vs 0x4)");
	expect_fail(TINY "seamcall TDH.SYS.INIT\nassert status == success\n",
		    "t.tds:3: assertion failed: status == success (status is TDX_SEAMCALL_UD");
}

static void test_runtime_errors(void **state)
{
	const char *text;
	struct result r;

	(void)state;
	expect_fail(TINY "lp 2\n", "t.tds:2: no LP 2 (the platform has 2)");
	expect_fail(TINY "offline 1\nlp 1\n", "t.tds:3: LP 1 is offline");
	expect_fail(TINY "offline 0\n", "t.tds:2: LP 0 is busy");
	expect_fail(TINY "online 7\n", "no LP 7");
	expect_fail(TINY "vmxon\nvmxon\n", "t.tds:3: LP 0 is already in VMX operation");
	expect_fail(TINY "vmxoff\n", "t.tds:2: LP 0 is not in VMX operation");
	expect_fail(TINY "offline 1\nseamcall TDH.SYS.INIT lp=1\n", "t.tds:3: LP 1 is offline");
	expect_fail(TINY "seamcall TDH.SYS.INIT lp=9\n", "no LP 9");
	expect_fail(TINY "seamcall TDH.SYS.INIT version=256\n", "does not fit in RAX[23:16]");
	expect_fail(TINY "write 0 u8 0x100\n", "t.tds:2: value 0x100 does not fit in 1 bytes");
	expect_fail(TINY "write 0 u8 1 keyid=64\n", "KeyID 64 does not fit");
	expect_fail(TINY "write 0x10000000000000 u8 1\n", "write to 0x10000000000000: bad-address");
	expect_fail(TINY "read 0 bytes 5000\n", "length 5000 is not in 1..4096");
	expect_fail(TINY "write 0 zero 0\n", "length 0 is not in");
	expect_fail(TINY "set n 2\nread 0 bytes $n expect 00\n", "read of 2 bytes expects 1 bytes");
	expect_fail("set n 2000000\nrepeat $n\nend\n", "t.tds:2: repeat count 2000000 is above");
	expect_fail("repeat 2\nbreak-if 1 == 1\nset x 1\nend\necho $x\n",
		    "t.tds:5: variable $x is not set yet");
	expect_fail("repeat 2\nbreak-if 1 == 1\nset x 1\nend\nset y $x\n",
		    "t.tds:5: variable $x is not set yet");
	expect_fail("assert r8 == 1\n", "t.tds:1: 'r8 == 1' needs an earlier seamcall");
	expect_fail("platform default memory=0\n", "t.tds:1: cannot build the platform");
	expect_fail("platform default lps=8x32 memory=16M tdx-keyids=0x100000000\n",
		    "too large");
	expect_fail(TINY "inject rdrand 1000001\n", "t.tds:2: count 1000001 is not in 1..1000000");
	expect_fail(TINY "inject rdrand 0\n", "t.tds:2: count 0 is not in 1..1000000");
	expect_fail(TINY "inject rdrand nth=0\n", "t.tds:2: nth= 0 is not in 1..1000000");

	/* The step budget stops a long run. */
	text = "repeat 1000000\nrepeat 1000000\nend\nend\n";
	assert_int_equal(run_len(text, strlen(text), &r, 1000), 1);
	assert_non_null(strstr(r.err, "step limit of 1000 exceeded"));
	result_free(&r);
}

/* ---- MSRs ---- */

static void test_msr(void **state)
{
	struct result r;

	(void)state;
	expect_ok(TINY "wrmsr IA32_LSTAR 0xFFFFFFFF81000000\n"
		  "rdmsr IA32_LSTAR expect 0xFFFFFFFF81000000\n"
		  "rdmsr ia32_lstar lp=1 save as other\n"
		  "assert $other != 0xFFFFFFFF81000000\n"
		  "wrmsr 0xC0000082 5 lp=all\n"
		  "rdmsr IA32_LSTAR lp=1 expect 5\n"
		  "lp 1\nrdmsr 0xC0000082 expect 5\n"
		  "rdmsr 0x12345 expect gp\nwrmsr 0x12345 1 expect gp\n");
	/* A read with neither expect nor save prints. */
	assert_int_equal(run(TINY "wrmsr IA32_TSC_AUX 0x2a lp=1\nrdmsr IA32_TSC_AUX lp=1\n", &r), 0);
	assert_string_equal(r.out, "LP 1 IA32_TSC_AUX: 0x2a\n");
	result_free(&r);
	/* The module sees what was written: TME not active, no SYS.INIT. */
	expect_ok(TINY "vmxon all\nwrmsr IA32_TME_ACTIVATE 0x600000002 lp=all\n"
		  "seamcall TDH.SYS.INIT expect TDX_INCORRECT_MSR_VALUE|0x982\n");
	expect_fail(TINY "rdmsr 0x12345\n", "t.tds:2: LP 0 does not implement MSR 0x12345 (#GP)");
	expect_fail(TINY "wrmsr 0x12345 1 lp=1\n", "t.tds:2: LP 1 does not implement MSR 0x12345");
	expect_fail(TINY "wrmsr IA32_LSTAR 1 expect gp\n",
		    "t.tds:2: wrmsr IA32_LSTAR on LP 0: expected #GP, the LP has it");
	expect_fail(TINY "rdmsr IA32_LSTAR expect gp\n",
		    "t.tds:2: rdmsr IA32_LSTAR on LP 0: expected #GP, got 0x");
	expect_fail(TINY "rdmsr IA32_TSC_AUX expect 1\n",
		    "t.tds:2: rdmsr IA32_TSC_AUX on LP 0: expected 0x1, got 0x0");
	expect_fail(TINY "wrmsr IA32_MKTME_KEYID_PARTITIONING 0\n",
		    "t.tds:2: LP 0 refused 0x0 for IA32_MKTME_KEYID_PARTITIONING (#GP): "
		    "the KeyID layout is the platform's");
	expect_ok(TINY "wrmsr IA32_TME_ACTIVATE 0x100000003 expect gp\n");
	expect_fail(TINY "rdmsr 0x100000000\n", "t.tds:2: MSR 0x100000000: an MSR index is 32 bits");
	expect_fail(TINY "rdmsr 0x10 lp=2\n", "t.tds:2: no LP 2 (the platform has 2)");
}

/* ---- TDs: a machine brought up by hand, then td create and friends ---- */

/* 2x2 LPs, 64 MiB: one 1 GiB TDMR with [0, 1M), the PAMTs and [64M, 1G)
 * reserved; TD pages from [16M, 48M). */
#define UP "platform default lps=2x2 memory=64M\n" \
	"vmxon all\nseamcall TDH.SYS.INIT expect TDX_SUCCESS\n" \
	"seamcall TDH.SYS.LP.INIT lp=0\nseamcall TDH.SYS.LP.INIT lp=1\n" \
	"seamcall TDH.SYS.LP.INIT lp=2\nseamcall TDH.SYS.LP.INIT lp=3\n" \
	"set i 0x100000\nwrite $i zero 512\nwrite $i+8 u64 1G\n" \
	"write $i+16 u64 60M+8K\nwrite $i+24 u64 4K\nwrite $i+32 u64 60M\n" \
	"write $i+40 u64 8K\nwrite $i+48 u64 56M\nwrite $i+56 u64 4M\n" \
	"write $i+72 u64 1M\nwrite $i+80 u64 56M\nwrite $i+88 u64 4M+12K\n" \
	"write $i+96 u64 64M\nwrite $i+104 u64 1G-64M\nwrite 0x101000 u64 $i\n" \
	"seamcall TDH.SYS.CONFIG rcx=0x101000 rdx=1 r8=32 expect TDX_SUCCESS\n" \
	"seamcall TDH.SYS.KEY.CONFIG lp=0 expect TDX_SUCCESS\n" \
	"seamcall TDH.SYS.KEY.CONFIG lp=2 expect TDX_SUCCESS\n" \
	"repeat 300\n  seamcall TDH.SYS.TDMR.INIT rcx=0 expect TDX_SUCCESS\n" \
	"  break-if rdx >= 1G\nend\npool 16M 32M\n"
#define UP_LINES 30

static void test_td_create(void **state)
{
	(void)state;
	expect_ok(UP "td create vcpus=2 save tdr as tdr save hkid as k save tdvpr[1] as v1 "
		  "save tdcx[0] as c0 save status as st\n"
		  "assert $k == 33\nassert $st == 0\nassert $tdr == 16M\n"
		  "assert $c0 == 16M+4K\nassert $v1 > $c0\n"
		  "seamcall TDH.MNG.RD rcx=$tdr rdx=0x9010000200000001 expect TDX_SUCCESS r8=2\n"
		  "seamcall TDH.PHYMEM.PAGE.RDMD rcx=$v1 expect TDX_SUCCESS rdx=$tdr\n"
		  /* the next TD takes the next free KeyID; hkid= pins one */
		  "td create program=none finalize=no save hkid as k2 save tdr as t2\n"
		  "assert $k2 == 34\n"
		  "seamcall TDH.MR.FINALIZE rcx=$t2 expect TDX_SUCCESS\n"
		  "td create hkid=40 program=hello add=0x100000 add=0x101000 save hkid as k3\n"
		  "assert $k3 == 40\n"
		  "td create hkid=40 expect TDX_HKID_NOT_FREE\n"
		  /* pages= puts the TD's pages from there: TDR first */
		  "td create pages=48M save tdr as t4 save tdcx[5] as c5\n"
		  "assert $t4 == 48M\nassert $c5 == 48M+0x6000\n"
		  /* what MNG.INIT refuses is the command's status */
		  "td create attributes=0x8000 expect TDX_OPERAND_INVALID|ATTRIBUTES\n"
		  "td create xfam=0 expect TDX_OPERAND_INVALID|XFAM save tdr as t5\n"
		  "assert status == TDX_OPERAND_INVALID\n");
	expect_fail(UP "td create attributes=0x8000\n",
		    "t.tds:31: td create: expected success (bit 63 clear), got "
		    "TDX_OPERAND_INVALID|ATTRIBUTES (0xc000010000000040) from TDH.MNG.INIT");
	expect_fail(UP "td create expect error\n",
		    "t.tds:31: td create: expected error (bit 63 set), got TDX_SUCCESS "
		    "(0x0000000000000000)\n");
	expect_fail(UP "td create hkid=1 save tdr as x\n",
		    "t.tds:31: td create: expected success (bit 63 clear), got "
		    "TDX_OPERAND_INVALID|RDX");
	expect_ok(UP "td create hkid=1 expect error save status as st\n"
		  "assert $st == 0xC000010000000002\n");
	expect_fail(UP "td create hkid=1 expect error save tdr as x\n",
		    "t.tds:31: td create: no TD to save from (MNG.CREATE failed)");
	expect_fail(UP "td create finalize=no save tdvpr[1] as x\n",
		    "t.tds:31: save tdvpr[1]: the TD has no vCPU 1");
	expect_fail(UP "td create save tdcx[6] as x\n",
		    "t.tds:31: save tdcx[6]: the TD has 6 TDCS pages");
	expect_fail(UP "td create vcpus=9\n", "t.tds:31: vcpus=9: a script TD has 1 to 8 vCPUs");
	expect_fail(UP "td create vcpus=0\n", "vcpus=0: a script TD has 1 to 8 vCPUs");
	expect_fail(UP "td create lp=4\n", "t.tds:31: no LP 4");
	expect_fail(UP "td create pages=1\n", "t.tds:31: pages=0x1 is not 4 KiB aligned");
	expect_fail(TINY "td create\n", "t.tds:2: no page to give: set a pool first");
	expect_fail(UP "pool 16M 8K\ntd create\n", "t.tds:32: the pool is used up (it ends at 0x1002000)");
	expect_fail(UP "pool 1 4K\n", "t.tds:31: pool 0x1+0x1000: base and size must be");
	expect_fail(UP "pool 16M 0\n", "base and size must be non-zero");
	expect_ok(UP "pool 40M 8K\npool take a\npool take b\nassert $b == $a+4K\n");
	expect_fail(UP "pool 40M 4K\npool take a\npool take b\n", "t.tds:33: the pool is used up");
	/* A package whose LPs are all outside VMX: no KEY.CONFIG can run. */
	expect_fail(UP "lp 0\nvmxoff\nlp 2\nvmxoff\nlp 3\nvmxoff\nlp 1\ntd create\n",
		    "t.tds:38: package 1 has no online LP in VMX operation for TDH.MNG.KEY.CONFIG");
}

static void test_td_run(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(run(UP "td create program=hello vcpus=2\n"
			     "td run expect exit=0 console Hello from a TD: 2 vCPUs\n", &r), 0);
	assert_string_equal(r.out, "Hello from a TD: 2 vCPUs, GPAW 48\n");
	result_free(&r);
	expect_ok(UP "td create program=touch args=1,1 vcpus=2 save tdr as t\n"
		  "td run td=$t vcpu=1 expect exit=0 console vCPU 1 touched [0x180000, 0x200000)\n"
		  "td run td=$t vcpu=0 expect exit console vCPU 0 touched\n"
		  /* touch's pages came from the pool: AUG'd, then accepted */
		  "seamcall TDH.MEM.SEPT.RD rcx=0x100000 rdx=$t expect TDX_SUCCESS\n"
		  "td create program=fatal args=0x77\n"
		  "td run expect guest-fatal=0x77 console reporting a fatal error\n"
		  "td create program=fatal finalize=no\n"
		  "td run expect TDX_OP_STATE_INCORRECT\n"
		  "td run expect TDX_OP_STATE_INCORRECT\n"   /* a refused entry ran nothing */
		  "td create program=none\n"
		  "td run expect shutdown\n"                  /* no image: triple fault */
		  "td create\ntd run expect exit=0\n");       /* the agent told to stop */
	expect_fail(UP "td create program=hello\ntd run expect exit=1\n",
		    "t.tds:32: vCPU 0: expected exit=0x1, got exit=0x0");
	expect_fail(UP "td create program=fatal\ntd run expect exit\n",
		    "t.tds:32: vCPU 0: expected exit, got guest-fatal=0x2a");
	expect_fail(UP "td create program=hello\ntd run expect td-fatal\n",
		    "t.tds:32: vCPU 0: expected td-fatal, got exit=0x0");
	expect_fail(UP "td create program=hello finalize=no\ntd run expect halted\n",
		    "t.tds:32: vCPU 0: expected halted, got a refused entry (TDX_OP_STATE_INCORRECT)");
	expect_fail(UP "td create program=hello finalize=no\ntd run expect TDX_SUCCESS\n",
		    "t.tds:32: vCPU 0: expected TDX_SUCCESS, got a refused entry");
	expect_fail(UP "td create program=hello\ntd run console Goodbye\n",
		    "t.tds:32: console: expected \"Goodbye\" in what the guest wrote (33 bytes)");
	expect_fail(UP "td create program=hello\ntd run\ntd run\n",
		    "t.tds:33: vCPU 0 of TD 0x1000000 has ended (exit=0x0): nothing to run");
	expect_fail(UP "td create program=fatal\nstrict on\ntd run\n",
		    "t.tds:33: vCPU 0 ended with guest-fatal=0x2a (strict mode)");
	expect_fail(UP "td create\ntd run vcpu=1\n", "t.tds:32: TD 0x1000000 has no vCPU 1");
	expect_fail(UP "td run\n", "t.tds:31: no TD: build one with 'td create' first");
	expect_fail(UP "td create\ntd run td=0x1234\n",
		    "t.tds:32: 0x1234 is not the TDR of a TD 'td create' built");
	/* touch beyond what the pool holds */
	expect_fail(UP "pool 16M 80K\ntd create program=touch args=1\ntd run\n",
		    "t.tds:33: the pool is used up");
}

static void test_td_fatal_and_sept(void **state)
{
	(void)state;
	expect_ok(UP "td create save tdr as t\ntd fatal $t\n"
		  "seamcall TDH.MNG.RD rcx=$t rdx=0x9010000200000001 expect TDX_TD_FATAL\n"
		  "td run expect td-fatal\n"
		  "td create save tdr as u\ntd sept 0x40000000 level=2\n"
		  "seamcall TDH.MEM.SEPT.RD rcx=0x40000000+1 rdx=$u expect TDX_SUCCESS\n"
		  "seamcall TDH.MEM.SEPT.RD rcx=0x40000000 rdx=$u expect TDX_EPT_WALK_FAILED\n"
		  "td sept 0x40000000\n"
		  "seamcall TDH.MEM.SEPT.RD rcx=0x40000000 rdx=$u expect TDX_SUCCESS\n");
	expect_fail(UP "td fatal 0x123000\n", "t.tds:31: td fatal: 0x123000 is not a TDR page");
	expect_fail("platform default lps=1x1 memory=16M module=off\ntd fatal 0\n",
		    "t.tds:2: td fatal: no TDX module is loaded");
	expect_fail(UP "td create\ntd sept 0 level=4\n",
		    "t.tds:32: level=4: an S-EPT page goes at level 1 to 3");
	expect_fail(UP "td create save tdr as t\ntd fatal $t\ntd sept 0x200000\n",
		    "t.tds:33: td sept: TDH.MEM.SEPT.ADD returned TDX_TD_FATAL");
}

static void test_tdcall(void **state)
{
	(void)state;
	expect_ok(UP "td create vcpus=2 save tdr as t\n"
		  "tdcall TDG.VP.INFO r12=0x1234 expect TDX_SUCCESS rcx=48 r8=0x200000002 "
		  "r9=0 r12=0x1234 save r8 as n\n"
		  "tdcall TDG.VP.INFO td=$t vcpu=1 expect TDX_SUCCESS r9=1\n"
		  "assert r9 == 1\nassert status == TDX_SUCCESS\n"
		  "tdcall TDG.VM.RD rdx=0x9010000200000001 expect TDX_SUCCESS r8=2\n"
		  "tdcall TDG.VP.INFO version=1 expect TDX_OPERAND_INVALID|RAX\n"
		  "tdcall 99 rcx=5 rbx=6 rsi=7 rdi=8 r15=9 expect TDX_OPERAND_INVALID|RAX "
		  "rcx=5 rbx=6 rsi=7 rdi=8 r15=9\n"
		  /* a page AUG'd by the host, accepted by the guest */
		  "td sept 0x200000\npool take page\n"
		  "seamcall TDH.MEM.PAGE.AUG rcx=0x200000 rdx=$t r8=$page expect TDX_SUCCESS\n"
		  "tdcall TDG.MEM.PAGE.ACCEPT rcx=0x200000 expect TDX_SUCCESS\n"
		  "tdcall TDG.MEM.PAGE.ACCEPT rcx=0x200000 expect TDX_PAGE_ALREADY_ACCEPTED\n"
		  /* the TD made fatal from outside: the entry is refused */
		  "td fatal $t\ntdcall TDG.VP.INFO expect TDX_TD_FATAL\n"
		  "td run vcpu=1 expect td-fatal\n");
	expect_fail(UP "td create\ntdcall TDG.VP.INFO expect TDX_SUCCESS r9=1\n",
		    "t.tds:32: r9: expected 0x1, got 0x0");
	expect_fail(UP "td create program=hello\ntdcall TDG.VP.INFO\n",
		    "t.tds:32: vCPU 0 ended (exit=0x0) without asking for a TDCALL: "
		    "its TD does not run the agent");
	expect_fail(UP "td create\ntd run\ntdcall TDG.VP.INFO\n",
		    "t.tds:33: vCPU 0 of TD 0x1000000 is not waiting for a TDCALL (it has ended)");
	expect_fail(UP "td create\ntdcall TDG.VP.INFO vcpu=1\n", "t.tds:32: TD 0x1000000 has no vCPU 1");
	expect_fail(UP "tdcall TDG.VP.INFO\n", "t.tds:31: no TD: build one with 'td create' first");
	expect_fail(UP "td create finalize=no\nstrict on\ntdcall TDG.VP.INFO\n",
		    "t.tds:33: TDH.VP.ENTER returned TDX_OP_STATE_INCORRECT");
	/* A refused entry leaves the vCPU as it was. */
	expect_ok(UP "td create finalize=no save tdr as t\n"
		  "tdcall TDG.VP.INFO expect TDX_OP_STATE_INCORRECT\n"
		  "seamcall TDH.MR.FINALIZE rcx=$t expect TDX_SUCCESS\n"
		  "tdcall TDG.VP.INFO expect TDX_SUCCESS\n");
}

/* ---- injections aimed at one call ---- */

static void test_inject_one_call(void **state)
{
	struct result r;

	(void)state;
	/* nth: the 2nd lock of AUG (the 2M PAMT entry above the TDR), the
	 * 5th (the S-EPT tree); then AUG runs clean. */
	expect_ok(UP "td create save tdr as t\ntd sept 0x200000\npool take page\n"
		  "inject lock nth=2\n"
		  "seamcall TDH.MEM.PAGE.AUG rcx=0x200000 rdx=$t r8=$page expect TDX_OPERAND_BUSY|RDX\n"
		  "inject lock nth=5\n"
		  "seamcall TDH.MEM.PAGE.AUG rcx=0x200000 rdx=$t r8=$page expect "
		  "TDX_OPERAND_BUSY|SEPT_TREE fired=1\n"
		  "inject pamt-lock nth=4\n"
		  "seamcall TDH.MEM.PAGE.AUG rcx=0x200000 rdx=$t r8=$page expect TDX_OPERAND_BUSY|R8\n"
		  "seamcall TDH.MEM.PAGE.AUG rcx=0x200000 rdx=$t r8=$page expect TDX_SUCCESS\n"
		  /* a TDCALL's own lock, not the entries' around it */
		  "inject sept-entry-lock\n"
		  "tdcall TDG.MEM.PAGE.ACCEPT rcx=0x200000 expect TDX_OPERAND_BUSY|RCX\n"
		  "tdcall TDG.MEM.PAGE.ACCEPT rcx=0x200000 expect TDX_SUCCESS\n"
		  /* td-fatal as the TDCALL traps in: the vCPU never comes back */
		  "inject td-fatal\n"
		  "tdcall TDG.VP.INFO expect TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE\n"
		  "seamcall TDH.MNG.RD rcx=$t rdx=0x9010000200000001 expect TDX_TD_FATAL\n"
		  /* count: two occurrences in one call */
		  "inject global-lock 2\n"
		  "seamcall TDH.SYS.LP.INIT expect TDX_SYS_BUSY fired=1\n"
		  "inject global-lock\n"
		  "seamcall TDH.SYS.LP.INIT lp=1 expect TDX_SYS_BUSY save fired as f\n"
		  "assert $f == 1\n"
		  /* expecting none fired makes "it did not fire" the check */
		  "inject pamt-lock\nseamcall TDH.SYS.RD rdx=md:MAX_TDMRS expect TDX_SUCCESS fired=0\n"
		  "inject rdrand\nseamcall TDH.SYS.RD rdx=md:MAX_TDMRS save fired as g\n"
		  "assert $g == 0\n");
	/* An injection is gone after its call, fired or not. */
	expect_ok(TINY "vmxon\ninject global-lock\nseamcall TDH.SYS.INIT expect TDX_SYS_BUSY\n"
		  "seamcall TDH.SYS.INIT expect TDX_SUCCESS\n"
		  "inject global-lock 2\nseamcall TDH.SYS.INIT expect TDX_SYS_BUSY fired=1\n"
		  "seamcall TDH.SYS.LP.INIT expect TDX_SUCCESS\n");
	expect_fail(UP "inject pamt-lock nth=4\nseamcall TDH.SYS.RD rdx=md:MAX_TDMRS\n",
		    "t.tds:32: inject pamt-lock nth=4 (line 31) did not fire: TDH.SYS.RD had "
		    "0 pamt-lock occurrences\n");
	expect_fail(UP "td create save tdr as t\ntd sept 0x200000\npool take p\n"
		    "inject lock nth=10\n"
		    "seamcall TDH.MEM.PAGE.AUG rcx=0x200000 rdx=$t r8=$p expect TDX_SUCCESS\n",
		    "t.tds:35: inject lock nth=10 (line 34) did not fire: TDH.MEM.PAGE.AUG had "
		    "9 lock occurrences\n");
	expect_fail(TINY "vmxon\ninject global-lock 2\nseamcall TDH.SYS.INIT\n",
		    "t.tds:4: inject global-lock nth=1 count=2 (line 3) fired too few times: "
		    "TDH.SYS.INIT had 1 global-lock occurrence\n");
	expect_fail(TINY "inject global-lock\nseamcall TDH.SYS.INIT\n",
		    "t.tds:3: inject global-lock nth=1 (line 2) did not fire: no SEAMCALL "
		    "reached the module\n");
	expect_fail(UP "td create finalize=no\ninject sept-entry-lock\ntdcall TDG.VP.INFO\n",
		    "t.tds:33: inject sept-entry-lock nth=1 (line 32) did not fire: no TDCALL "
		    "reached the module\n");
	expect_fail(TINY "vmxon\ninject global-lock\n"
		    "seamcall TDH.SYS.INIT expect TDX_SUCCESS fired=0\n",
		    "t.tds:4: expected TDX_SUCCESS, got TDX_SYS_BUSY");
	expect_fail(TINY "vmxon\ninject global-lock\n"
		    "seamcall TDH.SYS.INIT expect TDX_SYS_BUSY fired=0\n",
		    "t.tds:4: fired: expected 0 injected failures, got 1");
	expect_fail(TINY "inject rdrand\ninject rdrand nth=2\n",
		    "t.tds:3: rdrand is already armed for the next call (line 2)");
	expect_fail(TINY "inject rdrand\necho x\n",
		    "t.tds:2: inject rdrand was never used: no seamcall or tdcall followed it");
	expect_fail(UP "inject rdrand\ntd create\n",
		    "t.tds:32: inject rdrand (line 31) waits for a seamcall or tdcall; "
		    "'td create' cannot take it");
	expect_fail(UP "td create\ninject rdrand\ntd run\n", "'td run' cannot take it");
	expect_fail(UP "td create\ninject rdrand\ntd sept 0\n", "'td sept' cannot take it");
	/* -v says what each did. */
	{
		FILE *o = open_memstream(&r.out, &r.outlen);
		FILE *e = open_memstream(&r.err, &r.errlen);
		struct script_opts opts = { .out = o, .err = e, .verbose = true };
		const char *text = TINY "vmxon\ninject global-lock\n"
				   "seamcall TDH.SYS.INIT expect TDX_SYS_BUSY\n";

		assert_int_equal(script_run_text(text, strlen(text), "v.tds", &opts), 0);
		fclose(o);
		fclose(e);
		assert_non_null(strstr(r.out, "  inject global-lock nth=1 (line 3): 1 fired, "
				       "1 occurrence in TDH.SYS.INIT\n"));
		result_free(&r);
	}
}

/* ---- include ---- */

static char inc_dir[64];

static void put_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", inc_dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Runs text as <inc_dir>/main.tds; returns the exit code. */
static int run_in_dir(const char *text, struct result *r)
{
	FILE *o = open_memstream(&r->out, &r->outlen);
	FILE *e = open_memstream(&r->err, &r->errlen);
	struct script_opts opts = { .out = o, .err = e };
	char name[128];

	snprintf(name, sizeof(name), "%s/main.tds", inc_dir);
	r->rc = script_run_text(text, strlen(text), name, &opts);
	fclose(o);
	fclose(e);
	return r->rc;
}

static void expect_in_dir(const char *text, int rc, const char *msg)
{
	char want[256];
	struct result r;

	snprintf(want, sizeof(want), msg, inc_dir, inc_dir);
	run_in_dir(text, &r);
	if (r.rc != rc || !strstr(r.err, want))
		print_error("want rc %d and \"%s\", got rc %d: %s", rc, want, r.rc, r.err);
	assert_int_equal(r.rc, rc);
	assert_non_null(strstr(r.err, want));
	result_free(&r);
}

static const char *const inc_files[] = {
	"sub/a.tds", "sub/b.tds", "open.tds", "bad.tds", "fails.tds", "self.tds", "inj.tds",
};

static void inc_cleanup(void)
{
	char path[128];

	for (size_t i = 0; i < sizeof(inc_files) / sizeof(inc_files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", inc_dir, inc_files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/sub", inc_dir);
	rmdir(path);
	rmdir(inc_dir);
}

static void test_include(void **state)
{
	char sub[128];
	struct result r;

	(void)state;
	snprintf(inc_dir, sizeof(inc_dir), "/tmp/tdxsim-script-XXXXXX");
	assert_non_null(mkdtemp(inc_dir));
	snprintf(sub, sizeof(sub), "%s/sub", inc_dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	put_file("sub/a.tds", "set a 1\ninclude b.tds\n");      /* b is sub/b.tds */
	put_file("sub/b.tds", "set b $a+1\nrepeat 2\n  set b $b+1\nend\n");
	put_file("open.tds", "repeat 2\n");
	put_file("bad.tds", "set x 1\nfrobnicate\n");
	put_file("fails.tds", "set x 1\nassert $x == 2\n");
	put_file("self.tds", "include self.tds\n");
	assert_int_equal(run_in_dir("include sub/a.tds\necho $a $b\n", &r), 0);
	assert_string_equal(r.out, "0x1 0x4\n");
	result_free(&r);
	/* Parse errors name the included file, then the include line. */
	expect_in_dir("echo x\ninclude bad.tds\n", 2,
		      "%s/bad.tds:2: unknown command 'frobnicate'\n"
		      "%s/main.tds:2: in the file included here\n");
	expect_in_dir("include open.tds\nend\n", 2,
		      "%s/open.tds:1: 'repeat' without 'end' (an included file closes its own)");
	expect_in_dir("include nosuch.tds\n", 2,
		      "%s/main.tds:1: include %s/nosuch.tds: cannot open: No such file");
	expect_in_dir("include /dev/null\n", 2, "include /dev/null: not a regular file");
	expect_in_dir("include self.tds\n", 2, "%s/self.tds:1: include nested too deeply (at most 8)");
	expect_in_dir("include\n", 2, "%s/main.tds:1: usage: include PATH");
	expect_in_dir("include a b\n", 2, "%s/main.tds:1: usage: include PATH");
	/* Run-time failures name the line's own file. */
	expect_in_dir("include fails.tds\n", 1, "%s/fails.tds:2: assertion failed: $x == 2");
	put_file("inj.tds", "platform default lps=1x1 memory=16M\ninject rdrand\n");
	expect_in_dir("include inj.tds\necho x\n", 1,
		      "%s/inj.tds:2: inject rdrand was never used");
	/* A variable set in an included file is known after it. */
	expect_in_dir("echo $zz\ninclude sub/a.tds\n", 2, "%s/main.tds:1: undefined variable '$zz'");
	inc_cleanup();
}

/* ---- robustness ---- */

static const char valid[] =
	"# a valid scenario on a tiny machine\n"
	"platform default lps=1x2 memory=16M profile=1.5\n"
	"set base 0x1000\n"
	"set k 33\n"
	"write $base u64 0x1234 keyid=$k\n"
	"read $base u64 keyid=$k expect 0x1234 save as v\n"
	"write $base+0x40 bytes 00ff10\n"
	"read $base+0x40 bytes 3 expect 00ff10\n"
	"read $base u8 expect 0\n"
	"echo v=$v\n"
	"seamcall TDH.SYS.INIT expect TDX_SEAMCALL_UD\n"
	"vmxon all\n"
	"seamcall TDH.SYS.INIT expect TDX_SUCCESS\n"
	"seamcall TDH.SYS.LP.INIT lp=1 expect success\n"
	"lp 0\n"
	"seamcall TDH.SYS.LP.INIT expect TDX_SUCCESS rcx=0\n"
	"seamcall TDH.SYS.RD rdx=md:MAX_TDMRS expect TDX_SUCCESS r8=64 save r8 as m\n"
	"inject global-lock 1\n"
	"seamcall TDH.SYS.INIT expect TDX_SYS_BUSY\n"
	"set i 0\n"
	"repeat 3\n"
	"  set i $i+1\n"
	"  break-if $i == 2\n"
	"end\n"
	"assert $i == 2\n"
	"assert status == TDX_SYS_BUSY\n"
	"strict on\n"
	"seamcall 34 rdx=md:PAMT_4K_ENTRY_SIZE version=0\n"
	"offline 1\nonline 1\n"
	"wrmsr IA32_LSTAR 5 lp=1\nrdmsr IA32_LSTAR lp=1 expect 5 save as l\n"
	"pool 1M 1M\npool take pg\n"
	"inject global-lock nth=1\nseamcall TDH.SYS.LP.INIT expect TDX_SYS_BUSY fired=1\n"
	"td create vcpus=2 program=hello expect error save status as tst\n"
	"vmxoff\n"
	"echo done $m\n";

static void test_valid_script(void **state)
{
	(void)state;
	expect_ok(valid);
}

static bool rc_ok(int rc)
{
	return rc == 0 || rc == 1 || rc == 2;
}

static void test_prefixes(void **state)
{
	size_t len = strlen(valid);

	(void)state;
	for (size_t n = 0; n <= len; n++) {
		struct result r;
		int rc = run_len(valid, n, &r, 10000);

		if (!rc_ok(rc))
			print_error("prefix %zu: rc %d\n", n, rc);
		assert_true(rc_ok(rc));
		result_free(&r);
	}
}

#define SCRIPT_LINE_COPY 256

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *g)
{
	g->s ^= g->s << 13;
	g->s ^= g->s >> 7;
	g->s ^= g->s << 17;
	return g->s;
}

static size_t rng_below(struct rng *g, size_t n)
{
	return n ? (size_t)(rng_next(g) % n) : 0;
}

static const char alphabet[] =
	"0123456789abcdefxKMG$+-=<>!# \n\t|_.:[]rR\x01\xff";
static const char *const words[] = {
	"repeat ", "end\n", "break-if ", "$i", "$base", "expect ", "save ",
	" as ", "keyid=", "lp=", "version=", "0xFFFFFFFFFFFFFFFF", "999999999",
	"1000000", "md:", "status", "==", "any", "error", "bytes ", "u64 ",
	"seamcall ", "TDH.SYS.INIT", "platform default\n", "offline 0\n",
	"vmxon", "strict on\n",
};

/* The line around position at: [*b, *e), e past its newline if any. */
static void line_at(const char *buf, size_t len, size_t at, size_t *b,
		    size_t *e)
{
	*b = at;
	while (*b > 0 && buf[*b - 1] != '\n')
		(*b)--;
	*e = at;
	while (*e < len && buf[*e] != '\n')
		(*e)++;
	if (*e < len)
		(*e)++;
}

static size_t insert(char *buf, size_t len, size_t cap, size_t at,
		     const char *w, size_t n)
{
	if (len + n > cap)
		return len;
	memmove(buf + at + n, buf + at, len - at);
	memcpy(buf + at, w, n);
	return len + n;
}

static size_t delete(char *buf, size_t len, size_t at, size_t n)
{
	if (at + n > len)
		n = len - at;
	memmove(buf + at, buf + at + n, len - at - n);
	return len - n;
}

/* Duplicates, deletes or moves the line at `at` to another line start. */
static size_t mutate_line(struct rng *g, char *buf, size_t len, size_t cap,
			  size_t at, unsigned how)
{
	char line[SCRIPT_LINE_COPY];
	size_t b, e, to, tb, te;

	line_at(buf, len, at, &b, &e);
	if (e - b > sizeof(line) || e == b)
		return len;
	memcpy(line, buf + b, e - b);
	if (how == 0)
		return insert(buf, len, cap, b, line, e - b);
	len = delete(buf, len, b, e - b);
	if (how == 1)
		return len;
	to = rng_below(g, len + 1);
	line_at(buf, len, to, &tb, &te);
	return insert(buf, len, cap, tb, line, e - b);
}

/* Replaces the next digit at or after `at` with a random digit. */
static size_t mutate_digit(struct rng *g, char *buf, size_t len, size_t at)
{
	while (at < len && (buf[at] < '0' || buf[at] > '9'))
		at++;
	if (at < len)
		buf[at] = (char)('0' + rng_below(g, 10));
	return len;
}

/* One random edit of characters, words, digits or whole lines. */
static size_t mutate(struct rng *g, char *buf, size_t len, size_t cap)
{
	size_t at = rng_below(g, len + 1);
	const char *w;

	switch (rng_below(g, 9)) {
	case 0:
		return delete(buf, len, at, 1 + rng_below(g, 8));
	case 1:
		return insert(buf, len, cap, at,
			      &alphabet[rng_below(g, sizeof(alphabet) - 1)], 1);
	case 2:
		w = words[rng_below(g, sizeof(words) / sizeof(words[0]))];
		return insert(buf, len, cap, at, w, strlen(w));
	case 3:
		if (at < len)
			buf[at] = alphabet[rng_below(g, sizeof(alphabet) - 1)];
		return len;
	case 4: case 5:
		return mutate_digit(g, buf, len, at);
	default:
		return mutate_line(g, buf, len, cap, at, (unsigned)rng_below(g, 3));
	}
}

static void test_mutations(void **state)
{
	struct rng g = { 0x9E3779B97F4A7C15ULL };
	size_t cap = sizeof(valid) + 1024;
	char *buf = malloc(cap);
	unsigned count[3] = { 0, 0, 0 };

	(void)state;
	assert_non_null(buf);
	for (int i = 0; i < 2000; i++) {
		size_t len = sizeof(valid) - 1;
		unsigned edits = 1 + (unsigned)rng_below(&g, 3);
		struct result r;
		int rc;

		memcpy(buf, valid, len);
		for (unsigned e = 0; e < edits; e++)
			len = mutate(&g, buf, len, cap);
		rc = run_len(buf, len, &r, 10000);
		if (!rc_ok(rc))
			print_error("mutation %d: rc %d\n%.*s\n", i, rc, (int)len, buf);
		assert_true(rc_ok(rc));
		count[rc]++;
		result_free(&r);
	}
	print_message("mutations: %u ran clean, %u failed at run time, %u malformed\n",
		      count[0], count[1], count[2]);
	/* The mutations reach both the parser's and the runner's errors. */
	assert_true(count[1] > 0);
	assert_true(count[2] > 0);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_variables),
		cmocka_unit_test(test_echo),
		cmocka_unit_test(test_echo_undefined),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_memory_keyids),
		cmocka_unit_test(test_read_prints),
		cmocka_unit_test(test_lp_commands),
		cmocka_unit_test(test_seamcall_door),
		cmocka_unit_test(test_seamcall_no_module),
		cmocka_unit_test(test_operand_status),
		cmocka_unit_test(test_loops),
		cmocka_unit_test(test_loop_on_register),
		cmocka_unit_test(test_inject),
		cmocka_unit_test(test_inject_one_call),
		cmocka_unit_test(test_msr),
		cmocka_unit_test(test_td_create),
		cmocka_unit_test(test_td_run),
		cmocka_unit_test(test_td_fatal_and_sept),
		cmocka_unit_test(test_tdcall),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_verbose),
		cmocka_unit_test(test_platform_file),
		cmocka_unit_test(test_run_file),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_malformed_limits),
		cmocka_unit_test(test_too_many_variables),
		cmocka_unit_test(test_failed_expectations),
		cmocka_unit_test(test_runtime_errors),
		cmocka_unit_test(test_valid_script),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
