/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The memory lane (dispatch.c): FFA_MEM_SHARE/LEND/DONATE (32 and 64),
 * FFA_MEM_RECLAIM and FFA_MEM_FRAG_TX of a caller whose version is locked
 * go from ffp_handle straight to their handler on a struct ffp_call built
 * with only what those handlers read. Checked two ways:
 *
 * - differentially: two identical worlds (simplat: SPMC model, stage-2
 *   memory) get the same calls, one through ffp_handle (the lane once
 *   the version is locked), the other through ffp_handle_general (the
 *   general path, always); every register (x0..x17), every log event
 *   (the refusals and their reasons) and the page states must be the
 *   same after every call. The calls carry junk wherever the caller may
 *   leave it (upper halves of SMC32 arguments, x5..x17), and cover
 *   success, refusals by the handlers, ids the lane must not take
 *   (RECLAIM and FRAG_TX as SMC64), a first call that locks the
 *   version, callers at 1.0, 1.1 and 1.2, a VM and a removed VM;
 * - directly: the rules of proxy.h on the lane's results (SMC32 results
 *   zero-extended, undefined results zero, x8..x17 results only for
 *   SMC64 at 1.2, otherwise the caller's), and that the lane bit is set
 *   with the version lock and cleared with the endpoint.
 */
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/mem.h>

#include "sim/simplat.h"
#include "src/internal.h"

#include "check.h"
#include "regs_junk.h"

#define HOST_RAM 0x80000000ull
#define VM_RAM 0x90000000ull
#define TX_PAGES 4
#define TX_SIZE (TX_PAGES * FFA_PAGE_SIZE)
#define DATA 0x100000ull /* pages being shared, from the RAM base */

struct logged {
	unsigned count;
	struct ffp_log_event last;
	/* the last FFA_MEM_RECLAIM the SPMC model received */
	unsigned reclaims;
	struct ffa_regs reclaim;
};

static void smc_hook(void *ctx, unsigned depth, const struct ffa_regs *req,
		     const struct ffa_regs *reply, bool injected)
{
	struct logged *l = ctx;

	(void)depth;
	(void)reply;
	if ((uint32_t)req->x[0] == FFA_MEM_RECLAIM_32 && !injected) {
		l->reclaims++;
		l->reclaim = *req;
	}
}

/* The reclaim the SPMC received: x1/x2 the handle, x3 the flags, every
 * other argument register zero (w4..w7 reserved, MBZ; x8..x17 no
 * arguments of an SMC32 call): nothing else of the caller's. */
static bool reclaim_sent_clean(const struct logged *l, uint64_t h,
			       uint32_t flags)
{
	int i;

	if (l->reclaim.x[0] != FFA_MEM_RECLAIM_32 ||
	    l->reclaim.x[1] != (uint32_t)h || l->reclaim.x[2] != h >> 32 ||
	    l->reclaim.x[3] != flags)
		return false;
	for (i = 4; i < FFA_NREGS; i++)
		if (l->reclaim.x[i])
			return false;
	return true;
}

static void log_hook(void *ctx, unsigned depth, const struct ffp_log_event *ev)
{
	struct logged *l = ctx;

	(void)depth;
	l->count++;
	l->last = *ev;
}

/* a: through ffp_handle (lanes); b: through ffp_handle_general. */
struct pair {
	struct simplat *a, *b;
	struct logged la, lb;
	unsigned lane_calls; /* calls a took with the lane bit set */
};

static struct simplat *world(struct logged *l)
{
	struct simplat *sp = calloc(1, sizeof(*sp));
	struct simplat_config cfg;
	struct simplat_hooks hooks;
	const char *why = NULL;

	CHECK(sp != NULL);
	memset(&hooks, 0, sizeof(hooks));
	hooks.ctx = l;
	hooks.log = log_hook;
	hooks.smc = smc_hook;
	simplat_config_default(&cfg);
	cfg.host_ram[0].base = HOST_RAM;
	cfg.host_ram[0].size = 4 << 20;
	cfg.host_ram_count = 1;
	cfg.parts[0].id = 0x8001;
	cfg.parts[0].exec_ctx = 1;
	cfg.parts[0].props = FFA_PART_PROP_DIRECT_REQ_RECV;
	cfg.part_count = 1;
	CHECK_EQ(simplat_init(sp, &cfg, &hooks, &why), 0);
	CHECK_EQ(simplat_vm_add(sp, 1, VM_RAM, 4 << 20), 0);
	return sp;
}

static struct pair *pair_new(void)
{
	struct pair *w = calloc(1, sizeof(*w));

