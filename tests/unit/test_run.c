/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * FFA_RUN relayed to resume a caller's own preempted direct request, over
 * the simulated platform and SPMC model: every path a direct request
 * takes records its preemption (general path and each lane, with and
 * without smc_x0_x7); interleavings made deterministic through the lock
 * hook (a second CPU's FFA_RUN and ffp_endpoint_remove while an FFA_RUN
 * is out); a stale record of another caller dropped; records past a
 * caller's own slots (test_spill); a removed VM's request still preempted
 * kept as the proxy's and resumed by ffp_vm_destroyed_retry and the id's
 * next add, never by a new VM under the id (test_orphan_*,
 * test_readd_after_late_record); the configuration; the host's run for
 * cycles bringing a response recorded on another CPU meanwhile
 * (test_cycles_*).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/simplat.h"
#include "sim/invariant.h"
#include "src/internal.h"

#include "check.h"

static const char *last_why;
static unsigned marks_dropped; /* "late mark table full" logged */

static void on_log(void *ctx, unsigned depth, const struct ffp_log_event *ev)
{
	(void)ctx;
	(void)depth;
	last_why = ev->why;
	if (strstr(ev->why, "late mark table full"))
		__atomic_add_fetch(&marks_dropped, 1, __ATOMIC_RELAXED);
}

static void on_error(void *ctx, const char *what)
{
	(void)ctx;
	fprintf(stderr, "platform contract broken: %s\n", what);
	check_failed_in_test = 1;
}

static const struct simplat_hooks hooks = { .log = on_log, .error = on_error };

#define RAM 0x80000000ull
#define VM1_RAM 0x90000000ull
#define VM2_RAM 0x91000000ull

/* Partitions 0x8001.. (`parts` of them, `exec_ctx` vCPUs and `props`
 * each) and the host's RAM; no VM yet. */
static struct simplat *world_of(uint32_t parts, uint16_t exec_ctx,
				uint32_t props, bool no_x0_x7,
				uint32_t max_preempted)
{
	struct simplat *sp = calloc(1, sizeof(*sp));
	struct simplat_config cfg;
	const char *why = NULL;
	unsigned i;

	simplat_config_default(&cfg);
	cfg.host_ram[0].base = RAM;
	cfg.host_ram[0].size = 1 << 20;
	cfg.host_ram_count = 1;
	for (i = 0; i < parts; i++) {
		cfg.parts[i].id = (uint16_t)(0x8001 + i);
		cfg.parts[i].exec_ctx = exec_ctx;
		cfg.parts[i].props = props;
	}
	cfg.part_count = parts;
	cfg.no_smc_x0_x7 = no_x0_x7;
	cfg.proxy.max_preempted = max_preempted;
	CHECK(sp != NULL);
	CHECK_EQ(simplat_init(sp, &cfg, &hooks, &why), 0);
	return sp;
}

/* Two partitions taking direct requests, and VMs 1 and 2. */
static struct simplat *world(bool no_x0_x7, uint32_t max_preempted)
{
	struct simplat *sp = world_of(2, 4,
				      FFA_PART_PROP_DIRECT_REQ_RECV |
					      FFA_PART_PROP_DIRECT_REQ2_RECV,
				      no_x0_x7, max_preempted);

	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	CHECK_EQ(simplat_vm_add(sp, 2, VM2_RAM, 1 << 20), 0);
	return sp;
}

/* A partition subscribed to VM availability messages. */
#define SUBSCRIBED                                                            \
	(FFA_PART_PROP_DIRECT_REQ_RECV | FFA_PART_PROP_VM_CREATED |           \
	 FFA_PART_PROP_VM_DESTROYED)

static void done(struct simplat *sp)
{
	simplat_destroy(sp);
	free(sp);
}

static struct ffa_regs call(struct simplat *sp, uint16_t ep, uint64_t x0,
			    uint64_t x1)
{
	struct ffa_regs r;
	unsigned i;

	memset(&r, 0, sizeof(r));
	r.x[0] = x0;
	r.x[1] = x1;
	for (i = 3; i < FFA_NREGS; i++)
		r.x[i] = 0x100 + i; /* payload, and x8..x17 the caller's */
	if (x0 == FFA_MSG_SEND_DIRECT_REQ2_64) {
		r.x[2] = 0;
		r.x[3] = 0;
	}
	if (x0 == FFA_RUN_32 || x0 == FFA_VERSION_32)
		for (i = 2; i < 8; i++)
			r.x[i] = 0;
	CHECK(simplat_call(sp, ep, &r));
	return r;
}

static bool is_error(const struct ffa_regs *r, int32_t st)
{
	return (uint32_t)r->x[0] == FFA_ERROR_32 &&
	       (uint32_t)r->x[2] == (uint32_t)st;
}

static uint16_t part_index(struct simplat *sp, uint16_t id)
{
	return (uint16_t)(spmc_find_partition(&sp->spmc, id) - sp->spmc.parts);
}

/* What the response to `req` from `ep` at `version` must be, as the
 * model answers (payload + 1) and the proxy filters it. */
static void check_response(const struct ffa_regs *r, uint32_t req,
			   uint16_t ep, uint16_t part, uint32_t version)
{
	bool smc64 = ffa_is_smc64(req);
	unsigned i;

	CHECK_EQ(r->x[0], req + 1);
	CHECK_EQ(r->x[1], (uint64_t)part << 16 | ep);
	CHECK_EQ(r->x[2], 0);
	if (req == FFA_MSG_SEND_DIRECT_REQ2_64) {
		CHECK_EQ(r->x[3], 0);
		for (i = 4; i < FFA_NREGS; i++)
			CHECK_EQ(r->x[i], 0x100 + i + 1);
		return;
	}
	for (i = 3; i < 8; i++)
		CHECK_EQ(r->x[i], smc64 ? 0x100 + i + 1 : (uint32_t)(0x100 + i + 1));
	/* x8..x17: the caller's own (FFA_RUN's 0x100 + i) at every version:
	 * FFA_RUN is an SMC32 call, which preserves them (SMCCC; ffp_handle
	 * in proxy.h), and DIRECT_RESP_32/64 define no result there. Only
	 * DIRECT_RESP2's payload (above) is written to them. */
	(void)version;
	for (i = 8; i < FFA_NREGS; i++)
		CHECK_EQ(r->x[i], 0x100 + i);
}

/*
 * Each request kind at each caller version it exists at, as the first
 * call (general path, which locks the version) and later (the lanes),
 * over a platform with and without smc_x0_x7: preempted, the FFA_INTERRUPT
 * recorded, the FFA_RUN answered with the response as the request's.
 */
static void test_run_every_path(void)
{
	static const uint32_t reqs[] = { FFA_MSG_SEND_DIRECT_REQ_32,
					 FFA_MSG_SEND_DIRECT_REQ_64,
					 FFA_MSG_SEND_DIRECT_REQ2_64 };
	unsigned x, v, k, later;

	for (x = 0; x < 2; x++)
		for (v = 0; v < 3; v++)
			for (k = 0; k < 3; k++)
				for (later = 0; later < 2; later++) {
					uint32_t ver = FFA_MAKE_VERSION(1, v);
					struct simplat *sp;
					struct ffa_regs r;

					if (reqs[k] == FFA_MSG_SEND_DIRECT_REQ2_64 &&
					    ver < FFA_VERSION_1_2)
						continue;
					sp = world(x, 16);
					call(sp, 1, FFA_VERSION_32, ver);
					if (later)
						call(sp, 1, FFA_ID_GET_32, 0);
					CHECK_EQ(spmc_preempt(&sp->spmc, 0x8002, 1,
							      k == 2, 1, 3),
						 0);
					r = call(sp, 1, reqs[k], 0x18002);
					CHECK_EQ(r.x[0], k == 2 ? FFA_YIELD_32
							       : FFA_INTERRUPT_32);
					CHECK_EQ(r.x[1], 0x80020003u);
					/* again=1: preempted once more */
					r = call(sp, 1, FFA_RUN_32, 0x80020003u);
					CHECK_EQ(r.x[0], k == 2 ? FFA_YIELD_32
							       : FFA_INTERRUPT_32);
					r = call(sp, 1, FFA_RUN_32, 0x80020003u);
					check_response(&r, reqs[k], 1, 0x8002, ver);
					r = call(sp, 1, FFA_RUN_32, 0x80020003u);
					CHECK(is_error(&r, FFA_DENIED));
					CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 2u);
					done(sp);
				}
}

/* ---- Interleavings through the lock hook */

static struct {
	struct simplat *sp;
	void (*lock)(void *ctx, enum ffp_lock which);
	uint64_t smc_mark;
	bool armed, ran;
	int remove; /* 1: run ffp_endpoint_remove(1) instead of a call */
	int removed;
	struct ffa_regs req;
	void (*other)(struct simplat *sp); /* instead of req, if set */
} race;

/* CPU 0's FFA_RUN taking STATE after its SMC (the reply in hand, the
 * record still taken): the other CPU runs first. */
static void race_lock(void *ctx, enum ffp_lock which)
{
	struct simplat *sp = race.sp;

	if (race.armed && which == FFP_LOCK_STATE && sp->cpu == 0 &&
	    sp->calls[SIMPLAT_OP_SMC] > race.smc_mark) {
		race.armed = false;
		sp->cpu = 1;
		if (race.remove)
			race.removed = ffp_endpoint_remove(sp->proxy, 1);
		else if (race.other)
			race.other(sp);
		else
			CHECK(ffp_handle(sp->proxy, 1, &race.req));
		sp->cpu = 0;
		race.ran = true;
		CHECK_EQ(sp->held[1][FFP_LOCK_STATE], 0u);
	}
	race.lock(ctx, which);
}

static void arm(struct simplat *sp, int remove)
{
	memset(&race, 0, sizeof(race));
	race.sp = sp;
	race.lock = sp->ops.lock;
	race.smc_mark = sp->calls[SIMPLAT_OP_SMC];
	race.remove = remove;
	race.req.x[0] = FFA_RUN_32;
	race.req.x[1] = 0x80010000u;
	race.armed = true;
	sp->ops.lock = race_lock;
}

/* A second FFA_RUN of the same target from another CPU of the caller,
 * while the first one's reply is being settled: BUSY (the record is
 * taken), nothing sent; the first completes and clears the record, so a
 * retry is DENIED. */
static void test_run_twice_at_once(void)
{
	struct simplat *sp = world(false, 16);
	struct ffa_regs r;

	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	arm(sp, 0);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	sp->ops.lock = race.lock;
	CHECK(race.ran);
	CHECK(is_error(&race.req, FFA_BUSY));
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 1, 0x8001,
		       FFA_VERSION_1_2);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	done(sp);
}

/* ffp_endpoint_remove while the endpoint's FFA_RUN is at the SPMC: BUSY,
 * nothing changes; once it returned (preempted again, the record kept),
 * the removal resumes the request once more, which is preempted again:
 * the record is the proxy's (logged), which the id's next add resumes
 * to its end before the new VM exists; that one cannot run it. */
static void test_remove_during_run(void)
{
	struct simplat *sp = world(false, 16);
	struct ffp_endpoint_info info;
	struct ffa_regs r;

	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_1);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 2, 0), 0);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_64, 0x18001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	arm(sp, 1);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	sp->ops.lock = race.lock;
	CHECK(race.ran);
	CHECK_EQ(race.removed, FFA_BUSY);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80010000u);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK(info.present);
	last_why = NULL;
	CHECK_EQ(simplat_vm_destroy(sp, 1), 0);
	CHECK(last_why && strstr(last_why, "kept for ffp_vm_destroyed_retry"));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 2u);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.preempted_orphans, 1u);
	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 3u);
	CHECK(!sp->spmc.parts[part_index(sp, 0x8001)].preempt.pending);
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_1);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 3u);
	done(sp);
}

/*
 * A VM removed with a request preempted at a partition subscribed to
 * VM_DESTROYED. Forgotten, the request kept the partition's vCPU for
 * good: the host's requests to it BUSY, its FFA_RUN DENIED (not its
 * record), and the removal's VM_DESTROYED BUSY at every retry, so id 1
 * was never free again (ffp_endpoint_add BUSY). The removal resumes it
 * once (the response dropped) before telling the partition.
 */
static void test_remove_resumes_preempted(void)
{
	struct simplat *sp = world_of(1, 4, SUBSCRIBED, false, 16);
	struct spmc_partition *part;
	struct ffp_endpoint_info info;
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	part = &sp->spmc.parts[part_index(sp, 0x8001)];
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);

	last_why = NULL;
	CHECK_EQ(simplat_vm_destroy(sp, 1), 0);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	CHECK(!part->preempt.pending);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.vm_destroyed_pending, 0u);
	CHECK_EQ(part->fw_count, 2u);
	CHECK_EQ(part->fw_log[1].type, FFA_FRAMEWORK_VM_DESTROYED_REQ);
	CHECK_EQ(part->fw_log[1].result, 0);
	/* The partition serves the host again; the id is free. */
	r = call(sp, 0, FFA_MSG_SEND_DIRECT_REQ_32, 0x8001);
	CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_32);
	CHECK_EQ(ffp_endpoint_add(sp->proxy, 1), 0);
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	done(sp);
}

/* The SPMC reports a vCPU preempted in VM 2's request while VM 1 still
 * holds a record of it (VM 1's request ended at the SPMC unseen): VM 1's
 * record is stale and dropped (logged), so VM 1 cannot run VM 2's
 * request; VM 2 can. */
static void test_stale_record_dropped(void)
{
	struct simplat *sp = world(false, 16);
	struct ffa_regs r;

	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 2, false, 0, 1), 0);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	CHECK_EQ(r.x[1], 0x80010001u);
	/* The SPMC forgets VM 1's request. */
	sp->spmc.parts[part_index(sp, 0x8001)].preempt.pending = false;
	last_why = NULL;
	r = call(sp, 2, FFA_MSG_SEND_DIRECT_REQ_64, 0x28001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80010001u);
	CHECK(last_why && strstr(last_why, "stale preemption record"));
	r = call(sp, 1, FFA_RUN_32, 0x80010001u);
	CHECK(is_error(&r, FFA_DENIED));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 0u);
	r = call(sp, 2, FFA_RUN_32, 0x80010001u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 2, 0x8001,
		       FFA_VERSION_1_2);
	done(sp);
}

/*
 * The proxy's own VM availability message is preempted on a vCPU the host
 * holds a stale record of (its request ended at the SPMC unseen): that
 * record is dropped as for a caller's request, so the host cannot FFA_RUN
 * the proxy's request and take its response (which would leave the
 * proxy resuming a request already over: the VM's id stuck); the proxy's
 * retry ends it.
 */
static void test_stale_record_vmavail(void)
{
	struct simplat *sp = world_of(1, 4, SUBSCRIBED, false, 16);
	struct spmc_partition *part;
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	part = &sp->spmc.parts[part_index(sp, 0x8001)];
	CHECK_EQ(part->fw_count, 1u);

	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 0, FFA_MSG_SEND_DIRECT_REQ_32, 0x8001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80010000u);
	part->preempt.pending = false; /* the SPMC forgets it */

	CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001, SPMC_FW_INTERRUPT, 0, 1),
		 0);
	last_why = NULL;
	CHECK_EQ(simplat_vm_destroy(sp, 1), 0);
	CHECK(part->preempt.pending);
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 0u);
	CHECK_EQ(part->fw_count, 1u);
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	CHECK_EQ(part->fw_count, 2u);
	CHECK_EQ(part->fw_log[1].type, FFA_FRAMEWORK_VM_DESTROYED_REQ);
	CHECK_EQ(part->fw_log[1].result, 0);
	done(sp);
}

/*
 * The mirror of the above: the proxy's VM_DESTROYED is preempted on a
 * vCPU and ends at the SPMC unseen, then the host's request is preempted
 * on that vCPU. The proxy's own record of it is as stale as a caller's:
 * resuming it would run the host's request and swallow its response (the
 * proxy takes it for a broken framework answer and drops the
 * VM_DESTROYED too). Dropped instead, the VM_DESTROYED stays pending and
 * is sent afresh; the host's FFA_RUN gets its response.
 */
static void test_stale_vmavail_record_dropped(void)
{
	struct simplat *sp = world_of(1, 4, SUBSCRIBED, false, 16);
	struct spmc_partition *part;
	struct ffp_endpoint_info info;
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	part = &sp->spmc.parts[part_index(sp, 0x8001)];
	CHECK_EQ(part->fw_count, 1u);

	CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001, SPMC_FW_INTERRUPT, 0, 1),
		 0);
	CHECK_EQ(simplat_vm_destroy(sp, 1), 0);
	CHECK(part->preempt.pending);
	part->preempt.pending = false; /* the SPMC forgets it */

	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 0, FFA_MSG_SEND_DIRECT_REQ_32, 0x8001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80010000u);

	/* The vCPU is the host's: no FFA_RUN from the proxy; VM_DESTROYED
	 * sent again, BUSY while the host's request is preempted. */
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 1u);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 0u);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.vm_destroyed_pending, 1u);
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 0, 0x8001,
		       FFA_VERSION_1_2);
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	CHECK_EQ(part->fw_count, 3u);
	CHECK_EQ(part->fw_log[1].result, FFA_BUSY);
	CHECK_EQ(part->fw_log[2].type, FFA_FRAMEWORK_VM_DESTROYED_REQ);
	CHECK_EQ(part->fw_log[2].result, 0);
	done(sp);
}

