/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* The simulated platform under the proxy; see simplat.h. */
#define _XOPEN_SOURCE 700 /* pthread_mutexattr_settype */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/mem.h>

#include "sim/simplat.h"

static const char *const lock_names[FFP_LOCK_COUNT] = {
	[FFP_LOCK_STATE] = "STATE",
	[FFP_LOCK_BUFFERS] = "BUFFERS",
};

/* Threaded mode: the proxy's locks this thread (simulated CPU) holds. */
static _Thread_local unsigned tl_held[FFP_LOCK_COUNT];

void simplat_world_lock(struct simplat *sp)
{
	if (sp->threaded)
		(void)pthread_mutex_lock(&sp->world);
}

void simplat_world_unlock(struct simplat *sp)
{
	if (sp->threaded)
		(void)pthread_mutex_unlock(&sp->world);
}

static void report(struct simplat *sp, const char *what)
{
	simplat_world_lock(sp);
	sp->errors++;
	if (sp->hooks.error)
		sp->hooks.error(sp->hooks.ctx, what);
	simplat_world_unlock(sp);
}

/* Counts a call of `op`; true (and *status) when an armed fault fires. */
static bool fault_fires(struct simplat *sp, enum simplat_op op,
			int32_t *status)
{
	sp->calls[op]++;
	if (!sp->fault[op].countdown || --sp->fault[op].countdown)
		return false;
	*status = sp->fault[op].status;
	return true;
}

/* EL3 firmware: the SPMC model, or nothing FF-A when it is absent. */
static void firmware_smc(struct simplat *sp, struct ffa_regs *r)
{
	uint32_t id = (uint32_t)r->x[0];
	bool unknown = false;

	/* SMCCC 1.0 has no SMCCC_VERSION (DEN0028 7.2: absent means 1.0). */
	if (id == SMCCC_VERSION)
		unknown = sp->cfg.smccc_version < SMCCC_VERSION_1_1;
	else
		unknown = sp->cfg.spmc_absent;
	if (unknown) {
		memset(r, 0, sizeof(*r));
		r->x[0] = (uint32_t)SMCCC_NOT_SUPPORTED; /* -1 in w0 */
		return;
	}
	spmc_smc(&sp->spmc, r);
}

static void run_nested(struct simplat *sp)
{
	struct ffa_regs r = sp->nested_req;
	unsigned l;

	if (sp->hooks.nested_call)
		sp->hooks.nested_call(sp->hooks.ctx, sp->nested_ep, &r);
	sp->cpu = 1;
	if (sp->nested_reset) {
		memset(&r, 0, sizeof(r));
		r.x[0] = (uint32_t)ffp_host_reset(sp->proxy);
		sp->nested_handled = false;
	} else {
		sp->nested_handled = ffp_handle(sp->proxy, sp->nested_ep, &r);
	}
	for (l = 0; l < FFP_LOCK_COUNT; l++) {
		if (sp->held[1][l]) {
			report(sp, l == FFP_LOCK_STATE
					   ? "nested call returned holding lock STATE"
					   : "nested call returned holding lock BUFFERS");
			sp->held[1][l] = 0;
		}
	}
	sp->cpu = 0;
	sp->nested_ran = true;
	sp->nested_reply = r;
	if (sp->hooks.nested_done)
		sp->hooks.nested_done(sp->hooks.ctx, sp->nested_ep, &r,
				      sp->nested_handled);
}

