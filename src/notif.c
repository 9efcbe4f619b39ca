/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * FF-A notifications (DEN0077A 1.1+ chapter 10) of normal-world endpoints,
 * the proxy acting as their hypervisor. Facts:
 *  - BITMAP_CREATE (w1 VM id, w2 vCPU count) and BITMAP_DESTROY (w1) come
 *    from the hypervisor alone: Hafnium's SPMC answers anyone else
 *    NOT_SUPPORTED (plat_ffa_is_notifications_bitmap_access_valid) and its
 *    hypervisor issues them itself; Linux creates its own bitmap only when
 *    FFA_FEATURES offers BITMAP_CREATE, else takes it as the hypervisor's
 *    (ffa_notifications_setup). So callers' ones stay refused.
 *  - From the normal world the SPMC takes BIND/UNBIND with a partition as
 *    sender and a VM as receiver, SET with a VM as sender and a partition
 *    as receiver (Hafnium plat_ffa_is_notifications_bind_valid,
 *    plat_ffa_is_notification_set_valid). VM-to-VM notifications are a
 *    hypervisor's own (Hafnium's hypervisor keeps them); the proxy keeps
 *    none, so such a call is INVALID_PARAMETERS: the ABI is served, the
 *    id is not a sender/receiver it can reach.
 *  - Hafnium's hypervisor forwards UNBIND with w2 zero and SET with the
 *    delay-SRI flag cleared (ffa_notifications_set_forward): a delayed SRI
 *    is a partition sender's matter.
 *  - GET: the SPMC answers a VM receiver's SP and SPM framework bitmaps
 *    and refuses the VM and hypervisor ones (plat_ffa_is_notification_
 *    get_valid, ..._get_framework_notifications); the hypervisor answers
 *    those, here zero: the proxy relays no VM-to-VM notifications and
 *    signals none of its own.
 *  - INFO_GET is the receivers' scheduler's (Linux calls it from the SRI
 *    handler, ffa_sched_recv_irq_work_fn); here the host alone, or a VM
 *    would learn which other VMs have notifications pending.
 */
#include "internal.h"

#define NOTIF_LOG(c, st, why, v) ffp_log((c)->p, (c)->ep_id, (c)->func, st, why, v)

uint16_t ffp_notif_vcpus(const struct ffp *p, const struct ffp_endpoint *ep)
{
	if (ep->vcpus)
		return ep->vcpus;
	return p->cfg.notification_vcpus ? p->cfg.notification_vcpus : 1;
}

int32_t ffp_spmc_bare_success(struct ffp *p, uint16_t ep, uint32_t func,
			      const struct ffa_regs *r)
{
	uint32_t acc = 0, i;

	if ((uint32_t)r->x[0] == FFA_ERROR_32) {
		ffp_log(p, ep, func, ffp_status(r->x[2]), "SPMC refused the call",
			(uint32_t)r->x[2]);
		return ffp_status(r->x[2]);
	}
	for (i = 1; i < 8; i++)
		acc |= (uint32_t)r->x[i];
	if ((uint32_t)r->x[0] != FFA_SUCCESS_32 || acc) {
		ffp_log(p, ep, func, FFA_ABORTED,
			"unexpected reply from the SPMC", r->x[0]);
		return FFA_ABORTED;
	}
	return 0;
}

/* BITMAP_CREATE of `id`'s bitmap with `vcpus` vCPUs (vcpus non-zero), or
 * BITMAP_DESTROY of it (vcpus 0), at the SPMC: 0 or the status (logged).
 * *garbled: the reply was outside the protocol, so whether the SPMC acted
 * is unknown. */
static int32_t bitmap_call(struct ffp *p, uint16_t id, uint16_t vcpus,
			   bool *garbled)
{
	const uint32_t func = vcpus ? FFA_NOTIFICATION_BITMAP_CREATE_32
				    : FFA_NOTIFICATION_BITMAP_DESTROY_32;
	struct ffa_regs r;
	int32_t st;

	ffp_regs_zero(&r);
	r.x[0] = func;
	r.x[1] = id;
	r.x[2] = vcpus;
	ffp_smc(p, &r);
	st = ffp_spmc_bare_success(p, id, func, &r);
	*garbled = st && (uint32_t)r.x[0] != FFA_ERROR_32;
	return st;
}

static void call_end(struct ffp_call *c)
{
	ffp_lock(c->p, FFP_LOCK_STATE);
	c->ep->notif_calls--;
	ffp_unlock(c->p, FFP_LOCK_STATE);
}

/*
 * Start a notification call of the caller's at the SPMC: counted in
 * notif_calls (ffp_endpoint_remove answers BUSY meanwhile, so no call of
 * a removed endpoint reaches the SPMC under an id a new one may get; one
 * that began before the removal and the id's next add finds another gen
 * here, and is refused as the removed endpoint's).
 * With `bitmap`, its bitmap is created first if it does not exist yet
 * (nothing can be bound to or pending for it before). false: refused.
 */
