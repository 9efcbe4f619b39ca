/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Differential test of fragments and version translation: for random
 * descriptors (1..3 receivers, 16- or 32-byte EMADs for a 1.2 caller,
 * gaps before the EMADs and the composite, ranges in random order and of
 * random sizes) at every caller version x SPMC version, sent by the host
 * or a VM in random fragments through caller and proxy buffers of random
 * sizes, check every reply (FRAG_RX with the handle and the caller's own
 * byte count, then SUCCESS), and that the SPMC model ends up with exactly
 * the normalised transaction the caller meant: header fields, receivers
 * (IMPDEF values where both sides carry them), page total and the ranges
 * in the caller's order. Then reclaim, and every page is the caller's
 * again.
 */
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/mem.h>

#include "sim/invariant.h"
#include "sim/simplat.h"

#include "check.h"

#define RAM 0x80000000ull
#define TX RAM
#define RX (RAM + 0x10000)
#define STAGING (RAM + 0x100000)
#define PAGES (RAM + 0x200000)
#define VM_RAM 0x90000000ull
#define VM_ID 1u
#define MAX_RANGES 900u

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n) /* [0, n) */
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

static const uint32_t versions[] = { FFA_VERSION_1_0, FFA_VERSION_1_1,
				     FFA_VERSION_1_2 };

static unsigned log_lines;
static const char *last_why;

static void on_log(void *ctx, unsigned depth, const struct ffp_log_event *ev)
{
	(void)ctx;
	(void)depth;
	last_why = ev->why;
	log_lines++;
}

/* A misbehaving SPMC: the reply to the SMC numbered `at` (from 1, counted
 * from the first fragment on) to function `fn` gets x[reg] ^= xor; or,
 * with `fault`, that SMC is refused (FFA_ERROR) without reaching it. */
static struct {
	struct simplat *sp;
	unsigned seen, at, reg;
	uint32_t fn;
	uint64_t xor;
	bool fault;
	int32_t status;
} mis;

static void mis_arm(void)
{
	struct spmc *s = &mis.sp->spmc;
	bool on = mis.at && !mis.fault && mis.seen + 1 == mis.at;

	s->reply_fn = on ? mis.fn : 0;
	s->reply_reg = mis.reg;
	s->reply_xor = mis.xor;
}

static void on_smc(void *ctx, unsigned depth, const struct ffa_regs *req,
		   const struct ffa_regs *reply, bool injected)
{
	(void)ctx;
	(void)depth;
	(void)req;
	(void)reply;
	(void)injected;
	if (!mis.sp)
		return;
	mis.seen++;
	mis_arm();
}

static const struct simplat_hooks hooks = { .log = on_log, .smc = on_smc };

struct want {
	uint16_t sender, attributes;
	uint32_t flags, fn, receiver_count, total_pages, range_count;
	uint64_t tag;
	struct {
		uint16_t id;
		uint8_t perms, flags;
		uint8_t impdef[16];
	} rcv[3];
	bool impdef; /* the caller's EMADs carry IMPDEF values */
	uint64_t base[MAX_RANGES];
	uint32_t pages[MAX_RANGES];
};

static struct want w;

/* A hostile caller whose first range alone has every page of the
 * composite's total (only the last fragment must add up), so that the
 * proxy refuses its second fragment; over an SPMC that takes zero-page
 * constituents (TF-A's EL3 SPMC checks the page sum only), the abort's
 * zeros complete the transaction there. The refusal must still leave
 * nothing: no orphan, no SPMC transaction, every page back. */
static bool frontload;
static uint8_t desc[64 * 1024];

/* The descriptor of `w` in the caller's layout `cv`; its length, and
 * where its constituents begin. */
