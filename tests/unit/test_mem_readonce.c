/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The transaction's record is the proxy's private copy of a fragment's
 * constituents: they are read from the caller's TX buffer straight into
 * it (the header into scratch; those a 1.2 caller's first read of the
 * header caught, from scratch), checked there and copied on to the SPMC;
 * or, for a first fragment whose constituents fit in the proxy's TX
 * after the SPMC's header, read there and checked on their way into
 * the record.
 * Proved here with a caller_read that counts the reads of every byte of
 * the caller's TX buffer and, like a caller rewriting its buffer on
 * another CPU, scribbles over each byte once it has been read: every
 * byte must be read exactly once and the transaction still be exactly
 * the descriptor. And a refused share or fragment leaves the other
 * transactions' records and the range pool as they were.
 */
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/mem.h>

#include "sim/simplat.h"
#include "src/internal.h"

#include "check.h"

#define RAM 0x80000000ull
#define TX RAM
#define TX_PAGES 16
#define TX_SIZE (TX_PAGES * FFA_PAGE_SIZE)
#define RX (RAM + TX_SIZE)
#define PAGES (RAM + 0x200000) /* pages being shared */

static const struct simplat_hooks hooks = { 0 };

static struct {
	struct simplat *sp;
	int (*read)(void *ctx, uint16_t ep, uint64_t pa, void *dst,
		    size_t len);
	uint8_t count[TX_SIZE]; /* reads of each byte of the caller's TX */
	unsigned outside;       /* reads elsewhere */
	unsigned calls;         /* caller_read calls */
} rd;

static int counting_read(void *ctx, uint16_t ep, uint64_t pa, void *dst,
			 size_t len)
{
	static uint8_t junk[TX_SIZE];
	int st = rd.read(ctx, ep, pa, dst, len);
	size_t i;

	rd.calls++;
	if (pa < TX || pa - TX > TX_SIZE || len > TX_SIZE - (pa - TX)) {
		rd.outside++;
		return st;
	}
	for (i = 0; i < len; i++)
		rd.count[pa - TX + i]++;
	/* The caller rewrites what was just read: a second read of any of
	 * it, or a look at the caller's buffer instead of the copy, sees
	 * constituents with zero pages and a reserved word set. */
	memset(junk, 0xee, len);
	CHECK_EQ(simmem_write(rd.sp->mem, pa, junk, len), 0);
	return st;
}

/* Each of the first `len` bytes of the caller's TX read exactly once
 * since the last call, nothing else read; then the counts start over. */
static void expect_read_once(uint32_t len, int line)
{
	uint32_t i, bad = 0;

	for (i = 0; i < len; i++)
		bad += rd.count[i] != 1;
	for (; i < TX_SIZE; i++)
		bad += rd.count[i] != 0;
	if (bad || rd.outside) {
		fprintf(stderr,
			"FAIL line %d: %u bytes not read exactly once "
			"(byte 0: %u reads), %u reads elsewhere\n",
			line, bad, rd.count[0], rd.outside);
		check_failed_in_test = 1;
	}
	memset(rd.count, 0, sizeof(rd.count));
	rd.outside = 0;
	rd.calls = 0;
}
#define EXPECT_READ_ONCE(len) expect_read_once(len, __LINE__)

static struct simplat *world(uint32_t caller, uint32_t proxy_pages)
{
	struct simplat *sp = calloc(1, sizeof(*sp));
	struct simplat_config cfg;
	const char *why = NULL;
	struct ffa_regs r;

	CHECK(sp != NULL);
	simplat_config_default(&cfg);
	cfg.host_ram[0].base = RAM;
	cfg.host_ram[0].size = 8 << 20;
	cfg.host_ram_count = 1;
	cfg.parts[0].id = 0x8001;
	cfg.parts[0].exec_ctx = 1;
	cfg.parts[0].props = FFA_PART_PROP_DIRECT_REQ_RECV;
	/* Receivers for descriptors of several EMADs. */
	cfg.parts[1] = cfg.parts[0];
	cfg.parts[1].id = 0x8002;
	cfg.parts[2] = cfg.parts[0];
	cfg.parts[2].id = 0x8003;
	cfg.part_count = 3;
	cfg.hyp_buffer_pages = proxy_pages;
	CHECK_EQ(simplat_init(sp, &cfg, &hooks, &why), 0);
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_VERSION_32;
	r.x[1] = caller;
	CHECK(simplat_call(sp, 0, &r));
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_RXTX_MAP_64;
	r.x[1] = TX;
	r.x[2] = RX;
	r.x[3] = TX_PAGES;
	CHECK(simplat_call(sp, 0, &r));
	CHECK_EQ((uint32_t)r.x[0], FFA_SUCCESS_32);
	/* The proxy keeps a pointer to the platform's operations. */
	rd.sp = sp;
	rd.read = sp->ops.caller_read;
	sp->ops.caller_read = counting_read;
	memset(rd.count, 0, sizeof(rd.count));
	rd.outside = 0;
	rd.calls = 0;
	return sp;
}

