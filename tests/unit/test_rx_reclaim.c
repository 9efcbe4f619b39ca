/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The proxy's RX held at the SPMC by a partition's indirect message
 * (FFA_MSG_SEND2 to id 0, src/rxtx.c ffp_spmc_rx_reclaim): the SPMC answers
 * PARTITION_INFO_GET BUSY, and the proxy takes RX buffer full, releases
 * once and asks once more. Here the SPMC misbehaving around that release,
 * with the exact SMCs the proxy issues: a refused release (nothing
 * retried, nothing changed), a garbled one, one that claims success while
 * the RX stays full (one retry, no loop), a refused or garbled GET (the
 * release is still tried), a count-only query (no RX needed, no reclaim).
 * The invariant checker runs on every call.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sim/invariant.h"

#define RAM 0x80000000ull
#define RAM_SIZE 0x100000ull
#define SP_ID 0x8001

static struct simplat sp;
static struct inv iv;
static uint32_t trace[32];
static unsigned ntrace;
static struct ffa_regs get_req; /* the last NOTIFICATION_GET sent */
static char logged[1024]; /* every reason logged since partinfo() */
static bool hold_off;     /* cfg.no_msg2_hold for the next setup() */

static void on_error(void *ctx, const char *what)
{
	(void)ctx;
	fprintf(stderr, "lock misuse: %s\n", what);
	CHECK(0);
}

static void on_smc(void *ctx, unsigned depth, const struct ffa_regs *req,
		   const struct ffa_regs *reply, bool injected)
{
	(void)ctx;
	(void)depth;
	(void)reply;
	(void)injected;
	if (ntrace < sizeof(trace) / sizeof(trace[0]))
		trace[ntrace++] = (uint32_t)req->x[0];
	if ((uint32_t)req->x[0] == FFA_NOTIFICATION_GET_32)
		get_req = *req;
}

static void on_log(void *ctx, unsigned depth, const struct ffp_log_event *ev)
{
	(void)ctx;
	(void)depth;
	size_t n = strlen(logged);

	snprintf(logged + n, sizeof(logged) - n, "%s|", ev->why);
}

static struct ffa_regs call(uint16_t ep, uint64_t x0, uint64_t x1, uint64_t x2,
			    uint64_t x3, uint64_t x5)
{
	struct ffa_regs r, in;

	memset(&r, 0, sizeof(r));
	r.x[0] = x0;
	r.x[1] = x1;
	r.x[2] = x2;
	r.x[3] = x3;
	r.x[5] = x5;
	in = r;
	CHECK(ffp_handle(sp.proxy, ep, &r));
	if (inv_check_regs(&iv, ep, &in, &r) || inv_check_world(&iv)) {
		fprintf(stderr, "%s\n", iv.why);
		CHECK(0);
	}
	return r;
}

static struct ffa_regs partinfo(uint32_t flags)
{
	ntrace = 0;
	logged[0] = 0;
	return call(0, FFA_PARTITION_INFO_GET_32, 0, 0, 0, flags);
}

static void expect_trace(const uint32_t *want, unsigned n)
{
	unsigned i;

	CHECK_EQ(ntrace, n);
	for (i = 0; i < n && i < ntrace; i++)
		CHECK_EQ(trace[i], want[i]);
}

static bool is_error(const struct ffa_regs *r, int32_t status)
{
	unsigned i;

	if (r->x[0] != FFA_ERROR_32 || r->x[2] != (uint32_t)status)
		return false;
	for (i = 1; i < 8; i++)
		if (i != 2 && r->x[i])
			return false;
	return true;
}

/* The host at 1.2 with its RX pair mapped, the proxy's pair mapped at the
 * SPMC (a first query), the host's bitmap created when `bitmap`, and a
 * partition's indirect message in the proxy's RX. */
