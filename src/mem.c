/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Memory sharing: FFA_MEM_SHARE/LEND/DONATE, FFA_MEM_FRAG_TX and
 * FFA_MEM_RECLAIM (DEN0077A 1.1 chapters 10-11, ffa-facts sections 5-6).
 *
 * One caller fragment at a time, never buffered across calls:
 *   1. copy it once from the caller's TX buffer: the header into scratch
 *      (ffa_mem_parse_extent), the constituents straight into the
 *      transaction's record, which is the private copy acted on (those
 *      a 1.2 caller's first read caught, from scratch), or, for a first
 *      fragment whose constituents fit there, into the proxy's TX after
 *      the emitted header, private until the SMC, and from there into
 *      the record by the pass that checks them;
 *   2. validate the copy (the codec, then what needs context: sender is
 *      the caller, receivers are partitions, granule, page sums, overlaps);
 *   3. take its pages from the caller (one platform call per fragment,
 *      or per constituent without page_transition_ranges, never per
 *      page) and commit the ranges to the record for reclaim;
 *   4. emit the header in the SPMC's layout into the proxy's TX buffer,
 *      append the validated constituents and send as many SPMC fragments
 *      as the proxy's buffer needs (headers differ in size per version, so
 *      fragment boundaries move);
 *   5. check every SPMC reply: handle, offsets, frame.
 * A refusal at any step gives back the pages of the whole transaction and
 * leaves nothing at the SPMC (see spmc_forget for how a transaction the
 * SPMC may still hold is made to go away). When the SPMC's state cannot
 * be known (a reply that breaks the protocol), the pages stay where they
 * are, the record is kept as an orphan and the log says so: memory a
 * partition might reach is never handed back to its owner on a guess.
 *
 * Locks: BUFFERS for the whole of a send or fragment (scratch and the
 * proxy's TX); STATE around the transaction table and page transitions,
 * never across an SMC. A record in flight is marked busy.
 */
#include <ffaproxy/mem.h>

#include "codec.h"
#include "internal.h"
#include "mem_cons.h"

static uint32_t txn_type(uint32_t fn)
{
	return fn == FFA_FN_MEM_SHARE  ? FFA_MEM_TXN_SHARE
	       : fn == FFA_FN_MEM_LEND ? FFA_MEM_TXN_LEND
				       : FFA_MEM_TXN_DONATE;
}

static enum ffp_page_state txn_page_state(uint32_t fn)
{
	return fn == FFA_FN_MEM_SHARE  ? FFP_PAGE_SHARED
	       : fn == FFA_FN_MEM_LEND ? FFP_PAGE_LENT
				       : FFP_PAGE_DONATED;
}

static uint64_t reg_handle(uint64_t lo, uint64_t hi)
{
	return (uint32_t)lo | ((uint64_t)(uint32_t)hi << 32);
}

static void refuse_mem(struct ffp_call *c, const struct ffa_mem_error *err)
{
	ffp_refuse(c, err->status, err->why, err->value);
}

/* How many of `n` constituents fit in the proxy's TX after `hdr_len`
 * bytes of header. */
static uint32_t cons_fit(const struct ffp *p, uint32_t n, uint32_t hdr_len)
{
	uint32_t cap = p->cfg.buffers.pages * FFA_PAGE_SIZE;

	return hdr_len > cap ? 0
			     : ffp_min_u32(n, (cap - hdr_len) /
						      FFA_MEM_CONSTITUENT_SIZE);
}

/* ---- Pages: STATE held */

static uint64_t cons_base(const uint8_t *cons, uint32_t i)
{
	return ffa_get64(cons + (size_t)i * FFA_MEM_CONSTITUENT_SIZE);
}

static uint64_t cons_size(const uint8_t *cons, uint32_t i)
{
	return (uint64_t)ffa_get32(cons + (size_t)i * FFA_MEM_CONSTITUENT_SIZE +
				   8) *
	       FFA_PAGE_SIZE;
}

/* give_back() one page_transition per range: out of line, the common
 * platform gives a transaction's pages back in one call. */
static __attribute__((noinline)) void
give_back_each(struct ffp *p, uint16_t owner, const uint8_t *cons,
	       uint32_t n, enum ffp_page_state held)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (p->plat->page_transition(p->ctx, owner, cons_base(cons, i),
					     cons_size(cons, i), held,
					     FFP_PAGE_OWNED))
			ffp_log(p, owner, 0, 0,
				"platform failed to undo a page transition",
				cons_base(cons, i));
}

/* Give back the pages of `n` recorded constituents. Undoing a transition
 * must not fail (platform.h); if the platform breaks that contract the
 * log says where, and the rest still go back. */
static inline void give_back(struct ffp *p, uint16_t owner,
			     const uint8_t *cons, uint32_t n,
			     enum ffp_page_state held)
{
	uint32_t failed = 0;

	if (!p->plat->page_transition_ranges) {
		give_back_each(p, owner, cons, n, held);
		return;
	}
	if (p->plat->page_transition_ranges(p->ctx, owner, cons, n, held,
					    FFP_PAGE_OWNED, &failed))
		ffp_log(p, owner, 0, 0,
			"platform failed to undo a page transition",
			cons_base(cons, failed < n ? failed : 0));
}

/* Give back the pages of ranges [keep, range_count) and forget them.
 * Inline in reclaim, whose common end it is; out of line elsewhere. */
static inline __attribute__((always_inline)) void
release_ranges_inline(struct ffp *p, struct ffp_txn *x, uint32_t keep)
{
	if (keep < x->range_count)
		give_back(p, x->owner,
			  ffp_txn_ranges(&p->txns, x) +
				  (size_t)keep * FFA_MEM_CONSTITUENT_SIZE,
			  x->range_count - keep, txn_page_state(x->fn));
	ffp_txn_drop_ranges_from(x, keep);
}

static void release_ranges(struct ffp *p, struct ffp_txn *x, uint32_t keep)
{
	release_ranges_inline(p, x, keep);
}

/*
 * claim_ranges() over a platform without page_transition_ranges: one
 * page_transition per range, those taken given back on a failure, whose
 * status is returned with the failing range's number in *failed. Out of
 * line: the common platform takes a fragment in one call.
 */
static __attribute__((noinline)) int
claim_each(struct ffp *p, uint16_t owner, const uint8_t *cons, uint32_t n,
	   enum ffp_page_state to, uint32_t *failed)
{
	uint32_t i;
	int st = 0;

	for (i = 0; i < n && !st; i++)
		st = p->plat->page_transition(p->ctx, owner, cons_base(cons, i),
					      cons_size(cons, i),
					      FFP_PAGE_OWNED, to);
	if (st) {
		*failed = i - 1;
		give_back(p, owner, cons, *failed, to);
	}
	return st;
}

/*
 * Take the pages of the `n` constituents at `cons`, the last `n` of x's
 * record (validated, non-overlapping), from the caller, all or nothing:
 * one page_transition_ranges call when the platform has it (one call per
 * fragment, not per range), else one page_transition per range, undone
 * on failure. On failure they leave the record too.
 */
static inline __attribute__((always_inline)) int32_t claim_ranges(struct ffp *p, struct ffp_txn *x,
			    const uint8_t *cons, uint32_t n, uint64_t *bad)
{
	enum ffp_page_state to = txn_page_state(x->fn);
	uint32_t failed = 0;
	int st;

	if (n == 0) /* a first fragment holding the header alone */
		return 0;
	if (p->plat->page_transition_ranges)
		st = p->plat->page_transition_ranges(p->ctx, x->owner, cons, n,
						     FFP_PAGE_OWNED, to,
						     &failed);
	else
		st = claim_each(p, x->owner, cons, n, to, &failed);
	if (!st)
		return 0;
	ffp_txn_drop_ranges_from(x, x->range_count - n);
	*bad = cons_base(cons, failed < n ? failed : 0);
	return st < 0 ? ffp_status((uint32_t)st) : FFA_DENIED;
}

/* ---- The SPMC side: BUFFERS held, STATE not */

enum spmc_outcome {
	SPMC_OK,
	SPMC_REFUSED, /* FFA_ERROR: the SPMC holds nothing of it */
	SPMC_UNKNOWN, /* a reply outside the protocol */
};

