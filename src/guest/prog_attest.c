/* SPDX-License-Identifier: MIT */
/*
 * attest [TEXT]: the steps a TD takes to prove what it runs. vCPU 0
 * extends RTMR2 with TEXT (default "tdxsim default report data") and
 * RTMR3 with "tdxsim attest" (each zero-padded to 48 bytes), reads both back with TDG.VM.RD, gets a
 * TDREPORT whose REPORTDATA is TEXT zero-padded to 64 bytes, checks that
 * the report carries the same RTMRs and MRTD as TDG.VM.RD, then converts
 * a buffer to shared with MapGPA, asks the VMM for a quote with GetQuote
 * and converts the buffer back. Exit 0 when all of it worked, 1 when a
 * TDCALL or TDVMCALL failed, 2 when the quote's status is not success.
 */
#include <string.h>

#include "guest_internal.h"
#include "tdxsim/tdreport.h"

/* Not RTMR3's text: with the default, RTMR2 and RTMR3 would otherwise
 * hold the same value and a report could not show which is which. */
#define DEFAULT_TEXT  "tdxsim default report data"
#define RTMR3_TEXT    "tdxsim attest"
#define QUOTE_BUF_GPA TDX_GUEST_FREE_GPA
#define QUOTE_BUF_SIZE 0x2000ull

int guest_attest(struct tdx_guest *g, int argc, char **argv);

static void padded(uint8_t *out, size_t n, const char *text)
{
	size_t len = strlen(text);

	memset(out, 0, n);
	memcpy(out, text, len < n ? len : n);
}

static void print_hex(struct tdx_guest *g, const char *label, const uint8_t *b, size_t n)
{
	char hex[2 * 64 + 1];

	for (size_t i = 0; i < n && i < 64; i++) {
		hex[2 * i] = "0123456789abcdef"[b[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[b[i] & 15];
	}
	hex[2 * (n < 64 ? n : 64)] = 0;
	tdx_printf(g, "%s %s\n", label, hex);
}

/* A 48-byte measurement register through TDG.VM.RD, element by element. */
static uint64_t read_mr(struct tdx_guest *g, uint64_t field, uint8_t out[48])
{
	for (unsigned i = 0; i < 6; i++) {
		uint64_t v, st = tdx_vm_read(g, field + i, &v);

		if (st != TDX_SUCCESS)
			return st;
		memcpy(out + 8 * i, &v, 8);
	}
	return TDX_SUCCESS;
}

static int measure(struct tdx_guest *g, const char *text, struct tdx_report *r)
{
	uint8_t data[48], rtmr[2][48], mrtd[48], rd[64];
	uint64_t st;

	padded(data, sizeof(data), text);
	st = tdx_rtmr_extend(g, 2, data);
	padded(data, sizeof(data), RTMR3_TEXT);
	if (st == TDX_SUCCESS)
		st = tdx_rtmr_extend(g, 3, data);
	for (unsigned i = 0; i < 2 && st == TDX_SUCCESS; i++)
		st = read_mr(g, MD_TD_TDCS_RTMR + 6 * (2 + i), rtmr[i]);
	if (st == TDX_SUCCESS)
		st = read_mr(g, MD_TD_TDCS_MRTD, mrtd);
	padded(rd, sizeof(rd), text);
	if (st == TDX_SUCCESS)
		st = tdx_get_report(g, rd, (uint8_t *)r);
	if (st != TDX_SUCCESS) {
		tdx_printf(g, "attest: TDCALL failed: 0x%016llx\n", (unsigned long long)st);
		return 1;
	}
	print_hex(g, "RTMR2", rtmr[0], 48);
	print_hex(g, "RTMR3", rtmr[1], 48);
	if (memcmp(r->td_info.rtmr[2], rtmr[0], 48) || memcmp(r->td_info.rtmr[3], rtmr[1], 48) ||
	    memcmp(r->td_info.mr_td, mrtd, 48) || memcmp(r->mac.report_data, rd, 64)) {
		tdx_printf(g, "attest: TDREPORT disagrees with TDG.VM.RD\n");
		return 1;
	}
	tdx_printf(g, "TDREPORT: RTMRs, MRTD and REPORTDATA match\n");
	return 0;
}

static int quote(struct tdx_guest *g, const struct tdx_report *r)
{
	uint64_t shared = QUOTE_BUF_GPA | tdx_shared_bit(g), hdr[3] = { TDX_QUOTE_BUF_VERSION, 0, sizeof(*r) };
	uint64_t st = tdx_map_gpa(g, QUOTE_BUF_GPA, QUOTE_BUF_SIZE, true);

	if (st != TDVMCALL_STATUS_SUCCESS) {
		tdx_printf(g, "attest: MapGPA to shared failed: 0x%llx\n", (unsigned long long)st);
		return 1;
	}
	tdx_write(g, shared, hdr, TDX_QUOTE_BUF_HDR_SIZE);
	tdx_write(g, shared + TDX_QUOTE_BUF_HDR_SIZE, r, sizeof(*r));
	st = tdx_get_quote(g, shared, QUOTE_BUF_SIZE);
	if (st != TDVMCALL_STATUS_SUCCESS) {
		tdx_printf(g, "attest: GetQuote failed: 0x%llx\n", (unsigned long long)st);
		return 1;
	}
	tdx_read(g, shared, hdr, TDX_QUOTE_BUF_HDR_SIZE);
	if (tdx_map_gpa(g, QUOTE_BUF_GPA, QUOTE_BUF_SIZE, false) != TDVMCALL_STATUS_SUCCESS) {
		tdx_printf(g, "attest: MapGPA back to private failed\n");
		return 1;
	}
	if (hdr[1] != TDX_GET_QUOTE_SUCCESS) {
		tdx_printf(g, "attest: quote status 0x%016llx\n", (unsigned long long)hdr[1]);
		return 2;
	}
	tdx_printf(g, "quote: %u bytes\n", (unsigned)(hdr[2] >> 32));
	return 0;
}

int guest_attest(struct tdx_guest *g, int argc, char **argv)
{
	struct tdx_report r;
	int ret;

	if (tdx_vcpu_index(g) != 0)
		return 0;
	ret = measure(g, argc > 1 ? argv[1] : DEFAULT_TEXT, &r);
	return ret ? ret : quote(g, &r);
}