	w->a = world(&w->la);
	w->b = world(&w->lb);
	return w;
}

static void pair_free(struct pair *w)
{
	simplat_destroy(w->a);
	simplat_destroy(w->b);
	free(w->a);
	free(w->b);
	free(w);
}

static uint64_t ram(uint16_t ep)
{
	return ep ? VM_RAM : HOST_RAM;
}

/* The same call in both worlds; everything observable must agree. Returns
 * world a's results. */
static struct ffa_regs both_line(struct pair *w, uint16_t ep,
				 struct ffa_regs r, int line)
{
	struct ffa_regs ra = r, rb = r;
	unsigned na = w->la.count, nb = w->lb.count;
	bool lane = ep < w->a->proxy->cfg.max_endpoints &&
		    (w->a->proxy->eps[ep].lanes & FFP_LANE_MEM);
	int i, bad = 0;

	w->lane_calls += lane;
	CHECK(simplat_call(w->a, ep, &ra));
	CHECK(ffp_handle_general(w->b->proxy, ep, &rb));
	for (i = 0; i < FFA_NREGS; i++)
		if (ra.x[i] != rb.x[i]) {
			fprintf(stderr,
				"FAIL line %d: x%d 0x%llx (lane) != 0x%llx "
				"(general)\n",
				line, i, (unsigned long long)ra.x[i],
				(unsigned long long)rb.x[i]);
			bad = 1;
		}
	if (w->la.count - na != w->lb.count - nb ||
	    (w->la.count != na &&
	     (w->la.last.ep != w->lb.last.ep ||
	      w->la.last.func != w->lb.last.func ||
	      w->la.last.status != w->lb.last.status ||
	      w->la.last.value != w->lb.last.value ||
	      strcmp(w->la.last.why, w->lb.last.why) != 0))) {
		fprintf(stderr, "FAIL line %d: the log differs (%s / %s)\n",
			line, w->la.count != na ? w->la.last.why : "-",
			w->lb.count != nb ? w->lb.last.why : "-");
		bad = 1;
	}
	if (simmem_state_digest(w->a->mem) != simmem_state_digest(w->b->mem)) {
		fprintf(stderr, "FAIL line %d: page states differ\n", line);
		bad = 1;
	}
	if (bad)
		check_failed_in_test = 1;
	return ra;
}
#define BOTH(w, ep, r) both_line(w, ep, r, __LINE__)

/* What proxy.h says of x8..x17 after `func` from a caller at `v`. */
static bool x8_x17_ok(const struct ffa_regs *r, uint32_t func, uint32_t v)
{
	return ffa_is_smc64(func) && v >= FFA_VERSION_1_2 ? x8_x17_zero(r)
							  : x8_x17_kept(r);
}

/* x0..x7 of `r` hold 32-bit values only, and x4..x7 are zero (no memory
 * call defines them). */
static bool results_clean(const struct ffa_regs *r)
{
	int i;

	for (i = 0; i < 8; i++)
		if (r->x[i] >> 32)
			return false;
	for (i = 4; i < 8; i++)
		if (r->x[i])
			return false;
	return true;
}

static bool is_error(const struct ffa_regs *r, int32_t status)
{
	return r->x[0] == FFA_ERROR_32 && r->x[1] == 0 &&
	       r->x[2] == (uint32_t)status && r->x[3] == 0;
}

static uint64_t handle_of(const struct ffa_regs *r)
{
	return r->x[0] == FFA_SUCCESS_32 ? (uint32_t)r->x[2] | r->x[3] << 32
					 : (uint32_t)r->x[1] | r->x[2] << 32;
}

/* A descriptor in the caller's layout, written into ep's TX in both
 * worlds: `n` one-page constituents from page `first` of DATA, every
 * other page; 0x8001 receives. Returns its length. */
static uint32_t put_desc(struct pair *w, uint16_t ep, uint32_t version,
			 uint32_t type, uint32_t n, uint32_t first)
{
	static uint8_t buf[TX_SIZE];
	struct ffa_mem_txn t;
	uint32_t len = 0, i;

	memset(&t, 0, sizeof(t));
	t.sender = ep;
	t.attributes = type == FFA_MEM_TXN_SHARE ? 0x2f : 0;
	t.receiver_count = 1;
	t.receivers[0].id = 0x8001;
	t.receivers[0].perms = type == FFA_MEM_TXN_DONATE ? 0
							  : FFA_MEM_PERM_RW;
	t.total_pages = n;
	t.range_count = n;
	CHECK_EQ(ffa_mem_emit(version, &t, buf, sizeof(buf), &len), 0);
	for (i = 0; i < n; i++) {
		ffa_put64(buf + len, ram(ep) + DATA +
					     (uint64_t)(first + 2 * i) *
						     FFA_PAGE_SIZE);
		ffa_put32(buf + len + 8, 1);
		ffa_put32(buf + len + 12, 0);
		len += 16;
	}
	CHECK_EQ(simmem_write(w->a->mem, ram(ep), buf, len), 0);
	CHECK_EQ(simmem_write(w->b->mem, ram(ep), buf, len), 0);
	return len;
}