/*
 * Two ids' VM_DESTROYED preempted on one vCPU in turn, the first ended at
 * the SPMC unseen: the first id's record is stale once the second's is
 * taken. Resumed, it would run VM 2's message and take its response for
 * VM 1's, and VM 2's record would then get DENIED from every FFA_RUN,
 * kept preempted for ever: id 2 never given out again.
 */
static void test_stale_vmavail_record_other_id(void)
{
	struct simplat *sp = world_of(1, 4, SUBSCRIBED, false, 16);
	struct spmc_partition *part;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	CHECK_EQ(simplat_vm_add(sp, 2, VM2_RAM, 1 << 20), 0);
	part = &sp->spmc.parts[part_index(sp, 0x8001)];
	CHECK_EQ(part->fw_count, 2u);

	CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001, SPMC_FW_INTERRUPT, 0, 2),
		 0);
	CHECK_EQ(simplat_vm_destroy(sp, 1), 0);
	CHECK(part->preempt.pending);
	part->preempt.pending = false; /* the SPMC forgets it */
	CHECK_EQ(simplat_vm_destroy(sp, 2), 0);
	CHECK(part->preempt.pending);

	/* VM 1's told afresh (BUSY: the vCPU is in VM 2's), VM 2's run. */
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 1u);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	CHECK_EQ(part->fw_count, 4u);
	CHECK_EQ(part->fw_log[2].vm, 1u);
	CHECK_EQ(part->fw_log[2].result, FFA_BUSY);
	CHECK_EQ(part->fw_log[3].vm, 2u);
	CHECK_EQ(part->fw_log[3].result, 0);
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	CHECK_EQ(part->fw_count, 5u);
	CHECK_EQ(part->fw_log[4].vm, 1u);
	CHECK_EQ(part->fw_log[4].type, FFA_FRAMEWORK_VM_DESTROYED_REQ);
	CHECK_EQ(part->fw_log[4].result, 0);
	done(sp);
}

/*
 * As above with a VM_CREATED: preempted twice (the add fails, its undo's
 * FFA_RUN is preempted again), it ends at the SPMC unseen, and the host's
 * request is then preempted on that vCPU. The VM_CREATED's record is
 * stale: its outcome unknown, the partition may believe in the VM, and
 * is owed VM_DESTROYED only if it subscribed to it (`destroyed`).
 */
static void stale_vmavail_created(bool destroyed)
{
	struct simplat *sp = world_of(1, 4,
				      destroyed ? SUBSCRIBED
						: FFA_PART_PROP_DIRECT_REQ_RECV |
							  FFA_PART_PROP_VM_CREATED,
				      false, 16);
	struct spmc_partition *part;
	struct ffp_endpoint_info info;
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	part = &sp->spmc.parts[part_index(sp, 0x8001)];
	CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001, SPMC_FW_INTERRUPT, 0, 2),
		 0);
	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), FFA_INTERRUPTED);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	CHECK(part->preempt.pending);
	part->preempt.pending = false; /* the SPMC forgets it */
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.vm_destroyed_pending, 1u); /* the VM_CREATED's run */

	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 0, FFA_MSG_SEND_DIRECT_REQ_32, 0x8001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80010000u);

	/* The record is dropped: no FFA_RUN of the host's vCPU from the
	 * proxy; VM_DESTROYED pending for a subscriber to it alone. */
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.vm_destroyed_pending, destroyed ? 1u : 0u);
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), destroyed ? 1u : 0u);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 0, 0x8001,
		       FFA_VERSION_1_2);
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.vm_destroyed_pending, 0u);
	/* (The VM_CREATED no FFA_RUN ended is not in the log.) */
	if (destroyed) {
		/* BUSY while the host's request was preempted, then told */
		CHECK_EQ(part->fw_count, 2u);
		CHECK_EQ(part->fw_log[0].type, FFA_FRAMEWORK_VM_DESTROYED_REQ);
		CHECK_EQ(part->fw_log[0].result, FFA_BUSY);
		CHECK_EQ(part->fw_log[1].type, FFA_FRAMEWORK_VM_DESTROYED_REQ);
		CHECK_EQ(part->fw_log[1].result, 0);
	} else {
		CHECK_EQ(part->fw_count, 0u);
	}
	done(sp);
}

static void test_stale_vmavail_created(void)
{
	stale_vmavail_created(true);
}

static void test_stale_vmavail_created_unsubscribed(void)
{
	stale_vmavail_created(false);
}

/* max_preempted 0: no caller's request is kept, so none of a removed VM
 * is left to resume: a retry counts nothing of theirs, an add resumes
 * nothing before its VM_CREATED. */
static void test_no_preempted_kept_retry(void)
{
	struct simplat *sp = world_of(1, 4, SUBSCRIBED, false, 0);
	struct spmc_partition *part;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	part = &sp->spmc.parts[part_index(sp, 0x8001)];
	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	CHECK_EQ(simplat_vm_destroy(sp, 1), 0);
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 0u);
	CHECK_EQ(part->fw_count, 3u);
	done(sp);
}

/* On CPU 1, while VM 1's FFA_RUN of 0x80010000 is out: the SPMC forgets
 * VM 1's request, and VM 2's request to the same vCPU is preempted. */
static void vm2_preempted(struct simplat *sp)
{
	struct spmc_partition *part = &sp->spmc.parts[part_index(sp, 0x8001)];
	struct ffa_regs r;

	part->preempt.pending = false;
	part->preempt.next = 1;
	part->preempt.again = 0;
	last_why = NULL;
	r = call(sp, 2, FFA_MSG_SEND_DIRECT_REQ_64, 0x28001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80010000u);
}

/* VM 2's request is preempted on a vCPU while VM 1's FFA_RUN of it is at
 * the SPMC (its record taken, so not dropped then) and comes back keeping
 * the record (FFA_INTERRUPT again): VM 1's record is as stale as one
 * dropped, or VM 1 could run VM 2's request, consuming its response. */
static void test_stale_while_running(void)
{
	struct simplat *sp = world(false, 16);
	struct ffa_regs r;

	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 1, 0), 0);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	arm(sp, 0);
	race.other = vm2_preempted;
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	sp->ops.lock = race.lock;
	CHECK(race.ran);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	/* VM 1 may not run what is now VM 2's request. */
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	r = call(sp, 2, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 2, 0x8001,
		       FFA_VERSION_1_2);
	done(sp);
}

/* VM 1 removed (against the contract: one of its vCPUs still in a call)
 * while its direct request is at the SPMC, and the id given to a new VM:
 * the old request's preemption, recorded after the removal, is the
 * proxy's (an orphan), which the add resumes first, the response
 * dropped: the new VM can neither run it nor read its response, and the
 * partition's vCPU is not left in it. */
static void test_readd_after_late_record(void)
{
	struct simplat *sp = world(false, 16);
	struct ffp_endpoint_info info;
	struct ffa_regs r;

	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	arm(sp, 1);
	last_why = NULL;
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	sp->ops.lock = race.lock;
	CHECK(race.ran);
	CHECK_EQ(race.removed, 0);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK(last_why && strstr(last_why, "of a removed endpoint: kept"));
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.preempted_orphans, 1u);
	CHECK_EQ(ffp_endpoint_add(sp->proxy, 1), 0);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	CHECK(!sp->spmc.parts[part_index(sp, 0x8001)].preempt.pending);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.preempted_orphans, 0u);
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 1, 0x8001,
		       FFA_VERSION_1_2);
	done(sp);
}

/* On CPU 1, while VM 1's preempted request is between its SMC and its
 * record: the host's run for cycles of the vCPU (nobody holds it yet)
 * ends VM 1's request (its response dropped, ABORTED), and VM 2's new
 * request to the vCPU is preempted and recorded. */
static void cycles_then_vm2(struct simplat *sp)
{
	struct ffa_regs r;

	last_why = NULL;
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_ABORTED));
	CHECK(last_why && strstr(last_why, "not recorded yet"));
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 2, FFA_MSG_SEND_DIRECT_REQ_64, 0x28001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80010000u);
}

/* VM 1's record, made after all that, is late: its request is over, and
 * the vCPU is in VM 2's newer request. Written as a new preemption it
 * dropped VM 2's record: VM 2 could not resume its own request (DENIED),
 * VM 1 could run it (its response then dropped as another caller's),
 * the host could not give the vCPU cycles (DENIED). Late, it is dropped
 * and VM 2's kept: VM 1's FFA_RUN is DENIED with no SMC, VM 2's brings
 * its response. */
static void test_late_record_keeps_newer(void)
{
	struct simplat *sp = world(false, 16);
	uint32_t runs;
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	arm(sp, 0);
	race.other = cycles_then_vm2;
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	sp->ops.lock = race.lock;
	CHECK(race.ran);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80010000u);
	CHECK(last_why && strstr(last_why, "late preemption record"));
	runs = sp->spmc.calls[FFA_FN_RUN];
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], runs);
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], runs);
	r = call(sp, 2, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 2, 0x8001,
		       FFA_VERSION_1_2);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], runs + 1);
	done(sp);
}

/* The same race once 2^31 + 1 preemption records (others') have been
 * made since VM 1's last record of the vCPU: mark_late asks whether VM
 * 1's record came since the run's check by comparing the counts, and
 * 32-bit counts read that old record as newer than the check. VM 1 was
 * then not marked, its late record dropped VM 2's (VM 2's FFA_RUN
 * DENIED). A count that does not wrap keeps the mark. */
static void test_late_mark_after_many_records(void)
{
	struct simplat *sp = world(false, 16);
	struct ffp *p = sp->proxy;
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	/* VM 1's record of the vCPU, resumed to its end. */
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 1, 0x8001,
		       FFA_VERSION_1_2);
	/* 2^31 + 1 records of others' since (a long-lived system). */
	p->rec_seq += 0x80000001u;
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	arm(sp, 0);
	race.other = cycles_then_vm2;
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	sp->ops.lock = race.lock;
	CHECK(race.ran);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK(last_why && strstr(last_why, "late preemption record"));
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	r = call(sp, 2, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 2, 0x8001,
		       FFA_VERSION_1_2);
	done(sp);
}

static void cycles_only(struct simplat *sp)
{
	struct ffa_regs r = call(sp, 0, FFA_RUN_32, 0x80010000u);

	CHECK(is_error(&r, FFA_ABORTED));
}

/* The same late record with nobody else holding the vCPU: made as usual
 * (the mark spent), and VM 1's FFA_RUN finds the vCPU waiting: ABORTED,
 * the record cleared. VM 1's next request preempted there is recorded
 * and resumed as any (no mark left over). */
static void test_late_record_alone(void)
{
	struct simplat *sp = world(false, 16);
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	arm(sp, 0);
	race.other = cycles_only;
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	sp->ops.lock = race.lock;
	CHECK(race.ran);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_ABORTED));
	CHECK(last_why && strstr(last_why, "partition waiting"));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 2u);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 1, 0x8001,
		       FFA_VERSION_1_2);
	done(sp);
}

/* On CPU 1, in the same window: the host's run for cycles ends VM 1's
 * request (VM 1 marked late), VM 2's request is preempted on the vCPU
 * and recorded, and VM 1 is removed (against the contract, as
 * test_readd_after_late_record) and, with `readd`, added again. */
static int late_readd;

static void cycles_vm2_remove(struct simplat *sp)
{
	cycles_then_vm2(sp);
	CHECK_EQ(ffp_endpoint_remove(sp->proxy, 1), 0);
	if (late_readd)
		CHECK_EQ(ffp_endpoint_add(sp->proxy, 1), 0);
}

/* The same windows with the removal (and the id's next add) before
 * anything else on CPU 1: the run's response then names an absent VM 1,
 * or the new one. */
static void remove_cycles_vm2(struct simplat *sp)
{
	CHECK_EQ(ffp_endpoint_remove(sp->proxy, 1), 0);
	if (late_readd)
		CHECK_EQ(ffp_endpoint_add(sp->proxy, 1), 0);
	cycles_then_vm2(sp);
}

/* VM 1's late record, made once VM 1 is removed (an orphan): its
 * request is over, the vCPU in VM 2's newer one. Made, it dropped VM 2's
 * record (VM 2's FFA_RUN DENIED for good), and the retry then ran VM 2's
 * request and dropped its response. The mark outlives the removal (and
 * the id's next add) until that record, which it makes late as any:
 * VM 2 resumes its own request, no orphan is left, and the id's next VM
 * has its own preemptions recorded as usual. */
static void late_record_removed(void (*other)(struct simplat *), int readd)
{
	struct simplat *sp = world(false, 16);
	struct ffp_endpoint_info info;
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	arm(sp, 0);
	race.other = other;
	late_readd = readd;
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	sp->ops.lock = race.lock;
	CHECK(race.ran);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK(last_why && strstr(last_why, "late preemption record"));
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.preempted_orphans, 0u);
	r = call(sp, 2, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 2, 0x8001,
		       FFA_VERSION_1_2);
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	if (!readd)
		CHECK_EQ(ffp_endpoint_add(sp->proxy, 1), 0);
	/* No mark left over for the id's next VM: its request, preempted
	 * on the vCPU while VM 2 holds a record of it (stale: the SPMC
	 * forgot VM 2's request), is recorded as any, VM 2's dropped. With
	 * the mark the new VM had from the old one's run, its record was
	 * the one dropped: its FFA_RUN DENIED for good. */
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 2, FFA_MSG_SEND_DIRECT_REQ_64, 0x28001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	sp->spmc.parts[part_index(sp, 0x8001)].preempt.pending = false;
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 1, 0x8001,
		       FFA_VERSION_1_2);
	r = call(sp, 2, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	done(sp);
}

/* On CPU 1, while the host's old kernel's request is between its SMC and
 * its record: the host resets, the new kernel's run for cycles ends the
 * old request (the host marked late), and the new kernel's own request
 * is preempted on the vCPU and recorded. */
static void reset_cycles_newreq(struct simplat *sp)
{
	struct ffa_regs r;

	CHECK_EQ(ffp_host_reset(sp->proxy), 0);
	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	last_why = NULL;
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_ABORTED));
	CHECK(last_why && strstr(last_why, "not recorded yet"));
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 0, FFA_MSG_SEND_DIRECT_REQ_64, 0x8001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80010000u);
}

/* The old kernel's record, made after all that, is late (an orphan's):
 * the new kernel's request holds the vCPU. The mark is the old request's;
 * consumed by the new kernel's record, the old one was then made as an
 * orphan, dropped the new kernel's record (its FFA_RUN DENIED) and the
 * retry ran the new kernel's request, its response dropped. */
static void test_late_record_across_host_reset(void)
{
	struct simplat *sp = world(false, 16);
	struct ffp_endpoint_info info;
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	arm(sp, 0);
	race.other = reset_cycles_newreq;
	r = call(sp, 0, FFA_MSG_SEND_DIRECT_REQ_32, 0x8001);
	sp->ops.lock = race.lock;
	CHECK(race.ran);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 0, &info), 0);
	CHECK_EQ(info.preempted_orphans, 0u);
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 0, 0x8001,
		       FFA_VERSION_1_2);
	done(sp);
}

static void test_late_record_removed(void)
{
	late_record_removed(cycles_vm2_remove, 0);
	late_record_removed(cycles_vm2_remove, 1);
	late_record_removed(remove_cycles_vm2, 0);
	late_record_removed(remove_cycles_vm2, 1);
}

/* VM 1's removal (against the contract: a vCPU of it still in the call)
 * and the id's next add around the host's cycles run and VM 2's
 * preempted request, as `late_order` says: R remove, A add, C the cycles
 * run, V VM 2's request. */
static const char *late_order;

static void removal_around_cycles(struct simplat *sp)
{
	const char *o;
	struct ffa_regs r;

	for (o = late_order; *o; o++) {
		switch (*o) {
		case 'R':
			CHECK_EQ(ffp_endpoint_remove(sp->proxy, 1), 0);
			break;
		case 'A':
			CHECK_EQ(ffp_endpoint_add(sp->proxy, 1), 0);
			break;
		case 'C':
			last_why = NULL;
			r = call(sp, 0, FFA_RUN_32, 0x80010000u);
			CHECK(is_error(&r, FFA_ABORTED));
			CHECK(last_why && strstr(last_why, "not recorded yet"));
			break;
		case 'V':
			CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0,
					      0),
				 0);
			r = call(sp, 2, FFA_MSG_SEND_DIRECT_REQ_64, 0x28001);
			CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
			break;
		}
	}
}

