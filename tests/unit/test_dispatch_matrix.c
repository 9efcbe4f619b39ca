/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The dispatch table against an expectation written here independently of
 * src/dispatch.c, from the function table of DEN0077A (1.0 table 8.x,
 * 1.1 and 1.2 chapter 13; /work/shared/spec/ffa-facts.md section 3) and
 * the proxy's documented policy (README's support table): for every
 * function number 0x60..0xEF, both widths, every caller version and every
 * SPMC version,
 *  - a call is refused with NOT_SUPPORTED iff the proxy does not serve it;
 *  - FFA_FEATURES of its id says SUCCESS iff it is served (the return
 *    frames ERROR_32, SUCCESS_32, INTERRUPT_32 aside: implemented, not
 *    requests; MEM_FRAG_RX_32, a sender's reply frame: SUCCESS iff
 *    MEM_FRAG_TX is served; and DIRECT_RESP/RESP2, served as DENIED
 *    but never offered: NOT_SUPPORTED, no request reaching the normal
 *    world);
 *  - the same call with the SVE hint (bit 16) and junk in x0[63:32] gets
 *    exactly the same registers back, whether or not a lane serves it.
 */
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/proxy.h>

#include "check.h"

struct fake {
	uint32_t spmc_version, smccc;
	int smcs;
	struct ffa_regs seen;
	uint8_t tx[4096], rx[4096];
};

static void fake_smc(void *ctx, struct ffa_regs *r)
{
	struct fake *f = ctx;
	uint32_t id = (uint32_t)r->x[0];

	if (id == SMCCC_VERSION) {
		memset(r, 0, sizeof(*r));
		r->x[0] = f->smccc;
		return;
	}
	f->smcs++;
	if (id == FFA_MSG_SEND_DIRECT_REQ_32 || id == FFA_MSG_SEND_DIRECT_REQ_64 ||
	    id == FFA_MSG_SEND_DIRECT_REQ2_64) {
		uint64_t w1 = (uint32_t)r->x[1];
		int i;

		f->seen = *r;
		r->x[0] = id + 1;
		r->x[1] = (w1 << 16 | w1 >> 16) & 0xffffffffu;
		r->x[2] = 0;
		if (id == FFA_MSG_SEND_DIRECT_REQ2_64)
			r->x[3] = 0;
		for (i = id == FFA_MSG_SEND_DIRECT_REQ2_64 ? 4 : 3;
		     i < FFA_NREGS; i++)
			r->x[i] = 0x1111111100000000ull * (uint64_t)i + 7;
		if (id == FFA_MSG_SEND_DIRECT_REQ_32)
			for (i = 3; i < 8; i++)
				r->x[i] &= 0xffffffffu;
		return;
	}
	memset(r, 0, sizeof(*r));
	r->x[0] = id == FFA_VERSION_32 ? f->spmc_version : FFA_SUCCESS_32;
}

static int fake_transition(void *ctx, uint16_t ep, uint64_t pa, uint64_t size,
			   enum ffp_page_state from, enum ffp_page_state to)
{
	(void)ctx;
	(void)ep;
	(void)pa;
	(void)size;
	(void)from;
	(void)to;
	return FFA_DENIED;
}

static int fake_read(void *ctx, uint16_t ep, uint64_t pa, void *dst,
		     size_t len)
{
	(void)ctx;
	(void)ep;
	(void)pa;
	(void)dst;
	(void)len;
	return FFA_DENIED;
}

static int fake_write(void *ctx, uint16_t ep, uint64_t pa, const void *src,
		      size_t len)
{
	(void)ctx;
	(void)ep;
	(void)pa;
	(void)src;
	(void)len;
	return FFA_DENIED;
}

static void fake_lock(void *ctx, enum ffp_lock l)
{
	(void)ctx;
	(void)l;
}

static void fake_log(void *ctx, const struct ffp_log_event *ev)
{
	(void)ctx;
	(void)ev;
}

/* platform.h's smc_x0_x7: x0..x7 only (w0..w7 for SMC32). */
static void fake_smc_x0_x7(void *ctx, struct ffa_regs *regs)
{
	uint64_t mask = regs->x[0] & SMCCC_SMC64 ? ~0ull : 0xffffffffull;
	struct ffa_regs r;
	int i;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < 8; i++)
		r.x[i] = regs->x[i] & mask;
	fake_smc(ctx, &r);
	for (i = 0; i < 8; i++)
		regs->x[i] = r.x[i] & mask;
}

