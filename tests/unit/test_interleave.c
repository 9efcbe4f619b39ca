/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Two CPUs, every interleaving at lock boundaries: call A runs on CPU 0
 * and, at its k-th point where it holds no lock (just before it takes one,
 * just after it gives its last one back), call B runs whole as CPU 1.
 * Other passes also stop A where it holds BUFFERS alone (across a memory
 * send's SMCs), or anywhere, keeping only the runs where B takes no lock
 * A holds (a real CPU would wait there). For every pair of calls from a
 * set (memory sends, fragments, reclaims, RXTX_MAP/UNMAP, partition info,
 * RX_RELEASE, FFA_VERSION, direct requests; the host and a VM; the
 * embedder removing and re-adding the VM, reclaiming orphans, resetting
 * the host) and every k, the world starts the same: both endpoints at
 * 1.2 with buffers mapped, one live share and one lend awaiting its second fragment each
 * (and, per pass, the shares retrieved by a partition, or each caller
 * owning its RX). Checked: the register rules for both replies (R1-R4);
 * that the two answers are those of A then B or of B then A, unless one
 * is BUSY (a resource in use, proxy.h); the world invariants (W1-W5)
 * after both; and that tidying up (relinquish, reclaim orphans and live
 * transactions, unmap) leaves every page owned and no transaction
 * anywhere: no state the interleaving leaked; and after the embedder
 * removed VM 1 and added it again, the new VM 1 is fresh whatever the
 * call of the old one did (the endpoint gen; test_gen has each window),
 * and so is the host after the embedder's ffp_host_reset (BUSY while a
 * call of the host is inside). A last pass races
 * FFA_VERSION and first calls under the strict policy.
 */
#include <ffaproxy/mem.h>

#include "explore.h"

#define RAM_SIZE 0x100000ull
#define RX_OFF 0x10000ull
#define LIVE_OFF 0x40000ull  /* the live share's page */
#define LEND_OFF 0x50000ull  /* the pending lend's two pages */
#define SHARE_OFF 0x60000ull /* a new share's page, per CPU */
#define LEND2_OFF 0x70000ull /* a new lend's pages, per CPU */

static uint64_t live[2], pending[2];
static bool retrieved; /* a partition holds each live share */
/* Start with each caller owning its RX. */
static bool rx_owned;

static uint64_t ram(uint16_t ep)
{
	return ep == 0 ? 0x80000000ull : 0x90000000ull;
}

static uint64_t handle_of(const struct ffa_regs *r)
{
	if ((uint32_t)r->x[0] == FFA_MEM_FRAG_RX_32)
		return (uint32_t)r->x[1] | r->x[2] << 32;
	return (uint32_t)r->x[2] | r->x[3] << 32;
}

/* A 1.2 descriptor of `n` one-page ranges from `base` into ep's TX;
 * returns its length; the first `first` bytes are written now, the rest
 * (if any) later by write_rest. */
static uint8_t descs[2][2][512];
static uint32_t desc_len[2][2];

static uint32_t desc(uint16_t ep, unsigned slot, uint32_t fn, uint64_t base,
		     uint32_t n)
{
	struct ffa_mem_txn t;
	uint8_t *d = descs[ep][slot];
	uint32_t hdr, i;

	memset(&t, 0, sizeof(t));
	t.sender = ep;
	t.receiver_count = 1;
	t.receivers[0].id = 0x8001;
	t.receivers[0].perms = FFA_MEM_PERM_RW;
	t.attributes = fn == FFA_FN_MEM_SHARE ? 0x2f : 0;
	t.range_count = n;
	t.total_pages = n;
	CHECK_EQ(ffa_mem_emit(FFA_VERSION_1_2, &t, d, 512, &hdr), 0);
	for (i = 0; i < n; i++) {
		ffa_put64(d + hdr + 16 * i, base + (uint64_t)i * FFA_PAGE_SIZE);
		ffa_put32(d + hdr + 16 * i + 8, 1);
		ffa_put32(d + hdr + 16 * i + 12, 0);
	}
	desc_len[ep][slot] = hdr + 16 * n;
	return hdr + 16 * n;
}

static void tx_write(uint16_t ep, const uint8_t *d, uint32_t len)
{
	CHECK_EQ(simmem_write(sp.mem, ram(ep), d, len), 0);
}

