/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* The transaction table: sorted index, free lists, range chunks. */
#include <stdlib.h>

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

/* Every recorded range, in order, is constituent i of put_cons. */
static uint32_t check_runs(const struct ffp_txn_table *t,
			   const struct ffp_txn *x)
{
	uint32_t chunk = x->first_chunk, n, i = 0, j;
	const uint8_t *run;

	while ((run = ffp_txn_next_run(t, &chunk, &n)) != NULL)
		for (j = 0; j < n; j++, i++) {
			CHECK_EQ(ffa_get64(run + 16 * j), 0x1000ull * i);
			CHECK_EQ(ffa_get32(run + 16 * j + 8), i + 1);
		}
	return i;
}

static void test_ranges(void)
{
	struct ffp_txn_table *t = table_new(4, 40);
	struct ffp_txn *x = ffp_txn_alloc(t, 25), *y;
	uint8_t cons[26 * 16];
	uint32_t chunk, i, free_before;

	for (i = 0; i < 26; i++)
		put_cons(cons, i);
	CHECK(x != NULL);
	CHECK(ffp_txn_alloc(t, 16) == NULL); /* 25 + 16 > 40 ranges */
	/* Batches that straddle chunk boundaries. */
	CHECK_EQ(ffp_txn_add_ranges(t, x, cons, 7), 0);
	CHECK_EQ(ffp_txn_add_ranges(t, x, cons + 7 * 16, 11), 0);
	CHECK_EQ(ffp_txn_add_ranges(t, x, cons + 18 * 16, 8), -1); /* 26 > 25 */
	CHECK_EQ(x->range_count, 18);
	CHECK_EQ(ffp_txn_add_ranges(t, x, cons + 18 * 16, 7), 0);
	CHECK_EQ(ffp_txn_add_ranges(t, x, cons, 1), -1); /* beyond its count */
	CHECK_EQ(check_runs(t, x), 25);
	/* undo a fragment: keep 12 */
	ffp_txn_drop_ranges_from(t, x, 12);
	CHECK_EQ(x->range_count, 12);
	CHECK_EQ(check_runs(t, x), 12);
	CHECK_EQ(ffp_txn_add_ranges(t, x, cons + 12 * 16, 13), 0);
	CHECK_EQ(check_runs(t, x), 25);
	ffp_txn_drop_ranges_from(t, x, 0);
	CHECK_EQ(x->first_chunk, FFP_NONE);
	CHECK_EQ(check_runs(t, x), 0);
	CHECK_EQ(ffp_txn_add_ranges(t, x, cons, 2), 0);
	free_before = t->ranges_reserved;
	y = ffp_txn_alloc(t, 15);
	CHECK(y != NULL);
	ffp_txn_free(t, x);
	ffp_txn_free(t, y);
	CHECK_EQ(t->ranges_reserved, 0);
	CHECK(free_before == 25);
	/* every chunk is back on the free list */
	for (i = 0, chunk = t->free_chunk; chunk != FFP_NONE;
	     chunk = t->chunks[chunk].next)
		i++;
	CHECK_EQ(i, t->chunk_count);
	table_free(t);
}

/* The chunk pool running dry mid-batch records nothing of the batch. */
static void test_ranges_pool_dry(void)
{
	struct ffp_txn_table *t = table_new(4, 40);
	struct ffp_txn *x = ffp_txn_alloc(t, 40);
	uint8_t cons[40 * 16];
	uint32_t i, taken = 0;

	for (i = 0; i < 40; i++)
		put_cons(cons, i);
	CHECK(x != NULL);
	CHECK_EQ(ffp_txn_add_ranges(t, x, cons, 3), 0);
	/* Leave exactly one free chunk: the next batch needs two. */
	while (t->free_chunk != FFP_NONE &&
	       t->chunks[t->free_chunk].next != FFP_NONE) {
		t->free_chunk = t->chunks[t->free_chunk].next;
		taken++;
	}
	CHECK(taken > 0);
	CHECK_EQ(ffp_txn_add_ranges(t, x, cons + 3 * 16,
				    2 * FFP_RANGES_PER_CHUNK - 2),
		 -1);
	CHECK_EQ(x->range_count, 3);
	CHECK_EQ(check_runs(t, x), 3);
	CHECK(t->free_chunk != FFP_NONE); /* the chunk it took came back */
	table_free(t);
}

int main(void)
{
	RUN(test_many_handles);
	RUN(test_ranges);
	RUN(test_ranges_pool_dry);
	return test_summary("test_txn");
}
