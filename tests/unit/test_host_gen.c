/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * A call of the host's old kernel in flight never acts on the new kernel
 * after ffp_host_reset (the endpoint generation, as test_gen checks for a
 * VM removed and added again). The host stays present through the reset,
 * so only the gen tells the two kernels' calls apart. Each case: the old
 * kernel's call (A) stops at its k-th point (a lock boundary where it
 * holds no lock), the embedder resets the host and the new kernel makes
 * its first calls (B), A resumes. For every k where B ran whole, A acted
 * before the reset or is refused as a removed caller's; at some k it is
 * refused (the window was hit).
 */
#include <ffaproxy/mem.h>
#include <ffaproxy/msg2.h>

#include "explore.h"
#include "src/internal.h"

#define RAM 0x80000000ull
#define VM_RAM 0x90000000ull
#define RAM_SIZE 0x100000ull
#define TX (RAM)
#define RX (RAM + 0x1000ull)
#define TX2 (RAM + 0x2000ull) /* the new kernel's own pair */
#define RX2 (RAM + 0x3000ull)
#define SHARE (RAM + 0x10000ull)

static struct ffa_regs a_reply;
static int b_result;

static void setup(void)
{
	/* Direct and indirect messages (properties bits 0..2). */
	explore_world_one(0x7, RAM, VM_RAM, RAM_SIZE);
}

static void teardown(void)
{
	inv_fini(&iv);
	simplat_destroy(&sp);
}

/* A 1.2 message of 8 bytes `fill` from the host to 0x8001 in the TX at
 * `tx`. */
static void put_msg(uint64_t tx, uint8_t fill)
{
	struct ffa_msg2 m;
	uint8_t b[64];
	uint32_t len = 0;

	memset(&m, 0, sizeof(m));
	m.sender = 0;
	m.receiver = 0x8001;
	m.size = 8;
	CHECK_EQ(ffa_msg2_emit(FFA_VERSION_1_2, &m, b, sizeof(b), &len), 0);
	memset(b + len, fill, 8);
	CHECK_EQ(simmem_write(sp.mem, tx, b, len + 8), 0);
}