static const struct ffp_platform fake_ops = {
	fake_smc, fake_transition, fake_read, fake_write,
	fake_lock, fake_lock,	   fake_log,  NULL,	  NULL,
	NULL,
};

static const struct ffp_platform fake_ops_x0_x7 = {
	fake_smc,  fake_transition, fake_read, fake_write,
	fake_lock, fake_lock,	    fake_log,  NULL,	   fake_smc_x0_x7,
	NULL,
};

static bool g_x0_x7;

struct world {
	struct fake f;
	void *mem;
	struct ffp *p;
};

/* The configuration beyond the versions: firmware SMCCC, policy, and
 * whether preempted requests are kept. */
static uint32_t g_smccc = SMCCC_VERSION_1_2;
static enum ffp_policy g_policy = FFP_POLICY_TRANSLATE;
static uint32_t g_max_preempted = 16;

static struct world *world_new(uint32_t spmc, uint32_t caller)
{
	struct world *w = calloc(1, sizeof(*w));
	struct ffp_config cfg;
	struct ffa_regs r;
	size_t size;

	w->f.spmc_version = spmc;
	w->f.smccc = g_smccc;
	ffp_config_default(&cfg);
	cfg.policy = g_policy;
	cfg.max_preempted = g_max_preempted;
	cfg.buffers.tx = w->f.tx;
	cfg.buffers.rx = w->f.rx;
	cfg.buffers.tx_pa = 0x10000000;
	cfg.buffers.rx_pa = 0x10001000;
	cfg.buffers.pages = 1;
	cfg.vm_availability_by_embedder = true;
	size = ffp_instance_size(&cfg);
	w->mem = aligned_alloc(16, (size + 15) & ~(size_t)15);
	w->p = ffp_init(w->mem, size, &cfg,
			g_x0_x7 ? &fake_ops_x0_x7 : &fake_ops, &w->f);
	CHECK(w->p != NULL);
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_VERSION_32;
	r.x[1] = caller;
	CHECK(ffp_handle(w->p, 0, &r));
	/* lock the version (and the lanes) with a harmless call */
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_ID_GET_32;
	CHECK(ffp_handle(w->p, 0, &r));
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	return w;
}

static void world_free(struct world *w)
{
	free(w->mem);
	free(w);
}

#define V(m) FFA_MAKE_VERSION(1, m)

/*
 * Whether the proxy serves `fn` at `smc64` to a caller at `caller` over an
 * SPMC at `spmc` (SMCCC 1.2 firmware, max_preempted non-zero). Defined
 * ids first (DEN0077A; the "since" and width columns), then what the proxy
 * does with them (README support table).
 */
