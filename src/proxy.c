/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* Instance setup, endpoints, and the result helpers every handler uses. */
#include "internal.h"

#define FFP_ALIGN(x) (((x) + 15u) & ~(size_t)15u)
/* A carved region of `x` bytes: the array, its redzone (sanitizer builds
 * only, internal.h), and padding to the next 16-byte boundary. */
#define FFP_REGION(x) FFP_ALIGN((x) + FFP_REDZONE)
/* Preempted requests per endpoint: more than any SPMC has vCPUs per
 * partition times partitions in practice, and a bounded table. */
#define FFP_MAX_PREEMPTED 1024u

void ffp_config_default(struct ffp_config *cfg)
{
	ffp_memset(cfg, 0, sizeof(*cfg));
	cfg->version = FFA_VERSION_1_2;
	cfg->policy = FFP_POLICY_TRANSLATE;
	cfg->granule = 4096;
	cfg->max_endpoints = 16;
	cfg->max_buffer_pages = 16;
	cfg->max_descriptor_size = 64 * 1024;
	cfg->max_transactions = 1024;
	cfg->max_ranges = 16384;
	cfg->max_preempted = 16;
}

static bool config_valid(const struct ffp_config *cfg)
{
	uint32_t gpages;

	if (!cfg)
		return false;
	if (cfg->version != FFA_VERSION_1_0 && cfg->version != FFA_VERSION_1_1 &&
	    cfg->version != FFA_VERSION_1_2)
		return false;
	if (cfg->policy != FFP_POLICY_TRANSLATE &&
	    cfg->policy != FFP_POLICY_STRICT)
		return false;
	if (cfg->granule != 4096 && cfg->granule != 16384 &&
	    cfg->granule != 65536)
		return false;
	gpages = cfg->granule / FFA_PAGE_SIZE;
	if (cfg->max_endpoints == 0 || cfg->max_endpoints > 0x7fff)
		return false;
	if (cfg->max_buffer_pages < gpages ||
	    cfg->max_buffer_pages > FFP_RXTX_MAX_PAGES)
		return false;
	if (cfg->max_descriptor_size < FFA_PAGE_SIZE ||
	    cfg->max_descriptor_size > (1u << 30))
		return false;
	/* The VAs 8-byte aligned: constituents are stored into the TX in
	 * 8-aligned units (mem_cons.h). One that maps a 4 KiB-aligned PA
	 * is 4 KiB aligned anyway (a page offset is the PA's). */
	if (!cfg->buffers.tx || !cfg->buffers.rx || cfg->buffers.pages == 0 ||
	    cfg->buffers.pages > FFP_RXTX_MAX_PAGES ||
	    (cfg->buffers.tx_pa | cfg->buffers.rx_pa) % FFA_PAGE_SIZE ||
	    ((uintptr_t)cfg->buffers.tx | (uintptr_t)cfg->buffers.rx) % 8u)
		return false;
	/* At most one entry per secure partition id. */
	if ((cfg->uuid_count && !cfg->uuids) || cfg->uuid_count > 0x8000u)
		return false;
	if (cfg->max_transactions > (1u << 24) || cfg->max_ranges > (1u << 28))
		return false;
	if (cfg->max_preempted > FFP_MAX_PREEMPTED)
		return false;
	/* GIC INTIDs 1020..1023 are special, none is an interrupt. */
	if (cfg->npi_offered && cfg->npi_intid >= 1020)
		return false;
	return true;
}

/* The proxy's own TX and RX, `pages` each: neither wraps, and they are
 * apart both as the SPMC sees them and as the proxy addresses them (an
 * SPMC refuses one page for both, Hafnium api_vm_configure_pages "Mailbox
 * buffers overlap"; one that does not would write its replies over the
 * proxy's TX). Sizing does not depend on it: checked by ffp_init. */
static bool buffers_apart(const struct ffp_config *cfg)
{
	uint64_t size = (uint64_t)cfg->buffers.pages * FFA_PAGE_SIZE;
	uint64_t tx = cfg->buffers.tx_pa, rx = cfg->buffers.rx_pa;
	uintptr_t tv = (uintptr_t)cfg->buffers.tx;
	uintptr_t rv = (uintptr_t)cfg->buffers.rx;

	if (tx > UINT64_MAX - size || rx > UINT64_MAX - size ||
	    tv > UINTPTR_MAX - size || rv > UINTPTR_MAX - size)
		return false;
	return (tx + size <= rx || rx + size <= tx) &&
	       (tv + size <= rv || rv + size <= tv);
}

