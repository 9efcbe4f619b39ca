/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The dispatch table: the one place that says what the proxy does with
 * each FF-A function number 0x60..0xEF, and the entry point that applies
 * it. Numbers with no entry are reserved and refused; nothing falls
 * through to the SPMC by accident.
 */
#include "internal.h"

#define W32 1u
#define W64 2u
#define V10 FFA_VERSION_1_0
#define V11 FFA_VERSION_1_1
#define V12 FFA_VERSION_1_2

#define REFUSE(fn_, name_, since_, widths_, note_)                           \
	[(fn_) - FFA_FN_FIRST] = { { name_, since_, widths_, FFP_REFUSED,     \
				     note_ },                                 \
				   0, false, NULL, NULL }
#define SERVE(fn_, name_, since_, widths_, how_, spmc_, x8_, handler_, note_) \
	[(fn_) - FFA_FN_FIRST] = { { name_, since_, widths_, how_, note_ },   \
				   spmc_, x8_, handler_, NULL }
/* A register-only call: its handler writes the caller's registers
 * directly (the lanes of ffp_handle serve the clean ones). */
#define SERVE_REGS(fn_, name_, since_, widths_, how_, spmc_, x8_, handler_,   \
		   note_)                                                     \
	[(fn_) - FFA_FN_FIRST] = { { name_, since_, widths_, how_, note_ },   \
				   spmc_, x8_, NULL, handler_ }

