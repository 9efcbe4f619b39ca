/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The SMP loop (BP_SMP, QEMU -smp 2): the client's CPU 0 turns its CPU 1
 * on with PSCI CPU_ON (the stub's, which asks EL3 for the physical CPU
 * 1), then both, vCPUs 0 and 1 of the one endpoint, make FF-A calls at
 * the same time: the proxy's locks, its lanes, the stub's stage-2 and
 * EL3's lock around the SPMC model meet real concurrent SMCs.
 *
 * Per iteration each CPU makes ID_GET, FEATURES, a direct request to its
 * own partition (0x8001 for CPU 0, 0x8002 for CPU 1: a partition's vCPU
 * takes one request at a time), a direct request with a spoofed sender
 * (refused), a share (even iterations) or lend (odd) of one of its own
 * pages with the page state checked through the stub, a share of its TX
 * page (refused: DENIED) and the reclaim; CPU 0 then calls
 * PARTITION_INFO_GET_REGS (register-only), CPU 1 PARTITION_INFO_GET and
 * RX_RELEASE (the RX is the endpoint's, so one CPU only). Then, from
 * 1.1, CPU 0 sends 0x8001 a message (MSG_SEND2) and sets its
 * notification, CPU 1 takes 0x8001's notification and message
 * (NOTIFICATION_GET, RX_RELEASE), 0x8001's side played by EL3's test
 * services. The TX buffer is the endpoint's too: the CPUs take turns
 * writing it (a guest's driver holds a lock there as well; Linux's
 * ffa_dev mutex).
 *
 * Nothing is printed during the loop (the stub and EL3 are told to count
 * instead, EL2_HVC_TRACE); CPU 1 records what it saw, CPU 0 waits for it
 * and checks both CPUs' counts, the SPMC's and the proxy's transactions,
 * the SPMC's call counts and the stage-2 digest. After it, the two CPUs
 * lend each other's touched pages (smp_cross: stale translations).
 */
#include <ffaproxy/ffa.h>
#include <ffaproxy/mem.h> /* constants only */

#include "el2/client/client.h"
#include "el2/common/arm.h"
#include "el2/common/board.h"
#include "el2/common/console.h"
#include "el2/common/memdesc.h"

/* Iterations per CPU, at least: a CPU done with them goes on until the
 * other is too (at most SMP_MAX_ITERATIONS), so that the loops overlap
 * whole however the host schedules the two CPUs' threads. About 1 to 3
 * s of loop on a two-core host, well under the 30 s timeout. */
#define SMP_ITERATIONS 2000u
#define SMP_MAX_ITERATIONS (8 * SMP_ITERATIONS)
#define SMP_PAGES 4u /* each CPU's own pages, used in turn */
#define SMP_CTX 0x5eed0001u /* CPU_ON's context id, checked by CPU 1 */
#define PAGE 4096u
/* EL2_MEM=0 leaves the memory calls out of the loop too. */
#define SMP_MEM (EL2_MEM != 0)

void client_secondary_entry(uint64_t ctx); /* start.S */
void client_secondary(uint64_t ctx);

static uint8_t smp_pool[BOARD_MAX_CPUS][SMP_PAGES][PAGE]
	__attribute__((aligned(4096)));

/* What one CPU's loop saw, read by CPU 0 after the join. */
struct smp_result {
	uint32_t iterations;
	uint32_t ok, bad;   /* calls answered as expected, or not */
	uint32_t bad_iter;  /* the first bad one's */
	const char *bad_what;
	uint64_t bad_x0, bad_x2;
	uint32_t faults;    /* lent pages that faulted when touched */
	uint64_t smcs, refusals; /* this CPU's, over the loop (the stub's) */
	uint64_t contended; /* proxy locks it found held by the other CPU */
	uint64_t start, end; /* counter ticks */
};
static struct smp_result results[BOARD_MAX_CPUS];

/* Flags between the CPUs: written with release, read with acquire. */
static uint32_t cpu1_up, go, cpu1_done, min_done[BOARD_MAX_CPUS];
/* The cross-CPU lends (smp_cross): the steps done so far, each advanced
 * by the CPU whose turn it is; and CPU 1 done with them. */
static uint32_t cross_step, cross_done;
static struct smp_result cross[BOARD_MAX_CPUS];
static uint64_t cpu1_ctx;
static uint64_t tx_owner; /* the endpoint's TX buffer: 0 or MPIDR + 1 */

static void tx_lock(void)
{
	uint64_t me = read_sysreg(mpidr_el1) + 1, free_ = 0;

	while (!__atomic_compare_exchange_n(&tx_owner, &free_, me, false,
					    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		free_ = 0;
}

static void tx_unlock(void)
{
	__atomic_store_n(&tx_owner, 0, __ATOMIC_RELEASE);
}

/* Seconds since boot, as the counter ticks (CNTHCTL_EL2 lets EL1 read
 * it). */
static uint64_t now_ticks(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

/* Wait until *flag is nonzero, at most `secs` seconds: false on timeout. */
static bool wait_flag(const uint32_t *flag, uint64_t secs)
{
	uint64_t end = now_ticks() + secs * read_sysreg(cntfrq_el0);

	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE))
		if (now_ticks() > end)
			return false;
	return true;
}

static void el2_trace(bool on)
{
	struct ffa_regs r = { { 0 } };

	r.x[0] = EL2_HVC_TRACE;
	r.x[1] = on;
	arm_hvc(&r);
}

/* This CPU's SMCs, the proxy's refusals on it and the proxy locks it
 * found held, as the stub counts. */
static void el2_counts(uint64_t *smcs, uint64_t *refusals,
		       uint64_t *contended)
{
	struct ffa_regs r = { { 0 } };

	r.x[0] = EL2_HVC_SMCS;
	arm_hvc(&r);
	*smcs = r.x[0];
	*refusals = r.x[1];
	*contended = r.x[2];
}

static uint64_t proxy_txns(void)
{
	struct ffa_regs r = { { 0 } };

	r.x[0] = EL2_HVC_TXNS;
	arm_hvc(&r);
	return r.x[0];
}

/* The SPMC model's transactions (x0), calls of function number `fn`
 * (x1) and all its calls (x2), through the stub's relay of EL3's test
 * services. */
static void spmc_stats(uint32_t fn, uint64_t *txns, uint64_t *calls,
		       uint64_t *total)
{
	struct ffa_regs r = { { 0 } };

	r.x[0] = EL2_HVC_EL3_TEST;
	r.x[1] = EL3_SIP_STATS;
	r.x[2] = fn;
	arm_hvc(&r);
	*txns = r.x[0];
	*calls = r.x[1];
	*total = r.x[2];
}

static void note(struct smp_result *res, bool good, uint32_t iter,
		 const char *what, const struct ffa_regs *r)
{
	if (good) {
		res->ok++;
		return;
	}
	if (!res->bad++) {
		res->bad_iter = iter;
		res->bad_what = what;
		res->bad_x0 = r->x[0];
		res->bad_x2 = r->x[2];
	}
}

/* A direct request to `part` with a payload naming CPU and iteration:
 * REQ_32 on even iterations; REQ2 (both sides 1.2, 0x8001 only: 0x8002
 * takes no REQ2) or REQ_64 on odd ones. Answered with each payload
 * register plus one. */
static bool direct(uint16_t part, uint32_t c, uint32_t i)
{
	bool req2 = part == 0x8001 && cl.served >= FFA_VERSION_1_2 &&
		    cl.spmc_use >= FFA_VERSION_1_2;
	uint32_t k, first, last;
	struct ffa_regs r;
	uint64_t v, resp;
	bool good;

	for (k = 0; k < FFA_NREGS; k++)
		r.x[k] = 0;
	r.x[1] = (uint64_t)EL1_ENDPOINT_ID << 16 | part;
	if (i % 2 == 0) {
		r.x[0] = FFA_MSG_SEND_DIRECT_REQ_32;
		resp = FFA_MSG_SEND_DIRECT_RESP_32;
		first = 3;
		last = 7;
	} else if (req2) {
		r.x[0] = FFA_MSG_SEND_DIRECT_REQ2_64;
		resp = FFA_MSG_SEND_DIRECT_RESP2_64;
		first = 4;
		last = FFA_NREGS - 1;
	} else {
		r.x[0] = FFA_MSG_SEND_DIRECT_REQ_64;
		resp = FFA_MSG_SEND_DIRECT_RESP_64;
		first = 3;
		last = 7;
	}
	for (k = first; k <= last; k++) {
		v = (uint64_t)c << 28 | (uint64_t)i << 8 | k;
		r.x[k] = i % 2 ? v << 32 | v : v;
	}
	arm_smc(&r);
	good = r.x[0] == resp &&
	       r.x[1] == ((uint64_t)part << 16 | EL1_ENDPOINT_ID);
	for (k = first; good && k <= last; k++) {
		v = (uint64_t)c << 28 | (uint64_t)i << 8 | k;
		good = r.x[k] == (i % 2 ? v << 32 | v : v) + 1;
	}
	return good;
}

/* Share (even iterations) or lend (odd) `page` to `part`, the descriptor
 * written in the endpoint's TX under tx_lock. *h: the handle. */
static bool give(uint64_t page, uint16_t part, uint32_t i, struct ffa_regs *r,
		 uint64_t *h)
{
	struct md_range range = { page, 1 };
	struct mdesc d = { i % 2 ? FFA_MEM_TXN_LEND : FFA_MEM_TXN_SHARE,
			   EL1_ENDPOINT_ID, 1, { part, 0 },
			   { FFA_MEM_PERM_RW, 0 }, &range, 1, 0 };
	uint32_t len;

	tx_lock();
	len = memdesc_build((uint8_t *)(uintptr_t)cl.tx, PAGE, cl.served, &d);
	smc6(r, i % 2 ? FFA_MEM_LEND_32 : FFA_MEM_SHARE_32, len, len, 0, 0, 0);
	tx_unlock();
	*h = (uint32_t)r->x[2] | ((uint64_t)(uint32_t)r->x[3] << 32);
	return len && ffa_ok(r);
}

/* Adversarial: a share of the endpoint's own TX page (shared with the
 * proxy): DENIED, nothing forwarded. */
static bool give_tx_page(struct ffa_regs *r)
{
	struct md_range range = { cl.tx, 1 };
	struct mdesc d = { FFA_MEM_TXN_SHARE, EL1_ENDPOINT_ID, 1, { 0x8001, 0 },
			   { FFA_MEM_PERM_RW, 0 }, &range, 1, 0 };
	uint32_t len;

	tx_lock();
	len = memdesc_build((uint8_t *)(uintptr_t)cl.tx, PAGE, cl.served, &d);
	smc6(r, FFA_MEM_SHARE_32, len, len, 0, 0, 0);
	tx_unlock();
	return ffa_err(r) == FFA_DENIED;
}

static bool page_is(uint64_t pa, enum ffp_page_state want, bool mapped_want)
{
	bool mapped;

	return page_state(pa, &mapped) == (int)want && mapped == mapped_want;
}

/* The register form, CPU 0's partition query (no RX). */
static bool info_regs(void)
{
	struct ffa_regs r;

	smc6(&r, FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0, 0, 0);
	return (uint32_t)r.x[0] == FFA_SUCCESS_64 &&
	       (uint16_t)r.x[3] == 0x8001 && (uint16_t)r.x[6] == 0x8002;
}

/* The buffer form, CPU 1's: two descriptors in the endpoint's RX, which
 * CPU 1 then releases. */
static bool info_rx(struct ffa_regs *r)
{
	const uint8_t *rx = (const uint8_t *)(uintptr_t)cl.rx;
	uint32_t size = cl.served >= FFA_VERSION_1_1 ? 24 : 8;
	bool good;

	smc6(r, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0);
	good = ffa_ok(r) && r->x[2] == 2 && ffa_get16(rx) == 0x8001 &&
	       ffa_get16(rx + size) == 0x8002;
	smc6(r, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
	return good && ffa_ok(r);
}

/* Notifications and indirect messages in the loop, with partition
 * 0x8001 playing its side through EL3's test services: CPU 0 sets
 * 0x8001's bit 9 (bound to the client as sender) and sends it messages;
 * CPU 1 takes the client's bit 34 (bound to 0x8001) and 0x8001's
 * messages, in the endpoint's RX, which only CPU 1 uses. Where the
 * single-CPU steps have them: both sides at 1.1 or later and a bounce
 * pair (the stub gives one unless strict before any version lock;
 * steps_msg2.c, steps_notif.c). */
#define SMP_SP_BIT (1ull << 9)
#define SMP_VM_BIT (1ull << 34)

static bool smp_msgs(void)
{
	return cl.served >= FFA_VERSION_1_1 && cl.spmc_use >= FFA_VERSION_1_1 &&
	       !(cl.strict && !cl.prelock);
}

/* One of EL3's test services for 0x8001 (EL3_SIP_NOTIF, EL3_SIP_MSG2):
 * x0 as a status. */
static int64_t sp_test(uint32_t sip, uint64_t op, uint64_t vm, uint64_t arg,
		       struct ffa_regs *r)
{
	regs_set(r, EL2_HVC_EL3_TEST, sip, 0x8001, op, vm, arg);
	arm_hvc(r);
	return (int64_t)r->x[0];
}

static uint32_t msg_size(uint32_t i)
{
	return 8 + i % 32;
}

/* CPU 0: a message to 0x8001 (the TX under tx_lock), found at EL3 and
 * taken there; a notification to 0x8001, taken at EL3. */
static void smp_msg_out(struct smp_result *res, uint32_t i)
{
	uint32_t hdr = cl.served >= FFA_VERSION_1_2 ? 40u : 20u, k, sum;
	uint8_t *tx = (uint8_t *)(uintptr_t)cl.tx;
	uint32_t size = msg_size(i);
	struct ffa_regs r, mb;
	bool good;

	tx_lock();
	msg2_put_header(tx, hdr, hdr, EL1_ENDPOINT_ID, 0x8001, size);
	for (k = 0; k < size; k++)
		tx[hdr + k] = (uint8_t)(i + k);
	sum = msg2_sum(tx + hdr, size);
	smc6(&r, FFA_MSG_SEND2_32, 0, 0, 0, 0, 0);
	tx_unlock();
	good = r.x[0] == FFA_SUCCESS_32 &&
	       sp_test(EL3_SIP_MSG2, EL3_MSG2_MAILBOX, 0, 0, &mb) >= 0 &&
	       (mb.x[1] & 1) &&
	       ((mb.x[1] >> 16) & 0xffff) == EL1_ENDPOINT_ID &&
	       mb.x[1] >> 32 == size && (uint32_t)mb.x[2] == sum &&
	       sp_test(EL3_SIP_MSG2, EL3_MSG2_RELEASE, 0, 0, &mb) == 0;
	note(res, good, i, "MSG_SEND2 to 0x8001, its mailbox at EL3", &r);
	smc6(&r, FFA_NOTIFICATION_SET_32,
	     (uint64_t)EL1_ENDPOINT_ID << 16 | 0x8001, 0, (uint32_t)SMP_SP_BIT,
	     SMP_SP_BIT >> 32, 0);
	good = r.x[0] == FFA_SUCCESS_32 &&
	       sp_test(EL3_SIP_NOTIF, EL3_NOTIF_GET, 0, 0, &mb) == 0 &&
	       mb.x[1] == SMP_SP_BIT;
	note(res, good, i, "NOTIFICATION_SET to 0x8001, taken at EL3", &r);
}

/* CPU 1: 0x8001 sets the client's bit, NOTIFICATION_GET takes it; 0x8001
 * sends the client a message, NOTIFICATION_GET(SPM) brings it into the
 * RX (w6: RX full), RX_RELEASE. */
static void smp_msg_in(struct smp_result *res, uint32_t i)
{
	uint32_t hdr = cl.served >= FFA_VERSION_1_2 ? 40u : 20u;
	uint32_t size = msg_size(i);
	struct ffa_regs r, t;
	bool good;

	good = sp_test(EL3_SIP_NOTIF, EL3_NOTIF_SET, EL1_ENDPOINT_ID,
		       SMP_VM_BIT, &t) == 0;
	smc6(&r, FFA_NOTIFICATION_GET_32, EL1_ENDPOINT_ID, FFA_NOTIF_GET_SP, 0,
	     0, 0);
	note(res, good && r.x[0] == FFA_SUCCESS_32 &&
			  r.x[2] == (uint32_t)SMP_VM_BIT &&
			  r.x[3] == SMP_VM_BIT >> 32,
	     i, "NOTIFICATION_GET of 0x8001's notification", &r);
	good = sp_test(EL3_SIP_MSG2, EL3_MSG2_SEND, EL1_ENDPOINT_ID, size,
		       &t) == 0;
	smc6(&r, FFA_NOTIFICATION_GET_32, EL1_ENDPOINT_ID, FFA_NOTIF_GET_SPM, 0,
	     0, 0);
	good = good && r.x[0] == FFA_SUCCESS_32 &&
	       r.x[6] == FFA_NOTIF_FW_RX_FULL && msg2_rx_holds(hdr, size);
	smc6(&t, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
	note(res, good && ffa_ok(&t), i,
	     "0x8001's message through NOTIFICATION_GET(SPM), RX_RELEASE", &r);
}

/* Iteration i's memory calls on CPU c: a share (even i) or lend (odd) of
 * one of its pages to its partition `part`, its state, a share of the TX
 * page refused, the reclaim and the page as it was. */
static void smp_mem(struct smp_result *res, uint32_t c, uint32_t i,
		    uint16_t part)
{
	uint64_t page = (uintptr_t)smp_pool[c][i % SMP_PAGES];
	uint64_t mark = (uint64_t)c << 32 | i, h, v;
	bool lend = i % 2;
	struct ffa_regs r;

	*(volatile uint64_t *)(uintptr_t)page = mark;
	note(res, give(page, part, i, &r, &h), i,
	     lend ? "MEM_LEND" : "MEM_SHARE", &r);
	note(res, page_is(page, lend ? FFP_PAGE_LENT : FFP_PAGE_SHARED, !lend),
	     i, "page state after the share or lend", &r);
	if (lend) {
		/* the stub unmapped it: this CPU's access faults */
		bool faulted = touch_read(page, &v);

		res->faults += faulted;
		note(res, faulted, i, "touch of the lent page", &r);
	}
	note(res, give_tx_page(&r), i, "share of the TX page", &r);
	smc6(&r, FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32, 0, 0, 0);
	note(res, ffa_ok(&r), i, "MEM_RECLAIM", &r);
	note(res, page_is(page, FFP_PAGE_OWNED, true) &&
			  *(volatile uint64_t *)(uintptr_t)page == mark,
	     i, "page owned again, contents kept", &r);
}

/* One CPU's loop (c: its index). */
static void smp_loop(uint32_t c)
{
	struct smp_result *res = &results[c];
	uint16_t part = c ? 0x8002 : 0x8001;
	uint64_t smcs0, ref0, cont0;
	struct ffa_regs r;
	uint32_t i;

	el2_counts(&smcs0, &ref0, &cont0);
	res->start = now_ticks();
	for (i = 0; i < SMP_MAX_ITERATIONS; i++) {
		smc6(&r, FFA_ID_GET_32, 0, 0, 0, 0, 0);
		note(res, ffa_ok(&r) && r.x[2] == EL1_ENDPOINT_ID, i, "ID_GET",
		     &r);
		smc6(&r, FFA_FEATURES_32, FFA_MEM_SHARE_64, 0, 0, 0, 0);
		note(res, ffa_ok(&r), i, "FEATURES(MEM_SHARE_64)", &r);
		note(res, direct(part, c, i), i, "direct request", &r);
		smc6(&r, FFA_MSG_SEND_DIRECT_REQ_32, 2u << 16 | part, 0, 1, 2, 3);
		note(res, ffa_err(&r) == FFA_INVALID_PARAMETERS, i,
		     "direct request as endpoint 2", &r);
		if (SMP_MEM)
			smp_mem(res, c, i, part);
		if (smp_msgs() && c == 0)
			smp_msg_out(res, i);
		else if (smp_msgs())
			smp_msg_in(res, i);
		if (c == 0 && cl.served >= FFA_VERSION_1_2)
			note(res, info_regs(), i, "PARTITION_INFO_GET_REGS", &r);
		else if (c == 1)
			note(res, info_rx(&r), i,
			     "PARTITION_INFO_GET and RX_RELEASE", &r);
		if (i + 1 == SMP_ITERATIONS)
			__atomic_store_n(&min_done[c], 1, __ATOMIC_RELEASE);
		if (i + 1 >= SMP_ITERATIONS &&
		    __atomic_load_n(&min_done[!c], __ATOMIC_ACQUIRE))
			break;
	}
	res->iterations = i < SMP_MAX_ITERATIONS ? i + 1 : i;
	res->end = now_ticks();
	el2_counts(&res->smcs, &res->refusals, &res->contended);
	res->smcs -= smcs0;
	res->refusals -= ref0;
	res->contended -= cont0;
}

/* Stale translations across CPUs. A lend unmaps the page in the shared
 * stage-2, but every CPU may still hold a TLB entry for it: the stub's
 * invalidation must reach them all (`tlbi vmalls12e1is`, el2/hyp/
 * stage2.c). The loop cannot see that, as each CPU lends only pages it
 * touches itself, whose entries its own local invalidation drops. Here
 * one CPU (the toucher) reads and writes a page, which fills its TLB,
 * the other (the lender) lends that page to a partition, and the toucher
 * must then fault on it; once the lender reclaims it, the toucher finds
 * its contents. QEMU keeps a software TLB per CPU, so an invalidation
 * of the lender's CPU only (`tlbi alle1` or `vmalle1`) fails here every
 * round; it serves the non-broadcast `vmalls12e1` as the broadcast one,
 * which the architecture allows, so that mistake does not show on QEMU,
 * nor a `dsb ish` left out after the TLBI (QEMU completes a broadcast
 * invalidation within the instruction).
 * Rounds of 5 steps; the first SMP_CROSS_ROUNDS with CPU 0 lending, the
 * next as many with CPU 1 lending. */
#define SMP_CROSS_ROUNDS 32u
#define SMP_CROSS_STEPS 5u

/* Wait for step `n` of smp_cross (at most 5 s: the other CPU makes a
 * call or two per step), noting a timeout. */
static bool cross_wait(struct smp_result *res, uint32_t n, uint32_t round)
{
	uint64_t end = now_ticks() + 5 * read_sysreg(cntfrq_el0);

	while (__atomic_load_n(&cross_step, __ATOMIC_ACQUIRE) < n)
		if (now_ticks() > end) {
			struct ffa_regs r = { { n } };

			note(res, false, round, "the other CPU's step (timeout)",
			     &r);
			return false;
		}
	return true;
}

static void cross_advance(uint32_t n)
{
	__atomic_store_n(&cross_step, n, __ATOMIC_RELEASE);
}

/* CPU c's side of every round (steps from 1: CPU 0 starts them). Each
 * side makes its step even when a call in it failed (noted), so that
 * the other is not left waiting. */
static void smp_cross(uint32_t c)
{
	struct smp_result *res = &cross[c];
	uint32_t round;

	for (round = 0; round < 2 * SMP_CROSS_ROUNDS; round++) {
		uint32_t lender = round >= SMP_CROSS_ROUNDS;
		uint64_t page = (uintptr_t)smp_pool[lender][round % SMP_PAGES];
		uint64_t mark = 0xc055000000000000ull | (uint64_t)round << 8 | c;
		uint64_t base = 1 + SMP_CROSS_STEPS * round, h = 0, v = 0;
		struct ffa_regs r = { { 0 } };
		bool faulted, lent;

		if (c != lender) {
			/* warm: a write and a read, each filling the TLB */
			if (!cross_wait(res, base, round))
				return;
			faulted = touch_write(page, mark) || touch_read(page, &v);
			note(res, !faulted && v == mark, round,
			     "toucher's access before the lend", &r);
			cross_advance(base + 1);
			if (!cross_wait(res, base + 2, round))
				return;
			/* lent by the other CPU: both accesses fault */
			faulted = touch_read(page, &v);
			res->faults += faulted;
			note(res, faulted, round,
			     "toucher's read of the page the other CPU lent", &r);
			faulted = touch_write(page, ~mark);
			res->faults += faulted;
			note(res, faulted, round,
			     "toucher's write of the page the other CPU lent", &r);
			cross_advance(base + 3);
			if (!cross_wait(res, base + 4, round))
				return;
			faulted = touch_read(page, &v);
			note(res, !faulted && v == mark, round,
			     "toucher's read after the reclaim: contents kept", &r);
			cross_advance(base + 5);
			continue;
		}
		if (!cross_wait(res, base + 1, round))
			return;
		/* an odd iteration number: give() lends */
		lent = give(page, c ? 0x8002 : 0x8001, 1, &r, &h);
		note(res, lent && page_is(page, FFP_PAGE_LENT, false), round,
		     "lend of the page the other CPU touched", &r);
		cross_advance(base + 2);
		if (!cross_wait(res, base + 3, round))
			return;
		smc6(&r, FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32, 0, 0, 0);
		note(res, ffa_ok(&r) && page_is(page, FFP_PAGE_OWNED, true),
		     round, "reclaim of the page the other CPU touched", &r);
		cross_advance(base + 4);
		if (!cross_wait(res, base + 5, round))
			return;
	}
}

/* CPU 1 at EL1, from the stub (start.S client_secondary_entry: vectors
 * and its own stack set): says it is up, waits for CPU 0, runs its loop,
 * says it is done and parks. It prints nothing: CPU 0 reports for it. */
void client_secondary(uint64_t ctx)
{
	cpu1_ctx = ctx;
	__atomic_store_n(&cpu1_up, 1, __ATOMIC_RELEASE);
	if (wait_flag(&go, 10))
		smp_loop(1);
	__atomic_store_n(&cpu1_done, 1, __ATOMIC_RELEASE);
	/* CPU 0 starts smp_cross once it has checked the loop. */
	if (SMP_MEM && wait_flag(&cross_step, 15))
		smp_cross(1);
	__atomic_store_n(&cross_done, 1, __ATOMIC_RELEASE);
	for (;;)
		__asm__ volatile("wfe");
}

/* Calls per iteration that note() counts: 4, with the memory calls 5
 * more and a lend one more (its touch), the partition query on CPU 0
 * at 1.2 or on CPU 1, and 2 for the messages and notifications. */
static uint32_t expected_ok(uint32_t c)
{
	uint32_t n = results[c].iterations;
	uint32_t per = SMP_MEM ? 9 * n + n / 2 : 4 * n;

	if (c == 1 || cl.served >= FFA_VERSION_1_2)
		per += n;
	if (smp_msgs())
		per += 2 * n;
	return per;
}

static void report(uint32_t c)
{
	const struct smp_result *res = &results[c];

	if (res->bad)
		check(false,
		      "SMP: CPU %u: %u of %u calls as expected; first wrong: %s "
		      "(iteration %u, x0 0x%lx, x2 0x%lx)",
		      c, res->ok, expected_ok(c), res->bad_what, res->bad_iter,
		      res->bad_x0, res->bad_x2);
	else
		check(res->ok == expected_ok(c),
		      "SMP: CPU %u: %u of %u calls as expected", c, res->ok,
		      expected_ok(c));
	/* Refusals per iteration: the spoofed sender (and the TX page). */
	check(res->refusals == (1u + SMP_MEM) * res->iterations &&
		      res->faults == SMP_MEM * (res->iterations / 2),
	      "SMP: CPU %u: %u iterations, %lu refusals logged by the proxy "
	      "(%u), %u faults on lent pages (%u); %lu SMCs to EL3, %lu proxy "
	      "locks found held by the other CPU, %lu ms (%lu us an iteration)",
	      c, res->iterations, res->refusals,
	      (1u + SMP_MEM) * res->iterations, res->faults,
	      SMP_MEM * (res->iterations / 2), res->smcs, res->contended,
	      (res->end - res->start) * 1000 / read_sysreg(cntfrq_el0),
	      (res->end - res->start) * 1000000 / read_sysreg(cntfrq_el0) /
		      (res->iterations ? res->iterations : 1));
}

/* CPU 0: smp_cross with CPU 1, quiet as the loop (its faults are
 * expected), then the check of both sides. */
static void steps_smp_cross(void)
{
	uint64_t faults0 = el2_faults();
	struct s2_view s2_before, s2_after;
	uint32_t c, want = 6 * SMP_CROSS_ROUNDS;
	bool done;

	s2_view(&s2_before);
	el2_trace(false);
	client_quiet = true;
	cross_advance(1);
	smp_cross(0);
	done = wait_flag(&cross_done, 15);
	el2_trace(true);
	client_quiet = false;
	check(done, "SMP: CPU 1 finished the cross-CPU lends");
	if (!done)
		return;
	/* Per CPU: as the toucher 4 notes a round (2 of them faults), as
	 * the lender 2. */
	for (c = 0; c < BOARD_MAX_CPUS; c++) {
		const struct smp_result *res = &cross[c];

		if (res->bad)
			check(false,
			      "SMP: CPU %u in the cross-CPU lends: %u of %u as "
			      "expected; first wrong: %s (round %u, x0 0x%lx, "
			      "x2 0x%lx)",
			      c, res->ok, want, res->bad_what, res->bad_iter,
			      res->bad_x0, res->bad_x2);
		else
			check(res->ok == want &&
				      res->faults == 2 * SMP_CROSS_ROUNDS,
			      "SMP: CPU %u touched %u pages the other CPU then "
			      "lent: %u faults (%u), contents kept after each "
			      "reclaim; it lent %u pages the other had touched",
			      c, SMP_CROSS_ROUNDS, res->faults,
			      2 * SMP_CROSS_ROUNDS, SMP_CROSS_ROUNDS);
	}
	s2_view(&s2_after);
	check(s2_same(&s2_before, &s2_after) &&
		      el2_faults() - faults0 == cross[0].faults + cross[1].faults,
	      "SMP: after the cross-CPU lends the stage-2 digest is as before; "
	      "EL2 reported %lu stage-2 aborts, the CPUs saw %u",
	      el2_faults() - faults0, cross[0].faults + cross[1].faults);
}

/* CPU 0: turn CPU 1 on, run both loops, join and check. */
void steps_smp(void)
{
	static const uint32_t fns[] = { FFA_FN_MSG_SEND_DIRECT_REQ,
					FFA_FN_MSG_SEND_DIRECT_REQ2,
					FFA_FN_MEM_SHARE, FFA_FN_MEM_LEND,
					FFA_FN_MEM_RECLAIM, FFA_FN_FEATURES,
					FFA_FN_MSG_SEND2, FFA_FN_NOTIFICATION_SET,
					FFA_FN_NOTIFICATION_GET };
	enum { NFNS = sizeof(fns) / sizeof(fns[0]) };
	uint64_t before[NFNS], after[NFNS], spmc_txns0, spmc_txns, txns0;
	uint64_t total0, total, msgs0 = 0, msgs = 0;
	bool msgs_on = smp_msgs();
	struct s2_view s2_before, s2_after;
	uint64_t faults0 = el2_faults(), t;
	struct ffa_regs r, t2 = { { 0 } };
	bool up, done = false;
	uint32_t k, n;

	/* CPU_ON: what the stub refuses, then CPU 1 for real. */
	smc6(&r, PSCI_CPU_ON_64, 2, (uintptr_t)client_secondary_entry, SMP_CTX,
	     0, 0);
	check((int32_t)r.x[0] == PSCI_E_INVALID_PARAMETERS && regs_zero(&r, 1, 3),
	      "PSCI CPU_ON of MPIDR 2 (no such vCPU) -> %d",
	      (int32_t)r.x[0]);
	smc6(&r, PSCI_CPU_ON_64, 1, BOARD_FREE_BASE, SMP_CTX, 0, 0);
	check((int32_t)r.x[0] == PSCI_E_INVALID_ADDRESS,
	      "PSCI CPU_ON of vCPU 1 at nobody's RAM 0x%x -> %d",
	      BOARD_FREE_BASE, (int32_t)r.x[0]);
	smc6(&r, PSCI_CPU_ON_64, 0, (uintptr_t)client_secondary_entry, SMP_CTX,
	     0, 0);
	check((int32_t)r.x[0] == PSCI_E_ALREADY_ON,
	      "PSCI CPU_ON of vCPU 0 (this one) -> %d", (int32_t)r.x[0]);

	if (msgs_on) {
		/* the bits the loop's notifications use, bound both ways */
		smc6(&r, FFA_NOTIFICATION_BIND_32,
		     0x8001u << 16 | EL1_ENDPOINT_ID, 0, (uint32_t)SMP_VM_BIT,
		     SMP_VM_BIT >> 32, 0);
		check(r.x[0] == FFA_SUCCESS_32 &&
			      sp_test(EL3_SIP_NOTIF, EL3_NOTIF_BIND,
				      EL1_ENDPOINT_ID, SMP_SP_BIT, &t2) == 0,
		      "SMP: the client binds 0x8001's notification bit 34, "
		      "0x8001 binds its bit 9 to the client (0x%lx)",
		      r.x[0]);
		sp_test(EL3_SIP_MSG2, EL3_MSG2_MAILBOX, 0, 0, &t2);
		msgs0 = t2.x[0];
	}
	s2_view(&s2_before);
	txns0 = proxy_txns();
	for (k = 0; k < NFNS; k++)
		spmc_stats(fns[k], &spmc_txns0, &before[k], &total0);
	el2_trace(false);
	client_quiet = true;
	smc6(&r, PSCI_CPU_ON_64, 1, (uintptr_t)client_secondary_entry, SMP_CTX,
	     0, 0);
	t = r.x[0];
	up = t == 0 && wait_flag(&cpu1_up, 5);
	if (up) {
		/* vCPU 1 runs: a second CPU_ON of it is refused. */
		smc6(&r, PSCI_CPU_ON_64, 1, (uintptr_t)client_secondary_entry,
		     SMP_CTX, 0, 0);
		__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
		smp_loop(0);
		/* The join: CPU 1's results are complete once its flag is
		 * seen (acquire); printing resumes after it. */
		done = wait_flag(&cpu1_done, 15);
	}
	el2_trace(true);
	client_quiet = false;
	check(up && cpu1_ctx == SMP_CTX,
	      "PSCI CPU_ON of vCPU 1 -> %ld; CPU 1 up at EL1 with context id "
	      "0x%lx",
	      (int64_t)t, cpu1_ctx);
	if (!up)
		return;
	check((int32_t)r.x[0] == PSCI_E_ALREADY_ON,
	      "PSCI CPU_ON of vCPU 1 again while it runs -> %d",
	      (int32_t)r.x[0]);
	check(done, "SMP: CPU 1 finished its loop");
	if (!done)
		return;
	report(0);
	report(1);
	/* The two loops ran at the same time (MTTCG: a host thread per
	 * CPU), not one after the other. */
	check(results[0].start < results[1].end &&
		      results[1].start < results[0].end,
	      "SMP: the loops overlapped for %lu ms",
	      ((results[0].end < results[1].end ? results[0].end
						 : results[1].end) -
	       (results[0].start > results[1].start ? results[0].start
						     : results[1].start)) *
		      1000 / read_sysreg(cntfrq_el0));

	for (k = 0; k < NFNS; k++)
		spmc_stats(fns[k], &spmc_txns, &after[k], &total);
	/* Exact counts: each call reached EL3 once, and EL3 lost none of
	 * its own updates (the model's counters are plain increments: two
	 * CPUs in it at once would lose some). */
	n = results[0].iterations + results[1].iterations;
	check(after[0] + after[1] - before[0] - before[1] == n &&
		      after[2] + after[3] - before[2] - before[3] ==
			      SMP_MEM * n &&
		      after[4] - before[4] == SMP_MEM * n &&
		      after[5] - before[5] == n,
	      "SMP: the SPMC received %lu direct requests, %lu shares and "
	      "lends, %lu reclaims, %lu FEATURES (%u, %u, %u, %u)",
	      after[0] + after[1] - before[0] - before[1],
	      after[2] + after[3] - before[2] - before[3],
	      after[4] - before[4], after[5] - before[5], n, SMP_MEM * n,
	      SMP_MEM * n, n);
	/* CPU 0's messages and notifications to 0x8001, CPU 1's two
	 * NOTIFICATION_GETs (its partition's bit, then the message); 0x8001
	 * received exactly CPU 0's messages. */
	if (msgs_on) {
		sp_test(EL3_SIP_MSG2, EL3_MSG2_MAILBOX, 0, 0, &t2);
		msgs = t2.x[0];
	}
	check(after[6] - before[6] == msgs_on * results[0].iterations &&
		      after[7] - before[7] == msgs_on * results[0].iterations &&
		      after[8] - before[8] == msgs_on * 2 * results[1].iterations &&
		      msgs - msgs0 == msgs_on * results[0].iterations &&
		      !(t2.x[1] & 1),
	      "SMP: the SPMC received %lu MSG_SEND2, %lu NOTIFICATION_SET, %lu "
	      "NOTIFICATION_GET (%u, %u, %u); 0x8001 received %lu messages, "
	      "its mailbox empty",
	      after[6] - before[6], after[7] - before[7], after[8] - before[8],
	      msgs_on * results[0].iterations, msgs_on * results[0].iterations,
	      msgs_on * 2 * results[1].iterations, msgs - msgs0);
	if (msgs_on) {
		smc6(&r, FFA_NOTIFICATION_UNBIND_32,
		     0x8001u << 16 | EL1_ENDPOINT_ID, 0, (uint32_t)SMP_VM_BIT,
		     SMP_VM_BIT >> 32, 0);
		check(r.x[0] == FFA_SUCCESS_32,
		      "SMP: NOTIFICATION_UNBIND of 0x8001's bit 34 -> 0x%lx",
		      r.x[0]);
	}
	check(total - total0 == results[0].smcs + results[1].smcs,
	      "SMP: the SPMC received %lu calls in all, the proxy made %lu "
	      "SMCs on CPU 0 and %lu on CPU 1",
	      total - total0, results[0].smcs, results[1].smcs);
	check(spmc_txns == spmc_txns0 && proxy_txns() == txns0,
	      "SMP: no transaction left: the SPMC holds %lu (%lu before), the "
	      "proxy %lu (%lu before)",
	      spmc_txns, spmc_txns0, proxy_txns(), txns0);
	s2_view(&s2_after);
	check(s2_same(&s2_before, &s2_after),
	      "SMP: stage-2 digest as before the loop: every page owned again "
	      "(%lu mapped)",
	      s2_after.mapped);
	check(el2_faults() - faults0 == results[0].faults + results[1].faults,
	      "SMP: EL2 reported %lu stage-2 aborts in the loop, the CPUs saw %u",
	      el2_faults() - faults0, results[0].faults + results[1].faults);
	if (SMP_MEM)
		steps_smp_cross();
}