struct send_result {
	enum spmc_outcome outcome;
	int32_t status;
	const char *why;
	uint64_t value;
};

static void send_fail(struct send_result *res, enum spmc_outcome o,
		      int32_t status, const char *why, uint64_t value)
{
	res->outcome = o;
	res->status = status;
	res->why = why;
	res->value = value;
}

static const char bad_handle[] = "SPMC replied with an invalid handle";

/*
 * STATE held: index x under the handle the SPMC named in its first reply
 * (check_reply vetted it), so that a later lookup finds it; true if it
 * already is. False if a live transaction has that handle. A handle is
 * indexed in the first STATE section after the SMC that named it: before
 * spmc_send's next fragment (spmc_forget names a transaction by it), or
 * else in the handler's closing section, which the common send of one
 * SPMC fragment then needs for nothing else.
 */
/*
 * STATE and BUFFERS held: x was named handle `h`, which is indexed
 * already. An SPMC may give a handle out again as soon as a reclaim has
 * freed it (Hafnium: the index of its first free share state), before
 * that reclaim's closing STATE section drops the record: a reclaim holds
 * no lock across its SMC. Refusing x then would leave it complete at the
 * SPMC, its record unindexed (an orphan no reclaim can name). With
 * BUFFERS held, only such a reclaim can have a LIVE record busy
 * (teardown and ffp_orphans_reclaim hold BUFFERS), and an SPMC that gave
 * its handle out has freed it: x takes the index entry. The reclaim,
 * finding its record unindexed, frees it, or keeps it as an orphan if
 * the SPMC then refuses (it broke the protocol; the pages stay taken).
 * An orphan's handle likewise: its pages stay taken whatever becomes of
 * its index entry, and the SPMC, naming that handle for x, holds nothing
 * under it for the orphan (retrying the orphan under it would reclaim x
 * instead). Refusing x would make a second orphan of a transaction the
 * SPMC holds complete. No orphan is busy while BUFFERS is held (only
 * ffp_orphans_reclaim marks one).
 */
static __attribute__((noinline)) bool
adopt_reclaimed(struct ffp *p, struct ffp_txn *x, uint64_t h)
{
	struct ffp_txn_table *t = &p->txns;
	struct ffp_txn *y = ffp_txn_find_inline(t, h); /* sets index_hint */

	if (!y || y == x)
		return false;
	if (y->state == FFP_TXN_ORPHAN)
		ffp_log(p, y->owner, 0, FFA_ABORTED,
			"SPMC gave an orphan's handle to a new transaction: "
			"the orphan keeps its pages taken, under no handle",
			h);
	else if (y->state != FFP_TXN_LIVE || !y->busy)
		return false;
	y->indexed = false;
	t->index[y->index_hint].slot = (uint32_t)(x - t->txns);
	x->handle = h;
	x->indexed = true;
	x->index_hint = y->index_hint;
	return true;
}

static inline __attribute__((always_inline)) bool
adopt_handle(struct ffp *p, struct ffp_txn *x, uint64_t h)
{
	return x->indexed || ffp_txn_insert_inline(&p->txns, x, h) == 0 ||
	       adopt_reclaimed(p, x, h);
}

/* One SPMC reply to a fragment of `len` bytes that brought the SPMC to
 * x->spmc_sent bytes; *h: the handle it names. The first handle must be
 * SPMC-allocated (bit 63 clear, which also excludes the invalid all-ones
 * value), and is not adopted here (adopt_handle); every later one must be
 * x's. */
/* Reply `f` to a fragment (`done`: the last) is none the proxy takes;
 * out of line, as the send loop inlines check_reply. */
static __attribute__((noinline, cold)) void
unexpected_reply(struct send_result *res, uint32_t f, bool done)
{
	/* FFA_INTERRUPT, a direct response...: no answer FF-A gives to a
	 * memory call, said as such. */
	send_fail(res, SPMC_UNKNOWN, FFA_ABORTED,
		  !ffp_is_success(f) && f != FFA_MEM_FRAG_RX_32
			  ? "SPMC answered a fragment with neither "
			    "FFA_SUCCESS nor FFA_MEM_FRAG_RX"
		  : done ? "SPMC did not complete the transaction"
			 : "SPMC completed a transaction early",
		  f);
}

static inline __attribute__((always_inline)) bool
check_reply(struct ffp_txn *x, const struct ffa_regs *r,
			bool first, uint64_t *h, struct send_result *res)
{
	uint32_t f = (uint32_t)r->x[0];
	bool done = x->spmc_sent == x->spmc_total;

	if (f == FFA_ERROR_32) {
		/* Only a status FF-A defines makes it a refusal, after which
		 * the SPMC holds nothing (the pages go back). An error frame
		 * with any other w2 is a reply outside the protocol: the
		 * SPMC may hold the transaction, complete even, and a
		 * partition retrieve it. ffp_status maps such a w2 to
		 * ABORTED, so compare with the raw value. */
		int32_t st = ffp_status(r->x[2]);
		bool defined = st == (int32_t)(uint32_t)r->x[2];

		send_fail(res, defined ? SPMC_REFUSED : SPMC_UNKNOWN, st,
			  defined ? "SPMC refused the memory transaction"
				  : "SPMC refused with a status FF-A does not "
				    "define",
			  (uint32_t)r->x[2]);
		return false;
	}
	if (ffp_is_success(f))
		x->spmc_said_done = true;
	if (done && ffp_is_success(f)) {
		*h = reg_handle(r->x[2], r->x[3]);
	} else if (!done && f == FFA_MEM_FRAG_RX_32) {
		*h = reg_handle(r->x[1], r->x[2]);
		if ((uint32_t)r->x[3] != x->spmc_sent) {
			send_fail(res, SPMC_UNKNOWN, FFA_ABORTED,
				  "SPMC asked for a fragment at a wrong offset",
				  (uint32_t)r->x[3]);
			return false;
		}
		/* w4: [31:16] the transaction's sender, [15:0] MBZ (TF-A's
		 * spmc_ffa_fill_desc and Hafnium name the sender; 0 from an
		 * SPMC that leaves it out). Another id: the SPMC holds the
		 * transaction as someone else's. */
		if ((uint32_t)r->x[4] &&
		    (uint32_t)r->x[4] != (uint32_t)x->owner << 16) {
			send_fail(res, SPMC_UNKNOWN, FFA_ABORTED,
				  "SPMC named another sender", (uint32_t)r->x[4]);
			return false;
		}
	} else {
		unexpected_reply(res, f, done);
		return false;
	}
	if (first ? *h >> 63 : *h != x->handle) {
		send_fail(res, SPMC_UNKNOWN, FFA_ABORTED, bad_handle, *h);
		return false;
	}
	return true;
}

/*
 * w4 of an FFA_MEM_FRAG_TX the proxy sends to the SPMC: [31:16] the
 * transaction's sender, the VM's id (0 for the host), [15:0] MBZ. The
 * proxy is the hypervisor, a physical instance sending on a VM's behalf.
 * TF-A's EL3 SPMC refuses any other value with INVALID_PARAMETERS and
 * keeps the transaction (spmc_ffa_mem_frag_tx compares w4 with
 * desc.sender_id << 16); Hafnium and OP-TEE ignore w4 from the normal
 * world; the Xen mediator's fragmenting patches send the VM's id too.
 */
static uint32_t frag_tx_sender(const struct ffp_txn *x)
{
	return (uint32_t)x->owner << 16;
}

/*
 * Send `hdr_len` bytes already at the start of the proxy's TX (the
 * SPMC-layout header, or 0 for a continuation) and then `n` validated
 * constituents at `cons`, in as many SPMC fragments as the proxy's TX
 * needs; the first `placed` are already in the TX after the header, all
 * that fit there (put there by take_constituents, or read there by the
 * caller's side before take_constituents_in_tx). *handle: the handle the
 * SPMC named, which the caller adopts in its next STATE section if x is
 * not indexed yet (adopt_handle).
 */
