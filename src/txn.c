/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The memory transaction table: one record per transaction a caller has
 * started, holding what reclaim needs to undo (the caller's ranges, not
 * pages), so a reclaim costs one SMC and no retrieve round trip.
 *
 * Records live in a fixed array with a free list; an index sorted by
 * handle gives O(log n) lookups (and O(n) word moves on insert/remove,
 * which happen once per transaction). Ranges live in one pool of
 * max_ranges slots, each transaction's contiguous (so one pass can check,
 * copy and record them, and one platform call can take their pages),
 * reserved in full when the transaction starts: storage grows with
 * constituents, never pages. Reservations are taken at the top of the
 * pool; when the top is reached the live ones are slid down over the
 * holes, which keeps every reservation the budget allows possible.
 */
#include "internal.h"

/* Records, index and range pool, each followed by a redzone (none but in
 * sanitizer builds: internal.h). */
size_t ffp_txn_bytes(const struct ffp_config *cfg)
{
	return (size_t)cfg->max_transactions *
		       (sizeof(struct ffp_txn) + sizeof(struct ffp_txn_index)) +
	       (size_t)cfg->max_ranges * sizeof(ffp_cons16) +
	       3 * (size_t)FFP_REDZONE;
}

void ffp_txn_init(struct ffp_txn_table *t, void *mem,
		  const struct ffp_config *cfg)
{
	uint8_t *cursor = mem;
	uint32_t i;

	t->capacity = cfg->max_transactions;
	t->count = 0;
	t->txns = (struct ffp_txn *)(void *)cursor;
	cursor += sizeof(struct ffp_txn) * t->capacity;
	ffp_poison(cursor, FFP_REDZONE);
	cursor += FFP_REDZONE;
	t->index = (struct ffp_txn_index *)(void *)cursor;
	cursor += sizeof(struct ffp_txn_index) * t->capacity;
	ffp_poison(cursor, FFP_REDZONE);
	cursor += FFP_REDZONE;
	t->ranges = (ffp_cons16 *)(void *)cursor;
	ffp_poison(cursor + (size_t)cfg->max_ranges * sizeof(ffp_cons16),
		   FFP_REDZONE);
	t->range_budget = cfg->max_ranges;
	t->ranges_reserved = 0;
	t->pool_top = 0;
	t->pool_head = t->pool_tail = FFP_NONE;

	for (i = 0; i < t->capacity; i++) {
		t->txns[i].state = FFP_TXN_FREE;
		t->txns[i].next_free = i + 1;
	}
	t->free_txn = t->capacity ? 0 : FFP_NONE;
	if (t->capacity)
		t->txns[t->capacity - 1].next_free = FFP_NONE;
}

/* Slide every reservation down over the holes, in pool order (each
 * moves down or stays, so a forward copy is safe). */
void ffp_txn_pool_compact(struct ffp_txn_table *t)
{
	uint32_t at = 0, i;

	for (i = t->pool_head; i != FFP_NONE; i = t->txns[i].pool_next) {
		struct ffp_txn *x = &t->txns[i];
		uint32_t k;

		if (x->ranges_at != at)
			for (k = 0; k < x->range_count; k++)
				t->ranges[at + k] = t->ranges[x->ranges_at + k];
		x->ranges_at = at;
		at += x->ranges_reserved;
	}
	t->pool_top = at;
}

struct ffp_txn *ffp_txn_find(struct ffp_txn_table *t, uint64_t handle)
{
	return ffp_txn_find_inline(t, handle);
}

struct ffp_txn *ffp_txn_alloc(struct ffp_txn_table *t, uint32_t ranges)
{
	static const struct ffp_txn clean = { 0 };

	return ffp_txn_alloc_inline(t, ranges, &clean);
}


/* ffp_txn_insert() of a handle below the last indexed one: a search and
 * a shift. */
__attribute__((noinline)) int
ffp_txn_insert_sorted(struct ffp_txn_table *t, struct ffp_txn *x,
		      uint64_t handle)
{
	bool found;
	uint32_t pos = ffp_txn_index_search(t, handle, &found), i;

	if (found)
		return -1;
	for (i = t->count; i > pos; i--)
		t->index[i] = t->index[i - 1];
	ffp_txn_index_put(t, x, handle, pos);
	return 0;
}

int ffp_txn_insert(struct ffp_txn_table *t, struct ffp_txn *x, uint64_t handle)
{
	return ffp_txn_insert_inline(t, x, handle);
}

void ffp_txn_free(struct ffp_txn_table *t, struct ffp_txn *x)
{
	ffp_txn_free_inline(t, x);
}
