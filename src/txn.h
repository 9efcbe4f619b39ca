/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* The memory transaction table (txn.c). All of it is guarded by
 * FFP_LOCK_STATE. */
#ifndef FFAPROXY_TXN_H
#define FFAPROXY_TXN_H

#include <ffaproxy/proxy.h>

#define FFP_NONE 0xffffffffu

enum ffp_txn_state {
	FFP_TXN_FREE,
	FFP_TXN_NEW,     /* being set up by the first fragment */
	FFP_TXN_SENDING, /* handle known, more fragments expected */
	FFP_TXN_LIVE,    /* complete at the SPMC, until reclaim */
	FFP_TXN_ORPHAN,  /* owner removed while a partition held it */
};

struct ffp_txn {
	uint64_t handle;
	uint16_t owner;
	uint8_t fn;    /* FFA_FN_MEM_SHARE / LEND / DONATE */
	uint8_t state; /* enum ffp_txn_state */
	bool indexed;
	bool busy;     /* an SMC about it is in flight */
	bool charged;  /* counted in its owner's quota */
	bool spmc_said_done; /* the SPMC answered SUCCESS to some fragment */
	union {
		uint32_t next_free;  /* FREE: the next free record */
		uint32_t index_hint; /* indexed: where it was last seen in
				      * the index (checked before use) */
	};
	/* Its slots in the range pool: [ranges_at, ranges_at +
	 * ranges_reserved), and its neighbours in pool order. */
	uint32_t ranges_at, pool_prev, pool_next;
	uint32_t range_count;     /* ranges stored (and transitioned) */
	uint32_t ranges_reserved; /* the descriptor's address range count */
	/* The composite's total page count, a 32-bit field, and the pages
	 * of the ranges recorded, never above it (take_constituents): 32
	 * bits keep the record at 64 bytes, a shift from its slot. */
	uint32_t pages_expected;
	uint32_t pages_seen;
	/* Fragment accounting, in the caller's and the SPMC's layout. */
	uint32_t caller_total, caller_received;
	uint32_t spmc_total, spmc_sent;
};

_Static_assert(sizeof(struct ffp_txn) == 64,
	       "a record's address from its slot is a shift");

struct ffp_txn_index {
	uint64_t handle;
	uint32_t slot;
	uint32_t reserved;
};

struct ffp_txn_table {
	struct ffp_txn *txns;
	struct ffp_txn_index *index; /* sorted by handle, `count` entries */
	/* Ranges kept as the validated constituent descriptors themselves
	 * (16 bytes, FF-A layout), each transaction's contiguous, so that
	 * they can be handed to page_transition_ranges as they are. */
	ffp_cons16 *ranges;
	uint32_t pool_top, pool_head, pool_tail; /* FFP_NONE: empty */
	uint32_t capacity, count;
	uint32_t free_txn;
	uint32_t range_budget, ranges_reserved;
};

size_t ffp_txn_bytes(const struct ffp_config *cfg);
void ffp_txn_init(struct ffp_txn_table *t, void *mem,
		  const struct ffp_config *cfg);
struct ffp_txn *ffp_txn_find(struct ffp_txn_table *t, uint64_t handle);
/* A record with room for `ranges` ranges, or NULL (NO_MEMORY). The only
 * call that moves reservations (pool_compact); mem.c makes it with
 * BUFFERS held, so a record's room stays put for whoever holds BUFFERS
 * (the caller's constituents are read into it without STATE). */
struct ffp_txn *ffp_txn_alloc(struct ffp_txn_table *t, uint32_t ranges);
/* Index it under `handle`; -1 if the handle is already there. */
int ffp_txn_insert(struct ffp_txn_table *t, struct ffp_txn *x, uint64_t handle);
void ffp_txn_free(struct ffp_txn_table *t, struct ffp_txn *x);

/* The rare cases of the two below, out of line (txn.c). */
void ffp_txn_pool_compact(struct ffp_txn_table *t);
int ffp_txn_insert_sorted(struct ffp_txn_table *t, struct ffp_txn *x,
			  uint64_t handle);

/* ffp_txn_alloc(), inline for the share path (one per share), the
 * record written whole from `init` (its fields but the state and the
 * pool's, which this sets), so that its constant bytes are stored
 * together: the compaction the pool rarely needs stays out of line. */
