/* SPDX-License-Identifier: MIT */
/* Platform descriptions in JSON: parsing, defaults, messages with line
 * numbers, robustness against damaged input, the example platforms. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdxsim/platform.h"

#define GiB (1ULL << 30)

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct tdxsim_platform_config));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static bool parse(const char *doc, struct tdxsim_platform_config *cfg,
		  char *err, size_t errlen)
{
	err[0] = '\0';
	return tdxsim_config_parse_json(doc, strlen(doc), "t.json", cfg, err,
					errlen);
}

/* ---- a full document ---- */

static const char full_doc[] =
	"{\n"
	"  \"name\": \"full \\\"box\\\" {[\\u0041]}\",\n"
	"  \"packages\": 4,\n"
	"  \"lps_per_package\": 2,\n"
	"  \"pa_width\": 46,\n"
	"  \"keyid_bits\": 7,\n"
	"  \"keyids\": { \"mktme\": 15, \"tdx\": 100 },\n"
	"  \"cpu_fms\": \"0xA06D0\",\n"
	"  \"seamverifyreport\": false,\n"
	"  \"module\": { \"profile\": \"1.5.01\", \"loaded\": false },\n"
	"  \"memmap\": [\n"
	"    { \"base\": \"0x0\", \"size\": \"0x7f000000\", \"type\": \"ram\", \"node\": 0 },\n"
	"    { \"base\": \"0x7f000000\", \"end\": \"0x7f400000\", \"type\": \"acpi\" },\n"
	"    { \"base\": \"0x7f400000\", \"end\": \"0x7f800000\", \"type\": \"nvs\" },\n"
	"    { \"base\": \"0x7f800000\", \"end\": \"0x80000000\", \"type\": \"unusable\" },\n"
	"    { \"base\": \"0x80000000\", \"end\": \"0x90000000\", \"type\": \"reserved\", \"node\": 1 },\n"
	"    { \"base\": \"0x100000000\", \"size\": \"0x100000000\", \"type\": \"RAM\", \"node\": 3 },\n"
	"    { \"base\": \"0x200000000\", \"size\": \"0x40000000\", \"type\": \"soft-reserved\", \"node\": 2 },\n"
	"    { \"base\": \"0x240000000\", \"size\": \"0x40000000\", \"type\": \"hotplug\", \"node\": 2 },\n"
	"    { \"base\": \"0x280000000\", \"size\": \"0x40000000\", \"type\": \"pmem-legacy\", \"node\": 1 }\n"
	"  ],\n"
	"  \"cmrs\": [\n"
	"    { \"base\": \"0x100000\", \"size\": \"0x7ef00000\" },\n"
	"    { \"base\": \"0x100000000\", \"end\": \"0x200000000\" }\n"
	"  ],\n"
	"  \"lp_overrides\": [\n"
	"    { \"lp\": 7,\n"
	"      \"cpuid\": [\n"
	"        { \"leaf\": \"0x7\", \"subleaf\": \"0x0\", \"eax\": \"0x2\", \"ebx\": \"0xf3bfafef\",\n"
	"          \"ecx\": \"0x1B415F4E\", \"edx\": \"0xffdd4432\" },\n"
	"        { \"leaf\": \"0x80000008\", \"eax\": \"0x3934\", \"ebx\": \"0x0\", \"ecx\": \"0x0\", \"edx\": \"0x0\" }\n"
	"      ],\n"
	"      \"msrs\": [ { \"msr\": \"0x480\", \"value\": \"0xFFFFFFFFFFFFFFFF\" },\n"
	"                { \"msr\": \"0x10a\", \"value\": \"0x0000000000000000000c\" } ] },\n"
	"    { \"lp\": 0, \"msrs\": [], \"cpuid\": [] }\n"
	"  ]\n"
	"}\n";

static void check_range(const struct tdxsim_mem_range *r, uint64_t base,
			uint64_t size, enum tdxsim_mem_type type, unsigned node)
{
	assert_int_equal(r->base, base);
	assert_int_equal(r->size, size);
	assert_int_equal(r->type, type);
	assert_int_equal(r->node, node);
}