static inline __attribute__((always_inline)) bool
spmc_send(struct ffp *p, struct ffp_txn *x, uint32_t func, uint32_t hdr_len,
	  const uint8_t *cons, uint32_t n, uint32_t placed, uint64_t *handle,
	  struct send_result *res)
{
	uint8_t *tx = p->cfg.buffers.tx;
	bool first = !x->indexed;
	uint32_t k = placed;
	struct ffa_regs r;

	for (;;) {
		uint32_t len = hdr_len + k * FFA_MEM_CONSTITUENT_SIZE;

		ffp_regs_zero(&r);
		if (first) {
			r.x[0] = func;
			r.x[1] = x->spmc_total;
			r.x[2] = len;
		} else {
			r.x[0] = FFA_MEM_FRAG_TX_32;
			r.x[1] = (uint32_t)x->handle;
			r.x[2] = (uint32_t)(x->handle >> 32);
			r.x[3] = len;
			r.x[4] = frag_tx_sender(x);
		}
		x->spmc_sent += len;
		ffp_smc(p, &r);
		if (!check_reply(x, &r, first, handle, res)) {
			/* A refused fragment is not counted: the SPMC kept
			 * the count it had, or freed it all (spmc_forget
			 * resumes from spmc_sent). */
			if (res->outcome == SPMC_REFUSED)
				x->spmc_sent -= len;
			return false;
		}
		n -= k;
		if (!n)
			return true;
		first = false;
		hdr_len = 0;
		cons += (size_t)k * FFA_MEM_CONSTITUENT_SIZE;
		if (!x->indexed) {
			bool ok;

			ffp_lock(p, FFP_LOCK_STATE);
			ok = adopt_handle(p, x, *handle);
			ffp_unlock(p, FFP_LOCK_STATE);
			if (!ok) {
				send_fail(res, SPMC_UNKNOWN, FFA_ABORTED,
					  bad_handle, *handle);
				return false;
			}
		}
		k = cons_fit(p, n, 0);
		ffp_memcpy(tx, cons, (size_t)k * FFA_MEM_CONSTITUENT_SIZE);
	}
}

/* FFA_MEM_RECLAIM of x at the SPMC (no flags); its reply in *r. True on
 * SUCCESS: the SPMC holds nothing of x now. */
static bool spmc_reclaim(struct ffp *p, const struct ffp_txn *x,
			 struct ffa_regs *r)
{
	ffp_regs_zero(r);
	r->x[0] = FFA_MEM_RECLAIM_32;
	r->x[1] = (uint32_t)x->handle;
	r->x[2] = (uint32_t)(x->handle >> 32);
	ffp_smc(p, r);
	return ffp_is_success(r->x[0]);
}

/* What an abort (spmc_forget) learnt of the SPMC's state. */
enum forget_outcome {
	FORGET_GONE, /* it holds nothing of x */
	FORGET_KEPT, /* it may hold x, as its answers (FF-A ones) say */
	/* It answered the abort's zeros outside the protocol: they may
	 * have completed x (spmc_zero_fill), so not even an earlier refusal
	 * of x's fragment proves that x grants nothing. */
	FORGET_UNKNOWN,
};

/*
 * Send the SPMC every byte it still expects of x as zeros (zero-page
 * constituents), in as many FFA_MEM_FRAG_TX as the proxy's TX needs, so
 * that it reaches its last-fragment checks and drops the transaction.
 * TF-A's EL3 SPMC and Hafnium check constituents only when the last
 * fragment arrives (spmc_ffa_fill_desc, ffa_memory_send_complete) and
 * free the object when that fails; a single zero-page constituent would
 * only earn FRAG_RX while more are due. BUFFERS held.
 * x->spmc_sent follows what the SPMC says it received (FRAG_RX w3), so a
 * later retry resumes where it stopped. GONE when the SPMC refused with
 * INVALID_PARAMETERS, or completed it and then agreed to reclaim it.
 * Only an FFA_ERROR with a status FF-A defines or an FFA_MEM_FRAG_RX
 * that passes check_reply's tests says that the zeros did not complete
 * it; any other reply but SUCCESS is UNKNOWN.
 */
static enum forget_outcome spmc_zero_fill(struct ffp *p, struct ffp_txn *x)
{
	uint32_t cap = p->cfg.buffers.pages * FFA_PAGE_SIZE;
	/* Past the header all that is due is constituents: a multiple of
	 * 16. If nothing seems due, one zero constituent, as before this
	 * fill existed. */
	uint32_t left = x->spmc_sent < x->spmc_total
				? x->spmc_total - x->spmc_sent
				: FFA_MEM_CONSTITUENT_SIZE;
	uint32_t rounds = left / cap + (left % cap != 0), i;
	struct ffa_regs r;

	ffp_memset(p->cfg.buffers.tx, 0, ffp_min_u32(cap, left));
	for (i = 0; i < rounds; i++) {
		uint32_t len = ffp_min_u32(cap, left), got;
		int32_t st;

		ffp_regs_zero(&r);
		r.x[0] = FFA_MEM_FRAG_TX_32;
		r.x[1] = (uint32_t)x->handle;
		r.x[2] = (uint32_t)(x->handle >> 32);
		r.x[3] = len;
		r.x[4] = frag_tx_sender(x);
		ffp_smc(p, &r);
		if ((uint32_t)r.x[0] == FFA_ERROR_32) {
			st = ffp_status(r.x[2]);
			if (st != (int32_t)(uint32_t)r.x[2])
				return FORGET_UNKNOWN;
			return st == FFA_INVALID_PARAMETERS ? FORGET_GONE
							    : FORGET_KEPT;
		}
		if (ffp_is_success(r.x[0])) {
			/* It accepted zero-page constituents and holds a
			 * complete transaction over the pages sent before
			 * (TF-A's EL3 SPMC checks a completed descriptor's
			 * page sum, not each constituent's count:
			 * spmc_shmem_check_obj), which nobody asked for:
			 * reclaimed at once if the reply names x, else (or
			 * if refused) left to a later RECLAIM. */
			x->spmc_said_done = true;
			x->spmc_sent = x->spmc_total;
			if (reg_handle(r.x[2], r.x[3]) == x->handle &&
			    spmc_reclaim(p, x, &r))
				return FORGET_GONE;
			return FORGET_KEPT;
		}
		got = (uint32_t)r.x[3];
		/* FRAG_RX: x's handle, x's sender or none in w4, and w3
		 * (bytes received) grown, in whole constituents, short of
		 * the total. */
		if ((uint32_t)r.x[0] != FFA_MEM_FRAG_RX_32 ||
		    reg_handle(r.x[1], r.x[2]) != x->handle ||
		    ((uint32_t)r.x[4] &&
		     (uint32_t)r.x[4] != frag_tx_sender(x)) ||
		    got % FFA_MEM_CONSTITUENT_SIZE || got <= x->spmc_sent ||
		    got >= x->spmc_total)
			return FORGET_UNKNOWN;
		x->spmc_sent = got;
		left = x->spmc_total - got;
	}
	/* More asked for than was due, each FRAG_RX well formed: it says
	 * x is incomplete. */
	return FORGET_KEPT;
}

/*
 * Make the SPMC forget a transaction it may hold, and say what is known
 * of it then. First FFA_MEM_RECLAIM: success means it was complete and
 * is gone. If the SPMC may consider the transaction complete (it was
 * told every byte and did not refuse the last fragment, or it said
 * SUCCESS at some point), nothing else proves it gone: a refused reclaim
 * could mean the handle it gave was wrong, and the real transaction
 * retrievable. Otherwise the transaction is incomplete at the SPMC,
 * never retrievable, and spmc_zero_fill completes it with zero-page
 * constituents, which the SPMCs refuse. What the SPMCs free
 * on a refused continuation: TF-A's EL3 SPMC frees the object on any
 * refusal of spmc_ffa_fill_desc, but not on a bad handle or w4; Hafnium
 * frees the share state when the last fragment fails
 * ffa_memory_send_complete, not on a refused handle or length; OP-TEE
 * frees it when add_mem_share_frag fails. An incomplete transaction
 * grants nobody anything.
 * `last_refused`: the SPMC answered the latest fragment with FFA_ERROR.
 */
