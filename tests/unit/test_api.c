/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The embedding API under misuse: a platform breaking its contract, two
 * instances in one program, the README's embedding example.
 */
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/proxy.h>

#include "check.h"

#define RAM_BASE 0x80000000ull
#define RAM_PAGES 32

struct fake {
	uint16_t owner[RAM_PAGES];
	enum ffp_page_state state[RAM_PAGES];
	uint8_t hyp_tx[4096], hyp_rx[4096];
	int locks[FFP_LOCK_COUNT];
	int lock_errors;
	unsigned transitions;     /* page_transition calls so far */
	uint32_t fail_mask;       /* bit k: the k-th (from 0) call fails */
	unsigned undo_logged;     /* "failed to undo" log lines */
	unsigned logs;
	int smc_calls;
	/* as another CPU, at the k-th (from 1) STATE unlock: hook(hook_arg) */
	unsigned unlock_at;
	void (*hook)(void *arg);
	void *hook_arg;
};

static void fake_smc(void *ctx, struct ffa_regs *r)
{
	struct fake *f = ctx;
	uint32_t id = (uint32_t)r->x[0];

	f->smc_calls++;
	memset(r, 0, sizeof(*r));
	if (id == SMCCC_VERSION)
		r->x[0] = SMCCC_VERSION_1_2;
	else if (id == FFA_VERSION_32)
		r->x[0] = FFA_VERSION_1_2;
	else if (id == FFA_PARTITION_INFO_GET_32) {
		r->x[0] = FFA_SUCCESS_32; /* no partitions */
		r->x[3] = 24;
	} else
		r->x[0] = FFA_SUCCESS_32;
}

static int fake_transition(void *ctx, uint16_t ep, uint64_t pa, uint64_t size,
			   enum ffp_page_state from, enum ffp_page_state to)
{
	struct fake *f = ctx;
	uint64_t first, n, i;
	unsigned k = f->transitions++;

	if (k < 32 && (f->fail_mask & (1u << k)))
		return FFA_DENIED;
	if (pa < RAM_BASE || pa % 4096 || size % 4096 || size == 0)
		return FFA_DENIED;
	first = (pa - RAM_BASE) / 4096;
	n = size / 4096;
	if (first >= RAM_PAGES || n > RAM_PAGES - first)
		return FFA_DENIED;
	for (i = first; i < first + n; i++)
		if (f->owner[i] != ep || f->state[i] != from)
			return FFA_DENIED;
	for (i = first; i < first + n; i++)
		f->state[i] = to;
	return 0;
}

static int fake_read(void *ctx, uint16_t ep, uint64_t pa, void *dst, size_t len)
{
	(void)ctx; (void)ep; (void)pa;
	memset(dst, 0, len);
	return 0;
}

static int fake_write(void *ctx, uint16_t ep, uint64_t pa, const void *src,
		      size_t len)
{
	(void)ctx; (void)ep; (void)pa; (void)src; (void)len;
	return 0;
}

static void fake_lock(void *ctx, enum ffp_lock l)
{
	struct fake *f = ctx;

	if (f->locks[l]++)
		f->lock_errors++;
}

static void fake_unlock(void *ctx, enum ffp_lock l)
{
	struct fake *f = ctx;

	if (f->locks[l]-- != 1)
		f->lock_errors++;
	if (l == FFP_LOCK_STATE && f->unlock_at && --f->unlock_at == 0)
		f->hook(f->hook_arg);
}

static void fake_log(void *ctx, const struct ffp_log_event *ev)
{
	struct fake *f = ctx;

	f->logs++;
	if (strstr(ev->why, "failed to undo"))
		f->undo_logged++;
}

static const struct ffp_platform fake_ops = {
	.smc = fake_smc,
	.page_transition = fake_transition,
	.caller_read = fake_read,
	.caller_write = fake_write,
	.lock = fake_lock,
	.unlock = fake_unlock,
	.log = fake_log,
};

struct world {
	struct fake f;
	void *mem;
	struct ffp *p;
};

/* The default configuration over a one-page pair at tx (rx right after
 * it), VM availability left to the embedder (no SMC at ffp_init). */
static void one_page_cfg(struct ffp_config *cfg, uint8_t *tx, uint8_t *rx)
{
	ffp_config_default(cfg);
	cfg->buffers.tx = tx;
	cfg->buffers.rx = rx;
	cfg->buffers.tx_pa = 0x10000000;
	cfg->buffers.rx_pa = 0x10001000;
	cfg->buffers.pages = 1;
	cfg->vm_availability_by_embedder = true;
}

static struct world *world_new(const struct ffp_platform *ops)
{
	struct world *w = calloc(1, sizeof(*w));
	struct ffp_config cfg;
	size_t size;
	int i;

	for (i = 0; i < RAM_PAGES; i++)
		w->f.owner[i] = (uint16_t)(i / 8); /* ep0: pages 0-7, ... */
	one_page_cfg(&cfg, w->f.hyp_tx, w->f.hyp_rx);
	size = ffp_instance_size(&cfg);
	w->mem = aligned_alloc(16, (size + 15) & ~(size_t)15);
	w->p = ffp_init(w->mem, size, &cfg, ops, &w->f);
	CHECK(w->p != NULL);
	return w;
}

static void world_free(struct world *w)
{
	free(w->mem);
	free(w);
}

static struct ffa_regs call(struct world *w, uint16_t ep, uint64_t x0,
			    uint64_t x1, uint64_t x2, uint64_t x3)
{
	struct ffa_regs r;

	memset(&r, 0, sizeof(r));
	r.x[0] = x0;
	r.x[1] = x1;
	r.x[2] = x2;
	r.x[3] = x3;
	CHECK(ffp_handle(w->p, ep, &r));
	return r;
}

static uint64_t page_pa(unsigned i)
{
	return RAM_BASE + (uint64_t)i * 4096;
}