static void test_full_document(void **state)
{
	struct tdxsim_platform_config *c = *state;
	const struct tdxsim_lp_override *o;
	char err[512];

	assert_true(parse(full_doc, c, err, sizeof(err)));
	assert_string_equal(c->name, "full \"box\" {[A]}");
	assert_int_equal(c->packages, 4);
	assert_int_equal(c->lps_per_package, 2);
	assert_int_equal(c->pa_width, 46);
	assert_int_equal(c->keyid_bits, 7);
	assert_int_equal(c->mktme_keyids, 15);
	assert_int_equal(c->tdx_keyids, 100);
	assert_int_equal(c->cpu_fms, 0xA06D0);
	assert_false(c->seamverifyreport);
	assert_false(c->module_loaded);
	assert_int_equal(c->profile, TDXSIM_PROFILE_1_5_01);

	assert_int_equal(c->n_memmap, 9);
	check_range(&c->memmap[0], 0x0, 0x7f000000, TDXSIM_MEM_RAM, 0);
	check_range(&c->memmap[1], 0x7f000000, 0x400000, TDXSIM_MEM_ACPI, 0);
	check_range(&c->memmap[2], 0x7f400000, 0x400000, TDXSIM_MEM_NVS, 0);
	check_range(&c->memmap[3], 0x7f800000, 0x800000, TDXSIM_MEM_UNUSABLE, 0);
	check_range(&c->memmap[4], 0x80000000, 0x10000000, TDXSIM_MEM_RESERVED, 1);
	check_range(&c->memmap[5], 4 * GiB, 4 * GiB, TDXSIM_MEM_RAM, 3);
	check_range(&c->memmap[6], 8 * GiB, GiB, TDXSIM_MEM_SOFT_RESERVED, 2);
	check_range(&c->memmap[7], 9 * GiB, GiB, TDXSIM_MEM_HOTPLUG, 2);
	check_range(&c->memmap[8], 10 * GiB, GiB, TDXSIM_MEM_PMEM_LEGACY, 1);

	assert_true(c->cmrs_explicit);
	assert_int_equal(c->n_cmrs, 2);
	assert_int_equal(c->cmrs[0].base, 0x100000);
	assert_int_equal(c->cmrs[0].size, 0x7ef00000);
	assert_int_equal(c->cmrs[1].base, 4 * GiB);
	assert_int_equal(c->cmrs[1].size, 4 * GiB);

	assert_int_equal(c->n_overrides, 2);
	o = &c->overrides[0];
	assert_int_equal(o->lp, 7);
	assert_int_equal(o->n_cpuid, 2);
	assert_int_equal(o->cpuid[0].leaf, 7);
	assert_int_equal(o->cpuid[0].subleaf, 0);
	assert_int_equal(o->cpuid[0].eax, 2);
	assert_int_equal(o->cpuid[0].ebx, 0xf3bfafef);
	assert_int_equal(o->cpuid[0].ecx, 0x1b415f4e);
	assert_int_equal(o->cpuid[0].edx, 0xffdd4432);
	assert_int_equal(o->cpuid[1].leaf, 0x80000008);
	assert_int_equal(o->cpuid[1].subleaf, 0);
	assert_int_equal(o->cpuid[1].eax, 0x3934);
	assert_int_equal(o->n_msrs, 2);
	assert_int_equal(o->msrs[0].msr, 0x480);
	assert_true(o->msrs[0].value == UINT64_MAX);
	assert_int_equal(o->msrs[1].msr, 0x10a);
	assert_int_equal(o->msrs[1].value, 0xc);
	o = &c->overrides[1];
	assert_int_equal(o->lp, 0);
	assert_int_equal(o->n_cpuid, 0);
	assert_int_equal(o->n_msrs, 0);
}

/* ---- defaults ---- */

#define RAM_2G "{ \"base\": \"0x0\", \"size\": \"0x80000000\", \"type\": \"ram\" }"

static void test_defaults(void **state)
{
	struct tdxsim_platform_config *c = *state;
	static const char doc[] = "{ \"memmap\": [ " RAM_2G " ] }";
	char err[512];

	assert_true(tdxsim_config_parse_json(doc, strlen(doc), "dir/sub/box.json",
					     c, err, sizeof(err)));
	assert_string_equal(c->name, "box");
	assert_int_equal(c->packages, 2);
	assert_int_equal(c->lps_per_package, 4);
	assert_int_equal(c->pa_width, 52);
	assert_int_equal(c->keyid_bits, 6);          /* derived from 31 + 32 + 1 */
	assert_int_equal(c->mktme_keyids, 31);
	assert_int_equal(c->tdx_keyids, 32);
	assert_int_equal(c->cpu_fms, 0x806F8);
	assert_true(c->seamverifyreport);
	assert_true(c->module_loaded);
	assert_int_equal(c->profile, TDXSIM_PROFILE_1_5);
	assert_int_equal(c->n_memmap, 1);
	check_range(&c->memmap[0], 0, 2 * GiB, TDXSIM_MEM_RAM, 0);
	assert_int_equal(c->n_overrides, 0);
	/* No cmrs: derived as a BIOS does, above the first MiB. */
	assert_false(c->cmrs_explicit);
	assert_int_equal(c->n_cmrs, 1);
	assert_int_equal(c->cmrs[0].base, 0x100000);
	assert_int_equal(c->cmrs[0].size, 2 * GiB - 0x100000);

	/* A partial keyids object keeps the other default; no name, no path. */
	static const char doc2[] =
		"{ \"keyids\": { \"tdx\": 16 }, \"module\": {}, \"memmap\": [ " RAM_2G " ] }";
	assert_true(tdxsim_config_parse_json(doc2, strlen(doc2), NULL, c, err,
					     sizeof(err)));
	assert_int_equal(c->mktme_keyids, 31);
	assert_int_equal(c->tdx_keyids, 16);
	assert_int_equal(c->keyid_bits, 6);
	assert_true(c->module_loaded);
	assert_string_equal(c->name, "<input>");
}

