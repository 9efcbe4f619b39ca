/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Direct messages (DEN0077A 1.2 15.2-15.4): a normal-world endpoint sends
 * a request to a partition and gets the partition's response. Registers
 * are copied, checked and forwarded; only the registers the reply defines
 * come back.
 */
#include "internal.h"

/* Checks shared by every direct request from a caller: it may only speak
 * as itself, to a partition. `x1` as the caller gave it. False: refused. */
static inline bool direct_ids_ok(struct ffp *p, uint16_t ep_id, uint32_t func,
				 uint32_t version, struct ffa_regs *regs,
				 uint64_t x1)
{
	uint32_t w1 = (uint32_t)x1;
	uint16_t sender = (uint16_t)(w1 >> 16), receiver = (uint16_t)w1;
	const char *why;
	uint64_t value;

	if (ffa_is_smc64(func) && (x1 >> 32)) {
		why = "direct message x1[63:32] MBZ";
		value = x1;
	} else if (sender != ep_id) {
		why = "direct message sender is not the caller";
		value = sender;
	} else if (!ffa_id_is_secure(receiver)) {
		why = "direct message receiver is not a partition";
		value = receiver;
	} else {
		return true;
	}
	ffp_regs_refuse(p, ep_id, func, version, regs, FFA_INVALID_PARAMETERS,
			why, value);
	return false;
}

/* A direct request's function id per width (its response is the next
 * id, DEN0077A table 15.3), and the part of x1..x7 it carries: SMC32
 * only the low halves. */
static inline uint32_t direct_func(bool smc64)
{
	return smc64 ? FFA_MSG_SEND_DIRECT_REQ_64 : FFA_MSG_SEND_DIRECT_REQ_32;
}

static inline uint64_t direct_mask(bool smc64)
{
	return smc64 ? ~0ull : 0xffffffffull;
}

/* The SPMC did not answer with the response: FFA_ERROR (passed on,
 * sanitised), FFA_INTERRUPT or FFA_YIELD (recorded for FFA_RUN, passed on
 * with their defined registers only), anything else ABORTED. `pair` is
 * what the response would name: the partition [31:16], the caller
 * [15:0]; `gen` the caller's as the request began (ffp_preempt_record);
 * `version` decides x8..x17 (ffp_regs_write); `timeout`: the caller is at
 * 1.1 or later, where a YIELD's w2/w3 are results (ffp_yield_timeout). */
static void direct_other_reply(struct ffp *p, uint32_t pair, uint32_t gen,
			       uint32_t func, uint32_t version, bool timeout,
			       struct ffa_regs *regs, const struct ffa_regs *r)
{
	struct ffa_regs out = { { 0 } };
	uint16_t ep_id = (uint16_t)pair;
	uint32_t target = (uint32_t)r->x[1];

	switch ((uint32_t)r->x[0]) {
	case FFA_ERROR_32:
		ffp_regs_refuse(p, ep_id, func, version, regs,
				ffp_status(r->x[2]), "SPMC refused the request",
				(uint32_t)r->x[2]);
		return;
	case FFA_INTERRUPT_32:
	case FFA_YIELD_32:
		/* The partition was preempted (INTERRUPT) or gave its cycles
		 * back (YIELD, w2/w3 a timeout) during the request: w1 is the
		 * vCPU to resume as FFA_RUN takes it, partition id [31:16],
		 * vCPU id [15:0] (Hafnium fills it with ffa_vm_vcpu() of the
		 * partition's vCPU). Another partition is outside the
		 * protocol: the caller could only resume what was never its
		 * request. */
		if (target >> 16 != pair >> 16) {
			ffp_regs_refuse(p, ep_id, func, version, regs,
					FFA_ABORTED,
					"SPMC preemption names another partition",
					target);
			return;
		}
		ffp_preempt_record(p, ep_id, gen, func, target);
		out.x[0] = (uint32_t)r->x[0];
		out.x[1] = target;
		if (out.x[0] == FFA_YIELD_32 && timeout) {
			out.x[2] = (uint32_t)r->x[2];
			out.x[3] = (uint32_t)r->x[3];
		}
		break;
	default:
		ffp_regs_refuse(p, ep_id, func, version, regs, FFA_ABORTED,
				"SPMC direct response does not match", r->x[0]);
		return;
	}
	ffp_regs_write(regs, &out, func, version);
}

/* dst x0..x7 = src x0..x7 & mask, spelled out: a loop of eight costs
 * more than the copy. */
