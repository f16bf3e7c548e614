/* SPDX-License-Identifier: MIT */
/*
 * The bridge: loads a fresh copy of the kernel object for each boot and
 * gives it the machine (struct klx_ops) through tdxsim's public API. It
 * sees tdxsim's headers and klx.h, never a kernel header, and links no
 * kernel code (docs/linux.md).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "klx.h"
#include "tdxsim/abi.h"
#include "tdxsim/linux.h"
#include "tdxsim/seamcall.h"

#define LEAF_SYS_CONFIG 45          /* abi.h TDH_SYS_CONFIG */
#define MAX_TDMRS 64

struct tdxsim_linux {
	struct platform *p;
	struct tdxsim_linux_options opt;
	void *dl;
	int fd;                                /* the object's copy */
	const struct klx_kernel *k;
	struct klx_ops ops;
	uint64_t t0_ns;
	pthread_mutex_t lock;                  /* log and records */
	char *log;
	size_t log_len, log_cap;
	struct tdxsim_linux_seamcall *calls;
	size_t n_calls, cap_calls;
	struct tdxsim_linux_tdmr tdmrs[MAX_TDMRS];
	unsigned n_tdmrs;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static bool grow(void **buf, size_t *cap, size_t need, size_t elem)
{
	void *nb;
	size_t n = *cap ? *cap : 64;

	if (need <= *cap)
		return true;
	while (n < need)
		n *= 2;
	if (!(nb = realloc(*buf, n * elem)))
		return false;
	*buf = nb;
	*cap = n;
	return true;
}

/* ---- struct klx_ops ---- */

static void op_log(void *ctx, int level, const char *line)
{
	struct tdxsim_linux *l = ctx;
	size_t n = strlen(line);

	pthread_mutex_lock(&l->lock);
	if (grow((void **)&l->log, &l->log_cap, l->log_len + n + 2, 1)) {
		memcpy(l->log + l->log_len, line, n);
		l->log_len += n;
		l->log[l->log_len++] = '\n';
		l->log[l->log_len] = '\0';
	}
	if (l->opt.log) {
		if (l->opt.timestamps) {
			uint64_t t = now_ns() - l->t0_ns;

			fprintf(l->opt.log, "[%5llu.%06llu] ", (unsigned long long)(t / 1000000000ULL),
				(unsigned long long)(t / 1000 % 1000000));
		}
		fprintf(l->opt.log, "%s\n", line);
	}
	pthread_mutex_unlock(&l->lock);
}

/* TDH.SYS.CONFIG's operands as the module will read them: the PA array
 * and each TDMR_INFO, from simulated memory. */
unsigned tdxsim_read_tdmr_config(struct platform *p, uint64_t pa_array, uint64_t n,
				 struct tdxsim_linux_tdmr *out, unsigned max)
{
	unsigned got = 0;

	for (uint64_t i = 0; i < n && got < max; i++) {
		struct tdxsim_linux_tdmr *t = &out[got];
		uint64_t pa;

		memset(t, 0, sizeof(*t));
		if (platform_mem_read(p, pa_array + 8 * i, &pa, 8) ||
		    platform_mem_read(p, pa, &t->info, sizeof(t->info)))
			break;
		while (t->n_rsvd < TDX_MAX_RESERVED_AREAS && t->info.rsvd_areas[t->n_rsvd].size)
			t->n_rsvd++;
		got++;
	}
	return got;
}

static uint64_t op_seamcall(void *ctx, uint64_t fn, uint64_t r[KLX_NR_ARGS],
			    enum klx_seamcall_kind kind)
{
	struct tdxsim_linux *l = ctx;
	struct tdx_module_args a;
	uint64_t status;

