/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* The SPMC model's memory management: share/lend/donate at each version,
 * fragments, reclaim/retrieve/relinquish rules, every validation rule,
 * the hypervisor retrieve response, misbehaviour knobs. */
#include <string.h>

#include "sim/spmc.h"
#include "check.h"

#include "tests/unit/spmc_ram.h"

#define TX MEM_BASE
#define RX (MEM_BASE + 0x10000)
#define DATA (MEM_BASE + 0x100000) /* memory in ram that can be shared */
#define FAR 0x900000000ull         /* memory the test never touches */

static const uint32_t versions[] = { FFA_VERSION_1_0, FFA_VERSION_1_1,
				     FFA_VERSION_1_2 };
#define NVERSIONS 3
static const uint32_t send_fns[] = { FFA_FN_MEM_SHARE, FFA_FN_MEM_LEND,
				     FFA_FN_MEM_DONATE };

static struct spmc s;
static const uint8_t uuid[16] = { 1, 2, 3, 4, 5, 6, 7, 8,
				  9, 10, 11, 12, 13, 14, 15, 16 };

/* ---- A descriptor builder that can also build bad descriptors. */
#define MAX_RANGES 5000
struct range {
	uint64_t base;
	uint32_t pages;
};

struct desc {
	uint32_t version;
	uint16_t sender;
	uint16_t attrs;
	uint32_t flags;
	uint64_t handle, tag;
	uint32_t nrecv;
	uint16_t recv[SPMC_MAX_RECEIVERS + 2];
	uint8_t perms[SPMC_MAX_RECEIVERS + 2];
	uint32_t nranges;
	struct range ranges[MAX_RANGES];
	/* hooks to break things; 0 = computed */
	uint32_t emad_offset, emad_size, comp_offset, total_pages;
};

static struct desc d;
static uint8_t buf[96 * 1024];

static uint32_t hdr_len(uint32_t v)
{
	return v >= FFA_VERSION_1_1 ? 48 : 32;
}

static uint32_t esz(uint32_t v)
{
	return v >= FFA_VERSION_1_2 ? 32 : 16;
}

/* Layout: header, EMADs, composite (16-aligned), constituents. Returns
 * the total length; offsets of the parts are left for tests to patch. */
static uint32_t emad_at, comp_at;

static uint32_t build(void)
{
	uint32_t v = d.version, es = d.emad_size ? d.emad_size : esz(v);
	uint32_t i, pages = 0, pos;

	memset(buf, 0, sizeof(buf));
	emad_at = d.emad_offset ? d.emad_offset : hdr_len(v);
	comp_at = emad_at + d.nrecv * es;
	comp_at = (comp_at + 15) & ~15u;
	if (d.comp_offset)
		comp_at = d.comp_offset;
	ffa_put16(buf, d.sender);
	if (v >= FFA_VERSION_1_1) {
		ffa_put16(buf + 2, d.attrs);
		ffa_put32(buf + 24, es);
		ffa_put32(buf + 32, emad_at);
	} else {
		buf[2] = (uint8_t)d.attrs;
	}
	ffa_put32(buf + 4, d.flags);
	ffa_put64(buf + 8, d.handle);
	ffa_put64(buf + 16, d.tag);
	ffa_put32(buf + 28, d.nrecv);
	for (i = 0; i < d.nrecv; i++) {
		uint8_t *e = buf + emad_at + i * es;

		ffa_put16(e, d.recv[i]);
		e[2] = d.perms[i];
		ffa_put32(e + 4, comp_at);
	}
	for (i = 0; i < d.nranges; i++)
		pages += d.ranges[i].pages;
	ffa_put32(buf + comp_at, d.total_pages ? d.total_pages : pages);
	ffa_put32(buf + comp_at + 4, d.nranges);
	pos = comp_at + 16;
	for (i = 0; i < d.nranges; i++, pos += 16) {
		ffa_put64(buf + pos, d.ranges[i].base);
		ffa_put32(buf + pos + 8, d.ranges[i].pages);
	}
	return pos;
}

/* A valid descriptor of type `fn` at `v`: one receiver, two ranges. */
static void desc_default(uint32_t v, uint32_t fn)
{
	memset(&d, 0, sizeof(d));
	d.version = v;
	d.sender = 0;
	d.nrecv = 1;
	d.recv[0] = 0x8001;
	d.perms[0] = fn == FFA_FN_MEM_DONATE ? 0 : 2; /* RW */
	d.attrs = fn == FFA_FN_MEM_SHARE ? 0x2f : 0;  /* normal WB inner */
	d.tag = 0x77;
	d.nranges = 2;
	d.ranges[0] = (struct range){ FAR, 4 };
	d.ranges[1] = (struct range){ FAR + 0x10000, 1 };
}

static struct ffa_regs smc(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3,
			   uint64_t x4)
{
	struct ffa_regs r = { { 0 } };

	r.x[0] = x0;
	r.x[1] = x1;
	r.x[2] = x2;
	r.x[3] = x3;
	r.x[4] = x4;
	spmc_smc(&s, &r);
	return r;
}

static void check_error(const struct ffa_regs *r, int32_t code)
{
	CHECK_EQ(r->x[0], FFA_ERROR_32);
	CHECK_EQ(r->x[2], (uint32_t)code);
	CHECK(zero_from(r, 3));
}

