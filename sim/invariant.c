/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* Invariants of a simulated world; see invariant.h for the list. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/invariant.h"

static int violation(struct inv *iv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(iv->why, sizeof(iv->why), fmt, ap);
	va_end(ap);
	return -1;
}

void inv_init(struct inv *iv, struct simplat *sp)
{
	memset(iv, 0, sizeof(*iv));
	iv->sp = sp;
}

void inv_fini(struct inv *iv)
{
	free(iv->donated);
	iv->donated = NULL;
	iv->donated_count = 0;
}

/* [base, base + pages * 4 KiB) with the end clamped at the top. */
static uint64_t range_end(uint64_t base, uint32_t pages)
{
	uint64_t size = (uint64_t)pages * SIMMEM_PAGE;

	return size > UINT64_MAX - base ? UINT64_MAX : base + size;
}

int inv_sp_retrieve(struct inv *iv, uint16_t sp_id, uint64_t handle)
{
	const struct spmc *s = &iv->sp->spmc;
	const struct spmc_txn *t = spmc_find_transaction(s, handle);
	struct inv_range *keep = NULL;
	uint32_t n = 0, i;
	int st;

	if (t && t->fn == FFA_FN_MEM_DONATE && t->ranges_filled) {
		n = t->ranges_filled;
		keep = malloc(n * sizeof(*keep));
		for (i = 0; keep && i < n; i++) {
			const struct spmc_range *r = &s->ranges[t->range_first + i];

			keep[i].base = r->base;
			keep[i].end = range_end(r->base, r->pages);
			keep[i].owner = t->sender;
		}
	}
	st = spmc_sp_retrieve(&iv->sp->spmc, sp_id, handle);
	if (st == 0 && keep && !spmc_find_transaction(s, handle)) {
		struct inv_range *grown =
			realloc(iv->donated,
				(iv->donated_count + n) * sizeof(*grown));

		if (grown) {
			memcpy(grown + iv->donated_count, keep, n * sizeof(*keep));
			iv->donated = grown;
			iv->donated_count += n;
		}
	}
	free(keep);
	return st;
}

static enum ffp_page_state txn_state(const struct spmc_txn *t)
{
	switch (t->fn) {
	case FFA_FN_MEM_SHARE:
		return FFP_PAGE_SHARED;
	case FFA_FN_MEM_LEND:
		return FFP_PAGE_LENT;
	default:
		return FFP_PAGE_DONATED;
	}
}

/* One SPMC range, for lookups by address. */
struct cover {
	uint64_t base, end;
	const struct spmc_txn *t;
};

static int cover_cmp(const void *a, const void *b)
{
	const struct cover *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

/* Every range of every SPMC transaction, sorted; NULL (count 0) when
 * there are none. Overlaps are a W2 violation. */
static int collect_covers(struct inv *iv, struct cover **out, size_t *count)
{
	const struct spmc *s = &iv->sp->spmc;
	struct cover *c;
	size_t n = 0, i;
	uint32_t k;

	*out = NULL;
	*count = 0;
	for (k = 0; k < SPMC_MAX_TXNS; k++)
		if (s->txns[k].used)
			n += s->txns[k].ranges_filled;
	if (!n)
		return 0;
	c = malloc(n * sizeof(*c));
	if (!c)
		return violation(iv, "out of host memory");
	n = 0;
	for (k = 0; k < SPMC_MAX_TXNS; k++) {
		const struct spmc_txn *t = &s->txns[k];

		for (i = 0; t->used && i < t->ranges_filled; i++) {
			const struct spmc_range *r = &s->ranges[t->range_first + i];

			c[n].base = r->base;
			c[n].end = range_end(r->base, r->pages);
			c[n++].t = t;
		}
	}
	qsort(c, n, sizeof(*c), cover_cmp);
	for (i = 1; i < n; i++) {
		if (c[i].base < c[i - 1].end) {
			unsigned long long a = c[i - 1].t->handle,
					   b = c[i].t->handle, base = c[i].base;

			free(c);
			return violation(iv,
					 "W2: SPMC transactions 0x%llx and 0x%llx "
					 "both cover 0x%llx",
					 a, b, base);
		}
	}
	*out = c;
	*count = n;
	return 0;
}

static const struct cover *find_cover(const struct cover *c, size_t n,
				      uint64_t pa)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c[mid].base <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && pa < c[lo - 1].end ? &c[lo - 1] : NULL;
}

static bool donated_retrieved(const struct inv *iv, uint64_t pa, uint16_t owner)
{
	unsigned i;

	for (i = 0; i < iv->donated_count; i++)
		if (iv->donated[i].owner == owner && pa >= iv->donated[i].base &&
		    pa < iv->donated[i].end)
			return true;
	return false;
}

/* The proxy keeps an orphan of this owner and kind: its pages stay taken
 * while the SPMC's state is unknown (proxy.h), reported through the log.
 * ffp_transaction_info does not say which ranges, so any such page of the
 * owner is let pass. */
static bool orphan_of(struct inv *iv, uint16_t owner, enum ffp_page_state st)
{
	struct ffp_transaction_info ti;
	uint32_t cur = 0;

	while (ffp_transaction_next(iv->sp->proxy, &cur, &ti) == 0)
		if (ti.orphan && ti.owner == owner &&
		    (ti.func == FFA_FN_MEM_SHARE	? FFP_PAGE_SHARED
		     : ti.func == FFA_FN_MEM_LEND ? FFP_PAGE_LENT
						   : FFP_PAGE_DONATED) == st)
			return true;
	return false;
}

static bool in_buffers(const struct ffp_endpoint_info *e, uint64_t pa)
{
	uint64_t size = (uint64_t)e->buffer_pages * SIMMEM_PAGE;

	return e->buffers_mapped &&
	       ((pa >= e->tx_pa && pa - e->tx_pa < size) ||
		(pa >= e->rx_pa && pa - e->rx_pa < size));
}

static uint16_t endpoint_limit(const struct inv *iv)
{
	return iv->sp->cfg.proxy.max_endpoints;
}

/* W1, W2 and the SHARED_PROXY half of W4, page by page. */
static int check_page(struct inv *iv, unsigned region, uint64_t k,
		      uint64_t pa, const struct cover *c, size_t nc)
{
	struct ffp_endpoint_info e;
	struct simmem_page pg;
	const struct cover *cv;

	if (simmem_region_page(iv->sp->mem, region, k, &pg))
		return violation(iv, "page 0x%llx vanished during the walk",
				 (unsigned long long)pa);
	if (pg.owner != pg.region_owner)
		return violation(iv, "W1: page 0x%llx owned by %u, region of %u",
				 (unsigned long long)pa, pg.owner,
				 pg.region_owner);
	switch (pg.state) {
	case FFP_PAGE_OWNED:
		return 0;
	case FFP_PAGE_SHARED_PROXY:
		if (pg.owner < endpoint_limit(iv) &&
		    !ffp_endpoint_info(iv->sp->proxy, pg.owner, &e) &&
		    in_buffers(&e, pa))
			return 0;
		return violation(iv,
				 "W4: page 0x%llx of %u is shared with the proxy "
				 "but is not in its mapped RX/TX buffers",
				 (unsigned long long)pa, pg.owner);
	case FFP_PAGE_SHARED:
	case FFP_PAGE_LENT:
	case FFP_PAGE_DONATED:
		cv = find_cover(c, nc, pa);
		if (cv && cv->t->sender == pg.owner &&
		    txn_state(cv->t) == pg.state)
			return 0;
		if (!cv && pg.state == FFP_PAGE_DONATED &&
		    donated_retrieved(iv, pa, pg.owner))
			return 0;
		if (!cv && orphan_of(iv, pg.owner, pg.state))
			return 0;
		if (cv)
			return violation(iv,
					 "W2: page 0x%llx of %u is %s but SPMC "
					 "transaction 0x%llx (sender %u) is a %s",
					 (unsigned long long)pa, pg.owner,
					 simmem_state_name(pg.state),
					 (unsigned long long)cv->t->handle,
					 cv->t->sender,
					 simmem_state_name(txn_state(cv->t)));
		return violation(iv,
				 "W2: page 0x%llx of %u is %s with no SPMC "
				 "transaction covering it",
				 (unsigned long long)pa, pg.owner,
				 simmem_state_name(pg.state));
	default:
		return violation(iv, "page 0x%llx in unknown state %u",
				 (unsigned long long)pa, (unsigned)pg.state);
	}
}

