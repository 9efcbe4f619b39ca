/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Indirect messages (FFA_MSG_SEND2, DEN0077A 1.1+) between the host and
 * partitions. The SPMC knows one normal-world RX/TX pair, the proxy's,
 * mapped under id 0: so the host alone has an indirect-message identity
 * at the SPMC, and every message goes through the proxy's pair, its
 * partition message header re-emitted for the other side's version.
 *  - Host -> partition: the header is copied once from the host's TX into
 *    private memory and checked at the host's version, a fresh one written
 *    into the proxy's TX in the SPMC's layout, the payload (opaque) copied
 *    from the host's TX right after it, one FFA_MSG_SEND2 with w1 = w2 = 0.
 *  - Partition -> host: the SPMC writes the message into the proxy's RX
 *    and sets the SPM framework notification RX buffer full for id 0
 *    (Hafnium api_ffa_msg_send2); the host's FFA_NOTIFICATION_GET takes it
 *    (notif.c) and ffp_msg2_deliver moves the message into the host's RX.
 *    One a partition info query finds there first is kept in the proxy's
 *    hold slot (ffp_msg2_hold) for the host's next GET, which INFO_GET
 *    tells the host of.
 * A VM with a bounce pair (ffp_endpoint_set_msg_buffers) has the same
 * two paths through it instead of the proxy's pair: the pair is mapped at
 * the SPMC under the VM's id by a forwarded FFA_RXTX_MAP (x1 = x2 = w3 =
 * 0, the endpoint RX/TX descriptor in the proxy's TX: Hafnium
 * ffa_setup_rxtx_map_forward), so the SPMC reads and writes the bounce
 * pair, never the VM's pages. Its MSG_SEND2 carries w1 = id << 16 (the
 * sender VM id a hypervisor forwarding sets, Hafnium api_ffa_msg_send2),
 * its bounce RX is released with w1 = id (ffa_setup_rx_release_forward),
 * and the pair unmapped at its removal with w1 = id << 16
 * (ffa_setup_rxtx_unmap_forward). A VM without one: NOT_SUPPORTED. TF-A's
 * EL3 SPMC maps no VM's pair (its rxtx_map_handler answers a zero address
 * INVALID_PARAMETERS) and has no MSG_SEND2: the set is refused so, and
 * the VM keeps none.
 */
#include <ffaproxy/msg2.h>
#include <ffaproxy/rxtx_desc.h>

#include "internal.h"

static bool uuid_nil(const uint8_t *u)
{
	uint32_t acc = 0, i;

	for (i = 0; i < 16; i++)
		acc |= u[i];
	return acc == 0;
}

/*
 * FFA_MSG_SEND2 (SMC32): w1[31:16] the sender VM id, which only a
 * hypervisor forwarding a message sets, [15:0] reserved; w2 flags, for
 * partition senders (1.2's delay SRI): Hafnium api_ffa_msg_send2 answers
 * INVALID_PARAMETERS to both from a VM. w3..w7 MBZ. Linux's host sends
 * w1 = w2 = 0 (ffa_msg_send2).
 */