/* Private scratch: the largest private copy a call makes, i.e. an SPMC
 * reply from the proxy's RX next to its translation for the caller, or
 * one memory descriptor fragment (at most the caller's TX buffer) next to
 * its ranges sorted for the overlap check (16 bytes per 16-byte
 * constituent). Descriptors larger than that come in fragments and are
 * never held whole. */
static uint32_t scratch_bytes(const struct ffp_config *cfg)
{
	uint64_t relay = (uint64_t)cfg->buffers.pages * FFA_PAGE_SIZE +
			 (uint64_t)cfg->max_buffer_pages * FFA_PAGE_SIZE;
	uint64_t mem = 2 * (uint64_t)cfg->max_buffer_pages * FFA_PAGE_SIZE;

	return (uint32_t)(relay > mem ? relay : mem);
}

/* The kept partition message (ffp_msg2_hold): its payload, at most the
 * proxy's RX less a header. */
static uint32_t hold_bytes(const struct ffp_config *cfg)
{
	return cfg->no_msg2_hold ? 0 : cfg->buffers.pages * FFA_PAGE_SIZE;
}

/* The proxy's copy of cfg->uuids: the configuration is copied whole, so
 * that the embedder's table need not outlive ffp_init. */
static size_t uuids_bytes(const struct ffp_config *cfg)
{
	return sizeof(struct ffp_partition_uuid) * (size_t)cfg->uuid_count;
}

/* At most 0x7fff endpoints times 1024 slots of 16 bytes: no overflow. */
static size_t preempts_bytes(const struct ffp_config *cfg)
{
	return sizeof(struct ffp_preempt) * (size_t)cfg->max_endpoints *
	       cfg->max_preempted;
}

/* At most 0x7fff + 1024 marks of 16 bytes: no overflow. */
static size_t lates_bytes(const struct ffp_config *cfg)
{
	return sizeof(struct ffp_late) * (size_t)ffp_late_slots(cfg);
}

size_t ffp_instance_size(const struct ffp_config *cfg)
{
	if (!config_valid(cfg))
		return 0;
	return FFP_REGION(sizeof(struct ffp)) +
	       FFP_REGION(sizeof(struct ffp_endpoint) * cfg->max_endpoints) +
	       FFP_REGION(preempts_bytes(cfg)) + FFP_REGION(lates_bytes(cfg)) +
	       FFP_REGION(sizeof(struct ffp_msg_buffers) * cfg->max_endpoints) +
	       FFP_REGION(scratch_bytes(cfg)) + FFP_REGION(hold_bytes(cfg)) +
	       FFP_ALIGN(ffp_txn_bytes(cfg)) +
	       FFP_REGION(uuids_bytes(cfg));
}

/* Carve `len` bytes at *cursor and poison the rest of their region. */
static uint8_t *carve(uint8_t **cursor, size_t len)
{
	uint8_t *at = *cursor;

	ffp_poison(at + len, FFP_REGION(len) - len);
	*cursor = at + FFP_REGION(len);
	return at;
}

/* Whether [a, a + alen) and [b, b + blen) share a byte. */
static bool mem_overlap(const void *a, size_t alen, const void *b,
			size_t blen)
{
	uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;

	/* Distances, not ends: an end past the top of the address space
	 * would wrap. */
	return alen && blen && (x >= y ? x - y < blen : y - x < alen);
}

