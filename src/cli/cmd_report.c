/* SPDX-License-Identifier: MIT */
/*
 * tdxsim report verify [--key KEYFILE] [--json] FILE: checks a TDREPORT
 * (exactly 1024 bytes) or a tdxsim quote (starts with "TDXSIMQ1") and
 * prints its fields and a verdict (docs/attestation.md). Exit 0 valid,
 * 1 invalid, 2 bad usage or an unreadable file, 3 a TDREPORT whose MAC was
 * not checked (no --key): anyone can recompute its hashes, so it is never
 * called valid.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "cli_input.h"
#include "commands.h"
#include "report_internal.h"
#include "tdxsim/quote.h"
#include "tdxsim/tdreport.h"

#define SYNOPSIS "usage: tdxsim report verify [--key KEYFILE] [--json] FILE\n"
const char cmd_report_synopsis[] = SYNOPSIS;
static const char usage[] = SYNOPSIS
	"  FILE     a 1024-byte TDREPORT_STRUCT or a tdxsim quote (\"TDXSIMQ1\");\n"
	"           - reads standard input (so may --key, but not both)\n"
	"  --key    the platform's 32-byte report key, as 64 hex digits, to check\n"
	"           the MAC (which otherwise cannot be checked off-platform)\n"
	"exit: 0 valid, 1 invalid, 2 usage or unreadable file, 3 a TDREPORT whose\n"
	"      MAC was not checked (no --key): unverified, never valid\n";

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* 64 hex digits (whitespace ignored, an optional 0x prefix). */
bool report_key_parse(const uint8_t *buf, size_t len, uint8_t key[TDX_REPORT_KEY_SIZE])
{
	size_t i = 0, nd = 0;

	while (i < len && isspace(buf[i]))
		i++;
	if (i + 1 < len && buf[i] == '0' && (buf[i + 1] == 'x' || buf[i + 1] == 'X'))
		i += 2;
	for (; i < len; i++) {
		int v = hexval(buf[i]);

		if (isspace(buf[i]))
			continue;
		if (v < 0 || nd >= 2 * TDX_REPORT_KEY_SIZE)
			return false;
		if (nd % 2 == 0)
			key[nd / 2] = (uint8_t)(v << 4);
		else
			key[nd / 2] |= (uint8_t)v;
		nd++;
	}
	return nd == 2 * TDX_REPORT_KEY_SIZE;
}

static bool read_key(const char *path, uint8_t key[TDX_REPORT_KEY_SIZE], char *why, size_t whylen)
{
	size_t len = 0;
	uint8_t *buf = (uint8_t *)cli_read_input(path, 4096, &len);
	bool ok;

	if (!buf) {
		snprintf(why, whylen, "cannot read key file '%s': %s", cli_input_name(path),
			 strerror(errno));
		return false;
	}
	ok = len <= 4096 && report_key_parse(buf, len, key);
	free(buf);
	if (!ok)
		snprintf(why, whylen, "key file '%s' must hold 64 hex digits (32 bytes)",
			 cli_input_name(path));
	return ok;
}

static void hex(char *out, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = '\0';
}

/* The exit status of each outcome (usage errors are 2). */
static const int outcome_exit[] = { [INVALID] = 1, [VALID] = 0, [UNVERIFIED] = 3 };
static const char *const outcome_name[] = {
	[INVALID] = "invalid", [VALID] = "valid", [UNVERIFIED] = "unverified",
};

static const char mac_not_checkable[] = "not checkable off-platform (platform secret)";

