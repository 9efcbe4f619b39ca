/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Unit tests of ffp_handle's fast path (register-only calls from a caller
 * whose version is locked: direct requests, DIRECT_REQ2, ID_GET,
 * RX_RELEASE) against a scripted secure side. Each rule the fast path
 * re-implements has a test here, run both on a caller's first call (the
 * slow path, which locks the version) and on later ones (the fast path):
 * the FF-A id predicate, SMC32 upper halves ignored in and zero out,
 * results the call does not define zero, x8..x17 per proxy.h, sender ==
 * caller, the version lock, and no lock taken. The direct-request tests
 * run over a platform with smc_x0_x7 and over one without it.
 */
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/proxy.h>

#include "check.h"
#include "regs_junk.h"

/* The secure side: answers SMCCC/FFA_VERSION, and everything else with
 * `reply` when set (once), else a direct request with the response
 * echoing the payload plus one (junk where nothing is defined), anything
 * else with SUCCESS (w3 = 24: an empty partition list at 1.2). */
struct side {
	struct ffa_regs seen, reply;
	int smcs, smcs_x0_x7, locks[FFP_LOCK_COUNT], lock_calls;
	const char *why;
};

static void side_smc(void *ctx, struct ffa_regs *r)
{
	struct side *s = ctx;
	uint32_t id = (uint32_t)r->x[0], w1 = (uint32_t)r->x[1];
	int i;

	if (id == SMCCC_VERSION || id == FFA_VERSION_32) {
		memset(r, 0, sizeof(*r));
		r->x[0] = id == SMCCC_VERSION ? SMCCC_VERSION_1_2
					      : FFA_VERSION_1_2;
		return;
	}
	s->seen = *r;
	s->smcs++;
	if (s->reply.x[0]) {
		*r = s->reply;
		memset(&s->reply, 0, sizeof(s->reply));
		return;
	}
	if (id != FFA_MSG_SEND_DIRECT_REQ_32 &&
	    id != FFA_MSG_SEND_DIRECT_REQ_64 &&
	    id != FFA_MSG_SEND_DIRECT_REQ2_64) {
		memset(r, 0, sizeof(*r));
		r->x[0] = FFA_SUCCESS_32;
		r->x[3] = FFA_PARTITION_INFO_SIZE_V1_1;
		return;
	}
	r->x[0] = id + 1;
	r->x[1] = (w1 << 16) | (w1 >> 16);
	r->x[2] = 0;
	if (id == FFA_MSG_SEND_DIRECT_REQ2_64)
		r->x[3] = 0;
	for (i = id == FFA_MSG_SEND_DIRECT_REQ2_64 ? 4 : 3; i < FFA_NREGS; i++)
		r->x[i] = i < 8 || id == FFA_MSG_SEND_DIRECT_REQ2_64
				  ? r->x[i] + 1
				  : 0xdead;
}

/* platform.h's smc_x0_x7: eight registers (w0..w7 for SMC32), x8..x17
 * zero in, the caller's x8..x17 untouched. */
static void side_smc_x0_x7(void *ctx, struct ffa_regs *regs)
{
	struct side *s = ctx;
	struct ffa_regs r;
	uint64_t mask = regs->x[0] & SMCCC_SMC64 ? ~0ull : 0xffffffffull;
	int i;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < 8; i++)
		r.x[i] = regs->x[i] & mask;
	s->smcs_x0_x7++;
	side_smc(ctx, &r);
	for (i = 0; i < 8; i++)
		regs->x[i] = r.x[i] & mask;
}

static int side_transition(void *ctx, uint16_t ep, uint64_t pa, uint64_t size,
			   enum ffp_page_state from, enum ffp_page_state to)
{
	(void)ctx, (void)ep, (void)pa, (void)size, (void)from, (void)to;
	return 0;
}

static int side_read(void *ctx, uint16_t ep, uint64_t pa, void *dst,
		     size_t len)
{
	(void)ctx, (void)ep, (void)pa;
	memset(dst, 0, len);
	return 0;
}

static int side_write(void *ctx, uint16_t ep, uint64_t pa, const void *src,
		      size_t len)
{
	(void)ctx, (void)ep, (void)pa, (void)src, (void)len;
	return 0;
}

static void side_lock(void *ctx, enum ffp_lock l)
{
	struct side *s = ctx;

	s->locks[l]++;
	s->lock_calls++;
}

static void side_unlock(void *ctx, enum ffp_lock l)
{
	((struct side *)ctx)->locks[l]--;
}

