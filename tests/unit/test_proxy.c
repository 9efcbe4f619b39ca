/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Unit tests of the proxy core against a scripted fake platform (no SPMC
 * model): negotiation on both sides, the dispatch table, register rules,
 * RX/TX state. End-to-end behaviour is covered by the scenario files.
 */
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/proxy.h>

#include "check.h"

#define RAM_BASE 0x80000000ull
#define RAM_PAGES 64

struct fake {
	/* firmware */
	uint32_t smccc;
	int64_t spmc_version; /* answer to FFA_VERSION, -1: NOT_SUPPORTED */
	/* NOT_SUPPORTED for a newer minor than spmc_version (Hafnium) */
	bool refuse_newer;
	uint32_t spmc_seen_version;
	int version_calls;
	struct ffa_regs last_smc;
	int smc_calls;
	/* a reply script for the next forwarded call (x0 == 0: default) */
	struct ffa_regs reply;
	/* memory: one owner per page, state, bytes */
	uint16_t owner[RAM_PAGES];
	enum ffp_page_state state[RAM_PAGES];
	uint8_t ram[RAM_PAGES * 4096];
	uint8_t hyp_tx[4096], hyp_rx[4096];
	int locks[FFP_LOCK_COUNT];
	int lock_errors;
	const char *last_why;
	int fail_transition_at; /* k-th next transition fails */
	/* at the next SMC, as another CPU: ffp_endpoint_remove(p, remove_id) */
	struct ffp *p;
	bool remove_at_smc;
	uint16_t remove_id;
	int remove_ret;
};

static void fake_smc(void *ctx, struct ffa_regs *r)
{
	struct fake *f = ctx;
	uint32_t id = (uint32_t)r->x[0];

	f->last_smc = *r;
	f->smc_calls++;
	if (f->remove_at_smc) {
		f->remove_at_smc = false;
		f->remove_ret = ffp_endpoint_remove(f->p, f->remove_id);
	}
	if (id == SMCCC_VERSION) {
		memset(r, 0, sizeof(*r));
		r->x[0] = f->smccc;
		return;
	}
	if (id == FFA_VERSION_32) {
		f->version_calls++;
		f->spmc_seen_version = (uint32_t)r->x[1];
		memset(r, 0, sizeof(*r));
		r->x[0] = (uint32_t)f->spmc_version;
		if (f->refuse_newer && f->spmc_seen_version > f->spmc_version)
			r->x[0] = 0xffffffffu;
		return;
	}
	if (f->reply.x[0]) {
		*r = f->reply;
		memset(&f->reply, 0, sizeof(f->reply));
		return;
	}
	if (id == FFA_MSG_SEND_DIRECT_REQ_32 || id == FFA_MSG_SEND_DIRECT_REQ_64) {
		uint32_t w1 = (uint32_t)r->x[1];
		int i;

		r->x[0] = id + 1; /* RESP */
		r->x[1] = (w1 << 16) | (w1 >> 16);
		for (i = 3; i < 8; i++)
			r->x[i] = id == FFA_MSG_SEND_DIRECT_REQ_32
					  ? (uint32_t)(r->x[i] + 1)
					  : r->x[i] + 1;
		for (i = 8; i < FFA_NREGS; i++)
			r->x[i] = 0xdead; /* must never reach the caller */
		return;
	}
	memset(r, 0, sizeof(*r));
	r->x[0] = FFA_SUCCESS_32;
}

static int fake_transition(void *ctx, uint16_t ep, uint64_t pa, uint64_t size,
			   enum ffp_page_state from, enum ffp_page_state to)
{
	struct fake *f = ctx;
	uint64_t first, n, i;

	if (f->fail_transition_at && --f->fail_transition_at == 0)
		return FFA_DENIED;
	if (pa < RAM_BASE || pa % 4096 || size % 4096 || size == 0)
		return FFA_DENIED;
	first = (pa - RAM_BASE) / 4096;
	n = size / 4096;
	if (first >= RAM_PAGES || n > RAM_PAGES - first)
		return FFA_DENIED;
	for (i = first; i < first + n; i++)
		if (f->owner[i] != ep || f->state[i] != from)
			return FFA_DENIED;
	for (i = first; i < first + n; i++)
		f->state[i] = to;
	return 0;
}

static int fake_read(void *ctx, uint16_t ep, uint64_t pa, void *dst, size_t len)
{
	struct fake *f = ctx;

	(void)ep;
	if (pa < RAM_BASE || pa - RAM_BASE + len > sizeof(f->ram))
		return FFA_DENIED;
	memcpy(dst, f->ram + (pa - RAM_BASE), len);
	return 0;
}

static int fake_write(void *ctx, uint16_t ep, uint64_t pa, const void *src,
		      size_t len)
{
	struct fake *f = ctx;

	(void)ep;
	if (pa < RAM_BASE || pa - RAM_BASE + len > sizeof(f->ram))
		return FFA_DENIED;
	memcpy(f->ram + (pa - RAM_BASE), src, len);
	return 0;
}

static void fake_lock(void *ctx, enum ffp_lock l)
{
	struct fake *f = ctx;

	if (f->locks[l]++)
		f->lock_errors++;
}

static void fake_unlock(void *ctx, enum ffp_lock l)
{
	struct fake *f = ctx;

	if (f->locks[l]-- != 1)
		f->lock_errors++;
}

static void fake_log(void *ctx, const struct ffp_log_event *ev)
{
	((struct fake *)ctx)->last_why = ev->why;
}

static const struct ffp_platform fake_ops = {
	fake_smc, fake_transition, fake_read, fake_write,
	fake_lock, fake_unlock, fake_log, NULL, NULL, NULL,
};

struct world {
	struct fake f;
	struct ffp_config cfg;
	void *mem;
	struct ffp *p;
};

/* ffp_config_default() with a one-page buffer pair at the fixed
 * addresses every world here uses. */
static void config_one_page(struct ffp_config *cfg, uint8_t *tx, uint8_t *rx)
{
	ffp_config_default(cfg);
	cfg->buffers.tx = tx;
	cfg->buffers.rx = rx;
	cfg->buffers.tx_pa = 0x10000000;
	cfg->buffers.rx_pa = 0x10001000;
	cfg->buffers.pages = 1;
	/* The fake firmware hosts no partitions to tell about VMs. */
	cfg->vm_availability_by_embedder = true;
}

static struct world *world_build(uint32_t proxy_version,
				 enum ffp_policy policy, uint32_t spmc_version,
				 uint32_t smccc, bool refuse_newer)
{
	struct world *w = calloc(1, sizeof(*w));
	size_t size;
	int i;

	w->f.smccc = smccc;
	w->f.spmc_version = spmc_version;
	w->f.refuse_newer = refuse_newer;
	for (i = 0; i < RAM_PAGES; i++)
		w->f.owner[i] = (uint16_t)(i / 16); /* ep0: pages 0-15, ep1: ... */
	config_one_page(&w->cfg, w->f.hyp_tx, w->f.hyp_rx);
	w->cfg.version = proxy_version;
	w->cfg.policy = policy;
	size = ffp_instance_size(&w->cfg);
	w->mem = aligned_alloc(16, (size + 15) & ~(size_t)15);
	w->p = ffp_init(w->mem, size, &w->cfg, &fake_ops, &w->f);
	w->f.p = w->p;
	return w;
}

static struct world *world_new(uint32_t proxy_version, enum ffp_policy policy,
			       uint32_t spmc_version, uint32_t smccc)
{
	return world_build(proxy_version, policy, spmc_version, smccc, false);
}

static void world_free(struct world *w)
{
	free(w->mem);
	free(w);
}

static struct ffa_regs call(struct world *w, uint16_t ep, uint64_t x0,
			    uint64_t x1, uint64_t x2, uint64_t x3)
{
	struct ffa_regs r;
	int i;

	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = 0x5a5a5a5a00000000ull | (uint64_t)i; /* junk */
	r.x[0] = x0;
	r.x[1] = x1;
	r.x[2] = x2;
	r.x[3] = x3;
	CHECK(ffp_handle(w->p, ep, &r));
	return r;
}

static bool is_error(const struct ffa_regs *r, int32_t status)
{
	return r->x[0] == FFA_ERROR_32 && r->x[2] == (uint32_t)status &&
	       r->x[1] == 0 && r->x[3] == 0 && r->x[4] == 0 && r->x[5] == 0 &&
	       r->x[6] == 0 && r->x[7] == 0;
}