/* The old kernel: locked at 1.2, its pair mapped, a message in its TX. */
static void prep_old(void)
{
	struct ffa_regs r;

	r = call(0, FFA_RXTX_MAP_64, TX, RX, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	put_msg(TX, 0xaa);
}

static void a_send2(void)
{
	a_reply = call(0, FFA_MSG_SEND2_32, 0, 0, 0, 0, 0);
}

/* The reset, then the new kernel: its version, its own pair, its own
 * message in its TX (not sent). */
static void b_reset_mapped(void)
{
	struct ffa_regs r;

	b_result = ffp_host_reset(sp.proxy);
	if (b_result)
		return;
	call(0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
	r = call(0, FFA_RXTX_MAP_64, TX2, RX2, 1, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	put_msg(TX2, 0x55);
}

static void test_send2(void)
{
	const struct spmc_partition *part;
	unsigned k, ran_b = 0, refused = 0;
	bool ran = true;

	for (k = 1; ran; k++) {
		setup();
		prep_old();
		b_result = 1;
		snprintf(where, sizeof(where), "MSG_SEND2 vs reset at point %u",
			 k);
		ran = explore_at(k, a_send2, b_reset_mapped, NULL);
		if (ran && !ex.infeasible && b_result == 0) {
			ran_b++;
			part = spmc_find_partition(&sp.spmc, 0x8001);
			CHECK(part != NULL);
			/* The new kernel's message was never sent: only the
			 * old one's, by A before the reset, or none. */
			if (part->msg.full && part->msg.data[0] != 0xaa) {
				fprintf(stderr,
					"%s: the old kernel's MSG_SEND2 sent "
					"the new kernel's TX\n",
					where);
				CHECK(0);
			}
			refused += (uint32_t)a_reply.x[0] == FFA_ERROR_32 &&
				   (int32_t)a_reply.x[2] == FFA_NOT_SUPPORTED;
			if (inv_check_world(&iv)) {
				fprintf(stderr, "%s: %s\n", where, iv.why);
				CHECK(0);
			}
		}
		if (ex.infeasible)
			lock_errors = 0;
		explore_check_locks();
		teardown();
	}
	CHECK(ran_b > 0);
	if (!refused) {
		fprintf(stderr, "MSG_SEND2 vs reset: never refused as the old "
				"kernel's\n");
		CHECK(0);
	}
}

/* ---- The old kernel's other calls against the reset and the new
 * kernel's first calls: the new kernel is exactly what B made it. */

static void a_info_get(void)
{
	a_reply = call(0, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0);
}

static void a_unmap(void)
{
	a_reply = call(0, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0);
}

static void a_notif_get(void)
{
	a_reply = call(0, FFA_NOTIFICATION_GET_32, 0, 0x4, 0, 0, 0);
}

static void a_version(void)
{
	a_reply = call(0, FFA_VERSION_32, FFA_VERSION_1_1, 0, 0, 0, 0);
}

/* A partition's message for the host at the SPMC (RX buffer full). */
static void prep_old_msg(void)
{
	prep_old();
	CHECK_EQ(spmc_sp_msg_send2(&sp.spmc, 0x8001, 0, 8), 0);
}

static void after_new(const char *name, unsigned k)
{
	struct ffp_endpoint_info ei;
	struct ffp_transaction_info ti;
	uint32_t cur = 0;

	CHECK_EQ(ffp_endpoint_info(sp.proxy, 0, &ei), 0);
	if (!ei.present || !ei.version_locked ||
	    ei.version != FFA_VERSION_1_2 || !ei.buffers_mapped ||
	    ei.tx_pa != TX2 || ei.rx_held) {
		fprintf(stderr,
			"%s k=%u: new kernel: version 0x%x locked %d mapped %d "
			"tx 0x%llx rx_held %d\n",
			name, k, ei.version, ei.version_locked,
			ei.buffers_mapped, (unsigned long long)ei.tx_pa,
			ei.rx_held);
		CHECK(0);
	}
	while (!ffp_transaction_next(sp.proxy, &cur, &ti))
		if (ti.owner == 0 && !ti.orphan) {
			fprintf(stderr, "%s k=%u: a transaction of the old "
					"kernel's is the new one's\n",
				name, k);
			CHECK(0);
		}
	if (inv_check_world(&iv)) {
		fprintf(stderr, "%s k=%u: %s\n", name, k, iv.why);
		CHECK(0);
	}
}

static uint64_t handle;
static uint32_t desc_len;

/* SMCs are points too. */
static void x_smc(void *ctx, struct ffa_regs *r)
{
	explore_point();
	ex.smc(ctx, r);
}

/* A share of one page at SHARE to 0x8001 in the old kernel's TX. */
static void prep_share_desc(void)
{
	struct ffa_mem_txn t;
	uint8_t d[256];
	uint32_t hdr;

	prep_old();
	memset(&t, 0, sizeof(t));
	t.sender = 0;
	t.receiver_count = 1;
	t.receivers[0].id = 0x8001;
	t.receivers[0].perms = FFA_MEM_PERM_RW;
	t.attributes = 0x2f;
	t.range_count = 1;
	t.total_pages = 1;
	CHECK_EQ(ffa_mem_emit(FFA_VERSION_1_2, &t, d, sizeof(d), &hdr), 0);
	ffa_put64(d + hdr, SHARE);
	ffa_put32(d + hdr + 8, 1);
	ffa_put32(d + hdr + 12, 0);
	CHECK_EQ(simmem_write(sp.mem, TX, d, hdr + 16), 0);
	desc_len = hdr + 16;
}

static void prep_shared(void)
{
	struct ffa_regs r;

	prep_share_desc();
	r = call(0, FFA_MEM_SHARE_32, desc_len, desc_len, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	handle = (uint32_t)r.x[2] | r.x[3] << 32;
}

static void a_share(void)
{
	a_reply = call(0, FFA_MEM_SHARE_32, desc_len, desc_len, 0, 0, 0);
}

static void a_reclaim(void)
{
	a_reply = call(0, FFA_MEM_RECLAIM_32, (uint32_t)handle, handle >> 32,
		       0, 0, 0);
}

static void each_point(const char *name, void (*prep)(void), void (*a)(void))
{
	unsigned k, ran_b = 0;
	bool ran = true;

	for (k = 1; ran; k++) {
		setup();
		prep();
		b_result = 1;
		snprintf(where, sizeof(where), "%s at point %u", name, k);
		ran = explore_at(k, a, b_reset_mapped, x_smc);
		if (ran && !ex.infeasible && b_result == 0) {
			ran_b++;
			after_new(name, k);
		}
		if (ex.infeasible)
			lock_errors = 0;
		explore_check_locks();
		teardown();
	}
	if (!ran_b)
		fprintf(stderr, "%s: B never ran\n", name);
	CHECK(ran_b > 0);
}

/* ---- A memory lane's gen read inside the reset (its lanes read before
 * it, as test_gen's removal case): the handler on a struct ffp_call with
 * the gen the lane reads then. */

static void b_lane_share(void)
{
	struct ffp_endpoint *ep = &sp.proxy->eps[0];
	struct ffp_call c;

	memset(&c, 0, sizeof(c));
	c.p = sp.proxy;
	c.ep_id = 0;
	c.ep = ep;
	c.func = FFA_MEM_SHARE_32;
	c.version = ep->version;
	c.gen = ep->gen;
	c.in.x[1] = desc_len;
	c.in.x[2] = desc_len;
	ffp_handle_mem_send(&c);
	a_reply = c.out;
}

static void prep_lane_share(void)
{
	prep_share_desc();
}

static int reset_result;

static void a_reset(void)
{
	reset_result = ffp_host_reset(sp.proxy);
}

static void test_lane_in_reset(void)
{
	struct ffp_transaction_info ti;
	struct ffp_endpoint_info ei;
	unsigned k, ran_b = 0;
	uint32_t cur;
	bool ran = true;

	for (k = 1; ran; k++) {
		setup();
		prep_lane_share();
		reset_result = -1;
		snprintf(where, sizeof(where),
			 "memory lane's gen read inside a reset at point %u",
			 k);
		ran = explore_at(k, a_reset, b_lane_share, x_smc);
		if (ran && !ex.infeasible) {
			ran_b++;
			CHECK_EQ(reset_result, 0);
			/* The share came before the reset (which reclaimed
			 * it) or was refused: nothing of the old kernel's
			 * is the new one's. */
			cur = 0;
			while (!ffp_transaction_next(sp.proxy, &cur, &ti))
				if (ti.owner == 0 && !ti.orphan) {
					fprintf(stderr,
						"%s: the old kernel's share "
						"outlived the reset (reply "
						"0x%llx)\n",
						where,
						(unsigned long long)a_reply.x[0]);
					CHECK(0);
				}
			CHECK_EQ(ffp_endpoint_info(sp.proxy, 0, &ei), 0);
			CHECK(ei.present && !ei.version_set &&
			      !ei.buffers_mapped);
			CHECK_EQ(sp.proxy->eps[0].busy, 0);
			CHECK_EQ(sp.proxy->eps[0].txn_count, 0);
			if (inv_check_world(&iv)) {
				fprintf(stderr, "%s: %s\n", where, iv.why);
				CHECK(0);
			}
		}
		if (ex.infeasible)
			lock_errors = 0;
		explore_check_locks();
		teardown();
	}
	CHECK(ran_b > 0);
}

static void test_others(void)
{
	each_point("PARTITION_INFO_GET vs reset", prep_old, a_info_get);
	each_point("RXTX_UNMAP vs reset", prep_old, a_unmap);
	each_point("NOTIFICATION_GET vs reset", prep_old_msg, a_notif_get);
	each_point("FFA_VERSION vs reset", prep_old, a_version);
	each_point("MEM_SHARE vs reset", prep_share_desc, a_share);
	each_point("MEM_RECLAIM vs reset", prep_shared, a_reclaim);
}

int main(void)
{
	RUN(test_send2);
	RUN(test_others);
	RUN(test_lane_in_reset);
	return test_summary("test_host_gen");
}
