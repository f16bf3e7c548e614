/* SPDX-License-Identifier: MIT */
/* Memory maps for `tdxsim plan`: /proc/iomem, dmesg e820 + SRAT, dmesg
 * CMRs and JSON; auto-detection; messages with line numbers; three real
 * maps; robustness against truncated and damaged input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/memmap_parse.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

#define SAMPLE_01 "01-intel-2s-hpe-proc-iomem-memmap-legacy-pmem.txt"
#define SAMPLE_03 "03-amd-cxl-2-expanders-e820-soft-reserved-cedt.txt"
#define SAMPLE_04 "04-intel-cxl-platform-e820-srat-iomem-and-fujitsu-rdma-server.txt"

static const enum memmap_format all_formats[] = {
	MEMMAP_AUTO, MEMMAP_IOMEM, MEMMAP_E820, MEMMAP_CMR, MEMMAP_JSON,
};

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

/* Parses a C string as "t.txt"; the message or "" in err. */
static int parse(const char *text, enum memmap_format fmt,
		 struct tdxsim_platform_config *cfg, enum memmap_format *detected,
		 char *err, size_t errlen)
{
	return memmap_parse_text(text, strlen(text), "t.txt", fmt, cfg, detected,
				 err, errlen);
}

static void parse_ok(const char *text, enum memmap_format fmt,
		     struct tdxsim_platform_config *cfg, enum memmap_format want)
{
	enum memmap_format got = MEMMAP_AUTO;
	char err[512];

	if (parse(text, fmt, cfg, &got, err, sizeof(err)))
		fail_msg("unexpected error: %s", err);
	assert_string_equal(err, "");
	assert_string_equal(memmap_format_name(got), memmap_format_name(want));
}

static void expect_error(const char *text, enum memmap_format fmt,
			 struct tdxsim_platform_config *cfg, const char *want)
{
	char err[512];

	assert_int_equal(parse(text, fmt, cfg, NULL, err, sizeof(err)), 2);
	assert_string_equal(err, want);
}

static void check_range(const struct tdxsim_mem_range *r, uint64_t base,
			uint64_t end, enum tdxsim_mem_type type, unsigned node)
{
	if (r->base != base || r->base + r->size != end || r->type != type ||
	    r->node != node)
		fail_msg("got [0x%llx, 0x%llx) %s node %u, want [0x%llx, 0x%llx) %s node %u",
			 (unsigned long long)r->base,
			 (unsigned long long)(r->base + r->size),
			 tdxsim_mem_type_name(r->type), r->node,
			 (unsigned long long)base, (unsigned long long)end,
			 tdxsim_mem_type_name(type), node);
}

static void check_cmr(const struct tdxsim_cmr *c, uint64_t base, uint64_t end)
{
	assert_int_equal(c->base, base);
	assert_int_equal(c->base + c->size, end);
}

static uint64_t ram_total(const struct tdxsim_platform_config *c)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < c->n_memmap; i++)
		if (c->memmap[i].type == TDXSIM_MEM_RAM)
			sum += c->memmap[i].size;
	return sum;
}

/* ---- format names ---- */

static void test_format_names(void **state)
{
	static const char *const names[] = { "auto", "iomem", "e820", "cmr", "json" };
	enum memmap_format f;

	for (unsigned i = 0; i < 5; i++) {
		assert_string_equal(memmap_format_name(all_formats[i]), names[i]);
		assert_true(memmap_format_parse(names[i], &f));
		assert_int_equal(f, all_formats[i]);
	}
	assert_false(memmap_format_parse("IOMEM", &f));
	assert_false(memmap_format_parse("e82", &f));
	assert_false(memmap_format_parse("", &f));
	assert_false(memmap_format_parse(NULL, &f));
	assert_string_equal(memmap_format_name((enum memmap_format)9), "unknown");
}

/* ---- /proc/iomem ---- */

static const char iomem_doc[] =
	"# SOURCE: made up for the test, every kind of line\n"
	"00000000-00000fff : Reserved\n"
	"00001000-0009efff : System RAM\n"
	"000a0000-000bffff : PCI Bus 0000:00\n"
	"000f0000-000fffff : Reserved\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-3fffffff : System RAM\n"
	"  01000000-01ffffff : Kernel code\n"
	"  20000000-2fffffff : Crash kernel\n"
	"40000000-400fffff : ACPI Tables\n"
	"40100000-401fffff : ACPI Non-volatile Storage\n"
	"40200000-402fffff : Unusable memory\n"
	"80000000-8fffffff : PCI MMCONFIG 0000 [bus 00-ff]\n"
	"  80000000-8fffffff : Reserved\n"
	"\n"
	"100000000-13fffffff : System RAM\n"
	"140000000-17fffffff : Persistent Memory (legacy)\n"
	"  140000000-17fffffff : namespace0.0\n"
	"180000000-1bfffffff : Soft Reserved\n"
	"  180000000-1bfffffff : dax1.0\n"
	"    180000000-1bfffffff : System RAM (kmem)\n"
	"1c0000000-2bfffffff : CXL Window 0\n"
	"  1c0000000-23fffffff : region0\n"
	"    1c0000000-23fffffff : dax0.0\n"
	"      1c0000000-23fffffff : System RAM (kmem)\n"
	"  240000000-27fffffff : Soft Reserved\n"
	"  280000000-2bfffffff : region1\n"
	"3000000000-30000fffff : PCI Bus 0000:80\r\n"
	"  3000000000-30000fffff : 0000:80:00.0   \n";

static void test_iomem(void **state)
{
	struct tdxsim_platform_config *c = *state;

	for (unsigned pass = 0; pass < 2; pass++) {
		parse_ok(iomem_doc, pass ? MEMMAP_IOMEM : MEMMAP_AUTO, c, MEMMAP_IOMEM);
		assert_int_equal(c->n_memmap, 12);
		check_range(&c->memmap[0], 0x0, 0x1000, TDXSIM_MEM_RESERVED, 0);
		check_range(&c->memmap[1], 0x1000, 0x9f000, TDXSIM_MEM_RAM, 0);
		check_range(&c->memmap[2], 0xf0000, 0x100000, TDXSIM_MEM_RESERVED, 0);
		check_range(&c->memmap[3], 0x100000, 0x40000000, TDXSIM_MEM_RAM, 0);
		check_range(&c->memmap[4], 0x40000000, 0x40100000, TDXSIM_MEM_ACPI, 0);
		check_range(&c->memmap[5], 0x40100000, 0x40200000, TDXSIM_MEM_NVS, 0);
		check_range(&c->memmap[6], 0x40200000, 0x40300000, TDXSIM_MEM_UNUSABLE, 0);
		check_range(&c->memmap[7], 4 * GiB, 5 * GiB, TDXSIM_MEM_RAM, 0);
		check_range(&c->memmap[8], 5 * GiB, 6 * GiB, TDXSIM_MEM_PMEM_LEGACY, 0);
		/* top-level Soft Reserved: its kmem child adds nothing */
		check_range(&c->memmap[9], 6 * GiB, 7 * GiB, TDXSIM_MEM_SOFT_RESERVED, 0);
		/* kmem below a CXL window: onlined soft-reserved memory */
		check_range(&c->memmap[10], 7 * GiB, 9 * GiB, TDXSIM_MEM_SOFT_RESERVED, 0);
		/* Soft Reserved below a CXL window, not onlined */
		check_range(&c->memmap[11], 9 * GiB, 10 * GiB, TDXSIM_MEM_SOFT_RESERVED, 0);
		/* everything else of the default platform stays */
		assert_string_equal(c->name, "default");
		assert_int_equal(c->packages, 2);
		assert_int_equal(c->lps_per_package, 4);
		assert_false(c->cmrs_explicit);
		assert_int_equal(c->n_cmrs, 2);
		check_cmr(&c->cmrs[0], MiB, 0x40000000);
		check_cmr(&c->cmrs[1], 4 * GiB, 5 * GiB);
	}
}

