/* SPDX-License-Identifier: MIT */
/*
 * The timeline recorder (docs/trace.md): guest programs run with tracing
 * on from before TDX bring-up; the JSON is parsed back with jansson and
 * checked against what vm_run counted (entries, exits per reason,
 * TDVMCALLs), for the Chrome Trace Event shape, and for slices that nest
 * on every LP. The recorder's own rules (cap, tokens, exits closing
 * TDCALLs) are checked through its API.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/host_machine.h"
#include "host/page_alloc.h"
#include "platform/platform_internal.h"
#include "platform/trace.h"
#include "tdxsim/abi_names.h"
#include "tdxsim/guest.h"
#include "vmm/vmm.h"

struct ctx {
	struct hm hm;
	struct vmm *vmm;
	const char *prog;
	char *arg;
	unsigned vcpus;
	size_t cap;                     /* per-LP events; 0: default */
	int run_ret;
	/* What vm_run counted, summed over the vCPUs. */
	uint64_t entries;
	uint64_t exits[VM_EXIT_REASONS];
	uint64_t dropped;
	json_t *root;
};

static int build_and_run(void *arg)
{
	struct ctx *c = arg;
	struct td_config cfg = { .vcpus = c->vcpus, .memory_bytes = 32ULL << 20 };
	struct vm_run_opts opts = { 0 };
	struct vm_run_result res = { 0 };
	uint8_t image[TDX_GUEST_IMAGE_BYTES];
	char *argv[1] = { c->arg };
	char err[320] = "";
	struct vm *vm;

	assert_int_equal(tdx_guest_image(c->prog, c->arg != NULL, argv, image), 0);
	if (vm_create(c->vmm, &cfg, &vm, err, sizeof(err)))
		fail_msg("vm_create: %s", err);
	assert_int_equal(vm_init_vcpus(vm), 0);
	assert_int_equal(vm_init_mem_region(vm, 0, image, sizeof(image)), 0);
	assert_int_equal(vm_finalize(vm), 0);
	c->run_ret = vm_run(vm, &opts, &res);
	for (unsigned i = 0; i < res.n_vcpus; i++) {
		c->entries += res.vcpu[i].entries;
		for (unsigned r = 0; r < VM_EXIT_REASONS; r++)
			c->exits[r] += res.vcpu[i].exits[r];
	}
	vm_destroy(vm);
	return 0;
}

/* Writes the platform's trace to a temporary file and parses it. */
static json_t *write_and_parse(struct platform *p)
{
	FILE *f = tmpfile();
	json_error_t jerr;
	json_t *root;

	assert_non_null(f);
	assert_int_equal(platform_trace_write(p, f), 0);
	rewind(f);
	root = json_loadf(f, 0, &jerr);
	if (!root)
		fail_msg("trace JSON does not parse: line %d: %s", jerr.line, jerr.text);
	fclose(f);
	return root;
}

/* A 2x2-LP machine, tracing from before host_boot, one program run. */
static void traced_run(struct ctx *c)
{
	struct tdxsim_platform_config cfg;
	uint64_t free0;

	small_config(&cfg, 2, 2, 4, TDXSIM_PROFILE_1_5);
	hm_new(&c->hm, &cfg, MEMHP_STRICT);
	assert_int_equal(platform_trace_start(c->hm.p, c->cap), 0);
	assert_int_equal(host_boot(c->hm.h), 0);
	c->vmm = vmm_create(c->hm.h);
	assert_non_null(c->vmm);
	free0 = page_alloc_free_bytes(c->hm.h->pages);
	assert_int_equal(hm_on_lp(&c->hm, 0, build_and_run, c), 0);
	assert_int_equal(page_alloc_free_bytes(c->hm.h->pages), free0);
	vmm_destroy(c->vmm);
	platform_trace_stop(c->hm.p);
	c->root = write_and_parse(c->hm.p);
	c->dropped = platform_trace_dropped(c->hm.p);
	hm_free(&c->hm);
}

/* ---- reading events ---- */

static int64_t us_to_ns(json_t *v)
{
	return (int64_t)(json_number_value(v) * 1000.0 + 0.5);   /* ts >= 0 */
}

static const char *ev_name(json_t *e)
{
	return json_string_value(json_object_get(e, "name"));
}

static const char *ev_ph(json_t *e)
{
	return json_string_value(json_object_get(e, "ph"));
}

static json_t *ev_arg(json_t *e, const char *key)
{
	return json_object_get(json_object_get(e, "args"), key);
}