static const struct ffp_call_entry table[FFA_FN_LAST - FFA_FN_FIRST + 1] = {
	REFUSE(FFA_FN_ERROR, "FFA_ERROR", V10, W32,
	       "a return frame, not a request to the proxy"),
	REFUSE(FFA_FN_SUCCESS, "FFA_SUCCESS", V10, W32 | W64,
	       "a return frame, not a request to the proxy"),
	REFUSE(FFA_FN_INTERRUPT, "FFA_INTERRUPT", V10, W32,
	       "a return frame, not a request to the proxy"),
	SERVE(FFA_FN_VERSION, "FFA_VERSION", V10, W32, FFP_EMULATED, 0, false,
	      ffp_handle_version, "negotiated per policy"),
	SERVE(FFA_FN_FEATURES, "FFA_FEATURES", V10, W32, FFP_EMULATED, 0, false,
	      ffp_handle_features,
	      "answers for what the proxy serves to this caller's version"),
	SERVE_REGS(FFA_FN_RX_RELEASE, "FFA_RX_RELEASE", V10, W32, FFP_EMULATED,
		   0, false, ffp_regs_rx_release,
		   "the proxy owns callers' RX state"),
	SERVE(FFA_FN_RXTX_MAP, "FFA_RXTX_MAP", V10, W32 | W64, FFP_EMULATED, 0,
	      false, ffp_handle_rxtx_map,
	      "pages shared with the proxy; the proxy's own pair is mapped at "
	      "the SPMC"),
	SERVE(FFA_FN_RXTX_UNMAP, "FFA_RXTX_UNMAP", V10, W32, FFP_EMULATED, 0,
	      false, ffp_handle_rxtx_unmap, "pages returned to the caller"),
	SERVE(FFA_FN_PARTITION_INFO_GET, "FFA_PARTITION_INFO_GET", V10, W32,
	      FFP_TRANSLATED, V10, false, ffp_handle_partition_info_get,
	      "relayed through the proxy's buffers, 8/24-byte descriptors "
	      "converted"),
	SERVE_REGS(FFA_FN_ID_GET, "FFA_ID_GET", V10, W32, FFP_EMULATED, 0,
		   false, ffp_regs_id_get, "the caller's own id"),
	REFUSE(FFA_FN_MSG_POLL, "FFA_MSG_POLL", V10, W32,
	       "1.0 indirect messaging, removed in 1.1"),
	REFUSE(FFA_FN_MSG_WAIT, "FFA_MSG_WAIT", V10, W32,
	       "for partitions; normal-world endpoints never receive"),
	REFUSE(FFA_FN_YIELD, "FFA_YIELD", V10, W32, "for partitions"),
	SERVE_REGS(FFA_FN_RUN, "FFA_RUN", V10, W32, FFP_FORWARDED, V10, false,
		   ffp_regs_run,
		   "to resume the caller's own preempted direct request, and "
		   "the host's to give a partition cycles"),
	REFUSE(FFA_FN_MSG_SEND, "FFA_MSG_SEND", V10, W32,
	       "1.0 indirect messaging, removed in 1.1"),
	SERVE_REGS(FFA_FN_MSG_SEND_DIRECT_REQ, "FFA_MSG_SEND_DIRECT_REQ", V10,
		   W32 | W64, FFP_FORWARDED, V10, false, ffp_regs_direct_req,
		   "sender must be the caller, receiver a partition"),
	SERVE(FFA_FN_MSG_SEND_DIRECT_RESP, "FFA_MSG_SEND_DIRECT_RESP", V10,
	      W32 | W64, FFP_EMULATED, 0, false, ffp_handle_direct_resp,
	      "DENIED: no request is ever delivered to the normal world; "
	      "FEATURES: NOT_SUPPORTED"),
	SERVE(FFA_FN_MEM_DONATE, "FFA_MEM_DONATE", V10, W32 | W64, FFP_TRANSLATED,
	      V10, false, ffp_handle_mem_send,
	      "descriptor copied once, checked against page ownership, "
	      "re-emitted in the SPMC's layout"),
	SERVE(FFA_FN_MEM_LEND, "FFA_MEM_LEND", V10, W32 | W64, FFP_TRANSLATED,
	      V10, false, ffp_handle_mem_send,
	      "descriptor copied once, checked against page ownership, "
	      "re-emitted in the SPMC's layout"),
	SERVE(FFA_FN_MEM_SHARE, "FFA_MEM_SHARE", V10, W32 | W64, FFP_TRANSLATED,
	      V10, false, ffp_handle_mem_send,
	      "descriptor copied once, checked against page ownership, "
	      "re-emitted in the SPMC's layout"),
	REFUSE(FFA_FN_MEM_RETRIEVE_REQ, "FFA_MEM_RETRIEVE_REQ", V10, W32 | W64,
	       "normal-world endpoints do not borrow memory through the proxy"),
	REFUSE(FFA_FN_MEM_RETRIEVE_RESP, "FFA_MEM_RETRIEVE_RESP", V10, W32,
	       "a reply, never a request"),
	REFUSE(FFA_FN_MEM_RELINQUISH, "FFA_MEM_RELINQUISH", V10, W32,
	       "only borrowers relinquish; normal-world endpoints never borrow"),
	SERVE(FFA_FN_MEM_RECLAIM, "FFA_MEM_RECLAIM", V10, W32, FFP_FORWARDED,
	      V10, false, ffp_handle_mem_reclaim,
	      "owner only; pages return once the SPMC agrees"),
	REFUSE(FFA_FN_MEM_OP_PAUSE, "FFA_MEM_OP_PAUSE", V10, W32,
	       "optional in the spec, implemented by no SPMC"),
	REFUSE(FFA_FN_MEM_OP_RESUME, "FFA_MEM_OP_RESUME", V10, W32,
	       "optional in the spec, implemented by no SPMC"),
	REFUSE(FFA_FN_MEM_FRAG_RX, "FFA_MEM_FRAG_RX", V10, W32,
	       "as a call only for retrieve responses, which callers do not "
	       "get; FEATURES: SUCCESS with FRAG_TX, a sender's reply frame"),
	SERVE(FFA_FN_MEM_FRAG_TX, "FFA_MEM_FRAG_TX", V10, W32, FFP_TRANSLATED,
	      V10, false, ffp_handle_mem_frag_tx,
	      "per (handle, caller); re-fragmented for the SPMC's layout"),
	REFUSE(FFA_FN_NORMAL_WORLD_RESUME, "FFA_NORMAL_WORLD_RESUME", V10, W32,
	       "for the secure world"),
	REFUSE(FFA_FN_NOTIFICATION_BITMAP_CREATE, "FFA_NOTIFICATION_BITMAP_CREATE",
	       V11, W32, "hypervisor-only ABI: the proxy issues it for its callers"),
	REFUSE(FFA_FN_NOTIFICATION_BITMAP_DESTROY,
	       "FFA_NOTIFICATION_BITMAP_DESTROY", V11, W32,
	       "hypervisor-only ABI: the proxy issues it for its callers"),
	SERVE(FFA_FN_NOTIFICATION_BIND, "FFA_NOTIFICATION_BIND", V11, W32,
	      FFP_FORWARDED, V11, false, ffp_handle_notification_bind,
	      "receiver the caller, sender a partition; the caller's bitmap "
	      "created at the SPMC on first use"),
	SERVE(FFA_FN_NOTIFICATION_UNBIND, "FFA_NOTIFICATION_UNBIND", V11, W32,
	      FFP_FORWARDED, V11, false, ffp_handle_notification_bind,
	      "receiver the caller, sender a partition"),
	SERVE(FFA_FN_NOTIFICATION_SET, "FFA_NOTIFICATION_SET", V11, W32,
	      FFP_FORWARDED, V11, false, ffp_handle_notification_set,
	      "sender the caller, receiver a partition"),
	SERVE(FFA_FN_NOTIFICATION_GET, "FFA_NOTIFICATION_GET", V11, W32,
	      FFP_FORWARDED, V11, false, ffp_handle_notification_get,
	      "the caller's own; VM and hypervisor bitmaps zero; RX buffer "
	      "full delivers an indirect message"),
	SERVE(FFA_FN_NOTIFICATION_INFO_GET, "FFA_NOTIFICATION_INFO_GET", V11,
	      W32 | W64, FFP_FORWARDED, V11, false,
	      ffp_handle_notification_info_get,
	      "the host's alone (the receivers' scheduler); reply checked, "
	      "id 0 added for a kept message; VMs' lists to the platform's "
	      "notification_pending when given"),
	REFUSE(FFA_FN_RX_ACQUIRE, "FFA_RX_ACQUIRE", V11, W32,
	       "hypervisor-only ABI"),
	SERVE(FFA_FN_SPM_ID_GET, "FFA_SPM_ID_GET", V11, W32, FFP_FORWARDED, V11,
	      false, ffp_handle_spm_id_get, "needs a 1.1+ SPMC"),
	SERVE(FFA_FN_MSG_SEND2, "FFA_MSG_SEND2", V11, W32, FFP_TRANSLATED, V11,
	      false, ffp_handle_msg_send2,
	      "the host's via the proxy's buffers, a VM's via its bounce "
	      "pair (ffp_endpoint_set_msg_buffers), header translated; "
	      "partitions' messages reach the receiver's RX at its "
	      "NOTIFICATION_GET"),
	REFUSE(FFA_FN_SECONDARY_EP_REGISTER, "FFA_SECONDARY_EP_REGISTER", V11,
	       W32 | W64, "for partitions"),
	REFUSE(FFA_FN_MEM_PERM_GET, "FFA_MEM_PERM_GET", V11, W32 | W64,
	       "for S-EL0 partitions"),
	REFUSE(FFA_FN_MEM_PERM_SET, "FFA_MEM_PERM_SET", V11, W32 | W64,
	       "for S-EL0 partitions"),
	REFUSE(FFA_FN_CONSOLE_LOG, "FFA_CONSOLE_LOG", V12, W32 | W64,
	       "for partitions"),
	SERVE(FFA_FN_PARTITION_INFO_GET_REGS, "FFA_PARTITION_INFO_GET_REGS", V12,
	      W64, FFP_TRANSLATED, V10, false,
	      ffp_handle_partition_info_get_regs,
	      "forwarded over a 1.2 SPMC with SMCCC 1.2 (emulated from its "
	      "first NOT_SUPPORTED or SMCCC unknown on); otherwise emulated "
	      "from the buffer form (one query, one RX_RELEASE)"),
	REFUSE(FFA_FN_EL3_INTR_HANDLE, "FFA_EL3_INTR_HANDLE", V12, W32,
	       "for the secure world"),
	SERVE_REGS(FFA_FN_MSG_SEND_DIRECT_REQ2, "FFA_MSG_SEND_DIRECT_REQ2", V12,
		   W64, FFP_FORWARDED, V12, true, ffp_regs_direct_req2,
		   "needs a 1.2 SPMC and SMCCC 1.2"),
	SERVE(FFA_FN_MSG_SEND_DIRECT_RESP2, "FFA_MSG_SEND_DIRECT_RESP2", V12, W64,
	      FFP_EMULATED, 0, false, ffp_handle_direct_resp,
	      "DENIED: no request is ever delivered to the normal world; "
	      "FEATURES: NOT_SUPPORTED"),
};

