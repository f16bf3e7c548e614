/* SPDX-License-Identifier: MIT */
/*
 * The kick (docs/vmm.md): an IPI makes a vCPU that runs inside its guest
 * take an EXTERNAL_INTERRUPT TD exit at its next instruction boundary;
 * the VMM waits for that before TDH.MEM.PAGE.REMOVE (linux §5), so a zap
 * while another vCPU spins in the guest succeeds.
 *
 *  - the module's side: the exit registers of abi §7.2 and a resume with
 *    the guest's state intact, with TDH.VP.ENTER called directly;
 *  - a kick with no vCPU in the guest returns at once;
 *  - IPIs into a TDCALL loop under the VMM: the program's result holds;
 *  - MapGPA to shared by vCPU 0 while the others spin in the guest, once
 *    and for 200 rounds;
 *  - a kick right after the re-entry gate opens, with the vCPUs waking.
 *
 * The guest programs are this file's own (platform_add_guest_program);
 * vCPUs meet in a page added with the initial image, so a spinner never
 * faults and leaves the guest only when it is interrupted.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers/host_machine.h"
#include "helpers/td_guest.h"
#include "host/page_alloc.h"
#include "module/td.h"
#include "tdxsim/guest.h"
#include "tdxsim/inject.h"
#include "tdxsim/tdcall.h"
#include "vmm/vmm.h"
#include "vmm/vmm_internal.h"

#define SYNC_GPA   TDX_GUEST_FREE_GPA              /* added with the image */
#define SPIN_GPA(i) (SYNC_GPA + 0x1000 * (1 + (i))) /* vCPU i's page (added) */
#define ZAP_GPA    (TDX_GUEST_FREE_GPA + 0x100000) /* converted back and forth */
#define MAX_VCPUS  4
#define DEADLINE_S 30

/* The vCPUs meet through the test's atomics, not guest memory: the
 * simulator's guest accesses are plain copies, so vCPUs sharing a word
 * would be a data race to TSan (a CPU's aligned 8-byte access is atomic).
 * Each vCPU's own accesses still give it its instruction boundaries. */
static _Atomic uint64_t sync_round, sync_stop, sync_ready[MAX_VCPUS];
/* A lock the zap of round 1 finds busy once (-1: none), on this platform. */
static int busy_kind = -1;
static struct platform *busy_platform;