static void plat_smc(void *ctx, struct ffa_regs *r)
{
	struct simplat *sp = ctx;
	struct ffa_regs req = *r;
	int32_t status;
	bool injected;

	/* The nested call runs first, as if it had just won a race. */
	if (sp->nested_countdown && sp->cpu == 0 && --sp->nested_countdown == 0)
		run_nested(sp);
	simplat_world_lock(sp);
	injected = fault_fires(sp, SIMPLAT_OP_SMC, &status);
	if (injected && status == FFA_INVALID_PARAMETERS &&
	    ffa_fn((uint32_t)r->x[0]) == FFA_FN_MEM_FRAG_TX) {
		/* No SPMC refuses a fragment so and keeps the transaction:
		 * Hafnium and TF-A's EL3 SPMC free it on a failed
		 * continuation (docs/memory.md), so the fault reaches the
		 * SPMC as a fragment it refuses (length 0). */
		r->x[3] = 0;
		firmware_smc(sp, r);
	} else if (injected) {
		const struct spmc_partition *p =
			ffa_fn((uint32_t)r->x[0]) == FFA_FN_RUN
				? spmc_find_partition(&sp->spmc,
						      (uint16_t)(r->x[1] >> 16))
				: NULL;

		/* An FFA_RUN lost on the way to a framework message
		 * preempted at a partition hides its end the same way. */
		sp->framework_faults +=
			(ffa_fn((uint32_t)r->x[0]) == FFA_FN_MSG_SEND_DIRECT_REQ &&
			 ((uint32_t)r->x[2] & FFA_MSG_FLAG_FRAMEWORK)) ||
			ffa_fn((uint32_t)r->x[0]) == FFA_FN_PARTITION_INFO_GET ||
			(p && p->preempt.pending &&
			 ((uint32_t)p->preempt.req.x[2] & FFA_MSG_FLAG_FRAMEWORK));
		sp->run_faults += ffa_fn((uint32_t)r->x[0]) == FFA_FN_RUN;
		sp->rx_faults += spmc_rx_call((uint32_t)r->x[0]);
		sp->pair_faults +=
			ffa_fn((uint32_t)r->x[0]) == FFA_FN_RXTX_UNMAP &&
			r->x[1] >> 16;
		memset(r, 0, sizeof(*r));
		r->x[0] = FFA_ERROR_32;
		r->x[2] = (uint32_t)status;
	} else {
		firmware_smc(sp, r);
	}
	if (sp->hooks.smc)
		sp->hooks.smc(sp->hooks.ctx, sp->cpu, &req, r, injected);
	simplat_world_unlock(sp);
}

/* Eight registers in and out (x8..x17 zero in, the caller's kept); for
 * an SMC32 id only their low halves, as SMCCC defines such a call. */
static void plat_smc_x0_x7(void *ctx, struct ffa_regs *regs)
{
	struct simplat *sp = ctx;
	struct ffa_regs r;
	uint64_t mask = regs->x[0] & SMCCC_SMC64 ? ~0ull : 0xffffffffull;
	unsigned int i;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < 8; i++)
		r.x[i] = regs->x[i] & mask;
	__atomic_fetch_add(&sp->smc_x0_x7_calls, 1, __ATOMIC_RELAXED);
	plat_smc(ctx, &r);
	for (i = 0; i < 8; i++)
		regs->x[i] = r.x[i] & mask;
}

/* platform.h: the proxy changes whole caller granules only (a 16K or
 * 64K stage 2 cannot change part of one); a range that is not is a
 * proxy bug, whatever the 4K page map makes of it. */
static void check_granules(struct simplat *sp, uint64_t pa, uint64_t size)
{
	uint64_t g = sp->cfg.proxy.granule ? sp->cfg.proxy.granule : 4096;

	if ((pa | size) & (g - 1))
		report(sp, "page transition of a range not whole granules");
}

static int plat_transition(void *ctx, uint16_t ep, uint64_t pa, uint64_t size,
			   enum ffp_page_state from, enum ffp_page_state to)
{
	struct simplat *sp = ctx;
	int32_t status;
	bool fires;

	check_granules(sp, pa, size);
	simplat_world_lock(sp);
	if (sp->fault_spare_undo && to == FFP_PAGE_OWNED) {
		sp->calls[SIMPLAT_OP_TRANSITION]++;
		fires = false;
	} else {
		fires = fault_fires(sp, SIMPLAT_OP_TRANSITION, &status);
	}
	if (!fires)
		status = simmem_transition(sp->mem, ep, pa, size, from, to);
	simplat_world_unlock(sp);
	return status;
}

/* All or nothing: applied in order and rolled back on the first range
 * that fails, so ranges overlapping within one call fail too (the proxy
 * promises they never do). */
static int plat_transition_ranges(void *ctx, uint16_t ep, const uint8_t *cons,
				  uint32_t count, enum ffp_page_state from,
				  enum ffp_page_state to, uint32_t *failed)
{
	struct simplat *sp = ctx;
	int32_t status = 0;
	uint32_t i;
	bool fires;