	_Static_assert(sizeof(a) == KLX_NR_ARGS * 8, "the kernel's register block");
	memcpy(&a, r, sizeof(a));
	if ((fn & 0xffff) == LEAF_SYS_CONFIG && !(fn >> 63))
		l->n_tdmrs = tdxsim_read_tdmr_config(l->p, r[0], r[1], l->tdmrs, MAX_TDMRS);
	status = seamcall(fn, &a);
	memcpy(r, &a, sizeof(a));
	pthread_mutex_lock(&l->lock);
	if (grow((void **)&l->calls, &l->cap_calls, l->n_calls + 1, sizeof(*l->calls)))
		l->calls[l->n_calls++] = (struct tdxsim_linux_seamcall){
			fn, status, platform_current_lp(l->p) };
	pthread_mutex_unlock(&l->lock);
	return status;
}

static unsigned op_nr_cpus(void *ctx)
{
	return platform_nr_lps(((struct tdxsim_linux *)ctx)->p);
}

static int op_this_cpu(void *ctx)
{
	return platform_current_lp(((struct tdxsim_linux *)ctx)->p);
}

static bool op_cpu_online(void *ctx, unsigned cpu)
{
	return platform_lp_online(((struct tdxsim_linux *)ctx)->p, cpu);
}

static unsigned op_cpu_package(void *ctx, unsigned cpu)
{
	return platform_lp_package(((struct tdxsim_linux *)ctx)->p, cpu);
}

static int op_on_cpu(void *ctx, unsigned cpu, int (*fn)(void *), void *arg)
{
	return platform_on_lp(((struct tdxsim_linux *)ctx)->p, cpu, fn, arg);
}

static int op_cpu_yield(void *ctx)
{
	return platform_yield_lp(((struct tdxsim_linux *)ctx)->p);
}

static void op_cpu_resume(void *ctx, int cpu)
{
	platform_resume_lp(((struct tdxsim_linux *)ctx)->p, cpu);
}

static void op_hotplug_lock(void *ctx, int which, bool write)
{
	platform_hotplug_lock(((struct tdxsim_linux *)ctx)->p,
			      (enum platform_hotplug_lock)which, write);
}

static void op_hotplug_unlock(void *ctx, int which)
{
	platform_hotplug_unlock(((struct tdxsim_linux *)ctx)->p,
				(enum platform_hotplug_lock)which);
}

static int op_vmxon(void *ctx)
{
	return platform_vmxon(((struct tdxsim_linux *)ctx)->p);
}

static int op_vmxoff(void *ctx)
{
	return platform_vmxoff(((struct tdxsim_linux *)ctx)->p);
}

static bool op_rdmsr(void *ctx, uint32_t msr, uint64_t *v)
{
	struct platform *p = ((struct tdxsim_linux *)ctx)->p;
	int cpu = platform_current_lp(p);

	return cpu >= 0 && platform_rdmsr(p, (unsigned)cpu, msr, v);
}

static bool op_wrmsr(void *ctx, uint32_t msr, uint64_t v)
{
	struct platform *p = ((struct tdxsim_linux *)ctx)->p;
	int cpu = platform_current_lp(p);

	return cpu >= 0 && platform_wrmsr(p, (unsigned)cpu, msr, v);
}

static void op_cpuid(void *ctx, unsigned cpu, uint32_t leaf, uint32_t sub,
		     uint32_t out[4])
{
	platform_cpuid(((struct tdxsim_linux *)ctx)->p, cpu, leaf, sub, out);
}

static void op_wbinvd(void *ctx, unsigned cpu)
{
	platform_wbinvd(((struct tdxsim_linux *)ctx)->p);
}

/* memblock.memory: the map's System RAM, whole pages, as the kernel
 * registers it from e820. */
static unsigned op_mem_ranges(void *ctx, struct klx_mem_range *out, unsigned max)
{
	const struct tdxsim_platform_config *c = platform_config(((struct tdxsim_linux *)ctx)->p);
	unsigned n = 0;

	for (size_t i = 0; i < c->n_memmap && n < max; i++) {
		const struct tdxsim_mem_range *r = &c->memmap[i];
		uint64_t s = (r->base + 4095) & ~4095ULL, e = (r->base + r->size) & ~4095ULL;

		if (r->type == TDXSIM_MEM_RAM && e > s)
			out[n++] = (struct klx_mem_range){ s, e, (int)r->node };
	}
	return n;
}

static unsigned op_nr_nodes(void *ctx)
{
	const struct tdxsim_platform_config *c = platform_config(((struct tdxsim_linux *)ctx)->p);
	unsigned n = c->packages;

	for (size_t i = 0; i < c->n_memmap; i++)
		if (c->memmap[i].node + 1 > n)
			n = c->memmap[i].node + 1;
	return n;
}

static int op_mem_adopt(void *ctx, uint64_t pa, void *host, size_t len)
{
	return platform_mem_adopt(((struct tdxsim_linux *)ctx)->p, pa, host, len) ? -EINVAL : 0;
}

static int op_mem_release(void *ctx, uint64_t pa, size_t len)
{
	return platform_mem_release(((struct tdxsim_linux *)ctx)->p, pa, len) ? -EINVAL : 0;
}

/* MOVDIR64B: a direct 64-byte store, which takes the whole line back to
 * the host KeyID with no poison, then its bytes. */
static int op_movdir64b(void *ctx, uint64_t pa, const void *src)
{
	static const uint8_t zero[64];
	struct platform *p = ((struct tdxsim_linux *)ctx)->p;

	if (platform_mem_reset_lines(p, pa, 64))
		return -EINVAL;
	if (memcmp(src, zero, 64) && platform_mem_write(p, pa, src, 64))
		return -EINVAL;
	return 0;
}

static unsigned op_phys_bits(void *ctx)
{
	return platform_keyid_shift(((struct tdxsim_linux *)ctx)->p);
}

static const struct klx_ops ops_template = {
	.log = op_log, .seamcall = op_seamcall, .nr_cpus = op_nr_cpus,
	.this_cpu = op_this_cpu, .cpu_online = op_cpu_online,
	.cpu_package = op_cpu_package, .on_cpu = op_on_cpu,
	.cpu_yield = op_cpu_yield, .cpu_resume = op_cpu_resume,
	.hotplug_lock = op_hotplug_lock, .hotplug_unlock = op_hotplug_unlock,
	.vmxon = op_vmxon, .vmxoff = op_vmxoff, .rdmsr = op_rdmsr,
	.wrmsr = op_wrmsr, .cpuid = op_cpuid, .wbinvd = op_wbinvd,
	.mem_ranges = op_mem_ranges, .nr_nodes = op_nr_nodes,
	.mem_adopt = op_mem_adopt, .mem_release = op_mem_release,
	.movdir64b = op_movdir64b, .phys_bits = op_phys_bits,
};

/* ---- loading: a private copy per boot ---- */

/* dlopen() returns the loaded copy again for the same file (or the same
 * name), so each boot opens its own in-memory copy, whose descriptor it
 * keeps open meanwhile so that no later copy gets its name: fresh kernel
 * globals every time. */
static void *load_copy(const char *path, int *fd, char *err, size_t errlen)
{
	int in = open(path, O_RDONLY | O_CLOEXEC), out = -1;
	char buf[65536], name[64];
	void *dl = NULL;
	ssize_t n;

	if (in < 0) {
		snprintf(err, errlen, "cannot open the kernel object %s: %s", path, strerror(errno));
		return NULL;
	}
	out = memfd_create("tdxsim-linux-kernel", MFD_CLOEXEC);
	if (out < 0) {
		snprintf(err, errlen, "memfd_create: %s", strerror(errno));
		goto done;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			snprintf(err, errlen, "copying the kernel object: %s", strerror(errno));
			goto done;
		}
	snprintf(name, sizeof(name), "/proc/self/fd/%d", out);
	dl = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!dl)
		snprintf(err, errlen, "cannot load the kernel object %s: %s", path, dlerror());
done:
	close(in);
	if (dl)
		*fd = out;
	else if (out >= 0)
		close(out);
	return dl;
}