void report_check(const uint8_t *buf, size_t len, const uint8_t *key, struct verdict *v)
{
	char why[256];

	v->mac = mac_not_checkable;
	if (len >= TDX_QUOTE_MAGIC_SIZE && !memcmp(buf, TDX_QUOTE_MAGIC, TDX_QUOTE_MAGIC_SIZE)) {
		v->kind = "quote";
		if (len >= TDX_QUOTE_SIZE) {
			const struct tdx_quote *q = (const struct tdx_quote *)buf;

			memcpy(&v->body, &q->body, sizeof(v->body));
			v->have_body = true;
			tdx_quote_key_fingerprint(q->pubkey, v->fingerprint);
			v->have_key = true;
		}
		if (tdx_quote_verify(buf, len, NULL, why, sizeof(why)) != 0) {
			snprintf(v->reason, sizeof(v->reason), "%s", why);
			return;
		}
	} else if (len == TDX_REPORT_SIZE) {
		v->kind = "tdreport";
		memcpy(&v->body, buf, sizeof(v->body));
		v->have_body = true;
		if (tdx_report_check(&v->body, NULL, why, sizeof(why)) != 0) {
			snprintf(v->reason, sizeof(v->reason), "%s", why);
			return;
		}
	} else {
		snprintf(v->reason, sizeof(v->reason),
			 "neither a TDREPORT (%d bytes, this file has %zu) nor a tdxsim quote "
			 "(no \"TDXSIMQ1\" magic)", TDX_REPORT_SIZE, len);
		return;
	}
	if (key) {
		if (tdx_report_check(&v->body, key, why, sizeof(why)) != 0) {
			v->mac = "invalid";
			snprintf(v->reason, sizeof(v->reason), "%s", why);
			return;
		}
		v->mac = "valid";
	} else if (!strcmp(v->kind, "tdreport")) {
		/* A quote's signature vouches for its body (the QE checked the
		 * MAC before signing); a bare report has nothing else. */
		snprintf(v->reason, sizeof(v->reason), "the MAC was not checked (no --key): "
			 "the hashes are consistent, but anyone can recompute them");
		v->outcome = UNVERIFIED;
		return;
	}
	v->outcome = VALID;
}

static const struct {
	const char *name;
	size_t off;
} hashes[] = {
	{ "MRTD", offsetof(struct tdx_td_info, mr_td) },
	{ "MRCONFIGID", offsetof(struct tdx_td_info, mr_config_id) },
	{ "MROWNER", offsetof(struct tdx_td_info, mr_owner) },
	{ "MROWNERCONFIG", offsetof(struct tdx_td_info, mr_owner_config) },
	{ "RTMR0", offsetof(struct tdx_td_info, rtmr[0]) },
	{ "RTMR1", offsetof(struct tdx_td_info, rtmr[1]) },
	{ "RTMR2", offsetof(struct tdx_td_info, rtmr[2]) },
	{ "RTMR3", offsetof(struct tdx_td_info, rtmr[3]) },
	{ "SERVTD_HASH", offsetof(struct tdx_td_info, servtd_hash) },
};
#define N_HASHES (sizeof(hashes) / sizeof(hashes[0]))

static void print_text(const char *path, const struct verdict *v)
{
	const struct tdx_report *r = &v->body;
	char h[2 * 64 + 1];

	printf("%s: %s\n", path, v->kind ? (strcmp(v->kind, "quote") ? "TDREPORT" : "tdxsim quote")
					  : "unrecognised");
	if (v->have_body) {
		printf("  %-18s 0x%02x subtype %u version %u\n", "TYPE",
		       r->mac.report_type.type, r->mac.report_type.subtype,
		       r->mac.report_type.version);
		printf("  %-18s 0x%016llx\n", "ATTRIBUTES",
		       (unsigned long long)r->td_info.attributes);
		printf("  %-18s 0x%016llx\n", "XFAM", (unsigned long long)r->td_info.xfam);
		for (size_t i = 0; i < N_HASHES; i++) {
			hex(h, (const uint8_t *)&r->td_info + hashes[i].off, 48);
			printf("  %-18s %s\n", hashes[i].name, h);
		}
		hex(h, r->mac.report_data, 64);
		printf("  %-18s %s\n", "REPORTDATA", h);
		hex(h, r->mac.cpusvn, 16);
		printf("  %-18s %s\n", "CPUSVN", h);
		hex(h, r->tee_tcb_info.tee_tcb_svn, 16);
		printf("  %-18s %s\n", "TEE_TCB_SVN", h);
		hex(h, r->tee_tcb_info.mr_seam, 48);
		printf("  %-18s %s\n", "MRSEAM", h);
		hex(h, r->tee_tcb_info.mr_signer_seam, 48);
		printf("  %-18s %s\n", "MRSIGNERSEAM", h);
	}
	if (v->have_key) {
		hex(h, v->fingerprint, 32);
		printf("  %-18s sha256:%s\n", "ATTESTATION_KEY", h);
	}
	if (v->kind)
		printf("MAC: %s\n", v->mac);
	if (v->outcome == VALID)
		printf("verdict: valid %s\n", strcmp(v->kind, "quote") ? "TDREPORT" : "quote");
	else if (v->outcome == UNVERIFIED)
		printf("verdict: UNVERIFIED: %s\n", v->reason);
	else
		printf("verdict: INVALID: %s\n", v->reason);
}