static const struct ffp_call_entry reserved = {
	{ NULL, 0, 0, FFP_REFUSED, "reserved function number" }, 0, false, NULL,
	NULL
};

const struct ffp_call_entry *ffp_call_entry(uint32_t fn)
{
	const struct ffp_call_entry *e;

	if (fn < FFA_FN_FIRST || fn > FFA_FN_LAST)
		return &reserved;
	e = &table[fn - FFA_FN_FIRST];
	return e->desc.name ? e : &reserved;
}

const struct ffp_call_desc *ffp_call_desc(uint32_t fn)
{
	return &ffp_call_entry(fn)->desc;
}

const char *ffp_handling_name(enum ffp_handling h)
{
	switch (h) {
	case FFP_EMULATED:
		return "emulated";
	case FFP_FORWARDED:
		return "forwarded";
	case FFP_TRANSLATED:
		return "translated";
	case FFP_REFUSED:
		break;
	}
	return "refused";
}

const char *ffp_call_unavailable(const struct ffp *p, uint32_t func,
				 uint32_t version)
{
	const struct ffp_call_entry *e = ffp_call_entry(ffa_fn(func));
	uint8_t width = ffa_is_smc64(func) ? W64 : W32;

	if (e->desc.handling == FFP_REFUSED)
		return e->desc.note;
	if (!(e->desc.widths & width))
		return "function not defined at this width";
	if (version < e->desc.since)
		return "function not defined at the caller's version";
	if (e->spmc_since && p->spmc_version < e->spmc_since)
		return "function not available at the SPMC's version";
	if (e->needs_x8_x17 && !p->x8_x17)
		return "needs SMCCC 1.2 registers x8..x17";
	if (e->regs_handler == ffp_regs_run && !p->cfg.max_preempted)
		return "no preempted requests kept (max_preempted 0)";
	return NULL;
}