/* As test_late_record_keeps_newer, with VM 1 removed during its request
 * and maybe the id given to a new VM: before the host's cycles run ends
 * the old VM's request (its response naming id 1, the mark is the id's:
 * the new endpoint's, or a removed one's), or after. The old VM's late
 * record is still late, though of a removed endpoint. Made as its
 * orphan, it dropped VM 2's newer record as stale (VM 2's FFA_RUN
 * DENIED) and ffp_vm_destroyed_retry (or the add) ran VM 2's request,
 * swallowing its response; a mark left on the new VM dropped that one's
 * next record of the vCPU. Late, it is not made and the mark is spent:
 * VM 2 resumes its own request, the retry has nothing to run, the new
 * VM's requests are recorded as any. */
static void test_late_record_of_removed(void)
{
	static const char *const orders[] = {
		"RACV", /* the add before the run: the new VM's mark */
		"RCV",  /* removed, the mark on a removed id */
		"RCVA", /* that mark outliving the add */
		"CRV",  /* marked while present, outliving the teardown */
	};
	struct simplat *sp;
	struct ffp_endpoint_info info;
	uint32_t runs;
	struct ffa_regs r;
	unsigned k;

	for (k = 0; k < sizeof(orders) / sizeof(orders[0]); k++) {
		sp = world(false, 16);
		call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
		call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
		call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
		CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
		arm(sp, 0);
		race.other = removal_around_cycles;
		late_order = orders[k];
		r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
		sp->ops.lock = race.lock;
		CHECK(race.ran);
		CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
		CHECK(last_why && strstr(last_why, "late preemption record"));
		CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
		CHECK_EQ(info.preempted_orphans, 0u);
		runs = sp->spmc.calls[FFA_FN_RUN];
		CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
		if (!strchr(orders[k], 'A'))
			CHECK_EQ(ffp_endpoint_add(sp->proxy, 1), 0);
		CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], runs);
		r = call(sp, 2, FFA_RUN_32, 0x80010000u);
		check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 2, 0x8001,
			       FFA_VERSION_1_2);
		CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], runs + 1);
		/* The new VM 1's request preempted while VM 2's record of the
		 * vCPU is stale (its request ended at the SPMC unseen):
		 * recorded, VM 2's dropped. */
		call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
		CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
		r = call(sp, 2, FFA_MSG_SEND_DIRECT_REQ_64, 0x28001);
		CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
		sp->spmc.parts[part_index(sp, 0x8001)].preempt.pending = false;
		CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
		last_why = NULL;
		r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
		CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
		CHECK(last_why && strstr(last_why, "stale preemption record"));
		r = call(sp, 2, FFA_RUN_32, 0x80010000u);
		CHECK(is_error(&r, FFA_DENIED));
		r = call(sp, 1, FFA_RUN_32, 0x80010000u);
		check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 1, 0x8001,
			       FFA_VERSION_1_2);
		done(sp);
	}
}

/* The host's cycles run's response, XORed (x[garble.reg] ^= garble.xor),
 * then VM 2's request preempted on the vCPU and recorded. */
static struct {
	uint32_t reg;
	uint64_t xor;
} garble;

static void garbled_cycles_then_vm2(struct simplat *sp)
{
	sp->spmc.reply_fn = FFA_FN_RUN;
	sp->spmc.reply_reg = garble.reg;
	sp->spmc.reply_xor = garble.xor;
	cycles_then_vm2(sp);
	sp->spmc.reply_fn = 0;
	sp->spmc.reply_xor = 0;
}

/* Which direct responses to the host's cycles run mark the request they
 * end late (mark_late): one naming the run's partition and a present
 * caller, not a framework response (DIRECT_RESP2 has no flags: its w2
 * bit 31 is no framework flag). VM 1's record after a response that
 * marks nobody is made as usual, VM 2's newer one dropped as stale (the
 * proxy cannot tell which is newer: test_late_record_keeps_newer); after
 * one that marks VM 1 it is not made. Marked by a response naming
 * another partition or a framework response, VM 1's record was dropped
 * for a request the partition never said ended; by a response naming an
 * id past the endpoints (id 16 here: max_endpoints, the bound's edge), a
 * mark was made for nobody, read p->eps past its table and (one mark per
 * endpoint then) was written past it, into the preemption records. No
 * mark is left after any case: the one VM 1's record spends, if any. */
static void test_late_mark_filter(void)
{
	static const struct {
		uint32_t req, reg;
		uint64_t xor;
		bool marks;
	} cases[] = {
		/* w1 names partition 0x8002, VM 1 */
		{ FFA_MSG_SEND_DIRECT_REQ_32, 1, 0x00030000u, false },
		/* w1 names partition 0x8001, id 0xffff; id 16, the first
		 * past the endpoints (ffp_config_default's 16) */
		{ FFA_MSG_SEND_DIRECT_REQ_32, 1, 0x0000fffeu, false },
		{ FFA_MSG_SEND_DIRECT_REQ_32, 1, 0x00000011u, false },
		/* a framework response naming VM 1 */
		{ FFA_MSG_SEND_DIRECT_REQ_32, 2, FFA_MSG_FLAG_FRAMEWORK, false },
		{ FFA_MSG_SEND_DIRECT_REQ2_64, 2, FFA_MSG_FLAG_FRAMEWORK, true },
	};
	struct simplat *sp;
	struct ffa_regs r;
	unsigned k, i;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		sp = world(false, 16);
		call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
		call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
		call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
		CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
		arm(sp, 0);
		race.other = garbled_cycles_then_vm2;
		garble.reg = cases[k].reg;
		garble.xor = cases[k].xor;
		r = call(sp, 1, cases[k].req, 0x18001);
		sp->ops.lock = race.lock;
		CHECK(race.ran);
		CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
		CHECK(last_why &&
		      strstr(last_why, cases[k].marks
					       ? "late preemption record"
					       : "stale preemption record"));
		CHECK_EQ(sp->proxy->late_used, 0u);
		for (i = 0; i < sp->proxy->late_slots; i++)
			CHECK_EQ(sp->proxy->lates[i].target, 0u);
		r = call(sp, 2, FFA_RUN_32, 0x80010000u);
		if (cases[k].marks)
			check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 2,
				       0x8001, FFA_VERSION_1_2);
		else
			CHECK(is_error(&r, FFA_DENIED));
		done(sp);
	}
}

/* One preemption slot per endpoint: VM 1's second preempted request goes
 * to a free slot outside its row, and VM 1 still resumes both (each
 * request's own response); nobody else may run either. Recorded in VM
 * 1's row alone, the second was DENIED to VM 1 too and its partition's
 * vCPU stayed preempted for good, BUSY to the host. */
static void test_spill(void)
{
	struct simplat *sp = world(false, 1);
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8002, 1, true, 0, 3), 0);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ2_64, 0x18002);
	CHECK_EQ(r.x[0], FFA_YIELD_32);
	CHECK_EQ(r.x[1], 0x80020003u);
	r = call(sp, 0, FFA_RUN_32, 0x80020003u);
	CHECK(is_error(&r, FFA_DENIED));
	r = call(sp, 2, FFA_RUN_32, 0x80020003u);
	CHECK(is_error(&r, FFA_DENIED));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 0u);
	r = call(sp, 1, FFA_RUN_32, 0x80020003u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ2_64, 1, 0x8002,
		       FFA_VERSION_1_2);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 1, 0x8001,
		       FFA_VERSION_1_2);
	/* Again, resumed in the other order: the record outside the row
	 * is still found once the row's own is gone. */
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8002, 1, false, 0, 1), 0);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_64, 0x18001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18002);
	CHECK_EQ(r.x[1], 0x80020001u);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 1, 0x8001,
		       FFA_VERSION_1_2);
	r = call(sp, 1, FFA_RUN_32, 0x80020001u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 1, 0x8002,
		       FFA_VERSION_1_2);
	r = call(sp, 1, FFA_RUN_32, 0x80020001u);
	CHECK(is_error(&r, FFA_DENIED));
	/* Both slots free again: the host's preemption is recorded. */
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8002, 1, false, 0, 0), 0);
	r = call(sp, 0, FFA_MSG_SEND_DIRECT_REQ_32, 0x8002);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	r = call(sp, 0, FFA_RUN_32, 0x80020000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 0, 0x8002,
		       FFA_VERSION_1_2);
	done(sp);
}

/* The removal's FFA_RUN refused from the wrong physical CPU
 * (INVALID_PARAMETERS, as TF-A's EL3 SPMC and Hafnium answer for a
 * multi-vCPU partition): the request stays the proxy's; each
 * ffp_vm_destroyed_retry resumes it once, counting it while it is
 * refused, until it ends. An answer saying there is nothing to resume
 * (DENIED) ends the record. */
static void test_orphan_retry(void)
{
	struct simplat *sp = world(false, 16);
	struct spmc_partition *part = &sp->spmc.parts[part_index(sp, 0x8001)];
	struct ffp_endpoint_info info;
	struct ffa_regs r;

	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_64, 0x18001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	simplat_fault(sp, SIMPLAT_OP_SMC, 1, FFA_INVALID_PARAMETERS);
	CHECK_EQ(simplat_vm_destroy(sp, 1), 0);
	CHECK(part->preempt.pending);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.preempted_orphans, 1u);
	CHECK_EQ(info.vm_destroyed_pending, 0u);
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	r = call(sp, 0, FFA_MSG_SEND_DIRECT_REQ_32, 0x8001);
	CHECK(is_error(&r, FFA_BUSY));
	simplat_fault(sp, SIMPLAT_OP_SMC, 1, FFA_INVALID_PARAMETERS);
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 1u);
	CHECK(part->preempt.pending);
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	CHECK(!part->preempt.pending);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.preempted_orphans, 0u);
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	r = call(sp, 0, FFA_MSG_SEND_DIRECT_REQ_32, 0x8001);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 0, 0x8001,
		       FFA_VERSION_1_2);

	/* Nothing to resume, says the SPMC: the record ends. */
	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 1, 0), 0);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(simplat_vm_destroy(sp, 1), 0); /* preempted again */
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.preempted_orphans, 1u);
	simplat_fault(sp, SIMPLAT_OP_SMC, 1, FFA_DENIED);
	last_why = NULL;
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	CHECK(last_why && strstr(last_why, "the SPMC's answer ends it"));
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.preempted_orphans, 0u);
	part->preempt.pending = false; /* as the SPMC said */
	done(sp);
}

/* A removed VM's request kept preempted ends at the SPMC unseen, and the
 * host's request is then preempted on that vCPU: the orphan is as stale
 * as a caller's record (dropped, logged), so the retry does not run the
 * host's request and swallow its response; the host's FFA_RUN gets it. */
static void test_orphan_stale(void)
{
	struct simplat *sp = world(false, 16);
	struct spmc_partition *part = &sp->spmc.parts[part_index(sp, 0x8001)];
	struct ffp_endpoint_info info;
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 1, 0), 0);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(simplat_vm_destroy(sp, 1), 0);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.preempted_orphans, 1u);
	part->preempt.pending = false; /* the SPMC forgets it */
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	last_why = NULL;
	r = call(sp, 0, FFA_MSG_SEND_DIRECT_REQ_32, 0x8001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK(last_why && strstr(last_why, "stale preemption record"));
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.preempted_orphans, 0u);
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 0, 0x8001,
		       FFA_VERSION_1_2);
	done(sp);
}

/*
 * VM 2 removed while its request is preempted at a partition subscribed
 * to VM_CREATED, the removal's FFA_RUN preempted again: the proxy's
 * orphan holds the partition's vCPU. Adding VM 1 (another id) sends
 * VM_CREATED there, which the SPMC answers BUSY while that vCPU is in
 * VM 2's request: the add must resume the orphan first, as it does one
 * of its own id. Resuming only the id's, every add of any other id
 * answered BUSY ("try again later", proxy.h) and no number of retried
 * adds changed that; only an ffp_vm_destroyed_retry the embedder had no
 * pending VM_DESTROYED to prompt it to call did.
 */
static void test_add_resumes_other_orphans(void)
{
	struct simplat *sp = world_of(1, 1,
				      FFA_PART_PROP_DIRECT_REQ_RECV |
					      FFA_PART_PROP_VM_CREATED,
				      false, 16);
	struct spmc_partition *part;
	struct ffp_endpoint_info info;
	struct ffa_regs r;

	part = &sp->spmc.parts[part_index(sp, 0x8001)];
	CHECK_EQ(simplat_vm_add(sp, 2, VM2_RAM, 1 << 20), 0);
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 1, 0), 0);
	r = call(sp, 2, FFA_MSG_SEND_DIRECT_REQ_32, 0x28001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(simplat_vm_destroy(sp, 2), 0);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	CHECK(part->preempt.pending);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 2, &info), 0);
	CHECK_EQ(info.preempted_orphans, 1u);
	CHECK_EQ(info.vm_destroyed_pending, 0u);

	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 2u);
	CHECK(!part->preempt.pending);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 2, &info), 0);
	CHECK_EQ(info.preempted_orphans, 0u);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK(info.present);
	CHECK_EQ(part->fw_log[part->fw_count - 1].type,
		 FFA_FRAMEWORK_VM_CREATED_REQ);
	CHECK_EQ(part->fw_log[part->fw_count - 1].vm, 1u);
	CHECK_EQ(part->fw_log[part->fw_count - 1].result, 0);
	/* VM 1 cannot run what was VM 2's; the host is served again. */
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	r = call(sp, 0, FFA_MSG_SEND_DIRECT_REQ_32, 0x8001);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 0, 0x8001,
		       FFA_VERSION_1_2);
	done(sp);
}

/* Two preempted requests of one caller to two partitions, resumed in the
 * other order; FEATURES(FFA_RUN) at each version; the table's memory and
 * its bound. */
static void test_run_config(void)
{
	struct simplat *sp = world(false, 16);
	struct ffp_config cfg;
	struct ffa_regs r;
	size_t base;
	unsigned v;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_0);
	r = call(sp, 0, FFA_FEATURES_32, FFA_RUN_32);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(sp, 0, FFA_FEATURES_32, FFA_ID_64(FFA_FN_RUN));
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8002, 1, true, 0, 0), 0);
	r = call(sp, 0, FFA_MSG_SEND_DIRECT_REQ_32, 0x8001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	r = call(sp, 0, FFA_MSG_SEND_DIRECT_REQ_64, 0x8002);
	CHECK_EQ(r.x[0], FFA_YIELD_32);
	r = call(sp, 0, FFA_RUN_32, 0x80020000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 0, 0x8002,
		       FFA_VERSION_1_0);
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 0, 0x8001,
		       FFA_VERSION_1_0);
	for (v = 1; v < 3; v++) {
		call(sp, (uint16_t)v, FFA_VERSION_32, FFA_MAKE_VERSION(1, v));
		r = call(sp, (uint16_t)v, FFA_FEATURES_32, FFA_RUN_32);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	}
	done(sp);

	ffp_config_default(&cfg);
	CHECK_EQ(cfg.max_preempted, 16u);
	cfg.buffers.tx = cfg.buffers.rx = &cfg;
	cfg.buffers.pages = 1;
	cfg.max_preempted = 0;
	base = ffp_instance_size(&cfg);
	CHECK(base != 0);
	cfg.max_preempted = 1024;
	CHECK(ffp_instance_size(&cfg) >=
	      base + 1024u * cfg.max_endpoints * 16u);
	cfg.max_preempted = 1025;
	CHECK_EQ(ffp_instance_size(&cfg), 0u);
}

/*
 * The host's FFA_RUN for cycles out at the SPMC while, on another CPU,
 * the proxy's own VM_DESTROYED is preempted on that vCPU (recorded after
 * the host's run found nothing held): the run resumes the message and
 * brings its framework response, naming the hypervisor. Not passed to
 * the host (no direct response ever is from a cycles run): ABORTED,
 * logged, x1..x7 zero. The message ended at the partition; the proxy's
 * retry finds the vCPU waiting, and the id is free again.
 */
static struct {
	struct simplat *sp;
	void (*smc)(void *ctx, struct ffa_regs *regs);
	bool armed, ran;
} cyc;

/* The host's FFA_RUN of 0x8001's vCPU 0 with `smc` in the platform's
 * place for it, which runs another CPU's action at the run's SMC. */
static struct ffa_regs host_run_racing(struct simplat *sp,
				       void (*smc)(void *, struct ffa_regs *))
{
	struct ffa_regs r;

	memset(&cyc, 0, sizeof(cyc));
	cyc.sp = sp;
	cyc.smc = sp->ops.smc;
	cyc.armed = true;
	sp->ops.smc = smc;
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	sp->ops.smc = cyc.smc;
	CHECK(cyc.ran);
	return r;
}

