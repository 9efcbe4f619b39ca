/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The register lanes of ffp_handle (msg.c, rxtx.c, internal.h: direct
 * requests of either width, DIRECT_REQ2, ID_GET, RX_RELEASE), checked
 * differentially as test_mem_lane checks the memory lane: two identical
 * worlds get the same random calls, one through ffp_handle (the lanes
 * once the version is locked), the other through ffp_handle_general
 * (the general path, always), over a scripted SPMC whose replies come
 * from one random stream per world, seeded alike. After every call the
 * caller's registers (x0..x17), what the SPMC was sent (x0..x17), the
 * log (status, reason, value), the preemption records and the caller's
 * RX ownership must be the same. Callers at 1.0, 1.1 and 1.2 over a 1.1
 * and a 1.2 SPMC, with and without SMCCC 1.2 at EL3, over a platform
 * with smc_x0_x7 and one without it; junk wherever a caller or the SPMC
 * may leave it; replies that are the response, nearly the response, an
 * error, a preemption (INTERRUPT, YIELD) of the right or another
 * partition, or junk.
 */
#include <stdlib.h>
#include <string.h>

#include "src/internal.h"

#include "check.h"

static uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

struct side {
	uint64_t rng;
	uint32_t spmc_version, smccc_version;
	struct ffa_regs seen;
	unsigned smcs;
	/* every log event, folded; the last one for the report */
	unsigned logs;
	uint64_t log_hash;
	struct ffp_log_event last;
	/* Another CPU, while a direct request is at the SPMC: removes its
	 * caller (the host: resets it), and maybe adds the id again and
	 * answers it a version (not locked). */
	struct ffp *p;
	bool remove;
	unsigned removals;
};

static uint64_t junk(struct side *s)
{
	uint64_t r = rng_next(&s->rng);

	switch (r & 3) {
	case 0:
		return 0;
	case 1:
		return r & 0xffffffff00000000ull;
	default:
		return r;
	}
}

/* A reply to a direct request `q` (the ids swapped in the response). */
static void direct_reply(struct side *s, const struct ffa_regs *q,
			 struct ffa_regs *r)
{
	uint32_t id = (uint32_t)q->x[0], w1 = (uint32_t)q->x[1];
	uint32_t pair = (w1 << 16) | (w1 >> 16);
	uint32_t resp = id == FFA_MSG_SEND_DIRECT_REQ2_64
				? FFA_MSG_SEND_DIRECT_RESP2_64
				: id + 1;
	uint64_t k = rng_next(&s->rng) % 16;
	int i;

	for (i = 0; i < FFA_NREGS; i++)
		r->x[i] = junk(s);
	switch (k) {
	case 0: case 1: case 2: case 3: case 4: /* the response */
		r->x[0] = resp | (k == 4 ? junk(s) & ~0xffffffffull : 0);
		r->x[1] = pair;
		r->x[2] = 0;
		if (resp == FFA_MSG_SEND_DIRECT_RESP2_64)
			r->x[3] = 0;
		break;
	case 5: /* SMC32 junk above the ids and flags */
		r->x[0] = resp;
		r->x[1] = pair | (junk(s) & ~0xffffffffull);
		r->x[2] = junk(s) & ~0xffffffffull;
		if (resp == FFA_MSG_SEND_DIRECT_RESP2_64)
			r->x[3] = 0;
		break;
	case 6: /* another pair */
		r->x[0] = resp;
		r->x[1] = pair ^ (1u << (rng_next(&s->rng) % 32));
		r->x[2] = 0;
		break;
	case 7: /* flags */
		r->x[0] = resp;
		r->x[1] = pair;
		r->x[2] = 1u << (rng_next(&s->rng) % 32);
		break;
	case 8: /* the other width, or RESP2 for RESP */
		r->x[0] = resp == FFA_MSG_SEND_DIRECT_RESP_32
				  ? FFA_MSG_SEND_DIRECT_RESP_64
				  : FFA_MSG_SEND_DIRECT_RESP_32;
		r->x[1] = pair;
		r->x[2] = 0;
		r->x[3] = 0;
		break;
	case 9:
		r->x[0] = FFA_ERROR_32 | (junk(s) & ~0xffffffffull);
		r->x[2] = rng_next(&s->rng) & 1 ? (uint32_t)FFA_BUSY : junk(s);
		break;
	case 10: case 11: /* preempted, the right partition */
		r->x[0] = k == 10 ? FFA_INTERRUPT_32 : FFA_YIELD_32;
		r->x[1] = (pair & 0xffff0000u) | (rng_next(&s->rng) % 4) |
			  (junk(s) & ~0xffffffffull);
		break;
	case 12: /* preempted, another partition */
		r->x[0] = FFA_INTERRUPT_32;
		r->x[1] = (pair ^ 0x10000u) & 0xffff0000u;
		break;
	case 13:
		r->x[0] = FFA_SUCCESS_32;
		break;
	default:
		break; /* all junk */
	}
}

