/* SPDX-License-Identifier: MIT */
/*
 * Platform descriptions in JSON (docs/platform.md). Every per-value error
 * reads "FILE:LINE: key.path: problem"; whole-platform checks from
 * tdxsim_config_finish() read "FILE: problem".
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tdxsim/platform.h"
#include "json_lines.h"

#define MAX_FILE_SIZE (16u << 20)

struct jctx {
	const char *file;
	char *err;
	size_t errlen;
	struct json_lines *lines;
};

/* A value's place: its container (NULL for the root), key or index, and
 * its printable path ("memmap[2].size"). */
struct jpos {
	json_t *parent;
	const char *key;
	size_t index;
	char path[160];
};

/* ---- positions and messages ---- */

static void pos_root(struct jpos *p)
{
	*p = (struct jpos){ .parent = NULL };
}

static void pos_member(struct jpos *p, const struct jpos *obj, json_t *objv,
		       const char *key)
{
	*p = (struct jpos){ .parent = objv, .key = key };
	if (snprintf(p->path, sizeof(p->path), "%s%s%s", obj->path,
		     obj->path[0] ? "." : "", key) >= (int)sizeof(p->path))
		strcpy(p->path + sizeof(p->path) - 4, "...");
}

static void pos_element(struct jpos *p, const struct jpos *arr, json_t *arrv,
			size_t i)
{
	*p = (struct jpos){ .parent = arrv, .index = i };
	if (snprintf(p->path, sizeof(p->path), "%s[%zu]", arr->path, i) >=
	    (int)sizeof(p->path))
		strcpy(p->path + sizeof(p->path) - 4, "...");
}

__attribute__((format(printf, 3, 4)))
static bool fail(struct jctx *c, const struct jpos *at, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	int line = json_lines_at(c->lines, at->parent, at->key, at->index);

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s:%d: %s%s%s", c->file, line, at->path,
		 at->path[0] ? ": " : "", msg);
	return false;
}

/* fail() for the lookups that return -1 (error), 0 (absent) or 1. */
#define FAIL_INT(...) ((void)fail(__VA_ARGS__), -1)

/* A required key is absent: the line is the object's, the path the key's. */
static bool fail_missing(struct jctx *c, const struct jpos *obj,
			 const char *key)
{
	struct jpos p = *obj;

	if (snprintf(p.path, sizeof(p.path), "%s%s%s", obj->path,
		     obj->path[0] ? "." : "", key) >= (int)sizeof(p.path))
		strcpy(p.path + sizeof(p.path) - 4, "...");
	return fail(c, &p, "required key is missing");
}

static const char *kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a real number";
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	case JSON_NULL: return "null";
	}
	return "a value";
}

/* ---- typed members ---- */

/* v must be an object whose keys are all in keys[] (NULL-terminated). */
static bool check_object(struct jctx *c, const struct jpos *at, json_t *v,
			 const char *const *keys)
{
	const char *key;
	json_t *m;

	if (!json_is_object(v))
		return fail(c, at, "expected an object, not %s", kind(v));
	json_object_foreach(v, key, m) {
		char list[256] = "";
		size_t i, used = 0;
		struct jpos p;

		for (i = 0; keys[i] && strcmp(keys[i], key); i++)
			;
		if (keys[i])
			continue;
		for (i = 0; keys[i] && used < sizeof(list); i++)
			used += (size_t)snprintf(list + used, sizeof(list) - used,
						 "%s%s", i ? ", " : "", keys[i]);
		pos_member(&p, at, v, key);
		return fail(c, &p, "unknown key (expected one of: %s)", list);
	}
	return true;
}

/* 1 and *out set when obj has key, else 0. */
static int member(json_t *obj, const char *key, json_t **out)
{
	*out = json_object_get(obj, key);
	return *out != NULL;
}