static bool expect_served(uint32_t fn, bool smc64, uint32_t caller,
			  uint32_t spmc)
{
	bool smccc_1_2 = g_smccc >= SMCCC_VERSION_1_2;

	/* without SMCCC 1.2 the proxy asks the SPMC for 1.1 at most */
	if (!smccc_1_2 && spmc > V(1))
		spmc = V(1);
	/* strict: everyone at the SPMC's version, moved down to the
	 * caller's (this SPMC accepts any) */
	if (g_policy == FFP_POLICY_STRICT) {
		if (caller < spmc)
			spmc = caller;
		else
			caller = spmc;
	}
	switch (fn) {
	/* emulated, SMC32 only, 1.0 */
	case 0x63: /* VERSION */
	case 0x64: /* FEATURES */
	case 0x65: /* RX_RELEASE */
	case 0x67: /* RXTX_UNMAP */
	case 0x69: /* ID_GET */
		return !smc64;
	case 0x66: /* RXTX_MAP, both widths */
	case 0x70: /* DIRECT_RESP (DENIED) */
		return true;
	/* forwarded/translated, 1.0, SMC32 only */
	case 0x6D: /* RUN: only with preempted requests kept */
		return !smc64 && g_max_preempted;
	case 0x68: /* PARTITION_INFO_GET */
	case 0x77: /* MEM_RECLAIM */
	case 0x7B: /* MEM_FRAG_TX */
		return !smc64;
	/* forwarded/translated, 1.0, both widths */
	case 0x6F: /* DIRECT_REQ */
	case 0x71: /* MEM_DONATE */
	case 0x72: /* MEM_LEND */
	case 0x73: /* MEM_SHARE */
		return true;
	case 0x85: /* SPM_ID_GET: 1.1, SMC32, forwarded */
	/* notifications: 1.1, SMC32, forwarded (BITMAP_CREATE/DESTROY, 0x7D
	 * and 0x7E, are the hypervisor's: refused) */
	case 0x7F: /* NOTIFICATION_BIND */
	case 0x80: /* NOTIFICATION_UNBIND */
	case 0x81: /* NOTIFICATION_SET */
	case 0x82: /* NOTIFICATION_GET */
		return !smc64 && caller >= V(1) && spmc >= V(1);
	case 0x83: /* NOTIFICATION_INFO_GET: 1.1, both widths, the host's
		    * (these calls are the host's) */
		return caller >= V(1) && spmc >= V(1);
	case 0x86: /* MSG_SEND2: 1.1, SMC32, translated, the host's (these
		    * calls are the host's; test_host_only for VMs) */
		return !smc64 && caller >= V(1) && spmc >= V(1);
	case 0x8B: /* PARTITION_INFO_GET_REGS: 1.2, SMC64; forwarded over a
		    * 1.2 SPMC with SMCCC 1.2, otherwise emulated from the
		    * buffer form (0x68): served over every SPMC */
		return smc64 && caller >= V(2);
	case 0x8D: /* DIRECT_REQ2 */
		return smc64 && caller >= V(2) && spmc >= V(2) && smccc_1_2;
	case 0x8E: /* DIRECT_RESP2: 1.2, SMC64, emulated (DENIED) */
		return smc64 && caller >= V(2);
	default:
		return false;
	}
}

static bool is_return_frame(uint32_t id)
{
	return id == FFA_ERROR_32 || id == FFA_SUCCESS_32 ||
	       id == FFA_INTERRUPT_32;
}

static bool is_not_supported(const struct ffa_regs *r)
{
	return r->x[0] == FFA_ERROR_32 &&
	       r->x[2] == (uint32_t)FFA_NOT_SUPPORTED;
}

static struct ffa_regs do_call(struct world *w, uint64_t x0)
{
	/* FEATURES of a function that is always served */
	struct ffa_regs r;
	int i;

	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = 0;
	r.x[0] = x0;
	if (((uint32_t)x0 & 0xffffu) == FFA_FN_FEATURES)
		r.x[1] = FFA_ID_GET_32;
	CHECK(ffp_handle(w->p, 0, &r));
	return r;
}

static void one(uint32_t spmc, uint32_t caller, uint32_t fn, bool smc64)
{
	uint32_t id = smc64 ? FFA_ID_64(fn) : FFA_ID_32(fn);
	bool served = expect_served(fn, smc64, caller, spmc);
	struct world *w = world_new(spmc, caller);
	struct world *d = world_new(spmc, caller);
	struct ffa_regs r, rd, f;
	bool ok = true, okf, okc, okd;
	int i;

	/* FEATURES first: no state changed by the call yet */
	memset(&f, 0, sizeof(f));
	f.x[0] = FFA_FEATURES_32;
	f.x[1] = id;
	CHECK(ffp_handle(w->p, 0, &f));
	if (is_return_frame(id))
		ok &= f.x[0] == FFA_SUCCESS_32;
	else if (id == FFA_MEM_FRAG_RX_32) /* a sender's reply frame */
		ok &= expect_served(FFA_FN_MEM_FRAG_TX, false, caller, spmc)
			      ? f.x[0] == FFA_SUCCESS_32
			      : is_not_supported(&f);
	else if (served && fn != FFA_FN_MSG_SEND_DIRECT_RESP &&
		 fn != FFA_FN_MSG_SEND_DIRECT_RESP2)
		ok &= f.x[0] == FFA_SUCCESS_32;
	else
		ok &= is_not_supported(&f);
	okf = ok;

	w->f.smcs = 0;
	d->f.smcs = 0;
	r = do_call(w, id);
	rd = do_call(d, (uint64_t)0xdeadbeef00000000ull | id | SMCCC_SVE_HINT);
	okc = served ? !is_not_supported(&r) : is_not_supported(&r);
	okd = !memcmp(&r, &rd, sizeof(r)) && w->f.smcs == d->f.smcs;
	ok = okf && okc && okd;
	if (!ok) {
		fprintf(stderr, "  features %d call %d dirty %d:", okf, okc,
			okd);
		for (i = 0; i < FFA_NREGS; i++)
			if (r.x[i] != rd.x[i])
				fprintf(stderr, " x%d %llx/%llx", i,
					(unsigned long long)r.x[i],
					(unsigned long long)rd.x[i]);
		fprintf(stderr, "\n");
		fprintf(stderr,
			"  smccc %x policy %d max_preempted %u spmc 1.%u caller 1.%u id 0x%08x: expect %s; "
			"FEATURES x0 0x%llx w2 %d; call x0 0x%llx w2 %d; "
			"dirty x0 0x%llx w2 %d\n",
			g_smccc, (int)g_policy, g_max_preempted,
			spmc & 0xffff, caller & 0xffff, id,
			served ? "served" : "refused",
			(unsigned long long)f.x[0], (int)(uint32_t)f.x[2],
			(unsigned long long)r.x[0], (int)(uint32_t)r.x[2],
			(unsigned long long)rd.x[0], (int)(uint32_t)rd.x[2]);
		check_failed_in_test = 1;
	}
	world_free(w);
	world_free(d);
}

