/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * A removed VM's call in flight never acts on a new VM under its id (the
 * endpoint generation, ffp_call.gen). The embedder is to stop a VM's
 * vCPUs before removing it (proxy.h); one that does not, or a vCPU
 * trapped in the proxy on another CPU, leaves a call of the old VM inside
 * ffp_handle while the host removes it and adds a new one under the id.
 * Each case: VM 1's call (A) stops at its k-th point (a lock boundary
 * where it holds no lock, or an SMC), the embedder removes VM 1 and adds
 * a new one (B, which may make calls of the new VM's), A resumes. For
 * every k where B ran whole: the new VM's state is exactly what B made
 * it (version, buffers, RX ownership and contents, preemption records,
 * transactions), and the world is consistent (sim/invariant.c); and at
 * some k, A is refused as a removed caller's (or its preemption kept as
 * an orphan): the window was hit. Windows: FFA_VERSION, the first call's
 * version lock, RXTX_MAP, RXTX_UNMAP (and its abort of transactions
 * awaiting fragments), RX_RELEASE, PARTITION_INFO_GET, FFA_RUN, a direct
 * request preempted (general path: the lanes do not read the gen before
 * their SMC), MEM_SHARE, MEM_RECLAIM, FRAG_TX. And a removal alone (no
 * add) inside a lane's request (its preemption the proxy's orphan, the
 * reply's x8..x17 at the request's version), and a memory lane whose gen
 * read falls inside a removal.
 */
#include <ffaproxy/mem.h>

#include "explore.h"
#include "src/internal.h"

#define RAM 0x80000000ull
#define VM_RAM 0x90000000ull
#define RAM_SIZE 0x100000ull
#define TX (VM_RAM)
#define RX (VM_RAM + 0x10000ull)
#define TX2 (VM_RAM + 0x20000ull) /* the new VM's own pair */
#define RX2 (VM_RAM + 0x30000ull)
#define SHARE (VM_RAM + 0x40000ull)

static struct ffa_regs a_reply;
static int b_result;
static uint64_t handle; /* the transaction A names */

/* The SPMC's x8..x17 in a preemption: none of the caller's business. */
static bool junk_x8;

static void x_smc(void *ctx, struct ffa_regs *r)
{
	unsigned i;

	explore_point();
	ex.smc(ctx, r);
	if (junk_x8 && (uint32_t)r->x[0] == FFA_INTERRUPT_32)
		for (i = 8; i < FFA_NREGS; i++)
			r->x[i] = 0x5afe0000u + i;
}

/* The in-place direct request's SMC is a point too. */
static void (*smc8)(void *, struct ffa_regs *);

static void x_smc8(void *ctx, struct ffa_regs *r)
{
	explore_point();
	smc8(ctx, r);
}

static void setup(void)
{
	explore_world_one(0x3, RAM, VM_RAM, RAM_SIZE);
	smc8 = sp.ops.smc_x0_x7;
	sp.ops.smc_x0_x7 = x_smc8;
}

static void teardown(void)
{
	junk_x8 = false;
	inv_fini(&iv);
	simplat_destroy(&sp);
}

