/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Notifications beyond what scenarios can say (tests/scenarios/notif has
 * the flows): cfg.npi_intid's check, ffp_endpoint_set_vcpus,
 * ffp_vm_destroyed_retry's count of pending bitmap destructions, the logs
 * of a pair-less VM's dropped RX buffer full and of a message's dropped
 * UUID (each said only when one was dropped), and two CPUs interleaved
 * at every point where the first holds no lock (before it takes one,
 * after it gives its last back, and before each of its SMCs):
 *  - a VM's notification call (A) against its removal (B): the removal
 *    answers BUSY while the call is at the SPMC, or the call is refused
 *    once the VM is gone; afterwards the SPMC holds no bitmap for the id
 *    (invariant W8 and directly), so the VM added again under the id
 *    inherits no binding and no notification;
 *  - a VM's first BIND (A, which creates its bitmap) against another BIND
 *    of its (B, another vCPU): B succeeds or answers BUSY while the
 *    bitmap is being created, and the bitmap is created once;
 *  - a VM's GET (A) against the map of its bounce pair (B): the map
 *    answers BUSY while the GET is at the SPMC, else maps it;
 *  - a DESTROY answered outside the protocol after it acted (or did not):
 *    the retry's DENIED is not taken for pending notifications of a
 *    bitmap that may be gone (no GET of an id without one).
 */
#include "explore.h"

#define RAM 0x80000000ull
#define VM_RAM 0x90000000ull
#define RAM_SIZE 0x100000ull