void ffp_servable_update(struct ffp *p)
{
	uint32_t minor, fn, w;

	for (minor = 0; minor < 3; minor++) {
		for (fn = FFA_FN_FIRST; fn <= FFA_FN_LAST; fn++) {
			for (w = 0; w < 2; w++) {
				uint32_t id = w ? FFA_ID_64(fn) : FFA_ID_32(fn);
				uint32_t bit = (fn - FFA_FN_FIRST) * 2 + w;
				uint64_t m = 1ull << (bit % 64);

				if (ffp_call_unavailable(p, id,
							 FFA_MAKE_VERSION(1, minor)))
					p->servable[minor][bit / 64] &= ~m;
				else
					p->servable[minor][bit / 64] |= m;
			}
		}
	}
}

void ffp_regs_write(struct ffa_regs *regs, const struct ffa_regs *out,
		    uint32_t func, uint32_t version)
{
	unsigned int i;

	/* Straight-line stores: a masked loop costs twice as much. */
	if (ffa_is_smc64(func)) {
		for (i = 0; i < 8; i++)
			regs->x[i] = out->x[i];
	} else {
		regs->x[0] = (uint32_t)out->x[0];
		regs->x[1] = (uint32_t)out->x[1];
		regs->x[2] = (uint32_t)out->x[2];
		regs->x[3] = (uint32_t)out->x[3];
		regs->x[4] = (uint32_t)out->x[4];
		regs->x[5] = (uint32_t)out->x[5];
		regs->x[6] = (uint32_t)out->x[6];
		regs->x[7] = (uint32_t)out->x[7];
	}
	if (ffp_results_x8_x17(func, version)) {
		for (i = 8; i < FFA_NREGS; i++)
			regs->x[i] = out->x[i];
	}
}

void ffp_regs_refuse(struct ffp *p, uint16_t ep_id, uint32_t func,
		     uint32_t version, struct ffa_regs *regs, int32_t status,
		     const char *why, uint64_t value)
{
	struct ffp_call c;

	c.p = p;
	c.ep_id = ep_id;
	c.func = func;
	ffp_refuse(&c, status, why, value);
	ffp_regs_write(regs, &c.out, func, version);
}

/*
 * Every call that is not served on a lane: refusals before the version
 * is known, FFA_VERSION, a caller's first call (which locks its version),
 * requests a lane found not clean (register handlers), and the calls that
 * work on a private copy of the registers.
 */
static void handle_call(struct ffp *p, uint16_t ep_id, uint32_t func,
			struct ffa_regs *regs)
{
	const struct ffp_call_entry *e = ffp_call_entry(ffa_fn(func));
	struct ffp_call c;
	const char *why;