/* Whether the proxy holds a record of SPMC transaction `t` under the
 * SPMC's own handle (so can name it: continue, abort or reclaim it). */
static bool named_by_proxy(struct inv *iv, const struct spmc_txn *t)
{
	struct ffp_transaction_info ti;
	uint32_t cur = 0;

	while (ffp_transaction_next(iv->sp->proxy, &cur, &ti) == 0)
		if (!ti.orphan && ti.handle_valid && ti.handle == t->handle &&
		    ti.owner == t->sender && ti.func == t->fn)
			return true;
	return false;
}

/* W3 for one SPMC range: the pages of it that exist. */
static int check_cover(struct inv *iv, const struct cover *cv)
{
	const struct spmc_txn *t = cv->t;
	unsigned i, n = simmem_region_count(iv->sp->mem);
	uint64_t inside = 0;

	for (i = 0; i < n; i++) {
		uint64_t base, size, lo, hi, pa;
		uint16_t owner;

		if (simmem_region(iv->sp->mem, i, &base, &size, &owner))
			break;
		lo = cv->base > base ? cv->base : base;
		hi = cv->end < base + size ? cv->end : base + size;
		if (lo < hi)
			inside += hi - lo;
		for (pa = lo & ~(uint64_t)(SIMMEM_PAGE - 1); pa < hi;
		     pa += SIMMEM_PAGE) {
			struct simmem_page pg;

			if (simmem_page(iv->sp->mem, pa, &pg))
				continue;
			if (pg.owner != t->sender)
				return violation(
					iv,
					"W3: SPMC transaction 0x%llx of %u "
					"covers page 0x%llx of %u",
					(unsigned long long)t->handle, t->sender,
					(unsigned long long)pa, pg.owner);
			if (pg.state == txn_state(t) ||
			    (!t->complete && pg.state == FFP_PAGE_OWNED))
				continue;
			return violation(iv,
					 "W3: %s SPMC transaction 0x%llx (%s) "
					 "covers page 0x%llx of %u that is %s",
					 t->complete ? "complete" : "pending",
					 (unsigned long long)t->handle,
					 simmem_state_name(txn_state(t)),
					 (unsigned long long)pa, pg.owner,
					 simmem_state_name(pg.state));
		}
	}
	/* Memory in no region is nobody's to share: the walk above never
	 * sees it, so a proxy that forwarded an address it never checked
	 * (or translated one wrongly into a hole) would pass. Regions do
	 * not overlap, so the parts inside them add up. The exceptions are
	 * memory gone with its removed VM: an orphan's (proxy.h), a
	 * complete donation's, which left the normal world (the proxy
	 * forgets it), or, once the SPMC has lied about handles (W5 is off
	 * then), a pending one the proxy could not name: its continuation
	 * was refused for the handle, its pages went back, and nobody can
	 * complete or retrieve it (docs/memory.md). */
	if (inside != cv->end - cv->base &&
	    !(t->complete && t->fn == FFA_FN_MEM_DONATE) &&
	    !(!t->complete &&
	      (iv->handles_untrusted || iv->sp->spmc.bogus_handle) &&
	      !named_by_proxy(iv, t)) &&
	    !orphan_of(iv, t->sender, txn_state(t)))
		return violation(iv,
				 "W3: SPMC transaction 0x%llx of %u covers "
				 "memory outside every region, in [0x%llx, "
				 "0x%llx)",
				 (unsigned long long)t->handle, t->sender,
				 (unsigned long long)cv->base,
				 (unsigned long long)cv->end);
	return 0;
}

/* The other half of W4: every page of a mapped buffer is SHARED_PROXY. */
static int check_buffers(struct inv *iv)
{
	uint16_t id;

	for (id = 0; id < endpoint_limit(iv); id++) {
		struct ffp_endpoint_info e;
		uint64_t k;

		if (ffp_endpoint_info(iv->sp->proxy, id, &e) || !e.buffers_mapped)
			continue;
		for (k = 0; k < 2ull * e.buffer_pages; k++) {
			uint64_t pa = (k < e.buffer_pages ? e.tx_pa : e.rx_pa) +
				      (k % e.buffer_pages) * SIMMEM_PAGE;
			struct simmem_page pg;

			if (simmem_page(iv->sp->mem, pa, &pg) || pg.owner != id ||
			    pg.state != FFP_PAGE_SHARED_PROXY)
				return violation(iv,
						 "W4: endpoint %u's mapped buffer "
						 "page 0x%llx is not shared with "
						 "the proxy",
						 id, (unsigned long long)pa);
		}
	}
	return 0;
}

/* W5: the proxy records every transaction the SPMC holds (its handle,
 * owner and kind), but a completed donation, which it forgets (proxy.h):
 * one it lost track of is one nobody can reclaim or finish, whose pages
 * the SPMC keeps claiming. */
static int check_known(struct inv *iv)
{
	const struct spmc *s = &iv->sp->spmc;
	uint32_t k;

	iv->handles_untrusted |= s->bogus_handle != 0;
	if (iv->handles_untrusted)
		return 0;
	for (k = 0; k < SPMC_MAX_TXNS; k++) {
		const struct spmc_txn *t = &s->txns[k];
		struct ffp_transaction_info ti;
		uint32_t cur = 0;
		bool known = false;

		if (!t->used || (t->complete && t->fn == FFA_FN_MEM_DONATE))
			continue;
		while (!known &&
		       ffp_transaction_next(iv->sp->proxy, &cur, &ti) == 0)
			known = ti.handle_valid && ti.handle == t->handle &&
				ti.owner == t->sender && ti.func == t->fn;
		/* An orphan of the same owner and kind may be it under a
		 * handle the SPMC misreported: its pages stay taken. */
		if (!known && !orphan_of(iv, t->sender, txn_state(t)))
			return violation(iv,
					 "W5: SPMC transaction 0x%llx of %u (%s, "
					 "%s) is unknown to the proxy",
					 (unsigned long long)t->handle, t->sender,
					 simmem_state_name(txn_state(t)),
					 t->complete ? "complete" : "pending");
	}
	return 0;
}

