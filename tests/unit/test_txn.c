/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* The transaction table: sorted index, free lists, range chunks. */
#include <stdlib.h>
#include <string.h>

#include "src/internal.h"

#include "check.h"

static struct ffp_txn_table *table_new(uint32_t txns, uint32_t ranges)
{
	struct ffp_config cfg;
	struct ffp_txn_table *t = calloc(1, sizeof(*t));

	ffp_config_default(&cfg);
	cfg.max_transactions = txns;
	cfg.max_ranges = ranges;
	ffp_txn_init(t, calloc(1, ffp_txn_bytes(&cfg)), &cfg);
	return t;
}

static void table_free(struct ffp_txn_table *t)
{
	free(t->txns);
	free(t);
}

static void test_many_handles(void)
{
	enum { N = 10000 };
	struct ffp_txn_table *t = table_new(N, N);
	uint64_t h;
	uint32_t i;

	for (i = 0; i < N; i++) {
		struct ffp_txn *x = ffp_txn_alloc(t, 1);

		CHECK(x != NULL);
		if (!x)
			break;
		/* a permutation of handles, not in order */
		h = ((uint64_t)i * 7919u) % N * 3 + 1;
		CHECK_EQ(ffp_txn_insert(t, x, h), 0);
		x->owner = (uint16_t)i;
	}
	CHECK(ffp_txn_alloc(t, 1) == NULL); /* table full */
	CHECK_EQ(t->count, N);
	for (i = 0; i + 1 < t->count; i++)
		CHECK(t->index[i].handle < t->index[i + 1].handle);
	for (i = 0; i < N; i += 97) {
		struct ffp_txn *x;

		h = ((uint64_t)i * 7919u) % N * 3 + 1;
		x = ffp_txn_find(t, h);
		CHECK(x != NULL && x->owner == (uint16_t)i);
		CHECK(ffp_txn_find(t, h + 1) == NULL);
	}
	/* a duplicate handle is refused */
	for (i = 0; i < N; i += 2) {
		h = ((uint64_t)i * 7919u) % N * 3 + 1;
		ffp_txn_free(t, ffp_txn_find(t, h));
	}
	CHECK_EQ(t->count, N / 2);
	{
		struct ffp_txn *x = ffp_txn_alloc(t, 1);

		CHECK(x != NULL);
		h = ((uint64_t)1 * 7919u) % N * 3 + 1; /* i = 1 is still live */
		CHECK_EQ(ffp_txn_insert(t, x, h), -1);
		ffp_txn_free(t, x);
	}
	CHECK_EQ(t->count, N / 2);
	table_free(t);
}

static void put_cons(uint8_t *c, uint32_t i)
{
	ffa_put64(c + 16 * (size_t)i, 0x1000ull * i);
	ffa_put32(c + 16 * (size_t)i + 8, i + 1);
	ffa_put32(c + 16 * (size_t)i + 12, 0);
}

/* Record constituents first..first+n-1 of put_cons after x's last one,
 * as the share path does. */
static void record(struct ffp_txn_table *t, struct ffp_txn *x,
		   uint32_t first, uint32_t n)
{
	uint8_t *at = ffp_txn_ranges(t, x) + 16 * (size_t)x->range_count;
	uint32_t i;

	CHECK(n <= x->ranges_reserved - x->range_count);
	for (i = 0; i < n; i++)
		put_cons(at - 16 * (size_t)first, first + i);
	ffp_txn_commit_ranges(x, n);
}

/* x's recorded ranges are constituents first.. of put_cons, in order. */
static void check_ranges(const struct ffp_txn_table *t,
			 const struct ffp_txn *x, uint32_t first)
{
	const uint8_t *r = ffp_txn_ranges(t, x);
	uint32_t j;

	for (j = 0; j < x->range_count; j++) {
		CHECK_EQ(ffa_get64(r + 16 * j), 0x1000ull * (first + j));
		CHECK_EQ(ffa_get32(r + 16 * j + 8), first + j + 1);
	}
}

