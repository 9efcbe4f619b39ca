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

static void test_ranges(void)
{
	struct ffp_txn_table *t = table_new(4, 40);
	struct ffp_txn *x = ffp_txn_alloc(t, 25), *y;
	uint32_t chunk, pos, pages, i, free_before;
	uint64_t base;

	CHECK(x != NULL);
	CHECK(ffp_txn_alloc(t, 16) == NULL); /* 25 + 16 > 40 ranges */
	for (i = 0; i < 25; i++)
		CHECK_EQ(ffp_txn_add_range(t, x, 0x1000ull * i, i + 1), 0);
	CHECK_EQ(ffp_txn_add_range(t, x, 0, 1), -1); /* beyond its count */
	chunk = x->first_chunk;
	pos = 0;
	for (i = 0; ffp_txn_range_at(t, &chunk, &pos, &base, &pages); i++) {
		CHECK_EQ(base, 0x1000ull * i);
		CHECK_EQ(pages, i + 1);
	}
	CHECK_EQ(i, 25);
	/* undo a fragment: keep 12 */
	ffp_txn_drop_ranges_from(t, x, 12);
	CHECK_EQ(x->range_count, 12);
	chunk = x->first_chunk;
	pos = 0;
	for (i = 0; ffp_txn_range_at(t, &chunk, &pos, &base, &pages); i++)
		CHECK_EQ(pages, i + 1);
	CHECK_EQ(i, 12);
	CHECK_EQ(ffp_txn_add_range(t, x, 0x99000, 7), 0);
	ffp_txn_drop_ranges_from(t, x, 0);
	CHECK_EQ(x->first_chunk, FFP_NONE);
	CHECK_EQ(ffp_txn_add_range(t, x, 0x5000, 2), 0);
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

int main(void)
{
	RUN(test_many_handles);
	RUN(test_ranges);
	return test_summary("test_txn");
}
