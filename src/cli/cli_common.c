/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cli_common.h"
#include "cli_input.h"
#include "host/tdmr_plan.h"
#include "tdxsim/abi_names.h"

/* A platform file, or standard input for "-": 0, or 2 with the message
 * printed. */
static int load_json(const char *cmd, const char *path, struct tdxsim_platform_config *cfg)
{
	char err[512], *text = NULL;
	size_t len = 0;
	bool ok;

	if (!cli_is_stdin(path))
		ok = tdxsim_config_load_json(path, cfg, err, sizeof(err));
	else if (!(text = cli_read_whole(cmd, path, CLI_INPUT_MAX, &len)))
		return 2;
	else
		ok = tdxsim_config_parse_json(text, len, cli_input_name(path), cfg, err, sizeof(err));
	free(text);
	if (ok)
		return 0;
	fprintf(stderr, "tdxsim %s: %s\n", cmd, err);
	return 2;
}

int cli_load_platform(const char *cmd, const char *path, const char *profile,
		      struct tdxsim_platform_config *cfg)
{
	char err[512];

	if (!path)
		tdxsim_config_default(cfg);
	else if (load_json(cmd, path, cfg))
		return 2;
	if (profile && !tdxsim_profile_parse(profile, &cfg->profile)) {
		fprintf(stderr, "tdxsim %s: unknown profile '%s' (1.5, 1.5.01 or 1.0)\n", cmd, profile);
		return 2;
	}
	if (!tdxsim_config_finish(cfg, err, sizeof(err))) {
		fprintf(stderr, "tdxsim %s: %s: %s\n", cmd, path ? cli_input_name(path) : "default", err);
		return 2;
	}
	return 0;
}

json_t *cli_hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_string(buf);
}

long cli_peak_rss_kb(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? -1 : ru.ru_maxrss;
}

double cli_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static json_t *pamt_json(uint64_t base, uint64_t size)
{
	json_t *o = json_object();

	json_object_set_new(o, "base", cli_hex(base));
	json_object_set_new(o, "size", cli_hex(size));
	return o;
}

json_t *cli_tdmr_json(const struct tdmr_info_entry *info, unsigned n_rsvd, int pamt_node)
{
	json_t *o = json_object(), *rsvd = json_array();

	json_object_set_new(o, "base", cli_hex(info->tdmr_base));
	json_object_set_new(o, "size", cli_hex(info->tdmr_size));
	if (pamt_node >= 0)
		json_object_set_new(o, "pamt_node", json_integer(pamt_node));
	json_object_set_new(o, "pamt_4k", pamt_json(info->pamt_4k_base, info->pamt_4k_size));
	json_object_set_new(o, "pamt_2m", pamt_json(info->pamt_2m_base, info->pamt_2m_size));
	json_object_set_new(o, "pamt_1g", pamt_json(info->pamt_1g_base, info->pamt_1g_size));
	for (unsigned k = 0; k < n_rsvd; k++) {
		json_t *r = json_object();

		json_object_set_new(r, "offset", cli_hex(info->rsvd_areas[k].offset));
		json_object_set_new(r, "size", cli_hex(info->rsvd_areas[k].size));
		json_array_append_new(rsvd, r);
	}
	json_object_set_new(o, "reserved_areas", rsvd);
	return o;
}

json_t *cli_tdmrs_json(const struct tdmr_plan *plan)
{
	json_t *tdmrs = json_array();

	for (unsigned i = 0; i < plan->n_tdmrs; i++)
		json_array_append_new(tdmrs, cli_tdmr_json(&plan->tdmr[i].info, plan->tdmr[i].n_rsvd,
							   (int)plan->tdmr[i].pamt_node));
	return tdmrs;
}

bool cli_parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return false;
	switch (*end) {
	case 'K': case 'k': v <<= 10; end++; break;
	case 'M': case 'm': v <<= 20; end++; break;
	case 'G': case 'g': v <<= 30; end++; break;
	default: break;
	}
	*out = v;
	return *end == '\0';
}

json_t *cli_log_lines(const char *buf)
{
	json_t *a = json_array();

	while (buf && *buf) {
		const char *nl = strchr(buf, '\n');
		size_t n = nl ? (size_t)(nl - buf) : strlen(buf);

		json_array_append_new(a, json_stringn(buf, n));
		buf += n + (nl != NULL);
	}
	return a;
}

/* The operand an OPERAND_* status names in its low 32 bits (other
 * statuses keep other details there); NULL if none. */
static const char *status_operand(uint64_t status)
{
	const char *name = tdx_status_name(status);

	if (!name || strncmp(name, "TDX_OPERAND_", 12))
		return NULL;
	return tdx_operand_id_name((uint32_t)status);
}

void cli_seamcall_failure(char *out, size_t n, uint64_t leaf, uint64_t status)
{
	const char *leaf_name = tdx_leaf_name((unsigned)(leaf & 0xFFFF));
	const char *st_name = tdx_status_name(status), *op = status_operand(status);
	int k = snprintf(out, n, "SEAMCALL %s", leaf_name ? leaf_name : "(unknown leaf)");

	if (k >= 0 && (size_t)k < n && leaf >> 16)
		k += snprintf(out + k, n - k, " version %llu", (unsigned long long)(leaf >> 16));
	if (k >= 0 && (size_t)k < n)
		k += snprintf(out + k, n - k, " failed: %s (0x%016llx)",
			      st_name ? st_name : "unknown status", (unsigned long long)status);
	if (k >= 0 && (size_t)k < n && op)
		snprintf(out + k, n - k, ", operand %s", op);
}

json_t *cli_seamcall_failure_json(uint64_t leaf, uint64_t status)
{
	const char *leaf_name = tdx_leaf_name((unsigned)(leaf & 0xFFFF));
	const char *st_name = tdx_status_name(status), *op = status_operand(status);
	json_t *o = json_object();

	json_object_set_new(o, "leaf", cli_hex(leaf));
	json_object_set_new(o, "leaf_name", leaf_name ? json_string(leaf_name) : json_null());
	json_object_set_new(o, "status", cli_hex(status));
	json_object_set_new(o, "status_name", st_name ? json_string(st_name) : json_null());
	json_object_set_new(o, "operand", op ? json_string(op) : json_null());
	return o;
}