static void setup(struct pair *w, uint16_t ep, uint32_t v)
{
	struct ffa_regs r;

	r = BOTH(w, ep, regs5(FFA_VERSION_32, v, 0, 0, 0));
	CHECK_EQ(r.x[0], FFA_VERSION_1_2);
	/* The first call after FFA_VERSION, a memory call, locks the
	 * version on the general path (and is refused: no buffers yet). */
	CHECK(!(w->a->proxy->eps[ep].lanes & FFP_LANE_MEM));
	r = BOTH(w, ep, regs5(FFA_MEM_SHARE_32, 64, 64, 0, 0));
	CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
	CHECK(w->a->proxy->eps[ep].lanes & FFP_LANE_MEM);
	r = BOTH(w, ep, regs5(FFA_RXTX_MAP_64, ram(ep),
			      ram(ep) + TX_SIZE, TX_PAGES, 0));
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
}

static const uint32_t send_ids[] = {
	FFA_MEM_SHARE_32,  FFA_MEM_SHARE_64, FFA_MEM_LEND_32,
	FFA_MEM_LEND_64,   FFA_MEM_DONATE_32, FFA_MEM_DONATE_64,
};

static uint32_t txn_type_of(uint32_t func)
{
	switch (ffa_fn(func)) {
	case FFA_FN_MEM_SHARE:
		return FFA_MEM_TXN_SHARE;
	case FFA_FN_MEM_LEND:
		return FFA_MEM_TXN_LEND;
	default:
		return FFA_MEM_TXN_DONATE;
	}
}

/* Share, lend, donate at both widths, reclaims, fragments and refusals
 * from endpoint `ep` at version `v`. */