static void setup(uint32_t v, uint32_t tx_pages)
{
	struct ffa_regs r;

	spmc_init(&s, v, &ram_ops, NULL);
	CHECK_EQ(spmc_add_partition(&s, 0x8001, uuid, 1, 1), 0);
	CHECK_EQ(spmc_add_partition(&s, 0x8002, uuid, 1, 1), 0);
	CHECK_EQ(spmc_add_partition(&s, 0x8003, uuid, 1, 1), 0);
	CHECK_EQ(spmc_add_partition(&s, 0x8004, uuid, 1, 1), 0);
	CHECK_EQ(spmc_add_partition(&s, 0x8005, uuid, 1, 1), 0);
	r = smc(FFA_VERSION_32, v, 0, 0, 0);
	CHECK_EQ(r.x[0], v);
	r = smc(FFA_RXTX_MAP_64, TX, RX, tx_pages, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
}

/* Send buf[0, frag) of a `total`-byte descriptor. */
static struct ffa_regs send(uint32_t fn, uint32_t total, uint32_t frag)
{
	memcpy(ram + (TX - MEM_BASE), buf, frag);
	return smc(FFA_ID_64(fn), total, frag, 0, 0);
}

static uint64_t handle_of(const struct ffa_regs *r)
{
	return (uint32_t)r->x[2] | ((uint64_t)(uint32_t)r->x[3] << 32);
}

/* Build and send whole; expect `err` (0: success) and return the handle. */
static uint64_t send_expect(uint32_t fn, int32_t err)
{
	uint32_t len = build();
	struct ffa_regs r = send(fn, len, len);

	if (err) {
		check_error(&r, err);
		return 0;
	}
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK(zero_from(&r, 4));
	return handle_of(&r);
}

static void test_send_each_version_and_type(void)
{
	int i, j;

	for (i = 0; i < NVERSIONS; i++) {
		for (j = 0; j < 3; j++) {
			uint32_t v = versions[i], fn = send_fns[j];
			const struct spmc_txn *t;
			uint64_t h, h2;
			struct ffa_regs r;
			uint32_t len;

			setup(v, 1);
			desc_default(v, fn);
			h = send_expect(fn, 0);
			CHECK(!(h >> 63));
			CHECK(h != UINT64_MAX);
			CHECK((uint32_t)h != 0 && (h >> 32) != 0);
			CHECK_EQ(spmc_transaction_count(&s), 1);
			t = spmc_find_transaction(&s, h);
			CHECK(t != NULL);
			if (!t)
				continue;
			CHECK(t->complete);
			CHECK_EQ(t->fn, fn);
			CHECK_EQ(t->sender, 0);
			CHECK_EQ(t->tag, 0x77);
			CHECK_EQ(t->attributes, d.attrs);
			CHECK_EQ(t->receiver_count, 1);
			CHECK_EQ(t->receivers[0].id, 0x8001);
			CHECK_EQ(t->receivers[0].perms, d.perms[0]);
			CHECK(!t->receivers[0].retrieved);
			CHECK_EQ(t->total_pages, 5);
			CHECK_EQ(t->ranges_filled, 2);
			CHECK_EQ(s.ranges[t->range_first].base, FAR);
			CHECK_EQ(s.ranges[t->range_first].pages, 4);
			CHECK_EQ(s.ranges[t->range_first + 1].base, FAR + 0x10000);
			/* another one on other memory: a different handle */
			d.ranges[0].base = FAR + 0x100000;
			d.ranges[1].base = FAR + 0x200000;
			h2 = send_expect(fn, 0);
			CHECK(h2 != h);
			CHECK_EQ(spmc_transaction_count(&s), 2);
			/* SMC32 variant too */
			d.ranges[0].base = FAR + 0x300000;
			d.ranges[1].base = FAR + 0x400000;
			len = build();
			memcpy(ram + (TX - MEM_BASE), buf, len);
			r = smc(FFA_ID_32(fn), len, len, 0, 0);
			CHECK_EQ(r.x[0], FFA_SUCCESS_32);
			r = smc(FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32, 0, 0);
			CHECK_EQ(r.x[0], FFA_SUCCESS_32);
			CHECK(zero_from(&r, 1));
			CHECK(spmc_find_transaction(&s, h) == NULL);
			/* the other transactions' ranges survived compaction */
			t = spmc_find_transaction(&s, h2);
			CHECK(t && s.ranges[t->range_first].base == FAR + 0x100000);
			CHECK_EQ(s.ranges_used, 4);
			CHECK_EQ(spmc_transaction_count(&s), 2);
			/* the pages are free again */
			d.ranges[0].base = FAR;
			d.ranges[1].base = FAR + 0x10000;
			send_expect(fn, 0);
		}
	}
}

static void test_multi_receivers(void)
{
	int i;

	for (i = 0; i < NVERSIONS; i++) {
		const struct spmc_txn *t;
		uint64_t h;

		setup(versions[i], 1);
		desc_default(versions[i], FFA_FN_MEM_SHARE);
		d.nrecv = 4;
		d.recv[1] = 0x8002;
		d.recv[2] = 0x8003;
		d.recv[3] = 0x8004;
		d.perms[1] = 1;
		d.perms[2] = 2;
		d.perms[3] = 1;
		h = send_expect(FFA_FN_MEM_SHARE, 0);
		t = spmc_find_transaction(&s, h);
		CHECK(t && t->receiver_count == 4 && t->receivers[3].id == 0x8004 &&
		      t->receivers[3].perms == 1);
		/* lend to several borrowers names a memory type */
		desc_default(versions[i], FFA_FN_MEM_LEND);
		d.ranges[0].base = FAR + 0x800000;
		d.ranges[1].base = FAR + 0x900000;
		d.nrecv = 2;
		d.recv[1] = 0x8002;
		d.perms[1] = 1;
		send_expect(FFA_FN_MEM_LEND, FFA_INVALID_PARAMETERS);
		d.attrs = 0x2f;
		send_expect(FFA_FN_MEM_LEND, 0);
		/* five receivers is beyond this SPMC's limit */
		desc_default(versions[i], FFA_FN_MEM_SHARE);
		d.ranges[0].base = FAR + 0xa00000;
		d.ranges[1].base = FAR + 0xb00000;
		d.nrecv = 5;
		for (int k = 1; k < 5; k++) {
			d.recv[k] = (uint16_t)(0x8001 + k);
			d.perms[k] = 2;
		}
		send_expect(FFA_FN_MEM_SHARE, FFA_INVALID_PARAMETERS);
		CHECK_EQ(spmc_transaction_count(&s), 2);
	}
}

/* ---- Fragments */

static void fill_many(uint32_t n)
{
	uint32_t i;

	d.nranges = n;
	for (i = 0; i < n; i++)
		d.ranges[i] = (struct range){ FAR + (uint64_t)i * 0x2000, 1 };
}

static struct ffa_regs frag_tx(uint64_t h, uint32_t off, uint32_t len)
{
	memcpy(ram + (TX - MEM_BASE), buf + off, len);
	return smc(FFA_MEM_FRAG_TX_32, (uint32_t)h, h >> 32, len, 0);
}

/* Send a descriptor in fragments of at most `chunk` bytes (the first one
 * cut at `first`); returns the handle or 0. */
static uint64_t send_fragmented(uint32_t fn, uint32_t first, uint32_t chunk)
{
	uint32_t total = build(), off;
	struct ffa_regs r = send(fn, total, first);
	uint64_t h;

	CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
	CHECK_EQ(r.x[3], first);
	CHECK_EQ(r.x[4], 0);
	CHECK(zero_from(&r, 5));
	h = (uint32_t)r.x[1] | ((uint64_t)(uint32_t)r.x[2] << 32);
	CHECK(spmc_find_transaction(&s, h) && !spmc_find_transaction(&s, h)->complete);
	for (off = first; off < total;) {
		uint32_t len = total - off < chunk ? total - off : chunk;

		r = frag_tx(h, off, len);
		off += len;
		if (off < total) {
			CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
			CHECK_EQ(r.x[3], off);
			CHECK_EQ((uint32_t)r.x[1] | (r.x[2] << 32), h);
		} else {
			CHECK_EQ(r.x[0], FFA_SUCCESS_32);
			CHECK_EQ(handle_of(&r), h);
		}
	}
	return h;
}

static void test_fragments(void)
{
	int i, j;

	for (i = 0; i < NVERSIONS; i++) {
		for (j = 0; j < 3; j++) {
			uint32_t v = versions[i], fn = send_fns[j], k;
			uint32_t cons = (hdr_len(v) + esz(v) + 15) / 16 * 16 + 16;
			const struct spmc_txn *t;
			uint64_t h;

			setup(v, 1);
			desc_default(v, fn);
			fill_many(3000);
			/* first fragment: a full TX page (whole constituents) */
			h = send_fragmented(fn, cons + ((4096 - cons) / 16) * 16,
					    4096);
			t = spmc_find_transaction(&s, h);
			CHECK(t && t->complete && t->ranges_filled == 3000 &&
			      t->total_pages == 3000);
			for (k = 0; t && k < 3000; k++)
				if (s.ranges[t->range_first + k].base !=
				    FAR + (uint64_t)k * 0x2000)
					break;
			CHECK_EQ(k, 3000);
			/* the smallest first fragment: no constituent */
			d.ranges[0].base = 0xa00000000ull;
			fill_many(40);
			for (k = 0; k < 40; k++)
				d.ranges[k].base += 0x100000000ull;
			h = send_fragmented(fn, cons, 16);
			CHECK(spmc_find_transaction(&s, h) != NULL);
			CHECK_EQ(spmc_transaction_count(&s), 2);
		}
	}
}

static void test_fragment_rules(void)
{
	uint32_t total, cons;
	struct ffa_regs r;
	uint64_t h, h2;

	setup(FFA_VERSION_1_1, 1);
	desc_default(FFA_VERSION_1_1, FFA_FN_MEM_LEND);
	fill_many(10);
	total = build();
	cons = 48 + 16 + 16;
	/* first fragment cutting a constituent */
	r = send(FFA_FN_MEM_LEND, total, cons + 8);
	check_error(&r, FFA_INVALID_PARAMETERS);
	/* first fragment without the composite header */
	r = send(FFA_FN_MEM_LEND, total, cons - 16);
	check_error(&r, FFA_INVALID_PARAMETERS);
	CHECK_EQ(spmc_transaction_count(&s), 0);
	r = send(FFA_FN_MEM_LEND, total, cons + 32);
	CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
	h = (uint32_t)r.x[1] | ((uint64_t)(uint32_t)r.x[2] << 32);
	/* wrong handle: nothing touched */
	r = frag_tx(h + 1, cons + 32, 16);
	check_error(&r, FFA_INVALID_PARAMETERS);
	r = frag_tx(h ^ (1ull << 32), cons + 32, 16);
	check_error(&r, FFA_INVALID_PARAMETERS);
	/* w4 MBZ */
	memcpy(ram + (TX - MEM_BASE), buf + cons + 32, 16);
	r = smc(FFA_MEM_FRAG_TX_32, (uint32_t)h, h >> 32, 16, 1u << 16);
	check_error(&r, FFA_INVALID_PARAMETERS);
	CHECK(spmc_find_transaction(&s, h) != NULL);
	CHECK_EQ(spmc_find_transaction(&s, h)->received_len, cons + 32);
	/* reclaim of an incomplete transaction */
	r = smc(FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32, 0, 0);
	check_error(&r, FFA_INVALID_PARAMETERS);
	/* a fragment not a multiple of 16 aborts the transaction */
	r = frag_tx(h, cons + 32, 24);
	check_error(&r, FFA_INVALID_PARAMETERS);
	CHECK_EQ(spmc_transaction_count(&s), 0);
	CHECK_EQ(s.ranges_used, 0);
	/* more than the total */
	r = send(FFA_FN_MEM_LEND, total, cons + 32);
	h = (uint32_t)r.x[1] | ((uint64_t)(uint32_t)r.x[2] << 32);
	r = frag_tx(h, cons + 32, total - cons - 32 + 16);
	check_error(&r, FFA_INVALID_PARAMETERS);
	CHECK_EQ(spmc_transaction_count(&s), 0);
	/* a bad constituent in a later fragment */
	d.ranges[9].base = FAR + 0x123;
	total = build();
	r = send(FFA_FN_MEM_LEND, total, cons + 32);
	h = (uint32_t)r.x[1] | ((uint64_t)(uint32_t)r.x[2] << 32);
	r = frag_tx(h, cons + 32, total - cons - 32);
	check_error(&r, FFA_INVALID_PARAMETERS);
	CHECK_EQ(spmc_transaction_count(&s), 0);
	/* page sum checked at the end */
	d.ranges[9].base = FAR + 9 * 0x2000;
	d.total_pages = 11;
	total = build();
	r = send(FFA_FN_MEM_LEND, total, cons + 32);
	h = (uint32_t)r.x[1] | ((uint64_t)(uint32_t)r.x[2] << 32);
	r = frag_tx(h, cons + 32, total - cons - 32);
	check_error(&r, FFA_INVALID_PARAMETERS);
	CHECK_EQ(spmc_transaction_count(&s), 0);
	/* two transactions in flight: ranges are claimed as they arrive */
	d.total_pages = 0;
	total = build();
	r = send(FFA_FN_MEM_LEND, total, cons + 32); /* ranges 0, 1 */
	h = (uint32_t)r.x[1] | ((uint64_t)(uint32_t)r.x[2] << 32);
	d.ranges[0].base = 0xb00000000ull;
	d.ranges[1].base = 0xb00100000ull;
	build();
	r = send(FFA_FN_MEM_LEND, total, cons + 32);
	CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
	h2 = (uint32_t)r.x[1] | ((uint64_t)(uint32_t)r.x[2] << 32);
	CHECK(h2 != h);
	/* h2 takes ranges 2..9 first ... */
	r = frag_tx(h2, cons + 32, total - cons - 32);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	/* ... so h's fragment with the same ranges is DENIED, h aborted */
	r = frag_tx(h, cons + 32, total - cons - 32);
	check_error(&r, FFA_DENIED);
	CHECK(spmc_find_transaction(&s, h) == NULL);
	CHECK_EQ(spmc_transaction_count(&s), 1);
	CHECK_EQ(s.ranges_used, 10);
}

/* w4[31:16] of FRAG_TX names the transaction's sender (a VM's id from the
 * hypervisor), as TF-A's EL3 SPMC requires; FRAG_RX names it back. A
 * wrong w4 is refused and the transaction stays, as TF-A keeps it. */
static void test_fragment_sender(void)
{
	uint32_t total, cons = 48 + 16 + 16;
	struct ffa_regs r;
	uint64_t h;

	setup(FFA_VERSION_1_1, 1);
	desc_default(FFA_VERSION_1_1, FFA_FN_MEM_LEND);
	d.sender = 3;
	fill_many(4);
	total = build();
	r = send(FFA_FN_MEM_LEND, total, cons + 16);
	CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
	CHECK_EQ(r.x[4], 3u << 16);
	h = (uint32_t)r.x[1] | ((uint64_t)(uint32_t)r.x[2] << 32);
	/* w4 0, another sender, or bits [15:0] set: refused, kept */
	memcpy(ram + (TX - MEM_BASE), buf + cons + 16, 16);
	r = smc(FFA_MEM_FRAG_TX_32, (uint32_t)h, h >> 32, 16, 0);
	check_error(&r, FFA_INVALID_PARAMETERS);
	r = smc(FFA_MEM_FRAG_TX_32, (uint32_t)h, h >> 32, 16, 4u << 16);
	check_error(&r, FFA_INVALID_PARAMETERS);
	r = smc(FFA_MEM_FRAG_TX_32, (uint32_t)h, h >> 32, 16, (3u << 16) | 1);
	check_error(&r, FFA_INVALID_PARAMETERS);
	CHECK(spmc_find_transaction(&s, h) != NULL);
	CHECK_EQ(spmc_find_transaction(&s, h)->received_len, cons + 16);
	/* the sender's id: accepted, to completion */
	r = smc(FFA_MEM_FRAG_TX_32, (uint32_t)h, h >> 32, 16, 3u << 16);
	CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
	CHECK_EQ(r.x[3], cons + 32);
	CHECK_EQ(r.x[4], 3u << 16);
	memcpy(ram + (TX - MEM_BASE), buf + cons + 32, 32);
	r = smc(FFA_MEM_FRAG_TX_32, (uint32_t)h, h >> 32, 32, 3u << 16);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(handle_of(&r), h);
	CHECK(spmc_find_transaction(&s, h)->complete);
	/* a bad fragment with the right w4 still aborts the transaction */
	fill_many(4);
	d.ranges[0].base = 0xc00000000ull;
	d.ranges[1].base = 0xc00100000ull;
	d.ranges[2].base = 0xc00200000ull;
	d.ranges[3].base = 0xc00300000ull;
	total = build();
	r = send(FFA_FN_MEM_LEND, total, cons + 16);
	h = (uint32_t)r.x[1] | ((uint64_t)(uint32_t)r.x[2] << 32);
	memset(ram + (TX - MEM_BASE), 0, 16); /* zero pages */
	r = smc(FFA_MEM_FRAG_TX_32, (uint32_t)h, h >> 32, 16, 3u << 16);
	check_error(&r, FFA_INVALID_PARAMETERS);
	CHECK(spmc_find_transaction(&s, h) == NULL);
	CHECK_EQ(spmc_transaction_count(&s), 1);
}

/* A clearer version of the in-flight overlap rule. */
static void test_overlap_in_flight(void)
{
	struct ffa_regs r;
	uint32_t total, cons = 48 + 16 + 16;
	uint64_t h;

	setup(FFA_VERSION_1_1, 1);
	desc_default(FFA_VERSION_1_1, FFA_FN_MEM_SHARE);
	fill_many(4);
	total = build();
	r = send(FFA_FN_MEM_SHARE, total, cons + 16); /* range 0 only */
	h = (uint32_t)r.x[1] | ((uint64_t)(uint32_t)r.x[2] << 32);
	CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
	/* another descriptor whose last range is h's first */
	d.ranges[0].base = FAR + 0x1000000;
	d.ranges[1].base = FAR + 0x1100000;
	d.ranges[2].base = FAR + 0x1200000;
	d.ranges[3].base = FAR;
	total = build();
	r = send(FFA_FN_MEM_SHARE, total, total);
	check_error(&r, FFA_DENIED);
	CHECK_EQ(spmc_transaction_count(&s), 1);
	CHECK(spmc_find_transaction(&s, h) != NULL);
}

/* SPMC_CHECK_LAST: constituents are appended unchecked and checked only
 * when the last fragment arrives (TF-A's EL3 SPMC, Hafnium); a failing
 * completion frees the transaction. Lengths are still checked at once. */
static void test_check_last(void)
{
	uint32_t total, cons = 48 + 16 + 16;
	struct ffa_regs r;
	uint64_t h, h2;
	const struct spmc_txn *t;

	setup(FFA_VERSION_1_1, 1);
	s.check_constituents = SPMC_CHECK_LAST;
	desc_default(FFA_VERSION_1_1, FFA_FN_MEM_LEND);
	fill_many(10);
	/* An unaligned base in the first fragment, a zero-page constituent
	 * and a reserved field in later ones: all answered FRAG_RX. */
	d.ranges[1].base += 0x123;
	total = build();
	ffa_put32(buf + cons + 4 * 16 + 12, 1); /* range 4: reserved */
	r = send(FFA_FN_MEM_LEND, total, cons + 32);
	CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
	h = (uint32_t)r.x[1] | ((uint64_t)(uint32_t)r.x[2] << 32);
	r = frag_tx(h, cons + 32, 48);
	CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
	CHECK_EQ(r.x[3], cons + 80);
	t = spmc_find_transaction(&s, h);
	CHECK(t && !t->complete && t->ranges_filled == 5);
	/* the rest: checked now, refused, freed */
	r = frag_tx(h, cons + 80, total - cons - 80);
	check_error(&r, FFA_INVALID_PARAMETERS);
	CHECK_EQ(spmc_transaction_count(&s), 0);
	CHECK_EQ(s.ranges_used, 0);

	/* Zeros to the end (what the proxy sends to abort): refused, freed. */
	fill_many(10);
	total = build();
	r = send(FFA_FN_MEM_LEND, total, cons + 32);
	h = (uint32_t)r.x[1] | ((uint64_t)(uint32_t)r.x[2] << 32);
	memset(buf + cons + 32, 0, total - cons - 32);
	r = frag_tx(h, cons + 32, 64);
	CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
	r = frag_tx(h, cons + 96, total - cons - 96);
	check_error(&r, FFA_INVALID_PARAMETERS);
	CHECK_EQ(spmc_transaction_count(&s), 0);

	/* A fragment longer than what remains: refused at once, freed. */
	total = build();
	r = send(FFA_FN_MEM_LEND, total, cons + 32);
	h = (uint32_t)r.x[1] | ((uint64_t)(uint32_t)r.x[2] << 32);
	r = frag_tx(h, cons + 32, total - cons - 32 + 16);
	check_error(&r, FFA_INVALID_PARAMETERS);
	CHECK_EQ(spmc_transaction_count(&s), 0);

	/* The page sum, at the end as in either mode. */
	d.total_pages = 11;
	total = build();
	r = send(FFA_FN_MEM_LEND, total, cons + 32);
	h = (uint32_t)r.x[1] | ((uint64_t)(uint32_t)r.x[2] << 32);
	r = frag_tx(h, cons + 32, total - cons - 32);
	check_error(&r, FFA_INVALID_PARAMETERS);
	CHECK_EQ(spmc_transaction_count(&s), 0);
	d.total_pages = 0;

	/* Unchecked ranges claim nothing: h2 takes the same pages while h
	 * is incomplete, and h's completion is then DENIED. */
	total = build();
	r = send(FFA_FN_MEM_LEND, total, cons + 32);
	CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
	h = (uint32_t)r.x[1] | ((uint64_t)(uint32_t)r.x[2] << 32);
	r = send(FFA_FN_MEM_LEND, total, total);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	h2 = handle_of(&r);
	r = frag_tx(h, cons + 32, total - cons - 32);
	check_error(&r, FFA_DENIED);
	CHECK(spmc_find_transaction(&s, h) == NULL);
	t = spmc_find_transaction(&s, h2);
	CHECK(t && t->complete && t->ranges_filled == 10);
	r = smc(FFA_MEM_RECLAIM_32, (uint32_t)h2, h2 >> 32, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);

	/* A good one completes as in the default mode. */
	h = send_fragmented(FFA_FN_MEM_LEND, cons + 32, 48);
	t = spmc_find_transaction(&s, h);
	CHECK(t && t->complete && !t->deferred && t->ranges_filled == 10);
	CHECK_EQ(s.ranges[t->range_first + 9].base, FAR + 9 * 0x2000);
}

/* ---- Reclaim, retrieve, relinquish */

static void test_reclaim_rules(void)
{
	int i;

	for (i = 0; i < NVERSIONS; i++) {
		uint32_t v = versions[i];
		struct ffa_regs r;
		uint64_t h;

		setup(v, 1);
		desc_default(v, FFA_FN_MEM_LEND);
		d.nrecv = 2;
		d.recv[1] = 0x8002;
		d.perms[1] = 2;
		d.attrs = 0x2f;
		h = send_expect(FFA_FN_MEM_LEND, 0);
		r = smc(FFA_MEM_RECLAIM_32, (uint32_t)h + 1, h >> 32, 0, 0);
		check_error(&r, FFA_INVALID_PARAMETERS);
		r = smc(FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32, 4, 0);
		check_error(&r, FFA_INVALID_PARAMETERS); /* flags MBZ */
		CHECK_EQ(spmc_sp_retrieve(&s, 0x8003, h), FFA_INVALID_PARAMETERS);
		CHECK_EQ(spmc_sp_retrieve(&s, 0x8002, h + 1), FFA_INVALID_PARAMETERS);
		CHECK_EQ(spmc_sp_relinquish(&s, 0x8002, h), FFA_INVALID_PARAMETERS);
		CHECK_EQ(spmc_sp_retrieve(&s, 0x8002, h), 0);
		CHECK_EQ(spmc_sp_retrieve(&s, 0x8002, h), FFA_DENIED);
		CHECK(spmc_find_transaction(&s, h)->receivers[1].retrieved);
		CHECK_EQ(spmc_sp_retrieve(&s, 0x8001, h), 0);
		r = smc(FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32, 0, 0);
		check_error(&r, FFA_DENIED);
		CHECK_EQ(spmc_sp_relinquish(&s, 0x8002, h), 0);
		r = smc(FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32, 0, 0);
		check_error(&r, FFA_DENIED);
		CHECK_EQ(spmc_sp_relinquish(&s, 0x8001, h), 0);
		CHECK_EQ(spmc_sp_relinquish(&s, 0x8001, h), FFA_INVALID_PARAMETERS);
		r = smc(FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32, 2, 0);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		CHECK_EQ(spmc_transaction_count(&s), 0);
		r = smc(FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32, 0, 0);
		check_error(&r, FFA_INVALID_PARAMETERS);

		/* share: the zero flag cannot be used on reclaim either */
		desc_default(v, FFA_FN_MEM_SHARE);
		h = send_expect(FFA_FN_MEM_SHARE, 0);
		r = smc(FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32, 1, 0);
		check_error(&r, FFA_INVALID_PARAMETERS);
		r = smc(FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32, 0, 0);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);

		/* donate: reclaimable before retrieval, gone after it */
		desc_default(v, FFA_FN_MEM_DONATE);
		h = send_expect(FFA_FN_MEM_DONATE, 0);
		r = smc(FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32, 0, 0);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		h = send_expect(FFA_FN_MEM_DONATE, 0);
		CHECK_EQ(spmc_sp_retrieve(&s, 0x8001, h), 0);
		CHECK_EQ(spmc_transaction_count(&s), 0);
		r = smc(FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32, 0, 0);
		check_error(&r, FFA_INVALID_PARAMETERS);
		CHECK_EQ(spmc_sp_relinquish(&s, 0x8001, h), FFA_INVALID_PARAMETERS);
	}
}