static void test_hex_forms(void **state)
{
	struct tdxsim_platform_config *c = *state;
	static const char doc[] =
		"{ \"cpu_fms\": \"0XaBcDe\", \"memmap\": [\n"
		"  { \"base\": \"0x00000000000000000000000\", \"end\": \"0x80000000\", \"type\": \"Ram\" } ] }";
	char err[512];

	assert_true(parse(doc, c, err, sizeof(err)));
	assert_int_equal(c->cpu_fms, 0xabcde);
	check_range(&c->memmap[0], 0, 2 * GiB, TDXSIM_MEM_RAM, 0);
}

/* ---- errors ---- */

struct err_case {
	const char *doc;
	const char *prefix;      /* the message starts with this */
	const char *substr;      /* and contains this */
};

static const struct err_case err_cases[] = {
	/* hex strings */
	{ "{\n  \"memmap\": [\n    " RAM_2G ",\n"
	  "    { \"base\": \"0x100000000\",\n"
	  "      \"size\": \"0x12g4\", \"type\": \"ram\" }\n  ]\n}\n",
	  "t.json:5: memmap[1].size: ", "expected a hex string like \"0x1000\"" },
	{ "{\n\"memmap\": [\n{ \"base\": \"0x0\",\n\"size\": 4096, \"type\": \"ram\" } ] }",
	  "t.json:4: memmap[0].size: ", "expected a hex string like \"0x1000\", not an integer" },
	{ "{ \"memmap\": [ { \"base\": \"0x\", \"size\": \"0x1000\", \"type\": \"ram\" } ] }",
	  "t.json:1: memmap[0].base: ", "expected a hex string" },
	{ "{ \"memmap\": [ { \"base\": \"\", \"size\": \"0x1000\", \"type\": \"ram\" } ] }",
	  "t.json:1: memmap[0].base: ", "expected a hex string" },
	{ "{ \"memmap\": [ { \"base\": \"1000\", \"size\": \"0x1000\", \"type\": \"ram\" } ] }",
	  "t.json:1: memmap[0].base: ", "expected a hex string" },
	{ "{ \"memmap\": [ { \"base\": \" 0x10\", \"size\": \"0x1000\", \"type\": \"ram\" } ] }",
	  "t.json:1: memmap[0].base: ", "expected a hex string" },
	{ "{ \"memmap\": [ { \"base\": \"0x10 \", \"size\": \"0x1000\", \"type\": \"ram\" } ] }",
	  "t.json:1: memmap[0].base: ", "expected a hex string" },
	{ "{ \"memmap\": [ { \"base\": \"0x-1\", \"size\": \"0x1000\", \"type\": \"ram\" } ] }",
	  "t.json:1: memmap[0].base: ", "expected a hex string" },
	{ "{ \"memmap\": [ { \"base\": \"0x10000000000000000\", \"size\": \"0x1000\", \"type\": \"ram\" } ] }",
	  "t.json:1: memmap[0].base: ", "does not fit in 64 bits" },
	{ "{\n\"cpu_fms\": \"0x100000000\",\n\"memmap\": [ " RAM_2G " ] }",
	  "t.json:2: cpu_fms: ", "does not fit in 32 bits" },
	/* integers */
	{ "{\n  \"packages\": -1,\n  \"memmap\": [ " RAM_2G " ] }",
	  "t.json:2: packages: ", "must not be negative" },
	{ "{ \"memmap\": [\n { \"base\": \"0x0\", \"size\": \"0x1000\", \"type\": \"ram\",\n \"node\": -3 } ] }",
	  "t.json:3: memmap[0].node: ", "must not be negative" },
	{ "{\n\n\"lps_per_package\": 4.0, \"memmap\": [ " RAM_2G " ] }",
	  "t.json:3: lps_per_package: ", "expected an integer, not a real number" },
	{ "{ \"packages\": 9, \"memmap\": [ " RAM_2G " ] }",
	  "t.json:1: packages: ", "9 is more than the 8 packages the TDX module supports (MAX_PKGS)" },
	{ "{ \"packages\": 16, \"memmap\": [ " RAM_2G " ] }",
	  "t.json:1: packages: ", "16 is more than the 8 packages" },
	{ "{ \"packages\": 0, \"memmap\": [ " RAM_2G " ] }",
	  "t.json:1: packages: ", "out of range" },
	{ "{ \"keyids\": {\n \"tdx\": 4294967296 }, \"memmap\": [ " RAM_2G " ] }",
	  "t.json:2: keyids.tdx: ", "out of range" },
	{ "{ \"pa_width\": 9223372036854775807, \"memmap\": [ " RAM_2G " ] }",
	  "t.json:1: pa_width: ", "out of range" },
	{ "{\n\"packages\":\n123456789012345678901234567890 }",
	  "t.json:3: ", "too big integer" },
	{ "{\n\"packages\": 1e999 }", "t.json:2: ", "real number overflow" },
	/* unknown keys */
	{ "{\n  \"pakages\": 2,\n  \"memmap\": [ " RAM_2G " ] }",
	  "t.json:2: pakages: ", "unknown key" },
	{ "{ \"memmap\": [\n  { \"base\": \"0x0\", \"type\": \"ram\",\n    \"sise\": \"0x1000\" } ] }",
	  "t.json:3: memmap[0].sise: ", "unknown key (expected one of: base, size, end, type, node)" },
	{ "{ \"memmap\": [ " RAM_2G " ],\n \"lp_overrides\": [ { \"lp\": 1, \"cpuid\": [\n"
	  " { \"leaf\": \"0x1\", \"eex\": \"0x0\" } ] } ] }",
	  "t.json:3: lp_overrides[0].cpuid[0].eex: ", "unknown key" },
	{ "{ \"module\": { \"profile\": \"1.5\",\n \"loadde\": true }, \"memmap\": [ " RAM_2G " ] }",
	  "t.json:2: module.loadde: ", "unknown key" },
	/* wrong JSON types */
	{ "{ \"module\": {\n \"loaded\": \"yes\" }, \"memmap\": [ " RAM_2G " ] }",
	  "t.json:2: module.loaded: ", "expected true or false, not a string" },
	{ "{ \"seamverifyreport\": 1,\n \"memmap\": [ " RAM_2G " ] }",
	  "t.json:1: seamverifyreport: ", "expected true or false, not an integer" },
	{ "{\n\"memmap\": {} }", "t.json:2: memmap: ", "expected an array, not an object" },
	{ "{ \"name\": 5, \"memmap\": [ " RAM_2G " ] }",
	  "t.json:1: name: ", "expected a string, not an integer" },
	{ "{ \"keyids\": [], \"memmap\": [ " RAM_2G " ] }",
	  "t.json:1: keyids: ", "expected an object, not an array" },
	{ "{ \"memmap\": [\n" RAM_2G ",\n 5 ] }",
	  "t.json:3: memmap[1]: ", "expected an object, not an integer" },
	{ "{ \"memmap\": [ " RAM_2G " ],\n \"lp_overrides\": [ { \"lp\": \"5\" } ] }",
	  "t.json:2: lp_overrides[0].lp: ", "expected an integer, not a string" },
	{ "{ \"memmap\": [ " RAM_2G " ],\n \"lp_overrides\": [ { \"lp\": null } ] }",
	  "t.json:2: lp_overrides[0].lp: ", "expected an integer, not null" },
	{ "[\n  1\n]", "t.json:1: ", "expected an object at the top level, not an array" },
	/* true/false/null are shared values in jansson: the line comes from
	 * the member, not from the value */
	{ "{\n \"module\": {\n  \"loaded\": true },\n \"name\": \"x\",\n"
	  " \"packages\": true, \"memmap\": [ " RAM_2G " ] }",
	  "t.json:5: packages: ", "expected an integer, not true" },
	/* missing keys */
	{ "{\n  \"packages\": 2\n}\n", "t.json:1: memmap: ", "required key is missing" },
	{ "{ \"memmap\": [\n " RAM_2G ",\n { \"size\": \"0x1000\", \"type\": \"ram\" } ] }",
	  "t.json:3: memmap[1].base: ", "required key is missing" },
	{ "{ \"memmap\": [\n { \"base\": \"0x0\", \"size\": \"0x1000\" } ] }",
	  "t.json:2: memmap[0].type: ", "required key is missing" },
	{ "{ \"memmap\": [ " RAM_2G " ],\n \"lp_overrides\": [ { \"lp\": 1, \"cpuid\": [\n"
	  " { \"leaf\": \"0x1\", \"ebx\": \"0x0\", \"ecx\": \"0x0\", \"edx\": \"0x0\" } ] } ] }",
	  "t.json:3: lp_overrides[0].cpuid[0].eax: ", "required key is missing" },
	{ "{ \"memmap\": [ " RAM_2G " ],\n \"lp_overrides\": [\n { \"msrs\": [] } ] }",
	  "t.json:3: lp_overrides[0].lp: ", "required key is missing" },
	/* size and end */
	{ "{ \"memmap\": [\n { \"base\": \"0x0\", \"size\": \"0x1000\",\n \"end\": \"0x1000\", \"type\": \"ram\" } ] }",
	  "t.json:3: memmap[0].end: ", "either size or end, not both" },
	{ "{ \"memmap\": [\n { \"base\": \"0x0\", \"type\": \"ram\" } ] }",
	  "t.json:2: memmap[0]: ", "needs a size or an end" },
	{ "{ \"memmap\": [ { \"base\": \"0x1000\",\n \"end\": \"0x1000\", \"type\": \"ram\" } ] }",
	  "t.json:2: memmap[0].end: ", "0x1000 is not above base 0x1000" },
	{ "{ \"memmap\": [ { \"base\": \"0x2000\",\n \"end\": \"0x1000\", \"type\": \"ram\" } ] }",
	  "t.json:2: memmap[0].end: ", "is not above base" },
	{ "{ \"memmap\": [ { \"base\": \"0x2000\",\n \"size\": \"0x0\", \"type\": \"ram\" } ] }",
	  "t.json:2: memmap[0].size: ", "must not be zero" },
	{ "{ \"memmap\": [ " RAM_2G " ],\n \"cmrs\": [ { \"base\": \"0x100000\" },\n"
	  " { \"base\": \"0x200000\" } ] }",
	  "t.json:2: cmrs[0]: ", "needs a size or an end" },
	/* names */
	{ "{ \"module\": {\n \"profile\": \"1.6\" }, \"memmap\": [ " RAM_2G " ] }",
	  "t.json:2: module.profile: ", "unknown profile \"1.6\"" },
	{ "{ \"memmap\": [\n { \"base\": \"0x0\", \"size\": \"0x1000\",\n \"type\": \"dram\" } ] }",
	  "t.json:3: memmap[0].type: ", "unknown memory type \"dram\"" },
	{ "{\n\"name\": \"0123456789012345678901234567890123456789012345678901234567890123\",\n"
	  "\"memmap\": [ " RAM_2G " ] }",
	  "t.json:2: name: ", "longer than 63 characters" },
	/* overrides */
	{ "{ \"memmap\": [ " RAM_2G " ],\n \"lp_overrides\": [ { \"lp\": 1, \"cpuid\": [\n"
	  " { \"leaf\": \"0x7\", \"eax\": \"0x0\", \"ebx\": \"0x0\", \"ecx\": \"0x0\", \"edx\": \"0x0\" },\n"
	  " { \"leaf\": \"0x7\", \"subleaf\": \"0x0\", \"eax\": \"0x0\", \"ebx\": \"0x0\", \"ecx\": \"0x0\", \"edx\": \"0x0\" } ] } ] }",
	  "t.json:4: lp_overrides[0].cpuid[1]: ", "leaf 0x7 subleaf 0x0 is already overridden" },
	{ "{ \"memmap\": [ " RAM_2G " ],\n \"lp_overrides\": [ { \"lp\": 1, \"msrs\": [\n"
	  " { \"msr\": \"0x480\", \"value\": \"0x1\" },\n { \"msr\": \"0x480\", \"value\": \"0x2\" } ] } ] }",
	  "t.json:4: lp_overrides[0].msrs[1]: ", "MSR 0x480 is already overridden" },
	{ "{ \"memmap\": [ " RAM_2G " ],\n \"lp_overrides\": [ { \"lp\": 1, \"msrs\": [\n"
	  " { \"msr\": \"0x100000000\", \"value\": \"0x1\" } ] } ] }",
	  "t.json:3: lp_overrides[0].msrs[0].msr: ", "does not fit in 32 bits" },
	/* syntax */
	{ "{\n  \"packages\": 2\n  \"lps_per_package\": 4\n}\n", "t.json:3: ", "expected" },
	{ "{\n \"memmap\": [],\n \"memmap\": [] }", "t.json:3: ", "duplicate object key" },
	{ "{\n \"memmap\": [\n", "t.json:3: ", "end of file" },
	{ "", "t.json:1: ", "expected" },
	/* whole-platform checks from tdxsim_config_finish: no line */
	{ "{ \"memmap\": [\n " RAM_2G ",\n { \"base\": \"0x7ffff000\", \"size\": \"0x2000\", \"type\": \"reserved\" } ] }",
	  "t.json: ", "overlap" },
	{ "{ \"memmap\": [ { \"base\": \"0x0\", \"size\": \"0x1000\", \"type\": \"reserved\" } ] }",
	  "t.json: ", "no RAM" },
	{ "{ \"memmap\": [ " RAM_2G ",\n { \"base\": \"0x100000000\", \"size\": \"0x1000\", \"type\": \"ram\", \"node\": 2 } ] }",
	  "t.json: ", "node 2" },
	{ "{ \"memmap\": [ " RAM_2G " ], \"lp_overrides\": [ { \"lp\": 99 } ] }",
	  "t.json: ", "override for LP 99" },
	{ "{ \"memmap\": [ " RAM_2G " ], \"lp_overrides\": [ { \"lp\": 1 }, { \"lp\": 1 } ] }",
	  "t.json: ", "two overrides for LP 1" },
	{ "{ \"pa_width\": 60, \"memmap\": [ " RAM_2G " ] }", "t.json: ", "pa_width" },
	{ "{ \"memmap\": [ " RAM_2G " ], \"cmrs\": [\n { \"base\": \"0x200000\", \"size\": \"0x1000\" },\n"
	  " { \"base\": \"0x100000\", \"size\": \"0x1000\" } ] }",
	  "t.json: ", "CMR 1 is not above CMR 0" },
	/* lines survive escapes, brackets in strings, CRLF and odd keys */
	{ "{\r\n \"name\": \"a\\\"{[\\\\\\\":\\u0022,\",\r\n \"memmap\": [\r\n"
	  "  { \"base\": \"0x0\", \"size\": \"0x1000\", \"type\": \"ram\" },\r\n"
	  "  { \"base\": \"0x2000\", \"size\": \"0x1000\",\r\n \"type\": 7 } ] }",
	  "t.json:6: memmap[1].type: ", "expected a string, not an integer" },
	{ "{ \"memmap\": [ " RAM_2G " ],\n \"a\\\"b\\u005b\": [ [ [ \"]\" ] ] ] }",
	  "t.json:2: a\"b[: ", "unknown key" },
};