static void run_calls(struct pair *w, uint16_t ep, uint32_t v)
{
	uint64_t handles[6], hi, h;
	uint32_t i, len, f, page = 0;
	struct ffa_regs r;

	setup(w, ep, v);
	for (i = 0; i < 6; i++) {
		f = send_ids[i];
		/* SMC32: junk in the upper halves of w1..w4, which are the
		 * arguments; SMC64: x3 and x4 must be clean. */
		hi = ffa_is_smc64(f) ? 0 : JUNK;
		len = put_desc(w, ep, v, txn_type_of(f), 2, page);
		page += 4;
		r = BOTH(w, ep, regs5(f, hi | len, hi | len, hi, hi));
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		CHECK(results_clean(&r));
		CHECK(x8_x17_ok(&r, f, v));
		handles[i] = handle_of(&r);
		/* refused by the handler: buffer address given, the
		 * fragment longer than the whole, a fragment of zero, a
		 * total above the limit, pages already shared */
		r = BOTH(w, ep, regs5(f, len, len, 0x1000, 0));
		CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
		CHECK(x8_x17_ok(&r, f, v));
		CHECK(results_clean(&r));
		r = BOTH(w, ep, regs5(f, len, len, 0, 1));
		CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
		r = BOTH(w, ep, regs5(f, len, len + 16, 0, 0));
		CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
		r = BOTH(w, ep, regs5(f, len, 0, 0, 0));
		CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
		r = BOTH(w, ep, regs5(f, 1u << 30, 64, 0, 0));
		CHECK(is_error(&r, FFA_NO_MEMORY));
		r = BOTH(w, ep, regs5(f, len, len, 0, 0));
		CHECK_EQ(r.x[0], FFA_ERROR_32);
		CHECK(x8_x17_ok(&r, f, v));
	}
	/* SMC64: the upper half of x3 is an argument (a buffer address):
	 * refused, where SMC32 ignored it above */
	len = put_desc(w, ep, v, FFA_MEM_TXN_SHARE, 1, page);
	page += 4;
	r = BOTH(w, ep, regs5(FFA_MEM_SHARE_64, len, len, JUNK, 0));
	CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
	CHECK(x8_x17_ok(&r, FFA_MEM_SHARE_64, v));

	/* reclaims: junk in the SMC32 upper halves is ignored; w4..w7
	 * (reserved) are the caller's junk too, and never reach the SPMC:
	 * it gets a reclaim of the proxy's own making, x4..x17 zero, on
	 * the lane and on the general path alike (peers neither check nor
	 * forward them: TF-A's EL3 SPMC and Hafnium read w1..w3 alone, pKVM
	 * issues its own reclaim) */
	for (i = 0; i < 6; i++) {
		h = handles[i];
		r = BOTH(w, ep, regs5(FFA_MEM_RECLAIM_32, JUNK | (uint32_t)h,
				      JUNK | (h >> 32), JUNK | 4, JUNK));
		CHECK(is_error(&r, FFA_INVALID_PARAMETERS)); /* flags MBZ */
		w->la.reclaims = 0;
		w->lb.reclaims = 0;
		r = BOTH(w, ep, regs5(FFA_MEM_RECLAIM_32, JUNK | (uint32_t)h,
				      JUNK | (h >> 32), JUNK, JUNK | 0x44));
		if (i < 4) {
			CHECK_EQ(r.x[0], FFA_SUCCESS_32);
			CHECK_EQ(r.x[2], 0);
			CHECK_EQ(w->la.reclaims, 1);
			CHECK_EQ(w->lb.reclaims, 1);
			CHECK(reclaim_sent_clean(&w->la, h, 0));
			CHECK(reclaim_sent_clean(&w->lb, h, 0));
		} else { /* donations are final */
			CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
		}
		CHECK(results_clean(&r));
		CHECK(x8_x17_kept(&r));
		r = BOTH(w, ep, regs5(FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32,
				      0, 0));
		CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
	}
	/* not functions: the general path refuses them, not the lane */
	r = BOTH(w, ep, regs5(FFA_ID_64(FFA_FN_MEM_RECLAIM), 1, 0, 0, 0));
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	r = BOTH(w, ep, regs5(FFA_ID_64(FFA_FN_MEM_FRAG_TX), 1, 0, 16, 0));
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	r = BOTH(w, ep, regs5(FFA_ID_64(FFA_FN_MEM_RETRIEVE_REQ), 1, 1, 0, 0));
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));

	/* a lend in three fragments (32-bit and 64-bit first call), the
	 * sender named in w4 or not, junk in the SMC32 upper halves */
	for (i = 0; i < 2; i++) {
		uint32_t frag, first = i ? FFA_MEM_LEND_64 : FFA_MEM_LEND_32;

		len = put_desc(w, ep, v, FFA_MEM_TXN_LEND, 8, page);
		page += 20;
		frag = len - 64;
		r = BOTH(w, ep, regs5(first, len, frag, 0, 0));
		CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
		CHECK_EQ(r.x[3], frag);
		CHECK(results_clean(&r));
		CHECK(x8_x17_ok(&r, first, v));
		h = handle_of(&r);
		/* refused before anything changes: w4[15:0] MBZ, another
		 * sender, an unknown handle */
		r = BOTH(w, ep, regs5(FFA_MEM_FRAG_TX_32, (uint32_t)h, h >> 32,
				      32, 1));
		CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
		r = BOTH(w, ep, regs5(FFA_MEM_FRAG_TX_32, (uint32_t)h, h >> 32,
				      32, (uint32_t)(ep + 1) << 16));
		CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
		r = BOTH(w, ep, regs5(FFA_MEM_FRAG_TX_32, (uint32_t)h + 1,
				      h >> 32, 32, 0));
		CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
		CHECK(x8_x17_kept(&r));
		/* the remaining 64 bytes: 32 from the start of TX, twice */
		{
			uint8_t tail[64];

			CHECK_EQ(simmem_read(w->a->mem, ram(ep) + frag, tail,
					     64),
				 0);
			CHECK_EQ(simmem_write(w->a->mem, ram(ep), tail, 64), 0);
			CHECK_EQ(simmem_write(w->b->mem, ram(ep), tail, 64), 0);
		}
		r = BOTH(w, ep, regs5(FFA_MEM_FRAG_TX_32, JUNK | (uint32_t)h,
				      JUNK | (h >> 32), JUNK | 32,
				      JUNK | (uint32_t)ep << 16));
		CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
		CHECK_EQ(r.x[3], frag + 32);
		CHECK(results_clean(&r));
		CHECK(x8_x17_kept(&r));
		{
			uint8_t tail[32];

			CHECK_EQ(simmem_read(w->a->mem, ram(ep) + 32, tail, 32),
				 0);
			CHECK_EQ(simmem_write(w->a->mem, ram(ep), tail, 32), 0);
			CHECK_EQ(simmem_write(w->b->mem, ram(ep), tail, 32), 0);
		}
		r = BOTH(w, ep, regs5(FFA_MEM_FRAG_TX_32, (uint32_t)h, h >> 32,
				      32, 0));
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		CHECK_EQ(handle_of(&r), h);
		CHECK(results_clean(&r));
		r = BOTH(w, ep, regs5(FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32,
				      0, 0));
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	}
}