static void test_iomem_kmem(void **state)
{
	struct tdxsim_platform_config *c = *state;

	/* Soft Reserved > dax > kmem under a window: one range, not three. */
	parse_ok("00000000-7fffffff : System RAM\n"
		 "80000000-bfffffff : CXL Window 0\n"
		 "  80000000-9fffffff : Soft Reserved\n"
		 "    80000000-9fffffff : dax0.0\n"
		 "      80000000-9fffffff : System RAM (kmem)\n"
		 "  a0000000-afffffff : dax1.0\n"
		 "    a0000000-afffffff : System RAM (kmem)\n",
		 MEMMAP_AUTO, c, MEMMAP_IOMEM);
	assert_int_equal(c->n_memmap, 3);
	check_range(&c->memmap[0], 0, 2 * GiB, TDXSIM_MEM_RAM, 0);
	check_range(&c->memmap[1], 2 * GiB, 0xa0000000, TDXSIM_MEM_SOFT_RESERVED, 0);
	check_range(&c->memmap[2], 0xa0000000, 0xb0000000, TDXSIM_MEM_SOFT_RESERVED, 0);

	/* kmem below top-level System RAM is already memory. */
	parse_ok("00000000-7fffffff : System RAM\n"
		 "  40000000-4fffffff : System RAM (kmem)\n",
		 MEMMAP_IOMEM, c, MEMMAP_IOMEM);
	assert_int_equal(c->n_memmap, 1);
	check_range(&c->memmap[0], 0, 2 * GiB, TDXSIM_MEM_RAM, 0);

	/* A cut name is just another device. */
	parse_ok("00000000-7fffffff : System RAM\n"
		 "80000000-8fffffff : Sys", MEMMAP_IOMEM, c, MEMMAP_IOMEM);
	assert_int_equal(c->n_memmap, 1);
	parse_ok("00000000-7fffffff : System RAM\n"
		 "80000000-8fffffff : ", MEMMAP_IOMEM, c, MEMMAP_IOMEM);
	assert_int_equal(c->n_memmap, 1);
}

/* ---- dmesg e820 and SRAT ---- */

static const char e820_doc[] =
	"[    0.000000] Linux version 6.8.0 (gcc) #1 SMP\n"
	"[    0.000000] BIOS-provided physical RAM map:\n"
	"[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009efff] usable\n"
	"[    0.000000] BIOS-e820: [mem 0x000000000009f000-0x00000000000fffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000003fffffff] usable\n"
	"[    0.000000] BIOS-e820: [mem 0x0000000040000000-0x00000000400fffff] ACPI data\n"
	"[    0.000000] BIOS-e820: [mem 0x0000000040100000-0x00000000401fffff] ACPI NVS\n"
	"[    0.000000] BIOS-e820: [mem 0x0000000040200000-0x00000000402fffff] unusable\n"
	"[] BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] persistent (type 12)\n"
	"BIOS-e820: [mem 0x0000000140000000-0x000000017fffffff] soft reserved\n"
	"BIOS-e820: [mem 0x0000000180000000-0x00000001bfffffff] usable\r\n"
	"[    0.000000] e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n"
	"[    0.000000] reserve setup_data: [mem 0x0000000000000000-0x000000000009efff] usable\n"
	"[    0.100000] ACPI: SRAT: PXM 0 -> APIC 0x00 -> Node 0\n"
	"[    3.200000] virt/tdx: CMR: [0x100000, 0x40000000)\n";

static void test_e820(void **state)
{
	struct tdxsim_platform_config *c = *state;

	for (unsigned pass = 0; pass < 2; pass++) {
		parse_ok(e820_doc, pass ? MEMMAP_E820 : MEMMAP_AUTO, c, MEMMAP_E820);
		assert_int_equal(c->n_memmap, 9);
		check_range(&c->memmap[0], 0x0, 0x9f000, TDXSIM_MEM_RAM, 0);
		check_range(&c->memmap[1], 0x9f000, 0x100000, TDXSIM_MEM_RESERVED, 0);
		check_range(&c->memmap[2], 0x100000, 0x40000000, TDXSIM_MEM_RAM, 0);
		check_range(&c->memmap[3], 0x40000000, 0x40100000, TDXSIM_MEM_ACPI, 0);
		check_range(&c->memmap[4], 0x40100000, 0x40200000, TDXSIM_MEM_NVS, 0);
		check_range(&c->memmap[5], 0x40200000, 0x40300000, TDXSIM_MEM_UNUSABLE, 0);
		check_range(&c->memmap[6], 4 * GiB, 5 * GiB, TDXSIM_MEM_PMEM_LEGACY, 0);
		check_range(&c->memmap[7], 5 * GiB, 6 * GiB, TDXSIM_MEM_SOFT_RESERVED, 0);
		check_range(&c->memmap[8], 6 * GiB, 7 * GiB, TDXSIM_MEM_RAM, 0);
		assert_int_equal(c->packages, 2);
		assert_false(c->cmrs_explicit);
		assert_int_equal(c->n_cmrs, 2);
		check_cmr(&c->cmrs[0], MiB, 0x40000000);
		check_cmr(&c->cmrs[1], 6 * GiB, 7 * GiB);
	}
}