static bool data_is(uint8_t byte, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		if (ram[DATA - MEM_BASE + i] != byte)
			return false;
	return true;
}

static void test_zero_flags(void)
{
	struct ffa_regs r;
	uint64_t h;

	setup(FFA_VERSION_1_2, 1);
	desc_default(FFA_VERSION_1_2, FFA_FN_MEM_LEND);
	d.flags = 1;
	d.nranges = 1;
	d.ranges[0] = (struct range){ DATA, 2 };
	memset(ram + (DATA - MEM_BASE), 0xaa, 0x3000);
	h = send_expect(FFA_FN_MEM_LEND, 0);
	CHECK(data_is(0xaa, 0x2000));
	CHECK_EQ(spmc_sp_retrieve(&s, 0x8001, h), 0);
	CHECK(data_is(0, 0x2000));
	CHECK_EQ(ram[DATA - MEM_BASE + 0x2000], 0xaa);
	CHECK_EQ(spmc_sp_relinquish(&s, 0x8001, h), 0);
	memset(ram + (DATA - MEM_BASE), 0xbb, 0x2000);
	r = smc(FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32, 1, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK(data_is(0, 0x2000));
	/* without the flag nothing is zeroed */
	d.flags = 0;
	memset(ram + (DATA - MEM_BASE), 0xcc, 0x2000);
	h = send_expect(FFA_FN_MEM_LEND, 0);
	CHECK_EQ(spmc_sp_retrieve(&s, 0x8001, h), 0);
	CHECK(data_is(0xcc, 0x2000));
}

/* ---- Validation: every rule, each leaving no transaction behind. */

static void expect_rejected(uint32_t fn, int32_t err)
{
	send_expect(fn, err);
	CHECK_EQ(spmc_transaction_count(&s), 0);
	CHECK_EQ(s.ranges_used, 0);
}

static void test_register_rules(void)
{
	struct ffa_regs r;
	uint32_t len;

	setup(FFA_VERSION_1_1, 1);
	desc_default(FFA_VERSION_1_1, FFA_FN_MEM_SHARE);
	len = build();
	memcpy(ram + (TX - MEM_BASE), buf, len);
	r = smc(FFA_MEM_SHARE_64, len, len, TX, 0);
	check_error(&r, FFA_INVALID_PARAMETERS); /* x3 */
	r = smc(FFA_MEM_SHARE_64, len, len, 0, 1);
	check_error(&r, FFA_INVALID_PARAMETERS); /* w4 */
	r = smc(FFA_MEM_SHARE_64, len, len + 16, 0, 0);
	check_error(&r, FFA_INVALID_PARAMETERS); /* fragment > total */
	r = smc(FFA_MEM_SHARE_64, len, 0, 0, 0);
	check_error(&r, FFA_INVALID_PARAMETERS);
	r = smc(FFA_MEM_SHARE_64, 8192, 8192, 0, 0);
	check_error(&r, FFA_INVALID_PARAMETERS); /* fragment > TX */
	r = smc(FFA_MEM_SHARE_64, len + 16, len, 0, 0);
	check_error(&r, FFA_INVALID_PARAMETERS); /* total != layout */
	r = smc(FFA_MEM_SHARE_64, len - 16, len - 16, 0, 0);
	check_error(&r, FFA_INVALID_PARAMETERS);
	r = smc(FFA_RXTX_UNMAP_32, 0, 0, 0, 0);
	r = smc(FFA_MEM_SHARE_64, len, len, 0, 0);
	check_error(&r, FFA_INVALID_PARAMETERS); /* no TX buffer */
	CHECK_EQ(spmc_transaction_count(&s), 0);
	/* SMC32: the upper half of x3 is ignored */
	smc(FFA_RXTX_MAP_64, TX, RX, 1, 0);
	r = smc(FFA_MEM_SHARE_32, len, len, 1ull << 32, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
}

static void test_header_rules(void)
{
	int i;

	for (i = 0; i < NVERSIONS; i++) {
		uint32_t v = versions[i];

		setup(v, 1);
		desc_default(v, FFA_FN_MEM_SHARE);
		d.sender = 0x8005;
		expect_rejected(FFA_FN_MEM_SHARE, FFA_DENIED);
		desc_default(v, FFA_FN_MEM_SHARE);
		d.handle = 1;
		expect_rejected(FFA_FN_MEM_SHARE, FFA_INVALID_PARAMETERS);
		/* flags */
		desc_default(v, FFA_FN_MEM_SHARE);
		d.flags = 1; /* zero memory on share */
		expect_rejected(FFA_FN_MEM_SHARE, FFA_INVALID_PARAMETERS);
		d.flags = 4;
		expect_rejected(FFA_FN_MEM_SHARE, FFA_INVALID_PARAMETERS);
		d.flags = 2; /* time slicing is allowed */
		send_expect(FFA_FN_MEM_SHARE, 0);
		setup(v, 1);
		desc_default(v, FFA_FN_MEM_LEND);
		d.flags = 1;
		d.perms[0] = 1; /* zeroed, then read-only: valid (DEN0077A
				 * 1.0 Table 5.20 is about the owner's access) */
		send_expect(FFA_FN_MEM_LEND, 0);
		setup(v, 1);
		desc_default(v, FFA_FN_MEM_LEND);
		d.flags = 0x8;
		expect_rejected(FFA_FN_MEM_LEND, FFA_INVALID_PARAMETERS);
		/* reserved header fields */
		desc_default(v, FFA_FN_MEM_SHARE);
		if (v == FFA_VERSION_1_0) {
			uint32_t len = build();
			struct ffa_regs r;

			buf[3] = 1;
			r = send(FFA_FN_MEM_SHARE, len, len);
			check_error(&r, FFA_INVALID_PARAMETERS);
			build();
			buf[24] = 1;
			r = send(FFA_FN_MEM_SHARE, len, len);
			check_error(&r, FFA_INVALID_PARAMETERS);
		} else {
			uint32_t len = build(), k;
			struct ffa_regs r;

			for (k = 36; k < 48; k += 4) {
				build();
				buf[k] = 1;
				r = send(FFA_FN_MEM_SHARE, len, len);
				check_error(&r, FFA_INVALID_PARAMETERS);
			}
			d.emad_size = v == FFA_VERSION_1_2 ? 16 : 32;
			expect_rejected(FFA_FN_MEM_SHARE, FFA_INVALID_PARAMETERS);
			d.emad_size = 0;
			d.emad_offset = 32; /* inside the header */
			expect_rejected(FFA_FN_MEM_SHARE, FFA_INVALID_PARAMETERS);
			d.emad_offset = 56; /* misaligned */
			expect_rejected(FFA_FN_MEM_SHARE, FFA_INVALID_PARAMETERS);
			d.emad_offset = 64; /* aligned, with a gap: Hafnium
					     * refuses it, so does the model */
			expect_rejected(FFA_FN_MEM_SHARE, FFA_INVALID_PARAMETERS);
			d.emad_offset = 48;
			send_expect(FFA_FN_MEM_SHARE, 0);
		}
		CHECK(spmc_transaction_count(&s) <= 1);
	}
}

static void test_receiver_rules(void)
{
	int i, j;

	for (i = 0; i < NVERSIONS; i++) {
		uint32_t v = versions[i];

		setup(v, 1);
		desc_default(v, FFA_FN_MEM_SHARE);
		d.nrecv = 0;
		expect_rejected(FFA_FN_MEM_SHARE, FFA_INVALID_PARAMETERS);
		desc_default(v, FFA_FN_MEM_SHARE);
		d.recv[0] = 0x8009; /* no such partition */
		expect_rejected(FFA_FN_MEM_SHARE, FFA_INVALID_PARAMETERS);
		d.recv[0] = 0x0001; /* a normal-world id */
		expect_rejected(FFA_FN_MEM_SHARE, FFA_INVALID_PARAMETERS);
		d.recv[0] = 0; /* the sender itself */
		expect_rejected(FFA_FN_MEM_SHARE, FFA_INVALID_PARAMETERS);
		desc_default(v, FFA_FN_MEM_SHARE);
		d.nrecv = 2;
		d.recv[1] = 0x8001; /* duplicate */
		d.perms[1] = 2;
		expect_rejected(FFA_FN_MEM_SHARE, FFA_INVALID_PARAMETERS);
		desc_default(v, FFA_FN_MEM_DONATE);
		d.nrecv = 2;
		d.recv[1] = 0x8002;
		expect_rejected(FFA_FN_MEM_DONATE, FFA_INVALID_PARAMETERS);
		/* EMAD composite offsets must all be equal */
		desc_default(v, FFA_FN_MEM_SHARE);
		d.nrecv = 2;
		d.recv[1] = 0x8002;
		d.perms[1] = 2;
		{
			uint32_t len = build();
			struct ffa_regs r;

			ffa_put32(buf + emad_at + esz(v) + 4, comp_at + 16);
			r = send(FFA_FN_MEM_SHARE, len, len);
			check_error(&r, FFA_INVALID_PARAMETERS);
			/* EMAD flags: bit 0 allowed, others MBZ */
			build();
			buf[emad_at + 3] = 2;
			r = send(FFA_FN_MEM_SHARE, len, len);
			check_error(&r, FFA_INVALID_PARAMETERS);
			/* EMAD reserved */
			build();
			buf[emad_at + (v >= FFA_VERSION_1_2 ? 24 : 8)] = 1;
			r = send(FFA_FN_MEM_SHARE, len, len);
			check_error(&r, FFA_INVALID_PARAMETERS);
			CHECK_EQ(spmc_transaction_count(&s), 0);
			if (v >= FFA_VERSION_1_2) {
				/* IMPDEF bytes are free, and kept */
				const struct spmc_txn *t;

				build();
				buf[emad_at + 8] = 0x42;
				buf[emad_at + 23] = 0x43;
				r = send(FFA_FN_MEM_SHARE, len, len);
				CHECK_EQ(r.x[0], FFA_SUCCESS_32);
				t = spmc_find_transaction(&s, handle_of(&r));
				CHECK(t && t->receivers[0].impdef[0] == 0x42 &&
				      t->receivers[0].impdef[15] == 0x43);
				smc(FFA_MEM_RECLAIM_32, r.x[2], r.x[3], 0, 0);
			}
		}
		/* permissions per type */
		for (j = 0; j < 3; j++) {
			uint32_t fn = send_fns[j];

			desc_default(v, fn);
			d.perms[0] = 3; /* reserved data access */
			expect_rejected(fn, FFA_INVALID_PARAMETERS);
			d.perms[0] = (uint8_t)(fn == FFA_FN_MEM_DONATE ? 0x4 : 0x6);
			expect_rejected(fn, FFA_INVALID_PARAMETERS); /* NX given */
			d.perms[0] = (uint8_t)(fn == FFA_FN_MEM_DONATE ? 0x10 : 0x12);
			expect_rejected(fn, FFA_INVALID_PARAMETERS); /* [7:4] */
			d.perms[0] = (uint8_t)(fn == FFA_FN_MEM_DONATE ? 2 : 0);
			expect_rejected(fn, FFA_INVALID_PARAMETERS);
		}
	}
}

static void test_attribute_rules(void)
{
	static const struct {
		uint32_t fn;
		uint16_t attrs;
		int32_t want;
	} cases[] = {
		{ FFA_FN_MEM_SHARE, 0x2f, 0 },      /* normal WB inner */
		{ FFA_FN_MEM_SHARE, 0x26, 0 },      /* normal NC outer */
		{ FFA_FN_MEM_SHARE, 0x10, 0 },      /* device nGnRnE */
		{ FFA_FN_MEM_SHARE, 0x00, FFA_INVALID_PARAMETERS },
		{ FFA_FN_MEM_SHARE, 0x23, FFA_INVALID_PARAMETERS }, /* cache 0 */
		{ FFA_FN_MEM_SHARE, 0x2b, FFA_INVALID_PARAMETERS }, /* cache 2 */
		{ FFA_FN_MEM_SHARE, 0x2d, FFA_INVALID_PARAMETERS }, /* share 1 */
		{ FFA_FN_MEM_SHARE, 0x11, FFA_INVALID_PARAMETERS },
		{ FFA_FN_MEM_SHARE, 0x3f, FFA_INVALID_PARAMETERS }, /* type 3 */
		{ FFA_FN_MEM_SHARE, 0x6f, FFA_INVALID_PARAMETERS }, /* NS */
		{ FFA_FN_MEM_SHARE, 0xaf, FFA_INVALID_PARAMETERS },
		{ FFA_FN_MEM_LEND, 0x2f, FFA_INVALID_PARAMETERS },
		/* no type: bits[3:0] mean nothing (DEN0077A 1.0 5.11.4) */
		{ FFA_FN_MEM_LEND, 0x01, 0 },
		{ FFA_FN_MEM_LEND, 0x0e, 0 },
		{ FFA_FN_MEM_LEND, 0x10, FFA_INVALID_PARAMETERS },
		{ FFA_FN_MEM_DONATE, 0x2f, FFA_INVALID_PARAMETERS },
		{ FFA_FN_MEM_DONATE, 0x40, FFA_INVALID_PARAMETERS },
		{ FFA_FN_MEM_DONATE, 0x0f, 0 },
	};
	unsigned int i, k;

	for (i = 0; i < NVERSIONS; i++) {
		for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
			setup(versions[i], 1);
			desc_default(versions[i], cases[k].fn);
			d.attrs = cases[k].attrs;
			send_expect(cases[k].fn, cases[k].want);
			CHECK_EQ(spmc_transaction_count(&s), cases[k].want ? 0 : 1);
		}
		if (versions[i] >= FFA_VERSION_1_1) {
			setup(versions[i], 1);
			desc_default(versions[i], FFA_FN_MEM_SHARE);
			d.attrs = 0x12f; /* [15:8] MBZ */
			expect_rejected(FFA_FN_MEM_SHARE, FFA_INVALID_PARAMETERS);
		}
	}
}

static void test_composite_rules(void)
{
	int i;

	for (i = 0; i < NVERSIONS; i++) {
		uint32_t v = versions[i], len;
		struct ffa_regs r;

		setup(v, 1);
		desc_default(v, FFA_FN_MEM_LEND);
		d.comp_offset = hdr_len(v) + esz(v) + 8; /* misaligned */
		expect_rejected(FFA_FN_MEM_LEND, FFA_INVALID_PARAMETERS);
		d.comp_offset = hdr_len(v); /* over the EMADs */
		expect_rejected(FFA_FN_MEM_LEND, FFA_INVALID_PARAMETERS);
		d.comp_offset = 0;
		len = build();
		ffa_put32(buf + emad_at + 4, 0x10000); /* past everything */
		r = send(FFA_FN_MEM_LEND, len, len);
		check_error(&r, FFA_INVALID_PARAMETERS);
		ffa_put32(buf + emad_at + 4, 0xfffffff0u); /* wraps */
		r = send(FFA_FN_MEM_LEND, len, len);
		check_error(&r, FFA_INVALID_PARAMETERS);
		build();
		buf[comp_at + 8] = 1; /* composite reserved */
		r = send(FFA_FN_MEM_LEND, len, len);
		check_error(&r, FFA_INVALID_PARAMETERS);
		build();
		ffa_put32(buf + comp_at + 4, 3); /* range count vs length */
		r = send(FFA_FN_MEM_LEND, len, len);
		check_error(&r, FFA_INVALID_PARAMETERS);
		ffa_put32(buf + comp_at + 4, 0x10000001u);
		r = send(FFA_FN_MEM_LEND, len, len);
		check_error(&r, FFA_INVALID_PARAMETERS);
		d.total_pages = 6;
		expect_rejected(FFA_FN_MEM_LEND, FFA_INVALID_PARAMETERS);
		d.total_pages = 0;
		d.nranges = 0;
		expect_rejected(FFA_FN_MEM_LEND, FFA_INVALID_PARAMETERS);
		/* constituents */
		desc_default(v, FFA_FN_MEM_LEND);
		d.ranges[1].base = FAR + 0x10800;
		expect_rejected(FFA_FN_MEM_LEND, FFA_INVALID_PARAMETERS);
		desc_default(v, FFA_FN_MEM_LEND);
		d.ranges[1].pages = 0;
		expect_rejected(FFA_FN_MEM_LEND, FFA_INVALID_PARAMETERS);
		desc_default(v, FFA_FN_MEM_LEND);
		d.ranges[1].base = 0xfffffffffffff000ull;
		d.ranges[1].pages = 2;
		expect_rejected(FFA_FN_MEM_LEND, FFA_INVALID_PARAMETERS);
		desc_default(v, FFA_FN_MEM_LEND);
		d.ranges[1].base = FAR + 0x3000; /* inside range 0 */
		expect_rejected(FFA_FN_MEM_LEND, FFA_INVALID_PARAMETERS);
		desc_default(v, FFA_FN_MEM_LEND);
		len = build();
		buf[comp_at + 16 + 12] = 1; /* constituent reserved */
		r = send(FFA_FN_MEM_LEND, len, len);
		check_error(&r, FFA_INVALID_PARAMETERS);
		/* the RX/TX pair mapped here cannot be lent */
		desc_default(v, FFA_FN_MEM_LEND);
		d.ranges[1].base = RX;
		expect_rejected(FFA_FN_MEM_LEND, FFA_DENIED);
		/* a page in another transaction */
		desc_default(v, FFA_FN_MEM_LEND);
		send_expect(FFA_FN_MEM_LEND, 0);
		desc_default(v, FFA_FN_MEM_SHARE);
		d.ranges[0].base = FAR + 0x100000;
		d.ranges[1].base = FAR + 0x10000;
		send_expect(FFA_FN_MEM_SHARE, FFA_DENIED);
		CHECK_EQ(spmc_transaction_count(&s), 1);
		CHECK_EQ(s.ranges_used, 2);
	}
}

/* Each version's layout only: a descriptor in another version's layout
 * fails loudly. */
static void test_strict_layout(void)
{
	int i, j;

	for (i = 0; i < NVERSIONS; i++) {
		for (j = 0; j < NVERSIONS; j++) {
			uint32_t spmc_v = FFA_VERSION_1_2;
			bool same_layout = versions[i] == versions[j];

			spmc_init(&s, spmc_v, &ram_ops, NULL);
			spmc_add_partition(&s, 0x8001, uuid, 1, 1);
			smc(FFA_VERSION_32, versions[i], 0, 0, 0);
			smc(FFA_RXTX_MAP_64, TX, RX, 1, 0);
			desc_default(versions[j], FFA_FN_MEM_SHARE);
			send_expect(FFA_FN_MEM_SHARE,
				    same_layout ? 0 : FFA_INVALID_PARAMETERS);
		}
	}
}

static void test_no_memory(void)
{
	uint32_t i, len;
	struct ffa_regs r;

	setup(FFA_VERSION_1_1, 1);
	for (i = 0; i < SPMC_MAX_TXNS; i++) {
		desc_default(FFA_VERSION_1_1, FFA_FN_MEM_SHARE);
		d.nranges = 1;
		d.ranges[0] = (struct range){ FAR + (uint64_t)i * 0x1000, 1 };
		send_expect(FFA_FN_MEM_SHARE, 0);
	}
	d.ranges[0].base = FAR + 0x1000000;
	send_expect(FFA_FN_MEM_SHARE, FFA_NO_MEMORY);
	CHECK_EQ(spmc_transaction_count(&s), SPMC_MAX_TXNS);
	/* more constituents than the pool holds: NO_MEMORY, first fragment */
	setup(FFA_VERSION_1_1, 1);
	desc_default(FFA_VERSION_1_1, FFA_FN_MEM_SHARE);
	d.nranges = 1;
	len = build();
	ffa_put32(buf + comp_at + 4, SPMC_RANGE_POOL + 1);
	r = send(FFA_FN_MEM_SHARE, comp_at + 16 + 16 * (SPMC_RANGE_POOL + 1), len);
	check_error(&r, FFA_NO_MEMORY);
	CHECK_EQ(spmc_transaction_count(&s), 0);
}

/* ---- Retrieve response to the hypervisor */

static struct ffa_regs retrieve_req(uint32_t v, uint16_t sender, uint64_t h)
{
	uint8_t req[48] = { 0 };

	ffa_put16(req, sender);
	ffa_put64(req + 8, h);
	memcpy(ram + (TX - MEM_BASE), req, hdr_len(v));
	return smc(FFA_MEM_RETRIEVE_REQ_32, hdr_len(v), hdr_len(v), 0, 0);
}

static void test_retrieve_response(void)
{
	int i;

	for (i = 0; i < NVERSIONS; i++) {
		uint32_t v = versions[i], es = esz(v), len;
		const uint8_t *rx = ram + (RX - MEM_BASE);
		struct ffa_regs r;
		uint64_t h;

		setup(v, 1);
		desc_default(v, FFA_FN_MEM_LEND);
		d.nrecv = 2;
		d.recv[1] = 0x8002;
		d.perms[1] = 1;
		d.attrs = 0x2f;
		d.flags = 2;
		h = send_expect(FFA_FN_MEM_LEND, 0);
		memset(ram + (RX - MEM_BASE), 0xee, 4096);
		r = retrieve_req(v, 0, h);
		CHECK_EQ(r.x[0], FFA_MEM_RETRIEVE_RESP_32);
		len = (uint32_t)r.x[1];
		CHECK_EQ(r.x[2], len);
		CHECK(zero_from(&r, 3));
		/* header, 2 EMADs, composite, 2 constituents */
		CHECK_EQ(len, ((hdr_len(v) + 2 * es + 15) & ~15u) + 16 + 32);
		CHECK_EQ(ffa_get16(rx), 0);
		CHECK_EQ(v >= FFA_VERSION_1_1 ? ffa_get16(rx + 2) : rx[2], 0x2f);
		CHECK_EQ(ffa_get32(rx + 4), 2u << 3); /* lend, no time slice */
		CHECK_EQ(ffa_get64(rx + 8), h);
		CHECK_EQ(ffa_get64(rx + 16), 0x77);
		CHECK_EQ(ffa_get32(rx + 28), 2);
		if (v >= FFA_VERSION_1_1) {
			CHECK_EQ(ffa_get32(rx + 24), es);
			CHECK_EQ(ffa_get32(rx + 32), 48);
		}
		CHECK_EQ(ffa_get16(rx + hdr_len(v) + es), 0x8002);
		CHECK_EQ(rx[hdr_len(v) + es + 2], 1);
		{
			uint32_t c = ffa_get32(rx + hdr_len(v) + 4);

			CHECK_EQ(ffa_get32(rx + hdr_len(v) + es + 4), c);
			CHECK_EQ(ffa_get32(rx + c), 5);
			CHECK_EQ(ffa_get32(rx + c + 4), 2);
			CHECK_EQ(ffa_get64(rx + c + 16), FAR);
			CHECK_EQ(ffa_get32(rx + c + 24), 4);
			CHECK_EQ(ffa_get64(rx + c + 32), FAR + 0x10000);
		}
		{
			uint32_t k;
			bool tail_zero = true;

			for (k = len; k < 4096; k++)
				tail_zero &= rx[k] == 0;
			CHECK(tail_zero);
		}
		CHECK(s.rx_held_by_ns);
		r = retrieve_req(v, 0, h);
		check_error(&r, FFA_BUSY);
		smc(FFA_RX_RELEASE_32, 0, 0, 0, 0);
		/* the transaction's own sender may be named; others not */
		r = retrieve_req(v, 3, h);
		check_error(&r, FFA_INVALID_PARAMETERS);
		r = retrieve_req(v, 0, h + 1);
		check_error(&r, FFA_INVALID_PARAMETERS);
		/* nothing but sender and handle */
		{
			uint8_t req[48] = { 0 };

			ffa_put64(req + 8, h);
			req[16] = 1;
			memcpy(ram + (TX - MEM_BASE), req, 48);
			r = smc(FFA_MEM_RETRIEVE_REQ_32, hdr_len(v), hdr_len(v),
				0, 0);
			check_error(&r, FFA_INVALID_PARAMETERS);
		}
		r = smc(FFA_MEM_RETRIEVE_REQ_32, hdr_len(v) + 16,
			hdr_len(v) + 16, 0, 0);
		check_error(&r, FFA_INVALID_PARAMETERS);
		/* it is not a partition retrieve: reclaim still works */
		r = smc(FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32, 0, 0);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	}
}

static void test_retrieve_response_fragments(void)
{
	const uint8_t *rx = ram + (RX - MEM_BASE);
	uint32_t total, got, idx = 0, head;
	struct ffa_regs r;
	uint64_t h;
	bool ok = true;

	setup(FFA_VERSION_1_2, 1);
	desc_default(FFA_VERSION_1_2, FFA_FN_MEM_SHARE);
	fill_many(600);
	h = send_fragmented(FFA_FN_MEM_SHARE, 4096 - 48, 4096);
	r = retrieve_req(FFA_VERSION_1_2, 0, h);
	CHECK_EQ(r.x[0], FFA_MEM_RETRIEVE_RESP_32);
	head = 48 + 32 + 16;
	total = (uint32_t)r.x[1];
	got = (uint32_t)r.x[2];
	CHECK_EQ(total, head + 600 * 16);
	CHECK_EQ(got, head + (4096 - head) / 16 * 16);
	for (uint32_t k = head; k < got; k += 16, idx++)
		ok &= ffa_get64(rx + k) == FAR + (uint64_t)idx * 0x2000;
	/* RX must be released first; the offset must be what was received */
	r = smc(FFA_MEM_FRAG_RX_32, (uint32_t)h, h >> 32, got, 0);
	check_error(&r, FFA_BUSY);
	smc(FFA_RX_RELEASE_32, 0, 0, 0, 0);
	r = smc(FFA_MEM_FRAG_RX_32, (uint32_t)h, h >> 32, got + 16, 0);
	check_error(&r, FFA_INVALID_PARAMETERS);
	r = smc(FFA_MEM_FRAG_RX_32, (uint32_t)h, h >> 32, 0, 0);
	check_error(&r, FFA_INVALID_PARAMETERS);
	while (got < total) {
		uint32_t len;

		r = smc(FFA_MEM_FRAG_RX_32, (uint32_t)h, h >> 32, got, 0);
		CHECK_EQ(r.x[0], FFA_MEM_FRAG_TX_32);
		CHECK_EQ((uint32_t)r.x[1] | ((uint64_t)r.x[2] << 32), h);
		len = (uint32_t)r.x[3];
		CHECK(len > 0 && len % 16 == 0 && len <= 4096);
		if (!len)
			break;
		for (uint32_t k = 0; k < len; k += 16, idx++)
			ok &= ffa_get64(rx + k) == FAR + (uint64_t)idx * 0x2000 &&
			      ffa_get32(rx + k + 8) == 1;
		got += len;
		smc(FFA_RX_RELEASE_32, 0, 0, 0, 0);
	}
	CHECK(ok);
	CHECK_EQ(idx, 600);
	CHECK_EQ(got, total);
	r = smc(FFA_MEM_FRAG_RX_32, (uint32_t)h, h >> 32, got, 0);
	check_error(&r, FFA_INVALID_PARAMETERS);
}

/* ---- Knobs */

static void test_knobs(void)
{
	struct ffa_regs r;
	uint32_t total;
	uint64_t h;

	setup(FFA_VERSION_1_1, 1);
	desc_default(FFA_VERSION_1_1, FFA_FN_MEM_SHARE);
	s.bogus_handle = UINT64_MAX;
	h = send_expect(FFA_FN_MEM_SHARE, 0);
	CHECK_EQ(h, UINT64_MAX);
	CHECK_EQ(spmc_transaction_count(&s), 1);
	s.bogus_handle = 0;
	s.frag_rx_offset_delta = 16;
	fill_many(10);
	for (int k = 0; k < 10; k++)
		d.ranges[k].base += 0x10000000ull;
	total = build();
	r = send(FFA_FN_MEM_SHARE, total, 48 + 16 + 16 + 16);
	CHECK_EQ(r.x[0], FFA_MEM_FRAG_RX_32);
	CHECK_EQ(r.x[3], 48 + 16 + 16 + 16 + 16);
	s.garbage_regs = true;
	r = frag_tx((uint32_t)r.x[1] | ((uint64_t)r.x[2] << 32), 96, total - 96);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK(r.x[5] != 0);
}

int main(void)
{
	RUN(test_send_each_version_and_type);
	RUN(test_multi_receivers);
	RUN(test_fragments);
	RUN(test_fragment_rules);
	RUN(test_fragment_sender);
	RUN(test_overlap_in_flight);
	RUN(test_check_last);
	RUN(test_reclaim_rules);
	RUN(test_zero_flags);
	RUN(test_register_rules);
	RUN(test_header_rules);
	RUN(test_receiver_rules);
	RUN(test_attribute_rules);
	RUN(test_composite_rules);
	RUN(test_strict_layout);
	RUN(test_no_memory);
	RUN(test_retrieve_response);
	RUN(test_retrieve_response_fragments);
	RUN(test_knobs);
	return test_summary("test_spmc_mem");
}