	c.p = p;
	c.ep_id = ep_id;
	c.ep = NULL;
	c.func = func;
	c.smc64 = ffa_is_smc64(func);
	c.version = 0;
	ffp_regs_zero(&c.out);
	/* Before `present`: an endpoint removed and another added under
	 * the id after this read has another gen (notif.c call_begin). */
	c.gen = ep_id < p->cfg.max_endpoints
			? __atomic_load_n(&p->eps[ep_id].gen, __ATOMIC_ACQUIRE)
			: 0;

	if (!p->ffa_enabled || ep_id >= p->cfg.max_endpoints ||
	    !p->eps[ep_id].present) {
		why = p->ffa_enabled ? "unknown endpoint" : "FF-A disabled";
		/* The bare w0 answer is FFA_VERSION's, the SMC32 id's
		 * alone: 0xC4000063 is no function, refused with an
		 * FFA_ERROR frame as from a known endpoint. */
		if (func == FFA_VERSION_32) {
			c.out.x[0] = (uint32_t)FFA_NOT_SUPPORTED;
			ffp_log(p, ep_id, func, FFA_NOT_SUPPORTED, why, ep_id);
		} else {
			ffp_refuse(&c, FFA_NOT_SUPPORTED, why, ep_id);
		}
		goto out;
	}
	c.ep = &p->eps[ep_id];

	/* FFA_VERSION is SMC32 only (the table's widths): 0xC4000063 is no
	 * function, and must neither negotiate (under strict it moved the
	 * SPMC down) nor lock the version, since nothing was served. */
	if (e->handler == ffp_handle_version && c.smc64) {
		ffp_refuse(&c, FFA_NOT_SUPPORTED,
			   "function not defined at this width", func);
		goto out;
	}
	/* Nor does any other id that names no function (a reserved number,
	 * or a width the function lacks) lock a caller's version, or under
	 * strict move the SPMC down: nothing is served (Hafnium's
	 * ffa_handler does not take such ids, so ffa_version_negotiated
	 * stays clear). A locked caller is refused below, at its version;
	 * one answered a version is refused at it (x8..x17 of an SMC64 id
	 * are results at 1.2). */
	if (!ffp_version_is_locked(c.ep) &&
	    (!e->desc.name || !(e->desc.widths & (c.smc64 ? W64 : W32)))) {
		if (c.ep->version_set)
			c.version = c.ep->version;
		ffp_refuse(&c, FFA_NOT_SUPPORTED,
			   e->desc.name ? "function not defined at this width"
					: e->desc.note,
			   func);
		goto out;
	}
	if (e->handler != ffp_handle_version) {
		if (!ffp_lock_version(&c))
			goto out;
		if (!ffp_servable(p, func, c.version)) {
			why = ffp_call_unavailable(p, func, c.version);
			ffp_refuse(&c, FFA_NOT_SUPPORTED,
				   why ? why : "not servable", func);
			goto out;
		}
		if (e->regs_handler) {
			e->regs_handler(p, c.gen, ep_id, func, c.version, regs);
			return;
		}
	}

	/* Copy the caller's registers once; the handler reads the copy.
	 * SMC32: only w1..w7 are arguments (SMCCC 1.2 2.6). */
	c.in = *regs;
	if (!c.smc64) {
		c.in.x[1] = (uint32_t)regs->x[1];
		c.in.x[2] = (uint32_t)regs->x[2];
		c.in.x[3] = (uint32_t)regs->x[3];
		c.in.x[4] = (uint32_t)regs->x[4];
		c.in.x[5] = (uint32_t)regs->x[5];
		c.in.x[6] = (uint32_t)regs->x[6];
		c.in.x[7] = (uint32_t)regs->x[7];
	}
	if (e->handler)
		e->handler(&c);
	else /* a servable entry always has one; never reached */
		ffp_refuse(&c, FFA_NOT_SUPPORTED, "no handler", c.func);
out:
	ffp_regs_write(regs, &c.out, func, c.version);
}

/* An FF-A function id (DEN0028 2.5): a fast call of the standard secure
 * service owner, bits [23:16] zero (bit 16, the SVE hint, cleared first
 * by ffp_handle_general), function number 0x60..0xEF, SMC32 or SMC64,
 * upper half zero. With bit 30 (SMC64) cleared that is exactly the
 * range 0x84000060..0x840000EF: the test of ffa_is_ffa_call() in two
 * operations. */
