/* SPDX-License-Identifier: MIT */
/* The host-state auditor (host_audit.h). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "host_audit.h"

void host_audit_snapshot(struct platform *p, unsigned lp,
			 struct host_audit_snapshot *s)
{
	unsigned n = platform_lp_msr_count(p, lp);

	s->lp = lp;
	s->n_msrs = 0;
	s->truncated = false;
	for (unsigned i = 0; i < n; i++) {
		uint32_t msr;
		uint64_t v;

		if (!platform_lp_msr_at(p, lp, i, &msr, &v))
			break;
		if (s->n_msrs == HOST_AUDIT_MAX_MSRS) {
			s->truncated = true;
			break;
		}
		s->msr[s->n_msrs] = msr;
		s->msr_val[s->n_msrs++] = v;
	}
	for (unsigned r = 0; r < TDXSIM_REG_NR; r++) {
		s->reg[r] = 0;
		platform_read_reg(p, lp, (enum tdxsim_reg)r, &s->reg[r]);
	}
}

struct out {
	char *buf;
	size_t len, used;
};

static void emit(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void emit(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!o->buf || o->used + 1 >= o->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	o->used += (size_t)n;
	if (o->used >= o->len)
		o->used = o->len - 1;
}

static bool find(const struct host_audit_snapshot *s, uint32_t msr,
		 uint64_t *v)
{
	for (unsigned i = 0; i < s->n_msrs; i++)
		if (s->msr[i] == msr) {
			*v = s->msr_val[i];
			return true;
		}
	return false;
}

unsigned host_audit_compare(const struct host_audit_snapshot *before,
			    const struct host_audit_snapshot *after,
			    char *report, size_t len)
{
	struct out o = { report, len, 0 };
	unsigned diffs = 0;
	uint64_t v;

	if (report && len)
		report[0] = '\0';
	for (unsigned i = 0; i < before->n_msrs; i++) {
		uint32_t msr = before->msr[i];
		uint64_t old = before->msr_val[i];

		if (!find(after, msr, &v)) {
			diffs++;
			emit(&o, "%s (0x%" PRIx32 "): 0x%" PRIx64 " -> absent\n",
			     tdxsim_msr_name(msr), msr, old);
		} else if (v != old) {
			diffs++;
			emit(&o, "%s (0x%" PRIx32 "): 0x%" PRIx64 " -> 0x%" PRIx64 "\n",
			     tdxsim_msr_name(msr), msr, old, v);
		}
	}
	for (unsigned i = 0; i < after->n_msrs; i++) {
		if (find(before, after->msr[i], &v))
			continue;
		diffs++;
		emit(&o, "%s (0x%" PRIx32 "): absent -> 0x%" PRIx64 "\n",
		     tdxsim_msr_name(after->msr[i]), after->msr[i],
		     after->msr_val[i]);
	}
	for (unsigned r = 0; r < TDXSIM_REG_NR; r++) {
		if (before->reg[r] == after->reg[r])
			continue;
		diffs++;
		emit(&o, "%s: 0x%" PRIx64 " -> 0x%" PRIx64 "\n",
		     tdxsim_reg_name((enum tdxsim_reg)r), before->reg[r],
		     after->reg[r]);
	}
	return diffs;
}