static void side_log(void *ctx, const struct ffp_log_event *ev)
{
	((struct side *)ctx)->why = ev->why;
}

static const struct ffp_platform side_ops = {
	side_smc,  side_transition, side_read, side_write,
	side_lock, side_unlock,     side_log,  NULL,
	NULL,      NULL,
};

static const struct ffp_platform side_ops_x0_x7 = {
	side_smc,  side_transition, side_read, side_write,
	side_lock, side_unlock,     side_log,  NULL,
	side_smc_x0_x7, NULL,
};

/* Which platform env_new() builds on. */
static bool with_x0_x7;

static uint8_t hyp_tx[4096], hyp_rx[4096];

struct env {
	struct side s;
	void *mem;
	struct ffp *p;
};

static struct env *env_new(void)
{
	struct env *e = calloc(1, sizeof(*e));
	struct ffp_config cfg;
	size_t size;

	ffp_config_default(&cfg);
	cfg.buffers.tx = hyp_tx;
	cfg.buffers.rx = hyp_rx;
	cfg.buffers.tx_pa = 0x10000000;
	cfg.buffers.rx_pa = 0x10001000;
	cfg.buffers.pages = 1;
	/* The fake firmware hosts no partitions to tell about VMs. */
	cfg.vm_availability_by_embedder = true;
	size = ffp_instance_size(&cfg);
	e->mem = aligned_alloc(16, (size + 15) & ~(size_t)15);
	e->p = ffp_init(e->mem, size, &cfg,
			with_x0_x7 ? &side_ops_x0_x7 : &side_ops, &e->s);
	return e;
}

static void env_free(struct env *e)
{
	free(e->mem);
	free(e);
}

/* Registers full of junk, then x0..x3 as given. */
static struct ffa_regs call(struct env *e, uint16_t ep, struct ffa_regs r)
{
	CHECK(ffp_handle(e->p, ep, &r));
	return r;
}

static void version(struct env *e, uint16_t ep, uint32_t v)
{
	struct ffa_regs r = call(e, ep, regs4(FFA_VERSION_32, v, 0, 0));

	CHECK_EQ(r.x[0], FFA_VERSION_1_2);
}

static bool is_error(const struct ffa_regs *r, int32_t status)
{
	int i;

	for (i = 1; i < 8; i++)
		if (i != 2 && r->x[i])
			return false;
	return r->x[0] == FFA_ERROR_32 && r->x[2] == (uint32_t)status;
}

/* ffp_handle takes exactly the calls whose W0 (the function id, SMCCC)
 * ffa_is_ffa_call() calls FF-A once SMCCC 1.3's SVE hint (bit 16) is
 * cleared, whatever x0[63:32], and leaves every other register file
 * untouched. */
static void test_ffa_id_predicate(void)
{
	static const uint64_t highs[] = { 0, 1, 0x80000000u, 0xffffffffu };
	static const uint32_t tops[] = { 0x84, 0xc4, 0x04, 0x44, 0x85, 0x83,
					 0x80, 0xc0, 0x86, 0xa4, 0x94 };
	static const uint32_t mids[] = { 0x00, 0x01, 0x80, 0xff };
	static const uint32_t fns[] = { 0x00,  0x5f,  0x60,  0x61,   0x6f,
					0x9f,  0xa0,  0xef,  0xf0,   0xff,
					0x100, 0x160, 0x1ff, 0x8060, 0xffff };
	struct env *e = env_new();
	unsigned a, b, c, d, ffa = 0;

	version(e, 0, FFA_VERSION_1_2);
	for (a = 0; a < sizeof(highs) / sizeof(highs[0]); a++)
		for (b = 0; b < sizeof(tops) / sizeof(tops[0]); b++)
			for (c = 0; c < sizeof(mids) / sizeof(mids[0]); c++)
				for (d = 0; d < sizeof(fns) / sizeof(fns[0]);
				     d++) {
					uint64_t x0 = highs[a] << 32 |
						      tops[b] << 24 |
						      mids[c] << 16 | fns[d];
					struct ffa_regs r, before;
					bool want = ffa_is_ffa_call(
						(uint32_t)x0 &
						~SMCCC_SVE_HINT);

					if (ffa_fn((uint32_t)x0) ==
					    FFA_FN_VERSION)
						continue; /* would renegotiate */
					r = before = regs4(x0, 0x8001, 0, 0);
					CHECK_EQ(ffp_handle(e->p, 0, &r), want);
					if (!want)
						CHECK(!memcmp(&r, &before,
							      sizeof(r)));
					ffa += want;
				}
	/* any upper half, 0x84/0xc4, mid 0 or the hint, fns 0x60..0xef */
	CHECK_EQ(ffa, 4 * 2 * 2 * 6);
	env_free(e);
}