	if (count == 0)
		report(sp, "page_transition_ranges called with no ranges");
	for (i = 0; i < count; i++)
		check_granules(sp,
			       ffa_get64(cons + (size_t)i *
						       FFA_MEM_CONSTITUENT_SIZE),
			       (uint64_t)ffa_get32(cons + (size_t)i *
							  FFA_MEM_CONSTITUENT_SIZE +
						   8) *
				       SIMMEM_PAGE);
	simplat_world_lock(sp);
	if (sp->fault_spare_undo && to == FFP_PAGE_OWNED) {
		sp->calls[SIMPLAT_OP_TRANSITION]++;
		fires = false;
	} else {
		fires = fault_fires(sp, SIMPLAT_OP_TRANSITION, &status);
	}
	*failed = 0;
	for (i = 0; !fires && i < count; i++) {
		const uint8_t *c = cons + (size_t)i * FFA_MEM_CONSTITUENT_SIZE;

		status = simmem_transition(sp->mem, ep, ffa_get64(c),
					   (uint64_t)ffa_get32(c + 8) *
						   SIMMEM_PAGE,
					   from, to);
		if (status) {
			*failed = i;
			while (i--) {
				c -= FFA_MEM_CONSTITUENT_SIZE;
				(void)simmem_transition(
					sp->mem, ep, ffa_get64(c),
					(uint64_t)ffa_get32(c + 8) * SIMMEM_PAGE,
					to, from);
			}
			break;
		}
	}
	simplat_world_unlock(sp);
	return status;
}

static int plat_read(void *ctx, uint16_t ep, uint64_t pa, void *dst, size_t len)
{
	struct simplat *sp = ctx;
	int32_t status;

	simplat_world_lock(sp);
	if (!fault_fires(sp, SIMPLAT_OP_READ, &status))
		status = simmem_read_as(sp->mem, ep, pa, dst, len);
	simplat_world_unlock(sp);
	return status;
}

static int plat_write(void *ctx, uint16_t ep, uint64_t pa, const void *src,
		      size_t len)
{
	struct simplat *sp = ctx;
	int32_t status;

	simplat_world_lock(sp);
	if (!fault_fires(sp, SIMPLAT_OP_WRITE, &status))
		status = simmem_write_as(sp->mem, ep, pa, src, len);
	simplat_world_unlock(sp);
	return status;
}

static void plat_lock(void *ctx, enum ffp_lock which)
{
	struct simplat *sp = ctx;
	char msg[160];

	if ((unsigned)which >= FFP_LOCK_COUNT) {
		report(sp, "lock of an unknown lock");
		return;
	}
	if (sp->threaded) {
		if (pthread_mutex_lock(&sp->mtx[which]) == EDEADLK) {
			snprintf(msg, sizeof(msg), "lock %s taken recursively",
				 lock_names[which]);
			report(sp, msg);
			return;
		}
		tl_held[which]++;
		return;
	}
	if (sp->held[sp->cpu][which]) {
		snprintf(msg, sizeof(msg), "lock %s taken recursively",
			 lock_names[which]);
		report(sp, msg);
	} else if (sp->held[!sp->cpu][which]) {
		/* One thread cannot wait for the other CPU to let go. */
		snprintf(msg, sizeof(msg),
			 "lock %s taken by the nested call while the "
			 "interrupted call holds it (a real CPU would wait "
			 "here forever)",
			 lock_names[which]);
		report(sp, msg);
	}
	sp->held[sp->cpu][which]++;
}

static void plat_unlock(void *ctx, enum ffp_lock which)
{
	struct simplat *sp = ctx;
	char msg[96];

	if ((unsigned)which >= FFP_LOCK_COUNT) {
		report(sp, "unlock of an unknown lock");
		return;
	}
	if (sp->threaded) {
		if (!tl_held[which]) {
			snprintf(msg, sizeof(msg),
				 "unlock of lock %s, which this CPU does not hold",
				 lock_names[which]);
			report(sp, msg);
			return;
		}
		tl_held[which]--;
		(void)pthread_mutex_unlock(&sp->mtx[which]);
		return;
	}
	if (!sp->held[sp->cpu][which]) {
		snprintf(msg, sizeof(msg), "unlock of lock %s, which is free",
			 lock_names[which]);
		report(sp, msg);
		return;
	}
	sp->held[sp->cpu][which]--;
}

