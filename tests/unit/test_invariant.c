/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Unit tests of the invariant checker (sim/invariant.c): a clean world
 * passes, and each invariant fails when the world or a reply is broken
 * behind the proxy's back.
 */
#include <string.h>

#include <ffaproxy/mem.h>

#include "check.h"
#include "sim/invariant.h"
#include "src/internal.h"

#define HOST 0x80000000ull
#define DATA (HOST + 0x20000ull)

static struct simplat sp;
static struct inv iv;

static void world(void)
{
	struct simplat_config cfg;
	const char *why = NULL;

	simplat_config_default(&cfg);
	cfg.parts[0].id = 0x8001;
	cfg.parts[0].exec_ctx = 1;
	cfg.parts[0].props = 0x703;
	cfg.part_count = 1;
	cfg.host_ram[0].base = HOST;
	cfg.host_ram[0].size = 0x100000;
	cfg.host_ram_count = 1;
	if (simplat_init(&sp, &cfg, NULL, &why))
		fprintf(stderr, "world: %s\n", why);
	inv_init(&iv, &sp);
	{
		struct ffa_regs r = { { FFA_VERSION_32, FFA_VERSION_1_2 } };

		simplat_call(&sp, 0, &r);
	}
}

static void done(void)
{
	inv_fini(&iv);
	simplat_destroy(&sp);
}

static struct ffa_regs call(uint16_t ep, struct ffa_regs r)
{
	simplat_call(&sp, ep, &r);
	return r;
}

/* Map the host's buffers and send page DATA to 0x8001 with `func`
 * (MEM_SHARE or MEM_DONATE); returns the handle. */
static uint64_t send_one(uint32_t func)
{
	struct ffa_mem_txn t;
	struct ffa_regs r;
	uint8_t d[256];
	uint32_t len;

	r = call(0, (struct ffa_regs){ { FFA_RXTX_MAP_64, HOST, HOST + 0x1000, 1 } });
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	memset(&t, 0, sizeof(t));
	t.receiver_count = 1;
	t.receivers[0].id = 0x8001;
	if (func == FFA_MEM_SHARE_32) {
		t.receivers[0].perms = FFA_MEM_PERM_RW;
		t.attributes = 0x2f;
	}
	t.range_count = 1;
	t.total_pages = 1;
	CHECK_EQ(ffa_mem_emit(FFA_VERSION_1_2, &t, d, sizeof(d), &len), 0);
	ffa_put64(d + len, DATA);
	ffa_put32(d + len + 8, 1);
	ffa_put32(d + len + 12, 0);
	len += 16;
	simmem_write(sp.mem, HOST, d, len);
	r = call(0, (struct ffa_regs){ { func, len, len } });
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	return (uint32_t)r.x[2] | r.x[3] << 32;
}

static uint64_t share_one(void)
{
	return send_one(FFA_MEM_SHARE_32);
}

static void test_clean_world(void)
{
	uint64_t h;
	struct ffa_regs r;

	world();
	CHECK_EQ(inv_check_world(&iv), 0);
	h = share_one();
	CHECK_EQ(inv_check_world(&iv), 0);
	r = call(0, (struct ffa_regs){ { FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32 } });
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(inv_check_world(&iv), 0);
	done();
}

/* Move one page of the host behind the proxy's back; the world check
 * must then fail naming `rule`, or pass when `rule` is NULL. */
static void move(uint64_t pa, enum ffp_page_state from, enum ffp_page_state to,
		 const char *rule)
{
	CHECK_EQ(simmem_transition(sp.mem, 0, pa, 0x1000, from, to), 0);
	if (!rule) {
		CHECK_EQ(inv_check_world(&iv), 0);
		return;
	}
	CHECK_EQ(inv_check_world(&iv), -1);
	CHECK(strstr(iv.why, rule));
	if (!strstr(iv.why, rule))
		fprintf(stderr, "  %s (wanted %s)\n", iv.why, rule);
}