/* Function numbers 0xF0.. of the standard secure service are not FF-A:
 * 0x840000F0..F2 are the Errata Management ABI (DEN0100: EM_VERSION,
 * EM_FEATURES, EM_CPU_ERRATUM_FEATURES; TF-A errata_abi_svc.h, whose
 * std_svc dispatcher gives FF-A 0x60..0x90 and the errata ABI these).
 * The proxy must leave them to the embedder, untouched, not answer them
 * with an FFA_ERROR frame; before and after a caller's version locks. */
static void test_errata_abi_not_ffa(void)
{
	static const uint32_t ids[] = { 0x840000f0u, 0x840000f1u, 0x840000f2u,
					0xc40000f0u, 0x840000ffu };
	struct env *e = env_new();
	unsigned int i, n;

	for (n = 0; n < 2; n++) {
		if (n)
			version(e, 0, FFA_VERSION_1_2);
		for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
			struct ffa_regs r = regs4(ids[i], 1, 2, 3), before = r;

			CHECK(!ffa_is_ffa_call(ids[i]));
			CHECK(!ffp_handle(e->p, 0, &r));
			CHECK(memcmp(&r, &before, sizeof(r)) == 0);
		}
	}
	CHECK_EQ(e->s.smcs, 0);
	env_free(e);
}

/* The same direct request on the first call (slow path, locks the
 * version) and on the next (fast path). */
static void test_direct_req_smc32(void)
{
	struct env *e = env_new();
	int n, i;

	version(e, 0, FFA_VERSION_1_2);
	for (n = 0; n < 2; n++) {
		struct ffa_regs r = regs4(FFA_MSG_SEND_DIRECT_REQ_32,
					  JUNK | 0x8001, JUNK, JUNK | 0x33);

		r = call(e, 0, r);
		/* in: w registers only, x8..x17 zero */
		CHECK_EQ(e->s.seen.x[0], FFA_MSG_SEND_DIRECT_REQ_32);
		CHECK_EQ(e->s.seen.x[1], 0x8001);
		CHECK_EQ(e->s.seen.x[2], 0);
		CHECK_EQ(e->s.seen.x[3], 0x33);
		for (i = 4; i < 8; i++)
			CHECK_EQ(e->s.seen.x[i], 0x10 + i);
		for (i = 8; i < FFA_NREGS; i++)
			CHECK_EQ(e->s.seen.x[i], 0);
		/* out: zero-extended, x8..x17 as the caller had them */
		CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_32);
		CHECK_EQ(r.x[1], 0x80010000u);
		CHECK_EQ(r.x[2], 0);
		CHECK_EQ(r.x[3], 0x34);
		for (i = 4; i < 8; i++)
			CHECK_EQ(r.x[i], 0x10 + i + 1);
		CHECK(x8_x17_kept(&r));
	}
	env_free(e);
}

static void test_direct_req_smc64(void)
{
	struct env *e = env_new();
	struct ffa_regs r;
	int n, i;

	/* at 1.2: x8..x17 are results, zero (the SPMC's junk never leaks) */
	version(e, 0, FFA_VERSION_1_2);
	for (n = 0; n < 2; n++) {
		r = call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_64, 0x8001, 0,
				     JUNK | 0x33));
		CHECK_EQ(e->s.seen.x[3], JUNK | 0x33);
		CHECK_EQ(e->s.seen.x[9], 0);
		CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
		CHECK_EQ(r.x[1], 0x80010000u);
		CHECK_EQ(r.x[2], 0);
		CHECK_EQ(r.x[3], (JUNK | 0x33) + 1);
		for (i = 4; i < 8; i++)
			CHECK_EQ(r.x[i], (JUNK | (0x10 + i)) + 1);
		CHECK(x8_x17_zero(&r));
	}
	/* at 1.1: x8..x17 preserved */
	CHECK_EQ(ffp_endpoint_add(e->p, 1), 0);
	version(e, 1, FFA_VERSION_1_1);
	for (n = 0; n < 2; n++) {
		r = call(e, 1, regs4(FFA_MSG_SEND_DIRECT_REQ_64, 0x18001, 0, 0));
		CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
		CHECK_EQ(r.x[1], 0x80010001u);
		CHECK(x8_x17_kept(&r));
	}
	/* the response's x0 upper half is not passed on */
	e->s.reply.x[0] = (1ull << 32) | FFA_MSG_SEND_DIRECT_RESP_64;
	e->s.reply.x[1] = 0x80010000u;
	e->s.reply.x[7] = 7;
	e->s.reply.x[12] = JUNK;
	r = call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_64, 0x8001, 0, 0));
	CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
	CHECK_EQ(r.x[7], 7);
	CHECK(x8_x17_zero(&r));
	env_free(e);
}