static void test_host_versions(void)
{
	static const uint32_t versions[] = { FFA_VERSION_1_0, FFA_VERSION_1_1,
					     FFA_VERSION_1_2 };
	unsigned v;

	for (v = 0; v < 3; v++) {
		struct pair *w = pair_new();

		run_calls(w, 0, versions[v]);
		CHECK(w->lane_calls > 40);
		pair_free(w);
	}
}

/* A VM, then the VM removed: its lane bit goes with it, and its calls
 * are refused as an unknown endpoint's; added again, its first call
 * locks again on the general path. */
static void test_vm_and_removal(void)
{
	struct pair *w = pair_new();
	struct ffa_regs r;
	uint32_t len;

	run_calls(w, 1, FFA_VERSION_1_1);
	len = put_desc(w, 1, FFA_VERSION_1_1, FFA_MEM_TXN_SHARE, 1, 200);
	r = BOTH(w, 1, regs5(FFA_MEM_SHARE_32, len, len, 0, 0));
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(ffp_endpoint_remove(w->a->proxy, 1), 0);
	CHECK_EQ(ffp_endpoint_remove(w->b->proxy, 1), 0);
	CHECK(!(w->a->proxy->eps[1].lanes & FFP_LANE_MEM));
	r = BOTH(w, 1, regs5(FFA_MEM_SHARE_32, len, len, 0, 0));
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	CHECK(x8_x17_kept(&r));
	r = BOTH(w, 1, regs5(FFA_MEM_SHARE_64, len, len, 0, 0));
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	CHECK(x8_x17_kept(&r)); /* no version: not a 1.2 caller */
	r = BOTH(w, 1, regs5(FFA_MEM_RECLAIM_32, 1, 0, 0, 0));
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	/* past the endpoint table */
	r = BOTH(w, 16, regs5(FFA_MEM_SHARE_32, len, len, 0, 0));
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	CHECK_EQ(ffp_endpoint_add(w->a->proxy, 1), 0);
	CHECK_EQ(ffp_endpoint_add(w->b->proxy, 1), 0);
	CHECK(!(w->a->proxy->eps[1].lanes & FFP_LANE_MEM));
	/* no FFA_VERSION: served as 1.0, locked by this call */
	r = BOTH(w, 1, regs5(FFA_MEM_SHARE_64, len, len, 0, 0));
	CHECK(is_error(&r, FFA_INVALID_PARAMETERS)); /* no buffers */
	CHECK(x8_x17_kept(&r));
	CHECK(w->a->proxy->eps[1].lanes & FFP_LANE_MEM);
	r = BOTH(w, 1, regs5(FFA_MEM_SHARE_64, len, len, 0, 0));
	CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
	CHECK(x8_x17_kept(&r));
	pair_free(w);
}

/* The lane bit follows the servable table: set only when every memory
 * call is servable at the caller's version. */
static void test_lane_bit(void)
{
	struct pair *w = pair_new();
	struct ffp *p = w->a->proxy;
	uint32_t minor;

	for (minor = 0; minor < 3; minor++)
		CHECK(ffp_lanes(p, FFA_MAKE_VERSION(1, minor)) & FFP_LANE_MEM);
	/* one memory call not servable at 1.1: no lane at 1.1 */
	{
		uint32_t bit = (FFA_FN_MEM_RECLAIM - FFA_FN_FIRST) * 2;

		p->servable[1][bit / 64] &= ~(1ull << (bit % 64));
		CHECK(!(ffp_lanes(p, FFA_VERSION_1_1) & FFP_LANE_MEM));
		CHECK(ffp_lanes(p, FFA_VERSION_1_2) & FFP_LANE_MEM);
		ffp_servable_update(p);
		CHECK(ffp_lanes(p, FFA_VERSION_1_1) & FFP_LANE_MEM);
	}
	pair_free(w);
}

int main(void)
{
	RUN(test_host_versions);
	RUN(test_vm_and_removal);
	RUN(test_lane_bit);
	return test_summary("test_mem_lane");
}
