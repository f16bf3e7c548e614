/* SPDX-License-Identifier: MIT */
/*
 * The protocol of the "agent" guest program (docs/guest.md): a guest
 * that runs, on its vCPU, the TDCALLs its host hands it, so that a host
 * tool (the scenario runner's `tdcall`) can issue any TDCALL from a real
 * guest context and see every register it returns.
 *
 * Guest and host talk with TDG.VP.VMCALLs outside the GHCI: R10 =
 * TDX_AGENT_VMCALL (a non-zero R10 is vendor-specific), R11 = the
 * agent's message, and seven words in the slot registers. The host's
 * reply, loaded at the next TDH.VP.ENTER, is a command in R10 and seven
 * words in the same slots. A TDCALL's register file (TDX_AGENT_WORDS
 * words: RAX, RCX, RDX, RBX, RSI, RDI, R8-R15; RSP and RBP stay out)
 * thus crosses in two exchanges each way:
 *
 *   agent: READY                    host: TDCALL + words 0-6
 *   agent: MORE                     host: words 7-13
 *   (the agent runs the TDCALL)
 *   agent: RESULT + words 0-6       host: (nothing)
 *   agent: RESULT_END + words 7-13  host: the next command (TDCALL, STOP)
 *
 * STOP ends the program with exit code 0. Register numbers are operand
 * IDs (RAX 0, RCX 1, RDX 2, RBX 3, RSP 4, RBP 5, RSI 6, RDI 7, R8 8 ...).
 */
#ifndef TDXSIM_AGENT_H
#define TDXSIM_AGENT_H

#define TDX_AGENT_PROGRAM   "agent"
#define TDX_AGENT_VMCALL    0x41474E54ULL   /* R10: "AGNT" */

/* Agent to host, in R11. */
#define TDX_AGENT_READY      1ULL   /* waiting for a command */
#define TDX_AGENT_MORE       2ULL   /* got words 0-6 of a TDCALL: send 7-13 */
#define TDX_AGENT_RESULT     3ULL   /* words 0-6 of the TDCALL's registers */
#define TDX_AGENT_RESULT_END 4ULL   /* words 7-13; the reply is a command */

/* Host to agent, in R10 of the reply. */
#define TDX_AGENT_CMD_NONE   0ULL   /* a reply that is no command */
#define TDX_AGENT_CMD_TDCALL 1ULL   /* words 0-6 follow; MORE asks for the rest */
#define TDX_AGENT_CMD_STOP   2ULL   /* the program returns 0 */

#define TDX_AGENT_WORDS 14
#define TDX_AGENT_HALF  7
/* The operand IDs of the words, in order, and of the slots. */
#define TDX_AGENT_WORD_GPRS { 0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 }
#define TDX_AGENT_SLOT_GPRS { 2, 3, 6, 7, 8, 9, 12 }

#endif
