/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Fault walks over memory sharing: for every step k of a share, a lend in
 * fragments, a fragment, a reclaim, RXTX_MAP and RXTX_UNMAP, make the
 * k-th SMC, page transition or caller read fail, and prove that a call
 * which failed left the world exactly as before: the page-state map, the
 * SPMC's transactions and the proxy's. A failed fragment ends its whole
 * transaction (as at the SPMC), so its "before" is the state before the
 * transaction began. The walk stops at the first k the call no longer
 * reaches, where the call must succeed.
 */
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/mem.h>

#include "sim/simplat.h"

#include "check.h"
#include "src/internal.h"

/* The caller's granule of the walks (ffp_config.granule): the buffers
 * and each shared range are one granule, the ranges a granule apart. */
static uint32_t granule = 4096;
#define GP (granule / FFA_PAGE_SIZE) /* 4K pages a granule */

#define RAM 0x80000000ull
#define TX RAM
#define RX (RAM + granule)
#define STAGING (RAM + 0x100000) /* where big descriptors are built */
#define PAGES (RAM + 0x200000)   /* pages being shared */
#define MULTI 300                /* constituents of the fragmented case */

struct state {
	uint64_t pages;
	uint32_t spmc_txns, proxy_txns, orphans;
};

static unsigned log_lines;
static const char *last_why; /* of the last log line */

static void on_log(void *ctx, unsigned depth, const struct ffp_log_event *ev)
{
	(void)ctx;
	(void)depth;
	last_why = ev->why;
	log_lines++;
}

static unsigned contract_errors;

static void on_error(void *ctx, const char *what)
{
	(void)ctx;
	fprintf(stderr, "platform contract: %s\n", what);
	contract_errors++;
}

/* FFA_MEM_FRAG_TX the proxy sent to the SPMC (their lengths), and a
 * reply to garble: that of the SMC numbered `garble_at` (counted from
 * when smc_seen was last zeroed; 0: none), a `garble_fn` call whose
 * x[garble_reg] (x0 unless set) gets garble_xor (the SPMC model's reply
 * knob, armed just before). */
static struct {
	unsigned smc_seen, garble_at, frag_tx;
	uint32_t frag_len[8];
	uint32_t garble_fn, garble_reg;
	uint64_t garble_xor;
	struct spmc *spmc;
} smc_log;

static void garble_arm(unsigned at)
{
	bool on = smc_log.garble_at && at == smc_log.garble_at;

	smc_log.spmc->reply_fn = on ? smc_log.garble_fn : 0;
	smc_log.spmc->reply_reg = smc_log.garble_reg;
	smc_log.spmc->reply_xor = smc_log.garble_xor;
}

/* When set, once the next FFA_MEM_RECLAIM succeeded at the SPMC, the
 * SPMC hands that handle out again (as Hafnium, whose handle is the index
 * of a free share state) and another CPU of the host sends `req` (its
 * reply kept there), while the reclaiming CPU holds no lock. */
static struct {
	struct simplat *sp;
	struct ffa_regs req;
	bool ran, handled;
	bool any_reply; /* also when the reclaim's reply is not SUCCESS */
} share_at_reclaim;

/* When set, the next FFA_MEM_RECLAIM's SMC is when another CPU asks
 * ffp_endpoint_remove(remove_id) (its answer in remove_ret). */
static struct {
	struct simplat *sp;
	uint16_t id;
	int ret;
	bool ran;
} remove_at_reclaim;

/* When set, whether endpoint `id` counts as busy for a removal
 * (ffp_mem_endpoint_busy, what ffp_endpoint_remove asks under STATE) is
 * taken at the next FFA_MEM_RECLAIM. A removal itself cannot run there:
 * the reclaim holds BUFFERS, which it would wait for on a real CPU. */
static struct {
	struct simplat *sp;
	uint16_t id;
	bool busy;
	bool ran;
} busy_at_reclaim;

/* When set, the reply to the next FFA_MEM_FRAG_TX is garbled as armed
 * (spmc->reply_*), and then that to the FFA_MEM_RECLAIM after it. */
static bool garble_reclaim_next;

static void on_smc(void *ctx, unsigned depth, const struct ffa_regs *req,
		   const struct ffa_regs *reply, bool injected)
{
	(void)ctx;
	(void)depth;
	(void)reply;
	(void)injected;
	if ((uint32_t)req->x[0] == FFA_MEM_RECLAIM_32 && remove_at_reclaim.sp) {
		struct simplat *sp = remove_at_reclaim.sp;

		remove_at_reclaim.sp = NULL;
		sp->cpu = 1;
		remove_at_reclaim.ret = ffp_endpoint_remove(sp->proxy,
							    remove_at_reclaim.id);
		sp->cpu = 0;
		remove_at_reclaim.ran = true;
	}
	if ((uint32_t)req->x[0] == FFA_MEM_RECLAIM_32 && busy_at_reclaim.sp) {
		busy_at_reclaim.busy =
			ffp_mem_endpoint_busy(busy_at_reclaim.sp->proxy,
					      busy_at_reclaim.id);
		busy_at_reclaim.sp = NULL;
		busy_at_reclaim.ran = true;
	}
	if ((uint32_t)req->x[0] == FFA_MEM_RECLAIM_32 && share_at_reclaim.sp &&
	    ((uint32_t)reply->x[0] == FFA_SUCCESS_32 ||
	     share_at_reclaim.any_reply)) {
		struct simplat *sp = share_at_reclaim.sp;

		share_at_reclaim.sp = NULL;
		sp->spmc.handle_counter--; /* the next handle is this one */
		sp->cpu = 1;
		share_at_reclaim.handled = ffp_handle(sp->proxy, 0,
						      &share_at_reclaim.req);
		sp->cpu = 0;
		share_at_reclaim.ran = true;
	}
	if ((uint32_t)req->x[0] == FFA_MEM_FRAG_TX_32 && garble_reclaim_next) {
		garble_reclaim_next = false;
		smc_log.spmc->reply_fn = FFA_FN_MEM_RECLAIM;
	}
	if ((uint32_t)req->x[0] == FFA_MEM_FRAG_TX_32 && smc_log.frag_tx < 8)
		smc_log.frag_len[smc_log.frag_tx++] = (uint32_t)req->x[3];
	smc_log.smc_seen++;
	if (smc_log.garble_at)
		garble_arm(smc_log.smc_seen + 1);
}

static const struct simplat_hooks hooks = { .log = on_log, .error = on_error,
					    .smc = on_smc };

struct world_cfg {
	uint32_t caller, spmc;
	uint32_t buffer_pages; /* the proxy's own, each */
	bool per_range;        /* no page_transition_ranges in the platform */
	bool check_last;       /* SPMC_CHECK_LAST (TF-A, Hafnium) */
};

/* max_transactions: the proxy's, 0 for the default. */
static struct simplat *world_max(const struct world_cfg *w,
				 uint32_t max_transactions)
{
	struct simplat *sp = calloc(1, sizeof(*sp));
	struct simplat_config cfg;
	const char *why = NULL;

	simplat_config_default(&cfg);
	cfg.spmc_version = w->spmc;
	cfg.host_ram[0].base = RAM;
	cfg.host_ram[0].size = 8 << 20;
	if (cfg.host_ram[0].size < PAGES - RAM + (uint64_t)MULTI * 2 * granule)
		cfg.host_ram[0].size = PAGES - RAM + (uint64_t)MULTI * 2 * granule;
	cfg.host_ram_count = 1;
	cfg.proxy.granule = granule;
	cfg.parts[0].id = 0x8001;
	cfg.parts[0].exec_ctx = 1;
	cfg.parts[0].props = FFA_PART_PROP_DIRECT_REQ_RECV;
	cfg.part_count = 1;
	cfg.hyp_buffer_pages = w->buffer_pages;
	cfg.per_range_transitions = w->per_range;
	cfg.spmc_check_constituents = w->check_last ? SPMC_CHECK_LAST
						    : SPMC_CHECK_EACH;
	if (max_transactions)
		cfg.proxy.max_transactions = max_transactions;
	CHECK(sp != NULL);
	CHECK_EQ(simplat_init(sp, &cfg, &hooks, &why), 0);
	memset(&smc_log, 0, sizeof(smc_log));
	return sp;
}

static struct simplat *world(const struct world_cfg *w)
{
	return world_max(w, 0);
}

static struct ffa_regs call(struct simplat *sp, uint64_t x0, uint64_t x1,
			    uint64_t x2, uint64_t x3)
{
	struct ffa_regs r;

	memset(&r, 0, sizeof(r));
	r.x[0] = x0;
	r.x[1] = x1;
	r.x[2] = x2;
	r.x[3] = x3;
	CHECK(simplat_call(sp, 0, &r));
	return r;
}

static bool ok(const struct ffa_regs *r)
{
	return (uint32_t)r->x[0] == FFA_SUCCESS_32;
}

static struct state snap(struct simplat *sp)
{
	struct ffp_transaction_info ti;
	struct state s = { simmem_state_digest(sp->mem),
			   spmc_transaction_count(&sp->spmc), 0, 0 };
	uint32_t i;

