/* SPDX-License-Identifier: MIT */
/*
 * The timeline recorder (trace.h, docs/trace.md): per-LP event buffers
 * appended by the thread on the LP, written as Chrome Trace Event JSON.
 */
#include <errno.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tdxsim/abi_names.h"
#include "platform_internal.h"
#include "trace.h"

#define TRACE_PID 1

enum { PH_SLICE, PH_INSTANT };

struct trace_event {
	const char *name;
	uint64_t ts, dur;                  /* ns since the start */
	uint8_t ph, cat, nargs;
	uint8_t fmt[TRACE_MAX_ARGS];
	const char *key[TRACE_MAX_ARGS];
	uint64_t val[TRACE_MAX_ARGS];
};

struct trace_open_slice {
	uint64_t token, t0;
	struct trace_event ev;             /* name, cat and the opening args */
};

/* One LP's buffer: touched only by the thread on the LP (and by the
 * writer once every LP is quiet). Cache-line aligned: no false sharing. */
struct trace_lp {
	alignas(64) struct trace_event *ev;
	size_t n, cap;
	uint64_t dropped;
	uint64_t seq;                      /* the last token's sequence */
	unsigned n_open;
	struct trace_open_slice open[TRACE_OPEN_DEPTH];
};

struct trace {
	uint64_t start_ns;                 /* CLOCK_MONOTONIC at the start */
	size_t max_events;                 /* per LP */
	unsigned nr_lps;
	atomic_bool on;
	struct trace_lp *lp;
};

static const char *const cat_name[] = {
	[TRACE_CAT_SEAMCALL] = "seamcall",
	[TRACE_CAT_TDCALL] = "tdcall",
	[TRACE_CAT_TD_EXIT] = "td_exit",
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int platform_trace_start(struct platform *p, size_t max_events_per_lp)
{
	struct trace *t, *none = NULL;

	if (atomic_load(&p->trace))
		return -EBUSY;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->nr_lps = p->nr_lps;
	t->lp = aligned_alloc(alignof(struct trace_lp),
			      sizeof(*t->lp) * (t->nr_lps ? t->nr_lps : 1));
	if (!t->lp) {
		free(t);
		return -ENOMEM;
	}
	memset(t->lp, 0, sizeof(*t->lp) * (t->nr_lps ? t->nr_lps : 1));
	t->max_events = max_events_per_lp ? max_events_per_lp : TRACE_DEFAULT_MAX_EVENTS;
	t->start_ns = mono_ns();
	atomic_init(&t->on, true);
	/* Published with release: a hook that sees the pointer sees it whole. */
	if (!atomic_compare_exchange_strong_explicit(&p->trace, &none, t,
						     memory_order_acq_rel,
						     memory_order_acquire)) {
		free(t->lp);
		free(t);
		return -EBUSY;
	}
	return 0;
}

void platform_trace_stop(struct platform *p)
{
	struct trace *t = atomic_load(&p->trace);

	if (t)
		atomic_store_explicit(&t->on, false, memory_order_relaxed);
}

void platform_trace_free(struct platform *p)
{
	struct trace *t = atomic_exchange(&p->trace, NULL);

	if (!t)
		return;
	for (unsigned i = 0; i < t->nr_lps; i++)
		free(t->lp[i].ev);
	free(t->lp);
	free(t);
}

uint64_t platform_trace_events(const struct platform *p)
{
	const struct trace *t = atomic_load(&((struct platform *)p)->trace);
	uint64_t n = 0;

	for (unsigned i = 0; t && i < t->nr_lps; i++)
		n += t->lp[i].n;
	return n;
}

uint64_t platform_trace_dropped(const struct platform *p)
{
	const struct trace *t = atomic_load(&((struct platform *)p)->trace);
	uint64_t n = 0;

	for (unsigned i = 0; t && i < t->nr_lps; i++)
		n += t->lp[i].dropped;
	return n;
}

uint64_t trace_now(const struct trace *t)
{
	return mono_ns() - t->start_ns;
}

static bool recording(const struct trace *t, unsigned lp)
{
	return lp < t->nr_lps && atomic_load_explicit(&t->on, memory_order_relaxed);
}

/* A slot for one more event on l, or NULL (counted as dropped). */
static struct trace_event *append(struct trace *t, struct trace_lp *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		struct trace_event *ev;

		if (cap > t->max_events)
			cap = t->max_events;
		if (l->n >= cap) {
			l->dropped++;
			return NULL;
		}
		ev = realloc(l->ev, cap * sizeof(*ev));
		if (!ev) {
			l->dropped++;
			return NULL;
		}
		l->ev = ev;
		l->cap = cap;
	}
	return &l->ev[l->n++];
}