static void plat_log(void *ctx, const struct ffp_log_event *ev)
{
	struct simplat *sp = ctx;

	if (!sp->hooks.log)
		return;
	simplat_world_lock(sp);
	sp->hooks.log(sp->hooks.ctx, sp->threaded ? 0 : sp->cpu, ev);
	simplat_world_unlock(sp);
}

/* Held locks are checked: the proxy calls it with none of its own. */
static void plat_notification_pending(void *ctx, uint16_t vm,
				      const uint16_t *vcpus, uint32_t count)
{
	struct simplat *sp = ctx;
	unsigned cpu = sp->threaded ? 0 : sp->cpu, l, i;

	simplat_world_lock(sp);
	if (!sp->threaded)
		for (l = 0; l < FFP_LOCK_COUNT; l++)
			if (sp->held[cpu][l])
				report(sp, "notification_pending called with "
					   "a proxy lock held");
	if (count > 3)
		report(sp, "notification_pending: more than 3 vCPU ids");
	if (sp->npi_count < SIMPLAT_NPI_MAX) {
		sp->npi[sp->npi_count].vm = vm;
		sp->npi[sp->npi_count].count = count;
		for (i = 0; i < count && i < 3; i++)
			sp->npi[sp->npi_count].vcpus[i] = vcpus[i];
	}
	sp->npi_count++;
	if (sp->hooks.npi)
		sp->hooks.npi(sp->hooks.ctx, vm, vcpus, count);
	simplat_world_unlock(sp);
}

static int mem_read(void *ctx, uint64_t pa, void *dst, size_t len)
{
	return simmem_read(ctx, pa, dst, len);
}

static int mem_write(void *ctx, uint64_t pa, const void *src, size_t len)
{
	return simmem_write(ctx, pa, src, len);
}

void simplat_config_default(struct simplat_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->spmc_version = FFA_VERSION_1_2;
	cfg->smccc_version = SMCCC_VERSION_1_2;
	ffp_config_default(&cfg->proxy);
	cfg->hyp_buffer_pages = SIMPLAT_HYP_BUFFER_PAGES;
}

static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -1;
}

int simplat_init(struct simplat *sp, const struct simplat_config *cfg,
		 const struct simplat_hooks *hooks, const char **why)
{
	struct ffp_config pc;
	uint64_t buf_bytes = (uint64_t)cfg->hyp_buffer_pages * SIMMEM_PAGE;
	size_t size;
	unsigned i;

	memset(sp, 0, sizeof(*sp));
	sp->cfg = *cfg;
	if (hooks)
		sp->hooks = *hooks;
	sp->ops = (struct ffp_platform){
		.smc = plat_smc,
		.page_transition = plat_transition,
		.caller_read = plat_read,
		.caller_write = plat_write,
		.lock = plat_lock,
		.unlock = plat_unlock,
		.log = plat_log,
		.page_transition_ranges =
			cfg->per_range_transitions ? NULL
						   : plat_transition_ranges,
		.smc_x0_x7 = cfg->no_smc_x0_x7 ? NULL : plat_smc_x0_x7,
		.notification_pending = cfg->notification_pending
						? plat_notification_pending
						: NULL,
	};
	sp->mem = simmem_new();
	if (!sp->mem)
		return fail(why, "out of host memory");
	for (i = 0; i < cfg->host_ram_count; i++)
		if (simmem_add_region(sp->mem, cfg->host_ram[i].base,
				      cfg->host_ram[i].size, 0))
			return fail(why, "host ram: misaligned, empty, "
					 "overlapping or too large");
	if (!cfg->hyp_buffer_pages ||
	    simmem_add_region(sp->mem, SIMPLAT_HYP_BUFFERS_PA, 2 * buf_bytes,
			      SIMMEM_OWNER_HYP))
		return fail(why, "the proxy's buffers overlap host ram");

	sp->spmc_mem = (struct spmc_mem_ops){ .read = mem_read,
					      .write = mem_write };
	spmc_init(&sp->spmc, cfg->spmc_version, &sp->spmc_mem, sp->mem);
	if (cfg->smccc_version >= SMCCC_VERSION_1_1)
		sp->spmc.smccc_version = cfg->smccc_version;
	sp->spmc.newer_version = cfg->spmc_newer_version;
	sp->spmc.info_error_gives_rx = cfg->spmc_info_error_gives_rx;
	sp->spmc.idle_run_denied = cfg->spmc_idle_run_denied;
	if (cfg->spmc_stale_pair)
		spmc_stale_pair(&sp->spmc);
	sp->spmc.check_constituents = cfg->spmc_check_constituents;
	for (i = 0; i < cfg->part_count; i++) {
		const struct spmc_partition *pt = &cfg->parts[i];

		if (spmc_add_partition(&sp->spmc, pt->id, pt->uuid, pt->exec_ctx,
				       pt->props))
			return fail(why, "spmc partition: id not secure, "
					 "repeated, or table full");
	}

	pc = cfg->proxy;
	pc.buffers.tx_pa = SIMPLAT_HYP_BUFFERS_PA;
	pc.buffers.rx_pa = SIMPLAT_HYP_BUFFERS_PA + buf_bytes;
	pc.buffers.tx = simmem_hyp_ptr(sp->mem, pc.buffers.tx_pa, buf_bytes);
	pc.buffers.rx = simmem_hyp_ptr(sp->mem, pc.buffers.rx_pa, buf_bytes);
	pc.buffers.pages = cfg->hyp_buffer_pages;
	pc.uuids = sp->cfg.uuids;
	pc.uuid_count = cfg->uuid_count;
	size = ffp_instance_size(&pc);
	if (!size)
		return fail(why, "ffp_instance_size: invalid proxy configuration");
	sp->proxy_mem = aligned_alloc(16, (size + 15) & ~(size_t)15);
	if (!sp->proxy_mem)
		return fail(why, "out of host memory for the proxy instance");
	sp->proxy = ffp_init(sp->proxy_mem, size, &pc, &sp->ops, sp);
	if (!sp->proxy)
		return fail(why, "ffp_init refused the configuration");
	return 0;
}