uint16_t ffp_lanes(const struct ffp *p, uint32_t v)
{
	static const uint32_t mem_ids[] = {
		FFA_MEM_DONATE_32, FFA_MEM_DONATE_64, FFA_MEM_LEND_32,
		FFA_MEM_LEND_64,   FFA_MEM_SHARE_32,  FFA_MEM_SHARE_64,
		FFA_MEM_RECLAIM_32, FFA_MEM_FRAG_TX_32,
	};
	uint16_t lanes = FFP_LANE_MEM;
	unsigned int i;

	bool x0_x7 = p->plat->smc_x0_x7 != NULL;

	if (ffp_servable(p, FFA_MSG_SEND_DIRECT_REQ_32, v))
		lanes |= x0_x7 ? FFP_LANE_DIRECT_REQ_32_X0_X7
			       : FFP_LANE_DIRECT_REQ_32;
	/* The version decides which lane serves DIRECT_REQ_64: x8..x17 are
	 * results at 1.2 only. Fixed once locked, so settled here, as is
	 * the platform's. */
	if (ffp_servable(p, FFA_MSG_SEND_DIRECT_REQ_64, v))
		lanes |= v >= FFA_VERSION_1_2 ? FFP_LANE_DIRECT_REQ_64_V12
			 : x0_x7	      ? FFP_LANE_DIRECT_REQ_64_X0_X7
					      : FFP_LANE_DIRECT_REQ_64;
	if (ffp_servable(p, FFA_MSG_SEND_DIRECT_REQ2_64, v))
		lanes |= FFP_LANE_DIRECT_REQ2;
	if (ffp_servable(p, FFA_ID_GET_32, v))
		lanes |= FFP_LANE_ID_GET;
	if (ffp_servable(p, FFA_RX_RELEASE_32, v))
		lanes |= FFP_LANE_RX_RELEASE;
	/* One bit for the memory calls: all of them servable, or none on
	 * the lane (the general path refuses those that are not). */
	for (i = 0; i < sizeof(mem_ids) / sizeof(mem_ids[0]); i++)
		if (!ffp_servable(p, mem_ids[i], v))
			lanes &= (uint16_t)~FFP_LANE_MEM;
	return lanes;
}

static inline bool is_ffa_id(uint64_t x0)
{
	return (x0 & ~(uint64_t)SMCCC_SMC64) - FFA_ID_32(FFA_FN_FIRST) <=
	       FFA_FN_LAST - FFA_FN_FIRST;
}

/* Out of line so that ffp_handle stays frameless for the lanes. */
__attribute__((noinline)) bool
ffp_handle_general(struct ffp *p, uint16_t ep_id, struct ffa_regs *regs)
{
	/* The function id is W0 (SMCCC; TF-A's dispatch reads W0 alone),
	 * and SMCCC 1.3's SVE hint (bit 16) leaves the function as it is:
	 * TF-A and Hafnium clear it and serve the FF-A call. Returned as
	 * "not FF-A", such an id could reach EL3 past every check here
	 * through an embedder that forwards what the proxy does not claim;
	 * so it is claimed and served under the plain id (the lanes compare
	 * x0 whole and leave these to this path: nothing on them pays). */
	uint64_t x0 = (uint32_t)regs->x[0] & ~SMCCC_SVE_HINT;

	if (!is_ffa_id(x0))
		return false;
	handle_call(p, ep_id, (uint32_t)x0, regs);
	return true;
}

/*
 * The memory lane: FFA_MEM_SHARE/LEND/DONATE, RECLAIM and FRAG_TX of a
 * caller whose version is locked (FFP_LANE_MEM: present, locked, every
 * one of them servable at its version), through handler `h`, on a struct
 * ffp_call with only what the memory handlers use (internal.h): the
 * caller, the function, the version, x1..x4 (SMC32: low halves), and
 * c.out.x[0..3] zero. x0..x3 go back (SMC32: zero-extended) and x4..x7
 * as zero, the only value the memory handlers give them; x8..x17 are
 * results (zero) for SMC64 at 1.2 and otherwise the caller's, as
 * handle_call and ffp_regs_write leave them. One copy per width, so
 * that neither tests it.
 */
static inline __attribute__((always_inline)) bool
lane_mem(struct ffp *p, uint16_t ep_id, struct ffa_regs *regs, ffp_handler h,
	 struct ffp_endpoint *ep, uint32_t func, bool smc64)
{
	struct ffp_call c;