static void test_w1_w2_w4(void)
{
	world();
	/* A page lent with no SPMC transaction covering it. */
	move(DATA, FFP_PAGE_OWNED, FFP_PAGE_LENT, "W2");
	move(DATA, FFP_PAGE_LENT, FFP_PAGE_OWNED, NULL);
	/* A page shared with the proxy that is no mapped buffer. */
	move(DATA, FFP_PAGE_OWNED, FFP_PAGE_SHARED_PROXY, "W4");
	move(DATA, FFP_PAGE_SHARED_PROXY, FFP_PAGE_OWNED, NULL);
	/* A mapped buffer whose page went back to owned. */
	call(0, (struct ffa_regs){ { FFA_RXTX_MAP_64, HOST, HOST + 0x1000, 1 } });
	CHECK_EQ(inv_check_world(&iv), 0);
	move(HOST, FFP_PAGE_SHARED_PROXY, FFP_PAGE_OWNED, "W4");
	done();
}

static void test_w3(void)
{
	world();
	share_one();
	/* The SPMC still holds the share, the page is the owner's again. */
	move(DATA, FFP_PAGE_SHARED, FFP_PAGE_OWNED, "W3");
	/* Or in the wrong state for a share. */
	move(DATA, FFP_PAGE_OWNED, FFP_PAGE_LENT, "W2");
	done();
}

/* The SPMC's range of a share moved behind the proxy's back: into
 * memory of no region (the page walk never visits it), or half out of
 * the host's RAM. Both are W3. */
static void test_w3_outside_regions(void)
{
	uint64_t h;
	struct spmc_txn *t;

	world();
	h = share_one();
	t = (struct spmc_txn *)spmc_find_transaction(&sp.spmc, h);
	CHECK(t && t->ranges_filled == 1);
	if (!t || t->ranges_filled != 1) {
		done();
		return;
	}
	/* The share's page is SHARED, nothing covers it: put it back. */
	CHECK_EQ(simmem_transition(sp.mem, 0, DATA, 0x1000, FFP_PAGE_SHARED,
				   FFP_PAGE_OWNED), 0);
	sp.spmc.ranges[t->range_first].base = 0x40000000; /* no region */
	CHECK_EQ(inv_check_world(&iv), -1);
	CHECK(strstr(iv.why, "W3") && strstr(iv.why, "outside every region"));
	/* The last host page and the one after it. */
	sp.spmc.ranges[t->range_first].base = HOST + 0x100000 - 0x1000;
	sp.spmc.ranges[t->range_first].pages = 2;
	CHECK_EQ(simmem_transition(sp.mem, 0, HOST + 0x100000 - 0x1000, 0x1000,
				   FFP_PAGE_OWNED, FFP_PAGE_SHARED), 0);
	CHECK_EQ(inv_check_world(&iv), -1);
	CHECK(strstr(iv.why, "outside every region"));
	sp.spmc.ranges[t->range_first].pages = 1;
	CHECK_EQ(inv_check_world(&iv), 0);
	done();
	/* A complete donation left the normal world: its memory may go
	 * with its removed VM (modelled as a range in no region). */
	world();
	h = send_one(FFA_MEM_DONATE_32);
	t = (struct spmc_txn *)spmc_find_transaction(&sp.spmc, h);
	CHECK(t != NULL);
	if (t) {
		CHECK_EQ(simmem_transition(sp.mem, 0, DATA, 0x1000,
					   FFP_PAGE_DONATED, FFP_PAGE_OWNED), 0);
		sp.spmc.ranges[t->range_first].base = 0x40000000;
		CHECK_EQ(inv_check_world(&iv), 0);
	}
	done();
}

/* Once the SPMC has lied about a handle (W5 waived), a pending
 * transaction may outlive its VM's memory only if the proxy cannot name
 * it: one the proxy holds under the SPMC's own handle, still awaiting
 * fragments, must stay inside the regions (W3), or a proxy that kept
 * sending into a transaction over memory gone with its VM would pass. */
