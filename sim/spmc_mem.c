/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The SPMC model's memory management: FFA_MEM_SHARE/LEND/DONATE with
 * fragments, reclaim, the partitions' retrieve/relinquish, and the answer
 * to a hypervisor's FFA_MEM_RETRIEVE_REQ.
 *
 * Descriptors are parsed strictly in the layout of the version negotiated
 * with the normal world (ffa-facts section 5). Every byte of the TX buffer
 * is read once, into a local copy, then validated: header, each EMAD, the
 * composite header, then constituents in chunks. Arithmetic on offsets
 * and lengths is done in uint64_t after checking bounds.
 *
 * Rules follow DEN0077A and what Hafnium's ffa_memory_send_validate
 * enforces (facts only, no code taken). A refused descriptor leaves no
 * transaction behind; a refused later fragment aborts its transaction.
 * With SPMC_CHECK_LAST, constituents are checked only when the last
 * fragment arrives (spmc.h).
 */
#include "sim/spmc.h"

#define HDR_SIZE_V1_0 32u
#define HDR_SIZE_V1_1 48u
#define EMAD_SIZE_V1_0 16u /* also 1.1 */
#define EMAD_SIZE_V1_2 32u
#define COMPOSITE_SIZE 16u
#define CONSTITUENT_SIZE 16u

/* Permissions (EMAD byte 2): data access [1:0], instruction [3:2]. */
#define PERM_DATA(p) ((p) & 3u)
#define PERM_INSTR(p) (((p) >> 2) & 3u)
#define PERM_DATA_NONE 0u
#define PERM_DATA_RO 1u
#define PERM_RESERVED 3u
#define EMAD_FLAG_NON_RETRIEVAL 0x1u

/* Attributes: type [5:4], cacheability/device [3:2], shareability [1:0],
 * NS [6] (1.1+, responses only). */
#define ATTR_TYPE(a) (((a) >> 4) & 3u)
#define ATTR_TYPE_NONE 0u
#define ATTR_TYPE_DEVICE 1u
#define ATTR_TYPE_NORMAL 2u
#define ATTR_CACHE(a) (((a) >> 2) & 3u)
#define ATTR_SHARE(a) ((a) & 3u)

/* Transaction flags of SHARE/LEND/DONATE: bit0 zero memory (not for
 * share), bit1 time slicing; the rest MBZ. */
#define MEM_FLAG_ZERO 0x1u
#define MEM_FLAG_TIME_SLICE 0x2u
/* Retrieve response flags [4:3]: transaction type. */
#define RESP_FLAG_TYPE_SHIFT 3

#define RECLAIM_FLAGS_VALID 0x3u

static uint32_t hdr_size(uint32_t v)
{
	return v >= FFA_VERSION_1_1 ? HDR_SIZE_V1_1 : HDR_SIZE_V1_0;
}

static uint32_t emad_size(uint32_t v)
{
	return v >= FFA_VERSION_1_2 ? EMAD_SIZE_V1_2 : EMAD_SIZE_V1_0;
}

static uint64_t tx_size(const struct spmc *s)
{
	return (uint64_t)s->rxtx_pages * FFA_PAGE_SIZE;
}