/* "0x" followed by 1..n hex digits (either case), up to 64 bits. */
static bool parse_hex(const char *s, size_t len, uint64_t *out, bool *overflow)
{
	uint64_t v = 0;

	*overflow = false;
	if (len < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return false;
	for (size_t i = 2; i < len; i++) {
		char ch = s[i];
		unsigned d;

		if (ch >= '0' && ch <= '9')
			d = (unsigned)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			d = (unsigned)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			d = (unsigned)(ch - 'A' + 10);
		else
			return false;
		if (v >> 60)
			*overflow = true;
		else
			v = v << 4 | d;
	}
	*out = v;
	return !*overflow;
}

/*
 * The opt_*() lookups return -1 (error reported), 0 (absent) or 1 (*out
 * set); the req_*() ones also report an absent key.
 */
static int opt_bool(struct jctx *c, const struct jpos *at, json_t *obj,
		    const char *key, bool *out)
{
	struct jpos p;
	json_t *v;

	if (!member(obj, key, &v))
		return 0;
	if (!json_is_boolean(v)) {
		pos_member(&p, at, obj, key);
		return FAIL_INT(c, &p, "expected true or false, not %s", kind(v));
	}
	*out = json_is_true(v);
	return 1;
}

static int opt_hex(struct jctx *c, const struct jpos *obj, json_t *objv,
		   const char *key, unsigned bits, uint64_t *out)
{
	struct jpos p;
	json_t *v;
	bool overflow;
	uint64_t x;

	if (!member(objv, key, &v))
		return 0;
	pos_member(&p, obj, objv, key);
	if (!json_is_string(v))
		return FAIL_INT(c, &p, "expected a hex string like \"0x1000\", not %s",
			    kind(v));
	if (!parse_hex(json_string_value(v), json_string_length(v), &x,
		       &overflow)) {
		if (!overflow)
			return FAIL_INT(c, &p, "expected a hex string like \"0x1000\", not \"%.40s\"",
				    json_string_value(v));
		return FAIL_INT(c, &p, "\"%.40s\" does not fit in 64 bits",
			    json_string_value(v));
	}
	if (bits < 64 && x >> bits)
		return FAIL_INT(c, &p, "\"%.40s\" does not fit in %u bits",
			    json_string_value(v), bits);
	*out = x;
	return 1;
}

static bool req_hex(struct jctx *c, const struct jpos *obj, json_t *objv,
		    const char *key, unsigned bits, uint64_t *out)
{
	int r = opt_hex(c, obj, objv, key, bits, out);

	return r > 0 || (r == 0 && fail_missing(c, obj, key));
}

/* A JSON integer in [min, max]. */
static int opt_uint(struct jctx *c, const struct jpos *obj, json_t *objv,
		    const char *key, unsigned long long min,
		    unsigned long long max, unsigned long long *out)
{
	struct jpos p;
	json_t *v;
	json_int_t x;

	if (!member(objv, key, &v))
		return 0;
	pos_member(&p, obj, objv, key);
	if (!json_is_integer(v))
		return FAIL_INT(c, &p, "expected an integer, not %s", kind(v));
	x = json_integer_value(v);
	if (x < 0)
		return FAIL_INT(c, &p, "must not be negative (%lld)", (long long)x);
	if ((unsigned long long)x < min || (unsigned long long)x > max)
		return FAIL_INT(c, &p, "%lld is out of range %llu..%llu",
			    (long long)x, min, max);
	*out = (unsigned long long)x;
	return 1;
}

static bool req_uint(struct jctx *c, const struct jpos *obj, json_t *objv,
		     const char *key, unsigned long long min,
		     unsigned long long max, unsigned long long *out)
{
	int r = opt_uint(c, obj, objv, key, min, max, out);

	return r > 0 || (r == 0 && fail_missing(c, obj, key));
}

static int opt_string(struct jctx *c, const struct jpos *obj, json_t *objv,
		      const char *key, const char **out)
{
	struct jpos p;
	json_t *v;

	if (!member(objv, key, &v))
		return 0;
	if (!json_is_string(v)) {
		pos_member(&p, obj, objv, key);
		return FAIL_INT(c, &p, "expected a string, not %s", kind(v));
	}
	*out = json_string_value(v);
	return 1;
}

/* An array of at most max elements; *out stays NULL when absent. */
static int opt_array(struct jctx *c, const struct jpos *obj, json_t *objv,
		     const char *key, size_t max, struct jpos *p, json_t **out)
{
	if (!member(objv, key, out))
		return 0;
	pos_member(p, obj, objv, key);
	if (!json_is_array(*out))
		return FAIL_INT(c, p, "expected an array, not %s", kind(*out));
	if (json_array_size(*out) > max)
		return FAIL_INT(c, p, "%zu entries, at most %zu are allowed",
			    json_array_size(*out), max);
	return 1;
}

/* ---- sections ---- */

static bool parse_name(struct jctx *c, const struct jpos *at, json_t *root,
		       struct tdxsim_platform_config *cfg)
{
	const char *name;
	int r = opt_string(c, at, root, "name", &name);
	struct jpos p;

	if (r <= 0)
		return r == 0;
	if (strlen(name) >= sizeof(cfg->name)) {
		pos_member(&p, at, root, "name");
		return fail(c, &p, "longer than %zu characters",
			    sizeof(cfg->name) - 1);
	}
	snprintf(cfg->name, sizeof(cfg->name), "%s", name);
	return true;
}

/* "packages", with the reason for its upper bound: the module's limit. */
static int opt_packages(struct jctx *c, const struct jpos *at, json_t *root,
			unsigned long long *out)
{
	struct jpos p;
	int got = opt_uint(c, at, root, "packages", 1, UINT_MAX, out);

	if (got <= 0 || *out <= TDXSIM_MAX_PACKAGES)
		return got;
	pos_member(&p, at, root, "packages");
	return FAIL_INT(c, &p, "%llu is more than the %d packages the TDX module "
			"supports (MAX_PKGS)", *out, TDXSIM_MAX_PACKAGES);
}

static bool parse_cpu(struct jctx *c, const struct jpos *at, json_t *root,
		      struct tdxsim_platform_config *cfg)
{
	unsigned long long packages = cfg->packages, lps = cfg->lps_per_package;
	unsigned long long pa = cfg->pa_width, kb = cfg->keyid_bits;
	uint64_t fms = cfg->cpu_fms;

	if (opt_packages(c, at, root, &packages) < 0 ||
	    opt_uint(c, at, root, "lps_per_package", 1, TDXSIM_MAX_LPS, &lps) < 0 ||
	    opt_uint(c, at, root, "pa_width", 0, UINT_MAX, &pa) < 0 ||
	    opt_uint(c, at, root, "keyid_bits", 0, UINT_MAX, &kb) < 0 ||
	    opt_hex(c, at, root, "cpu_fms", 32, &fms) < 0 ||
	    opt_bool(c, at, root, "seamverifyreport", &cfg->seamverifyreport) < 0)
		return false;
	cfg->packages = (unsigned)packages;
	cfg->lps_per_package = (unsigned)lps;
	cfg->pa_width = (unsigned)pa;
	cfg->keyid_bits = (unsigned)kb;
	cfg->cpu_fms = (uint32_t)fms;
	return true;
}

static bool parse_keyids(struct jctx *c, const struct jpos *at, json_t *root,
			 struct tdxsim_platform_config *cfg)
{
	static const char *const keys[] = { "mktme", "tdx", NULL };
	unsigned long long mktme = cfg->mktme_keyids, tdx = cfg->tdx_keyids;
	struct jpos p;
	json_t *v;

	if (!member(root, "keyids", &v))
		return true;
	pos_member(&p, at, root, "keyids");
	if (!check_object(c, &p, v, keys) ||
	    opt_uint(c, &p, v, "mktme", 0, UINT32_MAX, &mktme) < 0 ||
	    opt_uint(c, &p, v, "tdx", 0, UINT32_MAX, &tdx) < 0)
		return false;
	cfg->mktme_keyids = (uint32_t)mktme;
	cfg->tdx_keyids = (uint32_t)tdx;
	return true;
}

static bool parse_module(struct jctx *c, const struct jpos *at, json_t *root,
			 struct tdxsim_platform_config *cfg)
{
	static const char *const keys[] = { "profile", "loaded", "features0_clear", NULL };
	const char *profile;
	struct jpos p, q;
	json_t *v, *loaded;
	int r;

	if (!member(root, "module", &v))
		return true;
	pos_member(&p, at, root, "module");
	if (!check_object(c, &p, v, keys))
		return false;
	r = opt_string(c, &p, v, "profile", &profile);
	if (r < 0)
		return false;
	if (r > 0 && !tdxsim_profile_parse(profile, &cfg->profile)) {
		pos_member(&q, &p, v, "profile");
		return fail(c, &q, "unknown profile \"%.40s\" (expected \"1.5\", \"1.5.01\" or \"1.0\")",
			    profile);
	}
	if (opt_hex(c, &p, v, "features0_clear", 64, &cfg->module_features0_clear) < 0)
		return false;
	if (!member(v, "loaded", &loaded))
		return true;
	if (!json_is_boolean(loaded)) {
		pos_member(&q, &p, v, "loaded");
		return fail(c, &q, "expected true or false, not %s", kind(loaded));
	}
	cfg->module_loaded = json_is_true(loaded);
	return true;
}

/* base plus exactly one of size and end; the range must not be empty. */
static bool parse_extent(struct jctx *c, const struct jpos *at, json_t *v,
			 uint64_t *base, uint64_t *size)
{
	uint64_t end;
	int has_size, has_end;
	struct jpos p;

	if (!req_hex(c, at, v, "base", 64, base))
		return false;
	has_size = opt_hex(c, at, v, "size", 64, size);
	has_end = has_size < 0 ? 0 : opt_hex(c, at, v, "end", 64, &end);
	if (has_size < 0 || has_end < 0)
		return false;
	if (has_size && has_end) {
		pos_member(&p, at, v, "end");
		return fail(c, &p, "give either size or end, not both");
	}
	if (!has_size && !has_end)
		return fail(c, at, "needs a size or an end");
	if (has_end && end <= *base) {
		pos_member(&p, at, v, "end");
		return fail(c, &p, "0x%llx is not above base 0x%llx",
			    (unsigned long long)end, (unsigned long long)*base);
	}
	if (has_size && !*size) {
		pos_member(&p, at, v, "size");
		return fail(c, &p, "must not be zero");
	}
	if (has_end)
		*size = end - *base;
	return true;
}

static bool parse_range(struct jctx *c, const struct jpos *at, json_t *v,
			struct tdxsim_mem_range *r)
{
	static const char *const keys[] = { "base", "size", "end", "type", "node", NULL };
	unsigned long long node = 0;
	const char *type;
	struct jpos p;
	int got;

	if (!check_object(c, at, v, keys) ||
	    !parse_extent(c, at, v, &r->base, &r->size))
		return false;
	got = opt_string(c, at, v, "type", &type);
	if (got == 0)
		return fail_missing(c, at, "type");
	if (got < 0)
		return false;
	if (!tdxsim_mem_type_parse(type, &r->type)) {
		pos_member(&p, at, v, "type");
		return fail(c, &p, "unknown memory type \"%.40s\" (expected ram, reserved, acpi, nvs, unusable, pmem-legacy, soft-reserved or hotplug)",
			    type);
	}
	if (opt_uint(c, at, v, "node", 0, UINT_MAX, &node) < 0)
		return false;
	r->node = (unsigned)node;
	return true;
}

static bool parse_memmap(struct jctx *c, const struct jpos *at, json_t *root,
			 struct tdxsim_platform_config *cfg)
{
	struct jpos p, e;
	json_t *arr, *v;
	size_t i;
	int r = opt_array(c, at, root, "memmap", TDXSIM_MAX_MEMMAP, &p, &arr);

	if (r == 0)
		return fail_missing(c, at, "memmap");
	if (r < 0)
		return false;
	json_array_foreach(arr, i, v) {
		pos_element(&e, &p, arr, i);
		if (!parse_range(c, &e, v, &cfg->memmap[i]))
			return false;
	}
	cfg->n_memmap = i;
	return true;
}

static bool parse_cmrs(struct jctx *c, const struct jpos *at, json_t *root,
		       struct tdxsim_platform_config *cfg)
{
	static const char *const keys[] = { "base", "size", "end", NULL };
	struct jpos p, e;
	json_t *arr, *v;
	size_t i;
	int r = opt_array(c, at, root, "cmrs", TDXSIM_MAX_CMRS, &p, &arr);

	if (r <= 0)
		return r == 0;
	json_array_foreach(arr, i, v) {
		pos_element(&e, &p, arr, i);
		if (!check_object(c, &e, v, keys) ||
		    !parse_extent(c, &e, v, &cfg->cmrs[i].base, &cfg->cmrs[i].size))
			return false;
	}
	cfg->n_cmrs = i;
	cfg->cmrs_explicit = true;
	return true;
}

static bool parse_cpuid(struct jctx *c, const struct jpos *at, json_t *v,
			struct tdxsim_lp_override *o, size_t i)
{
	static const char *const keys[] = {
		"leaf", "subleaf", "eax", "ebx", "ecx", "edx", NULL
	};
	uint64_t leaf, subleaf = 0, r[4];

	if (!check_object(c, at, v, keys) ||
	    !req_hex(c, at, v, "leaf", 32, &leaf) ||
	    opt_hex(c, at, v, "subleaf", 32, &subleaf) < 0 ||
	    !req_hex(c, at, v, "eax", 32, &r[0]) ||
	    !req_hex(c, at, v, "ebx", 32, &r[1]) ||
	    !req_hex(c, at, v, "ecx", 32, &r[2]) ||
	    !req_hex(c, at, v, "edx", 32, &r[3]))
		return false;
	for (size_t j = 0; j < i; j++)
		if (o->cpuid[j].leaf == leaf && o->cpuid[j].subleaf == subleaf)
			return fail(c, at, "leaf 0x%llx subleaf 0x%llx is already overridden",
				    (unsigned long long)leaf,
				    (unsigned long long)subleaf);
	o->cpuid[i] = (struct tdxsim_cpuid_override){
		.leaf = (uint32_t)leaf, .subleaf = (uint32_t)subleaf,
		.eax = (uint32_t)r[0], .ebx = (uint32_t)r[1],
		.ecx = (uint32_t)r[2], .edx = (uint32_t)r[3],
	};
	return true;
}

static bool parse_msr(struct jctx *c, const struct jpos *at, json_t *v,
		      struct tdxsim_lp_override *o, size_t i)
{
	static const char *const keys[] = { "msr", "value", NULL };
	uint64_t msr, value;

	if (!check_object(c, at, v, keys) ||
	    !req_hex(c, at, v, "msr", 32, &msr) ||
	    !req_hex(c, at, v, "value", 64, &value))
		return false;
	for (size_t j = 0; j < i; j++)
		if (o->msrs[j].msr == msr)
			return fail(c, at, "MSR 0x%llx is already overridden",
				    (unsigned long long)msr);
	o->msrs[i] = (struct tdxsim_msr_override){ (uint32_t)msr, value };
	return true;
}

static bool parse_override(struct jctx *c, const struct jpos *at, json_t *v,
			   struct tdxsim_lp_override *o)
{
	static const char *const keys[] = { "lp", "cpuid", "msrs", NULL };
	unsigned long long lp;
	struct jpos p, e;
	json_t *arr, *m;
	size_t i;
	int r;

	memset(o, 0, sizeof(*o));
	if (!check_object(c, at, v, keys) ||
	    !req_uint(c, at, v, "lp", 0, UINT_MAX, &lp))
		return false;
	o->lp = (unsigned)lp;
	r = opt_array(c, at, v, "cpuid", TDXSIM_MAX_LP_CPUID, &p, &arr);
	if (r < 0)
		return false;
	json_array_foreach(arr, i, m) {
		pos_element(&e, &p, arr, i);
		if (!parse_cpuid(c, &e, m, o, i))
			return false;
		o->n_cpuid = (unsigned)i + 1;
	}
	r = opt_array(c, at, v, "msrs", TDXSIM_MAX_LP_MSRS, &p, &arr);
	if (r < 0)
		return false;
	json_array_foreach(arr, i, m) {
		pos_element(&e, &p, arr, i);
		if (!parse_msr(c, &e, m, o, i))
			return false;
		o->n_msrs = (unsigned)i + 1;
	}
	return true;
}

static bool parse_overrides(struct jctx *c, const struct jpos *at,
			    json_t *root, struct tdxsim_platform_config *cfg)
{
	struct jpos p, e;
	json_t *arr, *v;
	size_t i;
	int r = opt_array(c, at, root, "lp_overrides", TDXSIM_MAX_OVERRIDES,
			  &p, &arr);

	if (r <= 0)
		return r == 0;
	json_array_foreach(arr, i, v) {
		pos_element(&e, &p, arr, i);
		if (!parse_override(c, &e, v, &cfg->overrides[i]))
			return false;
	}
	cfg->n_overrides = i;
	return true;
}

static bool parse_root(struct jctx *c, json_t *root,
		       struct tdxsim_platform_config *cfg)
{
	static const char *const keys[] = {
		"name", "packages", "lps_per_package", "pa_width", "keyid_bits",
		"keyids", "cpu_fms", "seamverifyreport", "module", "memmap", "cmrs",
		"lp_overrides", NULL
	};
	struct jpos at;

	pos_root(&at);
	if (!json_is_object(root))
		return fail(c, &at, "expected an object at the top level, not %s",
			    kind(root));
	return check_object(c, &at, root, keys) &&
	       parse_name(c, &at, root, cfg) &&
	       parse_cpu(c, &at, root, cfg) &&
	       parse_keyids(c, &at, root, cfg) &&
	       parse_module(c, &at, root, cfg) &&
	       parse_memmap(c, &at, root, cfg) &&
	       parse_cmrs(c, &at, root, cfg) &&
	       parse_overrides(c, &at, root, cfg);
}

/* ---- entry points ---- */

/* The defaults of a file's optional keys; the name defaults to the file's
 * base name without ".json". */
static void init_config(struct tdxsim_platform_config *cfg, const char *file)
{
	const char *base = strrchr(file, '/');
	size_t n;

	tdxsim_config_default(cfg);
	cfg->keyid_bits = 0;  /* derived from the KeyID counts */
	cfg->n_memmap = 0;
	memset(cfg->memmap, 0, sizeof(cfg->memmap));
	base = base ? base + 1 : file;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".json"))
		n -= 5;
	if (n >= sizeof(cfg->name))
		n = sizeof(cfg->name) - 1;
	if (n) {
		memcpy(cfg->name, base, n);
		cfg->name[n] = '\0';
	}
}