static void side_smc(void *ctx, struct ffa_regs *r)
{
	struct side *s = ctx;
	uint32_t id = (uint32_t)r->x[0];

	if (id == SMCCC_VERSION || id == FFA_VERSION_32) {
		memset(r, 0, sizeof(*r));
		r->x[0] = id == SMCCC_VERSION ? s->smccc_version
					      : s->spmc_version;
		return;
	}
	s->seen = *r;
	s->smcs++;
	if (id == FFA_MSG_SEND_DIRECT_REQ_32 ||
	    id == FFA_MSG_SEND_DIRECT_REQ_64 ||
	    id == FFA_MSG_SEND_DIRECT_REQ2_64) {
		struct ffa_regs q = *r;
		uint16_t caller = (uint16_t)((uint32_t)q.x[1] >> 16);
		uint64_t k = rng_next(&s->rng);

		if (s->remove && k % 8 == 0) {
			s->removals++;
			if (!caller) {
				CHECK_EQ(ffp_host_reset(s->p), 0);
			} else {
				CHECK_EQ(ffp_endpoint_remove(s->p, caller), 0);
				if ((k >> 8) % 2) {
					struct ffa_regs v;

					CHECK_EQ(ffp_endpoint_add(s->p, caller),
						 0);
					memset(&v, 0, sizeof(v));
					v.x[0] = FFA_VERSION_32;
					v.x[1] = (k >> 16) % 2
							 ? FFA_VERSION_1_0
							 : FFA_VERSION_1_2;
					CHECK(ffp_handle(s->p, caller, &v));
				}
			}
		}
		direct_reply(s, &q, r);
		return;
	}
	/* the rest (RXTX_MAP, PARTITION_INFO_GET, RX_RELEASE, FFA_RUN):
	 * success, an empty partition list */
	memset(r, 0, sizeof(*r));
	r->x[0] = FFA_SUCCESS_32;
	r->x[3] = FFA_PARTITION_INFO_SIZE_V1_1;
}

/* platform.h's smc_x0_x7 over side_smc. */
static void side_smc_x0_x7(void *ctx, struct ffa_regs *regs)
{
	struct ffa_regs r;
	uint64_t mask = regs->x[0] & SMCCC_SMC64 ? ~0ull : 0xffffffffull;
	int i;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < 8; i++)
		r.x[i] = regs->x[i] & mask;
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
	(void)ctx, (void)l;
}

static void side_unlock(void *ctx, enum ffp_lock l)
{
	(void)ctx, (void)l;
}

static void side_log(void *ctx, const struct ffp_log_event *ev)
{
	struct side *s = ctx;
	const char *c;
	uint64_t h = s->log_hash;

	h = h * 31 + ev->ep;
	h = h * 31 + ev->func;
	h = h * 31 + (uint32_t)ev->status;
	/* An SMC32 call's reply is w0..w7: smc_x0_x7 gives no upper
	 * halves to log, smc may. */
	h = h * 31 + (ffa_is_smc64(ev->func) ? ev->value
					      : (uint32_t)ev->value);
	for (c = ev->why; c && *c; c++)
		h = h * 31 + (unsigned char)*c;
	s->log_hash = h;
	s->logs++;
	s->last = *ev;
}

static const struct ffp_platform ops = {
	side_smc,  side_transition, side_read, side_write,
	side_lock, side_unlock,     side_log,  NULL,
	NULL,      NULL,
};