static void setup(void)
{
	explore_world_one(0xb, RAM, VM_RAM, RAM_SIZE);
	call(1, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
}

static void teardown(void)
{
	simplat_destroy(&sp);
}

static void test_set_vcpus(void)
{
	struct ffp_endpoint_info ei;
	struct ffa_regs r;

	setup();
	CHECK_EQ(ffp_endpoint_set_vcpus(sp.proxy, 1, 0), FFA_INVALID_PARAMETERS);
	CHECK_EQ(ffp_endpoint_set_vcpus(sp.proxy, 2, 2), FFA_INVALID_PARAMETERS);
	CHECK_EQ(ffp_endpoint_set_vcpus(sp.proxy, 0x7fff, 2),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(ffp_endpoint_set_vcpus(sp.proxy, 1, 3), 0);
	CHECK_EQ(ffp_endpoint_set_vcpus(sp.proxy, 0, 4), 0);
	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(spmc_notif_bitmap(&sp.spmc, 1)->vcpus, 3);
	/* fixed once the bitmap exists */
	CHECK_EQ(ffp_endpoint_set_vcpus(sp.proxy, 1, 2), FFA_DENIED);
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	CHECK(ei.notif_bitmap && !ei.notif_destroy_pending);
	/* GET at vCPU 2 is the VM's, 3 is not */
	r = call(1, FFA_NOTIFICATION_GET_32, 2u << 16 | 1, 1, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(1, FFA_NOTIFICATION_GET_32, 3u << 16 | 1, 1, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_ERROR_32);
	CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_INVALID_PARAMETERS);
	/* the host's count, set before its first BIND */
	r = call(0, FFA_NOTIFICATION_BIND_32, 0x80010000u, 0, 2, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(spmc_notif_bitmap(&sp.spmc, 0)->vcpus, 4);
	teardown();
}

/* A pending destruction counts in ffp_vm_destroyed_retry's answer until
 * a retry destroys it. */
static void test_retry_count(void)
{
	struct ffp_endpoint_info ei;
	struct ffa_regs r;

	setup();
	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	sp.spmc.notif_fail_fn = FFA_FN_NOTIFICATION_BITMAP_DESTROY;
	sp.spmc.notif_fail_status = FFA_RETRY;
	sp.spmc.notif_fail_left = 2;
	CHECK_EQ(simplat_vm_destroy(&sp, 1), 0);
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	CHECK(!ei.present && ei.notif_destroy_pending && !ei.notif_bitmap);
	CHECK_EQ(inv_check_world(&iv), 0);
	CHECK_EQ(ffp_vm_destroyed_retry(sp.proxy), 1);
	CHECK(spmc_notif_bitmap(&sp.spmc, 1) != NULL);
	CHECK_EQ(ffp_vm_destroyed_retry(sp.proxy), 0);
	CHECK(spmc_notif_bitmap(&sp.spmc, 1) == NULL);
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	CHECK(!ei.notif_destroy_pending);
	CHECK_EQ(ffp_vm_destroyed_retry(sp.proxy), 0);
	teardown();
}

static int get_without_bitmap;

static void x_smc(void *ctx, struct ffa_regs *r)
{
	explore_point();
	/* Never a GET of an id the SPMC holds no bitmap for: Hafnium's
	 * SPMC finds no VM for it and stops at its CHECK
	 * (api_ffa_notification_get: "plat_ffa_is_notifications_get_valid
	 * ensures following is never true", which holds for partitions
	 * only). */
	if ((uint32_t)r->x[0] == FFA_NOTIFICATION_GET_32 &&
	    !spmc_notif_bitmap(&sp.spmc, (uint16_t)r->x[1]))
		get_without_bitmap++;
	ex.smc(ctx, r);
}

static int b_result;
static struct ffa_regs b_reply;

static void b_remove(void)
{
	b_result = simplat_vm_destroy(&sp, 1);
}

static void b_bind(void)
{
	b_reply = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 0x100, 0,
		       0);
}

/* Run `a` (a call of VM 1's, its answer in a_reply) with `b` run whole
 * as CPU 1 at a's k-th point, before each SMC too. */
static bool interleave(unsigned k, void (*a)(void), void (*b)(void))
{
	return explore_at(k, a, b, x_smc);
}

static struct ffa_regs a_reply;

static void a_bind(void)
{
	a_reply = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0);
}

static void a_get(void)
{
	a_reply = call(1, FFA_NOTIFICATION_GET_32, 1, 1, 0, 0, 0);
}

static void a_set(void)
{
	a_reply = call(1, FFA_NOTIFICATION_SET_32, 0x00018001u, 0, 0x10, 0, 0);
}

static void a_unbind(void)
{
	a_reply = call(1, FFA_NOTIFICATION_UNBIND_32, 0x80010001u, 0, 1, 0, 0);
}

/* VM 1's bit 0 bound to 0x8001 (its bitmap created) and pending. */
static void vm1_bit0_pending(void)
{
	struct ffa_regs r;

	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(spmc_sp_notif_set(&sp.spmc, 0x8001, 1, 1, false, 0), 0);
}

/* A's call against the VM's removal, at every point. `bound`: VM 1 has
 * bit 0 bound and pending before A (else A is its first BIND). */
static void race_remove(void (*a)(void), bool bound,
			const char *name)
{
	struct ffa_regs r;
	unsigned k, busy = 0, refused = 0;
	bool ran = true;

	for (k = 1; ran; k++) {
		setup();
		CHECK_EQ(spmc_sp_notif_bind(&sp.spmc, 0x8001, 1, 0x10, false),
			 0);
		if (bound)
			vm1_bit0_pending();
		b_result = 1;
		ran = interleave(k, a, b_remove);
		r = a_reply;
		if (ran) {
			/* BUSY while A is at the SPMC; otherwise gone,
			 * and A, if after it, refused. */
			CHECK(b_result == 0 || b_result == FFA_BUSY);
			busy += b_result == FFA_BUSY;
			refused += (uint32_t)r.x[0] == FFA_ERROR_32;
			if (b_result == FFA_BUSY)
				CHECK_EQ(simplat_vm_destroy(&sp, 1), 0);
		} else {
			CHECK_EQ(simplat_vm_destroy(&sp, 1), 0);
		}
		if (inv_check_world(&iv)) {
			fprintf(stderr, "%s k=%u: %s\n", name, k, iv.why);
			CHECK(0);
		}
		/* nothing left at the SPMC for the id: the next VM starts
		 * clean */
		if (spmc_notif_bitmap(&sp.spmc, 1)) {
			fprintf(stderr, "%s k=%u: bitmap left at the SPMC\n",
				name, k);
			CHECK(0);
		}
		CHECK_EQ(simplat_vm_add(&sp, 1, VM_RAM, RAM_SIZE), 0);
		call(1, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
		r = call(1, FFA_NOTIFICATION_GET_32, 1, 1, 0, 0, 0);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		CHECK_EQ(r.x[2] | r.x[3], 0);
		explore_check_locks();
		teardown();
	}
	/* both outcomes were seen: the removal while A was at the SPMC,
	 * and A after the removal */
	if (!busy || !refused) {
		fprintf(stderr, "%s: %u points, %u BUSY, %u refused\n", name,
			k, busy, refused);
		CHECK(0);
	}
}

static void test_race_remove(void)
{
	race_remove(a_bind, false, "first BIND");
	race_remove(a_get, true, "GET");
	race_remove(a_set, true, "SET");
	race_remove(a_unbind, true, "UNBIND");
}

static void b_remove_readd(void)
{
	b_result = simplat_vm_destroy(&sp, 1);
	if (!b_result) {
		CHECK_EQ(simplat_vm_add(&sp, 1, VM_RAM, RAM_SIZE), 0);
		call(1, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
	}
}

/* A GET of VM 1's (bitmap created, a notification pending) against the
 * VM's removal and a new VM's addition under the id (B) at every point:
 * the removal answers BUSY while the GET is at the SPMC; otherwise the
 * GET is refused (NOT_SUPPORTED) or answers zeros: never a GET of an id
 * with no bitmap at the SPMC. */
static void test_race_readd(void)
{
	struct ffa_regs r;
	unsigned k;
	bool ran = true;

	for (k = 1; ran; k++) {
		setup();
		get_without_bitmap = 0;
		vm1_bit0_pending();
		b_result = 1;
		ran = interleave(k, a_get, b_remove_readd);
		r = a_reply;
		if (get_without_bitmap) {
			fprintf(stderr, "GET vs re-add k=%u: GET of an id with "
					"no bitmap at the SPMC\n", k);
			CHECK(0);
		}
		/* the old VM's GET past the re-add is refused as a removed
		 * caller's (the endpoint generation), never the new VM's */
		if (ran && b_result == 0 &&
		    (uint32_t)r.x[0] != FFA_SUCCESS_32 &&
		    !((uint32_t)r.x[0] == FFA_ERROR_32 &&
		      (int32_t)r.x[2] == FFA_NOT_SUPPORTED)) {
			fprintf(stderr, "GET vs re-add k=%u: 0x%llx w2 %d\n",
				k, (unsigned long long)r.x[0], (int)r.x[2]);
			CHECK(0);
		}
		explore_check_locks();
		teardown();
	}
}

/* The VM removed and another added under its id, which binds bit 4 and
 * has it pending, while a GET of the removed VM's is in the proxy (every
 * point before its SMC): that GET must not take the new VM's
 * notification (it is refused, or sees the removed VM's bitmap only). */
static void b_remove_add(void)
{
	struct ffa_regs r;

	b_result = simplat_vm_destroy(&sp, 1);
	if (b_result)
		return;
	CHECK_EQ(simplat_vm_add(&sp, 1, VM_RAM, RAM_SIZE), 0);
	call(1, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 0x10, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(spmc_sp_notif_set(&sp.spmc, 0x8001, 1, 0x10, false, 0), 0);
}

static void test_race_remove_add(void)
{
	struct ffa_regs r;
	unsigned k, gone = 0;
	bool ran = true;

	for (k = 1; ran; k++) {
		setup();
		CHECK_EQ(spmc_sp_notif_bind(&sp.spmc, 0x8001, 1, 0x10, false),
			 0);
		vm1_bit0_pending();
		b_result = 1;
		ran = interleave(k, a_get, b_remove_add);
		r = a_reply;
		if (ran && b_result == 0) {
			gone++;
			if ((uint32_t)r.x[0] == FFA_SUCCESS_32 && (r.x[2] & 0x10)) {
				fprintf(stderr, "k=%u: the removed VM's GET took "
						"the new VM's notification\n",
					k);
				CHECK(0);
			}
			CHECK_EQ(spmc_notif_bitmap(&sp.spmc, 1)->pending, 0x10);
		}
		CHECK_EQ(inv_check_world(&iv), 0);
		explore_check_locks();
		teardown();
	}
	CHECK(gone > 0);
}

/* Two vCPUs' first BINDs: the bitmap created once; the second BIND
 * succeeds, or answers BUSY while the first creates it. */
static void test_race_create(void)
{
	struct ffa_regs r;
	unsigned k, busy = 0;
	bool ran = true;

	for (k = 1; ran; k++) {
		setup();
		ran = interleave(k, a_bind, b_bind);
		r = a_reply;
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		if (ran) {
			if ((uint32_t)b_reply.x[0] == FFA_ERROR_32) {
				CHECK_EQ((uint32_t)b_reply.x[2],
					 (uint32_t)FFA_BUSY);
				busy++;
			} else {
				CHECK_EQ(b_reply.x[0], FFA_SUCCESS_32);
			}
		}
		CHECK_EQ(sp.spmc.calls[FFA_FN_NOTIFICATION_BITMAP_CREATE], 1);
		CHECK_EQ(inv_check_world(&iv), 0);
		teardown();
	}
	CHECK(busy > 0); /* B ran while A was creating it */
}

static void b_map_pair(void)
{
	b_result = simplat_vm_msg_buffers(&sp, 1, SIMPLAT_BOUNCE_PA,
					  SIMPLAT_BOUNCE_PA + FFA_PAGE_SIZE, 1);
}

/* VM 1's bounce pair mapped (B) while a GET of its (A) is in the proxy,
 * at every point: BUSY while the GET is at the SPMC (it may take RX
 * buffer full of a message the pair would hold, msg2_relay.c), else
 * mapped; the GET answers either way. */
static void test_race_map(void)
{
	unsigned k, busy = 0, mapped = 0;
	bool ran = true;

	for (k = 1; ran; k++) {
		setup();
		vm1_bit0_pending();
		b_result = 1;
		ran = interleave(k, a_get, b_map_pair);
		if (ran) {
			CHECK(b_result == 0 || b_result == FFA_BUSY);
			busy += b_result == FFA_BUSY;
			mapped += b_result == 0;
		}
		CHECK_EQ(a_reply.x[0], FFA_SUCCESS_32);
		CHECK_EQ(inv_check_world(&iv), 0);
		explore_check_locks();
		teardown();
	}
	CHECK(busy > 0 && mapped > 0);
}

/* An SPMC that creates the bitmap but garbles its reply (w1 junk): the
 * proxy cannot know whether it exists, and one left at the SPMC would make
 * every later create of the id DENIED (Hafnium
 * plat_ffa_notifications_bitmap_create: "already created"), the VM and
 * every later one under the id refused notifications for good. */
static void (*plain_smc)(void *, struct ffa_regs *);

static void garble_create_smc(void *ctx, struct ffa_regs *r)
{
	bool create = (uint32_t)r->x[0] == FFA_NOTIFICATION_BITMAP_CREATE_32;

	plain_smc(ctx, r);
	if (create && (uint32_t)r->x[0] == FFA_SUCCESS_32)
		r->x[1] = 0x5a5a;
}

static void test_create_garbled(void)
{
	struct ffp_endpoint_info ei;
	struct ffa_regs r;

	setup();
	plain_smc = sp.ops.smc;
	sp.ops.smc = garble_create_smc;
	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0);
	sp.ops.smc = plain_smc;
	CHECK_EQ(r.x[0], FFA_ERROR_32);
	CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_ABORTED);
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	CHECK(!ei.notif_bitmap);
	/* nothing of it left at the SPMC: the next BIND creates it anew */
	CHECK(spmc_notif_bitmap(&sp.spmc, 1) == NULL);
	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(inv_check_world(&iv), 0);
	teardown();

	/* Garbled again at the VM's removal: the id's next VM binds. */
	setup();
	plain_smc = sp.ops.smc;
	sp.ops.smc = garble_create_smc;
	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0);
	sp.ops.smc = plain_smc;
	CHECK_EQ(r.x[0], FFA_ERROR_32);
	CHECK_EQ(simplat_vm_destroy(&sp, 1), 0);
	CHECK(spmc_notif_bitmap(&sp.spmc, 1) == NULL);
	CHECK_EQ(simplat_vm_add(&sp, 1, VM_RAM, RAM_SIZE), 0);
	call(1, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(inv_check_world(&iv), 0);
	teardown();
}

/* An SPMC that acts on a notification call of `garble_fn` (0: a
 * BITMAP_CREATE or _DESTROY) but garbles its reply (w1 junk), `garble_left`
 * times: the proxy cannot tell whether the
 * bitmap exists afterwards. Every GET of an id with no bitmap counted. */
static uint32_t garble_fn;
static unsigned garble_left;

static void garble_acted_smc(void *ctx, struct ffa_regs *r)
{
	const uint32_t fn = (uint32_t)r->x[0];
	bool hit = garble_left &&
		   (garble_fn ? fn == garble_fn
			      : fn == FFA_NOTIFICATION_BITMAP_CREATE_32 ||
					fn == FFA_NOTIFICATION_BITMAP_DESTROY_32);

	if ((uint32_t)r->x[0] == FFA_NOTIFICATION_GET_32 &&
	    !spmc_notif_bitmap(&sp.spmc, (uint16_t)r->x[1]))
		get_without_bitmap++;
	plain_smc(ctx, r);
	if (hit && (uint32_t)r->x[0] == FFA_SUCCESS_32) {
		garble_left--;
		r->x[1] = 0x5a5a;
	}
}

/* A garbled DESTROY reply at the removal that did destroy the bitmap:
 * pending, and its retry's DESTROY answers DENIED (no bitmap). That is
 * no sign of pending notifications: no GET of the id follows (Hafnium's
 * SPMC would find no VM for it, api_ffa_notification_get's CHECK), and the
 * id is free again, not BUSY for good. The same with notifications
 * pending and the reply garbled without acting: drained and destroyed. */
static void test_destroy_garbled_acted(void)
{
	struct ffp_endpoint_info ei;
	struct ffa_regs r;

	setup();
	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	plain_smc = sp.ops.smc;
	sp.ops.smc = garble_acted_smc;
	garble_fn = FFA_NOTIFICATION_BITMAP_DESTROY_32;
	garble_left = 1;
	get_without_bitmap = 0;
	CHECK_EQ(simplat_vm_destroy(&sp, 1), 0);
	CHECK(spmc_notif_bitmap(&sp.spmc, 1) == NULL);
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	CHECK(ei.notif_destroy_pending);
	CHECK_EQ(ffp_vm_destroyed_retry(sp.proxy), 0);
	CHECK_EQ(get_without_bitmap, 0);
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	CHECK(!ei.notif_destroy_pending);
	CHECK(spmc_notif_bitmap(&sp.spmc, 1) == NULL);
	CHECK_EQ(simplat_vm_add(&sp, 1, VM_RAM, RAM_SIZE), 0);
	call(1, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(inv_check_world(&iv), 0);
	/* Garbled without acting, a notification pending: the bitmap is
	 * found to exist, drained and destroyed at the add. */
	CHECK_EQ(spmc_notif_bitmap(&sp.spmc, 1) != NULL, 1);
	CHECK_EQ(spmc_sp_notif_set(&sp.spmc, 0x8001, 1, 1, false, 0), 0);
	sp.spmc.notif_fail_fn = FFA_FN_NOTIFICATION_BITMAP_DESTROY;
	sp.spmc.notif_fail_status = 0;
	sp.spmc.notif_fail_left = 1;
	CHECK_EQ(simplat_vm_destroy(&sp, 1), 0);
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	CHECK(ei.notif_destroy_pending);
	CHECK_EQ(simplat_vm_add(&sp, 1, VM_RAM, RAM_SIZE), 0);
	CHECK(spmc_notif_bitmap(&sp.spmc, 1) == NULL);
	CHECK_EQ(get_without_bitmap, 0);
	CHECK_EQ(inv_check_world(&iv), 0);
	sp.ops.smc = plain_smc;
	teardown();

	/* Acted and garbled, then the retry's CREATE (asking whether it is
	 * there) refused DENIED without reaching the SPMC (a platform
	 * fault): taken for "it exists", drained (GETs of an id with none:
	 * unavoidable once told so) and DENIED again. That DENIED leaves it
	 * unsure, so the next retry asks again, finds none and is done,
	 * with no more GETs; not pending, the id BUSY, for good. */
	setup();
	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	plain_smc = sp.ops.smc;
	sp.ops.smc = garble_acted_smc;
	garble_fn = FFA_NOTIFICATION_BITMAP_DESTROY_32;
	garble_left = 1;
	CHECK_EQ(simplat_vm_destroy(&sp, 1), 0);
	CHECK(spmc_notif_bitmap(&sp.spmc, 1) == NULL);
	simplat_fault(&sp, SIMPLAT_OP_SMC, 2, FFA_DENIED);
	CHECK_EQ(ffp_vm_destroyed_retry(sp.proxy), 1);
	get_without_bitmap = 0;
	CHECK_EQ(ffp_vm_destroyed_retry(sp.proxy), 0);
	CHECK_EQ(get_without_bitmap, 0);
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	CHECK(!ei.notif_destroy_pending);
	CHECK_EQ(simplat_vm_add(&sp, 1, VM_RAM, RAM_SIZE), 0);
	CHECK_EQ(inv_check_world(&iv), 0);
	sp.ops.smc = plain_smc;
	teardown();
}

/* A garbled create whose undo is refused (BUSY, without acting), or
 * garbled as well after it acted: the SPMC may hold a bitmap of the VM's
 * the proxy does not know. Not forgotten: the VM's next BIND takes it
 * (its create DENIED: it exists, nothing bound to it) instead of being
 * refused for good, and the VM's removal destroys it (asking first
 * whether it is there), so the id's next VM binds. */
static void create_undo_garbled(int32_t undo_status)
{
	plain_smc = sp.ops.smc;
	sp.ops.smc = garble_acted_smc;
	/* the create, and the undo too unless it is refused */
	garble_fn = undo_status ? FFA_NOTIFICATION_BITMAP_CREATE_32 : 0;
	garble_left = undo_status ? 1 : 2;
	if (undo_status) {
		sp.spmc.notif_fail_fn = FFA_FN_NOTIFICATION_BITMAP_DESTROY;
		sp.spmc.notif_fail_status = undo_status;
		sp.spmc.notif_fail_left = 1;
	}
	get_without_bitmap = 0;
	CHECK_EQ(call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0).x[0],
		 FFA_ERROR_32);
	CHECK_EQ(garble_left, 0);
}

static void test_create_undo_garbled(void)
{
	struct ffa_regs r;

	/* the undo refused: the bitmap stays, the next BIND takes it */
	setup();
	create_undo_garbled(FFA_BUSY);
	CHECK(spmc_notif_bitmap(&sp.spmc, 1) != NULL);
	CHECK_EQ(ffp_endpoint_set_vcpus(sp.proxy, 1, 2), FFA_DENIED);
	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(inv_check_world(&iv), 0);
	CHECK_EQ(simplat_vm_destroy(&sp, 1), 0);
	CHECK(spmc_notif_bitmap(&sp.spmc, 1) == NULL);
	CHECK_EQ(get_without_bitmap, 0);
	sp.ops.smc = plain_smc;
	teardown();

	/* the undo refused, the VM removed before another BIND: the removal
	 * destroys it, and the id's next VM binds */
	setup();
	create_undo_garbled(FFA_BUSY);
	CHECK(spmc_notif_bitmap(&sp.spmc, 1) != NULL);
	CHECK_EQ(simplat_vm_destroy(&sp, 1), 0);
	CHECK(spmc_notif_bitmap(&sp.spmc, 1) == NULL);
	CHECK_EQ(simplat_vm_add(&sp, 1, VM_RAM, RAM_SIZE), 0);
	call(1, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(get_without_bitmap, 0);
	CHECK_EQ(inv_check_world(&iv), 0);
	sp.ops.smc = plain_smc;
	teardown();

	/* the undo acted, its reply garbled (no bitmap), then the next
	 * create refused DENIED without reaching the SPMC (a platform
	 * fault): that DENIED is not taken for the bitmap (fuzz_proxy: W8);
	 * its DESTROY finds none, the call is refused, and the BIND after
	 * creates one */
	setup();
	create_undo_garbled(0);
	CHECK(spmc_notif_bitmap(&sp.spmc, 1) == NULL);
	simplat_fault(&sp, SIMPLAT_OP_SMC, 1, FFA_DENIED);
	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_ERROR_32);
	CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_DENIED);
	CHECK_EQ(inv_check_world(&iv), 0);
	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK(spmc_notif_bitmap(&sp.spmc, 1) != NULL);
	CHECK_EQ(inv_check_world(&iv), 0);
	CHECK_EQ(simplat_vm_destroy(&sp, 1), 0);
	CHECK(spmc_notif_bitmap(&sp.spmc, 1) == NULL);
	CHECK_EQ(get_without_bitmap, 0);
	sp.ops.smc = plain_smc;
	teardown();

	/* the undo acted, its reply garbled: no bitmap, none of it asked
	 * with a GET at the removal; the id's next VM binds */
	setup();
	create_undo_garbled(0);
	CHECK(spmc_notif_bitmap(&sp.spmc, 1) == NULL);
	CHECK_EQ(simplat_vm_destroy(&sp, 1), 0);
	CHECK(spmc_notif_bitmap(&sp.spmc, 1) == NULL);
	CHECK_EQ(get_without_bitmap, 0);
	CHECK_EQ(simplat_vm_add(&sp, 1, VM_RAM, RAM_SIZE), 0);
	call(1, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(inv_check_world(&iv), 0);
	sp.ops.smc = plain_smc;
	teardown();
}

/* Log lines saying `log_want` since it was set. */
static const char *log_want;
static unsigned log_hits;

static void count_logs(void *ctx, unsigned depth,
		       const struct ffp_log_event *ev)
{
	(void)ctx;
	(void)depth;
	if (log_want && ev->why && strstr(ev->why, log_want))
		log_hits++;
}

static void logs_count(const char *want)
{
	sp.hooks.log = count_logs;
	log_want = want;
	log_hits = 0;
}

/* A VM without a bounce pair: the RX buffer full its GET takes at the
 * SPMC is dropped with one log line, and a GET with none pending logs
 * nothing (no spurious "dropped"). */
static void test_spm_drop_log(void)
{
	struct ffa_regs r;

	setup();
	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001u, 0, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	logs_count("(RX buffer full) dropped");
	/* nothing pending: SP and SPM bitmaps asked, nothing logged */
	r = call(1, FFA_NOTIFICATION_GET_32, 1, 0x5, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[6], 0);
	CHECK_EQ(log_hits, 0u);
	/* RX buffer full pending: taken, not passed on, logged once */
	CHECK_EQ(spmc_spm_notif_set(&sp.spmc, 1, FFA_NOTIF_FW_RX_FULL), 0);
	r = call(1, FFA_NOTIFICATION_GET_32, 1, 0x5, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[6], 0);
	CHECK_EQ(log_hits, 1u);
	sp.hooks.log = NULL;
	teardown();
}

/* A partition's message with a UUID delivered to a 1.2 host: its header
 * has room for the UUID, so no "UUID dropped" is logged (a 1.1
 * receiver's is: msg2/relay-h11-s12.ffa). */
static void test_uuid_kept_no_log(void)
{
	struct spmc_msg2_opts o;
	struct ffa_regs r;

	explore_world_one(0x10f, RAM, VM_RAM, RAM_SIZE);
	r = call(0, FFA_RXTX_MAP_64, RAM, RAM + 0x1000, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	/* the proxy's pair mapped at the SPMC, the host's RX given back */
	r = call(0, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(0, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	memset(&o, 0, sizeof(o));
	o.uuid[0] = 0xab;
	CHECK_EQ(spmc_sp_msg_send2_ex(&sp.spmc, 0x8001, 0, 8, &o), 0);
	logs_count("UUID dropped");
	r = call(0, FFA_NOTIFICATION_GET_32, 0, 0x4, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[6], FFA_NOTIF_FW_RX_FULL);
	CHECK_EQ(log_hits, 0u);
	sp.hooks.log = NULL;
	teardown();
}

/* cfg.npi_intid: a GIC interrupt id, 1020..1023 being none. */
static void test_config(void)
{
	static uint8_t tx[4096], rx[4096];
	struct ffp_config cfg;

	ffp_config_default(&cfg);
	cfg.buffers.tx = tx;
	cfg.buffers.rx = rx;
	cfg.buffers.tx_pa = 0x10000000;
	cfg.buffers.rx_pa = 0x10001000;
	cfg.buffers.pages = 1;
	CHECK(ffp_instance_size(&cfg) != 0);
	cfg.npi_intid = 5000; /* not offered: not looked at */
	CHECK(ffp_instance_size(&cfg) != 0);
	cfg.npi_offered = true;
	CHECK_EQ(ffp_instance_size(&cfg), 0);
	cfg.npi_intid = 1020;
	CHECK_EQ(ffp_instance_size(&cfg), 0);
	cfg.npi_intid = 1019;
	CHECK(ffp_instance_size(&cfg) != 0);
}

int main(void)
{
	RUN(test_config);
	RUN(test_set_vcpus);
	RUN(test_retry_count);
	RUN(test_spm_drop_log);
	RUN(test_uuid_kept_no_log);
	RUN(test_race_remove);
	RUN(test_race_remove_add);
	RUN(test_race_create);
	RUN(test_race_map);
	RUN(test_create_garbled);
	RUN(test_destroy_garbled_acted);
	RUN(test_create_undo_garbled);
	RUN(test_race_readd);
	return test_summary("test_notif");
}