static void test_matrix(void)
{
	static const uint32_t smcccs[] = { SMCCC_VERSION_1_1,
					   SMCCC_VERSION_1_2 };
	uint32_t spmc, caller, fn, k;

	for (k = 0; k < 8; k++) {
	g_smccc = smcccs[k & 1];
	g_policy = k & 2 ? FFP_POLICY_STRICT : FFP_POLICY_TRANSLATE;
	g_max_preempted = k & 4 ? 0 : 16;

	for (spmc = 0; spmc < 3; spmc++)
		for (caller = 0; caller < 3; caller++)
			for (fn = FFA_FN_FIRST; fn <= FFA_FN_LAST; fn++) {
				one(V(spmc), V(caller), fn, false);
				one(V(spmc), V(caller), fn, true);
			}
	}
}

/* A served direct request (and ID_GET), on the lane (clean x0) and on
 * the general path (the SVE hint and junk in x0[63:32]): the same
 * request reaches the SPMC and the same registers come back. */
static void test_lanes_served(void)
{
	static const uint32_t ids[] = { FFA_MSG_SEND_DIRECT_REQ_32,
					FFA_MSG_SEND_DIRECT_REQ_64,
					FFA_MSG_SEND_DIRECT_REQ2_64,
					FFA_ID_GET_32 };
	uint32_t caller, k, i, spmc, fw;
	int j;

	g_policy = FFP_POLICY_TRANSLATE;
	g_max_preempted = 16;
	for (fw = 0; fw < 2; fw++)
	for (spmc = 0; spmc < 3; spmc++)
	for (caller = 0; caller < 3; caller++)
		for (k = 0; k < sizeof(ids) / sizeof(ids[0]); k++)
			for (i = 0; i < 2; i++) {
				struct world *w, *d;

				g_smccc = fw ? SMCCC_VERSION_1_1
					     : SMCCC_VERSION_1_2;
				w = world_new(V(spmc), V(caller));
				d = world_new(V(spmc), V(caller));
				struct ffa_regs r, rd;

				for (j = 0; j < FFA_NREGS; j++)
					r.x[j] = 0xa5a5a5a500000000ull |
						 (uint64_t)(j + 0x10);
				r.x[0] = ids[k];
				/* sender 0, receiver 0x8001; i: junk above
				 * (an SMC32 argument's upper half) */
				r.x[1] = 0x8001u |
					 (i ? 0xffffffff00000000ull : 0);
				r.x[2] = ids[k] == FFA_MSG_SEND_DIRECT_REQ2_64
						 ? 0x1234
						 : 0;
				if (ids[k] == FFA_MSG_SEND_DIRECT_REQ2_64)
					r.x[3] = 0x5678;
				rd = r;
				rd.x[0] = 0x12345678ull << 32 | ids[k] |
					  SMCCC_SVE_HINT;
				CHECK(ffp_handle(w->p, 0, &r));
				CHECK(ffp_handle(d->p, 0, &rd));
				/* x8..x17 (SMCCC; ffp_results_x8_x17): the
				 * caller's for SMC32 and below 1.2, results
				 * otherwise: zero unless REQ2's payload */
				if (r.x[0] != FFA_ERROR_32)
					for (j = 8; j < FFA_NREGS; j++) {
						uint64_t junk =
							0xa5a5a5a500000000ull |
							(uint64_t)(j + 0x10);
						uint64_t want =
							!(ids[k] & SMCCC_SMC64) ||
									caller < 2
								? junk
							: ids[k] == FFA_MSG_SEND_DIRECT_REQ2_64
								? 0x1111111100000000ull *
									  (uint64_t)j +
								  7
								: 0;
						CHECK_EQ(r.x[j], want);
					}
				/* served where defined: a response came back */
				if (!i && (ids[k] == FFA_ID_GET_32 ||
					   ids[k] == FFA_MSG_SEND_DIRECT_REQ_32 ||
					   (ids[k] == FFA_MSG_SEND_DIRECT_REQ_64) ||
					   (caller == 2 && spmc == 2 && !fw)))
					CHECK(r.x[0] != FFA_ERROR_32);
				if (memcmp(&r, &rd, sizeof(r)) ||
				    memcmp(&w->f.seen, &d->f.seen,
					   sizeof(r))) {
					fprintf(stderr,
						"  fw %u spmc 1.%u caller 1.%u id 0x%08x:",
						fw, spmc, caller, ids[k]);
					for (j = 0; j < FFA_NREGS; j++)
						if (r.x[j] != rd.x[j])
							fprintf(stderr,
								" x%d %llx/%llx", j,
								(unsigned long long)r.x[j],
								(unsigned long long)rd.x[j]);
					for (j = 0; j < FFA_NREGS; j++)
						if (w->f.seen.x[j] !=
						    d->f.seen.x[j])
							fprintf(stderr,
								" seen x%d %llx/%llx", j,
								(unsigned long long)w->f.seen.x[j],
								(unsigned long long)d->f.seen.x[j]);
					fprintf(stderr, "\n");
					check_failed_in_test = 1;
				}
				world_free(w);
				world_free(d);
			}
}