static void test_w3_pending_named_outside_regions(void)
{
	struct ffa_mem_txn m;
	struct spmc_txn *t;
	struct ffa_regs r;
	uint8_t d[256];
	uint32_t len;
	uint64_t h;

	world();
	r = call(0, (struct ffa_regs){ { FFA_RXTX_MAP_64, HOST, HOST + 0x1000, 1 } });
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	memset(&m, 0, sizeof(m));
	m.receiver_count = 1;
	m.receivers[0].id = 0x8001;
	m.receivers[0].perms = FFA_MEM_PERM_RW;
	m.attributes = 0x2f;
	m.range_count = 2;
	m.total_pages = 2;
	CHECK_EQ(ffa_mem_emit(FFA_VERSION_1_2, &m, d, sizeof(d), &len), 0);
	ffa_put64(d + len, DATA);
	ffa_put32(d + len + 8, 1);
	ffa_put32(d + len + 12, 0);
	len += 16;
	simmem_write(sp.mem, HOST, d, len);
	/* The first fragment of two: FRAG_RX, the transaction pending. */
	r = call(0, (struct ffa_regs){ { FFA_MEM_SHARE_32, len + 16, len } });
	CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
	h = (uint32_t)r.x[1] | r.x[2] << 32;
	t = (struct spmc_txn *)spmc_find_transaction(&sp.spmc, h);
	CHECK(t && !t->complete && t->ranges_filled == 1);
	if (!t || t->complete || t->ranges_filled != 1) {
		done();
		return;
	}
	CHECK_EQ(inv_check_world(&iv), 0);
	/* Its range moved into memory of no region, its page left as it
	 * was for a pending transaction (OWNED). */
	if (simmem_transition(sp.mem, 0, DATA, 0x1000, FFP_PAGE_SHARED,
			      FFP_PAGE_OWNED))
		CHECK_EQ(simmem_transition(sp.mem, 0, DATA, 0x1000,
					   FFP_PAGE_LENT, FFP_PAGE_OWNED), 0);
	sp.spmc.ranges[t->range_first].base = 0x40000000; /* no region */
	CHECK_EQ(inv_check_world(&iv), -1);
	CHECK(strstr(iv.why, "outside every region"));
	sp.spmc.bogus_handle = 0x1234;
	CHECK_EQ(inv_check_world(&iv), -1);
	CHECK(strstr(iv.why, "outside every region"));
	sp.spmc.bogus_handle = 0;
	done();
}

/* W5: a transaction the SPMC holds that the proxy lost track of (here
 * the SPMC's record renamed behind its back): W1-W4 still hold, as the
 * pages and the SPMC's ranges agree. A complete donation is the
 * exception (test_donation_retrieved). */
static void test_w5_unknown_to_proxy(void)
{
	struct spmc_txn *t;
	uint64_t h;

	world();
	h = share_one();
	t = (struct spmc_txn *)spmc_find_transaction(&sp.spmc, h);
	CHECK(t != NULL);
	if (!t) {
		done();
		return;
	}
	t->handle = h ^ 0x10;
	CHECK_EQ(inv_check_world(&iv), -1);
	CHECK(strstr(iv.why, "W5"));
	t->handle = h;
	CHECK_EQ(inv_check_world(&iv), 0);
	/* Once the model has misreported a handle, W5 is waived. */
	t->handle = h ^ 0x10;
	sp.spmc.bogus_handle = 0x1234;
	CHECK_EQ(inv_check_world(&iv), 0);
	sp.spmc.bogus_handle = 0;
	CHECK_EQ(inv_check_world(&iv), 0);
	t->handle = h;
	done();
}

/* Two SPMC transactions over one page: the SPMC's copy of a share
 * duplicated behind the proxy's back, under another handle. */
static void test_w2_spmc_overlap(void)
{
	struct spmc_txn *t = NULL, *dup = NULL;
	uint32_t k;

	world();
	share_one();
	CHECK_EQ(inv_check_world(&iv), 0);
	for (k = 0; k < SPMC_MAX_TXNS; k++) {
		if (sp.spmc.txns[k].used && !t)
			t = &sp.spmc.txns[k];
		else if (!sp.spmc.txns[k].used && !dup)
			dup = &sp.spmc.txns[k];
	}
	CHECK(t && dup);
	if (!t || !dup) {
		done();
		return;
	}
	*dup = *t;
	dup->handle = t->handle + 1;
	CHECK_EQ(inv_check_world(&iv), -1);
	CHECK(strstr(iv.why, "both cover"));
	dup->used = false;
	CHECK_EQ(inv_check_world(&iv), 0);
	done();
}

static void test_donation_retrieved(void)
{
	uint64_t h;

	world();
	h = send_one(FFA_MEM_DONATE_32);
	CHECK_EQ(inv_check_world(&iv), 0);
	/* Retrieved behind the checker's back: the SPMC forgets it, the page
	 * stays donated with nothing covering it. */
	{
		struct inv blind;

		inv_init(&blind, &sp);
		CHECK_EQ(inv_sp_retrieve(&iv, 0x8001, h), 0);
		CHECK_EQ(inv_check_world(&iv), 0);
		CHECK_EQ(inv_check_world(&blind), -1);
		inv_fini(&blind);
	}
	done();
}