/* platform.h: "Every transition back to FFP_PAGE_OWNED (an undo,
 * RXTX_UNMAP, a reclaim, a removal) must succeed". A platform that breaks
 * it must at least be told on the log, as the memory paths do (mem.c
 * give_back: "platform failed to undo a page transition"): the RX/TX
 * paths dropped the status silently, leaving pages stuck in
 * SHARED_PROXY with nothing to say so. */
static void test_rxtx_undo_failure_logged(void)
{
	struct world *w = world_new(&fake_ops);
	struct ffa_regs r;

	/* RXTX_MAP: TX taken (call 0), RX refused (call 1), undo of TX
	 * (call 2) fails. */
	w->f.transitions = 0;
	w->f.fail_mask = 1u << 1 | 1u << 2;
	w->f.undo_logged = 0;
	r = call(w, 0, FFA_RXTX_MAP_64, page_pa(0), page_pa(1), 1);
	CHECK_EQ(r.x[0], FFA_ERROR_32);
	CHECK_EQ(w->f.undo_logged, 1);

	/* RXTX_UNMAP: both go back, the platform fails each. */
	w->f.fail_mask = 0;
	w->f.state[0] = FFP_PAGE_OWNED;
	r = call(w, 0, FFA_RXTX_MAP_64, page_pa(2), page_pa(3), 1);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	w->f.transitions = 0;
	w->f.fail_mask = 3;
	w->f.undo_logged = 0;
	r = call(w, 0, FFA_RXTX_UNMAP_32, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(w->f.undo_logged, 2);

	/* Removal of a VM with buffers mapped: same. */
	w->f.fail_mask = 0;
	CHECK_EQ(ffp_endpoint_add(w->p, 1), 0);
	r = call(w, 1, FFA_RXTX_MAP_64, page_pa(8), page_pa(9), 1);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	w->f.transitions = 0;
	w->f.fail_mask = 1;
	w->f.undo_logged = 0;
	CHECK_EQ(ffp_endpoint_remove(w->p, 1), 0);
	CHECK_EQ(w->f.undo_logged, 1);
	CHECK_EQ(w->f.lock_errors, 0);
	world_free(w);
}

/* Ids out of range or meaningless, for every function taking one. */
static void test_ids(void)
{
	struct world *w = world_new(&fake_ops);
	struct ffp_endpoint_info info;
	static const uint16_t bad[] = { 16 /* max_endpoints */, 17, 0x7fff,
					0x8000, 0xffff };
	struct ffa_regs r;
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(ffp_endpoint_add(w->p, bad[i]), FFA_INVALID_PARAMETERS);
		CHECK_EQ(ffp_endpoint_remove(w->p, bad[i]),
			 FFA_INVALID_PARAMETERS);
		memset(&info, 0xa5, sizeof(info));
		CHECK_EQ(ffp_endpoint_info(w->p, bad[i], &info),
			 FFA_INVALID_PARAMETERS);
		CHECK(!info.present && !info.vm_destroyed_pending);
		r = call(w, bad[i], FFA_ID_GET_32, 0, 0, 0);
		CHECK_EQ(r.x[0], FFA_ERROR_32);
		CHECK_EQ(r.x[2], (uint32_t)FFA_NOT_SUPPORTED);
	}
	/* the host: never removed, already there */
	CHECK_EQ(ffp_endpoint_remove(w->p, 0), FFA_INVALID_PARAMETERS);
	CHECK_EQ(ffp_endpoint_add(w->p, 0), FFA_DENIED);
	CHECK_EQ(ffp_endpoint_info(w->p, 0, &info), 0);
	CHECK(info.present);
	/* the last id, twice each way; never added */
	CHECK_EQ(ffp_endpoint_remove(w->p, 15), FFA_INVALID_PARAMETERS);
	CHECK_EQ(ffp_endpoint_add(w->p, 15), 0);
	CHECK_EQ(ffp_endpoint_add(w->p, 15), FFA_DENIED);
	r = call(w, 15, FFA_ID_GET_32, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[2], 15);
	CHECK_EQ(ffp_endpoint_remove(w->p, 15), 0);
	CHECK_EQ(ffp_endpoint_remove(w->p, 15), FFA_INVALID_PARAMETERS);
	r = call(w, 15, FFA_ID_GET_32, 0, 0, 0);
	CHECK_EQ(r.x[2], (uint32_t)FFA_NOT_SUPPORTED);
	CHECK_EQ(ffp_endpoint_add(w->p, 15), 0);
	CHECK_EQ(w->f.lock_errors, 0);
	world_free(w);
}

/* Nothing to do: no SMC, nothing left, a view past the end refused. */
static void test_idle(void)
{
	struct world *w = world_new(&fake_ops);
	struct ffp_transaction_info ti;
	int smcs = w->f.smc_calls;
	uint32_t cur;

	CHECK_EQ(ffp_orphans_reclaim(w->p), 0);
	CHECK_EQ(ffp_vm_destroyed_retry(w->p), 0);
	memset(&ti, 0xa5, sizeof(ti));
	CHECK_EQ(ffp_transaction_info(w->p, 0, &ti), FFA_INVALID_PARAMETERS);
	CHECK(!ti.handle && !ti.orphan && !ti.range_count);
	CHECK_EQ(ffp_transaction_info(w->p, 0xffffffffu, &ti),
		 FFA_INVALID_PARAMETERS);
	/* the cursor: nothing left, the cursor and out as documented */
	cur = 0;
	memset(&ti, 0xa5, sizeof(ti));
	CHECK_EQ(ffp_transaction_next(w->p, &cur, &ti), FFA_INVALID_PARAMETERS);
	CHECK(!ti.handle && !ti.orphan && !ti.range_count && cur == 0);
	cur = 0xffffffffu;
	CHECK_EQ(ffp_transaction_next(w->p, &cur, &ti), FFA_INVALID_PARAMETERS);
	CHECK_EQ(cur, 0xffffffffu);
	CHECK_EQ(ffp_transaction_next(w->p, NULL, &ti), FFA_INVALID_PARAMETERS);
	CHECK_EQ(ffp_transaction_next(w->p, &cur, NULL), FFA_INVALID_PARAMETERS);
	CHECK_EQ(w->f.smc_calls, smcs);
	CHECK_EQ(w->f.lock_errors, 0);
	world_free(w);
}