static void world_free(struct simplat *sp)
{
	simplat_destroy(sp);
	free(sp);
}

/* `n` one-page constituents from page `first` of PAGES (every other
 * page) at buf + len; the length after them. */
static uint32_t put_ranges(uint8_t *buf, uint32_t len, uint32_t n,
			   uint32_t first)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		ffa_put64(buf + len,
			  PAGES + (uint64_t)(first + 2 * i) * FFA_PAGE_SIZE);
		ffa_put32(buf + len + 8, 1);
		ffa_put32(buf + len + 12, 0);
		len += 16;
	}
	return len;
}

/* A descriptor of `n` one-page constituents from page `first` of PAGES
 * (every other page), in the caller's layout; 0x8001 receives. */
static uint32_t build(uint8_t *buf, uint32_t version, uint32_t type,
		      uint32_t n, uint32_t first)
{
	struct ffa_mem_txn t;
	uint32_t len = 0;

	memset(&t, 0, sizeof(t));
	t.attributes = type == FFA_MEM_TXN_SHARE ? 0x2f : 0;
	t.receiver_count = 1;
	t.receivers[0].id = 0x8001;
	t.receivers[0].perms = FFA_MEM_PERM_RW;
	t.total_pages = n;
	t.range_count = n;
	CHECK_EQ(ffa_mem_emit(version, &t, buf, 1u << 20, &len), 0);
	return put_ranges(buf, len, n, first);
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

/* The record of `handle` holds exactly the `n` constituents at `cons`,
 * and their pages are in state `st`. */
static void expect_record(struct simplat *sp, uint64_t handle,
			  const uint8_t *cons, uint32_t n,
			  enum ffp_page_state st)
{
	struct ffp_txn *x = ffp_txn_find(&sp->proxy->txns, handle);
	struct simmem_page pg;
	uint32_t i;

	CHECK(x != NULL);
	if (!x)
		return;
	CHECK_EQ(x->range_count, n);
	CHECK(memcmp(ffp_txn_ranges(&sp->proxy->txns, x), cons,
		     (size_t)n * 16) == 0);
	for (i = 0; i < n; i++) {
		CHECK_EQ(simmem_page(sp->mem, ffa_get64(cons + 16 * i), &pg),
			 0);
		CHECK_EQ(pg.state, st);
	}
}

/* Shares and lends in one fragment, at every caller layout, with the
 * constituents read into the proxy's TX after the header (they fit
 * there) or into the record and re-fragmented from it (300 do not fit in
 * one page). */
static void test_one_fragment(void)
{
	static uint8_t d[1u << 20];
	static const uint32_t versions[] = { FFA_VERSION_1_0, FFA_VERSION_1_1,
					     FFA_VERSION_1_2 };
	uint32_t v, pages, n;

	for (n = 40; n <= 300; n += 260)
	for (v = 0; v < 3; v++)
		for (pages = 1; pages <= 16; pages += 15) {
			struct simplat *sp = world(versions[v], pages);
			uint32_t len = build(d, versions[v],
					     FFA_MEM_TXN_SHARE, n, 0);
			struct ffa_regs r;
			uint64_t h;

			CHECK_EQ(simmem_write(sp->mem, TX, d, len), 0);
			r = call(sp, FFA_MEM_SHARE_32, len, len, 0);
			CHECK_EQ((uint32_t)r.x[0], FFA_SUCCESS_32);
			EXPECT_READ_ONCE(len);
			h = (uint32_t)r.x[2] | (r.x[3] << 32);
			expect_record(sp, h, d + len - 16 * n, n,
				      FFP_PAGE_SHARED);
			world_free(sp);
		}
}

/* A lend of 600 ranges in 4 KiB fragments, re-fragmented for the SPMC
 * (its header differs in size from the caller's). */
static void test_fragments(void)
{
	static uint8_t d[1u << 20];
	static const uint32_t versions[] = { FFA_VERSION_1_0, FFA_VERSION_1_2 };
	uint32_t v, n = 600;

	for (v = 0; v < 2; v++) {
		struct simplat *sp = world(versions[v], 1);
		uint32_t len = build(d, versions[v], FFA_MEM_TXN_LEND, n, 0);
		uint32_t off = 0, frag;
		struct ffa_regs r;
		uint64_t h = 0;

		for (off = 0; off < len; off += frag) {
			frag = len - off < FFA_PAGE_SIZE ? len - off
							 : FFA_PAGE_SIZE;
			CHECK_EQ(simmem_write(sp->mem, TX, d + off, frag), 0);
			if (off == 0) {
				r = call(sp, FFA_MEM_LEND_32, len, frag, 0);
				h = (uint32_t)r.x[1] | (r.x[2] << 32);
			} else {
				memset(&r, 0, sizeof(r));
				r.x[0] = FFA_MEM_FRAG_TX_32;
				r.x[1] = (uint32_t)h;
				r.x[2] = h >> 32;
				r.x[3] = frag;
				CHECK(simplat_call(sp, 0, &r));
			}
			CHECK_EQ((uint32_t)r.x[0], off + frag == len
							   ? FFA_SUCCESS_32
							   : FFA_MEM_FRAG_RX_32);
			EXPECT_READ_ONCE(frag);
		}
		expect_record(sp, h, d + len - 16 * n, n, FFP_PAGE_LENT);
		world_free(sp);
	}
}

/*
 * A 1.2 caller's descriptor in the layout `layout`: 1.2 (32-byte EMADs)
 * or 1.1 (the 16-byte EMADs a 1.2 caller may still send); `receivers`
 * receivers from 0x8001; the composite `gap` bytes past the EMADs (the
 * bytes between are zero); `n` one-page constituents from page `first`.
 * *cons: where the constituents start.
 */
static uint32_t build_v1_2(uint8_t *buf, uint32_t layout, uint32_t receivers,
			   uint32_t gap, uint32_t n, uint32_t first,
			   uint32_t *cons)
{
	struct ffa_mem_txn t;
	uint32_t len = 0, i, emad_size;

	memset(&t, 0, sizeof(t));
	t.attributes = 0x2f;
	t.receiver_count = receivers;
	for (i = 0; i < receivers; i++) {
		t.receivers[i].id = (uint16_t)(0x8001 + i);
		t.receivers[i].perms = FFA_MEM_PERM_RW;
	}
	t.total_pages = n;
	t.range_count = n;
	CHECK_EQ(ffa_mem_emit(layout, &t, buf, 1u << 20, &len), 0);
	emad_size = ffa_get32(buf + 24);
	if (gap) {
		/* Move the composite header (the last 16 bytes) and point
		 * every EMAD at it. */
		memmove(buf + len - 16 + gap, buf + len - 16, 16);
		memset(buf + len - 16, 0, gap);
		for (i = 0; i < receivers; i++)
			ffa_put32(buf + 48 + i * emad_size + 4, len - 16 + gap);
		len += gap;
	}
	*cons = len;
	return put_ranges(buf, len, n, first);
}

/*
 * A 1.2 caller's first fragment: its usual header (one 32-byte EMAD and
 * the composite, 96 bytes) in one read, and any constituents that read
 * caught (a smaller header) taken from it, not read again. For every
 * header shape: each byte of the fragment read exactly once, none past
 * it, and the record exactly the constituents.
 */
static void test_v1_2_first_read(void)
{
	static uint8_t d[1u << 20];
	static const struct {
		uint32_t layout, receivers, gap, n;
		unsigned reads; /* caller_read calls; 0: not counted */
	} cases[] = {
		{ FFA_VERSION_1_2, 1, 0, 1, 2 },  /* header: one read */
		{ FFA_VERSION_1_2, 1, 0, 40, 2 },
		{ FFA_VERSION_1_2, 3, 0, 5, 3 },  /* 160-byte header */
		{ FFA_VERSION_1_1, 1, 0, 1, 1 },  /* 80: caught the range */
		{ FFA_VERSION_1_1, 1, 0, 3, 2 },  /* caught one of three */
		{ FFA_VERSION_1_1, 3, 0, 2, 3 },  /* 112-byte header */
		{ FFA_VERSION_1_2, 1, 256, 2, 0 }, /* composite far off */
		{ FFA_VERSION_1_2, 2, 4096, 3, 0 },
		{ FFA_VERSION_1_1, 1, 16, 4, 0 }, /* 96: caught none */
		{ FFA_VERSION_1_1, 2, 48, 1, 0 },
	};
	uint32_t i, cons, len;
	bool more = true;

	/* The share path takes the usual header (one 32-byte EMAD, the
	 * composite right after it) as whole without asking the extent:
	 * the extent agrees, for any number of ranges. */
	for (i = 1; i <= 40; i += 39) {
		len = build_v1_2(d, FFA_VERSION_1_2, 1, 0, i, 0, &cons);
		CHECK_EQ(cons, 96u);
		CHECK_EQ(ffa_mem_parse_extent(FFA_VERSION_1_2, d, 96, len,
					      &more),
			 96u);
		CHECK(!more);
	}

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct simplat *sp = world(FFA_VERSION_1_2, 16);
		unsigned reads;
		struct ffa_regs r;
		uint64_t h;

		len = build_v1_2(d, cases[i].layout, cases[i].receivers,
				 cases[i].gap, cases[i].n, 0, &cons);
		CHECK_EQ(simmem_write(sp->mem, TX, d, len), 0);
		r = call(sp, FFA_MEM_SHARE_32, len, len, 0);
		CHECK_EQ((uint32_t)r.x[0], FFA_SUCCESS_32);
		reads = rd.calls;
		EXPECT_READ_ONCE(len);
		if (cases[i].reads)
			CHECK_EQ(reads, cases[i].reads);
		h = (uint32_t)r.x[2] | (r.x[3] << 32);
		expect_record(sp, h, d + cons, cases[i].n, FFP_PAGE_SHARED);
		world_free(sp);
	}
}

