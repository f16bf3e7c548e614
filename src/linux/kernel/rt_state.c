/* SPDX-License-Identifier: MIT */
/* The runtime: CPUs, interrupts, capabilities, printk and WARN. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rt.h"

struct klx_rt klx;

void klx_count(unsigned *what)
{
	pthread_mutex_lock(&klx.count_lock);
	(*what)++;
	pthread_mutex_unlock(&klx.count_lock);
}

int klx_this_cpu(void)
{
	int cpu = klx.ops.this_cpu(klx.ops.ctx);

	/* Kernel code always runs on a CPU; the bridge binds its callers. */
	if (cpu < 0) {
		klx_warn(__FILE__, __LINE__, "kernel code running on no CPU");
		return 0;
	}
	return cpu;
}

unsigned klx_nr_cpu_ids(void)
{
	return klx.ops.nr_cpus(klx.ops.ctx);
}

int klx_cpu_online(unsigned cpu)
{
	return cpu < klx_nr_cpu_ids() && klx.ops.cpu_online(klx.ops.ctx, cpu);
}

unsigned klx_cpu_package(unsigned cpu)
{
	return klx.ops.cpu_package(klx.ops.ctx, cpu);
}

int klx_next_online_cpu(int cpu)
{
	for (unsigned c = (unsigned)(cpu + 1); c < klx_nr_cpu_ids(); c++)
		if (klx_cpu_online(c))
			return (int)c;
	return -1;
}

unsigned klx_num_online_cpus(void)
{
	unsigned n = 0;

	for (unsigned c = 0; c < klx_nr_cpu_ids(); c++)
		n += klx_cpu_online(c) != 0;
	return n;
}

int klx_smp_call_on_cpu(unsigned cpu, int (*fn)(void *), void *arg)
{
	if (!klx_cpu_online(cpu))
		return -6;   /* -ENXIO, as smp_call_on_cpu() for an offline CPU */
	return klx.ops.on_cpu(klx.ops.ctx, cpu, fn, arg);
}

void klx_local_irq_disable(void)
{
	klx.irqs_off[klx_this_cpu()] = true;
}

void klx_local_irq_enable(void)
{
	klx.irqs_off[klx_this_cpu()] = false;
}

int klx_irqs_disabled(void)
{
	return klx.irqs_off[klx_this_cpu()];
}

static int wbinvd_here(void *unused)
{
	klx_wbinvd();
	return 0;
}

void klx_wbinvd(void)
{
	klx.ops.wbinvd(klx.ops.ctx, (unsigned)klx_this_cpu());
}

void klx_wbinvd_on_all_cpus(void)
{
	for (int c = klx_next_online_cpu(-1); c >= 0; c = klx_next_online_cpu(c))
		klx_smp_call_on_cpu((unsigned)c, wbinvd_here, NULL);
}

int klx_rdmsr_safe(unsigned msr, unsigned long long *v)
{
	uint64_t val = 0;

	if (!klx.ops.rdmsr(klx.ops.ctx, msr, &val)) {
		*v = 0;
		return -5;   /* -EIO: the #GP the kernel's exception fixup turns into */
	}
	*v = val;
	return 0;
}

void klx_cpuid(unsigned leaf, unsigned sub, unsigned out[4])
{
	klx.ops.cpuid(klx.ops.ctx, (unsigned)klx_this_cpu(), leaf, sub, out);
}

void klx_set_cap(unsigned bit)
{
	klx.caps[bit / 64 % 2] |= 1ULL << (bit % 64);
}

void klx_clear_cap(unsigned bit)
{
	klx.caps[bit / 64 % 2] &= ~(1ULL << (bit % 64));
}

int klx_has_cap(unsigned bit)
{
	return (klx.caps[bit / 64 % 2] >> (bit % 64)) & 1;
}

int klx_hibernation_available(void)
{
	return klx.opt.hibernation;
}

/* printk: the level from a leading KERN_<LEVEL>, then line by line. */
int klx_vprintk(const char *fmt, va_list ap)
{
	char buf[1024], *line, *nl;
	int level = 4, n;    /* default_message_loglevel */

	if (fmt[0] == '\001' && fmt[1]) {
		level = fmt[1] >= '0' && fmt[1] <= '7' ? fmt[1] - '0' : level;
		fmt += 2;
	}
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	for (line = buf; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		klx.ops.log(klx.ops.ctx, level, line);
		if (!nl)
			break;
	}
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = klx_vprintk(fmt, ap);
	va_end(ap);
	return n;
}

static const char *base_name(const char *file)
{
	const char *s = strrchr(file, '/');

	return s ? s + 1 : file;
}

/* The kernel's WARNING line, counted in *tally. */
static void warning(unsigned *tally, const char *file, int line, const char *what,
		    const char *text)
{
	char msg[512];

	klx_count(tally);
	snprintf(msg, sizeof(msg), "WARNING: CPU: %d at %s:%d: %s%s",
		 klx.ops.this_cpu(klx.ops.ctx), base_name(file), line, what, text);
	klx.ops.log(klx.ops.ctx, 4, msg);
}

void klx_warn(const char *file, int line, const char *cond)
{
	warning(&klx.counts.warns, file, line, "", cond);
}

void klx_lockdep_fail(const char *file, int line, const char *what)
{
	warning(&klx.counts.lockdep, file, line, "lockdep: ", what);
}
