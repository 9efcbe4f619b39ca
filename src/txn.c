/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The memory transaction table: one record per transaction a caller has
 * started, holding what reclaim needs to undo (the caller's ranges, not
 * pages), so a reclaim costs one SMC and no retrieve round trip.
 *
 * Records live in a fixed array with a free list; an index sorted by
 * handle gives O(log n) lookups (and O(n) word moves on insert/remove,
 * which happen once per transaction). Ranges live in fixed-size chunks
 * from a shared pool, so storage grows with constituents, never pages,
 * and no transaction needs contiguous space.
 */
#include "internal.h"

size_t ffp_txn_bytes(const struct ffp_config *cfg)
{
	uint64_t chunks = ffp_txn_chunk_count(cfg);

	return (size_t)cfg->max_transactions *
		       (sizeof(struct ffp_txn) + sizeof(struct ffp_txn_index)) +
	       (size_t)chunks * sizeof(struct ffp_range_chunk);
}

uint32_t ffp_txn_chunk_count(const struct ffp_config *cfg)
{
	/* Every transaction may waste part of one chunk. */
	return cfg->max_transactions +
	       (cfg->max_ranges + FFP_RANGES_PER_CHUNK - 1) /
		       FFP_RANGES_PER_CHUNK;
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
	t->index = (struct ffp_txn_index *)(void *)cursor;
	cursor += sizeof(struct ffp_txn_index) * t->capacity;
	t->chunks = (struct ffp_range_chunk *)(void *)cursor;
	t->chunk_count = ffp_txn_chunk_count(cfg);
	t->range_budget = cfg->max_ranges;
	t->ranges_reserved = 0;

	for (i = 0; i < t->capacity; i++) {
		t->txns[i].state = FFP_TXN_FREE;
		t->txns[i].next_free = i + 1;
	}
	t->free_txn = t->capacity ? 0 : FFP_NONE;
	if (t->capacity)
		t->txns[t->capacity - 1].next_free = FFP_NONE;
	for (i = 0; i < t->chunk_count; i++)
		t->chunks[i].next = i + 1 < t->chunk_count ? i + 1 : FFP_NONE;
	t->free_chunk = t->chunk_count ? 0 : FFP_NONE;
}

/* Position of `handle` in the index, or where it would go. */
static uint32_t index_search(const struct ffp_txn_table *t, uint64_t handle,
			     bool *found)
{
	uint32_t lo = 0, hi = t->count;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (t->index[mid].handle < handle)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < t->count && t->index[lo].handle == handle;
	return lo;
}

struct ffp_txn *ffp_txn_find(struct ffp_txn_table *t, uint64_t handle)
{
	bool found;
	uint32_t pos = index_search(t, handle, &found);

	return found ? &t->txns[t->index[pos].slot] : NULL;
}

struct ffp_txn *ffp_txn_alloc(struct ffp_txn_table *t, uint32_t ranges)
{
	struct ffp_txn *x;
	uint32_t slot = t->free_txn;

	if (slot == FFP_NONE || ranges > t->range_budget - t->ranges_reserved)
		return NULL;
	x = &t->txns[slot];
	t->free_txn = x->next_free;
	ffp_memset(x, 0, sizeof(*x));
	x->state = FFP_TXN_NEW;
	x->first_chunk = x->last_chunk = FFP_NONE;
	x->ranges_reserved = ranges;
	t->ranges_reserved += ranges;
	return x;
}

/* Give back every chunk and the record itself. Not in the index. */
static void txn_release(struct ffp_txn_table *t, struct ffp_txn *x)
{
	uint32_t c = x->first_chunk;

	while (c != FFP_NONE) {
		uint32_t next = t->chunks[c].next;

		t->chunks[c].next = t->free_chunk;
		t->free_chunk = c;
		c = next;
	}
	t->ranges_reserved -= x->ranges_reserved;
	x->state = FFP_TXN_FREE;
	x->next_free = t->free_txn;
	t->free_txn = (uint32_t)(x - t->txns);
}