static void test_errors(void **state)
{
	struct tdxsim_platform_config *c = *state;
	char err[512];

	for (size_t i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
		const struct err_case *e = &err_cases[i];
		bool ok = parse(e->doc, c, err, sizeof(err));

		if (ok || strncmp(err, e->prefix, strlen(e->prefix)) ||
		    !strstr(err, e->substr))
			fail_msg("case %zu: got %s \"%s\", want \"%s...%s...\"", i,
				 ok ? "success" : "error", err, e->prefix, e->substr);
	}
}

/* An array of n copies of item under key (or inside an override's key). */
static char *make_list(const char *pre, const char *item, size_t n,
		       const char *post)
{
	size_t len = strlen(pre) + n * (strlen(item) + 2) + strlen(post) + 1;
	char *s = malloc(len), *p = s;

	assert_non_null(s);
	p += sprintf(p, "%s", pre);
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s%s\n", i ? "," : "", item);
	sprintf(p, "%s", post);
	return s;
}

static void expect_too_many(struct tdxsim_platform_config *c, const char *pre,
			    const char *item, size_t n, const char *post,
			    const char *prefix)
{
	char *doc = make_list(pre, item, n, post);
	char err[512];

	assert_false(parse(doc, c, err, sizeof(err)));
	if (strncmp(err, prefix, strlen(prefix)) || !strstr(err, "at most"))
		fail_msg("got \"%s\", want \"%s\"", err, prefix);
	free(doc);
}