static void cycles_smc(void *ctx, struct ffa_regs *regs)
{
	struct simplat *sp = cyc.sp;

	if (cyc.armed && sp->cpu == 0 && (uint32_t)regs->x[0] == FFA_RUN_32) {
		cyc.armed = false;
		sp->cpu = 1;
		CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001,
					    SPMC_FW_INTERRUPT, 0, 1),
			 0);
		CHECK_EQ(simplat_vm_destroy(sp, 1), 0);
		sp->cpu = 0;
		cyc.ran = true;
	}
	cyc.smc(ctx, regs);
}

static void test_cycles_race_vmavail(void)
{
	struct simplat *sp = world_of(1, 4, SUBSCRIBED, false, 16);
	struct ffp_endpoint_info info;
	struct spmc_partition *part;
	struct ffa_regs r;
	unsigned i;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	part = &sp->spmc.parts[part_index(sp, 0x8001)];
	CHECK_EQ(part->fw_count, 1u);

	last_why = NULL;
	r = host_run_racing(sp, cycles_smc);
	CHECK(is_error(&r, FFA_ABORTED));
	CHECK_EQ(r.x[1], 0u);
	for (i = 3; i < 8; i++)
		CHECK_EQ(r.x[i], 0u);
	CHECK(last_why && strstr(last_why, "resumed a request not recorded"));
	/* The partition got VM_DESTROYED to its end. */
	CHECK_EQ(part->fw_count, 2u);
	CHECK_EQ(part->fw_log[1].type, FFA_FRAMEWORK_VM_DESTROYED_REQ);
	CHECK_EQ(part->fw_log[1].result, 0);
	CHECK(!part->preempt.pending);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);

	/* The proxy's record: the retry's FFA_RUN finds the vCPU waiting,
	 * the message is over; the id is free again. */
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.vm_destroyed_pending, 1u);
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 2u);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.vm_destroyed_pending, 0u);
	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	CHECK_EQ(part->fw_count, 3u);
	CHECK_EQ(part->fw_log[2].type, FFA_FRAMEWORK_VM_CREATED_REQ);
	/* Nothing held: the host's run gives cycles. */
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	CHECK_EQ(r.x[0], FFA_MSG_WAIT_32);
	for (i = 1; i < 8; i++)
		CHECK_EQ(r.x[i], 0u);
	done(sp);
}

/*
 * The same window with the proxy's VM_CREATED: on CPU 1 the add of VM 1
 * finds it preempted twice (the add fails, the message stays the
 * proxy's), then the host's run for cycles resumes it and the partition
 * accepts the VM; the response is dropped (ABORTED). The proxy's resume
 * then finds the vCPU waiting: the message ended unseen, its outcome
 * unknown, as for a record dropped stale (ffp_vmavail_stale): the
 * partition may believe in VM 1 and is owed VM_DESTROYED, or it keeps
 * the VM for good (OP-TEE's virt_guest_created allocates a guest
 * partition that only virt_guest_destroyed frees; the next add of the id
 * would make a second one).
 */
static void created_smc(void *ctx, struct ffa_regs *regs)
{
	struct simplat *sp = cyc.sp;

	if (cyc.armed && sp->cpu == 0 && (uint32_t)regs->x[0] == FFA_RUN_32) {
		cyc.armed = false;
		sp->cpu = 1;
		CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001,
					    SPMC_FW_INTERRUPT, 0, 2),
			 0);
		CHECK(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20) != 0);
		sp->cpu = 0;
		cyc.ran = true;
	}
	cyc.smc(ctx, regs);
}

static void test_cycles_race_vmavail_created(void)
{
	struct simplat *sp = world_of(1, 4, SUBSCRIBED, false, 16);
	struct ffp_endpoint_info info;
	struct spmc_partition *part;
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	part = &sp->spmc.parts[part_index(sp, 0x8001)];
	r = host_run_racing(sp, created_smc);
	CHECK(is_error(&r, FFA_ABORTED));
	/* The partition accepted VM 1. */
	CHECK_EQ(part->fw_count, 1u);
	CHECK_EQ(part->fw_log[0].type, FFA_FRAMEWORK_VM_CREATED_REQ);
	CHECK_EQ(part->fw_log[0].result, 0);
	CHECK(!part->preempt.pending);
	/* The retry finds the vCPU waiting and tells the partition the VM
	 * is gone. */
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	CHECK_EQ(part->fw_count, 2u);
	CHECK_EQ(part->fw_log[1].type, FFA_FRAMEWORK_VM_DESTROYED_REQ);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.vm_destroyed_pending, 0u);
	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	CHECK_EQ(part->fw_count, 3u);
	CHECK_EQ(part->fw_log[2].type, FFA_FRAMEWORK_VM_CREATED_REQ);
	done(sp);
}

/*
 * The same window at an SPMC that answers an FFA_RUN of a vCPU with
 * nothing to resume DENIED (Hafnium's "nothing to run", as resume_once
 * reads it; 'spmc idle-run denied'): the proxy's resume of the message
 * the host's run ended gets DENIED. Kept as still preempted, every retry
 * would run it again and get DENIED, the id never free again (an add
 * BUSY for good) and the host's runs of the vCPU DENIED for good.
 */
static void test_cycles_race_vmavail_denied(void)
{
	struct simplat *sp = world_of(1, 4, SUBSCRIBED, false, 16);
	struct ffp_endpoint_info info;
	struct spmc_partition *part;
	struct ffa_regs r;

	sp->spmc.idle_run_denied = true;
	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	part = &sp->spmc.parts[part_index(sp, 0x8001)];
	r = host_run_racing(sp, created_smc);
	CHECK(is_error(&r, FFA_ABORTED));
	CHECK_EQ(part->fw_count, 1u);
	CHECK_EQ(part->fw_log[0].result, 0);
	/* The retry ends the record and tells the partition. */
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK_EQ(info.vm_destroyed_pending, 0u);
	CHECK_EQ(part->fw_count, 2u);
	CHECK_EQ(part->fw_log[1].type, FFA_FRAMEWORK_VM_DESTROYED_REQ);
	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED)); /* the SPMC's: nothing to run */
	CHECK(last_why && strstr(last_why, "SPMC refused the host's"));
	done(sp);
}

/*
 * A VM's request ended unseen at an SPMC that answers an FFA_RUN with
 * nothing to resume DENIED ('spmc idle-run denied'): the host's run for
 * cycles, past its check, resumes VM 1's request preempted and recorded
 * meanwhile on CPU 1, and drops its response. VM 1's FFA_RUN of its
 * record then gets the SPMC's DENIED: nothing is left to resume, as
 * resume_once reads it. Kept, the record is a vCPU nobody can give
 * cycles any more: VM 1's every run DENIED by the SPMC, the host's
 * DENIED by the proxy (held), until VM 1 is removed.
 */
static void vm1_preempted_smc(void *ctx, struct ffa_regs *regs)
{
	struct simplat *sp = cyc.sp;
	struct ffa_regs r;

	if (cyc.armed && sp->cpu == 0 && (uint32_t)regs->x[0] == FFA_RUN_32) {
		cyc.armed = false;
		sp->cpu = 1;
		CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
		r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
		CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
		sp->cpu = 0;
		cyc.ran = true;
	}
	cyc.smc(ctx, regs);
}

static void test_cycles_race_record_denied(void)
{
	struct simplat *sp = world(false, 16);
	struct ffa_regs r;
	uint32_t runs;

	sp->spmc.idle_run_denied = true;
	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	r = host_run_racing(sp, vm1_preempted_smc);
	CHECK(is_error(&r, FFA_ABORTED));
	/* VM 1's run: the SPMC's DENIED, the record over. */
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	runs = sp->spmc.calls[FFA_FN_RUN];
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], runs); /* the proxy's DENIED */
	/* The host's run reaches the SPMC again. */
	runs = sp->spmc.calls[FFA_FN_RUN];
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], runs + 1);
	/* The response dropped was of a request recorded by then: no late
	 * mark. Marked, VM 1's next record of the vCPU, VM 2's record of
	 * it stale (its request ended at the SPMC unseen), was not made. */
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 2, FFA_MSG_SEND_DIRECT_REQ_64, 0x28001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	sp->spmc.parts[part_index(sp, 0x8001)].preempt.pending = false;
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	last_why = NULL;
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK(last_why && strstr(last_why, "stale preemption record"));
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 1, 0x8001,
		       FFA_VERSION_1_2);
	done(sp);
}

/* The host's FFA_RUN for cycles while the proxy's VM_DESTROYED is at the
 * partition (its worker holds the id's messages privately until it
 * settles; one preempted now would be run): BUSY, no SMC of its own.
 * Once the message is preempted and settled: DENIED; once the retry
 * ends it: cycles. */
static struct ffa_regs busy_run;
static const char *busy_why;
static uint32_t busy_target = 0x80010000u;

static void busy_smc(void *ctx, struct ffa_regs *regs)
{
	struct simplat *sp = cyc.sp;

	if (cyc.armed && sp->cpu == 0 &&
	    (uint32_t)regs->x[0] == FFA_MSG_SEND_DIRECT_REQ_32) {
		cyc.armed = false;
		sp->cpu = 1;
		last_why = NULL;
		busy_run = call(sp, 0, FFA_RUN_32, busy_target);
		busy_why = last_why;
		sp->cpu = 0;
		cyc.ran = true;
	}
	cyc.smc(ctx, regs);
}

static void test_cycles_busy_vmavail(void)
{
	struct simplat *sp = world_of(1, 4, SUBSCRIBED, false, 16);
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001, SPMC_FW_INTERRUPT, 0, 1),
		 0);
	memset(&cyc, 0, sizeof(cyc));
	cyc.sp = sp;
	cyc.smc = sp->ops.smc;
	cyc.armed = true;
	sp->ops.smc = busy_smc;
	last_why = NULL;
	CHECK_EQ(simplat_vm_destroy(sp, 1), 0);
	sp->ops.smc = cyc.smc;
	CHECK(cyc.ran);
	CHECK(is_error(&busy_run, FFA_BUSY));
	CHECK(busy_why && strstr(busy_why, "while the proxy messages"));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 0u);
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 0u);
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	CHECK_EQ(r.x[0], FFA_MSG_WAIT_32);
	done(sp);
}

/* The host's FFA_RUN for cycles of a partition the proxy does not message
 * (no VM availability subscriber) while its VM_DESTROYED is at another:
 * not held, the cycles run (only a subscriber's vCPU could go on with
 * the proxy's message). */
static void test_cycles_busy_other_partition(void)
{
	struct simplat *sp = calloc(1, sizeof(*sp));
	struct simplat_config cfg;
	const char *why = NULL;

	simplat_config_default(&cfg);
	cfg.host_ram[0].base = RAM;
	cfg.host_ram[0].size = 1 << 20;
	cfg.host_ram_count = 1;
	cfg.parts[0].id = 0x8001;
	cfg.parts[0].exec_ctx = 4;
	cfg.parts[0].props = SUBSCRIBED;
	cfg.parts[1].id = 0x8002;
	cfg.parts[1].exec_ctx = 4;
	cfg.parts[1].props = FFA_PART_PROP_DIRECT_REQ_RECV;
	cfg.part_count = 2;
	cfg.proxy.max_preempted = 16;
	CHECK(sp != NULL);
	CHECK_EQ(simplat_init(sp, &cfg, &hooks, &why), 0);
	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	memset(&cyc, 0, sizeof(cyc));
	cyc.sp = sp;
	cyc.smc = sp->ops.smc;
	cyc.armed = true;
	busy_target = 0x80020000u;
	sp->ops.smc = busy_smc;
	CHECK_EQ(simplat_vm_destroy(sp, 1), 0);
	sp->ops.smc = cyc.smc;
	busy_target = 0x80010000u;
	CHECK(cyc.ran);
	CHECK_EQ(busy_run.x[0], FFA_MSG_WAIT_32);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	done(sp);
}

/* One of the busy_smc races: the host's cycles run of `target` from CPU
 * 1 just before the first framework message of `work` (a destroy of VM 1
 * or a retry) reaches the SPMC. */
static void cycles_during(struct simplat *sp, uint32_t target, bool retry)
{
	memset(&cyc, 0, sizeof(cyc));
	cyc.sp = sp;
	cyc.smc = sp->ops.smc;
	cyc.armed = true;
	busy_target = target;
	busy_why = NULL;
	sp->ops.smc = busy_smc;
	if (retry)
		(void)ffp_vm_destroyed_retry(sp->proxy);
	else
		CHECK_EQ(simplat_vm_destroy(sp, 1), 0);
	sp->ops.smc = cyc.smc;
	busy_target = 0x80010000u;
	CHECK(cyc.ran);
}

/* Two subscribed partitions: a worker holds the host's cycles run BUSY
 * only for the partitions it messages. VM 1's removal tells 0x8001
 * alone (0x8002 subscribes to VM_CREATED only): a run of 0x8002's vCPU
 * meanwhile gives cycles, one of 0x8001's is BUSY. Then a retry of VM
 * 2's VM_DESTROYED pending at 0x8002 alone: the converse. */
static void test_cycles_busy_per_partition(void)
{
	struct simplat *sp = world_of(2, 4, SUBSCRIBED, false, 16);
	uint32_t runs;

	sp->spmc.parts[part_index(sp, 0x8002)].props =
		FFA_PART_PROP_DIRECT_REQ_RECV | FFA_PART_PROP_VM_CREATED;
	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	cycles_during(sp, 0x80020000u, false);
	CHECK_EQ(busy_run.x[0], FFA_MSG_WAIT_32);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	CHECK_EQ(simplat_vm_add(sp, 1, VM1_RAM, 1 << 20), 0);
	cycles_during(sp, 0x80010000u, false);
	CHECK(is_error(&busy_run, FFA_BUSY));
	CHECK(busy_why && strstr(busy_why, "while the proxy messages"));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 1u);
	done(sp);

	sp = world_of(2, 4, SUBSCRIBED, false, 16);
	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_vm_add(sp, 2, VM2_RAM, 1 << 20), 0);
	CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8002, SPMC_FW_STATUS,
				    FFA_RETRY, 2),
		 0);
	CHECK_EQ(simplat_vm_destroy(sp, 2), 0);
	runs = sp->spmc.calls[FFA_FN_RUN];
	cycles_during(sp, 0x80010000u, true);
	CHECK_EQ(busy_run.x[0], FFA_MSG_WAIT_32);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], runs + 1);
	cycles_during(sp, 0x80020000u, true);
	CHECK(is_error(&busy_run, FFA_BUSY));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], runs + 1);
	done(sp);
}

/*
 * The host's run for cycles passes its check before VM 3's add begins
 * (no worker busy then), and reaches the SPMC once the add's VM_CREATED
 * is preempted (recorded as the proxy's): it ends the message, the
 * framework response dropped. VM 2's request is then preempted on the
 * vCPU and recorded, which marks the add's record stale
 * (ffp_vmavail_stale), before the add's undo resumes the VM_CREATED. The
 * undo must not resume it: its FFA_RUN
 * ran VM 2's request and dropped VM 2's response as a broken framework
 * answer (VM 2's own FFA_RUN then found the vCPU waiting: ABORTED). As
 * any stale record, it is dropped unrun, the outcome unknown (VM_DESTROYED
 * owed, sent once the vCPU is free); VM 2 gets its response.
 */
#define VM3_RAM 0x92000000ull
static struct {
	struct ffa_regs *host; /* the host's run, its SMC not made yet */
	void *ctx;
	bool created; /* the add's VM_CREATED came back preempted */
	bool host_done;
	unsigned locks, at;
	void (*lock)(void *ctx, enum ffp_lock which);
	int add;
} wl;

/* On CPU 0, once the add's record of its VM_CREATED is made: the host's
 * run reaches the SPMC, then VM 2's request is preempted. */
static void worker_window(struct simplat *sp)
{
	struct ffa_regs r;

	wl.host_done = true;
	sp->cpu = 0;
	cyc.smc(wl.ctx, wl.host);
	CHECK_EQ(wl.host->x[0], FFA_MSG_SEND_DIRECT_RESP_32);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 2, FFA_MSG_SEND_DIRECT_REQ_64, 0x28001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80010000u);
	sp->cpu = 1;
}

/* CPU 1's STATE section `wl.at` after its VM_CREATED came back: 1 the
 * one recording the preemption (msg_answer), 2 the next; or else its
 * FFA_RUN resuming it. */
static void worker_lock(void *ctx, enum ffp_lock which)
{
	struct simplat *sp = cyc.sp;

	if (wl.created && !wl.host_done && sp->cpu == 1 &&
	    which == FFP_LOCK_STATE && ++wl.locks == wl.at)
		worker_window(sp);
	wl.lock(ctx, which);
}