static void test_regs(void)
{
	struct ffa_regs in = { { FFA_ID_GET_32 } }, out = { { FFA_SUCCESS_32, 0, 5 } };

	world();
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), 0);
	out.x[3] = 1; /* ID_GET defines w2 only */
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), -1);
	CHECK(strstr(iv.why, "R3"));
	out.x[3] = 0;
	out.x[2] = 0x100000005ull; /* SMC32: upper half */
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), -1);
	CHECK(strstr(iv.why, "R1"));
	out.x[2] = 5;
	out.x[9] = 7; /* SMC32 must preserve x8..x17 */
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), -1);
	out.x[9] = 0;
	/* Error frames. */
	out = (struct ffa_regs){ { FFA_ERROR_32, 0, (uint32_t)FFA_DENIED } };
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), 0);
	out.x[4] = 1;
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), -1);
	CHECK(strstr(iv.why, "R2"));
	out.x[4] = 0;
	out.x[2] = 5; /* not a status */
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), -1);
	/* FFA_VERSION: w0 alone; x8..x17 the caller's (SMC32). */
	in = (struct ffa_regs){ { FFA_VERSION_32, FFA_VERSION_1_2 } };
	out = (struct ffa_regs){ { FFA_VERSION_1_2 } };
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), 0);
	out.x[5] = 1;
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), -1);
	out.x[5] = 0;
	out.x[12] = 1;
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), -1);
	in.x[12] = 1; /* the caller's x12, preserved */
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), 0);
	out.x[12] = 0; /* zeroed: not preserved */
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), -1);
	/* SMC64: x8..x17 the caller's or zero, never anything else. */
	in = (struct ffa_regs){ { FFA_RXTX_MAP_64 } };
	in.x[8] = 0x1234;
	out = (struct ffa_regs){ { FFA_ERROR_32, 0, (uint32_t)FFA_DENIED } };
	out.x[8] = 0x1234;
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), 0);
	out.x[8] = 0;
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), 0);
	out.x[8] = 0x5678;
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), -1);
	CHECK(strstr(iv.why, "R4"));
	/* A frame the call cannot produce. */
	in = (struct ffa_regs){ { FFA_MSG_SEND_DIRECT_REQ_32 } };
	out = (struct ffa_regs){ { FFA_SUCCESS_32 } };
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), -1);
	done();
}

/* FFA_RUN answered as the request it resumed: a response frame of its
 * own width; R6: a direct response names the caller, after a request or
 * an FFA_RUN. */
static void test_r6_run_replies(void)
{
	struct ffa_regs in = { { FFA_RUN_32, 0x80010000u } }, out;

	world();
	in.x[8] = 0x88;
	out = (struct ffa_regs){ { FFA_MSG_SEND_DIRECT_RESP_64, 0x80010005u, 0,
				   1ull << 40 } };
	out.x[8] = 0x88;
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), 0);
	out.x[8] = 0; /* zero, as for a 1.2 caller's SMC64 request */
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), 0);
	out.x[8] = 0x99;
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), -1);
	out.x[8] = 0x88;
	/* RESP_32 is SMC32: w registers only */
	out.x[0] = FFA_MSG_SEND_DIRECT_RESP_32;
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), -1);
	CHECK(strstr(iv.why, "R1"));
	out.x[3] = 1;
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), 0);
	/* RESP2 carries x4..x17 */
	out = (struct ffa_regs){ { FFA_MSG_SEND_DIRECT_RESP2_64, 0x80010005u } };
	out.x[17] = 0x1717;
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), 0);
	/* another endpoint's response */
	out.x[1] = 0x80010006u;
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), -1);
	CHECK(strstr(iv.why, "R6"));
	in = (struct ffa_regs){ { FFA_MSG_SEND_DIRECT_REQ_32, 0x58001 } };
	out = (struct ffa_regs){ { FFA_MSG_SEND_DIRECT_RESP_32, 0x80010006u } };
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), -1);
	CHECK(strstr(iv.why, "R6"));
	/* FFA_RUN never answers SUCCESS */
	in = (struct ffa_regs){ { FFA_RUN_32, 0x80010000u } };
	out = (struct ffa_regs){ { FFA_SUCCESS_32 } };
	CHECK_EQ(inv_check_regs(&iv, 5, &in, &out), -1);
	done();
}

/* R5: the handle of a memory send's reply is the caller's transaction at
 * the SPMC, in the state the frame says. */