/*
 * An id that names no function (a reserved number, or a width the
 * function does not have) serves nothing: before FFA_VERSION it must not
 * lock the caller's version at 1.0, nor under strict move the SPMC down
 * to 1.0. Hafnium's ffa_handler returns false for such ids ("default:
 * return false"), so its hvc_smc_handler does not set
 * ffa_version_negotiated; the proxy already treats 0xC4000063 so.
 */
static void test_no_function_does_not_lock(void)
{
	static const uint32_t ids[] = { 0x840000a0u, 0xc40000efu,
					FFA_ID_64(FFA_FN_FEATURES),
					FFA_ID_64(FFA_FN_MEM_RECLAIM),
					FFA_ID_64(FFA_FN_ID_GET) };
	uint32_t k, pol;

	g_smccc = SMCCC_VERSION_1_2;
	g_max_preempted = 16;
	g_x0_x7 = false;
	for (pol = 0; pol < 2; pol++)
		for (k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
			struct world *w = calloc(1, sizeof(*w));
			struct ffp_config cfg;
			struct ffa_regs r;
			size_t size;

			w->f.spmc_version = V(2);
			w->f.smccc = g_smccc;
			ffp_config_default(&cfg);
			cfg.policy = pol ? FFP_POLICY_STRICT
					 : FFP_POLICY_TRANSLATE;
			cfg.buffers.tx = w->f.tx;
			cfg.buffers.rx = w->f.rx;
			cfg.buffers.tx_pa = 0x10000000;
			cfg.buffers.rx_pa = 0x10001000;
			cfg.buffers.pages = 1;
			cfg.vm_availability_by_embedder = true;
			size = ffp_instance_size(&cfg);
			w->mem = aligned_alloc(16, (size + 15) & ~(size_t)15);
			w->p = ffp_init(w->mem, size, &cfg, &fake_ops, &w->f);
			CHECK(w->p != NULL);
			w->f.smcs = 0;

			/* no FFA_VERSION yet: refused, and nothing else */
			r = do_call(w, ids[k]);
			CHECK(is_not_supported(&r));
			CHECK_EQ(w->f.smcs, 0); /* the SPMC not renegotiated */
			/* the caller may still ask for 1.2 and get it */
			memset(&r, 0, sizeof(r));
			r.x[0] = FFA_VERSION_32;
			r.x[1] = V(2);
			CHECK(ffp_handle(w->p, 0, &r));
			CHECK_EQ(r.x[0], V(2));
			memset(&r, 0, sizeof(r));
			r.x[0] = FFA_FEATURES_32;
			r.x[1] = FFA_MSG_SEND_DIRECT_REQ2_64;
			CHECK(ffp_handle(w->p, 0, &r));
			CHECK_EQ(r.x[0], FFA_SUCCESS_32);
			world_free(w);
		}
}