static inline void copy_x0_x7(struct ffa_regs *dst, const struct ffa_regs *src,
			      uint64_t mask)
{
	dst->x[0] = src->x[0] & mask;
	dst->x[1] = src->x[1] & mask;
	dst->x[2] = src->x[2] & mask;
	dst->x[3] = src->x[3] & mask;
	dst->x[4] = src->x[4] & mask;
	dst->x[5] = src->x[5] & mask;
	dst->x[6] = src->x[6] & mask;
	dst->x[7] = src->x[7] & mask;
}

/*
 * FFA_MSG_SEND_DIRECT_REQ_32/64, on the general path. x0..x7 are copied once
 * (SMC32: their low halves) into the request, which is checked and sent
 * as it is: once the checks hold, x0 is set to the function id (the
 * caller's may carry the SVE hint), x1 holds the checked ids and x2 zero.
 * x8..x17 of the request are zero. The response must name the pair
 * swapped with w2 zero; only x0..x7 come back (x8..x17 zero
 * for SMC64 at 1.2, else as the caller had them). Inlined once per width,
 * so that each copy is a plain one.
 */
static inline __attribute__((always_inline)) void
direct_req(struct ffp *p, uint32_t gen, uint16_t ep_id, uint32_t version,
	   struct ffa_regs *regs, const bool smc64)
{
	const uint32_t func = direct_func(smc64), resp = func + 1;
	const uint64_t mask = direct_mask(smc64);
	struct ffa_regs r;
	uint32_t pair;
	unsigned int i;

	copy_x0_x7(&r, regs, mask);
	if (!direct_ids_ok(p, ep_id, func, version, regs, r.x[1]))
		return;
	/* w2: bit 31 marks a framework message, which only the SPMD and
	 * SPMC exchange; every other bit is reserved (MBZ). */
	if (r.x[2]) {
		ffp_regs_refuse(p, ep_id, func, version, regs,
				FFA_INVALID_PARAMETERS,
				"direct message flags MBZ (no framework messages)",
				r.x[2]);
		return;
	}
	/* The response names the same pair swapped. */
	pair = ((uint32_t)r.x[1] << 16) | ((uint32_t)r.x[1] >> 16);
	r.x[0] = func; /* the caller's x0 may carry the SVE hint */
	for (i = 8; i < FFA_NREGS; i++)
		r.x[i] = 0;
	ffp_smc(p, &r);

	/* SMC32: the results are w0..w7 (SMCCC; smc_x0_x7 writes the upper
	 * halves as zero), so only w1 and w2 are compared. */
	if ((uint32_t)r.x[0] != resp || (r.x[1] & mask) != pair ||
	    (r.x[2] & mask)) {
		direct_other_reply(p, pair, gen, func, version,
				   ffp_yield_timeout(version), regs, &r);
		return;
	}
	/* x1 and x2 are as checked; x0's upper half is dropped. */
	copy_x0_x7(regs, &r, mask);
	regs->x[0] = resp;
	if (smc64 && version >= FFA_VERSION_1_2) { /* ffp_results_x8_x17 */
		for (i = 8; i < FFA_NREGS; i++)
			regs->x[i] = 0;
	}
}

void ffp_regs_direct_req(struct ffp *p, uint32_t gen, uint16_t ep_id,
			 uint32_t func, uint32_t version, struct ffa_regs *regs)
{
	if (ffa_is_smc64(func))
		direct_req(p, gen, ep_id, version, regs, true);
	else
		direct_req(p, gen, ep_id, version, regs, false);
}

/*
 * FFA_MSG_SEND_DIRECT_REQ2_64 (1.2: caller, SPMC and SMCCC), on the fast
 * path: the whole register file is the request (x2/x3 the target service
 * UUID, x4..x17 payload), copied once and checked; RESP2 zeroes x2/x3
 * (DEN0077A 1.2 table 15.8) and returns x4..x17.
 */
