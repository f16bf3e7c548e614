/* SPDX-License-Identifier: MIT */
/*
 * The timeline recorder behind `tdxsim run --trace FILE` (docs/trace.md):
 * SEAMCALLs, TDCALLs and TD exits per LP, written as Chrome Trace Event
 * JSON that chrome://tracing and ui.perfetto.dev open.
 *
 * The recorder hangs off the platform (struct platform's `trace`). Each
 * LP has its own event buffer, appended without locks by the one thread
 * on that LP (the SEAMCALL door, the guest's TDCALLs on the vCPU's fiber,
 * the TD exit in TDH.VP.ENTER), so recording takes no lock. When tracing
 * is off a hook costs one load and one well-predicted branch:
 *
 *	struct trace *t = TRACE_OF(p);           (needs platform_internal.h)
 *	if (__builtin_expect(t != NULL, 0)) ...  (the recorder's calls)
 *
 * Start and stop may come at any time; writing (and freeing) the trace
 * needs every LP quiet (no thread inside a SEAMCALL), as after vm_run().
 * Each LP keeps at most max_events_per_lp events; later ones are counted
 * as dropped, and the count is in the JSON's otherData.
 */
#ifndef TDXSIM_PLATFORM_TRACE_H
#define TDXSIM_PLATFORM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct platform;
struct trace;

/* The default per-LP event cap (an event is about 140 bytes; buffers grow
 * as they fill, so a short run uses little). */
#define TRACE_DEFAULT_MAX_EVENTS (1u << 20)
/* Arguments an event carries at most. */
#define TRACE_MAX_ARGS 6
/* TDCALL slices open on one LP at a time at most (they do not nest in
 * practice: one is the usual, more are dropped). */
#define TRACE_OPEN_DEPTH 4

/* The recorder when tracing has been started, else NULL: the hooks' test. */
#define TRACE_OF(p) atomic_load_explicit(&(p)->trace, memory_order_acquire)

/* ---- for the CLI and tests ---- */

/* Starts recording with a per-LP event cap (0: the default). 0, -EBUSY
 * when the platform has a trace already, -ENOMEM. */
int platform_trace_start(struct platform *p, size_t max_events_per_lp);
/* Stops recording; what was recorded stays until platform_trace_free(). */
void platform_trace_stop(struct platform *p);
/* Writes the trace as JSON. 0, -ENOENT when no trace was started, or
 * -errno when writing failed. The LPs must be quiet. */
int platform_trace_write(struct platform *p, FILE *f);
/* Events recorded and dropped (over the cap, or no memory); like the
 * writer, these read every LP's buffer, so the LPs must be quiet. */
uint64_t platform_trace_events(const struct platform *p);
uint64_t platform_trace_dropped(const struct platform *p);
/* Frees the trace (platform_destroy does too). The LPs must be quiet. */
void platform_trace_free(struct platform *p);

/* ---- for the hooks (module) ---- */

enum trace_cat { TRACE_CAT_SEAMCALL, TRACE_CAT_TDCALL, TRACE_CAT_TD_EXIT };

enum trace_fmt {
	TRACE_HEX,        /* "0x1f" */
	TRACE_DEC,        /* 31 */
	TRACE_BOOL,       /* true */
	TRACE_STATUS,     /* "0x0" and key_name: "TDX_SUCCESS" */
};

struct trace_arg {
	const char *key;  /* a static string */
	uint64_t val;
	enum trace_fmt fmt;
};

/* Nanoseconds since the trace started (CLOCK_MONOTONIC). */
uint64_t trace_now(const struct trace *t);
/* A complete slice [t0, t1] on LP lp. name must be a static string. */
void trace_slice(struct trace *t, unsigned lp, enum trace_cat cat,
		 const char *name, uint64_t t0, uint64_t t1,
		 const struct trace_arg *args, unsigned nargs);

/*
 * A slice whose end is not known at its start (a TDCALL): opened now on
 * LP lp, and closed by trace_close() on the same LP, or by trace_td_exit()
 * on that LP if the guest leaves the TD first. The token (0 when not
 * recording) names it to trace_close(); a token whose slice was closed by
 * an exit, or that comes to another LP, is ignored.
 */
uint64_t trace_open(struct trace *t, unsigned lp, enum trace_cat cat,
		    const char *name, const struct trace_arg *args,
		    unsigned nargs);
void trace_close(struct trace *t, unsigned lp, uint64_t token,
		 const struct trace_arg *args, unsigned nargs);

/* A TD exit as VP.ENTER reports it to the host. */
struct trace_td_exit {
	uint64_t status;        /* the exit RAX: class | exit reason */
	uint64_t vcpu_index;
	uint64_t tdvpr;
	uint64_t qual, gpa;     /* EPT violation */
	uint64_t r10, r11;      /* TDG.VP.VMCALL: the GHCI leaf */
	bool vmcall;
	bool emulated;          /* the zero-step filter's, no guest ran */
};

/* Records the exit as an instant "exit: <REASON>" on LP lp, first closing
 * the TDCALL slices open on lp at this instant. */
void trace_td_exit(struct trace *t, unsigned lp, const struct trace_td_exit *x);

#endif