static void test_too_many(void **state)
{
	struct tdxsim_platform_config *c = *state;
	char item[128], *doc;
	char err[512];

	expect_too_many(c, "{\n\"memmap\": [\n", RAM_2G, TDXSIM_MAX_MEMMAP + 1,
			"] }", "t.json:2: memmap: 513 entries, at most 512");
	expect_too_many(c, "{ \"memmap\": [ " RAM_2G " ],\n\"cmrs\": [\n",
			"{ \"base\": \"0x100000\", \"size\": \"0x1000\" }",
			TDXSIM_MAX_CMRS + 1, "] }", "t.json:2: cmrs: ");
	expect_too_many(c, "{ \"memmap\": [ " RAM_2G " ],\n\"lp_overrides\": [\n",
			"{ \"lp\": 1 }", TDXSIM_MAX_OVERRIDES + 1, "] }",
			"t.json:2: lp_overrides: ");
	expect_too_many(c, "{ \"memmap\": [ " RAM_2G " ],\n\"lp_overrides\": [ { \"lp\": 1,\n\"cpuid\": [\n",
			"{ \"leaf\": \"0x1\", \"eax\": \"0x0\", \"ebx\": \"0x0\", \"ecx\": \"0x0\", \"edx\": \"0x0\" }",
			TDXSIM_MAX_LP_CPUID + 1, "] } ] }",
			"t.json:3: lp_overrides[0].cpuid: ");
	expect_too_many(c, "{ \"memmap\": [ " RAM_2G " ],\n\"lp_overrides\": [ { \"lp\": 1,\n\"msrs\": [\n",
			"{ \"msr\": \"0x480\", \"value\": \"0x0\" }",
			TDXSIM_MAX_LP_MSRS + 1, "] } ] }",
			"t.json:3: lp_overrides[0].msrs: ");

	/* Exactly at the limit is fine (distinct MSRs). */
	doc = malloc(4096);
	assert_non_null(doc);
	strcpy(doc, "{ \"memmap\": [ " RAM_2G " ], \"lp_overrides\": [ { \"lp\": 1, \"msrs\": [");
	for (unsigned i = 0; i < TDXSIM_MAX_LP_MSRS; i++) {
		snprintf(item, sizeof(item), "%s{ \"msr\": \"0x%x\", \"value\": \"0x%x\" }",
			 i ? "," : "", 0x480 + i, i);
		strcat(doc, item);
	}
	strcat(doc, "] } ] }");
	assert_true(parse(doc, c, err, sizeof(err)));
	assert_int_equal(c->overrides[0].n_msrs, TDXSIM_MAX_LP_MSRS);
	assert_int_equal(c->overrides[0].msrs[15].msr, 0x48f);
	free(doc);
}

