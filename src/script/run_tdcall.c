/* SPDX-License-Identifier: MIT */
/*
 * Running `tdcall`: a TDCALL issued from a real guest context. The vCPU
 * runs the "agent" program (tdxsim/agent.h); the runner enters it, hands
 * it the registers, and it makes the TDCALL on its own fiber, so the
 * call meets the TD as it is. Injections wait for that TDCALL itself,
 * not for the entries around it. If the vCPU cannot enter, or leaves
 * the TD before the TDCALL completes, the outcome is that TDH.VP.ENTER's.
 */
#include <string.h>

#include "script_td.h"
#include "tdxsim/abi_names.h"
#include "tdxsim/agent.h"

static const unsigned words[TDX_AGENT_WORDS] = TDX_AGENT_WORD_GPRS;
static const unsigned slots[TDX_AGENT_HALF] = TDX_AGENT_SLOT_GPRS;

/* struct tdx_module_args has no RAX, RSP or RBP: those come back NULL. */
static uint64_t *gpr_of(struct tdx_module_args *a, unsigned id)
{
	switch (id) {
	case 1:  return &a->rcx;
	case 2:  return &a->rdx;
	case 3:  return &a->rbx;
	case 6:  return &a->rsi;
	case 7:  return &a->rdi;
	case 8:  return &a->r8;
	case 9:  return &a->r9;
	case 10: return &a->r10;
	case 11: return &a->r11;
	case 12: return &a->r12;
	case 13: return &a->r13;
	case 14: return &a->r14;
	case 15: return &a->r15;
	default: return NULL;
	}
}

static void put_half(struct tdx_module_args *a, const uint64_t *w)
{
	for (unsigned i = 0; i < TDX_AGENT_HALF; i++)
		*gpr_of(a, slots[i]) = w[i];
}

static void get_half(struct tdx_module_args *a, uint64_t *w)
{
	for (unsigned i = 0; i < TDX_AGENT_HALF; i++)
		w[i] = *gpr_of(a, slots[i]);
}

struct tcall {
	struct runner *r;
	struct rt_td *td;
	unsigned v;
	bool ended;             /* the vCPU ended: the outcome is the entry's */
	struct tdx_module_args ex;
};

/* One exchange: reply in, the agent's next message (want) out. */
static int step(struct tcall *c, struct tdx_module_args *reply, uint64_t want)
{
	bool agent;
	int rc = vcpu_run(c->r, c->td, c->v, reply, &c->ex, &agent);

	if (rc)
		return rc;
	if (!agent) {
		c->ended = true;
		return SCRIPT_OK;
	}
	if (c->ex.r11 != want)
		return rt_error(c->r, "vCPU %u: the agent said %llu where %llu was due",
				c->v, (unsigned long long)c->ex.r11, (unsigned long long)want);
	return SCRIPT_OK;
}

/* A vCPU never entered runs its firmware until the agent asks for work;
 * one that ends first runs some other program (or none could start). */
static int ready(struct tcall *c)
{
	struct rt_vcpu *v = &c->td->v[c->v];
	struct tdx_module_args none = { 0 };
	char buf[128];
	int rc;

	if (v->state == RV_PARKED)
		return SCRIPT_OK;
	if (v->state != RV_FRESH)
		return rt_error(c->r, "vCPU %u of TD 0x%llx is not waiting for a TDCALL (%s)",
				c->v, (unsigned long long)c->td->tdr,
				v->state == RV_ENDED ? "it has ended" : "it is running");
	rc = step(c, &none, TDX_AGENT_READY);
	if (rc || !c->ended)
		return rc;
	if (v->end == END_EXIT || v->end == END_HALT || v->end == END_GUEST_FATAL)
		return rt_error(c->r, "vCPU %u ended (%s) without asking for a TDCALL: "
				"its TD does not run the agent", c->v,
				run_end_text(v->end, v->end_value, buf, sizeof(buf)));
	return SCRIPT_OK;
}

/* The four exchanges of tdxsim/agent.h; injections armed before the
 * second, whose reply sets the TDCALL going. */
static int exchange(struct tcall *c, const uint64_t in[TDX_AGENT_WORDS],
		    uint64_t out[TDX_AGENT_WORDS])
{
	struct tdx_module_args reply = { .r10 = TDX_AGENT_CMD_TDCALL };
	int rc;

	put_half(&reply, in);
	if ((rc = step(c, &reply, TDX_AGENT_MORE)) || c->ended)
		return rc;
	reply = (struct tdx_module_args){ .r10 = TDX_AGENT_CMD_NONE };
	put_half(&reply, in + TDX_AGENT_HALF);
	if (c->r->npending && !inject_arm(c->r, TDXSIM_INJECT_NEXT_TDCALL))
		return SCRIPT_FAILED;
	if ((rc = step(c, &reply, TDX_AGENT_RESULT)) || c->ended)
		return rc;
	get_half(&c->ex, out);
	reply = (struct tdx_module_args){ .r10 = TDX_AGENT_CMD_NONE };
	if ((rc = step(c, &reply, TDX_AGENT_RESULT_END)) || c->ended)
		return rc;
	get_half(&c->ex, out + TDX_AGENT_HALF);
	c->td->v[c->v].state = RV_PARKED;
	return SCRIPT_OK;
}

static bool find_vcpu(struct tcall *c, const struct sc_step *sc)
{
	uint64_t v = 0;

	c->td = rt_td_find(c->r, sc->has_td, &sc->td);
	if (!c->td || (sc->has_vcpu && !expr_eval(c->r, &sc->vcpu, &v)))
		return false;
	if (v >= c->td->nvcpus || !c->td->v[v].tdvpr) {
		rt_error(c->r, "TD 0x%llx has no vCPU %llu", (unsigned long long)c->td->tdr,
			 (unsigned long long)v);
		return false;
	}
	c->v = (unsigned)v;
	return true;
}

static void to_words(uint64_t rax, struct tdx_module_args *a, uint64_t w[TDX_AGENT_WORDS])
{
	w[0] = rax;
	for (unsigned i = 1; i < TDX_AGENT_WORDS; i++)
		w[i] = *gpr_of(a, words[i]);
}

static void from_words(const uint64_t w[TDX_AGENT_WORDS], struct tdx_module_args *a)
{
	for (unsigned i = 1; i < TDX_AGENT_WORDS; i++)
		*gpr_of(a, words[i]) = w[i];
}

int exec_tdcall(struct runner *r, const struct step *st)
{
	const struct sc_step *sc = &st->u.sc;
	struct tcall c = { .r = r };
	struct tdx_module_args in, out;
	uint64_t rax, w[TDX_AGENT_WORDS], res[TDX_AGENT_WORDS] = { 0 };
	const char *name;
	int rc;

	if (!sc_inputs(r, sc, &rax, &in) || !find_vcpu(&c, sc))
		return SCRIPT_FAILED;
	rc = ready(&c);
	if (rc == SCRIPT_OK && !c.ended) {
		to_words(rax, &in, w);
		rc = exchange(&c, w, res);
	}
	if (rc) {
		tdxsim_inject_next_clear(r->p);
		r->npending = 0;
		return rc;
	}
	name = tdg_leaf_name((unsigned)(rax & 0xFFFF));
	if (c.ended) {   /* the entry's status and exit registers */
		out = r->last;
		return sc_finish(r, sc, "TDH.VP.ENTER", &in, r->last_status, &out);
	}
	out = in;
	from_words(res, &out);
	return sc_finish(r, sc, name ? name : "TDCALL", &in, res[0], &out);
}