static bool all_zero(const uint8_t *p, uint32_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static void copy_bytes(uint8_t *dst, const uint8_t *src, uint32_t n)
{
	while (n--)
		*dst++ = *src++;
}

static void zero_bytes(uint8_t *dst, uint32_t n)
{
	while (n--)
		*dst++ = 0;
}

/* Read [off, off + len) of the TX buffer; the caller has bounded it. */
static int32_t tx_read(struct spmc *s, uint64_t off, void *dst, uint32_t len)
{
	if (s->mem->read(s->mem_ctx, s->tx_pa + off, dst, len))
		return FFA_ABORTED;
	return 0;
}

/* ---- Transaction store */

uint32_t spmc_transaction_count(const struct spmc *s)
{
	uint32_t i, n = 0;

	for (i = 0; i < SPMC_MAX_TXNS; i++)
		n += s->txns[i].used;
	return n;
}

static struct spmc_txn *find_txn(struct spmc *s, uint64_t handle)
{
	uint32_t i;

	for (i = 0; i < SPMC_MAX_TXNS; i++)
		if (s->txns[i].used && s->txns[i].handle == handle)
			return &s->txns[i];
	return NULL;
}

const struct spmc_txn *spmc_find_transaction(const struct spmc *s,
					     uint64_t handle)
{
	return find_txn((struct spmc *)s, handle);
}

/* Handles: bit 63 clear (SPMC-allocated), never all-ones; unique because
 * the counter sits in the high word, and the low word varies too so a
 * proxy that drops either half is caught. */
static uint64_t next_handle(struct spmc *s)
{
	uint32_t n = ++s->handle_counter & 0x7fffffffu;

	return ((uint64_t)n << 32) | (uint32_t)(n * 0x9e3779b1u);
}

/* Free a record and close the gap its ranges leave in the pool. */
static void txn_free(struct spmc *s, struct spmc_txn *t)
{
	uint32_t first = t->range_first, n = t->range_count, i;

	for (i = first; i + n < s->ranges_used; i++)
		s->ranges[i] = s->ranges[i + n];
	s->ranges_used -= n;
	for (i = 0; i < SPMC_MAX_TXNS; i++)
		if (s->txns[i].used && s->txns[i].range_first > first)
			s->txns[i].range_first -= n;
	t->used = false;
}

/* ---- Descriptor parsing */

static bool ranges_overlap(uint64_t a, uint64_t a_len, uint64_t b,
			   uint64_t b_len)
{
	return a < b + b_len && b < a + a_len;
}

/*
 * A range of `t` (its first `before` ranges already checked): 4 KiB
 * aligned, at least one page, no wrap; overlapping another range of the
 * same descriptor is INVALID_PARAMETERS; memory already in another
 * transaction, or the RX/TX pair mapped here, is DENIED (a page is in at
 * most one transaction). Transactions whose ranges are not checked yet
 * (SPMC_CHECK_LAST) claim nothing.
 */
static int32_t check_range(const struct spmc *s, const struct spmc_txn *t,
			   uint64_t base, uint32_t pages, uint32_t before)
{
	uint64_t len;
	uint32_t i, j;

	if (base % FFA_PAGE_SIZE || (!pages && !s->zero_page_ok))
		return FFA_INVALID_PARAMETERS;
	if (!pages) /* zero_page_ok: it covers nothing */
		return 0;
	len = (uint64_t)pages * FFA_PAGE_SIZE;
	if (base > UINT64_MAX - len)
		return FFA_INVALID_PARAMETERS;
	for (i = 0; i < before; i++) {
		const struct spmc_range *r = &s->ranges[t->range_first + i];

		if (ranges_overlap(base, len, r->base,
				   (uint64_t)r->pages * FFA_PAGE_SIZE))
			return FFA_INVALID_PARAMETERS;
	}
	for (j = 0; j < SPMC_MAX_TXNS; j++) {
		const struct spmc_txn *o = &s->txns[j];

		if (!o->used || o == t || o->deferred)
			continue;
		for (i = 0; i < o->ranges_filled; i++) {
			const struct spmc_range *r = &s->ranges[o->range_first + i];

			if (ranges_overlap(base, len, r->base,
					   (uint64_t)r->pages * FFA_PAGE_SIZE))
				return FFA_DENIED;
		}
	}
	if (s->rxtx_mapped &&
	    (ranges_overlap(base, len, s->tx_pa, tx_size(s)) ||
	     ranges_overlap(base, len, s->rx_pa, tx_size(s))))
		return FFA_DENIED;
	return 0;
}

/* One constituent, appended to `t`: checked at once (reserved MBZ, then
 * check_range), or unchecked while `t` is deferred. */
static int32_t add_constituent(struct spmc *s, struct spmc_txn *t,
			       const uint8_t *c)
{
	uint64_t base = ffa_get64(c);
	uint32_t pages = ffa_get32(c + 8);
	int32_t st;

	if (t->deferred) {
		t->deferred_bad |= ffa_get32(c + 12) != 0;
	} else {
		if (ffa_get32(c + 12))
			return FFA_INVALID_PARAMETERS;
		st = check_range(s, t, base, pages, t->ranges_filled);
		if (st)
			return st;
	}
	s->ranges[t->range_first + t->ranges_filled].base = base;
	s->ranges[t->range_first + t->ranges_filled].pages = pages;
	t->ranges_filled++;
	return 0;
}

/* Constituents at [off, off + len) of the TX buffer, read once in chunks. */
static int32_t add_constituents(struct spmc *s, struct spmc_txn *t,
				uint64_t off, uint32_t len)
{
	uint8_t chunk[16 * CONSTITUENT_SIZE];
	int32_t st;

	if (len % CONSTITUENT_SIZE ||
	    len / CONSTITUENT_SIZE > t->range_count - t->ranges_filled)
		return FFA_INVALID_PARAMETERS;
	while (len) {
		uint32_t n = len < sizeof(chunk) ? len : (uint32_t)sizeof(chunk);
		uint32_t i;

		st = tx_read(s, off, chunk, n);
		if (st)
			return st;
		for (i = 0; i < n; i += CONSTITUENT_SIZE) {
			st = add_constituent(s, t, chunk + i);
			if (st)
				return st;
		}
		off += n;
		len -= n;
	}
	return 0;
}

/* Attributes per type (DEN0077A 1.1 10.10; Hafnium's send validation):
 * donate, and lend to one borrower, leave them unspecified; share and
 * multi-borrower lend give a valid normal or device type. */
static int32_t check_attributes(uint32_t fn, uint32_t attrs, uint32_t nrecv)
{
	uint32_t type = ATTR_TYPE(attrs);

	/* [7:6] MBZ: bit 6 is NS, which a sender never sets (1.1+), and
	 * reserved in 1.0; [15:8] MBZ (1.1+). */
	if (attrs & ~0x3fu)
		return FFA_INVALID_PARAMETERS;
	/* No type there; bits[3:0] then mean nothing (DEN0077A 1.0
	 * 5.11.4; Hafnium checks the type alone). */
	if (fn == FFA_FN_MEM_DONATE || (fn == FFA_FN_MEM_LEND && nrecv == 1))
		return type ? FFA_INVALID_PARAMETERS : 0;
	if (type == ATTR_TYPE_NORMAL) {
		/* cacheability 1 non-cacheable or 3 write-back; shareability
		 * 1 is reserved */
		if (ATTR_CACHE(attrs) == 0 || ATTR_CACHE(attrs) == 2 ||
		    ATTR_SHARE(attrs) == 1)
			return FFA_INVALID_PARAMETERS;
		return 0;
	}
	if (type == ATTR_TYPE_DEVICE)
		return ATTR_SHARE(attrs) ? FFA_INVALID_PARAMETERS : 0;
	return FFA_INVALID_PARAMETERS;
}

/* One EMAD (already copied): receiver, permissions per type, MBZ. */
static int32_t parse_emad(const struct spmc *s, uint32_t fn,
			  const uint8_t *e, struct spmc_receiver *r,
			  uint32_t *comp_offset)
{
	uint32_t v = s->ns_version;
	const struct spmc_partition *p;
	uint8_t perms = e[2];

	r->id = ffa_get16(e);
	r->perms = perms;
	r->flags = e[3];
	r->retrieved = false;
	*comp_offset = ffa_get32(e + 4);
	if (v >= FFA_VERSION_1_2) {
		copy_bytes(r->impdef, e + 8, 16);
		if (ffa_get64(e + 24))
			return FFA_INVALID_PARAMETERS;
	} else {
		zero_bytes(r->impdef, 16);
		if (ffa_get64(e + 8))
			return FFA_INVALID_PARAMETERS;
	}
	if (r->flags & ~EMAD_FLAG_NON_RETRIEVAL)
		return FFA_INVALID_PARAMETERS;
	p = spmc_find_partition(s, r->id);
	if (!p)
		return FFA_INVALID_PARAMETERS;
	/* Permissions: [7:4] MBZ, no reserved encodings, instruction access
	 * left to the receiver; data access given for share and lend, not
	 * for donate (Hafnium's send validation, DEN0077A 1.1 10.10.3). */
	if ((perms & 0xf0u) || PERM_DATA(perms) == PERM_RESERVED ||
	    PERM_INSTR(perms) != 0)
		return FFA_INVALID_PARAMETERS;
	if ((fn == FFA_FN_MEM_DONATE) != (PERM_DATA(perms) == PERM_DATA_NONE))
		return FFA_INVALID_PARAMETERS;
	return 0;
}

/*
 * The first fragment: header, EMADs and composite header must all be in
 * it, followed by whole constituents. Fills `t` (not yet marked used).
 */
static int32_t parse_first(struct spmc *s, uint32_t fn, uint32_t total,
			   uint32_t frag, struct spmc_txn *t)
{
	uint32_t v = s->ns_version, esize = emad_size(v);
	uint32_t emad_off, count, comp_off = 0, i;
	uint64_t emads_end, cons_start;
	uint8_t hdr[HDR_SIZE_V1_1], e[EMAD_SIZE_V1_2], comp[COMPOSITE_SIZE];
	int32_t st;

	if (frag < hdr_size(v))
		return FFA_INVALID_PARAMETERS;
	st = tx_read(s, 0, hdr, hdr_size(v));
	if (st)
		return st;
	t->fn = (uint8_t)fn;
	t->sender = ffa_get16(hdr);
	t->flags = ffa_get32(hdr + 4);
	t->tag = ffa_get64(hdr + 16);
	count = ffa_get32(hdr + 28);
	if (v >= FFA_VERSION_1_1) {
		t->attributes = ffa_get16(hdr + 2);
		emad_off = ffa_get32(hdr + 32);
		/* The EMAD array right after the header: Hafnium
		 * (ffa_memory.c receiver_size_and_offset_valid_for_version)
		 * refuses any other offset, where TF-A's EL3 SPMC
		 * (spmc_validate_mtd_start) takes any 16-aligned one past
		 * the header. The model is the strict one, so a proxy that
		 * forwarded a caller's offset would fail here as it would on
		 * Hafnium. */
		if (ffa_get32(hdr + 24) != esize || !all_zero(hdr + 36, 12) ||
		    emad_off != HDR_SIZE_V1_1)
			return FFA_INVALID_PARAMETERS;
	} else {
		t->attributes = hdr[2];
		emad_off = HDR_SIZE_V1_0;
		if (hdr[3] || ffa_get32(hdr + 24))
			return FFA_INVALID_PARAMETERS;
	}
	/* The normal world cannot send on behalf of a partition (Hafnium:
	 * a sender from the other world is DENIED). */
	if (ffa_id_is_secure(t->sender))
		return FFA_DENIED;
	/* The handle is the SPMC's to allocate. */
	if (ffa_get64(hdr + 8))
		return FFA_INVALID_PARAMETERS;
	if (t->flags & ~(MEM_FLAG_ZERO | MEM_FLAG_TIME_SLICE) ||
	    ((t->flags & MEM_FLAG_ZERO) && fn == FFA_FN_MEM_SHARE))
		return FFA_INVALID_PARAMETERS;
	if (count < 1 || count > SPMC_MAX_RECEIVERS ||
	    (fn == FFA_FN_MEM_DONATE && count != 1))
		return FFA_INVALID_PARAMETERS;
	emads_end = (uint64_t)emad_off + (uint64_t)count * esize;
	if (emads_end > frag)
		return FFA_INVALID_PARAMETERS;
	t->receiver_count = count;
	for (i = 0; i < count; i++) {
		uint32_t off_i, j;

		st = tx_read(s, emad_off + (uint64_t)i * esize, e, esize);
		if (st)
			return st;
		st = parse_emad(s, fn, e, &t->receivers[i], &off_i);
		if (st)
			return st;
		if (i == 0)
			comp_off = off_i;
		else if (off_i != comp_off)
			return FFA_INVALID_PARAMETERS;
		for (j = 0; j < i; j++)
			if (t->receivers[j].id == t->receivers[i].id)
				return FFA_INVALID_PARAMETERS;
	}
	st = check_attributes(fn, t->attributes, count);
	if (st)
		return st;
	/* Composite: after the EMADs, 16-aligned, its header in this
	 * fragment; the descriptor ends exactly after its constituents. */
	if (comp_off < emads_end || comp_off % 16 ||
	    (uint64_t)comp_off + COMPOSITE_SIZE > frag)
		return FFA_INVALID_PARAMETERS;
	st = tx_read(s, comp_off, comp, COMPOSITE_SIZE);
	if (st)
		return st;
	t->total_pages = ffa_get32(comp);
	t->range_count = ffa_get32(comp + 4);
	if (ffa_get64(comp + 8) || !t->range_count || !t->total_pages)
		return FFA_INVALID_PARAMETERS;
	cons_start = (uint64_t)comp_off + COMPOSITE_SIZE;
	if (cons_start + (uint64_t)t->range_count * CONSTITUENT_SIZE != total)
		return FFA_INVALID_PARAMETERS;
	if (t->range_count > SPMC_RANGE_POOL - s->ranges_used)
		return FFA_NO_MEMORY;
	t->range_first = s->ranges_used;
	t->ranges_filled = 0;
	t->total_len = total;
	t->deferred = s->check_constituents == SPMC_CHECK_LAST;
	/* Constituents in this fragment: whole ones only. */
	st = add_constituents(s, t, cons_start, (uint32_t)(frag - cons_start));
	if (st)
		return st;
	t->received_len = frag;
	return 0;
}

/* All fragments in: deferred ranges are checked now, in order, and the
 * page counts must add up. */
static int32_t finish(struct spmc *s, struct spmc_txn *t)
{
	uint64_t sum = 0;
	uint32_t i;
	int32_t st;

	if (t->deferred) {
		if (t->deferred_bad)
			return FFA_INVALID_PARAMETERS;
		for (i = 0; i < t->ranges_filled; i++) {
			const struct spmc_range *r = &s->ranges[t->range_first + i];

			st = check_range(s, t, r->base, r->pages, i);
			if (st)
				return st;
		}
		t->deferred = false;
	}
	for (i = 0; i < t->ranges_filled; i++)
		sum += s->ranges[t->range_first + i].pages;
	if (t->ranges_filled != t->range_count || sum != t->total_pages)
		return FFA_INVALID_PARAMETERS;
	t->complete = true;
	return 0;
}

static void reply_handle(struct spmc *s, struct ffa_regs *out,
			 const struct spmc_txn *t)
{
	uint64_t h = s->bogus_handle ? s->bogus_handle : t->handle;

	if (t->complete) {
		spmc_success32(out, (uint32_t)h, (uint32_t)(h >> 32));
		return;
	}
	/* More wanted: w3 bytes received so far, w4[31:16] the
	 * transaction's sender (TF-A's EL3 SPMC and Hafnium both name it
	 * when the normal world's physical instance sends). */
	out->x[0] = FFA_MEM_FRAG_RX_32;
	out->x[1] = (uint32_t)h;
	out->x[2] = (uint32_t)(h >> 32);
	out->x[3] = (uint32_t)(t->received_len + (uint32_t)s->frag_rx_offset_delta);
	out->x[4] = (uint32_t)t->sender << 16;
}

/* w1 total, w2 fragment, x3 address and w4 page count both zero (the TX
 * buffer is used). */
static void handle_send(struct spmc *s, uint32_t fn, const struct ffa_regs *in,
			struct ffa_regs *out)
{
	uint32_t total = (uint32_t)in->x[1], frag = (uint32_t)in->x[2], i;
	struct spmc_txn *t = NULL;
	int32_t st;

	if (in->x[3] || (uint32_t)in->x[4] || !s->rxtx_mapped || !frag ||
	    frag > total || frag > tx_size(s)) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	for (i = 0; i < SPMC_MAX_TXNS && !t; i++)
		if (!s->txns[i].used)
			t = &s->txns[i];
	if (!t) {
		spmc_error(out, FFA_NO_MEMORY);
		return;
	}
	*t = (struct spmc_txn){ 0 };
	st = parse_first(s, fn, total, frag, t);
	if (st) {
		/* Nothing was committed: ranges past ranges_used are free. */
		t->used = false;
		spmc_error(out, st);
		return;
	}
	t->used = true;
	s->ranges_used += t->range_count;
	t->handle = next_handle(s);
	if (frag == total) {
		st = finish(s, t);
		if (st) {
			txn_free(s, t);
			spmc_error(out, st);
			return;
		}
	}
	reply_handle(s, out, t);
}

/* FFA_MEM_FRAG_TX: w1/w2 handle, w3 fragment length, w4[31:16] the
 * transaction's sender, [15:0] zero. As TF-A's EL3 SPMC
 * (spmc_ffa_mem_frag_tx): any other w4 is INVALID_PARAMETERS and the
 * transaction stays, incomplete, as with an unknown or complete handle.
 * Hafnium and OP-TEE ignore w4 from the normal world; the model is the
 * strict one, for every version. */
static void handle_frag_tx(struct spmc *s, const struct ffa_regs *in,
			   struct ffa_regs *out)
{
	uint64_t handle = (uint32_t)in->x[1] | (in->x[2] << 32);
	uint32_t len = (uint32_t)in->x[3];
	struct spmc_txn *t = find_txn(s, handle);
	int32_t st;

	if (!t || t->complete ||
	    (uint32_t)in->x[4] != (uint32_t)t->sender << 16) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	/* From here a bad fragment aborts the whole transaction, as
	 * Hafnium frees the share state on a failed continuation. */
	if (!len || len % CONSTITUENT_SIZE || len > tx_size(s) ||
	    !s->rxtx_mapped || len > t->total_len - t->received_len)
		st = FFA_INVALID_PARAMETERS;
	else
		st = add_constituents(s, t, 0, len);
	if (!st) {
		t->received_len += len;
		if (t->received_len == t->total_len)
			st = finish(s, t);
	}
	if (st) {
		txn_free(s, t);
		spmc_error(out, st);
		return;
	}
	reply_handle(s, out, t);
}

/* ---- Reclaim, retrieve, relinquish */

static int32_t zero_ranges(struct spmc *s, const struct spmc_txn *t)
{
	uint32_t i;

	for (i = 0; i < t->ranges_filled; i++) {
		const struct spmc_range *r = &s->ranges[t->range_first + i];

		if (spmc_mem_zero(s, r->base, (uint64_t)r->pages * FFA_PAGE_SIZE))
			return FFA_ABORTED;
	}
	return 0;
}

/* FFA_MEM_RECLAIM: w1/w2 handle, w3 flags. */
static void handle_reclaim(struct spmc *s, const struct ffa_regs *in,
			   struct ffa_regs *out)
{
	uint64_t handle = (uint32_t)in->x[1] | (in->x[2] << 32);
	uint32_t flags = (uint32_t)in->x[3], i;
	struct spmc_txn *t = find_txn(s, handle);

	/* Unknown, still being sent, or a donation already completed (its
	 * record is gone): INVALID_PARAMETERS. Zeroing shared memory is
	 * refused as at send time. */
	if (!t || !t->complete || (flags & ~RECLAIM_FLAGS_VALID) ||
	    ((flags & MEM_FLAG_ZERO) && t->fn == FFA_FN_MEM_SHARE)) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	for (i = 0; i < t->receiver_count; i++) {
		if (t->receivers[i].retrieved) {
			spmc_error(out, FFA_DENIED);
			return;
		}
	}
	if ((flags & MEM_FLAG_ZERO) && zero_ranges(s, t)) {
		spmc_error(out, FFA_ABORTED);
		return;
	}
	txn_free(s, t);
	spmc_success32(out, 0, 0);
}

static struct spmc_receiver *receiver_of(struct spmc_txn *t, uint16_t id)
{
	uint32_t i;

	for (i = 0; i < t->receiver_count; i++)
		if (t->receivers[i].id == id)
			return &t->receivers[i];
	return NULL;
}

int spmc_sp_retrieve(struct spmc *s, uint16_t sp_id, uint64_t handle)
{
	struct spmc_txn *t = find_txn(s, handle);
	struct spmc_receiver *r;

	if (!t || !t->complete)
		return FFA_INVALID_PARAMETERS;
	r = receiver_of(t, sp_id);
	if (!r)
		return FFA_INVALID_PARAMETERS;
	if (r->retrieved)
		return FFA_DENIED;
	/* The sender asked for the memory to be zeroed before the first
	 * retrieval (lend/donate flag bit 0). */
	if (t->flags & MEM_FLAG_ZERO) {
		uint32_t i;
		bool first = true;

		for (i = 0; i < t->receiver_count; i++)
			first &= !t->receivers[i].retrieved;
		if (first && zero_ranges(s, t))
			return FFA_ABORTED;
	}
	if (t->fn == FFA_FN_MEM_DONATE) {
		/* The memory left the normal world: nothing to reclaim. */
		txn_free(s, t);
		return 0;
	}
	r->retrieved = true;
	return 0;
}

int spmc_sp_relinquish(struct spmc *s, uint16_t sp_id, uint64_t handle)
{
	struct spmc_txn *t = find_txn(s, handle);
	struct spmc_receiver *r = t ? receiver_of(t, sp_id) : NULL;

	if (!r || !r->retrieved)
		return FFA_INVALID_PARAMETERS;
	r->retrieved = false;
	return 0;
}

void spmc_sp_release_vm(struct spmc *s, uint16_t sp_id, uint16_t vm)
{
	struct spmc_receiver *r;
	uint32_t k;

	for (k = 0; k < SPMC_MAX_TXNS; k++) {
		if (!s->txns[k].used || s->txns[k].sender != vm)
			continue;
		r = receiver_of(&s->txns[k], sp_id);
		if (r)
			r->retrieved = false;
	}
}

/* ---- Retrieve response for the hypervisor (pKVM reclaims this way) */

/* The head of the response: header, EMADs, composite header. Returns its
 * length; it always fits (at most 48 + 4 * 32 + 16 bytes). */
static uint32_t build_resp_head(const struct spmc *s, const struct spmc_txn *t,
				uint8_t *b)
{
	uint32_t v = s->ns_version, esize = emad_size(v);
	uint32_t emad_off = hdr_size(v), comp_off, i, len;
	uint32_t flags = t->flags & ~MEM_FLAG_TIME_SLICE;
	uint32_t type = t->fn == FFA_FN_MEM_SHARE  ? 1u
			: t->fn == FFA_FN_MEM_LEND ? 2u
						   : 3u;

	comp_off = emad_off + t->receiver_count * esize;
	comp_off = (comp_off + 15u) & ~15u;
	len = comp_off + COMPOSITE_SIZE;
	zero_bytes(b, len);
	ffa_put16(b, t->sender);
	if (v >= FFA_VERSION_1_1)
		ffa_put16(b + 2, t->attributes);
	else
		b[2] = (uint8_t)t->attributes;
	ffa_put32(b + 4, flags | (type << RESP_FLAG_TYPE_SHIFT));
	ffa_put64(b + 8, t->handle);
	ffa_put64(b + 16, t->tag);
	ffa_put32(b + 28, t->receiver_count);
	if (v >= FFA_VERSION_1_1) {
		ffa_put32(b + 24, esize);
		ffa_put32(b + 32, emad_off);
	}
	for (i = 0; i < t->receiver_count; i++) {
		uint8_t *e = b + emad_off + i * esize;

		ffa_put16(e, t->receivers[i].id);
		e[2] = t->receivers[i].perms;
		e[3] = t->receivers[i].flags;
		ffa_put32(e + 4, comp_off);
		if (v >= FFA_VERSION_1_2)
			copy_bytes(e + 8, t->receivers[i].impdef, 16);
	}
	ffa_put32(b + comp_off, t->total_pages);
	ffa_put32(b + comp_off + 4, t->range_count);
	return len;
}

/* Write the response bytes [from, ...) into RX, whole constituents only,
 * zeroing the unused tail. Returns the fragment length, 0 on failure. */
static uint32_t write_resp_fragment(struct spmc *s, const struct spmc_txn *t,
				    uint32_t head_len, uint32_t from)
{
	uint8_t head[HDR_SIZE_V1_1 + SPMC_MAX_RECEIVERS * EMAD_SIZE_V1_2 +
		     COMPOSITE_SIZE + 16];
	uint8_t c[CONSTITUENT_SIZE];
	uint64_t rx = tx_size(s), pos = 0;
	uint32_t idx;

	if (from == 0) {
		build_resp_head(s, t, head);
		if (s->mem->write(s->mem_ctx, s->rx_pa, head, head_len))
			return 0;
		pos = head_len;
		idx = 0;
	} else {
		idx = (from - head_len) / CONSTITUENT_SIZE;
	}
	for (; idx < t->range_count && pos + CONSTITUENT_SIZE <= rx; idx++) {
		const struct spmc_range *r = &s->ranges[t->range_first + idx];
	
		zero_bytes(c, sizeof(c));
		ffa_put64(c, r->base);
		ffa_put32(c + 8, r->pages);
		if (s->mem->write(s->mem_ctx, s->rx_pa + pos, c, sizeof(c)))
			return 0;
		pos += CONSTITUENT_SIZE;
	}
	if (spmc_mem_zero(s, s->rx_pa + pos, rx - pos))
		return 0;
	return (uint32_t)pos;
}

/*
 * FFA_MEM_RETRIEVE_REQ from the hypervisor: a header of the negotiated
 * version with only the sender (0, or the transaction's sender) and the
 * handle set, no EMADs. Answer FFA_MEM_RETRIEVE_RESP (w1 total, w2
 * fragment) with the whole descriptor in RX, continued by FFA_MEM_FRAG_RX.
 */
static void handle_retrieve_req(struct spmc *s, const struct ffa_regs *in,
				struct ffa_regs *out)
{
	uint32_t total = (uint32_t)in->x[1], frag = (uint32_t)in->x[2];
	uint32_t v = s->ns_version, head_len, len;
	uint8_t hdr[HDR_SIZE_V1_1];
	uint8_t head[HDR_SIZE_V1_1 + SPMC_MAX_RECEIVERS * EMAD_SIZE_V1_2 +
		     COMPOSITE_SIZE + 16];
	struct spmc_txn *t;
	uint16_t sender;
	uint64_t resp_total;

	if (in->x[3] || (uint32_t)in->x[4] || !s->rxtx_mapped ||
	    total != hdr_size(v) || frag != total) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	if (tx_read(s, 0, hdr, total)) {
		spmc_error(out, FFA_ABORTED);
		return;
	}
	sender = ffa_get16(hdr);
	t = find_txn(s, ffa_get64(hdr + 8));
	if (!t || !t->complete || (sender && sender != t->sender) ||
	    !all_zero(hdr + 2, 6) || !all_zero(hdr + 16, total - 16)) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	if (s->rx_held_by_ns) {
		spmc_error(out, FFA_BUSY);
		return;
	}
	head_len = build_resp_head(s, t, head);
	resp_total = head_len + (uint64_t)t->range_count * CONSTITUENT_SIZE;
	len = write_resp_fragment(s, t, head_len, 0);
	if (!len) {
		spmc_error(out, FFA_ABORTED);
		return;
	}
	t->resp_total = (uint32_t)resp_total;
	t->resp_sent = len;
	s->rx_held_by_ns = true;
	out->x[0] = FFA_MEM_RETRIEVE_RESP_32;
	out->x[1] = t->resp_total;
	out->x[2] = len;
}

/* FFA_MEM_FRAG_RX: w1/w2 handle, w3 offset (= bytes already received,
 * TF-A fix c55b519), w4[31:16] 0. Answered with FFA_MEM_FRAG_TX. */
static void handle_frag_rx(struct spmc *s, const struct ffa_regs *in,
			   struct ffa_regs *out)
{
	uint64_t handle = (uint32_t)in->x[1] | (in->x[2] << 32);
	uint32_t off = (uint32_t)in->x[3], len, head_len;
	uint8_t head[HDR_SIZE_V1_1 + SPMC_MAX_RECEIVERS * EMAD_SIZE_V1_2 +
		     COMPOSITE_SIZE + 16];
	struct spmc_txn *t = find_txn(s, handle);

	if (!t || !t->resp_total || off != t->resp_sent ||
	    off >= t->resp_total || (uint32_t)in->x[4] || !s->rxtx_mapped) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	if (s->rx_held_by_ns) {
		spmc_error(out, FFA_BUSY);
		return;
	}
	head_len = build_resp_head(s, t, head);
	len = write_resp_fragment(s, t, head_len, off);
	if (!len) {
		spmc_error(out, FFA_ABORTED);
		return;
	}
	t->resp_sent += len;
	if (t->resp_sent == t->resp_total)
		t->resp_total = t->resp_sent = 0;
	s->rx_held_by_ns = true;
	out->x[0] = FFA_MEM_FRAG_TX_32;
	out->x[1] = (uint32_t)handle;
	out->x[2] = (uint32_t)(handle >> 32);
	out->x[3] = len;
}

void spmc_mem_smc(struct spmc *s, const struct ffa_regs *in,
		  struct ffa_regs *out)
{
	uint32_t fn = ffa_fn((uint32_t)in->x[0]);

	switch (fn) {
	case FFA_FN_MEM_SHARE:
	case FFA_FN_MEM_LEND:
	case FFA_FN_MEM_DONATE:
		handle_send(s, fn, in, out);
		break;
	case FFA_FN_MEM_FRAG_TX:
		handle_frag_tx(s, in, out);
		break;
	case FFA_FN_MEM_RECLAIM:
		handle_reclaim(s, in, out);
		break;
	case FFA_FN_MEM_RETRIEVE_REQ:
		handle_retrieve_req(s, in, out);
		break;
	case FFA_FN_MEM_FRAG_RX:
		handle_frag_rx(s, in, out);
		break;
	default:
		spmc_error(out, FFA_NOT_SUPPORTED);
		break;
	}
}