static void test_config_and_size(void)
{
	struct ffp_config cfg;

	ffp_config_default(&cfg);
	CHECK_EQ(ffp_instance_size(&cfg), 0); /* no buffers given */
	cfg.buffers.tx = cfg.buffers.rx = &cfg;
	cfg.buffers.pages = 1;
	CHECK(ffp_instance_size(&cfg) > 0);
	cfg.granule = 8192;
	CHECK_EQ(ffp_instance_size(&cfg), 0);
	cfg.granule = 16384;
	cfg.max_buffer_pages = 2; /* less than one granule */
	CHECK_EQ(ffp_instance_size(&cfg), 0);
	cfg.max_buffer_pages = 4;
	cfg.version = FFA_VERSION_1_3;
	CHECK_EQ(ffp_instance_size(&cfg), 0);
}

static void test_not_ffa_left_alone(void)
{
	struct world *w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE,
				    FFA_VERSION_1_2, SMCCC_VERSION_1_2);
	struct ffa_regs r = { { 0x84000000u /* PSCI_VERSION */, 7 } }, copy = r;

	CHECK(!ffp_handle(w->p, 0, &r));
	CHECK(memcmp(&r, &copy, sizeof(r)) == 0);
	r.x[0] = 0x84000000ull | (1ull << 32); /* W0 decides (below) */
	CHECK(!ffp_handle(w->p, 0, &r));
	r.x[0] = 0x04000063u; /* yielding call */
	CHECK(!ffp_handle(w->p, 0, &r));
	r.x[0] = 0x84020063u; /* bits[23:17] nonzero */
	CHECK(!ffp_handle(w->p, 0, &r));
	r.x[0] = 0x8400005fu; /* below the FF-A range */
	CHECK(!ffp_handle(w->p, 0, &r));
	world_free(w);
}

/* SMCCC 1.3's SVE live-state hint (function id bit 16) does not change
 * the function: TF-A clears it before its standard-service dispatch (so
 * the SPMD serves 0x84010072 as FFA_MEM_LEND_32) and Hafnium before its
 * FF-A dispatch. The proxy must claim such a call and serve it as the
 * plain function, never leave it to an embedder that might pass it on to
 * EL3 unchecked; what reaches the SPMC carries the plain id. */
static void test_sve_hint(void)
{
	struct world *w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE,
				    FFA_VERSION_1_2, SMCCC_VERSION_1_2);
	const uint32_t hint = 1u << 16;
	struct ffa_regs r;
	int i;

	r = call(w, 0, FFA_VERSION_32 | hint, FFA_VERSION_1_2, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_2);
	CHECK(w->p != NULL);
	r = call(w, 0, FFA_ID_GET_32 | hint, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[2], 0);
	/* a direct request: checked as one, forwarded under its plain id */
	r = call(w, 0, FFA_MSG_SEND_DIRECT_REQ_32 | hint, 0x8001, 0, 7);
	CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_32);
	CHECK_EQ(r.x[3], 8);
	CHECK_EQ(w->f.last_smc.x[0], FFA_MSG_SEND_DIRECT_REQ_32);
	r = call(w, 0, FFA_MSG_SEND_DIRECT_REQ_32 | hint, 0x00018001, 0, 0);
	CHECK(is_error(&r, FFA_INVALID_PARAMETERS)); /* spoofed sender */
	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = 0;
	r.x[0] = FFA_MSG_SEND_DIRECT_REQ2_64 | hint;
	r.x[1] = 0x8001;
	w->f.reply.x[0] = FFA_MSG_SEND_DIRECT_RESP2_64;
	w->f.reply.x[1] = 0x80010000u;
	CHECK(ffp_handle(w->p, 0, &r));
	CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP2_64);
	CHECK_EQ(w->f.last_smc.x[0], FFA_MSG_SEND_DIRECT_REQ2_64);
	/* a memory call: refused by the proxy's checks, not passed by */
	r = call(w, 0, FFA_MEM_LEND_32 | hint, 48, 48, 0);
	CHECK(r.x[0] == FFA_ERROR_32);
	/* bit 16 alone is the hint: bit 17 still makes a non-FF-A id */
	r.x[0] = FFA_ID_GET_32 | (1u << 17);
	CHECK(!ffp_handle(w->p, 0, &r));
	CHECK_EQ(w->f.lock_errors, 0);
	world_free(w);
}

/* The function id is W0 (SMCCC; TF-A dispatches on W0 alone): an FF-A W0
 * under a dirty x0[63:32] is an FF-A call, claimed and served as its
 * function; returned as "not FF-A", an embedder forwarding what the
 * proxy does not claim would let it reach EL3 past every check. */
static void test_x0_upper_half(void)
{
	struct world *w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE,
				    FFA_VERSION_1_2, SMCCC_VERSION_1_2);
	const uint64_t dirty = 0xdead000000000000ull;
	struct ffa_regs r;
	int i;

	r = call(w, 0, dirty | FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_2);
	r = call(w, 0, dirty | FFA_ID_GET_32, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[2], 0);
	/* checked as a direct request, forwarded with a clean x0 */
	r = call(w, 0, dirty | FFA_MSG_SEND_DIRECT_REQ_32, 0x8001, 0, 7);
	CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_32);
	CHECK_EQ(r.x[3], 8);
	CHECK_EQ(w->f.last_smc.x[0], FFA_MSG_SEND_DIRECT_REQ_32);
	r = call(w, 0, dirty | FFA_MSG_SEND_DIRECT_REQ_32, 0x00018001, 0, 0);
	CHECK(is_error(&r, FFA_INVALID_PARAMETERS)); /* spoofed sender */
	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = 0;
	r.x[0] = dirty | FFA_MSG_SEND_DIRECT_REQ_64;
	r.x[1] = 0x8001;
	r.x[3] = 5;
	CHECK(ffp_handle(w->p, 0, &r));
	CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
	CHECK_EQ(w->f.last_smc.x[0], FFA_MSG_SEND_DIRECT_REQ_64);
	/* a memory call: the proxy's checks refuse it, no SMC passes it */
	i = w->f.smc_calls;
	r = call(w, 0, dirty | FFA_MEM_LEND_32, 48, 48, 0);
	CHECK(r.x[0] == FFA_ERROR_32);
	CHECK_EQ(w->f.smc_calls, i);
	/* a non-FF-A W0 is still not claimed, whatever the upper half */
	r.x[0] = dirty | 0x84000001u;
	CHECK(!ffp_handle(w->p, 0, &r));
	CHECK_EQ(r.x[0], dirty | 0x84000001u);
	CHECK_EQ(w->f.lock_errors, 0);
	world_free(w);
}

static void test_spmc_negotiation(void)
{
	struct ffp_info info;
	struct world *w;
	struct ffa_regs r;
	int i;

	/* highest common version not above the proxy's own; an older SPMC
	 * is asked again for its own version, which it then records (TF-A's
	 * EL3 SPMC records none it cannot serve) */
	w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE, FFA_VERSION_1_1,
		      SMCCC_VERSION_1_2);
	ffp_info(w->p, &info);
	CHECK(info.ffa_enabled);
	CHECK_EQ(info.spmc_version, FFA_VERSION_1_1);
	CHECK_EQ(info.spmc_reported, FFA_VERSION_1_1);
	CHECK_EQ(w->f.spmc_seen_version, FFA_VERSION_1_1);
	CHECK_EQ(w->f.version_calls, 2);
	world_free(w);

	/* an SPMC that refuses a newer minor (Hafnium) is asked one minor
	 * lower at a time */
	for (i = 0; i < 2; i++) {
		uint32_t spmc = i ? FFA_VERSION_1_0 : FFA_VERSION_1_1;

		w = world_build(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE, spmc,
				SMCCC_VERSION_1_2, true);
		ffp_info(w->p, &info);
		CHECK(info.ffa_enabled);
		CHECK_EQ(info.spmc_version, spmc);
		CHECK_EQ(w->f.spmc_seen_version, spmc);
		CHECK_EQ(w->f.version_calls, i ? 3 : 2);
		world_free(w);
	}

	/* a newer SPMC is asked once */
	w = world_new(FFA_VERSION_1_1, FFP_POLICY_TRANSLATE, FFA_VERSION_1_2,
		      SMCCC_VERSION_1_2);
	ffp_info(w->p, &info);
	CHECK_EQ(info.spmc_version, FFA_VERSION_1_1);
	CHECK_EQ(w->f.version_calls, 1);
	world_free(w);

	w = world_new(FFA_VERSION_1_1, FFP_POLICY_TRANSLATE, FFA_VERSION_1_2,
		      SMCCC_VERSION_1_2);
	ffp_info(w->p, &info);
	CHECK_EQ(info.spmc_version, FFA_VERSION_1_1);
	world_free(w);

	/* NOT_SUPPORTED zero-extended in x0 compares as signed */
	w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE, 0xffffffffu,
		      SMCCC_VERSION_1_2);
	ffp_info(w->p, &info);
	CHECK(!info.ffa_enabled);
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	CHECK_EQ(r.x[0], 0xffffffffu);
	r = call(w, 0, FFA_ID_GET_32, 0, 0, 0);
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	world_free(w);

	/* another major; or major 0 (version 0.0), which is no
	 * NOT_SUPPORTED: not asked again one minor lower */
	for (i = 0; i < 2; i++) {
		w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE,
			      i ? 0 : 0x20000, SMCCC_VERSION_1_2);
		ffp_info(w->p, &info);
		CHECK(!info.ffa_enabled);
		CHECK_EQ(w->f.version_calls, 1);
		world_free(w);
	}

	/* SMCCC 1.0 (NOT_SUPPORTED) disables FF-A; no FFA_VERSION is sent */
	w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE, FFA_VERSION_1_2,
		      0xffffffffu);
	ffp_info(w->p, &info);
	CHECK(!info.ffa_enabled);
	CHECK_EQ(w->f.version_calls, 0);
	world_free(w);

	/* SMCCC 1.1: no x8..x17, so the SPMC is asked for 1.1 at most */
	w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE, FFA_VERSION_1_2,
		      SMCCC_VERSION_1_1);
	ffp_info(w->p, &info);
	CHECK(info.ffa_enabled);
	CHECK(!info.regs_x8_x17);
	CHECK_EQ(w->f.spmc_seen_version, FFA_VERSION_1_1);
	CHECK_EQ(info.spmc_version, FFA_VERSION_1_1);
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_2); /* the proxy still serves 1.2 */
	r = call(w, 0, FFA_MSG_SEND_DIRECT_REQ2_64, 0x8001, 0, 0);
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	world_free(w);
}

