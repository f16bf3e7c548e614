/* SPDX-License-Identifier: MIT */
/*
 * The runner's TDs: what `td create` built, where their pages come from,
 * and the vCPU loop behind `td run` and `tdcall`, in which the runner
 * plays a small VMM (docs/scripting.md, "TDs").
 */
#ifndef TDXSIM_SCRIPT_TD_H
#define TDXSIM_SCRIPT_TD_H

#include "script_int.h"
#include "tdxsim/abi.h"

#define SCRIPT_MAX_VCPUS 8
#define SCRIPT_CONSOLE   4096

enum rv_state {
	RV_FRESH,               /* never entered */
	RV_PARKED,              /* the agent waits for a command */
	RV_RUNNING,             /* entered, not the agent waiting */
	RV_ENDED,               /* will not be entered again */
};

struct rt_vcpu {
	uint64_t tdvpr;
	unsigned lp;            /* where VP.INIT associated it */
	uint8_t state;
	uint8_t end;            /* enum run_end once ENDED */
	uint64_t end_value;     /* exit code, fatal code or the entry's status */
};

struct rt_td {
	uint64_t tdr;
	uint16_t hkid;
	unsigned ntdcx, nvcpus;
	uint64_t tdcx[TDX_MAX_NUM_TDCS_PAGES];
	struct rt_vcpu v[SCRIPT_MAX_VCPUS];
	bool own_pages;         /* pages=ADDR: taken from page_next upward */
	uint64_t page_next;
	unsigned sept_top;      /* level of the S-EPT root's children: 3 or 4 */
	uint64_t shared_bit;
	size_t console_len, console_shown;  /* shown: printed up to there */
	char console[SCRIPT_CONSOLE];
};

/* A `td create` under way (run_td_build.c, run_td_create.c). */
struct build {
	struct runner *r;
	const struct td_create_step *c;
	struct rt_td *td;
	unsigned lp;            /* where the vCPUs are initialised */
	int rc;                 /* a run error */
	uint64_t status;        /* the first failure, else TDX_SUCCESS */
	uint64_t failed;        /* its leaf */
	uint64_t src;           /* a host page: TD_PARAMS, PAGE.ADD sources */
};
/* The SEAMCALLs; false once the build stopped (a failure in status,
 * or a run error in rc). */
bool td_build(struct build *b);
bool build_page(struct build *b, uint64_t *pa);
/* An option's value, dflt when it is not given. */
bool build_opt(struct build *b, bool has, const struct expr *e, uint64_t dflt,
	       uint64_t *v);

/* run_pool.c: pages for TDs (the pool, or a TD's own range). */
bool rt_page(struct runner *r, struct rt_td *td, uint64_t *pa);
/* Gives back the page rt_page handed out last (an unused S-EPT page). */
void rt_page_unget(struct runner *r, struct rt_td *td, uint64_t pa);
/* The TD a step names (td=TDR), or the last one built. */
struct rt_td *rt_td_find(struct runner *r, bool has, const struct expr *e);
/* SEPT.ADD (version 1, existing entries allowed) for every S-EPT page
 * GPA needs down to `level` (1: its 4 KiB page table), on LP lp;
 * *status is the first failure's, else TDX_SUCCESS. */
int rt_sept_path(struct runner *r, struct rt_td *td, uint64_t gpa,
		 unsigned level, int lp, uint64_t *status);

/* run_vcpu.c: enters vCPU v until the agent speaks (*agent true, its
 * message in *exit) or the vCPU ends (state ENDED). reply holds what the
 * next entry loads into the guest's selected registers. */
int vcpu_run(struct runner *r, struct rt_td *td, unsigned v,
	     struct tdx_module_args *reply, struct tdx_module_args *exit,
	     bool *agent);
const char *run_end_name(unsigned end);
/* "exit=0x0", "halted", "a refused entry (TDX_OP_STATE_INCORRECT)". */
char *run_end_text(unsigned end, uint64_t value, char *buf, size_t len);
/* Prints what the guest wrote since the last call, whole lines only
 * unless all (the run is over). */
void console_show(struct runner *r, struct rt_td *td, bool all);

#endif