static bool call_begin(struct ffp_call *c, bool bitmap)
{
	struct ffp *p = c->p;
	struct ffp_endpoint *ep = c->ep;
	const char *why = NULL;
	bool create = false, garbled, unknown = false;
	uint16_t vcpus = 0;
	int32_t st = 0, undo;

	ffp_lock(p, FFP_LOCK_STATE);
	if (ffp_call_stale(c)) {
		/* removed on another CPU (and maybe another added) */
		st = FFA_NOT_SUPPORTED;
		why = "unknown endpoint";
	} else if (bitmap && (ep->notif == FFP_NOTIF_CREATING ||
			      (ep->notif == FFP_NOTIF_NONE &&
			       ep->notif_destroy_pending))) {
		/* Another vCPU of it creates it now; or the host after
		 * ffp_host_reset, whose old kernel's bitmap, with its
		 * bindings, is still at the SPMC (which would refuse a
		 * second create) until ffp_vm_destroyed_retry destroys it. */
		st = FFA_BUSY;
		why = ep->notif_destroy_pending
			      ? "notification bitmap of the host's previous "
				"kernel still at the SPMC"
			      : "notification bitmap being created";
	} else {
		ep->notif_calls++;
		if (bitmap && ep->notif == FFP_NOTIF_NONE) {
			ep->notif = FFP_NOTIF_CREATING;
			vcpus = ffp_notif_vcpus(p, ep);
			unknown = ep->notif_unknown;
			create = true;
		}
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	if (st) {
		ffp_refuse(c, st, why, c->ep_id);
		return false;
	}
	if (!create)
		return true;
	st = bitmap_call(p, c->ep_id, vcpus, &garbled);
	if (st == FFA_DENIED && unknown &&
	    !bitmap_call(p, c->ep_id, 0, &garbled)) {
		/* DENIED may be the bitmap an earlier create made (Hafnium
		 * plat_ffa_notifications_bitmap_create), nothing bound to it
		 * nor pending, or a refusal for another reason: not taken on
		 * that word alone. Its DESTROY succeeded, so it was there and
		 * is gone; the create is made afresh. (A DESTROY refused or
		 * garbled leaves it unknown, the call refused.) */
		ffp_log(p, c->ep_id, FFA_NOTIFICATION_BITMAP_DESTROY_32, 0,
			"notification bitmap of an earlier garbled create "
			"destroyed",
			vcpus);
		unknown = false;
		st = bitmap_call(p, c->ep_id, vcpus, &garbled);
	}
	if (garbled && st != FFA_DENIED) {
		/* A garbled reply leaves the SPMC's state unknown, and a
		 * bitmap it did create would make every later create of the
		 * id DENIED (Hafnium plat_ffa_notifications_bitmap_create),
		 * this endpoint's and the id's next ones': undone. Nothing can
		 * be bound to or pending for a bitmap just created, so its
		 * DESTROY succeeds, or answers DENIED for one that does not
		 * exist. Any other answer: it may be there still, known as
		 * such (notif_unknown). */
		undo = bitmap_call(p, c->ep_id, 0, &garbled);
		unknown = undo && undo != FFA_DENIED;
	} else if (!st) {
		unknown = false;
	}
	/* A refused or undone create leaves none known (but notif_unknown's,
	 * destroyed at the removal): nothing was bound through it, so no
	 * later endpoint of the id can inherit anything. */
	ffp_lock(p, FFP_LOCK_STATE);
	ep->notif = st ? FFP_NOTIF_NONE : FFP_NOTIF_CREATED;
	ep->notif_unknown = unknown;
	if (st)
		ep->notif_calls--;
	ffp_unlock(p, FFP_LOCK_STATE);
	if (st) {
		ffp_refuse(c, st, "SPMC refused the notification bitmap", vcpus);
		return false;
	}
	return true;
}

void ffp_relay_bare(struct ffp_call *c, const struct ffa_regs *r)
{
	int32_t st = ffp_spmc_bare_success(c->p, c->ep_id, c->func, r);

	if (!st) {
		ffp_success(c, 0, 0);
		return;
	}
	/* Logged once, by ffp_spmc_bare_success. */
	ffp_regs_zero(&c->out);
	c->out.x[0] = FFA_ERROR_32;
	c->out.x[2] = (uint32_t)st;
}

/*
 * BIND, UNBIND and SET: w1 the caller at [15:0] (the receiver: BIND,
 * UNBIND) or [31:16] (the sender: SET), a partition at the other half;
 * the `mbz` bits of w2 zero; w3/w4 the bitmap; w5..w7 MBZ. The SPMC is
 * given `fid`, w1, `w2_out` and w3/w4; `bitmap`: the caller's must exist.
 */
static void relay_bitmap_call(struct ffp_call *c, bool receiver,
			      uint32_t mbz, uint32_t fid, uint32_t w2_out,
			      bool bitmap)
{
	const uint32_t w1 = (uint32_t)c->in.x[1], w2 = (uint32_t)c->in.x[2];
	const uint16_t caller = (uint16_t)(receiver ? w1 : w1 >> 16);
	const uint16_t peer = (uint16_t)(receiver ? w1 >> 16 : w1);
	struct ffa_regs r;

	if (caller != c->ep_id) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   receiver ? "notification receiver is not the caller"
				    : "notification sender is not the caller",
			   w1);
		return;
	}
	if (!ffa_id_is_secure(peer)) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   receiver ? "notification sender is not a partition "
				      "(VM-to-VM notifications are not relayed)"
				    : "notification receiver is not a partition "
				      "(VM-to-VM notifications are not relayed)",
			   w1);
		return;
	}
	if (w2 & mbz) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS, "notification flags MBZ",
			   w2);
		return;
	}
	if (c->in.x[5] | c->in.x[6] | c->in.x[7]) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS, "w5..w7 MBZ",
			   c->in.x[5] | c->in.x[6] | c->in.x[7]);
		return;
	}
	if (!call_begin(c, bitmap))
		return;
	ffp_regs_zero(&r);
	r.x[0] = fid;
	r.x[1] = w1;
	r.x[2] = w2_out;
	r.x[3] = c->in.x[3];
	r.x[4] = c->in.x[4];
	ffp_smc(c->p, &r);
	ffp_relay_bare(c, &r);
	call_end(c);
}

/* FFA_NOTIFICATION_BIND and _UNBIND: w1 sender [31:16] (a partition),
 * receiver [15:0] (the caller); w2 flags (BIND: bit0 per-vCPU; UNBIND:
 * MBZ). */
void ffp_handle_notification_bind(struct ffp_call *c)
{
	const bool bind = ffa_fn(c->func) == FFA_FN_NOTIFICATION_BIND;
	const uint32_t w2 = (uint32_t)c->in.x[2];

	relay_bitmap_call(c, true, ~(bind ? FFA_NOTIF_FLAG_PER_VCPU : 0u),
			  c->func, w2, true);
}