static void setup(bool bitmap)
{
	struct simplat_config cfg;
	struct simplat_hooks hooks = { .error = on_error, .smc = on_smc,
				       .log = on_log };
	const char *why = NULL;
	struct ffa_regs r;

	simplat_config_default(&cfg);
	cfg.parts[0].id = SP_ID;
	cfg.parts[0].uuid[0] = 1;
	cfg.parts[0].exec_ctx = 1;
	cfg.parts[0].props = 0x10f; /* indirect messages, notifications */
	cfg.part_count = 1;
	cfg.host_ram[0].base = RAM;
	cfg.host_ram[0].size = RAM_SIZE;
	cfg.host_ram_count = 1;
	cfg.proxy.no_msg2_hold = hold_off;
	CHECK_EQ(simplat_init(&sp, &cfg, &hooks, &why), 0);
	inv_init(&iv, &sp);
	call(0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0);
	r = call(0, FFA_RXTX_MAP_64, RAM, RAM + 0x1000, 1, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = partinfo(0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(0, FFA_RX_RELEASE_32, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	if (bitmap) {
		r = call(0, FFA_NOTIFICATION_BIND_32, (uint32_t)SP_ID << 16, 0,
			 1, 0);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	}
	CHECK_EQ(spmc_sp_msg_send2(&sp.spmc, SP_ID, 0, 8), 0);
	CHECK(sp.spmc.rx_held_by_ns);
}

static void teardown(void)
{
	inv_fini(&iv);
	simplat_destroy(&sp);
}

/* The caller does not own its RX after a refusal (RX_RELEASE DENIED). */
static void expect_caller_rx_free(void)
{
	struct ffa_regs r = call(0, FFA_RX_RELEASE_32, 0, 0, 0, 0);

	CHECK(is_error(&r, FFA_DENIED));
}

static bool msg2_held(void)
{
	struct ffp_info info;

	ffp_info(sp.proxy, &info);
	return info.msg2_held;
}

/* The host's GET of its SP and SPM framework bitmaps delivers the kept
 * message (8 payload bytes, 0xa5 ^ i) into its RX with a 1.2 header, and
 * asks the SPMC for the SP bitmap alone (`bitmap`), or nothing. */
static void get_kept(bool bitmap)
{
	static const uint8_t hdr[20] = { 0, 0, 0, 0, 0, 0, 0, 0, 40, 0, 0, 0,
					 0, 0, 0x01, 0x80, 8, 0, 0, 0 };
	uint8_t got[48];
	struct ffa_regs r;
	unsigned i;

	ntrace = 0;
	r = call(0, FFA_NOTIFICATION_GET_32, 0,
		 FFA_NOTIF_GET_SP | FFA_NOTIF_GET_SPM, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[6], FFA_NOTIF_FW_RX_FULL);
	CHECK_EQ(ntrace, bitmap ? 1u : 0u);
	if (bitmap)
		CHECK_EQ(get_req.x[2], FFA_NOTIF_GET_SP);
	CHECK(!msg2_held());
	CHECK_EQ(simmem_read(sp.mem, RAM + 0x1000, got, sizeof(got)), 0);
	CHECK(memcmp(got, hdr, sizeof(hdr)) == 0);
	for (i = 0; i < 8; i++)
		CHECK_EQ(got[40 + i], 0xa5 ^ i);
	/* the host's RX is the host's until its release */
	r = partinfo(0);
	CHECK(is_error(&r, FFA_BUSY));
	r = call(0, FFA_RX_RELEASE_32, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	/* delivered once */
	r = call(0, FFA_NOTIFICATION_GET_32, 0,
		 FFA_NOTIF_GET_SP | FFA_NOTIF_GET_SPM, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[6], 0);
}

/* As Hafnium: RX buffer full taken, the message kept, released, asked
 * again, served; the host's next GET gets the message. */
static void test_reclaimed(void)
{
	static const uint32_t want[] = {
		FFA_PARTITION_INFO_GET_32, FFA_NOTIFICATION_GET_32,
		FFA_RX_RELEASE_32, FFA_PARTITION_INFO_GET_32, FFA_RX_RELEASE_32
	};
	struct ffa_regs r;

	setup(true);
	r = partinfo(0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[2], 1);
	CHECK_EQ(r.x[3], 24);
	expect_trace(want, 5);
	CHECK(strstr(logged, "by an indirect message: released, the message "
			     "kept for the host") != NULL);
	CHECK(!sp.spmc.rx_held_by_ns);
	CHECK_EQ(sp.spmc.ns_spm_pending, 0);
	CHECK(msg2_held());
	r = call(0, FFA_RX_RELEASE_32, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	get_kept(true);
	teardown();
}

/* cfg.no_msg2_hold: no slot, the message dropped (logged), as before. */
static void test_reclaimed_hold_off(void)
{
	struct ffa_regs r;

	hold_off = true;
	setup(true);
	hold_off = false;
	r = partinfo(0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK(strstr(logged, "by an indirect message: released, the message "
			     "dropped") != NULL);
	CHECK(strstr(logged, "no hold slot") != NULL);
	CHECK(!msg2_held());
	r = call(0, FFA_RX_RELEASE_32, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(0, FFA_NOTIFICATION_GET_32, 0,
		 FFA_NOTIF_GET_SP | FFA_NOTIF_GET_SPM, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[6], 0);
	teardown();
}

/* No bitmap for the host (a Linux host binds nothing unless a client
 * driver does): Hafnium still sets RX buffer full for id 0 and refuses the
 * release until it is taken, and a GET of id 0 needs no bitmap there. The
 * proxy takes it all the same, creates no bitmap, and the host's first
 * BIND later creates its bitmap as ever. */
static void test_reclaimed_without_bitmap(void)
{
	static const uint32_t want[] = {
		FFA_PARTITION_INFO_GET_32, FFA_NOTIFICATION_GET_32,
		FFA_RX_RELEASE_32, FFA_PARTITION_INFO_GET_32, FFA_RX_RELEASE_32
	};
	struct ffp_endpoint_info ei;
	struct ffa_regs r;

	setup(false);
	CHECK_EQ(sp.spmc.ns_spm_pending, FFA_NOTIF_FW_RX_FULL);
	r = partinfo(0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[2], 1);
	expect_trace(want, 5);
	/* the GET: id 0, vCPU 0, the SPM framework bitmap alone */
	CHECK_EQ(get_req.x[1], 0);
	CHECK_EQ(get_req.x[2], FFA_NOTIF_GET_SPM);
	for (unsigned i = 3; i < FFA_NREGS; i++)
		CHECK_EQ(get_req.x[i], 0);
	CHECK(strstr(logged, "by an indirect message: released, the message "
			     "kept for the host") != NULL);
	CHECK(!sp.spmc.rx_held_by_ns);
	CHECK_EQ(sp.spmc.ns_spm_pending, 0);
	CHECK(msg2_held());
	CHECK(spmc_notif_bitmap(&sp.spmc, 0) == NULL);
	CHECK_EQ(ffp_endpoint_info(sp.proxy, 0, &ei), 0);
	CHECK(!ei.notif_bitmap);
	CHECK_EQ(inv_check_world(&iv), 0);
	r = call(0, FFA_RX_RELEASE_32, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(0, FFA_NOTIFICATION_BIND_32, (uint32_t)SP_ID << 16, 0, 1, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK(spmc_notif_bitmap(&sp.spmc, 0) != NULL);
	CHECK_EQ(inv_check_world(&iv), 0);
	get_kept(true);
	teardown();
}

/* The SPMC refuses the GET (or garbles it, acting on nothing), with or
 * without the host's bitmap: RX buffer full stays pending, the release
 * is refused, the caller gets the SPMC's BUSY, nothing retried, nothing
 * changed (without a bitmap: none made); the next query recovers. */
static void get_fails(bool bitmap, int32_t status)
{
	static const uint32_t want[] = { FFA_PARTITION_INFO_GET_32,
					 FFA_NOTIFICATION_GET_32,
					 FFA_RX_RELEASE_32 };
	struct inv_snapshot snap;
	struct ffa_regs r, in;

	setup(bitmap);
	sp.spmc.notif_fail_fn = ffa_fn(FFA_NOTIFICATION_GET_32);
	sp.spmc.notif_fail_status = status;
	sp.spmc.notif_fail_left = 1;
	CHECK_EQ(inv_snapshot(&iv, &snap), 0);
	r = partinfo(0);
	memset(&in, 0, sizeof(in));
	in.x[0] = FFA_PARTITION_INFO_GET_32;
	CHECK(is_error(&r, FFA_BUSY));
	expect_trace(want, 3);
	CHECK(strstr(logged, status ? "SPMC refused NOTIFICATION_GET"
				    : "unexpected NOTIFICATION_GET reply") !=
	      NULL);
	CHECK(strstr(logged, "refused RX_RELEASE") != NULL);
	CHECK_EQ(inv_check_unchanged(&iv, &snap, &in, &r), 0);
	inv_snapshot_free(&snap);
	CHECK(sp.spmc.rx_held_by_ns);
	if (!bitmap) {
		CHECK_EQ(sp.spmc.ns_spm_pending, FFA_NOTIF_FW_RX_FULL);
		CHECK(spmc_notif_bitmap(&sp.spmc, 0) == NULL);
	}
	expect_caller_rx_free();
	/* the GET answers again: recovered at the next query */
	r = partinfo(0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(ntrace, 5);
	teardown();
}

static void test_get_refused_without_bitmap(void)
{
	get_fails(false, FFA_DENIED);
}

static void test_get_garbled_without_bitmap(void)
{
	get_fails(false, 0);
}

static void test_release_refused(void)
{
	get_fails(true, FFA_DENIED);
}

/* The release refused by an injected fault (never reaching the SPMC)
 * after RX buffer full was taken: BUSY, the message kept; the next
 * query's release frees the proxy's RX; the host's GET gets the message. */
static void test_release_fault(void)
{
	struct ffa_regs r;

	setup(false);
	/* the 3rd SMC: PARTITION_INFO_GET, NOTIFICATION_GET, then RX_RELEASE */
	simplat_fault(&sp, SIMPLAT_OP_SMC, 3, FFA_ABORTED);
	r = partinfo(0);
	CHECK(is_error(&r, FFA_BUSY));
	CHECK_EQ(ntrace, 3);
	CHECK(sp.spmc.rx_held_by_ns);
	expect_caller_rx_free();
	/* the notification is gone: the message kept all the same, the
	 * host's only way to it */
	CHECK(msg2_held());
	r = partinfo(0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK(msg2_held());
	r = call(0, FFA_RX_RELEASE_32, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	get_kept(false);
	teardown();
}

/* A garbled release reply (w0 neither SUCCESS nor ERROR): as refused. */
static void test_release_garbled(void)
{
	static const uint32_t want[] = { FFA_PARTITION_INFO_GET_32,
					 FFA_NOTIFICATION_GET_32,
					 FFA_RX_RELEASE_32 };
	struct ffa_regs r;

	setup(false);
	sp.spmc.reply_fn = ffa_fn(FFA_RX_RELEASE_32);
	sp.spmc.reply_reg = 0;
	sp.spmc.reply_xor = 0x4;
	r = partinfo(0);
	CHECK(is_error(&r, FFA_BUSY));
	expect_trace(want, 3);
	CHECK(strstr(logged, "refused RX_RELEASE") != NULL);
	expect_caller_rx_free();
	teardown();
}

/* The SPMC claims the release succeeded (DENIED turned SUCCESS) while the
 * RX stays full: one retry, BUSY again, then the caller gets BUSY. No
 * loop: two queries, one reclaim release, the OP-TEE release after the
 * second refusal. */
static void test_release_lies(void)
{
	static const uint32_t want[] = {
		FFA_PARTITION_INFO_GET_32, FFA_NOTIFICATION_GET_32,
		FFA_RX_RELEASE_32, FFA_PARTITION_INFO_GET_32, FFA_RX_RELEASE_32
	};
	struct ffa_regs r;

	setup(true);
	sp.spmc.notif_fail_fn = ffa_fn(FFA_NOTIFICATION_GET_32);
	sp.spmc.notif_fail_status = FFA_DENIED;
	sp.spmc.notif_fail_left = 1;
	sp.spmc.reply_fn = ffa_fn(FFA_RX_RELEASE_32);
	sp.spmc.reply_reg = 0;
	sp.spmc.reply_xor = FFA_ERROR_32 ^ FFA_SUCCESS_32;
	r = partinfo(0);
	CHECK(is_error(&r, FFA_BUSY));
	expect_trace(want, 5);
	expect_caller_rx_free();
	teardown();
}

/* A garbled GET (w1 junk, the model acting on nothing) with the host's
 * bitmap: logged, the release still tried and refused (the bit still
 * pending): BUSY, and the next query recovers. */
static void test_get_garbled(void)
{
	struct ffa_regs r;

	setup(true);
	sp.spmc.notif_fail_fn = ffa_fn(FFA_NOTIFICATION_GET_32);
	sp.spmc.notif_fail_status = 0; /* garbled */
	sp.spmc.notif_fail_left = 1;
	r = partinfo(0);
	CHECK(is_error(&r, FFA_BUSY));
	CHECK_EQ(ntrace, 3);
	CHECK_EQ(trace[1], FFA_NOTIFICATION_GET_32);
	CHECK(strstr(logged, "unexpected NOTIFICATION_GET reply") != NULL);
	CHECK(strstr(logged, "refused RX_RELEASE") != NULL);
	r = partinfo(0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	teardown();
}

/* Count only: the SPMC writes no RX and answers; no reclaim. */
static void test_count_only(void)
{
	static const uint32_t want[] = { FFA_PARTITION_INFO_GET_32 };
	struct ffa_regs r;

	setup(true);
	r = partinfo(FFA_PARTITION_INFO_GET_COUNT_ONLY);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[2], 1);
	expect_trace(want, 1);
	CHECK(sp.spmc.rx_held_by_ns);
	teardown();
}

/* A query the SPMC answers `status` (an injected fault), after one that
 * succeeded and was released: the RX is the SPMC's again. */
static void query_fails(int32_t status)
{
	struct ffa_regs r;

	setup(false);
	r = partinfo(0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	call(0, FFA_RX_RELEASE_32, 0, 0, 0, 0);
	simplat_fault(&sp, SIMPLAT_OP_SMC, 1, status);
	r = partinfo(0);
	CHECK(is_error(&r, status));
}

/* Without a message, a BUSY the SPMC makes up (an injected fault at the
 * query): the release is refused (the RX is the SPMC's), no retry. */
static void test_busy_without_message(void)
{
	static const uint32_t want[] = { FFA_PARTITION_INFO_GET_32,
					 FFA_NOTIFICATION_GET_32,
					 FFA_RX_RELEASE_32 };
	query_fails(FFA_BUSY);
	expect_trace(want, 3);
	teardown();
}

/* A query the SPMC refuses (not BUSY): no reclaim, one RX_RELEASE all
 * the same (OP-TEE hands its RX over with a refusal, discovery.c), which
 * an SPMC that kept its RX refuses (DENIED, as TF-A and Hafnium): that is
 * expected, not worth a log line as a refused release of an RX the
 * normal world surely held is. */
static void test_refused_query_release(void)
{
	static const uint32_t want[] = { FFA_PARTITION_INFO_GET_32,
					 FFA_RX_RELEASE_32 };
	query_fails(FFA_INVALID_PARAMETERS);
	expect_trace(want, 2);
	CHECK(strstr(logged, "SPMC refused the call") != NULL);
	CHECK(strstr(logged, "RX_RELEASE") == NULL);
	expect_caller_rx_free();
	teardown();
}

int main(void)
{
	RUN(test_reclaimed);
	RUN(test_reclaimed_without_bitmap);
	RUN(test_reclaimed_hold_off);
	RUN(test_get_refused_without_bitmap);
	RUN(test_get_garbled_without_bitmap);
	RUN(test_release_refused);
	RUN(test_release_fault);
	RUN(test_release_garbled);
	RUN(test_release_lies);
	RUN(test_get_garbled);
	RUN(test_count_only);
	RUN(test_busy_without_message);
	RUN(test_refused_query_release);
	return test_summary("test_rx_reclaim");
}