static void test_e820_srat(void **state)
{
	struct tdxsim_platform_config *c = *state;
	static const char doc[] =
		"[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\n"
		"[    0.000000] BIOS-e820: [mem 0x0000000100000000-0x000000047fffffff] usable\n"
		"[    0.000000] BIOS-e820: [mem 0x0000000500000000-0x000000053fffffff] reserved\n"
		"[    0.000000] BIOS-e820: [mem 0x0000001000000000-0x00000013ffffffff] soft reserved\n"
		"[    0.000000] BIOS-e820: [mem 0x0000002000000000-0x000000203fffffff] usable\n"
		"[    0.010000] ACPI: SRAT: Node 2 PXM 0 [mem 0x00000000-0x7fffffff]\n"
		"[    0.010000] ACPI: SRAT: Node 5 PXM 1 [mem 0x280000000-0x47fffffff]\n"
		"[    0.010000] ACPI: SRAT: Node 2 PXM 0 [mem 0x100000000-0x27fffffff]\n"
		"[    0.010000] ACPI: SRAT: Node 9 PXM 2 [mem 0x1000000000-0x13ffffffff] non-volatile\n"
		"[    0.010000] ACPI: SRAT: Node 7 PXM 3 [mem 0x2000000000-0x23ffffffff] hotplug\n"
		"[    0.010000] ACPI: SRAT: Node 7 PXM 3 [mem 0x3000000000-0x30ffffffff] hotplug non-volatile\n";

	parse_ok(doc, MEMMAP_AUTO, c, MEMMAP_E820);
	assert_int_equal(c->n_memmap, 9);
	/* Linux nodes 2, 5, 7, 9 become packages 0..3 */
	check_range(&c->memmap[0], 0x0, 0xa0000, TDXSIM_MEM_RAM, 0);
	check_range(&c->memmap[1], MiB, 2 * GiB, TDXSIM_MEM_RAM, 0);
	/* one e820 range split at a node boundary */
	check_range(&c->memmap[2], 4 * GiB, 10 * GiB, TDXSIM_MEM_RAM, 0);
	check_range(&c->memmap[3], 10 * GiB, 18 * GiB, TDXSIM_MEM_RAM, 1);
	/* outside every SRAT range: the first node */
	check_range(&c->memmap[4], 20 * GiB, 21 * GiB, TDXSIM_MEM_RESERVED, 0);
	check_range(&c->memmap[5], 64 * GiB, 80 * GiB, TDXSIM_MEM_SOFT_RESERVED, 3);
	/* a hotplug SRAT range partly present at boot */
	check_range(&c->memmap[6], 128 * GiB, 129 * GiB, TDXSIM_MEM_RAM, 2);
	check_range(&c->memmap[7], 129 * GiB, 144 * GiB, TDXSIM_MEM_HOTPLUG, 2);
	/* and one not present at all */
	check_range(&c->memmap[8], 192 * GiB, 196 * GiB, TDXSIM_MEM_HOTPLUG, 2);
	assert_int_equal(c->packages, 4);
	assert_int_equal(c->n_cmrs, 3);
	check_cmr(&c->cmrs[0], MiB, 2 * GiB);
	check_cmr(&c->cmrs[1], 4 * GiB, 18 * GiB);   /* merged across nodes */
	check_cmr(&c->cmrs[2], 128 * GiB, 129 * GiB);

	/* One node keeps the default two packages. */
	parse_ok("BIOS-e820: [mem 0x0000000000000000-0x000000007fffffff] usable\n"
		 "ACPI: SRAT: Node 3 PXM 0 [mem 0x0000000000-0x7fffffff]\n"
		 "SRAT: Node 1 PXM 1 [mem 0x80000000-0xffffffff]\n",
		 MEMMAP_E820, c, MEMMAP_E820);
	assert_int_equal(c->n_memmap, 1);
	check_range(&c->memmap[0], 0, 2 * GiB, TDXSIM_MEM_RAM, 0);
	assert_int_equal(c->packages, 2);
}

static void test_e820_srat_many_nodes(void **state)
{
	struct tdxsim_platform_config *c = *state;
	char *doc = malloc(64 * 1024), *p = doc;

	assert_non_null(doc);
	for (unsigned n = 0; n < 9; n++)
		p += sprintf(p, "BIOS-e820: [mem 0x%016llx-0x%016llx] usable\n",
			     n * 4 * GiB, n * 4 * GiB + GiB - 1);
	for (unsigned n = 0; n < 8; n++)
		p += sprintf(p, "ACPI: SRAT: Node %u PXM %u [mem 0x%llx-0x%llx]\n",
			     n * 2, n, n * 4 * GiB, n * 4 * GiB + 4 * GiB - 1);
	parse_ok(doc, MEMMAP_AUTO, c, MEMMAP_E820);
	assert_int_equal(c->packages, 8);
	check_range(&c->memmap[7], 28 * GiB, 29 * GiB, TDXSIM_MEM_RAM, 7);
	check_range(&c->memmap[8], 32 * GiB, 33 * GiB, TDXSIM_MEM_RAM, 0);
	sprintf(p, "ACPI: SRAT: Node 40 PXM 8 [mem 0x%llx-0x%llx]\n",
		32 * GiB, 36 * GiB - 1);
	expect_error(doc, MEMMAP_AUTO, c,
		     "t.txt: the SRAT puts memory on more than 8 NUMA nodes; tdxsim has at most 8 packages "
		     "(the TDX module's MAX_PKGS)");
	free(doc);
}

/* ---- dmesg CMRs ---- */

static void test_cmr(void **state)
{
	struct tdxsim_platform_config *c = *state;
	static const char doc[] =
		"[    0.000000] Linux version 6.8.0\n"
		"[    3.100000] virt/tdx: BIOS enabled: private KeyID range [32, 64)\n"
		"[    3.200000] virt/tdx: CMR: [0x100000, 0x77800000)\n"
		"[    3.200001] virt/tdx: CMR: [0x100000000,0x880000000)\n"
		"tdx: CMR[2]: [0x1000000000, 0x1080000000)  \n"
		"CMR: [0x0, 0x0)\n";

	for (unsigned pass = 0; pass < 2; pass++) {
		parse_ok(doc, pass ? MEMMAP_CMR : MEMMAP_AUTO, c, MEMMAP_CMR);
		assert_int_equal(c->n_memmap, 3);
		check_range(&c->memmap[0], MiB, 0x77800000, TDXSIM_MEM_RAM, 0);
		check_range(&c->memmap[1], 4 * GiB, 34 * GiB, TDXSIM_MEM_RAM, 0);
		check_range(&c->memmap[2], 64 * GiB, 66 * GiB, TDXSIM_MEM_RAM, 0);
		assert_true(c->cmrs_explicit);
		assert_int_equal(c->n_cmrs, 3);
		check_cmr(&c->cmrs[0], MiB, 0x77800000);
		check_cmr(&c->cmrs[1], 4 * GiB, 34 * GiB);
		check_cmr(&c->cmrs[2], 64 * GiB, 66 * GiB);
	}
}

/* ---- JSON ---- */

static void test_json(void **state)
{
	struct tdxsim_platform_config *c = *state;
	static const char doc[] =
		"\n  { \"packages\": 4, \"memmap\": [\n"
		"  { \"base\": \"0x0\", \"size\": \"0x80000000\", \"type\": \"ram\", \"node\": 3 } ] }\n";

	parse_ok(doc, MEMMAP_AUTO, c, MEMMAP_JSON);
	assert_int_equal(c->packages, 4);
	assert_int_equal(c->n_memmap, 1);
	check_range(&c->memmap[0], 0, 2 * GiB, TDXSIM_MEM_RAM, 3);
	parse_ok(doc, MEMMAP_JSON, c, MEMMAP_JSON);
	assert_int_equal(c->packages, 4);
	/* jansson's and the JSON loader's messages pass through */
	expect_error("{ \"memmap\":\n 5 }", MEMMAP_AUTO, c,
		     "t.txt:2: memmap: expected an array, not an integer");
	expect_error("00000000-7fffffff : System RAM\n", MEMMAP_JSON, c,
		     "t.txt:1: '[' or '{' expected near '0'");
}

/* ---- auto-detection ---- */