/* Answered 1.2 but not locked yet: an SMC64 id that is no function still
 * gets its unused results x8..x17 zero (results of an SMC64 call at
 * 1.2), as once the version is locked, and the caller stays unlocked. */
static void test_no_function_answered_v12(void)
{
	struct world *w;
	struct ffa_regs r;
	int j;

	g_smccc = SMCCC_VERSION_1_2;
	g_policy = FFP_POLICY_TRANSLATE;
	g_max_preempted = 16;
	g_x0_x7 = false;
	w = calloc(1, sizeof(*w));
	{
		struct ffp_config cfg;
		size_t size;

		w->f.spmc_version = V(2);
		w->f.smccc = g_smccc;
		ffp_config_default(&cfg);
		cfg.buffers.tx = w->f.tx;
		cfg.buffers.rx = w->f.rx;
		cfg.buffers.tx_pa = 0x10000000;
		cfg.buffers.rx_pa = 0x10001000;
		cfg.buffers.pages = 1;
		cfg.vm_availability_by_embedder = true;
		size = ffp_instance_size(&cfg);
		w->mem = aligned_alloc(16, (size + 15) & ~(size_t)15);
		w->p = ffp_init(w->mem, size, &cfg, &fake_ops, &w->f);
	}
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_VERSION_32;
	r.x[1] = V(2);
	CHECK(ffp_handle(w->p, 0, &r));
	CHECK_EQ(r.x[0], V(2));
	for (j = 0; j < FFA_NREGS; j++)
		r.x[j] = 0xabcdef0000000000ull | (uint64_t)j;
	r.x[0] = 0xc40000a0u;
	CHECK(ffp_handle(w->p, 0, &r));
	CHECK(is_not_supported(&r));
	for (j = 8; j < FFA_NREGS; j++)
		CHECK_EQ(r.x[j], 0);
	/* still free to take its answer back */
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_VERSION_32;
	r.x[1] = V(1);
	CHECK(ffp_handle(w->p, 0, &r));
	CHECK_EQ(r.x[0], V(2));
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_FEATURES_32;
	r.x[1] = FFA_MSG_SEND_DIRECT_RESP2_64;
	CHECK(ffp_handle(w->p, 0, &r));
	CHECK(is_not_supported(&r)); /* served at 1.1 now */
	world_free(w);
}

/*
 * The host's alone (README support table): NOTIFICATION_INFO_GET (the
 * receivers' scheduler) and MSG_SEND2 of a VM without a bounce pair (the
 * SPMC has no RX/TX of it; test_vm_msg_buffers): to a VM, FEATURES says
 * NOT_SUPPORTED and the call is refused so, at every
 * version pair, with no SMC.
 */
static void test_host_only(void)
{
	static const uint32_t ids[] = { FFA_MSG_SEND2_32,
					FFA_NOTIFICATION_INFO_GET_32,
					FFA_NOTIFICATION_INFO_GET_64 };
	uint32_t spmc, caller, k;

	g_smccc = SMCCC_VERSION_1_2;
	g_policy = FFP_POLICY_TRANSLATE;
	g_max_preempted = 16;
	g_x0_x7 = false;
	for (spmc = 0; spmc < 3; spmc++)
		for (caller = 0; caller < 3; caller++)
			for (k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
				struct world *w = world_new(V(spmc), V(caller));
				struct ffa_regs r;

				CHECK_EQ(ffp_endpoint_add(w->p, 1), 0);
				memset(&r, 0, sizeof(r));
				r.x[0] = FFA_VERSION_32;
				r.x[1] = V(caller);
				CHECK(ffp_handle(w->p, 1, &r));
				memset(&r, 0, sizeof(r));
				r.x[0] = FFA_FEATURES_32;
				r.x[1] = ids[k];
				CHECK(ffp_handle(w->p, 1, &r));
				CHECK(is_not_supported(&r));
				w->f.smcs = 0;
				memset(&r, 0, sizeof(r));
				r.x[0] = ids[k];
				CHECK(ffp_handle(w->p, 1, &r));
				CHECK(is_not_supported(&r));
				CHECK_EQ(w->f.smcs, 0);
				world_free(w);
			}
}