static enum forget_outcome spmc_forget(struct ffp *p, struct ffp_txn *x,
				       bool last_refused)
{
	bool complete_possible = x->spmc_said_done ||
				 (!last_refused && x->spmc_sent >= x->spmc_total);
	struct ffa_regs r;

	if (!x->indexed)
		return FORGET_KEPT; /* no handle to name it by */
	if (spmc_reclaim(p, x, &r))
		return FORGET_GONE;
	if (complete_possible || (uint32_t)r.x[0] != FFA_ERROR_32 ||
	    ffp_status(r.x[2]) != FFA_INVALID_PARAMETERS)
		return FORGET_KEPT;
	return spmc_zero_fill(p, x);
}

/*
 * STATE held. A record as `init` says (owner, ranges_reserved and the
 * fields the caller knows; the pool's are set here), charged to its
 * owner: a VM may hold only its share of the transaction table and of
 * the range pool (ffp_config max_vm_*), so that no VM, by announcing
 * large descriptors whose fragments never come, can deny memory sharing
 * to the others.
 */
static inline __attribute__((always_inline)) struct ffp_txn *
txn_new(struct ffp *p, const struct ffp_txn *init, struct ffa_mem_error *err)
{
	uint16_t owner = init->owner;
	uint32_t ranges = init->ranges_reserved;
	struct ffp_endpoint *ep = &p->eps[owner];
	struct ffp_txn *x;

	const char *why = NULL;

	if (owner && ep->txn_count >= p->vm_txn_quota)
		why = "the VM holds its share of transactions "
		      "(max_vm_transactions)";
	else if (owner && ranges > p->vm_range_quota - ep->ranges_reserved)
		why = "the VM's share of the range pool is used up "
		      "(max_vm_ranges)";
	else if (p->txns.free_txn == FFP_NONE)
		why = "transaction table full (max_transactions)";
	x = why ? NULL : ffp_txn_alloc_inline(&p->txns, ranges, init);
	if (!x) {
		*err = (struct ffa_mem_error){
			FFA_NO_MEMORY, why ? why : "range pool full (max_ranges)",
			ranges };
		return NULL;
	}
	ep->txn_count++;
	ep->ranges_reserved += ranges;
	return x;
}

/* STATE held: forget a record (and what it cost its owner). */
static inline __attribute__((always_inline)) void
txn_uncharge(struct ffp *p, const struct ffp_txn *x)
{
	if (x->charged) {
		struct ffp_endpoint *ep = &p->eps[x->owner];

		ep->txn_count--;
		ep->ranges_reserved -= x->ranges_reserved;
	}
}

static void txn_release(struct ffp *p, struct ffp_txn *x)
{
	txn_uncharge(p, x);
	ffp_txn_free(&p->txns, x);
}

/* txn_release() inline, for reclaim, whose common end it is. Elsewhere
 * the table's part stays in txn.c: inlined into txn_release, which the
 * share path calls on its refusals, the registers it clobbers cost the
 * share path 7 instructions (gcc's interprocedural register use). */
static inline __attribute__((always_inline)) void
txn_release_inline(struct ffp *p, struct ffp_txn *x)
{
	txn_uncharge(p, x);
	ffp_txn_free_inline(&p->txns, x);
}

/* STATE held: no more fragments will come for `x`. */
static void stop_sending(struct ffp *p, struct ffp_txn *x)
{
	if (x->state == FFP_TXN_SENDING && p->eps[x->owner].pending)
		p->eps[x->owner].pending--;
}

/* STATE held: the record is done with; its pages stay where they are. */
static void txn_drop(struct ffp *p, struct ffp_txn *x)
{
	stop_sending(p, x);
	txn_release(p, x);
}

/*
 * A transaction that cannot go on. `spmc_refused`: the SPMC answered
 * FFA_ERROR, so it holds nothing of it. Otherwise, or when a handle is
 * known anyway, it is asked to forget it (an SPMC that already dropped it
 * just refuses again). Pages go back when the SPMC is known to hold
 * nothing; if that cannot be confirmed they stay taken and the record
 * becomes an orphan. BUFFERS held, STATE not. True when the pages went
 * back.
 */