static uint64_t hex_arg(json_t *e, const char *key)
{
	const char *s = json_string_value(ev_arg(e, key));

	if (!s)
		fail_msg("event %s lacks the hex argument %s", ev_name(e), key);
	return strtoull(s, NULL, 16);
}

static unsigned count_slices(json_t *events, const char *name)
{
	size_t i;
	json_t *e;
	unsigned n = 0;

	json_array_foreach(events, i, e)
		n += !strcmp(ev_ph(e), "X") && !strcmp(ev_name(e), name);
	return n;
}

/* The Chrome Trace Event object form and the fields every event needs. */
static json_t *check_shape(json_t *root)
{
	json_t *events = json_object_get(root, "traceEvents"), *e;
	size_t i;

	assert_true(json_is_object(root));
	assert_true(json_is_array(events));
	assert_true(json_array_size(events) > 0);
	assert_string_equal(json_string_value(json_object_get(root, "displayTimeUnit")), "ns");
	assert_true(json_is_object(json_object_get(root, "otherData")));
	assert_true(json_is_integer(json_object_get(json_object_get(root, "otherData"),
						    "dropped_events")));
	json_array_foreach(events, i, e) {
		const char *ph = ev_ph(e);

		assert_true(json_is_string(json_object_get(e, "name")));
		assert_non_null(ph);
		assert_true(json_is_number(json_object_get(e, "ts")));
		assert_true(json_is_integer(json_object_get(e, "pid")));
		assert_true(json_is_integer(json_object_get(e, "tid")));
		assert_true(json_number_value(json_object_get(e, "ts")) >= 0);
		if (!strcmp(ph, "X")) {
			assert_true(json_is_number(json_object_get(e, "dur")));
			assert_true(json_number_value(json_object_get(e, "dur")) >= 0);
		} else if (!strcmp(ph, "i")) {
			assert_string_equal(json_string_value(json_object_get(e, "s")), "t");
		} else {
			assert_string_equal(ph, "M");
		}
	}
	return events;
}

struct slice {
	int64_t start, end;
	const char *name;
	bool instant;
};

static int slice_order(const void *a, const void *b)
{
	const struct slice *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->instant != y->instant)
		return x->instant ? 1 : -1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return 0;
}

/*
 * Per tid, X slices nest: sorted by start (longer first), each slice that
 * starts before the innermost open one ends must also end within it. Every
 * TD-exit instant and every TDCALL lies inside a TDH.VP.ENTER on its LP,
 * and no SEAMCALL inside another. NULL, with *vp_tids the number of tids
 * that carry a TDH.VP.ENTER, or what is wrong (in why).
 */
static const char *nesting_error(json_t *events, unsigned *vp_tids, char *why,
				 size_t whylen)
{
	size_t n = json_array_size(events), i;
	struct slice *s = calloc(n ? n : 1, sizeof(*s)), *stack[64];
	json_t *e;
	json_int_t max_tid = 0;

	*vp_tids = 0;

	assert_non_null(s);
	json_array_foreach(events, i, e)
		if (json_integer_value(json_object_get(e, "tid")) > max_tid)
			max_tid = json_integer_value(json_object_get(e, "tid"));
	for (json_int_t tid = 0; tid <= max_tid; tid++) {
		size_t k = 0;
		unsigned depth = 0;
		bool has_vp = false;

		json_array_foreach(events, i, e) {
			const char *ph = ev_ph(e);

			if (json_integer_value(json_object_get(e, "tid")) != tid ||
			    !strcmp(ph, "M"))
				continue;
			s[k].name = ev_name(e);
			s[k].start = us_to_ns(json_object_get(e, "ts"));
			s[k].instant = !strcmp(ph, "i");
			s[k].end = s[k].start + (s[k].instant ? 0 :
				   us_to_ns(json_object_get(e, "dur")));
			k++;
		}
		qsort(s, k, sizeof(*s), slice_order);
		for (size_t j = 0; j < k; j++) {
			bool in_vp = false;

			while (depth && stack[depth - 1]->end <= s[j].start &&
			       !(s[j].instant && stack[depth - 1]->end == s[j].start))
				depth--;
			if (depth && s[j].end > stack[depth - 1]->end) {
				snprintf(why, whylen, "LP %lld: %s [%lld, %lld] overlaps "
					 "%s [%lld, %lld] without nesting", (long long)tid,
					 s[j].name, (long long)s[j].start, (long long)s[j].end,
					 stack[depth - 1]->name,
					 (long long)stack[depth - 1]->start,
					 (long long)stack[depth - 1]->end);
				goto out;
			}
			for (unsigned d = 0; d < depth; d++)
				in_vp |= !strcmp(stack[d]->name, "TDH.VP.ENTER");
			if ((!strncmp(s[j].name, "exit: ", 6) || !strncmp(s[j].name, "TDG.", 4)) &&
			    !in_vp) {
				snprintf(why, whylen, "LP %lld: %s at %lld outside TDH.VP.ENTER",
					 (long long)tid, s[j].name, (long long)s[j].start);
				goto out;
			}
			if (!strncmp(s[j].name, "TDH.", 4) && depth) {
				snprintf(why, whylen, "LP %lld: SEAMCALL %s at %lld inside %s",
					 (long long)tid, s[j].name, (long long)s[j].start,
					 stack[depth - 1]->name);
				goto out;
			}
			has_vp |= !strcmp(s[j].name, "TDH.VP.ENTER");
			if (!s[j].instant && depth == 64) {
				snprintf(why, whylen, "LP %lld: slices nest too deep", (long long)tid);
				goto out;
			}
			if (!s[j].instant)
				stack[depth++] = &s[j];
		}
		*vp_tids += has_vp;
	}
	why = NULL;
out:
	free(s);
	return why;
}