static void test_detection(void **state)
{
	struct tdxsim_platform_config *c = *state;
	enum memmap_format got;
	char err[512];

	/* headers and blank lines first */
	parse_ok("# SOURCE: x\n\n   \n# BIOS-e820: CMR: [ {\n00000000-7fffffff : System RAM\n",
		 MEMMAP_AUTO, c, MEMMAP_IOMEM);
	/* e820 wins over CMR lines in the same log */
	parse_ok("virt/tdx: CMR: [0x100000, 0x77800000)\n"
		 "BIOS-e820: [mem 0x0000000000000000-0x000000007fffffff] usable\n",
		 MEMMAP_AUTO, c, MEMMAP_E820);
	check_range(&c->memmap[0], 0, 2 * GiB, TDXSIM_MEM_RAM, 0);
	/* iomem only when the first line looks like it */
	expect_error("Memory map:\n00000000-7fffffff : System RAM\n", MEMMAP_AUTO, c,
		     "t.txt: cannot tell the format of t.txt (use --format iomem|e820|cmr|json)");
	expect_error("", MEMMAP_AUTO, c,
		     "t.txt: cannot tell the format of t.txt (use --format iomem|e820|cmr|json)");
	expect_error("# only a comment\n", MEMMAP_AUTO, c,
		     "t.txt: cannot tell the format of t.txt (use --format iomem|e820|cmr|json)");
	/* a format that fails still says what it was */
	got = MEMMAP_AUTO;
	assert_int_equal(parse("CMR: [0x0, 0x1000\n", MEMMAP_AUTO, c, &got, err,
			       sizeof(err)), 2);
	assert_int_equal(got, MEMMAP_CMR);
	got = MEMMAP_JSON;
	assert_int_equal(parse("hello\n", MEMMAP_AUTO, c, &got, err, sizeof(err)), 2);
	assert_int_equal(got, MEMMAP_AUTO);
	/* NULL text is empty; NULL err and detected are allowed */
	assert_int_equal(memmap_parse_text(NULL, 5, NULL, MEMMAP_AUTO, c, NULL, err,
					   sizeof(err)), 2);
	assert_string_equal(err, "<input>: cannot tell the format of <input> (use --format iomem|e820|cmr|json)");
	assert_int_equal(memmap_parse_text("x", 1, "t", MEMMAP_AUTO, c, NULL, NULL, 0), 2);
	assert_int_equal(memmap_parse_text("x", 1, "t", (enum memmap_format)7, c, NULL,
					   err, sizeof(err)), 2);
	assert_string_equal(err, "t: unknown memory map format 7");
}

/* ---- errors ---- */

struct err_case {
	enum memmap_format fmt;
	const char *text;
	const char *msg;          /* the whole message */
};

#define RAM_LINE "00000000-7fffffff : System RAM\n"
#define E820_RAM "[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000007fffffff] usable\n"