static uint32_t build(uint32_t cv, uint32_t *cons_off)
{
	uint32_t hdr = cv == FFA_VERSION_1_0 ? 32 : 48;
	uint32_t esize = cv >= FFA_VERSION_1_2 && w.impdef ? 32 : 16;
	uint32_t eoff = hdr + (cv == FFA_VERSION_1_0 ? 0 : 16 * rnd(2));
	uint32_t comp = eoff + w.receiver_count * esize + 16 * rnd(2);
	uint32_t i, off;

	memset(desc, 0, sizeof(desc));
	ffa_put16(desc, w.sender);
	if (cv == FFA_VERSION_1_0)
		desc[2] = (uint8_t)w.attributes;
	else
		ffa_put16(desc + 2, w.attributes);
	ffa_put32(desc + 4, w.flags);
	ffa_put64(desc + 16, w.tag);
	ffa_put32(desc + 28, w.receiver_count);
	if (cv != FFA_VERSION_1_0) {
		ffa_put32(desc + 24, esize);
		ffa_put32(desc + 32, eoff);
	}
	for (i = 0; i < w.receiver_count; i++) {
		uint8_t *e = desc + eoff + i * esize;

		ffa_put16(e, w.rcv[i].id);
		e[2] = w.rcv[i].perms;
		e[3] = w.rcv[i].flags;
		ffa_put32(e + 4, comp);
		if (esize == 32)
			memcpy(e + 8, w.rcv[i].impdef, 16);
	}
	ffa_put32(desc + comp, w.total_pages);
	ffa_put32(desc + comp + 4, w.range_count);
	off = comp + 16;
	*cons_off = off;
	for (i = 0; i < w.range_count; i++, off += 16) {
		ffa_put64(desc + off, w.base[i]);
		ffa_put32(desc + off + 8, w.pages[i]);
	}
	return off;
}

static void make_want(uint32_t cv, uint16_t sender, uint64_t ram)
{
	uint32_t slots = MAX_RANGES * 2, i, j, used = 0;
	static uint8_t taken[MAX_RANGES * 2];

	memset(&w, 0, sizeof(w));
	memset(taken, 0, sizeof(taken));
	w.sender = sender;
	w.fn = rnd(3) == 0 ? FFA_FN_MEM_SHARE
	       : rnd(2)    ? FFA_FN_MEM_LEND
			   : FFA_FN_MEM_DONATE;
	w.receiver_count = w.fn == FFA_FN_MEM_DONATE ? 1 : 1 + rnd(3);
	w.attributes = w.fn == FFA_FN_MEM_SHARE ||
				       (w.fn == FFA_FN_MEM_LEND &&
					w.receiver_count > 1)
			       ? 0x2f
			       : 0;
	w.tag = ((uint64_t)rnd(0xffffffffu) << 32) | rnd(0xffffffffu);
	w.impdef = cv >= FFA_VERSION_1_2 && rnd(2);
	for (i = 0; i < w.receiver_count; i++) {
		w.rcv[i].id = (uint16_t)(0x8001 + i);
		w.rcv[i].perms = w.fn == FFA_FN_MEM_DONATE
					 ? 0
				 : rnd(2) ? FFA_MEM_PERM_RW
					  : FFA_MEM_PERM_RO;
		for (j = 0; w.impdef && j < 16; j++)
			w.rcv[i].impdef[j] = (uint8_t)rnd(256);
	}
	w.range_count = 1 + rnd(rnd(3) ? 40 : MAX_RANGES);
	/* Distinct slots of 4 pages; 1..3 pages at each. */
	for (i = 0; i < w.range_count; i++) {
		uint32_t s = rnd(slots);

		while (taken[s])
			s = (s + 1) % slots;
		taken[s] = 1;
		w.base[i] = ram + (uint64_t)s * 4 * FFA_PAGE_SIZE;
		w.pages[i] = 1 + rnd(3);
		used += w.pages[i];
	}
	w.total_pages = used;
}

static struct ffa_regs call(struct simplat *sp, uint16_t ep, uint64_t x0,
			    uint64_t x1, uint64_t x2, uint64_t x3)
{
	struct ffa_regs r;

	memset(&r, 0, sizeof(r));
	r.x[0] = x0;
	r.x[1] = x1;
	r.x[2] = x2;
	r.x[3] = x3;
	CHECK(simplat_call(sp, ep, &r));
	return r;
}

