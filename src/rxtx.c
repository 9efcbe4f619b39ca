/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * RX/TX buffers (DEN0077A 1.1 7.2, 13.6-13.8). A caller's buffer pair is
 * never handed to the SPMC: its pages move to "shared with the proxy" and
 * the proxy relays through its own pair, which is mapped at the SPMC once.
 * So a caller cannot race the SPMC on its own buffers, and unmapping one
 * needs no SMC.
 */
#include <ffaproxy/msg2.h>

#include "internal.h"

/* Pages shared with the proxy go back to their owner. That must not
 * fail (platform.h); a platform breaking it is logged, as mem.c's
 * give_back does, since the proxy has no state to return to. */
static void buffer_give_back(struct ffp *p, uint16_t id, uint64_t pa,
			     uint64_t size)
{
	if (p->plat->page_transition(p->ctx, id, pa, size,
				     FFP_PAGE_SHARED_PROXY, FFP_PAGE_OWNED))
		ffp_log(p, id, 0, 0, "platform failed to undo a page transition",
			pa);
}

static bool ranges_overlap(uint64_t a, uint64_t b, uint64_t size)
{
	return a < b + size && b < a + size;
}

void ffp_handle_rxtx_map(struct ffp_call *c)
{
	struct ffp *p = c->p;
	struct ffp_endpoint *ep = c->ep;
	uint64_t tx = c->in.x[1], rx = c->in.x[2], size, bad = tx;
	uint32_t w3 = (uint32_t)c->in.x[3], pages;
	bool map_own = false;
	int32_t st;

	/* w3[5:0] page count, w3[31:6] MBZ (DEN0077A 1.1 table 13.27). */
	if (w3 & ~0x3fu) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS, "RXTX_MAP w3[31:6] MBZ", w3);
		return;
	}
	pages = w3;
	if (pages == 0 || pages > p->cfg.max_buffer_pages) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "RXTX_MAP page count out of range", pages);
		return;
	}
	size = (uint64_t)pages * FFA_PAGE_SIZE;
	/* 16K/64K hosts: buffers are whole granules (FEATURES w2[1:0]). */
	if (size % p->cfg.granule) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "RXTX_MAP size not a multiple of the granule", pages);
		return;
	}
	if ((tx | rx) % p->cfg.granule) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "RXTX_MAP buffer not aligned to the granule",
			   (tx % p->cfg.granule) ? tx : rx);
		return;
	}
	if (tx > UINT64_MAX - size || rx > UINT64_MAX - size) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "RXTX_MAP buffer wraps the address space",
			   tx > UINT64_MAX - size ? tx : rx);
		return;
	}
	if (ranges_overlap(tx, rx, size)) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "RXTX_MAP TX and RX overlap", rx);
		return;
	}

	ffp_lock(p, FFP_LOCK_STATE);
	/* Removed since the call began: the pages would be recorded on the
	 * id's next endpoint, or on none (never given back). */
	if (ffp_call_stale(c)) {
		ffp_unlock(p, FFP_LOCK_STATE);
		ffp_refuse(c, FFA_NOT_SUPPORTED, FFP_WHY_STALE, c->ep_id);
		return;
	}
	if (ep->mapped) {
		uint64_t mapped_tx = ep->tx_pa; /* read under the lock */

		ffp_unlock(p, FFP_LOCK_STATE);
		ffp_refuse(c, FFA_DENIED, "RXTX_MAP: buffers already mapped",
			   mapped_tx);
		return;
	}
	st = p->plat->page_transition(p->ctx, c->ep_id, tx, size,
				      FFP_PAGE_OWNED, FFP_PAGE_SHARED_PROXY);
	if (st == 0) {
		st = p->plat->page_transition(p->ctx, c->ep_id, rx, size,
					      FFP_PAGE_OWNED,
					      FFP_PAGE_SHARED_PROXY);
		bad = rx;
		if (st != 0)
			buffer_give_back(p, c->ep_id, tx, size);
	}
	if (st == 0) {
		ep->mapped = true;
		ep->tx_pa = tx;
		ep->rx_pa = rx;
		ep->buffer_pages = pages;
		ffp_rx_held_set(ep, false);
		/* Partitions message the host (1.1+) into the normal world's
		 * RX at the SPMC, the proxy's pair: without it there, the
		 * SPMC answers them BUSY (Hafnium vm_is_mailbox_busy, recv
		 * NULL). The host's own map made it so without the proxy,
		 * and a host that needs no buffer of the proxy's otherwise
		 * (Linux over 1.2: PARTITION_INFO_GET_REGS) would never get
		 * one. Safe now: the host's version is locked (strict
		 * renegotiation is over). */
		map_own = c->ep_id == 0 &&
			  p->spmc_version >= FFA_VERSION_1_1;
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	if (st != 0) {
		/* Buffers that are not memory the caller owns (the
		 * platform's DENIED) are INVALID_PARAMETERS: DEN0077A
		 * FFA_RXTX_MAP, "not mapped to a valid memory region in the
		 * caller's translation regime"; Hafnium
		 * api_vm_configure_pages, TF-A EL3 SPMC rxtx_map_handler.
		 * DENIED is for a pair already mapped (above). Any other
		 * status of the platform's (NO_MEMORY) stands. */
		int32_t status = st < 0 ? ffp_status((uint32_t)st) : FFA_DENIED;

		ffp_refuse(c,
			   status == FFA_DENIED ? FFA_INVALID_PARAMETERS : status,
			   "RXTX_MAP: buffer pages not owned by the caller", bad);
		return;
	}
	/* Not the caller's failure if refused: the next use of the pair
	 * maps it again (ffp_spmc_buffers_map) and answers for it. */
	if (map_own) {
		ffp_lock(p, FFP_LOCK_BUFFERS);
		(void)ffp_spmc_buffers_map(p);
		ffp_unlock(p, FFP_LOCK_BUFFERS);
	}
	ffp_success(c, 0, 0);
}