static const struct err_case err_cases[] = {
	/* forced formats need their lines */
	{ MEMMAP_IOMEM, "# nothing\n\n", "t.txt: no iomem lines found" },
	{ MEMMAP_E820, RAM_LINE, "t.txt: no e820 lines found" },
	{ MEMMAP_E820, "ACPI: SRAT: Node 0 PXM 0 [mem 0x0-0xfff] hotplug\n",
	  "t.txt: no e820 lines found" },
	{ MEMMAP_CMR, E820_RAM, "t.txt: no cmr lines found" },
	{ MEMMAP_IOMEM, "# SOURCE\n" E820_RAM,
	  "t.txt:2: not a /proc/iomem line (expected \"START-END : NAME\")" },
	/* iomem: cut lines */
	{ MEMMAP_AUTO, RAM_LINE "0010000", "t.txt:2: not a /proc/iomem line (expected \"START-END : NAME\")" },
	{ MEMMAP_AUTO, RAM_LINE "80000000-8fff", "t.txt:2: not a /proc/iomem line (expected \"START-END : NAME\")" },
	{ MEMMAP_AUTO, RAM_LINE "80000000-8fffffff :", "t.txt:2: not a /proc/iomem line (expected \"START-END : NAME\")" },
	{ MEMMAP_AUTO, RAM_LINE "80000000-", "t.txt:2: not a /proc/iomem line (expected \"START-END : NAME\")" },
	{ MEMMAP_AUTO, RAM_LINE "80000000-8fffffff System RAM\n", "t.txt:2: not a /proc/iomem line (expected \"START-END : NAME\")" },
	{ MEMMAP_AUTO, RAM_LINE "\t80000000-8fffffff : Reserved\n", "t.txt:2: not a /proc/iomem line (expected \"START-END : NAME\")" },
	{ MEMMAP_AUTO, RAM_LINE "0x80000000-0x8fffffff : Reserved\n", "t.txt:2: not a /proc/iomem line (expected \"START-END : NAME\")" },
	/* iomem: values */
	{ MEMMAP_AUTO, RAM_LINE "\n90000000-8fffffff : System RAM\n",
	  "t.txt:3: range start 0x90000000 is above its end 0x8fffffff" },
	{ MEMMAP_AUTO, RAM_LINE "10000000000000-10000000000fff : System RAM\n",
	  "t.txt:2: address 0x10000000000000 is outside the 52-bit physical address space" },
	{ MEMMAP_AUTO, RAM_LINE "80000000-100000000000000000000 : PCI Bus\n",
	  "t.txt:2: address 0x100000000000000000000 is outside the 52-bit physical address space" },
	{ MEMMAP_AUTO, "80000000-8fffffff : Reserved\n" RAM_LINE,
	  "t.txt:2: range 0x0-0x7fffffff is below the previous one (0x80000000-0x8fffffff)" },
	{ MEMMAP_AUTO, RAM_LINE "7ffff000-8fffffff : Reserved\n",
	  "t.txt:2: range 0x7ffff000-0x8fffffff overlaps the previous one (0x0-0x7fffffff)" },
	{ MEMMAP_AUTO, RAM_LINE "00000000-7fffffff : Reserved\n",
	  "t.txt:2: range 0x0-0x7fffffff overlaps the previous one (0x0-0x7fffffff)" },
	{ MEMMAP_AUTO, "00000000-00000fff : Reserved\n", "t.txt: the memory map has no RAM" },
	{ MEMMAP_AUTO, "00000000-00000fff : PCI Bus 0000:00\n  00000000-00000fff : System RAM\n",
	  "t.txt: the memory map has no RAM" },
	/* iomem read by a user */
	{ MEMMAP_AUTO, "00000000-00000000 : Reserved\n00000000-00000000 : System RAM\n"
	  "  00000000-00000000 : Kernel code\n",
	  "t.txt:2: addresses are all zero: read /proc/iomem as root" },
	{ MEMMAP_AUTO, "00000000-00000000 : System RAM\n",
	  "t.txt: addresses are all zero: read /proc/iomem as root" },
	/* iomem: nesting */
	{ MEMMAP_AUTO, RAM_LINE "   10000000-1fffffff : Kernel code\n",
	  "t.txt:2: indentation of 3 spaces is not a multiple of 2" },
	{ MEMMAP_IOMEM, "  10000000-1fffffff : Kernel code\n" RAM_LINE,
	  "t.txt:1: indented line before any top-level line" },
	{ MEMMAP_AUTO, RAM_LINE "    10000000-1fffffff : Kernel code\n",
	  "t.txt:2: indented 2 levels but the line before is at level 0" },
	{ MEMMAP_AUTO, RAM_LINE "  70000000-8fffffff : Crash kernel\n",
	  "t.txt:2: range 0x70000000-0x8fffffff lies outside the range it is nested in (0x0-0x7fffffff)" },
	{ MEMMAP_AUTO, RAM_LINE "  10000000-1fffffff : Kernel code\n    0fffffff-10000fff : x\n",
	  "t.txt:3: range 0xfffffff-0x10000fff lies outside the range it is nested in (0x10000000-0x1fffffff)" },
	/* e820 */
	{ MEMMAP_AUTO, E820_RAM "[    0.000000] BIOS-e820: [mem 0x0000000080000000-0x000000008fffffff] type 20\n",
	  "t.txt:2: unknown e820 type 20" },
	{ MEMMAP_AUTO, E820_RAM "[    0.000000] BIOS-e820: [mem 0x0000000080000000-0x000000008fffffff] persistent (type 7)\n",
	  "t.txt:2: unknown e820 type 'persistent (type 7)'" },
	{ MEMMAP_AUTO, E820_RAM "BIOS-e820: [mem 0x0000000080000000-0x000000008fffffff] usab",
	  "t.txt:2: unknown e820 type 'usab'" },
	{ MEMMAP_AUTO, E820_RAM "BIOS-e820: [mem 0x0000000080000000-0x000000008fffffff] Usable\n",
	  "t.txt:2: unknown e820 type 'Usable'" },
	{ MEMMAP_AUTO, E820_RAM "BIOS-e820: [mem 0x0000000080000000-0x000000008fffffff]  \n",
	  "t.txt:2: e820 range 0x80000000-0x8fffffff has no type" },
	{ MEMMAP_AUTO, E820_RAM "BIOS-e820: [mem 0x0000000080000000-0x00000000",
	  "t.txt:2: not an e820 line (expected \"BIOS-e820: [mem 0xSTART-0xEND] TYPE\")" },
	{ MEMMAP_AUTO, E820_RAM "BIOS-e820: [mem 0x0000000080000000-0x000000008fffffff]usable\n",
	  "t.txt:2: not an e820 line (expected \"BIOS-e820: [mem 0xSTART-0xEND] TYPE\")" },
	{ MEMMAP_AUTO, E820_RAM "BIOS-e820: [mem 80000000-8fffffff] usable\n",
	  "t.txt:2: not an e820 line (expected \"BIOS-e820: [mem 0xSTART-0xEND] TYPE\")" },
	{ MEMMAP_AUTO, E820_RAM "BIOS-e820: [mem 0x0000000090000000-0x000000008fffffff] usable\n",
	  "t.txt:2: range start 0x90000000 is above its end 0x8fffffff" },
	{ MEMMAP_AUTO, E820_RAM "BIOS-e820: [mem 0x0010000000000000-0x0010000000000fff] usable\n",
	  "t.txt:2: address 0x0010000000000000 is outside the 52-bit physical address space" },
	{ MEMMAP_AUTO, "BIOS-e820: [mem 0x0000000080000000-0x000000008fffffff] reserved\n\n" E820_RAM,
	  "t.txt:3: range 0x0-0x7fffffff is below the previous one (0x80000000-0x8fffffff)" },
	{ MEMMAP_AUTO, E820_RAM "BIOS-e820: [mem 0x000000007ffff000-0x000000008fffffff] reserved\n",
	  "t.txt:2: range 0x7ffff000-0x8fffffff overlaps the previous one (0x0-0x7fffffff)" },
	{ MEMMAP_AUTO, "BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] reserved\n",
	  "t.txt: the memory map has no RAM" },
	/* SRAT */
	{ MEMMAP_AUTO, E820_RAM "ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x7fff",
	  "t.txt:2: not an SRAT line (expected \"SRAT: Node N PXM P [mem 0xSTART-0xEND]\")" },
	{ MEMMAP_AUTO, E820_RAM "ACPI: SRAT: Node x PXM 0 [mem 0x00000000-0x7fffffff]\n",
	  "t.txt:2: not an SRAT line (expected \"SRAT: Node N PXM P [mem 0xSTART-0xEND]\")" },
	{ MEMMAP_AUTO, E820_RAM "ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x7fffffff] hotpl\n",
	  "t.txt:2: unexpected 'hotpl' after the SRAT range" },
	{ MEMMAP_AUTO, E820_RAM "ACPI: SRAT: Node 0 PXM 0 [mem 0x80000000-0x7fffffff]\n",
	  "t.txt:2: range start 0x80000000 is above its end 0x7fffffff" },
	{ MEMMAP_AUTO, E820_RAM "ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x7fffffff]\n"
	  "ACPI: SRAT: Node 1 PXM 1 [mem 0x40000000-0xbfffffff]\n",
	  "t.txt:3: SRAT range 0x40000000-0xbfffffff overlaps the one on line 2" },
	/* CMRs */
	{ MEMMAP_AUTO, "virt/tdx: CMR: [0x100000, 0x778",
	  "t.txt:1: not a CMR line (expected \"CMR: [0xSTART, 0xEND)\")" },
	{ MEMMAP_AUTO, "virt/tdx: CMR: [0x100000, 0x77800000) x\n",
	  "t.txt:1: not a CMR line (expected \"CMR: [0xSTART, 0xEND)\")" },
	{ MEMMAP_AUTO, "virt/tdx: CMR: [0x100000, 0x77800800)\n",
	  "t.txt:1: CMR [0x100000, 0x77800800) is not 4 KiB aligned" },
	{ MEMMAP_AUTO, "virt/tdx: CMR: [0x200000, 0x100000)\n",
	  "t.txt:1: CMR start 0x200000 is above its end 0x100000" },
	{ MEMMAP_AUTO, "CMR: [0x100000000, 0x200000000)\nCMR: [0x100000, 0x200000)\n",
	  "t.txt:2: range 0x100000-0x200000 is below the previous one (0x100000000-0x200000000)" },
	{ MEMMAP_AUTO, "CMR: [0x100000, 0x200000)\nCMR: [0x1ff000, 0x300000)\n",
	  "t.txt:2: range 0x1ff000-0x300000 overlaps the previous one (0x100000-0x200000)" },
	{ MEMMAP_AUTO, "CMR: [0x100000, 0x20000000000000)\n",
	  "t.txt:1: address 0x20000000000000 is outside the 52-bit physical address space" },
	{ MEMMAP_AUTO, "CMR: [0x0, 0x0)\n", "t.txt: the memory map has no RAM" },
	/* checks of tdxsim_config_finish() */
	{ MEMMAP_AUTO, "BIOS-e820: [mem 0x0000400000000000-0x0000400000000fff] usable\n",
	  "t.txt: memory range [0x400000000000, +0x1000) is empty or beyond the 46-bit physical space" },
};

static void test_errors(void **state)
{
	struct tdxsim_platform_config *c = *state;
	char err[512];

	for (size_t i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
		const struct err_case *e = &err_cases[i];
		int rc = parse(e->text, e->fmt, c, NULL, err, sizeof(err));

		if (rc != 2 || strcmp(err, e->msg))
			fail_msg("case %zu: got %d \"%s\", want \"%s\"", i, rc, err, e->msg);
	}
}