	for (i = 0; ffp_transaction_info(sp->proxy, i, &ti) == 0; i++) {
		s.proxy_txns++;
		s.orphans += ti.orphan;
	}
	return s;
}

static bool same(const struct state *a, const struct state *b)
{
	return a->pages == b->pages && a->spmc_txns == b->spmc_txns &&
	       a->proxy_txns == b->proxy_txns && a->orphans == b->orphans;
}

/* A descriptor of `n` one-granule constituents at PAGES, a granule
 * apart, built at `at` in the caller's layout; returns its length. */
static uint32_t build_desc(struct simplat *sp, uint64_t at, uint32_t version,
			   uint32_t type, uint32_t n)
{
	static uint8_t buf[64 * 1024];
	struct ffa_mem_txn t;
	uint32_t len = 0, i;

	memset(&t, 0, sizeof(t));
	t.sender = 0;
	t.attributes = type == FFA_MEM_TXN_SHARE ? 0x2f : 0;
	t.receiver_count = 1;
	t.receivers[0].id = 0x8001;
	t.receivers[0].perms = type == FFA_MEM_TXN_DONATE ? 0 : FFA_MEM_PERM_RW;
	t.total_pages = n * GP;
	t.range_count = n;
	CHECK_EQ(ffa_mem_emit(version, &t, buf, sizeof(buf), &len), 0);
	for (i = 0; i < n; i++) {
		ffa_put64(buf + len, PAGES + (uint64_t)i * 2 * granule);
		ffa_put32(buf + len + 8, GP);
		ffa_put32(buf + len + 12, 0);
		len += 16;
	}
	CHECK_EQ(simmem_write(sp->mem, at, buf, len), 0);
	return len;
}

static void copy(struct simplat *sp, uint64_t dst, uint64_t src, uint32_t len)
{
	uint8_t *b = malloc(len);

	CHECK(b != NULL);
	CHECK_EQ(simmem_read(sp->mem, src, b, len), 0);
	CHECK_EQ(simmem_write(sp->mem, dst, b, len), 0);
	free(b);
}

/* ---- The cases: set up, then the one call walked over. */

struct walk_ctx {
	uint32_t total;   /* descriptor length */
	uint64_t handle;  /* of a transaction set up earlier */
	struct state before; /* what a failure must restore */
	bool before_set;  /* set by the setup, else taken just before act */
};

static void setup_mapped(struct simplat *sp, const struct world_cfg *w,
			 struct walk_ctx *cx)
{
	struct ffa_regs r;

	(void)cx;
	call(sp, FFA_VERSION_32, w->caller, 0, 0);
	r = call(sp, FFA_RXTX_MAP_64, TX, RX, GP);
	CHECK(ok(&r));
}

static void setup_share(struct simplat *sp, const struct world_cfg *w,
			struct walk_ctx *cx)
{
	setup_mapped(sp, w, cx);
	cx->total = build_desc(sp, TX, w->caller, FFA_MEM_TXN_SHARE, 3);
}

static struct ffa_regs act_share(struct simplat *sp, struct walk_ctx *cx)
{
	return call(sp, FFA_MEM_SHARE_32, cx->total, cx->total, 0);
}

static void setup_lend_multi(struct simplat *sp, const struct world_cfg *w,
			     struct walk_ctx *cx)
{
	setup_mapped(sp, w, cx);
	cx->total = build_desc(sp, STAGING, w->caller, FFA_MEM_TXN_LEND, MULTI);
	copy(sp, TX, STAGING, FFA_PAGE_SIZE);
}

static struct ffa_regs act_lend_first(struct simplat *sp, struct walk_ctx *cx)
{
	return call(sp, FFA_MEM_LEND_64, cx->total, FFA_PAGE_SIZE, 0);
}

static void setup_fragment(struct simplat *sp, const struct world_cfg *w,
			   struct walk_ctx *cx)
{
	struct ffa_regs r;

	setup_lend_multi(sp, w, cx);
	cx->before = snap(sp);
	cx->before_set = true;
	r = act_lend_first(sp, cx);
	CHECK_EQ((uint32_t)r.x[0], FFA_MEM_FRAG_RX_32);
	cx->handle = (uint32_t)r.x[1] | (r.x[2] << 32);
	copy(sp, TX, STAGING + FFA_PAGE_SIZE, cx->total - FFA_PAGE_SIZE);
}

static struct ffa_regs act_fragment(struct simplat *sp, struct walk_ctx *cx)
{
	struct ffa_regs r;

	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_MEM_FRAG_TX_32;
	r.x[1] = (uint32_t)cx->handle;
	r.x[2] = cx->handle >> 32;
	r.x[3] = cx->total - FFA_PAGE_SIZE;
	CHECK(simplat_call(sp, 0, &r));
	return r;
}

static void setup_reclaim(struct simplat *sp, const struct world_cfg *w,
			  struct walk_ctx *cx)
{
	struct ffa_regs r;

	setup_mapped(sp, w, cx);
	cx->total = build_desc(sp, TX, w->caller, FFA_MEM_TXN_LEND, 3);
	r = call(sp, FFA_MEM_LEND_32, cx->total, cx->total, 0);
	CHECK(ok(&r));
	cx->handle = (uint32_t)r.x[2] | (r.x[3] << 32);
}

static struct ffa_regs act_reclaim(struct simplat *sp, struct walk_ctx *cx)
{
	return call(sp, FFA_MEM_RECLAIM_32, (uint32_t)cx->handle,
		    cx->handle >> 32, 0);
}

static void setup_version(struct simplat *sp, const struct world_cfg *w,
			  struct walk_ctx *cx)
{
	(void)cx;
	call(sp, FFA_VERSION_32, w->caller, 0, 0);
}

static struct ffa_regs act_map(struct simplat *sp, struct walk_ctx *cx)
{
	(void)cx;
	return call(sp, FFA_RXTX_MAP_64, TX, RX, GP);
}

static struct ffa_regs act_unmap(struct simplat *sp, struct walk_ctx *cx)
{
	(void)cx;
	return call(sp, FFA_RXTX_UNMAP_32, 0, 0, 0);
}

struct walk_case {
	const char *name;
	void (*setup)(struct simplat *, const struct world_cfg *,
		      struct walk_ctx *);
	struct ffa_regs (*act)(struct simplat *, struct walk_ctx *);
	uint32_t buffer_pages;
	uint32_t ops; /* bit per enum simplat_op walked */
	uint32_t success_fn; /* w0 of the call when nothing fails */
};

#define OPS_ALL ((1u << SIMPLAT_OP_SMC) | (1u << SIMPLAT_OP_TRANSITION) | \
		 (1u << SIMPLAT_OP_READ))

/* Undoing a transition must not fail (platform.h), so reclaim and unmap,
 * which only undo, are walked over their SMCs alone; that a broken
 * platform is logged is tested below. */
static const struct walk_case cases[] = {
	{ "share", setup_share, act_share, 16, OPS_ALL, FFA_SUCCESS_32 },
	{ "share, re-fragmented", setup_share, act_share, 1, OPS_ALL,
	  FFA_SUCCESS_32 },
	{ "lend, first of two fragments", setup_lend_multi, act_lend_first, 1,
	  OPS_ALL, FFA_MEM_FRAG_RX_32 },
	{ "lend, last fragment", setup_fragment, act_fragment, 1, OPS_ALL,
	  FFA_SUCCESS_32 },
	{ "reclaim", setup_reclaim, act_reclaim, 16, 1u << SIMPLAT_OP_SMC,
	  FFA_SUCCESS_32 },
	{ "rxtx map", setup_version, act_map, 16, OPS_ALL, FFA_SUCCESS_32 },
	{ "rxtx unmap", setup_mapped, act_unmap, 16, 1u << SIMPLAT_OP_SMC,
	  FFA_SUCCESS_32 },
};

static const char *const op_names[] = { "smc", "transition", "read", "write" };

/* One walk: returns how many injected faults made the call fail. */
static unsigned walk(const struct walk_case *c, const struct world_cfg *w,
		     enum simplat_op op, int32_t status)
{
	unsigned failures = 0;
	uint32_t k;