static const struct ffp_platform ops_x0_x7 = {
	side_smc,  side_transition, side_read, side_write,
	side_lock, side_unlock,     side_log,  NULL,
	side_smc_x0_x7, NULL,
};

static uint8_t hyp_tx[2][4096], hyp_rx[2][4096];

struct world {
	struct side s;
	void *mem;
	struct ffp *p;
};

static void world_new(struct world *w, int i, bool x0_x7, uint32_t spmc,
		      uint32_t smccc, uint64_t seed, bool remove,
		      enum ffp_policy policy)
{
	struct ffp_config cfg;
	size_t size;

	memset(w, 0, sizeof(*w));
	w->s.rng = seed;
	w->s.spmc_version = spmc;
	w->s.smccc_version = smccc;
	ffp_config_default(&cfg);
	cfg.buffers.tx = hyp_tx[i];
	cfg.buffers.rx = hyp_rx[i];
	cfg.buffers.tx_pa = 0x10000000;
	cfg.buffers.rx_pa = 0x10001000;
	cfg.buffers.pages = 1;
	cfg.max_endpoints = 4;
	cfg.max_preempted = (unsigned)(seed % 5 == 0 ? 0 : 2);
	cfg.vm_availability_by_embedder = true;
	cfg.policy = policy;
	size = ffp_instance_size(&cfg);
	w->mem = aligned_alloc(16, (size + 15) & ~(size_t)15);
	w->p = ffp_init(w->mem, size, &cfg, x0_x7 ? &ops_x0_x7 : &ops, &w->s);
	CHECK(w->p != NULL);
	w->s.p = w->p;
	w->s.remove = remove;
}

static void both(struct world *w, uint16_t ep, struct ffa_regs r)
{
	struct ffa_regs a = r, b = r;

	CHECK(ffp_handle(w[0].p, ep, &a));
	CHECK(ffp_handle(w[1].p, ep, &b));
}

/* The two worlds agree; `what` names the call for the report. */
static bool same(struct world *w, uint16_t ep, const struct ffa_regs *in,
		 const struct ffa_regs *a, const struct ffa_regs *b,
		 bool removed)
{
	struct ffp_endpoint_info ia, ib;
	size_t pre = sizeof(struct ffp_preempt) * w[0].p->cfg.max_endpoints *
		     w[0].p->cfg.max_preempted;
	bool ok = true;
	int i;

	ffp_endpoint_info(w[0].p, ep, &ia);
	ffp_endpoint_info(w[1].p, ep, &ib);
	for (i = 0; i < FFA_NREGS; i++)
		if (a->x[i] != b->x[i] &&
		    /* A YIELD to a caller removed during the SMC: its timeout
		     * (w2/w3) goes by the version of the endpoint under the
		     * id once the SMC is back on a private-copy lane (msg.c
		     * lane_copy_reply, the lanes read no version before the
		     * SMC), the caller's on the general path. Only the
		     * removed caller's vCPU gets it. */
		    !(removed && a->x[0] == FFA_YIELD_32 &&
		      (i == 2 || i == 3))) {
			fprintf(stderr, "  x%d: lane 0x%llx general 0x%llx\n",
				i, (unsigned long long)a->x[i],
				(unsigned long long)b->x[i]);
			ok = false;
		}
	if (w[0].s.smcs != w[1].s.smcs ||
	    memcmp(&w[0].s.seen, &w[1].s.seen, sizeof(w[0].s.seen))) {
		fprintf(stderr, "  SPMC saw different requests\n");
		ok = false;
	}
	if (w[0].s.logs != w[1].s.logs || w[0].s.log_hash != w[1].s.log_hash) {
		fprintf(stderr, "  log: lane \"%s\" 0x%llx, general \"%s\" 0x%llx\n",
			w[0].s.last.why ? w[0].s.last.why : "-",
			(unsigned long long)w[0].s.last.value,
			w[1].s.last.why ? w[1].s.last.why : "-",
			(unsigned long long)w[1].s.last.value);
		ok = false;
	}
	if (memcmp(w[0].p->preempts, w[1].p->preempts, pre)) {
		fprintf(stderr, "  preemption records differ\n");
		ok = false;
	}
	if (ia.rx_held != ib.rx_held || ia.version != ib.version) {
		fprintf(stderr, "  endpoint state differs\n");
		ok = false;
	}
	if (!ok)
		fprintf(stderr,
			"  call of %u at 0x%x: x0 0x%llx x1 0x%llx x2 0x%llx\n",
			ep, w[0].p->eps[ep].version,
			(unsigned long long)in->x[0],
			(unsigned long long)in->x[1],
			(unsigned long long)in->x[2]);
	return ok;
}