static int setup_on_cpu(struct tdxsim_linux *l, const struct klx_options *ko);

struct tdxsim_linux *tdxsim_linux_create(struct platform *p,
					 const struct tdxsim_linux_options *o,
					 char *err, size_t errlen)
{
	struct tdxsim_linux *l = calloc(1, sizeof(*l));
	const char *path = o && o->kernel_object ? o->kernel_object : tdxsim_linux_default_object();
	struct klx_options ko = { .hibernation = o && o->hibernation };
	klx_entry_fn entry;
	int r;

	if (!l) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!path) {
		snprintf(err, errlen, "this build has no kernel object (configure with a kernel tree: docs/linux.md)");
		free(l);
		return NULL;
	}
	l->p = p;
	l->fd = -1;
	if (o)
		l->opt = *o;
	l->t0_ns = now_ns();
	pthread_mutex_init(&l->lock, NULL);
	l->dl = load_copy(path, &l->fd, err, errlen);
	if (!l->dl)
		goto fail;
	entry = (klx_entry_fn)dlsym(l->dl, KLX_ENTRY_SYMBOL);
	l->k = entry ? entry() : NULL;
	if (!l->k || l->k->abi != KLX_ABI_VERSION) {
		snprintf(err, errlen, "%s is not a tdxsim kernel object of ABI %d", path, KLX_ABI_VERSION);
		l->k = NULL;   /* never set up: nothing to tear down */
		goto fail;
	}
	l->ops = ops_template;
	l->ops.ctx = l;
	r = setup_on_cpu(l, &ko);
	if (r) {
		snprintf(err, errlen, "the kernel environment did not start (%d)", r);
		l->k = NULL;
		goto fail;
	}
	return l;
