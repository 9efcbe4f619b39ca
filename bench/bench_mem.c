/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Cost driver for the memory-sharing part of `make bench`
 * (scripts/bench-mem.sh runs it under callgrind). The platform is minimal:
 * page transitions always succeed and keep no state, the secure side
 * answers share/lend/fragments/reclaim with fixed frames and counts its
 * calls. Every platform operation is a plat_* function, which the script
 * subtracts, so what is reported is the proxy's own work.
 *
 *   bench_mem share|lend|reclaim <caller minor> <spmc minor> <ranges> <N>
 *   bench_mem copy <caller minor> <ranges> <N>   the baseline: copying the
 *                                                descriptor once
 *   bench_mem frag <caller minor> <spmc minor> <ranges>  one lend in
 *                                                fragments of 64 KiB
 *   bench_mem floor <ranges> <N>                 the least any proxy does:
 *                                                measured_floor below
 *   bench_mem lookup <live transactions> <N>     reclaims refused by the
 *                                                SPMC among many live ones
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/mem.h>
#include <ffaproxy/proxy.h>

#include "bench/bench_plat.h"
#include "src/internal.h"
#include "src/mem_cons.h"

void ffp_memcpy(void *dst, const void *src, size_t n);

#define TX_PAGES 16
#define TX_BYTES (TX_PAGES * 4096)

static uint8_t caller_tx[TX_BYTES];
static uint8_t hyp_tx[TX_BYTES], hyp_rx[TX_BYTES];
static uint8_t *desc;    /* the whole caller descriptor */
static uint32_t desc_len;
static uint32_t spmc_version = FFA_VERSION_1_2;

static struct {
	uint64_t smcs;
	uint64_t next_handle;
	uint32_t total, received;
	bool deny_reclaim;
} spmc;

__attribute__((noinline)) void plat_smc(void *ctx, struct ffa_regs *r);
void plat_smc(void *ctx, struct ffa_regs *r)
{
	uint32_t id = (uint32_t)r->x[0];
	uint64_t h;

	(void)ctx;
	spmc.smcs++;
	switch (id) {
	case SMCCC_VERSION:
		r->x[0] = SMCCC_VERSION_1_2;
		return;
	case FFA_VERSION_32:
		r->x[0] = spmc_version;
		return;
	case FFA_RXTX_MAP_64:
	case FFA_FEATURES_32:
		memset(r, 0, sizeof(*r));
		r->x[0] = FFA_SUCCESS_32;
		return;
	case FFA_MEM_SHARE_32:
	case FFA_MEM_SHARE_64:
	case FFA_MEM_LEND_32:
	case FFA_MEM_LEND_64:
		spmc.total = (uint32_t)r->x[1];
		spmc.received = (uint32_t)r->x[2];
		h = ++spmc.next_handle;
		break;
	case FFA_MEM_FRAG_TX_32:
		spmc.received += (uint32_t)r->x[3];
		h = spmc.next_handle;
		break;
	case FFA_MEM_RECLAIM_32:
		memset(r, 0, sizeof(*r));
		if (spmc.deny_reclaim) {
			r->x[0] = FFA_ERROR_32;
			r->x[2] = (uint32_t)FFA_DENIED;
		} else {
			r->x[0] = FFA_SUCCESS_32;
		}
		return;
	default:
		memset(r, 0, sizeof(*r));
		r->x[0] = FFA_ERROR_32;
		r->x[2] = (uint32_t)FFA_NOT_SUPPORTED;
		return;
	}
	memset(r, 0, sizeof(*r));
	if (spmc.received >= spmc.total) {
		r->x[0] = FFA_SUCCESS_32;
		r->x[2] = (uint32_t)h;
		r->x[3] = (uint32_t)(h >> 32);
	} else {
		r->x[0] = FFA_MEM_FRAG_RX_32;
		r->x[1] = (uint32_t)h;
		r->x[2] = (uint32_t)(h >> 32);
		r->x[3] = spmc.received;
	}
}

__attribute__((noinline)) int plat_transition(void *ctx, uint16_t ep,
					      uint64_t pa, uint64_t size,
					      enum ffp_page_state from,
					      enum ffp_page_state to);
int plat_transition(void *ctx, uint16_t ep, uint64_t pa, uint64_t size,
		    enum ffp_page_state from, enum ffp_page_state to)
{
	(void)ctx;
	(void)ep;
	(void)pa;
	(void)size;
	(void)from;
	(void)to;
	return 0;
}

/* The caller's TX buffer (mapped at CALLER_TX_PA): whatever the
 * harness put in caller_tx. */