void ffp_handle_msg_send2(struct ffp_call *c)
{
	struct ffp *p = c->p;
	struct ffp_endpoint *ep = c->ep;
	const uint32_t w1 = (uint32_t)c->in.x[1], w2 = (uint32_t)c->in.x[2];
	uint8_t hdr[FFA_MSG2_HEADER_SIZE_V1_2];
	uint32_t hlen, tx_bytes = 0, out_len, out_cap;
	uint64_t tx_pa = 0;
	struct ffa_mem_error err;
	struct ffa_msg2 m;
	struct ffa_regs r;
	bool mapped, vm_mb = false;
	uint8_t *out_buf;
	int32_t st;

	if (c->ep_id != 0) {
		ffp_lock(p, FFP_LOCK_STATE);
		vm_mb = ep->mb_mapped;
		ffp_unlock(p, FFP_LOCK_STATE);
		if (!vm_mb) {
			ffp_refuse(c, FFA_NOT_SUPPORTED,
				   "MSG_SEND2: no bounce RX/TX for this VM "
				   "(ffp_endpoint_set_msg_buffers)",
				   c->ep_id);
			return;
		}
	}
	if (w1) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   w1 >> 16 ? "MSG_SEND2 sender VM id MBZ (set by a "
				      "hypervisor forwarding)"
				    : "MSG_SEND2 w1[15:0] MBZ",
			   w1);
		return;
	}
	if (w2) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "MSG_SEND2 flags MBZ for a normal-world sender", w2);
		return;
	}
	if (c->in.x[3] | c->in.x[4] | c->in.x[5] | c->in.x[6] | c->in.x[7]) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS, "w3..w7 MBZ",
			   c->in.x[3] | c->in.x[4] | c->in.x[5] | c->in.x[6] |
				   c->in.x[7]);
		return;
	}

	ffp_lock(p, FFP_LOCK_BUFFERS);
	ffp_lock(p, FFP_LOCK_STATE);
	/* Removed on another CPU since (a VM's bounce pair unmapped, or
	 * another VM's now), or a VM's pair gone. Both under BUFFERS, which
	 * the removal's unmap takes. The host's too: ffp_host_reset gave its
	 * buffers back and the TX mapped now may be the new kernel's. */
	if (ffp_call_stale(c) || (c->ep_id != 0 && !ep->mb_mapped)) {
		ffp_unlock(p, FFP_LOCK_STATE);
		ffp_unlock(p, FFP_LOCK_BUFFERS);
		ffp_refuse(c, FFA_NOT_SUPPORTED, FFP_WHY_STALE, c->ep_id);
		return;
	}
	out_buf = vm_mb ? p->mbs[c->ep_id].tx : p->cfg.buffers.tx;
	out_cap = (vm_mb ? p->mbs[c->ep_id].pages : p->cfg.buffers.pages) *
		  FFA_PAGE_SIZE;
	mapped = ep->mapped;
	if (mapped) {
		ep->busy++;
		tx_pa = ep->tx_pa;
		tx_bytes = ep->buffer_pages * FFA_PAGE_SIZE;
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	if (!mapped) {
		ffp_unlock(p, FFP_LOCK_BUFFERS);
		/* Hafnium api_ffa_msg_send2: "Cannot retrieve TX buffer". */
		ffp_refuse(c, FFA_DENIED, "MSG_SEND2: no TX buffer mapped", 0);
		return;
	}

	/* The header once into private memory; checked there at the
	 * host's version against the host's TX size. */
	hlen = ffa_msg2_header_size(c->version);
	if (p->plat->caller_read(p->ctx, c->ep_id, tx_pa, hdr, hlen)) {
		ffp_refuse(c, FFA_ABORTED, "could not read the caller's TX buffer",
			   tx_pa);
		goto done;
	}
	st = ffa_msg2_parse_header(c->version, hdr, hlen, tx_bytes, &m, &err);
	if (st) {
		ffp_refuse(c, st, err.why, err.value);
		goto done;
	}
	if (m.sender != c->ep_id) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "message sender is not the caller", m.sender);
		goto done;
	}
	if (!ffa_id_is_secure(m.receiver)) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "message receiver is not a partition (VM-to-VM "
			   "messages are not relayed)",
			   m.receiver);
		goto done;
	}
	/* A 1.1 SPMC's header has no UUID, nor do its partitions read one:
	 * dropped, logged. Not refused: Linux puts the receiver's UUID in
	 * every 1.2 header (ffa_msg_send2 copies dev->uuid), so a refusal
	 * would stop every message of a 1.2 host over a 1.1 SPMC; Hafnium
	 * relays bytes as they are, no layout of the receiver's made. */
	if (ffa_msg2_header_size(p->spmc_version) == FFA_MSG2_HEADER_SIZE_V1_1 &&
	    !uuid_nil(m.uuid))
		ffp_log(p, c->ep_id, c->func, 0,
			"MSG_SEND2: UUID dropped (a 1.1 SPMC's header has none)",
			m.receiver);
	/* The host's go through the proxy's pair (a VM's bounce pair was
	 * mapped after it). */
	st = vm_mb ? 0 : ffp_spmc_buffers_map(p);
	if (st) {
		ffp_refuse(c, st, "SPMC refused the proxy's buffers", 0);
		goto done;
	}
	/* The SPMC's layout into the proxy's TX (a VM's: its bounce TX),
	 * the payload after it. Too large for it (a 1.1 caller's message
	 * grows by 20 header bytes at a 1.2 SPMC, or the caller's TX is
	 * larger): what an SPMC answers a message larger than its mailbox,
	 * INVALID_PARAMETERS (Hafnium api_ffa_msg_send2_copy_data, "Message
	 * is too big"). */
	st = ffa_msg2_emit(p->spmc_version, &m, out_buf, out_cap, &out_len);
	if (st) {
		ffp_refuse(c, st == FFA_NO_MEMORY ? FFA_INVALID_PARAMETERS : st,
			   vm_mb ? "message does not fit the VM's bounce TX"
				 : "message does not fit the proxy's TX buffer",
			   (uint64_t)m.size);
		goto done;
	}
	/* Each payload byte read once, straight into the proxy's TX (or
	 * the bounce TX): the proxy never reads it back (the SPMC copies
	 * it). */
	if (p->plat->caller_read(p->ctx, c->ep_id, tx_pa + m.offset,
				 out_buf + out_len, m.size)) {
		ffp_refuse(c, FFA_ABORTED, "could not read the caller's TX buffer",
			   tx_pa + m.offset);
		goto done;
	}
	ffp_regs_zero(&r);
	r.x[0] = FFA_MSG_SEND2_32;
	/* A VM's: the sender VM id, which the SPMC takes from the
	 * hypervisor alone (Hafnium api_ffa_msg_send2). */
	r.x[1] = (uint32_t)c->ep_id << 16;
	ffp_smc(p, &r);
	ffp_relay_bare(c, &r);