static unsigned check_nesting(json_t *events)
{
	char why[256];
	unsigned vp_tids;

	if (nesting_error(events, &vp_tids, why, sizeof(why)))
		fail_msg("%s", why);
	return vp_tids;
}

/* TD-exit instants against vm_run's counts, reason by reason. */
static void check_exits(struct ctx *c, json_t *events)
{
	uint64_t seen[VM_EXIT_REASONS] = { 0 };
	size_t i;
	json_t *e;

	json_array_foreach(events, i, e) {
		uint64_t status, reason;
		char want[64];

		if (strcmp(ev_ph(e), "i"))
			continue;
		assert_string_equal(json_string_value(json_object_get(e, "cat")), "td_exit");
		status = hex_arg(e, "status");
		reason = status & 0xFFFF;
		/* These programs end through a TDVMCALL: no fatal exits. */
		assert_int_equal(status >> 32, 0);
		assert_true(reason < VM_EXIT_REASONS);
		seen[reason]++;
		snprintf(want, sizeof(want), "exit: %s", tdx_exit_reason_name((unsigned)reason));
		assert_string_equal(ev_name(e), want);
		assert_true(json_is_integer(ev_arg(e, "vcpu")));
		assert_true(hex_arg(e, "tdvpr") != 0);
		if (reason == TDX_EXIT_EPT_VIOLATION)
			assert_true(json_is_string(ev_arg(e, "gpa")));
		if (reason == TDX_EXIT_TDCALL)
			assert_true(json_is_string(ev_arg(e, "r11")));
	}
	for (unsigned r = 0; r < VM_EXIT_REASONS; r++)
		if (seen[r] != c->exits[r])
			fail_msg("exit reason %u: %llu instants, vm_run counted %llu", r,
				 (unsigned long long)seen[r], (unsigned long long)c->exits[r]);
}

/* The bring-up SEAMCALLs, each with status 0x0; the LPs named. */
static void check_bringup_and_names(json_t *events, unsigned nr_lps)
{
	static const char *const leaves[] = {
		"TDH.SYS.INIT", "TDH.SYS.LP.INIT", "TDH.SYS.CONFIG",
		"TDH.SYS.KEY.CONFIG", "TDH.SYS.TDMR.INIT",
	};
	unsigned ok[5] = { 0 }, named = 0, process = 0;
	size_t i;
	json_t *e;

	json_array_foreach(events, i, e) {
		if (!strcmp(ev_ph(e), "M")) {
			const char *v = json_string_value(ev_arg(e, "name"));
			char want[32];

			if (!strcmp(ev_name(e), "process_name")) {
				assert_string_equal(v, "tdxsim");
				process++;
			} else if (!strcmp(ev_name(e), "thread_name")) {
				snprintf(want, sizeof(want), "LP %lld",
					 (long long)json_integer_value(json_object_get(e, "tid")));
				assert_string_equal(v, want);
				named++;
			}
			continue;
		}
		for (unsigned k = 0; k < 5; k++) {
			if (strcmp(ev_name(e), leaves[k]))
				continue;
			assert_string_equal(json_string_value(json_object_get(e, "cat")),
					    "seamcall");
			assert_string_equal(json_string_value(ev_arg(e, "status")), "0x0");
			assert_string_equal(json_string_value(ev_arg(e, "status_name")),
					    "TDX_SUCCESS");
			ok[k]++;
		}
	}
	assert_int_equal(process, 1);
	assert_int_equal(named, nr_lps);
	assert_int_equal(ok[0], 1);               /* SYS.INIT once */
	assert_int_equal(ok[1], nr_lps);          /* LP.INIT on every LP */
	assert_int_equal(ok[2], 1);
	assert_int_equal(ok[3], 2);               /* KEY.CONFIG per package */
	assert_true(ok[4] > 0);
}