#define CALLER_TX_PA 0x80000000u
__attribute__((noinline)) int plat_read(void *ctx, uint16_t ep, uint64_t pa,
					void *dst, size_t len);
int plat_read(void *ctx, uint16_t ep, uint64_t pa, void *dst, size_t len)
{
	(void)ctx;
	(void)ep;
	if (pa < CALLER_TX_PA || pa - CALLER_TX_PA > TX_BYTES ||
	    len > TX_BYTES - (pa - CALLER_TX_PA))
		return FFA_INVALID_PARAMETERS;
	memcpy(dst, caller_tx + (pa - CALLER_TX_PA), len);
	return 0;
}

__attribute__((noinline)) int plat_write(void *ctx, uint16_t ep, uint64_t pa,
					 const void *src, size_t len);
int plat_write(void *ctx, uint16_t ep, uint64_t pa, const void *src,
	       size_t len)
{
	(void)ctx;
	(void)ep;
	(void)pa;
	(void)src;
	(void)len;
	return 0;
}

/* Takes every range of a fragment at once (BENCH_PER_RANGE set in the
 * environment leaves it out: the proxy then calls plat_transition per
 * range). */
__attribute__((noinline)) int
plat_transition_ranges(void *ctx, uint16_t ep, const uint8_t *cons,
		       uint32_t count, enum ffp_page_state from,
		       enum ffp_page_state to, uint32_t *failed);
int plat_transition_ranges(void *ctx, uint16_t ep, const uint8_t *cons,
			   uint32_t count, enum ffp_page_state from,
			   enum ffp_page_state to, uint32_t *failed)
{
	(void)ctx;
	(void)ep;
	(void)cons;
	(void)count;
	(void)from;
	(void)to;
	*failed = 0;
	return 0;
}

static struct ffp_platform plat = {
	.smc = plat_smc,
	.page_transition = plat_transition,
	.caller_read = plat_read,
	.caller_write = plat_write,
	.lock = plat_lock,
	.unlock = plat_unlock,
	.page_transition_ranges = plat_transition_ranges,
};

/* What callgrind counts: scripts/bench-mem.sh names these. */
__attribute__((noinline)) void measured(struct ffp *p, struct ffa_regs *r);
void measured(struct ffp *p, struct ffa_regs *r)
{
	ffp_handle(p, 0, r);
}

__attribute__((noinline)) void measured_copy(uint8_t *dst);
void measured_copy(uint8_t *dst)
{
	ffp_memcpy(dst, caller_tx, desc_len);
}

/*
 * The floor: the least work any proxy must do to forward a share, written
 * for exactly one case (a v1.2 caller and SPMC, one receiver, one
 * fragment, ranges ascending, the caller's version already locked) so
 * that every generality of the real path is gone. It reads the
 * descriptor once (plat_read), checks every rule of ffa-facts section 5
 * that applies to that case, asks for the page transition, re-emits the
 * descriptor into the SPMC's TX, makes the SMC, records the transaction
 * and writes the result registers; anything outside the case is refused.
 * No logging, no locks, no fragments, no undo beyond the transition.
 * What it costs says how far below the real path any implementation
 * could go, against the "2x of copying the descriptor once".
 */
#define FLOOR_HDR 48u
#define FLOOR_EMAD 32u
#define FLOOR_MAX_RANGES 4096u
struct floor_txn {
	uint64_t handle;
	uint32_t pages, ranges;
	uint16_t owner;
	uint8_t cons[FLOOR_MAX_RANGES * 16];
};
#define FLOOR_HEAD (FLOOR_HDR + FLOOR_EMAD + 16)
static struct {
	struct floor_txn txn[2];
	uint64_t index[2];
	uint32_t live;
} floor_state;