done:
	ffp_lock(p, FFP_LOCK_STATE);
	ep->busy--;
	ffp_unlock(p, FFP_LOCK_STATE);
	ffp_unlock(p, FFP_LOCK_BUFFERS);
}

/*
 * BUFFERS held. The partition's message in the proxy's RX, laid out for
 * the sender's version: its header copied once and checked as untrusted
 * (receiver 0, sender a partition, payload inside the proxy's RX) into
 * *m. NULL, or why not (*value the field).
 */
static const char *rx_msg_check(struct ffp *p, const uint8_t *src,
				uint32_t proxy_rx_bytes, uint16_t receiver,
				struct ffa_msg2 *m, uint64_t *value)
{
	const uint32_t hlen = ffa_msg2_header_size(p->spmc_version);
	uint32_t layout = p->spmc_version;
	uint8_t hdr[FFA_MSG2_HEADER_SIZE_V1_2];
	struct ffa_mem_error err;

	ffp_memcpy(hdr, src, hlen);
	/* The header is the sender's, as it wrote it: Hafnium's SPMC copies
	 * header and payload unchanged, the minimum offset that of the
	 * SENDER's version (api_ffa_msg_send2_copy_data). A 1.1 partition's
	 * 20-byte header reaches a 1.2+ normal world; its offset tells it
	 * (Linux handle_fwk_notif_callbacks reads the UUID only when the
	 * offset is past 1.2's header). Taken from the private copy. */
	if (hlen == FFA_MSG2_HEADER_SIZE_V1_2 &&
	    ffa_get32(hdr + 8) < FFA_MSG2_HEADER_SIZE_V1_2)
		layout = FFA_VERSION_1_1;
	if (ffa_msg2_parse_header(layout, hdr, hlen, proxy_rx_bytes, m,
				  &err)) {
		*value = err.value;
		return err.why;
	}
	if (m->receiver != receiver) {
		*value = m->receiver;
		return receiver ? "message is not for the VM"
				: "message is not for the host";
	}
	if (!ffa_id_is_secure(m->sender)) {
		*value = m->sender;
		return "message sender is not a partition";
	}
	return NULL;
}

/*
 * The checked message `m` and its `payload` (private, the proxy's RX or a
 * VM's bounce RX) in the receiver's `version` layout: built in scratch,
 * written to the receiver's RX at `rx_pa`, `rx_bytes`. NULL, or why not (*value the field).
 */