/* STATE lock held. */
void ffp_endpoint_buffers_release(struct ffp *p, struct ffp_endpoint *ep,
				  uint16_t id)
{
	uint64_t size = (uint64_t)ep->buffer_pages * FFA_PAGE_SIZE;

	if (!ep->mapped)
		return;
	buffer_give_back(p, id, ep->rx_pa, size);
	buffer_give_back(p, id, ep->tx_pa, size);
	ep->mapped = false;
	ffp_rx_held_set(ep, false);
	ep->tx_pa = ep->rx_pa = 0;
	ep->buffer_pages = 0;
}

/* w1[31:16] names the endpoint whose buffers are meant; a caller may
 * only name itself (0 is accepted as "myself", as from a VM's view). */
static bool names_self(struct ffp_call *c)
{
	uint16_t id = (uint16_t)(c->in.x[1] >> 16);

	return id == 0 || id == c->ep_id;
}

void ffp_handle_rxtx_unmap(struct ffp_call *c)
{
	struct ffp *p = c->p;
	struct ffp_endpoint *ep = c->ep;
	int32_t status = 0;
	const char *why = NULL;
	uint32_t pending = 0;

	if (!names_self(c)) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "RXTX_UNMAP names another endpoint", c->in.x[1] >> 16);
		return;
	}
	if (c->in.x[1] & 0xffffu) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS, "RXTX_UNMAP w1[15:0] MBZ",
			   c->in.x[1]);
		return;
	}
	ffp_lock(p, FFP_LOCK_STATE);
	if (ffp_call_stale(c)) {
		/* The id's buffers are a new endpoint's, if any. */
		status = FFA_NOT_SUPPORTED;
		why = FFP_WHY_STALE;
	} else if (!ep->mapped) {
		status = FFA_INVALID_PARAMETERS;
		why = "RXTX_UNMAP: no buffers mapped";
	} else if (ep->busy) {
		status = FFA_BUSY;
		why = "RXTX_UNMAP: the proxy is using the buffers";
	} else if (ep->pending) {
		pending = ep->pending;
	} else {
		ffp_endpoint_buffers_release(p, ep, c->ep_id);
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	if (pending) {
		/* Fragments can no longer come: abort those transactions at
		 * the SPMC and give their pages back first. */
		ffp_mem_endpoint_teardown(p, c->ep_id, false, c->gen);
		ffp_lock(p, FFP_LOCK_STATE);
		if (ffp_call_stale(c)) {
			status = FFA_NOT_SUPPORTED;
			why = FFP_WHY_STALE;
		} else if (ep->busy) {
			status = FFA_BUSY;
			why = "RXTX_UNMAP: the proxy is using the buffers";
		} else if (ep->pending) {
			/* Another CPU of the caller began a fragmented send
			 * after the teardown: released buffers would leave it
			 * waiting for fragments that cannot come. A retry
			 * aborts it. */
			status = FFA_BUSY;
			why = "RXTX_UNMAP: a transaction began awaiting fragments";
		} else if (!ep->mapped) {
			/* Another CPU of the caller unmapped meanwhile: that
			 * unmap succeeded, this one has nothing to release. */
			status = FFA_INVALID_PARAMETERS;
			why = "RXTX_UNMAP: no buffers mapped";
		} else {
			ffp_endpoint_buffers_release(p, ep, c->ep_id);
		}
		ffp_unlock(p, FFP_LOCK_STATE);
	}
	if (status)
		ffp_refuse(c, status, why, 0);
	else
		ffp_success(c, 0, 0);
}