/* Every check that holds for any clean run. */
static void check_run(struct ctx *c)
{
	json_t *events = check_shape(c->root);
	size_t i;
	json_t *e;

	assert_int_equal(c->run_ret, 0);
	assert_int_equal(c->dropped, 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c->root, "otherData"),
							    "dropped_events")), 0);
	assert_int_equal(count_slices(events, "TDH.VP.ENTER"), c->entries);
	assert_int_equal(count_slices(events, "TDG.VP.VMCALL"), c->exits[TDX_EXIT_TDCALL]);
	/* Each TDG.VP.VMCALL slice ends where the guest left the TD. */
	json_array_foreach(events, i, e)
		if (!strcmp(ev_ph(e), "X") && !strcmp(ev_name(e), "TDG.VP.VMCALL"))
			assert_true(json_is_true(ev_arg(e, "left_td")));
	check_exits(c, events);
	check_bringup_and_names(events, 4);
	assert_true(check_nesting(events) >= 1);
}

static void done(struct ctx *c)
{
	json_decref(c->root);
}

static void test_hello(void **state)
{
	struct ctx c = { .prog = "hello", .vcpus = 1 };

	traced_run(&c);
	check_run(&c);
	assert_true(c.exits[TDX_EXIT_TDCALL] > 0);
	assert_true(count_slices(json_object_get(c.root, "traceEvents"), "TDG.VP.INFO") > 0);
	done(&c);
}

/* Two vCPUs run on two LPs: both tids carry TD entries. */
static void test_hello_two_vcpus(void **state)
{
	struct ctx c = { .prog = "hello", .vcpus = 2 };

	traced_run(&c);
	check_run(&c);
	assert_int_equal(check_nesting(json_object_get(c.root, "traceEvents")), 2);
	done(&c);
}

/* touch 2: 512 EPT-violation exits (AUG), #VE and PAGE.ACCEPT in the TD. */
static void test_touch(void **state)
{
	struct ctx c = { .prog = "touch", .arg = "2", .vcpus = 1 };
	json_t *events;

	traced_run(&c);
	check_run(&c);
	events = json_object_get(c.root, "traceEvents");
	assert_int_equal(c.exits[TDX_EXIT_EPT_VIOLATION], 512);
	assert_true(count_slices(events, "TDH.MEM.PAGE.AUG") >= 512);
	assert_true(count_slices(events, "TDG.MEM.PAGE.ACCEPT") >= 512);
	done(&c);
}

/* A tiny cap: drops are counted and reported, and the file still parses. */
static void test_cap(void **state)
{
	struct ctx c = { .prog = "hello", .vcpus = 1, .cap = 16 };
	json_t *events, *other, *e;
	json_int_t per_lp[4] = { 0 };
	size_t i;

	traced_run(&c);
	events = check_shape(c.root);
	other = json_object_get(c.root, "otherData");
	assert_int_equal(c.run_ret, 0);
	assert_true(c.dropped > 0);
	assert_int_equal(json_integer_value(json_object_get(other, "dropped_events")), c.dropped);
	assert_int_equal(json_integer_value(json_object_get(other, "max_events_per_lp")), 16);
	json_array_foreach(events, i, e)
		if (strcmp(ev_ph(e), "M"))
			per_lp[json_integer_value(json_object_get(e, "tid"))]++;
	for (unsigned lp = 0; lp < 4; lp++)
		assert_true(per_lp[lp] <= 16);
	/* The first events are kept: bring-up starts with TDH.SYS.INIT. */
	assert_true(count_slices(events, "TDH.SYS.INIT") == 1);
	check_nesting(events);
	done(&c);
}