static void reset_sync(void)
{
	atomic_store(&sync_round, 0);
	atomic_store(&sync_stop, 0);
	for (unsigned i = 0; i < MAX_VCPUS; i++)
		atomic_store(&sync_ready[i], 0);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rd64(struct tdx_guest *g, uint64_t gpa)
{
	uint64_t v;

	tdx_read(g, gpa, &v, sizeof(v));
	return v;
}

static void wr64(struct tdx_guest *g, uint64_t gpa, uint64_t v)
{
	tdx_write(g, gpa, &v, sizeof(v));
}

/* TDG.VP.INFO: false when its outputs are not this vCPU's. */
static bool vp_info_ok(struct tdx_guest *g)
{
	uint64_t gpr[16] = { [TDX_GPR_RAX] = TDG_VP_INFO };

	return tdx_tdcall(g, gpr) == TDX_SUCCESS && gpr[TDX_GPR_RCX] == 48 &&
	       gpr[TDX_GPR_R9] == tdx_vcpu_index(g) &&
	       (gpr[TDX_GPR_R8] & 0xFFFFFFFF) == tdx_nr_vcpus(g);
}

/* ---- "kickzap ROUNDS": vCPU 0 converts, the others spin ---- */

/* Exit codes: 2 deadline, 3 memory changed under the spinner, 4 a TDCALL
 * answered wrong, 5 MapGPA to shared failed, 6 to private failed, 7 the
 * converted page read back wrong. */
static int spinner(struct tdx_guest *g)
{
	unsigned i = tdx_vcpu_index(g);
	uint64_t acked = 0, own = SPIN_GPA(i);
	double deadline = now_s() + DEADLINE_S;

	for (uint64_t it = 1;; it++) {
		uint64_t r, v;

		wr64(g, own + (it % 512) * 8, it ^ i);
		if (rd64(g, own + (it % 512) * 8) != (it ^ i))
			return 3;
		/* Odd spinners mix TDCALLs into the loop. */
		if ((i & 1) && !(it % 4) && !vp_info_ok(g))
			return 4;
		r = atomic_load(&sync_round);
		if (r != acked) {
			atomic_store(&sync_ready[i], r);
			acked = r;
		}
		if (atomic_load(&sync_stop))
			return 0;
		if (!(it % 1024) && now_s() > deadline)
			return 2;
		v = rd64(g, own + ((it - 1) % 512) * 8);
		if (it > 1 && v != ((it - 1) ^ i))
			return 3;
	}
}

static int converter(struct tdx_guest *g, unsigned rounds)
{
	double deadline = now_s() + DEADLINE_S;
	uint64_t shared = tdx_shared_bit(g);
	int ret = 0;

	for (uint64_t r = 1; r <= rounds && !ret; r++) {
		bool all;

		/* Private: faults in (AUG, #VE, accept) and is the guest's. */
		wr64(g, ZAP_GPA, r * 0x1111);
		if (rd64(g, ZAP_GPA) != r * 0x1111) {
			ret = 7;
			break;
		}
		atomic_store(&sync_round, r);
		do {    /* every spinner is in the guest, past the round start */
			all = rd64(g, SPIN_GPA(0)) == 0;   /* a boundary */
			for (unsigned i = 1; i < tdx_nr_vcpus(g); i++)
				all &= atomic_load(&sync_ready[i]) == r;
			if (now_s() > deadline)
				ret = 2;
		} while (!all && !ret);
		if (ret)
			break;
		/* The zap: BLOCK, TRACK, kick, REMOVE while they spin. The
		 * spinners make no entries, so an injected busy lock hits
		 * the zap's own SEAMCALL: its one retry behind the gate. */
		if (r == 1 && busy_kind >= 0 &&
		    tdxsim_inject(busy_platform, (enum tdxsim_inject)busy_kind, 1)) {
			ret = 8;
			break;
		}
		if (tdx_map_gpa(g, ZAP_GPA, 4096, true) != TDVMCALL_STATUS_SUCCESS) {
			ret = 5;
			break;
		}
		/* A fresh shared page: zeros, then the guest's bytes. */
		if (rd64(g, ZAP_GPA | shared) != 0) {
			ret = 7;
			break;
		}
		wr64(g, ZAP_GPA | shared, r);
		if (tdx_map_gpa(g, ZAP_GPA, 4096, false) != TDVMCALL_STATUS_SUCCESS)
			ret = 6;
	}
	atomic_store(&sync_stop, 1);
	return ret;
}

static int kickzap_main(struct tdx_guest *g, int argc, char **argv)
{
	unsigned rounds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1;

	return tdx_vcpu_index(g) ? spinner(g) : converter(g, rounds);
}

static const struct tdx_guest_program kickzap_prog = {
	.name = "kickzap", .usage = "kickzap [ROUNDS]", .main = kickzap_main,
};

/* ---- "tdcall-loop": TDCALLs and TDVMCALLs until the host says stop ---- */

static _Atomic bool loop_started, loop_stop;
static _Atomic uint64_t loop_iterations;

static int tdcall_loop_main(struct tdx_guest *g, int argc, char **argv)
{
	uint32_t first[4], regs[4];
	uint64_t sum = 0, want = 0, it;

	(void)argc;
	(void)argv;
	if (tdx_ghci_cpuid(g, 0, 0, first))
		return 4;
	atomic_store(&loop_started, true);
	for (it = 1; !atomic_load(&loop_stop) || it < 1000; it++) {
		if (!vp_info_ok(g))
			return 4;
		/* A TDVMCALL's outputs reach the guest through any interrupt. */
		if (!(it % 16) && (tdx_ghci_cpuid(g, 0, 0, regs) || memcmp(regs, first, sizeof(regs))))
			return 5;
		wr64(g, SPIN_GPA(0) + (it % 512) * 8, it);
		sum += rd64(g, SPIN_GPA(0) + (it % 512) * 8);
		want += it;
	}
	atomic_store(&loop_iterations, it);
	return sum == want ? 0 : 3;
}

static const struct tdx_guest_program tdcall_loop_prog = {
	.name = "tdcall-loop", .usage = "tdcall-loop", .main = tdcall_loop_main,
};

/* ---- "spin": every vCPU spins until sync_stop ---- */

static _Atomic unsigned spinners_started;

static int spin_main(struct tdx_guest *g, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	atomic_fetch_add(&spinners_started, 1);
	return spinner(g);
}

static const struct tdx_guest_program spin_prog = {
	.name = "spin", .usage = "spin", .main = spin_main,
};

/* ---- a TD under the VMM ---- */

struct ctx {
	struct hm hm;
	struct vmm *vmm;
	uint64_t free0;
	const char *prog;
	char *arg;
	unsigned vcpus;
	bool no_run;
	int run_ret;
	struct vm_run_result res;
	struct vm *vm;
	uint64_t kicks, ipis;
	void (*before_run)(struct ctx *c);
	void (*check)(struct ctx *c);
};

static void setup(struct ctx *c, const char *prog, unsigned vcpus)
{
	memset(c, 0, sizeof(*c));
	hm_boot_small(&c->hm, TDXSIM_PROFILE_1_5, MEMHP_STRICT);
	assert_int_equal(platform_add_guest_program(c->hm.p, &kickzap_prog), 0);
	assert_int_equal(platform_add_guest_program(c->hm.p, &tdcall_loop_prog), 0);
	assert_int_equal(platform_add_guest_program(c->hm.p, &spin_prog), 0);
	c->vmm = vmm_create(c->hm.h);
	assert_non_null(c->vmm);
	c->free0 = page_alloc_free_bytes(c->hm.h->pages);
	c->prog = prog;
	c->vcpus = vcpus;
}

static void teardown(struct ctx *c)
{
	assert_int_equal(page_alloc_free_bytes(c->hm.h->pages), c->free0);
	assert_int_equal(vmm_hkids_in_use(c->vmm), 0);
	vmm_destroy(c->vmm);
	hm_free(&c->hm);
}

static int build_and_run(void *arg)
{
	struct ctx *c = arg;
	struct td_config cfg = { .vcpus = c->vcpus, .memory_bytes = 32ULL << 20 };
	uint8_t image[TDX_GUEST_IMAGE_BYTES];
	static uint8_t zeros[(1 + MAX_VCPUS) * 4096];
	char *argv[1] = { c->arg };
	char err[320] = "";

	assert_int_equal(tdx_guest_image(c->prog, c->arg != NULL, argv, image), 0);
	if (vm_create(c->vmm, &cfg, &c->vm, err, sizeof(err)))
		fail_msg("vm_create: %s", err);
	assert_int_equal(vm_init_vcpus(c->vm), 0);
	assert_int_equal(vm_init_mem_region(c->vm, 0, image, sizeof(image)), 0);
	/* The meeting page and one page per vCPU, mapped from the start. */
	assert_int_equal(vm_init_mem_region(c->vm, SYNC_GPA, zeros, sizeof(zeros)), 0);
	assert_int_equal(vm_finalize(c->vm), 0);
	if (c->before_run)
		c->before_run(c);
	if (!c->no_run)
		c->run_ret = vm_run(c->vm, NULL, &c->res);
	c->kicks = vm_kicks(c->vm);
	c->ipis = vm_kick_ipis(c->vm);
	c->check(c);
	vm_destroy(c->vm);
	return 0;
}

static void run(struct ctx *c)
{
	assert_int_equal(hm_on_lp(&c->hm, 0, build_and_run, c), 0);
}

static void report(const struct ctx *c)
{
	for (unsigned i = 0; i < c->res.n_vcpus; i++) {
		const struct vm_vcpu_result *r = &c->res.vcpu[i];

		print_message("vCPU %u: %s, code %d, status 0x%llx, %llu entries, "
			      "%llu interrupt exits\n", i, vm_vcpu_end_name(r->end),
			      r->exit_code, (unsigned long long)r->status,
			      (unsigned long long)r->entries,
			      (unsigned long long)r->exits[TDX_EXIT_EXTERNAL_INTERRUPT]);
	}
	if (vm_bugged(c->vm))
		print_message("VM bugged: %s\n", vm_error(c->vm));
}

/* ---- (a) and (d): the zap while other vCPUs spin in the guest ---- */

static unsigned zap_rounds;

static void check_zap(struct ctx *c)
{
	if (c->run_ret != 0 || vm_bugged(c->vm))
		report(c);
	assert_false(vm_bugged(c->vm));
	assert_int_equal(c->run_ret, 0);
	for (unsigned i = 0; i < c->vcpus; i++) {
		assert_int_equal(c->res.vcpu[i].end, VCPU_END_EXITED);
		assert_int_equal(c->res.vcpu[i].exit_code, 0);
	}
	/* Each round's MapGPA to shared zapped one page; each zap's TRACK
	 * was followed by a kick that found every spinner in the guest. */
	assert_int_equal(c->res.vcpu[0].vmcalls[VMCALL_MAP_GPA], 2 * zap_rounds);
	assert_true(c->kicks >= zap_rounds + (busy_kind >= 0));   /* + the retry's */
	for (unsigned i = 1; i < c->vcpus; i++)
		assert_true(c->res.vcpu[i].exits[TDX_EXIT_EXTERNAL_INTERRUPT] >= 1);
	assert_true(c->ipis >= zap_rounds * (c->vcpus - 1));
	/* The page is private again and unmapped until touched. */
	assert_int_equal(vm_private_hpa(c->vm, ZAP_GPA), 0);
}

static void run_zap_busy(unsigned vcpus, unsigned rounds, int busy)
{
	static char arg[16];
	struct ctx c;

	setup(&c, "kickzap", vcpus);
	busy_kind = busy;
	busy_platform = c.hm.p;
	snprintf(arg, sizeof(arg), "%u", rounds);
	c.arg = arg;
	zap_rounds = rounds;
	reset_sync();
	c.check = check_zap;
	run(&c);
	teardown(&c);
	busy_kind = -1;
}

static void run_zap(unsigned vcpus, unsigned rounds)
{
	run_zap_busy(vcpus, rounds, -1);
}

/* TRACK (epoch lock) and BLOCK (S-EPT entry lock) busy once: the retry
 * runs with the spinners kicked out and held at the re-entry gate. */
static void test_zap_retry_behind_gate(void **state)
{
	(void)state;
	run_zap_busy(3, 3, TDXSIM_INJECT_EPOCH_LOCK);
	run_zap_busy(3, 3, TDXSIM_INJECT_SEPT_ENTRY_LOCK);
}

static void test_zap_while_vcpu_spins(void **state)
{
	(void)state;
	run_zap(2, 1);
}

static void test_zap_while_vcpus_spin_200_rounds(void **state)
{
	(void)state;
	run_zap(3, 200);
}

/* ---- (b) the kick with nobody in the guest ---- */

static void check_idle_kick(struct ctx *c)
{
	/* Never run: every vCPU is outside the guest, so each kick returns
	 * having kicked none (one that waited would hang the test until
	 * ctest's timeout). */
	for (unsigned i = 0; i < 100; i++)
		assert_int_equal(vm_kick_all_vcpus(c->vm), 0);
	assert_int_equal(vm_kicks(c->vm), c->kicks + 100);
	assert_int_equal(vm_kick_ipis(c->vm), 0);
	for (unsigned lp = 0; lp < platform_nr_lps(c->hm.p); lp++)
		assert_int_equal(platform_ipi_pending(c->hm.p, lp), 0);
	/* The re-entry gate opens and closes with nobody waiting. */
	vm_no_vcpus_enter_start(c->vm);
	vm_no_vcpus_enter_stop(c->vm);
}

static void test_kick_nobody_inside(void **state)
{
	struct ctx c;

	(void)state;
	setup(&c, "kickzap", 2);
	c.no_run = true;
	c.check = check_idle_kick;
	run(&c);
	teardown(&c);
}

/* ---- (c) IPIs into a TDCALL loop ---- */

struct sender {
	struct platform *p;
	unsigned lp, sent;
	bool send_failed;
};

static void *send_ipis(void *arg)
{
	struct sender *s = arg;
	double deadline = now_s() + DEADLINE_S;

	while (!atomic_load(&loop_started) && now_s() < deadline)
		sched_yield();
	for (; s->sent < 50 && now_s() < deadline; s->sent++) {
		if (platform_send_ipi(s->p, s->lp, TDX_CALL_FUNCTION_VECTOR))
			s->send_failed = true;
		/* Served (the guest exited and the host acknowledged). */
		while (platform_ipi_pending(s->p, s->lp) && now_s() < deadline)
			sched_yield();
	}
	atomic_store(&loop_stop, true);
	return NULL;
}

static struct sender sender;
static pthread_t sender_thread;

static void check_tdcall_loop(struct ctx *c)
{
	const struct vm_vcpu_result *r = &c->res.vcpu[0];

	pthread_join(sender_thread, NULL);
	if (c->run_ret)
		report(c);
	assert_int_equal(c->run_ret, 0);
	assert_int_equal(r->end, VCPU_END_EXITED);
	assert_int_equal(r->exit_code, 0);
	assert_false(sender.send_failed);
	assert_int_equal(sender.sent, 50);
	/* The guest was inside for the first IPI at least. */
	assert_true(r->exits[TDX_EXIT_EXTERNAL_INTERRUPT] >= 1);
	assert_true(r->exits[TDX_EXIT_EXTERNAL_INTERRUPT] <= 50);
	assert_true(atomic_load(&loop_iterations) >= 1000);
	assert_int_equal(platform_ipi_pending(c->hm.p, sender.lp), 0);
}

static int start_sender(void *arg)
{
	struct ctx *c = arg;

	sender = (struct sender){ .p = c->hm.p, .lp = 0 };
	assert_int_equal(pthread_create(&sender_thread, NULL, send_ipis, &sender), 0);
	return build_and_run(c);
}

static void test_ipi_into_tdcall_loop(void **state)
{
	struct ctx c;

	(void)state;
	atomic_store(&loop_started, false);
	atomic_store(&loop_stop, false);
	setup(&c, "tdcall-loop", 1);
	c.check = check_tdcall_loop;
	/* vCPU 0 was initialised on LP 0 (the caller's). */
	assert_int_equal(hm_on_lp(&c.hm, 0, start_sender, &c), 0);
	teardown(&c);
}

/* ---- (e) a kick right after the gate opens ---- */

#define GATE_ROUNDS 200

struct kicker {
	struct vm *vm;
	unsigned vcpus, done, kicked;
};

static struct kicker kicker;
static pthread_t kicker_thread;

/* The gate opens, and the kick that follows finds the vCPUs still
 * waking: outside the guest, about to enter. It must not wait for those
 * entries (the spinners would never exit on their own); it waits only
 * for the vCPUs it sent an IPI to, as KVM does. */
static void *gate_then_kick(void *arg)
{
	struct kicker *k = arg;
	double deadline = now_s() + DEADLINE_S;

	while (atomic_load(&spinners_started) < k->vcpus && now_s() < deadline)
		sched_yield();
	for (; k->done < GATE_ROUNDS; k->done++) {
		vm_no_vcpus_enter_start(k->vm);
		vm_no_vcpus_enter_stop(k->vm);
		vm_kick_all_vcpus(k->vm);
	}
	/* How often those kicks found a vCPU back inside is up to the
	 * scheduler. Once every spinner answers a round from the guest,
	 * a kick finds them there. */
	atomic_store(&sync_round, 1);
	for (unsigned i = 0; i < k->vcpus && now_s() < deadline; i++)
		while (atomic_load(&sync_ready[i]) != 1 && now_s() < deadline)
			sched_yield();
	k->kicked = vm_kick_all_vcpus(k->vm);
	atomic_store(&sync_stop, 1);
	return NULL;
}

static void start_kicker(struct ctx *c)
{
	kicker = (struct kicker){ .vm = c->vm, .vcpus = c->vcpus };
	assert_int_equal(pthread_create(&kicker_thread, NULL, gate_then_kick, &kicker), 0);
}

static void check_gate_kick(struct ctx *c)
{
	pthread_join(kicker_thread, NULL);
	if (c->run_ret)
		report(c);
	/* A kick left waiting holds the spinners to their deadline (2). */
	for (unsigned i = 0; i < c->vcpus; i++)
		assert_int_equal(c->res.vcpu[i].exit_code, 0);
	assert_int_equal(c->run_ret, 0);
	assert_int_equal(kicker.done, GATE_ROUNDS);
	assert_int_equal(c->kicks, 2 * GATE_ROUNDS + 1);
	assert_true(kicker.kicked >= 1);
}

static void test_kick_after_gate_opens(void **state)
{
	struct ctx c;

	(void)state;
	atomic_store(&spinners_started, 0);
	reset_sync();
	setup(&c, "spin", 3);
	c.before_run = start_kicker;
	c.check = check_gate_kick;
	run(&c);
	teardown(&c);
}

/* ---- the module's side, TDH.VP.ENTER called directly ---- */

static int body_result;

static int body_tdcalls(struct tdx_guest *g)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < 100; i++)
		sum += vp_info_ok(g) ? i : 1000000;
	body_result = (int)(sum == 99 * 100 / 2);
	return 0;
}