/*
 * W6: VM availability messages, as the SPMC model's partitions recorded
 * them. For a partition subscribed to both messages and a VM id, the
 * delivered ones alternate (VM_CREATED first); a VM_DESTROYED answered
 * RETRY, INTERRUPTED or BUSY leaves it pending, any other failure drops
 * it; a message preempted at the partition (FFA_INTERRUPT, not yet ended
 * by an FFA_RUN) is pending whichever it is. Then: a VM the proxy has is
 * created at every such partition; one it does not have is not, but for
 * the pairs still pending, which are exactly what ffp_endpoint_info
 * reports. Skipped once the model's
 * record may differ from what the proxy saw (an SMC fault injected at a
 * framework message or a partition list, a corrupted reply, a record
 * full).
 */
enum { VA_CLOSED, VA_OPEN, VA_CLOSING };

/* A VM_DESTROYED answered so stays pending at the proxy. */
static bool va_transient(int32_t res)
{
	return res == FFA_RETRY || res == FFA_INTERRUPTED || res == FFA_BUSY;
}

static int check_vmavail(struct inv *iv)
{
	const struct spmc *s = &iv->sp->spmc;
	const uint32_t both = FFA_PART_PROP_VM_CREATED | FFA_PART_PROP_VM_DESTROYED;
	uint32_t n = iv->sp->cfg.proxy.max_endpoints, i, k, closing;
	struct ffp_endpoint_info ei;
	struct ffp_info info;
	uint16_t vm;
	int state;

	ffp_info(iv->sp->proxy, &info);
	if (iv->sp->framework_faults || s->fw_corrupted || !info.ffa_enabled ||
	    info.spmc_version < FFA_VERSION_1_1 ||
	    iv->sp->cfg.proxy.vm_availability_by_embedder)
		return 0;
	for (i = 0; i < s->part_count; i++)
		if (s->parts[i].fw_count > SPMC_FW_LOG)
			return 0;
	for (vm = 1; vm < n; vm++) {
		if (ffp_endpoint_info(iv->sp->proxy, vm, &ei))
			continue;
		closing = 0;
		for (i = 0; i < s->part_count; i++) {
			const struct spmc_partition *p = &s->parts[i];
			const struct ffa_regs *req = &p->preempt.req;

			/* A message about the VM preempted at the partition
			 * (its vCPU in it): still owed, the VM absent. */
			if (p->preempt.pending &&
			    (uint32_t)req->x[0] == FFA_MSG_SEND_DIRECT_REQ_32 &&
			    ((uint32_t)req->x[2] & FFA_MSG_FLAG_FRAMEWORK) &&
			    (uint16_t)req->x[5] == vm) {
				if (ei.present)
					return violation(iv,
							 "W6: VM %u is present, a message "
							 "about it preempted at 0x%x",
							 vm, p->id);
				closing++;
				continue;
			}
			if (!(p->props & FFA_PART_PROP_VM_DESTROYED))
				continue;
			/* Subscribed to VM_DESTROYED only: it never heard
			 * of the VM's creation; only pending is tracked. */
			state = (p->props & both) == both ? VA_CLOSED : VA_OPEN;
			for (k = 0; k < p->fw_count; k++) {
				bool created = p->fw_log[k].type ==
					       FFA_FRAMEWORK_VM_CREATED_REQ;
				int32_t res = p->fw_log[k].result;

				if (p->fw_log[k].vm != vm)
					continue;
				if ((p->props & both) != both) {
					if (created)
						return violation(
							iv,
							"W6: partition 0x%x got "
							"VM_CREATED of VM %u unsubscribed",
							p->id, vm);
					state = va_transient(res) ? VA_CLOSING
								  : VA_OPEN;
					continue;
				}
				if (created ? state != VA_CLOSED
					    : state == VA_CLOSED)
					return violation(iv,
							 "W6: partition 0x%x got %s of VM %u "
							 "(message %u) out of turn",
							 p->id,
							 created ? "VM_CREATED"
								 : "VM_DESTROYED",
							 vm, k);
				if (created)
					state = res ? VA_CLOSED : VA_OPEN;
				else
					state = va_transient(res) ? VA_CLOSING
								  : VA_CLOSED;
			}
			if ((p->props & both) != both) {
				if (ei.present && state == VA_CLOSING)
					return violation(iv,
							 "W6: VM %u is present, its id's "
							 "VM_DESTROYED pending at 0x%x",
							 vm, p->id);
			} else if (ei.present != (state == VA_OPEN))
				return violation(iv,
						 "W6: VM %u is %s but partition 0x%x "
						 "was %s",
						 vm, ei.present ? "present" : "absent",
						 p->id,
						 state == VA_OPEN ? "told it exists"
								  : "not told");
			closing += state == VA_CLOSING;
		}
		if (closing != ei.vm_destroyed_pending)
			return violation(iv,
					 "W6: VM %u: %u VM_DESTROYED pending at the "
					 "partitions, the proxy reports %u",
					 vm, closing, ei.vm_destroyed_pending);
	}
	return 0;
}

/*
 * W7: a direct request of a removed VM that the SPMC holds preempted is
 * one the proxy kept (ffp_endpoint_info's preempted_orphans), which its
 * retry or the id's next add resumes: no partition vCPU is stranded.
 * Not checked with no records (max_preempted 0), with fewer slots than
 * twice the partitions (the model holds one request preempted per
 * partition; below that a preemption may go unrecorded by design), nor
 * once an FFA_RUN was faulted or a reply to a request or FFA_RUN
 * corrupted (the proxy acted on answers the SPMC never gave).
 */
static int check_stranded(struct inv *iv)
{
	const struct spmc *s = &iv->sp->spmc;
	const struct ffp_config *c = &iv->sp->cfg.proxy;
	struct ffp_endpoint_info ei;
	const struct spmc_partition *p;
	uint32_t i;
	uint16_t vm;

	if (!c->max_preempted || iv->sp->run_faults || s->run_corrupted ||
	    (uint32_t)c->max_endpoints * c->max_preempted < 2 * s->part_count)
		return 0;
	for (i = 0; i < s->part_count; i++) {
		p = &s->parts[i];
		if (!p->preempt.pending ||
		    ((uint32_t)p->preempt.req.x[2] & FFA_MSG_FLAG_FRAMEWORK))
			continue;
		vm = (uint16_t)((uint32_t)p->preempt.req.x[1] >> 16);
		if (!vm || vm >= c->max_endpoints ||
		    ffp_endpoint_info(iv->sp->proxy, vm, &ei) || ei.present)
			continue;
		if (!ei.preempted_orphans)
			return violation(iv,
					 "W7: partition 0x%x holds a request of "
					 "removed VM %u preempted, the proxy "
					 "none (stranded)",
					 p->id, vm);
	}
	return 0;
}