static void set_args(struct trace_event *e, const struct trace_arg *args,
		     unsigned nargs)
{
	for (unsigned i = 0; i < nargs && e->nargs < TRACE_MAX_ARGS; i++) {
		e->key[e->nargs] = args[i].key;
		e->val[e->nargs] = args[i].val;
		e->fmt[e->nargs] = (uint8_t)args[i].fmt;
		e->nargs++;
	}
}

void trace_slice(struct trace *t, unsigned lp, enum trace_cat cat,
		 const char *name, uint64_t t0, uint64_t t1,
		 const struct trace_arg *args, unsigned nargs)
{
	struct trace_event *e;

	if (!recording(t, lp) || !(e = append(t, &t->lp[lp])))
		return;
	e->name = name;
	e->ph = PH_SLICE;
	e->cat = (uint8_t)cat;
	e->ts = t0;
	e->dur = t1 > t0 ? t1 - t0 : 0;
	e->nargs = 0;
	set_args(e, args, nargs);
}

/* Tokens carry the LP so a token never matches a slice of another LP. */
#define TOKEN_LP_BITS 16

uint64_t trace_open(struct trace *t, unsigned lp, enum trace_cat cat,
		    const char *name, const struct trace_arg *args,
		    unsigned nargs)
{
	struct trace_lp *l;
	struct trace_open_slice *o;

	if (!recording(t, lp))
		return 0;
	l = &t->lp[lp];
	if (l->n_open == TRACE_OPEN_DEPTH) {
		l->dropped++;
		return 0;
	}
	o = &l->open[l->n_open++];
	o->token = (++l->seq << TOKEN_LP_BITS) | lp;
	o->ev.name = name;
	o->ev.cat = (uint8_t)cat;
	o->ev.nargs = 0;
	set_args(&o->ev, args, nargs);
	o->t0 = trace_now(t);
	return o->token;
}

static void emit_open(struct trace *t, unsigned lp, const struct trace_open_slice *o,
		      uint64_t t1, const struct trace_arg *args, unsigned nargs)
{
	struct trace_event *e = append(t, &t->lp[lp]);

	if (!e)
		return;
	*e = o->ev;
	e->ph = PH_SLICE;
	e->ts = o->t0;
	e->dur = t1 > o->t0 ? t1 - o->t0 : 0;
	set_args(e, args, nargs);
}

void trace_close(struct trace *t, unsigned lp, uint64_t token,
		 const struct trace_arg *args, unsigned nargs)
{
	struct trace_lp *l;
	uint64_t t1;

	/* A token from another LP: the guest left the TD on that LP (which
	 * closed the slice) and came back here. */
	if (!token || lp >= t->nr_lps || (token & ((1u << TOKEN_LP_BITS) - 1)) != lp)
		return;
	l = &t->lp[lp];
	if (!l->n_open || l->open[l->n_open - 1].token != token)
		return;
	t1 = trace_now(t);
	l->n_open--;
	if (atomic_load_explicit(&t->on, memory_order_relaxed))
		emit_open(t, lp, &l->open[l->n_open], t1, args, nargs);
}

void trace_td_exit(struct trace *t, unsigned lp, const struct trace_td_exit *x)
{
	static const struct trace_arg left = { "left_td", 1, TRACE_BOOL };
	unsigned reason = (unsigned)(x->status & 0xFFFF);
	struct trace_arg a[TRACE_MAX_ARGS];
	unsigned n = 0;
	struct trace_lp *l;
	struct trace_event *e;
	uint64_t ts;

	if (!recording(t, lp))
		return;
	l = &t->lp[lp];
	ts = trace_now(t);
	/* The TDCALLs the guest was in end here, innermost first. */
	while (l->n_open) {
		l->n_open--;
		emit_open(t, lp, &l->open[l->n_open], ts, &left, 1);
	}
	a[n++] = (struct trace_arg){ "vcpu", x->vcpu_index, TRACE_DEC };
	a[n++] = (struct trace_arg){ "tdvpr", x->tdvpr, TRACE_HEX };
	a[n++] = (struct trace_arg){ "status", x->status, TRACE_HEX };
	if (x->vmcall) {
		a[n++] = (struct trace_arg){ "r10", x->r10, TRACE_HEX };
		a[n++] = (struct trace_arg){ "r11", x->r11, TRACE_HEX };
	} else if (reason == 48 || reason == 49) {
		a[n++] = (struct trace_arg){ "gpa", x->gpa, TRACE_HEX };
		a[n++] = (struct trace_arg){ "qual", x->qual, TRACE_HEX };
	}
	if (x->emulated)
		a[n++] = (struct trace_arg){ "emulated", 1, TRACE_BOOL };
	if (!(e = append(t, l)))
		return;
	e->name = tdx_exit_event_name(reason);
	e->ph = PH_INSTANT;
	e->cat = TRACE_CAT_TD_EXIT;
	e->ts = ts;
	e->dur = 0;
	e->nargs = 0;
	set_args(e, a, n);
}