static void test_r5_mem_handle(void)
{
	struct ffa_regs in = { { FFA_MEM_SHARE_32, 0x60, 0x30 } }, out;
	struct spmc_txn *t;
	uint64_t h;

	world();
	h = share_one();
	t = (struct spmc_txn *)spmc_find_transaction(&sp.spmc, h);
	CHECK(t != NULL);
	if (!t) {
		done();
		return;
	}
	out = (struct ffa_regs){ { FFA_SUCCESS_32, 0, (uint32_t)h, h >> 32 } };
	CHECK_EQ(inv_check_mem_reply(&iv, 0, &in, &out), 0);
	/* Another endpoint told the host's handle. */
	CHECK_EQ(inv_check_mem_reply(&iv, 1, &in, &out), -1);
	CHECK(strstr(iv.why, "R5") && strstr(iv.why, "another sender"));
	/* A handle the SPMC never gave. */
	out.x[2] ^= 1;
	CHECK_EQ(inv_check_mem_reply(&iv, 0, &in, &out), -1);
	CHECK(strstr(iv.why, "does not hold"));
	/* FRAG_RX for a complete transaction; then for one still being
	 * sent, with w4 0, the caller, or anything else. */
	out = (struct ffa_regs){ { FFA_MEM_FRAG_RX_32, (uint32_t)h, h >> 32, 0x30 } };
	CHECK_EQ(inv_check_mem_reply(&iv, 0, &in, &out), -1);
	CHECK(strstr(iv.why, "a complete transaction"));
	t->complete = false;
	CHECK_EQ(inv_check_mem_reply(&iv, 0, &in, &out), 0);
	CHECK_EQ(inv_check_regs(&iv, 0, &in, &out), 0);
	/* The registers alone (inv_check_regs): w3 is what the first call
	 * sent (its w2), w4 zero or the caller. */
	out.x[3] = 0x20;
	CHECK_EQ(inv_check_regs(&iv, 0, &in, &out), -1);
	CHECK(strstr(iv.why, "received of a first fragment"));
	out.x[3] = 0x30;
	out.x[4] = 0x1234;
	CHECK_EQ(inv_check_regs(&iv, 0, &in, &out), -1);
	CHECK(strstr(iv.why, "R5") && strstr(iv.why, "w4"));
	/* SUCCESS while the SPMC still waits for fragments. */
	out = (struct ffa_regs){ { FFA_SUCCESS_32, 0, (uint32_t)h, h >> 32 } };
	CHECK_EQ(inv_check_mem_reply(&iv, 0, &in, &out), -1);
	CHECK(strstr(iv.why, "still being sent"));
	t->complete = true;
	done();
}

static void test_unchanged(void)
{
	struct inv_snapshot s;
	struct ffa_regs in = { { FFA_MEM_SHARE_32 } };
	struct ffa_regs refused = { { FFA_ERROR_32, 0, (uint32_t)FFA_DENIED } };
	struct ffa_regs ok = { { FFA_SUCCESS_32 } };

	world();
	CHECK_EQ(inv_snapshot(&iv, &s), 0);
	CHECK_EQ(inv_check_unchanged(&iv, &s, &in, &refused), 0);
	CHECK_EQ(simmem_transition(sp.mem, 0, DATA, 0x1000, FFP_PAGE_OWNED,
				   FFP_PAGE_SHARED), 0);
	/* A success may change things; a refusal may not. */
	CHECK_EQ(inv_check_unchanged(&iv, &s, &in, &ok), 0);
	CHECK_EQ(inv_check_unchanged(&iv, &s, &in, &refused), -1);
	CHECK(strstr(iv.why, "moved page"));
	inv_snapshot_free(&s);
	/* An endpoint's buffers. */
	CHECK_EQ(simmem_transition(sp.mem, 0, DATA, 0x1000, FFP_PAGE_SHARED,
				   FFP_PAGE_OWNED), 0);
	CHECK_EQ(inv_snapshot(&iv, &s), 0);
	call(0, (struct ffa_regs){ { FFA_RXTX_MAP_64, HOST, HOST + 0x1000, 1 } });
	in.x[0] = FFA_RXTX_MAP_64;
	CHECK_EQ(inv_check_unchanged(&iv, &s, &in, &refused), -1);
	inv_snapshot_free(&s);
	done();
}