static void check_spmc(struct simplat *sp, uint64_t handle, uint32_t cv,
		       uint32_t sv)
{
	const struct spmc_txn *t = spmc_find_transaction(&sp->spmc, handle);
	uint32_t i;

	CHECK(t != NULL);
	if (!t)
		return;
	CHECK(t->complete);
	CHECK_EQ(t->fn, w.fn);
	CHECK_EQ(t->sender, w.sender);
	CHECK_EQ(t->attributes, w.attributes);
	CHECK_EQ(t->flags, w.flags);
	CHECK_EQ(t->tag, w.tag);
	CHECK_EQ(t->receiver_count, w.receiver_count);
	for (i = 0; i < w.receiver_count && i < t->receiver_count; i++) {
		uint8_t zero[16] = { 0 };
		bool carry = sv >= FFA_VERSION_1_2 && w.impdef;

		CHECK_EQ(t->receivers[i].id, w.rcv[i].id);
		CHECK_EQ(t->receivers[i].perms, w.rcv[i].perms);
		CHECK_EQ(t->receivers[i].flags, w.rcv[i].flags);
		CHECK(memcmp(t->receivers[i].impdef,
			     carry ? w.rcv[i].impdef : zero, 16) == 0);
	}
	CHECK_EQ(t->total_pages, w.total_pages);
	CHECK_EQ(t->range_count, w.range_count);
	CHECK_EQ(t->ranges_filled, w.range_count);
	for (i = 0; i < w.range_count && i < t->ranges_filled; i++) {
		const struct spmc_range *r =
			&sp->spmc.ranges[t->range_first + i];

		if (r->base != w.base[i] || r->pages != w.pages[i]) {
			fprintf(stderr, "range %u of %u differs (%u -> %u)\n",
				i, w.range_count, cv, sv);
			CHECK_EQ(r->base, w.base[i]);
			CHECK_EQ(r->pages, w.pages[i]);
			break;
		}
	}
}

/* One random transaction in one world, with the misbehaviour `mis` set
 * up (mis.at 0: none). */