/* Too many ranges, CMRs and derived CMRs; lines too long; NUL bytes. */
static void test_limits(void **state)
{
	struct tdxsim_platform_config *c = *state;
	char *doc = malloc(256 * 1024), *p;
	char err[512], small[8];

	assert_non_null(doc);
	/* 512 e820 ranges fit, the 513th does not */
	p = doc;
	for (unsigned i = 0; i < TDXSIM_MAX_MEMMAP; i++)
		p += sprintf(p, "BIOS-e820: [mem 0x%016llx-0x%016llx] %s\n",
			     i * 2 * MiB, i * 2 * MiB + MiB - 1, i ? "reserved" : "usable");
	parse_ok(doc, MEMMAP_AUTO, c, MEMMAP_E820);
	assert_int_equal(c->n_memmap, TDXSIM_MAX_MEMMAP);
	sprintf(p, "BIOS-e820: [mem 0x%016llx-0x%016llx] reserved\n", GiB, GiB + MiB - 1);
	expect_error(doc, MEMMAP_AUTO, c, "t.txt:513: more than 512 memory ranges");

	/* the same for iomem; device windows do not count */
	p = doc;
	for (unsigned i = 0; i <= TDXSIM_MAX_MEMMAP; i++)
		p += sprintf(p, "%08llx-%08llx : %s\n%08llx-%08llx : PCI Bus\n",
			     i * 4 * MiB, i * 4 * MiB + MiB - 1, i ? "Reserved" : "System RAM",
			     i * 4 * MiB + MiB, i * 4 * MiB + 2 * MiB - 1);
	expect_error(doc, MEMMAP_AUTO, c, "t.txt:1025: more than 512 memory ranges");

	/* 33 CMRs */
	p = doc;
	for (unsigned i = 0; i <= TDXSIM_MAX_CMRS; i++)
		p += sprintf(p, "virt/tdx: CMR: [0x%llx, 0x%llx)\n", (i + 1) * 2 * MiB,
			     (i + 1) * 2 * MiB + MiB);
	expect_error(doc, MEMMAP_AUTO, c, "t.txt:33: more than 32 CMRs");

	/* RAM in 33 pieces: it loads (Linux plans from memblock, not from
	 * CMRs), and the first of the equal holes joins two CMRs so that
	 * 32 remain (test_platform has the smallest-hole rule). */
	p = doc;
	for (unsigned i = 0; i <= TDXSIM_MAX_CMRS; i++)
		p += sprintf(p, "BIOS-e820: [mem 0x%016llx-0x%016llx] usable\n"
			     "BIOS-e820: [mem 0x%016llx-0x%016llx] reserved\n",
			     (i + 1) * 2 * MiB, (i + 1) * 2 * MiB + MiB - 1,
			     (i + 1) * 2 * MiB + MiB, (i + 1) * 2 * MiB + 2 * MiB - 1);
	parse_ok(doc, MEMMAP_AUTO, c, MEMMAP_E820);
	assert_int_equal(c->n_cmrs, TDXSIM_MAX_CMRS);
	assert_int_equal(c->cmrs[0].base, 2 * MiB);
	assert_int_equal(c->cmrs[0].size, 3 * MiB);
	assert_int_equal(c->cmrs[1].base, 6 * MiB);

	/* a 4096-character line is fine, 4097 is not, in any format */
	strcpy(doc, RAM_LINE "80000000-8fffffff : ");
	p = doc + strlen(doc);
	memset(p, 'x', 4096 - 20);
	strcpy(p + 4096 - 20, "\n");
	parse_ok(doc, MEMMAP_AUTO, c, MEMMAP_IOMEM);
	strcpy(p + 4096 - 20, "x\n" RAM_LINE);
	for (unsigned f = 0; f < 4; f++)
		expect_error(doc, all_formats[f], c, "t.txt:2: line is longer than 4096 characters");
	memset(doc, '#', 100000);
	doc[100000] = '\0';
	expect_error(doc, MEMMAP_AUTO, c, "t.txt:1: line is longer than 4096 characters");

	/* NUL bytes: never read as the end of a line, never past len */
	static const char nul[] = RAM_LINE "8000\0000-8fffffff : Reserved\n";
	for (unsigned f = 0; f < 4; f++) {
		assert_int_equal(memmap_parse_text(nul, sizeof(nul) - 1, "t.txt", all_formats[f],
						   c, NULL, err, sizeof(err)), 2);
		assert_string_equal(err, "t.txt:2: NUL byte in the text (not a text file?)");
	}
	assert_int_equal(memmap_parse_text(nul, sizeof(nul), "t.txt", MEMMAP_AUTO, c, NULL,
					   err, sizeof(err)), 2);
	assert_string_equal(err, "t.txt:2: NUL byte in the text (not a text file?)");
	/* only the first len bytes count */
	assert_int_equal(memmap_parse_text(nul, strlen(RAM_LINE), "t.txt", MEMMAP_AUTO, c,
					   NULL, err, sizeof(err)), 0);

	/* a message that does not fit is cut, still terminated */
	assert_int_equal(memmap_parse_text("x", 1, "t.txt", MEMMAP_AUTO, c, NULL, small,
					   sizeof(small)), 2);
	assert_string_equal(small, "t.txt: ");
	free(doc);
}

/* ---- the real maps ---- */