/* A world whose host mapped its RX/TX, made the proxy map its own pair
 * (a query, released), and has a partition's 8-byte message waiting in
 * the proxy's RX. */
static void host_with_message(void)
{
	struct ffa_regs r;

	world();
	sp.spmc.parts[0].props |= FFA_PART_PROP_INDIRECT_MSG;
	r = call(0, (struct ffa_regs){ { FFA_RXTX_MAP_64, HOST, HOST + 0x1000,
					 1 } });
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(0, (struct ffa_regs){ { FFA_PARTITION_INFO_GET_32 } });
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(0, (struct ffa_regs){ { FFA_RX_RELEASE_32 } });
	CHECK_EQ(inv_check_world(&iv), 0);
	CHECK_EQ(spmc_sp_msg_send2(&sp.spmc, 0x8001, 0, 8), 0);
}

/* W9: a partition's message held for the host, delivered at the host's
 * GET (the RX given back), passes; the RX left the normal world's with
 * no RX buffer full pending (a proxy that took the notification and
 * kept the RX) is W9, unless a fault hit such a call. */
static void test_w9_rx(void)
{
	struct ffa_regs r;

	host_with_message();
	CHECK(sp.spmc.rx_held_by_ns);
	CHECK_EQ(inv_check_world(&iv), 0);
	r = call(0, (struct ffa_regs){ { FFA_NOTIFICATION_GET_32, 0,
					 FFA_NOTIF_GET_SPM } });
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[6], FFA_NOTIF_FW_RX_FULL);
	CHECK(!sp.spmc.rx_held_by_ns);
	CHECK_EQ(inv_check_world(&iv), 0);
	/* the notification taken, the RX kept */
	sp.spmc.rx_held_by_ns = true;
	CHECK_EQ(inv_check_world(&iv), -1);
	CHECK(strstr(iv.why, "W9"));
	sp.spmc.ns_spm_pending = FFA_NOTIF_FW_RX_FULL;
	CHECK_EQ(inv_check_world(&iv), 0);
	sp.spmc.ns_spm_pending = 0;
	sp.rx_faults = 1;
	CHECK_EQ(inv_check_world(&iv), 0);
	done();
}

static bool held(void)
{
	struct ffp_info info;

	ffp_info(sp.proxy, &info);
	return info.msg2_held;
}

/* W10 and R7: the message the proxy keeps for the host (a query's
 * reclaim took it from the SPMC) and the host's GET that delivers it. */
static void test_w10_r7_held(void)
{
	struct ffa_regs in = { { FFA_NOTIFICATION_GET_32, 0,
				 FFA_NOTIF_GET_SPM } };
	struct ffa_regs r, fake;
	uint64_t taken;

	host_with_message();
	/* the host's own query finds the proxy's RX full: the message kept */
	r = call(0, (struct ffa_regs){ { FFA_PARTITION_INFO_GET_32 } });
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK(held());
	/* as if no RX buffer full had been handed out: a message from
	 * nowhere */
	taken = sp.spmc.ns_rx_full_taken;
	sp.spmc.ns_rx_full_taken = iv.taken_seen;
	CHECK_EQ(inv_check_world(&iv), -1);
	CHECK(strstr(iv.why, "W10"));
	iv.held_seen = false;
	sp.spmc.ns_rx_full_taken = taken;
	CHECK_EQ(inv_check_world(&iv), 0);
	CHECK(iv.held_seen);
	/* a GET answered RX buffer full while the slot stays full */
	fake = (struct ffa_regs){ { FFA_SUCCESS_32, 0, 0, 0, 0, 0,
				    FFA_NOTIF_FW_RX_FULL } };
	CHECK_EQ(inv_check_regs(&iv, 0, &in, &fake), -1);
	CHECK(strstr(iv.why, "R7"));
	/* unless another RX buffer full was handed out meanwhile */
	sp.spmc.ns_rx_full_taken++;
	CHECK_EQ(inv_check_regs(&iv, 0, &in, &fake), 0);
	sp.spmc.ns_rx_full_taken--;
	/* the real GET: delivered once the host released its RX */
	r = call(0, (struct ffa_regs){ { FFA_RX_RELEASE_32 } });
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	r = call(0, in);
	CHECK_EQ(r.x[6], FFA_NOTIF_FW_RX_FULL);
	CHECK_EQ(inv_check_regs(&iv, 0, &in, &r), 0);
	CHECK(!held());
	CHECK_EQ(inv_check_world(&iv), 0);
	done();
}