static void print_json(const char *path, const struct verdict *v)
{
	const struct tdx_report *r = &v->body;
	json_t *root = json_object(), *rep, *rtmr;
	char h[2 * 64 + 1];

	json_object_set_new(root, "file", json_string(path));
	json_object_set_new(root, "kind", v->kind ? json_string(v->kind) : json_null());
	json_object_set_new(root, "ok", json_boolean(v->outcome == VALID));
	json_object_set_new(root, "verdict", json_string(outcome_name[v->outcome]));
	json_object_set_new(root, "reason", v->outcome == VALID ? json_null() :
			    json_string(v->reason));
	json_object_set_new(root, "mac", v->kind ? json_string(
		v->mac == mac_not_checkable ? "not checkable" : v->mac) : json_null());
	if (v->have_body) {
		rep = json_object();
		rtmr = json_array();
		json_object_set_new(rep, "type", json_integer(r->mac.report_type.type));
		json_object_set_new(rep, "subtype", json_integer(r->mac.report_type.subtype));
		json_object_set_new(rep, "version", json_integer(r->mac.report_type.version));
		json_object_set_new(rep, "attributes", cli_hex(r->td_info.attributes));
		json_object_set_new(rep, "xfam", cli_hex(r->td_info.xfam));
#define HEXF(name, ptr, n) do { hex(h, ptr, n); \
		json_object_set_new(rep, name, json_string(h)); } while (0)
		HEXF("mrtd", r->td_info.mr_td, 48);
		HEXF("mrconfigid", r->td_info.mr_config_id, 48);
		HEXF("mrowner", r->td_info.mr_owner, 48);
		HEXF("mrownerconfig", r->td_info.mr_owner_config, 48);
		for (int i = 0; i < 4; i++) {
			hex(h, r->td_info.rtmr[i], 48);
			json_array_append_new(rtmr, json_string(h));
		}
		json_object_set_new(rep, "rtmr", rtmr);
		HEXF("servtd_hash", r->td_info.servtd_hash, 48);
		HEXF("reportdata", r->mac.report_data, 64);
		HEXF("cpusvn", r->mac.cpusvn, 16);
		HEXF("tee_tcb_svn", r->tee_tcb_info.tee_tcb_svn, 16);
		HEXF("mrseam", r->tee_tcb_info.mr_seam, 48);
		HEXF("mrsignerseam", r->tee_tcb_info.mr_signer_seam, 48);
		HEXF("tee_tcb_info_hash", r->mac.tee_tcb_info_hash, 48);
		HEXF("tee_info_hash", r->mac.tee_info_hash, 48);
#undef HEXF
		json_object_set_new(root, "report", rep);
	}
	if (v->have_key) {
		hex(h, v->fingerprint, 32);
		json_object_set_new(root, "attestation_key_sha256", json_string(h));
	}
	json_dumpf(root, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(root);
}

static int cmd_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *keyfile = NULL;
	uint8_t key[TDX_REPORT_KEY_SIZE], *buf;
	struct verdict v;
	char why[512];
	bool json = false;
	size_t len = 0;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "k:jh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k': keyfile = optarg; break;
		case 'j': json = true; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "tdxsim report verify: expected one FILE\n%s", usage);
		return 2;
	}
	if (cli_one_stdin("report verify", (const char *[]){ keyfile, argv[optind] }, 2))
		return 2;
	if (keyfile && !read_key(keyfile, key, why, sizeof(why))) {
		fprintf(stderr, "tdxsim report verify: %s\n", why);
		return 2;
	}
	/* Anything longer than a quote is invalid; 1 MiB is plenty to say by
	 * how much. */
	buf = (uint8_t *)cli_read_input(argv[optind], 1u << 20, &len);
	if (!buf) {
		fprintf(stderr, "tdxsim report verify: cannot read '%s': %s\n",
			cli_input_name(argv[optind]), strerror(errno));
		return 2;
	}
	memset(&v, 0, sizeof(v));
	report_check(buf, len, keyfile ? key : NULL, &v);
	free(buf);
	if (json)
		print_json(cli_input_name(argv[optind]), &v);
	else
		print_text(cli_input_name(argv[optind]), &v);
	return outcome_exit[v.outcome];
}

int cmd_report(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "verify"))
		return cmd_verify(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(usage, stdout);
		return 0;
	}
	fprintf(stderr, "tdxsim report: expected 'verify'\n%s", usage);
	return 2;
}