__attribute__((noinline, flatten)) void measured_floor(struct ffa_regs *r);
void measured_floor(struct ffa_regs *r)
{
	/* Read straight into the SPMC's TX (private until the SMC): the
	 * header is forwarded where it was checked. */
	uint8_t *tx = hyp_tx;
	const uint8_t *h = tx, *e, *c;
	uint32_t total = (uint32_t)r->x[1], frag = (uint32_t)r->x[2];
	uint32_t attr, type, comp, ranges, pages, failed;
	struct ffa_mem_cons_sum cs = { 0, 0, true };
	struct ffa_mem_error err;
	uint64_t handle;
	struct floor_txn *t;
	struct ffa_regs s;

	if (r->x[3] || (uint32_t)r->x[4] || frag != total ||
	    total > TX_BYTES || total < FLOOR_HEAD + 16)
		goto refuse;
	if (plat.caller_read(NULL, 0, CALLER_TX_PA, tx, FLOOR_HEAD))
		goto refuse;
	/* Header: sender, attributes, flags, handle, sizes, reserved. */
	attr = ffa_get32(h) >> 16;
	if ((uint16_t)ffa_get32(h) != 0 || (attr & 0xffc0u) ||
	    (ffa_get32(h + 4) & ~FFA_MEM_FLAG_TIME_SLICE) || ffa_get64(h + 8))
		goto refuse;
	type = attr & FFA_MEM_ATTR_TYPE_MASK;
	if (type == FFA_MEM_ATTR_NORMAL) {
		if ((attr & FFA_MEM_ATTR_CACHE_MASK) !=
			    FFA_MEM_ATTR_NON_CACHEABLE &&
		    (attr & FFA_MEM_ATTR_CACHE_MASK) != FFA_MEM_ATTR_WRITE_BACK)
			goto refuse;
		if ((attr & FFA_MEM_ATTR_SHARE_MASK) == 1u)
			goto refuse;
	} else if (type != FFA_MEM_ATTR_DEVICE) {
		goto refuse;
	}
	if (ffa_get64(h + 24) != (FLOOR_EMAD | 1ull << 32) ||
	    ffa_get32(h + 32) != FLOOR_HDR || ffa_get32(h + 36) ||
	    ffa_get64(h + 40))
		goto refuse;
	/* The receiver: a partition, not the sender; RO or RW, nothing
	 * else; flags and reserved zero; the composite after the EMADs. */
	e = h + FLOOR_HDR;
	comp = ffa_get32(e + 4);
	if (!(ffa_get32(e) & 0x8000u) || (ffa_get32(e) >> 16 & 0xfcu) ||
	    !(ffa_get32(e) >> 16 & 3u) || (ffa_get32(e) >> 16 & 3u) == 3u ||
	    ffa_get64(e + 24) || comp != FLOOR_HDR + FLOOR_EMAD)
		goto refuse;
	c = h + comp;
	pages = ffa_get32(c);
	ranges = ffa_get32(c + 4);
	if (ffa_get64(c + 8) || !ranges || ranges > FLOOR_MAX_RANGES ||
	    pages < ranges ||
	    (uint64_t)comp + 16 + (uint64_t)ranges * 16 != total)
		goto refuse;
	t = &floor_state.txn[floor_state.live & 1];
	if (plat.caller_read(NULL, 0, CALLER_TX_PA + comp + 16,
			     tx + comp + 16, (size_t)ranges * 16))
		goto refuse;
	/* Constituents: reserved, aligned, no zero size or wrap, ascending,
	 * the page sum; each stored once into the record. The core's own
	 * loop, the 4 KiB granule a constant, as the share path inlines it. */
	if (ffa_mem_cons_take(tx + comp + 16, ranges, FFA_PAGE_SIZE, t->cons,
			      NULL, &cs, &err, true, false) ||
	    !cs.ascending || cs.pages != pages)
		goto refuse;
	if (plat.page_transition_ranges(NULL, 0, t->cons, ranges, FFP_PAGE_OWNED,
				   FFP_PAGE_SHARED, &failed))
		goto refuse;
	/* Zeroed as the core does: memset is `rep stos` (see internal.h). */
	ffp_regs_zero(&s);
	s.x[0] = FFA_MEM_SHARE_32;
	s.x[1] = total;
	s.x[2] = total;
	plat.smc(NULL, &s);
	handle = (uint32_t)s.x[2] | s.x[3] << 32;
	if ((uint32_t)s.x[0] != FFA_SUCCESS_32 || handle >> 63 ||
	    (floor_state.live && handle <= floor_state.index[0])) {
		plat.page_transition_ranges(NULL, 0, t->cons, ranges,
					    FFP_PAGE_SHARED, FFP_PAGE_OWNED,
					    &failed);
		goto refuse;
	}
	t->handle = handle;
	t->pages = pages;
	t->ranges = ranges;
	t->owner = 0;
	floor_state.index[floor_state.live & 1] = handle;
	floor_state.live++;
	r->x[0] = FFA_SUCCESS_32;
	r->x[1] = 0;
	r->x[2] = (uint32_t)handle;
	r->x[3] = handle >> 32;
	r->x[4] = r->x[5] = r->x[6] = r->x[7] = 0;
	return;
refuse:
	r->x[0] = FFA_ERROR_32;
	r->x[1] = 0;
	r->x[2] = (uint32_t)FFA_INVALID_PARAMETERS;
	r->x[3] = r->x[4] = r->x[5] = r->x[6] = r->x[7] = 0;
}