static bool finish(struct jctx *c, struct tdxsim_platform_config *cfg)
{
	char msg[256] = "";

	if (tdxsim_config_finish(cfg, msg, sizeof(msg)))
		return true;
	snprintf(c->err, c->errlen, "%s: %s", c->file,
		 msg[0] ? msg : "invalid platform");
	return false;
}

bool tdxsim_config_parse_json(const char *text, size_t len, const char *name,
			      struct tdxsim_platform_config *cfg,
			      char *err, size_t errlen)
{
	struct jctx c = {
		.file = name ? name : "<input>",
		.err = err,
		.errlen = err ? errlen : 0,
	};
	json_error_t je;
	json_t *root;
	bool ok;

	if (!text || !cfg) {
		snprintf(c.err, c.errlen, "%s: no input", c.file);
		return false;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		if (je.line > 0)
			snprintf(c.err, c.errlen, "%s:%d: %s", c.file, je.line, je.text);
		else
			snprintf(c.err, c.errlen, "%s: %s", c.file, je.text);
		return false;
	}
	c.lines = json_lines_new(text, len, root);
	init_config(cfg, c.file);
	ok = parse_root(&c, root, cfg) && finish(&c, cfg);
	json_lines_free(c.lines);
	json_decref(root);
	return ok;
}