/* A 1.2 caller's first fragment shorter than the first read: read to its
 * end and no further; a header alone, its constituents in a FRAG_TX; and
 * one too short for its header, refused with nothing read past it. */
static void test_v1_2_short_fragment(void)
{
	static uint8_t d[1u << 20];
	struct simplat *sp = world(FFA_VERSION_1_2, 16);
	uint32_t cons, len = build_v1_2(d, FFA_VERSION_1_1, 1, 0, 2, 0, &cons);
	struct ffa_regs r;
	uint64_t h;

	/* 80 bytes: the header of 16-byte EMADs alone. */
	CHECK_EQ(cons, 80u);
	CHECK_EQ(simmem_write(sp->mem, TX, d, cons), 0);
	r = call(sp, FFA_MEM_SHARE_32, len, cons, 0);
	CHECK_EQ((uint32_t)r.x[0], FFA_MEM_FRAG_RX_32);
	CHECK_EQ((uint32_t)r.x[3], cons);
	CHECK_EQ(rd.calls, 1u);
	EXPECT_READ_ONCE(cons);
	h = (uint32_t)r.x[1] | (r.x[2] << 32);
	CHECK_EQ(simmem_write(sp->mem, TX, d + cons, len - cons), 0);
	r = call(sp, FFA_MEM_FRAG_TX_32, (uint32_t)h, h >> 32, len - cons);
	CHECK_EQ((uint32_t)r.x[0], FFA_SUCCESS_32);
	EXPECT_READ_ONCE(len - cons);
	expect_record(sp, h, d + cons, 2, FFP_PAGE_SHARED);

	/* 64 bytes of a 96-byte header: refused, 64 bytes read once. */
	len = build_v1_2(d, FFA_VERSION_1_2, 1, 0, 1, 10, &cons);
	CHECK_EQ(simmem_write(sp->mem, TX, d, len), 0);
	r = call(sp, FFA_MEM_SHARE_32, len, 64, 0);
	CHECK_EQ((uint32_t)r.x[0], FFA_ERROR_32);
	CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_INVALID_PARAMETERS);
	EXPECT_READ_ONCE(64);
	world_free(sp);
}