static void npi_none(void *ctx, uint16_t vm, const uint16_t *vcpus,
		     uint32_t count)
{
	(void)ctx;
	(void)vm;
	(void)vcpus;
	(void)count;
}

/* R8: with notification_pending, the host's INFO_GET names no VM, is in
 * the list format and has a list or the more-pending bit; without it,
 * VMs' lists are the host's. */
static void test_r8_info_get(void)
{
	const struct ffa_regs in = { { FFA_NOTIFICATION_INFO_GET_64 } };
	/* lists [0x8001] [1 vCPU 2] */
	struct ffa_regs out = { { FFA_SUCCESS_64, 0, 2u << 7 | 1u << 14,
				  0x0002000180010000ull >> 16 } };

	world();
	CHECK_EQ(inv_check_regs(&iv, 0, &in, &out), 0);
	sp.ops.notification_pending = npi_none;
	CHECK_EQ(inv_check_regs(&iv, 0, &in, &out), -1);
	CHECK(strstr(iv.why, "R8"));
	/* the partition alone: well formed */
	out.x[2] = 1u << 7;
	out.x[3] = 0x8001;
	CHECK_EQ(inv_check_regs(&iv, 0, &in, &out), 0);
	/* a stray id past the lists */
	out.x[3] = 0x10008001;
	CHECK_EQ(inv_check_regs(&iv, 0, &in, &out), -1);
	CHECK(strstr(iv.why, "R8"));
	/* no list: only with more pending */
	out.x[2] = 0;
	out.x[3] = 0;
	CHECK_EQ(inv_check_regs(&iv, 0, &in, &out), -1);
	out.x[2] = FFA_NOTIF_INFO_MORE_PENDING;
	CHECK_EQ(inv_check_regs(&iv, 0, &in, &out), 0);
	/* a reserved flag bit */
	out.x[2] = 1u << 7 | 1u << 3;
	out.x[3] = 0x8001;
	CHECK_EQ(inv_check_regs(&iv, 0, &in, &out), -1);
	sp.ops.notification_pending = NULL;
	done();
}

/* R9: a kept message's id-0 listing is given by the host's next
 * INFO_GET: one answered NO_DATA, or with no id 0 and no more pending,
 * while it is owed (as the proxy says, or as the checker follows it:
 * the proxy's flag cleared with nothing listed) is a violation. */
static void test_r9_owed_listing(void)
{
	const struct ffa_regs in = { { FFA_NOTIFICATION_INFO_GET_64 } };
	const struct ffa_regs get = { { FFA_NOTIFICATION_GET_32, 0,
					FFA_NOTIF_GET_SPM } };
	struct ffa_regs r, no_data = { { FFA_ERROR_32, 0,
					 (uint32_t)FFA_NO_DATA } };
	/* [0x8001] alone, no more pending */
	struct ffa_regs part = { { FFA_SUCCESS_64, 0, 1u << 7, 0x8001 } };
	/* [0x8001] [0] */
	struct ffa_regs both = { { FFA_SUCCESS_64, 0, 2u << 7, 0x8001 } };
	struct ffp_info info;

	host_with_message();
	r = call(0, (struct ffa_regs){ { FFA_PARTITION_INFO_GET_32 } });
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK(held());
	CHECK_EQ(inv_check_world(&iv), 0);
	CHECK(iv.owed);
	ffp_info(sp.proxy, &info);
	CHECK(info.msg2_owed);
	/* owed as the proxy and the checker say */
	CHECK_EQ(inv_check_mem_reply(&iv, 0, &in, &no_data), -1);
	CHECK(strstr(iv.why, "R9"));
	CHECK_EQ(inv_check_mem_reply(&iv, 0, &in, &part), -1);
	/* more pending: still to come; another caller's: not checked */
	part.x[2] |= FFA_NOTIF_INFO_MORE_PENDING;
	CHECK_EQ(inv_check_mem_reply(&iv, 0, &in, &part), 0);
	part.x[2] &= ~(uint64_t)FFA_NOTIF_INFO_MORE_PENDING;
	CHECK_EQ(inv_check_mem_reply(&iv, 1, &in, &part), 0);
	/* the real INFO_GET lists id 0 (the SPMC's list for the message
	 * is gone: the reclaim took its RX buffer full) */
	r = call(0, in);
	CHECK_EQ(r.x[0], FFA_SUCCESS_64);
	CHECK_EQ(inv_check_mem_reply(&iv, 0, &in, &r), 0);
	CHECK(!iv.owed);
	CHECK_EQ(inv_check_mem_reply(&iv, 0, &in, &no_data), 0);
	/* the host's GET cannot take it (its RX its own): owed again */
	r = call(0, get);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[6], 0);
	CHECK_EQ(inv_check_mem_reply(&iv, 0, &get, &r), 0);
	CHECK(iv.owed);
	/* spent by the proxy on a reply the host did not get (the real
	 * INFO_GET lists it; the host is handed another): the checker
	 * still owes it */
	ffp_info(sp.proxy, &info);
	CHECK(info.msg2_owed);
	r = call(0, in);
	CHECK_EQ(r.x[0], FFA_SUCCESS_64);
	ffp_info(sp.proxy, &info);
	CHECK(!info.msg2_owed);
	CHECK_EQ(inv_check_mem_reply(&iv, 0, &in, &part), -1);
	CHECK(strstr(iv.why, "spent"));
	CHECK_EQ(inv_check_mem_reply(&iv, 0, &in, &both), 0);
	CHECK(!iv.owed);
	CHECK_EQ(inv_check_mem_reply(&iv, 0, &in, &part), 0);
	done();
}