static void worker_stale_smc(void *ctx, struct ffa_regs *regs)
{
	struct simplat *sp = cyc.sp;

	if (cyc.armed && sp->cpu == 0 && (uint32_t)regs->x[0] == FFA_RUN_32) {
		/* CPU 0: the host's run, past its check. CPU 1: VM 3's add. */
		cyc.armed = false;
		wl.host = regs;
		wl.ctx = ctx;
		wl.lock = sp->ops.lock;
		sp->ops.lock = worker_lock;
		sp->cpu = 1;
		CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001,
					    SPMC_FW_INTERRUPT, 0, 1),
			 0);
		wl.add = ffp_endpoint_add(sp->proxy, 3);
		sp->ops.lock = wl.lock;
		sp->cpu = 0;
		cyc.ran = true;
		if (wl.host_done)
			return; /* made in the window */
	} else if (wl.created && !wl.host_done && sp->cpu == 1 &&
		   (uint32_t)regs->x[0] == FFA_RUN_32) {
		worker_window(sp);
	}
	cyc.smc(ctx, regs);
	if (sp->cpu == 1 && (uint32_t)regs->x[0] == FFA_INTERRUPT_32)
		wl.created = true;
}

/* On another CPU, the host's FFA_RUN of 0x8001's vCPU 0 for cycles that
 * resumes a request not recorded yet: its response dropped, ABORTED. */
static void host_run_dropped(struct simplat *sp)
{
	struct ffa_regs r;

	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_RUN_32;
	r.x[1] = 0x80010000u;
	CHECK(simplat_call(sp, 0, &r));
	CHECK(is_error(&r, FFA_ABORTED));
}

/* The partition took VM 3 (its VM_CREATED's response dropped by the
 * host's run, the add failed): the retry tells it VM 3 is gone, and the
 * id is free again. */
static void retry_tells_vm3_gone(struct simplat *sp)
{
	const struct spmc_partition *part =
		&sp->spmc.parts[part_index(sp, 0x8001)];

	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	CHECK_EQ(part->fw_log[part->fw_count - 1].type,
		 FFA_FRAMEWORK_VM_DESTROYED_REQ);
	CHECK_EQ(part->fw_log[part->fw_count - 1].vm, 3u);
	CHECK_EQ(part->fw_log[part->fw_count - 1].result, 0);
	CHECK_EQ(simplat_vm_add(sp, 3, VM3_RAM, 1 << 20), 0);
	done(sp);
}

static void cycles_race_worker(unsigned at)
{
	struct simplat *sp = world_of(1, 4, SUBSCRIBED, false, 16);
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_vm_add(sp, 2, VM2_RAM, 1 << 20), 0);
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	memset(&wl, 0, sizeof(wl));
	wl.at = at;
	r = host_run_racing(sp, worker_stale_smc);
	CHECK(wl.host_done);
	CHECK(is_error(&r, FFA_ABORTED));
	CHECK(wl.add != 0);
	/* VM 2's request is VM 2's to resume. */
	r = call(sp, 2, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 2, 0x8001,
		       FFA_VERSION_1_2);
	retry_tells_vm3_gone(sp);
}

static void test_cycles_race_worker_stale(void)
{
	cycles_race_worker(2);
}

/* The threaded races below order their threads by a stage number: wait
 * until `*stage` reaches `want` (at most 5 s), or set it. */
static void stage_wait(int *stage, int want)
{
	const struct timespec ts = { 0, 100000 };
	unsigned i;

	for (i = 0; i < 50000 && __atomic_load_n(stage, __ATOMIC_ACQUIRE) < want;
	     i++)
		nanosleep(&ts, NULL);
	CHECK(__atomic_load_n(stage, __ATOMIC_ACQUIRE) >= want);
}

static void stage_set(int *stage, int value)
{
	__atomic_store_n(stage, value, __ATOMIC_RELEASE);
}

/*
 * The same race with VM 2's request preempted and recorded before the
 * add records its VM_CREATED's preemption, the host's run over by then
 * (its response dropped): that record is late, as a caller's can be
 * (mark_late), its message over. Made as a new preemption, it dropped VM
 * 2's record as stale (VM 2's FFA_RUN DENIED), and the add's undo then
 * ran VM 2's request and dropped its response. Late, it is not made and
 * drops nothing: the message ended unseen, its outcome unknown
 * (VM_DESTROYED owed); VM 2 gets its response. Three threads (the host's
 * run, the add, VM 2), ordered at their SMCs.
 */
static struct {
	struct simplat *sp;
	void (*smc)(void *ctx, struct ffa_regs *regs);
	pthread_t host, add;
	int stage; /* 1 host's run past its check, 2 VM_CREATED preempted,
		    * 3 the host's run over, 4 VM 2's request recorded */
	int add_status;
} thr;

static void thr_smc(void *ctx, struct ffa_regs *regs)
{
	const bool host = pthread_equal(pthread_self(), thr.host);
	const bool add = pthread_equal(pthread_self(), thr.add);

	if (host && (uint32_t)regs->x[0] == FFA_RUN_32) {
		stage_set(&thr.stage, 1);
		stage_wait(&thr.stage, 2);
		thr.smc(ctx, regs);
		CHECK_EQ(regs->x[0], FFA_MSG_SEND_DIRECT_RESP_32);
		return;
	}
	thr.smc(ctx, regs);
	if (add && (uint32_t)regs->x[0] == FFA_INTERRUPT_32) {
		stage_set(&thr.stage, 2);
		stage_wait(&thr.stage, 4);
	}
}

static void *thr_host(void *arg)
{
	(void)arg;
	host_run_dropped(thr.sp);
	stage_set(&thr.stage, 3);
	return NULL;
}

static void *thr_add(void *arg)
{
	(void)arg;
	thr.add_status = ffp_endpoint_add(thr.sp->proxy, 3);
	return NULL;
}

static void test_cycles_race_worker_late(void)
{
	struct simplat *sp = world_of(1, 4, SUBSCRIBED, false, 16);
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_vm_add(sp, 2, VM2_RAM, 1 << 20), 0);
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_threaded(sp), 0);
	memset(&thr, 0, sizeof(thr));
	thr.sp = sp;
	thr.smc = sp->ops.smc;
	thr.add = pthread_self(); /* not the add's until it starts */
	sp->ops.smc = thr_smc;
	CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001, SPMC_FW_INTERRUPT, 0,
				    1),
		 0);
	CHECK_EQ(pthread_create(&thr.host, NULL, thr_host, NULL), 0);
	stage_wait(&thr.stage, 1);
	CHECK_EQ(pthread_create(&thr.add, NULL, thr_add, NULL), 0);
	stage_wait(&thr.stage, 3);
	simplat_world_lock(sp);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	simplat_world_unlock(sp);
	r = call(sp, 2, FFA_MSG_SEND_DIRECT_REQ_64, 0x28001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80010000u);
	stage_set(&thr.stage, 4);
	CHECK_EQ(pthread_join(thr.add, NULL), 0);
	CHECK_EQ(pthread_join(thr.host, NULL), 0);
	sp->ops.smc = thr.smc;
	CHECK(thr.add_status != 0);
	r = call(sp, 2, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 2, 0x8001,
		       FFA_VERSION_1_2);
	retry_tells_vm3_gone(sp);
}

/*
 * The same race with nobody's request on the vCPU by the add's record:
 * late (its worker's mark), but no newer request holds the vCPU, so it
 * is made as any (as a caller's, test_late_record_alone): the add answers
 * INTERRUPTED, not ABORTED, and resumes its VM_CREATED (one FFA_RUN),
 * finding the vCPU waiting: the message ended unseen. VM 3 told gone at
 * the retry.
 */
static void test_cycles_race_worker_late_alone(void)
{
	struct simplat *sp = world_of(1, 4, SUBSCRIBED, false, 16);
	unsigned runs;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_threaded(sp), 0);
	memset(&thr, 0, sizeof(thr));
	thr.sp = sp;
	thr.smc = sp->ops.smc;
	thr.add = pthread_self(); /* not the add's until it starts */
	sp->ops.smc = thr_smc;
	CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001, SPMC_FW_INTERRUPT, 0,
				    1),
		 0);
	CHECK_EQ(pthread_create(&thr.host, NULL, thr_host, NULL), 0);
	stage_wait(&thr.stage, 1);
	runs = sp->spmc.calls[FFA_FN_RUN];
	CHECK_EQ(pthread_create(&thr.add, NULL, thr_add, NULL), 0);
	stage_wait(&thr.stage, 3);
	stage_set(&thr.stage, 4);
	CHECK_EQ(pthread_join(thr.add, NULL), 0);
	CHECK_EQ(pthread_join(thr.host, NULL), 0);
	sp->ops.smc = thr.smc;
	/* INTERRUPTED (proxy.h: ABORTED only with another request in the
	 * vCPU); the host's run and the add's undo's resume. */
	CHECK_EQ(thr.add_status, FFA_INTERRUPTED);
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN] - runs, 2u);
	CHECK_EQ(sp->proxy->late_used, 0u);
	retry_tells_vm3_gone(sp);
}

/*
 * The same race with another worker's message in VM 2's place: a retry
 * of VM 2's pending VM_DESTROYED, preempted on the vCPU and recorded
 * while the retry is still at work (its record not yet written back, so
 * ffp_vmavail_run_check answers BUSY, not DENIED). The add's late record
 * of its VM_CREATED (the host's run ended it: the partition took VM 3,
 * its response dropped) was then made as a new preemption: it marked the
 * retry's record stale (dropped at its settling, VM_DESTROYED(2) sent
 * twice), and the add's undo resumed it, ran VM_DESTROYED(2), read that
 * response as a broken answer to VM_CREATED(3) (ABORTED) and never told
 * the partition VM 3 was gone: the next VM 3's VM_CREATED reached a
 * partition that still believed in the old one. The retry's record,
 * made since the add began, marked the add's message stale
 * (ffp_vmavail_stale): the vCPU is in a newer request, as for a record
 * in the table, so the late record is not made; the message ended
 * unseen (VM_DESTROYED(3) owed). Threads: the host's run, the add, the
 * retry; ordered at their SMCs and the retry's STATE locks.
 */
static struct {
	struct simplat *sp;
	void (*smc)(void *ctx, struct ffa_regs *regs);
	void (*lock)(void *ctx, enum ffp_lock which);
	pthread_t host, add, retry;
	int stage; /* 1 host's run past its check, 2 VM_CREATED preempted,
		    * 3 the host's run over, 4 VM_DESTROYED(2) recorded,
		    * 5 the add over */
	unsigned locks; /* the retry's STATE locks since its preemption */
	bool preempted;
	int add_status;
	uint32_t left;
} two;

static void two_smc(void *ctx, struct ffa_regs *regs)
{
	const bool host = pthread_equal(pthread_self(), two.host);
	const bool add = pthread_equal(pthread_self(), two.add);
	const bool retry = pthread_equal(pthread_self(), two.retry);

	if (host && (uint32_t)regs->x[0] == FFA_RUN_32) {
		stage_set(&two.stage, 1);
		stage_wait(&two.stage, 2);
		two.smc(ctx, regs);
		CHECK_EQ(regs->x[0], FFA_MSG_SEND_DIRECT_RESP_32);
		return;
	}
	two.smc(ctx, regs);
	if (add && (uint32_t)regs->x[0] == FFA_INTERRUPT_32 &&
	    two.stage < 2) {
		stage_set(&two.stage, 2);
		stage_wait(&two.stage, 4);
	}
	if (retry && (uint32_t)regs->x[0] == FFA_INTERRUPT_32)
		two.preempted = true;
}

/* The retry's second STATE section after its VM_DESTROYED came back
 * preempted (the first records it): its settling waits for the add. */
static void two_lock(void *ctx, enum ffp_lock which)
{
	if (which == FFP_LOCK_STATE && two.preempted &&
	    pthread_equal(pthread_self(), two.retry) && ++two.locks == 2) {
		stage_set(&two.stage, 4);
		stage_wait(&two.stage, 5);
	}
	two.lock(ctx, which);
}

static void *two_host(void *arg)
{
	(void)arg;
	host_run_dropped(two.sp);
	stage_set(&two.stage, 3);
	return NULL;
}

static void *two_add(void *arg)
{
	(void)arg;
	two.add_status = ffp_endpoint_add(two.sp->proxy, 3);
	stage_set(&two.stage, 5);
	return NULL;
}

static void *two_retry(void *arg)
{
	(void)arg;
	two.left = ffp_vm_destroyed_retry(two.sp->proxy);
	return NULL;
}

/* The simulator's world rules hold (sim/invariant.c), with the broken
 * one's reason printed. */
static void check_world_holds(struct simplat *sp)
{
	struct inv iv;

	inv_init(&iv, sp);
	if (inv_check_world(&iv))
		printf("  %s\n", iv.why);
	CHECK(!iv.why[0]);
	inv_fini(&iv);
}

/* After a two-worker race whose add of VM 3 failed: everything owed is
 * told once the vCPU is free, W6 holds (what the partition was told
 * matches the VMs there are), and the partition, which took VM 3 (the
 * response the host's run dropped), is told VM 3 is gone; then VM 3 can
 * be added again. */
static void check_vm3_told_gone(struct simplat *sp)
{
	const struct spmc_partition *part =
		&sp->spmc.parts[part_index(sp, 0x8001)];
	uint32_t i, created = 0, destroyed = 0;

	for (i = 0; i < 4 && ffp_vm_destroyed_retry(sp->proxy); i++)
		;
	CHECK_EQ(ffp_vm_destroyed_retry(sp->proxy), 0u);
	check_world_holds(sp);
	for (i = 0; i < part->fw_count && i < SPMC_FW_LOG; i++) {
		if (part->fw_log[i].vm != 3 || part->fw_log[i].result)
			continue;
		if (part->fw_log[i].type == FFA_FRAMEWORK_VM_CREATED_REQ)
			created++;
		else
			destroyed++;
	}
	CHECK_EQ(created, 1u);
	CHECK_EQ(destroyed, 1u);
	CHECK_EQ(simplat_vm_add(sp, 3, VM3_RAM, 1 << 20), 0);
	done(sp);
}

static void test_cycles_race_two_workers(void)
{
	struct simplat *sp = world_of(1, 4, SUBSCRIBED, false, 16);

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	/* VM 2 added and removed, its VM_DESTROYED pending (RETRY). */
	CHECK_EQ(simplat_vm_add(sp, 2, VM2_RAM, 1 << 20), 0);
	CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001, SPMC_FW_STATUS,
				    FFA_RETRY, 1),
		 0);
	CHECK_EQ(simplat_vm_destroy(sp, 2), 0);
	CHECK_EQ(simplat_threaded(sp), 0);
	memset(&two, 0, sizeof(two));
	two.sp = sp;
	two.smc = sp->ops.smc;
	two.lock = sp->ops.lock;
	two.host = two.add = two.retry = pthread_self();
	sp->ops.smc = two_smc;
	sp->ops.lock = two_lock;
	CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001, SPMC_FW_INTERRUPT, 0,
				    1),
		 0);
	CHECK_EQ(pthread_create(&two.host, NULL, two_host, NULL), 0);
	stage_wait(&two.stage, 1);
	CHECK_EQ(pthread_create(&two.add, NULL, two_add, NULL), 0);
	stage_wait(&two.stage, 3);
	CHECK_EQ(pthread_join(two.host, NULL), 0);
	simplat_world_lock(sp);
	CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001, SPMC_FW_INTERRUPT, 0,
				    1),
		 0);
	simplat_world_unlock(sp);
	CHECK_EQ(pthread_create(&two.retry, NULL, two_retry, NULL), 0);
	CHECK_EQ(pthread_join(two.add, NULL), 0);
	CHECK_EQ(pthread_join(two.retry, NULL), 0);
	sp->ops.smc = two.smc;
	sp->ops.lock = two.lock;
	CHECK(two.add_status != 0);
	check_vm3_told_gone(sp);
}

/*
 * The converse order: VM 4's removal is at work (its worker busy, so the
 * host's run marks it late too) but sends its VM_DESTROYED only after the
 * host's run ended the add's VM_CREATED(3); the add's late record comes
 * first (nothing newer yet: made, marking the removal's worker), then the
 * removal's genuine record, before the add's undo resumes. The removal's
 * message was sent after the run: its record is not late and is made
 * (marking the add's stale, which the undo then drops unrun, VM 3 owed
 * VM_DESTROYED). Read as late, it was not made (the add's mark looking
 * newer), VM_DESTROYED(4) counted over, and the add's undo ran it: VM 3
 * never told it was gone.
 */
static struct {
	struct simplat *sp;
	void (*smc)(void *ctx, struct ffa_regs *regs);
	void (*lock)(void *ctx, enum ffp_lock which);
	pthread_t host, add, rm;
	int stage; /* 1 host's run past its check, 2 the removal at work,
		    * 3 VM_CREATED(3) preempted, 4 the host's run over,
		    * 5 VM_DESTROYED(4) scripted, 6 VM_DESTROYED(4)
		    * preempted, 7 the add's record made, 8 the removal's */
	unsigned rm_locks, add_locks;
	bool rm_pre, add_pre;
	int add_status;
} conv;