/* What a refused share or fragment must not change: the committed part
 * of the range pool and every record's bookkeeping. */
struct pool_state {
	uint32_t pool_top, ranges_reserved, count, live_ranges;
	uint8_t live[16 * 8];
	uint64_t pages;
};

static struct pool_state pool_snap(struct simplat *sp, uint64_t live)
{
	struct ffp_txn_table *t = &sp->proxy->txns;
	struct ffp_txn *x = ffp_txn_find(t, live);
	struct pool_state s;

	memset(&s, 0, sizeof(s));
	s.pool_top = t->pool_top;
	s.ranges_reserved = t->ranges_reserved;
	s.count = t->count;
	CHECK(x != NULL && x->range_count <= 8);
	if (x) {
		s.live_ranges = x->range_count;
		memcpy(s.live, ffp_txn_ranges(t, x), 16 * (size_t)x->range_count);
	}
	s.pages = simmem_state_digest(sp->mem);
	return s;
}

static void expect_pool(struct simplat *sp, uint64_t live,
			const struct pool_state *before, int line)
{
	struct pool_state now = pool_snap(sp, live);

	if (memcmp(&now, before, sizeof(now)) != 0) {
		fprintf(stderr, "FAIL line %d: the refusal changed the pool\n",
			line);
		check_failed_in_test = 1;
	}
}

