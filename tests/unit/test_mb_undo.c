/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The undo of a VM's bounce-pair map whose VM is removed meanwhile
 * (ffp_endpoint_set_msg_buffers): the map runs under BUFFERS whole, and
 * the removal takes BUFFERS only after it has given the endpoint a new
 * generation, so the single-threaded explorer (test_gen) cannot reach
 * it. Here two threads do: the set's forwarded FFA_RXTX_MAP is held at
 * the SPMC until the other CPU's removal has bumped the generation and
 * waits for BUFFERS. The map then finds its VM gone: it must unmap what
 * it mapped (or, refused, keep the unmap pending so that no new VM under
 * the id meets the old pair) and answer INVALID_PARAMETERS.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "explore.h"
#include "sim/spmc.h"
#include "src/internal.h"

#define RAM 0x80000000ull
#define VM_RAM 0x90000000ull
#define RAM_SIZE 0x100000ull
#define BOUNCE SIMPLAT_BOUNCE_PA

static void (*real_smc)(void *, struct ffa_regs *);
static pthread_t remover;
static bool remover_started;
static int remove_status;
static bool refuse_undo;  /* the SPMC refuses the undo's unmap */
static unsigned unmaps;   /* forwarded unmaps of VM 1's pair */

static void *remove_vm(void *arg)
{
	(void)arg;
	remove_status = simplat_vm_destroy(&sp, 1);
	return NULL;
}

static uint32_t gen_of(uint16_t id)
{
	return __atomic_load_n(&sp.proxy->eps[id].gen, __ATOMIC_ACQUIRE);
}

/* Every SMC of the proxy's: the forwarded map of VM 1's pair (x1..x3
 * zero) waits, before it reaches the SPMC, for the other CPU's removal
 * to give VM 1 a new generation. */
static void race_smc(void *ctx, struct ffa_regs *r)
{
	const uint32_t fn = (uint32_t)r->x[0];
	struct timespec ts = { 0, 1000000 };
	uint32_t gen;
	unsigned i;

	if (fn == FFA_RXTX_UNMAP_32 && r->x[1] == 1u << 16)
		unmaps++;
	if (fn == FFA_RXTX_MAP_64 && !r->x[1] && !r->x[2] && !r->x[3] &&
	    !remover_started) {
		remover_started = true;
		gen = gen_of(1);
		CHECK_EQ(pthread_create(&remover, NULL, remove_vm, NULL), 0);
		for (i = 0; i < 5000 && gen_of(1) == gen; i++)
			nanosleep(&ts, NULL);
		CHECK(gen_of(1) != gen);
		if (refuse_undo) {
			/* the next unmap (the undo's) refused, DENIED */
			simplat_world_lock(&sp);
			sp.spmc.notif_fail_fn = FFA_FN_RXTX_UNMAP;
			sp.spmc.notif_fail_left = 1;
			sp.spmc.notif_fail_status = FFA_DENIED;
			simplat_world_unlock(&sp);
		}
	}
	real_smc(ctx, r);
}

/* explore.h's world (host and VM 1 locked out of nothing yet; 0x8001
 * takes indirect messages), made threaded. */
static void setup(bool refuse)
{
	remover_started = false;
	remove_status = 1;
	refuse_undo = refuse;
	unmaps = 0;
	lock_errors = 0;
	explore_world_one(0x3 | FFA_PART_PROP_INDIRECT_MSG, RAM, VM_RAM,
			  RAM_SIZE);
	CHECK_EQ(simplat_threaded(&sp), 0);
	real_smc = sp.ops.smc;
	sp.ops.smc = race_smc;
}

/* The set and the removal raced; what the world must then be. */
static void raced(void)
{
	int st = simplat_vm_msg_buffers(&sp, 1, BOUNCE, BOUNCE + 0x1000, 1);

	CHECK(remover_started);
	if (remover_started)
		CHECK_EQ(pthread_join(remover, NULL), 0);
	/* The map found VM 1 gone: refused as for an absent id. */
	CHECK_EQ(st, FFA_INVALID_PARAMETERS);
	CHECK_EQ(remove_status, 0);
	CHECK_EQ(lock_errors, 0);
	CHECK_EQ(unmaps, 1); /* the undo's, not the removal's */
}

static void test_undo(void)
{
	struct ffp_endpoint_info ei;

	setup(false);
	raced();
	/* Nothing of the old VM's left at the SPMC or in the proxy. */
	CHECK(spmc_vm_mbox(&sp.spmc, 1) == NULL);
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	CHECK(!ei.present && !ei.msg_buffers && !ei.msg_unmap_pending);
	/* A new VM under the id gets a pair of its own at once. */
	CHECK_EQ(simplat_vm_add(&sp, 1, VM_RAM, RAM_SIZE), 0);
	CHECK_EQ(simplat_vm_msg_buffers(&sp, 1, BOUNCE, BOUNCE + 0x1000, 1),
		 0);
	CHECK(spmc_vm_mbox(&sp.spmc, 1) != NULL);
	if (inv_check_world(&iv)) {
		fprintf(stderr, "invariant: %s\n", iv.why);
		CHECK(0);
	}
	inv_fini(&iv);
	simplat_destroy(&sp);
}

/* The undo's unmap refused: the pair stays the SPMC's, recorded as an
 * unmap pending, and the id's next add unmaps it first. */
static void test_undo_refused(void)
{
	struct ffp_endpoint_info ei;
	const struct spmc_vm_mbox *mb;

	setup(true);
	raced();
	mb = spmc_vm_mbox(&sp.spmc, 1);
	CHECK(mb != NULL);
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	CHECK(!ei.present && ei.msg_unmap_pending);
	/* Another VM's pair over the old one is refused while it is the
	 * SPMC's. */
	CHECK_EQ(simplat_vm_add(&sp, 2, VM_RAM + RAM_SIZE, RAM_SIZE), 0);
	CHECK_EQ(simplat_vm_msg_buffers(&sp, 2, BOUNCE, BOUNCE + 0x1000, 1),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(simplat_vm_add(&sp, 1, VM_RAM, RAM_SIZE), 0);
	CHECK_EQ(unmaps, 2);
	CHECK(spmc_vm_mbox(&sp.spmc, 1) == NULL);
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	CHECK(ei.present && !ei.msg_buffers && !ei.msg_unmap_pending);
	CHECK_EQ(lock_errors, 0);
	inv_fini(&iv);
	simplat_destroy(&sp);
}

int main(void)
{
	RUN(test_undo);
	RUN(test_undo_refused);
	return test_summary("test_mb_undo");
}