/* NUL bytes, deep nesting, a short error buffer. */
static void test_odd_input(void **state)
{
	struct tdxsim_platform_config *c = *state;
	static const char nul_doc[] = "{ \"memmap\": [ " RAM_2G " ] }\0{}";
	static const char nul_str[] = "{ \"name\": \"a\0b\", \"memmap\": [ " RAM_2G " ] }";
	enum { DEPTH = 3000, OK_DEPTH = 2000 };
	char err[512], small[8];
	char *doc = malloc(2 * DEPTH + 64);

	assert_false(tdxsim_config_parse_json(nul_doc, sizeof(nul_doc) - 1, "t.json",
					      c, err, sizeof(err)));
	assert_true(strncmp(err, "t.json:1: ", 10) == 0);
	assert_false(tdxsim_config_parse_json(nul_str, sizeof(nul_str) - 1, "t.json",
					      c, err, sizeof(err)));
	assert_true(strncmp(err, "t.json:1: ", 10) == 0);

	/* Deeper than jansson allows: a syntax error. */
	assert_non_null(doc);
	memset(doc, '[', DEPTH);
	memset(doc + DEPTH, ']', DEPTH);
	assert_false(tdxsim_config_parse_json(doc, 2 * DEPTH, "t.json", c, err,
					      sizeof(err)));
	assert_true(strncmp(err, "t.json:1: ", 10) == 0);

	/* Deep but accepted by jansson: a type error at memmap[0]. */
	strcpy(doc, "{\n\"memmap\": [\n");
	size_t n = strlen(doc);
	memset(doc + n, '[', OK_DEPTH);
	memset(doc + n + OK_DEPTH, ']', OK_DEPTH);
	strcpy(doc + n + 2 * OK_DEPTH, "] }");
	assert_false(parse(doc, c, err, sizeof(err)));
	assert_string_equal(err, "t.json:3: memmap[0]: expected an object, not an array");
	free(doc);

	/* A message that does not fit is cut, still terminated. */
	assert_false(tdxsim_config_parse_json("[]", 2, "t.json", c, small,
					      sizeof(small)));
	assert_string_equal(small, "t.json:");
	assert_false(tdxsim_config_parse_json("[]", 2, "t.json", c, NULL, 0));
}