/* W8: notification bitmaps at the SPMC (spmc_notif.c). */
static int check_notif(struct inv *iv)
{
	const struct spmc *s = &iv->sp->spmc;
	uint32_t n = iv->sp->cfg.proxy.max_endpoints, i, v;
	struct ffp_endpoint_info ei;
	const struct spmc_ns_bitmap *b;
	uint64_t acc;

	for (i = 0; i < SPMC_NOTIF_BITMAPS; i++) {
		b = &s->notif[i];
		if (!b->used)
			continue;
		if (ffp_endpoint_info(iv->sp->proxy, b->id, &ei))
			return violation(iv, "W8: the SPMC holds a bitmap for "
					     "%u, no id of the proxy's",
					 b->id);
		if ((ei.present && ei.notif_bitmap) || ei.notif_destroy_pending)
			continue;
		acc = b->bound | b->pending | b->spm_pending;
		for (v = 0; v < SPMC_NOTIF_VCPUS; v++)
			acc |= b->pending_vcpu[v];
		if (acc)
			return violation(iv,
					 "W8: the SPMC holds a bitmap for %u with "
					 "bindings or notifications, which the "
					 "proxy neither has nor destroys",
					 b->id);
	}
	for (i = 0; i < n; i++)
		if (!ffp_endpoint_info(iv->sp->proxy, (uint16_t)i, &ei) &&
		    ei.present && ei.notif_bitmap && !spmc_notif_bitmap(s, (uint16_t)i))
			return violation(iv, "W8: endpoint %u has a bitmap the "
					     "SPMC does not hold",
					 i);
	return 0;
}

/* W9: the normal world's RX at the SPMC is the normal world's only
 * while RX buffer full is pending for id 0 (a message the host has not
 * taken yet): once the proxy took the notification (the host's GET, or
 * its own before a reclaim), it gave the RX back; so did every partition
 * info query. Not checked once an SMC fault or a garbled reply hit one of
 * those calls (the proxy may have taken the notification unawares). */
static int check_rx(struct inv *iv)
{
	const struct spmc *s = &iv->sp->spmc;

	if (iv->sp->rx_faults || s->rx_corrupted)
		return 0;
	if (s->rx_held_by_ns && !(s->ns_spm_pending & FFA_NOTIF_FW_RX_FULL))
		return violation(iv, "W9: the SPMC holds the normal world's RX "
				     "with no RX buffer full pending: taken "
				     "and never given back");
	return 0;
}

/* W11: VMs' bounce pairs at the SPMC as the proxy has them, and each
 * one's RX given back once the proxy took its RX buffer full. */
static int check_bounce(struct inv *iv)
{
	struct spmc *s = &iv->sp->spmc;
	const uint32_t n = iv->sp->cfg.proxy.max_endpoints;
	struct ffp_endpoint_info ei;
	const struct spmc_vm_mbox *mb;
	uint32_t i;

	for (i = 1; i < n; i++) {
		if (ffp_endpoint_info(iv->sp->proxy, (uint16_t)i, &ei))
			continue;
		mb = spmc_vm_mbox(s, (uint16_t)i);
		if (ei.present && ei.msg_buffers && !mb)
			return violation(iv, "W11: VM %u has a bounce pair the "
					     "SPMC does not hold",
					 i);
		if (mb && !(ei.present && ei.msg_buffers) &&
		    !ei.msg_unmap_pending && !iv->sp->pair_faults)
			return violation(iv, "W11: the SPMC holds a pair for %u, "
					     "which the proxy neither has nor "
					     "unmaps",
					 i);
		if (mb && ei.present && mb->full &&
		    !(mb->spm_pending & FFA_NOTIF_FW_RX_FULL) &&
		    !iv->sp->rx_faults && !s->rx_corrupted)
			return violation(iv, "W11: the SPMC holds VM %u's RX "
					     "with no RX buffer full pending: "
					     "taken and never given back",
					 i);
	}
	return 0;
}

/* W10: a kept message was taken from the SPMC since the proxy was last
 * seen keeping none. */
static int check_held(struct inv *iv)
{
	const struct spmc *s = &iv->sp->spmc;
	struct ffp_info info;
	int st = 0;

	ffp_info(iv->sp->proxy, &info);
	if (info.msg2_held && !iv->held_seen &&
	    s->ns_rx_full_taken == iv->taken_seen && !iv->sp->rx_faults &&
	    !s->rx_corrupted)
		st = violation(iv, "W10: the proxy keeps a partition message "
				   "for the host that it never took from the "
				   "SPMC (no RX buffer full handed out)");
	/* R9: a message newly kept owes the host a listing (as the
	 * proxy says: a call overlapping this one may have spent it). */
	if (info.msg2_held && !iv->held_seen && info.msg2_owed)
		iv->owed = true;
	iv->held_seen = info.msg2_held;
	iv->taken_seen = s->ns_rx_full_taken;
	return st;
}

static bool same_view(const struct ffp_transaction_info *a,
		      const struct ffp_transaction_info *b)
{
	return a->handle == b->handle && a->handle_valid == b->handle_valid &&
	       a->owner == b->owner && a->func == b->func &&
	       a->sending == b->sending && a->orphan == b->orphan &&
	       a->range_count == b->range_count && a->pages == b->pages;
}

/* W13: what ffp_vm_destroyed_retry works on (VM_DESTROYED owed, a
 * bitmap's destruction) is an absent id's, or the host's old kernel's
 * bitmap: it never takes a present VM, whose pending bounce-pair unmap
 * is that VM's next ffp_endpoint_set_msg_buffers' and which its write
 * of mb_unmap_pending would otherwise clear. */
static int check_retry_scope(struct inv *iv)
{
	const uint32_t n = iv->sp->cfg.proxy.max_endpoints;
	struct ffp_endpoint_info ei;
	uint32_t i;

	for (i = 1; i < n; i++)
		if (!ffp_endpoint_info(iv->sp->proxy, (uint16_t)i, &ei) &&
		    ei.present &&
		    (ei.vm_destroyed_pending || ei.notif_destroy_pending))
			return violation(iv, "W13: VM %u is present with %u "
					     "VM_DESTROYED pending, its id's "
					     "bitmap destruction %spending",
					 i, ei.vm_destroyed_pending,
					 ei.notif_destroy_pending ? "" : "not ");
	return 0;
}

/* W14: the late marks (ffp_info) as the proxy counts them are those in
 * its table, each naming a partition's vCPU and an endpoint; none is a
 * worker's between calls (its work over, its marks dropped). */
static int check_late_marks(struct inv *iv)
{
	struct ffp_info info;

	ffp_info(iv->sp->proxy, &info);
	if (info.late_marks != info.late_marks_found)
		return violation(iv, "W14: %u late marks counted, %u in the "
				     "table naming a vCPU and an endpoint",
				 info.late_marks, info.late_marks_found);
	if (info.late_marks_workers)
		return violation(iv, "W14: %u late marks of VM availability "
				     "work that is over",
				 info.late_marks_workers);
	return 0;
}

/* W12 */
static int check_views(struct inv *iv)
{
	struct ffp_transaction_info a, b;
	uint32_t cur = 0, n = 0;

	while (ffp_transaction_next(iv->sp->proxy, &cur, &a) == 0) {
		if (n < 64 &&
		    (ffp_transaction_info(iv->sp->proxy, n, &b) != 0 ||
		     !same_view(&a, &b)))
			return violation(iv, "W12: transaction %u by cursor is "
					     "not the one by index", n);
		n++;
	}
	if (ffp_transaction_info(iv->sp->proxy, n, &b) == 0)
		return violation(iv, "W12: %u transactions by cursor, more by "
				     "index", n);
	if (ffp_transaction_next(iv->sp->proxy, &cur, &a) == 0 ||
	    a.handle || a.owner || a.range_count)
		return violation(iv, "W12: the cursor's end is not stable");
	return 0;
}