	for (k = 1; k < 1000; k++) {
		struct world_cfg wc = *w;
		struct walk_ctx cx;
		struct simplat *sp;
		struct state after;
		struct ffa_regs r;
		bool fired;

		memset(&cx, 0, sizeof(cx));
		wc.buffer_pages = c->buffer_pages;
		sp = world(&wc);
		c->setup(sp, &wc, &cx);
		if (!cx.before_set)
			cx.before = snap(sp);
		simplat_fault(sp, op, k, status);
		r = c->act(sp, &cx);
		fired = sp->fault[op].countdown == 0;
		after = snap(sp);
		if (!fired) {
			/* Past the last step: the call must go through. */
			if ((uint32_t)r.x[0] != c->success_fn) {
				fprintf(stderr,
					"%s (caller %x, spmc %x): no fault, "
					"w0 %#x\n",
					c->name, w->caller, w->spmc,
					(uint32_t)r.x[0]);
				CHECK(0);
			}
			simplat_destroy(sp);
			free(sp);
			break;
		}
		if ((uint32_t)r.x[0] == FFA_ERROR_32) {
			failures++;
			if (!same(&cx.before, &after)) {
				fprintf(stderr,
					"%s (caller %x, spmc %x): %s fault at "
					"step %u changed the world (spmc %u/%u, "
					"proxy %u/%u, orphans %u)\n",
					c->name, w->caller, w->spmc,
					op_names[op], k, after.spmc_txns,
					cx.before.spmc_txns, after.proxy_txns,
					cx.before.proxy_txns, after.orphans);
				CHECK(0);
			}
		} else if (c->act != act_unmap &&
			   !(c->act == act_map && op == SIMPLAT_OP_SMC)) {
			/* A fault that fired must make the call fail, but
			 * at the host's map the only SMC is the proxy's own
			 * pair's, whose refusal is not the caller's: the
			 * pair is mapped again on first use (rxtx.c). */
			fprintf(stderr, "%s: %s fault at step %u ignored\n",
				c->name, op_names[op], k);
			CHECK(0);
		}
		CHECK_EQ(contract_errors, 0);
		simplat_destroy(sp);
		free(sp);
	}
	CHECK(k < 1000);
	return failures;
}

static void test_walks(void)
{
	static const uint32_t versions[] = { FFA_VERSION_1_0, FFA_VERSION_1_1,
					     FFA_VERSION_1_2 };
	static const int32_t statuses[] = { FFA_DENIED, FFA_NO_MEMORY,
					    FFA_ABORTED, FFA_INVALID_PARAMETERS };
	static const uint32_t granules[] = { 4096, 16384, 65536 };
	unsigned ci, a, b, op, s, total = 0, pr, g;

	/* Both ways of taking pages: one platform call per fragment, and
	 * one per range (each undone on a later failure); and, for the
	 * cases in several SPMC fragments, an SPMC that checks constituents
	 * only at the last one (a failure must still leave nothing). */
	for (g = 0; g < 3; g++)
	for (pr = 0; pr < 3; pr++)
	for (ci = 0; ci < sizeof(cases) / sizeof(cases[0]); ci++) {
		if (pr == 2 && cases[ci].buffer_pages != 1)
			continue;
		for (a = 0; a < 3; a++) {
			for (b = 0; b < 3; b++) {
				struct world_cfg w = { versions[a], versions[b],
						       16, pr == 1, pr == 2 };

				granule = granules[g];

				for (op = 0; op < SIMPLAT_OP_COUNT; op++) {
					if (!(cases[ci].ops & (1u << op)))
						continue;
					/* 16K, 64K: two statuses (time) */
					for (s = 0; s < (g ? 2u : 4u); s++)
						total += walk(&cases[ci], &w, op,
							      statuses[s]);
				}
			}
		}
	}
	granule = 4096; /* the other tests' */
	/* The walks did reach failing steps (a walk that never fails
	 * proves nothing). */
	CHECK(total > 1200);
}

/* Unmapping with a transaction awaiting fragments aborts it at the SPMC
 * and gives its pages back; if the SPMC's answer cannot be trusted the
 * pages stay taken, the transaction is an orphan and the log says so. */
static void test_unmap_aborts_pending(void)
{
	struct world_cfg w = { FFA_VERSION_1_2, FFA_VERSION_1_2, 1, false, false };
	struct simplat *sp = world(&w);
	struct walk_ctx cx;
	struct state s;
	struct ffa_regs r;

	memset(&cx, 0, sizeof(cx));
	setup_fragment(sp, &w, &cx);
	CHECK_EQ(spmc_transaction_count(&sp->spmc), 1);
	r = act_unmap(sp, &cx);
	CHECK(ok(&r));
	s = snap(sp);
	CHECK_EQ(s.spmc_txns, 0);
	CHECK_EQ(s.proxy_txns, 0);
	simplat_destroy(sp);
	free(sp);

	/* The SPMC answers the reclaim attempt with DENIED: not knowable. */
	sp = world(&w);
	memset(&cx, 0, sizeof(cx));
	setup_fragment(sp, &w, &cx);
	simplat_fault(sp, SIMPLAT_OP_SMC, 1, FFA_DENIED);
	log_lines = 0;
	r = act_unmap(sp, &cx);
	CHECK(ok(&r));
	s = snap(sp);
	CHECK_EQ(s.orphans, 1);
	CHECK(log_lines > 0);
	{
		struct simmem_page pg;

		CHECK_EQ(simmem_page(sp->mem, PAGES, &pg), 0);
		CHECK_EQ(pg.state, FFP_PAGE_LENT);
	}
	/* The embedder retries later: the SPMC now drops it. */
	CHECK_EQ(ffp_orphans_reclaim(sp->proxy), 0);
	s = snap(sp);
	CHECK_EQ(s.orphans, 0);
	CHECK_EQ(s.spmc_txns, 0);
	simplat_destroy(sp);
	free(sp);
}

/*
 * RXTX_UNMAP aborts the caller's pending transactions without STATE held,
 * then releases the buffers in a second STATE section. Another CPU of the
 * same caller may start a fragmented send between the two (here: run as
 * that CPU just before the second section's lock is granted). Releasing
 * the buffers then would leave that transaction waiting for fragments
 * that cannot come, its pages taken: the unmap answers BUSY instead, and
 * the caller's retry aborts it and unmaps.
 */
#define PAGES2 (RAM + 0x500000)

static struct {
	struct simplat *sp;
	void (*lock)(void *ctx, enum ffp_lock which);
	uint64_t smc_mark;
	bool armed, ran, handled;
	struct ffa_regs req;
} race;

static void race_lock(void *ctx, enum ffp_lock which)
{
	struct simplat *sp = race.sp;

	/* The unmap's section after its teardown: CPU 0, BUFFERS not
	 * held, the teardown's SMCs made. */
	if (race.armed && which == FFP_LOCK_STATE && sp->cpu == 0 &&
	    !sp->held[0][FFP_LOCK_BUFFERS] &&
	    sp->calls[SIMPLAT_OP_SMC] > race.smc_mark) {
		race.armed = false;
		sp->cpu = 1;
		race.handled = ffp_handle(sp->proxy, 0, &race.req);
		sp->cpu = 0;
		race.ran = true;
		CHECK_EQ(sp->held[1][FFP_LOCK_STATE], 0u);
		CHECK_EQ(sp->held[1][FFP_LOCK_BUFFERS], 0u);
	}
	race.lock(ctx, which);
}