static const char *to_receiver(struct ffp *p, uint16_t ep_id,
			       uint32_t func, uint32_t version, uint64_t rx_pa,
			       uint32_t rx_bytes, const struct ffa_msg2 *m,
			       const uint8_t *payload, uint64_t *value)
{
	uint32_t len;

	if (ffa_msg2_emit(version, m, p->scratch, rx_bytes, &len)) {
		*value = m->size;
		return "message does not fit the receiver's RX buffer";
	}
	if (len == FFA_MSG2_HEADER_SIZE_V1_1 && !uuid_nil(m->uuid))
		ffp_log(p, ep_id, func, 0,
			"indirect message UUID dropped (a 1.1 receiver's "
			"header has none)",
			m->sender);
	ffp_memcpy(p->scratch + len, payload, m->size);
	if (p->plat->caller_write(p->ctx, ep_id, rx_pa, p->scratch,
				  (size_t)len + m->size)) {
		*value = rx_pa;
		return "could not write the receiver's RX buffer";
	}
	return NULL;
}

static void log_dropped(struct ffp *p, uint16_t ep_id, uint32_t func,
			const char *why, uint64_t value)
{
	ffp_log(p, ep_id, func, 0, "indirect message dropped", 0);
	ffp_log(p, ep_id, func, FFA_ABORTED, why, value);
}

/*
 * BUFFERS held; the host's RX at `rx_pa`, `rx_bytes`, free and marked
 * busy by the caller (notif.c). The SPMC said RX buffer full: a
 * partition's message is in the proxy's RX (rx_msg_check), moved into
 * the host's RX in its layout with the payload (one copy from the proxy's
 * RX). Whatever happens, the proxy's RX goes back to the SPMC (the
 * notification was taken, so Hafnium's api_release_mailbox allows it);
 * its header is cleared first, so that a later false RX buffer full finds
 * no message to deliver twice.
 * true: delivered (the caller marks the host's RX held).
 */
static bool deliver(struct ffp *p, uint8_t *src, uint32_t src_bytes,
		    uint16_t ep_id, uint32_t func, uint32_t version,
		    uint64_t rx_pa, uint32_t rx_bytes)
{
	const uint32_t hlen = ffa_msg2_header_size(p->spmc_version);
	struct ffa_msg2 m;
	const char *why;
	uint64_t value = 0;
	struct ffa_regs r;

	why = rx_msg_check(p, src, src_bytes, ep_id, &m, &value);
	if (!why)
		why = to_receiver(p, ep_id, func, version, rx_pa, rx_bytes,
				  &m, src + m.offset, &value);
	if (why)
		log_dropped(p, ep_id, func, why, value);
	ffp_memset(src, 0, hlen);
	ffp_regs_zero(&r);
	r.x[0] = FFA_RX_RELEASE_32;
	/* A VM's bounce RX: its id (Hafnium ffa_setup_rx_release_forward,
	 * api_ffa_rx_release). */
	r.x[1] = ep_id;
	ffp_smc(p, &r);
	if ((uint32_t)r.x[0] != FFA_SUCCESS_32)
		ffp_log(p, ep_id, func, 0,
			ep_id ? "SPMC refused RX_RELEASE of the VM's bounce RX"
			      : "SPMC refused RX_RELEASE of the proxy's RX",
			(uint32_t)r.x[0] == FFA_ERROR_32 ? (uint32_t)r.x[2]
							  : r.x[0]);
	return !why;
}

bool ffp_msg2_deliver(struct ffp *p, uint16_t ep_id, uint32_t func,
		      uint32_t version, uint64_t rx_pa, uint32_t rx_bytes)
{
	return deliver(p, p->cfg.buffers.rx,
		       p->cfg.buffers.pages * FFA_PAGE_SIZE, ep_id, func,
		       version, rx_pa, rx_bytes);
}

bool ffp_msg2_deliver_vm(struct ffp *p, uint16_t id, uint32_t func,
			 uint32_t version, uint64_t rx_pa, uint32_t rx_bytes)
{
	return deliver(p, p->mbs[id].rx, p->mbs[id].pages * FFA_PAGE_SIZE, id,
		       func, version, rx_pa, rx_bytes);
}

/*
 * BUFFERS held. A query found the proxy's RX full with a partition's
 * message the host has not taken (ffp_spmc_rx_reclaim took RX buffer
 * full, and releases the RX next): checked as ffp_msg2_deliver checks it,
 * the payload copied once into the hold slot, kept for the host's next
 * NOTIFICATION_GET, which the host learns of from INFO_GET (notif.c). The
 * caller clears the header in the proxy's RX. One slot:
 * a second message while it is full is dropped (logged), so that no
 * caller's discovery waits on the host (which may never release its RX
 * nor GET) and the memory stays bounded. true: kept.
 */
