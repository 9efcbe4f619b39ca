/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Is translation transparent? For a caller at version V, what it observes
 * through the proxy over an SPMC at version S must equal what it observes
 * over an SPMC at V (where nothing needs translating), for every V, S in
 * {1.0, 1.1, 1.2}. Two worlds with identical partitions, memory and
 * callers (VM 1 at V, the host at V or, under translate, any version),
 * differing only in the SPMC's version (and, for the one under test, how
 * it answers a newer FFA_VERSION), are driven with the same seeded random
 * call sequence; after
 * every call they must agree on x0..x17, on the bytes of both callers' RX
 * buffers, on every page's state, on what the proxy says of the callers,
 * and on the memory transactions each SPMC model holds (normalised).
 * Under the strict policy (every caller at the SPMC's version) the same
 * holds between strict and translate for V == S; and a strict proxy that
 * renegotiated an SPMC at S down to an older V (its first caller asked
 * V) must look exactly as a strict proxy over an SPMC at V.
 *
 * What may legitimately differ, each encoded narrowly where it is
 * checked, anything else being a bug:
 *  - a call the older SPMC lacks (SPM_ID_GET below 1.1, DIRECT_REQ2
 *    below 1.2, and FFA_FEATURES of them): a clean NOT_SUPPORTED there
 *    (legit()); PARTITION_INFO_GET_REGS is not one: the proxy emulates
 *    it below 1.2, and over a 1.2 SPMC lacking it (test_lacking_regs);
 *  - partition properties the older SPMC does not report (1.0:
 *    notifications, id type; 1.1: the DIRECT_REQ2 bits) (compare_state;
 *    PARTITION_INFO_GET_REGS's in legit());
 *  - 1.2 EMAD IMPDEF values, which an older SPMC has nowhere to keep;
 *  - under strict, FFA_VERSION's answer: the version in use with the
 *    SPMC, where translate answers its own (legit());
 *  - the host's FFA_RUN for cycles of an idle vCPU, which the SPMC model
 *    runs only from 1.1 (legit()).
 * Absolutes, in both worlds: SMC32 results are 32-bit, error frames carry
 * only w2, and x8..x17 stay the caller's but for SMC64 calls at 1.2
 * (DIRECT_RESP2's payload excepted).
 *
 * TRANSP_ITERS sets sequences per (V, S) pair (default 12 of 150 calls);
 * TRANSP_STATS=1 prints every reference reply and refusal reason.
 */
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/mem.h>
#include <ffaproxy/partinfo.h>

#include "sim/simplat.h"

#include "check.h"

#define RAM 0x80000000ull
#define VM_RAM 0x90000000ull
#define VM_ID 1u
#define STEPS 150u
#define BUF_PAGES 2u
#define NPARTS 3u

static uint64_t rng;

static uint32_t rnd(uint32_t n) /* [0, n) */
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

static uint64_t rnd64(void)
{
	return ((uint64_t)rnd(0xffffffffu) << 32) | rnd(0xffffffffu);
}

static const uint32_t versions[] = { FFA_VERSION_1_0, FFA_VERSION_1_1,
				     FFA_VERSION_1_2 };

static const uint8_t uuid_a[16] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66,
				    0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc,
				    0xdd, 0xee, 0xff, 0x01 };
static const uint8_t uuid_b[16] = { 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5,
				    0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb,
				    0xbc, 0xbd, 0xbe, 0xbf };

static const uint16_t part_ids[NPARTS] = { 0x8001, 0x8002, 0x8003 };

static const char *last_why;

static void on_log(void *ctx, unsigned depth, const struct ffp_log_event *ev)
{
	(void)ctx;
	(void)depth;
	last_why = ev->why;
}

static const struct simplat_hooks hooks = { .log = on_log };

/* Knobs both worlds share, drawn per sequence. */
static struct {
	uint32_t hyp_pages;
	bool per_range, no_x0_x7, check_last, info_rx;
	/* the world under test's SPMC only: how it answers a newer
	 * FFA_VERSION than its own (the reference's is the default) */
	enum spmc_newer_version newer;
} knob;

static struct simplat *world_new(uint32_t sv, enum ffp_policy pol,
				  enum spmc_newer_version newer)
{
	struct simplat *sp = calloc(1, sizeof(*sp));
	struct simplat_config cfg;
	const char *why = NULL;
	unsigned i;

	CHECK(sp != NULL);
	simplat_config_default(&cfg);
	cfg.spmc_version = sv;
	cfg.proxy.policy = pol;
	cfg.host_ram[0].base = RAM;
	cfg.host_ram[0].size = 8 << 20;
	cfg.host_ram_count = 1;
	for (i = 0; i < NPARTS; i++) {
		cfg.parts[i].id = part_ids[i];
		memcpy(cfg.parts[i].uuid, i ? uuid_b : uuid_a, 16);
		cfg.uuids[i].id = part_ids[i];
		memcpy(cfg.uuids[i].uuid, i ? uuid_b : uuid_a, 16);
	}
	cfg.parts[0].exec_ctx = 1;
	cfg.parts[0].props = FFA_PART_PROP_DIRECT_REQ_RECV |
			     FFA_PART_PROP_DIRECT_REQ_SEND |
			     FFA_PART_PROP_AARCH64 |
			     FFA_PART_PROP_DIRECT_REQ2_RECV;
	cfg.parts[1].exec_ctx = 4;
	cfg.parts[1].props = FFA_PART_PROP_DIRECT_REQ_RECV |
			     FFA_PART_PROP_INDIRECT_MSG |
			     FFA_PART_PROP_NOTIFICATION | FFA_PART_PROP_AARCH64;
	cfg.parts[2].exec_ctx = 2;
	cfg.parts[2].props = FFA_PART_PROP_AARCH64;
	cfg.part_count = NPARTS;
	cfg.uuid_count = NPARTS;
	cfg.hyp_buffer_pages = knob.hyp_pages;
	cfg.per_range_transitions = knob.per_range;
	cfg.no_smc_x0_x7 = knob.no_x0_x7;
	cfg.spmc_check_constituents = knob.check_last ? SPMC_CHECK_LAST
						      : SPMC_CHECK_EACH;
	cfg.spmc_info_error_gives_rx = knob.info_rx;
	cfg.spmc_newer_version = newer;
	CHECK_EQ(simplat_init(sp, &cfg, &hooks, &why), 0);
	return sp; /* VM 1: added by the prologue */
}

static void world_free(struct simplat *sp)
{
	simplat_destroy(sp);
	free(sp);
}

static uint64_t ep_ram(uint16_t ep)
{
	return ep ? VM_RAM : RAM;
}

/* Each caller's buffers: TX at +0, RX at +0x10000. */
#define TX_OFF 0x0ull
#define RX_OFF 0x10000ull
#define PAGES_OFF 0x100000ull /* 64 pages of memory to share */
#define SHARE_PAGES 64u /* usual ranges of a send, at most half of it */

/* The sequence's bookkeeping, driven by the reference world's answers. */
static struct {
	uint32_t v, s;
	uint32_t h; /* the host's version (V, or any under translate) */
	bool strict;
	bool reneg; /* both strict; a's SPMC at S >= V renegotiated to V */
	uint64_t handles[16];
	uint16_t owner[16];
	uint16_t rcv[16][3];
	unsigned rcv_count[16];
	unsigned nhandles;
	/* a transaction awaiting fragments: handle, caller, bytes left */
	uint64_t pend_handle;
	uint16_t pend_ep;
	uint32_t pend_sent, pend_total;
	const char *what;
	unsigned step;
	/* the last partition descriptors written to each caller's RX */
	uint32_t pi_count[2], pi_size[2];
} q;

static uint8_t desc[16384];

static struct ffa_regs reply_a, reply_b;

static bool regs_equal(const struct ffa_regs *a, const struct ffa_regs *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* PARTITION_INFO_GET_REGS, emulated from the buffer form below 1.2: the
 * same registers but for the properties the older SPMC does not report
 * (as compare_state masks the buffer form's; a 1.0 SPMC's partitions are
 * reported AArch64). */
static bool pinfo_regs_same(const struct ffa_regs *in,
			    const struct ffa_regs *a, const struct ffa_regs *b)
{
	uint32_t lo = q.s < q.v ? q.s : q.v;
	struct ffa_regs ma = *a, mb = *b;
	uint64_t m;
	unsigned i;

	if (ffa_fn((uint32_t)in->x[0]) != FFA_FN_PARTITION_INFO_GET_REGS ||
	    lo >= FFA_VERSION_1_2 || (uint32_t)a->x[0] != FFA_SUCCESS_64 ||
	    (uint32_t)b->x[0] != FFA_SUCCESS_64)
		return false;
	m = (uint64_t)(ffa_partinfo_props_mask(lo) |
		       (lo == FFA_VERSION_1_0 ? FFA_PART_PROP_AARCH64 : 0))
		    << 32 |
	    0xffffffffu;
	for (i = 3; i < FFA_NREGS; i += 3) {
		ma.x[i] &= m;
		mb.x[i] &= m;
	}
	return regs_equal(&ma, &mb);
}

/* Differences the versions explain; each returns true when the two
 * replies differ only in what a caller at q.v over an SPMC at q.s cannot
 * be given. */
/* FFA_MSG_WAIT, w0 alone. */
static bool msg_wait(const struct ffa_regs *r)
{
	unsigned i;

	for (i = 1; i < 8; i++)
		if (r->x[i])
			return false;
	return r->x[0] == FFA_MSG_WAIT_32;
}

/* An error frame, DENIED or INVALID_PARAMETERS, w2 alone. */
static bool run_refused(const struct ffa_regs *r)
{
	int32_t st = (int32_t)(uint32_t)r->x[2];
	unsigned i;

	for (i = 3; i < 8; i++)
		if (r->x[i])
			return false;
	return r->x[0] == FFA_ERROR_32 && !r->x[1] &&
	       (st == FFA_DENIED || st == FFA_INVALID_PARAMETERS);
}

static bool legit(const struct ffa_regs *in, const struct ffa_regs *a,
		  const struct ffa_regs *b)
{
	uint32_t fn = ffa_fn((uint32_t)in->x[0]);
	bool a_ns = (uint32_t)a->x[0] == FFA_ERROR_32 &&
		    (int32_t)a->x[2] == FFA_NOT_SUPPORTED;
	bool b_ns = (uint32_t)b->x[0] == FFA_ERROR_32 &&
		    (int32_t)b->x[2] == FFA_NOT_SUPPORTED;

	/* Strict: FFA_VERSION answers the version in use with the SPMC,
	 * translate the proxy's own (docs/versions.md); what the caller is
	 * then served at is compared in compare_state. */
	if (q.reneg)
		return false;
	if (q.strict || fn == FFA_FN_VERSION)
		return q.strict && fn == FFA_FN_VERSION &&
		       (uint32_t)a->x[0] == FFA_VERSION_1_2 &&
		       (uint32_t)b->x[0] == q.s && !a->x[1] && !b->x[1];
	/* Calls the older SPMC does not have: a clean NOT_SUPPORTED, all
	 * else zero. FFA_FEATURES of such a call: NOT_SUPPORTED too. (The
	 * caller may have negotiated another version than V before its
	 * lock, so the older SPMC may be either world's.) */
	{
		uint32_t lo = q.s < q.v ? q.s : q.v;
		bool lo_ns = q.s < q.v ? a_ns : b_ns;
		uint32_t f = fn;

		if (fn == FFA_FN_FEATURES)
			f = ffa_fn((uint32_t)in->x[1]);
		if (lo_ns && (f == FFA_FN_SPM_ID_GET || f == FFA_FN_MSG_SEND2) &&
		    lo < FFA_VERSION_1_1)
			return true;
		if (lo_ns && f == FFA_FN_MSG_SEND_DIRECT_REQ2 &&
		    lo < FFA_VERSION_1_2)
			return true;
		/* Notifications (1.1), and FFA_FEATURES of the schedule
		 * receiver interrupt (feature id 2). */
		if (lo_ns && lo < FFA_VERSION_1_1 &&
		    ((f >= FFA_FN_NOTIFICATION_BIND &&
		      f <= FFA_FN_NOTIFICATION_INFO_GET) ||
		     (fn == FFA_FN_FEATURES &&
		      (uint32_t)in->x[1] == FFA_FEATURE_SRI)))
			return true;
		/* The host's FFA_RUN of a vCPU in no request, for cycles:
		 * the SPMC model runs it from 1.1 (FFA_MSG_WAIT, w0 alone),
		 * not below (DENIED; INVALID_PARAMETERS for a vCPU other
		 * than the one it preempts). Relayed as is in both. */
		if (fn == FFA_FN_RUN && lo < FFA_VERSION_1_1 &&
		    ((msg_wait(a) && run_refused(b)) ||
		     (msg_wait(b) && run_refused(a))))
			return true;
	}
	return false;
}

static bool clean_ns(const struct ffa_regs *a)
{
	unsigned i;

	if ((uint32_t)a->x[0] != FFA_ERROR_32 ||
	    (uint32_t)a->x[2] != (uint32_t)FFA_NOT_SUPPORTED || a->x[1])
		return false;
	for (i = 3; i < 8; i++)
		if (a->x[i])
			return false;
	return true;
}

static void dump(const char *name, const struct ffa_regs *r)
{
	unsigned i;

	fprintf(stderr, "  %s:", name);
	for (i = 0; i < FFA_NREGS; i++)
		if (r->x[i])
			fprintf(stderr, " x%u=%llx", i,
				(unsigned long long)r->x[i]);
	fprintf(stderr, "\n");
}

static bool failed_now;
static struct ffa_regs in_junk;

static void differ(const char *what, const struct ffa_regs *in)
{
	if (failed_now)
		return;
	failed_now = true;
	check_failed_in_test = 1;
	fprintf(stderr,
		"FAIL transparency V=%x S=%x%s step %u (%s): %s differs\n",
		q.v, q.s,
		q.reneg ? " strict renegotiated" : q.strict ? " strict" : "",
		q.step, q.what, what);
	if (in) {
		dump("in ", in);
		dump("in'", &in_junk);
		dump("S  ", &reply_a);
		dump("ref", &reply_b);
	}
}

/* One call in both worlds; compare the replies. Returns the reference
 * world's reply. */
static struct ffa_regs call2(struct simplat *a, struct simplat *b,
			     uint16_t ep, const struct ffa_regs *in)
{
	bool ha, hb;

	reply_a = *in;
	/* The caller's registers past those its call sets hold whatever
	 * they held: SMCCC says which the callee preserves. Sometimes junk
	 * there (from x8: x1..x7 junk is the hostile tests' business). */
	if (rnd(3) == 0) {
		unsigned i;

		for (i = 8; i < FFA_NREGS; i++)
			if (!reply_a.x[i])
				reply_a.x[i] = rnd64();
	}
	/* Now and then junk in an argument register the call leaves zero
	 * (reserved, MBZ, or a flag the caller should not set). */
	if (rnd(10) == 0) {
		unsigned i = 1 + rnd(7);

		if (!reply_a.x[i])
			reply_a.x[i] = rnd(2) ? 1u << rnd(32) : rnd(0xffffffffu);
	}
	/* SMC32: x1..x7's upper halves are no part of the call. */
	if (!(reply_a.x[0] & SMCCC_SMC64) && rnd(4) == 0) {
		unsigned i;

		for (i = 1; i < 8; i++)
			reply_a.x[i] |= (uint64_t)(rnd(0xffffffffu) | 1u) << 32;
	}
	reply_b = reply_a;
	in_junk = reply_a;
	ha = simplat_call(a, ep, &reply_a);
	last_why = NULL;
	hb = simplat_call(b, ep, &reply_b);
	CHECK(ha && hb);
	if (getenv("TRANSP_STATS"))
		fprintf(stderr, "RES %s %x %d %s\n", q.what,
			(uint32_t)reply_b.x[0], (int32_t)reply_b.x[2],
			(uint32_t)reply_b.x[0] == FFA_ERROR_32 && last_why
				? last_why
				: "");
	/* Absolutes, both worlds: SMC32 results are 32-bit, and x8..x17
	 * are left as they were except for SMC64 calls of a 1.2 caller
	 * (include/ffaproxy/proxy.h, ffp_handle; SMCCC 1.2). */
	{
		struct ffp_endpoint_info ei;
		const struct ffa_regs *rr[2] = { &reply_a, &reply_b };
		unsigned w, i;
		bool smc64 = (in_junk.x[0] & SMCCC_SMC64) != 0;

		memset(&ei, 0, sizeof(ei));
		(void)ffp_endpoint_info(b->proxy, ep, &ei);
		for (w = 0; w < 2; w++) {
			/* (FFA_RUN completing a preempted DIRECT_REQ_64
			 * answers with its 64-bit response frame) */
			for (i = 0; !smc64 && !(rr[w]->x[0] & SMCCC_SMC64) &&
				    i < 8;
			     i++)
				if (rr[w]->x[i] >> 32)
					differ(w ? "reference: SMC32 result upper half"
						 : "SMC32 result upper half",
					       in);
			/* An error frame: w2 the status, w1 and w3..w7
			 * zero (no hypervisor data leaks). */
			for (i = 1; (uint32_t)rr[w]->x[0] == FFA_ERROR_32 &&
				    i < 8;
			     i++)
				if (i != 2 && rr[w]->x[i])
					differ(w ? "reference: error frame not clean"
						 : "error frame not clean",
					       in);
			/* (FFA_RUN completing a DIRECT_REQ2 returns its
			 * payload there) */
			if ((uint32_t)rr[w]->x[0] == FFA_MSG_SEND_DIRECT_RESP2_64)
				continue;
			for (i = 8; (!smc64 || ei.version < FFA_VERSION_1_2) &&
				    i < FFA_NREGS;
			     i++)
				if (rr[w]->x[i] != in_junk.x[i])
					differ(w ? "reference: x8..x17 not preserved"
						 : "x8..x17 not preserved",
					       in);
		}
	}
	if (!regs_equal(&reply_a, &reply_b) &&
	    !pinfo_regs_same(in, &reply_a, &reply_b)) {
		if (!legit(in, &reply_a, &reply_b))
			differ("registers", in);
		else if (!q.strict && ffa_fn((uint32_t)in->x[0]) != FFA_FN_RUN &&
			 !clean_ns(q.s < q.v ? &reply_a : &reply_b))
			differ("registers (unclean NOT_SUPPORTED)", in);
	}
	return reply_b;
}

static void caller_tx_write(struct simplat *a, struct simplat *b,
			    uint16_t ep, const void *src, size_t len)
{
	uint64_t tx = ep_ram(ep) + TX_OFF;
	int sa = simmem_write(a->mem, tx, src, len);
	int sb = simmem_write(b->mem, tx, src, len);

	/* (the VM's RAM is gone while a re-add of it is refused) */
	CHECK_EQ(sa, sb);
	if (!ep)
		CHECK_EQ(sa, 0);
}

/* What the caller sees after the call: RX bytes of both callers, page
 * states, what the proxy says of each caller, the SPMC's transactions. */
static void compare_state(struct simplat *a, struct simplat *b)
{
	static uint8_t ra[BUF_PAGES * FFA_PAGE_SIZE], rb[sizeof(ra)];
	uint16_t eps[2] = { 0, VM_ID };
	const uint32_t lo_spmc = q.s < q.v ? q.s : q.v;
	unsigned e, i, j;

	for (e = 0; e < 2; e++) {
		struct ffp_endpoint_info ia, ib;
		uint64_t rx = ep_ram(eps[e]) + RX_OFF;

		if (simmem_read(a->mem, rx, ra, sizeof(ra)) !=
		    simmem_read(b->mem, rx, rb, sizeof(rb)))
			differ("caller memory present", NULL);
		/* Partition properties an older SPMC does not report (1.0:
		 * notifications, id type; 1.1: DIRECT_REQ2) cannot be given
		 * to a newer caller: compare the bits both have. */
		for (i = 0; i < q.pi_count[e] && q.pi_size[e] >= 8 &&
			    (uint64_t)i * q.pi_size[e] + 8 <= sizeof(ra);
		     i++) {
			uint32_t lo = q.s < q.v ? q.s : q.v;
			/* (1.0 has no execution state either, but the proxy
			 * reports a 1.0 SPMC's partitions as AArch64, as a
			 * 1.0 caller would take them: these all are.) */
			uint32_t m = ffa_partinfo_props_mask(lo) |
				     (lo == FFA_VERSION_1_0 ? FFA_PART_PROP_AARCH64
							    : 0);
			uint8_t *pa = ra + i * q.pi_size[e] + 4;
			uint8_t *pb = rb + i * q.pi_size[e] + 4;

			ffa_put32(pa, ffa_get32(pa) & m);
			ffa_put32(pb, ffa_get32(pb) & m);
		}
		if (memcmp(ra, rb, sizeof(ra))) {
			for (i = 0; i < sizeof(ra) && ra[i] == rb[i]; i++)
				;
			fprintf(stderr, "  ep %u RX byte %u: %02x vs %02x\n",
				eps[e], i, ra[i], rb[i]);
			differ("caller RX bytes", NULL);
		}
		memset(&ia, 0, sizeof(ia));
		memset(&ib, 0, sizeof(ib));
		(void)ffp_endpoint_info(a->proxy, eps[e], &ia);
		(void)ffp_endpoint_info(b->proxy, eps[e], &ib);
		if (ia.present != ib.present || ia.version != ib.version || ia.version_set != ib.version_set ||
		    ia.version_locked != ib.version_locked ||
		    ia.buffers_mapped != ib.buffers_mapped ||
		    ia.rx_held != ib.rx_held)
			differ("endpoint state", NULL);
	}
	for (i = 0;; i++) {
		struct ffp_transaction_info xa, xb;
		int sa = ffp_transaction_info(a->proxy, i, &xa);
		int sb = ffp_transaction_info(b->proxy, i, &xb);

		if (sa != sb) {
			differ("proxy transaction count", NULL);
			break;
		}
		if (sa)
			break;
		if (xa.handle != xb.handle || xa.owner != xb.owner ||
		    xa.func != xb.func || xa.sending != xb.sending ||
		    xa.orphan != xb.orphan ||
		    xa.handle_valid != xb.handle_valid ||
		    xa.range_count != xb.range_count || xa.pages != xb.pages)
			differ("proxy transaction", NULL);
	}
	/* Indirect messages the partitions hold: the same, the UUID aside
	 * when one SPMC is 1.1 (its header has none: dropped); none at all
	 * through a 1.0 SPMC (legit()). */
	for (i = 0; lo_spmc >= FFA_VERSION_1_1 && i < a->spmc.part_count;
	     i++) {
		const struct spmc_msg *ma = &a->spmc.parts[i].msg;
		const struct spmc_msg *mb = &b->spmc.parts[i].msg;

		if (ma->full != mb->full ||
		    (ma->full &&
		     (ma->sender != mb->sender || ma->size != mb->size ||
		      ma->sum != mb->sum ||
		      memcmp(ma->data, mb->data, sizeof(ma->data)) ||
		      (lo_spmc >= FFA_VERSION_1_2 &&
		       memcmp(ma->uuid, mb->uuid, sizeof(ma->uuid))))))
			differ("partition's indirect message", NULL);
	}
	if (simmem_state_digest(a->mem) != simmem_state_digest(b->mem))
		differ("page states", NULL);
	if (spmc_transaction_count(&a->spmc) != spmc_transaction_count(&b->spmc))
		differ("SPMC transaction count", NULL);
	for (i = 0; i < SPMC_MAX_TXNS; i++) {
		const struct spmc_txn *ta = &a->spmc.txns[i], *tb;

		if (!ta->used)
			continue;
		tb = spmc_find_transaction(&b->spmc, ta->handle);
		if (!tb) {
			differ("SPMC transaction handles", NULL);
			continue;
		}
		if (ta->complete != tb->complete || ta->fn != tb->fn ||
		    ta->sender != tb->sender ||
		    ta->attributes != tb->attributes || ta->flags != tb->flags ||
		    ta->tag != tb->tag ||
		    ta->receiver_count != tb->receiver_count ||
		    ta->total_pages != tb->total_pages ||
		    ta->range_count != tb->range_count ||
		    ta->ranges_filled != tb->ranges_filled)
			differ("SPMC transaction header", NULL);
		for (j = 0; j < ta->receiver_count && j < SPMC_MAX_RECEIVERS;
		     j++) {
			const struct spmc_receiver *x = &ta->receivers[j],
						   *y = &tb->receivers[j];

			/* IMPDEF values exist only at 1.2 on both sides
			 * (a 1.2 caller's over an older SPMC: dropped). */
			if (x->id != y->id || x->perms != y->perms ||
			    x->flags != y->flags || x->retrieved != y->retrieved ||
			    (q.s >= FFA_VERSION_1_2 &&
			     memcmp(x->impdef, y->impdef, 16)))
				differ("SPMC transaction receiver", NULL);
		}
		for (j = 0; j < ta->ranges_filled && j < tb->ranges_filled; j++) {
			const struct spmc_range *x =
				&a->spmc.ranges[ta->range_first + j];
			const struct spmc_range *y =
				&b->spmc.ranges[tb->range_first + j];

			if (x->base != y->base || x->pages != y->pages) {
				differ("SPMC transaction range", NULL);
				break;
			}
		}
	}
}

static void regs_init(struct ffa_regs *r, uint64_t x0)
{
	memset(r, 0, sizeof(*r));
	r->x[0] = x0;
}

static uint16_t pick_ep(void)
{
	return rnd(2) ? VM_ID : 0;
}

static uint16_t pick_part(void)
{
	/* mostly real partitions, sometimes an unknown or non-secure id */
	uint32_t k = rnd(10);

	return k < 8 ? part_ids[k % NPARTS] : k == 8 ? 0x8009 : 0x0002;
}

static const uint8_t *pick_uuid(uint8_t buf[16])
{
	uint32_t k = rnd(4);

	memset(buf, 0, 16);
	if (k == 1)
		memcpy(buf, uuid_a, 16);
	else if (k == 2)
		memcpy(buf, uuid_b, 16);
	else if (k == 3)
		buf[5] = 0x42; /* nobody's */
	return buf;
}

/* A memory transaction descriptor in version `cv`'s layout. */
static uint32_t build(uint32_t cv, uint16_t sender, uint32_t fn,
		      const uint16_t *rcv, unsigned nrcv, uint32_t nranges,
		      uint64_t tag, bool impdef)
{
	uint32_t hdr = cv == FFA_VERSION_1_0 ? 32 : 48;
	uint32_t esize = cv >= FFA_VERSION_1_2 && impdef ? 32 : 16;
	uint32_t eoff = hdr;
	uint32_t comp = eoff + nrcv * esize;
	uint32_t i, off, total = 0, first = rnd(SHARE_PAGES * 4);
	uint16_t attrs = fn == FFA_FN_MEM_DONATE ||
					 (fn == FFA_FN_MEM_LEND && nrcv == 1)
				 ? 0
				 : 0x2f;

	memset(desc, 0, sizeof(desc));
	ffa_put16(desc, sender);
	desc[2] = (uint8_t)attrs;
	ffa_put32(desc + 4, fn != FFA_FN_MEM_SHARE && rnd(3) == 0 ? 1 : 0);
	ffa_put64(desc + 16, tag);
	ffa_put32(desc + 28, nrcv);
	if (cv != FFA_VERSION_1_0) {
		ffa_put32(desc + 24, esize);
		ffa_put32(desc + 32, eoff);
	}
	for (i = 0; i < nrcv; i++) {
		uint8_t *e = desc + eoff + i * esize;
		unsigned k;

		ffa_put16(e, rcv[i]);
		e[2] = fn == FFA_FN_MEM_DONATE ? 0
		       : rnd(2)		? FFA_MEM_PERM_RW
					: FFA_MEM_PERM_RO;
		ffa_put32(e + 4, comp);
		for (k = 0; esize == 32 && k < 16; k++)
			e[8 + k] = (uint8_t)rnd(256);
	}
	off = comp + 16;
	for (i = 0; i < nranges; i++, off += 16) {
		/* distinct pages: range i covers page slot i*2 (+1) */
		uint32_t pages = 1 + rnd(2);

		ffa_put64(desc + off, ep_ram(sender) + PAGES_OFF +
					      (uint64_t)(first + i * 2) *
						      FFA_PAGE_SIZE);
		ffa_put32(desc + off + 8, pages);
		total += pages;
	}
	ffa_put32(desc + comp, total);
	ffa_put32(desc + comp + 4, nranges);
	/* A hostile or confused caller: random bytes here and there in the
	 * header, the EMADs and the composite (both worlds see the same). */
	if (rnd(3) == 0) {
		unsigned n = 1 + rnd(3);

		for (i = 0; i < n; i++) {
			uint32_t at = rnd(comp + 16);

			desc[at] = rnd(2) ? (uint8_t)rnd(256)
					  : (uint8_t)(desc[at] ^ (1u << rnd(8)));
		}
	}
	return off;
}

static void remember(uint64_t handle, uint16_t ep, const uint16_t *rcv,
		     unsigned n)
{
	unsigned i = q.nhandles < 16 ? q.nhandles++ : rnd(16);

	q.handles[i] = handle;
	q.owner[i] = ep;
	memcpy(q.rcv[i], rcv, n * sizeof(*rcv));
	q.rcv_count[i] = n;
}

static void step_mem_send(struct simplat *a, struct simplat *b)
{
	static const uint32_t fns[] = { FFA_FN_MEM_SHARE, FFA_FN_MEM_LEND,
					FFA_FN_MEM_DONATE };
	uint16_t ep = pick_ep(), rcv[3];
	uint32_t fn = fns[rnd(3)];
	unsigned nrcv = fn == FFA_FN_MEM_DONATE ? 1 : 1 + rnd(3), i;
	/* now and then more than the proxy's buffer holds */
	uint32_t nranges = 1 + rnd(rnd(8) ? SHARE_PAGES / 2 : 300);
	uint32_t total, frag, cap = BUF_PAGES * FFA_PAGE_SIZE;
	struct ffa_regs in, r;

	for (i = 0; i < nrcv; i++)
		rcv[i] = (uint16_t)part_ids[(i + rnd(2)) % NPARTS];
	if (nrcv > 1 && rcv[0] == rcv[1])
		rcv[1] = rcv[0] == 0x8001 ? 0x8002 : 0x8001;
	if (nrcv > 2)
		rcv[2] = (uint16_t)(0x8001 + 0x8002 + 0x8003 - rcv[0] - rcv[1]);
	total = build(q.v, ep, fn, rcv, nrcv, nranges, rnd64(),
		      rnd(2) != 0);
	frag = total <= cap && rnd(2) ? total
				      : (total < cap ? total : cap) -
						16 * rnd(4);
	if (frag > total || frag < 16 * 7)
		frag = total;
	caller_tx_write(a, b, ep, desc, frag);
	regs_init(&in, rnd(2) ? FFA_ID_32(fn) : FFA_ID_64(fn));
	in.x[1] = total;
	in.x[2] = frag;
	q.what = "mem send";
	r = call2(a, b, ep, &in);
	if ((uint32_t)r.x[0] == FFA_MEM_FRAG_RX_32) {
		q.pend_handle = (uint32_t)r.x[1] | (r.x[2] << 32);
		q.pend_ep = ep;
		q.pend_sent = frag;
		q.pend_total = total;
		/* the rest of the descriptor stays in desc; keep a copy */
		remember(q.pend_handle, ep, rcv, nrcv);
	} else if ((uint32_t)r.x[0] == FFA_SUCCESS_32) {
		remember((uint32_t)r.x[2] | (r.x[3] << 32), ep, rcv, nrcv);
	}
}

static uint8_t pend_desc[sizeof(desc)];

static void step_frag_tx(struct simplat *a, struct simplat *b)
{
	uint32_t cap = BUF_PAGES * FFA_PAGE_SIZE, len;
	struct ffa_regs in, r;

	len = 16 * (1 + rnd(cap / 16));
	if (len > q.pend_total - q.pend_sent)
		len = q.pend_total - q.pend_sent;
	caller_tx_write(a, b, q.pend_ep, pend_desc + q.pend_sent, len);
	regs_init(&in, FFA_MEM_FRAG_TX_32);
	in.x[1] = (uint32_t)q.pend_handle;
	in.x[2] = (uint32_t)(q.pend_handle >> 32);
	in.x[3] = len;
	q.what = "frag tx";
	r = call2(a, b, q.pend_ep, &in);
	q.pend_sent += len;
	if ((uint32_t)r.x[0] != FFA_MEM_FRAG_RX_32)
		q.pend_handle = 0;
}

static bool preempt_armed(struct simplat *a, struct simplat *b, uint16_t id)
{
	const struct spmc_partition *pa = spmc_find_partition(&a->spmc, id);
	const struct spmc_partition *pb = spmc_find_partition(&b->spmc, id);

	return (pa && (pa->preempt.next || pa->preempt.pending)) ||
	       (pb && (pb->preempt.next || pb->preempt.pending));
}

/*
 * Indirect messages: a partition's to the host (both SPMCs have MSG_SEND2
 * only from 1.1: not sent when either lacks it), the partitions taking
 * theirs, or the host's MSG_SEND2 (sometimes a VM's) with a header in
 * either layout, mostly well-formed. The host's GET that delivers a
 * partition's message comes from the notification steps: its RX bytes
 * (its own layout) must match.
 */
/* Most of the time VM 1 gets a bounce pair (ffp_endpoint_set_msg_buffers):
 * the same answer in both worlds, but through an SPMC below 1.1, which
 * maps none (its MSG_SEND2 then NOT_SUPPORTED there: legit()). */
static void vm_bounce(struct simplat *a, struct simplat *b)
{
	const uint32_t lo = q.s < q.v ? q.s : q.v;
	int sa, sb;

	if (!rnd(4))
		return;
	sa = simplat_vm_msg_buffers(a, VM_ID, SIMPLAT_BOUNCE_PA,
				    SIMPLAT_BOUNCE_PA + 0x1000, 1);
	sb = simplat_vm_msg_buffers(b, VM_ID, SIMPLAT_BOUNCE_PA,
				    SIMPLAT_BOUNCE_PA + 0x1000, 1);
	if (sa != sb && lo >= FFA_VERSION_1_1)
		differ("VM bounce pair", NULL);
}

static void step_msg2(struct simplat *a, struct simplat *b)
{
	uint32_t lo = q.s < q.v ? q.s : q.v, hdr, size, i;
	uint16_t rcv, from = rnd(3) ? 0 : VM_ID;
	uint8_t m[64 + 40];
	struct ffa_regs in;
	/* mostly 0x8002, the one taking indirect messages */
	uint16_t sp = rnd(2) ? part_ids[1] : pick_part();

	switch (rnd(4)) {
	case 0:
		if (lo < FFA_VERSION_1_1)
			return;
		size = 1 + rnd(32);
		/* to the host, or to VM 1 (its bounce pair) */
		rcv = rnd(3) ? 0 : VM_ID;
		if (spmc_sp_msg_send2(&a->spmc, sp, rcv, size) !=
		    spmc_sp_msg_send2(&b->spmc, sp, rcv, size))
			differ("partition's MSG_SEND2", NULL);
		if (rnd(2))
			return;
		/* the receiver takes it (Linux: SP and SPM framework
		 * bitmaps) */
		regs_init(&in, FFA_NOTIFICATION_GET_32);
		in.x[1] = rcv;
		in.x[2] = FFA_NOTIF_GET_SPM | (rnd(2) ? FFA_NOTIF_GET_SP : 0);
		q.what = "notification get (message)";
		call2(a, b, rcv, &in);
		return;
	case 1:
		(void)spmc_sp_msg_release(&a->spmc, sp);
		(void)spmc_sp_msg_release(&b->spmc, sp);
		return;
	default:
		break;
	}
	hdr = rnd(2) ? 20 : 40;
	size = 1 + rnd(64);
	memset(m, 0, sizeof(m));
	ffa_put32(m + 8, hdr);
	ffa_put32(m + 12, (uint32_t)from << 16 | sp);
	ffa_put32(m + 16, size);
	if (hdr == 40 && !rnd(3))
		for (i = 0; i < 16; i++)
			m[24 + i] = (uint8_t)(0x10 + i);
	for (i = 0; i < size; i++)
		m[hdr + i] = (uint8_t)rnd(256);
	if (!rnd(6))
		m[rnd(hdr)] ^= (uint8_t)(1u << rnd(8)); /* a stray bit */
	caller_tx_write(a, b, from, m, hdr + size);
	regs_init(&in, FFA_MSG_SEND2_32);
	if (!rnd(8))
		in.x[rnd(7) + 1] ^= 1u << rnd(32);
	q.what = "msg_send2";
	/* mostly its own message; sometimes the other's (sender not the
	 * caller) */
	call2(a, b, rnd(6) ? from : (uint16_t)(VM_ID - from), &in);
}

static void one_step(struct simplat *a, struct simplat *b)
{
	struct ffa_regs in;
	uint16_t ep = pick_ep();
	uint8_t u[16];
	unsigned i;
	uint32_t k;

	if (q.pend_handle && rnd(3)) {
		step_frag_tx(a, b);
		return;
	}
	k = rnd(24);
	switch (k) {
	case 23: { /* notifications: mostly well-formed, the caller's own */
		static const uint32_t fns[] = {
			FFA_NOTIFICATION_BIND_32, FFA_NOTIFICATION_UNBIND_32,
			FFA_NOTIFICATION_SET_32,  FFA_NOTIFICATION_GET_32,
			FFA_NOTIFICATION_INFO_GET_32,
			FFA_NOTIFICATION_INFO_GET_64,
		};
		uint32_t f = fns[rnd(6)];
		uint16_t me = rnd(8) ? ep : pick_ep(), sp = pick_part();
		uint64_t bits = 1ull << rnd(4);

		if (!rnd(3)) {
			step_msg2(a, b);
			break;
		}

		/* first, sometimes, a partition's side in both worlds */
		if (!rnd(3)) {
			spmc_sp_notif_bind(&a->spmc, sp, ep, bits << 8, false);
			spmc_sp_notif_bind(&b->spmc, sp, ep, bits << 8, false);
		} else if (!rnd(2)) {
			spmc_sp_notif_set(&a->spmc, sp, ep, bits, false, 0);
			spmc_sp_notif_set(&b->spmc, sp, ep, bits, false, 0);
		}
		regs_init(&in, f);
		if (f == FFA_NOTIFICATION_SET_32) {
			in.x[1] = (uint32_t)me << 16 | sp;
			bits <<= 8;
		} else if (f == FFA_NOTIFICATION_GET_32) {
			in.x[1] = (uint32_t)rnd(2) << 16 | me;
			in.x[2] = rnd(16);
		} else if (f == FFA_NOTIFICATION_BIND_32 ||
			   f == FFA_NOTIFICATION_UNBIND_32) {
			in.x[1] = (uint32_t)sp << 16 | me;
		}
		if (f != FFA_NOTIFICATION_GET_32 &&
		    (f & 0xffff) != FFA_FN_NOTIFICATION_INFO_GET) {
			in.x[3] = (uint32_t)bits;
			in.x[4] = (uint32_t)(bits >> 32);
		}
		if (!rnd(8))
			in.x[rnd(7) + 1] ^= 1u << rnd(32); /* a stray bit */
		q.what = "notification";
		call2(a, b, ep, &in);
		break;
	}
	case 22: /* the VM goes away and comes back */
		if (rnd(4))
			break;
		CHECK_EQ(simplat_vm_destroy(a, VM_ID), simplat_vm_destroy(b, VM_ID));
		/* (refused while orphans of it keep its memory) */
		if (simplat_vm_add(a, VM_ID, VM_RAM, 8 << 20) !=
		    simplat_vm_add(b, VM_ID, VM_RAM, 8 << 20))
			differ("VM re-add", NULL);
		vm_bounce(a, b);
		if (q.pend_ep == VM_ID)
			q.pend_handle = 0;
		/* A new VM negotiates first (under strict, a caller that
		 * never did is served nothing: not a translation matter). */
		regs_init(&in, FFA_VERSION_32);
		in.x[1] = q.v;
		q.what = "version of the new VM";
		call2(a, b, VM_ID, &in);
		break;
	case 20: /* the next direct request to a partition is preempted */
		if (rnd(2)) {
			uint16_t id = part_ids[rnd(NPARTS)];
			bool y = rnd(2);
			uint32_t again = rnd(2);
			uint16_t vcpu = (uint16_t)rnd(2);

			spmc_preempt(&a->spmc, id, 1, y, again, vcpu);
			spmc_preempt(&b->spmc, id, 1, y, again, vcpu);
		}
		break;
	case 21: /* FFA_RUN */
		regs_init(&in, FFA_RUN_32);
		in.x[1] = ((uint32_t)pick_part() << 16) | rnd(2);
		q.what = "run";
		call2(a, b, ep, &in);
		break;
	case 0: /* FFA_VERSION: mostly V; sometimes another one */
		regs_init(&in, FFA_VERSION_32);
		in.x[1] = rnd(4) || q.strict ? (ep ? q.v : q.h)
			  : rnd(2)   ? FFA_VERSION_1_3
				     : versions[rnd(3)];
		q.what = "version";
		call2(a, b, ep, &in);
		break;
	case 1:
	case 2: { /* FFA_FEATURES */
		static const uint32_t extra[] = { 1, 2, 3, 0, 0x7f };
		uint32_t fnum = FFA_FN_FIRST + rnd(0x30);

		regs_init(&in, FFA_FEATURES_32);
		k = rnd(8);
		in.x[1] = k < 3 ? FFA_ID_32(fnum)
			  : k < 6 ? FFA_ID_64(fnum)
				  : extra[rnd(5)];
		if (rnd(4) == 0)
			in.x[2] = rnd(4); /* input properties */
		q.what = "features";
		call2(a, b, ep, &in);
		break;
	}
	case 3:
		regs_init(&in, FFA_ID_GET_32);
		q.what = "id_get";
		call2(a, b, ep, &in);
		break;
	case 4:
		regs_init(&in, FFA_SPM_ID_GET_32);
		q.what = "spm_id_get";
		call2(a, b, ep, &in);
		break;
	case 5: /* RXTX_MAP */
		regs_init(&in, rnd(2) ? FFA_RXTX_MAP_32 : FFA_RXTX_MAP_64);
		in.x[1] = ep_ram(ep) + TX_OFF;
		in.x[2] = ep_ram(ep) + RX_OFF;
		in.x[3] = rnd(6) ? BUF_PAGES : rnd(3);
		q.what = "rxtx_map";
		call2(a, b, ep, &in);
		break;
	case 6:
		if (rnd(3))
			break;
		regs_init(&in, FFA_RXTX_UNMAP_32);
		in.x[1] = rnd(4) ? (uint64_t)ep << 16 : 0;
		q.what = "rxtx_unmap";
		call2(a, b, ep, &in);
		break;
	case 7:
	case 8: /* PARTITION_INFO_GET */
		regs_init(&in, FFA_PARTITION_INFO_GET_32);
		pick_uuid(u);
		for (i = 0; i < 4; i++)
			in.x[1 + i] = ffa_get32(u + 4 * i);
		in.x[5] = rnd(3) == 0 ? FFA_PARTITION_INFO_GET_COUNT_ONLY : 0;
		q.what = "partition_info_get";
		{
			struct ffa_regs r = call2(a, b, ep, &in);

			/* (in_junk: the registers as sent, junk included) */
			if ((uint32_t)r.x[0] == FFA_SUCCESS_32 &&
			    !(uint32_t)in_junk.x[5]) {
				q.pi_count[ep ? 1 : 0] = (uint32_t)r.x[2];
				struct ffp_endpoint_info ei;

				CHECK_EQ(ffp_endpoint_info(b->proxy, ep, &ei), 0);
				q.pi_size[ep ? 1 : 0] =
					ei.version == FFA_VERSION_1_0
						? 8
						: (uint32_t)r.x[3];
			}
		}
		break;
	case 9:
	case 10:
		regs_init(&in, FFA_RX_RELEASE_32);
		q.what = "rx_release";
		call2(a, b, ep, &in);
		break;
	case 11:
	case 12: { /* direct request */
		bool w64 = rnd(2);

		regs_init(&in, w64 ? FFA_MSG_SEND_DIRECT_REQ_64
				   : FFA_MSG_SEND_DIRECT_REQ_32);
		in.x[1] = ((uint32_t)ep << 16) | pick_part();
		for (i = 3; i < 8; i++)
			in.x[i] = w64 ? rnd64() : rnd(0xffffffffu);
		if (rnd(5) == 0) /* flags: a framework message, or junk */
			in.x[2] = rnd(2) ? 0x80000000u | rnd(256)
					 : rnd(0xffffffffu);
		q.what = "direct_req";
		call2(a, b, ep, &in);
		break;
	}
	case 13: /* REQ2 (1.2), and PARTITION_INFO_GET_REGS */
		if (rnd(2)) {
			regs_init(&in, FFA_MSG_SEND_DIRECT_REQ2_64);
			in.x[1] = ((uint32_t)ep << 16) | pick_part();
			pick_uuid(u);
			in.x[2] = ffa_get64(u);
			in.x[3] = ffa_get64(u + 8);
			for (i = 4; i < FFA_NREGS; i++)
				in.x[i] = rnd64();
			q.what = "direct_req2";
			/* Where one world lacks REQ2, a preemption armed for
			 * the target would be taken in the other world only
			 * (and then FFA_RUN and BUSY differ, legitimately). */
			if ((q.s < FFA_VERSION_1_2 || q.v < FFA_VERSION_1_2) &&
			    preempt_armed(a, b, (uint16_t)in.x[1]))
				break;
		} else {
			regs_init(&in, FFA_PARTITION_INFO_GET_REGS_64);
			pick_uuid(u);
			in.x[1] = ffa_get64(u);
			in.x[2] = ffa_get64(u + 8);
			in.x[3] = rnd(3);
			q.what = "partition_info_get_regs";
		}
		call2(a, b, ep, &in);
		break;
	case 14:
	case 15:
		if (q.pend_handle)
			break;
		step_mem_send(a, b);
		memcpy(pend_desc, desc, sizeof(desc));
		break;
	case 16: /* a partition retrieves or relinquishes */
	case 17:
		if (q.nhandles) {
			unsigned h = rnd(q.nhandles);
			uint16_t sp = q.rcv[h][rnd(q.rcv_count[h])];
			int ra, rb;

			if (rnd(4) == 0)
				sp = pick_part();
			if (k == 16) {
				ra = spmc_sp_retrieve(&a->spmc, sp, q.handles[h]);
				rb = spmc_sp_retrieve(&b->spmc, sp, q.handles[h]);
			} else {
				ra = spmc_sp_relinquish(&a->spmc, sp,
							q.handles[h]);
				rb = spmc_sp_relinquish(&b->spmc, sp,
							q.handles[h]);
			}
			q.what = k == 16 ? "sp retrieve" : "sp relinquish";
			if (ra != rb)
				differ("partition retrieve/relinquish", NULL);
		}
		break;
	case 18:
	case 19: /* reclaim */
		regs_init(&in, FFA_MEM_RECLAIM_32);
		if (q.nhandles && rnd(6)) {
			unsigned h = rnd(q.nhandles);

			ep = rnd(4) ? q.owner[h] : pick_ep();
			in.x[1] = (uint32_t)q.handles[h];
			in.x[2] = (uint32_t)(q.handles[h] >> 32);
		} else {
			in.x[1] = rnd(0xffffffffu);
			in.x[2] = rnd(4);
		}
		in.x[3] = rnd(4) == 0 ? rnd(8) : 0; /* flags: zero memory, */
		q.what = "reclaim";
		call2(a, b, ep, &in);
		break;
	}
}

/* Both callers: FFA_VERSION(V) and map buffers, most of the time. */
static void prologue(struct simplat *a, struct simplat *b)
{
	uint16_t eps[2] = { 0, VM_ID };
	struct ffa_regs in;
	unsigned e;

	for (e = 0; e < 2; e++) {
		/* VM 1 exists once the host has made its first call, as
		 * pKVM has it: before, a strict proxy could not move the
		 * SPMC down (docs/versions.md, learning subscribers). */
		if (eps[e]) {
			CHECK_EQ(simplat_vm_add(a, VM_ID, VM_RAM, 8 << 20), 0);
			CHECK_EQ(simplat_vm_add(b, VM_ID, VM_RAM, 8 << 20), 0);
			vm_bounce(a, b);
		}
		regs_init(&in, FFA_VERSION_32);
		in.x[1] = eps[e] ? q.v : q.h;
		q.what = "prologue version";
		call2(a, b, eps[e], &in);
		if (rnd(5) == 0)
			continue;
		regs_init(&in, FFA_RXTX_MAP_64);
		in.x[1] = ep_ram(eps[e]) + TX_OFF;
		in.x[2] = ep_ram(eps[e]) + RX_OFF;
		in.x[3] = BUF_PAGES;
		q.what = "prologue map";
		call2(a, b, eps[e], &in);
	}
}

/* The world under test's SPMC lacks PARTITION_INFO_GET_REGS (a 1.2 SPMC
 * without that optional call: TF-A's EL3 SPMC, OP-TEE). */
static bool lacks_regs;

static void sequence(uint32_t v, uint32_t s, bool strict, bool reneg,
		     uint64_t seed)
{
	struct simplat *a, *b;
	unsigned i;

	memset(&q, 0, sizeof(q));
	q.v = v;
	q.s = s;
	q.strict = strict || reneg;
	q.reneg = reneg;
	strict = q.strict;
	rng = seed;
	q.h = strict || rnd(2) ? v : versions[rnd(3)];
	knob.hyp_pages = 1 + rnd(2);
	knob.per_range = rnd(4) == 0;
	knob.no_x0_x7 = rnd(4) == 0;
	knob.check_last = rnd(3) == 0;
	knob.info_rx = rnd(3) == 0;
	knob.newer = (enum spmc_newer_version)rnd(3);
	failed_now = false;
	/* a: the world under test; b: the reference */
	a = world_new(s, reneg ? FFP_POLICY_STRICT : FFP_POLICY_TRANSLATE,
		      knob.newer);
	b = world_new(v, strict ? FFP_POLICY_STRICT : FFP_POLICY_TRANSLATE,
		      SPMC_NEWER_OWN);
	a->spmc.lacks[FFA_FN_PARTITION_INFO_GET_REGS] = lacks_regs;
	prologue(a, b);
	if (reneg) {
		struct ffp_info ia;

		ffp_info(a->proxy, &ia);
		CHECK_EQ(ia.spmc_version, v);
	}
	for (i = 0; i < STEPS && !failed_now; i++) {
		q.step = i;
		one_step(a, b);
		compare_state(a, b);
	}
	world_free(a);
	world_free(b);
}

static unsigned iters(void)
{
	const char *e = getenv("TRANSP_ITERS");

	return e ? (unsigned)atoi(e) : 12;
}

static void test_translate(void)
{
	unsigned x, y, i, n = iters();

	for (x = 0; x < 3; x++)
		for (y = 0; y < 3; y++) {
			unsigned fails = 0;

			for (i = 0; i < n && fails < 3; i++) {
				sequence(versions[x], versions[y], false, false,
					 0x9e3779b97f4a7c15ull ^
						 ((uint64_t)(i + 1) << 20) ^
						 (x * 3 + y));
				fails += failed_now;
			}
		}
}

static void test_strict(void)
{
	unsigned x, i, n = iters();

	for (x = 0; x < 3; x++) {
		unsigned fails = 0;

		for (i = 0; i < n && fails < 3; i++) {
			sequence(versions[x], versions[x], true, false,
				 0x2545f4914f6cdd1dull ^ ((uint64_t)(i + 1) << 24) ^ x);
			fails += failed_now;
		}
	}
}

static void test_strict_renegotiated(void)
{
	unsigned x, y, i, n = iters();

	for (x = 0; x < 3; x++)
		for (y = x + 1; y < 3; y++) {
			unsigned fails = 0;

			for (i = 0; i < n && fails < 3; i++) {
				sequence(versions[x], versions[y], true, true,
					 0x6a09e667f3bcc909ull ^
						 ((uint64_t)(i + 1) << 28) ^
						 (x * 3 + y));
				fails += failed_now;
			}
		}
}

/* A 1.2 SPMC lacking PARTITION_INFO_GET_REGS against one that has it:
 * the proxy falls back to its emulation, and a 1.2 caller (or the host
 * at any version) must not see the difference, FFA_FEATURES included,
 * under either policy. */
static void test_lacking_regs(void)
{
	unsigned i, n = iters(), fails = 0;

	lacks_regs = true;
	for (i = 0; i < 2 * n && fails < 3; i++) {
		sequence(FFA_VERSION_1_2, FFA_VERSION_1_2, i & 1, false,
			 0x510e527fade682d1ull ^ ((uint64_t)(i + 1) << 24));
		fails += failed_now;
	}
	lacks_regs = false;
}

/*
 * A 1.0 SPMC's descriptors say nothing of the execution state, which 1.1
 * encodes in bit 8 (0: AArch32). A 1.0 caller takes such partitions as
 * 64-bit (Linux's arm_ffa sets 32-bit mode only from 1.1, for a clear
 * bit 8); through the proxy a 1.1+ caller must take them the same, not
 * as AArch32 (Linux would then send every direct request as SMC32).
 */
static void test_exec_state_over_1_0(void)
{
	unsigned v, i;

	knob.hyp_pages = 1;
	for (v = 1; v < 3; v++) {
		struct simplat *sp = world_new(FFA_VERSION_1_0,
					       FFP_POLICY_TRANSLATE,
					       SPMC_NEWER_OWN);
		struct ffa_regs r;
		uint8_t rx[3 * 24];

		regs_init(&r, FFA_VERSION_32);
		r.x[1] = versions[v];
		CHECK(simplat_call(sp, 0, &r));
		regs_init(&r, FFA_RXTX_MAP_64);
		r.x[1] = RAM + TX_OFF;
		r.x[2] = RAM + RX_OFF;
		r.x[3] = 1;
		CHECK(simplat_call(sp, 0, &r));
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		regs_init(&r, FFA_PARTITION_INFO_GET_32);
		CHECK(simplat_call(sp, 0, &r));
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		CHECK_EQ(r.x[2], NPARTS);
		CHECK_EQ(r.x[3], 24);
		CHECK_EQ(simmem_read(sp->mem, RAM + RX_OFF, rx, sizeof(rx)), 0);
		for (i = 0; i < NPARTS; i++)
			CHECK(ffa_get32(rx + 24 * i + 4) & FFA_PART_PROP_AARCH64);
		world_free(sp);
	}
}

int main(void)
{
	RUN(test_exec_state_over_1_0);
	RUN(test_translate);
	RUN(test_lacking_regs);
	RUN(test_strict);
	RUN(test_strict_renegotiated);
	return test_summary("test_transparency");
}