static struct ffp *proxy(uint32_t caller, uint32_t max_ranges,
			 uint32_t max_txns, uint32_t desc_max)
{
	struct ffp_config cfg;
	struct ffa_regs r;
	struct ffp *p;
	size_t size;
	void *mem;

	if (getenv("BENCH_PER_RANGE"))
		plat.page_transition_ranges = NULL;
	ffp_config_default(&cfg);
	cfg.max_ranges = max_ranges;
	cfg.max_transactions = max_txns;
	cfg.max_descriptor_size = desc_max;
	cfg.buffers.tx = hyp_tx;
	cfg.buffers.rx = hyp_rx;
	cfg.buffers.tx_pa = 0x10000000;
	cfg.buffers.rx_pa = 0x10000000 + TX_BYTES;
	cfg.buffers.pages = TX_PAGES;
	size = ffp_instance_size(&cfg);
	if (!size || posix_memalign(&mem, 16, size))
		exit(2);
	p = ffp_init(mem, size, &cfg, &plat, NULL);
	if (!p)
		exit(2);
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_VERSION_32;
	r.x[1] = caller;
	ffp_handle(p, 0, &r);
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_RXTX_MAP_64;
	r.x[1] = CALLER_TX_PA;
	r.x[2] = CALLER_TX_PA + TX_BYTES;
	r.x[3] = TX_PAGES;
	ffp_handle(p, 0, &r);
	if ((uint32_t)r.x[0] != FFA_SUCCESS_32)
		exit(3);
	return p;
}

/* A descriptor of `n` one-page ranges (every other page, ascending). */
static void build(uint32_t version, uint32_t type, uint32_t n, uint64_t base)
{
	struct ffa_mem_txn t;
	uint32_t i, head;

	memset(&t, 0, sizeof(t));
	t.attributes = type == FFA_MEM_TXN_SHARE ? 0x2f : 0;
	t.receiver_count = 1;
	t.receivers[0].id = 0x8001;
	t.receivers[0].perms = FFA_MEM_PERM_RW;
	t.total_pages = n;
	t.range_count = n;
	head = ffa_mem_emit_size(version, 1);
	free(desc);
	desc = malloc(head + (size_t)n * 16);
	if (!desc || ffa_mem_emit(version, &t, desc, head, &desc_len))
		exit(4);
	for (i = 0; i < n; i++) {
		ffa_put64(desc + desc_len, base + (uint64_t)i * 8192);
		ffa_put32(desc + desc_len + 8, 1);
		ffa_put32(desc + desc_len + 12, 0);
		desc_len += 16;
	}
}

static uint64_t send(struct ffp *p, uint32_t fn, bool measure)
{
	struct ffa_regs r;

	memcpy(caller_tx, desc, desc_len);
	memset(&r, 0, sizeof(r));
	r.x[0] = fn;
	r.x[1] = desc_len;
	r.x[2] = desc_len;
	if (measure)
		measured(p, &r);
	else
		ffp_handle(p, 0, &r);
	if ((uint32_t)r.x[0] != FFA_SUCCESS_32)
		exit(5);
	return (uint32_t)r.x[2] | (r.x[3] << 32);
}

static void reclaim(struct ffp *p, uint64_t h, bool measure, uint32_t want)
{
	struct ffa_regs r;

	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_MEM_RECLAIM_32;
	r.x[1] = (uint32_t)h;
	r.x[2] = (uint32_t)(h >> 32);
	if (measure)
		measured(p, &r);
	else
		ffp_handle(p, 0, &r);
	if ((uint32_t)r.x[0] != want)
		exit(6);
}