fail:
	tdxsim_linux_destroy(l);
	return NULL;
}

void tdxsim_linux_destroy(struct tdxsim_linux *l)
{
	if (!l)
		return;
	if (l->k)
		l->k->teardown();
	if (l->dl)
		dlclose(l->dl);
	if (l->fd >= 0)
		close(l->fd);
	pthread_mutex_destroy(&l->lock);
	free(l->log);
	free(l->calls);
	free(l);
}

/* ---- calls into the kernel, each on a CPU ---- */

struct on_cpu0 {
	struct tdxsim_linux *l;
	bool bound;
};

static struct on_cpu0 enter(struct tdxsim_linux *l)
{
	struct on_cpu0 c = { l, false };

	if (platform_current_lp(l->p) < 0) {
		for (unsigned cpu = 0; cpu < platform_nr_lps(l->p); cpu++)
			if (platform_lp_online(l->p, cpu) && !platform_bind(l->p, cpu)) {
				c.bound = true;
				break;
			}
	}
	return c;
}

static void leave(struct on_cpu0 c)
{
	if (c.bound)
		platform_unbind(c.l->p);
}

/* The environment reads the boot CPU's identity as it starts. */
static int setup_on_cpu(struct tdxsim_linux *l, const struct klx_options *ko)
{
	struct on_cpu0 c = enter(l);
	int r = l->k->setup(&l->ops, ko);

	leave(c);
	return r;
}

const char *tdxsim_linux_release(const struct tdxsim_linux *l)
{
	return l->k->release;
}

void tdxsim_linux_tdx_init(struct tdxsim_linux *l)
{
	struct on_cpu0 c = enter(l);

	l->k->tdx_init();
	leave(c);
}

int tdxsim_linux_kvm_bringup(struct tdxsim_linux *l)
{
	struct on_cpu0 c = enter(l);
	int r = l->k->kvm_bringup();

	leave(c);
	return r;
}

int tdxsim_linux_tdx_enable(struct tdxsim_linux *l)
{
	struct on_cpu0 c = enter(l);
	int r = l->k->tdx_enable();

	leave(c);
	return r;
}

static int vmxoff_here(void *p)
{
	return platform_vmxoff(p);
}

int tdxsim_linux_tdx_enable_unlocked(struct tdxsim_linux *l)
{
	struct on_cpu0 c = enter(l);
	int r = l->k->tdx_enable_unlocked();

	leave(c);
	return r;
}

