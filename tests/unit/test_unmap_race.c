/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * FFA_RXTX_UNMAP of buffers a transaction still awaits fragments in: the
 * unmap first aborts that transaction (ffp_mem_endpoint_teardown, under
 * BUFFERS), then looks again under STATE. Between the two, another CPU of
 * the caller may have taken BUFFERS and begun a call that uses the
 * buffers (ep->busy): the unmap must then answer BUSY and release
 * nothing, the buffers staying the caller's and the other call's. Every
 * such call holds BUFFERS from its busy++ to its end, so the single-threaded
 * explorer (test_gen), which runs the other CPU's call whole, cannot
 * reach that window. Here two threads do: the other CPU's PARTITION_INFO_GET
 * is started while the teardown's SMC is out, and held at its own first
 * SMC (busy set, BUFFERS held) until the unmap has answered.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "explore.h"
#include "ffaproxy/mem.h"
#include "sim/simmem.h"
#include "sim/spmc.h"
#include "src/internal.h"

#define RAM 0x80000000ull
#define VM_RAM 0x90000000ull
#define RAM_SIZE 0x100000ull
#define TX RAM
#define RX (RAM + 0x1000)
#define PAGES (RAM + 0x10000)

static void (*real_smc)(void *, struct ffa_regs *);
static void (*real_unlock)(void *, enum ffp_lock);
static pthread_t cpu0, other;
static bool other_started, waited;
static int other_in_smc, unmap_done; /* atomics */
static struct ffa_regs other_regs;
static const char *unmap_why;

static void on_log(void *ctx, unsigned depth, const struct ffp_log_event *ev)
{
	(void)ctx;
	(void)depth;
	if (pthread_equal(pthread_self(), cpu0) &&
	    ev->func == FFA_RXTX_UNMAP_32)
		unmap_why = ev->why;
}

static void wait_for(const int *flag)
{
	struct timespec ts = { 0, 1000000 };
	unsigned i;

	for (i = 0; i < 5000 && !__atomic_load_n(flag, __ATOMIC_ACQUIRE); i++)
		nanosleep(&ts, NULL);
	CHECK(__atomic_load_n(flag, __ATOMIC_ACQUIRE));
}

/* The other CPU: the host's PARTITION_INFO_GET (its RX the proxy's to
 * fill), run whole on its own thread. */
static void *other_cpu(void *arg)
{
	(void)arg;
	memset(&other_regs, 0, sizeof(other_regs));
	other_regs.x[0] = FFA_PARTITION_INFO_GET_32;
	CHECK(ffp_handle(sp.proxy, 0, &other_regs));
	return NULL;
}

/* The unmap's teardown sends FFA_MEM_RECLAIM (the transaction is
 * incomplete at the SPMC): the other CPU starts then, and waits for
 * BUFFERS. Its own first SMC is held until the unmap has answered. */
static void race_smc(void *ctx, struct ffa_regs *r)
{
	if (!pthread_equal(pthread_self(), cpu0)) {
		__atomic_store_n(&other_in_smc, 1, __ATOMIC_RELEASE);
		wait_for(&unmap_done);
	} else if ((uint32_t)r->x[0] == FFA_MEM_RECLAIM_32 && !other_started) {
		other_started = true;
		CHECK_EQ(pthread_create(&other, NULL, other_cpu, NULL), 0);
	}
	real_smc(ctx, r);
}

/* The teardown's end (CPU 0's first BUFFERS unlock after the other CPU
 * started): wait until the other CPU is inside its call, past busy++. */
static void race_unlock(void *ctx, enum ffp_lock which)
{
	real_unlock(ctx, which);
	if (pthread_equal(pthread_self(), cpu0) && which == FFP_LOCK_BUFFERS &&
	    other_started && !waited) {
		waited = true;
		wait_for(&other_in_smc);
	}
}