static uint32_t minor(const char *s)
{
	return FFA_MAKE_VERSION(1, (uint32_t)atoi(s));
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	uint64_t host_calls = 0, smcs_before;
	uint32_t i, n;
	struct ffp *p;

	if (!strcmp(mode, "copy") && argc == 5) {
		static uint8_t dst[TX_BYTES];

		build(minor(argv[2]), FFA_MEM_TXN_SHARE, (uint32_t)atoi(argv[3]),
		      0x80100000);
		memcpy(caller_tx, desc, desc_len);
		n = (uint32_t)atoi(argv[4]);
		for (i = 0; i < n; i++)
			measured_copy(dst);
		printf("copied %u bytes %u times\n", desc_len, n);
		return 0;
	}
	if (!strcmp(mode, "floor") && argc == 4) {
		struct ffa_regs r;

		build(FFA_VERSION_1_2, FFA_MEM_TXN_SHARE, (uint32_t)atoi(argv[2]),
		      0x80100000);
		memcpy(caller_tx, desc, desc_len);
		n = (uint32_t)atoi(argv[3]);
		for (i = 0; i < n; i++) {
			memset(&r, 0, sizeof(r));
			r.x[0] = FFA_MEM_SHARE_32;
			r.x[1] = desc_len;
			r.x[2] = desc_len;
			measured_floor(&r);
			if ((uint32_t)r.x[0] != FFA_SUCCESS_32)
				exit(8);
		}
		printf("floor: %u shares of %u bytes\n", n, desc_len);
		return 0;
	}
	if ((!strcmp(mode, "share") || !strcmp(mode, "lend") ||
	     !strcmp(mode, "reclaim")) &&
	    argc == 6) {
		bool lend = !strcmp(mode, "lend");
		bool rec = !strcmp(mode, "reclaim");
		uint32_t fn = lend ? FFA_MEM_LEND_32 : FFA_MEM_SHARE_32;

		spmc_version = minor(argv[3]);
		p = proxy(minor(argv[2]), 16384, 16, 64 * 1024);
		build(minor(argv[2]),
		      lend ? FFA_MEM_TXN_LEND : FFA_MEM_TXN_SHARE,
		      (uint32_t)atoi(argv[4]), 0x80100000);
		n = (uint32_t)atoi(argv[5]);
		smcs_before = spmc.smcs;
		for (i = 0; i < n; i++) {
			uint64_t h = send(p, fn, !rec);

			reclaim(p, h, rec, FFA_SUCCESS_32);
		}
		/* Two host calls per iteration, one of them measured. */
		printf("spmc calls per host call: %.2f\n",
		       (double)(spmc.smcs - smcs_before) / (2.0 * n));
		return 0;
	}
	if (!strcmp(mode, "frag") && argc == 5) {
		uint32_t ranges = (uint32_t)atoi(argv[4]), off, frag;
		struct ffa_regs r;
		uint64_t h = 0;

		spmc_version = minor(argv[3]);
		p = proxy(minor(argv[2]), ranges + 16, 16, 1u << 30);
		build(minor(argv[2]), FFA_MEM_TXN_LEND, ranges, 0x100000000ull);
		smcs_before = spmc.smcs;
		for (off = 0; off < desc_len; off += frag) {
			frag = desc_len - off < TX_BYTES ? desc_len - off : TX_BYTES;
			memcpy(caller_tx, desc + off, frag);
			memset(&r, 0, sizeof(r));
			if (off == 0) {
				r.x[0] = FFA_MEM_LEND_64;
				r.x[1] = desc_len;
				r.x[2] = frag;
			} else {
				r.x[0] = FFA_MEM_FRAG_TX_32;
				r.x[1] = (uint32_t)h;
				r.x[2] = (uint32_t)(h >> 32);
				r.x[3] = frag;
			}
			measured(p, &r);
			host_calls++;
			if (off == 0)
				h = (uint32_t)r.x[1] | (r.x[2] << 32);
			if ((uint32_t)r.x[0] != (off + frag == desc_len
							 ? FFA_SUCCESS_32
							 : FFA_MEM_FRAG_RX_32))
				exit(7);
		}
		printf("host calls %llu, spmc calls %llu\n",
		       (unsigned long long)host_calls,
		       (unsigned long long)(spmc.smcs - smcs_before));
		reclaim(p, h, false, FFA_SUCCESS_32);
		return 0;
	}
	if (!strcmp(mode, "lookup") && argc == 4) {
		uint32_t live = (uint32_t)atoi(argv[2]);
		uint64_t h = 0;

		p = proxy(FFA_VERSION_1_2, live + 16, live + 1, 64 * 1024);
		for (i = 0; i < live; i++) {
			build(FFA_VERSION_1_2, FFA_MEM_TXN_SHARE, 1,
			      0x100000000ull + (uint64_t)i * 8192);
			h = send(p, FFA_MEM_SHARE_32, false);
		}
		spmc.deny_reclaim = true;
		n = (uint32_t)atoi(argv[3]);
		for (i = 0; i < n; i++)
			reclaim(p, h - (i % live), true, FFA_ERROR_32);
		return 0;
	}
	fprintf(stderr, "usage: see the comment at the top of bench/bench_mem.c\n");
	return 1;
}