static void locked(uint16_t ep)
{
	struct ffa_regs r;

	call(ep, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
	r = call(ep, FFA_ID_GET_32, 0, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
}

static void mapped(uint16_t ep, uint64_t tx, uint64_t rx)
{
	struct ffa_regs r = call(ep, FFA_RXTX_MAP_64, tx, rx, 1, 0, 0);

	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
}

/* A share (`lend` false) or lend to 0x8001 of `n` one-page ranges from
 * `page` in ep's TX at `tx`; its length. */
static uint32_t mem_desc(uint16_t ep, uint64_t tx, uint64_t page, uint32_t n,
			 bool lend)
{
	struct ffa_mem_txn t;
	uint8_t d[256];
	uint32_t hdr, i;

	memset(&t, 0, sizeof(t));
	t.sender = ep;
	t.receiver_count = 1;
	t.receivers[0].id = 0x8001;
	t.receivers[0].perms = FFA_MEM_PERM_RW;
	t.attributes = lend ? 0 : 0x2f;
	t.range_count = n;
	t.total_pages = n;
	CHECK_EQ(ffa_mem_emit(FFA_VERSION_1_2, &t, d, sizeof(d), &hdr), 0);
	for (i = 0; i < n; i++) {
		ffa_put64(d + hdr + 16 * i, page + (uint64_t)i * FFA_PAGE_SIZE);
		ffa_put32(d + hdr + 16 * i + 8, 1);
		ffa_put32(d + hdr + 16 * i + 12, 0);
	}
	CHECK_EQ(simmem_write(sp.mem, tx, d, hdr + 16 * n), 0);
	return hdr + 16 * n;
}

static uint32_t share_desc(uint16_t ep, uint64_t tx, uint64_t page)
{
	return mem_desc(ep, tx, page, 1, false);
}

static uint64_t share(uint16_t ep, uint64_t tx, uint64_t page)
{
	uint32_t len = share_desc(ep, tx, page);
	struct ffa_regs r = call(ep, FFA_MEM_SHARE_32, len, len, 0, 0, 0);

	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	return (uint32_t)r.x[2] | r.x[3] << 32;
}

/* The embedder removes VM 1 and adds a new one: B's common part. */
static bool readd(void)
{
	b_result = simplat_vm_destroy(&sp, 1);
	if (b_result)
		return false;
	CHECK_EQ(simplat_vm_add(&sp, 1, VM_RAM, RAM_SIZE), 0);
	return true;
}

static void b_fresh(void)
{
	(void)readd();
}

/* The new VM maps its own pair and holds its RX (partition info). */
static void b_mapped_rx(void)
{
	struct ffa_regs r;

	if (!readd())
		return;
	locked(1);
	mapped(1, TX2, RX2);
	r = call(1, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
}

/* The new VM maps its own pair; its RX is the proxy's to fill. */
static void b_mapped(void)
{
	if (!readd())
		return;
	locked(1);
	mapped(1, TX2, RX2);
}

/* The new VM's direct request is preempted: its own record. */
static void b_preempted(void)
{
	struct ffa_regs r;

	if (!readd())
		return;
	locked(1);
	CHECK_EQ(spmc_preempt(&sp.spmc, 0x8001, 1, false, 0, 1), 0);
	r = call(1, FFA_MSG_SEND_DIRECT_REQ_32, 1u << 16 | 0x8001, 0, 7, 0, 0);
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
}

/* The new VM shares a page: `handle`, predicted by a dry run. */
static void b_shared(void)
{
	if (!readd())
		return;
	locked(1);
	mapped(1, TX2, RX2);
	handle = share(1, TX2, SHARE);
}

/* The new VM lends two pages, the first fragment sent (the last range
 * to come): `handle`, predicted by a dry run, awaits its FRAG_TX. */
static void b_lend_pending(void)
{
	struct ffa_regs r;
	uint32_t len;

	if (!readd())
		return;
	locked(1);
	mapped(1, TX2, RX2);
	len = mem_desc(1, TX2, SHARE, 2, true);
	r = call(1, FFA_MEM_LEND_32, len, len - 16, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
	handle = (uint32_t)r.x[1] | r.x[2] << 32;
}

/* What the new VM is, whatever A did: `version` (0: none set),
 * `tx` (0: no buffers), `rx_held`. */
static void expect_new(uint32_t version, bool locked_, uint64_t tx,
		       bool rx_held, const char *name, unsigned k)
{
	struct ffp_endpoint_info ei;

	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	if (!ei.present || ei.version_set != (version != 0) ||
	    (version && ei.version != version) ||
	    ei.version_locked != locked_ || ei.buffers_mapped != (tx != 0) ||
	    ei.tx_pa != tx || ei.rx_held != rx_held ||
	    ei.preempted_orphans) {
		fprintf(stderr,
			"%s k=%u: new VM: version %s 0x%x locked %d mapped %d "
			"tx 0x%llx rx_held %d\n",
			name, k, ei.version_set ? "set" : "unset", ei.version,
			ei.version_locked, ei.buffers_mapped,
			(unsigned long long)ei.tx_pa, ei.rx_held);
		CHECK(0);
	}
	if (inv_check_world(&iv)) {
		fprintf(stderr, "%s k=%u: %s\n", name, k, iv.why);
		CHECK(0);
	}
}

/* Transactions of owner 1 in the proxy: how many. */
static unsigned txns_of_vm(void)
{
	struct ffp_transaction_info ti;
	unsigned i, n = 0;

	for (i = 0; !ffp_transaction_info(sp.proxy, i, &ti); i++)
		n += ti.owner == 1 && !ti.orphan;
	return n;
}

/* A's reply once B ran: refused as an unknown endpoint's (B ran before
 * A acted), or A's own answer (A acted before B, whose removal undid
 * it). Counted: each case must hit its window at least once. */
static unsigned stale_refusals;

static void expect_refused(const char *name, unsigned k)
{
	(void)name;
	(void)k;
	stale_refusals += (uint32_t)a_reply.x[0] == FFA_ERROR_32 &&
			  (int32_t)a_reply.x[2] == FFA_NOT_SUPPORTED;
}

/* Run `a` against `b` at every point; `after` checks each run B ran.
 * `refusals`: A is refused as a removed caller's at some point. */
static void each_point(const char *name, void (*prep)(void), void (*a)(void),
		       void (*b)(void), void (*after)(const char *, unsigned),
		       bool refusals)
{
	unsigned k, ran_b = 0;
	bool ran = true;

	stale_refusals = 0;
	for (k = 1; ran; k++) {
		setup();
		prep();
		b_result = 1;
		snprintf(where, sizeof(where), "%s at point %u", name, k);
		ran = explore_at(k, a, b, x_smc);
		if (ran && !ex.infeasible && b_result == 0) {
			ran_b++;
			after(name, k);
		}
		if (ex.infeasible)
			lock_errors = 0;
		explore_check_locks();
		teardown();
	}
	CHECK(ran_b > 0);
	if (refusals && !stale_refusals) {
		fprintf(stderr, "%s: never refused as a removed caller's\n",
			name);
		CHECK(0);
	}
}

/* ---- The version: FFA_VERSION and the first call that locks it. */

static void prep_none(void)
{
}

static void a_version(void)
{
	a_reply = call(1, FFA_VERSION_32, FFA_VERSION_1_0, 0, 0, 0, 0);
}

static void after_version(const char *name, unsigned k)
{
	/* FFA_VERSION's refusal is the bare w0 */
	stale_refusals += (uint32_t)a_reply.x[0] == (uint32_t)FFA_NOT_SUPPORTED;
	if ((uint32_t)a_reply.x[0] != (uint32_t)FFA_NOT_SUPPORTED &&
	    (uint32_t)a_reply.x[0] != FFA_VERSION_1_2) {
		fprintf(stderr, "%s k=%u: 0x%llx\n", name, k,
			(unsigned long long)a_reply.x[0]);
		CHECK(0);
	}
	expect_new(0, false, 0, false, name, k);
}

static void prep_version_set(void)
{
	call(1, FFA_VERSION_32, FFA_VERSION_1_1, 0, 0, 0, 0);
}

static void a_first_call(void)
{
	a_reply = call(1, FFA_FEATURES_32, FFA_ID_GET_32, 0, 0, 0, 0);
}

static void after_first_call(const char *name, unsigned k)
{
	expect_refused(name, k);
	expect_new(0, false, 0, false, name, k);
}

static void test_version(void)
{
	each_point("FFA_VERSION vs re-add", prep_none, a_version, b_fresh,
		   after_version, true);
	each_point("first call vs re-add", prep_version_set, a_first_call,
		   b_fresh, after_first_call, true);
}

/* ---- Buffers: RXTX_MAP, RXTX_UNMAP, RX_RELEASE. */

static void prep_locked(void)
{
	locked(1);
}

static void a_map(void)
{
	a_reply = call(1, FFA_RXTX_MAP_64, TX, RX, 1, 0, 0);
}

static void after_map_fresh(const char *name, unsigned k)
{
	expect_refused(name, k);
	expect_new(0, false, 0, false, name, k);
}

static void prep_mapped(void)
{
	locked(1);
	mapped(1, TX, RX);
}

static void a_unmap(void)
{
	a_reply = call(1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0);
}

static void a_rx_release(void)
{
	a_reply = call(1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
}

static void after_mapped_rx(const char *name, unsigned k)
{
	expect_refused(name, k);
	expect_new(FFA_VERSION_1_2, true, TX2, true, name, k);
}

static void a_pinfo(void)
{
	a_reply = call(1, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0);
}

/* Nothing written to the new VM's RX, nor its RX taken from it. */
static void after_pinfo(const char *name, unsigned k)
{
	uint8_t rx[64], zero[64] = { 0 };

	expect_refused(name, k);
	expect_new(FFA_VERSION_1_2, true, TX2, false, name, k);
	CHECK_EQ(simmem_read(sp.mem, RX2, rx, sizeof(rx)), 0);
	if (memcmp(rx, zero, sizeof(rx))) {
		fprintf(stderr, "%s k=%u: the new VM's RX written\n", name, k);
		CHECK(0);
	}
}

static void test_buffers(void)
{
	each_point("RXTX_MAP vs re-add", prep_locked, a_map, b_fresh,
		   after_map_fresh, true);
	each_point("RXTX_UNMAP vs re-add", prep_mapped, a_unmap, b_mapped_rx,
		   after_mapped_rx, true);
	each_point("RX_RELEASE vs re-add", prep_mapped, a_rx_release,
		   b_mapped_rx, after_mapped_rx, true);
	each_point("PARTITION_INFO_GET vs re-add", prep_mapped, a_pinfo,
		   b_mapped, after_pinfo, true);
}

/* ---- Preemption records: FFA_RUN and a preempted direct request. */

static void a_run(void)
{
	a_reply = call(1, FFA_RUN_32, 0x80010001u, 0, 0, 0, 0);
}

/* The new VM's record is its own still: its FFA_RUN brings its
 * response (the echo partition's to w3 = 7). */
static void expect_new_record(const char *name, unsigned k)
{
	struct ffa_regs r = call(1, FFA_RUN_32, 0x80010001u, 0, 0, 0, 0);

	if ((uint32_t)r.x[0] != FFA_MSG_SEND_DIRECT_RESP_32 ||
	    (uint32_t)r.x[1] != (0x8001u << 16 | 1) || r.x[3] != 8) {
		fprintf(stderr, "%s k=%u: the new VM's FFA_RUN: 0x%llx 0x%llx "
				"0x%llx 0x%llx\n",
			name, k, (unsigned long long)r.x[0],
			(unsigned long long)r.x[1], (unsigned long long)r.x[2],
			(unsigned long long)r.x[3]);
		CHECK(0);
	}
}

static void after_run(const char *name, unsigned k)
{
	expect_refused(name, k);
	expect_new(FFA_VERSION_1_2, true, 0, false, name, k);
	expect_new_record(name, k);
}

/* The request is VM 1's first call, so on the general path: the lanes
 * do not read the gen before their SMC (one load and a register more on
 * every request), so a removal and the id's next add both inside a lane's
 * request are not told apart there (docs/cost.md). */
static void prep_will_preempt(void)
{
	call(1, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
	CHECK_EQ(spmc_preempt(&sp.spmc, 0x8001, 1, false, 0, 1), 0);
}

static void a_direct(void)
{
	a_reply = call(1, FFA_MSG_SEND_DIRECT_REQ_32, 1u << 16 | 0x8001, 0, 3,
		       0, 0);
}

/* The old VM's request, preempted after the re-add: the proxy's (an
 * orphan, resumed by ffp_vm_destroyed_retry), never the new VM's to
 * run. */
static void after_direct(const char *name, unsigned k)
{
	struct ffp_endpoint_info ei;
	struct ffa_regs r;

	expect_refused(name, k);
	if ((uint32_t)a_reply.x[0] != FFA_INTERRUPT_32) {
		/* refused (its version lock), or preempted before the
		 * removal and resumed by it */
		expect_new(0, false, 0, false, name, k);
		return;
	}
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	r = call(1, FFA_RUN_32, 0x80010001u, 0, 0, 0, 0);
	/* an orphan: the window was hit (a record made before the removal
	 * was resumed to its end by it) */
	stale_refusals += ei.preempted_orphans == 1;
	if ((uint32_t)r.x[0] != FFA_ERROR_32 || ei.preempted_orphans > 1) {
		fprintf(stderr,
			"%s k=%u: the new VM runs the old VM's request: "
			"0x%llx w2 %d (orphans %u)\n",
			name, k, (unsigned long long)r.x[0], (int)r.x[2],
			ei.preempted_orphans);
		CHECK(0);
	}
	CHECK_EQ(ffp_vm_destroyed_retry(sp.proxy), 0);
	if (inv_check_world(&iv)) {
		fprintf(stderr, "%s k=%u: %s\n", name, k, iv.why);
		CHECK(0);
	}
}

/* The embedder removes VM 1 and adds none: B. */
static void b_removed(void)
{
	b_result = simplat_vm_destroy(&sp, 1);
}

/* A locked VM's clean request: the lane's, the gen read after its SMC. */
static void prep_lane_will_preempt(void)
{
	locked(1);
	CHECK_EQ(spmc_preempt(&sp.spmc, 0x8001, 1, false, 0, 1), 0);
}

/* The lane's request preempted after the removal, no VM added since:
 * the proxy's orphan (proxy.h), resumed by ffp_vm_destroyed_retry, not a
 * record of the removed id's that nothing resumes until the id's next
 * add. */
static void after_lane_removed(const char *name, unsigned k)
{
	struct ffp_endpoint_info ei;

	if ((uint32_t)a_reply.x[0] != FFA_INTERRUPT_32)
		return;
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	stale_refusals += ei.preempted_orphans == 1;
	/* none: preempted before the removal, which resumed it to its end
	 * (the world's W7 says whether a partition still holds it) */
	if (ei.present || ei.preempted_orphans > 1) {
		fprintf(stderr,
			"%s k=%u: the removed VM's preempted request: "
			"orphans %u\n",
			name, k, ei.preempted_orphans);
		CHECK(0);
	}
	if (inv_check_world(&iv)) {
		fprintf(stderr, "%s k=%u: %s\n", name, k, iv.why);
		CHECK(0);
	}
	CHECK_EQ(ffp_vm_destroyed_retry(sp.proxy), 0);
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	CHECK_EQ(ei.preempted_orphans, 0);
	if (inv_check_world(&iv)) {
		fprintf(stderr, "%s k=%u: %s\n", name, k, iv.why);
		CHECK(0);
	}
}

/* A 1.2 caller's SMC64 request on its lane, forwarded in place: the
 * SPMC's reply is in the caller's registers, and x8..x17 are results. */
static void prep_lane64_will_preempt(void)
{
	prep_lane_will_preempt();
	junk_x8 = true;
}

static void a_direct64(void)
{
	a_reply = call(1, FFA_MSG_SEND_DIRECT_REQ_64, 1u << 16 | 0x8001, 0, 3,
		       0, 0);
}

/* Whatever became of the caller, its request was made at 1.2: the
 * preemption's x8..x17 are zero results, not the SPMC's registers. */
static void after_lane64_removed(const char *name, unsigned k)
{
	unsigned i;

	for (i = 8; i < FFA_NREGS; i++) {
		if (a_reply.x[i]) {
			fprintf(stderr, "%s k=%u: x%u 0x%llx (reply 0x%llx)\n",
				name, k, i, (unsigned long long)a_reply.x[i],
				(unsigned long long)a_reply.x[0]);
			CHECK(0);
			break;
		}
	}
	stale_refusals += (uint32_t)a_reply.x[0] == FFA_INTERRUPT_32;
}

static void test_preempt(void)
{
	each_point("FFA_RUN vs re-add", prep_locked, a_run, b_preempted,
		   after_run, true);
	each_point("preempted request vs re-add", prep_will_preempt, a_direct,
		   b_fresh, after_direct, true);
	each_point("lane request preempted vs removal", prep_lane_will_preempt,
		   a_direct, b_removed, after_lane_removed, true);
	each_point("lane SMC64 request preempted vs removal",
		   prep_lane64_will_preempt, a_direct64, b_removed,
		   after_lane64_removed, true);
}

/* ---- Memory transactions: a send, FRAG_TX, a reclaim. */

static uint32_t a_len;

static void prep_share_ready(void)
{
	prep_mapped();
	a_len = share_desc(1, TX, SHARE);
}

static void a_share(void)
{
	a_reply = call(1, FFA_MEM_SHARE_32, a_len, a_len, 0, 0, 0);
}

/* The new VM maps the old VM's pair again and writes the same
 * descriptor there (its own, for a call it has not made): no transaction
 * of the id's comes of the old VM's share, the page stays the new VM's. */
static void b_mapped_same(void)
{
	if (!readd())
		return;
	locked(1);
	mapped(1, TX, RX);
	(void)share_desc(1, TX, SHARE);
}

static void after_share(const char *name, unsigned k)
{
	expect_refused(name, k);
	expect_new(FFA_VERSION_1_2, true, TX, false, name, k);
	if (txns_of_vm()) {
		fprintf(stderr, "%s k=%u: a transaction of the new VM's\n",
			name, k);
		CHECK(0);
	}
}

static void a_reclaim(void)
{
	a_reply = call(1, FFA_MEM_RECLAIM_32, (uint32_t)handle, handle >> 32,
		       0, 0, 0);
}

static void after_reclaim(const char *name, unsigned k)
{
	expect_refused(name, k);
	expect_new(FFA_VERSION_1_2, true, TX2, false, name, k);
	if (txns_of_vm() != 1) {
		fprintf(stderr, "%s k=%u: the new VM's share reclaimed\n",
			name, k);
		CHECK(0);
	}
}

/* The old VM's FRAG_TX names the new VM's pending lend (its TX holds
 * the last range, of a page of its own). */
static void prep_frag(void)
{
	prep_mapped();
	mem_desc(1, TX, SHARE + 2 * FFA_PAGE_SIZE, 1, true);
}

static void a_frag_tx(void)
{
	/* w4 = 0: the sender is the caller */
	a_reply = call(1, FFA_MEM_FRAG_TX_32, (uint32_t)handle, handle >> 32,
		       16, 0, 0);
}

static void after_frag(const char *name, unsigned k)
{
	struct ffp_transaction_info ti;
	unsigned i, sending = 0;

	expect_refused(name, k);
	expect_new(FFA_VERSION_1_2, true, TX2, false, name, k);
	for (i = 0; !ffp_transaction_info(sp.proxy, i, &ti); i++)
		sending += ti.owner == 1 && ti.sending && !ti.orphan &&
			   ti.handle == handle;
	if (sending != 1) {
		fprintf(stderr, "%s k=%u: the new VM's lend no longer awaits "
				"its fragment\n",
			name, k);
		CHECK(0);
	}
}

/* The old VM unmaps with a lend of its own awaiting fragments, which the
 * unmap aborts first: never the new VM's. */
static void prep_unmap_pending(void)
{
	struct ffa_regs r;
	uint32_t len;

	prep_mapped();
	len = mem_desc(1, TX, SHARE + 4 * FFA_PAGE_SIZE, 2, true);
	r = call(1, FFA_MEM_LEND_32, len, len - 16, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
}

/* As after_frag, and the old VM's unmap answered its own success (it
 * ran before the removal) or NOT_SUPPORTED, as a removed caller's, at
 * every point: a removal inside the teardown's SMCs is found at the
 * second look under STATE (rxtx.c), never "no buffers mapped". */
static void after_unmap_pending(const char *name, unsigned k)
{
	after_frag(name, k);
	if ((uint32_t)a_reply.x[0] != FFA_SUCCESS_32 &&
	    ((uint32_t)a_reply.x[0] != FFA_ERROR_32 ||
	     (int32_t)a_reply.x[2] != FFA_NOT_SUPPORTED)) {
		fprintf(stderr, "%s k=%u: the old VM's unmap answered 0x%llx "
				"w2 0x%llx\n",
			name, k, (unsigned long long)a_reply.x[0],
			(unsigned long long)a_reply.x[2]);
		CHECK(0);
	}
}

/* A memory lane's call (dispatch.c lane_mem) whose lane was taken before
 * a removal and whose gen is read once the removal has begun (a lane
 * reads it after the lanes, on another CPU than the removal, whose
 * release stores order nothing there): B below is the rest of that call,
 * its gen read where it runs, as lane_mem reads it. A is the removal,
 * which makes SMCs (a reclaim of VM 1's live share) with STATE let go. */
static void b_lane_share(void)
{
	struct ffp_endpoint *ep = &sp.proxy->eps[1];
	struct ffp_call c;

	memset(&c, 0, sizeof(c));
	c.p = sp.proxy;
	c.ep_id = 1;
	c.ep = ep;
	c.func = FFA_MEM_SHARE_32;
	c.version = ep->version;
	c.gen = ep->gen;
	c.in.x[1] = a_len;
	c.in.x[2] = a_len;
	ffp_handle_mem_send(&c);
	a_reply = c.out;
	b_result = 0;
}

static void prep_lane_share(void)
{
	prep_mapped();
	(void)share(1, TX, SHARE);
	a_len = share_desc(1, TX, SHARE + FFA_PAGE_SIZE);
}

static void a_remove(void)
{
	CHECK_EQ(simplat_vm_destroy(&sp, 1), 0);
}

/* The share came before the removal (which reclaimed it), or was refused
 * as a removed caller's: no transaction of id 1 outlives the removal, and
 * the id's endpoint is clean for its next add. */
static void after_lane_share(const char *name, unsigned k)
{
	struct ffp_endpoint *ep = &sp.proxy->eps[1];

	expect_refused(name, k);
	if (txns_of_vm() || ep->busy || ep->mapped) {
		fprintf(stderr,
			"%s k=%u: after the removal: %u transactions of id 1, "
			"busy %u, mapped %d (reply 0x%llx w2 %d)\n",
			name, k, txns_of_vm(), ep->busy, ep->mapped,
			(unsigned long long)a_reply.x[0], (int)a_reply.x[2]);
		CHECK(0);
	}
	if (inv_check_world(&iv)) {
		fprintf(stderr, "%s k=%u: %s\n", name, k, iv.why);
		CHECK(0);
	}
}

/* ---- Indirect messages of a VM through its bounce pair: its
 * MSG_SEND2 and its GET taking a partition's message, against the VM's
 * removal and a new VM under the id with a bounce pair of its own. */

#define BOUNCE SIMPLAT_BOUNCE_PA
#define BOUNCE2 (SIMPLAT_BOUNCE_PA + 0x2000ull) /* the new VM's */

static void prep_msg2(void)
{
	uint8_t m[44] = { 0 };

	/* 0x8001 takes and sends indirect messages */
	((struct spmc_partition *)spmc_find_partition(&sp.spmc, 0x8001))
		->props |= FFA_PART_PROP_INDIRECT_MSG;
	locked(1);
	mapped(1, TX, RX);
	CHECK_EQ(simplat_vm_msg_buffers(&sp, 1, BOUNCE, BOUNCE + 0x1000, 1), 0);
	ffa_put32(m + 8, 40);
	ffa_put32(m + 12, 1u << 16 | 0x8001);
	ffa_put32(m + 16, 4);
	ffa_put32(m + 40, 0x04030201);
	CHECK_EQ(simmem_write(sp.mem, TX, m, sizeof(m)), 0);
}

static void prep_msg2_rx(void)
{
	prep_msg2();
	CHECK_EQ(spmc_sp_msg_send2(&sp.spmc, 0x8001, 1, 4), 0);
}

static void a_msg_send2(void)
{
	a_reply = call(1, FFA_MSG_SEND2_32, 0, 0, 0, 0, 0);
}

static void a_msg_get(void)
{
	a_reply = call(1, FFA_NOTIFICATION_GET_32, 1, FFA_NOTIF_GET_SPM, 0, 0,
		       0);
}

static void b_msg2(void)
{
	if (!readd())
		return;
	locked(1);
	mapped(1, TX2, RX2);
	CHECK_EQ(simplat_vm_msg_buffers(&sp, 1, BOUNCE2, BOUNCE2 + 0x1000, 1),
		 0);
}

/* The new VM: its own pair mapped at the SPMC, nothing in it nor in its
 * RX, no message of the old VM's sent through it. */
static void after_msg2(const char *name, unsigned k)
{
	const struct spmc_vm_mbox *mb = spmc_vm_mbox(&sp.spmc, 1);
	uint8_t z[48], zero[48] = { 0 };
	struct ffp_endpoint_info ei;

	expect_refused(name, k);
	expect_new(FFA_VERSION_1_2, true, TX2, false, name, k);
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	CHECK(ei.msg_buffers && !ei.msg_unmap_pending);
	CHECK(mb != NULL);
	if (!mb)
		return;
	CHECK_EQ(mb->tx_pa, BOUNCE2);
	CHECK(!mb->full && !mb->spm_pending && !mb->msg_count);
	CHECK_EQ(simmem_read(sp.mem, RX2, z, sizeof(z)), 0);
	CHECK(!memcmp(z, zero, sizeof(z)));
	CHECK_EQ(simmem_read(sp.mem, BOUNCE2, z, sizeof(z)), 0);
	CHECK(!memcmp(z, zero, sizeof(z)));
	/* A message only from A that went before the removal */
	CHECK(!spmc_find_partition(&sp.spmc, 0x8001)->msg.full ||
	      (uint32_t)a_reply.x[0] == FFA_SUCCESS_32);
}

/* The embedder sets VM 1's pair while another CPU removes VM 1 and
 * adds a new one: the SPMC holds a pair under the id exactly when the new
 * VM has one (set after its add; one set before the removal went with
 * the old VM). */
static void a_set_mb(void)
{
	memset(&a_reply, 0, sizeof(a_reply));
	a_reply.x[0] = (uint32_t)simplat_vm_msg_buffers(&sp, 1, BOUNCE,
							BOUNCE + 0x1000, 1);
}

static void after_set_mb(const char *name, unsigned k)
{
	struct ffp_endpoint_info ei;

	const int st = (int32_t)(uint32_t)a_reply.x[0];

	stale_refusals += st == FFA_INVALID_PARAMETERS;
	expect_new(0, false, 0, false, name, k);
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	if (ei.msg_unmap_pending ||
	    ei.msg_buffers != (spmc_vm_mbox(&sp.spmc, 1) != NULL) ||
	    (ei.msg_buffers && st)) {
		fprintf(stderr, "%s k=%u: %d, pair %d at the SPMC %d\n", name,
			k, st, ei.msg_buffers, spmc_vm_mbox(&sp.spmc, 1) != NULL);
		CHECK(0);
	}
}

/* The embedder gives VM 1 its pair, and a partition sends it a message,
 * while VM 1's GET (SPM framework asked, its bitmap created, no pair when
 * the GET began) is in the proxy: the RX buffer full of that message is
 * never taken from the SPMC without the message being moved into VM 1's
 * RX (else the bounce RX stays full, unreleased, and every later message
 * to VM 1 is BUSY). Not a removal: no refusal expected. */
static void prep_get_no_pair(void)
{
	struct ffa_regs r;

	((struct spmc_partition *)spmc_find_partition(&sp.spmc, 0x8001))
		->props |= FFA_PART_PROP_INDIRECT_MSG;
	locked(1);
	mapped(1, TX, RX);
	r = call(1, FFA_NOTIFICATION_BIND_32, 0x80010001, 0, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
}

static void b_pair_and_msg(void)
{
	b_result = simplat_vm_msg_buffers(&sp, 1, BOUNCE, BOUNCE + 0x1000, 1);
	if (!b_result)
		b_result = spmc_sp_msg_send2(&sp.spmc, 0x8001, 1, 4);
}

static void after_get_no_pair(const char *name, unsigned k)
{
	uint32_t got = (uint32_t)a_reply.x[6] & FFA_NOTIF_FW_RX_FULL;
	struct ffa_regs r;

	CHECK_EQ(a_reply.x[0], FFA_SUCCESS_32);
	if (!got) {
		/* Not in this GET: the next one finds it. */
		r = call(1, FFA_NOTIFICATION_GET_32, 1, FFA_NOTIF_GET_SPM, 0, 0,
			 0);
		got = (uint32_t)r.x[6] & FFA_NOTIF_FW_RX_FULL;
	}
	if (!got) {
		fprintf(stderr, "%s k=%u: message never delivered\n", name,
			k);
		CHECK(0);
	}
}

static void test_msg2(void)
{
	/* (The map runs under BUFFERS whole, which the removal takes to
	 * unmap: a whole removal and add fits only before or after it, so
	 * its undo is not reached here: test_mb_undo races it with two
	 * threads.) */
	each_point("msg buffers vs re-add", prep_locked, a_set_mb, b_fresh,
		   after_set_mb, false);
	each_point("VM MSG_SEND2 vs re-add", prep_msg2, a_msg_send2, b_msg2,
		   after_msg2, true);
	each_point("VM GET of a message vs re-add", prep_msg2_rx, a_msg_get,
		   b_msg2, after_msg2, true);
	each_point("VM GET vs its pair set and a message", prep_get_no_pair,
		   a_msg_get, b_pair_and_msg, after_get_no_pair, false);
}

static void test_mem(void)
{
	each_point("MEM_SHARE vs re-add", prep_share_ready, a_share,
		   b_mapped_same, after_share, true);
	/* The handle of the new VM's share, from one serial run. */
	setup();
	prep_mapped();
	b_shared();
	teardown();
	each_point("MEM_RECLAIM vs re-add", prep_mapped, a_reclaim, b_shared,
		   after_reclaim, true);
	setup();
	prep_mapped();
	b_lend_pending();
	teardown();
	each_point("FRAG_TX vs re-add", prep_frag, a_frag_tx, b_lend_pending,
		   after_frag, true);
	each_point("RXTX_UNMAP with a pending lend vs re-add",
		   prep_unmap_pending, a_unmap, b_lend_pending,
		   after_unmap_pending, true);
	each_point("memory lane's gen read inside a removal", prep_lane_share,
		   a_remove, b_lane_share, after_lane_share, true);
}

int main(void)
{
	RUN(test_version);
	RUN(test_buffers);
	RUN(test_preempt);
	RUN(test_mem);
	RUN(test_msg2);
	return test_summary("test_gen");
}