/* Refusals, first call and later: nothing reaches the SPMC, only the
 * error comes back, x8..x17 per the rules. */
static void test_direct_req_refusals(void)
{
	static const struct {
		uint64_t x0, x1, x2;
	} bad[] = {
		{ FFA_MSG_SEND_DIRECT_REQ_32, 0x00018001, 0 },  /* sender */
		{ FFA_MSG_SEND_DIRECT_REQ_64, 0x00018001, 0 },
		{ FFA_MSG_SEND_DIRECT_REQ_32, 0x00000001, 0 },  /* receiver */
		{ FFA_MSG_SEND_DIRECT_REQ_64, JUNK | 0x8001, 0 }, /* x1 MBZ */
		{ FFA_MSG_SEND_DIRECT_REQ_32, 0x8001, 0x80000000u }, /* flags */
		{ FFA_MSG_SEND_DIRECT_REQ_64, 0x8001, 1ull << 32 },
		{ FFA_MSG_SEND_DIRECT_REQ2_64, 0x00018001, 0 },
		{ FFA_MSG_SEND_DIRECT_REQ2_64, JUNK | 0x8001, 0 },
	};
	unsigned i, first;

	for (first = 0; first < 2; first++) {
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct env *e = env_new();
			struct ffa_regs r;

			version(e, 0, FFA_VERSION_1_2);
			if (!first) /* lock first: the fast path */
				call(e, 0, regs4(FFA_ID_GET_32, 0, 0, 0));
			r = call(e, 0, regs4(bad[i].x0, bad[i].x1, bad[i].x2,
					     0));
			CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
			CHECK_EQ(e->s.smcs, 0);
			CHECK(e->s.why != NULL);
			if (ffa_is_smc64((uint32_t)bad[i].x0))
				CHECK(x8_x17_zero(&r));
			else
				CHECK(x8_x17_kept(&r));
			env_free(e);
		}
	}
	/* an SMC32 sender check reads w1 only: junk above is ignored */
	{
		struct env *e = env_new();
		struct ffa_regs r;

		version(e, 0, FFA_VERSION_1_2);
		r = call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_32,
				     0xffff000000008001ull, 0xffffffff00000000ull,
				     0));
		CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_32);
		env_free(e);
	}
}

/* What the SPMC may answer instead of the response. */
static void test_direct_req_replies(void)
{
	struct env *e = env_new();
	struct ffa_regs r;

	version(e, 0, FFA_VERSION_1_2);
	call(e, 0, regs4(FFA_ID_GET_32, 0, 0, 0));
	/* the wrong pair, and a nonzero w2 */
	e->s.reply.x[0] = FFA_MSG_SEND_DIRECT_RESP_64;
	e->s.reply.x[1] = 0x80020000u;
	r = call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_64, 0x8001, 0, 0));
	CHECK(is_error(&r, FFA_ABORTED));
	CHECK(x8_x17_zero(&r));
	e->s.reply.x[0] = FFA_MSG_SEND_DIRECT_RESP_32;
	e->s.reply.x[1] = 0x80010000u;
	e->s.reply.x[2] = 1;
	r = call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_32, 0x8001, 0, 0));
	CHECK(is_error(&r, FFA_ABORTED));
	CHECK(x8_x17_kept(&r));
	/* a response of the other width */
	e->s.reply.x[0] = FFA_MSG_SEND_DIRECT_RESP_32;
	e->s.reply.x[1] = 0x80010000u;
	r = call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_64, 0x8001, 0, 0));
	CHECK(is_error(&r, FFA_ABORTED));
	/* FFA_ERROR passed on, sanitised */
	e->s.reply.x[0] = FFA_ERROR_32;
	e->s.reply.x[2] = (uint32_t)FFA_BUSY;
	e->s.reply.x[5] = 0x777;
	r = call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_32, 0x8001, 0, 0));
	CHECK(is_error(&r, FFA_BUSY));
	e->s.reply.x[0] = FFA_ERROR_32;
	e->s.reply.x[2] = 99;
	r = call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_32, 0x8001, 0, 0));
	CHECK(is_error(&r, FFA_ABORTED));
	/* INTERRUPT and YIELD with their defined registers only */
	e->s.reply.x[0] = FFA_INTERRUPT_32;
	e->s.reply.x[1] = JUNK | 0x80010002u;
	e->s.reply.x[2] = 5;
	r = call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_64, 0x8001, 0, 0));
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80010002u);
	CHECK_EQ(r.x[2], 0);
	CHECK(x8_x17_zero(&r));
	e->s.reply.x[0] = FFA_YIELD_32;
	e->s.reply.x[1] = 0x80010001u;
	e->s.reply.x[2] = 2;
	e->s.reply.x[3] = JUNK | 3;
	e->s.reply.x[4] = 4;
	r = call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_32, 0x8001, 0, 0));
	CHECK_EQ(r.x[0], FFA_YIELD_32);
	CHECK_EQ(r.x[1], 0x80010001u);
	CHECK_EQ(r.x[2], 2);
	CHECK_EQ(r.x[3], 3);
	CHECK_EQ(r.x[4], 0);
	CHECK(x8_x17_kept(&r));
	env_free(e);
}

