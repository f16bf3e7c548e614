/* SPDX-License-Identifier: MIT */
/*
 * Scenario runner internals: the parsed program (steps, expressions,
 * pools), the parser and the runner. Not part of any public API.
 */
#ifndef TDXSIM_SCRIPT_INT_H
#define TDXSIM_SCRIPT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "script/script.h"
#include "tdxsim/inject.h"
#include "tdxsim/seamcall.h"

#define SCRIPT_MAX_LINE      4096        /* characters per line */
#define SCRIPT_MAX_TOKENS    64          /* tokens per line */
#define SCRIPT_MAX_CMDS      100000      /* commands per file */
#define SCRIPT_MAX_FILE      (4u << 20)  /* bytes per file */
#define SCRIPT_MAX_VARS      256
#define SCRIPT_MAX_NAME      63          /* variable name length */
#define SCRIPT_MAX_TERMS     16          /* terms in one a+b-c expression */
#define SCRIPT_MAX_DEPTH     16          /* nested repeat */
#define SCRIPT_MAX_REPEAT    1000000ULL  /* iterations of one repeat */
#define SCRIPT_MAX_BYTES     4096        /* bytes in one read/write */
#define SCRIPT_MAX_ZERO      (64ULL << 20) /* bytes in one `write ... zero` */
#define SCRIPT_DEFAULT_STEPS 100000000ULL
#define SCRIPT_NREGS         13          /* rcx rdx r8..r15 rbx rdi rsi */
#define SCRIPT_NO_VAR        (-1)
#define SCRIPT_NO_STR        UINT32_MAX

/* ---- values ---- */

enum term_kind { TERM_NUM, TERM_VAR };

struct term {
	uint64_t num;
	uint16_t var;
	uint8_t kind;
	uint8_t neg;
};

/* a+b-c: n terms starting at script->terms[first]. */
struct expr {
	uint32_t first;
	uint32_t n;
};

enum status_kind { ST_ANY, ST_SUCCESS, ST_ERROR, ST_CLASS, ST_EXACT };

struct status_spec {
	uint64_t value;
	uint8_t kind;
};

enum cmp_op { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };
enum cond_lhs { LHS_EXPR, LHS_REG, LHS_STATUS };

struct cond {
	struct expr a, b;
	struct status_spec st;
	uint32_t text;          /* the condition as written, for messages */
	uint8_t lhs, reg, op;
};

/* ---- steps ---- */

enum op {
	OP_PLATFORM, OP_SET, OP_LP, OP_VMX, OP_ONLINE, OP_WRITE, OP_READ,
	OP_SEAMCALL, OP_REPEAT, OP_END, OP_BREAK_IF, OP_ASSERT, OP_INJECT,
	OP_ECHO, OP_STRICT, OP_WRMSR, OP_RDMSR, OP_POOL, OP_POOL_TAKE,
	OP_TD_CREATE, OP_TD_RUN, OP_TD_FATAL, OP_TD_SEPT, OP_TDCALL,
};

struct plat_step {
	uint32_t path;          /* SCRIPT_NO_STR: the built-in default */
	unsigned packages, lpp; /* 0: unchanged */
	int profile;            /* -1: unchanged */
	int module;             /* -1: unchanged, else 0/1 */
	bool has_mem, has_tdx_keyids;
	struct expr mem, tdx_keyids;
};

enum mem_kind { MEM_VALUE, MEM_BYTES, MEM_ZERO };
enum mem_expect { MX_NONE, MX_VALUE, MX_BYTES, MX_POISON, MX_BAD_ADDR };

struct mem_step {
	struct expr addr, keyid;
	struct expr value;      /* value to write, or LEN for bytes/zero */
	uint32_t data, ndata;   /* bytes pool: data written or expected */
	int save;               /* variable, or SCRIPT_NO_VAR */
	uint8_t kind, width, expect;
	bool has_keyid;
};