static void test_unmap_races_new_pending(void)
{
	static uint8_t buf[FFA_PAGE_SIZE];
	struct world_cfg w = { FFA_VERSION_1_2, FFA_VERSION_1_2, 1, false, false };
	struct simplat *sp = world(&w);
	struct ffa_mem_txn t;
	struct simmem_page pg;
	struct walk_ctx cx;
	struct ffa_regs r;
	struct state s;
	uint32_t len = 0, i;

	memset(&cx, 0, sizeof(cx));
	setup_fragment(sp, &w, &cx); /* one lend awaiting fragments */
	CHECK_EQ(spmc_transaction_count(&sp->spmc), 1);
	/* The other CPU's first fragment, in the TX: a lend of MULTI pages
	 * at PAGES2, its first page of descriptor. */
	memset(&t, 0, sizeof(t));
	t.receiver_count = 1;
	t.receivers[0].id = 0x8001;
	t.receivers[0].perms = FFA_MEM_PERM_RW;
	t.total_pages = MULTI;
	t.range_count = MULTI;
	CHECK_EQ(ffa_mem_emit(FFA_VERSION_1_2, &t, buf, sizeof(buf), &len), 0);
	for (i = 0; len + 16 <= sizeof(buf); i++, len += 16) {
		ffa_put64(buf + len, PAGES2 + (uint64_t)i * FFA_PAGE_SIZE);
		ffa_put32(buf + len + 8, 1);
		ffa_put32(buf + len + 12, 0);
	}
	CHECK_EQ(simmem_write(sp->mem, TX, buf, sizeof(buf)), 0);
	memset(&race, 0, sizeof(race));
	race.sp = sp;
	race.lock = sp->ops.lock;
	race.smc_mark = sp->calls[SIMPLAT_OP_SMC];
	race.req.x[0] = FFA_MEM_LEND_32;
	race.req.x[1] = 96 + MULTI * 16;
	race.req.x[2] = FFA_PAGE_SIZE;
	race.armed = true;
	sp->ops.lock = race_lock;
	last_why = NULL;

	r = act_unmap(sp, &cx);
	CHECK(race.ran && race.handled);
	CHECK_EQ((uint32_t)race.req.x[0], FFA_MEM_FRAG_RX_32);
	/* The first lend was aborted; the new one waits for fragments, so
	 * the buffers stay. */
	CHECK_EQ((uint32_t)r.x[0], FFA_ERROR_32);
	CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_BUSY);
	CHECK(last_why != NULL && strstr(last_why, "awaiting fragments"));
	CHECK_EQ(spmc_transaction_count(&sp->spmc), 1);
	CHECK_EQ(simmem_page(sp->mem, PAGES2, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_LENT);
	sp->ops.lock = race.lock;

	/* The retry aborts it, gives its pages back and unmaps. */
	r = act_unmap(sp, &cx);
	CHECK(ok(&r));
	s = snap(sp);
	CHECK_EQ(s.spmc_txns, 0);
	CHECK_EQ(s.proxy_txns, 0);
	CHECK_EQ(simmem_page(sp->mem, PAGES2, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_OWNED);
	CHECK_EQ(simmem_page(sp->mem, PAGES, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_OWNED);
	r = act_unmap(sp, &cx); /* nothing mapped any more */
	CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_INVALID_PARAMETERS);
	simplat_destroy(sp);
	free(sp);
}

/*
 * Two CPUs of one caller unmap at once, the first with a transaction
 * awaiting fragments: while it aborts that transaction (no lock held),
 * the second, finding nothing pending, releases the buffers. Only one
 * pair was mapped, so only one unmap succeeds: the first, finding no
 * buffers in its second section, answers INVALID_PARAMETERS as an unmap
 * with no pair registered does (ff-a-acs ffa_rxtx_unmap: "There is no
 * buffer pair registered on behalf of the caller"), not a success for an
 * unmap it did not make.
 */
static void test_unmap_races_unmap(void)
{
	struct world_cfg w = { FFA_VERSION_1_2, FFA_VERSION_1_2, 1, false, false };
	struct simplat *sp = world(&w);
	struct simmem_page pg;
	struct walk_ctx cx;
	struct ffa_regs r;

	memset(&cx, 0, sizeof(cx));
	setup_fragment(sp, &w, &cx); /* one lend awaiting fragments */
	memset(&race, 0, sizeof(race));
	race.sp = sp;
	race.lock = sp->ops.lock;
	race.smc_mark = sp->calls[SIMPLAT_OP_SMC];
	race.req.x[0] = FFA_RXTX_UNMAP_32;
	race.armed = true;
	sp->ops.lock = race_lock;

	r = act_unmap(sp, &cx);
	sp->ops.lock = race.lock;
	CHECK(race.ran && race.handled);
	CHECK_EQ((uint32_t)race.req.x[0], FFA_SUCCESS_32);
	CHECK_EQ((uint32_t)r.x[0], FFA_ERROR_32);
	CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_INVALID_PARAMETERS);
	/* The lend was aborted and the buffers given back, once. */
	CHECK_EQ(spmc_transaction_count(&sp->spmc), 0);
	CHECK_EQ(simmem_page(sp->mem, TX, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_OWNED);
	CHECK_EQ(simmem_page(sp->mem, PAGES, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_OWNED);
	simplat_destroy(sp);
	free(sp);
}

/*
 * A VM removed while one of its reclaims is at the SPMC (the embedder
 * did not stop its vCPUs first): the removal is refused with BUSY, as
 * while any of its calls uses its buffers. Removing it then would skip
 * that transaction, and a reclaim the SPMC refuses (a partition holds
 * the memory) would leave it live under an id a new VM may be given,
 * rather than an orphan. Once the reclaim is over, the removal keeps the
 * transaction as an orphan (logged), its page still lent.
 */
#define VM_RAM (RAM + 0x1000000)

/* VM 1 (at `version`, VM_RAM, buffers mapped) lends its page 4 to 0x8001,
 * which retrieves it; the handle. */
static uint64_t vm1_lends_page4(struct simplat *sp, uint32_t version)
{
	static uint8_t buf[256];
	struct ffa_mem_txn t;
	struct ffa_regs r;
	uint32_t len = 0;
	uint64_t handle;

	CHECK_EQ(simplat_vm_add(sp, 1, VM_RAM, 1 << 20), 0);
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_VERSION_32;
	r.x[1] = version;
	CHECK(simplat_call(sp, 1, &r));
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_RXTX_MAP_64;
	r.x[1] = VM_RAM;
	r.x[2] = VM_RAM + FFA_PAGE_SIZE;
	r.x[3] = 1;
	CHECK(simplat_call(sp, 1, &r));
	CHECK(ok(&r));
	memset(&t, 0, sizeof(t));
	t.sender = 1;
	t.receiver_count = 1;
	t.receivers[0].id = 0x8001;
	t.receivers[0].perms = FFA_MEM_PERM_RW;
	t.total_pages = 1;
	t.range_count = 1;
	CHECK_EQ(ffa_mem_emit(version, &t, buf, sizeof(buf), &len), 0);
	ffa_put64(buf + len, VM_RAM + 4 * FFA_PAGE_SIZE);
	ffa_put32(buf + len + 8, 1);
	ffa_put32(buf + len + 12, 0);
	len += 16;
	CHECK_EQ(simmem_write(sp->mem, VM_RAM, buf, len), 0);
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_MEM_LEND_32;
	r.x[1] = len;
	r.x[2] = len;
	CHECK(simplat_call(sp, 1, &r));
	CHECK(ok(&r));
	handle = (uint32_t)r.x[2] | r.x[3] << 32;
	CHECK_EQ(spmc_sp_retrieve(&sp->spmc, 0x8001, handle), 0);
	return handle;
}

static void test_remove_during_reclaim(void)
{
	struct world_cfg w = { FFA_VERSION_1_2, FFA_VERSION_1_2, 16, false,
			       false };
	struct simplat *sp = world(&w);
	struct ffp_transaction_info ti;
	struct simmem_page pg;
	struct ffa_regs r;
	uint64_t handle = vm1_lends_page4(sp, FFA_VERSION_1_2);

	remove_at_reclaim.sp = sp;
	remove_at_reclaim.id = 1;
	remove_at_reclaim.ret = 0x7777;
	remove_at_reclaim.ran = false;
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_MEM_RECLAIM_32;
	r.x[1] = (uint32_t)handle;
	r.x[2] = (uint32_t)(handle >> 32);
	CHECK(simplat_call(sp, 1, &r));
	CHECK(remove_at_reclaim.ran);
	CHECK_EQ(remove_at_reclaim.ret, FFA_BUSY);
	/* The partition holds it: the SPMC denies the reclaim. */
	CHECK_EQ((uint32_t)r.x[0], FFA_ERROR_32);
	CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_DENIED);

	/* The reclaim is over: removed, the transaction an orphan. */
	log_lines = 0;
	CHECK_EQ(ffp_endpoint_remove(sp->proxy, 1), 0);
	CHECK(log_lines > 0);
	CHECK_EQ(ffp_transaction_info(sp->proxy, 0, &ti), 0);
	CHECK(ti.orphan);
	CHECK_EQ(ti.owner, 1);
	CHECK_EQ(ti.handle, handle);
	CHECK_EQ(simmem_page(sp->mem, VM_RAM + 4 * FFA_PAGE_SIZE, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_LENT);
	CHECK_EQ(contract_errors, 0u);
	simplat_destroy(sp);
	free(sp);
}

/*
 * An earlier VM's orphan under the same id, being retried by
 * ffp_orphans_reclaim on another CPU, is none of the present VM's calls:
 * the removal of the present VM must go ahead (once BUFFERS is free). It
 * answered BUSY, counting every busy record with the id as owner, the
 * earlier VM's included.
 */
static void test_remove_during_other_vms_orphan_reclaim(void)
{
	struct world_cfg w = { FFA_VERSION_1_2, FFA_VERSION_1_2, 16, false,
			       false };
	struct simplat *sp = world(&w);
	struct ffp_endpoint_info ei;
	uint64_t handle = vm1_lends_page4(sp, FFA_VERSION_1_0);

	/* The first VM 1 goes; the partition holds its lend: an orphan. */
	CHECK_EQ(simplat_vm_destroy(sp, 1), 0);
	CHECK_EQ(ffp_orphans_reclaim(sp->proxy), 1u);
	/* A second VM 1, elsewhere, idle. */
	CHECK_EQ(simplat_vm_add(sp, 1, VM_RAM + (4 << 20), 1 << 20), 0);
	CHECK_EQ(spmc_sp_relinquish(&sp->spmc, 0x8001, handle), 0);

	busy_at_reclaim.sp = sp;
	busy_at_reclaim.id = 1;
	busy_at_reclaim.busy = true;
	busy_at_reclaim.ran = false;
	CHECK_EQ(ffp_orphans_reclaim(sp->proxy), 0u);
	CHECK(busy_at_reclaim.ran);
	CHECK(!busy_at_reclaim.busy);
	CHECK_EQ(ffp_endpoint_remove(sp->proxy, 1), 0);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &ei), 0);
	CHECK(!ei.present);
	CHECK_EQ(contract_errors, 0u);
	simplat_destroy(sp);
	free(sp);
}