/* Optional operations absent, the log among them: refusals still work. */
static void test_optional_ops_absent(void)
{
	struct ffp_platform ops = fake_ops;
	struct world *w;
	struct ffa_regs r;

	ops.log = NULL;
	ops.page_transition_ranges = NULL;
	ops.smc_x0_x7 = NULL;
	w = world_new(&ops);
	r = call(w, 0, FFA_RXTX_MAP_64, page_pa(8) /* not the host's */,
		 page_pa(9), 1);
	CHECK_EQ(r.x[0], FFA_ERROR_32);
	w->f.transitions = 0;
	w->f.fail_mask = 1u << 1 | 1u << 2;
	r = call(w, 0, FFA_RXTX_MAP_64, page_pa(0), page_pa(1), 1);
	CHECK_EQ(r.x[0], FFA_ERROR_32);
	r = call(w, 0, 0x84000060u | 0x7f, 0, 0, 0); /* reserved */
	CHECK_EQ(r.x[0], FFA_ERROR_32);
	CHECK_EQ(w->f.logs, 0);
	world_free(w);
}

/* No global state: two instances, calls interleaved, each sees its own
 * endpoints, buffers and platform. */
static void test_two_instances(void)
{
	struct world *a = world_new(&fake_ops), *b = world_new(&fake_ops);
	struct ffp_endpoint_info ia, ib;
	struct ffa_regs r;

	CHECK_EQ(ffp_endpoint_add(a->p, 1), 0);
	CHECK_EQ(ffp_endpoint_add(b->p, 2), 0);
	r = call(a, 1, FFA_ID_GET_32, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(b, 1, FFA_ID_GET_32, 0, 0, 0);
	CHECK_EQ(r.x[2], (uint32_t)FFA_NOT_SUPPORTED);
	r = call(a, 1, FFA_VERSION_32, FFA_VERSION_1_0, 0, 0);
	r = call(b, 2, FFA_VERSION_32, FFA_VERSION_1_1, 0, 0);
	r = call(a, 0, FFA_RXTX_MAP_64, page_pa(0), page_pa(1), 1);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(b, 0, FFA_RXTX_MAP_64, page_pa(2), page_pa(3), 1);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(a->f.state[0], FFP_PAGE_SHARED_PROXY);
	CHECK_EQ(a->f.state[2], FFP_PAGE_OWNED);
	CHECK_EQ(b->f.state[0], FFP_PAGE_OWNED);
	CHECK_EQ(b->f.state[2], FFP_PAGE_SHARED_PROXY);
	CHECK_EQ(ffp_endpoint_info(a->p, 1, &ia), 0);
	CHECK_EQ(ffp_endpoint_info(b->p, 2, &ib), 0);
	CHECK(ia.version_set && ia.version == FFA_VERSION_1_0);
	CHECK(ib.version_set && ib.version == FFA_VERSION_1_1);
	CHECK_EQ(ffp_endpoint_info(b->p, 1, &ib), 0);
	CHECK(!ib.present);
	CHECK_EQ(ffp_endpoint_info(a->p, 0, &ia), 0);
	CHECK(ia.buffers_mapped && ia.tx_pa == page_pa(0));
	CHECK_EQ(ffp_endpoint_remove(a->p, 1), 0);
	CHECK_EQ(ffp_endpoint_info(b->p, 2, &ib), 0);
	CHECK(ib.present);
	CHECK_EQ(a->f.lock_errors + b->f.lock_errors, 0);
	world_free(a);
	world_free(b);
}

/* Every documented limit: exactly at it accepted, one past refused. */
static void test_config_boundaries(void)
{
	static uint8_t tx[4096], rx[4096];
	static struct ffp_partition_uuid uuids[0x8001];
	struct ffp_config good, at, past;
	unsigned i;

	ffp_config_default(&good);
	good.buffers.tx = tx;
	good.buffers.rx = rx;
	good.buffers.pages = 1;
	CHECK(ffp_instance_size(&good) > 0);
	for (i = 0; i < 13; i++) {
		at = past = good;
		switch (i) {
		case 0: at.max_endpoints = 0x7fff; past.max_endpoints = 0x8000; break;
		case 1: at.max_endpoints = 1; past.max_endpoints = 0; break;
		case 2: at.max_buffer_pages = 63; past.max_buffer_pages = 64; break;
		case 3: at.max_buffer_pages = 1; past.max_buffer_pages = 0; break;
		case 4:
			at.granule = past.granule = 65536;
			at.max_buffer_pages = 16; past.max_buffer_pages = 15;
			break;
		case 5: at.max_descriptor_size = 1u << 30;
			past.max_descriptor_size = (1u << 30) + 1; break;
		case 6: at.max_descriptor_size = 4096;
			past.max_descriptor_size = 4095; break;
		case 7: at.max_transactions = 1u << 24;
			past.max_transactions = (1u << 24) + 1; break;
		case 8: at.max_ranges = 1u << 28;
			past.max_ranges = (1u << 28) + 1; break;
		case 9: at.max_preempted = 1024; past.max_preempted = 1025; break;
		case 10: at.buffers.pages = 63; past.buffers.pages = 64; break;
		case 11: at.buffers.pages = 1; past.buffers.pages = 0; break;
		default:
			at.uuids = past.uuids = uuids;
			at.uuid_count = 0x8000; past.uuid_count = 0x8001;
			break;
		}
		if (!ffp_instance_size(&at) || ffp_instance_size(&past)) {
			fprintf(stderr, "FAIL boundary case %u\n", i);
			check_failed_in_test = 1;
		}
	}
}

/* The proxy's own TX and RX must be apart, as addressed by the proxy and
 * by the SPMC: the defaults leave tx_pa == rx_pa == 0, and an SPMC
 * refuses one page for both (Hafnium api_vm_configure_pages, "Mailbox
 * buffers overlap": INVALID_PARAMETERS), or, not checking, writes its
 * replies over the descriptor the proxy put in TX. ffp_init refuses it,
 * as it refuses a caller's RXTX_MAP of overlapping buffers. Sizing does
 * not care where the buffers are. */
static void test_init_buffers_overlap(void)
{
	static uint8_t bufs[4 * 4096];
	struct ffp_config good, cfg;
	struct fake f;
	unsigned i;
	size_t size;
	void *mem;

	memset(&f, 0, sizeof(f));
	ffp_config_default(&good);
	good.buffers.tx = bufs;
	good.buffers.rx = bufs + 2 * 4096;
	good.buffers.tx_pa = 0x10000000;
	good.buffers.rx_pa = 0x10002000;
	good.buffers.pages = 2;
	good.vm_availability_by_embedder = true;
	size = ffp_instance_size(&good);
	mem = aligned_alloc(16, (size + 15) & ~(size_t)15);
	for (i = 0; i < 6; i++) {
		cfg = good;
		switch (i) {
		case 0: cfg.buffers.tx_pa = cfg.buffers.rx_pa = 0; break;
		case 1: cfg.buffers.rx_pa = cfg.buffers.tx_pa + 4096; break;
		case 2: cfg.buffers.tx_pa = cfg.buffers.rx_pa + 4096; break;
		case 3: cfg.buffers.rx = cfg.buffers.tx; break;
		case 4: cfg.buffers.rx = bufs + 4096; break;
		default: cfg.buffers.tx_pa = 0xfffffffffffff000ull; break;
		}
		CHECK(ffp_instance_size(&cfg) == size);
		if (ffp_init(mem, size, &cfg, &fake_ops, &f) != NULL) {
			fprintf(stderr, "FAIL overlap case %u accepted\n", i);
			check_failed_in_test = 1;
		}
	}
	CHECK_EQ(f.smc_calls, 0);
	/* adjacent is fine, either order */
	cfg = good;
	cfg.buffers.tx_pa = 0x10002000;
	cfg.buffers.rx_pa = 0x10000000;
	cfg.buffers.tx = bufs + 2 * 4096;
	cfg.buffers.rx = bufs;
	CHECK(ffp_init(mem, size, &cfg, &fake_ops, &f) != NULL);
	free(mem);
}

/* The proxy's own TX or RX not 8-byte aligned as the proxy addresses
 * it: the memory paths store constituents into the proxy's TX in
 * 8-byte-aligned 16-byte units (mem_cons.h FFA_MEM_CONS_STEP, into
 * cfg.buffers.tx + the header's length, a multiple of 8), undefined
 * behaviour and an alignment fault at EL2 with its MMU off (Device
 * memory). A VA that maps a 4 KiB-aligned tx_pa/rx_pa is 4 KiB aligned
 * anyway (the page offset is the PA's): such a VA is an embedder's
 * mistake. Refused when sizing, as an unaligned tx_pa is. */
static void test_init_buffers_misaligned(void)
{
	static uint8_t bufs[3 * 4096] __attribute__((aligned(4096)));
	struct ffp_config good, cfg;
	unsigned i;

	one_page_cfg(&good, bufs, bufs + 4096);
	CHECK(ffp_instance_size(&good) > 0);
	for (i = 0; i < 4; i++) {
		cfg = good;
		switch (i) {
		case 0: cfg.buffers.tx = bufs + 4; break;
		case 1: cfg.buffers.tx = bufs + 1; break;
		case 2: cfg.buffers.rx = bufs + 4096 + 4; break;
		default: cfg.buffers.rx = bufs + 4096 + 7; break;
		}
		if (ffp_instance_size(&cfg)) {
			fprintf(stderr, "FAIL misaligned case %u sized\n", i);
			check_failed_in_test = 1;
		}
	}
	/* 8-byte aligned: the code's needs; fine */
	cfg = good;
	cfg.buffers.tx = bufs + 8;
	cfg.buffers.rx = bufs + 4096 + 8;
	CHECK(ffp_instance_size(&cfg) > 0);
}

/* The views with no place to write: refused, not a NULL write at EL2
 * (nothing else a view can do wrong is the embedder's to get right). */
static void test_views_null_out(void)
{
	struct world *w = world_new(&fake_ops);

	CHECK_EQ(ffp_endpoint_info(w->p, 0, NULL), FFA_INVALID_PARAMETERS);
	CHECK_EQ(ffp_endpoint_info(w->p, 0xffff, NULL), FFA_INVALID_PARAMETERS);
	CHECK_EQ(ffp_transaction_info(w->p, 0, NULL), FFA_INVALID_PARAMETERS);
	ffp_info(w->p, NULL);
	CHECK_EQ(w->f.lock_errors, 0);
	world_free(w);
}

/* ---- README.md "Embedding" and proxy.h's usage comment, as written
 * (the embedder's names bound to the fake; ctx NULL as there). */
static struct fake readme_fake;
static uint8_t hyp_tx[4 * 4096], hyp_rx[4 * 4096];
static const uint64_t hyp_tx_pa = 0x10000000, hyp_rx_pa = 0x10004000;
static void my_smc(void *ctx, struct ffa_regs *r)
{ (void)ctx; fake_smc(&readme_fake, r); }
static int my_stage2_transition(void *ctx, uint16_t ep, uint64_t pa,
				uint64_t size, enum ffp_page_state from,
				enum ffp_page_state to)
{ (void)ctx; return fake_transition(&readme_fake, ep, pa, size, from, to); }
static int my_read_guest_pa(void *ctx, uint16_t ep, uint64_t pa, void *dst,
			    size_t len)
{ (void)ctx; return fake_read(&readme_fake, ep, pa, dst, len); }
static int my_write_guest_pa(void *ctx, uint16_t ep, uint64_t pa,
			     const void *src, size_t len)
{ (void)ctx; return fake_write(&readme_fake, ep, pa, src, len); }
static void my_spin_lock(void *ctx, enum ffp_lock l)
{ (void)ctx; fake_lock(&readme_fake, l); }
static void my_spin_unlock(void *ctx, enum ffp_lock l)
{ (void)ctx; fake_unlock(&readme_fake, l); }
static void my_log(void *ctx, const struct ffp_log_event *ev)
{ (void)ctx; fake_log(&readme_fake, ev); }
static int my_stage2_list(void *ctx, uint16_t ep, const uint8_t *cons,
			  uint32_t count, enum ffp_page_state from,
			  enum ffp_page_state to, uint32_t *failed)
{
	(void)ctx; (void)ep; (void)cons; (void)count; (void)from; (void)to;
	*failed = 0;
	return FFA_DENIED;
}
static void my_smc8(void *ctx, struct ffa_regs *r) { my_smc(ctx, r); }
static void my_npi(void *ctx, uint16_t vm, const uint16_t *vcpus, uint32_t n)
{
	(void)ctx; (void)vm; (void)vcpus; (void)n;
}

/* README.md, verbatim from here */
static const struct ffp_platform ops = {
	.smc = my_smc,                   /* smc #0 with x0..x17 in and out */
	.page_transition = my_stage2_transition, /* owned <-> shared/lent... */
	.caller_read = my_read_guest_pa, .caller_write = my_write_guest_pa,
	.lock = my_spin_lock, .unlock = my_spin_unlock,
	.log = my_log,                   /* optional: every refusal's reason */
	/* optional: a fragment's ranges in one call; an 8-register SMC */
	.page_transition_ranges = my_stage2_list, .smc_x0_x7 = my_smc8,
	/* optional: a VM's notifications pending (inject its NPI) */
	.notification_pending = my_npi,
};

static struct ffp *proxy_setup(void *mem, size_t size) {
	struct ffp_config cfg;
	ffp_config_default(&cfg);        /* 1.2, translate, 4K granule */
	cfg.buffers.tx = hyp_tx; cfg.buffers.tx_pa = hyp_tx_pa;
	cfg.buffers.rx = hyp_rx; cfg.buffers.rx_pa = hyp_rx_pa;
	cfg.buffers.pages = 4;
	if (size < ffp_instance_size(&cfg)) return NULL;
	return ffp_init(mem, size, &cfg, &ops, NULL);   /* negotiates */
}
/* README.md, to here */

static void test_readme_example(void)
{
	static uint8_t mem[1 << 20] __attribute__((aligned(16)));
	struct ffp *proxy = proxy_setup(mem, sizeof(mem));
	struct { struct ffa_regs regs; } vcpu_, *vcpu = &vcpu_;
	uint16_t id = 0;
	bool forwarded = false;
	struct ffp_info info;

	CHECK(proxy != NULL);
	if (!proxy)
		return;
	memset(vcpu, 0, sizeof(*vcpu));
	vcpu->regs.x[0] = FFA_ID_GET_32;
	if (!ffp_handle(proxy, id, &vcpu->regs)) forwarded = true;
	CHECK(!forwarded);
	CHECK_EQ(vcpu->regs.x[0], FFA_SUCCESS_32);
	vcpu->regs.x[0] = 0x84000000u; /* PSCI_VERSION: not FF-A */
	if (!ffp_handle(proxy, id, &vcpu->regs)) forwarded = true;
	CHECK(forwarded);
	/* proxy.h's usage comment */
	CHECK_EQ(ffp_endpoint_add(proxy, 1), 0);
	ffp_info(proxy, &info);
	CHECK(info.ffa_enabled);
	CHECK_EQ(readme_fake.lock_errors, 0);
}

/* add and remove racing on two CPUs, made deterministic: the second
 * CPU's calls run when the first releases STATE after marking the id. */
static struct {
	struct world *w;
	int add, remove, add0;
	uint64_t handle_x2;
	uint32_t retry_left;
	struct ffp_endpoint_info info;
} race;

static void other_cpu(void *arg)
{
	struct ffa_regs r;

	(void)arg;
	race.add = ffp_endpoint_add(race.w->p, 1);
	race.remove = ffp_endpoint_remove(race.w->p, 1);
	race.add0 = ffp_endpoint_add(race.w->p, 0);
	r = call(race.w, 1, FFA_ID_GET_32, 0, 0, 0);
	race.handle_x2 = r.x[2];
	race.retry_left = ffp_vm_destroyed_retry(race.w->p);
	CHECK_EQ(ffp_endpoint_info(race.w->p, 1, &race.info), 0);
}

static void test_add_remove_race(void)
{
	struct world *w = world_new(&fake_ops);
	struct ffa_regs r;

	race.w = w;
	w->f.hook = other_cpu;
	/* a removal under way: the id is neither addable nor removable */
	CHECK_EQ(ffp_endpoint_add(w->p, 1), 0);
	r = call(w, 1, FFA_RXTX_MAP_64, page_pa(8), page_pa(9), 1);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	w->f.unlock_at = 1;
	CHECK_EQ(ffp_endpoint_remove(w->p, 1), 0);
	CHECK_EQ(w->f.unlock_at, 0);
	CHECK_EQ(race.add, FFA_BUSY);
	CHECK_EQ(race.remove, FFA_INVALID_PARAMETERS);
	CHECK_EQ(race.add0, FFA_DENIED);
	CHECK_EQ(race.handle_x2, (uint32_t)FFA_NOT_SUPPORTED);
	CHECK_EQ(race.retry_left, 0);
	CHECK(!race.info.present);
	CHECK_EQ(w->f.state[8], FFP_PAGE_OWNED);
	CHECK_EQ(w->f.state[9], FFP_PAGE_OWNED);
	/* an add under way: the same */
	memset(&race, 0, sizeof(race));
	race.w = w;
	w->f.unlock_at = 1;
	CHECK_EQ(ffp_endpoint_add(w->p, 1), 0);
	CHECK_EQ(race.add, FFA_BUSY);
	CHECK_EQ(race.remove, FFA_INVALID_PARAMETERS);
	CHECK_EQ(race.handle_x2, (uint32_t)FFA_NOT_SUPPORTED);
	CHECK(!race.info.present);
	r = call(w, 1, FFA_ID_GET_32, 0, 0, 0);
	CHECK_EQ(r.x[2], 1);
	CHECK_EQ(w->f.lock_errors, 0);
	world_free(w);
}

/* ffp_init zeroes `mem` before copying the configuration: a `cfg` (or
 * its uuids table) placed in that memory, say built there before the
 * proxy takes it over, was read back as zeros after validation (an
 * instance laid out for one configuration and holding another). Such a
 * call is refused. */
static void test_init_cfg_inside_mem(void)
{
	static uint8_t bufs[2 * 4096];
	struct ffp_config cfg, *in;
	struct ffp_partition_uuid *u;
	struct fake f;
	uint8_t *mem;
	size_t size;

	memset(&f, 0, sizeof(f));
	one_page_cfg(&cfg, bufs, bufs + 4096);
	cfg.uuid_count = 1;
	cfg.uuids = &(struct ffp_partition_uuid){ 0x8001, { 1 } };
	size = ffp_instance_size(&cfg);
	mem = aligned_alloc(16, size + 64);
	/* the configuration at the end of the instance memory */
	in = (struct ffp_config *)(void *)(mem + ((size - sizeof(cfg)) & ~15ul));
	*in = cfg;
	CHECK(ffp_init(mem, size, in, &fake_ops, &f) == NULL);
	/* its uuids table there */
	u = (struct ffp_partition_uuid *)(void *)(mem + size - 32);
	*u = cfg.uuids[0];
	cfg.uuids = u;
	CHECK(ffp_init(mem, size, &cfg, &fake_ops, &f) == NULL);
	CHECK_EQ(f.smc_calls, 0);
	/* just past it: fine */
	u = (struct ffp_partition_uuid *)(void *)(mem + size);
	*u = (struct ffp_partition_uuid){ 0x8001, { 1 } };
	cfg.uuids = u;
	CHECK(ffp_init(mem, size, &cfg, &fake_ops, &f) != NULL);
	free(mem);
}

/* The platform's table of operations inside the instance memory (say,
 * set up in the block before the proxy takes it over): ffp_init checked
 * its required operations, then zeroed the block, and its first SMC
 * called a NULL `smc` (a jump to address 0 at EL2). Refused, as `cfg`
 * there is. */
static void test_init_plat_inside_mem(void)
{
	static uint8_t bufs[2 * 4096];
	struct ffp_platform *plat;
	struct ffp_config cfg;
	struct fake f;
	uint8_t *mem;
	size_t size;

	memset(&f, 0, sizeof(f));
	one_page_cfg(&cfg, bufs, bufs + 4096);
	size = ffp_instance_size(&cfg);
	mem = aligned_alloc(16, size + 2 * sizeof(*plat) + 16);
	/* at the end of the block */
	plat = (struct ffp_platform *)(void *)(mem + ((size - sizeof(*plat)) &
						      ~(size_t)15));
	*plat = fake_ops;
	CHECK(ffp_init(mem, size, &cfg, plat, &f) == NULL);
	CHECK_EQ(f.smc_calls, 0);
	/* just past it: fine */
	plat = (struct ffp_platform *)(void *)(mem + ((size + 15) & ~(size_t)15));
	*plat = fake_ops;
	CHECK(ffp_init(mem, size, &cfg, plat, &f) != NULL);
	CHECK(f.smc_calls > 0);
	free(mem);
}

/* The proxy's own TX or RX inside the instance memory: the SPMC's
 * replies (RX) and the proxy's descriptors (TX) would overwrite the
 * proxy's tables and scratch, and zeroing the instance wipes them.
 * Refused. */
static void test_init_buffers_inside_mem(void)
{
	struct ffp_config cfg;
	struct fake f;
	uint8_t *mem, *bufs;
	size_t size;

	memset(&f, 0, sizeof(f));
	bufs = aligned_alloc(4096, 2 * 4096);
	one_page_cfg(&cfg, bufs, bufs + 4096);
	size = ffp_instance_size(&cfg);
	mem = aligned_alloc(16, size + 2 * 4096);
	cfg.buffers.rx = mem + size - 4096;
	CHECK(ffp_init(mem, size, &cfg, &fake_ops, &f) == NULL);
	cfg.buffers.rx = bufs + 4096;
	cfg.buffers.tx = mem + 16;
	CHECK(ffp_init(mem, size, &cfg, &fake_ops, &f) == NULL);
	CHECK_EQ(f.smc_calls, 0);
	cfg.buffers.tx = mem + size; /* just past: fine */
	CHECK(ffp_init(mem, size, &cfg, &fake_ops, &f) != NULL);
	free(mem);
	free(bufs);
}

/*
 * ffp_endpoint_set_msg_buffers' own checks, each refused with no SMC:
 * the host, an id out of range or absent, NULL buffers or addresses,
 * page counts 0 and 64, unaligned, wrapping or overlapping pairs (as the
 * SPMC or the proxy addresses them); a second pair DENIED. A valid one
 * costs the proxy's own map (first use) and the forwarded one; its
 * removal one unmap, w1 = id << 16.
 */
static uint8_t mb_a[2 * 4096], mb_b[2 * 4096];

static int set_mb(struct world *w, uint16_t id, void *tx, void *rx,
		  uint64_t tx_pa, uint64_t rx_pa, uint32_t pages)
{
	struct ffp_msg_buffers b = { tx, rx, tx_pa, rx_pa, pages };

	return ffp_endpoint_set_msg_buffers(w->p, id, &b);
}

static void test_msg_buffers_args(void)
{
	struct world *w = world_new(&fake_ops);
	struct ffp_endpoint_info ei;
	int base;

	CHECK_EQ(ffp_endpoint_add(w->p, 1), 0);
	base = w->f.smc_calls;
	CHECK_EQ(set_mb(w, 0, mb_a, mb_b, 0x20000000, 0x20002000, 1),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(set_mb(w, 2, mb_a, mb_b, 0x20000000, 0x20002000, 1),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(set_mb(w, 0x7fff, mb_a, mb_b, 0x20000000, 0x20002000, 1),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(ffp_endpoint_set_msg_buffers(w->p, 1, NULL),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(set_mb(w, 1, NULL, mb_b, 0x20000000, 0x20002000, 1),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(set_mb(w, 1, mb_a, NULL, 0x20000000, 0x20002000, 1),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(set_mb(w, 1, mb_a, mb_b, 0x20000000, 0x20002000, 0),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(set_mb(w, 1, mb_a, mb_b, 0x20000000, 0x20100000, 64),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(set_mb(w, 1, mb_a, mb_b, 0x20000800, 0x20002000, 1),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(set_mb(w, 1, mb_a, mb_b, 0x20000000, 0x20002800, 1),
		 FFA_INVALID_PARAMETERS);
	/* overlapping as the SPMC sees them, and as the proxy does */
	CHECK_EQ(set_mb(w, 1, mb_a, mb_b, 0x20000000, 0x20001000, 2),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(set_mb(w, 1, mb_a, mb_a + 4096, 0x20000000, 0x20002000, 2),
		 FFA_INVALID_PARAMETERS);
	/* wrapping */
	CHECK_EQ(set_mb(w, 1, mb_a, mb_b, 0xfffffffffffff000ull, 0x20002000,
			2),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(w->f.smc_calls, base);
	CHECK_EQ(ffp_endpoint_info(w->p, 1, &ei), 0);
	CHECK(!ei.msg_buffers && !ei.msg_unmap_pending);
	CHECK_EQ(set_mb(w, 1, mb_a, mb_b, 0x20000000, 0x20002000, 2), 0);
	CHECK_EQ(w->f.smc_calls, base + 2); /* the proxy's pair, the VM's */
	CHECK_EQ(set_mb(w, 1, mb_a, mb_b, 0x20000000, 0x20002000, 2),
		 FFA_DENIED);
	CHECK_EQ(w->f.smc_calls, base + 2);
	CHECK_EQ(ffp_endpoint_info(w->p, 1, &ei), 0);
	CHECK(ei.msg_buffers && !ei.msg_unmap_pending);
	CHECK_EQ(ffp_endpoint_remove(w->p, 1), 0);
	CHECK_EQ(w->f.smc_calls, base + 3);
	CHECK_EQ(ffp_endpoint_info(w->p, 1, &ei), 0);
	CHECK(!ei.msg_buffers && !ei.msg_unmap_pending);
	CHECK_EQ(w->f.lock_errors, 0);
	world_free(w);
}

/*
 * A bounce pair is memory the SPMC writes (RX) and the proxy writes (TX)
 * under the VM's id: one overlapping the proxy's own pair (as the SPMC or
 * the proxy addresses it), the proxy's instance memory, or another VM's
 * pair would have the SPMC write one VM's messages or replies over
 * another's, or over the proxy's tables. Refused, no SMC; the memory of a
 * removed VM's pair is free again once unmapped.
 */
static uint8_t mb_c[2 * 4096], mb_d[2 * 4096];

static void test_msg_buffers_overlap(void)
{
	struct world *w = world_new(&fake_ops);
	int base;

	CHECK_EQ(ffp_endpoint_add(w->p, 1), 0);
	CHECK_EQ(ffp_endpoint_add(w->p, 2), 0);
	base = w->f.smc_calls;
	/* the proxy's pair, as the SPMC sees it (0x10000000, 0x10001000) */
	CHECK_EQ(set_mb(w, 1, mb_a, mb_b, 0x10000000, 0x20002000, 1),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(set_mb(w, 1, mb_a, mb_b, 0x20000000, 0x10000000, 2),
		 FFA_INVALID_PARAMETERS);
	/* ... and as the proxy addresses it */
	CHECK_EQ(set_mb(w, 1, w->f.hyp_tx, mb_b, 0x20000000, 0x20002000, 1),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(set_mb(w, 1, mb_a, w->f.hyp_rx, 0x20000000, 0x20002000, 1),
		 FFA_INVALID_PARAMETERS);
	/* the proxy's instance memory */
	CHECK_EQ(set_mb(w, 1, mb_a, w->mem, 0x20000000, 0x20002000, 1),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(w->f.smc_calls, base);
	CHECK_EQ(set_mb(w, 1, mb_a, mb_b, 0x20000000, 0x20002000, 2), 0);
	base = w->f.smc_calls;
	/* VM 1's pair, by address or by memory */
	CHECK_EQ(set_mb(w, 2, mb_c, mb_d, 0x20003000, 0x20006000, 2),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(set_mb(w, 2, mb_c, mb_d, 0x20006000, 0x20001000, 1),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(set_mb(w, 2, mb_c, mb_b + 4096, 0x20006000, 0x20008000, 1),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(set_mb(w, 2, mb_a, mb_d, 0x20006000, 0x20008000, 1),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(w->f.smc_calls, base);
	CHECK_EQ(set_mb(w, 2, mb_c, mb_d, 0x20006000, 0x20008000, 2), 0);
	/* VM 1 gone, its pair unmapped: its memory may be VM 3's */
	CHECK_EQ(ffp_endpoint_remove(w->p, 1), 0);
	CHECK_EQ(ffp_endpoint_add(w->p, 3), 0);
	CHECK_EQ(set_mb(w, 3, mb_a, mb_b, 0x20000000, 0x20002000, 2), 0);
	CHECK_EQ(w->f.lock_errors, 0);
	world_free(w);
}

/*
 * The forwarded map answered with an error frame whose w2 is no FF-A
 * status: outside the protocol, the SPMC's state unknown (it may have
 * mapped the pair, and would then write into it after the VM's removal,
 * the proxy not knowing to unmap it). Undone with an unmap, as the
 * proxy's own map does with such a reply (rxtx.c ffp_spmc_buffers_map),
 * and as for any other reply neither success nor error.
 */
static unsigned vm_unmaps;

static void bad_status_smc(void *ctx, struct ffa_regs *r)
{
	const uint32_t id = (uint32_t)r->x[0];
	const bool fwd_map = id == FFA_RXTX_MAP_64 && !r->x[1];
	const bool vm_unmap = id == FFA_RXTX_UNMAP_32 && r->x[1] == 1u << 16;

	fake_smc(ctx, r);
	if (fwd_map) {
		r->x[0] = FFA_ERROR_32;
		r->x[2] = 0x1234;
	}
	vm_unmaps += vm_unmap;
}

static void test_msg_buffers_bad_status(void)
{
	struct ffp_platform bad_ops = fake_ops;
	struct world *w;
	struct ffp_endpoint_info ei;

	bad_ops.smc = bad_status_smc;
	w = world_new(&bad_ops);
	vm_unmaps = 0;
	CHECK_EQ(ffp_endpoint_add(w->p, 1), 0);
	CHECK_EQ(set_mb(w, 1, mb_a, mb_b, 0x20000000, 0x20002000, 1),
		 FFA_ABORTED);
	CHECK_EQ(vm_unmaps, 1);
	CHECK_EQ(ffp_endpoint_info(w->p, 1, &ei), 0);
	CHECK(!ei.msg_buffers && !ei.msg_unmap_pending);
	CHECK_EQ(w->f.lock_errors, 0);
	world_free(w);
}

/* ffp_host_reset: the host as at ffp_init afterwards (version unlocked
 * and negotiated afresh, no buffers, lanes cleared), present throughout
 * for another CPU; a second reset meanwhile BUSY; never a removal. */
static struct {
	struct world *w;
	int reset;
	uint64_t id_x0;
	struct ffp_endpoint_info info;
} hr;

static void other_cpu_reset(void *arg)
{
	struct ffa_regs r;

	(void)arg;
	hr.reset = ffp_host_reset(hr.w->p);
	CHECK_EQ(ffp_endpoint_info(hr.w->p, 0, &hr.info), 0);
	r = call(hr.w, 1, FFA_ID_GET_32, 0, 0, 0);
	hr.id_x0 = r.x[0];
}

static void test_host_reset(void)
{
	struct world *w = world_new(&fake_ops);
	struct ffp_endpoint_info info;
	struct ffa_regs r;

	/* the old stage: 1.0, locked, buffers mapped */
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_0, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_2);
	r = call(w, 0, FFA_RXTX_MAP_64, page_pa(0), page_pa(1), 1);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(w, 0, FFA_ID_GET_32, 0, 0, 0); /* the lane, once locked */
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(ffp_endpoint_add(w->p, 1), 0);
	CHECK_EQ(ffp_endpoint_info(w->p, 0, &info), 0);
	CHECK(info.version_locked && info.version == FFA_VERSION_1_0);
	CHECK(info.buffers_mapped);
	CHECK_EQ(w->f.state[0], FFP_PAGE_SHARED_PROXY);
	/* 1.2 refused while the old stage's lock holds */
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	CHECK_EQ(r.x[0], (uint32_t)FFA_NOT_SUPPORTED);

	/* another CPU during the reset: the host present, a second reset
	 * BUSY, VMs served */
	hr.w = w;
	w->f.hook = other_cpu_reset;
	w->f.unlock_at = 1;
	CHECK_EQ(ffp_host_reset(w->p), 0);
	CHECK_EQ(w->f.unlock_at, 0);
	CHECK_EQ(hr.reset, FFA_BUSY);
	CHECK(hr.info.present);
	CHECK_EQ(hr.id_x0, FFA_SUCCESS_32);

	CHECK_EQ(ffp_endpoint_info(w->p, 0, &info), 0);
	CHECK(info.present && !info.version_set && !info.version_locked);
	CHECK(!info.buffers_mapped && !info.rx_held);
	CHECK_EQ(w->f.state[0], FFP_PAGE_OWNED);
	CHECK_EQ(w->f.state[1], FFP_PAGE_OWNED);
	/* the next stage: its first call locks the implicit 1.0 (not the
	 * old stage's lanes) */
	r = call(w, 0, FFA_ID_GET_32, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[2], 0);
	CHECK_EQ(ffp_endpoint_info(w->p, 0, &info), 0);
	CHECK(info.version_locked && info.version == FFA_VERSION_1_0);
	/* and after another reset, 1.2 */
	CHECK_EQ(ffp_host_reset(w->p), 0);
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_2);
	r = call(w, 0, FFA_RXTX_MAP_64, page_pa(0), page_pa(1), 1);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(ffp_endpoint_info(w->p, 0, &info), 0);
	CHECK(info.version_locked && info.version == FFA_VERSION_1_2);
	CHECK(info.buffers_mapped);
	/* the VM untouched; the host still never removed */
	CHECK_EQ(ffp_endpoint_info(w->p, 1, &info), 0);
	CHECK(info.present);
	CHECK_EQ(ffp_endpoint_remove(w->p, 0), FFA_INVALID_PARAMETERS);
	CHECK_EQ(w->f.lock_errors, 0);
	world_free(w);
}

int main(void)
{
	RUN(test_host_reset);
	RUN(test_msg_buffers_bad_status);
	RUN(test_msg_buffers_args);
	RUN(test_msg_buffers_overlap);
	RUN(test_init_buffers_inside_mem);
	RUN(test_init_plat_inside_mem);
	RUN(test_init_cfg_inside_mem);
	RUN(test_add_remove_race);
	RUN(test_readme_example);
	RUN(test_views_null_out);
	RUN(test_init_buffers_overlap);
	RUN(test_init_buffers_misaligned);
	RUN(test_config_boundaries);
	RUN(test_ids);
	RUN(test_idle);
	RUN(test_optional_ops_absent);
	RUN(test_two_instances);
	RUN(test_rxtx_undo_failure_logged);
	return test_summary("test_api");
}