/* The whole file, NUL-terminated; NULL with *error set (EFBIG: too large). */
static char *read_all(FILE *f, size_t *len, int *error)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);

	while (buf) {
		errno = 0;
		n += fread(buf + n, 1, cap - n, f);
		if (ferror(f)) {
			*error = errno ? errno : EIO;
			break;
		}
		if (feof(f)) {
			buf[n] = '\0';
			*len = n;
			return buf;
		}
		if (n > MAX_FILE_SIZE) {
			*error = EFBIG;
			break;
		}
		if (n == cap) {
			char *nb = realloc(buf, cap * 2 + 1);

			if (!nb) {
				*error = ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (!buf)
		*error = ENOMEM;
	free(buf);
	return NULL;
}

bool tdxsim_config_load_json(const char *path,
			     struct tdxsim_platform_config *cfg,
			     char *err, size_t errlen)
{
	FILE *f;
	char *text = NULL;
	size_t len = 0;
	int error = 0;
	bool ok;

	if (!err)
		errlen = 0;
	if (!path) {
		snprintf(err, errlen, "(null): cannot read: %s", strerror(EINVAL));
		return false;
	}
	f = fopen(path, "rb");
	if (!f)
		error = errno;
	else
		text = read_all(f, &len, &error);
	if (f)
		fclose(f);
	if (!text) {
		if (error == EFBIG)
			snprintf(err, errlen, "%s: larger than %u MiB", path,
				 MAX_FILE_SIZE >> 20);
		else
			snprintf(err, errlen, "%s: cannot read: %s", path,
				 strerror(error ? error : EIO));
		return false;
	}
	ok = tdxsim_config_parse_json(text, len, path, cfg, err, errlen);
	free(text);
	return ok;
}
