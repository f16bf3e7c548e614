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

	if (run(text, &r) != 0)
		print_error("script failed (rc %d):\n%s\n--\n%s", r.rc, text, r.err);
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
	{ TINY "inject rdrand\n", 3, "missing argument" },
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
	{ TINY "seamcall TDH.SYS.INIT save r8\n", 3, "usage: save REG|status as NAME" },
	{ TINY "seamcall TDH.SYS.INIT save r8 to x\n", 3, "usage: save REG|status as NAME" },
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
	expect_fail(TINY "inject rdrand 1000001\n", "cannot inject rdrand");

	/* The step budget stops a long run. */
	text = "repeat 1000000\nrepeat 1000000\nend\nend\n";
	assert_int_equal(run_len(text, strlen(text), &r, 1000), 1);
	assert_non_null(strstr(r.err, "step limit of 1000 exceeded"));
	result_free(&r);
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