/* FFA_NOTIFICATION_SET: w1 sender [31:16] (the caller), receiver [15:0]
 * (a partition); w2 bit0 per-vCPU, bit1 delay SRI, [31:16] the vCPU id
 * when per-vCPU, the rest MBZ. Needs no bitmap of the caller's: the
 * binding is the receiver's. */
void ffp_handle_notification_set(struct ffp_call *c)
{
	const uint32_t w2 = (uint32_t)c->in.x[2];

	relay_bitmap_call(c, false,
			  (w2 & FFA_NOTIF_FLAG_PER_VCPU) ? 0x0000fffcu
							 : 0xfffffffcu,
			  FFA_NOTIFICATION_SET_32,
			  w2 & ~FFA_NOTIF_FLAG_DELAY_SRI, false);
}

/*
 * FFA_NOTIFICATION_GET at the SPMC for `w1` (vCPU [31:16], receiver
 * [15:0]) with `flags` (SP and/or SPM only): 0 with the SP bitmap in
 * *sp and the SPM framework one in *spm, or the status (logged). Only
 * the success frame with what was asked for: w1, the VM and hypervisor
 * bitmaps zero (the SPMC keeps none for a VM receiver), the SPM bitmap
 * within the defined bits.
 */
static int32_t spmc_get(struct ffp *p, uint16_t ep, uint32_t func, uint32_t w1,
			uint32_t flags, uint64_t *sp, uint32_t *spm)
{
	struct ffa_regs r;
	uint32_t w2, w3, w6;

	ffp_regs_zero(&r);
	r.x[0] = FFA_NOTIFICATION_GET_32;
	r.x[1] = w1;
	r.x[2] = flags;
	ffp_smc(p, &r);
	if ((uint32_t)r.x[0] == FFA_ERROR_32) {
		ffp_log(p, ep, func, ffp_status(r.x[2]),
			"SPMC refused NOTIFICATION_GET", (uint32_t)r.x[2]);
		return ffp_status(r.x[2]);
	}
	w2 = (uint32_t)r.x[2];
	w3 = (uint32_t)r.x[3];
	w6 = (uint32_t)r.x[6];
	if ((uint32_t)r.x[0] != FFA_SUCCESS_32 || (uint32_t)r.x[1] ||
	    (uint32_t)r.x[4] || (uint32_t)r.x[5] || (uint32_t)r.x[7] ||
	    (!(flags & FFA_NOTIF_GET_SP) && (w2 | w3)) ||
	    (w6 & ~((flags & FFA_NOTIF_GET_SPM) ? FFA_NOTIF_FW_RX_FULL : 0u))) {
		ffp_log(p, ep, func, FFA_ABORTED,
			"unexpected NOTIFICATION_GET reply from the SPMC",
			r.x[0]);
		return FFA_ABORTED;
	}
	*sp = (uint64_t)w3 << 32 | w2;
	*spm = w6;
	return 0;
}

/*
 * The proxy's own GET of id 0's SPM framework bitmap, for
 * ffp_spmc_rx_reclaim: a full RX with RX buffer full pending cannot be
 * released (Hafnium api_release_mailbox answers DENIED until the
 * receiver took it). Whether or not the host created its bitmap: Hafnium
 * keeps id 0's framework notifications in its other-world VM, which always
 * exists; api_ffa_msg_send2 sets RX buffer full for any VM receiver, bitmap
 * or not, and api_ffa_notification_get finds that VM for id 0 and checks no
 * `enabled` flag (the CHECK that stops it for an id with no bitmap is for
 * VM ids, which have no VM struct there without one). So no bitmap is
 * created for this, and nothing of the host's changes. The host is never
 * removed, so no call count is needed. vCPU 0: the framework bitmap is
 * global. Whether the bit was pending; a refusal is logged by spmc_get.
 */
bool ffp_notif_take_rx_full(struct ffp *p, uint16_t ep, uint32_t func)
{
	uint64_t sp = 0;
	uint32_t spm = 0;

	if (p->spmc_version < FFA_VERSION_1_1 ||
	    spmc_get(p, ep, func, 0, FFA_NOTIF_GET_SPM, &sp, &spm))
		return false;
	return spm & FFA_NOTIF_FW_RX_FULL;
}

/*
 * The host's GET with the SPM framework bitmap asked for. RX buffer full
 * means a partition's message waits in the proxy's RX (msg2_relay.c).
 * Asked of the SPMC only when the host's RX can take it (mapped, not
 * held): otherwise the GET goes without the SPM flag, so the message and
 * its notification stay at the SPMC until the host has released its RX
 * and asks again. Asked even with no bitmap of the host's: Hafnium keeps
 * id 0's framework notifications in its other-world VM, which always
 * exists (ffp_notif_take_rx_full); the SP bitmap then is not asked (none
 * bound). BUFFERS held throughout: the proxy's RX and scratch. A message
 * a reclaim kept (ffp_msg2_hold) goes first, and then the SPMC is not
 * asked for its SPM framework bitmap: one message per GET (the host has
 * one RX), the next and its notification wait at the SPMC. The kept one is
 * delivered only once the SPMC answered, so that a refused GET leaves it
 * kept, not in an RX the host was not told of. *spm is RX buffer full
 * when a message is now in the host's RX (held), else 0.
 * A VM with a bounce pair (msg2_relay.c) is served the same way from its
 * bounce RX, without the kept message, bitmap or not: Hafnium's
 * api_ffa_msg_send2 sets RX buffer full for any VM receiver (one that
 * provided an RX buffer is taken to take framework notifications), and
 * the forwarded RXTX_MAP of its pair made the VM known to the SPMC.
 */