/* R10: the SPMC model's audit found no request with reserved argument
 * bits set since the last look (each one told once). */
static int check_reserved(struct inv *iv)
{
	const struct spmc *s = &iv->sp->spmc;

	if (s->reserved_bad == iv->reserved_seen)
		return 0;
	iv->reserved_seen = s->reserved_bad;
	return violation(iv,
			 "R10: the SPMC got 0x%x with reserved bits 0x%llx "
			 "set in x%u (%u such requests)",
			 s->reserved_fid, (unsigned long long)s->reserved_bits,
			 s->reserved_reg, s->reserved_bad);
}

int inv_check_world(struct inv *iv)
{
	struct cover *c;
	size_t nc, i;
	unsigned r, nr = simmem_region_count(iv->sp->mem);
	int st;

	if (check_reserved(iv))
		return -1;
	st = collect_covers(iv, &c, &nc);

	for (r = 0; !st && r < nr; r++) {
		uint64_t base, size, off;
		uint16_t owner;

		if (simmem_region(iv->sp->mem, r, &base, &size, &owner) ||
		    owner == SIMMEM_OWNER_HYP)
			continue;
		for (off = 0; !st && off < size; off += SIMMEM_PAGE)
			st = check_page(iv, r, off / SIMMEM_PAGE, base + off, c,
					nc);
	}
	for (i = 0; !st && i < nc; i++)
		st = check_cover(iv, &c[i]);
	if (!st)
		st = check_buffers(iv);
	if (!st)
		st = check_known(iv);
	if (!st)
		st = check_vmavail(iv);
	if (!st)
		st = check_stranded(iv);
	if (!st)
		st = check_notif(iv);
	if (!st)
		st = check_rx(iv);
	if (!st)
		st = check_held(iv);
	if (!st)
		st = check_bounce(iv);
	if (!st)
		st = check_views(iv);
	if (!st)
		st = check_retry_scope(iv);
	if (!st)
		st = check_late_marks(iv);
	free(c);
	return st;
}

/* ---- Host reset */

int inv_host_reset(struct inv *iv, int st,
		   const struct ffp_endpoint_info *ep0,
		   const struct ffp_info *before)
{
	struct ffp_transaction_info t;
	struct ffp_endpoint_info e;
	struct ffp_info info;
	uint32_t cur = 0;

	if (ffp_endpoint_info(iv->sp->proxy, 0, &e))
		return violation(iv, "H1: no view of the host");
	ffp_info(iv->sp->proxy, &info);
	if (!e.present)
		return violation(iv, "H1: the host is absent after a reset");
	if (info.spmc_buffers_mapped != before->spmc_buffers_mapped)
		return violation(iv, "H1: the reset changed the proxy's pair "
				     "at the SPMC");
	if (st == FFA_BUSY) {
		if (memcmp(&e, ep0, sizeof(e)) ||
		    info.msg2_held != before->msg2_held ||
		    info.msg2_owed != before->msg2_owed)
			return violation(iv, "H1: a reset answered BUSY changed "
					     "the host");
		return 0;
	}
	if (st && st != FFA_DENIED)
		return violation(iv, "H1: reset answered %d", st);
	if (e.version_set || e.version_locked || e.buffers_mapped ||
	    e.rx_held || e.notif_bitmap || e.msg_buffers)
		return violation(iv, "H1: the host kept the old one's version, "
				     "buffers or bitmap");
	if (e.notif_destroy_pending != (st == FFA_DENIED))
		return violation(iv, "H1: reset answered %d with the old "
				     "bitmap's destruction %spending",
				 st, e.notif_destroy_pending ? "" : "not ");
	if (info.msg2_held || info.msg2_owed)
		return violation(iv, "H1: the old host's kept message or its "
				     "listing outlived the reset");
	while (!ffp_transaction_next(iv->sp->proxy, &cur, &t))
		if (t.owner == 0 && !t.orphan)
			return violation(iv, "H1: transaction 0x%llx of the old "
					     "host neither reclaimed nor an "
					     "orphan",
					 (unsigned long long)t.handle);
	iv->owed = false;
	iv->held_seen = false;
	return 0;
}

/* ---- Registers */

#define X(n) (1 << (n))

/* Registers x1..x7 a reply `ret` to function number `fn` may set (bit n
 * for xn), or -1 when the call cannot be answered that way. */
static int32_t reply_mask(uint32_t fn, uint32_t ret)
{
	switch (ret) {
	case FFA_SUCCESS_32:
	case FFA_SUCCESS_64:
		switch (fn) {
		case FFA_FN_FEATURES:
		case FFA_FN_PARTITION_INFO_GET:
		case FFA_FN_MEM_SHARE:
		case FFA_FN_MEM_LEND:
		case FFA_FN_MEM_DONATE:
		case FFA_FN_MEM_FRAG_TX:
			return X(2) | X(3);
		case FFA_FN_ID_GET:
		case FFA_FN_SPM_ID_GET:
			return X(2);
		case FFA_FN_PARTITION_INFO_GET_REGS:
			return 0xfe;
		case FFA_FN_NOTIFICATION_INFO_GET: /* x2 flags, x3..x7 ids */
			return 0xfe & ~X(1);
		/* w2/w3 SP bitmap, w6 SPM framework; the VM and hypervisor
		 * ones (w4/w5, w7) the proxy never has. */
		case FFA_FN_NOTIFICATION_GET:
			return X(2) | X(3) | X(6);
		case FFA_FN_MSG_SEND_DIRECT_REQ:
		case FFA_FN_MSG_SEND_DIRECT_REQ2:
		case FFA_FN_RUN:
			return -1; /* answered by a response or an error */
		default:
			return 0; /* RX_RELEASE, RXTX_MAP/UNMAP, RECLAIM, ... */
		}
	case FFA_MEM_FRAG_RX_32:
		/* w1/w2 handle, w3 offset, w4[31:16] endpoint id */
		return fn == FFA_FN_MEM_SHARE || fn == FFA_FN_MEM_LEND ||
				       fn == FFA_FN_MEM_DONATE ||
				       fn == FFA_FN_MEM_FRAG_TX
			       ? X(1) | X(2) | X(3) | X(4)
			       : -1;
	/* FFA_RUN resumes a preempted direct request: answered as the
	 * request would be. */
	case FFA_MSG_SEND_DIRECT_RESP_32:
	case FFA_MSG_SEND_DIRECT_RESP_64:
		return fn == FFA_FN_MSG_SEND_DIRECT_REQ || fn == FFA_FN_RUN
			       ? X(1) | X(3) | X(4) | X(5) | X(6) | X(7)
			       : -1;
	case FFA_MSG_SEND_DIRECT_RESP2_64:
		return fn == FFA_FN_MSG_SEND_DIRECT_REQ2 || fn == FFA_FN_RUN
			       ? X(1) | X(4) | X(5) | X(6) | X(7)
			       : -1;
	case FFA_INTERRUPT_32:
		return fn == FFA_FN_MSG_SEND_DIRECT_REQ ||
				       fn == FFA_FN_MSG_SEND_DIRECT_REQ2 ||
				       fn == FFA_FN_RUN
			       ? X(1)
			       : -1;
	/* The host's FFA_RUN giving a partition cycles: w0 alone. */
	case FFA_MSG_WAIT_32:
		return fn == FFA_FN_RUN ? 0 : -1;
	case FFA_YIELD_32:
		return fn == FFA_FN_MSG_SEND_DIRECT_REQ ||
				       fn == FFA_FN_MSG_SEND_DIRECT_REQ2 ||
				       fn == FFA_FN_RUN
			       ? X(1) | X(2) | X(3)
			       : -1;
	default:
		return -1;
	}
}