/* W13: a present VM with a bitmap destruction pending (which
 * ffp_vm_destroyed_retry would take it for, clearing the unmap of its
 * pair its own refused map undo left pending) is flagged; the host's old
 * kernel's bitmap (after ffp_host_reset) is not. */
static void test_w13_retry_scope(void)
{
	world();
	CHECK_EQ(simplat_vm_add(&sp, 1, 0x90000000ull, 0x100000), 0);
	CHECK_EQ(inv_check_world(&iv), 0);
	sp.proxy->eps[1].notif_destroy_pending = true;
	CHECK_EQ(inv_check_world(&iv), -1);
	CHECK(strstr(iv.why, "W13"));
	sp.proxy->eps[1].notif_destroy_pending = false;
	sp.proxy->eps[0].notif_destroy_pending = true;
	CHECK_EQ(inv_check_world(&iv), 0);
	sp.proxy->eps[0].notif_destroy_pending = false;
	done();
}

/* R10: a request reaching the SPMC with reserved bits set (made here
 * behind the proxy's back, as a proxy that forwarded them would) fails
 * the next check, regs or world, once; the proxy's own requests do not. */
static void test_r10_reserved(void)
{
	struct ffa_regs in = { { FFA_FEATURES_32, FFA_SPM_ID_GET_32, 0,
				 0x5a5a0003 } };
	struct ffa_regs out = in, r;

	world();
	simplat_call(&sp, 0, &out);
	CHECK_EQ(out.x[0], FFA_SUCCESS_32);
	CHECK_EQ(inv_check_regs(&iv, 0, &in, &out), 0);
	CHECK_EQ(inv_check_world(&iv), 0);
	r = in;
	spmc_smc(&sp.spmc, &r);
	CHECK_EQ(inv_check_regs(&iv, 0, &in, &out), -1);
	CHECK(strstr(iv.why, "R10"));
	CHECK(strstr(iv.why, "0x84000064"));
	CHECK(strstr(iv.why, "x3"));
	CHECK_EQ(inv_check_regs(&iv, 0, &in, &out), 0);
	r = in;
	spmc_smc(&sp.spmc, &r);
	CHECK_EQ(inv_check_world(&iv), -1);
	CHECK(strstr(iv.why, "R10"));
	CHECK_EQ(inv_check_world(&iv), 0);
	done();
}

int main(void)
{
	RUN(test_r10_reserved);
	RUN(test_w13_retry_scope);
	RUN(test_r9_owed_listing);
	RUN(test_r8_info_get);
	RUN(test_w9_rx);
	RUN(test_w10_r7_held);
	RUN(test_clean_world);
	RUN(test_w1_w2_w4);
	RUN(test_w3);
	RUN(test_w3_outside_regions);
	RUN(test_w3_pending_named_outside_regions);
	RUN(test_w5_unknown_to_proxy);
	RUN(test_w2_spmc_overlap);
	RUN(test_donation_retrieved);
	RUN(test_regs);
	RUN(test_r6_run_replies);
	RUN(test_r5_mem_handle);
	RUN(test_unchanged);
	return test_summary("test_invariant");
}