/* An SMC32 call's results are W0..W7 (SMCCC; platform.h's smc_x0_x7
 * writes the upper halves as zero): a response to an SMC32 request whose
 * x1/x2 carry junk above the ids and flags is still the response, on the
 * general path (first call) and on the lanes, over either platform. */
static void test_direct_req_smc32_reply_upper_halves(void)
{
	int n, i;

	for (n = 0; n < 3; n++) {
		struct env *e = env_new();
		struct ffa_regs r;

		version(e, 0, FFA_VERSION_1_2);
		if (n) /* lock first: the lanes */
			call(e, 0, regs4(FFA_ID_GET_32, 0, 0, 0));
		e->s.reply.x[0] = FFA_MSG_SEND_DIRECT_RESP_32;
		e->s.reply.x[1] = JUNK | 0x80010000u;
		e->s.reply.x[2] = JUNK;
		for (i = 3; i < 8; i++)
			e->s.reply.x[i] = JUNK | (uint64_t)i;
		r = call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_32, 0x8001, 0, 0));
		CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_32);
		CHECK_EQ(r.x[1], 0x80010000u);
		CHECK_EQ(r.x[2], 0);
		for (i = 3; i < 8; i++)
			CHECK_EQ(r.x[i], i);
		CHECK(x8_x17_kept(&r));
		/* w1/w2 still decide: the wrong pair, a nonzero w2 */
		e->s.reply.x[0] = FFA_MSG_SEND_DIRECT_RESP_32;
		e->s.reply.x[1] = JUNK | 0x80020000u;
		r = call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_32, 0x8001, 0, 0));
		CHECK(is_error(&r, FFA_ABORTED));
		e->s.reply.x[0] = FFA_MSG_SEND_DIRECT_RESP_32;
		e->s.reply.x[1] = 0x80010000u;
		e->s.reply.x[2] = JUNK | 1;
		r = call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_32, 0x8001, 0, 0));
		CHECK(is_error(&r, FFA_ABORTED));
		CHECK(x8_x17_kept(&r));
		env_free(e);
	}
}

/* A 1.1 caller's SMC64 request (x8..x17 the caller's): what the SPMC
 * may answer instead of the response, first call and later. */