struct ffp *ffp_init(void *mem, size_t size, const struct ffp_config *cfg,
		     const struct ffp_platform *plat, void *ctx)
{
	struct ffp *p = mem;
	uint8_t *cursor, *uuids;
	size_t need;

	if (!mem || ((uintptr_t)mem & 15u) || !config_valid(cfg) || !plat ||
	    !plat->smc || !plat->page_transition || !plat->caller_read ||
	    !plat->caller_write || !plat->lock || !plat->unlock)
		return NULL;
	need = ffp_instance_size(cfg);
	if (size < need || !buffers_apart(cfg))
		return NULL;
	/* `mem` is zeroed before the configuration is copied from it: a
	 * cfg or uuids table inside it would be read back as zeros, and a
	 * platform table there (kept by reference) would be all NULL
	 * operations from the first SMC on. Nor may the SPMC's replies and
	 * the proxy's TX land on its tables. */
	if (mem_overlap(mem, need, cfg, sizeof(*cfg)) ||
	    mem_overlap(mem, need, cfg->uuids, uuids_bytes(cfg)) ||
	    mem_overlap(mem, need, plat, sizeof(*plat)) ||
	    mem_overlap(mem, need, cfg->buffers.tx,
			(size_t)cfg->buffers.pages * FFA_PAGE_SIZE) ||
	    mem_overlap(mem, need, cfg->buffers.rx,
			(size_t)cfg->buffers.pages * FFA_PAGE_SIZE))
		return NULL;
	/* The block may hold an earlier instance's redzones. */
	ffp_unpoison(mem, size);
	ffp_memset(mem, 0, need);
	p->cfg = *cfg;
	p->plat = plat;
	p->ctx = ctx;
	cursor = mem;
	(void)carve(&cursor, sizeof(struct ffp));
	p->eps = (struct ffp_endpoint *)(void *)carve(
		&cursor, sizeof(struct ffp_endpoint) * cfg->max_endpoints);
	p->preempts = (struct ffp_preempt *)(void *)carve(
		&cursor, preempts_bytes(cfg));
	p->lates = (struct ffp_late *)(void *)carve(&cursor, lates_bytes(cfg));
	p->late_slots = ffp_late_slots(cfg);
	p->mbs = (struct ffp_msg_buffers *)(void *)carve(
		&cursor, sizeof(struct ffp_msg_buffers) * cfg->max_endpoints);
	p->scratch = carve(&cursor, scratch_bytes(cfg));
	p->scratch_size = scratch_bytes(cfg);
	p->hold = carve(&cursor, hold_bytes(cfg));
	if (cfg->no_msg2_hold)
		p->hold = NULL;
	uuids = carve(&cursor, uuids_bytes(cfg));
	if (cfg->uuid_count) {
		ffp_memcpy(uuids, cfg->uuids, uuids_bytes(cfg));
		p->cfg.uuids = (const struct ffp_partition_uuid *)(void *)uuids;
	}
	ffp_txn_init(&p->txns, cursor, cfg);
	p->vm_txn_quota = cfg->max_vm_transactions
				  ? cfg->max_vm_transactions
				  : (cfg->max_transactions + 3) / 4;
	p->vm_range_quota = cfg->max_vm_ranges ? cfg->max_vm_ranges
					       : (cfg->max_ranges + 3) / 4;
	p->eps[0].present = true; /* the host */
	ffp_spmc_negotiate(p);
	return p;
}