void ffp_regs_direct_req2(struct ffp *p, uint32_t gen, uint16_t ep_id,
			  uint32_t func, uint32_t version, struct ffa_regs *regs)
{
	struct ffa_regs r = *regs;
	uint32_t pair;

	if (!direct_ids_ok(p, ep_id, func, version, regs, r.x[1]))
		return;
	pair = ((uint32_t)r.x[1] << 16) | ((uint32_t)r.x[1] >> 16);
	r.x[0] = func; /* the caller's x0 may carry the SVE hint */
	ffp_smc(p, &r);
	if ((uint32_t)r.x[0] != FFA_MSG_SEND_DIRECT_RESP2_64 ||
	    r.x[1] != pair || r.x[2] || r.x[3]) {
		direct_other_reply(p, pair, gen, func, version,
				   ffp_yield_timeout(version), regs, &r);
		return;
	}
	/* x1..x3 are as checked; x0's upper half is dropped. */
	*regs = r;
	regs->x[0] = FFA_MSG_SEND_DIRECT_RESP2_64;
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

/*
 * The lanes (ffp_handle's, for callers whose version is locked). They read
 * the caller's registers, which the embedder holds privately for the
 * trapped vCPU (proxy.h), so nothing can change between check and use; a
 * 1.2 caller's SMC64 request is forwarded in place in them, the others
 * from a private copy (lane_direct_req). A request that is not clean goes
 * untouched to the general path, where the same checks refuse it with
 * their reasons. Results follow the general path's rules exactly: the
 * response's x0..x7 (SMC32: low halves), x8..x17 zero for SMC64 at 1.2,
 * otherwise as the caller had them; the request carries x8..x17 zero.
 */
/* x1 of a clean request, in one comparison: x1[63:32] zero, the sender
 * (w1[31:16]) the caller, the receiver (w1[15:0]) a partition (bit 15),
 * as direct_ids_ok() requires. */
static inline bool clean_ids(uint64_t x1, uint16_t ep_id)
{
	return (x1 & ~(uint64_t)(FFA_ID_SECURE_BIT - 1)) ==
	       (((uint64_t)ep_id << 16) | FFA_ID_SECURE_BIT);
}

/* Whether a lane's request is clean: clean_ids() and, with `flags`, w2
 * zero (`mask` keeps SMC32's low halves). If so, *pair is what the
 * response must name: the ids swapped. */
static inline bool clean_request(const struct ffa_regs *regs, uint16_t ep_id,
				 uint64_t mask, bool flags, uint32_t *pair)
{
	uint64_t x1 = regs->x[1] & mask;
	uint32_t w1 = (uint32_t)x1;

	if (!clean_ids(x1, ep_id) || (flags && (regs->x[2] & mask)))
		return false;
	*pair = (w1 << 16) | (w1 >> 16);
	return true;
}

/* The gen of a lane's caller, read once its reply is back: the lanes do
 * not read it before the SMC (one load and one register more on every
 * request, docs/cost.md), so a preemption recorded here is the caller's
 * unless it was removed meanwhile, as before generations. A removal and
 * the id's next add both inside the request (ffp_host_reset is both):
 * every lane's caller had its version locked, which only a removal or a
 * reset undoes, so an endpoint under the id that is not locked now is
 * the next one, and gets a gen it never had (its own, the later, minus
 * one; gens only grow): the record is the proxy's, as the general path
 * makes it, and the new endpoint's FFA_RUN cannot take the old one's
 * response. One added and locked within the request is told apart on
 * the general path alone. */
static inline uint32_t lane_gen(const struct ffp *p, uint32_t pair)
{
	const struct ffp_endpoint *ep = &p->eps[(uint16_t)pair];
	uint32_t gen = __atomic_load_n(&ep->gen, __ATOMIC_ACQUIRE);

	if (!__atomic_load_n(&ep->version_locked, __ATOMIC_ACQUIRE))
		gen--;
	return gen;
}

/* Not the response: the reply is in `regs`, x8..x17 results (SMC64 at
 * 1.2); answer as the general path does. Out of line: the lanes stay
 * frameless. */
static __attribute__((noinline, cold)) bool
lane_other_reply(struct ffp *p, uint32_t pair, uint32_t func,
		 struct ffa_regs *regs)
{
	struct ffa_regs reply = *regs;

	/* Its lanes (the v12 lane, REQ2) serve callers at 1.2 alone: the
	 * version the request was made at, not the endpoint's now, which a
	 * removal during the SMC (another CPU) sets to none, or the id's
	 * next endpoint to its own: x8..x17, the SPMC's here, would go back
	 * as they came. The caller is the pair's low half. */
	direct_other_reply(p, pair, lane_gen(p, pair), func, FFA_VERSION_1_2,
			   true, regs, &reply);
	return true;
}
/* Two registers at a time (GNU vector extension: one 16-byte load, AND
 * and store on x86-64 and AArch64 alike). */
typedef uint64_t reg_pair __attribute__((vector_size(16), aligned(8),
					 may_alias));

/* dst x3..x7 = src x3..x7 & mask. */
static inline void copy_x3_x7(struct ffa_regs *dst, const struct ffa_regs *src,
			      uint64_t mask)
{
	const reg_pair m = { mask, mask };

	*(reg_pair *)(void *)&dst->x[3] =
		*(const reg_pair *)(const void *)&src->x[3] & m;
	*(reg_pair *)(void *)&dst->x[5] =
		*(const reg_pair *)(const void *)&src->x[5] & m;
	dst->x[7] = src->x[7] & mask;
}

/* A private request's reply that is not the response: answered as the
 * general path does (its caller is the pair's low half). Its lanes serve
 * SMC32, and SMC64 below 1.2: x8..x17 are no results, as 1.0 says,
 * whatever version the endpoint under the id has once the SMC is back
 * (lane_other_reply). A YIELD's timeout goes by the endpoint's version,
 * read here, off the lanes' hot path: a removal meanwhile (version none)
 * makes it zero; only the id's next endpoint, added during the SMC at
 * another version, could see it differ from the request's. */
static __attribute__((noinline, cold)) bool
lane_copy_reply(struct ffp *p, uint32_t pair, uint32_t func,
		struct ffa_regs *regs, const struct ffa_regs *r)
{
	uint32_t v = p->eps[(uint16_t)pair].version;

	direct_other_reply(p, pair, lane_gen(p, pair), func, FFA_VERSION_1_0,
			   ffp_yield_timeout(v), regs, r);
	return true;
}

/*
 * SMC32 (any version) and SMC64 below 1.2: the caller's x8..x17 are not
 * results and must come back as they were, so the request goes from a
 * private copy (x0..x7, SMC32: low halves; x8..x17 zero) and only x0..x7
 * of the response are written back: nothing to save and restore.
 */
static inline __attribute__((always_inline)) bool
lane_direct_req(struct ffp *p, uint16_t ep_id, struct ffa_regs *regs,
		const bool smc64)
{
	const uint32_t func = direct_func(smc64), resp = func + 1;
	const uint64_t mask = direct_mask(smc64);
	uint32_t pair;
	struct ffa_regs r;
	unsigned int i;

	/* direct_ids_ok() and the flags check, as conditions to accept. */
	if (!clean_request(regs, ep_id, mask, true, &pair))
		return ffp_handle_general(p, ep_id, regs);
	r.x[0] = func;
	r.x[1] = regs->x[1] & mask;
	r.x[2] = 0;
	copy_x3_x7(&r, regs, mask);
	for (i = 8; i < FFA_NREGS; i++)
		r.x[i] = 0;
	ffp_smc(p, &r);
	/* SMC32: w1 and w2 only, as on the general path. */
	if ((uint32_t)r.x[0] != resp || (r.x[1] & mask) != pair ||
	    (r.x[2] & mask))
		return lane_copy_reply(p, pair, func, regs, &r);
	/* x1 and x2 are as checked; x0's upper half is dropped. */
	regs->x[0] = resp;
	regs->x[1] = pair;
	regs->x[2] = 0;
	copy_x3_x7(regs, &r, mask);
	return true;
}

/* The in-place lane's reply was not the response: x0..x7 of `regs` are
 * the reply, x8..x17 still the caller's. */
static __attribute__((noinline, cold)) bool
lane_x0_x7_reply(struct ffp *p, uint32_t pair, uint32_t func,
		 struct ffa_regs *regs)
{
	struct ffa_regs r = { { 0 } };
	uint32_t resp = func + 1; /* DIRECT_RESP_32/64 */
	unsigned int i;

	if ((uint32_t)regs->x[0] == resp && regs->x[1] == pair &&
	    !regs->x[2]) {
		regs->x[0] = resp;
		return true;
	}
	for (i = 0; i < 8; i++)
		r.x[i] = regs->x[i];
	return lane_copy_reply(p, pair, func, regs, &r);
}

/*
 * The same requests when the platform has smc_x0_x7: forwarded in the
 * caller's registers, whose x8..x17 the platform neither sends nor
 * overwrites, and whose upper halves it neither sends nor returns for
 * SMC32. x0 is the function id already (ffp_handle compared all of it).
 * The response's x0 is compared whole (SMC64: a dirty upper half is
 * handled out of line), so nothing needs writing back.
 */
static inline __attribute__((always_inline)) bool
lane_direct_req_x0_x7(struct ffp *p, uint16_t ep_id, struct ffa_regs *regs,
		      const bool smc64)
{
	const uint32_t func = direct_func(smc64), resp = func + 1;
	const uint64_t mask = direct_mask(smc64);
	uint32_t pair;

	if (!clean_request(regs, ep_id, mask, true, &pair))
		return ffp_handle_general(p, ep_id, regs);
	p->plat->smc_x0_x7(p->ctx, regs);
	if (regs->x[0] != resp || regs->x[1] != pair || regs->x[2])
		return lane_x0_x7_reply(p, pair, func, regs);
	return true;
}

bool ffp_lane_direct_req_32(struct ffp *p, uint16_t ep_id,
			    struct ffa_regs *regs)
{
	return lane_direct_req(p, ep_id, regs, false);
}

bool ffp_lane_direct_req_32_x0_x7(struct ffp *p, uint16_t ep_id,
				  struct ffa_regs *regs)
{
	return lane_direct_req_x0_x7(p, ep_id, regs, false);
}

/* The v12 lane's reply was not exactly the response: one whose x0 has a
 * dirty upper half is still the response (as on the general path, which
 * compares w0); anything else is answered as the general path does. */
static __attribute__((noinline, cold)) bool
lane_v12_reply(struct ffp *p, struct ffa_regs *regs, uint32_t pair)
{
	unsigned int i;

	if ((uint32_t)regs->x[0] == FFA_MSG_SEND_DIRECT_RESP_64 &&
	    regs->x[1] == pair && !regs->x[2]) {
		regs->x[0] = FFA_MSG_SEND_DIRECT_RESP_64;
		for (i = 8; i < FFA_NREGS; i++)
			regs->x[i] = 0;
		return true;
	}
	return lane_other_reply(p, pair, FFA_MSG_SEND_DIRECT_REQ_64, regs);
}

/* SMC64 between parties at 1.2, the common case, spelled out so that only
 * p, regs and the pair stay live across the SMC: x8..x17 are zero in the
 * request and in the results, nothing of the caller's is kept. x0 is the
 * request's id already: ffp_handle compared all 64 bits of it. */
bool ffp_lane_direct_req_64_v12(struct ffp *p, uint16_t ep_id,
				struct ffa_regs *regs)
{
	uint32_t pair;
	unsigned int i;

	if (!clean_request(regs, ep_id, ~0ull, true, &pair))
		return ffp_handle_general(p, ep_id, regs);
	for (i = 8; i < FFA_NREGS; i++)
		regs->x[i] = 0;
	ffp_smc(p, regs);
	/* Opaque from here: gcc would otherwise keep its own pointer to x8
	 * live across the SMC (a saved register and a frame adjustment). */
	__asm__ volatile("" : "+r"(regs));
	if (regs->x[0] != FFA_MSG_SEND_DIRECT_RESP_64 || regs->x[1] != pair ||
	    regs->x[2])
		return lane_v12_reply(p, regs, pair);
	for (i = 8; i < FFA_NREGS; i++)
		regs->x[i] = 0;
	return true;
}

bool ffp_lane_direct_req_64(struct ffp *p, uint16_t ep_id,
			    struct ffa_regs *regs)
{
	return lane_direct_req(p, ep_id, regs, true);
}

bool ffp_lane_direct_req_64_x0_x7(struct ffp *p, uint16_t ep_id,
				  struct ffa_regs *regs)
{
	return lane_direct_req_x0_x7(p, ep_id, regs, true);
}

/* DIRECT_REQ2 (SMC64, everyone at 1.2): the whole register file is the
 * request and x4..x17 of the response are results. */
bool ffp_lane_direct_req2(struct ffp *p, uint16_t ep_id, struct ffa_regs *regs)
{
	uint32_t pair;

	if (!clean_request(regs, ep_id, ~0ull, false, &pair))
		return ffp_handle_general(p, ep_id, regs);
	regs->x[0] = FFA_MSG_SEND_DIRECT_REQ2_64;
	ffp_smc(p, regs);
	if ((uint32_t)regs->x[0] != FFA_MSG_SEND_DIRECT_RESP2_64 ||
	    regs->x[1] != pair || regs->x[2] || regs->x[3])
		return lane_other_reply(p, pair, FFA_MSG_SEND_DIRECT_REQ2_64,
					regs);
	regs->x[0] = FFA_MSG_SEND_DIRECT_RESP2_64;
	return true;
}