static void conv_smc(void *ctx, struct ffa_regs *regs)
{
	const bool host = pthread_equal(pthread_self(), conv.host);
	const bool add = pthread_equal(pthread_self(), conv.add);
	const bool rm = pthread_equal(pthread_self(), conv.rm);

	if (host && (uint32_t)regs->x[0] == FFA_RUN_32) {
		stage_set(&conv.stage, 1);
		stage_wait(&conv.stage, 3);
		conv.smc(ctx, regs);
		CHECK_EQ(regs->x[0], FFA_MSG_SEND_DIRECT_RESP_32);
		return;
	}
	conv.smc(ctx, regs);
	if (add && !conv.add_pre &&
	    (uint32_t)regs->x[0] == FFA_INTERRUPT_32) {
		conv.add_pre = true;
		stage_set(&conv.stage, 3);
		stage_wait(&conv.stage, 6);
	}
	if (rm && !conv.rm_pre && (uint32_t)regs->x[0] == FFA_INTERRUPT_32) {
		conv.rm_pre = true;
		stage_set(&conv.stage, 6);
		stage_wait(&conv.stage, 7);
	}
}

static void conv_lock(void *ctx, enum ffp_lock which)
{
	if (which == FFP_LOCK_STATE &&
	    pthread_equal(pthread_self(), conv.rm)) {
		/* The second: teardown_end's first, the worker busy. */
		if (!conv.rm_pre && ++conv.rm_locks == 2) {
			stage_set(&conv.stage, 2);
			stage_wait(&conv.stage, 5);
		}
		/* The one after its record. */
		if (conv.rm_pre && ++conv.rm_locks == 100 + 2)
			stage_set(&conv.stage, 8);
		if (conv.rm_pre && conv.rm_locks < 100)
			conv.rm_locks = 100 + 1;
	}
	if (which == FFP_LOCK_STATE && conv.add_pre &&
	    pthread_equal(pthread_self(), conv.add) &&
	    ++conv.add_locks == 2) {
		/* The undo's, before its resume: after the record. */
		stage_set(&conv.stage, 7);
		stage_wait(&conv.stage, 8);
	}
	conv.lock(ctx, which);
}

static void *conv_host(void *arg)
{
	(void)arg;
	host_run_dropped(conv.sp);
	stage_set(&conv.stage, 4);
	return NULL;
}

static void *conv_add(void *arg)
{
	(void)arg;
	conv.add_status = ffp_endpoint_add(conv.sp->proxy, 3);
	return NULL;
}

static void *conv_rm(void *arg)
{
	(void)arg;
	CHECK_EQ(ffp_endpoint_remove(conv.sp->proxy, 4), 0);
	return NULL;
}

static void test_cycles_race_two_workers_converse(void)
{
	struct simplat *sp = world_of(1, 4, SUBSCRIBED, false, 16);

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_vm_add(sp, 4, VM2_RAM, 1 << 20), 0);
	CHECK_EQ(simplat_threaded(sp), 0);
	memset(&conv, 0, sizeof(conv));
	conv.sp = sp;
	conv.smc = sp->ops.smc;
	conv.lock = sp->ops.lock;
	conv.host = conv.add = conv.rm = pthread_self();
	sp->ops.smc = conv_smc;
	sp->ops.lock = conv_lock;
	CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001, SPMC_FW_INTERRUPT, 0,
				    1),
		 0);
	CHECK_EQ(pthread_create(&conv.host, NULL, conv_host, NULL), 0);
	stage_wait(&conv.stage, 1);
	CHECK_EQ(pthread_create(&conv.rm, NULL, conv_rm, NULL), 0);
	stage_wait(&conv.stage, 2);
	CHECK_EQ(pthread_create(&conv.add, NULL, conv_add, NULL), 0);
	stage_wait(&conv.stage, 4);
	CHECK_EQ(pthread_join(conv.host, NULL), 0);
	simplat_world_lock(sp);
	CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001, SPMC_FW_INTERRUPT, 0,
				    1),
		 0);
	simplat_world_unlock(sp);
	stage_set(&conv.stage, 5);
	CHECK_EQ(pthread_join(conv.rm, NULL), 0);
	CHECK_EQ(pthread_join(conv.add, NULL), 0);
	sp->ops.smc = conv.smc;
	sp->ops.lock = conv.lock;
	CHECK(conv.add_status != 0);
	check_vm3_told_gone(sp);
}

/*
 * VM 1's request preempted, its record not made yet; the host's run for
 * cycles (past its check) ends it at the SPMC. Before that run marks VM 1
 * late, VM 1 records the request and its FFA_RUN finds the vCPU waiting
 * (ABORTED, the record cleared): the mark made after all that names a
 * request whose record came and went. Left, it made VM 1's next genuine
 * preemption of the vCPU, while anyone held a record of it (here VM 2's,
 * stale: the SPMC forgot VM 2's request), a late record: not made, VM
 * 1's FFA_RUN DENIED for good. Not marked, VM 1's record is made (VM 2's
 * stale one dropped) and VM 1 resumes its request. Threads: VM 1's
 * request, the host's run; ordered at their SMCs.
 */
static struct {
	struct simplat *sp;
	void (*smc)(void *ctx, struct ffa_regs *regs);
	pthread_t vm1, host;
	int stage; /* 1 VM 1 preempted, 2 the host's run ended it, 3 VM 1's
		    * record made, 4 VM 1's FFA_RUN over */
} gone;

static void gone_smc(void *ctx, struct ffa_regs *regs)
{
	const uint32_t fn = (uint32_t)regs->x[0];

	gone.smc(ctx, regs);
	if (pthread_equal(pthread_self(), gone.vm1) &&
	    fn == FFA_MSG_SEND_DIRECT_REQ_32) {
		stage_set(&gone.stage, 1);
		stage_wait(&gone.stage, 2);
	} else if (pthread_equal(pthread_self(), gone.host) &&
		   fn == FFA_RUN_32) {
		CHECK_EQ(regs->x[0], FFA_MSG_SEND_DIRECT_RESP_32);
		stage_set(&gone.stage, 2);
		stage_wait(&gone.stage, 4);
	}
}

static void *gone_vm1(void *arg)
{
	struct ffa_regs r;

	(void)arg;
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_MSG_SEND_DIRECT_REQ_32;
	r.x[1] = 0x18001;
	CHECK(simplat_call(gone.sp, 1, &r));
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	stage_set(&gone.stage, 3);
	return NULL;
}

static void *gone_host(void *arg)
{
	(void)arg;
	host_run_dropped(gone.sp);
	return NULL;
}

static void test_late_mark_after_record(void)
{
	struct simplat *sp = world(false, 16);
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	CHECK_EQ(simplat_threaded(sp), 0);
	memset(&gone, 0, sizeof(gone));
	gone.sp = sp;
	gone.smc = sp->ops.smc;
	gone.vm1 = gone.host = pthread_self();
	sp->ops.smc = gone_smc;
	CHECK_EQ(pthread_create(&gone.vm1, NULL, gone_vm1, NULL), 0);
	stage_wait(&gone.stage, 1);
	CHECK_EQ(pthread_create(&gone.host, NULL, gone_host, NULL), 0);
	stage_wait(&gone.stage, 3);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_ABORTED));
	CHECK(last_why && strstr(last_why, "partition waiting"));
	stage_set(&gone.stage, 4);
	CHECK_EQ(pthread_join(gone.vm1, NULL), 0);
	CHECK_EQ(pthread_join(gone.host, NULL), 0);
	sp->ops.smc = gone.smc;
	/* VM 2's record of the vCPU, stale. */
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 2, FFA_MSG_SEND_DIRECT_REQ_64, 0x28001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	sp->spmc.parts[part_index(sp, 0x8001)].preempt.pending = false;
	/* VM 1's new request, preempted there. */
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 1, 0x8001,
		       FFA_VERSION_1_2);
	r = call(sp, 2, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	done(sp);
}

/*
 * As test_late_mark_after_record, with VM 1's request to another vCPU
 * (0x8002's) preempted and recorded too before the host's run marks VM 1
 * late: VM 1's last record is then of that vCPU, and mark_late, which
 * asked only whether VM 1's last record since the run's check was of the
 * run's vCPU, marked VM 1. That mark names a request whose record came
 * and went; nothing spends it but VM 1's next genuine preemption of the
 * vCPU, whose record, while anyone held a record of it (VM 2's, stale),
 * was then a late record: not made, VM 1's FFA_RUN DENIED for good, its
 * request left to VM 2's FFA_RUN, which drops its response. Not marked,
 * VM 1's record is made (VM 2's stale one dropped) and VM 1 resumes its
 * request.
 */
static void test_late_mark_after_records(void)
{
	struct simplat *sp = world(false, 16);
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	CHECK_EQ(simplat_threaded(sp), 0);
	memset(&gone, 0, sizeof(gone));
	gone.sp = sp;
	gone.smc = sp->ops.smc;
	gone.vm1 = gone.host = pthread_self();
	sp->ops.smc = gone_smc;
	CHECK_EQ(pthread_create(&gone.vm1, NULL, gone_vm1, NULL), 0);
	stage_wait(&gone.stage, 1);
	CHECK_EQ(pthread_create(&gone.host, NULL, gone_host, NULL), 0);
	stage_wait(&gone.stage, 3);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_ABORTED));
	CHECK(last_why && strstr(last_why, "partition waiting"));
	/* VM 1's request to 0x8002, preempted and recorded. */
	simplat_world_lock(sp);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8002, 1, false, 0, 0), 0);
	simplat_world_unlock(sp);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_64, 0x18002);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80020000u);
	stage_set(&gone.stage, 4);
	CHECK_EQ(pthread_join(gone.vm1, NULL), 0);
	CHECK_EQ(pthread_join(gone.host, NULL), 0);
	sp->ops.smc = gone.smc;
	CHECK_EQ(sp->proxy->late_used, 0u);
	/* VM 2's record of the vCPU, stale. */
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 2, FFA_MSG_SEND_DIRECT_REQ_64, 0x28001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	sp->spmc.parts[part_index(sp, 0x8001)].preempt.pending = false;
	/* VM 1's new request, preempted there. */
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_32, 1, 0x8001,
		       FFA_VERSION_1_2);
	r = call(sp, 2, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	r = call(sp, 1, FFA_RUN_32, 0x80020000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 1, 0x8002,
		       FFA_VERSION_1_2);
	done(sp);
}

/*
 * One caller, two requests in flight (VM 1's two vCPUs, to 0x8001 and to
 * 0x8002), both preempted and both between their SMC and their record
 * when the host's runs for cycles of those vCPUs (two host CPUs) end
 * them; then VM 2's request is preempted on 0x8001's vCPU and recorded,
 * and only then does VM 1's first record come. With one late mark per
 * caller the second run's mark took the first's place: that record was
 * made as a new preemption, dropped VM 2's as stale (VM 2's FFA_RUN
 * DENIED for good, its response left to VM 1's run, which drops it).
 * Each ended request keeps its mark: the first record is not made, VM 2
 * resumes its own request, VM 1's FFA_RUN of it is DENIED with no SMC,
 * and the second (late, nobody newer on its vCPU) is made as usual, its
 * FFA_RUN finding the vCPU waiting. Threads: VM 1's two requests, the
 * host's runs and VM 2 on the main thread; ordered at their SMCs (no
 * smc_x0_x7: the lanes' SMCs take the hooked operation too).
 */
static _Thread_local int marks_who; /* 1, 2: VM 1's first, second request */
static struct {
	struct simplat *sp;
	void (*smc)(void *ctx, struct ffa_regs *regs);
	pthread_t first, second;
	int stage; /* 1 the first request preempted, 2 the second, 3 both
		    * host runs over, 4 VM 2's request recorded */
} marks;

static void marks_smc(void *ctx, struct ffa_regs *regs)
{
	marks.smc(ctx, regs);
	if (marks_who == 1 && (uint32_t)regs->x[0] == FFA_INTERRUPT_32) {
		stage_set(&marks.stage, 1);
		stage_wait(&marks.stage, 4);
	} else if (marks_who == 2 &&
		   (uint32_t)regs->x[0] == FFA_INTERRUPT_32) {
		stage_set(&marks.stage, 2);
		stage_wait(&marks.stage, 3);
	}
}

static void *marks_req(void *arg)
{
	struct ffa_regs r;

	marks_who = (int)(intptr_t)arg;
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_MSG_SEND_DIRECT_REQ_32;
	r.x[1] = marks_who == 1 ? 0x18001 : 0x18002;
	CHECK(simplat_call(marks.sp, 1, &r));
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], marks_who == 1 ? 0x80010000u : 0x80020000u);
	return NULL;
}

static void test_late_marks_two_requests(void)
{
	struct simplat *sp = world(true, 16);
	struct ffa_regs r;
	uint32_t runs;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	CHECK_EQ(simplat_threaded(sp), 0);
	memset(&marks, 0, sizeof(marks));
	marks.sp = sp;
	marks.smc = sp->ops.smc;
	sp->ops.smc = marks_smc;
	CHECK_EQ(pthread_create(&marks.first, NULL, marks_req, (void *)1), 0);
	stage_wait(&marks.stage, 1);
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_ABORTED));
	CHECK(last_why && strstr(last_why, "not recorded yet"));
	simplat_world_lock(sp);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8002, 1, false, 0, 0), 0);
	simplat_world_unlock(sp);
	CHECK_EQ(pthread_create(&marks.second, NULL, marks_req, (void *)2),
		 0);
	stage_wait(&marks.stage, 2);
	r = call(sp, 0, FFA_RUN_32, 0x80020000u);
	CHECK(is_error(&r, FFA_ABORTED));
	stage_set(&marks.stage, 3);
	CHECK_EQ(pthread_join(marks.second, NULL), 0);
	simplat_world_lock(sp);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	simplat_world_unlock(sp);
	r = call(sp, 2, FFA_MSG_SEND_DIRECT_REQ_64, 0x28001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80010000u);
	stage_set(&marks.stage, 4);
	CHECK_EQ(pthread_join(marks.first, NULL), 0);
	sp->ops.smc = marks.smc;
	CHECK(last_why && strstr(last_why, "late preemption record"));
	runs = sp->spmc.calls[FFA_FN_RUN];
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], runs);
	r = call(sp, 2, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 2, 0x8001,
		       FFA_VERSION_1_2);
	r = call(sp, 1, FFA_RUN_32, 0x80020000u);
	CHECK(is_error(&r, FFA_ABORTED));
	CHECK(last_why && strstr(last_why, "partition waiting"));
	check_world_holds(sp);
	done(sp);
}

/*
 * Two workers' messages to one partition, on two vCPUs, each ended by
 * its own host run for cycles (two host CPUs, both past their checks
 * before either worker began) before its record: the add of VM 3's
 * VM_CREATED on vCPU 0, then the add of VM 4's on vCPU 1. A framework
 * response names no VM, so each run marks every worker messaging the
 * partition: with one mark per worker (avail_late) the second run's
 * (vCPU 1) overwrote the add of VM 3's mark of vCPU 0. VM 2's request is
 * then preempted on vCPU 0 and recorded, and only then does the add of
 * VM 3 record its VM_CREATED's preemption: made as new, it dropped VM
 * 2's record as stale (VM 2's FFA_RUN DENIED for good) and the add's undo
 * ran VM 2's request, its response dropped. Each mark kept, that record
 * is late and not made; VM 2 resumes its own request, and once the vCPU
 * is free every VM the partition was told about is told it is gone.
 * Threads: the two host runs, the two adds; VM 2 on the main thread;
 * ordered at their SMCs.
 */
static _Thread_local int wk_who; /* 1, 2: the runs; 3, 4: the adds */
static struct {
	struct simplat *sp;
	void (*smc)(void *ctx, struct ffa_regs *regs);
	pthread_t run0, run1, add3, add4;
	int stage; /* 1 run of vCPU 0 past its check, 2 run of vCPU 1 too,
		    * 3 VM_CREATED(3) preempted on vCPU 0, 4 the first run
		    * over, 5 VM_CREATED(4) preempted on vCPU 1, 6 the second
		    * run over, 7 VM 2's request recorded, 8 the add of VM 3
		    * over */
	bool paused[5];
	int add_status[5];
} wk;