static void test_direct_req_replies_v11(void)
{
	struct env *e = env_new();
	struct ffa_regs r;
	int n;

	CHECK_EQ(ffp_endpoint_add(e->p, 1), 0);
	version(e, 1, FFA_VERSION_1_1);
	for (n = 0; n < 2; n++) {
		/* a dirty upper half of x0 is still the response */
		e->s.reply.x[0] = (1ull << 32) | FFA_MSG_SEND_DIRECT_RESP_64;
		e->s.reply.x[1] = 0x80010001u;
		e->s.reply.x[7] = 7;
		e->s.reply.x[12] = JUNK;
		r = call(e, 1, regs4(FFA_MSG_SEND_DIRECT_REQ_64, 0x18001, 0, 0));
		CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
		CHECK_EQ(r.x[1], 0x80010001u);
		CHECK_EQ(r.x[7], 7);
		CHECK(x8_x17_kept(&r));
		/* the wrong pair */
		e->s.reply.x[0] = FFA_MSG_SEND_DIRECT_RESP_64;
		e->s.reply.x[1] = 0x80010002u;
		r = call(e, 1, regs4(FFA_MSG_SEND_DIRECT_REQ_64, 0x18001, 0, 0));
		CHECK(is_error(&r, FFA_ABORTED));
		CHECK(x8_x17_kept(&r));
		/* FFA_ERROR, sanitised */
		e->s.reply.x[0] = FFA_ERROR_32;
		e->s.reply.x[2] = (uint32_t)FFA_DENIED;
		e->s.reply.x[9] = JUNK;
		r = call(e, 1, regs4(FFA_MSG_SEND_DIRECT_REQ_64, 0x18001, 0, 0));
		CHECK(is_error(&r, FFA_DENIED));
		CHECK(x8_x17_kept(&r));
		/* INTERRUPT with its defined register only: w1 names the
		 * request's partition and one of its vCPUs */
		e->s.reply.x[0] = FFA_INTERRUPT_32;
		e->s.reply.x[1] = 0x80010002u;
		e->s.reply.x[3] = 3;
		r = call(e, 1, regs4(FFA_MSG_SEND_DIRECT_REQ_64, 0x18001, 0, 0));
		CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
		CHECK_EQ(r.x[1], 0x80010002u);
		CHECK_EQ(r.x[3], 0);
		CHECK(x8_x17_kept(&r));
		/* one naming another partition is outside the protocol */
		e->s.reply.x[0] = FFA_INTERRUPT_32;
		e->s.reply.x[1] = 0x00010000u;
		r = call(e, 1, regs4(FFA_MSG_SEND_DIRECT_REQ_64, 0x18001, 0, 0));
		CHECK(is_error(&r, FFA_ABORTED));
		CHECK(x8_x17_kept(&r));
	}
	env_free(e);
}

/* Which SMC operation carries each request once the version is locked:
 * smc_x0_x7, when the platform has it, for the requests whose x8..x17
 * are the caller's; smc for the rest and for every first call. */
static void test_direct_req_smc_x0_x7_used(void)
{
	struct env *e = env_new();
	int want = with_x0_x7 ? 1 : 0;

	version(e, 0, FFA_VERSION_1_2);
	CHECK_EQ(ffp_endpoint_add(e->p, 1), 0);
	version(e, 1, FFA_VERSION_1_1);
	/* first calls: the general path, through smc */
	call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_32, 0x8001, 0, 0));
	call(e, 1, regs4(FFA_MSG_SEND_DIRECT_REQ_64, 0x18001, 0, 0));
	CHECK_EQ(e->s.smcs_x0_x7, 0);
	CHECK_EQ(e->s.smcs, 2);
	call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_32, 0x8001, 0, 0));
	CHECK_EQ(e->s.smcs_x0_x7, want);
	call(e, 1, regs4(FFA_MSG_SEND_DIRECT_REQ_64, 0x18001, 0, 0));
	CHECK_EQ(e->s.smcs_x0_x7, 2 * want);
	call(e, 1, regs4(FFA_MSG_SEND_DIRECT_REQ_32, 0x18001, 0, 0));
	CHECK_EQ(e->s.smcs_x0_x7, 3 * want);
	/* a 1.2 caller's SMC64 requests: x8..x17 are results, smc */
	call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_64, 0x8001, 0, 0));
	call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ2_64, 0x8001, 0, 0));
	CHECK_EQ(e->s.smcs_x0_x7, 3 * want);
	CHECK_EQ(e->s.smcs, 7);
	/* a request that is not clean never reaches either */
	call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_32, 0x18001, 0, 0));
	CHECK_EQ(e->s.smcs, 7);
	env_free(e);
}

static void test_direct_req2(void)
{
	struct env *e = env_new();
	struct ffa_regs r;
	int n, i;

	version(e, 0, FFA_VERSION_1_2);
	for (n = 0; n < 2; n++) {
		r = call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ2_64, 0x8001,
				     0x1111, 0x2222));
		/* the UUID and payload reach the SPMC as given */
		CHECK_EQ(e->s.seen.x[2], 0x1111);
		CHECK_EQ(e->s.seen.x[3], 0x2222);
		CHECK_EQ(e->s.seen.x[17], JUNK | (0x10 + 17));
		CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP2_64);
		CHECK_EQ(r.x[1], 0x80010000u);
		CHECK_EQ(r.x[2], 0);
		CHECK_EQ(r.x[3], 0);
		for (i = 4; i < FFA_NREGS; i++)
			CHECK_EQ(r.x[i], (JUNK | (uint64_t)(0x10 + i)) + 1);
	}
	/* RESP2 must zero x2/x3 */
	e->s.reply.x[0] = FFA_MSG_SEND_DIRECT_RESP2_64;
	e->s.reply.x[1] = 0x80010000u;
	e->s.reply.x[3] = 1;
	r = call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ2_64, 0x8001, 0, 0));
	CHECK(is_error(&r, FFA_ABORTED));
	CHECK(x8_x17_zero(&r));
	/* not servable to a 1.1 caller: refused before the SPMC */
	CHECK_EQ(ffp_endpoint_add(e->p, 1), 0);
	version(e, 1, FFA_VERSION_1_1);
	e->s.smcs = 0;
	for (n = 0; n < 2; n++) {
		r = call(e, 1, regs4(FFA_MSG_SEND_DIRECT_REQ2_64, 0x18001, 0, 0));
		CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	}
	CHECK_EQ(e->s.smcs, 0);
	env_free(e);
}