int tdxsim_linux_cpu_online(struct tdxsim_linux *l, unsigned cpu)
{
	struct on_cpu0 c;
	int r;

	if (cpu >= platform_nr_lps(l->p))
		return -EINVAL;
	/* cpu_up(): the CPU comes up and its callbacks run under the
	 * hotplug lock held for writing, all as one step. */
	platform_hotplug_lock(l->p, PLATFORM_CPU_HOTPLUG, true);
	r = platform_lp_online(l->p, cpu) ? -EINVAL : platform_lp_set_online(l->p, cpu, true);
	if (!r) {
		c = enter(l);
		r = l->k->cpu_online(cpu);
		leave(c);
		if (r) {
			if (platform_lp_in_vmx(l->p, cpu))
				platform_on_lp(l->p, cpu, vmxoff_here, l->p);
			platform_lp_set_online(l->p, cpu, false);
		}
	}
	platform_hotplug_unlock(l->p, PLATFORM_CPU_HOTPLUG);
	return r;
}

int tdxsim_linux_memory_online(struct tdxsim_linux *l, uint64_t start,
			       uint64_t size, int node)
{
	struct on_cpu0 c = enter(l);
	int r = l->k->memory_online(start, size, node);

	leave(c);
	return r;
}

const char *tdxsim_linux_mce_info(struct tdxsim_linux *l, uint64_t pa)
{
	/* A valid, uncorrected memory-controller error (MCACOD 0x9f) with
	 * ADDRV and MISCV, physical address mode and LSB 12. */
	const uint64_t status = (1ULL << 63) | (1ULL << 61) | (1ULL << 59) |
				(1ULL << 58) | 0x9f;
	const uint64_t misc = (2ULL << 6) | 12;
	struct on_cpu0 c = enter(l);
	const char *s = l->k->dump_mce_info(pa, status, misc);

	leave(c);
	return s;
}

unsigned tdxsim_linux_tdmrs(const struct tdxsim_linux *l,
			    const struct tdxsim_linux_tdmr **out)
{
	*out = l->tdmrs;
	return l->n_tdmrs;
}

uint64_t tdxsim_linux_pamt_bytes(const struct tdxsim_linux *l)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < l->n_tdmrs; i++)
		sum += l->tdmrs[i].info.pamt_4k_size + l->tdmrs[i].info.pamt_2m_size +
		       l->tdmrs[i].info.pamt_1g_size;
	return sum;
}

size_t tdxsim_linux_seamcalls(const struct tdxsim_linux *l,
			      const struct tdxsim_linux_seamcall **out)
{
	*out = l->calls;
	return l->n_calls;
}

const char *tdxsim_linux_log(const struct tdxsim_linux *l)
{
	return l->log ? l->log : "";
}

void tdxsim_linux_counts(const struct tdxsim_linux *l,
			 struct tdxsim_linux_counts *out)
{
	struct klx_counts k;

	l->k->counts(&k);
	*out = (struct tdxsim_linux_counts){ k.warns, k.lockdep, k.bad_pa, k.allocs,
					     k.frees, k.live_allocs, k.live_bytes };
}

unsigned tdxsim_linux_ledger(const struct tdxsim_linux *l,
			     struct tdxsim_linux_alloc *out, unsigned max)
{
	struct klx_alloc a[256];
	unsigned n = l->k->ledger(a, 256);

	for (unsigned i = 0; i < n && i < max && i < 256; i++)
		out[i] = (struct tdxsim_linux_alloc){ a[i].pa, a[i].bytes, a[i].kind };
	return n;
}

const char *tdxsim_linux_default_object(void)
{
#ifdef TDXSIM_LINUX_OBJECT
	const char *env = getenv("TDXSIM_LINUX_OBJECT");

	return env && *env ? env : TDXSIM_LINUX_OBJECT;
#else
	const char *env = getenv("TDXSIM_LINUX_OBJECT");

	return env && *env ? env : NULL;
#endif
}