static void one(uint32_t cv, uint32_t sv, unsigned iter)
{
	struct inv iv;
	struct simplat *sp = calloc(1, sizeof(*sp));
	struct simplat_config cfg;
	const char *why = NULL;
	bool vm = rnd(2);
	uint16_t ep = vm ? VM_ID : 0;
	uint64_t ram = vm ? VM_RAM : RAM, tx = ram, rx = ram + 0x10000;
	uint32_t tx_pages = 1 + rnd(3), cap, total, cons_off, sent, frag;
	uint64_t handle = 0, before;
	struct ffa_regs r;
	unsigned i;
	bool donate;

	CHECK(sp != NULL);
	simplat_config_default(&cfg);
	cfg.spmc_version = sv;
	cfg.host_ram[0].base = RAM;
	cfg.host_ram[0].size = 32 << 20;
	cfg.host_ram_count = 1;
	for (i = 0; i < 3; i++) {
		cfg.parts[i].id = (uint16_t)(0x8001 + i);
		cfg.parts[i].exec_ctx = 1;
		cfg.parts[i].props = FFA_PART_PROP_DIRECT_REQ_RECV;
	}
	cfg.part_count = 3;
	cfg.hyp_buffer_pages = 1 + rnd(2);
	cfg.per_range_transitions = rnd(4) == 0;
	CHECK_EQ(simplat_init(sp, &cfg, &hooks, &why), 0);
	if (vm)
		CHECK_EQ(simplat_vm_add(sp, VM_ID, VM_RAM, 32 << 20), 0);
	call(sp, ep, FFA_VERSION_32, cv, 0, 0);
	r = call(sp, ep, FFA_RXTX_MAP_64, tx, rx, tx_pages);
	CHECK_EQ((uint32_t)r.x[0], FFA_SUCCESS_32);
	/* Pages from 0x200000 into the endpoint's memory. */
	make_want(cv, ep, ram + 0x200000);
	if (frontload) {
		if (w.range_count < 2) {
			w.range_count = 2;
			w.base[1] = w.base[0] + 2 * FFA_PAGE_SIZE;
			w.pages[1] = 1;
		}
		if (w.range_count > 100)
			w.range_count = 100;
		/* below the other ranges (from 0x200000), above RX */
		w.base[0] = ram + 0x20000;
		w.pages[0] = w.range_count;
		w.total_pages = w.range_count;
		sp->spmc.check_constituents = rnd(2) ? SPMC_CHECK_LAST
						    : SPMC_CHECK_EACH;
		sp->spmc.zero_page_ok = true;
	}
	donate = w.fn == FFA_FN_MEM_DONATE;
	total = build(cv, &cons_off);
	before = simmem_state_digest(sp->mem);
	cap = tx_pages * FFA_PAGE_SIZE;
	inv_init(&iv, sp);
	if (mis.at) {
		mis.sp = sp;
		mis.seen = 0;
		if (mis.fault)
			simplat_fault(sp, SIMPLAT_OP_SMC, mis.at, mis.status);
		mis_arm();
	}

	/* First fragment: the header and 0..all constituents that fit. */
	{
		uint32_t fit = cap > cons_off ? (cap - cons_off) / 16 : 0;
		uint32_t k = rnd(4) ? rnd(1 + (fit < w.range_count
							? fit
							: w.range_count))
				    : (fit < w.range_count ? fit
							   : w.range_count);

		if (frontload) /* the first range alone */
			k = 1;
		frag = cons_off + 16 * k;
	}
	CHECK_EQ(simmem_write(sp->mem, tx, desc, frag), 0);
	log_lines = 0;
	r = call(sp, ep,
		 w.fn == FFA_FN_MEM_SHARE ? FFA_MEM_SHARE_32
		 : w.fn == FFA_FN_MEM_LEND ? FFA_MEM_LEND_64
					   : FFA_MEM_DONATE_32,
		 total, frag, 0);
	sent = frag;
	while (sent < total) {
		uint32_t len;

		if ((uint32_t)r.x[0] != FFA_MEM_FRAG_RX_32 && mis.at)
			goto misbehaved;

		if ((uint32_t)r.x[0] != FFA_MEM_FRAG_RX_32) {
			fprintf(stderr,
				"iter %u %x->%x: FRAG_RX expected at %u/%u, "
				"got %x %x (%s)\n",
				iter, cv, sv, sent, total, (uint32_t)r.x[0],
				(uint32_t)r.x[2], log_lines ? last_why : "");
			CHECK(0);
			goto out;
		}
		if (!handle)
			handle = (uint32_t)r.x[1] | (r.x[2] << 32);
		CHECK_EQ((uint32_t)r.x[1] | (r.x[2] << 32), handle);
		CHECK_EQ(r.x[3], sent);
		CHECK_EQ(r.x[4], 0);
		len = 16 * (1 + rnd(cap / 16));
		if (len > total - sent)
			len = total - sent;
		CHECK_EQ(simmem_write(sp->mem, tx, desc + sent, len), 0);
		r = call(sp, ep, FFA_MEM_FRAG_TX_32, (uint32_t)handle,
			 (uint32_t)(handle >> 32), len);
		sent += len;
		if (frontload) {
			/* the second fragment was refused, and left nothing */
			CHECK_EQ((uint32_t)r.x[0], FFA_ERROR_32);
			CHECK_EQ((uint32_t)r.x[2],
				 (uint32_t)FFA_INVALID_PARAMETERS);
			CHECK_EQ(simmem_state_digest(sp->mem), before);
			CHECK_EQ(spmc_transaction_count(&sp->spmc), 0);
			{
				struct ffp_transaction_info ti;

				CHECK(ffp_transaction_info(sp->proxy, 0,
							   &ti) != 0);
			}
			if (inv_check_world(&iv)) {
				fprintf(stderr, "frontload: %s\n", iv.why);
				CHECK(0);
			}
			goto out;
		}
	}
	if (mis.at)
		goto misbehaved;
	if ((uint32_t)r.x[0] != FFA_SUCCESS_32) {
		fprintf(stderr, "iter %u %x->%x: SUCCESS expected, got %x %x (%s)\n",
			iter, cv, sv, (uint32_t)r.x[0], (uint32_t)r.x[2],
			log_lines ? last_why : "");
		CHECK(0);
		goto out;
	}
	if (handle)
		CHECK_EQ((uint32_t)r.x[2] | (r.x[3] << 32), handle);
	handle = (uint32_t)r.x[2] | (r.x[3] << 32);
	check_spmc(sp, handle, cv, sv);
	if (!donate) {
		r = call(sp, ep, FFA_MEM_RECLAIM_32, (uint32_t)handle,
			 (uint32_t)(handle >> 32), 0);
		CHECK_EQ((uint32_t)r.x[0], FFA_SUCCESS_32);
		CHECK_EQ(simmem_state_digest(sp->mem), before);
		CHECK_EQ(spmc_transaction_count(&sp->spmc), 0);
	}
	goto out;
misbehaved:
	/* Whatever the SPMC did: the world's invariants hold, and once the
	 * orphans are retried and the buffers unmapped (which aborts what
	 * awaits fragments), still. */
	mis.sp = NULL;
	sp->spmc.reply_fn = 0;
	/* A handle the SPMC misreported in its first reply cannot be
	 * known (an orphan no one can name): W5 waived, as for the
	 * model's bogus-handle knob. */
	if (!mis.fault && mis.reg >= 1 && mis.reg <= 3 &&
	    mis.fn != FFA_FN_MEM_FRAG_TX && mis.fn != FFA_FN_MEM_RECLAIM)
		iv.handles_untrusted = true;
	if (inv_check_world(&iv)) {
		fprintf(stderr, "iter %u %x->%x at %u fn %x reg %u fault %d: %s\n",
			iter, cv, sv, mis.at, mis.fn, mis.reg, mis.fault, iv.why);
		CHECK(0);
	}
	ffp_orphans_reclaim(sp->proxy);
	r = call(sp, ep, FFA_RXTX_UNMAP_32, (uint32_t)ep << 16, 0, 0);
	if (inv_check_world(&iv)) {
		fprintf(stderr, "iter %u %x->%x at %u fn %x reg %u fault %d, "
			"after unmap: %s\n",
			iter, cv, sv, mis.at, mis.fn, mis.reg, mis.fault, iv.why);
		CHECK(0);
	}
out:
	mis.sp = NULL;
	inv_fini(&iv);
	simplat_destroy(sp);
	free(sp);
}