bool ffp_msg2_hold(struct ffp *p, uint16_t ep, uint32_t func)
{
	struct ffa_msg2 m;
	const char *why = NULL;
	uint64_t value = 0;
	bool full;

	ffp_lock(p, FFP_LOCK_STATE);
	full = p->hold_full;
	ffp_unlock(p, FFP_LOCK_STATE);
	if (!p->hold)
		why = "no hold slot (cfg.no_msg2_hold)";
	else if (full)
		why = "the hold slot is full: a message waits for the host's "
		      "NOTIFICATION_GET";
	else
		why = rx_msg_check(p, p->cfg.buffers.rx,
				   p->cfg.buffers.pages * FFA_PAGE_SIZE, 0, &m,
				   &value);
	if (why) {
		log_dropped(p, ep, func, why, value);
	} else {
		/* The payload lies inside the proxy's RX past a header
		 * (rx_msg_check), so it fits the slot. */
		ffp_memcpy(p->hold,
			   (const uint8_t *)p->cfg.buffers.rx + m.offset,
			   m.size);
		p->hold_msg = m;
		ffp_lock(p, FFP_LOCK_STATE);
		p->hold_full = true;
		p->hold_owed = true;
		ffp_unlock(p, FFP_LOCK_STATE);
	}
	return !why;
}

bool ffp_msg2_deliver_held(struct ffp *p, uint16_t ep_id, uint32_t func,
			   uint32_t version, uint64_t rx_pa, uint32_t rx_bytes)
{
	uint64_t value = 0;
	const char *why = to_receiver(p, ep_id, func, version, rx_pa,
				      rx_bytes, &p->hold_msg, p->hold, &value);

	if (why)
		log_dropped(p, ep_id, func, why, value);
	ffp_lock(p, FFP_LOCK_STATE);
	p->hold_full = false;
	ffp_unlock(p, FFP_LOCK_STATE);
	return !why;
}

/* INVALID_PARAMETERS: the SPMC holds no pair of the id (Hafnium
 * api_ffa_rxtx_unmap, no buffers mapped), which is what was asked. */
bool ffp_msg2_vm_unmap(struct ffp *p, uint16_t id)
{
	struct ffa_regs r;
	int32_t st;

	ffp_regs_zero(&r);
	r.x[0] = FFA_RXTX_UNMAP_32;
	r.x[1] = (uint32_t)id << 16;
	ffp_smc(p, &r);
	st = ffp_spmc_bare_success(p, id, FFA_RXTX_UNMAP_32, &r);
	return !st || st == FFA_INVALID_PARAMETERS;
}

static bool range_apart(uint64_t a, uint64_t b, uint64_t len)
{
	/* Distances, not ends: an end past the top would wrap. */
	return a >= b ? a - b >= len : b - a >= len;
}

/* [a, a + alen) and [b, b + blen) share no byte (distances, as above). */
static bool apart(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a >= b ? a - b >= blen : b - a >= alen;
}

/*
 * Both buffers of `b` (`bytes` each) apart from `o` (`obytes` each), as
 * the SPMC addresses them and as the proxy does.
 */
static bool pair_apart(const struct ffp_msg_buffers *b, uint64_t bytes,
		       const void *otx, const void *orx, uint64_t otx_pa,
		       uint64_t orx_pa, uint64_t obytes)
{
	const uint64_t pas[2] = { b->tx_pa, b->rx_pa };
	const uint64_t vas[2] = { (uintptr_t)b->tx, (uintptr_t)b->rx };
	unsigned i;

	for (i = 0; i < 2; i++)
		if (!apart(pas[i], bytes, otx_pa, obytes) ||
		    !apart(pas[i], bytes, orx_pa, obytes) ||
		    !apart(vas[i], bytes, (uintptr_t)otx, obytes) ||
		    !apart(vas[i], bytes, (uintptr_t)orx, obytes))
			return false;
	return true;
}