static void test_refusals_leave_the_pool(void)
{
	static uint8_t d[1u << 20];
	struct simplat *sp = world(FFA_VERSION_1_1, 16);
	uint32_t len, n = 6, cons;
	struct pool_state before;
	struct ffa_regs r;
	uint64_t live, h;

	/* A live share of 4 ranges at pages 0, 2, 4, 6. */
	len = build(d, FFA_VERSION_1_1, FFA_MEM_TXN_SHARE, 4, 0);
	CHECK_EQ(simmem_write(sp->mem, TX, d, len), 0);
	r = call(sp, FFA_MEM_SHARE_32, len, len, 0);
	CHECK_EQ((uint32_t)r.x[0], FFA_SUCCESS_32);
	live = (uint32_t)r.x[2] | (r.x[3] << 32);
	EXPECT_READ_ONCE(len);
	before = pool_snap(sp, live);

	/* Refused by the checks, at the first and at a later constituent. */
	len = build(d, FFA_VERSION_1_1, FFA_MEM_TXN_LEND, n, 100);
	cons = len - 16 * n;
	ffa_put32(d + cons + 16 * 3 + 8, 0); /* zero pages */
	CHECK_EQ(simmem_write(sp->mem, TX, d, len), 0);
	r = call(sp, FFA_MEM_LEND_32, len, len, 0);
	CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_INVALID_PARAMETERS);
	EXPECT_READ_ONCE(len);
	expect_pool(sp, live, &before, __LINE__);

	/* Out of order and overlapping (the sort after the pass). */
	len = build(d, FFA_VERSION_1_1, FFA_MEM_TXN_LEND, n, 100);
	ffa_put64(d + cons + 16 * 4, PAGES + 100 * FFA_PAGE_SIZE);
	CHECK_EQ(simmem_write(sp->mem, TX, d, len), 0);
	r = call(sp, FFA_MEM_LEND_32, len, len, 0);
	CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_INVALID_PARAMETERS);
	expect_pool(sp, live, &before, __LINE__);

	/* Pages already shared: the page transition refuses. */
	len = build(d, FFA_VERSION_1_1, FFA_MEM_TXN_LEND, n, 2);
	CHECK_EQ(simmem_write(sp->mem, TX, d, len), 0);
	r = call(sp, FFA_MEM_LEND_32, len, len, 0);
	CHECK_EQ((uint32_t)r.x[0], FFA_ERROR_32);
	expect_pool(sp, live, &before, __LINE__);

	/* The constituents cannot be read (the header could). */
	len = build(d, FFA_VERSION_1_1, FFA_MEM_TXN_LEND, n, 100);
	CHECK_EQ(simmem_write(sp->mem, TX, d, len), 0);
	simplat_fault(sp, SIMPLAT_OP_READ, 2, FFA_ABORTED);
	r = call(sp, FFA_MEM_LEND_32, len, len, 0);
	CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_ABORTED);
	expect_pool(sp, live, &before, __LINE__);

	/* A bad continuation ends its transaction: back to before it. */
	len = build(d, FFA_VERSION_1_1, FFA_MEM_TXN_LEND, n, 100);
	CHECK_EQ(simmem_write(sp->mem, TX, d, len - 32), 0);
	r = call(sp, FFA_MEM_LEND_32, len, len - 32, 0);
	CHECK_EQ((uint32_t)r.x[0], FFA_MEM_FRAG_RX_32);
	h = (uint32_t)r.x[1] | (r.x[2] << 32);
	ffa_put32(d + len - 16 + 12, 1); /* reserved word */
	CHECK_EQ(simmem_write(sp->mem, TX, d + len - 32, 32), 0);
	r = call(sp, FFA_MEM_FRAG_TX_32, (uint32_t)h, h >> 32, 32);
	CHECK_EQ((uint32_t)r.x[2], (uint32_t)FFA_INVALID_PARAMETERS);
	expect_pool(sp, live, &before, __LINE__);

	/* And the live one is still whole and reclaimable. */
	r = call(sp, FFA_MEM_RECLAIM_32, (uint32_t)live, live >> 32, 0);
	CHECK_EQ((uint32_t)r.x[0], FFA_SUCCESS_32);
	world_free(sp);
}

int main(void)
{
	RUN(test_one_fragment);
	RUN(test_fragments);
	RUN(test_v1_2_first_read);
	RUN(test_v1_2_short_fragment);
	RUN(test_refusals_leave_the_pool);
	return test_summary("test_mem_readonce");
}