static bool txn_fail(struct ffp *p, struct ffp_txn *x, bool spmc_refused)
{
	enum forget_outcome f = x->indexed ? spmc_forget(p, x, spmc_refused)
					   : FORGET_KEPT;
	/* A refusal leaves nothing anyone can retrieve, unless the SPMC
	 * then said SUCCESS to the abort's zeros, or answered them outside
	 * the protocol (spmc_zero_fill): it may hold the transaction
	 * complete, and only a RECLAIM proves it gone. */
	bool clean = f == FORGET_GONE || (!x->indexed && x->spmc_sent == 0) ||
		     (spmc_refused && !x->spmc_said_done &&
		      f != FORGET_UNKNOWN);
	ffp_lock(p, FFP_LOCK_STATE);
	if (clean) {
		release_ranges(p, x, 0);
		txn_drop(p, x);
	} else {
		stop_sending(p, x);
		x->state = FFP_TXN_ORPHAN;
		x->busy = false;
		ffp_log(p, x->owner, 0, FFA_ABORTED,
			"SPMC state of a transaction unknown: its pages stay "
			"taken (orphan)",
			x->handle);
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	return clean;
}

/* ---- Caller side */

/*
 * Where the next `n` constituents of x go, into *rec: the room after its
 * recorded ranges, which they are read into from the caller, checked in
 * and committed from (the record is the proxy's private copy). Refused
 * if the descriptor's range count leaves no room for them. Only
 * ffp_txn_alloc moves reservations, and it runs with BUFFERS held, as
 * the caller does: the room stays put while STATE is not held.
 */
static int32_t txn_room(struct ffp *p, const struct ffp_txn *x, uint32_t n,
			uint8_t **rec, struct ffa_mem_error *err)
{
	if (n > x->ranges_reserved - x->range_count) {
		*err = (struct ffa_mem_error){
			FFA_INVALID_PARAMETERS,
			"more constituents than the descriptor's range count",
			n };
		return err->status;
	}
	*rec = ffp_txn_ranges(&p->txns, x) +
	       (size_t)x->range_count * FFA_MEM_CONSTITUENT_SIZE;
	return 0;
}

/* The end of take_constituents, once the pass went through with `sum`. */
static inline __attribute__((always_inline)) int32_t
take_finish(struct ffp *p, struct ffp_txn *x, const uint8_t *rec,
	    uint32_t n, bool last, const struct ffa_mem_cons_sum *sum,
	    uint64_t *pages, struct ffa_mem_error *err)
{
	struct ffa_mem_range *ranges;
	uint32_t ranges_off;
	int32_t st;

	*pages = sum->pages;
	if (*pages > x->pages_expected ||
	    (last && *pages != x->pages_expected)) {
		*err = (struct ffa_mem_error){
			FFA_INVALID_PARAMETERS,
			"constituent pages do not add up to the composite's "
			"total page count",
			*pages };
		return err->status;
	}
	if (!sum->ascending) {
		ranges_off = p->cfg.max_buffer_pages * FFA_PAGE_SIZE;
		ranges = (struct ffa_mem_range *)(void *)(p->scratch +
							  ranges_off);
		/* Sanitizer builds: the scratch past these n ranges is
		 * out of bounds while they are in use. */
		ffp_poison(ranges + n, p->scratch_size - ranges_off -
					       n * sizeof(*ranges));
		ffa_mem_ranges_load(rec, n, ranges);
		st = ffa_mem_ranges_overlap(ranges, n, err);
		ffp_unpoison(ranges + n, p->scratch_size - ranges_off -
						 n * sizeof(*ranges));
		if (st)
			return st;
	}
	ffp_txn_commit_ranges(x, n);
	return 0;
}

/* One stretch of the pass: the common 4 KiB granule as a constant (its
 * mask is one test of the base), inlined; others through the codec's
 * copy, out of line. */
static inline __attribute__((always_inline)) int32_t
take_stretch(const struct ffp *p, const uint8_t *src, uint32_t k,
	     uint8_t *dst, struct ffa_mem_cons_sum *sum,
	     struct ffa_mem_error *err)
{
	struct ffa_mem_cons_sum other;
	int32_t st;

	if (p->cfg.granule == FFA_PAGE_SIZE)
		return ffa_mem_cons_take(src, k, FFA_PAGE_SIZE, dst, NULL, sum,
					 err, true, false);
	/* Through a copy, so that *sum, whose address the 4 KiB path does
	 * not take, may live in registers. */
	other = *sum;
	st = ffa_mem_copy_constituents(src, k, p->cfg.granule, dst, NULL,
				       &other, err);
	*sum = other;
	return st;
}

/*
 * STATE held. Validate the `n` constituents read into x's room at `rec`
 * (txn_room; it stays put, so the caller's pointer serves) and, in the
 * same pass, copy those of the first SPMC
 * fragment into the proxy's TX after `hdr_len` bytes of header, where
 * spmc_send finds them (any others stay in the room, copied onto
 * themselves, for spmc_send to copy per SPMC fragment), then commit them
 * to the record: granule, wrap, page sum against the composite, overlaps
 * inside the fragment. Descriptors usually list ranges in ascending
 * order, which the same pass proves free of overlaps; only other orders
 * pay for the sort. An overlap with an earlier fragment fails its page
 * transition instead (those pages are no longer owned). On failure the
 * record is as it was.
 */
static __attribute__((noinline)) int32_t
take_constituents(struct ffp *p, struct ffp_txn *x, uint8_t *rec, uint32_t n,
		  uint32_t hdr_len, bool last, uint64_t *pages,
		  struct ffa_mem_error *err)
{
	struct ffa_mem_cons_sum sum = { x->pages_seen, 0, true };
	uint8_t *dst = (uint8_t *)p->cfg.buffers.tx + hdr_len;
	uint32_t done = 0, k = cons_fit(p, n, hdr_len);
	int32_t st;

	/* Two stretches at most (one instance of the loop): into the TX,
	 * then in place. */
	for (;;) {
		const uint8_t *src = rec + (size_t)done * FFA_MEM_CONSTITUENT_SIZE;

		st = take_stretch(p, src, k, dst, &sum, err);
		if (st)
			return st;
		done += k;
		if (done == n)
			break;
		dst = rec + (size_t)done * FFA_MEM_CONSTITUENT_SIZE;
		k = n - done;
	}
	return take_finish(p, x, rec, n, last, &sum, pages, err);
}

/* take_constituents() for a first fragment whose `n` constituents were
 * read into the proxy's TX after `hdr_len` bytes of header (all fit
 * there): one stretch, from the TX into x's room at `rec`. */
static inline __attribute__((always_inline)) int32_t
take_constituents_in_tx(struct ffp *p, struct ffp_txn *x, uint8_t *rec,
			uint32_t n, uint32_t hdr_len, bool last,
			uint64_t *pages, struct ffa_mem_error *err)
{
	struct ffa_mem_cons_sum sum = { x->pages_seen, 0, true };
	int32_t st = take_stretch(p, (const uint8_t *)p->cfg.buffers.tx +
					  hdr_len,
				  n, rec, &sum, err);

	return st ? st : take_finish(p, x, rec, n, last, &sum, pages, err);
}

/* The caller's reply once a fragment went through. */
static void reply_progress(struct ffp_call *c, const struct ffp_txn *x,
			   bool complete, uint64_t handle)
{
	if (complete) {
		/* ffp_success() in place: c->out is zero. */
		c->out.x[0] = FFA_SUCCESS_32;
		c->out.x[2] = (uint32_t)handle;
		c->out.x[3] = (uint32_t)(handle >> 32);
		return;
	}
	/* More wanted: w3 is what the caller has sent, in its own layout;
	 * w4[31:16] is 0 toward a virtual instance (Hafnium). */
	c->out.x[0] = FFA_MEM_FRAG_RX_32;
	c->out.x[1] = (uint32_t)handle;
	c->out.x[2] = (uint32_t)(handle >> 32);
	c->out.x[3] = x->caller_received;
}

/* STATE held: the transaction advanced by one caller fragment. */
static inline __attribute__((always_inline)) void
txn_advance(struct ffp *p, struct ffp_txn *x, bool was_sending, bool complete)
{
	x->busy = false;
	if (complete) {
		if (was_sending) /* else it was NEW: nothing pending */
			stop_sending(p, x);
		/* A donation is final: its pages left the normal world, so
		 * there is nothing to reclaim and no record to keep. */
		if (x->fn == FFA_FN_MEM_DONATE)
			txn_release(p, x);
		else
			x->state = FFP_TXN_LIVE;
	} else if (!was_sending) {
		x->state = FFP_TXN_SENDING;
		p->eps[x->owner].pending++;
	}
}

static void unbusy(struct ffp *p, struct ffp_endpoint *ep)
{
	ffp_lock(p, FFP_LOCK_STATE);
	ep->busy--;
	ffp_unlock(p, FFP_LOCK_STATE);
}

/* STATE held. The caller's TX buffer, to read a fragment of `len` bytes
 * from: its address. On success the caller is marked busy (its buffers
 * cannot be unmapped, nor the caller removed) until the call ends. */
static inline __attribute__((always_inline)) int32_t
tx_begin(const struct ffp_call *c, uint32_t len, uint64_t *tx_pa,
	 const char **why)
{
	struct ffp_endpoint *ep = c->ep;

	/* Removed since the call began: the TX and pages under the id are
	 * a new endpoint's, if any (BUFFERS was taken after the check of
	 * ffp_handle or handle_call). */
	if (ffp_call_stale(c)) {
		*why = FFP_WHY_STALE;
		return FFA_NOT_SUPPORTED;
	}
	if (!ep->mapped) {
		*why = "no TX buffer mapped";
		return FFA_INVALID_PARAMETERS;
	}
	if (len > ep->buffer_pages * FFA_PAGE_SIZE) {
		*why = "fragment longer than the caller's TX buffer";
		return FFA_INVALID_PARAMETERS;
	}
	ep->busy++;
	*tx_pa = ep->tx_pa;
	return 0;
}

/* Copy `len` bytes at `pa` of the caller's TX buffer into private
 * memory. Each caller byte is read once: only the copy is looked at. */
static int32_t tx_read(struct ffp_call *c, uint64_t pa, uint8_t *dst,
		       uint32_t len, struct ffa_mem_error *err, uint64_t value)
{
	int st = c->p->plat->caller_read(c->p->ctx, c->ep_id, pa, dst, len);

	if (!st)
		return 0;
	*err = (struct ffa_mem_error){
		st < 0 ? ffp_status((uint32_t)st) : FFA_ABORTED,
		"cannot read the caller's TX buffer", value };
	return err->status;
}

/* A caller's first read takes its version's usual header
 * (ffa_mem_usual_size: one EMAD right after the header, the composite
 * right after it), and the parse's screen looks at it alone; more only if
 * the header asks. For 1.0 and 1.1 that is the extent's first read; for
 * 1.2+ it saves a second one, and may catch a constituent (which
 * read_constituents takes from scratch). */

/*
 * The `n` constituents of a first fragment, at `off` in it, into the
 * record at `rec` (or the proxy's TX after the header): those the header
 * reads caught (scratch holds the first `have` bytes: a 1.2 caller's
 * first read can reach past a smaller header) copied from scratch, the
 * rest read from the caller's TX after them. Each caller byte is read
 * once. have <= frag and n constituents end the fragment, so what was
 * caught fits in the n; the clamp keeps the copy inside the n
 * constituents' room whatever.
 */
static inline __attribute__((always_inline)) int32_t
read_constituents(struct ffp_call *c, uint64_t tx_pa, uint8_t *rec,
		  uint32_t n, uint32_t off, uint32_t have, uint32_t frag,
		  struct ffa_mem_error *err)
{
	uint32_t len = n * FFA_MEM_CONSTITUENT_SIZE;
	uint32_t caught = have > off ? ffp_min_u32(have - off, len) : 0;

	if (caught)
		ffp_memcpy(rec, c->p->scratch + off, caught);
	return len > caught ? tx_read(c, tx_pa + off + caught, rec + caught,
				      len - caught, err, frag)
			    : 0;
}

/* FFA_MEM_SHARE/LEND/DONATE: w1 total length, w2 fragment length, x3
 * buffer address and w4 page count (both zero: the TX buffer). */
void ffp_handle_mem_send(struct ffp_call *c)
{
	struct ffp *p = c->p;
	uint32_t fn = ffa_fn(c->func);
	uint32_t total = (uint32_t)c->in.x[1], frag = (uint32_t)c->in.x[2];
	uint32_t cap = p->cfg.buffers.pages * FFA_PAGE_SIZE, hdr_len;
	struct ffa_mem_error err = { 0, NULL, 0 };
	struct ffa_mem_txn t;
	struct send_result res;
	struct ffp_txn *x;
	uint8_t *rec;
	const char *why = NULL;
	uint64_t pages, bad = 0, tx_pa = 0, handle = 0;
	uint32_t i, n, have, need;
	int32_t st, emit_st, reach_st, read_st;
	bool complete, more, in_tx;

	/* A proxy may refuse buffers other than TX (ffa-facts 5; pKVM
	 * answers INVALID_PARAMETERS). */
	if (c->in.x[3] || (uint32_t)c->in.x[4]) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "only the TX buffer carries descriptors (x3, w4 MBZ)",
			   c->in.x[3]);
		return;
	}
	if (frag == 0 || frag > total) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "fragment length zero or above the total", frag);
		return;
	}
	if (total > p->cfg.max_descriptor_size) {
		ffp_refuse(c, FFA_NO_MEMORY,
			   "descriptor above the configured size limit", total);
		return;
	}

	ffp_lock(p, FFP_LOCK_BUFFERS);
	ffp_lock(p, FFP_LOCK_STATE);
	st = tx_begin(c, frag, &tx_pa, &why);
	ffp_unlock(p, FFP_LOCK_STATE);
	if (st) {
		ffp_unlock(p, FFP_LOCK_BUFFERS);
		ffp_refuse(c, st, why, frag);
		return;
	}
	/* The header into scratch, in as many pieces as the parser needs
	 * to see (`have` bytes read so far); the constituents go to the
	 * record later. */
	hdr_len = 0; /* until the header is emitted */
	have = ffp_min_u32(frag, ffa_mem_usual_size(c->version));
	if (tx_read(c, tx_pa, p->scratch, have, &err, frag))
		goto refuse;
	/* The screen reads no byte past these: what it takes is parsed (as
	 * ffa_mem_parse would), with nothing more to read; the rest, as the
	 * extent says. */
	if (ffa_mem_parse_screen(c->version, txn_type(fn), p->scratch, frag,
				 total, &t)) {
		/* Where the SPMC's layout is the caller's (32-byte EMADs to
		 * 1.2+, 16-byte ones to 1.0 or 1.1 as sized), the header goes
		 * as found; else hdr_len stays 0. */
		if (t.emad_size == FFA_MEM_EMAD_SIZE_V1_2)
			ffa_mem_emit_usual(p->spmc_version, p->scratch,
					   p->cfg.buffers.tx, cap, &hdr_len);
		else if (p->spmc_version < FFA_VERSION_1_2)
			ffa_mem_emit_usual_16(p->spmc_version,
					      t.constituents_offset,
					      p->scratch, p->cfg.buffers.tx,
					      cap, &hdr_len);
		st = 0;
		goto parsed;
	}
	need = ffa_mem_extent(c->version, p->scratch, have, frag, &more);
	for (;;) {
		if (need > have && tx_read(c, tx_pa + have, p->scratch + have,
					   need - have, &err, frag))
			goto refuse;
		have = need;
		if (!more)
			break;
		need = ffa_mem_extent_rules(c->version, p->scratch, have,
					    frag, &more);
	}
	/* The header's sender once the parse has read it, else the
	 * caller's id (ffa_mem_parse reads it before any rule past the
	 * lengths). */
	t.sender = c->ep_id;
	st = ffa_mem_parse(c->version, txn_type(fn), p->scratch, frag, total,
			   &t, &err);
