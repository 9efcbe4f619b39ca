/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Direct messages (DEN0077A 1.2 15.2-15.4): a normal-world endpoint sends
 * a request to a partition and gets the partition's response. Registers
 * are copied, checked and forwarded; only the registers the reply defines
 * come back.
 */
#include "internal.h"

/* Checks shared by every direct message from a caller: it may only speak
 * as itself. Returns the receiver id, or -1 having refused. */
static int32_t direct_ids(struct ffp_call *c)
{
	uint32_t w1 = (uint32_t)c->in.x[1];
	uint16_t sender = (uint16_t)(w1 >> 16), receiver = (uint16_t)w1;

	if (c->smc64 && (c->in.x[1] >> 32)) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS, "direct message x1[63:32] MBZ",
			   c->in.x[1]);
		return -1;
	}
	if (sender != c->ep_id) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "direct message sender is not the caller", sender);
		return -1;
	}
	if (!ffa_id_is_secure(receiver)) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "direct message receiver is not a partition", receiver);
		return -1;
	}
	return receiver;
}

/* Replies a direct request may complete with, besides the response. */
static bool other_reply(struct ffp_call *c, const struct ffa_regs *r)
{
	switch ((uint32_t)r->x[0]) {
	case FFA_ERROR_32:
		ffp_refuse(c, ffp_status(r->x[2]), "SPMC refused the request",
			   (uint32_t)r->x[2]);
		return true;
	case FFA_INTERRUPT_32:
		/* The partition was preempted; w1 = endpoint/vCPU id. */
		c->out.x[0] = FFA_INTERRUPT_32;
		c->out.x[1] = (uint32_t)r->x[1];
		return true;
	case FFA_YIELD_32:
		c->out.x[0] = FFA_YIELD_32;
		c->out.x[1] = (uint32_t)r->x[1];
		c->out.x[2] = (uint32_t)r->x[2];
		c->out.x[3] = (uint32_t)r->x[3];
		return true;
	default:
		return false;
	}
}

void ffp_handle_direct_req(struct ffp_call *c)
{
	struct ffa_regs r;
	int32_t receiver = direct_ids(c);
	uint32_t expect_w1, resp;
	unsigned int i;

	if (receiver < 0)
		return;
	/* w2: bit 31 marks a framework message, which only the SPMD and
	 * SPMC exchange; every other bit is reserved (MBZ). */
	if (c->in.x[2]) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "direct message flags MBZ (no framework messages)",
			   c->in.x[2]);
		return;
	}
	r.x[0] = c->func;
	r.x[1] = (uint32_t)c->in.x[1];
	r.x[2] = 0;
	for (i = 3; i < 8; i++)
		r.x[i] = c->in.x[i];
	for (i = 8; i < FFA_NREGS; i++)
		r.x[i] = 0;
	ffp_smc(c->p, &r);

	if (other_reply(c, &r))
		return;
	resp = c->smc64 ? FFA_MSG_SEND_DIRECT_RESP_64 : FFA_MSG_SEND_DIRECT_RESP_32;
	expect_w1 = ((uint32_t)receiver << 16) | c->ep_id;
	if ((uint32_t)r.x[0] != resp || r.x[1] != expect_w1 || r.x[2]) {
		ffp_refuse(c, FFA_ABORTED, "SPMC direct response does not match",
			   r.x[0]);
		return;
	}
	c->out.x[0] = resp;
	c->out.x[1] = expect_w1;
	for (i = 3; i < 8; i++)
		c->out.x[i] = c->smc64 ? r.x[i] : (uint32_t)r.x[i];
}

void ffp_handle_direct_req2(struct ffp_call *c)
{
	struct ffa_regs r;
	int32_t receiver = direct_ids(c);
	uint32_t expect_w1;
	unsigned int i;

	if (receiver < 0)
		return;
	r = c->in;
	r.x[1] = (uint32_t)c->in.x[1];
	ffp_smc(c->p, &r);
	if (other_reply(c, &r))
		return;
	expect_w1 = ((uint32_t)receiver << 16) | c->ep_id;
	/* RESP2 zeroes x2/x3 (DEN0077A 1.2 table 15.8). */
	if ((uint32_t)r.x[0] != FFA_MSG_SEND_DIRECT_RESP2_64 ||
	    r.x[1] != expect_w1 || r.x[2] || r.x[3]) {
		ffp_refuse(c, FFA_ABORTED, "SPMC direct response does not match",
			   r.x[0]);
		return;
	}
	c->out.x[0] = FFA_MSG_SEND_DIRECT_RESP2_64;
	c->out.x[1] = expect_w1;
	for (i = 4; i < FFA_NREGS; i++)
		c->out.x[i] = r.x[i];
}

/* Normal-world endpoints never receive a direct request through the
 * proxy, so no response of theirs can be pending. */
void ffp_handle_direct_resp(struct ffp_call *c)
{
	uint16_t sender = (uint16_t)((uint32_t)c->in.x[1] >> 16);

	if (sender != c->ep_id) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "direct message sender is not the caller", sender);
		return;
	}
	ffp_refuse(c, FFA_DENIED, "no direct request is pending for the caller",
		   (uint32_t)c->in.x[1]);
}