/* ---- robustness ---- */

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Parses exactly len bytes from a buffer of that size (ASan sees any
 * read past the end). A failure must leave a message naming the file,
 * and a per-value message must have found its line. */
static bool parse_exact(struct tdxsim_platform_config *c, const char *src,
			size_t len)
{
	char *buf = malloc(len ? len : 1);
	char err[512];
	bool ok;

	assert_non_null(buf);
	memcpy(buf, src, len);
	err[0] = '\0';
	ok = tdxsim_config_parse_json(buf, len, "t.json", c, err, sizeof(err));
	free(buf);
	if (!ok) {
		assert_true(err[0] != '\0');
		assert_true(strncmp(err, "t.json:", 7) == 0 ||
			    strncmp(err, "t.json: ", 8) == 0);
		if (!strncmp(err, "t.json:0:", 9))
			fail_msg("line not found: %s", err);
	}
	return ok;
}

static size_t mutate(uint64_t *seed, char *buf, size_t len, size_t cap)
{
	static const char special[] = "{}[]\":,\\0x-1e ntf\n";
	unsigned ops = 1 + (unsigned)(xorshift(seed) % 4);

	for (unsigned k = 0; k < ops; k++) {
		uint64_t r = xorshift(seed);
		size_t at = len ? (size_t)(r >> 8) % len : 0;

		switch (r % 6) {
		case 0:  /* random byte */
			if (len)
				buf[at] = (char)(r >> 40);
			break;
		case 1:  /* flip a bit */
			if (len)
				buf[at] ^= (char)(1u << ((r >> 40) % 8));
			break;
		case 2:  /* insert a random byte or a NUL */
		case 3:
			if (len < cap) {
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = r % 6 == 2 ? (char)(r >> 40) : '\0';
				len++;
			}
			break;
		case 4:  /* a JSON-ish character */
			if (len)
				buf[at] = special[(r >> 40) % (sizeof(special) - 1)];
			break;
		default: /* delete a byte */
			if (len) {
				memmove(buf + at, buf + at + 1, len - at - 1);
				len--;
			}
			break;
		}
	}
	return len;
}

static void test_robustness(void **state)
{
	struct tdxsim_platform_config *c = *state;
	size_t len = strlen(full_doc), cap = len + 64;
	char *buf = malloc(cap);
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	unsigned passed = 0;

	assert_non_null(buf);
	assert_true(parse_exact(c, full_doc, len));
	for (size_t n = 0; n < len; n++)
		passed += parse_exact(c, full_doc, n);
	/* Only the prefix that drops the final newline is still valid. */
	assert_int_equal(passed, 1);

	passed = 0;
	for (unsigned i = 0; i < 2000; i++) {
		size_t n;

		memcpy(buf, full_doc, len);
		n = mutate(&seed, buf, len, cap);
		passed += parse_exact(c, buf, n);
	}
	print_message("%u of 2000 mutated documents still load\n", passed);
	free(buf);
}

/* ---- files ---- */

static char *example_path(const char *file)
{
	const char *dir = getenv("TDXSIM_SOURCE_DIR");
	char *path;

	if (!dir)
		fail_msg("TDXSIM_SOURCE_DIR is not set");
	path = malloc(strlen(dir) + strlen(file) + 32);
	assert_non_null(path);
	sprintf(path, "%s/examples/platforms/%s", dir, file);
	return path;
}

static void load_example(struct tdxsim_platform_config *c, const char *file)
{
	char *path = example_path(file);
	char err[512] = "";

	if (!tdxsim_config_load_json(path, c, err, sizeof(err)))
		fail_msg("%s", err);
	free(path);
}