static void assert_interrupt_exit(struct tdg *x, uint8_t vector)
{
	struct tdx_module_args a;

	memset(&a, 0x5a, sizeof(a));
	assert_int_equal(tdg_enter(x, 0, 0, &a), TDX_SUCCESS | TDX_EXIT_EXTERNAL_INTERRUPT);
	assert_int_equal(a.rcx, 0);
	assert_int_equal(a.rdx, 0);
	assert_int_equal(a.r8, 0);
	assert_int_equal(a.r9, TDX_INTR_INFO_VALID | TDX_INTR_TYPE_EXT_INTR | vector);
	assert_int_equal(a.rbx, 0);
	assert_int_equal(a.rsi, 0);
	assert_int_equal(a.rdi, 0);
	assert_int_equal(a.r10, 0);
	assert_int_equal(a.r11, 0);
	assert_int_equal(a.r12, 0);
	assert_int_equal(a.r13, 0);
	assert_int_equal(a.r14, 0);
	assert_int_equal(a.r15, 0);
	/* Out of the guest: READY, and not counted in the TD epoch. */
	assert_int_equal(tdg_vcpu_state(x, 0), VCPU_READY);
	assert_int_equal(tdg_epoch_refcount(x, 0) + tdg_epoch_refcount(x, 1), 0);
}