/*
 * A VM with a bounce pair (ffp_endpoint_set_msg_buffers) has MSG_SEND2:
 * FEATURES says success exactly when the VM and the SPMC are at 1.1+ (an
 * SPMC below 1.1 maps no pair: NOT_SUPPORTED), the call is served then
 * (here DENIED, no TX of the VM's mapped, with no SMC) and refused
 * NOT_SUPPORTED otherwise, with no SMC. Another VM without a pair keeps
 * test_host_only's answers. NOTIFICATION_INFO_GET stays the host's.
 */
static void test_vm_msg_buffers(void)
{
	static uint8_t btx[4096], brx[4096];
	const struct ffp_msg_buffers b = { btx, brx, 0x20000000, 0x20001000,
					   1 };
	uint32_t spmc, caller;

	g_smccc = SMCCC_VERSION_1_2;
	g_policy = FFP_POLICY_TRANSLATE;
	g_max_preempted = 16;
	g_x0_x7 = false;
	for (spmc = 0; spmc < 3; spmc++)
		for (caller = 0; caller < 3; caller++) {
			struct world *w = world_new(V(spmc), V(caller));
			const bool served = spmc >= 1 && caller >= 1;
			struct ffa_regs r;
			uint16_t vm;
			int i;

			CHECK_EQ(ffp_endpoint_add(w->p, 1), 0);
			CHECK_EQ(ffp_endpoint_add(w->p, 2), 0);
			CHECK_EQ(ffp_endpoint_set_msg_buffers(w->p, 1, &b),
				 spmc >= 1 ? 0 : FFA_NOT_SUPPORTED);
			for (vm = 1; vm <= 2; vm++) {
				memset(&r, 0, sizeof(r));
				r.x[0] = FFA_VERSION_32;
				r.x[1] = V(caller);
				CHECK(ffp_handle(w->p, vm, &r));
				memset(&r, 0, sizeof(r));
				r.x[0] = FFA_FEATURES_32;
				r.x[1] = FFA_MSG_SEND2_32;
				CHECK(ffp_handle(w->p, vm, &r));
				if (served && vm == 1) {
					CHECK_EQ(r.x[0], FFA_SUCCESS_32);
					for (i = 1; i < 8; i++)
						CHECK_EQ(r.x[i], 0);
				} else {
					CHECK(is_not_supported(&r));
				}
				w->f.smcs = 0;
				memset(&r, 0, sizeof(r));
				r.x[0] = FFA_MSG_SEND2_32;
				CHECK(ffp_handle(w->p, vm, &r));
				if (served && vm == 1) {
					CHECK_EQ(r.x[0], FFA_ERROR_32);
					CHECK_EQ(r.x[2],
						 (uint32_t)FFA_DENIED);
				} else {
					CHECK(is_not_supported(&r));
				}
				CHECK_EQ(w->f.smcs, 0);
				memset(&r, 0, sizeof(r));
				r.x[0] = FFA_NOTIFICATION_INFO_GET_64;
				CHECK(ffp_handle(w->p, vm, &r));
				CHECK(is_not_supported(&r));
				CHECK_EQ(w->f.smcs, 0);
			}
			world_free(w);
		}
}

int main(void)
{
	RUN(test_host_only);
	RUN(test_vm_msg_buffers);
	RUN(test_no_function_does_not_lock);
	RUN(test_no_function_answered_v12);
	RUN(test_matrix);
	RUN(test_lanes_served);
	g_x0_x7 = true;
	RUN(test_lanes_served);
	return test_summary("test_dispatch_matrix");
}