static uint64_t pick_x0(uint64_t *rng)
{
	static const uint64_t ids[] = {
		FFA_MSG_SEND_DIRECT_REQ_32, FFA_MSG_SEND_DIRECT_REQ_64,
		FFA_MSG_SEND_DIRECT_REQ2_64, FFA_ID_GET_32, FFA_RX_RELEASE_32,
		FFA_MSG_SEND_DIRECT_REQ_32, FFA_MSG_SEND_DIRECT_REQ_64,
		FFA_MSG_SEND_DIRECT_REQ2_64,
		/* the memory lane's (refused: the TX reads as zeros), and
		 * the same ids at the other width, and FFA_RUN of what the
		 * lanes recorded */
		FFA_MEM_SHARE_32, FFA_MEM_LEND_64, FFA_MEM_RECLAIM_32,
		FFA_MEM_FRAG_TX_32, FFA_MEM_RECLAIM_32 | SMCCC_SMC64,
		FFA_RUN_32, FFA_ID_GET_32 | SMCCC_SMC64,
		FFA_RX_RELEASE_32 | SMCCC_SMC64,
	};
	uint64_t r = rng_next(rng);
	uint64_t x0 = ids[r % (sizeof(ids) / sizeof(ids[0]))];

	if ((r >> 8) % 16 == 0)
		x0 |= SMCCC_SVE_HINT;
	if ((r >> 12) % 16 == 0) /* not W0 alone: the general path's */
		x0 |= rng_next(rng) & ~0xffffffffull;
	return x0;
}

static uint64_t pick_x1(uint64_t *rng, uint16_t ep)
{
	uint64_t r = rng_next(rng), hi = rng_next(rng) & ~0xffffffffull;
	uint32_t clean = ((uint32_t)ep << 16) | 0x8001u | ((r >> 16) & 0x10);

	switch (r % 10) {
	case 0: case 1: case 2: case 3:
		return clean;
	case 4:
		return clean | hi;
	case 5:
		return clean ^ (1u << ((r >> 8) % 32));
	case 6:
		return (r >> 8) & 1 ? 0 : ep;
	case 7:
		return ((r >> 8) & 1 ? 0 : ep) | hi;
	case 8:
		return (uint32_t)ep << 16;
	default:
		return rng_next(rng);
	}
}

static unsigned total_removals;

/* Endpoint `ep` present, its version locked at `v`, its buffers mapped,
 * in both worlds (again, after a removal or a reset). */
static void endpoint_ready(struct world *w, uint16_t ep, uint32_t v)
{
	struct ffp_endpoint_info ei;
	struct ffa_regs r;

	ffp_endpoint_info(w[0].p, ep, &ei);
	if (ei.present && ei.version_locked)
		return;
	if (!ei.present) {
		CHECK_EQ(ffp_endpoint_add(w[0].p, ep), 0);
		CHECK_EQ(ffp_endpoint_add(w[1].p, ep), 0);
	}
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_VERSION_32;
	r.x[1] = v;
	both(w, ep, r);
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_ID_GET_32;
	both(w, ep, r); /* locks: the lanes from here */
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_RXTX_MAP_64;
	r.x[1] = 0x80000000ull + 0x10000ull * ep;
	r.x[2] = r.x[1] + 0x1000;
	r.x[3] = 1;
	both(w, ep, r);
}

static void run_world_pair(bool x0_x7, uint32_t spmc, uint32_t smccc,
			   uint64_t seed, unsigned steps, bool remove,
			   enum ffp_policy policy)
{
	static const uint32_t versions[] = { FFA_VERSION_1_0, FFA_VERSION_1_1,
					     FFA_VERSION_1_2 };
	struct world w[2];
	uint64_t rng = seed ^ 0x9e3779b97f4a7c15ull;
	uint16_t ep;
	unsigned n, bad = 0, removals;
	int i;