static void test_ranges(void)
{
	struct ffp_txn_table *t = table_new(4, 40);
	struct ffp_txn *x = ffp_txn_alloc(t, 25), *y;

	CHECK(x != NULL);
	CHECK(ffp_txn_alloc(t, 16) == NULL); /* 25 + 16 > 40 ranges */
	record(t, x, 0, 7);
	record(t, x, 7, 11);
	record(t, x, 18, 7);
	CHECK_EQ(x->range_count, 25);
	check_ranges(t, x, 0);
	/* undo a fragment: keep 12 */
	ffp_txn_drop_ranges_from(x, 12);
	CHECK_EQ(x->range_count, 12);
	check_ranges(t, x, 0);
	ffp_txn_drop_ranges_from(x, 20); /* never grows */
	CHECK_EQ(x->range_count, 12);
	record(t, x, 12, 13);
	check_ranges(t, x, 0);
	y = ffp_txn_alloc(t, 15);
	CHECK(y != NULL);
	CHECK_EQ(t->ranges_reserved, 40);
	ffp_txn_free(t, x);
	ffp_txn_free(t, y);
	CHECK_EQ(t->ranges_reserved, 0);
	CHECK_EQ(t->pool_top, 0);
	table_free(t);
}

/* Holes left by freed transactions are closed when the top is reached:
 * every reservation within the budget succeeds and live ranges keep
 * their contents. */
static void test_pool_compaction(void)
{
	struct ffp_txn_table *t = table_new(8, 40);
	struct ffp_txn *a = ffp_txn_alloc(t, 10), *b = ffp_txn_alloc(t, 10);
	struct ffp_txn *c = ffp_txn_alloc(t, 10), *d, *e;

	CHECK(a && b && c);
	record(t, a, 100, 10);
	record(t, b, 200, 10);
	record(t, c, 300, 6); /* part of its reservation */
	ffp_txn_free(t, b);   /* a hole in the middle */
	CHECK_EQ(t->pool_top, 30);
	d = ffp_txn_alloc(t, 20); /* needs the hole */
	CHECK(d != NULL);
	CHECK_EQ(c->ranges_at, 10);
	CHECK_EQ(d->ranges_at, 20);
	check_ranges(t, a, 100);
	check_ranges(t, c, 300);
	record(t, d, 400, 20);
	CHECK(ffp_txn_alloc(t, 1) == NULL); /* budget used up */
	ffp_txn_free(t, a); /* a hole at the bottom */
	e = ffp_txn_alloc(t, 10);
	CHECK(e != NULL);
	CHECK_EQ(c->ranges_at, 0);
	CHECK_EQ(d->ranges_at, 10);
	CHECK_EQ(e->ranges_at, 30);
	check_ranges(t, c, 300);
	check_ranges(t, d, 400);
	ffp_txn_free(t, e); /* the top one: the top comes down */
	CHECK_EQ(t->pool_top, 30);
	ffp_txn_free(t, c);
	CHECK_EQ(t->pool_top, 30);
	ffp_txn_free(t, d);
	CHECK_EQ(t->pool_top, 0);
	CHECK_EQ(t->pool_head, FFP_NONE);
	table_free(t);
}

/* ffp_txn_init writes the records' free list and nothing past the last
 * record: the index and the range pool after them (past the redzones of
 * a sanitizer build, which are not read here) are left as they were. */
static void test_init_bounds(void)
{
	enum { N = 5, RANGES = 8 };
	struct ffp_config cfg;
	struct ffp_txn_table t;
	size_t bytes, recs = (size_t)N * sizeof(struct ffp_txn), i;
	uint8_t *mem;
	uint32_t k;

	ffp_config_default(&cfg);
	cfg.max_transactions = N;
	cfg.max_ranges = RANGES;
	bytes = ffp_txn_bytes(&cfg);
	mem = malloc(bytes);
	CHECK(mem != NULL);
	if (!mem)
		return;
	memset(mem, 0xa5, bytes);
	ffp_txn_init(&t, mem, &cfg);
	CHECK_EQ(t.capacity, N);
	for (k = 0; k < N; k++) {
		CHECK_EQ(t.txns[k].state, FFP_TXN_FREE);
		CHECK_EQ(t.txns[k].next_free, k + 1 < N ? k + 1 : FFP_NONE);
	}
	CHECK_EQ(t.free_txn, 0);
	/* the index: right after the records' redzone */
	for (i = 0; i < (size_t)N * sizeof(struct ffp_txn_index); i++)
		if (mem[recs + FFP_REDZONE + i] != 0xa5)
			break;
	CHECK_EQ(i, (size_t)N * sizeof(struct ffp_txn_index));
	/* the range pool: after the index's redzone */
	for (i = 0; i < (size_t)RANGES * sizeof(ffp_cons16); i++)
		if (((const uint8_t *)t.ranges)[i] != 0xa5)
			break;
	CHECK_EQ(i, (size_t)RANGES * sizeof(ffp_cons16));
	free(mem);
}

int main(void)
{
	RUN(test_init_bounds);
	RUN(test_many_handles);
	RUN(test_ranges);
	RUN(test_pool_compaction);
	return test_summary("test_txn");
}