/* ---- JSON ---- */

static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* Microseconds with the nanoseconds as a fraction, as "ts" wants. */
static void put_us(FILE *f, uint64_t ns)
{
	fprintf(f, "%llu.%03llu", (unsigned long long)(ns / 1000),
		(unsigned long long)(ns % 1000));
}

static void put_args(FILE *f, const struct trace_event *e)
{
	char buf[96];

	fputs(",\"args\":{", f);
	for (unsigned i = 0; i < e->nargs; i++) {
		if (i)
			fputc(',', f);
		put_string(f, e->key[i]);
		switch (e->fmt[i]) {
		case TRACE_DEC:
			fprintf(f, ":%llu", (unsigned long long)e->val[i]);
			break;
		case TRACE_BOOL:
			fputs(e->val[i] ? ":true" : ":false", f);
			break;
		case TRACE_STATUS:
			fprintf(f, ":\"0x%llx\",", (unsigned long long)e->val[i]);
			fprintf(f, "\"%s_name\":", e->key[i]);
			put_string(f, tdx_status_format(e->val[i], buf, sizeof(buf)));
			break;
		default:
			fprintf(f, ":\"0x%llx\"", (unsigned long long)e->val[i]);
			break;
		}
	}
	fputc('}', f);
}

static void put_event(FILE *f, unsigned lp, const struct trace_event *e)
{
	fputs(",\n{\"name\":", f);
	put_string(f, e->name);
	fprintf(f, ",\"cat\":\"%s\",\"ph\":\"%s\",\"pid\":%d,\"tid\":%u,\"ts\":",
		cat_name[e->cat], e->ph == PH_SLICE ? "X" : "i", TRACE_PID, lp);
	put_us(f, e->ts);
	if (e->ph == PH_SLICE) {
		fputs(",\"dur\":", f);
		put_us(f, e->dur);
	} else {
		fputs(",\"s\":\"t\"", f);
	}
	put_args(f, e);
	fputc('}', f);
}

/* Start order; at one start the longer (enclosing) slice first, and
 * slices before instants, so viewers see parents before children. */
static int event_order(const void *a, const void *b)
{
	const struct trace_event *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->ph != y->ph)
		return x->ph < y->ph ? -1 : 1;
	if (x->dur != y->dur)
		return x->dur > y->dur ? -1 : 1;
	return 0;
}

int platform_trace_write(struct platform *p, FILE *f)
{
	struct trace *t = atomic_load(&p->trace);
	uint64_t events = 0, dropped = 0;

	if (!t)
		return -ENOENT;
	fprintf(f, "{\"traceEvents\":[\n{\"name\":\"process_name\",\"ph\":\"M\","
		"\"pid\":%d,\"tid\":0,\"ts\":0,\"args\":{\"name\":\"tdxsim\"}}", TRACE_PID);
	for (unsigned i = 0; i < t->nr_lps; i++) {
		fprintf(f, ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%d,"
			"\"tid\":%u,\"ts\":0,\"args\":{\"name\":\"LP %u\"}}",
			TRACE_PID, i, i);
		fprintf(f, ",\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":%d,"
			"\"tid\":%u,\"ts\":0,\"args\":{\"sort_index\":%u}}",
			TRACE_PID, i, i);
	}
	for (unsigned i = 0; i < t->nr_lps; i++) {
		struct trace_lp *l = &t->lp[i];

		if (l->n)
			qsort(l->ev, l->n, sizeof(*l->ev), event_order);
		for (size_t k = 0; k < l->n; k++)
			put_event(f, i, &l->ev[k]);
		events += l->n;
		dropped += l->dropped;
	}
	fprintf(f, "\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{"
		"\"tool\":\"tdxsim\",\"clock\":\"CLOCK_MONOTONIC\","
		"\"lps\":%u,\"max_events_per_lp\":%zu,\"events\":%llu,"
		"\"dropped_events\":%llu,\"dropped_per_lp\":[",
		t->nr_lps, t->max_events, (unsigned long long)events,
		(unsigned long long)dropped);
	for (unsigned i = 0; i < t->nr_lps; i++)
		fprintf(f, "%s%llu", i ? "," : "", (unsigned long long)t->lp[i].dropped);
	fputs("]}}\n", f);
	if (fflush(f) || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}