static int32_t host_get(struct ffp_call *c, uint32_t w1, uint32_t fwd,
			bool created, uint64_t *sp, uint32_t *spm)
{
	struct ffp *p = c->p;
	struct ffp_endpoint *ep = c->ep;
	uint32_t rx_bytes = 0;
	uint64_t rx_pa = 0;
	bool rx_free, held, delivered = false, vm_mb;
	int32_t st = 0;

	ffp_lock(p, FFP_LOCK_BUFFERS);
	ffp_lock(p, FFP_LOCK_STATE);
	/* A VM's bounce RX: under BUFFERS, as its removal unmaps it. */
	vm_mb = c->ep_id != 0 && ep->mb_mapped;
	rx_free = ep->mapped && !ffp_rx_held(ep) && (c->ep_id == 0 || vm_mb);
	if (rx_free) {
		ep->busy++;
		rx_pa = ep->rx_pa;
		rx_bytes = ep->buffer_pages * FFA_PAGE_SIZE;
	}
	held = rx_free && c->ep_id == 0 && p->hold_full;
	/* A GET that cannot take the kept message (the host's RX its own or
	 * unmapped) does not spend its INFO_GET listing: nothing else would
	 * tell the host of it again (hold_list). */
	if (!rx_free && c->ep_id == 0 && p->hold_full)
		p->hold_owed = true;
	ffp_unlock(p, FFP_LOCK_STATE);
	if (!rx_free || held)
		fwd &= ~FFA_NOTIF_GET_SPM;
	if (!created)
		fwd &= ~FFA_NOTIF_GET_SP;
	if (fwd)
		st = spmc_get(p, c->ep_id, c->func, w1, fwd, sp, spm);
	if (!st && held) {
		delivered = ffp_msg2_deliver_held(p, c->ep_id, c->func,
						  c->version, rx_pa, rx_bytes);
	} else if (held) {
		/* Refused: kept, and owed a listing as above. */
		ffp_lock(p, FFP_LOCK_STATE);
		p->hold_owed = true;
		ffp_unlock(p, FFP_LOCK_STATE);
	} else if (!st && (*spm & FFA_NOTIF_FW_RX_FULL) && vm_mb) {
		delivered = ffp_msg2_deliver_vm(p, c->ep_id, c->func,
						c->version, rx_pa, rx_bytes);
	} else if (!st && (*spm & FFA_NOTIF_FW_RX_FULL) && c->ep_id == 0) {
		delivered = ffp_msg2_deliver(p, c->ep_id, c->func, c->version,
					     rx_pa, rx_bytes);
	}
	*spm = delivered ? FFA_NOTIF_FW_RX_FULL : 0;
	if (rx_free) {
		ffp_lock(p, FFP_LOCK_STATE);
		ep->busy--;
		if (delivered)
			ffp_rx_held_set(ep, true);
		ffp_unlock(p, FFP_LOCK_STATE);
	}
	ffp_unlock(p, FFP_LOCK_BUFFERS);
	return st;
}

/* FFA_NOTIFICATION_GET: w1 vCPU id [31:16] (one of the caller's), receiver
 * [15:0] (the caller); w2 flags bits[3:0], the rest MBZ; w3..w7 MBZ. */
void ffp_handle_notification_get(struct ffp_call *c)
{
	struct ffp *p = c->p;
	const uint32_t w1 = (uint32_t)c->in.x[1], w2 = (uint32_t)c->in.x[2];
	const uint32_t fwd = w2 & (FFA_NOTIF_GET_SP | FFA_NOTIF_GET_SPM);
	uint64_t sp = 0;
	uint32_t spm = 0;
	uint16_t vcpus;
	bool created, vm_mb;
	int32_t st;

	if ((uint16_t)w1 != c->ep_id) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "notification receiver is not the caller", w1);
		return;
	}
	if (w2 & ~0xfu) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS, "notification flags MBZ",
			   w2);
		return;
	}
	if (c->in.x[3] | c->in.x[4] | c->in.x[5] | c->in.x[6] | c->in.x[7]) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS, "w3..w7 MBZ",
			   c->in.x[3] | c->in.x[4] | c->in.x[5] | c->in.x[6] |
				   c->in.x[7]);
		return;
	}
	/* Counted first (a removal answers BUSY from here), then the
	 * bitmap looked at: seen before, it could be a removed endpoint's
	 * whose id a new one took meanwhile, and a GET of an id with no
	 * bitmap stops Hafnium's SPMC at a CHECK (api_ffa_notification_get
	 * finds no VM for it). */
	if (!call_begin(c, false))
		return;
	ffp_lock(p, FFP_LOCK_STATE);
	vcpus = ffp_notif_vcpus(p, c->ep);
	created = c->ep->notif == FFP_NOTIF_CREATED;
	ffp_unlock(p, FFP_LOCK_STATE);
	if (w1 >> 16 >= vcpus) {
		call_end(c);
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "vCPU id beyond the caller's vCPUs", w1 >> 16);
		return;
	}
	/* No bitmap yet: nothing bound, nothing pending; no SMC. The host's
	 * SPM framework bitmap is the exception (host_get). A pair being
	 * mapped (mb_setting): host_get waits for it under BUFFERS and looks
	 * again; else none is mapped until this GET ends (a set answers BUSY
	 * while notif_calls), so RX buffer full taken here is no message. */
	ffp_lock(p, FFP_LOCK_STATE);
	vm_mb = c->ep->mb_mapped || c->ep->mb_setting;
	ffp_unlock(p, FFP_LOCK_STATE);
	if ((c->ep_id == 0 || vm_mb) && (fwd & FFA_NOTIF_GET_SPM))
		st = host_get(c, w1, fwd, created, &sp, &spm);
	else
		st = fwd && created ? spmc_get(p, c->ep_id, c->func, w1, fwd,
					       &sp, &spm)
				    : 0;
	call_end(c);
	if (st) {
		ffp_refuse(c, st, "SPMC refused the call", st);
		return;
	}
	/* The one SPM framework notification, RX buffer full, says a
	 * partition's indirect message was written into the receiver's RX
	 * buffer at the SPMC (Hafnium api_ffa_msg_send2). Without a bounce
	 * pair the SPMC has no VM's RX buffer, only the proxy's own (id 0's):
	 * a VM told so would
	 * read its own RX buffer as a message (Linux
	 * handle_fwk_notif_callbacks takes the header's offset and size as
	 * they come). Taken, not passed on. The host's (host_get) is set only
	 * once its message is in its RX. */
	if (spm && c->ep_id != 0 && !vm_mb)
		ffp_log(p, c->ep_id, c->func, 0,
			"SPM framework notification (RX buffer full) dropped: "
			"no indirect message reaches a VM's RX buffer",
			spm);
	c->out.x[0] = FFA_SUCCESS_32;
	c->out.x[2] = (uint32_t)sp;
	c->out.x[3] = (uint32_t)(sp >> 32);
	if (c->ep_id == 0 || vm_mb)
		c->out.x[6] = spm;
	/* w4/w5 (VM) and w7 (hypervisor framework): none, zero. */
}

