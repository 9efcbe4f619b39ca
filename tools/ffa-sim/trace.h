/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The trace decoder: FF-A register files as one line of text, e.g.
 *   FFA_VERSION 1.0
 *   FFA_MSG_SEND_DIRECT_REQ_32 w1=0x8001(0x0->0x8001) w3=1
 *   FFA_ERROR DENIED
 * Only nonzero registers are shown; an SMC32 call shows w1..w7, its reply
 * w1..w7 and x8..x17; a w register of a reply with a nonzero upper half
 * shows as xN (a bug to see).
 * Depends on ffaproxy/ffa.h only, so other tools can reuse it.
 */
#ifndef FFASIM_TRACE_H
#define FFASIM_TRACE_H

#include <ffaproxy/ffa.h>

/* Text of a call (x0 is the function id). */
void trace_call(char *buf, size_t size, const struct ffa_regs *r);
/* Text of the reply to a call whose function id was `call_id`. */
void trace_reply(char *buf, size_t size, uint32_t call_id,
		 const struct ffa_regs *r);
/* "1.2" for a valid version, else hex. */
void trace_version(char *buf, size_t size, uint32_t v);
/* A function id's name, or its hex in `buf`. */
const char *trace_func(char *buf, size_t size, uint32_t id);
/* A status code's name ("DENIED"), or its decimal value in `buf`. */
const char *trace_status(char *buf, size_t size, int32_t code);

#endif /* FFASIM_TRACE_H */