static void test_random_fragments(void)
{
	unsigned a, b, i, failed = 0;

	for (a = 0; a < 3; a++)
		for (b = 0; b < 3; b++)
			for (i = 0; i < (getenv("DIFF_ITERS") ? (unsigned)atoi(getenv("DIFF_ITERS")) : 60) && failed < 5; i++) {
				int was = check_failed_in_test;

				check_failed_in_test = 0;
				one(versions[a], versions[b], i);
				failed += check_failed_in_test;
				check_failed_in_test |= was;
			}
}

/* The same with an SPMC that misbehaves once, at a random SMC of the
 * send: a refusal that never reached it, a reply whose function, handle
 * halves, offset or w4 is wrong. */
static void test_misbehaving_spmc(void)
{
	static const int32_t statuses[] = { FFA_INVALID_PARAMETERS, FFA_DENIED,
					    FFA_NO_MEMORY, FFA_ABORTED,
					    FFA_BUSY, FFA_NOT_SUPPORTED };
	unsigned a, b, i, failed = 0;
	unsigned n = getenv("DIFF_ITERS") ? (unsigned)atoi(getenv("DIFF_ITERS"))
					  : 60;

	for (a = 0; a < 3; a++)
		for (b = 0; b < 3; b++)
			for (i = 0; i < n && failed < 5; i++) {
				int was = check_failed_in_test;

				memset(&mis, 0, sizeof(mis));
				mis.at = 1 + rnd(12);
				mis.fault = rnd(3) == 0;
				mis.status = statuses[rnd(6)];
				mis.fn = rnd(2) ? FFA_FN_MEM_FRAG_TX
					 : rnd(3) == 0 ? FFA_FN_MEM_RECLAIM
					 : rnd(3) == 0 ? FFA_FN_MEM_SHARE
					 : rnd(2) ? FFA_FN_MEM_LEND : FFA_FN_MEM_DONATE;
				mis.reg = rnd(5);
				mis.xor = rnd(2) ? 16 : rnd(2) ? 1 : (uint64_t)1 << (32 + rnd(31));
				if (mis.reg == 0)
					mis.xor = rnd(2) ? (FFA_MEM_FRAG_RX_32 ^ FFA_SUCCESS_32) : (FFA_ERROR_32 ^ FFA_MEM_FRAG_RX_32);
				check_failed_in_test = 0;
				one(versions[a], versions[b], i);
				failed += check_failed_in_test;
				check_failed_in_test |= was;
			}
	memset(&mis, 0, sizeof(mis));
}

static void test_frontloaded_refusal(void)
{
	unsigned a, b, i, failed = 0;
	unsigned n = getenv("DIFF_ITERS") ? (unsigned)atoi(getenv("DIFF_ITERS"))
					  : 20;

	frontload = true;
	for (a = 0; a < 3; a++)
		for (b = 0; b < 3; b++)
			for (i = 0; i < n && failed < 5; i++) {
				int was = check_failed_in_test;

				check_failed_in_test = 0;
				one(versions[a], versions[b], i);
				failed += check_failed_in_test;
				check_failed_in_test |= was;
			}
	frontload = false;
}

int main(void)
{
	RUN(test_random_fragments);
	RUN(test_misbehaving_spmc);
	RUN(test_frontloaded_refusal);
	return test_summary("test_mem_frag_diff");
}