/* seamcall, and tdcall (a TDCALL on a vCPU of a TD `td create` built). */
#define SC_SAVE_STATUS SCRIPT_NREGS
#define SC_SAVE_FIRED  (SCRIPT_NREGS + 1)
struct sc_step {
	uint64_t rax;
	struct expr version, lp, td, vcpu, fired;
	struct expr in[SCRIPT_NREGS], out[SCRIPT_NREGS];
	struct status_spec st;
	int16_t save[SCRIPT_NREGS + 2]; /* registers, then status, fired */
	uint16_t in_mask, out_mask;
	bool tdcall;
	bool has_version, has_lp, has_expect, has_td, has_vcpu, has_fired;
};

struct simple_step {
	struct expr e, e2;
	uint32_t str;
	int var;
	int kind;
	bool on, all;
	bool has_e, has_e2;
};

/* wrmsr / rdmsr: the MSR on the current LP, lp=N, or every LP (lp=all). */
enum msr_expect { MSRX_NONE, MSRX_VALUE, MSRX_GP };
struct msr_step {
	struct expr msr, value, lp;
	int save;
	bool has_lp, all_lps;
	uint8_t expect;
};

/* td create: what to save (save tdr|hkid|tdvpr[I]|tdcx[I] as NAME). */
enum td_what { TDW_TDR, TDW_HKID, TDW_TDVPR, TDW_TDCX, TDW_STATUS };
#define SCRIPT_MAX_TD_SAVES 8
#define SCRIPT_MAX_ADDS     8
struct td_save {
	uint8_t what;
	uint8_t index;
	int16_t var;
};

struct td_create_step {
	struct expr vcpus, params, attributes, xfam, hkid, lp, pages;
	struct expr add[SCRIPT_MAX_ADDS];
	uint32_t program, args;        /* strings; program NO_STR: the agent */
	struct status_spec st;
	struct td_save save[SCRIPT_MAX_TD_SAVES];
	uint8_t nadd, nsave;
	bool has_vcpus, has_params, has_attributes, has_xfam, has_hkid,
	     has_lp, has_pages, has_expect, no_program, finalize;
};

/* td run's expected ending, and td fatal / td sept. */
enum run_end { END_NONE, END_EXIT, END_HALT, END_GUEST_FATAL, END_SHUTDOWN,
	       END_TD_FATAL, END_ENTRY };
struct td_step {
	struct expr td, vcpu, gpa, level, value;
	struct status_spec st;         /* END_ENTRY: the refusing status */
	uint32_t console;              /* text the console must hold */
	uint8_t end;                   /* enum run_end expected, END_NONE: any */
	bool has_td, has_vcpu, has_level, has_value;
};

struct ctl_step {
	struct expr count;
	struct cond c;
	uint32_t partner;       /* repeat: its end; end, break-if: its repeat */
	uint8_t depth;
};

struct step {
	unsigned line;
	uint32_t file;          /* an included file's name; NO_STR: the script */
	uint32_t text;          /* the command's tokens, for -v */
	enum op op;
	union {
		struct plat_step plat;
		struct mem_step mem;
		struct sc_step sc;
		struct simple_step s;
		struct ctl_step ctl;
		struct msr_step msr;
		struct td_create_step tc;
		struct td_step td;
	} u;
};

struct script {
	struct step *steps;
	size_t nsteps, capsteps;
	struct term *terms;
	size_t nterms, capterms;
	uint8_t *bytes;
	size_t nbytes, capbytes;
	char *strs;
	size_t nstrs, capstrs;
	unsigned nvars;
	char vars[SCRIPT_MAX_VARS][SCRIPT_MAX_NAME + 1];
};

void script_free(struct script *s);
bool pool_grow(void **buf, size_t *cap, size_t need, size_t elem);
/* Appends a NUL-terminated copy; SCRIPT_NO_STR when out of memory. */
uint32_t script_add_str(struct script *s, const char *str, size_t len);
const char *script_str(const struct script *s, uint32_t off);
int script_var_find(const struct script *s, const char *name, size_t len);