	c.p = p;
	c.ep_id = ep_id;
	c.ep = ep;
	c.func = func;
	c.version = ep->version;
	/* Read after ffp_handle found the lane: a removal begun on another
	 * CPU since leaves its own gen here, with the id not present, which
	 * the handlers refuse under STATE where they act for the caller
	 * (ffp_call_stale). */
	c.gen = ep->gen;
	if (smc64) {
		c.in.x[1] = regs->x[1];
		c.in.x[2] = regs->x[2];
		c.in.x[3] = regs->x[3];
		c.in.x[4] = regs->x[4];
	} else {
		c.in.x[1] = (uint32_t)regs->x[1];
		c.in.x[2] = (uint32_t)regs->x[2];
		c.in.x[3] = (uint32_t)regs->x[3];
		c.in.x[4] = (uint32_t)regs->x[4];
	}
	c.out.x[0] = 0;
	c.out.x[1] = 0;
	c.out.x[2] = 0;
	c.out.x[3] = 0;
	/* The results that are zero whatever the handler does, written
	 * before the call with the zeros above: x4 has been read, and
	 * `regs` is the lane's alone (the handler sees only c). x8..x17:
	 * ffp_results_x8_x17() of an SMC64 memory call. */
	regs->x[4] = 0;
	regs->x[5] = 0;
	regs->x[6] = 0;
	regs->x[7] = 0;
	if (smc64 && c.version >= FFA_VERSION_1_2) {
		regs->x[8] = 0;
		regs->x[9] = 0;
		regs->x[10] = 0;
		regs->x[11] = 0;
		regs->x[12] = 0;
		regs->x[13] = 0;
		regs->x[14] = 0;
		regs->x[15] = 0;
		regs->x[16] = 0;
		regs->x[17] = 0;
	}
	h(&c);
	if (smc64) {
		regs->x[0] = c.out.x[0];
		regs->x[1] = c.out.x[1];
		regs->x[2] = c.out.x[2];
		regs->x[3] = c.out.x[3];
	} else {
		regs->x[0] = (uint32_t)c.out.x[0];
		regs->x[1] = (uint32_t)c.out.x[1];
		regs->x[2] = (uint32_t)c.out.x[2];
		regs->x[3] = (uint32_t)c.out.x[3];
	}
	return true;
}

/* One function per handler and width: a direct call, and no handler
 * address for ffp_handle to load. RECLAIM and FRAG_TX have one id each
 * (ffp_handle took the lane for x0 equal to it): a constant. */
static __attribute__((noinline)) bool
lane_mem_send_32(struct ffp *p, uint16_t ep_id, struct ffa_regs *regs,
		 struct ffp_endpoint *ep)
{
	return lane_mem(p, ep_id, regs, ffp_handle_mem_send, ep,
			(uint32_t)regs->x[0], false);
}

static __attribute__((noinline)) bool
lane_mem_send_64(struct ffp *p, uint16_t ep_id, struct ffa_regs *regs,
		 struct ffp_endpoint *ep)
{
	return lane_mem(p, ep_id, regs, ffp_handle_mem_send, ep,
			(uint32_t)regs->x[0], true);
}

static __attribute__((noinline)) bool
lane_mem_reclaim(struct ffp *p, uint16_t ep_id, struct ffa_regs *regs,
		 struct ffp_endpoint *ep)
{
	return lane_mem(p, ep_id, regs, ffp_handle_mem_reclaim, ep,
			FFA_MEM_RECLAIM_32, false);
}

static __attribute__((noinline)) bool
lane_mem_frag_tx(struct ffp *p, uint16_t ep_id, struct ffa_regs *regs,
		 struct ffp_endpoint *ep)
{
	return lane_mem(p, ep_id, regs, ffp_handle_mem_frag_tx, ep,
			FFA_MEM_FRAG_TX_32, false);
}

/*
 * After the register lanes (x0, `lanes` and `ep` as ffp_handle read
 * them):
 * the memory lane for its function ids, SHARE/LEND/DONATE at either
 * width and RECLAIM and FRAG_TX as SMC32 (their SMC64 ids are not
 * functions: the general path refuses them), or the general path.
 * Inlined after the register lanes' tests, which it leaves as they were;
 * the lane's frame is in the lane_mem_* functions, so the general path and the
 * register lanes do not pay for it.
 */