static void test_caller_version_translate(void)
{
	struct world *w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE,
				    FFA_VERSION_1_2, SMCCC_VERSION_1_2);
	struct ffp_endpoint_info ei;
	struct ffa_regs r;
	int i;

	r = call(w, 0, FFA_VERSION_32, 0x80010000u, 0, 0); /* bit 31 */
	CHECK_EQ(r.x[0], 0xffffffffu);
	CHECK_EQ(w->f.last_why != NULL, 1);
	r = call(w, 0, FFA_VERSION_32, 0x20000, 0, 0); /* other major */
	CHECK_EQ(r.x[0], 0xffffffffu);
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_3, 0, 0); /* newer */
	CHECK_EQ(r.x[0], FFA_VERSION_1_2);
	for (i = 1; i < 8; i++)
		CHECK_EQ(r.x[i], 0); /* w0 alone, x1..x7 zero */
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_0, 0, 0); /* older */
	CHECK_EQ(r.x[0], FFA_VERSION_1_2);
	ffp_endpoint_info(w->p, 0, &ei);
	CHECK_EQ(ei.version, FFA_VERSION_1_0);
	CHECK(!ei.version_locked);
	/* the SPMC is not renegotiated under translate */
	CHECK_EQ(w->f.version_calls, 1);

	/* lock at the first other call */
	r = call(w, 0, FFA_ID_GET_32, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	ffp_endpoint_info(w->p, 0, &ei);
	CHECK(ei.version_locked);
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_0, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_2); /* same version still succeeds */
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_1, 0, 0);
	CHECK_EQ(r.x[0], 0xffffffffu); /* any other does not */
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	CHECK_EQ(r.x[0], 0xffffffffu);

	/* a VM at its own version, independently */
	CHECK_EQ(ffp_endpoint_add(w->p, 1), 0);
	CHECK_EQ(ffp_endpoint_add(w->p, 1), FFA_DENIED);
	r = call(w, 1, FFA_VERSION_32, FFA_VERSION_1_1, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_2);
	ffp_endpoint_info(w->p, 1, &ei);
	CHECK_EQ(ei.version, FFA_VERSION_1_1);
	world_free(w);
}

static void test_caller_version_strict(void)
{
	struct world *w = world_new(FFA_VERSION_1_2, FFP_POLICY_STRICT,
				    FFA_VERSION_1_2, SMCCC_VERSION_1_2);
	struct ffp_endpoint_info ei;
	struct ffp_info info;
	struct ffa_regs r;

	CHECK_EQ(ffp_endpoint_add(w->p, 1), 0);
	/* older before any lock: the SPMC is renegotiated down */
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_1, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_1);
	CHECK_EQ(w->f.spmc_seen_version, FFA_VERSION_1_1);
	ffp_info(w->p, &info);
	CHECK_EQ(info.spmc_version, FFA_VERSION_1_1);
	/* newer gets the version in use */
	r = call(w, 1, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_1);
	r = call(w, 0, FFA_ID_GET_32, 0, 0, 0); /* host locks */
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	/* after a lock an older minor is refused, the SPMC untouched */
	w->f.version_calls = 0;
	r = call(w, 1, FFA_VERSION_32, FFA_VERSION_1_0, 0, 0);
	CHECK_EQ(r.x[0], 0xffffffffu);
	CHECK_EQ(w->f.version_calls, 0);
	ffp_endpoint_info(w->p, 1, &ei);
	CHECK_EQ(ei.version, FFA_VERSION_1_1);
	world_free(w);

	/* the SPMC refuses the renegotiation: the caller gets NOT_SUPPORTED;
	 * NOT_SUPPORTED records nothing (Hafnium api_ffa_version), so no
	 * restoring FFA_VERSION follows (only an answer that says nothing of
	 * what the SPMC did needs one) */
	w = world_new(FFA_VERSION_1_2, FFP_POLICY_STRICT, FFA_VERSION_1_2,
		      SMCCC_VERSION_1_2);
	w->f.spmc_version = -1;
	w->f.version_calls = 0;
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_0, 0, 0);
	CHECK_EQ(r.x[0], 0xffffffffu);
	CHECK_EQ(w->f.version_calls, 1);
	ffp_info(w->p, &info);
	CHECK_EQ(info.spmc_version, FFA_VERSION_1_2);
	world_free(w);
}

/*
 * Strict, two endpoints, neither locked yet: the host negotiated 1.2 (the
 * SPMC's) and was answered 1.2; a VM then asks for 1.1. Renegotiating the
 * SPMC down then served the host at 1.1 from its first call on, an ABI it
 * was never answered (version confusion: 1.2 callers' DIRECT_REQ_64
 * results in x8..x17, DIRECT_REQ2, 32-byte EMADs). An endpoint's answer
 * holds: the VM gets NOT_SUPPORTED, the SPMC is not renegotiated. The
 * host may still move itself down, and a removed VM pins nothing.
 */
static void test_strict_version_promised(void)
{
	struct world *w = world_new(FFA_VERSION_1_2, FFP_POLICY_STRICT,
				    FFA_VERSION_1_2, SMCCC_VERSION_1_2);
	struct ffp_endpoint_info ei;
	struct ffp_info info;
	struct ffa_regs r;

	CHECK_EQ(ffp_endpoint_add(w->p, 1), 0);
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_2);
	w->f.version_calls = 0;
	r = call(w, 1, FFA_VERSION_32, FFA_VERSION_1_1, 0, 0);
	CHECK_EQ(r.x[0], 0xffffffffu);
	CHECK_EQ(w->f.version_calls, 0);
	ffp_info(w->p, &info);
	CHECK_EQ(info.spmc_version, FFA_VERSION_1_2);
	/* the VM's implicit 1.0 too */
	r = call(w, 1, FFA_ID_GET_32, 0, 0, 0);
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	r = call(w, 0, FFA_ID_GET_32, 0, 0, 0); /* host locks */
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	ffp_endpoint_info(w->p, 0, &ei);
	CHECK_EQ(ei.version, FFA_VERSION_1_2);
	world_free(w);

	/* the host moves itself down; a removed VM's answer is gone */
	w = world_new(FFA_VERSION_1_2, FFP_POLICY_STRICT, FFA_VERSION_1_2,
		      SMCCC_VERSION_1_2);
	CHECK_EQ(ffp_endpoint_add(w->p, 1), 0);
	r = call(w, 1, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_2);
	CHECK_EQ(ffp_endpoint_remove(w->p, 1), 0);
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_2);
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_1, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_1);
	ffp_info(w->p, &info);
	CHECK_EQ(info.spmc_version, FFA_VERSION_1_1);
	r = call(w, 0, FFA_ID_GET_32, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	ffp_endpoint_info(w->p, 0, &ei);
	CHECK_EQ(ei.version, FFA_VERSION_1_1);
	world_free(w);
}