/*
 * BUFFERS and STATE held. The pair `b` shares no byte with the proxy's
 * own pair, the proxy's instance memory, nor another id's bounce pair
 * the SPMC may hold (mapped, or its unmap pending): the SPMC would write
 * one VM's messages over another's, over the proxy's replies, or over
 * the proxy's tables (ffp_init refuses cfg.buffers inside the instance
 * likewise).
 */
static bool mb_apart(const struct ffp *p, uint16_t id,
		     const struct ffp_msg_buffers *b, uint64_t bytes)
{
	const struct ffp_msg_buffers *o;
	uint16_t j;

	if (!pair_apart(b, bytes, p->cfg.buffers.tx, p->cfg.buffers.rx,
			p->cfg.buffers.tx_pa, p->cfg.buffers.rx_pa,
			(uint64_t)p->cfg.buffers.pages * FFA_PAGE_SIZE) ||
	    !apart((uintptr_t)b->tx, bytes, (uintptr_t)p,
		   ffp_instance_size(&p->cfg)) ||
	    !apart((uintptr_t)b->rx, bytes, (uintptr_t)p,
		   ffp_instance_size(&p->cfg)))
		return false;
	for (j = 1; j < p->cfg.max_endpoints; j++) {
		if (j == id ||
		    !(p->eps[j].mb_mapped || p->eps[j].mb_unmap_pending))
			continue;
		o = &p->mbs[j];
		if (!pair_apart(b, bytes, o->tx, o->rx, o->tx_pa, o->rx_pa,
				(uint64_t)o->pages * FFA_PAGE_SIZE))
			return false;
	}
	return true;
}

/*
 * The forwarded FFA_RXTX_MAP of `id`'s bounce pair: the endpoint RX/TX
 * descriptor (rxtx_desc.h; one range per buffer: Hafnium reads only the
 * first) in the proxy's TX, x1 = x2 = w3 = 0 (Hafnium
 * ffa_setup_rxtx_map_forward: FFA_RXTX_MAP_64 with zeros). BUFFERS held.
 * 0 or the status. A reply neither success nor a refusal leaves the
 * SPMC's state unknown: unmapped again, and if that is refused too,
 * *pending.
 */
static int32_t vm_map(struct ffp *p, uint16_t id,
		      const struct ffp_msg_buffers *b, bool *pending)
{
	struct ffa_rxtx_desc d;
	struct ffa_regs r;
	uint32_t len;
	int32_t st;

	*pending = false;
	st = ffp_spmc_buffers_map(p);
	if (st)
		return st;
	ffp_memset(&d, 0, sizeof(d));
	d.endpoint = id;
	d.rx.pages = d.tx.pages = b->pages;
	d.rx.range_count = d.tx.range_count = 1;
	d.rx.ranges[0].base = b->rx_pa;
	d.rx.ranges[0].pages = b->pages;
	d.tx.ranges[0].base = b->tx_pa;
	d.tx.ranges[0].pages = b->pages;
	st = ffa_rxtx_desc_emit(p->spmc_version, &d, p->cfg.buffers.tx,
				p->cfg.buffers.pages * FFA_PAGE_SIZE, &len);
	if (st)
		return st;
	ffp_regs_zero(&r);
	r.x[0] = FFA_RXTX_MAP_64;
	ffp_smc(p, &r);
	st = ffp_spmc_bare_success(p, id, FFA_RXTX_MAP_64, &r);
	/* A refusal is an error frame with a status FF-A defines; one with
	 * any other w2 is outside the protocol, as for the proxy's own map
	 * (ffp_spmc_buffers_map). */
	if (st && !((uint32_t)r.x[0] == FFA_ERROR_32 &&
		    ffp_status(r.x[2]) == (int32_t)(uint32_t)r.x[2]))
		*pending = !ffp_msg2_vm_unmap(p, id);
	return st;
}