/*
 * A handle the SPMC gives out again while the reclaim that freed it has
 * not yet closed its record: Hafnium's handle is the index of its first
 * free share state, so the next send after a reclaim gets the reclaimed
 * handle. Another CPU's share, between the reclaim's SMC and its closing
 * STATE section, found that handle still indexed: it was refused as an
 * invalid handle and, its record unindexed, kept as an orphan that no
 * reclaim could name, while the SPMC held it complete and the partition
 * could retrieve the pages. The share must succeed under that handle,
 * and both transactions end cleanly.
 */
static void test_handle_reused_during_reclaim(void)
{
	static uint8_t buf[256];
	struct world_cfg w = { FFA_VERSION_1_2, FFA_VERSION_1_2, 16, false,
			       false };
	struct simplat *sp = world(&w);
	struct simmem_page pg;
	struct ffa_mem_txn t;
	struct walk_ctx cx;
	struct ffa_regs r;
	struct state s;
	uint32_t len = 0;
	uint64_t h2;

	memset(&cx, 0, sizeof(cx));
	setup_reclaim(sp, &w, &cx); /* a lend of 3 pages at PAGES, live */
	/* The other CPU's share, in the TX: one page at PAGES2. */
	memset(&t, 0, sizeof(t));
	t.attributes = 0x2f;
	t.receiver_count = 1;
	t.receivers[0].id = 0x8001;
	t.receivers[0].perms = FFA_MEM_PERM_RW;
	t.total_pages = 1;
	t.range_count = 1;
	CHECK_EQ(ffa_mem_emit(FFA_VERSION_1_2, &t, buf, sizeof(buf), &len), 0);
	ffa_put64(buf + len, PAGES2);
	ffa_put32(buf + len + 8, 1);
	ffa_put32(buf + len + 12, 0);
	len += 16;
	CHECK_EQ(simmem_write(sp->mem, TX, buf, len), 0);
	memset(&share_at_reclaim, 0, sizeof(share_at_reclaim));
	share_at_reclaim.req.x[0] = FFA_MEM_SHARE_32;
	share_at_reclaim.req.x[1] = len;
	share_at_reclaim.req.x[2] = len;
	share_at_reclaim.sp = sp;

	r = act_reclaim(sp, &cx);
	CHECK(share_at_reclaim.ran && share_at_reclaim.handled);
	CHECK(ok(&r));
	r = share_at_reclaim.req;
	CHECK_EQ((uint32_t)r.x[0], FFA_SUCCESS_32);
	h2 = (uint32_t)r.x[2] | r.x[3] << 32;
	CHECK_EQ(h2, cx.handle);
	CHECK_EQ(simmem_page(sp->mem, PAGES, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_OWNED);
	CHECK_EQ(simmem_page(sp->mem, PAGES2, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_SHARED);
	s = snap(sp);
	CHECK_EQ(s.spmc_txns, 1);
	CHECK_EQ(s.proxy_txns, 1);
	CHECK_EQ(s.orphans, 0);

	/* The share is reclaimable under its handle. */
	r = call(sp, FFA_MEM_RECLAIM_32, (uint32_t)h2, h2 >> 32, 0);
	CHECK(ok(&r));
	s = snap(sp);
	CHECK_EQ(s.spmc_txns, 0);
	CHECK_EQ(s.proxy_txns, 0);
	CHECK_EQ(simmem_page(sp->mem, PAGES2, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_OWNED);
	CHECK_EQ(contract_errors, 0u);
	simplat_destroy(sp);
	free(sp);

	/* The SPMC freed the handle but its reply to the reclaim is garbled:
	 * the share still takes the handle; the reclaimed record, which
	 * nothing names any more, stays an orphan, its pages taken. */
	sp = world(&w);
	memset(&cx, 0, sizeof(cx));
	setup_reclaim(sp, &w, &cx);
	CHECK_EQ(simmem_write(sp->mem, TX, buf, len), 0);
	memset(&share_at_reclaim, 0, sizeof(share_at_reclaim));
	share_at_reclaim.req.x[0] = FFA_MEM_SHARE_32;
	share_at_reclaim.req.x[1] = len;
	share_at_reclaim.req.x[2] = len;
	share_at_reclaim.any_reply = true;
	share_at_reclaim.sp = sp;
	sp->spmc.reply_fn = FFA_FN_MEM_RECLAIM;
	sp->spmc.reply_reg = 0;
	sp->spmc.reply_xor = 0x100;
	last_why = NULL;
	r = act_reclaim(sp, &cx);
	sp->spmc.reply_fn = 0;
	CHECK(share_at_reclaim.ran && share_at_reclaim.handled);
	CHECK_EQ((uint32_t)r.x[0], FFA_ERROR_32);
	CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_ABORTED);
	CHECK(last_why != NULL && strstr(last_why, "unexpected reply"));
	r = share_at_reclaim.req;
	CHECK_EQ((uint32_t)r.x[0], FFA_SUCCESS_32);
	h2 = (uint32_t)r.x[2] | r.x[3] << 32;
	CHECK_EQ(h2, cx.handle);
	CHECK_EQ(simmem_page(sp->mem, PAGES, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_LENT);
	s = snap(sp);
	CHECK_EQ(s.spmc_txns, 1);
	CHECK_EQ(s.proxy_txns, 2);
	CHECK_EQ(s.orphans, 1);
	r = call(sp, FFA_MEM_RECLAIM_32, (uint32_t)h2, h2 >> 32, 0);
	CHECK(ok(&r));
	CHECK_EQ(simmem_page(sp->mem, PAGES2, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_OWNED);
	CHECK_EQ(simmem_page(sp->mem, PAGES, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_LENT);
	CHECK_EQ(ffp_orphans_reclaim(sp->proxy), 1u);
	CHECK_EQ(contract_errors, 0u);
	simplat_destroy(sp);
	free(sp);
}

/*
 * An SPMC that checks constituents only at the last fragment (TF-A's EL3
 * SPMC, Hafnium). The caller's second fragment is refused by the proxy
 * (a zero-page constituent) while 5600 bytes are still due at the SPMC:
 * the proxy sends them all as zeros, in two SPMC fragments through its
 * one-page TX, and the SPMC frees the transaction at its last-fragment
 * checks. Then each SMC of that abort fails in turn, either injected
 * (never reaching the SPMC) or answered with a garbled reply: the pages
 * stay taken, the record is an orphan, and one ffp_orphans_reclaim
 * finishes the job, resuming from what the SPMC said it received.
 */
#define FILL_CONS 600

static void fill_setup(struct simplat *sp, struct walk_ctx *cx)
{
	const struct world_cfg w = { FFA_VERSION_1_2, FFA_VERSION_1_2, 1,
				     false, true };
	struct ffa_regs r;
	uint8_t zero[4] = { 0 };

	setup_mapped(sp, &w, cx);
	cx->before = snap(sp);
	cx->total = build_desc(sp, STAGING, w.caller, FFA_MEM_TXN_LEND,
			       FILL_CONS);
	copy(sp, TX, STAGING, FFA_PAGE_SIZE);
	r = act_lend_first(sp, cx);
	CHECK_EQ((uint32_t)r.x[0], FFA_MEM_FRAG_RX_32);
	cx->handle = (uint32_t)r.x[1] | (r.x[2] << 32);
	/* the next 256 constituents, the sixth of zero pages */
	copy(sp, TX, STAGING + FFA_PAGE_SIZE, FFA_PAGE_SIZE);
	CHECK_EQ(simmem_write(sp->mem, TX + 5 * 16 + 8, zero, 4), 0);
}

static struct ffa_regs fill_refused(struct simplat *sp, struct walk_ctx *cx)
{
	struct ffa_regs r;

	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_MEM_FRAG_TX_32;
	r.x[1] = (uint32_t)cx->handle;
	r.x[2] = cx->handle >> 32;
	r.x[3] = FFA_PAGE_SIZE;
	CHECK(simplat_call(sp, 0, &r));
	CHECK_EQ((uint32_t)r.x[0], FFA_ERROR_32);
	CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_INVALID_PARAMETERS);
	return r;
}

static void test_forget_fills_to_the_end(void)
{
	const struct world_cfg w = { FFA_VERSION_1_2, FFA_VERSION_1_2, 1,
				     false, true };
	/* 96 bytes of header and 250 constituents went in the first
	 * fragment; the rest is due: 5600 bytes. */
	const uint32_t due = 350 * 16;
	static const int32_t statuses[] = { FFA_DENIED, FFA_ABORTED,
					    FFA_BUSY, FFA_NO_MEMORY };
	struct simplat *sp = world(&w);
	struct walk_ctx cx;
	struct state s;
	unsigned k, kind;

	/* Nothing fails: RECLAIM, then 4096 + 1504 bytes of zeros. */
	memset(&cx, 0, sizeof(cx));
	fill_setup(sp, &cx);
	CHECK_EQ(spmc_transaction_count(&sp->spmc), 1);
	smc_log.frag_tx = 0;
	smc_log.smc_seen = 0;
	fill_refused(sp, &cx);
	CHECK_EQ(smc_log.smc_seen, 3);
	CHECK_EQ(smc_log.frag_tx, 2);
	CHECK_EQ(smc_log.frag_len[0], FFA_PAGE_SIZE);
	CHECK_EQ(smc_log.frag_len[1], due - FFA_PAGE_SIZE);
	s = snap(sp);
	CHECK(same(&cx.before, &s));
	CHECK_EQ(s.spmc_txns, 0);
	simplat_destroy(sp);
	free(sp);

	/* SMC k of the abort (1: RECLAIM, 2 and 3: the zeros) fails. */
	for (k = 1; k <= 3; k++) {
		for (kind = 0; kind <= 4; kind++) {
			struct simmem_page pg;

			sp = world(&w);
			memset(&cx, 0, sizeof(cx));
			fill_setup(sp, &cx);
			smc_log.spmc = &sp->spmc;
			smc_log.smc_seen = 0;
			if (kind < 4) {
				simplat_fault(sp, SIMPLAT_OP_SMC, k,
					      statuses[kind]);
			} else {
				smc_log.garble_at = k;
				smc_log.garble_xor = 0xff00; /* not FF-A */
				smc_log.garble_fn = k == 1 ? FFA_FN_MEM_RECLAIM
							   : FFA_FN_MEM_FRAG_TX;
				garble_arm(1);
			}
			log_lines = 0;
			fill_refused(sp, &cx);
			smc_log.garble_at = 0;
			garble_arm(0);
			s = snap(sp);
			if (s.orphans != 1)
				fprintf(stderr, "abort SMC %u, kind %u\n", k,
					kind);
			CHECK_EQ(s.orphans, 1);
			CHECK_EQ(s.proxy_txns, 1);
			CHECK(log_lines > 0);
			CHECK_EQ(simmem_page(sp->mem, PAGES, &pg), 0);
			CHECK_EQ(pg.state, FFP_PAGE_LENT);
			/* A garbled last reply hid that the SPMC freed it. */
			CHECK_EQ(s.spmc_txns, kind == 4 && k == 3 ? 0u : 1u);
			/* The retry: RECLAIM, then the zeros still due. After
			 * an injected fault at the second batch, only it. */
			smc_log.frag_tx = 0;
			CHECK_EQ(ffp_orphans_reclaim(sp->proxy), 0);
			if (kind < 4) {
				CHECK_EQ(smc_log.frag_tx, k == 3 ? 1u : 2u);
				CHECK(smc_log.frag_tx > 0 &&
				      smc_log.frag_len[smc_log.frag_tx - 1] ==
					      due - FFA_PAGE_SIZE);
			}
			s = snap(sp);
			CHECK(same(&cx.before, &s));
			CHECK_EQ(contract_errors, 0);
			simplat_destroy(sp);
			free(sp);
		}
	}
}

/* An SPMC that answers the zeros with SUCCESS (one that takes zero-page
 * constituents) holds a complete transaction over the pages sent before:
 * not gone; the orphan's retry reclaims it. Simulated by turning the
 * model's final refusal into SUCCESS_32 (x0 ^ 1), so the model freed it
 * and the retry's RECLAIM is refused: the orphan stays, pages taken. */
static void test_forget_fill_success_not_gone(void)
{
	const struct world_cfg w = { FFA_VERSION_1_2, FFA_VERSION_1_2, 1,
				     false, true };
	struct simplat *sp = world(&w);
	struct walk_ctx cx;
	struct simmem_page pg;
	struct state s;

	memset(&cx, 0, sizeof(cx));
	fill_setup(sp, &cx);
	smc_log.spmc = &sp->spmc;
	smc_log.garble_fn = FFA_FN_MEM_FRAG_TX;
	smc_log.garble_at = 3;
	smc_log.garble_xor = FFA_ERROR_32 ^ FFA_SUCCESS_32;
	smc_log.smc_seen = 0;
	fill_refused(sp, &cx);
	smc_log.garble_at = 0;
	garble_arm(0);
	s = snap(sp);
	CHECK_EQ(s.orphans, 1);
	CHECK_EQ(ffp_orphans_reclaim(sp->proxy), 1);
	CHECK_EQ(simmem_page(sp->mem, PAGES, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_LENT);
	CHECK_EQ(contract_errors, 0);
	simplat_destroy(sp);
	free(sp);
}

/*
 * A 2-fragment lend whose second fragment the SPMC refuses (FFA_ERROR
 * (DENIED), never reaching it), so that the abort sends RECLAIM (SMC 2,
 * refused: incomplete) and then the zeros (SMCs 3 and 4); the reply to
 * SMC `at` has register `reg` XORed with `xor`. cx->before is the world
 * before the lend; the caller's reply to the fragment is returned.
 */
static struct ffa_regs lend_refused_then_fill(struct simplat *sp,
					      const struct world_cfg *w,
					      struct walk_ctx *cx, unsigned at,
					      uint32_t reg, uint64_t xor)
{
	struct ffa_regs r;

	memset(cx, 0, sizeof(*cx));
	setup_mapped(sp, w, cx);
	cx->before = snap(sp);
	cx->total = build_desc(sp, STAGING, w->caller, FFA_MEM_TXN_LEND,
			       FILL_CONS);
	copy(sp, TX, STAGING, FFA_PAGE_SIZE);
	r = act_lend_first(sp, cx);
	CHECK_EQ((uint32_t)r.x[0], FFA_MEM_FRAG_RX_32);
	cx->handle = (uint32_t)r.x[1] | (r.x[2] << 32);
	copy(sp, TX, STAGING + FFA_PAGE_SIZE, FFA_PAGE_SIZE);
	simplat_fault(sp, SIMPLAT_OP_SMC, 1, FFA_DENIED);
	smc_log.spmc = &sp->spmc;
	smc_log.garble_fn = FFA_FN_MEM_FRAG_TX;
	smc_log.garble_at = at;
	smc_log.garble_reg = reg;
	smc_log.garble_xor = xor;
	smc_log.smc_seen = 0;
	smc_log.frag_tx = 0;
	log_lines = 0;
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_MEM_FRAG_TX_32;
	r.x[1] = (uint32_t)cx->handle;
	r.x[2] = cx->handle >> 32;
	r.x[3] = FFA_PAGE_SIZE;
	CHECK(simplat_call(sp, 0, &r));
	smc_log.garble_at = 0;
	garble_arm(0);
	smc_log.garble_reg = 0;
	return r;
}

/*
 * The SPMC refuses a continuation (here FFA_ERROR(DENIED), never reaching
 * it): it holds nothing complete, so the pages may go back once it is
 * told to forget the rest. But if its answer to the abort's zeros is
 * SUCCESS (an SPMC that takes zero-page constituents, here the model's
 * final refusal turned into SUCCESS_32, naming no handle of ours), it
 * may hold a complete transaction over the pages sent before, which a
 * partition can retrieve: that refusal no longer proves it holds
 * nothing. The pages stay taken, the record an orphan.
 */
static void test_refused_then_fill_success_keeps_pages(void)
{
	const struct world_cfg w = { FFA_VERSION_1_2, FFA_VERSION_1_2, 1,
				     false, true };
	struct simplat *sp = world(&w);
	struct walk_ctx cx;
	struct simmem_page pg;
	struct ffa_regs r;
	struct state s;

	/* The last zeros' refusal answered SUCCESS. */
	r = lend_refused_then_fill(sp, &w, &cx, 4, 0,
				   FFA_ERROR_32 ^ FFA_SUCCESS_32);
	CHECK_EQ((uint32_t)r.x[0], FFA_ERROR_32);
	CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_DENIED);
	CHECK_EQ(smc_log.smc_seen, 4);
	CHECK_EQ(smc_log.frag_tx, 3);
	s = snap(sp);
	CHECK_EQ(s.orphans, 1);
	CHECK(log_lines > 0);
	CHECK_EQ(simmem_page(sp->mem, PAGES, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_LENT);
	CHECK_EQ(contract_errors, 0);
	simplat_destroy(sp);
	free(sp);
}

/*
 * The SPMC refuses a continuation (FFA_ERROR(DENIED), never reaching it):
 * incomplete there, so the pages could go back once it forgets the rest.
 * But the abort's zeros are what can complete it (an SPMC that takes
 * zero-page constituents: test_refused_then_fill_success_keeps_pages),
 * and here its answer to them is outside the protocol: (0) no FF-A
 * function (x0 ^ 0xff00) to the last zeros, (1) FFA_ERROR with a status
 * FF-A does not define (5) to them, (2) FFA_MEM_FRAG_RX naming another
 * handle (x1 ^ 1) to the first zeros, (3) FFA_MEM_FRAG_RX naming another
 * sender (w4 = 0x00070000) to them, (4) FFA_MEM_FRAG_RX with a count
 * not in whole constituents (w3 ^ 8) to them. Whether it took the zeros and holds
 * the transaction complete is unknown, which check_reply makes an orphan
 * of anywhere else: the earlier refusal no longer proves it holds
 * nothing. The pages stay taken (the proxy gave them back), and the
 * orphan's retry, which begins with FFA_MEM_RECLAIM, finds out.
 */
static void test_refused_then_fill_garbled_keeps_pages(void)
{
	static const struct {
		unsigned at; /* the SMC: 3 the first zeros, 4 the last */
		uint32_t reg;
		uint64_t xor;
	} kinds[] = {
		{ 4, 0, 0xff00 },
		{ 4, 2, (uint32_t)FFA_INVALID_PARAMETERS ^ 5u },
		{ 3, 1, 1 },
		{ 3, 4, 0x00070000 },
		{ 3, 3, 8 },
	};
	const struct world_cfg w = { FFA_VERSION_1_2, FFA_VERSION_1_2, 1,
				     false, true };
	unsigned kind;

	for (kind = 0; kind < sizeof(kinds) / sizeof(kinds[0]); kind++) {
		struct simplat *sp = world(&w);
		struct walk_ctx cx;
		struct simmem_page pg;
		struct ffa_regs r;
		struct state s;

		r = lend_refused_then_fill(sp, &w, &cx, kinds[kind].at,
					   kinds[kind].reg, kinds[kind].xor);
		CHECK_EQ((uint32_t)r.x[0], FFA_ERROR_32);
		CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_DENIED);
		CHECK_EQ(smc_log.smc_seen, kinds[kind].at);
		s = snap(sp);
		if (s.orphans != 1)
			fprintf(stderr, "garbled abort, kind %u\n", kind);
		CHECK_EQ(s.orphans, 1);
		CHECK(log_lines > 0);
		CHECK_EQ(simmem_page(sp->mem, PAGES, &pg), 0);
		CHECK_EQ(pg.state, FFP_PAGE_LENT);
		/* The retry: RECLAIM (refused: nothing complete under the
		 * handle), then the zeros from the SPMC's last count. */
		CHECK_EQ(ffp_orphans_reclaim(sp->proxy), 0);
		s = snap(sp);
		CHECK(same(&cx.before, &s));
		CHECK_EQ(contract_errors, 0);
		simplat_destroy(sp);
		free(sp);
	}
}

/*
 * Over TF-A's EL3 SPMC, which checks a completed descriptor's
 * constituents only for their page sum (spmc_shmem_check_obj: no
 * zero-page test), the abort's zeros complete the transaction whenever
 * the pages already sent add up to the composite's total: here a lend of
 * 3 pages in two ranges whose first range (sent first) has all 3, and
 * whose second fragment the proxy refuses (a reserved word set). The
 * SPMC answers the zero constituent with SUCCESS: it holds a complete
 * transaction, which nobody asked for, over the caller's pages. The
 * abort reclaims it at once, so the refusal leaves nothing, as at any
 * other SPMC: the pages are the caller's again, no orphan.
 */
static void fill_completes(bool refuse_reclaim)
{
	const struct world_cfg w = { FFA_VERSION_1_2, FFA_VERSION_1_2, 1,
				     false, true };
	struct simplat *sp = world(&w);
	static uint8_t buf[256];
	struct ffa_mem_txn t;
	struct walk_ctx cx;
	struct ffa_regs r;
	struct state before, s;
	uint32_t len = 0;
	uint64_t handle;

	memset(&cx, 0, sizeof(cx));
	setup_mapped(sp, &w, &cx);
	sp->spmc.zero_page_ok = true;
	before = snap(sp);
	memset(&t, 0, sizeof(t));
	t.receiver_count = 1;
	t.receivers[0].id = 0x8001;
	t.receivers[0].perms = FFA_MEM_PERM_RW;
	t.total_pages = 3;
	t.range_count = 2;
	CHECK_EQ(ffa_mem_emit(w.caller, &t, buf, sizeof(buf), &len), 0);
	ffa_put64(buf + len, PAGES);
	ffa_put32(buf + len + 8, 3);
	ffa_put32(buf + len + 12, 0);
	CHECK_EQ(simmem_write(sp->mem, TX, buf, len + 16), 0);
	r = call(sp, FFA_MEM_LEND_32, len + 32, len + 16, 0);
	CHECK_EQ((uint32_t)r.x[0], FFA_MEM_FRAG_RX_32);
	handle = (uint32_t)r.x[1] | (r.x[2] << 32);
	/* The second range, its reserved word set: refused by the proxy. */
	ffa_put64(buf, PAGES + 0x10000);
	ffa_put32(buf + 8, 1);
	ffa_put32(buf + 12, 1);
	CHECK_EQ(simmem_write(sp->mem, TX, buf, 16), 0);
	log_lines = 0;
	/* The abort's SMCs: RECLAIM (refused: incomplete), the zeros, and
	 * the RECLAIM of what they completed, which may be refused too (a
	 * partition retrieved it meanwhile): then an orphan, retried. */
	if (refuse_reclaim)
		simplat_fault(sp, SIMPLAT_OP_SMC, 3, FFA_DENIED);
	r = call(sp, FFA_MEM_FRAG_TX_32, (uint32_t)handle, handle >> 32, 16);
	CHECK_EQ((uint32_t)r.x[0], FFA_ERROR_32);
	CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_INVALID_PARAMETERS);
	if (refuse_reclaim) {
		struct simmem_page pg;

		s = snap(sp);
		CHECK_EQ(s.orphans, 1);
		CHECK_EQ(s.spmc_txns, 1);
		CHECK(log_lines > 0);
		CHECK_EQ(simmem_page(sp->mem, PAGES, &pg), 0);
		CHECK_EQ(pg.state, FFP_PAGE_LENT);
		CHECK_EQ(ffp_orphans_reclaim(sp->proxy), 0);
	}
	s = snap(sp);
	CHECK_EQ(s.orphans, 0);
	CHECK_EQ(s.spmc_txns, 0);
	CHECK(same(&before, &s));
	CHECK_EQ(contract_errors, 0);
	simplat_destroy(sp);
	free(sp);
}

static void test_forget_fill_completes_then_reclaims(void)
{
	fill_completes(false);
	fill_completes(true);
}

/* A platform that fails to undo a transition breaks its contract; the
 * proxy cannot repair that, but it must say so. */
static void test_broken_undo_is_logged(void)
{
	unsigned pr;

	for (pr = 0; pr < 2; pr++) {
		struct world_cfg w = { FFA_VERSION_1_2, FFA_VERSION_1_2, 16,
				       pr == 1, false };
		struct simplat *sp = world(&w);
		struct walk_ctx cx;
		struct ffa_regs r;

		memset(&cx, 0, sizeof(cx));
		setup_reclaim(sp, &w, &cx);
		/* The reclaim's first transition back to owned. */
		simplat_fault(sp, SIMPLAT_OP_TRANSITION, 1, FFA_DENIED);
		log_lines = 0;
		r = act_reclaim(sp, &cx);
		CHECK(ok(&r));
		CHECK(log_lines > 0);
		simplat_destroy(sp);
		free(sp);
	}
}

/* Pages are taken with one platform call per fragment when the platform
 * has page_transition_ranges, else one per range, and given back by
 * reclaim in one call, else per range. Either way the pages end where
 * they should. */
static void test_transition_calls(void)
{
	unsigned pr;

	for (pr = 0; pr < 2; pr++) {
		struct world_cfg w = { FFA_VERSION_1_2, FFA_VERSION_1_2, 16,
				       pr == 1, false };
		struct simplat *sp = world(&w);
		struct walk_ctx cx;
		struct simmem_page pg;
		struct ffa_regs r;
		uint64_t before;

		memset(&cx, 0, sizeof(cx));
		setup_mapped(sp, &w, &cx);
		cx.total = build_desc(sp, TX, w.caller, FFA_MEM_TXN_LEND, 40);
		before = sp->calls[SIMPLAT_OP_TRANSITION];
		r = call(sp, FFA_MEM_LEND_32, cx.total, cx.total, 0);
		CHECK(ok(&r));
		CHECK_EQ(sp->calls[SIMPLAT_OP_TRANSITION] - before,
			 pr ? 40 : 1);
		CHECK_EQ(simmem_page(sp->mem, PAGES + 39 * 2 * FFA_PAGE_SIZE,
				     &pg),
			 0);
		CHECK_EQ(pg.state, FFP_PAGE_LENT);
		before = sp->calls[SIMPLAT_OP_TRANSITION];
		r = call(sp, FFA_MEM_RECLAIM_32, r.x[2], r.x[3], 0);
		CHECK(ok(&r));
		CHECK_EQ(sp->calls[SIMPLAT_OP_TRANSITION] - before,
			 pr ? 40 : 1);
		CHECK_EQ(simmem_page(sp->mem, PAGES + 39 * 2 * FFA_PAGE_SIZE,
				     &pg),
			 0);
		CHECK_EQ(pg.state, FFP_PAGE_OWNED);
		simplat_destroy(sp);
		free(sp);
	}
}

/* A share refused for two reasons at once, a full transaction table and
 * a failed read of its constituents (the last caller read), gets the
 * table's: records are refused before constituents are read, whether the
 * constituents are read into the record or, when they fit there, into
 * the proxy's TX first. */
static void test_full_table_before_constituent_read(void)
{
	static const struct {
		uint32_t caller, n;
	} shares[] = {
		{ FFA_VERSION_1_2, 3 },   { FFA_VERSION_1_1, 3 },
		{ FFA_VERSION_1_0, 3 },   { FFA_VERSION_1_2, 250 },
		/* A 1.0 header is smaller than the SPMC's: these do not fit
		 * in the proxy's one-page TX after it. */
		{ FFA_VERSION_1_0, 252 },
	};
	unsigned i, full;

	for (i = 0; i < sizeof(shares) / sizeof(shares[0]); i++)
		for (full = 0; full < 2; full++) {
			struct world_cfg w = { shares[i].caller,
					       FFA_VERSION_1_2, 1, false, false };
			struct simplat *sp = world_max(&w, full ? 1 : 0);
			struct walk_ctx cx;
			struct ffa_regs r;
			uint64_t reads;

			memset(&cx, 0, sizeof(cx));
			setup_mapped(sp, &w, &cx);
			cx.total = build_desc(sp, TX, w.caller,
					      FFA_MEM_TXN_SHARE, shares[i].n);
			CHECK(cx.total <= FFA_PAGE_SIZE);
			reads = sp->calls[SIMPLAT_OP_READ];
			r = act_share(sp, &cx);
			CHECK(ok(&r));
			reads = sp->calls[SIMPLAT_OP_READ] - reads;
			CHECK(reads >= 2);
			/* The same share again: its pages are taken, but the
			 * refusal comes before that. */
			simplat_fault(sp, SIMPLAT_OP_READ, (uint32_t)reads,
				      FFA_DENIED);
			last_why = NULL;
			r = act_share(sp, &cx);
			/* (With the table full the read may not be made.) */
			CHECK(full || sp->fault[SIMPLAT_OP_READ].countdown == 0);
			CHECK_EQ((uint32_t)r.x[0], FFA_ERROR_32);
			CHECK_EQ((uint32_t)r.x[2],
				 (uint32_t)(full ? FFA_NO_MEMORY : FFA_DENIED));
			CHECK(last_why != NULL &&
			      strstr(last_why, full ? "max_transactions"
						    : "caller's TX") != NULL);
			simplat_destroy(sp);
			free(sp);
		}
}

/*
 * An orphan left by a fragment whose SPMC reply broke the protocol (an
 * FFA_ERROR with a status FF-A does not define): the fragment's pages
 * stay taken with the earlier ones, and ffp_transaction_info must say
 * so. Its pages count was that of the earlier fragments only, while
 * range_count had every range: an embedder sizing what is stuck (or a
 * debugger) was told a quarter of the memory was not.
 */
static void test_orphan_counts_last_fragment(void)
{
	struct world_cfg w = { FFA_VERSION_1_2, FFA_VERSION_1_2, 1, false,
			       false };
	struct simplat *sp = world(&w);
	struct ffp_transaction_info ti;
	struct simmem_page pg;
	struct walk_ctx cx;
	struct ffa_regs r;

	memset(&cx, 0, sizeof(cx));
	setup_fragment(sp, &w, &cx);
	/* Fragments still expected from the owner: sending, until the
	 * orphan, which expects none. */
	CHECK_EQ(ffp_transaction_info(sp->proxy, 0, &ti), 0);
	CHECK(ti.sending && !ti.orphan);
	/* The FRAG_TX's reply: FFA_ERROR, status 5. */
	simplat_fault(sp, SIMPLAT_OP_SMC, 1, 5);
	r = act_fragment(sp, &cx);
	CHECK_EQ((uint32_t)r.x[0], FFA_ERROR_32);
	CHECK_EQ(ffp_transaction_info(sp->proxy, 0, &ti), 0);
	CHECK(ti.orphan && !ti.sending);
	CHECK_EQ(ti.range_count, MULTI);
	/* One page per constituent, all of them taken. */
	CHECK_EQ(ti.pages, MULTI);
	CHECK_EQ(simmem_page(sp->mem, PAGES + (MULTI - 1) * 2 * FFA_PAGE_SIZE,
			     &pg),
		 0);
	CHECK_EQ(pg.state, FFP_PAGE_LENT);
	simplat_destroy(sp);
	free(sp);
}

/*
 * An orphan whose handle the SPMC gives out again. The SPMC completed a
 * lend's last fragment and then, asked to forget it, reclaimed it, but
 * both replies were garbled: the proxy keeps the record as an orphan
 * (pages lent), indexed under the handle, while the SPMC holds nothing
 * under it. An SPMC that hands out a freed handle at once (Hafnium: the
 * index of its first free share state) then names it for the next
 * share. That share was refused as a duplicate (ABORTED), kept as an
 * orphan nothing can name, its pages taken for good, while the SPMC held
 * it complete and a partition could retrieve it. An orphan's pages stay
 * taken whatever happens to its index entry, so the share takes it.
 */
static void test_orphan_handle_given_out_again(void)
{
	static uint8_t buf[256];
	struct world_cfg w = { FFA_VERSION_1_2, FFA_VERSION_1_2, 1, false,
			       false };
	struct simplat *sp = world(&w);
	struct ffp_transaction_info ti;
	struct simmem_page pg;
	struct ffa_mem_txn t;
	struct walk_ctx cx;
	struct ffa_regs r;
	struct state s;
	uint32_t len = 0, i;
	uint64_t h2;

	memset(&cx, 0, sizeof(cx));
	setup_fragment(sp, &w, &cx);
	smc_log.spmc = &sp->spmc;
	sp->spmc.reply_fn = FFA_FN_MEM_FRAG_TX;
	sp->spmc.reply_reg = 0;
	sp->spmc.reply_xor = 0x100;
	garble_reclaim_next = true;
	r = act_fragment(sp, &cx);
	sp->spmc.reply_fn = 0;
	CHECK_EQ((uint32_t)r.x[0], FFA_ERROR_32);
	CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_ABORTED);
	s = snap(sp);
	CHECK_EQ(s.spmc_txns, 0);
	CHECK_EQ(s.orphans, 1);

	/* The next share, from the host, gets the freed handle again. */
	memset(&t, 0, sizeof(t));
	t.attributes = 0x2f;
	t.receiver_count = 1;
	t.receivers[0].id = 0x8001;
	t.receivers[0].perms = FFA_MEM_PERM_RW;
	t.total_pages = 1;
	t.range_count = 1;
	CHECK_EQ(ffa_mem_emit(FFA_VERSION_1_2, &t, buf, sizeof(buf), &len), 0);
	ffa_put64(buf + len, PAGES2);
	ffa_put32(buf + len + 8, 1);
	ffa_put32(buf + len + 12, 0);
	len += 16;
	CHECK_EQ(simmem_write(sp->mem, TX, buf, len), 0);
	sp->spmc.handle_counter--;
	r = call(sp, FFA_MEM_SHARE_32, len, len, 0);
	CHECK_EQ((uint32_t)r.x[0], FFA_SUCCESS_32);
	h2 = (uint32_t)r.x[2] | r.x[3] << 32;
	CHECK_EQ(h2, cx.handle);
	/* The orphan stays, its pages lent, under no handle now. */
	s = snap(sp);
	CHECK_EQ(s.spmc_txns, 1);
	CHECK_EQ(s.proxy_txns, 2);
	CHECK_EQ(s.orphans, 1);
	for (i = 0; ffp_transaction_info(sp->proxy, i, &ti) == 0; i++)
		if (ti.orphan)
			CHECK(!ti.handle_valid);
	CHECK_EQ(simmem_page(sp->mem, PAGES, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_LENT);

	/* The share is the caller's to reclaim. */
	r = call(sp, FFA_MEM_RECLAIM_32, (uint32_t)h2, h2 >> 32, 0);
	CHECK(ok(&r));
	CHECK_EQ(simmem_page(sp->mem, PAGES2, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_OWNED);
	CHECK_EQ(simmem_page(sp->mem, PAGES, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_LENT);
	CHECK_EQ(ffp_orphans_reclaim(sp->proxy), 1u);
	s = snap(sp);
	CHECK_EQ(s.spmc_txns, 0);
	CHECK_EQ(s.proxy_txns, 1);
	CHECK_EQ(contract_errors, 0u);
	simplat_destroy(sp);
	free(sp);
}

int main(void)
{
	RUN(test_walks);
	RUN(test_unmap_aborts_pending);
	RUN(test_unmap_races_new_pending);
	RUN(test_unmap_races_unmap);
	RUN(test_remove_during_reclaim);
	RUN(test_remove_during_other_vms_orphan_reclaim);
	RUN(test_handle_reused_during_reclaim);
	RUN(test_forget_fills_to_the_end);
	RUN(test_forget_fill_success_not_gone);
	RUN(test_forget_fill_completes_then_reclaims);
	RUN(test_refused_then_fill_success_keeps_pages);
	RUN(test_refused_then_fill_garbled_keeps_pages);
	RUN(test_broken_undo_is_logged);
	RUN(test_transition_calls);
	RUN(test_full_table_before_constituent_read);
	RUN(test_orphan_counts_last_fragment);
	RUN(test_orphan_handle_given_out_again);
	return test_summary("test_mem_faults");
}