int simplat_threaded(struct simplat *sp)
{
	pthread_mutexattr_t a;
	unsigned l;
	int bad;

	if (sp->threaded)
		return 0;
	if (pthread_mutexattr_init(&a))
		return -1;
	bad = pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	for (l = 0; !bad && l < FFP_LOCK_COUNT; l++)
		bad = pthread_mutex_init(&sp->mtx[l], &a);
	if (!bad)
		bad = pthread_mutex_init(&sp->world, NULL);
	(void)pthread_mutexattr_destroy(&a);
	if (bad)
		return -1;
	sp->threaded = true;
	return 0;
}

void simplat_destroy(struct simplat *sp)
{
	unsigned l;

	if (sp->threaded) {
		for (l = 0; l < FFP_LOCK_COUNT; l++)
			(void)pthread_mutex_destroy(&sp->mtx[l]);
		(void)pthread_mutex_destroy(&sp->world);
		sp->threaded = false;
	}
	simmem_free(sp->mem);
	free(sp->proxy_mem);
	sp->mem = NULL;
	sp->proxy_mem = NULL;
	sp->proxy = NULL;
}

/* Locks still held by the calling CPU after a call returned are a leak. */
static void check_released(struct simplat *sp, const char *after)
{
	char msg[96];
	unsigned l;

	for (l = 0; l < FFP_LOCK_COUNT; l++) {
		unsigned *held = sp->threaded ? &tl_held[l] : &sp->held[sp->cpu][l];

		if (!*held)
			continue;
		snprintf(msg, sizeof(msg), "lock %s still held after %s",
			 lock_names[l], after);
		report(sp, msg);
		*held = 0;
	}
}

bool simplat_call(struct simplat *sp, uint16_t ep, struct ffa_regs *regs)
{
	bool handled;

	if (!sp->threaded)
		sp->cpu = 0;
	handled = ffp_handle(sp->proxy, ep, regs);
	check_released(sp, "ffp_handle");
	return handled;
}

int simplat_vm_add(struct simplat *sp, uint16_t id, uint64_t base,
		   uint64_t size)
{
	struct ffp_endpoint_info info;
	bool added = false;
	int st;

	if (id == 0 || id == SIMMEM_OWNER_HYP || ffa_id_is_secure(id))
		return FFA_INVALID_PARAMETERS;
	if (ffp_endpoint_info(sp->proxy, id, &info) || !info.present) {
		st = ffp_endpoint_add(sp->proxy, id);
		check_released(sp, "ffp_endpoint_add");
		if (st)
			return st;
		added = true;
	}
	simplat_world_lock(sp);
	st = simmem_add_region(sp->mem, base, size, id);
	simplat_world_unlock(sp);
	if (st && added) {
		(void)ffp_endpoint_remove(sp->proxy, id);
		check_released(sp, "ffp_endpoint_remove");
	}
	return st;
}

