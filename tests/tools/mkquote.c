/* SPDX-License-Identifier: MIT */
/*
 * mkquote DIR: writes, for tests/cli/cli_report.sh, a TDREPORT built from
 * fixed inputs (DIR/report.bin), the report key it was MACed with as hex
 * (DIR/key.hex), a quote of it by a quoting key from a fixed seed
 * (DIR/quote.bin) and the expected MRTD and REPORTDATA as hex
 * (DIR/mrtd.hex, DIR/reportdata.hex). Exit 0, or 1 with a message.
 */
#include <stdio.h>
#include <string.h>

#include "tdxsim/quote.h"
#include "tdxsim/tdreport.h"

static int put(const char *dir, const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return -1;
	}
	ok = fwrite(data, 1, len, f) == len;
	ok = (fclose(f) == 0) && ok;
	if (!ok)
		perror(path);
	return ok ? 0 : -1;
}

static int put_hex(const char *dir, const char *name, const uint8_t *b, size_t n)
{
	char s[2 * 64 + 2];

	for (size_t i = 0; i < n; i++)
		sprintf(s + 2 * i, "%02x", b[i]);
	s[2 * n] = '\n';
	return put(dir, name, s, 2 * n + 1);
}

int main(int argc, char **argv)
{
	static const uint8_t seed[32] = "tdxsim cli_report quoting seed!";
	struct tdx_report_inputs in;
	struct tdx_quoting_key *qk;
	struct tdx_report r;
	uint8_t key[32], q[TDX_QUOTE_SIZE];
	size_t len = 0;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: mkquote DIR\n");
		return 1;
	}
	memset(&in, 0, sizeof(in));
	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)(0xA5 ^ i);
	in.attributes = 0x10000000;                  /* SEPT_VE_DISABLE */
	in.xfam = 0x602e7;
	for (int i = 0; i < 48; i++) {
		in.mr_td[i] = (uint8_t)(0x10 + i);
		in.mr_owner[i] = (uint8_t)(0x80 + i);
		in.rtmr[2][i] = (uint8_t)i;
		in.mr_seam[i] = (uint8_t)(0xC0 + i);
	}
	for (int i = 0; i < 64; i++)
		in.report_data[i] = (uint8_t)(0xF0 - i);
	for (int i = 0; i < 16; i++)
		in.tee_tcb_svn[i] = (uint8_t)(i < 2 ? 3 : 0);
	tdx_report_build(&in, key, &r);

	qk = tdx_qe_create(seed);
	if (!qk) {
		fprintf(stderr, "mkquote: cannot create the quoting key\n");
		return 1;
	}
	rc = tdx_qe_quote(qk, &r, key, q, sizeof(q), &len);
	tdx_qe_destroy(qk);
	if (rc != TDX_QE_OK) {
		fprintf(stderr, "mkquote: tdx_qe_quote: %d\n", rc);
		return 1;
	}
	if (put(argv[1], "report.bin", &r, sizeof(r)) ||
	    put_hex(argv[1], "key.hex", key, sizeof(key)) ||
	    put(argv[1], "quote.bin", q, len) ||
	    put_hex(argv[1], "mrtd.hex", in.mr_td, 48) ||
	    put_hex(argv[1], "reportdata.hex", in.report_data, 64))
		return 1;
	return 0;
}