enum {
	OP_SHARE, OP_LEND2, OP_FRAG_TX, OP_RECLAIM, OP_UNMAP, OP_MAP, OP_PINFO,
	OP_PINFO_COUNT, OP_RX_RELEASE, OP_VERSION, OP_DIRECT, OP_RECLAIM_PENDING,
	OP_NOTIF_BIND, OP_NOTIF_GET,
	OP_EP_COUNT, /* per endpoint above, embedder's below */
	OP_REMOVE = OP_EP_COUNT, OP_ORPHANS, OP_HOST_RESET, OP_COUNT
};
static const char *const op_names[OP_COUNT] = {
	"share", "lend first fragment", "FRAG_TX", "reclaim", "unmap", "map",
	"partition info", "partition info count", "RX_RELEASE", "VERSION",
	"direct", "reclaim pending", "notification bind", "notification get",
	"remove+add VM 1", "orphans reclaim", "host reset",
};

static void run_op(int op, uint16_t ep, unsigned cpu, struct ffa_regs *out)
{
	uint32_t len;
	struct ffa_regs r;

	memset(&r, 0, sizeof(r));
	switch (op) {
	case OP_SHARE:
		len = desc(ep, 0, FFA_FN_MEM_SHARE,
			   ram(ep) + SHARE_OFF + cpu * FFA_PAGE_SIZE, 1);
		tx_write(ep, descs[ep][0], len);
		r = call(ep, FFA_MEM_SHARE_32, len, len, 0, 0, 0);
		break;
	case OP_LEND2:
		len = desc(ep, 0, FFA_FN_MEM_LEND,
			   ram(ep) + LEND2_OFF + cpu * 2 * FFA_PAGE_SIZE, 2);
		tx_write(ep, descs[ep][0], len - 16);
		r = call(ep, FFA_MEM_LEND_32, len, len - 16, 0, 0, 0);
		break;
	case OP_FRAG_TX:
		tx_write(ep, descs[ep][1] + desc_len[ep][1] - 16, 16);
		r = call(ep, FFA_MEM_FRAG_TX_32, (uint32_t)pending[ep],
			 pending[ep] >> 32, 16, 0, 0);
		break;
	case OP_RECLAIM:
		r = call(ep, FFA_MEM_RECLAIM_32, (uint32_t)live[ep],
			 live[ep] >> 32, 0, 0, 0);
		break;
	case OP_RECLAIM_PENDING:
		r = call(ep, FFA_MEM_RECLAIM_32, (uint32_t)pending[ep],
			 pending[ep] >> 32, 0, 0, 0);
		break;
	case OP_UNMAP:
		r = call(ep, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0);
		break;
	case OP_MAP:
		r = call(ep, FFA_RXTX_MAP_64, ram(ep), ram(ep) + RX_OFF, 1, 0, 0);
		break;
	case OP_PINFO:
		r = call(ep, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0);
		break;
	case OP_PINFO_COUNT:
		r = call(ep, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0,
			 FFA_PARTITION_INFO_GET_COUNT_ONLY);
		break;
	case OP_RX_RELEASE:
		r = call(ep, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
		break;
	case OP_VERSION:
		r = call(ep, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
		break;
	case OP_DIRECT:
		r = call(ep, FFA_MSG_SEND_DIRECT_REQ_32,
			 (uint32_t)ep << 16 | 0x8001, 0, 3, 4, 5);
		break;
	case OP_NOTIF_BIND:
		/* the VM's first (its bitmap created), the host's second */
		r = call(ep, FFA_NOTIFICATION_BIND_32, 0x80010000u | ep, 0, 2, 0,
			 0);
		break;
	case OP_NOTIF_GET:
		r = call(ep, FFA_NOTIFICATION_GET_32, ep, FFA_NOTIF_GET_SP, 0, 0,
			 0);
		break;
	case OP_REMOVE:
		r.x[0] = (uint64_t)(int64_t)ffp_endpoint_remove(sp.proxy, 1);
		if (r.x[0] == 0)
			r.x[1] = (uint64_t)(int64_t)ffp_endpoint_add(sp.proxy, 1);
		break;
	case OP_ORPHANS:
		r.x[0] = ffp_orphans_reclaim(sp.proxy);
		break;
	case OP_HOST_RESET:
		r.x[0] = (uint32_t)ffp_host_reset(sp.proxy);
		break;
	}
	*out = r;
}

static bool setup(void)
{
	struct simplat_config cfg;
	struct simplat_hooks hooks = { .error = explore_on_error };
	static const uint8_t uuid[2][16] = { { 1, 2, 3 }, { 4, 5, 6 } };
	const char *why = NULL;
	struct ffa_regs r;
	uint16_t ep;
	uint32_t len;

	simplat_config_default(&cfg);
	cfg.parts[0].id = 0x8001;
	cfg.parts[1].id = 0x8002;
	memcpy(cfg.parts[0].uuid, uuid[0], 16);
	memcpy(cfg.parts[1].uuid, uuid[1], 16);
	cfg.parts[0].exec_ctx = cfg.parts[1].exec_ctx = 2;
	cfg.parts[0].props = cfg.parts[1].props = 0x703;
	cfg.part_count = 2;
	cfg.host_ram[0].base = ram(0);
	cfg.host_ram[0].size = RAM_SIZE;
	cfg.host_ram_count = 1;
	if (simplat_init(&sp, &cfg, &hooks, &why) ||
	    simplat_vm_add(&sp, 1, ram(1), RAM_SIZE))
		return false;
	inv_init(&iv, &sp);
	for (ep = 0; ep < 2; ep++) {
		r = call(ep, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
		r = call(ep, FFA_RXTX_MAP_64, ram(ep), ram(ep) + RX_OFF, 1, 0, 0);
		CHECK_EQ((uint32_t)r.x[0], FFA_SUCCESS_32);
		len = desc(ep, 0, FFA_FN_MEM_SHARE, ram(ep) + LIVE_OFF, 1);
		tx_write(ep, descs[ep][0], len);
		r = call(ep, FFA_MEM_SHARE_32, len, len, 0, 0, 0);
		CHECK_EQ((uint32_t)r.x[0], FFA_SUCCESS_32);
		live[ep] = handle_of(&r);
		len = desc(ep, 1, FFA_FN_MEM_LEND, ram(ep) + LEND_OFF, 2);
		tx_write(ep, descs[ep][1], len - 16);
		r = call(ep, FFA_MEM_LEND_32, len, len - 16, 0, 0, 0);
		CHECK_EQ((uint32_t)r.x[0], FFA_MEM_FRAG_RX_32);
		pending[ep] = handle_of(&r);
		if (retrieved)
			CHECK_EQ(spmc_sp_retrieve(&sp.spmc, 0x8001, live[ep]), 0);
		if (rx_owned) {
			r = call(ep, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0);
			CHECK_EQ((uint32_t)r.x[0], FFA_SUCCESS_32);
		}
	}
	/* The host's notification bitmap with bit 0 bound and pending; the
	 * VM has none yet (its first BIND creates it). */
	r = call(0, FFA_NOTIFICATION_BIND_32, 0x80010000u, 0, 1, 0, 0);
	CHECK_EQ((uint32_t)r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(spmc_sp_notif_set(&sp.spmc, 0x8001, 0, 1, false, 0), 0);
	return true;
}

/* Everything back: reclaim what is live, unmap (aborting what awaits
 * fragments); then nothing may remain. */
static void tidy_and_check(void)
{
	struct ffp_transaction_info ti;
	struct ffa_regs r;
	uint32_t i;
	uint16_t ep;
	uint64_t off;

	if (inv_check_world(&iv)) {
		fprintf(stderr, "%s: world: %s\n", where, iv.why);
		CHECK(0);
	}
	for (i = 0; ffp_transaction_info(sp.proxy, i, &ti) == 0; i++)
		if (ti.handle_valid)
			(void)spmc_sp_relinquish(&sp.spmc, 0x8001, ti.handle);
	(void)ffp_orphans_reclaim(sp.proxy);
	for (i = 0; ffp_transaction_info(sp.proxy, i, &ti) == 0;) {
		if (ti.sending || ti.orphan || !ti.handle_valid) {
			i++;
			continue;
		}
		r = call(ti.owner, FFA_MEM_RECLAIM_32, (uint32_t)ti.handle,
			 ti.handle >> 32, 0, 0, 0);
		if ((uint32_t)r.x[0] != FFA_SUCCESS_32) {
			fprintf(stderr, "%s: tidy reclaim refused %d\n", where,
				(int32_t)(uint32_t)r.x[2]);
			CHECK(0);
			i++;
		}
	}
	for (ep = 0; ep < 2; ep++) {
		r = call(ep, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0);
		if ((uint32_t)r.x[0] != FFA_SUCCESS_32 &&
		    (int32_t)(uint32_t)r.x[2] != FFA_INVALID_PARAMETERS) {
			fprintf(stderr, "%s: tidy unmap of %u refused %d\n",
				where, ep, (int32_t)(uint32_t)r.x[2]);
			CHECK(0);
		}
	}
	if (ffp_transaction_info(sp.proxy, 0, &ti) == 0) {
		fprintf(stderr,
			"%s: left: handle 0x%llx owner %u sending %d orphan %d\n",
			where, (unsigned long long)ti.handle, ti.owner,
			ti.sending, ti.orphan);
		CHECK(0);
	}
	if (spmc_transaction_count(&sp.spmc)) {
		fprintf(stderr, "%s: the SPMC holds %u transactions\n", where,
			spmc_transaction_count(&sp.spmc));
		CHECK(0);
	}
	for (ep = 0; ep < 2; ep++) {
		for (off = 0; off < RAM_SIZE; off += FFA_PAGE_SIZE) {
			struct simmem_page pg;

			if (simmem_page(sp.mem, ram(ep) + off, &pg) ||
			    pg.state != FFP_PAGE_OWNED) {
				fprintf(stderr, "%s: page 0x%llx not owned\n",
					where,
					(unsigned long long)(ram(ep) + off));
				CHECK(0);
				break;
			}
		}
	}
}

/* What a reply says, for comparing outcomes: w0, and w2 for an error. */
static uint64_t outcome(const struct ffa_regs *r, int op)
{
	if (op >= OP_EP_COUNT)
		return r->x[0] << 8 | r->x[1];
	if ((uint32_t)r->x[0] == FFA_ERROR_32)
		return (uint64_t)(uint32_t)r->x[2] << 32 | FFA_ERROR_32;
	return (uint32_t)r->x[0];
}

static bool is_busy(const struct ffa_regs *r, int op)
{
	return op < OP_EP_COUNT && (uint32_t)r->x[0] == FFA_ERROR_32 &&
	       (int32_t)(uint32_t)r->x[2] == FFA_BUSY;
}

/* Whether A and B, run at once, must answer as if one ran after the
 * other. Not so when both write the same caller's TX buffer (each may read
 * the other's descriptor: the caller's own race), nor for the embedder's
 * remove-then-add, two calls; BUSY is the answer to a resource in use
 * (proxy.h) and is allowed anywhere. */
static bool writes_tx(int op)
{
	return op == OP_SHARE || op == OP_LEND2 || op == OP_FRAG_TX;
}

static bool comparable(int a, int ea, int b, int eb)
{
	if (writes_tx(a) && writes_tx(b) && ea == eb)
		return false;
	return a != OP_REMOVE && b != OP_REMOVE && a != OP_HOST_RESET &&
	       b != OP_HOST_RESET;
}

/* Whether the pair can happen: the VM's vCPUs are stopped before it is
 * removed (proxy.h), so none of its calls begins meanwhile. */
static bool possible(int a, int ea, int b, int eb)
{
	(void)ea;
	return !(a == OP_REMOVE && b < OP_EP_COUNT && eb == 1) &&
	       !(a == OP_HOST_RESET && b < OP_EP_COUNT && eb == 0);
}

/* After the VM's removal and a new VM's add under its id (B, at a point
 * of A, which began before): the new VM is as fresh as added, whatever A
 * did (the endpoint gen): no version, no buffers, no transaction. */
static void check_new_vm_fresh(void)
{
	struct ffp_endpoint_info ei;
	struct ffp_transaction_info ti;
	unsigned i;

	CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &ei), 0);
	if (!ei.present || ei.version_set || ei.version_locked ||
	    ei.buffers_mapped || ei.rx_held) {
		fprintf(stderr,
			"%s: the new VM 1 is not fresh: version %s 0x%x locked "
			"%d mapped %d rx_held %d\n",
			where, ei.version_set ? "set" : "unset", ei.version,
			ei.version_locked, ei.buffers_mapped, ei.rx_held);
		CHECK(0);
	}
	for (i = 0; !ffp_transaction_info(sp.proxy, i, &ti); i++) {
		if (ti.owner == 1 && !ti.orphan) {
			fprintf(stderr,
				"%s: the new VM 1 has transaction 0x%llx\n",
				where, (unsigned long long)ti.handle);
			CHECK(0);
		}
	}
}

/* After the host's reset (B, at a point of A, which began before): the
 * host is as at ffp_init whatever A did (the endpoint gen): present, no
 * version, no buffers, no bitmap, no transaction but orphans. */
static void check_host_fresh(void)
{
	struct ffp_endpoint_info ei;
	struct ffp_transaction_info ti;
	unsigned i;

	CHECK_EQ(ffp_endpoint_info(sp.proxy, 0, &ei), 0);
	if (!ei.present || ei.version_set || ei.version_locked ||
	    ei.buffers_mapped || ei.rx_held || ei.notif_bitmap) {
		fprintf(stderr,
			"%s: the host is not fresh after its reset: version "
			"%s 0x%x locked %d mapped %d rx_held %d bitmap %d\n",
			where, ei.version_set ? "set" : "unset", ei.version,
			ei.version_locked, ei.buffers_mapped, ei.rx_held,
			ei.notif_bitmap);
		CHECK(0);
	}
	for (i = 0; !ffp_transaction_info(sp.proxy, i, &ti); i++) {
		if (ti.owner == 0 && !ti.orphan) {
			fprintf(stderr,
				"%s: the reset host has transaction 0x%llx\n",
				where, (unsigned long long)ti.handle);
			CHECK(0);
		}
	}
}

static void after(int a, int ea, int b, int eb)
{
	(void)a;
	(void)ea;
	(void)eb;
	/* A call the VM began before its removal binds nothing for the VM
	 * added again under its id. */
	if (b == OP_REMOVE && !reply[1].x[0] && !reply[1].x[1] &&
	    spmc_notif_bitmap(&sp.spmc, 1) &&
	    spmc_notif_bitmap(&sp.spmc, 1)->bound) {
		fprintf(stderr, "%s: the new VM 1 inherits a binding\n", where);
		CHECK(0);
	}
	if (b == OP_REMOVE && !reply[1].x[0] && !reply[1].x[1])
		check_new_vm_fresh();
	if (b == OP_HOST_RESET && (uint32_t)reply[1].x[0] != (uint32_t)FFA_BUSY)
		check_host_fresh();
	tidy_and_check();
}

static const struct explore_ops ops = {
	.count = OP_COUNT,
	.ep_ops = OP_EP_COUNT,
	.names = op_names,
	.setup = setup,
	.run = run_op,
	.outcome = outcome,
	.is_busy = is_busy,
	.comparable = comparable,
	.possible = possible,
	.after = after,
};

static void test_interleave(void)
{
	snprintf(ex_prefix, sizeof(ex_prefix), "%s%s%s",
		 retrieved ? "retrieved: " : "",
		 ex.stop == EX_STOP_ANYWHERE ? "anywhere: " : "",
		 rx_owned ? "RX owned: " : "");
	explore_pairs(&ops);
	printf("test_interleave: %u interleavings, %u failed\n", runs,
	       failures);
}

static void test_interleave_retrieved(void)
{
	retrieved = true;
	test_interleave();
	retrieved = false;
}

/* Stop A at every lock boundary, whatever it holds (for B calls taking
 * no lock A holds). */
static void test_interleave_anywhere(void)
{
	ex.stop = EX_STOP_ANYWHERE;
	test_interleave();
	rx_owned = true;
	test_interleave();
	rx_owned = false;
	ex.stop = EX_STOP_UNLOCKED;
}

/* Also stop A where it holds BUFFERS alone (across its SMCs). */
static void test_interleave_buffers(void)
{
	ex.stop = EX_STOP_UNDER_BUFFERS;
	test_interleave();
	retrieved = true;
	test_interleave();
	retrieved = false;
	ex.stop = EX_STOP_UNLOCKED;
}


/* ---- Versions under the strict policy: nobody versioned at the start;
 * FFA_VERSION of each minor and first calls (which lock) from the host
 * and the VM, every pair at every lock point. After both, and after a
 * call that locks each endpoint: every locked endpoint is served at the
 * version in use with the SPMC, which the SPMC model serves the normal
 * world at, and an endpoint whose last FFA_VERSION was answered a
 * version is served at that version (no version confusion). */
enum { V_10, V_11, V_12, V_FIRST, V_COUNT };
static const char *const v_names[V_COUNT] = { "VERSION 1.0", "VERSION 1.1",
					      "VERSION 1.2", "ID_GET" };
static uint32_t answered[2]; /* last FFA_VERSION answer, 0: none */

static void run_v(int op, uint16_t ep, struct ffa_regs *out)
{
	struct ffa_regs r;

	if (op == V_FIRST) {
		r = call(ep, FFA_FEATURES_32, FFA_ID_GET_32, 0, 0, 0, 0);
	} else {
		r = call(ep, FFA_VERSION_32, FFA_MAKE_VERSION(1, op), 0, 0, 0,
			 0);
		answered[ep] = (int32_t)(uint32_t)r.x[0] < 0
				       ? answered[ep]
				       : (uint32_t)r.x[0];
	}
	*out = r;
}

static int v_a, v_ea, v_b, v_eb;

static void run_v_a(void)
{
	run_v(v_a, (uint16_t)v_ea, &reply[0]);
}

static void run_v_b(void)
{
	run_v(v_b, (uint16_t)v_eb, &reply[1]);
}

static void check_versions(void)
{
	struct ffp_endpoint_info e;
	struct ffp_info info;
	uint16_t ep;

	ffp_info(sp.proxy, &info);
	for (ep = 0; ep < 2; ep++) {
		CHECK_EQ(ffp_endpoint_info(sp.proxy, ep, &e), 0);
		if (!e.version_locked)
			continue;
		if (e.version != info.spmc_version ||
		    e.version != sp.spmc.ns_version ||
		    (answered[ep] && answered[ep] != e.version)) {
			fprintf(stderr,
				"%s: ep %u served at 0x%x, answered 0x%x, "
				"SPMC at 0x%x (model 0x%x)\n",
				where, ep, e.version, answered[ep],
				info.spmc_version, sp.spmc.ns_version);
			CHECK(0);
		}
	}
}

static void one_v(int a, int ea, int b, int eb, unsigned k, bool *reached)
{
	struct simplat_config cfg;
	struct simplat_hooks hooks = { .error = explore_on_error };
	const char *why = NULL;
	struct ffa_regs r;
	uint16_t ep;

	snprintf(where, sizeof(where), "strict: A=%s(ep %d) B=%s(ep %d) at %u",
		 v_names[a], ea, v_names[b], eb, k);
	simplat_config_default(&cfg);
	cfg.proxy.policy = FFP_POLICY_STRICT;
	cfg.parts[0].id = 0x8001;
	cfg.part_count = 1;
	cfg.host_ram[0].base = ram(0);
	cfg.host_ram[0].size = RAM_SIZE;
	cfg.host_ram_count = 1;
	if (simplat_init(&sp, &cfg, &hooks, &why) ||
	    simplat_vm_add(&sp, 1, ram(1), RAM_SIZE)) {
		CHECK(0);
		*reached = false;
		return;
	}
	inv_init(&iv, &sp);
	answered[0] = answered[1] = 0;
	v_a = a;
	v_ea = ea;
	v_b = b;
	v_eb = eb;
	*reached = explore_at(k, run_v_a, run_v_b, NULL);
	/* Two FFA_VERSIONs of one endpoint at once: which is its last is
	 * the caller's own race. */
	if (ea == eb && a != V_FIRST && b != V_FIRST)
		answered[0] = answered[1] = 0;
	if (*reached) {
		runs++;
		check_versions();
		for (ep = 0; ep < 2; ep++)
			r = call(ep, FFA_ID_GET_32, 0, 0, 0, 0, 0);
		(void)r;
		check_versions();
	}
	explore_check_locks();
	inv_fini(&iv);
	simplat_destroy(&sp);
}

static void test_interleave_strict_versions(void)
{
	int a, b, ea, eb;
	unsigned k;
	bool reached;

	ex.stop = EX_STOP_UNLOCKED;
	for (a = 0; a < V_COUNT; a++)
		for (ea = 0; ea < 2; ea++)
			for (b = 0; b < V_COUNT; b++)
				for (eb = 0; eb < 2; eb++)
					for (k = 1, reached = true; reached;
					     k++)
						one_v(a, ea, b, eb, k, &reached);
	printf("test_interleave: %u interleavings\n", runs);
}

int main(void)
{
	RUN(test_interleave);
	RUN(test_interleave_retrieved);
	RUN(test_interleave_buffers);
	RUN(test_interleave_anywhere);
	RUN(test_interleave_strict_versions);
	return test_summary("test_interleave");
}
