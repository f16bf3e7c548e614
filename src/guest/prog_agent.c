/* SPDX-License-Identifier: MIT */
/*
 * agent: runs the TDCALLs its host hands it, returning every register
 * (tdxsim/agent.h has the protocol). This is how a host tool issues a
 * TDCALL from a real guest context: the call traps into the module from
 * this vCPU, with whatever the TD's state is at that moment.
 */
#include <string.h>

#include "guest_internal.h"
#include "tdxsim/agent.h"

int guest_agent(struct tdx_guest *g, int argc, char **argv);

static const unsigned slots[TDX_AGENT_HALF] = TDX_AGENT_SLOT_GPRS;
static const unsigned words[TDX_AGENT_WORDS] = TDX_AGENT_WORD_GPRS;

/* One exchange: a message with seven words out (or zeros), the host's
 * command and seven words back. */
static uint64_t exchange(struct tdx_guest *g, uint64_t msg, const uint64_t *out,
			 uint64_t in[TDX_AGENT_HALF])
{
	uint64_t gpr[16] = { [TDX_GPR_R10] = TDX_AGENT_VMCALL, [TDX_GPR_R11] = msg };
	uint64_t select = (1ULL << TDX_GPR_R10) | (1ULL << TDX_GPR_R11);

	for (unsigned i = 0; i < TDX_AGENT_HALF; i++) {
		gpr[slots[i]] = out ? out[i] : 0;
		select |= 1ULL << slots[i];
	}
	guest_vmcall(g, select, gpr);
	for (unsigned i = 0; i < TDX_AGENT_HALF; i++)
		in[i] = gpr[slots[i]];
	return gpr[TDX_GPR_R10];
}

/* The TDCALL whose first seven words came with the command in io[];
 * returns the next command, its words left in io[]. */
static uint64_t serve(struct tdx_guest *g, uint64_t io[TDX_AGENT_HALF])
{
	uint64_t w[TDX_AGENT_WORDS], gpr[16] = { 0 };

	memcpy(w, io, TDX_AGENT_HALF * sizeof(w[0]));
	exchange(g, TDX_AGENT_MORE, NULL, io);
	memcpy(w + TDX_AGENT_HALF, io, TDX_AGENT_HALF * sizeof(w[0]));
	for (unsigned i = 0; i < TDX_AGENT_WORDS; i++)
		gpr[words[i]] = w[i];
	tdx_tdcall(g, gpr);
	for (unsigned i = 0; i < TDX_AGENT_WORDS; i++)
		w[i] = gpr[words[i]];
	exchange(g, TDX_AGENT_RESULT, w, io);
	return exchange(g, TDX_AGENT_RESULT_END, w + TDX_AGENT_HALF, io);
}

int guest_agent(struct tdx_guest *g, int argc, char **argv)
{
	uint64_t in[TDX_AGENT_HALF];
	uint64_t cmd = exchange(g, TDX_AGENT_READY, NULL, in);

	(void)argc;
	(void)argv;
	while (cmd == TDX_AGENT_CMD_TDCALL)
		cmd = serve(g, in);
	if (cmd == TDX_AGENT_CMD_STOP)
		return 0;
	/* A host that does not speak the protocol (a VMM answering the
	 * vendor TDVMCALL with an error) gets one line and exit code 1. */
	tdx_printf(g, "agent: the host answered 0x%llx, not a command\n",
		   (unsigned long long)cmd);
	return 1;
}