parsed:
	/* A sender other than the caller: DENIED (DEN0077A, the Sender
	 * endpoint ID must be the Owner's; Hafnium's "Invalid memory sender
	 * ID", Arm's FF-A ACS lend_input_error_checks1), whatever else the
	 * descriptor breaks past its lengths: Hafnium's
	 * ffa_memory_send_validate checks the sender before the receivers
	 * and the other fields, and the ACS names the partition it claims
	 * to be as the receiver too (receiver == sender). */
	if ((!st || st == FFA_INVALID_PARAMETERS) && t.sender != c->ep_id)
		st = (err = (struct ffa_mem_error){ FFA_DENIED,
						    "sender is not the caller",
						    t.sender })
			     .status;
	/* ffa_mem_receivers_secure's rule, written out: through the helper
	 * gcc 12 spends 13 more instructions on a 1-range share. A parsed
	 * descriptor has one receiver at least. */
	for (i = 0; !st && (i == 0 || i < t.receiver_count); i++)
		if (!ffa_id_is_secure(t.receivers[i].id))
			st = (err = (struct ffa_mem_error){
				      FFA_INVALID_PARAMETERS,
				      "receiver is not a secure partition",
				      t.receivers[i].id })
				     .status;
	if (st)
		goto refuse;
	n = t.constituents_in_fragment;
	/* The SPMC-layout header straight into the proxy's TX (BUFFERS is
	 * held), where the constituents will follow it; a failure (a TX
	 * too small for it) is reported where the SPMC would be reached. */
	emit_st = 0;
	if (!hdr_len) {
		emit_st = ffa_mem_emit(p->spmc_version, &t, p->cfg.buffers.tx,
				       cap, &hdr_len);
		if (emit_st)
			hdr_len = ffa_mem_emit_size(p->spmc_version,
						    t.receiver_count);
	}

	/* Constituents that fit in the proxy's TX after the header are read
	 * there before STATE is taken (BUFFERS makes it private memory until
	 * the SMC), so that the record, its room and the pages take one
	 * STATE section; a failed read is reported after the refusals that
	 * come before it (txn_new, txn_room). Others are read into the
	 * record's room, which needs the record first. reach_st: what
	 * reaching the SPMC will answer once its buffers are mapped (a
	 * header that did not fit, or no room for a constituent after it). */
	reach_st = emit_st                                  ? emit_st
		   : cap - hdr_len < FFA_MEM_CONSTITUENT_SIZE ? FFA_NO_MEMORY
							      : 0;
	in_tx = !reach_st && n <= (cap - hdr_len) / FFA_MEM_CONSTITUENT_SIZE;
	read_st = in_tx ? read_constituents(c, tx_pa,
					    (uint8_t *)p->cfg.buffers.tx +
						    hdr_len,
					    n, t.constituents_offset, have,
					    frag, &err)
			: 0;
	ffp_lock(p, FFP_LOCK_STATE);
	x = txn_new(p,
		    &(struct ffp_txn){
			    .owner = c->ep_id,
			    .fn = (uint8_t)fn,
			    .busy = true,
			    .charged = true,
			    .ranges_reserved = t.range_count,
			    .pages_expected = t.total_pages,
			    .caller_total = total,
			    .caller_received = frag,
			    .spmc_total = hdr_len + t.range_count *
							    FFA_MEM_CONSTITUENT_SIZE,
		    },
		    &err);
	if (!x) {
		ffp_unlock(p, FFP_LOCK_STATE);
		goto refuse;
	}
	st = txn_room(p, x, n, &rec, &err);
	if (st)
		goto release;
	if (in_tx) {
		st = read_st ? read_st
			     : take_constituents_in_tx(p, x, rec, n, hdr_len,
						       frag == total, &pages,
						       &err);
	} else {
		/* Into the record, without STATE (txn_room). */
		ffp_unlock(p, FFP_LOCK_STATE);
		st = read_constituents(c, tx_pa, rec, n, t.constituents_offset,
				       have, frag, &err);
		ffp_lock(p, FFP_LOCK_STATE);
		if (!st)
			st = take_constituents(p, x, rec, n, hdr_len,
					       frag == total, &pages, &err);
	}
	if (!st) {
		st = claim_ranges(p, x, rec, n, &bad);
		if (st)
			err = (struct ffa_mem_error){
				st, "pages not owned by the caller, or already "
				    "shared",
				bad };
	}
	if (st)
		goto release;
	x->pages_seen = (uint32_t)pages; /* at most pages_expected */
	ffp_unlock(p, FFP_LOCK_STATE);

	/* Mapped once, by the first send: a test on every other. */
	st = p->spmc_buffers_mapped ? 0 : ffp_spmc_buffers_map(p);
	if (!st)
		st = reach_st;
	if (st) {
		txn_fail(p, x, false);
		err = (struct ffa_mem_error){
			st, "cannot reach the SPMC through the proxy's buffers",
			0 };
		goto refuse;
	}
	if (!spmc_send(p, x, c->func, hdr_len, rec, n,
		       in_tx ? n : cons_fit(p, n, hdr_len), &handle, &res)) {
		txn_fail(p, x, res.outcome == SPMC_REFUSED);
		err = (struct ffa_mem_error){ res.status, res.why, res.value };
		goto refuse;
	}
	complete = frag == total;
	ffp_lock(p, FFP_LOCK_STATE);
	if (!adopt_handle(p, x, handle)) {
		ffp_unlock(p, FFP_LOCK_STATE);
		txn_fail(p, x, false);
		err = (struct ffa_mem_error){ FFA_ABORTED, bad_handle, handle };
		goto refuse;
	}
	reply_progress(c, x, complete, handle);
	txn_advance(p, x, false, complete);
	c->ep->busy--;
	ffp_unlock(p, FFP_LOCK_STATE);
	ffp_unlock(p, FFP_LOCK_BUFFERS);
	return;