static inline struct ffp_txn *
ffp_txn_alloc_inline(struct ffp_txn_table *t, uint32_t ranges,
		     const struct ffp_txn *init)
{
	struct ffp_txn *x;
	uint32_t slot = t->free_txn;

	if (slot == FFP_NONE || ranges > t->range_budget - t->ranges_reserved)
		return NULL;
	/* The live reservations fit in the budget with this one, so once
	 * slid together there is room above them. */
	if (ranges > t->range_budget - t->pool_top)
		ffp_txn_pool_compact(t);
	x = &t->txns[slot];
	t->free_txn = x->next_free;
	*x = *init;
	x->state = FFP_TXN_NEW;
	x->ranges_at = t->pool_top;
	x->ranges_reserved = ranges;
	x->pool_prev = t->pool_tail;
	x->pool_next = FFP_NONE;
	if (t->pool_tail == FFP_NONE)
		t->pool_head = slot;
	else
		t->txns[t->pool_tail].pool_next = slot;
	t->pool_tail = slot;
	t->pool_top += ranges;
	t->ranges_reserved += ranges;
	return x;
}

/* Position of `handle` in the index, or where it would go. */
static inline uint32_t ffp_txn_index_search(const struct ffp_txn_table *t,
					    uint64_t handle, bool *found)
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

/* ffp_txn_find(), inline for reclaim and FRAG_TX (one per call). */
static inline struct ffp_txn *ffp_txn_find_inline(struct ffp_txn_table *t,
						  uint64_t handle)
{
	bool found;
	uint32_t pos = ffp_txn_index_search(t, handle, &found);
	struct ffp_txn *x;

	if (!found)
		return NULL;
	x = &t->txns[t->index[pos].slot];
	x->index_hint = pos;
	return x;
}

/* Index x under `handle` at `pos`. */
static inline void ffp_txn_index_put(struct ffp_txn_table *t,
				     struct ffp_txn *x, uint64_t handle,
				     uint32_t pos)
{
	t->index[pos].handle = handle;
	t->index[pos].slot = (uint32_t)(x - t->txns);
	t->count++;
	x->handle = handle;
	x->indexed = true;
	x->index_hint = pos;
}

/* ffp_txn_insert(), inline for the share path: SPMCs hand out handles
 * in ascending order, so the usual place is the end; below the last
 * indexed handle, a search and a shift out of line. */
static inline int ffp_txn_insert_inline(struct ffp_txn_table *t,
					struct ffp_txn *x, uint64_t handle)
{
	uint32_t n = t->count;

	if (n && t->index[n - 1].handle >= handle)
		return ffp_txn_insert_sorted(t, x, handle);
	ffp_txn_index_put(t, x, handle, n);
	return 0;
}

/* Give back its reservation and the record itself. Not in the index. */
static inline void ffp_txn_release_slot(struct ffp_txn_table *t,
					struct ffp_txn *x)
{
	uint32_t slot = (uint32_t)(x - t->txns);

	if (x->pool_prev == FFP_NONE)
		t->pool_head = x->pool_next;
	else
		t->txns[x->pool_prev].pool_next = x->pool_next;
	if (x->pool_next == FFP_NONE) {
		const struct ffp_txn *prev = x->pool_prev == FFP_NONE
						     ? NULL
						     : &t->txns[x->pool_prev];

		/* The top reservation: the top comes down to the next. */
		t->pool_tail = x->pool_prev;
		t->pool_top = prev ? prev->ranges_at + prev->ranges_reserved
				   : 0;
	} else {
		t->txns[x->pool_next].pool_prev = x->pool_prev;
	}
	t->ranges_reserved -= x->ranges_reserved;
	x->state = FFP_TXN_FREE;
	x->next_free = t->free_txn;
	t->free_txn = slot;
}

/* ffp_txn_free(), inline for reclaim (one per reclaim). */
static inline __attribute__((always_inline)) void
ffp_txn_free_inline(struct ffp_txn_table *t, struct ffp_txn *x)
{
	if (x->indexed) {
		uint32_t slot = (uint32_t)(x - t->txns), pos = x->index_hint, i;
		bool found = true;

		/* The hint is right unless the index moved since: one
		 * comparison instead of a search. */
		if (pos >= t->count || t->index[pos].slot != slot)
			pos = ffp_txn_index_search(t, x->handle, &found);
		if (found) {
			for (i = pos; i + 1 < t->count; i++)
				t->index[i] = t->index[i + 1];
			t->count--;
		}
	}
	ffp_txn_release_slot(t, x);
}

/* x's recorded ranges: range_count constituents, 16 bytes each. */
static inline uint8_t *ffp_txn_ranges(const struct ffp_txn_table *t,
				      const struct ffp_txn *x)
{
	return (uint8_t *)&t->ranges[x->ranges_at];
}
/* Ranges are recorded by writing them after the last one (room for
 * ranges_reserved - range_count) and committing them; forgetting the
 * ranges from number `keep` on undoes a fragment. */
static inline void ffp_txn_commit_ranges(struct ffp_txn *x, uint32_t k)
{
	x->range_count += k;
}
static inline void ffp_txn_drop_ranges_from(struct ffp_txn *x, uint32_t keep)
{
	if (keep < x->range_count)
		x->range_count = keep;
}

#endif /* FFAPROXY_TXN_H */