int ffp_endpoint_add(struct ffp *p, uint16_t id)
{
	struct ffp_endpoint *ep;
	struct ffp_avail_run run = { 0 };
	uint32_t pending = 0;
	bool announced, notif_pending = false, mb_pending = false;
	bool unsure = false;
	uint16_t vcpus = 0;
	uint32_t gen, rec_target;
	uint64_t rec_seq;
	int ret = 0;

	if (id >= p->cfg.max_endpoints)
		return FFA_INVALID_PARAMETERS;
	ep = &p->eps[id];
	ffp_lock(p, FFP_LOCK_STATE);
	if (ep->present)
		ret = FFA_DENIED;
	else if (ep->avail_busy)
		/* Another CPU tells the partitions about this id. */
		ret = FFA_BUSY;
	else {
		ep->avail_busy = true;
		/* VM_CREATED goes to every subscriber of it, which the add
		 * may learn only now. */
		ep->avail_to = ~0u;
		ffp_late_worker_begin(p, ep);
		pending = ep->destroy_pending;
		run = ep->avail_run;
		notif_pending = ep->notif_destroy_pending;
		vcpus = ep->notif_old_vcpus;
		unsure = ep->notif_destroy_unsure;
		mb_pending = ep->mb_unmap_pending;
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	if (ret)
		return ret;
	/* The id's previous endpoint's notification bitmap first: the new
	 * one must not inherit its bindings or pending notifications. */
	if (notif_pending && !ffp_notif_destroy(p, id, vcpus, &unsure)) {
		ffp_log(p, id, FFA_NOTIFICATION_BITMAP_DESTROY_32, FFA_BUSY,
			"notification bitmap of the id's previous endpoint "
			"still at the SPMC",
			id);
		ffp_lock(p, FFP_LOCK_STATE);
		ep->notif_destroy_unsure = unsure;
		ffp_late_worker_end(p, ep); /* the work is over */
		ep->avail_busy = false;
		ffp_unlock(p, FFP_LOCK_STATE);
		return FFA_BUSY;
	}
	/* Likewise its bounce pair: the SPMC would write the new VM's
	 * messages into memory the proxy no longer knows as its. */
	if (mb_pending && !ffp_msg2_vm_unmap(p, id)) {
		ffp_log(p, id, FFA_RXTX_UNMAP_32, FFA_BUSY,
			"bounce RX/TX of the id's previous endpoint still "
			"mapped at the SPMC",
			id);
		ffp_lock(p, FFP_LOCK_STATE);
		ep->notif_destroy_pending = false; /* destroyed above */
		ep->notif_destroy_unsure = false;
		ffp_late_worker_end(p, ep);
		ep->avail_busy = false;
		ffp_unlock(p, FFP_LOCK_STATE);
		return FFA_BUSY;
	}
	/* Removed VMs' requests still preempted first, the id's previous
	 * VM's and any other's, as at a removal: a partition's vCPU left in
	 * one answers BUSY, VM_CREATED included, and retrying the add would
	 * not change that. Whatever stays preempted stays the proxy's. */
	(void)ffp_preempt_orphans_resume(p, FFP_ORPHANS_ALL);
	/* Not present meanwhile: the VM's calls are refused until every
	 * subscribed partition knows it exists. */
	ret = ffp_vmavail_created(p, id, &pending, &run, &announced);
	ffp_lock(p, FFP_LOCK_STATE);
	ffp_vmavail_settle(p, ep, &pending, &run);
	if (!ret) {
		gen = ep->gen;
		/* A previous endpoint's request's (run.c mark_late; its
		 * marks, in p->lates, stay). */
		rec_target = ep->rec_target;
		rec_seq = ep->rec_seq;
		ffp_memset(ep, 0, sizeof(*ep));
		ep->rec_target = rec_target;
		ep->rec_seq = rec_seq;
		__atomic_store_n(&ep->gen, gen + 1, __ATOMIC_RELEASE);
		ep->present = true;
		ep->announced = announced;
		/* Nothing of the id's previous endpoint is the new one's to
		 * run (a request of it preempted after its removal is
		 * recorded as an orphan already). */
		ffp_preempt_endpoint_orphan(p, id);
	}
	ep->destroy_pending = pending;
	ep->avail_run = run;
	ep->notif_destroy_pending = false; /* destroyed above, if it was */
	ep->notif_destroy_unsure = false;
	ep->mb_unmap_pending = false;      /* likewise */
	ep->avail_busy = false;
	ffp_unlock(p, FFP_LOCK_STATE);
	return ret;
}

/* What a teardown carries from its first STATE section to its end. */
struct teardown {
	struct ffp_avail_run run; /* VM availability messages preempted */
	uint32_t mask;            /* subscribers owed VM_DESTROYED */
	uint32_t gen;             /* the endpoint's gen once torn down */
	uint16_t vcpus;           /* of its bitmap */
	bool bitmap;              /* its bitmap at the SPMC */
	bool unsure;              /* which may be gone (ffp_notif_destroy) */
};

/* STATE held, the endpoint present: start tearing endpoint `id` down, or
 * BUSY while a call of it is still in the proxy (its buffers in use, a
 * reclaim, an FFA_RUN or a notification call at the SPMC): the teardown
 * would skip what that call holds. Nothing changes then. */
static int teardown_begin(struct ffp *p, uint16_t id, struct teardown *t)
{
	struct ffp_endpoint *ep = &p->eps[id];

	if (ep->busy || ffp_mem_endpoint_busy(p, id) ||
	    ffp_preempt_endpoint_busy(p, id) || ep->notif_calls)
		return FFA_BUSY;
	/* Another gen: a call of it still in the proxy is told from it
	 * from here (ffp_endpoint_stale), before any new add. */
	t->gen = ep->gen + 1;
	__atomic_store_n(&ep->gen, t->gen, __ATOMIC_RELEASE);
	__atomic_store_n(&ep->lanes, 0, __ATOMIC_RELEASE);
	/* The id's worker until the end (ffp_endpoint_add, the retry). */
	ep->avail_busy = true;
	t->run = ep->avail_run;
	t->mask = ep->announced ? p->subs_destroyed : 0;
	ep->avail_to = t->mask | t->run.mask;
	ffp_late_worker_begin(p, ep);
	/* A bitmap a garbled create may have left (notif_unknown) is
	 * destroyed too, asked about first (ffp_notif_destroy). */
	t->bitmap = ep->notif == FFP_NOTIF_CREATED || ep->notif_unknown;
	t->unsure = ep->notif_unknown;
	t->vcpus = ffp_notif_vcpus(p, ep);
	return 0;
}

/* The host's kept partition message (ffp_msg2_hold), BUFFERS held: the
 * old kernel's, dropped; no INFO_GET listing is owed for it any more. */
static void host_hold_drop(struct ffp *p)
{
	bool full;

	ffp_lock(p, FFP_LOCK_STATE);
	full = p->hold_full;
	p->hold_full = false;
	p->hold_owed = false;
	ffp_unlock(p, FFP_LOCK_STATE);
	if (full)
		ffp_log(p, 0, FFA_MSG_SEND2_32, FFA_ABORTED,
			"host reset: the partition message kept for the host "
			"dropped",
			p->hold_msg.sender);
}

/*
 * Tear endpoint `id` down after teardown_begin (STATE not held): its
 * preempted requests, VM_DESTROYED, its transactions, bitmap, bounce pair
 * and buffers; its slot then holds only what outlives it (pending
 * messages, destruction and unmap). `host`: the host's reset, where the
 * slot is the host's again at once, as at ffp_init. Returns whether its
 * bitmap's destruction is pending.
 */
static bool teardown_end(struct ffp *p, uint16_t id, struct teardown *t,
			 bool host)
{
	struct ffp_endpoint *ep = &p->eps[id];
	uint32_t gen, rec_target;
	uint64_t rec_seq;
	bool mb, mb_pending = false;

	/* Its preempted requests first: a partition's vCPU left in one
	 * would answer every later request BUSY, VM_DESTROYED included. */
	ffp_preempt_endpoint_finish(p, id);
	/* VM_DESTROYED before the reclaims, as Xen orders its teardown
	 * (ffa_domain_teardown_continue): a partition that lets go of the
	 * VM's memory when told leaves no orphan behind. */
	if (t->mask)
		t->mask = ffp_vmavail_destroyed(p, id, t->mask, &t->run);
	ffp_mem_endpoint_teardown(p, id, true, t->gen);
	/* Its notification bitmap last: no call of its is left to use it. */
	if (t->bitmap && !ffp_notif_destroy(p, id, t->vcpus, &t->unsure))
		ffp_log(p, id, FFA_NOTIFICATION_BITMAP_DESTROY_32, FFA_BUSY,
			"notification bitmap destruction pending", id);
	else
		t->bitmap = false;
	/* Its bounce pair, unmapped at the SPMC before the id can be
	 * another's: a message still in it is dropped with it. Under
	 * BUFFERS, which ffp_endpoint_set_msg_buffers holds while it maps
	 * one: a map that finds the endpoint gone undoes itself. */
	ffp_lock(p, FFP_LOCK_BUFFERS);
	if (host)
		host_hold_drop(p);
	ffp_lock(p, FFP_LOCK_STATE);
	mb = ep->mb_mapped;
	ep->mb_mapped = false;
	ffp_unlock(p, FFP_LOCK_STATE);
	if (mb && !ffp_msg2_vm_unmap(p, id)) {
		ffp_log(p, id, FFA_RXTX_UNMAP_32, FFA_BUSY,
			"bounce RX/TX unmap pending", id);
		mb_pending = true;
	}
	ffp_unlock(p, FFP_LOCK_BUFFERS);
	ffp_lock(p, FFP_LOCK_STATE);
	mb_pending |= ep->mb_unmap_pending;
	ffp_vmavail_settle(p, ep, &t->mask, &t->run);
	/* Its buffers were never mapped at the SPMC (the proxy relays
	 * through its own pair, which stays mapped), so returning the pages
	 * suffices. */
	ffp_endpoint_buffers_release(p, ep, id);
	/* Still preempted: the proxy's, resumed at ffp_vm_destroyed_retry
	 * and the next add of any id. */
	ffp_preempt_endpoint_orphan(p, id);
	gen = ep->gen;
	/* Its request's record, made after this, is an orphan (run.c
	 * mark_late). */
	rec_target = ep->rec_target;
	rec_seq = ep->rec_seq;
	ffp_memset(ep, 0, sizeof(*ep));
	ep->rec_target = rec_target;
	ep->rec_seq = rec_seq;
	ep->destroy_pending = t->mask;
	ep->avail_run = t->run;
	ep->notif_destroy_pending = t->bitmap;
	ep->notif_old_vcpus = t->bitmap ? t->vcpus : 0;
	ep->notif_destroy_unsure = t->bitmap && t->unsure;
	ep->mb_unmap_pending = mb_pending;
	if (host) {
		/* The new kernel's from here, as at ffp_init (version
		 * unlocked, no buffers, no bitmap, the default vCPU count);
		 * another gen, so that a call of the old one that slipped in
		 * during the reset is told from it. */
		ep->present = true;
		__atomic_store_n(&ep->gen, gen + 1, __ATOMIC_RELEASE);
	} else {
		ep->gen = gen;
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	return t->bitmap;
}

int ffp_endpoint_remove(struct ffp *p, uint16_t id)
{
	struct teardown t = { 0 };
	int ret;

	/* The host is the proxy's reason to exist; it is never removed
	 * (ffp_host_reset gives it a fresh start). */
	if (id == 0 || id >= p->cfg.max_endpoints)
		return FFA_INVALID_PARAMETERS;
	ffp_lock(p, FFP_LOCK_STATE);
	if (!p->eps[id].present) {
		ret = FFA_INVALID_PARAMETERS;
	} else {
		ret = teardown_begin(p, id, &t);
		/* Gone for callers from here: no new call of it starts
		 * while the partitions are told and its state torn down;
		 * the id stays taken until then (avail_busy). */
		if (!ret)
			p->eps[id].present = false;
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	if (ret)
		return ret;
	(void)teardown_end(p, id, &t, false);
	return 0;
}

int ffp_host_reset(struct ffp *p)
{
	struct teardown t = { 0 };
	struct ffp_endpoint *ep = &p->eps[0];
	int ret;

	ffp_lock(p, FFP_LOCK_STATE);
	/* Another reset, or ffp_vm_destroyed_retry destroying an earlier
	 * kernel's bitmap, works on the host. */
	ret = ep->avail_busy ? FFA_BUSY : teardown_begin(p, 0, &t);
	/* Absent for callers until it is the new kernel's, as a removed VM
	 * is: a call of the old one still in the proxy, a lane that reads
	 * the gen once the reset began (dispatch.c lane_mem), is refused as
	 * a removed caller's (ffp_endpoint_stale) instead of acting on
	 * state the reset then wipes. No other CPU's path looks at it:
	 * INFO_GET routes id 0 by its id, partition messages wait in the
	 * proxy's RX or the hold slot. */
	if (!ret)
		ep->present = false;
	/* A bitmap of an earlier kernel still at the SPMC: the new one has
	 * not bound anything (its BIND waits for this, notif.c). */
	if (!ret && ep->notif_destroy_pending) {
		t.bitmap = true;
		t.vcpus = ep->notif_old_vcpus;
		t.unsure = ep->notif_destroy_unsure;
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	if (ret)
		return ret;
	/* The SPMC's status is logged by ffp_notif_destroy. */
	return teardown_end(p, 0, &t, true) ? FFA_DENIED : 0;
}

int ffp_endpoint_set_vcpus(struct ffp *p, uint16_t id, uint16_t vcpus)
{
	struct ffp_endpoint *ep;
	int ret = 0;

	if (id >= p->cfg.max_endpoints || !vcpus)
		return FFA_INVALID_PARAMETERS;
	ep = &p->eps[id];
	ffp_lock(p, FFP_LOCK_STATE);
	if (!ep->present)
		ret = FFA_INVALID_PARAMETERS;
	else if (ep->notif != FFP_NOTIF_NONE || ep->notif_unknown)
		ret = FFA_DENIED; /* its bitmap has its count already */
	else
		ep->vcpus = vcpus;
	ffp_unlock(p, FFP_LOCK_STATE);
	return ret;
}

int ffp_endpoint_info(const struct ffp *p, uint16_t id,
		      struct ffp_endpoint_info *out)
{
	const struct ffp_endpoint *ep;

	if (!out) /* nowhere to write: refused, not a fault at EL2 */
		return FFA_INVALID_PARAMETERS;
	ffp_memset(out, 0, sizeof(*out));
	if (id >= p->cfg.max_endpoints)
		return FFA_INVALID_PARAMETERS;
	ep = &p->eps[id];
	/* Under STATE, as its calls change it: one state the endpoint was
	 * in, not buffer addresses of one mapping next to the flag of
	 * another (RXTX_MAP/UNMAP on another CPU). */
	p->plat->lock(p->ctx, FFP_LOCK_STATE);
	/* The host is never absent for the embedder: ffp_host_reset takes
	 * it out of `present` only to turn its old kernel's calls away. */
	out->present = ep->present || id == 0;
	out->version_set = ep->version_set;
	out->version_locked = ep->version_locked;
	out->version = ep->version;
	out->buffers_mapped = ep->mapped;
	out->tx_pa = ep->tx_pa;
	out->rx_pa = ep->rx_pa;
	out->buffer_pages = ep->buffer_pages;
	out->rx_held = ffp_rx_held(ep);
	out->vm_destroyed_pending =
		ffp_vmavail_owed(ep->destroy_pending, &ep->avail_run);
	out->preempted_orphans = ffp_preempt_orphans(p, id);
	out->notif_bitmap = ep->present && ep->notif == FFP_NOTIF_CREATED;
	out->notif_destroy_pending = ep->notif_destroy_pending;
	out->msg_buffers = ep->present && ep->mb_mapped;
	out->msg_unmap_pending = ep->mb_unmap_pending;
	p->plat->unlock(p->ctx, FFP_LOCK_STATE);
	return 0;
}

void ffp_info(const struct ffp *p, struct ffp_info *out)
{
	const struct ffp_late *m;
	uint32_t i;

	if (!out)
		return;
	out->ffa_enabled = p->ffa_enabled;
	out->regs_x8_x17 = p->x8_x17;
	out->smccc_version = p->smccc_version;
	out->spmc_version = p->spmc_version;
	out->spmc_reported = p->spmc_reported;
	out->spmc_buffers_mapped = p->spmc_buffers_mapped;
	out->msg2_held = p->hold_full;
	out->msg2_owed = p->hold_owed;
	out->late_marks = p->late_used;
	out->late_marks_found = 0;
	out->late_marks_workers = 0;
	for (i = 0; i < p->late_slots; i++) {
		m = &p->lates[i];
		if (!(m->target >> 31) || m->kind != FFP_LATE_MARK ||
		    (m->owner != FFP_PREEMPT_PROXY &&
		     m->owner >= p->cfg.max_endpoints))
			continue;
		out->late_marks_found++;
		out->late_marks_workers += m->owner == FFP_PREEMPT_PROXY;
	}
}

const char *ffp_policy_name(enum ffp_policy policy)
{
	return policy == FFP_POLICY_STRICT ? "strict" : "translate";
}

void ffp_log(struct ffp *p, uint16_t ep, uint32_t func, int32_t status,
	     const char *why, uint64_t value)
{
	struct ffp_log_event ev = { ep, func, status, why, value };

	if (p->plat->log)
		p->plat->log(p->ctx, &ev);
}

void ffp_refuse(struct ffp_call *c, int32_t status, const char *why,
		uint64_t value)
{
	ffp_regs_zero(&c->out);
	c->out.x[0] = FFA_ERROR_32;
	c->out.x[2] = (uint32_t)status;
	ffp_log(c->p, c->ep_id, c->func, status, why, value);
}

/* c->out is zero on entry to every handler; a handler that wrote other
 * results does not then succeed this way. */
void ffp_success(struct ffp_call *c, uint64_t w2, uint64_t w3)
{
	c->out.x[0] = FFA_SUCCESS_32;
	c->out.x[2] = w2;
	c->out.x[3] = w3;
}

int32_t ffp_status(uint64_t w2)
{
	int32_t s = (int32_t)(uint32_t)w2;

	return (s <= FFA_NOT_SUPPORTED && s >= FFA_NOT_READY) ? s : FFA_ABORTED;
}