static inline __attribute__((always_inline)) bool
handle_rest(struct ffp *p, uint16_t ep_id, struct ffa_regs *regs,
	    uint64_t x0, uint16_t lanes, struct ffp_endpoint *ep)
{
	uint64_t k;

	if (!(lanes & FFP_LANE_MEM))
		return ffp_handle_general(p, ep_id, regs);
	/* The SMC32 sends and the reclaim first, the commonest; then one
	 * range test lets every other call go. */
	if (x0 - FFA_MEM_DONATE_32 <= FFA_FN_MEM_SHARE - FFA_FN_MEM_DONATE)
		return lane_mem_send_32(p, ep_id, regs, ep);
	if (x0 == FFA_MEM_RECLAIM_32)
		return lane_mem_reclaim(p, ep_id, regs, ep);
	k = (x0 & ~(uint64_t)SMCCC_SMC64) - FFA_MEM_DONATE_32;
	if (k > FFA_FN_MEM_FRAG_TX - FFA_FN_MEM_DONATE)
		return ffp_handle_general(p, ep_id, regs);
	if (k <= FFA_FN_MEM_SHARE - FFA_FN_MEM_DONATE)
		return lane_mem_send_64(p, ep_id, regs, ep);
	if (x0 == FFA_MEM_FRAG_TX_32)
		return lane_mem_frag_tx(p, ep_id, regs, ep);
	return ffp_handle_general(p, ep_id, regs);
}

/*
 * The entry point. Lanes first: the pass-through calls of a caller whose
 * version is locked go straight from the function id to their handler
 * (a tail call, no frame here). ep->lanes is set with the version lock
 * (release order) and cleared with the endpoint, so a lane bit read here
 * means a present, locked caller to whom the call is servable. A lane
 * handler that finds the request not clean hands it to
 * ffp_handle_general(), which serves or refuses it with its reasons.
 * The memory lane (FFP_LANE_MEM) is tested last, after the register
 * lanes, whose code it leaves as it was.
 */
bool ffp_handle(struct ffp *p, uint16_t ep_id, struct ffa_regs *regs)
{
	uint64_t x0 = regs->x[0];
	struct ffp_endpoint *ep;
	uint16_t lanes;

	if (ep_id >= p->cfg.max_endpoints)
		return ffp_handle_general(p, ep_id, regs);
	ep = &p->eps[ep_id];
	lanes = __atomic_load_n(&ep->lanes, __ATOMIC_ACQUIRE);
	if (x0 == FFA_MSG_SEND_DIRECT_REQ_64 &&
	    (lanes & FFP_LANE_DIRECT_REQ_64_V12))
		return ffp_lane_direct_req_64_v12(p, ep_id, regs);
	if (x0 == FFA_MSG_SEND_DIRECT_REQ_64 &&
	    (lanes & FFP_LANE_DIRECT_REQ_64_X0_X7))
		return ffp_lane_direct_req_64_x0_x7(p, ep_id, regs);
	if (x0 == FFA_MSG_SEND_DIRECT_REQ_64 && (lanes & FFP_LANE_DIRECT_REQ_64))
		return ffp_lane_direct_req_64(p, ep_id, regs);
	if (x0 == FFA_MSG_SEND_DIRECT_REQ_32 &&
	    (lanes & FFP_LANE_DIRECT_REQ_32_X0_X7))
		return ffp_lane_direct_req_32_x0_x7(p, ep_id, regs);
	if (x0 == FFA_MSG_SEND_DIRECT_REQ_32 && (lanes & FFP_LANE_DIRECT_REQ_32))
		return ffp_lane_direct_req_32(p, ep_id, regs);
	if (x0 == FFA_MSG_SEND_DIRECT_REQ2_64 && (lanes & FFP_LANE_DIRECT_REQ2))
		return ffp_lane_direct_req2(p, ep_id, regs);
	if (x0 == FFA_ID_GET_32 && (lanes & FFP_LANE_ID_GET))
		return ffp_lane_id_get(regs, ep_id);
	if (x0 == FFA_RX_RELEASE_32 && (lanes & FFP_LANE_RX_RELEASE))
		return ffp_lane_rx_release(p, ep_id, ep->version, regs);
	return handle_rest(p, ep_id, regs, x0, lanes, ep);
}