/* Register-only: w1[15:0] names the receiver (0 or the caller's own
 * id), w1[31:16] is reserved (MBZ). Not RXTX_UNMAP's layout: Hafnium
 * reads RX_RELEASE's id as ffa_receiver() (arg1 & 0xffff) and forwards a
 * VM's release with arg1 = the VM id; Arm's arm-ffa crate decodes
 * RxRelease { vm_id: regs[1] as u16 }. */
void ffp_regs_rx_release(struct ffp *p, uint32_t gen, uint16_t ep_id,
			 uint32_t func, uint32_t version, struct ffa_regs *regs)
{
	struct ffp_endpoint *ep = &p->eps[ep_id];
	uint32_t w1 = (uint32_t)regs->x[1];
	uint16_t id = (uint16_t)w1;
	int32_t status = FFA_DENIED;
	const char *why = NULL;

	if ((id != 0 && id != ep_id) || (w1 >> 16)) {
		ffp_regs_refuse(p, ep_id, func, version, regs,
				FFA_INVALID_PARAMETERS,
				w1 >> 16 ? "RX_RELEASE w1[31:16] MBZ"
					 : "RX_RELEASE names another endpoint",
				w1);
		return;
	}
	ffp_lock(p, FFP_LOCK_STATE);
	if (ffp_endpoint_stale(ep, gen)) {
		/* The RX is a new endpoint's, if any. */
		status = FFA_NOT_SUPPORTED;
		why = FFP_WHY_STALE;
	} else if (!ep->mapped) {
		why = "RX_RELEASE: no buffers mapped";
	} else if (!ffp_rx_held(ep)) {
		why = "RX_RELEASE: the caller does not own its RX buffer";
	} else {
		ffp_rx_held_set(ep, false);
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	if (why) {
		ffp_regs_refuse(p, ep_id, func, version, regs, status, why, 0);
		return;
	}
	ffp_regs_success32(regs, 0);
}

/* FFA_RXTX_UNMAP of the normal world's own pair: w1 = 0 (TF-A's EL3
 * SPMC refuses any other w1 from the normal world). True on SUCCESS. */
static bool spmc_buffers_unmap(struct ffp *p)
{
	struct ffa_regs r;

	ffp_regs_zero(&r);
	r.x[0] = FFA_RXTX_UNMAP_32;
	ffp_smc(p, &r);
	return ffp_is_success(r.x[0]);
}

/* One FFA_RXTX_MAP of the proxy's pair: 0, the SPMC's refusal, or
 * ABORTED for a reply outside the protocol. */
static int32_t spmc_buffers_map_once(struct ffp *p)
{
	struct ffa_regs r;

	ffp_regs_zero(&r);
	r.x[0] = FFA_RXTX_MAP_64;
	r.x[1] = p->cfg.buffers.tx_pa;
	r.x[2] = p->cfg.buffers.rx_pa;
	r.x[3] = p->cfg.buffers.pages;
	ffp_smc(p, &r);
	if ((uint32_t)r.x[0] == FFA_SUCCESS_32 ||
	    (uint32_t)r.x[0] == FFA_SUCCESS_64) {
		p->spmc_buffers_mapped = true;
		return 0;
	}
	/* A refusal: a status FF-A defines (ffp_status keeps it as it
	 * is). An error frame with any other w2 is outside the protocol,
	 * as for the memory calls (mem.c check_reply). */
	if ((uint32_t)r.x[0] == FFA_ERROR_32 &&
	    ffp_status(r.x[2]) == (int32_t)(uint32_t)r.x[2])
		return ffp_status(r.x[2]);
	/* A reply outside the protocol: the SPMC may have mapped the pair,
	 * and would refuse every later map (DENIED). Unmap it, whatever the
	 * answer, so the next use maps afresh. */
	(void)spmc_buffers_unmap(p);
	return FFA_ABORTED;
}

/* BUFFERS lock held. The proxy's pair goes to the SPMC on first use, not
 * at init: under the strict policy the SPMC's version must stay open to
 * renegotiation until an endpoint locks its own. */
int32_t ffp_spmc_buffers_map(struct ffp *p)
{
	int32_t st;

	if (p->spmc_buffers_mapped)
		return 0;
	st = spmc_buffers_map_once(p);
	if (st != FFA_DENIED || p->spmc_stale_pair_tried)
		return st;
	/*
	 * DENIED: the SPMC already holds a pair for the normal world (TF-A's
	 * EL3 SPMC spmc_ffa_rxtx_map, Hafnium api_vm_configure_pages). The
	 * proxy never maps its own twice (spmc_buffers_mapped), so it is a
	 * pair an earlier boot stage left mapped (U-Boot and EDK2 unmap
	 * theirs before the OS for this reason) or an earlier proxy's
	 * before the hypervisor restarted. The normal world's pair is the
	 * proxy's now: unmap it and map again, once per instance. An unmap
	 * the SPMC refuses means nothing was mapped: the DENIED stands.
	 */
	p->spmc_stale_pair_tried = true;
	if (!spmc_buffers_unmap(p))
		return FFA_DENIED;
	ffp_log(p, 0, FFA_RXTX_MAP_64, 0,
		"SPMC held a normal-world RX/TX pair the proxy did not map "
		"(an earlier boot stage's): unmapped, mapping the proxy's",
		p->cfg.buffers.tx_pa);
	return spmc_buffers_map_once(p);
}

/*
 * BUFFERS held. The SPMC answered BUSY to a query that writes the proxy's
 * RX, which the proxy does not hold: every use of it is released before
 * BUFFERS is let go. What holds it is then a partition's indirect message
 * to the normal world (FFA_MSG_SEND2 to id 0: Hafnium api_ffa_msg_send2
 * copies it into the one RX the SPMC has for the normal world and leaves
 * that RX the receiver's, full, until FFA_RX_RELEASE) that the host has
 * not taken yet (its NOTIFICATION_GET moves it into its RX, msg2_relay.c,
 * but not while its own RX is held), or an earlier release the SPMC
 * refused. Left there, every caller's discovery would be BUSY until the
 * host takes it, which it may never do (an RX never released, no GET).
 * So the RX buffer full notification is taken (Hafnium refuses the
 * release while it is pending, api_release_mailbox), the message kept
 * for the host's next GET (ffp_msg2_hold; dropped, logged, when the one
 * slot is full or cfg.no_msg2_hold), then one FFA_RX_RELEASE. Kept even
 * when the release is refused: the notification is gone, the slot is the
 * host's only way to it. Bounded: one GET, one release; true when
 * released, so the caller may ask the SPMC once more.
 */
bool ffp_spmc_rx_reclaim(struct ffp *p, uint16_t ep, uint32_t func)
{
	struct ffa_regs r;
	bool msg = ffp_notif_take_rx_full(p, ep, func);
	bool kept = msg && ffp_msg2_hold(p, ep, func);

	/* The message's header (kept or dropped) cleared while the RX is
	 * surely the normal world's (RX buffer full was pending), as after
	 * a delivery (ffp_msg2_deliver): a later false RX buffer full then
	 * finds no message, not this one, to give the host. */
	if (msg)
		ffp_memset(p->cfg.buffers.rx, 0,
			   ffa_msg2_header_size(p->spmc_version));
	ffp_regs_zero(&r);
	r.x[0] = FFA_RX_RELEASE_32;
	ffp_smc(p, &r);
	if ((uint32_t)r.x[0] != FFA_SUCCESS_32) {
		ffp_log(p, ep, func, FFA_BUSY,
			"SPMC holds the proxy's RX and refused RX_RELEASE",
			(uint32_t)r.x[0] == FFA_ERROR_32 ? (uint32_t)r.x[2]
							  : r.x[0]);
		return false;
	}
	ffp_log(p, ep, func, 0,
		kept  ? "proxy's RX held at the SPMC by an indirect message: "
			"released, the message kept for the host"
		: msg ? "proxy's RX held at the SPMC by an indirect message: "
			"released, the message dropped"
		      : "proxy's RX held at the SPMC: released (an indirect "
			"message dropped, or an earlier release refused)",
		0);
	return true;
}

/*
 * The RX_RELEASE lane: a caller that owns its RX gives it back without the
 * STATE lock, by an acquire load and a release store (an atomic exchange
 * would need libgcc's outline atomics on aarch64, which the freestanding
 * core cannot link). Two CPUs of one caller releasing at once may then
 * both succeed: the caller's own race, harmless to anyone else. Anything
 * else takes the locked path, which refuses with its reasons.
 */
bool ffp_lane_rx_release(struct ffp *p, uint16_t ep_id, uint32_t version,
			 struct ffa_regs *regs)
{
	struct ffp_endpoint *ep = &p->eps[ep_id];
	uint64_t x1 = regs->x[1] & 0xffffffffu;

	if ((x1 == 0 || x1 == ep_id) && ffp_rx_held(ep)) {
		ffp_rx_held_set(ep, false);
		ffp_regs_success32(regs, 0);
		return true;
	}
	/* The gen read here: nothing above waits or leaves the CPU, so this
	 * is where the call begins as far as the locked path goes. */
	ffp_regs_rx_release(p, __atomic_load_n(&ep->gen, __ATOMIC_ACQUIRE),
			    ep_id, FFA_RX_RELEASE_32, version, regs);
	return true;
}