/* A v1.2 share of two pages in two constituents at TX, `total` bytes. */
static uint32_t build_desc(uint32_t *first)
{
	uint8_t buf[256];
	struct ffa_mem_txn t;
	uint32_t len = 0, i;

	memset(&t, 0, sizeof(t));
	t.attributes = 0x2f;
	t.receiver_count = 1;
	t.receivers[0].id = 0x8001;
	t.receivers[0].perms = FFA_MEM_PERM_RW;
	t.total_pages = 2;
	t.range_count = 2;
	CHECK_EQ(ffa_mem_emit(FFA_VERSION_1_2, &t, buf, sizeof(buf), &len), 0);
	*first = len + 16;
	for (i = 0; i < 2; i++) {
		ffa_put64(buf + len, PAGES + (uint64_t)i * 0x1000);
		ffa_put32(buf + len + 8, 1);
		ffa_put32(buf + len + 12, 0);
		len += 16;
	}
	CHECK_EQ(simmem_write(sp.mem, TX, buf, len), 0);
	return len;
}

static enum ffp_page_state page_state(uint64_t pa)
{
	struct simmem_page pg;

	CHECK_EQ(simmem_page(sp.mem, pa, &pg), 0);
	return pg.state;
}

static void test_unmap_while_other_cpu_uses_buffers(void)
{
	struct ffp_endpoint_info ei;
	struct ffa_regs r;
	uint32_t total, first;

	explore_world_one(0x3, RAM, VM_RAM, RAM_SIZE);
	sp.hooks.log = on_log;
	r = call(0, FFA_RXTX_MAP_64, TX, RX, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	/* the first fragment only: the transaction awaits the second */
	total = build_desc(&first);
	r = call(0, FFA_MEM_SHARE_32, total, first, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
	CHECK_EQ(page_state(PAGES), FFP_PAGE_SHARED);
	CHECK_EQ(spmc_transaction_count(&sp.spmc), 1u);

	CHECK_EQ(simplat_threaded(&sp), 0);
	cpu0 = pthread_self();
	real_smc = sp.ops.smc;
	real_unlock = sp.ops.unlock;
	sp.ops.smc = race_smc;
	sp.ops.unlock = race_unlock;

	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_RXTX_UNMAP_32;
	CHECK(ffp_handle(sp.proxy, 0, &r));
	__atomic_store_n(&unmap_done, 1, __ATOMIC_RELEASE);
	CHECK(other_started);
	if (other_started)
		CHECK_EQ(pthread_join(other, NULL), 0);
	sp.ops.smc = real_smc;
	sp.ops.unlock = real_unlock;

	/* BUSY, w1 and w3..w7 zero, for the other CPU's use. */
	CHECK_EQ(r.x[0], FFA_ERROR_32);
	CHECK_EQ(r.x[2], (uint32_t)FFA_BUSY);
	CHECK_EQ(r.x[1] | r.x[3] | r.x[4] | r.x[5] | r.x[6] | r.x[7], 0u);
	CHECK(unmap_why &&
	      strstr(unmap_why, "RXTX_UNMAP: the proxy is using the buffers"));
	/* The teardown ran: the transaction gone at the SPMC and in the
	 * proxy, its pages the host's again. */
	CHECK_EQ(spmc_transaction_count(&sp.spmc), 0u);
	CHECK_EQ(page_state(PAGES), FFP_PAGE_OWNED);
	CHECK_EQ(page_state(PAGES + 0x1000), FFP_PAGE_OWNED);
	/* The buffers kept: the other CPU's query filled the RX. */
	CHECK_EQ(other_regs.x[0], FFA_SUCCESS_32);
	CHECK_EQ(other_regs.x[2], 1u);
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 0, &ei), 0);
	CHECK(ei.buffers_mapped && ei.rx_held);
	CHECK_EQ(page_state(TX), FFP_PAGE_SHARED_PROXY);
	CHECK_EQ(page_state(RX), FFP_PAGE_SHARED_PROXY);
	CHECK_EQ(lock_errors, 0);
	if (inv_check_world(&iv)) {
		fprintf(stderr, "invariant: %s\n", iv.why);
		CHECK(0);
	}

	/* Once the host releases its RX, the unmap goes through. */
	r = call(0, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(0, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(page_state(TX), FFP_PAGE_OWNED);
	CHECK_EQ(page_state(RX), FFP_PAGE_OWNED);
	inv_fini(&iv);
	simplat_destroy(&sp);
}

int main(void)
{
	RUN(test_unmap_while_other_cpu_uses_buffers);
	return test_summary("test_unmap_race");
}