/* FFA_VERSION is an SMC32 function only (DEN0077A table 13.1; Hafnium
 * and TF-A's SPMD match 0x84000063 alone): 0xC4000063 is no function, so
 * NOT_SUPPORTED as an FFA_ERROR frame like every other undefined width,
 * and no negotiation: under strict it must not move the SPMC down, and
 * FEATURES(0xC4000063) already says it does not exist. */
static void test_version_smc64_undefined(void)
{
	struct world *w = world_new(FFA_VERSION_1_2, FFP_POLICY_STRICT,
				    FFA_VERSION_1_2, SMCCC_VERSION_1_2);
	struct ffp_endpoint_info ei;
	struct ffp_info info;
	struct ffa_regs r;

	w->f.version_calls = 0;
	r = call(w, 0, FFA_ID_64(FFA_FN_VERSION), FFA_VERSION_1_1, 0, 0);
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	CHECK_EQ(w->f.version_calls, 0);
	ffp_info(w->p, &info);
	CHECK_EQ(info.spmc_version, FFA_VERSION_1_2);
	ffp_endpoint_info(w->p, 0, &ei);
	CHECK(!ei.version_set);
	CHECK(!ei.version_locked);
	/* the SMC32 call still negotiates */
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_2);
	r = call(w, 0, FFA_FEATURES_32, FFA_ID_64(FFA_FN_VERSION), 0, 0);
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	/* From an endpoint the proxy does not know, too: FFA_VERSION's bare
	 * w0 answer is for the SMC32 id alone (it answered 0xC4000063 with
	 * w0 = -1, an FFA_VERSION reply to no function). */
	CHECK(!ffp_endpoint_info(w->p, 7, &ei) ? !ei.present : 1);
	r = call(w, 7, FFA_ID_64(FFA_FN_VERSION), FFA_VERSION_1_2, 0, 0);
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	r = call(w, 7, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	CHECK_EQ(r.x[0], (uint32_t)FFA_NOT_SUPPORTED);
	CHECK_EQ(r.x[2], 0);
	world_free(w);
}

/* FFA_VERSION is an SMC32 call: its results are w0..w7, and SMCCC (1.1
 * on: x4..x17 preserved unless they hold results) leaves the caller's
 * x8..x17 as they were, as proxy.h promises for every SMC32 call. Peers
 * write x0..x7 only: Hafnium arch_regs_set_retval (x8..x17 only for an
 * extended 1.2 value), Xen's ffa handle_version (set_regs, x0..x7). A
 * caller using SMCCC 1.1 inline calls keeps live values there. */
static void test_version_preserves_x8_x17(void)
{
	struct world *w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE,
				    FFA_VERSION_1_2, SMCCC_VERSION_1_2);
	struct ffa_regs r;
	int i;

	/* answered, refused (bit 31), and from an unknown endpoint */
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_2);
	for (i = 1; i < 8; i++)
		CHECK_EQ(r.x[i], 0);
	for (i = 8; i < FFA_NREGS; i++)
		CHECK_EQ(r.x[i], 0x5a5a5a5a00000000ull | (uint64_t)i);
	r = call(w, 0, FFA_VERSION_32, 0x80010000u, 0, 0);
	CHECK_EQ(r.x[0], 0xffffffffu);
	for (i = 8; i < FFA_NREGS; i++)
		CHECK_EQ(r.x[i], 0x5a5a5a5a00000000ull | (uint64_t)i);
	r = call(w, 7, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	CHECK_EQ(r.x[0], 0xffffffffu);
	for (i = 8; i < FFA_NREGS; i++)
		CHECK_EQ(r.x[i], 0x5a5a5a5a00000000ull | (uint64_t)i);
	world_free(w);
}