static char *read_sample(const char *file, size_t *len)
{
	const char *dir = getenv("TDXSIM_SOURCE_DIR");
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	if (!dir)
		fail_msg("TDXSIM_SOURCE_DIR is not set");
	snprintf(path, sizeof(path), "%s/tests/data/memmaps/%s", dir, file);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Lines first..last (from 1) of text, after prefix; malloc'd. */
static char *excerpt(const char *prefix, const char *text, unsigned first,
		     unsigned last)
{
	const char *s = text, *e;
	char *out;

	for (unsigned i = 1; i < first && s; i++)
		s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL;
	assert_non_null(s);
	e = s;
	for (unsigned i = first; i <= last && e; i++)
		e = strchr(e, '\n') ? strchr(e, '\n') + 1 : NULL;
	assert_non_null(e);
	out = malloc(strlen(prefix) + (size_t)(e - s) + 1);
	assert_non_null(out);
	sprintf(out, "%s%.*s", prefix, (int)(e - s), s);
	return out;
}

static void sample_path(char *path, size_t size, const char *file)
{
	const char *dir = getenv("TDXSIM_SOURCE_DIR");

	if (!dir)
		fail_msg("TDXSIM_SOURCE_DIR is not set");
	snprintf(path, size, "%s/tests/data/memmaps/%s", dir, file);
}

/* HPE 2-socket, /proc/iomem, memmap=4G!4G legacy PMEM split by the kernel. */
static void test_sample_01(void **state)
{
	struct tdxsim_platform_config *c = *state;
	enum memmap_format got = MEMMAP_AUTO;
	char path[4096], err[512];
	size_t len;
	char *text = read_sample(SAMPLE_01, &len);

	assert_true(strncmp(text, "# SOURCE: Qian Cai", 18) == 0);
	sample_path(path, sizeof(path), SAMPLE_01);
	if (memmap_load_file(path, MEMMAP_AUTO, c, &got, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(got, MEMMAP_IOMEM);
	assert_int_equal(c->n_memmap, 17);
	check_range(&c->memmap[0], 0x0, 0x1000, TDXSIM_MEM_RESERVED, 0);
	check_range(&c->memmap[1], 0x1000, 0x94000, TDXSIM_MEM_RAM, 0);
	check_range(&c->memmap[2], 0x94000, 0xa0000, TDXSIM_MEM_RESERVED, 0);
	check_range(&c->memmap[3], 0xe0000, 0x100000, TDXSIM_MEM_RESERVED, 0);
	check_range(&c->memmap[4], 0x100000, 0x5a7a1000, TDXSIM_MEM_RAM, 0);
	check_range(&c->memmap[5], 0x5a7a1000, 0x5b5e1000, TDXSIM_MEM_RESERVED, 0);
	check_range(&c->memmap[6], 0x5b5e1000, 0x790ff000, TDXSIM_MEM_RAM, 0);
	check_range(&c->memmap[7], 0x790ff000, 0x791ff000, TDXSIM_MEM_RESERVED, 0);
	check_range(&c->memmap[8], 0x791ff000, 0x7b5ff000, TDXSIM_MEM_NVS, 0);
	check_range(&c->memmap[9], 0x7b5ff000, 0x7b7ff000, TDXSIM_MEM_ACPI, 0);
	check_range(&c->memmap[10], 0x7b7ff000, 0x7b800000, TDXSIM_MEM_RAM, 0);
	check_range(&c->memmap[11], 0x7b800000, 0x90000000, TDXSIM_MEM_RESERVED, 0);
	check_range(&c->memmap[12], 0xff800000, 0x100000000, TDXSIM_MEM_RESERVED, 0);
	/* the 4 GiB of memmap=4G!4G, split around the kernel image */
	check_range(&c->memmap[13], 0x100000000, 0x155e00000, TDXSIM_MEM_PMEM_LEGACY, 0);
	check_range(&c->memmap[14], 0x155e00000, 0x15982c000, TDXSIM_MEM_RAM, 0);
	check_range(&c->memmap[15], 0x15982c000, 0x200000000, TDXSIM_MEM_PMEM_LEGACY, 0);
	check_range(&c->memmap[16], 0x200000000, 0x880000000, TDXSIM_MEM_RAM, 0);
	assert_int_equal(ram_total(c), 0x6fbc7f000ULL);
	/* derived CMRs: RAM above 1 MiB, never the legacy PMEM */
	assert_false(c->cmrs_explicit);
	assert_int_equal(c->n_cmrs, 5);
	check_cmr(&c->cmrs[0], 0x100000, 0x5a7a1000);
	check_cmr(&c->cmrs[1], 0x5b5e1000, 0x790ff000);
	check_cmr(&c->cmrs[2], 0x7b7ff000, 0x7b800000);
	check_cmr(&c->cmrs[3], 0x155e00000, 0x15982c000);
	check_cmr(&c->cmrs[4], 0x200000000, 0x880000000);

	/* the same through memmap_parse_text, forced */
	assert_int_equal(memmap_parse_text(text, len, SAMPLE_01, MEMMAP_IOMEM, c, NULL,
					   err, sizeof(err)), 0);
	assert_int_equal(c->n_memmap, 17);
	assert_int_equal(memmap_parse_text(text, len, "01.txt", MEMMAP_E820, c, NULL,
					   err, sizeof(err)), 2);
	assert_string_equal(err, "01.txt: no e820 lines found");
	assert_int_equal(memmap_parse_text(text, len, "01.txt", MEMMAP_CMR, c, NULL,
					   err, sizeof(err)), 2);
	assert_string_equal(err, "01.txt: no cmr lines found");
	/* cut inside "00100000-5a7a0fff : System RAM" (line 11) */
	const char *cut = strstr(text, "00100000-5a7a0fff");
	assert_non_null(cut);
	assert_int_equal(memmap_parse_text(text, (size_t)(cut - text) + 7, "01.txt",
					   MEMMAP_AUTO, c, NULL, err, sizeof(err)), 2);
	assert_string_equal(err, "01.txt:11: not a /proc/iomem line (expected \"START-END : NAME\")");
	free(text);
}

/* AMD with two CXL expanders: only three e820 lines were posted. */
static void test_sample_03(void **state)
{
	struct tdxsim_platform_config *c = *state;
	enum memmap_format got = MEMMAP_AUTO;
	char err[512];
	size_t len;
	char *text = read_sample(SAMPLE_03, &len), *doc;

	assert_true(strncmp(text, "# SOURCE: Gregory Price", 23) == 0);
	/* no usable range at all: there is nothing to plan for */
	assert_int_equal(memmap_parse_text(text, len, "03.txt", MEMMAP_AUTO, c, &got,
					   err, sizeof(err)), 2);
	assert_int_equal(got, MEMMAP_E820);
	assert_string_equal(err, "03.txt: the memory map has no RAM");
	assert_int_equal(memmap_parse_text(text, len, "03.txt", MEMMAP_IOMEM, c, NULL,
					   err, sizeof(err)), 2);
	assert_string_equal(err, "03.txt:2: not a /proc/iomem line (expected \"START-END : NAME\")");

	/* with a usable range added, the three posted ranges are all there */
	doc = excerpt("BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\n",
		      text, 1, 46);
	parse_ok(doc, MEMMAP_AUTO, c, MEMMAP_E820);
	assert_int_equal(c->n_memmap, 4);
	check_range(&c->memmap[0], MiB, 2 * GiB, TDXSIM_MEM_RAM, 0);
	check_range(&c->memmap[1], 0xc050000000, 0xfd00000000, TDXSIM_MEM_SOFT_RESERVED, 0);
	check_range(&c->memmap[2], 0xfd00000000, 0x10000000000, TDXSIM_MEM_RESERVED, 0);
	check_range(&c->memmap[3], 0x10000000000, 0x10350000000, TDXSIM_MEM_SOFT_RESERVED, 0);
	/* the same as the CEDT's windows: two below 1 TiB, one at 1 TiB */
	assert_int_equal(c->memmap[1].size, 0x2000000000ULL + 0x1cb0000000ULL);
	assert_int_equal(c->memmap[3].size, 0x350000000ULL);
	free(doc);
	free(text);
}

/* Two machines in one mail: (A) lines 2-17, (B) from line 19. */
static void test_sample_04(void **state)
{
	struct tdxsim_platform_config *c = *state;
	enum memmap_format got = MEMMAP_AUTO;
	char err[512];
	size_t len;
	char *text = read_sample(SAMPLE_04, &len), *doc;

	assert_true(strncmp(text, "# SOURCE: Alison Schofield", 26) == 0);
	/* As a whole: (B)'s e820 lines go back below (A)'s. */
	assert_int_equal(memmap_parse_text(text, len, "04.txt", MEMMAP_AUTO, c, &got,
					   err, sizeof(err)), 2);
	assert_int_equal(got, MEMMAP_E820);
	assert_string_equal(err, "04.txt:29: range 0x180000000-0x1ffffffff is below the previous one (0x24080000000-0x4407fffffff)");

	/* (A) alone: soft reserved and an SRAT hotplug node, but no RAM */
	doc = excerpt("", text, 1, 18);
	assert_int_equal(parse(doc, MEMMAP_AUTO, c, &got, err, sizeof(err)), 2);
	assert_int_equal(got, MEMMAP_E820);
	assert_string_equal(err, "t.txt: the memory map has no RAM");
	free(doc);

	/* (A) with RAM on node 0: the CXL range is node 6, now package 1 */
	doc = excerpt("BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\n"
		      "ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x7fffffff]\n", text, 1, 18);
	parse_ok(doc, MEMMAP_AUTO, c, MEMMAP_E820);
	assert_int_equal(c->n_memmap, 2);
	check_range(&c->memmap[0], MiB, 2 * GiB, TDXSIM_MEM_RAM, 0);
	check_range(&c->memmap[1], 0x24080000000, 0x44080000000, TDXSIM_MEM_SOFT_RESERVED, 1);
	assert_int_equal(c->packages, 2);
	free(doc);

	/* (A) without its e820 line: the SRAT hotplug range is all that is left */
	doc = excerpt("BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\n",
		      text, 4, 18);
	parse_ok(doc, MEMMAP_AUTO, c, MEMMAP_E820);
	assert_int_equal(c->n_memmap, 2);
	check_range(&c->memmap[0], MiB, 2 * GiB, TDXSIM_MEM_RAM, 0);
	check_range(&c->memmap[1], 0x24080000000, 0x44080000000, TDXSIM_MEM_HOTPLUG, 0);
	free(doc);

	/* (A)'s /proc/iomem: the window is a device, kmem below it is CXL memory */
	doc = excerpt("00100000-7fffffff : System RAM\n", text, 12, 15);
	parse_ok(doc, MEMMAP_AUTO, c, MEMMAP_IOMEM);
	assert_int_equal(c->n_memmap, 2);
	check_range(&c->memmap[0], MiB, 2 * GiB, TDXSIM_MEM_RAM, 0);
	check_range(&c->memmap[1], 0x24080000000, 0x44080000000, TDXSIM_MEM_SOFT_RESERVED, 0);
	free(doc);

	/* (B)'s /proc/iomem lost digits in the mail: the first line ends below its start */
	doc = excerpt("", text, 20, 27);
	assert_int_equal(parse(doc, MEMMAP_AUTO, c, &got, err, sizeof(err)), 2);
	assert_int_equal(got, MEMMAP_IOMEM);
	assert_string_equal(err, "t.txt:1: range start 0x200000000 is above its end 0x5bffffff");
	free(doc);
	free(text);
}

static void test_load_errors(void **state)
{
	struct tdxsim_platform_config *c = *state;
	enum memmap_format got = MEMMAP_AUTO;
	char path[4096], err[512];

	assert_int_equal(memmap_load_file("/nonexistent/dir/x.txt", MEMMAP_AUTO, c, &got,
					  err, sizeof(err)), 2);
	assert_string_equal(err, "/nonexistent/dir/x.txt: cannot read: No such file or directory");
	sample_path(path, sizeof(path), "");
	assert_int_equal(memmap_load_file(path, MEMMAP_IOMEM, c, NULL, err, sizeof(err)), 2);
	assert_non_null(strstr(err, ": cannot read: "));
	assert_int_equal(memmap_load_file("/dev/null", MEMMAP_E820, c, &got, err,
					  sizeof(err)), 2);
	assert_string_equal(err, "/dev/null: no e820 lines found");
	assert_int_equal(got, MEMMAP_E820);
	assert_int_equal(memmap_load_file(NULL, MEMMAP_AUTO, c, NULL, err, sizeof(err)), 2);
	assert_string_equal(err, "(null): cannot read: Invalid argument");
}

/* ---- robustness ---- */

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Parses exactly len bytes from a buffer of that size (ASan sees any read
 * past the end). Must give 0 or 2; 2 with a message naming the input. */
static int parse_exact(struct tdxsim_platform_config *c, const char *src,
		       size_t len, enum memmap_format fmt)
{
	char *buf = malloc(len ? len : 1);
	char err[512];
	int rc;

	assert_non_null(buf);
	memcpy(buf, src, len);
	err[0] = 'X';
	rc = memmap_parse_text(buf, len, "t.txt", fmt, c, NULL, err, sizeof(err));
	free(buf);
	if (rc != 0 && rc != 2)
		fail_msg("returned %d", rc);
	if (rc) {
		if (strncmp(err, "t.txt:", 6))
			fail_msg("message does not name the input: \"%s\"", err);
	} else {
		assert_string_equal(err, "");
		assert_true(c->n_memmap >= 1 && c->n_memmap <= TDXSIM_MAX_MEMMAP);
		assert_true(ram_total(c) > 0);
	}
	return rc;
}

/* Byte flips, inserted garbage (NULs, newlines, digits, separators),
 * deleted spans. */
static size_t mutate(uint64_t *seed, char *buf, size_t len, size_t cap)
{
	static const char special[] = "0123456789abcdefx-:[] ,()\n\r\t#{}\"";
	unsigned ops = 1 + (unsigned)(xorshift(seed) % 4);

	for (unsigned k = 0; k < ops; k++) {
		uint64_t r = xorshift(seed);
		size_t at = len ? (size_t)(r >> 8) % len : 0;
		size_t span = 1 + (size_t)(r >> 48) % 16;

		switch (r % 6) {
		case 0:  /* random byte */
			if (len)
				buf[at] = (char)(r >> 40);
			break;
		case 1:  /* flip a bit */
			if (len)
				buf[at] ^= (char)(1u << ((r >> 40) % 8));
			break;
		case 2:  /* insert random garbage, NULs included */
			if (len + span <= cap) {
				memmove(buf + at + span, buf + at, len - at);
				for (size_t i = 0; i < span; i++)
					buf[at + i] = (char)(xorshift(seed) >> 32);
				len += span;
			}
			break;
		case 3:  /* a character that means something to a parser */
			if (len)
				buf[at] = special[(r >> 40) % (sizeof(special) - 1)];
			break;
		default: /* delete a span */
			if (span > len - at)
				span = len - at;
			memmove(buf + at, buf + at + span, len - at - span);
			len -= span;
			break;
		}
	}
	return len;
}

static void test_robustness(void **state)
{
	struct tdxsim_platform_config *c = *state;
	static const char *const files[] = { SAMPLE_01, SAMPLE_03, SAMPLE_04 };
	static const char *const docs[] = { iomem_doc, e820_doc };
	size_t len[3];
	char *text[3];
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	unsigned passed = 0, runs = 0;

	for (unsigned i = 0; i < 3; i++)
		text[i] = read_sample(files[i], &len[i]);
	/* every prefix of every sample, in every format */
	for (unsigned i = 0; i < 3; i++)
		for (size_t n = 0; n <= len[i]; n++)
			for (unsigned f = 0; f < 5; f++, runs++)
				passed += !parse_exact(c, text[i], n, all_formats[f]);
	print_message("%u of %u truncated samples still parse\n", passed, runs);
	for (unsigned i = 0; i < 2; i++)
		for (size_t n = 0; n <= strlen(docs[i]); n++)
			parse_exact(c, docs[i], n, MEMMAP_AUTO);

	passed = runs = 0;
	for (unsigned i = 0; i < 2000; i++) {
		unsigned which = i % 3;
		size_t cap = len[which] + 256, n;
		char *buf = malloc(cap);

		assert_non_null(buf);
		memcpy(buf, text[which], len[which]);
		n = mutate(&seed, buf, len[which], cap);
		for (unsigned f = 0; f < 5; f++, runs++)
			passed += !parse_exact(c, buf, n, all_formats[f]);
		free(buf);
	}
	print_message("%u of %u mutated samples still parse\n", passed, runs);
	for (unsigned i = 0; i < 3; i++)
		free(text[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_names),
		cmocka_unit_test_setup_teardown(test_iomem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iomem_kmem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_e820, setup, teardown),
		cmocka_unit_test_setup_teardown(test_e820_srat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_e820_srat_many_nodes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sample_01, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sample_03, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sample_04, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_robustness, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