release: /* STATE held: the record goes, no page was taken */
	txn_release(p, x);
	ffp_unlock(p, FFP_LOCK_STATE);
refuse:
	unbusy(p, c->ep);
	ffp_unlock(p, FFP_LOCK_BUFFERS);
	refuse_mem(c, &err);
}

/* FFA_MEM_FRAG_TX: w1/w2 handle, w3 fragment length, w4[31:16] sender
 * (0 from a virtual instance, or the caller itself), w4[15:0] MBZ. */
void ffp_handle_mem_frag_tx(struct ffp_call *c)
{
	struct ffp *p = c->p;
	uint64_t handle = reg_handle(c->in.x[1], c->in.x[2]), pages = 0;
	uint32_t len = (uint32_t)c->in.x[3], w4 = (uint32_t)c->in.x[4], n = 0;
	struct ffa_mem_error err = { 0, NULL, 0 };
	struct send_result res;
	struct ffp_txn *x;
	uint8_t *rec = NULL;
	const char *why = NULL;
	uint64_t bad = 0, tx_pa = 0, named = 0;
	int32_t st;
	bool complete = false, busied = false;

	/* w4[15:0] reserved: INVALID_PARAMETERS, as TF-A's EL3 SPMC
	 * answers (spmc_ffa_mem_frag_tx compares w4 whole with the sender
	 * << 16; Hafnium reads w4[31:16] alone). */
	if ((w4 & 0xffffu) || ((w4 >> 16) && (w4 >> 16) != c->ep_id)) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   (w4 & 0xffffu) ? "FRAG_TX w4[15:0] MBZ"
					  : "FRAG_TX w4 names another sender",
			   w4);
		return;
	}
	ffp_lock(p, FFP_LOCK_BUFFERS);
	ffp_lock(p, FFP_LOCK_STATE);
	/* Removed since the call began: a transaction under the id is a new
	 * endpoint's, which a bad fragment here would end. */
	if (ffp_call_stale(c)) {
		ffp_unlock(p, FFP_LOCK_STATE);
		ffp_unlock(p, FFP_LOCK_BUFFERS);
		ffp_refuse(c, FFA_NOT_SUPPORTED, FFP_WHY_STALE, c->ep_id);
		return;
	}
	x = ffp_txn_find_inline(&p->txns, handle);
	/* A foreign, unknown, complete or in-flight handle: one answer, and
	 * nothing touched (the caller learns nothing of others' handles). */
	if (!x || x->owner != c->ep_id || x->state != FFP_TXN_SENDING ||
	    x->busy) {
		ffp_unlock(p, FFP_LOCK_STATE);
		ffp_unlock(p, FFP_LOCK_BUFFERS);
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "FRAG_TX: no transaction of the caller awaits "
			   "this handle",
			   handle);
		return;
	}
	x->busy = true;
	/* From here a bad fragment ends the transaction, as at the SPMC.
	 * The fragment is all constituents: straight into the record. The
	 * checks need no platform call: still in this STATE section. */
	st = ffa_mem_check_fragment(len, x->caller_total - x->caller_received,
				    &n, &err);
	if (!st)
		st = txn_room(p, x, n, &rec, &err);
	if (!st) {
		st = tx_begin(c, len, &tx_pa, &why);
		if (st)
			err = (struct ffa_mem_error){ st, why, len };
		else
			busied = true;
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	if (!st)
		st = tx_read(c, tx_pa, rec, len, &err, len);
	if (!st) {
		complete = len == x->caller_total - x->caller_received;
		ffp_lock(p, FFP_LOCK_STATE);
		st = take_constituents(p, x, rec, n, 0, complete, &pages,
				       &err);
		if (!st) {
			st = claim_ranges(p, x, rec, n, &bad);
			if (st)
				err = (struct ffa_mem_error){
					st, "pages not owned by the caller, "
					    "or already shared",
					bad };
		}
		/* With the ranges they sum: an orphan made of x by a bad
		 * SPMC reply holds them too (ffp_transaction_info). */
		if (!st)
			x->pages_seen = (uint32_t)pages; /* <= pages_expected */
		ffp_unlock(p, FFP_LOCK_STATE);
	}
	if (st) {
		txn_fail(p, x, false);
		goto refuse;
	}
	/* x is indexed: spmc_send checks each handle named against its. */
	if (!spmc_send(p, x, 0, 0, rec, n, cons_fit(p, n, 0), &named,
		       &res)) {
		err = (struct ffa_mem_error){ res.status, res.why, res.value };
		txn_fail(p, x, res.outcome == SPMC_REFUSED);
		goto refuse;
	}
	ffp_lock(p, FFP_LOCK_STATE);
	x->caller_received += len;
	reply_progress(c, x, complete, handle);
	txn_advance(p, x, true, complete);
	c->ep->busy--;
	ffp_unlock(p, FFP_LOCK_STATE);
	ffp_unlock(p, FFP_LOCK_BUFFERS);
	return;

refuse:
	if (busied)
		unbusy(p, c->ep);
	ffp_unlock(p, FFP_LOCK_BUFFERS);
	refuse_mem(c, &err);
}

/* FFA_MEM_RECLAIM: w1/w2 handle, w3 flags (bit 0 zero memory; bit 1
 * time slicing, refused; others MBZ). One SMC; pages return only once the SPMC
 * agrees. */