static void test_id_get(void)
{
	struct env *e = env_new();
	struct ffa_regs r;
	int n;

	CHECK_EQ(ffp_endpoint_add(e->p, 5), 0);
	for (n = 0; n < 2; n++) {
		r = call(e, 5, regs4(FFA_ID_GET_32, JUNK | 1, 2, 3));
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		CHECK_EQ(r.x[1], 0);
		CHECK_EQ(r.x[2], 5);
		CHECK_EQ(r.x[3], 0);
		CHECK_EQ(r.x[7], 0);
		CHECK(x8_x17_kept(&r));
		/* SMC64 ID_GET is not a function */
		r = call(e, 5, regs4(FFA_ID_32(FFA_FN_ID_GET) | SMCCC_SMC64, 0,
				     0, 0));
		CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	}
	CHECK_EQ(e->s.smcs, 0);
	/* the call before FFA_VERSION locked the endpoint at 1.0 */
	r = call(e, 5, regs4(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0));
	CHECK_EQ(r.x[0], (uint32_t)FFA_NOT_SUPPORTED);
	/* a removed endpoint is refused, also after it had locked */
	CHECK_EQ(ffp_endpoint_remove(e->p, 5), 0);
	r = call(e, 5, regs4(FFA_ID_GET_32, 0, 0, 0));
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	r = call(e, 16, regs4(FFA_ID_GET_32, 0, 0, 0)); /* past the table */
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	env_free(e);
}

/* A direct request as the first call locks the version as any other. */
static void test_first_call_locks(void)
{
	struct env *e = env_new();
	struct ffp_endpoint_info ei;
	struct ffa_regs r;

	version(e, 0, FFA_VERSION_1_1);
	r = call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_64, 0x8001, 0, 0));
	CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
	CHECK(x8_x17_kept(&r)); /* 1.1: x8..x17 are not results */
	ffp_endpoint_info(e->p, 0, &ei);
	CHECK(ei.version_locked);
	CHECK_EQ(ei.version, FFA_VERSION_1_1);
	r = call(e, 0, regs4(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0));
	CHECK_EQ(r.x[0], (uint32_t)FFA_NOT_SUPPORTED);
	r = call(e, 0, regs4(FFA_VERSION_32, FFA_VERSION_1_1, 0, 0));
	CHECK_EQ(r.x[0], FFA_VERSION_1_2);
	env_free(e);
}

static void test_rx_release(void)
{
	struct env *e = env_new();
	struct ffa_regs r;
	int n;

	version(e, 0, FFA_VERSION_1_2);
	for (n = 0; n < 2; n++) {
		/* w1[31:16] (reserved) set, or another endpoint in w1[15:0] */
		r = call(e, 0, regs4(FFA_RX_RELEASE_32, 1u << 16, 0, 0));
		CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
		CHECK(x8_x17_kept(&r));
		r = call(e, 0, regs4(FFA_RX_RELEASE_32, 1, 0, 0));
		CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
		/* nothing mapped, then nothing held: DENIED */
		r = call(e, 0, regs4(FFA_RX_RELEASE_32, JUNK, 0, 0));
		CHECK(is_error(&r, FFA_DENIED));
		CHECK(strstr(e->s.why, "no buffers") != NULL);
	}
	r = call(e, 0, regs4(FFA_RXTX_MAP_64, 0x80000000u, 0x80001000u, 1));
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(e, 0, regs4(FFA_RX_RELEASE_32, 0, 0, 0));
	CHECK(is_error(&r, FFA_DENIED));
	CHECK(strstr(e->s.why, "does not own") != NULL);
	/* held after PARTITION_INFO_GET; released once; the caller may
	 * name itself, SMC32: w1 only */
	r = regs4(FFA_PARTITION_INFO_GET_32, 0, 0, 0);
	r.x[4] = r.x[5] = 0; /* UUID w4, flags w5 */
	r = call(e, 0, r);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(e, 0, regs4(FFA_RX_RELEASE_32, JUNK, 0, 0));
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[2], 0);
	CHECK(x8_x17_kept(&r));
	r = call(e, 0, regs4(FFA_RX_RELEASE_32, 0, 0, 0));
	CHECK(is_error(&r, FFA_DENIED));
	CHECK_EQ(e->s.locks[FFP_LOCK_STATE], 0);
	env_free(e);
}