static void test_call_before_version(void)
{
	struct world *w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE,
				    FFA_VERSION_1_2, SMCCC_VERSION_1_2);
	struct ffp_endpoint_info ei;
	struct ffa_regs r;

	/* served at 1.0 and locked there */
	r = call(w, 0, FFA_ID_GET_32, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	ffp_endpoint_info(w->p, 0, &ei);
	CHECK(ei.version_locked);
	CHECK_EQ(ei.version, FFA_VERSION_1_0);
	r = call(w, 0, FFA_SPM_ID_GET_32, 0, 0, 0); /* 1.1 call at 1.0 */
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	world_free(w);

	/* strict, SPMC at 1.2, nothing locked: implicit 1.0 renegotiates */
	w = world_new(FFA_VERSION_1_2, FFP_POLICY_STRICT, FFA_VERSION_1_2,
		      SMCCC_VERSION_1_2);
	r = call(w, 0, FFA_ID_GET_32, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(w->f.spmc_seen_version, FFA_VERSION_1_0);
	CHECK_EQ(ffp_endpoint_add(w->p, 1), 0);
	r = call(w, 1, FFA_ID_GET_32, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	ffp_endpoint_info(w->p, 1, &ei);
	CHECK_EQ(ei.version, FFA_VERSION_1_0);
	world_free(w);

	/* strict, locked at 1.2: a VM calling before FFA_VERSION is refused */
	w = world_new(FFA_VERSION_1_2, FFP_POLICY_STRICT, FFA_VERSION_1_2,
		      SMCCC_VERSION_1_2);
	r = call(w, 0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	r = call(w, 0, FFA_ID_GET_32, 0, 0, 0);
	CHECK_EQ(ffp_endpoint_add(w->p, 1), 0);
	r = call(w, 1, FFA_ID_GET_32, 0, 0, 0);
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	world_free(w);
}

/* Every function number at both widths is handled as the table says; a
 * refused one never reaches the SPMC and returns only the error. */
static void test_dispatch_table_total(void)
{
	struct world *w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE,
				    FFA_VERSION_1_2, SMCCC_VERSION_1_2);
	uint32_t fn, width, refused = 0, served = 0;
	struct ffa_regs r;

	call(w, 0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	for (fn = FFA_FN_FIRST; fn <= FFA_FN_LAST; fn++) {
		const struct ffp_call_desc *d = ffp_call_desc(fn);

		CHECK(d != NULL);
		CHECK(d->note != NULL);
		for (width = 0; width < 2; width++) {
			uint32_t id = width ? FFA_ID_64(fn) : FFA_ID_32(fn);
			bool defined = d->handling != FFP_REFUSED &&
				       (d->widths & (1u << width));
			int before = w->f.smc_calls;

			if (fn == FFA_FN_VERSION)
				continue;
			r = call(w, 0, id, 0, 0, 0);
			if (!defined) {
				CHECK(is_error(&r, FFA_NOT_SUPPORTED));
				CHECK_EQ(w->f.smc_calls, before);
				refused++;
			} else {
				served++;
			}
		}
	}
	CHECK_EQ(refused + served, 2 * (FFA_FN_LAST - FFA_FN_FIRST + 1) - 2);
	CHECK(refused > 250);
	CHECK(served >= 20);
	CHECK(ffp_call_desc(0x90)->name == NULL);
	CHECK_EQ(ffp_call_desc(FFA_FN_MSG_SEND_DIRECT_REQ)->handling,
		 FFP_FORWARDED);
	CHECK_EQ(w->f.lock_errors, 0);
	world_free(w);
}

static void test_direct_req_registers(void)
{
	struct world *w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE,
				    FFA_VERSION_1_2, SMCCC_VERSION_1_2);
	struct ffa_regs r;
	int i;

	call(w, 0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	/* SMC32: upper halves ignored in (sender check on w1), zero out */
	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = 0xffffffff00000000ull | (uint64_t)(0x10 + i);
	r.x[0] = FFA_MSG_SEND_DIRECT_REQ_32;
	r.x[1] = 0xabcd000000008001ull; /* sender 0, receiver 0x8001 */
	r.x[2] = 0xffffffff00000000ull; /* flags: w2 = 0 */
	CHECK(ffp_handle(w->p, 0, &r));
	CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_32);
	CHECK_EQ(r.x[1], 0x80010000u);
	CHECK_EQ(r.x[2], 0);
	for (i = 3; i < 8; i++)
		CHECK_EQ(r.x[i], 0x10 + i + 1);
	for (i = 8; i < FFA_NREGS; i++) /* preserved, the 0xdead never leaks */
		CHECK_EQ(r.x[i], 0xffffffff00000000ull | (uint64_t)(0x10 + i));
	/* what reached the SPMC was masked and zero past x7 */
	CHECK_EQ(w->f.last_smc.x[1], 0x8001);
	CHECK_EQ(w->f.last_smc.x[4], 0x14);
	CHECK_EQ(w->f.last_smc.x[9], 0);

	/* SMC64 at 1.2: x8..x17 are results, zero where undefined */
	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = 0x1111111100000000ull | (uint64_t)i;
	r.x[0] = FFA_MSG_SEND_DIRECT_REQ_64;
	r.x[1] = 0x8001;
	r.x[2] = 0;
	CHECK(ffp_handle(w->p, 0, &r));
	CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
	CHECK_EQ(r.x[3], 0x1111111100000004ull);
	for (i = 8; i < FFA_NREGS; i++)
		CHECK_EQ(r.x[i], 0);

	/* sender must be the caller; flags MBZ; receiver must be secure */
	r = call(w, 0, FFA_MSG_SEND_DIRECT_REQ_32, 0x00018001, 0, 0);
	CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
	r = call(w, 0, FFA_MSG_SEND_DIRECT_REQ_32, 0x8001, 0x80000000u, 0);
	CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
	r = call(w, 0, FFA_MSG_SEND_DIRECT_REQ_32, 0x0001, 0, 0);
	CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
	r = call(w, 0, FFA_MSG_SEND_DIRECT_RESP_32, 0x8001, 0, 0);
	CHECK(is_error(&r, FFA_DENIED));

	/* a response naming someone else is not passed on */
	w->f.reply.x[0] = FFA_MSG_SEND_DIRECT_RESP_32;
	w->f.reply.x[1] = 0x80020000u;
	r = call(w, 0, FFA_MSG_SEND_DIRECT_REQ_32, 0x8001, 0, 0);
	CHECK(is_error(&r, FFA_ABORTED));
	/* an unknown status from the SPMC becomes ABORTED */
	w->f.reply.x[0] = FFA_ERROR_32;
	w->f.reply.x[2] = 17;
	r = call(w, 0, FFA_MSG_SEND_DIRECT_REQ_32, 0x8001, 0, 0);
	CHECK(is_error(&r, FFA_ABORTED));
	w->f.reply.x[0] = FFA_ERROR_32;
	w->f.reply.x[2] = (uint32_t)FFA_BUSY;
	w->f.reply.x[5] = 0x777; /* garbage the proxy must drop */
	r = call(w, 0, FFA_MSG_SEND_DIRECT_REQ_32, 0x8001, 0, 0);
	CHECK(is_error(&r, FFA_BUSY));
	world_free(w);
}

static void test_rxtx_rules(void)
{
	struct world *w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE,
				    FFA_VERSION_1_2, SMCCC_VERSION_1_2);
	struct ffa_regs r;
	uint64_t tx = RAM_BASE, rx = RAM_BASE + 0x1000;

	call(w, 0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	r = call(w, 0, FFA_RXTX_MAP_64, tx, rx, 0);
	CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
	r = call(w, 0, FFA_RXTX_MAP_64, tx + 0x800, rx, 1);
	CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
	r = call(w, 0, FFA_RXTX_MAP_64, tx, tx, 1);
	CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
	r = call(w, 0, FFA_RXTX_MAP_64, tx, 0xfffffffffffff000ull, 1);
	CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
	/* RX page owned by endpoint 1: refused (not the caller's memory:
	 * INVALID_PARAMETERS), TX rolled back */
	r = call(w, 0, FFA_RXTX_MAP_64, tx, RAM_BASE + 16 * 4096, 1);
	CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
	CHECK_EQ(w->f.state[0], FFP_PAGE_OWNED);
	r = call(w, 0, FFA_RXTX_MAP_64, tx, rx, 1);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(w->f.state[0], FFP_PAGE_SHARED_PROXY);
	CHECK_EQ(w->f.state[1], FFP_PAGE_SHARED_PROXY);
	r = call(w, 0, FFA_RXTX_MAP_64, tx + 0x2000, rx + 0x2000, 1);
	CHECK(is_error(&r, FFA_DENIED));
	CHECK_EQ(w->f.state[2], FFP_PAGE_OWNED);
	r = call(w, 0, FFA_RX_RELEASE_32, 0, 0, 0);
	CHECK(is_error(&r, FFA_DENIED)); /* RX not held */
	r = call(w, 0, FFA_RXTX_UNMAP_32, 1u << 16, 0, 0);
	CHECK(is_error(&r, FFA_INVALID_PARAMETERS)); /* another endpoint */
	r = call(w, 0, FFA_RXTX_UNMAP_32, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(w->f.state[0], FFP_PAGE_OWNED);
	CHECK_EQ(w->f.state[1], FFP_PAGE_OWNED);
	r = call(w, 0, FFA_RXTX_UNMAP_32, 0, 0, 0);
	CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
	/* the host's first map (over a 1.1+ SPMC) maps the proxy's own pair
	 * at the SPMC, once: partitions can then message the host */
	CHECK_EQ(w->f.smc_calls, 3);

	/* removing a VM returns its buffer pages */
	CHECK_EQ(ffp_endpoint_add(w->p, 1), 0);
	call(w, 1, FFA_VERSION_32, FFA_VERSION_1_1, 0, 0);
	r = call(w, 1, FFA_RXTX_MAP_32, RAM_BASE + 16 * 4096,
		 RAM_BASE + 17 * 4096, 1);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(w->f.state[16], FFP_PAGE_SHARED_PROXY);
	CHECK_EQ(ffp_endpoint_remove(w->p, 1), 0);
	CHECK_EQ(w->f.state[16], FFP_PAGE_OWNED);
	CHECK_EQ(w->f.state[17], FFP_PAGE_OWNED);
	r = call(w, 1, FFA_ID_GET_32, 0, 0, 0);
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	CHECK_EQ(ffp_endpoint_remove(w->p, 0), FFA_INVALID_PARAMETERS);
	CHECK_EQ(w->f.lock_errors, 0);
	world_free(w);
}

static void test_features(void)
{
	struct world *w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE,
				    FFA_VERSION_1_2, SMCCC_VERSION_1_2);
	struct ffa_regs r;

	call(w, 0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	r = call(w, 0, FFA_FEATURES_32, FFA_RXTX_MAP_64, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[2], (16u << 16) | FFA_RXTX_GRANULE_4K);
	r = call(w, 0, FFA_FEATURES_32, FFA_MEM_RETRIEVE_REQ_32, 0, 0);
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	/* the return frames the proxy answers with are supported (Hafnium
	 * ffa_features_function; tf-a-tests' FFA_FEATURES test expects
	 * SUCCESS for all three): the proxy's own answer, no SMC */
	{
		static const uint32_t frames[] = { FFA_ERROR_32, FFA_SUCCESS_32,
						   FFA_INTERRUPT_32 };
		unsigned k;
		int smcs = w->f.smc_calls;

		for (k = 0; k < 3; k++) {
			r = call(w, 0, FFA_FEATURES_32, frames[k], 0, 0);
			CHECK_EQ(r.x[0], FFA_SUCCESS_32);
			CHECK_EQ(r.x[2], 0);
			CHECK_EQ(r.x[3], 0);
		}
		CHECK_EQ(w->f.smc_calls, smcs);
		/* as requests they stay refused */
		r = call(w, 0, FFA_SUCCESS_32, 0, 0, 0);
		CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	}
	r = call(w, 0, FFA_FEATURES_32, 1 /* a feature id */, 0, 0);
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	r = call(w, 0, FFA_FEATURES_32, FFA_ID_32(FFA_FN_ID_GET) | SMCCC_SMC64,
		 0, 0);
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	/* forwarded: the SPMC is asked */
	w->f.reply.x[0] = FFA_ERROR_32;
	w->f.reply.x[2] = (uint32_t)FFA_NOT_SUPPORTED;
	r = call(w, 0, FFA_FEATURES_32, FFA_MSG_SEND_DIRECT_REQ2_64, 0, 0);
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	CHECK_EQ(w->f.last_smc.x[1], FFA_MSG_SEND_DIRECT_REQ2_64);
	r = call(w, 0, FFA_FEATURES_32, FFA_MSG_SEND_DIRECT_REQ2_64, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	world_free(w);

	/* a 1.1 caller is not told about 1.2 calls, nor max pages */
	w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE, FFA_VERSION_1_2,
		      SMCCC_VERSION_1_2);
	/* at 16K: the proxy is built again (ffp_init copies the config) */
	w->cfg.granule = 16384;
	w->p = ffp_init(w->mem, ffp_instance_size(&w->cfg), &w->cfg, &fake_ops,
			&w->f);
	CHECK(w->p != NULL);
	w->f.p = w->p;
	call(w, 0, FFA_VERSION_32, FFA_VERSION_1_1, 0, 0);
	r = call(w, 0, FFA_FEATURES_32, FFA_MSG_SEND_DIRECT_REQ2_64, 0, 0);
	CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	r = call(w, 0, FFA_FEATURES_32, FFA_RXTX_MAP_64, 0, 0);
	CHECK_EQ(r.x[2], FFA_RXTX_GRANULE_16K);
	world_free(w);
}

/* Every field ffp_config_default() leaves valid, broken in turn: both
 * ffp_instance_size() (0) and ffp_init() (NULL) refuse it. */
static void test_config_refusals(void)
{
	static uint8_t tx[4096], rx[4096];
	static const struct ffp_partition_uuid *no_uuids;
	struct ffp_config good, cfg;
	struct fake f;
	void *mem;
	size_t size;
	unsigned i;
	enum { N = 20 };

	memset(&f, 0, sizeof(f));
	config_one_page(&good, tx, rx);
	size = ffp_instance_size(&good);
	CHECK(size > 0);
	mem = aligned_alloc(16, (size + 15) & ~(size_t)15);
	CHECK_EQ(ffp_instance_size(NULL), 0);
	CHECK(ffp_init(mem, size, NULL, &fake_ops, &f) == NULL);
	for (i = 0; i < N; i++) {
		cfg = good;
		switch (i) {
		case 0: cfg.version = 0x10003; break; /* 1.3: not served */
		case 1: cfg.version = 0x20000; break;
		case 2: cfg.policy = (enum ffp_policy)7; break;
		case 3: cfg.granule = 8192; break;
		case 4: cfg.max_endpoints = 0; break;
		case 5: cfg.max_endpoints = 0x8000; break;
		case 6: cfg.granule = 65536; cfg.max_buffer_pages = 15; break;
		case 7: cfg.max_buffer_pages = 64 /* w3[5:0] holds 63 */; break;
		case 8: cfg.max_descriptor_size = 4095; break;
		case 9: cfg.max_descriptor_size = (1u << 30) + 1; break;
		case 10: cfg.buffers.tx = NULL; break;
		case 11: cfg.buffers.rx = NULL; break;
		case 12: cfg.buffers.pages = 0; break;
		case 13: cfg.buffers.pages = 64 /* w3[5:0] holds 63 */; break;
		case 14: cfg.buffers.tx_pa += 0x800; break;
		case 15: cfg.buffers.rx_pa += 8; break;
		case 16: cfg.uuid_count = 1; cfg.uuids = no_uuids; break;
		case 17: cfg.max_transactions = (1u << 24) + 1; break;
		case 18: cfg.max_ranges = (1u << 28) + 1; break;
		default: cfg.max_buffer_pages = 0; break;
		}
		if (ffp_instance_size(&cfg) != 0 ||
		    ffp_init(mem, size, &cfg, &fake_ops, &f) != NULL) {
			fprintf(stderr, "FAIL config case %u accepted\n", i);
			check_failed_in_test = 1;
		}
	}
	/* the limits themselves are accepted */
	cfg = good;
	cfg.max_endpoints = 0x7fff;
	cfg.max_transactions = 1u << 24;
	cfg.max_descriptor_size = 4096;
	CHECK(ffp_instance_size(&cfg) > 0);
	CHECK_EQ(f.smc_calls, 0); /* nothing refused reached the firmware */
	free(mem);
}

/* ffp_init's other arguments: memory, its alignment and size, and every
 * platform operation the proxy cannot do without. */
static void test_init_refusals(void)
{
	static uint8_t tx[4096], rx[4096];
	struct ffp_platform ops;
	struct ffp_config cfg;
	struct fake f;
	uint8_t *mem;
	size_t size;
	unsigned i;

	memset(&f, 0, sizeof(f));
	f.smccc = SMCCC_VERSION_1_2;
	f.spmc_version = FFA_VERSION_1_2;
	config_one_page(&cfg, tx, rx);
	size = ffp_instance_size(&cfg);
	mem = aligned_alloc(16, size + 16);
	CHECK(ffp_init(NULL, size, &cfg, &fake_ops, &f) == NULL);
	CHECK(ffp_init(mem + 8, size, &cfg, &fake_ops, &f) == NULL);
	CHECK(ffp_init(mem, size - 1, &cfg, &fake_ops, &f) == NULL);
	CHECK(ffp_init(mem, size, &cfg, NULL, &f) == NULL);
	for (i = 0; i < 6; i++) {
		ops = fake_ops;
		switch (i) {
		case 0: ops.smc = NULL; break;
		case 1: ops.page_transition = NULL; break;
		case 2: ops.caller_read = NULL; break;
		case 3: ops.caller_write = NULL; break;
		case 4: ops.lock = NULL; break;
		default: ops.unlock = NULL; break;
		}
		if (ffp_init(mem, size, &cfg, &ops, &f) != NULL) {
			fprintf(stderr, "FAIL platform case %u accepted\n", i);
			check_failed_in_test = 1;
		}
	}
	CHECK_EQ(f.smc_calls, 0);
	/* and the same arguments whole are accepted */
	CHECK(ffp_init(mem, size, &cfg, &fake_ops, &f) != NULL);
	free(mem);
}

/* ffp_endpoint_add/remove/info refuse ids out of range, an endpoint that
 * is not there, and a removal while a call of the endpoint is in the
 * proxy (BUSY: another CPU removes it during the call's SMC). */
static void test_endpoint_api_refusals(void)
{
	struct world *w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE,
				    FFA_VERSION_1_2, SMCCC_VERSION_1_2);
	struct ffp_endpoint_info info;
	struct ffa_regs r;
	int i;

	CHECK_EQ(ffp_endpoint_add(w->p, (uint16_t)w->cfg.max_endpoints),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(ffp_endpoint_remove(w->p, (uint16_t)w->cfg.max_endpoints),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(ffp_endpoint_remove(w->p, 2), FFA_INVALID_PARAMETERS);
	memset(&info, 0xa5, sizeof(info));
	CHECK_EQ(ffp_endpoint_info(w->p, (uint16_t)w->cfg.max_endpoints, &info),
		 FFA_INVALID_PARAMETERS);
	CHECK(!info.present && !info.version_set && !info.buffers_mapped);

	CHECK_EQ(ffp_endpoint_add(w->p, 1), 0);
	CHECK_EQ(ffp_endpoint_add(w->p, 1), FFA_DENIED);
	call(w, 1, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	/* PARTITION_INFO_GET, count only (w5 = 1): endpoint 1 is busy
	 * during its SMC, so removing it then is refused */
	w->f.remove_at_smc = true;
	w->f.remove_id = 1;
	w->f.remove_ret = 0x7777;
	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = 0;
	r.x[0] = FFA_PARTITION_INFO_GET_32;
	r.x[5] = FFA_PARTITION_INFO_GET_COUNT_ONLY;
	CHECK(ffp_handle(w->p, 1, &r));
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK(!w->f.remove_at_smc);
	CHECK_EQ(w->f.remove_ret, FFA_BUSY);
	CHECK_EQ(ffp_endpoint_info(w->p, 1, &info), 0);
	CHECK(info.present);
	/* not busy any more: removed */
	CHECK_EQ(ffp_endpoint_remove(w->p, 1), 0);
	CHECK_EQ(ffp_endpoint_info(w->p, 1, &info), 0);
	CHECK(!info.present);
	CHECK_EQ(w->f.lock_errors, 0);
	world_free(w);
}

/* FFA_PARTITION_INFO_GET of every partition (nil UUID), flags w5. */
static struct ffa_regs partinfo_get(struct world *w, uint32_t flags)
{
	struct ffa_regs r;
	int i;

	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = 0;
	r.x[0] = FFA_PARTITION_INFO_GET_32;
	r.x[5] = flags;
	CHECK(ffp_handle(w->p, 0, &r));
	return r;
}

/* Partition descriptors that do not fit the caller's RX buffer get
 * NO_MEMORY, as from every peer that produces them: Hafnium
 * send_versioned_partition_info_descriptors ("Partition information does
 * not fit in the VM's RX buffer"), TF-A's EL3 SPMC partition_info_get
 * handler and Xen's mediator all answer FFA_NO_MEMORY; ABORTED says the
 * SPMC broke the protocol, which an honest one did not. An honest 1.0
 * SPMC fills the proxy's one-page RX with 200 8-byte descriptors; a 1.1
 * caller needs 200 * 24 bytes, more than its one-page RX. Nothing is
 * written and the caller does not own its RX. */
static void test_partinfo_caller_rx_too_small(void)
{
	struct world *w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE,
				    FFA_VERSION_1_0, SMCCC_VERSION_1_2);
	struct ffp_endpoint_info info;
	struct ffa_regs r;
	uint32_t i;

	call(w, 0, FFA_VERSION_32, FFA_VERSION_1_1, 0, 0);
	r = call(w, 0, FFA_RXTX_MAP_64, RAM_BASE, RAM_BASE + 4096, 1);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	/* a first query maps the proxy's buffers, so that the scripted
	 * reply below is the query's */
	w->f.reply.x[0] = FFA_SUCCESS_32;
	w->f.reply.x[2] = 1;
	memset(w->f.hyp_rx, 0, sizeof(w->f.hyp_rx));
	w->f.hyp_rx[0] = 0x01;
	w->f.hyp_rx[1] = 0x80;
	r = partinfo_get(w, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(w, 0, FFA_RX_RELEASE_32, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	for (i = 0; i < 200; i++) {
		uint8_t *d = w->f.hyp_rx + 8 * i;

		d[0] = (uint8_t)(i + 1);
		d[1] = 0x80; /* id 0x80xx: secure */
		d[2] = 1;    /* one execution context */
		d[4] = 1;    /* receives direct requests */
	}
	memset(w->f.ram + 4096, 0xee, 4096);
	w->f.reply.x[0] = FFA_SUCCESS_32;
	w->f.reply.x[2] = 200;
	r = partinfo_get(w, 0);
	CHECK(is_error(&r, FFA_NO_MEMORY));
	CHECK(w->f.last_why && strstr(w->f.last_why, "caller's RX"));
	CHECK_EQ(w->f.ram[4096], 0xee);
	CHECK_EQ(w->f.ram[2 * 4096 - 1], 0xee);
	CHECK_EQ(ffp_endpoint_info(w->p, 0, &info), 0);
	CHECK(!info.rx_held);
	/* the proxy gave its own RX back to the SPMC */
	CHECK_EQ(w->f.last_smc.x[0], FFA_RX_RELEASE_32);
	CHECK_EQ(w->f.lock_errors, 0);
	world_free(w);
}

/* ffp_init copies `cfg`, and proxy.h asks only `plat` and `ctx` to
 * outlive the proxy: the UUID table cfg.uuids points to is part of the
 * configuration, which an embedder may build on the stack at init. The
 * proxy must keep its own copy rather than read the embedder's table
 * later (a use after scope). Here the table is overwritten after
 * ffp_init; a 1.1 caller over a 1.0 SPMC still gets the configured UUID. */
static void test_config_uuids_copied(void)
{
	struct world *w = calloc(1, sizeof(*w));
	struct ffp_partition_uuid table[1];
	struct ffa_regs r;
	size_t size;
	int i;

	w->f.smccc = SMCCC_VERSION_1_2;
	w->f.spmc_version = FFA_VERSION_1_0;
	for (i = 0; i < RAM_PAGES; i++)
		w->f.owner[i] = (uint16_t)(i / 16);
	config_one_page(&w->cfg, w->f.hyp_tx, w->f.hyp_rx);
	table[0].id = 0x8001;
	for (i = 0; i < 16; i++)
		table[0].uuid[i] = (uint8_t)(0xa0 + i);
	w->cfg.uuids = table;
	w->cfg.uuid_count = 1;
	size = ffp_instance_size(&w->cfg);
	w->mem = aligned_alloc(16, (size + 15) & ~(size_t)15);
	w->p = ffp_init(w->mem, size, &w->cfg, &fake_ops, &w->f);
	CHECK(w->p != NULL);
	w->f.p = w->p;
	/* the embedder's configuration goes away */
	memset(table, 0x55, sizeof(table));
	memset(&w->cfg, 0x55, sizeof(w->cfg));

	call(w, 0, FFA_VERSION_32, FFA_VERSION_1_1, 0, 0);
	r = call(w, 0, FFA_RXTX_MAP_64, RAM_BASE, RAM_BASE + 4096, 1);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	/* a first query maps the proxy's buffers (no partition) */
	r = partinfo_get(w, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(w, 0, FFA_RX_RELEASE_32, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	/* one 1.0 descriptor of partition 0x8001: it gets the UUID */
	memset(w->f.hyp_rx, 0, sizeof(w->f.hyp_rx));
	w->f.hyp_rx[0] = 0x01;
	w->f.hyp_rx[1] = 0x80;
	w->f.hyp_rx[2] = 1;
	w->f.reply.x[0] = FFA_SUCCESS_32;
	w->f.reply.x[2] = 1;
	r = partinfo_get(w, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[2], 1);
	CHECK_EQ(r.x[3], 24);
	for (i = 0; i < 16; i++)
		CHECK_EQ(w->f.ram[4096 + 8 + i], 0xa0 + i);
	CHECK_EQ(w->f.lock_errors, 0);
	world_free(w);
}

/* Three descriptors of `size` bytes (24: 1.1, 8: 1.0) in the proxy's RX:
 * partition 0x8001 twice, then 0x8002. At 1.1 they carry the UUIDs
 * 0xa1..., 0xa2... and 0xb1...: 0x8001 under two UUIDs; at 1.0 none (an
 * SPMC listing a partition once per UUID, as TF-A's EL3 SPMC does
 * whatever the version, but with no UUID in a 1.0 descriptor to tell
 * them apart). */
static void partinfo_three(struct world *w, unsigned size)
{
	uint8_t *d;
	int i;

	memset(w->f.hyp_rx, 0, sizeof(w->f.hyp_rx));
	for (i = 0; i < 3; i++) {
		d = w->f.hyp_rx + size * i;
		d[0] = i < 2 ? 0x01 : 0x02;
		d[1] = 0x80;
		d[2] = 1;
		d[4] = 0x03;
		if (size == 24)
			d[8] = i == 0 ? 0xa1 : i == 1 ? 0xa2 : 0xb1;
	}
	w->f.reply.x[0] = FFA_SUCCESS_32;
	w->f.reply.x[2] = 3;
	if (size == 24) /* 1.0 replies carry no size */
		w->f.reply.x[3] = 24;
}

static void partinfo_two_uuids(struct world *w)
{
	partinfo_three(w, 24);
}

/* A partition with several UUIDs is listed once per UUID in answer to a
 * nil-UUID query, but only from FF-A 1.2, which introduced several UUIDs
 * per partition: Hafnium's api_ffa_fill_partitions_info_array gives a
 * caller below 1.2 one descriptor per partition (its first UUID). TF-A's
 * EL3 SPMC lists every UUID whatever the version, and a 1.2 SPMC answers
 * the proxy at 1.2: a 1.0 or 1.1 caller through the proxy must still see
 * each partition once (Linux before 1.2 registers one device per
 * descriptor), in the array and in the count-only answer. */
static void test_partinfo_several_uuids_old_caller(void)
{
	struct world *w;
	struct ffa_regs r;
	uint32_t v;

	for (v = FFA_VERSION_1_0; v <= FFA_VERSION_1_2; v++) {
		w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE,
			      FFA_VERSION_1_2, SMCCC_VERSION_1_2);
		call(w, 0, FFA_VERSION_32, v, 0, 0);
		r = call(w, 0, FFA_RXTX_MAP_64, RAM_BASE, RAM_BASE + 4096, 1);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		/* a first query maps the proxy's buffers */
		(void)partinfo_get(w, 0);
		memset(w->f.ram + 4096, 0xee, 4096);
		partinfo_two_uuids(w);
		r = partinfo_get(w, 0);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		if (v < FFA_VERSION_1_2) {
			uint32_t sz = v == FFA_VERSION_1_0 ? 8 : 24;

			CHECK_EQ(r.x[2], 2);
			CHECK_EQ(w->f.ram[4096], 0x01);
			CHECK_EQ(w->f.ram[4096 + sz], 0x02);
			if (v == FFA_VERSION_1_1) {
				CHECK_EQ(w->f.ram[4096 + 8], 0xa1);
				CHECK_EQ(w->f.ram[4096 + 24 + 8], 0xb1);
			}
			/* the tail is zero, not the dropped descriptor */
			CHECK_EQ(w->f.ram[4096 + 2 * sz], 0);
		} else {
			CHECK_EQ(r.x[2], 3);
			CHECK_EQ(w->f.ram[4096 + 24 + 8], 0xa2);
			CHECK_EQ(w->f.ram[4096 + 48], 0x02);
		}
		r = call(w, 0, FFA_RX_RELEASE_32, 0, 0, 0);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		/* count only: what the full query would give (at 1.0 too,
		 * where the flag is served: docs/discovery.md) */
		partinfo_two_uuids(w);
		r = partinfo_get(w, FFA_PARTITION_INFO_GET_COUNT_ONLY);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		CHECK_EQ(r.x[2], v < FFA_VERSION_1_2 ? 2 : 3);
		CHECK_EQ(r.x[3], 0);
		CHECK_EQ(w->f.lock_errors, 0);
		world_free(w);
	}
}

/* Asked by UUID, what the SPMC lists is passed on, not one descriptor
 * per partition id: the count-only answer is the SPMC's (forwarded, as
 * count-only), and the full query must give the same count (DEN0077A 1.1
 * FFA_PARTITION_INFO_GET, w5 bit 0: the count of the descriptors the
 * full query returns), whatever the caller's version. Here the SPMC lists
 * a partition twice for the one UUID (a manifest naming it twice). */
static void test_partinfo_uuid_count_matches(void)
{
	struct world *w;
	struct ffa_regs r, q;
	uint32_t v;
	int i;

	for (v = FFA_VERSION_1_1; v <= FFA_VERSION_1_2; v++) {
		w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE,
			      FFA_VERSION_1_2, SMCCC_VERSION_1_2);
		call(w, 0, FFA_VERSION_32, v, 0, 0);
		r = call(w, 0, FFA_RXTX_MAP_64, RAM_BASE, RAM_BASE + 4096, 1);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		(void)partinfo_get(w, 0); /* maps the proxy's buffers */
		memset(&q, 0, sizeof(q));
		q.x[0] = FFA_PARTITION_INFO_GET_32;
		q.x[1] = 0xa1;
		q.x[5] = FFA_PARTITION_INFO_GET_COUNT_ONLY;
		partinfo_two_uuids(w);
		r = q;
		CHECK(ffp_handle(w->p, 0, &r));
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		CHECK_EQ(r.x[2], 3);
		q.x[5] = 0;
		partinfo_two_uuids(w);
		r = q;
		CHECK(ffp_handle(w->p, 0, &r));
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		CHECK_EQ(r.x[2], 3);
		CHECK_EQ(r.x[3], 24);
		for (i = 0; i < 3; i++) /* asked by UUID: the UUIDs MBZ */
			CHECK_EQ(w->f.ram[4096 + 24 * i + 8], 0);
		r = call(w, 0, FFA_RX_RELEASE_32, 0, 0, 0);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		CHECK_EQ(w->f.lock_errors, 0);
		world_free(w);
	}
}

static void partinfo_v10_twice(struct world *w)
{
	partinfo_three(w, 8);
}

/* A 1.2 caller over a 1.0 SPMC listing a partition twice gets it once,
 * in both forms (a 1.0/1.1 caller already does): its UUID is cfg.uuids'
 * for the id, so both would be the same descriptor, and Linux would
 * register two devices for one partition. The count-only answer agrees. */
static void test_partinfo_v10_twice_new_caller(void)
{
	struct world *w;
	struct ffa_regs r;
	int i;

	w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE, FFA_VERSION_1_0,
		      SMCCC_VERSION_1_2);
	call(w, 0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	/* a first query maps the proxy's buffers (no partition: refused) */
	r = call(w, 0, FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0);
	CHECK(is_error(&r, FFA_INVALID_PARAMETERS));
	/* emulated (a 1.0 SPMC has no register form) */
	partinfo_v10_twice(w);
	r = call(w, 0, FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_64);
	CHECK_EQ(r.x[2], 0x18000000010001ull); /* last 1, current 1 */
	CHECK_EQ(r.x[3] & 0xffff, 0x8001);
	CHECK_EQ(r.x[6] & 0xffff, 0x8002);
	for (i = 9; i < FFA_NREGS; i++)
		CHECK_EQ(r.x[i], 0);
	/* the buffer form */
	r = call(w, 0, FFA_RXTX_MAP_64, RAM_BASE, RAM_BASE + 4096, 1);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	partinfo_v10_twice(w);
	r = partinfo_get(w, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[2], 2);
	CHECK_EQ(r.x[3], 24);
	CHECK_EQ(w->f.ram[4096], 0x01);
	CHECK_EQ(w->f.ram[4096 + 24], 0x02);
	CHECK_EQ(w->f.ram[4096 + 48], 0);
	r = call(w, 0, FFA_RX_RELEASE_32, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	partinfo_v10_twice(w);
	r = partinfo_get(w, FFA_PARTITION_INFO_GET_COUNT_ONLY);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[2], 2);
	CHECK_EQ(w->f.lock_errors, 0);
	world_free(w);
}

/* The public names: handling kinds, page states, function ids, and the
 * table's answer for function numbers outside FF-A's range. */
static void test_names(void)
{
	CHECK(!strcmp(ffp_handling_name(FFP_EMULATED), "emulated"));
	CHECK(!strcmp(ffp_handling_name(FFP_FORWARDED), "forwarded"));
	CHECK(!strcmp(ffp_handling_name(FFP_TRANSLATED), "translated"));
	CHECK(!strcmp(ffp_handling_name(FFP_REFUSED), "refused"));
	CHECK(!strcmp(ffp_handling_name((enum ffp_handling)99), "refused"));
	CHECK(!strcmp(ffp_page_state_name(FFP_PAGE_OWNED), "owned"));
	CHECK(!strcmp(ffp_page_state_name(FFP_PAGE_SHARED_PROXY), "shared-proxy"));
	CHECK(!strcmp(ffp_page_state_name(FFP_PAGE_SHARED), "shared"));
	CHECK(!strcmp(ffp_page_state_name(FFP_PAGE_LENT), "lent"));
	CHECK(!strcmp(ffp_page_state_name(FFP_PAGE_DONATED), "donated"));
	CHECK(!strcmp(ffp_page_state_name((enum ffp_page_state)99), "unknown"));
	CHECK(!strcmp(ffa_function_name(SMCCC_VERSION), "SMCCC_VERSION"));
	CHECK(!strcmp(ffa_function_name(SMCCC_ARCH_FEATURES),
		      "SMCCC_ARCH_FEATURES"));
	CHECK(ffa_function_name(0x84000000u) == NULL);
	CHECK_EQ(ffp_call_desc(0x5f)->handling, FFP_REFUSED);
	CHECK(ffp_call_desc(0x5f)->name == NULL);
	CHECK_EQ(ffp_call_desc(0x100)->handling, FFP_REFUSED);
	CHECK(ffp_call_desc(0x100)->name == NULL);
}

/* FFA_FEATURES of ids that are not FF-A functions (another owner, bits
 * [23:16] set, SMCCC's own): NOT_SUPPORTED, nothing asked of the SPMC. */
static void test_features_not_ffa(void)
{
	struct world *w = world_new(FFA_VERSION_1_2, FFP_POLICY_TRANSLATE,
				    FFA_VERSION_1_2, SMCCC_VERSION_1_2);
	static const uint32_t ids[] = { 0x83000063u, 0xc0000063u,
					0x84010063u, 0x80000000u };
	struct ffa_regs r;
	unsigned i;
	int smcs;

	call(w, 0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	smcs = w->f.smc_calls;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		r = call(w, 0, FFA_FEATURES_32, ids[i], 0, 0);
		CHECK(is_error(&r, FFA_NOT_SUPPORTED));
	}
	CHECK_EQ(w->f.smc_calls, smcs);
	world_free(w);
	CHECK(!strcmp(ffp_call_desc(0x63)->name, "FFA_VERSION"));
}

int main(void)
{
	RUN(test_config_and_size);
	RUN(test_not_ffa_left_alone);
	RUN(test_sve_hint);
	RUN(test_x0_upper_half);
	RUN(test_spmc_negotiation);
	RUN(test_caller_version_translate);
	RUN(test_caller_version_strict);
	RUN(test_strict_version_promised);
	RUN(test_call_before_version);
	RUN(test_version_preserves_x8_x17);
	RUN(test_version_smc64_undefined);
	RUN(test_dispatch_table_total);
	RUN(test_direct_req_registers);
	RUN(test_rxtx_rules);
	RUN(test_features);
	RUN(test_config_refusals);
	RUN(test_init_refusals);
	RUN(test_endpoint_api_refusals);
	RUN(test_partinfo_caller_rx_too_small);
	RUN(test_config_uuids_copied);
	RUN(test_partinfo_several_uuids_old_caller);
	RUN(test_partinfo_uuid_count_matches);
	RUN(test_partinfo_v10_twice_new_caller);
	RUN(test_names);
	RUN(test_features_not_ffa);
	return test_summary("test_proxy");
}