/* x8..x17 carry results of this reply (R4). */
static bool defines_x8_x17(uint32_t fn, uint32_t ret)
{
	return (fn == FFA_FN_PARTITION_INFO_GET_REGS && ret == FFA_SUCCESS_64) ||
	       ((fn == FFA_FN_MSG_SEND_DIRECT_REQ2 || fn == FFA_FN_RUN) &&
		ret == FFA_MSG_SEND_DIRECT_RESP2_64);
}

static int check_error_frame(struct inv *iv, const struct ffa_regs *out)
{
	int32_t st = (int32_t)(uint32_t)out->x[2];
	unsigned i;

	if (out->x[1])
		return violation(iv, "R2: FFA_ERROR with x1 = 0x%llx",
				 (unsigned long long)out->x[1]);
	if ((out->x[2] >> 32) || st > FFA_NOT_SUPPORTED || st < FFA_NOT_READY)
		return violation(iv, "R2: FFA_ERROR with status 0x%llx",
				 (unsigned long long)out->x[2]);
	for (i = 3; i < 8; i++)
		if (out->x[i])
			return violation(iv, "R2: FFA_ERROR with x%u = 0x%llx", i,
					 (unsigned long long)out->x[i]);
	return 0;
}

static bool is_mem_send(uint32_t fn)
{
	return fn == FFA_FN_MEM_SHARE || fn == FFA_FN_MEM_LEND ||
	       fn == FFA_FN_MEM_DONATE || fn == FFA_FN_MEM_FRAG_TX;
}

/* R5, the registers alone: FRAG_RX's w4 is [31:16] 0 or the caller (0
 * toward a virtual instance, Hafnium), [15:0] MBZ; after a first
 * fragment, taken whole, its w3 (bytes received so far) is the caller's
 * w2, short of its w1. */
static int check_frag_rx_regs(struct inv *iv, uint16_t ep, uint32_t func,
			      const struct ffa_regs *in,
			      const struct ffa_regs *out)
{
	if ((uint32_t)out->x[4] != 0 &&
	    (uint32_t)out->x[4] != (uint32_t)ep << 16)
		return violation(iv,
				 "R5: FFA_MEM_FRAG_RX to %u with w4 = 0x%llx", ep,
				 (unsigned long long)out->x[4]);
	if (ffa_fn(func) != FFA_FN_MEM_FRAG_TX &&
	    ((uint32_t)out->x[3] != (uint32_t)in->x[2] ||
	     (uint32_t)out->x[3] >= (uint32_t)in->x[1]))
		return violation(iv,
				 "R5: FFA_MEM_FRAG_RX to %u says %llu bytes "
				 "received of a first fragment of %llu (total "
				 "%llu)",
				 ep, (unsigned long long)out->x[3],
				 (unsigned long long)(uint32_t)in->x[2],
				 (unsigned long long)(uint32_t)in->x[1]);
	return 0;
}

/* R9: a kept message's id-0 listing (hold_list) is given by the host's
 * next INFO_GET, never skipped: an INFO_GET that answered NO_DATA, or a
 * success with no more pending and no list of id 0, while one is owed
 * is a violation, owed as the proxy says (ffp_info's msg2_owed) or as
 * the checker follows it (iv->owed: a message newly kept, seen by
 * inv_check_world; the host's GET that could not take the kept one; a
 * listing of id 0 clears it), so that a listing the proxy spent on a
 * reply it did not give (a retry's, the first success kept) is caught
 * too. Read from the proxy's state, so only right after a call no other
 * CPU overlapped (another's reclaim may keep a message after this call's
 * listing). */
static int check_owed_listing(struct inv *iv, uint16_t ep, uint32_t func,
			      const struct ffa_regs *in,
			      const struct ffa_regs *out)
{
	const uint32_t ret = (uint32_t)out->x[0], fn = ffa_fn(func);
	const bool w64 = ret == FFA_SUCCESS_64;
	const uint32_t per = w64 ? 4 : 2;
	const uint32_t max = w64 ? FFA_NOTIF_INFO_MAX_IDS_64
				 : FFA_NOTIF_INFO_MAX_IDS_32;
	const uint64_t flags = out->x[2];
	struct ffp_info info;
	uint32_t lists, i, n = 0;
	bool listed = false;

	if (ep != 0 || (fn != FFA_FN_NOTIFICATION_INFO_GET &&
			fn != FFA_FN_NOTIFICATION_GET))
		return 0;
	ffp_info(iv->sp->proxy, &info);
	if (fn == FFA_FN_NOTIFICATION_GET) {
		/* A GET asking for the SPM framework bitmap that did not
		 * deliver the kept message owes its listing again (host_get);
		 * refused, as the proxy says (a refusal before host_get owes
		 * nothing). */
		if (((uint32_t)in->x[2] & FFA_NOTIF_GET_SPM) && info.msg2_held &&
		    !(ret == FFA_SUCCESS_32 && (out->x[6] & FFA_NOTIF_FW_RX_FULL)))
			iv->owed = ret == FFA_SUCCESS_32 ? true
							 : iv->owed || info.msg2_owed;
		return 0;
	}
	if (ret == FFA_ERROR_32) {
		if ((int32_t)(uint32_t)out->x[2] != FFA_NO_DATA)
			return 0;
	} else if (ret == FFA_SUCCESS_32 || w64) {
		lists = (uint32_t)(flags >> FFA_NOTIF_INFO_COUNT_SHIFT) &
			FFA_NOTIF_INFO_COUNT_MASK;
		for (i = 0; i < lists && n < max; i++) {
			if (!(uint16_t)(out->x[3 + n / per] >> (16 * (n % per))))
				listed = true;
			n += 1 + ((uint32_t)(flags >> (FFA_NOTIF_INFO_SIZES_SHIFT +
						       2 * i)) &
				  3);
		}
		if (listed) {
			iv->owed = false;
			return 0;
		}
		if (flags & FFA_NOTIF_INFO_MORE_PENDING)
			return 0;
	} else {
		return 0;
	}
	if (info.msg2_owed || iv->owed)
		return violation(iv, "R9: the host's INFO_GET gave no id-0 "
				     "listing (nor more pending) while one is "
				     "owed for a kept message%s",
				 info.msg2_owed ? "" : " (spent by the proxy)");
	return 0;
}