/* FFA_RX_RELEASE names the receiver in w1[15:0] (Hafnium ffa_receiver(),
 * arg1 & 0xffff, and the VM id a hypervisor forwards there; Arm's arm-ffa
 * crate: RxRelease { vm_id: regs[1] as u16 }), not in w1[31:16] as
 * RXTX_UNMAP does: a VM may name itself there (or 0), w1[31:16] is
 * reserved. First call and later, for a caller whose id is not 0. */
static void test_rx_release_vm_id_field(void)
{
	struct env *e = env_new();
	struct ffa_regs r;
	int n;

	CHECK_EQ(ffp_endpoint_add(e->p, 1), 0);
	version(e, 1, FFA_VERSION_1_1);
	r = call(e, 1, regs4(FFA_RXTX_MAP_64, 0x80000000u, 0x80001000u, 1));
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	for (n = 0; n < 2; n++) {
		r = regs4(FFA_PARTITION_INFO_GET_32, 0, 0, 0);
		r.x[4] = r.x[5] = 0;
		r = call(e, 1, r);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		/* its own id in the reserved half: refused, RX still held */
		r = call(e, 1, regs4(FFA_RX_RELEASE_32, 1u << 16, 0, 0));
		CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
		r = call(e, 1, regs4(FFA_RX_RELEASE_32, (1u << 16) | 1, 0, 0));
		CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
		/* another VM in the id field: refused */
		r = call(e, 1, regs4(FFA_RX_RELEASE_32, 2, 0, 0));
		CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
		/* itself in w1[15:0]: released */
		r = call(e, 1, regs4(FFA_RX_RELEASE_32, 1, 0, 0));
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		r = call(e, 1, regs4(FFA_RX_RELEASE_32, 0, 0, 0));
		CHECK(is_error(&r, FFA_DENIED));
	}
	env_free(e);
}

/* Direct requests and ID_GET from a locked caller take no lock; nor
 * does the general path look the locked version up under one (version.c
 * ffp_lock_version: one test, the lock only at the first call), shown
 * by calls whose handlers take none: FEATURES of an emulated function,
 * a direct request with the SVE hint (not on a lane). */
static void test_no_lock(void)
{
	struct env *e = env_new();
	struct ffa_regs r;

	version(e, 0, FFA_VERSION_1_2);
	call(e, 0, regs4(FFA_ID_GET_32, 0, 0, 0));
	e->s.lock_calls = 0;
	call(e, 0, regs4(FFA_ID_GET_32, 0, 0, 0));
	call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_32, 0x8001, 0, 0));
	call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_64, 0x8001, 0, 0));
	call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ2_64, 0x8001, 0, 0));
	CHECK_EQ(e->s.lock_calls, 0);
	CHECK_EQ(e->s.smcs, 3);
	r = call(e, 0, regs4(FFA_FEATURES_32, FFA_ID_GET_32, 0, 0));
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(e, 0, regs4(FFA_MSG_SEND_DIRECT_REQ_32 | SMCCC_SVE_HINT,
			     0x8001, 0, 0));
	CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_32);
	CHECK_EQ(e->s.lock_calls, 0);
	CHECK_EQ(e->s.smcs, 4);
	env_free(e);
}

int main(void)
{
	int pass;

	RUN(test_ffa_id_predicate);
	RUN(test_errata_abi_not_ffa);
	for (pass = 0; pass < 2; pass++) {
		with_x0_x7 = pass == 1;
		RUN(test_direct_req_smc32);
		RUN(test_direct_req_smc64);
		RUN(test_direct_req_refusals);
		RUN(test_direct_req_replies);
		RUN(test_direct_req_smc32_reply_upper_halves);
		RUN(test_direct_req_replies_v11);
		RUN(test_direct_req_smc_x0_x7_used);
	}
	RUN(test_direct_req2);
	RUN(test_id_get);
	RUN(test_first_call_locks);
	RUN(test_rx_release);
	RUN(test_rx_release_vm_id_field);
	RUN(test_no_lock);
	return test_summary("test_fastpath");
}