/* ---- parser ---- */

struct tokens {
	unsigned n;
	const char *v[SCRIPT_MAX_TOKENS];
	char buf[SCRIPT_MAX_LINE + 1];
};

#define SCRIPT_MAX_INCLUDE 8        /* nested `include`s */

struct parser {
	struct script *s;
	const char *name;
	uint32_t file;          /* name in the string pool (NO_STR: the script) */
	FILE *err;
	unsigned line;
	unsigned includes;      /* `include`s open */
	bool no_include;        /* `include` refused (the fuzz harness) */
	unsigned depth;
	uint32_t open[SCRIPT_MAX_DEPTH];   /* step index of each open repeat */
	bool have_platform;
};

bool ps_error(struct parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool lex_line(struct parser *ps, const char *line, size_t len,
	      struct tokens *t);
bool parse_text(struct parser *ps, const char *text, size_t len);
/* The lines of one text, without the final check for open repeats. */
bool parse_lines(struct parser *ps, const char *text, size_t len);
/* `include PATH`: the file's lines, parsed in place. */
bool parse_include(struct parser *ps, const struct tokens *t);
/* dir(script) + path, or path itself when absolute; malloc'd. */
char *script_resolve(const char *script, const char *path);

bool parse_number(struct parser *ps, const char *tok, size_t len,
		  uint64_t *out);
bool parse_expr(struct parser *ps, const char *tok, struct expr *e);
bool expr_const(const struct script *s, const struct expr *e, uint64_t *v);
bool parse_var_name(struct parser *ps, const char *tok, int *var);
bool parse_status(struct parser *ps, const char *tok, struct status_spec *sp);
bool parse_cond(struct parser *ps, const struct tokens *t, unsigned from,
		struct cond *c);
bool parse_hex(struct parser *ps, const struct tokens *t, unsigned *i,
	       uint32_t *off, uint32_t *n);
bool check_echo_vars(struct parser *ps, const char *text);
/* "key=value": true and *val set when tok starts with key and '='. */
bool opt_value(const char *tok, const char *key, const char **val);

int reg_parse(const char *name);
const char *reg_name(unsigned i);
uint64_t *reg_ptr(struct tdx_module_args *a, unsigned i);

bool parse_cmd_platform(struct parser *ps, const struct tokens *t,
			struct step *st);
bool parse_cmd_write(struct parser *ps, const struct tokens *t,
		     struct step *st);
bool parse_cmd_read(struct parser *ps, const struct tokens *t,
		    struct step *st);
bool parse_cmd_seamcall(struct parser *ps, const struct tokens *t,
			struct step *st);
bool parse_cmd_simple(struct parser *ps, const struct tokens *t,
		      struct step *st);
bool parse_cmd_ctl(struct parser *ps, const struct tokens *t,
		   struct step *st);
bool parse_cmd_msr(struct parser *ps, const struct tokens *t,
		   struct step *st);
bool parse_cmd_pool(struct parser *ps, const struct tokens *t,
		    struct step *st);
bool parse_cmd_td(struct parser *ps, const struct tokens *t,
		  struct step *st);
bool parse_td_create(struct parser *ps, const struct tokens *t,
		     struct step *st);
bool parse_cmd_tdcall(struct parser *ps, const struct tokens *t,
		      struct step *st);
/* Splits "a,b,c" in place into at most max strings; returns how many. */
int split_commas(char *buf, char **argv, int max);
/* seamcall and tdcall share: REG=VALUE, expect, save (parse_seamcall.c). */
bool parse_sc_items(struct parser *ps, const struct tokens *t, unsigned from,
		    struct sc_step *sc);

/* ---- runner ---- */

struct platform;
struct rt_td;

#define SCRIPT_MAX_TDS 16

/* An `inject` waiting for the next seamcall or tdcall. */
struct pending_inject {
	int kind;
	unsigned nth, count, line;
	uint32_t file;
};

struct runner {
	const struct script *s;
	const char *name;
	FILE *out, *err;
	bool verbose, strict;
	struct platform *p;
	size_t pc, next;
	uint64_t steps, max_steps;
	uint64_t loops[SCRIPT_MAX_DEPTH];   /* iterations left per depth */
	bool have_last;
	uint64_t last_status;
	struct tdx_module_args last;
	uint64_t vals[SCRIPT_MAX_VARS];
	bool set[SCRIPT_MAX_VARS];
	/* TD pages the runner hands out: [pool_next, pool_end). */
	bool have_pool;
	uint64_t pool_next, pool_end;
	struct rt_td *tds[SCRIPT_MAX_TDS];
	unsigned ntds;
	unsigned npending;
	struct pending_inject pending[TDXSIM_INJECT_NR];
};

/* Prints "NAME:LINE: message" for the current step; returns SCRIPT_FAILED. */
int rt_error(struct runner *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const struct step *rt_step(const struct runner *r);
/* The file a step came from: the script, or a file it included. */
const char *rt_file(const struct runner *r, const struct step *st);
bool rt_need_platform(struct runner *r);
bool expr_eval(struct runner *r, const struct expr *e, uint64_t *out);
bool status_match(const struct status_spec *sp, uint64_t status);
char *status_spec_format(const struct status_spec *sp, char *buf, size_t len);
/* *res = the condition's truth; false (with a message) on a run error. */
bool cond_eval(struct runner *r, const struct cond *c, bool *res);
void rt_set_var(struct runner *r, int var, uint64_t v);

int run_script(const struct script *s, const char *name,
	       const struct script_opts *o);
int exec_platform(struct runner *r, const struct step *st);
int exec_write(struct runner *r, const struct step *st);
int exec_read(struct runner *r, const struct step *st);
int exec_seamcall(struct runner *r, const struct step *st);
int exec_simple(struct runner *r, const struct step *st);
int exec_ctl(struct runner *r, const struct step *st);
int exec_msr(struct runner *r, const struct step *st);
int exec_pool(struct runner *r, const struct step *st);
int exec_td_create(struct runner *r, const struct step *st);
int exec_td(struct runner *r, const struct step *st);
int exec_tdcall(struct runner *r, const struct step *st);
int exec_inject(struct runner *r, const struct simple_step *s);

/* The LP from an expression: exists (else a run error). */
bool eval_lp(struct runner *r, const struct expr *e, unsigned *lp);
/* Records a call's outcome for conditions (status, registers). */
void rt_set_last(struct runner *r, uint64_t status,
		 const struct tdx_module_args *a);
/* A SEAMCALL the runner makes for a command, on LP lp (-1: the current
 * one), printed under -v; *status is its completion status. */
int rt_seamcall(struct runner *r, int lp, uint64_t rax,
		struct tdx_module_args *a, uint64_t *status);
/* Runs fn on LP lp (the current one directly); a run error if the LP is
 * offline or missing. */
int rt_on_lp(struct runner *r, unsigned lp, int (*fn)(void *), void *arg);
const char *leaf_text(uint64_t rax);
/* A seamcall's or tdcall's RAX (leaf, version) and input registers. */
bool sc_inputs(struct runner *r, const struct sc_step *sc, uint64_t *rax,
	       struct tdx_module_args *a);
/* After a seamcall or tdcall: records it, -v, injections, expectations,
 * saves. what names the call for strict mode's message. */
int sc_finish(struct runner *r, const struct sc_step *sc, const char *what,
	      const struct tdx_module_args *in, uint64_t status,
	      const struct tdx_module_args *out);

/* run_inject.c: `inject` lines wait for the next seamcall or tdcall. */
bool inject_arm(struct runner *r, int scope);
/* After the call: the results, -v, and the failure of one that did not
 * fire as asked (unless the step expects or saves `fired`). */
int inject_settle(struct runner *r, const struct sc_step *sc, uint64_t *fired);
/* A run error when injections wait and this command cannot take them. */
int inject_none_pending(struct runner *r, const char *what);

#endif