int ffp_txn_insert(struct ffp_txn_table *t, struct ffp_txn *x, uint64_t handle)
{
	bool found;
	uint32_t pos = index_search(t, handle, &found), i;

	if (found)
		return -1;
	for (i = t->count; i > pos; i--)
		t->index[i] = t->index[i - 1];
	t->index[pos].handle = handle;
	t->index[pos].slot = (uint32_t)(x - t->txns);
	t->count++;
	x->handle = handle;
	x->indexed = true;
	return 0;
}

void ffp_txn_free(struct ffp_txn_table *t, struct ffp_txn *x)
{
	if (x->indexed) {
		bool found;
		uint32_t pos = index_search(t, x->handle, &found), i;

		if (found) {
			for (i = pos; i + 1 < t->count; i++)
				t->index[i] = t->index[i + 1];
			t->count--;
		}
	}
	txn_release(t, x);
}

int ffp_txn_add_ranges(struct ffp_txn_table *t, struct ffp_txn *x,
		       const uint8_t *cons, uint32_t n)
{
	const ffp_cons16 *src = (const ffp_cons16 *)(const void *)cons;
	uint32_t keep = x->range_count;

	if (n > x->ranges_reserved - x->range_count)
		return -1;
	while (n) {
		struct ffp_range_chunk *ch;
		ffp_cons16 *dst;
		uint32_t k, i;

		if (x->last_chunk == FFP_NONE ||
		    t->chunks[x->last_chunk].count == FFP_RANGES_PER_CHUNK) {
			uint32_t c = t->free_chunk;

			if (c == FFP_NONE) {
				ffp_txn_drop_ranges_from(t, x, keep);
				return -1;
			}
			t->free_chunk = t->chunks[c].next;
			t->chunks[c].next = FFP_NONE;
			t->chunks[c].count = 0;
			if (x->last_chunk == FFP_NONE)
				x->first_chunk = c;
			else
				t->chunks[x->last_chunk].next = c;
			x->last_chunk = c;
		}
		ch = &t->chunks[x->last_chunk];
		k = ffp_min_u32(n, FFP_RANGES_PER_CHUNK - ch->count);
		dst = &ch->cons[ch->count];
		for (i = 0; i < k; i++)
			dst[i] = src[i];
		src += k;
		ch->count += k;
		x->range_count += k;
		n -= k;
	}
	return 0;
}

void ffp_txn_drop_ranges_from(struct ffp_txn_table *t, struct ffp_txn *x,
			      uint32_t keep)
{
	uint32_t c = x->first_chunk, seen = 0, prev = FFP_NONE;

	if (keep >= x->range_count)
		return;
	/* Walk to the chunk holding range `keep`, trim it, free the rest. */
	while (c != FFP_NONE && seen + t->chunks[c].count <= keep) {
		seen += t->chunks[c].count;
		prev = c;
		c = t->chunks[c].next;
	}
	if (c != FFP_NONE && keep > seen) {
		t->chunks[c].count = keep - seen;
		prev = c;
		c = t->chunks[c].next;
	}
	if (prev == FFP_NONE)
		x->first_chunk = FFP_NONE;
	else
		t->chunks[prev].next = FFP_NONE;
	x->last_chunk = prev;
	while (c != FFP_NONE) {
		uint32_t next = t->chunks[c].next;

		t->chunks[c].next = t->free_chunk;
		t->free_chunk = c;
		c = next;
	}
	x->range_count = keep;
}

const uint8_t *ffp_txn_next_run(const struct ffp_txn_table *t,
				uint32_t *chunk, uint32_t *count)
{
	const struct ffp_range_chunk *ch;

	while (*chunk != FFP_NONE && t->chunks[*chunk].count == 0)
		*chunk = t->chunks[*chunk].next;
	if (*chunk == FFP_NONE)
		return NULL;
	ch = &t->chunks[*chunk];
	*count = ch->count;
	*chunk = ch->next;
	return (const uint8_t *)ch->cons;
}