static void wk_smc(void *ctx, struct ffa_regs *regs)
{
	const uint32_t fn = (uint32_t)regs->x[0];

	if ((wk_who == 1 || wk_who == 2) && fn == FFA_RUN_32) {
		stage_set(&wk.stage, wk_who);
		stage_wait(&wk.stage, wk_who == 1 ? 3 : 5);
		wk.smc(ctx, regs);
		/* the worker's message ended: the framework response */
		CHECK_EQ(regs->x[0], FFA_MSG_SEND_DIRECT_RESP_32);
		CHECK(regs->x[2] & FFA_MSG_FLAG_FRAMEWORK);
		return;
	}
	wk.smc(ctx, regs);
	if ((wk_who == 3 || wk_who == 4) && !wk.paused[wk_who] &&
	    (uint32_t)regs->x[0] == FFA_INTERRUPT_32) {
		wk.paused[wk_who] = true;
		stage_set(&wk.stage, wk_who == 3 ? 3 : 5);
		stage_wait(&wk.stage, wk_who == 3 ? 7 : 8);
	}
}

static void *wk_thread(void *arg)
{
	struct ffa_regs r;

	wk_who = (int)(intptr_t)arg;
	if (wk_who <= 2) {
		memset(&r, 0, sizeof(r));
		r.x[0] = FFA_RUN_32;
		r.x[1] = 0x80010000u | (uint32_t)(wk_who - 1);
		CHECK(simplat_call(wk.sp, 0, &r));
		CHECK(is_error(&r, FFA_ABORTED));
		stage_set(&wk.stage, wk_who == 1 ? 4 : 6);
	} else {
		wk.add_status[wk_who] =
			ffp_endpoint_add(wk.sp->proxy, (uint16_t)wk_who);
	}
	return NULL;
}

static void test_late_marks_two_workers(void)
{
	struct simplat *sp = world_of(1, 4, SUBSCRIBED, true, 16);
	struct spmc_partition *part = &sp->spmc.parts[part_index(sp, 0x8001)];
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_vm_add(sp, 2, VM2_RAM, 1 << 20), 0);
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_threaded(sp), 0);
	memset(&wk, 0, sizeof(wk));
	wk.sp = sp;
	wk.smc = sp->ops.smc;
	sp->ops.smc = wk_smc;
	CHECK_EQ(pthread_create(&wk.run0, NULL, wk_thread, (void *)1), 0);
	stage_wait(&wk.stage, 1);
	CHECK_EQ(pthread_create(&wk.run1, NULL, wk_thread, (void *)2), 0);
	stage_wait(&wk.stage, 2);
	simplat_world_lock(sp);
	part->preempt.vcpu = 0;
	CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001, SPMC_FW_INTERRUPT, 0,
				    1),
		 0);
	simplat_world_unlock(sp);
	CHECK_EQ(pthread_create(&wk.add3, NULL, wk_thread, (void *)3), 0);
	stage_wait(&wk.stage, 4);
	CHECK_EQ(pthread_join(wk.run0, NULL), 0);
	simplat_world_lock(sp);
	part->preempt.vcpu = 1;
	CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001, SPMC_FW_INTERRUPT, 0,
				    1),
		 0);
	simplat_world_unlock(sp);
	CHECK_EQ(pthread_create(&wk.add4, NULL, wk_thread, (void *)4), 0);
	stage_wait(&wk.stage, 6);
	CHECK_EQ(pthread_join(wk.run1, NULL), 0);
	simplat_world_lock(sp);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	simplat_world_unlock(sp);
	r = call(sp, 2, FFA_MSG_SEND_DIRECT_REQ_64, 0x28001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80010000u);
	stage_set(&wk.stage, 7);
	CHECK_EQ(pthread_join(wk.add3, NULL), 0);
	stage_set(&wk.stage, 8);
	CHECK_EQ(pthread_join(wk.add4, NULL), 0);
	sp->ops.smc = wk.smc;
	CHECK(wk.add_status[3] != 0);
	r = call(sp, 2, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 2, 0x8001,
		       FFA_VERSION_1_2);
	/* No worker at work: none of their marks is left. */
	CHECK_EQ(sp->proxy->late_used, 0u);
	check_vm3_told_gone(sp);
}

/*
 * A worker's marks end with its work. The add of VM 3 has sent its
 * VM_CREATED (answered) and not yet settled when the host's run for
 * cycles (past its check before either add began) ends the add of VM
 * 4's VM_CREATED, preempted on vCPU 0: both workers message the
 * partition, the vCPU is marked for them. VM 4's record reads the mark
 * (nobody newer: made, its resume finds the vCPU waiting, the message's
 * outcome unknown); VM 3's add, which may still read it, sends no more,
 * and its settling drops it: none is left once no work is in progress
 * (W14), nor does one fill the table for good. Threads: the host's run, the two adds; ordered at
 * their SMCs.
 */
static _Thread_local int sw_who; /* 1 the run; 3, 4 the adds */
static struct {
	struct simplat *sp;
	void (*smc)(void *ctx, struct ffa_regs *regs);
	pthread_t run, add3, add4;
	int stage; /* 1 the run past its check, 2 VM_CREATED(3) answered,
		    * 3 VM_CREATED(4) preempted, 4 the run over, 5 the add
		    * of VM 4 over */
	int add_status[5];
} sw;

static void sw_smc(void *ctx, struct ffa_regs *regs)
{
	const uint32_t fn = (uint32_t)regs->x[0];

	if (sw_who == 1 && fn == FFA_RUN_32) {
		stage_set(&sw.stage, 1);
		stage_wait(&sw.stage, 3);
		sw.smc(ctx, regs);
		CHECK_EQ(regs->x[0], FFA_MSG_SEND_DIRECT_RESP_32);
		return;
	}
	sw.smc(ctx, regs);
	if (sw_who == 3 && fn == FFA_MSG_SEND_DIRECT_REQ_32) {
		CHECK_EQ(regs->x[0], FFA_MSG_SEND_DIRECT_RESP_32);
		stage_set(&sw.stage, 2);
		stage_wait(&sw.stage, 5);
	} else if (sw_who == 4 && fn == FFA_MSG_SEND_DIRECT_REQ_32 &&
		   sw.stage < 3) {
		CHECK_EQ(regs->x[0], FFA_INTERRUPT_32);
		stage_set(&sw.stage, 3);
		stage_wait(&sw.stage, 4);
	}
}

static void *sw_thread(void *arg)
{
	sw_who = (int)(intptr_t)arg;
	if (sw_who == 1) {
		host_run_dropped(sw.sp);
		stage_set(&sw.stage, 4);
	} else {
		sw.add_status[sw_who] =
			ffp_endpoint_add(sw.sp->proxy, (uint16_t)sw_who);
	}
	return NULL;
}

static void test_late_marks_end_with_work(void)
{
	struct simplat *sp = world_of(1, 4, SUBSCRIBED, true, 16);
	struct ffp_info info;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_vm_add(sp, 2, VM2_RAM, 1 << 20), 0);
	CHECK_EQ(simplat_threaded(sp), 0);
	memset(&sw, 0, sizeof(sw));
	sw.sp = sp;
	sw.smc = sp->ops.smc;
	sp->ops.smc = sw_smc;
	CHECK_EQ(pthread_create(&sw.run, NULL, sw_thread, (void *)1), 0);
	stage_wait(&sw.stage, 1);
	CHECK_EQ(pthread_create(&sw.add3, NULL, sw_thread, (void *)3), 0);
	stage_wait(&sw.stage, 2);
	simplat_world_lock(sp);
	CHECK_EQ(spmc_fw_answer_set(&sp->spmc, 0x8001, SPMC_FW_INTERRUPT, 0,
				    1),
		 0);
	simplat_world_unlock(sp);
	CHECK_EQ(pthread_create(&sw.add4, NULL, sw_thread, (void *)4), 0);
	CHECK_EQ(pthread_join(sw.run, NULL), 0);
	CHECK_EQ(pthread_join(sw.add4, NULL), 0);
	/* The add of VM 3, still at work, holds its mark. */
	ffp_info(sp->proxy, &info);
	CHECK_EQ(info.late_marks, 1u);
	CHECK_EQ(info.late_marks_workers, 1u);
	stage_set(&sw.stage, 5);
	CHECK_EQ(pthread_join(sw.add3, NULL), 0);
	sp->ops.smc = sw.smc;
	CHECK_EQ(sw.add_status[3], 0);
	/* VM_CREATED(4) ended unseen (outcome unknown): the add fails and
	 * its undo tells the partition VM 4 is gone. */
	CHECK(sw.add_status[4] != 0);
	ffp_info(sp->proxy, &info);
	CHECK_EQ(info.late_marks, 0u);
	CHECK_EQ(info.late_marks_found, 0u);
	check_world_holds(sp);
	done(sp);
}

/*
 * Five workers messaging one partition at once (the adds of VMs 3..7,
 * each between its VM_CREATED's SMC, preempted on vCPU e - 3, and its
 * record), and five host runs for cycles (five host CPUs, each past its
 * check before the adds began) ending those messages, one per vCPU. A
 * framework response names no VM, so each run concerns every worker: with
 * a mark per worker and vCPU, five runs made 25 marks, more than the table
 * holds (max_endpoints + max_preempted, 17 here), and the oldest, the add
 * of VM 3's own mark of vCPU 0, went. VM 2's request is then preempted on
 * vCPU 0 and recorded, and only then does the add of VM 3 record its
 * message's preemption: made as new, it dropped VM 2's record as stale
 * (VM 2's FFA_RUN DENIED for good, its response left to the add's undo,
 * which drops it). One mark per vCPU whose framework response a run
 * dropped, read by each worker whose message was sent before it, keeps
 * that record late. White box: the workers' state is set as those adds
 * leave it, the runs' marks made as mark_late makes them.
 */
static void test_late_marks_many_workers(void)
{
	struct simplat *sp = world_of(1, 8, SUBSCRIBED, false, 1);
	struct ffp *p = sp->proxy;
	struct ffp_avail_run run;
	struct ffa_regs r;
	uint32_t pending;
	uint16_t e;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_vm_add(sp, 2, VM2_RAM, 1 << 20), 0);
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(p->late_slots, 17u);
	marks_dropped = 0;
	for (e = 3; e <= 7; e++) {
		p->eps[e].avail_busy = true;
		p->eps[e].avail_to = ~0u;
	}
	for (e = 0; e < 5; e++)
		ffp_vmavail_late(p, 0x80010000u | e);
	CHECK_EQ(marks_dropped, 0u);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 2, FFA_MSG_SEND_DIRECT_REQ_64, 0x28001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80010000u);
	/* The add of VM 3's record: late, not made. */
	CHECK(!ffp_preempt_record_proxy(p, 3, 0x80010000u));
	r = call(sp, 2, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 2, 0x8001,
		       FFA_VERSION_1_2);
	/* The adds end (as they would, failing): no mark is left. */
	for (e = 3; e <= 7; e++) {
		memset(&run, 0, sizeof(run));
		pending = 0;
		ffp_vmavail_settle(p, &p->eps[e], &pending, &run);
		p->eps[e].avail_busy = false;
		p->eps[e].avail_to = 0;
		p->eps[e].avail_stale = 0;
	}
	CHECK_EQ(p->late_used, 0u);
	check_world_holds(sp);
	done(sp);
}

/* The late marks' table full (max_endpoints + max_preempted, 32 here),
 * every mark one nobody will spend (as a misbehaving SPMC's responses
 * naming VM 5 leave): VM 1's mark takes the oldest one's place, logged
 * once, and its late record still keeps VM 2's newer one. The other
 * marks stay. */
static void test_late_marks_full(void)
{
	struct simplat *sp = world(false, 16);
	struct ffp *p = sp->proxy;
	struct ffa_regs r;
	uint16_t who = 0;
	unsigned i;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(p->late_slots, 32u);
	for (i = 0; i < p->late_slots; i++)
		CHECK_EQ(ffp_late_mark(p, 5, 0x80020000u | i, &who), 0u);
	CHECK_EQ(p->late_used, 32u);
	marks_dropped = 0;
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	arm(sp, 0);
	race.other = cycles_then_vm2;
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	sp->ops.lock = race.lock;
	CHECK(race.ran);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK(last_why && strstr(last_why, "late preemption record"));
	CHECK_EQ(marks_dropped, 1u);
	/* VM 1's spent; the oldest (vCPU 0 of 0x8002) gone, the rest kept. */
	CHECK_EQ(p->late_used, 31u);
	for (i = 0; i < p->late_slots; i++) {
		if (!p->lates[i].target)
			continue;
		CHECK_EQ(p->lates[i].owner, 5u);
		CHECK(p->lates[i].target != 0x80020000u);
	}
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_DENIED));
	r = call(sp, 2, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 2, 0x8001,
		       FFA_VERSION_1_2);
	done(sp);
}

/* The same with one slot free: the host's run notes itself there from its
 * check to its end (late_note), and its mark of VM 1 takes that slot once
 * the note is over, rather than the oldest mark's: none is dropped. */
static void test_late_marks_full_but_one(void)
{
	struct simplat *sp = world(false, 16);
	struct ffp *p = sp->proxy;
	struct ffa_regs r;
	uint16_t who = 0;
	unsigned i;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	for (i = 0; i + 1 < p->late_slots; i++)
		CHECK_EQ(ffp_late_mark(p, 5, 0x80020000u | i, &who), 0u);
	CHECK_EQ(p->late_used, 31u);
	marks_dropped = 0;
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	arm(sp, 0);
	race.other = cycles_then_vm2;
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	sp->ops.lock = race.lock;
	CHECK(race.ran);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK(last_why && strstr(last_why, "late preemption record"));
	CHECK_EQ(marks_dropped, 0u);
	CHECK_EQ(p->late_used, 31u);
	for (i = 0; i < p->late_slots; i++)
		CHECK(!p->lates[i].target || p->lates[i].owner == 5u);
	r = call(sp, 2, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 2, 0x8001,
		       FFA_VERSION_1_2);
	done(sp);
}

/* The late marks' table, white box (ffp_late_mark, _take, _worker,
 * _worker_begin, _end): the proxy's marks one per vCPU, the newest, apart
 * from a caller's of the same vCPU; a caller's one per request; a take
 * spends one of its owner's marks of its vCPU; a worker reads the proxy's
 * marks made since its message (not a caller's), and they go once no
 * other worker at work can read them; full, the oldest mark gives way
 * (a mark made again is new). */
static void test_late_table(void)
{
	struct simplat *sp = world(false, 16);
	struct ffp *p = sp->proxy;
	struct ffp_endpoint *w3 = &p->eps[3], *w4 = &p->eps[4];
	const uint16_t px = FFP_PREEMPT_PROXY;
	const uint32_t t0 = 0x80010000u, t1 = 0x80010001u, t2 = 0x80010002u;
	uint16_t who = 0;
	unsigned i;

	CHECK_EQ(p->late_slots, 32u);
	w3->avail_busy = true;
	w4->avail_busy = true;
	ffp_late_worker_begin(p, w3);
	ffp_late_worker_begin(p, w4);
	/* VM 5's mark of t0, then the proxy's: two. */
	CHECK_EQ(ffp_late_mark(p, 5, t0, &who), 0u);
	CHECK_EQ(ffp_late_mark(p, px, t0, &who), 0u);
	CHECK_EQ(p->late_used, 2u);
	CHECK(ffp_late_worker(p, w3, t0));
	CHECK(!ffp_late_worker(p, w3, t1));
	/* The proxy's of t0 again: still one; of t1: another. */
	CHECK_EQ(ffp_late_mark(p, px, t0, &who), 0u);
	CHECK_EQ(p->late_used, 2u);
	CHECK_EQ(ffp_late_mark(p, px, t1, &who), 0u);
	CHECK_EQ(p->late_used, 3u);
	/* A second request of VM 5's ended on t0: a second mark. VM 6's of
	 * t2: no worker reads it. */
	CHECK_EQ(ffp_late_mark(p, 5, t0, &who), 0u);
	CHECK_EQ(ffp_late_mark(p, 6, t2, &who), 0u);
	CHECK_EQ(p->late_used, 5u);
	CHECK(!ffp_late_worker(p, w3, t2));
	/* Takes: VM 5's two of t0, once each; none of VM 6's of t0, nor of
	 * VM 5's of t1 (the proxy's). */
	CHECK(!ffp_late_take(p, 6, t0));
	CHECK(!ffp_late_take(p, 5, t1));
	CHECK(ffp_late_take(p, 5, t0));
	CHECK(ffp_late_take(p, 5, t0));
	CHECK(!ffp_late_take(p, 5, t0));
	CHECK_EQ(p->late_used, 3u);
	CHECK(ffp_late_worker(p, w3, t0));
	/* Worker 3 sends a message: the proxy's marks before it are not
	 * about it; worker 4 (at 0) still reads them, none goes. */
	ffp_late_worker_begin(p, w3);
	CHECK(!ffp_late_worker(p, w3, t0));
	CHECK(!ffp_late_worker(p, w3, t1));
	CHECK(ffp_late_worker(p, w4, t0));
	CHECK_EQ(p->late_used, 3u);
	/* A mark of t2 after it; worker 4 sends one: the proxy's marks no
	 * busy worker reads go (t0, t1), that of t2 (worker 3's) stays. */
	CHECK_EQ(ffp_late_mark(p, px, t2, &who), 0u);
	ffp_late_worker_begin(p, w4);
	CHECK_EQ(p->late_used, 2u);
	CHECK(ffp_late_worker(p, w3, t2));
	CHECK(!ffp_late_worker(p, w3, t0));
	CHECK(!ffp_late_worker(p, w4, t2));
	/* Worker 3 ends: worker 4 reads none of them, they go; VM 6's of t2
	 * (a caller's) stays. */
	w3->avail_busy = false;
	ffp_late_worker_end(p, w3);
	CHECK_EQ(p->late_used, 1u);
	CHECK(ffp_late_take(p, 6, t2));
	CHECK_EQ(p->late_used, 0u);
	/* Full: the proxy's mark of t0 first, then 31 of VM 5's; the
	 * proxy's of t0 made again, a new mark of VM 6's drops the oldest,
	 * VM 5's first, not t0. */
	CHECK_EQ(ffp_late_mark(p, px, t0, &who), 0u);
	for (i = 0; i + 1 < p->late_slots; i++)
		CHECK_EQ(ffp_late_mark(p, 5, 0x80020000u | i, &who), 0u);
	CHECK_EQ(p->late_used, 32u);
	CHECK_EQ(ffp_late_mark(p, px, t0, &who), 0u);
	CHECK_EQ(ffp_late_mark(p, 6, t1, &who), 0x80020000u);
	CHECK_EQ(who, 5u);
	CHECK_EQ(p->late_used, 32u);
	CHECK(ffp_late_worker(p, w4, t0));
	CHECK(!ffp_late_take(p, 5, 0x80020000u));
	CHECK(ffp_late_take(p, 6, t1));
	w4->avail_busy = false;
	done(sp);
}