void ffp_handle_mem_reclaim(struct ffp_call *c)
{
	struct ffp *p = c->p;
	uint64_t handle = reg_handle(c->in.x[1], c->in.x[2]);
	uint32_t flags = (uint32_t)c->in.x[3];
	struct ffa_regs r;
	struct ffp_txn *x;

	if (flags & ~(FFA_MEM_FLAG_ZERO | FFA_MEM_FLAG_TIME_SLICE)) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "MEM_RECLAIM flags MBZ bits set", flags);
		return;
	}
	/* Bit 1, time slicing: MBZ where the Relayer does not time slice,
	 * else INVALID_PARAMETERS (DEN0077A, FFA_MEM_RECLAIM flags); the
	 * proxy does not (no FFA_MEM_OP_PAUSE/RESUME). */
	if (flags & FFA_MEM_FLAG_TIME_SLICE) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "MEM_RECLAIM time-slicing flag: the proxy does not "
			   "time slice",
			   flags);
		return;
	}
	ffp_lock(p, FFP_LOCK_STATE);
	/* Removed since the call began: the id's transactions are a new
	 * endpoint's (the removal reclaimed or orphaned its own). */
	if (ffp_call_stale(c)) {
		ffp_unlock(p, FFP_LOCK_STATE);
		ffp_refuse(c, FFA_NOT_SUPPORTED, FFP_WHY_STALE, c->ep_id);
		return;
	}
	x = ffp_txn_find_inline(&p->txns, handle);
	if (!x || x->owner != c->ep_id || x->state != FFP_TXN_LIVE) {
		ffp_unlock(p, FFP_LOCK_STATE);
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "MEM_RECLAIM: no complete transaction of the caller "
			   "has this handle (donations are final)",
			   handle);
		return;
	}
	if (x->busy) {
		ffp_unlock(p, FFP_LOCK_STATE);
		ffp_refuse(c, FFA_BUSY, "MEM_RECLAIM: transaction in use",
			   handle);
		return;
	}
	x->busy = true;
	ffp_unlock(p, FFP_LOCK_STATE);

	ffp_regs_zero(&r);
	r.x[0] = FFA_MEM_RECLAIM_32;
	r.x[1] = (uint32_t)handle;
	r.x[2] = (uint32_t)(handle >> 32);
	r.x[3] = flags;
	ffp_smc(p, &r);

	ffp_lock(p, FFP_LOCK_STATE);
	x->busy = false;
	if (ffp_is_success(r.x[0])) {
		release_ranges_inline(p, x, 0);
		txn_release_inline(p, x);
	} else if (!x->indexed) {
		/* A send took its handle meanwhile (adopt_reclaimed): the
		 * SPMC gave out a handle it had not freed. Nothing can name
		 * this record now; its pages stay taken. */
		x->state = FFP_TXN_ORPHAN;
		ffp_log(p, x->owner, FFA_MEM_RECLAIM_32, FFA_ABORTED,
			"SPMC gave out the handle of a transaction it refused "
			"to reclaim: its pages stay taken (orphan)",
			x->handle);
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	if (ffp_is_success(r.x[0]))
		c->out.x[0] = FFA_SUCCESS_32; /* ffp_success(): c->out is zero */
	else if ((uint32_t)r.x[0] == FFA_ERROR_32)
		ffp_refuse(c, ffp_status(r.x[2]), "SPMC refused the reclaim",
			   (uint32_t)r.x[2]);
	else
		ffp_refuse(c, FFA_ABORTED, "unexpected reply from the SPMC",
			   r.x[0]);
}

/* ---- Teardown */

static void report_orphan(struct ffp *p, const struct ffp_txn *x)
{
	ffp_log(p, x->owner, FFA_MEM_RECLAIM_32, FFA_DENIED,
		"endpoint gone while a partition holds its memory: "
		"transaction kept as an orphan, pages stay taken",
		x->handle);
}

/* A call of the present endpoint `id` works on one of its records. Only
 * records charged to it count: an earlier endpoint's orphan under the
 * same id (charged to nobody once that one was removed) may be busy in
 * ffp_orphans_reclaim, which is no call of this one's. */
bool ffp_mem_endpoint_busy(const struct ffp *p, uint16_t id)
{
	uint32_t i;

	for (i = 0; i < p->txns.capacity; i++)
		if (p->txns.txns[i].state != FFP_TXN_FREE &&
		    p->txns.txns[i].owner == id && p->txns.txns[i].busy &&
		    p->txns.txns[i].charged)
			return true;
	return false;
}

void ffp_mem_endpoint_teardown(struct ffp *p, uint16_t id, bool removing,
			       uint32_t gen)
{
	uint32_t i;

	ffp_lock(p, FFP_LOCK_BUFFERS);
	ffp_lock(p, FFP_LOCK_STATE);
	/* An RXTX_UNMAP of an endpoint removed since: its transactions go
	 * with the removal, those under the id then are a new endpoint's.
	 * At each step: STATE is let go around each SMC. The gen alone:
	 * the removal's own teardown is of an endpoint no longer present. */
	for (i = 0; p->eps[id].gen == gen &&
		    i < p->txns.capacity;
	     i++) {
		struct ffp_txn *x = &p->txns.txns[i];
		bool sending = x->state == FFP_TXN_SENDING;

		if (x->owner != id || x->busy ||
		    !(sending || (removing && x->state == FFP_TXN_LIVE)))
			continue;
		x->busy = true;
		ffp_unlock(p, FFP_LOCK_STATE);
		if (sending) {
			/* Pending fragments: the SPMC drops it, the pages go
			 * back (or it stays an orphan, logged). */
			txn_fail(p, x, false);
			ffp_lock(p, FFP_LOCK_STATE);
			continue;
		}
		if (spmc_forget(p, x, false) == FORGET_GONE) {
			ffp_lock(p, FFP_LOCK_STATE);
			release_ranges(p, x, 0);
			txn_release(p, x);
		} else {
			ffp_lock(p, FFP_LOCK_STATE);
			x->state = FFP_TXN_ORPHAN;
			x->busy = false;
			report_orphan(p, x);
		}
	}
	/* Orphans outlive their owner: they stop counting against an id
	 * that may be given to a new endpoint. */
	for (i = 0; removing && i < p->txns.capacity; i++)
		if (p->txns.txns[i].state != FFP_TXN_FREE &&
		    p->txns.txns[i].owner == id)
			p->txns.txns[i].charged = false;
	ffp_unlock(p, FFP_LOCK_STATE);
	ffp_unlock(p, FFP_LOCK_BUFFERS);
}

uint32_t ffp_orphans_reclaim(struct ffp *p)
{
	uint32_t i, left = 0;

	ffp_lock(p, FFP_LOCK_BUFFERS);
	ffp_lock(p, FFP_LOCK_STATE);
	for (i = 0; i < p->txns.capacity; i++) {
		struct ffp_txn *x = &p->txns.txns[i];
		bool gone;

		if (x->state != FFP_TXN_ORPHAN || x->busy)
			continue;
		/* A handle the SPMC never confirmed cannot be named. */
		if (!x->indexed) {
			left++;
			continue;
		}
		x->busy = true;
		ffp_unlock(p, FFP_LOCK_STATE);
		gone = spmc_forget(p, x, false) == FORGET_GONE;
		ffp_lock(p, FFP_LOCK_STATE);
		x->busy = false;
		if (gone) {
			release_ranges(p, x, 0);
			txn_release(p, x);
		} else {
			left++;
		}
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	ffp_unlock(p, FFP_LOCK_BUFFERS);
	return left;
}

/* STATE held. */
static void transaction_view(const struct ffp_txn *x,
			     struct ffp_transaction_info *out)
{
	out->handle = x->handle;
	out->handle_valid = x->indexed;
	out->owner = x->owner;
	out->func = x->fn;
	out->sending = x->state == FFP_TXN_SENDING || x->state == FFP_TXN_NEW;
	out->orphan = x->state == FFP_TXN_ORPHAN;
	out->range_count = x->range_count;
	out->pages = x->pages_seen;
}

int ffp_transaction_info(struct ffp *p, uint32_t index,
			 struct ffp_transaction_info *out)
{
	uint32_t i, seen = 0;
	int ret = FFA_INVALID_PARAMETERS;

	if (!out) /* as ffp_endpoint_info */
		return ret;
	ffp_memset(out, 0, sizeof(*out));
	ffp_lock(p, FFP_LOCK_STATE);
	for (i = 0; i < p->txns.capacity; i++) {
		const struct ffp_txn *x = &p->txns.txns[i];

		if (x->state == FFP_TXN_FREE || seen++ != index)
			continue;
		transaction_view(x, out);
		ret = 0;
		break;
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	return ret;
}

int ffp_transaction_next(struct ffp *p, uint32_t *cursor,
			 struct ffp_transaction_info *out)
{
	uint32_t i;
	int ret = FFA_INVALID_PARAMETERS;

	if (!out || !cursor)
		return ret;
	ffp_memset(out, 0, sizeof(*out));
	ffp_lock(p, FFP_LOCK_STATE);
	for (i = *cursor; i < p->txns.capacity; i++) {
		if (p->txns.txns[i].state == FFP_TXN_FREE)
			continue;
		transaction_view(&p->txns.txns[i], out);
		*cursor = i + 1;
		ret = 0;
		break;
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	return ret;
}