int ffp_endpoint_set_msg_buffers(struct ffp *p, uint16_t id,
				 const struct ffp_msg_buffers *b)
{
	struct ffp_endpoint *ep;
	uint64_t bytes;
	uint32_t gen = 0;
	bool pending = false, undo = false;
	int32_t st = 0;

	if (id == 0 || id >= p->cfg.max_endpoints || !b || !b->tx || !b->rx ||
	    b->pages < 1 || b->pages > 63 /* FFA_RXTX_MAP w3[5:0] */ ||
	    (b->tx_pa | b->rx_pa) % FFA_PAGE_SIZE)
		return FFA_INVALID_PARAMETERS;
	bytes = (uint64_t)b->pages * FFA_PAGE_SIZE;
	if (b->tx_pa > UINT64_MAX - bytes || b->rx_pa > UINT64_MAX - bytes ||
	    (uintptr_t)b->tx > UINTPTR_MAX - bytes ||
	    (uintptr_t)b->rx > UINTPTR_MAX - bytes ||
	    !range_apart(b->tx_pa, b->rx_pa, bytes) ||
	    !range_apart((uintptr_t)b->tx, (uintptr_t)b->rx, bytes))
		return FFA_INVALID_PARAMETERS;
	ep = &p->eps[id];
	ffp_lock(p, FFP_LOCK_BUFFERS);
	ffp_lock(p, FFP_LOCK_STATE);
	if (!ep->present || !mb_apart(p, id, b, bytes))
		st = FFA_INVALID_PARAMETERS;
	else if (ep->mb_mapped)
		st = FFA_DENIED;
	else if (p->spmc_version < FFA_VERSION_1_1)
		st = FFA_NOT_SUPPORTED; /* no MSG_SEND2, no descriptor */
	else if (ep->notif_calls)
		/* A GET of the VM's in the SPMC may take the RX buffer full
		 * of a message in the pair about to be mapped, without a pair
		 * to move it from (notif.c): after it. Those that begin now
		 * wait for this map under BUFFERS (mb_setting). */
		st = FFA_BUSY;
	if (!st) {
		ep->mb_setting = true;
		/* Under the strict policy any call but FFA_VERSION fixes the
		 * SPMC's version, as an endpoint's first call would (and as
		 * learning the subscribers does, vmavail.c): the pair is
		 * mapped, and its messages laid out, at this one. Checked and
		 * fixed in one step: a caller's FFA_VERSION on another CPU
		 * may move it down until then. */
		p->any_locked = true;
	}
	gen = ep->gen;
	pending = ep->mb_unmap_pending;
	ffp_unlock(p, FFP_LOCK_STATE);
	/* An earlier map's undo the SPMC refused: retried first, as the
	 * SPMC would refuse a second pair of the id (DENIED). */
	if (!st && pending) {
		if (!ffp_msg2_vm_unmap(p, id)) {
			ffp_lock(p, FFP_LOCK_STATE);
			ep->mb_setting = false;
			ffp_unlock(p, FFP_LOCK_STATE);
			ffp_unlock(p, FFP_LOCK_BUFFERS);
			return FFA_BUSY;
		}
		ffp_lock(p, FFP_LOCK_STATE);
		ep->mb_unmap_pending = false;
		ffp_unlock(p, FFP_LOCK_STATE);
	}
	pending = false;
	if (!st) {
		/* No header left from an earlier user of the memory: the
		 * proxy reads the bounce RX only after the SPMC said RX
		 * buffer full, but a false one finds nothing then. */
		ffp_memset(b->rx, 0, FFA_MSG2_HEADER_SIZE_V1_2);
		st = vm_map(p, id, b, &pending);
	}
	ffp_lock(p, FFP_LOCK_STATE);
	ep->mb_setting = false;
	if (!st && ffp_endpoint_stale(ep, gen)) {
		/* Removed meanwhile (its removal waits for BUFFERS to unmap
		 * what it finds mapped, and found nothing). */
		undo = true;
	} else if (!st) {
		p->mbs[id] = *b;
		ep->mb_mapped = true;
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	if (undo) {
		pending = !ffp_msg2_vm_unmap(p, id);
		st = FFA_INVALID_PARAMETERS;
	}
	if (pending) {
		ffp_log(p, id, FFA_RXTX_UNMAP_32, FFA_BUSY,
			"bounce RX/TX unmap pending", id);
		ffp_lock(p, FFP_LOCK_STATE);
		/* Still the SPMC's: kept apart from later pairs. */
		p->mbs[id] = *b;
		ep->mb_unmap_pending = true;
		ffp_unlock(p, FFP_LOCK_STATE);
	}
	ffp_unlock(p, FFP_LOCK_BUFFERS);
	return st;
}