	world_new(&w[0], 0, x0_x7, spmc, smccc, seed, remove, policy);
	world_new(&w[1], 1, x0_x7, spmc, smccc, seed, remove, policy);
	for (n = 0; n < steps && bad < 3; n++) {
		struct ffa_regs in, a, b;

		for (ep = 0; ep < 3; ep++)
			endpoint_ready(w, ep, versions[(seed >> (2 * ep)) % 3]);
		ep = (uint16_t)(rng_next(&rng) % 3);
		if (rng_next(&rng) % 8 == 0) {
			/* the RX the caller's: a partition info query */
			memset(&in, 0, sizeof(in));
			in.x[0] = FFA_PARTITION_INFO_GET_32;
			both(w, ep, in);
			continue;
		}
		for (i = 0; i < FFA_NREGS; i++)
			in.x[i] = rng_next(&rng);
		in.x[0] = pick_x0(&rng);
		in.x[1] = pick_x1(&rng, ep);
		switch (rng_next(&rng) % 4) {
		case 0: case 1:
			in.x[2] = 0;
			break;
		case 2:
			in.x[2] = rng_next(&rng) & ~0xffffffffull;
			break;
		default:
			break;
		}
		if (in.x[0] == FFA_RUN_32 && rng_next(&rng) % 4)
			/* a vCPU the replies name: partitions 0x8001 and
			 * 0x8011, vCPUs 0..3 */
			in.x[1] = 0x80010000u | (rng_next(&rng) & 0x100003u);
		if ((in.x[0] == FFA_MSG_SEND_DIRECT_REQ2_64) &&
		    rng_next(&rng) % 2)
			in.x[2] = in.x[3] = 0;
		a = b = in;
		w[0].s.logs = w[1].s.logs = 0;
		w[0].s.log_hash = w[1].s.log_hash = 0;
		removals = w[0].s.removals;
		CHECK(ffp_handle(w[0].p, ep, &a));
		CHECK(ffp_handle_general(w[1].p, ep, &b));
		if (!same(w, ep, &in, &a, &b, w[0].s.removals != removals)) {
			fprintf(stderr, "  (x0_x7 %d, SPMC 0x%x, SMCCC 0x%x, "
				"seed 0x%llx, step %u)\n",
				x0_x7, spmc, smccc, (unsigned long long)seed, n);
			CHECK(0);
			bad++;
		}
	}
	total_removals += w[0].s.removals;
	free(w[0].mem);
	free(w[1].mem);
}

static void test_lanes_agree_with_general_path(void)
{
	static const uint32_t spmcs[] = { FFA_VERSION_1_1, FFA_VERSION_1_2 };
	static const uint32_t smcccs[] = { SMCCC_VERSION_1_1,
					   SMCCC_VERSION_1_2 };
	unsigned x, s, c, seed;

	for (x = 0; x < 2; x++)
		for (s = 0; s < 2; s++)
			for (c = 0; c < 2; c++)
				for (seed = 1; seed <= 27; seed++)
					run_world_pair(x, spmcs[s], smcccs[c],
						       seed * 0x2545f4914f6cdd1dull,
						       400, false,
						       seed % 3 ? FFP_POLICY_TRANSLATE
								: FFP_POLICY_STRICT);
}

/* The same with the caller removed (the host: reset) on another CPU while
 * its request is at the SPMC, and maybe its id added again and answered a
 * version, not locked: the reply still goes to the caller as the general
 * path gives it, and a preemption is the proxy's (an orphan), never the
 * id's next endpoint's. */
static void test_lanes_agree_caller_removed(void)
{
	unsigned x, seed;

	for (x = 0; x < 2; x++)
		for (seed = 1; seed <= 40; seed++)
			run_world_pair(x, FFA_VERSION_1_2, SMCCC_VERSION_1_2,
				       seed * 0x2545f4914f6cdd1dull, 300, true,
				       FFP_POLICY_TRANSLATE);
	CHECK(total_removals > 100);
}

int main(void)
{
	RUN(test_lanes_agree_with_general_path);
	RUN(test_lanes_agree_caller_removed);
	return test_summary("test_lane_diff");
}