/*
 * A message kept for the host (ffp_msg2_hold) took its RX buffer full from
 * the SPMC, whose INFO_GET no longer lists id 0 for it: the relay does,
 * once per message as the SPMC lists a notification once. true: append
 * id 0 to the SPMC's list (n ids of max), a slot being left. No slot
 * left: *more, listed at the host's next call. The last slot is never
 * used: Linux's ffa_notification_info_get reads at most max - 1 ids of a
 * list (it stops at ids_processed >= max_ids - 1).
 * Owed even when the SPMC lists id 0 itself, and even once the message
 * was delivered: the host GETs once per listed id 0 (Linux
 * ffa_self_notif_handle, one NOTIFICATION_GET each) and a GET gives one
 * message, the kept one first (host_get). The SPMC's id 0 may be for a
 * second message, in the proxy's RX, which Hafnium lists once
 * (vm_notifications_state_info_get marks it info_get_retrieved): counted
 * as the kept one's listing, or spent by a GET that delivered the kept
 * one, it would never be announced again. At worst one GET too many,
 * which finds nothing.
 */
static bool hold_list(struct ffp *p, uint32_t n, uint32_t max, bool *more)
{
	bool add = false;

	*more = false;
	ffp_lock(p, FFP_LOCK_STATE);
	if (p->hold_owed) {
		if (n + 1 < max) {
			p->hold_owed = false;
			add = true;
		} else {
			*more = true;
		}
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	return add;
}

/* The 16-bit id at slot `idx` of an INFO_GET reply, `per_reg` ids a
 * register from x3 (4 in the 64-bit form; the 32-bit form packs 2 into
 * each w register, Linux list_idx_to_u16_idx). */
static uint16_t info_id(const struct ffa_regs *r, uint32_t idx,
			uint32_t per_reg)
{
	return (uint16_t)(r->x[3 + idx / per_reg] >> (16 * (idx % per_reg)));
}

static uint32_t info_lists(uint64_t flags)
{
	return (uint32_t)(flags >> FFA_NOTIF_INFO_COUNT_SHIFT) &
	       FFA_NOTIF_INFO_COUNT_MASK;
}

static uint32_t info_size(uint64_t flags, uint32_t list)
{
	return (uint32_t)(flags >> (FFA_NOTIF_INFO_SIZES_SHIFT + 2 * list)) &
	       3u;
}

/*
 * An SPMC success reply to INFO_GET (x1..x7 already cut to the call's
 * width), checked field by field: the frame of the call's width, w1
 * zero, the flags' reserved bits and the sizes of lists past the count
 * zero, the lists within the width's ids, each endpoint id a partition
 * or one of the proxy's normal-world ids, every id slot past them zero.
 * true with *used the id slots the lists take.
 */
static bool info_valid(const struct ffp *p, const struct ffa_regs *r,
		       bool smc64, uint32_t *used)
{
	const uint32_t max = smc64 ? FFA_NOTIF_INFO_MAX_IDS_64
				   : FFA_NOTIF_INFO_MAX_IDS_32;
	const uint32_t per_reg = smc64 ? 4 : 2;
	const uint64_t flags = r->x[2];
	const uint32_t lists = info_lists(flags);
	uint64_t mask;
	uint32_t i, n, idx;
	uint16_t id;

	/* Reserved flag bits [6:1], sizes of lists past the count, and
	 * anything above the width's last list. */
	mask = FFA_NOTIF_INFO_MORE_PENDING |
	       (uint64_t)FFA_NOTIF_INFO_COUNT_MASK << FFA_NOTIF_INFO_COUNT_SHIFT;
	if (lists > max)
		return false;
	mask |= (((uint64_t)1 << (2 * lists)) - 1) << FFA_NOTIF_INFO_SIZES_SHIFT;
	/* The frame's width says how the ids are packed (Linux
	 * ffa_notification_info_get: is_64b_resp): only the call's own. */
	if ((uint32_t)r->x[0] != (smc64 ? FFA_SUCCESS_64 : FFA_SUCCESS_32) ||
	    r->x[1] || (flags & ~mask))
		return false;
	for (i = 0, n = 0; i < lists; i++) {
		if (n + 1 + info_size(flags, i) > max)
			return false;
		/* The list's endpoint id (then its vCPU ids): a partition,
		 * which the host gives cycles to (Linux __do_sched_recv_cb),
		 * or one of the proxy's ids. */
		id = info_id(r, n, per_reg);
		if (!ffa_id_is_secure(id) && id >= p->cfg.max_endpoints)
			return false;
		n += 1 + info_size(flags, i);
	}
	/* Id slots past the last one used: zero. */
	for (idx = n; idx < max; idx++)
		if (info_id(r, idx, per_reg))
			return false;
	*used = n;
	return true;
}

enum info_route { ROUTE_HOST, ROUTE_VM, ROUTE_STALE, ROUTE_NONE };

/*
 * With the embedder's notification_pending (platform.h): every list of a
 * present VM is taken out of the checked reply *r and announced to the
 * embedder, each list of an id the proxy does not have (a removed VM's:
 * its notifications were drained or its destruction is pending, nothing
 * a VM could take) dropped and logged, and the host's (id 0) and the
 * partitions' lists re-packed in order into x2..x7 in the call's width,
 * the more-pending bit kept, every unused id slot and register zero.
 * *used: the id slots left. A Linux host drops an id it has no partition
 * device for ("Invalid partition ID", __do_sched_recv_cb), and the SPMC
 * lists a pending notification once (Hafnium's info_get_retrieved, set
 * by INFO_GET and cleared by GET): passed on, a VM's would be lost. A
 * VM's vCPU ids at or past its notification vCPU count are dropped
 * (logged), and a per-vCPU list left with none with them: the embedder
 * indexes its vCPUs with them. A present VM with neither a notification
 * bitmap nor a bounce pair has nothing pending at the SPMC (a bitmap is
 * created before anything can be bound to it, call_begin; RX buffer full
 * needs the pair, host_get): its list is dropped and logged too, so a VM
 * added under a removed one's id after the SPMC's reply is not told of
 * the old one's notifications. Presence is looked at under STATE, the
 * embedder called with no lock held: a VM removed, and its id re-added
 * and given a bitmap, between that look and the call gets one NPI it
 * finds nothing for (its bitmap is new: the old one's notifications went
 * with the old bitmap's destruction), which platform.h allows for.
 */
static void info_route(struct ffp_call *c, struct ffa_regs *r,
		       uint32_t *used)
{
	struct ffp *p = c->p;
	const uint32_t per_reg = c->smc64 ? 4 : 2;
	const uint32_t max = c->smc64 ? FFA_NOTIF_INFO_MAX_IDS_64
				      : FFA_NOTIF_INFO_MAX_IDS_32;
	const uint64_t flags = r->x[2];
	const uint32_t lists = info_lists(flags);
	uint16_t ids[FFA_NOTIF_INFO_MAX_IDS_64], vcpu[3];
	uint8_t route[FFA_NOTIF_INFO_MAX_IDS_64];
	uint16_t vcpus[FFA_NOTIF_INFO_MAX_IDS_64];
	uint32_t i, k, idx, size, nv, kept = 0, out = 0;
	uint64_t out_flags = flags & FFA_NOTIF_INFO_MORE_PENDING;
	uint16_t id;

	/* Every slot (those past *used are zero, info_valid). */
	for (idx = 0; idx < FFA_NOTIF_INFO_MAX_IDS_64; idx++)
		ids[idx] = idx < max ? info_id(r, idx, per_reg) : 0;
	ffp_lock(p, FFP_LOCK_STATE);
	for (i = 0, idx = 0; i < lists; idx += 1 + info_size(flags, i), i++) {
		id = ids[idx];
		vcpus[i] = 0;
		if (id == 0 || ffa_id_is_secure(id)) {
			route[i] = ROUTE_HOST;
		} else if (!p->eps[id].present) { /* id < max_endpoints */
			route[i] = ROUTE_STALE;
		} else if (p->eps[id].notif == FFP_NOTIF_CREATED ||
			   p->eps[id].mb_mapped || p->eps[id].mb_setting) {
			route[i] = ROUTE_VM;
			vcpus[i] = ffp_notif_vcpus(p, &p->eps[id]);
		} else {
			/* Nothing can be pending for it: no bitmap and no
			 * bounce pair (host_get). */
			route[i] = ROUTE_NONE;
		}
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	for (i = 3; i < 8; i++)
		r->x[i] = 0;
	for (i = 0, idx = 0; i < lists; idx += 1 + size, i++) {
		size = info_size(flags, i);
		id = ids[idx];
		if (route[i] == ROUTE_HOST) {
			for (k = 0; k <= size; k++, out++)
				r->x[3 + out / per_reg] |=
					(uint64_t)ids[idx + k]
					<< (16 * (out % per_reg));
			out_flags |= (uint64_t)size
				     << (FFA_NOTIF_INFO_SIZES_SHIFT + 2 * kept);
			kept++;
			continue;
		}
		if (route[i] == ROUTE_STALE) {
			ffp_log(p, c->ep_id, c->func, 0,
				"NOTIFICATION_INFO_GET: a VM id the proxy does "
				"not have (removed): its list dropped", id);
			continue;
		}
		if (route[i] == ROUTE_NONE) {
			ffp_log(p, c->ep_id, c->func, 0,
				"NOTIFICATION_INFO_GET: a VM with no "
				"notification bitmap or bounce pair: its list "
				"dropped", id);
			continue;
		}
		for (k = 0, nv = 0; k < size; k++) {
			if (ids[idx + 1 + k] < vcpus[i])
				vcpu[nv++] = ids[idx + 1 + k];
			else
				ffp_log(p, c->ep_id, c->func, 0,
					"NOTIFICATION_INFO_GET: a vCPU id past "
					"the VM's vCPUs dropped",
					(uint64_t)id << 16 | ids[idx + 1 + k]);
		}
		if (size && !nv)
			continue;
		p->plat->notification_pending(p->ctx, id, vcpu, nv);
	}
	r->x[2] = out_flags | (uint64_t)kept << FFA_NOTIF_INFO_COUNT_SHIFT;
	*used = out;
}

/* Whether a kept message's listing is owed (hold_list), looked at. */
static bool hold_is_owed(struct ffp *p)
{
	bool owed;

	ffp_lock(p, FFP_LOCK_STATE);
	owed = p->hold_owed;
	ffp_unlock(p, FFP_LOCK_STATE);
	return owed;
}

/* SPMC INFO_GETs of one host call whose every list went to the embedder
 * while the SPMC said more are pending (info_route): bounded, as an SPMC
 * that always says so would hold the host's CPU. */
#define INFO_GET_ROUNDS 4

/* What the host gets when the SPMC is not asked again, or its answer to
 * a retry is not usable: a success with no list and the more-pending bit
 * (Linux's ffa_notification_info_get asks again while it is set). */
static void info_more_pending(struct ffa_regs *r, bool smc64)
{
	ffp_regs_zero(r);
	r->x[0] = smc64 ? FFA_SUCCESS_64 : FFA_SUCCESS_32;
	r->x[2] = FFA_NOTIF_INFO_MORE_PENDING;
}

/*
 * FFA_NOTIFICATION_INFO_GET (32 and 64), the host's alone: forwarded at
 * the caller's width (Hafnium implements only the SMC64 one, which
 * FFA_FEATURES then reports: it asks the SPMC of the very id; a 64-bit
 * list cannot be repacked into a 32-bit one without losing entries the
 * SPMC has marked reported), the reply checked (info_valid) and passed
 * on, id 0 added for a kept message (hold_list). Hafnium's hypervisor
 * (ffa_notifications_info_get_forward) checks the counts likewise.
 * With the embedder's notification_pending, the VMs' lists go to it
 * (info_route) and the host gets the rest; if none is left: NO_DATA when
 * the SPMC has no more pending, else the SPMC is asked again (up to
 * INFO_GET_ROUNDS in all), and at the bound the host gets a success with
 * no list and the more-pending bit, which Linux's
 * ffa_notification_info_get takes as zero lists and asks again for (it
 * loops while bit 0 is set). Hafnium's SPMC lists each pending
 * notification once (vm_notifications_state_info_get sets
 * info_get_retrieved for what it lists, and reports more pending when
 * its list is full, vm_insert_notification_info_list), so a retry gets
 * the rest. A retry is made only when nothing of the earlier reply was
 * left for the host; every reply is checked (info_valid) before any of
 * it is routed; a retry refused (but NO_DATA) or malformed leaves the
 * host that success with no list and more pending.
 */
void ffp_handle_notification_info_get(struct ffp_call *c)
{
	struct ffp *p = c->p;
	const uint32_t max = c->smc64 ? FFA_NOTIF_INFO_MAX_IDS_64
				      : FFA_NOTIF_INFO_MAX_IDS_32;
	struct ffa_regs r;
	uint64_t flags;
	uint32_t i, n = 0, round;
	bool more;

	if (c->ep_id != 0) {
		ffp_refuse(c, FFA_NOT_SUPPORTED,
			   "NOTIFICATION_INFO_GET is the host's (the receivers' "
			   "scheduler): it lists every VM's pending notifications",
			   c->ep_id);
		return;
	}
	for (i = 1; i < 8; i++)
		if (c->in.x[i]) {
			ffp_refuse(c, FFA_INVALID_PARAMETERS, "x1..x7 MBZ", i);
			return;
		}
	for (round = 1;; round++) {
		ffp_regs_zero(&r);
		r.x[0] = c->func;
		ffp_smc(p, &r);
		if ((uint32_t)r.x[0] == FFA_ERROR_32 && round > 1 &&
		    ffp_status(r.x[2]) != FFA_NO_DATA) {
			/* A retry refused: the host's call already took the
			 * SPMC's first success (its VM lists announced, marked
			 * retrieved there) and was told more are pending;
			 * that stands, and the host asks again. NO_DATA says
			 * there is no more: passed on below. */
			ffp_log(p, c->ep_id, c->func, ffp_status(r.x[2]),
				"NOTIFICATION_INFO_GET: SPMC refused a retry",
				(uint32_t)r.x[2]);
			info_more_pending(&r, c->smc64);
			n = 0;
			break;
		}
		if ((uint32_t)r.x[0] == FFA_ERROR_32)
			break;
		if (!c->smc64)
			for (i = 1; i < 8; i++)
				r.x[i] = (uint32_t)r.x[i];
		if (!info_valid(p, &r, c->smc64, &n)) {
			if (round == 1) {
				ffp_refuse(c, FFA_ABORTED,
					   "unexpected NOTIFICATION_INFO_GET "
					   "reply from the SPMC",
					   r.x[2]);
				return;
			}
			/* Likewise for a malformed answer to a retry: its
			 * lists are lost, as any malformed reply's, but the
			 * first success stands. */
			ffp_log(p, c->ep_id, c->func, FFA_ABORTED,
				"unexpected NOTIFICATION_INFO_GET reply from "
				"the SPMC to a retry",
				r.x[2]);
			info_more_pending(&r, c->smc64);
			n = 0;
			break;
		}
		if (!p->plat->notification_pending)
			break;
		info_route(c, &r, &n);
		if (info_lists(r.x[2]) ||
		    !(r.x[2] & FFA_NOTIF_INFO_MORE_PENDING) ||
		    round == INFO_GET_ROUNDS || hold_is_owed(p))
			break;
	}
	if ((uint32_t)r.x[0] == FFA_ERROR_32 &&
	    ffp_status(r.x[2]) == FFA_NO_DATA &&
	    hold_list(p, 0, max, &more)) {
		/* Nothing pending at the SPMC, a kept message here: a list
		 * of id 0 alone (its id packs as zero). */
		c->out.x[0] = c->smc64 ? FFA_SUCCESS_64 : FFA_SUCCESS_32;
		c->out.x[2] = 1u << FFA_NOTIF_INFO_COUNT_SHIFT;
		return;
	}
	if ((uint32_t)r.x[0] == FFA_ERROR_32) {
		/* NO_DATA: nothing pending, the common answer. */
		ffp_refuse(c, ffp_status(r.x[2]), "SPMC refused the call",
			   (uint32_t)r.x[2]);
		return;
	}
	flags = r.x[2];
	/* A kept message: id 0 appended as one more list with no vCPU ids
	 * (its id packs as zero into the zero slot at n; its size bits
	 * stay zero), unless no id slot is left (the last one excepted,
	 * hold_list): then more pending, and the host asks again (Linux
	 * ffa_notification_info_get loops while it is set). */
	if (hold_list(p, n, max, &more))
		flags += 1u << FFA_NOTIF_INFO_COUNT_SHIFT;
	if (more)
		flags |= FFA_NOTIF_INFO_MORE_PENDING;
	if (p->plat->notification_pending && !info_lists(flags) &&
	    !(flags & FFA_NOTIF_INFO_MORE_PENDING)) {
		/* Every list was a VM's (given to the embedder) or stale,
		 * and the SPMC has no more: as its own NO_DATA. */
		ffp_refuse(c, FFA_NO_DATA,
			   "NOTIFICATION_INFO_GET: nothing left for the host "
			   "(VMs' lists given to the embedder)",
			   0);
		return;
	}
	c->out.x[0] = c->smc64 ? FFA_SUCCESS_64 : FFA_SUCCESS_32;
	c->out.x[2] = flags;
	for (i = 3; i < 8; i++)
		c->out.x[i] = r.x[i];
}

/* FFA_FEATURES(schedule receiver interrupt): the interrupt id the SPMC
 * signals pending notifications with, an SGI given to the normal world
 * (Linux ffa_sched_recv_irq_map assumes one; Hafnium's SPMC configures
 * HF_SCHEDULE_RECEIVER_INTID as a non-secure SGI, plat_ffa_sri_init).
 * The host's alone, as INFO_GET: it is the scheduler the SRI is for. */
void ffp_features_sri(struct ffp_call *c)
{
	struct ffa_regs r;
	uint32_t acc = 0, i;

	if (c->ep_id != 0 || c->version < FFA_VERSION_1_1 ||
	    c->p->spmc_version < FFA_VERSION_1_1) {
		ffp_refuse(c, FFA_NOT_SUPPORTED,
			   "FEATURES: the schedule receiver interrupt is the "
			   "host's, at 1.1+",
			   FFA_FEATURE_SRI);
		return;
	}
	ffp_regs_zero(&r);
	r.x[0] = FFA_FEATURES_32;
	r.x[1] = FFA_FEATURE_SRI;
	ffp_smc(c->p, &r);
	if ((uint32_t)r.x[0] == FFA_ERROR_32) {
		ffp_refuse(c, FFA_NOT_SUPPORTED,
			   "FEATURES: the SPMC does not offer it",
			   FFA_FEATURE_SRI);
		return;
	}
	for (i = 3; i < 8; i++)
		acc |= (uint32_t)r.x[i];
	if ((uint32_t)r.x[0] != FFA_SUCCESS_32 || (uint32_t)r.x[1] || acc ||
	    (uint32_t)r.x[2] > 15) {
		ffp_refuse(c, FFA_ABORTED,
			   "unexpected FEATURES(SRI) reply from the SPMC",
			   r.x[2]);
		return;
	}
	ffp_success(c, (uint32_t)r.x[2], 0);
}

/* The NPI is a hypervisor's virtual interrupt for its VMs (Xen injects
 * GUEST_FFA_NOTIF_PEND_INTR_ID after its own INFO_GET, ffa_notif.c
 * notif_vm_pend_intr); the host has the SRI. Nothing to ask the SPMC. */
void ffp_features_npi(struct ffp_call *c)
{
	if (c->ep_id == 0 || !c->p->cfg.npi_offered ||
	    c->version < FFA_VERSION_1_1 ||
	    c->p->spmc_version < FFA_VERSION_1_1) {
		ffp_refuse(c, FFA_NOT_SUPPORTED,
			   "FEATURES: no notification pending interrupt "
			   "(a VM's, at 1.1+, when the embedder offers one)",
			   FFA_FEATURE_NPI);
		return;
	}
	ffp_success(c, c->p->cfg.npi_intid, 0);
}

bool ffp_notif_destroy(struct ffp *p, uint16_t id, uint16_t vcpus,
		       bool *unsure)
{
	const uint32_t func = FFA_NOTIFICATION_BITMAP_DESTROY_32;
	uint64_t sp;
	uint32_t v, spm;
	bool garbled;
	int32_t st;

	st = bitmap_call(p, id, 0, &garbled);
	if (st == FFA_DENIED && *unsure) {
		/* DENIED is Hafnium's answer both for pending notifications
		 * and for no bitmap at all (plat_ffa_notifications_bitmap_
		 * destroy), and after a reply outside the protocol either
		 * may hold. A GET of an id with no bitmap would stop
		 * Hafnium's SPMC at a CHECK (api_ffa_notification_get), so
		 * a CREATE asks first: DENIED when the bitmap exists
		 * (plat_ffa_notifications_bitmap_create), else a new one,
		 * with nothing bound or pending, destroyed at once. */
		st = bitmap_call(p, id, vcpus, &garbled);
		if (!st) {
			st = bitmap_call(p, id, 0, &garbled);
			*unsure = garbled;
			return !st;
		}
		if (st != FFA_DENIED)
			return false; /* still unknown */
		*unsure = false; /* it exists */
	}
	if (st != FFA_DENIED) {
		*unsure = st ? *unsure || garbled : false;
		return !st;
	}
	/* Pending notifications of the endpoint that is gone: taken and
	 * dropped, global ones at the first vCPU that answers, per-vCPU ones
	 * at each. The host's (ffp_host_reset) without its SPM framework
	 * bitmap: RX buffer full there is the proxy's RX, the message the
	 * new kernel's (ffp_notif_take_rx_full). A refused GET (logged by
	 * spmc_get) does not end the drain: the other vCPUs' GETs may still
	 * empty the bitmap, so the destruction need not wait for the next
	 * retry. */
	for (v = 0; v < vcpus; v++)
		(void)spmc_get(p, id, func, v << 16 | id,
			       id ? FFA_NOTIF_GET_SP | FFA_NOTIF_GET_SPM
				  : FFA_NOTIF_GET_SP,
			       &sp, &spm);
	st = bitmap_call(p, id, 0, &garbled);
	/* DENIED again after the drain: pending anew, or (if a CREATE's
	 * DENIED above was for another reason) no bitmap at all; the next
	 * try asks first rather than draining an id that may have none. */
	*unsure = garbled || st == FFA_DENIED;
	return !st;
}