/*
 * The notes of the host's runs for cycles (late_note, late_run_out,
 * late_seen, late_run_end), white box: what another host CPU's run still
 * out leaves in the table is written there by hand, as that run's check
 * and VM 1's records would. Nested calls order the rest on one thread:
 * VM 1's request at the host's run's SMC (its record made while the run
 * is out: noted), or the host's run at VM 1's request's SMC (its record
 * not made yet: a mark, unless a record of the vCPU since the run's
 * check says otherwise).
 */
static struct {
	struct simplat *sp;
	void (*smc)(void *ctx, struct ffa_regs *regs);
	int mode; /* 1: VM 1's request at the host's run's SMC; 2: the
		   * host's run at VM 1's request's SMC */
	uint32_t fake_target; /* mode 2: VM 1's record of this vCPU noted
			       * at the host's run's SMC, if not 0 */
	bool other; /* mode 2: VM 1's request to 0x8002 preempted and
		     * recorded at the host's run's SMC */
	struct ffa_regs host; /* mode 2: the host's run's answer */
	unsigned marks; /* mode 2: VM 1's marks of the vCPU after it */
} nt;

static void note_put(struct ffp *p, uint16_t kind, uint16_t owner,
		     uint32_t target)
{
	unsigned i;

	for (i = 0; i < p->late_slots; i++) {
		if (p->lates[i].target)
			continue;
		p->lates[i].target = target;
		p->lates[i].owner = owner;
		p->lates[i].kind = kind;
		p->lates[i].seq = ++p->late_seq;
		p->late_used++;
		return;
	}
	CHECK(0);
}

static unsigned notes(const struct ffp *p, uint16_t kind, uint16_t owner,
		      uint32_t target)
{
	unsigned i, n = 0;

	for (i = 0; i < p->late_slots; i++)
		n += p->lates[i].target == target &&
		     p->lates[i].owner == owner && p->lates[i].kind == kind;
	return n;
}

static void notes_clear(struct ffp *p)
{
	memset(p->lates, 0, p->late_slots * sizeof(*p->lates));
	p->late_used = 0;
}

static void nt_smc(void *ctx, struct ffa_regs *regs)
{
	const uint32_t fn = (uint32_t)regs->x[0];
	const int mode = nt.mode;
	struct ffa_regs r;

	if (mode == 1 && fn == FFA_RUN_32) {
		nt.mode = 0;
		CHECK_EQ(spmc_preempt(&nt.sp->spmc, 0x8001, 1, false, 0, 0), 0);
		r = call(nt.sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
		CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	}
	if (mode == 3 && fn == FFA_RUN_32) {
		nt.mode = 0;
		if (nt.fake_target)
			note_put(nt.sp->proxy, FFP_LATE_SEEN, 1, nt.fake_target);
		if (nt.other) {
			CHECK_EQ(spmc_preempt(&nt.sp->spmc, 0x8002, 1, false, 0,
					      0),
				 0);
			r = call(nt.sp, 1, FFA_MSG_SEND_DIRECT_REQ_64, 0x18002);
			CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
			CHECK_EQ(r.x[1], 0x80020000u);
		}
	}
	nt.smc(ctx, regs);
	if (mode == 2 && fn == FFA_MSG_SEND_DIRECT_REQ_32) {
		CHECK_EQ(regs->x[0], FFA_INTERRUPT_32);
		nt.mode = 3;
		nt.host = call(nt.sp, 0, FFA_RUN_32, 0x80010000u);
		nt.mode = 0;
		nt.marks = notes(nt.sp->proxy, FFP_LATE_MARK, 1, 0x80010000u);
	}
}

static struct simplat *notes_world(void)
{
	struct simplat *sp = world(false, 16);

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	call(sp, 1, FFA_VERSION_32, FFA_VERSION_1_2);
	memset(&nt, 0, sizeof(nt));
	nt.sp = sp;
	nt.smc = sp->ops.smc;
	sp->ops.smc = nt_smc;
	return sp;
}

/* VM 1's request, preempted on vCPU 0 and recorded while the host's run
 * of it is out, which then ends it: not marked (the record came since the
 * check); VM 1's FFA_RUN finds the vCPU waiting. */
static void notes_record_during_run(struct simplat *sp)
{
	struct ffa_regs r;

	nt.mode = 1;
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_ABORTED));
	CHECK_EQ(notes(sp->proxy, FFP_LATE_MARK, 1, 0x80010000u), 0u);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_ABORTED));
}

/* The host's run at VM 1's request's SMC, before its record: marked;
 * the record then spends the mark (nobody holds the vCPU: made) and VM
 * 1's FFA_RUN finds the vCPU waiting (the run ended its request). */
static void notes_run_before_record(struct simplat *sp)
{
	struct ffa_regs r;

	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	nt.mode = 2;
	r = call(sp, 1, FFA_MSG_SEND_DIRECT_REQ_32, 0x18001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK(is_error(&nt.host, FFA_ABORTED));
	CHECK_EQ(nt.marks, 1u);
	CHECK_EQ(notes(sp->proxy, FFP_LATE_MARK, 1, 0x80010000u), 0u);
	r = call(sp, 1, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_ABORTED));
}

static void test_late_notes(void)
{
	struct simplat *sp;
	struct ffa_regs r;
	struct ffp *p;

	/* Another host CPU's run of 0x8002's vCPU 0 out: VM 1's record of
	 * 0x8001's vCPU 0 noted at the run of it goes with that run, not
	 * with the other. */
	sp = notes_world();
	p = sp->proxy;
	note_put(p, FFP_LATE_RUN, 0, 0x80020000u);
	notes_record_during_run(sp);
	CHECK_EQ(p->late_used, 1u);
	CHECK_EQ(notes(p, FFP_LATE_RUN, 0, 0x80020000u), 1u);
	notes_clear(p);
	done(sp);

	/* Another host CPU's run of the same vCPU out since before: VM 1's
	 * record noted stays for that run to ask about. */
	sp = notes_world();
	p = sp->proxy;
	note_put(p, FFP_LATE_RUN, 0, 0x80010000u);
	notes_record_during_run(sp);
	CHECK_EQ(p->late_used, 2u);
	CHECK_EQ(notes(p, FFP_LATE_SEEN, 1, 0x80010000u), 1u);
	CHECK_EQ(notes(p, FFP_LATE_RUN, 0, 0x80010000u), 1u);
	notes_clear(p);
	done(sp);

	/* Nothing else out: the note goes with the run. */
	sp = notes_world();
	p = sp->proxy;
	notes_record_during_run(sp);
	CHECK_EQ(p->late_used, 0u);
	done(sp);

	/* VM 1's record of another vCPU (0x8002's) noted while the host's
	 * run of 0x8001's is out: that run still marks VM 1. */
	sp = notes_world();
	p = sp->proxy;
	note_put(p, FFP_LATE_RUN, 0, 0x80020000u);
	nt.fake_target = 0x80020000u;
	notes_run_before_record(sp);
	notes_clear(p);
	done(sp);

	/* VM 1's request to another vCPU preempted and recorded while the
	 * host's run is out (nothing else out: its record not noted, the
	 * last one VM 1's): that run still marks VM 1. */
	sp = notes_world();
	p = sp->proxy;
	nt.other = true;
	notes_run_before_record(sp);
	r = call(sp, 1, FFA_RUN_32, 0x80020000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 1, 0x8002,
		       FFA_VERSION_1_2);
	CHECK_EQ(p->late_used, 0u);
	done(sp);

	/* VM 1's record of the vCPU noted before the host's run's check
	 * (while an older run of it was out): that run still marks VM 1. */
	sp = notes_world();
	p = sp->proxy;
	note_put(p, FFP_LATE_RUN, 0, 0x80010000u);
	note_put(p, FFP_LATE_SEEN, 1, 0x80010000u);
	notes_run_before_record(sp);
	notes_clear(p);
	done(sp);
}

/* A framework response a host's run dropped (ffp_vmavail_late) marks the
 * vCPU only while a worker messages its partition: none at work, or one
 * messaging none of the partition's subscriptions, no mark. White box,
 * as test_late_marks_many_workers. */
static void test_late_vmavail_mark(void)
{
	struct simplat *sp = world_of(1, 8, SUBSCRIBED, false, 1);
	struct ffp *p = sp->proxy;
	const uint32_t sub = 1u; /* 0x8001, the one subscriber */

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_vm_add(sp, 2, VM2_RAM, 1 << 20), 0);
	CHECK_EQ(p->sub_count, 1u);
	ffp_vmavail_late(p, 0x80010000u);
	CHECK_EQ(p->late_used, 0u);
	p->eps[3].avail_to = sub;
	ffp_vmavail_late(p, 0x80010000u);
	CHECK_EQ(p->late_used, 0u);
	p->eps[3].avail_busy = true;
	p->eps[3].avail_to = ~sub;
	ffp_vmavail_late(p, 0x80010000u);
	CHECK_EQ(p->late_used, 0u);
	p->eps[3].avail_to = sub;
	ffp_vmavail_late(p, 0x80010000u);
	CHECK_EQ(p->late_used, 1u);
	CHECK(ffp_late_worker(p, &p->eps[3], 0x80010000u));
	p->eps[3].avail_busy = false;
	p->eps[3].avail_to = 0;
	ffp_late_worker_end(p, &p->eps[3]);
	CHECK_EQ(p->late_used, 0u);
	done(sp);
}

/* ffp_info's late mark counts, white box: every live entry in
 * late_marks; in late_marks_found only the marks naming a partition's vCPU
 * and an endpoint or the proxy's messages; in late_marks_workers the
 * proxy's among them. */
static void test_late_info(void)
{
	struct simplat *sp = world(false, 16);
	struct ffp *p = sp->proxy;
	struct ffp_info info;
	uint16_t who = 0;

	CHECK_EQ(ffp_late_mark(p, 5, 0x80010000u, &who), 0u);
	CHECK_EQ(ffp_late_mark(p, FFP_PREEMPT_PROXY, 0x80010001u, &who), 0u);
	CHECK_EQ(ffp_late_mark(p, 5, 0x00010000u, &who), 0u);
	CHECK_EQ(ffp_late_mark(p, 0x7000, 0x80010002u, &who), 0u);
	note_put(p, FFP_LATE_RUN, 0, 0x80010003u);
	note_put(p, FFP_LATE_SEEN, 1, 0x80010003u);
	ffp_info(p, &info);
	CHECK_EQ(info.late_marks, 6u);
	CHECK_EQ(info.late_marks_found, 2u);
	CHECK_EQ(info.late_marks_workers, 1u);
	notes_clear(p);
	done(sp);
}

/* A worker's late record (its mark made since its message) with a
 * record of the vCPU in the table made before that worker began, so not
 * marked newer for it (ffp_vmavail_newer): the record in the table is
 * the newer request all the same (held, DENIED), the worker's not made,
 * VM 2's kept. White box, as test_late_marks_many_workers. */
static void test_late_worker_record_held(void)
{
	struct simplat *sp = world_of(1, 8, SUBSCRIBED, false, 1);
	struct ffp *p = sp->proxy;
	struct ffp_avail_run run;
	struct ffa_regs r;
	uint32_t pending = 0;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(simplat_vm_add(sp, 2, VM2_RAM, 1 << 20), 0);
	call(sp, 2, FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK_EQ(spmc_preempt(&sp->spmc, 0x8001, 1, false, 0, 0), 0);
	r = call(sp, 2, FFA_MSG_SEND_DIRECT_REQ_64, 0x28001);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80010000u);
	p->eps[3].avail_busy = true;
	p->eps[3].avail_to = ~0u;
	ffp_late_worker_begin(p, &p->eps[3]);
	ffp_vmavail_late(p, 0x80010000u);
	CHECK(!ffp_vmavail_newer(p, &p->eps[3], 0x80010000u));
	CHECK(!ffp_preempt_record_proxy(p, 3, 0x80010000u));
	CHECK(last_why && strstr(last_why, "late preemption record of a VM"));
	memset(&run, 0, sizeof(run));
	ffp_vmavail_settle(p, &p->eps[3], &pending, &run);
	p->eps[3].avail_busy = false;
	p->eps[3].avail_to = 0;
	CHECK_EQ(p->late_used, 0u);
	r = call(sp, 2, FFA_RUN_32, 0x80010000u);
	check_response(&r, FFA_MSG_SEND_DIRECT_REQ_64, 2, 0x8001,
		       FFA_VERSION_1_2);
	done(sp);
}

/* ffp_config.max_preempted = 0: FFA_RUN is not served at all, the host's
 * for cycles included: NOT_SUPPORTED, no SMC. */
static void test_cycles_disabled(void)
{
	struct simplat *sp = world(false, 0);
	struct ffa_regs r;

	call(sp, 0, FFA_VERSION_32, FFA_VERSION_1_2);
	r = call(sp, 0, FFA_RUN_32, 0x80010000u);
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	CHECK_EQ(sp->spmc.calls[FFA_FN_RUN], 0u);
	done(sp);
}

int main(void)
{
	RUN(test_run_every_path);
	RUN(test_run_twice_at_once);
	RUN(test_remove_during_run);
	RUN(test_remove_resumes_preempted);
	RUN(test_stale_record_dropped);
	RUN(test_stale_while_running);
	RUN(test_stale_record_vmavail);
	RUN(test_stale_vmavail_record_dropped);
	RUN(test_stale_vmavail_record_other_id);
	RUN(test_stale_vmavail_created);
	RUN(test_stale_vmavail_created_unsubscribed);
	RUN(test_no_preempted_kept_retry);
	RUN(test_readd_after_late_record);
	RUN(test_spill);
	RUN(test_orphan_retry);
	RUN(test_orphan_stale);
	RUN(test_add_resumes_other_orphans);
	RUN(test_run_config);
	RUN(test_cycles_race_vmavail);
	RUN(test_cycles_race_vmavail_created);
	RUN(test_cycles_race_vmavail_denied);
	RUN(test_cycles_race_record_denied);
	RUN(test_cycles_busy_vmavail);
	RUN(test_cycles_busy_other_partition);
	RUN(test_cycles_busy_per_partition);
	RUN(test_late_record_keeps_newer);
	RUN(test_late_record_alone);
	RUN(test_late_mark_after_many_records);
	RUN(test_late_record_removed);
	RUN(test_late_record_across_host_reset);
	RUN(test_cycles_race_worker_stale);
	RUN(test_cycles_race_worker_late);
	RUN(test_cycles_race_worker_late_alone);
	RUN(test_cycles_race_two_workers);
	RUN(test_cycles_race_two_workers_converse);
	RUN(test_late_mark_after_record);
	RUN(test_late_mark_after_records);
	RUN(test_late_record_of_removed);
	RUN(test_late_mark_filter);
	RUN(test_late_marks_two_requests);
	RUN(test_late_marks_two_workers);
	RUN(test_late_marks_end_with_work);
	RUN(test_late_marks_many_workers);
	RUN(test_late_marks_full);
	RUN(test_late_marks_full_but_one);
	RUN(test_late_table);
	RUN(test_late_notes);
	RUN(test_late_vmavail_mark);
	RUN(test_late_info);
	RUN(test_late_worker_record_held);
	RUN(test_cycles_disabled);
	return test_summary("test_run");
}