/* The recorder's rules, through its API on a bare platform. */
static void test_api(void **state)
{
	struct tdxsim_platform_config cfg;
	struct platform *p;
	struct trace *t;
	struct trace_td_exit x = { .status = TDX_EXIT_TDCALL, .vmcall = true };
	uint64_t tok, tok2;
	json_t *root, *events, *e;
	size_t i;
	unsigned vmcalls = 0, infos = 0;

	small_config(&cfg, 1, 2, 1, TDXSIM_PROFILE_1_5);
	p = machine_new(&cfg);
	assert_null(TRACE_OF(p));
	assert_int_equal(platform_trace_write(p, stdout), -ENOENT);
	assert_int_equal(platform_trace_start(p, 0), 0);
	assert_int_equal(platform_trace_start(p, 0), -EBUSY);
	t = TRACE_OF(p);
	assert_non_null(t);

	/* A TDCALL closed by its own end. */
	tok = trace_open(t, 0, TRACE_CAT_TDCALL, "TDG.VP.INFO", NULL, 0);
	assert_true(tok != 0);
	trace_close(t, 0, tok, NULL, 0);
	/* A VMCALL: the exit closes it; its end on another LP (the guest
	 * resumed there) and a second end on the first LP are ignored. */
	tok = trace_open(t, 0, TRACE_CAT_TDCALL, "TDG.VP.VMCALL", NULL, 0);
	trace_td_exit(t, 0, &x);
	trace_close(t, 1, tok, NULL, 0);
	tok2 = trace_open(t, 0, TRACE_CAT_TDCALL, "TDG.VP.INFO", NULL, 0);
	trace_close(t, 0, tok, NULL, 0);   /* stale: leaves tok2 open */
	trace_close(t, 0, tok2, NULL, 0);
	assert_int_equal(platform_trace_events(p), 4);
	/* Stopped: nothing more is recorded. */
	platform_trace_stop(p);
	trace_slice(t, 1, TRACE_CAT_SEAMCALL, "TDH.SYS.RD", 0, 1, NULL, 0);
	assert_int_equal(platform_trace_events(p), 4);
	assert_int_equal(platform_trace_dropped(p), 0);

	root = write_and_parse(p);
	events = check_shape(root);
	json_array_foreach(events, i, e) {
		if (!strcmp(ev_name(e), "TDG.VP.VMCALL")) {
			vmcalls++;
			assert_true(json_is_true(ev_arg(e, "left_td")));
		}
		infos += !strcmp(ev_name(e), "TDG.VP.INFO");
	}
	assert_int_equal(vmcalls, 1);
	assert_int_equal(infos, 2);
	json_decref(root);
	assert_string_equal(tdx_exit_reason_name(48), "EPT_VIOLATION");
	platform_trace_free(p);
	assert_null(TRACE_OF(p));
	platform_destroy(p);
}

/* The nesting check itself catches what Perfetto would reject. */
static void test_nesting_check(void **state)
{
	static const char *const bad[] = {
		/* Overlapping, not nested, on one LP. */
		"[{\"name\":\"TDH.VP.ENTER\",\"ph\":\"X\",\"tid\":0,\"ts\":1,\"dur\":5},"
		" {\"name\":\"TDG.VP.VMCALL\",\"ph\":\"X\",\"tid\":0,\"ts\":2,\"dur\":5}]",
		/* An exit outside any TDH.VP.ENTER. */
		"[{\"name\":\"TDH.VP.ENTER\",\"ph\":\"X\",\"tid\":1,\"ts\":1,\"dur\":5},"
		" {\"name\":\"exit: HLT\",\"ph\":\"i\",\"tid\":1,\"ts\":7}]",
		/* A SEAMCALL inside a SEAMCALL. */
		"[{\"name\":\"TDH.VP.ENTER\",\"ph\":\"X\",\"tid\":0,\"ts\":1,\"dur\":5},"
		" {\"name\":\"TDH.MEM.PAGE.AUG\",\"ph\":\"X\",\"tid\":0,\"ts\":2,\"dur\":1}]",
	};
	static const char good[] =
		"[{\"name\":\"TDH.VP.ENTER\",\"ph\":\"X\",\"tid\":0,\"ts\":1,\"dur\":5},"
		" {\"name\":\"TDG.VP.VMCALL\",\"ph\":\"X\",\"tid\":0,\"ts\":2,\"dur\":3},"
		" {\"name\":\"exit: TDCALL\",\"ph\":\"i\",\"tid\":0,\"ts\":5},"
		" {\"name\":\"TDH.VP.ENTER\",\"ph\":\"X\",\"tid\":0,\"ts\":6,\"dur\":1}]";
	char why[256];
	unsigned vp;
	json_t *a;

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = json_loads(bad[i], 0, NULL);
		assert_non_null(a);
		assert_non_null(nesting_error(a, &vp, why, sizeof(why)));
		json_decref(a);
	}
	a = json_loads(good, 0, NULL);
	assert_non_null(a);
	assert_null(nesting_error(a, &vp, why, sizeof(why)));
	assert_int_equal(vp, 1);
	json_decref(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting_check),
		cmocka_unit_test(test_api),
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_hello_two_vcpus),
		cmocka_unit_test(test_touch),
		cmocka_unit_test(test_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