int inv_check_mem_reply(struct inv *iv, uint16_t ep, const struct ffa_regs *in,
			const struct ffa_regs *out)
{
	uint32_t func = (uint32_t)in->x[0], ret = (uint32_t)out->x[0];
	bool frag = ret == FFA_MEM_FRAG_RX_32;
	uint64_t h = frag ? (out->x[1] | out->x[2] << 32)
			  : (out->x[2] | out->x[3] << 32);
	const struct spmc_txn *t;

	if (check_owed_listing(iv, ep, func, in, out))
		return -1;
	if (!is_mem_send(ffa_fn(func)) ||
	    !(frag || ret == FFA_SUCCESS_32 || ret == FFA_SUCCESS_64))
		return 0;
	/* An SPMC told to misreport handles (spmc.h bogus_handle) can fool
	 * the proxy with a plausible one: not the proxy's fault. */
	iv->handles_untrusted |= iv->sp->spmc.bogus_handle != 0;
	if (iv->handles_untrusted)
		return 0;
	t = spmc_find_transaction(&iv->sp->spmc, h);
	if (!t || t->sender != ep || t->complete == frag)
		return violation(iv,
				 "R5: reply 0x%x to 0x%x from %u names handle "
				 "0x%llx, %s",
				 ret, func, ep, (unsigned long long)h,
				 !t ? "which the SPMC does not hold"
				 : t->sender != ep
					 ? "a transaction of another sender"
				 : frag ? "a complete transaction"
					: "a transaction still being sent");
	return 0;
}

/* R7: the host's GET that answered RX buffer full while a message was
 * kept delivered that one: none kept afterwards, unless the SPMC handed
 * out another RX buffer full since (a reclaim on another CPU). */
static int check_held_get(struct inv *iv, uint16_t ep, uint32_t fn,
			  const struct ffa_regs *out)
{
	struct ffp_info info;

	if (ep != 0 || fn != FFA_FN_NOTIFICATION_GET || !iv->held_seen ||
	    (uint32_t)out->x[0] != FFA_SUCCESS_32 ||
	    !(out->x[6] & FFA_NOTIF_FW_RX_FULL))
		return 0;
	ffp_info(iv->sp->proxy, &info);
	if (info.msg2_held && iv->sp->spmc.ns_rx_full_taken == iv->taken_seen)
		return violation(iv, "R7: the host's GET answered RX buffer "
				     "full and the proxy still keeps the "
				     "message it had");
	return 0;
}

/* R8: with the platform's notification_pending, the host's INFO_GET
 * success is in the list format of its width (reserved flag bits and the
 * sizes past the count zero, the lists within the width's ids, unused id
 * slots zero), names no VM (their lists went to the platform), and has a
 * list or the more-pending bit (else it is NO_DATA). */
static int check_info_get(struct inv *iv, uint16_t ep, uint32_t fn,
			  const struct ffa_regs *out)
{
	const bool w64 = (uint32_t)out->x[0] == FFA_SUCCESS_64;
	const uint32_t max = w64 ? FFA_NOTIF_INFO_MAX_IDS_64
				 : FFA_NOTIF_INFO_MAX_IDS_32;
	const uint32_t per = w64 ? 4 : 2;
	const uint64_t flags = out->x[2];
	uint32_t lists, i, n = 0, k, size;
	uint64_t mask;
	uint16_t id;

	if (ep != 0 || fn != FFA_FN_NOTIFICATION_INFO_GET ||
	    !iv->sp->ops.notification_pending ||
	    ((uint32_t)out->x[0] != FFA_SUCCESS_32 && !w64))
		return 0;
	lists = (uint32_t)(flags >> FFA_NOTIF_INFO_COUNT_SHIFT) &
		FFA_NOTIF_INFO_COUNT_MASK;
	mask = FFA_NOTIF_INFO_MORE_PENDING |
	       (uint64_t)FFA_NOTIF_INFO_COUNT_MASK << FFA_NOTIF_INFO_COUNT_SHIFT;
	if (lists <= max)
		mask |= (((uint64_t)1 << (2 * lists)) - 1)
			<< FFA_NOTIF_INFO_SIZES_SHIFT;
	if (lists > max || (flags & ~mask) ||
	    (!lists && !(flags & FFA_NOTIF_INFO_MORE_PENDING)))
		return violation(iv, "R8: host's INFO_GET flags 0x%llx",
				 (unsigned long long)flags);
	for (i = 0; i < lists; i++) {
		size = (uint32_t)(flags >> (FFA_NOTIF_INFO_SIZES_SHIFT + 2 * i)) & 3;
		if (n + 1 + size > max)
			return violation(iv, "R8: host's INFO_GET lists past "
					     "%u ids", max);
		id = (uint16_t)(out->x[3 + n / per] >> (16 * (n % per)));
		if (id && !ffa_id_is_secure(id))
			return violation(iv, "R8: host's INFO_GET lists VM %u "
					     "(the platform's)", id);
		n += 1 + size;
	}
	for (k = n; k < max; k++)
		if ((uint16_t)(out->x[3 + k / per] >> (16 * (k % per))))
			return violation(iv, "R8: host's INFO_GET id slot %u "
					     "past its lists is not zero", k);
	return 0;
}

int inv_check_regs(struct inv *iv, uint16_t ep, const struct ffa_regs *in,
		   const struct ffa_regs *out)
{
	uint32_t func = (uint32_t)in->x[0], fn = ffa_fn(func);
	uint32_t ret = (uint32_t)out->x[0];
	/* FFA_RUN (SMC32) is answered by the resumed request's response,
	 * which has the width of its own frame (x0). */
	bool smc64 = ffa_is_smc64(func) ||
		     (fn == FFA_FN_RUN && ffa_is_smc64(ret) &&
		      !(out->x[0] >> 32));
	int32_t mask;
	unsigned i;

	if (check_reserved(iv) || check_held_get(iv, ep, fn, out) ||
	    check_info_get(iv, ep, fn, out))
		return -1;
	if (!smc64) {
		for (i = 0; i < 8; i++)
			if (out->x[i] >> 32)
				return violation(iv,
						 "R1: SMC32 call 0x%x answered with "
						 "x%u = 0x%llx",
						 func, i,
						 (unsigned long long)out->x[i]);
	}
	/* FFA_VERSION is SMC32 only: 0xC4000063 is refused as an undefined
	 * width, with an FFA_ERROR frame (checked below). Its reply is w0
	 * alone: x1..x7 zero, x8..x17 the caller's (SMC32). */
	if (fn == FFA_FN_VERSION && !smc64) {
		for (i = 1; i < FFA_NREGS; i++)
			if (i < 8 ? out->x[i] != 0 : out->x[i] != in->x[i])
				return violation(iv,
						 "R1: FFA_VERSION reply with x%u "
						 "= 0x%llx",
						 i, (unsigned long long)out->x[i]);
		return 0;
	}
	if (out->x[0] >> 32)
		return violation(iv, "R3: reply x0 = 0x%llx",
				 (unsigned long long)out->x[0]);
	if (ret == FFA_ERROR_32) {
		if (check_error_frame(iv, out))
			return -1;
		mask = X(2); /* the status, checked above */
	} else {
		mask = reply_mask(fn, ret);
		if (mask < 0)
			return violation(iv,
					 "R3: call 0x%x answered with 0x%x, a "
					 "frame it cannot produce",
					 func, ret);
		/* FFA_YIELD's timeout (w2/w3) is 1.1's: to a caller locked
		 * at 1.0, w1 alone. */
		if (ret == FFA_YIELD_32) {
			struct ffp_endpoint_info e;

			if (!ffp_endpoint_info(iv->sp->proxy, ep, &e) &&
			    e.present && e.version_locked &&
			    e.version < FFA_VERSION_1_1)
				mask &= ~(X(2) | X(3));
		}
	}
	for (i = 1; i < 8; i++)
		if (!(mask & X(i)) && out->x[i])
			return violation(iv,
					 "R3: reply 0x%x to 0x%x sets x%u = 0x%llx, "
					 "which it does not define",
					 ret, func, i, (unsigned long long)out->x[i]);
	if (is_mem_send(fn) && ret == FFA_MEM_FRAG_RX_32 &&
	    check_frag_rx_regs(iv, ep, func, in, out))
		return -1;
	/* R6: a direct response reaches only the endpoint it names. */
	if ((ret == FFA_MSG_SEND_DIRECT_RESP_32 ||
	     ret == FFA_MSG_SEND_DIRECT_RESP_64 ||
	     ret == FFA_MSG_SEND_DIRECT_RESP2_64) &&
	    (uint16_t)out->x[1] != ep)
		return violation(iv,
				 "R6: direct response to 0x%x from %u names "
				 "endpoint %u (x1 = 0x%llx)",
				 func, ep, (uint16_t)out->x[1],
				 (unsigned long long)out->x[1]);
	if (ret != FFA_ERROR_32 && defines_x8_x17(fn, ret))
		return 0;
	for (i = 8; i < FFA_NREGS; i++) {
		if (out->x[i] == in->x[i] || (smc64 && !out->x[i]))
			continue;
		return violation(iv,
				 "R%s: reply 0x%x to 0x%x has x%u = 0x%llx "
				 "(caller's 0x%llx)",
				 smc64 ? "4" : "1", ret, func, i,
				 (unsigned long long)out->x[i],
				 (unsigned long long)in->x[i]);
	}
	return 0;
}