static void test_example_default(void **state)
{
	struct tdxsim_platform_config *c = *state;
	struct tdxsim_platform_config *d = calloc(1, sizeof(*d));
	char err[512];

	assert_non_null(d);
	tdxsim_config_default(d);
	assert_true(tdxsim_config_finish(d, err, sizeof(err)));
	load_example(c, "default.json");
	assert_string_equal(c->name, d->name);
	assert_int_equal(c->packages, d->packages);
	assert_int_equal(c->lps_per_package, d->lps_per_package);
	assert_int_equal(c->pa_width, d->pa_width);
	assert_int_equal(c->keyid_bits, d->keyid_bits);
	assert_int_equal(c->mktme_keyids, d->mktme_keyids);
	assert_int_equal(c->tdx_keyids, d->tdx_keyids);
	assert_int_equal(c->cpu_fms, d->cpu_fms);
	assert_int_equal(c->seamverifyreport, d->seamverifyreport);
	assert_int_equal(c->module_loaded, d->module_loaded);
	assert_int_equal(c->profile, d->profile);
	assert_int_equal(c->n_memmap, d->n_memmap);
	for (size_t i = 0; i < d->n_memmap; i++)
		check_range(&c->memmap[i], d->memmap[i].base, d->memmap[i].size,
			    d->memmap[i].type, d->memmap[i].node);
	assert_int_equal(c->cmrs_explicit, d->cmrs_explicit);
	assert_int_equal(c->n_cmrs, d->n_cmrs);
	assert_int_equal(c->n_cmrs, 2);
	for (size_t i = 0; i < d->n_cmrs; i++) {
		assert_int_equal(c->cmrs[i].base, d->cmrs[i].base);
		assert_int_equal(c->cmrs[i].size, d->cmrs[i].size);
	}
	assert_int_equal(c->cmrs[0].base, 0x100000);
	assert_int_equal(c->cmrs[0].base + c->cmrs[0].size, 0x6F800000);
	assert_int_equal(c->cmrs[1].base, 4 * GiB);
	assert_int_equal(c->cmrs[1].base + c->cmrs[1].size, 66 * GiB);
	assert_int_equal(c->n_overrides, d->n_overrides);
	free(d);
}

static void test_example_hetero(void **state)
{
	struct tdxsim_platform_config *c = *state;
	const struct tdxsim_lp_override *o;

	load_example(c, "hetero-lp.json");
	assert_int_equal(c->packages * c->lps_per_package, 8);
	assert_int_equal(c->n_overrides, 2);
	o = &c->overrides[0];
	assert_int_equal(o->lp, 5);
	assert_int_equal(o->n_msrs, 1);
	assert_int_equal(o->n_cpuid, 0);
	assert_int_equal(o->msrs[0].msr, 0x480);
	/* the common model's IA32_VMX_BASIC is 0x00d8140000000004 */
	assert_true(o->msrs[0].value != 0x00d8140000000004ULL);
	o = &c->overrides[1];
	assert_int_equal(o->lp, 6);
	assert_int_equal(o->n_msrs, 0);
	assert_int_equal(o->n_cpuid, 1);
	assert_int_equal(o->cpuid[0].leaf, 7);
	assert_int_equal(o->cpuid[0].subleaf, 0);
}

static void test_example_four_socket(void **state)
{
	struct tdxsim_platform_config *c = *state;
	uint64_t ram = 0;
	unsigned nodes = 0;
	bool cxl = false, hotplug = false;

	load_example(c, "four-socket-cxl.json");
	assert_int_equal(c->packages, 4);
	assert_int_equal(c->lps_per_package, 8);
	for (size_t i = 0; i < c->n_memmap; i++) {
		const struct tdxsim_mem_range *r = &c->memmap[i];

		if (r->type == TDXSIM_MEM_RAM) {
			ram += r->size;
			nodes |= 1u << r->node;
		}
		cxl |= r->type == TDXSIM_MEM_SOFT_RESERVED;
		hotplug |= r->type == TDXSIM_MEM_HOTPLUG;
	}
	assert_true(ram > 500 * GiB && ram <= 512 * GiB);
	assert_int_equal(nodes, 0xf);
	assert_true(cxl);
	assert_true(hotplug);
	assert_true(c->cmrs_explicit);
	assert_true(c->n_cmrs >= 2);
}

static void test_load_errors(void **state)
{
	struct tdxsim_platform_config *c = *state;
	const char *dir = getenv("TDXSIM_SOURCE_DIR");
	char err[512], path[4096];

	assert_false(tdxsim_config_load_json("/nonexistent/dir/x.json", c, err,
					     sizeof(err)));
	assert_string_equal(err, "/nonexistent/dir/x.json: cannot read: No such file or directory");
	if (!dir)
		fail_msg("TDXSIM_SOURCE_DIR is not set");
	snprintf(path, sizeof(path), "%s/examples/platforms", dir);
	assert_false(tdxsim_config_load_json(path, c, err, sizeof(err)));
	assert_non_null(strstr(err, ": cannot read: "));
	assert_false(tdxsim_config_load_json("/dev/null", c, err, sizeof(err)));
	assert_true(strncmp(err, "/dev/null:1: ", 13) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_full_document, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hex_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_odd_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_robustness, setup, teardown),
		cmocka_unit_test_setup_teardown(test_example_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_example_hetero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_example_four_socket, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