static void test_module_interrupt_exit(void **state)
{
	struct tdg x;
	struct tdx_module_args a;
	struct platform *p;

	(void)state;
	tdg_simple(&x);
	p = x.t.hm.p;
	tdg_body = body_tdcalls;
	body_result = -1;
	assert_int_equal(platform_send_ipi(p, 0, 0x10), -EINVAL);
	assert_int_equal(platform_send_ipi(p, platform_nr_lps(p), 0xFC), -EINVAL);
	/* Pending before the entry: the firmware's first instruction exits. */
	assert_int_equal(platform_send_ipi(p, 0, 0xEC), 0);
	assert_int_equal(platform_send_ipi(p, 0, 0xFC), 0);   /* higher wins */
	assert_int_equal(platform_send_ipi(p, 0, 0x30), 0);   /* merged */
	assert_int_equal(platform_ipis_sent(p, 0), 3);
	assert_interrupt_exit(&x, 0xFC);
	/* An ASYNC_FAULT exit: the recoverability hint is refused. */
	a = (struct tdx_module_args){ .rcx = x.t.tdvpr[0] | TDX_VP_ENTER_HOST_RECOVERABILITY_HINT };
	assert_int_equal(tdm_sc(&x.t, 0, TDH_VP_ENTER, &a),
			 TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	/* The module does not acknowledge: until the host does, each entry
	 * exits again before the guest moves. */
	assert_int_equal(platform_ipi_pending(p, 0), 0xFC);
	assert_interrupt_exit(&x, 0xFC);
	assert_int_equal(platform_ack_ipi(p, 0), 0xFC);
	assert_int_equal(platform_ack_ipi(p, 0), 0);
	/* Another vector on another LP's pending word is not this guest's. */
	assert_int_equal(platform_send_ipi(p, 1, 0xFD), 0);
	/* The program then runs to its end with its TDCALLs intact. */
	memset(&a, 0, sizeof(a));
	assert_int_equal(tdg_enter(&x, 0, 0, &a), TDX_EXIT_TDCALL);
	assert_int_equal(a.r11, TDX_EXIT_IO);
	assert_int_equal(a.r14, TDX_GUEST_PORT_EXIT);
	assert_int_equal(a.r15, 0);
	assert_int_equal(body_result, 1);
	assert_int_equal(platform_ack_ipi(p, 1), 0xFD);
	tdg_teardown(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_module_interrupt_exit),
		cmocka_unit_test(test_kick_nobody_inside),
		cmocka_unit_test(test_ipi_into_tdcall_loop),
		cmocka_unit_test(test_zap_while_vcpu_spins),
		cmocka_unit_test(test_zap_while_vcpus_spin_200_rounds),
		cmocka_unit_test(test_zap_retry_behind_gate),
		cmocka_unit_test(test_kick_after_gate_opens),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