/* ---- Refusals */

int inv_snapshot(struct inv *iv, struct inv_snapshot *s)
{
	const struct spmc *spmc = &iv->sp->spmc;
	unsigned r, nr = simmem_region_count(iv->sp->mem);
	uint64_t total = 0, k = 0;
	uint32_t i;

	memset(s, 0, sizeof(*s));
	for (r = 0; r < nr; r++) {
		uint64_t base, size;
		uint16_t owner;

		if (!simmem_region(iv->sp->mem, r, &base, &size, &owner))
			total += size / SIMMEM_PAGE;
	}
	s->pages = malloc(total ? (size_t)total : 1);
	if (!s->pages)
		return violation(iv, "out of host memory");
	for (r = 0; r < nr; r++) {
		uint64_t base, size, off;
		uint16_t owner;

		if (simmem_region(iv->sp->mem, r, &base, &size, &owner))
			continue;
		for (off = 0; off < size / SIMMEM_PAGE; off++) {
			struct simmem_page pg = { 0, 0, FFP_PAGE_OWNED };

			(void)simmem_region_page(iv->sp->mem, r, off, &pg);
			s->pages[k++] = (uint8_t)pg.state;
		}
	}
	s->page_count = k;
	for (i = 0; i < SPMC_MAX_TXNS; i++) {
		const struct spmc_txn *t = &spmc->txns[i];

		if (!t->used)
			continue;
		s->txns[s->txn_count].handle = t->handle;
		s->txns[s->txn_count].ranges_filled = t->ranges_filled;
		s->txns[s->txn_count++].complete = t->complete;
	}
	{
		struct ffp_transaction_info ti;
		uint32_t cur = 0;

		while (ffp_transaction_next(iv->sp->proxy, &cur, &ti) == 0)
			s->orphans += ti.orphan;
	}
	s->ep_count = endpoint_limit(iv) < 32 ? endpoint_limit(iv) : 32;
	for (i = 0; i < s->ep_count; i++)
		(void)ffp_endpoint_info(iv->sp->proxy, (uint16_t)i, &s->eps[i]);
	return 0;
}

void inv_snapshot_free(struct inv_snapshot *s)
{
	free(s->pages);
	s->pages = NULL;
}

static bool refused(const struct ffa_regs *in, const struct ffa_regs *out)
{
	if (ffa_fn((uint32_t)in->x[0]) == FFA_FN_VERSION &&
	    !ffa_is_smc64((uint32_t)in->x[0]))
		return (int32_t)(uint32_t)out->x[0] == FFA_NOT_SUPPORTED;
	return (uint32_t)out->x[0] == FFA_ERROR_32;
}

int inv_check_unchanged(struct inv *iv, const struct inv_snapshot *before,
			const struct ffa_regs *in, const struct ffa_regs *out)
{
	struct inv_snapshot now;
	bool frag_tx = ffa_fn((uint32_t)in->x[0]) == FFA_FN_MEM_FRAG_TX;
	uint32_t i, j, gone = 0;
	uint64_t k;
	int st = 0;

	if (!refused(in, out))
		return 0;
	if (inv_snapshot(iv, &now))
		return -1;
	if (now.orphans > before->orphans) {
		/* The SPMC broke the protocol mid-way: the proxy kept what it
		 * could not undo as an orphan and said so (proxy.h). */
		inv_snapshot_free(&now);
		return 0;
	}
	if (now.page_count != before->page_count)
		st = violation(iv, "refused call changed the memory map");
	for (k = 0; !st && k < now.page_count; k++) {
		if (now.pages[k] == before->pages[k])
			continue;
		if (frag_tx && now.pages[k] == FFP_PAGE_OWNED)
			continue; /* its aborted transaction's pages came back */
		st = violation(iv,
			       "refused call 0x%llx (status %d) moved page #%llu "
			       "from %s to %s",
			       (unsigned long long)in->x[0],
			       (int32_t)(uint32_t)out->x[2], (unsigned long long)k,
			       simmem_state_name(before->pages[k]),
			       simmem_state_name(now.pages[k]));
	}
	for (i = 0; !st && i < before->txn_count; i++) {
		for (j = 0; j < now.txn_count; j++)
			if (now.txns[j].handle == before->txns[i].handle)
				break;
		if (j == now.txn_count) {
			gone++;
			continue;
		}
		if (now.txns[j].ranges_filled != before->txns[i].ranges_filled ||
		    now.txns[j].complete != before->txns[i].complete)
			st = violation(iv,
				       "refused call 0x%llx changed SPMC "
				       "transaction 0x%llx",
				       (unsigned long long)in->x[0],
				       (unsigned long long)now.txns[j].handle);
	}
	if (!st && (now.txn_count + gone != before->txn_count ||
		    gone > (frag_tx ? 1u : 0u)))
		st = violation(iv,
			       "refused call 0x%llx (status %d) changed the "
			       "SPMC's transactions from %u to %u",
			       (unsigned long long)in->x[0],
			       (int32_t)(uint32_t)out->x[2], before->txn_count,
			       now.txn_count);
	for (i = 0; !st && i < now.ep_count; i++) {
		const struct ffp_endpoint_info *a = &before->eps[i], *b = &now.eps[i];

		if (a->buffers_mapped != b->buffers_mapped || a->tx_pa != b->tx_pa ||
		    a->rx_pa != b->rx_pa || a->buffer_pages != b->buffer_pages ||
		    a->rx_held != b->rx_held)
			st = violation(iv,
				       "refused call 0x%llx changed endpoint "
				       "%u's buffers",
				       (unsigned long long)in->x[0], i);
	}
	inv_snapshot_free(&now);
	return st;
}