static void *hyp_region(struct simplat *sp, uint64_t pa, uint64_t bytes)
{
	void *at = simmem_hyp_ptr(sp->mem, pa, bytes);

	if (!at && !simmem_add_region(sp->mem, pa, bytes, SIMMEM_OWNER_HYP))
		at = simmem_hyp_ptr(sp->mem, pa, bytes);
	return at;
}

int simplat_vm_msg_buffers(struct simplat *sp, uint16_t id, uint64_t tx_pa,
			   uint64_t rx_pa, uint32_t pages)
{
	const uint64_t bytes = (uint64_t)pages * FFA_PAGE_SIZE;
	struct ffp_msg_buffers b = { NULL, NULL, tx_pa, rx_pa, pages };
	int st;

	simplat_world_lock(sp);
	if (bytes) {
		b.tx = hyp_region(sp, tx_pa, bytes);
		b.rx = hyp_region(sp, rx_pa, bytes);
	}
	simplat_world_unlock(sp);
	if (bytes && (!b.tx || !b.rx))
		return FFA_INVALID_PARAMETERS;
	st = ffp_endpoint_set_msg_buffers(sp->proxy, id, &b);
	check_released(sp, "ffp_endpoint_set_msg_buffers");
	return st;
}

/* Whether a page of `id`'s regions is DONATED: it left the normal world
 * (a partition holds it, or may still retrieve it), and the proxy keeps
 * no record of a complete donation. */
static bool has_donated(const struct simmem *m, uint16_t id)
{
	uint64_t base, size, k;
	struct simmem_page pg;
	uint16_t owner;
	unsigned i;

	for (i = 0; i < simmem_region_count(m); i++) {
		if (simmem_region(m, i, &base, &size, &owner) || owner != id)
			continue;
		for (k = 0; k < size / FFA_PAGE_SIZE; k++)
			if (!simmem_region_page(m, i, k, &pg) &&
			    pg.state == FFP_PAGE_DONATED)
				return true;
	}
	return false;
}

int simplat_vm_destroy(struct simplat *sp, uint16_t id)
{
	struct ffp_transaction_info ti;
	uint32_t cur = 0;
	bool keep = false;
	int st;

	if (id == 0 || id == SIMMEM_OWNER_HYP)
		return FFA_INVALID_PARAMETERS;

	st = ffp_endpoint_remove(sp->proxy, id);
	check_released(sp, "ffp_endpoint_remove");
	/* A removal refused (BUSY) leaves the VM in place. Memory a
	 * partition still holds (an orphan) or that was donated must not
	 * vanish either: a real hypervisor would not hand those pages to
	 * anyone else. */
	keep = st != 0;
	while (!keep && ffp_transaction_next(sp->proxy, &cur, &ti) == 0)
		keep = ti.orphan && ti.owner == id;
	simplat_world_lock(sp);
	keep = keep || has_donated(sp->mem, id);
	simplat_world_unlock(sp);
	if (!keep) {
		simplat_world_lock(sp);
		simmem_remove_owner(sp->mem, id);
		simplat_world_unlock(sp);
	}
	return st;
}

void simplat_fault(struct simplat *sp, enum simplat_op op, uint32_t k,
		   int32_t status)
{
	if ((unsigned)op >= SIMPLAT_OP_COUNT)
		return;
	sp->fault[op].countdown = k;
	sp->fault[op].status = status;
}

void simplat_nested(struct simplat *sp, uint32_t n, uint16_t ep,
		    const struct ffa_regs *req)
{
	sp->nested_countdown = n;
	sp->nested_ep = ep;
	sp->nested_req = *req;
	sp->nested_ran = false;
	sp->nested_handled = false;
	sp->nested_reset = false;
	memset(&sp->nested_reply, 0, sizeof(sp->nested_reply));
}

void simplat_nested_reset(struct simplat *sp, uint32_t n)
{
	struct ffa_regs none = { { 0 } };

	simplat_nested(sp, n, 0, &none);
	sp->nested_reset = true;
}
